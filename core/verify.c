/*
 * Full verification of the log (rv_log_verify): every chain walked from
 * its first record by the position index, each signature (a record whose
 * own signature fails is a fault unless a later record of its author's
 * chain, linked to it unbroken, carries one that verifies: format.md,
 * "Which records are authentic"), each link, each head, the order index,
 * each body under its epoch's key where the key is held, and the forks
 * recorded. Reports faults; changes nothing.
 */
#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

typedef struct verifier {
  rv_home_t *h;
  rv_fault_cb cb;
  void *ctx;
  rv_verify_report_t rep;
  /* The seqs (uint64_t each) of the records of the run being walked whose
   * own signature failed and that no later signature has vouched for yet. */
  rv_buf_t unvouched;
  rv_buf_t plain; /* scratch for opening bodies */
  /* The run being walked: one author's chain in one set. */
  bool have;
  rv_set_id_t set;
  rv_member_id_t author;
  uint64_t expect; /* the seq the next record must have */
  rv_hash_t prev;  /* the hash it must link to */
  bool prev_known; /* false after a record that cannot be decoded */
  /* The last set whose keys or state could not be opened: said once. */
  bool bad_set_known;
  rv_set_id_t bad_set;
} verifier_t;

/* A position of the index: what the key says the record is. */
typedef struct place {
  rv_set_id_t set;
  rv_member_id_t author;
  uint64_t seq;
} place_t;

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

static void fault_at(verifier_t *v, const place_t *at, int code, const char *what) {
  fault(v, &at->set, &at->author, at->seq, code, what);
}

/* The chain is cut, or the run ends, above records whose own signature
 * failed: nothing vouches for them, and each is a fault. */
static void unvouched_fault(verifier_t *v) {
  for (size_t i = 0; i + sizeof(uint64_t) <= v->unvouched.len; i += sizeof(uint64_t)) {
    uint64_t seq;
    memcpy(&seq, v->unvouched.data + i, sizeof seq);
    fault(v, &v->set, &v->author, seq, RV_EAUTH, "the signature does not verify");
  }
  rv_buf_clear(&v->unvouched);
}

/* A position of another author or set than the last starts a new run. */
static void run_start(verifier_t *v, const place_t *at) {
  if (v->have && memcmp(at->set.b, v->set.b, RV_SETID_LEN) == 0 &&
      memcmp(at->author.b, v->author.b, RV_ID_LEN) == 0)
    return;
  unvouched_fault(v);
  v->set = at->set;
  v->author = at->author;
  v->expect = 1;
  memset(&v->prev, 0, sizeof v->prev);
  v->have = true;
  v->prev_known = true;
}

/* The record is where its header says, links to the one before, and is
 * signed or vouched for; it becomes the one the next must link to. */
static int check_chain(verifier_t *v, const place_t *at, const rv_envelope_t *e) {
  bool placed = memcmp(e->hd.set.b, at->set.b, RV_SETID_LEN) == 0 &&
                memcmp(e->hd.author.b, at->author.b, RV_ID_LEN) == 0 && e->hd.seq == at->seq;
  bool linked =
      at->seq == v->expect && (!v->prev_known || memcmp(e->hd.prev.b, v->prev.b, RV_HASH_LEN) == 0);
  if (!placed || !linked)
    unvouched_fault(v);
  if (!placed)
    fault_at(v, at, RV_ECORRUPT, "the record is stored at the wrong position");
  if (!linked)
    fault_at(v, at, RV_ECHAIN, "the record does not link to the one before");
  if (rv_envelope_verify(e) == 0) {
    v->rep.vouched += v->unvouched.len / sizeof(uint64_t);
    rv_buf_clear(&v->unvouched);
  } else if (rv_buf_append(&v->unvouched, &at->seq, sizeof at->seq) < 0) {
    return RV_ENOMEM;
  }
  v->expect = at->seq + 1;
  rv_envelope_hash(e, &v->prev);
  v->prev_known = true;
  return 0;
}

/* The order index leads to the same record number (kv's value). */
static void check_order(verifier_t *v, const place_t *at, const rv_envelope_t *e,
                        const rv_kv_t *kv) {
  uint8_t ok[RV_ORDER_LEN];
  const uint8_t *ov;
  size_t on;
  rv_order_key(ok, &e->hd);
  if (rv_get(v->h->txn, RV_DB_ORDER, ok, sizeof ok, &ov, &on) < 0 || on != kv->vn ||
      memcmp(ov, kv->v, on) != 0)
    fault_at(v, at, RV_ECORRUPT, "the record is missing from the order index");
}

