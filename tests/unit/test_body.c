/*
 * Tests of record bodies (body.h): every type encodes and decodes to the
 * same fields, the bounds of names and texts hold on both sides, a body of
 * a type this version does not know decodes as RV_BODY_UNKNOWN, and a
 * malformed body of a known type is RV_EFORMAT.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/body.h"
#include "revans/error.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
  rv_enc_t *enc;
  rv_dec_t *dec;
} fixture_t;

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  if (!f || rv_enc_new(&f->enc) < 0 || rv_dec_new(&f->dec) < 0)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  rv_enc_destroy(&f->enc);
  rv_dec_destroy(&f->dec);
  free(f);
  return 0;
}

/* Encodes b and decodes it into ret. */
static void round_trip(fixture_t *f, const rv_body_t *b, rv_body_t *ret) {
  size_t n;
  rv_enc_reset(f->enc);
  tu_check(0, rv_body_encode(f->enc, b));
  const uint8_t *p = rv_enc_data(f->enc, &n);
  tu_check(0, rv_body_decode(f->dec, p, n, ret));
  assert_int_equal(ret->type, b->type);
}

static void test_round_trip_every_type(void **state) {
  fixture_t *f = *state;
  rv_body_t b, d;

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_SET_CREATE;
  memset(b.salt, 0x5a, sizeof b.salt);
  b.name = "north";
  b.text = "care and learning";
  b.text2 = "Ada";
  round_trip(f, &b, &d);
  assert_memory_equal(d.salt, b.salt, sizeof b.salt);
  assert_string_equal(d.name, "north");
  assert_string_equal(d.text, "care and learning");
  assert_string_equal(d.text2, "Ada");
  rv_body_release(&d);
  assert_int_equal(d.type, RV_BODY_UNKNOWN); /* released bodies are cleared */

  b.text = NULL;
  round_trip(f, &b, &d);
  assert_null(d.text);
  rv_body_release(&d);

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_ADD;
  memset(b.member.b, 0xab, RV_ID_LEN);
  for (enum rv_role role = RV_ROLE_MEMBER; role <= RV_ROLE_FACILITATOR; role++) {
    b.role = role;
    round_trip(f, &b, &d);
    assert_memory_equal(d.member.b, b.member.b, RV_ID_LEN);
    assert_int_equal(d.role, role);
    rv_body_release(&d);
  }

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_JOIN;
  b.name = "Bea";
  round_trip(f, &b, &d);
  assert_string_equal(d.name, "Bea");
  rv_body_release(&d);

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_SET_TOPIC;
  b.text = "what makes you say that?";
  round_trip(f, &b, &d);
  assert_string_equal(d.text, "what makes you say that?");
  rv_body_release(&d);
  b.text = NULL;
  round_trip(f, &b, &d);
  assert_null(d.text);
  rv_body_release(&d);
}

static void test_encode_bounds(void **state) {
  fixture_t *f = *state;
  char name[RV_NAME_MAX + 2], *text = malloc(RV_TEXT_MAX + 2);
  rv_body_t b, d;
  assert_non_null(text);
  memset(name, 'n', sizeof name);
  name[RV_NAME_MAX] = '\0';
  memset(text, 't', RV_TEXT_MAX + 1);
  text[RV_TEXT_MAX] = '\0';

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_JOIN;
  b.name = name; /* exactly RV_NAME_MAX */
  round_trip(f, &b, &d);
  assert_int_equal(strlen(d.name), RV_NAME_MAX);
  rv_body_release(&d);
  name[RV_NAME_MAX] = 'n';
  name[RV_NAME_MAX + 1] = '\0';
  rv_enc_reset(f->enc);
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  b.name = "";
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  b.name = NULL;
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_SET_TOPIC;
  b.text = text; /* exactly RV_TEXT_MAX */
  round_trip(f, &b, &d);
  assert_int_equal(strlen(d.text), RV_TEXT_MAX);
  rv_body_release(&d);
  text[RV_TEXT_MAX] = 't';
  text[RV_TEXT_MAX + 1] = '\0';
  rv_enc_reset(f->enc);
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_SET_CREATE;
  b.name = "north";
  b.text2 = "";
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  b.text2 = "Ada";
  b.name = NULL;
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_ADD;
  b.role = RV_ROLE_NONE;
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  b.role = (enum rv_role)3;
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_UNKNOWN;
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  free(text);
}

/* Decodes a body built by hand. */
static int decode_raw(fixture_t *f, rv_body_t *ret) {
  size_t n;
  assert_int_equal(rv_enc_status(f->enc), 0);
  const uint8_t *p = rv_enc_data(f->enc, &n);
  return rv_body_decode(f->dec, p, n, ret);
}

