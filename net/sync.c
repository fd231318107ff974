/*
 * The sync protocol between two nodes (docs/protocol.md): after "hello",
 * each side sends its version vector ("vv") for every set the two share;
 * each answers a version vector with the records the other lacks, in
 * bounded "recs" batches as fast as the peer's queue takes them; records
 * written or received later are pushed at once to every peer whose
 * holdings are known. Records are ingested with chain verification; a
 * peer that sends what cannot be accepted is refused from then on. net/
 * moves envelopes and never opens a body.
 */
#include "internal.h"

#include "revans/error.h"
#include "revans/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- what a peer holds ----------------------------------------------- */

/* The sets this node shares with p, refreshed from the states (a member
 * may have joined or been removed since). */
static int refresh_sets(rv_node_t *n, peer_t *p) {
  rv_set_id_t *sets = NULL;
  size_t k = 0;
  int r;
  if ((r = rv_home_begin(n->home, false)) < 0)
    return r;
  r = rv_peer_common_sets(n->home, &p->id, &sets, &k);
  rv_home_abort(n->home);
  if (r < 0)
    return r;
  if (k > RV_SYNC_SETS_MAX)
    k = RV_SYNC_SETS_MAX;
  for (size_t i = 0; i < k; i++) {
    if (rv__peer_set(p, &sets[i]))
      continue;
    if (rv__peer_set_add(p, &sets[i]) < 0) {
      free(sets);
      return RV_ENOMEM;
    }
  }
  /* Sets no longer shared are forgotten. */
  for (size_t i = 0; i < p->nsets;) {
    bool still = false;
    for (size_t j = 0; j < k && !still; j++)
      still = memcmp(sets[j].b, p->sets[i].set.b, RV_SETID_LEN) == 0;
    if (still) {
      i++;
      continue;
    }
    rv__peer_set_drop(p, i);
  }
  free(sets);
  return 0;
}

/* The set's belief, found again once before a batch of a set not known
 * in common is refused: the sets in common are known only once a vector
 * was sent or heard, and a peer that sends records first (it need not say
 * hello), or in a set shared since, is looked up again. */
static peer_set_t *shared_set(rv_node_t *n, peer_t *p, const rv_set_id_t *set) {
  peer_set_t *ps = rv__peer_set(p, set);
  if (!ps && refresh_sets(n, p) == 0)
    ps = rv__peer_set(p, set);
  return ps;
}

/* ---- sending ----------------------------------------------------------- */

static int send_enc(rv_node_t *n, peer_t *p) {
  size_t len;
  const uint8_t *body = rv_enc_data(n->enc, &len);
  if (rv_enc_status(n->enc) < 0)
    return RV_ENOMEM;
  return n->ops->send(n, p, body, len);
}

static int send_hello(rv_node_t *n, peer_t *p, bool answer_wanted) {
  rv__link_hello(n, answer_wanted);
  return send_enc(n, p);
}

/* Sends the answers owed to their pings while their queue takes them
 * (on the connection p->via_router names). */
static void pay_answers(rv_node_t *n, peer_t *p) {
  int r = 0;
  while (p->owe_answers && (r = send_hello(n, p, false)) == 0)
    p->owe_answers--;
  if (r < 0)
    p->owe_answers = 0; /* the connection is gone: so are the pings */
}

static int send_vv(rv_node_t *n, peer_t *p, const rv_set_id_t *set) {
  rv_vv_t *vv = NULL;
  size_t k = 0;
  int r;
  if ((r = rv_home_begin(n->home, false)) < 0)
    return r;
  r = rv_log_vv(n->home, set, &vv, &k);
  rv_home_abort(n->home);
  if (r < 0)
    return r;
  if (k > RV_SYNC_VV_MAX)
    k = RV_SYNC_VV_MAX;
  rv_enc_reset(n->enc);
  rv_enc_array(n->enc, 3);
  rv_enc_cstr(n->enc, "vv");
  rv_enc_bin(n->enc, set->b, RV_SETID_LEN);
  rv_enc_array(n->enc, (uint32_t)k);
  for (size_t i = 0; i < k; i++) {
    rv_enc_array(n->enc, 3);
    rv_enc_bin(n->enc, vv[i].author.b, RV_ID_LEN);
    rv_enc_uint(n->enc, vv[i].seq);
    rv_enc_bin(n->enc, vv[i].head.b, RV_HASH_LEN);
  }
  free(vv);
  return send_enc(n, p);
}

