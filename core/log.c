/*
 * The log: every record, whoever wrote it, goes through append or ingest
 * into one transaction that stores it (log, order index, author's head)
 * and folds it into the set's state. Ingest authenticates a run of one
 * author's records by its hash links down to the held head plus the
 * signature of the run's last record, which commits to all the others.
 */
#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

/* ---- append -------------------------------------------------------- */

int rv_log_append(rv_home_t *h, const rv_set_id_t *set, const rv_body_t *body,
                  const char **ret_why) {
  rv_setctx_t *c;
  rv_header_t hd;
  rv_hash_t head;
  rv_buf_t env;
  uint64_t seq;
  const char *why = NULL;
  int r;
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  if ((r = rv__head_get(h, set, &h->self, &seq, &head, NULL)) < 0)
    return r;
  if (c->state.lamport_max >= RV_COUNTER_MAX || seq >= RV_COUNTER_MAX)
    return RV_ETOOBIG;
  /* Once this identity has forked (a copied home wrote too), every member
   * keeps its later records out of state: writing more would be in vain. */
  if (rv__setctx_forked(c, &h->self, seq + 1))
    return RV_EFORK;
  /* A removed member no longer holds the current key: say why, as the
   * fold would, rather than that a key is missing. */
  if (c->state.created && (why = rv_fold_why_author(&c->state, &h->self))) {
    if (ret_why)
      *ret_why = why;
    return RV_EPERM;
  }
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = h->self;
  hd.seq = seq + 1;
  hd.prev = head;
  hd.lamport = c->state.lamport_max + 1;
  hd.epoch = c->state.epoch;
  hd.time_ms = rv_now_ms();
  const uint8_t *key = rv__setctx_key(c, hd.epoch);
  if (!key)
    return RV_EKEY;
  rv_enc_reset(h->enc2);
  if ((r = rv_body_encode(h->enc2, body)) < 0)
    return r;
  size_t bn;
  const uint8_t *bp = rv_enc_data(h->enc2, &bn);
  rv_buf_init(&env);
  if ((r = rv_envelope_seal(h->enc, &hd, bp, bn, key, h->sec->sk, &env)) < 0)
    goto out;
  /* The fold decides whether the record is allowed; if not, the caller
   * aborts and nothing of it is stored. */
  if ((r = rv_fold_apply(&c->state, &hd, body, &why)) < 0)
    goto out;
  if (r == 0) {
    r = RV_EPERM;
    if (ret_why)
      *ret_why = why;
    goto out;
  }
  rv_hash(head.b, env.data, env.len);
  if ((r = rv__log_put(h, &hd, env.data, env.len)) < 0 ||
      (r = rv__head_put(h, set, &hd, &head)) < 0 || (r = rv__learn_keys(h, c, &hd, body)) < 0)
    goto out;
  c->dirty = true;
out:
  rv_enc_wipe(h->enc2);
  rv_buf_release(&env);
  return r;
}

/* ---- ingest -------------------------------------------------------- */

typedef struct item {
  rv_envelope_t e;
  rv_hash_t hash;
  uint8_t okey[RV_ORDER_LEN];
  size_t plain_off; /* the opened body, in the batch's plaintext arena */
  size_t plain_len;
  bool accepted;
  bool readable;
  bool skip; /* claims a contested position it cannot prove here */
  bool unreadable; /* counted unreadable: tried again once a key is learned */
  /* A contested record whose own signature fails, proved by the author's
   * next records in the batch (vouched_in_batch): up is the next link,
   * and the chain ends at the one whose own signature verified (signed). */
  struct item *up;
  bool signed_ok, signed_bad; /* its own signature checked, and found so */
} item_t;

static int cmp_position(const void *a, const void *b) {
  const item_t *x = *(const item_t *const *)a, *y = *(const item_t *const *)b;
  int c = memcmp(x->e.h.set.b, y->e.h.set.b, RV_SETID_LEN);
  if (c == 0)
    c = memcmp(x->e.h.author.b, y->e.h.author.b, RV_ID_LEN);
  if (c == 0)
    c = x->e.h.seq < y->e.h.seq ? -1 : x->e.h.seq > y->e.h.seq;
  if (c == 0)
    c = memcmp(x->hash.b, y->hash.b, RV_HASH_LEN);
  return c;
}

static int cmp_order(const void *a, const void *b) {
  const item_t *const *x = a, *const *y = b;
  return memcmp((*x)->okey, (*y)->okey, RV_ORDER_LEN);
}