static void test_decode_unknown_and_malformed(void **state) {
  fixture_t *f = *state;
  rv_body_t d;
  uint8_t id[RV_ID_LEN] = {0};

  /* A type from a later version, with fields this one has never heard of. */
  rv_enc_reset(f->enc);
  rv_enc_map(f->enc, 2);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "x.from-a-later-version");
  rv_enc_cstr(f->enc, "slots");
  rv_enc_array(f->enc, 0);
  tu_check(0, decode_raw(f, &d));
  assert_int_equal(d.type, RV_BODY_UNKNOWN);
  rv_body_release(&d);

  rv_enc_reset(f->enc); /* no type */
  rv_enc_map(f->enc, 1);
  rv_enc_cstr(f->enc, "name");
  rv_enc_cstr(f->enc, "x");
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  rv_enc_reset(f->enc); /* type not a string */
  rv_enc_map(f->enc, 1);
  rv_enc_cstr(f->enc, "t");
  rv_enc_uint(f->enc, 2);
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  rv_enc_reset(f->enc); /* not a map */
  rv_enc_array(f->enc, 1);
  rv_enc_cstr(f->enc, "member.join");
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  rv_enc_reset(f->enc); /* a join without a name */
  rv_enc_map(f->enc, 1);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "member.join");
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  char longname[RV_NAME_MAX + 2];
  memset(longname, 'x', sizeof longname);
  longname[RV_NAME_MAX + 1] = '\0';
  const char *bad_names[] = {"", longname};
  for (size_t i = 0; i < 2; i++) {
    rv_enc_reset(f->enc);
    rv_enc_map(f->enc, 2);
    rv_enc_cstr(f->enc, "t");
    rv_enc_cstr(f->enc, "member.join");
    rv_enc_cstr(f->enc, "name");
    rv_enc_cstr(f->enc, bad_names[i]);
    tu_check(RV_EFORMAT, decode_raw(f, &d));
  }

  rv_enc_reset(f->enc); /* a name with a NUL in it */
  rv_enc_map(f->enc, 2);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "member.join");
  rv_enc_cstr(f->enc, "name");
  rv_enc_str(f->enc, "Be\0a", 4);
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  const char *roles[] = {"owner", "none", "Member"};
  for (size_t i = 0; i < 3; i++) {
    rv_enc_reset(f->enc);
    rv_enc_map(f->enc, 3);
    rv_enc_cstr(f->enc, "t");
    rv_enc_cstr(f->enc, "member.add");
    rv_enc_cstr(f->enc, "member");
    rv_enc_bin(f->enc, id, RV_ID_LEN);
    rv_enc_cstr(f->enc, "role");
    rv_enc_cstr(f->enc, roles[i]);
    tu_check(RV_EFORMAT, decode_raw(f, &d));
  }

  rv_enc_reset(f->enc); /* a member id of the wrong size */
  rv_enc_map(f->enc, 3);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "member.add");
  rv_enc_cstr(f->enc, "member");
  rv_enc_bin(f->enc, id, RV_ID_LEN - 1);
  rv_enc_cstr(f->enc, "role");
  rv_enc_cstr(f->enc, "member");
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  rv_enc_reset(f->enc); /* a genesis without its salt */
  rv_enc_map(f->enc, 3);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "set.create");
  rv_enc_cstr(f->enc, "name");
  rv_enc_cstr(f->enc, "north");
  rv_enc_cstr(f->enc, "creator");
  rv_enc_cstr(f->enc, "Ada");
  tu_check(RV_EFORMAT, decode_raw(f, &d));

  /* Truncated bodies never decode. */
  rv_body_t b = {.type = RV_BODY_SET_TOPIC};
  b.text = "a topic";
  rv_enc_reset(f->enc);
  tu_check(0, rv_body_encode(f->enc, &b));
  size_t n;
  const uint8_t *p = rv_enc_data(f->enc, &n);
  for (size_t len = 0; len < n; len++)
    tu_check(RV_EFORMAT, rv_body_decode(f->dec, p, len, &d));
}

/* allocate's order is a list of members that old bodies do not have: a
 * body without one encodes as it did before the list existed and decodes
 * with none; a body with one keeps it; an empty or malformed list is
 * refused. And meeting.part carries a slot and a part. */
