/*
 * The steps most commands share: finding and opening the home, reading the
 * passphrase, picking the set, transactions, files, and printing results.
 */
#define _XOPEN_SOURCE 700 /* strptime */
#include "cli.h"
#include "revans/node.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/log.h"
#include "revans/set.h"
#include "revans/wallclock.h"

#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define PASS_MAX 1024

static char home_buf[4096];

static const char *home_dir(cli_t *c) {
  const char *e;
  if (c->home_dir)
    return c->home_dir;
  if ((e = getenv("REVANS_HOME")) && *e)
    return c->home_dir = e;
  if ((e = getenv("XDG_DATA_HOME")) && e[0] == '/') /* relative: ignored, as XDG says */
    snprintf(home_buf, sizeof home_buf, "%s/revans", e);
  else
    snprintf(home_buf, sizeof home_buf, "%s/.local/share/revans",
             getenv("HOME") ? getenv("HOME") : ".");
  return c->home_dir = home_buf;
}

static char *strip_newline(char *s) {
  size_t n = strlen(s);
  while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
    s[--n] = '\0';
  return s;
}

/* Reads one line from the terminal without echo. */
static int prompt(const char *what, char *buf, size_t cap) {
  FILE *tty = fopen("/dev/tty", "r+");
  struct termios old, quiet;
  int r = -1;
  if (!tty)
    return -1;
  fprintf(tty, "%s", what);
  fflush(tty);
  if (tcgetattr(fileno(tty), &old) == 0) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
    if (fgets(buf, (int)cap, tty)) {
      strip_newline(buf);
      r = 0;
    }
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
  }
  fclose(tty);
  return r;
}

/* A passphrase from the first line of file, else from env, else asked
 * for at the terminal (twice when confirm): in guarded memory, wiped when
 * freed. what names it in messages ("passphrase"), hint says where else
 * it may come from. */
static int read_passphrase(const char *file, const char *env, const char *what, const char *hint,
                           bool confirm, char **ret) {
  char *p = rv_secure_alloc(PASS_MAX + 2), ask[40];
  if (!p)
    return cli_fail("out of memory");
  memset(p, 0, PASS_MAX + 2);
  snprintf(ask, sizeof ask, "%c%s: ", what[0] - 'a' + 'A', what + 1);
  if (file) {
    FILE *f = fopen(file, "r");
    if (!f) {
      rv_secure_free(p);
      return cli_fail("cannot read %s file '%s': %s", what, file, strerror(errno));
    }
    if (!fgets(p, PASS_MAX + 2, f))
      p[0] = '\0';
    fclose(f);
    strip_newline(p);
  } else if (env) {
    snprintf(p, PASS_MAX + 2, "%s", env);
  } else {
    if (prompt(ask, p, PASS_MAX + 2) < 0) {
      rv_secure_free(p);
      return cli_fail("no %s: %s, or run in a terminal", what, hint);
    }
    if (confirm) {
      char again[PASS_MAX + 2];
      int same = prompt("Again: ", again, sizeof again) == 0 && strcmp(again, p) == 0;
      rv_wipe(again, sizeof again);
      if (!same) {
        rv_secure_free(p);
        return cli_fail("the passphrases do not match");
      }
    }
  }
  if (strlen(p) > PASS_MAX) {
    rv_secure_free(p);
    return cli_fail("the %s is longer than %d bytes", what, PASS_MAX);
  }
  if (!p[0]) {
    rv_secure_free(p);
    return cli_fail("the %s is empty", what);
  }
  *ret = p;
  return 0;
}

/* The passphrase the environment gave, taken out of it at start
 * (cli_take_passphrase): in guarded memory for the life of the process. */
static char *env_pass;

/* The passphrase from fd (revans handing a command to revans-node),
 * into env_pass; the fd is closed. */
static void take_from_fd(const char *fdtext) {
  char *end;
  long fd = strtol(fdtext, &end, 10);
  if (*end || fd < 3 || fd > 1024 || !(env_pass = rv_secure_alloc(PASS_MAX + 2)))
    return;
  size_t n = 0;
  ssize_t k;
  while (n < PASS_MAX + 1 && (k = read((int)fd, env_pass + n, PASS_MAX + 1 - n)) > 0)
    n += (size_t)k;
  env_pass[n] = '\0';
  close((int)fd);
}

