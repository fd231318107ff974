#!/usr/bin/env bash
# The programme record after a removal, in all three forms. Ada
# (facilitator), Ben, Cy and Dee hold a first meeting, all four there: Ben
# and Dee present, Ben's questions are grouped, answered and followed up,
# Ben writes two actions (one due in 2020, still open: overdue) and Dee
# one, which Dee reports done. Ada removes Dee; at the second meeting the
# three members left all attend and Ben reports his second action done.
#
# Each meeting counts the members of the set at it: 4 of 4, then 3 of 3,
# so attendance is 100% (counted against today's three members it was
# 7 of 6, "116%"). Dee keeps her name and history in every form, marked as
# removed; 2 of 3 actions done is 67% (rounded, not 66); the summary gives
# the period, the meetings, attendance, actions done, open and overdue and
# the day; the Markdown has no stray escapes ("Report-in", not
# "Report\-in"); the HTML chart has a title, an axis and counts written on
# it; with --with-questions the questions stand under the presenter's
# groups with answers and follow-ups.
. "$(dirname "$0")/lib.sh"
export TZ=UTC

A=$T/ada B=$T/ben C=$T/cy D=$T/dee
new_home "$A" "Ada" >/dev/null
B_ID=$(new_home "$B" "Ben")
C_ID=$(new_home "$C" "Cy")
D_ID=$(new_home "$D" "Dee")
rv --home "$A" set create "Ward leaders" --topic "Leading through winter" >/dev/null || fail "set create"
for x in B:"$B_ID" C:"$C_ID" D:"$D_ID"; do
  rv --home "$A" set invite --for "${x#*:}" --out "$T/${x%%:*}.invite" >/dev/null || fail "invite ${x%%:*}"
done
rv --home "$B" set join "$T/B.invite" >/dev/null || fail "join B"
rv --home "$C" set join "$T/C.invite" >/dev/null || fail "join C"
rv --home "$D" set join "$T/D.invite" >/dev/null || fail "join D"

HOMES=("$A" "$B" "$C" "$D")
# A due day in the past needs --past (below).
sync_all

# ---- meeting 1: all four ---------------------------------------------------
as "$A" contract add "What is said in the set stays in the set"
sync_all
for h in "${HOMES[@]}"; do as "$h" contract agree; done
as "$A" meeting schedule --at "2031-03-02 10:00" --place "Room 4" --minutes 120
sync_all
as "$A" meeting start
sync_all
for h in "${HOMES[@]}"; do as "$h" attend; done
sync_all
as "$A" meeting next
sync_all
as "$B" bid "A difficult conversation" --minutes 30
sync_all
as "$D" bid "The rota" --minutes 30
sync_all
as "$A" allocate
as "$A" meeting next
sync_all
as "$B" present
sync_all
as "$C" ask "What assumption are you making?" --json
Q1=$(json "$T/out" 'j["id"]')
as "$A" ask "What happened next?" --json
Q2=$(json "$T/out" 'j["id"]')
# Held while Ben presents; the facilitator moves his slot to questions.
as "$A" meeting questions
sync_all
as "$B" question group "$Q1" --as "The colleague"
as "$B" question answer "$Q1" "That she knew already"
sync_all
as "$A" question follow-up "$Q2" "And after that?"
as "$B" action add "Talk to my colleague" --due 2020-01-06 --past
as "$B" action add "Ask for the rota figures" --due 2099-01-01 --json
A2=$(json "$T/out" 'j["id"]')
sync_all
as "$A" meeting next
sync_all
as "$D" present
as "$D" action add "Share the rota draft" --json
A3=$(json "$T/out" 'j["id"]')
as "$D" report-in "$A3" --status "done" --note "Shared on Friday"
sync_all
as "$A" meeting next
sync_all
as "$A" feedback --well "Report-in ran long, usefully" --better "Start on time"
as "$C" feedback --well "Good questions" --better "More time for actions"
sync_all
as "$A" meeting close
sync_all

# ---- Dee removed; meeting 2: the three left ----------------------------------
as "$A" set remove Dee
sync_all
HOMES=("$A" "$B" "$C")
as "$A" meeting schedule --at "2031-03-16 10:00" --place "Room 5"
sync_all
as "$A" meeting start
sync_all
for h in "${HOMES[@]}"; do as "$h" attend; done
as "$B" report-in "$A2" --status "done" --note "Asked on Monday"
sync_all
as "$A" meeting close
sync_all
TODAY=$(date +%Y-%m-%d)

