#!/usr/bin/env bash
# test_kiosk_golden.sh: the kiosk's screens, pixel for pixel, in script mode.
#
# tests/kiosk/hauler_load.kscn runs at 1280x800 and at 800x480 (offscreen,
# software renderer, the script's fixed clock, so every frame is the same on
# every run), and each of its snaps is compared with its reference
# tests/kiosk/golden/script-<WxH>-<snap>.png (tests/kiosk/golden/golden.sh:
# 8-bit palette PNGs, -fuzz 5 %, at most 100 pixels different).  A snap that
# differs is saved with a diff image under build/test-logs/kiosk-golden/.  A
# reference no snap matches fails too.
#
# tests/kiosk/regular_load.kscn's truck screen with the "same as last time"
# offer (its snap truck_repeat) is compared the same way at both sizes.
# tests/kiosk/large_text.kscn (the start screen's large-text switch, the
# screens with the most text in English and Spanish) runs at 1280x800 and
# 1920x1080, its snaps checked the same way (script-<WxH>-large-<lang>-<screen>).
#
# The screenshots of docs/screenshots/ (shown in README.md) are made the same
# way, from hauler_load, refused_es, rv_visit and regular_load at 1280x800,
# hauler_load and rv_visit at 800x480, hauler_load in portrait at 800x1280,
# large_text at 1280x800 and 1920x1080, and are checked the same way, so
# they show the screens as they are.
#
# HG_UPDATE_GOLDEN=1 bash tests/cli/test_kiosk_golden.sh writes the
# references and the docs screenshots instead of comparing (after a
# deliberate change of the screens: look at every one before committing).
# HG_UPDATE_GOLDEN=1 bash tests/cli/test_kiosk_e2e.sh does that too, after
# its own references.
. "$(dirname "$0")/lib.sh"
. "$HG_ROOT/tests/kiosk/golden/golden.sh"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
KS="$HG_ROOT/tests/kiosk"
DOCS="$HG_ROOT/docs/screenshots"
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
unset HAULGATE_FONT_DIR

missing=""
for c in convert compare identify; do
	command -v "$c" >/dev/null || missing="$missing $c"
done
[ -x "$KIOSK" ] || missing="$missing $KIOSK"
if [ -n "$missing" ]; then
	t_fail "kiosk golden images" "missing:$missing (make deps-test; make build/haulgate-kiosk)"
	t_end
	exit 1
fi

# a demo station (as in test_kiosk_script.sh), copied for each run
TEMPLATE=$(tmpdir)
cp "$HG_ROOT/tests/scenarios/station.ini" "$TEMPLATE/station.ini"
printf 'nfc = sim:var/nfc\n' >> "$TEMPLATE/station.ini"
"$HG" --config "$TEMPLATE/station.ini" init --demo >/dev/null 2>&1 ||
	t_fail "a demo station" "init --demo failed"

# render NAME SCRIPT WxH: run SCRIPT on a fresh station in a window of WxH,
# in the background; its snaps go to $runs/NAME/snaps, its status to
# $runs/NAME/rc
runs=$(tmpdir)
render() {
	local d="$runs/$1"
	mkdir -p "$d"
	cp -R "$TEMPLATE/." "$d/"
	(
		"$KIOSK" --config "$d/station.ini" --windowed "$3" --script "$KS/$2.kscn" \
			--snap-dir "$d/snaps" >"$d/out" 2>"$d/err" </dev/null
		echo $? > "$d/rc"
	) &
}
render load-1280x800 hauler_load 1280x800
render load-800x480 hauler_load 800x480
render load-800x1280 hauler_load 800x1280
render refused-1280x800 refused_es 1280x800
render rv-1280x800 rv_visit 1280x800
render regular-1280x800 regular_load 1280x800
render regular-800x480 regular_load 800x480
render large-1280x800 large_text 1280x800
render large-1920x1080 large_text 1920x1080
render rv-800x480 rv_visit 800x480
wait

for r in "$runs"/*/; do
	r=${r%/}
	t_begin "kiosk script $(basename "$r") ran"
	if [ "$(cat "$r/rc" 2>/dev/null)" = 0 ]; then t_ok; else t_fail "" "$(tail -5 "$r/err")"; fi
done

# check NAME SNAP: SNAP (a script's PNG) against the reference NAME
check() {
	local png="$runs/$1.png"
	if [ ! -f "$2" ]; then
		t_fail "$1" "the script made no $(basename "$2")"
	elif ! golden_png "$2" "$png"; then
		t_fail "$1" "cannot convert $2"
	elif golden_check "$1" "$png"; then
		if [ -n "${HG_UPDATE_GOLDEN:-}" ]; then
			t_ok "$1: $GOLDEN_MSG"
		else
			t_ok "$1 looks like its reference"
		fi
	else
		t_fail "$1 looks like its reference" "$GOLDEN_MSG"
	fi
}

# ---- every snap of hauler_load.kscn and of large_text.kscn, at two sizes each ----
seen=" "
for run in load-1280x800 load-800x480 large-1280x800 large-1920x1080; do
	size=${run#*-}
	for snap in "$runs/$run/snaps"/*.png; do
		[ -e "$snap" ] || continue
		name="script-$size-$(basename "$snap" .png)"
		seen="$seen$name.png "
		check "$name" "$snap"
	done
done

# ---- the truck screen offering "same as last time" (regular_load.kscn) ----
for size in 1280x800 800x480; do
	name="script-$size-truck_repeat"
	seen="$seen$name.png "
	check "$name" "$runs/regular-$size/snaps/truck_repeat.png"
done

t_begin "every script-mode reference has its snap"
extra=""
for f in "$GOLDEN_DIR"/script-*.png; do
	[ -e "$f" ] || continue
	case $seen in *" $(basename "$f") "*) ;; *) extra="$extra $(basename "$f")" ;; esac
done
if [ -z "$extra" ]; then
	t_ok
elif [ -n "${HG_UPDATE_GOLDEN:-}" ]; then
	# shellcheck disable=SC2086	# names without spaces
	(cd "$GOLDEN_DIR" && rm -f $extra)
	t_ok "every script-mode reference has its snap (removed:$extra)"
else
	t_fail "" "references with no snap:$extra"
fi

# ---- the screenshots in docs/ ----
GOLDEN_DIR=$DOCS
for s in start pin waste sources source_edit source_town review sample_hold discharging "done"; do
	check "$s" "$runs/load-1280x800/snaps/$s.png"
done
check refused_es "$runs/refused-1280x800/snaps/refused_es.png"
check start_es "$runs/refused-1280x800/snaps/start_es.png"
check waste_es "$runs/refused-1280x800/snaps/waste_es.png"
check rv_rules_es "$runs/refused-1280x800/snaps/rv_rules_es.png"
check truck_repeat "$runs/regular-1280x800/snaps/truck_repeat.png"
check source_industry "$runs/load-1280x800/snaps/source_industry.png"
check source_industry_es "$runs/refused-1280x800/snaps/source_industry_es.png"
check rv_signin "$runs/rv-1280x800/snaps/rv_signin.png"
check rv_rules "$runs/rv-1280x800/snaps/rv_rules.png"
check rv_rules-800x480 "$runs/rv-800x480/snaps/rv_rules.png"
check source_edit-800x480 "$runs/load-800x480/snaps/source_edit.png"
check review-800x1280 "$runs/load-800x1280/snaps/review.png"
check large_text-start "$runs/large-1280x800/snaps/large-en-start.png"
check large_text-review_es-1920x1080 "$runs/large-1920x1080/snaps/large-es-review.png"

t_end
