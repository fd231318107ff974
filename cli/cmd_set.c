/*
 * The set family: create, list, show, use, members, invite (offline, to a
 * file sealed for one member), join, and remove (which starts a new key
 * epoch for the members who remain).
 */
#include "cli.h"
#include "revans/node.h"
#include "revans/bundle.h"
#include "revans/error.h"
#include "revans/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <strings.h>

/* A removed member is listed with the role "removed". */
static jv_t *member_json(const rv_member_t *m, bool removed) {
  char id[2 * RV_ID_LEN + 1];
  cli_hex(id, m->id.b, RV_ID_LEN);
  jv_t *o = jv_obj();
  jv_set(o, "id", jv_str(id));
  jv_set(o, "name", jv_str(m->name));
  jv_set(o, "role", jv_str(removed ? "removed" : rv_role_name(m->role)));
  jv_set(o, "joined", jv_bool(m->joined));
  return o;
}

/* This person's role as commands show it: "removed" once removed. */
static const char *my_role(cli_t *c, const rv_state_t *s) {
  const rv_member_t *me = rv_state_member(s, rv_home_self(c->home));
  if (!me && rv_state_removed(s, rv_home_self(c->home)))
    return "removed";
  return rv_role_name(me ? me->role : RV_ROLE_NONE);
}

static jv_t *set_brief(const rv_set_id_t *id, const rv_state_t *s) {
  char hex[2 * RV_SETID_LEN + 1];
  cli_hex(hex, id->b, RV_SETID_LEN);
  jv_t *o = jv_obj();
  jv_set(o, "id", jv_str(hex));
  jv_set(o, "name", jv_str(s->name));
  return o;
}

static int want_args(cli_t *c, size_t want) {
  if (c->npos > want)
    return cli_usage(c, "unexpected argument '%s'", c->pos[want]);
  if (c->npos < want)
    return cli_usage(c, "missing argument");
  return 0;
}

static int run_create(cli_t *c) {
  const char *topic = cli_opt(c, "topic");
  rv_set_id_t id;
  const rv_state_t *s;
  int r;
  if (want_args(c, 1))
    return 2;
  if (cli_check_text("the set's name", c->pos[0], RV_NAME_MAX))
    return 1;
  if (topic && strlen(topic) > RV_TEXT_MAX)
    return cli_fail("the topic is longer than %d bytes", RV_TEXT_MAX);
  if (cli_open(c, true) || cli_begin(c, true))
    return 1;
  if (rv_set_find_name(c->home, c->pos[0], &id) == 0)
    return cli_fail("a set named '%s' is already here", c->pos[0]);
  if ((r = rv_set_create(c->home, c->pos[0], topic, &id)) < 0)
    return cli_error(r, "cannot create set '%s'", c->pos[0]);
  if ((r = rv_set_state(c->home, &id, &s)) < 0)
    return cli_error(r, "cannot read the new set");
  jv_t *o = set_brief(&id, s);
  if (cli_commit(c)) {
    jv_free(o);
    return 1;
  }
  return cli_emit(c, o);
}

static int run_list(cli_t *c) {
  rv_set_id_t *sets = NULL, def;
  size_t n = 0;
  int r;
  if (want_args(c, 0))
    return 2;
  if (cli_open(c, true) || cli_begin(c, false))
    return 1;
  if ((r = rv_set_list(c->home, &sets, &n)) < 0)
    return cli_error(r, "cannot list sets");
  bool has_def = rv_set_default(c->home, &def) == 0;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    const rv_state_t *s;
    if ((r = rv_set_state(c->home, &sets[i], &s)) < 0) {
      free(sets);
      jv_free(a);
      return cli_error(r, "cannot read a set");
    }
    jv_t *o = set_brief(&sets[i], s);
    jv_set(o, "role", jv_str(my_role(c, s)));
    jv_set(o, "members", jv_int((int64_t)s->nmembers));
    jv_set(o, "current", jv_bool(has_def && memcmp(def.b, sets[i].b, RV_SETID_LEN) == 0));
    jv_push(a, o);
  }
  free(sets);
  return cli_emit(c, a);
}

static int run_show(cli_t *c) {
  rv_set_id_t id;
  const rv_state_t *s;
  char t[32];
  if (c->npos > 1)
    return cli_usage(c, "unexpected argument '%s'", c->pos[1]);
  if (c->npos == 1)
    c->set_arg = c->pos[0];
  if (cli_set_state(c, false, &id, &s))
    return 1;
  jv_t *o = set_brief(&id, s), *fac = jv_arr();
  cli_time(t, s->created_ms);
  jv_set(o, "topic", jv_str(s->topic));
  jv_set(o, "created", jv_str(t));
  jv_set(o, "role", jv_str(my_role(c, s)));
  jv_set(o, "members", jv_int((int64_t)s->nmembers));
  for (size_t i = 0; i < s->nmembers; i++)
    if (s->members[i].role == RV_ROLE_FACILITATOR)
      jv_push(fac, jv_str(s->members[i].name));
  jv_set(o, "facilitators", fac);
  jv_set(o, "epoch", jv_int(s->epoch));
  jv_set(o, "records", jv_int((int64_t)(s->folded + s->ignored)));
  return cli_emit(c, o);
}

