/*
 * The fold of a set's programme: the contract, meetings and their six
 * steps, bids and the division of time, questions, actions and report-in,
 * attendance, apologies and feedback. Every permission of PRODUCT.md is
 * checked here, so that every member's machine agrees on what counts; a
 * record that breaks one changes nothing and the caller learns why.
 * Called by fold.c for every record type that is not about membership.
 */
#include "internal_fold.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/store.h"

#include <stdlib.h>
#include <string.h>

#define PRESENT_SHARE 80 /* percent of a meeting's minutes for presentations */
#define MIN_SLOT 10      /* minutes: a shorter slot is deferred instead */

static const char *const phase_names[] = {"scheduled", "report-in", "bidding",  "presentations",
                                          "feedback",  "closed",    "cancelled"};
static const char *const part_names[] = {"presentation", "questions", "actions"};
static const char *const qstatus_names[] = {"open", "answered", "discarded"};
static const char *const astatus_names[] = {"open", "done", "progress", "blocked", "dropped"};

const char *rv_phase_name(enum rv_phase p) {
  return (size_t)p < sizeof phase_names / sizeof *phase_names ? phase_names[p] : "unknown";
}
const char *rv_part_name(enum rv_part p) {
  return (size_t)p < sizeof part_names / sizeof *part_names ? part_names[p] : "unknown";
}
const char *rv_qstatus_name(enum rv_qstatus s) {
  return (size_t)s < sizeof qstatus_names / sizeof *qstatus_names ? qstatus_names[s] : "unknown";
}
const char *rv_astatus_name(enum rv_astatus s) {
  return (size_t)s < sizeof astatus_names / sizeof *astatus_names ? astatus_names[s] : "unknown";
}
enum rv_astatus rv_astatus_parse(const char *s) {
  for (size_t i = 1; s && i < sizeof astatus_names / sizeof *astatus_names; i++)
    if (strcmp(s, astatus_names[i]) == 0)
      return (enum rv_astatus)i;
  return RV_A_OPEN;
}

void rv_oid_of(rv_oid_t *ret, const rv_set_id_t *set, const rv_member_id_t *author, uint64_t seq) {
  uint8_t k[RV_SETID_LEN + RV_ID_LEN + 8], digest[RV_HASH_LEN];
  memcpy(k, set->b, RV_SETID_LEN);
  memcpy(k + RV_SETID_LEN, author->b, RV_ID_LEN);
  rv_be64_put(k + RV_SETID_LEN + RV_ID_LEN, seq);
  rv_hash(digest, k, sizeof k);
  memcpy(ret->b, digest, RV_OID_LEN);
}

/* ---- lookups -------------------------------------------------------- */

#define FIND(arr, n, idp)                                                                          \
  for (size_t i = 0; i < (n); i++)                                                                 \
    if (memcmp((arr)[i].id.b, (idp)->b, RV_OID_LEN) == 0)                                          \
      return &(arr)[i];                                                                            \
  return NULL

rv_meeting_t *rv_state_meeting(const rv_state_t *s, const rv_oid_t *id) {
  FIND(s->meetings, s->nmeetings, id);
}
rv_question_t *rv_state_question(const rv_state_t *s, const rv_oid_t *id) {
  FIND(s->questions, s->nquestions, id);
}
rv_action_t *rv_state_action(const rv_state_t *s, const rv_oid_t *id) {
  FIND(s->actions, s->nactions, id);
}

/* Matches a hex prefix against the ids of n items of elem bytes, each
 * starting with its rv_oid_t. */
static int find_prefix(const void *arr, size_t n, size_t elem, const char *prefix, void **ret) {
  size_t len = strlen(prefix), found = 0;
  const uint8_t *p = arr;
  if (len == 0 || len > 2 * RV_OID_LEN)
    return RV_ENOTFOUND;
  for (size_t i = 0; i < n; i++) {
    char hex[2 * RV_OID_LEN + 1];
    rv_hex(hex, p + i * elem, RV_OID_LEN);
    size_t k = 0;
    while (k < len && (hex[k] == prefix[k] ||
                       (prefix[k] >= 'A' && prefix[k] <= 'F' && hex[k] == prefix[k] - 'A' + 'a')))
      k++;
    if (k == len) {
      *ret = (void *)(p + i * elem);
      found++;
    }
  }
  return found == 1 ? 0 : found ? RV_EAMBIG : RV_ENOTFOUND;
}

int rv_state_find_meeting(const rv_state_t *s, const char *prefix, rv_meeting_t **ret) {
  return find_prefix(s->meetings, s->nmeetings, sizeof *s->meetings, prefix, (void **)ret);
}
int rv_state_find_question(const rv_state_t *s, const char *prefix, rv_question_t **ret) {
  return find_prefix(s->questions, s->nquestions, sizeof *s->questions, prefix, (void **)ret);
}
int rv_state_find_action(const rv_state_t *s, const char *prefix, rv_action_t **ret) {
  return find_prefix(s->actions, s->nactions, sizeof *s->actions, prefix, (void **)ret);
}

/* Division rounding down, so that a slot one second over shows -1. */
static int64_t floor_div(int64_t a, int64_t b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }

void rv_meeting_clock(const rv_meeting_t *m, uint64_t now_ms, rv_clock_t *ret) {
  memset(ret, 0, sizeof *ret);
  int64_t end = (int64_t)(m->started_ms + m->minutes * 60000);
  ret->meeting_left = floor_div(end - (int64_t)now_ms, 60000);
  const rv_slot_t *sl = rv_meeting_slot(m);
  if (!sl)
    return;
  ret->slot_left = (int64_t)sl->minutes;
  ret->part = sl->part;
  if (!sl->started_ms)
    return;
  int64_t used = ((int64_t)now_ms - (int64_t)sl->started_ms) / 1000; /* seconds */
  int64_t len = (int64_t)sl->minutes * 60;
  ret->in_slot = true;
  ret->slot_left = floor_div(len - used, 60);
  enum rv_part by_time = used < len * 4 / 10   ? RV_PART_PRESENTATION
                         : used < len * 8 / 10 ? RV_PART_QUESTIONS
                                               : RV_PART_ACTIONS;
  if (by_time > ret->part)
    ret->part = by_time;
  int64_t margin = len / 10 > 120 ? len / 10 : 120;
  ret->slot_warning = len - used <= margin;
}

