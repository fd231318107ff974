/*
 * What the files of core/ share among themselves and nobody else: the
 * insides of a home. The rv__ helpers that more than one file calls are
 * declared beside it, one header per file that defines them:
 * internal_logdb.h (the log's tables), internal_setctx.h (the per-set
 * context, snapshots and refold), internal_container.h (the container
 * format of bundles and invites), internal_fold.h (the fold's insides).
 *
 * The files form a ladder, each calling only those below it
 * (tools/house prints any circle):
 *   util.c, crypto.c, codec.c, store.c   the helpers, and each dependency's
 *                                        one owner (libsodium, msgpack, LMDB)
 *   wallclock.c, journal_tags.c          dates as written, the tag rule
 *   record.c, body.c                     the envelope and the bodies in it
 *   fold.c, programme.c, coach.c,        the set's domain: records to state,
 *   evaluation.c                         the coach, the evaluation figures
 *   journal.c, journal_import.c, jrnl.c  the journal: entries, imports, jrnl
 *   logdb.c                              the log's tables in the store
 *   setctx.c                             per-set keys, state, forks; refold
 *   container.c                          bundle and invite files' format
 *   log.c, ingest.c, verify.c            append and read, ingest, verify
 *   home.c, set.c, bundle.c, peer.c      what the front ends call
 * (`tools/house --ladder` prints the rungs as the calls make them.)
 */
#ifndef REVANS_CORE_INTERNAL_H
#define REVANS_CORE_INTERNAL_H

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/fold.h"
#include "revans/home.h"
#include "revans/log.h"
#include "revans/store.h"

typedef struct rv_setctx rv_setctx_t; /* one set, as a transaction sees it (internal_setctx.h) */

/* The unlocked secrets of an identity, in guarded memory. */
typedef struct rv_secrets {
  uint8_t sk[RV_SK_LEN];
  uint8_t local[RV_KEY_LEN];  /* seals set keys, states and the journal */
  uint8_t unlock[RV_KEY_LEN]; /* the stretched passphrase: the node's agent hands it on */
} rv_secrets_t;

struct rv_home {
  char *dir;
  rv_store_t *store;
  rv_member_id_t self;
  rv_secrets_t *sec; /* NULL while locked */
  char *name;
  uint64_t pw_ops, pw_mem, pw_ms; /* the identity's Argon2id costs, and the time they took
                                     when sealed (0 when not recorded); known once unlocked */
  /* Codec scratch, reset by each user. enc writes what is stored or sent
   * as it is (states, envelopes, containers); enc_plain writes what is
   * then sealed (bodies, keys, journal entries) and is wiped after use.
   * dec reads anything; dec_container holds an open container
   * (rv__container_open) while dec reads what is inside it. */
  rv_enc_t *enc;
  rv_enc_t *enc_plain;
  rv_dec_t *dec;
  rv_dec_t *dec_container;
  rv_txn_t *txn;
  uint64_t next_rec;  /* the log's next record number; 0 until looked up */
  rv_setctx_t **sets; /* contexts loaded in this transaction (setctx.c) */
  size_t nsets;
  uint64_t keys_learned; /* epoch keys added since the home was opened */
  /* Folded states near the end of each set's fold order, kept by a handle
   * that commits more than once (a node), so that records arriving a
   * little out of order are folded again from the nearest one rather than
   * from the set's first record (setctx.c, "snapshots"). */
  struct rv_snap {
    rv_set_id_t set;
    uint8_t okey[RV_ORDER_LEN]; /* the last record folded into it */
    uint64_t count;             /* records folded or skipped up to it */
    uint64_t refold_id;         /* the state's refold_id when it was taken */
    bool pending;               /* taken in the open transaction */
    uint8_t *data;              /* the full state encoding */
    size_t len;
  } * snaps;
  size_t nsnaps;
  uint64_t commits;  /* write transactions committed through this handle */
  uint64_t refolded; /* records folded again, since the handle was opened */
};

#endif
