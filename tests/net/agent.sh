#!/usr/bin/env bash
# The agent socket is checked by who holds it, not trusted by its path: a
# stopping node removes only the socket it made, and the commands tell
# nothing to (nor believe) a socket another user listens on.
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

A=$T/a
new_home "$A" Ada >/dev/null

# listen PATH [USER]: a Unix socket listening at PATH (as USER when
# given), writing the number of bytes each caller sent to stdout, until
# killed. Prints "ready" first.
LISTEN='
import os, pwd, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); os.chmod(sys.argv[1], 0o666)
if len(sys.argv) > 2:
    u = pwd.getpwnam(sys.argv[2]); os.setgid(u.pw_gid); os.setuid(u.pw_uid)
s.listen(4); print("ready", flush=True)
while True:
    c, _ = s.accept(); c.settimeout(2)
    try: n = len(c.recv(4096))
    except OSError: n = 0
    print(n, flush=True); c.close()
'

start_node() {
  "$REVANS" --home "$A" node --port "$PA" --beacon-port "$PBEACON" 2>"$T/node.log" &
  NODE_PID=$!
  PIDS+=("$NODE_PID")
  wait_for 5 grep -q "listening on port $PA" "$T/node.log" || fail "node did not start: $(cat "$T/node.log")"
}

# ---- a node's own socket works, and is removed when it stops ------------
start_node
# The passphrase the node was started with is not in its environment
# (revans hands it to revans-node through a pipe, not the environment).
if tr '\0' '\n' <"/proc/$NODE_PID/environ" | grep -q -e "^REVANS_PASSPHRASE=" -e "$REVANS_PASSPHRASE"; then
  fail "the running node's environment holds the passphrase"
else
  ok
fi
expect_exit 0 env -u REVANS_PASSPHRASE "$REVANS" --home "$A" whoami --json
same "$(json "$T/out" 'j["name"]')" "Ada" "the node unlocks the same user's command"
kill -TERM "$NODE_PID"
wait "$NODE_PID"
[ ! -e "$A/agent.sock" ] && ok || fail "a stopping node left its own socket"

# ---- another socket at the path is left alone by a stopping node --------
start_node
rm -f "$A/agent.sock"
python3 -c "$LISTEN" "$A/agent.sock" >"$T/foreign.out" &
FOREIGN=$!
PIDS+=("$FOREIGN")
wait_for 5 grep -q ready "$T/foreign.out" || fail "the foreign listener did not start"
INODE=$(stat -c %i "$A/agent.sock")
kill -TERM "$NODE_PID"
wait "$NODE_PID"
[ -S "$A/agent.sock" ] && [ "$(stat -c %i "$A/agent.sock")" = "$INODE" ] && ok ||
  fail "a stopping node removed a socket it did not make"
kill -KILL "$FOREIGN" 2>/dev/null
wait "$FOREIGN" 2>/dev/null
rm -f "$A/agent.sock"

# ---- a socket another user listens on is told nothing -------------------
# Only root can listen as another user here.
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  python3 -c "$LISTEN" "$A/agent.sock" nobody >"$T/planted.out" &
  PLANTED=$!
  PIDS+=("$PLANTED")
  wait_for 5 grep -q ready "$T/planted.out" || fail "the planted listener did not start"
  expect_exit 0 rv --home "$A" whoami --json
  same "$(json "$T/out" 'j["name"]')" "Ada" "the command unlocks with the passphrase instead"
  grep -q "another user's" "$T/err" && ok || fail "no word of the planted socket: $(cat "$T/err")"
  sleep 0.2
  if grep -qv '^ready$\|^0$' "$T/planted.out"; then
    fail "the planted socket was sent a request: $(cat "$T/planted.out")"
  else
    ok
  fi
  expect_exit 1 rv --home "$A" peers
  kill -KILL "$PLANTED" 2>/dev/null
fi

finish
