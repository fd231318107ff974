/*
 * Tests of the LMDB store (store.h): put, get and delete in named
 * databases; cursors that seek, step both ways and find the last key with
 * a prefix; aborted transactions that leave nothing behind and committed
 * ones that survive closing and reopening; a damaged data.mdb refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "revans/error.h"
#include "revans/store.h"
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct fixture {
  char *dir;
  rv_store_t *s;
} fixture_t;

static int setup(void **state) {
  fixture_t *f = calloc(1, sizeof *f);
  if (!f)
    return -1;
  f->dir = tu_tmpdir();
  if (rv_store_create(f->dir, &f->s) < 0)
    return -1;
  *state = f;
  return 0;
}

static int teardown(void **state) {
  fixture_t *f = *state;
  rv_store_close(&f->s);
  assert_null(f->s);
  rv_store_close(&f->s); /* accepts NULL */
  tu_rmtree(f->dir);
  free(f->dir);
  free(f);
  return 0;
}

static void put(rv_txn_t *t, enum rv_db db, const char *k, const char *v) {
  tu_check(0, rv_put(t, db, k, strlen(k), v, strlen(v)));
}

static void expect(rv_txn_t *t, enum rv_db db, const char *k, const char *v) {
  const uint8_t *p;
  size_t n;
  if (!v) {
    tu_check(RV_ENOTFOUND, rv_get(t, db, k, strlen(k), &p, &n));
    return;
  }
  tu_check(0, rv_get(t, db, k, strlen(k), &p, &n));
  assert_int_equal(n, strlen(v));
  assert_memory_equal(p, v, n);
}

static void test_put_get_del(void **state) {
  fixture_t *f = *state;
  rv_txn_t *t = NULL;
  tu_check(0, rv_txn_begin(f->s, true, &t));
  assert_true(rv_txn_writable(t));
  expect(t, RV_DB_META, "k", NULL);
  put(t, RV_DB_META, "k", "one");
  expect(t, RV_DB_META, "k", "one");
  put(t, RV_DB_META, "k", "two"); /* overwrite */
  expect(t, RV_DB_META, "k", "two");
  /* Databases are separate. */
  expect(t, RV_DB_LOG, "k", NULL);
  put(t, RV_DB_LOG, "k", "log");
  expect(t, RV_DB_META, "k", "two");
  /* An empty value is a value. */
  tu_check(0, rv_put(t, RV_DB_ORDER, "e", 1, "", 0));
  const uint8_t *p;
  size_t n = 99;
  tu_check(0, rv_get(t, RV_DB_ORDER, "e", 1, &p, &n));
  assert_int_equal(n, 0);

  tu_check(0, rv_del(t, RV_DB_META, "k", 1));
  expect(t, RV_DB_META, "k", NULL);
  expect(t, RV_DB_LOG, "k", "log");
  tu_check(RV_ENOTFOUND, rv_del(t, RV_DB_META, "k", 1));

  /* A value larger than a page. */
  size_t big = 200000;
  uint8_t *v = malloc(big);
  assert_non_null(v);
  for (size_t i = 0; i < big; i++)
    v[i] = (uint8_t)(i * 7);
  tu_check(0, rv_put(t, RV_DB_JOURNAL, "big", 3, v, big));
  tu_check(0, rv_get(t, RV_DB_JOURNAL, "big", 3, &p, &n));
  assert_int_equal(n, big);
  assert_memory_equal(p, v, big);
  free(v);
  tu_check(0, rv_txn_commit(&t));
  assert_null(t);

  /* A read transaction sees it and cannot write. */
  tu_check(0, rv_txn_begin(f->s, false, &t));
  assert_false(rv_txn_writable(t));
  expect(t, RV_DB_LOG, "k", "log");
  assert_true(rv_put(t, RV_DB_LOG, "x", 1, "y", 1) < 0);
  rv_txn_abort(&t);
  assert_null(t);
  rv_txn_abort(&t); /* accepts NULL */
}

static void test_abort_discards_commit_persists(void **state) {
  fixture_t *f = *state;
  rv_txn_t *t = NULL;
  tu_check(0, rv_txn_begin(f->s, true, &t));
  put(t, RV_DB_META, "kept", "yes");
  tu_check(0, rv_txn_commit(&t));

  tu_check(0, rv_txn_begin(f->s, true, &t));
  put(t, RV_DB_META, "dropped", "no");
  put(t, RV_DB_META, "kept", "overwritten");
  tu_check(RV_ENOTFOUND, rv_del(t, RV_DB_LOG, "nothing", 7));
  rv_txn_abort(&t);

  tu_check(0, rv_txn_begin(f->s, false, &t));
  expect(t, RV_DB_META, "dropped", NULL);
  expect(t, RV_DB_META, "kept", "yes");
  rv_txn_abort(&t);

  /* Across close and reopen. */
  rv_store_close(&f->s);
  tu_check(0, rv_store_open(f->dir, &f->s));
  tu_check(0, rv_txn_begin(f->s, false, &t));
  expect(t, RV_DB_META, "kept", "yes");
  expect(t, RV_DB_META, "dropped", NULL);
  rv_txn_abort(&t);
}

