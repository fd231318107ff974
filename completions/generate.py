#!/usr/bin/env python3
"""Writes revans's completion for bash, zsh or fish from the command table
that `revans --commands` prints (cli/listing.c describes its lines), so
that the completions know every command, subcommand and option the
program has, and never drift from it.

usage: generate.py COMMANDS-FILE bash|zsh|fish OUTPUT
"""
import sys


def read_table(path):
    """(globals, commands): globals a list of options; commands a list of
    (name, options, takes_file). An option is (spelling, value): value None
    for a flag, '' for a free value, ':file', ':dir', or 'a|b|c'."""
    globs, cmds = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            name, opts, pos = line.split("\t")
            parsed = []
            for o in opts.split():
                spelling, eq, value = o.partition("=")
                parsed.append((spelling, value if eq else None))
            if name:
                cmds.append((name, parsed, pos == "file"))
            else:
                globs = parsed
    if not cmds:
        sys.exit("generate.py: no commands in " + path)
    return globs, cmds


def first_words(cmds):
    seen = []
    for name, _, _ in cmds:
        w = name.split()[0]
        if w not in seen:
            seen.append(w)
    return seen


def families(cmds):
    """{first word: [second words]} for the commands of two words."""
    fam = {}
    for name, _, _ in cmds:
        words = name.split()
        if len(words) == 2:
            fam.setdefault(words[0], []).append(words[1])
    return fam


def valued(globs, cmds):
    """Every option that takes a value, whichever command it belongs to.
    One spelling must mean one thing across the table."""
    kinds = {}
    for _, opts, _ in [("", globs, False)] + cmds:
        for spelling, value in opts:
            taken = value is not None
            if kinds.setdefault(spelling, taken) != taken:
                sys.exit("generate.py: %s is a flag in one command, valued in another" % spelling)
    return sorted(s for s, taken in kinds.items() if taken)


def q(s):
    return "'" + s.replace("'", "'\\''") + "'"


def sh_data(globs, cmds):
    """The table as shell functions that bash and zsh both read."""
    out = ["_revans_words=%s" % q(" ".join(first_words(cmds))),
           "_revans_valued=%s" % q(" ".join(valued(globs, cmds))),
           "_revans_subs() {", "  case $1 in"]
    for fam, subs in families(cmds).items():
        out.append("    %s) echo %s ;;" % (q(fam), q(" ".join(subs))))
    out += ["  esac", "}", "_revans_is_cmd() {", "  case $1 in"]
    out.append("    " + "|".join(q(n) for n, _, _ in cmds) + ") return 0 ;;")
    out += ["  esac", "  return 1", "}",
            "# The options of a command (\"\" for the global ones): --opt, or --opt=VALUES.",
            "_revans_opts() {", "  case $1 in"]
    for name, opts, _ in [("", globs, False)] + cmds:
        spec = " ".join(s + ("" if v is None else "=" + v) for s, v in opts)
        out.append("    %s) echo %s ;;" % (q(name), q(spec)))
    out += ["  esac", "}", "_revans_file() {", "  case $1 in"]
    files = [n for n, _, f in cmds if f]
    if files:
        out.append("    " + "|".join(q(n) for n in files) + ") return 0 ;;")
    out += ["  esac", "  return 1", "}"]
    return "\n".join(out) + "\n"


