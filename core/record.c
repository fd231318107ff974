/*
 * Sealing and opening record envelopes (format in record.h and
 * docs/format.md). Decoding is strict: the envelope is re-encoded from its
 * fields and must match byte for byte, so that every later step can rely on
 * fixed offsets and no two encodings of one record exist.
 */
#include "revans/record.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <string.h>

static void encode_header(rv_enc_t *enc, const rv_header_t *hd) {
  rv_enc_array(enc, 9);
  rv_enc_uint(enc, hd->version);
  rv_enc_bin(enc, hd->set.b, RV_SETID_LEN);
  rv_enc_bin(enc, hd->author.b, RV_ID_LEN);
  rv_enc_uint(enc, hd->seq);
  rv_enc_bin(enc, hd->prev.b, RV_HASH_LEN);
  rv_enc_uint(enc, hd->lamport);
  rv_enc_uint(enc, hd->epoch);
  rv_enc_uint(enc, hd->time_ms);
  rv_enc_bin(enc, hd->nonce, RV_NONCE_LEN);
}

/* Bytes of a msgpack bin marker for a payload of n bytes. */
static size_t bin_marker_len(size_t n) { return n < 256 ? 2 : n < 65536 ? 3 : 5; }

/* Bytes of the smallest msgpack encoding of an unsigned integer. */
static size_t uint_len(uint64_t v) {
  return v < 128 ? 1 : v < 256 ? 2 : v < 65536 ? 3 : v <= UINT32_MAX ? 5 : 9;
}

/* Bytes of the canonical encoding of a header (what encode_header writes). */
static size_t header_len(const rv_header_t *hd) {
  return 1 + uint_len(hd->version) + 2 + RV_SETID_LEN + 2 + RV_ID_LEN + uint_len(hd->seq) + 2 +
         RV_HASH_LEN + uint_len(hd->lamport) + uint_len(hd->epoch) + uint_len(hd->time_ms) + 2 +
         RV_NONCE_LEN;
}

int rv_envelope_seal(rv_enc_t *enc, rv_header_t *hd, const uint8_t *body, size_t body_len,
                     const uint8_t key[RV_KEY_LEN], const uint8_t sk[RV_SK_LEN], rv_buf_t *out) {
  if (body_len > RV_BODY_MAX)
    return RV_ETOOBIG;
  rv_random(hd->nonce, RV_NONCE_LEN);
  rv_enc_reset(enc);
  rv_enc_array(enc, 3);
  encode_header(enc, hd);
  size_t hdr_end;
  rv_enc_data(enc, &hdr_end);
  size_t ct_len = body_len + RV_MAC_LEN;
  size_t mk = bin_marker_len(ct_len);
  int r = rv_enc_status(enc);
  if (r < 0)
    return r;
  size_t base = out->len;
  size_t total = hdr_end + mk + ct_len + 2 + RV_SIG_LEN;
  if ((r = rv_buf_reserve(out, total)) < 0)
    return r;
  size_t len;
  const uint8_t *d = rv_enc_data(enc, &len);
  uint8_t *p = out->data + base;
  /* Copy the header, write the ciphertext marker, encrypt in place. */
  memcpy(p, d, hdr_end);
  if (mk == 2) {
    p[hdr_end] = 0xc4;
    p[hdr_end + 1] = (uint8_t)ct_len;
  } else {
    p[hdr_end] = 0xc5;
    p[hdr_end + 1] = (uint8_t)(ct_len >> 8);
    p[hdr_end + 2] = (uint8_t)ct_len;
  }
  rv_aead_encrypt(p + hdr_end + mk, body, body_len, p + 1, hdr_end - 1, hd->nonce, key);
  size_t signed_len = hdr_end + mk + ct_len;
  p[signed_len] = 0xc4;
  p[signed_len + 1] = RV_SIG_LEN;
  rv_sign(p + signed_len + 2, p, signed_len, sk);
  out->len = base + total;
  return 0;
}

