#!/usr/bin/env bash
# Two homes on one machine: A creates a set, invites B offline, B joins;
# bundles both ways; both list two members with A as facilitator, reach
# the same state hash, and verify cleanly.
. "$(dirname "$0")/lib.sh"

two_members

for h in "$A" "$B"; do
  expect_exit 0 rv --home "$h" set members --json
  same "$(json "$T/out" 'len(j)')" 2 "members on $h"
  same "$(json "$T/out" '[m["role"] for m in j if m["name"]=="Ada"][0]')" facilitator "Ada's role on $h"
  same "$(json "$T/out" '[m["role"] for m in j if m["name"]=="Ben"][0]')" member "Ben's role on $h"
  same "$(json "$T/out" '[m["id"] for m in j if m["name"]=="Ada"][0]')" "$A_ID" "Ada's id on $h"
  expect_exit 0 rv --home "$h" verify
done

ha=$(rv --home "$A" state-hash)
hb=$(rv --home "$B" state-hash)
same "$ha" "$hb" "state hashes"
[[ "$ha" =~ ^[0-9a-f]{64}$ ]] && ok || fail "state-hash is not one hex line: $ha"

# Applying the same bundles again changes nothing.
expect_exit 0 rv --home "$B" bundle apply "$T/a.bundle" --json
same "$(json "$T/out" 'j["added"]')" 0 "re-apply adds nothing"
same "$(rv --home "$B" state-hash)" "$hb" "hash after re-apply"

# Sets are found by name, by id prefix, and by default.
expect_exit 0 rv --home "$B" --set "Reflective practice" set show --json
same "$(json "$T/out" 'j["id"]')" "$SET_ID" "set by name"
expect_exit 0 rv --home "$B" --set "${SET_ID:0:6}" set show --json
same "$(json "$T/out" 'j["role"]')" member "B's role"
expect_exit 0 rv --home "$A" set list --json
same "$(json "$T/out" 'j[0]["role"]')" facilitator "A's role in list"
same "$(json "$T/out" 'j[0]["members"]')" 2 "member count in list"

# The log shows the three records newest first, decrypted on both sides.
expect_exit 0 rv --home "$B" log --json
same "$(json "$T/out" '[r["type"] for r in j]')" "['member.join', 'member.add', 'set.create']" "log types"
same "$(json "$T/out" 'j[0]["author"]')" Ben "newest record's author"
expect_exit 0 rv --home "$A" log -n 1 --json
same "$(json "$T/out" 'len(j)')" 1 "log -n 1"

# A second set on A: commands then need --set or 'set use'.
expect_exit 0 rv --home "$A" set create "Second set"
expect_exit 1 rv --home "$A" set members
grep -q 'several sets' "$T/err" && ok || fail "no hint about several sets"
expect_exit 0 rv --home "$A" set use "Reflective practice"
expect_exit 0 rv --home "$A" set members --json
same "$(json "$T/out" 'len(j)')" 2 "members after set use"

# B's bundle to A now holds only the shared set; A's bundle to B holds a
# set B is not in: its records are counted as foreign, the rest applied.
rv --home "$A" bundle create --out "$T/a2.bundle" >/dev/null
expect_exit 0 rv --home "$B" bundle apply "$T/a2.bundle" --json
same "$(json "$T/out" 'j["foreign"]')" 1 "foreign records skipped"
same "$(rv --home "$B" state-hash)" "$hb" "hash unchanged by a foreign set"
expect_exit 0 rv --home "$B" set list --json
same "$(json "$T/out" 'len(j)')" 1 "B still holds one set"

finish
