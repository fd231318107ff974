#!/usr/bin/env bash
# A full set under load: eight members (the largest set), each with a node
# on loopback, every one holding LOAD_HISTORY records of history (default
# 20,000; tools/load: 1,000,000) made by mkset before the nodes start, so
# that the nodes sync only what is written now. The facilitator opens a
# meeting with two presenters; then all eight members ask questions at
# once, through the command line, for LOAD_SECONDS (default 30; tools/load:
# a minute), each
# writer keeping the text of every question its command reported as
# asked. Afterwards, within
# LOAD_CONVERGE_S (default 120): all eight state-hashes are equal; every
# reported question is on every node's wall (no lost record); no node
# stopped on its own or refused another (all are honest); every node stops
# with 0 on SIGTERM; `verify` exits 0 on every home, all holding the same
# number of records. Each node's private memory (RssAnon: heap,
# stacks, queues; not the store's mapped pages) is sampled every 250 ms
# from the nodes' start to their stop, and its peak must stay under
# LOAD_RSS_MB (default 64; 1024 when the program is built with
# AddressSanitizer, whose shadow and quarantine count as private memory).
# Prints the figures: writes per member, records, the time to converge
# after the last write, peak RssAnon per node. Timings are printed, never
# asserted; the memory bound is.
. "$(dirname "$0")/../cli/lib.sh"
: "${MKSET:?MKSET must name the mkset test program}"
N=8
HISTORY=${LOAD_HISTORY:-20000}
DURATION=${LOAD_SECONDS:-30}
CONVERGE_S=${LOAD_CONVERGE_S:-120}
if [ -z "${LOAD_RSS_MB:-}" ]; then
  case $(ldd "$REVANS" 2>/dev/null) in
    *libasan* | *clang_rt.asan*) LOAD_RSS_MB=1024 ;;
    *) LOAD_RSS_MB=64 ;;
  esac
fi
export REVANS_BEACON_IF=lo
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; [ -n "${LOAD_KEEP:-}" ] || rm -rf "$T"' EXIT
t_start=$(date +%s%N)
ms_since() { echo $((($(date +%s%N) - $1) / 1000000)); }

# N free loopback ports for the nodes, one for the beacons.
read -r -a PORT < <(python3 - "$N" <<'PY'
import socket, sys
s = [socket.socket() for _ in range(int(sys.argv[1]))]
for x in s: x.bind(("127.0.0.1", 0))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 0))
print(*[x.getsockname()[1] for x in s], u.getsockname()[1])
PY
)
PBEACON=${PORT[$N]}

# The homes: $T/homes/1 (Ada, the facilitator) to $T/homes/8.
t0=$(date +%s%N)
held=$("$MKSET" "$T/homes" "$N" "$HISTORY") || { fail "mkset"; finish; }
echo "made $N homes in one set, each holding $held records (history of $HISTORY) in $(ms_since "$t0") ms"
H=()
for i in $(seq 1 "$N"); do H[i]=$T/homes/$i; done
NAMES=(- Ada Ben Cy Dee Eve Fay Gus Hal)

# Node i is given --peer for every node before it: one connection a pair.
NODE=()
for i in $(seq 1 "$N"); do
  peers=()
  for j in $(seq 1 $((i - 1))); do peers+=(--peer "tcp://127.0.0.1:${PORT[j - 1]}"); done
  "$REVANS" --home "${H[i]}" node --port "${PORT[i - 1]}" --beacon-port "$PBEACON" "${peers[@]}" \
    2>"$T/node$i.log" &
  NODE[i]=$!
  PIDS+=("${NODE[i]}")
done
listening() { grep -q "listening on port" "$T/node$1.log"; }
for i in $(seq 1 "$N"); do
  wait_for 30 listening "$i" || { fail "node $i did not start: $(tail -n 5 "$T/node$i.log")"; finish; }
done

# Private memory of every node, sampled until $T/sampling is removed (or
# for an hour at most); the peak of each, in kB, written to $T/rss.
touch "$T/sampling"
python3 - "$T/sampling" "$T/rss" "${NODE[@]}" <<'PY' &
import os, sys, time
flag, out, pids = sys.argv[1], sys.argv[2], sys.argv[3:]
peak = {p: 0 for p in pids}
samples = 0
t_end = time.time() + 3600
while os.path.exists(flag) and time.time() < t_end:
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("RssAnon:"):
                        peak[p] = max(peak[p], int(line.split()[1]))
        except OSError:
            pass
    samples += 1
    time.sleep(0.25)
with open(out, "w") as f:
    f.write(" ".join(str(peak[p]) for p in pids) + f" {samples}\n")
PY
SAMPLER=$!
PIDS+=("$SAMPLER")