static bool running(const rv_meeting_t *m) {
  return m->phase != RV_PHASE_SCHEDULED && m->phase != RV_PHASE_CLOSED &&
         m->phase != RV_PHASE_CANCELLED;
}

rv_meeting_t *rv_state_running(const rv_state_t *s) {
  for (size_t i = 0; i < s->nmeetings; i++)
    if (running(&s->meetings[i]))
      return &s->meetings[i];
  return NULL;
}

const rv_slot_t *rv_meeting_slot(const rv_meeting_t *m) {
  if (m->phase != RV_PHASE_PRESENTATIONS || m->current >= m->nslots)
    return NULL;
  return &m->slots[m->current];
}

static bool same_member(const rv_member_id_t *a, const rv_member_id_t *b) {
  return memcmp(a->b, b->b, RV_ID_LEN) == 0;
}

/* ---- memory --------------------------------------------------------- */

/* Grows *arr (of elem-byte items, *n of them) by one zeroed item. */
static void *grow(void *arrp, size_t *n, size_t elem) {
  void **arr = arrp;
  uint8_t *p = realloc(*arr, (*n + 1) * elem);
  if (!p)
    return NULL;
  memset(p + *n * elem, 0, elem);
  *arr = p;
  return p + (*n)++ * elem;
}

static char *dup_or_null(const char *s, int *r) {
  char *c = NULL;
  if (s && !(c = strdup(s)))
    *r = RV_ENOMEM;
  return c;
}

static void notes_release(rv_note_t *v, size_t n) {
  for (size_t i = 0; i < n; i++) {
    free(v[i].text);
    free(v[i].text2);
  }
  free(v);
}

void rv__programme_release(rv_state_t *s) {
  for (size_t i = 0; i < s->nrules; i++)
    free(s->rules[i].text);
  free(s->rules);
  for (size_t i = 0; i < s->nmeetings; i++) {
    rv_meeting_t *m = &s->meetings[i];
    free(m->place);
    free(m->attendees);
    notes_release(m->apologies, m->napologies);
    notes_release(m->bids, m->nbids);
    notes_release(m->feedback, m->nfeedback);
    free(m->slots);
    free(m->cancel_reason);
  }
  free(s->meetings);
  for (size_t i = 0; i < s->nquestions; i++) {
    rv_question_t *q = &s->questions[i];
    free(q->text);
    free(q->group);
    free(q->answer);
    for (size_t j = 0; j < q->nfollowups; j++)
      free(q->followups[j]);
    free(q->followups);
  }
  free(s->questions);
  for (size_t i = 0; i < s->nactions; i++) {
    rv_action_t *a = &s->actions[i];
    free(a->text);
    for (size_t j = 0; j < a->nreports; j++)
      free(a->reports[j].note);
    free(a->reports);
  }
  free(s->actions);
}

/* ---- the division of time ----------------------------------------- */

/* Orders bids by the writer's clock on each, then by member id: the
 * first to bid presents first, whichever record the fold met first. */
static int bid_cmp(const void *x, const void *y) {
  const rv_note_t *a = x, *b = y;
  if (a->at_ms != b->at_ms)
    return a->at_ms < b->at_ms ? -1 : 1;
  return memcmp(a->member.b, b->member.b, RV_ID_LEN);
}

/* The bid of member who, or NULL. */
static const rv_note_t *bid_of(const rv_meeting_t *m, const rv_member_id_t *who) {
  for (size_t i = 0; i < m->nbids; i++)
    if (same_member(&m->bids[i].member, who))
      return &m->bids[i];
  return NULL;
}

/* Slots from the bids, in order (the facilitator's, else the bids'): as
 * asked while time lasts, the rest shortened or deferred; or every bidder
 * an equal share. order names every bidder once (checked by the caller),
 * or is NULL. */
static int allocate(rv_meeting_t *m, bool equal, const rv_member_id_t *order) {
  uint64_t total = m->minutes * PRESENT_SHARE / 100, left = total;
  rv_slot_t *slots = calloc(m->nbids ? m->nbids : 1, sizeof *slots);
  if (!slots)
    return RV_ENOMEM;
  for (size_t i = 0; i < m->nbids; i++) {
    const rv_note_t *b = order ? bid_of(m, &order[i]) : &m->bids[i];
    uint64_t want = equal || !b->minutes ? total / m->nbids : b->minutes;
    rv_slot_t *sl = &slots[i];
    sl->presenter = b->member;
    if (equal || want <= left) {
      sl->minutes = want;
    } else if (left >= MIN_SLOT) {
      sl->minutes = left;
      sl->shortened = true;
    } else {
      sl->deferred = true;
    }
    left -= sl->minutes;
  }
  free(m->slots);
  m->slots = slots;
  m->nslots = m->nbids;
  m->allocated = true;
  m->equal = equal;
  return 0;
}

/* The next slot at or after i that is not deferred (nslots if none). */
static size_t next_slot(const rv_meeting_t *m, size_t i) {
  while (i < m->nslots && m->slots[i].deferred)
    i++;
  return i;
}

/* Whether questions to presenter are shown now: once their slot has
 * reached its questions part, or the meeting has moved past it. */
static bool open_for_questions(const rv_meeting_t *m, const rv_member_id_t *presenter) {
  if (m->phase != RV_PHASE_PRESENTATIONS)
    return m->phase != RV_PHASE_REPORT_IN && m->phase != RV_PHASE_BIDDING;
  for (size_t i = 0; i < m->nslots; i++)
    if (same_member(&m->slots[i].presenter, presenter))
      return i < m->current || (i == m->current && m->slots[i].part >= RV_PART_QUESTIONS);
  return true;
}

/* Shows together every held question of m whose presenter is now open
 * for questions: after meeting.part, meeting.next and meeting.close, so
 * that no question stays held once its slot is over. */
static void release_held(rv_state_t *s, const rv_meeting_t *m) {
  for (size_t i = 0; i < s->nquestions; i++) {
    rv_question_t *q = &s->questions[i];
    if (q->held && memcmp(q->meeting.b, m->id.b, RV_OID_LEN) == 0 && open_for_questions(m, &q->to))
      q->held = false;
  }
}

/* ---- applying records ---------------------------------------------- */

