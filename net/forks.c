/*
 * Forks between nodes (format.md, "Forks"), the two ways the protocol
 * spreads them: the evidence this home holds goes to every peer as
 * records (rv__forks_send), and a peer's vector whose head differs from
 * the record held here at that position shows a fork neither side has
 * seen, for which that author's chain goes to them again from the first
 * (rv__forks_unseen). Below sync.c; sends through batch.c.
 */
#include "internal.h"

#include "revans/error.h"
#include "revans/record.h"

#include <stdlib.h>
#include <string.h>

/* ---- the evidence this home holds ---------------------------------------- */

/* What this home knows of forks goes to every peer, as records: for each
 * fork of the set (format.md, "Forks"), the record held at that position
 * and the other one. Whichever of the two the peer holds, the other is
 * contested there, proves itself by its signature and its body, and the
 * peer keeps the author's records from that position on out of its state,
 * as this home does: without it, a peer that got only one of the two from
 * the forking member or from this node would fold it, and the two states
 * would differ for good. Sent once the peer holds the position (after what
 * it lacked of the chains), and again whenever the set's forks change. */
typedef struct evidence {
  rv_node_t *n;
  peer_set_t *ps;
  rv_vv_t *mine; /* this home's vector: positions are looked up through it */
  size_t nmine;
  size_t seen, pairs, count, bytes;
  /* The record held at a fork's position and, when its own signature
   * fails, those above it up to one that verifies (held_ok): pointers
   * into the read transaction. */
  const uint8_t *held[1 + RV_VOUCHERS_MAX];
  size_t held_len[1 + RV_VOUCHERS_MAX], nheld;
  bool held_ok;
} evidence_t;

/* The most a fork's records take in a batch: the record held, the other,
 * and the vouchers of each. */
#define EVIDENCE_MAX_RECORDS (2 * (1 + RV_VOUCHERS_MAX))
#define EVIDENCE_MAX_BYTES ((size_t)EVIDENCE_MAX_RECORDS * RV_RECORD_MAX)

/* Counts forks (rv_log_forks), or envelopes (rv_log_fork_split). */
static int count_fork(void *ctx, const uint8_t *raw, size_t len) {
  (void)raw;
  (void)len;
  ++*(size_t *)ctx;
  return 0;
}

/* The record held at the fork's position: the first of its author's that a
 * peer holding one less would lack. */
static int held_one(void *ctx, const uint8_t *raw, size_t len) {
  evidence_t *e = ctx;
  e->held[e->nheld] = raw;
  e->held_len[e->nheld++] = len;
  if (rv_peer_record_signed(e->n->place_dec, raw, len) != RV_EAUTH) {
    e->held_ok = true;
    return 1;
  }
  return e->nheld == sizeof e->held / sizeof e->held[0] ? 1 : 0;
}

static int batch_envelope(void *ctx, const uint8_t *raw, size_t len) {
  evidence_t *e = ctx;
  rv_enc_bin(e->n->batch, raw, len);
  e->bytes += len;
  e->count++;
  return 0;
}

