/*
 * The fold of the programme (core/programme.c): the contract, meetings and
 * their steps, the division of time, questions, actions and report-in.
 * Every permission is checked twice: the author's own home refuses to
 * write a record that breaks it (RV_EPERM), and a record forged past that
 * check (as a modified program would write it) and carried in a bundle is
 * stored by the other members but leaves their state exactly as it was.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "internal.h"
#include "internal_setctx.h"
#include "revans/fold.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

typedef struct trio {
  tu_pair_t p;  /* a: Ada, facilitator; b: Ben, member */
  rv_home_t *c; /* Cy, member */
} trio_t;

static int setup(void **state) {
  trio_t *t = calloc(1, sizeof *t);
  if (!t)
    return -1;
  tu_pair_init(&t->p, RV_ROLE_MEMBER);
  t->c = tu_home(t->p.root, "c", "Cy");
  tu_invite_join(t->p.a, t->c, &t->p.set, RV_ROLE_MEMBER);
  *state = t;
  return 0;
}

static int teardown(void **state) {
  trio_t *t = *state;
  rv_home_close(&t->c);
  tu_pair_release(&t->p);
  free(t);
  return 0;
}

/* Every home's records to every other home, twice round. */
static void exchange(trio_t *t) {
  rv_home_t *h[] = {t->p.a, t->p.b, t->c};
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < 3; i++) {
      rv_buf_t b;
      rv_buf_init(&b);
      tu_bundle(h[i], &b);
      for (size_t j = 0; j < 3; j++)
        if (j != i)
          tu_check(0, tu_apply(h[j], b.data, b.len, NULL));
      rv_buf_release(&b);
    }
}

/* Writes one record through the fold's checks; returns what append did. */
static int write(rv_home_t *h, const rv_set_id_t *set, rv_body_t b, const char **why) {
  tu_check(0, rv_home_begin(h, true));
  int r = rv_log_append(h, set, &b, why);
  if (r == 0)
    tu_check(0, rv_home_commit(h));
  else
    rv_home_abort(h);
  return r;
}

static void ok_write(rv_home_t *h, const rv_set_id_t *set, rv_body_t b) {
  const char *why = NULL;
  int r = write(h, set, b, &why);
  if (r != 0)
    print_error("refused: %s\n", why ? why : rv_strerror(r));
  tu_check(0, r);
}

/* Seals body as h's next record without asking the fold, as a modified
 * program would, and returns the envelope; h itself stores nothing. */
static void forge_at(rv_home_t *h, const rv_set_id_t *set, rv_body_t b, uint64_t lamport,
                     uint64_t time_ms, rv_buf_t *out) {
  rv_setctx_t *c;
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  rv_header_t hd;
  memset(&hd, 0, sizeof hd);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv__setctx(h, set, &c));
  tu_check(0, rv_log_vv(h, set, &vv, &nvv));
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = *rv_home_self(h);
  for (size_t i = 0; i < nvv; i++)
    if (memcmp(vv[i].author.b, hd.author.b, RV_ID_LEN) == 0) {
      hd.seq = vv[i].seq;
      hd.prev = vv[i].head;
    }
  free(vv);
  hd.seq++;
  hd.lamport = lamport ? lamport : c->state.lamport_max + 1;
  hd.epoch = c->state.epoch;
  hd.time_ms = time_ms ? time_ms : 1;
  rv_enc_reset(h->enc_plain);
  tu_check(0, rv_body_encode(h->enc_plain, &b));
  size_t n;
  const uint8_t *p = rv_enc_data(h->enc_plain, &n);
  tu_check(0, rv_envelope_seal(h->enc, &hd, p, n, rv__setctx_key(c, hd.epoch), h->sec->sk, out));
  rv_home_abort(h);
}

static void forge(rv_home_t *h, const rv_set_id_t *set, rv_body_t b, rv_buf_t *out) {
  forge_at(h, set, b, 0, 0, out);
}

/* A record that breaks a rule: refused by its author's home, and when
 * forged and carried to every home (its author's included, as the modified
 * program would keep it), stored everywhere without any effect. */
