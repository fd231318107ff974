/*
 * Ingest (rv_log_ingest): other members' records, in batches of any sets
 * in any order, into the same transaction that append uses: stored (log,
 * indexes, author's head) and folded into each set's state. A run of one
 * author's records is authenticated by its hash links down to the held
 * head plus the signature of the run's last record, which commits to all
 * the others; a record that contests a held position must prove itself
 * alone, and becomes a fork's evidence. The batch is refused whole, or
 * stored whole less what it says it left out.
 */
#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct item {
  rv_envelope_t e;
  rv_hash_t hash;
  uint8_t okey[RV_ORDER_LEN];
  size_t plain_off; /* the opened body, in the batch's plaintext arena */
  size_t plain_len;
  bool accepted;
  bool readable;
  bool skip;       /* claims a contested position it cannot prove here */
  bool unreadable; /* counted unreadable: tried again once a key is learned */
  /* A contested record whose own signature fails, proved by the author's
   * next records in the batch (vouched_in_batch): up is the next link,
   * and the chain ends at the one whose own signature verified (signed). */
  struct item *up;
  bool signed_ok, signed_bad; /* its own signature checked, and found so */
} item_t;

static int cmp_position(const void *a, const void *b) {
  const item_t *x = *(const item_t *const *)a, *y = *(const item_t *const *)b;
  int c = memcmp(x->e.hd.set.b, y->e.hd.set.b, RV_SETID_LEN);
  if (c == 0)
    c = memcmp(x->e.hd.author.b, y->e.hd.author.b, RV_ID_LEN);
  if (c == 0)
    c = x->e.hd.seq < y->e.hd.seq ? -1 : x->e.hd.seq > y->e.hd.seq;
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

/* The end of the records of pos[s]'s set in pos[s..n), sorted by position. */
static size_t set_end(item_t **pos, size_t s, size_t n) {
  size_t e = s;
  while (e < n && memcmp(pos[e]->e.hd.set.b, pos[s]->e.hd.set.b, RV_SETID_LEN) == 0)
    e++;
  return e;
}

static bool same_author(const item_t *a, const item_t *b) {
  return memcmp(a->e.hd.set.b, b->e.hd.set.b, RV_SETID_LEN) == 0 &&
         memcmp(a->e.hd.author.b, b->e.hd.author.b, RV_ID_LEN) == 0;
}

/* Records a fork: a record, authenticated on its own, that conflicts with
 * one held or accepted. */
static int note_fork(rv_home_t *h, rv_setctx_t *c, const item_t *it) {
  uint8_t k[RV_POSKEY_LEN];
  const uint8_t *v;
  size_t vn;
  int r;
  rv__pos_key(k, &c->id, &it->e.hd.author, it->e.hd.seq);
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
  r = rv__setctx_fork_add(c, &it->e.hd.author, it->e.hd.seq);
  return r < 0 ? r : 1;
}

/* A record that claims a position another record holds, here or in the
 * same batch, cannot lean on the chain: it is believed only on its own, by
 * its author's signature and by a body that opens under the set's key for
 * its epoch (which only the set's members hold). 0 when it proves itself,
 * RV_EKEY when that key is not held here (it proves nothing yet),
 * RV_EAUTH when it is forged. */
static int body_opens(rv_setctx_t *c, const item_t *it, rv_buf_t *scratch) {
  const uint8_t *key = rv__setctx_key(c, it->e.hd.epoch);
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
  for (size_t j = from; j < n && items[j]->e.hd.seq <= below->e.hd.seq + 1; j++) {
    item_t *up = items[j];
    if (up->e.hd.seq != below->e.hd.seq + 1 ||
        memcmp(up->e.hd.prev.b, below->hash.b, RV_HASH_LEN) != 0)
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
static int check_contested(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n, uint64_t hseq,
                           rv_ingest_report_t *rep) {
  rv_buf_t scratch;
  int r = 0;
  rv_buf_init(&scratch);
  for (size_t a = 0; a < n && r == 0;) {
    size_t b = a + 1;
    while (b < n && items[b]->e.hd.seq == items[a]->e.hd.seq)
      b++;
    const uint8_t *held = NULL;
    size_t held_n = 0;
    if (items[a]->e.hd.seq <= hseq && (r = rv__log_at(h, &c->id, &items[a]->e.hd.author,
                                                      items[a]->e.hd.seq, &held, &held_n)) < 0) {
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

/* A position already filled, here or by this batch (last, the record this
 * run accepted at it): it is the same record again, or a fork. */
static int refill(rv_home_t *h, rv_setctx_t *c, const item_t *last, const item_t *it,
                  rv_ingest_report_t *rep, bool *ret_forked) {
  const rv_header_t *hd = &it->e.hd;
  bool same;
  int r;
  if (last) {
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
    return 0;
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
  return 0;
}

/* Walks one author's run items[0..n) up from the held head: marks
 * accepted each record that links on, notes forks and duplicates. */
static int link_run(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n, rv_ingest_report_t *rep,
                    bool *ret_forked) {
  uint64_t hseq, hlamport;
  rv_hash_t hhash;
  item_t *last = NULL;
  int r = rv__head_get(h, &c->id, &items[0]->e.hd.author, &hseq, &hhash, &hlamport);
  if (r < 0 || (r = check_contested(h, c, items, n, hseq, rep)) < 0)
    return r;
  for (size_t i = 0; i < n; i++) {
    item_t *it = items[i];
    const rv_header_t *hd = &it->e.hd;
    if (it->skip)
      continue;
    bool filled = last && last->e.hd.seq == hd->seq;
    if (filled || hd->seq <= hseq) {
      if ((r = refill(h, c, filled ? last : NULL, it, rep, ret_forked)) < 0)
        return r;
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
    if (!rv__setctx_forked(c, &hd->author, hd->seq))
      return RV_ECHAIN;
    rep->forks++;
  }
  return 0;
}

/* Every accepted record must open under the set's key: one that does not
 * was not written by a key holder, and the batch is refused. A record of
 * an epoch whose key is not held here ends the run, since what follows it
 * links to it; the rest can come again once the key is held (*ret_cut).
 * The plaintexts wait in the arena for the fold, which decodes them (a
 * body that opens but is malformed is stored, and ignored by the fold). */
static int open_run(rv_setctx_t *c, item_t **items, size_t n, rv_buf_t *arena,
                    rv_ingest_report_t *rep, bool *ret_cut) {
  for (size_t i = 0; i < n; i++) {
    item_t *it = items[i];
    if (!it->accepted)
      continue;
    const uint8_t *key = rv__setctx_key(c, it->e.hd.epoch);
    it->plain_off = arena->len;
    int r = key ? rv_envelope_open(&it->e, key, arena) : RV_EKEY;
    if (r == RV_EKEY) {
      *ret_cut = true;
      for (size_t j = i; j < n; j++)
        if (items[j]->accepted) {
          items[j]->accepted = false;
          items[j]->unreadable = true;
          rep->unreadable++;
        }
      return 0;
    }
    if (r < 0)
      return r;
    it->plain_len = arena->len - it->plain_off;
    it->readable = true;
  }
  return 0;
}

/* The last record's signature covers its prev hash, which covers the
 * record before it, and so on down to the head already held. When it
 * fails, the run is cut back to the newest record whose own signature
 * verifies: what lies above it is vouched for by nothing in the batch (an
 * author's records that a later signature, not sent yet, would vouch for,
 * or a forgery) and is left out, counted unvouched. When the run was cut
 * by a key not held (key_cut), they are counted unreadable instead, and
 * tried again with the rest if the batch teaches the key. When none
 * verifies, the batch is refused (or, after a key cut, the run waits).
 * The newest record kept becomes the author's head. */
static int sign_run(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n, bool key_cut,
                    rv_ingest_report_t *rep) {
  bool any = false;
  for (size_t i = 0; i < n && !any; i++)
    any = items[i]->accepted && items[i]->readable;
  if (!any)
    return 0;
  for (size_t i = n; i-- > 0;) {
    item_t *it = items[i];
    if (!it->accepted || !it->readable)
      continue;
    if (rv_envelope_verify(&it->e) == 0)
      return rv__head_put(h, &c->id, &it->e.hd, &it->hash);
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

/* Checks one author's run items[0..n) against the held head; marks the
 * records to store. */
static int check_run(rv_home_t *h, rv_setctx_t *c, item_t **items, size_t n, rv_buf_t *arena,
                     rv_ingest_report_t *rep, bool *ret_forked) {
  bool key_cut = false;
  int r = link_run(h, c, items, n, rep, ret_forked);
  if (r < 0 || (r = open_run(c, items, n, arena, rep, &key_cut)) < 0)
    return r;
  return sign_run(h, c, items, n, key_cut, rep);
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
    if (!it->readable || rv__setctx_forked(c, &it->e.hd.author, it->e.hd.seq) ||
        rv_body_decode(h->dec, arena->data + it->plain_off, it->plain_len, &body) < 0) {
      rv_fold_skip(&c->state, &it->e.hd);
      rv__snap_take(h, c, 0);
      continue;
    }
    r = rv_fold_apply(&c->state, &it->e.hd, &body, NULL);
    if (r >= 0)
      r = rv__learn_keys(h, c, &it->e.hd, &body);
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
    size_t e = set_end(pos, s, n); /* one set at a time */
    rv_setctx_t *c;
    r = rv__setctx(h, &pos[s]->e.hd.set, &c);
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
      if ((r = rv__log_put(h, &it->e.hd, it->e.raw, it->e.raw_len)) < 0)
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
    size_t e = set_end(pos, s, n);
    rv_setctx_t *c;
    int r = rv__setctx(h, &pos[s]->e.hd.set, &c);
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

/* Decodes recs into items, each with its hash and order key, pos[i]
 * pointing to items[i]; *ret_plain is the most their plaintexts take. */
static int decode_batch(rv_home_t *h, const rv_raw_t *recs, size_t n, item_t *items, item_t **pos,
                        size_t *ret_plain) {
  size_t plain = 0;
  for (size_t i = 0; i < n; i++) {
    int r = rv_envelope_decode(h->dec, recs[i].p, recs[i].n, &items[i].e);
    if (r < 0)
      return r;
    if (recs[i].hashed)
      items[i].hash = recs[i].hash;
    else
      rv_envelope_hash(&items[i].e, &items[i].hash);
    rv_order_key(items[i].okey, &items[i].e.hd);
    pos[i] = &items[i];
    plain += items[i].e.ct_len - RV_MAC_LEN + 1;
  }
  *ret_plain = plain;
  return 0;
}

/* Ingest passes over pos[0..n), sorted by position. A removal in the
 * batch may have taught this home a key that records of the same batch
 * are sealed under (those written after it): those records, counted
 * unreadable, get another pass. Each pass that goes on has learned a key,
 * so there are at most as many passes as keys a set may hold. The subset
 * keeps the sorted order. */
static int ingest_passes(rv_home_t *h, item_t **pos, size_t n, item_t **acc, rv_buf_t *arena,
                         rv_ingest_report_t *rep) {
  uint64_t keys = h->keys_learned;
  int r;
  while ((r = ingest_pass(h, pos, n, acc, arena, rep)) == 0) {
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
    rep->unreadable -= m;
    n = m;
    rv_wipe(arena->data, arena->len);
    rv_buf_clear(arena);
  }
  return r;
}

int rv_log_ingest(rv_home_t *h, const rv_raw_t *recs, size_t n, rv_ingest_report_t *ret) {
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
  if ((r = decode_batch(h, recs, n, items, pos, &plain)) < 0 ||
      (r = rv_buf_reserve(&arena, plain)) < 0)
    goto out;
  /* By position: each author's run contiguous and in sequence order. */
  sort_items(pos, n, cmp_position);
  if ((r = note_touched(h, pos, n, touched, &ntouched)) < 0)
    goto out;
  r = ingest_passes(h, pos, n, acc, &arena, &rep);
out:
  /* Envelopes and hashes, nothing secret: the plaintexts are in the arena,
   * which is wiped. */
  rv_mem_free(items, n * sizeof *items, false);
  rv_mem_free(pos, n * sizeof *pos, false);
  rv_mem_free(acc, n * sizeof *acc, false);
  rv_wipe(arena.data, arena.len);
  rv_buf_release_public(&arena);
  rep.refolded = (size_t)(h->refolded - refolded);
  rep.kept_out = kept_out(touched, ntouched);
  free(touched);
  if (r == 0 && ret)
    *ret = rep;
  return r;
}
