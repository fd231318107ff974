#!/usr/bin/env bash
# A store damaged byte by byte: data.mdb in a fresh copy of a good home is
# damaged REVANS_CORRUPT_TRIALS times (default 300, or 60 for a binary
# built with AddressSanitizer, where a command costs ten times as much;
# seed REVANS_CORRUPT_SEED): each field of both LMDB meta pages (stepped
# by one, and one of its bytes changed), every page zeroed, every page
# filled with noise (all of those when there are trials enough, in a
# seeded order), then single bytes at random across the file. On each
# copy `verify`, `state-hash`, `contract` and `journal list` run, then one
# write (`journal add`), then the four reads again. Allowed, and nothing
# else:
#  - every command exits 0, or 1 with a 'revans: ' message: never a signal,
#    another status, a sanitizer report, or an error message with status 0;
#  - a read that succeeds prints exactly what the good copy prints: damage
#    is refused, never shown as data (nor as an earlier state of the store);
#  - when verify passes, state-hash and contract succeed too (the private
#    journal is not verify's to check: reading it may be refused);
#  - the write changes no read but the journal's: refused, it changes
#    nothing; done, the journal keeps every entry it had and adds its own.
# Prints how many trials ended each way. The good home is made afresh
# each run (new keys), so the counts vary a little between runs of a seed.
. "$(dirname "$0")/../cli/lib.sh"
: "${MKLOG:?MKLOG must name the mklog test program}"
SEED=${REVANS_CORRUPT_SEED:-20261122}
TRIALS=300
case "$(ldd "$REVANS" 2>/dev/null)" in *libasan*) TRIALS=60 ;; esac
TRIALS=${REVANS_CORRUPT_TRIALS:-$TRIALS}

# A home with a set of 40 log records (the cheapest Argon2id costs, so a
# command takes milliseconds), a contract rule and two journal entries,
# one large enough for an overflow page.
G=$T/good
"$MKLOG" "$G" "$T/ben" 40 "$T/a.bundle" >/dev/null || { fail "mklog"; finish; }
rv --home "$G" contract add "We keep what is said here" >/dev/null || fail "contract add"
rv --home "$G" journal add "A short entry" --tag kept >/dev/null || fail "journal add"
rv --home "$G" journal add "$(python3 -c 'print("long " * 1500)')" >/dev/null || fail "long entry"
expect_exit 0 rv --home "$G" verify

python3 - "$REVANS" "$G" "$T" "$SEED" "$TRIALS" <<'PY'
import json, os, random, re, shutil, subprocess, sys

revans, good, tmp, seed, trials = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
rng = random.Random(seed)
PS = 4096
READS = [["verify"], ["state-hash"], ["contract"], ["journal", "list", "--json"]]
WRITE = ["journal", "add", "Written on a damaged store"]
SANITIZER = re.compile(rb"Sanitizer|runtime error:|LeakSanitizer")

def run(home, args):
    p = subprocess.run([revans, "--home", home] + args, capture_output=True, timeout=60)
    return p.returncode, p.stdout, p.stderr

def journal_texts(out):
    return sorted(e["text"] for e in json.loads(out))

size = os.path.getsize(os.path.join(good, "data.mdb"))
pages = size // PS

# The good copy's outputs, read from a copy (LMDB's reader table is in
# lock.mdb: the good home itself is never opened again).
ref = os.path.join(tmp, "ref")
shutil.copytree(good, ref)
want = {}
for a in READS:
    code, out, err = run(ref, a)
    if code != 0:
        sys.exit(f"FAIL: {' '.join(a)} on the good copy exited {code}: {err[:300]!r}")
    want[" ".join(a)] = out

# The damage: (kind, offset, what): what is the bytes put there, a byte to
# XOR with, or None (add one to the byte). The meta page's fields, at
# their offsets in a 64-bit LMDB 0.9 meta page (16-byte page header, then
# magic, version, address, mapsize, two MDB_db of 48 bytes, last_pg, txnid).
meta_fields = [(0, 8), (8, 2), (10, 2), (12, 2), (14, 2), (16, 4), (20, 4), (24, 8), (32, 8)]
for db in (40, 88):
    meta_fields += [(db, 4), (db + 4, 2), (db + 6, 2), (db + 8, 8), (db + 16, 8), (db + 24, 8),
                    (db + 32, 8), (db + 40, 8)]
