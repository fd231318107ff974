/*
 * Questions, like Post-it notes: members ask (the coach refuses advice and
 * leading questions, hints at opening closed ones, infers the kind); the
 * presenter's wall (`questions`, live with --watch; a past meeting's, or
 * every meeting's); and what the presenter does with them: answer, group,
 * discard; members follow up. A question held through a presentation is
 * shown to its asker alone; everyone else sees how many are held.
 */
#include "cli.h"
#include "revans/coach.h"
#include "revans/error.h"
#include "revans/set.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/inotify.h>
#include <unistd.h>

static jv_t *question_json(const rv_state_t *s, const rv_question_t *q) {
  char buf[2 * RV_ID_LEN + 1], id[2 * RV_OID_LEN + 1], t[32], mid[2 * RV_OID_LEN + 1];
  jv_t *o = jv_obj(), *f = jv_arr();
  cli_oid(id, &q->id);
  cli_oid(mid, &q->meeting);
  cli_time(t, q->at_ms);
  jv_set(o, "id", jv_str(id));
  jv_set(o, "text", jv_str(q->text));
  jv_set(o, "kind", jv_str(rv_qkind_name((enum rv_qkind)q->kind)));
  jv_set(o, "from", jv_str(cli_member_label(s, &q->from, buf)));
  jv_set(o, "to", jv_str(cli_member_label(s, &q->to, buf)));
  jv_set(o, "status", jv_str(rv_qstatus_name(q->status)));
  jv_set(o, "asked_anyway", jv_bool(q->anyway));
  jv_set(o, "group", jv_str(q->group));
  jv_set(o, "answer", jv_str(q->answer));
  for (size_t i = 0; i < q->nfollowups; i++)
    jv_push(f, jv_str(q->followups[i]));
  jv_set(o, "follow_ups", f);
  jv_set(o, "at", jv_str(t));
  jv_set(o, "meeting", jv_str(mid));
  jv_set(o, "held", jv_bool(q->held));
  return o;
}

/* A question held through a presentation, as others than its asker see
 * it: to whom, in which meeting, and that it is held; nothing of it else. */
static jv_t *held_json(const rv_state_t *s, const rv_question_t *q) {
  char buf[2 * RV_ID_LEN + 1], mid[2 * RV_OID_LEN + 1];
  const char *keys[] = {"id",           "text",  "kind",   "from",       "to", "status",
                        "asked_anyway", "group", "answer", "follow_ups", "at"};
  jv_t *o = jv_obj();
  for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
    jv_set(o, keys[i], jv_null());
  cli_oid(mid, &q->meeting);
  jv_set(o, "to", jv_str(cli_member_label(s, &q->to, buf)));
  jv_set(o, "follow_ups", jv_arr());
  jv_set(o, "meeting", jv_str(mid));
  jv_set(o, "held", jv_bool(true));
  return o;
}

/* Finds a question by id prefix; errors reported. */
static int pick_question(const rv_state_t *s, const char *arg, rv_question_t **ret) {
  int r = rv_state_find_question(s, arg, ret);
  if (r == RV_EAMBIG)
    return cli_fail("'%s' names more than one question: give more of its id", arg);
  if (r < 0)
    return cli_fail("no question '%s' (see 'revans questions')", arg);
  return 0;
}

/* ---- ask ------------------------------------------------------------ */

/* The question just asked (the last one), with the coach's verdict; a
 * closed question's hint also goes to stderr, once it is asked. */
static jv_t *show_asked(const rv_state_t *s, const void *arg) {
  const rv_coach_t *coach = arg;
  if (coach->verdict == RV_COACH_CLOSED && coach->hint)
    fprintf(stderr, "revans: asked; a hint: %s\n", coach->hint);
  if (!s->nquestions)
    return NULL;
  if (s->questions[s->nquestions - 1].held)
    fprintf(stderr, "revans: asked; held until the facilitator moves the slot on to its "
                    "questions ('revans meeting questions'), shown to nobody else till then\n");
  jv_t *o = question_json(s, &s->questions[s->nquestions - 1]);
  jv_set(o, "verdict",
         jv_str(coach->verdict == RV_COACH_CLOSED ? "closed"
                : coach->verdict == RV_COACH_OPEN ? "open"
                                                  : "asked anyway"));
  jv_set(o, "hint", jv_str(coach->verdict == RV_COACH_CLOSED ? coach->hint : NULL));
  return o;
}

