#!/usr/bin/env bash
# Bad bundles and invitations: altered bytes, truncations, garbage, a
# foreign bundle, files that are not files. Each is refused with exit 1 and
# a message, and the receiving home is exactly as it was.
. "$(dirname "$0")/lib.sh"

two_members
A2=$T/a
# A writes one more record so that B has something to receive.
expect_exit 0 rv --home "$A2" set create "Another"
rv --home "$A2" set use "Reflective practice" >/dev/null
rv --home "$A2" set invite --for "$B_ID" --role facilitator --out "$T/promote.invite" >/dev/null
rv --home "$A2" bundle create --out "$T/new.bundle" >/dev/null

before_hash=$(rv --home "$B" state-hash)
before_log=$(rv --home "$B" log --json)
unchanged() {
  same "$(rv --home "$B" state-hash)" "$before_hash" "state hash after $1"
  same "$(rv --home "$B" log --json)" "$before_log" "log after $1"
}

size=$(stat -c %s "$T/new.bundle")
# Alter single bytes spread over the whole file: the header, every record,
# the checksum.
for pos in 0 1 5 9 17 30 $((size / 7)) $((size / 5)) $((size / 3)) $((size / 2)) \
  $((size * 2 / 3)) $((size * 4 / 5)) $((size - 70)) $((size - 40)) $((size - 33)) $((size - 1)); do
  cp "$T/new.bundle" "$T/bad"
  python3 - "$T/bad" "$pos" <<'PY'
import sys
p, pos = sys.argv[1], int(sys.argv[2])
b = bytearray(open(p, "rb").read())
b[pos] ^= 0x01
open(p, "wb").write(b)
PY
  expect_exit 1 rv --home "$B" bundle apply "$T/bad"
done
unchanged "altered bytes"

# Truncations, including to nothing.
for len in 0 1 10 $((size / 2)) $((size - 34)) $((size - 1)); do
  head -c "$len" "$T/new.bundle" >"$T/bad"
  expect_exit 1 rv --home "$B" bundle apply "$T/bad"
done
# Extra bytes after the end.
{ cat "$T/new.bundle"; printf 'x'; } >"$T/bad"
expect_exit 1 rv --home "$B" bundle apply "$T/bad"
# Garbage and a text file.
head -c 5000 /dev/urandom >"$T/bad"
expect_exit 1 rv --home "$B" bundle apply "$T/bad"
echo "hello" >"$T/bad"
expect_exit 1 rv --home "$B" bundle apply "$T/bad"
# An invitation is not a bundle, and a bundle is not an invitation.
expect_exit 1 rv --home "$B" bundle apply "$T/ben.invite"
expect_exit 1 rv --home "$B" set join "$T/a.bundle"
# Not a file, not there.
expect_exit 1 rv --home "$B" bundle apply "$T"
expect_exit 1 rv --home "$B" bundle apply "$T/does-not-exist"
unchanged "garbage"

# A bundle from a stranger's home: nothing in it is for B.
C=$T/c
new_home "$C" "Cy" >/dev/null
rv --home "$C" set create "Elsewhere" >/dev/null
rv --home "$C" bundle create --out "$T/c.bundle" >/dev/null
expect_exit 1 rv --home "$B" bundle apply "$T/c.bundle"
grep -q "no record of a set you belong to" "$T/err" && ok || fail "foreign message"
unchanged "a foreign bundle"

# An invitation made for B does nothing for C; a damaged one does nothing for B.
expect_exit 1 rv --home "$C" set join "$T/ben.invite"
expect_exit 1 rv --home "$B" set join "$T/ben.invite"
cp "$T/promote.invite" "$T/bad"
python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[len(b)//2]^=4; open(p,"wb").write(b)' "$T/bad"
expect_exit 1 rv --home "$B" set join "$T/bad"
expect_exit 0 rv --home "$C" set list --json
same "$(json "$T/out" 'len(j)')" 1 "C holds only its own set"
unchanged "bad invitations"

# The good bundle still applies afterwards, and B is promoted.
expect_exit 0 rv --home "$B" bundle apply "$T/new.bundle"
expect_exit 0 rv --home "$B" set members --json
same "$(json "$T/out" '[m["role"] for m in j if m["name"]=="Ben"][0]')" facilitator "promotion"
expect_exit 0 rv --home "$B" verify

finish
