#!/bin/sh
# man-date.sh SCDOC SOURCE-DIR INPUT OUTPUT: runs scdoc with a date that
# does not depend on the day of the build, so that two builds of the same
# source give the same page: SOURCE_DATE_EPOCH when it is set (as
# reproducible-builds.org asks), else the date of the source's last git
# commit, else the fixed date below (a tarball without git).
set -eu
fallback=1796396971 # 2026-12-04, moved forward by hand at releases
scdoc=$1 src=$2 input=$3 output=$4
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
  SOURCE_DATE_EPOCH=$(git -C "$src" log -1 --format=%ct 2>/dev/null || true)
  [ -n "$SOURCE_DATE_EPOCH" ] || SOURCE_DATE_EPOCH=$fallback
fi
export SOURCE_DATE_EPOCH
"$scdoc" <"$input" >"$output.tmp"
mv "$output.tmp" "$output"
