/*
 * Tests of the private journal's storage and queries (journal.h): entries
 * sealed and read back whole, refused when malformed, bound to their id;
 * queries by date, tag and words, oldest first, and the last N of them
 * exactly as the full sorted answer would end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"
#include "revans/journal.h"
#include "revans/jrnl.h"
#include "revans/codec.h"
#include "revans/crypto.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ENTRIES 600
#define MANY 5000 /* enough for the query to share the boxes among threads */

static int setup(void **state) {
  *state = tu_tmpdir();
  return 0;
}

static int teardown(void **state) {
  tu_rmtree(*state);
  free(*state);
  return 0;
}

static void put(rv_home_t *h, uint64_t at, const char *text, char **tags, size_t ntags,
                rv_oid_t *ret_id) {
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.at_ms = at;
  e.made_ms = at + 1;
  e.text = (char *)text;
  e.tags = tags;
  e.ntags = ntags;
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_put(h, &e));
  tu_check(0, rv_home_commit(h));
  if (ret_id)
    *ret_id = e.id;
}

static void query(rv_home_t *h, const rv_journal_query_t *q, rv_journal_hit_t **ret, size_t *n) {
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_query(h, q, ret, n));
  rv_home_abort(h);
}

static void test_roundtrip(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  char *tags[] = {"@ward", "#rota"};
  rv_entry_t e, got;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.at_ms = -14182940000; /* 1969-07-20 20:17:40, before 1970 */
  e.starred = true;
  e.made_ms = 1760000001234u;
  e.text = "Felt heard today. Über-tired, but the rota plan worked.";
  e.tags = tags;
  e.ntags = 2;
  e.has_meeting = true;
  memset(e.set.b, 7, RV_SETID_LEN);
  memset(e.meeting.b, 9, RV_OID_LEN);
  memset(e.source.b, 3, RV_HASH_LEN);
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_put(h, &e));
  tu_check(0, rv_home_commit(h));

  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_get(h, &e.id, &got));
  assert_memory_equal(got.id.b, e.id.b, RV_OID_LEN);
  assert_int_equal(got.at_ms, e.at_ms);
  assert_int_equal(got.made_ms, e.made_ms);
  assert_string_equal(got.text, e.text);
  assert_int_equal(got.ntags, 2);
  assert_string_equal(got.tags[0], "@ward");
  assert_string_equal(got.tags[1], "#rota");
  assert_true(got.starred);
  assert_true(got.has_meeting);
  assert_memory_equal(got.set.b, e.set.b, RV_SETID_LEN);
  assert_memory_equal(got.meeting.b, e.meeting.b, RV_OID_LEN);
  assert_memory_equal(got.source.b, e.source.b, RV_HASH_LEN);
  rv_entry_release(&got);
  rv_oid_t other;
  memset(other.b, 0xee, RV_OID_LEN);
  tu_check(RV_ENOTFOUND, rv_journal_get(h, &other, &got));
  rv_home_abort(h);

  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_delete(h, &e.id));
  tu_check(RV_ENOTFOUND, rv_journal_delete(h, &e.id));
  tu_check(0, rv_home_commit(h));
  tu_check(0, rv_home_begin(h, false));
  tu_check(RV_ENOTFOUND, rv_journal_get(h, &e.id, &got));
  rv_home_abort(h);
  rv_home_close(&h);
}

static void test_refused(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  char long_tag[RV_JOURNAL_TAG_MAX + 2];
  memset(long_tag, 'x', sizeof long_tag - 1);
  long_tag[sizeof long_tag - 1] = '\0';
  char *bad_tags[] = {long_tag}, *empty_tags[] = {""};
  char *many[RV_JOURNAL_TAGS_MAX + 1];
  for (size_t i = 0; i <= RV_JOURNAL_TAGS_MAX; i++)
    many[i] = "@t";
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  rv_random(e.id.b, RV_OID_LEN);
  e.text = "a thought";

  tu_check(0, rv_home_begin(h, false));
  tu_check(RV_EINVAL, rv_journal_put(h, &e)); /* a read transaction */
  rv_home_abort(h);
  tu_check(0, rv_home_begin(h, true));
  e.text = "";
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.text = "a thought";
  e.tags = bad_tags;
  e.ntags = 1;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.tags = empty_tags;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  char *no_symbol[] = {"ward"};
  e.tags = no_symbol;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  e.tags = many;
  e.ntags = RV_JOURNAL_TAGS_MAX + 1;
  tu_check(RV_EINVAL, rv_journal_put(h, &e));
  rv_home_abort(h);
  rv_home_close(&h);
}

