/*
 * The LMDB store: one environment per home (data.mdb), a fixed list of
 * named databases, and transactions. store.c is the only file that includes
 * lmdb.h. Keys and values returned by reads point into the map: they are
 * valid until the transaction ends (or, for a write transaction, until the
 * next write to the same database).
 *
 * A write transaction commits durably: when rv_txn_commit() returns 0 the
 * data has reached the disk (LMDB's synchronous commit).
 *
 * Damage: LMDB keeps no checksums. Opening checks the meta pages (below);
 * a damaged page met later is RV_ECORRUPT where LMDB notices it. Where one
 * of LMDB's own assertions fails instead, the damage hook is called and
 * the process ends with status 1 (LMDB would abort): see
 * rv_store_on_damage().
 */
#ifndef REVANS_STORE_H
#define REVANS_STORE_H

#include "revans/types.h"
#include <stdbool.h>

enum rv_db {
  RV_DB_META,    /* small settings: format version, self id, default set */
  RV_DB_SECRETS, /* sealed secrets: identity, set keys */
  RV_DB_LOG,     /* record number (BE, order of arrival here) -> envelope */
  RV_DB_HEADS,   /* set id | author -> seq (BE) | hash | lamport (BE) of the last record */
  RV_DB_ORDER,   /* set id | lamport (BE) | author | seq (BE) -> record number */
  RV_DB_STATE,   /* set id -> derived state, sealed under the local key */
  RV_DB_FORKS,   /* set id | author | seq (BE) -> the second envelope (and its vouchers) */
  RV_DB_JOURNAL, /* reserved for the private journal */
  RV_DB_POS,     /* set id | author | seq (BE) -> record number */
  RV_DB__COUNT
};

typedef struct rv_store rv_store_t;
typedef struct rv_txn rv_txn_t;
typedef struct rv_cursor rv_cursor_t;

/* A key and its value, both borrowed from the store until the
 * transaction ends (or the next write to the same database). */
typedef struct rv_kv {
  const uint8_t *k;
  size_t kn;
  const uint8_t *v;
  size_t vn;
} rv_kv_t;

/* Creates (or opens) the environment in the existing directory dir with
 * every database: for a new home. */
int rv_store_create(const char *dir, rv_store_t **ret);
/* Opens an existing store without writing to it. RV_ECORRUPT if data.mdb
 * is not a valid store: one of its databases is missing, the file is
 * shorter than its pages, or its two meta pages do not hold consecutive
 * transactions, each on its own page, the newer describing databases that
 * fit in the file (a damaged meta page would otherwise show an earlier
 * transaction, or other pages, as the store). RV_EROFS if it cannot be
 * opened for lack of permission. */
int rv_store_open(const char *dir, rv_store_t **ret);
/* Closes the environment; accepts NULL and sets *s to NULL. Every
 * transaction must have ended. */
void rv_store_close(rv_store_t **s);
/* LMDB checks its pages as it walks them. When a check fails (a damaged
 * file), fn is called with LMDB's words, and the process then ends with
 * status 1 (LMDB cannot go on): no transaction under way is committed.
 * Without fn, it ends silently. For the program's main(). */
void rv_store_on_damage(void (*fn)(const char *what));

/* Begins a transaction, read-only unless write; a write transaction waits
 * for any other writer, in any process. The caller ends it with commit or
 * abort. RV_ENOMEM, RV_EROFS, RV_ECORRUPT, RV_EIO. */
int rv_txn_begin(rv_store_t *s, bool write, rv_txn_t **ret);
/* Commits durably and frees the transaction (also on failure). */
int rv_txn_commit(rv_txn_t **t);
/* Discards and frees the transaction; accepts NULL and sets *t to NULL. */
void rv_txn_abort(rv_txn_t **t);
bool rv_txn_writable(const rv_txn_t *t);
/* The value under k in db, borrowed until the transaction ends (or the
 * next write to db): RV_ENOTFOUND when absent. rv_put stores a copy of v
 * under k, replacing any value (write transactions: RV_EROFS otherwise,
 * RV_EFULL when the store is full, RV_ETOOBIG for a key too long). */
int rv_get(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const uint8_t **ret_v,
           size_t *ret_vn);
int rv_put(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const void *v, size_t vn);
/* Puts a key greater than every key of db (RV_EEXIST otherwise): LMDB
 * then fills pages completely instead of splitting them in half. */
int rv_append(rv_txn_t *t, enum rv_db db, const void *k, size_t kn, const void *v, size_t vn);
/* RV_ENOTFOUND if the key was absent. */
int rv_del(rv_txn_t *t, enum rv_db db, const void *k, size_t kn);

/* A cursor over db in key order, valid until closed or until the
 * transaction ends; close accepts NULL and sets *c to NULL. Every move
 * fills *ret (borrowed as rv_kv_t says), or returns RV_ENOTFOUND when it
 * runs off the end. */
int rv_cursor_open(rv_txn_t *t, enum rv_db db, rv_cursor_t **ret);
void rv_cursor_close(rv_cursor_t **c);
/* Positions at the first key >= k (k may be NULL for the first key). */
int rv_cursor_seek(rv_cursor_t *c, const void *k, size_t kn, rv_kv_t *ret);
int rv_cursor_next(rv_cursor_t *c, rv_kv_t *ret);
int rv_cursor_prev(rv_cursor_t *c, rv_kv_t *ret);
/* Positions at the last key that starts with prefix. */
int rv_cursor_last_with(rv_cursor_t *c, const void *prefix, size_t pn, rv_kv_t *ret);

/* Big-endian helpers for keys that must sort numerically. */
void rv_be64_put(uint8_t *p, uint64_t v);
uint64_t rv_be64_get(const uint8_t *p);

#endif