/* One record as its handler sees it. */
typedef struct apply {
  rv_state_t *s;
  const rv_header_t *hd;
  const rv_body_t *b;
  rv_member_t *author; /* a member of the set */
  bool fac;            /* the author is a facilitator */
  rv_oid_t oid;        /* the record's own id: a new object's */
  rv_meeting_t *m;     /* the meeting b->ref names, for a meeting's records */
  const char **why;
} apply_t;

/* A handler returns 1 when the record applies, 0 when it changes nothing
 * (with *why), or a negative RV_E* code. */
static int deny(apply_t *a, const char *msg) {
  *a->why = msg;
  return 0;
}

static rv_note_t *note_of(rv_note_t **v, size_t *n, const rv_member_id_t *who, bool add) {
  for (size_t i = 0; i < *n; i++)
    if (same_member(&(*v)[i].member, who))
      return &(*v)[i];
  if (!add)
    return NULL;
  rv_note_t *e = grow(v, n, sizeof **v);
  if (e)
    e->member = *who;
  return e;
}

static bool attends(const rv_meeting_t *m, const rv_member_id_t *who) {
  for (size_t i = 0; i < m->nattendees; i++)
    if (same_member(&m->attendees[i], who))
      return true;
  return false;
}

/* The author's note in v (added when missing) takes the body's text; a
 * failure to copy it is left in *r. NULL without memory for the note. */
static rv_note_t *set_note(apply_t *a, rv_note_t **v, size_t *n, int *r) {
  rv_note_t *note = note_of(v, n, &a->hd->author, true);
  if (!note) {
    *r = RV_ENOMEM;
    return NULL;
  }
  free(note->text);
  note->text = dup_or_null(a->b->text, r);
  return note;
}

/* ---- the contract, and scheduling ---- */

static int contract_add(apply_t *a) {
  int r = 0;
  if (!a->fac)
    return deny(a, "only a facilitator changes the contract");
  rv_rule_t *rule = grow(&a->s->rules, &a->s->nrules, sizeof *rule);
  if (!rule)
    return RV_ENOMEM;
  rule->id = a->oid;
  rule->version = ++a->s->contract_version;
  rule->text = dup_or_null(a->b->text, &r);
  return r < 0 ? r : 1;
}

/* The quorum is how meetings are run, not a rule members promise to keep:
 * it changes no version, and nobody is asked to agree again. */
static int contract_quorum(apply_t *a) {
  if (!a->fac)
    return deny(a, "only a facilitator changes the contract");
  a->s->quorum = a->b->num;
  return 1;
}

/* The rule the body's ref names, or NULL (with *why). */
static rv_rule_t *rule_of(apply_t *a) {
  for (size_t i = 0; i < a->s->nrules; i++)
    if (memcmp(a->s->rules[i].id.b, a->b->ref.b, RV_OID_LEN) == 0)
      return &a->s->rules[i];
  deny(a, "no such rule (it may have been withdrawn)");
  return NULL;
}

/* A rule reworded: a new version of the contract, the rule's since it. */
static int contract_edit(apply_t *a) {
  int r = 0;
  rv_rule_t *rule;
  if (!a->fac)
    return deny(a, "only a facilitator changes the contract");
  if (!(rule = rule_of(a)))
    return 0;
  char *text = dup_or_null(a->b->text, &r);
  if (r < 0)
    return r;
  free(rule->text);
  rule->text = text;
  rule->version = ++a->s->contract_version;
  return 1;
}

/* A rule taken out of the contract: a new version of it. */
static int contract_withdraw(apply_t *a) {
  rv_rule_t *rule;
  if (!a->fac)
    return deny(a, "only a facilitator changes the contract");
  if (!(rule = rule_of(a)))
    return 0;
  size_t i = (size_t)(rule - a->s->rules);
  free(rule->text);
  memmove(rule, rule + 1, (a->s->nrules - i - 1) * sizeof *rule);
  a->s->nrules--;
  a->s->contract_version++;
  return 1;
}

/* An agreement names the version its writer saw. One naming a later
 * version than the fold has reached counts for the current one: before
 * the quorum stopped changing the version, each quorum record counted one,
 * and agreements written then name those higher numbers. */
static int contract_agree(apply_t *a) {
  if (a->b->num < a->s->contract_version || a->s->contract_version == 0)
    return deny(a, "that is not the current version of the contract");
  a->author->agreed = a->s->contract_version;
  return 1;
}

/* Whether meeting x comes before a meeting at at_ms with id: by date, then
 * id, so that every view numbers meetings by their date. */
static bool meeting_before(const rv_meeting_t *x, uint64_t at_ms, const rv_oid_t *id) {
  if (x->at_ms != at_ms)
    return x->at_ms < at_ms;
  return memcmp(x->id.b, id->b, RV_OID_LEN) < 0;
}

static int meeting_schedule(apply_t *a) {
  int r = 0;
  rv_state_t *s = a->s;
  if (!a->fac)
    return deny(a, "only a facilitator schedules meetings");
  if (a->b->num2 < MIN_SLOT)
    return deny(a, "a meeting needs at least 10 minutes");
  char *place = dup_or_null(a->b->text, &r);
  if (r < 0)
    return r;
  if (!grow(&s->meetings, &s->nmeetings, sizeof *s->meetings)) {
    free(place);
    return RV_ENOMEM;
  }
  size_t at = s->nmeetings - 1;
  while (at > 0 && !meeting_before(&s->meetings[at - 1], a->b->num, &a->oid))
    at--;
  rv_meeting_t *m = &s->meetings[at];
  memmove(m + 1, m, (s->nmeetings - 1 - at) * sizeof *m);
  *m = (rv_meeting_t){.id = a->oid, .at_ms = a->b->num, .minutes = a->b->num2, .place = place};
  return 1;
}

/* ---- questions and actions ---- */

/* The question i of the record: one ref, or each of a group's. */
static const rv_oid_t *question_ref(const rv_body_t *b, size_t i) {
  return b->type == RV_BODY_GROUP ? &b->refs[i] : &b->ref;
}

/* Answer, discard, group (the presenter's) and follow-up (the asker's):
 * every question named must allow it before any changes. */