/* A box copied under another id does not open: the id is bound in. */
static void test_box_bound_to_id(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  rv_oid_t id, moved;
  put(h, 1000, "the one entry", NULL, 0, &id);
  memcpy(&moved, &id, sizeof id);
  moved.b[0] ^= 1;
  tu_check(0, rv_home_begin(h, true));
  const uint8_t *v;
  size_t vn;
  tu_check(0, rv_get(h->txn, RV_DB_JOURNAL, id.b, RV_OID_LEN, &v, &vn));
  uint8_t *copy = malloc(vn);
  memcpy(copy, v, vn);
  tu_check(0, rv_put(h->txn, RV_DB_JOURNAL, moved.b, RV_OID_LEN, copy, vn));
  free(copy);
  tu_check(0, rv_home_commit(h));

  rv_entry_t got;
  rv_journal_query_t all = {0};
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_get(h, &id, &got));
  rv_entry_release(&got);
  tu_check(RV_ECORRUPT, rv_journal_get(h, &moved, &got));
  tu_check(RV_ECORRUPT, rv_journal_query(h, &all, &hits, &n));
  rv_home_abort(h);
  rv_home_close(&h);
}

/* count entries at seeded times (with repeats), a word and a tag on some. */
static void fill(rv_home_t *h, uint64_t *at, int count) {
  char text[128];
  char *ward[] = {"@ward"};
  uint64_t x = 12345;
  tu_check(0, rv_home_begin(h, true));
  for (int i = 0; i < count; i++) {
    x = x * 6364136223846793005u + 1442695040888963407u;
    at[i] = 1000 + (x >> 33) % 200; /* many share a time: ties go by id */
    snprintf(text, sizeof text, "entry %d %s%s", i, i % 3 == 0 ? "Mango " : "",
             i % 5 == 0 ? "ZEBRA crossing" : "quiet day");
    rv_entry_t e;
    memset(&e, 0, sizeof e);
    rv_random(e.id.b, RV_OID_LEN);
    e.at_ms = at[i];
    e.text = text;
    e.tags = i % 4 == 0 ? ward : NULL;
    e.ntags = i % 4 == 0;
    tu_check(0, rv_journal_put(h, &e));
  }
  tu_check(0, rv_home_commit(h));
}

static bool ordered(const rv_journal_hit_t *v, size_t n) {
  for (size_t i = 1; i < n; i++)
    if (v[i - 1].at_ms > v[i].at_ms ||
        (v[i - 1].at_ms == v[i].at_ms && memcmp(v[i - 1].id.b, v[i].id.b, RV_OID_LEN) >= 0))
      return false;
  return true;
}

