/*
 * The private journal's storage: one sealed box per entry in the journal
 * database, keyed by the entry's random id. The box holds a msgpack array
 * [1, at_ms, made_ms, text, [tags], meeting or nil, source]; it is sealed
 * under the home's local key with "revans journal v1" and the id as
 * associated data, so that no box can be moved to another id unnoticed.
 */
#include "internal.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/journal.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define AD_JOURNAL "revans journal v1"

static size_t journal_ad(uint8_t ad[64], const rv_oid_t *id) {
  size_t n = strlen(AD_JOURNAL);
  memcpy(ad, AD_JOURNAL, n);
  memcpy(ad + n, id->b, RV_OID_LEN);
  return n + RV_OID_LEN;
}

static bool tag_ok(const char *t) {
  size_t n = t ? strlen(t) : 0;
  return n > 0 && n <= RV_JOURNAL_TAG_MAX;
}

int rv_journal_put(rv_home_t *h, const rv_entry_t *e) {
  uint8_t ad[64];
  rv_buf_t box;
  size_t n;
  int r;
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if (!e->text || !e->text[0] || strlen(e->text) > RV_JOURNAL_TEXT_MAX ||
      e->ntags > RV_JOURNAL_TAGS_MAX)
    return RV_EINVAL;
  for (size_t i = 0; i < e->ntags; i++)
    if (!tag_ok(e->tags[i]))
      return RV_EINVAL;
  rv_enc_reset(h->enc2);
  rv_enc_array(h->enc2, 7);
  rv_enc_uint(h->enc2, 1);
  rv_enc_uint(h->enc2, e->at_ms);
  rv_enc_uint(h->enc2, e->made_ms);
  rv_enc_cstr(h->enc2, e->text);
  rv_enc_array(h->enc2, (uint32_t)e->ntags);
  for (size_t i = 0; i < e->ntags; i++)
    rv_enc_cstr(h->enc2, e->tags[i]);
  if (e->has_meeting) {
    rv_enc_array(h->enc2, 2);
    rv_enc_bin(h->enc2, e->set.b, RV_SETID_LEN);
    rv_enc_bin(h->enc2, e->meeting.b, RV_OID_LEN);
  } else {
    rv_enc_nil(h->enc2);
  }
  rv_enc_bin(h->enc2, e->source.b, RV_HASH_LEN);
  const uint8_t *p = rv_enc_data(h->enc2, &n);
  rv_buf_init(&box);
  size_t adn = journal_ad(ad, &e->id);
  if ((r = rv_enc_status(h->enc2)) == 0 && (r = rv_box_seal(&box, p, n, ad, adn, h->sec->local)) == 0)
    r = rv_put(h->txn, RV_DB_JOURNAL, e->id.b, RV_OID_LEN, box.data, box.len);
  rv_enc_wipe(h->enc2);
  rv_buf_release_public(&box);
  return r;
}

void rv_entry_release(rv_entry_t *e) {
  if (e->text) {
    rv_wipe(e->text, strlen(e->text));
    free(e->text);
  }
  for (size_t i = 0; i < e->ntags; i++)
    free(e->tags[i]);
  free(e->tags);
  memset(e, 0, sizeof *e);
}

/* Reused across the entries of one walk, so that reading the journal
 * allocates nothing per entry: the opened box, and the text and tags copied
 * out of it with their terminating NULs. */
typedef struct scratch {
  rv_buf_t plain;
  rv_buf_t strings;
  char *tags[RV_JOURNAL_TAGS_MAX];
} scratch_t;

static void scratch_release(scratch_t *s) {
  rv_buf_release(&s->plain);
  rv_buf_release(&s->strings);
}

/* The offset in s->strings of a NUL-terminated copy of the string v. */
static int copy_str(scratch_t *s, rv_val_t v, size_t max, size_t *ret) {
  const char *p;
  size_t n;
  if (rv_val_str(v, &p, &n) < 0 || n > max || memchr(p, '\0', n))
    return RV_ECORRUPT;
  *ret = s->strings.len;
  if (rv_buf_append(&s->strings, p, n) < 0 || rv_buf_append(&s->strings, "", 1) < 0)
    return RV_ENOMEM;
  return 0;
}

/* Opens and decodes one stored box into ret, whose text and tags point
 * into s until the next call. */
