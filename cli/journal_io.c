/*
 * 'journal export' and 'journal import', and the journal's JSON: entries
 * for list and show, jrnl's JSON export both ways. Each entry an import
 * cannot hold is reported and skipped; the rest are imported.
 */
#include "journal_io.h"
#include "revans/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define IMPORT_MAX ((size_t)1 << 30) /* bytes in a file to import */

/* {id, at}, text when there is one, {tags, starred}, then last_text. */
static jv_t *entry_json(const rv_entry_t *e, const char *text, const char *last_text) {
  char id[2 * RV_OID_LEN + 1], t[17];
  jv_t *o = jv_obj(), *tags = jv_arr();
  cli_oid(id, &e->id);
  rv_wall_format(t, e->at_ms);
  jv_set(o, "id", jv_str(id));
  jv_set(o, "at", jv_str(t));
  if (text)
    jv_set(o, "text", jv_str(text));
  for (size_t i = 0; i < e->ntags; i++)
    jv_push(tags, jv_str(e->tags[i]));
  jv_set(o, "tags", tags);
  jv_set(o, "starred", jv_bool(e->starred));
  if (last_text)
    jv_set(o, "text", jv_str(last_text));
  return o;
}

jv_t *cli_journal_entry_json(const rv_entry_t *e) { return entry_json(e, e->text, NULL); }

jv_t *cli_journal_entry_brief(const rv_entry_t *e, const char *text) {
  return entry_json(e, NULL, text);
}

int cli_journal_json_entry(const jv_t *x, rv_jrnl_entry_t *j, const char ***ret_tags,
                           const char **ret_why) {
  const jv_t *tags = jv_get(x, "tags");
  memset(j, 0, sizeof *j);
  *ret_tags = NULL;
  if (!jv_is_object(x)) {
    *ret_why = "not an object";
    return RV_EFORMAT;
  }
  j->title = jv_string(jv_get(x, "title"));
  j->body = jv_string(jv_get(x, "body"));
  j->date = jv_string(jv_get(x, "date"));
  j->time = jv_string(jv_get(x, "time"));
  if (!j->title && !j->date) { /* revans's own */
    j->title = jv_string(jv_get(x, "text"));
    j->date = jv_string(jv_get(x, "at"));
  }
  j->starred = jv_is_true(jv_get(x, "starred"));
  size_t n = jv_is_array(tags) ? jv_len(tags) : 0;
  if (n && !(*ret_tags = calloc(n, sizeof **ret_tags))) {
    *ret_why = "out of memory";
    return RV_ENOMEM;
  }
  for (size_t i = 0; i < n; i++)
    if (!((*ret_tags)[i] = jv_string(jv_at(tags, i)))) {
      *ret_why = "a tag is not a string";
      return RV_EFORMAT;
    }
  j->tags = *ret_tags;
  j->ntags = n;
  return 0;
}

/* jrnl's JSON export of one entry. */
static jv_t *jrnl_json(const rv_entry_t *e) {
  rv_jrnl_view_t v;
  if (rv_jrnl_view_init(&v, e) < 0)
    return NULL;
  jv_t *o = jv_obj(), *tags = jv_arr();
  jv_set(o, "title", jv_str(v.title));
  jv_set(o, "body", jv_str(v.body));
  jv_set(o, "date", jv_str(v.date));
  jv_set(o, "time", jv_str(v.time));
  for (size_t i = 0; i < e->ntags; i++)
    jv_push(tags, jv_str(e->tags[i]));
  jv_set(o, "tags", tags);
  jv_set(o, "starred", jv_bool(e->starred));
  rv_jrnl_view_release(&v);
  return o;
}

/* ---- tag counts -------------------------------------------------------- */

typedef struct tally {
  cli_tag_count_t *v;
  size_t n;
} tally_t;

