#!/usr/bin/env bash
# The private journal: dates, tags, filters, search, edit, delete; entries
# never on disk in clear, never in a bundle; the editor's file private and
# gone afterwards, also when the editor fails or is killed.
. "$(dirname "$0")/lib.sh"

A=$T/a
new_home "$A" "Ada" >/dev/null
export XDG_RUNTIME_DIR=$T/run
mkdir -m 700 "$XDG_RUNTIME_DIR"
J() { rv --home "$A" journal "$@"; }
no_tmp() { [ -z "$(ls -A "$XDG_RUNTIME_DIR")" ] && ok || fail "the editor's files were left behind: $(ls -A "$XDG_RUNTIME_DIR")"; }

MARK_CLI="JournalMarkerCli7q"
MARK_ED="JournalMarkerEditor3z"
expect_exit 0 J add "Felt heard for once $MARK_CLI @work" --tag Reflection
expect_exit 0 J add "The rota again" --at "2026-11-02 08:15" --tag work
expect_exit 0 J add "A quiet week" --at 2026-10-30
expect_exit 0 J add "Yesterday's note" --at yesterday
expect_exit 0 J add "Three days back" --at "3 days ago"
expect_exit 0 J add "On a weekday" --at monday
expect_exit 2 J add "bad date" --at "the other day"
expect_exit 1 J add ""
expect_exit 1 J add "x" --tag ""

# Written in the editor (a script standing in for one).
EDITOR="sh -c 'printf \"From the editor $MARK_ED @editor\" >\"\$1\"' x" expect_exit 0 J add
no_tmp
# A failing editor, an editor that writes nothing, a killed editor: no
# entry, no file left.
EDITOR="sh -c 'echo secret >\"\$1\"; exit 3' x" expect_exit 1 J add
no_tmp
EDITOR="true" expect_exit 1 J add
grep -q "nothing was added" "$T/err" && ok || fail "an empty file said nothing"
no_tmp
EDITOR="sh -c 'echo secret >\"\$1\"; kill -9 \$\$' x" expect_exit 1 J add
no_tmp
VISUAL="sh -c 'printf \"visual wins\" >\"\$1\"' x" EDITOR=false expect_exit 0 J add
no_tmp

expect_exit 0 J list --json
same "$(json "$T/out" 'len(j)')" 8 "eight entries"
same "$(json "$T/out" 'j[0]["text"]')" "A quiet week" "oldest first"
expect_exit 0 J list -n 2 --json
same "$(json "$T/out" 'len(j)')" 2 "-n 2"
expect_exit 0 J list --since 2026-10-01 --until 2026-11-02 --json
same "$(json "$T/out" '[e["text"] for e in j]')" "['A quiet week', 'The rota again']" "since/until"
expect_exit 0 J list --tag work --json
same "$(json "$T/out" 'len(j)')" 2 "tag filter (an @word and --tag)"
expect_exit 0 J list --tag work --tag reflection --json
same "$(json "$T/out" 'len(j)')" 1 "two tags: both"
expect_exit 0 J search ROTA again --json
same "$(json "$T/out" '[e["text"] for e in j]')" "['The rota again']" "search, all words, any case"
expect_exit 0 J search rota nowhere --json
same "$(json "$T/out" 'len(j)')" 0 "search needs every word"
expect_exit 0 J tags --json
same "$(json "$T/out" '[(t["tag"], t["entries"]) for t in j][:1]')" "[('@work', 2)]" "tags with counts"

