/*
 * The node's bookkeeping of its peers, with no socket and no ZeroMQ
 * linked (net/peer.c, net/batch.c): what a batch holds, where it may end
 * and its bounds; the belief of what a peer holds; refusals and what they
 * reset; when a connection counts as live.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"
#include "testnode.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------- */

static int pair_setup(void **state) {
  tu_pair_t *p = malloc(sizeof *p);
  if (!p)
    return -1;
  tu_pair_init(p, RV_ROLE_FACILITATOR); /* both write records */
  *state = p;
  return 0;
}

static rv_vv_t place(uint8_t author, uint64_t seq) {
  rv_vv_t v;
  memset(&v, 0, sizeof v);
  v.author.b[0] = author;
  v.author.b[1] = (uint8_t)(seq >> 8); /* authors stay apart in the bound test */
  v.seq = seq;
  v.head.b[0] = (uint8_t)seq;
  return v;
}

/* A copy of one record of author `of` in set, as home holds it. */
static void record_of(rv_home_t *home, const rv_set_id_t *set, const rv_member_id_t *of,
                      rv_buf_t *out) {
  tu_recs_t recs = {0};
  rv_dec_t *dec = NULL;
  tu_check(0, rv_dec_new(&dec));
  tu_recs_missing(home, set, NULL, 0, &recs);
  for (size_t i = 0; i < recs.n && !out->len; i++) {
    rv_set_id_t s;
    rv_vv_t at;
    tu_check(0, rv_peer_record_author(dec, recs.v[i].p, recs.v[i].n, &s, &at));
    if (memcmp(at.author.b, of->b, RV_ID_LEN) == 0)
      tu_check(0, rv_buf_append(out, recs.v[i].p, recs.v[i].n));
  }
  assert_true(out->len > 0);
  rv_dec_destroy(&dec);
  tu_recs_release(&recs);
}

/* Records of len bytes a batch takes before it is full. */
static size_t budget(size_t len) {
  size_t by_bytes = RV_SYNC_BATCH_BYTES / len;
  return by_bytes < RV_SYNC_BATCH_RECORDS ? by_bytes : RV_SYNC_BATCH_RECORDS;
}

/* Adds rec to the batch count times: how many were taken. */
static size_t add_times(batch_t *b, const rv_buf_t *rec, size_t count) {
  size_t taken = 0;
  for (size_t i = 0; i < count; i++) {
    int r = rv__batch_add(b, rec->data, rec->len);
    assert_true(r == 0 || r == 1);
    if (r == 1)
      break;
    taken++;
  }
  return taken;
}

/* ---- belief ---------------------------------------------------------- */

static void test_belief_rises_never_falls(void **state) {
  (void)state;
  peer_set_t ps;
  memset(&ps, 0, sizeof ps);
  rv_vv_t a3 = place(1, 3), a2 = place(1, 2), a5 = place(1, 5), b1 = place(2, 1);
  assert_int_equal(rv__belief_seq(&ps, &a3.author), 0);
  tu_check(0, rv__belief_raise(&ps, &a3));
  assert_int_equal(rv__belief_seq(&ps, &a3.author), 3);
  tu_check(0, rv__belief_raise(&ps, &a2)); /* older: they hold 3 still */
  assert_int_equal(rv__belief_seq(&ps, &a3.author), 3);
  tu_check(0, rv__belief_raise(&ps, &a5));
  assert_int_equal(rv__belief_seq(&ps, &a3.author), 5);
  assert_int_equal(ps.theirs[0].head.b[0], 5); /* the head goes with the seq */
  assert_int_equal(rv__belief_seq(&ps, &b1.author), 0);
  tu_check(0, rv__belief_raise(&ps, &b1));
  assert_int_equal(ps.ntheirs, 2);
  rv__belief_reset(&ps); /* a vector says it all again */
  assert_int_equal(rv__belief_seq(&ps, &a3.author), 0);
  assert_int_equal(rv__belief_seq(&ps, &b1.author), 0);
  free(ps.theirs);
}

static void test_belief_bounded_by_authors(void **state) {
  (void)state;
  peer_set_t ps;
  memset(&ps, 0, sizeof ps);
  for (uint64_t i = 1; i <= RV_SYNC_VV_MAX; i++) {
    rv_vv_t v = place((uint8_t)i, i);
    tu_check(0, rv__belief_raise(&ps, &v));
  }
  assert_int_equal(ps.ntheirs, RV_SYNC_VV_MAX);
  rv_vv_t more = place(0xff, 0xffff);
  tu_check(RV_ETOOBIG, rv__belief_raise(&ps, &more));
  rv_vv_t known = ps.theirs[7];
  known.seq += 10; /* an author already believed in still rises */
  tu_check(0, rv__belief_raise(&ps, &known));
  assert_int_equal(rv__belief_seq(&ps, &known.author), known.seq);
  free(ps.theirs);
}

