/*
 * Tests of a home (home.h): creating one with its sealed identity, opening
 * it locked and unlocking it with the passphrase (and only with it),
 * transactions that abort to nothing and commit durably, and the promise
 * that no name, set name or topic reaches the disk in clear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "internal.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/set.h"
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int setup(void **state) {
  *state = tu_tmpdir();
  return 0;
}

static int teardown(void **state) {
  tu_rmtree(*state);
  free(*state);
  return 0;
}

static int create(const char *dir, const char *name, const char *pass, size_t passlen,
                  rv_home_t **ret) {
  return rv_home_create(dir, name, pass, passlen, TU_OPS, TU_MEM, ret);
}

static void test_create_open_unlock(void **state) {
  const char *root = *state;
  char *dir = tu_path(root, "nested/deeper/home");
  rv_home_t *h = NULL;
  rv_member_id_t self;
  struct stat st;

  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  assert_true(rv_home_unlocked(h));
  assert_string_equal(rv_home_name(h), "Ada");
  assert_string_equal(rv_home_dir(h), dir);
  self = *rv_home_self(h);
  rv_home_close(&h);
  assert_null(h);
  rv_home_close(&h); /* accepts NULL */

  /* Private directories, the created parents too. */
  assert_int_equal(stat(dir, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  char *parent = tu_path(root, "nested");
  assert_int_equal(stat(parent, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  free(parent);

  tu_check(0, rv_home_open(dir, &h));
  assert_false(rv_home_unlocked(h));
  assert_null(rv_home_name(h));
  assert_memory_equal(rv_home_self(h)->b, self.b, RV_ID_LEN);

  tu_check(RV_EPASS, rv_home_unlock(h, "wrong", 5));
  assert_false(rv_home_unlocked(h));
  tu_check(RV_EPASS, rv_home_unlock(h, TU_PASS, strlen(TU_PASS) - 1));
  tu_check(RV_EPASS, rv_home_unlock(h, "", 0));
  assert_null(rv_home_name(h));
  tu_check(0, rv_home_unlock(h, TU_PASS, strlen(TU_PASS)));
  assert_true(rv_home_unlocked(h));
  assert_string_equal(rv_home_name(h), "Ada");
  assert_memory_equal(rv_home_self(h)->b, self.b, RV_ID_LEN);
  tu_check(0, rv_home_unlock(h, TU_PASS, strlen(TU_PASS))); /* already unlocked */
  rv_home_close(&h);
  free(dir);
}

/* A home in a directory that already exists is made private too. */
static void test_existing_directory_made_private(void **state) {
  char *dir = tu_path(*state, "open");
  rv_home_t *h = NULL;
  struct stat st;
  assert_int_equal(mkdir(dir, 0755), 0);
  assert_int_equal(chmod(dir, 0755), 0);
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  assert_int_equal(stat(dir, &st), 0);
  assert_int_equal(st.st_mode & 0777, 0700);
  rv_home_close(&h);
  free(dir);
}

/* A directory others may write to is refused, at creation (when it
 * already holds something) and at every open; tightened, it opens. */
static void test_loose_directory_refused(void **state) {
  char *dir = tu_path(*state, "loose"), *file = tu_path(dir, "notes");
  rv_home_t *h = NULL;
  assert_int_equal(mkdir(dir, 0700), 0);
  FILE *f = fopen(file, "w");
  assert_non_null(f);
  fclose(f);
  assert_int_equal(chmod(dir, 0777), 0);
  tu_check(RV_EUNSAFE, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  assert_null(h);
  assert_int_equal(chmod(dir, 0700), 0);
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  rv_home_close(&h);
  assert_int_equal(chmod(dir, 0770), 0);
  tu_check(RV_EUNSAFE, rv_home_open(dir, &h));
  assert_int_equal(chmod(dir, 0750), 0);
  tu_check(0, rv_home_open(dir, &h));
  rv_home_close(&h);
  free(file);
  free(dir);
}

/* Rewrites the stored identity as homes made before "ms" was kept: the
 * same map without it. */
static void drop_ms(const char *dir) {
  rv_home_t *h = NULL;
  rv_txn_t *txn = NULL;
  rv_dec_t *dec = NULL;
  rv_enc_t *enc = NULL;
  const uint8_t *blob;
  size_t n;
  rv_val_t m, k, v;
  tu_check(0, rv_home_open(dir, &h));
  tu_check(0, rv_dec_new(&dec));
  tu_check(0, rv_enc_new(&enc));
  tu_check(0, rv_txn_begin(h->store, true, &txn));
  tu_check(0, rv_get(txn, RV_DB_SECRETS, "identity", 8, &blob, &n));
  uint8_t *copy = malloc(n);
  memcpy(copy, blob, n);
  tu_check(0, rv_dec_parse(dec, copy, n, &m));
  assert_int_equal(rv_val_len(m), 6);
  rv_enc_map(enc, 5);
  for (uint32_t i = 0; i < 6; i++) {
    const uint8_t *p;
    size_t pn;
    uint64_t u;
    rv_val_pair(m, i, &k, &v);
    if (rv_val_is_str(k, "ms"))
      continue;
    rv_val_str(k, (const char **)&p, &pn);
    rv_enc_str(enc, (const char *)p, pn);
    if (rv_val_uint(v, &u) == 0)
      rv_enc_uint(enc, u);
    else if (rv_val_bin(v, &p, &pn) == 0)
      rv_enc_bin(enc, p, pn);
  }
  const uint8_t *out = rv_enc_data(enc, &n);
  tu_check(0, rv_put(txn, RV_DB_SECRETS, "identity", 8, out, n));
  tu_check(0, rv_txn_commit(&txn));
  free(copy);
  rv_enc_destroy(&enc);
  rv_dec_destroy(&dec);
  rv_home_close(&h);
}

/* A new passphrase, a new salt: the old one no longer unlocks, the new
 * one does, nothing else changes. A home made before the stretch's time
 * was kept still opens (its time unknown: 0). */
static void test_passphrase_change(void **state) {
  char *dir = tu_path(*state, "h");
  rv_home_t *h = NULL;
  uint64_t ops, mem, ms;
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  rv_member_id_t self = *rv_home_self(h);
  tu_check(0, rv_home_passphrase_change(h, "new words", 9, TU_OPS + 1, TU_MEM));
  rv_home_pwhash_costs(h, &ops, &mem, &ms);
  assert_int_equal(ops, TU_OPS + 1);
  rv_home_close(&h);
  tu_check(0, rv_home_open(dir, &h));
  tu_check(RV_ELOCKED, rv_home_passphrase_change(h, "x", 1, TU_OPS, TU_MEM));
  tu_check(RV_EPASS, rv_home_unlock(h, TU_PASS, strlen(TU_PASS)));
  tu_check(0, rv_home_unlock(h, "new words", 9));
  assert_memory_equal(rv_home_self(h)->b, self.b, RV_ID_LEN);
  assert_string_equal(rv_home_name(h), "Ada");
  rv_home_pwhash_costs(h, &ops, &mem, &ms);
  assert_int_equal(ops, TU_OPS + 1);
  assert_int_equal(mem, TU_MEM);
  rv_home_close(&h);

  drop_ms(dir);
  tu_check(0, rv_home_open(dir, &h));
  tu_check(0, rv_home_unlock(h, "new words", 9));
  rv_home_pwhash_costs(h, &ops, &mem, &ms);
  assert_int_equal(ms, 0);
  assert_int_equal(ops, TU_OPS + 1);
  rv_home_close(&h);
  free(dir);
}

/* The whole passphrase counts: its length, and bytes after a NUL. */
static void test_passphrase_bytes(void **state) {
  const char *root = *state;
  char *dir = tu_path(root, "h");
  rv_home_t *h = NULL;
  tu_check(0, create(dir, "Ada", "ab\0cd", 5, &h));
  rv_home_close(&h);
  tu_check(0, rv_home_open(dir, &h));
  tu_check(RV_EPASS, rv_home_unlock(h, "ab\0ce", 5));
  tu_check(RV_EPASS, rv_home_unlock(h, "ab", 2));
  tu_check(RV_EPASS, rv_home_unlock(h, "ab\0cd\0", 6));
  tu_check(0, rv_home_unlock(h, "ab\0cd", 5));
  rv_home_close(&h);
  free(dir);
}

static void test_create_refuses_existing(void **state) {
  const char *root = *state;
  char *dir = tu_path(root, "h");
  rv_home_t *h = NULL, *h2 = NULL;
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  rv_member_id_t self = *rv_home_self(h);
  rv_home_close(&h);
  tu_check(RV_EEXIST, create(dir, "Eve", "other", 5, &h2));
  assert_null(h2);
  /* The first identity is untouched. */
  tu_check(0, rv_home_open(dir, &h));
  assert_memory_equal(rv_home_self(h)->b, self.b, RV_ID_LEN);
  tu_check(RV_EPASS, rv_home_unlock(h, "other", 5));
  tu_check(0, rv_home_unlock(h, TU_PASS, strlen(TU_PASS)));
  assert_string_equal(rv_home_name(h), "Ada");
  rv_home_close(&h);
  free(dir);
}

static void test_open_missing_and_bad_names(void **state) {
  const char *root = *state;
  rv_home_t *h = NULL;
  char *missing = tu_path(root, "missing");
  tu_check(RV_ENOTFOUND, rv_home_open(missing, &h));
  tu_check(RV_ENOTFOUND, rv_home_open(root, &h)); /* a directory without a store */
  assert_null(h);
  /* A store with no identity in it. */
  char *bare = tu_path(root, "bare");
  rv_store_t *st = NULL;
  assert_int_equal(mkdir(bare, 0700), 0);
  tu_check(0, rv_store_create(bare, &st));
  rv_store_close(&st);
  tu_check(RV_ENOTFOUND, rv_home_open(bare, &h));
  assert_null(h);
  free(bare);

  char name[RV_NAME_MAX + 2];
  memset(name, 'n', sizeof name);
  name[RV_NAME_MAX + 1] = '\0';
  tu_check(RV_EINVAL, create(missing, name, TU_PASS, strlen(TU_PASS), &h));
  tu_check(RV_EINVAL, create(missing, "", TU_PASS, strlen(TU_PASS), &h));
  tu_check(RV_EINVAL, create(missing, NULL, TU_PASS, strlen(TU_PASS), &h));
  assert_null(h);
  name[RV_NAME_MAX] = '\0';
  tu_check(0, create(missing, name, TU_PASS, strlen(TU_PASS), &h));
  assert_string_equal(rv_home_name(h), name);
  rv_home_close(&h);
  free(missing);
}

static void test_locked_home_cannot_write(void **state) {
  const char *root = *state;
  char *dir = tu_path(root, "h");
  rv_home_t *h = NULL;
  rv_set_id_t set;
  const rv_state_t *s;
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  tu_set_create(h, "north", NULL, &set);
  rv_home_close(&h);
  tu_check(0, rv_home_open(dir, &h));
  tu_check(0, rv_home_begin(h, true));
  tu_check(RV_ELOCKED, rv_set_create(h, "south", NULL, &set));
  tu_check(RV_ELOCKED, rv_set_state(h, &set, &s));
  rv_home_abort(h);
  rv_home_close(&h);
  free(dir);
}

static void test_transactions(void **state) {
  const char *root = *state;
  char *dir = tu_path(root, "h");
  rv_home_t *h = NULL;
  rv_set_id_t set, *sets = NULL;
  size_t n = 0;
  const rv_state_t *s;
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));

  tu_check(RV_EINVAL, rv_home_commit(h)); /* none begun */
  tu_check(0, rv_home_begin(h, true));
  tu_check(RV_EINVAL, rv_home_begin(h, true)); /* one at a time */
  tu_check(0, rv_set_create(h, "dropped", NULL, &set));
  rv_home_abort(h);

  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_list(h, &sets, &n));
  assert_int_equal(n, 0);
  free(sets);
  tu_check(RV_ENOTFOUND, rv_set_state(h, &set, &s));
  rv_home_abort(h);

  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_set_create(h, "kept", "a topic", &set));
  tu_check(0, rv_home_commit(h));
  rv_home_close(&h);

  tu_check(0, rv_home_open(dir, &h));
  tu_check(0, rv_home_unlock(h, TU_PASS, strlen(TU_PASS)));
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_list(h, &sets, &n));
  assert_int_equal(n, 1);
  assert_memory_equal(sets[0].b, set.b, RV_SETID_LEN);
  free(sets);
  tu_check(0, rv_set_state(h, &set, &s));
  assert_string_equal(s->name, "kept");
  assert_string_equal(s->topic, "a topic");
  rv_home_abort(h);
  rv_home_close(&h);
  free(dir);
}

