/* Fuzz target: a message from a member's node (sync.c: hello, vv, recs
 * and anything else), handled by a node without sockets. */
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fixture_t *f = fuzz_fixture();
  fuzz_reset_peer(f);
  rv__sync_message(&f->node, f->peer, data, size);
  return 0;
}
