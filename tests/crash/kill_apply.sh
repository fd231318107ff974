#!/usr/bin/env bash
# Crash consistency of a bundle's application: `revans bundle apply` of a
# 10,000-record bundle is killed with SIGKILL at a seeded random moment,
# 50 times (REVANS_CRASH_SEED, REVANS_CRASH_KILLS). After every kill the
# store opens, `verify` exits 0, and the state is exactly the one before
# the transaction or the one after it; an apply that reported success
# before the kill is never undone.
. "$(dirname "$0")/../cli/lib.sh"
: "${MKLOG:?MKLOG must name the mklog test program}"
SEED=${REVANS_CRASH_SEED:-20261122}
KILLS=${REVANS_CRASH_KILLS:-50}
RANDOM=$SEED

"$MKLOG" "$T/a" "$T/b0" 10000 "$T/a.bundle" || { fail "mklog"; finish; }
BEFORE=$(rv --home "$T/b0" state-hash)
cp -r "$T/b0" "$T/after"
t0=$(date +%s%N)
rv --home "$T/after" bundle apply "$T/a.bundle" >/dev/null || fail "a clean apply"
APPLY_MS=$((($(date +%s%N) - t0) / 1000000))
AFTER=$(rv --home "$T/after" state-hash)
[ "$BEFORE" != "$AFTER" ] && ok || fail "the bundle changed nothing"
echo "seed $SEED: a whole apply takes $APPLY_MS ms; killing at random within $((APPLY_MS * 12 / 10)) ms"

before=0 after=0 done_first=0
for i in $(seq 1 "$KILLS"); do
  rm -rf "$T/b"
  cp -r "$T/b0" "$T/b"
  delay=$((RANDOM % (APPLY_MS * 12 / 10 + 1)))
  "$REVANS" --home "$T/b" bundle apply "$T/a.bundle" >/dev/null 2>&1 &
  pid=$!
  sleep "$(printf '0.%03d' "$delay")"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid"
  code=$?
  if ! rv --home "$T/b" verify >/dev/null 2>"$T/verr"; then
    fail "kill $i (after ${delay} ms): verify failed: $(head -c 300 "$T/verr")"
    continue
  fi
  h=$(rv --home "$T/b" state-hash 2>/dev/null)
  if [ "$code" -eq 0 ]; then
    done_first=$((done_first + 1))
    [ "$h" = "$AFTER" ] && ok || fail "kill $i: the apply reported success, but the state is not the one after it"
  elif [ "$h" = "$BEFORE" ]; then
    before=$((before + 1)); ok
  elif [ "$h" = "$AFTER" ]; then
    after=$((after + 1)); ok
  else
    fail "kill $i (after ${delay} ms): the state is neither before nor after the apply: $h"
  fi
done
echo "$KILLS kills: $before left the state before, $after after (killed after the commit), $done_first finished first"
finish
