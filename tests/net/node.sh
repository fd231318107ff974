#!/usr/bin/env bash
# Real `revans node` processes on loopback: three members join by
# invitation code and stay in step; a question asked on one node reaches
# the presenter's within a second; commands run without the passphrase
# while the node runs; a stranger gets nothing; garbage, oversized and
# malformed messages leave the node serving; SIGTERM stops it with 0.
. "$(dirname "$0")/../cli/lib.sh"
: "${RAWPEER:?RAWPEER must name the rawpeer test program}"

# Beacons on loopback only: a test never sends to any other address.
export REVANS_BEACON_IF=lo
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

# Free loopback ports for this run (tests run side by side).
read -r PA PB PC PBEACON < <(python3 - <<'EOF'
import socket
socks = []
for _ in range(4):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 0))
print(*[s.getsockname()[1] for s in socks[:3]], u.getsockname()[1])
EOF
)

# start_node HOME PORT NAME: runs the node in the background; $NODE_PID.
start_node() {
  # The program itself in the background (not through a shell function),
  # so that $! is the node and signals reach it.
  "$REVANS" --home "$1" node --port "$2" --beacon-port "$PBEACON" 2>"$T/$3.log" &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  wait_for 5 grep -q "listening on port $2" "$T/$3.log" || fail "node $3 did not start: $(cat "$T/$3.log")"
}

same_hash() {
  local a b
  a=$(rv --home "$1" state-hash 2>/dev/null) && b=$(rv --home "$2" state-hash 2>/dev/null) && [ -n "$a" ] && [ "$a" = "$b" ]
}

A=$T/a B=$T/b C=$T/c S=$T/s E=$T/e
A_ID=$(new_home "$A" Ada)
new_home "$B" Ben >/dev/null
new_home "$C" Cy >/dev/null
E_ID=$(new_home "$E" Eve)
rv --home "$A" set create "Reflective practice" >/dev/null
# Eve, a member invited offline, runs no node: she plays the hostile insider.
rv --home "$A" set invite --for "$E_ID" --out "$T/eve.invite" >/dev/null || fail "invite Eve"
rv --home "$E" set join "$T/eve.invite" >/dev/null || fail "Eve joins"

# Invitation codes need the node.
expect_exit 1 rv --home "$A" set invite
grep -q "running node" "$T/err" && ok || fail "no hint to start the node"

start_node "$A" "$PA" a
PID_A=$NODE_PID

# While the node runs, the same user's commands need no passphrase.
expect_exit 0 env -u REVANS_PASSPHRASE "$REVANS" --home "$A" set list --json
expect_exit 1 env -u REVANS_PASSPHRASE "$REVANS" --home "$B" set list

# Ben joins by code (read out; lower case and spaces forgiven).
expect_exit 0 rv --home "$A" set invite --json
CODE=$(json "$T/out" 'j["code"]')
LOWER=$(echo "$CODE" | tr 'A-Z-' 'a-z ')
expect_exit 0 rv --home "$B" set join "$LOWER" --timeout 10 --json
same "$(json "$T/out" 'j["name"]')" "Reflective practice" "Ben joined the set by code"
# One use.
expect_exit 1 rv --home "$C" set join "$CODE" --timeout 2
expect_exit 1 rv --home "$C" set join "NOT-A-CODE"
start_node "$B" "$PB" b

# Cy joins as facilitator through Ben's... no: codes come from facilitators.
expect_exit 1 rv --home "$B" set invite
grep -q "only a facilitator" "$T/err" && ok || fail "a member made an invitation: $(cat "$T/err")"
expect_exit 0 rv --home "$A" set invite --json
CODE=$(json "$T/out" 'j["code"]')
expect_exit 0 rv --home "$C" set join "$CODE" --peer "tcp://127.0.0.1:$PA"
start_node "$C" "$PC" c

# Three nodes, one state.
wait_for 10 same_hash "$A" "$B" && ok || fail "A and B did not converge"
wait_for 10 same_hash "$A" "$C" && ok || fail "A and C did not converge"
expect_exit 0 rv --home "$B" set members --json
same "$(json "$T/out" 'sorted(m["name"] for m in j if m["joined"])')" "['Ada', 'Ben', 'Cy']" \
  "every node knows every member by name"
