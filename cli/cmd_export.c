/*
 * The programme record: the set, its contract, every meeting with
 * attendance and apologies, who presented, the actions and how they ended,
 * the feedback, and the three levels of evaluation (each person, the set,
 * the programme). As JSON, Markdown, or one self-contained HTML page with
 * an attendance grid and an inline SVG chart of actions by outcome.
 * Question texts, the most confidential part, only with --with-questions.
 */
#include "cli.h"
#include "revans/coach.h"
#include "revans/evaluation.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- a text builder ------------------------------------------------- */

static void put(rv_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(rv_buf_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || rv_buf_reserve(b, (size_t)n + 1) < 0)
    return;
  va_start(ap, fmt);
  vsnprintf((char *)b->data + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

/* Text into HTML: the five characters that mean something there. */
static void put_html(rv_buf_t *b, const char *s) {
  for (; s && *s; s++) {
    switch (*s) {
    case '&': put(b, "&amp;"); break;
    case '<': put(b, "&lt;"); break;
    case '>': put(b, "&gt;"); break;
    case '"': put(b, "&quot;"); break;
    case '\'': put(b, "&#39;"); break;
    default: rv_buf_append(b, s, 1);
    }
  }
}

/* Text into Markdown: one line, with the characters that would format it
 * escaped. */
static void put_md(rv_buf_t *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '\n' || *s == '\r') {
      put(b, " ");
      continue;
    }
    if (strchr("\\`*_{}[]<>()#+-.!|", *s))
      put(b, "\\");
    rv_buf_append(b, s, 1);
  }
}

/* ---- what Markdown and HTML present alike ---------------------------- */

/* How a text format marks up the parts both formats show the same way:
 * its escaping, a table row, a question with its answer, and the
 * evaluation. */
typedef struct markup {
  void (*text)(rv_buf_t *b, const char *s);
  const char *row_open, *cell_sep, *row_close, *table_close;
  const char *question_open, *answer_open, *question_close;
  const char *actions_head, *people_head;
  const char *set_line;       /* attendance %, done, actions, completion % */
  const char *programme_line; /* held, planned */
} markup_t;

/* One table row of n cells, each escaped. */
static void put_row(rv_buf_t *b, const markup_t *mk, const char *const *cells, size_t n) {
  put(b, "%s", mk->row_open);
  for (size_t i = 0; i < n; i++) {
    put(b, "%s", i ? mk->cell_sep : "");
    mk->text(b, cells[i]);
  }
  put(b, "%s", mk->row_close);
}

static void put_questions(rv_buf_t *b, const markup_t *mk, const rv_state_t *s,
                          const rv_eval_meeting_t *em) {
  char buf[2 * RV_ID_LEN + 1];
  for (size_t j = 0; j < em->nquestions; j++) {
    const rv_question_t *q = em->questions[j];
    put(b, "%s", mk->question_open);
    mk->text(b, cli_member_label(s, &q->to, buf));
    put(b, " (%s): ", rv_qkind_name((enum rv_qkind)q->kind));
    mk->text(b, q->text);
    if (q->answer) {
      put(b, "%s", mk->answer_open);
      mk->text(b, q->answer);
    }
    put(b, "%s", mk->question_close);
  }
}

static void put_actions(rv_buf_t *b, const markup_t *mk, const rv_state_t *s) {
  char buf[2 * RV_ID_LEN + 1];
  put(b, "%s", mk->actions_head);
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *a = &s->actions[i];
    const char *cells[] = {a->text, cli_member_label(s, &a->owner, buf),
                           rv_astatus_name(a->status)};
    put_row(b, mk, cells, 3);
  }
  put(b, "%s", mk->table_close);
}