/* ---- batches --------------------------------------------------------- */

/* One batch of what a peer holding theirs lacks of set, from n's home. */
static void gather(batch_t *b, rv_node_t *n, const rv_set_id_t *set, const rv_vv_t *theirs,
                   size_t ntheirs) {
  rv__batch_init(b, n);
  tu_check(0, rv_home_begin(n->home, false));
  tu_check(0, rv_log_missing(n->home, set, theirs, ntheirs, rv__batch_add, b));
  rv_home_abort(n->home);
}

/* A batch of everything: every record, the last of each author with the
 * head this home holds. */
static void test_batch_holds_what_they_lack(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  batch_t b;
  tu_set_topic(pair->a, &pair->set, "one");
  tu_set_topic(pair->b, &pair->set, "two");
  tu_set_topic(pair->a, &pair->set, "three");
  tn_node_init(&n, pair->a);
  size_t nmine;
  rv_vv_t *mine = tn_home_vv(pair->a, &pair->set, &nmine);
  gather(&b, &n, &pair->set, NULL, 0);
  tu_check(0, rv__batch_heads(&b));
  size_t total = 0;
  for (size_t i = 0; i < nmine; i++)
    total += mine[i].seq;
  assert_int_equal(b.count, total);
  assert_int_equal(b.nlast, nmine);
  for (size_t i = 0; i < nmine; i++) {
    size_t j = 0;
    while (j < b.nlast && memcmp(b.last[j].author.b, mine[i].author.b, RV_ID_LEN) != 0)
      j++;
    assert_true(j < b.nlast);
    assert_int_equal(b.last[j].seq, mine[i].seq);
    assert_memory_equal(b.last[j].head.b, mine[i].head.b, RV_HASH_LEN);
  }
  /* What they hold already is not in it. */
  gather(&b, &n, &pair->set, mine, nmine);
  assert_int_equal(b.count, 0);
  free(mine);
  tn_node_release(&n);
}

/* A batch ends at RV_SYNC_BATCH_RECORDS or RV_SYNC_BATCH_BYTES, whichever
 * comes first, when its last record's own signature verifies. */
static void test_batch_bounded(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  batch_t b;
  rv_buf_t rec;
  rv_buf_init(&rec);
  tn_node_init(&n, pair->a);
  record_of(pair->a, &pair->set, rv_home_self(pair->a), &rec);
  rv__batch_init(&b, &n);
  size_t most = budget(rec.len);
  assert_int_equal(add_times(&b, &rec, RV_SYNC_BATCH_RECORDS + 10), most);
  assert_int_equal(b.count, most);
  assert_int_equal(b.bytes, most * rec.len);
  assert_true(b.bytes <= RV_SYNC_BATCH_BYTES);
  size_t blen;
  rv_enc_data(n.batch, &blen);
  assert_true(blen > b.bytes); /* each record as a bin, with its header */
  rv_buf_release(&rec);
  tn_node_release(&n);
}

/* Full inside a run whose last record's own signature fails: the batch
 * goes past its budget to the next record that verifies, and ends there;
 * a record of another author ends it at once. */
static void test_batch_ends_where_it_verifies(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  batch_t b;
  rv_buf_t good, bad, other;
  rv_buf_init(&good);
  rv_buf_init(&bad);
  rv_buf_init(&other);
  tn_node_init(&n, pair->a);
  record_of(pair->a, &pair->set, rv_home_self(pair->a), &good);
  tu_check(0, rv_buf_append(&bad, good.data, good.len));
  bad.data[bad.len - 1] ^= 1; /* the signature ends the envelope */
  tu_check(RV_EAUTH, rv_peer_record_signed(n.place_dec, bad.data, bad.len));
  tu_set_topic(pair->b, &pair->set, "by Bea");
  record_of(pair->b, &pair->set, rv_home_self(pair->b), &other);

  size_t most = budget(good.len);
  rv__batch_init(&b, &n);
  assert_int_equal(add_times(&b, &good, most - 1), most - 1);
  assert_int_equal(add_times(&b, &bad, 3), 3); /* full from the first: carries on */
  assert_int_equal(add_times(&b, &good, 2), 1); /* ends on the one that verifies */
  assert_int_equal(b.count, most + 3);

  rv__batch_init(&b, &n);
  assert_int_equal(add_times(&b, &good, most - 1), most - 1);
  assert_int_equal(add_times(&b, &bad, 1), 1);
  assert_int_equal(add_times(&b, &other, 1), 0); /* another run: the batch ends */
  assert_int_equal(b.count, most);

  /* A run of bad signatures ends at the most a peer accepts. */
  size_t accepted = RV_SYNC_BYTES_MAX / bad.len;
  if (accepted > RV_SYNC_RECS_MAX)
    accepted = RV_SYNC_RECS_MAX;
  rv__batch_init(&b, &n);
  assert_int_equal(add_times(&b, &bad, RV_SYNC_RECS_MAX + 10), accepted);
  rv_buf_release(&good);
  rv_buf_release(&bad);
  rv_buf_release(&other);
  tn_node_release(&n);
}

