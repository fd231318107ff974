/*
 * The log's tables in the store (logdb.c): records under arrival numbers,
 * the position and order indexes, authors' heads. Every function runs in
 * the home's open transaction; borrowed bytes are valid until it ends.
 */
#ifndef REVANS_CORE_INTERNAL_LOGDB_H
#define REVANS_CORE_INTERNAL_LOGDB_H

#include "internal.h"

/* Position keys: set id | author | seq (BE), for RV_DB_POS and RV_DB_FORKS. */
#define RV_POSKEY_LEN (RV_SETID_LEN + RV_ID_LEN + 8)
/* Head keys: set id | author, for RV_DB_HEADS. */
#define RV_HEADKEY_LEN (RV_SETID_LEN + RV_ID_LEN)
/* A head's value: seq (BE), hash, Lamport clock (BE) of the last record. */
#define RV_HEADVAL_LEN (8 + RV_HASH_LEN + 8)

/* Writes the position key of (set, author a, seq) to out. */
void rv__pos_key(uint8_t out[RV_POSKEY_LEN], const rv_set_id_t *set, const rv_member_id_t *a,
                 uint64_t seq);

/* The author's head in set: (0, zero, 0) when nothing is held;
 * ret_lamport may be NULL. RV_ECORRUPT. */
int rv__head_get(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t *ret_seq,
                 rv_hash_t *ret_hash, uint64_t *ret_lamport);
/* Makes the record hd (whose hash is hash) its author's head in set. */
int rv__head_put(rv_home_t *h, const rv_set_id_t *set, const rv_header_t *hd,
                 const rv_hash_t *hash);

/* Stores an envelope under the next record number, with its position and
 * order keys. Write transaction. */
int rv__log_put(rv_home_t *h, const rv_header_t *hd, const uint8_t *raw, size_t n);
/* The envelope at a position (RV_ENOTFOUND when none), or under a record
 * number (8 bytes, BE; RV_ECORRUPT when missing). Borrowed until the
 * transaction ends. */
int rv__log_at(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t seq,
               const uint8_t **ret, size_t *ret_n);
int rv__log_get(rv_home_t *h, const uint8_t *num, size_t numlen, const uint8_t **ret,
                size_t *ret_n);
/* The seq this person's next record in set will have. */
int rv__log_next_seq(rv_home_t *h, const rv_set_id_t *set, uint64_t *ret);

#endif
