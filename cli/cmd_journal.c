/*
 * The private reflection journal: add (from the command line or $VISUAL /
 * $EDITOR), list, show, search, tags, edit, delete. Entries are sealed
 * under this home's local key and never enter a set's log or a bundle.
 * The editor's file lives in a private directory (0700, under
 * $XDG_RUNTIME_DIR when there is one) and is overwritten and removed
 * whatever the editor does.
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include "cli.h"
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- dates ---------------------------------------------------------- */

/* YYYY-MM-DD, YYYY-MM-DD HH:MM, today, yesterday, N days ago, or a weekday
 * name (the last such day, today included), in the local time zone. With
 * a date alone, end picks the day's last millisecond instead of its
 * first. */
static int parse_when(const char *s, bool end, uint64_t *ret_ms) {
  static const char *const days[] = {"sunday", "monday", "tuesday", "wednesday",
                                     "thursday", "friday", "saturday"};
  time_t now = time(NULL);
  struct tm tm;
  localtime_r(&now, &tm);
  tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
  bool time_given = false;
  int back = -1;
  unsigned n;
  int used = -1;
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
        back = (tm.tm_wday - d + 7) % 7;
  }
  if (back >= 0) {
    tm.tm_mday -= back;
  } else {
    struct tm t;
    memset(&t, 0, sizeof t);
    const char *rest = strptime(s, "%Y-%m-%d", &t);
    if (!rest)
      return -1;
    if (*rest) {
      rest = strptime(rest, " %H:%M", &t);
      if (!rest || *rest)
        return -1;
      time_given = true;
    }
    tm = t;
  }
  tm.tm_isdst = -1;
  time_t t = mktime(&tm);
  if (t == (time_t)-1 || t < 0)
    return -1;
  *ret_ms = (uint64_t)t * 1000u + (end && !time_given ? 86400000u - 1 : 0);
  return 0;
}

/* ---- tags ----------------------------------------------------------- */

static int add_tag(rv_entry_t *e, const char *t, size_t n) {
  char buf[RV_JOURNAL_TAG_MAX + 1];
  if (n == 0 || n > RV_JOURNAL_TAG_MAX)
    return cli_fail("a tag must have 1 to %d characters", RV_JOURNAL_TAG_MAX);
  for (size_t i = 0; i < n; i++)
    buf[i] = (char)tolower((unsigned char)t[i]);
  buf[n] = '\0';
  for (size_t i = 0; i < e->ntags; i++)
    if (strcmp(e->tags[i], buf) == 0)
      return 0;
  if (e->ntags == RV_JOURNAL_TAGS_MAX)
    return cli_fail("at most %d tags on one entry", RV_JOURNAL_TAGS_MAX);
  char **v = realloc(e->tags, (e->ntags + 1) * sizeof *v);
  if (!v || !(v[e->ntags] = strdup(buf)))
    return cli_fail("out of memory");
  e->tags = v;
  e->ntags++;
  return 0;
}

static bool tag_char(char ch) { return isalnum((unsigned char)ch) || ch == '_' || ch == '-'; }

/* @word in the text is a tag too. */
static int tags_from_text(rv_entry_t *e) {
  for (const char *p = e->text; *p; p++)
    if (*p == '@' && (p == e->text || !tag_char(p[-1])) && tag_char(p[1])) {
      const char *q = p + 1;
      while (tag_char(*q))
        q++;
      if (add_tag(e, p + 1, (size_t)(q - p - 1)))
        return 1;
      p = q - 1;
    }
  return 0;
}

/* ---- the editor ------------------------------------------------------ */

static char edit_dir[4096], edit_path[4200];

/* Overwrites the editor's file, removes it and its directory. */
static void edit_cleanup(void) {
  if (edit_path[0]) {
    int fd = open(edit_path, O_WRONLY | O_CLOEXEC);
    struct stat st;
    if (fd >= 0 && fstat(fd, &st) == 0) {
      static const char zeros[4096];
      for (off_t left = st.st_size; left > 0; left -= (off_t)sizeof zeros)
        if (write(fd, zeros, left < (off_t)sizeof zeros ? (size_t)left : sizeof zeros) < 0)
          break;
      fsync(fd);
    }
    if (fd >= 0)
      close(fd);
    unlink(edit_path);
    edit_path[0] = '\0';
  }
  if (edit_dir[0]) {
    rmdir(edit_dir);
    edit_dir[0] = '\0';
  }
}

