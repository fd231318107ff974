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
#include "revans/error.h"
#include "revans/set.h"

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

/* ---- figures -------------------------------------------------------- */

typedef struct person {
  const rv_member_t *m;
  size_t attended, apologies, presented, actions, done;
} person_t;

typedef struct figures {
  person_t *people;
  size_t held, planned, attendances, seats, actions, done;
  size_t outcome[5]; /* by rv_astatus */
} figures_t;

static bool attended(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->nattendees; i++)
    if (memcmp(m->attendees[i].b, id->b, RV_ID_LEN) == 0)
      return true;
  return false;
}

static bool apologised(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->napologies; i++)
    if (memcmp(m->apologies[i].member.b, id->b, RV_ID_LEN) == 0)
      return true;
  return false;
}

static bool presented(const rv_meeting_t *m, const rv_member_id_t *id) {
  for (size_t i = 0; i < m->nslots; i++)
    if (!m->slots[i].deferred && m->slots[i].started_ms &&
        memcmp(m->slots[i].presenter.b, id->b, RV_ID_LEN) == 0)
      return true;
  return false;
}

static int count(const rv_state_t *s, figures_t *f) {
  memset(f, 0, sizeof *f);
  if (!(f->people = calloc(s->nmembers ? s->nmembers : 1, sizeof *f->people)))
    return -1;
  for (size_t p = 0; p < s->nmembers; p++)
    f->people[p].m = &s->members[p];
  f->planned = s->nmeetings;
  for (size_t i = 0; i < s->nmeetings; i++) {
    const rv_meeting_t *m = &s->meetings[i];
    if (m->phase == RV_PHASE_SCHEDULED)
      continue;
    f->held++;
    for (size_t p = 0; p < s->nmembers; p++) {
      person_t *pp = &f->people[p];
      pp->attended += attended(m, &pp->m->id);
      pp->apologies += apologised(m, &pp->m->id);
      pp->presented += presented(m, &pp->m->id);
    }
    f->attendances += m->nattendees;
    f->seats += s->nmembers;
  }
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *a = &s->actions[i];
    f->actions++;
    f->done += a->status == RV_A_DONE;
    if (a->status <= RV_A_DROPPED)
      f->outcome[a->status]++;
    for (size_t p = 0; p < s->nmembers; p++)
      if (memcmp(s->members[p].id.b, a->owner.b, RV_ID_LEN) == 0) {
        f->people[p].actions++;
        f->people[p].done += a->status == RV_A_DONE;
      }
  }
  return 0;
}

static int percent(size_t part, size_t whole) { return whole ? (int)(part * 100 / whole) : 0; }

/* ---- JSON ----------------------------------------------------------- */

