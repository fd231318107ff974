/*
 * The node's commands: `node` runs it in the foreground, `peers` asks the
 * running node what it sees, `sync` syncs once with whoever is reachable
 * and exits.
 */
#include "cli.h"
#include "revans/error.h"
#include "revans/node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SYNC_TIMEOUT_S 10

#ifndef REVANS_HANDS_NETWORK_TO_NODE
static void log_line(void *ctx, const char *line) {
  struct timespec ts;
  struct tm tm;
  char when[16];
  (void)ctx;
  clock_gettime(CLOCK_REALTIME, &ts);
  localtime_r(&ts.tv_sec, &tm);
  strftime(when, sizeof when, "%H:%M:%S", &tm);
  fprintf(stderr, "revans node: %s.%03ld %s\n", when, ts.tv_nsec / 1000000, line);
  fflush(stderr);
}

/* --port N, --beacon-port N and every --peer of c into cfg. */
static int node_options(cli_t *c, rv_node_config_t *cfg, const char **peers, size_t cap) {
  const char *port = cli_opt(c, "port"), *beacon = cli_opt(c, "beacon-port");
  uint64_t v;
  memset(cfg, 0, sizeof *cfg);
  if (port) {
    if (cli_parse_uint(port, 1, 65535, &v) < 0)
      return cli_usage(c, "--port takes a port number (1-65535)");
    cfg->port = (uint16_t)v;
  }
  if (beacon) {
    if (cli_parse_uint(beacon, 1, 65535, &v) < 0)
      return cli_usage(c, "--beacon-port takes a port number (1-65535)");
    cfg->beacon_port = (uint16_t)v;
  }
  for (size_t i = 0; i < c->nopt; i++)
    if (strcmp(c->opt[i].name, "peer") == 0) {
      if (cfg->npeers == cap)
        return cli_usage(c, "at most %zu --peer", cap);
      if (strncmp(c->opt[i].value, "tcp://", 6) != 0)
        return cli_usage(c, "--peer takes tcp://HOST:PORT");
      peers[cfg->npeers++] = c->opt[i].value;
    }
  cfg->peers = peers;
  cfg->log = log_line;
  return 0;
}
#endif

static int run_node(cli_t *c) {
#ifdef REVANS_HANDS_NETWORK_TO_NODE
  return cli_hand_to_node(c);
#else
  rv_node_config_t cfg;
  const char *peers[16];
  char why[256];
  int r;
  if (cli_no_args(c))
    return 2;
  if ((r = node_options(c, &cfg, peers, 16)))
    return r;
  if (cli_open(c, true))
    return 1;
  cfg.home = c->home;
  r = rv_node_run(&cfg, NULL, why, sizeof why);
  if (r < 0)
    return cli_fail("%s", why);
  return 0;
#endif
}

static int run_sync(cli_t *c) {
#ifdef REVANS_HANDS_NETWORK_TO_NODE
  return cli_hand_to_node(c);
#else
  rv_node_config_t cfg;
  rv_node_result_t res;
  const char *peers[16], *timeout = cli_opt(c, "timeout");
  char why[256];
  uint64_t t = SYNC_TIMEOUT_S;
  int r;
  if (cli_no_args(c))
    return 2;
  if ((r = node_options(c, &cfg, peers, 16)))
    return r;
  if (timeout && cli_parse_uint(timeout, 1, 3600, &t) < 0)
    return cli_usage(c, "--timeout takes seconds (1-3600)");
  if (cli_open(c, true))
    return 1;
  cfg.home = c->home;
  cfg.oneshot = true;
  cfg.timeout_s = (double)t;
  cfg.log = c->json ? NULL : log_line;
  r = rv_node_run(&cfg, &res, why, sizeof why);
  if (r == RV_ENOTFOUND)
    return cli_fail("no peer was reached in %llu s", (unsigned long long)t);
  if (r < 0)
    return cli_fail("%s", why);
  jv_t *o = jv_obj();
  jv_set(o, "peers", jv_int((int64_t)res.peers_reached));
  jv_set(o, "received", jv_int((int64_t)res.received));
  jv_set(o, "sent", jv_int((int64_t)res.sent));
  return cli_emit(c, o);
#endif
}

static int run_peers(cli_t *c) {
  rv_agent_peer_t *peers = NULL;
  size_t n = 0;
  uint16_t port = 0;
  if (cli_no_args(c))
    return 2;
  if (cli_open(c, false))
    return 1;
  int r = rv_agent_peers(rv_home_dir(c->home), &peers, &n, &port);
  if (r == RV_ENOTFOUND)
    return cli_fail("no node is running for this home: start one with 'revans node'");
  if (r < 0)
    return cli_error(r, "cannot ask the node");
  jv_t *a = jv_arr();
  for (size_t i = 0; i < n; i++) {
    char id[2 * RV_ID_LEN + 1], when[32] = "";
    jv_t *o = jv_obj();
    rv_hex(id, peers[i].id.b, 8);
    jv_set(o, "id", jv_str(id));
    jv_set(o, "address", peers[i].address[0] ? jv_str(peers[i].address) : jv_null());
    jv_set(o, "connected", jv_bool(peers[i].connected));
    jv_set(o, "sets", jv_int((int64_t)peers[i].nsets));
    if (peers[i].last_sync_ms)
      cli_local_time(when, peers[i].last_sync_ms);
    jv_set(o, "last_sync", when[0] ? jv_str(when) : jv_null());
    jv_set(o, "received", jv_int((int64_t)peers[i].received));
    jv_set(o, "sent", jv_int((int64_t)peers[i].sent));
    jv_set(o, "refused", peers[i].refused[0] ? jv_str(peers[i].refused) : jv_null());
    jv_push(a, o);
  }
  free(peers);
  return cli_emit(c, a);
}

static const cli_opt_t node_opts[] = {
    {"port", true}, {"beacon-port", true}, {"peer", true}, {NULL, false}};
static const cli_opt_t sync_opts[] = {
    {"beacon-port", true}, {"peer", true}, {"timeout", true}, {NULL, false}};

const cli_cmd_t cli_node_cmds[] = {
    {"node", "[--port N] [--peer tcp://HOST:PORT]... [--beacon-port N]",
     "Runs this home's node in the foreground until Ctrl-C or SIGTERM: it finds the other "
     "members' nodes on the local network by UDP beacons (port 7391), listens on TCP port N "
     "(default 7390; CURVE-encrypted, members only) and keeps every set in step, pushing each "
     "new record as it is written. --peer connects to a node broadcasts do not reach. While it "
     "runs, this user's commands need no passphrase. One line per event on stderr.",
     node_opts, run_node},
    {"peers", "",
     "Lists what the running node sees: [{id, address, connected, sets, last_sync, received, "
     "sent, refused}].",
     NULL, run_peers},
    {"sync", "[--peer tcp://HOST:PORT]... [--timeout S] [--beacon-port N]",
     "Syncs once, without a running node: finds peers by their beacons (or the given ones), "
     "exchanges what each side lacks, and exits 0 when every peer reached is up to date, 1 if "
     "none was reached within S seconds (default 10).",
     sync_opts, run_sync},
    {NULL, NULL, NULL, NULL, NULL},
};