/* Fills LOG with keys of one or two bytes: 01, 01 00, 01 ff, 02, 02 05,
 * 05, ff, ff ff. */
static const uint8_t keys[][2] = {{0x01}, {0x01, 0x00}, {0x01, 0xff}, {0x02}, {0x02, 0x05},
                                  {0x05}, {0xff},       {0xff, 0xff}};
static const size_t keylens[] = {1, 2, 2, 1, 2, 1, 1, 2};
#define NKEYS (sizeof keylens / sizeof keylens[0])

static rv_txn_t *fill(fixture_t *f) {
  rv_txn_t *t = NULL;
  tu_check(0, rv_txn_begin(f->s, true, &t));
  for (size_t i = 0; i < NKEYS; i++) {
    uint8_t v = (uint8_t)i;
    tu_check(0, rv_put(t, RV_DB_LOG, keys[i], keylens[i], &v, 1));
  }
  return t;
}

static void expect_kv(const rv_kv_t *kv, size_t i) {
  assert_int_equal(kv->kn, keylens[i]);
  assert_memory_equal(kv->k, keys[i], keylens[i]);
  assert_int_equal(kv->vn, 1);
  assert_int_equal(kv->v[0], i);
}

static void test_cursor_walk(void **state) {
  fixture_t *f = *state;
  rv_txn_t *t = fill(f);
  rv_cursor_t *c = NULL;
  rv_kv_t kv;
  tu_check(0, rv_cursor_open(t, RV_DB_LOG, &c));
  /* From the first key to the last, then back. */
  tu_check(0, rv_cursor_seek(c, NULL, 0, &kv));
  expect_kv(&kv, 0);
  for (size_t i = 1; i < NKEYS; i++) {
    tu_check(0, rv_cursor_next(c, &kv));
    expect_kv(&kv, i);
  }
  tu_check(RV_ENOTFOUND, rv_cursor_next(c, &kv));
  tu_check(0, rv_cursor_seek(c, "\xff\xff", 2, &kv));
  expect_kv(&kv, NKEYS - 1);
  for (size_t i = NKEYS - 1; i-- > 0;) {
    tu_check(0, rv_cursor_prev(c, &kv));
    expect_kv(&kv, i);
  }
  tu_check(RV_ENOTFOUND, rv_cursor_prev(c, &kv));

  /* Seek lands on the first key >= the one asked for. */
  tu_check(0, rv_cursor_seek(c, "\x01\x80", 2, &kv));
  expect_kv(&kv, 2);
  tu_check(0, rv_cursor_seek(c, "\x02", 1, &kv));
  expect_kv(&kv, 3);
  tu_check(0, rv_cursor_seek(c, "\x03", 1, &kv));
  expect_kv(&kv, 5);
  tu_check(0, rv_cursor_seek(c, "\x00", 1, &kv));
  expect_kv(&kv, 0);
  tu_check(RV_ENOTFOUND, rv_cursor_seek(c, "\xff\xff\x00", 3, &kv));
  rv_cursor_close(&c);
  assert_null(c);
  rv_cursor_close(&c);
  rv_txn_abort(&t);

  /* An empty database. */
  tu_check(0, rv_txn_begin(f->s, false, &t));
  tu_check(0, rv_cursor_open(t, RV_DB_FORKS, &c));
  tu_check(RV_ENOTFOUND, rv_cursor_seek(c, NULL, 0, &kv));
  tu_check(RV_ENOTFOUND, rv_cursor_last_with(c, "\x01", 1, &kv));
  rv_cursor_close(&c);
  rv_txn_abort(&t);
}

