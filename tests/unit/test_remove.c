/*
 * Removing a member (rv_set_remove, the fold's member.remove): a new key
 * epoch sealed to the remaining members; the removed member's home, given
 * every later record, holds and reads none of them; forged and malformed
 * removals change nobody's state; two removals that cross in a partition
 * converge on one merged epoch that every remaining member holds and no
 * removed member can derive; a member invited afterwards reads the current
 * epoch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"
#include "internal_logdb.h"
#include "internal_setctx.h"
#include "revans/fold.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------- */

#define MAXH 6

typedef struct group {
  char *root;
  rv_home_t *h[MAXH];
  size_t n;
  rv_set_id_t set;
} group_t;

/* h[0] creates the set; h[1..n) join, those in fac[] as facilitators;
 * then every home holds every record. */
static void group_init(group_t *g, size_t n, const char *const names[], const bool fac[]) {
  memset(g, 0, sizeof *g);
  g->root = tu_tmpdir();
  g->n = n;
  for (size_t i = 0; i < n; i++) {
    char leaf[8] = {'h', (char)('0' + i), 0};
    g->h[i] = tu_home(g->root, leaf, names[i]);
  }
  tu_set_create(g->h[0], "north", NULL, &g->set);
  for (size_t i = 1; i < n; i++)
    tu_invite_join(g->h[0], g->h[i], &g->set, fac[i] ? RV_ROLE_FACILITATOR : RV_ROLE_MEMBER);
}

static void group_release(group_t *g) {
  for (size_t i = 0; i < g->n; i++)
    rv_home_close(&g->h[i]);
  tu_rmtree(g->root);
  free(g->root);
}

/* from's bundle applied to to; the report is returned. */
static rv_ingest_report_t carry(rv_home_t *from, rv_home_t *to) {
  rv_buf_t b;
  rv_ingest_report_t rep;
  memset(&rep, 0, sizeof rep);
  rv_buf_init(&b);
  tu_bundle(from, &b);
  tu_check(0, tu_apply(to, b.data, b.len, &rep));
  rv_buf_release(&b);
  return rep;
}

/* Every home's records to every other, twice round. */
static void exchange(group_t *g) {
  for (int round = 0; round < 2; round++)
    for (size_t i = 0; i < g->n; i++)
      for (size_t j = 0; j < g->n; j++)
        if (i != j)
          carry(g->h[i], g->h[j]);
}

static int do_remove(rv_home_t *h, const rv_set_id_t *set, rv_home_t *who, const char **why) {
  uint32_t epoch;
  tu_check(0, rv_home_begin(h, true));
  int r = rv_set_remove(h, set, rv_home_self(who), &epoch, why);
  if (r == 0)
    tu_check(0, rv_home_commit(h));
  else
    rv_home_abort(h);
  return r;
}

static void topic(rv_home_t *h, const rv_set_id_t *set, const char *text) { tu_set_topic(h, set, text); }

/* A copy of the state's current epoch, whether h holds its key, and
 * whether the member is removed. */
typedef struct view {
  uint32_t epoch;
  enum rv_epoch_kind kind;
  bool has_key;
  size_t nmembers, nremoved;
  char *topic;
} view_t;

static view_t look(rv_home_t *h, const rv_set_id_t *set) {
  rv_setctx_t *c;
  view_t v;
  memset(&v, 0, sizeof v);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv__setctx(h, set, &c));
  v.epoch = c->state.epoch;
  const rv_epoch_t *e = rv_state_epoch(&c->state, v.epoch);
  assert_non_null(e);
  v.kind = e->kind;
  v.has_key = rv__setctx_key(c, v.epoch) != NULL;
  v.nmembers = c->state.nmembers;
  v.nremoved = c->state.nremoved;
  v.topic = c->state.topic ? strdup(c->state.topic) : NULL;
  rv_home_abort(h);
  return v;
}