static void check_queries(void **state, int count) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  uint64_t *at = calloc((size_t)count, sizeof *at);
  assert_non_null(at);
  fill(h, at, count);
  rv_journal_hit_t *all, *v;
  size_t nall, n;

  rv_journal_query_t q = {0};
  query(h, &q, &all, &nall);
  assert_int_equal(nall, (size_t)count);
  assert_true(ordered(all, nall));

  /* The last N with a limit are exactly the end of the whole answer. */
  size_t limits[] = {1, 2, 7, 100, (size_t)count - 1, (size_t)count, (size_t)count + 5};
  for (size_t k = 0; k < sizeof limits / sizeof limits[0]; k++) {
    q.limit = limits[k];
    query(h, &q, &v, &n);
    size_t want = limits[k] < (size_t)count ? limits[k] : (size_t)count;
    assert_int_equal(n, want);
    assert_memory_equal(v, all + (nall - want), want * sizeof *v);
    free(v);
  }
  q.limit = 0;

  /* Dates: inclusive bounds. */
  q.has_since = q.has_until = true;
  q.since = 1050;
  q.until = 1099;
  query(h, &q, &v, &n);
  size_t want = 0;
  for (int i = 0; i < count; i++)
    want += at[i] >= 1050 && at[i] <= 1099;
  assert_int_equal(n, want);
  for (size_t i = 0; i < n; i++)
    assert_true(v[i].at_ms >= 1050 && v[i].at_ms <= 1099);
  free(v);
  q.has_since = q.has_until = false;

  /* Words: all of them, in any case; a tag counts as a word. */
  const char *w1[] = {"mango"}, *w2[] = {"MANGO", "Zebra"}, *w3[] = {"WARD"},
             *w4[] = {"mango", "absent"};
  size_t n_mango = 0, n_both = 0, n_ward = 0;
  for (int i = 0; i < count; i++) {
    n_mango += i % 3 == 0;
    n_both += i % 3 == 0 && i % 5 == 0;
    n_ward += i % 4 == 0;
  }
  q.words = w1;
  q.nwords = 1;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_mango);
  assert_true(ordered(v, n));
  free(v);
  q.words = w2;
  q.nwords = 2;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_both);
  free(v);
  q.words = w3;
  q.nwords = 1;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_ward);
  free(v);
  q.words = w4;
  q.nwords = 2;
  query(h, &q, &v, &n);
  assert_int_equal(n, 0);
  free(v);

  /* Tags, with or without '@', with words and a limit together. */
  const char *t1[] = {"@Ward"}, *t_hash[] = {"#ward"}, *t_bare[] = {"ward"};
  q.words = NULL;
  q.nwords = 0;
  q.tags = t_hash;
  q.ntags = 1;
  query(h, &q, &v, &n);
  assert_int_equal(n, 0); /* #ward is not @ward */
  free(v);
  q.tags = t_bare;
  query(h, &q, &v, &n);
  assert_int_equal(n, n_ward);
  free(v);
  q.words = w1;
  q.nwords = 1;
  q.tags = t1;
  q.ntags = 1;
  query(h, &q, &v, &n);
  size_t n_mango_ward = 0;
  for (int i = 0; i < count; i++)
    n_mango_ward += i % 12 == 0;
  assert_int_equal(n, n_mango_ward);
  rv_journal_hit_t *some;
  size_t nsome;
  q.limit = 5;
  query(h, &q, &some, &nsome);
  assert_int_equal(nsome, 5);
  assert_memory_equal(some, v + (n - 5), 5 * sizeof *v);
  free(some);
  free(v);
  free(all);
  free(at);
  rv_home_close(&h);
}

static void test_query(void **state) { check_queries(state, ENTRIES); }

/* The same answers when the boxes are shared among threads. */
static void test_query_threaded(void **state) { check_queries(state, MANY); }

static void test_empty(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  rv_journal_query_t q = {.limit = 3};
  rv_journal_hit_t *v = NULL;
  size_t n = 99;
  query(h, &q, &v, &n);
  assert_int_equal(n, 0);
  free(v);
  rv_home_close(&h);
}

/* The tags of text, by the one rule, joined by spaces. */
static void tags_are(const char *text, const char *want) {
  rv_entry_t e;
  char got[1024] = "";
  memset(&e, 0, sizeof e);
  tu_check(0, rv_entry_add_text_tags(&e, text));
  for (size_t i = 0; i < e.ntags; i++) {
    strcat(got, i ? " " : "");
    strcat(got, e.tags[i]);
  }
  assert_string_equal(got, want);
  rv_entry_release(&e);
}

/* jrnl's rule: a symbol at the start or after white space, then letters,
 * digits (any script) and _ - + * # /, in lower case, the symbol kept. */
