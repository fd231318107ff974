/*
 * Meetings and their six steps: schedule, list, show, start (report-in),
 * next (bidding, each presenter's slot, feedback), questions (a slot's
 * questions part), close, or cancel before the start; and what members
 * do in them: attend, apologise, bid, present, feedback; the facilitator's
 * allocate.
 */
#include "cli.h"
#include "revans/error.h"
#include "revans/log.h"
#include "revans/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int cli_pick_meeting(const rv_state_t *s, const char *arg, bool scheduled_ok, rv_meeting_t **ret) {
  if (arg) {
    int r = rv_state_find_meeting(s, arg, ret);
    if (r == RV_EAMBIG)
      return cli_fail("'%s' names more than one meeting: give more of its id", arg);
    if (r < 0)
      return cli_fail("no meeting '%s' (see 'revans meeting list')", arg);
    return 0;
  }
  if ((*ret = rv_state_running(s)))
    return 0;
  if (scheduled_ok) {
    rv_meeting_t *best = NULL;
    for (size_t i = 0; i < s->nmeetings; i++)
      if (s->meetings[i].phase == RV_PHASE_SCHEDULED &&
          (!best || s->meetings[i].at_ms < best->at_ms))
        best = &s->meetings[i];
    if ((*ret = best))
      return 0;
    return cli_fail("no meeting is scheduled: 'revans meeting schedule --at \"YYYY-MM-DD HH:MM\"'");
  }
  return cli_fail("no meeting is running: a facilitator starts one with 'revans meeting start'");
}

static jv_t *names(const rv_state_t *s, const rv_member_id_t *ids, size_t n) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++)
    jv_push(a, jv_str(cli_member_label(s, &ids[i], buf)));
  return a;
}

static jv_t *notes(const rv_state_t *s, const rv_note_t *v, size_t n, const char *k1,
                   const char *k2, bool minutes) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    jv_t *o = jv_obj();
    jv_set(o, "member", jv_str(cli_member_label(s, &v[i].member, buf)));
    jv_set(o, k1, jv_str(v[i].text));
    if (k2)
      jv_set(o, k2, jv_str(v[i].text2));
    if (minutes)
      jv_set(o, "minutes", v[i].minutes ? jv_int((int64_t)v[i].minutes) : jv_null());
    jv_push(a, o);
  }
  return a;
}

static jv_t *meeting_brief(const rv_meeting_t *m) {
  char id[2 * RV_OID_LEN + 1], at[32];
  cli_oid(id, &m->id);
  cli_time(at, m->at_ms);
  jv_t *o = jv_obj();
  jv_set(o, "id", jv_str(id));
  jv_set(o, "at", jv_str(at));
  jv_set(o, "place", jv_str(m->place));
  jv_set(o, "minutes", jv_int((int64_t)m->minutes));
  jv_set(o, "phase", jv_str(rv_phase_name(m->phase)));
  jv_set(o, "reason", jv_str(m->cancel_reason)); /* a cancelled meeting's, else null */
  return o;
}

