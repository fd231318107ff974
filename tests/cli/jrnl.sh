#!/usr/bin/env bash
# The journal with jrnl: jrnl's plain-text journal imported entry by entry;
# jrnl's JSON export with every hard case imported and exported back
# (jrnl-json and jrnl-txt) equal, field by field; wall-clock times kept
# whatever the time zone; identical entries kept; entries that cannot be
# held reported and skipped; stars set and shown.
. "$(dirname "$0")/lib.sh"

DATA=$(dirname "$0")/data
# A clock change inside the data (2026-03-29 02:30 does not exist in
# London): converting times through the time zone would move it.
export TZ=Europe/London
A=$T/a
new_home "$A" "Ada" >/dev/null
J() { rv --home "$A" journal "$@"; }

# compare GOT WANT [TXT]: the two jrnl JSON exports hold the same entries
# (as a multiset: time ties may come in any order), field by field, the
# same tag counts, and GOT oldest first. With TXT, WANT's body lines that
# jrnl would read as an entry's opening are expected after one space.
compare() {
  python3 - "$@" <<'PY'
import json, re, sys
got, want = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:3])
txt = len(sys.argv) > 3
def body(b):
    if not txt:
        return b
    return "\n".join(" " + l if re.match(r"\[[^\]]{7,}\] ", l) else l for l in b.split("\n"))
def key(e, escape):
    return (e["date"], e["time"], e["title"], body(e["body"]) if escape else e["body"],
            tuple(sorted(e["tags"])), e["starred"])
bad = []
if set(got) != {"tags", "entries"}:
    bad.append("top-level keys %s" % sorted(got))
for e in got["entries"]:
    if set(e) != {"date", "time", "title", "body", "tags", "starred"}:
        bad.append("entry keys %s" % sorted(e))
g = sorted(key(e, False) for e in got["entries"])
w = sorted(key(e, True) for e in want["entries"])
if len(g) != len(w):
    bad.append("%d entries, wanted %d" % (len(g), len(w)))
for a, b in zip(g, w):
    for name, x, y in zip(("date", "time", "title", "body", "tags", "starred"), a, b):
        if x != y:
            bad.append("%s: %r != %r" % (name, x, y))
if got["tags"] != want["tags"]:
    bad.append("tag counts %r != %r" % (got["tags"], want["tags"]))
times = [(e["date"], e["time"]) for e in got["entries"]]
if times != sorted(times):
    bad.append("not oldest first")
print("\n".join(bad) if bad else "equal")
PY
}

# ---- jrnl's own file, entry by entry ----------------------------------
expect_exit 0 J import --format jrnl-txt "$DATA/jrnl_journal.txt" --json
same "$(json "$T/out" '(j["added"], j["already_here"], j["skipped"])')" "(5, 0, 0)" "jrnl-txt: five entries"
expect_exit 0 J export --format jrnl-json --out "$T/txt.json"
check_entry() { # INDEX FIELD EXPECTED (a Python literal)
  same "$(json "$T/txt.json" "j['entries'][$1]['$2'] == $3")" True "jrnl-txt entry $1 $2"
}
check_entry 0 date "'1968-02-14'"
check_entry 0 time "'09:15'"
check_entry 0 title "'Before the epoch: @history'"
check_entry 0 body "'A body with a line that looks like a date:\n2026-03-29 02:30 is not an entry, nor is [2026-03-29] this.'"
check_entry 0 tags "['@history']"
check_entry 0 starred False
check_entry 1 date "'2025-12-31'"
check_entry 1 time "'23:59'"
check_entry 1 title "\"New Year's Eve.\""
check_entry 1 body "'Fireworks over the river with @family.\nAsk @c++ people about @os/2 and #c#; mail bob@example.org, not a tag.\nSecond paragraph line, @project/alpha done.'"
same "$(json "$T/txt.json" "sorted(j['entries'][1]['tags'])")" "['#c#', '@c++', '@family', '@os/2', '@project/alpha']" \
  "jrnl-txt tags with / + #, the e-mail address none"
