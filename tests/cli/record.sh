#!/usr/bin/env bash
# What the set's record keeps when people change their minds: attending
# replaces an apology and an apology replaces attendance; a meeting not yet
# started is cancelled with its reason, a running one closed from any step;
# meetings numbered by their date; a meeting in the past asked for --past;
# the quorum changes no contract version, while editing and withdrawing a
# rule do.
. "$(dirname "$0")/lib.sh"

two_members
as() { local h=$1; shift; expect_exit 0 rv --home "$h" "$@"; }
refused() { local h=$1 code=$2 want=$3; shift 3; expect_exit "$code" rv --home "$h" "$@" && { grep -q -- "$want" "$T/err" && ok || fail "'$*' refused without '$want': $(cat "$T/err")"; }; }
sync() {
  rv --home "$A" bundle create --out "$T/a.bundle" >/dev/null || fail "bundle A"
  rv --home "$B" bundle apply "$T/a.bundle" >/dev/null || fail "apply A on B"
  rv --home "$B" bundle create --out "$T/b.bundle" >/dev/null || fail "bundle B"
  rv --home "$A" bundle apply "$T/b.bundle" >/dev/null || fail "apply B on A"
}
day() { date -d "+$1 days" +%Y-%m-%d; }

# ---- a meeting in the past ------------------------------------------------
refused "$A" 2 "--past" meeting schedule --at "2020-03-01 10:00"
as "$A" meeting list --json
same "$(json "$T/out" 'len(j)')" 0 "nothing scheduled without --past"
as "$A" meeting schedule --at "2020-03-01 10:00" --json
same "$(json "$T/out" '"past" in j["warning"]')" True "--json writes a past meeting with a warning"
as "$A" meeting schedule --at "2020-02-01 10:00" --past --json
same "$(json "$T/out" '"warning" in j')" False "no warning with --past"

# ---- numbered by date --------------------------------------------------------
as "$A" meeting schedule --at "$(day 20) 10:00" --place "Later" --json
LATER=$(json "$T/out" 'j["id"]')
as "$A" meeting schedule --at "$(day 10) 10:00" --place "Sooner" --json
SOONER=$(json "$T/out" 'j["id"]')
same "$(json "$T/out" 'j["place"]')" Sooner "schedule shows the meeting it wrote"
as "$A" meeting list --json
same "$(json "$T/out" '[m["at"][:10] for m in j] == sorted(m["at"][:10] for m in j)')" True \
  "meetings listed by date"
same "$(json "$T/out" '[m["place"] for m in j][2:]')" "['Sooner', 'Later']" "the sooner meeting first"

# ---- cancelling ------------------------------------------------------------
sync
refused "$B" 1 "only a facilitator" meeting cancel "$LATER"
refused "$A" 1 "has not started" meeting close "$LATER"
as "$A" meeting cancel "$LATER" --reason "The room is being painted" --json
same "$(json "$T/out" 'j["phase"]')" cancelled "phase after cancel"
sync
as "$B" meeting show "$LATER" --json
same "$(json "$T/out" '(j["phase"], j["reason"])')" "('cancelled', 'The room is being painted')" \
  "cancelled with its reason on the other laptop"
same "$(json "$T/out" '(j["minutes_left"], j["warnings"])')" "(None, [])" "a cancelled meeting has no clock"
as "$B" meeting list
grep -q "The room is being painted" "$T/out" && ok || fail "meeting list lacks the reason: $(cat "$T/out")"
refused "$A" 1 "cancelled" meeting start "$LATER"
refused "$B" 1 "cancelled" apologise "$LATER"
refused "$A" 1 "already cancelled" meeting cancel "$LATER"
refused "$A" 2 "meeting cancel needs" meeting cancel

# ---- apologies, then attending -----------------------------------------------
as "$B" apologise "$SOONER" --note "Clinic runs late"
sync
as "$A" meeting start "$SOONER"
refused "$A" 1 "not yet started" meeting cancel "$SOONER"
sync
as "$B" attend --json
same "$(json "$T/out" '(j["attendees"], j["apologies"])')" "(['Ben'], [])" \
  "attending replaces the apology"
sync
as "$A" meeting show "$SOONER" --json
same "$(json "$T/out" '(j["attendees"], j["apologies"])')" "(['Ben'], [])" "the same on the facilitator's laptop"
as "$B" apologise "$SOONER" --note "Called away" --json
same "$(json "$T/out" '(j["attendees"], [a["note"] for a in j["apologies"]])')" "([], ['Called away'])" \
  "an apology while the meeting runs replaces attendance"

# ---- closing from any step ---------------------------------------------------
as "$A" meeting close --json
same "$(json "$T/out" 'j["phase"]')" closed "closed from report-in"
close_from() { # STEPS...: starts a new meeting, takes the steps, closes it
  as "$A" meeting schedule --at "$(day 30) 10:00" --json
  local m
  m=$(json "$T/out" 'j["id"]')
  as "$A" meeting start "$m"
  for step in "$@"; do as "$A" $step; done
  as "$A" meeting close --json
  same "$(json "$T/out" 'j["phase"]')" closed "closed after: $*"
}
close_from "meeting next"                       # bidding, nobody bid
close_from "meeting next" "bid Rota"            # bidding, a bid not allocated
close_from "meeting next" "bid Rota" "allocate" "meeting next" # presentations
close_from "meeting next" "bid Rota" "allocate" "meeting next" "present"
close_from "meeting next" "meeting next"        # feedback

# ---- the contract ------------------------------------------------------------
as "$A" contract add "What is said here stays here"
as "$A" contract add "Biscuits are compulsory"
sync
as "$B" contract agree
sync
as "$A" contract quorum 2 --json
same "$(json "$T/out" 'j["version"]')" 2 "the quorum changes no version"
as "$A" contract --json
same "$(json "$T/out" '(j["version"], j["agreed"])')" "(2, ['Ben'])" "Ben's agreement stands after the quorum"
refused "$B" 1 "only a facilitator" contract withdraw 2
refused "$A" 2 "numbered 1 to 2" contract withdraw 3
refused "$A" 2 "not a rule's number" contract edit x "Tea"
refused "$A" 2 "contract edit needs" contract edit 1
as "$A" contract edit 1 "What is said in the set stays in the set" --json
same "$(json "$T/out" '(j["version"], j["rules"][0]["rule"], j["agreed"])')" \
  "(3, 'What is said in the set stays in the set', [])" "an edit is a new version to agree to"
as "$A" contract withdraw 2 --json
same "$(json "$T/out" '(j["version"], [r["rule"] for r in j["rules"]])')" \
  "(4, ['What is said in the set stays in the set'])" "a withdrawal is a new version"
sync
as "$B" contract --json
same "$(json "$T/out" '(j["version"], len(j["rules"]), sorted(j["not_yet_agreed"]))')" "(4, 1, ['Ada', 'Ben'])" \
  "everyone asked to agree again"

finish
