#!/usr/bin/env bash
# A full disk and a read-only home, on a small tmpfs this test mounts
# (root only; skipped otherwise): every refused write says why, exits 1,
# crashes nothing, and loses nothing already stored.
. "$(dirname "$0")/../cli/lib.sh"
if [ "$(id -u)" -ne 0 ] || ! mkdir -p "$T/mnt" || ! mount -t tmpfs -o size=3m tmpfs "$T/mnt" 2>/dev/null; then
  echo "SKIP: the disk test needs root to mount a small tmpfs"
  exit 77
fi
trap 'umount "$T/mnt" 2>/dev/null; rm -rf "$T"' EXIT
H=$T/mnt/home
new_home "$H" Ada >/dev/null || { finish; }
rv --home "$H" set create "Full disk" >/dev/null || fail "set create"
rv --home "$H" journal add "Kept entry before the disk fills" >/dev/null || fail "first entry"

# Fill the disk with journal entries of 100 KB until a write is refused.
big=$(python3 -c 'print("x" * 100000)')
added=0 refused=0
for i in $(seq 1 80); do
  if rv --home "$H" journal add "$big $i" >/dev/null 2>"$T/err"; then
    added=$((added + 1))
  else
    code=$?
    refused=1
    break
  fi
done
[ "$refused" -eq 1 ] && ok || fail "80 entries of 100 KB fit on a 3 MB disk"
[ "${code:-0}" -eq 1 ] && ok || fail "a full disk exits ${code:-?}, not 1"
grep -q "^revans: .*full" "$T/err" && ok || fail "no clear message for a full disk: $(cat "$T/err")"
echo "$added large entries written before the disk was full: $(cat "$T/err")"
# Nothing lost; the store still verifies; a small write fails or works, cleanly.
expect_exit 0 rv --home "$H" journal search "Kept entry" --json
same "$(json "$T/out" 'len(j)')" 1 "the first entry survives the full disk"
expect_exit 0 rv --home "$H" verify
rv --home "$H" contract add "A rule on a full disk" >/dev/null 2>"$T/err"
c=$?
[ "$c" -eq 0 ] || [ "$c" -eq 1 ] && ok || fail "a write on a full disk exited $c: $(cat "$T/err")"

# Room again: the home works as before.
for id in $(rv --home "$H" journal list --json | python3 -c 'import json,sys; print(" ".join(e["id"] for e in json.load(sys.stdin) if len(e["text"]) > 1000))'); do
  rv --home "$H" journal delete "$id" --yes >/dev/null || true
done
expect_exit 0 rv --home "$H" contract add "A rule after the disk was freed"
expect_exit 0 rv --home "$H" verify

# A read-only home: LMDB must write its lock file even to read, so every
# command says the home is read-only, exits 1, and changes nothing.
mount -o remount,ro "$T/mnt" || fail "remount read-only"
for cmd in "set show" "contract add Cannot-be-written"; do
  # shellcheck disable=SC2086
  expect_exit 1 rv --home "$H" $cmd
  grep -qi "read-only" "$T/err" && ok || fail "no clear message for a read-only home: $(cat "$T/err")"
done
mount -o remount,rw "$T/mnt"
expect_exit 0 rv --home "$H" verify
finish
