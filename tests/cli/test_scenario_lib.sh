#!/usr/bin/env bash
# test_scenario_lib.sh: the scenario language is not in the station's library
# (issue 10; docs/DECISIONS.md, "The scenario language is its own module").
#
# The scenario language (scenario/) is how `haulgate simulate` and the
# kiosk's --script drive a station; the plant's server links
# build/libhaulgate.a and must not get it.  Checked on what make built:
#   - build/libhaulgate.a (and its ASan and TSan twins, where built) neither
#     defines nor imports a scenario_ or scn_ symbol (nm), and holds no
#     scenario.o;
#   - build/libhaulgate-scenario.a defines them (so the check sees them
#     where they are), and build/haulgate and build/haulgate-kiosk are
#     linked with it (make -n -B);
#   - no source of core/, db/, drivers/ or station/ includes scenario.h.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

command -v nm >/dev/null 2>&1 || {
	echo "not ok - nm is missing: run scripts/deps.sh test"
	exit 1
}

SCN_RE='^(scenario_|scn_)'

t_begin "libhaulgate.a defines and imports no scenario_ or scn_ symbol"
bad=""
for a in build/libhaulgate.a build/asan/libhaulgate.a build/tsan/libhaulgate.a; do
	[ -f "$a" ] || continue
	syms=$(nm "$a" 2>/dev/null | awk 'NF >= 2 { print $NF }' | grep -E "$SCN_RE" | sort -u)
	[ -n "$syms" ] && bad="$bad $a: $(echo "$syms" | tr '\n' ' ')"
done
if [ -f build/libhaulgate.a ] && [ -z "$bad" ]; then
	t_ok
else
	t_fail "" "${bad:-no build/libhaulgate.a: run make first}"
fi

t_begin "libhaulgate.a holds no scenario object"
bad=""
for a in build/libhaulgate.a build/asan/libhaulgate.a build/tsan/libhaulgate.a; do
	[ -f "$a" ] || continue
	ar t "$a" | grep -q 'scenario' && bad="$bad $a: $(ar t "$a" | grep scenario | tr '\n' ' ')"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "$bad"; fi

t_begin "libhaulgate-scenario.a defines the scenario language (the check sees it)"
defs=$(nm --defined-only build/libhaulgate-scenario.a 2>/dev/null | awk '{ print $NF }')
if printf '%s\n' "$defs" | grep -qx scenario_run_file &&
	printf '%s\n' "$defs" | grep -qx scenario_step; then
	t_ok
else
	t_fail "" "build/libhaulgate-scenario.a is missing or lacks scenario_run_file/scenario_step"
fi

# make's own plan (-n: print, run nothing; -B: as if everything were out of
# date), outside any make that runs this test
plan=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make --no-print-directory -n -B build/haulgate build/haulgate-kiosk 2>&1)

t_begin "build/haulgate and build/haulgate-kiosk link libhaulgate-scenario.a (make -n -B)"
bad=""
for p in build/haulgate build/haulgate-kiosk; do
	printf '%s\n' "$plan" | grep -E -- "-o $p " | grep -q 'libhaulgate-scenario\.a' ||
		bad="$bad $p"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "linked without the scenario archive:$bad"; fi

t_begin "no source of the library includes scenario.h"
bad=$(grep -lE '#[[:space:]]*include[[:space:]]*"[^"]*scenario\.h"' \
	core/*.[ch] db/*.[ch] drivers/*.[ch] station/*.[ch] 2>/dev/null)
if [ -z "$bad" ]; then t_ok; else t_fail "" "these include it: $(echo "$bad" | tr '\n' ' ')"; fi

t_end