static int run_ask(cli_t *c) {
  const char *to_arg = cli_opt(c, "to"), *kind_arg = cli_opt(c, "kind");
  bool anyway = cli_flag(c, "anyway");
  rv_coach_t coach;
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  rv_member_id_t to;
  enum rv_qkind kind = 0;
  int r;
  if (c->npos != 1)
    return cli_usage(c, "ask needs one \"QUESTION\", in quotes");
  if (kind_arg && !(kind = rv_qkind_parse(kind_arg)))
    return cli_usage(c, "--kind must be clarification, probing or action");
  if (rv_coach_check(c->pos[0], &coach) < 0)
    return cli_fail("a question needs words (and at most %d bytes)", RV_TEXT_MAX);
  if ((coach.verdict == RV_COACH_ADVICE || coach.verdict == RV_COACH_LEADING) && !anyway) {
    fprintf(stderr, "revans: not asked: %s\n", coach.reason);
    for (size_t i = 0; i < 3 && coach.rephrasings[i]; i++)
      fprintf(stderr, "  perhaps: %s\n", coach.rephrasings[i]);
    fprintf(stderr, "  (--anyway asks it as it is)\n");
    return 1;
  }
  if (!kind)
    kind = coach.kind;
  if (cli_set_state(c, true, &set, &s) || cli_pick_meeting(s, NULL, false, &m))
    return 1;
  if (to_arg) {
    if ((r = rv_set_find_member(c->home, &set, to_arg, &to)) < 0)
      return cli_fail(r == RV_EAMBIG ? "'%s' names more than one member" : "no member '%s'",
                      to_arg);
  } else {
    const rv_slot_t *sl = rv_meeting_slot(m);
    if (!sl)
      return cli_fail("nobody is presenting: questions are asked during a presenter's slot");
    to = sl->presenter;
  }
  rv_body_t b = {.type = RV_BODY_ASK,
                 .ref = m->id,
                 .member = to,
                 .text = (char *)c->pos[0],
                 .num = kind,
                 .flag = coach.verdict == RV_COACH_ADVICE || coach.verdict == RV_COACH_LEADING};
  return cli_write_and_show(c, &set, &b, show_asked, &coach, "the question");
}

/* ---- the wall ------------------------------------------------------- */

/* Which questions a wall shows: every meeting's (all), one meeting's
 * (by id), or those put to the current presenter of the running (else the
 * last) meeting. */
typedef struct scope {
  bool all;
  bool one_meeting;
  rv_oid_t meeting;
} scope_t;

/* The questions one sees within scope; a discarded question only to the
 * member who asked it; a held one to its asker in full, and to everyone
 * else counted into *ret_held and, when listed, listed as held_json(). */
static jv_t *wall(const rv_state_t *s, const rv_member_id_t *self, const scope_t *sc, bool listed,
                  size_t *ret_held) {
  jv_t *a = jv_arr();
  const rv_meeting_t *m = sc->one_meeting ? rv_state_meeting(s, &sc->meeting) : rv_state_running(s);
  if (!m && !sc->one_meeting && s->nmeetings)
    m = &s->meetings[s->nmeetings - 1];
  *ret_held = 0;
  if (!m && !sc->all)
    return a;
  const rv_slot_t *sl = sc->all || sc->one_meeting ? NULL : rv_meeting_slot(m);
  for (size_t i = 0; i < s->nquestions; i++) {
    const rv_question_t *q = &s->questions[i];
    bool mine = memcmp(q->from.b, self->b, RV_ID_LEN) == 0;
    if (!sc->all && memcmp(q->meeting.b, m->id.b, RV_OID_LEN) != 0)
      continue;
    if (!sc->all && !sc->one_meeting && (!sl || memcmp(q->to.b, sl->presenter.b, RV_ID_LEN) != 0))
      continue;
    if (q->status == RV_Q_DISCARDED && !mine)
      continue;
    if (q->held && !mine) {
      (*ret_held)++;
      if (listed)
        jv_push(a, held_json(s, q));
      continue;
    }
    jv_push(a, question_json(s, q));
  }
  return a;
}

/* The wall as people read it: the questions they may see (in JSON, with
 * the held ones of others as held_json()), then how many are held. Takes a. */
static int emit_wall(const cli_t *c, jv_t *a, size_t held) {
  int r = cli_emit(c, a);
  if (!c->json && held)
    printf("%zu question%s held until the questions part\n", held, held == 1 ? "" : "s");
  return r;
}

