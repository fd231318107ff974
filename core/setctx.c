/*
 * The per-set context a transaction caches: each set's keys (sealed under
 * the home's local key), its folded state (sealed likewise, saved at
 * commit) and its known forks, loaded once per transaction. Here too is
 * what changes them as records are folded: the key epochs a removal
 * teaches, the snapshots of states near the end of the fold order, and
 * folding a set again from the log (refold).
 */
#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

#define AD_KEYS "revans set keys v1"
#define AD_STATE "revans state v1"
#define KEYS_PREFIX "set:" /* RV_DB_SECRETS: KEYS_PREFIX | set id -> the set's sealed keys */

/* The associated data binding a sealed blob to its purpose and owner. */
size_t rv__box_ad(uint8_t *ad, const char *purpose, const void *id, size_t idn) {
  size_t n = strlen(purpose);
  memcpy(ad, purpose, n);
  memcpy(ad + n, id, idn);
  return n + idn;
}

/* ---- contexts ------------------------------------------------------ */

static void ctx_free(rv_setctx_t *c) {
  rv_secure_free(c->keys);
  rv_state_release(&c->state);
  free(c->forked);
  free(c);
}

void rv__setctx_drop_all(rv_home_t *h) {
  for (size_t i = 0; i < h->nsets; i++)
    ctx_free(h->sets[i]);
  free(h->sets);
  h->sets = NULL;
  h->nsets = 0;
}

static int save_state(rv_home_t *h, rv_setctx_t *c) {
  uint8_t ad[64];
  rv_buf_t box;
  size_t n;
  int r;
  rv_buf_init(&box);
  rv_enc_reset(h->enc);
  if ((r = rv_state_encode(h->enc, &c->state, true)) < 0)
    return r;
  const uint8_t *p = rv_enc_data(h->enc, &n);
  size_t adn = rv__box_ad(ad, AD_STATE, c->id.b, RV_SETID_LEN);
  if ((r = rv_box_seal(&box, p, n, ad, adn, h->sec->local)) == 0)
    r = rv_put(h->txn, RV_DB_STATE, c->id.b, RV_SETID_LEN, box.data, box.len);
  rv_enc_wipe(h->enc);
  rv_buf_release(&box);
  return r;
}

int rv__setctx_save_dirty(rv_home_t *h) {
  int r = 0;
  for (size_t i = 0; i < h->nsets && r == 0; i++)
    if (h->sets[i]->dirty)
      r = save_state(h, h->sets[i]);
  return r;
}

static int keys_key(uint8_t out[4 + RV_SETID_LEN], const rv_set_id_t *set) {
  memcpy(out, KEYS_PREFIX, 4);
  memcpy(out + 4, set->b, RV_SETID_LEN);
  return 4 + RV_SETID_LEN;
}

static int save_keys(rv_home_t *h, const rv_setctx_t *c) {
  uint8_t ad[64], k[4 + RV_SETID_LEN];
  rv_buf_t box;
  size_t n;
  int r;
  rv_buf_init(&box);
  rv_enc_reset(h->enc_plain);
  rv_enc_array(h->enc_plain, (uint32_t)c->nkeys);
  for (size_t i = 0; i < c->nkeys; i++) {
    rv_enc_array(h->enc_plain, 2);
    rv_enc_uint(h->enc_plain, c->keys[i].epoch);
    rv_enc_bin(h->enc_plain, c->keys[i].key, RV_KEY_LEN);
  }
  const uint8_t *p = rv_enc_data(h->enc_plain, &n);
  size_t adn = rv__box_ad(ad, AD_KEYS, c->id.b, RV_SETID_LEN);
  if ((r = rv_enc_status(h->enc_plain)) == 0 &&
      (r = rv_box_seal(&box, p, n, ad, adn, h->sec->local)) == 0)
    r = rv_put(h->txn, RV_DB_SECRETS, k, (size_t)keys_key(k, &c->id), box.data, box.len);
  rv_enc_wipe(h->enc_plain);
  rv_buf_release(&box);
  return r;
}

