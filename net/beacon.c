/*
 * Beacon datagrams (beacon.h): ["rvb", version, port, nonce, [[tag, box]...]]
 * and the probe ["rvp", version]. Decoding is bounded: a datagram is at
 * most RV_BEACON_MAX bytes and names at most RV_BEACON_ENTRIES_MAX sets.
 */
#include "beacon.h"

#include "revans/error.h"

#include <string.h>

#define AD_BEACON "revans beacon v1"

static size_t beacon_ad(uint8_t ad[64], const rv_beacon_t *b) {
  size_t n = strlen(AD_BEACON);
  memcpy(ad, AD_BEACON, n);
  memcpy(ad + n, b->nonce, sizeof b->nonce);
  ad[n + 16] = (uint8_t)(b->port >> 8);
  ad[n + 17] = (uint8_t)b->port;
  return n + 18;
}

static void tag_of(uint8_t tag[RV_BEACON_TAG_LEN], const rv_beacon_t *b, const uint8_t key[32],
                   uint64_t window) {
  uint8_t m[64], mac[RV_HASH_LEN];
  size_t n = beacon_ad(m, b);
  for (int i = 0; i < 8; i++)
    m[n + (size_t)i] = (uint8_t)(window >> (56 - 8 * i));
  rv_mac(mac, m, n + 8, key);
  memcpy(tag, mac, RV_BEACON_TAG_LEN);
}

void rv__beacon_init(rv_beacon_t *b, uint16_t port) {
  memset(b, 0, sizeof *b);
  b->port = port;
  rv_random(b->nonce, sizeof b->nonce);
}

int rv__beacon_add(rv_beacon_t *b, const uint8_t key[32], uint64_t now_s,
                   const rv_member_id_t *who) {
  uint8_t ad[64];
  rv_buf_t box;
  if (b->nentries == RV_BEACON_ENTRIES_MAX)
    return RV_ETOOBIG;
  rv_beacon_entry_t *e = &b->e[b->nentries];
  tag_of(e->tag, b, key, now_s / RV_BEACON_WINDOW_S);
  rv_buf_init(&box);
  size_t adn = beacon_ad(ad, b);
  int r = rv_box_seal(&box, who->b, RV_ID_LEN, ad, adn, key);
  if (r == 0 && box.len == RV_BEACON_BOX_LEN) {
    memcpy(e->box, box.data, RV_BEACON_BOX_LEN);
    b->nentries++;
  }
  rv_buf_release_public(&box);
  return r;
}

void rv__beacon_pad(rv_beacon_t *b) {
  for (; b->nentries < RV_BEACON_ENTRIES_MAX; b->nentries++) {
    rv_random(b->e[b->nentries].tag, RV_BEACON_TAG_LEN);
    rv_random(b->e[b->nentries].box, RV_BEACON_BOX_LEN);
  }
}

void rv__beacon_encode(rv_enc_t *enc, const rv_beacon_t *b) {
  rv_enc_reset(enc);
  if (b->probe) {
    rv_enc_array(enc, 2);
    rv_enc_cstr(enc, "rvp");
    rv_enc_uint(enc, RV_BEACON_VERSION);
    return;
  }
  rv_enc_array(enc, 5);
  rv_enc_cstr(enc, "rvb");
  rv_enc_uint(enc, RV_BEACON_VERSION);
  rv_enc_uint(enc, b->port);
  rv_enc_bin(enc, b->nonce, sizeof b->nonce);
  rv_enc_array(enc, (uint32_t)b->nentries);
  for (size_t i = 0; i < b->nentries; i++) {
    rv_enc_array(enc, 2);
    rv_enc_bin(enc, b->e[i].tag, RV_BEACON_TAG_LEN);
    rv_enc_bin(enc, b->e[i].box, RV_BEACON_BOX_LEN);
  }
}

int rv__beacon_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_beacon_t *ret) {
  rv_val_t a, f, list;
  uint64_t version, port;
  rv_beacon_t b;
  memset(&b, 0, sizeof b);
  if (n > RV_BEACON_MAX || rv_dec_parse_bounded(dec, p, n, 8 + 3 * RV_BEACON_ENTRIES_MAX, &a) < 0 ||
      rv_val_kind(a) != RV_K_ARRAY || rv_val_len(a) < 2 || rv_val_at(a, 1, &f) < 0 ||
      rv_val_uint(f, &version) < 0 || version != RV_BEACON_VERSION || rv_val_at(a, 0, &f) < 0)
    return RV_EFORMAT;
  if (rv_val_is_str(f, "rvp")) {
    if (rv_val_len(a) != 2)
      return RV_EFORMAT;
    b.probe = true;
    *ret = b;
    return 0;
  }
  if (!rv_val_is_str(f, "rvb") || rv_val_len(a) != 5 || rv_val_at(a, 2, &f) < 0 ||
      rv_val_uint(f, &port) < 0 || port == 0 || port > 65535 || rv_val_at(a, 3, &f) < 0 ||
      rv_val_bin_fixed(f, b.nonce, sizeof b.nonce) < 0 || rv_val_at(a, 4, &list) < 0 ||
      rv_val_kind(list) != RV_K_ARRAY || rv_val_len(list) > RV_BEACON_ENTRIES_MAX)
    return RV_EFORMAT;
  b.port = (uint16_t)port;
  b.nentries = rv_val_len(list);
  for (uint32_t i = 0; i < b.nentries; i++) {
    rv_val_t e, x;
    if (rv_val_at(list, i, &e) < 0 || rv_val_kind(e) != RV_K_ARRAY || rv_val_len(e) != 2 ||
        rv_val_at(e, 0, &x) < 0 || rv_val_bin_fixed(x, b.e[i].tag, RV_BEACON_TAG_LEN) < 0 ||
        rv_val_at(e, 1, &x) < 0 || rv_val_bin_fixed(x, b.e[i].box, RV_BEACON_BOX_LEN) < 0)
      return RV_EFORMAT;
  }
  *ret = b;
  return 0;
}

int rv__beacon_match(const rv_beacon_t *b, size_t i, const uint8_t key[32], uint64_t now_s,
                     rv_member_id_t *ret_who) {
  uint8_t tag[RV_BEACON_TAG_LEN], ad[64];
  uint64_t w = now_s / RV_BEACON_WINDOW_S;
  bool seen = false;
  if (i >= b->nentries)
    return RV_ENOTFOUND;
  for (uint64_t d = 0; d < 3 && !seen; d++) {
    tag_of(tag, b, key, w + 1 - d);
    seen = memcmp(tag, b->e[i].tag, RV_BEACON_TAG_LEN) == 0;
  }
  if (!seen)
    return RV_ENOTFOUND;
  rv_buf_t who;
  rv_buf_init(&who);
  size_t adn = beacon_ad(ad, b);
  int r = rv_box_open(&who, b->e[i].box, RV_BEACON_BOX_LEN, ad, adn, key);
  if (r == 0 && who.len == RV_ID_LEN)
    memcpy(ret_who->b, who.data, RV_ID_LEN);
  else
    r = RV_ENOTFOUND;
  rv_buf_release_public(&who);
  return r;
}
