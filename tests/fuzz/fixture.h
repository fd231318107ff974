/*
 * What the fuzz targets share: a home made once per process (cheap
 * Argon2id costs, in a temporary directory removed at exit) holding one
 * set with two members, and a node around it for the targets that feed
 * the node's decoders. Each target is one LLVMFuzzerTestOneInput; built
 * with libFuzzer (tools/fuzz, and briefly in tools/test) or with
 * standalone.c, which runs it over files (the kept corpus and crashes).
 */
#ifndef REVANS_FUZZ_FIXTURE_H
#define REVANS_FUZZ_FIXTURE_H

#include "internal.h"

#include <stddef.h>
#include <stdint.h>

typedef struct fixture {
  rv_home_t *home; /* Ada's: facilitator of the set */
  rv_set_id_t set;
  rv_member_id_t ben; /* the other member */
  rv_node_t node;     /* around home: no sockets, no loop */
  peer_t *peer;       /* Ben, sharing the set */
} fixture_t;

/* The process's fixture, made on first use. */
fixture_t *fuzz_fixture(void);
/* Ben's peer entry made fresh (not refused, belief empty). */
void fuzz_reset_peer(fixture_t *f);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
