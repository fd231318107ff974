/*
 * Journal tags, by jrnl's rule (journal.h): a tag symbol at the start of the
 * text or after white space, then tag characters. Letters and digits of
 * every script count as tag characters, as Python's \w does for jrnl; with
 * no Unicode tables here, a character beyond ASCII counts unless it is in
 * one of the ranges of spaces, punctuation, symbols, combining marks and
 * emoji listed in not_word.
 *
 * One departure from jrnl: a tag needs a letter, digit or '_' in it, so
 * that a Markdown heading's "##" or a "#-" is no tag (jrnl would make
 * them tags).
 */
#include "journal_text.h"
#include "revans/error.h"
#include "revans/journal.h"

#include <stdlib.h>
#include <string.h>

bool rv__py_space(long cp) {
  if (cp >= 0 && cp < 0x80)
    return cp == ' ' || (cp >= '\t' && cp <= '\r') || (cp >= 0x1c && cp <= 0x1f);
  return cp == 0x85 || cp == 0xa0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200a) ||
         cp == 0x2028 || cp == 0x2029 || cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/* Code points beyond ASCII that are no letter or digit. */
static bool not_word(long cp) {
  static const long ranges[][2] = {
      {0x80, 0xa9},     {0xab, 0xb1},     {0xb4, 0xb4},     {0xb6, 0xb8},       {0xbb, 0xbb},
      {0xbf, 0xbf},     {0xd7, 0xd7},     {0xf7, 0xf7},     {0x300, 0x36f},     {0x1680, 0x1680},
      {0x2000, 0x206f}, {0x20a0, 0x20ff}, {0x2190, 0x245f}, {0x2500, 0x2775},   {0x2794, 0x2bff},
      {0x2e00, 0x2e7f}, {0x3000, 0x3004}, {0x3008, 0x3020}, {0x3030, 0x3030},   {0xfe00, 0xfe0f},
      {0xfe10, 0xfe1f}, {0xfe30, 0xfe6f}, {0xfeff, 0xfeff}, {0xff01, 0xff0f},   {0xff1a, 0xff20},
      {0xff3b, 0xff40}, {0xff5b, 0xff65}, {0xfff0, 0xffff}, {0x1f000, 0x1faff}, {0xe0000, 0xe007f},
  };
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
    if (cp >= ranges[i][0] && cp <= ranges[i][1])
      return true;
  return false;
}

static bool ascii_tag_char(int ch) {
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
         ch == '_' || ch == '-' || ch == '+' || ch == '*' || ch == '#' || ch == '/';
}

static bool tag_char(long cp) {
  return cp < 0x80 ? cp >= 0 && ascii_tag_char((int)cp) : !not_word(cp);
}

/* Whether the character before text + i is white space (or there is none). */
static bool space_before(const char *text, size_t i) {
  const unsigned char *s = (const unsigned char *)text;
  if (i == 0)
    return true;
  if (s[i - 1] < 0x80)
    return rv__py_space(s[i - 1]);
  size_t j = i - 1, len;
  while (j > 0 && i - j < 4 && (s[j] & 0xc0) == 0x80)
    j--;
  long cp = rv_utf8_decode(s + j, i - j, &len);
  return cp >= 0 && j + len == i && rv__py_space(cp);
}

/* The length of the tag at text + i (n bytes in all), or 0. */
static size_t tag_len(const char *text, size_t n, size_t i) {
  const unsigned char *s = (const unsigned char *)text;
  size_t at = i + 1, len;
  if (i >= n || (s[i] != '@' && s[i] != '#') || !space_before(text, i))
    return 0;
  bool word = false;
  for (long cp; at < n && tag_char(cp = rv_utf8_decode(s + at, n - at, &len)); at += len)
    word = word || cp >= 0x80 || !strchr("-+*#/", (int)cp);
  return word ? at - i : 0;
}

size_t rv_journal_tag_at(const char *text, size_t i) { return tag_len(text, strlen(text), i); }

/* The lower case of cp, where it is one code point of the same length. */
static long lower_cp(long cp) {
  if (cp >= 'A' && cp <= 'Z')
    return cp + 32;
  if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7) || (cp >= 0x391 && cp <= 0x3a9 && cp != 0x3a2) ||
      (cp >= 0x410 && cp <= 0x42f))
    return cp + 32;
  if (cp >= 0x400 && cp <= 0x40f)
    return cp + 80;
  if (cp == 0x178)
    return 0xff;
  if (((cp >= 0x100 && cp <= 0x137) || (cp >= 0x14a && cp <= 0x177)) && cp % 2 == 0 && cp != 0x130)
    return cp + 1;
  if (((cp >= 0x139 && cp <= 0x148) || (cp >= 0x179 && cp <= 0x17e)) && cp % 2 == 1)
    return cp + 1;
  return cp;
}

/* t (n bytes) in lower case into out, as many bytes. */
static void lower_utf8(char *out, const char *t, size_t n) {
  const unsigned char *s = (const unsigned char *)t;
  for (size_t i = 0, len; i < n; i += len) {
    long cp = rv_utf8_decode(s + i, n - i, &len), lo = cp < 0 ? cp : lower_cp(cp);
    if (lo == cp) {
      memcpy(out + i, t + i, len);
    } else if (len == 1) {
      out[i] = (char)lo;
    } else { /* two bytes, as every mapped code point beyond ASCII */
      out[i] = (char)(0xc0 | lo >> 6);
      out[i + 1] = (char)(0x80 | (lo & 0x3f));
    }
  }
}

int rv_entry_add_tag(rv_entry_t *e, const char *t, size_t n) {
  char buf[RV_JOURNAL_TAG_MAX + 1];
  bool symbol = n && (t[0] == '@' || t[0] == '#');
  if (n <= (size_t)symbol || n + !symbol > RV_JOURNAL_TAG_MAX || memchr(t, '\0', n))
    return RV_EINVAL;
  buf[0] = '@';
  lower_utf8(buf + !symbol, t, n);
  buf[n + !symbol] = '\0';
  for (size_t i = 0; i < e->ntags; i++)
    if (strcmp(e->tags[i], buf) == 0)
      return 0;
  if (e->ntags == RV_JOURNAL_TAGS_MAX)
    return RV_EINVAL;
  char **v = realloc(e->tags, (e->ntags + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  e->tags = v;
  if (!(v[e->ntags] = strdup(buf)))
    return RV_ENOMEM;
  e->ntags++;
  return 0;
}

int rv_entry_add_text_tags(rv_entry_t *e, const char *text) {
  size_t len = strlen(text);
  for (size_t i = 0; i < len; i++) {
    size_t n = tag_len(text, len, i);
    if (n) {
      int r = rv_entry_add_tag(e, text + i, n);
      if (r < 0)
        return r;
      i += n - 1;
    }
  }
  return 0;
}

bool rv_entry_has_tag(const rv_entry_t *e, const char *t) {
  char want[RV_JOURNAL_TAG_MAX + 1];
  size_t n = strlen(t);
  bool symbol = n && (t[0] == '@' || t[0] == '#');
  if (n > RV_JOURNAL_TAG_MAX)
    return false;
  lower_utf8(want, t, n);
  want[n] = '\0';
  for (size_t i = 0; i < e->ntags; i++)
    if (strcmp(symbol ? e->tags[i] : e->tags[i] + 1, want) == 0)
      return true;
  return false;
}
