#!/usr/bin/env bash
# No plaintext on disk: marker strings given as a person's name, a set's
# name and a topic never appear in any file under either home, nor in the
# bundle and invitation files that travel between them.
. "$(dirname "$0")/lib.sh"

NAME_MARK="NameMarkerQx7"
SET_MARK="SetMarkerZk4"
TOPIC_MARK="TopicMarkerWv9"

A=$T/a
B=$T/b
new_home "$A" "Ada $NAME_MARK" >/dev/null
B_ID=$(new_home "$B" "Ben $NAME_MARK")
expect_exit 0 rv --home "$A" set create "$SET_MARK set" --topic "about $TOPIC_MARK and more"
expect_exit 0 rv --home "$A" set invite --for "$B_ID" --out "$T/ben.invite"
expect_exit 0 rv --home "$B" set join "$T/ben.invite"
expect_exit 0 rv --home "$B" bundle create --out "$T/b.bundle"
expect_exit 0 rv --home "$A" bundle apply "$T/b.bundle"
expect_exit 0 rv --home "$A" bundle create --out "$T/a.bundle"

# The markers are really there, for members.
expect_exit 0 rv --home "$B" set show --json
same "$(json "$T/out" 'j["topic"]')" "about $TOPIC_MARK and more" "topic readable by B"
expect_exit 0 rv --home "$A" set members --json
same "$(json "$T/out" 'sorted(m["name"] for m in j)')" "['Ada $NAME_MARK', 'Ben $NAME_MARK']" "names readable"

# ...and nowhere on disk, in any encoding a grep would find.
for mark in "$NAME_MARK" "$SET_MARK" "$TOPIC_MARK"; do
  if grep -rla -- "$mark" "$A" "$B" "$T/ben.invite" "$T/a.bundle" "$T/b.bundle"; then
    fail "'$mark' found in plaintext (files above)"
  else
    ok
  fi
  # Also in UTF-16 (shell strings cannot hold its NUL bytes: Python looks).
  if python3 - "$mark" "$A" "$B" <<'PY'
import os, sys
wide = [sys.argv[1].encode("utf-16-le"), sys.argv[1].encode("utf-16-be")]
for root in sys.argv[2:]:
    for d, _, files in os.walk(root):
        for f in files:
            data = open(os.path.join(d, f), "rb").read()
            if any(w in data for w in wide):
                print(os.path.join(d, f))
                sys.exit(0)
sys.exit(1)
PY
  then
    fail "'$mark' found as UTF-16"
  else
    ok
  fi
done

# Home directories are private.
same "$(stat -c %a "$A")" 700 "home mode"
same "$(stat -c %a "$A/data.mdb")" 600 "store mode"

finish
