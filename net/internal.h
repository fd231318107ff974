/*
 * What the node's files share: the node, its peers and what it believes
 * each peer holds. Internal to net/. The files form a ladder, each calling
 * only those below it:
 *
 *   node.c     the event loop (libuv): sockets, beacons, timers, signals
 *   agent.c    the local socket's requests
 *   invite.c   invitations by code
 *   sync.c     the protocol: hello, vectors, batches
 *   forks.c    fork evidence, and forks neither side has seen
 *   link.c     this node's connections to peers, and the send path
 *   batch.c    one batch of what a peer lacks, and sending it
 *   peer.c     the peer table, beliefs, refusals and the node's log
 *   wire.c, beacon.c   ZeroMQ, and the datagrams
 *
 * Where a lower file needs the loop or the wire (watching a descriptor,
 * the machine's addresses, sending a message), it asks through the node's
 * table of operations (node_ops_t), which node.c fills and a test may
 * fill with its own.
 */
#ifndef REVANS_NET_INTERNAL_H
#define REVANS_NET_INTERNAL_H

#include "beacon.h"
#include "wire.h"

#include "revans/codec.h"
#include "revans/log.h"
#include "revans/node.h"
#include "revans/peer.h"

#define RV_SYNC_VERSION 1 /* in every hello; another version is refused */
/* A batch's budget: it ends at whichever comes first (batch.c). */
#define RV_SYNC_BATCH_BYTES (1024u * 1024) /* envelope bytes in one "recs" message */
#define RV_SYNC_BATCH_RECORDS 4096
/* What a peer accepts in one "recs" message: twice the batch, so that a
 * batch may go past its budget to end on a record whose own signature
 * verifies (batch.c). */
#define RV_SYNC_RECS_MAX (2 * RV_SYNC_BATCH_RECORDS)
#define RV_SYNC_BYTES_MAX (RV_WIRE_MSG_MAX - 64 * 1024) /* envelope bytes a peer accepts in one */
#define RV_SYNC_VV_MAX 4096                             /* authors in one "vv" message */
#define RV_SYNC_SETS_MAX 64                             /* sets in common with one peer */
#define RV_SYNC_MSG_VALUES (4 * RV_SYNC_BATCH_RECORDS + 64) /* decoder bound */
#define RV_SYNC_RESEND_MS 10000 /* a connected peer's version vector is asked again this often */
#define RV_BATCH_AUTHORS_MAX 64 /* authors in one batch this node sends */
#define RV_INVITES_MAX 8        /* invitations open at once on one node */
#define RV_REFUSE_MS 60000      /* a peer that sent what cannot be accepted is ignored this long */
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
/* A peer connected to this node's ROUTER pings on its own connection when
 * that is quiet for RV_PING_MS (at the granularity of its one-second
 * tick): a connection there with nothing heard or sent for RV_LIVE_MS is
 * not counted as live. */
#define RV_LIVE_MS (2 * RV_PING_MS + RV_SILENT_MS)
/* An author's chain goes to a peer again from the first, for a head that
 * differs, at most this often. */
#define RV_RESEND_CHAINS_MS 60000
/* Ping answers owed to one peer; more pings than that are one stuck link. */
#define RV_OWED_MAX 64
#define RV_ASK_AGAIN_MS 1000 /* a batch out of order asks again at most this often per set */
#define RV_SHORT_ID_SIZE 17  /* a member id's first 8 bytes in hex, and the NUL: for the log */

/* When an author's chain last went to a peer again from the first, for a
 * head that differs (sync.c, unseen_forks). */
typedef struct resent {
  rv_member_id_t author;
  uint64_t ms;
} resent_t;

