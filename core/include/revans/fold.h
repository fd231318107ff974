/*
 * The fold: the only place where records become set state. Records are
 * applied in one total order, (lamport, author, seq), so that the same
 * records give the same state whatever order they arrived in. Every
 * permission is checked here; a record that breaks one is kept in the log
 * but changes nothing, and rv_fold_apply() says why.
 */
#ifndef REVANS_FOLD_H
#define REVANS_FOLD_H

#include "revans/body.h"
#include "revans/codec.h"
#include "revans/record.h"
#include <stdbool.h>

/* set id | lamport (BE) | author | seq (BE): the key of RV_DB_ORDER. */
#define RV_ORDER_LEN (RV_SETID_LEN + 8 + RV_ID_LEN + 8)

typedef struct rv_member {
  rv_member_id_t id;
  char *name; /* NULL until the member's own member.join (or the genesis) */
  enum rv_role role;
  bool joined;
  uint64_t agreed;     /* the contract version this member last agreed to */
  uint64_t added_ms;   /* the writer's clock on the record that made them a member */
  uint64_t removed_ms; /* the writer's clock on their removal; 0 while a member */
} rv_member_t;

/* A key epoch of the set, in the order the fold met it. Its id is the
 * 32-bit number record headers carry. A rotated epoch's key was sealed
 * in a member.remove record; a merged epoch's key is derived from the keys
 * of epochs a and b (two removals that crossed: docs/format.md). */
enum rv_epoch_kind { RV_EPOCH_GENESIS, RV_EPOCH_ROTATED, RV_EPOCH_MERGED };
typedef struct rv_epoch {
  uint32_t id;
  enum rv_epoch_kind kind;
  uint32_t a; /* rotated: the epoch its record was written under; merged: the
                 epoch current before the merge */
  uint32_t b; /* merged: the crossing removal's own epoch; else 0 */
} rv_epoch_t;
#define RV_EPOCHS_MAX 1024 /* epochs one set may have, and keys a home holds for one set */

/* ---- the programme: contract, meetings, questions, actions ---------- */

/* A meeting's steps, in order. The *_name functions give each enum's
 * lowercase word ("report-in"), "unknown" out of range: static strings. */
enum rv_phase {
  RV_PHASE_SCHEDULED,
  RV_PHASE_REPORT_IN,
  RV_PHASE_BIDDING,
  RV_PHASE_PRESENTATIONS,
  RV_PHASE_FEEDBACK,
  RV_PHASE_CLOSED,
  RV_PHASE_CANCELLED /* called off before it started: not planned, never held */
};
const char *rv_phase_name(enum rv_phase p);

/* Within a presenter's slot: its minutes are split between the three. */
enum rv_part { RV_PART_PRESENTATION, RV_PART_QUESTIONS, RV_PART_ACTIONS };
const char *rv_part_name(enum rv_part p);

enum rv_qstatus { RV_Q_OPEN, RV_Q_ANSWERED, RV_Q_DISCARDED };
/* The name the CLI and exports use (static string). */
const char *rv_qstatus_name(enum rv_qstatus s);

enum rv_astatus { RV_A_OPEN, RV_A_DONE, RV_A_PROGRESS, RV_A_BLOCKED, RV_A_DROPPED };
/* The name the CLI and exports use (static string). */
const char *rv_astatus_name(enum rv_astatus s);
/* 0 when unknown ("open" cannot be reported). */
enum rv_astatus rv_astatus_parse(const char *s);

typedef struct rv_rule {
  rv_oid_t id;
  char *text;
  uint64_t version; /* the contract version the rule came in with, or was last edited in */
} rv_rule_t;

typedef struct rv_note {
  rv_member_id_t member;
  char *text;       /* an apology's note, a bid's summary, feedback's "went well" */
  char *text2;      /* feedback's "could be better" */
  uint64_t minutes; /* a bid's request, 0 for none */
  uint64_t at_ms;   /* a bid: the writer's clock on its first record (a change keeps it); else 0 */
} rv_note_t;

