#!/usr/bin/env bash
# The command-line contract: --help on every command, exit 2 for usage
# errors, exit 1 with a "revans: " message for failures, and the checks
# each command makes before it writes anything.
. "$(dirname "$0")/lib.sh"

# --help on every command and family, and no home needed for it.
for cmd in "init" "whoami" "set create" "set list" "set show" "set use" "set members" \
  "set invite" "set join" "bundle create" "bundle apply" "log" "verify" "state-hash"; do
  # shellcheck disable=SC2086
  expect_exit 0 rv $cmd --help
  grep -q "^usage: revans $cmd" "$T/out" && ok || fail "help of '$cmd'"
done
expect_exit 0 rv --help
expect_exit 0 rv set --help
expect_exit 0 rv --version
grep -q "libzmq" "$T/out" && ok || fail "--version names the libraries"

# Usage errors: exit 2.
expect_exit 2 rv
expect_exit 2 rv frobnicate
expect_exit 2 rv set
expect_exit 2 rv set frobnicate
expect_exit 2 rv init
expect_exit 2 rv init --name
expect_exit 2 rv init --name Ada extra
expect_exit 2 rv whoami --bogus
expect_exit 2 rv set create
expect_exit 2 rv set create a b
expect_exit 2 rv set invite --for abc
expect_exit 2 rv set invite --role boss --for abc --out x
expect_exit 2 rv set join
expect_exit 2 rv bundle create
expect_exit 2 rv bundle apply
expect_exit 2 rv log -n 0
expect_exit 2 rv log -n many
expect_exit 2 rv verify extra
expect_exit 2 rv --home
expect_exit 2 rv --home "" whoami

# No home yet.
A=$T/a
expect_exit 1 rv --home "$A" whoami
grep -q "revans init" "$T/err" && ok || fail "hint to run init"

# init: bad names, an existing home, passphrases.
expect_exit 1 rv --home "$A" init --name ""
expect_exit 1 rv --home "$A" init --name "$(printf 'x%.0s' {1..65})"
REVANS_PASSPHRASE="" expect_exit 1 rv --home "$A" init --name Ada
[ ! -e "$A/data.mdb" ] && ok || fail "a failed init left a store"
A_ID=$(new_home "$A" "Ada")
expect_exit 1 rv --home "$A" init --name Ada
grep -q "already holds an identity" "$T/err" && ok || fail "existing home message"
REVANS_PASSPHRASE="wrong" expect_exit 1 rv --home "$A" whoami
grep -q "wrong passphrase" "$T/err" && ok || fail "wrong passphrase message"
printf '%s\n' "$REVANS_PASSPHRASE" >"$T/pass"
env -u REVANS_PASSPHRASE "$REVANS" --home "$A" --passphrase-file "$T/pass" whoami --json >"$T/out" 2>"$T/err"
same "$(json "$T/out" 'j["id"]')" "$A_ID" "passphrase from a file"
expect_exit 1 env -u REVANS_PASSPHRASE "$REVANS" --home "$A" --passphrase-file "$T/nope" whoami
# With no passphrase source and no terminal: a clear error, not a hang.
expect_exit 1 setsid -w env -u REVANS_PASSPHRASE "$REVANS" --home "$A" whoami </dev/null

# The home given by the environment.
REVANS_HOME="$A" expect_exit 0 rv whoami
XDG_DATA_HOME="$T/xdg" expect_exit 0 rv init --name Xena
[ -f "$T/xdg/revans/data.mdb" ] && ok || fail "XDG_DATA_HOME/revans used"

# Control characters in a name would reach other members' terminals.
expect_exit 1 rv --home "$T/ctl" init --name "$(printf 'Ada\033]2;owned\007')"
# A directory that already holds something and that others may write to
# is refused (another user could swap the store); its mode is not changed.
mkdir -p "$T/shared" && chmod 1777 "$T/shared" && touch "$T/shared/other-file"
expect_exit 1 rv --home "$T/shared" init --name Sam
same "$(stat -c %a "$T/shared")" 1777 "an existing directory keeps its mode"
# No output file inside the home: it could replace the store.
expect_exit 1 rv --home "$A" bundle create --out "$A/data.mdb"
grep -q "inside the home" "$T/err" && ok || fail "out-inside-home message"
expect_exit 0 rv --home "$A" whoami

