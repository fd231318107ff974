/*
 * Tests of the msgpack codec (codec.h): every kind the encoder writes comes
 * back from the decoder unchanged and in its smallest encoding, and the
 * bounded scan refuses what a hostile file or peer could send: truncation
 * at any length, trailing bytes, ext types, the reserved byte 0xc1, nesting
 * deeper than RV_DEC_MAX_DEPTH, and containers, strings or bins claiming
 * more than the bytes that remain.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/codec.h"
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
  assert_null(f->enc);
  assert_null(f->dec);
  free(f);
  return 0;
}

static const uint8_t *enc_bytes(fixture_t *f, size_t *n) {
  assert_int_equal(rv_enc_status(f->enc), 0);
  return rv_enc_data(f->enc, n);
}

/* Every value of one kind, in an array, read back. */
static const uint64_t uints[] = {0,          1,           127,         128,
                                 255,        256,         65535,       65536,
                                 UINT32_MAX, (uint64_t)UINT32_MAX + 1, UINT64_MAX};
static const size_t text_sizes[] = {0, 1, 31, 32, 255, 256, 65535, 65536, 70000};

static void test_round_trip_every_kind(void **state) {
  fixture_t *f = *state;
  size_t nu = sizeof uints / sizeof uints[0], nt = sizeof text_sizes / sizeof text_sizes[0];
  char *text = malloc(70000);
  assert_non_null(text);
  for (size_t i = 0; i < 70000; i++)
    text[i] = (char)('a' + i % 26);

  rv_enc_reset(f->enc);
  rv_enc_map(f->enc, 8);
  rv_enc_cstr(f->enc, "nil");
  rv_enc_nil(f->enc);
  rv_enc_cstr(f->enc, "bools");
  rv_enc_array(f->enc, 2);
  rv_enc_bool(f->enc, true);
  rv_enc_bool(f->enc, false);
  rv_enc_cstr(f->enc, "uints");
  rv_enc_array(f->enc, (uint32_t)nu);
  for (size_t i = 0; i < nu; i++)
    rv_enc_uint(f->enc, uints[i]);
  rv_enc_cstr(f->enc, "strs");
  rv_enc_array(f->enc, (uint32_t)nt);
  for (size_t i = 0; i < nt; i++)
    rv_enc_str(f->enc, text, text_sizes[i]);
  rv_enc_cstr(f->enc, "bins");
  rv_enc_array(f->enc, (uint32_t)nt);
  for (size_t i = 0; i < nt; i++)
    rv_enc_bin(f->enc, text, text_sizes[i]);
  rv_enc_cstr(f->enc, "nested");
  rv_enc_array(f->enc, 3);
  rv_enc_array(f->enc, 0);
  rv_enc_map(f->enc, 0);
  rv_enc_array(f->enc, 1);
  rv_enc_map(f->enc, 1);
  rv_enc_cstr(f->enc, "k");
  rv_enc_uint(f->enc, 7);
  rv_enc_cstr(f->enc, "null-cstr");
  rv_enc_cstr(f->enc, NULL);
  rv_enc_cstr(f->enc, "raw");
  rv_enc_raw(f->enc, "\x92\x01\xc3", 3); /* [1, true] */

  size_t n;
  const uint8_t *p = enc_bytes(f, &n);
  assert_int_equal(rv_dec_scan(p, n), 0);
  rv_val_t root, v, e, k;
  tu_check(0, rv_dec_parse(f->dec, p, n, &root));
  assert_int_equal(rv_val_kind(root), RV_K_MAP);
  assert_int_equal(rv_val_len(root), 8);

  tu_check(0, rv_val_get(root, "nil", &v));
  assert_int_equal(rv_val_kind(v), RV_K_NIL);

  bool b;
  tu_check(0, rv_val_get(root, "bools", &v));
  tu_check(0, rv_val_at(v, 0, &e));
  tu_check(0, rv_val_bool(e, &b));
  assert_true(b);
  tu_check(0, rv_val_at(v, 1, &e));
  tu_check(0, rv_val_bool(e, &b));
  assert_false(b);

  tu_check(0, rv_val_get(root, "uints", &v));
  assert_int_equal(rv_val_len(v), nu);
  for (size_t i = 0; i < nu; i++) {
    uint64_t u = 1234;
    tu_check(0, rv_val_at(v, (uint32_t)i, &e));
    assert_int_equal(rv_val_kind(e), RV_K_UINT);
    tu_check(0, rv_val_uint(e, &u));
    assert_true(u == uints[i]);
  }

  tu_check(0, rv_val_get(root, "strs", &v));
  for (size_t i = 0; i < nt; i++) {
    const char *s;
    size_t sn;
    tu_check(0, rv_val_at(v, (uint32_t)i, &e));
    assert_int_equal(rv_val_kind(e), RV_K_STR);
    tu_check(0, rv_val_str(e, &s, &sn));
    assert_int_equal(sn, text_sizes[i]);
    if (sn)
      assert_memory_equal(s, text, sn);
    tu_check(RV_EFORMAT, rv_val_bin(e, (const uint8_t **)&s, &sn));
  }

  tu_check(0, rv_val_get(root, "bins", &v));
  for (size_t i = 0; i < nt; i++) {
    const uint8_t *s;
    size_t sn;
    tu_check(0, rv_val_at(v, (uint32_t)i, &e));
    assert_int_equal(rv_val_kind(e), RV_K_BIN);
    tu_check(0, rv_val_bin(e, &s, &sn));
    assert_int_equal(sn, text_sizes[i]);
    if (sn)
      assert_memory_equal(s, text, sn);
  }

  tu_check(0, rv_val_get(root, "nested", &v));
  assert_int_equal(rv_val_len(v), 3);
  tu_check(0, rv_val_at(v, 0, &e));
  assert_int_equal(rv_val_kind(e), RV_K_ARRAY);
  assert_int_equal(rv_val_len(e), 0);
  tu_check(0, rv_val_at(v, 1, &e));
  assert_int_equal(rv_val_kind(e), RV_K_MAP);
  assert_int_equal(rv_val_len(e), 0);
  tu_check(0, rv_val_at(v, 2, &e));
  tu_check(0, rv_val_at(e, 0, &e));
  uint64_t seven;
  tu_check(0, rv_val_pair(e, 0, &k, &v));
  assert_true(rv_val_is_str(k, "k"));
  tu_check(0, rv_get_uint(e, "k", &seven));
  assert_int_equal(seven, 7);
  tu_check(RV_EFORMAT, rv_val_pair(e, 1, &k, &v));
  tu_check(RV_EFORMAT, rv_val_at(e, 0, &v)); /* a map is not an array */

  tu_check(0, rv_val_get(root, "null-cstr", &v));
  assert_int_equal(rv_val_kind(v), RV_K_NIL);

  tu_check(0, rv_val_get(root, "raw", &v));
  assert_int_equal(rv_val_len(v), 2);

  tu_check(RV_ENOTFOUND, rv_val_get(root, "absent", &v));
  tu_check(RV_EFORMAT, rv_get_uint(root, "absent", &seven));
  tu_check(RV_EFORMAT, rv_get_uint(root, "nil", &seven));
  tu_check(RV_EFORMAT, rv_val_get(v, "k", &e)); /* an array is not a map */
  free(text);
}