static int open_entry(rv_home_t *h, const rv_oid_t *id, const uint8_t *v, size_t vn, scratch_t *s,
                      rv_entry_t *ret) {
  uint8_t ad[64];
  size_t text_at, tag_at[RV_JOURNAL_TAGS_MAX];
  rv_val_t a, f;
  uint64_t ver;
  rv_entry_t e;
  int r = RV_ECORRUPT;
  memset(&e, 0, sizeof e);
  e.id = *id;
  rv_buf_clear(&s->plain);
  rv_buf_clear(&s->strings);
  size_t adn = journal_ad(ad, id);
  if (rv_box_open(&s->plain, v, vn, ad, adn, h->sec->local) < 0)
    return RV_ECORRUPT;
  if (rv_dec_parse(h->dec, s->plain.data, s->plain.len, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) != 7 || rv_val_at(a, 0, &f) < 0 || rv_val_uint(f, &ver) < 0 || ver != 1 ||
      rv_val_at(a, 1, &f) < 0 || rv_val_uint(f, &e.at_ms) < 0 || rv_val_at(a, 2, &f) < 0 ||
      rv_val_uint(f, &e.made_ms) < 0 || rv_val_at(a, 3, &f) < 0 ||
      (r = copy_str(s, f, RV_JOURNAL_TEXT_MAX, &text_at)) < 0 || rv_val_at(a, 4, &f) < 0 ||
      rv_val_kind(f) != RV_K_ARRAY || rv_val_len(f) > RV_JOURNAL_TAGS_MAX)
    goto fail;
  e.ntags = rv_val_len(f);
  for (uint32_t i = 0; i < e.ntags; i++) {
    rv_val_t t;
    if (rv_val_at(f, i, &t) < 0 || (r = copy_str(s, t, RV_JOURNAL_TAG_MAX, &tag_at[i])) < 0)
      goto fail;
  }
  r = RV_ECORRUPT;
  if (rv_val_at(a, 5, &f) < 0)
    goto fail;
  if (rv_val_kind(f) != RV_K_NIL) {
    rv_val_t x;
    if (rv_val_len(f) != 2 || rv_val_at(f, 0, &x) < 0 ||
        rv_val_bin_fixed(x, e.set.b, RV_SETID_LEN) < 0 || rv_val_at(f, 1, &x) < 0 ||
        rv_val_bin_fixed(x, e.meeting.b, RV_OID_LEN) < 0)
      goto fail;
    e.has_meeting = true;
  }
  if (rv_val_at(a, 6, &f) < 0 || rv_val_bin_fixed(f, e.source.b, RV_HASH_LEN) < 0)
    goto fail;
  /* The strings are placed now that s->strings no longer moves. */
  e.text = (char *)s->strings.data + text_at;
  for (size_t i = 0; i < e.ntags; i++)
    s->tags[i] = (char *)s->strings.data + tag_at[i];
  e.tags = e.ntags ? s->tags : NULL;
  rv_wipe(s->plain.data, s->plain.len);
  *ret = e;
  return 0;
fail:
  rv_wipe(s->plain.data, s->plain.len);
  return r;
}

/* A copy of e that the caller owns. */
static int entry_copy(const rv_entry_t *e, rv_entry_t *ret) {
  rv_entry_t d = *e;
  d.text = strdup(e->text);
  d.tags = e->ntags ? calloc(e->ntags, sizeof *d.tags) : NULL;
  d.ntags = 0;
  if (!d.text || (e->ntags && !d.tags)) {
    rv_entry_release(&d);
    return RV_ENOMEM;
  }
  for (size_t i = 0; i < e->ntags; i++) {
    if (!(d.tags[i] = strdup(e->tags[i]))) {
      rv_entry_release(&d);
      return RV_ENOMEM;
    }
    d.ntags = i + 1;
  }
  *ret = d;
  return 0;
}

int rv_journal_get(rv_home_t *h, const rv_oid_t *id, rv_entry_t *ret) {
  const uint8_t *v;
  size_t vn;
  scratch_t s;
  rv_entry_t e;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  int r = rv_get(h->txn, RV_DB_JOURNAL, id->b, RV_OID_LEN, &v, &vn);
  if (r < 0)
    return r;
  memset(&s, 0, sizeof s);
  rv_buf_init(&s.plain);
  rv_buf_init(&s.strings);
  if ((r = open_entry(h, id, v, vn, &s, &e)) == 0)
    r = entry_copy(&e, ret);
  scratch_release(&s);
  return r;
}

int rv_journal_delete(rv_home_t *h, const rv_oid_t *id) {
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  return rv_del(h->txn, RV_DB_JOURNAL, id->b, RV_OID_LEN);
}

int rv_journal_each(rv_home_t *h, rv_entry_cb cb, void *ctx) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  scratch_t s;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv_cursor_open(h->txn, RV_DB_JOURNAL, &cur)) < 0)
    return r;
  memset(&s, 0, sizeof s);
  rv_buf_init(&s.plain);
  rv_buf_init(&s.strings);
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    rv_entry_t e;
    rv_oid_t id;
    if (kv.kn != RV_OID_LEN) {
      r = RV_ECORRUPT;
      break;
    }
    memcpy(id.b, kv.k, RV_OID_LEN);
    if ((r = open_entry(h, &id, kv.v, kv.vn, &s, &e)) < 0)
      break;
    if ((r = cb(ctx, &e)) != 0)
      break;
  }
  rv_cursor_close(&cur);
  scratch_release(&s);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_journal_find(rv_home_t *h, const char *prefix, rv_oid_t *ret) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  size_t len = strlen(prefix), found = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if (len == 0 || len > 2 * RV_OID_LEN)
    return RV_ENOTFOUND;
  if ((r = rv_cursor_open(h->txn, RV_DB_JOURNAL, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    char hex[2 * RV_OID_LEN + 1];
    if (kv.kn != RV_OID_LEN)
      continue;
    rv_hex(hex, kv.k, RV_OID_LEN);
    if (strncmp(hex, prefix, len) == 0) {
      memcpy(ret->b, kv.k, RV_OID_LEN);
      found++;
    }
  }
  rv_cursor_close(&cur);
  if (r != RV_ENOTFOUND)
    return r;
  return found == 1 ? 0 : found ? RV_EAMBIG : RV_ENOTFOUND;
}

/* ---- queries ---------------------------------------------------------- */

typedef struct query_walk {
  const rv_journal_query_t *q;
  char **words;   /* lower case */
  rv_buf_t lower; /* the entry's text in lower case */
  rv_journal_hit_t *v;
  size_t n, cap;
} query_walk_t;

/* ASCII letters in lower case; every other byte (UTF-8 too) as it is. */
static void lower_copy(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)src[i];
    dst[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
  }
  dst[n] = '\0';
}

