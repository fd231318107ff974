/*
 * The private journal's storage: one sealed box per entry in the journal
 * database, keyed by the entry's random id. The box holds a msgpack array
 * [2, at, made_ms, text, [tags], meeting or nil, source, starred], at the
 * wall-clock milliseconds as a 64-bit two's complement number; version 1
 * ([1, at_ms UTC, made_ms, text, [tags without '@'], meeting, source], a
 * star as the tag "starred") is still read. It is sealed under the home's local key with "revans
 * journal v1" and the id as associated data, so that no box can be moved to another id unnoticed.
 */
#include "internal.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/journal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define AD_JOURNAL "revans journal v1"

static size_t journal_ad(uint8_t ad[64], const rv_oid_t *id) {
  size_t n = strlen(AD_JOURNAL);
  memcpy(ad, AD_JOURNAL, n);
  memcpy(ad + n, id->b, RV_OID_LEN);
  return n + RV_OID_LEN;
}

#define ENTRY_VERSION 2

/* A signed time in a msgpack uint: two's complement, 64 bits. */
static uint64_t wall_to_uint(int64_t v) { return (uint64_t)v; }
static int64_t wall_from_uint(uint64_t u) {
  return u <= (uint64_t)INT64_MAX ? (int64_t)u : -(int64_t)(UINT64_MAX - u) - 1;
}

