/*
 * What the node needs to know of a home, without any networking: which
 * sets it shares with another member, the keys its beacons are made with,
 * and a record's place (set, author, seq, hash) read from its header.
 * All of these run inside a transaction of the home (home.h).
 */
#ifndef REVANS_PEER_H
#define REVANS_PEER_H

#include "revans/codec.h"
#include "revans/home.h"
#include "revans/log.h"

/* The sets this home holds that `who` is a member of too (and this person
 * is still a member of). Caller frees *ret. */
int rv_peer_common_sets(rv_home_t *h, const rv_member_id_t *who, rv_set_id_t **ret, size_t *ret_n);
/* True when `who` is a member of some set this home holds (the node's
 * admission rule). */
bool rv_peer_admitted(rv_home_t *h, const rv_member_id_t *who);
/* The beacon keys of a set: derived from its current epoch key, so that
 * members (and only members) recognise each other's beacons, and from the
 * epoch before it (when there is one and its key is held), so that a
 * member who has not yet heard of the last removal still finds the others
 * (and learns of it from them). ret_keys receives 1 or 2 keys; secret: the
 * caller wipes them. RV_ENOTFOUND for a set not held. */
int rv_peer_beacon_keys(rv_home_t *h, const rv_set_id_t *set, uint8_t ret_keys[2][32],
                        size_t *ret_n);
/* A record's place (set, author, seq; ret_place->head untouched), read
 * from its envelope's header: the body is not opened, nothing verified.
 * dec is the caller's own decoder. RV_EFORMAT. Hashing is separate
 * (below): the node needs the hash of few records, the place of all. */
int rv_peer_record_author(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_set_id_t *ret_set,
                          rv_vv_t *ret_place);
/* The hash of a record (its envelope's), as the chain and version vectors
 * name it. RV_EFORMAT. */
int rv_peer_record_hash(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_hash_t *ret);
/* 0 when the record's own signature verifies under its author's key,
 * RV_EAUTH when it does not, RV_EFORMAT. A record inside an author's
 * chain may carry a bad one and still be the author's (format.md, "Which
 * records are authentic"): a batch must not end on such a record, since
 * the receiver checks the last record of each author's run. */
int rv_peer_record_signed(rv_dec_t *dec, const uint8_t *raw, size_t n);

/* Signs m with this person's identity key (the proof a joiner gives with
 * an invitation code). RV_ELOCKED. */
int rv_peer_sign(rv_home_t *h, const void *m, size_t n, uint8_t ret_sig[64]);

#endif
