/*
 * The command side of the agent (node.h): a running node's answers to the
 * same user's commands, over the Unix socket in the home (agent.c has the
 * node's side and the messages). Plain blocking sockets with a timeout: no
 * ZeroMQ, no libuv, so that the revans program need not load them.
 */
#define _GNU_SOURCE /* struct ucred, for the node's uid */
#include "revans/codec.h"
#include "revans/crypto.h"
#include "revans/error.h"
#include "revans/node.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define AGENT_SOCKET "agent.sock"
#define AGENT_TIMEOUT_MS 5000
#define AGENT_ANSWER_MAX (256 * 1024)

static int write_all(int fd, const uint8_t *p, size_t n) {
  while (n) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return RV_EIO;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static int read_all(int fd, uint8_t *p, size_t n) {
  while (n) {
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    int k = poll(&pfd, 1, AGENT_TIMEOUT_MS);
    if (k < 0 && errno == EINTR)
      continue;
    if (k <= 0)
      return RV_EIO;
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      return RV_EIO;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

/* Sends the request in enc to the node of the home at dir and reads its
 * answer into ans. RV_ENOTFOUND when no node answers there. */
static int ask(const char *dir, rv_enc_t *enc, rv_buf_t *ans) {
  struct sockaddr_un sa;
  memset(&sa, 0, sizeof sa);
  sa.sun_family = AF_UNIX;
  if ((size_t)snprintf(sa.sun_path, sizeof sa.sun_path, "%s/%s", dir, AGENT_SOCKET) >=
      sizeof sa.sun_path)
    return RV_ENOTFOUND; /* a home this deep has no agent socket */
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return RV_EIO;
  if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
    close(fd);
    return RV_ENOTFOUND;
  }
  /* Only a node of this user's is told anything or believed. */
  struct ucred cred;
  socklen_t cl = sizeof cred;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0 || cred.uid != getuid()) {
    close(fd);
    return RV_EUNSAFE;
  }
  size_t len;
  const uint8_t *req = rv_enc_data(enc, &len);
  uint8_t hdr[4] = {(uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len};
  int r = write_all(fd, hdr, 4);
  if (r == 0)
    r = write_all(fd, req, len);
  if (r == 0)
    r = read_all(fd, hdr, 4);
  size_t alen = (size_t)hdr[0] << 24 | (size_t)hdr[1] << 16 | (size_t)hdr[2] << 8 | hdr[3];
  if (r == 0 && alen > AGENT_ANSWER_MAX)
    r = RV_EFORMAT;
  if (r == 0 && (r = rv_buf_reserve(ans, alen)) == 0 && (r = read_all(fd, ans->data, alen)) == 0)
    ans->len = alen;
  close(fd);
  return r;
}

/* Asks and parses: a [0, ...] answer in *ret (borrowing from ans and dec),
 * or [1, why] copied into why. */
static int ask_parse(const char *dir, rv_enc_t *enc, rv_buf_t *ans, rv_dec_t *dec, rv_val_t *ret,
                     char *why, size_t why_cap) {
  rv_val_t f;
  uint64_t status;
  int r = ask(dir, enc, ans);
  if (r < 0)
    return r;
  if (rv_dec_parse_bounded(dec, ans->data, ans->len, 16 + 10 * RV_NODE_PEERS_MAX, ret) < 0 ||
      rv_val_kind(*ret) != RV_K_ARRAY || rv_val_len(*ret) < 2 || rv_val_at(*ret, 0, &f) < 0 ||
      rv_val_uint(f, &status) < 0)
    return RV_EFORMAT;
  if (status != 0) {
    const char *p = "";
    size_t n = 0;
    if (rv_val_at(*ret, 1, &f) == 0)
      rv_val_str(f, &p, &n);
    if (why)
      snprintf(why, why_cap, "%.*s", (int)(n < 150 ? n : 150), p);
    return RV_EPERM;
  }
  return 0;
}

typedef struct asking {
  rv_enc_t *enc;
  rv_dec_t *dec;
  rv_buf_t ans;
} asking_t;

static int asking_init(asking_t *a) {
  memset(a, 0, sizeof *a);
  rv_buf_init(&a->ans);
  if (rv_enc_new(&a->enc) < 0 || rv_dec_new(&a->dec) < 0)
    return RV_ENOMEM;
  return 0;
}

static void asking_release(asking_t *a) {
  rv_enc_destroy(&a->enc);
  rv_dec_destroy(&a->dec);
  rv_buf_release(&a->ans);
}

int rv_agent_unlock_key(const char *dir, uint8_t ret_key[32]) {
  asking_t a;
  rv_val_t v, f;
  int r = asking_init(&a);
  if (r == 0) {
    rv_enc_array(a.enc, 1);
    rv_enc_cstr(a.enc, "unlock");
    r = ask_parse(dir, a.enc, &a.ans, a.dec, &v, NULL, 0);
  }
  if (r == 0 && (rv_val_at(v, 1, &f) < 0 || rv_val_bin_fixed(f, ret_key, 32) < 0))
    r = RV_EFORMAT;
  if (a.ans.data)
    rv_wipe(a.ans.data, a.ans.cap); /* the answer held the unlock key */
  asking_release(&a);
  return r;
}

int rv_agent_peers(const char *dir, rv_agent_peer_t **ret, size_t *ret_n, uint16_t *ret_port) {
  asking_t a;
  rv_val_t v, f, list;
  uint64_t port;
  rv_agent_peer_t *peers = NULL;
  int r = asking_init(&a);
  if (r == 0) {
    rv_enc_array(a.enc, 1);
    rv_enc_cstr(a.enc, "peers");
    r = ask_parse(dir, a.enc, &a.ans, a.dec, &v, NULL, 0);
  }
  if (r == 0 && (rv_val_len(v) != 3 || rv_val_at(v, 1, &f) < 0 || rv_val_uint(f, &port) < 0 ||
                 port > 65535 || rv_val_at(v, 2, &list) < 0 || rv_val_kind(list) != RV_K_ARRAY ||
                 rv_val_len(list) > RV_NODE_PEERS_MAX))
    r = RV_EFORMAT;
  size_t n = r == 0 ? rv_val_len(list) : 0;
  if (n && !(peers = calloc(n, sizeof *peers)))
    r = RV_ENOMEM;
  for (size_t i = 0; r == 0 && i < n; i++) {
    rv_val_t e, x[8];
    const char *s;
    size_t sl;
    uint64_t u[4];
    bool ok = rv_val_at(list, (uint32_t)i, &e) == 0 && rv_val_len(e) == 8;
    for (uint32_t k = 0; ok && k < 8; k++)
      ok = rv_val_at(e, k, &x[k]) == 0;
    ok = ok && rv_val_bin_fixed(x[0], peers[i].id.b, RV_ID_LEN) == 0 &&
         rv_val_str(x[1], &s, &sl) == 0 && sl < sizeof peers[i].address &&
         rv_val_bool(x[2], &peers[i].connected) == 0 && rv_val_uint(x[3], &u[0]) == 0 &&
         rv_val_uint(x[4], &u[1]) == 0 && rv_val_uint(x[5], &u[2]) == 0 &&
         rv_val_uint(x[6], &u[3]) == 0;
    if (ok) {
      memcpy(peers[i].address, s, sl);
      peers[i].nsets = (size_t)u[0];
      peers[i].last_sync_ms = u[1];
      peers[i].received = u[2];
      peers[i].sent = u[3];
      ok = rv_val_str(x[7], &s, &sl) == 0 && sl < sizeof peers[i].refused;
      if (ok)
        memcpy(peers[i].refused, s, sl);
    }
    if (!ok)
      r = RV_EFORMAT;
  }
  asking_release(&a);
  if (r < 0) {
    free(peers);
    return r;
  }
  *ret = peers;
  *ret_n = n;
  *ret_port = (uint16_t)port;
  return 0;
}

int rv_agent_invite(const char *dir, const rv_set_id_t *set, int role,
                    char ret_code[RV_INVITE_CODE_MAX], char *why, size_t why_cap) {
  asking_t a;
  rv_val_t v, f;
  const char *s;
  size_t sl;
  snprintf(why, why_cap, "the node did not answer");
  int r = asking_init(&a);
  if (r == 0) {
    rv_enc_array(a.enc, 3);
    rv_enc_cstr(a.enc, "invite");
    rv_enc_bin(a.enc, set->b, RV_SETID_LEN);
    rv_enc_uint(a.enc, (uint64_t)role);
    r = ask_parse(dir, a.enc, &a.ans, a.dec, &v, why, why_cap);
  }
  if (r == 0 && (rv_val_at(v, 1, &f) < 0 || rv_val_str(f, &s, &sl) < 0 || sl >= RV_INVITE_CODE_MAX))
    r = RV_EFORMAT;
  if (r == 0) {
    memcpy(ret_code, s, sl);
    ret_code[sl] = '\0';
  }
  asking_release(&a);
  return r;
}