static int question(apply_t *a) {
  const rv_body_t *b = a->b;
  size_t n = b->type == RV_BODY_GROUP ? b->nrefs : 1;
  int r = 0;
  for (size_t i = 0; i < n; i++) {
    rv_question_t *q = rv_state_question(a->s, question_ref(b, i));
    if (!q)
      return deny(a, "no such question");
    if (b->type == RV_BODY_FOLLOW_UP && !same_member(&q->from, &a->hd->author))
      return deny(a, "only the member who asked a question follows it up");
    if (b->type != RV_BODY_FOLLOW_UP && !same_member(&q->to, &a->hd->author))
      return deny(a, "only the presenter answers, groups or discards the questions put to them");
    if (q->status == RV_Q_DISCARDED)
      return deny(a, "the question was discarded");
    if (q->held && b->type != RV_BODY_FOLLOW_UP)
      return deny(a, "the question is held until the slot's questions part");
  }
  for (size_t i = 0; i < n; i++) {
    rv_question_t *q = rv_state_question(a->s, question_ref(b, i));
    switch (b->type) {
    case RV_BODY_ANSWER:
      free(q->answer);
      q->answer = dup_or_null(b->text, &r);
      q->status = RV_Q_ANSWERED;
      break;
    case RV_BODY_DISCARD: q->status = RV_Q_DISCARDED; break;
    case RV_BODY_GROUP:
      free(q->group);
      q->group = dup_or_null(b->name, &r);
      break;
    default: {
      char **f = grow(&q->followups, &q->nfollowups, sizeof *f);
      if (!f)
        return RV_ENOMEM;
      *f = dup_or_null(b->text, &r);
      break;
    }
    }
  }
  return r < 0 ? r : 1;
}

static int report_in(apply_t *a) {
  int r = 0;
  rv_action_t *act = rv_state_action(a->s, &a->b->ref);
  if (!act)
    return deny(a, "no such action");
  if (!same_member(&act->owner, &a->hd->author))
    return deny(a, "only an action's owner reports on it");
  if (a->b->num < RV_A_DONE || a->b->num > RV_A_DROPPED)
    return deny(a, "not a report-in status");
  rv_report_t *rep = grow(&act->reports, &act->nreports, sizeof *rep);
  if (!rep)
    return RV_ENOMEM;
  rep->status = (enum rv_astatus)a->b->num;
  rep->note = dup_or_null(a->b->text, &r);
  rep->at_ms = a->hd->time_ms;
  rv_meeting_t *now = rv_state_running(a->s);
  if (now)
    rep->meeting = now->id;
  act->status = rep->status;
  return r < 0 ? r : 1;
}

/* ---- a meeting's steps (a->m is the meeting) ---- */

static int meeting_start(apply_t *a) {
  if (!a->fac)
    return deny(a, "only a facilitator starts a meeting");
  if (a->m->phase == RV_PHASE_CANCELLED)
    return deny(a, "the meeting was cancelled");
  if (a->m->phase != RV_PHASE_SCHEDULED)
    return deny(a, "the meeting has already started");
  if (rv_state_running(a->s))
    return deny(a, "another meeting is running");
  a->m->phase = RV_PHASE_REPORT_IN;
  a->m->started_ms = a->hd->time_ms;
  return 1;
}

static int meeting_next(apply_t *a) {
  rv_meeting_t *m = a->m;
  if (!a->fac)
    return deny(a, "only a facilitator moves the meeting on");
  if (!running(m))
    return deny(a, "the meeting is not running");
  if (a->b->num != m->phase || (m->phase == RV_PHASE_PRESENTATIONS && a->b->num2 != m->current))
    return deny(a, "the meeting has already moved on");
  switch (m->phase) {
  case RV_PHASE_REPORT_IN: m->phase = RV_PHASE_BIDDING; break;
  case RV_PHASE_BIDDING:
    if (m->nbids && !m->allocated)
      return deny(a, "the time has not been allocated between the bids");
    m->current = next_slot(m, 0);
    m->phase = m->current < m->nslots ? RV_PHASE_PRESENTATIONS : RV_PHASE_FEEDBACK;
    break;
  case RV_PHASE_PRESENTATIONS:
    m->current = next_slot(m, m->current + 1);
    if (m->current >= m->nslots)
      m->phase = RV_PHASE_FEEDBACK;
    break;
  default:
    m->phase = RV_PHASE_CLOSED;
    m->closed_ms = a->hd->time_ms;
    break;
  }
  release_held(a->s, m);
  return 1;
}

/* Why a meeting that is not running cannot take a record of its steps. */
static int not_running(apply_t *a) {
  switch (a->m->phase) {
  case RV_PHASE_SCHEDULED: return deny(a, "the meeting has not started");
  case RV_PHASE_CANCELLED: return deny(a, "the meeting was cancelled");
  default: return deny(a, "the meeting is not running");
  }
}

static int meeting_close(apply_t *a) {
  if (!a->fac)
    return deny(a, "only a facilitator closes a meeting");
  if (a->m->phase == RV_PHASE_SCHEDULED)
    return deny(a, "the meeting has not started (a meeting not yet started is cancelled)");
  if (!running(a->m))
    return not_running(a);
  a->m->phase = RV_PHASE_CLOSED;
  a->m->closed_ms = a->hd->time_ms;
  release_held(a->s, a->m);
  return 1;
}

/* Called off before it started: the meeting is never held and does not
 * count as planned; the reason is kept. */
static int meeting_cancel(apply_t *a) {
  int r = 0;
  if (!a->fac)
    return deny(a, "only a facilitator cancels a meeting");
  if (a->m->phase == RV_PHASE_CANCELLED)
    return deny(a, "the meeting was already cancelled");
  if (a->m->phase != RV_PHASE_SCHEDULED)
    return deny(a, "only a meeting not yet started is cancelled (close it instead)");
  char *reason = dup_or_null(a->b->text, &r);
  if (r < 0)
    return r;
  a->m->phase = RV_PHASE_CANCELLED;
  a->m->cancel_reason = reason;
  return 1;
}

/* Takes who out of the meeting's apologies, if they sent any. */
static void drop_apology(rv_meeting_t *m, const rv_member_id_t *who) {
  rv_note_t *n = note_of(&m->apologies, &m->napologies, who, false);
  if (!n)
    return;
  free(n->text);
  free(n->text2);
  size_t i = (size_t)(n - m->apologies);
  memmove(n, n + 1, (m->napologies - i - 1) * sizeof *n);
  m->napologies--;
}

