#!/usr/bin/env bash
# Hostile peers against a real `revans node` on loopback. Ada's node (A)
# is attacked; Ben's node (B), an honest facilitator's, stays connected to
# it throughout. Members with modified programs (rawpeer, with their own
# keys) send: a record with a forged signature; a ciphertext altered after
# signing; a record validly signed whose body does not open under the
# set's key; a replay of everything; a cut frame; a cut record; an
# oversized frame; a fork (two records at one position) in one batch, in
# two, and across two nodes apart; records of a removed member relayed by
# a member, and the removed member itself; a stranger; floods of CURVE and
# raw TCP connections; last, a bad signature inside a member's own run,
# vouched for by the next record (stored, as the member's own word), a
# fork made with such a record across two nodes apart, and the same where
# a batch to Ben's node is full. For each:
# A's log says what it refused and from whom (a frame libzmq drops, over
# 2 MiB or not ZMTP, never reaches the node: there, only that it goes on),
# A stays up, A's state is unchanged where it must be, `verify` on A's
# home finds nothing but the forks planted, a write of Ben's still
# reaches A, and A's state still equals B's. Bounded waits throughout;
# HOSTILE_LOGS=DIR keeps the nodes' logs.
. "$(dirname "$0")/../cli/lib.sh"
: "${RAWPEER:?RAWPEER must name the rawpeer test program}"