static void on_fatal_signal(int sig) {
  edit_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Lets the person write in their editor, starting from initial. 0 with
 * *ret (malloc'd) when something new was written; errors reported. */
static int edit_text(const char *initial, char **ret) {
  const char *base = getenv("XDG_RUNTIME_DIR");
  struct stat st;
  if (!base || base[0] != '/' || stat(base, &st) != 0 || !S_ISDIR(st.st_mode))
    base = getenv("TMPDIR") && getenv("TMPDIR")[0] == '/' ? getenv("TMPDIR") : "/tmp";
  snprintf(edit_dir, sizeof edit_dir, "%s/revans-XXXXXX", base);
  if (!mkdtemp(edit_dir)) { /* mode 0700 */
    edit_dir[0] = '\0';
    return cli_fail("cannot make a private directory in '%s': %s", base, strerror(errno));
  }
  signal(SIGINT, on_fatal_signal);
  signal(SIGTERM, on_fatal_signal);
  signal(SIGHUP, on_fatal_signal);
  snprintf(edit_path, sizeof edit_path, "%s/entry.md", edit_dir);
  int fd = open(edit_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  size_t il = strlen(initial);
  if (fd < 0 || (il && write(fd, initial, il) != (ssize_t)il) || close(fd) != 0) {
    edit_cleanup();
    return cli_fail("cannot prepare the editor's file");
  }
  const char *editor = getenv("VISUAL");
  if (!editor || !*editor)
    editor = getenv("EDITOR");
  if (!editor || !*editor)
    editor = "vi";
  char cmd[4200];
  if ((size_t)snprintf(cmd, sizeof cmd, "%s \"$1\"", editor) >= sizeof cmd) {
    edit_cleanup();
    return cli_fail("the editor's command is too long");
  }
  pid_t pid = fork();
  if (pid == 0) {
    /* Through the shell, as git does, so that an editor with arguments
     * works; the file's name is passed as $1, never parsed. */
    execl("/bin/sh", "sh", "-c", cmd, "sh", edit_path, (char *)NULL);
    _exit(127);
  }
  int status = 0;
  while (pid > 0 && waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    edit_cleanup();
    return cli_fail("the editor (%s) failed; nothing was added", editor);
  }
  rv_buf_t text;
  rv_buf_init(&text);
  int r = cli_read_file(edit_path, RV_JOURNAL_TEXT_MAX, &text);
  edit_cleanup();
  if (r) {
    rv_buf_release(&text);
    return 1;
  }
  rv_buf_append(&text, "", 1);
  char *s = (char *)text.data;
  size_t n = strlen(s);
  while (n && isspace((unsigned char)s[n - 1]))
    s[--n] = '\0';
  size_t lead = strspn(s, " \t\r\n"), same = strlen(initial);
  while (same && isspace((unsigned char)initial[same - 1]))
    same--;
  if (!s[lead] || (n == same && memcmp(s, initial, n) == 0)) {
    rv_buf_release(&text);
    return cli_fail("nothing written; nothing was added");
  }
  *ret = strdup(s + lead);
  rv_buf_release(&text);
  return *ret ? 0 : cli_fail("out of memory");
}

/* ---- output --------------------------------------------------------- */

static jv_t *entry_json(const rv_entry_t *e) {
  char id[2 * RV_OID_LEN + 1], t[32];
  jv_t *o = jv_obj(), *tags = jv_arr();
  cli_oid(id, &e->id);
  cli_local_time(t, e->at_ms);
  jv_set(o, "id", jv_str(id));
  jv_set(o, "at", jv_str(t));
  jv_set(o, "text", jv_str(e->text));
  for (size_t i = 0; i < e->ntags; i++)
    jv_push(tags, jv_str(e->tags[i]));
  jv_set(o, "tags", tags);
  return o;
}

/* ---- commands -------------------------------------------------------- */

/* ---- templates ------------------------------------------------------ */

/* The reflection after a meeting, in the five parts practitioners use. */
static const char review_template[] =
    "## My problem: three things I learned\n1. \n2. \n3. \n\n"
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
    size_t h = strlen(head);
    memcpy(t, head, h);
    /* templates[i].text holds exactly one %s, for the actions. */
    const char *mark = strstr(templates[i].text, "%s");
    size_t before = (size_t)(mark - templates[i].text);
    memcpy(t + h, templates[i].text, before);
    memcpy(t + h + before, actions, alen);
    strcpy(t + h + before + alen, mark + 2);
    *ret = t;
    *ret_tag = templates[i].tag;
    return 0;
  }
  return cli_usage(c, "--template: the one template is 'review'");
}

static int run_add(cli_t *c) {
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
  e.at_ms = e.made_ms;
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
  if (c->npos)
    e.text = strdup(c->pos[0]);
  else if (edit_text(initial ? initial : "", &e.text))
    goto out;
  if (!e.text) {
    r = cli_fail("out of memory");
    goto out;
  }
  if (template_tag && add_tag(&e, template_tag, strlen(template_tag)))
    goto out;
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, "tag") == 0 &&
        add_tag(&e, c->opt[i].value[0] == '@' ? c->opt[i].value + 1 : c->opt[i].value,
                strlen(c->opt[i].value) - (c->opt[i].value[0] == '@')))
      goto out;
  if (tags_from_text(&e))
    goto out;
  if (meeting) {
    e.has_meeting = true;
    e.set = link.set;
    e.meeting = link.meeting;
  }
  if (cli_begin(c, true))
    goto out;
  rv_random(e.id.b, RV_OID_LEN);
  if ((r = rv_journal_put(c->home, &e)) < 0) {
    rv_home_abort(c->home);
    r = cli_error(r, "cannot add the entry");
    goto out;
  }
  if ((r = cli_commit(c)))
    goto out;
  r = cli_emit(c, entry_json(&e));
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

