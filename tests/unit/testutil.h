/*
 * Helpers the core unit tests share: throwaway directories under /tmp,
 * homes with cheap Argon2 costs, two-member sets, and the few steps (a
 * bundle, a state hash, a batch of records) that many tests repeat. Every
 * helper checks its own steps with cmocka assertions, so a test that calls
 * one fails at the step that went wrong. Include after <cmocka.h>.
 */
#ifndef REVANS_TESTUTIL_H
#define REVANS_TESTUTIL_H

#include "revans/body.h"
#include "revans/bundle.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/log.h"
#include "revans/set.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The cheapest Argon2id costs libsodium accepts: tests stay fast. */
#define TU_OPS 1
#define TU_MEM 8192
#define TU_PASS "correct horse battery staple"

/* Asserts that an RV_E* call returned `want`, printing both codes' phrases
 * when it did not. */
#define tu_check(want, expr) tu_check_at((want), (expr), #expr, __FILE__, __LINE__)
void tu_check_at(int want, int got, const char *expr, const char *file, int line);

/* A new directory /tmp/revans-unit-XXXXXX; the caller frees the string and
 * removes the tree with tu_rmtree(). */
char *tu_tmpdir(void);
/* Removes a directory tree (files and directories only). */
void tu_rmtree(const char *path);
/* dir "/" leaf, malloc'd. */
char *tu_path(const char *dir, const char *leaf);
/* Reads a whole file into out (appended). */
void tu_read_file(const char *path, rv_buf_t *out);
/* True when needle occurs in hay. */
bool tu_contains(const void *hay, size_t hn, const void *needle, size_t nn);

/* Creates a home in root/leaf for a person called name (unlocked). */
rv_home_t *tu_home(const char *root, const char *leaf, const char *name);

/* One committed step each. */
void tu_set_create(rv_home_t *h, const char *name, const char *topic, rv_set_id_t *ret);
void tu_set_topic(rv_home_t *h, const rv_set_id_t *set, const char *topic);
/* fac invites who (offline) with role, and who joins from the invite. */
void tu_invite_join(rv_home_t *fac, rv_home_t *who, const rv_set_id_t *set, enum rv_role role);

/* Read transactions. */
void tu_state_hash(rv_home_t *h, const rv_set_id_t *set, rv_hash_t *ret);
/* Records held in the log, of every set. */
size_t tu_record_count(rv_home_t *h);
void tu_bundle(rv_home_t *h, rv_buf_t *out);

/* Write transactions: commit on success, abort (as the CLI does) on
 * failure; return what the apply or ingest returned. */
int tu_apply(rv_home_t *h, const uint8_t *p, size_t n, rv_ingest_report_t *ret);
int tu_ingest(rv_home_t *h, const rv_raw_t *recs, size_t n, rv_ingest_report_t *ret);

/* Owned copies of records. */
typedef struct tu_recs {
  rv_raw_t *v;
  size_t n;
} tu_recs_t;
/* Appends (copies of) every record of set that a node holding theirs lacks,
 * as rv_log_missing() gives them; theirs may be NULL. Read transaction. */
void tu_recs_missing(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *theirs, size_t ntheirs,
                     tu_recs_t *out);
void tu_recs_add(tu_recs_t *r, const uint8_t *p, size_t n);
void tu_recs_release(tu_recs_t *r);
/* True when r holds a record with exactly these bytes. */
bool tu_recs_has(const tu_recs_t *r, const uint8_t *p, size_t n);

/* A set made by a, which b has joined as brole, in a fresh root. */
typedef struct tu_pair {
  char *root;
  rv_home_t *a, *b;
  rv_set_id_t set;
} tu_pair_t;
void tu_pair_init(tu_pair_t *p, enum rv_role brole);
void tu_pair_release(tu_pair_t *p);
/* cmocka fixtures: the crypto library for a group; a fresh pair (A the
 * facilitator, B a member) for each test. */
int tu_group_setup(void **state);
int tu_pair_setup(void **state);
int tu_pair_teardown(void **state);

#endif
