/*
 * The node's event loop (node.h), the one file that includes uv.h: a
 * libuv loop that polls ZeroMQ's descriptors (edge-triggered: every
 * socket is drained while ZMQ_EVENTS says so, after every event), sends
 * and hears UDP beacons, watches the store for records written by other
 * processes, answers the agent's socket, ticks once a second and stops
 * cleanly on SIGINT or SIGTERM. The protocol itself is in sync.c.
 */
#define _GNU_SOURCE /* struct ucred, for the agent's peer check */
#include "internal.h"

#include "revans/error.h"
#include "revans/set.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#define TICK_MS 1000
#define PROBE_MS 1000        /* a --peer not yet connected is probed this often */
#define PROBE_ANSWERS_MAX 20 /* probes answered per second */
#define LINGER_MS 2000       /* a one-off sync's last batches are delivered within this */
/* A peer silent this long is reconnected at the address its beacon gives. */
#define STALE_MS 15000
#define BEACON_GAP_MS 2500 /* beacons this close: the peer's node is running, not busy */
#define SERVICE_ROUNDS 256 /* messages handled per socket before others get a turn */
#define AGENT_REQUEST_MAX 4096
#define AGENT_SOCKET "agent.sock"
/* Beacon keys held for the sets (current and previous epochs); a beacon
 * carries RV_BEACON_ENTRIES_MAX of them at a time, in turn. */
#define BEACON_SET_KEYS_MAX 64
#define SETTLE_FIRST_MS 2  /* after a change to the store, look again then */
#define SETTLE_AGAIN_MS 40 /* and again after 40, 200 and 1000 ms: a slow disk's sync */

typedef struct io {
  uv_loop_t loop;
  uv_signal_t sigint, sigterm;
  uv_timer_t tick;
  uv_check_t check;
  uv_idle_t idle; /* runs the service again while sockets still hold messages */
  uv_poll_t router_poll, zap_poll;
  uv_udp_t beacons; /* bound to the beacon port: hears every node's beacons */
  uv_udp_t probes;  /* bound to the node's port: hears probes, sends beacons */
  uv_fs_event_t store_watch;
  uv_timer_t settle; /* looks at the store again after it changed */
  int settle_round;
  uv_pipe_t agent;
  bool have_router, have_beacons, have_probes, have_watch, have_agent;
  char agent_path[4200];
  dev_t agent_dev; /* the socket this node bound: the only one it unlinks */
  ino_t agent_ino;
  uint64_t started_ms, last_probe_ms;
  uint8_t set_keys[BEACON_SET_KEYS_MAX][32]; /* this second's beacon keys */
  rv_set_id_t key_sets[BEACON_SET_KEYS_MAX];
  size_t rounds;         /* beacons made: where the next one starts among the keys */
  uint64_t probe_second; /* probes answered in this second */
  unsigned probe_answers;
  size_t nkeys;
  rv_beacon_t beacon; /* the one this node sends, remade every second */
  uint8_t beacon_bytes[RV_BEACON_MAX];
  size_t beacon_len;
  char datagram[2][RV_BEACON_MAX + 1]; /* one per UDP socket: a datagram is read whole */
} io_t;

static io_t *io_of(rv_node_t *n) { return n->io; }

/* ---- ZeroMQ sockets on the loop ----------------------------------------- */

static void service(rv_node_t *n);

static void on_poll(uv_poll_t *handle, int status, int events) {
  (void)status;
  (void)events;
  service(handle->data);
}

static void on_idle(uv_idle_t *handle) { service(handle->data); }

static void on_check(uv_check_t *handle) { service(handle->data); }

/* node_ops_t.watch */
static int watch_dealer(rv_node_t *n, peer_t *p) {
  uv_poll_t *watcher = calloc(1, sizeof *watcher);
  if (!watcher)
    return RV_ENOMEM;
  if (uv_poll_init(&io_of(n)->loop, watcher, rv__sock_fd(p->dealer)) != 0) {
    free(watcher);
    return RV_EIO;
  }
  watcher->data = n;
  uv_poll_start(watcher, UV_READABLE, on_poll);
  p->io = watcher;
  return 0;
}

static void free_handle(uv_handle_t *handle) { free(handle); }

/* node_ops_t.unwatch */
static void unwatch_dealer(rv_node_t *n, peer_t *p) {
  (void)n;
  if (p->io) {
    uv_poll_stop(p->io);
    uv_close((uv_handle_t *)p->io, free_handle);
    p->io = NULL;
  }
  rv__sock_close(&p->dealer);
}

/* The peer a ROUTER message came from, by the User-Id ZAP gave it. */
static peer_t *router_peer(rv_node_t *n, const rv_wire_msg_t *m) {
  rv_member_id_t id;
  if (strlen(m->user) != 2 * RV_ID_LEN || rv_unhex(id.b, RV_ID_LEN, m->user) < 0)
    return NULL;
  peer_t *p = rv__peer_add(n, &id);
  if (p && !p->refused[0]) {
    if (p->rid_len != m->rid_len || memcmp(p->rid, m->rid, m->rid_len) != 0)
      p->owe_answers = 0; /* another connection: the pings on the last went with it */
    memcpy(p->rid, m->rid, m->rid_len);
    p->rid_len = m->rid_len;
  }
  return p;
}

