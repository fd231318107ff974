/*
 * What every command file of the revans program shares: the parsed
 * invocation, the command table entry, output and error helpers, and the
 * steps most commands take (open and unlock the home, pick the set).
 */
#ifndef REVANS_CLI_H
#define REVANS_CLI_H

#include "revans/body.h"
#include "revans/fold.h"
#include "revans/home.h"
#include "revans/types.h"
#include "json.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CLI_MAX_ARGS 64

/* An option a command accepts. */
typedef struct cli_opt {
  const char *name; /* long name without dashes; "n" is also -n */
  bool has_arg;
} cli_opt_t;

typedef struct cli_cmd cli_cmd_t;

typedef struct cli {
  const cli_cmd_t *cmd;
  const char *home_dir;
  const char *set_arg;
  const char *passfile;
  bool json;
  /* positional arguments after the command words */
  const char *pos[CLI_MAX_ARGS];
  size_t npos;
  /* command options in the order given */
  struct {
    const char *name;
    const char *value; /* NULL for a flag */
  } opt[CLI_MAX_ARGS];
  size_t nopt;
  rv_home_t *home;
  char **argv; /* as the program was run: handed on to revans-node */
} cli_t;

struct cli_cmd {
  const char *name; /* "set create" */
  const char *args; /* "NAME [--topic TEXT]" */
  const char *help; /* one paragraph */
  const cli_opt_t *opts;
  int (*run)(cli_t *c);
};

/* Command tables, one per file. */
extern const cli_cmd_t cli_init_cmds[];
extern const cli_cmd_t cli_set_cmds[];
extern const cli_cmd_t cli_contract_cmds[];
extern const cli_cmd_t cli_meeting_cmds[];
extern const cli_cmd_t cli_question_cmds[];
extern const cli_cmd_t cli_action_cmds[];
extern const cli_cmd_t cli_export_cmds[];
extern const cli_cmd_t cli_journal_cmds[];
extern const cli_cmd_t cli_bundle_cmds[];
extern const cli_cmd_t cli_log_cmds[];
extern const cli_cmd_t cli_node_cmds[];

/* In the revans program, the commands that need the network (node, sync,
 * set join CODE) are run by revans-node, beside it: this replaces the
 * process with it, same arguments. Returns only on failure (1). */
int cli_hand_to_node(const cli_t *c);

/* Prints the command tables as data for the shell completions
 * (`revans --commands`; the format is described in listing.c). */
void cli_list_commands(FILE *f, const cli_cmd_t *const *tables, size_t ntables,
                       const cli_opt_t *globals, const char *global_args);

/* The value of option name (the last one given), or NULL. */
const char *cli_opt(const cli_t *c, const char *name);
bool cli_flag(const cli_t *c, const char *name);

/* 0 when the command was given no positional argument, else the usage
 * error (2). */
int cli_no_args(const cli_t *c);

