/*
 * jrnl's entries and plain-text file (jrnl.h), by jrnl's own reading rules:
 * entries open on "[YYYY-MM-DD HH:MM] " at a line's start, a star is a '*'
 * ending the first line, the title is split off as jrnl's split_title does.
 */
#include "journal_text.h"
#include "revans/error.h"
#include "revans/jrnl.h"

#include <stdlib.h>
#include <string.h>

/* ---- entries ----------------------------------------------------------- */

static int fail(const char **ret_why, const char *why, int r) {
  if (ret_why)
    *ret_why = why;
  return r;
}

int rv_jrnl_to_entry(const rv_jrnl_entry_t *j, rv_entry_t *ret, const char **ret_why) {
  int64_t at;
  memset(ret, 0, sizeof *ret);
  if (!j->title || !j->date)
    return fail(ret_why, "a jrnl entry needs a title and a date", RV_EFORMAT);
  if ((j->time ? rv_wall_parse_parts(j->date, j->time, &at) : rv_wall_parse(j->date, &at)) < 0)
    return fail(ret_why, "the date or time is not YYYY-MM-DD HH:MM", RV_EFORMAT);
  size_t tn = strlen(j->title), bn = j->body ? strlen(j->body) : 0;
  if (tn + bn > RV_JOURNAL_TEXT_MAX)
    return fail(ret_why, "the entry is longer than 256 KiB", RV_EINVAL);
  if (!(ret->text = malloc(tn + bn + 2)))
    return fail(ret_why, "out of memory", RV_ENOMEM);
  memcpy(ret->text, j->title, tn);
  if (bn) {
    ret->text[tn] = '\n';
    memcpy(ret->text + tn + 1, j->body, bn);
  }
  ret->text[tn + (bn ? bn + 1 : 0)] = '\0';
  ret->at_ms = at;
  ret->starred = j->starred;
  int r = 0;
  for (size_t i = 0; i < j->ntags && r == 0; i++)
    r = j->tags[i] ? rv_entry_add_tag(ret, j->tags[i], strlen(j->tags[i])) : RV_EINVAL;
  if (r == 0 && j->tag_text)
    r = rv_entry_add_text_tags(ret, j->tag_text);
  if (r == RV_ENOMEM)
    return fail(ret_why, "out of memory", r);
  if (r < 0)
    return fail(ret_why, "a tag is empty or too long, or there are more than 64", r);
  return rv_entry_check(ret, ret_why);
}

static bool ascii_space(char ch) { return rv__py_space((unsigned char)ch); }

/* s[*from, *from + *n) without white space at either end. */
static void strip(const char *s, size_t *from, size_t *n) {
  while (*n && ascii_space(s[*from])) {
    (*from)++;
    (*n)--;
  }
  while (*n && ascii_space(s[*from + *n - 1]))
    (*n)--;
}

static char *dup_n(const char *s, size_t n) {
  char *d = malloc(n + 1);
  if (d) {
    memcpy(d, s, n);
    d[n] = '\0';
  }
  return d;
}

int rv_jrnl_view_init(rv_jrnl_view_t *v, const rv_entry_t *e) {
  memset(v, 0, sizeof *v);
  rv_wall_format_parts(e->at_ms, v->date, v->time);
  const char *nl = strchr(e->text, '\n');
  size_t len = strlen(e->text), tn = nl ? (size_t)(nl - e->text) : len, t0 = 0;
  size_t b0 = nl ? tn + 1 : len, bn = len - b0;
  while (tn && ascii_space(e->text[tn - 1]))
    tn--;
  strip(e->text, &b0, &bn);
  v->title = dup_n(e->text + t0, tn);
  v->body = dup_n(e->text + b0, bn);
  if (!v->title || !v->body) {
    rv_jrnl_view_release(v);
    return RV_ENOMEM;
  }
  return 0;
}

void rv_jrnl_view_release(rv_jrnl_view_t *v) {
  free(v->title);
  free(v->body);
  v->title = v->body = NULL;
}

/* ---- reading jrnl's file --------------------------------------------- */

/* Whether an entry opens at s (n bytes): "[YYYY-MM-DD HH:MM] ", a real
 * date and time, into date and time. */
static bool entry_opens(const char *s, size_t n, char date[11], char time[6]) {
  int64_t at;
  if (n < 19 || s[0] != '[' || s[11] != ' ' || s[17] != ']' || s[18] != ' ')
    return false;
  memcpy(date, s + 1, 10);
  date[10] = '\0';
  memcpy(time, s + 12, 5);
  time[5] = '\0';
  return rv_wall_parse_parts(date, time, &at) == 0;
}

