/*
 * The sync protocol's state machine (net/sync.c) with no socket: a node
 * over a real home is handed the messages a peer would send, and what it
 * sends back is read from the fake loop's outbox (testnode.c). A vector
 * sets the belief of what the peer holds and is answered with what the
 * peer lacks; a vector again resets it; a run that starts past the head
 * held here is left out and the node's own vector goes back; what breaks
 * the protocol refuses the peer, who is then ignored.
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

/* ---- the fixture --------------------------------------------------------- */

/* Ada (a, facilitator) and Bea (b, member) in one set; a node over one of
 * the two homes, Ada's records that Bea lacks, and an encoder for the
 * peer's messages. */
typedef struct fixture {
  tu_pair_t pair;
  rv_node_t n;
  bool node; /* n was made */
  peer_t *p; /* the other person, in n's table */
  tu_recs_t lacking;
  rv_enc_t *enc;
} fixture_t;

static int fixture_setup(void **state) {
  fixture_t *fx = calloc(1, sizeof *fx);
  if (!fx)
    return -1;
  tu_pair_init(&fx->pair, RV_ROLE_MEMBER);
  tu_check(0, rv_enc_new(&fx->enc));
  *state = fx;
  return 0;
}

static int fixture_teardown(void **state) {
  fixture_t *fx = *state;
  if (fx->node)
    tn_node_release(&fx->n);
  tu_recs_release(&fx->lacking);
  rv_enc_destroy(&fx->enc);
  tu_pair_release(&fx->pair);
  free(fx);
  return 0;
}

/* Ada writes count records; fx->lacking: what Bea lacks, in order. */
static void ada_writes(fixture_t *fx, size_t count) {
  static const char *const topics[] = {"one", "two", "three", "four"};
  assert_true(count <= sizeof topics / sizeof topics[0]);
  for (size_t i = 0; i < count; i++)
    tu_set_topic(fx->pair.a, &fx->pair.set, topics[i]);
  size_t nb;
  rv_vv_t *bvv = tn_home_vv(fx->pair.b, &fx->pair.set, &nb);
  tu_recs_missing(fx->pair.a, &fx->pair.set, bvv, nb, &fx->lacking);
  free(bvv);
}

/* The node runs over home `at`; fx->p is the person of home `peer`. */
static void node_at(fixture_t *fx, rv_home_t *at, rv_home_t *peer) {
  tn_node_init(&fx->n, at);
  fx->node = true;
  fx->p = tn_peer(&fx->n, peer);
}

/* Delivers the message in fx->enc to the node, from fx->p. */
static void deliver(fixture_t *fx) {
  size_t len;
  const uint8_t *body = rv_enc_data(fx->enc, &len);
  rv__sync_message(&fx->n, fx->p, body, len);
}

/* Home of's vector, delivered as the peer sends it. */
static void deliver_vector(fixture_t *fx, rv_home_t *of) {
  size_t k;
  rv_vv_t *vv = tn_home_vv(of, &fx->pair.set, &k);
  tn_vv(fx->enc, &fx->pair.set, vv, k);
  free(vv);
  deliver(fx);
}

/* The records sent in "recs" messages since tn_clear. */
static size_t records_sent(void) {
  size_t total = 0;
  for (size_t i = 0; i < tn_sent_count(); i++)
    if (tn_sent_is(i, "recs"))
      total += rv_val_len(tn_sent_list(i));
  return total;
}

static size_t vectors_sent(void) {
  size_t k = 0;
  for (size_t i = 0; i < tn_sent_count(); i++)
    k += tn_sent_is(i, "vv");
  return k;
}

/* ---- vectors ----------------------------------------------------------- */

static void test_vector_sets_the_belief(void **state) {
  fixture_t *fx = *state;
  ada_writes(fx, 2);
  node_at(fx, fx->pair.a, fx->pair.b);
  deliver_vector(fx, fx->pair.b);
  assert_string_equal(fx->p->refused, "");
  peer_set_t *ps = rv__peer_set(fx->p, &fx->pair.set);
  assert_non_null(ps);
  assert_true(ps->known);
  assert_false(ps->pending); /* all of it went */
  assert_int_equal(records_sent(), fx->lacking.n);
  assert_int_equal(fx->p->sent, fx->lacking.n);
  /* They are now believed to hold what this home holds. */
  size_t na;
  rv_vv_t *avv = tn_home_vv(fx->pair.a, &fx->pair.set, &na);
  for (size_t i = 0; i < na; i++)
    assert_int_equal(rv__belief_seq(ps, &avv[i].author), avv[i].seq);

  /* The batch was lost: their next vector says what they hold, which
   * resets the belief, and the records go again. */
  tn_clear();
  deliver_vector(fx, fx->pair.b);
  assert_int_equal(records_sent(), fx->lacking.n);
  /* A vector showing everything: nothing to send. */
  tn_clear();
  tn_vv(fx->enc, &fx->pair.set, avv, na);
  deliver(fx);
  assert_int_equal(tn_sent_count(), 0);
  free(avv);
}

