/*
 * The only module that includes sodium.h: every signature, cipher, hash,
 * key derivation and guarded allocation of revans passes through here, so
 * that the choice of primitives is visible in one page.
 */
#include "revans/crypto.h"
#include "revans/error.h"

#include <sodium.h>
#include <string.h>
#include <time.h>

_Static_assert(crypto_sign_PUBLICKEYBYTES == RV_ID_LEN, "member id is an Ed25519 key");
_Static_assert(crypto_sign_SECRETKEYBYTES == RV_SK_LEN, "secret key size");
_Static_assert(crypto_sign_BYTES == RV_SIG_LEN, "signature size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES == RV_NONCE_LEN, "nonce size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_ABYTES == RV_MAC_LEN, "tag size");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == RV_KEY_LEN, "key size");
_Static_assert(crypto_pwhash_SALTBYTES == RV_SALT_LEN, "salt size");
_Static_assert(crypto_box_SEALBYTES == RV_SEAL_OVERHEAD, "seal overhead");

int rv_crypto_init(void) { return sodium_init() < 0 ? RV_ENOMEM : 0; }

void rv_random(void *buf, size_t n) { randombytes_buf(buf, n); }

void *rv_secure_alloc(size_t n) { return sodium_malloc(n); }

void rv_secure_free(void *p) {
  if (p)
    sodium_free(p);
}

bool rv_ct_equal(const void *a, const void *b, size_t n) { return sodium_memcmp(a, b, n) == 0; }

/* ---- signatures ---------------------------------------------------- */

void rv_sign_keypair(uint8_t pk[RV_ID_LEN], uint8_t sk[RV_SK_LEN]) { crypto_sign_keypair(pk, sk); }

void rv_sign(uint8_t sig[RV_SIG_LEN], const void *m, size_t n, const uint8_t sk[RV_SK_LEN]) {
  crypto_sign_detached(sig, NULL, m, n, sk);
}

int rv_sign_verify(const uint8_t sig[RV_SIG_LEN], const void *m, size_t n,
                   const uint8_t pk[RV_ID_LEN]) {
  return crypto_sign_verify_detached(sig, m, n, pk) == 0 ? 0 : RV_EAUTH;
}

/* ---- encryption ---------------------------------------------------- */

void rv_aead_encrypt(uint8_t *c, const void *m, size_t n, const void *ad, size_t adn,
                     const uint8_t nonce[RV_NONCE_LEN], const uint8_t key[RV_KEY_LEN]) {
  crypto_aead_xchacha20poly1305_ietf_encrypt(c, NULL, m, n, ad, adn, NULL, nonce, key);
}

int rv_aead_decrypt(uint8_t *m, const uint8_t *c, size_t cn, const void *ad, size_t adn,
                    const uint8_t nonce[RV_NONCE_LEN], const uint8_t key[RV_KEY_LEN]) {
  if (cn < RV_MAC_LEN)
    return RV_EAUTH;
  return crypto_aead_xchacha20poly1305_ietf_decrypt(m, NULL, NULL, c, cn, ad, adn, nonce, key) == 0
             ? 0
             : RV_EAUTH;
}

int rv_box_seal(rv_buf_t *out, const void *m, size_t n, const void *ad, size_t adn,
                const uint8_t key[RV_KEY_LEN]) {
  int r = rv_buf_reserve(out, n + RV_BOX_OVERHEAD);
  if (r < 0)
    return r;
  uint8_t *nonce = out->data + out->len;
  randombytes_buf(nonce, RV_NONCE_LEN);
  rv_aead_encrypt(nonce + RV_NONCE_LEN, m, n, ad, adn, nonce, key);
  out->len += n + RV_BOX_OVERHEAD;
  return 0;
}

int rv_box_open(rv_buf_t *out, const uint8_t *c, size_t cn, const void *ad, size_t adn,
                const uint8_t key[RV_KEY_LEN]) {
  if (cn < RV_BOX_OVERHEAD)
    return RV_EAUTH;
  size_t n = cn - RV_BOX_OVERHEAD;
  int r = rv_buf_reserve(out, n + 1);
  if (r < 0)
    return r;
  r = rv_aead_decrypt(out->data + out->len, c + RV_NONCE_LEN, cn - RV_NONCE_LEN, ad, adn, c, key);
  if (r < 0)
    return r;
  out->len += n;
  return 0;
}

/* ---- hashing ------------------------------------------------------- */

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(rv_hash_state_t), "hash state size");
_Static_assert(_Alignof(crypto_generichash_state) <= _Alignof(rv_hash_state_t), "hash state align");

void rv_hash_init(rv_hash_state_t *st) {
  crypto_generichash_init((crypto_generichash_state *)st, NULL, 0, RV_HASH_LEN);
}

void rv_hash_update(rv_hash_state_t *st, const void *m, size_t n) {
  crypto_generichash_update((crypto_generichash_state *)st, m, n);
}

void rv_hash_final(rv_hash_state_t *st, uint8_t out[RV_HASH_LEN]) {
  crypto_generichash_final((crypto_generichash_state *)st, out, RV_HASH_LEN);
}

void rv_hash(uint8_t out[RV_HASH_LEN], const void *m, size_t n) {
  crypto_generichash(out, RV_HASH_LEN, m, n, NULL, 0);
}