/* Where the first sentence of t (n bytes) ends, as jrnl's sentence
 * splitter finds it: a terminal ('.', '!', '?', '…' and kin), an optional
 * closing quote, closing brackets, then white space; or a CJK full stop,
 * needing none. */
static bool sentence_end(const char *t, size_t n, size_t *ret) {
  static const long ends[] = {'.',    '!',    '?',    0x2026, 0x203c, 0x203d,
                              0x2047, 0x2048, 0x2049, 0x22ef, 0xfe52, 0xfe57};
  static const long cjk[] = {0xff01, 0xff0e, 0xff1f, 0xff61, 0x3002};
  const unsigned char *s = (const unsigned char *)t;
  for (size_t i = 0, len; i < n; i += len) {
    long cp = rv_utf8_decode(s + i, n - i, &len);
    for (size_t k = 0; k < sizeof cjk / sizeof cjk[0]; k++)
      if (cp == cjk[k]) {
        *ret = i + len;
        return true;
      }
    bool end = false;
    for (size_t k = 0; k < sizeof ends / sizeof ends[0]; k++)
      end = end || cp == ends[k];
    if (!end)
      continue;
    size_t j = i + len, ql;
    long q = j < n ? rv_utf8_decode(s + j, n - j, &ql) : -1;
    if (q == '\'' || q == '"' || q == 0x2019 || q == 0x201d)
      j += ql;
    while (j < n && (t[j] == ']' || t[j] == ')'))
      j++;
    size_t sp = j;
    while (j < n && ascii_space(t[j]))
      j++;
    if (j > sp) {
      *ret = j;
      return true;
    }
  }
  return false;
}

/* jrnl's split_title on t (n bytes): the offsets and lengths of the title
 * and body. jrnl looks for the newline in t without its leading white
 * space, and cuts t itself there: so do we. */
static void split_title(const char *t, size_t n, size_t ret[4]) {
  size_t lead = 0, end;
  while (lead < n && ascii_space(t[lead]))
    lead++;
  const char *nl = memchr(t + lead, '\n', n - lead);
  if (nl) {
    end = (size_t)(nl - (t + lead)) + 1;
  } else if (!sentence_end(t, n, &end)) {
    ret[0] = 0, ret[1] = n, ret[2] = n, ret[3] = 0;
    return;
  }
  ret[0] = 0, ret[1] = end, ret[2] = end, ret[3] = n - end;
  strip(t, &ret[0], &ret[1]);
  strip(t, &ret[2], &ret[3]);
}

/* One entry's text raw (n bytes, no NUL inside: its '\r' before '\n'
 * dropped) into j, its strings in work. */
static int read_entry(const char *raw, size_t n, rv_buf_t *work, rv_jrnl_entry_t *j) {
  const char *nl = n ? memchr(raw, '\n', n) : NULL; /* raw is NULL when n is 0 */
  size_t first = nl ? (size_t)(nl - raw) : n, from = 0, len = first, cut[4];
  strip(raw, &from, &len);
  rv_buf_clear(work);
  /* The raw text (for its tags), then the text split_title reads. */
  if (rv_buf_append(work, raw, n) < 0 || rv_buf_append(work, "", 1) < 0)
    return RV_ENOMEM;
  j->starred = len && raw[from + len - 1] == '*';
  if (j->starred) {
    size_t a = 0, b = first;
    while (a < b && strchr("\n *", raw[a]))
      a++;
    while (b > a && strchr("\n *", raw[b - 1]))
      b--;
    if (rv_buf_append(work, raw + a, b - a) < 0 || rv_buf_append(work, "\n", 1) < 0 ||
        (nl && rv_buf_append(work, nl + 1, n - first - 1) < 0))
      return RV_ENOMEM;
  } else if (rv_buf_append(work, raw, n) < 0) {
    return RV_ENOMEM;
  }
  size_t tn = work->len - (n + 1);
  if (rv_buf_reserve(work, tn + 2) < 0)
    return RV_ENOMEM;
  char *t = (char *)work->data + n + 1;
  split_title(t, tn, cut);
  /* Title and body each NUL-terminated in place: the body moves one byte
   * on, over room reserved above. */
  memmove(t + cut[2] + 1, t + cut[2], cut[3]);
  t[cut[2] + 1 + cut[3]] = '\0';
  t[cut[0] + cut[1]] = '\0';
  j->title = t + cut[0];
  j->body = t + cut[2] + 1;
  j->tag_text = (const char *)work->data;
  return 0;
}

