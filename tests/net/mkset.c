/*
 * mkset DIR N H [HOLDERS]: makes N homes DIR/1 .. DIR/N (passphrase from
 * $REVANS_PASSPHRASE, the cheapest Argon2id costs) and one set of all N,
 * for the load test: home 1 creates the set "Load" (its facilitator) and
 * invites the others offline, each joins, and every home learns of every
 * join. Then home 1 writes H records of history (set topics of 300
 * bytes) and the first HOLDERS homes (default: all) receive them, in
 * batches, as a sync would bring them. Quicker than N * H commands.
 * Prints one line: the records each holder holds.
 */
#include "revans/body.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/log.h"
#include "revans/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HOMES_MAX 64
#define APPEND_TXN 100000 /* records appended per transaction */
#define INGEST_TXN 20000  /* records ingested per transaction */

static const char *const names[] = {"Ada", "Ben", "Cy", "Dee", "Eve", "Fay", "Gus", "Hal"};

static void must(int r, const char *what) {
  if (r < 0) {
    fprintf(stderr, "mkset: cannot %s: %s\n", what, rv_strerror(r));
    exit(1);
  }
}

/* Records read from one home, waiting to be ingested into another. */
typedef struct batch {
  rv_home_t *dst;
  rv_buf_t bytes;
  size_t *off, *len, n, cap;
  size_t copied;
} batch_t;

static void flush(batch_t *b) {
  rv_raw_t *raw = calloc(b->n ? b->n : 1, sizeof *raw);
  rv_ingest_report_t rep;
  if (!raw)
    must(RV_ENOMEM, "allocate a batch");
  for (size_t i = 0; i < b->n; i++) {
    raw[i].p = b->bytes.data + b->off[i];
    raw[i].n = b->len[i];
  }
  must(rv_home_begin(b->dst, true), "begin an ingest");
  must(rv_log_ingest(b->dst, raw, b->n, &rep), "ingest records");
  must(rv_home_commit(b->dst), "commit an ingest");
  if (rep.added != b->n) {
    fprintf(stderr, "mkset: %zu of %zu records were stored\n", rep.added, b->n);
    exit(1);
  }
  b->copied += b->n;
  b->n = 0;
  rv_buf_clear(&b->bytes);
  free(raw);
}

static int take(void *ctx, const uint8_t *raw, size_t n) {
  batch_t *b = ctx;
  if (b->n == b->cap) {
    size_t cap = b->cap ? 2 * b->cap : 1024;
    size_t *off = realloc(b->off, cap * sizeof *off), *len = off ? realloc(b->len, cap * sizeof *len) : NULL;
    if (!off || !len)
      return RV_ENOMEM;
    b->off = off;
    b->len = len;
    b->cap = cap;
  }
  b->off[b->n] = b->bytes.len;
  b->len[b->n] = n;
  int r = rv_buf_append(&b->bytes, raw, n);
  if (r < 0)
    return r;
  if (++b->n == INGEST_TXN)
    flush(b);
  return 0;
}

/* Gives dst every record of set that src holds and dst lacks, in batches. */
static size_t copy(rv_home_t *src, rv_home_t *dst, const rv_set_id_t *set) {
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  batch_t b = {.dst = dst};
  rv_buf_init(&b.bytes);
  must(rv_home_begin(dst, false), "begin on the receiver");
  must(rv_log_vv(dst, set, &vv, &nvv), "read the receiver's vector");
  rv_home_abort(dst);
  must(rv_home_begin(src, false), "begin on the sender");
  must(rv_log_missing(src, set, vv, nvv, take, &b), "read what the receiver lacks");
  rv_home_abort(src);
  if (b.n)
    flush(&b);
  free(vv);
  free(b.off);
  free(b.len);
  rv_buf_release_public(&b.bytes);
  return b.copied;
}

int main(int argc, char **argv) {
  const char *pass = getenv("REVANS_PASSPHRASE");
  if ((argc != 4 && argc != 5) || !pass) {
    fprintf(stderr, "usage: REVANS_PASSPHRASE=... mkset DIR N H [HOLDERS]\n");
    return 2;
  }
  int n = atoi(argv[2]);
  long h = atol(argv[3]);
  int holders = argc == 5 ? atoi(argv[4]) : n;
  if (n < 2 || n > HOMES_MAX || h < 0 || holders < 1 || holders > n) {
    fprintf(stderr, "mkset: N from 2 to %d, H from 0, HOLDERS from 1 to N\n", HOMES_MAX);
    return 2;
  }
  rv_home_t *home[HOMES_MAX] = {0};
  rv_set_id_t set, joined;
  const char *why = NULL;
  must(rv_crypto_init(), "start libsodium");
  for (int i = 0; i < n; i++) {
    char dir[4096], name[32];
    snprintf(dir, sizeof dir, "%s/%d", argv[1], i + 1);
    if (i < (int)(sizeof names / sizeof *names))
      snprintf(name, sizeof name, "%s", names[i]);
    else
      snprintf(name, sizeof name, "Member%d", i + 1);
    must(rv_home_create(dir, name, pass, strlen(pass), 1, 8192, &home[i]), "create a home");
  }
  must(rv_home_begin(home[0], true), "begin on 1");
  must(rv_set_create(home[0], "Load", NULL, &set), "create the set");
  must(rv_home_commit(home[0]), "commit the set");
  for (int i = 1; i < n; i++) {
    rv_buf_t inv;
    rv_buf_init(&inv);
    must(rv_home_begin(home[0], true), "begin on 1");
    must(rv_set_invite(home[0], &set, rv_home_self(home[i]), RV_ROLE_MEMBER, &inv), "invite");
    must(rv_home_commit(home[0]), "commit the invitation");
    must(rv_home_begin(home[i], true), "begin a join");
    must(rv_set_join(home[i], inv.data, inv.len, &joined), "join");
    must(rv_home_commit(home[i]), "commit the join");
    rv_buf_release(&inv);
  }
  /* Every join to 1, then all of it to everyone: each member knows each. */
  for (int i = 1; i < n; i++)
    copy(home[i], home[0], &set);
  for (int i = 1; i < n; i++)
    copy(home[0], home[i], &set);

  char topic[301];
  memset(topic, 'x', sizeof topic - 1);
  topic[sizeof topic - 1] = '\0';
  rv_body_t body = {.type = RV_BODY_SET_TOPIC};
  body.text = topic;
  for (long done = 0; done < h;) {
    must(rv_home_begin(home[0], true), "begin on 1");
    for (long k = 0; k < APPEND_TXN && done < h; k++, done++) {
      char num[16];
      int len = snprintf(num, sizeof num, "%08ld", done % 100000000);
      memcpy(topic, num, (size_t)len);
      if (rv_log_append(home[0], &set, &body, &why) < 0) {
        fprintf(stderr, "mkset: cannot append: %s\n", why ? why : "error");
        return 1;
      }
    }
    must(rv_home_commit(home[0]), "commit the history");
  }
  for (int i = 1; i < holders; i++)
    copy(home[0], home[i], &set);

  /* The records held: seq counts each author's from 1. */
  rv_vv_t *vv = NULL;
  size_t nvv = 0;
  uint64_t records = 0;
  must(rv_home_begin(home[0], false), "begin on 1");
  must(rv_log_vv(home[0], &set, &vv, &nvv), "read the vector");
  rv_home_abort(home[0]);
  for (size_t i = 0; i < nvv; i++)
    records += vv[i].seq;
  free(vv);
  printf("%llu\n", (unsigned long long)records);
  for (int i = 0; i < n; i++)
    rv_home_close(&home[i]);
  return 0;
}
