/*
 * Sets as a person sees them: creating one, listing and finding them by
 * name or id prefix, the default set, reading folded state, and the
 * offline invitation that carries a set's keys to a new member (sealed to
 * their key) together with the set's records.
 */
#include "internal.h"
#include "internal_container.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/bundle.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/set.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_KEY "default-set"
#define INVITE_MAGIC "revans-invite"

int rv_set_create(rv_home_t *h, const char *name, const char *topic, rv_set_id_t *ret) {
  rv_epoch_key_t *k = rv_secure_alloc(sizeof *k);
  rv_setctx_t *c;
  rv_body_t b;
  rv_set_id_t id;
  int r;
  if (!k)
    return RV_ENOMEM;
  memset(&b, 0, sizeof b);
  b.type = RV_BODY_SET_CREATE;
  rv_random(b.salt, sizeof b.salt);
  b.name = (char *)name;
  b.text = (char *)topic;
  b.text2 = (char *)rv_home_name(h);
  rv_set_id_derive(&id, &h->self, b.salt);
  k->epoch = 0;
  rv_random(k->key, RV_KEY_LEN);
  r = rv__setctx_new(h, &id, k, 1, &c);
  rv_secure_free(k);
  if (r < 0)
    return r;
  if ((r = rv_log_append(h, &id, &b, NULL)) < 0)
    return r;
  *ret = id;
  return 0;
}

int rv_set_list(rv_home_t *h, rv_set_id_t **ret, size_t *ret_n) {
  return rv__setctx_list(h, ret, ret_n);
}

int rv_set_refold(rv_home_t *h, const rv_set_id_t *set) {
  rv_setctx_t *c;
  int r = rv__setctx(h, set, &c);
  return r < 0 ? r : rv__refold(h, c);
}

int rv_set_state(rv_home_t *h, const rv_set_id_t *set, const rv_state_t **ret) {
  rv_setctx_t *c;
  int r = rv__setctx(h, set, &c);
  if (r < 0)
    return r;
  *ret = &c->state;
  return 0;
}

int rv_set_state_hash(rv_home_t *h, const rv_state_t *s, rv_hash_t *ret) {
  return rv_state_hash(h->enc, s, ret);
}

/* True when s is a (case-insensitive) hex prefix of the n bytes at id. */
static bool hex_prefix(const char *s, const uint8_t *id, size_t n) {
  char hex[2 * RV_ID_LEN + 1];
  size_t len = strlen(s);
  if (len == 0 || len > 2 * n)
    return false;
  rv_hex(hex, id, n);
  return strncasecmp(hex, s, len) == 0;
}

static int find(rv_home_t *h, const char *q, bool prefixes_too, rv_set_id_t *ret) {
  rv_set_id_t *sets = NULL, by_name = {{0}}, by_prefix = {{0}};
  size_t n = 0, names = 0, prefixes = 0;
  int r = rv_set_list(h, &sets, &n);
  if (r < 0)
    return r;
  for (size_t i = 0; i < n; i++) {
    const rv_state_t *s;
    if ((r = rv_set_state(h, &sets[i], &s)) < 0)
      goto out;
    if (s->name && strcasecmp(s->name, q) == 0) {
      by_name = sets[i];
      names++;
    }
    if (prefixes_too && hex_prefix(q, sets[i].b, RV_SETID_LEN)) {
      by_prefix = sets[i];
      prefixes++;
    }
  }
  r = 0;
  if (names == 1)
    *ret = by_name;
  else if (names > 1)
    r = RV_EAMBIG;
  else if (prefixes == 1)
    *ret = by_prefix;
  else
    r = prefixes > 1 ? RV_EAMBIG : RV_ENOTFOUND;
out:
  free(sets);
  return r;
}

int rv_set_find(rv_home_t *h, const char *q, rv_set_id_t *ret) { return find(h, q, true, ret); }

int rv_set_find_name(rv_home_t *h, const char *name, rv_set_id_t *ret) {
  return find(h, name, false, ret);
}