check_entry 1 starred True
check_entry 2 title "'Back to work'"
check_entry 2 body "'Nothing special.'"
check_entry 2 tags "[]"
check_entry 2 starred False
check_entry 3 date "'2026-03-29'"
check_entry 3 time "'02:30'"
check_entry 3 title "'The hour that never was'"
check_entry 3 body "''"
check_entry 3 starred True
check_entry 4 title "'Tabs\tand \"quotes\" @Quote.'"
check_entry 4 body "'Ends here.'"
check_entry 4 tags "['@quote']"
check_entry 4 starred False
# The same journal as jrnl's JSON export gives the same entries.
python3 - "$T/txt.json" "$T/as_export.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1], encoding="utf-8"))
json.dump(j, open(sys.argv[2], "w", encoding="utf-8"), ensure_ascii=False)
PY
B=$T/b
new_home "$B" "Ben" >/dev/null
expect_exit 0 rv --home "$B" journal import "$T/as_export.json"
expect_exit 0 rv --home "$B" journal export --format jrnl-json --out "$T/b.json"
same "$(compare "$T/b.json" "$T/txt.json")" equal "jrnl-txt and jrnl-json imports agree"
# Imported again: nothing twice.
expect_exit 0 J import --format jrnl-txt "$DATA/jrnl_journal.txt" --json
same "$(json "$T/out" '(j["added"], j["already_here"])')" "(0, 5)" "jrnl-txt again adds nothing"

# ---- every case, round trip through jrnl-json ------------------------------
C=$T/c
new_home "$C" "Cy" >/dev/null
K() { rv --home "$C" journal "$@"; }
expect_exit 0 K import - --json <"$DATA/jrnl_every_case.json"
same "$(json "$T/out" '(j["added"], j["already_here"], j["skipped"])')" "(10, 0, 0)" \
  "standard input; identical entries both kept"
expect_exit 0 K export --format jrnl-json --out "$T/c.json"
same "$(compare "$T/c.json" "$DATA/jrnl_every_case.json")" equal "jrnl-json round trip"
# Read in another time zone: the same wall-clock times.
TZ=America/New_York expect_exit 0 K export --format jrnl-json --out "$T/c_ny.json"
same "$(compare "$T/c_ny.json" "$DATA/jrnl_every_case.json")" equal "jrnl-json in New York"
TZ=Asia/Tokyo expect_exit 0 K list --json
same "$(json "$T/out" '[e["at"] for e in j][:2]')" "['1901-01-01 00:00', '1969-07-20 20:17']" \
  "list in Tokyo: times as written, before 1970 too"
expect_exit 0 K import - --json <"$DATA/jrnl_every_case.json"
same "$(json "$T/out" '(j["added"], j["already_here"])')" "(0, 10)" "the same export again adds nothing"

# ---- and through jrnl-txt ---------------------------------------------------
expect_exit 0 K export --format jrnl-txt --out "$T/c.txt"
grep -qxF "[1969-07-20 20:17] The Eagle has landed. *" "$T/c.txt" && ok || fail "jrnl-txt lacks the star"
grep -qxF " [2026-04-02 09:00] looks like an entry's opening" "$T/c.txt" && ok ||
  fail "a body line like an opening is not set off"
expect_exit 0 K export --format txt --out "$T/c2.txt"
cmp -s "$T/c.txt" "$T/c2.txt" && ok || fail "txt is not jrnl-txt"
D=$T/d
new_home "$D" "Di" >/dev/null
TZ=America/New_York expect_exit 0 rv --home "$D" journal import --format jrnl-txt "$T/c.txt" --json
same "$(json "$T/out" 'j["added"]')" 10 "jrnl-txt: no entry split or lost"
expect_exit 0 rv --home "$D" journal export --format jrnl-json --out "$T/d.json"
same "$(compare "$T/d.json" "$DATA/jrnl_every_case.json" txt)" equal "jrnl-txt round trip"

# ---- entries that cannot be held: reported, skipped, the rest imported -------
python3 - "$T/bad.json" <<'PY'
import json, sys
ok = {"title": "Fine.", "body": "", "date": "2026-01-01", "time": "10:00", "tags": [], "starred": False}
entries = [ok,
           dict(ok, date="0000-01-01"),
           dict(ok, tags=["@t%d" % i for i in range(65)]),
           dict(ok, body="x" * (300 * 1024)),
           {"body": "no title", "date": "2026-01-01"},
           dict(ok, time="25:00"),
           dict(ok, title="Also fine.")]