static void put_evaluation(rv_buf_t *b, const markup_t *mk, const rv_state_t *s,
                           const rv_evaluation_t *ev) {
  char buf[2 * RV_ID_LEN + 1], num[5][24];
  put(b, "%s", mk->people_head);
  for (size_t p = 0; p < ev->npeople; p++) {
    const rv_eval_person_t *pp = &ev->people[p];
    const size_t counts[5] = {pp->attended, pp->apologies, pp->presentations, pp->actions,
                              pp->actions_done};
    const char *cells[6] = {cli_member_label(s, &pp->member->id, buf)};
    for (size_t k = 0; k < 5; k++) {
      snprintf(num[k], sizeof num[k], "%zu", counts[k]);
      cells[k + 1] = num[k];
    }
    put_row(b, mk, cells, 6);
  }
  put(b, "%s", mk->table_close);
  put(b, mk->set_line, ev->attendance_percent, ev->actions_done, ev->actions,
      ev->completion_percent);
  put(b, mk->programme_line, ev->meetings_held, ev->meetings_planned);
}

/* ---- JSON ----------------------------------------------------------- */

static jv_t *set_json(const rv_state_t *s) {
  char buf[2 * RV_SETID_LEN + 1], t[32];
  jv_t *set = jv_obj();
  cli_hex(buf, s->set.b, RV_SETID_LEN);
  cli_time(t, s->created_ms);
  jv_set(set, "id", jv_str(buf));
  jv_set(set, "name", jv_str(s->name));
  jv_set(set, "topic", jv_str(s->topic));
  jv_set(set, "created", jv_str(t));
  return set;
}

static jv_t *members_json(const rv_state_t *s, const rv_evaluation_t *ev) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *mem = jv_arr();
  for (size_t p = 0; p < ev->npeople; p++) {
    jv_t *m = jv_obj();
    jv_set(m, "name", jv_str(cli_member_label(s, &ev->people[p].member->id, buf)));
    jv_set(m, "role", jv_str(rv_role_name(ev->people[p].member->role)));
    jv_push(mem, m);
  }
  return mem;
}

static jv_t *questions_json(const rv_state_t *s, const rv_eval_meeting_t *em) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *qs = jv_arr();
  for (size_t j = 0; j < em->nquestions; j++) {
    const rv_question_t *q = em->questions[j];
    jv_t *x = jv_obj();
    jv_set(x, "to", jv_str(cli_member_label(s, &q->to, buf)));
    jv_set(x, "text", jv_str(q->text));
    jv_set(x, "kind", jv_str(rv_qkind_name((enum rv_qkind)q->kind)));
    jv_set(x, "group", jv_str(q->group));
    jv_set(x, "answer", jv_str(q->answer));
    jv_push(qs, x);
  }
  return qs;
}

static jv_t *meeting_json(const rv_state_t *s, const rv_eval_meeting_t *em, bool with_q) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1], t[32];
  const rv_meeting_t *m = em->meeting;
  jv_t *e = jv_obj(), *att = jv_arr(), *apo = jv_arr(), *pre = jv_arr(), *fb = jv_arr();
  cli_oid(id, &m->id);
  cli_time(t, m->at_ms);
  jv_set(e, "id", jv_str(id));
  jv_set(e, "at", jv_str(t));
  jv_set(e, "place", jv_str(m->place));
  jv_set(e, "phase", jv_str(rv_phase_name(m->phase)));
  for (size_t j = 0; j < m->nattendees; j++)
    jv_push(att, jv_str(cli_member_label(s, &m->attendees[j], buf)));
  for (size_t j = 0; j < m->napologies; j++)
    jv_push(apo, jv_str(cli_member_label(s, &m->apologies[j].member, buf)));
  for (size_t j = 0; j < em->npresenters; j++)
    jv_push(pre, jv_str(cli_member_label(s, em->presenters[j], buf)));
  for (size_t j = 0; j < m->nfeedback; j++) {
    jv_t *x = jv_obj();
    jv_set(x, "well", jv_str(m->feedback[j].text));
    jv_set(x, "better", jv_str(m->feedback[j].text2));
    jv_push(fb, x);
  }
  jv_set(e, "attendees", att);
  jv_set(e, "apologies", apo);
  jv_set(e, "presenters", pre);
  jv_set(e, "feedback", fb);
  if (with_q)
    jv_set(e, "questions", questions_json(s, em));
  return e;
}

