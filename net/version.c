/*
 * Versions of the libraries the node is built on, as linked at run time
 * (not as compiled), with whether libzmq offers CURVE, which the node
 * requires.
 */
#include "revans/net.h"

#include <stdio.h>
#include <uv.h>
#include <zmq.h>

void rv_net_versions(char *out, size_t cap) {
  int major, minor, patch;
  zmq_version(&major, &minor, &patch);
  snprintf(out, cap, "libzmq %d.%d.%d%s, libuv %s", major, minor, patch,
           zmq_has("curve") ? " (CURVE)" : " (no CURVE)", uv_version_string());
}
