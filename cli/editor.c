/*
 * The editor of `journal add` and `journal edit`: the entry's text is
 * written to a file in a private directory (mkdtemp, 0700: nothing else
 * can write there), in memory where the machine has a directory for that
 * ($XDG_RUNTIME_DIR, else /dev/shm), and after the editor exits (or a
 * signal ends revans) every file in that directory, the editor's backups
 * and swap files too, is overwritten and removed, then the directory. A
 * cleanup that cannot finish says so, and the command exits 1.
 */
#include "cli.h"
#include "revans/journal.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char edit_dir[4096], edit_path[4200];
static char unclean[4400]; /* what the last cleanup could not remove, and why */

/* The directory the private one is made in: memory-backed when the
 * machine has one, else $TMPDIR, else /tmp. */
static const char *edit_base(void) {
  struct stat st;
  const char *base = getenv("XDG_RUNTIME_DIR");
  if (base && base[0] == '/' && stat(base, &st) == 0 && S_ISDIR(st.st_mode))
    return base;
  if (stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) && access("/dev/shm", W_OK) == 0)
    return "/dev/shm";
  base = getenv("TMPDIR");
  return base && base[0] == '/' ? base : "/tmp";
}

/* Overwrites the regular file name in dirfd with zeros and removes it;
 * anything else is removed without being followed (a directory with what
 * is in it). 0, or -1 with errno. */
static int wipe_at(int at, const char *name, int depth) {
  struct stat st;
  if (fstatat(at, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? 0 : -1;
  if (S_ISDIR(st.st_mode)) {
    int sub = openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    DIR *d = sub >= 0 && depth < 8 ? fdopendir(sub) : NULL;
    struct dirent *e;
    int r = d ? 0 : -1;
    while (d && (e = readdir(d)))
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
          wipe_at(sub, e->d_name, depth + 1) != 0)
        r = -1;
    if (d)
      closedir(d);
    else if (sub >= 0)
      close(sub);
    return r == 0 ? unlinkat(at, name, AT_REMOVEDIR) : -1;
  }
  if (S_ISREG(st.st_mode)) {
    int fd = openat(at, name, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    static const char zeros[4096];
    for (off_t left = st.st_size; fd >= 0 && left > 0; left -= (off_t)sizeof zeros)
      if (write(fd, zeros, left < (off_t)sizeof zeros ? (size_t)left : sizeof zeros) < 0)
        break;
    if (fd >= 0) {
      fsync(fd);
      close(fd);
    }
  }
  return unlinkat(at, name, 0);
}

/* Overwrites and removes everything in the editor's directory, and the
 * directory; what cannot be removed is noted in unclean. */
static void edit_cleanup(void) {
  if (edit_dir[0]) {
    char *slash = strrchr(edit_dir, '/');
    *slash = '\0';
    int parent = open(edit_dir[0] ? edit_dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    *slash = '/';
    if (parent < 0 || wipe_at(parent, slash + 1, 0) != 0)
      snprintf(unclean, sizeof unclean, "%s: %s", edit_dir, strerror(errno));
    if (parent >= 0)
      close(parent);
    edit_dir[0] = edit_path[0] = '\0';
  }
}

int cli_edit_finish(int rc) {
  if (!unclean[0])
    return rc;
  cli_fail("the editor's private directory could not be removed (%s): it may hold the "
           "entry's text; remove it yourself%s",
           unclean, rc == 0 ? " (the entry itself was stored)" : "");
  return 1;
}

static void on_fatal_signal(int sig) {
  edit_cleanup();
  signal(sig, SIG_DFL);
  raise(sig);
}

/* Lets the person write in their editor, starting from initial (given
 * to the editor ending in a line break, as a text file does). 0 with *ret
 * (malloc'd) holding what was written, white space at either end left
 * out ("" for an empty file), or with *ret NULL when the file came back
 * as it was; errors reported. */
int cli_edit_text(const char *initial, char **ret) {
  const char *base = edit_base();
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
  bool eol = il && initial[il - 1] != '\n';
  if (fd < 0 || (il && write(fd, initial, il) != (ssize_t)il) || (eol && write(fd, "\n", 1) != 1) ||
      close(fd) != 0) {
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
  *ret = NULL;
  if (s[lead] && n == same && memcmp(s, initial, n) == 0) {
    rv_buf_release(&text);
    return 0;
  }
  *ret = strdup(s + lead);
  rv_buf_release(&text);
  return *ret ? 0 : cli_fail("out of memory");
}
