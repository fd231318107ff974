/*
 * Tests of the fold (fold.h), fed headers and bodies directly: only the
 * creator whose id and salt give the set id can write the genesis; only a
 * facilitator admits members or changes the topic; member.join names its
 * author; what a rule refuses, and types this version does not know, change
 * nothing but the bookkeeping. The same records sorted by (lamport, author,
 * seq) give the same state hash whatever order they came in, and a state
 * survives its own encoding. A whole programme of fixed people, every body
 * family allowed and refused, folds to a pinned state hash.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/fold.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

enum { A, B, C, D, E, NPEOPLE };

/* The state hash of test_programme_state_pinned's records, as the fold
 * gives it: a change here is a change of what every member's state holds. */
#define PROGRAMME_STATE_HASH "7d9821dd7bc5e8d93d766164c3194b502b454c0014e42375d06e515f73ae5b0f"

typedef struct fixture {
  rv_enc_t *enc;
  rv_dec_t *dec;
  rv_member_id_t id[NPEOPLE];
  uint8_t salt[16];
  rv_set_id_t set;
  rv_state_t s;
} fixture_t;

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  uint8_t sk[RV_SK_LEN];
  if (!f || rv_crypto_init() < 0 || rv_enc_new(&f->enc) < 0 || rv_dec_new(&f->dec) < 0)
    return -1;
  for (int i = 0; i < NPEOPLE; i++)
    rv_sign_keypair(f->id[i].b, sk);
  rv_random(f->salt, sizeof f->salt);
  rv_set_id_derive(&f->set, &f->id[A], f->salt);
  rv_state_init(&f->s, &f->set);
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  rv_state_release(&f->s);
  rv_enc_destroy(&f->enc);
  rv_dec_destroy(&f->dec);
  free(f);
  return 0;
}

static rv_header_t hdr(const fixture_t *f, int who, uint64_t seq, uint64_t lamport) {
  rv_header_t hd;
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = f->set;
  hd.author = f->id[who];
  hd.seq = seq;
  hd.lamport = lamport;
  hd.time_ms = 1700000000000u + lamport;
  return hd;
}

static rv_body_t genesis(const fixture_t *f, const char *name, const char *topic) {
  rv_body_t b = {.type = RV_BODY_SET_CREATE};
  memcpy(b.salt, f->salt, sizeof f->salt);
  b.name = (char *)name;
  b.text = (char *)topic;
  b.text2 = "Ada";
  return b;
}

static rv_body_t add(const fixture_t *f, int who, enum rv_role role) {
  rv_body_t b = {.type = RV_BODY_MEMBER_ADD};
  b.member = f->id[who];
  b.role = role;
  return b;
}

static rv_body_t join(const char *name) {
  rv_body_t b = {.type = RV_BODY_MEMBER_JOIN};
  b.name = (char *)name;
  return b;
}

static rv_body_t topic(const char *t) {
  rv_body_t b = {.type = RV_BODY_SET_TOPIC};
  b.text = (char *)t;
  return b;
}

/* Applies one record; returns what rv_fold_apply returned. */
static int apply(fixture_t *f, int who, uint64_t seq, uint64_t lamport, rv_body_t b) {
  rv_header_t hd = hdr(f, who, seq, lamport);
  const char *why = NULL;
  int r = rv_fold_apply(&f->s, &hd, &b, &why);
  assert_true(r >= 0);
  if (r == 0)
    assert_non_null(why); /* an ignored record always says why */
  return r;
}

static void hash_of(fixture_t *f, const rv_state_t *s, rv_hash_t *ret) {
  tu_check(0, rv_state_hash(f->enc, s, ret));
}

/* The full encoding of s, in a malloc'd copy the caller frees. */
static uint8_t *encoded_copy(fixture_t *f, const rv_state_t *s, size_t *ret_n) {
  size_t n;
  rv_enc_reset(f->enc);
  tu_check(0, rv_state_encode(f->enc, s, true));
  const uint8_t *p = rv_enc_data(f->enc, &n);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, p, n);
  *ret_n = n;
  return copy;
}