static bool is_removed(rv_home_t *h, const rv_set_id_t *set, rv_home_t *who) {
  const rv_state_t *s;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &s));
  const rv_member_t *m = rv_state_removed(s, rv_home_self(who));
  /* A removed member keeps their name, and when they were a member. */
  bool r = m && m->name && m->added_ms && m->removed_ms >= m->added_ms &&
           !rv_state_member(s, rv_home_self(who));
  rv_home_abort(h);
  return r;
}

/* Counts the records of set h holds, those whose body opens, and those
 * whose topic text contains needle. */
typedef struct tally {
  size_t records, readable, found;
  const char *needle;
} tally_t;

static int tally_cb(void *ctx, const rv_header_t *hdr, const rv_body_t *body) {
  tally_t *t = ctx;
  (void)hdr;
  t->records++;
  if (body) {
    t->readable++;
    if (t->needle && body->type == RV_BODY_SET_TOPIC && body->text && strstr(body->text, t->needle))
      t->found++;
  }
  return 0;
}

static tally_t tally(rv_home_t *h, const rv_set_id_t *set, const char *needle) {
  tally_t t = {.needle = needle};
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_each(h, set, false, 0, tally_cb, &t));
  rv_home_abort(h);
  return t;
}

static void verify_clean(rv_home_t *h) {
  rv_verify_report_t vr;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_verify(h, NULL, NULL, &vr));
  rv_home_abort(h);
  assert_int_equal(vr.faults, 0);
}

static void same_hash(rv_home_t *a, rv_home_t *b, const rv_set_id_t *set) {
  rv_hash_t x, y;
  tu_state_hash(a, set, &x);
  tu_state_hash(b, set, &y);
  assert_memory_equal(x.b, y.b, RV_HASH_LEN);
}

/* Seals body bytes as h's next record without asking the fold, as a
 * modified program would; h stores nothing. */
static void forge_bytes(rv_home_t *h, const rv_set_id_t *set, const uint8_t *p, size_t n,
                        rv_buf_t *out) {
  rv_setctx_t *c;
  uint64_t seq;
  rv_header_t hd;
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  memset(&hd, 0, sizeof hd);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv__setctx(h, set, &c));
  tu_check(0, rv_log_vv(h, set, &vv, &nvv));
  tu_check(0, rv__log_next_seq(h, set, &seq));
  hd.version = RV_FORMAT_VERSION;
  hd.set = *set;
  hd.author = *rv_home_self(h);
  hd.seq = seq;
  for (size_t i = 0; i < nvv; i++)
    if (memcmp(vv[i].author.b, hd.author.b, RV_ID_LEN) == 0)
      hd.prev = vv[i].head;
  free(vv);
  hd.lamport = c->state.lamport_max + 1;
  /* A removed member no longer holds the current key: the old one. */
  hd.epoch = rv__setctx_key(c, c->state.epoch) ? c->state.epoch : 0;
  hd.time_ms = 1;
  tu_check(0, rv_envelope_seal(h->enc, &hd, p, n, rv__setctx_key(c, hd.epoch), h->sec->sk, out));
  rv_home_abort(h);
}

/* A removal body as rv_set_remove makes it, sealed to `to` (n of them),
 * with the epoch id given (0: the one h's next position gives). */
typedef struct removal {
  rv_body_t b;
  rv_keybox_t boxes[MAXH];
} removal_t;

static void removal_body(rv_home_t *h, const rv_set_id_t *set, rv_home_t *who,
                         rv_home_t *const to[], size_t n, uint32_t epoch, removal_t *r) {
  uint8_t plain[RV_KEYBOX_PLAIN];
  uint64_t seq;
  memset(r, 0, sizeof *r);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv__log_next_seq(h, set, &seq));
  rv_home_abort(h);
  r->b.type = RV_BODY_MEMBER_REMOVE;
  r->b.member = *rv_home_self(who);
  r->b.num = epoch ? epoch : rv_epoch_derive(set, rv_home_self(h), seq);
  memcpy(plain, set->b, RV_SETID_LEN);
  for (int i = 0; i < 4; i++)
    plain[RV_SETID_LEN + i] = (uint8_t)(r->b.num >> (24 - 8 * i));
  rv_random(plain + RV_SETID_LEN + 4, RV_KEY_LEN);
  for (size_t i = 0; i < n; i++) {
    r->boxes[i].member = *rv_home_self(to[i]);
    tu_check(0, rv_seal_to(r->boxes[i].box, plain, sizeof plain, r->boxes[i].member.b));
  }
  r->b.boxes = r->boxes;
  r->b.nboxes = n;
}

