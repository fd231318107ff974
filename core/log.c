/*
 * The log: appending this person's records, and reading records back (in
 * fold order, by what another node lacks, a version vector, known forks).
 * Every record, whoever wrote it, goes through append or ingest
 * (ingest.c) into one transaction that stores it (logdb.c) and folds it
 * into the set's state (setctx.c); verify.c checks it all again.
 */
#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

/* ---- append -------------------------------------------------------- */

int rv_log_append(rv_home_t *h, const rv_set_id_t *set, const rv_body_t *body,
                  const char **ret_why) {
  rv_setctx_t *c;
  rv_header_t hd;
  rv_hash_t head;
  rv_buf_t env;
  uint64_t seq;
  const char *why = NULL;
  int r;
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  if ((r = rv__head_get(h, set, &h->self, &seq, &head, NULL)) < 0)
    return r;
  if (c->state.lamport_max >= RV_COUNTER_MAX || seq >= RV_COUNTER_MAX)
    return RV_ETOOBIG;
  /* Once this identity has forked (a copied home wrote too), every member
   * keeps its later records out of state: writing more would be in vain. */
  if (rv__setctx_forked(c, &h->self, seq + 1))
    return RV_EFORK;
  /* A removed member no longer holds the current key: say why, as the
   * fold would, rather than that a key is missing. */
  if (c->state.created && (why = rv_fold_why_author(&c->state, &h->self))) {
    if (ret_why)
      *ret_why = why;
    return RV_EPERM;
  }
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = h->self;
  hd.seq = seq + 1;
  hd.prev = head;
  hd.lamport = c->state.lamport_max + 1;
  hd.epoch = c->state.epoch;
  hd.time_ms = rv_now_ms();
  const uint8_t *key = rv__setctx_key(c, hd.epoch);
  if (!key)
    return RV_EKEY;
  rv_enc_reset(h->enc_plain);
  if ((r = rv_body_encode(h->enc_plain, body)) < 0)
    return r;
  size_t bn;
  const uint8_t *bp = rv_enc_data(h->enc_plain, &bn);
  rv_buf_init(&env);
  if ((r = rv_envelope_seal(h->enc, &hd, bp, bn, key, h->sec->sk, &env)) < 0)
    goto out;
  /* The fold decides whether the record is allowed; if not, the caller
   * aborts and nothing of it is stored. */
  if ((r = rv_fold_apply(&c->state, &hd, body, &why)) < 0)
    goto out;
  if (r == 0) {
    r = RV_EPERM;
    if (ret_why)
      *ret_why = why;
    goto out;
  }
  rv_hash(head.b, env.data, env.len);
  if ((r = rv__log_put(h, &hd, env.data, env.len)) < 0 ||
      (r = rv__head_put(h, set, &hd, &head)) < 0 || (r = rv__learn_keys(h, c, &hd, body)) < 0)
    goto out;
  c->dirty = true;
out:
  rv_enc_wipe(h->enc_plain);
  rv_buf_release(&env);
  return r;
}

/* ---- version vectors ----------------------------------------------- */

int rv_log_vv(rv_home_t *h, const rv_set_id_t *set, rv_vv_t **ret, size_t *ret_n) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_vv_t *v = NULL;
  size_t n = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if ((r = rv_cursor_open(h->txn, RV_DB_HEADS, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
       r == 0 && kv.kn == RV_HEADKEY_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv)) {
    if (kv.vn != RV_HEADVAL_LEN) {
      r = RV_ECORRUPT;
      break;
    }
    rv_vv_t *nv = realloc(v, (n + 1) * sizeof *v);
    if (!nv) {
      r = RV_ENOMEM;
      break;
    }
    v = nv;
    memcpy(v[n].author.b, kv.k + RV_SETID_LEN, RV_ID_LEN);
    v[n].seq = rv_be64_get(kv.v);
    memcpy(v[n].head.b, kv.v + 8, RV_HASH_LEN);
    n++;
  }
  rv_cursor_close(&cur);
  if (r != 0 && r != RV_ENOTFOUND) {
    free(v);
    return r;
  }
  *ret = v;
  *ret_n = n;
  return 0;
}