#define SETTLE_MS 20 /* after a change to the store, the wall is read again once quiet */

static volatile sig_atomic_t stop;
static void on_signal(int sig) {
  (void)sig;
  stop = 1;
}

/* Shows the wall; while watching, only when it differs from what was
 * last shown (*last, malloc'd, replaced here). On a terminal each showing
 * replaces the last on a cleared screen; into a pipe or a file they follow
 * one another with no escape codes, a blank line between two human ones. */
static int show_wall(cli_t *c, const rv_set_id_t *set, const scope_t *sc, char **last) {
  const rv_state_t *s;
  bool again = false;
  int r;
  if (cli_begin(c, false))
    return 1;
  if ((r = rv_set_state(c->home, set, &s)) < 0) {
    rv_home_abort(c->home);
    return cli_error(r, "cannot read the set");
  }
  size_t held;
  jv_t *a = wall(s, rv_home_self(c->home), sc, c->json, &held);
  rv_home_abort(c->home);
  if (last) {
    char *now = jv_dump(a);
    if (now && held && !c->json) { /* the count is part of what is shown */
      size_t n = strlen(now) + 24;
      char *with = malloc(n);
      if (with)
        snprintf(with, n, "%s%zu", now, held);
      free(now);
      now = with;
    }
    if (now && *last && strcmp(now, *last) == 0) {
      free(now);
      jv_free(a);
      return 0;
    }
    again = *last != NULL;
    free(*last);
    *last = now;
  }
  if (last && !c->json && isatty(STDOUT_FILENO))
    fputs("\033[H\033[2J", stdout);
  else if (again && !c->json)
    fputc('\n', stdout);
  r = emit_wall(c, a, held);
  fflush(stdout);
  return r;
}

static int run_questions(cli_t *c) {
  const char *marg = cli_opt(c, "meeting");
  bool watch = cli_flag(c, "watch");
  scope_t sc = {.all = cli_flag(c, "all")};
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  char path[4200];
  if (cli_no_args(c))
    return 2;
  if (sc.all && marg)
    return cli_usage(c, "--all shows every meeting's questions: give --meeting or --all");
  if (cli_set_state(c, false, &set, &s))
    return 1;
  if (marg && cli_pick_meeting(s, marg, true, &m)) {
    rv_home_abort(c->home);
    return 2;
  }
  if (marg) {
    sc.one_meeting = true;
    sc.meeting = m->id;
  }
  rv_home_abort(c->home);
  if (!watch)
    return show_wall(c, &set, &sc, NULL);
  /* Live: shown again whenever the store changes, whoever wrote to it (a
   * command, a bundle, the node). The kernel says when; no polling. */
  int fd = inotify_init1(IN_CLOEXEC);
  snprintf(path, sizeof path, "%s/data.mdb", rv_home_dir(c->home));
  if (fd < 0 || inotify_add_watch(fd, path, IN_MODIFY | IN_CLOSE_WRITE) < 0)
    return cli_fail("cannot watch '%s': %s", path, strerror(errno));
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  char *last = NULL;
  int r = show_wall(c, &set, &sc, &last);
  /* LMDB makes a commit visible through its lock file just after the last
   * write to data.mdb: the wall is read again a moment after the writes
   * stop (SETTLE_MS), so that the last change is never missed. */
  int wait_ms = -1;
  while (!r && !stop) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int k = poll(&pfd, 1, wait_ms);
    if (k < 0 && errno == EINTR)
      continue;
    if (k < 0)
      break;
    if (k == 0) { /* quiet since the last change */
      r = show_wall(c, &set, &sc, &last);
      wait_ms = -1;
      continue;
    }
    char ev[4096];
    if (read(fd, ev, sizeof ev) <= 0)
      break;
    r = show_wall(c, &set, &sc, &last);
    wait_ms = SETTLE_MS;
  }
  free(last);
  close(fd);
  return r;
}

/* ---- the presenter's answers, and follow-ups ------------------------ */

/* The question with the id at id. */
static jv_t *show_question(const rv_state_t *s, const void *id) {
  const rv_question_t *q = rv_state_question(s, id);
  return q ? question_json(s, q) : NULL;
}

