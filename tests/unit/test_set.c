/*
 * Tests of sets (set.h): creating one makes its creator the facilitator;
 * sets and members are found by name or id prefix; the default set; and
 * offline invitations, which only a facilitator can make, only their
 * invitee can use, once, and which refuse any damage.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/error.h"
#include "revans/set.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

static int setup(void **state) {
  *state = tu_tmpdir();
  return 0;
}

static int teardown(void **state) {
  tu_rmtree(*state);
  free(*state);
  return 0;
}

static size_t set_count(rv_home_t *h) {
  rv_set_id_t *sets = NULL;
  size_t n = 0;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_list(h, &sets, &n));
  rv_home_abort(h);
  free(sets);
  return n;
}

static void test_create_makes_facilitator(void **state) {
  rv_home_t *a = tu_home(*state, "a", "Ada");
  rv_set_id_t set;
  const rv_state_t *s;
  tu_set_create(a, "north", "care and learning", &set);
  tu_check(0, rv_home_begin(a, false));
  tu_check(0, rv_set_state(a, &set, &s));
  assert_true(s->created);
  assert_memory_equal(s->set.b, set.b, RV_SETID_LEN);
  assert_string_equal(s->name, "north");
  assert_string_equal(s->topic, "care and learning");
  assert_memory_equal(s->creator.b, rv_home_self(a)->b, RV_ID_LEN);
  assert_int_equal(s->nmembers, 1);
  const rv_member_t *m = rv_state_member(s, rv_home_self(a));
  assert_non_null(m);
  assert_int_equal(m->role, RV_ROLE_FACILITATOR);
  assert_true(m->joined);
  assert_string_equal(m->name, "Ada");
  assert_int_equal(s->folded, 1);
  assert_int_equal(s->ignored, 0);
  assert_true(s->created_ms > 1600000000000u);
  rv_home_abort(a);

  /* Bad names are refused and leave nothing behind. */
  char name[RV_NAME_MAX + 2];
  memset(name, 'x', sizeof name);
  name[RV_NAME_MAX + 1] = '\0';
  rv_set_id_t other;
  tu_check(0, rv_home_begin(a, true));
  tu_check(RV_EINVAL, rv_set_create(a, name, NULL, &other));
  rv_home_abort(a);
  tu_check(0, rv_home_begin(a, true));
  tu_check(RV_EINVAL, rv_set_create(a, "", NULL, &other));
  rv_home_abort(a);
  assert_int_equal(set_count(a), 1);
  rv_home_close(&a);
}

static void test_find_and_default(void **state) {
  rv_home_t *a = tu_home(*state, "a", "Ada");
  rv_set_id_t s1, s2, s3, got;
  char hex[2 * RV_SETID_LEN + 1];

  tu_check(0, rv_home_begin(a, false));
  tu_check(RV_ENOTFOUND, rv_set_default(a, &got));
  tu_check(RV_ENOTFOUND, rv_set_find(a, "north", &got));
  rv_home_abort(a);

  tu_set_create(a, "north", NULL, &s1);
  tu_check(0, rv_home_begin(a, false));
  tu_check(0, rv_set_default(a, &got)); /* the only one */
  assert_memory_equal(got.b, s1.b, RV_SETID_LEN);
  rv_home_abort(a);

  tu_set_create(a, "south", NULL, &s2);
  tu_set_create(a, "south", NULL, &s3); /* a name used twice */
  tu_check(0, rv_home_begin(a, false));
  tu_check(RV_EAMBIG, rv_set_default(a, &got));
  tu_check(0, rv_set_find(a, "north", &got));
  assert_memory_equal(got.b, s1.b, RV_SETID_LEN);
  tu_check(RV_EAMBIG, rv_set_find(a, "south", &got));
  tu_check(0, rv_set_find(a, "NoRtH", &got)); /* names match in any case */
  assert_memory_equal(got.b, s1.b, RV_SETID_LEN);
  tu_check(0, rv_set_find_name(a, "north", &got));
  assert_memory_equal(got.b, s1.b, RV_SETID_LEN);
  tu_check(RV_ENOTFOUND, rv_set_find(a, "west", &got));
  tu_check(RV_ENOTFOUND, rv_set_find(a, "", &got));
  /* By id prefix, in either case; a full id too. */
  rv_hex(hex, s2.b, RV_SETID_LEN);
  tu_check(0, rv_set_find(a, hex, &got));
  assert_memory_equal(got.b, s2.b, RV_SETID_LEN);
  hex[8] = '\0';
  tu_check(0, rv_set_find(a, hex, &got));
  assert_memory_equal(got.b, s2.b, RV_SETID_LEN);
  tu_check(RV_ENOTFOUND, rv_set_find_name(a, hex, &got)); /* names only */
  for (char *c = hex; *c; c++)
    if (*c >= 'a' && *c <= 'f')
      *c = (char)(*c - 'a' + 'A');
  tu_check(0, rv_set_find(a, hex, &got));
  assert_memory_equal(got.b, s2.b, RV_SETID_LEN);
  rv_home_abort(a);

  tu_check(0, rv_home_begin(a, true));
  tu_check(0, rv_set_use(a, &s3));
  tu_check(0, rv_home_commit(a));
  tu_check(0, rv_home_begin(a, false));
  tu_check(0, rv_set_default(a, &got));
  assert_memory_equal(got.b, s3.b, RV_SETID_LEN);
  tu_check(RV_EINVAL, rv_set_use(a, &s1)); /* needs a write transaction */
  rv_home_abort(a);
  rv_home_close(&a);
}

