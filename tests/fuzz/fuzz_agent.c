/* Fuzz target: a request on the node's agent socket (agent.c), as the
 * same user's commands send them. */
#include "fixture.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fixture_t *f = fuzz_fixture();
  rv_enc_t *out = NULL;
  if (rv_enc_new(&out) < 0)
    return 0;
  rv__agent_answer(&f->node, data, size, out);
  rv_enc_destroy(&out);
  /* An "invite" request opens an invitation: close them again. */
  for (size_t i = 0; i < RV_INVITES_MAX; i++)
    f->node.invites[i].live = false;
  return 0;
}
