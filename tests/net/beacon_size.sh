#!/usr/bin/env bash
# A stranger cannot count a node's sets from its beacons: a node with no
# set, one set and five sets sends beacons of one and the same size. The
# test probes the node on loopback (a probe is answered with a beacon) as
# a stranger would.
. "$(dirname "$0")/../cli/lib.sh"

export REVANS_BEACON_IF=lo
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null; done; rm -rf "$T"' EXIT

read -r PA PBEACON < <(python3 - <<'EOF'
import socket
s = socket.socket(); s.bind(("127.0.0.1", 0))
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 0))
print(s.getsockname()[1], u.getsockname()[1])
EOF
)

# beacon_sizes: probes the node 3 times (a second apart: answers are
# rate-limited, and beacons are made afresh each second) and prints the
# sizes of the beacons that answer, one line.
beacon_sizes() {
  python3 - "$PA" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
sizes = []
for _ in range(3):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(b"\x92\xa3rvp\x01", ("127.0.0.1", port))  # ["rvp", 1]
    try:
        sizes.append(len(s.recv(2048)))
    except OSError:
        sizes.append(0)
    s.close()
    time.sleep(1)
print(*sizes)
EOF
}

A=$T/a
new_home "$A" Ada >/dev/null
"$REVANS" --home "$A" node --port "$PA" --beacon-port "$PBEACON" 2>"$T/node.log" &
PIDS+=($!)
wait_for 5 grep -q "listening on port $PA" "$T/node.log" || fail "node did not start: $(cat "$T/node.log")"

NONE=$(beacon_sizes)
expect_exit 0 rv --home "$A" set create "One"
sleep 2 # the node reloads its sets' beacon keys once a second
ONE=$(beacon_sizes)
for s in Two Three Four Five; do expect_exit 0 rv --home "$A" set create "$s"; done
sleep 2
FIVE=$(beacon_sizes)

read -r n1 _ <<<"$NONE"
[ "${n1:-0}" -gt 0 ] && ok || fail "the node answered no probe: $(cat "$T/node.log")"
for v in $NONE $ONE $FIVE; do
  same "$v" "$n1" "beacon sizes (no set: $NONE; one set: $ONE; five sets: $FIVE)"
done
echo "beacon sizes: no set $NONE; one set $ONE; five sets $FIVE"

finish
