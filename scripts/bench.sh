#!/bin/sh
# bench.sh: run every benchmark in build/bench/ and print its figures against
# the budgets the issues name.  Figures are printed, never asserted: machines
# here are noisy, so a budget is checked by reading, not by failing a test.
set -eu
cd "$(dirname "$0")/.."
found=0
for b in build/bench/bench_*; do
	[ -x "$b" ] || continue
	found=1
	echo "== $(basename "$b")"
	"$b"
done
[ "$found" = 1 ] || { echo "bench: nothing built in build/bench/" >&2; exit 1; }