meta_fields += [(136, 8), (144, 8)]
fixed = []
for page in (0, 1):
    for off, n in meta_fields:
        at = page * PS + off
        fixed.append(("meta field +1", at, None))
        fixed.append(("meta field byte", at + rng.randrange(n), rng.randrange(1, 256)))
for p in range(pages):
    fixed.append(("zeroed page", p * PS, b"\0" * PS))
    fixed.append(("noise page", p * PS, bytes(rng.randrange(256) for _ in range(PS))))
rng.shuffle(fixed)
# Every one of them when there are trials enough; else two thirds of the
# trials, and random bytes for the rest.
plan = fixed[:trials if trials >= len(fixed) else trials * 2 // 3]
while len(plan) < trials:
    plan.append(("random byte", rng.randrange(size), rng.randrange(1, 256)))

def damage(path, kind, at, what):
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        if kind == "meta field +1":
            data[at] = (data[at] + 1) & 0xff
        elif isinstance(what, int):
            data[at] ^= what
        else:
            data[at:at + len(what)] = what
        f.seek(0)
        f.write(data)

counts = dict.fromkeys(["unchanged", "refused", "verify", "wrong", "status", "crash"], 0)
problems = []
home = os.path.join(tmp, "t")
for i, (kind, at, what) in enumerate(plan):
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(good, home)
    damage(os.path.join(home, "data.mdb"), kind, at, what)
    crashed, status, wrong = [], [], []

    def runs(args):
        code, out, err = run(home, args)
        what = f"'{' '.join(args)}' exited {code}: {err[-400:]!r}"
        if code < 0 or code > 128 or SANITIZER.search(err):
            crashed.append(what)
        elif code not in (0, 1) or (code == 1 and not err.startswith(b"revans: ")):
            status.append(what)
        elif code == 0 and out == b"" and err.startswith(b"revans: "):
            status.append(f"'{' '.join(args)}' reported an error and exited 0: {err[:300]!r}")
        return code, out, err

    got = {" ".join(a): runs(a) for a in READS}
    verify_ok = got["verify"][0] == 0
    for k, (code, out, err) in got.items():
        if code == 0 and out != want[k]:
            wrong.append(f"'{k}' succeeded with other output")
        # verify covers the sets' records and state, not the private journal.
        elif verify_ok and code != 0 and k != "journal list --json":
            wrong.append(f"verify passed but '{k}' failed: {err[:200]!r}")
    wcode = runs(WRITE)[0]
    after = {" ".join(a): runs(a) for a in READS}
    for k in got:
        before, now = got[k][:2], after[k][:2]
        if k == "journal list --json" and wcode == 0 and before[0] == 0:
            if now[0] != 0 or journal_texts(now[1]) != sorted(journal_texts(before[1]) + [WRITE[2]]):
                wrong.append("a write that succeeded did not keep every journal entry and add its own")
        elif k != "journal list --json" or wcode != 0:
            if before != now:
                wrong.append(f"the write ({'done' if wcode == 0 else 'refused'}) changed '{k}'")
    where = f"trial {i} ({kind} at {at}, page {at // PS})"
    if crashed or status or wrong:
        counts["crash" if crashed else "status" if status else "wrong"] += 1
        problems.append(f"{where}: " + "; ".join(crashed + status + wrong))
    elif not verify_ok and got["verify"][1]:  # it ran, and listed faults
        counts["verify"] += 1
    elif wcode != 0 or any(v[0] != 0 for v in list(got.values()) + list(after.values())):
        counts["refused"] += 1
    else:
        counts["unchanged"] += 1

for p in problems:
    print("FAIL:", p, file=sys.stderr)
print(f"corrupt: seed {seed}: {len(plan)} trials: {counts['unchanged']} unchanged reads, "
      f"{counts['refused']} refused with a message, {counts['verify']} detected by verify, "
      f"{counts['wrong']} wrong outputs, {counts['status']} wrong exit statuses, "
      f"{counts['crash']} crashes")
sys.exit(1 if problems else 0)
PY
[ $? -eq 0 ] && ok || fail "damage was not handled (see above)"
finish
