#!/usr/bin/env bash
# A fork: a member's home is copied (a restored backup) and both copies go
# on writing, so two different records stand at one position of that
# member's chain. Whoever receives both keeps the forked records out of
# state, says so, and passes the evidence on; everyone converges.
. "$(dirname "$0")/lib.sh"

two_members
C_ID=$(new_home "$T/c" "Cy")
D_ID=$(new_home "$T/d" "Di")
cp -a "$A" "$T/a2"

# Both copies of Ada write her record number 3.
expect_exit 0 rv --home "$A" set invite --for "$C_ID" --out "$T/c.invite"
expect_exit 0 rv --home "$T/a2" set invite --for "$D_ID" --out "$T/d.invite"
rv --home "$A" bundle create --out "$T/a.bundle" >/dev/null
rv --home "$T/a2" bundle create --out "$T/a2.bundle" >/dev/null

expect_exit 0 rv --home "$B" bundle apply "$T/a.bundle" --json
same "$(json "$T/out" 'j["forks"]')" 0 "first branch is no fork"
expect_exit 0 rv --home "$B" set members --json
same "$(json "$T/out" 'len(j)')" 3 "C admitted before the fork is known"

expect_exit 0 rv --home "$B" bundle apply "$T/a2.bundle" --json
same "$(json "$T/out" 'j["forks"]')" 1 "the fork is found"
grep -q "fork" "$T/err" && ok || fail "apply warns of the fork"
expect_exit 0 rv --home "$B" set members --json
same "$(json "$T/out" 'sorted(m["name"] or "?" for m in j)')" "['Ada', 'Ben']" "forked records kept out of state"
expect_exit 1 rv --home "$B" verify
grep -q "two different records" "$T/err" && ok || fail "verify reports the fork"

# B's bundle carries the evidence: both copies of Ada learn of the fork and
# reach B's state.
rv --home "$B" bundle create --out "$T/b2.bundle" >/dev/null
expect_exit 0 rv --home "$A" bundle apply "$T/b2.bundle" --json
same "$(json "$T/out" 'j["forks"]')" 1 "A learns of the fork"
expect_exit 0 rv --home "$T/a2" bundle apply "$T/b2.bundle"
hb=$(rv --home "$B" state-hash)
same "$(rv --home "$A" state-hash)" "$hb" "A converges"
same "$(rv --home "$T/a2" state-hash)" "$hb" "the copy converges"

# Re-applying changes nothing.
expect_exit 0 rv --home "$B" bundle apply "$T/a2.bundle" --json
same "$(json "$T/out" 'j["added"]')" 0 "re-apply adds nothing"
same "$(rv --home "$B" state-hash)" "$hb" "hash stable"

finish
