/*
 * The evaluation of a set's programme at its three levels, computed from
 * the folded state: each person (meetings attended, apologies sent,
 * presentations given, actions written and done), the set (attendance as
 * a share of the places at the meetings held, actions done of all
 * actions, actions by outcome) and the programme (meetings held of
 * meetings planned). Beside the totals it keeps, for each meeting, who
 * presented, the questions put there and its actions by outcome, and for
 * each member and meeting whether the member attended or sent apologies:
 * what a programme record shows, so that every front end presents the
 * same figures and none of them walks the state to count.
 *
 * It counts; it never reads a text. A meeting is held once it has left
 * the scheduled step; every meeting scheduled is planned. A presentation
 * is a slot that started and was not deferred; a member who presented
 * twice in one meeting presented once there.
 */
#ifndef REVANS_EVALUATION_H
#define REVANS_EVALUATION_H

#include "revans/fold.h"

#include <stddef.h>

/* How one member took part in one meeting. */
enum rv_presence {
  RV_PRESENCE_ABSENT,    /* neither attended nor sent apologies */
  RV_PRESENCE_ATTENDED,  /* among the attendees (whether or not they apologised first) */
  RV_PRESENCE_APOLOGISED /* sent apologies and did not attend */
};

/* The number of action outcomes, RV_A_OPEN to RV_A_DROPPED. */
#define RV_EVAL_OUTCOMES (RV_A_DROPPED + 1)

/* Each person: one per member of the set, in the state's order. The
 * counts are over the meetings held. */
typedef struct rv_eval_person {
  const rv_member_t *member; /* borrowed from the state */
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
  size_t attendances;          /* attendees summed over the meetings held */
  size_t seats;                /* members times meetings held */
  unsigned attendance_percent; /* attendances of seats, rounded down; 0 when no seats */
  size_t actions;              /* every action of the set */
  size_t actions_done;
  unsigned completion_percent;      /* actions done of actions, rounded down; 0 when none */
  size_t outcome[RV_EVAL_OUTCOMES]; /* actions by outcome */
  size_t most_actions;              /* the most actions written at one meeting, at least 1 */
  /* The programme. */
  size_t meetings_planned;
  size_t meetings_held;
  /* Internal: the arrays presenters and questions point into. */
  const rv_member_id_t **presenter_store_;
  const rv_question_t **question_store_;
} rv_evaluation_t;

/* Computes the evaluation of state s into caller storage ret. 0, or
 * RV_ENOMEM (ret then holds nothing to release). ret borrows from s: its
 * pointers are valid while s is unchanged (for a state read through
 * rv_set_state(), until the transaction ends). Release ret with
 * rv_evaluation_release(); s is not changed. */
int rv_evaluation_compute(const rv_state_t *s, rv_evaluation_t *ret);

/* Frees what rv_evaluation_compute() allocated and zeroes ev. Accepts a
 * zeroed ev. */
void rv_evaluation_release(rv_evaluation_t *ev);

/* How person p (an index into people) took part in meeting i (an index
 * into meetings). Both must be in range. */
enum rv_presence rv_evaluation_presence(const rv_evaluation_t *ev, size_t p, size_t i);

#endif
