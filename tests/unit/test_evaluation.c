/*
 * Tests of the evaluation figures (evaluation.h) on a small set built by
 * hand: three members, two meetings held and one still scheduled, a
 * member who apologised and came anyway, one who presented twice in one
 * meeting, a deferred slot, a discarded question, and an action owned by a
 * member no longer in the set. Each level's figures are asserted, and the
 * presence grid cell by cell; an empty set gives zeros, not a division by
 * zero. A second programme has a member removed and one added half-way and
 * a cancelled meeting: each meeting counts the members of the set at it,
 * so attendance never passes 100%, and the removed member keeps their
 * history. Percentages are rounded, not truncated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/error.h"
#include "revans/evaluation.h"

#include <string.h>

enum { ADA, BEN, CY, GONE };

static rv_member_id_t ids[4];
static rv_member_t members[3];
static rv_meeting_t meetings[3];
static rv_question_t questions[3];
static rv_action_t actions[4];
static rv_state_t state;

static rv_member_id_t m1_attendees[2], m2_attendees[3];
static rv_note_t m1_apologies[1], m2_apologies[1], m3_apologies[1];
static rv_slot_t m1_slots[2], m2_slots[2];

static void action(size_t i, int owner, size_t meeting, enum rv_astatus status) {
  actions[i].owner = ids[owner];
  actions[i].meeting = meetings[meeting].id;
  actions[i].status = status;
}

static void question(size_t i, size_t meeting, enum rv_qstatus status) {
  questions[i].meeting = meetings[meeting].id;
  questions[i].to = ids[BEN];
  questions[i].status = status;
}

/* The set described at the top of the file. */
static int build(void **ctx) {
  (void)ctx;
  memset(&state, 0, sizeof state);
  for (int i = 0; i < 4; i++)
    memset(ids[i].b, 0x10 * (i + 1), RV_ID_LEN);
  for (int i = 0; i < 3; i++) {
    members[i].id = ids[i];
    memset(meetings[i].id.b, 0xa0 + i, RV_OID_LEN);
  }
  /* Meeting 1, closed: Ada and Ben came, Cy apologised; Ben presented,
   * Cy's slot was deferred although it had started. */
  meetings[0].phase = RV_PHASE_CLOSED;
  m1_attendees[0] = ids[ADA], m1_attendees[1] = ids[BEN];
  m1_apologies[0].member = ids[CY];
  m1_slots[0] = (rv_slot_t){.presenter = ids[BEN], .started_ms = 1};
  m1_slots[1] = (rv_slot_t){.presenter = ids[CY], .started_ms = 2, .deferred = true};
  meetings[0].attendees = m1_attendees, meetings[0].nattendees = 2;
  meetings[0].apologies = m1_apologies, meetings[0].napologies = 1;
  meetings[0].slots = m1_slots, meetings[0].nslots = 2;
  /* Meeting 2, under way: everyone came, Ada after apologising; Ada had
   * two slots, both started. */
  meetings[1].phase = RV_PHASE_PRESENTATIONS;
  m2_attendees[0] = ids[ADA], m2_attendees[1] = ids[BEN], m2_attendees[2] = ids[CY];
  m2_apologies[0].member = ids[ADA];
  m2_slots[0] = (rv_slot_t){.presenter = ids[ADA], .started_ms = 3};
  m2_slots[1] = (rv_slot_t){.presenter = ids[ADA], .started_ms = 4};
  meetings[1].attendees = m2_attendees, meetings[1].nattendees = 3;
  meetings[1].apologies = m2_apologies, meetings[1].napologies = 1;
  meetings[1].slots = m2_slots, meetings[1].nslots = 2;
  /* Meeting 3, scheduled: Ben has already apologised. */
  meetings[2].phase = RV_PHASE_SCHEDULED;
  m3_apologies[0].member = ids[BEN];
  meetings[2].apologies = m3_apologies, meetings[2].napologies = 1;

  question(0, 0, RV_Q_OPEN);
  question(1, 0, RV_Q_DISCARDED);
  question(2, 1, RV_Q_ANSWERED);
  action(0, BEN, 0, RV_A_DONE);
  action(1, BEN, 0, RV_A_PROGRESS);
  action(2, ADA, 1, RV_A_DROPPED);
  action(3, GONE, 0, RV_A_DONE);

  state.members = members, state.nmembers = 3;
  state.meetings = meetings, state.nmeetings = 3;
  state.questions = questions, state.nquestions = 3;
  state.actions = actions, state.nactions = 4;
  return 0;
}