static bool has_tag(const rv_entry_t *e, const char *t) {
  if (t[0] == '@')
    t++;
  for (size_t i = 0; i < e->ntags; i++)
    if (strcasecmp(e->tags[i], t) == 0)
      return true;
  return false;
}

static bool hit_before(const rv_journal_hit_t *x, const rv_journal_hit_t *y) {
  if (x->at_ms != y->at_ms)
    return x->at_ms < y->at_ms;
  return memcmp(x->id.b, y->id.b, RV_OID_LEN) < 0;
}

static int by_time(const void *a, const void *b) {
  return hit_before(a, b) ? -1 : hit_before(b, a) ? 1 : 0;
}

/* With a limit, w->v is a heap whose root is the oldest hit kept: a newer
 * hit replaces it and sinks to its place. */
static void heap_sift_down(rv_journal_hit_t *v, size_t n, size_t i) {
  for (;;) {
    size_t l = 2 * i + 1, m = i;
    if (l < n && hit_before(&v[l], &v[m]))
      m = l;
    if (l + 1 < n && hit_before(&v[l + 1], &v[m]))
      m = l + 1;
    if (m == i)
      return;
    rv_journal_hit_t t = v[i];
    v[i] = v[m];
    v[m] = t;
    i = m;
  }
}

static void heap_sift_up(rv_journal_hit_t *v, size_t i) {
  while (i > 0 && hit_before(&v[i], &v[(i - 1) / 2])) {
    rv_journal_hit_t t = v[i];
    v[i] = v[(i - 1) / 2];
    v[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}

static int query_one(void *ctx, const rv_entry_t *e) {
  query_walk_t *w = ctx;
  const rv_journal_query_t *q = w->q;
  if (e->at_ms < q->since || (q->until && e->at_ms > q->until))
    return 0;
  for (size_t i = 0; i < q->ntags; i++)
    if (!has_tag(e, q->tags[i]))
      return 0;
  if (q->nwords) {
    size_t n = strlen(e->text);
    rv_buf_clear(&w->lower);
    if (rv_buf_reserve(&w->lower, n + 1) < 0)
      return RV_ENOMEM;
    lower_copy((char *)w->lower.data, e->text, n);
    for (size_t i = 0; i < q->nwords; i++)
      if (!strstr((const char *)w->lower.data, w->words[i]) && !has_tag(e, w->words[i]))
        return 0;
  }
  rv_journal_hit_t hit = {e->at_ms, e->id};
  if (q->limit && w->n == q->limit) {
    if (hit_before(&hit, &w->v[0]))
      return 0;
    w->v[0] = hit;
    heap_sift_down(w->v, w->n, 0);
    return 0;
  }
  if (w->n == w->cap) {
    size_t cap = w->cap ? 2 * w->cap : 256;
    if (q->limit && cap > q->limit)
      cap = q->limit;
    rv_journal_hit_t *v = realloc(w->v, cap * sizeof *v);
    if (!v)
      return RV_ENOMEM;
    w->v = v;
    w->cap = cap;
  }
  w->v[w->n++] = hit;
  if (q->limit)
    heap_sift_up(w->v, w->n - 1);
  return 0;
}

int rv_journal_query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret,
                     size_t *ret_n) {
  query_walk_t w;
  int r = 0;
  memset(&w, 0, sizeof w);
  w.q = q;
  rv_buf_init(&w.lower);
  if (q->nwords && !(w.words = calloc(q->nwords, sizeof *w.words)))
    return RV_ENOMEM;
  for (size_t i = 0; i < q->nwords && r == 0; i++) {
    size_t n = strlen(q->words[i]);
    if ((w.words[i] = malloc(n + 1)))
      lower_copy(w.words[i], q->words[i], n);
    else
      r = RV_ENOMEM;
  }
  if (r == 0)
    r = rv_journal_each(h, query_one, &w);
  for (size_t i = 0; i < q->nwords; i++)
    if (w.words[i]) {
      rv_wipe(w.words[i], strlen(w.words[i]));
      free(w.words[i]);
    }
  free(w.words);
  rv_buf_release(&w.lower);
  if (r < 0) {
    free(w.v);
    return r;
  }
  if (w.n)
    qsort(w.v, w.n, sizeof *w.v, by_time);
  *ret = w.v;
  *ret_n = w.n;
  return 0;
}