static int run_use(cli_t *c) {
  rv_set_id_t id;
  const rv_state_t *s;
  int r;
  if (want_args(c, 1))
    return 2;
  c->set_arg = c->pos[0];
  if (cli_set_state(c, true, &id, &s))
    return 1;
  if ((r = rv_set_use(c->home, &id)) < 0)
    return cli_error(r, "cannot choose set '%s'", c->pos[0]);
  jv_t *o = set_brief(&id, s);
  if (cli_commit(c)) {
    jv_free(o);
    return 1;
  }
  return cli_emit(c, o);
}

static int run_members(cli_t *c) {
  rv_set_id_t id;
  const rv_state_t *s;
  if (want_args(c, 0))
    return 2;
  if (cli_set_state(c, false, &id, &s))
    return 1;
  jv_t *a = jv_arr();
  for (size_t i = 0; i < s->nmembers; i++)
    jv_push(a, member_json(&s->members[i], false));
  for (size_t i = 0; i < s->nremoved; i++)
    jv_push(a, member_json(&s->removed[i], true));
  return cli_emit(c, a);
}

/* An invitation code from the running node: one use, 15 minutes. */
static int invite_code(cli_t *c, enum rv_role role) {
  rv_set_id_t id;
  const rv_state_t *s;
  char code[RV_INVITE_CODE_MAX], why[200], hex[2 * RV_SETID_LEN + 1];
  if (cli_set_state(c, false, &id, &s))
    return 1;
  /* Said before the node is asked: a member is told what they may not do
   * rather than how to start a node that would refuse them anyway. */
  const rv_member_t *me = rv_state_member(s, rv_home_self(c->home));
  bool facilitator = me && me->role == RV_ROLE_FACILITATOR;
  rv_home_abort(c->home);
  if (!facilitator)
    return cli_fail("only a facilitator can invite");
  int r = rv_agent_invite(rv_home_dir(c->home), &id, (int)role, code, why, sizeof why);
  if (r == RV_ENOTFOUND)
    return cli_fail("invitation codes come from a running node: start 'revans node' first "
                    "(or invite offline with --for MEMBER-ID --out FILE)");
  if (r < 0)
    return cli_fail("no invitation: %s", why);
  jv_t *o = jv_obj();
  rv_hex(hex, id.b, RV_SETID_LEN);
  jv_set(o, "code", jv_str(code));
  jv_set(o, "set", jv_str(hex));
  jv_set(o, "role", jv_str(rv_role_name(role)));
  jv_set(o, "expires_in_minutes", jv_int(RV_INVITE_TTL_S / 60));
  return cli_emit(c, o);
}

static int run_invite(cli_t *c) {
  const char *who_hex = cli_opt(c, "for"), *out = cli_opt(c, "out");
  const char *role_s = cli_opt(c, "role");
  enum rv_role role = role_s ? rv_role_parse(role_s) : RV_ROLE_MEMBER;
  rv_member_id_t who;
  rv_set_id_t id;
  const rv_state_t *s;
  rv_buf_t file;
  int r;
  if (want_args(c, 0))
    return 2;
  if (role == RV_ROLE_NONE)
    return cli_usage(c, "--role must be 'member' or 'facilitator'");
  if (!who_hex && !out)
    return invite_code(c, role);
  if (!who_hex || !out)
    return cli_usage(c, "an offline invite needs both --for MEMBER-ID and --out FILE");
  if (rv_unhex(who.b, RV_ID_LEN, who_hex) < 0)
    return cli_fail("'%s' is not a member id: ask the person for the id 'revans whoami' shows",
                    who_hex);
  if (cli_set_state(c, true, &id, &s))
    return 1;
  if (rv_state_removed(s, &who))
    return cli_fail("that member was removed from the set and cannot be invited again");
  rv_buf_init(&file);
  r = rv_set_invite(c->home, &id, &who, role, &file);
  if (r == RV_EPERM) {
    rv_buf_release(&file);
    return cli_fail("only a facilitator can invite");
  }
  if (r < 0) {
    rv_buf_release(&file);
    return cli_error(r, "cannot invite");
  }
  /* The file is staged first (if it cannot be written, the membership is
   * not recorded either) and appears only once the membership is stored:
   * an invitation must never exist for a record that was not written. */
  char tmp[4200];
  if (cli_stage_file(c, out, file.data, file.len, tmp, sizeof tmp)) {
    rv_buf_release(&file);
    return 1;
  }
  rv_buf_release(&file);
  if (cli_commit(c)) {
    cli_discard_file(tmp);
    return 1;
  }
  if (cli_publish_file(tmp, out))
    return 1;
  jv_t *o = jv_obj();
  jv_set(o, "member", jv_str(who_hex));
  jv_set(o, "role", jv_str(rv_role_name(role)));
  jv_set(o, "file", jv_str(out));
  return cli_emit(c, o);
}

