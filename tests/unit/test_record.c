/*
 * Tests of the record envelope (record.h): a sealed record decodes to the
 * header it was sealed with, verifies under its author's key and opens
 * under the set's key; a change to any single byte is refused by one of
 * those three steps; every non-canonical encoding of the same fields is
 * refused by decode; a future version is RV_EVERSION; sizes are bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/record.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

typedef struct fixture {
  rv_enc_t *enc;
  rv_dec_t *dec;
  uint8_t pk[RV_ID_LEN], sk[RV_SK_LEN];
  uint8_t key[RV_KEY_LEN];
  rv_header_t hd;
  rv_buf_t env; /* a sealed envelope of `body` under hd */
} fixture_t;

static const char body[] = "\x82\xa1t\xabmember.join\xa4name\xa3" "Bea";

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  if (!f || rv_crypto_init() < 0 || rv_enc_new(&f->enc) < 0 || rv_dec_new(&f->dec) < 0)
    return -1;
  rv_sign_keypair(f->pk, f->sk);
  rv_random(f->key, sizeof f->key);
  f->hd.version = RV_FORMAT_VERSION;
  rv_random(f->hd.set.b, RV_SETID_LEN);
  memcpy(f->hd.author.b, f->pk, RV_ID_LEN);
  f->hd.seq = 1;
  f->hd.lamport = 3;
  f->hd.epoch = 0;
  f->hd.time_ms = 1700000000123u;
  rv_buf_init(&f->env);
  if (rv_envelope_seal(f->enc, &f->hd, (const uint8_t *)body, sizeof body - 1, f->key, f->sk,
                       &f->env) < 0)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  rv_enc_destroy(&f->enc);
  rv_dec_destroy(&f->dec);
  rv_buf_release(&f->env);
  free(f);
  return 0;
}

/* Decode, verify and open: 0 when all three accept. */
static int accept_all(fixture_t *f, const uint8_t *raw, size_t n, rv_buf_t *plain) {
  rv_envelope_t e;
  int r;
  if ((r = rv_envelope_decode(f->dec, raw, n, &e)) < 0)
    return r;
  if ((r = rv_envelope_verify(&e)) < 0)
    return r;
  return rv_envelope_open(&e, f->key, plain);
}

static void seal(fixture_t *f, rv_header_t *hd, const void *b, size_t bn, rv_buf_t *out) {
  rv_buf_clear(out);
  tu_check(0, rv_envelope_seal(f->enc, hd, b, bn, f->key, f->sk, out));
}

static void test_round_trip(void **state) {
  fixture_t *f = *state;
  rv_envelope_t e;
  rv_buf_t plain;
  rv_hash_t hash;
  uint8_t want[RV_HASH_LEN];
  rv_buf_init(&plain);
  tu_check(0, rv_envelope_decode(f->dec, f->env.data, f->env.len, &e));
  assert_int_equal(e.hd.version, RV_FORMAT_VERSION);
  assert_memory_equal(e.hd.set.b, f->hd.set.b, RV_SETID_LEN);
  assert_memory_equal(e.hd.author.b, f->pk, RV_ID_LEN);
  assert_int_equal(e.hd.seq, 1);
  assert_int_equal(e.hd.lamport, 3);
  assert_int_equal(e.hd.epoch, 0);
  assert_true(e.hd.time_ms == 1700000000123u);
  assert_memory_equal(e.hd.nonce, f->hd.nonce, RV_NONCE_LEN);
  assert_ptr_equal(e.raw, f->env.data);
  assert_int_equal(e.raw_len, f->env.len);
  assert_int_equal(e.ct_len, sizeof body - 1 + RV_MAC_LEN);
  assert_int_equal(e.signed_len + 2 + RV_SIG_LEN, f->env.len);
  /* The body is not in the envelope in clear. */
  assert_false(tu_contains(f->env.data, f->env.len, "member.join", 11));

  tu_check(0, rv_envelope_verify(&e));
  tu_check(0, rv_envelope_open(&e, f->key, &plain));
  assert_int_equal(plain.len, sizeof body - 1);
  assert_memory_equal(plain.data, body, plain.len);

  rv_envelope_hash(&e, &hash);
  rv_hash(want, f->env.data, f->env.len);
  assert_memory_equal(hash.b, want, RV_HASH_LEN);

  /* Another key does not open it. */
  uint8_t key2[RV_KEY_LEN];
  rv_random(key2, sizeof key2);
  rv_buf_clear(&plain);
  tu_check(RV_EAUTH, rv_envelope_open(&e, key2, &plain));
  rv_buf_release(&plain);
}