/* One fork (rv_log_forks: its record, then what vouches for it). */
static int evidence_one(void *ctx, const uint8_t *raw, size_t len) {
  evidence_t *e = ctx;
  rv_set_id_t set;
  rv_vv_t place;
  size_t first, nenv = 0;
  if (e->seen++ < e->ps->forks_sent)
    return 0; /* sent already */
  if (rv_dec_scan_prefix(raw, len, &first) < 0 ||
      rv_log_fork_split(raw, len, count_fork, &nenv) < 0 ||
      rv_peer_record_author(e->n->place_dec, raw, first, &set, &place) < 0)
    return RV_ECORRUPT;
  if (nenv > 1 + RV_VOUCHERS_MAX || len > (1 + RV_VOUCHERS_MAX) * (size_t)RV_RECORD_MAX)
    return RV_ECORRUPT; /* more than core keeps */
  if (e->pairs && (e->count + EVIDENCE_MAX_RECORDS > RV_SYNC_BATCH_RECORDS ||
                   e->bytes + EVIDENCE_MAX_BYTES > RV_SYNC_BYTES_MAX))
    return 1; /* the rest in the next batch */
  /* Only where they hold a record already (else the pair would be a gap
   * in their chain): the next turn, once the chain has gone. */
  if (rv__belief_seq(e->ps, &place.author) < place.seq)
    return 1;
  size_t i = 0;
  while (i < e->nmine && memcmp(e->mine[i].author.b, place.author.b, RV_ID_LEN) != 0)
    i++;
  if (i == e->nmine || e->mine[i].seq < place.seq)
    return RV_ECORRUPT; /* a fork is only ever kept beside a record held */
  uint64_t head = e->mine[i].seq;
  e->mine[i].seq = place.seq - 1;
  e->nheld = 0;
  e->held_ok = false;
  int r = rv_log_missing(e->n->home, &e->ps->set, e->mine, e->nmine, held_one, e);
  e->mine[i].seq = head;
  if (r < 0)
    return r;
  if (e->nheld == 0)
    return RV_ECORRUPT;
  /* The record held here goes with the other (the peer may hold either);
   * when its own signature fails, with the records above it that vouch
   * for it, as a peer holding the other checks it (format.md, "Forks").
   * With none within reach, it does not go: a peer holding the same record
   * as this home learns the fork from the other all the same. */
  for (size_t k = 0; e->held_ok && k < e->nheld; k++) {
    rv_enc_bin(e->n->batch, e->held[k], e->held_len[k]);
    e->bytes += e->held_len[k];
    e->count++;
  }
  if ((r = rv_log_fork_split(raw, len, batch_envelope, e)) < 0)
    return r;
  e->pairs++;
  return 0;
}

int rv__forks_send(rv_node_t *n, peer_t *p, peer_set_t *ps) {
  for (;;) {
    evidence_t e = {.n = n, .ps = ps};
    size_t total = 0;
    int r;
    if ((r = rv_home_begin(n->home, false)) < 0)
      return r;
    if ((r = rv_log_forks(n->home, &ps->set, count_fork, &total)) < 0) {
      rv_home_abort(n->home);
      return r;
    }
    if (total != ps->forks_total) {
      ps->forks_total = total; /* changed: all of it again, from the first */
      ps->forks_sent = 0;
    }
    if (ps->forks_sent >= total) {
      rv_home_abort(n->home);
      return 0;
    }
    rv_enc_reset(n->batch);
    r = rv_log_vv(n->home, &ps->set, &e.mine, &e.nmine);
    if (r == 0)
      r = rv_log_forks(n->home, &ps->set, evidence_one, &e);
    rv_home_abort(n->home);
    free(e.mine);
    if (r < 0 || rv_enc_status(n->batch) < 0) {
      rv__node_log(n, "cannot read the forks to send: %s", rv_strerror(r < 0 ? r : RV_ENOMEM));
      ps->forks_sent = total; /* not again until they change */
      return r < 0 ? r : RV_ENOMEM;
    }
    if (e.pairs == 0)
      return 0; /* they do not hold the position yet: tried on the next turn */
    if ((r = rv__batch_send(n, p, &ps->set, e.count)) != 0)
      return r;
    ps->forks_sent += e.pairs;
  }
}

/* ---- forks neither side has seen ----------------------------------------- */

/* A fork neither side has seen: the member gave each node another record
 * at one position, and their vector's head is not the record held here at
 * that position. Nothing else would show it (both hold "seq N"), and the
 * next record of ours would break their chain ("broken hash chain").
 * Their belief for that author drops to nothing, so that the author's
 * chain goes to them from the start: where the records differ, ours is
 * contested there and proves the fork (they keep the evidence, keep the
 * author out of their state from there on, and send the evidence back).
 * A fork known here at or below that position explains the difference:
 * then they are taken to hold the author's records as far as this home
 * does, since the rest of this branch cannot join their chain. */
typedef struct lookup {
  rv_node_t *n;
  const rv_member_id_t *author;
  uint64_t seq;
  rv_hash_t hash;
  bool found;
} lookup_t;

