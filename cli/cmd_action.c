/*
 * Actions: the presenter's brief action plan, written during their slot;
 * the list with owners, due dates, status and the history of report-ins;
 * and report-in, by an action's owner, at a later meeting.
 */
#include "cli.h"
#include "revans/error.h"
#include "revans/set.h"

#include <string.h>

jv_t *cli_action_json(const rv_state_t *s, const rv_action_t *a) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1], day[16], t[32];
  jv_t *o = jv_obj(), *reports = jv_arr();
  cli_oid(id, &a->id);
  jv_set(o, "id", jv_str(id));
  jv_set(o, "text", jv_str(a->text));
  jv_set(o, "owner", jv_str(cli_member_label(s, &a->owner, buf)));
  jv_set(o, "status", jv_str(rv_astatus_name(a->status)));
  if (a->due_day)
    cli_date(day, a->due_day);
  jv_set(o, "due", a->due_day ? jv_str(day) : jv_null());
  cli_oid(id, &a->meeting);
  jv_set(o, "meeting", jv_str(id));
  for (size_t i = 0; i < a->nreports; i++) {
    jv_t *r = jv_obj();
    cli_time(t, a->reports[i].at_ms);
    jv_set(r, "status", jv_str(rv_astatus_name(a->reports[i].status)));
    jv_set(r, "note", jv_str(a->reports[i].note));
    jv_set(r, "at", jv_str(t));
    jv_push(reports, r);
  }
  jv_set(o, "reports", reports);
  return o;
}

/* The action just added: the last one. */
static jv_t *show_last(const rv_state_t *s, const void *unused) {
  (void)unused;
  return s->nactions ? cli_action_json(s, &s->actions[s->nactions - 1]) : NULL;
}

/* The action with the id at id. */
static jv_t *show_action(const rv_state_t *s, const void *id) {
  const rv_action_t *a = rv_state_action(s, id);
  return a ? cli_action_json(s, a) : NULL;
}

static int run_add(cli_t *c) {
  const char *due = cli_opt(c, "due");
  uint64_t day = 0;
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (c->npos != 1)
    return cli_usage(c, "action add needs one \"TEXT\"");
  if (due && cli_parse_date(due, &day) < 0)
    return cli_usage(c, "--due '%s' is not a day of the calendar, YYYY-MM-DD", due);
  if (cli_check_text("the action", c->pos[0], RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  rv_body_t b = {.type = RV_BODY_ACTION_ADD, .ref = m->id, .text = (char *)c->pos[0], .num = day};
  return cli_write_and_show(c, &set, &b, show_last, NULL, "the action");
}

static int run_list(cli_t *c) {
  bool mine = cli_flag(c, "mine"), open = cli_flag(c, "open");
  rv_set_id_t set;
  const rv_state_t *s;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, false, &set, &s))
    return 1;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *x = &s->actions[i];
    if (mine && memcmp(x->owner.b, rv_home_self(c->home)->b, RV_ID_LEN) != 0)
      continue;
    if (open && (x->status == RV_A_DONE || x->status == RV_A_DROPPED))
      continue;
    jv_push(a, cli_action_json(s, x));
  }
  return cli_emit(c, a);
}

static int run_report_in(cli_t *c) {
  const char *status = cli_opt(c, "status"), *note = cli_opt(c, "note");
  enum rv_astatus st = rv_astatus_parse(status);
  rv_set_id_t set;
  const rv_state_t *s;
  rv_action_t *a;
  int r;
  if (c->npos != 1 || !status)
    return cli_usage(c, "report-in needs ACTION and --status done|progress|blocked|dropped");
  if (st == RV_A_OPEN)
    return cli_usage(c, "--status must be done, progress, blocked or dropped");
  if (note && strlen(note) > RV_TEXT_MAX)
    return cli_fail("the note is longer than %d bytes", RV_TEXT_MAX);
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if ((r = rv_state_find_action(s, c->pos[0], &a)) < 0)
    return cli_fail(r == RV_EAMBIG ? "'%s' names more than one action: give more of its id"
                                   : "no action '%s' (see 'revans action list')",
                    c->pos[0]);
  rv_oid_t id = a->id;
  rv_body_t b = {.type = RV_BODY_REPORT_IN, .ref = id, .num = st, .text = (char *)note};
  return cli_write_and_show(c, &set, &b, show_action, &id, "the action");
}

static const cli_opt_t add_opts[] = {{"due", true}, {NULL, false}};
static const cli_opt_t list_opts[] = {{"mine", false}, {"open", false}, {NULL, false}};
static const cli_opt_t report_opts[] = {{"status", true}, {"note", true}, {NULL, false}};

const cli_cmd_t cli_action_cmds[] = {
    {"action add", "\"TEXT\" [--due YYYY-MM-DD]",
     "The presenter, during their slot, writes an action of their plan.", add_opts, run_add},
    {"action list", "[--mine] [--open]",
     "Lists actions with owner, due date, status and the history of report-ins: "
     "[{id, text, owner, status, due, meeting, reports}].",
     list_opts, run_list},
    {"report-in", "ACTION --status done|progress|blocked|dropped [--note TEXT]",
     "An action's owner reports on it, usually at the next meeting's report-in.", report_opts,
     run_report_in},
    {NULL, NULL, NULL, NULL, NULL},
};