/* Handles what one socket holds, up to SERVICE_ROUNDS messages. True when
 * more may be waiting. */
static bool drain(rv_node_t *n, rv_sock_t *s, peer_t *from) {
  for (int i = 0; i < SERVICE_ROUNDS && !n->stop; i++) {
    bool in, out;
    rv__sock_events(s, &in, &out);
    if (!in)
      return false;
    int r = rv__sock_recv(s, &n->msg);
    if (r == 1)
      return false;
    if (r < 0) {
      if (!from)
        continue;
      rv__peer_refuse(n, from, "sent a message with unexpected framing");
      return false; /* the socket s was closed with the refusal */
    }
    if (from) {
      from->dealer_ok = true;              /* its handshake is done: pushes may take it */
      from->dealer_heard_ms = rv_now_ms(); /* the peer is there (pings: sync.c) */
    }
    if (!from && strncmp(n->msg.user, "invite:", 7) == 0) {
      if (rv__invite_message(n, n->msg.user, n->msg.rid, n->msg.rid_len, n->msg.body.data,
                             n->msg.body.len))
        rv__sync_changed(n); /* a member joined: the others may lack the records */
      continue;
    }
    peer_t *p = from ? from : router_peer(n, &n->msg);
    if (p) {
      p->via_router = !from;
      rv__sync_message(n, p, n->msg.body.data, n->msg.body.len);
      p->via_router = false;
    }
    if (from && !from->dealer)
      return false; /* refused: the socket is closed */
  }
  return true;
}

static void service(rv_node_t *n) {
  io_t *io = io_of(n);
  bool more = false;
  if (n->stop)
    return;
  if (n->zap)
    rv__wire_zap_serve(n->zap, rv__sync_admit, n);
  if (n->router)
    more |= drain(n, n->router, NULL);
  for (size_t i = 0; i < n->npeers; i++)
    if (n->peers[i]->dealer)
      more |= drain(n, n->peers[i]->dealer, n->peers[i]);
  rv__sync_pump(n);
  if (n->cfg.oneshot && rv__sync_settled(n)) {
    n->stop = true;
    uv_stop(&io->loop);
    return;
  }
  if (more)
    uv_idle_start(&io->idle, on_idle);
  else
    uv_idle_stop(&io->idle);
}

/* ---- beacons ----------------------------------------------------------- */

/* This second's beacon keys: one per set held (and still a member of). */
static void load_keys(rv_node_t *n) {
  io_t *io = io_of(n);
  rv_set_id_t *sets = NULL;
  size_t k = 0;
  io->nkeys = 0;
  if (rv_home_begin(n->home, false) < 0)
    return;
  if (rv_set_list(n->home, &sets, &k) == 0)
    for (size_t i = 0; i < k && io->nkeys < BEACON_SET_KEYS_MAX; i++) {
      const rv_state_t *s;
      if (rv_set_state(n->home, &sets[i], &s) < 0 || !rv_state_member(s, rv_home_self(n->home)))
        continue;
      uint8_t keys[2][32];
      size_t k = 0;
      if (rv_peer_beacon_keys(n->home, &sets[i], keys, &k) < 0)
        continue;
      for (size_t j = 0; j < k && io->nkeys < BEACON_SET_KEYS_MAX; j++) {
        memcpy(io->set_keys[io->nkeys], keys[j], 32);
        io->key_sets[io->nkeys++] = sets[i];
      }
      rv_wipe(keys, sizeof keys);
    }
  rv_home_abort(n->home);
  free(sets);
}

static void make_beacon(rv_node_t *n) {
  io_t *io = io_of(n);
  uint64_t now_s = (uint64_t)time(NULL);
  rv__beacon_init(&io->beacon, n->port);
  /* Open invitations first (they last minutes); then the sets' keys, from
   * an offset that moves every second, so that with more keys than room
   * every set is announced in turn. */
  for (size_t i = 0; i < RV_INVITES_MAX && io->beacon.nentries < RV_BEACON_ENTRIES_MAX; i++)
    if (n->invites[i].live)
      rv__beacon_add(&io->beacon, n->invites[i].key, now_s, rv_home_self(n->home));
  for (size_t i = 0; i < io->nkeys && io->beacon.nentries < RV_BEACON_ENTRIES_MAX; i++)
    rv__beacon_add(&io->beacon, io->set_keys[(i + io->rounds) % io->nkeys], now_s,
                   rv_home_self(n->home));
  io->rounds++;
  rv__beacon_pad(&io->beacon);
  rv__beacon_encode(n->enc, &io->beacon);
  size_t len;
  const uint8_t *bytes = rv_enc_data(n->enc, &len);
  io->beacon_len = rv_enc_status(n->enc) == 0 && len <= RV_BEACON_MAX ? len : 0;
  if (io->beacon_len)
    memcpy(io->beacon_bytes, bytes, len);
}