/* The encoder writes the smallest encoding of each integer and length, which
 * the record format's canonical check relies on. */
static void test_smallest_encodings(void **state) {
  fixture_t *f = *state;
  static const struct {
    uint64_t v;
    size_t len;
    uint8_t first;
  } cases[] = {{0, 1, 0x00},      {127, 1, 0x7f},          {128, 2, 0xcc},
               {255, 2, 0xcc},    {256, 3, 0xcd},          {65535, 3, 0xcd},
               {65536, 5, 0xce},  {UINT32_MAX, 5, 0xce},   {(uint64_t)UINT32_MAX + 1, 9, 0xcf}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    size_t n;
    rv_enc_reset(f->enc);
    rv_enc_uint(f->enc, cases[i].v);
    const uint8_t *p = enc_bytes(f, &n);
    assert_int_equal(n, cases[i].len);
    assert_int_equal(p[0], cases[i].first);
  }
  size_t n;
  rv_enc_reset(f->enc);
  rv_enc_bin(f->enc, "x", 1);
  const uint8_t *p = enc_bytes(f, &n);
  assert_int_equal(n, 3);
  assert_int_equal(p[0], 0xc4);
  rv_enc_reset(f->enc);
  rv_enc_array(f->enc, 15);
  p = enc_bytes(f, &n);
  assert_int_equal(n, 1);
  assert_int_equal(p[0], 0x9f);
}

