#!/usr/bin/env bash
# The house keeps its shape: no file circles and no function over 80 lines
# in core, net and cli (tools/house --check), and the code laid out as
# .clang-format says (clang-format 14's --dry-run -Werror).
set -euo pipefail
cd "$(dirname "$0")/.."
fail=0
if ! out=$(tools/house --check); then
  printf '%s\n' "$out" | sed -n '1,/^files/p' >&2
  echo "house: a circle or a function over 80 lines (tools/house)" >&2
  fail=1
fi
mapfile -t files < <(git ls-files 'core/*.[ch]' 'net/*.[ch]' 'cli/*.[ch]' 2>/dev/null ||
  find core net cli -name '*.[ch]')
[ ${#files[@]} -gt 0 ] || { echo "house: no sources found" >&2; exit 1; }
if ! fmt=$(clang-format --dry-run -Werror "${files[@]}" 2>&1); then
  printf '%s\n' "$fmt" | head -20 >&2
  echo "house: code not laid out as .clang-format says (clang-format -i FILE fixes it)" >&2
  fail=1
fi
[ $fail -eq 0 ] && echo "house: no circles, no function over 80 lines, laid out as .clang-format says"
exit $fail
