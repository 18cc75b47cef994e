#!/usr/bin/env bash
# test_deps.sh: scripts/deps.sh asks for what the tests use.
#
# A fresh machine gets only what `scripts/deps.sh test` installs, so every
# tool, file and module a test needs must be checked there by the name the
# test uses (need_cmd / need_file / need_py).  Read from the tests themselves:
#   - the tools a test looks for before it starts (peers_need, the
#     `for c in ...; do command -v` loops, have("...") and `command -v` in the
#     C tests);
#   - a socket:// printer URI: the CUPS socket backend's file;
#   - each font file named in C (*.ttf): its path;
#   - each `timezone = ...` of a test or demo station: its zoneinfo file;
#   - each module a python3 snippet in the tests imports.
# Then deps.sh's own lists are checked to hold on this machine (make test ran
# `deps.sh test` first): each need_cmd's command and need_file's file is there.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2
DEPS=scripts/deps.sh
# the shell tests, this one left out (its own text names what it looks for)
TESTS=()
for f in tests/cli/*.sh tests/kiosk/golden/*.sh; do
	[ "${f##*/}" = test_deps.sh ] || TESTS+=("$f")
done

# the tools: "name" per line
guarded() {
	grep -h '^[[:space:]]*peers_need ' "${TESTS[@]}" | sed 's/^[[:space:]]*peers_need //' | tr ' ' '\n'
	sed -n 's/^[[:space:]]*for c in \(.*\); do$/\1/p' "${TESTS[@]}" | tr ' ' '\n'
	grep -ohE 'have\("[a-z0-9-]+"\)|command -v [a-z0-9-]+' tests/unit/*.c tests/kiosk/*.c |
		sed -E 's/have\("([^"]+)"\)/\1/; s/command -v //'
}

t_begin "every tool a test looks for is a need_cmd of deps.sh test"
bad=""
n=0
for c in $(guarded | grep -v '[$/"]' | sort -u); do
	n=$((n + 1))
	grep -qE "^[[:space:]]*need_cmd $c " "$DEPS" || bad="$bad $c"
done
if [ "$n" -ge 10 ] && [ -z "$bad" ]; then t_ok; else t_fail "" "not in $DEPS:$bad (of $n)"; fi

t_begin "a socket:// printer in the tests: deps.sh checks the CUPS socket backend's file"
if ! grep -q 'socket://' tests/cli/*.sh ||
   grep -qE '^[[:space:]]*need_file /usr/lib/cups/backend/socket cups$' "$DEPS"; then
	t_ok
else
	t_fail "" "no need_file /usr/lib/cups/backend/socket cups in $DEPS"
fi

t_begin "every font file named in C is a need_file of deps.sh"
bad=""
for f in $(grep -rhoE '"[A-Za-z0-9/_-]+\.ttf"' core db drivers station cli kiosk tests | tr -d '"' | sort -u); do
	grep -qE "^[[:space:]]*need_file [^ ]*/$(basename "$f") " "$DEPS" || bad="$bad $f"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "not in $DEPS:$bad"; fi

t_begin "every time zone of a test or demo station is a need_file of deps.sh"
bad=""
for z in $(sed -n 's/^timezone *= *\([A-Za-z_/+-]\{1,\}\)$/\1/p' tests/scenarios/*.ini assets/demo/*.ini | sort -u); do
	grep -qE "^[[:space:]]*need_file /usr/share/zoneinfo/$z " "$DEPS" || bad="$bad $z"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "not in $DEPS:$bad"; fi

t_begin "every python3 module the tests import is in deps.sh's need_py"
have=" $(sed -n 's/^[[:space:]]*need_py "\([^"]*\)".*/\1/p' "$DEPS" | tr '\n' ' ') "
bad=""
n=0
for m in $(grep -hoE '(^[[:space:]]*|python3 -c ["'\''])import [a-z_][a-z0-9_]*(, *[a-z_][a-z0-9_]*)*' "${TESTS[@]}" |
	sed -E 's/.*import //' | tr ',' '\n' | tr -d ' ' | sort -u); do
	n=$((n + 1))
	case $have in *" $m "*) ;; *) bad="$bad $m" ;; esac
done
if [ "$n" -ge 5 ] && [ -z "$bad" ]; then t_ok; else t_fail "" "not in need_py:$bad (of $n)"; fi

t_begin "what deps.sh test asks for is on this machine (make test ran it first)"
bad=""
while read -r kind what _; do
	case $kind in
	need_cmd) command -v "$what" >/dev/null 2>&1 || bad="$bad $what" ;;
	need_file)
		found=""
		for f in $what; do [ -e "$f" ] && found=1; done
		[ -n "$found" ] || bad="$bad $what"
		;;
	esac
done < <(sed -n 's/^[[:space:]]*\(need_cmd\|need_file\) /\1 /p' "$DEPS" | grep -v ' mmdebstrap$' |
	sed 's/"\$c"/timeout/' | tr -d "'")
if [ -z "$bad" ]; then t_ok; else t_fail "" "missing:$bad (run scripts/deps.sh test)"; fi

t_end