static void refused_everywhere(trio_t *t, rv_home_t *author, rv_body_t b, const char *why_part) {
  rv_home_t *homes[] = {t->p.a, t->p.b, t->c};
  const rv_set_id_t *set = &t->p.set;
  const char *why = NULL;
  rv_hash_t before[3], after;
  size_t count[3];
  rv_ingest_report_t rep;
  rv_buf_t env;
  tu_check(RV_EPERM, write(author, set, b, &why));
  assert_non_null(why);
  if (!strstr(why, why_part))
    print_error("refused for '%s', not '%s'\n", why, why_part);
  assert_non_null(strstr(why, why_part));

  rv_buf_init(&env);
  forge(author, set, b, &env);
  rv_raw_t rec = {.p = env.data, .n = env.len};
  for (size_t i = 0; i < 3; i++) {
    tu_state_hash(homes[i], set, &before[i]);
    count[i] = tu_record_count(homes[i]);
    tu_check(0, tu_ingest(homes[i], &rec, 1, &rep));
    assert_int_equal(rep.added, 1);
    assert_int_equal(tu_record_count(homes[i]), count[i] + 1);
    tu_state_hash(homes[i], set, &after);
    assert_memory_equal(before[i].b, after.b, RV_HASH_LEN);
  }
  rv_buf_release(&env);
}

static const rv_state_t *state_of(rv_home_t *h, const rv_set_id_t *set) {
  const rv_state_t *s;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &s));
  return s; /* valid until the caller's rv_home_abort() */
}

/* A running meeting at the presentations, Ben presenting, with one question
 * from Cy to Ben and one action of Ben's. */
static void run_meeting(trio_t *t, rv_oid_t *meeting, rv_oid_t *question, rv_oid_t *action) {
  rv_home_t *a = t->p.a, *b = t->p.b, *c = t->c;
  const rv_set_id_t *set = &t->p.set;
  ok_write(a, set, (rv_body_t){.type = RV_BODY_MEETING_SCHEDULE, .num = 1, .num2 = 120});
  const rv_state_t *s = state_of(a, set);
  *meeting = s->meetings[0].id;
  rv_home_abort(a);
  ok_write(a, set, (rv_body_t){.type = RV_BODY_MEETING_START, .ref = *meeting});
  ok_write(a, set,
           (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = *meeting, .num = RV_PHASE_REPORT_IN});
  exchange(t);
  ok_write(b, set,
           (rv_body_t){.type = RV_BODY_BID, .ref = *meeting, .text = "a colleague", .num = 30});
  /* Bids are ordered by when they were written: Cy bids after Ben. */
  exchange(t);
  ok_write(c, set,
           (rv_body_t){.type = RV_BODY_BID, .ref = *meeting, .text = "the rota", .num = 200});
  exchange(t);
  ok_write(a, set, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = *meeting});
  ok_write(a, set,
           (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = *meeting, .num = RV_PHASE_BIDDING});
  exchange(t);
  ok_write(b, set, (rv_body_t){.type = RV_BODY_PRESENT, .ref = *meeting});
  ok_write(c, set,
           (rv_body_t){.type = RV_BODY_ASK,
                       .ref = *meeting,
                       .member = *rv_home_self(b),
                       .text = "What happened?",
                       .num = 1});
  exchange(t);
  ok_write(a, set,
           (rv_body_t){
               .type = RV_BODY_MEETING_PART, .ref = *meeting, .num = 0, .num2 = RV_PART_QUESTIONS});
  ok_write(b, set, (rv_body_t){.type = RV_BODY_ACTION_ADD, .ref = *meeting, .text = "talk"});
  exchange(t);
  s = state_of(b, set);
  assert_int_equal(s->nquestions, 1);
  assert_int_equal(s->nactions, 1);
  *question = s->questions[0].id;
  *action = s->actions[0].id;
  rv_home_abort(b);
}

static void test_allocation(void **state) {
  trio_t *t = *state;
  rv_oid_t m, q, a;
  run_meeting(t, &m, &q, &a);
  const rv_state_t *s = state_of(t->p.a, &t->p.set);
  const rv_meeting_t *mt = rv_state_meeting(s, &m);
  assert_non_null(mt);
  /* 80% of 120 minutes: 96. Ben asked 30 and gets them; Cy asked 200 and
   * gets what is left, shortened. */
  assert_int_equal(mt->nslots, 2);
  assert_int_equal(mt->slots[0].minutes, 30);
  assert_false(mt->slots[0].shortened);
  assert_int_equal(mt->slots[1].minutes, 66);
  assert_true(mt->slots[1].shortened);
  assert_int_equal(mt->phase, RV_PHASE_PRESENTATIONS);
  assert_int_equal(mt->current, 0);
  assert_true(mt->slots[0].started_ms > 0);
  rv_home_abort(t->p.a);
}

