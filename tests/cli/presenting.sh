#!/usr/bin/env bash
# Presenting, across three homes moved by bundles: two bids written at once
# on two machines come in the order they were written on both; the
# facilitator sets the order of presenters with allocate --order (a wrong
# order refused with exit 2); questions asked during a presentation are
# held, shown to their asker alone and counted for everyone else, until the
# facilitator moves the slot on to its questions (meeting questions), moves
# on, or closes the meeting; a past meeting's wall and every meeting's.
. "$(dirname "$0")/lib.sh"

three_members

slots() { rv --home "$1" meeting show --json >"$T/show.json" && json "$T/show.json" '[s["presenter"] for s in j["slots"]]'; }
sync_all

# ---- two bids at once --------------------------------------------------
as "$A" meeting schedule --at "2026-12-01 09:30" --minutes 120 --json
M1=$(json "$T/out" 'j["id"]')
as "$A" meeting start
as "$A" meeting next
sync_all
# Ben and Cy bid without seeing each other's bid: the same Lamport clock,
# so the records sort by author id. The one whose id sorts last bids
# first, and must present first everywhere.
if [[ "$B_ID" > "$C_ID" ]]; then
  FIRST=$B SECOND=$C FIRST_NAME=Ben SECOND_NAME=Cy
else
  FIRST=$C SECOND=$B FIRST_NAME=Cy SECOND_NAME=Ben
fi
as "$FIRST" bid "Written first" --minutes 30
sleep 0.05
as "$SECOND" bid "Written second" --minutes 30
sync_all
as "$A" allocate --json
same "$(json "$T/out" '[s["presenter"] for s in j["slots"]]')" "['$FIRST_NAME', '$SECOND_NAME']" "slots by the time of bidding on Ada's home"
sync_all
same "$(slots "$B")" "['$FIRST_NAME', '$SECOND_NAME']" "slots on Ben's home"
same "$(slots "$C")" "['$FIRST_NAME', '$SECOND_NAME']" "slots on Cy's home"
same "$(json "$T/show.json" '[b["member"] for b in j["bids"]]')" "['$FIRST_NAME', '$SECOND_NAME']" "bids in the order written"

# ---- the facilitator's order -------------------------------------------
bad "$A" "no member 'Zed'" allocate --order "Zed,Ben"
bad "$A" "names 1 of the 2 bidders" allocate --order "$FIRST_NAME"
bad "$A" "named twice" allocate --order "Ben,Ben"
bad "$A" "'Ada' has not bid" allocate --order "Ada,Ben,Cy"
bad "$A" "separated by commas" allocate --order "Ben,,Cy"
refused "$B" "only a facilitator" allocate --order "Ben,Cy"
as "$A" allocate --order "$SECOND_NAME,$FIRST_NAME" --equal --json
same "$(json "$T/out" '[(s["presenter"], s["minutes"]) for s in j["slots"]]')" \
  "[('$SECOND_NAME', 48), ('$FIRST_NAME', 48)]" "the facilitator's order, equal shares"
sync_all
same "$(slots "$FIRST")" "['$SECOND_NAME', '$FIRST_NAME']" "the order on a bidder's home"

# ---- an uninterrupted presentation -------------------------------------
P=$SECOND P_NAME=$SECOND_NAME   # presents first now
Q=$FIRST Q_NAME=$FIRST_NAME     # presents second
as "$A" meeting next
sync_all
as "$P" present
sync_all
as "$Q" ask "What happened next?" --json
same "$(json "$T/out" 'j["held"]')" True "the asker sees their question held"
grep -q "held until the facilitator moves the slot" "$T/err" && ok || fail "no word that the question is held: $(cat "$T/err")"
as "$A" ask "What matters most to you?"
as "$A" ask "What would you like from us?" --to "$Q_NAME" # Q's slot is still to come
sync_all
as "$P" questions
grep -q "What happened" "$T/out" && fail "the presenter reads a held question: $(cat "$T/out")" || ok
grep -q "^2 questions held until the questions part" "$T/out" && ok || fail "no count for the presenter: $(cat "$T/out")"
as "$P" questions --json
same "$(json "$T/out" '[(q["text"], q["from"], q["held"]) for q in j]')" "[(None, None, True), (None, None, True)]" "the presenter's JSON wall: held, without text"
as "$Q" questions --json
same "$(json "$T/out" 'sorted((str(q["text"]), q["held"]) for q in j)')" "[('None', True), ('What happened next?', True)]" "the asker's wall: their own held question, and one counted"
as "$Q" questions --all --json
grep -q "What would you like from us" "$T/out" && fail "Ada's held question to $Q_NAME shown to $Q_NAME" || ok
as "$A" meeting show --json
same "$(json "$T/out" 'j["part"]')" presentation "the part before the facilitator moves on"
refused "$Q" "only a facilitator" meeting questions
as "$A" meeting questions --json
same "$(json "$T/out" 'j["part"]')" questions "the part once moved to questions"
refused "$A" "already reached" meeting questions
sync_all
as "$P" questions --json
same "$(json "$T/out" 'sorted((q["text"], q["held"]) for q in j)')" \
  "[('What happened next?', False), ('What matters most to you?', False)]" "all held questions appear together"
QID=$(json "$T/out" '[q["id"] for q in j if q["text"]=="What happened next?"][0]')
as "$P" question answer "$QID" "The ward closed"
as "$Q" ask "And then?" --json
same "$(json "$T/out" 'j["held"]')" False "asked in the questions part: not held"
sync_all
as "$P" questions --all
grep -q "^1 question held until the questions part" "$T/out" && ok || fail "Ada's question to $Q_NAME not counted on --all: $(cat "$T/out")"
as "$A" meeting next
sync_all
as "$Q" present
as "$P" ask "What is in your way?"
sync_all
as "$Q" questions
grep -q "^2 questions held until the questions part" "$T/out" && ok || fail "the second presenter's count: $(cat "$T/out")"
as "$A" meeting close
sync_all
as "$Q" questions --meeting "$M1" --json
same "$(json "$T/out" 'sorted(q["text"] for q in j if q["to"]=="'"$Q_NAME"'")')" \
  "['What is in your way?', 'What would you like from us?']" "closing the meeting shows every held question"
same "$(json "$T/out" 'len(j)')" 5 "the past meeting's wall"
same "$(json "$T/out" '[q for q in j if q["held"]]')" "[]" "nothing held after the close"

# ---- a past meeting's wall, and every meeting's -----------------------------
as "$A" meeting schedule --at "2026-12-15 09:30" --minutes 60 --json
M2=$(json "$T/out" 'j["id"]')
as "$A" meeting start "$M2"
as "$A" meeting next
sync_all
as "$B" bid "Again"
sync_all
as "$A" allocate
as "$A" meeting next
as "$A" meeting questions
sync_all
as "$C" ask "What has changed since?" --to Ben
sync_all
as "$B" questions --json
same "$(json "$T/out" '[q["text"] for q in j]')" "['What has changed since?']" "the running meeting's wall"
as "$B" questions --meeting "${M1:0:6}" --json
same "$(json "$T/out" 'len(j)')" 5 "the first meeting's wall by an id prefix, while another runs"
same "$(json "$T/out" 'set(q["meeting"] for q in j)')" "{'$M1'}" "only the first meeting's"
as "$B" questions --all --json
same "$(json "$T/out" 'len(j)')" 6 "every meeting's questions"
bad "$B" "no meeting 'ffffffff'" questions --meeting ffffffff
bad "$B" "give --meeting or --all" questions --all --meeting "$M1"

finish