/* qsort, after a linear look: batches from bundles usually come sorted. */
static void sort_items(item_t **v, size_t n, int (*cmp)(const void *, const void *)) {
  for (size_t i = 1; i < n; i++)
    if (cmp(&v[i - 1], &v[i]) > 0) {
      qsort(v, n, sizeof *v, cmp);
      return;
    }
}

static bool same_author(const item_t *a, const item_t *b) {
  return memcmp(a->e.h.set.b, b->e.h.set.b, RV_SETID_LEN) == 0 &&
         memcmp(a->e.h.author.b, b->e.h.author.b, RV_ID_LEN) == 0;
}

/* Records a fork: a record, authenticated on its own, that conflicts with
 * one held or accepted. */
static int note_fork(rv_home_t *h, rv_setctx_t *c, const item_t *it) {
  uint8_t k[RV_POSKEY_LEN];
  const uint8_t *v;
  size_t vn;
  int r;
  rv__pos_key(k, &c->id, &it->e.h.author, it->e.h.seq);
  if (rv_get(h->txn, RV_DB_FORKS, k, sizeof k, &v, &vn) == 0)
    return 0;
  if (!it->up) {
    r = rv_put(h->txn, RV_DB_FORKS, k, sizeof k, it->e.raw, it->e.raw_len);
  } else {
    /* The record, then the author's records that vouch for it, back to
     * back: whoever it goes to can prove it as this home did. */
    rv_buf_t all;
    rv_buf_init(&all);
    r = rv_buf_append(&all, it->e.raw, it->e.raw_len);
    for (const item_t *u = it->up; u && r == 0; u = u->signed_ok ? NULL : u->up)
      r = rv_buf_append(&all, u->e.raw, u->e.raw_len);
    if (r == 0)
      r = rv_put(h->txn, RV_DB_FORKS, k, sizeof k, all.data, all.len);
    rv_buf_release_public(&all);
  }
  if (r < 0)
    return r;
  r = rv__setctx_fork_add(c, &it->e.h.author, it->e.h.seq);
  return r < 0 ? r : 1;
}

/* A record that claims a position another record holds, here or in the
 * same batch, cannot lean on the chain: it is believed only on its own, by
 * its author's signature and by a body that opens under the set's key for
 * its epoch (which only the set's members hold). 0 when it proves itself,
 * RV_EKEY when that key is not held here (it proves nothing yet),
 * RV_EAUTH when it is forged. */
static int body_opens(rv_setctx_t *c, const item_t *it, rv_buf_t *scratch) {
  const uint8_t *key = rv__setctx_key(c, it->e.h.epoch);
  if (!key)
    return RV_EKEY;
  rv_buf_clear(scratch);
  int r = rv_envelope_open(&it->e, key, scratch);
  rv_wipe(scratch->data, scratch->len);
  return r;
}

static int authenticate_alone(rv_setctx_t *c, const item_t *it, rv_buf_t *scratch) {
  if (rv_envelope_verify(&it->e) < 0)
    return RV_EAUTH;
  return body_opens(c, it, scratch);
}

/* A contested record whose own signature fails is still its author's when
 * the batch holds the author's next records, linked up from it to one
 * whose own signature verifies (format.md, "Which records are
 * authentic"): those are items[from..n), the run after its position. Its
 * body must open, as for any contested record. Links it->up. */
static int vouched_in_batch(rv_setctx_t *c, item_t *it, item_t **items, size_t from, size_t n,
                            rv_buf_t *scratch) {
  item_t *below = it;
  size_t links = 0;
  for (size_t j = from; j < n && items[j]->e.h.seq <= below->e.h.seq + 1; j++) {
    item_t *up = items[j];
    if (up->e.h.seq != below->e.h.seq + 1 ||
        memcmp(up->e.h.prev.b, below->hash.b, RV_HASH_LEN) != 0)
      continue;
    below->up = up;
    if (!up->signed_bad && (up->signed_ok || rv_envelope_verify(&up->e) == 0)) {
      up->signed_ok = true;
      return body_opens(c, it, scratch);
    }
    up->signed_bad = true;
    if (++links == RV_VOUCHERS_MAX)
      break;
    below = up; /* its own signature fails too: one above it may vouch */
  }
  it->up = NULL;
  return RV_EAUTH;
}

/* Marks the records of contested positions of a run: those that cannot
 * prove themselves are skipped; a forged one refuses the batch. */