void cli_take_passphrase(void) {
  char *v = getenv("REVANS_PASSPHRASE"), *fd = getenv("REVANS_PASSPHRASE_FD");
  if (v && (env_pass = rv_secure_alloc(PASS_MAX + 2))) {
    snprintf(env_pass, PASS_MAX + 2, "%s", v);
    /* The bytes themselves, where /proc/PID/environ reads them, then the
     * variable: no child and no handover sees it. */
    rv_wipe(v, strlen(v));
  } else if (fd && !v) {
    take_from_fd(fd);
  }
  unsetenv("REVANS_PASSPHRASE");
  unsetenv("REVANS_PASSPHRASE_FD");
}

int cli_passphrase(const cli_t *c, bool confirm, char **ret) {
  return read_passphrase(c->passfile, env_pass, "passphrase",
                         "set REVANS_PASSPHRASE, use --passphrase-file FILE", confirm, ret);
}

int cli_new_passphrase(const char *file, char **ret) {
  return read_passphrase(file, NULL, "new passphrase", "use --new-passphrase-file FILE", true, ret);
}

int cli_open(cli_t *c, bool unlock) {
  const char *dir = home_dir(c);
  int r = rv_home_open(dir, &c->home);
  if (r == RV_ENOTFOUND)
    return cli_fail("no identity in '%s': run 'revans init --name NAME' first", dir);
  if (r == RV_EUNSAFE)
    return cli_unsafe_home(dir);
  if (r < 0)
    return cli_error(r, "cannot open home '%s'", dir);
  if (!unlock)
    return 0;
  /* A node running for this home unlocks it for the same user, without
   * the passphrase (and its Argon2id stretch). */
  uint8_t key[32];
  r = rv_agent_unlock_key(dir, key);
  if (r == RV_EUNSAFE)
    fprintf(stderr, "revans: the node socket in '%s' is another user's: not asked, ignored\n", dir);
  if (r == 0) {
    r = rv_home_unlock_key(c->home, key);
    rv_wipe(key, sizeof key);
    if (r == 0)
      return 0;
  }
  char *pass;
  if (cli_passphrase(c, false, &pass) != 0)
    return 1;
  r = rv_home_unlock(c->home, pass, strlen(pass));
  rv_secure_free(pass);
  if (r < 0)
    return cli_error(r, "cannot unlock '%s'", dir);
  return 0;
}

int cli_unsafe_home(const char *dir) {
  return cli_fail("the home '%s' is not yours alone: another user could replace it. It must be "
                  "owned by you and writable by no one else: 'chmod go-w %s' (and 'chown' it to "
                  "you if it is another user's)",
                  dir, dir);
}

/* Exposed for init, which creates the home instead of opening it. */
const char *cli_home_dir(cli_t *c) { return home_dir(c); }

int cli_begin(cli_t *c, bool write) {
  int r = rv_home_begin(c->home, write);
  return r < 0 ? cli_error(r, "cannot read the store") : 0;
}

int cli_commit(cli_t *c) {
  int r = rv_home_commit(c->home);
  return r < 0 ? cli_error(r, "nothing was written") : 0;
}

int cli_pick_set(cli_t *c, rv_set_id_t *ret) {
  int r;
  if (c->set_arg) {
    r = rv_set_find(c->home, c->set_arg, ret);
    if (r == RV_ENOTFOUND)
      return cli_fail("no set '%s' here (see 'revans set list')", c->set_arg);
    if (r == RV_EAMBIG)
      return cli_fail("'%s' names more than one set: give more of its id", c->set_arg);
    return r < 0 ? cli_error(r, "cannot find set '%s'", c->set_arg) : 0;
  }
  r = rv_set_default(c->home, ret);
  if (r == RV_ENOTFOUND)
    return cli_fail("no set here yet: create one with 'revans set create NAME' or join one");
  if (r == RV_EAMBIG)
    return cli_fail("several sets here: pick one with --set NAME or 'revans set use NAME'");
  return r < 0 ? cli_error(r, "cannot choose a set") : 0;
}

int cli_read_file(const char *path, size_t max, rv_buf_t *out) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  struct stat st;
  if (fd < 0)
    return cli_fail("cannot read '%s': %s", path, strerror(errno));
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return cli_fail("cannot read '%s': not a regular file", path);
  }
  if ((uint64_t)st.st_size > max) {
    close(fd);
    return cli_fail("cannot read '%s': larger than %zu bytes", path, max);
  }
  if (rv_buf_reserve(out, (size_t)st.st_size + 1) < 0) {
    close(fd);
    return cli_fail("cannot read '%s': out of memory", path);
  }
  for (;;) {
    /* The buffer fits the file as it was; more only if it grew since. */
    if (out->len == out->cap && rv_buf_reserve(out, 65536) < 0) {
      close(fd);
      return cli_fail("cannot read '%s': out of memory", path);
    }
    ssize_t n = read(fd, out->data + out->len, out->cap - out->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      close(fd);
      return cli_fail("cannot read '%s': %s", path, strerror(errno));
    }
    if (n == 0)
      break;
    out->len += (size_t)n;
    if (out->len > max) {
      close(fd);
      return cli_fail("cannot read '%s': larger than %zu bytes", path, max);
    }
  }
  close(fd);
  return 0;
}

