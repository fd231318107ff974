/*
 * Every cryptographic operation revans performs, as thin functions over
 * libsodium: Ed25519 signatures, XChaCha20-Poly1305 encryption, BLAKE2b
 * hashing, Argon2id passphrase stretching, sealed boxes to a member's key,
 * and guarded memory for secrets. crypto.c is the only file that includes
 * sodium.h.
 */
#ifndef REVANS_CRYPTO_H
#define REVANS_CRYPTO_H

#include "revans/types.h"
#include <stdbool.h>

#define RV_SALT_LEN 16
#define RV_SEAL_OVERHEAD 48                         /* sealed box: ephemeral key + MAC */
#define RV_BOX_OVERHEAD (RV_NONCE_LEN + RV_MAC_LEN) /* rv_box_* */

/* Must be called once before any other function; 0 or RV_ENOMEM. */
int rv_crypto_init(void);

/* Fills buf with n bytes from the system's CSPRNG. */
void rv_random(void *buf, size_t n);

/* Guarded memory for secrets (sodium_malloc): NULL on failure. The memory is
 * wiped by rv_secure_free(), which accepts NULL. (rv_wipe: types.h.) */
void *rv_secure_alloc(size_t n);
void rv_secure_free(void *p);
/* Constant-time comparison: true when equal. */
bool rv_ct_equal(const void *a, const void *b, size_t n);

/* Ed25519. pk is the member id; sk is secret (the caller keeps it in
 * guarded memory). rv_sign writes the detached signature of m. */
void rv_sign_keypair(uint8_t pk[RV_ID_LEN], uint8_t sk[RV_SK_LEN]);
void rv_sign(uint8_t sig[RV_SIG_LEN], const void *m, size_t n, const uint8_t sk[RV_SK_LEN]);
/* 0 when sig is pk's signature of m, RV_EAUTH otherwise. */
int rv_sign_verify(const uint8_t sig[RV_SIG_LEN], const void *m, size_t n,
                   const uint8_t pk[RV_ID_LEN]);

/* XChaCha20-Poly1305 (IETF). c receives n + RV_MAC_LEN bytes; m receives
 * cn - RV_MAC_LEN bytes. Decrypt returns RV_EAUTH on a bad tag. */
void rv_aead_encrypt(uint8_t *c, const void *m, size_t n, const void *ad, size_t adn,
                     const uint8_t nonce[RV_NONCE_LEN], const uint8_t key[RV_KEY_LEN]);
int rv_aead_decrypt(uint8_t *m, const uint8_t *c, size_t cn, const void *ad, size_t adn,
                    const uint8_t nonce[RV_NONCE_LEN], const uint8_t key[RV_KEY_LEN]);

/* Authenticated encryption of a local blob under key with a fresh random
 * nonce: out receives (appended) nonce || ciphertext, n + RV_BOX_OVERHEAD
 * bytes. RV_ENOMEM. */
int rv_box_seal(rv_buf_t *out, const void *m, size_t n, const void *ad, size_t adn,
                const uint8_t key[RV_KEY_LEN]);
/* Reverses rv_box_seal: out receives (appended) the plaintext, which the
 * caller wipes; RV_EAUTH if altered or too short, RV_ENOMEM. */
int rv_box_open(rv_buf_t *out, const uint8_t *c, size_t cn, const void *ad, size_t adn,
                const uint8_t key[RV_KEY_LEN]);

/* Incremental BLAKE2b-256, for hashes over pieces: init on caller
 * storage, update with each piece, final writes the hash (the state is
 * then spent). */
typedef struct rv_hash_state {
  _Alignas(64) uint8_t opaque[384];
} rv_hash_state_t;
void rv_hash_init(rv_hash_state_t *st);
void rv_hash_update(rv_hash_state_t *st, const void *m, size_t n);
void rv_hash_final(rv_hash_state_t *st, uint8_t out[RV_HASH_LEN]);

/* BLAKE2b-256 of m, or of a || b. */
void rv_hash(uint8_t out[RV_HASH_LEN], const void *m, size_t n);
void rv_hash2(uint8_t out[RV_HASH_LEN], const void *a, size_t an, const void *b, size_t bn);
/* Keyed BLAKE2b-256 (a MAC). */
void rv_mac(uint8_t out[RV_HASH_LEN], const void *m, size_t n, const uint8_t key[RV_KEY_LEN]);

#define RV_PWHASH_OPS_MAX 64 /* bounds on the costs a stored identity may ask */
#define RV_PWHASH_MEM_MAX ((uint64_t)4 << 30)
#define RV_PWHASH_TARGET_MS 1000 /* a new passphrase is stretched for about this long */

/* Argon2id. The default costs are libsodium's "interactive" limits; they are
 * stored beside every sealed secret, so they can be raised later. */
void rv_pwhash_defaults(uint64_t *ret_ops, uint64_t *ret_mem);
/* Costs that take about target_ms on this machine, from one pass measured
 * now: 256 MiB when two passes of it fit in target_ms, else 64 MiB; then
 * as many passes as fit (at least 2, at most RV_PWHASH_OPS_MAX). Never
 * below the defaults. */
void rv_pwhash_calibrate(uint64_t target_ms, uint64_t *ret_ops, uint64_t *ret_mem);
/* A monotonic clock in milliseconds, for measuring a stretch. */
uint64_t rv_pwhash_clock_ms(void);
/* RV_EINVAL for costs outside libsodium's bounds, RV_ENOMEM if the memory
 * cost cannot be met. */
int rv_pwhash(uint8_t key[RV_KEY_LEN], const char *pass, size_t passlen,
              const uint8_t salt[RV_SALT_LEN], uint64_t ops, uint64_t mem);

/* Sealed boxes to an Ed25519 identity (converted to X25519). c receives
 * n + RV_SEAL_OVERHEAD bytes; RV_EINVAL for a key that is not a valid
 * point. Open writes cn - RV_SEAL_OVERHEAD bytes to m (secret: the caller
 * wipes it) and returns RV_EAUTH if not for this key. */
int rv_seal_to(uint8_t *c, const void *m, size_t n, const uint8_t ed_pk[RV_ID_LEN]);
int rv_seal_open(uint8_t *m, const uint8_t *c, size_t cn, const uint8_t ed_pk[RV_ID_LEN],
                 const uint8_t ed_sk[RV_SK_LEN]);

/* The X25519 key pair of an Ed25519 identity (the node's CURVE keys), or
 * of its public half alone (ed_sk NULL, ret_sk NULL). RV_EINVAL for a key
 * that is not a valid point. */
int rv_sign_to_curve(const uint8_t ed_pk[RV_ID_LEN], const uint8_t *ed_sk, uint8_t ret_pk[32],
                     uint8_t *ret_sk);
/* An X25519 key pair made from a 32-byte seed (an invitation's secret). */
void rv_curve_from_seed(const uint8_t seed[32], uint8_t ret_pk[32], uint8_t ret_sk[32]);

#endif
