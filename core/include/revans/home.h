/*
 * A home: one person's revans directory, holding the LMDB store with their
 * sealed identity, the keys of the sets they belong to, every set's log and
 * its derived state. Opening a home reads only public data; unlocking it
 * with the passphrase opens the identity (the Ed25519 secret key, the local
 * key that seals everything else, the person's name) into guarded memory.
 *
 * Work happens in transactions: rv_home_begin(), any number of calls, then
 * rv_home_commit() (durable, saves every changed state) or rv_home_abort()
 * (nothing at all is stored). One home is used by one thread at a time.
 */
#ifndef REVANS_HOME_H
#define REVANS_HOME_H

#include "revans/types.h"
#include <stdbool.h>

typedef struct rv_home rv_home_t;

/* Creates the home directory dir (mode 0700, parents as needed) and a new
 * identity named name, sealed under pass. RV_EEXIST if dir already holds an
 * identity. Argon2id costs: 0, 0 for costs that take about
 * RV_PWHASH_TARGET_MS on this machine, measured now. The returned home is
 * unlocked; the caller owns it. */
int rv_home_create(const char *dir, const char *name, const char *pass, size_t passlen,
                   uint64_t ops, uint64_t mem, rv_home_t **ret);
/* Opens an existing home, locked. RV_ENOTFOUND when dir holds no identity. */
int rv_home_open(const char *dir, rv_home_t **ret);
/* Unlocks the identity with the passphrase (Argon2id, at the costs stored
 * with it). RV_EPASS for a wrong passphrase, RV_ECORRUPT when the sealed
 * identity is damaged. */
int rv_home_unlock(rv_home_t *h, const char *pass, size_t passlen);
/* Seals the identity again under a new passphrase, with a new salt and
 * the given Argon2id costs (0, 0: measured now, as at creation), in a
 * transaction of its own (none may be open: RV_EINVAL). The unlock key
 * changes with it. RV_ELOCKED. On failure the old passphrase still
 * unlocks. */
int rv_home_passphrase_change(rv_home_t *h, const char *pass, size_t passlen, uint64_t ops,
                              uint64_t mem);
/* The Argon2id costs of the unlocked identity, and the milliseconds they
 * took when it was sealed (0 for a home made before that was kept). */
void rv_home_pwhash_costs(const rv_home_t *h, uint64_t *ret_ops, uint64_t *ret_mem,
                          uint64_t *ret_ms);
/* True once unlocked (until close). */
bool rv_home_unlocked(const rv_home_t *h);
/* The stretched passphrase of an unlocked home, which unlocks it without
 * the Argon2id stretch: the node's agent hands it to the same user's
 * commands. Secret: the caller wipes it. RV_ELOCKED. */
int rv_home_unlock_key_get(const rv_home_t *h, uint8_t ret[32]);
/* Unlocks with a key from rv_home_unlock_key_get(); RV_EPASS if wrong. */
int rv_home_unlock_key(rv_home_t *h, const uint8_t key[32]);
/* This person's X25519 key pair, converted from the Ed25519 identity: the
 * node's CURVE keys. The secret half is the caller's to wipe. RV_ELOCKED. */
int rv_home_curve_keys(const rv_home_t *h, uint8_t ret_pk[32], uint8_t ret_sk[32]);
/* Wipes every secret and closes the store. Accepts NULL. */
void rv_home_close(rv_home_t **h);

/* This person's member id (public: readable while locked). Borrowed
 * until close. */
const rv_member_id_t *rv_home_self(const rv_home_t *h);
/* The person's name; NULL while locked. Borrowed until close. */
const char *rv_home_name(const rv_home_t *h);
/* The home's directory. Borrowed until close. */
const char *rv_home_dir(const rv_home_t *h);

/* Opens a transaction, read-only unless write (one at a time per home:
 * RV_EINVAL when one is open); a write transaction waits for any other
 * writer. RV_ENOMEM, RV_EROFS, RV_ECORRUPT, RV_EIO from the store. Every
 * reading and writing call of core runs inside one. */
int rv_home_begin(rv_home_t *h, bool write);
/* Persists changed states and commits durably. On failure nothing is
 * stored. Either way the transaction is over. */
int rv_home_commit(rv_home_t *h);
/* Ends the transaction storing nothing. Accepts a home with none open. */
void rv_home_abort(rv_home_t *h);

#endif
