/*
 * The programme record: a summary at the top, the set and its members
 * (removed members kept, with the day of their removal), the contract,
 * every meeting with its date, place, attendance and apologies, who
 * presented, the actions with their due dates and outcomes, the feedback
 * in the set's own words, and the three levels of evaluation (each person,
 * the set, the programme). As JSON (written here), Markdown, or one
 * self-contained HTML page with an attendance grid and an inline SVG chart
 * of actions by outcome (export_doc.c). Question texts, the most
 * confidential part, only with --with-questions.
 */
#include "cli.h"
#include "export_doc.h"
#include "revans/coach.h"
#include "revans/evaluation.h"
#include "revans/wallclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- JSON ----------------------------------------------------------- */

/* An ISO 8601 time, or null for 0. */
static jv_t *time_json(uint64_t ms) {
  char t[32];
  if (!ms)
    return jv_null();
  cli_time(t, ms);
  return jv_str(t);
}

static jv_t *set_json(const rv_state_t *s) {
  char buf[2 * RV_SETID_LEN + 1];
  jv_t *set = jv_obj();
  cli_hex(buf, s->set.b, RV_SETID_LEN);
  jv_set(set, "id", jv_str(buf));
  jv_set(set, "name", jv_str(s->name));
  jv_set(set, "topic", jv_str(s->topic));
  jv_set(set, "created", time_json(s->created_ms));
  return set;
}

static jv_t *summary_json(const cli_record_t *r) {
  const rv_evaluation_t *ev = r->ev;
  jv_t *o = jv_obj(), *period = jv_obj();
  jv_set(period, "from", time_json(ev->first_ms));
  jv_set(period, "to", time_json(ev->last_ms));
  jv_set(o, "period", period);
  jv_set(o, "meetings_planned", jv_int((int64_t)ev->meetings_planned));
  jv_set(o, "meetings_held", jv_int((int64_t)ev->meetings_held));
  jv_set(o, "meetings_cancelled", jv_int((int64_t)(ev->nmeetings - ev->meetings_planned)));
  jv_set(o, "attendance_percent", jv_int(ev->attendance_percent));
  jv_set(o, "actions", jv_int((int64_t)ev->actions));
  jv_set(o, "actions_done", jv_int((int64_t)ev->actions_done));
  jv_set(o, "actions_open", jv_int((int64_t)ev->actions_open));
  jv_set(o, "actions_overdue", jv_int((int64_t)ev->actions_overdue));
  jv_set(o, "made", time_json(r->made_ms));
  return o;
}

static jv_t *members_json(const cli_record_t *r) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *mem = jv_arr();
  for (size_t p = 0; p < r->ev->npeople; p++) {
    const rv_member_t *m = r->ev->people[p].member;
    jv_t *x = jv_obj();
    jv_set(x, "name", jv_str(cli_member_label(r->s, &m->id, buf)));
    jv_set(x, "role", jv_str(rv_role_name(m->role)));
    jv_set(x, "added", time_json(m->added_ms));
    jv_set(x, "removed", time_json(r->ev->people[p].removed ? m->removed_ms : 0));
    jv_push(mem, x);
  }
  return mem;
}

static jv_t *questions_json(const rv_state_t *s, const rv_eval_meeting_t *em) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *qs = jv_arr();
  for (size_t j = 0; j < em->nquestions; j++) {
    const rv_question_t *q = em->questions[j];
    jv_t *x = jv_obj(), *fu = jv_arr();
    jv_set(x, "to", jv_str(cli_member_label(s, &q->to, buf)));
    jv_set(x, "text", jv_str(q->text));
    jv_set(x, "kind", jv_str(rv_qkind_name((enum rv_qkind)q->kind)));
    jv_set(x, "group", jv_str(q->group));
    jv_set(x, "answer", jv_str(q->answer));
    for (size_t k = 0; k < q->nfollowups; k++)
      jv_push(fu, jv_str(q->followups[k]));
    jv_set(x, "follow_ups", fu);
    jv_push(qs, x);
  }
  return qs;
}

/* The names of the people with presence want at meeting i. */
static jv_t *names_json(const cli_record_t *r, size_t i, enum rv_presence want) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *a = jv_arr();
  for (size_t p = 0; p < r->ev->npeople; p++)
    if (rv_evaluation_presence(r->ev, p, i) == want)
      jv_push(a, jv_str(cli_member_label(r->s, &r->ev->people[p].member->id, buf)));
  return a;
}