static void check_person(const rv_eval_person_t *p, int who, size_t attended, size_t apologies,
                         size_t presentations, size_t nactions, size_t done) {
  assert_ptr_equal(p->member, &members[who]);
  assert_int_equal(p->attended, attended);
  assert_int_equal(p->apologies, apologies);
  assert_int_equal(p->presentations, presentations);
  assert_int_equal(p->actions, nactions);
  assert_int_equal(p->actions_done, done);
}

static void each_person(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  assert_int_equal(rv_evaluation_compute(&state, 0, &ev), 0);
  assert_int_equal(ev.npeople, 3);
  check_person(&ev.people[ADA], ADA, 2, 0, 1, 1, 0); /* came after apologising */
  check_person(&ev.people[BEN], BEN, 2, 0, 1, 2, 1);
  check_person(&ev.people[CY], CY, 1, 1, 0, 0, 0);
  rv_evaluation_release(&ev);
}

static void the_set_and_programme(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  assert_int_equal(rv_evaluation_compute(&state, 0, &ev), 0);
  assert_int_equal(ev.attendances, 5); /* 2 + 3; the scheduled meeting not counted */
  assert_int_equal(ev.seats, 6);
  assert_int_equal(ev.attendance_percent, 83);
  assert_int_equal(ev.actions, 4); /* the removed member's action too */
  assert_int_equal(ev.actions_done, 2);
  assert_int_equal(ev.completion_percent, 50);
  assert_int_equal(ev.outcome[RV_A_DONE], 2);
  assert_int_equal(ev.outcome[RV_A_PROGRESS], 1);
  assert_int_equal(ev.outcome[RV_A_DROPPED], 1);
  assert_int_equal(ev.outcome[RV_A_OPEN], 0);
  assert_int_equal(ev.meetings_planned, 3);
  assert_int_equal(ev.meetings_held, 2);
  assert_int_equal(ev.most_actions, 3);
  rv_evaluation_release(&ev);
  assert_null(ev.people);
}

static void each_meeting(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  assert_int_equal(rv_evaluation_compute(&state, 0, &ev), 0);
  assert_int_equal(ev.nmeetings, 3);
  const rv_eval_meeting_t *m1 = &ev.meetings[0], *m2 = &ev.meetings[1], *m3 = &ev.meetings[2];
  assert_ptr_equal(m1->meeting, &meetings[0]);
  assert_int_equal(m1->npresenters, 1); /* the deferred slot is no presentation */
  assert_ptr_equal(m1->presenters[0], &m1_slots[0].presenter);
  assert_int_equal(m1->nquestions, 1); /* the discarded one left out */
  assert_ptr_equal(m1->questions[0], &questions[0]);
  assert_int_equal(m1->actions, 3);
  assert_int_equal(m1->outcome[RV_A_DONE], 2);
  assert_int_equal(m1->outcome[RV_A_PROGRESS], 1);
  assert_int_equal(m2->npresenters, 2); /* both of Ada's slots, in order */
  assert_ptr_equal(m2->presenters[1], &m2_slots[1].presenter);
  assert_int_equal(m2->nquestions, 1);
  assert_ptr_equal(m2->questions[0], &questions[2]);
  assert_int_equal(m2->actions, 1);
  assert_int_equal(m2->outcome[RV_A_DROPPED], 1);
  assert_int_equal(m3->npresenters, 0);
  assert_int_equal(m3->nquestions, 0);
  assert_int_equal(m3->actions, 0);
  rv_evaluation_release(&ev);
}

static void presence_grid(void **ctx) {
  (void)ctx;
  static const enum rv_presence want[3][3] = {
      [ADA] = {RV_PRESENCE_ATTENDED, RV_PRESENCE_ATTENDED, RV_PRESENCE_ABSENT},
      [BEN] = {RV_PRESENCE_ATTENDED, RV_PRESENCE_ATTENDED, RV_PRESENCE_APOLOGISED},
      [CY] = {RV_PRESENCE_APOLOGISED, RV_PRESENCE_ATTENDED, RV_PRESENCE_ABSENT},
  };
  rv_evaluation_t ev;
  assert_int_equal(rv_evaluation_compute(&state, 0, &ev), 0);
  for (size_t p = 0; p < 3; p++)
    for (size_t i = 0; i < 3; i++)
      assert_int_equal(rv_evaluation_presence(&ev, p, i), want[p][i]);
  rv_evaluation_release(&ev);
}

