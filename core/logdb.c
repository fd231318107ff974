/*
 * The log's tables in the store, below everything that reads or writes
 * records: envelopes under record numbers in order of arrival (always
 * appended, so pages are filled), the position index (set, author, seq)
 * and the order index that lead to them, and each author's head (the
 * last record's seq, hash and Lamport clock). Plain lookups: no keys, no
 * fold.
 */
#include "internal.h"
#include "internal_logdb.h"
#include "revans/error.h"

#include <string.h>

void rv__pos_key(uint8_t out[RV_POSKEY_LEN], const rv_set_id_t *set, const rv_member_id_t *a,
                 uint64_t seq) {
  memcpy(out, set->b, RV_SETID_LEN);
  memcpy(out + RV_SETID_LEN, a->b, RV_ID_LEN);
  rv_be64_put(out + RV_SETID_LEN + RV_ID_LEN, seq);
}

static void head_key(uint8_t out[RV_HEADKEY_LEN], const rv_set_id_t *set, const rv_member_id_t *a) {
  memcpy(out, set->b, RV_SETID_LEN);
  memcpy(out + RV_SETID_LEN, a->b, RV_ID_LEN);
}

int rv__head_get(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t *ret_seq,
                 rv_hash_t *ret_hash, uint64_t *ret_lamport) {
  uint8_t k[RV_HEADKEY_LEN];
  const uint8_t *v;
  size_t vn;
  head_key(k, set, a);
  int r = rv_get(h->txn, RV_DB_HEADS, k, sizeof k, &v, &vn);
  if (r == RV_ENOTFOUND) {
    *ret_seq = 0;
    memset(ret_hash, 0, sizeof *ret_hash);
    if (ret_lamport)
      *ret_lamport = 0;
    return 0;
  }
  if (r < 0)
    return r;
  if (vn != RV_HEADVAL_LEN)
    return RV_ECORRUPT;
  *ret_seq = rv_be64_get(v);
  memcpy(ret_hash->b, v + 8, RV_HASH_LEN);
  if (ret_lamport)
    *ret_lamport = rv_be64_get(v + 8 + RV_HASH_LEN);
  return 0;
}

int rv__head_put(rv_home_t *h, const rv_set_id_t *set, const rv_header_t *hd,
                 const rv_hash_t *hash) {
  uint8_t k[RV_HEADKEY_LEN], v[RV_HEADVAL_LEN];
  head_key(k, set, &hd->author);
  rv_be64_put(v, hd->seq);
  memcpy(v + 8, hash->b, RV_HASH_LEN);
  rv_be64_put(v + 8 + RV_HASH_LEN, hd->lamport);
  return rv_put(h->txn, RV_DB_HEADS, k, sizeof k, v, sizeof v);
}

/* The next record number of the log: one more than its last key. */
static int next_number(rv_home_t *h, uint64_t *ret) {
  if (!h->next_rec) {
    rv_cursor_t *cur = NULL;
    rv_kv_t kv;
    int r = rv_cursor_open(h->txn, RV_DB_LOG, &cur);
    if (r < 0)
      return r;
    r = rv_cursor_last_with(cur, "", 0, &kv);
    rv_cursor_close(&cur);
    if (r == 0 && kv.kn != 8)
      return RV_ECORRUPT;
    if (r < 0 && r != RV_ENOTFOUND)
      return r;
    h->next_rec = r == 0 ? rv_be64_get(kv.k) + 1 : 1;
  }
  *ret = h->next_rec++;
  return 0;
}

int rv__log_put(rv_home_t *h, const rv_header_t *hd, const uint8_t *raw, size_t n) {
  uint8_t pk[RV_POSKEY_LEN], ok[RV_ORDER_LEN], num[8];
  uint64_t v;
  int r;
  if ((r = next_number(h, &v)) < 0)
    return r;
  rv_be64_put(num, v);
  rv__pos_key(pk, &hd->set, &hd->author, hd->seq);
  rv_order_key(ok, hd);
  if ((r = rv_append(h->txn, RV_DB_LOG, num, sizeof num, raw, n)) < 0 ||
      (r = rv_put(h->txn, RV_DB_POS, pk, sizeof pk, num, sizeof num)) < 0)
    return r;
  return rv_put(h->txn, RV_DB_ORDER, ok, sizeof ok, num, sizeof num);
}

int rv__log_get(rv_home_t *h, const uint8_t *num, size_t numlen, const uint8_t **ret,
                size_t *ret_n) {
  if (numlen != 8)
    return RV_ECORRUPT;
  int r = rv_get(h->txn, RV_DB_LOG, num, numlen, ret, ret_n);
  return r == RV_ENOTFOUND ? RV_ECORRUPT : r;
}

int rv__log_at(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t seq,
               const uint8_t **ret, size_t *ret_n) {
  uint8_t pk[RV_POSKEY_LEN];
  const uint8_t *num;
  size_t numlen;
  rv__pos_key(pk, set, a, seq);
  int r = rv_get(h->txn, RV_DB_POS, pk, sizeof pk, &num, &numlen);
  return r < 0 ? r : rv__log_get(h, num, numlen, ret, ret_n);
}

int rv__log_next_seq(rv_home_t *h, const rv_set_id_t *set, uint64_t *ret) {
  uint64_t seq;
  rv_hash_t head;
  int r = rv__head_get(h, set, &h->self, &seq, &head, NULL);
  if (r < 0)
    return r;
  *ret = seq + 1;
  return 0;
}
