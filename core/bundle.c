/*
 * Bundle files, and the container format bundles and invites share: a
 * msgpack array whose first two elements are a magic string and a format
 * version, and whose last element is a checksum over everything before it
 * in which each record stands as its BLAKE2b-256 hash. Ingest needs every
 * record's hash anyway, so the checksum costs no second pass over the
 * records, and a truncated or altered file is refused before anything in
 * it is stored.
 */
#include "internal.h"
#include "revans/bundle.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

#define BUNDLE_MAGIC "revans-bundle"
#define CONTAINER_VERSION 1
#define TRAILER_LEN (2 + RV_HASH_LEN)

/* ---- containers ---------------------------------------------------- */

void rv__cw_begin(rv_cwriter_t *w, rv_enc_t *enc) {
  w->enc = enc;
  w->done = 0;
  rv_hash_init(&w->st);
}

void rv__cw_record(rv_cwriter_t *w, const uint8_t *raw, size_t n) {
  uint8_t h[RV_HASH_LEN];
  size_t len;
  rv_enc_bin(w->enc, raw, n);
  const uint8_t *p = rv_enc_data(w->enc, &len);
  if (rv_enc_status(w->enc) < 0)
    return;
  /* The bytes up to the record (its marker included), then its hash. */
  rv_hash_update(&w->st, p + w->done, len - n - w->done);
  rv_hash(h, raw, n);
  rv_hash_update(&w->st, h, sizeof h);
  w->done = len;
}

int rv__cw_end(rv_cwriter_t *w, rv_buf_t *out) {
  uint8_t sum[RV_HASH_LEN];
  size_t len;
  const uint8_t *p = rv_enc_data(w->enc, &len);
  int r = rv_enc_status(w->enc);
  if (r < 0)
    return r;
  rv_hash_update(&w->st, p + w->done, len - w->done);
  rv_hash_final(&w->st, sum);
  rv_enc_bin(w->enc, sum, sizeof sum);
  p = rv_enc_data(w->enc, &len);
  if ((r = rv_enc_status(w->enc)) < 0)
    return r;
  return rv_buf_append(out, p, len);
}

/* Parses a container and computes its checksum, filling each record's
 * hash. *ret (malloc'd) borrows from p. */
static int container_parse(rv_dec_t *dec, const uint8_t *p, size_t n, uint32_t records_at,
                           rv_val_t *ret_root, rv_raw_t **ret, size_t *ret_n,
                           uint8_t sum[RV_HASH_LEN]) {
  rv_val_t root, f, recs;
  rv_hash_state_t st;
  int r;
  if (n < TRAILER_LEN + 1 || p[n - TRAILER_LEN] != 0xc4 || p[n - TRAILER_LEN + 1] != RV_HASH_LEN)
    return RV_EFORMAT;
  /* A container holds a few fields and its records, each at least
   * RV_ENVELOPE_MIN bytes: more values than that allows is not one, and
   * would only make the parser build a large tree. */
  if ((r = rv_dec_parse_bounded(dec, p, n, n / RV_ENVELOPE_MIN + 16, &root)) < 0)
    return r;
  /* The checksum must be the array's own last element, a 32-byte bin that
   * ends the file (not bytes inside a record that merely look like one),
   * and the records must come before it. */
  const uint8_t *sum_at;
  size_t sum_len;
  if (rv_val_kind(root) != RV_K_ARRAY || rv_val_len(root) <= records_at + 1 ||
      rv_val_at(root, rv_val_len(root) - 1, &f) < 0 || rv_val_bin(f, &sum_at, &sum_len) < 0 ||
      sum_len != RV_HASH_LEN || sum_at != p + n - RV_HASH_LEN ||
      rv_val_at(root, records_at, &recs) < 0 || rv_val_kind(recs) != RV_K_ARRAY)
    return RV_EFORMAT;
  size_t count = rv_val_len(recs), done = 0;
  /* No envelope is shorter than RV_ENVELOPE_MIN bytes: a file claiming more
   * records than that allows is refused before anything is allocated. */
  if (count > n / RV_ENVELOPE_MIN)
    return RV_EFORMAT;
  rv_raw_t *raws = rv_mem_alloc(count * sizeof *raws);
  if (!raws)
    return RV_ENOMEM;
  rv_hash_init(&st);
  for (size_t i = 0; i < count; i++) {
    rv_val_at(recs, (uint32_t)i, &f);
    if (rv_val_bin(f, &raws[i].p, &raws[i].n) < 0) {
      rv_mem_free(raws, count * sizeof *raws, false);
      return RV_EFORMAT;
    }
    size_t at = (size_t)(raws[i].p - p);
    if (at < done || at + raws[i].n > n - TRAILER_LEN) {
      rv_mem_free(raws, count * sizeof *raws, false);
      return RV_EFORMAT;
    }
    rv_hash_update(&st, p + done, at - done);
    rv_hash(raws[i].hash.b, raws[i].p, raws[i].n);
    raws[i].hashed = true;
    rv_hash_update(&st, raws[i].hash.b, RV_HASH_LEN);
    done = at + raws[i].n;
  }
  rv_hash_update(&st, p + done, n - TRAILER_LEN - done);
  rv_hash_final(&st, sum);
  *ret_root = root;
  *ret = raws;
  *ret_n = count;
  return 0;
}