ID=$(J search rota --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])')
expect_exit 0 J show "${ID:0:6}" --json
same "$(json "$T/out" 'j["at"]')" "2026-11-02 08:15" "local time kept"
EDITOR="sh -c 'printf \"The rota, sorted @done\" >\"\$1\"' x" expect_exit 0 J edit "$ID" --json
same "$(json "$T/out" 'j["text"]')" "The rota, sorted @done" "edited"
same "$(json "$T/out" 'sorted(j["tags"])')" "['@done', '@work']" "tags after edit"
no_tmp
# An edit left as it was stores nothing, says so, and is no failure; the
# file the editor gets ends in a line break, as a text file does.
EDITOR="sh -c 'cp \"\$1\" \"$T/seen\"' x" expect_exit 0 J edit "$ID"
same "$(cat "$T/out")" "journal entry $ID unchanged" "an unchanged edit says so"
same "$(tail -c 1 "$T/seen" | od -An -c | tr -d ' ')" '\n' "the editor's file ends in a line break"
same "$(head -c -1 "$T/seen")" "The rota, sorted @done" "the editor's file holds the text"
EDITOR="true" expect_exit 0 J edit "$ID" --json
same "$(json "$T/out" '(j["changed"], j["text"])')" "(False, 'The rota, sorted @done')" "unchanged, with --json"
EDITOR="sh -c ': >\"\$1\"' x" expect_exit 1 J edit "$ID"
grep -q "the edited entry is empty: nothing changed" "$T/err" && ok || fail "an emptied edit: $(cat "$T/err")"
expect_exit 0 J show "$ID" --json
same "$(json "$T/out" 'j["text"]')" "The rota, sorted @done" "an emptied edit stored nothing"

# A text of several lines keeps its line breaks in show; list puts each
# entry on one line, shortened to the width asked for ($COLUMNS) or the
# terminal's, and whole through a pipe.
LONG="First line @lines
Second line, long enough to run past any narrow screen: the rota, the ward, the manager

Third paragraph"
expect_exit 0 J add "$LONG" --at 2026-11-05 --json
LID=$(json "$T/out" 'j["id"]')
expect_exit 0 J show "$LID"
same "$(sed -n '/^$/,$p' "$T/out" | tail -n +2)" "$LONG" "show keeps the line breaks"
grep -q "^tags: *@lines$" "$T/out" && ok || fail "show's heading: $(cat "$T/out")"
COLUMNS=80 expect_exit 0 J list --tag lines
same "$(wc -l <"$T/out")" 2 "one line an entry, under the heading"
python3 -c 'import sys; ls=open(sys.argv[1], encoding="utf-8").read().splitlines(); sys.exit(max(len(l) for l in ls) > 80)' "$T/out" &&
  ok || fail "COLUMNS=80 not kept: $(cat "$T/out")"
grep -q "  First line @lines Sec[^…]*…$" "$T/out" && ok || fail "shortened with …: $(cat "$T/out")"
env -u COLUMNS "$REVANS" --home "$A" journal list --tag lines >"$T/out"
grep -qF "First line @lines Second line, long enough to run past any narrow screen: the rota, the ward, the manager Third paragraph" "$T/out" &&
  ok || fail "the whole text through a pipe: $(cat "$T/out")"
if command -v script >/dev/null && command -v stty >/dev/null; then
  env -u COLUMNS script -qc "stty cols 70; $REVANS --home $A journal list --tag lines" /dev/null | tr -d '\r' >"$T/out"
  python3 -c 'import sys; ls=open(sys.argv[1], encoding="utf-8").read().splitlines(); sys.exit(not ls or max(len(l) for l in ls) > 70 or not ls[-1].endswith("…"))' "$T/out" &&
    ok || fail "a 70-column terminal: $(cat "$T/out")"
fi
expect_exit 0 J delete "$LID" --yes
expect_exit 1 J delete "$ID" </dev/null    # asks first; no terminal, no --yes
expect_exit 0 J delete "$ID" --yes
expect_exit 1 J show "$ID"
expect_exit 1 J show nothere
# A home that does not open (a wrong passphrase) fails every reading command.
for cmd in "list" "search word" "tags" "export" "show $ID"; do
  REVANS_PASSPHRASE=wrong expect_exit 1 J $cmd
done

# Export in every format, and import: jrnl's JSON export, revans's own,
# and the same file again (nothing twice).
for f in json md txt; do
  expect_exit 0 J export --format "$f" --out "$T/journal.$f"
  grep -q "A quiet week" "$T/journal.$f" && ok || fail "export $f lacks an entry"
done
grep -q "^## 2026-10-30 00:00" "$T/journal.md" && ok || fail "markdown headings"
cat >"$T/jrnl.json" <<'JSON'
{"tags": {"@walk": 1},
 "entries": [
  {"title": "A walk before the meeting.", "body": "Cleared my head. @walk", "date": "2026-09-01",
   "time": "07:45", "tags": ["@walk"], "starred": true},
  {"title": "Short one.", "body": "", "date": "2026-09-02", "time": "21:00", "tags": [],
   "starred": false}
 ]}
