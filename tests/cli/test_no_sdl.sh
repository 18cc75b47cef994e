#!/usr/bin/env bash
# test_no_sdl.sh: the station's library and CLI need no SDL (issue 10).
#
# The plant's server links build/libhaulgate.a and must build and run on a
# machine with no SDL installed, so SDL belongs to the kiosk's own files
# alone (kiosk/ and tests/kiosk/).  Checked on what `make test` built:
#   - build/haulgate, build/haulgate-potw (and their ASan twins) and the unit tests of
#     tests/unit/ have no libSDL2* among their NEEDED entries (readelf -d)
#     nor among the libraries they load (ldd);
#   - libhaulgate.a imports no SDL_, TTF_ or IMG_ symbol (nm -u);
#   - no object outside build/obj/kiosk/ saw an SDL header: the .d files
#     (-MMD) list every header each object included;
#   - the compile and link commands make would run for build/haulgate (make
#     -n -B: nothing is built) carry no SDL flag, while the kiosk's still do
#     (so the check can see SDL where it is).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

for c in readelf nm ldd make; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done

SDL_LIB='lib(SDL2|SDL2_ttf|SDL2_image)[-.]'

# the programs that must not load SDL: the CLIs and the unit tests
programs=()
for p in build/haulgate build/asan/haulgate build/haulgate-potw build/asan/haulgate-potw; do
	[ -x "$p" ] && programs+=("$p")
done
for t in tests/unit/test_*.c; do
	b=$(basename "$t" .c)
	for p in "build/tests/$b" "build/asan/tests/$b"; do
		[ -x "$p" ] && programs+=("$p")
	done
done

t_begin "build/haulgate is built"
if [ -x build/haulgate ]; then t_ok; else t_fail "" "no build/haulgate: run make first"; fi

t_begin "the CLI and the unit tests name no SDL library as NEEDED (readelf -d)"
bad=""
for p in "${programs[@]}"; do
	readelf -d "$p" | grep 'NEEDED' | grep -qE "$SDL_LIB" && bad="$bad $p"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "these link SDL:$bad"; fi

t_begin "the CLI and the unit tests load no SDL library, not even through another (ldd)"
bad=""
for p in "${programs[@]}"; do
	ldd "$p" | grep -qE "$SDL_LIB" && bad="$bad $p"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "these load SDL:$bad"; fi

t_begin "libhaulgate.a imports no SDL_, TTF_ or IMG_ symbol (nm -u)"
bad=""
for a in build/libhaulgate.a build/asan/libhaulgate.a; do
	[ -f "$a" ] || continue
	syms=$(nm -u "$a" 2>/dev/null | awk '{ print $NF }' | grep -E '^(SDL|TTF|IMG)_' | sort -u)
	[ -n "$syms" ] && bad="$bad $a: $(echo "$syms" | tr '\n' ' ')"
done
if [ -f build/libhaulgate.a ] && [ -z "$bad" ]; then
	t_ok
else
	t_fail "" "${bad:-no build/libhaulgate.a}"
fi

t_begin "no object outside kiosk/ included an SDL header (the .d files)"
bad=$(find build/obj build/asan/obj -name '*.d' -not -path '*/obj/kiosk/*' 2>/dev/null |
	xargs -r grep -lE '/SDL2?/|SDL[_A-Za-z]*\.h' 2>/dev/null)
n=$(find build/obj -name '*.d' -not -path '*/obj/kiosk/*' 2>/dev/null | wc -l)
if [ "$n" -ge 10 ] && [ -z "$bad" ]; then
	t_ok
else
	t_fail "" "$n .d files; these objects saw SDL headers: $(echo "$bad" | tr '\n' ' ')"
fi

# make's own plan (-n: print, run nothing; -B: as if everything were out of
# date), outside any make that runs this test; one run for both programs
plan=$(env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make --no-print-directory -n -B build/haulgate build/haulgate-kiosk 2>&1)

t_begin "no compile or link command of build/haulgate carries an SDL flag (make -n -B)"
cmds=$(printf '%s\n' "$plan" | grep -E ' -o build/(obj/|haulgate )' | grep -v ' -o build/obj/kiosk/')
n=$(printf '%s\n' "$cmds" | grep -c .)
hits=$(printf '%s\n' "$cmds" | grep -i 'sdl' | sed -E 's/.* -o ([^ ]+).*/\1/' | tr '\n' ' ')
if [ "$n" -ge 10 ] && [ -z "$hits" ]; then
	t_ok
else
	t_fail "" "$n commands; these are built with SDL flags: $hits"
fi

t_begin "the kiosk's objects are still compiled with SDL's flags (the check sees SDL)"
if printf '%s\n' "$plan" | grep -E -- '-o build/obj/kiosk/sdl_main\.o' | grep -q 'SDL2'; then
	t_ok
else
	t_fail "" "make -n -B compiles kiosk/sdl_main.c without SDL2's include path"
fi

t_end
