#!/usr/bin/env bash
# The presenter's wall, live: `questions --watch` shows the wall again when
# new records reach the store (here through a bundle), without polling,
# and ends cleanly on SIGTERM. Into a pipe or a file the showings follow
# one another with no escape codes; on a terminal (a pseudo-terminal made
# by script(1), when it is installed) each one clears the screen first.
. "$(dirname "$0")/lib.sh"

two_members
sync2() {
  rv --home "$A" bundle create --out "$T/a.b" >/dev/null && rv --home "$B" bundle apply "$T/a.b" >/dev/null || fail "A to B"
  rv --home "$B" bundle create --out "$T/b.b" >/dev/null && rv --home "$A" bundle apply "$T/b.b" >/dev/null || fail "B to A"
}
rv --home "$A" meeting schedule --at "2026-12-01 10:00" --past >/dev/null || fail schedule
rv --home "$A" meeting start >/dev/null || fail start
rv --home "$A" meeting next >/dev/null || fail next
sync2
rv --home "$B" bid "Something on my mind" >/dev/null || fail bid
sync2
rv --home "$A" allocate >/dev/null || fail allocate
rv --home "$A" meeting next >/dev/null || fail next
sync2
rv --home "$B" present >/dev/null || fail present
rv --home "$A" meeting questions >/dev/null || fail "meeting questions" # carried with the question

"$REVANS" --home "$B" questions --watch --json >"$T/wall" 2>"$T/wall.err" &
watcher=$!
"$REVANS" --home "$B" questions --watch 2>"$T/human.err" > >(cat >"$T/human") &
human=$!
if command -v script >/dev/null; then
  script -qfec "'$REVANS' --home '$B' questions --watch" /dev/null >"$T/tty" 2>&1 </dev/null &
  tty=$!
fi
# The first wall: empty.
for _ in $(seq 50); do [ -s "$T/wall" ] && break; sleep 0.1; done
same "$(head -1 "$T/wall")" "[]" "the first wall"

rv --home "$A" ask "What would you like to happen next?" >/dev/null || fail ask
rv --home "$A" bundle create --out "$T/a.b" >/dev/null
rv --home "$B" bundle apply "$T/a.b" >/dev/null || fail "apply"
for _ in $(seq 100); do grep -q "What would you like" "$T/wall" && break; sleep 0.1; done
grep -q "What would you like" "$T/wall" && ok || fail "the question never reached the live wall"
tail -1 "$T/wall" | python3 -c 'import json,sys; j=json.loads(sys.stdin.readline()); assert j[0]["from"]=="Ada", j' \
  && ok || fail "the live wall is not one JSON document per refresh"

kill -TERM "$watcher"
wait "$watcher"
same "$?" 0 "the watcher's exit status on SIGTERM"

# Piped: the empty wall, then the question, both in the file, and not one
# escape character.
for _ in $(seq 100); do grep -q "What would you like" "$T/human" && break; sleep 0.1; done
grep -q "What would you like" "$T/human" && ok || fail "the question never reached the piped wall"
grep -q $'\033' "$T/human" && fail "escape codes written into a pipe: $(od -c "$T/human" | head -3)" || ok
kill -TERM "$human"
wait "$human"
same "$?" 0 "the piped watcher's exit status on SIGTERM"
if [ -n "${tty:-}" ]; then
  for _ in $(seq 100); do grep -q "What would you like" "$T/tty" && break; sleep 0.1; done
  grep -q "What would you like" "$T/tty" && ok || fail "the question never reached the terminal's wall"
  grep -q $'\033\[H\033\[2J' "$T/tty" && ok || fail "no screen cleared on a terminal"
  kill -TERM "$tty" 2>/dev/null
  wait "$tty" 2>/dev/null
fi

finish