static void test_permissions_in_the_fold(void **state) {
  trio_t *t = *state;
  rv_home_t *a = t->p.a, *b = t->p.b, *c = t->c;
  const rv_set_id_t *set = &t->p.set;
  rv_oid_t m, q, act;
  run_meeting(t, &m, &q, &act);

  /* Only a facilitator schedules, starts, advances, allocates, closes,
   * changes the contract. */
  refused_everywhere(t, b, (rv_body_t){.type = RV_BODY_MEETING_SCHEDULE, .num = 1, .num2 = 60},
                     "only a facilitator");
  refused_everywhere(
      t, b, (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = m, .num = RV_PHASE_PRESENTATIONS},
      "only a facilitator");
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_MEETING_CLOSE, .ref = m},
                     "only a facilitator");
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_CONTRACT_ADD, .text = "x"},
                     "only a facilitator");
  refused_everywhere(t, b, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m}, "only a facilitator");
  /* Only the presenter answers, groups, discards, writes their actions. */
  refused_everywhere(t, a, (rv_body_t){.type = RV_BODY_ANSWER, .ref = q, .text = "no"},
                     "only the presenter");
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_DISCARD, .ref = q}, "only the presenter");
  rv_oid_t refs[1] = {q};
  refused_everywhere(t, a,
                     (rv_body_t){.type = RV_BODY_GROUP, .refs = refs, .nrefs = 1, .name = "x"},
                     "only the presenter");
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_ACTION_ADD, .ref = m, .text = "mine"},
                     "only the presenter");
  /* Only an action's owner reports on it. */
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_REPORT_IN, .ref = act, .num = RV_A_DONE},
                     "only an action's owner");
  /* Only the member who asked follows up; nobody questions themselves. */
  refused_everywhere(t, a, (rv_body_t){.type = RV_BODY_FOLLOW_UP, .ref = q, .text = "and?"},
                     "only the member who asked");
  refused_everywhere(
      t, b,
      (rv_body_t){
          .type = RV_BODY_ASK, .ref = m, .member = *rv_home_self(b), .text = "What?", .num = 1},
      "does not question themselves");
  /* Steps out of turn. */
  refused_everywhere(t, c, (rv_body_t){.type = RV_BODY_PRESENT, .ref = m},
                     "not this member's turn");
  refused_everywhere(t, b,
                     (rv_body_t){.type = RV_BODY_FEEDBACK, .ref = m, .text = "w", .text2 = "b"},
                     "feedback step");
  refused_everywhere(t, a, (rv_body_t){.type = RV_BODY_CONTRACT_AGREE, .num = 7},
                     "not the current version");

  /* And what is allowed still is. */
  ok_write(b, set, (rv_body_t){.type = RV_BODY_ANSWER, .ref = q, .text = "She knew"});
  ok_write(b, set, (rv_body_t){.type = RV_BODY_REPORT_IN, .ref = act, .num = RV_A_PROGRESS});
  const rv_state_t *s = state_of(b, set);
  assert_int_equal(rv_state_question(s, &q)->status, RV_Q_ANSWERED);
  assert_int_equal(rv_state_action(s, &act)->status, RV_A_PROGRESS);
  rv_home_abort(b);
}

/* The persisted state of a running programme equals a fresh fold of the
 * log, and the three members agree, whatever order records arrived in. */
static void test_refold_and_agreement(void **state) {
  trio_t *t = *state;
  rv_oid_t m, q, a;
  run_meeting(t, &m, &q, &a);
  ok_write(t->p.b, &t->p.set,
           (rv_body_t){.type = RV_BODY_GROUP, .refs = &q, .nrefs = 1, .name = "Then"});
  ok_write(t->c, &t->p.set, (rv_body_t){.type = RV_BODY_FOLLOW_UP, .ref = q, .text = "And?"});
  exchange(t);
  rv_hash_t ha, hb, hc, refolded;
  tu_state_hash(t->p.a, &t->p.set, &ha);
  tu_state_hash(t->p.b, &t->p.set, &hb);
  tu_state_hash(t->c, &t->p.set, &hc);
  assert_memory_equal(ha.b, hb.b, RV_HASH_LEN);
  assert_memory_equal(ha.b, hc.b, RV_HASH_LEN);
  tu_check(0, rv_home_begin(t->p.a, true));
  tu_check(0, rv_set_refold(t->p.a, &t->p.set));
  const rv_state_t *s;
  tu_check(0, rv_set_state(t->p.a, &t->p.set, &s));
  tu_check(0, rv_set_state_hash(t->p.a, s, &refolded));
  rv_home_abort(t->p.a);
  assert_memory_equal(ha.b, refolded.b, RV_HASH_LEN);
  /* Reopened from disk: the decoded state is the same state. */
  s = state_of(t->c, &t->p.set);
  const rv_question_t *qq = rv_state_question(s, &q);
  assert_string_equal(qq->group, "Then");
  assert_int_equal(qq->nfollowups, 1);
  assert_string_equal(qq->followups[0], "And?");
  rv_home_abort(t->c);
}

