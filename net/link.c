/*
 * This node's connections to a peer: its own DEALER (made here, pinged
 * while quiet, closed when silent) and the peer's connection to our
 * ROUTER, and the send path that picks between them. Watching a new
 * connection's descriptor is the loop's, asked through node_ops_t.
 */
#include "internal.h"

#include "revans/error.h"

#include <stdio.h>

void rv__link_hello(rv_node_t *n, bool answer_wanted) {
  rv_enc_reset(n->enc);
  rv_enc_array(n->enc, 3);
  rv_enc_cstr(n->enc, "hello");
  rv_enc_uint(n->enc, RV_SYNC_VERSION);
  rv_enc_bool(n->enc, answer_wanted);
}

int rv__link_ping(rv_node_t *n, peer_t *p) {
  size_t len;
  rv__link_hello(n, true);
  const uint8_t *body = rv_enc_data(n->enc, &len);
  if (rv_enc_status(n->enc) < 0)
    return RV_ENOMEM;
  return rv__sock_send(p->dealer, NULL, 0, body, len);
}

int rv__link_send(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len) {
  /* Our own connection, once a message came back on it (until then it
   * may lead nowhere: a wrong or replayed address), else theirs. */
  if (p->dealer && !p->via_router && (p->dealer_ok || !p->rid_len))
    return rv__sock_send(p->dealer, NULL, 0, body, len);
  if (p->rid_len && n->router) {
    int r = rv__sock_send(n->router, p->rid, p->rid_len, body, len);
    if (r == 0)
      p->router_sent_ms = rv_now_ms();
    if (r == RV_ENOTFOUND)
      p->rid_len = 0; /* that connection is gone */
    if (r != RV_ENOTFOUND || !p->dealer)
      return r;
  }
  if (p->dealer)
    return rv__sock_send(p->dealer, NULL, 0, body, len);
  return RV_ENOTFOUND;
}

int rv__peer_connect(rv_node_t *n, peer_t *p, const char *address) {
  uint8_t server_pk[32];
  int r;
  if (p->dealer || p->refused[0])
    return 0;
  if ((r = rv_sign_to_curve(p->id.b, NULL, server_pk, NULL)) < 0)
    return r;
  if ((r = rv__wire_connect(n->wire, address, server_pk, n->pk, n->sk, &p->dealer)) < 0)
    return r;
  snprintf(p->address, sizeof p->address, "%s", address);
  p->dealer_ok = false;
  if ((r = n->ops->watch(n, p)) < 0) {
    rv__sock_close(&p->dealer);
    return r;
  }
  /* The hello waits in the socket's queue until the connection is up. */
  uint64_t now = rv_now_ms();
  p->hello_sent = rv__link_ping(n, p) == 0;
  p->pings = p->hello_sent ? 1 : 0;
  p->dealer_heard_ms = p->ping_ms = p->last_vv_ms = now;
  p->unanswered_ms = 0; /* the connection's first moments are not held against it */
  return 0;
}

void rv__peer_disconnect(rv_node_t *n, peer_t *p) {
  n->ops->unwatch(n, p);
  p->dealer_ok = p->hello_sent = false;
  p->unanswered_ms = 0;
  p->pings = 0;
  /* What was queued on it is lost, though counted as theirs: nothing
   * more until their vector says what they hold (they send it on the
   * hello of the next connection, and every RV_SYNC_RESEND_MS). */
  for (size_t i = 0; i < p->nsets; i++)
    p->sets[i].known = p->sets[i].pending = false;
}

bool rv__peer_silent(const peer_t *p, uint64_t now_ms, uint64_t ms) {
  bool in, out;
  /* Only a connection that worked: one that never did is left to
   * ZeroMQ's own attempts (a peer away, or one that does not admit us). */
  if (!p->dealer || !p->dealer_ok || !p->unanswered_ms || now_ms - p->unanswered_ms < ms)
    return false;
  /* Their answer may be waiting here, behind this node's own delay. */
  rv__sock_events(p->dealer, &in, &out);
  return !in;
}

/* ---- a node without a loop ------------------------------------------------ */

static int watch_none(rv_node_t *n, peer_t *p) {
  (void)n;
  (void)p;
  return RV_EIO;
}

static void unwatch_none(rv_node_t *n, peer_t *p) {
  (void)n;
  rv__sock_close(&p->dealer);
}

static int no_address(uint32_t *ret) {
  (void)ret;
  return RV_ENOTFOUND;
}

const node_ops_t rv__link_ops_unlooped = {
    .watch = watch_none,
    .unwatch = unwatch_none,
    .send = rv__link_send,
    .first_address = no_address,
};