/* The body opens under the set's key for its epoch, where it is held. */
static void check_body(verifier_t *v, const place_t *at, const rv_envelope_t *e) {
  rv_setctx_t *c;
  int cr = rv__setctx(v->h, &at->set, &c);
  if (cr < 0 && (!v->bad_set_known || memcmp(v->bad_set.b, at->set.b, RV_SETID_LEN) != 0)) {
    /* Once per set: its keys or its state cannot be opened. */
    fault(v, &at->set, NULL, 0, cr,
          cr == RV_ENOTFOUND ? "no key is held for this set's records"
                             : "the set's keys or state cannot be opened");
    v->bad_set = at->set;
    v->bad_set_known = true;
  }
  if (cr < 0)
    return;
  rv_body_t body;
  int br = rv__open_body(v->h, c, e, &v->plain, &body);
  if (br == 0)
    rv_body_release(&body);
  else if (br == RV_EKEY)
    fault_at(v, at, RV_EKEY, "no key is held for the record's epoch");
  else
    fault_at(v, at, br, "the body does not open under the set's key");
}

/* The head must name the last record of each run (kv, at cur). */
static void check_head(verifier_t *v, rv_cursor_t *cur, const rv_kv_t *kv, const place_t *at) {
  uint64_t hseq;
  rv_hash_t hhash;
  rv_kv_t nx;
  bool last_of_run = true;
  if (rv_cursor_next(cur, &nx) == 0) {
    last_of_run = nx.kn < RV_HEADKEY_LEN || memcmp(nx.k, kv->k, RV_HEADKEY_LEN) != 0;
    rv_cursor_prev(cur, &nx);
  }
  if (last_of_run && (rv__head_get(v->h, &at->set, &at->author, &hseq, &hhash, NULL) < 0 ||
                      hseq != at->seq || memcmp(hhash.b, v->prev.b, RV_HASH_LEN) != 0))
    fault_at(v, at, RV_ECHAIN, "the author's head does not match the log");
}

/* One entry of the position index (kv, at cur). */
static int verify_record(verifier_t *v, rv_cursor_t *cur, const rv_kv_t *kv) {
  place_t at;
  const uint8_t *raw;
  size_t rn;
  rv_envelope_t e;
  int code = 0;
  const char *what = NULL;
  memcpy(at.set.b, kv->k, RV_SETID_LEN);
  memcpy(at.author.b, kv->k + RV_SETID_LEN, RV_ID_LEN);
  at.seq = rv_be64_get(kv->k + RV_SETID_LEN + RV_ID_LEN);
  run_start(v, &at);
  if (rv__log_get(v->h, kv->v, kv->vn, &raw, &rn) < 0) {
    code = RV_ECORRUPT;
    what = "the record is missing from the log";
  } else if (rv_envelope_decode(v->h->dec, raw, rn, &e) < 0) {
    code = RV_EFORMAT;
    what = "the record cannot be decoded";
  }
  if (what) {
    unvouched_fault(v);
    fault_at(v, &at, code, what);
    v->prev_known = false;
    v->expect = at.seq + 1;
    return 0;
  }
  int r = check_chain(v, &at, &e);
  if (r < 0)
    return r;
  check_order(v, &at, &e, kv);
  check_body(v, &at, &e);
  check_head(v, cur, kv, &at);
  return 0;
}

/* Walks the whole log by the position index: every chain from its first
 * record. */
static int verify_log(verifier_t *v) {
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  int r = rv_cursor_open(v->h->txn, RV_DB_POS, &cur);
  if (r < 0)
    return r;
  for (r = rv_cursor_seek(cur, NULL, 0, &kv); r == 0; r = rv_cursor_next(cur, &kv)) {
    v->rep.records++;
    if (kv.kn != RV_POSKEY_LEN) {
      fault(v, NULL, NULL, 0, RV_ECORRUPT, "a position key of the wrong size");
      continue;
    }
    if ((r = verify_record(v, cur, &kv)) < 0)
      break;
  }
  unvouched_fault(v);
  rv_cursor_close(&cur);
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
  rv_set_id_t *sets = NULL;
  size_t nsets = 0;
  int r;
  if (!h->txn)
    return RV_EINVAL;
  rv_buf_init(&v.unvouched);
  rv_buf_init(&v.plain);
  if ((r = verify_log(&v)) == 0 && (r = count_forks(&v)) == 0 &&
      (r = rv__setctx_list(h, &sets, &nsets)) == 0) {
    v.rep.sets = nsets;
    free(sets);
    *ret = v.rep;
  }
  rv_buf_release_public(&v.unvouched);
  rv_buf_release(&v.plain);
  return r;
}