int rv__container_open(rv_home_t *h, const char *magic, const uint8_t *p, size_t n,
                       uint32_t nfields, uint32_t records_at, rv_val_t *ret_root,
                       rv_raw_t **ret, size_t *ret_n) {
  uint8_t sum[RV_HASH_LEN];
  rv_val_t root, f;
  rv_raw_t *raws;
  size_t count;
  uint64_t version;
  int r = container_parse(h->dec2, p, n, records_at, &root, &raws, &count, sum);
  if (r < 0)
    return r;
  r = RV_EFORMAT;
  if (!rv_ct_equal(sum, p + n - RV_HASH_LEN, RV_HASH_LEN) || rv_val_len(root) != nfields ||
      rv_val_at(root, 0, &f) < 0 || !rv_val_is_str(f, magic) || rv_val_at(root, 1, &f) < 0 ||
      rv_val_uint(f, &version) < 0)
    goto fail;
  if (version != CONTAINER_VERSION) {
    r = RV_EVERSION;
    goto fail;
  }
  *ret_root = root;
  *ret = raws;
  *ret_n = count;
  return 0;
fail:
  rv_mem_free(raws, count * sizeof *raws, false);
  return r;
}

void rv__container_free(rv_raw_t *raws, size_t n) { rv_mem_free(raws, n * sizeof *raws, false); }

int rv_bundle_checksum(const uint8_t *p, size_t n, uint32_t records_at, uint8_t ret[RV_HASH_LEN]) {
  rv_dec_t *dec = NULL;
  rv_raw_t *raws = NULL;
  rv_val_t root;
  size_t count = 0;
  int r = rv_dec_new(&dec);
  if (r == 0 && (r = container_parse(dec, p, n, records_at, &root, &raws, &count, ret)) == 0)
    rv_mem_free(raws, count * sizeof *raws, false);
  rv_dec_destroy(&dec);
  return r;
}

/* ---- bundles ------------------------------------------------------- */

typedef struct fork_out {
  rv_cwriter_t *w;
  size_t *count;
} fork_out_t;

static int fork_out(void *ctx, const uint8_t *raw, size_t n) {
  fork_out_t *o = ctx;
  if (o->w)
    rv__cw_record(o->w, raw, n);
  (*o->count)++;
  return 0;
}

/* Counts (w NULL) or writes the envelopes of one database: RV_DB_POS,
 * whose values are record numbers in the log, or RV_DB_FORKS. */
static int each_record(rv_home_t *h, enum rv_db db, rv_cwriter_t *w, size_t *count) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(h->txn, db, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    const uint8_t *raw = kv.v;
    size_t rn = kv.vn;
    if (w && db == RV_DB_POS && (r = rv__log_get(h, kv.v, kv.vn, &raw, &rn)) < 0)
      break;
    if (db == RV_DB_FORKS) {
      /* A fork's record, and what vouches for it (format.md, "Forks"). */
      fork_out_t o = {.w = w, .count = count};
      if ((r = rv_log_fork_split(raw, rn, fork_out, &o)) < 0)
        break;
      continue;
    }
    if (w)
      rv__cw_record(w, raw, rn);
    (*count)++;
  }
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_bundle_create(rv_home_t *h, rv_buf_t *out, size_t *ret_records) {
  size_t count = 0, written = 0;
  rv_cwriter_t w;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  /* The records by position, which keeps each author's records
   * contiguous and in order (what ingest verifies fastest), then the
   * evidence of any fork, so that every member who receives the bundle
   * learns of it too. */
  if ((r = each_record(h, RV_DB_POS, NULL, &count)) < 0 ||
      (r = each_record(h, RV_DB_FORKS, NULL, &count)) < 0)
    return r;
  if (count > UINT32_MAX)
    return RV_ETOOBIG;
  rv_enc_reset(h->enc);
  rv__cw_begin(&w, h->enc);
  rv_enc_array(h->enc, 5);
  rv_enc_cstr(h->enc, BUNDLE_MAGIC);
  rv_enc_uint(h->enc, CONTAINER_VERSION);
  rv_enc_uint(h->enc, rv_now_ms());
  rv_enc_array(h->enc, (uint32_t)count);
  if ((r = each_record(h, RV_DB_POS, &w, &written)) < 0 ||
      (r = each_record(h, RV_DB_FORKS, &w, &written)) < 0)
    goto out;
  r = written == count ? rv__cw_end(&w, out) : RV_ECORRUPT;
  if (r == 0 && ret_records)
    *ret_records = count;
out:
  rv_enc_reset(h->enc);
  return r;
}

int rv_bundle_apply(rv_home_t *h, const uint8_t *p, size_t n, rv_ingest_report_t *ret) {
  rv_raw_t *recs = NULL;
  size_t nrecs = 0;
  rv_val_t root;
  rv_ingest_report_t rep;
  int r;
  if (n > RV_BUNDLE_MAX)
    return RV_ETOOBIG;
  if ((r = rv__container_open(h, BUNDLE_MAGIC, p, n, 5, 3, &root, &recs, &nrecs)) < 0)
    return r;
  r = rv_log_ingest(h, recs, nrecs, &rep);
  rv__container_free(recs, nrecs);
  if (r < 0)
    return r;
  /* All or nothing: a bundle holds every chain to its head, each of which
   * was verified where the bundle was made; a run cut back was altered. */
  if (rep.unvouched)
    return RV_EAUTH;
  if (rep.received > 0 && rep.foreign == rep.received)
    return RV_EFOREIGN;
  if (ret)
    *ret = rep;
  return 0;
}
