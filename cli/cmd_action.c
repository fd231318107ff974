/*
 * Actions: the presenter's brief action plan, written during their slot;
 * the list with owners, due dates (overdue ones marked), status, the
 * meeting's date and the latest report-in (as action_view.c shows an
 * action); and report-in, by an action's owner, at a later meeting.
 */
#include "cli.h"
#include "revans/error.h"
#include "revans/set.h"

#include <stdio.h>
#include <string.h>

/* The action just added: the last one, with the warning at warning (a
 * string, or NULL). */
static jv_t *show_last(const rv_state_t *s, const void *warning) {
  jv_t *o = s->nactions ? cli_action_json(s, &s->actions[s->nactions - 1]) : NULL;
  if (o && warning)
    jv_set(o, "warning", jv_str(warning));
  return o;
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
  char warning[128], today[16];
  if (c->npos != 1)
    return cli_usage(c, "action add needs one \"TEXT\"");
  if (due && cli_parse_date(due, &day) < 0)
    return cli_usage(c, "--due '%s' is not a day of the calendar, YYYY-MM-DD", due);
  /* A day already gone is most often a slip of the keyboard: asked for
   * again with --past; a script (--json) is warned in the output. */
  bool past = day && day < cli_today() && !cli_flag(c, "past");
  cli_date(today, cli_today());
  snprintf(warning, sizeof warning, "--due %s is in the past (today is %s)", due ? due : "", today);
  if (past && !c->json)
    return cli_usage(c, "%s: add --past to write it so", warning);
  if (cli_check_text("the action", c->pos[0], RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  rv_body_t b = {.type = RV_BODY_ACTION_ADD, .ref = m->id, .text = (char *)c->pos[0], .num = day};
  return cli_write_and_show(c, &set, &b, show_last, past ? warning : NULL, "the action");
}

static int run_list(cli_t *c) {
  bool mine = cli_flag(c, "mine"), open = cli_flag(c, "open");
  uint64_t today = cli_today();
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
    /* People read one line an action; scripts get every report. */
    jv_push(a, c->json ? cli_action_json(s, x) : cli_action_row(s, x, today));
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

static const cli_opt_t add_opts[] = {{"due", true}, {"past", false}, {NULL, false}};
static const cli_opt_t list_opts[] = {{"mine", false}, {"open", false}, {NULL, false}};
static const cli_opt_t report_opts[] = {{"status", true}, {"note", true}, {NULL, false}};

const cli_cmd_t cli_action_cmds[] = {
    {"action add", "\"TEXT\" [--due YYYY-MM-DD [--past]]",
     "The presenter, during their slot, writes an action of their plan. A due day before today "
     "is refused unless --past is given (with --json it is written, with a warning field).",
     add_opts, run_add},
    {"action list", "[--mine] [--open]",
     "Lists actions, one line each: owner, text, due date (marked overdue when it has passed "
     "and the action is neither done nor dropped), status, the date of the meeting it came "
     "from and the latest report-in. With --json [{id, text, owner, status, due, overdue, "
     "meeting, meeting_date, reports}].",
     list_opts, run_list},
    {"report-in", "ACTION --status done|progress|blocked|dropped [--note TEXT]",
     "An action's owner reports on it, usually at the next meeting's report-in.", report_opts,
     run_report_in},
    {NULL, NULL, NULL, NULL, NULL},
};
