/*
 * What the files of core/ share among themselves and nobody else: the
 * insides of a home, the per-set context a transaction caches (keys and
 * state), and the rv__ helpers that more than one file calls.
 */
#ifndef REVANS_CORE_INTERNAL_H
#define REVANS_CORE_INTERNAL_H

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/fold.h"
#include "revans/home.h"
#include "revans/log.h"
#include "revans/store.h"

#define RV_MAX_EPOCHS RV_EPOCHS_MAX /* keys held per set (fold.h) */

typedef struct rv_epoch_key {
  uint32_t epoch;
  uint8_t key[RV_KEY_LEN];
} rv_epoch_key_t;

/* One set, as a transaction sees it. keys live in guarded memory. */
typedef struct rv_setctx {
  rv_set_id_t id;
  rv_epoch_key_t *keys; /* sodium_malloc'd, nkeys entries */
  size_t nkeys;
  rv_state_t state;
  bool dirty;
  bool refold; /* the stored state could not be read: fold from the log */
  /* authors with a known fork, and the first forked sequence number */
  struct rv_forked {
    rv_member_id_t author;
    uint64_t seq;
  } *forked;
  size_t nforked;
} rv_setctx_t;

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
  rv_enc_t *enc;
  rv_enc_t *enc2;
  rv_dec_t *dec;
  rv_dec_t *dec2;
  rv_txn_t *txn;
  uint64_t next_rec; /* the log's next record number; 0 until looked up */
  rv_setctx_t **sets; /* contexts loaded in this transaction */
  size_t nsets;
  uint64_t keys_learned; /* epoch keys added since the home was opened */
  /* Folded states near the end of each set's fold order, kept by a handle
   * that commits more than once (a node), so that records arriving a
   * little out of order are folded again from the nearest one rather than
   * from the set's first record (log.c, "snapshots"). */
  struct rv_snap {
    rv_set_id_t set;
    uint8_t okey[RV_ORDER_LEN]; /* the last record folded into it */
    uint64_t count;             /* records folded or skipped up to it */
    uint64_t refold_id;         /* the state's refold_id when it was taken */
    bool pending;               /* taken in the open transaction */
    uint8_t *data;              /* the full state encoding */
    size_t len;
  } *snaps;
  size_t nsnaps;
  uint64_t commits;  /* write transactions committed through this handle */
  uint64_t refolded; /* records folded again, since the handle was opened */
};

/* Snapshots: forgets those taken in a transaction that did not commit, or
 * (on close) all of them. */
void rv__snaps_end(rv_home_t *h, bool committed);
void rv__snaps_free(rv_home_t *h);

/* Loads (once per transaction) the keys, state and forks of a set.
 * RV_ENOTFOUND when this home holds no key for it. */
int rv__setctx(rv_home_t *h, const rv_set_id_t *set, rv_setctx_t **ret);
/* Registers a brand-new set with its first key (set create, join). */
int rv__setctx_new(rv_home_t *h, const rv_set_id_t *set, const rv_epoch_key_t *keys,
                   size_t nkeys, rv_setctx_t **ret);
const uint8_t *rv__setctx_key(const rv_setctx_t *c, uint32_t epoch);
/* Adds the key of an epoch learned from a removal record (or derived for a
 * merged epoch) and stores the sealed keys again when the transaction is
 * writable. A key already held for that epoch is kept: 0 either way.
 * RV_ETOOBIG when the set already has RV_MAX_EPOCHS keys. */
int rv__setctx_add_key(rv_home_t *h, rv_setctx_t *c, uint32_t epoch, const uint8_t key[RV_KEY_LEN]);
bool rv__setctx_forked(const rv_setctx_t *c, const rv_member_id_t *author, uint64_t seq);

/* The log stores envelopes under record numbers in order of arrival
 * (always appended, so pages are filled); the position index (set,
 * author, seq) and the order index lead to them. */
int rv__log_put(rv_home_t *h, const rv_header_t *hd, const uint8_t *raw, size_t n);
/* The envelope at a position, or under a record number (8 bytes, BE).
 * Borrowed until the transaction ends. */
int rv__log_at(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t seq,
               const uint8_t **ret, size_t *ret_n);
int rv__log_get(rv_home_t *h, const uint8_t *num, size_t numlen, const uint8_t **ret,
                size_t *ret_n);
/* The seq this person's next record in set will have. */
int rv__log_next_seq(rv_home_t *h, const rv_set_id_t *set, uint64_t *ret);

/* Position keys: set id | author | seq (BE), for RV_DB_POS and RV_DB_FORKS. */
#define RV_POSKEY_LEN (RV_SETID_LEN + RV_ID_LEN + 8)
#define RV_HEADKEY_LEN (RV_SETID_LEN + RV_ID_LEN)
void rv__pos_key(uint8_t out[RV_POSKEY_LEN], const rv_set_id_t *set, const rv_member_id_t *a,
                 uint64_t seq);

/* Writing a container: begin on a reset encoder, write the leading fields
 * with the encoder, each record with rv__cw_record(), then rv__cw_end()
 * appends the checksum and copies the whole file to out. */
typedef struct rv_cwriter {
  rv_enc_t *enc;
  rv_hash_state_t st;
  size_t done; /* bytes of enc already hashed */
} rv_cwriter_t;
void rv__cw_begin(rv_cwriter_t *w, rv_enc_t *enc);
void rv__cw_record(rv_cwriter_t *w, const uint8_t *raw, size_t n);
int rv__cw_end(rv_cwriter_t *w, rv_buf_t *out);

/* Opens a container file (bundle or invite) after checking its magic,
 * version, field count and checksum. *ret (release with
 * rv__container_free) borrows from p and carries each record's hash.
 * *ret_root is the parsed array, valid while h->dec2 is not reused. */
int rv__container_open(rv_home_t *h, const char *magic, const uint8_t *p, size_t n,
                       uint32_t nfields, uint32_t records_at, rv_val_t *ret_root,
                       rv_raw_t **ret, size_t *ret_n);
void rv__container_free(rv_raw_t *raws, size_t n);


#endif