static int tally_one(void *ctx, const rv_entry_t *e) {
  tally_t *t = ctx;
  for (size_t i = 0; i < e->ntags; i++) {
    size_t j = 0;
    while (j < t->n && strcmp(t->v[j].tag, e->tags[i]) != 0)
      j++;
    if (j == t->n) {
      cli_tag_count_t *v = realloc(t->v, (t->n + 1) * sizeof *v);
      if (!v)
        return RV_ENOMEM;
      t->v = v;
      if (!(v[t->n].tag = strdup(e->tags[i])))
        return RV_ENOMEM;
      v[t->n++].n = 0;
    }
    t->v[j].n++;
  }
  return 0;
}

static int by_count(const void *a, const void *b) {
  const cli_tag_count_t *x = a, *y = b;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

int cli_journal_tag_counts(rv_home_t *h, cli_tag_count_t **ret, size_t *ret_n) {
  tally_t t = {0};
  int r = rv_journal_each(h, tally_one, &t);
  if (r < 0) {
    cli_tag_counts_free(t.v, t.n);
    return r;
  }
  if (t.n)
    qsort(t.v, t.n, sizeof *t.v, by_count);
  *ret = t.v;
  *ret_n = t.n;
  return 0;
}

void cli_tag_counts_free(cli_tag_count_t *v, size_t n) {
  for (size_t i = 0; i < n; i++)
    free(v[i].tag);
  free(v);
}

/* ---- export ------------------------------------------------------------ */

typedef struct exporter {
  const char *format;
  rv_buf_t text; /* md, txt, jrnl-txt */
  jv_t *entries; /* json, jrnl-json */
  size_t n;
} exporter_t;

static int put_str(rv_buf_t *b, const char *s) { return rv_buf_append(b, s, strlen(s)); }

static int export_md(rv_buf_t *b, const rv_entry_t *e) {
  char t[17];
  rv_wall_format(t, e->at_ms);
  int r = put_str(b, "## ") | put_str(b, t) | put_str(b, e->starred ? " *\n\n" : "\n\n") |
          put_str(b, e->text) | put_str(b, "\n");
  if (e->ntags) {
    r |= put_str(b, "\nTags:");
    for (size_t k = 0; k < e->ntags; k++)
      r |= put_str(b, " ") | put_str(b, e->tags[k]);
    r |= put_str(b, "\n");
  }
  return r | put_str(b, "\n");
}

static int export_one(exporter_t *x, const rv_entry_t *e) {
  jv_t *o = NULL;
  int r = 0;
  if (strcmp(x->format, "json") == 0)
    o = cli_journal_entry_json(e);
  else if (strcmp(x->format, "jrnl-json") == 0)
    o = jrnl_json(e);
  else if (strcmp(x->format, "md") == 0)
    r = export_md(&x->text, e);
  else
    r = rv_jrnl_txt_append(&x->text, e, x->n == 0);
  if (x->entries && !o)
    return RV_ENOMEM;
  if (o)
    jv_push(x->entries, o);
  x->n++;
  return r < 0 ? RV_ENOMEM : 0;
}

/* The JSON document of a JSON format, into x->text. */
static int export_finish(exporter_t *x, rv_home_t *h) {
  jv_t *doc = x->entries;
  if (!doc)
    return 0;
  x->entries = NULL;
  if (strcmp(x->format, "jrnl-json") == 0) {
    cli_tag_count_t *v = NULL;
    size_t n = 0;
    jv_t *tags = jv_obj();
    int r = cli_journal_tag_counts(h, &v, &n);
    for (size_t i = 0; r == 0 && i < n; i++)
      jv_set(tags, v[i].tag, jv_int((int64_t)v[i].n));
    cli_tag_counts_free(v, n);
    doc = jv_set(jv_set(jv_obj(), "tags", tags), "entries", doc);
    if (r < 0) {
      jv_free(doc);
      return r;
    }
  }
  char *s = jv_dump(doc);
  jv_free(doc);
  int r = s ? put_str(&x->text, s) : RV_ENOMEM;
  free(s);
  return r < 0 ? RV_ENOMEM : 0;
}

static int export_entries(cli_t *c, exporter_t *x) {
  rv_journal_query_t all = {0};
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
  int r = rv_journal_query(c->home, &all, &hits, &n);
  for (size_t i = 0; r == 0 && i < n; i++) {
    rv_entry_t e;
    if ((r = rv_journal_get(c->home, &hits[i].id, &e)) == 0) {
      r = export_one(x, &e);
      rv_entry_release(&e);
    }
  }
  free(hits);
  return r < 0 ? r : export_finish(x, c->home);
}

int cli_journal_export(cli_t *c) {
  static const char *const formats[] = {"json", "md", "txt", "jrnl-json", "jrnl-txt"};
  const char *out = cli_opt(c, "out");
  exporter_t x = {.format = cli_opt(c, "format") ? cli_opt(c, "format") : "json"};
  bool known = false;
  if (cli_no_args(c))
    return 2;
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    known = known || strcmp(x.format, formats[i]) == 0;
  if (!known)
    return cli_usage(c, "--format must be json, md, txt, jrnl-json or jrnl-txt");
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  rv_buf_init(&x.text);
  if (strcmp(x.format, "json") == 0 || strcmp(x.format, "jrnl-json") == 0)
    x.entries = jv_arr();
  int r = export_entries(c, &x);
  jv_free(x.entries);
  /* The export is plaintext, where the person asks for it. */
  if (r < 0)
    r = cli_error(r, "cannot read the journal");
  else if (out)
    r = cli_write_file(c, out, x.text.data, x.text.len);
  else if (x.text.len && fwrite(x.text.data, 1, x.text.len, stdout) != x.text.len)
    r = cli_fail("cannot write the output");
  rv_buf_release(&x.text);
  return r;
}

/* ---- import ------------------------------------------------------------ */

typedef struct importer {
  rv_journal_import_t *im;
  size_t added, here, skipped;
} importer_t;

/* Imports j (mapped: 0, or why it could not be read), or reports why it
 * is skipped. Only an error that ends the import is returned. */
static int import_one(importer_t *x, const rv_jrnl_entry_t *j, size_t index, int mapped,
                      const char *why) {
  rv_entry_t e;
  bool added = false;
  memset(&e, 0, sizeof e);
  int r = mapped < 0 ? mapped : rv_jrnl_to_entry(j, &e, &why);
  if (r == 0 && (r = rv_journal_import_put(x->im, &e, &added)) == RV_EINVAL)
    rv_entry_check(&e, &why);
  rv_entry_release(&e);
  if (r < 0 && r != RV_EINVAL && r != RV_EFORMAT)
    return r;
  if (r < 0) {
    cli_fail("entry %zu skipped: %s", index + 1, why);
    x->skipped++;
  } else if (added) {
    x->added++;
  } else {
    x->here++;
  }
  return 0;
}

static int import_txt_entry(void *ctx, const rv_jrnl_entry_t *j, size_t index) {
  return import_one(ctx, j, index, 0, NULL);
}

static int import_json(importer_t *x, const char *name, const rv_buf_t *file) {
  char err[256];
  jv_t *doc = jv_parse((const char *)file->data, file->len, err, sizeof err);
  if (!doc)
    return cli_fail("'%s' is not JSON: %s", name, err);
  const jv_t *entries = jv_is_array(doc) ? doc : jv_get(doc, "entries");
  if (!jv_is_array(entries)) {
    jv_free(doc);
    return cli_fail("'%s' is neither jrnl's JSON export nor revans's", name);
  }
  int r = 0;
  for (size_t i = 0; r == 0 && i < jv_len(entries); i++) {
    rv_jrnl_entry_t j;
    const char **tags = NULL, *why = NULL;
    int mapped = cli_journal_json_entry(jv_at(entries, i), &j, &tags, &why);
    r = mapped == RV_ENOMEM ? mapped : import_one(x, &j, i, mapped, why);
    free(tags);
  }
  jv_free(doc);
  return r < 0 ? cli_error(r, "cannot import '%s'", name) : 0;
}

/* jrnl's plain-text file. A byte-order mark (Windows editors write one)
 * is passed over; text before the first entry is reported as skipped, and
 * a file with no entry at all is refused: it is not a jrnl journal. */
static int import_txt(importer_t *x, const char *name, const rv_buf_t *file) {
  const char *text = (const char *)file->data;
  size_t len = file->len, before = 0, blank = 0;
  if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
    text += 3;
    len -= 3;
  }
  size_t seen = x->added + x->here + x->skipped;
  int r = rv_jrnl_txt_parse(text, len, import_txt_entry, x, &before);
  if (r < 0)
    return cli_error(r, "cannot import '%s'", name);
  while (blank < before && text[blank] && strchr(" \t\r\n", text[blank]))
    blank++;
  if (x->added + x->here + x->skipped == seen && blank < len)
    return cli_fail("no entry in '%s': jrnl's entries open with [YYYY-MM-DD HH:MM] at a line's"
                    " start",
                    name);
  if (blank < before) {
    cli_fail("the text before the first entry of '%s' skipped (%zu bytes)", name, before);
    x->skipped++;
  }
  return 0;
}