static void test_contract_versions(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_ADD, .text = "Confidentiality"});
  exchange(t);
  ok_write(t->p.b, set, (rv_body_t){.type = RV_BODY_CONTRACT_AGREE, .num = 1});
  exchange(t); /* the change comes after Ben's agreement, not beside it */
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_QUORUM, .num = 2});
  exchange(t);
  /* The quorum alone changes no version: Ben's agreement stands. */
  const rv_state_t *s = state_of(t->c, set);
  assert_int_equal(s->contract_version, 1);
  assert_int_equal(s->quorum, 2);
  assert_int_equal(rv_state_member(s, rv_home_self(t->p.b))->agreed, 1);
  rv_home_abort(t->c);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_ADD, .text = "One voice"});
  exchange(t);
  /* A new rule is a new version: Ben is asked to agree again. */
  s = state_of(t->c, set);
  assert_int_equal(s->contract_version, 2);
  assert_int_equal(rv_state_member(s, rv_home_self(t->p.b))->agreed, 1);
  rv_home_abort(t->c);
  const char *why;
  tu_check(RV_EPERM,
           write(t->p.b, set, (rv_body_t){.type = RV_BODY_CONTRACT_AGREE, .num = 1}, &why));
  ok_write(t->p.b, set, (rv_body_t){.type = RV_BODY_CONTRACT_AGREE, .num = 2});
}

/* Editing and withdrawing a rule: each a new version, facilitators only. */
static void test_contract_edit_withdraw(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_ADD, .text = "Confidentiality"});
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_ADD, .text = "Biscuits"});
  exchange(t);
  const rv_state_t *s = state_of(t->p.b, set);
  rv_oid_t first = s->rules[0].id, second = s->rules[1].id;
  rv_home_abort(t->p.b);
  ok_write(t->p.b, set, (rv_body_t){.type = RV_BODY_CONTRACT_AGREE, .num = 2});
  exchange(t);
  refused_everywhere(t, t->p.b,
                     (rv_body_t){.type = RV_BODY_CONTRACT_EDIT, .ref = first, .text = "x"},
                     "only a facilitator");
  refused_everywhere(t, t->c, (rv_body_t){.type = RV_BODY_CONTRACT_WITHDRAW, .ref = second},
                     "only a facilitator");
  ok_write(t->p.a, set,
           (rv_body_t){.type = RV_BODY_CONTRACT_EDIT, .ref = first, .text = "What is said stays"});
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_CONTRACT_WITHDRAW, .ref = second});
  exchange(t);
  s = state_of(t->c, set);
  assert_int_equal(s->contract_version, 4);
  assert_int_equal(s->nrules, 1);
  assert_string_equal(s->rules[0].text, "What is said stays");
  assert_int_equal(s->rules[0].version, 3);
  assert_int_equal(rv_state_member(s, rv_home_self(t->p.b))->agreed, 2);
  rv_home_abort(t->c);
  refused_everywhere(t, t->p.a, (rv_body_t){.type = RV_BODY_CONTRACT_WITHDRAW, .ref = second},
                     "no such rule");
}

/* The meeting id of the record h writes next. */
static rv_oid_t next_oid(rv_home_t *h, const rv_set_id_t *set) {
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  uint64_t seq = 0;
  rv_oid_t id;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_vv(h, set, &vv, &nvv));
  for (size_t i = 0; i < nvv; i++)
    if (memcmp(vv[i].author.b, rv_home_self(h)->b, RV_ID_LEN) == 0)
      seq = vv[i].seq;
  free(vv);
  rv_home_abort(h);
  rv_oid_of(&id, set, rv_home_self(h), seq + 1);
  return id;
}

static rv_oid_t schedule(trio_t *t, uint64_t at_ms) {
  rv_oid_t id = next_oid(t->p.a, &t->p.set);
  ok_write(t->p.a, &t->p.set,
           (rv_body_t){.type = RV_BODY_MEETING_SCHEDULE, .num = at_ms, .num2 = 60});
  return id;
}

/* Attending replaces an apology, and an apology (a member called away)
 * replaces attendance: nobody is counted twice, on every home. */
