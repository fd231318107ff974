/*
 * The node's ZeroMQ sockets, behind our own types (wire.c is the one file
 * that includes zmq.h): a ROUTER with CURVE as server and a ZAP handler,
 * DEALERs with CURVE as client, non-blocking sends and receives of one
 * framed message at a time, and the file descriptor and readiness the
 * event loop needs. Internal to net/.
 */
#ifndef REVANS_NET_WIRE_H
#define REVANS_NET_WIRE_H

#include "revans/types.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RV_WIRE_MSG_MAX (2u << 20) /* bytes in one message; more drops the peer */
#define RV_WIRE_RID_MAX 255        /* bytes of a ROUTER routing id */

typedef struct rv_wire rv_wire_t; /* a ZeroMQ context and the sockets made in it */
typedef struct rv_sock rv_sock_t; /* one socket, owned by its rv_wire_t */

/* One message: the routing id (ROUTER sockets only), the body, and the
 * User-Id the ZAP handler gave the connection ("" on DEALERs). */
typedef struct rv_wire_msg {
  uint8_t rid[RV_WIRE_RID_MAX];
  size_t rid_len;
  rv_buf_t body; /* owned by the message: rv_buf_release */
  char user[80];
} rv_wire_msg_t;

/* A new context in *ret (the caller destroys it): 0, RV_ENOMEM or RV_EIO. */
int rv__wire_new(rv_wire_t **ret);
/* Closes every socket still open (linger 0), ends the context and sets
 * *w to NULL; NULL is fine. */
void rv__wire_destroy(rv_wire_t **w);

/* A ROUTER bound to endpoint ("tcp://0.0.0.0:7390"), CURVE server with the
 * key pair, ZAP domain "revans"; and the ZAP handler's socket, which the
 * caller serves with rv__wire_zap_serve(). RV_EIO with errno's phrase in
 * why (for "address in use"). */
int rv__wire_listen(rv_wire_t *w, const char *endpoint, const uint8_t pk[32], const uint8_t sk[32],
                    rv_sock_t **ret_router, rv_sock_t **ret_zap, char *why, size_t why_cap);
/* A DEALER to endpoint in *ret, CURVE client of the server key server_pk
 * with this node's pair: 0, RV_EIO or RV_ENOMEM. The connection is made in the
 * background; messages queue until it is up. */
int rv__wire_connect(rv_wire_t *w, const char *endpoint, const uint8_t server_pk[32],
                     const uint8_t pk[32], const uint8_t sk[32], rv_sock_t **ret);
/* Closes *s (queued messages dropped unless a linger was set) and sets it
 * to NULL; NULL is fine. */
void rv__sock_close(rv_sock_t **s);
/* How long closing waits to deliver what is still queued (0: not at all). */
void rv__sock_linger(rv_sock_t *s, int ms);

/* The descriptor to poll (readable means: look at the events). */
int rv__sock_fd(rv_sock_t *s);
/* Readiness, to be asked again after every send or receive (ZeroMQ's
 * descriptor is edge-triggered). */
void rv__sock_events(rv_sock_t *s, bool *ret_in, bool *ret_out);

/* Receives one message without blocking: 0, 1 when there is none, or a
 * negative RV_E* (RV_EFORMAT for an unexpected framing, already drained).
 * m->body is reset first. */
int rv__sock_recv(rv_sock_t *s, rv_wire_msg_t *m);
/* Sends body (to routing id rid on a ROUTER) without blocking: 0, 1 when
 * the peer's queue is full (try again when writable), or RV_E*. */
int rv__sock_send(rv_sock_t *s, const uint8_t *rid, size_t rid_len, const uint8_t *body,
                  size_t len);

/* The admission decision for one CURVE client key: fill user (the
 * connection's User-Id, at most 64 characters) and return true to admit. */
typedef bool (*rv_wire_admit_cb)(void *ctx, const uint8_t client_pk[32], const char *address,
                                 char *user, size_t user_cap);
/* Answers every pending ZAP request on the handler's socket. */
void rv__wire_zap_serve(rv_sock_t *zap, rv_wire_admit_cb admit, void *ctx);

/* libzmq's version and whether it has CURVE, into out (cap bytes). */
void rv__wire_version(char *out, size_t cap);

#endif
