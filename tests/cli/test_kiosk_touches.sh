#!/usr/bin/env bash
# test_kiosk_touches.sh: a regular's ordinary load in at most 16 touches
# (issue 13), counted on the real kiosk.
#
# tests/kiosk/regular_load.kscn plays a hauler's first load, then her second
# with "same as last time", offscreen, with HAULGATE_KIOSK_STATS: the kiosk
# writes a line per card read (`input card`) and per press (`input down`:
# each tap of a button or a key, the keyboard's own page keys included) and
# one per frame (`frame <screen>`).  The touches of a load are those from its
# card to the first frame of `discharging` (the valve open), the card and the
# start press included; the last load of the script is the one counted.
# The same load on a 7-inch 800x480 panel (its four-row keyboard) takes as
# many touches, and so does typing a whole first load (hauler_load.kscn).
# Then the same for a hauler without an earlier load: the button is not on
# the truck screen (the layout file of HAULGATE_KIOSK_LAYOUT).
. "$(dirname "$0")/lib.sh"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
GOAL=16
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
unset HAULGATE_FONT_DIR

# touches STATS: the touches of the last load in a kiosk's stats file
touches() {
	awk '/^input card/ { n = 1; on = 1; next }
	     on && /^input down/ { n++ }
	     on && /^frame discharging / { last = n; on = 0 }
	     END { print last + 0 }' "$1"
}

station() {
	cp "$HG_ROOT/tests/scenarios/station.ini" "$1/station.ini"
	printf 'nfc = sim:var/nfc\n' >> "$1/station.ini"
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
}

# play DIR SIZE SCRIPT: SCRIPT on a fresh station in DIR, a window of SIZE,
# timings in DIR/stats (expect_exit: RC, ERR)
play() {
	station "$1"
	expect_exit 0 env HAULGATE_KIOSK_STATS="$1/stats" "$KIOSK" --config "$1/station.ini" \
		--windowed "$2" --script "$3" --snap-dir "$1/snaps"
}

t_begin "a regular's load (4-digit PIN, 4-digit gallons, same as last time): at most $GOAL touches from the card to the valve"
d=$(tmpdir)
if play "$d" 1280x800 "$HG_ROOT/tests/kiosk/regular_load.kscn"; then
	n=$(touches "$d/stats")
	echo "# touches: $n (goal: at most $GOAL)"
	if [ "$n" -ge 10 ] && [ "$n" -le "$GOAL" ]; then t_ok; else t_fail "" "$n touches"; fi
else
	t_fail "" "$ERR"
fi

t_begin "on a 7-inch 800x480 panel (its four-row keyboard, 9 mm keys) the regular's load takes the same touches"
d7=$(tmpdir)
if play "$d7" 800x480 "$HG_ROOT/tests/kiosk/regular_load.kscn"; then
	n7=$(touches "$d7/stats")
	echo "# touches at 800x480: $n7 (at 1280x800: $n)"
	if [ "$n7" = "$n" ]; then t_ok; else t_fail "" "$n7 touches at 800x480, $n at 1280x800"; fi
else
	t_fail "" "$ERR"
fi

t_begin "typing a whole first load (names, addresses, digits) takes as many touches at 800x480 as at 1280x800"
# typed SIZE: every press of tests/kiosk/hauler_load.kscn at SIZE ("" when it failed)
typed() {
	local dt
	dt=$(tmpdir)
	play "$dt" "$1" "$HG_ROOT/tests/kiosk/hauler_load.kscn" && grep -c '^input down' "$dt/stats"
}
big=$(typed 1280x800)
small=$(typed 800x480)
echo "# touches of tests/kiosk/hauler_load.kscn: $big at 1280x800, $small at 800x480"
if [ -n "$big" ] && [ "$big" -gt 20 ] && [ "$big" = "$small" ]; then t_ok; else t_fail "" "'$big' / '$small'"; fi

t_begin "the count is of the load: the repeated load is accepted with fresh gallons and signed by the holder"
row=$(sqlite3 -separator '|' "$d/haulgate.db" "SELECT gallons, rcra, signer, verdict FROM loads WHERE load_no = 2")
if [ "$row" = "1800|no|Dana Ruiz|accepted" ]; then t_ok; else t_fail "" "$row"; fi

t_begin "a hauler with no earlier load has no repeat_last on the truck screen; one with one has"
d2=$(tmpdir)
station "$d2"
cat > "$d2/first.kscn" <<'KSCN'
clock 2026-11-23T08:00:00
card 04b2c3d4e5f601
type 2468
press ok
expect screen truck
KSCN
if expect_exit 0 env HAULGATE_KIOSK_LAYOUT="$d2/layout" "$KIOSK" --config "$d2/station.ini" \
	--windowed 1280x800 --script "$d2/first.kscn" &&
   grep -q '^screen truck ' "$d2/layout" && grep -q '^button truck_1 ' "$d2/layout" &&
   ! grep -q '^button repeat_last ' "$d2/layout"; then
	sed 's/04b2c3d4e5f601/04a1b2c3/; s/2468/1234/' "$d2/first.kscn" > "$d/second.kscn"
	if expect_exit 0 env HAULGATE_KIOSK_LAYOUT="$d/layout" "$KIOSK" --config "$d/station.ini" \
		--windowed 1280x800 --script "$d/second.kscn" && grep -q '^button repeat_last ' "$d/layout"; then
		t_ok
	else
		t_fail "" "$(cat "$d/layout") $ERR"
	fi
else
	t_fail "" "$(cat "$d2/layout" 2>/dev/null) $ERR"
fi
t_end
