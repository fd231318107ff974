#!/usr/bin/env bash
# What the threat model promises at the edges of the machine: a home no
# other user can swap, an agent socket checked on both sides.
. "$(dirname "$0")/lib.sh"

# ---- a home in a loose directory ---------------------------------------
# A directory others may write to: refused at init, with the chmod that
# fixes it; nothing is created there.
L=$T/loose
mkdir -p "$L" && touch "$L/notes.txt" && chmod 0777 "$L"
expect_exit 1 rv --home "$L" init --name Ada
grep -q "chmod go-w $L" "$T/err" || fail "init in a loose directory names the chmod: $(cat "$T/err")"
[ ! -e "$L/data.mdb" ] && ok || fail "init in a loose directory created a store"
chmod 0700 "$L"
expect_exit 0 rv --home "$L" init --name Ada

# A home made safely, loosened later: refused at every open, nothing lost.
chmod 0757 "$L"
expect_exit 1 rv --home "$L" whoami
grep -q "not yours alone" "$T/err" || fail "whoami in a loose home: $(cat "$T/err")"
chmod 0750 "$L"
expect_exit 0 rv --home "$L" whoami --json
same "$(json "$T/out" 'j["name"]')" "Ada" "the home opens again once tightened"

# An empty directory made ahead for a home becomes private at init.
E=$T/empty
mkdir -p "$E" && chmod 0777 "$E"
expect_exit 0 rv --home "$E" init --name Ben
same "$(stat -c %a "$E")" "700" "an empty directory is made private"

# Another user's directory (only root can make one here).
if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1; then
  O=$T/other
  mkdir -p "$O" && touch "$O/x" && chown nobody "$O" && chmod 0700 "$O"
  expect_exit 1 rv --home "$O" init --name Cy
  grep -q "not yours alone" "$T/err" || fail "another user's directory: $(cat "$T/err")"
  chown -R nobody "$L"
  expect_exit 1 rv --home "$L" whoami
  chown -R "$(id -u)" "$L"
fi

# ---- the passphrase kept from children ----------------------------------
# REVANS_PASSPHRASE is read once and taken out of the environment: the
# editor a command runs never sees it.
J=$T/journal
new_home "$J" Jo >/dev/null
cat >"$T/editor.sh" <<EOF2
#!/bin/sh
env >"$T/editor.env"
printf 'an entry\n' >"\$1"
EOF2
chmod +x "$T/editor.sh"
EDITOR="$T/editor.sh" VISUAL= expect_exit 0 rv --home "$J" journal add
[ -s "$T/editor.env" ] && ok || fail "the editor did not run"
if grep -q -e "^REVANS_PASSPHRASE=" -e "$REVANS_PASSPHRASE" "$T/editor.env"; then
  fail "the editor's environment holds the passphrase"
else
  ok
fi


# init measures Argon2id costs for about a second here (never below
# libsodium's interactive 64 MiB, 2 passes) and whoami says what they are.
P=$T/pass
expect_exit 0 rv --home "$P" init --name Pat --json
expect_exit 0 rv --home "$P" whoami --json
python3 - "$T/out" <<'EOF2' && ok || fail "whoami's stretch: $(cat "$T/out")"
import json, re, sys
j = json.load(open(sys.argv[1]))
m = re.fullmatch(r"Argon2id, (\d+) MiB, (\d+) passes", j["stretch"])
assert m and int(m[1]) >= 64 and int(m[2]) >= 2, j
assert isinstance(j["unlock_ms"], int) and j["unlock_ms"] > 0, j
EOF2
expect_exit 0 rv --home "$P" set create "Kept"
printf 'a new passphrase\n' >"$T/new.pass"
: >"$T/empty.pass"
# The old passphrase is needed; an empty new one is refused; neither
# changes anything.
REVANS_PASSPHRASE=wrong expect_exit 1 rv --home "$P" passphrase change --new-passphrase-file "$T/new.pass"
expect_exit 1 rv --home "$P" passphrase change --new-passphrase-file "$T/empty.pass"
grep -q "new passphrase is empty" "$T/err" || fail "empty new passphrase: $(cat "$T/err")"
expect_exit 0 rv --home "$P" whoami
expect_exit 0 rv --home "$P" passphrase change --new-passphrase-file "$T/new.pass"
expect_exit 1 rv --home "$P" whoami
grep -q "wrong passphrase" "$T/err" || fail "the old passphrase still unlocks"
REVANS_PASSPHRASE="a new passphrase" expect_exit 0 rv --home "$P" set list --json
same "$(json "$T/out" '[s["name"] for s in j]')" "['Kept']" "the set survives a passphrase change"

finish