expect_exit 0 rv --home "$A" peers --json
same "$(json "$T/out" 'sum(1 for p in j if p["connected"])')" 2 "A sees two connected peers"

# A meeting through the nodes; Ben presents; Cy's question reaches Ben live.
in_step() { wait_for 10 same_hash "$A" "$B" && wait_for 10 same_hash "$A" "$C"; }
rv --home "$A" meeting schedule --at "2026-12-01 09:30" --past --minutes 60 >/dev/null
in_step
rv --home "$A" meeting start >/dev/null
in_step
for h in "$A" "$B" "$C"; do rv --home "$h" attend >/dev/null || fail "attend"; done
in_step
rv --home "$A" meeting next >/dev/null
in_step
rv --home "$B" bid "The rota" --minutes 20 >/dev/null
in_step
rv --home "$A" allocate >/dev/null
in_step
rv --home "$A" meeting next >/dev/null
in_step
rv --home "$B" present >/dev/null || fail "Ben cannot present"
rv --home "$A" meeting questions >/dev/null || fail "Ada cannot move Ben's slot to questions"
in_step
seen_question() { rv --home "$B" questions --json | grep -q "$1"; }
for q in "What matters most to you here?" "What have you tried so far?" "Who else sees it?"; do
  expect_exit 0 rv --home "$C" ask "$q"
  t0=$(date +%s%N)
  if wait_for 1 seen_question "$q"; then
    ok
    echo "question on the presenter's wall after $((($(date +%s%N) - t0) / 1000000)) ms"
  else
    fail "'$q' was not on the presenter's wall within 1 s"
  fi
done

# A stranger with --peer gets nothing: no beacon it can read, no set.
new_home "$S" Sam >/dev/null
rv --home "$S" set create "Elsewhere" >/dev/null
expect_exit 1 rv --home "$S" sync --peer "tcp://127.0.0.1:$PA" --timeout 3
grep -q "no peer was reached" "$T/err" && ok || fail "the stranger's sync said: $(cat "$T/err")"
expect_exit 0 rv --home "$S" set list --json
same "$(json "$T/out" 'len(j)')" 1 "the stranger holds only its own set"
# Even knowing the node's key, the stranger is refused by the ZAP handler.
same "$("$RAWPEER" curve "tcp://127.0.0.1:$PA" "$A_ID" - hello)" "no reply" "a stranger's hello"
wait_for 3 grep -q "refused a connection" "$T/a.log" && ok || fail "the refusal was not logged"
# A member's hello is answered.
same "$("$RAWPEER" curve "tcp://127.0.0.1:$PA" "$A_ID" "$E" hello)" "reply" "a member's hello"

# Garbage and oversized frames, and malformed messages from a member: the
# node drops them, refuses that member for a while, and keeps serving the
# others.
expect_exit 0 "$RAWPEER" tcp 127.0.0.1 "$PA"
for m in garbage badvv oversized forged; do
  expect_exit 0 "$RAWPEER" curve "tcp://127.0.0.1:$PA" "$A_ID" "$E" "$m"
