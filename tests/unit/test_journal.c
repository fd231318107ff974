/*
 * Tests of the private journal's storage and queries (journal.h): entries
 * sealed and read back whole, refused when malformed, bound to their id;
 * queries by date, tag and words, oldest first, and the last N of them
 * exactly as the full sorted answer would end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"
#include "revans/journal.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ENTRIES 600
#define MANY 5000 /* enough for the query to share the boxes among threads */

static int setup(void **state) {
  *state = tu_tmpdir();
  return 0;
}

static int teardown(void **state) {
  tu_rmtree(*state);
  free(*state);
  return 0;
}

static void put(rv_home_t *h, uint64_t at, const char *text, char **tags, size_t ntags,
                rv_oid_t *ret_id) {
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.at_ms = at;
  e.made_ms = at + 1;
  e.text = (char *)text;
  e.tags = tags;
  e.ntags = ntags;
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_put(h, &e));
  tu_check(0, rv_home_commit(h));
  if (ret_id)
    *ret_id = e.id;
}

static void query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret, size_t *n) {
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_query(h, q, ret, n));
  rv_home_abort(h);
}

static void test_roundtrip(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  char *tags[] = {"ward", "rota"};
  rv_entry_t e, got;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.at_ms = 1760000000000u;
  e.made_ms = 1760000001234u;
  e.text = "Felt heard today. Über-tired, but the rota plan worked.";
  e.tags = tags;
  e.ntags = 2;
  e.has_meeting = true;
  memset(e.set.b, 7, RV_SETID_LEN);
  memset(e.meeting.b, 9, RV_OID_LEN);
  memset(e.source.b, 3, RV_HASH_LEN);
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_put(h, &e));
  tu_check(0, rv_home_commit(h));

  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_get(h, &e.id, &got));
  assert_memory_equal(got.id.b, e.id.b, RV_OID_LEN);
  assert_int_equal(got.at_ms, e.at_ms);
  assert_int_equal(got.made_ms, e.made_ms);
  assert_string_equal(got.text, e.text);
  assert_int_equal(got.ntags, 2);
  assert_string_equal(got.tags[0], "ward");
  assert_string_equal(got.tags[1], "rota");
  assert_true(got.has_meeting);
  assert_memory_equal(got.set.b, e.set.b, RV_SETID_LEN);
  assert_memory_equal(got.meeting.b, e.meeting.b, RV_OID_LEN);
  assert_memory_equal(got.source.b, e.source.b, RV_HASH_LEN);
  rv_entry_release(&got);
  rv_oid_t other;
  memset(other.b, 0xee, RV_OID_LEN);
  tu_check(RV_ENOTFOUND, rv_journal_get(h, &other, &got));
  rv_home_abort(h);

  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_delete(h, &e.id));
  tu_check(RV_ENOTFOUND, rv_journal_delete(h, &e.id));
  tu_check(0, rv_home_commit(h));
  tu_check(0, rv_home_begin(h, false));
  tu_check(RV_ENOTFOUND, rv_journal_get(h, &e.id, &got));
  rv_home_abort(h);
  rv_home_close(&h);
}

static void test_refused(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  char long_tag[RV_JOURNAL_TAG_MAX + 2];
  memset(long_tag, 'x', sizeof long_tag - 1);
  long_tag[sizeof long_tag - 1] = '\0';
  char *bad_tags[] = {long_tag}, *empty_tags[] = {""};
  char *many[RV_JOURNAL_TAGS_MAX + 1];
  for (size_t i = 0; i <= RV_JOURNAL_TAGS_MAX; i++)
    many[i] = "t";
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.text = "a thought";

  tu_check(0, rv_home_begin(h, false));
  tu_check(RV_EINVAL, rv_journal_put(h, &e)); /* a read transaction */
  rv_home_abort(h);
  tu_check(0, rv_home_begin(h, true));
  e.text = "";
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.text = "a thought";
  e.tags = bad_tags;
  e.ntags = 1;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.tags = empty_tags;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.tags = many;
  e.ntags = RV_JOURNAL_TAGS_MAX + 1;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  rv_home_abort(h);
  rv_home_close(&h);
}

/* A box copied under another id does not open: the id is bound in. */
static void test_box_bound_to_id(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  rv_oid_t id, moved;
  put(h, 1000, "the one entry", NULL, 0, &id);
  memcpy(&moved, &id, sizeof id);
  moved.b[0] ^= 1;
  tu_check(0, rv_home_begin(h, true));
  const uint8_t *v;
  size_t vn;
  tu_check(0, rv_get(h->txn, RV_DB_JOURNAL, id.b, RV_OID_LEN, &v, &vn));
  uint8_t *copy = malloc(vn);
  memcpy(copy, v, vn);
  tu_check(0, rv_put(h->txn, RV_DB_JOURNAL, moved.b, RV_OID_LEN, copy, vn));
  free(copy);
  tu_check(0, rv_home_commit(h));

  rv_entry_t got;
  rv_journal_query_t all = {0};
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_get(h, &id, &got));
  rv_entry_release(&got);
  tu_check(RV_ECORRUPT, rv_journal_get(h, &moved, &got));
  tu_check(RV_ECORRUPT, rv_journal_query(h, &all, &hits, &n));
  rv_home_abort(h);
  rv_home_close(&h);
}

