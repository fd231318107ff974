#!/usr/bin/env bash
# The man page and --help say the same thing: every command's usage line
# and description, as the program prints them, stand in the man page.
# The page's date never depends on the day of the build (docs/man-date.sh):
# SOURCE_DATE_EPOCH's, else the last commit's, else a fixed one; two builds
# a day apart give the same page.
. "$(dirname "$0")/lib.sh"
: "${MANPAGE:?MANPAGE must name docs/revans.1.scd}"

rv --help >"$T/help"
# "  revans set create NAME [...]": a second word in lower case is a
# subcommand; arguments are in capitals, brackets or options.
mapfile -t cmds < <(sed -n 's/^  revans \([a-z][a-z-]*\)\( [a-z][a-z-]*\)\?\( .*\)\?$/\1\2/p' "$T/help")
[ "${#cmds[@]}" -ge 14 ] && ok || fail "only ${#cmds[@]} commands listed by --help"

for cmd in "${cmds[@]}"; do
  # shellcheck disable=SC2086
  rv $cmd --help >"$T/one" || fail "$cmd --help"
  usage=$(sed -n '1s/^usage: revans //p' "$T/one")
  text=$(sed -n '3p' "$T/one")
  args=${usage#"$cmd"}
  args=${args# }
  want="*revans $cmd*${args:+ $args}"
  grep -qxF -- "$want" "$MANPAGE" && ok || fail "man page lacks the usage line: $want"
  grep -qxF -- "	$text" "$MANPAGE" && ok || fail "man page lacks the text of '$cmd': $text"
done

# page OUT [ENV...]: builds the page from a copy of the source in $T/src.
page() {
  local out=$1
  shift
  env "$@" sh "$T/src/man-date.sh" scdoc "$T/src" "$T/src/revans.1.scd" "$out"
}
# The date of a page, from its .TH line.
th_date() { sed -n 's/^\.TH "revans" "1" "\([0-9-]*\)".*/\1/p' "$1"; }
if command -v scdoc >/dev/null; then
  mkdir -p "$T/src"
  cp "$MANPAGE" "$(dirname "$MANPAGE")/man-date.sh" "$T/src/"
  # No git: the fixed date in man-date.sh.
  fixed=$(sed -n 's/^fallback=\([0-9]*\).*/\1/p' "$T/src/man-date.sh")
  page "$T/p0" -u SOURCE_DATE_EPOCH GIT_CEILING_DIRECTORIES="$T"
  same "$(th_date "$T/p0")" "$(date -u -d "@$fixed" +%F)" "the date without git"
  # Under git: the last commit's date (2001), not the day of the build; a
  # build a day later (faked with faketime when it is installed) gives
  # the same page.
  git -C "$T/src" init -q && git -C "$T/src" add . &&
    GIT_AUTHOR_DATE="2001-02-03T12:00:00Z" GIT_COMMITTER_DATE="2001-02-03T12:00:00Z" \
      git -C "$T/src" -c user.name=t -c user.email=t@t commit -qm page || fail "git commit"
  page "$T/p1" -u SOURCE_DATE_EPOCH
  same "$(th_date "$T/p1")" "2001-02-03" "the date of the last commit"
  if command -v faketime >/dev/null; then
    env -u SOURCE_DATE_EPOCH faketime -f +1d sh "$T/src/man-date.sh" scdoc "$T/src" "$T/src/revans.1.scd" "$T/p2"
  else
    page "$T/p2" -u SOURCE_DATE_EPOCH
  fi
  cmp -s "$T/p1" "$T/p2" && ok || fail "two builds give different pages"
  # SOURCE_DATE_EPOCH comes first.
  page "$T/p3" SOURCE_DATE_EPOCH=86400
  same "$(th_date "$T/p3")" "1970-01-02" "the date of SOURCE_DATE_EPOCH"
fi

# The page is found the way the README says: built into the build
# directory (docs/revans.1) that its set-up makes, read there with
# `man -l`, and installed by `meson install` where man looks.
readme=$(dirname "$MANPAGE")/../README.md
grep -qF 'man -l build/docs/revans.1' "$readme" && ok || fail "the README does not say how to read the built page"
if command -v scdoc >/dev/null && [ -n "${BUILD_ROOT:-}" ]; then
  built=$BUILD_ROOT/docs/revans.1
  [ -s "$built" ] && ok || fail "no man page at $built"
  if command -v man >/dev/null; then
    MANPAGER=cat MANWIDTH=120 man -l "$built" >"$T/man" 2>/dev/null
    grep -q "revans meeting start" "$T/man" && ok || fail "man -l $built shows no commands"
  fi
  if command -v meson >/dev/null; then
    dest=$(meson introspect --installed "$BUILD_ROOT" | python3 -c '
import json, sys
print("".join(v for k, v in json.load(sys.stdin).items() if k.endswith("/docs/revans.1")))')
    case $dest in
    */man1/revans.1) ok ;;
    *) fail "meson install puts the page at '$dest', not in a man1 directory" ;;
    esac
    # Under /usr/local (meson's default prefix) or /usr, man looks there.
    if command -v manpath >/dev/null && [[ $dest == /usr/* ]]; then
      mandir=${dest%/man1/revans.1}
      manpath 2>/dev/null | tr ':' '\n' | grep -qxF "$mandir" && ok ||
        fail "man does not look in $mandir ($(manpath 2>/dev/null))"
    fi
  fi
fi

finish