static void test_attend_replaces_apology(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_oid_t m = schedule(t, 1000);
  exchange(t);
  ok_write(t->p.b, set, (rv_body_t){.type = RV_BODY_APOLOGISE, .ref = m, .text = "ill"});
  ok_write(t->c, set, (rv_body_t){.type = RV_BODY_APOLOGISE, .ref = m});
  exchange(t);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_MEETING_START, .ref = m});
  exchange(t);
  ok_write(t->p.b, set, (rv_body_t){.type = RV_BODY_ATTEND, .ref = m});
  ok_write(t->c, set, (rv_body_t){.type = RV_BODY_ATTEND, .ref = m});
  exchange(t);
  ok_write(t->c, set, (rv_body_t){.type = RV_BODY_APOLOGISE, .ref = m, .text = "called away"});
  exchange(t);
  rv_home_t *homes[] = {t->p.a, t->p.b, t->c};
  for (size_t i = 0; i < 3; i++) {
    const rv_meeting_t *mt = rv_state_meeting(state_of(homes[i], set), &m);
    assert_int_equal(mt->nattendees, 1);
    assert_memory_equal(mt->attendees[0].b, rv_home_self(t->p.b)->b, RV_ID_LEN);
    assert_int_equal(mt->napologies, 1);
    assert_memory_equal(mt->apologies[0].member.b, rv_home_self(t->c)->b, RV_ID_LEN);
    assert_string_equal(mt->apologies[0].text, "called away");
    rv_home_abort(homes[i]);
  }
}

/* A meeting not yet started is cancelled by a facilitator, with its
 * reason; it cannot then be started, attended or apologised for. */
static void test_cancel(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_oid_t m = schedule(t, 1000);
  exchange(t);
  refused_everywhere(t, t->p.b, (rv_body_t){.type = RV_BODY_MEETING_CANCEL, .ref = m},
                     "only a facilitator");
  refused_everywhere(t, t->p.a, (rv_body_t){.type = RV_BODY_MEETING_CLOSE, .ref = m},
                     "has not started");
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_MEETING_CANCEL, .ref = m, .text = "snowed in"});
  exchange(t);
  const rv_meeting_t *mt = rv_state_meeting(state_of(t->c, set), &m);
  assert_int_equal(mt->phase, RV_PHASE_CANCELLED);
  assert_string_equal(mt->cancel_reason, "snowed in");
  rv_home_abort(t->c);
  refused_everywhere(t, t->p.a, (rv_body_t){.type = RV_BODY_MEETING_START, .ref = m}, "cancelled");
  refused_everywhere(t, t->p.b, (rv_body_t){.type = RV_BODY_APOLOGISE, .ref = m}, "cancelled");
  refused_everywhere(t, t->p.b, (rv_body_t){.type = RV_BODY_ATTEND, .ref = m}, "cancelled");
  /* A started meeting is closed, not cancelled. */
  rv_oid_t m2 = schedule(t, 2000);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_MEETING_START, .ref = m2});
  exchange(t);
  refused_everywhere(t, t->p.a, (rv_body_t){.type = RV_BODY_MEETING_CANCEL, .ref = m2},
                     "not yet started");
}

/* Meetings are kept by date, whatever the order they were scheduled in. */
static void test_meetings_by_date(void **state) {
  trio_t *t = *state;
  rv_oid_t late = schedule(t, 3000), early = schedule(t, 1000), mid = schedule(t, 2000);
  exchange(t);
  const rv_state_t *s = state_of(t->p.b, &t->p.set);
  assert_int_equal(s->nmeetings, 3);
  assert_memory_equal(s->meetings[0].id.b, early.b, RV_OID_LEN);
  assert_memory_equal(s->meetings[1].id.b, mid.b, RV_OID_LEN);
  assert_memory_equal(s->meetings[2].id.b, late.b, RV_OID_LEN);
  rv_home_abort(t->p.b);
}

/* A modified program cannot slip a record in before the past: a bid dated
 * (by its Lamport clock) before its author's own previous record, which
 * would sort before the allocation and change it everywhere, is refused. */
static void test_no_backdating(void **state) {
  trio_t *t = *state;
  rv_oid_t m, q, a;
  run_meeting(t, &m, &q, &a);
  rv_hash_t before, after;
  tu_state_hash(t->p.a, &t->p.set, &before);
  rv_buf_t env;
  rv_buf_init(&env);
  forge_at(t->c, &t->p.set,
           (rv_body_t){.type = RV_BODY_BID, .ref = m, .text = "me first", .num = 90}, 2, 0, &env);
  rv_raw_t rec = {.p = env.data, .n = env.len};
  tu_check(RV_ECHAIN, tu_ingest(t->p.a, &rec, 1, NULL));
  tu_state_hash(t->p.a, &t->p.set, &after);
  assert_memory_equal(before.b, after.b, RV_HASH_LEN);
  rv_buf_release(&env);
}

