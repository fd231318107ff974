/* Fuzz target: an invitation code as a person types it (invite.c). */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = malloc(size + 1);
  uint8_t out[16];
  if (!s)
    return 0;
  memcpy(s, data, size);
  s[size] = '\0';
  rv__invite_code_decode(s, out);
  free(s);
  return 0;
}
