/*
 * The programme record as Markdown or as one self-contained HTML page
 * (export_doc.h): a summary at the top (the period, meetings held of those
 * planned, attendance, actions done, open and overdue, the day it was
 * made), the members with their roles and removals, the contract, each
 * meeting with its date, place, attendance, presenters and the feedback in
 * the set's own words (no names), the actions with their due dates and
 * outcomes, and the evaluation for each person, the set and the programme.
 * The HTML adds an attendance grid and a chart of actions by outcome whose
 * counts are written on it, so that a printed page shows them too. The two
 * forms share one writer of each section; a markup says how each form
 * marks up a heading, a list or a table. Figures come from the evaluation
 * (evaluation.h), never counted here.
 */
#include "export_doc.h"
#include "revans/coach.h"

#include <stdarg.h>
#include <stdio.h>
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

static bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         (unsigned char)c >= 0x80;
}

/* Whether the character at s (in text beginning at start) would format
 * Markdown. Some do anywhere (a backslash, code, emphasis, links, HTML, a
 * table's bar, strike-through); an underscore only at a word's edge; and
 * a heading's, a list's or a quote's mark only where the text begins, as
 * does the stop or bracket after a number there ("1." would number a list).
 * Everything else is written as it is: "Report-in", not "Report\-in". */
static bool md_special(const char *start, const char *s) {
  const char *d = start;
  if (strchr("\\`*[]<>|~", *s))
    return true;
  if (*s == '_')
    return s == start || !word_char(s[-1]) || !word_char(s[1]);
  if (s == start && strchr("#+-=", *s))
    return true;
  while (*d >= '0' && *d <= '9')
    d++;
  return s == d && d > start && (*s == '.' || *s == ')');
}

/* Text into Markdown, on one line, escaped where it would format. */
static void put_md(rv_buf_t *b, const char *s) {
  for (const char *p = s; p && *p; p++) {
    if (*p == '\n' || *p == '\r') {
      put(b, " ");
      continue;
    }
    if (md_special(s, p))
      put(b, "\\");
    rv_buf_append(b, p, 1);
  }
}

void cli_record_date(char *out, uint64_t ms) {
  char t[32];
  cli_local_time(t, ms);
  memcpy(out, t, 10);
  out[10] = '\0';
}

size_t cli_record_meeting_number(const rv_evaluation_t *ev, const rv_oid_t *id) {
  for (size_t i = 0; i < ev->nmeetings; i++)
    if (memcmp(ev->meetings[i].meeting->id.b, id->b, RV_OID_LEN) == 0)
      return i + 1;
  return 0;
}

/* ---- how each form marks up a document --------------------------------- */

/* Each pair is what opens and what closes; th and tr are a row's opening,
 * the text between two cells, and its close. */
typedef struct markup {
  bool md;
  void (*text)(rv_buf_t *b, const char *s);
  const char *h2[2], *h3[2], *h4[2], *p[2], *ul[2], *summary[2], *li[2];
  const char *sub[2], *sub_li[2], *strong[2];
  const char *th[3], *tr[3], *table_close;
} markup_t;

static const markup_t md_markup = {
    .md = true,
    .text = put_md,
    .h2 = {"\n## ", "\n"},
    .h3 = {"\n### ", "\n"},
    .h4 = {"\n#### ", "\n"},
    .p = {"\n", "\n"},
    .ul = {"\n", ""},
    .summary = {"\n", ""},
    .li = {"- ", "\n"},
    .sub = {"", ""},
    .sub_li = {"\n  - ", ""},
    .strong = {"**", "**"},
    .th = {"\n| ", " | ", " |\n"},
    .tr = {"| ", " | ", " |\n"},
    .table_close = "",
};

static const markup_t html_markup = {
    .md = false,
    .text = put_html,
    .h2 = {"<h2>", "</h2>\n"},
    .h3 = {"<h3>", "</h3>\n"},
    .h4 = {"<h4>", "</h4>\n"},
    .p = {"<p>", "</p>\n"},
    .ul = {"<ul>\n", "</ul>\n"},
    .summary = {"<ul class=\"summary\">\n", "</ul>\n"},
    .li = {"<li>", "</li>\n"},
    .sub = {"<ul>", "</ul>"},
    .sub_li = {"<li>", "</li>"},
    .strong = {"<strong>", "</strong>"},
    .th = {"<table><tr><th>", "</th><th>", "</th></tr>\n"},
    .tr = {"<tr><td>", "</td><td>", "</td></tr>\n"},
    .table_close = "</table>\n",
};