static void test_tag_rule(void **state) {
  (void)state;
  tags_are("@os/2, @c++ and @c# (and @C#.)", "@os/2 @c++ @c#");
  tags_are("@work and #work are two", "@work #work");
  tags_are("mail a@b.org or x#y, not tags", "");
  tags_are("@café @Café. @project/alpha!", "@café @project/alpha");
  tags_are("#CAFÉ ÀÉÎ #ÀÉÎ", "#café #àéî");
  tags_are("東京 @東京、@大阪 @日本。", "@東京 @日本"); /* 、 is no space */
  tags_are("(@in-brackets) \"@quoted\" @end", "@end");
  tags_are("## A heading #- @+ but #h1 and @_x", "#h1 @_x");
  tags_are("tab\t@a nbsp\xc2\xa0@b emoji @x\xf0\x9f\x98\x80y", "@a @b @x");
  tags_are("@\xff bad byte @ok", "@ok");
  rv_entry_t e;
  memset(&e, 0, sizeof e);
  tu_check(0, rv_entry_add_tag(&e, "Ward", 4));
  tu_check(0, rv_entry_add_tag(&e, "@WARD", 5)); /* the same tag */
  tu_check(0, rv_entry_add_tag(&e, "#ward", 5));
  assert_int_equal(e.ntags, 2);
  assert_string_equal(e.tags[0], "@ward");
  assert_true(rv_entry_has_tag(&e, "ward"));
  assert_true(rv_entry_has_tag(&e, "#Ward"));
  assert_false(rv_entry_has_tag(&e, "war"));
  tu_check(RV_EINVAL, rv_entry_add_tag(&e, "@", 1));
  tu_check(RV_EINVAL, rv_entry_add_tag(&e, "", 0));
  rv_entry_release(&e);
}

/* Wall-clock times: no time zone, dates before 1970, only real dates. */
static void test_wallclock(void **state) {
  (void)state;
  int64_t at;
  char s[17];
  tu_check(0, rv_wall_parse("1969-07-20 20:17", &at));
  assert_true(at < 0);
  rv_wall_format(s, at);
  assert_string_equal(s, "1969-07-20 20:17");
  tu_check(0, rv_wall_parse("2026-03-29 02:30", &at)); /* inside London's clock change */
  rv_wall_format(s, at);
  assert_string_equal(s, "2026-03-29 02:30");
  tu_check(0, rv_wall_parse("0001-01-01", &at));
  rv_wall_format(s, at);
  assert_string_equal(s, "0001-01-01 00:00");
  tu_check(0, rv_wall_parse("2024-02-29 23:59", &at));
  tu_check(RV_EFORMAT, rv_wall_parse("2026-02-29", &at));
  tu_check(RV_EFORMAT, rv_wall_parse("2026-03-29 24:00", &at));
  tu_check(RV_EFORMAT, rv_wall_parse("2026-3-29", &at));
  tu_check(RV_EFORMAT, rv_wall_parse("0000-01-01", &at));
}

typedef struct seen {
  char title[8][128], body[8][256], date[8][17], tags[8][256];
  bool starred[8];
  size_t n;
} seen_t;

static int collect(void *ctx, const rv_jrnl_entry_t *j, size_t index) {
  seen_t *s = ctx;
  rv_entry_t e;
  const char *why = NULL;
  assert_int_equal(index, s->n);
  assert_true(s->n < 8);
  tu_check(0, rv_jrnl_to_entry(j, &e, &why));
  snprintf(s->title[s->n], 128, "%s", j->title);
  snprintf(s->body[s->n], 256, "%s", j->body);
  snprintf(s->date[s->n], 17, "%s %s", j->date, j->time);
  for (size_t i = 0; i < e.ntags; i++) {
    strcat(s->tags[s->n], i ? " " : "");
    strcat(s->tags[s->n], e.tags[i]);
  }
  s->starred[s->n++] = e.starred;
  rv_entry_release(&e);
  return 0;
}

