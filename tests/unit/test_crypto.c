/*
 * Tests of the cryptographic layer (crypto.h): signatures that reject any
 * change to the message, signature or key; authenticated encryption that
 * reopens only with the same key, nonce and associated data; local boxes
 * and sealed boxes to a member's Ed25519 identity; Argon2id that depends on
 * passphrase and salt and refuses costs outside libsodium's bounds; and
 * BLAKE2b against a published test vector; hex both ways, refusing all
 * but exactly 2n hex digits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/crypto.h"
#include "revans/error.h"
#include "testutil.h"

#include <string.h>

static const char msg[] = "L = P + Q: learning is programmed knowledge plus questioning insight";

static void test_sign_verify(void **state) {
  (void)state;
  uint8_t pk[RV_ID_LEN], sk[RV_SK_LEN], pk2[RV_ID_LEN], sk2[RV_SK_LEN], sig[RV_SIG_LEN];
  uint8_t m[sizeof msg];
  rv_sign_keypair(pk, sk);
  rv_sign_keypair(pk2, sk2);
  assert_memory_not_equal(pk, pk2, RV_ID_LEN);
  /* The secret key carries the public key in its second half. */
  assert_memory_equal(sk + 32, pk, RV_ID_LEN);
  rv_sign(sig, msg, sizeof msg, sk);
  tu_check(0, rv_sign_verify(sig, msg, sizeof msg, pk));
  tu_check(RV_EAUTH, rv_sign_verify(sig, msg, sizeof msg, pk2));
  tu_check(RV_EAUTH, rv_sign_verify(sig, msg, sizeof msg - 1, pk));
  /* Any changed byte of the message or the signature. */
  for (size_t i = 0; i < sizeof msg; i++) {
    memcpy(m, msg, sizeof msg);
    m[i] ^= 0x01;
    tu_check(RV_EAUTH, rv_sign_verify(sig, m, sizeof m, pk));
  }
  for (size_t i = 0; i < RV_SIG_LEN; i++) {
    uint8_t s2[RV_SIG_LEN];
    memcpy(s2, sig, sizeof s2);
    s2[i] ^= 0x80;
    tu_check(RV_EAUTH, rv_sign_verify(s2, msg, sizeof msg, pk));
  }
}

static void test_aead_round_trip_and_tamper(void **state) {
  (void)state;
  uint8_t key[RV_KEY_LEN], key2[RV_KEY_LEN], nonce[RV_NONCE_LEN], nonce2[RV_NONCE_LEN];
  uint8_t c[sizeof msg + RV_MAC_LEN], m[sizeof msg];
  static const char ad[] = "header bytes";
  rv_random(key, sizeof key);
  rv_random(key2, sizeof key2);
  rv_random(nonce, sizeof nonce);
  memcpy(nonce2, nonce, sizeof nonce);
  nonce2[RV_NONCE_LEN - 1] ^= 1;

  rv_aead_encrypt(c, msg, sizeof msg, ad, sizeof ad, nonce, key);
  assert_memory_not_equal(c, msg, sizeof msg);
  tu_check(0, rv_aead_decrypt(m, c, sizeof c, ad, sizeof ad, nonce, key));
  assert_memory_equal(m, msg, sizeof msg);

  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c, ad, sizeof ad, nonce, key2));
  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c, ad, sizeof ad, nonce2, key));
  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c, ad, sizeof ad - 1, nonce, key));
  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c, NULL, 0, nonce, key));
  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c - 1, ad, sizeof ad, nonce, key));
  tu_check(RV_EAUTH, rv_aead_decrypt(m, c, RV_MAC_LEN - 1, ad, sizeof ad, nonce, key));
  for (size_t i = 0; i < sizeof c; i++) {
    c[i] ^= 0x04;
    tu_check(RV_EAUTH, rv_aead_decrypt(m, c, sizeof c, ad, sizeof ad, nonce, key));
    c[i] ^= 0x04;
  }

  /* The empty message still carries a tag that must match. */
  uint8_t tag[RV_MAC_LEN];
  rv_aead_encrypt(tag, "", 0, ad, sizeof ad, nonce, key);
  tu_check(0, rv_aead_decrypt(m, tag, sizeof tag, ad, sizeof ad, nonce, key));
  tag[0] ^= 1;
  tu_check(RV_EAUTH, rv_aead_decrypt(m, tag, sizeof tag, ad, sizeof ad, nonce, key));
}