static void test_genesis_by_creator(void **state) {
  fixture_t *f = *state;
  assert_false(f->s.created);
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", "care")), 1);
  assert_true(f->s.created);
  assert_string_equal(f->s.name, "north");
  assert_string_equal(f->s.topic, "care");
  assert_memory_equal(f->s.creator.b, f->id[A].b, RV_ID_LEN);
  assert_true(f->s.created_ms == 1700000000001u);
  assert_int_equal(f->s.nmembers, 1);
  const rv_member_t *m = rv_state_member(&f->s, &f->id[A]);
  assert_non_null(m);
  assert_int_equal(m->role, RV_ROLE_FACILITATOR);
  assert_true(m->joined);
  assert_string_equal(m->name, "Ada");
  assert_int_equal(f->s.folded, 1);
  assert_int_equal(f->s.ignored, 0);

  /* A second genesis, even by the creator with the same salt, changes
   * nothing. */
  rv_hash_t before, after;
  hash_of(f, &f->s, &before);
  assert_int_equal(apply(f, A, 2, 2, genesis(f, "south", "other")), 0);
  hash_of(f, &f->s, &after);
  assert_memory_equal(before.b, after.b, RV_HASH_LEN);
  assert_string_equal(f->s.name, "north");
  assert_int_equal(f->s.ignored, 1);
  assert_int_equal(f->s.lamport_max, 2);
}

static void test_genesis_by_anyone_else_ignored(void **state) {
  fixture_t *f = *state;
  rv_hash_t empty, got;
  hash_of(f, &f->s, &empty);

  /* Another person using the creator's salt: the id would not derive. */
  assert_int_equal(apply(f, B, 1, 1, genesis(f, "north", NULL)), 0);
  /* The creator with another salt. */
  rv_body_t g = genesis(f, "north", NULL);
  g.salt[0] ^= 1;
  assert_int_equal(apply(f, A, 1, 1, g), 0);
  /* The creator, but not as their first record. */
  assert_int_equal(apply(f, A, 2, 1, genesis(f, "north", NULL)), 0);
  /* The creator, but under a key epoch other than the first. */
  rv_header_t h1 = hdr(f, A, 1, 1);
  rv_body_t g1 = genesis(f, "north", NULL);
  h1.epoch = 1;
  assert_int_equal(rv_fold_apply(&f->s, &h1, &g1, NULL), 0);
  assert_false(f->s.created);
  assert_int_equal(f->s.nmembers, 0);
  hash_of(f, &f->s, &got);
  assert_memory_equal(empty.b, got.b, RV_HASH_LEN);

  /* Nothing counts before the genesis. */
  assert_int_equal(apply(f, A, 1, 1, add(f, B, RV_ROLE_MEMBER)), 0);
  assert_int_equal(apply(f, A, 1, 1, topic("x")), 0);
  assert_int_equal(apply(f, B, 1, 1, join("Bea")), 0);
  assert_false(f->s.created);
  assert_int_equal(f->s.nmembers, 0);
  assert_int_equal(f->s.ignored, 7);
  assert_int_equal(f->s.folded, 0);

  /* The creator's own genesis still works afterwards. */
  assert_int_equal(apply(f, A, 1, 2, genesis(f, "north", NULL)), 1);
  assert_true(f->s.created);
  assert_null(f->s.topic);
}

static void test_member_add_only_by_facilitator(void **state) {
  fixture_t *f = *state;
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", NULL)), 1);
  assert_int_equal(apply(f, A, 2, 2, add(f, B, RV_ROLE_MEMBER)), 1);
  const rv_member_t *m = rv_state_member(&f->s, &f->id[B]);
  assert_non_null(m);
  assert_int_equal(m->role, RV_ROLE_MEMBER);
  assert_false(m->joined);
  assert_null(m->name);

  /* A member cannot admit anyone, nor can a stranger. */
  assert_int_equal(apply(f, B, 1, 3, add(f, C, RV_ROLE_MEMBER)), 0);
  assert_int_equal(apply(f, B, 2, 3, add(f, B, RV_ROLE_FACILITATOR)), 0);
  assert_int_equal(apply(f, E, 1, 3, add(f, C, RV_ROLE_FACILITATOR)), 0);
  assert_null(rv_state_member(&f->s, &f->id[C]));
  assert_int_equal(rv_state_member(&f->s, &f->id[B])->role, RV_ROLE_MEMBER);

  /* A facilitator made by the creator can. */
  assert_int_equal(apply(f, A, 3, 4, add(f, C, RV_ROLE_FACILITATOR)), 1);
  assert_int_equal(apply(f, C, 1, 5, add(f, D, RV_ROLE_MEMBER)), 1);
  assert_non_null(rv_state_member(&f->s, &f->id[D]));
  /* A promotion sticks; a later add with a lesser role does not demote. */
  assert_int_equal(apply(f, C, 2, 6, add(f, B, RV_ROLE_FACILITATOR)), 1);
  assert_int_equal(apply(f, A, 4, 7, add(f, B, RV_ROLE_MEMBER)), 1);
  assert_int_equal(rv_state_member(&f->s, &f->id[B])->role, RV_ROLE_FACILITATOR);

  /* Members are kept sorted by id. */
  assert_int_equal(f->s.nmembers, 4);
  for (size_t i = 1; i < f->s.nmembers; i++)
    assert_true(memcmp(f->s.members[i - 1].id.b, f->s.members[i].id.b, RV_ID_LEN) < 0);
}

