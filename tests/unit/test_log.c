/*
 * Tests of the log (log.h): appending only what the fold allows; ingesting
 * all or nothing, with broken chains and bad signatures refused; version
 * vectors and the exact records another node lacks; the same records in any
 * arrival order giving the same state; a fork (two records signed at one
 * position) recorded, reported and kept out of state; and full verification
 * finding a record altered inside the store.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/error.h"
#include "revans/log.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int collect(void *ctx, const uint8_t *raw, size_t n) {
  tu_recs_add(ctx, raw, n);
  return 0;
}

static void vv_of(rv_home_t *h, const rv_set_id_t *set, rv_vv_t **ret, size_t *ret_n) {
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_vv(h, set, ret, ret_n));
  rv_home_abort(h);
}

static uint64_t vv_seq(const rv_vv_t *v, size_t n, const rv_member_id_t *who) {
  for (size_t i = 0; i < n; i++)
    if (memcmp(v[i].author.b, who->b, RV_ID_LEN) == 0)
      return v[i].seq;
  return 0;
}

/* What h wrote (or holds) since the version vector `since`. */
static void news_since(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *since, size_t n,
                       tu_recs_t *out) {
  tu_recs_missing(h, set, since, n, out);
}

static void expect_hash(rv_home_t *h, const rv_set_id_t *set, const rv_hash_t *want) {
  rv_hash_t got;
  tu_state_hash(h, set, &got);
  assert_memory_equal(got.b, want->b, RV_HASH_LEN);
}

/* The set's count of records kept out of the state (fold.h). */
static uint64_t ignored_of(rv_home_t *h, const rv_set_id_t *set) {
  const rv_state_t *s;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &s));
  uint64_t n = s->ignored;
  rv_home_abort(h);
  return n;
}

/* Ingests recs into h and checks that the report's kept_out is what the
 * state's count of ignored records grew by. */
static void ingest_counted(rv_home_t *h, const rv_set_id_t *set, const rv_raw_t *recs, size_t n,
                           rv_ingest_report_t *rep) {
  uint64_t before = ignored_of(h, set);
  tu_check(0, tu_ingest(h, recs, n, rep));
  assert_int_equal(rep->kept_out, ignored_of(h, set) - before);
}

static const char *topic_of(rv_home_t *h, const rv_set_id_t *set, char *buf, size_t n) {
  const rv_state_t *s;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &s));
  snprintf(buf, n, "%s", s->topic ? s->topic : "(none)");
  rv_home_abort(h);
  return buf;
}

/* Every home gives its bundle to every other, until all hold the same. */
static void exchange(rv_home_t **homes, size_t n) {
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < n; i++) {
      rv_buf_t b;
      rv_buf_init(&b);
      tu_bundle(homes[i], &b);
      for (size_t j = 0; j < n; j++)
        if (j != i)
          tu_check(0, tu_apply(homes[j], b.data, b.len, NULL));
      rv_buf_release(&b);
    }
}

typedef struct faults {
  rv_fault_t f[64];
  size_t n;
} faults_t;

static void on_fault(void *ctx, const rv_fault_t *f) {
  faults_t *fs = ctx;
  assert_non_null(f->what);
  assert_true(f->code < 0);
  if (fs->n < 64)
    fs->f[fs->n] = *f;
  fs->n++;
}

static size_t verify(rv_home_t *h, faults_t *fs, rv_verify_report_t *rep) {
  memset(fs, 0, sizeof *fs);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_verify(h, on_fault, fs, rep));
  rv_home_abort(h);
  assert_int_equal(rep->faults, fs->n);
  return fs->n;
}

/* ---- append -------------------------------------------------------- */

static void test_append_only_what_the_fold_allows(void **state) {
  tu_pair_t *p = *state;
  const char *why = NULL;
  size_t before = tu_record_count(p->b);
  rv_body_t b = {.type = RV_BODY_MEMBER_ADD};
  b.member = *rv_home_self(p->a);
  b.role = RV_ROLE_MEMBER;
  tu_check(0, rv_home_begin(p->b, true));
  tu_check(RV_EPERM, rv_log_append(p->b, &p->set, &b, &why));
  assert_non_null(why);
  rv_home_abort(p->b);
  rv_body_t t = {.type = RV_BODY_SET_TOPIC};
  t.text = "not yours to set";
  tu_check(0, rv_home_begin(p->b, true));
  tu_check(RV_EPERM, rv_log_append(p->b, &p->set, &t, &why));
  rv_home_abort(p->b);
  assert_int_equal(tu_record_count(p->b), before);

  /* A body out of bounds is refused before anything is sealed. */
  rv_body_t j = {.type = RV_BODY_MEMBER_JOIN};
  j.name = "";
  tu_check(0, rv_home_begin(p->b, true));
  tu_check(RV_EINVAL, rv_log_append(p->b, &p->set, &j, NULL));
  /* And nothing is written in a read transaction. */
  rv_home_abort(p->b);
  tu_check(0, rv_home_begin(p->b, false));
  j.name = "Bee";
  tu_check(RV_EINVAL, rv_log_append(p->b, &p->set, &j, NULL));
  rv_home_abort(p->b);
  assert_int_equal(tu_record_count(p->b), before);
}

typedef struct seen {
  uint64_t seq[16];
  rv_member_id_t author[16];
  enum rv_body_type type[16];
  size_t n;
} seen_t;

static int each_cb(void *ctx, const rv_header_t *hd, const rv_body_t *b) {
  seen_t *s = ctx;
  assert_true(s->n < 16);
  assert_non_null(b);
  s->seq[s->n] = hd->seq;
  s->author[s->n] = hd->author;
  s->type[s->n++] = b->type;
  return 0;
}

static void test_log_each_order(void **state) {
  tu_pair_t *p = *state;
  seen_t fwd = {0}, rev = {0}, lim = {0};
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_log_each(p->b, &p->set, false, 0, each_cb, &fwd));
  tu_check(0, rv_log_each(p->b, &p->set, true, 0, each_cb, &rev));
  tu_check(0, rv_log_each(p->b, &p->set, true, 1, each_cb, &lim));
  rv_home_abort(p->b);
  /* B holds A's genesis and B's admission, then its own join. */
  assert_int_equal(fwd.n, 3);
  assert_int_equal(fwd.type[0], RV_BODY_SET_CREATE);
  assert_int_equal(fwd.type[1], RV_BODY_MEMBER_ADD);
  assert_int_equal(fwd.type[2], RV_BODY_MEMBER_JOIN);
  assert_int_equal(rev.n, 3);
  for (size_t i = 0; i < 3; i++)
    assert_int_equal(rev.type[i], fwd.type[2 - i]);
  assert_int_equal(lim.n, 1);
  assert_int_equal(lim.type[0], RV_BODY_MEMBER_JOIN);
}

/* ---- ingest -------------------------------------------------------- */

