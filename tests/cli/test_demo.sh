#!/usr/bin/env bash
# test_demo.sh: what `make run` shows (scripts/demo.sh) works from a clean build
# folder and tells its story: two loads, a receipt with a signed QR, a chain
# that verifies.
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
t_begin "the demo station is open at any hour: a card on a Sunday night starts a session"
d=$(tmpdir)
printf 'clock 2026-11-22T23:30:00\nexpect screen start\ncard 04a1b2c3\nexpect screen pin\n' > "$d/night.scn"
if expect_exit 0 "$HG" --config "$HG_ROOT/build/demo/station.ini" simulate --script "$d/night.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi
t_end