static jv_t *evaluation_json(const rv_state_t *s, const rv_evaluation_t *ev) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *o = jv_obj(), *people = jv_arr(), *setlvl = jv_obj(), *prog = jv_obj();
  for (size_t p = 0; p < ev->npeople; p++) {
    const rv_eval_person_t *pp = &ev->people[p];
    jv_t *x = jv_obj();
    jv_set(x, "name", jv_str(cli_member_label(s, &pp->member->id, buf)));
    jv_set(x, "attended", jv_int((int64_t)pp->attended));
    jv_set(x, "apologies", jv_int((int64_t)pp->apologies));
    jv_set(x, "presentations", jv_int((int64_t)pp->presentations));
    jv_set(x, "actions", jv_int((int64_t)pp->actions));
    jv_set(x, "actions_done", jv_int((int64_t)pp->actions_done));
    jv_push(people, x);
  }
  jv_set(setlvl, "attendance_percent", jv_int(ev->attendance_percent));
  jv_set(setlvl, "actions", jv_int((int64_t)ev->actions));
  jv_set(setlvl, "actions_done", jv_int((int64_t)ev->actions_done));
  jv_set(setlvl, "completion_percent", jv_int(ev->completion_percent));
  jv_set(prog, "meetings_planned", jv_int((int64_t)ev->meetings_planned));
  jv_set(prog, "meetings_held", jv_int((int64_t)ev->meetings_held));
  jv_set(o, "people", people);
  jv_set(o, "set", setlvl);
  jv_set(o, "programme", prog);
  return o;
}

static jv_t *record_json(const rv_state_t *s, const rv_evaluation_t *ev, bool with_q) {
  jv_t *o = jv_obj(), *meets = jv_arr(), *acts = jv_arr();
  jv_set(o, "set", set_json(s));
  jv_set(o, "members", members_json(s, ev));
  jv_set(o, "contract", cli_contract_json(s));
  for (size_t i = 0; i < ev->nmeetings; i++)
    jv_push(meets, meeting_json(s, &ev->meetings[i], with_q));
  jv_set(o, "meetings", meets);
  for (size_t i = 0; i < s->nactions; i++)
    jv_push(acts, cli_action_json(s, &s->actions[i]));
  jv_set(o, "actions", acts);
  jv_set(o, "evaluation", evaluation_json(s, ev));
  return o;
}

/* ---- Markdown ------------------------------------------------------- */

static const markup_t md_markup = {
    .text = put_md,
    .row_open = "| ",
    .cell_sep = " | ",
    .row_close = " |\n",
    .table_close = "",
    .question_open = "- Question to ",
    .answer_open = " Answer: ",
    .question_close = "\n",
    .actions_head = "\n## Actions\n\n| Action | Owner | Outcome |\n|---|---|---|\n",
    .people_head = "\n## Evaluation\n\n### Each person\n\n"
                   "| Member | Attended | Apologies | Presentations | Actions | Done |\n"
                   "|---|---|---|---|---|---|\n",
    .set_line = "\n### The set\n\nAttendance %u%%; %zu of %zu actions done (%u%%).\n",
    .programme_line = "\n### The programme\n\n%zu of %zu meetings held.\n",
};

static void md_head(rv_buf_t *b, const rv_state_t *s, const rv_evaluation_t *ev) {
  char buf[2 * RV_ID_LEN + 1];
  put(b, "# ");
  put_md(b, s->name);
  put(b, "\n\n");
  if (s->topic) {
    put_md(b, s->topic);
    put(b, "\n\n");
  }
  put(b, "## Members\n\n");
  for (size_t p = 0; p < ev->npeople; p++) {
    put(b, "- ");
    put_md(b, cli_member_label(s, &ev->people[p].member->id, buf));
    put(b, " (%s)\n", rv_role_name(ev->people[p].member->role));
  }
  put(b, "\n## Contract (version %llu", (unsigned long long)s->contract_version);
  if (s->quorum)
    put(b, ", quorum %llu", (unsigned long long)s->quorum);
  put(b, ")\n\n");
  for (size_t i = 0; i < s->nrules; i++) {
    put(b, "%zu. ", i + 1);
    put_md(b, s->rules[i].text);
    put(b, "\n");
  }
}

