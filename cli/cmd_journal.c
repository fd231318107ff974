/*
 * The private reflection journal: add (from the command line or $VISUAL /
 * $EDITOR), list, show, search, tags, star, unstar, edit, delete; export
 * and import are in journal_io.c. Tags, wall-clock times and jrnl's rules
 * are core's (journal.h, wallclock.h, jrnl.h). Entries are sealed under
 * this home's local key and never enter a set's log or a bundle.
 * The editor is editor.c's.
 */
#include "cli.h"
#include "journal_io.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/journal.h"
#include "revans/set.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- dates ---------------------------------------------------------- */

/* YYYY-MM-DD, YYYY-MM-DD HH:MM, today, yesterday, N days ago, or a weekday
 * name (the last such day, today included), as a wall-clock time: the
 * words by this machine's clock. With a date alone, end picks the day's
 * last millisecond instead of its first. */
static int parse_when(const char *s, bool end, int64_t *ret_ms) {
  static const char *const days[] = {"sunday",   "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
  int64_t today = rv_wall_from_utc_ms((int64_t)rv_now_ms());
  today -= (today % RV_WALL_DAY_MS + RV_WALL_DAY_MS) % RV_WALL_DAY_MS;
  int wday = (int)(((today / RV_WALL_DAY_MS) % 7 + 11) % 7); /* 1970-01-01: Thursday */
  int back = -1, used = -1;
  unsigned n;
  size_t len = strlen(s);
  if (strcasecmp(s, "today") == 0) {
    back = 0;
  } else if (strcasecmp(s, "yesterday") == 0) {
    back = 1;
  } else if ((sscanf(s, "%u days ago%n", &n, &used) == 1 && used == (int)len && n <= 100000) ||
             (sscanf(s, "%u day ago%n", &n, &used) == 1 && used == (int)len && n == 1)) {
    back = (int)n;
  } else {
    for (int d = 0; d < 7; d++)
      if (strcasecmp(s, days[d]) == 0)
        back = (wday - d + 7) % 7;
  }
  int64_t at = today - (int64_t)back * RV_WALL_DAY_MS;
  if (back < 0 && rv_wall_parse(s, &at) < 0)
    return -1;
  *ret_ms = at + (end && len != 16 ? RV_WALL_DAY_MS - 1 : 0);
  return 0;
}

/* Adds tag t (n bytes) to e; errors reported. */
static int add_tag(rv_entry_t *e, const char *t, size_t n) {
  int r = rv_entry_add_tag(e, t, n);
  if (r == RV_ENOMEM)
    return cli_fail("out of memory");
  if (r < 0)
    return cli_fail("a tag has 1 to %d bytes, and an entry at most %d tags", RV_JOURNAL_TAG_MAX - 1,
                    RV_JOURNAL_TAGS_MAX);
  return 0;
}

/* The tags written in e's text are e's tags too; errors reported. */
static int tags_from_text(rv_entry_t *e) {
  int r = rv_entry_add_text_tags(e, e->text);
  if (r == RV_ENOMEM)
    return cli_fail("out of memory");
  if (r < 0)
    return cli_fail("a tag in the text is longer than %d bytes, or there are more than %d",
                    RV_JOURNAL_TAG_MAX, RV_JOURNAL_TAGS_MAX);
  return 0;
}

/* ---- templates ------------------------------------------------------ */

/* The reflection after a meeting, in the five parts practitioners use. */
static const char review_template[] = "## My problem: three things I learned\n1. \n2. \n3. \n\n"
                                      "## My actions\n%s\n"
                                      "## The other members\n\n\n"
                                      "## The set\n\n\n"
                                      "## Myself\n\n";

static const struct {
  const char *name;
  const char *text; /* one %s: the lines of my actions, or "" */
  const char *tag;
} templates[] = {
    {"review", review_template, "review"},
};

/* What add takes from the meeting named by --meeting: the link, and for a
 * template its date and the actions I own from it, one line each. */
typedef struct meeting_link {
  rv_set_id_t set;
  rv_oid_t meeting;
  char when[32];
  rv_buf_t actions;
} meeting_link_t;

static int read_meeting(cli_t *c, const char *arg, meeting_link_t *ret) {
  rv_set_id_t set;
  const rv_state_t *s;
  rv_meeting_t *m;
  if (cli_begin(c, false))
    return 1;
  if (cli_pick_set(c, &set) || rv_set_state(c->home, &set, &s) < 0 ||
      cli_pick_meeting(s, arg, true, &m)) {
    rv_home_abort(c->home);
    return 1;
  }
  ret->set = set;
  ret->meeting = m->id;
  cli_local_time(ret->when, m->at_ms);
  for (size_t i = 0; i < s->nactions; i++) {
    const rv_action_t *a = &s->actions[i];
    if (memcmp(a->meeting.b, m->id.b, RV_OID_LEN) == 0 &&
        memcmp(a->owner.b, rv_home_self(c->home)->b, sizeof a->owner.b) == 0) {
      rv_buf_append(&ret->actions, "- ", 2);
      rv_buf_append(&ret->actions, a->text, strlen(a->text));
      rv_buf_append(&ret->actions, "\n", 1);
    }
  }
  rv_home_abort(c->home);
  return 0;
}

/* The editor's starting text for template name: malloc'd in *ret. */
static int fill_template(cli_t *c, const char *name, const meeting_link_t *link, char **ret,
                         const char **ret_tag) {
  for (size_t i = 0; i < sizeof templates / sizeof templates[0]; i++) {
    if (strcmp(templates[i].name, name) != 0)
      continue;
    const char *actions = link && link->actions.len ? (const char *)link->actions.data : "\n";
    size_t alen = link && link->actions.len ? link->actions.len : 1;
    char head[96] = "";
    if (link)
      snprintf(head, sizeof head, "# After the meeting of %s\n\n", link->when);
    size_t n = strlen(head) + strlen(templates[i].text) + alen + 1;
    char *t = malloc(n);
    if (!t)
      return cli_fail("out of memory");
    size_t head_len = strlen(head);
    memcpy(t, head, head_len);
    /* templates[i].text holds exactly one %s, for the actions. */
    const char *mark = strstr(templates[i].text, "%s");
    size_t before = (size_t)(mark - templates[i].text);
    memcpy(t + head_len, templates[i].text, before);
    memcpy(t + head_len + before, actions, alen);
    memcpy(t + head_len + before + alen, mark + 2, strlen(mark + 2) + 1);
    *ret = t;
    *ret_tag = templates[i].tag;
    return 0;
  }
  return cli_usage(c, "--template: the one template is 'review'");
}

/* The tags of a new entry: the template's, --tag's, the text's. */
static int add_tags(cli_t *c, rv_entry_t *e, const char *template_tag) {
  if (template_tag && add_tag(e, template_tag, strlen(template_tag)))
    return 1;
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, "tag") == 0 && add_tag(e, c->opt[i].value, strlen(c->opt[i].value)))
      return 1;
  return tags_from_text(e);
}