static void test_ingest_all_or_nothing(void **state) {
  tu_pair_t *p = *state;
  rv_vv_t *bvv = NULL;
  size_t nb = 0;
  tu_recs_t news = {0};
  rv_hash_t before;
  rv_ingest_report_t rep;
  vv_of(p->b, &p->set, &bvv, &nb);
  tu_set_topic(p->a, &p->set, "three");
  tu_set_topic(p->a, &p->set, "four");
  news_since(p->a, &p->set, bvv, nb, &news);
  assert_int_equal(news.n, 2);
  tu_state_hash(p->b, &p->set, &before);
  size_t count = tu_record_count(p->b);

  /* A gap: the fourth record without the third. */
  tu_check(RV_ECHAIN, tu_ingest(p->b, &news.v[1], 1, NULL));
  /* The last record's signature broken: the run is cut back to the third,
   * whose own signature verifies, and the fourth is left out (format.md,
   * "Ingesting records in bulk"; in a transaction aborted here, to keep B
   * as it was). */
  rv_raw_t batch[2] = {news.v[0], news.v[1]};
  uint8_t *bad = malloc(news.v[1].n);
  assert_non_null(bad);
  memcpy(bad, news.v[1].p, news.v[1].n);
  bad[news.v[1].n - 1] ^= 1;
  batch[1].p = bad;
  tu_check(0, rv_home_begin(p->b, true));
  tu_check(0, rv_log_ingest(p->b, batch, 2, &rep));
  assert_int_equal(rep.added, 1);
  assert_int_equal(rep.unvouched, 1);
  rv_home_abort(p->b);
  /* The third record altered: the fourth no longer links to it. */
  uint8_t *bad3 = malloc(news.v[0].n);
  assert_non_null(bad3);
  memcpy(bad3, news.v[0].p, news.v[0].n);
  bad3[news.v[0].n - 1] ^= 1;
  batch[0].p = bad3;
  batch[1] = news.v[1];
  int r = tu_ingest(p->b, batch, 2, NULL);
  assert_true(r == RV_ECHAIN || r == RV_EAUTH);
  /* Garbage among good records. */
  rv_raw_t junk[3] = {news.v[0], {.p = (const uint8_t *)"\x93\x01\x02\x03", .n = 4}, news.v[1]};
  tu_check(RV_EFORMAT, tu_ingest(p->b, junk, 3, NULL));
  expect_hash(p->b, &p->set, &before);
  assert_int_equal(tu_record_count(p->b), count);

  /* Nothing is ingested in a read transaction. */
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(RV_EINVAL, rv_log_ingest(p->b, news.v, news.n, &rep));
  rv_home_abort(p->b);

  /* An empty batch is no error and adds nothing. */
  memset(&rep, 0xff, sizeof rep);
  tu_check(0, tu_ingest(p->b, NULL, 0, &rep));
  assert_int_equal(rep.received, 0);
  assert_int_equal(rep.added, 0);

  /* In reverse order, in one batch, they are fine. */
  rv_raw_t rev[2] = {news.v[1], news.v[0]};
  tu_check(0, tu_ingest(p->b, rev, 2, &rep));
  assert_int_equal(rep.received, 2);
  assert_int_equal(rep.added, 2);
  assert_int_equal(rep.unreadable, 0);
  char buf[64];
  assert_string_equal(topic_of(p->b, &p->set, buf, sizeof buf), "four");
  free(bad);
  free(bad3);
  free(bvv);
  tu_recs_release(&news);
}

/* ---- version vectors and what is missing --------------------------- */

static void test_vv_and_missing(void **state) {
  tu_pair_t *p = *state;
  rv_vv_t *va = NULL, *vb = NULL;
  size_t na = 0, nb = 0;
  tu_recs_t all_a = {0}, all_b = {0}, a_to_b = {0}, b_to_a = {0};
  const rv_member_id_t *ida = rv_home_self(p->a), *idb = rv_home_self(p->b);
  tu_set_topic(p->a, &p->set, "three");
  tu_set_topic(p->a, &p->set, "four");

  vv_of(p->a, &p->set, &va, &na);
  vv_of(p->b, &p->set, &vb, &nb);
  assert_int_equal(na, 1);
  assert_int_equal(vv_seq(va, na, ida), 4);
  assert_int_equal(nb, 2);
  assert_int_equal(vv_seq(vb, nb, ida), 2);
  assert_int_equal(vv_seq(vb, nb, idb), 1);

  tu_recs_missing(p->a, &p->set, NULL, 0, &all_a);
  tu_recs_missing(p->b, &p->set, NULL, 0, &all_b);
  assert_int_equal(all_a.n, 4);
  assert_int_equal(all_b.n, 3);
  /* The head of each entry is the hash of that author's last record. */
  uint8_t h[RV_HASH_LEN];
  rv_hash(h, all_a.v[3].p, all_a.v[3].n);
  assert_memory_equal(va[0].head.b, h, RV_HASH_LEN);

  /* Exactly the set differences, each run in sequence order. */
  tu_recs_missing(p->a, &p->set, vb, nb, &a_to_b);
  tu_recs_missing(p->b, &p->set, va, na, &b_to_a);
  assert_int_equal(a_to_b.n, 2);
  for (size_t i = 0; i < all_a.n; i++)
    assert_int_equal(tu_recs_has(&a_to_b, all_a.v[i].p, all_a.v[i].n),
                     !tu_recs_has(&all_b, all_a.v[i].p, all_a.v[i].n));
  assert_memory_equal(a_to_b.v[0].p, all_a.v[2].p, all_a.v[2].n);
  assert_memory_equal(a_to_b.v[1].p, all_a.v[3].p, all_a.v[3].n);
  assert_int_equal(b_to_a.n, 1);
  for (size_t i = 0; i < all_b.n; i++)
    assert_int_equal(tu_recs_has(&b_to_a, all_b.v[i].p, all_b.v[i].n),
                     !tu_recs_has(&all_a, all_b.v[i].p, all_b.v[i].n));

  /* After each takes what it lacked, they agree and lack nothing. */
  tu_check(0, tu_ingest(p->b, a_to_b.v, a_to_b.n, NULL));
  tu_check(0, tu_ingest(p->a, b_to_a.v, b_to_a.n, NULL));
  free(va);
  free(vb);
  vv_of(p->a, &p->set, &va, &na);
  vv_of(p->b, &p->set, &vb, &nb);
  assert_int_equal(na, 2);
  assert_int_equal(nb, 2);
  assert_memory_equal(va, vb, 2 * sizeof *va);
  tu_recs_t none = {0};
  tu_recs_missing(p->a, &p->set, vb, nb, &none);
  tu_recs_missing(p->b, &p->set, va, na, &none);
  assert_int_equal(none.n, 0);
  rv_hash_t ha;
  tu_state_hash(p->a, &p->set, &ha);
  expect_hash(p->b, &p->set, &ha);

  /* A peer that knows more of an author than we do is sent nothing of
   * them; an author we never heard of changes nothing. */
  rv_vv_t odd[2] = {va[0], va[1]};
  odd[0].seq += 10;
  memset(odd[1].author.b, 0x77, RV_ID_LEN);
  tu_recs_missing(p->a, &p->set, odd, 2, &none);
  assert_int_equal(none.n, vv_seq(va, na, &va[1].author));
  tu_recs_release(&none);

  free(va);
  free(vb);
  tu_recs_release(&all_a);
  tu_recs_release(&all_b);
  tu_recs_release(&a_to_b);
  tu_recs_release(&b_to_a);
}

static int stop_after_one(void *ctx, const uint8_t *raw, size_t n) {
  (void)raw;
  (void)n;
  (*(int *)ctx)++;
  return 7;
}

static void test_missing_callback_stops(void **state) {
  tu_pair_t *p = *state;
  int calls = 0;
  tu_check(0, rv_home_begin(p->b, false));
  assert_int_equal(rv_log_missing(p->b, &p->set, NULL, 0, stop_after_one, &calls), 7);
  rv_home_abort(p->b);
  assert_int_equal(calls, 1);
}

/* ---- order independence -------------------------------------------- */