static void md_meeting(rv_buf_t *b, const rv_state_t *s, const rv_eval_meeting_t *em, size_t i,
                       bool with_q) {
  char buf[2 * RV_ID_LEN + 1], t[32];
  const rv_meeting_t *m = em->meeting;
  cli_local_time(t, m->at_ms);
  put(b, "\n### Meeting %zu: %s (%s)\n\n", i + 1, t, rv_phase_name(m->phase));
  if (m->place) {
    put(b, "Place: ");
    put_md(b, m->place);
    put(b, "\n\n");
  }
  put(b, "- Attended:");
  for (size_t j = 0; j < m->nattendees; j++) {
    put(b, j ? ", " : " ");
    put_md(b, cli_member_label(s, &m->attendees[j], buf));
  }
  put(b, "\n- Apologies:");
  for (size_t j = 0; j < m->napologies; j++) {
    put(b, j ? ", " : " ");
    put_md(b, cli_member_label(s, &m->apologies[j].member, buf));
  }
  put(b, "\n- Presented:");
  for (size_t j = 0; j < em->npresenters; j++) {
    put(b, j ? ", " : " ");
    put_md(b, cli_member_label(s, em->presenters[j], buf));
  }
  put(b, "\n");
  for (size_t j = 0; j < m->nfeedback; j++) {
    put(b, "- Feedback: went well: ");
    put_md(b, m->feedback[j].text);
    put(b, "; could be better: ");
    put_md(b, m->feedback[j].text2);
    put(b, "\n");
  }
  if (with_q)
    put_questions(b, &md_markup, s, em);
}

static void markdown(rv_buf_t *b, const rv_state_t *s, const rv_evaluation_t *ev, bool with_q) {
  md_head(b, s, ev);
  put(b, "\n## Meetings\n");
  for (size_t i = 0; i < ev->nmeetings; i++)
    md_meeting(b, s, &ev->meetings[i], i, with_q);
  put_actions(b, &md_markup, s);
  put_evaluation(b, &md_markup, s, ev);
}

/* ---- HTML ----------------------------------------------------------- */

static const markup_t html_markup = {
    .text = put_html,
    .row_open = "<tr><td>",
    .cell_sep = "</td><td>",
    .row_close = "</td></tr>\n",
    .table_close = "</table>\n",
    .question_open = "<p class=\"meta\">Question to ",
    .answer_open = "<br>Answer: ",
    .question_close = "</p>\n",
    .actions_head = "<table><tr><th>Action</th><th>Owner</th><th>Outcome</th></tr>\n",
    .people_head = "<h2>Evaluation</h2>\n<h3>Each person</h3>\n<table><tr><th>Member</th>"
                   "<th>Attended</th><th>Apologies</th><th>Presentations</th><th>Actions</th>"
                   "<th>Done</th></tr>\n",
    .set_line = "<h3>The set</h3>\n<p>Attendance %u%%; %zu of %zu actions done (%u%%).</p>\n",
    .programme_line = "<h3>The programme</h3>\n<p>%zu of %zu meetings held.</p>\n",
};

static const char *const outcome_colour[RV_EVAL_OUTCOMES] = {"#9e9e9e", "#2e7d32", "#1565c0",
                                                             "#c62828", "#6d4c41"};

