#!/usr/bin/env bash
# test_demo.sh: what `make run` shows (scripts/demo.sh) works from a clean build
# folder and tells its story: two loads, a receipt with a signed QR, a chain
# that verifies; and the demo plant beside the station: the station's whole
# log reaches it, and the plant verifies it and cosigns its checkpoint.
. "$(dirname "$0")/lib.sh"

t_begin "scripts/demo.sh (make run) plays the demo offscreen, snaps every screen, the chain verifies"
export HG_DEMO_OFFSCREEN=1
if expect_exit 0 "$HG_ROOT/scripts/demo.sh" &&
   [ "$(ls "$HG_ROOT/build/demo/screens" | grep -c "\.png$")" -ge 12 ] &&
   printf '%s' "$OUT" | grep -q '^chain ok: ' &&
   printf '%s' "$OUT" | grep -q 'sample-hold' &&
   printf '%s' "$OUT" | grep -q '^QR: https://'; then
	t_ok
else
	t_fail "" "$OUT$ERR"
fi
t_begin "the demo's loads reach the demo plant: every event there, verified, cosigned"
events=$(sed -n 's/^chain ok: \([0-9]*\) events$/\1/p' <<<"$OUT" | head -1)
if [ -n "$events" ] &&
   grep -q "^the plant holds all $events events of this station" <<<"$OUT" &&
   grep -q '^checkpoints ok: ' <<<"$OUT" &&
   grep -q "^tables ok: " <<<"$OUT" &&
   grep -q '^— haulgate.potw/demo-plant ' <<<"$OUT" &&
   ! pgrep -f "build/demo/plant/potw.ini serve" >/dev/null &&
   ! pgrep -f "build/demo/station.ini sync run" >/dev/null; then
	t_ok
else
	t_fail "" "events '$events' $OUT$ERR"
fi
t_begin "the demo station is open at any hour: a card on a Sunday night starts a session"
d=$(tmpdir)
printf 'clock 2026-11-22T23:30:00\nexpect screen start\ncard 04a1b2c3\nexpect screen pin\n' > "$d/night.scn"
if expect_exit 0 "$HG" --config "$HG_ROOT/build/demo/station.ini" simulate --script "$d/night.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi
t_end