# Sets: none yet, bad names, duplicates.
expect_exit 1 rv --home "$A" set members
grep -q "no set here" "$T/err" && ok || fail "no-set message"
expect_exit 1 rv --home "$A" set create ""
expect_exit 1 rv --home "$A" set create "$(printf 'y%.0s' {1..65})"
expect_exit 1 rv --home "$A" set create "Topic too long" --topic "$(head -c 5000 /dev/zero | tr '\0' t)"
expect_exit 0 rv --home "$A" set create "Circle"
expect_exit 1 rv --home "$A" set create "Circle"
expect_exit 1 rv --home "$A" --set "Nope" set show
expect_exit 1 rv --home "$A" set use "Nope"

# Invitations: bad ids, only facilitators invite.
expect_exit 1 rv --home "$A" set invite --for "not-hex" --out "$T/x.invite"
expect_exit 1 rv --home "$A" set invite --for "abcd" --out "$T/x.invite"
[ ! -e "$T/x.invite" ] && ok || fail "a refused invite wrote a file"
B=$T/b
B_ID=$(new_home "$B" "Ben")
C=$T/c
C_ID=$(new_home "$C" "Cy")
expect_exit 1 rv --home "$A" set invite --for "$B_ID" --out "$T/nodir/x.invite"
# The failed write recorded nothing: the set still has one member.
expect_exit 0 rv --home "$A" set members --json
same "$(json "$T/out" 'len(j)')" 1 "no member added by a failed invite"
expect_exit 0 rv --home "$A" set invite --for "$B_ID" --out "$T/b.invite"
expect_exit 0 rv --home "$B" set join "$T/b.invite"
expect_exit 1 rv --home "$B" set invite --for "$C_ID" --out "$T/c.invite"
grep -q "only a facilitator can invite" "$T/err" && ok || fail "permission message"
[ ! -e "$T/c.invite" ] && ok || fail "a refused invite wrote a file"
expect_exit 0 rv --home "$B" log --json
same "$(json "$T/out" 'len(j)')" 3 "B's refused invite wrote no record"

# Days not in the calendar are refused, never moved to the next month.
for at in "2026-02-30 10:00" "2026-04-31 09:00" "2027-02-29 09:00"; do
  expect_exit 2 rv --home "$A" meeting schedule --at "$at"
  grep -q "is not a day of the calendar" "$T/err" && ok || fail "'$at' not refused as no day"
done
expect_exit 0 rv --home "$A" meeting list --json
same "$(json "$T/out" 'len(j)')" 0 "no meeting scheduled on a day that is none"
expect_exit 0 rv --home "$A" meeting schedule --at "2028-02-29 09:00" --json
same "$(json "$T/out" 'j["at"][:10]')" "2028-02-29" "a leap day kept as given"
expect_exit 2 rv --home "$A" action add "Write up" --due 2026-06-31
grep -q "is not a day of the calendar" "$T/err" && ok || fail "--due on no day not refused"

# A quorum larger than the set could never be met: refused, nothing written.
expect_exit 0 rv --home "$A" contract --json
V=$(json "$T/out" 'j["version"]')
expect_exit 1 rv --home "$A" contract quorum 99
grep -q "more than the set's 2 members" "$T/err" && ok || fail "quorum over the set not refused"
expect_exit 0 rv --home "$A" contract --json
same "$(json "$T/out" '(j["version"], j["quorum"])')" "($V, 0)" "a refused quorum wrote nothing"
expect_exit 0 rv --home "$A" contract quorum 2

# A due day in the past asks for --past (checked before anything is read).
expect_exit 2 rv --home "$A" action add "Write up" --due 2020-01-06
grep -q -- "is in the past.*add --past" "$T/err" && ok || fail "a past --due not refused: $(cat "$T/err")"

finish