done
wait_for 3 grep -q "refused: sent" "$T/a.log" && ok || fail "the hostile member was not refused"
same "$("$RAWPEER" curve "tcp://127.0.0.1:$PA" "$A_ID" "$E" hello)" "no reply" "a refused member's hello"
kill -0 "$PID_A" 2>/dev/null && ok || fail "node A died"
# Beacons made with the set's key but naming strangers take no place in
# the peer table.
expect_exit 0 "$RAWPEER" fakebeacons "$E" "$PA"
sleep 0.5
expect_exit 0 rv --home "$A" peers --json
[ "$(json "$T/out" 'len(j)')" -le 3 ] && ok || fail "forged beacons filled A's peer table: $(json "$T/out" 'len(j)')"
# A member's node that answers with a two-frame message is refused; the
# syncing node survives it (exit 1: nobody else was reached).
read -r PEVIL < <(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$RAWPEER" evilnode "$E" "$PEVIL" 6 >"$T/evil.out" &
EVIL_PID=$!
sleep 0.3
expect_exit 1 rv --home "$B" sync --peer "tcp://127.0.0.1:$PEVIL" --beacon-port "$PEVIL" --timeout 3
wait "$EVIL_PID"
grep -q "answered [1-9]" "$T/evil.out" && ok || fail "the evil node was never reached: $(cat "$T/evil.out")"
rv --home "$B" contract add "We keep what is said here" >/dev/null
wait_for 10 same_hash "$A" "$B" && ok || fail "A stopped serving Ben after the hostile messages"
expect_exit 0 rv --home "$A" verify

# `connected` holds only while a connection is live: Cy's node stopped,
# A shows Cy not connected within seconds (pings go unanswered, or
# nothing comes on Cy's connection), not once the last message is old.
C_ID=$(rv --home "$C" whoami --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
connected() {
  rv --home "$1" peers --json >"$T/peers" &&
    python3 -c 'import json, sys
peers = json.load(open(sys.argv[1]))
sys.exit(0 if any(p["id"] == sys.argv[2] and p["connected"] for p in peers) else 1)' "$T/peers" "$2"
}
not_connected() { ! connected "$@"; }
wait_for 5 connected "$A" "${C_ID:0:16}" && ok || fail "A does not see Cy connected"

# A one-off sync from a member without a node.
rv --home "$A" contract add "Phones away" >/dev/null
kill -TERM "$NODE_PID" # Cy's node
wait "$NODE_PID"
same "$?" 0 "Cy's node exits 0 on SIGTERM"
wait_for 9 not_connected "$A" "${C_ID:0:16}" && ok ||
  fail "A still shows Cy connected 9 s after Cy's node stopped: $(cat "$T/peers")"
rv --home "$A" contract add "Start on time" >/dev/null
expect_exit 0 rv --home "$C" sync --beacon-port "$PBEACON" --timeout 10
wait_for 5 same_hash "$A" "$C" && ok || fail "sync did not bring Cy up to date: $(cat "$T/err"; tail -n 8 "$T/a.log" "$T/b.log")"

# Removal: Cy's node is refused at once and reads nothing written after.
start_node "$C" "$PC" c
PID_C=$NODE_PID
wait_for 10 same_hash "$A" "$C" && ok || fail "Cy's node did not catch up"
expect_exit 0 rv --home "$A" set remove Cy
wait_for 5 grep -q "peer ${C_ID:0:16} refused: is not a member" "$T/a.log" && ok ||
  fail "A did not drop Cy's node: $(tail -n 5 "$T/a.log")"
wait_for 10 same_hash "$A" "$B" && ok || fail "B did not learn of the removal"
wait_for 5 grep -q "peer ${C_ID:0:16} refused: is not a member" "$T/b.log" && ok ||
  fail "B did not drop Cy's node: $(tail -n 5 "$T/b.log")"
rv --home "$A" contract add "AfterRemovalMarker9q" >/dev/null
wait_for 10 same_hash "$A" "$B" && ok || fail "A and B no longer converge after the removal"
sleep 1
if rv --home "$C" contract --json 2>/dev/null | grep -q AfterRemovalMarker9q; then
  fail "the removed member's node received a record written after the removal"
else ok; fi
same "$("$RAWPEER" curve "tcp://127.0.0.1:$PA" "$A_ID" "$C" hello)" "no reply" "a removed member's hello"
kill -TERM "$PID_C"
wait "$PID_C"

# SIGTERM: a clean stop within 2 s, exit 0, no agent socket left.
t0=$(date +%s%N)
kill -TERM "$PID_A"
wait "$PID_A"
same "$?" 0 "node A exits 0 on SIGTERM"
[ $((($(date +%s%N) - t0) / 1000000)) -lt 2000 ] && ok || fail "node A took over 2 s to stop"
[ ! -e "$A/agent.sock" ] && ok || fail "the agent's socket was left behind"
expect_exit 1 env -u REVANS_PASSPHRASE "$REVANS" --home "$A" set list

finish