/* Stores the new entry e and shows it. */
static int store_new(cli_t *c, rv_entry_t *e) {
  if (cli_begin(c, true))
    return 1;
  rv_random(e->id.b, RV_OID_LEN);
  int r = rv_journal_put(c->home, e);
  if (r < 0) {
    rv_home_abort(c->home);
    return cli_error(r, "cannot add the entry");
  }
  if ((r = cli_commit(c)))
    return r;
  return cli_emit(c, cli_journal_entry_json(e));
}

static int add_entry(cli_t *c) {
  const char *at = cli_opt(c, "at"), *meeting = cli_opt(c, "meeting");
  const char *template = cli_opt(c, "template"), *template_tag = NULL;
  meeting_link_t link;
  char *initial = NULL;
  rv_entry_t e;
  int r = 1;
  memset(&e, 0, sizeof e);
  memset(&link, 0, sizeof link);
  rv_buf_init(&link.actions);
  if (c->npos > 1)
    return cli_usage(c, "one TEXT, in quotes (or none, to use your editor)");
  if (c->npos && template)
    return cli_usage(c, "--template opens your editor: give no TEXT with it");
  e.made_ms = rv_now_ms();
  e.at_ms = rv_wall_from_utc_ms((int64_t)e.made_ms);
  e.starred = cli_flag(c, "star");
  if (at && parse_when(at, false, &e.at_ms) < 0)
    return cli_usage(c, "--at takes YYYY-MM-DD, \"YYYY-MM-DD HH:MM\", today, yesterday, "
                        "\"N days ago\" or a weekday");
  if (c->npos && cli_check_text("the entry", c->pos[0], RV_JOURNAL_TEXT_MAX))
    return 1;
  if (cli_open(c, true))
    return 1;
  /* The meeting is read before the editor opens, and no transaction is
   * held while the person writes. */
  if (meeting && read_meeting(c, meeting, &link))
    goto out;
  if (template && (r = fill_template(c, template, meeting ? &link : NULL, &initial, &template_tag)))
    goto out;
  r = 1;
  if (c->npos && !(e.text = strdup(c->pos[0]))) {
    r = cli_fail("out of memory");
    goto out;
  }
  if (!c->npos && cli_edit_text(initial ? initial : "", &e.text))
    goto out;
  if (!e.text || !e.text[0]) {
    r = cli_fail("nothing written; nothing was added");
    goto out;
  }
  if (add_tags(c, &e, template_tag))
    goto out;
  e.has_meeting = meeting != NULL;
  e.set = link.set;
  e.meeting = link.meeting;
  r = store_new(c, &e);
out:
  if (initial) {
    rv_wipe(initial, strlen(initial));
    free(initial);
  }
  rv_buf_release(&link.actions);
  rv_entry_release(&e);
  return r;
}

