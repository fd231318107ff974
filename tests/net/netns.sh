# A LAN made of network namespaces, for the tests that need hosts with
# addresses of their own (lan.sh, partition.sh). Source it after
# ../cli/lib.sh. Needs root and 'ip netns': without them it prints SKIP and
# exits 77.
#
#   lan_up HOST...        a bridge in its own namespace and one namespace
#                         per HOST on it, 10.99.0.1, .2, ... /24 in order
#   on HOST CMD...        runs revans with CMD inside HOST's namespace
#   start_node HOST       HOST's node on the default ports, its log in
#                         $T/HOST.log; waits until it listens
#   stop_node HOST        SIGTERM, and waits for it to exit
#   cut HOST / heal HOST  takes HOST's cable out / puts it back
#   side HOST 0|1         plugs HOST into switch 0 (where all start) or 1:
#                         hosts on different switches cannot reach each other
# Everything is removed on exit.

if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null || ! ip netns add "rvprobe$$" 2>/dev/null; then
  echo "SKIP: this test needs root and 'ip netns' (network namespaces)"
  exit 77
fi
ip netns del "rvprobe$$"

NS_BR="rvbr$$"
HOSTS=()
declare -A NODE_PID=()
lan_cleanup() {
  for p in "${NODE_PID[@]}"; do kill -KILL "$p" 2>/dev/null; done
  for h in "${HOSTS[@]}"; do ip netns del "rv$$$h" 2>/dev/null; done
  ip netns del "$NS_BR" 2>/dev/null
  [ -n "${REVANS_TEST_KEEP:-}" ] && cp -r "$T" "$REVANS_TEST_KEEP"
  rm -rf "$T"
}
trap lan_cleanup EXIT

lan_up() {
  local i=1 h ns
  ip netns add "$NS_BR"
  for h in br0 br1; do
    ip -n "$NS_BR" link add "$h" type bridge
    ip -n "$NS_BR" link set "$h" up
  done
  for h in "$@"; do
    ns="rv$$$h"
    HOSTS+=("$h")
    ip netns add "$ns"
    ip link add "v$$$h" netns "$NS_BR" type veth peer name eth0 netns "$ns"
    ip -n "$NS_BR" link set "v$$$h" master br0 up
    ip -n "$ns" addr add "10.99.0.$i/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    i=$((i + 1))
  done
}

on() {
  local h=$1
  shift
  ip netns exec "rv$$$h" "$REVANS" --home "$T/$h" "$@"
}

listening_more() { [ "$(grep -c "listening on port" "$T/$1.log")" -gt "$2" ]; }
start_node() {
  local lines=0
  [ -f "$T/$1.log" ] && lines=$(grep -c "listening on port" "$T/$1.log")
  ip netns exec "rv$$$1" "$REVANS" --home "$T/$1" node 2>>"$T/$1.log" &
  NODE_PID[$1]=$!
  wait_for 10 listening_more "$1" "$lines" ||
    fail "node $1 did not start: $(tail -n 5 "$T/$1.log")"
}

stop_node() {
  local p=${NODE_PID[$1]:-}
  [ -n "$p" ] || return 0
  kill -TERM "$p" 2>/dev/null
  wait "$p" 2>/dev/null
  unset "NODE_PID[$1]"
}

cut() { ip -n "$NS_BR" link set "v$$$1" down; }
heal() { ip -n "$NS_BR" link set "v$$$1" up; }
side() { ip -n "$NS_BR" link set "v$$$1" master "br$2"; }