static void empty_set(void **ctx) {
  (void)ctx;
  rv_state_t none;
  rv_evaluation_t ev;
  memset(&none, 0, sizeof none);
  assert_int_equal(rv_evaluation_compute(&none, 0, &ev), 0);
  assert_int_equal(ev.npeople, 0);
  assert_int_equal(ev.nmeetings, 0);
  assert_int_equal(ev.attendance_percent, 0);
  assert_int_equal(ev.completion_percent, 0);
  assert_int_equal(ev.meetings_planned, 0);
  assert_int_equal(ev.first_ms, 0);
  assert_int_equal(ev.most_actions, 1);
  rv_evaluation_release(&ev);
  rv_evaluation_release(&ev); /* a zeroed evaluation is accepted */
}

/* ---- a removal mid-programme ------------------------------------------ */

/* Ada, Ben and Cy from the start; Dee added at 150; Cy removed at 250.
 * Meetings started at 100, 200 and 300, everyone who could come came; the
 * fourth was cancelled, the fifth is scheduled for 400. Three actions, two
 * done; one open action due on day 10, read on day 20. */
enum { R_ADA, R_BEN, R_DEE, R_CY };
static rv_member_t r_members[3], r_removed[1];
static rv_meeting_t r_meetings[5];
static rv_member_id_t r_att[3][4];
static rv_action_t r_actions[3];
static rv_state_t r_state;

static const rv_member_id_t *r_id(int who) {
  return who == R_CY ? &r_removed[0].id : &r_members[who].id;
}

static void r_meeting(size_t i, enum rv_phase phase, uint64_t ms, const int *who, size_t n) {
  r_meetings[i].phase = phase;
  memset(r_meetings[i].id.b, 0xb0 + (int)i, RV_OID_LEN);
  r_meetings[i].at_ms = ms;
  r_meetings[i].started_ms = phase == RV_PHASE_SCHEDULED || phase == RV_PHASE_CANCELLED ? 0 : ms;
  for (size_t j = 0; j < n; j++)
    r_att[i][j] = *r_id(who[j]);
  r_meetings[i].attendees = i < 3 ? r_att[i] : NULL;
  r_meetings[i].nattendees = n;
}

static void build_removal(void) {
  static const int m1[] = {R_ADA, R_BEN, R_CY}, m2[] = {R_ADA, R_BEN, R_CY, R_DEE},
                   m3[] = {R_ADA, R_BEN, R_DEE};
  memset(&r_state, 0, sizeof r_state);
  memset(r_members, 0, sizeof r_members);
  for (int i = 0; i < 3; i++)
    memset(r_members[i].id.b, 0x20 + i, RV_ID_LEN);
  r_members[R_DEE].added_ms = 150;
  memset(r_removed, 0, sizeof r_removed);
  memset(r_removed[0].id.b, 0x2f, RV_ID_LEN);
  r_removed[0].removed_ms = 250;
  r_meeting(0, RV_PHASE_CLOSED, 100, m1, 3);
  r_meeting(1, RV_PHASE_CLOSED, 200, m2, 4);
  r_meeting(2, RV_PHASE_CLOSED, 300, m3, 3);
  r_meeting(3, RV_PHASE_CANCELLED, 350, NULL, 0);
  r_meeting(4, RV_PHASE_SCHEDULED, 400, NULL, 0);
  memset(r_actions, 0, sizeof r_actions);
  r_actions[0] = (rv_action_t){.owner = *r_id(R_CY), .status = RV_A_DONE, .due_day = 5};
  r_actions[1] = (rv_action_t){.owner = *r_id(R_BEN), .status = RV_A_DONE};
  r_actions[2] = (rv_action_t){.owner = *r_id(R_DEE), .status = RV_A_PROGRESS, .due_day = 10};
  for (int i = 0; i < 3; i++)
    r_actions[i].meeting = r_meetings[i].id;
  r_state.members = r_members, r_state.nmembers = 3;
  r_state.removed = r_removed, r_state.nremoved = 1;
  r_state.meetings = r_meetings, r_state.nmeetings = 5;
  r_state.actions = r_actions, r_state.nactions = 3;
}

