/*
 * Import de-duplication (journal.h): the sources already in the journal,
 * counted, in an open-addressing hash table; an entry is added while the
 * file has held it more times than the journal does.
 */
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/journal.h"

#include <stdlib.h>
#include <string.h>

typedef struct slot {
  rv_hash_t source;
  size_t have; /* entries in the journal with this source */
  size_t met;  /* entries of this import with it, so far */
  bool used;
} slot_t;

struct rv_journal_import {
  rv_home_t *home;
  slot_t *v;
  size_t n, cap; /* cap a power of two, at least twice n */
  uint64_t now;
};

static size_t slot_of(const slot_t *v, size_t cap, const rv_hash_t *hash) {
  size_t i = 0;
  for (int k = 0; k < 8; k++)
    i = i << 8 | hash->b[k];
  i &= cap - 1;
  while (v[i].used && memcmp(v[i].source.b, hash->b, RV_HASH_LEN) != 0)
    i = (i + 1) & (cap - 1);
  return i;
}

static int grow(rv_journal_import_t *im) {
  size_t cap = im->cap ? 2 * im->cap : 1024;
  slot_t *v = calloc(cap, sizeof *v);
  if (!v)
    return RV_ENOMEM;
  for (size_t i = 0; i < im->cap; i++)
    if (im->v[i].used)
      v[slot_of(v, cap, &im->v[i].source)] = im->v[i];
  free(im->v);
  im->v = v;
  im->cap = cap;
  return 0;
}

/* The slot of hash, made when missing. */
static int lookup(rv_journal_import_t *im, const rv_hash_t *hash, slot_t **ret) {
  int r;
  if (2 * (im->n + 1) > im->cap && (r = grow(im)) < 0)
    return r;
  slot_t *s = &im->v[slot_of(im->v, im->cap, hash)];
  if (!s->used) {
    memset(s, 0, sizeof *s);
    s->source = *hash;
    s->used = true;
    im->n++;
  }
  *ret = s;
  return 0;
}

static int source_of(const rv_entry_t *e, rv_hash_t *ret);

/* An imported entry counts under its source, and under the hash of what
 * it holds now where that differs: so that an entry imported before this
 * hash (encoding version 1) still counts as imported. An entry written
 * here counts under the hash of what it holds: importing one's own export
 * again adds nothing. */
static int count_source(void *ctx, const rv_entry_t *e) {
  static const rv_hash_t zero;
  rv_hash_t now;
  slot_t *s;
  int r;
  if (memcmp(e->source.b, zero.b, RV_HASH_LEN) == 0) {
    if ((r = source_of(e, &now)) == 0 && (r = lookup(ctx, &now, &s)) == 0)
      s->have++;
    return r;
  }
  r = lookup(ctx, &e->source, &s);
  if (r == 0) {
    s->have++;
    r = source_of(e, &now);
  }
  if (r == 0 && memcmp(now.b, e->source.b, RV_HASH_LEN) != 0 && (r = lookup(ctx, &now, &s)) == 0)
    s->have++;
  return r;
}

/* The hash of what was imported: the time to the minute (as jrnl writes
 * it), the text, the tags in sorted order, the star. */
static int by_str(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int source_of(const rv_entry_t *e, rv_hash_t *ret) {
  static const char domain[] = "revans journal import v2";
  rv_hash_state_t st;
  uint8_t at[8];
  char **tags = e->ntags ? malloc(e->ntags * sizeof *tags) : NULL;
  if (e->ntags && !tags)
    return RV_ENOMEM;
  if (e->ntags) { /* memcpy and qsort take no NULL, even for no items */
    memcpy(tags, e->tags, e->ntags * sizeof *tags);
    qsort(tags, e->ntags, sizeof *tags, by_str);
  }
  int64_t minute = e->at_ms / RV_WALL_MINUTE_MS - (e->at_ms % RV_WALL_MINUTE_MS < 0);
  for (int i = 0; i < 8; i++)
    at[i] = (uint8_t)((uint64_t)minute >> (56 - 8 * i));
  rv_hash_init(&st);
  rv_hash_update(&st, domain, sizeof domain);
  rv_hash_update(&st, at, sizeof at);
  rv_hash_update(&st, e->text, strlen(e->text) + 1);
  for (size_t i = 0; i < e->ntags; i++)
    rv_hash_update(&st, tags[i], strlen(tags[i]) + 1);
  rv_hash_update(&st, e->starred ? "*" : "", 1);
  rv_hash_final(&st, ret->b);
  free(tags);
  return 0;
}

int rv_journal_import_new(rv_home_t *h, rv_journal_import_t **ret) {
  rv_journal_import_t *im = calloc(1, sizeof *im);
  if (!im)
    return RV_ENOMEM;
  im->home = h;
  im->now = rv_now_ms();
  int r = rv_journal_each(h, count_source, im);
  if (r < 0) {
    rv_journal_import_destroy(&im);
    return r;
  }
  *ret = im;
  return 0;
}

int rv_journal_import_put(rv_journal_import_t *im, rv_entry_t *e, bool *ret_added) {
  rv_hash_t h;
  slot_t *s;
  int r = rv_entry_check(e, NULL);
  if (r < 0 || (r = source_of(e, &h)) < 0 || (r = lookup(im, &h, &s)) < 0)
    return r;
  if (++s->met <= s->have) {
    *ret_added = false;
    return 0;
  }
  e->source = h;
  e->made_ms = im->now;
  rv_random(e->id.b, RV_OID_LEN);
  if ((r = rv_journal_put(im->home, e)) < 0) {
    s->met--;
    return r;
  }
  *ret_added = true;
  return 0;
}

void rv_journal_import_destroy(rv_journal_import_t **p) {
  if (!*p)
    return;
  free((*p)->v);
  free(*p);
  *p = NULL;
}
