/*
 * The revans program: parses the global options, finds the command in one
 * table gathered from the command files, parses its options, and runs it.
 * Exit status: 0 success, 1 failure (message on stderr), 2 usage error.
 */
#define _GNU_SOURCE /* the faulting instruction's address in ucontext_t (REG_RIP) */
#include "cli.h"
#include "revans/crypto.h"
#include "revans/node.h"
#include "revans/store.h"

#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static const cli_cmd_t *const tables[] = {
    cli_action_cmds, cli_bundle_cmds,   cli_contract_cmds, cli_export_cmds,
    cli_init_cmds,   cli_journal_cmds,  cli_log_cmds,      cli_meeting_cmds,
    cli_node_cmds,   cli_question_cmds, cli_set_cmds,
};

/* Global options: accepted before or after the command. */
static const cli_opt_t global_opts[] = {
    {"home", true},  {"json", false}, {"set", true}, {"passphrase-file", true},
    {"help", false}, {NULL, false},
};

/* The global options as a usage line shows them. */
static const char global_args[] = "[--home DIR] [--json] [--set NAME|ID] [--passphrase-file FILE]";

static const cli_opt_t *find_opt(const cli_opt_t *opts, const char *name) {
  for (; opts && opts->name; opts++)
    if (strcmp(opts->name, name) == 0)
      return opts;
  return NULL;
}

static const cli_cmd_t *find_cmd(const char *name) {
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    for (const cli_cmd_t *c = tables[t]; c->name; c++)
      if (strcmp(c->name, name) == 0)
        return c;
  return NULL;
}

static void print_usage_line(FILE *f, const cli_cmd_t *c) {
  fprintf(f, "  revans %s%s%s\n", c->name, c->args[0] ? " " : "", c->args);
}

/* Lists the commands whose name starts with prefix (all when NULL). */
static void list_cmds(FILE *f, const char *prefix) {
  size_t pn = prefix ? strlen(prefix) : 0;
  for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
    for (const cli_cmd_t *c = tables[t]; c->name; c++)
      if (!prefix || (strncmp(c->name, prefix, pn) == 0 && c->name[pn] == ' '))
        print_usage_line(f, c);
}

static void print_help(const cli_cmd_t *c) {
  printf("usage: revans %s%s%s\n\n%s\n\n", c->name, c->args[0] ? " " : "", c->args, c->help);
  printf("Global options: --home DIR, --json, --set NAME|ID, --passphrase-file FILE.\n");
}

static void print_main_help(void) {
  printf("usage: revans [--home DIR] [--json] COMMAND [ARGS]\n\n"
         "revans runs confidential action learning sets without a server: an\n"
         "encrypted, signed, append-only log per set on each member's machine.\n\n"
         "Commands:\n");
  list_cmds(stdout, NULL);
  printf("\n'revans COMMAND --help' describes one command; 'man revans' all of them (in a\n"
         "build not installed: 'man -l build/docs/revans.1').\n");
}

static void set_global(cli_t *c, const char *name, const char *value) {
  if (strcmp(name, "home") == 0)
    c->home_dir = value;
  else if (strcmp(name, "set") == 0)
    c->set_arg = value;
  else if (strcmp(name, "passphrase-file") == 0)
    c->passfile = value;
  else if (strcmp(name, "json") == 0)
    c->json = true;
}

/* Takes the option at argv[*i] (and its value), a global one or, once the
 * command is known, one of the command's. Returns 0 or 2 (usage). */
static int take_option(cli_t *c, int argc, char **argv, int *i, bool *help) {
  const char *a = argv[*i], *value = NULL;
  char name[64];
  if (a[1] == '-') {
    const char *eq = strchr(a + 2, '=');
    size_t n = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
    if (n == 0 || n >= sizeof name)
      return cli_usage(c, "unknown option '%s'", a);
    memcpy(name, a + 2, n);
    name[n] = '\0';
    value = eq ? eq + 1 : NULL;
  } else if (strcmp(a, "-h") == 0 || strcmp(a, "-n") == 0) {
    snprintf(name, sizeof name, "%s", a[1] == 'h' ? "help" : "n");
  } else {
    return cli_usage(c, "unknown option '%s'", a);
  }
  const cli_opt_t *o = find_opt(global_opts, name);
  bool global = o != NULL;
  if (!o)
    o = find_opt(c->cmd ? c->cmd->opts : NULL, name);
  if (!o)
    return cli_usage(c, "unknown option '%s'", a);
  if (o->has_arg && !value) {
    if (*i + 1 >= argc)
      return cli_usage(c, "option '--%s' needs a value", name);
    value = argv[++*i];
  } else if (!o->has_arg && value) {
    return cli_usage(c, "option '--%s' takes no value", name);
  }
  if (strcmp(name, "help") == 0) {
    *help = true;
  } else if (global) {
    set_global(c, o->name, value);
  } else {
    if (c->nopt == CLI_MAX_ARGS)
      return cli_usage(c, "too many options");
    c->opt[c->nopt].name = o->name;
    c->opt[c->nopt++].value = value;
  }
  return 0;
}