static int check_contested(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n,
                           uint64_t hseq, rv_ingest_report_t *rep) {
  rv_buf_t scratch;
  int r = 0;
  rv_buf_init(&scratch);
  for (size_t a = 0; a < n && r == 0;) {
    size_t b = a + 1;
    while (b < n && items[b]->e.h.seq == items[a]->e.h.seq)
      b++;
    const uint8_t *held = NULL;
    size_t held_n = 0;
    if (items[a]->e.h.seq <= hseq &&
        (r = rv__log_at(h, &c->id, &items[a]->e.h.author, items[a]->e.h.seq, &held, &held_n)) < 0) {
      r = r == RV_ENOTFOUND ? RV_ECORRUPT : r;
      break;
    }
    bool distinct = false;
    for (size_t i = a + 1; i < b; i++)
      distinct |= memcmp(items[i]->hash.b, items[a]->hash.b, RV_HASH_LEN) != 0;
    for (size_t i = a; i < b && r == 0 && (distinct || held); i++) {
      const item_t *it = items[i];
      if (held && held_n == it->e.raw_len && memcmp(held, it->e.raw, held_n) == 0)
        continue; /* the record held: nothing to prove */
      r = authenticate_alone(c, it, &scratch);
      if (r == RV_EAUTH && rv_envelope_verify(&it->e) < 0)
        r = vouched_in_batch(c, items[i], items, b, n, &scratch);
      if (r == RV_EKEY) {
        items[i]->skip = true;
        items[i]->unreadable = true;
        rep->unreadable++;
        r = 0;
      }
    }
    a = b;
  }
  rv_buf_release(&scratch);
  return r;
}

/* Checks one author's run items[0..n) against the held head; marks the
 * records to store. */
static int check_run(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n, rv_buf_t *arena,
                     rv_ingest_report_t *rep, bool *ret_forked) {
  uint64_t hseq, hlamport;
  rv_hash_t hhash;
  item_t *last = NULL;
  int r = rv__head_get(h, &c->id, &items[0]->e.h.author, &hseq, &hhash, &hlamport);
  if (r < 0 || (r = check_contested(h, c, items, n, hseq, rep)) < 0)
    return r;
  for (size_t i = 0; i < n; i++) {
    item_t *it = items[i];
    const rv_header_t *hd = &it->e.h;
    if (it->skip)
      continue;
    /* A position already filled, here or by this batch: the same record
     * again, or a fork. */
    bool filled = last && last->e.h.seq == hd->seq;
    if (filled || hd->seq <= hseq) {
      bool same;
      if (filled) {
        same = memcmp(last->hash.b, it->hash.b, RV_HASH_LEN) == 0;
      } else {
        const uint8_t *raw;
        size_t rn;
        if ((r = rv__log_at(h, &c->id, &hd->author, hd->seq, &raw, &rn)) < 0)
          return r == RV_ENOTFOUND ? RV_ECORRUPT : r;
        same = rn == it->e.raw_len && memcmp(raw, it->e.raw, rn) == 0;
      }
      if (same) {
        rep->duplicates++;
        continue;
      }
      if ((r = note_fork(h, c, it)) < 0)
        return r;
      if (r == 1) {
        rep->forks++;
        rep->forks_new++;
        *ret_forked = true;
      } else {
        rep->duplicates++; /* evidence of a fork already known */
      }
      continue;
    }
    if (hd->seq == hseq + 1 && memcmp(hd->prev.b, hhash.b, RV_HASH_LEN) == 0) {
      /* An author's clock only moves on: a record dated before its own
       * predecessor was backdated by a modified program. */
      if (hd->lamport <= hlamport)
        return RV_ECHAIN;
      it->accepted = true;
      hseq = hd->seq;
      hhash = it->hash;
      hlamport = hd->lamport;
      last = it;
      continue;
    }
    /* A gap, or a link to a record that is not the one held: the other
     * branch of a known fork (never stored, so its signatures are not
     * checked: one of them may be vouched for only by the next), or a
     * broken chain. */
    if (rv__setctx_forked(c, &hd->author, hd->seq)) {
      rep->forks++;
      continue;
    }
    return RV_ECHAIN;
  }
  /* Every accepted record must open under the set's key: one that does not
   * was not written by a key holder, and the batch is refused. A record of
   * an epoch whose key is not held here ends the run, since what follows
   * it links to it; the rest can come again once the key is held. The
   * plaintexts wait in the arena for the fold, which decodes them (a body
   * that opens but is malformed is stored, and ignored by the fold). */
  last = NULL;
  bool key_cut = false;
  for (size_t i = 0; i < n; i++) {
    item_t *it = items[i];
    if (!it->accepted)
      continue;
    const uint8_t *key = rv__setctx_key(c, it->e.h.epoch);
    it->plain_off = arena->len;
    r = key ? rv_envelope_open(&it->e, key, arena) : RV_EKEY;
    if (r == RV_EKEY) {
      key_cut = true;
      for (size_t j = i; j < n; j++)
        if (items[j]->accepted) {
          items[j]->accepted = false;
          items[j]->unreadable = true;
          rep->unreadable++;
        }
      break;
    }
    if (r < 0)
      return r;
    it->plain_len = arena->len - it->plain_off;
    it->readable = true;
    last = it;
  }
  if (!last)
    return 0;
  /* The last record's signature covers its prev hash, which covers the
   * record before it, and so on down to the head already held. When it
   * fails, the run is cut back to the newest record whose own signature
   * verifies: what lies above it is vouched for by nothing in the batch
   * (an author's records that a later signature, not sent yet, would
   * vouch for, or a forgery) and is left out, counted unvouched. When the
   * run was cut by a key not held, they are counted unreadable instead,
   * and tried again with the rest if the batch teaches the key. When none
   * verifies, the batch is refused (or, after a key cut, the run waits). */
  for (size_t i = n; i-- > 0;) {
    item_t *it = items[i];
    if (!it->accepted || !it->readable)
      continue;
    if (rv_envelope_verify(&it->e) == 0)
      return rv__head_put(h, &c->id, &it->e.h, &it->hash);
    it->accepted = it->readable = false;
    if (key_cut) {
      it->unreadable = true;
      rep->unreadable++;
    } else {
      rep->unvouched++;
    }
  }
  return key_cut ? 0 : RV_EAUTH;
}