/* Lists the entries that pass the filters, oldest first, the last n. */
static int list_entries(cli_t *c, const char **words, size_t nwords) {
  rv_journal_query_t q;
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
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
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    rv_entry_t e;
    if ((r = rv_journal_get(c->home, &hits[i].id, &e)) < 0) {
      jv_free(a);
      r = cli_error(r, "cannot read the journal");
      goto out;
    }
    jv_push(a, entry_json(&e));
    rv_entry_release(&e);
  }
  r = cli_emit(c, a);
out:
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

static int run_show(cli_t *c) {
  rv_entry_t e;
  int r = pick_entry(c, false, &e);
  if (r)
    return r;
  jv_t *o = entry_json(&e);
  rv_entry_release(&e);
  return cli_emit(c, o);
}

static int run_edit(cli_t *c) {
  rv_entry_t e;
  char *text = NULL;
  int r = pick_entry(c, true, &e);
  if (r)
    return r;
  if (edit_text(e.text, &text)) {
    rv_entry_release(&e);
    return 1;
  }
  rv_wipe(e.text, strlen(e.text));
  free(e.text);
  e.text = text;
  if (tags_from_text(&e) || (r = rv_journal_put(c->home, &e)) < 0 || cli_commit(c)) {
    rv_entry_release(&e);
    return r < 0 ? cli_error(r, "cannot store the entry") : 1;
  }
  jv_t *o = entry_json(&e);
  rv_entry_release(&e);
  return cli_emit(c, o);
}

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

typedef struct tagcount {
  char *tag;
  size_t n;
} tagcount_t;

typedef struct tally {
  tagcount_t *v;
  size_t n;
} tally_t;

static int tally_one(void *ctx, const rv_entry_t *e) {
  tally_t *t = ctx;
  for (size_t i = 0; i < e->ntags; i++) {
    size_t j = 0;
    while (j < t->n && strcmp(t->v[j].tag, e->tags[i]) != 0)
      j++;
    if (j == t->n) {
      tagcount_t *v = realloc(t->v, (t->n + 1) * sizeof *v);
      if (!v || !(v[t->n].tag = strdup(e->tags[i])))
        return RV_ENOMEM;
      t->v = v;
      v[t->n++].n = 0;
    }
    t->v[j].n++;
  }
  return 0;
}

static int by_count(const void *a, const void *b) {
  const tagcount_t *x = a, *y = b;
  if (x->n != y->n)
    return x->n > y->n ? -1 : 1;
  return strcmp(x->tag, y->tag);
}

