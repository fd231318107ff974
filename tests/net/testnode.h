/*
 * A node with no loop and no socket, for the unit tests of the sync state
 * machine: its operations (node_ops_t) are fakes that put every message
 * the protocol sends into an outbox the test reads, count the dealers
 * closed, and keep the log's lines. Include after <cmocka.h> and
 * testutil.h.
 */
#ifndef REVANS_TESTNODE_H
#define REVANS_TESTNODE_H

#include "internal.h"

/* A node over home (borrowed), its codecs made, the outbox and the log
 * emptied. */
void tn_node_init(rv_node_t *n, rv_home_t *home);
/* Frees the node's peers and codecs. */
void tn_node_release(rv_node_t *n);
/* The peer that is the person of home `of`, added to n's table. */
peer_t *tn_peer(rv_node_t *n, rv_home_t *of);

/* Messages sent since the last tn_clear, and message i's first element
 * ("hello", "vv", "recs"); tn_sent_list gives its list (the third
 * element of "vv" and "recs"), parsed with the outbox's own decoder
 * (valid until the next call). */
size_t tn_sent_count(void);
bool tn_sent_is(size_t i, const char *kind);
rv_val_t tn_sent_list(size_t i);
/* Dealers closed by the node (node_ops_t.unwatch) since tn_clear. */
size_t tn_unwatched(void);
/* Whether a line of the node's log since tn_clear contains needle. */
bool tn_logged(const char *needle);
void tn_clear(void);

/* A protocol message made as a peer would: ["vv", set, vector] and
 * ["recs", set, records], into enc (reset first). */
void tn_vv(rv_enc_t *enc, const rv_set_id_t *set, const rv_vv_t *vv, size_t n);
void tn_recs(rv_enc_t *enc, const rv_set_id_t *set, const rv_raw_t *recs, size_t n);
/* This home's version vector for set (read transaction); caller frees. */
rv_vv_t *tn_home_vv(rv_home_t *home, const rv_set_id_t *set, size_t *ret_n);

#endif