static void test_member_join_sets_name(void **state) {
  fixture_t *f = *state;
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", NULL)), 1);
  assert_int_equal(apply(f, A, 2, 2, add(f, B, RV_ROLE_MEMBER)), 1);
  assert_int_equal(apply(f, B, 1, 3, join("Bea")), 1);
  const rv_member_t *m = rv_state_member(&f->s, &f->id[B]);
  assert_true(m->joined);
  assert_string_equal(m->name, "Bea");
  /* A later join renames. */
  assert_int_equal(apply(f, B, 2, 4, join("Beatrice")), 1);
  assert_string_equal(rv_state_member(&f->s, &f->id[B])->name, "Beatrice");
  /* Someone never admitted cannot join. */
  assert_int_equal(apply(f, C, 1, 5, join("Cy")), 0);
  assert_null(rv_state_member(&f->s, &f->id[C]));
  assert_int_equal(f->s.nmembers, 2);
}

static void test_topic_and_epoch_rules(void **state) {
  fixture_t *f = *state;
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", "first")), 1);
  assert_int_equal(apply(f, A, 2, 2, add(f, B, RV_ROLE_MEMBER)), 1);
  assert_int_equal(apply(f, B, 1, 3, topic("by a member")), 0);
  assert_string_equal(f->s.topic, "first");
  assert_int_equal(apply(f, A, 3, 4, topic("second")), 1);
  assert_string_equal(f->s.topic, "second");
  assert_int_equal(apply(f, A, 4, 5, topic(NULL)), 1);
  assert_null(f->s.topic);
  /* A record written under a key epoch that is not current. */
  rv_header_t hd = hdr(f, A, 5, 6);
  rv_body_t b = topic("old key");
  const char *why = NULL;
  hd.epoch = 1;
  assert_int_equal(rv_fold_apply(&f->s, &hd, &b, &why), 0);
  assert_non_null(why);
  assert_null(f->s.topic);
}

static void test_unknown_type_ignored(void **state) {
  fixture_t *f = *state;
  rv_hash_t before, after;
  rv_body_t d;
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", NULL)), 1);
  hash_of(f, &f->s, &before);

  /* A body from a later version, decoded by this one. */
  rv_enc_reset(f->enc);
  rv_enc_map(f->enc, 2);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "x.from-a-later-version");
  rv_enc_cstr(f->enc, "topic");
  rv_enc_cstr(f->enc, "not this one");
  size_t n;
  const uint8_t *p = rv_enc_data(f->enc, &n);
  tu_check(0, rv_body_decode(f->dec, p, n, &d));
  assert_int_equal(d.type, RV_BODY_UNKNOWN);
  assert_int_equal(apply(f, A, 2, 2, d), 0);
  rv_body_release(&d);

  hash_of(f, &f->s, &after);
  assert_memory_equal(before.b, after.b, RV_HASH_LEN);
  assert_int_equal(f->s.ignored, 1);
  assert_int_equal(f->s.lamport_max, 2);
  assert_true(f->s.has_last);
  /* The bookkeeping remembers the last record folded. */
  rv_header_t hd = hdr(f, A, 2, 2);
  uint8_t k[RV_ORDER_LEN];
  rv_order_key(k, &hd);
  assert_memory_equal(f->s.last, k, RV_ORDER_LEN);

  /* rv_fold_skip moves only the bookkeeping. */
  hd = hdr(f, B, 1, 9);
  rv_fold_skip(&f->s, &hd);
  assert_int_equal(f->s.ignored, 2);
  assert_int_equal(f->s.lamport_max, 9);
  hash_of(f, &f->s, &after);
  assert_memory_equal(before.b, after.b, RV_HASH_LEN);
}

