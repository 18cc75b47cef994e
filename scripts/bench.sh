#!/bin/sh
# bench.sh: run every benchmark in build/bench/ and print its figures against
# the budgets the issues name.  Figures are printed, never asserted: machines
# here are noisy, so a budget is checked by reading, not by failing a test.
#
# Usage: scripts/bench.sh [NAME...]   (NAME: store, kiosk, sync, web; default: all)
# HG_BENCH_QUICK=1 shortens the long ones (bench_kiosk's idle minute: 10 s).
set -eu
cd "$(dirname "$0")/.."
found=0
for b in build/bench/bench_*; do
	[ -x "$b" ] || continue
	name=$(basename "$b")
	if [ $# -gt 0 ]; then
		want=0
		for n in "$@"; do
			[ "$name" = "bench_$n" ] && want=1
		done
		[ "$want" = 1 ] || continue
	fi
	found=1
	echo "== $name"
	"$b"
done
[ "$found" = 1 ] || { echo "bench: nothing built in build/bench/${1:+ named $*}" >&2; exit 1; }