static void forge(rv_home_t *h, const rv_set_id_t *set, const rv_body_t *b, rv_buf_t *out) {
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  tu_check(0, rv_body_encode(enc, b));
  size_t n;
  const uint8_t *p = rv_enc_data(enc, &n);
  forge_bytes(h, set, p, n, out);
  rv_enc_destroy(&enc);
}

/* A forged record carried to every home of g (its author's included):
 * stored by each, and nobody's state hash moves. (verify reports a stored
 * body that does not decode, so a malformed one is not verified clean.) */
static void no_effect_anywhere(group_t *g, const rv_buf_t *env, bool wellformed) {
  rv_raw_t rec = {.p = env->data, .n = env->len};
  for (size_t i = 0; i < g->n; i++) {
    rv_hash_t before, after;
    rv_ingest_report_t rep;
    tu_state_hash(g->h[i], &g->set, &before);
    tu_check(0, tu_ingest(g->h[i], &rec, 1, &rep));
    assert_int_equal(rep.added, 1);
    tu_state_hash(g->h[i], &g->set, &after);
    assert_memory_equal(before.b, after.b, RV_HASH_LEN);
    if (wellformed)
      verify_clean(g->h[i]);
  }
}

static const char *const NAMES[] = {"Ada", "Ben", "Cy", "Di", "Eve", "Fay"};

/* ---- tests ------------------------------------------------------------ */

/* A facilitator removes a member: a new epoch, the member is listed apart,
 * every remaining home learns the new key from the record and writes
 * under it; both reach the same state. */
static void test_remove_by_facilitator(void **state) {
  group_t g;
  const bool fac[] = {true, false, false};
  const char *why = NULL;
  (void)state;
  group_init(&g, 3, NAMES, fac);
  exchange(&g);
  view_t v0 = look(g.h[0], &g.set);
  assert_int_equal(v0.epoch, 0);
  assert_int_equal(v0.nmembers, 3);
  free(v0.topic);

  tu_check(0, do_remove(g.h[0], &g.set, g.h[2], &why));
  view_t va = look(g.h[0], &g.set);
  assert_int_not_equal(va.epoch, 0);
  assert_int_equal(va.kind, RV_EPOCH_ROTATED);
  assert_true(va.has_key);
  assert_int_equal(va.nmembers, 2);
  assert_int_equal(va.nremoved, 1);
  assert_true(is_removed(g.h[0], &g.set, g.h[2]));
  free(va.topic);

  /* Ben learns the key from the record itself. */
  carry(g.h[0], g.h[1]);
  view_t vb = look(g.h[1], &g.set);
  assert_int_equal(vb.epoch, va.epoch);
  assert_true(vb.has_key);
  free(vb.topic);
  assert_true(is_removed(g.h[1], &g.set, g.h[2]));
  same_hash(g.h[0], g.h[1], &g.set);

  /* Ben's next record is sealed under the new epoch, and Ada reads it. */
  rv_body_t join = {.type = RV_BODY_MEMBER_JOIN};
  join.name = "Ben again";
  tu_check(0, rv_home_begin(g.h[1], true));
  tu_check(0, rv_log_append(g.h[1], &g.set, &join, NULL));
  tu_check(0, rv_home_commit(g.h[1]));
  rv_ingest_report_t rep = carry(g.h[1], g.h[0]);
  assert_int_equal(rep.added, 1);
  assert_int_equal(rep.unreadable, 0);
  same_hash(g.h[0], g.h[1], &g.set);
  verify_clean(g.h[0]);
  verify_clean(g.h[1]);
  group_release(&g);
}

