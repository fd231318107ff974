#!/usr/bin/env bash
# Partitions and convergence: five laptops (network namespaces this test
# makes, on two switches) hold one set and a meeting in its presentations;
# Ada, presenting, writes actions and the other four ask her questions,
# all five without pause, while a seeded schedule cuts cables and splits
# the room between the switches (REVANS_PARTITION_SEED, ..._ROUNDS). Then:
#   1. healed, all five reach one state-hash, and every write any command
#      reported is on every laptop;
#   1b. Ben's cable is pulled for 15 s, longer than a connection may stay
#      silent, then put back: all five converge, every write kept;
#   2. Eve's laptop is shut while the others write (she writes offline);
#      started again with that stale log, all five converge;
#   3. the room splits into {Ada, Ben, Cy} and {Dee, Eve}; Ada removes Eve
#      on one side while Dee, the other facilitator, removes Cy on the
#      other (crossing removals: the rotation rule). Healed, Ada, Ben and
#      Dee reach one state-hash, with Cy and Eve removed on each and every
#      write of the three kept; what Ada writes next reaches Ben and Dee
#      and neither Cy nor Eve.
# The time each convergence took is printed, never asserted.
# Needs root (ip netns); skipped with a message otherwise.
. "$(dirname "$0")/../cli/lib.sh"
. "$(dirname "$0")/netns.sh"
SEED=${REVANS_PARTITION_SEED:-20261122}
ROUNDS=${REVANS_PARTITION_ROUNDS:-12}
RANDOM=$SEED
ALL=(a b c d e)
declare -A NAME=([a]=Ada [b]=Ben [c]=Cy [d]=Dee [e]=Eve)
lan_up "${ALL[@]}"

now_ms() { echo $(($(date +%s%N) / 1000000)); }
hash_of() { on "$1" state-hash 2>/dev/null; }
# same_hash HOST...: all of them hold the same, non-empty state-hash
same_hash() {
  local first h x
  first=$(hash_of "$1") && [ -n "$first" ] || return 1
  for h in "${@:2}"; do
    x=$(hash_of "$h") && [ "$x" = "$first" ] || return 1
  done
}
# converge WHAT S HOST...: waits at most S seconds for one state-hash
converge() {
  local what=$1 s=$2 t0
  shift 2
  t0=$(now_ms)
  if wait_for "$s" same_hash "$@"; then
    ok
    echo "$what: converged $(($(now_ms) - t0)) ms after the last write"
  else
    fail "$what: no convergence in $s s: $(for h in "$@"; do printf '%s=%s ' "$h" "$(hash_of "$h")"; done)"
    for h in "$@"; do tail -n 4 "$T/$h.log" >&2; done
  fi
}

# The set: Ada creates it and invites the others by code; Dee is a second
# facilitator.
for h in "${ALL[@]}"; do new_home "$T/$h" "${NAME[$h]}" >/dev/null; done
on a set create "Partitioned room" >/dev/null || fail "set create"
start_node a
for h in b c d e; do
  role=member
  [ "$h" = d ] && role=facilitator
  expect_exit 0 on a set invite --role "$role" --json
  code=$(json "$T/out" 'j["code"]')
  expect_exit 0 on "$h" set join "$code" --timeout 20
  start_node "$h"
done
converge "joins" 30 "${ALL[@]}"

# A meeting, moved on to Ada's presentation.
on a meeting schedule --at "2026-12-01 09:30" --past --minutes 120 >/dev/null || fail "schedule"
on a meeting start >/dev/null || fail "start"
on a bid "The rota dispute" --minutes 30 >/dev/null || fail "bid"
on a meeting next >/dev/null || fail "next to bidding"
on a allocate >/dev/null || fail "allocate"
on a meeting next >/dev/null || fail "next to presentations"
on a present >/dev/null || fail "present"
on a meeting questions >/dev/null || fail "meeting questions"
converge "meeting" 30 "${ALL[@]}"