/* What this node believes a peer holds of one set in common. */
typedef struct peer_set {
  rv_set_id_t set;
  rv_vv_t *theirs; /* their version vector, grown by what was sent and received */
  size_t ntheirs, cap;
  bool known;         /* their version vector has been heard */
  bool pending;       /* records they lack may be here: pump */
  size_t forks_total; /* forks known here when the evidence was last counted */
  size_t forks_sent;  /* of those, in the forks database's order, sent them */
  uint64_t asked_ms;  /* this node's vector last sent for a batch out of order */
  bool ask;           /* another batch out of order came since: send the vector again */
  resent_t *resent;   /* the authors whose chains went again, and when */
  size_t nresent;
} peer_set_t;

/* A member's node this node knows of: found by a beacon, given by
 * --peer, or connected to our ROUTER. Owned by the node's table
 * (rv__peer_add, rv__peer_free). */
typedef struct peer {
  rv_member_id_t id;
  char address[RV_NODE_ADDRESS_MAX]; /* tcp://IP:PORT we connect to, or "" (they connected to us) */
  rv_sock_t *dealer;                 /* our connection to them, or NULL */
  bool dealer_ok;                    /* a message came on it: its handshake is done */
  uint64_t dealer_heard_ms;          /* the last message on it (or when it was made) */
  uint64_t ping_ms;                  /* the last ping (hello) sent on it */
  uint64_t unanswered_ms;            /* since when a ping has been waiting for its answer, or 0 */
  unsigned pings;                    /* pings sent on it and not answered yet */
  uint32_t owe_answers;         /* answers to their pings that did not fit in the ROUTER's queue */
  uint64_t beacon_ms;           /* their last recognised beacon */
  void *io;                     /* node.c's poll handle for the dealer */
  uint8_t rid[RV_WIRE_RID_MAX]; /* their connection to our ROUTER */
  size_t rid_len;               /* 0: none (or gone) */
  uint64_t router_sent_ms;      /* the last message taken by our ROUTER for them */
  bool hello_sent;  /* a ping went on this node's connection (else the tick sends one) */
  bool greeted;     /* a message came from them */
  peer_set_t *sets; /* the sets in common and what they hold of each; owned */
  size_t nsets;
  uint64_t found_ms;                /* added to the table */
  uint64_t last_msg_ms;             /* their last message, on either connection */
  uint64_t last_sync_ms;            /* their last batch taken */
  uint64_t last_vv_ms;              /* this node's vectors last sent to them */
  uint64_t received, sent;          /* records, since the node started */
  char refused[RV_NODE_REASON_MAX]; /* why they were refused: ignored until refused_until_ms */
  uint64_t refused_until_ms;
  bool via_router; /* the message being handled came on our ROUTER: answer there */
  bool joiner;     /* an invitee, admitted by an invitation's key */
} peer_t;

/* A live invitation: its secret (never sent), the X25519 key pair made
 * from it, by which the invitee's node is admitted, and the set. */
typedef struct invite {
  bool live;
  uint8_t secret[16];
  uint8_t key[32];        /* beacon and admission key, derived from the secret */
  uint8_t pk[32], sk[32]; /* the X25519 pair the joiner proves the secret with */
  rv_set_id_t set;
  int role;            /* RV_ROLE_* the invitee gets */
  uint64_t expires_ms; /* rv_now_ms() past which it is wiped unused */
  uint32_t generation; /* random: names this invitation's connections */
} invite_t;

typedef struct rv_node rv_node_t;

/* What the event loop does for the files below it (node.c fills it; a
 * test fills it with its own, to run the protocol with no loop and no
 * socket). Every operation is called on the loop's thread. */
typedef struct node_ops {
  /* Watches p->dealer's descriptor: 0, RV_ENOMEM or RV_EIO. */
  int (*watch)(rv_node_t *n, peer_t *p);
  /* Stops watching p->dealer and closes it (NULL after); none is fine. */
  void (*unwatch)(rv_node_t *n, peer_t *p);
  /* Sends one message of the protocol to p, on whichever connection
   * serves (link.c's rv__link_send): 0 sent, 1 their queue is full, a
   * negative RV_E* when no connection takes it. body is borrowed for the
   * call. */
  int (*send)(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len);
  /* The first IPv4 address beacons go out on that is not loopback (host
   * order) into *ret: 0, or RV_ENOTFOUND. */
  int (*first_address)(uint32_t *ret);
} node_ops_t;

