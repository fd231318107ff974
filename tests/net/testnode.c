/*
 * The fake loop under the sync state machine's unit tests (testnode.h).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testnode.h"
#include "testutil.h"

#include <stdlib.h>
#include <string.h>

#define OUTBOX_MAX 64
#define LOG_MAX 64

static rv_buf_t outbox[OUTBOX_MAX];
static size_t noutbox;
static char *log_lines[LOG_MAX];
static size_t nlog;
static size_t unwatched;
static rv_dec_t *reader;

static int fake_watch(rv_node_t *n, peer_t *p) {
  (void)n;
  (void)p;
  return 0;
}

static void fake_unwatch(rv_node_t *n, peer_t *p) {
  (void)n;
  p->dealer = NULL;
  p->io = NULL;
  unwatched++;
}

static int fake_send(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len) {
  (void)n;
  (void)p;
  assert_true(noutbox < OUTBOX_MAX);
  rv_buf_init(&outbox[noutbox]);
  tu_check(0, rv_buf_append(&outbox[noutbox], body, len));
  noutbox++;
  return 0;
}

static int fake_first_address(uint32_t *ret) {
  (void)ret;
  return RV_ENOTFOUND;
}

static const node_ops_t fake_ops = {
    .watch = fake_watch,
    .unwatch = fake_unwatch,
    .send = fake_send,
    .first_address = fake_first_address,
};

static void keep_line(void *ctx, const char *line) {
  (void)ctx;
  if (nlog < LOG_MAX)
    log_lines[nlog++] = strdup(line);
}

void tn_clear(void) {
  for (size_t i = 0; i < noutbox; i++)
    rv_buf_release(&outbox[i]);
  for (size_t i = 0; i < nlog; i++)
    free(log_lines[i]);
  noutbox = nlog = unwatched = 0;
}

void tn_node_init(rv_node_t *n, rv_home_t *home) {
  memset(n, 0, sizeof *n);
  n->ops = &fake_ops;
  n->home = home;
  n->cfg.home = home;
  n->cfg.log = keep_line;
  tu_check(0, rv_enc_new(&n->enc));
  tu_check(0, rv_enc_new(&n->batch));
  tu_check(0, rv_dec_new(&n->dec));
  tu_check(0, rv_dec_new(&n->place_dec));
  if (!reader)
    tu_check(0, rv_dec_new(&reader));
  tn_clear();
}

void tn_node_release(rv_node_t *n) {
  for (size_t i = 0; i < n->npeers; i++)
    rv__peer_free(n->peers[i]);
  n->npeers = 0;
  rv_enc_destroy(&n->enc);
  rv_enc_destroy(&n->batch);
  rv_dec_destroy(&n->dec);
  rv_dec_destroy(&n->place_dec);
  tn_clear();
}

peer_t *tn_peer(rv_node_t *n, rv_home_t *of) {
  peer_t *p = rv__peer_add(n, rv_home_self(of));
  assert_non_null(p);
  return p;
}

size_t tn_sent_count(void) { return noutbox; }

size_t tn_unwatched(void) { return unwatched; }

static rv_val_t sent_at(size_t i, uint32_t element) {
  rv_val_t a, f;
  assert_true(i < noutbox);
  tu_check(0, rv_dec_parse(reader, outbox[i].data, outbox[i].len, &a));
  tu_check(0, rv_val_at(a, element, &f));
  return f;
}

bool tn_sent_is(size_t i, const char *kind) { return rv_val_is_str(sent_at(i, 0), kind); }

rv_val_t tn_sent_list(size_t i) { return sent_at(i, 2); }

bool tn_logged(const char *needle) {
  for (size_t i = 0; i < nlog; i++)
    if (strstr(log_lines[i], needle))
      return true;
  return false;
}

/* [kind, set, and the header of a list of n]: vv and recs alike. */
static void set_and_list(rv_enc_t *enc, const char *kind, const rv_set_id_t *set, size_t n) {
  rv_enc_reset(enc);
  rv_enc_array(enc, 3);
  rv_enc_cstr(enc, kind);
  rv_enc_bin(enc, set->b, RV_SETID_LEN);
  rv_enc_array(enc, (uint32_t)n);
}

void tn_vv(rv_enc_t *enc, const rv_set_id_t *set, const rv_vv_t *vv, size_t n) {
  set_and_list(enc, "vv", set, n);
  for (size_t i = 0; i < n; i++) {
    rv_enc_array(enc, 3);
    rv_enc_bin(enc, vv[i].author.b, RV_ID_LEN);
    rv_enc_uint(enc, vv[i].seq);
    rv_enc_bin(enc, vv[i].head.b, RV_HASH_LEN);
  }
  tu_check(0, rv_enc_status(enc));
}

void tn_recs(rv_enc_t *enc, const rv_set_id_t *set, const rv_raw_t *recs, size_t n) {
  set_and_list(enc, "recs", set, n);
  for (size_t i = 0; i < n; i++)
    rv_enc_bin(enc, recs[i].p, recs[i].n);
  tu_check(0, rv_enc_status(enc));
}

rv_vv_t *tn_home_vv(rv_home_t *home, const rv_set_id_t *set, size_t *ret_n) {
  rv_vv_t *vv = NULL;
  tu_check(0, rv_home_begin(home, false));
  tu_check(0, rv_log_vv(home, set, &vv, ret_n));
  rv_home_abort(home);
  return vv;
}
