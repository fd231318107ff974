/*
 * What the node asks of a home (peer.h): the sets two members share, the
 * keys beacons are made with, and where a record stands. Kept apart from
 * the log and the sets so that net/ has one narrow door into core/.
 */
#include "internal.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/peer.h"
#include "revans/record.h"
#include "revans/set.h"

#include <stdlib.h>
#include <string.h>

#define BEACON_KEY_CONTEXT "revans beacon key v1"

/* Whether id is a member of set here (state as folded). */
static bool is_member(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *id) {
  const rv_state_t *s;
  if (rv_set_state(h, set, &s) < 0)
    return false;
  return rv_state_member(s, id) != NULL;
}

int rv_peer_common_sets(rv_home_t *h, const rv_member_id_t *who, rv_set_id_t **ret, size_t *ret_n) {
  rv_set_id_t *sets = NULL;
  size_t n = 0, k = 0;
  int r = rv_set_list(h, &sets, &n);
  if (r < 0)
    return r;
  for (size_t i = 0; i < n; i++)
    if (is_member(h, &sets[i], who) && is_member(h, &sets[i], rv_home_self(h)))
      sets[k++] = sets[i];
  *ret = sets;
  *ret_n = k;
  return 0;
}

bool rv_peer_admitted(rv_home_t *h, const rv_member_id_t *who) {
  rv_set_id_t *sets = NULL;
  size_t n = 0;
  if (rv_peer_common_sets(h, who, &sets, &n) < 0)
    return false;
  free(sets);
  return n > 0;
}

int rv_peer_beacon_keys(rv_home_t *h, const rv_set_id_t *set, uint8_t ret_keys[2][32],
                        size_t *ret_n) {
  rv_setctx_t *c;
  int r;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  const uint8_t *key = rv__setctx_key(c, c->state.epoch);
  if (!key)
    return RV_EKEY;
  rv_mac(ret_keys[0], BEACON_KEY_CONTEXT, strlen(BEACON_KEY_CONTEXT), key);
  *ret_n = 1;
  /* The epoch the current one followed: the last epoch record's "a". */
  for (size_t i = c->state.nepochs; i-- > 0;)
    if (c->state.epochs[i].id == c->state.epoch) {
      const uint8_t *prev = c->state.epochs[i].kind == RV_EPOCH_GENESIS
                                ? NULL
                                : rv__setctx_key(c, c->state.epochs[i].a);
      if (prev && prev != key) {
        rv_mac(ret_keys[1], BEACON_KEY_CONTEXT, strlen(BEACON_KEY_CONTEXT), prev);
        *ret_n = 2;
      }
      break;
    }
  return 0;
}

int rv_peer_sign(rv_home_t *h, const void *m, size_t n, uint8_t ret_sig[64]) {
  if (!h->sec)
    return RV_ELOCKED;
  rv_sign(ret_sig, m, n, h->sec->sk);
  return 0;
}

int rv_peer_record_author(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_set_id_t *ret_set,
                          rv_vv_t *ret_place) {
  rv_envelope_t e;
  if (rv_envelope_decode(dec, raw, n, &e) < 0)
    return RV_EFORMAT;
  *ret_set = e.hd.set;
  ret_place->author = e.hd.author;
  ret_place->seq = e.hd.seq;
  return 0;
}

int rv_peer_record_hash(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_hash_t *ret) {
  rv_envelope_t e;
  if (rv_envelope_decode(dec, raw, n, &e) < 0)
    return RV_EFORMAT;
  rv_envelope_hash(&e, ret);
  return 0;
}

int rv_peer_record_signed(rv_dec_t *dec, const uint8_t *raw, size_t n) {
  rv_envelope_t e;
  if (rv_envelope_decode(dec, raw, n, &e) < 0)
    return RV_EFORMAT;
  return rv_envelope_verify(&e) < 0 ? RV_EAUTH : 0;
}