static int load_keys(rv_home_t *h, rv_setctx_t *c) {
  uint8_t ad[64], k[4 + RV_SETID_LEN];
  const uint8_t *v;
  size_t vn;
  rv_buf_t plain;
  rv_val_t a, e, f;
  uint64_t epoch;
  int r = rv_get(h->txn, RV_DB_SECRETS, k, (size_t)keys_key(k, &c->id), &v, &vn);
  if (r < 0)
    return r;
  rv_buf_init(&plain);
  size_t adn = rv__box_ad(ad, AD_KEYS, c->id.b, RV_SETID_LEN);
  if (rv_box_open(&plain, v, vn, ad, adn, h->sec->local) < 0) {
    r = RV_ECORRUPT;
    goto out;
  }
  r = RV_ECORRUPT;
  if (rv_dec_parse(h->dec, plain.data, plain.len, &a) < 0 || rv_val_kind(a) != RV_K_ARRAY ||
      rv_val_len(a) == 0 || rv_val_len(a) > RV_EPOCHS_MAX)
    goto out;
  c->nkeys = rv_val_len(a);
  if (!(c->keys = rv_secure_alloc(c->nkeys * sizeof *c->keys))) {
    r = RV_ENOMEM;
    goto out;
  }
  for (uint32_t i = 0; i < c->nkeys; i++) {
    rv_val_at(a, i, &e);
    if (rv_val_len(e) != 2 || rv_val_at(e, 0, &f) < 0 || rv_val_uint(f, &epoch) < 0 ||
        epoch > UINT32_MAX || rv_val_at(e, 1, &f) < 0 ||
        rv_val_bin_fixed(f, c->keys[i].key, RV_KEY_LEN) < 0)
      goto out;
    c->keys[i].epoch = (uint32_t)epoch;
  }
  r = 0;
out:
  rv_buf_release(&plain);
  return r;
}

static int load_state(rv_home_t *h, rv_setctx_t *c) {
  uint8_t ad[64];
  const uint8_t *v;
  size_t vn;
  rv_buf_t plain;
  int r = rv_get(h->txn, RV_DB_STATE, c->id.b, RV_SETID_LEN, &v, &vn);
  if (r == RV_ENOTFOUND) {
    rv_state_init(&c->state, &c->id);
    return 0;
  }
  if (r < 0)
    return r;
  rv_buf_init(&plain);
  size_t adn = rv__box_ad(ad, AD_STATE, c->id.b, RV_SETID_LEN);
  r = rv_box_open(&plain, v, vn, ad, adn, h->sec->local);
  if (r == 0) {
    r = rv_state_decode(h->dec, plain.data, plain.len, &c->state);
    if (r == 0 && memcmp(c->state.set.b, c->id.b, RV_SETID_LEN) != 0) {
      rv_state_release(&c->state);
      r = RV_EFORMAT;
    }
    if (r < 0 && r != RV_ENOMEM) {
      /* The box is ours but its state is not one this version reads (an
       * older layout): derived data, so fold it again from the log. */
      rv_state_init(&c->state, &c->id);
      c->refold = true;
      r = 0;
    }
  } else {
    r = RV_ECORRUPT;
  }
  rv_buf_release(&plain);
  return r;
}

static int load_forks(rv_home_t *h, rv_setctx_t *c) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(h->txn, RV_DB_FORKS, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, c->id.b, RV_SETID_LEN, &kv);
       r == 0 && kv.kn == RV_POSKEY_LEN && memcmp(kv.k, c->id.b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv)) {
    rv_member_id_t a;
    memcpy(a.b, kv.k + RV_SETID_LEN, RV_ID_LEN);
    uint64_t seq = rv_be64_get(kv.k + RV_SETID_LEN + RV_ID_LEN);
    /* Keys are in seq order: the first of an author is the lowest. */
    if ((r = rv__setctx_fork_add(c, &a, seq)) < 0)
      break;
  }
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND || r == 0 ? 0 : r;
}

