/*
 * Tests of bundles (bundle.h), the way records travel between machines
 * without a network: exchanged both ways they leave two homes with equal
 * state; applied again they add nothing; altered in any byte or cut short
 * anywhere they are refused and change nothing; even with the checksum
 * recomputed over an altered record, no altered byte is ever stored; and a
 * bundle of nothing but sets held elsewhere is RV_EFOREIGN.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/bundle.h"
#include "revans/error.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define TRAILER (2 + RV_HASH_LEN)

static void expect_same_state(rv_home_t *x, rv_home_t *y, const rv_set_id_t *set) {
  rv_hash_t hx, hy;
  tu_state_hash(x, set, &hx);
  tu_state_hash(y, set, &hy);
  assert_memory_equal(hx.b, hy.b, RV_HASH_LEN);
}

static void test_both_ways_equal_state(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba, bb;
  rv_ingest_report_t rep;
  rv_hash_t ha, hb;
  rv_buf_init(&ba);
  rv_buf_init(&bb);
  tu_set_topic(p->a, &p->set, "a new topic");

  /* Before: each lacks the other's latest record. */
  tu_state_hash(p->a, &p->set, &ha);
  tu_state_hash(p->b, &p->set, &hb);
  assert_memory_not_equal(ha.b, hb.b, RV_HASH_LEN);

  tu_bundle(p->a, &ba);
  tu_bundle(p->b, &bb);
  tu_check(0, tu_apply(p->b, ba.data, ba.len, &rep));
  assert_int_equal(rep.received, 3); /* genesis, B's admission, the topic */
  assert_int_equal(rep.added, 1);
  assert_int_equal(rep.duplicates, 2);
  assert_int_equal(rep.forks + rep.foreign + rep.unreadable, 0);
  tu_check(0, tu_apply(p->a, bb.data, bb.len, &rep));
  assert_int_equal(rep.received, 3); /* genesis, B's admission, B's join */
  assert_int_equal(rep.added, 1);
  assert_int_equal(rep.duplicates, 2);

  expect_same_state(p->a, p->b, &p->set);
  assert_int_equal(tu_record_count(p->a), 4);
  assert_int_equal(tu_record_count(p->b), 4);

  const rv_state_t *s;
  tu_check(0, rv_home_begin(p->a, false));
  tu_check(0, rv_set_state(p->a, &p->set, &s));
  assert_string_equal(s->topic, "a new topic");
  assert_string_equal(rv_state_member(s, rv_home_self(p->b))->name, "Bea");
  rv_home_abort(p->a);
  rv_buf_release(&ba);
  rv_buf_release(&bb);
}

static void test_reapply_adds_nothing(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t bb;
  rv_ingest_report_t rep;
  rv_hash_t h1, h2;
  rv_buf_init(&bb);
  tu_bundle(p->b, &bb);
  tu_check(0, tu_apply(p->a, bb.data, bb.len, &rep));
  assert_int_equal(rep.added, 1);
  tu_state_hash(p->a, &p->set, &h1);
  size_t count = tu_record_count(p->a);
  for (int i = 0; i < 3; i++) {
    tu_check(0, tu_apply(p->a, bb.data, bb.len, &rep));
    assert_int_equal(rep.added, 0);
    assert_int_equal(rep.duplicates, rep.received);
    tu_state_hash(p->a, &p->set, &h2);
    assert_memory_equal(h1.b, h2.b, RV_HASH_LEN);
    assert_int_equal(tu_record_count(p->a), count);
  }
  /* A's own bundle, applied to A, adds nothing either. */
  rv_buf_clear(&bb);
  tu_bundle(p->a, &bb);
  tu_check(0, tu_apply(p->a, bb.data, bb.len, &rep));
  assert_int_equal(rep.added, 0);
  rv_buf_release(&bb);
}

/* A writes a few records that B lacks; the bundle carrying them. */
static void news_for_b(tu_pair_t *p, rv_buf_t *out) {
  tu_set_topic(p->a, &p->set, "one");
  tu_set_topic(p->a, &p->set, "two");
  tu_set_topic(p->a, &p->set, "three");
  tu_bundle(p->a, out);
}

