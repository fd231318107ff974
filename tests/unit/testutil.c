/*
 * The shared helpers of the core unit tests (see testutil.h). They fail the
 * calling test through cmocka's assertions rather than returning codes, so
 * that a test reads as the steps a person would take.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void tu_check_at(int want, int got, const char *expr, const char *file, int line) {
  if (want == got)
    return;
  print_error("%s:%d: %s returned %d (%s), expected %d (%s)\n", file, line, expr, got,
              rv_strerror(got), want, rv_strerror(want));
  fail();
}

/* ---- files --------------------------------------------------------- */

char *tu_tmpdir(void) {
  char tmpl[] = "/tmp/revans-unit-XXXXXX";
  assert_non_null(mkdtemp(tmpl));
  char *s = strdup(tmpl);
  assert_non_null(s);
  return s;
}

char *tu_path(const char *dir, const char *leaf) {
  size_t n = strlen(dir) + strlen(leaf) + 2;
  char *s = malloc(n);
  assert_non_null(s);
  snprintf(s, n, "%s/%s", dir, leaf);
  return s;
}

void tu_rmtree(const char *path) {
  struct stat st;
  if (!path || lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (d) {
      struct dirent *e;
      while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
          continue;
        char *p = tu_path(path, e->d_name);
        tu_rmtree(p);
        free(p);
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

void tu_read_file(const char *path, rv_buf_t *out) {
  FILE *f = fopen(path, "rb");
  uint8_t chunk[65536];
  size_t n;
  assert_non_null(f);
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
    assert_int_equal(rv_buf_append(out, chunk, n), 0);
  assert_int_equal(ferror(f), 0);
  fclose(f);
}

bool tu_contains(const void *hay, size_t hn, const void *needle, size_t nn) {
  const uint8_t *h = hay;
  if (nn == 0)
    return true;
  for (size_t i = 0; i + nn <= hn; i++)
    if (h[i] == *(const uint8_t *)needle && memcmp(h + i, needle, nn) == 0)
      return true;
  return false;
}

/* ---- homes and sets ------------------------------------------------ */

rv_home_t *tu_home(const char *root, const char *leaf, const char *name) {
  rv_home_t *h = NULL;
  char *dir = tu_path(root, leaf);
  tu_check(0, rv_home_create(dir, name, TU_PASS, strlen(TU_PASS), TU_OPS, TU_MEM, &h));
  free(dir);
  assert_true(rv_home_unlocked(h));
  return h;
}

void tu_set_create(rv_home_t *h, const char *name, const char *topic, rv_set_id_t *ret) {
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_set_create(h, name, topic, ret));
  tu_check(0, rv_home_commit(h));
}

void tu_set_topic(rv_home_t *h, const rv_set_id_t *set, const char *topic) {
  rv_body_t b = {.type = RV_BODY_SET_TOPIC};
  b.text = (char *)topic;
  tu_check(0, rv_home_begin(h, true));
  tu_check(0, rv_log_append(h, set, &b, NULL));
  tu_check(0, rv_home_commit(h));
}

void tu_invite_join(rv_home_t *fac, rv_home_t *who, const rv_set_id_t *set, enum rv_role role) {
  rv_buf_t inv;
  rv_set_id_t joined;
  rv_buf_init(&inv);
  tu_check(0, rv_home_begin(fac, true));
  tu_check(0, rv_set_invite(fac, set, rv_home_self(who), role, &inv));
  tu_check(0, rv_home_commit(fac));
  tu_check(0, rv_home_begin(who, true));
  tu_check(0, rv_set_join(who, inv.data, inv.len, &joined));
  tu_check(0, rv_home_commit(who));
  assert_memory_equal(joined.b, set->b, RV_SETID_LEN);
  rv_buf_release(&inv);
}

void tu_state_hash(rv_home_t *h, const rv_set_id_t *set, rv_hash_t *ret) {
  const rv_state_t *s;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_set_state(h, set, &s));
  tu_check(0, rv_set_state_hash(h, s, ret));
  rv_home_abort(h);
}

size_t tu_record_count(rv_home_t *h) {
  rv_buf_t b;
  size_t n = 0;
  rv_buf_init(&b);
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_bundle_create(h, &b, &n));
  rv_home_abort(h);
  rv_buf_release(&b);
  return n;
}

