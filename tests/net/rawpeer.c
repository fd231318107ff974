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
 *                                    and prints "reply" if anything came
 *                                    back within two seconds, else "no reply"
 *   rawpeer fakebeacons HOME PORT    80 beacons, made with HOME's first set's
 *                                    key, naming random member ids, to a
 *                                    node's UDP PORT
 *   rawpeer evilnode HOME PORT SECONDS
 *                                    a node of HOME's person on PORT that
 *                                    answers probes with a true beacon and
 *                                    every message with a two-frame one
 * The exit status says only whether it could do what it was asked. HOME
 * is unlocked with $REVANS_PASSPHRASE. The evil node speaks ZeroMQ
 * directly: it must send what wire.c never would.
 */
#include "beacon.h"
#include "wire.h"

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/peer.h"
#include "revans/set.h"
#include "revans/types.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <zmq.h>

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

/* HOME unlocked, and the beacon key of its first set. */
static rv_home_t *open_member(const char *home, uint8_t key[32]) {
  const char *pass = getenv("REVANS_PASSPHRASE");
  rv_home_t *h = NULL;
  rv_set_id_t *sets = NULL;
  uint8_t keys[2][32];
  size_t ns = 0, nk = 0;
  if (!pass || rv_home_open(home, &h) < 0 || rv_home_unlock(h, pass, strlen(pass)) < 0 ||
      rv_home_begin(h, false) < 0) {
    fprintf(stderr, "rawpeer: cannot unlock %s\n", home);
    exit(1);
  }
  if (rv_set_list(h, &sets, &ns) < 0 || ns == 0 || rv_peer_beacon_keys(h, &sets[0], keys, &nk) < 0) {
    fprintf(stderr, "rawpeer: %s holds no set\n", home);
    exit(1);
  }
  rv_home_abort(h);
  memcpy(key, keys[0], 32);
  free(sets);
  return h;
}

static struct sockaddr_in loopback(int port) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
  return a;
}

static int fake_beacons(const char *home, int port) {
  uint8_t key[32];
  rv_home_t *h = open_member(home, key);
  rv_enc_t *enc = NULL;
  rv_enc_new(&enc);
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in to = loopback(port);
  for (int i = 0; i < 80; i++) {
    rv_beacon_t b;
    rv_member_id_t fake;
    size_t len;
    rv_random(fake.b, sizeof fake.b);
    rv__beacon_init(&b, (uint16_t)(40000 + i));
    rv__beacon_add(&b, key, (uint64_t)time(NULL), &fake);
    rv__beacon_encode(enc, &b);
    const uint8_t *p = rv_enc_data(enc, &len);
    sendto(u, p, len, 0, (struct sockaddr *)&to, sizeof to);
  }
  close(u);
  rv_enc_destroy(&enc);
  rv_home_close(&h);
  puts("sent");
  return 0;
}

static int evil_node(const char *home, int port, int seconds) {
  uint8_t key[32], pk[32], sk[32];
  rv_home_t *h = open_member(home, key);
  char ep[64];
  int one = 1;
  if (rv_home_curve_keys(h, pk, sk) < 0)
    return 1;
  void *ctx = zmq_ctx_new(), *r = zmq_socket(ctx, ZMQ_ROUTER);
  zmq_setsockopt(r, ZMQ_CURVE_SERVER, &one, sizeof one);
  zmq_setsockopt(r, ZMQ_CURVE_SECRETKEY, sk, 32);
  snprintf(ep, sizeof ep, "tcp://127.0.0.1:%d", port);
  int u = socket(AF_INET, SOCK_DGRAM, 0);
  struct sockaddr_in at = loopback(port);
  if (zmq_bind(r, ep) != 0 || bind(u, (struct sockaddr *)&at, sizeof at) != 0) {
    perror("rawpeer: bind");
    return 1;
  }
  rv_enc_t *enc = NULL;
  rv_dec_t *dec = NULL;
  rv_enc_new(&enc);
  rv_dec_new(&dec);
  int answered = 0;
  for (time_t end = time(NULL) + seconds; time(NULL) < end;) {
    zmq_pollitem_t it[2] = {{r, 0, ZMQ_POLLIN, 0}, {NULL, u, ZMQ_POLLIN, 0}};
    zmq_poll(it, 2, 100);
    if (it[1].revents & ZMQ_POLLIN) {
      uint8_t buf[RV_BEACON_MAX + 1];
      struct sockaddr_in from;
      socklen_t fl = sizeof from;
      ssize_t n = recvfrom(u, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
      rv_beacon_t b;
      if (n > 0 && rv__beacon_decode(dec, buf, (size_t)n, &b) == 0 && b.probe) {
        size_t len;
        rv__beacon_init(&b, (uint16_t)port);
        rv__beacon_add(&b, key, (uint64_t)time(NULL), rv_home_self(h));
        rv__beacon_encode(enc, &b);
        const uint8_t *p = rv_enc_data(enc, &len);
        sendto(u, p, len, 0, (struct sockaddr *)&from, fl);
      }
    }
    if (it[0].revents & ZMQ_POLLIN) {
      uint8_t rid[256];
      char skip[4096];
      int rl = zmq_recv(r, rid, sizeof rid, 0), more = 1;
      size_t ml = sizeof more;
      while (zmq_getsockopt(r, ZMQ_RCVMORE, &more, &ml) == 0 && more)
        zmq_recv(r, skip, sizeof skip, 0);
      if (rl > 0) {
        zmq_send(r, rid, (size_t)rl, ZMQ_SNDMORE);
        zmq_send(r, "\x91\xa1x", 3, ZMQ_SNDMORE);
        zmq_send(r, "\x91\xa1y", 3, 0);
        answered++;
      }
    }
  }
  printf("answered %d\n", answered);
  zmq_close(r);
  zmq_ctx_term(ctx);
  close(u);
  rv_enc_destroy(&enc);
  rv_dec_destroy(&dec);
  rv_home_close(&h);
  return 0;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN); /* the node may close on us mid-write */
  setvbuf(stdout, NULL, _IOLBF, 0); /* each verdict out at once, whatever happens after */
  if (rv_crypto_init() < 0)
    return 1;
  if (argc == 4 && strcmp(argv[1], "tcp") == 0)
    return tcp_garbage(argv[2], atoi(argv[3]));
  if (argc == 4 && strcmp(argv[1], "fakebeacons") == 0)
    return fake_beacons(argv[2], atoi(argv[3]));
  if (argc == 5 && strcmp(argv[1], "evilnode") == 0)
    return evil_node(argv[2], atoi(argv[3]), atoi(argv[4]));
  if (argc != 6 || strcmp(argv[1], "curve") != 0) {
    fprintf(stderr, "usage: rawpeer tcp HOST PORT | rawpeer curve ENDPOINT SERVER-ID HOME|- MESSAGE"
                    " | rawpeer fakebeacons HOME PORT | rawpeer evilnode HOME PORT SECONDS\n");
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
