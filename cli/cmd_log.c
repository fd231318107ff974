/*
 * The log family: log (a set's records, newest first), verify (every
 * signature, chain link and key of the whole store) and state-hash (the
 * hash of a set's folded state, equal on every member's machine that holds
 * the same records).
 */
#include "cli.h"
#include "revans/error.h"
#include "revans/fold.h"
#include "revans/log.h"
#include "revans/set.h"

#include <stdlib.h>
#include <string.h>

typedef struct log_ctx {
  const rv_state_t *state;
  jv_t *arr;
} log_ctx_t;

static int log_row(void *ctx, const rv_header_t *hd, const rv_body_t *b) {
  log_ctx_t *l = ctx;
  char author[2 * RV_ID_LEN + 1], t[32];
  const rv_member_t *m = rv_state_member(l->state, &hd->author);
  cli_hex(author, hd->author.b, RV_ID_LEN);
  cli_time(t, hd->time_ms);
  jv_t *o = jv_obj();
  jv_set(o, "seq", jv_int((int64_t)hd->seq));
  if (!(m && m->name))
    author[CLI_SHORT] = '\0';
  jv_set(o, "author", jv_str(m && m->name ? m->name : author));
  jv_set(o, "type", jv_str(b ? rv_body_type_name(b->type) : "(encrypted)"));
  jv_set(o, "time", jv_str(t));
  jv_set(o, "lamport", jv_int((int64_t)hd->lamport));
  jv_push(l->arr, o);
  return 0;
}

static int run_log(cli_t *c) {
  const char *n = cli_opt(c, "n");
  rv_set_id_t id;
  log_ctx_t l = {0};
  size_t limit = 0;
  int r;
  if (cli_no_args(c))
    return 2;
  if (n) {
    char *end;
    unsigned long v = strtoul(n, &end, 10);
    if (!*n || *end || n[0] == '-' || v == 0)
      return cli_usage(c, "-n needs a positive number");
    limit = v;
  }
  if (cli_open(c, true) || cli_begin(c, false) || cli_pick_set(c, &id))
    return 1;
  if ((r = rv_set_state(c->home, &id, &l.state)) < 0)
    return cli_error(r, "cannot read the set");
  l.arr = jv_arr();
  if ((r = rv_log_each(c->home, &id, true, limit, log_row, &l)) < 0) {
    jv_free(l.arr);
    return cli_error(r, "cannot read the log");
  }
  return cli_emit(c, l.arr);
}

typedef struct fault_ctx {
  const cli_t *c;
  jv_t *arr;
} fault_ctx_t;

static void on_fault(void *ctx, const rv_fault_t *f) {
  fault_ctx_t *fc = ctx;
  char set[2 * RV_SETID_LEN + 1], author[2 * RV_ID_LEN + 1];
  cli_hex(set, f->set.b, RV_SETID_LEN);
  cli_hex(author, f->author.b, RV_ID_LEN);
  if (!fc->c->json)
    fprintf(stderr, "revans: set %.12s, author %.12s, record %llu: %s\n", set, author,
            (unsigned long long)f->seq, f->what);
  jv_t *o = jv_obj();
  jv_set(o, "set", jv_str(set));
  jv_set(o, "author", jv_str(author));
  jv_set(o, "seq", jv_int((int64_t)f->seq));
  jv_set(o, "error", jv_str(f->what));
  jv_push(fc->arr, o);
}

static int run_verify(cli_t *c) {
  rv_verify_report_t rep;
  fault_ctx_t fc = {.c = c};
  int r;
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  fc.arr = jv_arr();
  if ((r = rv_log_verify(c->home, on_fault, &fc, &rep)) < 0) {
    jv_free(fc.arr);
    return cli_error(r, "cannot verify the store");
  }
  jv_t *o = jv_obj();
  jv_set(o, "ok", jv_bool(rep.faults == 0));
  jv_set(o, "sets", jv_int((int64_t)rep.sets));
  jv_set(o, "records", jv_int((int64_t)rep.records));
  jv_set(o, "forks", jv_int((int64_t)rep.forks));
  if (c->json || rep.vouched) /* rare: said on a terminal only when there are some */
    jv_set(o, "vouched", jv_int((int64_t)rep.vouched));
  if (c->json)
    jv_set(o, "faults", fc.arr);
  else
    jv_free(fc.arr);
  cli_emit(c, o);
  if (rep.faults)
    return cli_fail("%zu fault%s found", rep.faults, rep.faults == 1 ? "" : "s");
  return 0;
}

static int run_state_hash(cli_t *c) {
  rv_set_id_t id;
  const rv_state_t *s;
  rv_hash_t hash;
  char hex[2 * RV_HASH_LEN + 1];
  int r;
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, true) || cli_begin(c, false) || cli_pick_set(c, &id))
    return 1;
  if ((r = rv_set_state(c->home, &id, &s)) < 0)
    return cli_error(r, "cannot read the set");
  if ((r = rv_set_state_hash(c->home, s, &hash)) < 0)
    return cli_error(r, "cannot hash the state");
  cli_hex(hex, hash.b, RV_HASH_LEN);
  if (!c->json) {
    printf("%s\n", hex);
    return 0;
  }
  return cli_emit(c, jv_set(jv_obj(), "state_hash", jv_str(hex)));
}

static const cli_opt_t log_opts[] = {{"n", true}, {NULL, false}};

const cli_cmd_t cli_log_cmds[] = {
    {"log", "[-n N]",
     "Lists the set's records, newest first: sequence, author, type, time (UTC) and Lamport "
     "clock. Bodies are opened where this home holds the key.",
     log_opts, run_log},
    {"state-hash", "",
     "Prints one line: the hash of the set's folded state. Members holding the same records get "
     "the same hash, whatever order the records arrived in.",
     NULL, run_state_hash},
    {"verify", "",
     "Checks every record of every set: signature, hash chain, key epoch, that its body opens, "
     "and the indexes. Exits 1 on any fault and lists each one.",
     NULL, run_verify},
    {NULL, NULL, NULL, NULL, NULL},
};