/* ---- nothing in clear on disk -------------------------------------- */

/* Fails if any file under dir holds needle. Returns the files read. */
static size_t scan_tree(const char *dir, const void *needle, size_t nn, const char *what) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t files = 0;
  assert_non_null(d);
  while ((e = readdir(d)) != NULL) {
    struct stat st;
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    char *p = tu_path(dir, e->d_name);
    assert_int_equal(lstat(p, &st), 0);
    if (S_ISDIR(st.st_mode)) {
      files += scan_tree(p, needle, nn, what);
    } else if (S_ISREG(st.st_mode)) {
      rv_buf_t b;
      rv_buf_init(&b);
      tu_read_file(p, &b);
      if (tu_contains(b.data, b.len, needle, nn)) {
        print_error("%s found in %s\n", what, p);
        fail();
      }
      rv_buf_release(&b);
      files++;
    }
    free(p);
  }
  closedir(d);
  return files;
}

static void test_no_plaintext_on_disk(void **state) {
  const char *root = *state;
  /* Each marker is unique to one field, so a failure says which leaked. */
  static const char *const markers[] = {
      "MRK-person-a-7f3a9c", "MRK-person-b-81d0e2",  "MRK-set-name-c4b6a1",
      "MRK-topic-5e9d07",    "MRK-topic-two-2a6f4b", "MRK-second-set-9b13c8",
  };
  rv_home_t *a = tu_home(root, "a", markers[0]);
  rv_home_t *b = tu_home(root, "b", markers[1]);
  rv_set_id_t set, set2;
  rv_buf_t bundle;
  rv_buf_init(&bundle);
  tu_set_create(a, markers[2], markers[3], &set);
  tu_set_create(a, markers[5], NULL, &set2);
  tu_invite_join(a, b, &set, RV_ROLE_FACILITATOR);
  tu_set_topic(b, &set, markers[4]);
  tu_bundle(b, &bundle);
  rv_ingest_report_t rep;
  tu_check(0, tu_apply(a, bundle.data, bundle.len, &rep));
  assert_true(rep.added > 0);

  /* Both homes know the names: the markers went in. */
  const rv_state_t *s;
  tu_check(0, rv_home_begin(a, false));
  tu_check(0, rv_set_state(a, &set, &s));
  assert_string_equal(s->topic, markers[4]);
  assert_string_equal(rv_state_member(s, rv_home_self(b))->name, markers[1]);
  rv_home_abort(a);
  rv_member_id_t aid = *rv_home_self(a);
  rv_home_close(&a);
  rv_home_close(&b);

  for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
    assert_true(scan_tree(root, markers[i], strlen(markers[i]), markers[i]) >= 2);
  /* Nor in the bundle that was carried between them. */
  for (size_t i = 0; i < sizeof markers / sizeof markers[0]; i++)
    assert_false(tu_contains(bundle.data, bundle.len, markers[i], strlen(markers[i])));

  /* The scan does see what is stored: A's public id is in A's data.mdb. */
  char *adir = tu_path(root, "a"), *mdb = tu_path(adir, "data.mdb");
  rv_buf_t data;
  rv_buf_init(&data);
  tu_read_file(mdb, &data);
  assert_true(tu_contains(data.data, data.len, aid.b, RV_ID_LEN));
  rv_buf_release(&data);
  rv_buf_release(&bundle);
  free(adir);
  free(mdb);
}

