/*
 * The evaluation of a set's programme at its three levels, computed from
 * the folded state: each person (meetings attended of the meetings held
 * while they were a member, apologies sent, presentations given, actions
 * written and done), the set (attendance as a share of the seats at the
 * meetings held, actions done, open and overdue) and the programme
 * (meetings held of meetings planned, and the period they cover). Beside
 * the totals it keeps, for each meeting, who presented, the questions put
 * there, its seats and attendance and its actions by outcome, and for each
 * person and meeting whether the person attended, sent apologies, or was
 * not a member then: what a programme record shows, so that every front
 * end presents the same figures and none of them walks the state to count.
 *
 * It counts; it never reads a text. Every person who was ever a member is
 * a person here: the members first, then the removed members, each in the
 * order they became members (ties by id), so that a removal takes nobody's
 * history away.
 *
 * A meeting is planned unless it was cancelled, and held once it has left
 * the scheduled step (a cancelled meeting is neither). A person holds a
 * seat at a meeting when they were a member when it started (for a meeting
 * not yet started, at its date): added at or before that moment and not
 * removed by then. One who attended holds a seat whatever the clocks say,
 * so that attendance never exceeds the seats. A presentation is a slot
 * that started and was not deferred; a member who presented twice in one
 * meeting presented once there. Percentages are rounded to the nearest
 * whole number (2 of 7 is 29), halves up.
 */
#ifndef REVANS_EVALUATION_H
#define REVANS_EVALUATION_H

#include "revans/fold.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* How one member took part in one meeting. */
enum rv_presence {
  RV_PRESENCE_ABSENT,     /* neither attended nor sent apologies */
  RV_PRESENCE_ATTENDED,   /* among the attendees (whether or not they apologised first) */
  RV_PRESENCE_APOLOGISED, /* sent apologies and did not attend */
  RV_PRESENCE_NOT_MEMBER  /* not a member of the set at that meeting (or it was cancelled) */
};

/* The number of action outcomes, RV_A_OPEN to RV_A_DROPPED. */
#define RV_EVAL_OUTCOMES (RV_A_DROPPED + 1)

/* Each person: one per member of the set, then one per removed member
 * (member->removed_ms is then their removal's time), each in the order
 * they became members. The counts are over the meetings held. */
typedef struct rv_eval_person {
  const rv_member_t *member; /* borrowed from the state */
  bool removed;              /* among the state's removed members */
  size_t seats;              /* meetings held at which the person held a seat */
  size_t attended;           /* meetings held the member attended */
  size_t apologies;          /* meetings held the member sent apologies to */
  size_t presentations;      /* meetings held the member presented at */
  size_t actions;            /* actions the member owns */
  size_t actions_done;       /* of those, the ones done */
} rv_eval_person_t;

/* One meeting, in order of scheduling. */
typedef struct rv_eval_meeting {
  const rv_meeting_t *meeting;       /* borrowed from the state */
  const rv_member_id_t **presenters; /* each slot started and not deferred, in slot order */
  size_t npresenters;
  const rv_question_t **questions; /* the questions put at this meeting, not discarded */
  size_t nquestions;
  bool planned;                     /* not cancelled */
  bool held;                        /* started and not cancelled */
  size_t seats;                     /* people who held a seat at it */
  size_t attendances;               /* of those, the ones who attended */
  size_t actions;                   /* actions written at this meeting */
  size_t outcome[RV_EVAL_OUTCOMES]; /* of those, how many ended in each outcome */
} rv_eval_meeting_t;

typedef struct rv_evaluation {
  /* Each person. */
  rv_eval_person_t *people;
  size_t npeople;
  /* Each meeting. */
  rv_eval_meeting_t *meetings;
  size_t nmeetings;
  /* npeople * nmeetings: read with rv_evaluation_presence(). */
  enum rv_presence *presence;
  /* The set. */
  size_t attendances;          /* attendances summed over the meetings held */
  size_t seats;                /* seats summed over the meetings held */
  unsigned attendance_percent; /* attendances of seats, rounded; 0 when no seats */
  size_t actions;              /* every action of the set */
  size_t actions_done;
  size_t actions_open;              /* neither done nor dropped */
  size_t actions_overdue;           /* of the open ones, due before today */
  unsigned completion_percent;      /* actions done of actions, rounded; 0 when none */
  size_t outcome[RV_EVAL_OUTCOMES]; /* actions by outcome */
  size_t most_actions;              /* the most actions written at one meeting, at least 1 */
  /* The programme. */
  size_t meetings_planned;
  size_t meetings_held;
  uint64_t first_ms, last_ms; /* the earliest and latest date of a planned meeting; 0 when none */
  uint64_t today;             /* the day the evaluation was made, as given */
  /* Internal: the arrays presenters and questions point into. */
  const rv_member_id_t **presenter_store_;
  const rv_question_t **question_store_;
} rv_evaluation_t;

/* Computes the evaluation of state s on day today (days since 1970-01-01
 * on the local calendar, as an action's due_day) into caller storage ret.
 * 0, or RV_ENOMEM (ret then holds nothing to release). ret borrows from s:
 * its pointers are valid while s is unchanged (for a state read through
 * rv_set_state(), until the transaction ends). Release ret with
 * rv_evaluation_release(); s is not changed. */
int rv_evaluation_compute(const rv_state_t *s, uint64_t today, rv_evaluation_t *ret);

/* Whether action a is overdue on day today: due before it, and neither
 * done nor dropped. */
bool rv_evaluation_overdue(const rv_action_t *a, uint64_t today);

/* part of whole as a percentage rounded to the nearest (halves up); 0 when
 * whole is 0. */
unsigned rv_evaluation_percent(size_t part, size_t whole);

/* Frees what rv_evaluation_compute() allocated and zeroes ev. Accepts a
 * zeroed ev. */
void rv_evaluation_release(rv_evaluation_t *ev);

/* How person p (an index into people) took part in meeting i (an index
 * into meetings). Both must be in range. */
enum rv_presence rv_evaluation_presence(const rv_evaluation_t *ev, size_t p, size_t i);

#endif