/* Actions by outcome for each meeting they came from, as stacked bars. */
static void chart(rv_buf_t *b, const rv_evaluation_t *ev) {
  static const enum rv_astatus stack[] = {RV_A_DONE, RV_A_PROGRESS, RV_A_BLOCKED, RV_A_DROPPED,
                                          RV_A_OPEN};
  size_t w = 60 + 70 * (ev->nmeetings ? ev->nmeetings : 1), height = 220;
  if (w < 500)
    w = 500; /* room for the legend */
  put(b,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" role=\"img\" "
      "aria-label=\"Actions by outcome for each meeting\">\n",
      w, height + 60);
  put(b, "<line x1=\"40\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#333\"/>\n", height, w - 10,
      height);
  for (size_t i = 0; i < ev->nmeetings; i++) {
    size_t y = height, x = 50 + 70 * i;
    for (size_t k = 0; k < sizeof stack / sizeof *stack; k++) {
      size_t n = ev->meetings[i].outcome[stack[k]];
      size_t bar = n * (height - 20) / ev->most_actions;
      if (bar) {
        y -= bar;
        put(b,
            "<rect x=\"%zu\" y=\"%zu\" width=\"40\" height=\"%zu\" fill=\"%s\"><title>%s: %zu"
            "</title></rect>\n",
            x, y, bar, outcome_colour[stack[k]], rv_astatus_name(stack[k]), n);
      }
    }
    put(b, "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\">%zu</text>\n", x + 20,
        height + 16, i + 1);
  }
  size_t lx = 40;
  for (int st = RV_A_OPEN; st <= RV_A_DROPPED; st++) {
    put(b,
        "<rect x=\"%zu\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/>"
        "<text x=\"%zu\" y=\"%zu\" font-size=\"12\">%s</text>\n",
        lx, height + 30, outcome_colour[st], lx + 16, height + 41,
        rv_astatus_name((enum rv_astatus)st));
    lx += 90;
  }
  put(b, "</svg>\n");
}

static void html_head(rv_buf_t *b, const rv_state_t *s) {
  put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
  put_html(b, s->name);
  put(b, " — programme record</title>\n<style>\n"
         "body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
         "color:#222;line-height:1.4}\n"
         "h1{border-bottom:2px solid #444}h2{margin-top:2rem;border-bottom:1px solid #aaa}\n"
         "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;"
         "padding:.25rem .6rem;text-align:left}th{background:#eee}\n"
         "td.yes{background:#c8e6c9;text-align:center}td.apo{background:#fff3c4;"
         "text-align:center}td.no{background:#f5f5f5;text-align:center}\n"
         ".meta{color:#555}\n"
         "@media print{body{margin:0;max-width:none}h2{break-after:avoid}"
         "table,svg{break-inside:avoid}}\n</style></head><body>\n<h1>");
  put_html(b, s->name);
  put(b, "</h1>\n");
  if (s->topic) {
    put(b, "<p class=\"meta\">");
    put_html(b, s->topic);
    put(b, "</p>\n");
  }
  put(b, "<h2>Contract</h2>\n<p class=\"meta\">Version %llu",
      (unsigned long long)s->contract_version);
  if (s->quorum)
    put(b, "; quorum %llu", (unsigned long long)s->quorum);
  put(b, ".</p>\n<ol>\n");
  for (size_t i = 0; i < s->nrules; i++) {
    put(b, "<li>");
    put_html(b, s->rules[i].text);
    put(b, "</li>\n");
  }
  put(b, "</ol>\n");
}

/* A row for each person, a column for each meeting. */
static void html_attendance(rv_buf_t *b, const rv_state_t *s, const rv_evaluation_t *ev) {
  static const char *const cell[] = {
      [RV_PRESENCE_ABSENT] = "<td class=\"no\">–</td>",
      [RV_PRESENCE_ATTENDED] = "<td class=\"yes\">✓</td>",
      [RV_PRESENCE_APOLOGISED] = "<td class=\"apo\">apologies</td>",
  };
  char buf[2 * RV_ID_LEN + 1];
  put(b, "<h2>Attendance</h2>\n<table><tr><th>Member</th>");
  for (size_t i = 0; i < ev->nmeetings; i++)
    put(b, "<th>%zu</th>", i + 1);
  put(b, "</tr>\n");
  for (size_t p = 0; p < ev->npeople; p++) {
    put(b, "<tr><th>");
    put_html(b, cli_member_label(s, &ev->people[p].member->id, buf));
    put(b, "</th>");
    for (size_t i = 0; i < ev->nmeetings; i++)
      put(b, "%s", cell[rv_evaluation_presence(ev, p, i)]);
    put(b, "</tr>\n");
  }
  put(b, "</table>\n");
}