static void test_altered_byte_refused(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba;
  rv_hash_t before, now;
  rv_buf_init(&ba);
  news_for_b(p, &ba);
  tu_state_hash(p->b, &p->set, &before);
  size_t count = tu_record_count(p->b);

  uint8_t *copy = malloc(ba.len);
  assert_non_null(copy);
  for (size_t i = 0; i < ba.len; i++) {
    memcpy(copy, ba.data, ba.len);
    copy[i] ^= 0x01;
    int r = tu_apply(p->b, copy, ba.len, NULL);
    if (r >= 0)
      print_error("a bundle with byte %zu of %zu altered was accepted\n", i, ba.len);
    assert_true(r < 0);
    tu_state_hash(p->b, &p->set, &now);
    assert_memory_equal(before.b, now.b, RV_HASH_LEN);
    assert_int_equal(tu_record_count(p->b), count);
  }
  free(copy);

  /* The intact bundle still applies, and B's back to A evens them out. */
  tu_check(0, tu_apply(p->b, ba.data, ba.len, NULL));
  rv_buf_clear(&ba);
  tu_bundle(p->b, &ba);
  tu_check(0, tu_apply(p->a, ba.data, ba.len, NULL));
  expect_same_state(p->a, p->b, &p->set);
  rv_buf_release(&ba);
}

static void test_truncated_refused(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba;
  rv_hash_t before, now;
  rv_buf_init(&ba);
  news_for_b(p, &ba);
  tu_state_hash(p->b, &p->set, &before);
  size_t count = tu_record_count(p->b);
  for (size_t n = 0; n < ba.len; n++) {
    /* An exact-size copy, so that reading past the end is caught by ASan. */
    uint8_t *cut = malloc(n ? n : 1);
    assert_non_null(cut);
    memcpy(cut, ba.data, n);
    int r = tu_apply(p->b, cut, n, NULL);
    free(cut);
    assert_true(r < 0);
  }
  tu_state_hash(p->b, &p->set, &now);
  assert_memory_equal(before.b, now.b, RV_HASH_LEN);
  assert_int_equal(tu_record_count(p->b), count);
  /* Extra bytes after the checksum are damage too. */
  tu_check(0, rv_buf_append(&ba, "\0", 1));
  assert_true(tu_apply(p->b, ba.data, ba.len, NULL) < 0);
  rv_buf_release(&ba);
}

/* Rewrites the trailing checksum after an edit, as a forger would. */
static void reseal(uint8_t *p, size_t n) {
  assert_true(n > TRAILER);
  assert_int_equal(p[n - TRAILER], 0xc4);
  /* The records array is element 3 of a bundle. An edit that breaks the
   * container's structure leaves the old checksum: refused either way. */
  uint8_t sum[RV_HASH_LEN];
  if (rv_bundle_checksum(p, n, 3, sum) == 0)
    memcpy(p + n - RV_HASH_LEN, sum, RV_HASH_LEN);
}

static int collect(void *ctx, const uint8_t *raw, size_t n) {
  tu_recs_add(ctx, raw, n);
  return 0;
}

/* The checksum is no signature: anyone can recompute it. With it
 * recomputed, an altered bundle may still be applied (the bytes of its
 * creation time are not signed, and a record whose set id is altered is
 * merely foreign), but nothing that any author did not sign may be
 * stored, and no altered record may pass for a fork. */
static void test_altered_with_checksum_stores_nothing_forged(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba;
  tu_recs_t genuine = {0};
  size_t accepted = 0;
  rv_buf_init(&ba);
  news_for_b(p, &ba);
  tu_recs_missing(p->a, &p->set, NULL, 0, &genuine);
  tu_recs_missing(p->b, &p->set, NULL, 0, &genuine);

  uint8_t *copy = malloc(ba.len);
  assert_non_null(copy);
  for (size_t i = 0; i < ba.len - TRAILER; i++) {
    memcpy(copy, ba.data, ba.len);
    copy[i] ^= 0x01;
    reseal(copy, ba.len);
    tu_check(0, rv_home_begin(p->b, true));
    int r = rv_bundle_apply(p->b, copy, ba.len, NULL);
    if (r == 0) {
      tu_recs_t held = {0}, forks = {0};
      rv_verify_report_t vr;
      accepted++;
      tu_check(0, rv_log_missing(p->b, &p->set, NULL, 0, collect, &held));
      for (size_t k = 0; k < held.n; k++) {
        if (!tu_recs_has(&genuine, held.v[k].p, held.v[k].n))
          print_error("byte %zu altered: a record nobody signed was stored\n", i);
        assert_true(tu_recs_has(&genuine, held.v[k].p, held.v[k].n));
      }
      tu_check(0, rv_log_forks(p->b, &p->set, collect, &forks));
      assert_int_equal(forks.n, 0);
      tu_check(0, rv_log_verify(p->b, NULL, NULL, &vr));
      assert_int_equal(vr.faults, 0);
      tu_recs_release(&held);
      tu_recs_release(&forks);
    }
    rv_home_abort(p->b);
  }
  /* Only the unsigned bytes may pass: the creation time and set ids. */
  assert_true(accepted < ba.len / 4);
  free(copy);
  tu_recs_release(&genuine);
  rv_buf_release(&ba);
}

