/*
 * ZeroMQ for the node (wire.h): the only file that includes zmq.h. CURVE
 * encrypts and authenticates every connection; CURVE alone would admit
 * any key, so the ROUTER names a ZAP domain and the node's handler (served
 * here, decided by the node) admits only members and invitees.
 */
#include "wire.h"

#include "revans/error.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zmq.h>

#define ZAP_ENDPOINT "inproc://zeromq.zap.01" /* fixed by the ZAP specification */
#define HWM                                                                                        \
  8                       /* messages queued per peer before sends wait (each at most              \
                             RV_SYNC_BATCH_BYTES of records: a few MB in all) */
#define HANDSHAKE_MS 5000 /* a connection that has not authenticated by then is dropped */
#define RECONNECT_MS 200
#define RECONNECT_MAX_MS 2000
#define CONNECT_TIMEOUT_MS 2000 /* a connect unanswered (a cable pulled) is tried again */
/* No ZMTP heartbeats: with a full receive pipe, libzmq 4.3.4 aborts when a
 * heartbeat timeout drops the connection (zeromq/libzmq issues 3937,
 * 4229, 4767). The node checks liveness itself (sync.c, node.c); the
 * kernel reaps connections that stay dead: keepalive probes after 10 s
 * idle, every 2 s, 5 unanswered; data unacknowledged for 30 s. */
#define KEEPALIVE_IDLE_S 10
#define KEEPALIVE_INTVL_S 2
#define KEEPALIVE_CNT 5
#define TCP_MAXRT_MS 30000

struct rv_wire {
  void *ctx;
};

struct rv_sock {
  void *z;
  bool router;
};

int rv__wire_new(rv_wire_t **ret) {
  rv_wire_t *w = calloc(1, sizeof *w);
  if (!w)
    return RV_ENOMEM;
  if (!zmq_has("curve") || !(w->ctx = zmq_ctx_new())) {
    free(w);
    return RV_EIO;
  }
  /* Nothing of ours needs ZeroMQ's own threads for more than I/O. */
  zmq_ctx_set(w->ctx, ZMQ_IO_THREADS, 1);
  zmq_ctx_set(w->ctx, ZMQ_BLOCKY, 0);
  *ret = w;
  return 0;
}

void rv__wire_destroy(rv_wire_t **wp) {
  rv_wire_t *w = wp ? *wp : NULL;
  if (!w)
    return;
  zmq_ctx_term(w->ctx);
  free(w);
  *wp = NULL;
}

static int set_int(void *z, int opt, int v) { return zmq_setsockopt(z, opt, &v, sizeof v); }

/* The options every socket of the node has. */
static int common_options(void *z) {
  int64_t max = RV_WIRE_MSG_MAX;
  if (set_int(z, ZMQ_LINGER, 0) || set_int(z, ZMQ_SNDHWM, HWM) || set_int(z, ZMQ_RCVHWM, HWM) ||
      zmq_setsockopt(z, ZMQ_MAXMSGSIZE, &max, sizeof max) ||
      set_int(z, ZMQ_HANDSHAKE_IVL, HANDSHAKE_MS) || set_int(z, ZMQ_TCP_KEEPALIVE, 1) ||
      set_int(z, ZMQ_TCP_KEEPALIVE_IDLE, KEEPALIVE_IDLE_S) ||
      set_int(z, ZMQ_TCP_KEEPALIVE_INTVL, KEEPALIVE_INTVL_S) ||
      set_int(z, ZMQ_TCP_KEEPALIVE_CNT, KEEPALIVE_CNT))
    return RV_EIO;
  /* Not every system has TCP_USER_TIMEOUT: then keepalive alone. */
  set_int(z, ZMQ_TCP_MAXRT, TCP_MAXRT_MS);
  return 0;
}

static rv_sock_t *wrap(void *z, bool router) {
  rv_sock_t *s = calloc(1, sizeof *s);
  if (!s) {
    zmq_close(z);
    return NULL;
  }
  s->z = z;
  s->router = router;
  return s;
}