static void test_invite_and_join(void **state) {
  tu_pair_t p;
  const rv_state_t *s;
  rv_member_id_t got;
  char hex[2 * RV_ID_LEN + 1];
  (void)state;
  tu_pair_init(&p, RV_ROLE_MEMBER);

  /* B holds the set with A's records and B's own join. */
  tu_check(0, rv_home_begin(p.b, false));
  tu_check(0, rv_set_state(p.b, &p.set, &s));
  assert_true(s->created);
  assert_string_equal(s->name, "north");
  assert_string_equal(s->topic, "learning together");
  assert_int_equal(s->nmembers, 2);
  const rv_member_t *ma = rv_state_member(s, rv_home_self(p.a));
  const rv_member_t *mb = rv_state_member(s, rv_home_self(p.b));
  assert_non_null(ma);
  assert_non_null(mb);
  assert_int_equal(ma->role, RV_ROLE_FACILITATOR);
  assert_string_equal(ma->name, "Ada");
  assert_int_equal(mb->role, RV_ROLE_MEMBER);
  assert_true(mb->joined);
  assert_string_equal(mb->name, "Bea");
  /* Members by name (any case) or id prefix. */
  tu_check(0, rv_set_find_member(p.b, &p.set, "bea", &got));
  assert_memory_equal(got.b, rv_home_self(p.b)->b, RV_ID_LEN);
  rv_hex(hex, rv_home_self(p.a)->b, RV_ID_LEN);
  hex[10] = '\0';
  tu_check(0, rv_set_find_member(p.b, &p.set, hex, &got));
  assert_memory_equal(got.b, rv_home_self(p.a)->b, RV_ID_LEN);
  tu_check(RV_ENOTFOUND, rv_set_find_member(p.b, &p.set, "Cy", &got));
  rv_home_abort(p.b);

  /* A has admitted B but has not yet seen B's join. */
  tu_check(0, rv_home_begin(p.a, false));
  tu_check(0, rv_set_state(p.a, &p.set, &s));
  mb = rv_state_member(s, rv_home_self(p.b));
  assert_non_null(mb);
  assert_int_equal(mb->role, RV_ROLE_MEMBER);
  assert_false(mb->joined);
  assert_null(mb->name);
  rv_home_abort(p.a);
  tu_pair_release(&p);
}