static bool wanted_interface(const rv_node_t *n, const char *name) {
  (void)n;
  const char *only = getenv("REVANS_BEACON_IF");
  if (!only || !*only)
    return true;
  /* A comma-separated list of interface names. */
  size_t len = strlen(name);
  for (const char *p = only; *p;) {
    const char *end = strchr(p, ',');
    size_t k = end ? (size_t)(end - p) : strlen(p);
    if (k == len && strncmp(p, name, k) == 0)
      return true;
    p += k + (end ? 1 : 0);
  }
  return false;
}

static void send_beacons(rv_node_t *n) {
  io_t *io = io_of(n);
  uv_interface_address_t *ifs = NULL;
  int count = 0;
  if (!io->beacon_len || !io->have_probes || uv_interface_addresses(&ifs, &count) != 0)
    return;
  for (int i = 0; i < count; i++) {
    if (ifs[i].address.address4.sin_family != AF_INET || !wanted_interface(n, ifs[i].name))
      continue;
    struct sockaddr_in to;
    uint32_t a = ntohl(ifs[i].address.address4.sin_addr.s_addr);
    uint32_t m = ntohl(ifs[i].netmask.netmask4.sin_addr.s_addr);
    memset(&to, 0, sizeof to);
    to.sin_family = AF_INET;
    to.sin_port = htons(n->beacon_port);
    to.sin_addr.s_addr = htonl(a | ~m);
    uv_buf_t b = uv_buf_init((char *)io->beacon_bytes, (unsigned)io->beacon_len);
    uv_udp_try_send(&io->probes, &b, 1, (const struct sockaddr *)&to);
  }
  uv_free_interface_addresses(ifs, count);
}

/* node_ops_t.first_address */
static int first_address(uint32_t *ret) {
  uv_interface_address_t *ifs = NULL;
  int count = 0, r = RV_ENOTFOUND;
  if (uv_interface_addresses(&ifs, &count) != 0)
    return RV_ENOTFOUND;
  for (int i = 0; i < count && r < 0; i++) {
    if (ifs[i].address.address4.sin_family != AF_INET || ifs[i].is_internal ||
        !wanted_interface(NULL, ifs[i].name))
      continue;
    *ret = ntohl(ifs[i].address.address4.sin_addr.s_addr);
    r = 0;
  }
  uv_free_interface_addresses(ifs, count);
  return r;
}

/* Only peers on one of this machine's subnets are taken. */
static bool same_subnet(const struct sockaddr_in *from) {
  uv_interface_address_t *ifs = NULL;
  int count = 0;
  bool ok = false;
  uint32_t f = ntohl(from->sin_addr.s_addr);
  if ((f >> 24) == 127)
    return true;
  if (uv_interface_addresses(&ifs, &count) != 0)
    return false;
  for (int i = 0; i < count && !ok; i++) {
    if (ifs[i].address.address4.sin_family != AF_INET)
      continue;
    uint32_t a = ntohl(ifs[i].address.address4.sin_addr.s_addr);
    uint32_t m = ntohl(ifs[i].netmask.netmask4.sin_addr.s_addr);
    ok = (a & m) == (f & m);
  }
  uv_free_interface_addresses(ifs, count);
  return ok;
}

/* Whether from is one of the --peer addresses this node probes. */
static bool was_probed(const rv_node_t *n, const struct sockaddr_in *from) {
  for (size_t i = 0; i < n->cfg.npeers; i++) {
    struct sockaddr_in a;
    if (rv__parse_tcp(n->cfg.peers[i], &a) == 0 && a.sin_addr.s_addr == from->sin_addr.s_addr &&
        a.sin_port == from->sin_port)
      return true;
  }
  return false;
}

static bool admitted(rv_node_t *n, const rv_member_id_t *who) {
  if (rv_home_begin(n->home, false) < 0)
    return false;
  bool ok = rv_peer_admitted(n->home, who);
  rv_home_abort(n->home);
  return ok;
}

static bool is_given_peer(const rv_node_t *n, const char *address) {
  for (size_t i = 0; i < n->cfg.npeers; i++)
    if (strcmp(n->cfg.peers[i], address) == 0)
      return true;
  return false;
}

/* A probe (a request for a beacon): answered with this node's beacon, at
 * most PROBE_ANSWERS_MAX times a second, so that a forged source address
 * cannot turn the node into a flood of beacons. */
static void answer_probe(rv_node_t *n, const struct sockaddr_in *from, bool probe_socket) {
  io_t *io = io_of(n);
  uint64_t sec = rv_now_ms() / 1000;
  if (sec != io->probe_second) {
    io->probe_second = sec;
    io->probe_answers = 0;
  }
  if (probe_socket && io->beacon_len && n->router && io->probe_answers < PROBE_ANSWERS_MAX) {
    uv_buf_t buf = uv_buf_init((char *)io->beacon_bytes, (unsigned)io->beacon_len);
    uv_udp_try_send(&io->probes, &buf, 1, (const struct sockaddr *)from);
    io->probe_answers++;
  }
}