static int run_tags(cli_t *c) {
  tally_t t = {0};
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  int r = rv_journal_each(c->home, tally_one, &t);
  if (t.n)
    qsort(t.v, t.n, sizeof *t.v, by_count);
  jv_t *a = jv_arr();
  for (size_t i = 0; i < t.n; i++) {
    jv_t *o = jv_obj();
    jv_set(o, "tag", jv_str(t.v[i].tag));
    jv_set(o, "entries", jv_int((int64_t)t.v[i].n));
    jv_push(a, o);
    free(t.v[i].tag);
  }
  free(t.v);
  if (r < 0) {
    jv_free(a);
    return cli_error(r, "cannot read the journal");
  }
  return cli_emit(c, a);
}

/* ---- export and import ----------------------------------------------- */

static void put_text(rv_buf_t *b, const char *s) { rv_buf_append(b, s, strlen(s)); }

static int run_export(cli_t *c) {
  const char *format = cli_opt(c, "format"), *out = cli_opt(c, "out");
  rv_journal_query_t all = {0};
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
  rv_buf_t b;
  int r;
  if (cli_no_args(c))
    return 2;
  if (!format)
    format = "json";
  if (strcmp(format, "json") && strcmp(format, "md") && strcmp(format, "txt"))
    return cli_usage(c, "--format must be json, md or txt");
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  if ((r = rv_journal_query(c->home, &all, &hits, &n)) < 0)
    return cli_error(r, "cannot read the journal");
  rv_buf_init(&b);
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    rv_entry_t entry, *e = &entry;
    char t[32];
    if ((r = rv_journal_get(c->home, &hits[i].id, e)) < 0) {
      jv_free(a);
      rv_buf_release(&b);
      free(hits);
      return cli_error(r, "cannot read the journal");
    }
    cli_local_time(t, e->at_ms);
    if (strcmp(format, "json") == 0) {
      jv_push(a, entry_json(e));
    } else {
      put_text(&b, strcmp(format, "md") == 0 ? "## " : "[");
      put_text(&b, t);
      put_text(&b, strcmp(format, "md") == 0 ? "\n\n" : "] ");
      put_text(&b, e->text);
      put_text(&b, "\n");
      if (e->ntags && strcmp(format, "md") == 0) {
        put_text(&b, "\nTags:");
        for (size_t k = 0; k < e->ntags; k++) {
          put_text(&b, " @");
          put_text(&b, e->tags[k]);
        }
        put_text(&b, "\n");
      }
      put_text(&b, "\n");
    }
    rv_entry_release(e);
  }
  free(hits);
  if (strcmp(format, "json") == 0) {
    char *doc = jv_dump(a);
    if (doc)
      put_text(&b, doc);
    free(doc);
  }
  jv_free(a);
  /* The export is plaintext, where the person asks for it. */
  r = 0;
  if (out)
    r = cli_write_file(c, out, b.data, b.len);
  else if (b.len && fwrite(b.data, 1, b.len, stdout) != b.len)
    r = cli_fail("cannot write the output");
  rv_buf_release(&b);
  return r;
}

/* The fingerprint of an imported entry: its time, text and tags. The same
 * entry imported twice has the same fingerprint and is stored once. */
static void fingerprint(const rv_entry_t *e, rv_hash_t *ret) {
  rv_hash_state_t st;
  uint8_t at[8];
  rv_hash_init(&st);
  for (int i = 0; i < 8; i++)
    at[i] = (uint8_t)(e->at_ms / 60000 >> (56 - 8 * i)); /* to the minute, as exports show it */
  rv_hash_update(&st, at, sizeof at);
  rv_hash_update(&st, e->text, strlen(e->text) + 1);
  for (size_t i = 0; i < e->ntags; i++)
    rv_hash_update(&st, e->tags[i], strlen(e->tags[i]) + 1);
  rv_hash_final(&st, ret->b);
}

/* The fingerprints already in the journal: an open-addressing hash set. */
typedef struct seen {
  rv_hash_t *v;
  bool *used;
  size_t n, cap;
} seen_t;

static size_t slot_of(const seen_t *s, const rv_hash_t *h) {
  size_t i = 0;
  for (int k = 0; k < 8; k++)
    i = i << 8 | h->b[k];
  i &= s->cap - 1;
  while (s->used[i] && memcmp(s->v[i].b, h->b, RV_HASH_LEN) != 0)
    i = (i + 1) & (s->cap - 1);
  return i;
}