void tu_bundle(rv_home_t *h, rv_buf_t *out) {
  size_t n;
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_bundle_create(h, out, &n));
  rv_home_abort(h);
}

int tu_apply(rv_home_t *h, const uint8_t *p, size_t n, rv_ingest_report_t *ret) {
  tu_check(0, rv_home_begin(h, true));
  int r = rv_bundle_apply(h, p, n, ret);
  if (r < 0) {
    rv_home_abort(h);
    return r;
  }
  tu_check(0, rv_home_commit(h));
  return r;
}

int tu_ingest(rv_home_t *h, const rv_raw_t *recs, size_t n, rv_ingest_report_t *ret) {
  tu_check(0, rv_home_begin(h, true));
  int r = rv_log_ingest(h, recs, n, ret);
  if (r < 0) {
    rv_home_abort(h);
    return r;
  }
  tu_check(0, rv_home_commit(h));
  return r;
}

/* ---- records ------------------------------------------------------- */

void tu_recs_add(tu_recs_t *r, const uint8_t *p, size_t n) {
  rv_raw_t *v = realloc(r->v, (r->n + 1) * sizeof *v);
  uint8_t *copy = malloc(n);
  assert_non_null(v);
  assert_non_null(copy);
  memcpy(copy, p, n);
  r->v = v;
  memset(&r->v[r->n], 0, sizeof r->v[r->n]);
  r->v[r->n].p = copy;
  r->v[r->n].n = n;
  r->n++;
}

static int collect(void *ctx, const uint8_t *raw, size_t n) {
  tu_recs_add(ctx, raw, n);
  return 0;
}

void tu_recs_missing(rv_home_t *h, const rv_set_id_t *set, const rv_vv_t *theirs, size_t ntheirs,
                     tu_recs_t *out) {
  tu_check(0, rv_home_begin(h, false));
  tu_check(0, rv_log_missing(h, set, theirs, ntheirs, collect, out));
  rv_home_abort(h);
}

void tu_recs_release(tu_recs_t *r) {
  for (size_t i = 0; i < r->n; i++)
    free((void *)r->v[i].p);
  free(r->v);
  r->v = NULL;
  r->n = 0;
}

bool tu_recs_has(const tu_recs_t *r, const uint8_t *p, size_t n) {
  for (size_t i = 0; i < r->n; i++)
    if (r->v[i].n == n && memcmp(r->v[i].p, p, n) == 0)
      return true;
  return false;
}

/* ---- a set of two -------------------------------------------------- */

void tu_pair_init(tu_pair_t *p, enum rv_role brole) {
  memset(p, 0, sizeof *p);
  p->root = tu_tmpdir();
  p->a = tu_home(p->root, "a", "Ada");
  p->b = tu_home(p->root, "b", "Bea");
  tu_set_create(p->a, "north", "learning together", &p->set);
  tu_invite_join(p->a, p->b, &p->set, brole);
}

void tu_pair_release(tu_pair_t *p) {
  rv_home_close(&p->a);
  rv_home_close(&p->b);
  tu_rmtree(p->root);
  free(p->root);
  p->root = NULL;
}

int tu_group_setup(void **state) {
  (void)state;
  return rv_crypto_init();
}

int tu_pair_setup(void **state) {
  tu_pair_t *p = malloc(sizeof *p);
  if (!p)
    return -1;
  tu_pair_init(p, RV_ROLE_MEMBER);
  *state = p;
  return 0;
}

int tu_pair_teardown(void **state) {
  tu_pair_release(*state);
  free(*state);
  return 0;
}
