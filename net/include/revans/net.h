/*
 * The network side of revans. This version has no node yet: what exists is
 * the report of the transport and event-loop libraries the program is
 * linked with, shown by 'revans --version'. net/ is the only part that
 * includes zmq.h and uv.h, and it depends on core/, never the reverse.
 */
#ifndef REVANS_NET_H
#define REVANS_NET_H

#include <stddef.h>

/* Writes "libzmq X.Y.Z (CURVE), libuv X.Y.Z" into out (NUL-terminated). */
void rv_net_versions(char *out, size_t cap);

#endif
