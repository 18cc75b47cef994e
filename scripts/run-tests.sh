#!/usr/bin/env bash
# run-tests.sh: run every test program that is built and sum up.
#
# Called by `make test` once everything is built.  Runs, in this order:
#   build/tests/test_*        the unit tests (cmocka)
#   tests/cli/test_*.sh       the CLI tests (bash; they use build/haulgate)
#   build/asan/tests/test_*   the unit tests again under ASan+UBSan
#   tests/cli/test_scenarios.sh  again, with HG=build/asan/haulgate (and the
#                             other CLI tests of real peers listed below)
# Each program's cases are counted: for cmocka the "[  PASSED  ] N test(s)."
# and "[  FAILED  ] N test(s), listed below:" lines, for the shell tests the
# "ok - <name>" / "not ok - <name>" lines.  A program that crashes, times out
# or exits non-zero with no failure counted counts as one failure.  A passing
# program gets one line ("PASS test_text (23, 0s)": its checks and seconds); a failing one gets its whole
# output, which is also kept in build/test-logs/<name>.log.  The last line is
# "N passed, N failed"; the exit status is 1 when anything failed.
#
# Usage: scripts/run-tests.sh [PATTERN...]
#   With patterns, only programs whose name (test_text, cli/test_load,
#   asan/test_text) contains one of them, or matches it as a glob, are run.
# Environment: HG_TEST_TIMEOUT seconds per program (default 300).
set -u

cd "$(dirname "$0")/.." || exit 2

LOGDIR=build/test-logs
TIMEOUT=${HG_TEST_TIMEOUT:-300}
mkdir -p "$LOGDIR" "$LOGDIR/cli" "$LOGDIR/asan"

# cmocka's plain output is what we parse
unset CMOCKA_MESSAGE_OUTPUT CMOCKA_XML_FILE

total_pass=0
total_fail=0
programs=0

wanted() {	# wanted NAME: 0 if no pattern was given or one matches
	local p
	[ "${#PATTERNS[@]}" -eq 0 ] && return 0
	for p in "${PATTERNS[@]}"; do
		# shellcheck disable=SC2053	# a glob on purpose
		[[ $1 == *"$p"* || $1 == $p ]] && return 0
	done
	return 1
}

# count KIND LOG: sets npass nfail from the log of one program
count() {
	local kind=$1 log=$2
	if [ "$kind" = sh ]; then
		npass=$(grep -cE '^ok( [0-9]+)? - ' "$log")
		nfail=$(grep -cE '^not ok( [0-9]+)? - ' "$log")
	else
		# one summary per group; sum them
		npass=$(sed -nE 's/^\[  PASSED  \] ([0-9]+) test\(s\)\.$/\1/p' "$log" |
			awk '{ s += $1 } END { print s + 0 }')
		nfail=$(sed -nE 's/^\[  FAILED  \] ([0-9]+) test\(s\), listed below:$/\1/p' "$log" |
			awk '{ s += $1 } END { print s + 0 }')
	fi
}

# run NAME KIND CMD...: run one program and report it
run() {
	local name=$1 kind=$2 log rc why="" t0 secs
	shift 2
	wanted "$name" || return 0
	log="$LOGDIR/$name.log"
	mkdir -p "$(dirname "$log")"
	programs=$((programs + 1))

	t0=$(date +%s)
	# the group's redirection also catches bash's own "Aborted" notice
	{
		if command -v timeout >/dev/null 2>&1; then
			timeout -k 10 "$TIMEOUT" "$@"
		else
			"$@"
		fi
	} </dev/null >"$log" 2>&1
	rc=$?
	secs=$(($(date +%s) - t0))
	count "$kind" "$log"
	npass=${npass:-0}
	nfail=${nfail:-0}

	if [ "$rc" -ne 0 ] && [ "$nfail" -eq 0 ]; then
		nfail=1
		if [ "$rc" -eq 124 ]; then
			why="timed out after ${TIMEOUT}s"
		elif [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
			why="killed by signal $((rc - 128))"
		else
			why="exit status $rc"
		fi
	fi
	if [ "$rc" -eq 0 ] && [ "$npass" -eq 0 ] && [ "$nfail" -eq 0 ]; then
		npass=1		# ran and passed, but said nothing countable
	fi
	total_pass=$((total_pass + npass))
	total_fail=$((total_fail + nfail))

	if [ "$nfail" -eq 0 ]; then
		echo "PASS $name ($npass, ${secs}s)"
	else
		echo "FAIL $name ($npass passed, $nfail failed${why:+, $why}, ${secs}s)"
		echo "---- $log"
		cat "$log"
		echo "---- end of $log"
	fi
}

PATTERNS=("$@")

for t in build/tests/test_*; do
	{ [ -f "$t" ] && [ -x "$t" ]; } || continue
	run "$(basename "$t")" cmocka "$t"
done

for t in tests/cli/test_*.sh; do
	[ -f "$t" ] || continue
	run "cli/$(basename "$t" .sh)" sh bash "$t"
done

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/asan/tests/test_*; do
	{ [ -f "$t" ] && [ -x "$t" ]; } || continue
	run "asan/$(basename "$t")" cmocka "$t"
done

# the whole sessions again, through an ASan+UBSan build of the CLI, and the
# real backends whose threads only the CLI drives (the CUPS job follower, the
# Modbus heartbeat and reconnects, libnfc) against their peers, and the sync
# client reading what a plant answers, and its export, and the plant's policy
# laid over station.ini
if [ -x build/asan/haulgate ]; then
	for t in test_scenarios test_printer_cups test_hw_devices test_meter_modbus test_sync_client \
		 test_sync_plant test_sync_faults test_sync_export test_cli_managed \
		 test_sync_policy; do
		run "asan/cli/$t" sh env HG="$PWD/build/asan/haulgate" bash "tests/cli/$t.sh"
	done
fi

if [ "$programs" -eq 0 ]; then
	echo "run-tests: no test program found${PATTERNS[0]:+ matching ${PATTERNS[*]}}" >&2
fi
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