/* A message that holds one of every kind, for the truncation test. */
static void encode_sample(rv_enc_t *enc) {
  rv_enc_reset(enc);
  rv_enc_array(enc, 10);
  rv_enc_nil(enc);
  rv_enc_bool(enc, true);
  rv_enc_uint(enc, 300);
  rv_enc_uint(enc, UINT64_MAX);
  rv_enc_str(enc, "hello", 5);
  rv_enc_bin(enc, "\x00\x01\x02", 3);
  rv_enc_map(enc, 1);
  rv_enc_cstr(enc, "key");
  rv_enc_array(enc, 2);
  rv_enc_uint(enc, 1);
  rv_enc_map(enc, 0);
  rv_enc_raw(enc, "\xcb\x3f\xf0\0\0\0\0\0\0", 9); /* float64 1.0 */
  rv_enc_raw(enc, "\xd0\x80", 2);                  /* int8 -128 */
  rv_enc_array(enc, 0);
}

static void test_scan_rejects_every_truncation(void **state) {
  fixture_t *f = *state;
  size_t n;
  encode_sample(f->enc);
  const uint8_t *p = enc_bytes(f, &n);
  uint8_t *copy = malloc(n);
  assert_non_null(copy);
  memcpy(copy, p, n);
  tu_check(0, rv_dec_scan(copy, n));
  for (size_t len = 0; len < n; len++) {
    rv_val_t v;
    /* A fresh allocation of exactly len bytes, so ASan sees any overread. */
    uint8_t *t = malloc(len ? len : 1);
    assert_non_null(t);
    memcpy(t, copy, len);
    tu_check(RV_EFORMAT, rv_dec_scan(t, len));
    tu_check(RV_EFORMAT, rv_dec_parse(f->dec, t, len, &v));
    free(t);
  }
  free(copy);
}

static void test_scan_rejects_trailing_bytes(void **state) {
  fixture_t *f = *state;
  size_t n;
  rv_val_t v;
  encode_sample(f->enc);
  rv_enc_nil(f->enc);
  const uint8_t *p = enc_bytes(f, &n);
  tu_check(RV_EFORMAT, rv_dec_scan(p, n));
  tu_check(RV_EFORMAT, rv_dec_parse(f->dec, p, n, &v));
  static const uint8_t two_ints[] = {0x01, 0x02};
  tu_check(RV_EFORMAT, rv_dec_scan(two_ints, sizeof two_ints));
  tu_check(0, rv_dec_scan(two_ints, 1));
}

static void test_scan_rejects_ext_and_c1(void **state) {
  fixture_t *f = *state;
  /* Each ext form with a complete payload: fixext 1/2/4/8/16, ext 8/16/32. */
  static const struct {
    uint8_t b[24];
    size_t n;
  } cases[] = {
      {{0xd4, 0x01, 0xaa}, 3},
      {{0xd5, 0x01, 0xaa, 0xbb}, 4},
      {{0xd6, 0x01, 1, 2, 3, 4}, 6},
      {{0xd7, 0x01, 1, 2, 3, 4, 5, 6, 7, 8}, 10},
      {{0xd8, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16}, 18},
      {{0xc7, 0x02, 0x01, 0xaa, 0xbb}, 5},
      {{0xc8, 0x00, 0x02, 0x01, 0xaa, 0xbb}, 6},
      {{0xc9, 0x00, 0x00, 0x00, 0x02, 0x01, 0xaa, 0xbb}, 8},
      {{0xc1}, 1},
      {{0x92, 0x01, 0xc1}, 3},             /* 0xc1 inside an array */
      {{0x81, 0xa1, 'k', 0xd4, 0, 0}, 6},  /* an ext as a map value */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    rv_val_t v;
    tu_check(RV_EFORMAT, rv_dec_scan(cases[i].b, cases[i].n));
    tu_check(RV_EFORMAT, rv_dec_parse(f->dec, cases[i].b, cases[i].n, &v));
  }
}

/* depth nested arrays; the innermost holds one element, or none. */
static size_t nest(uint8_t *out, size_t depth, bool innermost_empty, bool maps) {
  size_t n = 0;
  for (size_t i = 0; i < depth; i++) {
    bool last = i + 1 == depth;
    if (maps) {
      out[n++] = last && innermost_empty ? 0x80 : 0x81;
      if (!(last && innermost_empty))
        out[n++] = 0x00; /* the key; the value is the next map */
    } else {
      out[n++] = last && innermost_empty ? 0x90 : 0x91;
    }
  }
  if (!innermost_empty)
    out[n++] = 0x2a;
  return n;
}