/* The removed member's home, given a bundle of everything written later,
 * stores none of it (it cannot open it), still verifies, and refuses to
 * write; the remaining members read it. */
static void test_removed_member_reads_nothing_after(void **state) {
  group_t g;
  const bool fac[] = {true, false, false};
  const char *why = NULL;
  (void)state;
  group_init(&g, 3, NAMES, fac);
  exchange(&g);
  topic(g.h[0], &g.set, "before the removal");
  tu_check(0, do_remove(g.h[0], &g.set, g.h[2], &why));
  topic(g.h[0], &g.set, "secret-after-removal");
  carry(g.h[0], g.h[1]);

  size_t before = tu_record_count(g.h[2]);
  rv_ingest_report_t rep = carry(g.h[0], g.h[2]);
  /* The removal record itself is under the old key: Cy learns of it. */
  assert_int_equal(rep.added, 2); /* the first topic and the removal */
  assert_int_equal(rep.unreadable, 1);
  assert_int_equal(tu_record_count(g.h[2]), before + 2);
  assert_true(is_removed(g.h[2], &g.set, g.h[2]));
  tally_t tc = tally(g.h[2], &g.set, "secret-after-removal");
  assert_int_equal(tc.found, 0);
  assert_int_equal(tc.records, tc.readable);
  view_t vc = look(g.h[2], &g.set);
  assert_false(vc.has_key);
  assert_string_equal(vc.topic, "before the removal");
  free(vc.topic);
  verify_clean(g.h[2]);
  /* Applying it again changes nothing and crashes nothing. */
  rep = carry(g.h[0], g.h[2]);
  assert_int_equal(rep.added, 0);
  assert_int_equal(rep.unreadable, 1);

  /* Cy cannot write any more, and says why. */
  rv_body_t join = {.type = RV_BODY_MEMBER_JOIN};
  join.name = "Cy";
  tu_check(0, rv_home_begin(g.h[2], true));
  tu_check(RV_EPERM, rv_log_append(g.h[2], &g.set, &join, &why));
  rv_home_abort(g.h[2]);
  assert_non_null(strstr(why, "removed"));

  /* Ben reads what Cy cannot. */
  tally_t tb = tally(g.h[1], &g.set, "secret-after-removal");
  assert_int_equal(tb.found, 1);
  assert_int_equal(tb.records, tb.readable);
  view_t vb = look(g.h[1], &g.set);
  assert_string_equal(vb.topic, "secret-after-removal");
  free(vb.topic);

  /* A record Cy forges under the old key after the removal (a modified
   * program) is stored by the others and changes nothing. */
  rv_buf_t env;
  rv_buf_init(&env);
  forge(g.h[2], &g.set, &join, &env);
  rv_hash_t h0, h1;
  tu_state_hash(g.h[1], &g.set, &h0);
  rv_raw_t rec = {.p = env.data, .n = env.len};
  tu_check(0, tu_ingest(g.h[1], &rec, 1, &rep));
  assert_int_equal(rep.added, 1);
  tu_state_hash(g.h[1], &g.set, &h1);
  assert_memory_equal(h0.b, h1.b, RV_HASH_LEN);
  rv_buf_release(&env);
  group_release(&g);
}

/* Removals the fold refuses: by a member; with a box for a stranger, for
 * the member removed, or twice for one member; with an epoch id its
 * position does not give; with a box of the wrong size; the last
 * facilitator removing themself. Each is refused by its writer's home
 * and, forged, leaves every home's state as it was. */