/* Takes who out of the meeting's attendees, if they checked in. */
static void drop_attendance(rv_meeting_t *m, const rv_member_id_t *who) {
  for (size_t i = 0; i < m->nattendees; i++)
    if (same_member(&m->attendees[i], who)) {
      memmove(&m->attendees[i], &m->attendees[i + 1], (m->nattendees - i - 1) * sizeof *who);
      m->nattendees--;
      return;
    }
}

/* Attending replaces an earlier apology for the meeting. */
static int attend(apply_t *a) {
  if (!running(a->m))
    return not_running(a);
  drop_apology(a->m, &a->hd->author);
  if (attends(a->m, &a->hd->author))
    return 1;
  rv_member_id_t *e = grow(&a->m->attendees, &a->m->nattendees, sizeof *e);
  if (!e)
    return RV_ENOMEM;
  *e = a->hd->author;
  return 1;
}

/* Apologies are sent before a meeting or while it runs (a member called
 * away): they replace the member's attendance. */
static int apologise(apply_t *a) {
  int r = 0;
  if (a->m->phase != RV_PHASE_SCHEDULED && !running(a->m))
    return deny(a, a->m->phase == RV_PHASE_CANCELLED
                       ? "the meeting was cancelled"
                       : "apologies are sent before a meeting closes");
  drop_attendance(a->m, &a->hd->author);
  set_note(a, &a->m->apologies, &a->m->napologies, &r);
  return r < 0 ? r : 1;
}

static int bid(apply_t *a) {
  rv_note_t *n;
  int r = 0;
  if (a->m->phase != RV_PHASE_REPORT_IN && a->m->phase != RV_PHASE_BIDDING)
    return deny(a, "bids are made before the presentations");
  if (a->m->allocated)
    return deny(a, "the time has already been allocated");
  if (!(n = set_note(a, &a->m->bids, &a->m->nbids, &r)))
    return r;
  n->minutes = a->b->num;
  if (!n->at_ms) { /* a new bid; a changed one keeps its place */
    n->at_ms = a->hd->time_ms;
    qsort(a->m->bids, a->m->nbids, sizeof *a->m->bids, bid_cmp);
  }
  return r < 0 ? r : 1;
}

/* NULL when order (n members, none for the bids' own order) names every
 * bidder of m exactly once, else why not. */
static const char *order_fault(const rv_meeting_t *m, const rv_member_id_t *order, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!bid_of(m, &order[i]))
      return "the order names a member who has not bid";
    for (size_t j = 0; j < i; j++)
      if (same_member(&order[j], &order[i]))
        return "the order names a bidder twice";
  }
  return n && n != m->nbids ? "the order leaves out a bidder" : NULL;
}

static int allocate_time(apply_t *a) {
  if (!a->fac)
    return deny(a, "only a facilitator allocates the time");
  if (a->m->phase != RV_PHASE_BIDDING)
    return deny(a, "time is allocated in the bidding step");
  if (!a->m->nbids)
    return deny(a, "nobody has bid");
  const char *why = order_fault(a->m, a->b->members, a->b->nmembers);
  if (why)
    return deny(a, why);
  int r = allocate(a->m, a->b->flag, a->b->nmembers ? a->b->members : NULL);
  return r < 0 ? r : 1;
}

/* The facilitator moves the current slot on to its questions or actions
 * part: the questions held for it are shown. */
static int meeting_part(apply_t *a) {
  rv_meeting_t *m = a->m;
  if (!a->fac)
    return deny(a, "only a facilitator moves a slot on to its questions");
  const rv_slot_t *sl = rv_meeting_slot(m);
  if (!sl)
    return deny(a, "nobody is presenting");
  if (a->b->num != m->current)
    return deny(a, "the meeting has already moved on");
  if (a->b->num2 <= sl->part)
    return deny(a, a->b->num2 == RV_PART_PRESENTATION ? "a slot starts with its presentation"
                                                      : "the slot has already reached that part");
  m->slots[m->current].part = (enum rv_part)a->b->num2;
  release_held(a->s, m);
  return 1;
}

/* True when the author presents in the meeting's current slot. */
static bool presenting(const apply_t *a) {
  const rv_slot_t *slot = rv_meeting_slot(a->m);
  return slot && same_member(&slot->presenter, &a->hd->author);
}

static int present(apply_t *a) {
  if (!presenting(a))
    return deny(a, "it is not this member's turn to present");
  if (rv_meeting_slot(a->m)->started_ms)
    return deny(a, "the slot has already started");
  a->m->slots[a->m->current].started_ms = a->hd->time_ms;
  return 1;
}

static int ask(apply_t *a) {
  const rv_body_t *b = a->b;
  rv_meeting_t *m = a->m;
  int r = 0;
  if (m->phase != RV_PHASE_PRESENTATIONS)
    return deny(a, "questions are asked during the presentations");
  bool presenter = false;
  for (size_t i = 0; i < m->nslots; i++)
    presenter |= !m->slots[i].deferred && same_member(&m->slots[i].presenter, &b->member);
  if (!presenter)
    return deny(a, "questions are put to a presenter of the meeting");
  if (same_member(&b->member, &a->hd->author))
    return deny(a, "a presenter does not question themselves");
  if (b->num < 1 || b->num > 3)
    return deny(a, "not a kind of question");
  rv_question_t *q = grow(&a->s->questions, &a->s->nquestions, sizeof *q);
  if (!q)
    return RV_ENOMEM;
  q->id = a->oid;
  q->meeting = m->id;
  q->from = a->hd->author;
  q->to = b->member;
  q->kind = b->num;
  q->anyway = b->flag;
  q->at_ms = a->hd->time_ms;
  q->held = !open_for_questions(m, &b->member);
  q->text = dup_or_null(b->text, &r);
  return r < 0 ? r : 1;
}

static int action_add(apply_t *a) {
  int r = 0;
  if (!presenting(a))
    return deny(a, "only the presenter writes their actions, during their slot");
  rv_action_t *act = grow(&a->s->actions, &a->s->nactions, sizeof *act);
  if (!act)
    return RV_ENOMEM;
  act->id = a->oid;
  act->meeting = a->m->id;
  act->owner = a->hd->author;
  act->due_day = a->b->num;
  act->at_ms = a->hd->time_ms;
  act->text = dup_or_null(a->b->text, &r);
  return r < 0 ? r : 1;
}

