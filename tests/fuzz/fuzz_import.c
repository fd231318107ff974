/* Fuzz target: a file given to `revans journal import` (jrnl's JSON
 * export or revans's own): the JSON, then each entry read as import
 * reads it (cmd_journal.c). */
#include "cli.h"
#include "json.h"
#include "revans/journal.h"

#include <stdint.h>
#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[256];
  jv_t *doc = jv_parse((const char *)data, size, err, sizeof err);
  if (!doc)
    return 0;
  const jv_t *entries = jv_is_array(doc) ? doc : jv_get(doc, "entries");
  for (size_t i = 0; jv_is_array(entries) && i < jv_len(entries) && i < 1000; i++) {
    rv_entry_t e;
    if (jv_is_object(jv_at(entries, i))) {
      cli_journal_import_entry(jv_at(entries, i), i, &e);
      rv_entry_release(&e);
    }
  }
  jv_free(doc);
  return 0;
}