/* count entries at seeded times (with repeats), a word and a tag on some. */
static void fill(rv_home_t *h, uint64_t *at, int count) {
  char text[128];
  char *ward[] = {"ward"};
  uint64_t x = 12345;
  tu_check(0, rv_home_begin(h, true));
  for (int i = 0; i < count; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    at[i] = 1000 + (x >> 33) % 200; /* many share a time: ties go by id */
    snprintf(text, sizeof text, "entry %d %s%s", i, i % 3 == 0 ? "Mango " : "",
             i % 5 == 0 ? "ZEBRA crossing" : "quiet day");
    rv_entry_t e;
    memset(&e, 0, sizeof e);
    rv_random(e.id.b, RV_OID_LEN);
    e.at_ms = at[i];
    e.text = text;
    e.tags = i % 4 == 0 ? ward : NULL;
    e.ntags = i % 4 == 0;
    tu_check(0, rv_journal_put(h, &e));
  }
  tu_check(0, rv_home_commit(h));
}

static bool ordered(const rv_journal_hit_t *v, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (v[i - 1].at_ms > v[i].at_ms ||
        (v[i - 1].at_ms == v[i].at_ms && memcmp(v[i - 1].id.b, v[i].id.b, RV_OID_LEN) >= 0))
      return false;
  return true;
}

static void check_queries(void **state, int count) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  uint64_t *at = calloc((size_t)count, sizeof *at);
  assert_non_null(at);
  fill(h, at, count);
  rv_journal_hit_t *all, *v;
  size_t nall, n;

  rv_journal_query_t q = {0};
  query(h, &q, &all, &nall);
  assert_int_equal(nall, (size_t)count);
  assert_true(ordered(all, nall));

  /* The last N with a limit are exactly the end of the whole answer. */
  size_t limits[] = {1, 2, 7, 100, (size_t)count - 1, (size_t)count, (size_t)count + 5};
  for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
    q.limit = limits[k];
    query(h, &q, &v, &n);
    size_t want = limits[k] < (size_t)count ? limits[k] : (size_t)count;
    assert_int_equal(n, want);
    assert_memory_equal(v, all + (nall - want), want * sizeof *v);
    free(v);
  }
  q.limit = 0;

  /* Dates: inclusive bounds. */
  q.since = 1050;
  q.until = 1099;
  query(h, &q, &v, &n);
  size_t want = 0;
  for (int i = 0; i < count; i++)
    want += at[i] >= 1050 && at[i] <= 1099;
  assert_int_equal(n, want);
  for (size_t i = 0; i < n; i++)
    assert_true(v[i].at_ms >= 1050 && v[i].at_ms <= 1099);
  free(v);
  q.since = q.until = 0;

  /* Words: all of them, in any case; a tag counts as a word. */
  const char *w1[] = {"mango"}, *w2[] = {"MANGO", "Zebra"}, *w3[] = {"WARD"},
             *w4[] = {"mango", "absent"};
  size_t n_mango = 0, n_both = 0, n_ward = 0;
  for (int i = 0; i < count; i++) {
    n_mango += i % 3 == 0;
    n_both += i % 3 == 0 && i % 5 == 0;
    n_ward += i % 4 == 0;
  }
  q.words = w1;
  q.nwords = 1;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_mango);
  assert_true(ordered(v, n));
  free(v);
  q.words = w2;
  q.nwords = 2;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_both);
  free(v);
  q.words = w3;
  q.nwords = 1;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_ward);
  free(v);
  q.words = w4;
  q.nwords = 2;
  query(h, &q, &v, &n);
  assert_int_equal(n, 0);
  free(v);

  /* Tags, with or without '@', with words and a limit together. */
  const char *t1[] = {"@Ward"};
  q.words = w1;
  q.nwords = 1;
  q.tags = t1;
  q.ntags = 1;
  query(h, &q, &v, &n);
  size_t n_mango_ward = 0;
  for (int i = 0; i < count; i++)
    n_mango_ward += i % 12 == 0;
  assert_int_equal(n, n_mango_ward);
  rv_journal_hit_t *some;
  size_t nsome;
  q.limit = 5;
  query(h, &q, &some, &nsome);
  assert_int_equal(nsome, 5);
  assert_memory_equal(some, v + (n - 5), 5 * sizeof *v);
  free(some);
  free(v);
  free(all);
  free(at);
  rv_home_close(&h);
}

static void test_query(void **state) { check_queries(state, ENTRIES); }

/* The same answers when the boxes are shared among threads. */
static void test_query_threaded(void **state) { check_queries(state, MANY); }

static void test_empty(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  rv_journal_query_t q = {.limit = 3};
  rv_journal_hit_t *v = NULL;
  size_t n = 99;
  query(h, &q, &v, &n);
  assert_int_equal(n, 0);
  free(v);
  rv_home_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_box_bound_to_id, setup, teardown),
      cmocka_unit_test_setup_teardown(test_query, setup, teardown),
      cmocka_unit_test_setup_teardown(test_query_threaded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