/* Folds the accepted records of one set, in order, or refolds the set when
 * they do not all come after what is already folded. */
static int fold_new(rv_home_t *h, rv_setctx_t *c, item_t **acc, size_t n, bool forked,
                    const rv_buf_t *arena) {
  sort_items(acc, n, cmp_order);
  if (forked)
    return rv__refold(h, c);
  if (c->state.has_last && n > 0 && memcmp(acc[0]->okey, c->state.last, RV_ORDER_LEN) <= 0)
    return rv__refold_before(h, c, acc[0]->okey);
  for (size_t i = 0; i < n; i++) {
    const item_t *it = acc[i];
    rv_body_t body;
    int r;
    if (!it->readable || rv__setctx_forked(c, &it->e.h.author, it->e.h.seq) ||
        rv_body_decode(h->dec, arena->data + it->plain_off, it->plain_len, &body) < 0) {
      rv_fold_skip(&c->state, &it->e.h);
      rv__snap_take(h, c, 0);
      continue;
    }
    r = rv_fold_apply(&c->state, &it->e.h, &body, NULL);
    if (r >= 0)
      r = rv__learn_keys(h, c, &it->e.h, &body);
    rv_body_release(&body);
    if (r < 0)
      return r;
    rv__snap_take(h, c, 0);
  }
  c->dirty = true;
  return 0;
}

/* One pass over pos[0..n), sorted by position: checks each author's run,
 * stores what it accepts and folds it, one set at a time. */
static int ingest_pass(rv_home_t *h, item_t **pos, size_t n, item_t **acc, rv_buf_t *arena,
                       rv_ingest_report_t *rep) {
  int r = 0;
  for (size_t s = 0; s < n;) {
    /* One set at a time. */
    size_t e = s;
    while (e < n && memcmp(pos[e]->e.h.set.b, pos[s]->e.h.set.b, RV_SETID_LEN) == 0)
      e++;
    rv_setctx_t *c;
    r = rv__setctx(h, &pos[s]->e.h.set, &c);
    if (r == RV_ENOTFOUND) {
      rep->foreign += e - s;
      s = e;
      r = 0;
      continue;
    }
    if (r < 0)
      return r;
    bool forked = false;
    for (size_t a = s; a < e;) {
      size_t b = a;
      while (b < e && same_author(pos[a], pos[b]))
        b++;
      if ((r = check_run(h, c, pos + a, b - a, arena, rep, &forked)) < 0)
        return r;
      a = b;
    }
    size_t nacc = 0;
    for (size_t i = s; i < e; i++) {
      item_t *it = pos[i];
      if (!it->accepted)
        continue;
      if ((r = rv__log_put(h, &it->e.h, it->e.raw, it->e.raw_len)) < 0)
        return r;
      rep->added++;
      acc[nacc++] = it;
    }
    if ((nacc || forked) && (r = fold_new(h, c, acc, nacc, forked, arena)) < 0)
      return r;
    s = e;
  }
  return 0;
}

/* A set a batch touches, with its count of records kept out of the state
 * before the batch (rv_ingest_report_t.kept_out). */
typedef struct touched {
  rv_setctx_t *c;
  uint64_t ignored;
} touched_t;