static void test_invite_rules(void **state) {
  tu_pair_t p;
  rv_buf_t inv;
  rv_set_id_t got;
  (void)state;
  rv_buf_init(&inv);
  tu_pair_init(&p, RV_ROLE_MEMBER);
  rv_home_t *c = tu_home(p.root, "c", "Cy");

  /* A member cannot invite. */
  tu_check(0, rv_home_begin(p.b, true));
  tu_check(RV_EPERM, rv_set_invite(p.b, &p.set, rv_home_self(c), RV_ROLE_MEMBER, &inv));
  rv_home_abort(p.b);
  assert_int_equal(inv.len, 0);

  tu_check(0, rv_home_begin(p.a, true));
  tu_check(RV_EINVAL, rv_set_invite(p.a, &p.set, rv_home_self(c), RV_ROLE_NONE, &inv));
  rv_home_abort(p.a);

  /* Inviting someone who already is a member writes no record. */
  size_t before = tu_record_count(p.a);
  tu_check(0, rv_home_begin(p.a, true));
  tu_check(0, rv_set_invite(p.a, &p.set, rv_home_self(p.b), RV_ROLE_MEMBER, &inv));
  tu_check(0, rv_home_commit(p.a));
  assert_int_equal(tu_record_count(p.a), before);
  /* ...and the member cannot join twice. */
  tu_check(0, rv_home_begin(p.b, true));
  tu_check(RV_EEXIST, rv_set_join(p.b, inv.data, inv.len, &got));
  rv_home_abort(p.b);

  /* An invite made for B is of no use to C. */
  tu_check(0, rv_home_begin(c, true));
  tu_check(RV_EAUTH, rv_set_join(c, inv.data, inv.len, &got));
  rv_home_abort(c);
  assert_int_equal(set_count(c), 0);

  /* Promoting B to facilitator writes one record, and lets B invite. */
  rv_buf_clear(&inv);
  tu_check(0, rv_home_begin(p.a, true));
  tu_check(0, rv_set_invite(p.a, &p.set, rv_home_self(p.b), RV_ROLE_FACILITATOR, &inv));
  tu_check(0, rv_home_commit(p.a));
  assert_int_equal(tu_record_count(p.a), before + 1);
  rv_buf_t bundle;
  rv_buf_init(&bundle);
  tu_bundle(p.a, &bundle);
  tu_check(0, tu_apply(p.b, bundle.data, bundle.len, NULL));
  tu_invite_join(p.b, c, &p.set, RV_ROLE_MEMBER);
  const rv_state_t *s;
  tu_check(0, rv_home_begin(c, false));
  tu_check(0, rv_set_state(c, &p.set, &s));
  assert_int_equal(s->nmembers, 3);
  assert_int_equal(rv_state_member(s, rv_home_self(p.b))->role, RV_ROLE_FACILITATOR);
  assert_string_equal(rv_state_member(s, rv_home_self(c))->name, "Cy");
  rv_home_abort(c);

  rv_buf_release(&bundle);
  rv_buf_release(&inv);
  rv_home_close(&c);
  tu_pair_release(&p);
}

/* An invite with any byte altered, or cut short anywhere, is refused and
 * leaves the invitee holding nothing; the intact invite still works. */
static void test_damaged_invite_refused(void **state) {
  tu_pair_t p;
  rv_buf_t inv;
  rv_set_id_t got;
  (void)state;
  rv_buf_init(&inv);
  tu_pair_init(&p, RV_ROLE_MEMBER);
  rv_home_t *c = tu_home(p.root, "c", "Cy");
  tu_check(0, rv_home_begin(p.a, true));
  tu_check(0, rv_set_invite(p.a, &p.set, rv_home_self(c), RV_ROLE_MEMBER, &inv));
  tu_check(0, rv_home_commit(p.a));

  uint8_t *copy = malloc(inv.len);
  assert_non_null(copy);
  for (size_t i = 0; i < inv.len; i++) {
    memcpy(copy, inv.data, inv.len);
    copy[i] ^= 0x01;
    tu_check(0, rv_home_begin(c, true));
    int r = rv_set_join(c, copy, inv.len, &got);
    rv_home_abort(c);
    if (r >= 0)
      print_error("an invite with byte %zu of %zu altered was accepted\n", i, inv.len);
    assert_true(r < 0);
  }
  for (size_t n = 0; n < inv.len; n++) {
    tu_check(0, rv_home_begin(c, true));
    int r = rv_set_join(c, inv.data, n, &got);
    rv_home_abort(c);
    assert_true(r < 0);
  }
  free(copy);
  assert_int_equal(set_count(c), 0);
  assert_int_equal(tu_record_count(c), 0);

  tu_check(0, rv_home_begin(c, true));
  tu_check(0, rv_set_join(c, inv.data, inv.len, &got));
  tu_check(0, rv_home_commit(c));
  assert_memory_equal(got.b, p.set.b, RV_SETID_LEN);
  assert_int_equal(set_count(c), 1);
  rv_buf_release(&inv);
  rv_home_close(&c);
  tu_pair_release(&p);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_makes_facilitator, setup, teardown),
      cmocka_unit_test_setup_teardown(test_find_and_default, setup, teardown),
      cmocka_unit_test(test_invite_and_join),
      cmocka_unit_test(test_invite_rules),
      cmocka_unit_test(test_damaged_invite_refused),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