static jv_t *meeting_json(const cli_record_t *r, size_t i) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1];
  const rv_eval_meeting_t *em = &r->ev->meetings[i];
  const rv_meeting_t *m = em->meeting;
  jv_t *e = jv_obj(), *pre = jv_arr(), *fb = jv_arr();
  cli_oid(id, &m->id);
  jv_set(e, "number", jv_int((int64_t)i + 1));
  jv_set(e, "id", jv_str(id));
  jv_set(e, "at", time_json(m->at_ms));
  jv_set(e, "place", jv_str(m->place));
  jv_set(e, "phase", jv_str(rv_phase_name(m->phase)));
  jv_set(e, "planned", jv_bool(em->planned));
  jv_set(e, "held", jv_bool(em->held));
  jv_set(e, "seats", jv_int((int64_t)em->seats));
  jv_set(e, "attendees", names_json(r, i, RV_PRESENCE_ATTENDED));
  jv_set(e, "apologies", names_json(r, i, RV_PRESENCE_APOLOGISED));
  for (size_t j = 0; j < em->npresenters; j++)
    jv_push(pre, jv_str(cli_member_label(r->s, em->presenters[j], buf)));
  for (size_t j = 0; j < m->nfeedback; j++) {
    jv_t *x = jv_obj();
    jv_set(x, "well", jv_str(m->feedback[j].text));
    jv_set(x, "better", jv_str(m->feedback[j].text2));
    jv_push(fb, x);
  }
  jv_set(e, "presenters", pre);
  jv_set(e, "feedback", fb);
  if (r->with_q)
    jv_set(e, "questions", questions_json(r->s, em));
  return e;
}

static jv_t *actions_json(const cli_record_t *r) {
  jv_t *acts = jv_arr();
  for (size_t i = 0; i < r->s->nactions; i++) {
    const rv_action_t *a = &r->s->actions[i];
    jv_t *x = cli_action_json(r->s, a);
    jv_set(x, "meeting_number", jv_int((int64_t)cli_record_meeting_number(r->ev, &a->meeting)));
    jv_set(x, "overdue", jv_bool(rv_evaluation_overdue(a, r->ev->today)));
    jv_push(acts, x);
  }
  return acts;
}

static jv_t *person_json(const cli_record_t *r, const rv_eval_person_t *pp) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *x = jv_obj();
  jv_set(x, "name", jv_str(cli_member_label(r->s, &pp->member->id, buf)));
  jv_set(x, "removed", time_json(pp->removed ? pp->member->removed_ms : 0));
  jv_set(x, "seats", jv_int((int64_t)pp->seats));
  jv_set(x, "attended", jv_int((int64_t)pp->attended));
  jv_set(x, "apologies", jv_int((int64_t)pp->apologies));
  jv_set(x, "presentations", jv_int((int64_t)pp->presentations));
  jv_set(x, "actions", jv_int((int64_t)pp->actions));
  jv_set(x, "actions_done", jv_int((int64_t)pp->actions_done));
  return x;
}

static jv_t *evaluation_json(const cli_record_t *r) {
  const rv_evaluation_t *ev = r->ev;
  jv_t *o = jv_obj(), *people = jv_arr(), *setlvl = jv_obj(), *prog = jv_obj();
  for (size_t p = 0; p < ev->npeople; p++)
    jv_push(people, person_json(r, &ev->people[p]));
  jv_set(setlvl, "attendance_percent", jv_int(ev->attendance_percent));
  jv_set(setlvl, "attendances", jv_int((int64_t)ev->attendances));
  jv_set(setlvl, "seats", jv_int((int64_t)ev->seats));
  jv_set(setlvl, "actions", jv_int((int64_t)ev->actions));
  jv_set(setlvl, "actions_done", jv_int((int64_t)ev->actions_done));
  jv_set(setlvl, "actions_open", jv_int((int64_t)ev->actions_open));
  jv_set(setlvl, "actions_overdue", jv_int((int64_t)ev->actions_overdue));
  jv_set(setlvl, "completion_percent", jv_int(ev->completion_percent));
  jv_set(prog, "meetings_planned", jv_int((int64_t)ev->meetings_planned));
  jv_set(prog, "meetings_held", jv_int((int64_t)ev->meetings_held));
  jv_set(o, "people", people);
  jv_set(o, "set", setlvl);
  jv_set(o, "programme", prog);
  return o;
}

