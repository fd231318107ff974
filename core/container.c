/*
 * The container format bundles and invites share: a msgpack array whose
 * first two elements are a magic string and a format version, and whose
 * last element is a checksum over everything before it in which each
 * record stands as its BLAKE2b-256 hash. Ingest needs every record's hash
 * anyway, so the checksum costs no second pass over the records, and a
 * truncated or altered file is refused before anything in it is stored.
 */
#include "internal.h"
#include "internal_container.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <string.h>

#define CONTAINER_VERSION 1
#define TRAILER_LEN (2 + RV_HASH_LEN) /* the checksum: bin 8 marker, length, hash */

void rv__cw_begin(rv_cwriter_t *w, rv_enc_t *enc, const char *magic, uint32_t nfields) {
  w->enc = enc;
  w->done = 0;
  rv_hash_init(&w->st);
  rv_enc_array(enc, nfields);
  rv_enc_cstr(enc, magic);
  rv_enc_uint(enc, CONTAINER_VERSION);
}

void rv__cw_record(rv_cwriter_t *w, const uint8_t *raw, size_t n) {
  uint8_t digest[RV_HASH_LEN];
  size_t len;
  rv_enc_bin(w->enc, raw, n);
  const uint8_t *p = rv_enc_data(w->enc, &len);
  if (rv_enc_status(w->enc) < 0)
    return;
  /* The bytes up to the record (its marker included), then its hash. */
  rv_hash_update(&w->st, p + w->done, len - n - w->done);
  rv_hash(digest, raw, n);
  rv_hash_update(&w->st, digest, sizeof digest);
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

int rv__container_parse(rv_dec_t *dec, const uint8_t *p, size_t n, uint32_t records_at,
                        rv_val_t *ret_root, rv_raw_t **ret, size_t *ret_n,
                        uint8_t ret_sum[RV_HASH_LEN]) {
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
  rv_hash_final(&st, ret_sum);
  *ret_root = root;
  *ret = raws;
  *ret_n = count;
  return 0;
}

int rv__container_open(rv_home_t *h, const char *magic, const uint8_t *p, size_t n,
                       uint32_t nfields, uint32_t records_at, rv_val_t *ret_root, rv_raw_t **ret,
                       size_t *ret_n) {
  uint8_t sum[RV_HASH_LEN];
  rv_val_t root, f;
  rv_raw_t *raws;
  size_t count;
  uint64_t version;
  int r = rv__container_parse(h->dec_container, p, n, records_at, &root, &raws, &count, sum);
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
