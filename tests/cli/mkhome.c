/*
 * mkhome DIR NAME: a new home for NAME in DIR, sealed under
 * $REVANS_PASSPHRASE with the cheapest Argon2id costs libsodium accepts;
 * prints the member id. The tests make many homes, and every command on
 * them unlocks them again: with `revans init`'s costs that stretch alone
 * takes minutes of a test run. `revans init` itself is tested as it is
 * (tests/cli/bad_args.sh, tools/demo).
 */
#include "revans/crypto.h"
#include "revans/home.h"
#include "revans/types.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  const char *pass = getenv("REVANS_PASSPHRASE");
  rv_home_t *h = NULL;
  char hex[2 * RV_ID_LEN + 1];
  if (argc != 3 || !pass) {
    fprintf(stderr, "usage: REVANS_PASSPHRASE=... mkhome DIR NAME\n");
    return 2;
  }
  if (rv_crypto_init() < 0 || rv_home_create(argv[1], argv[2], pass, strlen(pass), 1, 8192, &h) < 0) {
    fprintf(stderr, "mkhome: cannot create %s\n", argv[1]);
    return 1;
  }
  rv_hex(hex, rv_home_self(h)->b, RV_ID_LEN);
  puts(hex);
  rv_home_close(&h);
  return 0;
}