# ---- JSON ---------------------------------------------------------------------
as "$B" export --format json --out "$T/r.json"
same "$(json "$T/r.json" 'j["evaluation"]["set"]["attendance_percent"]')" 100 "attendance (7 of 7 seats)"
same "$(json "$T/r.json" '(j["evaluation"]["set"]["attendances"], j["evaluation"]["set"]["seats"])')" "(7, 7)" "seats"
same "$(json "$T/r.json" '[m["seats"] for m in j["meetings"]]')" "[4, 3]" "seats per meeting"
same "$(json "$T/r.json" 'j["evaluation"]["set"]["completion_percent"]')" 67 "2 of 3 done, rounded"
same "$(json "$T/r.json" '[(p["name"], p["removed"] is not None, p["seats"], p["attended"], p["presentations"], p["actions"], p["actions_done"]) for p in j["evaluation"]["people"] if p["name"] == "Dee"]')" \
  "[('Dee', True, 1, 1, 1, 1, 1)]" "Dee's history kept"
same "$(json "$T/r.json" 'sorted(p["name"] for p in j["evaluation"]["people"])')" "['Ada', 'Ben', 'Cy', 'Dee']" "every person"
same "$(json "$T/r.json" '[(m["name"], m["role"], m["removed"] is not None) for m in j["members"] if m["name"] == "Dee"]')" \
  "[('Dee', 'member', True)]" "Dee among the members, removed"
same "$(json "$T/r.json" 'sorted(j["meetings"][0]["attendees"])')" "['Ada', 'Ben', 'Cy', 'Dee']" "meeting 1 by name"
same "$(json "$T/r.json" 'j["meetings"][0]["presenters"]')" "['Ben', 'Dee']" "presenters by name"
same "$(json "$T/r.json" '{k: v for k, v in j["summary"].items() if k.startswith("actions") or k.startswith("meetings")}')" \
  "{'meetings_planned': 2, 'meetings_held': 2, 'meetings_cancelled': 0, 'actions': 3, 'actions_done': 2, 'actions_open': 1, 'actions_overdue': 1}" "summary"
same "$(json "$T/r.json" '(j["summary"]["period"]["from"][:10], j["summary"]["period"]["to"][:10], j["summary"]["made"][:10])')" \
  "('2031-03-02', '2031-03-16', '$TODAY')" "period and day made"
same "$(json "$T/r.json" '[(a["text"], a["due"], a["overdue"], a["meeting_number"]) for a in j["actions"] if a["overdue"]]')" \
  "[('Talk to my colleague', '2020-01-06', True, 1)]" "the overdue action"
grep -q "What assumption" "$T/r.json" && fail "question text exported without --with-questions" || ok
as "$B" export --format json --with-questions --out "$T/rq.json"
same "$(json "$T/rq.json" 'sorted((q["text"], q["group"], q["answer"], q["follow_ups"]) for q in j["meetings"][0]["questions"])')" \
  "[('What assumption are you making?', 'The colleague', 'That she knew already', []), ('What happened next?', None, None, ['And after that?'])]" "questions with groups, answers and follow-ups"