static int decode_header(rv_val_t hv, rv_header_t *hd) {
  rv_val_t f[9];
  uint64_t version, epoch;
  if (rv_val_kind(hv) != RV_K_ARRAY || rv_val_len(hv) != 9)
    return RV_EFORMAT;
  for (uint32_t i = 0; i < 9; i++)
    rv_val_at(hv, i, &f[i]);
  if (rv_val_uint(f[0], &version) < 0)
    return RV_EFORMAT;
  if (version != RV_FORMAT_VERSION)
    return RV_EVERSION;
  hd->version = (uint32_t)version;
  if (rv_val_bin_fixed(f[1], hd->set.b, RV_SETID_LEN) < 0 ||
      rv_val_bin_fixed(f[2], hd->author.b, RV_ID_LEN) < 0 || rv_val_uint(f[3], &hd->seq) < 0 ||
      rv_val_bin_fixed(f[4], hd->prev.b, RV_HASH_LEN) < 0 || rv_val_uint(f[5], &hd->lamport) < 0 ||
      rv_val_uint(f[6], &epoch) < 0 || epoch > UINT32_MAX || rv_val_uint(f[7], &hd->time_ms) < 0 ||
      rv_val_bin_fixed(f[8], hd->nonce, RV_NONCE_LEN) < 0)
    return RV_EFORMAT;
  hd->epoch = (uint32_t)epoch;
  /* Bounded so that no peer can push a counter to where it would wrap. */
  if (hd->seq == 0 || hd->lamport == 0 || hd->seq > RV_COUNTER_MAX || hd->lamport > RV_COUNTER_MAX)
    return RV_EFORMAT;
  static const rv_hash_t zero;
  if ((hd->seq == 1) != (memcmp(hd->prev.b, zero.b, RV_HASH_LEN) == 0))
    return RV_EFORMAT;
  return 0;
}

int rv_envelope_decode(rv_dec_t *dec, const uint8_t *raw, size_t n, rv_envelope_t *ret) {
  rv_val_t root, hv, cv, sv;
  rv_envelope_t e;
  int r;
  if (n > RV_RECORD_MAX)
    return RV_ETOOBIG;
  if ((r = rv_dec_parse(dec, raw, n, &root)) < 0)
    return r;
  if (rv_val_kind(root) != RV_K_ARRAY || rv_val_len(root) != 3)
    return RV_EFORMAT;
  rv_val_at(root, 0, &hv);
  rv_val_at(root, 1, &cv);
  rv_val_at(root, 2, &sv);
  memset(&e, 0, sizeof e);
  if ((r = decode_header(hv, &e.hd)) < 0)
    return r;
  if (rv_val_bin(cv, &e.ct, &e.ct_len) < 0 || e.ct_len < RV_MAC_LEN)
    return RV_EFORMAT;
  size_t siglen;
  if (rv_val_bin(sv, &e.sig, &siglen) < 0 || siglen != RV_SIG_LEN)
    return RV_EFORMAT;
  /* Canonical form. Every field has a fixed type, so the smallest
   * encoding of the header has a length that follows from the values, and
   * any other encoding of any field (or of the array itself) is longer:
   * the header's bytes, up to the ciphertext's minimal marker, must have
   * exactly that length. The signature must end the envelope. */
  size_t hlen = header_len(&e.hd);
  size_t mk = bin_marker_len(e.ct_len);
  if (raw[0] != 0x93 || raw[1] != 0x99 || e.ct != raw + 1 + hlen + mk ||
      e.sig != e.ct + e.ct_len + 2 || e.sig + RV_SIG_LEN != raw + n)
    return RV_EFORMAT;
  e.raw = raw;
  e.raw_len = n;
  e.hd_enc = raw + 1;
  e.hd_enc_len = hlen;
  e.signed_len = (size_t)(e.ct + e.ct_len - raw);
  *ret = e;
  return 0;
}

int rv_envelope_verify(const rv_envelope_t *e) {
  return rv_sign_verify(e->sig, e->raw, e->signed_len, e->hd.author.b);
}

void rv_envelope_hash(const rv_envelope_t *e, rv_hash_t *ret) {
  rv_hash(ret->b, e->raw, e->raw_len);
}

int rv_envelope_open(const rv_envelope_t *e, const uint8_t key[RV_KEY_LEN], rv_buf_t *out) {
  size_t n = e->ct_len - RV_MAC_LEN;
  int r = rv_buf_reserve(out, n + 1);
  if (r < 0)
    return r;
  r = rv_aead_decrypt(out->data + out->len, e->ct, e->ct_len, e->hd_enc, e->hd_enc_len, e->hd.nonce,
                      key);
  if (r < 0)
    return r;
  out->len += n;
  return 0;
}