static void send_all_vv(rv_node_t *n, peer_t *p) {
  if (refresh_sets(n, p) < 0)
    return;
  for (size_t i = 0; i < p->nsets; i++)
    if (send_vv(n, p, &p->sets[i].set) < 0)
      return;
  p->last_vv_ms = rv_now_ms();
}

/* Sends p what it lacks of ps, batch after batch, until nothing is left
 * (pending cleared) or its queue is full (pending kept: resumed when the
 * socket is writable). */
static void pump_set(rv_node_t *n, peer_t *p, peer_set_t *ps) {
  while (ps->pending && !p->refused[0]) {
    batch_t b;
    rv__batch_init(&b, n);
    if (rv_home_begin(n->home, false) < 0)
      return;
    int r = rv_log_missing(n->home, &ps->set, ps->theirs, ps->ntheirs, rv__batch_add, &b);
    rv_home_abort(n->home);
    if (r >= 0 && rv_enc_status(n->batch) == 0 && b.count)
      r = rv__batch_heads(&b);
    if (r < 0 || rv_enc_status(n->batch) < 0) {
      rv__node_log(n, "cannot read the log to send: %s", rv_strerror(r < 0 ? r : RV_ENOMEM));
      ps->pending = false;
      return;
    }
    if (b.count == 0) {
      /* Their chains are whole: then what this home knows of forks. */
      if (rv__forks_send(n, p, ps) != 1)
        ps->pending = false;
      return;
    }
    r = rv__batch_send(n, p, &ps->set, b.count);
    if (r == 1)
      return; /* their queue is full: resumed when writable */
    if (r < 0) {
      ps->pending = false;
      return;
    }
    for (size_t i = 0; i < b.nlast; i++)
      rv__belief_raise(ps, &b.last[i]);
    p->sent += b.count;
    n->result.sent += b.count;
  }
}

void rv__sync_pump(rv_node_t *n) {
  for (size_t i = 0; i < n->npeers; i++) {
    peer_t *p = n->peers[i];
    for (size_t k = 0; k < p->nsets; k++)
      if (p->sets[k].known)
        pump_set(n, p, &p->sets[k]);
  }
}

/* A peer shares no set with this node any more (removed, or this
 * person was): it gets nothing more and is dropped. */
static bool still_member(rv_node_t *n, peer_t *p) {
  if (refresh_sets(n, p) < 0 || p->nsets > 0)
    return true;
  return false;
}

void rv__sync_changed(rv_node_t *n) {
  for (size_t i = 0; i < n->npeers; i++) {
    peer_t *p = n->peers[i];
    if (p->refused[0])
      continue;
    if ((p->greeted || p->dealer) && !still_member(n, p)) {
      rv__peer_refuse(n, p, "is not a member of any set held here (removed?)");
      continue;
    }
    for (size_t k = 0; k < p->nsets; k++)
      if (p->sets[k].known)
        p->sets[k].pending = true;
  }
  rv__sync_pump(n);
}

/* ---- receiving ----------------------------------------------------------- */

/* [kind, set id, list of at most max]: vv and recs alike. */
static bool set_and_list(rv_val_t a, size_t max, rv_set_id_t *ret_set, rv_val_t *ret_list) {
  rv_val_t f;
  return rv_val_len(a) == 3 && rv_val_at(a, 1, &f) == 0 &&
         rv_val_bin_fixed(f, ret_set->b, RV_SETID_LEN) == 0 && rv_val_at(a, 2, ret_list) == 0 &&
         rv_val_kind(*ret_list) == RV_K_ARRAY && rv_val_len(*ret_list) <= max;
}