/* ---- a damaged store ----------------------------------------------- */

/* Flips each byte of one stored value in turn and calls check(), inside one
 * write transaction of h; the value is put back afterwards. */
static void flip_each(rv_home_t *h, enum rv_db db, const void *k, size_t kn,
                      void (*check)(rv_home_t *h, size_t i, void *ctx), void *ctx) {
  const uint8_t *v;
  size_t vn;
  tu_check(0, rv_get(h->txn, db, k, kn, &v, &vn));
  uint8_t *orig = malloc(vn), *bad = malloc(vn);
  assert_non_null(orig);
  assert_non_null(bad);
  memcpy(orig, v, vn);
  for (size_t i = 0; i < vn; i++) {
    memcpy(bad, orig, vn);
    bad[i] ^= 0x01;
    tu_check(0, rv_put(h->txn, db, k, kn, bad, vn));
    check(h, i, ctx);
  }
  tu_check(0, rv_put(h->txn, db, k, kn, orig, vn));
  free(orig);
  free(bad);
}

static void state_refused(rv_home_t *h, size_t i, void *ctx) {
  const rv_state_t *s;
  int r = rv_set_state(h, ctx, &s);
  if (r != RV_ECORRUPT)
    print_error("byte %zu altered: rv_set_state returned %d (%s)\n", i, r, rv_strerror(r));
  assert_int_equal(r, RV_ECORRUPT);
}

