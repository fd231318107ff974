/*
 * mklog A B N BUNDLE: makes two homes for the crash tests (passphrase
 * from $REVANS_PASSPHRASE, the cheapest Argon2id costs): A creates a set,
 * B joins it, then A writes N records of 300 bytes; A's bundle of them is
 * written to BUNDLE. Quicker than N commands.
 */
#include "revans/body.h"
#include "revans/bundle.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/log.h"
#include "revans/set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void must(int r, const char *what) {
  if (r < 0) {
    fprintf(stderr, "mklog: cannot %s: %s\n", what, rv_strerror(r));
    exit(1);
  }
}

int main(int argc, char **argv) {
  const char *pass = getenv("REVANS_PASSPHRASE");
  if (argc != 5 || !pass) {
    fprintf(stderr, "usage: REVANS_PASSPHRASE=... mklog A B N BUNDLE\n");
    return 2;
  }
  long n = atol(argv[3]);
  rv_home_t *a = NULL, *b = NULL;
  rv_set_id_t set, joined;
  rv_buf_t inv, bundle;
  const char *why = NULL;
  must(rv_crypto_init(), "start libsodium");
  rv_buf_init(&inv);
  rv_buf_init(&bundle);
  must(rv_home_create(argv[1], "Ada", pass, strlen(pass), 1, 8192, &a), "create A");
  must(rv_home_create(argv[2], "Ben", pass, strlen(pass), 1, 8192, &b), "create B");
  must(rv_home_begin(a, true), "begin on A");
  must(rv_set_create(a, "Crash", NULL, &set), "create the set");
  must(rv_set_invite(a, &set, rv_home_self(b), RV_ROLE_MEMBER, &inv), "invite B");
  must(rv_home_commit(a), "commit on A");
  must(rv_home_begin(b, true), "begin on B");
  must(rv_set_join(b, inv.data, inv.len, &joined), "join as B");
  must(rv_home_commit(b), "commit on B");
  char topic[301];
  memset(topic, 'x', sizeof topic - 1);
  topic[sizeof topic - 1] = '\0';
  rv_body_t body = {.type = RV_BODY_SET_TOPIC};
  body.text = topic;
  must(rv_home_begin(a, true), "begin on A");
  for (long i = 0; i < n; i++) {
    char num[16];
    int len = snprintf(num, sizeof num, "%08ld", i % 100000000);
    memcpy(topic, num, (size_t)len);
    must(rv_log_append(a, &set, &body, &why), "append");
  }
  must(rv_home_commit(a), "commit the records");
  must(rv_home_begin(a, false), "begin on A");
  must(rv_bundle_create(a, &bundle, NULL), "make the bundle");
  rv_home_abort(a);
  FILE *f = fopen(argv[4], "wb");
  if (!f || fwrite(bundle.data, 1, bundle.len, f) != bundle.len || fclose(f) != 0) {
    fprintf(stderr, "mklog: cannot write %s\n", argv[4]);
    return 1;
  }
  rv_buf_release_public(&bundle);
  rv_buf_release(&inv);
  rv_home_close(&a);
  rv_home_close(&b);
  return 0;
}
