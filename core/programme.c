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

static const char *const phase_names[] = {"scheduled", "report-in", "bidding",
                                          "presentations", "feedback", "closed"};
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
  uint8_t k[RV_SETID_LEN + RV_ID_LEN + 8], h[RV_HASH_LEN];
  memcpy(k, set->b, RV_SETID_LEN);
  memcpy(k + RV_SETID_LEN, author->b, RV_ID_LEN);
  rv_be64_put(k + RV_SETID_LEN + RV_ID_LEN, seq);
  rv_hash(h, k, sizeof k);
  memcpy(ret->b, h, RV_OID_LEN);
}

/* ---- lookups -------------------------------------------------------- */

#define FIND(arr, n, idp)                                                  \
  for (size_t i = 0; i < (n); i++)                                         \
    if (memcmp((arr)[i].id.b, (idp)->b, RV_OID_LEN) == 0)                  \
      return &(arr)[i];                                                    \
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
    while (k < len && (hex[k] == prefix[k] || (prefix[k] >= 'A' && prefix[k] <= 'F' &&
                                              hex[k] == prefix[k] - 'A' + 'a')))
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
  if (!sl->started_ms)
    return;
  int64_t used = ((int64_t)now_ms - (int64_t)sl->started_ms) / 1000; /* seconds */
  int64_t len = (int64_t)sl->minutes * 60;
  ret->in_slot = true;
  ret->slot_left = floor_div(len - used, 60);
  ret->part = used < len * 4 / 10 ? RV_PART_PRESENTATION
              : used < len * 8 / 10 ? RV_PART_QUESTIONS : RV_PART_ACTIONS;
  int64_t margin = len / 10 > 120 ? len / 10 : 120;
  ret->slot_warning = len - used <= margin;
}