static void test_scan_depth_limit(void **state) {
  fixture_t *f = *state;
  uint8_t buf[4096];
  rv_val_t v;
  for (int maps = 0; maps <= 1; maps++) {
    for (int empty = 0; empty <= 1; empty++) {
      size_t n = nest(buf, RV_DEC_MAX_DEPTH, empty, maps);
      tu_check(0, rv_dec_scan(buf, n));
      tu_check(0, rv_dec_parse(f->dec, buf, n, &v));
      n = nest(buf, RV_DEC_MAX_DEPTH + 1, empty, maps);
      if (rv_dec_scan(buf, n) != RV_EFORMAT)
        print_error("%d nested %s, the innermost %s, were accepted\n", RV_DEC_MAX_DEPTH + 1,
                    maps ? "maps" : "arrays", empty ? "empty" : "holding a value");
      tu_check(RV_EFORMAT, rv_dec_scan(buf, n));
      tu_check(RV_EFORMAT, rv_dec_parse(f->dec, buf, n, &v));
    }
  }
  /* Far deeper than any stack the parser might use. */
  size_t n = nest(buf, 2000, false, false);
  tu_check(RV_EFORMAT, rv_dec_scan(buf, n));
  tu_check(RV_EFORMAT, rv_dec_parse(f->dec, buf, n, &v));
}