BASH = r'''# bash completion for revans: commands, subcommands, options and their
# values. Generated from `revans --commands` by completions/generate.py;
# it needs none of bash-completion's helpers.

@DATA@
# _revans_value OPTION COMMAND CUR: completes OPTION's value.
_revans_value() {
  local spec o kind=
  for o in $(_revans_opts "$2") $(_revans_opts ''); do
    spec=${o%%=*}
    [ "$spec" = "$1" ] && [ "$spec" != "$o" ] && { kind=${o#*=}; break; }
  done
  case $kind in
    :file) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -f -- "$3") ;;
    :dir) compopt -o filenames 2>/dev/null; mapfile -t COMPREPLY < <(compgen -d -- "$3") ;;
    '') ;;
    *) mapfile -t COMPREPLY < <(compgen -W "${kind//|/ }" -- "$3") ;;
  esac
}

_revans() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
  local -a words=()
  local i w skip=0 cmd= o opts=
  COMPREPLY=()
  # The words before the cursor that name the command, options and their
  # values left out. bash splits "--opt=value" at the "=".
  for ((i = 1; i < COMP_CWORD; i++)); do
    w=${COMP_WORDS[i]}
    if ((skip)); then skip=0; continue; fi
    case $w in
      =) skip=1 ;;
      -*) [[ " $_revans_valued " == *" $w "* && ${COMP_WORDS[i+1]} != = ]] && skip=1 ;;
      *) words+=("$w") ;;
    esac
  done
  if ((${#words[@]} >= 2)) && _revans_is_cmd "${words[0]} ${words[1]}"; then
    cmd="${words[0]} ${words[1]}"
  elif ((${#words[@]} >= 1)) && _revans_is_cmd "${words[0]}"; then
    cmd=${words[0]}
  fi
  # An option's value: "--opt VALUE", "--opt=VALUE".
  if [ "$cur" = = ]; then
    _revans_value "$prev" "$cmd" ''
    return 0
  fi
  if [ "$prev" = = ] && ((COMP_CWORD >= 2)); then
    _revans_value "${COMP_WORDS[COMP_CWORD-2]}" "$cmd" "$cur"
    return 0
  fi
  if [[ " $_revans_valued " == *" $prev "* ]]; then
    _revans_value "$prev" "$cmd" "$cur"
    return 0
  fi
  if [[ $cur == -* ]]; then
    for o in $(_revans_opts "$cmd") ${cmd:+$(_revans_opts '')}; do opts+=" ${o%%=*}"; done
    mapfile -t COMPREPLY < <(compgen -W "$opts" -- "$cur")
    return 0
  fi
  if ((${#words[@]} == 0)); then
    mapfile -t COMPREPLY < <(compgen -W "$_revans_words" -- "$cur")
  elif ((${#words[@]} == 1)) && [ "$cmd" != "${words[0]} ${words[1]:-}" ] &&
       [ -n "$(_revans_subs "${words[0]}")" ]; then
    mapfile -t COMPREPLY < <(compgen -W "$(_revans_subs "${words[0]}")" -- "$cur")
  elif [ -n "$cmd" ] && _revans_file "$cmd"; then
    compopt -o filenames 2>/dev/null
    mapfile -t COMPREPLY < <(compgen -f -- "$cur")
  fi
  return 0
}
complete -F _revans revans
'''

ZSH = r'''#compdef revans
# zsh completion for revans: commands, subcommands, options and their
# values. Generated from `revans --commands` by completions/generate.py.

@DATA@
_revans_value() {
  local spec o kind=
  for o in ${=$(_revans_opts "$2")} ${=$(_revans_opts '')}; do
    spec=${o%%=*}
    if [[ $spec == $1 && $spec != $o ]]; then
      kind=${o#*=}
      break
    fi
  done
  case $kind in
    :file) _files ;;
    :dir) _files -/ ;;
    '') _message 'value' ;;
    *) compadd -- ${(s:|:)kind} ;;
  esac
}

_revans() {
  local -a typed opts
  local i w skip=0 cmd= o cur=${words[CURRENT]} prev=${words[CURRENT-1]}
  for (( i = 2; i < CURRENT; i++ )); do
    w=${words[i]}
    if (( skip )); then skip=0; continue; fi
    case $w in
      --*=*) ;;
      -*) [[ " $_revans_valued " == *" $w "* ]] && skip=1 ;;
      *) typed+=($w) ;;
    esac
  done
  if (( ${#typed} >= 2 )) && _revans_is_cmd "${typed[1]} ${typed[2]}"; then
    cmd="${typed[1]} ${typed[2]}"
  elif (( ${#typed} >= 1 )) && _revans_is_cmd "${typed[1]}"; then
    cmd=${typed[1]}
  fi
  if [[ $cur == --*=* ]]; then
    compset -P '*='
    _revans_value "${cur%%=*}" "$cmd"
    return
  fi
  if [[ " $_revans_valued " == *" $prev "* ]]; then
    _revans_value "$prev" "$cmd"
    return
  fi
  if [[ $cur == -* ]]; then
    for o in ${=$(_revans_opts "$cmd")} ${=${cmd:+$(_revans_opts '')}}; do opts+=(${o%%=*}); done
    compadd -- $opts
    return
  fi
  if (( ${#typed} == 0 )); then
    compadd -- ${=_revans_words}
  elif (( ${#typed} == 1 )) && [[ -n $(_revans_subs "${typed[1]}") ]]; then
    compadd -- ${=$(_revans_subs "${typed[1]}")}
  elif [[ -n $cmd ]] && _revans_file "$cmd"; then
    _files
  fi
}

_revans "$@"
'''