static void test_forged_removals_refused(void **state) {
  group_t g;
  const bool fac[] = {true, false, false};
  const char *why = NULL;
  removal_t rm;
  rv_buf_t env;
  (void)state;
  rv_buf_init(&env);
  group_init(&g, 3, NAMES, fac);
  exchange(&g);
  rv_home_t *stranger = tu_home(g.root, "x", "Xan");
  rv_home_t *ab[] = {g.h[0], g.h[1]};

  /* A member removing the facilitator. */
  tu_check(RV_EPERM, do_remove(g.h[1], &g.set, g.h[0], &why));
  assert_non_null(strstr(why, "only a facilitator"));
  rv_home_t *bc[] = {g.h[1], g.h[2]};
  removal_body(g.h[1], &g.set, g.h[0], bc, 2, 0, &rm);
  forge(g.h[1], &g.set, &rm.b, &env);
  no_effect_anywhere(&g, &env, true);

  /* The facilitator, with a box for a stranger. */
  rv_home_t *withx[] = {g.h[0], g.h[1], stranger};
  removal_body(g.h[0], &g.set, g.h[2], withx, 3, 0, &rm);
  tu_check(0, rv_home_begin(g.h[0], true));
  tu_check(RV_EPERM, rv_log_append(g.h[0], &g.set, &rm.b, &why));
  rv_home_abort(g.h[0]);
  assert_string_equal(why, "a key box is for someone who is not a member");
  rv_buf_clear(&env);
  forge(g.h[0], &g.set, &rm.b, &env);
  no_effect_anywhere(&g, &env, true);

  /* A box for the member removed. */
  rv_home_t *withc[] = {g.h[0], g.h[1], g.h[2]};
  removal_body(g.h[0], &g.set, g.h[2], withc, 3, 0, &rm);
  tu_check(0, rv_home_begin(g.h[0], true));
  tu_check(RV_EPERM, rv_log_append(g.h[0], &g.set, &rm.b, &why));
  rv_home_abort(g.h[0]);
  assert_string_equal(why, "the removed member would get the new key");

  /* Two boxes for one member. */
  rv_home_t *twice[] = {g.h[0], g.h[1], g.h[1]};
  removal_body(g.h[0], &g.set, g.h[2], twice, 3, 0, &rm);
  tu_check(0, rv_home_begin(g.h[0], true));
  tu_check(RV_EPERM, rv_log_append(g.h[0], &g.set, &rm.b, &why));
  rv_home_abort(g.h[0]);
  assert_string_equal(why, "two key boxes for one member");

  /* An epoch id of its own choosing (0, the current one). */
  removal_body(g.h[0], &g.set, g.h[2], ab, 2, 0, &rm);
  rm.b.num = 0;
  tu_check(0, rv_home_begin(g.h[0], true));
  tu_check(RV_EPERM, rv_log_append(g.h[0], &g.set, &rm.b, &why));
  rv_home_abort(g.h[0]);
  assert_non_null(strstr(why, "position"));

  /* A box of the wrong size: the body does not decode; stored, ignored. */
  rv_enc_t *enc = NULL;
  tu_check(0, rv_enc_new(&enc));
  uint8_t junk[RV_KEYBOX_LEN - 1] = {0};
  rv_enc_map(enc, 4);
  rv_enc_cstr(enc, "t");
  rv_enc_cstr(enc, "member.remove");
  rv_enc_cstr(enc, "member");
  rv_enc_bin(enc, rv_home_self(g.h[2])->b, RV_ID_LEN);
  rv_enc_cstr(enc, "epoch");
  rv_enc_uint(enc, 7);
  rv_enc_cstr(enc, "keys");
  rv_enc_array(enc, 1);
  rv_enc_array(enc, 2);
  rv_enc_bin(enc, rv_home_self(g.h[1])->b, RV_ID_LEN);
  rv_enc_bin(enc, junk, sizeof junk);
  size_t n;
  const uint8_t *p = rv_enc_data(enc, &n);
  rv_body_t bad;
  tu_check(RV_EFORMAT, rv_body_decode(g.h[0]->dec, p, n, &bad));
  rv_buf_clear(&env);
  forge_bytes(g.h[0], &g.set, p, n, &env);
  rv_enc_destroy(&enc);
  no_effect_anywhere(&g, &env, false);

  /* The last facilitator cannot remove themself. */
  tu_check(RV_EPERM, do_remove(g.h[0], &g.set, g.h[0], &why));
  assert_string_equal(why, "the set's last facilitator cannot be removed");
  /* Nor can anyone remove a stranger. */
  tu_check(RV_EPERM, do_remove(g.h[0], &g.set, stranger, &why));
  assert_string_equal(why, "no such member");

  /* After all that, nobody was removed and the epoch never moved. */
  for (size_t i = 0; i < g.n; i++) {
    view_t v = look(g.h[i], &g.set);
    assert_int_equal(v.epoch, 0);
    assert_int_equal(v.nremoved, 0);
    assert_int_equal(v.nmembers, 3);
    free(v.topic);
  }
  /* A real removal still works; the removed member cannot be added back. */
  tu_check(0, do_remove(g.h[0], &g.set, g.h[2], &why));
  rv_body_t add = {.type = RV_BODY_MEMBER_ADD, .role = RV_ROLE_MEMBER};
  add.member = *rv_home_self(g.h[2]);
  tu_check(0, rv_home_begin(g.h[0], true));
  tu_check(RV_EPERM, rv_log_append(g.h[0], &g.set, &add, &why));
  rv_home_abort(g.h[0]);
  assert_non_null(strstr(why, "removed"));
  rv_buf_release(&env);
  rv_home_close(&stranger);
  group_release(&g);
}