static void test_box_seal_open(void **state) {
  (void)state;
  uint8_t key[RV_KEY_LEN], key2[RV_KEY_LEN];
  static const char ad[] = "revans state v1", ad2[] = "revans state v2";
  rv_buf_t box, box2, out;
  rv_random(key, sizeof key);
  rv_random(key2, sizeof key2);
  rv_buf_init(&box);
  rv_buf_init(&box2);
  rv_buf_init(&out);

  /* rv_box_seal appends after what the buffer already holds. */
  tu_check(0, rv_buf_append(&box, "pre", 3));
  tu_check(0, rv_box_seal(&box, msg, sizeof msg, ad, sizeof ad, key));
  assert_int_equal(box.len, 3 + sizeof msg + RV_BOX_OVERHEAD);
  assert_memory_equal(box.data, "pre", 3);
  const uint8_t *c = box.data + 3;
  size_t cn = box.len - 3;
  assert_false(tu_contains(c, cn, msg, 16));

  tu_check(0, rv_box_open(&out, c, cn, ad, sizeof ad, key));
  assert_int_equal(out.len, sizeof msg);
  assert_memory_equal(out.data, msg, sizeof msg);

  /* A fresh nonce each time: the same message seals differently. */
  tu_check(0, rv_box_seal(&box2, msg, sizeof msg, ad, sizeof ad, key));
  assert_memory_not_equal(box2.data, c, cn);

  rv_buf_clear(&out);
  tu_check(RV_EAUTH, rv_box_open(&out, c, cn, ad2, sizeof ad2, key));
  tu_check(RV_EAUTH, rv_box_open(&out, c, cn, ad, sizeof ad - 1, key));
  tu_check(RV_EAUTH, rv_box_open(&out, c, cn, ad, sizeof ad, key2));
  tu_check(RV_EAUTH, rv_box_open(&out, c, cn - 1, ad, sizeof ad, key));
  tu_check(RV_EAUTH, rv_box_open(&out, c, RV_BOX_OVERHEAD - 1, ad, sizeof ad, key));
  for (size_t i = 0; i < cn; i++) {
    box.data[3 + i] ^= 0x10;
    tu_check(RV_EAUTH, rv_box_open(&out, c, cn, ad, sizeof ad, key));
    box.data[3 + i] ^= 0x10;
  }
  assert_int_equal(out.len, 0); /* failures append nothing */

  rv_buf_release(&box);
  rv_buf_release(&box2);
  rv_buf_release(&out);
  assert_null(box.data);
}

static void test_seal_to_identity(void **state) {
  (void)state;
  uint8_t pk[RV_ID_LEN], sk[RV_SK_LEN], pk2[RV_ID_LEN], sk2[RV_SK_LEN];
  uint8_t c[sizeof msg + RV_SEAL_OVERHEAD], c2[sizeof msg + RV_SEAL_OVERHEAD], m[sizeof msg];
  rv_sign_keypair(pk, sk);
  rv_sign_keypair(pk2, sk2);
  tu_check(0, rv_seal_to(c, msg, sizeof msg, pk));
  assert_false(tu_contains(c, sizeof c, msg, 16));
  tu_check(0, rv_seal_open(m, c, sizeof c, pk, sk));
  assert_memory_equal(m, msg, sizeof msg);

  /* Another person cannot open it, with their own keys or with a mix. */
  tu_check(RV_EAUTH, rv_seal_open(m, c, sizeof c, pk2, sk2));
  tu_check(RV_EAUTH, rv_seal_open(m, c, sizeof c, pk, sk2));
  tu_check(RV_EAUTH, rv_seal_open(m, c, sizeof c - 1, pk, sk));
  tu_check(RV_EAUTH, rv_seal_open(m, c, RV_SEAL_OVERHEAD - 1, pk, sk));
  for (size_t i = 0; i < sizeof c; i++) {
    c[i] ^= 0x01;
    tu_check(RV_EAUTH, rv_seal_open(m, c, sizeof c, pk, sk));
    c[i] ^= 0x01;
  }
  /* Ephemeral keys: sealing twice gives different bytes. */
  tu_check(0, rv_seal_to(c2, msg, sizeof msg, pk));
  assert_memory_not_equal(c, c2, sizeof c);
}