static bool seen_has(const seen_t *s, const rv_hash_t *h) {
  return s->cap && s->used[slot_of(s, h)];
}

static int seen_add(seen_t *s, const rv_hash_t *h) {
  if (2 * (s->n + 1) > s->cap) {
    seen_t t = {.cap = s->cap ? 2 * s->cap : 1024};
    if (!(t.v = calloc(t.cap, sizeof *t.v)) || !(t.used = calloc(t.cap, sizeof *t.used))) {
      free(t.v);
      return RV_ENOMEM;
    }
    for (size_t i = 0; i < s->cap; i++)
      if (s->used[i]) {
        size_t j = slot_of(&t, &s->v[i]);
        t.v[j] = s->v[i];
        t.used[j] = true;
        t.n++;
      }
    free(s->v);
    free(s->used);
    *s = t;
  }
  size_t i = slot_of(s, h);
  if (!s->used[i]) {
    s->v[i] = *h;
    s->used[i] = true;
    s->n++;
  }
  return 0;
}

static int collect_sources(void *ctx, const rv_entry_t *e) {
  rv_hash_t h;
  fingerprint(e, &h);
  return seen_add(ctx, &h);
}

int cli_journal_import_entry(const jv_t *x, size_t i, rv_entry_t *e) {
  const char *title = jv_string(jv_get(x, "title")), *body = jv_string(jv_get(x, "body"));
  const char *date = jv_string(jv_get(x, "date")), *tm = jv_string(jv_get(x, "time"));
  const char *text = jv_string(jv_get(x, "text")), *at = jv_string(jv_get(x, "at"));
  char when[64];
  memset(e, 0, sizeof e[0]);
  if (title || date) { /* jrnl */
    size_t n = (title ? strlen(title) : 0) + (body ? strlen(body) : 0) + 2;
    if (!title || !date || !(e->text = malloc(n)))
      return cli_fail("entry %zu: a jrnl entry needs a title and a date", i + 1);
    snprintf(e->text, n, "%s%s%s", title, body && *body ? "\n" : "", body ? body : "");
    snprintf(when, sizeof when, "%s %s", date, tm ? tm : "00:00");
  } else {
    if (!text || !at || !(e->text = strdup(text)))
      return cli_fail("entry %zu: neither a jrnl nor a revans entry", i + 1);
    snprintf(when, sizeof when, "%s", at);
  }
  if (parse_when(when, false, &e->at_ms) < 0)
    return cli_fail("entry %zu: cannot read the date '%s'", i + 1, when);
  if (!e->text[0] || strlen(e->text) > RV_JOURNAL_TEXT_MAX)
    return cli_fail("entry %zu: empty or longer than %d bytes", i + 1, RV_JOURNAL_TEXT_MAX);
  const jv_t *tags = jv_get(x, "tags");
  for (size_t k = 0; jv_is_array(tags) && k < jv_len(tags); k++) {
    const char *t = jv_string(jv_at(tags, k));
    if (t && add_tag(e, t[0] == '@' ? t + 1 : t, strlen(t) - (t[0] == '@')))
      return 1;
  }
  if (jv_is_true(jv_get(x, "starred")) && add_tag(e, "starred", 7))
    return 1;
  return tags_from_text(e);
}

