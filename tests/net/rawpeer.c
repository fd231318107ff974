/*
 * rawpeer: a hostile or foreign peer for the node tests. It speaks to a
 * running node the way no revans node would:
 *   rawpeer tcp HOST PORT            raw TCP: garbage, then a ZMTP greeting
 *                                    announcing a frame far over the limit
 *   rawpeer tcpflood HOST PORT COUNT SECONDS
 *                                    COUNT raw TCP connections at once (half
 *                                    send garbage, half stay silent), held
 *                                    SECONDS, then closed
 *   rawpeer curve ENDPOINT SERVER-ID HOME|- MESSAGE [AUTHOR-HOME]
 *                                    CURVE to the node as HOME's person (or
 *                                    as a stranger with fresh keys when HOME
 *                                    is "-"), then sends MESSAGE: hello,
 *                                    garbage, oversized, badvv, forged,
 *                                    falseheads (HOME's vector with every
 *                                    head hash random)
 *                                    and prints "reply" if anything came
 *                                    back within two seconds (or
 *                                    $RAWPEER_WAIT_MS), else "no reply"
 *   rawpeer curve ... RECORDS [AUTHOR-HOME]
 *                                    the same, with one or more "recs"
 *                                    messages of records made with
 *                                    AUTHOR-HOME's keys (HOME's by default)
 *                                    in its first set, continuing its chain
 *                                    as that home holds it (nothing is
 *                                    stored there), then a hello: "reply"
 *                                    says the node still talks to us.
 *                                    RECORDS is one of
 *                                      next       one valid record
 *                                      two        two valid records, chained
 *                                      gap        the second of those alone:
 *                                                 a run starting past the
 *                                                 head the node holds
 *                                      late       one valid record dated
 *                                                 after everything (Lamport
 *                                                 clock + 1,000,000), under
 *                                                 the epoch the home holds
 *                                      badsig     one record, a bit of its
 *                                                 signature flipped
 *                                      badsiginner two records: the first
 *                                                 with a flipped signature
 *                                                 bit, the second validly
 *                                                 signed and chained to it
 *                                      badsigcut  a run of about 4,100
 *                                                 records whose bad
 *                                                 signature falls where a
 *                                                 node's batch to a peer
 *                                                 lacking all of them is
 *                                                 full (net/sync.c), the
 *                                                 next one vouching for
 *                                                 it; sent in one message
 *                                                 (a node's own batches
 *                                                 are then cut there)
 *                                      badct      one record, a ciphertext
 *                                                 byte flipped after signing
 *                                      badkey     one record validly signed
 *                                                 whose body is sealed under
 *                                                 a random key, not the set's
 *                                      replay     every record the home holds
 *                                      fork       two valid records at one
 *                                                 position, in one batch
 *                                      forklater  the same in two batches
 *                                      truncated  a batch of one record, the
 *                                                 frame cut in the middle
 *                                      truncrec   a batch holding half a record
 *   rawpeer flood ENDPOINT SERVER-ID HOME|- COUNT
 *                                    COUNT CURVE connections at once, each
 *                                    saying hello; prints "replies N of COUNT"
 *                                    (the connections that were answered
 *                                    within three seconds)
 *   rawpeer curvekey MEMBER-ID       the first 16 hex digits of the member's
 *                                    X25519 key (as the node's log shows it)
 *   rawpeer fakebeacons HOME PORT    80 beacons, made with HOME's first set's
 *                                    key, naming random member ids, to a
 *                                    node's UDP PORT
 *   rawpeer evilnode HOME PORT SECONDS
 *                                    a node of HOME's person on PORT that
 *                                    answers probes with a true beacon and
 *                                    every message with a two-frame one
 * The exit status says only whether it could do what it was asked. HOME
 * is unlocked with $REVANS_PASSPHRASE. The evil node speaks ZeroMQ
 * directly: it must send what wire.c never would. Records are made with
 * core's own sealing, from inside the home (core/internal.h: the member's
 * signing key and the set's keys), so that each is exactly what a member
 * with a modified program could send.
 */
#include "beacon.h"
#include "internal.h" /* net/: the protocol's bounds */
#include "wire.h"

#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/home.h"
#include "revans/peer.h"
#include "revans/set.h"
#include "revans/types.h"

/* The insides of a home: its signing key and set keys (see above). */
#include "../../core/internal.h"
#include "../../core/internal_setctx.h"