static void test_order_key(void **state) {
  fixture_t *f = *state;
  uint8_t k1[RV_ORDER_LEN], k2[RV_ORDER_LEN];
  rv_header_t h1 = hdr(f, A, 9, 255), h2 = hdr(f, A, 1, 256);
  rv_order_key(k1, &h1);
  rv_order_key(k2, &h2);
  assert_memory_equal(k1, f->set.b, RV_SETID_LEN);
  assert_true(memcmp(k1, k2, RV_ORDER_LEN) < 0); /* lamport first, numerically */
  h2 = hdr(f, A, 1, (uint64_t)1 << 40);
  rv_order_key(k2, &h2);
  assert_true(memcmp(k1, k2, RV_ORDER_LEN) < 0);
  /* Same lamport: author, then seq. */
  h1 = hdr(f, A, 2, 7);
  h2 = hdr(f, B, 1, 7);
  rv_order_key(k1, &h1);
  rv_order_key(k2, &h2);
  assert_int_equal(memcmp(k1, k2, RV_ORDER_LEN) < 0, memcmp(f->id[A].b, f->id[B].b, RV_ID_LEN) < 0);
  h1 = hdr(f, A, 255, 7);
  h2 = hdr(f, A, 256, 7);
  rv_order_key(k1, &h1);
  rv_order_key(k2, &h2);
  assert_true(memcmp(k1, k2, RV_ORDER_LEN) < 0);

  rv_set_id_t s2;
  rv_set_id_derive(&s2, &f->id[A], f->salt);
  assert_memory_equal(s2.b, f->set.b, RV_SETID_LEN);
  rv_set_id_derive(&s2, &f->id[B], f->salt);
  assert_memory_not_equal(s2.b, f->set.b, RV_SETID_LEN);
}

/* ---- order independence -------------------------------------------- */

typedef struct rec {
  rv_header_t hd;
  rv_body_t b;
  uint8_t key[RV_ORDER_LEN];
} rec_t;

static int cmp_rec(const void *a, const void *b) {
  return memcmp(((const rec_t *)a)->key, ((const rec_t *)b)->key, RV_ORDER_LEN);
}

/* A history with concurrent writers: A and B both facilitators, writing
 * at the same lamport times, lamports above 255 (so that a key that did not
 * sort numerically would misplace them), a refused record and one of an
 * unknown type. */
static size_t history(const fixture_t *f, rec_t *out) {
  size_t n = 0;
#define REC(who, seq, lamport, body)                                                               \
  do {                                                                                             \
    out[n].hd = hdr(f, (who), (seq), (lamport));                                                   \
    out[n].b = (body);                                                                             \
    rv_order_key(out[n].key, &out[n].hd);                                                          \
    n++;                                                                                           \
  } while (0)
  REC(A, 1, 1, genesis(f, "north", "t0"));
  REC(A, 2, 2, add(f, B, RV_ROLE_FACILITATOR));
  REC(A, 3, 3, add(f, C, RV_ROLE_MEMBER));
  REC(B, 1, 3, join("Bea"));
  REC(C, 1, 256, join("Cy"));
  REC(A, 4, 300, topic("from Ada"));
  REC(B, 2, 300, topic("from Bea"));
  REC(C, 2, 301, topic("from Cy")); /* refused: C is a member */
  REC(B, 3, 302, add(f, D, RV_ROLE_MEMBER));
  rv_body_t unknown = {.type = RV_BODY_UNKNOWN};
  REC(A, 5, 303, unknown);
  REC(D, 1, 1000, join("Dee"));
  REC(B, 4, 1000, join("Bee"));
#undef REC
  return n;
}

static void fold_all(rv_state_t *s, const rv_set_id_t *set, rec_t *recs, size_t n) {
  rv_state_init(s, set);
  for (size_t i = 0; i < n; i++)
    assert_true(rv_fold_apply(s, &recs[i].hd, &recs[i].b, NULL) >= 0);
}

