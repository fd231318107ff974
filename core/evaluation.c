/*
 * The evaluation figures of a set's programme (evaluation.h): one walk
 * over the folded state's meetings and actions, counting for each person
 * (member or removed member), each meeting, the set and the programme.
 * Every pointer it keeps is borrowed from the state; it allocates only its
 * own arrays.
 */
#include "revans/evaluation.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

static bool same_member(const rv_member_id_t *a, const rv_member_id_t *b) {
  return memcmp(a->b, b->b, RV_ID_LEN) == 0;
}

static bool same_oid(const rv_oid_t *a, const rv_oid_t *b) {
  return memcmp(a->b, b->b, RV_OID_LEN) == 0;
}

static bool attended(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->nattendees; i++)
    if (same_member(&m->attendees[i], id))
      return true;
  return false;
}

static bool apologised(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->napologies; i++)
    if (same_member(&m->apologies[i].member, id))
      return true;
  return false;
}

static bool slot_presented(const rv_slot_t *slot) { return !slot->deferred && slot->started_ms; }

static bool presented(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->nslots; i++)
    if (slot_presented(&m->slots[i]) && same_member(&m->slots[i].presenter, id))
      return true;
  return false;
}

/* A held question is shown on no wall, so in no record either. */
static bool question_counts(const rv_question_t *q, const rv_meeting_t *m) {
  return q->status != RV_Q_DISCARDED && !q->held && same_oid(&q->meeting, &m->id);
}

static bool planned(const rv_meeting_t *m) { return m->phase != RV_PHASE_CANCELLED; }

static bool held(const rv_meeting_t *m) {
  return m->phase != RV_PHASE_SCHEDULED && m->phase != RV_PHASE_CANCELLED;
}

/* Whether member p was a member of the set when meeting m started (before
 * it starts, at its date): added by then and not yet removed. */
static bool member_at(const rv_member_t *p, const rv_meeting_t *m) {
  uint64_t at = m->started_ms ? m->started_ms : m->at_ms;
  return p->added_ms <= at && (!p->removed_ms || p->removed_ms > at);
}

unsigned rv_evaluation_percent(size_t part, size_t whole) {
  return whole ? (unsigned)((part * 200 + whole) / (2 * whole)) : 0;
}

bool rv_evaluation_overdue(const rv_action_t *a, uint64_t today) {
  return a->due_day && a->due_day < today && a->status != RV_A_DONE && a->status != RV_A_DROPPED;
}

/* People in the order they became members (ties by id). */
static int by_arrival(const void *a, const void *b) {
  const rv_eval_person_t *x = a, *y = b;
  if (x->member->added_ms != y->member->added_ms)
    return x->member->added_ms < y->member->added_ms ? -1 : 1;
  return memcmp(x->member->id.b, y->member->id.b, RV_ID_LEN);
}

/* Allocates the arrays, sized from the state; every count is zero. The
 * people are the members, then the removed members, each in the order
 * they became members. */
static int allocate(const rv_state_t *s, rv_evaluation_t *ev) {
  size_t npeople = s->nmembers + s->nremoved;
  size_t nslots = 0, nq = s->nquestions, ncells = npeople * s->nmeetings;
  for (size_t i = 0; i < s->nmeetings; i++)
    nslots += s->meetings[i].nslots;
  ev->people = calloc(npeople ? npeople : 1, sizeof *ev->people);
  ev->meetings = calloc(s->nmeetings ? s->nmeetings : 1, sizeof *ev->meetings);
  ev->presence = calloc(ncells ? ncells : 1, sizeof *ev->presence);
  ev->presenter_store_ = calloc(nslots ? nslots : 1, sizeof *ev->presenter_store_);
  ev->question_store_ = calloc(nq ? nq : 1, sizeof *ev->question_store_);
  if (!ev->people || !ev->meetings || !ev->presence || !ev->presenter_store_ ||
      !ev->question_store_)
    return RV_ENOMEM;
  ev->npeople = npeople;
  ev->nmeetings = s->nmeetings;
  for (size_t p = 0; p < s->nmembers; p++)
    ev->people[p].member = &s->members[p];
  for (size_t p = 0; p < s->nremoved; p++) {
    ev->people[s->nmembers + p].member = &s->removed[p];
    ev->people[s->nmembers + p].removed = true;
  }
  if (s->nmembers)
    qsort(ev->people, s->nmembers, sizeof *ev->people, by_arrival);
  if (s->nremoved)
    qsort(ev->people + s->nmembers, s->nremoved, sizeof *ev->people, by_arrival);
  return 0;
}

/* Meeting i: its presenters and questions, taken from the stores at
 * *slot_at and *question_at, which move on. */