/* A second record links to the first, and sealing appends after existing
 * bytes with a fresh nonce each time. */
static void test_chain_and_fresh_nonce(void **state) {
  fixture_t *f = *state;
  rv_header_t h2 = f->hd;
  rv_envelope_t e;
  rv_buf_t out, plain;
  rv_buf_init(&out);
  rv_buf_init(&plain);
  rv_hash(h2.prev.b, f->env.data, f->env.len);
  h2.seq = 2;
  h2.lamport = 4;
  tu_check(0, rv_buf_append(&out, "xyz", 3));
  tu_check(0, rv_envelope_seal(f->enc, &h2, (const uint8_t *)body, sizeof body - 1, f->key, f->sk,
                               &out));
  assert_memory_equal(out.data, "xyz", 3);
  assert_memory_not_equal(h2.nonce, f->hd.nonce, RV_NONCE_LEN);
  tu_check(0, accept_all(f, out.data + 3, out.len - 3, &plain));
  tu_check(0, rv_envelope_decode(f->dec, out.data + 3, out.len - 3, &e));
  assert_int_equal(e.hd.seq, 2);
  assert_memory_equal(e.hd.prev.b, h2.prev.b, RV_HASH_LEN);
  rv_buf_release(&out);
  rv_buf_release(&plain);
}

static void test_every_byte_flip_refused(void **state) {
  fixture_t *f = *state;
  static const uint8_t masks[] = {0x01, 0x02, 0x10, 0x80, 0xff};
  size_t n = f->env.len;
  rv_buf_t plain;
  rv_buf_init(&plain);
  tu_check(0, accept_all(f, f->env.data, n, &plain));
  for (size_t i = 0; i < n; i++) {
    for (size_t m = 0; m < sizeof masks; m++) {
      uint8_t *copy = malloc(n);
      assert_non_null(copy);
      memcpy(copy, f->env.data, n);
      copy[i] ^= masks[m];
      rv_buf_clear(&plain);
      int r = accept_all(f, copy, n, &plain);
      if (r == 0)
        print_error("byte %zu ^ 0x%02x was accepted\n", i, masks[m]);
      assert_true(r < 0);
      free(copy);
    }
  }
  rv_buf_release(&plain);
}

/* raw with bytes [off, off + del) replaced by ins. */
static void splice(const rv_buf_t *raw, size_t off, size_t del, const void *ins, size_t insn,
                   rv_buf_t *out) {
  rv_buf_clear(out);
  tu_check(0, rv_buf_append(out, raw->data, off));
  tu_check(0, rv_buf_append(out, ins, insn));
  tu_check(0, rv_buf_append(out, raw->data + off + del, raw->len - off - del));
}

static void expect_format(fixture_t *f, const rv_buf_t *raw, const char *what) {
  rv_envelope_t e;
  int r = rv_envelope_decode(f->dec, raw->data, raw->len, &e);
  if (r != RV_EFORMAT)
    print_error("%s: decode returned %d (%s)\n", what, r, rv_strerror(r));
  assert_int_equal(r, RV_EFORMAT);
}

