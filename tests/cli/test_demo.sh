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
t_end