/* ---- presenters' order, and the uninterrupted presentation ---------- */

/* A meeting of 120 minutes, started and moved on to bidding everywhere. */
static void to_bidding(trio_t *t, rv_oid_t *meeting) {
  rv_home_t *a = t->p.a;
  const rv_set_id_t *set = &t->p.set;
  ok_write(a, set, (rv_body_t){.type = RV_BODY_MEETING_SCHEDULE, .num = 1, .num2 = 120});
  const rv_state_t *s = state_of(a, set);
  *meeting = s->meetings[s->nmeetings - 1].id;
  rv_home_abort(a);
  ok_write(a, set, (rv_body_t){.type = RV_BODY_MEETING_START, .ref = *meeting});
  ok_write(a, set,
           (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = *meeting, .num = RV_PHASE_REPORT_IN});
  exchange(t);
}

/* Ben bids, then Cy (each seeing the other's), everywhere. */
static void two_bids(trio_t *t, const rv_oid_t *m) {
  ok_write(t->p.b, &t->p.set,
           (rv_body_t){.type = RV_BODY_BID, .ref = *m, .text = "a colleague", .num = 30});
  exchange(t);
  ok_write(t->c, &t->p.set,
           (rv_body_t){.type = RV_BODY_BID, .ref = *m, .text = "the rota", .num = 30});
  exchange(t);
}

static void ingest_everywhere(trio_t *t, const rv_buf_t *env) {
  rv_home_t *homes[] = {t->p.a, t->p.b, t->c};
  rv_raw_t rec = {.p = env->data, .n = env->len};
  for (size_t i = 0; i < 3; i++)
    tu_check(0, tu_ingest(homes[i], &rec, 1, NULL));
}

/* The presenters of m's slots, in order, as home h sees them. */
static void assert_slots(rv_home_t *h, const rv_set_id_t *set, const rv_oid_t *m, rv_home_t *first,
                         rv_home_t *second) {
  const rv_state_t *s = state_of(h, set);
  const rv_meeting_t *mt = rv_state_meeting(s, m);
  assert_int_equal(mt->nslots, 2);
  assert_memory_equal(mt->slots[0].presenter.b, rv_home_self(first)->b, RV_ID_LEN);
  assert_memory_equal(mt->slots[1].presenter.b, rv_home_self(second)->b, RV_ID_LEN);
  rv_home_abort(h);
}

/* Two bids written at once (the same lamport) are folded in the order of
 * their authors' ids; the presenters come in the order the bids were
 * written, by their writers' clocks, on every home. */
static void test_concurrent_bids_by_clock(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_oid_t m;
  to_bidding(t, &m);
  /* The author the fold meets second wrote a second earlier. */
  bool b_before_c = memcmp(rv_home_self(t->p.b)->b, rv_home_self(t->c)->b, RV_ID_LEN) < 0;
  rv_home_t *early = b_before_c ? t->c : t->p.b, *late = b_before_c ? t->p.b : t->c;
  const rv_state_t *s = state_of(t->p.a, set);
  uint64_t lamport = s->lamport_max + 1, now = 1760000000000u;
  rv_home_abort(t->p.a);
  rv_buf_t e1, e2;
  rv_buf_init(&e1);
  rv_buf_init(&e2);
  forge_at(late, set, (rv_body_t){.type = RV_BODY_BID, .ref = m, .text = "late", .num = 30},
           lamport, now + 1000, &e1);
  forge_at(early, set, (rv_body_t){.type = RV_BODY_BID, .ref = m, .text = "early", .num = 30},
           lamport, now, &e2);
  ingest_everywhere(t, &e1);
  ingest_everywhere(t, &e2);
  rv_buf_release(&e1);
  rv_buf_release(&e2);
  /* A changed bid keeps the time of the first. */
  ok_write(early, set,
           (rv_body_t){.type = RV_BODY_BID, .ref = m, .text = "early, changed", .num = 40});
  exchange(t);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m});
  exchange(t);
  assert_slots(t->p.a, set, &m, early, late);
  assert_slots(t->p.b, set, &m, early, late);
  assert_slots(t->c, set, &m, early, late);
  s = state_of(t->c, set);
  const rv_meeting_t *mt = rv_state_meeting(s, &m);
  assert_int_equal(mt->bids[0].at_ms, now);
  assert_string_equal(mt->bids[0].text, "early, changed");
  assert_int_equal(mt->slots[0].minutes, 40);
  rv_home_abort(t->c);
}