static void test_scan_rejects_oversized_claims(void **state) {
  fixture_t *f = *state;
  static const struct {
    uint8_t b[16];
    size_t n;
  } cases[] = {
      {{0xdd, 0xff, 0xff, 0xff, 0xff}, 5},             /* array32 of 4G */
      {{0xdd, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, 9}, /* ... with some bytes */
      {{0xdf, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0}, 9}, /* map32 of 4G pairs */
      {{0xdf, 0x80, 0x00, 0x00, 0x00, 0, 0}, 7},       /* 2^31 pairs: 2^32 values */
      {{0xdc, 0xff, 0xff, 0, 0, 0}, 6},                /* array16 */
      {{0xde, 0x00, 0x03, 0, 0, 0, 0, 0}, 8},          /* map16: 3 pairs, 5 bytes */
      {{0x9f, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, 15}, /* fixarray 15 of 14 */
      {{0x83, 0, 0, 0, 0, 0}, 6},                      /* fixmap 3 pairs, 5 values */
      {{0xa5, 'a', 'b', 'c', 'd'}, 5},                 /* fixstr 5 of 4 */
      {{0xd9, 0x05, 'a', 'b', 'c', 'd'}, 6},           /* str8 */
      {{0xda, 0x01, 0x00, 'a'}, 4},                    /* str16 */
      {{0xdb, 0xff, 0xff, 0xff, 0xff, 'a'}, 6},        /* str32 of 4G */
      {{0xc4, 0x02, 0x00}, 3},                         /* bin8 */
      {{0xc5, 0xff, 0xff, 0x00}, 4},                   /* bin16 */
      {{0xc6, 0xff, 0xff, 0xff, 0xff, 0x00}, 6},       /* bin32 of 4G */
      {{0xc6, 0x00, 0x00}, 3},                         /* bin32 length cut short */
      {{0xcf, 0, 0, 0}, 4},                            /* uint64 cut short */
      {{0x92, 0xdd, 0xff, 0xff, 0xff, 0xff, 0x01}, 7}, /* nested claim */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    rv_val_t v;
    tu_check(RV_EFORMAT, rv_dec_scan(cases[i].b, cases[i].n));
    tu_check(RV_EFORMAT, rv_dec_parse(f->dec, cases[i].b, cases[i].n, &v));
  }
  /* Exactly enough bytes is fine. */
  static const uint8_t ok[] = {0xdc, 0x00, 0x02, 0x01, 0x02};
  tu_check(0, rv_dec_scan(ok, sizeof ok));
}

static void test_val_strdup_bounds(void **state) {
  fixture_t *f = *state;
  rv_val_t root, v;
  char *s = NULL;
  size_t n;
  rv_enc_reset(f->enc);
  rv_enc_array(f->enc, 5);
  rv_enc_str(f->enc, "abcdefgh", 8);
  rv_enc_str(f->enc, "ab\0cd", 5);
  rv_enc_str(f->enc, "", 0);
  rv_enc_bin(f->enc, "abc", 3);
  rv_enc_uint(f->enc, 3);
  const uint8_t *p = enc_bytes(f, &n);
  tu_check(0, rv_dec_parse(f->dec, p, n, &root));

  tu_check(0, rv_val_at(root, 0, &v));
  tu_check(RV_ETOOBIG, rv_val_strdup(v, 7, &s));
  assert_null(s);
  tu_check(0, rv_val_strdup(v, 8, &s));
  assert_string_equal(s, "abcdefgh");
  free(s);
  s = NULL;

  tu_check(0, rv_val_at(root, 1, &v));
  tu_check(RV_EFORMAT, rv_val_strdup(v, 64, &s)); /* embedded NUL */
  assert_null(s);

  tu_check(0, rv_val_at(root, 2, &v));
  tu_check(0, rv_val_strdup(v, 0, &s));
  assert_string_equal(s, "");
  free(s);
  s = NULL;

  tu_check(0, rv_val_at(root, 3, &v));
  tu_check(RV_EFORMAT, rv_val_strdup(v, 64, &s)); /* a bin is not a string */
  tu_check(0, rv_val_at(root, 4, &v));
  tu_check(RV_EFORMAT, rv_val_strdup(v, 64, &s));
  assert_null(s);
}

static void test_val_bin_fixed(void **state) {
  fixture_t *f = *state;
  rv_val_t root, v;
  uint8_t out[4] = {0};
  size_t n;
  rv_enc_reset(f->enc);
  rv_enc_map(f->enc, 1);
  rv_enc_cstr(f->enc, "b");
  rv_enc_bin(f->enc, "\x01\x02\x03\x04", 4);
  const uint8_t *p = enc_bytes(f, &n);
  tu_check(0, rv_dec_parse(f->dec, p, n, &root));
  tu_check(0, rv_get_bin_fixed(root, "b", out, 4));
  assert_memory_equal(out, "\x01\x02\x03\x04", 4);
  tu_check(0, rv_val_get(root, "b", &v));
  tu_check(RV_EFORMAT, rv_val_bin_fixed(v, out, 3));
  tu_check(RV_EFORMAT, rv_get_bin_fixed(root, "missing", out, 4));
}

/* The decoder can be reused; a refused parse does not disturb the caller. */
static void test_decoder_reuse(void **state) {
  fixture_t *f = *state;
  rv_val_t v;
  uint64_t u;
  static const uint8_t a[] = {0x91, 0x05}, bad[] = {0x92, 0x05};
  for (int i = 0; i < 1000; i++) {
    tu_check(0, rv_dec_parse(f->dec, a, sizeof a, &v));
    tu_check(0, rv_val_at(v, 0, &v));
    tu_check(0, rv_val_uint(v, &u));
    assert_int_equal(u, 5);
    tu_check(RV_EFORMAT, rv_dec_parse(f->dec, bad, sizeof bad, &v));
  }
}

static void test_enc_reset_and_wipe(void **state) {
  fixture_t *f = *state;
  size_t n;
  rv_enc_reset(f->enc);
  rv_enc_str(f->enc, "secret", 6);
  const uint8_t *p = enc_bytes(f, &n);
  assert_int_equal(n, 7);
  rv_enc_wipe(f->enc);
  p = rv_enc_data(f->enc, &n);
  assert_int_equal(n, 0);
  /* The bytes that held the secret are zero now. */
  for (size_t i = 0; i < 7; i++)
    assert_int_equal(p[i], 0);
  rv_enc_uint(f->enc, 1);
  p = enc_bytes(f, &n);
  assert_int_equal(n, 1);
  assert_int_equal(p[0], 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip_every_kind, setup, teardown),
      cmocka_unit_test_setup_teardown(test_smallest_encodings, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_rejects_every_truncation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_rejects_trailing_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_rejects_ext_and_c1, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_depth_limit, setup, teardown),
      cmocka_unit_test_setup_teardown(test_scan_rejects_oversized_claims, setup, teardown),
      cmocka_unit_test_setup_teardown(test_val_strdup_bounds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_val_bin_fixed, setup, teardown),
      cmocka_unit_test_setup_teardown(test_decoder_reuse, setup, teardown),
      cmocka_unit_test_setup_teardown(test_enc_reset_and_wipe, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
