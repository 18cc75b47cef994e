#!/usr/bin/env bash
# lint.sh: the checks `make test` runs before it builds anything.
#
#  1. No C file (*.c, *.h under core/ db/ drivers/ station/ scenario/ cli/ kiosk/ potw/ tests/)
#     calls strcpy, sprintf, vsprintf, atoi, atol, strtok, gets, rand or srand.
#     Only calls count: a word boundary before the name and "(" after it, so
#     snprintf, fgets, strtok_r, randombytes, ops->gets() and mentions in
#     comments or strings are fine.
#  2. No file outside kiosk/ and tests/kiosk/ includes an SDL header: SDL
#     lives in the kiosk's SDL files only (receipts are drawn with FreeType,
#     drivers/raster.c), so the library and the CLI build without SDL.
# Prints every offence as file:line and exits 1, or prints "lint: ok".
# Searches with git grep (tracked and untracked files) in a git checkout,
# with grep -r otherwise.
set -u

cd "$(dirname "$0")/.." || exit 2

DIRS=(core db drivers station scenario cli kiosk potw tests)
BANNED='strcpy|sprintf|vsprintf|atoi|atol|strtok|gets|rand|srand'
CALL_RE="(^|[^A-Za-z0-9_.>])($BANNED)[[:space:]]*\\("
SDL_RE='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]SDL'

in_git=0
if command -v git >/dev/null 2>&1 && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	in_git=1
fi

# calls: file:line:text of every line that may call a banned function
calls() {
	local d specs=() there=()
	if [ "$in_git" = 1 ]; then
		for d in "${DIRS[@]}"; do
			specs+=("$d/*.c" "$d/*.h")
		done
		git grep --untracked -I -n -E "$CALL_RE" -- "${specs[@]}"
	else
		for d in "${DIRS[@]}"; do
			[ -d "$d" ] && there+=("$d")
		done
		[ "${#there[@]}" -eq 0 ] && return 0
		grep -rn -E --include='*.c' --include='*.h' "$CALL_RE" "${there[@]}"
	fi
}

# sdl: file:line:text of every SDL include outside kiosk/ and tests/kiosk/
sdl() {
	if [ "$in_git" = 1 ]; then
		git grep --untracked -I -n -E "$SDL_RE" -- '*.c' '*.h' \
			':!kiosk/' ':!tests/kiosk/' ':!build/'
	else
		grep -rn -E --include='*.c' --include='*.h' \
			--exclude-dir=kiosk --exclude-dir=build \
			--exclude-dir=.git "$SDL_RE" .
	fi
}

# Look again at each candidate line with comments and string literals taken
# out, and say what to use instead.
bad_calls=$(calls | awk '
{
	# file:line:text (file names here have no colon)
	i = index($0, ":"); file = substr($0, 1, i - 1); rest = substr($0, i + 1)
	j = index(rest, ":"); line = substr(rest, 1, j - 1); t = substr(rest, j + 1)
	if (t ~ /^[ \t]*\*/) next			# inside a block comment
	gsub(/"([^"\\]|\\.)*"/, "\"\"", t)		# string literals
	gsub(/\047([^\047\\]|\\.)*\047/, "0", t)	# character literals
	gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, " ", t)	# /* ... */ on one line
	sub(/\/\/.*/, "", t)				# // comment
	sub(/\/\*.*/, "", t)				# a comment that goes on
	use["strcpy"] = "text_copy or memcpy"; use["sprintf"] = "snprintf"
	use["vsprintf"] = "vsnprintf"; use["atoi"] = "text_parse_long"
	use["atol"] = "text_parse_long"; use["strtok"] = "strtok_r or a parser"
	use["gets"] = "fgets"; use["rand"] = "randombytes (libsodium)"
	use["srand"] = "randombytes (libsodium)"
	while (match(t, /(^|[^A-Za-z0-9_.>])(strcpy|sprintf|vsprintf|atoi|atol|strtok|gets|rand|srand)[ \t]*\(/)) {
		name = substr(t, RSTART, RLENGTH)
		t = substr(t, RSTART + RLENGTH)
		sub(/^[^A-Za-z_]/, "", name); sub(/[ \t]*\($/, "", name)
		printf "%s:%s: %s() is not allowed here; use %s\n", file, line, name, use[name]
	}
}')

bad_sdl=$(sdl | awk '{
	i = index($0, ":"); file = substr($0, 1, i - 1); rest = substr($0, i + 1)
	j = index(rest, ":"); line = substr(rest, 1, j - 1)
	sub(/^\.\//, "", file)
	printf "%s:%s: SDL header outside kiosk/: only the kiosk'"'"'s SDL files (and tests/kiosk/) may include SDL\n", file, line
}')

status=0
if [ -n "$bad_calls" ]; then
	echo "$bad_calls"
	status=1
fi
if [ -n "$bad_sdl" ]; then
	echo "$bad_sdl"
	status=1
fi
if [ "$status" -ne 0 ]; then
	echo "lint: failed" >&2
	exit 1
fi
echo "lint: ok"