static int ctx_add(rv_home_t *h, rv_setctx_t *c) {
  rv_setctx_t **v = realloc(h->sets, (h->nsets + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  h->sets = v;
  v[h->nsets++] = c;
  return 0;
}

int rv__setctx(rv_home_t *h, const rv_set_id_t *set, rv_setctx_t **ret) {
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  for (size_t i = 0; i < h->nsets; i++)
    if (memcmp(h->sets[i]->id.b, set->b, RV_SETID_LEN) == 0) {
      *ret = h->sets[i];
      return 0;
    }
  rv_setctx_t *c = calloc(1, sizeof *c);
  if (!c)
    return RV_ENOMEM;
  c->id = *set;
  rv_state_init(&c->state, set);
  if ((r = load_keys(h, c)) < 0 || (r = load_state(h, c)) < 0 || (r = load_forks(h, c)) < 0 ||
      (r = ctx_add(h, c)) < 0) {
    ctx_free(c);
    return r;
  }
  if (c->refold && (r = rv__refold(h, c)) < 0)
    return r;
  *ret = c;
  return 0;
}

int rv__setctx_new(rv_home_t *h, const rv_set_id_t *set, const rv_epoch_key_t *keys, size_t nkeys,
                   rv_setctx_t **ret) {
  rv_setctx_t *c;
  int r;
  if (!h->txn || !rv_txn_writable(h->txn) || nkeys == 0 || nkeys > RV_EPOCHS_MAX)
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if (rv__setctx(h, set, &c) == 0)
    return RV_EEXIST;
  if (!(c = calloc(1, sizeof *c)))
    return RV_ENOMEM;
  c->id = *set;
  rv_state_init(&c->state, set);
  c->nkeys = nkeys;
  if (!(c->keys = rv_secure_alloc(nkeys * sizeof *keys))) {
    ctx_free(c);
    return RV_ENOMEM;
  }
  memcpy(c->keys, keys, nkeys * sizeof *keys);
  c->dirty = true;
  if ((r = save_keys(h, c)) < 0 || (r = ctx_add(h, c)) < 0) {
    ctx_free(c);
    return r;
  }
  *ret = c;
  return 0;
}

const uint8_t *rv__setctx_key(const rv_setctx_t *c, uint32_t epoch) {
  for (size_t i = 0; i < c->nkeys; i++)
    if (c->keys[i].epoch == epoch)
      return c->keys[i].key;
  return NULL;
}

int rv__setctx_add_key(rv_home_t *h, rv_setctx_t *c, uint32_t epoch,
                       const uint8_t key[RV_KEY_LEN]) {
  if (rv__setctx_key(c, epoch))
    return 0;
  if (c->nkeys >= RV_EPOCHS_MAX)
    return RV_ETOOBIG;
  rv_epoch_key_t *v = rv_secure_alloc((c->nkeys + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  if (c->nkeys)
    memcpy(v, c->keys, c->nkeys * sizeof *v);
  v[c->nkeys].epoch = epoch;
  memcpy(v[c->nkeys].key, key, RV_KEY_LEN);
  rv_secure_free(c->keys);
  c->keys = v;
  c->nkeys++;
  h->keys_learned++;
  /* A refold in a read transaction learns the same keys again; they were
   * stored when their records were first folded in a write transaction. */
  return rv_txn_writable(h->txn) ? save_keys(h, c) : 0;
}

bool rv__setctx_forked(const rv_setctx_t *c, const rv_member_id_t *author, uint64_t seq) {
  for (size_t i = 0; i < c->nforked; i++)
    if (memcmp(c->forked[i].author.b, author->b, RV_ID_LEN) == 0 && seq >= c->forked[i].seq)
      return true;
  return false;
}

int rv__setctx_fork_add(rv_setctx_t *c, const rv_member_id_t *author, uint64_t seq) {
  if (rv__setctx_forked(c, author, seq))
    return 0;
  struct rv_forked *f = realloc(c->forked, (c->nforked + 1) * sizeof *f);
  if (!f)
    return RV_ENOMEM;
  c->forked = f;
  f[c->nforked].author = *author;
  f[c->nforked++].seq = seq;
  return 0;
}

int rv__setctx_list(rv_home_t *h, rv_set_id_t **ret, size_t *ret_n) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_set_id_t *v = NULL;
  size_t n = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if ((r = rv_cursor_open(h->txn, RV_DB_SECRETS, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, KEYS_PREFIX, 4, &kv);
       r == 0 && kv.kn == 4 + RV_SETID_LEN && memcmp(kv.k, KEYS_PREFIX, 4) == 0;
       r = rv_cursor_next(cur, &kv)) {
    rv_set_id_t *nv = realloc(v, (n + 1) * sizeof *v);
    if (!nv) {
      r = RV_ENOMEM;
      break;
    }
    v = nv;
    memcpy(v[n++].b, kv.k + 4, RV_SETID_LEN);
  }
  rv_cursor_close(&cur);
  if (r != 0 && r != RV_ENOTFOUND) {
    free(v);
    return r;
  }
  *ret = v;
  *ret_n = n;
  return 0;
}

/* ---- key epochs ---------------------------------------------------- */

/* The key of a merged epoch: keyed BLAKE2b, under the key of epoch a, of
 * a purpose string, the merged epoch's id and the key of epoch b. Only
 * someone holding both keys can derive it. */
#define MERGE_TAG "revans merged epoch v1"
static int derive_merged(const rv_epoch_t *e, const uint8_t *ka, const uint8_t *kb,
                         uint8_t out[RV_KEY_LEN]) {
  size_t tn = strlen(MERGE_TAG);
  uint8_t *msg = rv_secure_alloc(tn + 4 + RV_KEY_LEN);
  if (!msg)
    return RV_ENOMEM;
  memcpy(msg, MERGE_TAG, tn);
  msg[tn] = (uint8_t)(e->id >> 24);
  msg[tn + 1] = (uint8_t)(e->id >> 16);
  msg[tn + 2] = (uint8_t)(e->id >> 8);
  msg[tn + 3] = (uint8_t)e->id;
  memcpy(msg + tn + 4, kb, RV_KEY_LEN);
  rv_mac(out, msg, tn + 4 + RV_KEY_LEN, ka);
  rv_secure_free(msg);
  return 0;
}

/* A key that cannot be stored (the set's table of keys is full) is simply
 * not learned: the records under it stay unreadable here. */
static int add_key(rv_home_t *h, rv_setctx_t *c, uint32_t epoch, const uint8_t *key) {
  int r = rv__setctx_add_key(h, c, epoch, key);
  return r == RV_ETOOBIG ? 0 : r;
}

/* Opens this member's box in a removal record, if there is one. */
static int open_own_box(rv_home_t *h, rv_setctx_t *c, const rv_body_t *b) {
  uint8_t *plain = NULL;
  int r = 0;
  for (size_t i = 0; i < b->nboxes && r == 0; i++) {
    if (memcmp(b->boxes[i].member.b, h->self.b, RV_ID_LEN) != 0)
      continue;
    if (!plain && !(plain = rv_secure_alloc(RV_KEYBOX_PLAIN)))
      return RV_ENOMEM;
    /* A box that does not open, or that names another set or epoch, was
     * not made for this: it teaches nothing. */
    if (rv_seal_open(plain, b->boxes[i].box, RV_KEYBOX_LEN, h->self.b, h->sec->sk) < 0)
      continue;
    uint32_t e = (uint32_t)plain[RV_SETID_LEN] << 24 | (uint32_t)plain[RV_SETID_LEN + 1] << 16 |
                 (uint32_t)plain[RV_SETID_LEN + 2] << 8 | plain[RV_SETID_LEN + 3];
    if (memcmp(plain, c->id.b, RV_SETID_LEN) == 0 && e == b->num)
      r = add_key(h, c, e, plain + RV_SETID_LEN + 4);
  }
  rv_secure_free(plain);
  return r;
}

/* After a record has been folded (applied or ignored): a member.remove
 * teaches this home the key it carries for this member, and the key of
 * any merged epoch it now holds both halves of. The key is learned even
 * when the fold ignored the removal, so that every record written under it
 * can be read (two facilitators who removed each other in a partition:
 * docs/format.md). It is learned only from a removal by someone who is, or
 * was when removed, a facilitator, and only for the epoch id the record's
 * own position gives: nobody can plant a key for an epoch another
 * member's removal will start. Learning a key changes no state. */
int rv__learn_keys(rv_home_t *h, rv_setctx_t *c, const rv_header_t *hd, const rv_body_t *b) {
  const rv_state_t *s = &c->state;
  int r;
  if (b->type != RV_BODY_MEMBER_REMOVE)
    return 0;
  const rv_member_t *a = rv_state_member(s, &hd->author);
  if (!a)
    a = rv_state_removed(s, &hd->author);
  if (a && a->role == RV_ROLE_FACILITATOR && b->num <= UINT32_MAX &&
      b->num == rv_epoch_derive(&c->id, &hd->author, hd->seq) &&
      !rv__setctx_key(c, (uint32_t)b->num) && (r = open_own_box(h, c, b)) < 0)
    return r;
  for (size_t i = 0; i < s->nepochs; i++) {
    const rv_epoch_t *e = &s->epochs[i];
    const uint8_t *ka, *kb;
    uint8_t k[RV_KEY_LEN];
    if (e->kind != RV_EPOCH_MERGED || rv__setctx_key(c, e->id) || !(ka = rv__setctx_key(c, e->a)) ||
        !(kb = rv__setctx_key(c, e->b)))
      continue;
    if ((r = derive_merged(e, ka, kb, k)) == 0)
      r = add_key(h, c, e->id, k);
    rv_wipe(k, sizeof k);
    if (r < 0)
      return r;
  }
  return 0;
}

/* ---- reading a body ------------------------------------------------ */

int rv__open_body(rv_home_t *h, rv_setctx_t *c, const rv_envelope_t *e, rv_buf_t *plain,
                  rv_body_t *ret) {
  const uint8_t *key = rv__setctx_key(c, e->hd.epoch);
  int r;
  if (!key)
    return RV_EKEY;
  rv_buf_clear(plain);
  if ((r = rv_envelope_open(e, key, plain)) < 0)
    return r;
  r = rv_body_decode(h->dec, plain->data, plain->len, ret);
  rv_wipe(plain->data, plain->len);
  return r < 0 && r != RV_ENOMEM ? RV_EFORMAT : r;
}

/* ---- snapshots ----------------------------------------------------- */

/* Records from several members written at once arrive a little out of
 * fold order, and each such batch means folding again. From the set's
 * first record that costs the whole log every time (a second or more at
 * 100,000 records, while the node's loop and the store's write lock wait).
 * A handle that commits more than once (a node) therefore keeps, per set,
 * the last few folded states taken every SNAP_EVERY records, in memory,
 * and folds again from the newest one before the first new record.
 *
 * A snapshot stays valid while records are only added after it. Whoever
 * folds a set again from an earlier point, in any process, draws a new
 * random `refold_id` for the state and stores it with the state: a
 * snapshot taken under another id is void. (A random id, not a count: a
 * fold in a transaction that did not commit can then never be matched by
 * another process's.) Snapshots are taken only in write transactions;
 * those taken in one that does not commit are forgotten. */
#define SNAP_EVERY 256
#define SNAP_KEEP 4

static void snap_free(rv_home_t *h, size_t i) {
  rv_wipe(h->snaps[i].data, h->snaps[i].len);
  free(h->snaps[i].data);
  h->snaps[i] = h->snaps[--h->nsnaps];
}

void rv__snaps_end(rv_home_t *h, bool committed) {
  for (size_t i = h->nsnaps; i-- > 0;) {
    if (!h->snaps[i].pending)
      continue;
    if (committed)
      h->snaps[i].pending = false;
    else
      snap_free(h, i);
  }
}

void rv__snaps_free(rv_home_t *h) {
  while (h->nsnaps)
    snap_free(h, h->nsnaps - 1);
  free(h->snaps);
  h->snaps = NULL;
}

static bool snap_of(const struct rv_snap *p, const rv_setctx_t *c) {
  return memcmp(p->set.b, c->id.b, RV_SETID_LEN) == 0;
}

static uint64_t new_refold_id(void) {
  uint64_t id = 0;
  while (id == 0)
    rv_random(&id, sizeof id);
  return id;
}

/* Takes a snapshot of c's state when SNAP_EVERY records have been folded
 * since the newest, once at least `from` records are folded. Best effort:
 * without memory, there is simply none. */
void rv__snap_take(rv_home_t *h, rv_setctx_t *c, uint64_t from) {
  uint64_t count = c->state.folded + c->state.ignored;
  size_t nset = 0, oldest = 0;
  if (h->commits == 0 || !rv_txn_writable(h->txn) || !c->state.has_last || count < from)
    return;
  for (size_t i = h->nsnaps; i-- > 0;) {
    if (!snap_of(&h->snaps[i], c))
      continue;
    if (h->snaps[i].refold_id != c->state.refold_id) {
      snap_free(h, i); /* void: it neither spaces nor fills the set's slots */
      continue;
    }
    if (count < h->snaps[i].count + SNAP_EVERY)
      return;
    if (nset++ == 0 || h->snaps[i].count < h->snaps[oldest].count)
      oldest = i;
  }
  rv_enc_reset(h->enc_plain);
  size_t n;
  const uint8_t *p;
  uint8_t *data;
  if (rv_state_encode(h->enc_plain, &c->state, true) < 0 || !(p = rv_enc_data(h->enc_plain, &n)) ||
      !(data = malloc(n))) {
    rv_enc_wipe(h->enc_plain);
    return;
  }
  memcpy(data, p, n);
  rv_enc_wipe(h->enc_plain);
  if (nset >= SNAP_KEEP) {
    snap_free(h, oldest);
  } else {
    struct rv_snap *v = realloc(h->snaps, (h->nsnaps + 1) * sizeof *v);
    if (!v) {
      rv_wipe(data, n);
      free(data);
      return;
    }
    h->snaps = v;
  }
  struct rv_snap *sn = &h->snaps[h->nsnaps++];
  sn->set = c->id;
  memcpy(sn->okey, c->state.last, RV_ORDER_LEN);
  sn->count = count;
  sn->refold_id = c->state.refold_id;
  sn->pending = true;
  sn->data = data;
  sn->len = n;
}

/* ---- refold -------------------------------------------------------- */

/* Folds c's records from the order index, after the order key `after`
 * (from the first when NULL), onto c's state; snapshots are taken once
 * `snap_from` records are folded. */
static int fold_from(rv_home_t *h, rv_setctx_t *c, const uint8_t *after, uint64_t snap_from) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_buf_t plain;
  rv_envelope_t e;
  int r;
  c->dirty = true;
  rv_buf_init(&plain);
  if ((r = rv_cursor_open(h->txn, RV_DB_ORDER, &cur)) < 0)
    return r;
  r = after ? rv_cursor_seek(cur, after, RV_ORDER_LEN, &kv)
            : rv_cursor_seek(cur, c->id.b, RV_SETID_LEN, &kv);
  if (r == 0 && after && kv.kn == RV_ORDER_LEN && memcmp(kv.k, after, RV_ORDER_LEN) == 0)
    r = rv_cursor_next(cur, &kv); /* folded into the snapshot already */
  for (; r == 0 && kv.kn == RV_ORDER_LEN && memcmp(kv.k, c->id.b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv)) {
    const uint8_t *raw;
    size_t rn;
    rv_body_t body;
    if ((r = rv__log_get(h, kv.v, kv.vn, &raw, &rn)) < 0 ||
        (r = rv_envelope_decode(h->dec, raw, rn, &e)) < 0) {
      r = r == RV_ENOMEM ? r : RV_ECORRUPT;
      break;
    }
    h->refolded++;
    if (rv__setctx_forked(c, &e.hd.author, e.hd.seq) ||
        rv__open_body(h, c, &e, &plain, &body) < 0) {
      rv_fold_skip(&c->state, &e.hd);
      rv__snap_take(h, c, snap_from);
      continue;
    }
    r = rv_fold_apply(&c->state, &e.hd, &body, NULL);
    if (r >= 0)
      r = rv__learn_keys(h, c, &e.hd, &body);
    rv_body_release(&body);
    if (r < 0)
      break;
    rv__snap_take(h, c, snap_from);
  }
  rv_cursor_close(&cur);
  rv_buf_release(&plain);
  return r == RV_ENOTFOUND || r >= 0 ? 0 : r;
}

/* Recomputes c's state from the order index: what a fresh node would get. */
int rv__refold(rv_home_t *h, rv_setctx_t *c) {
  uint64_t refold_id = new_refold_id(), had = c->state.folded + c->state.ignored;
  for (size_t i = h->nsnaps; i-- > 0;)
    if (snap_of(&h->snaps[i], c))
      snap_free(h, i);
  rv_state_release(&c->state);
  rv_state_init(&c->state, &c->id);
  c->state.refold_id = refold_id;
  c->refold = false;
  /* Snapshots only near the end: the last SNAP_KEEP spans before what was
   * folded here, and what comes after. */
  uint64_t span = (uint64_t)SNAP_EVERY * SNAP_KEEP;
  return fold_from(h, c, NULL, had > span ? had - span : 0);
}

/* Folds c again from the newest valid snapshot before the order key
 * `first` (the first record that did not come after the state's last),
 * or from the set's first record when there is none. */
int rv__refold_before(rv_home_t *h, rv_setctx_t *c, const uint8_t first[RV_ORDER_LEN]) {
  size_t best = SIZE_MAX;
  for (size_t i = h->nsnaps; i-- > 0;) {
    struct rv_snap *p = &h->snaps[i];
    if (!snap_of(p, c))
      continue;
    if (p->refold_id != c->state.refold_id || memcmp(p->okey, first, RV_ORDER_LEN) >= 0) {
      snap_free(h, i); /* void, or overtaken by the new record */
      if (best == h->nsnaps)
        best = i; /* moved into slot i */
      continue;
    }
    if (best == SIZE_MAX || memcmp(p->okey, h->snaps[best].okey, RV_ORDER_LEN) > 0)
      best = i;
  }
  rv_state_t s;
  if (best == SIZE_MAX || rv_state_decode(h->dec, h->snaps[best].data, h->snaps[best].len, &s) < 0)
    return rv__refold(h, c);
  uint8_t after[RV_ORDER_LEN];
  memcpy(after, h->snaps[best].okey, RV_ORDER_LEN);
  s.refold_id = new_refold_id();
  rv_state_release(&c->state);
  c->state = s;
  /* The snapshots kept hold for the state this fold leads to. */
  for (size_t i = 0; i < h->nsnaps; i++)
    if (snap_of(&h->snaps[i], c))
      h->snaps[i].refold_id = s.refold_id;
  return fold_from(h, c, after, 0);
}
