#!/usr/bin/env bash
# Removing a member: Ada (facilitator), Ben and Cy form a set; Ada removes
# Cy, which starts a new key epoch. Records then travel by bundles to all
# three homes, Cy's included: Cy's home holds none of what is written
# afterwards (a contract rule, a question) and shows none of it in any
# --json output, while Ada and Ben read it, list Cy as removed, reach the
# same state hash, and every home verifies cleanly. Cy can no longer write,
# and only a facilitator removes.
. "$(dirname "$0")/lib.sh"

three_members

sync_all

# Before: Cy reads what the set writes.
as "$A" contract add "Before-removal rule"
sync_all
as "$C" contract --json
grep -q "Before-removal rule" "$T/out" && ok || fail "Cy reads the rule written before the removal"

# Only a facilitator removes; nobody unknown is removed.
refused "$B" "only a facilitator removes" set remove Cy
refused "$A" "not a member" set remove Zed
as "$A" set show --json
E0=$(json "$T/out" 'j["epoch"]')

# Ada removes Cy by name: a new epoch.
as "$A" set remove Cy --json
same "$(json "$T/out" 'j["id"]')" "$C_ID" "removed id"
same "$(json "$T/out" 'j["role"]')" removed "removed role"
E1=$(json "$T/out" 'j["epoch"]')
[ "$E1" != "$E0" ] && ok || fail "the epoch did not change: $E0"
refused "$A" "already been removed" set remove Cy
refused "$A" "cannot be invited again" set invite --for "$C_ID" --out "$T/c2.invite"
sync_all

# Written after the removal: a contract rule by Ada, and a question Ada puts
# to Ben in a meeting.
MARK=Zanzibar-after-removal
as "$A" contract add "Rule $MARK"
as "$A" meeting schedule --at "2026-12-01 09:30" --past --minutes 60
sync_all
as "$A" meeting start
as "$A" meeting next
sync_all
as "$B" bid "Something about $MARK" --minutes 20
sync_all
as "$A" allocate
as "$A" meeting next
sync_all
as "$B" present
as "$A" meeting questions
sync_all
as "$A" ask "What happened at $MARK?"
sync_all

# Cy's home: the removal is known, the later records are not held.
as "$C" set members --json
same "$(json "$T/out" '[m["role"] for m in j if m["name"]=="Cy"][0]')" removed "Cy's role on Cy's home"
as "$C" set show --json
same "$(json "$T/out" 'j["role"]')" removed "Cy sees themself removed"
rv --home "$A" bundle create --out "$T/a.bundle" >/dev/null
as "$C" bundle apply "$T/a.bundle" --json
[ "$(json "$T/out" 'j["unreadable"]')" -gt 0 ] && ok || fail "Cy's home reads every record: $(cat "$T/out")"
for cmd in "contract" "log" "questions --all" "meeting list" "set show" "export --format json"; do
  # shellcheck disable=SC2086
  rv --home "$C" $cmd --json >"$T/cy.json" 2>/dev/null
  grep -q "$MARK" "$T/cy.json" && fail "Cy's '$cmd' shows what was written after the removal" || ok
done
grep -rqa "$MARK" "$C" && fail "the marker is in Cy's home in clear" || ok
refused "$C" "removed member" contract agree
as "$C" verify

# Ada's and Ben's homes: Cy removed, the later records read, one hash.
for h in "$A" "$B"; do
  as "$h" set members --json
  same "$(json "$T/out" 'sorted((m["name"], m["role"]) for m in j)')" \
    "[('Ada', 'facilitator'), ('Ben', 'member'), ('Cy', 'removed')]" "members on $h"
  as "$h" contract --json
  grep -q "Rule $MARK" "$T/out" && ok || fail "$h does not read the rule written after the removal"
  as "$h" questions --all --json
  grep -q "What happened at $MARK" "$T/out" && ok || fail "$h does not read the question"
  as "$h" set show --json
  same "$(json "$T/out" 'j["epoch"]')" "$E1" "epoch on $h"
  as "$h" verify
done
same "$(rv --home "$A" state-hash)" "$(rv --home "$B" state-hash)" "state hashes of Ada and Ben"

finish