/* A table's head row of n cells (plain words, not escaped). */
static void table_head(rv_buf_t *b, const markup_t *mk, const char *const *cells, size_t n) {
  put(b, "%s", mk->th[0]);
  for (size_t i = 0; i < n; i++)
    put(b, "%s%s", i ? mk->th[1] : "", cells[i]);
  put(b, "%s", mk->th[2]);
  if (mk->md) {
    for (size_t i = 0; i < n; i++)
      put(b, "|---");
    put(b, "|\n");
  }
}

/* Opens cell k of a body row. */
static void cell(rv_buf_t *b, const markup_t *mk, size_t k) {
  put(b, "%s", k ? mk->tr[1] : mk->tr[0]);
}

/* ---- the sections both forms share -------------------------------------- */

/* The people with presence want at meeting i, by name, or "none". */
static void put_names(rv_buf_t *b, const markup_t *mk, const cli_record_t *r, size_t i,
                      enum rv_presence want) {
  char buf[2 * RV_ID_LEN + 1];
  size_t n = 0;
  for (size_t p = 0; p < r->ev->npeople; p++)
    if (rv_evaluation_presence(r->ev, p, i) == want) {
      put(b, n++ ? ", " : " ");
      mk->text(b, cli_member_label(r->s, &r->ev->people[p].member->id, buf));
    }
  if (!n)
    put(b, " none");
}

static void put_summary(rv_buf_t *b, const markup_t *mk, const cli_record_t *r) {
  const rv_evaluation_t *ev = r->ev;
  char from[11], to[11], made[11];
  size_t cancelled = ev->nmeetings - ev->meetings_planned;
  size_t dropped = ev->actions - ev->actions_done - ev->actions_open;
  cli_record_date(from, ev->first_ms);
  cli_record_date(to, ev->last_ms);
  cli_record_date(made, r->made_ms);
  put(b, "%sSummary%s%s", mk->h2[0], mk->h2[1], mk->summary[0]);
  if (ev->meetings_planned)
    put(b, "%sPeriod: %s to %s%s", mk->li[0], from, to, mk->li[1]);
  else
    put(b, "%sPeriod: no meeting planned yet%s", mk->li[0], mk->li[1]);
  put(b, "%sMeetings: %zu held of %zu planned", mk->li[0], ev->meetings_held, ev->meetings_planned);
  if (cancelled)
    put(b, " (%zu cancelled, not counted)", cancelled);
  put(b, "%s%sAttendance: %u%% (%zu of %zu seats at the meetings held)%s", mk->li[1], mk->li[0],
      ev->attendance_percent, ev->attendances, ev->seats, mk->li[1]);
  put(b, "%sActions: %zu done, %zu open, %zu overdue", mk->li[0], ev->actions_done,
      ev->actions_open, ev->actions_overdue);
  if (dropped)
    put(b, ", %zu dropped", dropped);
  put(b, " (of %zu)%s%sMade: %s%s%s", ev->actions, mk->li[1], mk->li[0], made, mk->li[1],
      mk->summary[1]);
}

/* A person's name, and when they were removed. */
static void put_person(rv_buf_t *b, const markup_t *mk, const cli_record_t *r,
                       const rv_eval_person_t *pp) {
  char buf[2 * RV_ID_LEN + 1], day[11];
  mk->text(b, cli_member_label(r->s, &pp->member->id, buf));
  if (pp->removed) {
    cli_record_date(day, pp->member->removed_ms);
    put(b, " (removed %s)", day);
  }
}