static void test_cursor_last_with(void **state) {
  fixture_t *f = *state;
  rv_txn_t *t = fill(f);
  rv_cursor_t *c = NULL;
  rv_kv_t kv;
  tu_check(0, rv_cursor_open(t, RV_DB_LOG, &c));
  static const struct {
    const char *prefix;
    size_t pn;
    int want; /* index into keys, -1 for none */
  } cases[] = {
      {"\x01", 1, 2},        /* 01 ff is the last key starting with 01 */
      {"\x01\x00", 2, 1},    /* an exact key, with nothing after it */
      {"\x01\xff", 2, 2},    /* a prefix ending in ff */
      {"\x02", 1, 4},        /* 02 05 */
      {"\x03", 1, -1},       /* between keys */
      {"\x00", 1, -1},       /* before every key */
      {"\x05", 1, 5},        /* a key whose next neighbour has another prefix */
      {"\xff", 1, 7},        /* an all-ff prefix: the last key of all */
      {"\xff\xff", 2, 7},
      {"\xff\xff\xff", 3, -1},
      {"\x02\x05\x00", 3, -1}, /* longer than the key */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int r = rv_cursor_last_with(c, cases[i].prefix, cases[i].pn, &kv);
    if (cases[i].want < 0) {
      tu_check(RV_ENOTFOUND, r);
    } else {
      tu_check(0, r);
      expect_kv(&kv, (size_t)cases[i].want);
      /* The cursor is positioned there: prev steps to the key before. */
      if (cases[i].want > 0) {
        tu_check(0, rv_cursor_prev(c, &kv));
        expect_kv(&kv, (size_t)cases[i].want - 1);
      }
    }
  }
  uint8_t longp[200] = {0};
  tu_check(RV_EINVAL, rv_cursor_last_with(c, longp, sizeof longp, &kv));
  rv_cursor_close(&c);

  /* With 01 ff as the very last key of the database. */
  tu_check(0, rv_del(t, RV_DB_LOG, "\x02", 1));
  tu_check(0, rv_del(t, RV_DB_LOG, "\x02\x05", 2));
  tu_check(0, rv_del(t, RV_DB_LOG, "\x05", 1));
  tu_check(0, rv_del(t, RV_DB_LOG, "\xff", 1));
  tu_check(0, rv_del(t, RV_DB_LOG, "\xff\xff", 2));
  tu_check(0, rv_cursor_open(t, RV_DB_LOG, &c));
  tu_check(0, rv_cursor_last_with(c, "\x01", 1, &kv));
  expect_kv(&kv, 2);
  tu_check(RV_ENOTFOUND, rv_cursor_last_with(c, "\x02", 1, &kv));
  rv_cursor_close(&c);
  rv_txn_abort(&t);
}

static void test_be64(void **state) {
  (void)state;
  static const uint64_t v[] = {0, 1, 255, 256, 65535, (uint64_t)1 << 32, UINT64_MAX - 1,
                               UINT64_MAX};
  uint8_t a[8], b[8];
  rv_be64_put(a, 0x0102030405060708u);
  assert_memory_equal(a, "\x01\x02\x03\x04\x05\x06\x07\x08", 8);
  for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
    rv_be64_put(a, v[i]);
    assert_true(rv_be64_get(a) == v[i]);
    if (i > 0) {
      rv_be64_put(b, v[i - 1]);
      assert_true(memcmp(b, a, 8) < 0); /* byte order is numeric order */
    }
  }
}

static void write_file(const char *path, const void *p, size_t n) {
  FILE *fp = fopen(path, "wb");
  assert_non_null(fp);
  assert_int_equal(fwrite(p, 1, n, fp), n);
  assert_int_equal(fclose(fp), 0);
}

/* A data.mdb that is not an LMDB environment is refused, not trusted. */
static void test_damaged_file_refused(void **state) {
  (void)state;
  static const size_t sizes[] = {16, 4096, 3 * 4096 + 7};
  for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
    char *dir = tu_tmpdir(), *path = tu_path(dir, "data.mdb");
    uint8_t *junk = malloc(sizes[i]);
    rv_store_t *s = NULL;
    assert_non_null(junk);
    memset(junk, 0x5a, sizes[i]);
    write_file(path, junk, sizes[i]);
    int r = rv_store_open(dir, &s);
    if (r != RV_ECORRUPT)
      print_error("%zu bytes of junk: rv_store_open returned %d (%s)\n", sizes[i], r,
                  rv_strerror(r));
    assert_int_equal(r, RV_ECORRUPT);
    assert_null(s);
    free(junk);
    free(path);
    tu_rmtree(dir);
    free(dir);
  }
  /* A directory that does not exist. */
  rv_store_t *s = NULL;
  assert_true(rv_store_open("/tmp/revans-unit-does-not-exist/x", &s) < 0);
  assert_null(s);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_put_get_del, setup, teardown),
      cmocka_unit_test_setup_teardown(test_abort_discards_commit_persists, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cursor_walk, setup, teardown),
      cmocka_unit_test_setup_teardown(test_cursor_last_with, setup, teardown),
      cmocka_unit_test(test_be64),
      cmocka_unit_test(test_damaged_file_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