static void on_vv(rv_node_t *n, peer_t *p, rv_val_t a) {
  rv_val_t list;
  rv_set_id_t set;
  if (!set_and_list(a, RV_SYNC_VV_MAX, &set, &list)) {
    rv__peer_refuse(n, p, "sent a malformed version vector");
    return;
  }
  peer_set_t *ps = shared_set(n, p, &set);
  if (!ps)
    return; /* not a set we share (any more): they learn nothing from us */
  rv__belief_reset(ps);
  for (uint32_t i = 0; i < rv_val_len(list); i++) {
    rv_val_t e, x;
    rv_vv_t v;
    if (rv_val_at(list, i, &e) < 0 || rv_val_kind(e) != RV_K_ARRAY || rv_val_len(e) != 3 ||
        rv_val_at(e, 0, &x) < 0 || rv_val_bin_fixed(x, v.author.b, RV_ID_LEN) < 0 ||
        rv_val_at(e, 1, &x) < 0 || rv_val_uint(x, &v.seq) < 0 || rv_val_at(e, 2, &x) < 0 ||
        rv_val_bin_fixed(x, v.head.b, RV_HASH_LEN) < 0) {
      rv__peer_refuse(n, p, "sent a malformed version vector");
      return;
    }
    if (rv__belief_raise(ps, &v) < 0) {
      rv__peer_refuse(n, p, "sent a version vector of more authors than a set has");
      return;
    }
  }
  rv__forks_unseen(n, p, ps);
  ps->known = true;
  ps->pending = true;
  pump_set(n, p, ps);
}

/* One author's records in a batch: where they start, and the head held
 * here. */
typedef struct run {
  rv_member_id_t author;
  uint64_t first, held;
  bool gap; /* starts past the record after the head held: left out */
} run_t;

/* A batch received, on its way through on_recs: its records (borrowed
 * from the message being read), the run of each, and what ingesting them
 * did. */
typedef struct incoming {
  rv_set_id_t set;
  peer_set_t *ps;
  rv_raw_t *raws; /* the batch's records; after recs_ingest, the first take */
  size_t count;   /* records in the batch */
  size_t take;    /* records ingested (those of no run left out) */
  run_t *runs;    /* one per author in the batch */
  size_t nruns;
  size_t *run_of;         /* the run of each record, by its index in the batch */
  const run_t *gap;       /* the first run left out, or NULL */
  rv_ingest_report_t rep; /* zero when nothing was taken */
} incoming_t;

/* Notes where author's records start in the batch; the index of its run. */
static size_t run_note(incoming_t *in, const rv_vv_t *place) {
  size_t j = 0;
  while (j < in->nruns && memcmp(in->runs[j].author.b, place->author.b, RV_ID_LEN) != 0)
    j++;
  if (j == in->nruns) {
    in->runs[in->nruns].author = place->author;
    in->runs[in->nruns++].first = place->seq;
  } else if (place->seq < in->runs[j].first) {
    in->runs[j].first = place->seq;
  }
  return j;
}

/* Reads a "recs" message into in: 0; RV_EFORMAT with *why, the reason to
 * refuse the peer; RV_ENOMEM. Every record is read (a malformed one
 * refuses the peer); the belief that they hold it is raised from the
 * newest of each author only, the one record per author that needs
 * hashing: they hold it, whatever this node makes of it. */
