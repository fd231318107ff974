# Shared by the whole-program tests: a throwaway directory, the revans
# binary under test, and checks that say what failed. Source it first.
set -uo pipefail

: "${REVANS:?REVANS must name the revans binary}"
T=$(mktemp -d "${TMPDIR:-/tmp}/revans-test.XXXXXX")
trap 'rm -rf "$T"' EXIT
export REVANS_PASSPHRASE="correct horse battery staple"
unset REVANS_HOME XDG_DATA_HOME
export HOME="$T/nohome"
failures=0
checks=0

rv() { "$REVANS" "$@"; }

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

ok() { checks=$((checks + 1)); }

# expect_exit CODE CMD...: runs CMD, checks its exit status; stdout goes to
# $T/out, stderr to $T/err.
expect_exit() {
  local want=$1
  shift
  "$@" >"$T/out" 2>"$T/err"
  local got=$?
  if [ "$got" -ne "$want" ]; then
    fail "exit $got (wanted $want): $* -- stderr: $(head -c 400 "$T/err")"
    return 1
  fi
  if [ "$want" -ne 0 ] && ! grep -q '^revans: ' "$T/err"; then
    fail "no 'revans: ' message on stderr: $*"
    return 1
  fi
  ok
}

# json FILE EXPR: evaluates a Python expression over the JSON document in
# FILE (as j) and prints the result.
json() {
  python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# same A B WHAT
same() {
  if [ "$1" != "$2" ]; then fail "$3: '$1' != '$2'"; else ok; fi
}

# wait_for SECONDS CMD...: runs CMD until it succeeds, for at most SECONDS.
wait_for() {
  local deadline=$(($(date +%s%N) + $1 * 1000000000))
  shift
  while ! "$@" >/dev/null 2>&1; do
    [ "$(date +%s%N)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "$failures of $((checks + failures)) checks failed" >&2
    exit 1
  fi
  echo "all $checks checks passed"
  exit 0
}

# new_home DIR NAME: creates a home and prints its member id.
# new_home DIR NAME: a home for NAME; prints the member id. With $MKHOME
# (tests/cli/mkhome.c) its passphrase is stretched at the cheapest costs,
# so that the many commands of a test do not each spend 90 ms unlocking.
new_home() {
  if [ -n "${MKHOME:-}" ]; then
    "$MKHOME" "$1" "$2" || { fail "mkhome $1"; return 1; }
    return 0
  fi
  rv --home "$1" init --name "$2" >/dev/null || { fail "init $1"; return 1; }
  rv --home "$1" whoami --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}

# A set of two: A creates it, invites B offline, B joins, bundles go both
# ways. Sets A, B (homes) and A_ID, B_ID, SET_ID.
two_members() {
  A=$T/a
  B=$T/b
  A_ID=$(new_home "$A" "Ada")
  B_ID=$(new_home "$B" "Ben")
  rv --home "$A" set create "Reflective practice" --json >"$T/set.json" || fail "set create"
  SET_ID=$(json "$T/set.json" 'j["id"]')
  rv --home "$A" set invite --for "$B_ID" --out "$T/ben.invite" >/dev/null || fail "invite"
  rv --home "$B" set join "$T/ben.invite" >/dev/null || fail "join"
  rv --home "$B" bundle create --out "$T/b.bundle" >/dev/null || fail "bundle create B"
  rv --home "$A" bundle apply "$T/b.bundle" >/dev/null || fail "bundle apply on A"
  rv --home "$A" bundle create --out "$T/a.bundle" >/dev/null || fail "bundle create A"
  rv --home "$B" bundle apply "$T/a.bundle" >/dev/null || fail "bundle apply on B"
}

# A set of three, "Ward leaders": Ada ($A) creates it and invites Ben ($B)
# and Cy ($C) offline; they join (nothing has travelled back to Ada yet).
# Sets A, B, C, B_ID, C_ID and HOMES.
three_members() {
  A=$T/ada B=$T/ben C=$T/cy
  new_home "$A" "Ada" >/dev/null
  B_ID=$(new_home "$B" "Ben")
  C_ID=$(new_home "$C" "Cy")
  HOMES=("$A" "$B" "$C")
  rv --home "$A" set create "Ward leaders" >/dev/null || fail "set create"
  rv --home "$A" set invite --for "$B_ID" --out "$T/b.invite" >/dev/null || fail "invite B"
  rv --home "$A" set invite --for "$C_ID" --out "$T/c.invite" >/dev/null || fail "invite C"
  rv --home "$B" set join "$T/b.invite" >/dev/null || fail "join B"
  rv --home "$C" set join "$T/c.invite" >/dev/null || fail "join C"
}

# Every home of HOMES's records to every other, as USB sticks would carry them.
sync_all() {
  for h in "${HOMES[@]}"; do rv --home "$h" bundle create --out "$h.bundle" >/dev/null || fail "bundle of $h"; done
  for h in "${HOMES[@]}"; do
    for o in "${HOMES[@]}"; do
      [ "$h" = "$o" ] || rv --home "$h" bundle apply "$o.bundle" >/dev/null 2>&1 || fail "apply $o on $h"
    done
  done
}

# as HOME CMD...: CMD succeeds. refused / bad HOME WANT CMD...: CMD exits
# 1 (refused) or 2 (bad, a bad argument) with WANT in its message.
as() { local h=$1; shift; expect_exit 0 rv --home "$h" "$@"; }
refused() { local h=$1 want=$2; shift 2; expect_exit 1 rv --home "$h" "$@" && { grep -q -- "$want" "$T/err" && ok || fail "'$*' refused without '$want': $(cat "$T/err")"; }; }
bad() { local h=$1 want=$2; shift 2; expect_exit 2 rv --home "$h" "$@" && { grep -q -- "$want" "$T/err" && ok || fail "'$*' refused without '$want': $(cat "$T/err")"; }; }