/* Two facilitators remove two different members at once, on two sides of
 * a partition, and each side writes under its new key. Once the bundles
 * cross, every home agrees on the state (both members removed, one merged
 * epoch); every remaining member reads the records of both sides and
 * holds the merged key; what is written after the merge reaches neither
 * removed member. */
static void test_concurrent_removals_converge(void **state) {
  group_t g;
  /* Ada and Ben facilitate; Cy and Di will be removed; Eve stays. */
  const bool fac[] = {true, true, false, false, false};
  const char *why = NULL;
  (void)state;
  group_init(&g, 5, NAMES, fac);
  exchange(&g);
  rv_home_t *ada = g.h[0], *ben = g.h[1], *cy = g.h[2], *di = g.h[3], *eve = g.h[4];

  tu_check(0, do_remove(ada, &g.set, cy, &why));
  topic(ada, &g.set, "side one");
  tu_check(0, do_remove(ben, &g.set, di, &why));
  topic(ben, &g.set, "side two");
  view_t v1 = look(ada, &g.set), v2 = look(ben, &g.set);
  assert_int_not_equal(v1.epoch, v2.epoch);
  free(v1.topic);
  free(v2.topic);

  /* The bundles cross in opposite orders on each side. */
  carry(ben, ada);
  carry(ada, ben);
  carry(ada, eve);
  carry(ben, eve);
  same_hash(ada, ben, &g.set);
  same_hash(ada, eve, &g.set);
  for (size_t i = 0; i < 2; i++) {
    rv_home_t *h = i ? ben : eve;
    assert_true(is_removed(h, &g.set, cy));
    assert_true(is_removed(h, &g.set, di));
  }
  view_t va = look(ada, &g.set), vb = look(ben, &g.set), ve = look(eve, &g.set);
  assert_int_equal(va.epoch, vb.epoch);
  assert_int_equal(va.epoch, ve.epoch);
  assert_int_equal(va.kind, RV_EPOCH_MERGED);
  assert_true(va.has_key && vb.has_key && ve.has_key);
  assert_int_equal(ve.nmembers, 3);
  assert_int_equal(ve.nremoved, 2);
  free(va.topic);
  free(vb.topic);
  free(ve.topic);
  /* Eve reads every record of both sides, each under its own key. */
  tally_t t1 = tally(eve, &g.set, "side one"), t2 = tally(eve, &g.set, "side two");
  assert_int_equal(t1.records, t1.readable);
  assert_int_equal(t1.found, 1);
  assert_int_equal(t2.found, 1);
  verify_clean(eve);

  /* Written after the merge, under the merged key. */
  topic(ada, &g.set, "after the merge");
  carry(ada, eve);
  carry(ada, ben);
  tally_t te = tally(eve, &g.set, "after the merge");
  assert_int_equal(te.found, 1);
  assert_int_equal(te.records, te.readable);
  same_hash(ada, ben, &g.set);
  same_hash(ada, eve, &g.set);
  /* Eve can write, and the others read it. */
  rv_body_t join = {.type = RV_BODY_MEMBER_JOIN};
  join.name = "Eve";
  tu_check(0, rv_home_begin(eve, true));
  tu_check(0, rv_log_append(eve, &g.set, &join, NULL));
  tu_check(0, rv_home_commit(eve));
  rv_ingest_report_t rep = carry(eve, ben);
  assert_int_equal(rep.unreadable, 0);
  same_hash(eve, ben, &g.set);

  /* Cy and Di, given everything, hold nothing written after the merge:
   * each held one of the two keys, never both. */
  for (size_t i = 0; i < 2; i++) {
    rv_home_t *h = i ? di : cy;
    carry(ada, h);
    carry(ben, h);
    carry(eve, h);
    tally_t t = tally(h, &g.set, "after the merge");
    assert_int_equal(t.found, 0);
    assert_int_equal(t.records, t.readable);
    view_t v = look(h, &g.set);
    assert_false(v.has_key);
    free(v.topic);
    assert_true(is_removed(h, &g.set, cy));
    assert_true(is_removed(h, &g.set, di));
    verify_clean(h);
  }
  group_release(&g);
}