static void test_ingest_order_independence(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *d = tu_home(p->root, "d", "Dee");
  rv_home_t *e = tu_home(p->root, "e", "Eve");
  rv_home_t *f = tu_home(p->root, "f", "Fay");
  rv_home_t *homes[] = {p->a, p->b, d, e, f};
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t ra = {0}, rb = {0};

  /* B becomes a facilitator, so that both can change the topic; D, E and
   * F join; everyone then holds the same records. */
  rv_body_t promote = {.type = RV_BODY_MEMBER_ADD};
  promote.member = *rv_home_self(p->b);
  promote.role = RV_ROLE_FACILITATOR;
  tu_check(0, rv_home_begin(p->a, true));
  tu_check(0, rv_log_append(p->a, &p->set, &promote, NULL));
  tu_check(0, rv_home_commit(p->a));
  tu_invite_join(p->a, d, &p->set, RV_ROLE_MEMBER);
  tu_invite_join(p->a, e, &p->set, RV_ROLE_MEMBER);
  tu_invite_join(p->a, f, &p->set, RV_ROLE_MEMBER);
  exchange(homes, 5);
  vv_of(p->a, &p->set, &base, &nbase);

  /* A and B write concurrently, at the same lamport times. */
  tu_set_topic(p->a, &p->set, "from Ada 1");
  tu_set_topic(p->b, &p->set, "from Bea 1");
  tu_set_topic(p->a, &p->set, "from Ada 2");
  rv_body_t j = {.type = RV_BODY_MEMBER_JOIN};
  j.name = "Beatrice";
  tu_check(0, rv_home_begin(p->b, true));
  tu_check(0, rv_log_append(p->b, &p->set, &j, NULL));
  tu_check(0, rv_home_commit(p->b));
  tu_set_topic(p->b, &p->set, "from Bea 2");
  tu_set_topic(p->a, &p->set, "from Ada 3");
  news_since(p->a, &p->set, base, nbase, &ra);
  news_since(p->b, &p->set, base, nbase, &rb);
  assert_int_equal(ra.n, 3);
  assert_int_equal(rb.n, 3);

  /* D: one record at a time, all of A's, then all of B's. */
  for (size_t i = 0; i < ra.n; i++)
    tu_check(0, tu_ingest(d, &ra.v[i], 1, NULL));
  for (size_t i = 0; i < rb.n; i++)
    tu_check(0, tu_ingest(d, &rb.v[i], 1, NULL));
  /* E: one at a time, B's first. */
  for (size_t i = 0; i < rb.n; i++)
    tu_check(0, tu_ingest(e, &rb.v[i], 1, NULL));
  for (size_t i = 0; i < ra.n; i++)
    tu_check(0, tu_ingest(e, &ra.v[i], 1, NULL));
  /* F: alternating, one at a time. */
  for (size_t i = 0; i < ra.n; i++) {
    tu_check(0, tu_ingest(f, &rb.v[i], 1, NULL));
    tu_check(0, tu_ingest(f, &ra.v[i], 1, NULL));
  }
  /* A and B: the other's records in one batch, last first. */
  rv_raw_t rev[3];
  for (size_t i = 0; i < 3; i++)
    rev[i] = rb.v[2 - i];
  tu_check(0, tu_ingest(p->a, rev, 3, NULL));
  for (size_t i = 0; i < 3; i++)
    rev[i] = ra.v[2 - i];
  tu_check(0, tu_ingest(p->b, rev, 3, NULL));

  rv_hash_t want;
  tu_state_hash(p->a, &p->set, &want);
  for (size_t i = 1; i < 5; i++)
    expect_hash(homes[i], &p->set, &want);
  /* The last writes tie on lamport time: the author order decides. */
  char buf[64];
  bool bea_last = memcmp(rv_home_self(p->a)->b, rv_home_self(p->b)->b, RV_ID_LEN) < 0;
  assert_string_equal(topic_of(d, &p->set, buf, sizeof buf), bea_last ? "from Bea 2" : "from Ada 3");

  /* What a fresh fold of each log gives is the same state. */
  for (size_t i = 0; i < 5; i++) {
    tu_check(0, rv_home_begin(homes[i], true));
    tu_check(0, rv_set_refold(homes[i], &p->set));
    tu_check(0, rv_home_commit(homes[i]));
    expect_hash(homes[i], &p->set, &want);
  }

  free(base);
  tu_recs_release(&ra);
  tu_recs_release(&rb);
  rv_home_close(&d);
  rv_home_close(&e);
  rv_home_close(&f);
}

/* Records written at once by two members reach a third home in small
 * batches, each a little out of fold order, through one handle that
 * commits many times (as a node does): each batch is folded again from a
 * snapshot near the end, not from the first record. The state and its
 * bookkeeping are exactly those of a fold from the first record, and of
 * the writers' own homes; records stored out of order by another process
 * in between void the snapshots instead of leading them astray. */
static void state_full(rv_home_t *h, const rv_set_id_t *set, rv_buf_t *out) {
  const rv_state_t *st;
  rv_enc_t *enc = NULL;
  size_t n;
  tu_check(0, rv_enc_new(&enc));
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &st));
  rv_state_t copy = *st;
  copy.refold_id = 0; /* how it was folded, not what */
  tu_check(0, rv_state_encode(enc, &copy, true));
  const uint8_t *d = rv_enc_data(enc, &n);
  rv_buf_init(out);
  tu_check(0, rv_buf_append(out, d, n));
  rv_home_abort(h);
  rv_enc_destroy(&enc);
}

static void test_refold_from_snapshots(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *d = tu_home(p->root, "d", "Dee");
  rv_home_t *e = tu_home(p->root, "e", "Eve");
  rv_home_t *homes[] = {p->a, p->b, d, e};
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t ra = {0}, rb = {0}, re = {0};
  rv_body_t promote = {.type = RV_BODY_MEMBER_ADD};
  promote.member = *rv_home_self(p->b);
  promote.role = RV_ROLE_FACILITATOR;
  tu_check(0, rv_home_begin(p->a, true));
  tu_check(0, rv_log_append(p->a, &p->set, &promote, NULL));
  tu_check(0, rv_home_commit(p->a));
  tu_invite_join(p->a, d, &p->set, RV_ROLE_MEMBER);
  tu_invite_join(p->a, e, &p->set, RV_ROLE_MEMBER);
  exchange(homes, 4);
  vv_of(p->a, &p->set, &base, &nbase);

  /* E writes 5 records (early in fold order), A and B 700 each, the same
   * lamport times. */
  rv_body_t jn = {.type = RV_BODY_MEMBER_JOIN};
  jn.name = "Eve";
  tu_check(0, rv_home_begin(e, true));
  for (int i = 0; i < 5; i++)
    tu_check(0, rv_log_append(e, &p->set, &jn, NULL));
  tu_check(0, rv_home_commit(e));
  news_since(e, &p->set, base, nbase, &re);
  assert_int_equal(re.n, 5);
  rv_body_t t = {.type = RV_BODY_SET_TOPIC};
  char text[32];
  for (rv_home_t **w = homes; w < homes + 2; w++) {
    tu_check(0, rv_home_begin(*w, true));
    for (int i = 0; i < 700; i++) {
      snprintf(text, sizeof text, "%s %d", w == homes ? "Ada" : "Bea", i);
      t.text = text;
      tu_check(0, rv_log_append(*w, &p->set, &t, NULL));
    }
    tu_check(0, rv_home_commit(*w));
  }
  news_since(p->a, &p->set, base, nbase, &ra);
  news_since(p->b, &p->set, base, nbase, &rb);
  assert_int_equal(ra.n, 700);
  assert_int_equal(rb.n, 700);

  /* D: A's in batches of 7 and B's in batches of 5, in turn, each a commit
   * of its own. Halfway, another process stores E's five records in D's
   * home, before every snapshot this handle holds: they are void. */
  size_t ia = 0, ib = 0, most = 0;
  rv_ingest_report_t rep;
  for (int turn = 0; ia < ra.n || ib < rb.n; turn++) {
    if (turn == 110) {
      /* A process of its own: LMDB allows one handle per process. */
      char *dir = tu_path(p->root, "d");
      pid_t pid = fork();
      assert_true(pid >= 0);
      if (pid == 0) {
        rv_home_t *other = NULL;
        _exit(rv_home_open(dir, &other) < 0 || rv_home_unlock(other, TU_PASS, strlen(TU_PASS)) < 0 ||
              rv_home_begin(other, true) < 0 || rv_log_ingest(other, re.v, re.n, NULL) < 0 ||
              rv_home_commit(other) < 0);
      }
      int status = -1;
      assert_int_equal(waitpid(pid, &status, 0), pid);
      assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
      free(dir);
    }
    size_t na = ra.n - ia < 7 ? ra.n - ia : 7, nb = rb.n - ib < 5 ? rb.n - ib : 5;
    if (na) {
      tu_check(0, tu_ingest(d, ra.v + ia, na, NULL));
      ia += na;
    }
    if (nb) {
      tu_check(0, tu_ingest(d, rb.v + ib, nb, &rep));
      ib += nb;
      /* B's batch sorts before A's last: folded again, from a snapshot
       * once there are some (the first 2 * 256 records, from the first). */
      assert_true(rep.refolded > 0);
      if (ia + ib > 1100 && turn != 110)
        most = rep.refolded > most ? rep.refolded : most;
    }
  }
  /* Never more than the snapshots' span, where a fold from the first
   * record would take over 1,100. */
  assert_true(most > 0 && most <= 2 * 256 + 12);
  tu_check(0, tu_ingest(p->a, rb.v, rb.n, NULL));
  tu_check(0, tu_ingest(p->a, re.v, re.n, NULL));
  rv_hash_t want;
  tu_state_hash(p->a, &p->set, &want);
  expect_hash(d, &p->set, &want);

  /* The same state, bookkeeping too, as a fold from the first record. */
  rv_buf_t got, fresh;
  state_full(d, &p->set, &got);
  tu_check(0, rv_home_begin(d, true));
  tu_check(0, rv_set_refold(d, &p->set));
  tu_check(0, rv_home_commit(d));
  state_full(d, &p->set, &fresh);
  assert_int_equal(got.len, fresh.len);
  assert_memory_equal(got.data, fresh.data, got.len);
  rv_buf_release(&got);
  rv_buf_release(&fresh);

  free(base);
  tu_recs_release(&ra);
  tu_recs_release(&rb);
  tu_recs_release(&re);
  rv_home_close(&d);
  rv_home_close(&e);
}