static jv_t *record_json(const rv_state_t *s, const figures_t *f, bool with_q) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1], t[32];
  jv_t *o = jv_obj(), *set = jv_obj(), *mem = jv_arr(), *meets = jv_arr(), *acts = jv_arr();
  cli_hex(buf, s->set.b, RV_SETID_LEN);
  cli_time(t, s->created_ms);
  jv_set(set, "id", jv_str(buf));
  jv_set(set, "name", jv_str(s->name));
  jv_set(set, "topic", jv_str(s->topic));
  jv_set(set, "created", jv_str(t));
  jv_set(o, "set", set);
  for (size_t i = 0; i < s->nmembers; i++) {
    jv_t *m = jv_obj();
    jv_set(m, "name", jv_str(cli_member_label(s, &s->members[i].id, buf)));
    jv_set(m, "role", jv_str(rv_role_name(s->members[i].role)));
    jv_push(mem, m);
  }
  jv_set(o, "members", mem);
  jv_set(o, "contract", cli_contract_json(s));
  for (size_t i = 0; i < s->nmeetings; i++) {
    const rv_meeting_t *m = &s->meetings[i];
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
    for (size_t j = 0; j < m->nslots; j++)
      if (!m->slots[j].deferred && m->slots[j].started_ms)
        jv_push(pre, jv_str(cli_member_label(s, &m->slots[j].presenter, buf)));
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
    if (with_q) {
      jv_t *qs = jv_arr();
      for (size_t j = 0; j < s->nquestions; j++) {
        const rv_question_t *q = &s->questions[j];
        if (memcmp(q->meeting.b, m->id.b, RV_OID_LEN) || q->status == RV_Q_DISCARDED)
          continue;
        jv_t *x = jv_obj();
        jv_set(x, "to", jv_str(cli_member_label(s, &q->to, buf)));
        jv_set(x, "text", jv_str(q->text));
        jv_set(x, "kind", jv_str(rv_qkind_name((enum rv_qkind)q->kind)));
        jv_set(x, "group", jv_str(q->group));
        jv_set(x, "answer", jv_str(q->answer));
        jv_push(qs, x);
      }
      jv_set(e, "questions", qs);
    }
    jv_push(meets, e);
  }
  jv_set(o, "meetings", meets);
  for (size_t i = 0; i < s->nactions; i++)
    jv_push(acts, cli_action_json(s, &s->actions[i]));
  jv_set(o, "actions", acts);

  jv_t *ev = jv_obj(), *people = jv_arr(), *setlvl = jv_obj(), *prog = jv_obj();
  for (size_t p = 0; p < s->nmembers; p++) {
    const person_t *pp = &f->people[p];
    jv_t *x = jv_obj();
    jv_set(x, "name", jv_str(cli_member_label(s, &pp->m->id, buf)));
    jv_set(x, "attended", jv_int((int64_t)pp->attended));
    jv_set(x, "apologies", jv_int((int64_t)pp->apologies));
    jv_set(x, "presentations", jv_int((int64_t)pp->presented));
    jv_set(x, "actions", jv_int((int64_t)pp->actions));
    jv_set(x, "actions_done", jv_int((int64_t)pp->done));
    jv_push(people, x);
  }
  jv_set(setlvl, "attendance_percent", jv_int(percent(f->attendances, f->seats)));
  jv_set(setlvl, "actions", jv_int((int64_t)f->actions));
  jv_set(setlvl, "actions_done", jv_int((int64_t)f->done));
  jv_set(setlvl, "completion_percent", jv_int(percent(f->done, f->actions)));
  jv_set(prog, "meetings_planned", jv_int((int64_t)f->planned));
  jv_set(prog, "meetings_held", jv_int((int64_t)f->held));
  jv_set(ev, "people", people);
  jv_set(ev, "set", setlvl);
  jv_set(ev, "programme", prog);
  jv_set(o, "evaluation", ev);
  return o;
}

/* ---- Markdown ------------------------------------------------------- */

static void markdown(rv_buf_t *b, const rv_state_t *s, const figures_t *f, bool with_q) {
  char buf[2 * RV_ID_LEN + 1], t[32];
  put(b, "# ");
  put_md(b, s->name);
  put(b, "\n\n");
  if (s->topic) {
    put_md(b, s->topic);
    put(b, "\n\n");
  }
  put(b, "## Members\n\n");
  for (size_t i = 0; i < s->nmembers; i++) {
    put(b, "- ");
    put_md(b, cli_member_label(s, &s->members[i].id, buf));
    put(b, " (%s)\n", rv_role_name(s->members[i].role));
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
  put(b, "\n## Meetings\n");
  for (size_t i = 0; i < s->nmeetings; i++) {
    const rv_meeting_t *m = &s->meetings[i];
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
    for (size_t j = 0, k = 0; j < m->nslots; j++)
      if (!m->slots[j].deferred && m->slots[j].started_ms) {
        put(b, k++ ? ", " : " ");
        put_md(b, cli_member_label(s, &m->slots[j].presenter, buf));
      }
    put(b, "\n");
    for (size_t j = 0; j < m->nfeedback; j++) {
      put(b, "- Feedback: went well: ");
      put_md(b, m->feedback[j].text);
      put(b, "; could be better: ");
      put_md(b, m->feedback[j].text2);
      put(b, "\n");
    }
    for (size_t j = 0; with_q && j < s->nquestions; j++) {
      const rv_question_t *q = &s->questions[j];
      if (memcmp(q->meeting.b, m->id.b, RV_OID_LEN) || q->status == RV_Q_DISCARDED)
        continue;
      put(b, "- Question to ");
      put_md(b, cli_member_label(s, &q->to, buf));
      put(b, " (%s): ", rv_qkind_name((enum rv_qkind)q->kind));
      put_md(b, q->text);
      if (q->answer) {
        put(b, " Answer: ");
        put_md(b, q->answer);
      }
      put(b, "\n");
    }
  }
  put(b, "\n## Actions\n\n| Action | Owner | Outcome |\n|---|---|---|\n");
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *a = &s->actions[i];
    put(b, "| ");
    put_md(b, a->text);
    put(b, " | ");
    put_md(b, cli_member_label(s, &a->owner, buf));
    put(b, " | %s |\n", rv_astatus_name(a->status));
  }
  put(b, "\n## Evaluation\n\n### Each person\n\n"
         "| Member | Attended | Apologies | Presentations | Actions | Done |\n"
         "|---|---|---|---|---|---|\n");
  for (size_t p = 0; p < s->nmembers; p++) {
    const person_t *pp = &f->people[p];
    put(b, "| ");
    put_md(b, cli_member_label(s, &pp->m->id, buf));
    put(b, " | %zu | %zu | %zu | %zu | %zu |\n", pp->attended, pp->apologies, pp->presented,
        pp->actions, pp->done);
  }
  put(b, "\n### The set\n\nAttendance %d%%; %zu of %zu actions done (%d%%).\n",
      percent(f->attendances, f->seats), f->done, f->actions, percent(f->done, f->actions));
  put(b, "\n### The programme\n\n%zu of %zu meetings held.\n", f->held, f->planned);
}

