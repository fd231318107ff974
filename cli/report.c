/*
 * How the revans program reports a failure: one line on stderr in git's
 * lowercase style ("revans: cannot open set 'x': not found"), and the
 * exit status that goes with it. Every command file and main.c report
 * through these, and they call nothing of the program's own.
 */
#include "cli.h"
#include "revans/error.h"

#include <stdarg.h>
#include <stdio.h>

static void say(const char *fmt, va_list ap) {
  fputs("revans: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
}

int cli_fail(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  say(fmt, ap);
  va_end(ap);
  return 1;
}

int cli_usage(const cli_t *c, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  say(fmt, ap);
  va_end(ap);
  if (c && c->cmd)
    fprintf(stderr, "usage: revans %s%s%s\n", c->cmd->name, c->cmd->args[0] ? " " : "",
            c->cmd->args);
  return 2;
}

int cli_error(int code, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("revans: ", stderr);
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, ": %s\n", rv_strerror(code));
  va_end(ap);
  return 1;
}
