/* Fuzz target: a file given to `revans journal import`, through both of
 * its decoders. The bytes as JSON (jrnl's export or revans's own), each
 * entry mapped as import maps it (journal_io.c) and made a journal entry
 * (core/jrnl.c); and the same bytes as jrnl's plain-text journal file,
 * each entry found made a journal entry. */
#include "journal_io.h"
#include "revans/jrnl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int to_entry(void *ctx, const rv_jrnl_entry_t *j, size_t index) {
  rv_entry_t e;
  const char *why = NULL;
  (void)ctx;
  rv_jrnl_to_entry(j, &e, &why);
  rv_entry_release(&e);
  return index < 10000 ? 0 : 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  size_t skipped;
  rv_jrnl_txt_parse((const char *)data, size, to_entry, NULL, &skipped);
  jv_t *doc = jv_parse((const char *)data, size, err, sizeof err);
  if (!doc)
    return 0;
  const jv_t *entries = jv_is_array(doc) ? doc : jv_get(doc, "entries");
  for (size_t i = 0; jv_is_array(entries) && i < jv_len(entries) && i < 1000; i++) {
    rv_jrnl_entry_t j;
    const char **tags = NULL, *why = NULL;
    if (cli_journal_json_entry(jv_at(entries, i), &j, &tags, &why) == 0)
      to_entry(NULL, &j, i);
    free(tags);
  }
  jv_free(doc);
  return 0;
}
