# lib.sh: helpers for the CLI tests (tests/cli/test_*.sh); source it, do not run it.
#
# A test script prints one line per check, "ok - <name>" or "not ok - <name>"
# (scripts/run-tests.sh counts them), and ends with t_end, whose status is the
# script's:
#
#   . "$(dirname "$0")/lib.sh"
#   t_begin "init makes a database"
#   d=$(tmpdir)
#   if expect_exit 0 "$HG" init --db "$d/hg.db"; then t_ok; else t_fail "" "$ERR"; fi
#   t_end
#
# Provides:
#   HG                 the binary under test: <repo>/build/haulgate, unless
#                      HG is set already (the ASan run sets it)
#   HG_ROOT            the repository
#   t_begin NAME       name the next check (t_ok / t_fail without a name use it)
#   t_ok [NAME]        print "ok - NAME", count a pass
#   t_fail [NAME] MSG  print "not ok - NAME" and MSG as "# " lines, count a failure
#   t_check NAME CMD...  run CMD: t_ok NAME if it succeeds, else t_fail NAME
#   t_end              print "N passed, N failed"; status 1 if any failed
#   expect_exit CODE CMD...  run CMD with stdout in $OUT, stderr in $ERR and
#                      its exit status in $RC; status 0 when RC is CODE, else
#                      1 with what happened as "# " lines on stdout
#   tmpdir             print the path of a fresh folder; every one is removed
#                      when the script exits (one base folder, one EXIT trap:
#                      a script that sets its own EXIT trap must call
#                      t_cleanup from it)
# shellcheck shell=bash
# shellcheck disable=SC2034  # HG, OUT, ERR, RC are for the scripts that source this

HG_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HG=${HG:-"$HG_ROOT/build/haulgate"}
T_NAME=""
T_PASS=0
T_FAIL=0
OUT=""
ERR=""
RC=0

# one base folder for the whole script, made now so that tmpdir also works
# from a subshell ($(tmpdir)) and is still cleaned up by this shell's trap
T_BASE=$(mktemp -d "${TMPDIR:-/tmp}/hgcli.XXXXXX") || {
	echo "lib.sh: cannot make a temp folder under ${TMPDIR:-/tmp}" >&2
	exit 2
}

t_cleanup() {
	[ -n "${T_BASE:-}" ] && rm -rf -- "$T_BASE"
}
trap t_cleanup EXIT

tmpdir() {
	mktemp -d "$T_BASE/t.XXXXXX"
}

t_begin() {
	T_NAME=$1
}

t_ok() {
	local name=${1:-$T_NAME}
	T_PASS=$((T_PASS + 1))
	echo "ok - $name"
}

t_fail() {
	local name=${1:-$T_NAME} msg=${2:-}
	T_FAIL=$((T_FAIL + 1))
	echo "not ok - $name"
	if [ -n "$msg" ]; then
		printf '%s\n' "$msg" | sed 's/^/# /'
	fi
}

t_check() {
	local name=$1
	shift
	if "$@"; then
		t_ok "$name"
	else
		t_fail "$name" "failed: $*"
	fi
}

expect_exit() {
	local want=$1 out err
	shift
	out="$T_BASE/.out.$$" err="$T_BASE/.err.$$"
	"$@" >"$out" 2>"$err" </dev/null
	RC=$?
	OUT=$(cat "$out")
	ERR=$(cat "$err")
	rm -f "$out" "$err"
	if [ "$RC" -eq "$want" ]; then
		return 0
	fi
	echo "# expected exit $want, got $RC: $*"
	[ -n "$OUT" ] && printf '%s\n' "$OUT" | head -n 20 | sed 's/^/# stdout: /'
	[ -n "$ERR" ] && printf '%s\n' "$ERR" | head -n 20 | sed 's/^/# stderr: /'
	return 1
}

t_end() {
	echo "$T_PASS passed, $T_FAIL failed"
	[ "$T_FAIL" -eq 0 ]
}
