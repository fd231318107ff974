/*
 * The private journal's storage: one sealed box per entry in the journal
 * database, keyed by the entry's random id. The box holds a msgpack array
 * [1, at_ms, made_ms, text, [tags], meeting or nil, source]; it is sealed
 * under the home's local key with "revans journal v1" and the id as
 * associated data, so that no box can be moved to another id unnoticed.
 */
#include "internal.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/journal.h"

#include <stdlib.h>
#include <string.h>

#define AD_JOURNAL "revans journal v1"

static size_t journal_ad(uint8_t ad[64], const rv_oid_t *id) {
  size_t n = strlen(AD_JOURNAL);
  memcpy(ad, AD_JOURNAL, n);
  memcpy(ad + n, id->b, RV_OID_LEN);
  return n + RV_OID_LEN;
}

static bool tag_ok(const char *t) {
  size_t n = t ? strlen(t) : 0;
  return n > 0 && n <= RV_JOURNAL_TAG_MAX;
}

int rv_journal_put(rv_home_t *h, const rv_entry_t *e) {
  uint8_t ad[64];
  rv_buf_t box;
  size_t n;
  int r;
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if (!e->text || !e->text[0] || strlen(e->text) > RV_JOURNAL_TEXT_MAX ||
      e->ntags > RV_JOURNAL_TAGS_MAX)
    return RV_EINVAL;
  for (size_t i = 0; i < e->ntags; i++)
    if (!tag_ok(e->tags[i]))
      return RV_EINVAL;
  rv_enc_reset(h->enc2);
  rv_enc_array(h->enc2, 7);
  rv_enc_uint(h->enc2, 1);
  rv_enc_uint(h->enc2, e->at_ms);
  rv_enc_uint(h->enc2, e->made_ms);
  rv_enc_cstr(h->enc2, e->text);
  rv_enc_array(h->enc2, (uint32_t)e->ntags);
  for (size_t i = 0; i < e->ntags; i++)
    rv_enc_cstr(h->enc2, e->tags[i]);
  if (e->has_meeting) {
    rv_enc_array(h->enc2, 2);
    rv_enc_bin(h->enc2, e->set.b, RV_SETID_LEN);
    rv_enc_bin(h->enc2, e->meeting.b, RV_OID_LEN);
  } else {
    rv_enc_nil(h->enc2);
  }
  rv_enc_bin(h->enc2, e->source.b, RV_HASH_LEN);
  const uint8_t *p = rv_enc_data(h->enc2, &n);
  rv_buf_init(&box);
  size_t adn = journal_ad(ad, &e->id);
  if ((r = rv_enc_status(h->enc2)) == 0 && (r = rv_box_seal(&box, p, n, ad, adn, h->sec->local)) == 0)
    r = rv_put(h->txn, RV_DB_JOURNAL, e->id.b, RV_OID_LEN, box.data, box.len);
  rv_enc_wipe(h->enc2);
  rv_buf_release_public(&box);
  return r;
}

void rv_entry_release(rv_entry_t *e) {
  if (e->text) {
    rv_wipe(e->text, strlen(e->text));
    free(e->text);
  }
  for (size_t i = 0; i < e->ntags; i++)
    free(e->tags[i]);
  free(e->tags);
  memset(e, 0, sizeof *e);
}