/* Everything `meeting show` says about a meeting. */
static jv_t *meeting_json(const rv_state_t *s, const rv_meeting_t *m) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *o = meeting_brief(m), *warn = jv_arr(), *slots = jv_arr();
  const rv_slot_t *cur = rv_meeting_slot(m);
  bool live = m->phase != RV_PHASE_SCHEDULED && m->phase != RV_PHASE_CLOSED &&
              m->phase != RV_PHASE_CANCELLED;
  rv_clock_t clk;
  rv_meeting_clock(m, rv_now_ms(), &clk);
  jv_set(o, "presenter", cur ? jv_str(cli_member_label(s, &cur->presenter, buf)) : jv_null());
  jv_set(o, "part", cur && clk.in_slot ? jv_str(rv_part_name(clk.part)) : jv_null());
  jv_set(o, "minutes_left", live ? jv_int(clk.meeting_left) : jv_null());
  jv_set(o, "slot_minutes_left", cur ? jv_int(clk.slot_left) : jv_null());
  jv_set(o, "attendees", names(s, m->attendees, m->nattendees));
  jv_set(o, "apologies", notes(s, m->apologies, m->napologies, "note", NULL, false));
  jv_set(o, "bids", notes(s, m->bids, m->nbids, "summary", NULL, true));
  for (size_t i = 0; i < m->nslots; i++) {
    const rv_slot_t *sl = &m->slots[i];
    jv_t *e = jv_obj();
    jv_set(e, "presenter", jv_str(cli_member_label(s, &sl->presenter, buf)));
    jv_set(e, "minutes", jv_int((int64_t)sl->minutes));
    jv_set(e, "state",
           jv_str(sl->deferred    ? "deferred"
                  : sl->shortened ? "shortened"
                                  : "as asked"));
    jv_set(e, "current", jv_bool(cur == sl));
    jv_push(slots, e);
  }
  jv_set(o, "slots", slots);
  if (m->phase == RV_PHASE_CLOSED || m->phase == RV_PHASE_FEEDBACK)
    jv_set(o, "feedback", notes(s, m->feedback, m->nfeedback, "well", "better", false));
  jv_set(o, "quorum", s->quorum ? jv_int((int64_t)s->quorum) : jv_null());
  if (live && s->quorum && m->nattendees < s->quorum) {
    char w[96];
    snprintf(w, sizeof w, "quorum not met: %zu of %llu members attend", m->nattendees,
             (unsigned long long)s->quorum);
    jv_push(warn, jv_str(w));
  }
  if (cur && clk.in_slot && clk.slot_warning)
    jv_push(warn,
            jv_str(clk.slot_left < 0 ? "the slot is over time" : "the slot is nearly out of time"));
  if (live && clk.meeting_left < 0)
    jv_push(warn, jv_str("the meeting is over time"));
  jv_set(o, "warnings", warn);
  return o;
}

/* Actions still open from earlier meetings: what report-in goes through,
 * each with its due date (overdue marked), the date of the meeting it
 * came from and its latest report (cli_action_row). */
static jv_t *open_actions(const rv_state_t *s, const rv_meeting_t *now) {
  uint64_t today = cli_today();
  jv_t *a = jv_arr();
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *x = &s->actions[i];
    if (memcmp(x->meeting.b, now->id.b, RV_OID_LEN) == 0 || x->status == RV_A_DONE ||
        x->status == RV_A_DROPPED)
      continue;
    jv_push(a, cli_action_row(s, x, today));
  }
  return a;
}

/* ---- the facilitator's steps ---------------------------------------- */

/* The meeting a record was written about, as it now is; when it has just
 * started, with the contract and the actions to report on. */
typedef struct shown_meeting {
  rv_oid_t id;
  bool with_report_in;
} shown_meeting_t;
static jv_t *show_meeting(const rv_state_t *s, const void *arg);

/* A meeting just scheduled, found by its id (meetings are kept by date,
 * so the new one need not be the last); with a warning when it is in the
 * past. */
typedef struct scheduled {
  rv_oid_t id;
  bool past;
} scheduled_t;

static jv_t *show_scheduled(const rv_state_t *s, const void *arg) {
  const scheduled_t *sc = arg;
  rv_meeting_t *m = rv_state_meeting(s, &sc->id);
  if (!m)
    return NULL;
  jv_t *o = meeting_brief(m);
  if (sc->past)
    jv_set(o, "warning", jv_str("the meeting is scheduled in the past"));
  return o;
}

/* The id of the object this person's next record in set will create. */
static int next_oid(cli_t *c, const rv_set_id_t *set, rv_oid_t *ret) {
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  uint64_t seq = 0;
  const rv_member_id_t *self = rv_home_self(c->home);
  int r = rv_log_vv(c->home, set, &vv, &nvv);
  if (r < 0)
    return cli_error(r, "cannot read the log");
  for (size_t i = 0; i < nvv; i++)
    if (memcmp(vv[i].author.b, self->b, RV_ID_LEN) == 0)
      seq = vv[i].seq;
  free(vv);
  rv_oid_of(ret, set, self, seq + 1);
  return 0;
}

