/*
 * The only file that includes jansson.h: JSON documents for --json, and a
 * plain rendering of the same values for people, so that every command
 * builds its answer once.
 */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include "json.h"
#include "revans/types.h"

#include <jansson.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#define J(v) ((json_t *)(v))
#define V(j) ((jv_t *)(j))

jv_t *jv_obj(void) { return V(json_object()); }
jv_t *jv_arr(void) { return V(json_array()); }
jv_t *jv_int(int64_t v) { return V(json_integer((json_int_t)v)); }
jv_t *jv_bool(bool v) { return V(json_boolean(v)); }
jv_t *jv_null(void) { return V(json_null()); }

/* Replaces every byte that starts no valid UTF-8 sequence (overlong
 * forms and surrogates included) with U+FFFD, so that no string becomes
 * null. */
static char *sanitize(const char *s) {
  size_t n = strlen(s), len;
  char *out = malloc(3 * n + 1), *o = out;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i += len) {
    if (rv_utf8_decode((const unsigned char *)s + i, n - i, &len) >= 0) {
      memcpy(o, s + i, len);
      o += len;
    } else {
      memcpy(o, "\xef\xbf\xbd", 3);
      o += 3;
    }
  }
  *o = '\0';
  return out;
}

jv_t *jv_str(const char *s) {
  if (!s)
    return jv_null();
  json_t *j = json_string(s);
  if (!j) {
    char *clean = sanitize(s);
    j = clean ? json_string(clean) : NULL;
    free(clean);
  }
  return j ? V(j) : jv_null();
}

jv_t *jv_set(jv_t *obj, const char *key, jv_t *v) {
  json_object_set_new(J(obj), key, v ? J(v) : json_null());
  return obj;
}

jv_t *jv_push(jv_t *arr, jv_t *v) {
  json_array_append_new(J(arr), v ? J(v) : json_null());
  return arr;
}

void jv_free(jv_t *v) { json_decref(J(v)); }

int jv_print_json(FILE *f, const jv_t *v) {
  if (json_dumpf(J(v), f, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY) != 0)
    return -1;
  return fputc('\n', f) == EOF ? -1 : 0;
}

char *jv_dump(const jv_t *v) {
  char *s = json_dumps(J(v), JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
  if (!s)
    return NULL;
  size_t n = strlen(s);
  char *t = realloc(s, n + 2);
  if (!t) {
    free(s);
    return NULL;
  }
  t[n] = '\n';
  t[n + 1] = '\0';
  return t;
}

/* ---- parsing -------------------------------------------------------- */

jv_t *jv_parse(const char *buf, size_t n, char *err, size_t errn) {
  json_error_t e;
  json_t *j = json_loadb(buf, n, JSON_REJECT_DUPLICATES, &e);
  if (!j && err)
    snprintf(err, errn, "%s (line %d)", e.text, e.line);
  return V(j);
}

jv_t *jv_get(const jv_t *obj, const char *key) { return V(json_object_get(J(obj), key)); }
size_t jv_len(const jv_t *arr) { return json_array_size(J(arr)); }
jv_t *jv_at(const jv_t *arr, size_t i) { return V(json_array_get(J(arr), i)); }
const char *jv_string(const jv_t *v) { return v ? json_string_value(J(v)) : NULL; }
bool jv_is_true(const jv_t *v) { return v && json_is_true(J(v)); }
bool jv_is_array(const jv_t *v) { return v && json_is_array(J(v)); }
bool jv_is_object(const jv_t *v) { return v && json_is_object(J(v)); }

/* ---- human rendering ----------------------------------------------- */

/* The UTF-8 character set, whatever the user's locale says: the texts are
 * UTF-8 wherever they came from. (locale_t)0 when the system has no
 * C.UTF-8 locale. */
static locale_t utf8_locale(void) {
  static locale_t loc;
  static bool tried;
  if (!tried) {
    tried = true;
    loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
  }
  return loc;
}

/* The columns s takes on a terminal, so that tables line up: a CJK
 * character or an emoji takes two, a combining mark none (wcwidth under
 * C.UTF-8). A character wcwidth does not know, or a byte that is not
 * UTF-8, takes one; without C.UTF-8 every character takes one. */
static size_t width(const char *s) {
  locale_t loc = utf8_locale(), old;
  size_t w = 0, n, len = strlen(s);
  mbstate_t st;
  wchar_t wc;
  if (!loc) {
    for (; *s; s++)
      w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
  }
  old = uselocale(loc);
  memset(&st, 0, sizeof st);
  while (len > 0) {
    n = mbrtowc(&wc, s, len, &st);
    if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
      memset(&st, 0, sizeof st);
      n = 1;
      w++;
    } else {
      int cw = wcwidth(wc);
      w += cw < 0 ? 1 : (size_t)cw;
    }
    s += n;
    len -= n;
  }
  uselocale(old);
  return w;
}

