/*
 * The contract: the set's ground rules, versioned. Adding, editing or
 * withdrawing a rule makes a new version, which every member agrees to
 * again (setting the quorum does not); `contract` shows each rule, numbered
 * from 1, and who has agreed to the current version.
 */
#include "cli.h"
#include "revans/error.h"

#include <string.h>

jv_t *cli_contract_json(const rv_state_t *s) {
  char buf[2 * RV_ID_LEN + 1];
  jv_t *o = jv_obj(), *rules = jv_arr(), *agreed = jv_arr(), *pending = jv_arr();
  jv_set(o, "version", jv_int((int64_t)s->contract_version));
  jv_set(o, "quorum", jv_int((int64_t)s->quorum));
  for (size_t i = 0; i < s->nrules; i++) {
    char id[2 * RV_OID_LEN + 1];
    jv_t *r = jv_obj();
    cli_oid(id, &s->rules[i].id);
    jv_set(r, "number", jv_int((int64_t)i + 1));
    jv_set(r, "id", jv_str(id));
    jv_set(r, "rule", jv_str(s->rules[i].text));
    jv_set(r, "since", jv_int((int64_t)s->rules[i].version));
    jv_push(rules, r);
  }
  for (size_t i = 0; i < s->nmembers; i++) {
    const rv_member_t *m = &s->members[i];
    jv_t *who = jv_str(cli_member_label(s, &m->id, buf));
    if (s->contract_version && m->agreed == s->contract_version)
      jv_push(agreed, who);
    else
      jv_push(pending, who);
  }
  jv_set(o, "rules", rules);
  jv_set(o, "agreed", agreed);
  jv_set(o, "not_yet_agreed", pending);
  return o;
}

static jv_t *show_contract(const rv_state_t *s, const void *unused) {
  (void)unused;
  return cli_contract_json(s);
}

static int run_show(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, false, &set, &s))
    return 1;
  return cli_emit(c, cli_contract_json(s));
}

static int run_add(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  if (c->npos != 1)
    return cli_usage(c, c->npos ? "one rule at a time, in quotes" : "contract add needs RULE");
  if (cli_check_text("the rule", c->pos[0], RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s))
    return 1;
  rv_body_t b = {.type = RV_BODY_CONTRACT_ADD, .text = (char *)c->pos[0]};
  uint64_t version = s->contract_version + 1;
  if (cli_write(c, &set, &b))
    return 1;
  jv_t *o = jv_obj();
  jv_set(o, "rule", jv_str(c->pos[0]));
  jv_set(o, "version", jv_int((int64_t)version));
  return cli_emit(c, o);
}

static int run_quorum(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  uint64_t n;
  if (c->npos != 1 || cli_parse_uint(c->pos[0], 0, 1000, &n) < 0)
    return cli_usage(c, "contract quorum needs a number of members (0 for none)");
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if (n > s->nmembers)
    return cli_fail("a quorum of %llu is more than the set's %zu members", (unsigned long long)n,
                    s->nmembers);
  rv_body_t b = {.type = RV_BODY_CONTRACT_QUORUM, .num = n};
  uint64_t version = s->contract_version; /* the quorum changes no version */
  if (cli_write(c, &set, &b))
    return 1;
  jv_t *o = jv_obj();
  jv_set(o, "quorum", jv_int((int64_t)n));
  jv_set(o, "version", jv_int((int64_t)version));
  return cli_emit(c, o);
}

/* The rule numbered arg (as `contract` lists them, from 1), or 2 after a
 * message. */
static int pick_rule(cli_t *c, const rv_state_t *s, const char *arg, const rv_rule_t **ret) {
  uint64_t n;
  if (cli_parse_uint(arg, 1, 1000000, &n) < 0 || n > s->nrules) {
    if (s->nrules == 0)
      return cli_usage(c, "the contract has no rules yet");
    return cli_usage(c, "'%s' is not a rule's number: the contract's rules are numbered 1 to %zu",
                     arg, s->nrules);
  }
  *ret = &s->rules[n - 1];
  return 0;
}

/* Writes an edit or a withdrawal of rule number pos[0], and shows the
 * contract as it now is. */
static int change_rule(cli_t *c, enum rv_body_type type, const char *text) {
  rv_set_id_t set;
  const rv_state_t *s;
  const rv_rule_t *rule = NULL;
  if (text && cli_check_text("the rule", text, RV_TEXT_MAX))
    return 1;
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if (pick_rule(c, s, c->pos[0], &rule))
    return 2;
  rv_body_t b = {.type = type, .ref = rule->id, .text = (char *)text};
  return cli_write_and_show(c, &set, &b, show_contract, NULL, "the contract");
}

static int run_edit(cli_t *c) {
  if (c->npos != 2)
    return cli_usage(c, "contract edit needs N and the rule's new \"TEXT\"");
  return change_rule(c, RV_BODY_CONTRACT_EDIT, c->pos[1]);
}

static int run_withdraw(cli_t *c) {
  if (c->npos != 1)
    return cli_usage(c, "contract withdraw needs the rule's number N");
  return change_rule(c, RV_BODY_CONTRACT_WITHDRAW, NULL);
}

static int run_agree(cli_t *c) {
  rv_set_id_t set;
  const rv_state_t *s;
  if (cli_no_args(c))
    return 2;
  if (cli_set_state(c, true, &set, &s))
    return 1;
  if (s->contract_version == 0)
    return cli_fail("the contract has no rules yet");
  uint64_t version = s->contract_version;
  rv_body_t b = {.type = RV_BODY_CONTRACT_AGREE, .num = version};
  if (cli_write(c, &set, &b))
    return 1;
  return cli_emit(c, jv_set(jv_obj(), "agreed", jv_int((int64_t)version)));
}

const cli_cmd_t cli_contract_cmds[] = {
    {"contract", "",
     "Shows the contract: each rule, the quorum, and who has agreed to its current version.", NULL,
     run_show},
    {"contract add", "\"RULE\"",
     "Facilitators only. Adds a ground rule: a new version of the contract, which every member "
     "agrees to again.",
     NULL, run_add},
    {"contract agree", "", "Records that you agree to the current version of the contract.", NULL,
     run_agree},
    {"contract edit", "N \"TEXT\"",
     "Facilitators only. Rewords rule N (its number in 'revans contract'): a new version of the "
     "contract, which every member agrees to again.",
     NULL, run_edit},
    {"contract quorum", "N",
     "Facilitators only. Sets how many members must attend a meeting (0 for no quorum), at most "
     "the set's members. The version stays: nobody is asked to agree again.",
     NULL, run_quorum},
    {"contract withdraw", "N",
     "Facilitators only. Withdraws rule N (its number in 'revans contract'): a new version of "
     "the contract, which every member agrees to again.",
     NULL, run_withdraw},
    {NULL, NULL, NULL, NULL, NULL},
};
