/*
 * Sets: creating one, finding one by name or id prefix, reading its folded
 * state, the default set, offline invitations and joining. All of these run
 * inside a transaction of the home (home.h).
 */
#ifndef REVANS_SET_H
#define REVANS_SET_H

#include "revans/body.h"
#include "revans/fold.h"
#include "revans/home.h"

/* Creates a set with a fresh epoch-0 key and its genesis record, which
 * makes this person its facilitator. Write transaction; home unlocked. */
int rv_set_create(rv_home_t *h, const char *name, const char *topic, rv_set_id_t *ret);

/* Every set whose key this home holds, in id order. Caller frees *ret. */
int rv_set_list(rv_home_t *h, rv_set_id_t **ret, size_t *ret_n);

/* Finds a set by name (case-insensitive) or else by a hex prefix of its
 * id. RV_ENOTFOUND, RV_EAMBIG. */
int rv_set_find(rv_home_t *h, const char *name_or_prefix, rv_set_id_t *ret);
/* The same, by name only. */
int rv_set_find_name(rv_home_t *h, const char *name, rv_set_id_t *ret);

/* The set the commands use when none is named: the one chosen by
 * rv_set_use(), else the only one. RV_ENOTFOUND when there is none,
 * RV_EAMBIG when there are several and none was chosen. */
int rv_set_default(rv_home_t *h, rv_set_id_t *ret);
/* Chooses the set rv_set_default() gives (stored in the home). Write
 * transaction. */
int rv_set_use(rv_home_t *h, const rv_set_id_t *set);

/* The folded state of a set: borrowed until the transaction ends. */
int rv_set_state(rv_home_t *h, const rv_set_id_t *set, const rv_state_t **ret);
/* The hash of a state (fold.h), computed with the home's encoder. */
int rv_set_state_hash(rv_home_t *h, const rv_state_t *s, rv_hash_t *ret);

/* Recomputes the state of a set from its log (what the fold would give on
 * a fresh node). */
int rv_set_refold(rv_home_t *h, const rv_set_id_t *set);

/* Finds a member of a set by name (case-insensitive) or hex prefix of
 * their id. RV_ENOTFOUND, RV_EAMBIG. */
int rv_set_find_member(rv_home_t *h, const rv_set_id_t *set, const char *name_or_prefix,
                       rv_member_id_t *ret);

/* Offline invitation: records that `who` is a member with `role` (unless
 * they already are) and appends to out an invite file holding every key of
 * the set sealed to `who` and the set's records. Facilitators only
 * (RV_EPERM otherwise). Write transaction. */
int rv_set_invite(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *who,
                  enum rv_role role, rv_buf_t *out);

/* Removes `who` from the set and starts a new key epoch: writes a
 * member.remove record carrying a fresh random key sealed to each
 * remaining member, after which this home seals its records under the new
 * epoch. Facilitators only. RV_EPERM when the fold would ignore the
 * removal (*ret_why, a static phrase, says why: not a facilitator, not a
 * member, the last facilitator); the caller aborts. Write transaction;
 * home unlocked. On success *ret_epoch is the new current epoch. */
int rv_set_remove(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *who,
                  uint32_t *ret_epoch, const char **ret_why);

/* Joins the set of an invite file made for this person: stores the keys,
 * ingests the records, and writes this person's member.join record.
 * RV_EAUTH if the invite is for someone else, RV_EFORMAT if damaged,
 * RV_EEXIST if already a member. Write transaction. */
int rv_set_join(rv_home_t *h, const uint8_t *file, size_t n, rv_set_id_t *ret);

#endif
