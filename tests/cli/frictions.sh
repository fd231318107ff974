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

three_members
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

# Actions. Ada presents at a meeting (dates ahead, so that no --past is
# needed to schedule them) and writes actions: one due long ago (asked
# for with --past), one due years ahead, one with no date.
run_steps() {
  local step
  for step in "$@"; do
    # shellcheck disable=SC2086
    rv --home "$A" $step >/dev/null || fail "meeting step '$step'"
  done
}
expect_exit 0 rv --home "$A" meeting schedule --at "2031-03-10 09:30"
run_steps "meeting start" attend "meeting next" "bid Rota --minutes 30" allocate "meeting next" present

# A due day in the past asks for --past: exit 2, nothing written.
expect_exit 2 rv --home "$A" action add "Talk to the ward manager" --due 2020-01-06
grep -q "is in the past.*--past" "$T/err" && ok || fail "a past due day: $(cat "$T/err")"
expect_exit 0 rv --home "$A" action list --json
same "$(json "$T/out" 'len(j)')" 0 "a refused past due day wrote nothing"
# With --json it is written, with a warning; with --past, without one.
expect_exit 0 rv --home "$A" action add "Read the policy" --due 2020-01-07 --json
same "$(json "$T/out" '("in the past" in j["warning"], j["due"], j["overdue"])')" "(True, '2020-01-07', True)" "--json: written, warned"
expect_exit 0 rv --home "$A" action add "Talk to the ward manager" --due 2020-01-06 --past --json
same "$(json "$T/out" '("warning" in j, j["due"])')" "(False, '2020-01-06')" "--past: no warning"
PAST=$(json "$T/out" 'j["id"]')
expect_exit 0 rv --home "$A" action add "Write the rota" --due 2099-05-01 --json
same "$(json "$T/out" '("warning" in j, j["overdue"])')" "(False, False)" "a day ahead: neither warned nor overdue"
expect_exit 0 rv --home "$A" action add "Ask Ben" --json
READ=$(rv --home "$A" action list --json | python3 -c 'import json,sys; print([a["id"] for a in json.load(sys.stdin) if a["text"] == "Read the policy"][0])')
expect_exit 0 rv --home "$A" report-in "$PAST" --status progress --note "met her deputy"
expect_exit 0 rv --home "$A" report-in "$READ" --status done

# action list: one line an action, the due day and overdue mark, the
# meeting's date (not its id), the latest report (not "...").
expect_exit 0 rv --home "$A" action list
grep -q "\.\.\." "$T/out" && fail "action list still shows '...': $(cat "$T/out")" || ok
row() { grep -F "$1" "${2:-$T/out}" | tr -s ' ' | sed 's/^ //'; }
today=$(date +%F)
same "$(row "Talk to the ward manager")" "${PAST} Ada Talk to the ward manager 2020-01-06 yes progress 2031-03-10 $today progress: met her deputy" "an overdue action's line"
same "$(row "Read the policy")" "${READ} Ada Read the policy 2020-01-07 no done 2031-03-10 $today done" "a done action is not overdue"
same "$(row "Write the rota" | cut -d' ' -f6-)" "2099-05-01 no open 2031-03-10 -" "an action due ahead"
same "$(row "Ask Ben" | cut -d' ' -f5-)" "- no open 2031-03-10 -" "an action with no due day"
head -1 "$T/out" | grep -q "due *overdue *status *meeting_date *latest_report" && ok || fail "action list's heading: $(head -1 "$T/out")"
expect_exit 0 rv --home "$A" action list --json
same "$(json "$T/out" '[(a["due"], a["overdue"], a["meeting_date"]) for a in j]')" \
  "[('2020-01-07', False, '2031-03-10'), ('2020-01-06', True, '2031-03-10'), ('2099-05-01', False, '2031-03-10'), (None, False, '2031-03-10')]" \
  "action list --json: due, overdue, meeting_date"

# Report-in at the next meeting's start shows the same, the done action
# left out.
run_steps "meeting close"
expect_exit 0 rv --home "$A" meeting schedule --at "2031-04-14 09:30"
expect_exit 0 rv --home "$A" meeting start
sed -n '/^report_in:/,$p' "$T/out" >"$T/report"
same "$(row "Talk to the ward manager" "$T/report")" "${PAST} Ada Talk to the ward manager 2020-01-06 yes progress 2031-03-10 $today progress: met her deputy" "report-in's overdue line"
grep -q "Read the policy" "$T/report" && fail "a done action at report-in" || ok
expect_exit 0 rv --home "$A" meeting close
expect_exit 0 rv --home "$A" meeting schedule --at "2031-05-12 09:30"
expect_exit 0 rv --home "$A" meeting start --json
same "$(json "$T/out" '[(a["text"], a["due"], a["overdue"], a["meeting_date"], a["latest_report"]) for a in j["report_in"]][0]')" \
  "('Talk to the ward manager', '2020-01-06', True, '2031-03-10', '$today progress: met her deputy')" "meeting start --json: report-in's fields"

finish