/* The member a beacon names under one of this second's keys (this node's
 * own beacons aside): true, and *ret_who. */
static bool beacon_member(rv_node_t *n, const rv_beacon_t *b, rv_member_id_t *ret_who) {
  io_t *io = io_of(n);
  uint64_t now_s = (uint64_t)time(NULL);
  for (size_t i = 0; i < b->nentries; i++)
    for (size_t k = 0; k < io->nkeys; k++)
      if (rv__beacon_match(b, i, io->set_keys[k], now_s, ret_who) == 0 &&
          memcmp(ret_who->b, rv_home_self(n->home)->b, RV_ID_LEN) != 0)
        return true;
  return false;
}

/* A beacon of a peer this node is connected to, heard at address: the
 * connection is kept (false), unless it has gone silent (a ping left
 * unanswered) while the peer's node runs (its beacons come once a second,
 * the last one `before`: a node busy for seconds sends none, and answers
 * late): then it is closed, to connect again at once at this address
 * (true). A cable pulled and put back heals so, without waiting for the
 * kernel to retry. At another address (a laptop that moved, a node
 * restarted on another port), also when nothing at all came from it for
 * STALE_MS. *ret_same: the address is the one connected to. */
static bool connect_again(rv_node_t *n, peer_t *peer, const char *address, uint64_t now,
                          uint64_t before, bool *ret_same) {
  bool silent = rv__peer_silent(peer, now, RV_SILENT_MS) && before && now - before <= BEACON_GAP_MS;
  char id[RV_SHORT_ID_SIZE];
  rv__short_id(id, &peer->id);
  *ret_same = strcmp(peer->address, address) == 0;
  if (*ret_same) {
    if (!silent)
      return false;
    rv__node_log(n, "peer %s: nothing heard at %s; connecting again", id, address);
  } else {
    if (!silent && now - peer->last_msg_ms < STALE_MS)
      return false;
    rv__node_log(n, "peer %s moved to %s", id, address);
  }
  rv__peer_disconnect(n, peer);
  return true;
}

/* Member who's node listens at address (probed: in answer to this node's
 * probe): connected to, when it is this node's to connect. */
static void beacon_heard(rv_node_t *n, const rv_member_id_t *who, const char *address,
                         bool probed) {
  peer_t *peer = rv__peer_find(n, who);
  if (peer && peer->refused[0])
    return;
  uint64_t now = rv_now_ms(), before = peer ? peer->beacon_ms : 0;
  bool again = false, same = false;
  if (peer)
    peer->beacon_ms = now;
  if (peer && peer->dealer) {
    if (!connect_again(n, peer, address, now, before, &same))
      return;
    again = true;
  }
  /* Of two nodes that hear each other, the one with the lower id
   * connects; a node without a ROUTER (sync) or asked for this peer
   * connects whatever the ids, and so does one connecting again where it
   * was connected. */
  bool mine = same || !n->router || probed || is_given_peer(n, address) ||
              memcmp(rv_home_self(n->home)->b, who->b, RV_ID_LEN) < 0;
  if (!mine)
    return;
  /* A beacon made with a set's key may name anyone: only a current
   * member of a set held here takes a place in the peer table. */
  if (!peer && !admitted(n, who))
    return;
  if (!peer && !(peer = rv__peer_add(n, who)))
    return;
  char id[RV_SHORT_ID_SIZE];
  rv__short_id(id, who);
  if (!again)
    rv__node_log(n, "peer %s found at %s", id, address);
  if (rv__peer_connect(n, peer, address) < 0)
    rv__node_log(n, "cannot connect to %s", address);
}

static void on_beacon(rv_node_t *n, const uint8_t *datagram, size_t len,
                      const struct sockaddr_in *from, bool probe_socket) {
  rv_beacon_t b;
  rv_member_id_t who;
  if (rv__beacon_decode(n->dec, datagram, len, &b) < 0)
    return; /* not ours: beacons from anything else are ignored */
  if (b.probe) {
    answer_probe(n, from, probe_socket);
    return;
  }
  /* Broadcast beacons come from this subnet; a beacon answering this
   * node's own probe (--peer) may come from an address it probed. */
  bool probed = probe_socket && was_probed(n, from);
  if ((!probed && !same_subnet(from)) || !beacon_member(n, &b, &who))
    return;
  char ip[INET_ADDRSTRLEN], address[RV_NODE_ADDRESS_MAX];
  inet_ntop(AF_INET, &from->sin_addr, ip, sizeof ip);
  snprintf(address, sizeof address, "tcp://%s:%u", ip, (unsigned)b.port);
  beacon_heard(n, &who, address, probed);
}