static int recs_read(rv_node_t *n, peer_t *p, rv_val_t a, incoming_t *in, const char **why) {
  rv_val_t list;
  if (!set_and_list(a, RV_SYNC_RECS_MAX, &in->set, &list)) {
    *why = "sent a malformed batch of records";
    return RV_EFORMAT;
  }
  if (!(in->ps = shared_set(n, p, &in->set))) {
    *why = "sent records of a set not shared with them";
    return RV_EFORMAT;
  }
  in->count = in->take = rv_val_len(list);
  if (!in->count)
    return 0;
  in->raws = calloc(in->count, sizeof *in->raws);
  in->runs = calloc(in->count, sizeof *in->runs);
  in->run_of = calloc(in->count, sizeof *in->run_of);
  if (!in->raws || !in->runs || !in->run_of)
    return RV_ENOMEM;
  for (size_t k = in->count; k-- > 0;) { /* newest first */
    rv_val_t x;
    rv_set_id_t rs;
    rv_vv_t place;
    rv_raw_t *raw = &in->raws[k];
    if (rv_val_at(list, (uint32_t)k, &x) < 0 || rv_val_bin(x, &raw->p, &raw->n) < 0 ||
        rv_peer_record_author(n->place_dec, raw->p, raw->n, &rs, &place) < 0 ||
        memcmp(rs.b, in->set.b, RV_SETID_LEN) != 0) {
      *why = "sent a malformed record";
      return RV_EFORMAT;
    }
    in->run_of[k] = run_note(in, &place);
    if (rv__belief_seq(in->ps, &place.author) >= place.seq)
      continue;
    if (rv_peer_record_hash(n->place_dec, raw->p, raw->n, &place.head) < 0 ||
        rv__belief_raise(in->ps, &place) < 0) {
      *why = "sent records of more authors than a set has";
      return RV_EFORMAT;
    }
  }
  return 0;
}

/* The gap rule. A run that starts past the record after this home's head
 * is not theirs to fill: a batch before it was lost with a connection, or
 * is still on its way by the other connection between the two nodes. That
 * run is left out (nothing else would join it to the chain held here):
 * the records taken move to the front of in->raws. In a transaction. */
static int recs_leave_out_gaps(rv_node_t *n, incoming_t *in) {
  rv_vv_t *mine = NULL;
  size_t nmine = 0;
  int r = rv_log_vv(n->home, &in->set, &mine, &nmine);
  for (size_t j = 0; r == 0 && j < in->nruns; j++) {
    run_t *run = &in->runs[j];
    for (size_t i = 0; i < nmine; i++)
      if (memcmp(mine[i].author.b, run->author.b, RV_ID_LEN) == 0)
        run->held = mine[i].seq;
    run->gap = run->first > run->held + 1;
    if (run->gap && !in->gap)
      in->gap = run;
  }
  free(mine);
  if (r == 0 && in->gap) {
    in->take = 0;
    for (size_t k = 0; k < in->count; k++)
      if (!in->runs[in->run_of[k]].gap)
        in->raws[in->take++] = in->raws[k];
  }
  return r;
}

/* Stores what the batch may give, in one write transaction: rv_log_ingest's
 * result (RV_EFORMAT, RV_EAUTH, RV_ECHAIN and RV_EFORK: the batch failed
 * verification, nothing stored). */
static int recs_ingest(rv_node_t *n, incoming_t *in) {
  int r = rv_home_begin(n->home, true);
  if (r < 0)
    return r;
  r = recs_leave_out_gaps(n, in);
  if (r == 0 && in->take)
    r = rv_log_ingest(n->home, in->raws, in->take, &in->rep);
  if (r == 0 && in->take)
    return rv_home_commit(n->home);
  rv_home_abort(n->home);
  return r;
}

/* A run left out, out of order or cut back: they are sent this home's
 * vector, which resets their belief, on the connection the batch came by
 * (at most every RV_ASK_AGAIN_MS: else the tick asks again, as the last
 * ask may not have been answered yet). */
