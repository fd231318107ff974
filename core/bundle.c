/*
 * Bundle files, and the container format bundles and invites share: a
 * msgpack array whose first two elements are a magic string and a format
 * version, and whose last element is BLAKE2b-256 of every byte before it,
 * so that a truncated or altered file is refused before anything in it is
 * looked at.
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

int rv__container_close(rv_enc_t *enc, rv_buf_t *out) {
  uint8_t sum[RV_HASH_LEN];
  size_t n;
  const uint8_t *p = rv_enc_data(enc, &n);
  int r = rv_enc_status(enc);
  if (r < 0)
    return r;
  rv_hash(sum, p, n);
  rv_enc_bin(enc, sum, sizeof sum);
  p = rv_enc_data(enc, &n);
  if ((r = rv_enc_status(enc)) < 0)
    return r;
  return rv_buf_append(out, p, n);
}

int rv__container_open(rv_home_t *h, const char *magic, const uint8_t *p, size_t n,
                       uint32_t nfields, uint32_t records_at, rv_val_t *ret_root,
                       rv_raw_t **ret, size_t *ret_n) {
  uint8_t sum[RV_HASH_LEN];
  rv_val_t root, f, recs;
  uint64_t version;
  int r;
  if (n < TRAILER_LEN + 1 || p[n - TRAILER_LEN] != 0xc4 || p[n - TRAILER_LEN + 1] != RV_HASH_LEN)
    return RV_EFORMAT;
  rv_hash(sum, p, n - TRAILER_LEN);
  if (!rv_ct_equal(sum, p + n - RV_HASH_LEN, RV_HASH_LEN))
    return RV_EFORMAT;
  if ((r = rv_dec_parse(h->dec2, p, n, &root)) < 0)
    return r;
  if (rv_val_kind(root) != RV_K_ARRAY || rv_val_len(root) != nfields ||
      rv_val_at(root, 0, &f) < 0 || !rv_val_is_str(f, magic))
    return RV_EFORMAT;
  if (rv_val_at(root, 1, &f) < 0 || rv_val_uint(f, &version) < 0)
    return RV_EFORMAT;
  if (version != CONTAINER_VERSION)
    return RV_EVERSION;
  if (rv_val_at(root, records_at, &recs) < 0 || rv_val_kind(recs) != RV_K_ARRAY)
    return RV_EFORMAT;
  size_t count = rv_val_len(recs);
  rv_raw_t *raws = count ? calloc(count, sizeof *raws) : NULL;
  if (count && !raws)
    return RV_ENOMEM;
  for (size_t i = 0; i < count; i++) {
    rv_val_at(recs, (uint32_t)i, &f);
    if (rv_val_bin(f, &raws[i].p, &raws[i].n) < 0) {
      free(raws);
      return RV_EFORMAT;
    }
  }
  *ret_root = root;
  *ret = raws;
  *ret_n = count;
  return 0;
}

/* ---- bundles ------------------------------------------------------- */

/* Counts (enc NULL) or encodes the values of one database. */
static int each_value(rv_home_t *h, enum rv_db db, rv_enc_t *enc, size_t *count) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(h->txn, db, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    if (enc)
      rv_enc_bin(enc, kv.v, kv.vn);
    (*count)++;
  }
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_bundle_create(rv_home_t *h, rv_buf_t *out, size_t *ret_records) {
  size_t count = 0, written = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  /* The log, whose keys keep each author's records contiguous and in
   * order (what ingest verifies fastest), then the evidence of any fork,
   * so that every member who receives the bundle learns of it too. */
  if ((r = each_value(h, RV_DB_LOG, NULL, &count)) < 0 ||
      (r = each_value(h, RV_DB_FORKS, NULL, &count)) < 0)
    return r;
  if (count > UINT32_MAX)
    return RV_ETOOBIG;
  rv_enc_reset(h->enc);
  rv_enc_array(h->enc, 5);
  rv_enc_cstr(h->enc, BUNDLE_MAGIC);
  rv_enc_uint(h->enc, CONTAINER_VERSION);
  rv_enc_uint(h->enc, rv__now_ms());
  rv_enc_array(h->enc, (uint32_t)count);
  if ((r = each_value(h, RV_DB_LOG, h->enc, &written)) < 0 ||
      (r = each_value(h, RV_DB_FORKS, h->enc, &written)) < 0)
    goto out;
  r = written == count ? rv__container_close(h->enc, out) : RV_ECORRUPT;
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
  free(recs);
  if (r < 0)
    return r;
  if (rep.received > 0 && rep.foreign == rep.received)
    return RV_EFOREIGN;
  if (ret)
    *ret = rep;
  return 0;
}
