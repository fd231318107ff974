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

/* ---- helpers --------------------------------------------------------- */

/* Delivers the message in enc to n as from p. */
static void deliver(rv_node_t *n, peer_t *p, rv_enc_t *enc) {
  size_t len;
  const uint8_t *body = rv_enc_data(enc, &len);
  rv__sync_message(n, p, body, len);
}

/* The peer's vector, as it sends it. */
static void send_vector(rv_node_t *n, peer_t *p, rv_home_t *of, const rv_set_id_t *set,
                        rv_enc_t *enc) {
  size_t k;
  rv_vv_t *vv = tn_home_vv(of, set, &k);
  tn_vv(enc, set, vv, k);
  free(vv);
  deliver(n, p, enc);
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
  tu_pair_t *pair = *state;
  rv_node_t n;
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  tu_set_topic(pair->a, &pair->set, "one");
  tu_set_topic(pair->a, &pair->set, "two");
  size_t nb, na;
  rv_vv_t *bvv = tn_home_vv(pair->b, &pair->set, &nb);
  rv_vv_t *avv = tn_home_vv(pair->a, &pair->set, &na);
  tu_recs_t lacking = {0};
  tu_recs_missing(pair->a, &pair->set, bvv, nb, &lacking);
  assert_true(lacking.n >= 2);

  tn_node_init(&n, pair->a);
  peer_t *p = tn_peer(&n, pair->b);
  send_vector(&n, p, pair->b, &pair->set, enc);
  assert_null(p->refused[0] ? p->refused : NULL);
  peer_set_t *ps = rv__peer_set(p, &pair->set);
  assert_non_null(ps);
  assert_true(ps->known);
  assert_false(ps->pending); /* all of it went */
  assert_int_equal(records_sent(), lacking.n);
  assert_int_equal(p->sent, lacking.n);
  /* They are now believed to hold what this home holds. */
  for (size_t i = 0; i < na; i++)
    assert_int_equal(rv__belief_seq(ps, &avv[i].author), avv[i].seq);

  /* The batch was lost: their next vector says what they hold, which
   * resets the belief, and the records go again. */
  tn_clear();
  send_vector(&n, p, pair->b, &pair->set, enc);
  assert_int_equal(records_sent(), lacking.n);
  /* A vector showing everything: nothing to send. */
  tn_clear();
  tn_vv(enc, &pair->set, avv, na);
  deliver(&n, p, enc);
  assert_int_equal(tn_sent_count(), 0);

  free(bvv);
  free(avv);
  tu_recs_release(&lacking);
  rv_enc_destroy(&enc);
  tn_node_release(&n);
}

/* ---- the gap rule -------------------------------------------------------- */

static void test_gap_left_out_and_asked_again(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  tu_set_topic(pair->a, &pair->set, "one");
  tu_set_topic(pair->a, &pair->set, "two");
  tu_set_topic(pair->a, &pair->set, "three");
  size_t nb;
  rv_vv_t *bvv = tn_home_vv(pair->b, &pair->set, &nb);
  tu_recs_t lacking = {0};
  tu_recs_missing(pair->a, &pair->set, bvv, nb, &lacking);
  assert_int_equal(lacking.n, 3); /* Ada's three, in order */
  size_t held = tu_record_count(pair->b);

  tn_node_init(&n, pair->b);
  peer_t *p = tn_peer(&n, pair->a);
  /* The first record of the run is missing: the run is left out. */
  tn_recs(enc, &pair->set, lacking.v + 1, 2);
  deliver(&n, p, enc);
  assert_int_equal(p->refused[0], '\0');
  assert_int_equal(tu_record_count(pair->b), held);
  assert_int_equal(vectors_sent(), 1); /* this home's vector: their belief resets */
  assert_true(tn_logged("a batch out of order"));
  peer_set_t *ps = rv__peer_set(p, &pair->set);
  assert_non_null(ps);
  assert_false(ps->ask);
  /* They hold what they sent, whatever became of it here. */
  rv_set_id_t set;
  rv_vv_t last;
  tu_check(0, rv_peer_record_author(n.place_dec, lacking.v[2].p, lacking.v[2].n, &set, &last));
  assert_int_equal(rv__belief_seq(ps, &last.author), last.seq);

  /* Again at once: not asked twice within RV_ASK_AGAIN_MS, but noted for
   * the tick. */
  tn_clear();
  deliver(&n, p, enc);
  assert_int_equal(vectors_sent(), 0);
  assert_true(ps->ask);

  /* The whole run: stored. */
  tn_clear();
  tn_recs(enc, &pair->set, lacking.v, lacking.n);
  deliver(&n, p, enc);
  assert_int_equal(tu_record_count(pair->b), held + 3);
  assert_int_equal(p->received, 3);
  assert_true(tn_logged("synced 3 records from"));

  free(bvv);
  tu_recs_release(&lacking);
  rv_enc_destroy(&enc);
  tn_node_release(&n);
}

/* ---- refusals ------------------------------------------------------------- */

static void test_protocol_breach_refuses(void **state) {
  tu_pair_t *pair = *state;
  rv_node_t n;
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  tn_node_init(&n, pair->a);
  peer_t *p = tn_peer(&n, pair->b);

  static const uint8_t garbage[] = {0xc1, 0x00, 0x17};
  rv__sync_message(&n, p, garbage, sizeof garbage);
  assert_string_equal(p->refused, "sent a message that is not one of the protocol's");
  assert_true(tn_logged("refused: sent a message that is not one of the protocol's"));

  /* Refused: a valid vector is ignored, nothing is sent. */
  tn_clear();
  send_vector(&n, p, pair->b, &pair->set, enc);
  assert_int_equal(tn_sent_count(), 0);
  assert_null(rv__peer_set(p, &pair->set));

  /* Once the refusal is over, a batch of a set not shared refuses again. */
  p->refused[0] = '\0';
  rv_set_id_t stranger = pair->set;
  stranger.b[0] ^= 0x5a;
  tn_recs(enc, &stranger, NULL, 0);
  deliver(&n, p, enc);
  assert_string_equal(p->refused, "sent records of a set not shared with them");

  /* A record that is not one refuses too. */
  p->refused[0] = '\0';
  rv_raw_t junk = {.p = garbage, .n = sizeof garbage};
  tn_recs(enc, &pair->set, &junk, 1);
  deliver(&n, p, enc);
  assert_string_equal(p->refused, "sent a malformed record");
  rv_enc_destroy(&enc);
  tn_node_release(&n);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_vector_sets_the_belief, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_gap_left_out_and_asked_again, tu_pair_setup,
                                      tu_pair_teardown),
      cmocka_unit_test_setup_teardown(test_protocol_breach_refuses, tu_pair_setup,
                                      tu_pair_teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
