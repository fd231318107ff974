#!/usr/bin/env bash
# Small frictions a new facilitator meets: an unknown subcommand is named;
# a member asking for an invitation is told only facilitators invite;
# `set remove` says who was removed; report-in and `action list` show due
# dates, overdue actions, the meeting's date and the latest report; an
# action due in the past asks for --past.
. "$(dirname "$0")/lib.sh"

# An unknown subcommand names the words typed, exit 2, with the family's
# commands; a family alone still asks for its subcommand.
expect_exit 2 rv meeting frobnicate
grep -qx "revans: unknown command 'meeting frobnicate'" "$T/err" && ok || fail "unknown subcommand: $(cat "$T/err")"
grep -q "revans meeting start" "$T/err" && ok || fail "the family's commands after an unknown one"
expect_exit 2 rv meeting
grep -qx "revans: 'meeting' needs a subcommand" "$T/err" && ok || fail "a family alone: $(cat "$T/err")"
expect_exit 2 rv frobnicate
grep -q "unknown command 'frobnicate'" "$T/err" && ok || fail "an unknown word: $(cat "$T/err")"

A=$T/ada B=$T/ben C=$T/cy
new_home "$A" "Ada" >/dev/null
B_ID=$(new_home "$B" "Ben")
C_ID=$(new_home "$C" "Cy")
rv --home "$A" set create "Ward leaders" >/dev/null || fail "set create"
rv --home "$A" set invite --for "$B_ID" --out "$T/b.invite" >/dev/null || fail "invite B"
rv --home "$A" set invite --for "$C_ID" --out "$T/c.invite" >/dev/null || fail "invite C"
rv --home "$B" set join "$T/b.invite" >/dev/null || fail "join B"
rv --home "$C" set join "$T/c.invite" >/dev/null || fail "join C"
for h in "$B" "$C"; do
  rv --home "$h" bundle create --out "$h.bundle" >/dev/null || fail "bundle of $h"
  rv --home "$A" bundle apply "$h.bundle" >/dev/null || fail "apply $h on Ada"
done

# A member asking for an invitation code (no node running) is told that
# only facilitators invite, not to start a node.
expect_exit 1 rv --home "$B" set invite
grep -qx "revans: only a facilitator can invite" "$T/err" && ok || fail "a member's invite: $(cat "$T/err")"
# The facilitator is told about the node.
expect_exit 1 rv --home "$A" set invite
grep -q "start 'revans node' first" "$T/err" && ok || fail "the facilitator's invite: $(cat "$T/err")"

# set remove says who was removed, and the new key's reach.
expect_exit 0 rv --home "$A" set remove Cy
same "$(head -1 "$T/out")" "Cy removed from the set 'Ward leaders'" "set remove names the member as removed"
grep -q "sealed to the 2 members who remain" "$T/out" && ok || fail "set remove's second line: $(cat "$T/out")"

finish
