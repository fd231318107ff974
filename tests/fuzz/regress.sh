#!/usr/bin/env bash
# regress.sh TARGET DIR...: runs a fuzz target (built with standalone.c)
# over every file in the given directories: the kept corpus and every
# crash once found must go through without a sanitizer report.
set -uo pipefail
exe=$1
shift
files=()
for d in "$@"; do
  [ -d "$d" ] || continue
  while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f -print0)
done
if [ "${#files[@]}" -eq 0 ]; then
  echo "no inputs in $*" >&2
  exit 1
fi
# stderr of the decoders' own messages is dropped; a crash still fails.
"$exe" "${files[@]}" 2>"${TMPDIR:-/tmp}/revans-regress.$$" || {
  tail -n 30 "${TMPDIR:-/tmp}/revans-regress.$$" >&2
  rm -f "${TMPDIR:-/tmp}/revans-regress.$$"
  exit 1
}
rm -f "${TMPDIR:-/tmp}/revans-regress.$$"