/* ---- the gap rule -------------------------------------------------------- */

static void test_gap_left_out_and_asked_again(void **state) {
  fixture_t *fx = *state;
  ada_writes(fx, 3);
  assert_int_equal(fx->lacking.n, 3); /* Ada's three, in order */
  size_t held = tu_record_count(fx->pair.b);
  node_at(fx, fx->pair.b, fx->pair.a);
  /* The first record of the run is missing: the run is left out. */
  tn_recs(fx->enc, &fx->pair.set, fx->lacking.v + 1, 2);
  deliver(fx);
  assert_string_equal(fx->p->refused, "");
  assert_int_equal(tu_record_count(fx->pair.b), held);
  assert_int_equal(vectors_sent(), 1); /* this home's vector: their belief resets */
  assert_true(tn_logged("a batch out of order"));
  peer_set_t *ps = rv__peer_set(fx->p, &fx->pair.set);
  assert_non_null(ps);
  assert_false(ps->ask);
  /* They hold what they sent, whatever became of it here. */
  rv_set_id_t set;
  rv_vv_t last;
  tu_check(0, rv_peer_record_author(fx->n.place_dec, fx->lacking.v[2].p, fx->lacking.v[2].n,
                                    &set, &last));
  assert_int_equal(rv__belief_seq(ps, &last.author), last.seq);

  /* Again at once: not asked twice within RV_ASK_AGAIN_MS, but noted for
   * the tick. */
  tn_clear();
  deliver(fx);
  assert_int_equal(vectors_sent(), 0);
  assert_true(ps->ask);

  /* The whole run: stored. */
  tn_clear();
  tn_recs(fx->enc, &fx->pair.set, fx->lacking.v, fx->lacking.n);
  deliver(fx);
  assert_int_equal(tu_record_count(fx->pair.b), held + 3);
  assert_int_equal(fx->p->received, 3);
  assert_true(tn_logged("synced 3 records from"));
}

/* ---- refusals ------------------------------------------------------------- */

static void test_protocol_breach_refuses(void **state) {
  fixture_t *fx = *state;
  node_at(fx, fx->pair.a, fx->pair.b);
  peer_t *p = fx->p;
  static const uint8_t garbage[] = {0xc1, 0x00, 0x17};
  rv__sync_message(&fx->n, p, garbage, sizeof garbage);
  assert_string_equal(p->refused, "sent a message that is not one of the protocol's");
  assert_true(tn_logged("refused: sent a message that is not one of the protocol's"));

  /* Refused: a valid vector is ignored, nothing is sent. */
  tn_clear();
  deliver_vector(fx, fx->pair.b);
  assert_int_equal(tn_sent_count(), 0);
  assert_null(rv__peer_set(p, &fx->pair.set));

  /* Once the refusal is over, a batch of a set not shared refuses again. */
  p->refused[0] = '\0';
  rv_set_id_t stranger = fx->pair.set;
  stranger.b[0] ^= 0x5a;
  tn_recs(fx->enc, &stranger, NULL, 0);
  deliver(fx);
  assert_string_equal(p->refused, "sent records of a set not shared with them");

  /* A record that is not one refuses too. */
  p->refused[0] = '\0';
  rv_raw_t junk = {.p = garbage, .n = sizeof garbage};
  tn_recs(fx->enc, &fx->pair.set, &junk, 1);
  deliver(fx);
  assert_string_equal(p->refused, "sent a malformed record");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_vector_sets_the_belief, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_gap_left_out_and_asked_again, fixture_setup,
                                      fixture_teardown),
      cmocka_unit_test_setup_teardown(test_protocol_breach_refuses, fixture_setup,
                                      fixture_teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