/* The whole of standard input into b. */
static int read_stdin(rv_buf_t *b) {
  for (;;) {
    if (b->len == b->cap && rv_buf_reserve(b, 65536) < 0)
      return cli_fail("cannot read standard input: out of memory");
    ssize_t n = read(STDIN_FILENO, b->data + b->len, b->cap - b->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return cli_fail("cannot read standard input: %s", strerror(errno));
    if (n == 0)
      return 0;
    b->len += (size_t)n;
    if (b->len > IMPORT_MAX)
      return cli_fail("cannot read standard input: larger than %zu bytes", IMPORT_MAX);
  }
}

static int import_file(cli_t *c, bool txt, const rv_buf_t *file) {
  importer_t x = {0};
  const char *name = strcmp(c->pos[0], "-") == 0 ? "standard input" : c->pos[0];
  if (cli_open(c, true) || cli_begin(c, true))
    return 1;
  int r = rv_journal_import_new(c->home, &x.im);
  if (r < 0) {
    rv_home_abort(c->home);
    return cli_error(r, "cannot read the journal");
  }
  r = txt ? import_txt(&x, name, file) : import_json(&x, name, file);
  rv_journal_import_destroy(&x.im);
  if (r) {
    rv_home_abort(c->home);
    return r;
  }
  if ((r = cli_commit(c)))
    return r;
  jv_t *o = jv_obj();
  jv_set(o, "added", jv_int((int64_t)x.added));
  jv_set(o, "already_here", jv_int((int64_t)x.here));
  jv_set(o, "skipped", jv_int((int64_t)x.skipped));
  r = cli_emit(c, o);
  return r ? r : x.skipped ? 1 : 0;
}

int cli_journal_import(cli_t *c) {
  const char *format = cli_opt(c, "format");
  rv_buf_t file;
  if (c->npos != 1)
    return cli_usage(c, "journal import needs FILE (or - for standard input)");
  if (format && strcmp(format, "json") && strcmp(format, "jrnl-json") && strcmp(format, "jrnl-txt"))
    return cli_usage(c, "--format must be json, jrnl-json or jrnl-txt");
  rv_buf_init(&file);
  int r =
      strcmp(c->pos[0], "-") == 0 ? read_stdin(&file) : cli_read_file(c->pos[0], IMPORT_MAX, &file);
  if (r == 0)
    r = import_file(c, format && strcmp(format, "jrnl-txt") == 0, &file);
  rv_buf_release(&file);
  return r;
}