/* The query of list and search: the dates, --tag and -n given, and the
 * words. The tags point into c. */
static int make_query(cli_t *c, const char **words, size_t nwords, rv_journal_query_t *q) {
  const char *since = cli_opt(c, "since"), *until = cli_opt(c, "until"), *n_arg = cli_opt(c, "n");
  uint64_t limit = 0;
  memset(q, 0, sizeof *q);
  q->has_since = since != NULL;
  q->has_until = until != NULL;
  q->starred = cli_flag(c, "starred");
  if (since && parse_when(since, false, &q->since) < 0)
    return cli_usage(c, "--since takes a date (see --help)");
  if (until && parse_when(until, true, &q->until) < 0)
    return cli_usage(c, "--until takes a date (see --help)");
  if (n_arg && cli_parse_uint(n_arg, 1, UINT32_MAX, &limit) < 0)
    return cli_usage(c, "-n needs a positive number");
  q->limit = (size_t)limit;
  q->words = words;
  q->nwords = nwords;
  const char **tags = calloc(c->nopt + 1, sizeof *tags);
  if (!tags)
    return cli_fail("out of memory");
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, "tag") == 0)
      tags[q->ntags++] = c->opt[i].value;
  q->tags = tags;
  return 0;
}

/* ---- list and show, as people read them ---------------------------- */

/* The columns journal list fills: $COLUMNS when it holds a number (asked
 * for, also through a pipe), else the terminal's width; 0 (no limit) when
 * standard output is no terminal, so that a pipe or a file gets each
 * whole text (grep, scripts). */
static size_t list_columns(void) {
  const char *env = getenv("COLUMNS");
  uint64_t n;
  struct winsize ws;
  if (env && cli_parse_uint(env, 1, 100000, &n) == 0)
    return (size_t)n;
  if (!isatty(STDOUT_FILENO))
    return 0;
  if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

/* The columns of one character (len bytes at p). */
static size_t char_columns(const char *p, size_t len) {
  char ch[8];
  if (len >= sizeof ch)
    return 1;
  memcpy(ch, p, len);
  ch[len] = '\0';
  return jv_width(ch);
}

/* s on one line, each run of white space (line breaks included) one
 * space, and shortened to max columns ending in "…" when longer (max 0:
 * whole). malloc'd; NULL when out of memory. */
static char *one_line(const char *s, size_t max) {
  size_t n = strlen(s), w = 0, len;
  char *out = malloc(n + 4), *o = out, *cut = NULL;
  if (!out)
    return NULL;
  for (size_t i = 0; i < n; i += len) {
    const char *p = s + i;
    size_t take = 1;
    len = 1;
    if (isspace((unsigned char)*p)) {
      while (i + len < n && isspace((unsigned char)s[i + len]))
        len++;
      p = " ";
    } else if (rv_utf8_decode((const unsigned char *)p, n - i, &len) >= 0) {
      take = len;
    }
    size_t cw = char_columns(p, take);
    if (max && !cut && w + cw > max - 1)
      cut = o; /* where "…" goes if the rest does not fit */
    if (max && w + cw > max) {
      while (cut > out && cut[-1] == ' ') /* "word…", not "word …" */
        cut--;
      memcpy(cut, "\xe2\x80\xa6", 3);
      o = cut + 3;
      break;
    }
    memcpy(o, p, take);
    o += take;
    w += cw;
  }
  *o = '\0';
  return out;
}

/* The columns of e's tags as the table shows them ("@a, @b"). */
static size_t tags_columns(const rv_entry_t *e) {
  size_t w = 0;
  for (size_t i = 0; i < e->ntags; i++)
    w += jv_width(e->tags[i]) + (i ? 2 : 0);
  return w;
}

/* The rows of journal list for people: the text last, on one line,
 * shortened to what is left of the screen's width (list_columns()). */
static jv_t *list_rows(const rv_entry_t *v, size_t n) {
  size_t cols = list_columns(), tags = strlen("tags"), room = 0;
  for (size_t i = 0; i < n; i++)
    if (tags_columns(&v[i]) > tags)
      tags = tags_columns(&v[i]);
  /* id and at (16 columns each), tags, starred (7), two spaces after each */
  size_t used = 18 + 18 + tags + 2 + 9;
  if (cols)
    room = cols > used + 10 ? cols - used : 10;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    char *text = one_line(v[i].text, room);
    jv_push(a, text ? cli_journal_entry_brief(&v[i], text) : NULL);
    free(text);
  }
  return a;
}