static void html_meeting(rv_buf_t *b, const rv_state_t *s, const rv_eval_meeting_t *em, size_t i,
                         bool with_q) {
  char buf[2 * RV_ID_LEN + 1], t[32];
  const rv_meeting_t *m = em->meeting;
  cli_local_time(t, m->at_ms);
  put(b, "<h3>Meeting %zu: %s (%s)</h3>\n<p>Presented:", i + 1, t, rv_phase_name(m->phase));
  for (size_t j = 0; j < em->npresenters; j++) {
    put(b, j ? ", " : " ");
    put_html(b, cli_member_label(s, em->presenters[j], buf));
  }
  put(b, "</p>\n");
  if (m->nfeedback) {
    put(b, "<table><tr><th>Went well</th><th>Could be better</th></tr>\n");
    for (size_t j = 0; j < m->nfeedback; j++) {
      put(b, "<tr><td>");
      put_html(b, m->feedback[j].text);
      put(b, "</td><td>");
      put_html(b, m->feedback[j].text2);
      put(b, "</td></tr>\n");
    }
    put(b, "</table>\n");
  }
  if (with_q)
    put_questions(b, &html_markup, s, em);
}

static void html(rv_buf_t *b, const rv_state_t *s, const rv_evaluation_t *ev, bool with_q) {
  html_head(b, s);
  html_attendance(b, s, ev);
  put(b, "<h2>Meetings</h2>\n");
  for (size_t i = 0; i < ev->nmeetings; i++)
    html_meeting(b, s, &ev->meetings[i], i, with_q);
  put(b, "<h2>Actions by outcome</h2>\n");
  chart(b, ev);
  put_actions(b, &html_markup, s);
  put_evaluation(b, &html_markup, s, ev);
  put(b, "</body></html>\n");
}

static int run_export(cli_t *c) {
  const char *format = cli_opt(c, "format"), *out = cli_opt(c, "out");
  bool with_q = cli_flag(c, "with-questions");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_evaluation_t ev;
  rv_buf_t b;
  int r = 0;
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
  if (rv_evaluation_compute(s, 0, &ev) < 0)
    return cli_fail("out of memory");
  rv_buf_init(&b);
  if (strcmp(format, "json") == 0) {
    jv_t *doc = record_json(s, &ev, with_q);
    rv_evaluation_release(&ev);
    if (!out)
      return cli_emit(&(cli_t){.json = true}, doc);
    char *text = jv_dump(doc);
    jv_free(doc);
    if (!text)
      return cli_fail("out of memory");
    r = cli_write_file(c, out, text, strlen(text));
    free(text);
  } else {
    if (strcmp(format, "md") == 0)
      markdown(&b, s, &ev, with_q);
    else
      html(&b, s, &ev, with_q);
    rv_evaluation_release(&ev);
    if (out)
      r = cli_write_file(c, out, b.data, b.len);
    else if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
      r = cli_fail("cannot write the output");
    rv_buf_release(&b);
  }
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
     "The programme record: the set, the contract, every meeting with attendance and apologies, "
     "who presented, the actions and how they ended, the feedback, and the evaluation for each "
     "person, the set and the programme. Question texts only with --with-questions. The HTML is "
     "one self-contained page (an attendance grid, an SVG chart of actions by outcome).",
     export_opts, run_export},
    {NULL, NULL, NULL, NULL, NULL},
};