static int run_schedule(cli_t *c) {
  const char *at = cli_opt(c, "at"), *place = cli_opt(c, "place"), *min = cli_opt(c, "minutes");
  uint64_t at_ms, minutes = 180;
  rv_set_id_t set;
  const rv_state_t *s;
  scheduled_t sc = {.past = false};
  if (cli_no_args(c))
    return 2;
  if (!at)
    return cli_usage(c, "meeting schedule needs --at \"YYYY-MM-DD HH:MM\" (local time)");
  if (cli_parse_datetime(at, &at_ms) < 0)
    return cli_usage(c, "--at '%s' is not a day of the calendar with a time, \"YYYY-MM-DD HH:MM\"",
                     at);
  if (min && cli_parse_uint(min, 10, 24 * 60, &minutes) < 0)
    return cli_usage(c, "--minutes must be a number from 10 to 1440");
  if (place && strlen(place) > RV_TEXT_MAX)
    return cli_fail("the place is longer than %d bytes", RV_TEXT_MAX);
  /* In the past by this machine's clock: said so with --past, else asked
   * for (with --json, written and warned of in the output). */
  sc.past = at_ms < rv_now_ms() && !cli_flag(c, "past");
  if (sc.past && !c->json)
    return cli_usage(c, "--at '%s' is in the past: give --past to schedule it all the same", at);
  if (cli_set_state(c, true, &set, &s) || next_oid(c, &set, &sc.id))
    return 1;
  rv_body_t b = {
      .type = RV_BODY_MEETING_SCHEDULE, .num = at_ms, .num2 = minutes, .text = (char *)place};
  return cli_write_and_show(c, &set, &b, show_scheduled, &sc, "the new meeting");
}

static int run_cancel(cli_t *c) {
  const char *reason = cli_opt(c, "reason");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos != 1)
    return cli_usage(c, c->npos ? "unexpected argument '%s'" : "meeting cancel needs the meeting%s",
                     c->npos ? c->pos[1] : " (see 'revans meeting list')");
  if (reason && cli_check_text("the reason", reason, RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, c->pos[0], true, &m))
    return 1;
  rv_body_t b = {.type = RV_BODY_MEETING_CANCEL, .ref = m->id, .text = (char *)reason};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

static int run_list(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, false, &set, &s))
    return 1;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < s->nmeetings; i++) {
    jv_t *o = meeting_brief(&s->meetings[i]);
    jv_set(o, "attendees", jv_int((int64_t)s->meetings[i].nattendees));
    jv_push(a, o);
  }
  return cli_emit(c, a);
}

static int run_show(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos > 1)
    return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
  if (cli_set_state(c, false, &set, &s))
    return 1;
  if (c->npos == 0 && !rv_state_running(s) && s->nmeetings) {
    /* Nothing running: the next scheduled meeting (the earliest), else
     * the last one. */
    m = &s->meetings[s->nmeetings - 1];
    rv_meeting_t *next = NULL;
    for (size_t i = 0; i < s->nmeetings; i++)
      if (s->meetings[i].phase == RV_PHASE_SCHEDULED &&
          (!next || s->meetings[i].at_ms < next->at_ms))
        next = &s->meetings[i];
    if (next)
      m = next;
  } else if (cli_pick_meeting(s, c->npos ? c->pos[0] : NULL, true, &m)) {
    return 1;
  }
  return cli_emit(c, meeting_json(s, m));
}

static jv_t *show_meeting(const rv_state_t *s, const void *arg) {
  const shown_meeting_t *sm = arg;
  rv_meeting_t *m = rv_state_meeting(s, &sm->id);
  if (!m)
    return NULL;
  jv_t *o = meeting_json(s, m);
  if (sm->with_report_in) {
    jv_set(o, "contract", cli_contract_json(s));
    jv_set(o, "report_in", open_actions(s, m));
  }
  return o;
}

static int run_start(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos > 1)
    return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if (c->npos == 0 && rv_state_running(s))
    return cli_fail("a meeting is already running");
  if (cli_pick_meeting(s, c->npos ? c->pos[0] : NULL, true, &m))
    return 1;
  rv_body_t b = {.type = RV_BODY_MEETING_START, .ref = m->id};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, true}, "the meeting");
}

static int run_running(cli_t *c, enum rv_body_type type) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos > (type == RV_BODY_MEETING_CLOSE ? 1u : 0u))
    return cli_usage(c, "unexpected argument '%s'", c->pos[c->npos - 1]);
  if (cli_set_state(c, true, &set, &s) ||
      cli_pick_meeting(s, c->npos ? c->pos[0] : NULL, false, &m))
    return 1;
  rv_body_t b = {.type = type, .ref = m->id, .num = m->phase, .num2 = m->current};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

static int run_next(cli_t *c) { return run_running(c, RV_BODY_MEETING_NEXT); }
static int run_close(cli_t *c) { return run_running(c, RV_BODY_MEETING_CLOSE); }
static int run_attend(cli_t *c) { return run_running(c, RV_BODY_ATTEND); }
static int run_present(cli_t *c) { return run_running(c, RV_BODY_PRESENT); }