int rv_set_default(rv_home_t *h, rv_set_id_t *ret) {
  rv_set_id_t *sets = NULL;
  size_t n = 0;
  const uint8_t *v;
  size_t vn;
  int r = rv_set_list(h, &sets, &n);
  if (r < 0)
    return r;
  r = n == 0 ? RV_ENOTFOUND : RV_EAMBIG;
  if (rv_get(h->txn, RV_DB_META, DEFAULT_KEY, strlen(DEFAULT_KEY), &v, &vn) == 0 &&
      vn == RV_SETID_LEN) {
    for (size_t i = 0; i < n; i++)
      if (memcmp(sets[i].b, v, RV_SETID_LEN) == 0) {
        *ret = sets[i];
        r = 0;
      }
  }
  if (r < 0 && n == 1) {
    *ret = sets[0];
    r = 0;
  }
  free(sets);
  return r;
}

int rv_set_use(rv_home_t *h, const rv_set_id_t *set) {
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  return rv_put(h->txn, RV_DB_META, DEFAULT_KEY, strlen(DEFAULT_KEY), set->b, RV_SETID_LEN);
}

int rv_set_find_member(rv_home_t *h, const rv_set_id_t *set, const char *q, rv_member_id_t *ret) {
  const rv_state_t *s;
  size_t names = 0, prefixes = 0;
  rv_member_id_t by_name = {{0}}, by_prefix = {{0}};
  int r = rv_set_state(h, set, &s);
  if (r < 0)
    return r;
  for (size_t i = 0; i < s->nmembers; i++) {
    const rv_member_t *m = &s->members[i];
    if (m->name && strcasecmp(m->name, q) == 0) {
      by_name = m->id;
      names++;
    }
    if (hex_prefix(q, m->id.b, RV_ID_LEN)) {
      by_prefix = m->id;
      prefixes++;
    }
  }
  if (names == 1) {
    *ret = by_name;
    return 0;
  }
  if (names == 0 && prefixes == 1) {
    *ret = by_prefix;
    return 0;
  }
  return names > 1 || prefixes > 1 ? RV_EAMBIG : RV_ENOTFOUND;
}

/* ---- removal ------------------------------------------------------- */

_Static_assert(RV_KEYBOX_LEN == RV_KEYBOX_PLAIN + RV_SEAL_OVERHEAD, "a key box is a sealed box");
_Static_assert(RV_KEYBOX_PLAIN == RV_SETID_LEN + 4 + RV_KEY_LEN, "a key box holds one key");

int rv_set_remove(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *who,
                  uint32_t *ret_epoch, const char **ret_why) {
  rv_setctx_t *c;
  rv_body_t b;
  uint8_t *plain = NULL;
  uint64_t seq;
  int r;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv__setctx(h, set, &c)) < 0 || (r = rv__log_next_seq(h, set, &seq)) < 0)
    return r;
  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_REMOVE;
  b.member = *who;
  b.num = rv_epoch_derive(set, &h->self, seq);
  /* One box per remaining member (this person included, unless they are
   * the one leaving): the fold checks the rest and says why it refuses. */
  const rv_state_t *s = &c->state;
  if (s->nmembers > RV_MAX_BOXES + 1)
    return RV_ETOOBIG;
  if (s->nmembers && !(b.boxes = calloc(s->nmembers, sizeof *b.boxes)))
    return RV_ENOMEM;
  if (!(plain = rv_secure_alloc(RV_KEYBOX_PLAIN))) {
    r = RV_ENOMEM;
    goto out;
  }
  memcpy(plain, set->b, RV_SETID_LEN);
  plain[RV_SETID_LEN] = (uint8_t)(b.num >> 24);
  plain[RV_SETID_LEN + 1] = (uint8_t)(b.num >> 16);
  plain[RV_SETID_LEN + 2] = (uint8_t)(b.num >> 8);
  plain[RV_SETID_LEN + 3] = (uint8_t)b.num;
  rv_random(plain + RV_SETID_LEN + 4, RV_KEY_LEN);
  for (size_t i = 0; i < s->nmembers; i++) {
    const rv_member_t *m = &s->members[i];
    if (memcmp(m->id.b, who->b, RV_ID_LEN) == 0)
      continue;
    /* An id that is not a valid public key (a facilitator can admit any 32
     * bytes) has no home that could open a box: it gets none. */
    if (rv_seal_to(b.boxes[b.nboxes].box, plain, RV_KEYBOX_PLAIN, m->id.b) < 0)
      continue;
    b.boxes[b.nboxes++].member = m->id;
  }
  if (b.nboxes > RV_MAX_BOXES) {
    r = RV_ETOOBIG;
    goto out;
  }
  /* The key itself reaches this home as every other member's: through
   * its own box, when the record is folded. */
  if ((r = rv_log_append(h, set, &b, ret_why)) < 0)
    goto out;
  if (ret_epoch)
    *ret_epoch = c->state.epoch;