/* Opens and decodes one stored box into ret (initialised here). */
static int open_entry(rv_home_t *h, const rv_oid_t *id, const uint8_t *v, size_t vn,
                      rv_buf_t *plain, rv_entry_t *ret) {
  uint8_t ad[64];
  rv_val_t a, f;
  uint64_t ver;
  rv_entry_t e;
  int r;
  memset(&e, 0, sizeof e);
  e.id = *id;
  rv_buf_clear(plain);
  size_t adn = journal_ad(ad, id);
  if (rv_box_open(plain, v, vn, ad, adn, h->sec->local) < 0)
    return RV_ECORRUPT;
  r = RV_ECORRUPT;
  if (rv_dec_parse(h->dec, plain->data, plain->len, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) != 7 || rv_val_at(a, 0, &f) < 0 || rv_val_uint(f, &ver) < 0 || ver != 1 ||
      rv_val_at(a, 1, &f) < 0 || rv_val_uint(f, &e.at_ms) < 0 || rv_val_at(a, 2, &f) < 0 ||
      rv_val_uint(f, &e.made_ms) < 0 || rv_val_at(a, 3, &f) < 0 ||
      rv_val_strdup(f, RV_JOURNAL_TEXT_MAX, &e.text) < 0 || rv_val_at(a, 4, &f) < 0 ||
      rv_val_kind(f) != RV_K_ARRAY || rv_val_len(f) > RV_JOURNAL_TAGS_MAX)
    goto fail;
  if (rv_val_len(f) && !(e.tags = calloc(rv_val_len(f), sizeof *e.tags))) {
    r = RV_ENOMEM;
    goto fail;
  }
  for (uint32_t i = 0; i < rv_val_len(f); i++) {
    rv_val_t t;
    rv_val_at(f, i, &t);
    if (rv_val_strdup(t, RV_JOURNAL_TAG_MAX, &e.tags[i]) < 0)
      goto fail;
    e.ntags = i + 1;
  }
  if (rv_val_at(a, 5, &f) < 0)
    goto fail;
  if (rv_val_kind(f) != RV_K_NIL) {
    rv_val_t x;
    if (rv_val_len(f) != 2 || rv_val_at(f, 0, &x) < 0 ||
        rv_val_bin_fixed(x, e.set.b, RV_SETID_LEN) < 0 || rv_val_at(f, 1, &x) < 0 ||
        rv_val_bin_fixed(x, e.meeting.b, RV_OID_LEN) < 0)
      goto fail;
    e.has_meeting = true;
  }
  if (rv_val_at(a, 6, &f) < 0 || rv_val_bin_fixed(f, e.source.b, RV_HASH_LEN) < 0)
    goto fail;
  rv_wipe(plain->data, plain->len);
  *ret = e;
  return 0;
fail:
  rv_wipe(plain->data, plain->len);
  rv_entry_release(&e);
  return r;
}

int rv_journal_get(rv_home_t *h, const rv_oid_t *id, rv_entry_t *ret) {
  const uint8_t *v;
  size_t vn;
  rv_buf_t plain;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  int r = rv_get(h->txn, RV_DB_JOURNAL, id->b, RV_OID_LEN, &v, &vn);
  if (r < 0)
    return r;
  rv_buf_init(&plain);
  r = open_entry(h, id, v, vn, &plain, ret);
  rv_buf_release(&plain);
  return r;
}

int rv_journal_delete(rv_home_t *h, const rv_oid_t *id) {
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  return rv_del(h->txn, RV_DB_JOURNAL, id->b, RV_OID_LEN);
}

int rv_journal_each(rv_home_t *h, rv_entry_cb cb, void *ctx) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_buf_t plain;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv_cursor_open(h->txn, RV_DB_JOURNAL, &cur)) < 0)
    return r;
  rv_buf_init(&plain);
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    rv_entry_t e;
    rv_oid_t id;
    if (kv.kn != RV_OID_LEN) {
      r = RV_ECORRUPT;
      break;
    }
    memcpy(id.b, kv.k, RV_OID_LEN);
    if ((r = open_entry(h, &id, kv.v, kv.vn, &plain, &e)) < 0)
      break;
    r = cb(ctx, &e);
    rv_entry_release(&e);
    if (r != 0)
      break;
  }
  rv_cursor_close(&cur);
  rv_buf_release(&plain);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_journal_find(rv_home_t *h, const char *prefix, rv_oid_t *ret) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  size_t len = strlen(prefix), found = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if (len == 0 || len > 2 * RV_OID_LEN)
    return RV_ENOTFOUND;
  if ((r = rv_cursor_open(h->txn, RV_DB_JOURNAL, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    char hex[2 * RV_OID_LEN + 1];
    if (kv.kn != RV_OID_LEN)
      continue;
    rv_hex(hex, kv.k, RV_OID_LEN);
    if (strncmp(hex, prefix, len) == 0) {
      memcpy(ret->b, kv.k, RV_OID_LEN);
      found++;
    }
  }
  rv_cursor_close(&cur);
  if (r != RV_ENOTFOUND)
    return r;
  return found == 1 ? 0 : found ? RV_EAMBIG : RV_ENOTFOUND;
}