/* The facilitator sets the order of presenters; an order that does not
 * name every bidder exactly once is refused everywhere. */
static void test_allocate_order(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_home_t *a = t->p.a, *b = t->p.b, *c = t->c;
  rv_oid_t m;
  to_bidding(t, &m);
  two_bids(t, &m);
  rv_member_id_t cb[2] = {*rv_home_self(c), *rv_home_self(b)};
  rv_member_id_t ca[2] = {*rv_home_self(c), *rv_home_self(a)};
  rv_member_id_t cc[2] = {*rv_home_self(c), *rv_home_self(c)};
  refused_everywhere(t, a,
                     (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m, .members = ca, .nmembers = 2},
                     "has not bid");
  refused_everywhere(
      t, a, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m, .members = cc, .nmembers = 2}, "twice");
  refused_everywhere(t, a,
                     (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m, .members = cb, .nmembers = 1},
                     "leaves out a bidder");
  refused_everywhere(t, b,
                     (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m, .members = cb, .nmembers = 2},
                     "only a facilitator");
  ok_write(a, set, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m});
  exchange(t);
  assert_slots(c, set, &m, b, c); /* the bids' order: Ben bid first */
  ok_write(
      a, set,
      (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m, .members = cb, .nmembers = 2, .flag = true});
  exchange(t);
  assert_slots(b, set, &m, c, b);
  assert_slots(c, set, &m, c, b);
  const rv_state_t *s = state_of(c, set);
  const rv_meeting_t *mt = rv_state_meeting(s, &m);
  assert_int_equal(mt->slots[0].minutes, 48); /* --equal: 96 minutes shared */
  assert_int_equal(mt->slots[1].minutes, 48);
  rv_home_abort(c);
}

/* Whether each question (n of them) is held, as home h sees it. */
static void assert_held(rv_home_t *h, const rv_set_id_t *set, const rv_oid_t *qs, const bool *held,
                        size_t n) {
  const rv_state_t *s = state_of(h, set);
  for (size_t i = 0; i < n; i++) {
    const rv_question_t *q = rv_state_question(s, &qs[i]);
    assert_non_null(q);
    if (q->held != held[i])
      print_error("question %zu: held %d, expected %d\n", i, q->held, held[i]);
    assert_int_equal(q->held, held[i]);
  }
  rv_home_abort(h);
}

static void assert_held_everywhere(trio_t *t, const rv_oid_t *qs, const bool *held, size_t n) {
  assert_held(t->p.a, &t->p.set, qs, held, n);
  assert_held(t->p.b, &t->p.set, qs, held, n);
  assert_held(t->c, &t->p.set, qs, held, n);
}

/* h asks to a question; its id into ret. */
static void ask_to(trio_t *t, rv_home_t *h, const rv_oid_t *m, rv_home_t *to, const char *text,
                   rv_oid_t *ret) {
  ok_write(h, &t->p.set,
           (rv_body_t){.type = RV_BODY_ASK,
                       .ref = *m,
                       .member = *rv_home_self(to),
                       .text = (char *)text,
                       .num = 1});
  const rv_state_t *s = state_of(h, &t->p.set);
  *ret = s->questions[s->nquestions - 1].id;
  rv_home_abort(h);
}

/* The part m's current slot is in, by home h's clock right when it started. */
static enum rv_part part_at_start(rv_home_t *h, const rv_set_id_t *set, const rv_oid_t *m) {
  const rv_state_t *s = state_of(h, set);
  const rv_meeting_t *mt = rv_state_meeting(s, m);
  rv_clock_t clk;
  rv_meeting_clock(mt, rv_meeting_slot(mt)->started_ms, &clk);
  rv_home_abort(h);
  return clk.part;
}

/* Questions asked during a presentation are held until the facilitator
 * moves the slot to its questions, or the meeting moves on. */