/* The node: one per rv_node_run (on its stack), or a test's. */
struct rv_node {
  rv_node_config_t cfg;
  const node_ops_t *ops; /* borrowed: lives as long as the node */
  rv_home_t *home;       /* borrowed from cfg */
  rv_wire_t *wire;
  rv_sock_t *router, *zap; /* NULL in a one-off sync */
  uint8_t pk[32], sk[32];  /* CURVE: this person's X25519 pair */
  uint16_t port, beacon_port;
  peer_t *peers[RV_NODE_PEERS_MAX]; /* owned */
  size_t npeers;
  invite_t invites[RV_INVITES_MAX]; /* wiped when used or expired */
  rv_enc_t *enc;                    /* the message being sent */
  rv_enc_t *batch;                  /* the records of the batch being gathered */
  rv_dec_t *dec;                    /* the message being read */
  rv_dec_t *place_dec;              /* one record's place (author, seq) and hash */
  rv_wire_msg_t msg;                /* the message being handled */
  rv_node_result_t result;
  bool stop; /* the loop ends */
  void *io;  /* node.c's loop state */
};

/* ---- peer.c: the peer table, beliefs, refusals, the log ---------------- */

/* One line to the node's log (cfg.log), at most 511 bytes. */
void rv__node_log(rv_node_t *n, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A member id's first 8 bytes in hex, as the log names peers and authors. */
void rv__short_id(char out[RV_SHORT_ID_SIZE], const rv_member_id_t *id);

/* The peer with member id `id`, or NULL. Owned by the node's table. */
peer_t *rv__peer_find(rv_node_t *n, const rv_member_id_t *id);
/* Finds or adds a peer (owned by the table until rv__peer_free); NULL when
 * the table is full or memory is short. */
peer_t *rv__peer_add(rv_node_t *n, const rv_member_id_t *id);
/* Frees a peer and its beliefs (its dealer must be closed already). */
void rv__peer_free(peer_t *p);
/* Refuses a peer for RV_REFUSE_MS from now, saying why (logged the first
 * time): closes this node's connection to it, forgets its connection to
 * ours and the answers owed to it, and stops pumping its sets. What it is
 * believed to hold is kept. */
void rv__peer_refuse(rv_node_t *n, peer_t *p, const char *why);
/* Whether a connection to p carries messages both ways now: this node's
 * own, answered lately (not silent), or theirs to our ROUTER, heard from
 * or written to within RV_LIVE_MS. What `revans peers` calls connected. */
bool rv__peer_live(const peer_t *p, uint64_t now_ms);

/* What p is believed to hold of set, or NULL when the set is not one in
 * common (as last refreshed). Owned by p. */
peer_set_t *rv__peer_set(peer_t *p, const rv_set_id_t *set);
/* Adds set to those in common with p (believed to hold nothing of it):
 * 0, or RV_ENOMEM. */
int rv__peer_set_add(peer_t *p, const rv_set_id_t *set);
/* Forgets the i-th set in common with p (the last takes its place). */
void rv__peer_set_drop(peer_t *p, size_t i);

/* Raises the belief that they hold `place` (and everything before it of
 * its author): 0; RV_ETOOBIG past RV_SYNC_VV_MAX authors (no set has that
 * many: a peer that claims them is refused); RV_ENOMEM. */
int rv__belief_raise(peer_set_t *ps, const rv_vv_t *place);
/* What they are believed to hold of author: its last seq (0: nothing). */
uint64_t rv__belief_seq(const peer_set_t *ps, const rv_member_id_t *author);
/* Forgets what they are believed to hold (their next vector says it). */
void rv__belief_reset(peer_set_t *ps);

/* ---- batch.c: one batch of what a peer lacks --------------------------- */

/* A batch being gathered into n->batch (as the bins of a msgpack array
 * whose header send_batch writes). Only the last record of each author in
 * it is hashed (for the belief), after the walk, from the copy in the
 * batch: hashing every record would cost as much as sending it.
 *
 * The peer checks the signature of the last record of each author's run
 * (format.md, "Ingesting records in bulk"). A run that ends at the head
 * held here ends on a record whose signature was checked when it came; a
 * run cut because the batch is full ends inside the chain, on a record
 * that may carry a bad signature of its own and be vouched for only by a
 * later one (format.md, "Which records are authentic"). So, when the
 * batch is full inside a run, the record it would end on is checked, and
 * while it fails the batch goes on past its budget, up to the bounds the
 * peer accepts (RV_SYNC_RECS_MAX, RV_SYNC_BYTES_MAX), to the next one
 * that passes. */
typedef struct batch {
  rv_node_t *node;
  size_t count, bytes;                /* records and their bytes in the batch */
  rv_vv_t last[RV_BATCH_AUTHORS_MAX]; /* the last record of each author in the batch */
  /* where each of those lies in n->batch's bytes */
  size_t last_at[RV_BATCH_AUTHORS_MAX], last_len[RV_BATCH_AUTHORS_MAX];
  size_t nlast; /* authors in the batch */
  size_t cur;   /* the author of the batch's last record, an index into last */
} batch_t;

/* Starts an empty batch over n->batch (reset). */
void rv__batch_init(batch_t *b, rv_node_t *n);
/* rv_log_missing's callback (ctx a batch_t): adds one record, or returns
 * 1 when the batch is full (the rest goes in the next one); RV_ECORRUPT
 * for a record held here that cannot be read. raw is copied. */
int rv__batch_add(void *ctx, const uint8_t *raw, size_t len);
/* Hashes the batch's last records into last[].head, once the batch is
 * whole: 0 or RV_ECORRUPT. */
int rv__batch_heads(batch_t *b);

/* Sends the count records gathered in n->batch (by rv__batch_add, or as
 * fork evidence) as one ["recs", set, records] message to p: the send
 * operation's result (0, 1 their queue is full, RV_E*), RV_ENOMEM. */
int rv__batch_send(rv_node_t *n, peer_t *p, const rv_set_id_t *set, size_t count);

/* ---- forks.c: forks between nodes --------------------------------------- */

/* Sends p, after what it lacked of the chains, the evidence of every fork
 * of ps's set it has not had, batch after batch: 0 when nothing more can
 * go now (every fork was sent, or they do not hold a forked position yet:
 * tried again on the next turn, after their next vector or a change
 * here), 1 when their queue is full (pending is kept), < 0 on error
 * (logged; not tried again until the forks change). */
int rv__forks_send(rv_node_t *n, peer_t *p, peer_set_t *ps);
/* After their vector set the belief: for each author whose head there is
 * not the record held here at that position, a fork neither side has
 * seen, the belief drops so that the author's chain goes to them again
 * from the first (at most once per RV_RESEND_CHAINS_MS per author). */
void rv__forks_unseen(rv_node_t *n, peer_t *p, peer_set_t *ps);

/* ---- link.c: this node's connections to peers, and the send path ------- */

/* Connects to p at address (its server key is its member id's) and sends
 * the first ping: 0 (also when a connection exists or p is refused), or
 * RV_E*. */
int rv__peer_connect(rv_node_t *n, peer_t *p, const char *address);
/* Closes this node's connection to a peer (a silent one, or one moving
 * elsewhere): what was queued on it is lost, so nothing more is sent
 * until the peer's vector is heard again. */
void rv__peer_disconnect(rv_node_t *n, peer_t *p);
/* Whether this node's connection to p has left a ping unanswered for
 * ms (and nothing waits on it to be read). */
bool rv__peer_silent(const peer_t *p, uint64_t now_ms, uint64_t ms);
/* The node's send operation (node_ops_t.send): this node's own connection
 * once a message came back on it, else theirs to our ROUTER. */
int rv__link_send(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len);
/* The operations of a node with no loop (the fuzz targets'): nothing is
 * watched (a connection cannot be made: RV_EIO), closing closes, messages
 * go by rv__link_send (to no connection, RV_ENOTFOUND), no address. */
extern const node_ops_t rv__link_ops_unlooped;
/* Writes ["hello", version, answer_wanted] into n->enc. */
void rv__link_hello(rv_node_t *n, bool answer_wanted);
/* A hello that wants an answer, on this node's own connection to p: the
 * first of the connection, and the ping that shows it still carries
 * messages both ways. rv__sock_send's result. */
int rv__link_ping(rv_node_t *n, peer_t *p);

/* ---- sync.c: the protocol ---------------------------------------------- */

/* A message from a peer (body decoded here, bounded; borrowed for the
 * call). Answers go through n->ops->send; a peer that breaks the protocol
 * is refused. */
void rv__sync_message(rv_node_t *n, peer_t *p, const uint8_t *body, size_t len);
/* Sends what each peer lacks, as far as their queues take it. */
void rv__sync_pump(rv_node_t *n);
/* The store changed (a command wrote, or a peer's records were stored):
 * every peer may lack something. */
void rv__sync_changed(rv_node_t *n);
/* Once a second: pings, hellos to new connections, version vectors again,
 * refusals that have run out. */
void rv__sync_tick(rv_node_t *n, uint64_t now_ms);
/* oneshot: every peer reached is up to date (and at least one was). */
bool rv__sync_settled(rv_node_t *n);
/* The ZAP decision (rv_wire_admit_cb, ctx the node): members of a set
 * held here, or a live invitation. */
bool rv__sync_admit(void *ctx, const uint8_t client_pk[32], const char *address, char *user,
                    size_t user_cap);

/* ---- invite.c: invitations by code ------------------------------------- */

struct sockaddr_in;
/* "tcp://A.B.C.D:PORT" or "tcp://localhost:PORT" (--peer) into *ret:
 * 0, or RV_EINVAL. */
int rv__parse_tcp(const char *s, struct sockaddr_in *ret);
/* Makes an invitation to set with role (RV_ROLE_*) on this facilitator's
 * node, live for RV_INVITE_TTL_S, and writes its code into code (cap
 * bytes, RV_INVITE_CODE_MAX is enough): 0, or RV_EINVAL (no such role),
 * RV_EIO, RV_EPERM (not a facilitator), RV_EFULL (RV_INVITES_MAX open),
 * with why said in why. */
int rv__invite_make(rv_node_t *n, const rv_set_id_t *set, int role, char *code, size_t cap,
                    char *why, size_t why_cap);
/* An invitation code's 16 bytes (secret, IPv4, port) into ret: 0, or
 * RV_EFORMAT. */
int rv__invite_code_decode(const char *code, uint8_t ret[16]);
/* A message on a connection admitted by an invitation: user is its
 * User-Id, "invite:SLOT:GENERATION"; rid and body are borrowed for the
 * call. True when a member joined (the store changed: the caller tells
 * sync.c). */
bool rv__invite_message(rv_node_t *n, const char *user, const uint8_t *rid, size_t rid_len,
                        const uint8_t *body, size_t len);

/* ---- agent.c: the local socket's requests ------------------------------ */

/* Answers one request of the same user's command (req, borrowed) into
 * out, reset first: 0, or RV_ENOMEM when the answer could not be
 * encoded. A request the node cannot serve is answered [1, why]. */
int rv__agent_answer(rv_node_t *n, const uint8_t *req, size_t len, rv_enc_t *out);

#endif