/* Lists the entries that pass the filters, oldest first, the last n. */
static int list_entries(cli_t *c, const char **words, size_t nwords) {
  rv_journal_query_t q;
  rv_journal_hit_t *hits = NULL;
  rv_entry_t *v = NULL;
  size_t n = 0, got = 0;
  int r = 1;
  if ((r = make_query(c, words, nwords, &q)))
    return r;
  if (cli_open(c, true) || cli_begin(c, false)) {
    r = 1;
    goto out;
  }
  if ((r = rv_journal_query(c->home, &q, &hits, &n)) < 0) {
    r = cli_error(r, "cannot read the journal");
    goto out;
  }
  if (!(v = calloc(n ? n : 1, sizeof *v))) {
    r = cli_fail("out of memory");
    goto out;
  }
  for (; got < n; got++)
    if ((r = rv_journal_get(c->home, &hits[got].id, &v[got])) < 0) {
      r = cli_error(r, "cannot read the journal");
      goto out;
    }
  jv_t *a = c->json ? jv_arr() : list_rows(v, n);
  for (size_t i = 0; c->json && i < n; i++)
    jv_push(a, cli_journal_entry_json(&v[i]));
  r = cli_emit(c, a);
out:
  for (size_t i = 0; i < got; i++)
    rv_entry_release(&v[i]);
  free(v);
  free((void *)q.tags);
  free(hits);
  return r;
}

static int run_list(cli_t *c) {
  if (cli_no_args(c))
    return 2;
  return list_entries(c, NULL, 0);
}

static int run_search(cli_t *c) {
  if (!c->npos)
    return cli_usage(c, "journal search needs WORDS");
  return list_entries(c, (const char **)c->pos, c->npos);
}

/* Opens the home and finds the entry named by c->pos[0]. */
static int pick_entry(cli_t *c, bool write, rv_entry_t *ret) {
  rv_oid_t id;
  if (c->npos != 1)
    return cli_usage(c, "name one entry by its id (or a prefix of it)");
  if (cli_open(c, true) || cli_begin(c, write))
    return 1;
  int r = rv_journal_find(c->home, c->pos[0], &id);
  if (r == RV_EAMBIG)
    return cli_fail("'%s' names more than one entry: give more of its id", c->pos[0]);
  if (r < 0)
    return cli_fail("no journal entry '%s' (see 'revans journal list')", c->pos[0]);
  if ((r = rv_journal_get(c->home, &id, ret)) < 0)
    return cli_error(r, "cannot read the entry");
  return 0;
}

/* The text as written, line breaks and tabs kept; other control
 * characters shown as '?', so that no escape sequence reaches the
 * terminal, and a carriage return before a line break left out. */
static void print_text(const char *s) {
  for (const char *p = s; *p; p++) {
    unsigned char ch = (unsigned char)*p;
    if (ch == '\r' && p[1] == '\n')
      continue;
    putchar((ch < 0x20 && ch != '\n' && ch != '\t') || ch == 0x7f ? '?' : ch);
  }
  putchar('\n');
}

/* Shows e and releases it: for people, the text below its heading with
 * its line breaks; with --json, the entry (and "changed" when edited is
 * not NULL: an edit says whether it stored anything). */
static int show_entry(cli_t *c, rv_entry_t *e, const bool *edited) {
  int r;
  if (c->json) {
    jv_t *o = cli_journal_entry_json(e);
    if (edited)
      jv_set(o, "changed", jv_bool(*edited));
    r = cli_emit(c, o);
  } else if ((r = cli_emit(c, cli_journal_entry_brief(e, NULL))) == 0) {
    putchar('\n');
    print_text(e->text);
  }
  rv_entry_release(e);
  return r;
}