/* Whether member who has bid in m. */
static bool has_bid(const rv_meeting_t *m, const rv_member_id_t *who) {
  for (size_t i = 0; i < m->nbids; i++)
    if (memcmp(m->bids[i].member.b, who->b, RV_ID_LEN) == 0)
      return true;
  return false;
}

/* --order NAME,NAME,...: every bidder of m, each once, into ret (RV_MAX_ORDER
 * of them), their number into *ret_n. 0, else 2 after a usage message. */
static int parse_order(cli_t *c, const rv_set_id_t *set, const rv_meeting_t *m, const char *list,
                       rv_member_id_t *ret, size_t *ret_n) {
  char name[RV_NAME_MAX + 1];
  size_t n = 0;
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ",");
    if (len == 0 || len > RV_NAME_MAX)
      return cli_usage(c, "--order takes the bidders' names, separated by commas");
    memcpy(name, p, len);
    name[len] = '\0';
    p += len + (p[len] == ',');
    int r = rv_set_find_member(c->home, set, name, &ret[n]);
    if (r < 0)
      return cli_usage(c, r == RV_EAMBIG ? "'%s' names more than one member" : "no member '%s'",
                       name);
    if (!has_bid(m, &ret[n]))
      return cli_usage(c, "'%s' has not bid", name);
    for (size_t j = 0; j < n; j++)
      if (memcmp(ret[j].b, ret[n].b, RV_ID_LEN) == 0)
        return cli_usage(c, "'%s' is named twice in --order", name);
    if (++n == RV_MAX_ORDER && *p)
      return cli_usage(c, "--order names more than %d members", RV_MAX_ORDER);
  }
  if (n < m->nbids)
    return cli_usage(c, "--order names %zu of the %zu bidders: name every one, once", n, m->nbids);
  *ret_n = n;
  return 0;
}