/* Both sides of a partition remove the same member: removed once, and
 * the records of both sides count. */
static void test_same_member_removed_twice(void **state) {
  group_t g;
  const bool fac[] = {true, true, false, false};
  const char *why = NULL;
  (void)state;
  group_init(&g, 4, NAMES, fac);
  exchange(&g);
  tu_check(0, do_remove(g.h[0], &g.set, g.h[2], &why));
  topic(g.h[0], &g.set, "one");
  tu_check(0, do_remove(g.h[1], &g.set, g.h[2], &why));
  topic(g.h[1], &g.set, "two");
  carry(g.h[0], g.h[3]);
  carry(g.h[1], g.h[3]);
  carry(g.h[3], g.h[0]);
  carry(g.h[3], g.h[1]);
  same_hash(g.h[0], g.h[1], &g.set);
  same_hash(g.h[0], g.h[3], &g.set);
  view_t v = look(g.h[3], &g.set);
  assert_int_equal(v.nremoved, 1);
  assert_int_equal(v.nmembers, 3);
  assert_true(v.has_key);
  free(v.topic);
  tally_t t = tally(g.h[3], &g.set, "two");
  assert_int_equal(t.records, t.readable);
  assert_int_equal(t.found, 1);
  group_release(&g);
}

/* A member invited after a removal receives every key, reads what was
 * written under the current epoch, and folds the same state. */
static void test_invited_after_removal_reads(void **state) {
  group_t g;
  const bool fac[] = {true, false, false};
  const char *why = NULL;
  (void)state;
  group_init(&g, 3, NAMES, fac);
  exchange(&g);
  topic(g.h[0], &g.set, "epoch zero");
  tu_check(0, do_remove(g.h[0], &g.set, g.h[2], &why));
  topic(g.h[0], &g.set, "current epoch");
  rv_home_t *fay = tu_home(g.root, "f", "Fay");
  tu_invite_join(g.h[0], fay, &g.set, RV_ROLE_MEMBER);
  tally_t t = tally(fay, &g.set, "current epoch");
  assert_int_equal(t.found, 1);
  assert_int_equal(t.records, t.readable);
  view_t v = look(fay, &g.set);
  assert_true(v.has_key);
  assert_string_equal(v.topic, "current epoch");
  free(v.topic);
  carry(fay, g.h[0]);
  same_hash(fay, g.h[0], &g.set);
  verify_clean(fay);
  rv_home_close(&fay);
  group_release(&g);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_remove_by_facilitator),
      cmocka_unit_test(test_removed_member_reads_nothing_after),
      cmocka_unit_test(test_forged_removals_refused),
      cmocka_unit_test(test_concurrent_removals_converge),
      cmocka_unit_test(test_same_member_removed_twice),
      cmocka_unit_test(test_invited_after_removal_reads),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
