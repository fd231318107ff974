/* Fuzz target: a bundle or an invitation file applied to a home (the
 * transaction is aborted: the home stays as it was). */
#include "fixture.h"

#include "revans/bundle.h"
#include "revans/set.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fixture_t *f = fuzz_fixture();
  rv_ingest_report_t rep;
  rv_set_id_t set;
  if (rv_home_begin(f->home, true) == 0) {
    rv_bundle_apply(f->home, data, size, &rep);
    rv_home_abort(f->home);
  }
  if (rv_home_begin(f->home, true) == 0) {
    rv_set_join(f->home, data, size, &set);
    rv_home_abort(f->home);
  }
  return 0;
}
