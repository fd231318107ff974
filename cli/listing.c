/*
 * The command table as data, for the shell completions built from it
 * (completions/generate.py): `revans --commands`, not listed in --help,
 * prints one line per command, "NAME<TAB>OPTIONS<TAB>POSITIONAL", after a
 * first line for the global options with an empty NAME. OPTIONS are
 * separated by spaces: "--flag", "--opt=" for one that takes a value,
 * "--opt=a|b|c" when its usage names the values, "--opt=:file" or
 * "--opt=:dir" when it names a FILE or a DIR; a one-letter option is
 * written "-n". POSITIONAL is "file" when the command takes a file among
 * its arguments, else empty. All of it is read from the usage strings and
 * option lists of the tables, so that the completions never drift from
 * the commands.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>

/* The end of the usage token starting at p: a space, a bracket, or the
 * end of the string. */
static size_t token_len(const char *p) {
  size_t n = 0;
  while (p[n] && p[n] != ' ' && p[n] != ']' && p[n] != '[')
    n++;
  return n;
}

/* What the usage says option name takes (the token after "--name "), as a
 * listing value: ":file", ":dir", the alternatives, or nothing. */
static void print_value(FILE *f, const char *args, const char *name) {
  char want[80];
  snprintf(want, sizeof want, "%s%s ", name[1] ? "--" : "-", name);
  const char *at = strstr(args, want);
  if (!at)
    return;
  const char *tok = at + strlen(want);
  size_t n = token_len(tok);
  if (n >= 4 && memcmp(tok + n - 4, "FILE", 4) == 0) {
    fputs(":file", f);
    return;
  }
  if (n == 3 && memcmp(tok, "DIR", 3) == 0) {
    fputs(":dir", f);
    return;
  }
  if (n == 0 || strspn(tok, "abcdefghijklmnopqrstuvwxyz-|") < n)
    return;
  fprintf(f, "%.*s", (int)n, tok);
}

static void print_opts(FILE *f, const cli_opt_t *opts, const char *args) {
  for (size_t i = 0; opts && opts[i].name; i++) {
    const char *name = opts[i].name;
    fprintf(f, "%s%s%s", i ? " " : "", name[1] ? "--" : "-", name);
    if (opts[i].has_arg) {
      fputc('=', f);
      print_value(f, args, name);
    }
  }
}

/* Whether one of the command's positional arguments is a file: a token
 * naming FILE that is not an option's value. */
static bool takes_file(const char *args) {
  const char *p = args;
  bool value_next = false;
  while (*p) {
    size_t n = token_len(p);
    if (n == 0) {
      p++;
      continue;
    }
    bool is_opt = p[0] == '-';
    bool file = false;
    for (size_t i = 0; i + 4 <= n && !file; i++)
      file = memcmp(p + i, "FILE", 4) == 0;
    if (file && !value_next && !is_opt)
      return true;
    /* An option followed by a word in capitals, quotes or alternatives
     * takes that word as its value. */
    value_next = is_opt && p[n] == ' ' && p[n + 1] != '-' && p[n + 1] != '[';
    p += n;
  }
  return false;
}

void cli_list_commands(FILE *f, const cli_cmd_t *const *tables, size_t ntables,
                       const cli_opt_t *globals, const char *global_args) {
  fputc('\t', f);
  print_opts(f, globals, global_args);
  fputs("\t\n", f);
  for (size_t t = 0; t < ntables; t++)
    for (const cli_cmd_t *c = tables[t]; c->name; c++) {
      fprintf(f, "%s\t", c->name);
      print_opts(f, c->opts, c->args);
      fprintf(f, "\t%s\n", takes_file(c->args) ? "file" : "");
    }
}
