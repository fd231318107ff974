/*
 * Wall-clock times: a date and time as a person wrote it, with no time
 * zone. A wall-clock time is held as signed milliseconds since
 * 1970-01-01 00:00 on the same calendar (the proleptic Gregorian one, as if
 * the clock were UTC), so that every date from year 1 to 9999 has one
 * value, 1969 and before negative, and no clock change moves it. The
 * journal keeps its entries' times this way, as jrnl does.
 */
#ifndef REVANS_WALLCLOCK_H
#define REVANS_WALLCLOCK_H

#include <stdbool.h>
#include <stdint.h>

#define RV_WALL_MINUTE_MS INT64_C(60000)
#define RV_WALL_DAY_MS INT64_C(86400000)

/* A calendar date and time of day. */
typedef struct rv_civil {
  int year, month, day; /* 1..9999, 1..12, 1..31 */
  int hour, minute, second, ms;
} rv_civil_t;

/* The wall-clock milliseconds of c; c is not checked (see rv_wall_parse). */
int64_t rv_wall_from_civil(const rv_civil_t *c);
/* The calendar date and time of wall-clock milliseconds ms. */
void rv_wall_to_civil(int64_t ms, rv_civil_t *ret);
/* The wall-clock time on this machine's clock at UTC milliseconds utc_ms:
 * the local time zone (TZ) and its clock changes applied once, here. */
int64_t rv_wall_from_utc_ms(int64_t utc_ms);
/* "YYYY-MM-DD HH:MM" (16 characters and a NUL) into out. */
void rv_wall_format(char out[17], int64_t ms);
/* "YYYY-MM-DD" and "HH:MM" apart, as jrnl's export has them. */
void rv_wall_format_parts(int64_t ms, char date[11], char time[6]);
/* Reads "YYYY-MM-DD" (midnight) or "YYYY-MM-DD HH:MM", exactly, a real
 * calendar date (year 1 to 9999) and time: 0 with *ret, or RV_EFORMAT. */
int rv_wall_parse(const char *s, int64_t *ret);
/* Reads "YYYY-MM-DD" and "HH:MM" given apart, as jrnl's export has them. */
int rv_wall_parse_parts(const char *date, const char *time, int64_t *ret);

#endif
