/*
 * revans-bench: revans's performance figures, measured through the core
 * library and through the real revans program, each beside the ceiling that
 * bounds it where one applies: the Ed25519 sign or verify rate on a message
 * the size of one record, measured in the same run on the same machine, so
 * that the ratio means the same on a fast laptop and a slow one.
 *
 * tools/bench builds a release tree and runs this program. It prints one
 * JSON object with --json, a table otherwise. Timings are printed, never
 * asserted: the exit status says only whether every step worked. Every home
 * lives under one mkdtemp directory that is removed at the end.
 */
#include "revans/body.h"
#include "revans/bundle.h"
#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/journal.h"
#include "revans/log.h"
#include "revans/record.h"
#include "revans/set.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#ifndef RECORDS
#define RECORDS 100000 /* records in the log the figures are measured on */
#endif
#define TOPIC_LEN 250       /* bytes of each record's topic */
#define CLI_RUNS 15         /* timed runs of one CLI write command */
#define PASS "revans bench passphrase"
#define TRIAL_SECONDS 0.2   /* length of one trial of a crypto rate */
#define TRIALS 5            /* the median of these is the rate */
#define PWHASH_RUNS 3
#ifndef JOURNAL_ENTRIES
#define JOURNAL_ENTRIES 100000 /* entries in the journal the figures use */
#endif
#define JOURNAL_RUNS 7         /* timed runs of one journal query */
#ifndef BIG_RECORDS
#define BIG_RECORDS 1000000 /* records both nodes hold for the incremental figures */
#endif
#define PUSH_RUNS 21        /* single records pushed from one node to the other */
#define NODE_WAIT_S 600     /* a node figure that takes longer than this failed */
#define JOURNAL_SHOW 20        /* journal list -n 20 */

/* ---- figures ------------------------------------------------------- */

enum {
  F_APPEND,
  F_INGEST,
  F_INGEST_CLI,
  F_CLI_WRITE,
  F_REFOLD,
  F_JOURNAL_IMPORT,
  F_JOURNAL_LIST,
  F_JOURNAL_SEARCH,
  F_JOURNAL_LIST_CLI,
  F_JOURNAL_SEARCH_CLI,
  F_SYNC_INITIAL,
  F_PUSH_LATENCY,
  F_CLI_WRITE_NODE,
  F_SYNC_INCREMENTAL,
  F_NODE_RSS,
  F__COUNT
};

typedef struct figure {
  const char *name;
  const char *unit;
  const char *ceiling_is; /* what the ceiling measures; NULL: no ceiling */
  double target;          /* the ratio to reach; 0: none */
  double bound;           /* without a ceiling: the value to reach; 0: none */
  bool wanted;
  bool done;
  double value;
  double ceiling;
} figure_t;

typedef struct bench {
  const char *revans; /* the revans program, for the CLI figures */
  bool json;
  char tmp[4096];
  figure_t fig[F__COUNT];

  /* The 100k-record log, made once for every figure that needs it. */
  bool have_log;
  rv_home_t *a; /* the facilitator's home, kept open */
  rv_set_id_t set;
  char dir_a[4200], dir_b[4200], dir_b_cli[4200], dir_b_sync[4200], bundle_path[4200];
  rv_buf_t bundle;
  size_t bundle_records;
  double append_seconds;
  double append_commit_seconds; /* of which the durable commit */
  double ingest_commit_seconds;
  size_t signed_len; /* bytes one topic record's signature covers */
  size_t ct_len;     /* bytes of its ciphertext */

  /* Context printed beside the figures. */
  double pwhash_ms;
  double decrypt_rate;
  size_t journal_bytes;  /* of the jrnl export */
  size_t journal_hits;   /* entries the search finds */
  double sync_seconds;   /* the initial sync of the 100k-record log */
  double big_sync_seconds;
  double node_rss_a_mb;  /* the sending node's peak, beside the receiving one's */
  double node_hwm_mb[2]; /* their peak resident size with the store's mapped pages */
} bench_t;

static const figure_t figure_defaults[F__COUNT] = {
    [F_APPEND] = {"append", "records/s", "Ed25519 sign/s", 0.5, 0, false, false, 0, 0},
    [F_INGEST] = {"ingest", "records/s", "Ed25519 verify/s", 8, 0, false, false, 0, 0},
    [F_INGEST_CLI] = {"ingest_cli", "records/s", "Ed25519 verify/s", 8, 0, false, false, 0, 0},
    [F_CLI_WRITE] = {"cli_write_ms", "ms", NULL, 0, 0, false, false, 0, 0},
    [F_REFOLD] = {"refold", "records/s", NULL, 0, 0, false, false, 0, 0},
    [F_JOURNAL_IMPORT] = {"journal_import", "entries/s", NULL, 0, 20000, false, false, 0, 0},
    [F_JOURNAL_LIST] = {"journal_list_ms", "ms", NULL, 0, 200, false, false, 0, 0},
    [F_JOURNAL_SEARCH] = {"journal_search_ms", "ms", NULL, 0, 200, false, false, 0, 0},
    [F_JOURNAL_LIST_CLI] = {"journal_list_cli_ms", "ms", NULL, 0, 0, false, false, 0, 0},
    [F_JOURNAL_SEARCH_CLI] = {"journal_search_cli_ms", "ms", NULL, 0, 0, false, false, 0, 0},
    [F_SYNC_INITIAL] = {"sync_initial", "records/s", "Ed25519 verify/s", 5, 0, false, false, 0, 0},
    [F_PUSH_LATENCY] = {"push_latency_ms", "ms", NULL, 0, 50, false, false, 0, 0},
    [F_CLI_WRITE_NODE] = {"cli_write_node_ms", "ms", NULL, 0, 25, false, false, 0, 0},
    [F_SYNC_INCREMENTAL] = {"sync_incremental_ms", "ms", NULL, 0, 10, false, false, 0, 0},
    [F_NODE_RSS] = {"node_rss_mb", "MB", NULL, 0, 64, false, false, 0, 0},
};

/* ---- helpers ------------------------------------------------------- */

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void note(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "revans-bench: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
}

/* Removes a directory tree (the homes hold only plain files). */
static void rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0)
    return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    for (struct dirent *e = d ? readdir(d) : NULL; e; e = readdir(d)) {
      char sub[8192];
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
        continue;
      if ((size_t)snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < sizeof sub)
        rm_rf(sub);
    }
    if (d)
      closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

static void cleanup(bench_t *b) {
  rv_home_close(&b->a);
  rv_buf_release(&b->bundle);
  /* REVANS_BENCH_KEEP=1 keeps the homes and the bundle for a profiler. */
  const char *keep = getenv("REVANS_BENCH_KEEP");
  if (b->tmp[0] && keep && strcmp(keep, "1") == 0)
    note("kept the homes in %s", b->tmp);
  else if (b->tmp[0])
    rm_rf(b->tmp);
  b->tmp[0] = '\0';
}