/* ---- refusals and liveness ------------------------------------------- */

static void test_refusal_resets_the_connection(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  tn_node_init(&n, pair->a);
  peer_t *p = tn_peer(&n, pair->b);
  rv_set_id_t other = pair->set;
  other.b[0] ^= 1;
  tu_check(0, rv__peer_set_add(p, &pair->set));
  tu_check(0, rv__peer_set_add(p, &other));
  rv_vv_t v = place(3, 4);
  tu_check(0, rv__belief_raise(&p->sets[0], &v));
  p->sets[0].pending = p->sets[1].pending = p->sets[0].known = true;
  p->greeted = p->hello_sent = true;
  p->rid_len = 5;
  p->owe_answers = 3;
  uint64_t before = rv_now_ms();
  rv__peer_refuse(&n, p, "sent a malformed record");
  assert_string_equal(p->refused, "sent a malformed record");
  assert_true(p->refused_until_ms >= before + RV_REFUSE_MS);
  assert_true(p->refused_until_ms <= rv_now_ms() + RV_REFUSE_MS);
  assert_false(p->greeted);
  assert_false(p->hello_sent);
  assert_int_equal(p->rid_len, 0);
  assert_int_equal(p->owe_answers, 0);
  assert_false(p->sets[0].pending);
  assert_false(p->sets[1].pending);
  assert_int_equal(tn_unwatched(), 1); /* this node's connection closed */
  assert_int_equal(rv__belief_seq(&p->sets[0], &v.author), 4); /* the belief is kept */
  assert_true(p->sets[0].known);
  assert_true(tn_logged("refused: sent a malformed record"));
  /* Refused again: the reason is the latest, logged once. */
  tn_clear();
  rv__peer_refuse(&n, p, "sent a malformed version vector");
  assert_string_equal(p->refused, "sent a malformed version vector");
  assert_false(tn_logged("refused"));
  assert_false(rv__peer_live(p, rv_now_ms()));
  tn_node_release(&n);
}

static void test_live_while_answered(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  tn_node_init(&n, pair->a);
  peer_t *p = tn_peer(&n, pair->b);
  uint64_t now = 1000000;
  assert_false(rv__peer_live(p, now)); /* never heard */
  /* This node's own connection: live while its pings are answered. */
  p->greeted = true;
  p->dealer = (rv_sock_t *)p; /* any non-NULL: never used here */
  assert_false(rv__peer_live(p, now)); /* nothing came back on it yet */
  p->dealer_ok = true;
  assert_true(rv__peer_live(p, now));
  p->unanswered_ms = now - RV_SILENT_MS + 1;
  assert_true(rv__peer_live(p, now));
  p->unanswered_ms = now - RV_SILENT_MS;
  assert_false(rv__peer_live(p, now));
  p->dealer = NULL;
  /* Theirs, to our ROUTER: live while a message went either way lately. */
  p->rid_len = 5;
  p->last_msg_ms = now - RV_LIVE_MS + 1;
  assert_true(rv__peer_live(p, now));
  p->last_msg_ms = now - RV_LIVE_MS;
  assert_false(rv__peer_live(p, now));
  p->router_sent_ms = now - 10;
  assert_true(rv__peer_live(p, now));
  p->rid_len = 0; /* the connection is gone */
  assert_false(rv__peer_live(p, now));
  tn_node_release(&n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_belief_rises_never_falls),
      cmocka_unit_test(test_belief_bounded_by_authors),
      cmocka_unit_test_setup_teardown(test_batch_holds_what_they_lack, pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_batch_bounded, pair_setup, tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_batch_ends_where_it_verifies, pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_refusal_resets_the_connection, pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_live_while_answered, pair_setup, tu_pair_teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