int rv__wire_listen(rv_wire_t *w, const char *endpoint, const uint8_t pk[32], const uint8_t sk[32],
                    rv_sock_t **ret_router, rv_sock_t **ret_zap, char *why, size_t why_cap) {
  void *zap = zmq_socket(w->ctx, ZMQ_REP), *router = NULL;
  int one = 1;
  snprintf(why, why_cap, "cannot make a socket");
  if (!zap)
    return RV_EIO;
  set_int(zap, ZMQ_LINGER, 0);
  if (zmq_bind(zap, ZAP_ENDPOINT) != 0) {
    snprintf(why, why_cap, "cannot start the admission handler: %s", zmq_strerror(errno));
    zmq_close(zap);
    return RV_EIO;
  }
  router = zmq_socket(w->ctx, ZMQ_ROUTER);
  if (!router || common_options(router) || set_int(router, ZMQ_CURVE_SERVER, 1) ||
      zmq_setsockopt(router, ZMQ_CURVE_SECRETKEY, sk, 32) ||
      zmq_setsockopt(router, ZMQ_CURVE_PUBLICKEY, pk, 32) ||
      zmq_setsockopt(router, ZMQ_ZAP_DOMAIN, "revans", 6) ||
      zmq_setsockopt(router, ZMQ_ROUTER_MANDATORY, &one, sizeof one) ||
      set_int(router, ZMQ_ROUTER_HANDOVER, 1)) {
    if (router)
      zmq_close(router);
    zmq_close(zap);
    return RV_EIO;
  }
  if (zmq_bind(router, endpoint) != 0) {
    snprintf(why, why_cap, "cannot listen on %s: %s", endpoint, zmq_strerror(errno));
    zmq_close(router);
    zmq_close(zap);
    return RV_EIO;
  }
  rv_sock_t *r = wrap(router, true), *z = wrap(zap, false);
  if (!r || !z) {
    rv__sock_close(&r);
    rv__sock_close(&z);
    return RV_ENOMEM;
  }
  *ret_router = r;
  *ret_zap = z;
  return 0;
}

int rv__wire_connect(rv_wire_t *w, const char *endpoint, const uint8_t server_pk[32],
                     const uint8_t pk[32], const uint8_t sk[32], rv_sock_t **ret) {
  void *z = zmq_socket(w->ctx, ZMQ_DEALER);
  if (!z)
    return RV_EIO;
  if (common_options(z) || zmq_setsockopt(z, ZMQ_CURVE_SERVERKEY, server_pk, 32) ||
      zmq_setsockopt(z, ZMQ_CURVE_PUBLICKEY, pk, 32) ||
      zmq_setsockopt(z, ZMQ_CURVE_SECRETKEY, sk, 32) ||
      set_int(z, ZMQ_RECONNECT_IVL, RECONNECT_MS) ||
      set_int(z, ZMQ_RECONNECT_IVL_MAX, RECONNECT_MAX_MS) ||
      set_int(z, ZMQ_CONNECT_TIMEOUT, CONNECT_TIMEOUT_MS) || zmq_connect(z, endpoint) != 0) {
    zmq_close(z);
    return RV_EIO;
  }
  rv_sock_t *s = wrap(z, false);
  if (!s)
    return RV_ENOMEM;
  *ret = s;
  return 0;
}

void rv__sock_close(rv_sock_t **sp) {
  rv_sock_t *s = sp ? *sp : NULL;
  if (!s)
    return;
  zmq_close(s->z);
  free(s);
  *sp = NULL;
}

void rv__sock_linger(rv_sock_t *s, int ms) { set_int(s->z, ZMQ_LINGER, ms); }

int rv__sock_fd(rv_sock_t *s) {
  int fd = -1;
  size_t n = sizeof fd;
  zmq_getsockopt(s->z, ZMQ_FD, &fd, &n);
  return fd;
}

void rv__sock_events(rv_sock_t *s, bool *ret_in, bool *ret_out) {
  int ev = 0;
  size_t n = sizeof ev;
  if (zmq_getsockopt(s->z, ZMQ_EVENTS, &ev, &n) != 0)
    ev = 0;
  *ret_in = ev & ZMQ_POLLIN;
  *ret_out = ev & ZMQ_POLLOUT;
}

/* Drops the rest of a message whose framing was unexpected. */
static void drain(void *z) {
  int more = 1;
  size_t n = sizeof more;
  while (zmq_getsockopt(z, ZMQ_RCVMORE, &more, &n) == 0 && more) {
    zmq_msg_t f;
    zmq_msg_init(&f);
    zmq_msg_recv(&f, z, ZMQ_DONTWAIT);
    zmq_msg_close(&f);
  }
}

static bool has_more(void *z) {
  int more = 0;
  size_t n = sizeof more;
  return zmq_getsockopt(z, ZMQ_RCVMORE, &more, &n) == 0 && more;
}

