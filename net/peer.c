/*
 * The node's bookkeeping of its peers, below everything else in net/ that
 * speaks to them: the peer table, what each peer is believed to hold of
 * the sets in common (its "belief", grown by what was sent and received,
 * reset by the vectors it sends), refusals, whether a connection is live,
 * and the node's log. No socket is touched here: closing a refused peer's
 * connection goes through the node's operations (node_ops_t).
 */
#include "internal.h"

#include "revans/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rv__node_log(rv_node_t *n, const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n->cfg.log)
    n->cfg.log(n->cfg.log_ctx, line);
}

void rv__short_id(char out[RV_SHORT_ID_SIZE], const rv_member_id_t *id) {
  rv_hex(out, id->b, (RV_SHORT_ID_SIZE - 1) / 2);
}

/* ---- the table ---------------------------------------------------------- */

peer_t *rv__peer_find(rv_node_t *n, const rv_member_id_t *id) {
  for (size_t i = 0; i < n->npeers; i++)
    if (memcmp(n->peers[i]->id.b, id->b, RV_ID_LEN) == 0)
      return n->peers[i];
  return NULL;
}

peer_t *rv__peer_add(rv_node_t *n, const rv_member_id_t *id) {
  peer_t *p = rv__peer_find(n, id);
  if (p)
    return p;
  if (n->npeers == RV_NODE_PEERS_MAX)
    return NULL;
  p = calloc(1, sizeof *p);
  if (!p)
    return NULL;
  p->id = *id;
  p->found_ms = rv_now_ms();
  n->peers[n->npeers++] = p;
  return p;
}

void rv__peer_free(peer_t *p) {
  while (p->nsets)
    rv__peer_set_drop(p, p->nsets - 1);
  free(p->sets);
  free(p);
}

void rv__peer_refuse(rv_node_t *n, peer_t *p, const char *why) {
  char id[RV_SHORT_ID_SIZE];
  rv__short_id(id, &p->id);
  if (!p->refused[0])
    rv__node_log(n, "peer %s refused: %s", id, why);
  snprintf(p->refused, sizeof p->refused, "%s", why);
  p->refused_until_ms = rv_now_ms() + RV_REFUSE_MS;
  p->greeted = p->hello_sent = false;
  n->ops->unwatch(n, p);
  p->rid_len = 0;
  p->owe_answers = 0;
  for (size_t i = 0; i < p->nsets; i++)
    p->sets[i].pending = false;
}

bool rv__peer_live(const peer_t *p, uint64_t now_ms) {
  if (p->refused[0] || !p->greeted)
    return false;
  /* This node's own connection: answered, and no ping waiting long. */
  if (p->dealer && p->dealer_ok && (!p->unanswered_ms || now_ms - p->unanswered_ms < RV_SILENT_MS))
    return true;
  /* Theirs: they ping on it while it is quiet; a message to a connection
   * that is gone is not taken (ROUTER_MANDATORY: rid_len is cleared). */
  return p->rid_len &&
         (now_ms - p->last_msg_ms < RV_LIVE_MS || now_ms - p->router_sent_ms < RV_LIVE_MS);
}

/* ---- the sets in common, and what they hold of each --------------------- */

peer_set_t *rv__peer_set(peer_t *p, const rv_set_id_t *set) {
  for (size_t i = 0; i < p->nsets; i++)
    if (memcmp(p->sets[i].set.b, set->b, RV_SETID_LEN) == 0)
      return &p->sets[i];
  return NULL;
}

int rv__peer_set_add(peer_t *p, const rv_set_id_t *set) {
  peer_set_t *v = realloc(p->sets, (p->nsets + 1) * sizeof *v);
  if (!v)
    return RV_ENOMEM;
  p->sets = v;
  memset(&v[p->nsets], 0, sizeof v[p->nsets]);
  v[p->nsets].set = *set;
  p->nsets++;
  return 0;
}

void rv__peer_set_drop(peer_t *p, size_t i) {
  free(p->sets[i].theirs);
  free(p->sets[i].resent);
  p->sets[i] = p->sets[--p->nsets];
}

int rv__belief_raise(peer_set_t *ps, const rv_vv_t *place) {
  for (size_t i = 0; i < ps->ntheirs; i++)
    if (memcmp(ps->theirs[i].author.b, place->author.b, RV_ID_LEN) == 0) {
      if (place->seq > ps->theirs[i].seq)
        ps->theirs[i] = *place;
      return 0;
    }
  if (ps->ntheirs == RV_SYNC_VV_MAX)
    return RV_ETOOBIG;
  if (ps->ntheirs == ps->cap) {
    size_t cap = ps->cap ? 2 * ps->cap : 8;
    rv_vv_t *v = realloc(ps->theirs, cap * sizeof *v);
    if (!v)
      return RV_ENOMEM;
    ps->theirs = v;
    ps->cap = cap;
  }
  ps->theirs[ps->ntheirs++] = *place;
  return 0;
}

uint64_t rv__belief_seq(const peer_set_t *ps, const rv_member_id_t *author) {
  for (size_t i = 0; i < ps->ntheirs; i++)
    if (memcmp(ps->theirs[i].author.b, author->b, RV_ID_LEN) == 0)
      return ps->theirs[i].seq;
  return 0;
}

void rv__belief_reset(peer_set_t *ps) { ps->ntheirs = 0; }
