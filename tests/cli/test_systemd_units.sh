#!/usr/bin/env bash
# test_systemd_units.sh: the systemd units in systemd/ (docs/DEPLOY.md).
#   - each one passes `systemd-analyze verify` (its programs pointed at
#     build/, where make put them);
#   - each one's overall exposure (`systemd-analyze security --offline=true`)
#     is at most 2.0 ("OK");
#   - docs/DEPLOY.md shows what `systemd-analyze security` says of them now
#     (scripts/unit-security.sh);
#   - every program a unit runs is one we build, and every command it gives
#     is one the program knows (its `help` names it).
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

command -v systemd-analyze >/dev/null 2>&1 || {
	echo "not ok - systemd-analyze is missing: run scripts/deps.sh test"
	exit 1
}
T=$(tmpdir)

for u in systemd/*.service; do
	name=$(basename "$u")
	sed "s|/usr/local/bin/|$HG_ROOT/build/|g" "$u" >"$T/$name"

	t_begin "$name: systemd-analyze verify"
	if out=$(systemd-analyze verify --man=no "$T/$name" 2>&1) && [ -z "$out" ]; then
		t_ok
	else
		t_fail "" "$out"
	fi

	t_begin "$name: overall exposure at most 2.0"
	level=$(systemd-analyze security --offline=true --no-pager "$u" 2>/dev/null |
		sed -n 's/^→ Overall exposure level for [^:]*: \([0-9.]*\) .*/\1/p')
	if [ -n "$level" ] && awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }'; then
		t_ok
		echo "# $name: exposure $level"
	else
		t_fail "" "exposure '$level'"
	fi

	t_begin "$name: every program it runs is built here and knows its command"
	bad=""
	while IFS= read -r line; do
		cmd=${line#*=}
		bin=$(basename "${cmd%% *}")
		[ -x "build/$bin" ] || { bad="$bad; build/$bin is not built"; continue; }
		# the words after --config FILE: the command (and its subcommand)
		words=$(sed -E 's/^[^ ]+ //; s/--config [^ ]+ ?//; s/ --[a-z].*//' <<<"$cmd")
		[ -z "$words" ] && continue	# the kiosk takes no command
		# shellcheck disable=SC2086	# the words on purpose
		"build/$bin" help $words >/dev/null 2>&1 || bad="$bad; '$bin help $words' fails"
	done < <(grep -E '^Exec(Start|StopPost)=' "$u")
	if [ -z "$bad" ]; then t_ok; else t_fail "" "${bad#; }"; fi
done

t_begin "docs/DEPLOY.md shows what systemd-analyze security says of the units now"
want=$(scripts/unit-security.sh)
got=$(sed -n '/<!-- unit-security: begin -->/,/<!-- unit-security: end -->/p' docs/DEPLOY.md |
	sed '1d;$d')
if [ "$want" = "$got" ]; then
	t_ok
else
	t_fail "" "run scripts/unit-security.sh --update: $(diff <(echo "$got") <(echo "$want") | head -20)"
fi

t_end