static void alloc_datagram(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  (void)suggested;
  io_t *io = io_of(handle->data);
  buf->base = io->datagram[(uv_udp_t *)handle == &io->probes];
  buf->len = sizeof io->datagram[0];
}

static void on_datagram(uv_udp_t *handle, ssize_t nread, const uv_buf_t *buf,
                        const struct sockaddr *addr, unsigned flags) {
  rv_node_t *n = handle->data;
  if (nread <= 0 || !addr || addr->sa_family != AF_INET || (flags & UV_UDP_PARTIAL))
    return;
  on_beacon(n, (const uint8_t *)buf->base, (size_t)nread, (const struct sockaddr_in *)addr,
            handle == &io_of(n)->probes);
  service(n);
}

static void send_probes(rv_node_t *n) {
  io_t *io = io_of(n);
  rv_beacon_t probe;
  memset(&probe, 0, sizeof probe);
  probe.probe = true;
  rv__beacon_encode(n->enc, &probe);
  size_t len;
  const uint8_t *bytes = rv_enc_data(n->enc, &len);
  uint64_t now = rv_now_ms();
  /* A silent connection counts as none: the answer's beacon reconnects. */
  for (size_t i = 0; i < n->cfg.npeers; i++) {
    struct sockaddr_in to;
    bool connected = false;
    for (size_t k = 0; k < n->npeers; k++)
      connected |= n->peers[k]->dealer && strcmp(n->peers[k]->address, n->cfg.peers[i]) == 0 &&
                   !rv__peer_silent(n->peers[k], now, RV_SILENT_MS);
    if (connected || rv__parse_tcp(n->cfg.peers[i], &to) < 0)
      continue;
    uv_buf_t b = uv_buf_init((char *)bytes, (unsigned)len);
    uv_udp_try_send(&io->probes, &b, 1, (const struct sockaddr *)&to);
  }
}

/* ---- the store, the tick, signals ----------------------------------------- */

static void on_settle(uv_timer_t *handle) {
  rv_node_t *n = handle->data;
  io_t *io = io_of(n);
  rv__sync_changed(n);
  service(n);
  static const uint64_t again_ms[] = {SETTLE_AGAIN_MS, 200, 1000};
  if (io->settle_round < (int)(sizeof again_ms / sizeof again_ms[0]))
    uv_timer_start(&io->settle, on_settle, again_ms[io->settle_round++], 0);
}

static void on_store(uv_fs_event_t *handle, const char *file, int events, int status) {
  (void)events;
  (void)status;
  if (file && strcmp(file, "data.mdb") != 0)
    return;
  rv_node_t *n = handle->data;
  io_t *io = io_of(n);
  rv__sync_changed(n);
  service(n);
  /* LMDB makes a commit visible to readers by a counter in its lock file
   * just after the last write to data.mdb: a reader woken by that write
   * may still see the commit before. Look again shortly after. */
  io->settle_round = 0;
  uv_timer_start(&io->settle, on_settle, SETTLE_FIRST_MS, 0);
}

static void on_tick(uv_timer_t *handle) {
  rv_node_t *n = handle->data;
  io_t *io = io_of(n);
  uint64_t now = rv_now_ms();
  load_keys(n);
  for (size_t i = 0; i < RV_INVITES_MAX; i++)
    if (n->invites[i].live && n->invites[i].expires_ms <= now) {
      rv_wipe(&n->invites[i], sizeof n->invites[i]);
      rv__node_log(n, "an invitation expired unused");
    }
  make_beacon(n);
  if (n->router)
    send_beacons(n);
  if (now - io->last_probe_ms >= PROBE_MS) {
    send_probes(n);
    io->last_probe_ms = now;
  }
  rv__sync_tick(n, now);
  if (n->cfg.oneshot && n->cfg.timeout_s > 0 &&
      (double)(now - io->started_ms) > n->cfg.timeout_s * 1000) {
    n->stop = true;
    uv_stop(&io->loop);
    return;
  }
  service(n);
}

static void on_signal(uv_signal_t *handle, int signum) {
  rv_node_t *n = handle->data;
  rv__node_log(n, "stopping (%s)", signum == SIGINT ? "SIGINT" : "SIGTERM");
  n->stop = true;
  uv_stop(&io_of(n)->loop);
}

/* ---- the agent's socket ------------------------------------------------------ */

typedef struct agent_conn {
  uv_pipe_t pipe;
  uv_write_t write;
  rv_node_t *n;
  uint8_t in[AGENT_REQUEST_MAX + 4];
  size_t inlen;
  rv_enc_t *out;
  uint8_t *reply;
} agent_conn_t;

static void agent_closed(uv_handle_t *handle) {
  agent_conn_t *c = handle->data;
  rv_enc_wipe(c->out);
  rv_enc_destroy(&c->out);
  free(c->reply);
  rv_wipe(c, sizeof *c);
  free(c);
}

static void agent_written(uv_write_t *w, int status) {
  (void)status;
  agent_conn_t *c = w->data;
  if (!uv_is_closing((uv_handle_t *)&c->pipe)) /* closed already if the node is stopping */
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
}