JSON
expect_exit 0 J import "$T/jrnl.json" --json
same "$(json "$T/out" 'j["added"]')" 2 "jrnl import"
expect_exit 0 J import "$T/jrnl.json" --json
same "$(json "$T/out" '(j["added"], j["already_here"])')" "(0, 2)" "re-import adds nothing"
expect_exit 0 J search walk --json
same "$(json "$T/out" '(j[0]["at"], sorted(j[0]["tags"]), j[0]["starred"])')" "('2026-09-01 07:45', ['@walk'], True)" "jrnl fields: the star a field, not a tag"
C=$T/c
new_home "$C" "Cy" >/dev/null
expect_exit 0 rv --home "$C" journal import "$T/journal.json" --json
same "$(json "$T/out" 'j["added"]')" 7 "revans's own export imported"
expect_exit 0 rv --home "$C" journal import "$T/journal.json" --json
same "$(json "$T/out" 'j["added"]')" 0 "and not twice"
echo '{"entries": [{"title": "x"}]}' >"$T/bad.json"
expect_exit 1 J import "$T/bad.json"
echo 'not json' >"$T/bad.json"
expect_exit 1 J import "$T/bad.json"

# The review template after a meeting: prefilled in the editor, with my
# actions from that meeting; an untouched template adds nothing.
rv --home "$A" set create "Circle" >/dev/null
M=$(rv --home "$A" meeting schedule --at "2026-12-01 09:30" --past --json |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
for step in "meeting start" attend "meeting next" "bid Rota --minutes 30" allocate "meeting next" present; do
  # shellcheck disable=SC2086
  rv --home "$A" $step >/dev/null || fail "meeting step '$step'"
done
rv --home "$A" action add "Talk to the ward manager" >/dev/null
MARK_TPL="TemplateMarker5k"
EDITOR="sh -c 'cp \"\$1\" \"$T/seen\"; printf \"\\nWaiting helps $MARK_TPL\" >>\"\$1\"' x" \
  expect_exit 0 J add --template review --meeting "$M" --json
for part in "## My problem: three things I learned" "## My actions" "- Talk to the ward manager" \
  "## The other members" "## The set" "## Myself" "# After the meeting of 2026-12-01 09:30"; do
  grep -qxF -- "$part" "$T/seen" && ok || fail "the template lacks '$part'"
done
same "$(json "$T/out" 'j["tags"]')" "['@review']" "a review is tagged @review (its ## headings are no tags)"
same "$(json "$T/out" '"Waiting helps" in j["text"] and "## Myself" in j["text"]')" True "the review as written"
no_tmp
EDITOR="true" expect_exit 1 J add --template review
grep -q "nothing was added" "$T/err" && ok || fail "an untouched template was added"
no_tmp
expect_exit 2 J add --template nosuch
expect_exit 2 J add "text" --template review
expect_exit 0 J search "$MARK_TPL" --tag review --json
same "$(json "$T/out" 'len(j)')" 1 "the review is found"

# Never on disk in clear, never in a bundle, never in another home.
rv --home "$A" bundle create --out "$T/a.bundle" >/dev/null
for mark in "$MARK_CLI" "$MARK_ED" "$MARK_TPL" "visual wins" "Cleared my head" "ward manager"; do
  if grep -rlaF -- "$mark" "$A" "$C" "$T/a.bundle" "$XDG_RUNTIME_DIR"; then fail "'$mark' found in clear"; else ok; fi
done
B=$T/b
B_ID=$(new_home "$B" "Ben")
rv --home "$A" set invite --for "$B_ID" --out "$T/b.invite" >/dev/null
rv --home "$B" set join "$T/b.invite" >/dev/null
rv --home "$B" bundle apply "$T/a.bundle" >/dev/null
expect_exit 0 rv --home "$B" journal list --json
same "$(json "$T/out" 'len(j)')" 0 "another home has no journal entries"

finish
