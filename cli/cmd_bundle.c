/*
 * The bundle family: every record this home holds, written to one file for
 * a USB stick, and applied on another machine. Applying is all or nothing.
 */
#include "cli.h"
#include "revans/bundle.h"
#include "revans/error.h"

#include <stdio.h>

static int run_create(cli_t *c) {
  const char *out = cli_opt(c, "out");
  rv_buf_t file;
  size_t count = 0;
  int r;
  if (cli_no_args(c))
    return 2;
  if (!out)
    return cli_usage(c, "bundle create needs --out FILE");
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  rv_buf_init(&file);
  if ((r = rv_bundle_create(c->home, &file, &count)) < 0) {
    rv_buf_release_public(&file);
    return cli_error(r, "cannot make the bundle");
  }
  r = cli_write_file(c, out, file.data, file.len);
  size_t bytes = file.len;
  rv_buf_release_public(&file);
  if (r)
    return 1;
  jv_t *o = jv_obj();
  jv_set(o, "file", jv_str(out));
  jv_set(o, "records", jv_int((int64_t)count));
  jv_set(o, "bytes", jv_int((int64_t)bytes));
  return cli_emit(c, o);
}

static int run_apply(cli_t *c) {
  rv_buf_t file;
  rv_ingest_report_t rep;
  int r;
  if (c->npos != 1)
    return cli_usage(c, c->npos ? "unexpected argument '%s'" : "bundle apply needs FILE%s",
                     c->npos ? c->pos[1] : "");
  rv_buf_init(&file);
  if (cli_read_file(c->pos[0], RV_BUNDLE_MAX, &file))
    return 1;
  if (cli_open(c, true) || cli_begin(c, true)) {
    rv_buf_release_public(&file);
    return 1;
  }
  r = rv_bundle_apply(c->home, file.data, file.len, &rep);
  rv_buf_release_public(&file);
  if (r < 0) {
    rv_home_abort(c->home);
    switch (r) {
    case RV_EFORMAT:
      return cli_fail("'%s' is not a revans bundle, or it is truncated or altered: nothing was "
                      "applied",
                      c->pos[0]);
    case RV_EFOREIGN:
      return cli_fail("'%s' holds no record of a set you belong to: nothing was applied",
                      c->pos[0]);
    case RV_EAUTH:
    case RV_ECHAIN:
      return cli_error(r, "'%s' holds a record that fails verification: nothing was applied",
                       c->pos[0]);
    default: return cli_error(r, "cannot apply '%s': nothing was applied", c->pos[0]);
    }
  }
  if (cli_commit(c))
    return 1;
  if (rep.forks)
    fprintf(stderr,
            "revans: warning: %zu record%s conflict with records held here (a fork): "
            "their author's records from that point on are kept out of the set's state "
            "(see 'revans verify')\n",
            rep.forks, rep.forks == 1 ? "" : "s");
  jv_t *o = jv_obj();
  jv_set(o, "received", jv_int((int64_t)rep.received));
  jv_set(o, "added", jv_int((int64_t)rep.added));
  jv_set(o, "duplicates", jv_int((int64_t)rep.duplicates));
  jv_set(o, "forks", jv_int((int64_t)rep.forks));
  jv_set(o, "foreign", jv_int((int64_t)rep.foreign));
  jv_set(o, "unreadable", jv_int((int64_t)rep.unreadable));
  return cli_emit(c, o);
}

static const cli_opt_t create_opts[] = {{"out", true}, {NULL, false}};

const cli_cmd_t cli_bundle_cmds[] = {
    {"bundle apply", "FILE",
     "Verifies a bundle and stores the records it holds that are missing here, all or nothing: "
     "a truncated, altered, foreign or garbage bundle is refused and changes nothing.",
     NULL, run_apply},
    {"bundle create", "--out FILE",
     "Writes every record of every set you hold to FILE, for carrying to another member's "
     "machine. Records stay encrypted; the file reveals set ids, member ids and times.",
     create_opts, run_create},
    {NULL, NULL, NULL, NULL, NULL},
};