/* A bundle holds every chain whole, to its head: a run that ingest would
 * cut back to its newest record whose signature verifies (as it does for
 * sync, format.md "Ingesting records in bulk") can only have been altered,
 * and the bundle is refused. The same records through ingest: the two
 * below the head are taken. */
static void test_run_cut_back_refused(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba;
  tu_recs_t news = {0};
  rv_vv_t *bvv = NULL;
  size_t nb = 0;
  rv_buf_init(&ba);
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_log_vv(p->b, &p->set, &bvv, &nb));
  rv_home_abort(p->b);
  news_for_b(p, &ba);
  tu_recs_missing(p->a, &p->set, bvv, nb, &news);
  assert_int_equal(news.n, 3);
  const rv_raw_t *head = &news.v[2];
  uint8_t *at = NULL;
  for (size_t i = 0; !at && i + head->n <= ba.len; i++)
    if (memcmp(ba.data + i, head->p, head->n) == 0)
      at = ba.data + i;
  assert_non_null(at);
  at[head->n - 1] ^= 0x01; /* the head's signature */
  reseal(ba.data, ba.len);
  size_t count = tu_record_count(p->b);
  tu_check(RV_EAUTH, tu_apply(p->b, ba.data, ba.len, NULL));
  assert_int_equal(tu_record_count(p->b), count);
  rv_raw_t cut[3] = {news.v[0], news.v[1], {.p = at, .n = head->n}};
  rv_ingest_report_t rep;
  tu_check(0, tu_ingest(p->b, cut, 3, &rep));
  assert_int_equal(rep.added, 2);
  assert_int_equal(rep.unvouched, 1);
  free(bvv);
  tu_recs_release(&news);
  rv_buf_release(&ba);
}

static void test_version_and_magic(void **state) {
  tu_pair_t *p = *state;
  rv_buf_t ba;
  rv_buf_init(&ba);
  tu_bundle(p->a, &ba);
  /* ["revans-bundle", 1, ...]: a fixarray, a 13-byte fixstr, the version. */
  assert_int_equal(ba.data[0], 0x95);
  assert_int_equal(ba.data[1], 0xa0 | 13);
  assert_memory_equal(ba.data + 2, "revans-bundle", 13);
  assert_int_equal(ba.data[15], 1);

  ba.data[15] = 2;
  reseal(ba.data, ba.len);
  tu_check(RV_EVERSION, tu_apply(p->b, ba.data, ba.len, NULL));
  ba.data[15] = 1;
  ba.data[2] = 'R';
  reseal(ba.data, ba.len);
  tu_check(RV_EFORMAT, tu_apply(p->b, ba.data, ba.len, NULL));
  ba.data[2] = 'r';
  reseal(ba.data, ba.len);
  tu_check(0, tu_apply(p->b, ba.data, ba.len, NULL));

  /* An invite is not a bundle, whatever its checksum. */
  rv_buf_t inv;
  rv_buf_init(&inv);
  tu_check(0, rv_home_begin(p->a, true));
  tu_check(0, rv_set_invite(p->a, &p->set, rv_home_self(p->b), RV_ROLE_MEMBER, &inv));
  rv_home_abort(p->a);
  tu_check(RV_EFORMAT, tu_apply(p->b, inv.data, inv.len, NULL));
  rv_buf_release(&inv);
  rv_buf_release(&ba);
}