static bool running(const rv_meeting_t *m) {
  return m->phase != RV_PHASE_SCHEDULED && m->phase != RV_PHASE_CLOSED;
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

/* Slots from the bids: in bidding order while time lasts, the rest
 * shortened or deferred; or every bidder an equal share. */
static int allocate(rv_meeting_t *m, bool equal) {
  uint64_t total = m->minutes * PRESENT_SHARE / 100, left = total;
  rv_slot_t *slots = calloc(m->nbids ? m->nbids : 1, sizeof *slots);
  if (!slots)
    return RV_ENOMEM;
  for (size_t i = 0; i < m->nbids; i++) {
    const rv_note_t *b = &m->bids[i];
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

/* ---- applying records ---------------------------------------------- */

#define DENY(msg)   \
  do {              \
    *why = (msg);   \
    return 0;       \
  } while (0)

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

int rv__programme_apply(rv_state_t *s, const rv_header_t *h, const rv_body_t *b,
                        const rv_member_t *author, const char **why) {
  bool fac = author->role == RV_ROLE_FACILITATOR;
  rv_meeting_t *m = NULL;
  int r = 0;
  rv_oid_t oid;
  rv_oid_of(&oid, &h->set, &h->author, h->seq);

  switch (b->type) {
  case RV_BODY_CONTRACT_ADD: {
    if (!fac)
      DENY("only a facilitator changes the contract");
    rv_rule_t *rule = grow(&s->rules, &s->nrules, sizeof *rule);
    if (!rule)
      return RV_ENOMEM;
    rule->id = oid;
    rule->version = ++s->contract_version;
    rule->text = dup_or_null(b->text, &r);
    return r < 0 ? r : 1;
  }
  case RV_BODY_CONTRACT_QUORUM:
    if (!fac)
      DENY("only a facilitator changes the contract");
    s->quorum = b->num;
    s->contract_version++;
    return 1;
  case RV_BODY_CONTRACT_AGREE:
    if (b->num != s->contract_version || s->contract_version == 0)
      DENY("that is not the current version of the contract");
    ((rv_member_t *)author)->agreed = b->num;
    return 1;
  case RV_BODY_MEETING_SCHEDULE:
    if (!fac)
      DENY("only a facilitator schedules meetings");
    if (b->num2 < MIN_SLOT)
      DENY("a meeting needs at least 10 minutes");
    if (!(m = grow(&s->meetings, &s->nmeetings, sizeof *m)))
      return RV_ENOMEM;
    m->id = oid;
    m->at_ms = b->num;
    m->minutes = b->num2;
    m->place = dup_or_null(b->text, &r);
    return r < 0 ? r : 1;
  default:
    break;
  }

  /* Everything else concerns a meeting, a question or an action. */
  if (b->type == RV_BODY_ANSWER || b->type == RV_BODY_DISCARD || b->type == RV_BODY_FOLLOW_UP ||
      b->type == RV_BODY_GROUP) {
    size_t n = b->type == RV_BODY_GROUP ? b->nrefs : 1;
    for (size_t i = 0; i < n; i++) {
      const rv_oid_t *qid = b->type == RV_BODY_GROUP ? &b->refs[i] : &b->ref;
      rv_question_t *q = rv_state_question(s, qid);
      if (!q)
        DENY("no such question");
      bool mine = same_member(&q->to, &h->author);
      if (b->type == RV_BODY_FOLLOW_UP ? !same_member(&q->from, &h->author) : !mine)
        DENY(b->type == RV_BODY_FOLLOW_UP
                 ? "only the member who asked a question follows it up"
                 : "only the presenter answers, groups or discards the questions put to them");
      if (q->status == RV_Q_DISCARDED)
        DENY("the question was discarded");
    }
    for (size_t i = 0; i < n; i++) {
      const rv_oid_t *qid = b->type == RV_BODY_GROUP ? &b->refs[i] : &b->ref;
      rv_question_t *q = rv_state_question(s, qid);
      switch (b->type) {
      case RV_BODY_ANSWER:
        free(q->answer);
        q->answer = dup_or_null(b->text, &r);
        q->status = RV_Q_ANSWERED;
        break;
      case RV_BODY_DISCARD:
        q->status = RV_Q_DISCARDED;
        break;
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

  if (b->type == RV_BODY_REPORT_IN) {
    rv_action_t *a = rv_state_action(s, &b->ref);
    if (!a)
      DENY("no such action");
    if (!same_member(&a->owner, &h->author))
      DENY("only an action's owner reports on it");
    if (b->num < RV_A_DONE || b->num > RV_A_DROPPED)
      DENY("not a report-in status");
    rv_report_t *rep = grow(&a->reports, &a->nreports, sizeof *rep);
    if (!rep)
      return RV_ENOMEM;
    rep->status = (enum rv_astatus)b->num;
    rep->note = dup_or_null(b->text, &r);
    rep->at_ms = h->time_ms;
    rv_meeting_t *now = rv_state_running(s);
    if (now)
      rep->meeting = now->id;
    a->status = rep->status;
    return r < 0 ? r : 1;
  }

  if (!(m = rv_state_meeting(s, &b->ref)))
    DENY("no such meeting");
  const rv_slot_t *slot = rv_meeting_slot(m);
  switch (b->type) {
  case RV_BODY_MEETING_START:
    if (!fac)
      DENY("only a facilitator starts a meeting");
    if (m->phase != RV_PHASE_SCHEDULED)
      DENY("the meeting has already started");
    if (rv_state_running(s))
      DENY("another meeting is running");
    m->phase = RV_PHASE_REPORT_IN;
    m->started_ms = h->time_ms;
    return 1;
  case RV_BODY_MEETING_NEXT:
    if (!fac)
      DENY("only a facilitator moves the meeting on");
    if (!running(m))
      DENY("the meeting is not running");
    if (b->num != m->phase || (m->phase == RV_PHASE_PRESENTATIONS && b->num2 != m->current))
      DENY("the meeting has already moved on");
    switch (m->phase) {
    case RV_PHASE_REPORT_IN:
      m->phase = RV_PHASE_BIDDING;
      break;
    case RV_PHASE_BIDDING:
      if (m->nbids && !m->allocated)
        DENY("the time has not been allocated between the bids");
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
      m->closed_ms = h->time_ms;
      break;
    }
    return 1;
  case RV_BODY_MEETING_CLOSE:
    if (!fac)
      DENY("only a facilitator closes a meeting");
    if (!running(m))
      DENY("the meeting is not running");
    m->phase = RV_PHASE_CLOSED;
    m->closed_ms = h->time_ms;
    return 1;
  case RV_BODY_ATTEND: {
    if (!running(m))
      DENY("the meeting is not running");
    if (attends(m, &h->author))
      return 1;
    rv_member_id_t *e = grow(&m->attendees, &m->nattendees, sizeof *e);
    if (!e)
      return RV_ENOMEM;
    *e = h->author;
    return 1;
  }
  case RV_BODY_APOLOGISE: {
    if (m->phase != RV_PHASE_SCHEDULED)
      DENY("apologies are sent before a meeting starts");
    rv_note_t *n = note_of(&m->apologies, &m->napologies, &h->author, true);
    if (!n)
      return RV_ENOMEM;
    free(n->text);
    n->text = dup_or_null(b->text, &r);
    return r < 0 ? r : 1;
  }
  case RV_BODY_BID: {
    if (m->phase != RV_PHASE_REPORT_IN && m->phase != RV_PHASE_BIDDING)
      DENY("bids are made before the presentations");
    if (m->allocated)
      DENY("the time has already been allocated");
    rv_note_t *n = note_of(&m->bids, &m->nbids, &h->author, true);
    if (!n)
      return RV_ENOMEM;
    free(n->text);
    n->text = dup_or_null(b->text, &r);
    n->minutes = b->num;
    return r < 0 ? r : 1;
  }
  case RV_BODY_ALLOCATE:
    if (!fac)
      DENY("only a facilitator allocates the time");
    if (m->phase != RV_PHASE_BIDDING)
      DENY("time is allocated in the bidding step");
    if (!m->nbids)
      DENY("nobody has bid");
    r = allocate(m, b->flag);
    return r < 0 ? r : 1;
  case RV_BODY_PRESENT:
    if (!slot || !same_member(&slot->presenter, &h->author))
      DENY("it is not this member's turn to present");
    if (slot->started_ms)
      DENY("the slot has already started");
    m->slots[m->current].started_ms = h->time_ms;
    return 1;
  case RV_BODY_ASK: {
    if (m->phase != RV_PHASE_PRESENTATIONS)
      DENY("questions are asked during the presentations");
    bool presenter = false;
    for (size_t i = 0; i < m->nslots; i++)
      presenter |= !m->slots[i].deferred && same_member(&m->slots[i].presenter, &b->member);
    if (!presenter)
      DENY("questions are put to a presenter of the meeting");
    if (same_member(&b->member, &h->author))
      DENY("a presenter does not question themselves");
    if (b->num < 1 || b->num > 3)
      DENY("not a kind of question");
    rv_question_t *q = grow(&s->questions, &s->nquestions, sizeof *q);
    if (!q)
      return RV_ENOMEM;
    q->id = oid;
    q->meeting = m->id;
    q->from = h->author;
    q->to = b->member;
    q->kind = b->num;
    q->anyway = b->flag;
    q->at_ms = h->time_ms;
    q->text = dup_or_null(b->text, &r);
    return r < 0 ? r : 1;
  }
  case RV_BODY_ACTION_ADD: {
    if (!slot || !same_member(&slot->presenter, &h->author))
      DENY("only the presenter writes their actions, during their slot");
    rv_action_t *a = grow(&s->actions, &s->nactions, sizeof *a);
    if (!a)
      return RV_ENOMEM;
    a->id = oid;
    a->meeting = m->id;
    a->owner = h->author;
    a->due_day = b->num;
    a->at_ms = h->time_ms;
    a->text = dup_or_null(b->text, &r);
    return r < 0 ? r : 1;
  }
  case RV_BODY_FEEDBACK: {
    if (m->phase != RV_PHASE_FEEDBACK)
      DENY("feedback is given in the feedback step");
    rv_note_t *n = note_of(&m->feedback, &m->nfeedback, &h->author, true);
    if (!n)
      return RV_ENOMEM;
    free(n->text);
    free(n->text2);
    n->text = dup_or_null(b->text, &r);
    n->text2 = dup_or_null(b->text2, &r);
    return r < 0 ? r : 1;
  }
  default:
    DENY("the record's type is not known to this version");
  }
}

/* ---- encoding ------------------------------------------------------- */

static void enc_note(rv_enc_t *e, const rv_note_t *n) {
  rv_enc_array(e, 4);
  rv_enc_bin(e, n->member.b, RV_ID_LEN);
  rv_enc_cstr(e, n->text);
  rv_enc_cstr(e, n->text2);
  rv_enc_uint(e, n->minutes);
}

static void enc_notes(rv_enc_t *e, const rv_note_t *v, size_t n) {
  rv_enc_array(e, (uint32_t)n);
  for (size_t i = 0; i < n; i++)
    enc_note(e, &v[i]);
}

void rv__programme_encode(rv_enc_t *e, const rv_state_t *s) {
  rv_enc_cstr(e, "contract");
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
  rv_enc_cstr(e, "meetings");
  rv_enc_array(e, (uint32_t)s->nmeetings);
  for (size_t i = 0; i < s->nmeetings; i++) {
    const rv_meeting_t *m = &s->meetings[i];
    rv_enc_array(e, 15);
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
      rv_enc_array(e, 5);
      rv_enc_bin(e, sl->presenter.b, RV_ID_LEN);
      rv_enc_uint(e, sl->minutes);
      rv_enc_uint(e, sl->started_ms);
      rv_enc_bool(e, sl->shortened);
      rv_enc_bool(e, sl->deferred);
    }
    rv_enc_bool(e, m->allocated);
    rv_enc_bool(e, m->equal);
    enc_notes(e, m->feedback, m->nfeedback);
  }
  rv_enc_cstr(e, "questions");
  rv_enc_array(e, (uint32_t)s->nquestions);
  for (size_t i = 0; i < s->nquestions; i++) {
    const rv_question_t *q = &s->questions[i];
    rv_enc_array(e, 12);
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
  }
  rv_enc_cstr(e, "actions");
  rv_enc_array(e, (uint32_t)s->nactions);
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *a = &s->actions[i];
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
    rd_item(&l, &it, 4);
    rd_bin(&it, (*v)[i].member.b, RV_ID_LEN);
    (*v)[i].text = rd_str(&it);
    (*v)[i].text2 = rd_str(&it);
    (*v)[i].minutes = rd_uint(&it);
    l.err = it.err;
  }
  if (l.err)
    r->err = l.err;
}

int rv__programme_decode(rv_val_t map, rv_state_t *s) {
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
  if (c.err || l.err)
    return c.err ? c.err : l.err;

  if (rv_val_get(map, "meetings", &v) < 0)
    return RV_EFORMAT;
  c = rd_open(v, 0);
  if (c.err)
    return c.err;
  if (rv_val_len(v) && !(s->meetings = calloc(rv_val_len(v), sizeof *s->meetings)))
    return RV_ENOMEM;
  s->nmeetings = rv_val_len(v);
  for (size_t i = 0; i < s->nmeetings && !c.err; i++) {
    rv_meeting_t *m = &s->meetings[i];
    rd_item(&c, &it, 15);
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
      rd_item(&l, &sl, 5);
      rd_bin(&sl, m->slots[j].presenter.b, RV_ID_LEN);
      m->slots[j].minutes = rd_uint(&sl);
      m->slots[j].started_ms = rd_uint(&sl);
      m->slots[j].shortened = rd_bool(&sl);
      m->slots[j].deferred = rd_bool(&sl);
      l.err = sl.err;
    }
    it.err = it.err ? it.err : l.err;
    m->allocated = rd_bool(&it);
    m->equal = rd_bool(&it);
    rd_notes(&it, &m->feedback, &m->nfeedback);
    if (m->phase > RV_PHASE_CLOSED)
      it.err = RV_EFORMAT;
    c.err = it.err;
  }
  if (c.err)
    return c.err;

  if (rv_val_get(map, "questions", &v) < 0)
    return RV_EFORMAT;
  c = rd_open(v, 0);
  if (c.err)
    return c.err;
  if (rv_val_len(v) && !(s->questions = calloc(rv_val_len(v), sizeof *s->questions)))
    return RV_ENOMEM;
  s->nquestions = rv_val_len(v);
  for (size_t i = 0; i < s->nquestions && !c.err; i++) {
    rv_question_t *q = &s->questions[i];
    rd_item(&c, &it, 12);
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
    if (q->status > RV_Q_DISCARDED)
      it.err = RV_EFORMAT;
    c.err = it.err;
  }
  if (c.err)
    return c.err;

  if (rv_val_get(map, "actions", &v) < 0)
    return RV_EFORMAT;
  c = rd_open(v, 0);
  if (c.err)
    return c.err;
  if (rv_val_len(v) && !(s->actions = calloc(rv_val_len(v), sizeof *s->actions)))
    return RV_ENOMEM;
  s->nactions = rv_val_len(v);
  for (size_t i = 0; i < s->nactions && !c.err; i++) {
    rv_action_t *a = &s->actions[i];
    rd_item(&c, &it, 8);
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
    c.err = it.err;
  }
  return c.err;
}