static int feedback(apply_t *a) {
  rv_note_t *n;
  int r = 0;
  if (a->m->phase != RV_PHASE_FEEDBACK)
    return deny(a, "feedback is given in the feedback step");
  if (!(n = set_note(a, &a->m->feedback, &a->m->nfeedback, &r)))
    return r;
  free(n->text2);
  n->text2 = dup_or_null(a->b->text2, &r);
  return r < 0 ? r : 1;
}

/* The handler of each body type of the programme; `meeting`: b->ref must
 * name a meeting, found before the handler runs. Membership types are
 * fold.c's and have none. */
static const struct {
  int (*apply)(apply_t *a);
  bool meeting;
} appliers[RV_BODY__COUNT] = {
    [RV_BODY_CONTRACT_ADD] = {contract_add, false},
    [RV_BODY_CONTRACT_QUORUM] = {contract_quorum, false},
    [RV_BODY_CONTRACT_AGREE] = {contract_agree, false},
    [RV_BODY_MEETING_SCHEDULE] = {meeting_schedule, false},
    [RV_BODY_ANSWER] = {question, false},
    [RV_BODY_DISCARD] = {question, false},
    [RV_BODY_FOLLOW_UP] = {question, false},
    [RV_BODY_GROUP] = {question, false},
    [RV_BODY_REPORT_IN] = {report_in, false},
    [RV_BODY_MEETING_START] = {meeting_start, true},
    [RV_BODY_MEETING_NEXT] = {meeting_next, true},
    [RV_BODY_MEETING_CLOSE] = {meeting_close, true},
    [RV_BODY_ATTEND] = {attend, true},
    [RV_BODY_APOLOGISE] = {apologise, true},
    [RV_BODY_BID] = {bid, true},
    [RV_BODY_ALLOCATE] = {allocate_time, true},
    [RV_BODY_PRESENT] = {present, true},
    [RV_BODY_ASK] = {ask, true},
    [RV_BODY_ACTION_ADD] = {action_add, true},
    [RV_BODY_FEEDBACK] = {feedback, true},
    [RV_BODY_MEETING_CANCEL] = {meeting_cancel, true},
    [RV_BODY_CONTRACT_EDIT] = {contract_edit, false},
    [RV_BODY_CONTRACT_WITHDRAW] = {contract_withdraw, false},
    [RV_BODY_MEETING_PART] = {meeting_part, true},
};

int rv__programme_apply(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b,
                        const rv_member_t *author, const char **why) {
  apply_t a = {.s = s, .hd = hd, .b = b, .author = (rv_member_t *)author, .why = why};
  bool known = (size_t)b->type < RV_BODY__COUNT && appliers[b->type].apply;
  a.fac = author->role == RV_ROLE_FACILITATOR;
  rv_oid_of(&a.oid, &hd->set, &hd->author, hd->seq);
  if (known && !appliers[b->type].meeting)
    return appliers[b->type].apply(&a);
  /* Everything else concerns a meeting. */
  if (!(a.m = rv_state_meeting(s, &b->ref)))
    return deny(&a, "no such meeting");
  if (!known)
    return deny(&a, "the record's type is not known to this version");
  return appliers[b->type].apply(&a);
}

/* ---- encoding ------------------------------------------------------- */

static void enc_note(rv_enc_t *e, const rv_note_t *n) {
  rv_enc_array(e, 5);
  rv_enc_bin(e, n->member.b, RV_ID_LEN);
  rv_enc_cstr(e, n->text);
  rv_enc_cstr(e, n->text2);
  rv_enc_uint(e, n->minutes);
  rv_enc_uint(e, n->at_ms);
}

static void enc_notes(rv_enc_t *e, const rv_note_t *v, size_t n) {
  rv_enc_array(e, (uint32_t)n);
  for (size_t i = 0; i < n; i++)
    enc_note(e, &v[i]);
}

static void enc_contract(rv_enc_t *e, const rv_state_t *s) {
  rv_enc_array(e, 3);
  rv_enc_uint(e, s->contract_version);
  rv_enc_uint(e, s->quorum);
  rv_enc_array(e, (uint32_t)s->nrules);
  for (size_t i = 0; i < s->nrules; i++) {
    rv_enc_array(e, 3);
    rv_enc_bin(e, s->rules[i].id.b, RV_OID_LEN);
    rv_enc_cstr(e, s->rules[i].text);
    rv_enc_uint(e, s->rules[i].version);
  }
}

static void enc_meeting(rv_enc_t *e, const rv_meeting_t *m) {
  rv_enc_array(e, 16);
  rv_enc_bin(e, m->id.b, RV_OID_LEN);
  rv_enc_uint(e, m->at_ms);
  rv_enc_uint(e, m->minutes);
  rv_enc_cstr(e, m->place);
  rv_enc_uint(e, m->phase);
  rv_enc_uint(e, m->started_ms);
  rv_enc_uint(e, m->closed_ms);
  rv_enc_uint(e, m->current);
  rv_enc_array(e, (uint32_t)m->nattendees);
  for (size_t j = 0; j < m->nattendees; j++)
    rv_enc_bin(e, m->attendees[j].b, RV_ID_LEN);
  enc_notes(e, m->apologies, m->napologies);
  enc_notes(e, m->bids, m->nbids);
  rv_enc_array(e, (uint32_t)m->nslots);
  for (size_t j = 0; j < m->nslots; j++) {
    const rv_slot_t *sl = &m->slots[j];
    rv_enc_array(e, 6);
    rv_enc_bin(e, sl->presenter.b, RV_ID_LEN);
    rv_enc_uint(e, sl->minutes);
    rv_enc_uint(e, sl->started_ms);
    rv_enc_bool(e, sl->shortened);
    rv_enc_bool(e, sl->deferred);
    rv_enc_uint(e, sl->part);
  }
  rv_enc_bool(e, m->allocated);
  rv_enc_bool(e, m->equal);
  enc_notes(e, m->feedback, m->nfeedback);
  rv_enc_cstr(e, m->cancel_reason);
}

