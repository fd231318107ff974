/*
 * An action as the commands show it: the JSON of action add, action list
 * --json and the export, and the one-line row people read in action list
 * and in the report-in of meeting start, with its due day, whether it is
 * overdue, the date of the meeting it came from and its latest report.
 * Shared by cmd_action.c, cmd_meeting.c and cmd_export.c; it calls none
 * of them.
 */
#include "cli.h"
#include "revans/wallclock.h"

#include <stdio.h>
#include <string.h>

uint64_t cli_today(void) {
  int64_t wall = rv_wall_from_utc_ms((int64_t)rv_now_ms());
  return wall > 0 ? (uint64_t)(wall / RV_WALL_DAY_MS) : 0;
}

bool cli_action_overdue(const rv_action_t *a, uint64_t today) {
  return a->due_day && a->due_day < today && a->status != RV_A_DONE && a->status != RV_A_DROPPED;
}

/* The local date ("YYYY-MM-DD") of the meeting a was written in, as a
 * JSON string; null when the meeting is not known. */
static jv_t *meeting_date(const rv_state_t *s, const rv_action_t *a) {
  const rv_meeting_t *m = rv_state_meeting(s, &a->meeting);
  char when[32];
  if (!m)
    return jv_null();
  cli_local_time(when, m->at_ms);
  when[10] = '\0';
  return jv_str(when);
}

jv_t *cli_action_row(const rv_state_t *s, const rv_action_t *a, uint64_t today) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1], day[16], at[32];
  char latest[RV_TEXT_MAX + 64];
  jv_t *o = jv_obj();
  cli_oid(id, &a->id);
  if (a->due_day)
    cli_date(day, a->due_day);
  if (a->nreports) {
    const rv_report_t *r = &a->reports[a->nreports - 1];
    cli_local_time(at, r->at_ms);
    at[10] = '\0';
    snprintf(latest, sizeof latest, "%s %s%s%s", at, rv_astatus_name(r->status),
             r->note && r->note[0] ? ": " : "", r->note ? r->note : "");
  }
  jv_set(o, "id", jv_str(id));
  jv_set(o, "owner", jv_str(cli_member_label(s, &a->owner, buf)));
  jv_set(o, "text", jv_str(a->text));
  jv_set(o, "due", a->due_day ? jv_str(day) : jv_null());
  jv_set(o, "overdue", jv_bool(cli_action_overdue(a, today)));
  jv_set(o, "status", jv_str(rv_astatus_name(a->status)));
  jv_set(o, "meeting_date", meeting_date(s, a));
  jv_set(o, "latest_report", a->nreports ? jv_str(latest) : jv_null());
  return o;
}

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
  jv_set(o, "overdue", jv_bool(cli_action_overdue(a, cli_today())));
  cli_oid(id, &a->meeting);
  jv_set(o, "meeting", jv_str(id));
  jv_set(o, "meeting_date", meeting_date(s, a));
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