/* A member's record that arrives before the record admitting them is
 * kept out at first, and counts once the admission arrives: the result is
 * the same as in the causal order. */
static void test_record_before_its_admission(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *c = tu_home(p->root, "c", "Cy");
  rv_home_t *e = tu_home(p->root, "e", "Eve");
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t adm = {0}, cj = {0};
  rv_ingest_report_t rep;

  /* B and E hold the set before C is admitted. */
  tu_invite_join(p->a, e, &p->set, RV_ROLE_MEMBER);
  rv_home_t *homes[] = {p->a, p->b, e};
  exchange(homes, 3);
  vv_of(p->a, &p->set, &base, &nbase);
  tu_invite_join(p->a, c, &p->set, RV_ROLE_MEMBER);
  news_since(p->a, &p->set, base, nbase, &adm); /* A's admission of C */
  news_since(c, &p->set, base, nbase, &cj);     /* ...and C's join */
  assert_int_equal(adm.n, 1);
  /* C holds A's admission too: keep only C's own record. */
  tu_recs_t only_c = {0};
  for (size_t i = 0; i < cj.n; i++)
    if (!tu_recs_has(&adm, cj.v[i].p, cj.v[i].n))
      tu_recs_add(&only_c, cj.v[i].p, cj.v[i].n);
  assert_int_equal(only_c.n, 1);

  /* B: the join first, then the admission. */
  tu_check(0, tu_ingest(p->b, only_c.v, 1, &rep));
  assert_int_equal(rep.added, 1);
  const rv_state_t *s;
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_set_state(p->b, &p->set, &s));
  assert_null(rv_state_member(s, rv_home_self(c)));
  rv_home_abort(p->b);
  tu_check(0, tu_ingest(p->b, adm.v, 1, &rep));
  /* E: in causal order. */
  tu_check(0, tu_ingest(e, adm.v, 1, &rep));
  tu_check(0, tu_ingest(e, only_c.v, 1, &rep));

  rv_hash_t want;
  tu_state_hash(e, &p->set, &want);
  expect_hash(p->b, &p->set, &want);
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_set_state(p->b, &p->set, &s));
  const rv_member_t *m = rv_state_member(s, rv_home_self(c));
  assert_non_null(m);
  assert_true(m->joined);
  assert_string_equal(m->name, "Cy");
  rv_home_abort(p->b);

  free(base);
  tu_recs_release(&adm);
  tu_recs_release(&cj);
  tu_recs_release(&only_c);
  rv_home_close(&c);
  rv_home_close(&e);
}

/* Seals a record as A's next one in set, under epoch and key, with A's
 * real signing key (the internals expose it). */
static void seal_as(rv_home_t *a, const rv_set_id_t *set, uint32_t epoch, const uint8_t *key,
                    const char *topic, rv_buf_t *out) {
  uint8_t head[8 + RV_HASH_LEN + 8], hk[RV_HEADKEY_LEN], body[256];
  const uint8_t *v;
  size_t vn, bn;
  rv_header_t hd;
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  memcpy(hk, set->b, RV_SETID_LEN);
  memcpy(hk + RV_SETID_LEN, rv_home_self(a)->b, RV_ID_LEN);
  tu_check(0, rv_home_begin(a, false));
  tu_check(0, rv_get(a->txn, RV_DB_HEADS, hk, sizeof hk, &v, &vn));
  assert_int_equal(vn, sizeof head);
  memcpy(head, v, sizeof head);
  rv_home_abort(a);
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = *rv_home_self(a);
  hd.seq = rv_be64_get(head) + 1;
  memcpy(hd.prev.b, head + 8, RV_HASH_LEN);
  hd.lamport = 50;
  hd.epoch = epoch;
  hd.time_ms = 1700000000000u;
  rv_body_t t = {.type = RV_BODY_SET_TOPIC};
  t.text = (char *)topic;
  tu_check(0, rv_body_encode(enc, &t));
  const uint8_t *bp = rv_enc_data(enc, &bn);
  assert_true(bn <= sizeof body);
  memcpy(body, bp, bn);
  tu_check(0, rv_envelope_seal(enc, &hd, body, bn, key, a->sec->sk, out));
  rv_enc_destroy(&enc);
}

/* A validly signed record under a key epoch this home holds no key for is
 * not stored but counted as unreadable (it can come again once the key is
 * held); one whose body does not open under the set's key was not written
 * by a key holder, and its batch is refused. */
static void test_unreadable_and_keyless_records(void **state) {
  tu_pair_t *p = *state;
  rv_hash_t before;
  rv_ingest_report_t rep;
  rv_buf_t env;
  uint8_t key[RV_KEY_LEN];
  faults_t fs;
  rv_verify_report_t vr;
  rv_buf_init(&env);
  rv_random(key, sizeof key);
  tu_state_hash(p->b, &p->set, &before);
  size_t count = tu_record_count(p->b);

  seal_as(p->a, &p->set, 1, key, "a later epoch", &env);
  rv_raw_t rec = {.p = env.data, .n = env.len};
  tu_check(0, tu_ingest(p->b, &rec, 1, &rep));
  assert_int_equal(rep.received, 1);
  assert_int_equal(rep.added, 0);
  assert_int_equal(rep.unreadable, 1);
  expect_hash(p->b, &p->set, &before);
  assert_int_equal(tu_record_count(p->b), count);
  assert_int_equal(verify(p->b, &fs, &vr), 0);

  /* The current epoch, but a key that is not the set's. */
  rv_buf_clear(&env);
  seal_as(p->a, &p->set, 0, key, "not under the set's key", &env);
  rec.p = env.data;
  rec.n = env.len;
  tu_check(RV_EAUTH, tu_ingest(p->b, &rec, 1, &rep));
  expect_hash(p->b, &p->set, &before);
  assert_int_equal(tu_record_count(p->b), count);
  rv_buf_release(&env);
}

/* Seals a record as `signer` at an explicit position, for forgeries. */
static void seal_at(rv_home_t *signer, const rv_set_id_t *set, uint64_t seq, const rv_hash_t *prev,
                    uint64_t lamport, uint32_t epoch, const uint8_t *key, rv_buf_t *out) {
  rv_header_t hd;
  rv_enc_t *enc = NULL;
  size_t bn;
  uint8_t body[64];
  tu_check(0, rv_enc_new(&enc));
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = *rv_home_self(signer);
  hd.seq = seq;
  if (prev)
    hd.prev = *prev;
  hd.lamport = lamport;
  hd.epoch = epoch;
  hd.time_ms = 1700000000000u;
  rv_body_t t = {.type = RV_BODY_SET_TOPIC, .text = "forged"};
  tu_check(0, rv_body_encode(enc, &t));
  const uint8_t *bp = rv_enc_data(enc, &bn);
  assert_true(bn <= sizeof body);
  memcpy(body, bp, bn);
  tu_check(0, rv_envelope_seal(enc, &hd, body, bn, key, signer->sec->sk, out));
  rv_enc_destroy(&enc);
}