static void enc_question(rv_enc_t *e, const rv_question_t *q) {
  rv_enc_array(e, 13);
  rv_enc_bin(e, q->id.b, RV_OID_LEN);
  rv_enc_bin(e, q->meeting.b, RV_OID_LEN);
  rv_enc_bin(e, q->from.b, RV_ID_LEN);
  rv_enc_bin(e, q->to.b, RV_ID_LEN);
  rv_enc_cstr(e, q->text);
  rv_enc_uint(e, q->kind);
  rv_enc_bool(e, q->anyway);
  rv_enc_uint(e, q->status);
  rv_enc_cstr(e, q->group);
  rv_enc_cstr(e, q->answer);
  rv_enc_array(e, (uint32_t)q->nfollowups);
  for (size_t j = 0; j < q->nfollowups; j++)
    rv_enc_cstr(e, q->followups[j]);
  rv_enc_uint(e, q->at_ms);
  rv_enc_bool(e, q->held);
}

static void enc_action(rv_enc_t *e, const rv_action_t *a) {
  rv_enc_array(e, 8);
  rv_enc_bin(e, a->id.b, RV_OID_LEN);
  rv_enc_bin(e, a->meeting.b, RV_OID_LEN);
  rv_enc_bin(e, a->owner.b, RV_ID_LEN);
  rv_enc_cstr(e, a->text);
  rv_enc_uint(e, a->due_day);
  rv_enc_uint(e, a->status);
  rv_enc_array(e, (uint32_t)a->nreports);
  for (size_t j = 0; j < a->nreports; j++) {
    rv_enc_array(e, 4);
    rv_enc_uint(e, a->reports[j].status);
    rv_enc_cstr(e, a->reports[j].note);
    rv_enc_uint(e, a->reports[j].at_ms);
    rv_enc_bin(e, a->reports[j].meeting.b, RV_OID_LEN);
  }
  rv_enc_uint(e, a->at_ms);
}

void rv__programme_encode(rv_enc_t *e, const rv_state_t *s) {
  rv_enc_cstr(e, "contract");
  enc_contract(e, s);
  rv_enc_cstr(e, "meetings");
  rv_enc_array(e, (uint32_t)s->nmeetings);
  for (size_t i = 0; i < s->nmeetings; i++)
    enc_meeting(e, &s->meetings[i]);
  rv_enc_cstr(e, "questions");
  rv_enc_array(e, (uint32_t)s->nquestions);
  for (size_t i = 0; i < s->nquestions; i++)
    enc_question(e, &s->questions[i]);
  rv_enc_cstr(e, "actions");
  rv_enc_array(e, (uint32_t)s->nactions);
  for (size_t i = 0; i < s->nactions; i++)
    enc_action(e, &s->actions[i]);
}

/* ---- decoding ------------------------------------------------------- */

/* Reads the elements of one msgpack array in turn; the first error
 * sticks, so that a decoder reads straight through and checks once. */
typedef struct rd {
  rv_val_t a;
  uint32_t i;
  int err;
} rd_t;

static rd_t rd_open(rv_val_t v, uint32_t want) {
  rd_t r = {.a = v, .i = 0, .err = 0};
  if (rv_val_kind(v) != RV_K_ARRAY || (want && rv_val_len(v) != want))
    r.err = RV_EFORMAT;
  return r;
}

static rv_val_t rd_val(rd_t *r) {
  rv_val_t v = {0};
  if (!r->err && rv_val_at(r->a, r->i++, &v) < 0)
    r->err = RV_EFORMAT;
  return v;
}

static uint64_t rd_uint(rd_t *r) {
  uint64_t u = 0;
  rv_val_t v = rd_val(r);
  if (!r->err && rv_val_uint(v, &u) < 0)
    r->err = RV_EFORMAT;
  return u;
}

static bool rd_bool(rd_t *r) {
  bool b = false;
  rv_val_t v = rd_val(r);
  if (!r->err && rv_val_bool(v, &b) < 0)
    r->err = RV_EFORMAT;
  return b;
}

static void rd_bin(rd_t *r, void *out, size_t n) {
  rv_val_t v = rd_val(r);
  if (!r->err && rv_val_bin_fixed(v, out, n) < 0)
    r->err = RV_EFORMAT;
}

static char *rd_str(rd_t *r) {
  char *s = NULL;
  rv_val_t v = rd_val(r);
  if (!r->err && rv_val_kind(v) != RV_K_NIL && rv_val_strdup(v, RV_TEXT_MAX, &s) < 0)
    r->err = RV_EFORMAT;
  return s;
}

/* Opens the next element as an array, allocating n items of elem bytes. */
static rd_t rd_list(rd_t *r, void *arrp, size_t *n, size_t elem) {
  rv_val_t v = rd_val(r);
  rd_t sub = {.err = r->err};
  if (r->err)
    return sub;
  sub = rd_open(v, 0);
  if (!sub.err && rv_val_len(v)) {
    void **arr = arrp;
    if (!(*arr = calloc(rv_val_len(v), elem)))
      sub.err = RV_ENOMEM;
    else
      *n = rv_val_len(v);
  }
  if (sub.err)
    r->err = sub.err;
  return sub;
}

static void rd_item(rd_t *list, rd_t *item, uint32_t fields) {
  rv_val_t v = rd_val(list);
  *item = list->err ? (rd_t){.err = list->err} : rd_open(v, fields);
}

static void rd_notes(rd_t *r, rv_note_t **v, size_t *n) {
  rd_t l = rd_list(r, v, n, sizeof **v);
  for (size_t i = 0; i < *n && !l.err; i++) {
    rd_t it;
    rd_item(&l, &it, 5);
    rd_bin(&it, (*v)[i].member.b, RV_ID_LEN);
    (*v)[i].text = rd_str(&it);
    (*v)[i].text2 = rd_str(&it);
    (*v)[i].minutes = rd_uint(&it);
    (*v)[i].at_ms = rd_uint(&it);
    l.err = it.err;
  }
  if (l.err)
    r->err = l.err;
}

static int dec_contract(rv_val_t map, rv_state_t *s) {
  rv_val_t v;
  rd_t c, l, it;
  if (rv_val_get(map, "contract", &v) < 0)
    return RV_EFORMAT;
  c = rd_open(v, 3);
  s->contract_version = rd_uint(&c);
  s->quorum = rd_uint(&c);
  l = rd_list(&c, &s->rules, &s->nrules, sizeof *s->rules);
  for (size_t i = 0; i < s->nrules && !l.err; i++) {
    rd_item(&l, &it, 3);
    rd_bin(&it, s->rules[i].id.b, RV_OID_LEN);
    s->rules[i].text = rd_str(&it);
    s->rules[i].version = rd_uint(&it);
    l.err = it.err;
  }
  return c.err ? c.err : l.err;
}

