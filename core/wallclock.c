/*
 * Wall-clock times (wallclock.h): calendar arithmetic on days since
 * 1970-01-01, by the civil-from-days method, with no time zone involved
 * except in rv_wall_from_utc_ms.
 */
#include "revans/error.h"
#include "revans/wallclock.h"

#include <string.h>
#include <time.h>

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, rv_civil_t *c) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  c->day = (int)(doy - (153 * mp + 2) / 5 + 1);
  c->month = (int)(mp < 10 ? mp + 3 : mp - 9);
  c->year = (int)(yoe + era * 400 + (c->month <= 2));
}

int64_t rv_wall_from_civil(const rv_civil_t *c) {
  int64_t days = days_from_civil(c->year, c->month, c->day);
  return days * RV_WALL_DAY_MS + (int64_t)c->hour * 3600000 + (int64_t)c->minute * 60000 +
         (int64_t)c->second * 1000 + c->ms;
}

void rv_wall_to_civil(int64_t ms, rv_civil_t *ret) {
  int64_t days = ms / RV_WALL_DAY_MS, rest = ms % RV_WALL_DAY_MS;
  if (rest < 0) {
    rest += RV_WALL_DAY_MS;
    days--;
  }
  civil_from_days(days, ret);
  ret->hour = (int)(rest / 3600000);
  ret->minute = (int)(rest / 60000 % 60);
  ret->second = (int)(rest / 1000 % 60);
  ret->ms = (int)(rest % 1000);
}

int64_t rv_wall_from_utc_ms(int64_t utc_ms) {
  int64_t s = utc_ms / 1000, ms = utc_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    s--;
  }
  time_t t = (time_t)s;
  struct tm tm;
  if (!localtime_r(&t, &tm))
    return utc_ms;
  rv_civil_t c = {tm.tm_year + 1900,
                  tm.tm_mon + 1,
                  tm.tm_mday,
                  tm.tm_hour,
                  tm.tm_min,
                  tm.tm_sec > 59 ? 59 : tm.tm_sec,
                  (int)ms};
  return rv_wall_from_civil(&c);
}

/* v in n decimal digits at out. */
static void put_digits(char *out, int v, int n) {
  for (int i = n - 1; i >= 0; i--, v /= 10)
    out[i] = (char)('0' + v % 10);
}

void rv_wall_format_parts(int64_t ms, char date[11], char time[6]) {
  rv_civil_t c;
  rv_wall_to_civil(ms, &c);
  put_digits(date, c.year < 0 ? 0 : c.year % 10000, 4);
  date[4] = '-';
  put_digits(date + 5, c.month, 2);
  date[7] = '-';
  put_digits(date + 8, c.day, 2);
  date[10] = '\0';
  put_digits(time, c.hour, 2);
  time[2] = ':';
  put_digits(time + 3, c.minute, 2);
  time[5] = '\0';
}

void rv_wall_format(char out[17], int64_t ms) {
  rv_wall_format_parts(ms, out, out + 11);
  out[10] = ' ';
}

static int days_in_month(int y, int m) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : days[m - 1];
}

/* n decimal digits at s, exactly. */
static bool digits(const char *s, int n, int *ret) {
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return false;
    v = v * 10 + (s[i] - '0');
  }
  *ret = v;
  return true;
}

int rv_wall_parse_parts(const char *date, const char *time, int64_t *ret) {
  rv_civil_t c;
  memset(&c, 0, sizeof c);
  if (!date || strlen(date) != 10 || !digits(date, 4, &c.year) || date[4] != '-' ||
      !digits(date + 5, 2, &c.month) || date[7] != '-' || !digits(date + 8, 2, &c.day))
    return RV_EFORMAT;
  if (time && (strlen(time) != 5 || !digits(time, 2, &c.hour) || time[2] != ':' ||
               !digits(time + 3, 2, &c.minute)))
    return RV_EFORMAT;
  if (c.year < 1 || c.month < 1 || c.month > 12 || c.day < 1 ||
      c.day > days_in_month(c.year, c.month) || c.hour > 23 || c.minute > 59)
    return RV_EFORMAT;
  *ret = rv_wall_from_civil(&c);
  return 0;
}

int rv_wall_parse(const char *s, int64_t *ret) {
  char date[11];
  size_t n = strlen(s);
  if (n != 10 && (n != 16 || s[10] != ' '))
    return RV_EFORMAT;
  memcpy(date, s, 10);
  date[10] = '\0';
  return rv_wall_parse_parts(date, n == 16 ? s + 11 : NULL, ret);
}