# writer HOST TAG: writes until $T/stop-TAG exists, one line per write
# its command reported in $T/HOST.TAG.written; Ada writes actions, the
# others questions to her.
writer() {
  local h=$1 tag=$2 i=0 text
  while [ ! -e "$T/stop-$tag" ]; do
    i=$((i + 1))
    if [ "$h" = a ]; then
      text="Talk to the rota lead, step $tag-$i"
      on a action add "$text" >/dev/null 2>>"$T/$h.err" && echo "$text" >>"$T/$h.$tag.written"
    else
      text="What did you notice at moment $h-$tag-$i?"
      on "$h" ask "$text" >/dev/null 2>>"$T/$h.err" && echo "$text" >>"$T/$h.$tag.written"
    fi
    sleep 0.1
  done
}
WRITERS=()
start_writers() {
  local tag=$1 h
  shift
  WRITERS=()
  for h in "$@"; do
    : >"$T/$h.$tag.written"
    writer "$h" "$tag" &
    WRITERS+=($!)
  done
}
stop_writers() {
  touch "$T/stop-$1"
  wait "${WRITERS[@]}"
}
# all_kept TAG HOST...: every write of round TAG that its command reported,
# by any of the HOSTs, is in the state of each of the HOSTs
all_kept() {
  local tag=$1 h
  shift
  for h in "$@"; do
    on "$h" questions --all --json >"$T/q.json" && on "$h" action list --json >"$T/act.json" || {
      fail "cannot read the state on $h"
      continue
    }
    python3 - "$T" "$tag" "$h" "$@" <<'PY' && ok || fail "writes of $tag missing on $h: $(cat "$T/missing")"
import json, sys
t, tag, here, hosts = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
held = {q["text"] for q in json.load(open(f"{t}/q.json"))}
held |= {a["text"] for a in json.load(open(f"{t}/act.json"))}
want, missing = 0, []
for h in hosts:
    for line in open(f"{t}/{h}.{tag}.written"):
        want += 1
        if line.rstrip("\n") not in held:
            missing.append(line.rstrip("\n"))
open(f"{t}/missing", "w").write(f"{len(missing)} of {want}: {missing[:5]}")
sys.exit(1 if missing else 0)
PY
  done
}
count() { cat "${@}" | wc -l; }

# 1. A seeded schedule of cuts and splits while all five write.
heal_all() {
  local h
  for h in "${ALL[@]}"; do
    side "$h" 0
    heal "$h"
  done
}
start_writers p "${ALL[@]}"
for r in $(seq 1 "$ROUNDS"); do
  heal_all
  case $((RANDOM % 3)) in
  0) # split the room between the two switches, both sides non-empty
    what=""
    while :; do
      ones=0 what=""
      for h in "${ALL[@]}"; do
        if [ $((RANDOM % 2)) -eq 1 ]; then ones=$((ones + 1)) what="$what $h"; fi
      done
      [ "$ones" -gt 0 ] && [ "$ones" -lt 5 ] && break
    done
    for h in $what; do side "$h" 1; done
    what="split:$what | the rest" ;;
  1) # pull one or two cables
    what="cut:"
    for h in "${ALL[@]}"; do
      if [ $((RANDOM % 3)) -eq 0 ]; then cut "$h"; what="$what $h"; fi
    done ;;
  2) what="all connected" ;;
  esac
  hold=$((500 + RANDOM % 2000))
  echo "round $r: $what for $hold ms"
  sleep "$((hold / 1000)).$(printf '%03d' $((hold % 1000)))"
done
heal_all
stop_writers p
echo "written while partitioned: $(count "$T"/?.p.written) ($(for h in "${ALL[@]}"; do printf '%s %s ' "$h" "$(count "$T/$h.p.written")"; done))"
converge "after the schedule" 60 "${ALL[@]}"
all_kept p "${ALL[@]}"

# 1b. Ben's cable pulled for 15 s while all five write: longer than the
# 12 s of silence after which a node closes its connection to a peer and
# makes it again (protocol.md, "Liveness").
redials() { cat "$T"/?.log | grep -c "for [0-9]* s; connecting again"; }
before=$(redials)
start_writers l "${ALL[@]}"
cut b
sleep 15
heal b
stop_writers l
echo "written with Ben's cable out for 15 s: $(count "$T"/?.l.written)"
[ "$(redials)" -gt "$before" ] && ok || fail "no node made its connection to Ben again after 15 s"
converge "Ben's cable back after 15 s" 60 "${ALL[@]}"
all_kept l "${ALL[@]}"

# 2. Eve away while the others write; she comes back with a stale log.
stop_node e
start_writers s "${ALL[@]}"
sleep 6
stop_writers s
echo "written while Eve was away: $(count "$T"/?.s.written)"
start_node e
converge "Eve back with a stale log" 60 "${ALL[@]}"
all_kept s "${ALL[@]}"

# 3. Crossing removals across a split room.
side d 1
side e 1
sleep 0.5
expect_exit 0 on a set remove Eve
expect_exit 0 on d set remove Cy
start_writers x a b d
sleep 3
stop_writers x
heal_all
converge "crossing removals" 60 a b d
for h in a b d; do
  on "$h" set members --json >"$T/members.json"
  same "$(json "$T/members.json" 'sorted((m["name"], m["role"]) for m in j)')" \
    "[('Ada', 'facilitator'), ('Ben', 'member'), ('Cy', 'removed'), ('Dee', 'facilitator'), ('Eve', 'removed')]" \
    "members on $h"
done
all_kept x a b d
on a action add "Written after the crossing removals" >/dev/null || fail "write after the removals"
has_it() { on "$1" action list --json | grep -q "after the crossing removals"; }
for h in b d; do wait_for 20 has_it "$h" && ok || fail "$h did not get Ada's write after the removals"; done
for h in c e; do has_it "$h" && fail "${NAME[$h]}, removed, got Ada's write after the removals" || ok; done

finish