static void recs_ask_again(rv_node_t *n, peer_t *p, incoming_t *in) {
  peer_set_t *ps = in->ps;
  if (!in->gap && !in->rep.unvouched)
    return;
  uint64_t now = rv_now_ms();
  if (now - ps->asked_ms < RV_ASK_AGAIN_MS) {
    ps->ask = true;
    return;
  }
  char id[RV_SHORT_ID_SIZE], author[RV_SHORT_ID_SIZE];
  rv__short_id(id, &p->id);
  if (in->gap) {
    rv__short_id(author, &in->gap->author);
    rv__node_log(n, "peer %s: a batch out of order (%s from %llu, held %llu); asked again", id,
                 author, (unsigned long long)in->gap->first, (unsigned long long)in->gap->held);
  }
  if (in->rep.unvouched)
    rv__node_log(n,
                 "peer %s: %zu records left out, no signature in the batch vouches for"
                 " them; asked again",
                 id, in->rep.unvouched);
  ps->ask = send_vv(n, p, &in->set) != 0;
  ps->asked_ms = now;
}

/* What a batch taken changed, as ingest reported it: counted and logged;
 * the other peers may lack the records, or the evidence of a fork. */
static void recs_report(rv_node_t *n, peer_t *p, const rv_ingest_report_t *rep) {
  char id[RV_SHORT_ID_SIZE];
  rv__short_id(id, &p->id);
  p->received += rep->added;
  n->result.received += rep->added;
  p->last_sync_ms = rv_now_ms();
  if (rep->forks_new)
    rv__node_log(n, "peer %s: %zu forked records kept as evidence", id, rep->forks_new);
  if (rep->added)
    rv__node_log(n, "synced %zu records from %s", rep->added, id);
  if (rep->kept_out)
    rv__node_log(n,
                 "peer %s: %llu records kept out of the state (a removed or forked author's,"
                 " or not valid where they fall)",
                 id, (unsigned long long)rep->kept_out);
  if (rep->added || rep->forks_new)
    rv__sync_changed(n);
}

/* ["recs", set, [record...]]: parse, ingest, log. */
static void on_recs(rv_node_t *n, peer_t *p, rv_val_t a) {
  incoming_t in;
  const char *why = NULL;
  char failed[128];
  memset(&in, 0, sizeof in);
  int r = recs_read(n, p, a, &in, &why);
  if (r < 0)
    goto out;
  r = recs_ingest(n, &in);
  if (r == RV_EFORMAT || r == RV_EAUTH || r == RV_ECHAIN || r == RV_EFORK) {
    snprintf(failed, sizeof failed, "sent records that failed verification (%s)", rv_strerror(r));
    why = failed;
    goto out;
  }
  if (r < 0) {
    rv__node_log(n, "cannot store records: %s", rv_strerror(r));
    goto out;
  }
  recs_ask_again(n, p, &in);
  if (in.take)
    recs_report(n, p, &in.rep);
out:
  free(in.raws);
  free(in.runs);
  free(in.run_of);
  if (why)
    rv__peer_refuse(n, p, why);
}

