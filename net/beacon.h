/*
 * Beacons: the UDP datagrams by which nodes on one LAN find each other,
 * and the probe that asks a node for one. A beacon says "a revans node
 * listens on this port" and, for each set the node holds, carries a tag
 * and a box that only that set's members can recognise and open: the tag
 * is a MAC of the time window and the beacon's fresh nonce under a key
 * derived from the set's key, the box seals the node's member id. A
 * stranger sees random bytes that change with every beacon. Internal to
 * net/; the layout is in docs/protocol.md.
 */
#ifndef REVANS_NET_BEACON_H
#define REVANS_NET_BEACON_H

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/types.h"

#define RV_BEACON_VERSION 1
#define RV_BEACON_ENTRIES_MAX 12 /* sets (and invitations) named in one beacon */
#define RV_BEACON_MAX 1400       /* bytes: one unfragmented datagram */
#define RV_BEACON_WINDOW_S 60    /* a tag is valid for this window, and the next and previous */
#define RV_BEACON_TAG_LEN 16
#define RV_BEACON_BOX_LEN (RV_BOX_OVERHEAD + RV_ID_LEN)

/* One set (or invitation) named in a beacon. */
typedef struct rv_beacon_entry {
  uint8_t tag[RV_BEACON_TAG_LEN];
  uint8_t box[RV_BEACON_BOX_LEN];
} rv_beacon_entry_t;

/* A beacon, or a probe, as sent or decoded. */
typedef struct rv_beacon {
  bool probe;        /* a request for a beacon, nothing else */
  uint16_t port;     /* the sender's ROUTER (and probe) port */
  uint8_t nonce[16]; /* fresh for each beacon */
  size_t nentries;   /* entries in e */
  rv_beacon_entry_t e[RV_BEACON_ENTRIES_MAX];
} rv_beacon_t;

/* Starts a beacon for port with a fresh nonce. */
void rv__beacon_init(rv_beacon_t *b, uint16_t port);
/* Adds the entry by which holders of key (a set's beacon key, or an
 * invitation's) recognise member `who` in the window of now_s: 0, or
 * RV_ETOOBIG past RV_BEACON_ENTRIES_MAX, or rv_box_seal's error. */
int rv__beacon_add(rv_beacon_t *b, const uint8_t key[32], uint64_t now_s,
                   const rv_member_id_t *who);
/* Fills the entries left with random ones, so that every beacon has
 * RV_BEACON_ENTRIES_MAX entries and one size: a stranger cannot count a
 * node's sets (a random entry is as random to them as a real one, and
 * matches no key). */
void rv__beacon_pad(rv_beacon_t *b);
/* Encodes b (or a probe) into enc, reset first; rv_enc_status says
 * whether it fitted. */
void rv__beacon_encode(rv_enc_t *enc, const rv_beacon_t *b);
/* Decodes a datagram (p, borrowed for the call) into *ret: 0, or
 * RV_EFORMAT for anything else. */
int rv__beacon_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_beacon_t *ret);
/* Whether entry i was made with key in a window near now_s; then the
 * member id it carries. RV_ENOTFOUND otherwise. */
int rv__beacon_match(const rv_beacon_t *b, size_t i, const uint8_t key[32], uint64_t now_s,
                     rv_member_id_t *ret_who);

#endif