/* Parses argv[i..) against the command's options and the globals. */
static int parse_args(cli_t *c, int argc, char **argv, int i, bool *help) {
  bool only_pos = false;
  int r;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (only_pos || a[0] != '-' || a[1] == '\0') {
      if (c->npos == CLI_MAX_ARGS)
        return cli_usage(c, "too many arguments");
      c->pos[c->npos++] = a;
    } else if (strcmp(a, "--") == 0) {
      only_pos = true;
    } else if ((r = take_option(c, argc, argv, &i, help)) != 0) {
      return r;
    }
  }
  return 0;
}

/* argv[i] is no command: a family without its subcommand ("meeting"),
 * with one it does not have ("meeting frobnicate": the words typed are
 * named), or an unknown word. 0 when help was asked for, else 2. */
static int not_a_command(int argc, char **argv, int i, bool help) {
  bool family = false;
  size_t n = strlen(argv[i]);
  for (size_t t = 0; t < sizeof tables / sizeof tables[0] && !family; t++)
    for (const cli_cmd_t *e = tables[t]; e->name && !family; e++)
      family = strncmp(e->name, argv[i], n) == 0 && e->name[n] == ' ';
  if (!family)
    return cli_usage(NULL, "unknown command '%s' (see 'revans --help')", argv[i]);
  const char *next = i + 1 < argc ? argv[i + 1] : NULL;
  bool asked = help || (next && (strcmp(next, "--help") == 0 || strcmp(next, "-h") == 0));
  FILE *f = asked ? stdout : stderr;
  if (!asked && next && next[0] != '-')
    fprintf(stderr, "revans: unknown command '%s %s'\n", argv[i], next);
  else if (!asked)
    fprintf(stderr, "revans: '%s' needs a subcommand\n", argv[i]);
  fprintf(f, "usage:\n");
  list_cmds(f, argv[i]);
  return asked ? 0 : 2;
}

/* ---- a damaged store ------------------------------------------------------ */

/* LMDB reads the store through a memory map and trusts what it finds
 * there: the store's own checks (core/store.c) catch a damaged meta page
 * and LMDB reports many damaged pages, but not all. A read past the end of
 * a truncated file raises SIGBUS; a damaged page can lead LMDB to write
 * into the read-only map, or through a NULL pointer (a node flagged as
 * holding duplicates in a database that has none), which raises SIGSEGV.
 * The transaction under way has not been committed then: LMDB writes a
 * commit's meta page last, from memory of its own. The fault is reported
 * and the process ends with status 1. Any other SIGSEGV is no business of
 * the store's: the previous action (the default, or AddressSanitizer's,
 * which lets a program set its own) is put back and the instruction
 * faults again under it. (A fault in LMDB's code
 * is taken for damage: a revans bug that made LMDB fault would be reported
 * so too; the sanitizer build and tools/valgrind look for those.) */
static struct sigaction prev_segv;

/* Whether the line of /proc/self/maps "START-END PERMS OFFSET DEV INODE
 * PATH" maps addr from a file whose name starts with name. */