FISH_HEAD = r'''# fish completion for revans: commands, subcommands, options and their
# values. Generated from `revans --commands` by completions/generate.py.

# The command words typed so far, options and their values left out.
function __revans_typed
    set -l skip 0
    for w in (commandline -opc)[2..-1]
        if test $skip -eq 1
            set skip 0
            continue
        end
        switch $w
            case '--*=*'
            case '-*'
                if contains -- $w @VALUED@
                    set skip 1
                end
            case '*'
                echo $w
        end
    end
end

# Whether the command being typed is $argv[1].
function __revans_cmd
    set -l typed (__revans_typed)
    if test (count $typed) -ge 2; and test "$typed[1] $typed[2]" = "$argv[1]"
        return 0
    end
    test (count $typed) -ge 1; and test "$typed[1]" = "$argv[1]"
    or return 1
    # "contract" while "contract add" is typed is not "contract".
    test (count $typed) -lt 2; or not contains -- $typed[2] @SUBS_ALL@
end

# Whether nothing but the first word $argv[1] is typed yet.
function __revans_family
    set -l typed (__revans_typed)
    test (count $typed) -eq 1; and test "$typed[1]" = "$argv[1]"
end

complete -c revans -f
complete -c revans -n 'test (count (__revans_typed)) -eq 0' -a '@WORDS@'
'''


def fish_opt(cond, spelling, value):
    flag = "-s " + spelling[1:] if len(spelling) == 2 else "-l " + spelling[2:]
    line = "complete -c revans%s %s" % ((" -n " + q(cond)) if cond else "", flag)
    if value is None:
        return line
    if value == ":file":
        return line + " -r -F"
    if value == ":dir":
        return line + " -x -a '(__fish_complete_directories)'"
    if value:
        return line + " -x -a " + q(value.replace("|", " "))
    return line + " -x"


def fish(globs, cmds):
    fam = families(cmds)
    subs_all = sorted({s for subs in fam.values() for s in subs})
    out = [FISH_HEAD.replace("@VALUED@", " ".join(valued(globs, cmds)))
           .replace("@SUBS_ALL@", " ".join(subs_all))
           .replace("@WORDS@", " ".join(first_words(cmds)))]
    for f, subs in fam.items():
        out.append("complete -c revans -n %s -a %s" % (q("__revans_family " + f), q(" ".join(subs))))
    for s, v in globs:
        out.append(fish_opt("", s, v))
    for name, opts, takes_file in cmds:
        cond = "__revans_cmd " + q(name)
        for s, v in opts:
            out.append(fish_opt(cond, s, v))
        if takes_file:
            out.append("complete -c revans -n %s -F" % q(cond))
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 4 or sys.argv[2] not in ("bash", "zsh", "fish"):
        sys.exit(__doc__)
    globs, cmds = read_table(sys.argv[1])
    shell = sys.argv[2]
    if shell == "fish":
        text = fish(globs, cmds)
    else:
        text = (BASH if shell == "bash" else ZSH).replace("@DATA@", sh_data(globs, cmds))
    with open(sys.argv[3], "w", encoding="utf-8") as f:
        f.write(text)


main()