static void hash_of_raw(const rv_buf_t *b, rv_hash_t *ret) { rv_hash(ret->b, b->data, b->len); }

/* Someone outside the set, with no key, signs two records of their own at
 * one position of a set id read from a bundle: one under an epoch nobody
 * holds, one that cannot open under the set's key, ordered so that the
 * first is met first. Nothing of it may be stored, least of all as the
 * evidence of a fork, which would travel on in every bundle. */
static void test_stranger_cannot_plant_a_fork(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *s = tu_home(p->root, "stranger", "Sam");
  uint8_t k1[RV_KEY_LEN], k2[RV_KEY_LEN];
  rv_buf_t x, y;
  rv_hash_t hx, hy, before, after;
  rv_random(k1, sizeof k1);
  rv_random(k2, sizeof k2);
  rv_buf_init(&x);
  rv_buf_init(&y);
  tu_state_hash(p->b, &p->set, &before);
  size_t count = tu_record_count(p->b);
  for (int tries = 0; tries < 64; tries++) {
    rv_buf_clear(&x);
    rv_buf_clear(&y);
    seal_at(s, &p->set, 1, NULL, 1, 99, k1, &x);
    seal_at(s, &p->set, 1, NULL, 1, 0, k2, &y);
    hash_of_raw(&x, &hx);
    hash_of_raw(&y, &hy);
    if (memcmp(hx.b, hy.b, RV_HASH_LEN) < 0)
      break;
  }
  assert_true(memcmp(hx.b, hy.b, RV_HASH_LEN) < 0);
  rv_raw_t both[2] = {{.p = x.data, .n = x.len}, {.p = y.data, .n = y.len}};
  assert_true(tu_ingest(p->b, both, 2, NULL) < 0);
  tu_state_hash(p->b, &p->set, &after);
  assert_memory_equal(before.b, after.b, RV_HASH_LEN);
  assert_int_equal(tu_record_count(p->b), count);
  faults_t fs;
  rv_verify_report_t vr;
  assert_int_equal(verify(p->b, &fs, &vr), 0);
  assert_int_equal(vr.forks, 0);
  rv_buf_release(&x);
  rv_buf_release(&y);
  rv_home_close(&s);
}

/* A forged record with a bad signature beside a member's genuine one at
 * the same position must not make the member look forked: the batch is
 * refused, and the genuine record is taken when it comes alone. */
static void test_forgery_cannot_frame_a_member(void **state) {
  tu_pair_t *p = *state;
  tu_recs_t old = {0}, news = {0};
  tu_recs_missing(p->a, &p->set, NULL, 0, &old);
  tu_set_topic(p->a, &p->set, "genuine");
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_log_vv(p->b, &p->set, &vv, &nvv));
  rv_home_abort(p->b);
  tu_recs_missing(p->a, &p->set, vv, nvv, &news);
  assert_int_equal(news.n, 1);
  rv_envelope_t e;
  rv_dec_t *dec = NULL;
  tu_check(0, rv_dec_new(&dec));
  tu_check(0, rv_envelope_decode(dec, news.v[0].p, news.v[0].n, &e));
  uint8_t k[RV_KEY_LEN];
  rv_random(k, sizeof k);
  rv_buf_t x;
  rv_hash_t hx, hy;
  rv_buf_init(&x);
  rv_hash(hy.b, news.v[0].p, news.v[0].n);
  for (int tries = 0; tries < 64; tries++) {
    rv_buf_clear(&x);
    seal_at(p->b, &p->set, e.hd.seq, &e.hd.prev, 1, 99, k, &x);
    /* Claim A as the author: the signature (B's) no longer matches. */
    uint8_t *author = NULL;
    for (size_t i = 0; i + RV_ID_LEN <= x.len; i++)
      if (memcmp(x.data + i, rv_home_self(p->b)->b, RV_ID_LEN) == 0) {
        author = x.data + i;
        break;
      }
    assert_non_null(author);
    memcpy(author, rv_home_self(p->a)->b, RV_ID_LEN);
    hash_of_raw(&x, &hx);
    if (memcmp(hx.b, hy.b, RV_HASH_LEN) < 0)
      break;
  }
  rv_raw_t both[2] = {{.p = x.data, .n = x.len}, news.v[0]};
  assert_true(tu_ingest(p->b, both, 2, NULL) < 0);
  tu_check(0, tu_ingest(p->b, news.v, 1, NULL));
  char buf[64];
  assert_string_equal(topic_of(p->b, &p->set, buf, sizeof buf), "genuine");
  faults_t fs;
  rv_verify_report_t vr;
  assert_int_equal(verify(p->b, &fs, &vr), 0);
  rv_dec_destroy(&dec);
  rv_buf_release(&x);
  tu_recs_release(&old);
  tu_recs_release(&news);
  free(vv);
}

static bool has_fault_at(const faults_t *fs, const rv_member_id_t *a, uint64_t seq);
static size_t verify_in_txn(rv_home_t *h, faults_t *fs);
static void log_key_of(rv_home_t *a, const rv_set_id_t *set, const rv_member_id_t *id,
                       uint64_t seq, uint8_t out[8]);

/* A member's record whose own signature fails, under a later record of
 * theirs that verifies and links to it: the later signature vouches for
 * every byte of the first, its bad signature included (format.md, "Which
 * records are authentic"). Ingest takes the pair; a batch that ends on the
 * first is refused; verify counts it as vouched, not as a fault, and
 * reports it again once the record above it is damaged. */
/* Verifies h with the stored record at (set, id, seq), whose bytes are
 * orig, altered in its last byte, in a transaction aborted after. */
static void verify_altered(rv_home_t *h, const rv_set_id_t *set, const rv_member_id_t *id,
                           uint64_t seq, const rv_buf_t *orig, faults_t *fs) {
  uint8_t k[8];
  uint8_t *alt = malloc(orig->len);
  assert_non_null(alt);
  memcpy(alt, orig->data, orig->len);
  alt[orig->len - 1] ^= 1;
  tu_check(0, rv_home_begin(h, true));
  log_key_of(h, set, id, seq, k);
  tu_check(0, rv_put(h->txn, RV_DB_LOG, k, sizeof k, alt, orig->len));
  verify_in_txn(h, fs);
  rv_home_abort(h);
  free(alt);
}

/* h's own head in set (seq and hash), and the set's key of epoch. */
static void own_head_and_key(rv_home_t *h, const rv_set_id_t *set, uint32_t epoch,
                             uint8_t key[RV_KEY_LEN], uint64_t *seq, rv_hash_t *head) {
  uint8_t hk[RV_HEADKEY_LEN];
  const uint8_t *v;
  size_t vn;
  rv_setctx_t *c;
  memcpy(hk, set->b, RV_SETID_LEN);
  memcpy(hk + RV_SETID_LEN, rv_home_self(h)->b, RV_ID_LEN);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv__setctx(h, set, &c));
  assert_non_null(rv__setctx_key(c, epoch));
  memcpy(key, rv__setctx_key(c, epoch), RV_KEY_LEN);
  tu_check(0, rv_get(h->txn, RV_DB_HEADS, hk, sizeof hk, &v, &vn));
  *seq = rv_be64_get(v);
  memcpy(head->b, v + 8, RV_HASH_LEN);
  rv_home_abort(h);
}

