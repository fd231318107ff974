#!/usr/bin/env bash
# The man page and --help say the same thing: every command's usage line
# and description, as the program prints them, stand in the man page.
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

finish