static void test_foreign_bundle(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *c = tu_home(p->root, "c", "Cy");
  rv_set_id_t own;
  rv_buf_t bc, ba;
  rv_hash_t before, now;
  rv_ingest_report_t rep;
  rv_buf_init(&bc);
  rv_buf_init(&ba);
  tu_set_create(c, "elsewhere", NULL, &own);
  tu_bundle(c, &bc);
  tu_state_hash(p->a, &p->set, &before);
  size_t count = tu_record_count(p->a);

  tu_check(RV_EFOREIGN, tu_apply(p->a, bc.data, bc.len, NULL));
  tu_state_hash(p->a, &p->set, &now);
  assert_memory_equal(before.b, now.b, RV_HASH_LEN);
  assert_int_equal(tu_record_count(p->a), count);
  /* And the other way. */
  tu_bundle(p->a, &ba);
  tu_check(RV_EFOREIGN, tu_apply(c, ba.data, ba.len, NULL));
  assert_int_equal(tu_record_count(c), 1);

  /* Once C is also in A's set, C's bundle mixes a held set and a foreign
   * one: the held one is applied, the other counted and skipped. */
  tu_invite_join(p->a, c, &p->set, RV_ROLE_MEMBER);
  rv_buf_clear(&bc);
  tu_bundle(c, &bc);
  tu_check(0, tu_apply(p->b, bc.data, bc.len, &rep));
  assert_int_equal(rep.foreign, 1);
  assert_int_equal(rep.added, 2); /* C's admission and C's join */
  const rv_state_t *s;
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_set_state(p->b, &p->set, &s));
  assert_string_equal(rv_state_member(s, rv_home_self(c))->name, "Cy");
  rv_home_abort(p->b);

  rv_buf_release(&ba);
  rv_buf_release(&bc);
  rv_home_close(&c);
}

/* A home with no set at all makes an empty bundle, which applies and
 * changes nothing. */
static void test_empty_bundle(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *d = tu_home(p->root, "d", "Dee");
  rv_buf_t bd;
  rv_ingest_report_t rep;
  rv_hash_t before;
  size_t n = 99;
  rv_buf_init(&bd);
  tu_check(0, rv_home_begin(d, false));
  tu_check(0, rv_bundle_create(d, &bd, &n));
  rv_home_abort(d);
  assert_int_equal(n, 0);
  tu_state_hash(p->a, &p->set, &before);
  tu_check(0, tu_apply(p->a, bd.data, bd.len, &rep));
  assert_int_equal(rep.received, 0);
  assert_int_equal(rep.added, 0);
  tu_check(0, tu_apply(d, bd.data, bd.len, &rep));
  assert_int_equal(tu_record_count(p->a), 2);
  rv_hash_t now;
  tu_state_hash(p->a, &p->set, &now);
  assert_memory_equal(before.b, now.b, RV_HASH_LEN);
  rv_buf_release(&bd);
  rv_home_close(&d);
}

/* Containers crafted so that their checksum is not where it must be: a
 * record whose bytes look like the checksum's marker near the end of the
 * file, with another element after it; and many tiny records. Refused as
 * damaged, nothing read out of bounds, nothing large allocated. */
static void test_crafted_containers(void **state) {
  tu_pair_t *p = *state;
  rv_enc_t *enc = NULL;
  uint8_t rec[40];
  size_t n;
  tu_check(0, rv_enc_new(&enc));
  memset(rec, 0x41, sizeof rec);
  rec[7] = 0xc4;
  rec[8] = 0x20;
  rv_enc_array(enc, 5);
  rv_enc_cstr(enc, "revans-bundle");
  rv_enc_uint(enc, 1);
  rv_enc_uint(enc, 1);
  rv_enc_array(enc, 1);
  rv_enc_bin(enc, rec, sizeof rec);
  rv_enc_uint(enc, 0);
  const uint8_t *b = rv_enc_data(enc, &n);
  assert_int_equal(b[n - 34], 0xc4);
  assert_int_equal(b[n - 33], 0x20);
  tu_check(RV_EFORMAT, tu_apply(p->b, b, n, NULL));

  /* A million one-byte "records": far more than the file could hold. */
  rv_enc_reset(enc);
  rv_enc_array(enc, 5);
  rv_enc_cstr(enc, "revans-bundle");
  rv_enc_uint(enc, 1);
  rv_enc_uint(enc, 1);
  rv_enc_array(enc, 1000000);
  for (int i = 0; i < 1000000; i++)
    rv_enc_uint(enc, 0);
  uint8_t zero[RV_HASH_LEN] = {0};
  rv_enc_bin(enc, zero, sizeof zero);
  b = rv_enc_data(enc, &n);
  tu_check(RV_EFORMAT, tu_apply(p->b, b, n, NULL));
  rv_enc_destroy(&enc);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_both_ways_equal_state, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_crafted_containers, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_reapply_adds_nothing, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_altered_byte_refused, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_truncated_refused, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_altered_with_checksum_stores_nothing_forged, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_run_cut_back_refused, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_version_and_magic, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_foreign_bundle, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_empty_bundle, tu_pair_setup, tu_pair_teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
