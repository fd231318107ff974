/*
 * Identity commands: init creates a person's home and sealed identity,
 * whoami shows it.
 */
#include "cli.h"
#include "revans/crypto.h"
#include "revans/error.h"

#include <stdlib.h>
#include <string.h>

static jv_t *identity_json(cli_t *c) {
  char id[2 * RV_ID_LEN + 1];
  cli_hex(id, rv_home_self(c->home)->b, RV_ID_LEN);
  jv_t *o = jv_obj();
  jv_set(o, "name", jv_str(rv_home_name(c->home)));
  jv_set(o, "id", jv_str(id));
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

static const cli_opt_t init_opts[] = {{"name", true}, {NULL, false}};

const cli_cmd_t cli_init_cmds[] = {
    {"init", "--name NAME",
     "Creates this person's home and identity: an Ed25519 key pair (the member id) and a local "
     "key, sealed under the passphrase with Argon2id. The name is stored encrypted.",
     init_opts, run_init},
    {"whoami", "", "Shows this person's name and member id.", NULL, run_whoami},
    {NULL, NULL, NULL, NULL, NULL},
};
