/*
 * What the node's files share: the node, its peers and what it believes
 * each peer holds. node.c owns the event loop (libuv) and calls into
 * sync.c for the protocol; wire.c owns ZeroMQ; beacon.c the datagrams;
 * agent.c the local socket's messages. Internal to net/.
 */
#ifndef REVANS_NET_INTERNAL_H
#define REVANS_NET_INTERNAL_H

#include "beacon.h"
#include "wire.h"

#include "revans/codec.h"
#include "revans/log.h"
#include "revans/node.h"
#include "revans/peer.h"

#define RV_SYNC_VERSION 1
#define RV_SYNC_BATCH_BYTES (1024u * 1024) /* envelope bytes in one "recs" message */
#define RV_SYNC_BATCH_RECORDS 4096
/* What a peer accepts in one "recs" message: twice the batch, so that a
 * batch may go past its budget to end on a record whose own signature
 * verifies (sync.c, batch_t). */
#define RV_SYNC_RECS_MAX (2 * RV_SYNC_BATCH_RECORDS)
#define RV_SYNC_BYTES_MAX (RV_WIRE_MSG_MAX - 64 * 1024)
#define RV_SYNC_VV_MAX 4096     /* authors in one "vv" message */
#define RV_SYNC_SETS_MAX 64     /* sets in common with one peer */
#define RV_SYNC_MSG_VALUES (4 * RV_SYNC_BATCH_RECORDS + 64) /* decoder bound */
#define RV_SYNC_RESEND_MS 10000 /* a connected peer's version vector is asked again this often */
#define RV_INVITES_MAX 8
#define RV_REFUSE_MS 60000 /* a peer that sent what cannot be accepted is ignored this long */
/* Liveness of this node's own connection to a peer (there are no ZMTP
 * heartbeats, see wire.c): when nothing has come on it for RV_PING_MS, a
 * hello that wants an answer goes on it, every RV_PING_MS while it stays
 * quiet. Only the answer to the latest ping (a hello that wants none, on
 * that connection; answers come in the order of the pings) shows that
 * messages go both ways: other messages may be old ones, let through
 * after an outage while the other way is still stuck. Pings unanswered for
 * RV_SILENT_MS make it "silent" (a beacon of the peer then reconnects at
 * once); for RV_DEAD_MS, the connection is closed and made again. */
#define RV_PING_MS 2000
#define RV_SILENT_MS 1500
#define RV_DEAD_MS 12000
#define RV_RESEND_CHAINS_MS 60000 /* an author's chain goes again for a head that differs at most this often */
#define RV_OWED_MAX 64 /* ping answers owed to one peer; more pings than that are one stuck link */
#define RV_ASK_AGAIN_MS 1000 /* a batch out of order asks again at most this often per set */

/* What this node believes a peer holds of one set in common. */
/* When an author's chain last went to a peer again from the first, for a
 * head that differs (sync.c, unseen_forks). */
typedef struct resent {
  rv_member_id_t author;
  uint64_t ms;
} resent_t;

typedef struct peer_set {
  rv_set_id_t set;
  rv_vv_t *theirs; /* their version vector, grown by what was sent and received */
  size_t ntheirs, cap;
  bool known;   /* their version vector has been heard */
  bool pending; /* records they lack may be here: pump */
  size_t forks_total; /* forks known here when the evidence was last counted */
  size_t forks_sent;  /* of those, in the forks database's order, sent them */
  uint64_t asked_ms;  /* this node's vector last sent for a batch out of order */
  bool ask;           /* another batch out of order came since: send the vector again */
  resent_t *resent;   /* the authors whose chains went again, and when */
  size_t nresent;
} peer_set_t;

typedef struct peer {
  rv_member_id_t id;
  char address[64]; /* tcp://IP:PORT we connect to, or "" (they connected to us) */
  rv_sock_t *dealer; /* our connection to them, or NULL */
  bool dealer_ok;    /* a message came on it: its handshake is done */
  uint64_t dealer_heard_ms; /* the last message on it (or when it was made) */
  uint64_t ping_ms;         /* the last ping (hello) sent on it */
  uint64_t unanswered_ms;   /* since when a ping has been waiting for its answer, or 0 */
  unsigned pings;           /* pings sent on it and not answered yet */
  uint32_t owe_answers;     /* answers to their pings that did not fit in the ROUTER's queue */
  uint64_t beacon_ms;       /* their last recognised beacon */
  void *io;          /* node.c's poll handle for the dealer */
  uint8_t rid[RV_WIRE_RID_MAX]; /* their connection to our ROUTER */
  size_t rid_len;
  bool hello_sent;
  bool greeted; /* a message came from them */
  peer_set_t *sets;
  size_t nsets;
  uint64_t found_ms, last_msg_ms, last_sync_ms, last_vv_ms;
  uint64_t received, sent;
  char refused[128]; /* why they were refused: ignored until refused_until_ms */
  uint64_t refused_until_ms;
  bool via_router;   /* the message being handled came on our ROUTER: answer there */
  bool joiner;       /* an invitee, admitted by an invitation's key */
} peer_t;

