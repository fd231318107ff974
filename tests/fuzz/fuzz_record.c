/* Fuzz target: a record envelope, a record body and a folded state, as
 * they come from a file or a peer (record.c, body.c, fold.c). */
#include "fixture.h"

#include "revans/body.h"
#include "revans/fold.h"
#include "revans/record.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fixture_t *f = fuzz_fixture();
  rv_dec_t *dec = f->node.dec;
  rv_envelope_t e;
  if (rv_envelope_decode(dec, data, size, &e) == 0) {
    rv_hash_t h;
    rv_envelope_verify(&e);
    rv_envelope_hash(&e, &h);
  }
  rv_body_t b;
  if (rv_body_decode(dec, data, size, &b) == 0)
    rv_body_release(&b);
  rv_state_t s;
  if (rv_state_decode(dec, data, size, &s) == 0)
    rv_state_release(&s);
  return 0;
}