/* True when path's directory is the home or inside it: an output file
 * there could replace the store itself. */
static bool inside_home(cli_t *c, const char *path) {
  char dir[4096], real_dir[PATH_MAX], real_home[PATH_MAX];
  const char *slash = strrchr(path, '/');
  if (!slash)
    snprintf(dir, sizeof dir, ".");
  else
    snprintf(dir, sizeof dir, "%.*s", (int)(slash - path == 0 ? 1 : slash - path), path);
  if (!realpath(dir, real_dir) || !realpath(cli_home_dir(c), real_home))
    return false;
  size_t n = strlen(real_home);
  return strncmp(real_dir, real_home, n) == 0 && (real_dir[n] == '\0' || real_dir[n] == '/');
}

int cli_stage_file(cli_t *c, const char *path, const void *p, size_t n, char *tmp, size_t cap) {
  if (inside_home(c, path))
    return cli_fail("cannot write '%s': it is inside the home, beside the store", path);
  if ((size_t)snprintf(tmp, cap, "%s.tmp-XXXXXX", path) >= cap)
    return cli_fail("cannot write '%s': path too long", path);
  int fd = mkstemp(tmp);
  if (fd < 0)
    return cli_fail("cannot write '%s': %s", path, strerror(errno));
  const uint8_t *b = p;
  size_t off = 0;
  while (off < n) {
    ssize_t w = write(fd, b + off, n - off);
    if (w < 0 && errno == EINTR)
      continue;
    if (w < 0)
      goto fail;
    off += (size_t)w;
  }
  if (fsync(fd) != 0)
    goto fail;
  if (close(fd) != 0) {
    fd = -1;
    goto fail;
  }
  return 0;
fail : {
  int e = errno;
  if (fd >= 0)
    close(fd);
  unlink(tmp);
  return cli_fail("cannot write '%s': %s", path, strerror(e));
}
}

int cli_publish_file(const char *tmp, const char *path) {
  if (rename(tmp, path) != 0) {
    int e = errno;
    unlink(tmp);
    return cli_fail("cannot write '%s': %s", path, strerror(e));
  }
  /* The rename itself reaches the disk with its directory. */
  char dir[4096];
  const char *slash = strrchr(path, '/');
  snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path == 0 ? 1 : slash - path) : 1,
           slash ? path : ".");
  int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return 0;
}

void cli_discard_file(const char *tmp) { unlink(tmp); }

int cli_write_file(cli_t *c, const char *path, const void *p, size_t n) {
  char tmp[4200];
  if (cli_stage_file(c, path, p, n, tmp, sizeof tmp))
    return 1;
  return cli_publish_file(tmp, path);
}

int cli_check_text(const char *what, const char *s, size_t max) {
  size_t n = strlen(s);
  if (n == 0)
    return cli_fail("%s must not be empty", what);
  /* Control characters (but line breaks and tabs) would reach other
   * members' terminals. */
  for (const unsigned char *u = (const unsigned char *)s; *u; u++)
    if ((*u < 0x20 && *u != '\n' && *u != '\t') || *u == 0x7f)
      return cli_fail("%s holds a control character", what);
  if (n > max)
    return cli_fail("%s is longer than %zu bytes", what, max);
  return 0;
}

void cli_hex(char *out, const void *bin, size_t n) { rv_hex(out, bin, n); }