static void test_allocate_order_and_part(void **state) {
  fixture_t *f = *state;
  rv_body_t b, d;
  size_t n, m;
  uint8_t old[64];
  rv_oid_t ref;
  memset(ref.b, 0x42, RV_OID_LEN);

  rv_enc_reset(f->enc); /* an allocate body as written before the order existed */
  rv_enc_map(f->enc, 3);
  rv_enc_cstr(f->enc, "t");
  rv_enc_cstr(f->enc, "allocate");
  rv_enc_cstr(f->enc, "meeting");
  rv_enc_bin(f->enc, ref.b, RV_OID_LEN);
  rv_enc_cstr(f->enc, "equal");
  rv_enc_bool(f->enc, true);
  const uint8_t *p = rv_enc_data(f->enc, &n);
  assert_true(n <= sizeof old);
  memcpy(old, p, n);
  tu_check(0, rv_body_decode(f->dec, old, n, &d));
  assert_int_equal(d.type, RV_BODY_ALLOCATE);
  assert_true(d.flag);
  assert_int_equal(d.nmembers, 0);
  assert_null(d.members);
  rv_body_release(&d);

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_ALLOCATE;
  b.ref = ref;
  b.flag = true;
  rv_enc_reset(f->enc);
  tu_check(0, rv_body_encode(f->enc, &b));
  p = rv_enc_data(f->enc, &m);
  assert_int_equal(m, n);
  assert_memory_equal(p, old, n);

  rv_member_id_t order[3];
  for (size_t i = 0; i < 3; i++)
    memset(order[i].b, 0x10 + (int)i, RV_ID_LEN);
  b.members = order;
  b.nmembers = 3;
  round_trip(f, &b, &d);
  assert_int_equal(d.nmembers, 3);
  assert_memory_equal(d.members, order, sizeof order);
  assert_true(d.flag);
  rv_body_release(&d);
  b.nmembers = RV_MAX_ORDER + 1;
  rv_enc_reset(f->enc);
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));

  rv_enc_reset(f->enc); /* an empty order, and one that is not of members */
  for (int bad = 0; bad < 2; bad++) {
    rv_enc_reset(f->enc);
    rv_enc_map(f->enc, 4);
    rv_enc_cstr(f->enc, "t");
    rv_enc_cstr(f->enc, "allocate");
    rv_enc_cstr(f->enc, "meeting");
    rv_enc_bin(f->enc, ref.b, RV_OID_LEN);
    rv_enc_cstr(f->enc, "equal");
    rv_enc_bool(f->enc, false);
    rv_enc_cstr(f->enc, "order");
    rv_enc_array(f->enc, (uint32_t)bad);
    if (bad)
      rv_enc_cstr(f->enc, "Ben");
    p = rv_enc_data(f->enc, &n);
    tu_check(RV_EFORMAT, rv_body_decode(f->dec, p, n, &d));
  }

  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEETING_PART;
  b.ref = ref;
  b.num = 3;
  b.num2 = 1;
  round_trip(f, &b, &d);
  assert_memory_equal(d.ref.b, ref.b, RV_OID_LEN);
  assert_int_equal(d.num, 3);
  assert_int_equal(d.num2, 1);
  rv_body_release(&d);
  b.num2 = 3;
  rv_enc_reset(f->enc);
  tu_check(RV_EINVAL, rv_body_encode(f->enc, &b));
  assert_string_equal(rv_body_type_name(RV_BODY_MEETING_PART), "meeting.part");
}

static void test_names(void **state) {
  (void)state;
  assert_string_equal(rv_body_type_name(RV_BODY_SET_CREATE), "set.create");
  assert_string_equal(rv_body_type_name(RV_BODY_MEMBER_ADD), "member.add");
  assert_string_equal(rv_body_type_name(RV_BODY_MEMBER_JOIN), "member.join");
  assert_string_equal(rv_body_type_name(RV_BODY_SET_TOPIC), "set.topic");
  assert_string_equal(rv_body_type_name(RV_BODY_UNKNOWN), "unknown");
  assert_string_equal(rv_body_type_name((enum rv_body_type)99), "unknown");
  assert_int_equal(rv_role_parse("member"), RV_ROLE_MEMBER);
  assert_int_equal(rv_role_parse("facilitator"), RV_ROLE_FACILITATOR);
  assert_int_equal(rv_role_parse("admin"), RV_ROLE_NONE);
  assert_int_equal(rv_role_parse(NULL), RV_ROLE_NONE);
  assert_string_equal(rv_role_name(RV_ROLE_FACILITATOR), "facilitator");
  assert_string_equal(rv_role_name(RV_ROLE_NONE), "none");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip_every_type, setup, teardown),
      cmocka_unit_test_setup_teardown(test_encode_bounds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_decode_unknown_and_malformed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_allocate_order_and_part, setup, teardown),
      cmocka_unit_test(test_names),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
