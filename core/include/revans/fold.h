/*
 * The fold: the only place where records become set state. Records are
 * applied in one total order, (lamport, author, seq), so that the same
 * records give the same state whatever order they arrived in. Every
 * permission is checked here; a record that breaks one is kept in the log
 * but changes nothing, and rv_fold_apply() says why.
 */
#ifndef REVANS_FOLD_H
#define REVANS_FOLD_H

#include "revans/body.h"
#include "revans/codec.h"
#include "revans/record.h"
#include <stdbool.h>

/* set id | lamport (BE) | author | seq (BE): the key of RV_DB_ORDER. */
#define RV_ORDER_LEN (RV_SETID_LEN + 8 + RV_ID_LEN + 8)

typedef struct rv_member {
  rv_member_id_t id;
  char *name; /* NULL until the member's own member.join (or the genesis) */
  enum rv_role role;
  bool joined;
} rv_member_t;

typedef struct rv_state {
  rv_set_id_t set;
  bool created;
  char *name;
  char *topic;
  uint64_t created_ms;
  rv_member_id_t creator;
  rv_member_t *members; /* sorted by id */
  size_t nmembers;
  uint32_t epoch; /* the current key epoch */

  /* Bookkeeping: kept with the state, not part of its hash. */
  uint64_t lamport_max; /* highest lamport of any stored record of the set */
  uint64_t folded;      /* records applied */
  uint64_t ignored;     /* records kept out of state */
  bool has_last;
  uint8_t last[RV_ORDER_LEN]; /* order key of the last record folded */
} rv_state_t;

void rv_state_init(rv_state_t *s, const rv_set_id_t *set);
void rv_state_release(rv_state_t *s);

/* Applies one record. Returns 1 when it changed the state, 0 when it was
 * ignored (with *ret_why, a static phrase, saying why), RV_ENOMEM. The
 * caller guarantees the order; this only updates the bookkeeping. */
int rv_fold_apply(rv_state_t *s, const rv_header_t *h, const rv_body_t *b, const char **ret_why);

/* Notes a record that is stored but kept out of state (unreadable, or by
 * an author with a known fork): only the bookkeeping moves. */
void rv_fold_skip(rv_state_t *s, const rv_header_t *h);

/* Encodes the state (with bookkeeping when full) into a reset encoder. */
int rv_state_encode(rv_enc_t *enc, const rv_state_t *s, bool full);
/* Decodes a full encoding into ret (initialised here). */
int rv_state_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_state_t *ret);
/* BLAKE2b-256 of the canonical encoding without bookkeeping. */
int rv_state_hash(rv_enc_t *enc, const rv_state_t *s, rv_hash_t *ret);

const rv_member_t *rv_state_member(const rv_state_t *s, const rv_member_id_t *id);

/* The order key of a header. */
void rv_order_key(uint8_t out[RV_ORDER_LEN], const rv_header_t *h);
/* The set id a creator and salt give: BLAKE2b(creator || salt), truncated. */
void rv_set_id_derive(rv_set_id_t *ret, const rv_member_id_t *creator, const uint8_t salt[16]);

#endif