/* jrnl's file read by jrnl's rules, entry by entry. */
static void test_jrnl_txt(void **state) {
  (void)state;
  static const char file[] =
      "a stray line before any entry\n"
      "[2026-03-29 02:30] Clocks went forward. Really. *\n"
      "The hour that never was, @dst.\r\n"
      "Write to a@b.org about @os/2 and @c++.\n"
      "[2026-03-29] is no opening, nor is [yesterday] \n"
      " [2026-03-29 02:30] indented, no opening\n"
      "\n"
      "[1969-07-20 20:17] The Eagle has landed\n"
      "\n"
      "[2026-02-30 10:00] not a date, so still the Eagle's body\n"
      "[2026-01-01 10:00] Last one. No newline at the end #c# @Tōkyō";
  seen_t s;
  size_t before;
  memset(&s, 0, sizeof s);
  tu_check(0, rv_jrnl_txt_parse(file, sizeof file - 1, collect, &s, &before));
  assert_int_equal(before, strlen("a stray line before any entry\n"));
  assert_int_equal(s.n, 3);
  assert_string_equal(s.date[0], "2026-03-29 02:30");
  assert_string_equal(s.title[0], "Clocks went forward. Really.");
  assert_string_equal(s.body[0], "The hour that never was, @dst.\nWrite to a@b.org about @os/2 and "
                                 "@c++.\n[2026-03-29] is no opening, nor is [yesterday] \n"
                                 " [2026-03-29 02:30] indented, no opening");
  assert_true(s.starred[0]);
  assert_string_equal(s.tags[0], "@dst @os/2 @c++");
  assert_string_equal(s.date[1], "1969-07-20 20:17");
  assert_string_equal(s.title[1], "The Eagle has landed");
  assert_string_equal(s.body[1], "[2026-02-30 10:00] not a date, so still the Eagle's body");
  assert_false(s.starred[1]);
  assert_string_equal(s.tags[1], "");
  /* No newline at all: jrnl's first sentence is the title. */
  assert_string_equal(s.title[2], "Last one.");
  assert_string_equal(s.body[2], "No newline at the end #c# @Tōkyō");
  assert_string_equal(s.tags[2], "#c# @tōkyō");
}

/* Written as jrnl writes its file, read back the same; a body line that
 * jrnl would take for an opening goes out after a space. */
static void test_jrnl_txt_append(void **state) {
  (void)state;
  rv_entry_t e;
  rv_buf_t b;
  memset(&e, 0, sizeof e);
  rv_buf_init(&b);
  tu_check(0, rv_wall_parse("1969-07-20 20:17", &e.at_ms));
  e.text = "Title line\nbody one\n[2026-03-29 02:30] looks like an entry\n[x] a checkbox";
  e.starred = true;
  tu_check(0, rv_jrnl_txt_append(&b, &e, true));
  e.text = "Second";
  e.starred = false;
  tu_check(0, rv_jrnl_txt_append(&b, &e, false));
  rv_buf_append(&b, "", 1);
  assert_string_equal((const char *)b.data,
                      "[1969-07-20 20:17] Title line *\nbody one\n"
                      " [2026-03-29 02:30] looks like an entry\n[x] a checkbox\n"
                      "\n[1969-07-20 20:17] Second\n");
  seen_t s;
  memset(&s, 0, sizeof s);
  tu_check(0, rv_jrnl_txt_parse((const char *)b.data, b.len - 1, collect, &s, NULL));
  assert_int_equal(s.n, 2);
  assert_string_equal(s.title[0], "Title line");
  assert_true(s.starred[0]);
  assert_string_equal(s.title[1], "Second");
  rv_buf_release(&b);
}

/* An entry stored before wall-clock times (version 1: UTC milliseconds,
 * tags without '@') reads as local wall-clock time and '@' tags. */