static void test_order_independence(void **state) {
  fixture_t *f = *state;
  rec_t recs[16];
  size_t n = history(f, recs);
  rv_state_t s;
  rv_hash_t want, got;

  /* The reference: sorted once. */
  qsort(recs, n, sizeof *recs, cmp_rec);
  fold_all(&s, &f->set, recs, n);
  hash_of(f, &s, &want);
  /* What the rules say the history means. */
  bool b_after_a = memcmp(f->id[A].b, f->id[B].b, RV_ID_LEN) < 0;
  assert_true(s.created);
  assert_string_equal(s.topic, b_after_a ? "from Bea" : "from Ada");
  assert_int_equal(s.nmembers, 4);
  assert_string_equal(rv_state_member(&s, &f->id[B])->name, "Bee");
  assert_string_equal(rv_state_member(&s, &f->id[C])->name, "Cy");
  assert_string_equal(rv_state_member(&s, &f->id[D])->name, "Dee");
  assert_int_equal(rv_state_member(&s, &f->id[C])->role, RV_ROLE_MEMBER);
  assert_int_equal(s.folded, 10);
  assert_int_equal(s.ignored, 2);
  assert_int_equal(s.lamport_max, 1000);
  rv_state_release(&s);

  /* Any arrival order, once sorted, gives the same state. */
  for (int round = 0; round < 300; round++) {
    for (size_t i = n - 1; i > 0; i--) {
      uint32_t r;
      rv_random(&r, sizeof r);
      size_t j = r % (i + 1);
      rec_t t = recs[i];
      recs[i] = recs[j];
      recs[j] = t;
    }
    qsort(recs, n, sizeof *recs, cmp_rec);
    fold_all(&s, &f->set, recs, n);
    hash_of(f, &s, &got);
    assert_memory_equal(want.b, got.b, RV_HASH_LEN);
    assert_int_equal(s.folded, 10);
    rv_state_release(&s);
  }
}

/* ---- encoding ------------------------------------------------------ */

static void test_state_encode_decode(void **state) {
  fixture_t *f = *state;
  rec_t recs[16];
  size_t n = history(f, recs);
  rv_state_t d;
  rv_hash_t h1, h2;
  qsort(recs, n, sizeof *recs, cmp_rec);
  rv_state_release(&f->s);
  fold_all(&f->s, &f->set, recs, n);
  hash_of(f, &f->s, &h1);

  size_t len;
  uint8_t *copy = encoded_copy(f, &f->s, &len);
  const uint8_t *p;
  tu_check(0, rv_state_decode(f->dec, copy, len, &d));
  hash_of(f, &d, &h2);
  assert_memory_equal(h1.b, h2.b, RV_HASH_LEN);
  assert_memory_equal(d.set.b, f->s.set.b, RV_SETID_LEN);
  assert_int_equal(d.nmembers, f->s.nmembers);
  for (size_t i = 0; i < d.nmembers; i++) {
    assert_memory_equal(d.members[i].id.b, f->s.members[i].id.b, RV_ID_LEN);
    assert_int_equal(d.members[i].role, f->s.members[i].role);
    assert_int_equal(d.members[i].joined, f->s.members[i].joined);
    assert_string_equal(d.members[i].name, f->s.members[i].name);
  }
  assert_true(d.lamport_max == f->s.lamport_max);
  assert_true(d.folded == f->s.folded && d.ignored == f->s.ignored);
  assert_int_equal(d.has_last, f->s.has_last);
  assert_memory_equal(d.last, f->s.last, RV_ORDER_LEN);
  assert_int_equal(d.epoch, f->s.epoch);
  assert_true(d.created_ms == f->s.created_ms);
  rv_state_release(&d);

  /* A damaged encoding never decodes into a state: truncations, and the
   * short form without the bookkeeping. */
  for (size_t i = 0; i < len; i++)
    assert_true(rv_state_decode(f->dec, copy, i, &d) < 0);
  free(copy);
  rv_enc_reset(f->enc);
  tu_check(0, rv_state_encode(f->enc, &f->s, false));
  p = rv_enc_data(f->enc, &len);
  assert_true(rv_state_decode(f->dec, p, len, &d) < 0);

  /* An empty state too. */
  rv_state_t empty;
  rv_state_init(&empty, &f->set);
  rv_enc_reset(f->enc);
  tu_check(0, rv_state_encode(f->enc, &empty, true));
  p = rv_enc_data(f->enc, &len);
  tu_check(0, rv_state_decode(f->dec, p, len, &d));
  hash_of(f, &empty, &h1);
  hash_of(f, &d, &h2);
  assert_memory_equal(h1.b, h2.b, RV_HASH_LEN);
  assert_false(d.created);
  rv_state_release(&d);
}