static void test_pwhash(void **state) {
  (void)state;
  uint8_t salt[RV_SALT_LEN], salt2[RV_SALT_LEN];
  uint8_t k1[RV_KEY_LEN], k2[RV_KEY_LEN], k3[RV_KEY_LEN], k4[RV_KEY_LEN], k5[RV_KEY_LEN];
  static const char pass[] = "open questions", pass2[] = "open questionS";
  rv_random(salt, sizeof salt);
  memcpy(salt2, salt, sizeof salt);
  salt2[0] ^= 1;
  tu_check(0, rv_pwhash(k1, pass, strlen(pass), salt, TU_OPS, TU_MEM));
  tu_check(0, rv_pwhash(k2, pass, strlen(pass), salt, TU_OPS, TU_MEM));
  assert_memory_equal(k1, k2, RV_KEY_LEN);
  tu_check(0, rv_pwhash(k3, pass, strlen(pass), salt2, TU_OPS, TU_MEM));
  assert_memory_not_equal(k1, k3, RV_KEY_LEN);
  tu_check(0, rv_pwhash(k4, pass2, strlen(pass2), salt, TU_OPS, TU_MEM));
  assert_memory_not_equal(k1, k4, RV_KEY_LEN);
  /* The costs are part of the derivation. */
  tu_check(0, rv_pwhash(k5, pass, strlen(pass), salt, TU_OPS + 1, TU_MEM));
  assert_memory_not_equal(k1, k5, RV_KEY_LEN);
  /* The whole passphrase counts, also past an embedded NUL. */
  tu_check(0, rv_pwhash(k4, "ab\0cd", 5, salt, TU_OPS, TU_MEM));
  tu_check(0, rv_pwhash(k5, "ab\0ce", 5, salt, TU_OPS, TU_MEM));
  assert_memory_not_equal(k4, k5, RV_KEY_LEN);

  tu_check(RV_EINVAL, rv_pwhash(k1, pass, strlen(pass), salt, 0, TU_MEM));
  tu_check(RV_EINVAL, rv_pwhash(k1, pass, strlen(pass), salt, TU_OPS, TU_MEM - 1));
  tu_check(RV_EINVAL, rv_pwhash(k1, pass, strlen(pass), salt, TU_OPS, ((uint64_t)4 << 30) + 1));

  uint64_t ops = 0, mem = 0;
  rv_pwhash_defaults(&ops, &mem);
  assert_true(ops >= 2);
  assert_true(mem >= 32u << 20);
}

/* BLAKE2b-256 test vectors, and the two-part and keyed forms. */
static void test_hash(void **state) {
  (void)state;
  uint8_t h[RV_HASH_LEN], h2[RV_HASH_LEN], want[RV_HASH_LEN];
  tu_check(0, rv_unhex(want, sizeof want,
                       "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"));
  rv_hash(h, "", 0);
  assert_memory_equal(h, want, RV_HASH_LEN);
  tu_check(0, rv_unhex(want, sizeof want,
                       "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319"));
  rv_hash(h, "abc", 3);
  assert_memory_equal(h, want, RV_HASH_LEN);

  rv_hash(h, msg, sizeof msg);
  rv_hash2(h2, msg, 10, msg + 10, sizeof msg - 10);
  assert_memory_equal(h, h2, RV_HASH_LEN);

  uint8_t key[RV_KEY_LEN] = {0}, mac[RV_HASH_LEN], mac2[RV_HASH_LEN];
  rv_mac(mac, msg, sizeof msg, key);
  assert_memory_not_equal(mac, h, RV_HASH_LEN);
  key[0] = 1;
  rv_mac(mac2, msg, sizeof msg, key);
  assert_memory_not_equal(mac, mac2, RV_HASH_LEN);
}

static void test_ct_equal_and_secure_memory(void **state) {
  (void)state;
  assert_true(rv_ct_equal("abcd", "abcd", 4));
  assert_false(rv_ct_equal("abcd", "abce", 4));
  uint8_t *p = rv_secure_alloc(64);
  assert_non_null(p);
  memset(p, 0xaa, 64);
  rv_wipe(p, 64);
  for (size_t i = 0; i < 64; i++)
    assert_int_equal(p[i], 0);
  rv_secure_free(p);
  rv_secure_free(NULL);
}

static void test_hex(void **state) {
  (void)state;
  const uint8_t bin[4] = {0x00, 0x9f, 0xa0, 0xff};
  uint8_t out[4];
  char hex[9];
  rv_hex(hex, bin, sizeof bin);
  assert_string_equal(hex, "009fa0ff");
  tu_check(0, rv_unhex(out, sizeof out, "009fa0ff"));
  assert_memory_equal(out, bin, sizeof bin);
  tu_check(0, rv_unhex(out, sizeof out, "009FA0FF"));
  assert_memory_equal(out, bin, sizeof bin);
  tu_check(0, rv_unhex(out, 0, ""));
  const char *bad[] = {"009fa0f", "009fa0fff", "009fa0fg", "00 9fa0ff", "00:9f:a0", "0x9fa0ff",
                       ""};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
    tu_check(RV_EFORMAT, rv_unhex(out, sizeof out, bad[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_sign_verify),
      cmocka_unit_test(test_aead_round_trip_and_tamper),
      cmocka_unit_test(test_box_seal_open),
      cmocka_unit_test(test_seal_to_identity),
      cmocka_unit_test(test_pwhash),
      cmocka_unit_test(test_hash),
      cmocka_unit_test(test_ct_equal_and_secure_memory),
      cmocka_unit_test(test_hex),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
