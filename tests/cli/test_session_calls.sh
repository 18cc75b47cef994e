#!/usr/bin/env bash
# test_session_calls.sh: the files of the state machine call each other one way
# (issue 10).
#
# core/session.c calls core/session_form.c, core/session_staff.c and
# core/session_common.c; the form and the staff screens call only
# session_common.c; session_common.c calls none of them (the graph is drawn in
# core/session_common.c's opening comment).  Checked on the objects `make`
# built (build/obj/core/session*.o), with nm: an object that imports (U) a
# symbol another one defines (T, D, R, B) depends on it.
#   - the graph has no loop (tsort says so);
#   - each object depends on exactly the files the drawing says.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

command -v nm >/dev/null 2>&1 || {
	echo "not ok - nm is missing: run scripts/deps.sh test"
	exit 1
}

O=build/obj/core
files=(session session_common session_form session_staff)
for f in "${files[@]}"; do
	[ -f "$O/$f.o" ] || {
		echo "not ok - $O/$f.o is not built: make build/libhaulgate.a"
		exit 1
	}
done

# deps FILE: the other session files whose symbols FILE.o imports, sorted
deps() {
	local f=$1 g
	for g in "${files[@]}"; do
		[ "$g" = "$f" ] && continue
		if comm -12 <(nm -u "$O/$f.o" | awk '{ print $NF }' | sort -u) \
			    <(nm --defined-only "$O/$g.o" | awk '$2 ~ /^[TDRB]$/ { print $3 }' | sort -u) |
		   grep -q .; then
			echo "$g"
		fi
	done
}

edges=""
for f in "${files[@]}"; do
	for g in $(deps "$f"); do
		edges+="$f $g"$'\n'
	done
done

t_begin "the state machine's files call each other without a loop"
if printf '%s' "$edges" | tsort >/dev/null 2>"$T_BASE/tsort.err"; then
	t_ok
else
	t_fail "" "$(cat "$T_BASE/tsort.err")"$'\n'"edges:"$'\n'"$edges"
fi

# want FILE DEPS: FILE depends on exactly DEPS (space-separated, sorted)
want() {
	local got
	got=$(deps "$1" | sort | tr '\n' ' ' | sed 's/ $//')
	t_begin "$1.c calls ${2:-none of the other session files}"
	if [ "$got" = "$2" ]; then t_ok; else t_fail "" "it calls: ${got:-nothing}"; fi
}
want session "session_common session_form session_staff"
want session_form "session_common"
want session_staff "session_common"
want session_common ""

t_end