static void test_signature_vouched_by_the_chain(void **state) {
  tu_pair_t *p = *state;
  const rv_member_id_t *ida = rv_home_self(p->a);
  uint8_t key[RV_KEY_LEN];
  uint64_t seq;
  rv_hash_t head, h1;
  own_head_and_key(p->a, &p->set, 0, key, &seq, &head);

  rv_buf_t r1, r2, r3;
  rv_hash_t h2;
  rv_buf_init(&r1);
  rv_buf_init(&r2);
  rv_buf_init(&r3);
  seal_at(p->a, &p->set, seq + 1, &head, 1000, 0, key, &r1);
  r1.data[r1.len - 40] ^= 0x10; /* inside the signature, its last 64 bytes */
  hash_of_raw(&r1, &h1);
  seal_at(p->a, &p->set, seq + 2, &h1, 1001, 0, key, &r2);
  hash_of_raw(&r2, &h2);
  seal_at(p->a, &p->set, seq + 3, &h2, 1002, 0, key, &r3);
  r3.data[r3.len - 40] ^= 0x10;
  rv_raw_t pair[3] = {{.p = r1.data, .n = r1.len}, {.p = r2.data, .n = r2.len},
                      {.p = r3.data, .n = r3.len}};
  size_t count = tu_record_count(p->b);
  tu_check(RV_EAUTH, tu_ingest(p->b, pair, 1, NULL));
  assert_int_equal(tu_record_count(p->b), count);
  /* A third record whose signature fails, with nothing above it: the run
   * is cut back to the second, the newest whose own signature verifies. */
  rv_ingest_report_t rep;
  tu_check(0, tu_ingest(p->b, pair, 3, &rep));
  assert_int_equal(rep.added, 2);
  assert_int_equal(rep.unvouched, 1);
  assert_int_equal(tu_record_count(p->b), count + 2);
  faults_t fs;
  rv_verify_report_t vr;
  assert_int_equal(verify(p->b, &fs, &vr), 0);
  assert_int_equal(vr.vouched, 1);

  /* The first record altered in the store, the second intact: the link
   * above it breaks, nothing vouches for it, and its signature is a fault
   * again. */
  verify_altered(p->b, &p->set, ida, seq + 1, &r1, &fs);
  assert_true(has_fault_at(&fs, ida, seq + 1));
  /* The vouching record altered: the same for the first, and the second
   * is a fault too. */
  verify_altered(p->b, &p->set, ida, seq + 2, &r2, &fs);
  assert_true(has_fault_at(&fs, ida, seq + 1));
  assert_true(has_fault_at(&fs, ida, seq + 2));

  /* A signs another record at the first one's position. For a home that
   * holds that one, the first is contested: alone it proves nothing, but
   * with the record that vouches for it, it proves a fork (format.md,
   * "Forks"), and the fork's evidence carries the voucher. */
  tu_set_topic(p->a, &p->set, "another record at that position");
  tu_check(RV_EAUTH, tu_ingest(p->a, pair, 1, NULL));
  tu_check(0, tu_ingest(p->a, pair, 2, &rep));
  assert_int_equal(rep.forks, 2); /* the fork, and the next record of its branch */
  assert_int_equal(rep.added, 0);
  verify(p->a, &fs, &vr);
  assert_int_equal(vr.forks, 1);
  assert_int_equal(vr.faults, 1);
  assert_true(has_fault_at(&fs, ida, seq + 1));
  rv_buf_t bundle;
  rv_buf_init(&bundle);
  tu_bundle(p->a, &bundle);
  assert_true(tu_contains(bundle.data, bundle.len, r1.data, r1.len));
  assert_true(tu_contains(bundle.data, bundle.len, r2.data, r2.len));
  /* B holds the first and its voucher: A's bundle shows it the fork by
   * A's other record. B's bundle, whose fork is that other record, applies
   * to A as well, and the two states are equal. */
  tu_check(0, tu_apply(p->b, bundle.data, bundle.len, NULL));
  verify(p->b, &fs, &vr);
  assert_int_equal(vr.forks, 1);
  rv_buf_clear(&bundle);
  tu_bundle(p->b, &bundle);
  tu_check(0, tu_apply(p->a, bundle.data, bundle.len, NULL));
  rv_buf_release(&bundle);
  rv_hash_t ha, hb;
  tu_state_hash(p->a, &p->set, &ha);
  tu_state_hash(p->b, &p->set, &hb);
  assert_memory_equal(ha.b, hb.b, RV_HASH_LEN);
  rv_buf_release(&r1);
  rv_buf_release(&r2);
  rv_buf_release(&r3);
}

/* A run cut by a key not held yet, whose last readable record has a bad
 * signature of its own and is vouched for by the record after the cut: in
 * the batch that also holds the removal teaching that key, the two are
 * tried again together once it is learned, and both are stored. (Cut back
 * as unvouched, the first would leave the second a gap, and the batch
 * would be refused as a broken chain.) */
static void test_vouched_across_a_key_cut(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *d = tu_home(p->root, "d", "Dee");
  rv_vv_t *bvv = NULL;
  size_t nb = 0;
  tu_recs_t news = {0};
  vv_of(p->b, &p->set, &bvv, &nb);
  tu_invite_join(p->a, d, &p->set, RV_ROLE_MEMBER);
  uint32_t epoch;
  const char *why = NULL;
  tu_check(0, rv_home_begin(p->a, true));
  tu_check(0, rv_set_remove(p->a, &p->set, rv_home_self(d), &epoch, &why));
  tu_check(0, rv_home_commit(p->a));
  news_since(p->a, &p->set, bvv, nb, &news);
  assert_true(news.n >= 2); /* Dee's admission, her removal */

  uint8_t key0[RV_KEY_LEN], key1[RV_KEY_LEN];
  uint64_t seq;
  rv_hash_t head, h6;
  own_head_and_key(p->a, &p->set, 0, key0, &seq, &head);
  own_head_and_key(p->a, &p->set, epoch, key1, &seq, &head);
  rv_buf_t m6, m7;
  rv_buf_init(&m6);
  rv_buf_init(&m7);
  seal_at(p->a, &p->set, seq + 1, &head, 1000000, 0, key0, &m6);
  m6.data[m6.len - 40] ^= 0x10; /* inside the signature */
  hash_of_raw(&m6, &h6);
  seal_at(p->a, &p->set, seq + 2, &h6, 1000001, epoch, key1, &m7);
  tu_recs_add(&news, m6.data, m6.len);
  tu_recs_add(&news, m7.data, m7.len);

  rv_ingest_report_t rep;
  tu_check(0, tu_ingest(p->b, news.v, news.n, &rep));
  assert_int_equal(rep.added, news.n);
  assert_int_equal(rep.unvouched, 0);
  assert_int_equal(rep.unreadable, 0);
  faults_t fs;
  rv_verify_report_t vr;
  assert_int_equal(verify(p->b, &fs, &vr), 0);
  assert_int_equal(vr.vouched, 1);
  rv_buf_release(&m6);
  rv_buf_release(&m7);
  tu_recs_release(&news);
  free(bvv);
  rv_home_close(&d);
}

/* ---- forks --------------------------------------------------------- */

/* A record A signs in a transaction that is then aborted: A's own log
 * never holds it, but it exists, and another record can take its place. */
static void sign_and_forget(rv_home_t *a, const rv_set_id_t *set, const char *topic,
                            const rv_vv_t *base, size_t nbase, tu_recs_t *out) {
  rv_body_t t = {.type = RV_BODY_SET_TOPIC};
  t.text = (char *)topic;
  tu_check(0, rv_home_begin(a, true));
  tu_check(0, rv_log_append(a, set, &t, NULL));
  tu_check(0, rv_log_missing(a, set, base, nbase, collect, out));
  rv_home_abort(a);
}