static jv_t *record_json(const cli_record_t *r) {
  jv_t *o = jv_obj(), *meets = jv_arr();
  jv_set(o, "summary", summary_json(r));
  jv_set(o, "set", set_json(r->s));
  jv_set(o, "members", members_json(r));
  jv_set(o, "contract", cli_contract_json(r->s));
  for (size_t i = 0; i < r->ev->nmeetings; i++)
    jv_push(meets, meeting_json(r, i));
  jv_set(o, "meetings", meets);
  jv_set(o, "actions", actions_json(r));
  jv_set(o, "evaluation", evaluation_json(r));
  return o;
}

/* ---- the command ----------------------------------------------------- */

/* Writes the record in format (md or html) to out, else standard output. */
static int write_doc(cli_t *c, const char *format, const char *out, const cli_record_t *r) {
  rv_buf_t b;
  int rc = 0;
  rv_buf_init(&b);
  if (strcmp(format, "md") == 0)
    cli_record_markdown(&b, r);
  else
    cli_record_html(&b, r);
  if (out)
    rc = cli_write_file(c, out, b.data, b.len);
  else if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
    rc = cli_fail("cannot write the output");
  rv_buf_release(&b);
  return rc;
}

static int write_json(cli_t *c, const char *out, const cli_record_t *r) {
  jv_t *doc = record_json(r);
  if (!out)
    return cli_emit(&(cli_t){.json = true}, doc);
  char *text = jv_dump(doc);
  jv_free(doc);
  if (!text)
    return cli_fail("out of memory");
  int rc = cli_write_file(c, out, text, strlen(text));
  free(text);
  return rc;
}

static int run_export(cli_t *c) {
  const char *format = cli_opt(c, "format"), *out = cli_opt(c, "out");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_evaluation_t ev;
  int r;
  if (cli_no_args(c))
    return 2;
  if (!format)
    format = c->json ? "json" : "md";
  if (strcmp(format, "md") && strcmp(format, "html") && strcmp(format, "json"))
    return cli_usage(c, "--format must be md, html or json");
  if (c->json && strcmp(format, "json") && !out)
    return cli_usage(c, "--json prints one JSON document: use --format json, or --out FILE");
  if (cli_set_state(c, false, &set, &s))
    return 1;
  /* Overdue is judged on the day the record is made, on the local
   * calendar that due dates are written in. */
  uint64_t now = rv_now_ms();
  int64_t wall = rv_wall_from_utc_ms((int64_t)now);
  if (rv_evaluation_compute(s, wall > 0 ? (uint64_t)(wall / RV_WALL_DAY_MS) : 0, &ev) < 0)
    return cli_fail("out of memory");
  cli_record_t rec = {.s = s, .ev = &ev, .with_q = cli_flag(c, "with-questions"), .made_ms = now};
  if (strcmp(format, "json") == 0)
    r = write_json(c, out, &rec);
  else
    r = write_doc(c, format, out, &rec);
  rv_evaluation_release(&ev);
  if (r || !out)
    return r;
  if (c->json)
    return cli_emit(c, jv_set(jv_obj(), "file", jv_str(out)));
  return 0;
}

static const cli_opt_t export_opts[] = {
    {"format", true}, {"out", true}, {"with-questions", false}, {NULL, false}};

const cli_cmd_t cli_export_cmds[] = {
    {"export", "[--format md|html|json] [--out FILE] [--with-questions]",
     "The programme record: a summary (the period, meetings held of those planned, attendance, "
     "actions done, open and overdue, the day it was made), the members with their roles and "
     "removals, the contract, every meeting with its date, place, attendance, apologies and "
     "presenters, the feedback unattributed, the actions with due dates and outcomes, and the "
     "evaluation for each person, the set and the programme. A removed member keeps their "
     "history; each meeting counts the members of the set at it. Question texts, under the "
     "presenter's groups with answers and follow-ups, only with --with-questions. The HTML is "
     "one self-contained page (an attendance grid, a chart of actions by outcome).",
     export_opts, run_export},
    {NULL, NULL, NULL, NULL, NULL},
};