/* Notes each set of pos[0..n), sorted by position, that this home holds. */
static int note_touched(rv_home_t *h, item_t **pos, size_t n, touched_t *ret, size_t *ret_n) {
  size_t k = 0;
  for (size_t s = 0; s < n;) {
    size_t e = s;
    while (e < n && memcmp(pos[e]->e.h.set.b, pos[s]->e.h.set.b, RV_SETID_LEN) == 0)
      e++;
    rv_setctx_t *c;
    int r = rv__setctx(h, &pos[s]->e.h.set, &c);
    if (r == 0) {
      ret[k].c = c;
      ret[k++].ignored = c->state.ignored;
    } else if (r != RV_ENOTFOUND) {
      return r;
    }
    s = e;
  }
  *ret_n = k;
  return 0;
}

/* What the touched sets' states now keep out beyond what they did. */
static uint64_t kept_out(const touched_t *t, size_t n) {
  uint64_t sum = 0;
  for (size_t i = 0; i < n; i++)
    if (t[i].c->state.ignored > t[i].ignored)
      sum += t[i].c->state.ignored - t[i].ignored;
  return sum;
}

int rv_log_ingest(rv_home_t *h, const rv_raw_t *recs, size_t n_in, rv_ingest_report_t *ret) {
  size_t n = n_in;
  rv_ingest_report_t rep = {.received = n};
  uint64_t refolded = h->refolded;
  item_t *items = NULL;
  item_t **pos = NULL, **acc = NULL;
  touched_t *touched = NULL;
  rv_buf_t arena;
  size_t total = 0, plain = 0, ntouched = 0;
  int r = 0;
  if (!h->txn || !rv_txn_writable(h->txn))
    return RV_EINVAL;
  if (!h->sec)
    return RV_ELOCKED;
  if (n == 0) {
    if (ret)
      *ret = rep;
    return 0;
  }
  rv_buf_init(&arena);
  for (size_t i = 0; i < n; i++)
    total += recs[i].n;
  /* Working memory in one go, and the heap the store's dirty pages will
   * come from (the log's appended pages and the two indexes: about 1.4
   * times the records' bytes): a bulk ingest would otherwise spend much of
   * its time taking page faults one at a time. */
  if (total >= ((size_t)1 << 20))
    rv_mem_prefault_heap(total / 2 * 3);
  if (!(items = rv_mem_alloc(n * sizeof *items)) || !(pos = rv_mem_alloc(n * sizeof *pos)) ||
      !(acc = rv_mem_alloc(n * sizeof *acc)) || !(touched = malloc(n * sizeof *touched))) {
    r = RV_ENOMEM;
    goto out;
  }
  for (size_t i = 0; i < n; i++) {
    if ((r = rv_envelope_decode(h->dec, recs[i].p, recs[i].n, &items[i].e)) < 0)
      goto out;
    if (recs[i].hashed)
      items[i].hash = recs[i].hash;
    else
      rv_envelope_hash(&items[i].e, &items[i].hash);
    rv_order_key(items[i].okey, &items[i].e.h);
    pos[i] = &items[i];
    plain += items[i].e.ct_len - RV_MAC_LEN + 1;
  }
  if ((r = rv_buf_reserve(&arena, plain)) < 0)
    goto out;
  /* By position: each author's run contiguous and in sequence order. */
  sort_items(pos, n, cmp_position);
  if ((r = note_touched(h, pos, n, touched, &ntouched)) < 0)
    goto out;
  uint64_t keys = h->keys_learned;
  while ((r = ingest_pass(h, pos, n, acc, &arena, &rep)) == 0) {
    /* A removal in the batch may have taught this home a key that records
     * of the same batch are sealed under (those written after it): those
     * records, counted unreadable, get another pass. Each pass that goes
     * on has learned a key, so there are at most as many passes as keys a
     * set may hold. The subset keeps the sorted order. */
    size_t m = 0;
    uint64_t now = h->keys_learned;
    for (size_t i = 0; i < n; i++)
      if (pos[i]->unreadable)
        pos[m++] = pos[i];
    if (m == 0 || now == keys)
      break;
    keys = now;
    for (size_t i = 0; i < m; i++) {
      pos[i]->accepted = pos[i]->readable = pos[i]->skip = pos[i]->unreadable = false;
      pos[i]->plain_off = pos[i]->plain_len = 0;
    }
    rep.unreadable -= m;
    n = m;
    rv_wipe(arena.data, arena.len);
    rv_buf_clear(&arena);
  }
out:
  /* Envelopes and hashes, nothing secret: the plaintexts are in the arena,
   * which rv_buf_release() wipes. */
  rv_mem_free(items, n_in * sizeof *items, false);
  rv_mem_free(pos, n_in * sizeof *pos, false);
  rv_mem_free(acc, n_in * sizeof *acc, false);
  rv_wipe(arena.data, arena.len);
  rv_buf_release_public(&arena);
  rep.refolded = (size_t)(h->refolded - refolded);
  rep.kept_out = kept_out(touched, ntouched);
  free(touched);
  if (r == 0 && ret)
    *ret = rep;
  return r;
}

