/*
 * rawpeer: a hostile or foreign peer for the node tests. It speaks to a
 * running node the way no revans node would:
 *   rawpeer tcp HOST PORT            raw TCP: garbage, then a ZMTP greeting
 *                                    announcing a frame far over the limit
 *   rawpeer curve ENDPOINT SERVER-ID [HOME] MESSAGE
 *                                    CURVE to the node as HOME's person (or
 *                                    as a stranger with fresh keys when HOME
 *                                    is "-"), then sends MESSAGE: hello,
 *                                    garbage, oversized, badvv, forged
 * and prints "reply" if anything came back within two seconds, else
 * "no reply". The exit status says only whether it could do what it was
 * asked. HOME is unlocked with $REVANS_PASSPHRASE.
 */
#include "wire.h"

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/types.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int tcp_garbage(const char *host, int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1)
    return 2;
  for (int round = 0; round < 2; round++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
      perror("rawpeer: connect");
      return 1;
    }
    uint8_t buf[65536];
    if (round == 0) {
      rv_random(buf, sizeof buf);
      (void)!write(fd, buf, sizeof buf);
    } else {
      /* A ZMTP 3 greeting, then a long frame of 2^40 bytes. */
      memset(buf, 0, 64);
      buf[0] = 0xff;
      buf[9] = 0x7f;
      buf[10] = 3;
      memcpy(buf + 12, "CURVE", 5);
      (void)!write(fd, buf, 64);
      uint8_t frame[9] = {0x06, 0, 0, 0, 1, 0, 0, 0, 0};
      (void)!write(fd, frame, sizeof frame);
      memset(buf, 'A', sizeof buf);
      for (int i = 0; i < 16; i++)
        if (write(fd, buf, sizeof buf) < 0)
          break;
    }
    close(fd);
  }
  puts("sent");
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN); /* the node may close on us mid-write */
  if (rv_crypto_init() < 0)
    return 1;
  if (argc == 4 && strcmp(argv[1], "tcp") == 0)
    return tcp_garbage(argv[2], atoi(argv[3]));
  if (argc != 6 || strcmp(argv[1], "curve") != 0) {
    fprintf(stderr, "usage: rawpeer tcp HOST PORT | rawpeer curve ENDPOINT SERVER-ID HOME|- MESSAGE\n");
    return 2;
  }
  const char *endpoint = argv[2], *server_hex = argv[3], *home = argv[4], *what = argv[5];
  uint8_t server_id[32], server_pk[32], pk[32], sk[32];
  if (rv_unhex(server_id, 32, server_hex) < 0 || rv_sign_to_curve(server_id, NULL, server_pk, NULL) < 0) {
    fprintf(stderr, "rawpeer: bad server id\n");
    return 2;
  }
  rv_home_t *h = NULL;
  if (strcmp(home, "-") == 0) {
    uint8_t seed[32];
    rv_random(seed, sizeof seed);
    rv_curve_from_seed(seed, pk, sk);
  } else {
    const char *pass = getenv("REVANS_PASSPHRASE");
    if (!pass || rv_home_open(home, &h) < 0 || rv_home_unlock(h, pass, strlen(pass)) < 0 ||
        rv_home_curve_keys(h, pk, sk) < 0) {
      fprintf(stderr, "rawpeer: cannot unlock %s\n", home);
      return 1;
    }
  }
  rv_wire_t *w = NULL;
  rv_sock_t *s = NULL;
  if (rv__wire_new(&w) < 0 || rv__wire_connect(w, endpoint, server_pk, pk, sk, &s) < 0) {
    fprintf(stderr, "rawpeer: cannot connect\n");
    return 1;
  }
  rv_enc_t *enc = NULL;
  rv_enc_new(&enc);
  rv_buf_t body;
  rv_buf_init(&body);
  if (strcmp(what, "hello") == 0) {
    rv_enc_array(enc, 3);
    rv_enc_cstr(enc, "hello");
    rv_enc_uint(enc, 1);
    rv_enc_bool(enc, true);
  } else if (strcmp(what, "garbage") == 0) {
    uint8_t g[300];
    rv_random(g, sizeof g);
    rv_enc_raw(enc, g, sizeof g);
  } else if (strcmp(what, "oversized") == 0) {
    size_t n = RV_WIRE_MSG_MAX + 4096;
    uint8_t *big = calloc(1, n);
    rv_enc_array(enc, 3);
    rv_enc_cstr(enc, "recs");
    rv_enc_bin(enc, big, 16);
    rv_enc_bin(enc, big, n);
    free(big);
  } else if (strcmp(what, "badvv") == 0) {
    rv_enc_array(enc, 3);
    rv_enc_cstr(enc, "vv");
    rv_enc_cstr(enc, "not a set id");
    rv_enc_uint(enc, 7);
  } else if (strcmp(what, "forged") == 0) {
    /* A batch of one "record" of random bytes in a set of random id. */
    uint8_t set[16], rec[400];
    rv_random(set, sizeof set);
    rv_random(rec, sizeof rec);
    rv_enc_array(enc, 3);
    rv_enc_cstr(enc, "recs");
    rv_enc_bin(enc, set, sizeof set);
    rv_enc_array(enc, 1);
    rv_enc_bin(enc, rec, sizeof rec);
  } else {
    fprintf(stderr, "rawpeer: unknown message '%s'\n", what);
    return 2;
  }
  size_t len;
  const uint8_t *p = rv_enc_data(enc, &len);
  rv_wire_msg_t m;
  memset(&m, 0, sizeof m);
  rv_buf_init(&m.body);
  bool replied = false, sent = false;
  for (int i = 0; i < 40 && !replied; i++) { /* two seconds */
    if (!sent)
      sent = rv__sock_send(s, NULL, 0, p, len) == 0;
    bool in, out;
    rv__sock_events(s, &in, &out);
    if (in && rv__sock_recv(s, &m) == 0) {
      replied = true;
      break;
    }
    struct pollfd pfd = {.fd = rv__sock_fd(s), .events = POLLIN};
    poll(&pfd, 1, 50);
  }
  puts(replied ? "reply" : "no reply");
  rv_buf_release(&m.body);
  rv_enc_destroy(&enc);
  rv__sock_close(&s);
  rv__wire_destroy(&w);
  rv_home_close(&h);
  return 0;
}