# Beacons on loopback only: a test never sends to any other address.
export REVANS_BEACON_IF=lo
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; wait 2>/dev/null
  [ -n "${HOSTILE_LOGS:-}" ] && cp "$T"/*.log "$HOSTILE_LOGS"/; rm -rf "$T"' EXIT
T0=$(date +%s%N)

# Free loopback ports for this run (tests run side by side).
read -r PA PB PB2 PBEACON PALONE < <(python3 - <<'EOF'
import socket
s = [socket.socket() for _ in range(3)]
for x in s: x.bind(("127.0.0.1", 0))
u = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
for x in u: x.bind(("0.0.0.0", 0))
print(*[x.getsockname()[1] for x in s], *[x.getsockname()[1] for x in u])
EOF
)
EP="tcp://127.0.0.1:$PA"

hash_of() { rv --home "$1" state-hash 2>/dev/null; }
same_hash() {
  local a b
  a=$(hash_of "$1") && b=$(hash_of "$2") && [ -n "$a" ] && [ "$a" = "$b" ]
}
alive() { kill -0 "$PID_A" 2>/dev/null && ok || fail "node A died ($1): $(tail -n 5 "$T/a.log")"; }
logged() { grep -qF -- "$1" "$T/a.log"; }
# expect_log WHAT LINE: A's log holds LINE within 3 s.
expect_log() {
  wait_for 3 logged "$2" && ok || fail "$1: A's log does not say '$2': $(tail -n 4 "$T/a.log")"
}
# verify_clean WHAT [FORKED-ID...]: verify on A's home finds no fault but
# the forks of the members named (forks are faults it must report);
# VERIFY_HOME names another home.
verify_clean() {
  local what=$1 f bad=0
  shift
  rv --home "${VERIFY_HOME:-$A}" verify --json >"$T/verify.json" 2>"$T/verify.err"
  local st=$?
  while read -r f; do
    [ -n "$f" ] || continue
    case " $* " in
      *" $(echo "$f" | cut -d'"' -f4) "*) [[ "$f" == *'"error":"the author signed two different'* ]] || bad=1 ;;
      *) bad=1 ;;
    esac
  done < <(grep -o '"author":"[0-9a-f]*","seq":[0-9]*,"error":"[^"]*"' "$T/verify.json")
  if [ "$bad" = 0 ] && { [ "$st" -eq 0 ] || [ $# -gt 0 ]; } && [ -s "$T/verify.json" ]; then ok; else
    fail "$what: verify on ${VERIFY_HOME:-$A}: exit $st, $(head -c 400 "$T/verify.json") $(cat "$T/verify.err")"
  fi
}
record_count() { rv --home "$1" verify --json 2>/dev/null | grep -o '"records":[0-9]*'; }
# still_serving WHAT: Ben writes; it reaches A within 5 s; A and B agree.
n_honest=0
on_a() { rv --home "$A" contract --json | grep -qF "$1"; }
still_serving() {
  n_honest=$((n_honest + 1))
  local rule="Honest rule $n_honest after $1"
  rv --home "$B" contract add "$rule" >/dev/null || fail "$1: Ben cannot write"
  wait_for 5 on_a "$rule" && ok || fail "$1: Ben's write did not reach A: $(tail -n 4 "$T/a.log")"
  wait_for 5 same_hash "$A" "$B" && ok || fail "$1: A and B no longer agree"
}
# attack HOME MESSAGE [AUTHOR-HOME]: rawpeer as HOME's member against A.
# A reply is waited for up to 3 s; one that must not come, 0.5 s (the node
# answers in milliseconds, and its log says the rest).
attack() { RAWPEER_WAIT_MS=3000 "$RAWPEER" curve "$EP" "$A_ID" "$@" 2>"$T/rawpeer.err"; }
refused() { RAWPEER_WAIT_MS=500 "$RAWPEER" curve "$EP" "$A_ID" "$@" 2>"$T/rawpeer.err"; }

# ---- a set: Ada, Ben (facilitator), and the members who turn hostile ----

A=$T/a B=$T/b
# new_id HOME NAME: a new home with the cheapest passphrase stretch (the
# test makes fifteen, and each command unlocks one); prints its member id.
new_id() { "$MKHOME" "$1" "$2" || fail "cannot make the home $1"; }
HOSTILE=(badsig inner vouch vsplit badct badkey replay fork later split heads cut cutrec big mal eve gap)
declare -A ID
for m in A B "${HOSTILE[@]}"; do
  new_id "$T/$m" "$m" >"$T/$m.id" &
done
wait
mv "$T/A" "$A"
mv "$T/B" "$B"
A_ID=$(cat "$T/A.id") B_ID=$(cat "$T/B.id")
for m in "${HOSTILE[@]}"; do ID[$m]=$(cat "$T/$m.id"); done
rv --home "$A" set create "Reflective practice" >/dev/null || fail "set create"
# Ada's node first: her commands then go through it (no passphrase to stretch).
"$REVANS" --home "$A" node --port "$PA" --beacon-port "$PBEACON" 2>"$T/a.log" &
PID_A=$!
PIDS+=("$PID_A")
wait_for 5 logged "listening on port $PA" || fail "node A did not start: $(cat "$T/a.log")"
rv --home "$A" set invite --role facilitator --for "$B_ID" --out "$T/B.invite" >/dev/null || fail "invite Ben"
for m in "${HOSTILE[@]}"; do
  rv --home "$A" set invite --for "${ID[$m]}" --out "$T/$m.invite" >/dev/null || fail "invite $m"
done
# (Each wait names what it waits for: a bare wait would wait for the node.)
JOBS=()
rv --home "$B" set join "$T/B.invite" >/dev/null &
JOBS+=($!)
for m in "${HOSTILE[@]}"; do
  rv --home "$T/$m" set join "$T/$m.invite" >/dev/null &
  JOBS+=($!)
done
wait "${JOBS[@]}"
# start_b PORT BEACON-PORT: Ben's node; $PID_B.
start_b() {
  "$REVANS" --home "$B" node --port "$1" --beacon-port "$2" 2>>"$T/b.log" &
  PID_B=$!
  PIDS+=("$PID_B")
  wait_for 5 grep -q "listening on port $1" "$T/b.log" || fail "node B did not start: $(cat "$T/b.log")"
}
start_b "$PB" "$PBEACON"
# Each member's first record (their join) reaches Ada's node as a sync
# would bring it: every record their home holds, sent to it.
JOBS=()
for m in "${HOSTILE[@]}"; do
  attack "$T/$m" replay >"$T/$m.primed" &
  JOBS+=($!)
done
wait "${JOBS[@]}"
for m in "${HOSTILE[@]}"; do
  same "$(cat "$T/$m.primed")" "reply" "$m's records reach A"
done
wait_for 10 same_hash "$A" "$B" && ok || fail "A and B did not converge"
still_serving "the start"

# ---- forged and altered records ---------------------------------------

# A signature with one bit flipped: refused, nothing stored.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(refused "$T/badsig" badsig)" "no reply" "a forged signature's sender is no longer answered"
expect_log "forged signature" "peer ${ID[badsig]:0:16} refused: sent records that failed verification (signature or authentication check failed)"
alive "forged signature"
same "$(hash_of "$A")" "$H" "a forged signature leaves A's state as it was"
same "$(record_count "$A")" "$N" "a forged signature stores nothing"
verify_clean "forged signature"
still_serving "a forged signature"

# A ciphertext altered after signing.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(refused "$T/badct" badct)" "no reply" "an altered ciphertext's sender is no longer answered"
expect_log "altered ciphertext" "peer ${ID[badct]:0:16} refused: sent records that failed verification (signature or authentication check failed)"
alive "altered ciphertext"
same "$(hash_of "$A")" "$H" "an altered ciphertext leaves A's state as it was"
same "$(record_count "$A")" "$N" "an altered ciphertext stores nothing"
verify_clean "altered ciphertext"
still_serving "an altered ciphertext"

# Signed by the member, but the body is sealed under another key.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(refused "$T/badkey" badkey)" "no reply" "a body under a wrong key: sender no longer answered"
expect_log "wrong key" "peer ${ID[badkey]:0:16} refused: sent records that failed verification (signature or authentication check failed)"
alive "wrong key"
same "$(hash_of "$A")" "$H" "a body under a wrong key leaves A's state as it was"
same "$(record_count "$A")" "$N" "a body under a wrong key stores nothing"
verify_clean "wrong key"
still_serving "a body under a wrong key"

# ---- replay --------------------------------------------------------------

# Every record the member holds, again: duplicates, nothing changes, and
# the member is still answered.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(attack "$T/replay" replay)" "reply" "a replaying member is still answered"
alive "replay"
same "$(hash_of "$A")" "$H" "a replay leaves A's state as it was"
same "$(record_count "$A")" "$N" "a replay stores no duplicate"
if logged "peer ${ID[replay]:0:16} refused"; then fail "a replay refused its sender"; else ok; fi
verify_clean "replay"
still_serving "a replay"

# ---- cut frames and records --------------------------------------------

H=$(hash_of "$A")
same "$(refused "$T/cut" truncated)" "no reply" "a cut frame's sender is no longer answered"
expect_log "cut frame" "peer ${ID[cut]:0:16} refused: sent a message that is not one of the protocol's"
alive "cut frame"
same "$(hash_of "$A")" "$H" "a cut frame leaves A's state as it was"
still_serving "a cut frame"

H=$(hash_of "$A")
same "$(refused "$T/cutrec" truncrec)" "no reply" "a cut record's sender is no longer answered"
expect_log "cut record" "peer ${ID[cutrec]:0:16} refused: sent a malformed record"
alive "cut record"
same "$(hash_of "$A")" "$H" "a cut record leaves A's state as it was"
verify_clean "cut record"
still_serving "a cut record"

# A frame over 2 MiB: libzmq drops the connection before the node sees it.
H=$(hash_of "$A")
same "$(RAWPEER_WAIT_MS=1500 "$RAWPEER" curve "$EP" "$A_ID" "$T/big" oversized 2>"$T/rawpeer.err")" "no reply" \
  "an oversized frame is not answered"
alive "oversized frame"
same "$(hash_of "$A")" "$H" "an oversized frame leaves A's state as it was"
still_serving "an oversized frame"
same "$(attack "$T/big" hello)" "reply" "after its dropped frame, the member is answered again"

# ---- forks -----------------------------------------------------------------

# Not an attack: a run that starts past the head A holds (batches that
# came out of order over a pair's two connections, or after one was lost)
# is left out, without refusing the sender, and A asks again with its
# vector; the whole run, sent next, is taken.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(attack "$T/gap" gap)" "reply" "a member whose batch starts past A's head is still answered"
expect_log "a batch out of order" "peer ${ID[gap]:0:16}: a batch out of order"
logged "peer ${ID[gap]:0:16} refused" && fail "a batch out of order refused its sender" || ok
[ "$(record_count "$A")" = "$N" ] && ok || fail "a run past A's head was stored"
same "$(attack "$T/gap" two)" "reply" "the whole run, sent next, is answered"
N2=$(record_count "$A")
[ "${N2#*:}" -eq $((${N#*:} + 2)) ] && ok || fail "the whole run after a gap was not stored: $N then $N2"
alive "a batch out of order"
verify_clean "a batch out of order"
still_serving "a batch out of order"

# Two validly signed records at one position, in one batch: A keeps the
# evidence, keeps the member's records from that position out of its
# state, and so does B, which learns of the fork from A.
H=$(hash_of "$A")
same "$(attack "$T/fork" fork)" "reply" "a forking member is still answered (the fork is evidence, not an error)"
expect_log "fork in one batch" "peer ${ID[fork]:0:16}: 1 forked records kept as evidence"
alive "fork in one batch"
same "$(hash_of "$A")" "$H" "a fork in one batch leaves A's state as it was"
wait_for 5 same_hash "$A" "$B" && ok || fail "a fork in one batch: B's state is not A's"
verify_clean "fork in one batch" "${ID[fork]}"
still_serving "a fork in one batch"
rv --home "$B" verify --json >"$T/bverify.json" 2>/dev/null
same "$(grep -o '"forks":[0-9]*' "$T/bverify.json")" '"forks":1' "B holds the evidence of the fork too"

# The same in two batches: the first record is taken (and goes on to B),
# the second reveals the fork; both nodes then keep both out.
H=$(hash_of "$A")
same "$(attack "$T/later" forklater)" "reply" "a member forking in two batches is still answered"
expect_log "fork in two batches" "peer ${ID[later]:0:16}: 1 forked records kept as evidence"
alive "fork in two batches"
same "$(hash_of "$A")" "$H" "a fork in two batches leaves A's state as it was"
wait_for 5 same_hash "$A" "$B" && ok || fail "a fork in two batches: B's state is not A's"
verify_clean "fork in two batches" "${ID[fork]}" "${ID[later]}"
still_serving "a fork in two batches"

# Two records at one position given to two nodes apart: Ada's gets X and
# the record after it, Ben's (on other ports, out of reach) gets Y. When
# they meet, both hold "seq N" or more of that member: the head's hash in
# Ben's vector shows Ada's node the fork (or, when Ada's node had queued
# X for Ben's before he left, Ben's node meets X beside Y). Neither refuses
# the other (without the comparison, Ben's node refused Ada's: "broken
# hash chain"), and both end with the member's records from N on out of
# the state, and the evidence.
# fork_apart MEMBER RECORDS WHAT: Ben's node stops; the member sends Ada's
# node RECORDS; Ben's node, on other ports (out of reach), gets one valid
# record at the first one's position; then it is back on its own ports.
fork_apart() {
  kill -TERM "$PID_B"
  wait "$PID_B"
  same "$?" 0 "node B exits 0 on SIGTERM ($3)"
  same "$(attack "$T/$1" "$2")" "reply" "$3: the first half goes to A"
  start_b "$PB2" "$PALONE"
  same "$("$RAWPEER" curve "tcp://127.0.0.1:$PB2" "$B_ID" "$T/$1" next 2>>"$T/rawpeer.err")" "reply" \
    "$3: the second half goes to B, apart"
  kill -TERM "$PID_B"
  wait "$PID_B"
  same "$?" 0 "node B, apart, exits 0 on SIGTERM ($3)"
  start_b "$PB" "$PBEACON"
}
H=$(hash_of "$A")
fork_apart split two "a fork across nodes"
wait_for 10 same_hash "$A" "$B" && ok || fail "a fork across nodes: B's state is not A's"
same "$(hash_of "$A")" "$H" "a fork across nodes leaves A's state as before it"
split_seen() {
  grep -q "holds another record of ${ID[split]:0:16} at" "$T/a.log" "$T/b.log" ||
    grep -q "forked records kept as evidence" "$T/b.log"
}
wait_for 3 split_seen && ok || fail "a fork across nodes: neither node's log says so"
split_forked() { rv --home "$1" verify --json >"$T/sverify.json" 2>/dev/null; grep -q "\"author\":\"${ID[split]}\",\"seq\":[0-9]*,\"error\":\"the author signed two" "$T/sverify.json"; }
split_forked "$A" && ok || fail "a fork across nodes: A holds no evidence of it"
split_forked "$B" && ok || fail "a fork across nodes: B holds no evidence of it"
alive "fork across nodes"
verify_clean "fork across nodes" "${ID[fork]}" "${ID[later]}" "${ID[split]}"
still_serving "a fork across nodes"

# A member's program claims a false head for every author, vector after
# vector. The first makes A send those chains again from the first record
# (to A it looks like forks across nodes); the second, within the minute,
# is taken as it says (protocol.md, "Known limits"). Not refused.
resends() { grep -c "peer ${ID[heads]:0:16} holds another record" "$T/a.log"; }
same "$(attack "$T/heads" falseheads)" "reply" "false heads: the sender is answered"
first=$(resends)
[ "$first" -gt 0 ] && ok || fail "false heads: A did not compare them"
same "$(attack "$T/heads" falseheads)" "reply" "false heads again: the sender is answered"
same "$(resends)" "$first" "false heads again within the minute: no chain sent again"
alive "false heads"
verify_clean "false heads" "${ID[fork]}" "${ID[later]}" "${ID[split]}"
still_serving "false heads"

# ---- a removed member ---------------------------------------------------

# Eve is removed. Her own connection is refused at the handshake.
rv --home "$A" set remove "${ID[eve]}" >/dev/null || fail "remove Eve"
wait_for 5 same_hash "$A" "$B" && ok || fail "B did not learn of the removal"
H=$(hash_of "$A")
same "$(refused "$T/eve" late)" "no reply" "the removed member gets no answer"
expect_log "removed member" "refused a connection from 127.0.0.1"
expect_log "removed member" "key $("$RAWPEER" curvekey "${ID[eve]}" 2>/dev/null)"
# Mal, still a member, relays records Eve signed under the old epoch's key,
# dated after the removal: stored (validly signed, the body opens) but
# kept out of the state.
same "$(attack "$T/mal" late "$T/eve")" "reply" "a member relaying a removed member's records is answered"
expect_log "relayed records of a removed member" "peer ${ID[mal]:0:16}: 1 records kept out of the state"
alive "relayed records of a removed member"
same "$(hash_of "$A")" "$H" "a removed member's records leave A's state as it was"
verify_clean "relayed records of a removed member" "${ID[fork]}" "${ID[later]}" "${ID[split]}"
still_serving "records of a removed member"

# ---- strangers and floods ----------------------------------------------

refusals() { grep -c "refused a connection from 127.0.0.1: key [0-9a-f]* is not a member" "$T/a.log"; }
more_refusals() { [ "$(refusals)" -ge "$1" ]; }
R=$(refusals)
same "$(refused - hello)" "no reply" "a stranger's hello"
wait_for 3 more_refusals $((R + 1)) && ok || fail "the stranger's refusal was not logged"
R=$(refusals)
# 200 CURVE connections by strangers, 200 by a member, and 300 raw TCP
# connections, all at once, while Ben keeps writing.
H=$(hash_of "$A")
"$RAWPEER" flood "$EP" "$A_ID" - 200 >"$T/flood-strangers.out" 2>&1 &
F1=$!
"$RAWPEER" flood "$EP" "$A_ID" "$T/mal" 200 >"$T/flood-member.out" 2>&1 &
F2=$!
"$RAWPEER" tcpflood 127.0.0.1 "$PA" 300 3 >"$T/flood-tcp.out" 2>&1 &
F3=$!
for i in 1 2 3; do still_serving "flood, write $i"; done
wait "$F1" "$F2" "$F3"
same "$(cat "$T/flood-strangers.out")" "replies 0 of 200" "200 strangers get nothing"
grep -q "^replies [1-9][0-9]* of 200" "$T/flood-member.out" && ok ||
  fail "the member's flood was never answered: $(cat "$T/flood-member.out")"
same "$(cat "$T/flood-tcp.out")" "opened 300" "300 raw TCP connections opened"
alive "floods"
wait_for 10 more_refusals $((R + 200)) && ok ||
  fail "not every stranger of the flood was logged: $(($(refusals) - R)) of 200"
verify_clean "floods" "${ID[fork]}" "${ID[later]}" "${ID[split]}"
still_serving "the floods"
# Ben's node, honest throughout, was never refused.
if logged "peer ${B_ID:0:16} refused"; then fail "A refused Ben's node"; else ok; fi
if grep -q "refused" "$T/b.log"; then fail "B refused someone: $(grep refused "$T/b.log")"; else ok; fi

# A bad signature on a record inside a member's own run, the next record
# validly signed and chained to it. The next signature covers every byte
# of the first through the chain, its bad signature included, so the pair
# is the member's own word (format.md, "Which records are authentic"): A
# takes it, answers, and its `verify` counts the record as vouched for, not
# as a fault; B, sent the pair by A, takes it from A as well.
H=$(hash_of "$A") N=$(record_count "$A")
same "$(attack "$T/inner" badsiginner)" "reply" "a bad signature vouched for by the next: the sender is answered"
alive "bad signature inside a run"
same "$(record_count "$A")" "\"records\":$((${N#*:} + 2))" "a bad signature vouched for by the next: both stored"
vouched() { rv --home "$1" verify --json 2>/dev/null | grep -o '"vouched":[0-9]*'; }
verify_clean "bad signature inside a run" "${ID[fork]}" "${ID[later]}" "${ID[split]}"
same "$(vouched "$A")" '"vouched":1' "verify on A counts the record as vouched for"
wait_for 5 same_hash "$A" "$B" && ok || fail "a bad signature vouched for: A and B no longer agree"
same "$(vouched "$B")" '"vouched":1' "verify on B counts it too"
still_serving "a bad signature inside a run"

# A fork whose first record carries a bad signature of its own: Ada's
# node gets it and the next record, which vouches for it; Ben's node,
# apart, gets another record at that position, validly signed. When they
# meet, Ben's node is sent the chain, holds the bad one against its own,
# and takes it as a fork by the record above it (format.md, "Forks");
# Ada's node learns the fork from Ben's evidence. Both keep the member's
# records from there out of the state, and agree.
fork_apart vsplit badsiginner "a fork with a vouched bad signature"
wait_for 15 same_hash "$A" "$B" && ok || fail "a fork with a vouched bad signature: B's state is not A's: $(grep -i refus "$T/a.log" "$T/b.log" | tail -n 2)"
vsplit_forked() { rv --home "$1" verify --json >"$T/vverify.json" 2>/dev/null; grep -q "\"author\":\"${ID[vsplit]}\",\"seq\":[0-9]*,\"error\":\"the author signed two" "$T/vverify.json"; }
wait_for 5 vsplit_forked "$A" && ok || fail "a fork with a vouched bad signature: A holds no evidence of it"
vsplit_forked "$B" && ok || fail "a fork with a vouched bad signature: B holds no evidence of it"
if grep -q "refused" "$T/b.log"; then fail "B refused someone over the vouched fork: $(grep refused "$T/b.log")"; else ok; fi
alive "a fork with a vouched bad signature"
verify_clean "a fork with a vouched bad signature" "${ID[fork]}" "${ID[later]}" "${ID[split]}" "${ID[vsplit]}"
still_serving "a fork with a vouched bad signature"

# The same where a node's batch is full: Ben's node is away while a member
# sends Ada's node a run of about 4,100 records, the bad signature on the
# record where a batch to a node lacking all of them is full. When Ben's
# node comes back, Ada's must not end the batch on that record (Ben's
# node would refuse hers as a forger): it goes on to the next (net/sync.c,
# batch_t). Without that, B's log says "refused" and the states stay apart.
kill -TERM "$PID_B"
wait "$PID_B"
same "$?" 0 "node B exits 0 on SIGTERM"
N=$(record_count "$A")
same "$(attack "$T/vouch" badsigcut)" "reply" "a long run with a vouched bad signature: the sender is answered"
added=$(( $(record_count "$A" | cut -d: -f2) - ${N#*:} ))
[ "$added" -gt 4000 ] && ok || fail "a long run with a vouched bad signature: A stored $added records"
start_b "$PB" "$PBEACON"
wait_for 20 same_hash "$A" "$B" && ok || fail "the long run: B did not catch up: $(grep -i refus "$T/b.log" | tail -n 2)"
if grep -q "refused" "$T/b.log"; then fail "B refused A over the long run: $(grep refused "$T/b.log")"; else ok; fi
# Had A's batch ended on the record, B would have cut the run back and
# asked again (format.md, "Ingesting records in bulk"): converged too, a
# round later. A's batch did not.
if grep -q "left out" "$T/b.log"; then fail "A's batch ended on a record nothing in it vouches for: $(grep "left out" "$T/b.log")"; else ok; fi
same "$(vouched "$B")" '"vouched":2' "verify on B counts both vouched records"
VERIFY_HOME=$B verify_clean "a long run, on B" "${ID[fork]}" "${ID[later]}" "${ID[split]}" "${ID[vsplit]}"
alive "a long run with a vouched bad signature"
still_serving "a long run with a vouched bad signature"

echo "A's log: $(wc -l <"$T/a.log") lines, $(grep -c "refused a connection" "$T/a.log") connections refused at the handshake"
kill -TERM "$PID_A" "$PID_B"
wait "$PID_A"
same "$?" 0 "node A exits 0 on SIGTERM after the attacks"
wait "$PID_B"
same "$?" 0 "node B exits 0 on SIGTERM after the attacks"
echo "hostile peers: $(( ($(date +%s%N) - T0) / 1000000 )) ms"
finish