typedef struct rv_slot {
  rv_member_id_t presenter;
  uint64_t minutes;
  uint64_t started_ms; /* 0 until the presenter starts it */
  bool shortened;      /* given less than asked */
  bool deferred;       /* no time left: moved to a later meeting */
  enum rv_part part;   /* the part the facilitator moved the slot to (meeting.part), at first
                          the presentation */
} rv_slot_t;

typedef struct rv_meeting {
  rv_oid_t id;
  uint64_t at_ms;
  uint64_t minutes;
  char *place;
  enum rv_phase phase;
  uint64_t started_ms;
  uint64_t closed_ms;
  uint64_t current; /* the slot being presented */
  rv_member_id_t *attendees;
  size_t nattendees;
  rv_note_t *apologies;
  size_t napologies;
  rv_note_t *bids; /* by the writer's clock on each bid, then member id */
  size_t nbids;
  rv_slot_t *slots;
  size_t nslots;
  bool allocated;
  bool equal;
  rv_note_t *feedback;
  size_t nfeedback;
  char *cancel_reason; /* a cancelled meeting's reason, NULL when none was given */
} rv_meeting_t;

typedef struct rv_question {
  rv_oid_t id;
  rv_oid_t meeting;
  rv_member_id_t from;
  rv_member_id_t to;
  char *text;
  uint64_t kind; /* coach.h enum rv_qkind */
  bool anyway;   /* asked although the coach refused it */
  enum rv_qstatus status;
  char *group;
  char *answer;
  char **followups;
  size_t nfollowups;
  uint64_t at_ms;
  bool held; /* asked before the presenter's slot reached its questions part: shown to its
                asker alone until the facilitator moves the slot to questions, moves on, or
                closes the meeting */
} rv_question_t;

typedef struct rv_report {
  enum rv_astatus status;
  char *note;
  uint64_t at_ms;
  rv_oid_t meeting; /* the meeting running at the time, or zero */
} rv_report_t;

typedef struct rv_action {
  rv_oid_t id;
  rv_oid_t meeting;
  rv_member_id_t owner;
  char *text;
  uint64_t due_day; /* days since 1970-01-01, 0 for none */
  enum rv_astatus status;
  rv_report_t *reports;
  size_t nreports;
  uint64_t at_ms;
} rv_action_t;

typedef struct rv_state {
  rv_set_id_t set;
  bool created;
  char *name;
  char *topic;
  uint64_t created_ms;
  rv_member_id_t creator;
  rv_member_t *members; /* sorted by id */
  size_t nmembers;
  rv_member_t *removed; /* members removed, sorted by id; role as it was */
  size_t nremoved;
  uint32_t epoch;     /* the current key epoch: new records are sealed under it */
  rv_epoch_t *epochs; /* every epoch of the set, in fold order */
  size_t nepochs;

  rv_rule_t *rules; /* the contract, in order; a withdrawn rule is taken out */
  size_t nrules;
  uint64_t contract_version; /* 0 before the first rule; each rule added, edited or
                                withdrawn adds 1 (the quorum does not) */
  uint64_t quorum;           /* members who must attend, 0 for none */
  rv_meeting_t *meetings;    /* by date (at_ms), then id: insertion keeps the order */
  size_t nmeetings;
  rv_question_t *questions;
  size_t nquestions;
  rv_action_t *actions;
  size_t nactions;

  /* Bookkeeping: kept with the state, not part of its hash. */
  uint64_t lamport_max; /* highest lamport of any stored record of the set */
  uint64_t folded;      /* records applied */
  uint64_t ignored;     /* records kept out of state */
  bool has_last;
  uint8_t last[RV_ORDER_LEN]; /* order key of the last record folded */
  uint64_t refold_id;         /* drawn afresh whenever folded again from before its end; 0 never */
} rv_state_t;

/* An empty state of set, on caller storage; rv_state_release frees what
 * the state holds (every string and array in it), leaving it to be
 * initialised again. Pointers into a state are valid until it changes. */
void rv_state_init(rv_state_t *s, const rv_set_id_t *set);
void rv_state_release(rv_state_t *s);

/* Applies one record. Returns 1 when it changed the state, 0 when it was
 * ignored (with *ret_why, a static phrase, saying why), RV_ENOMEM. The
 * caller guarantees the order; this only updates the bookkeeping. */