int rv_log_missing(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *theirs, size_t ntheirs,
                   rv_record_cb cb, void *ctx) {
  rv_vv_t *ours = NULL;
  size_t nours = 0;
  rv_cursor_t *cur = NULL;
  int r = rv_log_vv(h, set, &ours, &nours);
  if (r < 0)
    return r;
  if ((r = rv_cursor_open(h->txn, RV_DB_POS, &cur)) < 0)
    goto out;
  for (size_t i = 0; i < nours && r == 0; i++) {
    uint64_t from = 0;
    for (size_t j = 0; j < ntheirs; j++)
      if (memcmp(theirs[j].author.b, ours[i].author.b, RV_ID_LEN) == 0)
        from = theirs[j].seq;
    if (from >= ours[i].seq)
      continue;
    uint8_t k[RV_POSKEY_LEN];
    rv_kv_t kv;
    rv__pos_key(k, set, &ours[i].author, from + 1);
    for (r = rv_cursor_seek(cur, k, sizeof k, &kv);
         r == 0 && kv.kn == RV_POSKEY_LEN && memcmp(kv.k, k, RV_HEADKEY_LEN) == 0;
         r = rv_cursor_next(cur, &kv)) {
      const uint8_t *raw;
      size_t rn;
      if ((r = rv__log_get(h, kv.v, kv.vn, &raw, &rn)) < 0 || (r = cb(ctx, raw, rn)) != 0)
        goto out;
    }
    if (r == RV_ENOTFOUND)
      r = 0;
  }
out:
  rv_cursor_close(&cur);
  free(ours);
  return r;
}

/* ---- reading ------------------------------------------------------- */

int rv_log_each(rv_home_t *h, const rv_set_id_t *set, bool reverse, size_t limit, rv_each_cb cb,
                void *ctx) {
  rv_setctx_t *c;
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_buf_t plain;
  rv_envelope_t e;
  size_t seen = 0;
  int r;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  if ((r = rv_cursor_open(h->txn, RV_DB_ORDER, &cur)) < 0)
    return r;
  rv_buf_init(&plain);
  r = reverse ? rv_cursor_last_with(cur, set->b, RV_SETID_LEN, &kv)
              : rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
  for (; r == 0 && kv.kn == RV_ORDER_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = reverse ? rv_cursor_prev(cur, &kv) : rv_cursor_next(cur, &kv)) {
    const uint8_t *raw;
    size_t rn;
    rv_body_t body;
    if (limit && seen++ >= limit)
      break;
    if (rv__log_get(h, kv.v, kv.vn, &raw, &rn) < 0 || rv_envelope_decode(h->dec, raw, rn, &e) < 0) {
      r = RV_ECORRUPT;
      break;
    }
    bool readable = rv__open_body(h, c, &e, &plain, &body) == 0;
    r = cb(ctx, &e.hd, readable ? &body : NULL);
    if (readable)
      rv_body_release(&body);
    if (r != 0)
      break;
  }
  rv_cursor_close(&cur);
  rv_buf_release(&plain);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_log_fork_split(const uint8_t *raw, size_t n, rv_record_cb cb, void *ctx) {
  while (n) {
    size_t len;
    if (rv_dec_scan_prefix(raw, n, &len) < 0)
      return RV_ECORRUPT;
    int r = cb(ctx, raw, len);
    if (r)
      return r;
    raw += len;
    n -= len;
  }
  return 0;
}

int rv_log_forks(rv_home_t *h, const rv_set_id_t *set, rv_record_cb cb, void *ctx) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(h->txn, RV_DB_FORKS, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
       r == 0 && kv.kn == RV_POSKEY_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv))
    if ((r = cb(ctx, kv.v, kv.vn)) != 0)
      break;
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND ? 0 : r;
}
