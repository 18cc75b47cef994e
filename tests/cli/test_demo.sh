#!/usr/bin/env bash
# test_demo.sh: what `make run` shows (scripts/demo.sh) works from a clean build
# folder and tells its story: two loads, a receipt with a signed QR, a chain
# that verifies; and the demo plant beside the station: the station's whole
# log reaches it, and the plant verifies it and cosigns its checkpoint.
. "$(dirname "$0")/lib.sh"

t_begin "scripts/demo.sh (make run) plays the demo offscreen, snaps every screen, the chain verifies"
export HG_DEMO_OFFSCREEN=1
# run as a person would, who then opens the pages: HG_DEMO_WAIT=1 keeps the
# plant up until a line comes on stdin (here a fifo this script holds open)
w=$(tmpdir)
mkfifo "$w/enter"
HG_DEMO_WAIT=1 "$HG_ROOT/scripts/demo.sh" <"$w/enter" >"$w/out" 2>"$w/err" &
demo=$!
exec 9>"$w/enter"
# bounded waits (2 minutes each; the demo takes seconds): a demo that hangs
# fails here with what it printed, not by the runner's timeout with nothing
for _ in $(seq 1 480); do
	grep -q "^Press Enter to stop the demo plant" "$w/out" && break
	kill -0 "$demo" 2>/dev/null || break
	sleep 0.25
done
# the pages at the address and with the sign-in the demo printed
url=$(sed -n "s|^The plant's pages: \(https://127.0.0.1:[0-9]*\)/ .*|\1|p" "$w/out" | tail -1)
pass=$(sed -n 's|^auditor, password \(.*\)\.$|\1|p' "$w/out" | tail -1)
c() { curl -sS --max-time 60 --insecure -c "$w/jar" -b "$w/jar" -w '\n%{http_code}' "$@"; }
signin_code="" stations=""
if [ -n "$url" ] && [ -n "$pass" ]; then
	c "$url/signin" >/dev/null
	token=$(awk '$6 == "__Host-hg_signin" { print $7 }' "$w/jar")
	signin_code=$(c --data-urlencode "csrf=$token" --data-urlencode "login=coordinator" \
		--data-urlencode "password=$pass" "$url/signin" | tail -1)
	stations=$(c "$url/stations")
fi
echo >&9
exec 9>&-
for _ in $(seq 1 480); do
	kill -0 "$demo" 2>/dev/null || break
	sleep 0.25
done
if kill -0 "$demo" 2>/dev/null; then
	echo "# the demo did not end within 2 minutes of Enter: stopped" >>"$w/err"
	pkill -TERM -P "$demo" 2>/dev/null
	kill "$demo" 2>/dev/null
fi
wait "$demo"
RC=$?
OUT=$(cat "$w/out")
ERR=$(cat "$w/err")
if [ "$RC" = 0 ] &&
   [ "$(ls "$HG_ROOT/build/demo/screens" | grep -c "\.png$")" -ge 12 ] &&
   printf '%s' "$OUT" | grep -q '^chain ok: ' &&
   printf '%s' "$OUT" | grep -q 'sample-hold' &&
   printf '%s' "$OUT" | grep -q '^QR: https://'; then
	t_ok
else
	t_fail "" "rc $RC $OUT$ERR"
fi
t_begin "make run prints the plant's pages and a demo sign-in that opens them, and keeps them up until Enter"
if [ "$signin_code" = 303 ] && [ "${stations##*$'\n'}" = 200 ] &&
   grep -q "Demo Water Reclamation Facility" <<<"$stations"; then
	t_ok
else
	t_fail "" "url '$url' password '$pass' sign-in $signin_code stations: $stations"
fi
t_begin "the demo's loads reach the demo plant: every event there, verified, cosigned"
events=$(sed -n 's/^chain ok: \([0-9]*\) events$/\1/p' <<<"$OUT" | head -1)
if [ -n "$events" ] &&
   grep -q "^the plant holds all $events events of this station" <<<"$OUT" &&
   grep -q '^checkpoints ok: ' <<<"$OUT" &&
   grep -q "^tables ok: " <<<"$OUT" &&
   grep -q '^— haulgate.potw/demo-plant ' <<<"$OUT" &&
   [ -s "$HG_ROOT/build/demo/pids" ]; then
	t_ok
else
	t_fail "" "events '$events' $OUT$ERR"
fi
t_begin "the demo's plant server and sync process end with it"
left=""
for pid in $(cat "$HG_ROOT/build/demo/pids" 2>/dev/null); do
	kill -0 "$pid" 2>/dev/null && left="$left $pid"
done
if [ -z "$left" ]; then t_ok; else t_fail "" "still running:$left"; kill $left; fi
t_begin "the demo station is open at any hour: a card on a Sunday night starts a session"
d=$(tmpdir)
printf 'clock 2026-11-22T23:30:00\nexpect screen start\ncard 04a1b2c3\nexpect screen pin\n' > "$d/night.scn"
if expect_exit 0 "$HG" --config "$HG_ROOT/build/demo/station.ini" simulate --script "$d/night.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi
t_end