static int run_allocate(cli_t *c) {
  const char *order = cli_opt(c, "order");
  rv_member_id_t members[RV_MAX_ORDER];
  size_t n = 0;
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  int r;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  if (order && (r = parse_order(c, &set, m, order, members, &n))) {
    rv_home_abort(c->home);
    return r;
  }
  rv_body_t b = {.type = RV_BODY_ALLOCATE,
                 .ref = m->id,
                 .flag = cli_flag(c, "equal"),
                 .members = members,
                 .nmembers = n};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

/* The facilitator moves the current slot on to its questions. */
static int run_questions_part(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  rv_body_t b = {
      .type = RV_BODY_MEETING_PART, .ref = m->id, .num = m->current, .num2 = RV_PART_QUESTIONS};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

/* ---- what members do ------------------------------------------------ */

static int run_apologise(cli_t *c) {
  const char *note = cli_opt(c, "note");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos > 1)
    return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
  if (note && strlen(note) > RV_TEXT_MAX)
    return cli_fail("the note is longer than %d bytes", RV_TEXT_MAX);
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if (c->npos == 0) {
    /* The next scheduled meeting, whatever is running. */
    m = NULL;
    for (size_t i = 0; i < s->nmeetings; i++)
      if (s->meetings[i].phase == RV_PHASE_SCHEDULED && (!m || s->meetings[i].at_ms < m->at_ms))
        m = &s->meetings[i];
    if (!m)
      return cli_fail("no meeting is scheduled ahead: apologies are sent before a meeting starts");
  } else if (cli_pick_meeting(s, c->pos[0], true, &m)) {
    return 1;
  }
  rv_body_t b = {.type = RV_BODY_APOLOGISE, .ref = m->id, .text = (char *)note};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

static int run_bid(cli_t *c) {
  const char *min = cli_opt(c, "minutes");
  uint64_t minutes = 0;
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos != 1)
    return cli_usage(c, "bid needs one \"SUMMARY\" of what you would bring");
  if (min && cli_parse_uint(min, 1, 24 * 60, &minutes) < 0)
    return cli_usage(c, "--minutes must be a number from 1 to 1440");
  if (cli_check_text("the summary", c->pos[0], RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  rv_body_t b = {.type = RV_BODY_BID, .ref = m->id, .text = (char *)c->pos[0], .num = minutes};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

static int run_feedback(cli_t *c) {
  const char *well = cli_opt(c, "well"), *better = cli_opt(c, "better");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (cli_no_args(c))
    return 2;
  if (!well || !better)
    return cli_usage(c, "feedback needs --well TEXT and --better TEXT");
  if (cli_check_text("--well", well, RV_TEXT_MAX) ||
      cli_check_text("--better", better, RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  rv_body_t b = {
      .type = RV_BODY_FEEDBACK, .ref = m->id, .text = (char *)well, .text2 = (char *)better};
  rv_oid_t id = m->id;
  return cli_write_and_show(c, &set, &b, show_meeting, &(shown_meeting_t){id, false},
                            "the meeting");
}

static const cli_opt_t schedule_opts[] = {
    {"at", true}, {"place", true}, {"minutes", true}, {"past", false}, {NULL, false}};
static const cli_opt_t cancel_opts[] = {{"reason", true}, {NULL, false}};
static const cli_opt_t allocate_opts[] = {{"equal", false}, {"order", true}, {NULL, false}};
static const cli_opt_t apologise_opts[] = {{"note", true}, {NULL, false}};
static const cli_opt_t bid_opts[] = {{"minutes", true}, {NULL, false}};
static const cli_opt_t feedback_opts[] = {{"well", true}, {"better", true}, {NULL, false}};

const cli_cmd_t cli_meeting_cmds[] = {
    {"allocate", "[--equal] [--order NAME,NAME,...]",
     "Facilitators only, in the bidding step. Divides the presentation time (80% of the "
     "meeting) between the bids: in the order they were written (by the writer's clock) while "
     "time lasts, the rest shortened or deferred; with --equal, every bidder the same. --order "
     "sets the order of presenters: every bidder's name, once, separated by commas.",
     allocate_opts, run_allocate},
    {"apologise", "[M] [--note TEXT]",
     "Sends your apologies for a meeting (the next scheduled one unless M names one): ahead of "
     "it, or while it runs when you are called away. They replace your attendance.",
     apologise_opts, run_apologise},
    {"attend", "",
     "Checks you in to the running meeting; it replaces any apologies you sent for it.", NULL,
     run_attend},
    {"bid", "\"SUMMARY\" [--minutes N]",
     "Bids for time to present in the running meeting (report-in or bidding step), with the "
     "minutes you would like.",
     bid_opts, run_bid},
    {"feedback", "--well TEXT --better TEXT",
     "In the feedback step: what went well in the meeting, and what could be better.",
     feedback_opts, run_feedback},
    {"meeting cancel", "M [--reason TEXT]",
     "Facilitators only. Calls off meeting M before it starts, with a reason if given: it is "
     "shown cancelled, cannot be started, and does not count as planned.",
     cancel_opts, run_cancel},
    {"meeting close", "[M]",
     "Facilitators only. Closes the running meeting (or M, if it is running) from any step.", NULL,
     run_close},
    {"meeting list", "",
     "Lists the set's meetings by date: [{id, at, place, minutes, phase, reason, attendees}] "
     "(reason: a cancelled meeting's, else null).",
     NULL, run_list},
    {"meeting next", "",
     "Facilitators only. Moves the running meeting on one step: report-in, bidding, each "
     "presenter's slot in turn, feedback, closed.",
     NULL, run_next},
    {"meeting questions", "",
     "Facilitators only. Moves the current presenter's slot on from the presentation to its "
     "questions: the questions held while they presented appear on the wall, all together.",
     NULL, run_questions_part},
    {"meeting schedule", "--at \"YYYY-MM-DD HH:MM\" [--place TEXT] [--minutes N] [--past]",
     "Facilitators only. Schedules a meeting (local time; 180 minutes unless --minutes). A time "
     "already past asks for --past; with --json it is written and the output has a \"warning\".",
     schedule_opts, run_schedule},
    {"meeting show", "[M]",
     "Shows a meeting: its step, who is presenting, the minutes left in the slot and in the "
     "meeting, who attends and who sent apologies, the bids and slots, and warnings when a slot "
     "is nearly out of time or the quorum is not met.",
     NULL, run_show},
    {"meeting start", "[M]",
     "Facilitators only. Starts the next scheduled meeting (or M) with report-in: shows the "
     "contract and every open action from earlier meetings, with its due date (overdue "
     "marked), the date of its meeting and its latest report.",
     NULL, run_start},
    {"present", "", "Starts your slot, when it is your turn: presentation, questions, actions.",
     NULL, run_present},
    {NULL, NULL, NULL, NULL, NULL},
};