static void test_held_questions(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_home_t *a = t->p.a, *b = t->p.b, *c = t->c;
  rv_oid_t m, q[4];
  to_bidding(t, &m);
  two_bids(t, &m);
  ok_write(a, set, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m});
  ok_write(a, set, (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = m, .num = RV_PHASE_BIDDING});
  exchange(t);
  ok_write(b, set, (rv_body_t){.type = RV_BODY_PRESENT, .ref = m});
  exchange(t);
  ask_to(t, c, &m, b, "What happened?", &q[0]);
  ask_to(t, a, &m, c, "What matters to you?", &q[1]); /* Cy's slot is still to come */
  exchange(t);
  assert_held_everywhere(t, q, (bool[]){true, true}, 2);
  refused_everywhere(t, b, (rv_body_t){.type = RV_BODY_ANSWER, .ref = q[0], .text = "x"}, "held");
  refused_everywhere(
      t, c,
      (rv_body_t){.type = RV_BODY_MEETING_PART, .ref = m, .num = 0, .num2 = RV_PART_QUESTIONS},
      "only a facilitator");
  refused_everywhere(
      t, a,
      (rv_body_t){.type = RV_BODY_MEETING_PART, .ref = m, .num = 1, .num2 = RV_PART_QUESTIONS},
      "moved on");
  assert_int_equal(part_at_start(c, set, &m), RV_PART_PRESENTATION);

  /* The facilitator moves Ben's slot to questions: Cy's question shows. */
  ok_write(
      a, set,
      (rv_body_t){.type = RV_BODY_MEETING_PART, .ref = m, .num = 0, .num2 = RV_PART_QUESTIONS});
  exchange(t);
  assert_held_everywhere(t, q, (bool[]){false, true}, 2);
  assert_int_equal(part_at_start(c, set, &m), RV_PART_QUESTIONS);
  refused_everywhere(
      t, a,
      (rv_body_t){.type = RV_BODY_MEETING_PART, .ref = m, .num = 0, .num2 = RV_PART_QUESTIONS},
      "already reached");
  ok_write(b, set, (rv_body_t){.type = RV_BODY_ANSWER, .ref = q[0], .text = "A row"});
  ask_to(t, c, &m, b, "What else?", &q[2]); /* in the questions part: shown at once */

  /* Moving on to Cy's slot: his questions stay held through his
   * presentation, until the meeting moves on past it. */
  ok_write(a, set,
           (rv_body_t){
               .type = RV_BODY_MEETING_NEXT, .ref = m, .num = RV_PHASE_PRESENTATIONS, .num2 = 0});
  exchange(t);
  ask_to(t, b, &m, c, "Who decides?", &q[3]);
  exchange(t);
  assert_held_everywhere(t, q, (bool[]){false, true, false, true}, 4);
  ok_write(a, set,
           (rv_body_t){
               .type = RV_BODY_MEETING_NEXT, .ref = m, .num = RV_PHASE_PRESENTATIONS, .num2 = 1});
  exchange(t);
  assert_held_everywhere(t, q, (bool[]){false, false, false, false}, 4);
  rv_hash_t ha, hc;
  tu_state_hash(a, set, &ha);
  tu_state_hash(c, set, &hc);
  assert_memory_equal(ha.b, hc.b, RV_HASH_LEN);
}

/* Closing the meeting shows every question still held. */
static void test_close_releases_held(void **state) {
  trio_t *t = *state;
  const rv_set_id_t *set = &t->p.set;
  rv_oid_t m, q;
  to_bidding(t, &m);
  two_bids(t, &m);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_ALLOCATE, .ref = m});
  ok_write(t->p.a, set,
           (rv_body_t){.type = RV_BODY_MEETING_NEXT, .ref = m, .num = RV_PHASE_BIDDING});
  exchange(t);
  ask_to(t, t->p.a, &m, t->c, "What would you like?", &q);
  exchange(t);
  assert_held_everywhere(t, &q, (bool[]){true}, 1);
  ok_write(t->p.a, set, (rv_body_t){.type = RV_BODY_MEETING_CLOSE, .ref = m});
  exchange(t);
  assert_held_everywhere(t, &q, (bool[]){false}, 1);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_allocation, setup, teardown),
      cmocka_unit_test_setup_teardown(test_permissions_in_the_fold, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refold_and_agreement, setup, teardown),
      cmocka_unit_test_setup_teardown(test_contract_versions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_backdating, setup, teardown),
      cmocka_unit_test_setup_teardown(test_contract_edit_withdraw, setup, teardown),
      cmocka_unit_test_setup_teardown(test_attend_replaces_apology, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cancel, setup, teardown),
      cmocka_unit_test_setup_teardown(test_meetings_by_date, setup, teardown),
      cmocka_unit_test_setup_teardown(test_concurrent_bids_by_clock, setup, teardown),
      cmocka_unit_test_setup_teardown(test_allocate_order, setup, teardown),
      cmocka_unit_test_setup_teardown(test_held_questions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_close_releases_held, setup, teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
