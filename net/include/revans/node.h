/*
 * The node: the program that finds the other members' laptops on the
 * meeting-room network and keeps everyone's records in step as they are
 * written. It runs one libuv loop in the foreground: UDP beacons, a
 * ZeroMQ ROUTER (CURVE, admitting members only) and a DEALER to each
 * peer, the home's store watched for new records, and the agent's socket
 * through which the same user's commands reach the unlocked keys.
 * docs/protocol.md has the messages; docs/guide.md how to use it.
 */
#ifndef REVANS_NODE_H
#define REVANS_NODE_H

#include "revans/home.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RV_NODE_PORT 7390        /* the ROUTER's TCP port, and the node's UDP probe port */
#define RV_NODE_BEACON_PORT 7391 /* where every node listens for beacons */
#define RV_NODE_PEERS_MAX 64     /* peers known at once */
#define RV_NODE_ADDRESS_MAX 64   /* "tcp://IP:PORT" with its NUL */
#define RV_NODE_REASON_MAX 128   /* why a peer is refused, with its NUL */

/* Receives one line of the node's log (no newline; borrowed for the call),
 * on the loop's thread. */
typedef void (*rv_node_log_cb)(void *ctx, const char *line);

/* How to run a node. Every pointer is borrowed for the run. */
typedef struct rv_node_config {
  rv_home_t *home;          /* unlocked; borrowed for the run */
  uint16_t port;            /* 0: RV_NODE_PORT */
  uint16_t beacon_port;     /* 0: RV_NODE_BEACON_PORT */
  const char *const *peers; /* "tcp://HOST:PORT": connect without waiting for a beacon */
  size_t npeers;            /* entries in peers */
  bool oneshot;             /* sync with whoever is reached, then return (revans sync) */
  double timeout_s;         /* oneshot: give up after this long */
  rv_node_log_cb log;       /* one line per event that matters */
  void *log_ctx;            /* passed to log */
} rv_node_config_t;

/* What a run did, counted since it started. */
typedef struct rv_node_result {
  size_t peers_reached; /* peers that completed a sync */
  size_t received;      /* records stored from peers */
  size_t sent;          /* records sent to peers */
} rv_node_result_t;

/* Runs the node until SIGINT or SIGTERM (0), or with oneshot until every
 * peer reached is up to date (0) or the timeout passes (0 if some peer
 * was reached, RV_ENOTFOUND if none). RV_EIO when it cannot start (the
 * port in use, another node running for this home): why says so. */
int rv_node_run(const rv_node_config_t *cfg, rv_node_result_t *ret, char *why, size_t why_cap);

/* ---- the agent: a running node, asked by the same user's commands --- */

/* The unlock key of the home at dir from its running node (see
 * rv_home_unlock_key) into ret_key, which the caller wipes. RV_ENOTFOUND
 * when no node runs for it; RV_EIO or RV_EFORMAT when it answers wrongly;
 * RV_EPERM when it cannot (the node is locked). */
int rv_agent_unlock_key(const char *dir, uint8_t ret_key[32]);

/* One peer as the running node sees it (`revans peers`). */
typedef struct rv_agent_peer {
  rv_member_id_t id;
  char address[RV_NODE_ADDRESS_MAX];
  bool connected;                   /* a connection to it carries messages now (protocol.md) */
  size_t nsets;                     /* sets in common */
  uint64_t last_sync_ms;            /* 0: never */
  uint64_t received, sent;          /* records, since the node started */
  char refused[RV_NODE_REASON_MAX]; /* why the peer was refused, or "" */
} rv_agent_peer_t;
/* The peers of the home at dir's running node, in *ret (the caller frees
 * it; NULL when there are none) and *ret_n, and the port it listens on.
 * RV_ENOTFOUND when no node runs for it; RV_EIO, RV_EFORMAT, RV_ENOMEM. */
int rv_agent_peers(const char *dir, rv_agent_peer_t **ret, size_t *ret_n, uint16_t *ret_port);

#define RV_INVITE_TTL_S (15 * 60) /* an invitation code's life */
#define RV_INVITE_CODE_MAX 48     /* an invitation code with its NUL */
/* Asks the running node for an invitation code to set with role (a
 * facilitator's node): one use, valid RV_INVITE_TTL_S seconds, written to
 * ret_code. RV_ENOTFOUND when no node runs for the home at dir; RV_EPERM
 * when the node refuses (not a facilitator, too many open), with its
 * reason in why; RV_EIO, RV_EFORMAT, RV_ENOMEM. */
int rv_agent_invite(const char *dir, const rv_set_id_t *set, int role,
                    char ret_code[RV_INVITE_CODE_MAX], char *why, size_t why_cap);

/* Joins a set with an invitation code: finds the inviting node (through
 * the code's address hints, the given peers, or beacons), proves the
 * code's secret, and receives the invitation it seals to this person,
 * which is stored (rv_set_join). Write transaction opened here.
 * ret_address: where the inviting node listens (tcp://IP:PORT), for a
 * first sync. */
int rv_node_join(rv_home_t *home, const char *code, const char *const *peers, size_t npeers,
                 double timeout_s, rv_set_id_t *ret_set, char ret_address[RV_NODE_ADDRESS_MAX],
                 char *why, size_t why_cap);

/* The versions of the libraries the node is built on, as linked, as one
 * line into out (cap bytes, truncated). */
void rv_net_versions(char *out, size_t cap);

#endif