/* A sealed state or sealed set keys altered on disk: a clear RV_ECORRUPT,
 * never a wrong state. */
static void test_damaged_state_and_keys_refused(void **state) {
  rv_home_t *h = tu_home(*state, "h", "Ada");
  rv_set_id_t set;
  const rv_state_t *s;
  uint8_t kk[4 + RV_SETID_LEN];
  tu_set_create(h, "north", NULL, &set);
  memcpy(kk, "set:", 4);
  memcpy(kk + 4, set.b, RV_SETID_LEN);

  tu_check(0, rv_home_begin(h, true));
  flip_each(h, RV_DB_STATE, set.b, RV_SETID_LEN, state_refused, &set);
  flip_each(h, RV_DB_SECRETS, kk, sizeof kk, state_refused, &set);
  /* A state sealed for one set, stored under another's id. */
  rv_set_id_t set2;
  tu_check(0, rv_set_create(h, "south", NULL, &set2));
  tu_check(0, rv_home_commit(h));
  tu_check(0, rv_home_begin(h, true));
  const uint8_t *v;
  size_t vn;
  tu_check(0, rv_get(h->txn, RV_DB_STATE, set2.b, RV_SETID_LEN, &v, &vn));
  uint8_t *copy = malloc(vn);
  assert_non_null(copy);
  memcpy(copy, v, vn);
  tu_check(0, rv_put(h->txn, RV_DB_STATE, set.b, RV_SETID_LEN, copy, vn));
  tu_check(RV_ECORRUPT, rv_set_state(h, &set, &s));
  free(copy);
  rv_home_abort(h);

  /* Nothing of that was kept. */
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, &set, &s));
  assert_string_equal(s->name, "north");
  rv_home_abort(h);
  rv_home_close(&h);
}