static int run_show(cli_t *c) {
  rv_entry_t e;
  int r = pick_entry(c, false, &e);
  return r ? r : show_entry(c, &e, NULL);
}

/* An edit that came back as it was, or empty: nothing is stored. The
 * same text is no failure ("unchanged", 0); an emptied one is (1). */
static int edit_unchanged(cli_t *c, rv_entry_t *e, bool emptied) {
  char id[2 * RV_OID_LEN + 1];
  cli_oid(id, &e->id);
  rv_home_abort(c->home);
  if (c->json && !emptied)
    return show_entry(c, e, &(bool){false});
  rv_entry_release(e);
  if (emptied)
    return cli_fail("the edited entry is empty: nothing changed (to delete it: 'revans journal "
                    "delete %s')",
                    id);
  printf("journal entry %s unchanged\n", id);
  return 0;
}

static int edit_entry(cli_t *c) {
  rv_entry_t e;
  char *text = NULL;
  int r = pick_entry(c, true, &e);
  if (r)
    return r;
  if (cli_edit_text(e.text, &text)) {
    rv_entry_release(&e);
    return 1;
  }
  if (!text || !text[0]) {
    bool emptied = text != NULL;
    free(text);
    return edit_unchanged(c, &e, emptied);
  }
  rv_wipe(e.text, strlen(e.text));
  free(e.text);
  e.text = text;
  if (tags_from_text(&e) || (r = rv_journal_put(c->home, &e)) < 0 || cli_commit(c)) {
    rv_entry_release(&e);
    return r < 0 ? cli_error(r, "cannot store the entry") : 1;
  }
  return show_entry(c, &e, &(bool){true});
}

/* Stars (or unstars) an entry. */
static int set_star(cli_t *c, bool starred) {
  rv_entry_t e;
  int r = pick_entry(c, true, &e);
  if (r)
    return r;
  e.starred = starred;
  if ((r = rv_journal_put(c->home, &e)) < 0 || cli_commit(c)) {
    rv_entry_release(&e);
    return r < 0 ? cli_error(r, "cannot store the entry") : 1;
  }
  jv_t *o = cli_journal_entry_json(&e);
  rv_entry_release(&e);
  return cli_emit(c, o);
}

static int run_star(cli_t *c) { return set_star(c, true); }
static int run_unstar(cli_t *c) { return set_star(c, false); }

static int run_delete(cli_t *c) {
  rv_entry_t e;
  int r = pick_entry(c, true, &e);
  if (r)
    return r;
  rv_oid_t id = e.id;
  rv_entry_release(&e);
  if (!cli_flag(c, "yes")) {
    FILE *tty = fopen("/dev/tty", "r+");
    char answer[8] = "";
    if (!tty)
      return cli_fail("not deleted: confirm with --yes when there is no terminal");
    fprintf(tty, "Delete journal entry %s? [y/N] ", c->pos[0]);
    fflush(tty);
    if (!fgets(answer, sizeof answer, tty))
      answer[0] = '\0';
    fclose(tty);
    if (answer[0] != 'y' && answer[0] != 'Y')
      return cli_fail("not deleted");
  }
  if ((r = rv_journal_delete(c->home, &id)) < 0)
    return cli_error(r, "cannot delete the entry");
  if (cli_commit(c))
    return 1;
  char hex[2 * RV_OID_LEN + 1];
  cli_oid(hex, &id);
  return cli_emit(c, jv_set(jv_obj(), "deleted", jv_str(hex)));
}

static int run_tags(cli_t *c) {
  cli_tag_count_t *v = NULL;
  size_t n = 0;
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  int r = cli_journal_tag_counts(c->home, &v, &n);
  if (r < 0)
    return cli_error(r, "cannot read the journal");
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    jv_t *o = jv_obj();
    jv_set(o, "tag", jv_str(v[i].tag));
    jv_set(o, "entries", jv_int((int64_t)v[i].n));
    jv_push(a, o);
  }
  cli_tag_counts_free(v, n);
  return cli_emit(c, a);
}

static int run_add(cli_t *c) { return cli_edit_finish(add_entry(c)); }
static int run_edit(cli_t *c) { return cli_edit_finish(edit_entry(c)); }