json.dump({"tags": {}, "entries": entries}, open(sys.argv[1], "w"))
PY
expect_exit 1 J import "$T/bad.json" --json
same "$(json "$T/out" '(j["added"], j["skipped"])')" "(2, 5)" "bad entries skipped, the rest imported"
for n in 2 3 4 5 6; do
  grep -q "^revans: entry $n skipped: " "$T/err" && ok || fail "entry $n not reported"
done
grep -q "entry 1 skipped\|entry 7 skipped" "$T/err" && fail "a good entry reported" || ok

# ---- stars -------------------------------------------------------------------
E=$T/e
new_home "$E" "Eve" >/dev/null
S() { rv --home "$E" journal "$@"; }
expect_exit 0 S add "A bright idea" --star --at "2026-03-29 02:30" --json
same "$(json "$T/out" '(j["starred"], j["at"])')" "(True, '2026-03-29 02:30')" "add --star, a time in the clock change"
ID=$(json "$T/out" 'j["id"]')
expect_exit 0 S add "Plain" --tag "#Plain" --json
same "$(json "$T/out" '(j["starred"], j["tags"])')" "(False, ['#plain'])" "a # tag given"
expect_exit 0 S list --starred --json
same "$(json "$T/out" '[e["text"] for e in j]')" "['A bright idea']" "list --starred"
expect_exit 0 S unstar "$ID" --json
same "$(json "$T/out" 'j["starred"]')" False "unstar"
expect_exit 0 S star "$ID"
expect_exit 0 S show "$ID" --json
same "$(json "$T/out" 'j["starred"]')" True "star, shown"
expect_exit 0 S list --tag plain --json
same "$(json "$T/out" 'len(j)')" 1 "--tag x finds #x"
expect_exit 0 S list --tag @plain --json
same "$(json "$T/out" 'len(j)')" 0 "--tag @x does not find #x"

# ---- files that are not what they claim ------------------------------------
F=$T/f
new_home "$F" "Fay" >/dev/null
G() { rv --home "$F" journal "$@"; }
# Bytes that are not UTF-8 (a surrogate, an overlong '/', Latin-1): the
# entry is reported and skipped, never stored to come out as null.
printf '[2020-01-01 10:00] surrogate \xed\xa0\x80 here\nbody\n\n[2020-01-02 10:00] overlong \xc0\xaf\n\n[2020-01-03 10:00] caf\xe9\n\n[2020-01-04 10:00] fine @ok\n' >"$T/bad.txt"
expect_exit 1 G import --format jrnl-txt "$T/bad.txt" --json
same "$(json "$T/out" '(j["added"], j["skipped"])')" "(1, 3)" "entries not in UTF-8 skipped"
grep -q "^revans: entry 1 skipped: the entry is not valid UTF-8 text" "$T/err" && ok || fail "no reason given for bad UTF-8"
expect_exit 0 G export --format jrnl-json --out "$T/fay.json"
same "$(python3 -c 'import json,sys; print([e["title"] for e in json.load(open(sys.argv[1]))["entries"]])' "$T/fay.json")" "['fine @ok']" "no null text exported"
# A byte-order mark before the first entry is passed over.
printf '\xef\xbb\xbf[2020-02-01 09:00] After a mark\nbody\n' >"$T/bom.txt"
expect_exit 0 G import --format jrnl-txt "$T/bom.txt" --json
same "$(json "$T/out" '(j["added"], j["skipped"])')" "(1, 0)" "a byte-order mark passed over"
# A file with no entry is not a jrnl journal: refused; text before the
# first entry counts as skipped.
expect_exit 1 G import --format jrnl-txt "$DATA/jrnl_every_case.json"
grep -q "^revans: no entry in " "$T/err" && ok || fail "a file with no entry not refused"
printf 'stray words\n[2020-02-02 09:00] After them\n' >"$T/stray.txt"
expect_exit 1 G import --format jrnl-txt "$T/stray.txt" --json
same "$(json "$T/out" '(j["added"], j["skipped"])')" "(1, 1)" "text before the first entry counts as skipped"
# One's own export imported again adds nothing, entries written here too.
expect_exit 0 G add "Written here @mine"
for fmt in json jrnl-json; do
  expect_exit 0 G export --format $fmt --out "$T/own.$fmt"
  expect_exit 0 G import --format $fmt "$T/own.$fmt" --json
  same "$(json "$T/out" '(j["added"], j["already_here"])')" "(0, 4)" "own $fmt export imported again"
done

finish
