#!/usr/bin/env bash
# Tables line up on the screen whatever the names are written in: a set
# named in Japanese (two columns a character), one with an emoji (two
# columns) and a combining accent (none), a member named in kanji. Every
# column of `set list` and `set members` starts at the same screen column
# on every line, under any locale the user runs in.
. "$(dirname "$0")/lib.sh"

A=$T/ada
new_home "$A" "山田太郎" >/dev/null
accent=$(printf 'cafe\xcc\x81')
for n in "Ward leaders" "病棟リーダー" "Team 🎉 $accent"; do
  rv --home "$A" set create "$n" >/dev/null || fail "set create $n"
done

# aligned FILE WHAT: each header word starts at the same screen column
# (East Asian wide and full-width characters count two, combining marks
# none) as the field below it on every line.
aligned() {
  python3 - "$1" <<'EOF' || fail "$2: columns do not line up: $(cat "$1")"
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
# A column starts after two spaces or more (a name may hold one).
def starts(line):
    return [width(line[:i]) for i, ch in enumerate(line)
            if ch != " " and (i == 0 or line[max(0, i - 2):i] == "  ")]
lines = [l for l in open(sys.argv[1], encoding="utf-8").read().split("\n") if l]
want = starts(lines[0])
for line in lines[1:]:
    if starts(line) != want:
        print(line, starts(line), want, file=sys.stderr)
        sys.exit(1)
EOF
  ok
}

for loc in C.UTF-8 C POSIX; do
  LC_ALL=$loc expect_exit 0 rv --home "$A" set list && aligned "$T/out" "set list ($loc)"
  grep -q "病棟リーダー" "$T/out" && ok || fail "set list ($loc) lacks the Japanese name"
  LC_ALL=$loc expect_exit 0 rv --home "$A" --set "Ward leaders" set members &&
    aligned "$T/out" "set members ($loc)"
done

[ "$failures" -eq 0 ] || exit 1
echo "columns: $checks checks passed"