int rv__sock_recv(rv_sock_t *s, rv_wire_msg_t *m) {
  zmq_msg_t f;
  int r;
  rv_buf_clear(&m->body);
  m->rid_len = 0;
  m->user[0] = '\0';
  zmq_msg_init(&f);
  if (zmq_msg_recv(&f, s->z, ZMQ_DONTWAIT) < 0) {
    zmq_msg_close(&f);
    return errno == EAGAIN || errno == EINTR ? 1 : RV_EIO;
  }
  if (s->router) {
    /* [routing id][body] */
    size_t n = zmq_msg_size(&f);
    if (n == 0 || n > RV_WIRE_RID_MAX || !zmq_msg_more(&f)) {
      zmq_msg_close(&f);
      drain(s->z);
      return RV_EFORMAT;
    }
    memcpy(m->rid, zmq_msg_data(&f), n);
    m->rid_len = n;
    zmq_msg_close(&f);
    zmq_msg_init(&f);
    if (zmq_msg_recv(&f, s->z, ZMQ_DONTWAIT) < 0) {
      zmq_msg_close(&f);
      return RV_EFORMAT;
    }
  }
  const char *user = zmq_msg_gets(&f, "User-Id");
  if (user)
    snprintf(m->user, sizeof m->user, "%s", user);
  if (zmq_msg_more(&f) || has_more(s->z)) {
    zmq_msg_close(&f);
    drain(s->z);
    return RV_EFORMAT;
  }
  r = rv_buf_append(&m->body, zmq_msg_data(&f), zmq_msg_size(&f));
  zmq_msg_close(&f);
  return r < 0 ? r : 0;
}

int rv__sock_send(rv_sock_t *s, const uint8_t *rid, size_t rid_len, const uint8_t *body, size_t n) {
  if (s->router) {
    if (zmq_send(s->z, rid, rid_len, ZMQ_DONTWAIT | ZMQ_SNDMORE) < 0)
      /* EHOSTUNREACH: the peer is gone (ROUTER_MANDATORY says so). */
      return errno == EAGAIN ? 1 : RV_ENOTFOUND;
  }
  if (zmq_send(s->z, body, n, ZMQ_DONTWAIT) < 0)
    return errno == EAGAIN ? 1 : RV_EIO;
  return 0;
}

/* ---- ZAP (RFC 27): version, request id, domain, address, identity,
 * mechanism, credentials; answered with version, request id, status code,
 * status text, user id, metadata. */

static int recv_frame(void *z, char *buf, size_t cap, size_t *ret_n) {
  int n = zmq_recv(z, buf, cap, ZMQ_DONTWAIT);
  if (n < 0)
    return -1;
  *ret_n = (size_t)n > cap ? cap : (size_t)n;
  return 0;
}

void rv__wire_zap_serve(rv_sock_t *zap, rv_wire_admit_cb admit, void *ctx) {
  for (;;) {
    char f[7][256], user[80] = "", address[64] = "";
    size_t len[7] = {0}, nf = 0;
    if (recv_frame(zap->z, f[0], sizeof f[0], &len[0]) < 0)
      return;
    nf = 1;
    while (nf < 7 && has_more(zap->z) && recv_frame(zap->z, f[nf], sizeof f[nf], &len[nf]) == 0)
      nf++;
    drain(zap->z);
    bool ok = false;
    if (nf == 7 && len[0] == 3 && memcmp(f[0], "1.0", 3) == 0 && len[5] == 5 &&
        memcmp(f[5], "CURVE", 5) == 0 && len[6] == 32) {
      snprintf(address, sizeof address, "%.*s", (int)(len[3] < 63 ? len[3] : 63), f[3]);
      ok = admit(ctx, (const uint8_t *)f[6], address, user, sizeof user);
    }
    const char *code = ok ? "200" : "400", *text = ok ? "OK" : "not a member";
    zmq_send(zap->z, "1.0", 3, ZMQ_SNDMORE);
    zmq_send(zap->z, f[1], nf > 1 ? len[1] : 0, ZMQ_SNDMORE);
    zmq_send(zap->z, code, 3, ZMQ_SNDMORE);
    zmq_send(zap->z, text, strlen(text), ZMQ_SNDMORE);
    zmq_send(zap->z, user, ok ? strlen(user) : 0, ZMQ_SNDMORE);
    zmq_send(zap->z, "", 0, 0);
  }
}

void rv__wire_version(char *out, size_t cap) {
  int major, minor, patch;
  zmq_version(&major, &minor, &patch);
  snprintf(out, cap, "libzmq %d.%d.%d%s", major, minor, patch,
           zmq_has("curve") ? " (CURVE)" : " (no CURVE)");
}