static void removal_counts_seats_per_meeting(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  build_removal();
  assert_int_equal(rv_evaluation_compute(&r_state, 20, &ev), 0);
  /* Three at the first, four at the second, three at the third. */
  assert_int_equal(ev.meetings[0].seats, 3);
  assert_int_equal(ev.meetings[1].seats, 4);
  assert_int_equal(ev.meetings[2].seats, 3);
  assert_int_equal(ev.meetings[2].attendances, 3);
  assert_int_equal(ev.seats, 10);
  assert_int_equal(ev.attendances, 10);
  assert_int_equal(ev.attendance_percent, 100); /* 10 of 9 (111%) counted against today's set */
  for (size_t i = 0; i < 3; i++)
    assert_true(ev.meetings[i].attendances <= ev.meetings[i].seats);
  rv_evaluation_release(&ev);
}

static void removed_member_kept(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  build_removal();
  assert_int_equal(rv_evaluation_compute(&r_state, 20, &ev), 0);
  assert_int_equal(ev.npeople, 4);
  const rv_eval_person_t *cy = &ev.people[3], *dee = &ev.people[R_DEE];
  assert_ptr_equal(cy->member, &r_removed[0]);
  assert_true(cy->removed);
  assert_false(dee->removed);
  assert_int_equal(cy->seats, 2);
  assert_int_equal(cy->attended, 2);
  assert_int_equal(cy->actions, 1);
  assert_int_equal(cy->actions_done, 1);
  assert_int_equal(dee->seats, 2);
  assert_int_equal(dee->attended, 2);
  assert_int_equal(rv_evaluation_presence(&ev, 3, 1), RV_PRESENCE_ATTENDED);
  assert_int_equal(rv_evaluation_presence(&ev, 3, 2), RV_PRESENCE_NOT_MEMBER);
  assert_int_equal(rv_evaluation_presence(&ev, 3, 4), RV_PRESENCE_NOT_MEMBER);
  assert_int_equal(rv_evaluation_presence(&ev, R_DEE, 0), RV_PRESENCE_NOT_MEMBER);
  assert_int_equal(rv_evaluation_presence(&ev, R_DEE, 4), RV_PRESENCE_ABSENT);
  rv_evaluation_release(&ev);
}

static void cancelled_not_planned(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  build_removal();
  assert_int_equal(rv_evaluation_compute(&r_state, 20, &ev), 0);
  assert_int_equal(ev.meetings_planned, 4);
  assert_int_equal(ev.meetings_held, 3);
  assert_false(ev.meetings[3].planned);
  assert_false(ev.meetings[3].held);
  assert_int_equal(ev.meetings[3].seats, 0);
  for (size_t p = 0; p < ev.npeople; p++)
    assert_int_equal(rv_evaluation_presence(&ev, p, 3), RV_PRESENCE_NOT_MEMBER);
  assert_int_equal(ev.first_ms, 100);
  assert_int_equal(ev.last_ms, 400);
  rv_evaluation_release(&ev);
}

static void rounded_and_overdue(void **ctx) {
  (void)ctx;
  rv_evaluation_t ev;
  assert_int_equal(rv_evaluation_percent(2, 7), 29);
  assert_int_equal(rv_evaluation_percent(1, 3), 33);
  assert_int_equal(rv_evaluation_percent(1, 8), 13);
  assert_int_equal(rv_evaluation_percent(7, 7), 100);
  assert_int_equal(rv_evaluation_percent(0, 0), 0);
  build_removal();
  assert_int_equal(rv_evaluation_compute(&r_state, 20, &ev), 0);
  assert_int_equal(ev.completion_percent, 67); /* 2 of 3, not 66 */
  assert_int_equal(ev.actions_open, 1);
  assert_int_equal(ev.actions_overdue, 1); /* due day 10; the done one due day 5 is not */
  assert_true(rv_evaluation_overdue(&r_actions[2], 11));
  assert_false(rv_evaluation_overdue(&r_actions[2], 10)); /* due today is not overdue */
  assert_false(rv_evaluation_overdue(&r_actions[0], 20));
  rv_evaluation_release(&ev);
  assert_int_equal(rv_evaluation_compute(&r_state, 10, &ev), 0);
  assert_int_equal(ev.actions_overdue, 0);
  rv_evaluation_release(&ev);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(each_person),         cmocka_unit_test(the_set_and_programme),
      cmocka_unit_test(each_meeting),        cmocka_unit_test(presence_grid),
      cmocka_unit_test(empty_set),           cmocka_unit_test(removal_counts_seats_per_meeting),
      cmocka_unit_test(removed_member_kept), cmocka_unit_test(cancelled_not_planned),
      cmocka_unit_test(rounded_and_overdue),
  };
  return cmocka_run_group_tests(tests, build, NULL);
}