static void list_meeting(const rv_state_t *s, rv_evaluation_t *ev, size_t i, size_t *slot_at,
                         size_t *question_at) {
  const rv_meeting_t *m = &s->meetings[i];
  rv_eval_meeting_t *em = &ev->meetings[i];
  em->meeting = m;
  em->planned = planned(m);
  em->held = held(m);
  em->presenters = ev->presenter_store_ + *slot_at;
  for (size_t j = 0; j < m->nslots; j++)
    if (slot_presented(&m->slots[j]))
      em->presenters[em->npresenters++] = &m->slots[j].presenter;
  *slot_at += em->npresenters;
  em->questions = ev->question_store_ + *question_at;
  for (size_t j = 0; j < s->nquestions; j++)
    if (question_counts(&s->questions[j], m))
      em->questions[em->nquestions++] = &s->questions[j];
  *question_at += em->nquestions;
}

/* Each person's presence at meeting i, and what it adds to them, to the
 * meeting and to the set once held. */
static void count_people(rv_evaluation_t *ev, size_t i) {
  rv_eval_meeting_t *em = &ev->meetings[i];
  const rv_meeting_t *m = em->meeting;
  for (size_t p = 0; p < ev->npeople; p++) {
    rv_eval_person_t *pp = &ev->people[p];
    const rv_member_id_t *id = &pp->member->id;
    bool came = attended(m, id), seat = came || member_at(pp->member, m);
    enum rv_presence *at = &ev->presence[p * ev->nmeetings + i];
    *at = !em->planned || !seat ? RV_PRESENCE_NOT_MEMBER
          : came                ? RV_PRESENCE_ATTENDED
          : apologised(m, id)   ? RV_PRESENCE_APOLOGISED
                                : RV_PRESENCE_ABSENT;
    if (!em->held || !seat)
      continue;
    em->seats++;
    em->attendances += came;
    pp->seats++;
    pp->attended += came;
    pp->apologies += *at == RV_PRESENCE_APOLOGISED;
    pp->presentations += presented(m, id);
  }
  if (em->planned)
    ev->meetings_planned++;
  if (em->held) {
    ev->meetings_held++;
    ev->attendances += em->attendances;
    ev->seats += em->seats;
  }
}

/* Action a: to the set, its owner, and the meeting it was written at. */
static void count_action(rv_evaluation_t *ev, const rv_action_t *a) {
  bool done = a->status == RV_A_DONE;
  ev->actions++;
  ev->actions_done += done;
  ev->actions_open += !done && a->status != RV_A_DROPPED;
  ev->actions_overdue += rv_evaluation_overdue(a, ev->today);
  if ((size_t)a->status < RV_EVAL_OUTCOMES)
    ev->outcome[a->status]++;
  for (size_t p = 0; p < ev->npeople; p++)
    if (same_member(&ev->people[p].member->id, &a->owner)) {
      ev->people[p].actions++;
      ev->people[p].actions_done += done;
    }
  for (size_t i = 0; i < ev->nmeetings; i++)
    if (same_oid(&a->meeting, &ev->meetings[i].meeting->id)) {
      ev->meetings[i].actions++;
      if ((size_t)a->status < RV_EVAL_OUTCOMES)
        ev->meetings[i].outcome[a->status]++;
    }
}

/* The most actions of one meeting, and the period the planned meetings
 * cover. */
static void summarise(rv_evaluation_t *ev) {
  ev->most_actions = 1;
  for (size_t i = 0; i < ev->nmeetings; i++) {
    const rv_eval_meeting_t *em = &ev->meetings[i];
    if (em->actions > ev->most_actions)
      ev->most_actions = em->actions;
    if (!em->planned)
      continue;
    if (!ev->first_ms || em->meeting->at_ms < ev->first_ms)
      ev->first_ms = em->meeting->at_ms;
    if (em->meeting->at_ms > ev->last_ms)
      ev->last_ms = em->meeting->at_ms;
  }
  ev->attendance_percent = rv_evaluation_percent(ev->attendances, ev->seats);
  ev->completion_percent = rv_evaluation_percent(ev->actions_done, ev->actions);
}

int rv_evaluation_compute(const rv_state_t *s, uint64_t today, rv_evaluation_t *ret) {
  rv_evaluation_t ev;
  size_t slot_at = 0, question_at = 0;
  memset(&ev, 0, sizeof ev);
  if (allocate(s, &ev) < 0) {
    rv_evaluation_release(&ev);
    return RV_ENOMEM;
  }
  ev.today = today;
  for (size_t i = 0; i < s->nmeetings; i++) {
    list_meeting(s, &ev, i, &slot_at, &question_at);
    count_people(&ev, i);
  }
  for (size_t j = 0; j < s->nactions; j++)
    count_action(&ev, &s->actions[j]);
  summarise(&ev);
  *ret = ev;
  return 0;
}

void rv_evaluation_release(rv_evaluation_t *ev) {
  free(ev->people);
  free(ev->meetings);
  free(ev->presence);
  free(ev->presenter_store_);
  free(ev->question_store_);
  memset(ev, 0, sizeof *ev);
}

enum rv_presence rv_evaluation_presence(const rv_evaluation_t *ev, size_t p, size_t i) {
  return ev->presence[p * ev->nmeetings + i];
}