/* ---- HTML ----------------------------------------------------------- */

static const char *const outcome_colour[5] = {"#9e9e9e", "#2e7d32", "#1565c0", "#c62828",
                                              "#6d4c41"};

/* Actions by outcome for each meeting they came from, as stacked bars. */
static void chart(rv_buf_t *b, const rv_state_t *s) {
  size_t most = 1;
  for (size_t i = 0; i < s->nmeetings; i++) {
    size_t n = 0;
    for (size_t j = 0; j < s->nactions; j++)
      n += memcmp(s->actions[j].meeting.b, s->meetings[i].id.b, RV_OID_LEN) == 0;
    most = n > most ? n : most;
  }
  size_t w = 60 + 70 * (s->nmeetings ? s->nmeetings : 1), h = 220;
  if (w < 500)
    w = 500; /* room for the legend */
  put(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" role=\"img\" "
         "aria-label=\"Actions by outcome for each meeting\">\n", w, h + 60);
  put(b, "<line x1=\"40\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#333\"/>\n", h, w - 10, h);
  for (size_t i = 0; i < s->nmeetings; i++) {
    static const enum rv_astatus stack[] = {RV_A_DONE, RV_A_PROGRESS, RV_A_BLOCKED,
                                            RV_A_DROPPED, RV_A_OPEN};
    size_t y = h, x = 50 + 70 * i;
    for (size_t k = 0; k < sizeof stack / sizeof *stack; k++) {
      size_t n = 0;
      for (size_t j = 0; j < s->nactions; j++)
        n += memcmp(s->actions[j].meeting.b, s->meetings[i].id.b, RV_OID_LEN) == 0 &&
             s->actions[j].status == stack[k];
      size_t bar = n * (h - 20) / most;
      if (bar) {
        y -= bar;
        put(b, "<rect x=\"%zu\" y=\"%zu\" width=\"40\" height=\"%zu\" fill=\"%s\"><title>%s: %zu"
               "</title></rect>\n", x, y, bar, outcome_colour[stack[k]], rv_astatus_name(stack[k]), n);
      }
    }
    put(b, "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\">%zu</text>\n",
        x + 20, h + 16, i + 1);
  }
  size_t lx = 40;
  for (int st = RV_A_OPEN; st <= RV_A_DROPPED; st++) {
    put(b, "<rect x=\"%zu\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/>"
           "<text x=\"%zu\" y=\"%zu\" font-size=\"12\">%s</text>\n",
        lx, h + 30, outcome_colour[st], lx + 16, h + 41, rv_astatus_name((enum rv_astatus)st));
    lx += 90;
  }
  put(b, "</svg>\n");
}