/* Prints "revans: MSG" to stderr; returns 1. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Prints "revans: MSG" and the command's usage to stderr; returns 2. */
int cli_usage(const cli_t *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Reports a core error once: "revans: WHAT: ERROR"; returns 1. */
int cli_error(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The home directory: --home, $REVANS_HOME, $XDG_DATA_HOME/revans, or
 * ~/.local/share/revans. */
const char *cli_home_dir(cli_t *c);
/* Reports a home directory another user could change (RV_EUNSAFE): exit 1. */
int cli_unsafe_home(const char *dir);
/* Opens the home (and unlocks it when unlock is set). Errors reported. */
int cli_open(cli_t *c, bool unlock);
/* Reads the passphrase (environment, --passphrase-file, or the terminal
 * without echo; confirm asks twice) into guarded memory; the caller
 * releases it with rv_secure_free(), which wipes it. */
int cli_passphrase(const cli_t *c, bool confirm, char **ret);
/* Takes REVANS_PASSPHRASE out of the environment before anything else
 * runs (wiping its bytes), for cli_passphrase to use; revans-node takes it
 * from the pipe revans hands it through (REVANS_PASSPHRASE_FD). */
void cli_take_passphrase(void);
/* editor.c: lets the person write in $VISUAL / $EDITOR / vi, starting
 * from initial. 0 with *ret (malloc'd) holding what was written, white
 * space at either end left out ("" for an empty file), or *ret NULL when
 * the file came back as it was; errors reported. */
int cli_edit_text(const char *initial, char **ret);
/* A command that ran the editor returns through this: rc, or 1 (said why)
 * when the editor's private directory could not be removed. */
int cli_edit_finish(int rc);
/* The new passphrase of `passphrase change`: from the first line of file
 * when given, else asked for twice at the terminal. */
int cli_new_passphrase(const char *file, char **ret);
/* Resolves --set, else the default set. Errors reported. */
int cli_pick_set(cli_t *c, rv_set_id_t *ret);
/* Begins a transaction; on failure reports it. */
int cli_begin(cli_t *c, bool write);
/* Commits; on failure reports it (nothing was stored). */
int cli_commit(cli_t *c);

/* Opens and unlocks the home, begins a transaction, picks the set and
 * reads its state (borrowed until the transaction ends). Errors reported. */
int cli_set_state(cli_t *c, bool write, rv_set_id_t *set, const rv_state_t **st);
/* Appends body as this person's next record in set, then commits. When the
 * fold would ignore it, prints "revans: WHY" and stores nothing. 0 or 1. */
int cli_write(cli_t *c, const rv_set_id_t *set, const rv_body_t *b);

/* Makes what a command shows of the set after writing to it, from the
 * state as it now is (borrowed until the transaction ends) and the
 * command's own arg; NULL when what was written cannot be found. */
typedef jv_t *(*cli_show_fn)(const rv_state_t *s, const void *arg);
/* The write-then-show of the commands that change a set: appends b as
 * cli_write() does, reads the set again and emits show(state, arg). 0, or
 * 1 after a message ("revans: cannot read WHAT" when the set or what show
 * looks for cannot be read). */
int cli_write_and_show(cli_t *c, const rv_set_id_t *set, const rv_body_t *b, cli_show_fn show,
                       const void *arg, const char *what);

/* A member as people see them: their name, else the short id. */
const char *cli_member_label(const rv_state_t *s, const rv_member_id_t *id,
                             char buf[2 * RV_ID_LEN + 1]);
/* An object id in hex (2 * RV_OID_LEN + 1 bytes). */
void cli_oid(char *out, const rv_oid_t *id);
/* "YYYY-MM-DD HH:MM" in the local time zone, to ms since the epoch (UTC):
 * 0, or -1 for text not in that form, a day not in the calendar (30
 * February) or a time before 1970; *ret_ms untouched on failure. */
int cli_parse_datetime(const char *s, uint64_t *ret_ms);
/* "YYYY-MM-DD" to days since 1970-01-01 (0 or -1, as cli_parse_datetime),
 * and back (out: 11 bytes). */
int cli_parse_date(const char *s, uint64_t *ret_day);
void cli_date(char *out, uint64_t day);
/* Parses a whole decimal number in [min, max]. */
int cli_parse_uint(const char *s, uint64_t min, uint64_t max, uint64_t *ret);

/* The contract and an action as JSON (cmd_contract.c, action_view.c):
 * shared with meeting start and the export. */
jv_t *cli_contract_json(const rv_state_t *s);
jv_t *cli_action_json(const rv_state_t *s, const rv_action_t *a);
/* The meeting to act on: named by an id prefix, else the running one; with
 * scheduled_ok, else the next scheduled one. Errors reported. */
int cli_pick_meeting(const rv_state_t *s, const char *arg, bool scheduled_ok, rv_meeting_t **ret);

/* Today on this machine's calendar, as due dates are written: days since
 * 1970-01-01 in local time. An action is overdue when it is due before
 * today and neither done nor dropped. */
uint64_t cli_today(void);
bool cli_action_overdue(const rv_action_t *a, uint64_t today);
/* An action on one line as people read it (action list, the report-in
 * of meeting start): {id, owner, text, due (YYYY-MM-DD or null), overdue,
 * status, meeting_date (YYYY-MM-DD), latest_report ("YYYY-MM-DD
 * STATUS: NOTE", or null)}. */
jv_t *cli_action_row(const rv_state_t *s, const rv_action_t *a, uint64_t today);

/* Reads a whole file (at most max bytes). Errors reported. */
int cli_read_file(const char *path, size_t max, rv_buf_t *out);
/* Writes a file atomically with mode 0600 (temporary file, fsync, rename,
 * fsync of the directory), never inside the home. Errors reported. In two
 * steps for a file that must not appear unless a transaction commits:
 * stage (tmp receives the temporary name, cap bytes), then publish or
 * discard. */
int cli_write_file(cli_t *c, const char *path, const void *p, size_t n);
int cli_stage_file(cli_t *c, const char *path, const void *p, size_t n, char *tmp, size_t cap);
int cli_publish_file(const char *tmp, const char *path);
void cli_discard_file(const char *tmp);

/* Refuses an empty text or one longer than max bytes, with a message. */
int cli_check_text(const char *what, const char *s, size_t max);

/* Lowercase hex id, and the 12-character short form shown to people. */
void cli_hex(char *out, const void *bin, size_t n);
#define CLI_SHORT 12
/* ISO 8601 UTC time of a millisecond timestamp, into out[32]; and the
 * same as people read it, "YYYY-MM-DD HH:MM" in the local time zone. */
void cli_time(char *out, uint64_t ms);
void cli_local_time(char *out, uint64_t ms);

/* Emits v (one JSON document with --json, else a human rendering) and
 * frees it. Returns 0. */
int cli_emit(const cli_t *c, jv_t *v);

#endif
