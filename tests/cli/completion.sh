#!/usr/bin/env bash
# The shell completions: `meson install` (of the files tagged completion)
# puts the bash, zsh and fish files
# where each shell looks for them; each names every command of the
# program's own table; the bash one, sourced into a bash with
# bash-completion's helpers and without them, completes commands,
# subcommands, options and their values. zsh and fish read theirs without
# a syntax error, when they are installed.
. "$(dirname "$0")/lib.sh"
: "${BUILD_ROOT:?BUILD_ROOT must name the build directory}"

dest=$T/dest
meson install -C "$BUILD_ROOT" --no-rebuild --tags completion --destdir "$dest" >"$T/install.log" 2>&1 ||
  fail "meson install: $(tail -5 "$T/install.log")"
share=$(find "$dest" -type d -name bash-completion -path '*/share/*' | head -1)
share=${share%/bash-completion}
bash_file=$share/bash-completion/completions/revans
zsh_file=$share/zsh/site-functions/_revans
fish_file=$share/fish/vendor_completions.d/revans.fish
for f in "$bash_file" "$zsh_file" "$fish_file"; do
  [ -s "$f" ] && ok || fail "not installed: ${f#"$dest"}"
done

# Every command of the table, in every file.
rv --commands >"$T/commands" || fail "revans --commands"
[ "$(wc -l <"$T/commands")" -ge 40 ] && ok || fail "revans --commands lists $(wc -l <"$T/commands") lines"
# (The first line, the global options, has no name.)
while read -r name; do
  [ -n "$name" ] || continue
  grep -qF "'$name'" "$bash_file" || fail "'$name' missing from the bash completion"
  grep -qF "'$name'" "$zsh_file" || fail "'$name' missing from the zsh completion"
  # fish names the first words in one list and each family's subcommands
  # in another.
  for w in $name; do
    grep -qw -- "$w" "$fish_file" || fail "'$w' ($name) missing from the fish completion"
  done
done < <(cut -f1 "$T/commands")
ok
# --commands is not in --help.
rv --help | grep -q -- '--commands' && fail "--help lists --commands" || ok

# complete WORDS...: the completions bash offers for the last word, one a
# line, sorted; with BASH_COMPLETION=1 bash-completion is loaded first.
complete_bash() {
  local helpers=${BASH_COMPLETION:-}
  bash --norc --noprofile -c '
    if [ -n "$1" ]; then . /usr/share/bash-completion/bash_completion || exit 3; fi
    . "$2"
    shift 2
    cd "$DIR" || exit 3
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="$*"
    COMP_POINT=${#COMP_LINE}
    _revans revans
    printf "%s\n" "${COMPREPLY[@]}" | sort' _ "$helpers" "$bash_file" revans "$@"
}

# expect WANT WORDS...: WANT is the completions, space-separated.
expect() {
  local want=$1
  shift
  local got
  got=$(complete_bash "$@" | tr '\n' ' ' | sed 's/ $//')
  same "$got" "$want" "completing 'revans $*'${BASH_COMPLETION:+ (with bash-completion)}"
}

mkdir -p "$T/files/a dir" && touch "$T/files/bundle.rv" "$T/files/other.txt"
export DIR=$T/files
run_cases() {
  expect "meeting" me
  expect "schedule show start" meeting s
  expect "action allocate apologise ask attend" a
  expect "question questions" question
  expect "add agree edit quorum withdraw" contract ""
  expect "--at" meeting schedule --place "Room 4" --a
  expect "--order" allocate --equal --o
  expect "--meeting" questions --m
  expect "questions" meeting q
  expect "html json md" export --format ""
  expect "html" export --format h
  expect "done dropped" report-in abc --status d
  expect "html" export --format = h
  expect "--home" --ho
  expect "bundle.rv" bundle apply bun
  expect "a dir" --home ""
  expect "clarification" --home /x --json ask "What?" --kind cl
  expect "" meeting schedule --at ""
}
run_cases
if [ -r /usr/share/bash-completion/bash_completion ]; then
  BASH_COMPLETION=1 run_cases
else
  echo "bash-completion is not installed: its helpers not tried"
fi

# zsh: the file read with compadd and _files standing in for zsh's own
# (which would then keep the words that match what is typed).
complete_zsh() {
  zsh -f -c 'compadd() { [[ $1 == -- ]] && shift; print -l -- "$@"; }
    _files() { print "FILES $*"; }; _message() { :; }; compset() { :; }
    words=(revans "${@:2}"); CURRENT=${#words}; source "$1"' _ "$zsh_file" "$@" | tr '\n' ' ' |
    sed 's/ $//'
}
if command -v zsh >/dev/null; then
  zsh -n "$zsh_file" && ok || fail "zsh -n $zsh_file"
  same "$(complete_zsh meeting s)" "cancel close list next questions schedule show start" "zsh: revans meeting s"
  same "$(complete_zsh export --format "")" "md html json" "zsh: revans export --format"
  same "$(complete_zsh contract "")" "add agree edit quorum withdraw" "zsh: revans contract"
  same "$(complete_zsh bundle apply x)" "FILES " "zsh: revans bundle apply x"
  same "$(complete_zsh --home /x ask q --kind "")" "clarification probing action" "zsh: --kind"
else
  echo "zsh is not installed: _revans not checked"
fi
# fish: its own completion machinery, asked with complete -C.
complete_fish() {
  fish --no-config -c 'source $argv[1]; complete -C"$argv[2]"' "$fish_file" "$1" | cut -f1 |
    sort | tr '\n' ' ' | sed 's/ $//'
}
if command -v fish >/dev/null; then
  fish -n "$fish_file" && ok || fail "fish -n $fish_file"
  same "$(complete_fish "revans me")" "meeting" "fish: revans me"
  same "$(complete_fish "revans meeting s")" "schedule show start" "fish: revans meeting s"
  same "$(complete_fish "revans --home /tmp contract ")" "add agree edit quorum withdraw" "fish: revans contract"
  same "$(complete_fish "revans export --format ")" "html json md" "fish: revans export --format"
  same "$(complete_fish "revans report-in a --st")" "--status" "fish: revans report-in --st"
else
  echo "fish is not installed: revans.fish not checked"
fi

finish