int rv_fold_apply(rv_state_t *s, const rv_header_t *hd, const rv_body_t *b, const char **ret_why);

/* Notes a record that is stored but kept out of state (unreadable, or by
 * an author with a known fork): only the bookkeeping moves. */
void rv_fold_skip(rv_state_t *s, const rv_header_t *hd);

/* Encodes the state (with bookkeeping when full) into a reset encoder;
 * RV_ENOMEM. */
int rv_state_encode(rv_enc_t *enc, const rv_state_t *s, bool full);
/* Decodes a full encoding into ret (the caller releases
 * it). RV_EFORMAT, RV_ENOMEM, ret untouched. */
int rv_state_decode(rv_dec_t *dec, const uint8_t *p, size_t n, rv_state_t *ret);
/* BLAKE2b-256 of the canonical encoding without bookkeeping. */
int rv_state_hash(rv_enc_t *enc, const rv_state_t *s, rv_hash_t *ret);

/* A current member, or NULL. Borrowed from the state. */
const rv_member_t *rv_state_member(const rv_state_t *s, const rv_member_id_t *id);
/* A removed member (with the role they had), or NULL. */
const rv_member_t *rv_state_removed(const rv_state_t *s, const rv_member_id_t *id);
/* The epoch with this id, or NULL. */
const rv_epoch_t *rv_state_epoch(const rv_state_t *s, uint32_t id);
/* NULL when author may write records in the set now, else the phrase the
 * fold gives for ignoring their records (not created, not a member,
 * removed). */
const char *rv_fold_why_author(const rv_state_t *s, const rv_member_id_t *author);

/* Lookups by id; NULL when absent. Borrowed from the state. */
rv_meeting_t *rv_state_meeting(const rv_state_t *s, const rv_oid_t *id);
rv_question_t *rv_state_question(const rv_state_t *s, const rv_oid_t *id);
rv_action_t *rv_state_action(const rv_state_t *s, const rv_oid_t *id);
/* The meeting between its start and its close, or NULL. */
rv_meeting_t *rv_state_running(const rv_state_t *s);
/* The slot being presented in m, or NULL outside presentations. */
const rv_slot_t *rv_meeting_slot(const rv_meeting_t *m);

/* Finds a meeting, question or action by a hex prefix of its id:
 * 0, RV_ENOTFOUND or RV_EAMBIG. */
int rv_state_find_meeting(const rv_state_t *s, const char *prefix, rv_meeting_t **ret);
int rv_state_find_question(const rv_state_t *s, const char *prefix, rv_question_t **ret);
int rv_state_find_action(const rv_state_t *s, const char *prefix, rv_action_t **ret);

/* What the clock says about a running meeting at now_ms: minutes left in
 * the meeting and in the current slot (negative when over), the part of
 * the slot (presentation, questions, actions: 40%, 40%, 20% of it, and
 * never earlier than the part the facilitator moved the slot to), and
 * whether the slot is nearly out of time (2 minutes or a tenth of it). */
typedef struct rv_clock {
  int64_t meeting_left;
  bool in_slot; /* a slot is being presented and has started */
  int64_t slot_left;
  enum rv_part part;
  bool slot_warning;
} rv_clock_t;
void rv_meeting_clock(const rv_meeting_t *m, uint64_t now_ms, rv_clock_t *ret);

/* The id of the object the record at (set, author, seq) creates. */
void rv_oid_of(rv_oid_t *ret, const rv_set_id_t *set, const rv_member_id_t *author, uint64_t seq);

/* The id of the key epoch a member.remove record at (set, author, seq)
 * starts: the first 4 bytes of a hash of its position, so that nobody can
 * claim an id another member's removal will use. */
uint32_t rv_epoch_derive(const rv_set_id_t *set, const rv_member_id_t *author, uint64_t seq);

/* The order key of a header. */
void rv_order_key(uint8_t out[RV_ORDER_LEN], const rv_header_t *hd);
/* The set id a creator and salt give: BLAKE2b(creator || salt), truncated. */
void rv_set_id_derive(rv_set_id_t *ret, const rv_member_id_t *creator, const uint8_t salt[16]);

#endif