static int act_on(cli_t *c, enum rv_body_type type, const char *text) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_question_t *q;
  if (cli_set_state(c, true, &set, &s) || pick_question(s, c->pos[0], &q))
    return 1;
  rv_oid_t id = q->id;
  rv_body_t b = {.type = type, .ref = id, .text = (char *)text};
  return cli_write_and_show(c, &set, &b, show_question, &id, "the question");
}

static int run_answer(cli_t *c) {
  if (c->npos != 2)
    return cli_usage(c, "question answer needs Q and \"TEXT\"");
  if (cli_check_text("the answer", c->pos[1], RV_TEXT_MAX))
    return 1;
  return act_on(c, RV_BODY_ANSWER, c->pos[1]);
}

static int run_follow_up(cli_t *c) {
  if (c->npos != 2)
    return cli_usage(c, "question follow-up needs Q and \"TEXT\"");
  if (cli_check_text("the follow-up", c->pos[1], RV_TEXT_MAX))
    return 1;
  return act_on(c, RV_BODY_FOLLOW_UP, c->pos[1]);
}

static int run_discard(cli_t *c) {
  if (c->npos != 1)
    return cli_usage(c, "question discard needs Q");
  return act_on(c, RV_BODY_DISCARD, NULL);
}

/* The questions a group record names (b's refs), as they now are. */
static jv_t *show_grouped(const rv_state_t *s, const void *arg) {
  const rv_body_t *b = arg;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < b->nrefs; i++)
    jv_push(a, question_json(s, rv_state_question(s, &b->refs[i])));
  return a;
}

static int run_group(cli_t *c) {
  const char *label = cli_opt(c, "as");
  rv_set_id_t set;
  const rv_state_t *s;
  rv_oid_t ids[RV_MAX_REFS];
  if (c->npos == 0 || !label)
    return cli_usage(c, "question group needs Q... and --as LABEL");
  if (c->npos > RV_MAX_REFS)
    return cli_usage(c, "at most %d questions in one group", RV_MAX_REFS);
  if (cli_check_text("the label", label, RV_NAME_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s))
    return 1;
  for (size_t i = 0; i < c->npos; i++) {
    rv_question_t *q;
    if (pick_question(s, c->pos[i], &q))
      return 1;
    ids[i] = q->id;
  }
  rv_body_t b = {.type = RV_BODY_GROUP, .refs = ids, .nrefs = c->npos, .name = (char *)label};
  return cli_write_and_show(c, &set, &b, show_grouped, &b, "the questions");
}

static const cli_opt_t ask_opts[] = {
    {"to", true}, {"kind", true}, {"anyway", false}, {NULL, false}};
static const cli_opt_t questions_opts[] = {
    {"watch", false}, {"all", false}, {"meeting", true}, {NULL, false}};
static const cli_opt_t group_opts[] = {{"as", true}, {NULL, false}};

const cli_cmd_t cli_question_cmds[] = {
    {"ask", "\"QUESTION\" [--to MEMBER] [--kind clarification|probing|action] [--anyway]",
     "Puts a question to the presenter (or --to MEMBER), like a Post-it note. The coach refuses "
     "advice and leading questions with a reason and open rephrasings (--anyway asks regardless), "
     "accepts a closed question with a hint, and infers the kind when --kind is left out.",
     ask_opts, run_ask},
    {"question answer", "Q \"TEXT\"", "The presenter answers a question put to them.", NULL,
     run_answer},
    {"question discard", "Q",
     "The presenter discards a question put to them: it stays visible to its author only, as "
     "discarded.",
     NULL, run_discard},
    {"question follow-up", "Q \"TEXT\"", "The member who asked a question follows it up.", NULL,
     run_follow_up},
    {"question group", "Q... --as LABEL",
     "The presenter groups questions put to them under a label.", group_opts, run_group},
    {"questions", "[--meeting M | --all] [--watch]",
     "The presenter's wall: the questions put to the current presenter of the running meeting; "
     "--meeting M: every question of meeting M (a past one, for review); --all: every question "
     "of every meeting. [{id, text, kind, from, to, status, asked_anyway, group, answer, "
     "follow_ups, at, meeting, held}]. A question asked during a presentation is held until the "
     "facilitator moves the slot on to its questions: its asker sees it marked held, everyone "
     "else only how many are held (in JSON, an entry with only to, meeting and held). --watch "
     "shows the wall again each time new records arrive, until interrupted: on a terminal on a "
     "cleared screen; into a pipe or a file one showing after another, with no escape codes.",
     questions_opts, run_questions},
    {NULL, NULL, NULL, NULL, NULL},
};