/* A live invitation: its secret (never sent), the X25519 key pair made
 * from it, by which the invitee's node is admitted, and the set. */
typedef struct invite {
  bool live;
  uint8_t secret[16];
  uint8_t key[32]; /* beacon and admission key, derived from the secret */
  uint8_t pk[32], sk[32];
  rv_set_id_t set;
  int role;
  uint64_t expires_ms;
  uint32_t generation; /* random: names this invitation's connections */
} invite_t;

typedef struct rv_node {
  rv_node_config_t cfg;
  rv_home_t *home;
  rv_wire_t *wire;
  rv_sock_t *router, *zap;
  uint8_t pk[32], sk[32]; /* CURVE: this person's X25519 pair */
  uint16_t port, beacon_port;
  peer_t *peers[RV_NODE_PEERS_MAX];
  size_t npeers;
  invite_t invites[RV_INVITES_MAX];
  rv_enc_t *enc, *batch;
  rv_dec_t *dec, *place_dec;
  rv_wire_msg_t msg;
  rv_node_result_t result;
  bool stop;
  void *io; /* node.c's loop state */
} rv_node_t;

/* ---- node.c: the loop's services for sync.c ---- */
void rv__node_log(rv_node_t *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Watches a new dealer's descriptor. */
int rv__node_watch(rv_node_t *n, peer_t *p);
/* Stops watching and closes a peer's dealer. */
void rv__node_unwatch(rv_node_t *n, peer_t *p);

/* The first IPv4 address beacons go out on that is not loopback (host
 * order). RV_ENOTFOUND. */
int rv__node_first_address(uint32_t *ret);

/* ---- invite.c: invitations by code ---- */
struct sockaddr_in;
/* "tcp://A.B.C.D:PORT" or "tcp://localhost:PORT" (--peer). RV_EINVAL. */
int rv__parse_tcp(const char *s, struct sockaddr_in *ret);
int rv__invite_make(rv_node_t *n, const rv_set_id_t *set, int role, char *code, size_t cap,
                    char *why, size_t why_cap);
/* An invitation code's 16 bytes (secret, IPv4, port); RV_EFORMAT. */
int rv__invite_code_decode(const char *code, uint8_t ret[16]);
/* A message on a connection admitted by an invitation: user is its
 * User-Id, "invite:SLOT:GENERATION". */
void rv__invite_message(rv_node_t *n, const char *user, const uint8_t *rid, size_t rid_len,
                        const uint8_t *body, size_t len);

/* ---- agent.c: the local socket's requests ---- */
/* Answers one request of the same user's command into out. */
int rv__agent_answer(rv_node_t *n, const uint8_t *req, size_t len, rv_enc_t *out);

/* ---- sync.c: the protocol ---- */
peer_t *rv__peer_find(rv_node_t *n, const rv_member_id_t *id);
/* Finds or adds a peer; NULL when the table is full. */
peer_t *rv__peer_add(rv_node_t *n, const rv_member_id_t *id);
/* Connects to a peer at address (its server key is its member id's). */
int rv__peer_connect(rv_node_t *n, peer_t *p, const char *address);
/* Closes this node's connection to a peer (a silent one, or one moving
 * elsewhere): what was queued on it is lost, so nothing more is sent
 * until the peer's vector is heard again. */
void rv__peer_disconnect(rv_node_t *n, peer_t *p);
/* Whether this node's connection to p has left a ping unanswered for
 * ms (and nothing waits on it to be read). */
bool rv__peer_silent(const peer_t *p, uint64_t now_ms, uint64_t ms);
/* Refuses a peer from now on, saying why. */
void rv__peer_refuse(rv_node_t *n, peer_t *p, const char *why);
void rv__peer_free(peer_t *p);
/* A message from a peer (body decoded here, bounded). */
void rv__sync_message(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len);
/* Sends what each peer lacks, as far as their queues take it. */
void rv__sync_pump(rv_node_t *n);
/* The store changed (a command wrote, or a peer's records were stored):
 * every peer may lack something. */
void rv__sync_changed(rv_node_t *n);
/* Once a second: hellos to new connections, version vectors again. */
void rv__sync_tick(rv_node_t *n, uint64_t now_ms);
/* oneshot: every peer reached is up to date (and at least one was). */
bool rv__sync_settled(rv_node_t *n);
/* The ZAP decision: members of a set held here, or a live invitation. */
bool rv__sync_admit(void *ctx, const uint8_t client_pk[32], const char *address, char *user,
                    size_t user_cap);

#endif