/* Joins with a code read out by a facilitator whose node runs. */
static int join_code(cli_t *c) {
#ifdef REVANS_HANDS_NETWORK_TO_NODE
  return cli_hand_to_node(c);
#else
  const char *peers[8], *timeout = cli_opt(c, "timeout");
  size_t npeers = 0;
  uint64_t t = 15;
  rv_set_id_t id;
  const rv_state_t *s;
  char why[200];
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, "peer") == 0) {
      if (npeers == 8 || strncmp(c->opt[i].value, "tcp://", 6) != 0)
        return cli_usage(c, "--peer takes tcp://HOST:PORT (at most 8)");
      peers[npeers++] = c->opt[i].value;
    }
  if (timeout && cli_parse_uint(timeout, 1, 600, &t) < 0)
    return cli_usage(c, "--timeout takes seconds (1-600)");
  if (cli_open(c, true))
    return 1;
  char inviter[64];
  int r = rv_node_join(c->home, c->pos[0], peers, npeers, (double)t, &id, inviter, why, sizeof why);
  if (r == RV_EFORMAT && strstr(why, "not an invitation code"))
    return cli_fail("'%s' is neither an invitation file nor an invitation code", c->pos[0]);
  if (r < 0)
    return cli_fail("%s", why);
  /* A first sync with the inviting node: it learns this person's name,
   * this home gets what was written since. */
  rv_node_config_t cfg;
  const char *first[1] = {inviter};
  memset(&cfg, 0, sizeof cfg);
  cfg.home = c->home;
  cfg.oneshot = true;
  cfg.timeout_s = 5;
  cfg.peers = first;
  cfg.npeers = 1;
  if (rv_node_run(&cfg, NULL, why, sizeof why) < 0)
    fprintf(stderr, "revans: joined; the first sync did not finish (your node will do it)\n");
  if (cli_begin(c, false) || rv_set_state(c->home, &id, &s) < 0)
    return cli_fail("joined, but cannot read the set");
  jv_t *o = set_brief(&id, s);
  rv_home_abort(c->home);
  return cli_emit(c, o);
#endif
}

static int run_join(cli_t *c) {
  rv_buf_t file;
  rv_set_id_t id;
  const rv_state_t *s;
  int r;
  if (want_args(c, 1))
    return 2;
  if (access(c->pos[0], F_OK) != 0)
    return join_code(c);
  rv_buf_init(&file);
  if (cli_read_file(c->pos[0], 1u << 30, &file))
    return 1;
  if (cli_open(c, true) || cli_begin(c, true)) {
    rv_buf_release(&file);
    return 1;
  }
  r = rv_set_join(c->home, file.data, file.len, &id);
  if (r == 0)
    r = rv_set_state(c->home, &id, &s);
  if (r < 0) {
    rv_buf_release(&file);
    if (r == RV_EAUTH)
      return cli_fail("'%s' is not an invitation for this person (%s)", c->pos[0],
                      "made for another member id, or damaged");
    if (r == RV_EEXIST)
      return cli_fail("already a member of the set '%s' invites to", c->pos[0]);
    if (r == RV_EFORMAT)
      return cli_fail("'%s' is not a revans invitation, or it is damaged", c->pos[0]);
    return cli_error(r, "cannot join with '%s'", c->pos[0]);
  }
  jv_t *o = set_brief(&id, s);
  rv_buf_release(&file);
  if (cli_commit(c)) {
    jv_free(o);
    return 1;
  }
  return cli_emit(c, o);
}

/* Finds a removed member by name or id prefix, for a clearer refusal. */
static bool is_removed(const rv_state_t *s, const char *q) {
  size_t len = strlen(q);
  for (size_t i = 0; i < s->nremoved; i++) {
    char hex[2 * RV_ID_LEN + 1];
    cli_hex(hex, s->removed[i].id.b, RV_ID_LEN);
    if ((s->removed[i].name && strcasecmp(s->removed[i].name, q) == 0) ||
        (len > 0 && len <= 2 * RV_ID_LEN && strncasecmp(hex, q, len) == 0))
      return true;
  }
  return false;
}