static const cli_opt_t add_opts[] = {{"tag", true},      {"at", true},    {"meeting", true},
                                     {"template", true}, {"star", false}, {NULL, false}};
static const cli_opt_t list_opts[] = {{"since", true}, {"until", true},    {"tag", true},
                                      {"n", true},     {"starred", false}, {NULL, false}};
static const cli_opt_t delete_opts[] = {{"yes", false}, {NULL, false}};
static const cli_opt_t export_opts[] = {{"format", true}, {"out", true}, {NULL, false}};
static const cli_opt_t import_opts[] = {{"format", true}, {NULL, false}};

const cli_cmd_t cli_journal_cmds[] = {
    {"journal add", "[TEXT] [--tag T]... [--at DATE] [--star] [--meeting M] [--template review]",
     "Adds a private entry, sealed on this machine only. With no TEXT, opens $VISUAL, else "
     "$EDITOR, else vi, on a file in a private directory that is wiped and removed afterwards. "
     "Tags follow jrnl's rule: @word or #word at the start or after a space, running over "
     "letters, digits, underscores, hyphens, plus signs, asterisks, hashes and slashes (so "
     "@os/2, @c++, @c#, @café; an e-mail address is no tag); "
     "--tag T adds @T (or #T as given). --star stars the entry. "
     "--template review starts the editor with the reflection "
     "after a meeting (my problem: three things I learned; my actions; the other members; the "
     "set; myself), tagged @review; with --meeting, your actions from that meeting are filled "
     "in. DATE: YYYY-MM-DD, \"YYYY-MM-DD HH:MM\", today, yesterday, "
     "\"N days ago\" or a weekday, a wall-clock time kept as written whatever the time zone. "
     "Text given on the command line may stay in your shell's "
     "history: prefer the editor for anything sensitive.",
     add_opts, run_add},
    {"journal delete", "ID [--yes]", "Deletes an entry, after asking (unless --yes).", delete_opts,
     run_delete},
    {"journal edit", "ID",
     "Edits an entry in your editor (its text, ending in a line break). Left as it was: says "
     "'unchanged', stores nothing and exits 0 (with --json the entry and changed: false); "
     "emptied: refused, nothing stored.",
     NULL, run_edit},
    {"journal export", "[--format json|md|txt|jrnl-json|jrnl-txt] [--out FILE]",
     "Writes every entry, oldest first, in PLAINTEXT: to FILE or standard output. json is "
     "revans's own ({id, at, text, tags, starred}); jrnl-json is jrnl's JSON export "
     "({tags, entries: [{date, time, title, body, tags, starred}]}), the title the text's "
     "first line; jrnl-txt (and txt) is jrnl's own journal file, which 'jrnl --import' reads: "
     "a star as a trailing asterisk on the title line, and a body line jrnl would take for an "
     "entry's opening "
     "('[' and a date-like text, then '] ') written after one space. All read back with "
     "'journal import'.",
     export_opts, cli_journal_export},
    {"journal import", "FILE|- [--format json|jrnl-json|jrnl-txt]",
     "Imports jrnl's JSON export (jrnl --format json), revans's own JSON, or with --format "
     "jrnl-txt jrnl's plain-text journal file; - reads standard input. Every entry is kept, "
     "two identical entries as two; an entry an earlier import brought is not added again. "
     "An entry that cannot be held (no date, before year 1, over 256 KiB, over 64 tags) is "
     "reported and skipped, and the rest imported: the exit status is then 1.",
     import_opts, cli_journal_import},
    {"journal list", "[--since DATE] [--until DATE] [--tag T]... [--starred] [-n N]",
     "Lists entries oldest first (the last N with -n), one line each: the text shortened to "
     "$COLUMNS, else the terminal's width, and whole when the output is no terminal; with "
     "--json [{id, at, text, tags, starred}]. --tag @x or #x as written, x either.",
     list_opts, run_list},
    {"journal search", "WORDS... [--since DATE] [--until DATE] [--tag T]... [--starred] [-n N]",
     "Lists the entries holding all the words (in any case).", list_opts, run_search},
    {"journal show", "ID", "Shows one entry: its text, with its line breaks, below a heading.",
     NULL, run_show},
    {"journal star", "ID", "Stars an entry.", NULL, run_star},
    {"journal tags", "", "Lists the tags with how many entries carry each.", NULL, run_tags},
    {"journal unstar", "ID", "Removes an entry's star.", NULL, run_unstar},
    {NULL, NULL, NULL, NULL, NULL},
};