void rv_hash2(uint8_t out[RV_HASH_LEN], const void *a, size_t an, const void *b, size_t bn) {
  rv_hash_state_t st;
  rv_hash_init(&st);
  rv_hash_update(&st, a, an);
  rv_hash_update(&st, b, bn);
  rv_hash_final(&st, out);
}

void rv_mac(uint8_t out[RV_HASH_LEN], const void *m, size_t n, const uint8_t key[RV_KEY_LEN]) {
  crypto_generichash(out, RV_HASH_LEN, m, n, key, RV_KEY_LEN);
}

/* ---- passphrases --------------------------------------------------- */

void rv_pwhash_defaults(uint64_t *ret_ops, uint64_t *ret_mem) {
  *ret_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  *ret_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

uint64_t rv_pwhash_clock_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

void rv_pwhash_calibrate(uint64_t target_ms, uint64_t *ret_ops, uint64_t *ret_mem) {
  const uint64_t small = (uint64_t)64 << 20, large = (uint64_t)256 << 20;
  uint8_t key[RV_KEY_LEN], salt[RV_SALT_LEN] = {0};
  rv_pwhash_defaults(ret_ops, ret_mem);
  uint64_t t0 = rv_pwhash_clock_ms();
  if (rv_pwhash(key, "calibration", 11, salt, 1, small) < 0)
    return; /* not even 64 MiB to spare: the defaults */
  /* Milliseconds for one pass over one MiB, from one pass over 64. */
  double per = (double)(rv_pwhash_clock_ms() - t0 + 1) / 64.0;
  uint64_t mem = per * 256 * 2 <= (double)target_ms ? large : small;
  double passes = (double)target_ms / (per * (double)(mem >> 20));
  uint64_t ops = passes < 2 ? 2 : passes > RV_PWHASH_OPS_MAX ? RV_PWHASH_OPS_MAX : (uint64_t)passes;
  if (mem >= *ret_mem && ops >= *ret_ops) {
    *ret_ops = ops;
    *ret_mem = mem;
  }
}

int rv_pwhash(uint8_t key[RV_KEY_LEN], const char *pass, size_t passlen,
              const uint8_t salt[RV_SALT_LEN], uint64_t ops, uint64_t mem) {
  if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > crypto_pwhash_OPSLIMIT_MAX ||
      mem < crypto_pwhash_MEMLIMIT_MIN || mem > (uint64_t)4 << 30)
    return RV_EINVAL;
  if (crypto_pwhash(key, RV_KEY_LEN, pass, passlen, salt, ops, (size_t)mem,
                    crypto_pwhash_ALG_ARGON2ID13) != 0)
    return RV_ENOMEM;
  return 0;
}

/* ---- sealed boxes -------------------------------------------------- */

int rv_seal_to(uint8_t *c, const void *m, size_t n, const uint8_t ed_pk[RV_ID_LEN]) {
  uint8_t xpk[crypto_box_PUBLICKEYBYTES];
  if (crypto_sign_ed25519_pk_to_curve25519(xpk, ed_pk) != 0)
    return RV_EINVAL;
  return crypto_box_seal(c, m, n, xpk) == 0 ? 0 : RV_EINVAL;
}

int rv_seal_open(uint8_t *m, const uint8_t *c, size_t cn, const uint8_t ed_pk[RV_ID_LEN],
                 const uint8_t ed_sk[RV_SK_LEN]) {
  uint8_t xpk[crypto_box_PUBLICKEYBYTES];
  uint8_t *xsk = sodium_malloc(crypto_box_SECRETKEYBYTES);
  int r = RV_EAUTH;
  if (!xsk)
    return RV_ENOMEM;
  if (cn < RV_SEAL_OVERHEAD || crypto_sign_ed25519_pk_to_curve25519(xpk, ed_pk) != 0 ||
      crypto_sign_ed25519_sk_to_curve25519(xsk, ed_sk) != 0)
    goto out;
  if (crypto_box_seal_open(m, c, cn, xpk, xsk) == 0)
    r = 0;
out:
  sodium_free(xsk);
  return r;
}

int rv_sign_to_curve(const uint8_t ed_pk[RV_ID_LEN], const uint8_t *ed_sk, uint8_t ret_pk[32],
                     uint8_t *ret_sk) {
  if (crypto_sign_ed25519_pk_to_curve25519(ret_pk, ed_pk) != 0)
    return RV_EINVAL;
  if (ed_sk && ret_sk && crypto_sign_ed25519_sk_to_curve25519(ret_sk, ed_sk) != 0)
    return RV_EINVAL;
  return 0;
}

void rv_curve_from_seed(const uint8_t seed[32], uint8_t ret_pk[32], uint8_t ret_sk[32]) {
  crypto_box_seed_keypair(ret_pk, ret_sk, seed);
}

/* ---- hex ----------------------------------------------------------- */

void rv_hex(char *out, const void *bin, size_t n) { sodium_bin2hex(out, 2 * n + 1, bin, n); }

int rv_unhex(void *out, size_t n, const char *s) {
  size_t got = 0;
  /* Exactly 2n digits, nothing else: no separators are ignored, and
   * parsing stops (and fails) at the first character that is not one. */
  if (strlen(s) != 2 * n || sodium_hex2bin(out, n, s, 2 * n, NULL, &got, NULL) != 0 || got != n)
    return RV_EFORMAT;
  return 0;
}