# ---- Markdown ---------------------------------------------------------------------
as "$B" export --format md --out "$T/r.md"
md=$T/r.md
grep -q '^| Dee (removed [0-9-]*) | 1 of 1 | 0 | 1 | 1 | 1 |$' "$md" && ok || fail "Dee's row: $(grep Dee "$md")"
grep -q '^- Dee, member, member from [0-9-]*, removed [0-9-]*$' "$md" && ok || fail "Dee among the members: $(grep Dee "$md")"
grep -q '^- Attended (4 of 4): Ada, Ben, Cy, Dee$' "$md" && ok || fail "meeting 1's attendance"
grep -q '^- Attended (3 of 3): Ada, Ben, Cy$' "$md" && ok || fail "meeting 2's attendance"
grep -q '^- Period: 2031-03-02 to 2031-03-16$' "$md" && ok || fail "period"
grep -q '^- Meetings: 2 held of 2 planned$' "$md" && ok || fail "meetings"
grep -q '^- Attendance: 100% (7 of 7 seats at the meetings held)$' "$md" && ok || fail "attendance"
grep -q '^- Actions: 2 done, 1 open, 1 overdue (of 3)$' "$md" && ok || fail "actions summary"
grep -q "^- Made: $TODAY$" "$md" && ok || fail "day made"
grep -q '^### Meeting 1: 2031-03-02 10:00, Room 4 (closed)$' "$md" && ok || fail "meeting date and place"
grep -q '^| Talk to my colleague | Ben | 1 | 2020-01-06 | open, overdue |$' "$md" && ok || fail "overdue action"
grep -q '^| Share the rota draft | Dee | 1 | none | done: Shared on Friday |$' "$md" && ok || fail "Dee's action"
grep -q '^| Report-in ran long, usefully | Start on time |$' "$md" && ok || fail "feedback unescaped: $(grep -i 'ran long' "$md")"
grep -q '\\-' "$md" && fail "a stray escape: $(grep -n '\\-' "$md")" || ok
grep -qwE '[0-9a-f]{12}' "$md" && fail "an id in place of a name" || ok
grep -qE '(1[0-9][1-9]|[2-9][0-9][0-9])%' "$md" && fail "a rate over 100%" || ok
grep -q 'What assumption' "$md" && fail "question text in Markdown without --with-questions" || ok
as "$B" export --format md --with-questions --out "$T/rq.md"
grep -A10 '^#### Questions to Ben$' "$T/rq.md" >"$T/qs" || fail "no questions to Ben"
same "$(grep -v '^$' "$T/qs" | tr '\n' '/')" \
  "#### Questions to Ben/**The colleague**/- What assumption are you making? (probing)/  - Answer: That she knew already/**Not grouped**/- What happened next? (clarification)/  - Follow-up: And after that?/" \
  "questions under the presenter's groups"

# ---- HTML ---------------------------------------------------------------------------
as "$B" export --format html --out "$T/r.html"
html=$T/r.html
grep -q '<tr><th>Dee (removed [0-9-]*)</th><td class="yes">✓</td><td class="out"></td></tr>' "$html" && ok ||
  fail "Dee's row in the attendance grid: $(grep -n 'Dee' "$html" | head -3)"
grep -q '<tr><th>Attended</th><td>4 of 4</td><td>3 of 3</td></tr>' "$html" && ok || fail "attendance per meeting"
grep -q '<li>Attendance: 100% (7 of 7 seats at the meetings held)</li>' "$html" && ok || fail "html summary"
grep -q '<td>Dee (removed [0-9-]*)</td><td>1 of 1</td>' "$html" && ok || fail "Dee's row in the evaluation"
grep -q 'font-weight="bold" text-anchor="middle">Actions by outcome' "$html" && ok || fail "chart title"
grep -q 'transform="rotate(-90 [0-9]* [0-9]*)">Actions</text>' "$html" && ok || fail "chart axis name"
# Meeting 1's bar: 3 actions, its total written above and the done block's 2 in it.
grep -q 'font-weight="bold" text-anchor="middle">3</text>' "$html" && ok || fail "the bar's total on the chart"
grep -q 'fill="#fff" font-weight="bold" text-anchor="middle">2</text>' "$html" && ok || fail "a count written in its block"
grep -q 'print-color-adjust:exact' "$html" && ok || fail "colours kept in print"
grep -q 'Room 4' "$html" && ok || fail "place in html"
grep -q "src=\|href=\"http" "$html" && fail "html has outside assets" || ok
grep -qE '(1[0-9][1-9]|[2-9][0-9][0-9])%' "$html" && fail "a rate over 100% in html" || ok
as "$B" export --format html --with-questions --out "$T/rq.html"
grep -q '<h4>Questions to Ben</h4>' "$T/rq.html" && ok || fail "html questions heading"
grep -q '<p><strong>The colleague</strong></p>' "$T/rq.html" && ok || fail "html group label"
grep -q '<li>What assumption are you making? (probing)<ul><li>Answer: That she knew already</li></ul></li>' "$T/rq.html" &&
  ok || fail "html answer under its question"
[ -n "${EXPORT_DIR:-}" ] && cp "$html" "$md" "$T/rq.md" "$T/rq.html" "$EXPORT_DIR/"

finish