static void agent_alloc(uv_handle_t *handle, size_t suggested, uv_buf_t *buf) {
  (void)suggested;
  agent_conn_t *c = handle->data;
  buf->base = (char *)c->in + c->inlen;
  buf->len = sizeof c->in - c->inlen;
}

static void agent_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf) {
  (void)buf;
  agent_conn_t *c = s->data;
  if (nread < 0 || (nread == 0 && c->inlen == sizeof c->in)) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  c->inlen += (size_t)nread;
  if (c->inlen < 4)
    return;
  size_t want = (size_t)c->in[0] << 24 | (size_t)c->in[1] << 16 | (size_t)c->in[2] << 8 | c->in[3];
  if (want > AGENT_REQUEST_MAX) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  if (c->inlen < 4 + want)
    return;
  uv_read_stop(s);
  if (rv_enc_new(&c->out) < 0 || rv__agent_answer(c->n, c->in + 4, want, c->out) < 0) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  size_t olen;
  const uint8_t *o = rv_enc_data(c->out, &olen);
  if (!(c->reply = malloc(olen + 4))) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  c->reply[0] = (uint8_t)(olen >> 24);
  c->reply[1] = (uint8_t)(olen >> 16);
  c->reply[2] = (uint8_t)(olen >> 8);
  c->reply[3] = (uint8_t)olen;
  memcpy(c->reply + 4, o, olen);
  uv_buf_t b = uv_buf_init((char *)c->reply, (unsigned)(olen + 4));
  c->write.data = c;
  if (uv_write(&c->write, s, &b, 1, agent_written) != 0)
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
  service(c->n); /* an answer (an invitation) may have changed what to do */
}

static void on_agent(uv_stream_t *server, int status) {
  rv_node_t *n = server->data;
  if (status < 0)
    return;
  agent_conn_t *c = calloc(1, sizeof *c);
  if (!c)
    return;
  c->n = n;
  uv_pipe_init(&io_of(n)->loop, &c->pipe, 0);
  c->pipe.data = c;
  if (uv_accept(server, (uv_stream_t *)&c->pipe) != 0) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  /* Only the user the node runs as: the socket's mode says so too. */
  uv_os_fd_t fd;
  struct ucred cred;
  socklen_t cl = sizeof cred;
  if (uv_fileno((uv_handle_t *)&c->pipe, &fd) != 0 ||
      getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &cl) != 0 || cred.uid != getuid()) {
    uv_close((uv_handle_t *)&c->pipe, agent_closed);
    return;
  }
  uv_read_start((uv_stream_t *)&c->pipe, agent_alloc, agent_read);
}

/* A Unix socket bound at path, mode 0600 from its creation: its fd, or -1. */
static int bind_unix(const char *path) {
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
  mode_t old = umask(0177);
  int r = bind(fd, (struct sockaddr *)&sa, sizeof sa);
  umask(old);
  if (r != 0 || chmod(path, 0600) != 0) {
    close(fd);
    return -1;
  }
  return fd;
}

/* Binds the agent's socket in the home. RV_EEXIST when a node already
 * answers on it. */