static void test_fork_recorded_reported_kept_out(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *c = tu_home(p->root, "c", "Cy");
  rv_home_t *d = tu_home(p->root, "d", "Dee");
  rv_home_t *homes[] = {p->a, p->b, c, d};
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t x = {0}, yz = {0}, fk = {0};
  char buf[64];
  const rv_member_id_t *ida = rv_home_self(p->a);

  tu_invite_join(p->a, c, &p->set, RV_ROLE_MEMBER);
  tu_invite_join(p->a, d, &p->set, RV_ROLE_MEMBER);
  /* E joins before the fork but hears nothing more until the end. */
  rv_home_t *e = tu_home(p->root, "e", "Eve");
  tu_invite_join(p->a, e, &p->set, RV_ROLE_MEMBER);
  exchange(homes, 4);
  vv_of(p->a, &p->set, &base, &nbase);
  uint64_t fork_seq = vv_seq(base, nbase, ida) + 1;

  /* A signs X at the next position and forgets it, then Y at the same
   * position and Z after it. */
  sign_and_forget(p->a, &p->set, "X", base, nbase, &x);
  assert_int_equal(x.n, 1);
  tu_set_topic(p->a, &p->set, "Y");
  tu_set_topic(p->a, &p->set, "Z");
  news_since(p->a, &p->set, base, nbase, &yz);
  assert_int_equal(yz.n, 2);
  assert_memory_not_equal(x.v[0].p, yz.v[0].p, x.v[0].n < yz.v[0].n ? x.v[0].n : yz.v[0].n);

  rv_ingest_report_t rep;
  /* B: Y and Z first, then X. Once the fork is known, Y and Z, stored
   * and folded, are kept out of the state. */
  ingest_counted(p->b, &p->set, yz.v, yz.n, &rep);
  assert_int_equal(rep.added, 2);
  assert_int_equal(rep.forks_new, 0);
  assert_int_equal(rep.kept_out, 0);
  assert_string_equal(topic_of(p->b, &p->set, buf, sizeof buf), "Z");
  ingest_counted(p->b, &p->set, x.v, 1, &rep);
  assert_int_equal(rep.forks, 1);
  assert_int_equal(rep.forks_new, 1);
  assert_int_equal(rep.kept_out, 2);
  assert_int_equal(rep.added, 0);
  /* C: X first, then Y and Z: Y is the fork, Z the other branch of it. */
  ingest_counted(c, &p->set, x.v, 1, &rep);
  assert_int_equal(rep.added, 1);
  assert_int_equal(rep.forks_new, 0);
  ingest_counted(c, &p->set, yz.v, yz.n, &rep);
  assert_int_equal(rep.forks, 2);
  assert_int_equal(rep.forks_new, 1);
  assert_int_equal(rep.kept_out, 1); /* X, held and folded */
  /* The same branch sent again: a fork known already, nothing new. */
  ingest_counted(c, &p->set, yz.v, yz.n, &rep);
  assert_int_equal(rep.forks, 1);
  assert_int_equal(rep.forks_new, 0);
  assert_int_equal(rep.kept_out, 0);
  /* D: all three in one batch. */
  rv_raw_t all[3] = {yz.v[1], x.v[0], yz.v[0]};
  ingest_counted(d, &p->set, all, 3, &rep);
  assert_true(rep.forks >= 1);
  assert_int_equal(rep.forks_new, 1);
  /* A itself, on hearing of X. */
  ingest_counted(p->a, &p->set, x.v, 1, &rep);
  assert_int_equal(rep.forks, 1);
  assert_int_equal(rep.forks_new, 1);
  assert_int_equal(rep.kept_out, 2);

  /* Everyone keeps A's records from the fork on out of state: the topic
   * is the one before either branch, and everyone agrees. */
  rv_hash_t want;
  tu_state_hash(p->b, &p->set, &want);
  for (size_t i = 0; i < 4; i++) {
    assert_string_equal(topic_of(homes[i], &p->set, buf, sizeof buf), "learning together");
    expect_hash(homes[i], &p->set, &want);
  }

  /* Verification reports exactly the fork, at A's forked position. */
  for (size_t i = 0; i < 4; i++) {
    faults_t fs;
    rv_verify_report_t vr;
    verify(homes[i], &fs, &vr);
    assert_int_equal(vr.forks, 1);
    assert_int_equal(vr.faults, 1);
    assert_int_equal(fs.f[0].code, RV_EFORK);
    assert_memory_equal(fs.f[0].author.b, ida->b, RV_ID_LEN);
    assert_memory_equal(fs.f[0].set.b, p->set.b, RV_SETID_LEN);
    assert_true(fs.f[0].seq == fork_seq);
  }
  /* rv_log_forks hands out the conflicting envelope: B holds X there. */
  tu_check(0, rv_home_begin(p->b, false));
  tu_check(0, rv_log_forks(p->b, &p->set, collect, &fk));
  rv_home_abort(p->b);
  assert_int_equal(fk.n, 1);
  assert_true(tu_recs_has(&x, fk.v[0].p, fk.v[0].n));

  /* Hearing of it again records nothing new. */
  ingest_counted(p->b, &p->set, x.v, 1, &rep);
  assert_int_equal(rep.forks_new, 0);
  assert_int_equal(rep.kept_out, 0);
  faults_t fs;
  rv_verify_report_t vr;
  verify(p->b, &fs, &vr);
  assert_int_equal(vr.forks, 1);

  /* A member who was not there learns of the fork from a bundle. */
  rv_buf_t bb;
  rv_buf_init(&bb);
  tu_bundle(p->b, &bb);
  tu_check(0, tu_apply(e, bb.data, bb.len, &rep));
  verify(e, &fs, &vr);
  assert_int_equal(vr.forks, 1);
  rv_buf_release(&bb);
  rv_home_close(&e);

  free(base);
  tu_recs_release(&x);
  tu_recs_release(&yz);
  tu_recs_release(&fk);
  rv_home_close(&c);
  rv_home_close(&d);
}

/* A member removed who has not heard of it yet writes on: the facilitator
 * stores those records (they open under the key the member still holds)
 * and keeps the ones after the removal out of the state, which the report
 * says as kept_out. */
static void test_removed_member_kept_out(void **state) {
  (void)state;
  tu_pair_t pair, *p = &pair;
  tu_pair_init(p, RV_ROLE_FACILITATOR); /* B may set the topic */
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t late = {0};
  uint32_t epoch;
  const char *why = NULL;
  vv_of(p->a, &p->set, &base, &nbase); /* what A holds of B: B's join may not be there */
  tu_check(0, rv_home_begin(p->a, true));
  tu_check(0, rv_set_remove(p->a, &p->set, rv_home_self(p->b), &epoch, &why));
  tu_check(0, rv_home_commit(p->a));
  /* B's clock moves past the removal's, whatever the order of ids. */
  for (int i = 0; i < 3; i++)
    tu_set_topic(p->b, &p->set, i == 2 ? "after" : "before");
  news_since(p->b, &p->set, base, nbase, &late);
  assert_true(late.n >= 3);

  rv_ingest_report_t rep;
  uint64_t before = ignored_of(p->a, &p->set);
  ingest_counted(p->a, &p->set, late.v, late.n, &rep);
  assert_int_equal(rep.added, late.n);
  assert_int_equal(rep.forks_new, 0);
  assert_true(rep.kept_out >= 2);
  assert_int_equal(ignored_of(p->a, &p->set), before + rep.kept_out);
  char buf[64];
  assert_string_not_equal(topic_of(p->a, &p->set, buf, sizeof buf), "after");
  /* Sent again: duplicates, nothing more kept out. */
  ingest_counted(p->a, &p->set, late.v, late.n, &rep);
  assert_int_equal(rep.duplicates, late.n);
  assert_int_equal(rep.kept_out, 0);
  tu_recs_release(&late);
  free(base);
  tu_pair_release(p);
}

/* What A writes after its fork is known stays out of everyone's state,
 * A's own included: A's state is what a fresh fold of A's log gives, and
 * what B folds from the same records. (Core refusing the write would pass
 * too.) */