void rv__sync_message(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len) {
  rv_val_t a, f;
  if (p->refused[0])
    return;
  p->last_msg_ms = rv_now_ms();
  if (rv_dec_parse_bounded(n->dec, body, len, RV_SYNC_MSG_VALUES, &a) < 0 ||
      rv_val_kind(a) != RV_K_ARRAY || rv_val_len(a) < 1 || rv_val_at(a, 0, &f) < 0) {
    rv__peer_refuse(n, p, "sent a message that is not one of the protocol's");
    return;
  }
  if (rv_val_is_str(f, "hello")) {
    uint64_t version = 0;
    bool answer = false;
    if (rv_val_len(a) != 3 || rv_val_at(a, 1, &f) < 0 || rv_val_uint(f, &version) < 0 ||
        version != RV_SYNC_VERSION || rv_val_at(a, 2, &f) < 0 || rv_val_bool(f, &answer) < 0) {
      rv__peer_refuse(n, p, "speaks another version of the protocol");
      return;
    }
    bool first = !p->greeted;
    p->greeted = true;
    /* A ping answered on this node's connection. Answers come in the
     * order of the pings: one with others still counted answers an
     * older ping, so the latest one is the one waited for (pings lost
     * with a dropped connection are so forgotten); once it is answered
     * too, the connection is live. */
    if (!answer && !p->via_router && p->dealer && p->pings) {
      if (--p->pings == 0) {
        p->unanswered_ms = 0;
      } else {
        p->pings = 1;
        if (p->unanswered_ms)
          p->unanswered_ms = p->ping_ms;
      }
    }
    /* Their ping's answer: if their queue is full, on the next tick (a
     * ping left unanswered would have them connect again). They count
     * their pings and wait for as many answers, so every one is owed. */
    if (answer && p->via_router) {
      if (p->owe_answers < RV_OWED_MAX)
        p->owe_answers++;
      pay_answers(n, p);
    } else if (answer) {
      send_hello(n, p, false);
    }
    if (first) {
      char id[RV_SHORT_ID_SIZE];
      rv__short_id(id, &p->id);
      rv__node_log(n, "peer %s connected%s%s", id, p->address[0] ? " at " : "", p->address);
    }
    send_all_vv(n, p);
  } else if (rv_val_is_str(f, "vv")) {
    p->greeted = true;
    on_vv(n, p, a);
  } else if (rv_val_is_str(f, "recs")) {
    p->greeted = true;
    on_recs(n, p, a);
  } else {
    rv__peer_refuse(n, p, "sent a message that is not one of the protocol's");
  }
}

void rv__sync_tick(rv_node_t *n, uint64_t now_ms) {
  for (size_t i = 0; i < n->npeers; i++) {
    peer_t *p = n->peers[i];
    if (p->refused[0] && now_ms >= p->refused_until_ms) {
      if (!still_member(n, p)) {
        p->refused_until_ms = now_ms + RV_REFUSE_MS;
        continue;
      }
      char id[RV_SHORT_ID_SIZE];
      rv__short_id(id, &p->id);
      rv__node_log(n, "peer %s may connect again", id);
      p->refused[0] = '\0';
    }
    if (p->refused[0])
      continue;
    if (rv__peer_silent(p, now_ms, RV_DEAD_MS)) {
      /* Nothing came back on this node's connection for a long while,
       * pings included: a cable pulled, a peer gone and back. Made
       * again (and a beacon of theirs does it sooner: node.c). */
      char id[RV_SHORT_ID_SIZE], address[sizeof p->address];
      rv__short_id(id, &p->id);
      snprintf(address, sizeof address, "%s", p->address);
      rv__node_log(n, "peer %s: nothing heard at %s for %llu s; connecting again", id, address,
                   (unsigned long long)((now_ms - p->dealer_heard_ms) / 1000));
      rv__peer_disconnect(n, p);
      if (rv__peer_connect(n, p, address) < 0)
        rv__node_log(n, "cannot connect to %s", address);
    } else if (p->dealer && (!p->hello_sent || (now_ms - p->dealer_heard_ms >= RV_PING_MS &&
                                                now_ms - p->ping_ms >= RV_PING_MS))) {
      /* Not answered yet, or quiet: a ping. One that does not fit in the
       * queue (full: the peer is slow, or the connection is stuck) is
       * tried on the next tick; the kernel's keepalive and retransmission
       * timeout reap a connection stuck for good (wire.c). */
      if (rv__link_ping(n, p) == 0) {
        p->hello_sent = true;
        p->ping_ms = now_ms;
        p->pings++;
        if (!p->unanswered_ms)
          p->unanswered_ms = now_ms;
      }
    }
    if (p->owe_answers && p->rid_len) {
      p->via_router = true;
      pay_answers(n, p);
      p->via_router = false;
    }
    if (p->greeted && now_ms - p->last_vv_ms > RV_SYNC_RESEND_MS)
      send_all_vv(n, p);
    /* A batch out of order came while this node's vector was on its way:
     * asked again, once the last ask had time to be answered. */
    for (size_t k = 0; k < p->nsets && !p->refused[0]; k++) {
      peer_set_t *ps = &p->sets[k];
      if (ps->ask && now_ms - ps->asked_ms >= RV_ASK_AGAIN_MS && send_vv(n, p, &ps->set) == 0) {
        ps->ask = false;
        ps->asked_ms = now_ms;
      }
    }
  }
  rv__sync_pump(n);
}