static int hash_first(void *ctx, const uint8_t *raw, size_t len) {
  lookup_t *l = ctx;
  l->found = rv_peer_record_hash(l->n->place_dec, raw, len, &l->hash) == 0;
  return 1;
}

static int fork_below(void *ctx, const uint8_t *raw, size_t len) {
  lookup_t *l = ctx;
  rv_set_id_t set;
  rv_vv_t place;
  size_t first; /* the fork's own record (rv_log_forks) */
  if (rv_dec_scan_prefix(raw, len, &first) == 0 &&
      rv_peer_record_author(l->n->place_dec, raw, first, &set, &place) == 0 &&
      memcmp(place.author.b, l->author->b, RV_ID_LEN) == 0 && place.seq <= l->seq) {
    l->found = true;
    return 1;
  }
  return 0;
}

/* Whether author's chain may go to them again from the first now (at most
 * once a minute per author: a member's program could claim a false head
 * for every author in every vector); if so, now is noted. */
static bool may_resend(peer_set_t *ps, const rv_member_id_t *author, uint64_t now) {
  size_t i = 0;
  while (i < ps->nresent && memcmp(ps->resent[i].author.b, author->b, RV_ID_LEN) != 0)
    i++;
  if (i < ps->nresent) {
    if (now - ps->resent[i].ms < RV_RESEND_CHAINS_MS)
      return false;
  } else {
    resent_t *v = realloc(ps->resent, (ps->nresent + 1) * sizeof *v);
    if (!v)
      return false;
    ps->resent = v;
    ps->resent[ps->nresent++].author = *author;
  }
  ps->resent[i].ms = now;
  return true;
}

void rv__forks_unseen(rv_node_t *n, peer_t *p, peer_set_t *ps) {
  rv_vv_t *mine = NULL;
  size_t k = 0;
  uint64_t now = rv_now_ms();
  if (rv_home_begin(n->home, false) < 0)
    return;
  if (rv_log_vv(n->home, &ps->set, &mine, &k) < 0) {
    rv_home_abort(n->home);
    return;
  }
  for (size_t i = 0; i < ps->ntheirs; i++) {
    rv_vv_t *t = &ps->theirs[i];
    size_t j = 0;
    while (j < k && memcmp(mine[j].author.b, t->author.b, RV_ID_LEN) != 0)
      j++;
    if (j == k || t->seq == 0 || t->seq > mine[j].seq)
      continue; /* they hold more: they compare */
    lookup_t l = {.n = n, .author = &t->author, .seq = t->seq, .hash = mine[j].head, .found = true};
    if (t->seq < mine[j].seq) {
      /* Ours at their head's position: the first they would lack below it. */
      uint64_t head = mine[j].seq;
      mine[j].seq = t->seq - 1;
      l.found = false;
      int r = rv_log_missing(n->home, &ps->set, mine, k, hash_first, &l);
      mine[j].seq = head;
      if (r < 0 || !l.found)
        continue;
    }
    if (memcmp(l.hash.b, t->head.b, RV_HASH_LEN) == 0)
      continue;
    l.found = false;
    if (rv_log_forks(n->home, &ps->set, fork_below, &l) < 0)
      continue;
    if (l.found) {
      /* Known: what follows on our branch would only be counted as the
       * other branch there, never stored. It is not sent again. */
      t->seq = mine[j].seq;
      continue;
    }
    if (!may_resend(ps, &t->author, now)) {
      /* Until the minute is up: nothing of that author goes to them (what
       * follows here would not link to the record they hold). */
      t->seq = mine[j].seq;
      continue;
    }
    char id[RV_SHORT_ID_SIZE], author[RV_SHORT_ID_SIZE];
    rv__short_id(id, &p->id);
    rv__short_id(author, &t->author);
    rv__node_log(n,
                 "peer %s holds another record of %s at %llu: a fork; that author's records"
                 " go to them from the first",
                 id, author, (unsigned long long)t->seq);
    t->seq = 0;
  }
  rv_home_abort(n->home);
  free(mine);
}