static bool maps_line_has(const char *line, uintptr_t addr, const char *name) {
  uintptr_t lo = 0, hi = 0;
  const char *p = line, *base;
  for (; *p && *p != '-'; p++)
    lo = lo << 4 | (uintptr_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
  for (p += *p == '-'; *p && *p != ' '; p++)
    hi = hi << 4 | (uintptr_t)(*p <= '9' ? *p - '0' : (*p | 0x20) - 'a' + 10);
  if (addr < lo || addr >= hi || !(base = strrchr(p, '/')))
    return false;
  return strncmp(base + 1, name, strlen(name)) == 0;
}

/* Whether addr lies in a mapping of a file whose name starts with name.
 * Only async-signal-safe calls: open, read, close. */
static bool mapped_from(uintptr_t addr, const char *name) {
  char buf[2048], line[512];
  size_t ln = 0;
  ssize_t n;
  bool found = false;
  int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return false;
  while (!found && (n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n && !found; i++) {
      if (buf[i] != '\n') {
        if (ln < sizeof line - 1)
          line[ln++] = buf[i];
        continue;
      }
      line[ln] = '\0';
      found = maps_line_has(line, addr, name);
      ln = 0;
    }
  close(fd);
  return found;
}

/* The faulting instruction, where this machine's ucontext_t is known. */
static uintptr_t fault_pc(const void *ctx) {
  const ucontext_t *uc = ctx;
#if defined(__x86_64__)
  return (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];
#elif defined(__aarch64__)
  return (uintptr_t)uc->uc_mcontext.pc;
#else
  (void)uc;
  return 0;
#endif
}

static void on_fault(int sig, siginfo_t *info, void *ctx) {
  static const char bus[] = "revans: the store is damaged (it is shorter than it says); "
                            "the change under way was not written\n";
  static const char segv[] = "revans: the store is damaged (LMDB met a page it cannot follow); "
                             "the change under way was not written\n";
  if (sig == SIGSEGV && !(info->si_code > 0 && (mapped_from((uintptr_t)info->si_addr, "data.mdb") ||
                                                mapped_from(fault_pc(ctx), "liblmdb.so")))) {
    sigaction(SIGSEGV, &prev_segv, NULL);
    if (info->si_code <= 0) /* sent, not a fault: it would not happen again */
      raise(SIGSEGV);
    return;
  }
  const char *msg = sig == SIGBUS ? bus : segv;
  if (write(STDERR_FILENO, msg, strlen(msg)) < 0) {
    /* nothing more can be done */
  }
  _exit(1);
}

/* LMDB's own checks of a damaged page (core/store.c). */
static void on_store_damage(const char *what) {
  fprintf(stderr,
          "revans: the store is damaged (LMDB: %.400s); the change under way was not"
          " written\n",
          what);
}

static void catch_faults(void) {
  rv_store_on_damage(on_store_damage);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fault;
  sa.sa_flags = SA_SIGINFO;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGBUS, &sa, NULL);
  sigaction(SIGSEGV, &sa, &prev_segv);
}

int main(int argc, char **argv) {
  cli_t c;
  bool help = false;
  int i = 1, r;
  memset(&c, 0, sizeof c);
  c.argv = argv;
  catch_faults();
  if (rv_crypto_init() < 0)
    return cli_fail("cannot initialise the cryptographic library");
  cli_take_passphrase();

  /* Global options may come before the command words. */
  for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
    if (strcmp(argv[i], "--version") == 0) {
#ifdef REVANS_HANDS_NETWORK_TO_NODE
      c.argv = argv; /* the network libraries' versions are revans-node's */
      return cli_hand_to_node(&c);
#else
      char deps[256];
      rv_net_versions(deps, sizeof deps);
      printf("revans %s (%s)\n", REVANS_VERSION, deps);
      return 0;
#endif
    }
    if (strcmp(argv[i], "--commands") == 0) { /* for the shell completions; not in --help */
      cli_list_commands(stdout, tables, sizeof tables / sizeof tables[0], global_opts, global_args);
      return fflush(stdout) == 0 ? 0 : 1;
    }
    if ((r = take_option(&c, argc, argv, &i, &help)) != 0)
      return r;
  }
  if (i >= argc) {
    if (help) {
      print_main_help();
      return 0;
    }
    return cli_usage(NULL, "a command is needed (see 'revans --help')");
  }
  /* The command: two words ("set create") or one ("init"). */
  char two[128];
  if (i + 1 < argc && snprintf(two, sizeof two, "%s %s", argv[i], argv[i + 1]) < (int)sizeof two &&
      (c.cmd = find_cmd(two)))
    i += 2;
  else if ((c.cmd = find_cmd(argv[i])))
    i += 1;
  else
    return not_a_command(argc, argv, i, help);
  if ((r = parse_args(&c, argc, argv, i, &help)) != 0)
    return r;
  if (c.home_dir && !c.home_dir[0])
    return cli_usage(&c, "--home needs a directory");
  if (help) {
    print_help(c.cmd);
    return 0;
  }
  r = c.cmd->run(&c);
  rv_home_close(&c.home);
  if (fflush(stdout) != 0 && r == 0)
    r = cli_fail("cannot write the output");
  return r;
}