static void test_non_canonical_refused(void **state) {
  fixture_t *f = *state;
  const rv_buf_t *raw = &f->env;
  rv_buf_t v;
  rv_buf_init(&v);
  /* Where the fields of f->hd sit (see record.h): every int but the time is
   * a positive fixint, the time a uint64. */
  const size_t o_hdr = 1, o_ver = 2, o_set = 3, o_author = o_set + 2 + RV_SETID_LEN;
  const size_t o_seq = o_author + 2 + RV_ID_LEN, o_prev = o_seq + 1;
  const size_t o_lamport = o_prev + 2 + RV_HASH_LEN, o_epoch = o_lamport + 1;
  const size_t o_time = o_epoch + 1, o_nonce = o_time + 9, o_ct = o_nonce + 2 + RV_NONCE_LEN;
  const size_t o_sig = raw->len - 2 - RV_SIG_LEN;
  assert_int_equal(raw->data[0], 0x93);
  assert_int_equal(raw->data[o_hdr], 0x99);
  assert_int_equal(raw->data[o_ver], 1);
  assert_int_equal(raw->data[o_seq], 1);
  assert_int_equal(raw->data[o_lamport], 3);
  assert_int_equal(raw->data[o_epoch], 0);
  assert_int_equal(raw->data[o_time], 0xcf);
  assert_int_equal(raw->data[o_nonce], 0xc4);
  assert_int_equal(raw->data[o_ct], 0xc4);
  assert_int_equal(raw->data[o_sig], 0xc4);

  splice(raw, 0, 1, "\xdc\x00\x03", 3, &v);
  expect_format(f, &v, "envelope as array16");
  splice(raw, o_hdr, 1, "\xdc\x00\x09", 3, &v);
  expect_format(f, &v, "header as array16");
  splice(raw, o_ver, 1, "\xcc\x01", 2, &v);
  expect_format(f, &v, "version as uint8");
  splice(raw, o_seq, 1, "\xcd\x00\x01", 3, &v);
  expect_format(f, &v, "seq as uint16");
  splice(raw, o_lamport, 1, "\xcf\0\0\0\0\0\0\0\x03", 9, &v);
  expect_format(f, &v, "lamport as uint64");
  splice(raw, o_epoch, 1, "\xce\0\0\0\0", 5, &v);
  expect_format(f, &v, "epoch as uint32");
  splice(raw, o_epoch, 1, "\xcf\0\0\0\x01\0\0\0\0", 9, &v);
  expect_format(f, &v, "epoch above 2^32");
  splice(raw, o_set, 2, "\xc5\x00\x10", 3, &v);
  expect_format(f, &v, "set id as bin16");
  splice(raw, o_set, 2, "\xd9\x10", 2, &v);
  expect_format(f, &v, "set id as a string");
  splice(raw, o_nonce, 2, "\xc6\0\0\0\x18", 5, &v);
  expect_format(f, &v, "nonce as bin32");
  uint8_t ct16[3] = {0xc5, 0x00, raw->data[o_ct + 1]};
  splice(raw, o_ct, 2, ct16, 3, &v);
  expect_format(f, &v, "ciphertext as bin16");
  splice(raw, o_sig, 2, "\xc5\x00\x40", 3, &v);
  expect_format(f, &v, "signature as bin16");
  splice(raw, o_sig, 2, "\xd9\x40", 2, &v);
  expect_format(f, &v, "signature as a string");
  splice(raw, raw->len, 0, "\xc0", 1, &v);
  expect_format(f, &v, "a trailing byte");
  splice(raw, 0, 1, "\x94", 1, &v);
  tu_check(0, rv_buf_append(&v, "\xc0", 1));
  expect_format(f, &v, "a fourth element");
  splice(raw, o_sig + 1, 1, "\x3f", 1, &v);
  v.len--;
  expect_format(f, &v, "a 63-byte signature");
  rv_buf_release(&v);
}

static void test_header_rules(void **state) {
  fixture_t *f = *state;
  rv_buf_t out;
  rv_envelope_t e;
  rv_buf_init(&out);
  rv_header_t hd = f->hd;

  hd.version = 2;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EVERSION, rv_envelope_decode(f->dec, out.data, out.len, &e));
  hd.version = 0;
  seal(f, &hd, body, sizeof body - 1, &out);
  assert_true(rv_envelope_decode(f->dec, out.data, out.len, &e) < 0);

  hd = f->hd;
  hd.seq = 0;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));

  hd = f->hd;
  hd.lamport = 0;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));

  hd = f->hd; /* the first record links to nothing */
  hd.prev.b[5] = 1;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));

  hd = f->hd; /* every later record links to something */
  hd.seq = 2;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));

  hd = f->hd; /* the largest values survive */
  hd.seq = RV_COUNTER_MAX;
  hd.prev.b[0] = 1;
  hd.lamport = RV_COUNTER_MAX;
  hd.epoch = UINT32_MAX;
  hd.time_ms = UINT64_MAX;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(0, rv_envelope_decode(f->dec, out.data, out.len, &e));
  assert_true(e.hd.seq == RV_COUNTER_MAX && e.hd.lamport == RV_COUNTER_MAX);
  assert_true(e.hd.epoch == UINT32_MAX && e.hd.time_ms == UINT64_MAX);
  tu_check(0, rv_envelope_verify(&e));

  /* Counters past the bound are refused, so none can be pushed to wrap. */
  hd.seq = RV_COUNTER_MAX + 1;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));
  hd.seq = 2;
  hd.lamport = RV_COUNTER_MAX + 1;
  seal(f, &hd, body, sizeof body - 1, &out);
  tu_check(RV_EFORMAT, rv_envelope_decode(f->dec, out.data, out.len, &e));
  rv_buf_release(&out);
}

