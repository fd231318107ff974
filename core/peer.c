/*
 * What the node asks of a home (peer.h): the sets two members share, the
 * keys beacons are made with, and where a record stands. Kept apart from
 * the log and the sets so that net/ has one narrow door into core/.
 */
#include "internal.h"
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

int rv_peer_common_sets(rv_home_t *h, const rv_member_id_t *who, rv_set_id_t **ret,
                        size_t *ret_n) {
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

int rv_peer_beacon_key(rv_home_t *h, const rv_set_id_t *set, uint8_t ret_key[32]) {
  rv_setctx_t *c;
  int r;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  const uint8_t *key = rv__setctx_key(c, c->state.epoch);
  if (!key)
    return RV_EKEY;
  rv_mac(ret_key, BEACON_KEY_CONTEXT, strlen(BEACON_KEY_CONTEXT), key);
  return 0;
}

int rv_peer_record_place(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_set_id_t *ret_set,
                         rv_vv_t *ret_place) {
  rv_envelope_t e;
  if (rv_envelope_decode(dec, raw, n, &e) < 0)
    return RV_EFORMAT;
  *ret_set = e.h.set;
  ret_place->author = e.h.author;
  ret_place->seq = e.h.seq;
  rv_envelope_hash(&e, &ret_place->head);
  return 0;
}

int rv_peer_sign(rv_home_t *h, const void *m, size_t n, uint8_t ret_sig[64]) {
  if (!h->sec)
    return RV_ELOCKED;
  rv_sign(ret_sig, m, n, h->sec->sk);
  return 0;
}