static void test_writes_after_own_fork(void **state) {
  tu_pair_t *p = *state;
  rv_vv_t *base = NULL;
  size_t nbase = 0;
  tu_recs_t x = {0}, y = {0}, w = {0};
  rv_ingest_report_t rep;
  char before[64], after[64];

  vv_of(p->a, &p->set, &base, &nbase);
  sign_and_forget(p->a, &p->set, "X", base, nbase, &x);
  tu_set_topic(p->a, &p->set, "Y");
  news_since(p->a, &p->set, base, nbase, &y);
  tu_check(0, tu_ingest(p->b, y.v, y.n, &rep));
  tu_check(0, tu_ingest(p->b, x.v, x.n, &rep));
  assert_int_equal(rep.forks, 1);
  tu_check(0, tu_ingest(p->a, x.v, x.n, &rep));
  assert_int_equal(rep.forks, 1);
  free(base);
  vv_of(p->a, &p->set, &base, &nbase);

  rv_body_t t = {.type = RV_BODY_SET_TOPIC};
  t.text = "W";
  tu_check(0, rv_home_begin(p->a, true));
  int r = rv_log_append(p->a, &p->set, &t, NULL);
  if (r < 0) {
    rv_home_abort(p->a);
  } else {
    tu_check(0, rv_home_commit(p->a));
    rv_hash_t ha, refolded;
    news_since(p->a, &p->set, base, nbase, &w);
    assert_int_equal(w.n, 1);
    tu_check(0, tu_ingest(p->b, w.v, 1, &rep));
    tu_state_hash(p->a, &p->set, &ha);
    topic_of(p->a, &p->set, before, sizeof before);
    tu_check(0, rv_home_begin(p->a, true));
    tu_check(0, rv_set_refold(p->a, &p->set));
    tu_check(0, rv_home_commit(p->a));
    tu_state_hash(p->a, &p->set, &refolded);
    topic_of(p->a, &p->set, after, sizeof after);
    if (memcmp(ha.b, refolded.b, RV_HASH_LEN) != 0)
      print_error("A's topic was '%s'; a fold of A's own log gives '%s'\n", before, after);
    assert_memory_equal(ha.b, refolded.b, RV_HASH_LEN);
    expect_hash(p->b, &p->set, &ha);
  }
  assert_string_equal(topic_of(p->a, &p->set, after, sizeof after), "learning together");
  assert_string_equal(topic_of(p->b, &p->set, after, sizeof after), "learning together");
  free(base);
  tu_recs_release(&x);
  tu_recs_release(&y);
  tu_recs_release(&w);
}

/* ---- verification -------------------------------------------------- */

static bool has_fault_at(const faults_t *fs, const rv_member_id_t *a, uint64_t seq) {
  for (size_t i = 0; i < fs->n && i < 64; i++)
    if (memcmp(fs->f[i].author.b, a->b, RV_ID_LEN) == 0 && fs->f[i].seq == seq)
      return true;
  return false;
}

static size_t verify_in_txn(rv_home_t *h, faults_t *fs) {
  rv_verify_report_t vr;
  memset(fs, 0, sizeof *fs);
  tu_check(0, rv_log_verify(h, on_fault, fs, &vr));
  assert_int_equal(vr.faults, fs->n);
  return fs->n;
}

/* The log key (record number) of a position, through the position index. */
static void log_key_of(rv_home_t *a, const rv_set_id_t *set, const rv_member_id_t *id,
                       uint64_t seq, uint8_t out[8]) {
  uint8_t pk[RV_POSKEY_LEN];
  const uint8_t *v;
  size_t vn;
  rv__pos_key(pk, set, id, seq);
  tu_check(0, rv_get(a->txn, RV_DB_POS, pk, sizeof pk, &v, &vn));
  assert_int_equal(vn, 8);
  memcpy(out, v, 8);
}

static void test_verify_finds_altered_record(void **state) {
  tu_pair_t *p = *state;
  rv_home_t *a = p->a;
  const rv_member_id_t *ida = rv_home_self(a);
  faults_t fs;
  rv_verify_report_t vr;
  uint8_t k[8];
  const uint8_t *v;
  size_t vn;
  tu_set_topic(a, &p->set, "three");

  assert_int_equal(verify(a, &fs, &vr), 0);
  assert_int_equal(vr.records, 3);
  assert_int_equal(vr.sets, 1);

  /* Alter A's second record in place, one byte at a time, inside a
   * transaction that is aborted at the end. */
  tu_check(0, rv_home_begin(a, true));
  log_key_of(a, &p->set, ida, 2, k);
  tu_check(0, rv_get(a->txn, RV_DB_LOG, k, sizeof k, &v, &vn));
  uint8_t *orig = malloc(vn), *bad = malloc(vn);
  assert_non_null(orig);
  assert_non_null(bad);
  memcpy(orig, v, vn);
  for (size_t i = 0; i < vn; i++) {
    memcpy(bad, orig, vn);
    bad[i] ^= 0x01;
    tu_check(0, rv_put(a->txn, RV_DB_LOG, k, sizeof k, bad, vn));
    verify_in_txn(a, &fs);
    if (!has_fault_at(&fs, ida, 2))
      print_error("byte %zu of %zu altered in the store went unreported\n", i, vn);
    assert_true(has_fault_at(&fs, ida, 2));
  }
  /* Cut short, or replaced by junk. */
  for (size_t n = 0; n < vn; n += 5) {
    tu_check(0, rv_put(a->txn, RV_DB_LOG, k, sizeof k, orig, n));
    verify_in_txn(a, &fs);
    assert_true(has_fault_at(&fs, ida, 2));
  }
  tu_check(0, rv_put(a->txn, RV_DB_LOG, k, sizeof k, "\xc1", 1));
  verify_in_txn(a, &fs);
  assert_true(has_fault_at(&fs, ida, 2));
  /* Removed: its position leads nowhere. */
  tu_check(0, rv_del(a->txn, RV_DB_LOG, k, sizeof k));
  verify_in_txn(a, &fs);
  assert_true(has_fault_at(&fs, ida, 2));
  /* Put back: all is well again. */
  tu_check(0, rv_put(a->txn, RV_DB_LOG, k, sizeof k, orig, vn));
  assert_int_equal(verify_in_txn(a, &fs), 0);

  /* The last record removed: the head names a record that is not there. */
  uint8_t k3[8];
  log_key_of(a, &p->set, ida, 3, k3);
  tu_check(0, rv_del(a->txn, RV_DB_LOG, k3, sizeof k3));
  assert_true(verify_in_txn(a, &fs) > 0);
  rv_home_abort(a);

  /* The order index missing an entry. */
  tu_check(0, rv_home_begin(a, true));
  rv_cursor_t *cur = NULL;
  rv_kv_t kv;
  tu_check(0, rv_cursor_open(a->txn, RV_DB_ORDER, &cur));
  tu_check(0, rv_cursor_last_with(cur, p->set.b, RV_SETID_LEN, &kv));
  uint8_t ok[RV_ORDER_LEN];
  assert_int_equal(kv.kn, RV_ORDER_LEN);
  memcpy(ok, kv.k, RV_ORDER_LEN);
  rv_cursor_close(&cur);
  tu_check(0, rv_del(a->txn, RV_DB_ORDER, ok, sizeof ok));
  assert_true(verify_in_txn(a, &fs) > 0);
  assert_true(has_fault_at(&fs, ida, 3));
  rv_home_abort(a);

  /* Nothing of that was kept. */
  assert_int_equal(verify(a, &fs, &vr), 0);
  free(orig);
  free(bad);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_append_only_what_the_fold_allows, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_log_each_order, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_ingest_all_or_nothing, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_vv_and_missing, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_missing_callback_stops, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_ingest_order_independence, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_refold_from_snapshots, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_record_before_its_admission, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_unreadable_and_keyless_records, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_fork_recorded_reported_kept_out, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_writes_after_own_fork, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test(test_removed_member_kept_out),
      cmocka_unit_test_setup_teardown(test_stranger_cannot_plant_a_fork, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_forgery_cannot_frame_a_member, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_verify_finds_altered_record, tu_pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_signature_vouched_by_the_chain, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_vouched_across_a_key_cut, tu_pair_setup,
                                      tu_pair_teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