hash_of() { "$REVANS" --home "$1" state-hash 2>/dev/null; }
# same_hash I J...: homes I, J... all have one state-hash.
same_hash() {
  local first h i
  first=$(hash_of "${H[$1]}") && [ -n "$first" ] || return 1
  shift
  for i in "$@"; do
    h=$(hash_of "${H[i]}") && [ "$h" = "$first" ] || return 1
  done
}
ALL=$(seq 1 "$N")
# shellcheck disable=SC2086
all_same() { same_hash $ALL; }
setup() { # HOME CMD...: a setup step that must succeed
  local home=$1
  shift
  rv --home "$home" "$@" >"$T/out" 2>"$T/err" || { fail "$*: $(head -c 300 "$T/err")"; finish; }
}

# The meeting: Ada opens it; Ada and Ben bid; Ada allocates; presentations.
t0=$(date +%s%N)
setup "${H[1]}" meeting schedule --at "2026-12-01 09:30" --past --minutes 120
setup "${H[1]}" meeting start
setup "${H[1]}" meeting next
setup "${H[1]}" bid "Load on the rota" --minutes 30
wait_for 30 same_hash 1 2 || { fail "Ben's node did not get the meeting"; finish; }
setup "${H[2]}" bid "Load on the ward" --minutes 30
wait_for 30 same_hash 1 2 || { fail "Ada's node did not get Ben's bid"; finish; }
setup "${H[1]}" allocate
setup "${H[1]}" meeting next
setup "${H[1]}" meeting questions # questions to Ada are shown as they come
wait_for 60 all_same || { fail "the nodes did not agree on the meeting"; finish; }
ok
echo "meeting open on all $N nodes $(ms_since "$t0") ms after the nodes started"

# The writers: Ada asks Ben, everyone else asks Ada, as fast as the
# commands go, until the deadline. Each keeps the text of every question
# its command reported asked (exit 0, the question in its answer).
writer() { # I TO END
  local i=$1 to=$2 end=$3 k=0 text
  while [ "$(date +%s%N)" -lt "$end" ]; do
    k=$((k + 1))
    text="What stands out for you in load question $i.$k?"
    if timeout -k 5 60 "$REVANS" --home "${H[i]}" ask "$text" --to "$to" --json \
      >"$T/w$i.out" 2>"$T/w$i.err"; then
      echo "$text" >>"$T/written.$i"
      grep -qF "$text" "$T/w$i.out" || echo "$text" >>"$T/misreported.$i"
    else
      echo "$k: exit $?: $(head -c 200 "$T/w$i.err")" >>"$T/failed.$i"
    fi
  done
}
t_write=$(date +%s%N)
END=$((t_write + DURATION * 1000000000))
WRITERS=()
for i in $ALL; do
  : >"$T/written.$i"
  if [ "$i" -eq 1 ]; then to=Ben; else to=Ada; fi
  writer "$i" "$to" "$END" &
  WRITERS+=($!)
  PIDS+=($!)
done
for w in "${WRITERS[@]}"; do wait "$w"; done
t_last=$(date +%s%N)
write_s=$(((t_last - t_write) / 1000000))

# Every node is still running (a node that aborts says why on stderr).
alive() { kill -0 "$1" 2>/dev/null && ! grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
DEAD=()
for i in $ALL; do
  if alive "${NODE[i]}"; then ok; else
    DEAD[i]=1
    fail "node $i stopped during the writes: $(grep -v 'synced' "$T/node$i.log" | tail -n 1)"
  fi
done

# Convergence, timed from the last write's return.
if wait_for "$CONVERGE_S" all_same; then
  converge_ms=$(ms_since "$t_last")
  ok
else
  converge_ms="over $((CONVERGE_S * 1000))"
  for i in $ALL; do echo "node $i: $(hash_of "${H[i]}")" >&2; done
  fail "the $N nodes did not converge within $CONVERGE_S s of the last write"
fi

# No lost record: every question reported asked is on every node's wall.
# Ada's questions to Ben are held until his slot reaches its questions:
# closing the meeting shows them all.
setup "${H[1]}" meeting close
wait_for "$CONVERGE_S" all_same || fail "the $N nodes did not converge after the close"
for i in $ALL; do
  rv --home "${H[i]}" questions --all --json >"$T/wall.$i" 2>"$T/err" ||
    fail "questions on node $i: $(head -c 300 "$T/err")"
done
python3 - "$T" "$N" >"$T/check" <<'PY'
import json, sys
t, n = sys.argv[1], int(sys.argv[2])
written = []
for i in range(1, n + 1):
    written += [l.rstrip("\n") for l in open(f"{t}/written.{i}") if l.strip()]
for i in range(1, n + 1):
    try:
        wall = {q["text"] for q in json.load(open(f"{t}/wall.{i}"))}
    except Exception as e:
        print(f"node {i}: unreadable wall ({e})")
        continue
    lost = [w for w in written if w not in wall]
    if lost:
        print(f"node {i}: {len(lost)} of {len(written)} reported questions missing, e.g. {lost[:3]}")
    print(f"wall {i} {len(wall)}")
PY
while read -r line; do
  case $line in
    wall\ *) ok ;;
    *) fail "$line" ;;
  esac