/* Whether their version vector shows records this home lacks. */
static bool they_are_ahead(rv_node_t *n, const peer_set_t *ps) {
  rv_vv_t *mine = NULL;
  size_t k = 0;
  bool ahead = false;
  if (rv_home_begin(n->home, false) < 0)
    return true;
  int r = rv_log_vv(n->home, &ps->set, &mine, &k);
  rv_home_abort(n->home);
  if (r < 0)
    return true;
  for (size_t i = 0; i < ps->ntheirs && !ahead; i++) {
    uint64_t have = 0;
    for (size_t j = 0; j < k; j++)
      if (memcmp(mine[j].author.b, ps->theirs[i].author.b, RV_ID_LEN) == 0)
        have = mine[j].seq;
    ahead = ps->theirs[i].seq > have;
  }
  free(mine);
  return ahead;
}

bool rv__sync_settled(rv_node_t *n) {
  size_t reached = 0;
  for (size_t i = 0; i < n->npeers; i++) {
    peer_t *p = n->peers[i];
    if (p->refused[0] || !p->greeted)
      continue;
    for (size_t k = 0; k < p->nsets; k++)
      if (!p->sets[k].known || p->sets[k].pending || they_are_ahead(n, &p->sets[k]))
        return false;
    reached++;
  }
  n->result.peers_reached = reached;
  return reached > 0;
}

bool rv__sync_admit(void *ctx, const uint8_t client_pk[32], const char *address, char *user,
                    size_t user_cap) {
  rv_node_t *n = ctx;
  uint64_t now = rv_now_ms();
  for (size_t i = 0; i < RV_INVITES_MAX; i++) {
    invite_t *iv = &n->invites[i];
    if (iv->live && iv->expires_ms > now && memcmp(iv->pk, client_pk, 32) == 0) {
      /* The slot and the invitation's own number: a connection admitted
       * for one invitation never speaks for a later one in that slot. */
      snprintf(user, user_cap, "invite:%zu:%08x", i, (unsigned)iv->generation);
      return true;
    }
  }
  /* Members of any set held here, by their X25519 keys. */
  rv_set_id_t *sets = NULL;
  size_t k = 0;
  bool ok = false;
  if (rv_home_begin(n->home, false) < 0)
    return false;
  if (rv_set_list(n->home, &sets, &k) == 0) {
    for (size_t s = 0; s < k && !ok; s++) {
      const rv_state_t *st;
      if (rv_set_state(n->home, &sets[s], &st) < 0 || !rv_state_member(st, rv_home_self(n->home)))
        continue;
      for (size_t m = 0; m < st->nmembers && !ok; m++) {
        uint8_t pk[32];
        if (rv_sign_to_curve(st->members[m].id.b, NULL, pk, NULL) == 0 &&
            memcmp(pk, client_pk, 32) == 0 &&
            memcmp(st->members[m].id.b, rv_home_self(n->home)->b, RV_ID_LEN) != 0) {
          rv_hex(user, st->members[m].id.b, RV_ID_LEN);
          ok = user_cap > 2 * RV_ID_LEN;
        }
      }
    }
  }
  free(sets);
  rv_home_abort(n->home);
  if (!ok) {
    char key[RV_SHORT_ID_SIZE];
    rv_hex(key, client_pk, 8);
    rv__node_log(n, "refused a connection from %s: key %s is not a member of any set here", address,
                 key);
  }
  return ok;
}