/* The hash covers what members see and nothing of the bookkeeping. */
static void test_state_hash_scope(void **state) {
  fixture_t *f = *state;
  rv_state_t s2;
  rv_hash_t h1, h2;
  assert_int_equal(apply(f, A, 1, 1, genesis(f, "north", NULL)), 1);
  rv_state_init(&s2, &f->set);
  rv_header_t hd = hdr(f, B, 1, 1);
  rv_body_t b = join("nobody");
  assert_int_equal(rv_fold_apply(&s2, &hd, &b, NULL), 0); /* only bookkeeping */
  hd = hdr(f, A, 1, 1);
  b = genesis(f, "north", NULL);
  assert_int_equal(rv_fold_apply(&s2, &hd, &b, NULL), 1);
  hash_of(f, &f->s, &h1);
  hash_of(f, &s2, &h2);
  assert_memory_equal(h1.b, h2.b, RV_HASH_LEN);
  assert_int_not_equal(f->s.ignored, s2.ignored);

  /* ...but every visible change moves it. */
  b = topic("changed");
  hd = hdr(f, A, 2, 2);
  assert_int_equal(rv_fold_apply(&s2, &hd, &b, NULL), 1);
  hash_of(f, &s2, &h2);
  assert_memory_not_equal(h1.b, h2.b, RV_HASH_LEN);
  rv_state_release(&s2);
}

/* ---- a whole programme, its state hash pinned ------------------------ */

/* A set of fixed people (ids and salt are constant bytes: the fold does
 * not check that ids are keys), so that its state hash is the same on
 * every run. */
static void fixed_people(fixture_t *f) {
  for (int i = 0; i < NPEOPLE; i++)
    memset(f->id[i].b, 0x11 * (i + 1), RV_ID_LEN);
  memset(f->salt, 0x5a, sizeof f->salt);
  rv_set_id_derive(&f->set, &f->id[A], f->salt);
  rv_state_release(&f->s);
  rv_state_init(&f->s, &f->set);
}

typedef struct script {
  fixture_t *f;
  uint64_t seq[NPEOPLE];
  uint64_t lamport;
} script_t;

/* The next record of who; its object id into ret_oid when not NULL. */
static int say(script_t *sc, int who, rv_body_t b, rv_oid_t *ret_oid) {
  uint64_t seq = ++sc->seq[who];
  if (ret_oid)
    rv_oid_of(ret_oid, &sc->f->set, &sc->f->id[who], seq);
  return apply(sc->f, who, seq, ++sc->lamport, b);
}

static rv_body_t on(enum rv_body_type type, const rv_oid_t *ref) {
  rv_body_t b = {.type = type};
  if (ref)
    b.ref = *ref;
  return b;
}

static int who_is(const fixture_t *f, const rv_member_id_t *id) {
  for (int i = 0; i < NPEOPLE; i++)
    if (memcmp(f->id[i].b, id->b, RV_ID_LEN) == 0)
      return i;
  fail_msg("not one of the people");
  return -1;
}

/* One presentation: its presenter presents, writes an action, and is
 * asked two questions, answered, followed up, grouped and one discarded. */
static void presentation(script_t *sc, const rv_oid_t *mid, rv_oid_t *ret_action) {
  const rv_meeting_t *m = rv_state_meeting(&sc->f->s, mid);
  int p = who_is(sc->f, &rv_meeting_slot(m)->presenter), q = p == B ? C : B;
  rv_oid_t q1, q2;
  assert_int_equal(say(sc, p, on(RV_BODY_PRESENT, mid), NULL), 1);
  rv_body_t ask = on(RV_BODY_ASK, mid);
  ask.member = sc->f->id[p];
  ask.text = "what would help?";
  ask.num = 1;
  assert_int_equal(say(sc, q, ask, &q1), 1);
  ask.text = "and who?";
  ask.num = 2;
  ask.flag = true;
  assert_int_equal(say(sc, A, ask, &q2), 1);
  /* Asked during the presentation: held until the facilitator moves the
   * slot on to its questions. */
  assert_true(rv_state_question(&sc->f->s, &q1)->held);
  rv_body_t early = on(RV_BODY_ANSWER, &q1);
  early.text = "not yet";
  assert_int_equal(say(sc, p, early, NULL), 0);
  rv_body_t part = on(RV_BODY_MEETING_PART, mid);
  part.num = m->current;
  part.num2 = RV_PART_QUESTIONS;
  assert_int_equal(say(sc, p, part, NULL), 0); /* not a facilitator */
  assert_int_equal(say(sc, A, part, NULL), 1);
  assert_false(rv_state_question(&sc->f->s, &q2)->held);
  rv_body_t act = on(RV_BODY_ACTION_ADD, mid);
  act.text = "ask the ward";
  act.num = 7;
  assert_int_equal(say(sc, p, act, ret_action), 1);
  rv_body_t ans = on(RV_BODY_ANSWER, &q1);
  ans.text = "time";
  assert_int_equal(say(sc, p, ans, NULL), 1);
  rv_body_t fu = on(RV_BODY_FOLLOW_UP, &q1);
  fu.text = "how much?";
  assert_int_equal(say(sc, q, fu, NULL), 1);
  assert_int_equal(say(sc, q, on(RV_BODY_DISCARD, &q1), NULL), 0); /* not theirs */
  rv_oid_t both[2] = {q1, q2};
  rv_body_t grp = on(RV_BODY_GROUP, NULL);
  grp.refs = both;
  grp.nrefs = 2;
  grp.name = "help";
  assert_int_equal(say(sc, p, grp, NULL), 1);
  assert_int_equal(say(sc, p, on(RV_BODY_DISCARD, &q2), NULL), 1);
}