static void html(rv_buf_t *b, const rv_state_t *s, const figures_t *f, bool with_q) {
  char buf[2 * RV_ID_LEN + 1], t[32];
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
  put(b, "</ol>\n<h2>Attendance</h2>\n<table><tr><th>Member</th>");
  for (size_t i = 0; i < s->nmeetings; i++)
    put(b, "<th>%zu</th>", i + 1);
  put(b, "</tr>\n");
  for (size_t p = 0; p < s->nmembers; p++) {
    put(b, "<tr><th>");
    put_html(b, cli_member_label(s, &s->members[p].id, buf));
    put(b, "</th>");
    for (size_t i = 0; i < s->nmeetings; i++) {
      const rv_meeting_t *m = &s->meetings[i];
      if (attended(m, &s->members[p].id))
        put(b, "<td class=\"yes\">✓</td>");
      else if (apologised(m, &s->members[p].id))
        put(b, "<td class=\"apo\">apologies</td>");
      else
        put(b, "<td class=\"no\">–</td>");
    }
    put(b, "</tr>\n");
  }
  put(b, "</table>\n<h2>Meetings</h2>\n");
  for (size_t i = 0; i < s->nmeetings; i++) {
    const rv_meeting_t *m = &s->meetings[i];
    cli_local_time(t, m->at_ms);
    put(b, "<h3>Meeting %zu: %s (%s)</h3>\n<p>Presented:", i + 1, t, rv_phase_name(m->phase));
    for (size_t j = 0, k = 0; j < m->nslots; j++)
      if (!m->slots[j].deferred && m->slots[j].started_ms) {
        put(b, k++ ? ", " : " ");
        put_html(b, cli_member_label(s, &m->slots[j].presenter, buf));
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
    for (size_t j = 0; with_q && j < s->nquestions; j++) {
      const rv_question_t *q = &s->questions[j];
      if (memcmp(q->meeting.b, m->id.b, RV_OID_LEN) || q->status == RV_Q_DISCARDED)
        continue;
      put(b, "<p class=\"meta\">Question to ");
      put_html(b, cli_member_label(s, &q->to, buf));
      put(b, " (%s): ", rv_qkind_name((enum rv_qkind)q->kind));
      put_html(b, q->text);
      if (q->answer) {
        put(b, "<br>Answer: ");
        put_html(b, q->answer);
      }
      put(b, "</p>\n");
    }
  }
  put(b, "<h2>Actions by outcome</h2>\n");
  chart(b, s);
  put(b, "<table><tr><th>Action</th><th>Owner</th><th>Outcome</th></tr>\n");
  for (size_t i = 0; i < s->nactions; i++) {
    put(b, "<tr><td>");
    put_html(b, s->actions[i].text);
    put(b, "</td><td>");
    put_html(b, cli_member_label(s, &s->actions[i].owner, buf));
    put(b, "</td><td>%s</td></tr>\n", rv_astatus_name(s->actions[i].status));
  }
  put(b, "</table>\n<h2>Evaluation</h2>\n<h3>Each person</h3>\n<table><tr><th>Member</th>"
         "<th>Attended</th><th>Apologies</th><th>Presentations</th><th>Actions</th>"
         "<th>Done</th></tr>\n");
  for (size_t p = 0; p < s->nmembers; p++) {
    const person_t *pp = &f->people[p];
    put(b, "<tr><td>");
    put_html(b, cli_member_label(s, &pp->m->id, buf));
    put(b, "</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td><td>%zu</td></tr>\n",
        pp->attended, pp->apologies, pp->presented, pp->actions, pp->done);
  }
  put(b, "</table>\n<h3>The set</h3>\n<p>Attendance %d%%; %zu of %zu actions done (%d%%).</p>\n",
      percent(f->attendances, f->seats), f->done, f->actions, percent(f->done, f->actions));
  put(b, "<h3>The programme</h3>\n<p>%zu of %zu meetings held.</p>\n</body></html>\n", f->held,
      f->planned);
}

static int run_export(cli_t *c) {
  const char *format = cli_opt(c, "format"), *out = cli_opt(c, "out");
  bool with_q = cli_flag(c, "with-questions");
  rv_set_id_t set;
  const rv_state_t *s;
  figures_t f;
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
  if (count(s, &f) < 0)
    return cli_fail("out of memory");
  rv_buf_init(&b);
  if (strcmp(format, "json") == 0) {
    jv_t *doc = record_json(s, &f, with_q);
    free(f.people);
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
      markdown(&b, s, &f, with_q);
    else
      html(&b, s, &f, with_q);
    free(f.people);
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