/* Where the next entry opens at or after i: a line's start. */
static size_t next_open(const char *buf, size_t n, size_t i, char date[11], char time[6]) {
  for (; i < n; i++) {
    if ((i == 0 || buf[i - 1] == '\n') && entry_opens(buf + i, n - i, date, time))
      return i;
    const char *nl = memchr(buf + i, '\n', n - i);
    if (!nl)
      return n;
    i = (size_t)(nl - buf);
  }
  return n;
}

/* buf[from, to) with each "\r\n" as "\n", into out. */
static int copy_lines(const char *buf, size_t from, size_t to, rv_buf_t *out) {
  rv_buf_clear(out);
  for (size_t i = from; i < to; i++)
    if (!(buf[i] == '\r' && i + 1 < to && buf[i + 1] == '\n') &&
        rv_buf_append(out, buf[i] ? &buf[i] : " ", 1) < 0)
      return RV_ENOMEM;
  return 0;
}

int rv_jrnl_txt_parse(const char *buf, size_t n, rv_jrnl_cb cb, void *ctx, size_t *ret_skipped) {
  char date[11], time[6], next_date[11], next_time[6];
  rv_buf_t raw, work;
  size_t index = 0;
  int r = 0;
  rv_buf_init(&raw);
  rv_buf_init(&work);
  size_t at = next_open(buf, n, 0, date, time);
  if (ret_skipped)
    *ret_skipped = at;
  while (at < n && r == 0) {
    size_t start = at + 19, next = next_open(buf, n, start, next_date, next_time);
    /* The text runs to the newline before the next entry. */
    size_t end = next < n ? next - 1 : n;
    rv_jrnl_entry_t j;
    memset(&j, 0, sizeof j);
    j.date = date;
    j.time = time;
    if ((r = copy_lines(buf, start, end, &raw)) < 0 ||
        (r = read_entry((const char *)raw.data, raw.len, &work, &j)) < 0)
      break;
    r = cb(ctx, &j, index++);
    memcpy(date, next_date, sizeof date);
    memcpy(time, next_time, sizeof time);
    at = next;
  }
  rv_buf_release(&raw);
  rv_buf_release(&work);
  return r;
}

/* ---- writing jrnl's file --------------------------------------------- */

static int put(rv_buf_t *out, const char *s, size_t n) { return rv_buf_append(out, s, n); }

/* Whether jrnl could read line (n bytes) as opening an entry: '[', more
 * than six characters with no ']', then "] " (jrnl reads shorter ones as
 * footnotes, and longer ones as dates when it can). */
static bool looks_like_opening(const char *line, size_t n) {
  if (n < 2 || line[0] != '[')
    return false;
  const char *close = memchr(line + 1, ']', n - 1);
  size_t at = close ? (size_t)(close - line) : n;
  return close && at > 7 && at + 1 < n && line[at + 1] == ' ';
}

int rv_jrnl_txt_append(rv_buf_t *out, const rv_entry_t *e, bool first) {
  rv_jrnl_view_t v;
  int r = rv_jrnl_view_init(&v, e);
  if (r < 0)
    return r;
  if ((!first && put(out, "\n", 1) < 0) || put(out, "[", 1) < 0 || put(out, v.date, 10) < 0 ||
      put(out, " ", 1) < 0 || put(out, v.time, 5) < 0 || put(out, "] ", 2) < 0 ||
      put(out, v.title, strlen(v.title)) < 0 || (e->starred && put(out, " *", 2) < 0))
    r = RV_ENOMEM;
  for (const char *line = v.body; r == 0 && *v.body && line;) {
    const char *nl = strchr(line, '\n');
    size_t n = nl ? (size_t)(nl - line) : strlen(line);
    if (put(out, "\n", 1) < 0 || (looks_like_opening(line, n) && put(out, " ", 1) < 0) ||
        put(out, line, n) < 0)
      r = RV_ENOMEM;
    line = nl ? nl + 1 : NULL;
  }
  if (r == 0 && put(out, "\n", 1) < 0)
    r = RV_ENOMEM;
  rv_jrnl_view_release(&v);
  return r;
}
