/*
 * Identity commands: init creates a person's home and sealed identity,
 * whoami shows it.
 */
#include "cli.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static jv_t *identity_json(cli_t *c) {
  char id[2 * RV_ID_LEN + 1];
  cli_hex(id, rv_home_self(c->home)->b, RV_ID_LEN);
  jv_t *o = jv_obj();
  jv_set(o, "name", jv_str(rv_home_name(c->home)));
  jv_set(o, "id", jv_str(id));
  /* What a guess at the passphrase costs: the stretch, and how long it
   * took on the machine that sealed the identity. */
  uint64_t ops, mem, ms;
  rv_home_pwhash_costs(c->home, &ops, &mem, &ms);
  char stretch[64];
  snprintf(stretch, sizeof stretch, "Argon2id, %llu MiB, %llu passes",
           (unsigned long long)(mem >> 20), (unsigned long long)ops);
  jv_set(o, "stretch", jv_str(stretch));
  jv_set(o, "unlock_ms", ms ? jv_int((int64_t)ms) : jv_null());
  return o;
}

static int run_init(cli_t *c) {
  const char *name = cli_opt(c, "name");
  char *pass;
  int r;
  if (!name)
    return cli_usage(c, "init needs --name NAME");
  if (cli_no_args(c))
    return 2;
  if (cli_check_text("the name", name, RV_NAME_MAX))
    return 1;
  if (cli_passphrase(c, true, &pass) != 0)
    return 1;
  const char *dir = cli_home_dir(c);
  r = rv_home_create(dir, name, pass, strlen(pass), 0, 0, &c->home);
  rv_secure_free(pass);
  if (r == RV_EEXIST)
    return cli_fail("'%s' already holds an identity", dir);
  if (r == RV_EUNSAFE)
    return cli_unsafe_home(dir);
  if (r < 0)
    return cli_error(r, "cannot create home '%s'", dir);
  jv_t *o = identity_json(c);
  jv_set(o, "home", jv_str(dir));
  return cli_emit(c, o);
}

static int run_whoami(cli_t *c) {
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, true))
    return 1;
  return cli_emit(c, identity_json(c));
}

/* passphrase change: the old passphrase as for any command, the new one
 * from --new-passphrase-file or the terminal; the stretch measured again. */
static int run_passphrase_change(cli_t *c) {
  char *pass;
  if (cli_no_args(c))
    return 2;
  /* The passphrase itself, not a running node's key: whoever changes it
   * must know it. */
  if (cli_open(c, false))
    return 1;
  if (cli_passphrase(c, false, &pass) != 0)
    return 1;
  int r = rv_home_unlock(c->home, pass, strlen(pass));
  rv_secure_free(pass);
  if (r < 0)
    return cli_error(r, "cannot unlock '%s'", rv_home_dir(c->home));
  if (cli_new_passphrase(cli_opt(c, "new-passphrase-file"), &pass) != 0)
    return 1;
  r = rv_home_passphrase_change(c->home, pass, strlen(pass), 0, 0);
  rv_secure_free(pass);
  if (r < 0)
    return cli_error(r, "the passphrase is unchanged");
  jv_t *o = identity_json(c);
  jv_set(o, "changed", jv_bool(true));
  return cli_emit(c, o);
}

static const cli_opt_t init_opts[] = {{"name", true}, {NULL, false}};
static const cli_opt_t change_opts[] = {{"new-passphrase-file", true}, {NULL, false}};

const cli_cmd_t cli_init_cmds[] = {
    {"init", "--name NAME",
     "Creates this person's home and identity: an Ed25519 key pair (the member id) and a local "
     "key, sealed under the passphrase with Argon2id at costs measured to take about a second "
     "on this machine. The name is stored encrypted.",
     init_opts, run_init},
    {"whoami", "",
     "Shows this person's name and member id, the passphrase's stretch (Argon2id costs) and how "
     "long it took when the identity was sealed.",
     NULL, run_whoami},
    {"passphrase change", "[--new-passphrase-file FILE]",
     "Seals the identity under a new passphrase (asked twice at the terminal, or the first line "
     "of FILE), with a new salt and a stretch measured again to take about a second here. The old "
     "passphrase is needed, as for any command; a running node must be restarted to unlock "
     "commands again.",
     change_opts, run_passphrase_change},
    {NULL, NULL, NULL, NULL, NULL},
};
