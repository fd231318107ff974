/*
 * The per-set context a transaction caches (setctx.c): one set's keys,
 * folded state and known forks, loaded once per transaction and dropped
 * when it ends; the key epochs learned as records are folded; snapshots
 * of folded states; and folding a set again from the log. Every function
 * runs inside the home's open transaction, with the home unlocked.
 */
#ifndef REVANS_CORE_INTERNAL_SETCTX_H
#define REVANS_CORE_INTERNAL_SETCTX_H

#include "internal.h"

typedef struct rv_epoch_key {
  uint32_t epoch;
  uint8_t key[RV_KEY_LEN];
} rv_epoch_key_t;

/* One set, as a transaction sees it. keys live in guarded memory and
 * hold at most RV_EPOCHS_MAX entries (fold.h). */
struct rv_setctx {
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
  } * forked;
  size_t nforked;
};

/* The associated data binding a sealed blob to its purpose and owner:
 * purpose | id, written to ad (which must hold both). Its length. */
size_t rv__box_ad(uint8_t *ad, const char *purpose, const void *id, size_t idn);

/* Loads (once per transaction) the keys, state and forks of a set; *ret
 * is valid until the transaction ends. RV_ENOTFOUND when this home holds
 * no key for it. */
int rv__setctx(rv_home_t *h, const rv_set_id_t *set, rv_setctx_t **ret);
/* Registers a brand-new set with its first keys (set create, join).
 * RV_EEXIST when the home holds it already. Write transaction. */
int rv__setctx_new(rv_home_t *h, const rv_set_id_t *set, const rv_epoch_key_t *keys, size_t nkeys,
                   rv_setctx_t **ret);
/* The ids of the sets this home holds keys for; caller frees *ret. */
int rv__setctx_list(rv_home_t *h, rv_set_id_t **ret, size_t *ret_n);
/* The key of an epoch, or NULL when not held; borrowed from c. */
const uint8_t *rv__setctx_key(const rv_setctx_t *c, uint32_t epoch);
/* Adds the key of an epoch learned from a removal record (or derived for a
 * merged epoch) and stores the sealed keys again when the transaction is
 * writable. A key already held for that epoch is kept: 0 either way.
 * RV_ETOOBIG when the set already has RV_EPOCHS_MAX keys. */
int rv__setctx_add_key(rv_home_t *h, rv_setctx_t *c, uint32_t epoch, const uint8_t key[RV_KEY_LEN]);
/* True when author has a known fork at or below seq. */
bool rv__setctx_forked(const rv_setctx_t *c, const rv_member_id_t *author, uint64_t seq);
/* Notes a fork of author at seq, unless one at or below it is known. */
int rv__setctx_fork_add(rv_setctx_t *c, const rv_member_id_t *author, uint64_t seq);
/* At commit: seals and stores the state of every set changed. */
int rv__setctx_save_dirty(rv_home_t *h);
/* When the transaction ends: frees every context. */
void rv__setctx_drop_all(rv_home_t *h);

/* After a record has been folded (applied or ignored): the keys a
 * member.remove teaches this home (setctx.c says which). */
int rv__learn_keys(rv_home_t *h, rv_setctx_t *c, const rv_header_t *hd, const rv_body_t *b);
/* Opens and decodes the body of e into *ret (release with
 * rv_body_release), using plain as scratch, wiped after. RV_EKEY, RV_EAUTH
 * or RV_EFORMAT when it cannot be read here. */
int rv__open_body(rv_home_t *h, rv_setctx_t *c, const rv_envelope_t *e, rv_buf_t *plain,
                  rv_body_t *ret);

/* Snapshots: takes one of c's state when due (best effort), once at least
 * `from` records are folded; forgets those taken in a transaction that did
 * not commit, or (on close) all of them. */
void rv__snap_take(rv_home_t *h, rv_setctx_t *c, uint64_t from);
void rv__snaps_end(rv_home_t *h, bool committed);
void rv__snaps_free(rv_home_t *h);

/* Recomputes c's state from the log's order index: what a fresh node
 * would get. */
int rv__refold(rv_home_t *h, rv_setctx_t *c);
/* The same, from the newest valid snapshot before the order key `first`
 * (the first record that did not come after the state's last). */
int rv__refold_before(rv_home_t *h, rv_setctx_t *c, const uint8_t first[RV_ORDER_LEN]);

#endif