void cli_time(char *out, uint64_t ms) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cli_local_time(char *out, uint64_t ms) {
  time_t t = (time_t)(ms / 1000);
  struct tm tm;
  localtime_r(&t, &tm);
  strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

int cli_emit(const cli_t *c, jv_t *v) {
  if (!v)
    return cli_fail("out of memory");
  int r = c->json ? jv_print_json(stdout, v) : jv_print_human(stdout, v);
  jv_free(v);
  return r < 0 ? cli_fail("cannot write the output") : 0;
}

int cli_set_state(cli_t *c, bool write, rv_set_id_t *set, const rv_state_t **st) {
  if (cli_open(c, true) || cli_begin(c, write) || cli_pick_set(c, set))
    return 1;
  int r = rv_set_state(c->home, set, st);
  return r < 0 ? cli_error(r, "cannot read the set") : 0;
}

int cli_write(cli_t *c, const rv_set_id_t *set, const rv_body_t *b) {
  const char *why = NULL;
  int r = rv_log_append(c->home, set, b, &why);
  if (r == RV_EPERM) {
    rv_home_abort(c->home);
    return cli_fail("%s", why ? why : "not permitted");
  }
  if (r == RV_EINVAL) {
    rv_home_abort(c->home);
    return cli_fail("a text is empty or too long");
  }
  if (r < 0) {
    rv_home_abort(c->home);
    return cli_error(r, "cannot write the record");
  }
  return cli_commit(c);
}

int cli_write_and_show(cli_t *c, const rv_set_id_t *set, const rv_body_t *b, cli_show_fn show,
                       const void *arg, const char *what) {
  const rv_state_t *s;
  jv_t *v;
  if (cli_write(c, set, b))
    return 1;
  if (cli_begin(c, false) || rv_set_state(c->home, set, &s) < 0 || !(v = show(s, arg)))
    return cli_fail("cannot read %s", what);
  return cli_emit(c, v);
}

const char *cli_member_label(const rv_state_t *s, const rv_member_id_t *id,
                             char buf[2 * RV_ID_LEN + 1]) {
  const rv_member_t *m = rv_state_member(s, id);
  if (!m)
    m = rv_state_removed(s, id); /* a removed member keeps their name in every view */
  if (m && m->name)
    return m->name;
  rv_hex(buf, id->b, RV_ID_LEN);
  buf[CLI_SHORT] = '\0';
  return buf;
}

void cli_oid(char *out, const rv_oid_t *id) { rv_hex(out, id->b, RV_OID_LEN); }

/* Both read the text with core's calendar (wallclock.h), which refuses a
 * day past the end of its month rather than moving it on. */
int cli_parse_datetime(const char *s, uint64_t *ret_ms) {
  int64_t wall;
  rv_civil_t c;
  if (strlen(s) != 16 || rv_wall_parse(s, &wall) < 0)
    return -1;
  rv_wall_to_civil(wall, &c);
  struct tm tm = {.tm_year = c.year - 1900,
                  .tm_mon = c.month - 1,
                  .tm_mday = c.day,
                  .tm_hour = c.hour,
                  .tm_min = c.minute,
                  .tm_isdst = -1};
  time_t t = mktime(&tm);
  if (t == (time_t)-1 || t < 0)
    return -1;
  *ret_ms = (uint64_t)t * 1000u;
  return 0;
}

int cli_parse_date(const char *s, uint64_t *ret_day) {
  int64_t wall;
  if (strlen(s) != 10 || rv_wall_parse(s, &wall) < 0 || wall < 0)
    return -1;
  *ret_day = (uint64_t)(wall / RV_WALL_DAY_MS);
  return 0;
}

void cli_date(char *out, uint64_t day) {
  time_t t = (time_t)(day * 86400u);
  struct tm tm;
  gmtime_r(&t, &tm);
  strftime(out, 11, "%Y-%m-%d", &tm);
}

int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *ret) {
  char *end;
  if (!s || !*s || *s == '-' || *s == '+')
    return -1;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || *end || v < min || v > max)
    return -1;
  *ret = v;
  return 0;
}

int cli_no_args(const cli_t *c) {
  return c->npos ? cli_usage(c, "unexpected argument '%s'", c->pos[0]) : 0;
}

int cli_hand_to_node(const cli_t *c) {
  char self[4096], path[4200];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  char *slash = n > 0 ? (self[n] = '\0', strrchr(self, '/')) : NULL;
  if (!slash || !c->argv)
    return cli_fail("cannot find revans-node, which runs the node's commands");
  *slash = '\0';
  snprintf(path, sizeof path, "%s/revans-node", self);
  c->argv[0] = path;
  /* The passphrase goes in a pipe only revans-node reads, not in its
   * environment (which /proc shows for its whole life). */
  int fds[2];
  if (env_pass) {
    char fdtext[16];
    size_t n = strlen(env_pass);
    if (n >= 65536 || pipe(fds) != 0 || write(fds[1], env_pass, n) != (ssize_t)n)
      return cli_fail("cannot hand the passphrase to revans-node: %s", strerror(errno));
    close(fds[1]);
    snprintf(fdtext, sizeof fdtext, "%d", fds[0]);
    setenv("REVANS_PASSPHRASE_FD", fdtext, 1);
  }
  execv(path, c->argv);
  return cli_fail("cannot run '%s', which runs the node's commands: %s", path, strerror(errno));
}

const char *cli_opt(const cli_t *c, const char *name) {
  const char *v = NULL;
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, name) == 0)
      v = c->opt[i].value;
  return v;
}

bool cli_flag(const cli_t *c, const char *name) {
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, name) == 0)
      return true;
  return false;
}
