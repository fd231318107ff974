/*
 * Runs a fuzz target over files, without libFuzzer: the kept corpus and
 * every crash once found, as regression tests in every build.
 */
#include "fixture.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
  int failed = 0;
  for (int i = 1; i < argc; i++) {
    FILE *f = fopen(argv[i], "rb");
    if (!f) {
      fprintf(stderr, "cannot read %s\n", argv[i]);
      failed = 1;
      continue;
    }
    static uint8_t buf[4 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    LLVMFuzzerTestOneInput(buf, n);
  }
  printf("%d inputs\n", argc - 1);
  return failed;
}