int rv_entry_check(const rv_entry_t *e, const char **ret_why) {
  const char *why = NULL;
  if (!e->text || !e->text[0])
    why = "the entry is empty";
  else if (strlen(e->text) > RV_JOURNAL_TEXT_MAX)
    why = "the entry is longer than 256 KiB";
  else if (!rv_utf8_valid(e->text, strlen(e->text)))
    why = "the entry is not valid UTF-8 text";
  else if (e->ntags > RV_JOURNAL_TAGS_MAX)
    why = "the entry has more than 64 tags";
  for (size_t i = 0; !why && i < e->ntags; i++) {
    size_t n = e->tags[i] ? strlen(e->tags[i]) : 0;
    if (n < 2 || n > RV_JOURNAL_TAG_MAX || (e->tags[i][0] != '@' && e->tags[i][0] != '#'))
      why = "a tag is empty, longer than 128 bytes or lacks its '@' or '#'";
    else if (!rv_utf8_valid(e->tags[i], n))
      why = "a tag is not valid UTF-8 text";
  }
  if (why && ret_why)
    *ret_why = why;
  return why ? RV_EINVAL : 0;
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
  if ((r = rv_entry_check(e, NULL)) < 0)
    return r;
  rv_enc_reset(h->enc_plain);
  rv_enc_array(h->enc_plain, 8);
  rv_enc_uint(h->enc_plain, ENTRY_VERSION);
  rv_enc_uint(h->enc_plain, wall_to_uint(e->at_ms));
  rv_enc_uint(h->enc_plain, e->made_ms);
  rv_enc_cstr(h->enc_plain, e->text);
  rv_enc_array(h->enc_plain, (uint32_t)e->ntags);
  for (size_t i = 0; i < e->ntags; i++)
    rv_enc_cstr(h->enc_plain, e->tags[i]);
  if (e->has_meeting) {
    rv_enc_array(h->enc_plain, 2);
    rv_enc_bin(h->enc_plain, e->set.b, RV_SETID_LEN);
    rv_enc_bin(h->enc_plain, e->meeting.b, RV_OID_LEN);
  } else {
    rv_enc_nil(h->enc_plain);
  }
  rv_enc_bin(h->enc_plain, e->source.b, RV_HASH_LEN);
  rv_enc_bool(h->enc_plain, e->starred);
  const uint8_t *p = rv_enc_data(h->enc_plain, &n);
  rv_buf_init(&box);
  size_t adn = journal_ad(ad, &e->id);
  if ((r = rv_enc_status(h->enc_plain)) == 0 &&
      (r = rv_box_seal(&box, p, n, ad, adn, h->sec->local)) == 0)
    r = rv_put(h->txn, RV_DB_JOURNAL, e->id.b, RV_OID_LEN, box.data, box.len);
  rv_enc_wipe(h->enc_plain);
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

/* The offset in s->strings of a NUL-terminated copy of the string v, after
 * prefix (NULL for none). */
static int copy_str(scratch_t *s, rv_val_t v, size_t max, const char *prefix, size_t *ret) {
  const char *p;
  size_t n, pn = prefix ? strlen(prefix) : 0;
  if (rv_val_str(v, &p, &n) < 0 || n > max || memchr(p, '\0', n))
    return RV_ECORRUPT;
  *ret = s->strings.len;
  if (rv_buf_append(&s->strings, prefix, pn) < 0 || rv_buf_append(&s->strings, p, n) < 0 ||
      rv_buf_append(&s->strings, "", 1) < 0)
    return RV_ENOMEM;
  return 0;
}

/* The fields after the text: tags, meeting, source and (version 2) the
 * star, into e; the tags' offsets into tag_at. */
static int decode_rest(scratch_t *s, rv_val_t a, uint64_t ver, rv_entry_t *e,
                       size_t tag_at[RV_JOURNAL_TAGS_MAX]) {
  rv_val_t f, x;
  int r;
  if (rv_val_at(a, 4, &f) < 0 || rv_val_kind(f) != RV_K_ARRAY ||
      rv_val_len(f) > RV_JOURNAL_TAGS_MAX)
    return RV_ECORRUPT;
  /* Version 1 kept a star as the tag "starred". */
  for (uint32_t i = 0; i < rv_val_len(f); i++) {
    if (rv_val_at(f, i, &x) < 0)
      return RV_ECORRUPT;
    if (ver == 1 && rv_val_is_str(x, "starred")) {
      e->starred = true;
      continue;
    }
    if ((r = copy_str(s, x, RV_JOURNAL_TAG_MAX - (ver == 1), ver == 1 ? "@" : NULL,
                      &tag_at[e->ntags++])) < 0)
      return r;
  }
  if (rv_val_at(a, 5, &f) < 0)
    return RV_ECORRUPT;
  if (rv_val_kind(f) != RV_K_NIL) {
    if (rv_val_len(f) != 2 || rv_val_at(f, 0, &x) < 0 ||
        rv_val_bin_fixed(x, e->set.b, RV_SETID_LEN) < 0 || rv_val_at(f, 1, &x) < 0 ||
        rv_val_bin_fixed(x, e->meeting.b, RV_OID_LEN) < 0)
      return RV_ECORRUPT;
    e->has_meeting = true;
  }
  if (rv_val_at(a, 6, &f) < 0 || rv_val_bin_fixed(f, e->source.b, RV_HASH_LEN) < 0)
    return RV_ECORRUPT;
  if (ver == 2 && (rv_val_at(a, 7, &f) < 0 || rv_val_bool(f, &e->starred) < 0))
    return RV_ECORRUPT;
  return 0;
}

/* Decodes an opened box into e, whose strings are offsets in s until
 * placed by the caller. Version 1's UTC time reads as local wall-clock
 * time, its tags as '@' tags. */
static int decode_entry(rv_dec_t *dec, scratch_t *s, rv_entry_t *e, size_t *text_at,
                        size_t tag_at[RV_JOURNAL_TAGS_MAX]) {
  rv_val_t a, f;
  uint64_t ver, at;
  int r;
  if (rv_dec_parse(dec, s->plain.data, s->plain.len, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_at(a, 0, &f) < 0 || rv_val_uint(f, &ver) < 0)
    return RV_ECORRUPT;
  if ((ver != 1 || rv_val_len(a) != 7) && (ver != 2 || rv_val_len(a) != 8))
    return ver > ENTRY_VERSION ? RV_EVERSION : RV_ECORRUPT;
  if (rv_val_at(a, 1, &f) < 0 || rv_val_uint(f, &at) < 0 || rv_val_at(a, 2, &f) < 0 ||
      rv_val_uint(f, &e->made_ms) < 0 || rv_val_at(a, 3, &f) < 0)
    return RV_ECORRUPT;
  e->at_ms =
      ver == 1 ? rv_wall_from_utc_ms(at > INT64_MAX ? INT64_MAX : (int64_t)at) : wall_from_uint(at);
  if ((r = copy_str(s, f, RV_JOURNAL_TEXT_MAX, NULL, text_at)) < 0)
    return r;
  return decode_rest(s, a, ver, e, tag_at);
}

/* Opens and decodes one stored box into ret, whose text and tags point
 * into s until the next call. */
static int open_entry(const uint8_t key[RV_KEY_LEN], rv_dec_t *dec, const rv_oid_t *id,
                      const uint8_t *v, size_t vn, scratch_t *s, rv_entry_t *ret) {
  uint8_t ad[64];
  size_t text_at, tag_at[RV_JOURNAL_TAGS_MAX];
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  e.id = *id;
  rv_buf_clear(&s->plain);
  rv_buf_clear(&s->strings);
  size_t adn = journal_ad(ad, id);
  if (rv_box_open(&s->plain, v, vn, ad, adn, key) < 0)
    return RV_ECORRUPT;
  int r = decode_entry(dec, s, &e, &text_at, tag_at);
  rv_wipe(s->plain.data, s->plain.len);
  if (r < 0)
    return r;
  /* The strings are placed now that s->strings no longer moves. */
  e.text = (char *)s->strings.data + text_at;
  for (size_t i = 0; i < e.ntags; i++)
    s->tags[i] = (char *)s->strings.data + tag_at[i];
  e.tags = e.ntags ? s->tags : NULL;
  *ret = e;
  return 0;
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
  if ((r = open_entry(h->sec->local, h->dec, id, v, vn, &s, &e)) == 0)
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
    if ((r = open_entry(h->sec->local, h->dec, &id, kv.v, kv.vn, &s, &e)) < 0)
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

/* A query opens every box, and opening is most of its time (XChaCha20-
 * Poly1305 on a few hundred bytes costs about a microsecond), so the boxes
 * are shared out among threads, one per processor up to QUERY_THREADS;
 * each keeps its own matches, merged at the end. The boxes are read in
 * place from the store's map, valid while the caller's transaction is. */
#define QUERY_THREADS 4
#define QUERY_SHARE_MIN 2048 /* fewer boxes than this per thread: one thread */

typedef struct box_ref {
  rv_oid_t id;
  const uint8_t *v;
  size_t vn;
} box_ref_t;

/* One thread's share of the boxes and what it found. */
typedef struct share {
  const rv_journal_query_t *q;
  const uint8_t *key;
  char *const *words; /* lower case */
  const box_ref_t *boxes;
  size_t from, to;
  rv_buf_t lower; /* the entry's text in lower case */
  rv_journal_hit_t *v;
  size_t n, cap;
  int r;
} share_t;

/* ASCII letters in lower case; every other byte (UTF-8 too) as it is. */
static void lower_copy(char *dst, const char *src, size_t n) {
  for (size_t i = 0; i < n; i++) {
    unsigned char ch = (unsigned char)src[i];
    dst[i] = (char)(ch >= 'A' && ch <= 'Z' ? ch + ('a' - 'A') : ch);
  }
  dst[n] = '\0';
}

static bool hit_before(const rv_journal_hit_t *x, const rv_journal_hit_t *y) {
  if (x->at_ms != y->at_ms)
    return x->at_ms < y->at_ms;
  return memcmp(x->id.b, y->id.b, RV_OID_LEN) < 0;
}

static int by_time(const void *a, const void *b) {
  return hit_before(a, b) ? -1 : hit_before(b, a) ? 1 : 0;
}

/* With a limit, a share's hits are a heap whose root is the oldest kept: a
 * newer hit replaces it and sinks to its place. */
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

static bool matches(share_t *s, const rv_entry_t *e, int *ret_r) {
  const rv_journal_query_t *q = s->q;
  if ((q->has_since && e->at_ms < q->since) || (q->has_until && e->at_ms > q->until) ||
      (q->starred && !e->starred))
    return false;
  for (size_t i = 0; i < q->ntags; i++)
    if (!rv_entry_has_tag(e, q->tags[i]))
      return false;
  if (!q->nwords)
    return true;
  size_t n = strlen(e->text);
  rv_buf_clear(&s->lower);
  if (rv_buf_reserve(&s->lower, n + 1) < 0) {
    *ret_r = RV_ENOMEM;
    return false;
  }
  lower_copy((char *)s->lower.data, e->text, n);
  for (size_t i = 0; i < q->nwords; i++)
    if (!strstr((const char *)s->lower.data, s->words[i]) && !rv_entry_has_tag(e, s->words[i]))
      return false;
  return true;
}

static int keep_hit(share_t *s, const rv_entry_t *e) {
  size_t limit = s->q->limit;
  rv_journal_hit_t hit = {e->at_ms, e->id};
  if (limit && s->n == limit) {
    if (hit_before(&hit, &s->v[0]))
      return 0;
    s->v[0] = hit;
    heap_sift_down(s->v, s->n, 0);
    return 0;
  }
  if (s->n == s->cap) {
    size_t cap = s->cap ? 2 * s->cap : 256;
    if (limit && cap > limit)
      cap = limit;
    rv_journal_hit_t *v = realloc(s->v, cap * sizeof *v);
    if (!v)
      return RV_ENOMEM;
    s->v = v;
    s->cap = cap;
  }
  s->v[s->n++] = hit;
  if (limit)
    heap_sift_up(s->v, s->n - 1);
  return 0;
}

static void *run_share(void *arg) {
  share_t *s = arg;
  scratch_t sc;
  rv_dec_t *dec = NULL;
  memset(&sc, 0, sizeof sc);
  rv_buf_init(&sc.plain);
  rv_buf_init(&sc.strings);
  if ((s->r = rv_dec_new(&dec)) < 0)
    return NULL;
  for (size_t i = s->from; i < s->to && s->r == 0; i++) {
    rv_entry_t e;
    if ((s->r = open_entry(s->key, dec, &s->boxes[i].id, s->boxes[i].v, s->boxes[i].vn, &sc, &e)) <
        0)
      break;
    if (matches(s, &e, &s->r))
      s->r = keep_hit(s, &e);
  }
  rv_dec_destroy(&dec);
  scratch_release(&sc);
  return NULL;
}

/* Every box of the journal, in id order. */
static int list_boxes(rv_home_t *h, box_ref_t **ret, size_t *ret_n) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  box_ref_t *v = NULL;
  size_t n = 0, cap = 0;
  int r;
  if ((r = rv_cursor_open(h->txn, RV_DB_JOURNAL, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    if (kv.kn != RV_OID_LEN) {
      r = RV_ECORRUPT;
      break;
    }
    if (n == cap) {
      size_t c = cap ? 2 * cap : 1024;
      box_ref_t *nv = realloc(v, c * sizeof *nv);
      if (!nv) {
        r = RV_ENOMEM;
        break;
      }
      v = nv;
      cap = c;
    }
    memcpy(v[n].id.b, kv.k, RV_OID_LEN);
    v[n].v = kv.v;
    v[n].vn = kv.vn;
    n++;
  }
  rv_cursor_close(&cur);
  if (r != RV_ENOTFOUND) {
    free(v);
    return r;
  }
  *ret = v;
  *ret_n = n;
  return 0;
}

/* At least two threads once there are enough boxes, even on one
 * processor, so that the threaded path is the one always taken (and
 * tested) at size. */
static size_t thread_count(size_t boxes) {
  long cpus = sysconf(_SC_NPROCESSORS_ONLN);
  size_t t = cpus < 2 ? 2 : cpus > QUERY_THREADS ? QUERY_THREADS : (size_t)cpus;
  while (t > 1 && boxes / t < QUERY_SHARE_MIN)
    t--;
  return t;
}

/* The words of q in lower case, in *ret (freed by free_words). */
static int lower_words(const rv_journal_query_t *q, char ***ret) {
  char **words = NULL;
  if (q->nwords && !(words = calloc(q->nwords, sizeof *words)))
    return RV_ENOMEM;
  *ret = words;
  for (size_t i = 0; i < q->nwords; i++) {
    size_t n = strlen(q->words[i]);
    if (!(words[i] = malloc(n + 1)))
      return RV_ENOMEM;
    lower_copy(words[i], q->words[i], n);
  }
  return 0;
}

static void free_words(char **words, size_t n) {
  for (size_t i = 0; i < n && words; i++)
    if (words[i]) {
      rv_wipe(words[i], strlen(words[i]));
      free(words[i]);
    }
  free(words);
}

/* Runs the nt shares: 1.. on their own threads (or here, if one cannot
 * start), 0 here. */
static void run_shares(share_t *shares, size_t nt) {
  pthread_t tid[QUERY_THREADS];
  bool started[QUERY_THREADS] = {false};
  for (size_t t = 1; t < nt; t++)
    started[t] = pthread_create(&tid[t], NULL, run_share, &shares[t]) == 0;
  run_share(&shares[0]);
  for (size_t t = 1; t < nt; t++) {
    if (started[t])
      pthread_join(tid[t], NULL);
    else
      run_share(&shares[t]);
  }
}

/* Every share's hits, sorted, the last limit of them, into *ret; the
 * shares' memory is released whatever happens. */
static int merge_shares(share_t *shares, size_t nt, size_t limit, rv_journal_hit_t **ret,
                        size_t *ret_n) {
  size_t total = 0, n = 0;
  int r = 0;
  for (size_t t = 0; t < nt; t++) {
    if (r == 0 && shares[t].r < 0)
      r = shares[t].r;
    total += shares[t].n;
    rv_buf_release(&shares[t].lower);
  }
  rv_journal_hit_t *all = NULL;
  if (r == 0 && total && !(all = malloc(total * sizeof *all)))
    r = RV_ENOMEM;
  for (size_t t = 0; t < nt; t++) {
    if (r == 0 && shares[t].n)
      memcpy(all + n, shares[t].v, shares[t].n * sizeof *all);
    n += shares[t].n;
    free(shares[t].v);
  }
  if (r < 0) {
    free(all);
    return r;
  }
  if (total)
    qsort(all, total, sizeof *all, by_time);
  if (limit && total > limit) {
    memmove(all, all + (total - limit), limit * sizeof *all);
    total = limit;
  }
  *ret = all;
  *ret_n = total;
  return 0;
}

int rv_journal_query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret,
                     size_t *ret_n) {
  share_t shares[QUERY_THREADS];
  box_ref_t *boxes = NULL;
  char **words = NULL;
  size_t nboxes = 0;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  int r = lower_words(q, &words);
  if (r == 0)
    r = list_boxes(h, &boxes, &nboxes);
  if (r < 0) {
    free_words(words, q->nwords);
    return r;
  }
  size_t nt = thread_count(nboxes);
  for (size_t t = 0; t < nt; t++) {
    share_t *s = &shares[t];
    memset(s, 0, sizeof *s);
    s->q = q;
    s->key = h->sec->local;
    s->words = words;
    s->boxes = boxes;
    s->from = nboxes * t / nt;
    s->to = nboxes * (t + 1) / nt;
    rv_buf_init(&s->lower);
  }
  run_shares(shares, nt);
  r = merge_shares(shares, nt, q->limit, ret, ret_n);
  free_words(words, q->nwords);
  free(boxes);
  return r;
}
