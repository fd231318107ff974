#!/usr/bin/env bash
# A record altered inside the store is reported by verify (exit 1), and no
# command crashes on it; a store that is not a store is refused clearly.
. "$(dirname "$0")/lib.sh"

two_members
expect_exit 0 rv --home "$B" verify

# Find the first record of the bundle inside B's data.mdb and flip one byte
# of its ciphertext there (LMDB keeps values as they are).
python3 - "$T/a.bundle" "$B/data.mdb" <<'PY' || fail "could not find a record in the store"
import sys
bundle = open(sys.argv[1], "rb").read()
store = bytearray(open(sys.argv[2], "rb").read())
# A record ends with its 64-byte signature; take the last 64 bytes before
# the bundle's checksum trailer (34 bytes): the last record's signature.
sig = bundle[-34 - 64:-34]
at = store.find(sig)
if at < 0:
    sys.exit(1)
store[at - 20] ^= 0x10   # inside the ciphertext, before the signature marker
open(sys.argv[2], "wb").write(store)
PY

expect_exit 1 rv --home "$B" verify
grep -q "signature" "$T/err" && ok || fail "verify does not name the signature"
expect_exit 1 rv --home "$B" verify --json
same "$(json "$T/out" 'j["ok"]')" False "verify --json ok flag"
# Reading commands still work, and nothing crashes.
for cmd in "set members" "set show" "log" "state-hash" "bundle create --out $T/x.bundle"; do
  # shellcheck disable=SC2086
  rv --home "$B" $cmd >/dev/null 2>"$T/err"
  st=$?
  [ $st -le 2 ] && ok || fail "'$cmd' on a damaged store exited $st"
done

# A store cut short: refused with a message, not a crash.
cp -a "$B" "$T/cut"
truncate -s 8192 "$T/cut/data.mdb"
for cmd in whoami "set members" verify; do
  # shellcheck disable=SC2086
  expect_exit 1 rv --home "$T/cut" $cmd
done

# A home whose data.mdb is garbage.
D=$T/d
mkdir -m 700 "$D"
head -c 20000 /dev/urandom >"$D/data.mdb"
expect_exit 1 rv --home "$D" whoami
# A home with no identity.
mkdir -m 700 "$T/empty"
expect_exit 1 rv --home "$T/empty" whoami
grep -q "revans init" "$T/err" && ok || fail "no hint to run init"

finish
