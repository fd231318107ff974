/*
 * The evaluation figures of a set's programme (evaluation.h): one walk
 * over the folded state's meetings and actions, counting for each person,
 * each meeting, the set and the programme. Every pointer it keeps is
 * borrowed from the state; it allocates only its own arrays.
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

static unsigned percent(size_t part, size_t whole) {
  return whole ? (unsigned)(part * 100 / whole) : 0;
}

/* Allocates the arrays, sized from the state; every count is zero. */
static int allocate(const rv_state_t *s, rv_evaluation_t *ev) {
  size_t nslots = 0, nq = s->nquestions, ncells = s->nmembers * s->nmeetings;
  for (size_t i = 0; i < s->nmeetings; i++)
    nslots += s->meetings[i].nslots;
  ev->people = calloc(s->nmembers ? s->nmembers : 1, sizeof *ev->people);
  ev->meetings = calloc(s->nmeetings ? s->nmeetings : 1, sizeof *ev->meetings);
  ev->presence = calloc(ncells ? ncells : 1, sizeof *ev->presence);
  ev->presenter_store_ = calloc(nslots ? nslots : 1, sizeof *ev->presenter_store_);
  ev->question_store_ = calloc(nq ? nq : 1, sizeof *ev->question_store_);
  if (!ev->people || !ev->meetings || !ev->presence || !ev->presenter_store_ ||
      !ev->question_store_)
    return RV_ENOMEM;
  ev->npeople = s->nmembers;
  ev->nmeetings = s->nmeetings;
  for (size_t p = 0; p < s->nmembers; p++)
    ev->people[p].member = &s->members[p];
  return 0;
}

/* Meeting i: its presenters and questions (taken from the stores at
 * *slot_at and *question_at, which move on), and each member's presence. */
static void count_meeting(const rv_state_t *s, rv_evaluation_t *ev, size_t i, size_t *slot_at,
                          size_t *question_at) {
  const rv_meeting_t *m = &s->meetings[i];
  rv_eval_meeting_t *em = &ev->meetings[i];
  em->meeting = m;
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
  for (size_t p = 0; p < s->nmembers; p++) {
    const rv_member_id_t *id = &s->members[p].id;
    enum rv_presence *at = &ev->presence[p * s->nmeetings + i];
    *at = attended(m, id)     ? RV_PRESENCE_ATTENDED
          : apologised(m, id) ? RV_PRESENCE_APOLOGISED
                              : RV_PRESENCE_ABSENT;
  }
}

/* What meeting i adds to each person and to the set once held. */
static void count_held(const rv_state_t *s, rv_evaluation_t *ev, size_t i) {
  const rv_meeting_t *m = &s->meetings[i];
  if (m->phase == RV_PHASE_SCHEDULED)
    return;
  ev->meetings_held++;
  for (size_t p = 0; p < s->nmembers; p++) {
    rv_eval_person_t *pp = &ev->people[p];
    pp->attended += attended(m, &pp->member->id);
    pp->apologies += apologised(m, &pp->member->id);
    pp->presentations += presented(m, &pp->member->id);
  }
  ev->attendances += m->nattendees;
  ev->seats += s->nmembers;
}

/* Action a: to the set, its owner, and the meeting it was written at. */
static void count_action(const rv_state_t *s, rv_evaluation_t *ev, const rv_action_t *a) {
  bool done = a->status == RV_A_DONE;
  ev->actions++;
  ev->actions_done += done;
  if ((size_t)a->status < RV_EVAL_OUTCOMES)
    ev->outcome[a->status]++;
  for (size_t p = 0; p < s->nmembers; p++)
    if (same_member(&s->members[p].id, &a->owner)) {
      ev->people[p].actions++;
      ev->people[p].actions_done += done;
    }
  for (size_t i = 0; i < s->nmeetings; i++)
    if (same_oid(&a->meeting, &s->meetings[i].id)) {
      ev->meetings[i].actions++;
      if ((size_t)a->status < RV_EVAL_OUTCOMES)
        ev->meetings[i].outcome[a->status]++;
    }
}

int rv_evaluation_compute(const rv_state_t *s, rv_evaluation_t *ret) {
  rv_evaluation_t ev;
  size_t slot_at = 0, question_at = 0;
  memset(&ev, 0, sizeof ev);
  if (allocate(s, &ev) < 0) {
    rv_evaluation_release(&ev);
    return RV_ENOMEM;
  }
  ev.meetings_planned = s->nmeetings;
  for (size_t i = 0; i < s->nmeetings; i++) {
    count_meeting(s, &ev, i, &slot_at, &question_at);
    count_held(s, &ev, i);
  }
  for (size_t j = 0; j < s->nactions; j++)
    count_action(s, &ev, &s->actions[j]);
  ev.most_actions = 1;
  for (size_t i = 0; i < s->nmeetings; i++)
    if (ev.meetings[i].actions > ev.most_actions)
      ev.most_actions = ev.meetings[i].actions;
  ev.attendance_percent = percent(ev.attendances, ev.seats);
  ev.completion_percent = percent(ev.actions_done, ev.actions);
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