static int run_remove(cli_t *c) {
  rv_set_id_t id;
  rv_member_id_t who;
  const rv_state_t *s;
  const char *why = NULL;
  uint32_t epoch = 0;
  int r;
  if (want_args(c, 1))
    return 2;
  if (cli_set_state(c, true, &id, &s))
    return 1;
  const rv_member_t *me = rv_state_member(s, rv_home_self(c->home));
  if (!me || me->role != RV_ROLE_FACILITATOR)
    return cli_fail("only a facilitator removes members");
  r = rv_set_find_member(c->home, &id, c->pos[0], &who);
  if (r == RV_ENOTFOUND && is_removed(s, c->pos[0]))
    return cli_fail("'%s' has already been removed", c->pos[0]);
  if (r == RV_ENOTFOUND)
    return cli_fail("'%s' is not a member of the set", c->pos[0]);
  if (r == RV_EAMBIG)
    return cli_fail("'%s' names more than one member: give more of the id", c->pos[0]);
  if (r < 0)
    return cli_error(r, "cannot find '%s'", c->pos[0]);
  const rv_member_t *m = rv_state_member(s, &who);
  jv_t *o = member_json(m, true);
  char line[512];
  size_t remain = s->nmembers - 1;
  snprintf(line, sizeof line, "%s", m->name ? m->name : c->pos[0]);
  snprintf(line + strlen(line), sizeof line - strlen(line), " removed from the set '%s'",
           s->name ? s->name : "");
  r = rv_set_remove(c->home, &id, &who, &epoch, &why);
  if (r < 0) {
    jv_free(o);
    rv_home_abort(c->home);
    if (r == RV_EPERM)
      return cli_fail("%s", why ? why : "not permitted");
    return cli_error(r, "cannot remove '%s'", c->pos[0]);
  }
  jv_set(o, "epoch", jv_int(epoch));
  if (cli_commit(c)) {
    jv_free(o);
    return 1;
  }
  if (c->json)
    return cli_emit(c, o);
  /* As a sentence: the member's record alone read as though they were
   * still in the set ("joined: yes"). */
  jv_free(o);
  printf("%s\nnew key epoch %u, sealed to the %zu member%s who remain%s\n", line, (unsigned)epoch,
         remain, remain == 1 ? "" : "s", remain == 1 ? "s" : "");
  return 0;
}

static const cli_opt_t create_opts[] = {{"topic", true}, {NULL, false}};
static const cli_opt_t invite_opts[] = {
    {"role", true}, {"for", true}, {"out", true}, {NULL, false}};
static const cli_opt_t join_opts[] = {{"peer", true}, {"timeout", true}, {NULL, false}};

const cli_cmd_t cli_set_cmds[] = {
    {"set create", "NAME [--topic TEXT]",
     "Creates a set with a fresh key; you become its facilitator. Prints {id, name}.", create_opts,
     run_create},
    {"set invite", "[--role member|facilitator] [--for MEMBER-ID --out FILE]",
     "Facilitators only. With your node running: prints a short code to read out, good for one "
     "person for 15 minutes; they run 'revans set join CODE'. Offline, with --for and --out: "
     "records MEMBER-ID as a member and writes an invitation file holding the set's keys sealed "
     "to that member and the set's records; carry it to them; they run 'revans set join FILE'.",
     invite_opts, run_invite},
    {"set join", "CODE|FILE [--peer tcp://HOST:PORT]... [--timeout S]",
     "Joins a set with a code a facilitator read out (their node must be running: found on the "
     "local network, or at --peer), or with an invitation file made for you; introduces you to "
     "the set by name.",
     join_opts, run_join},
    {"set list", "", "Lists the sets you belong to: [{id, name, role, members, current}].", NULL,
     run_list},
    {"set members", "", "Lists the set's members: [{id, name, role, joined}].", NULL, run_members},
    {"set remove", "MEMBER",
     "Facilitators only. Removes MEMBER (a name or id prefix) from the set and starts a new key "
     "epoch: a fresh key, sealed to each remaining member, that the removed member never gets. "
     "They keep what they already hold, but cannot read what is written afterwards, and the set "
     "ignores anything they write. The nodes carry the record to the others at once (or a "
     "bundle does), and drop the removed member's node. Prints who was removed and the new key "
     "epoch ({id, name, role, joined, epoch} with --json).",
     NULL, run_remove},
    {"set show", "[NAME|ID]", "Shows a set: its name, topic, facilitators, members and key epoch.",
     NULL, run_show},
    {"set use", "NAME|ID", "Makes a set the one commands use when --set is left out.", NULL,
     run_use},
    {NULL, NULL, NULL, NULL, NULL},
};
