/*
 * The record envelope: what every member signs, what is stored in the log,
 * what bundles and peers carry. Encoded as a msgpack array
 *
 *   [ header, ciphertext, signature ]
 *   header = [ version, set id, author, seq, prev hash, lamport, epoch,
 *              time (ms since the epoch, UTC), nonce ]
 *
 * in canonical form (smallest encodings), so that the bytes are a function
 * of the fields. The body is encrypted with XChaCha20-Poly1305 under the
 * set's key for `epoch`, with the encoded header as associated data. The
 * Ed25519 signature covers every byte of the envelope before the signature
 * element (the array marker, the header and the ciphertext). The record's
 * hash is BLAKE2b-256 of the whole envelope; the author's next record
 * carries it as `prev`. See docs/format.md.
 */
#ifndef REVANS_RECORD_H
#define REVANS_RECORD_H

#include "revans/codec.h"
#include "revans/types.h"

#define RV_FORMAT_VERSION 1
#define RV_RECORD_MAX (64 * 1024) /* bytes in one envelope */
#define RV_BODY_MAX (RV_RECORD_MAX - 512)
#define RV_ENVELOPE_MIN 200                /* bytes in the smallest possible envelope */
#define RV_COUNTER_MAX ((uint64_t)1 << 62) /* largest seq or lamport accepted */

typedef struct rv_header {
  uint32_t version;
  rv_set_id_t set;
  rv_member_id_t author;
  uint64_t seq;   /* 1 for the author's first record in the set */
  rv_hash_t prev; /* all zero when seq == 1 */
  uint64_t lamport;
  uint32_t epoch;
  uint64_t time_ms;
  uint8_t nonce[RV_NONCE_LEN];
} rv_header_t;

/* A decoded envelope. Every pointer borrows from `raw`, which the caller
 * keeps alive for as long as the envelope is used. */
typedef struct rv_envelope {
  rv_header_t hd;
  const uint8_t *raw;
  size_t raw_len;
  const uint8_t *hd_enc; /* the encoded header: the associated data */
  size_t hd_enc_len;
  const uint8_t *ct;
  size_t ct_len;
  const uint8_t *sig;
  size_t signed_len; /* raw[0, signed_len) is what the signature covers */
} rv_envelope_t;

/* Encrypts and signs body under hd (hd->nonce is filled with fresh random
 * bytes) and appends the envelope to out. RV_ETOOBIG if body is too long,
 * RV_ENOMEM. enc is the caller's scratch encoder (reset here). */
int rv_envelope_seal(rv_enc_t *enc, rv_header_t *hd, const uint8_t *body, size_t body_len,
                     const uint8_t key[RV_KEY_LEN], const uint8_t sk[RV_SK_LEN], rv_buf_t *out);

/* Parses raw into ret without checking the signature. RV_EFORMAT for any
 * non-canonical or malformed envelope, RV_EVERSION for a future version. */
int rv_envelope_decode(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_envelope_t *ret);
/* 0 when the author's signature is valid, RV_EAUTH otherwise. */
int rv_envelope_verify(const rv_envelope_t *e);
/* The record's hash: BLAKE2b-256 of the whole envelope (what the next
 * record's prev and a version vector name). */
void rv_envelope_hash(const rv_envelope_t *e, rv_hash_t *ret);
/* Decrypts the body into out (appended). RV_EAUTH if it does not open. */
int rv_envelope_open(const rv_envelope_t *e, const uint8_t key[RV_KEY_LEN], rv_buf_t *out);

#endif