static void dec_meeting(rd_t *c, rv_meeting_t *m) {
  rd_t it, l;
  rd_item(c, &it, 16);
  rd_bin(&it, m->id.b, RV_OID_LEN);
  m->at_ms = rd_uint(&it);
  m->minutes = rd_uint(&it);
  m->place = rd_str(&it);
  m->phase = (enum rv_phase)rd_uint(&it);
  m->started_ms = rd_uint(&it);
  m->closed_ms = rd_uint(&it);
  m->current = rd_uint(&it);
  l = rd_list(&it, &m->attendees, &m->nattendees, sizeof *m->attendees);
  for (size_t j = 0; j < m->nattendees && !l.err; j++)
    rd_bin(&l, m->attendees[j].b, RV_ID_LEN);
  it.err = it.err ? it.err : l.err;
  rd_notes(&it, &m->apologies, &m->napologies);
  rd_notes(&it, &m->bids, &m->nbids);
  l = rd_list(&it, &m->slots, &m->nslots, sizeof *m->slots);
  for (size_t j = 0; j < m->nslots && !l.err; j++) {
    rd_t sl;
    rd_item(&l, &sl, 6);
    rd_bin(&sl, m->slots[j].presenter.b, RV_ID_LEN);
    m->slots[j].minutes = rd_uint(&sl);
    m->slots[j].started_ms = rd_uint(&sl);
    m->slots[j].shortened = rd_bool(&sl);
    m->slots[j].deferred = rd_bool(&sl);
    m->slots[j].part = (enum rv_part)rd_uint(&sl);
    if (m->slots[j].part > RV_PART_ACTIONS)
      sl.err = RV_EFORMAT;
    l.err = sl.err;
  }
  it.err = it.err ? it.err : l.err;
  m->allocated = rd_bool(&it);
  m->equal = rd_bool(&it);
  rd_notes(&it, &m->feedback, &m->nfeedback);
  m->cancel_reason = rd_str(&it);
  if (m->phase > RV_PHASE_CANCELLED)
    it.err = RV_EFORMAT;
  c->err = it.err;
}

static void dec_question(rd_t *c, rv_question_t *q) {
  rd_t it, l;
  rd_item(c, &it, 13);
  rd_bin(&it, q->id.b, RV_OID_LEN);
  rd_bin(&it, q->meeting.b, RV_OID_LEN);
  rd_bin(&it, q->from.b, RV_ID_LEN);
  rd_bin(&it, q->to.b, RV_ID_LEN);
  q->text = rd_str(&it);
  q->kind = rd_uint(&it);
  q->anyway = rd_bool(&it);
  q->status = (enum rv_qstatus)rd_uint(&it);
  q->group = rd_str(&it);
  q->answer = rd_str(&it);
  l = rd_list(&it, &q->followups, &q->nfollowups, sizeof *q->followups);
  for (size_t j = 0; j < q->nfollowups && !l.err; j++)
    q->followups[j] = rd_str(&l);
  it.err = it.err ? it.err : l.err;
  q->at_ms = rd_uint(&it);
  q->held = rd_bool(&it);
  if (q->status > RV_Q_DISCARDED)
    it.err = RV_EFORMAT;
  c->err = it.err;
}

static void dec_action(rd_t *c, rv_action_t *a) {
  rd_t it, l;
  rd_item(c, &it, 8);
  rd_bin(&it, a->id.b, RV_OID_LEN);
  rd_bin(&it, a->meeting.b, RV_OID_LEN);
  rd_bin(&it, a->owner.b, RV_ID_LEN);
  a->text = rd_str(&it);
  a->due_day = rd_uint(&it);
  a->status = (enum rv_astatus)rd_uint(&it);
  l = rd_list(&it, &a->reports, &a->nreports, sizeof *a->reports);
  for (size_t j = 0; j < a->nreports && !l.err; j++) {
    rd_t rp;
    rd_item(&l, &rp, 4);
    a->reports[j].status = (enum rv_astatus)rd_uint(&rp);
    a->reports[j].note = rd_str(&rp);
    a->reports[j].at_ms = rd_uint(&rp);
    rd_bin(&rp, a->reports[j].meeting.b, RV_OID_LEN);
    l.err = rp.err;
  }
  it.err = it.err ? it.err : l.err;
  a->at_ms = rd_uint(&it);
  if (a->status > RV_A_DROPPED)
    it.err = RV_EFORMAT;
  c->err = it.err;
}

/* Opens the state map's list `key`, its n items (elem bytes each) zeroed
 * in *arrp, for the caller to read from *ret. */
static int dec_list(rv_val_t map, const char *key, void *arrp, size_t *n, size_t elem, rd_t *ret) {
  rv_val_t v;
  void **arr = arrp;
  if (rv_val_get(map, key, &v) < 0)
    return RV_EFORMAT;
  *ret = rd_open(v, 0);
  if (ret->err)
    return ret->err;
  if (rv_val_len(v) && !(*arr = calloc(rv_val_len(v), elem)))
    return RV_ENOMEM;
  *n = rv_val_len(v);
  return 0;
}

int rv__programme_decode(rv_val_t map, rv_state_t *s) {
  rd_t c;
  int r = dec_contract(map, s);
  if (r < 0 ||
      (r = dec_list(map, "meetings", &s->meetings, &s->nmeetings, sizeof *s->meetings, &c)) < 0)
    return r;
  for (size_t i = 0; i < s->nmeetings && !c.err; i++)
    dec_meeting(&c, &s->meetings[i]);
  if (c.err ||
      (r = dec_list(map, "questions", &s->questions, &s->nquestions, sizeof *s->questions, &c)) < 0)
    return c.err ? c.err : r;
  for (size_t i = 0; i < s->nquestions && !c.err; i++)
    dec_question(&c, &s->questions[i]);
  if (c.err ||
      (r = dec_list(map, "actions", &s->actions, &s->nactions, sizeof *s->actions, &c)) < 0)
    return c.err ? c.err : r;
  for (size_t i = 0; i < s->nactions && !c.err; i++)
    dec_action(&c, &s->actions[i]);
  return c.err;
}