/* Reports a failed step, removes the temporary homes and exits 1. */
static void fail(bench_t *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "revans-bench: ");
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  cleanup(b);
  exit(1);
}

static void check(bench_t *b, int r, const char *what) {
  if (r < 0)
    fail(b, "cannot %s: %s", what, rv_strerror(r));
}

static void path_in(bench_t *b, char *out, size_t cap, const char *name) {
  if ((size_t)snprintf(out, cap, "%s/%s", b->tmp, name) >= cap)
    fail(b, "temporary directory path too long");
}

static int copy_file(const char *src, const char *dst) {
  enum { CHUNK = 1 << 20 };
  char *buf = malloc(CHUNK);
  int in = open(src, O_RDONLY | O_CLOEXEC), out = -1, r = -1;
  if (!buf || in < 0)
    goto out;
  out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (out < 0)
    goto out;
  for (;;) {
    ssize_t n = read(in, buf, CHUNK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      goto out;
    if (n == 0)
      break;
    for (ssize_t done = 0; done < n;) {
      ssize_t w = write(out, buf + done, (size_t)(n - done));
      if (w < 0 && errno == EINTR)
        continue;
      if (w < 0)
        goto out;
      done += w;
    }
  }
  r = 0;
out:
  if (out >= 0 && close(out) != 0)
    r = -1;
  if (in >= 0)
    close(in);
  free(buf);
  return r;
}

/* Copies a closed home: its LMDB environment is the one data file. */
static void copy_home(bench_t *b, const char *src, const char *dst) {
  char s[8192], d[8192];
  snprintf(s, sizeof s, "%s/data.mdb", src);
  snprintf(d, sizeof d, "%s/data.mdb", dst);
  if (mkdir(dst, 0700) != 0 || copy_file(s, d) != 0)
    fail(b, "cannot copy home '%s' to '%s': %s", src, dst, strerror(errno));
}

static void write_file(bench_t *b, const char *path, const void *p, size_t n) {
  FILE *f = fopen(path, "wb");
  if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
    fail(b, "cannot write '%s': %s", path, strerror(errno));
}

static int cmp_double(const void *x, const void *y) {
  double a = *(const double *)x, c = *(const double *)y;
  return a < c ? -1 : a > c;
}

static double median(double *v, size_t n) {
  qsort(v, n, sizeof *v, cmp_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Runs the revans program with argv (argv[0] is replaced by b->revans),
 * stdout to out_path, and returns its wall time in seconds. A non-zero exit
 * is a failed step: its stderr is shown. REVANS_PASSPHRASE is set in main. */
static double run_cli(bench_t *b, char **argv, const char *out_path) {
  char err_path[4200];
  path_in(b, err_path, sizeof err_path, "cli.err");
  argv[0] = (char *)b->revans;
  double t0 = now();
  pid_t pid = fork();
  if (pid < 0)
    fail(b, "cannot fork: %s", strerror(errno));
  if (pid == 0) {
    int o = open(out_path ? out_path : "/dev/null", O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int e = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (o < 0 || e < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
      _exit(127);
    execv(argv[0], argv);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      fail(b, "cannot wait for revans: %s", strerror(errno));
  double t = now() - t0;
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    char msg[2048] = "";
    FILE *f = fopen(err_path, "r");
    if (f) {
      size_t n = fread(msg, 1, sizeof msg - 1, f);
      msg[n] = '\0';
      fclose(f);
    }
    fail(b, "'%s %s %s %s %s' failed (status %d): %s", b->revans, argv[1], argv[2], argv[3],
         argv[4] ? argv[4] : "", status, msg);
  }
  return t;
}

/* ---- ceilings ------------------------------------------------------ */

/* Each rate is the median of TRIALS short trials, taken next to the figure
 * it bounds: on a shared machine the best trial would catch a quiet moment
 * that the longer figure does not, and make the ratio look worse than the
 * code is. */

static double sign_rate(size_t n) {
  uint8_t pk[RV_ID_LEN], sk[RV_SK_LEN], sig[RV_SIG_LEN];
  uint8_t *m = malloc(n);
  double rates[TRIALS];
  if (!m)
    return 0;
  rv_random(m, n);
  rv_sign_keypair(pk, sk);
  for (int t = 0; t < TRIALS; t++) {
    size_t count = 0;
    double t0 = now(), dt = 0;
    while (dt < TRIAL_SECONDS) {
      for (int i = 0; i < 64; i++)
        rv_sign(sig, m, n, sk);
      count += 64;
      dt = now() - t0;
    }
    rates[t] = (double)count / dt;
  }
  free(m);
  return median(rates, TRIALS);
}

static double verify_rate(size_t n) {
  uint8_t pk[RV_ID_LEN], sk[RV_SK_LEN], sig[RV_SIG_LEN];
  uint8_t *m = malloc(n);
  double rates[TRIALS];
  if (!m)
    return 0;
  rv_random(m, n);
  rv_sign_keypair(pk, sk);
  rv_sign(sig, m, n, sk);
  for (int t = 0; t < TRIALS; t++) {
    size_t count = 0;
    double t0 = now(), dt = 0;
    while (dt < TRIAL_SECONDS) {
      for (int i = 0; i < 64; i++)
        if (rv_sign_verify(sig, m, n, pk) < 0)
          count = 0; /* cannot happen; keeps the call observable */
      count += 64;
      dt = now() - t0;
    }
    rates[t] = (double)count / dt;
  }
  free(m);
  return median(rates, TRIALS);
}

/* XChaCha20-Poly1305 opens of a ciphertext of ct_len bytes per second. */
static double decrypt_rate(size_t ct_len, size_t ad_len) {
  uint8_t key[RV_KEY_LEN], nonce[RV_NONCE_LEN];
  uint8_t *m = malloc(ct_len), *c = malloc(ct_len), *ad = malloc(ad_len + 1);
  double rates[TRIALS], rate = 0;
  if (!m || !c || !ad || ct_len < RV_MAC_LEN)
    goto out;
  rv_random(key, sizeof key);
  rv_random(nonce, sizeof nonce);
  rv_random(m, ct_len);
  rv_random(ad, ad_len);
  rv_aead_encrypt(c, m, ct_len - RV_MAC_LEN, ad, ad_len, nonce, key);
  for (int t = 0; t < TRIALS; t++) {
    size_t count = 0;
    double t0 = now(), dt = 0;
    while (dt < TRIAL_SECONDS) {
      for (int i = 0; i < 256; i++)
        if (rv_aead_decrypt(m, c, ct_len, ad, ad_len, nonce, key) < 0)
          count = 0;
      count += 256;
      dt = now() - t0;
    }
    rates[t] = (double)count / dt;
  }
  rate = median(rates, TRIALS);
out:
  free(m);
  free(c);
  free(ad);
  return rate;
}

/* ---- the 100k-record log ------------------------------------------- */

static int keep_largest(void *ctx, const uint8_t *raw, size_t n) {
  rv_buf_t *keep = ctx;
  if (n > keep->len) {
    rv_buf_clear(keep);
    return rv_buf_append(keep, raw, n);
  }
  return 0;
}

/* Builds what append, ingest and refold need: home A (the facilitator)
 * and home B (a member who joined through an invite, whose join A has
 * received, so that A's later records come after it), A's RECORDS topic
 * records appended in one write transaction (timed: the append figure),
 * and A's bundle, in memory and in a file. B is left closed, with a copy
 * for the revans program to apply the bundle to. */
static void make_log(bench_t *b) {
  char *dir_a = b->dir_a;
  rv_home_t *hb = NULL;
  rv_buf_t inv, join, sample;
  rv_set_id_t joined;
  rv_ingest_report_t rep;
  const char *why = NULL;
  int r;

  path_in(b, dir_a, sizeof b->dir_a, "a");
  path_in(b, b->dir_b, sizeof b->dir_b, "b");
  path_in(b, b->dir_b_cli, sizeof b->dir_b_cli, "b-cli");
  path_in(b, b->dir_b_sync, sizeof b->dir_b_sync, "b-sync");
  path_in(b, b->bundle_path, sizeof b->bundle_path, "a.bundle");
  rv_buf_init(&inv);
  rv_buf_init(&join);
  rv_buf_init(&sample);

  /* A only ever unlocks here, so its Argon2id costs are the minimum; B is
   * unlocked by the revans program too, so it has the default costs. */
  check(b, rv_home_create(dir_a, "Ada", PASS, strlen(PASS), 1, 8192, &b->a), "create home A");
  check(b, rv_home_create(b->dir_b, "Bea", PASS, strlen(PASS), 0, 0, &hb), "create home B");

  check(b, rv_home_begin(b->a, true), "begin on A");
  check(b, rv_set_create(b->a, "bench", "benchmarks", &b->set), "create the set");
  check(b, rv_set_invite(b->a, &b->set, rv_home_self(hb), RV_ROLE_MEMBER, &inv), "invite B");
  check(b, rv_home_commit(b->a), "commit the invite");

  check(b, rv_home_begin(hb, true), "begin on B");
  check(b, rv_set_join(hb, inv.data, inv.len, &joined), "join as B");
  check(b, rv_home_commit(hb), "commit the join");
  check(b, rv_home_begin(hb, false), "begin on B");
  check(b, rv_bundle_create(hb, &join, NULL), "make B's bundle");
  rv_home_abort(hb);
  rv_home_close(&hb);
  copy_home(b, b->dir_b, b->dir_b_cli);
  copy_home(b, b->dir_b, b->dir_b_sync);

  check(b, rv_home_begin(b->a, true), "begin on A");
  check(b, rv_bundle_apply(b->a, join.data, join.len, &rep), "apply B's bundle to A");
  check(b, rv_home_commit(b->a), "commit B's join on A");
  if (rep.added < 1)
    fail(b, "B's join did not reach A");

  /* The append figure: one member, one write transaction. */
  char topic[TOPIC_LEN + 1];
  for (size_t i = 0; i < TOPIC_LEN; i++)
    topic[i] = (char)('a' + i % 26);
  topic[TOPIC_LEN] = '\0';
  rv_body_t body = {.type = RV_BODY_SET_TOPIC};
  body.text = topic;
  note("appending %d records of %d-byte topics on A", RECORDS, TOPIC_LEN);
  double t0 = now();
  check(b, rv_home_begin(b->a, true), "begin on A");
  for (size_t i = 0; i < RECORDS; i++) {
    char num[16];
    int len = snprintf(num, sizeof num, "%08zu", i);
    memcpy(topic, num, (size_t)len);
    r = rv_log_append(b->a, &b->set, &body, &why);
    if (r < 0)
      fail(b, "cannot append record %zu: %s%s%s", i, rv_strerror(r), why ? ": " : "",
           why ? why : "");
  }
  double t1 = now();
  check(b, rv_home_commit(b->a), "commit the appends");
  b->append_seconds = now() - t0;
  b->append_commit_seconds = now() - t1;

  check(b, rv_home_begin(b->a, false), "begin on A");
  check(b, rv_log_missing(b->a, &b->set, NULL, 0, keep_largest, &sample), "read A's log");
  check(b, rv_bundle_create(b->a, &b->bundle, &b->bundle_records), "make A's bundle");
  rv_home_abort(b->a);
  write_file(b, b->bundle_path, b->bundle.data, b->bundle.len);

  /* The sizes of one topic record (the largest in the log), for the
   * ceilings: its signature covers signed_len bytes. */
  rv_dec_t *dec = NULL;
  rv_enc_t *enc = NULL;
  rv_envelope_t e;
  check(b, rv_dec_new(&dec), "make a decoder");
  check(b, rv_enc_new(&enc), "make an encoder");
  check(b, rv_envelope_decode(dec, sample.data, sample.len, &e), "decode a record");
  b->signed_len = e.signed_len;
  b->ct_len = e.ct_len;
  if (b->fig[F_APPEND].wanted)
    b->fig[F_APPEND].ceiling = sign_rate(b->signed_len);
  size_t hdr_len = e.hd_enc_len;
  rv_dec_destroy(&dec);
  rv_enc_destroy(&enc);
  b->decrypt_rate = decrypt_rate(b->ct_len, hdr_len);

  rv_buf_release(&inv);
  rv_buf_release(&join);
  rv_buf_release(&sample);
  b->have_log = true;
}

/* ---- the figures --------------------------------------------------- */

static void bench_append(bench_t *b) {
  figure_t *f = &b->fig[F_APPEND];
  f->value = RECORDS / b->append_seconds;
  f->done = true; /* the ceiling was measured in make_log, just after */
}

static void bench_ingest(bench_t *b) {
  figure_t *f = &b->fig[F_INGEST];
  rv_home_t *hb = NULL;
  rv_ingest_report_t rep;
  note("applying A's bundle (%zu records, %zu bytes) to B", b->bundle_records, b->bundle.len);
  check(b, rv_home_open(b->dir_b, &hb), "open home B");
  check(b, rv_home_unlock(hb, PASS, strlen(PASS)), "unlock home B");
  double t0 = now();
  check(b, rv_home_begin(hb, true), "begin on B");
  int r = rv_bundle_apply(hb, b->bundle.data, b->bundle.len, &rep);
  if (r < 0)
    rv_home_abort(hb);
  check(b, r, "apply A's bundle to B");
  double t1 = now();
  check(b, rv_home_commit(hb), "commit the bundle on B");
  double dt = now() - t0;
  b->ingest_commit_seconds = now() - t1;
  rv_home_close(&hb);
  if (rep.added < RECORDS)
    fail(b, "B stored %zu of the bundle's %zu records", rep.added, rep.received);
  f->value = (double)rep.received / dt;
  f->ceiling = verify_rate(b->signed_len);
  f->done = true;
}

static void bench_ingest_cli(bench_t *b) {
  figure_t *f = &b->fig[F_INGEST_CLI];
  char out[4200];
  char *argv[] = {NULL, "--home", b->dir_b_cli, "--json", "bundle", "apply", b->bundle_path, NULL};
  json_error_t jerr;
  path_in(b, out, sizeof out, "apply.json");
  note("revans bundle apply of the same bundle");
  double dt = run_cli(b, argv, out);
  json_t *rep = json_load_file(out, 0, &jerr);
  json_int_t added = json_integer_value(json_object_get(rep, "added"));
  json_decref(rep);
  if (added < RECORDS)
    fail(b, "revans bundle apply stored %lld records, not %d", (long long)added, RECORDS);
  f->value = (double)b->bundle_records / dt;
  f->ceiling = b->fig[F_INGEST].done ? b->fig[F_INGEST].ceiling : verify_rate(b->signed_len);
  f->done = true;
}

static void bench_refold(bench_t *b) {
  figure_t *f = &b->fig[F_REFOLD];
  const rv_state_t *s = NULL;
  note("refolding A's set");
  check(b, rv_home_begin(b->a, true), "begin on A");
  double t0 = now();
  int r = rv_set_refold(b->a, &b->set);
  double dt = now() - t0;
  if (r == 0)
    r = rv_set_state(b->a, &b->set, &s);
  if (r < 0)
    rv_home_abort(b->a);
  check(b, r, "refold the set");
  uint64_t n = s->folded + s->ignored;
  rv_home_abort(b->a);
  if (n < RECORDS)
    fail(b, "the refold saw %llu records", (unsigned long long)n);
  f->value = (double)n / dt;
  f->done = true;
}

/* Context: the Argon2id stretch every unlock pays at the default costs. */
static double pwhash_ms(bench_t *b) {
  uint8_t key[RV_KEY_LEN], salt[RV_SALT_LEN];
  uint64_t ops, mem;
  double t[PWHASH_RUNS];
  rv_pwhash_defaults(&ops, &mem);
  rv_random(salt, sizeof salt);
  for (int i = 0; i < PWHASH_RUNS; i++) {
    double t0 = now();
    check(b, rv_pwhash(key, PASS, strlen(PASS), salt, ops, mem), "stretch a passphrase");
    t[i] = (now() - t0) * 1000;
  }
  return median(t, PWHASH_RUNS);
}

static void bench_cli_write(bench_t *b) {
  figure_t *f = &b->fig[F_CLI_WRITE];
  char dir[4200], name[32];
  double ms[CLI_RUNS];
  rv_home_t *h = NULL;
  rv_set_id_t id;
  char *argv[] = {NULL, "--home", dir, "set", "create", name, NULL};
  path_in(b, dir, sizeof dir, "c");
  check(b, rv_home_create(dir, "Cy", PASS, strlen(PASS), 0, 0, &h), "create home C");
  check(b, rv_home_begin(h, true), "begin on C");
  check(b, rv_set_create(h, "first", NULL, &id), "create a set on C");
  check(b, rv_home_commit(h), "commit on C");
  rv_home_close(&h);
  note("%d runs of revans set create", CLI_RUNS);
  snprintf(name, sizeof name, "warm-up");
  run_cli(b, argv, NULL);
  for (int i = 0; i < CLI_RUNS; i++) {
    snprintf(name, sizeof name, "set-%02d", i);
    ms[i] = run_cli(b, argv, NULL) * 1000;
  }
  f->value = median(ms, CLI_RUNS);
  f->done = true;

  b->pwhash_ms = pwhash_ms(b);
}

/* ---- the journal --------------------------------------------------- */

/* Words of a care worker's reflections, which entries draw from evenly;
 * the two words searched for are each put into one entry in seven, so
 * that about one entry in fifty holds both. */
static const char *const journal_words[] = {
    "ward", "rota", "shift", "team", "manager", "patient", "colleague", "family",
    "meeting", "plan", "change", "learn", "heard", "tired", "hope", "feel",
    "night", "shelf", "care", "home", "visit", "call", "bench", "policy",
    "audit", "training", "student", "nurse", "doctor", "therapist", "support", "worry",
    "quiet", "busy", "difficult", "calm", "angry", "proud", "stuck", "clear",
    "question", "answer", "listen", "talk", "wait", "decide", "agree", "refuse",
    "morning", "evening", "week", "month", "today", "tomorrow", "later", "again",
    "office", "corridor", "kitchen", "car", "phone", "email", "letter", "report",
};
#define NWORDS (sizeof journal_words / sizeof journal_words[0])
#define SEARCH_A "handover"
#define SEARCH_B "Budget" /* any case */

static uint64_t lcg(uint64_t *x) {
  *x = *x * 6364136223846793005u + 1442695040888963407u;
  return *x >> 33;
}

/* A jrnl JSON export (jrnl --format json) of JOURNAL_ENTRIES entries: a
 * title of 6-10 words, a body of 30-50, a date over ten years, up to two
 * tags, some starred. About 350 bytes of text each. */
static void make_jrnl_export(bench_t *b, const char *path) {
  json_t *root = json_object(), *entries = json_array(), *tagset = json_object();
  static const char *const tags[] = {"@work", "@self", "@set", "@idea"};
  uint64_t x = 42;
  char text[1024];
  for (size_t i = 0; i < JOURNAL_ENTRIES; i++) {
    json_t *e = json_object(), *et = json_array();
    size_t n = 0, words = 6 + lcg(&x) % 5;
    for (size_t w = 0; w < words; w++)
      n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", w ? " " : "",
                            journal_words[lcg(&x) % NWORDS]);
    json_object_set_new(e, "title", json_stringn(text, n));
    n = 0;
    words = 30 + lcg(&x) % 21;
    for (size_t w = 0; w < words; w++)
      n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", w ? " " : "",
                            journal_words[lcg(&x) % NWORDS]);
    if (lcg(&x) % 7 == 0)
      n += (size_t)snprintf(text + n, sizeof text - n, " the handover");
    if (lcg(&x) % 7 == 0)
      n += (size_t)snprintf(text + n, sizeof text - n, " and the budget.");
    json_object_set_new(e, "body", json_stringn(text, n));
    uint64_t day = lcg(&x) % 3650, minute = lcg(&x) % 1440;
    time_t t = (time_t)(1577836800 + day * 86400); /* from 2020-01-01 */
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(text, sizeof text, "%Y-%m-%d", &tm);
    json_object_set_new(e, "date", json_string(text));
    snprintf(text, sizeof text, "%02u:%02u", (unsigned)(minute / 60), (unsigned)(minute % 60));
    json_object_set_new(e, "time", json_string(text));
    for (uint64_t k = lcg(&x) % 3; k > 0; k--) {
      const char *tag = tags[lcg(&x) % 4];
      json_array_append_new(et, json_string(tag));
      json_object_set_new(tagset, tag, json_integer(1));
    }
    json_object_set_new(e, "tags", et);
    json_object_set_new(e, "starred", json_boolean(lcg(&x) % 20 == 0));
    json_array_append_new(entries, e);
  }
  json_object_set_new(root, "tags", tagset);
  json_object_set_new(root, "entries", entries);
  if (json_dump_file(root, path, JSON_COMPACT) != 0)
    fail(b, "cannot write the jrnl export '%s'", path);
  json_decref(root);
  struct stat st;
  b->journal_bytes = stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

/* One query through the core library on an unlocked home, as list and
 * search run it: the matching ids, then each shown entry read whole.
 * Returns the time in ms and the number of entries shown. */
static double journal_query_ms(bench_t *b, rv_home_t *h, const rv_journal_query_t *q,
                               size_t *ret_shown) {
  rv_journal_hit_t *hits = NULL;
  size_t n = 0;
  double t0 = now();
  check(b, rv_home_begin(h, false), "begin on the journal's home");
  check(b, rv_journal_query(h, q, &hits, &n), "query the journal");
  for (size_t i = 0; i < n; i++) {
    rv_entry_t e;
    check(b, rv_journal_get(h, &hits[i].id, &e), "read an entry");
    rv_entry_release(&e);
  }
  rv_home_abort(h);
  double ms = (now() - t0) * 1000;
  free(hits);
  *ret_shown = n;
  return ms;
}

static void bench_journal(bench_t *b) {
  char dir[4200], file[4200], n_arg[16];
  rv_home_t *h = NULL;
  double ms[JOURNAL_RUNS];
  size_t shown = 0;
  path_in(b, dir, sizeof dir, "journal");
  path_in(b, file, sizeof file, "jrnl.json");
  note("writing a jrnl export of %d entries", JOURNAL_ENTRIES);
  make_jrnl_export(b, file);
  check(b, rv_home_create(dir, "Jo", PASS, strlen(PASS), 0, 0, &h), "create the journal's home");
  rv_home_close(&h);

  /* journal_import: the whole revans journal import process. */
  char *import_argv[] = {NULL, "--home", dir, "journal", "import", file, NULL};
  note("revans journal import (%d entries)", JOURNAL_ENTRIES);
  double t = run_cli(b, import_argv, NULL);
  b->fig[F_JOURNAL_IMPORT].value = JOURNAL_ENTRIES / t;
  b->fig[F_JOURNAL_IMPORT].done = true;

  /* journal_list_ms and journal_search_ms: the query and the reading of
   * what is shown, through the library on a home unlocked once. */
  check(b, rv_home_open(dir, &h), "open the journal's home");
  check(b, rv_home_unlock(h, PASS, strlen(PASS)), "unlock the journal's home");
  rv_journal_query_t list = {.limit = JOURNAL_SHOW};
  const char *words[] = {SEARCH_A, SEARCH_B};
  rv_journal_query_t search = {.words = words, .nwords = 2};
  journal_query_ms(b, h, &list, &shown); /* warm-up */
  note("%d runs each of the journal's list -n %d and search", JOURNAL_RUNS, JOURNAL_SHOW);
  for (int i = 0; i < JOURNAL_RUNS; i++)
    ms[i] = journal_query_ms(b, h, &list, &shown);
  if (shown != JOURNAL_SHOW)
    fail(b, "journal list showed %zu entries", shown);
  b->fig[F_JOURNAL_LIST].value = median(ms, JOURNAL_RUNS);
  b->fig[F_JOURNAL_LIST].done = true;
  for (int i = 0; i < JOURNAL_RUNS; i++)
    ms[i] = journal_query_ms(b, h, &search, &shown);
  if (shown == 0 || shown > JOURNAL_ENTRIES / 10)
    fail(b, "journal search found %zu entries", shown);
  b->journal_hits = shown;
  b->fig[F_JOURNAL_SEARCH].value = median(ms, JOURNAL_RUNS);
  b->fig[F_JOURNAL_SEARCH].done = true;
  rv_home_close(&h);

  /* The same through the whole revans process, Argon2id unlock included. */
  snprintf(n_arg, sizeof n_arg, "%d", JOURNAL_SHOW);
  char *list_argv[] = {NULL, "--home", dir, "journal", "list", "-n", n_arg, NULL};
  char *search_argv[] = {NULL, "--home", dir, "journal", "search", SEARCH_A, SEARCH_B, NULL};
  for (int i = 0; i < JOURNAL_RUNS; i++)
    ms[i] = run_cli(b, list_argv, NULL) * 1000;
  b->fig[F_JOURNAL_LIST_CLI].value = median(ms, JOURNAL_RUNS);
  b->fig[F_JOURNAL_LIST_CLI].done = true;
  for (int i = 0; i < JOURNAL_RUNS; i++)
    ms[i] = run_cli(b, search_argv, NULL) * 1000;
  b->fig[F_JOURNAL_SEARCH_CLI].value = median(ms, JOURNAL_RUNS);
  b->fig[F_JOURNAL_SEARCH_CLI].done = true;
  if (!b->pwhash_ms)
    b->pwhash_ms = pwhash_ms(b);
}

/* ---- the node ------------------------------------------------------ */

static uint16_t free_port(bench_t *b, int type) {
  int fd = socket(AF_INET, type, 0);
  struct sockaddr_in a;
  socklen_t len = sizeof a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
      getsockname(fd, (struct sockaddr *)&a, &len) != 0)
    fail(b, "cannot find a free port: %s", strerror(errno));
  close(fd);
  return ntohs(a.sin_port);
}

/* Starts `revans node` for home, its stderr to log; beacons on loopback. */
static pid_t node_spawn(bench_t *b, const char *home, uint16_t port, uint16_t beacon,
                        uint16_t peer_port, const char *log) {
  char p[16], bp[16], peer[64];
  snprintf(p, sizeof p, "%u", (unsigned)port);
  snprintf(bp, sizeof bp, "%u", (unsigned)beacon);
  snprintf(peer, sizeof peer, "tcp://127.0.0.1:%u", (unsigned)peer_port);
  pid_t pid = fork();
  if (pid < 0)
    fail(b, "cannot fork: %s", strerror(errno));
  if (pid == 0) {
    int e = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0600), o = open("/dev/null", O_WRONLY);
    if (e < 0 || o < 0 || dup2(e, 2) < 0 || dup2(o, 1) < 0)
      _exit(127);
    setenv("REVANS_BEACON_IF", "lo", 1);
    if (peer_port)
      execl(b->revans, b->revans, "--home", home, "node", "--port", p, "--beacon-port", bp,
            "--peer", peer, (char *)NULL);
    else
      execl(b->revans, b->revans, "--home", home, "node", "--port", p, "--beacon-port", bp,
            (char *)NULL);
    _exit(127);
  }
  return pid;
}

static void node_stop(pid_t pid) {
  int status;
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
}

/* A line of /proc/PID/status ("VmHWM", "RssAnon"), in MB. */
static double status_mb(pid_t pid, const char *field) {
  char path[64], line[256], fmt[64];
  double mb = 0;
  snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
  snprintf(fmt, sizeof fmt, "%s: %%lu kB", field);
  FILE *f = fopen(path, "r");
  while (f && fgets(line, sizeof line, f)) {
    unsigned long kb;
    if (sscanf(line, fmt, &kb) == 1)
      mb = (double)kb / 1024;
  }
  if (f)
    fclose(f);
  return mb;
}

/* The nodes whose private memory (RssAnon: heap, stacks, queues; not the
 * store's mapped pages, which are the page cache) is sampled while a
 * figure waits, and the peak seen. */
typedef struct rss_watch {
  pid_t pid[2];
  double peak_anon[2];
} rss_watch_t;

static void rss_sample(rss_watch_t *w) {
  for (int i = 0; w && i < 2; i++)
    if (w->pid[i] > 0) {
      double mb = status_mb(w->pid[i], "RssAnon");
      if (mb > w->peak_anon[i])
        w->peak_anon[i] = mb;
    }
}

/* Records the node logging to path has stored from peers so far (its
 * "synced N records" lines), and whether it has said "listening". */
static size_t synced_in_log(const char *path, bool *ret_listening) {
  FILE *f = fopen(path, "r");
  char line[512];
  size_t total = 0;
  if (ret_listening)
    *ret_listening = false;
  while (f && fgets(line, sizeof line, f)) {
    const char *s = strstr(line, "synced ");
    size_t n;
    if (s && sscanf(s, "synced %zu records", &n) == 1)
      total += n;
    if (ret_listening && strstr(line, "listening on port"))
      *ret_listening = true;
  }
  if (f)
    fclose(f);
  return total;
}

/* Waits (polling the log every half millisecond) until the node has
 * stored `want` records from peers; the time it happened. */
static double wait_synced(bench_t *b, const char *log, size_t want, pid_t pid,
                          rss_watch_t *watch) {
  double t0 = now(), sampled = 0;
  for (;;) {
    if (watch && now() - sampled > 0.01) {
      rss_sample(watch);
      sampled = now();
    }
    if (synced_in_log(log, NULL) >= want)
      return now();
    int status;
    if (waitpid(pid, &status, WNOHANG) == pid)
      fail(b, "the node logging to %s stopped", log);
    if (now() - t0 > NODE_WAIT_S)
      fail(b, "the node logging to %s stored %zu of %zu records in %d s", log,
           synced_in_log(log, NULL), want, NODE_WAIT_S);
    struct timespec ts = {0, 500000};
    nanosleep(&ts, NULL);
  }
}

static void wait_listening(bench_t *b, const char *log) {
  double t0 = now();
  bool listening = false;
  while (synced_in_log(log, &listening), !listening) {
    if (now() - t0 > 30)
      fail(b, "the node logging to %s did not start", log);
    struct timespec ts = {0, 200000};
    nanosleep(&ts, NULL);
  }
}

/* Appends one record to the home h (open here, its node running). */
static void append_one(bench_t *b, rv_home_t *h, const rv_set_id_t *set, size_t i) {
  char topic[64];
  const char *why = NULL;
  snprintf(topic, sizeof topic, "pushed record %zu", i);
  rv_body_t body = {.type = RV_BODY_SET_TOPIC};
  body.text = topic;
  check(b, rv_home_begin(h, true), "begin a push");
  check(b, rv_log_append(h, set, &body, &why), "append a pushed record");
  check(b, rv_home_commit(h), "commit a pushed record");
}

/* One record at a time from A's node to B's: from A's commit to B's
 * store, the median of PUSH_RUNS. */
static double push_median(bench_t *b, rv_home_t *a, const rv_set_id_t *set, const char *log_b,
                          pid_t pid_b) {
  double ms[PUSH_RUNS];
  size_t have = synced_in_log(log_b, NULL);
  for (int i = 0; i < PUSH_RUNS; i++) {
    append_one(b, a, set, (size_t)i);
    double t0 = now();
    double t1 = wait_synced(b, log_b, have + 1, pid_b, NULL);
    ms[i] = (t1 - t0) * 1000;
    have++;
  }
  return median(ms, PUSH_RUNS);
}

static void bench_node(bench_t *b) {
  char log_a[4200], log_b[4200];
  uint16_t pa = free_port(b, SOCK_STREAM), pb = free_port(b, SOCK_STREAM);
  uint16_t beacon = free_port(b, SOCK_DGRAM);
  path_in(b, log_a, sizeof log_a, "node-a.log");
  path_in(b, log_b, sizeof log_b, "node-b.log");

  /* sync_initial: B's node, holding only its join, syncs the 100k-record
   * log from A's node: from B's start (its unlock included) to stored. */
  note("sync_initial: two nodes on loopback, %d records", RECORDS);
  pid_t node_a = node_spawn(b, b->dir_a, pa, beacon, 0, log_a);
  wait_listening(b, log_a);
  /* From B's node being up (unlocked: the passphrase's stretch is not
   * the sync's) to the last record stored. */
  pid_t node_b = node_spawn(b, b->dir_b_sync, pb, beacon, pa, log_b);
  wait_listening(b, log_b);
  double t0 = now();
  double t1 = wait_synced(b, log_b, RECORDS, node_b, NULL);
  b->sync_seconds = t1 - t0;
  b->fig[F_SYNC_INITIAL].value = RECORDS / b->sync_seconds;
  b->fig[F_SYNC_INITIAL].ceiling = verify_rate(b->signed_len);
  b->fig[F_SYNC_INITIAL].done = true;

  /* push_latency_ms: single records written on A, stored on B. */
  note("push_latency_ms: %d single records from A's node to B's", PUSH_RUNS);
  b->fig[F_PUSH_LATENCY].value = push_median(b, b->a, &b->set, log_b, node_b);
  b->fig[F_PUSH_LATENCY].done = true;

  /* cli_write_node_ms: a write command while the node runs: unlocked by
   * the node's agent, no passphrase, no Argon2id. */
  char name[32];
  char *argv[] = {NULL, "--home", b->dir_a, "set", "create", name, NULL};
  double ms[CLI_RUNS];
  unsetenv("REVANS_PASSPHRASE");
  note("%d runs of revans set create with A's node running (no passphrase)", CLI_RUNS);
  snprintf(name, sizeof name, "node-warm-up");
  run_cli(b, argv, NULL);
  for (int i = 0; i < CLI_RUNS; i++) {
    snprintf(name, sizeof name, "node-set-%02d", i);
    ms[i] = run_cli(b, argv, NULL) * 1000;
  }
  setenv("REVANS_PASSPHRASE", PASS, 1);
  b->fig[F_CLI_WRITE_NODE].value = median(ms, CLI_RUNS);
  b->fig[F_CLI_WRITE_NODE].done = true;
  node_stop(node_a);
  node_stop(node_b);
}

/* The incremental figures at scale: both nodes hold BIG_RECORDS. */
static void bench_node_big(bench_t *b) {
  char dir_a[4200], dir_b[4200], log_a[4200], log_b[4200];
  rv_home_t *a = NULL, *hb = NULL;
  rv_set_id_t set, joined;
  rv_buf_t inv;
  const char *why = NULL;
  uint16_t pa = free_port(b, SOCK_STREAM), pb = free_port(b, SOCK_STREAM);
  uint16_t beacon = free_port(b, SOCK_DGRAM);
  path_in(b, dir_a, sizeof dir_a, "big-a");
  path_in(b, dir_b, sizeof dir_b, "big-b");
  path_in(b, log_a, sizeof log_a, "big-a.log");
  path_in(b, log_b, sizeof log_b, "big-b.log");
  rv_buf_init(&inv);
  check(b, rv_home_create(dir_a, "Ada", PASS, strlen(PASS), 1, 8192, &a), "create big A");
  check(b, rv_home_create(dir_b, "Bea", PASS, strlen(PASS), 1, 8192, &hb), "create big B");
  check(b, rv_home_begin(a, true), "begin on big A");
  check(b, rv_set_create(a, "big", NULL, &set), "create the big set");
  check(b, rv_set_invite(a, &set, rv_home_self(hb), RV_ROLE_MEMBER, &inv), "invite big B");
  check(b, rv_home_commit(a), "commit the invite");
  check(b, rv_home_begin(hb, true), "begin on big B");
  check(b, rv_set_join(hb, inv.data, inv.len, &joined), "join as big B");
  check(b, rv_home_commit(hb), "commit the join");
  rv_home_close(&hb);
  rv_buf_release(&inv);

  char topic[TOPIC_LEN + 1];
  for (size_t i = 0; i < TOPIC_LEN; i++)
    topic[i] = (char)('a' + i % 26);
  topic[TOPIC_LEN] = '\0';
  rv_body_t body = {.type = RV_BODY_SET_TOPIC};
  body.text = topic;
  note("appending %d records on big A", BIG_RECORDS);
  for (size_t done = 0; done < BIG_RECORDS;) {
    check(b, rv_home_begin(a, true), "begin on big A");
    for (size_t k = 0; k < 100000 && done < BIG_RECORDS; k++, done++) {
      char num[16];
      int len = snprintf(num, sizeof num, "%08zu", done);
      memcpy(topic, num, (size_t)len);
      check(b, rv_log_append(a, &set, &body, &why), "append to big A");
    }
    check(b, rv_home_commit(a), "commit on big A");
  }

  note("syncing %d records to big B's node", BIG_RECORDS);
  pid_t node_a = node_spawn(b, dir_a, pa, beacon, 0, log_a);
  wait_listening(b, log_a);
  double t0 = now();
  pid_t node_b = node_spawn(b, dir_b, pb, beacon, pa, log_b);
  /* Memory is watched once B's node is unlocked: the Argon2id stretch
   * (64 MiB for a moment, before the node starts) is not the sync's. */
  rss_watch_t watch = {.pid = {node_b, node_a}};
  wait_listening(b, log_b);
  double t0b = now();
  double t1 = wait_synced(b, log_b, BIG_RECORDS, node_b, &watch);
  t0 = t0b;
  b->big_sync_seconds = t1 - t0;
  /* B's join record goes to A too: wait until A holds it. */
  wait_synced(b, log_a, 1, node_a, NULL);

  note("sync_incremental_ms: %d single records with %d held", PUSH_RUNS, BIG_RECORDS);
  b->fig[F_SYNC_INCREMENTAL].value = push_median(b, a, &set, log_b, node_b);
  b->fig[F_SYNC_INCREMENTAL].done = true;
  b->fig[F_NODE_RSS].value = watch.peak_anon[0];
  b->node_rss_a_mb = watch.peak_anon[1];
  b->node_hwm_mb[0] = status_mb(node_b, "VmHWM");
  b->node_hwm_mb[1] = status_mb(node_a, "VmHWM");
  b->fig[F_NODE_RSS].done = true;
  node_stop(node_a);
  node_stop(node_b);
  rv_home_close(&a);
}

/* ---- output -------------------------------------------------------- */

static double round_to(double v, int digits) {
  double p = pow(10, digits);
  return round(v * p) / p;
}

static bool at_most(const figure_t *f) {
  return strcmp(f->unit, "ms") == 0 || strcmp(f->unit, "MB") == 0;
}

static void print_json(const bench_t *b) {
  json_t *root = json_object();
  for (int i = 0; i < F__COUNT; i++) {
    const figure_t *f = &b->fig[i];
    if (!f->done)
      continue;
    json_t *o = json_object();
    json_object_set_new(o, "value", json_real(round_to(f->value, strcmp(f->unit, "records/s") && strcmp(f->unit, "entries/s") ? 1 : 0)));
    json_object_set_new(o, "unit", json_string(f->unit));
    if (f->ceiling_is) {
      json_object_set_new(o, "ceiling", json_real(round_to(f->ceiling, 0)));
      json_object_set_new(o, "ratio", json_real(round_to(f->value / f->ceiling, 3)));
    }
    if (f->bound) /* ms and MB are at most the bound; rates at least */
      json_object_set_new(o, at_most(f) ? "at_most" : "at_least", json_real(f->bound));
    json_object_set_new(root, f->name, o);
  }
  json_dumpf(root, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(12));
  fputc('\n', stdout);
  json_decref(root);
}

static void print_table(const bench_t *b) {
  printf("%-21s %12s %-10s %12s %7s %7s  %s\n", "figure", "value", "unit", "ceiling", "ratio",
         "target", "ceiling is");
  for (int i = 0; i < F__COUNT; i++) {
    const figure_t *f = &b->fig[i];
    if (!f->done)
      continue;
    if (!f->ceiling_is) {
      char target[32] = "-";
      if (f->bound)
        snprintf(target, sizeof target, "%s%g", at_most(f) ? "<=" : ">=", f->bound);
      printf("%-21s %12.*f %-10s %12s %7s %7s\n", f->name,
             strcmp(f->unit, "records/s") && strcmp(f->unit, "entries/s") ? 1 : 0,
             f->value, f->unit, "-", "-", target);
      continue;
    }
    printf("%-21s %12.0f %-10s %12.0f %7.3f %4s%-3g  %s, %zu-byte message\n", f->name, f->value,
           f->unit, f->ceiling, f->value / f->ceiling, ">= ", f->target, f->ceiling_is,
           b->signed_len);
  }
  if (b->have_log)
    printf("\nlog: %d topic records of %d bytes; one record signs %zu bytes, %zu of ciphertext;"
           " bundle %zu records, %zu bytes\n",
           RECORDS, TOPIC_LEN, b->signed_len, b->ct_len, b->bundle_records, b->bundle.len);
  if (b->fig[F_APPEND].done)
    printf("append context: %.2f s in all, %.2f s of it in the durable commit\n",
           b->append_seconds, b->append_commit_seconds);
  if (b->fig[F_INGEST].done)
    printf("ingest context: %.2f s in all, %.2f s of it in the durable commit\n",
           (double)b->bundle_records / b->fig[F_INGEST].value, b->ingest_commit_seconds);
  if (b->fig[F_REFOLD].done)
    printf("refold context: XChaCha20-Poly1305 opens of one record body: %.0f/s\n",
           b->decrypt_rate);
  if (b->fig[F_CLI_WRITE].done || b->fig[F_JOURNAL_LIST_CLI].done)
    printf("cli context: Argon2id at the default costs: %.1f ms per unlock (every revans process"
           " without a node pays it)\n",
           b->pwhash_ms);
  if (b->fig[F_SYNC_INITIAL].done)
    printf("node context: sync_initial %.2f s for %d records, from the receiving node up "
           "(unlocked) to all stored, connection included; push_latency_ms from A's commit to "
           "B's store\n",
           b->sync_seconds, RECORDS);
  if (b->fig[F_SYNC_INCREMENTAL].done)
    printf("node at %d records: initial sync %.1f s (%.0f records/s); sync_incremental_ms one "
           "record from commit to the other node's store; node_rss_mb the receiving node's peak "
           "private memory (RssAnon) during that sync, after its unlock (the sending node's: %.1f MB); "
           "peak with the store's mapped pages and the Argon2id unlock (VmHWM): %.0f and %.0f MB\n",
           BIG_RECORDS, b->big_sync_seconds, BIG_RECORDS / b->big_sync_seconds, b->node_rss_a_mb,
           b->node_hwm_mb[0], b->node_hwm_mb[1]);
  if (b->fig[F_JOURNAL_IMPORT].done)
    printf("journal context: %d entries, jrnl export of %zu bytes; list shows the last %d,"
           " search '%s %s' finds %zu; _ms through the library on an unlocked home, _cli_ms"
           " the whole revans process\n",
           JOURNAL_ENTRIES, b->journal_bytes, JOURNAL_SHOW, SEARCH_A, SEARCH_B, b->journal_hits);
}

/* ---- main ---------------------------------------------------------- */

static int usage(FILE *f, int code) {
  fprintf(f, "usage: revans-bench [--json] [--revans PATH] [NAME...]\n"
             "NAMEs: append ingest ingest_cli cli_write_ms refold journal_import\n"
             "journal_list_ms journal_search_ms journal_list_cli_ms journal_search_cli_ms\n"
             "sync_initial push_latency_ms cli_write_node_ms sync_incremental_ms node_rss_mb\n"
             "(default: all; ingest also selects ingest_cli; journal, or any journal figure,\n"
             "selects all five journal figures; node selects the five node figures). With --json, one JSON object on stdout mapping each name to\n"
             "{value, unit, ceiling, ratio}. REVANS_BENCH_KEEP=1 keeps the temporary homes.\n");
  return code;
}

int main(int argc, char **argv) {
  bench_t b;
  bool any = false;
  memset(&b, 0, sizeof b);
  memcpy(b.fig, figure_defaults, sizeof b.fig);
  rv_buf_init(&b.bundle);
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      b.json = true;
    } else if (strcmp(argv[i], "--revans") == 0 && i + 1 < argc) {
      b.revans = argv[++i];
    } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
      return usage(stdout, 0);
    } else {
      bool found = false;
      for (int k = 0; k < F__COUNT; k++)
        if (strcmp(argv[i], b.fig[k].name) == 0) {
          b.fig[k].wanted = found = any = true;
          if (k == F_INGEST)
            b.fig[F_INGEST_CLI].wanted = true;
        }
      if (strcmp(argv[i], "journal") == 0)
        for (int k = F_JOURNAL_IMPORT; k <= F_JOURNAL_SEARCH_CLI; k++)
          b.fig[k].wanted = found = any = true;
      if (strcmp(argv[i], "node") == 0)
        for (int k = F_SYNC_INITIAL; k <= F_NODE_RSS; k++)
          b.fig[k].wanted = found = any = true;
      if (!found) {
        fprintf(stderr, "revans-bench: unknown figure or option '%s'\n", argv[i]);
        return usage(stderr, 2);
      }
    }
  }
  for (int k = 0; k < F__COUNT && !any; k++)
    b.fig[k].wanted = true;
  for (int k = F_JOURNAL_IMPORT; k <= F_JOURNAL_SEARCH_CLI; k++)
    if (b.fig[k].wanted) /* one run makes them all */
      b.fig[F_JOURNAL_IMPORT].wanted = true;
  for (int k = F_SYNC_INITIAL; k <= F_CLI_WRITE_NODE; k++)
    if (b.fig[k].wanted) /* one run makes these three */
      b.fig[F_SYNC_INITIAL].wanted = true;
  if (b.fig[F_NODE_RSS].wanted) /* measured in the same run as the incremental figure */
    b.fig[F_SYNC_INCREMENTAL].wanted = true;
  if ((b.fig[F_INGEST_CLI].wanted || b.fig[F_CLI_WRITE].wanted ||
       b.fig[F_JOURNAL_IMPORT].wanted || b.fig[F_SYNC_INITIAL].wanted ||
       b.fig[F_SYNC_INCREMENTAL].wanted) &&
      (!b.revans || access(b.revans, X_OK) != 0)) {
    fprintf(stderr, "revans-bench: the CLI figures need --revans PATH to the revans program\n");
    return 2;
  }
  if (rv_crypto_init() < 0) {
    fprintf(stderr, "revans-bench: cannot initialise the cryptographic library\n");
    return 1;
  }
  /* The passphrase the revans program reads; every home uses it. */
  setenv("REVANS_PASSPHRASE", PASS, 1);
  const char *tmpdir = getenv("TMPDIR");
  snprintf(b.tmp, sizeof b.tmp, "%s/revans-bench.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
  if (!mkdtemp(b.tmp)) {
    fprintf(stderr, "revans-bench: cannot make a temporary directory: %s\n", strerror(errno));
    return 1;
  }

  if (b.fig[F_APPEND].wanted || b.fig[F_INGEST].wanted || b.fig[F_INGEST_CLI].wanted ||
      b.fig[F_REFOLD].wanted || b.fig[F_SYNC_INITIAL].wanted)
    make_log(&b);
  if (b.fig[F_APPEND].wanted)
    bench_append(&b);
  if (b.fig[F_INGEST].wanted)
    bench_ingest(&b);
  if (b.fig[F_INGEST_CLI].wanted)
    bench_ingest_cli(&b);
  if (b.fig[F_REFOLD].wanted)
    bench_refold(&b);
  if (b.fig[F_CLI_WRITE].wanted)
    bench_cli_write(&b);
  if (b.fig[F_JOURNAL_IMPORT].wanted)
    bench_journal(&b);
  if (b.fig[F_SYNC_INITIAL].wanted)
    bench_node(&b);
  if (b.fig[F_SYNC_INCREMENTAL].wanted)
    bench_node_big(&b);

  if (b.json)
    print_json(&b);
  else
    print_table(&b);
  cleanup(&b);
  return 0;
}