static void test_version_1(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  uint8_t ad[64];
  rv_oid_t id;
  rv_buf_t box;
  size_t n;
  rv_random(id.b, RV_OID_LEN);
  setenv("TZ", "Europe/London", 1);
  tzset();
  rv_enc_reset(h->enc_plain);
  rv_enc_array(h->enc_plain, 7);
  rv_enc_uint(h->enc_plain, 1);
  rv_enc_uint(h->enc_plain, 1782639000000u); /* 2026-06-28 09:30 UTC: 10:30 in London */
  rv_enc_uint(h->enc_plain, 1782639000001u);
  rv_enc_cstr(h->enc_plain, "an old entry");
  rv_enc_array(h->enc_plain, 2);
  rv_enc_cstr(h->enc_plain, "ward");
  rv_enc_cstr(h->enc_plain, "starred"); /* how version 1 kept a star */
  rv_enc_nil(h->enc_plain);
  uint8_t old_source[RV_HASH_LEN];
  memset(old_source, 0x5a, sizeof old_source); /* imported, hashed the old way */
  rv_enc_bin(h->enc_plain, old_source, RV_HASH_LEN);
  const uint8_t *p = rv_enc_data(h->enc_plain, &n);
  memcpy(ad, "revans journal v1", 17);
  memcpy(ad + 17, id.b, RV_OID_LEN);
  rv_buf_init(&box);
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_box_seal(&box, p, n, ad, 17 + RV_OID_LEN, h->sec->local));
  tu_check(0, rv_put(h->txn, RV_DB_JOURNAL, id.b, RV_OID_LEN, box.data, box.len));
  tu_check(0, rv_home_commit(h));
  rv_buf_release(&box);
  rv_entry_t got;
  char s[17];
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_journal_get(h, &id, &got));
  rv_home_abort(h);
  rv_wall_format(s, got.at_ms);
  assert_string_equal(s, "2026-06-28 10:30");
  assert_int_equal(got.ntags, 1);
  assert_string_equal(got.tags[0], "@ward");
  assert_true(got.starred);
  /* The same entry imported again is already here. */
  rv_journal_import_t *im = NULL;
  bool added = true;
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_import_new(h, &im));
  tu_check(0, rv_journal_import_put(im, &got, &added));
  assert_false(added);
  rv_journal_import_destroy(&im);
  rv_home_abort(h);
  rv_entry_release(&got);
  rv_home_close(&h);
}

/* Identical entries in a file are all kept; importing the file again adds
 * none; a file with one more copy adds that one; an entry written here
 * with the same words and minute counts as one already held. */
static void import_n(rv_home_t *h, int copies, size_t want_added) {
  rv_journal_import_t *im = NULL;
  size_t added = 0;
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_journal_import_new(h, &im));
  for (int i = 0; i < copies; i++) {
    rv_entry_t e;
    bool was_added;
    memset(&e, 0, sizeof e);
    e.text = strdup("Same words, same minute.");
    e.at_ms = 1000;
    tu_check(0, rv_journal_import_put(im, &e, &was_added));
    added += was_added;
    rv_entry_release(&e);
  }
  rv_journal_import_destroy(&im);
  tu_check(0, rv_home_commit(h));
  assert_int_equal(added, want_added);
}

static void test_import_duplicates(void **state) {
  rv_home_t *h = tu_home(*state, "a", "Ada");
  put(h, 1000, "Same words, same minute.", NULL, 0, NULL); /* written here */
  import_n(h, 2, 1);
  import_n(h, 2, 0);
  import_n(h, 3, 1);
  rv_journal_query_t q = {0};
  rv_journal_hit_t *v;
  size_t n;
  query(h, &q, &v, &n);
  assert_int_equal(n, 3);
  free(v);
  rv_home_close(&h);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_roundtrip, setup, teardown),
      cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_box_bound_to_id, setup, teardown),
      cmocka_unit_test_setup_teardown(test_query, setup, teardown),
      cmocka_unit_test_setup_teardown(test_query_threaded, setup, teardown),
      cmocka_unit_test_setup_teardown(test_empty, setup, teardown),
      cmocka_unit_test(test_tag_rule),
      cmocka_unit_test(test_wallclock),
      cmocka_unit_test(test_jrnl_txt),
      cmocka_unit_test(test_jrnl_txt_append),
      cmocka_unit_test_setup_teardown(test_version_1, setup, teardown),
      cmocka_unit_test_setup_teardown(test_import_duplicates, setup, teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