/* The sealed identity altered on disk: unlocking fails with an error, and
 * never yields another identity. */
static void test_damaged_identity_refused(void **state) {
  char *dir = tu_path(*state, "h");
  rv_home_t *h = NULL;
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  rv_home_close(&h);
  tu_check(0, rv_home_open(dir, &h));

  tu_check(0, rv_home_begin(h, false));
  const uint8_t *v;
  size_t vn;
  tu_check(0, rv_get(h->txn, RV_DB_SECRETS, "identity", 8, &v, &vn));
  uint8_t *orig = malloc(vn), *bad = malloc(vn);
  assert_non_null(orig);
  assert_non_null(bad);
  memcpy(orig, v, vn);
  rv_home_abort(h);
  /* Unlocking reads committed data, so each alteration is committed. */
  for (size_t i = 0; i < vn; i++) {
    memcpy(bad, orig, vn);
    bad[i] ^= 0x01;
    tu_check(0, rv_home_begin(h, true));
    tu_check(0, rv_put(h->txn, RV_DB_SECRETS, "identity", 8, bad, vn));
    tu_check(0, rv_home_commit(h));
    int r = rv_home_unlock(h, TU_PASS, strlen(TU_PASS));
    assert_true(r <= 0);
    if (r == 0) {
      /* The Argon2 costs are not sealed: an alteration that libsodium
       * rounds to the same cost (the memory limit counts whole KiB)
       * derives the same key. That opens the same identity, never
       * another one. */
      assert_string_equal(rv_home_name(h), "Ada");
      rv_home_close(&h);
      tu_check(0, rv_home_open(dir, &h));
    }
    assert_false(rv_home_unlocked(h));
  }
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_put(h->txn, RV_DB_SECRETS, "identity", 8, orig, vn));
  tu_check(0, rv_home_commit(h));
  tu_check(0, rv_home_unlock(h, TU_PASS, strlen(TU_PASS)));
  rv_home_close(&h);
  free(orig);
  free(bad);
  free(dir);
}