static int agent_listen(rv_node_t *n) {
  io_t *io = io_of(n);
  uint8_t key[32];
  snprintf(io->agent_path, sizeof io->agent_path, "%s/%s", rv_home_dir(n->home), AGENT_SOCKET);
  /* A Unix socket's path has a hard limit (108 bytes on Linux). */
  if (strlen(io->agent_path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
    return RV_ETOOBIG;
  if (rv_agent_unlock_key(rv_home_dir(n->home), key) == 0) {
    rv_wipe(key, sizeof key);
    return RV_EEXIST;
  }
  unlink(io->agent_path); /* left by a node that did not stop cleanly */
  /* Bound here rather than by uv_pipe_bind(), which would unlink whatever
   * is at the path when the node stops: agent_unlink() checks it first. */
  int fd = bind_unix(io->agent_path);
  if (fd < 0)
    return RV_EIO;
  struct stat st;
  if (uv_pipe_init(&io->loop, &io->agent, 0) != 0) {
    close(fd);
    return RV_EIO;
  }
  io->have_agent = true;
  io->agent.data = n;
  if (uv_pipe_open(&io->agent, fd) != 0) {
    close(fd);
    return RV_EIO;
  }
  if (lstat(io->agent_path, &st) != 0 || uv_listen((uv_stream_t *)&io->agent, 8, on_agent) != 0)
    return RV_EIO;
  io->agent_dev = st.st_dev;
  io->agent_ino = st.st_ino;
  return 0;
}

/* Removes the agent's socket if it is still the one this node bound: a
 * socket put at the path since (another node's) is left alone. */
static void agent_unlink(io_t *io) {
  struct stat st;
  if (io->have_agent && io->agent_ino && lstat(io->agent_path, &st) == 0 &&
      st.st_dev == io->agent_dev && st.st_ino == io->agent_ino)
    unlink(io->agent_path);
}

/* ---- running ------------------------------------------------------------------ */

static void close_walk(uv_handle_t *handle, void *arg) {
  (void)arg;
  if (uv_is_closing(handle))
    return;
  /* Handles allocated one by one (peers' polls, agent connections) free
   * themselves in their close callbacks. */
  io_t *io = handle->loop->data;
  bool embedded = (void *)handle >= (void *)io && (void *)handle < (void *)(io + 1);
  if (handle->type == UV_NAMED_PIPE && !embedded)
    uv_close(handle, agent_closed);
  else
    uv_close(handle, embedded ? NULL : free_handle);
}

static int bind_udp(io_t *io, uv_udp_t *u, uint16_t port, bool reuse, rv_node_t *n) {
  struct sockaddr_in any;
  uv_ip4_addr("0.0.0.0", port, &any);
  if (uv_udp_init(&io->loop, u) != 0)
    return RV_EIO;
  u->data = n;
  if (uv_udp_bind(u, (const struct sockaddr *)&any, reuse ? UV_UDP_REUSEADDR : 0) != 0)
    return RV_EIO;
  uv_udp_set_broadcast(u, 1);
  uv_udp_recv_start(u, alloc_datagram, on_datagram);
  return 0;
}

/* The loop's services to the files below node.c (internal.handle). */
static const node_ops_t node_ops = {
    .watch = watch_dealer,
    .unwatch = unwatch_dealer,
    .send = rv__link_send,
    .first_address = first_address,
};

/* The node's codecs, ZeroMQ context and keys, and the loop's own handles
 * (signals, the tick, the check and idle that service the sockets, the
 * store's settle timer). */
static int open_node(rv_node_t *n, io_t *io) {
  int r;
  if ((r = rv_home_curve_keys(n->home, n->pk, n->sk)) < 0 || (r = rv_enc_new(&n->enc)) < 0 ||
      (r = rv_enc_new(&n->batch)) < 0 || (r = rv_dec_new(&n->dec)) < 0 ||
      (r = rv_dec_new(&n->place_dec)) < 0 || (r = rv__wire_new(&n->wire)) < 0)
    return r;
  uv_signal_init(&io->loop, &io->sigint);
  uv_signal_init(&io->loop, &io->sigterm);
  io->sigint.data = io->sigterm.data = n;
  uv_signal_start(&io->sigint, on_signal, SIGINT);
  uv_signal_start(&io->sigterm, on_signal, SIGTERM);
  uv_timer_init(&io->loop, &io->tick);
  io->tick.data = n;
  uv_check_init(&io->loop, &io->check);
  io->check.data = n;
  uv_check_start(&io->check, on_check);
  uv_idle_init(&io->loop, &io->idle);
  io->idle.data = n;
  uv_timer_init(&io->loop, &io->settle);
  io->settle.data = n;
  return 0;
}

/* A running node: the agent's socket, the ROUTER and its ZAP handler, and
 * the UDP ports for beacons and probes. why says what failed. */
static int listen_node(rv_node_t *n, io_t *io, char *why, size_t why_cap) {
  char endpoint[64];
  int r;
  if ((r = agent_listen(n)) < 0) {
    snprintf(why, why_cap, "%s",
             r == RV_EEXIST    ? "a node is already running for this home"
             : r == RV_ETOOBIG ? "the home's path is too long for the agent's socket (at "
                                 "most about 100 characters): use a shorter --home"
                               : "cannot make the agent's socket in the home");
    return r;
  }
  snprintf(endpoint, sizeof endpoint, "tcp://0.0.0.0:%u", (unsigned)n->port);
  if ((r = rv__wire_listen(n->wire, endpoint, n->pk, n->sk, &n->router, &n->zap, why, why_cap)) < 0)
    return r;
  uv_poll_init(&io->loop, &io->router_poll, rv__sock_fd(n->router));
  uv_poll_init(&io->loop, &io->zap_poll, rv__sock_fd(n->zap));
  io->router_poll.data = io->zap_poll.data = n;
  uv_poll_start(&io->router_poll, UV_READABLE, on_poll);
  uv_poll_start(&io->zap_poll, UV_READABLE, on_poll);
  io->have_router = true;
  if (bind_udp(io, &io->beacons, n->beacon_port, true, n) < 0) {
    snprintf(why, why_cap, "cannot listen for beacons on UDP port %u", (unsigned)n->beacon_port);
    return RV_EIO;
  }
  io->have_beacons = true;
  if (bind_udp(io, &io->probes, n->port, false, n) < 0) {
    snprintf(why, why_cap, "cannot use UDP port %u", (unsigned)n->port);
    return RV_EIO;
  }
  io->have_probes = true;
  return 0;
}

/* A one-off sync: no ROUTER; beacons are heard (shared port) and probes
 * sent from a port of the system's choosing. */
static int listen_sync(rv_node_t *n, io_t *io) {
  if (bind_udp(io, &io->beacons, n->beacon_port, true, n) == 0)
    io->have_beacons = true;
  if (bind_udp(io, &io->probes, 0, false, n) < 0)
    return RV_EIO;
  io->have_probes = true;
  return 0;
}

/* Everything the loop runs on, the store watched, the --peer addresses
 * checked: 0, or RV_E* with why. */
static int start_node(rv_node_t *n, io_t *io, char *why, size_t why_cap) {
  int r = open_node(n, io);
  if (r == 0)
    r = n->cfg.oneshot ? listen_sync(n, io) : listen_node(n, io, why, why_cap);
  if (r < 0)
    return r;
  if (uv_fs_event_init(&io->loop, &io->store_watch) == 0) {
    io->store_watch.data = n;
    io->have_watch = uv_fs_event_start(&io->store_watch, on_store, rv_home_dir(n->home), 0) == 0;
  }
  for (size_t i = 0; i < n->cfg.npeers; i++) {
    struct sockaddr_in a;
    if (rv__parse_tcp(n->cfg.peers[i], &a) < 0) {
      snprintf(why, why_cap, "'%s' is not tcp://IPv4:PORT", n->cfg.peers[i]);
      return RV_EINVAL;
    }
  }
  return 0;
}

/* Stops: every peer's socket, then the handles, then ZeroMQ. A one-off
 * sync lets what it queued reach the peers first (up to LINGER_MS). */
static void stop_node(rv_node_t *n, io_t *io) {
  for (size_t i = 0; i < n->npeers; i++) {
    if (n->cfg.oneshot && n->peers[i]->dealer)
      rv__sock_linger(n->peers[i]->dealer, LINGER_MS);
    unwatch_dealer(n, n->peers[i]);
    rv__peer_free(n->peers[i]);
  }
  n->npeers = 0;
  uv_walk(&io->loop, close_walk, NULL);
  uv_run(&io->loop, UV_RUN_DEFAULT);
  uv_loop_close(&io->loop);
  agent_unlink(io);
  rv__sock_close(&n->router);
  rv__sock_close(&n->zap);
  rv__wire_destroy(&n->wire);
  rv_enc_destroy(&n->enc);
  rv_enc_destroy(&n->batch);
  rv_dec_destroy(&n->dec);
  rv_dec_destroy(&n->place_dec);
  rv_buf_release(&n->msg.body);
  rv_wipe(n->sk, sizeof n->sk);
  rv_wipe(n->invites, sizeof n->invites);
}

/* Starts the node and runs its loop until it stops. */
static int run_node(rv_node_t *n, io_t *io, char *why, size_t why_cap) {
  int r = start_node(n, io, why, why_cap);
  if (r < 0)
    return r;
  if (!n->cfg.oneshot)
    rv__node_log(n, "listening on port %u (beacons on UDP %u)", (unsigned)n->port,
                 (unsigned)n->beacon_port);
  on_tick(&io->tick);
  uv_timer_start(&io->tick, on_tick, TICK_MS, TICK_MS);
  if (!n->stop)
    uv_run(&io->loop, UV_RUN_DEFAULT);
  if (n->cfg.oneshot) {
    rv__sync_settled(n); /* counts the peers reached */
    if (n->result.peers_reached == 0)
      r = RV_ENOTFOUND;
  }
  return r;
}

int rv_node_run(const rv_node_config_t *cfg, rv_node_result_t *ret, char *why, size_t why_cap) {
  /* Both in guarded memory (locked, fenced, wiped when freed): the node
   * holds the CURVE secret and the invitations' secrets, the loop this
   * second's beacon keys. */
  rv_node_t *n = rv_secure_alloc(sizeof *n);
  io_t *io = rv_secure_alloc(sizeof *io);
  snprintf(why, why_cap, "cannot start the node");
  if (!n || !io) {
    rv_secure_free(n);
    rv_secure_free(io);
    return RV_ENOMEM;
  }
  memset(n, 0, sizeof *n);
  memset(io, 0, sizeof *io);
  rv_buf_init(&n->msg.body);
  n->cfg = *cfg;
  n->ops = &node_ops;
  n->home = cfg->home;
  n->io = io;
  n->port = cfg->port ? cfg->port : RV_NODE_PORT;
  n->beacon_port = cfg->beacon_port ? cfg->beacon_port : RV_NODE_BEACON_PORT;
  io->started_ms = rv_now_ms();
  /* A peer or a command that goes away mid-write must not stop the node. */
  signal(SIGPIPE, SIG_IGN);
  int r = RV_EIO;
  if (uv_loop_init(&io->loop) == 0) {
    io->loop.data = io;
    r = run_node(n, io, why, why_cap);
    stop_node(n, io);
  }
  if (ret)
    *ret = n->result;
  rv_secure_free(io);
  rv_secure_free(n);
  return r;
}

void rv_net_versions(char *out, size_t cap) {
  char z[64];
  rv__wire_version(z, sizeof z);
  snprintf(out, cap, "%s, libuv %s", z, uv_version_string());
}
