/* Fuzz target: a UDP datagram on the beacon port (beacon.c), decoded and
 * tried against the set's beacon keys, as a node does. */
#include "fixture.h"

#include "revans/peer.h"

#include <time.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fixture_t *f = fuzz_fixture();
  rv_beacon_t b;
  uint8_t keys[2][32];
  size_t nk = 0;
  if (rv__beacon_decode(f->node.dec, data, size, &b) < 0 || b.probe)
    return 0;
  if (rv_home_begin(f->home, false) < 0)
    return 0;
  int r = rv_peer_beacon_keys(f->home, &f->set, keys, &nk);
  rv_home_abort(f->home);
  for (size_t i = 0; r == 0 && i < b.nentries; i++)
    for (size_t k = 0; k < nk; k++) {
      rv_member_id_t who;
      rv__beacon_match(&b, i, keys[k], (uint64_t)time(NULL), &who);
    }
  return 0;
}