/* The agent's path: the stretched passphrase of one unlocked opening
 * unlocks another without Argon2id; a wrong key does not; the CURVE keys
 * are the identity's, the same in every opening. */
static void test_unlock_key_and_curve_keys(void **state) {
  char *dir = tu_path(*state, "a");
  rv_home_t *h = NULL, *h2 = NULL;
  uint8_t key[32], pk[32], sk[32], pk2[32], sk2[32];
  tu_check(0, create(dir, "Ada", TU_PASS, strlen(TU_PASS), &h));
  tu_check(0, rv_home_unlock_key_get(h, key));
  tu_check(0, rv_home_curve_keys(h, pk, sk));

  tu_check(0, rv_home_open(dir, &h2));
  uint8_t none[32];
  tu_check(RV_ELOCKED, rv_home_unlock_key_get(h2, none));
  tu_check(RV_ELOCKED, rv_home_curve_keys(h2, pk2, sk2));
  uint8_t wrong[32];
  memcpy(wrong, key, 32);
  wrong[5] ^= 1;
  tu_check(RV_EPASS, rv_home_unlock_key(h2, wrong));
  assert_false(rv_home_unlocked(h2));
  tu_check(0, rv_home_unlock_key(h2, key));
  assert_true(rv_home_unlocked(h2));
  assert_string_equal(rv_home_name(h2), "Ada");
  tu_check(0, rv_home_curve_keys(h2, pk2, sk2));
  assert_memory_equal(pk, pk2, 32);
  assert_memory_equal(sk, sk2, 32);
  rv_home_close(&h2);

  /* And the key a passphrase unlock yields is the same key. */
  uint8_t key2[32];
  tu_check(0, rv_home_open(dir, &h2));
  tu_check(0, rv_home_unlock(h2, TU_PASS, strlen(TU_PASS)));
  tu_check(0, rv_home_unlock_key_get(h2, key2));
  assert_memory_equal(key, key2, 32);
  rv_home_close(&h2);
  rv_home_close(&h);
  free(dir);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(test_create_open_unlock, setup, teardown),
      cmocka_unit_test_setup_teardown(test_existing_directory_made_private, setup, teardown),
      cmocka_unit_test_setup_teardown(test_loose_directory_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_passphrase_bytes, setup, teardown),
      cmocka_unit_test_setup_teardown(test_passphrase_change, setup, teardown),
      cmocka_unit_test_setup_teardown(test_create_refuses_existing, setup, teardown),
      cmocka_unit_test_setup_teardown(test_open_missing_and_bad_names, setup, teardown),
      cmocka_unit_test_setup_teardown(test_locked_home_cannot_write, setup, teardown),
      cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
      cmocka_unit_test_setup_teardown(test_no_plaintext_on_disk, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_state_and_keys_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_damaged_identity_refused, setup, teardown),
      cmocka_unit_test_setup_teardown(test_unlock_key_and_curve_keys, setup, teardown),
  };
  return cmocka_run_group_tests(tests, tu_group_setup, NULL);
}