/* Every body family of the programme, allowed and refused, from the
 * contract to report-in, folded in one order: the state's hash is pinned,
 * so that a change to the fold that alters any state shows here. */
static void test_programme_state_pinned(void **state) {
  fixture_t *f = *state;
  script_t sc = {.f = f};
  rv_oid_t m1, m2, action = {{0}};
  fixed_people(f);
  assert_int_equal(say(&sc, A, genesis(f, "north", "care"), NULL), 1);
  assert_int_equal(say(&sc, A, add(f, B, RV_ROLE_MEMBER), NULL), 1);
  assert_int_equal(say(&sc, A, add(f, C, RV_ROLE_MEMBER), NULL), 1);
  assert_int_equal(say(&sc, B, join("Ben"), NULL), 1);
  assert_int_equal(say(&sc, C, join("Cy"), NULL), 1);
  rv_body_t b = on(RV_BODY_CONTRACT_ADD, NULL);
  b.text = "what is said here stays here";
  assert_int_equal(say(&sc, A, b, NULL), 1);
  assert_int_equal(say(&sc, B, b, NULL), 0);
  b = on(RV_BODY_CONTRACT_QUORUM, NULL);
  b.num = 2;
  assert_int_equal(say(&sc, A, b, NULL), 1);
  b = on(RV_BODY_CONTRACT_AGREE, NULL);
  b.num = 2; /* the quorum changed no version: a later one counts for the current */
  assert_int_equal(say(&sc, B, b, NULL), 1);
  b.num = 0;
  assert_int_equal(say(&sc, C, b, NULL), 0);
  b = on(RV_BODY_MEETING_SCHEDULE, NULL);
  b.num = 1700000100000u;
  b.num2 = 90;
  b.text = "the library";
  assert_int_equal(say(&sc, A, b, &m1), 1);
  assert_int_equal(say(&sc, B, b, NULL), 0);
  b.num2 = 5;
  assert_int_equal(say(&sc, A, b, NULL), 0);
  b = on(RV_BODY_APOLOGISE, &m1);
  b.text = "late, sorry";
  assert_int_equal(say(&sc, C, b, NULL), 1);
  assert_int_equal(say(&sc, B, on(RV_BODY_MEETING_START, &m1), NULL), 0);
  assert_int_equal(say(&sc, A, on(RV_BODY_MEETING_START, &m1), NULL), 1);
  /* Apologies while the meeting runs (called away); attending replaces them. */
  assert_int_equal(say(&sc, C, on(RV_BODY_APOLOGISE, &m1), NULL), 1);
  assert_int_equal(say(&sc, B, on(RV_BODY_ATTEND, &m1), NULL), 1);
  assert_int_equal(say(&sc, C, on(RV_BODY_ATTEND, &m1), NULL), 1);
  assert_int_equal(say(&sc, C, on(RV_BODY_ATTEND, &m1), NULL), 1);
  b = on(RV_BODY_BID, &m1);
  b.text = "a hard week";
  b.num = 30;
  assert_int_equal(say(&sc, B, b, NULL), 1);
  b.text = "a question of time";
  b.num = 20;
  assert_int_equal(say(&sc, C, b, NULL), 1);
  b = on(RV_BODY_MEETING_NEXT, &m1);
  b.num = RV_PHASE_REPORT_IN;
  assert_int_equal(say(&sc, A, b, NULL), 1);
  b.num = RV_PHASE_BIDDING;
  assert_int_equal(say(&sc, A, b, NULL), 0); /* not allocated yet */
  rv_body_t alloc = on(RV_BODY_ALLOCATE, &m1);
  rv_member_id_t order[2] = {f->id[C], f->id[C]};
  alloc.members = order;
  alloc.nmembers = 2;
  assert_int_equal(say(&sc, A, alloc, NULL), 0); /* Cy twice, Ben left out */
  order[1] = f->id[B];
  assert_int_equal(say(&sc, A, alloc, NULL), 1); /* Cy first, then Ben */
  assert_int_equal(say(&sc, A, b, NULL), 1);
  const rv_meeting_t *m = rv_state_meeting(&f->s, &m1);
  assert_int_equal(m->phase, RV_PHASE_PRESENTATIONS);
  while (m->phase == RV_PHASE_PRESENTATIONS) {
    presentation(&sc, &m1, &action);
    b = on(RV_BODY_MEETING_NEXT, &m1);
    b.num = RV_PHASE_PRESENTATIONS;
    b.num2 = m->current;
    assert_int_equal(say(&sc, A, b, NULL), 1);
    m = rv_state_meeting(&f->s, &m1);
  }
  b = on(RV_BODY_FEEDBACK, &m1);
  b.text = "the listening";
  b.text2 = "the clock";
  assert_int_equal(say(&sc, B, b, NULL), 1);
  assert_int_equal(say(&sc, C, b, NULL), 1);
  b = on(RV_BODY_MEETING_NEXT, &m1);
  b.num = RV_PHASE_FEEDBACK;
  assert_int_equal(say(&sc, A, b, NULL), 1);
  b = on(RV_BODY_REPORT_IN, &action);
  b.num = RV_A_PROGRESS;
  b.text = "half of it";
  assert_int_equal(say(&sc, A, b, NULL), 0); /* not the owner */
  int owner = who_is(f, &rv_state_action(&f->s, &action)->owner);
  assert_int_equal(say(&sc, owner, b, NULL), 1);
  b = on(RV_BODY_MEETING_SCHEDULE, NULL);
  b.num = 1700000200000u;
  b.num2 = 60;
  assert_int_equal(say(&sc, A, b, &m2), 1);
  assert_int_equal(say(&sc, A, on(RV_BODY_MEETING_START, &m2), NULL), 1);
  assert_int_equal(say(&sc, A, on(RV_BODY_MEETING_CLOSE, &m2), NULL), 1);
  assert_int_equal(say(&sc, A, on(RV_BODY_MEETING_CLOSE, &m2), NULL), 0);

  rv_hash_t got, again;
  char hex[2 * RV_HASH_LEN + 1];
  hash_of(f, &f->s, &got);
  rv_hex(hex, got.b, RV_HASH_LEN);
  assert_string_equal(hex, PROGRAMME_STATE_HASH);
  /* The state survives its own encoding, programme and all. */
  size_t n;
  uint8_t *copy = encoded_copy(f, &f->s, &n);
  rv_state_t back;
  tu_check(0, rv_state_decode(f->dec, copy, n, &back));
  hash_of(f, &back, &again);
  assert_memory_equal(got.b, again.b, RV_HASH_LEN);
  rv_state_release(&back);
  free(copy);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_genesis_by_creator, setup, teardown),
      cmocka_unit_test_setup_teardown(test_genesis_by_anyone_else_ignored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_member_add_only_by_facilitator, setup, teardown),
      cmocka_unit_test_setup_teardown(test_member_join_sets_name, setup, teardown),
      cmocka_unit_test_setup_teardown(test_topic_and_epoch_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unknown_type_ignored, setup, teardown),
      cmocka_unit_test_setup_teardown(test_order_key, setup, teardown),
      cmocka_unit_test_setup_teardown(test_order_independence, setup, teardown),
      cmocka_unit_test_setup_teardown(test_state_encode_decode, setup, teardown),
      cmocka_unit_test_setup_teardown(test_state_hash_scope, setup, teardown),
      cmocka_unit_test_setup_teardown(test_programme_state_pinned, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