done <"$T/check"

# Every node stops with 0 on SIGTERM, within 10 s.
gone() { ! kill -0 "$1" 2>/dev/null || grep -q '^State:.*Z' "/proc/$1/status" 2>/dev/null; }
for i in $ALL; do kill -TERM "${NODE[i]}" 2>/dev/null; done
for i in $ALL; do
  [ -z "${DEAD[i]:-}" ] || continue
  if wait_for 10 gone "${NODE[i]}"; then
    wait "${NODE[i]}"
    same "$?" 0 "node $i's exit status on SIGTERM"
  else
    fail "node $i did not stop within 10 s of SIGTERM"
    kill -KILL "${NODE[i]}" 2>/dev/null
  fi
done
rm -f "$T/sampling"
# No sanitizer report from any node.
if grep -l "AddressSanitizer\|runtime error:\|LeakSanitizer" "$T"/node*.log >"$T/sanitized" 2>/dev/null; then
  fail "sanitizer reports in $(tr '\n' ' ' <"$T/sanitized"): $(grep -h -m 3 "AddressSanitizer\|runtime error:\|LeakSanitizer" "$T"/node*.log | tr '\n' ';')"
else ok; fi
# Every member here is honest: no node may refuse another.
grep -H "refused" "$T"/node*.log | sed "s|^$T/||" >"$T/refusals"
if [ -s "$T/refusals" ]; then
  fail "$(wc -l <"$T/refusals") refusals of honest members, e.g. $(head -n 3 "$T/refusals" | tr '\n' ';')"
else ok; fi
wait "$SAMPLER"
read -r -a PEAK <"$T/rss"

# Every store verifies, all holding the same records; two at a time.
verify_one() { "$REVANS" --home "${H[$1]}" verify --json >"$T/verify.$1" 2>"$T/verr.$1"; echo $? >"$T/vexit.$1"; }
for i in $ALL; do
  verify_one "$i" &
  [ $((i % 2)) -eq 0 ] && wait
done
wait
RECORDS=()
for i in $ALL; do
  if [ "$(cat "$T/vexit.$i")" = 0 ]; then ok; else
    fail "verify on home $i exited $(cat "$T/vexit.$i"): $(head -c 300 "$T/verr.$i")"
  fi
  RECORDS[i]=$(json "$T/verify.$i" 'j["records"]' 2>/dev/null || echo "?")
done
for i in $ALL; do same "${RECORDS[i]}" "${RECORDS[1]}" "records on home $i against home 1"; done

# The figures.
total=0
echo "members $N, history $HISTORY records, writing for $write_s ms (LOAD_SECONDS=$DURATION)"
for i in $ALL; do
  w=$(wc -l <"$T/written.$i")
  f=0 m=0
  [ -e "$T/failed.$i" ] && f=$(wc -l <"$T/failed.$i")
  [ -e "$T/misreported.$i" ] && m=$(wc -l <"$T/misreported.$i")
  total=$((total + w))
  kb=${PEAK[i - 1]}
  printf '  %-3s (node %d): %5d questions written, %d failed, %d answered with another question; peak RssAnon %d.%d MB\n' \
    "${NAMES[i]}" "$i" "$w" "$f" "$m" $((kb / 1024)) $((kb % 1024 * 10 / 1024))
  [ "$f" -eq 0 ] || echo "    first failure: $(head -n 1 "$T/failed.$i")"
  [ "$w" -gt 0 ] && ok || fail "${NAMES[i]} wrote nothing"
  [ "$kb" -gt 0 ] && [ "$kb" -lt $((LOAD_RSS_MB * 1024)) ] && ok ||
    fail "node $i's peak RssAnon ${kb} kB is not under $LOAD_RSS_MB MB"
done
echo "total $total questions written ($(awk -v t="$total" -v s="$write_s" 'BEGIN { printf "%.1f", t * 1000 / s }') a second), records on each home ${RECORDS[1]}"
echo "converged ${converge_ms} ms after the last write; memory sampled ${PEAK[N]} times, bound $LOAD_RSS_MB MB"
echo "wall time $(($(ms_since "$t_start") / 1000)) s"
finish