#include <arpa/inet.h>
#include <fcntl.h>
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

/* COUNT connections at once, none of which ever completes a handshake:
 * half send garbage, half say nothing (the node's handshake timeout must
 * drop them). */
static int tcp_flood(const char *host, int port, int count, int seconds) {
  struct sockaddr_in a;
  memset(&a, 0, sizeof a);
  a.sin_family = AF_INET;
  a.sin_port = htons((uint16_t)port);
  if (inet_pton(AF_INET, host, &a.sin_addr) != 1 || count < 1)
    return 2;
  int *fds = calloc((size_t)count, sizeof *fds), opened = 0;
  for (int i = 0; i < count; i++) {
    fds[i] = socket(AF_INET, SOCK_STREAM, 0);
    if (fds[i] < 0)
      continue;
    if (connect(fds[i], (struct sockaddr *)&a, sizeof a) != 0) {
      close(fds[i]);
      fds[i] = -1;
      continue;
    }
    opened++;
    if (i % 2 == 0) {
      uint8_t g[512];
      rv_random(g, sizeof g);
      (void)!write(fds[i], g, sizeof g);
    }
  }
  printf("opened %d\n", opened);
  sleep((unsigned)seconds);
  for (int i = 0; i < count; i++)
    if (fds[i] >= 0)
      close(fds[i]);
  free(fds);
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

/* ---- records made with a member's keys -------------------------------- */

/* The author's chain in its home's first set, as the home holds it. The
 * home stays in a read transaction while records are made: nothing made
 * here is stored there. */
typedef struct forge {
  rv_home_t *h;
  rv_setctx_t *c;
  rv_set_id_t set;
  uint64_t seq, lamport;
  rv_hash_t head;
  rv_enc_t *enc, *body;
} forge_t;

static int forge_open(forge_t *f, rv_home_t *h) {
  rv_set_id_t *sets = NULL;
  rv_vv_t *vv = NULL;
  size_t ns = 0, nv = 0;
  memset(f, 0, sizeof *f);
  f->h = h;
  if (rv_home_begin(h, false) < 0)
    return -1;
  if (rv_set_list(h, &sets, &ns) < 0 || ns == 0) {
    free(sets);
    return -1;
  }
  f->set = sets[0];
  free(sets);
  if (rv__setctx(h, &f->set, &f->c) < 0 || rv_log_vv(h, &f->set, &vv, &nv) < 0)
    return -1;
  for (size_t i = 0; i < nv; i++)
    if (memcmp(vv[i].author.b, rv_home_self(h)->b, RV_ID_LEN) == 0) {
      f->seq = vv[i].seq;
      f->head = vv[i].head;
    }
  free(vv);
  f->lamport = f->c->state.lamport_max;
  if (rv_enc_new(&f->enc) < 0 || rv_enc_new(&f->body) < 0)
    return -1;
  return 0;
}

static void forge_close(forge_t *f) {
  rv_enc_destroy(&f->enc);
  rv_enc_destroy(&f->body);
  if (f->h)
    rv_home_abort(f->h);
}

/* The author's next record (a member.join with a new name) into out
 * (initialised here), sealed under key, or under the set's key for the
 * epoch the home's state is in when key is NULL. The chain moves on. */
static int forge_record(forge_t *f, const uint8_t *key, rv_buf_t *out) {
  char name[32];
  uint32_t tag;
  rv_body_t b;
  rv_header_t hd;
  rv_buf_init(out);
  rv_random(&tag, sizeof tag);
  snprintf(name, sizeof name, "Forged %08x", (unsigned)tag);
  memset(&b, 0, sizeof b);
  b.type = RV_BODY_MEMBER_JOIN;
  b.name = name;
  rv_enc_reset(f->body);
  if (rv_body_encode(f->body, &b) < 0)
    return -1;
  memset(&hd, 0, sizeof hd);
  hd.version = RV_FORMAT_VERSION;
  hd.set = f->set;
  hd.author = *rv_home_self(f->h);
  hd.seq = f->seq + 1;
  if (f->seq)
    hd.prev = f->head;
  hd.lamport = f->lamport + 1;
  hd.epoch = f->c->state.epoch;
  hd.time_ms = rv_now_ms();
  if (!key)
    key = rv__setctx_key(f->c, hd.epoch);
  size_t bn;
  const uint8_t *bp = rv_enc_data(f->body, &bn);
  if (!key || rv_envelope_seal(f->enc, &hd, bp, bn, key, f->h->sec->sk, out) < 0)
    return -1;
  f->seq = hd.seq;
  f->lamport = hd.lamport;
  rv_hash(f->head.b, out->data, out->len);
  return 0;
}

/* After a record's bytes were changed: the next one links to them. */
static void forge_relink(forge_t *f, const rv_buf_t *rec) { rv_hash(f->head.b, rec->data, rec->len); }

typedef struct recs {
  rv_buf_t r[RV_SYNC_RECS_MAX];
  size_t n, bytes;
} recs_t;

static int replay_one(void *ctx, const uint8_t *raw, size_t n) {
  recs_t *rs = ctx;
  if (rs->n == RV_SYNC_BATCH_RECORDS || rs->bytes + n > RV_SYNC_BATCH_BYTES)
    return 1; /* one batch's worth is enough */
  rv_buf_init(&rs->r[rs->n]);
  if (rv_buf_append(&rs->r[rs->n], raw, n) < 0)
    return -1;
  rs->n++;
  rs->bytes += n;
  return 0;
}

/* badsigcut: the records a node would put in one batch to a peer that
 * holds none of them (the budget of batch_one in net/sync.c: 4,096
 * records or 1 MiB), the last of them with a flipped signature bit, then
 * two more, validly signed and chained. Made twice from the same point:
 * once to learn where the batch is full, once with the flip (sizes do not
 * depend on it). */
static int cut_run(forge_t *f, recs_t *rs) {
  forge_t start = *f;
  size_t count = 0, bytes = 0;
  for (;;) {
    rv_buf_t one;
    int r = forge_record(f, NULL, &one);
    size_t len = one.len;
    rv_buf_release(&one);
    if (r < 0)
      return -1;
    if (count && (count >= RV_SYNC_BATCH_RECORDS || bytes + len > RV_SYNC_BATCH_BYTES))
      break;
    count++;
    bytes += len;
  }
  *f = start;
  for (size_t i = 0; i < count + 2; i++) {
    if (forge_record(f, NULL, &rs->r[i]) < 0)
      return -1;
    rs->n = i + 1;
    if (i == count - 1) {
      rs->r[i].data[rs->r[i].len - 40] ^= 0x10; /* inside the signature */
      forge_relink(f, &rs->r[i]);
    }
  }
  return 0;
}

/* ["recs", set, [records from..to)] into a reset encoder. */
static void encode_recs(rv_enc_t *enc, const rv_set_id_t *set, const rv_buf_t *r, size_t n) {
  rv_enc_reset(enc);
  rv_enc_array(enc, 3);
  rv_enc_cstr(enc, "recs");
  rv_enc_bin(enc, set->b, RV_SETID_LEN);
  rv_enc_array(enc, (uint32_t)n);
  for (size_t i = 0; i < n; i++)
    rv_enc_bin(enc, r[i].data, r[i].len);
}

static void encode_hello(rv_enc_t *enc) {
  rv_enc_reset(enc);
  rv_enc_array(enc, 3);
  rv_enc_cstr(enc, "hello");
  rv_enc_uint(enc, 1);
  rv_enc_bool(enc, true);
}

static void add_msg(rv_buf_t *msgs, size_t *n, rv_enc_t *enc, size_t keep) {
  size_t len;
  const uint8_t *p = rv_enc_data(enc, &len);
  rv_buf_init(&msgs[*n]);
  rv_buf_append(&msgs[*n], p, keep && keep < len ? keep : len);
  (*n)++;
}

/* The messages of a RECORDS attack, made from the author's home, then a
 * hello. 1 when what is not one of the RECORDS, -1 when it cannot be made. */
static int records_attack(const char *what, rv_home_t *author, rv_buf_t *msgs, size_t *ret_n) {
  static recs_t rs; /* large: not on the stack */
  forge_t f;
  rv_enc_t *enc = NULL;
  rv_dec_t *dec = NULL;
  size_t n = 0;
  int r = 0;
  const char *known[] = {"next",   "two",    "gap",    "late",      "badsig",    "badsiginner",
                         "badsigcut", "badct", "badkey", "replay", "fork", "forklater",
                         "truncated", "truncrec"};
  bool found = false;
  for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
    found |= strcmp(what, known[i]) == 0;
  if (!found)
    return 1;
  if (!author || forge_open(&f, author) < 0 || rv_enc_new(&enc) < 0 || rv_dec_new(&dec) < 0) {
    fprintf(stderr, "rawpeer: cannot make records from that home\n");
    return -1;
  }
  memset(&rs, 0, sizeof rs);
  if (strcmp(what, "replay") == 0) {
    if (rv_log_missing(author, &f.set, NULL, 0, replay_one, &rs) < 0)
      r = -1;
  } else if (strcmp(what, "badsigcut") == 0) {
    r = cut_run(&f, &rs);
  } else if (strcmp(what, "badkey") == 0) {
    uint8_t wrong[RV_KEY_LEN];
    rv_random(wrong, sizeof wrong);
    r = forge_record(&f, wrong, &rs.r[rs.n++]);
  } else {
    if (strcmp(what, "late") == 0)
      f.lamport += 1000000;
    forge_t before = f; /* the chain as it was, for a second record there */
    r = forge_record(&f, NULL, &rs.r[rs.n++]);
    rv_buf_t *first = &rs.r[0];
    rv_envelope_t e;
    if (r == 0 && (strcmp(what, "badsig") == 0 || strcmp(what, "badsiginner") == 0)) {
      first->data[first->len - 40] ^= 0x10; /* inside the signature (its last 64 bytes) */
      forge_relink(&f, first);
    } else if (r == 0 && strcmp(what, "badct") == 0) {
      if (rv_envelope_decode(dec, first->data, first->len, &e) < 0)
        r = -1;
      else
        first->data[e.ct - first->data + e.ct_len / 2] ^= 0x01;
    }
    if (r == 0 && (strcmp(what, "badsiginner") == 0 || strcmp(what, "two") == 0 ||
                   strcmp(what, "gap") == 0))
      r = forge_record(&f, NULL, &rs.r[rs.n++]);
    if (r == 0 && (strcmp(what, "fork") == 0 || strcmp(what, "forklater") == 0)) {
      /* A second record at the same position, linked to the same head. */
      f = before;
      r = forge_record(&f, NULL, &rs.r[rs.n++]);
    }
  }
  if (r == 0) {
    if (strcmp(what, "forklater") == 0) {
      encode_recs(enc, &f.set, &rs.r[0], 1);
      add_msg(msgs, &n, enc, 0);
      encode_recs(enc, &f.set, &rs.r[1], 1);
      add_msg(msgs, &n, enc, 0);
    } else if (strcmp(what, "gap") == 0) {
      encode_recs(enc, &f.set, &rs.r[1], 1);
      add_msg(msgs, &n, enc, 0);
    } else if (strcmp(what, "truncrec") == 0) {
      rs.r[0].len /= 2;
      encode_recs(enc, &f.set, rs.r, 1);
      add_msg(msgs, &n, enc, 0);
    } else {
      encode_recs(enc, &f.set, rs.r, rs.n);
      size_t len;
      rv_enc_data(enc, &len);
      add_msg(msgs, &n, enc, strcmp(what, "truncated") == 0 ? len / 2 : 0);
    }
    encode_hello(enc);
    add_msg(msgs, &n, enc, 0);
  }
  for (size_t i = 0; i < rs.n; i++)
    rv_buf_release(&rs.r[i]);
  forge_close(&f);
  rv_enc_destroy(&enc);
  rv_dec_destroy(&dec);
  *ret_n = n;
  return r;
}

/* ---- CURVE connections ------------------------------------------------ */

/* Sends msgs in order on one connection, then waits up to two seconds for
 * anything to come back. */
static bool curve_session(rv_sock_t *s, const rv_buf_t *msgs, size_t n) {
  rv_wire_msg_t m;
  memset(&m, 0, sizeof m);
  rv_buf_init(&m.body);
  size_t sent = 0;
  bool replied = false;
  const char *wait = getenv("RAWPEER_WAIT_MS");
  int rounds = wait && atoi(wait) > 0 ? atoi(wait) / 50 : 40; /* two seconds */
  for (int i = 0; i < rounds && !replied; i++) {
    while (sent < n && rv__sock_send(s, NULL, 0, msgs[sent].data, msgs[sent].len) == 0)
      sent++;
    bool in, out;
    rv__sock_events(s, &in, &out);
    if (in && rv__sock_recv(s, &m) == 0) {
      replied = true;
      break;
    }
    struct pollfd pfd = {.fd = rv__sock_fd(s), .events = POLLIN};
    poll(&pfd, 1, 50);
  }
  rv_buf_release(&m.body);
  return replied;
}

/* COUNT connections at once, each with its own fresh key pair (strangers)
 * or all with the member's; each says hello. */
static int curve_flood(const char *endpoint, const uint8_t server_pk[32], const uint8_t *pk,
                       const uint8_t *sk, int count) {
  rv_wire_t *w = NULL;
  rv_sock_t **socks = calloc((size_t)count, sizeof *socks);
  bool *answered = calloc((size_t)count, sizeof *answered), *sent = calloc((size_t)count, 1);
  rv_enc_t *enc = NULL;
  rv_wire_msg_t m;
  memset(&m, 0, sizeof m);
  rv_buf_init(&m.body);
  if (!socks || !answered || !sent || rv__wire_new(&w) < 0 || rv_enc_new(&enc) < 0)
    return 1;
  encode_hello(enc);
  size_t hlen;
  const uint8_t *hello = rv_enc_data(enc, &hlen);
  for (int i = 0; i < count; i++) {
    uint8_t fpk[32], fsk[32], seed[32];
    if (!pk) {
      rv_random(seed, sizeof seed);
      rv_curve_from_seed(seed, fpk, fsk);
    }
    if (rv__wire_connect(w, endpoint, server_pk, pk ? pk : fpk, sk ? sk : fsk, &socks[i]) < 0) {
      fprintf(stderr, "rawpeer: cannot connect %d\n", i);
      break;
    }
  }
  /* A member's connections are answered: three seconds at most. A
   * stranger's never are: they are held ten seconds, so that a node slowed
   * by a loaded machine still reaches every one's handshake (and logs its
   * refusal) before the connection is gone. */
  int got = 0, rounds = pk ? 150 : 500;
  for (int round = 0; round < rounds && got < count; round++) { /* 20 ms each */
    for (int i = 0; i < count; i++) {
      if (!socks[i])
        continue;
      if (!sent[i])
        sent[i] = rv__sock_send(socks[i], NULL, 0, hello, hlen) == 0;
      bool in, out;
      rv__sock_events(socks[i], &in, &out);
      while (in && rv__sock_recv(socks[i], &m) == 0) {
        if (!answered[i])
          got++;
        answered[i] = true;
        rv__sock_events(socks[i], &in, &out);
      }
    }
    usleep(20000);
  }
  printf("replies %d of %d\n", got, count);
  for (int i = 0; i < count; i++)
    rv__sock_close(&socks[i]);
  rv__wire_destroy(&w);
  rv_buf_release(&m.body);
  rv_enc_destroy(&enc);
  free(socks);
  free(answered);
  free(sent);
  return 0;
}

static rv_home_t *unlock(const char *home) {
  const char *pass = getenv("REVANS_PASSPHRASE");
  rv_home_t *h = NULL;
  if (!pass || rv_home_open(home, &h) < 0 || rv_home_unlock(h, pass, strlen(pass)) < 0) {
    fprintf(stderr, "rawpeer: cannot unlock %s\n", home);
    rv_home_close(&h);
    return NULL;
  }
  return h;
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN); /* the node may close on us mid-write */
  setvbuf(stdout, NULL, _IOLBF, 0); /* each verdict out at once, whatever happens after */
  if (rv_crypto_init() < 0)
    return 1;
  if (argc == 4 && strcmp(argv[1], "tcp") == 0)
    return tcp_garbage(argv[2], atoi(argv[3]));
  if (argc == 6 && strcmp(argv[1], "tcpflood") == 0)
    return tcp_flood(argv[2], atoi(argv[3]), atoi(argv[4]), atoi(argv[5]));
  if (argc == 3 && strcmp(argv[1], "curvekey") == 0) {
    /* The start of a member's X25519 key, as the node's log names it. */
    uint8_t id[32], ck[32];
    char hex[17];
    if (rv_unhex(id, 32, argv[2]) < 0 || rv_sign_to_curve(id, NULL, ck, NULL) < 0)
      return 2;
    rv_hex(hex, ck, 8);
    puts(hex);
    return 0;
  }
  if (argc == 4 && strcmp(argv[1], "fakebeacons") == 0)
    return fake_beacons(argv[2], atoi(argv[3]));
  if (argc == 5 && strcmp(argv[1], "evilnode") == 0)
    return evil_node(argv[2], atoi(argv[3]), atoi(argv[4]));
  bool flood = argc == 6 && strcmp(argv[1], "flood") == 0;
  if (!flood && ((argc != 6 && argc != 7) || strcmp(argv[1], "curve") != 0)) {
    fprintf(stderr, "usage: rawpeer tcp HOST PORT | rawpeer tcpflood HOST PORT COUNT SECONDS"
                    " | rawpeer curve ENDPOINT SERVER-ID HOME|- MESSAGE [AUTHOR-HOME]"
                    " | rawpeer flood ENDPOINT SERVER-ID HOME|- COUNT"
                    " | rawpeer fakebeacons HOME PORT | rawpeer evilnode HOME PORT SECONDS\n");
    return 2;
  }
  const char *endpoint = argv[2], *server_hex = argv[3], *home = argv[4], *what = argv[5];
  uint8_t server_id[32], server_pk[32], pk[32], sk[32];
  if (rv_unhex(server_id, 32, server_hex) < 0 || rv_sign_to_curve(server_id, NULL, server_pk, NULL) < 0) {
    fprintf(stderr, "rawpeer: bad server id\n");
    return 2;
  }
  rv_home_t *h = NULL, *author = NULL;
  if (strcmp(home, "-") == 0) {
    uint8_t seed[32];
    rv_random(seed, sizeof seed);
    rv_curve_from_seed(seed, pk, sk);
  } else if (!(h = unlock(home)) || rv_home_curve_keys(h, pk, sk) < 0) {
    rv_home_close(&h);
    return 1;
  }
  if (flood) {
    int r = curve_flood(endpoint, server_pk, h ? pk : NULL, h ? sk : NULL, atoi(what));
    rv_home_close(&h);
    return r;
  }
  if (argc == 7 && !(author = unlock(argv[6]))) {
    rv_home_close(&h);
    return 1;
  }
  rv_buf_t msgs[4];
  size_t nmsgs = 0;
  int made = records_attack(what, author ? author : h, msgs, &nmsgs);
  rv_home_close(&author);
  if (made < 0) {
    rv_home_close(&h);
    return 1;
  }
  rv_enc_t *enc = NULL;
  rv_enc_new(&enc);
  if (made == 0) {
    /* msgs made above */
  } else if (strcmp(what, "hello") == 0) {
    encode_hello(enc);
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
  } else if (strcmp(what, "falseheads") == 0) {
    /* The home's own vector for its first set, every head hash random. */
    rv_set_id_t *sets = NULL;
    rv_vv_t *vv = NULL;
    size_t ns = 0, nv = 0;
    if (!h || rv_home_begin(h, false) < 0 || rv_set_list(h, &sets, &ns) < 0 || ns == 0 ||
        rv_log_vv(h, &sets[0], &vv, &nv) < 0) {
      fprintf(stderr, "rawpeer: cannot read that home's vector\n");
      return 1;
    }
    rv_home_abort(h);
    rv_enc_array(enc, 3);
    rv_enc_cstr(enc, "vv");
    rv_enc_bin(enc, sets[0].b, RV_SETID_LEN);
    rv_enc_array(enc, (uint32_t)nv);
    for (size_t i = 0; i < nv; i++) {
      uint8_t head[RV_HASH_LEN];
      rv_random(head, sizeof head);
      rv_enc_array(enc, 3);
      rv_enc_bin(enc, vv[i].author.b, RV_ID_LEN);
      rv_enc_uint(enc, vv[i].seq);
      rv_enc_bin(enc, head, sizeof head);
    }
    free(sets);
    free(vv);
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
    rv_enc_destroy(&enc);
    rv_home_close(&h);
    return 2;
  }
  if (made == 1)
    add_msg(msgs, &nmsgs, enc, 0);
  rv_wire_t *w = NULL;
  rv_sock_t *s = NULL;
  if (rv__wire_new(&w) < 0 || rv__wire_connect(w, endpoint, server_pk, pk, sk, &s) < 0) {
    fprintf(stderr, "rawpeer: cannot connect\n");
    return 1;
  }
  puts(curve_session(s, msgs, nmsgs) ? "reply" : "no reply");
  for (size_t i = 0; i < nmsgs; i++)
    rv_buf_release(&msgs[i]);
  rv_enc_destroy(&enc);
  rv__sock_close(&s);
  rv__wire_destroy(&w);
  rv_home_close(&h);
  return 0;
}