static void put_members(rv_buf_t *b, const markup_t *mk, const cli_record_t *r) {
  char buf[2 * RV_ID_LEN + 1], day[11];
  put(b, "%sMembers%s%s", mk->h2[0], mk->h2[1], mk->ul[0]);
  for (size_t p = 0; p < r->ev->npeople; p++) {
    const rv_eval_person_t *pp = &r->ev->people[p];
    put(b, "%s", mk->li[0]);
    mk->text(b, cli_member_label(r->s, &pp->member->id, buf));
    put(b, ", %s", rv_role_name(pp->member->role));
    if (pp->member->added_ms) {
      cli_record_date(day, pp->member->added_ms);
      put(b, ", member from %s", day);
    }
    if (pp->removed) {
      cli_record_date(day, pp->member->removed_ms);
      put(b, ", removed %s", day);
    }
    put(b, "%s", mk->li[1]);
  }
  put(b, "%s", mk->ul[1]);
}

static void put_contract(rv_buf_t *b, const markup_t *mk, const rv_state_t *s) {
  put(b, "%sContract%s%sVersion %llu", mk->h2[0], mk->h2[1], mk->p[0],
      (unsigned long long)s->contract_version);
  if (s->quorum)
    put(b, "; quorum %llu", (unsigned long long)s->quorum);
  put(b, ".%s%s", mk->p[1], mk->md ? "\n" : "<ol>\n");
  for (size_t i = 0; i < s->nrules; i++) {
    put(b, mk->md ? "%zu. " : "<li>", i + 1);
    mk->text(b, s->rules[i].text);
    put(b, "%s", mk->md ? "\n" : "</li>\n");
  }
  put(b, "%s", mk->md ? "" : "</ol>\n");
}

/* One question, its answer and follow-ups under it. */
static void put_question(rv_buf_t *b, const markup_t *mk, const rv_question_t *q) {
  put(b, "%s", mk->li[0]);
  mk->text(b, q->text);
  put(b, " (%s)", rv_qkind_name((enum rv_qkind)q->kind));
  if (q->answer || q->nfollowups) {
    put(b, "%s", mk->sub[0]);
    if (q->answer) {
      put(b, "%sAnswer: ", mk->sub_li[0]);
      mk->text(b, q->answer);
      put(b, "%s", mk->sub_li[1]);
    }
    for (size_t k = 0; k < q->nfollowups; k++) {
      put(b, "%sFollow-up: ", mk->sub_li[0]);
      mk->text(b, q->followups[k]);
      put(b, "%s", mk->sub_li[1]);
    }
    put(b, "%s", mk->sub[1]);
  }
  put(b, "%s", mk->li[1]);
}

