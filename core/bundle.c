/*
 * Bundle files: every record this home holds, and the evidence of every
 * fork it knows, in one container (container.c) that another home applies
 * with ingest. A bundle moves records where no network reaches.
 */
#include "internal.h"
#include "internal_container.h"
#include "internal_logdb.h"
#include "revans/bundle.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

#define BUNDLE_MAGIC "revans-bundle"

int rv_bundle_checksum(const uint8_t *p, size_t n, uint32_t records_at, uint8_t ret[RV_HASH_LEN]) {
  rv_dec_t *dec = NULL;
  rv_raw_t *raws = NULL;
  rv_val_t root;
  size_t count = 0;
  int r = rv_dec_new(&dec);
  if (r == 0 && (r = rv__container_parse(dec, p, n, records_at, &root, &raws, &count, ret)) == 0)
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
  rv__cw_begin(&w, h->enc, BUNDLE_MAGIC, 5);
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