static int run_import(cli_t *c) {
  rv_buf_t file;
  char err[256];
  seen_t seen = {0};
  size_t added = 0, skipped = 0;
  int r = 1;
  if (c->npos != 1)
    return cli_usage(c, "journal import needs FILE");
  rv_buf_init(&file);
  if (cli_read_file(c->pos[0], (size_t)1 << 30, &file))
    return 1;
  jv_t *doc = jv_parse((const char *)file.data, file.len, err, sizeof err);
  rv_buf_release(&file);
  if (!doc)
    return cli_fail("'%s' is not JSON: %s", c->pos[0], err);
  const jv_t *entries = jv_is_array(doc) ? doc : jv_get(doc, "entries");
  if (!jv_is_array(entries)) {
    jv_free(doc);
    return cli_fail("'%s' is neither jrnl's JSON export nor revans's", c->pos[0]);
  }
  if (cli_open(c, true) || cli_begin(c, true))
    goto out;
  if ((r = rv_journal_each(c->home, collect_sources, &seen)) < 0) {
    r = cli_error(r, "cannot read the journal");
    goto out;
  }
  uint64_t now = rv_now_ms();
  for (size_t i = 0; i < jv_len(entries); i++) {
    rv_entry_t e;
    rv_hash_t h;
    if (!jv_is_object(jv_at(entries, i))) {
      r = cli_fail("entry %zu is not an object", i + 1);
      goto out;
    }
    if ((r = cli_journal_import_entry(jv_at(entries, i), i, &e))) {
      rv_entry_release(&e);
      goto out; /* nothing of the file is stored */
    }
    fingerprint(&e, &h);
    if (seen_has(&seen, &h)) {
      skipped++;
      rv_entry_release(&e);
      continue;
    }
    if (seen_add(&seen, &h) < 0) {
      rv_entry_release(&e);
      r = cli_fail("out of memory");
      goto out;
    }
    e.source = h;
    e.made_ms = now;
    rv_random(e.id.b, RV_OID_LEN);
    r = rv_journal_put(c->home, &e);
    rv_entry_release(&e);
    if (r < 0) {
      r = cli_error(r, "cannot store entry %zu", i + 1);
      goto out;
    }
    added++;
  }
  if ((r = cli_commit(c)))
    goto out;
  jv_t *o = jv_obj();
  jv_set(o, "added", jv_int((int64_t)added));
  jv_set(o, "already_here", jv_int((int64_t)skipped));
  r = cli_emit(c, o);
out:
  free(seen.v);
  free(seen.used);
  jv_free(doc);
  return r;
}

static const cli_opt_t add_opts[] = {
    {"tag", true}, {"at", true}, {"meeting", true}, {"template", true}, {NULL, false}};
static const cli_opt_t list_opts[] = {
    {"since", true}, {"until", true}, {"tag", true}, {"n", true}, {NULL, false}};
static const cli_opt_t delete_opts[] = {{"yes", false}, {NULL, false}};
static const cli_opt_t export_opts[] = {{"format", true}, {"out", true}, {NULL, false}};

const cli_cmd_t cli_journal_cmds[] = {
    {"journal add", "[TEXT] [--tag T]... [--at DATE] [--meeting M] [--template review]",
     "Adds a private entry, sealed on this machine only. With no TEXT, opens $VISUAL, else "
     "$EDITOR, else vi, on a file in a private directory that is wiped and removed afterwards. "
     "@word in the text is a tag too. --template review starts the editor with the reflection "
     "after a meeting (my problem: three things I learned; my actions; the other members; the "
     "set; myself), tagged review; with --meeting, your actions from that meeting are filled "
     "in. DATE: YYYY-MM-DD, \"YYYY-MM-DD HH:MM\", today, yesterday, "
     "\"N days ago\" or a weekday. Text given on the command line may stay in your shell's "
     "history: prefer the editor for anything sensitive.",
     add_opts, run_add},
    {"journal delete", "ID [--yes]", "Deletes an entry, after asking (unless --yes).",
     delete_opts, run_delete},
    {"journal edit", "ID", "Edits an entry in your editor.", NULL, run_edit},
    {"journal export", "[--format md|json|txt] [--out FILE]",
     "Writes every entry, oldest first, in PLAINTEXT: to FILE or standard output. JSON is what "
     "'journal import' reads back.",
     export_opts, run_export},
    {"journal import", "FILE",
     "Imports jrnl's JSON export (jrnl --format json) or revans's own. Importing the same file "
     "again adds nothing twice. All or nothing.",
     NULL, run_import},
    {"journal list", "[--since DATE] [--until DATE] [--tag T]... [-n N]",
     "Lists entries oldest first (the last N with -n): [{id, at, text, tags}].", list_opts,
     run_list},
    {"journal search", "WORDS... [--since DATE] [--until DATE] [--tag T]... [-n N]",
     "Lists the entries holding all the words (in any case).", list_opts, run_search},
    {"journal show", "ID", "Shows one entry.", NULL, run_show},
    {"journal tags", "", "Lists the tags with how many entries carry each.", NULL, run_tags},
    {NULL, NULL, NULL, NULL, NULL},
};