/* A scalar as text, into a malloc'd string. */
static char *scalar(const json_t *j) {
  char buf[64];
  switch (json_typeof(j)) {
  case JSON_STRING: {
    /* What other members wrote reaches this terminal: no control
     * characters (escape sequences could rewrite the screen). */
    char *s = strdup(json_string_value(j));
    for (char *p = s; p && *p; p++)
      if ((unsigned char)*p < 0x20 || *p == 0x7f)
        *p = *p == '\n' || *p == '\t' ? ' ' : '?';
    return s;
  }
  case JSON_INTEGER:
    snprintf(buf, sizeof buf, "%" JSON_INTEGER_FORMAT, json_integer_value(j));
    return strdup(buf);
  case JSON_REAL: snprintf(buf, sizeof buf, "%g", json_real_value(j)); return strdup(buf);
  case JSON_TRUE: return strdup("yes");
  case JSON_FALSE: return strdup("no");
  case JSON_NULL: return strdup("-");
  case JSON_ARRAY: {
    /* A list of scalars on one line. */
    size_t cap = 1, i;
    json_t *e;
    char *out = calloc(1, 1);
    json_array_foreach(j, i, e) {
      char *s = json_is_object(e) || json_is_array(e) ? strdup("...") : scalar(e);
      if (!s || !out)
        break;
      cap += strlen(s) + 2;
      char *n = realloc(out, cap);
      if (!n) {
        free(s);
        break;
      }
      out = n;
      if (i)
        strcat(out, ", ");
      strcat(out, s);
      free(s);
    }
    return out;
  }
  default: return strdup("...");
  }
}

static bool is_table(const json_t *j) {
  return json_is_array(j) && json_array_size(j) > 0 && json_is_object(json_array_get(j, 0));
}

static void pad(FILE *f, size_t n) {
  while (n--)
    fputc(' ', f);
}

static void print_table(FILE *f, const json_t *arr, int indent) {
  const json_t *first = json_array_get(arr, 0);
  size_t ncols = json_object_size(first), i, c;
  const char **keys = calloc(ncols ? ncols : 1, sizeof *keys);
  size_t *w = calloc(ncols ? ncols : 1, sizeof *w);
  const char *k;
  json_t *v, *row;
  if (!keys || !w)
    goto out;
  c = 0;
  json_object_foreach((json_t *)first, k, v) {
    keys[c] = k;
    w[c++] = width(k);
  }
  json_array_foreach(arr, i, row) {
    for (c = 0; c < ncols; c++) {
      char *s = scalar(json_object_get(row, keys[c]) ? json_object_get(row, keys[c]) : json_null());
      if (s && width(s) > w[c])
        w[c] = width(s);
      free(s);
    }
  }
  pad(f, (size_t)indent);
  for (c = 0; c < ncols; c++) {
    fputs(keys[c], f);
    if (c + 1 < ncols)
      pad(f, w[c] - width(keys[c]) + 2);
  }
  fputc('\n', f);
  json_array_foreach(arr, i, row) {
    pad(f, (size_t)indent);
    for (c = 0; c < ncols; c++) {
      char *s = scalar(json_object_get(row, keys[c]) ? json_object_get(row, keys[c]) : json_null());
      fputs(s ? s : "", f);
      if (c + 1 < ncols)
        pad(f, w[c] - (s ? width(s) : 0) + 2);
      free(s);
    }
    fputc('\n', f);
  }
out:
  free(keys);
  free(w);
}

static void print_object(FILE *f, const json_t *obj, int indent) {
  const char *k;
  json_t *v;
  size_t kw = 0;
  json_object_foreach((json_t *)obj, k, v) if (width(k) > kw) kw = width(k);
  json_object_foreach((json_t *)obj, k, v) {
    pad(f, (size_t)indent);
    fprintf(f, "%s:", k);
    if (json_is_object(v)) {
      fputc('\n', f);
      print_object(f, v, indent + 2);
    } else if (is_table(v)) {
      fputc('\n', f);
      print_table(f, v, indent + 2);
    } else {
      char *s = scalar(v);
      pad(f, kw - width(k) + 1);
      fprintf(f, "%s\n", s ? s : "");
      free(s);
    }
  }
}

int jv_print_human(FILE *f, const jv_t *v) {
  const json_t *j = J(v);
  if (json_is_object(j))
    print_object(f, j, 0);
  else if (is_table(j))
    print_table(f, j, 0);
  else if (json_is_array(j) && json_array_size(j) == 0)
    ; /* nothing to list */
  else {
    char *s = scalar(j);
    fprintf(f, "%s\n", s ? s : "");
    free(s);
  }
  return ferror(f) ? -1 : 0;
}

size_t jv_width(const char *s) { return width(s); }
