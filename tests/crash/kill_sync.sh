#!/usr/bin/env bash
# Crash consistency of a live sync: Ben's node, syncing 10,000 records
# from Ada's, is killed with SIGKILL at 50 seeded random moments while Ada
# keeps writing (REVANS_CRASH_SEED, REVANS_CRASH_KILLS). After every kill
# Ben's store opens and `verify` exits 0; whatever Ben's commands reported
# as written survives; at the end the two converge on one state-hash,
# every rule Ada reported written among them.
. "$(dirname "$0")/../cli/lib.sh"
: "${MKLOG:?MKLOG must name the mklog test program}"
SEED=${REVANS_CRASH_SEED:-20261122}
KILLS=${REVANS_CRASH_KILLS:-50}
RANDOM=$SEED
export REVANS_BEACON_IF=lo
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$T"' EXIT
read -r PA PB PBEACON < <(python3 - <<'PY'
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 0))
print(s[0].getsockname()[1], s[1].getsockname()[1], u.getsockname()[1])
PY
)
A=$T/a B=$T/b
"$MKLOG" "$A" "$B" 10000 "$T/a.bundle" || { fail "mklog"; finish; }
"$REVANS" --home "$A" node --port "$PA" --beacon-port "$PBEACON" 2>"$T/a.log" &
PIDS+=($!)

same_hash() {
  local a b
  a=$(rv --home "$A" state-hash 2>/dev/null) && b=$(rv --home "$B" state-hash 2>/dev/null) &&
    [ -n "$a" ] && [ "$a" = "$b" ]
}

written=() agreed=0
for i in $(seq 1 "$KILLS"); do
  "$REVANS" --home "$B" node --port "$PB" --beacon-port "$PBEACON" --peer "tcp://127.0.0.1:$PA" 2>>"$T/b.log" &
  pid=$!
  sleep "$(printf '0.%03d' $((RANDOM % 900)))"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  if rv --home "$B" verify >/dev/null 2>"$T/verr"; then ok; else
    fail "kill $i: Ben's store does not verify: $(head -c 300 "$T/verr")"
  fi
  # Ada writes while Ben is down or syncing; Ben agrees once he can.
  if [ $((i % 5)) -eq 0 ]; then
    rule="Rule written before kill $i"
    rv --home "$A" contract add "$rule" >/dev/null && written+=("$rule")
    rv --home "$B" contract agree >/dev/null 2>&1 && agreed=$((agreed + 1))
  fi
done

# Then Ben's node runs undisturbed: one state, every reported write in it.
"$REVANS" --home "$B" node --port "$PB" --beacon-port "$PBEACON" --peer "tcp://127.0.0.1:$PA" 2>>"$T/b.log" &
PIDS+=($!)
deadline=$(($(date +%s) + 60))
until same_hash; do
  [ "$(date +%s)" -lt "$deadline" ] || break
  sleep 0.1
done
same_hash && ok || fail "Ada and Ben did not converge after the kills"
rv --home "$B" contract --json >"$T/contract.json"
for rule in "${written[@]}"; do
  grep -qF "$rule" "$T/contract.json" && ok || fail "'$rule' was reported written and is missing on Ben's"
done
if [ "$agreed" -gt 0 ]; then
  rv --home "$A" contract --json >"$T/a-contract.json"
  grep -q '"agreed":\["Ben"\]\|"agreed":\[.*"Ben"' "$T/a-contract.json" && ok ||
    fail "Ben's agreement was reported written and did not reach Ada"
fi
echo "$KILLS kills of a syncing node; ${#written[@]} rules written by Ada, $agreed agreements by Ben, all kept"
finish