out:
  rv_secure_free(plain);
  free(b.boxes);
  return r;
}

/* ---- invitations --------------------------------------------------- */

/* The records an invitation carries: borrowed from the store until the
 * transaction ends. */
typedef struct collect {
  rv_raw_t *v;
  size_t n;
} collect_t;

static int collect_record(void *ctx, const uint8_t *raw, size_t n) {
  collect_t *c = ctx;
  rv_raw_t *v = realloc(c->v, (c->n + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  c->v = v;
  memset(&v[c->n], 0, sizeof *v);
  v[c->n].p = raw;
  v[c->n++].n = n;
  return 0;
}

/* A fork's record and what vouches for it. */
static int collect_fork(void *ctx, const uint8_t *raw, size_t n) {
  return rv_log_fork_split(raw, n, collect_record, ctx);
}

int rv_set_invite(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *who,
                  enum rv_role role, rv_buf_t *out) {
  rv_setctx_t *c;
  const char *why = NULL;
  uint8_t *sealed = NULL;
  int r;
  if (role != RV_ROLE_MEMBER && role != RV_ROLE_FACILITATOR)
    return RV_EINVAL;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  const rv_member_t *self = rv_state_member(&c->state, &h->self);
  if (!self || self->role != RV_ROLE_FACILITATOR)
    return RV_EPERM;
  const rv_member_t *m = rv_state_member(&c->state, who);
  if (!m || m->role < role) {
    rv_body_t b = {.type = RV_BODY_MEMBER_ADD};
    b.member = *who;
    b.role = role;
    if ((r = rv_log_append(h, set, &b, &why)) < 0)
      return r;
  }
  /* The keys of every epoch, sealed to the invitee. */
  rv_enc_reset(h->enc_plain);
  rv_enc_array(h->enc_plain, 2);
  rv_enc_bin(h->enc_plain, set->b, RV_SETID_LEN);
  rv_enc_array(h->enc_plain, (uint32_t)c->nkeys);
  for (size_t i = 0; i < c->nkeys; i++) {
    rv_enc_array(h->enc_plain, 2);
    rv_enc_uint(h->enc_plain, c->keys[i].epoch);
    rv_enc_bin(h->enc_plain, c->keys[i].key, RV_KEY_LEN);
  }
  size_t pn;
  const uint8_t *plain = rv_enc_data(h->enc_plain, &pn);
  if ((r = rv_enc_status(h->enc_plain)) < 0)
    goto out;
  if (!(sealed = malloc(pn + RV_SEAL_OVERHEAD))) {
    r = RV_ENOMEM;
    goto out;
  }
  if ((r = rv_seal_to(sealed, plain, pn, who->b)) < 0)
    goto out;
  /* The set's records, and the evidence of any fork, so that the new
   * member folds the same state as everyone else. */
  collect_t recs = {0};
  if ((r = rv_log_missing(h, set, NULL, 0, collect_record, &recs)) == 0 &&
      (r = rv_log_forks(h, set, collect_fork, &recs)) == 0 && recs.n > UINT32_MAX)
    r = RV_ETOOBIG;
  if (r == 0) {
    rv_cwriter_t w;
    rv_enc_reset(h->enc);
    rv__cw_begin(&w, h->enc, INVITE_MAGIC, 7);
    rv_enc_bin(h->enc, set->b, RV_SETID_LEN);
    rv_enc_bin(h->enc, who->b, RV_ID_LEN);
    rv_enc_bin(h->enc, sealed, pn + RV_SEAL_OVERHEAD);
    rv_enc_array(h->enc, (uint32_t)recs.n);
    for (size_t i = 0; i < recs.n; i++)
      rv__cw_record(&w, recs.v[i].p, recs.v[i].n);
    r = rv__cw_end(&w, out);
  }
  free(recs.v);
out:
  rv_enc_wipe(h->enc_plain);
  free(sealed);
  return r;
}

int rv_set_join(rv_home_t *h, const uint8_t *file, size_t n, rv_set_id_t *ret) {
  rv_raw_t *recs = NULL;
  size_t nrecs = 0;
  rv_val_t root, f, a, e, kf;
  rv_set_id_t set, inner;
  rv_member_id_t who;
  const uint8_t *sealed;
  size_t sn;
  uint8_t *plain = NULL;
  rv_epoch_key_t *keys = NULL;
  rv_setctx_t *c;
  uint32_t nkeys = 0;
  int r;
  if (!h->sec)
    return RV_ELOCKED;
  if ((r = rv__container_open(h, INVITE_MAGIC, file, n, 7, 5, &root, &recs, &nrecs)) < 0)
    return r;
  r = RV_EFORMAT;
  if (rv_val_at(root, 2, &f) < 0 || rv_val_bin_fixed(f, set.b, RV_SETID_LEN) < 0 ||
      rv_val_at(root, 3, &f) < 0 || rv_val_bin_fixed(f, who.b, RV_ID_LEN) < 0 ||
      rv_val_at(root, 4, &f) < 0 || rv_val_bin(f, &sealed, &sn) < 0 || sn <= RV_SEAL_OVERHEAD ||
      sn > 64 * 1024)
    goto out;
  if (memcmp(who.b, h->self.b, RV_ID_LEN) != 0) {
    r = RV_EAUTH;
    goto out;
  }
  if (!(plain = rv_secure_alloc(sn - RV_SEAL_OVERHEAD))) {
    r = RV_ENOMEM;
    goto out;
  }
  if ((r = rv_seal_open(plain, sealed, sn, h->self.b, h->sec->sk)) < 0)
    goto out;
  /* dec is free: the container lives in dec_container. */
  r = RV_EFORMAT;
  if (rv_dec_parse(h->dec, plain, sn - RV_SEAL_OVERHEAD, &a) < 0 || rv_val_len(a) != 2 ||
      rv_val_at(a, 0, &f) < 0 || rv_val_bin_fixed(f, inner.b, RV_SETID_LEN) < 0 ||
      memcmp(inner.b, set.b, RV_SETID_LEN) != 0 || rv_val_at(a, 1, &kf) < 0 ||
      rv_val_kind(kf) != RV_K_ARRAY || (nkeys = rv_val_len(kf)) == 0 || nkeys > RV_EPOCHS_MAX)
    goto out;
  if (!(keys = rv_secure_alloc(nkeys * sizeof *keys))) {
    r = RV_ENOMEM;
    goto out;
  }
  for (uint32_t i = 0; i < nkeys; i++) {
    uint64_t epoch;
    rv_val_t x;
    rv_val_at(kf, i, &e);
    if (rv_val_len(e) != 2 || rv_val_at(e, 0, &x) < 0 || rv_val_uint(x, &epoch) < 0 ||
        epoch > UINT32_MAX || rv_val_at(e, 1, &x) < 0 ||
        rv_val_bin_fixed(x, keys[i].key, RV_KEY_LEN) < 0)
      goto out;
    keys[i].epoch = (uint32_t)epoch;
  }
  if ((r = rv__setctx_new(h, &set, keys, nkeys, &c)) < 0)
    goto out;
  rv_ingest_report_t rep;
  if ((r = rv_log_ingest(h, recs, nrecs, &rep)) < 0)
    goto out;
  if (rep.unvouched) {
    r = RV_EAUTH; /* as for a bundle: every chain comes whole to its head */
    goto out;
  }
  const rv_member_t *m = rv_state_member(&c->state, &h->self);
  if (!c->state.created || !m) {
    r = RV_EAUTH; /* the records do not admit this person */
    goto out;
  }
  rv_body_t b = {.type = RV_BODY_MEMBER_JOIN};
  b.name = (char *)rv_home_name(h);
  if ((r = rv_log_append(h, &set, &b, NULL)) < 0)
    goto out;
  *ret = set;
out:
  rv__container_free(recs, nrecs);
  if (plain)
    rv_secure_free(plain);
  rv_secure_free(keys);
  return r;
}