/* A record signed by someone other than its stated author. */
static void test_wrong_signer(void **state) {
  fixture_t *f = *state;
  uint8_t pk2[RV_ID_LEN], sk2[RV_SK_LEN];
  rv_buf_t out;
  rv_envelope_t e;
  rv_buf_init(&out);
  rv_sign_keypair(pk2, sk2);
  rv_header_t hd = f->hd;
  tu_check(0, rv_envelope_seal(f->enc, &hd, (const uint8_t *)body, sizeof body - 1, f->key, sk2,
                               &out));
  tu_check(0, rv_envelope_decode(f->dec, out.data, out.len, &e));
  tu_check(RV_EAUTH, rv_envelope_verify(&e));
  rv_buf_release(&out);
}

static void test_size_bounds(void **state) {
  fixture_t *f = *state;
  uint8_t *big = calloc(1, RV_RECORD_MAX + 1);
  rv_buf_t out, plain;
  rv_envelope_t e;
  rv_header_t hd = f->hd;
  assert_non_null(big);
  rv_buf_init(&out);
  rv_buf_init(&plain);
  tu_check(RV_ETOOBIG, rv_envelope_seal(f->enc, &hd, big, RV_BODY_MAX + 1, f->key, f->sk, &out));
  assert_int_equal(out.len, 0);
  /* The largest body fits in the largest envelope and comes back. */
  big[0] = 0x42;
  big[RV_BODY_MAX - 1] = 0x24;
  tu_check(0, rv_envelope_seal(f->enc, &hd, big, RV_BODY_MAX, f->key, f->sk, &out));
  assert_true(out.len <= RV_RECORD_MAX);
  tu_check(0, accept_all(f, out.data, out.len, &plain));
  assert_int_equal(plain.len, RV_BODY_MAX);
  assert_memory_equal(plain.data, big, RV_BODY_MAX);
  tu_check(0, rv_envelope_decode(f->dec, out.data, out.len, &e));
  /* Anything longer than RV_RECORD_MAX is refused before it is parsed. */
  tu_check(RV_ETOOBIG, rv_envelope_decode(f->dec, big, RV_RECORD_MAX + 1, &e));
  /* An empty body is fine too. */
  seal(f, &hd, "", 0, &out);
  rv_buf_clear(&plain);
  tu_check(0, accept_all(f, out.data, out.len, &plain));
  assert_int_equal(plain.len, 0);
  free(big);
  rv_buf_release(&out);
  rv_buf_release(&plain);
}

/* Garbage of every short length never decodes and never crashes. */
static void test_garbage_refused(void **state) {
  fixture_t *f = *state;
  rv_envelope_t e;
  uint8_t buf[512];
  for (size_t n = 0; n < sizeof buf; n += 7) {
    rv_random(buf, n);
    if (n)
      buf[0] = 0x93;
    assert_true(rv_envelope_decode(f->dec, buf, n, &e) < 0);
  }
  /* Every truncation of a valid envelope. */
  for (size_t n = 0; n < f->env.len; n++)
    assert_true(rv_envelope_decode(f->dec, f->env.data, n, &e) < 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_chain_and_fresh_nonce, setup, teardown),
      cmocka_unit_test_setup_teardown(test_every_byte_flip_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_non_canonical_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_header_rules, setup, teardown),
      cmocka_unit_test_setup_teardown(test_wrong_signer, setup, teardown),
      cmocka_unit_test_setup_teardown(test_size_bounds, setup, teardown),
      cmocka_unit_test_setup_teardown(test_garbage_refused, setup, teardown),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