/* ---- version vectors ----------------------------------------------- */

int rv_log_vv(rv_home_t *h, const rv_set_id_t *set, rv_vv_t **ret, size_t *ret_n) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_vv_t *v = NULL;
  size_t n = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if ((r = rv_cursor_open(h->txn, RV_DB_HEADS, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
       r == 0 && kv.kn == RV_HEADKEY_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv)) {
    if (kv.vn != RV_HEADVAL_LEN) {
      r = RV_ECORRUPT;
      break;
    }
    rv_vv_t *nv = realloc(v, (n + 1) * sizeof *v);
    if (!nv) {
      r = RV_ENOMEM;
      break;
    }
    v = nv;
    memcpy(v[n].author.b, kv.k + RV_SETID_LEN, RV_ID_LEN);
    v[n].seq = rv_be64_get(kv.v);
    memcpy(v[n].head.b, kv.v + 8, RV_HASH_LEN);
    n++;
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

int rv_log_missing(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *theirs, size_t ntheirs,
                   rv_record_cb cb, void *ctx) {
  rv_vv_t *ours = NULL;
  size_t nours = 0;
  rv_cursor_t *cur = NULL;
  int r = rv_log_vv(h, set, &ours, &nours);
  if (r < 0)
    return r;
  if ((r = rv_cursor_open(h->txn, RV_DB_POS, &cur)) < 0)
    goto out;
  for (size_t i = 0; i < nours && r == 0; i++) {
    uint64_t from = 0;
    for (size_t j = 0; j < ntheirs; j++)
      if (memcmp(theirs[j].author.b, ours[i].author.b, RV_ID_LEN) == 0)
        from = theirs[j].seq;
    if (from >= ours[i].seq)
      continue;
    uint8_t k[RV_POSKEY_LEN];
    rv_kv_t kv;
    rv__pos_key(k, set, &ours[i].author, from + 1);
    for (r = rv_cursor_seek(cur, k, sizeof k, &kv);
         r == 0 && kv.kn == RV_POSKEY_LEN && memcmp(kv.k, k, RV_HEADKEY_LEN) == 0;
         r = rv_cursor_next(cur, &kv)) {
      const uint8_t *raw;
      size_t rn;
      if ((r = rv__log_get(h, kv.v, kv.vn, &raw, &rn)) < 0 || (r = cb(ctx, raw, rn)) != 0)
        goto out;
    }
    if (r == RV_ENOTFOUND)
      r = 0;
  }
out:
  rv_cursor_close(&cur);
  free(ours);
  return r;
}

/* ---- verification -------------------------------------------------- */

typedef struct verifier {
  rv_home_t *h;
  rv_fault_cb cb;
  void *ctx;
  rv_verify_report_t rep;
  /* The seqs (uint64_t each) of the records of the run being walked whose
   * own signature failed and that no later signature has vouched for yet
   * (format.md, "Which records are authentic"). */
  rv_buf_t unvouched;
} verifier_t;

static void fault(verifier_t *v, const rv_set_id_t *set, const rv_member_id_t *a, uint64_t seq,
                  int code, const char *what) {
  rv_fault_t f = {.seq = seq, .code = code, .what = what};
  if (set)
    f.set = *set;
  if (a)
    f.author = *a;
  v->rep.faults++;
  if (v->cb)
    v->cb(v->ctx, &f);
}

/* The chain is cut, or the run ends, above records whose own signature
 * failed: nothing vouches for them, and each is a fault. */
static void unvouched_fault(verifier_t *v, const rv_set_id_t *set, const rv_member_id_t *a) {
  for (size_t i = 0; i + sizeof(uint64_t) <= v->unvouched.len; i += sizeof(uint64_t)) {
    uint64_t seq;
    memcpy(&seq, v->unvouched.data + i, sizeof seq);
    fault(v, set, a, seq, RV_EAUTH, "the signature does not verify");
  }
  rv_buf_clear(&v->unvouched);
}

/* Walks the whole log: every chain from its first record, every signature,
 * every body under its epoch's key where the key is held. A record whose
 * own signature fails is a fault unless a later record of its author's
 * chain, linked to it unbroken, carries one that verifies. */
static int verify_log(verifier_t *v) {
  rv_home_t *h = v->h;
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_buf_t plain;
  rv_envelope_t e;
  rv_set_id_t set = {{0}};
  rv_member_id_t author = {{0}};
  rv_hash_t prev = {{0}};
  uint64_t expect = 0;
  bool have = false, prev_known = true; /* false after a record that cannot be decoded */
  rv_set_id_t bad_set = {{0}};
  bool bad_set_known = false;
  int r;
  rv_buf_init(&plain);
  if ((r = rv_cursor_open(h->txn, RV_DB_POS, &cur)) < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    const uint8_t *raw;
    size_t rn;
    v->rep.records++;
    if (kv.kn != RV_POSKEY_LEN) {
      fault(v, NULL, NULL, 0, RV_ECORRUPT, "a position key of the wrong size");
      continue;
    }
    rv_set_id_t kset;
    rv_member_id_t kauthor;
    memcpy(kset.b, kv.k, RV_SETID_LEN);
    memcpy(kauthor.b, kv.k + RV_SETID_LEN, RV_ID_LEN);
    uint64_t kseq = rv_be64_get(kv.k + RV_SETID_LEN + RV_ID_LEN);
    if (!have || memcmp(kset.b, set.b, RV_SETID_LEN) || memcmp(kauthor.b, author.b, RV_ID_LEN)) {
      unvouched_fault(v, &set, &author);
      set = kset;
      author = kauthor;
      expect = 1;
      memset(&prev, 0, sizeof prev);
      have = true;
      prev_known = true;
    }
    if (rv__log_get(h, kv.v, kv.vn, &raw, &rn) < 0) {
      unvouched_fault(v, &set, &author);
      fault(v, &kset, &kauthor, kseq, RV_ECORRUPT, "the record is missing from the log");
      prev_known = false;
      expect = kseq + 1;
      continue;
    }
    if (rv_envelope_decode(h->dec, raw, rn, &e) < 0) {
      unvouched_fault(v, &set, &author);
      fault(v, &kset, &kauthor, kseq, RV_EFORMAT, "the record cannot be decoded");
      prev_known = false;
      expect = kseq + 1;
      continue;
    }
    bool placed = !memcmp(e.h.set.b, kset.b, RV_SETID_LEN) &&
                  !memcmp(e.h.author.b, kauthor.b, RV_ID_LEN) && e.h.seq == kseq;
    bool linked = kseq == expect && (!prev_known || !memcmp(e.h.prev.b, prev.b, RV_HASH_LEN));
    if (!placed || !linked)
      unvouched_fault(v, &set, &author);
    if (!placed)
      fault(v, &kset, &kauthor, kseq, RV_ECORRUPT, "the record is stored at the wrong position");
    if (!linked)
      fault(v, &kset, &kauthor, kseq, RV_ECHAIN, "the record does not link to the one before");
    if (rv_envelope_verify(&e) == 0) {
      v->rep.vouched += v->unvouched.len / sizeof(uint64_t);
      rv_buf_clear(&v->unvouched);
    } else if (rv_buf_append(&v->unvouched, &kseq, sizeof kseq) < 0) {
      r = RV_ENOMEM;
      break;
    }
    expect = kseq + 1;
    rv_envelope_hash(&e, &prev);
    prev_known = true;
    uint8_t ok[RV_ORDER_LEN];
    const uint8_t *ov;
    size_t on;
    rv_order_key(ok, &e.h);
    if (rv_get(h->txn, RV_DB_ORDER, ok, sizeof ok, &ov, &on) < 0 || on != kv.vn ||
        memcmp(ov, kv.v, on) != 0)
      fault(v, &kset, &kauthor, kseq, RV_ECORRUPT, "the record is missing from the order index");
    rv_setctx_t *c;
    int cr = rv__setctx(h, &kset, &c);
    if (cr < 0 && (!bad_set_known || memcmp(bad_set.b, kset.b, RV_SETID_LEN) != 0)) {
      /* Once per set: its keys or its state cannot be opened. */
      fault(v, &kset, NULL, 0, cr, cr == RV_ENOTFOUND ? "no key is held for this set's records"
                                                      : "the set's keys or state cannot be opened");
      bad_set = kset;
      bad_set_known = true;
    }
    if (cr == 0) {
      rv_body_t body;
      int br = rv__open_body(h, c, &e, &plain, &body);
      if (br == 0)
        rv_body_release(&body);
      else if (br == RV_EKEY)
        fault(v, &kset, &kauthor, kseq, RV_EKEY, "no key is held for the record's epoch");
      else
        fault(v, &kset, &kauthor, kseq, br, "the body does not open under the set's key");
    }
    /* The head must name the last record of each run. */
    uint64_t hseq;
    rv_hash_t hhash;
    rv_kv_t nx;
    bool last_of_run = true;
    if (rv_cursor_next(cur, &nx) == 0) {
      last_of_run = nx.kn < RV_HEADKEY_LEN || memcmp(nx.k, kv.k, RV_HEADKEY_LEN) != 0;
      rv_cursor_prev(cur, &nx);
    }
    if (last_of_run && (rv__head_get(h, &kset, &kauthor, &hseq, &hhash, NULL) < 0 || hseq != kseq ||
                        memcmp(hhash.b, prev.b, RV_HASH_LEN) != 0))
      fault(v, &kset, &kauthor, kseq, RV_ECHAIN, "the author's head does not match the log");
  }
  unvouched_fault(v, &set, &author);
  rv_buf_release(&v->unvouched);
  rv_cursor_close(&cur);
  rv_buf_release(&plain);
  return r == RV_ENOTFOUND ? 0 : r;
}

static int count_forks(verifier_t *v) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(v->h->txn, RV_DB_FORKS, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    rv_set_id_t s;
    rv_member_id_t a;
    if (kv.kn != RV_POSKEY_LEN)
      continue;
    memcpy(s.b, kv.k, RV_SETID_LEN);
    memcpy(a.b, kv.k + RV_SETID_LEN, RV_ID_LEN);
    v->rep.forks++;
    fault(v, &s, &a, rv_be64_get(kv.k + RV_SETID_LEN + RV_ID_LEN), RV_EFORK,
          "the author signed two different records at this position");
  }
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_log_verify(rv_home_t *h, rv_fault_cb cb, void *ctx, rv_verify_report_t *ret) {
  verifier_t v = {.h = h, .cb = cb, .ctx = ctx};
  rv_buf_init(&v.unvouched);
  rv_set_id_t *sets = NULL;
  size_t nsets = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  if ((r = verify_log(&v)) < 0 || (r = count_forks(&v)) < 0)
    return r;
  if ((r = rv__setctx_list(h, &sets, &nsets)) < 0)
    return r;
  v.rep.sets = nsets;
  free(sets);
  *ret = v.rep;
  return 0;
}

/* ---- reading ------------------------------------------------------- */

int rv_log_each(rv_home_t *h, const rv_set_id_t *set, bool reverse, size_t limit, rv_each_cb cb,
                void *ctx) {
  rv_setctx_t *c;
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  rv_buf_t plain;
  rv_envelope_t e;
  size_t seen = 0;
  int r;
  if ((r = rv__setctx(h, set, &c)) < 0)
    return r;
  if ((r = rv_cursor_open(h->txn, RV_DB_ORDER, &cur)) < 0)
    return r;
  rv_buf_init(&plain);
  r = reverse ? rv_cursor_last_with(cur, set->b, RV_SETID_LEN, &kv)
              : rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
  for (; r == 0 && kv.kn == RV_ORDER_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = reverse ? rv_cursor_prev(cur, &kv) : rv_cursor_next(cur, &kv)) {
    const uint8_t *raw;
    size_t rn;
    rv_body_t body;
    if (limit && seen++ >= limit)
      break;
    if (rv__log_get(h, kv.v, kv.vn, &raw, &rn) < 0 ||
        rv_envelope_decode(h->dec, raw, rn, &e) < 0) {
      r = RV_ECORRUPT;
      break;
    }
    bool readable = rv__open_body(h, c, &e, &plain, &body) == 0;
    r = cb(ctx, &e.h, readable ? &body : NULL);
    if (readable)
      rv_body_release(&body);
    if (r != 0)
      break;
  }
  rv_cursor_close(&cur);
  rv_buf_release(&plain);
  return r == RV_ENOTFOUND ? 0 : r;
}

int rv_log_fork_split(const uint8_t *raw, size_t n, rv_record_cb cb, void *ctx) {
  while (n) {
    size_t len;
    if (rv_dec_scan_prefix(raw, n, &len) < 0)
      return RV_ECORRUPT;
    int r = cb(ctx, raw, len);
    if (r)
      return r;
    raw += len;
    n -= len;
  }
  return 0;
}

int rv_log_forks(rv_home_t *h, const rv_set_id_t *set, rv_record_cb cb, void *ctx) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(h->txn, RV_DB_FORKS, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, set->b, RV_SETID_LEN, &kv);
       r == 0 && kv.kn == RV_POSKEY_LEN && memcmp(kv.k, set->b, RV_SETID_LEN) == 0;
       r = rv_cursor_next(cur, &kv))
    if ((r = cb(ctx, kv.v, kv.vn)) != 0)
      break;
  rv_cursor_close(&cur);
  return r == RV_ENOTFOUND ? 0 : r;
}