static bool same_group(const char *a, const char *b) {
  return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static bool same_to(const rv_question_t *a, const rv_question_t *b) {
  return memcmp(a->to.b, b->to.b, RV_ID_LEN) == 0;
}

/* Whether question j is the first of meeting em to its presenter (with
 * group, the first of its group too). */
static bool first_of(const rv_eval_meeting_t *em, size_t j, bool group) {
  const rv_question_t *q = em->questions[j];
  for (size_t k = 0; k < j; k++)
    if (same_to(em->questions[k], q) && (!group || same_group(em->questions[k]->group, q->group)))
      return false;
  return true;
}

/* The questions put to the presenter of question `to`, under the labels
 * the presenter grouped them by; the ungrouped ones last. */
static void put_groups(rv_buf_t *b, const markup_t *mk, const rv_eval_meeting_t *em, size_t to) {
  const rv_question_t *first = em->questions[to];
  bool any_group = false;
  for (size_t pass = 0; pass < 2; pass++)
    for (size_t j = to; j < em->nquestions; j++) {
      const rv_question_t *q = em->questions[j];
      if (!same_to(q, first) || !first_of(em, j, true) || (pass == 0) != (q->group != NULL))
        continue;
      any_group |= q->group != NULL;
      if (any_group) {
        put(b, "%s%s", mk->p[0], mk->strong[0]);
        mk->text(b, q->group ? q->group : "Not grouped");
        put(b, "%s%s", mk->strong[1], mk->p[1]);
      }
      put(b, "%s", mk->ul[0]);
      for (size_t k = j; k < em->nquestions; k++)
        if (same_to(em->questions[k], q) && same_group(em->questions[k]->group, q->group))
          put_question(b, mk, em->questions[k]);
      put(b, "%s", mk->ul[1]);
    }
}

static void put_questions(rv_buf_t *b, const markup_t *mk, const cli_record_t *r,
                          const rv_eval_meeting_t *em) {
  char buf[2 * RV_ID_LEN + 1];
  for (size_t j = 0; j < em->nquestions; j++) {
    if (!first_of(em, j, false))
      continue;
    put(b, "%sQuestions to ", mk->h4[0]);
    mk->text(b, cli_member_label(r->s, &em->questions[j]->to, buf));
    put(b, "%s", mk->h4[1]);
    put_groups(b, mk, em, j);
  }
}

/* The feedback, unattributed: the set's own words, no names. */
static void put_feedback(rv_buf_t *b, const markup_t *mk, const rv_meeting_t *m) {
  static const char *const head[] = {"Went well", "Could be better"};
  if (!m->nfeedback)
    return;
  put(b, "%sFeedback, in the set's own words:%s", mk->p[0], mk->p[1]);
  table_head(b, mk, head, 2);
  for (size_t j = 0; j < m->nfeedback; j++) {
    cell(b, mk, 0);
    mk->text(b, m->feedback[j].text);
    cell(b, mk, 1);
    mk->text(b, m->feedback[j].text2);
    put(b, "%s", mk->tr[2]);
  }
  put(b, "%s", mk->table_close);
}

static void put_meeting(rv_buf_t *b, const markup_t *mk, const cli_record_t *r, size_t i) {
  char t[32], buf[2 * RV_ID_LEN + 1];
  const rv_eval_meeting_t *em = &r->ev->meetings[i];
  const rv_meeting_t *m = em->meeting;
  cli_local_time(t, m->at_ms);
  put(b, "%sMeeting %zu: %s", mk->h3[0], i + 1, t);
  if (m->place) {
    put(b, ", ");
    mk->text(b, m->place);
  }
  put(b, " (%s)%s", rv_phase_name(m->phase), mk->h3[1]);
  if (!em->planned) {
    put(b, "%sCancelled: not counted as planned or held.%s", mk->p[0], mk->p[1]);
    return;
  }
  put(b, "%s", mk->ul[0]);
  if (em->held) {
    put(b, "%sAttended (%zu of %zu):", mk->li[0], em->attendances, em->seats);
    put_names(b, mk, r, i, RV_PRESENCE_ATTENDED);
    put(b, "%s", mk->li[1]);
  }
  put(b, "%sApologies:", mk->li[0]);
  put_names(b, mk, r, i, RV_PRESENCE_APOLOGISED);
  put(b, "%s%sPresented:", mk->li[1], mk->li[0]);
  for (size_t j = 0; j < em->npresenters; j++) {
    put(b, j ? ", " : " ");
    mk->text(b, cli_member_label(r->s, em->presenters[j], buf));
  }
  put(b, "%s%s%s", em->npresenters ? "" : " none", mk->li[1], mk->ul[1]);
  put_feedback(b, mk, m);
  if (r->with_q)
    put_questions(b, mk, r, em);
}

static void put_actions(rv_buf_t *b, const markup_t *mk, const cli_record_t *r) {
  static const char *const head[] = {"Action", "Owner", "Meeting", "Due", "Outcome"};
  char buf[2 * RV_ID_LEN + 1], day[16];
  put(b, "%sActions%s", mk->h2[0], mk->h2[1]);
  if (!r->s->nactions) {
    put(b, "%sNo actions yet.%s", mk->p[0], mk->p[1]);
    return;
  }
  table_head(b, mk, head, 5);
  for (size_t i = 0; i < r->s->nactions; i++) {
    const rv_action_t *a = &r->s->actions[i];
    cell(b, mk, 0);
    mk->text(b, a->text);
    cell(b, mk, 1);
    mk->text(b, cli_member_label(r->s, &a->owner, buf));
    cell(b, mk, 2);
    put(b, "%zu", cli_record_meeting_number(r->ev, &a->meeting));
    cell(b, mk, 3);
    if (a->due_day)
      cli_date(day, a->due_day);
    put(b, "%s", a->due_day ? day : "none");
    cell(b, mk, 4);
    put(b, "%s", rv_astatus_name(a->status));
    if (rv_evaluation_overdue(a, r->ev->today))
      put(b, ", overdue");
    if (a->nreports && a->reports[a->nreports - 1].note) {
      put(b, ": ");
      mk->text(b, a->reports[a->nreports - 1].note);
    }
    put(b, "%s", mk->tr[2]);
  }
  put(b, "%s", mk->table_close);
}

static void put_evaluation(rv_buf_t *b, const markup_t *mk, const cli_record_t *r) {
  static const char *const head[] = {"Member",        "Attended", "Apologies",
                                     "Presentations", "Actions",  "Done"};
  const rv_evaluation_t *ev = r->ev;
  put(b, "%sEvaluation%s%sEach person%s", mk->h2[0], mk->h2[1], mk->h3[0], mk->h3[1]);
  table_head(b, mk, head, 6);
  for (size_t p = 0; p < ev->npeople; p++) {
    const rv_eval_person_t *pp = &ev->people[p];
    cell(b, mk, 0);
    put_person(b, mk, r, pp);
    put(b, "%s%zu of %zu", mk->tr[1], pp->attended, pp->seats);
    put(b, "%s%zu%s%zu%s%zu%s%zu%s", mk->tr[1], pp->apologies, mk->tr[1], pp->presentations,
        mk->tr[1], pp->actions, mk->tr[1], pp->actions_done, mk->tr[2]);
  }
  put(b, "%s", mk->table_close);
  put(b,
      "%sThe set%s%sAttendance %u%% (%zu of %zu seats); %zu of %zu actions done (%u%%), %zu "
      "open, %zu overdue.%s",
      mk->h3[0], mk->h3[1], mk->p[0], ev->attendance_percent, ev->attendances, ev->seats,
      ev->actions_done, ev->actions, ev->completion_percent, ev->actions_open, ev->actions_overdue,
      mk->p[1]);
  put(b, "%sThe programme%s%s%zu of the %zu meetings planned were held.%s", mk->h3[0], mk->h3[1],
      mk->p[0], ev->meetings_held, ev->meetings_planned, mk->p[1]);
}

/* ---- Markdown ------------------------------------------------------- */

void cli_record_markdown(rv_buf_t *b, const cli_record_t *r) {
  put(b, "# ");
  put_md(b, r->s->name);
  put(b, "\n");
  if (r->s->topic) {
    put(b, "\n");
    put_md(b, r->s->topic);
    put(b, "\n");
  }
  put_summary(b, &md_markup, r);
  put_members(b, &md_markup, r);
  put_contract(b, &md_markup, r->s);
  put(b, "\n## Meetings\n");
  for (size_t i = 0; i < r->ev->nmeetings; i++)
    put_meeting(b, &md_markup, r, i);
  put_actions(b, &md_markup, r);
  put_evaluation(b, &md_markup, r);
}

/* ---- HTML ----------------------------------------------------------- */

static const char *const outcome_colour[RV_EVAL_OUTCOMES] = {"#757575", "#2e7d32", "#1565c0",
                                                             "#c62828", "#6d4c41"};

/* The chart's frame: its size, where the plot sits, and its scale. */
typedef struct frame {
  size_t w, h;      /* the picture */
  size_t x0, top;   /* the plot's left edge and top */
  size_t base;      /* the plot's bottom: zero actions */
  size_t most;      /* the value at the top */
  size_t nmeetings; /* bars drawn: the planned meetings */
} frame_t;

static size_t bar_height(const frame_t *f, size_t n) { return n * (f->base - f->top) / f->most; }

/* The title, the axes with their ticks and names, and the legend. */
static void chart_frame(rv_buf_t *b, const frame_t *f) {
  size_t step = f->most <= 10 ? 1 : (f->most + 4) / 5;
  put(b,
      "<text x=\"%zu\" y=\"22\" font-size=\"15\" font-weight=\"bold\" text-anchor=\"middle\">"
      "Actions by outcome, for each meeting they were written at</text>\n",
      f->w / 2);
  for (size_t v = 0; v <= f->most; v += step) {
    size_t y = f->base - bar_height(f, v);
    put(b,
        "<line x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#ddd\"/>"
        "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" text-anchor=\"end\">%zu</text>\n",
        f->x0, y, f->w - 10, y, f->x0 - 6, y + 4, v);
  }
  put(b,
      "<line x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#333\"/>"
      "<line x1=\"%zu\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" stroke=\"#333\"/>\n",
      f->x0, f->top - 5, f->x0, f->base, f->x0, f->base, f->w - 10, f->base);
  put(b,
      "<text x=\"14\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\" "
      "transform=\"rotate(-90 14 %zu)\">Actions</text>\n"
      "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\">Meeting</text>\n",
      (f->top + f->base) / 2, (f->top + f->base) / 2, (f->x0 + f->w) / 2, f->base + 32);
  size_t lx = f->x0;
  for (int st = RV_A_OPEN; st <= RV_A_DROPPED; st++) {
    put(b,
        "<rect x=\"%zu\" y=\"%zu\" width=\"12\" height=\"12\" fill=\"%s\"/>"
        "<text x=\"%zu\" y=\"%zu\" font-size=\"12\">%s</text>\n",
        lx, f->base + 44, outcome_colour[st], lx + 16, f->base + 55,
        rv_astatus_name((enum rv_astatus)st));
    lx += 90;
  }
}

/* Meeting em's bar at x: each outcome a block with its count written in
 * it (beside it when the block is too thin), the total above. */
static void chart_bar(rv_buf_t *b, const frame_t *f, const rv_eval_meeting_t *em, size_t x,
                      size_t number) {
  static const enum rv_astatus stack[] = {RV_A_DONE, RV_A_PROGRESS, RV_A_BLOCKED, RV_A_DROPPED,
                                          RV_A_OPEN};
  size_t y = f->base;
  for (size_t k = 0; k < sizeof stack / sizeof *stack; k++) {
    size_t n = em->outcome[stack[k]], bar = bar_height(f, n);
    if (!n)
      continue;
    y -= bar;
    put(b,
        "<rect x=\"%zu\" y=\"%zu\" width=\"40\" height=\"%zu\" fill=\"%s\"><title>%s: %zu"
        "</title></rect>\n",
        x, y, bar, outcome_colour[stack[k]], rv_astatus_name(stack[k]), n);
    if (bar >= 14)
      put(b,
          "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" fill=\"#fff\" font-weight=\"bold\" "
          "text-anchor=\"middle\">%zu"
          "</text>\n",
          x + 20, y + bar / 2 + 4, n);
    else
      put(b, "<text x=\"%zu\" y=\"%zu\" font-size=\"10\">%zu</text>\n", x + 43, y + bar / 2 + 4, n);
  }
  put(b,
      "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" font-weight=\"bold\" "
      "text-anchor=\"middle\">%zu</text>\n"
      "<text x=\"%zu\" y=\"%zu\" font-size=\"12\" text-anchor=\"middle\">%zu</text>\n",
      x + 20, y - 5, em->actions, x + 20, f->base + 16, number);
}

/* Actions by outcome for each planned meeting, as stacked bars. */
static void chart(rv_buf_t *b, const rv_evaluation_t *ev) {
  frame_t f = {.x0 = 50, .top = 50, .base = 230, .most = ev->most_actions};
  for (size_t i = 0; i < ev->nmeetings; i++)
    f.nmeetings += ev->meetings[i].planned;
  f.w = f.x0 + 20 + 80 * (f.nmeetings ? f.nmeetings : 1);
  if (f.w < 520)
    f.w = 520; /* room for the legend */
  f.h = f.base + 65;
  put(b,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%zu\" height=\"%zu\" role=\"img\" "
      "aria-label=\"Actions by outcome for each meeting\">\n",
      f.w, f.h);
  chart_frame(b, &f);
  for (size_t i = 0, k = 0; i < ev->nmeetings; i++)
    if (ev->meetings[i].planned)
      chart_bar(b, &f, &ev->meetings[i], f.x0 + 20 + 80 * k++, i + 1);
  put(b, "</svg>\n");
}

static void html_head(rv_buf_t *b, const rv_state_t *s) {
  put(b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>");
  put_html(b, s->name);
  put(b, " — programme record</title>\n<style>\n"
         "body{font-family:Georgia,serif;max-width:60rem;margin:2rem auto;padding:0 1rem;"
         "color:#222;line-height:1.4}\n"
         "h1{border-bottom:2px solid #444}h2{margin-top:2rem;border-bottom:1px solid #aaa}\n"
         "ul.summary{list-style:none;padding:.6rem 1rem;border:1px solid #999;"
         "background:#f7f7f2}\n"
         "table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #999;"
         "padding:.25rem .6rem;text-align:left;vertical-align:top}th{background:#eee}\n"
         "td.yes{background:#c8e6c9;text-align:center}td.apo{background:#fff3c4;"
         "text-align:center}td.no{background:#f5f5f5;text-align:center}"
         "td.out{background:#fff;color:#999;text-align:center}\n"
         ".meta,small{color:#555}\n"
         "*{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
         "@media print{body{margin:0;max-width:none}h2,h3,h4{break-after:avoid}"
         "table,svg,ul.summary{break-inside:avoid}}\n</style></head><body>\n<h1>");
  put_html(b, s->name);
  put(b, "</h1>\n");
  if (s->topic) {
    put(b, "<p class=\"meta\">");
    put_html(b, s->topic);
    put(b, "</p>\n");
  }
}

/* A row for each person, a column for each planned meeting, and the
 * attendance of each meeting held at the foot. */
static void html_attendance(rv_buf_t *b, const cli_record_t *r) {
  static const char *const mark[] = {
      [RV_PRESENCE_ABSENT] = "<td class=\"no\">–</td>",
      [RV_PRESENCE_ATTENDED] = "<td class=\"yes\">✓</td>",
      [RV_PRESENCE_APOLOGISED] = "<td class=\"apo\">apologies</td>",
      [RV_PRESENCE_NOT_MEMBER] = "<td class=\"out\"></td>",
  };
  const rv_evaluation_t *ev = r->ev;
  char day[11];
  put(b, "<h2>Attendance</h2>\n<table><tr><th>Member</th>");
  for (size_t i = 0; i < ev->nmeetings; i++)
    if (ev->meetings[i].planned) {
      cli_record_date(day, ev->meetings[i].meeting->at_ms);
      put(b, "<th>%zu<br><small>%s</small></th>", i + 1, day);
    }
  put(b, "</tr>\n");
  for (size_t p = 0; p < ev->npeople; p++) {
    put(b, "<tr><th>");
    put_person(b, &html_markup, r, &ev->people[p]);
    put(b, "</th>");
    for (size_t i = 0; i < ev->nmeetings; i++)
      if (ev->meetings[i].planned)
        put(b, "%s", mark[rv_evaluation_presence(ev, p, i)]);
    put(b, "</tr>\n");
  }
  put(b, "<tr><th>Attended</th>");
  for (size_t i = 0; i < ev->nmeetings; i++)
    if (ev->meetings[i].held)
      put(b, "<td>%zu of %zu</td>", ev->meetings[i].attendances, ev->meetings[i].seats);
    else if (ev->meetings[i].planned)
      put(b, "<td class=\"out\">not held</td>");
  put(b, "</tr>\n</table>\n<p class=\"meta\">✓ attended; – absent; apologies sent; "
         "a blank cell: not a member of the set at that meeting.</p>\n");
}

void cli_record_html(rv_buf_t *b, const cli_record_t *r) {
  html_head(b, r->s);
  put_summary(b, &html_markup, r);
  put_members(b, &html_markup, r);
  put_contract(b, &html_markup, r->s);
  html_attendance(b, r);
  put(b, "<h2>Meetings</h2>\n");
  for (size_t i = 0; i < r->ev->nmeetings; i++)
    put_meeting(b, &html_markup, r, i);
  put(b, "<h2>Actions by outcome</h2>\n");
  chart(b, r->ev);
  put_actions(b, &html_markup, r);
  put_evaluation(b, &html_markup, r);
  put(b, "</body></html>\n");
}
