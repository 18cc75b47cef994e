#!/bin/sh
# demo.sh: what `make run` shows.  A fresh demo station in build/demo/ (demo
# roster, simulated relays, card reader and printer) and, beside it, a demo
# plant server in build/demo/plant/ (haulgate-potw on a free port of
# 127.0.0.1, the station registered with it, its key pinned in the station's
# [sync]), with the station's sync process sending it the log; then:
#  - with a display (DISPLAY or WAYLAND_DISPLAY set): the kiosk in a window;
#    keys F1-F4 present the demo cards (README.md), relay states are printed
#    and shown in the window title;
#  - without one (or HG_DEMO_OFFSCREEN=1): the kiosk offscreen plays the demo
#    script assets/demo/demo.kscn as a finger would, saves a picture of each
#    screen in build/demo/screens/, and shows what the loads left behind.
# The plant's pages are on the same address, with two demo accounts (printed).
# At the end, when stdin is a terminal (or HG_DEMO_WAIT=1; HG_DEMO_WAIT=0
# never), the plant stays up for the browser until Enter is pressed.
set -eu
cd "$(dirname "$0")/.."
hg=build/haulgate
kiosk=build/haulgate-kiosk
potw=build/haulgate-potw
d=build/demo
p=build/demo/plant
# the demo's folder holds its database and keys: the station's user's only
rm -rf "$d"
mkdir -p build
mkdir -m 0700 "$d"
mkdir -p "$d/screens"
cp assets/demo/station.ini "$d/station.ini"
$hg --config "$d/station.ini" init --demo

# the plant: its server, the station registered with it, and the station's
# [sync] pointing at it; both stop when this script does
mkdir -m 0700 "$p"
cp assets/demo/potw.ini "$p/potw.ini"
$potw --config "$p/potw.ini" init > "$p/init.log"
$hg --config "$d/station.ini" keys --public-pem > "$p/demo-01.pem"
$potw --config "$p/potw.ini" station add --id demo-01 --name "Demo Water Reclamation Facility" \
	--key-pem "$p/demo-01.pem" > /dev/null
# the pages' demo accounts (docs/WEB.md): the password is one line on stdin
demo_password="demo-password"
for role in coordinator auditor; do
	echo "$demo_password" | $potw --config "$p/potw.ini" user add --login "$role" --role "$role" > /dev/null
done
pids=""
stop() { [ -z "$pids" ] || kill $pids 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 130' INT TERM
$potw --config "$p/potw.ini" serve > "$p/serve.log" 2>&1 &
pids="$pids $!"
port=""
for _ in $(seq 100); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$p/serve.log")
	[ -n "$port" ] && break
	sleep 0.05
done
[ -n "$port" ] || { cat "$p/serve.log" >&2; echo "demo: the plant's server did not start" >&2; exit 1; }
{
	echo
	echo "[sync]"
	echo "url = https://127.0.0.1:$port"
	echo "pin = $($potw --config "$p/potw.ini" key)"
	echo "plant_key = $($potw --config "$p/potw.ini" key --note-verifier)"
	echo "interval = 5s"
} >> "$d/station.ini"
echo "the demo plant listens on https://127.0.0.1:$port ($p/); the station sends it its log"
pages() {
	echo "The plant's pages: https://127.0.0.1:$port/ (the demo plant's own self-signed"
	echo "certificate: the browser asks to accept it).  Sign in as coordinator, or as"
	echo "auditor, password $demo_password."
}
pages
# wait_for_enter: the plant kept up for the browser while someone looks
wait_for_enter() {
	case "${HG_DEMO_WAIT:-}" in
	1) ;;
	0) return 0 ;;
	*) [ -t 0 ] || return 0 ;;
	esac
	echo
	pages
	echo "Press Enter to stop the demo plant."
	read -r _ || true
}
$hg --config "$d/station.ini" sync run > "$d/sync.log" 2>&1 &
pids="$pids $!"
echo "$pids" > "$d/pids"	# what the demo started: ended with it (tests/cli/test_demo.sh)

if [ "${HG_DEMO_OFFSCREEN:-0}" != 1 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
	echo
	echo "The kiosk opens in a window.  F1-F4 tap the demo cards above (F1: Dana Ruiz,"
	echo "PIN 1234; F4: operator Riley Park, PIN 987654).  Close the window to stop."
	$kiosk --config "$d/station.ini" --windowed 1280x800 || true
	$hg --config "$d/station.ini" sync now || true
	echo
	echo "== what the plant holds (haulgate-potw station list) =="
	$potw --config "$p/potw.ini" station list
	wait_for_enter
	exit 0
fi

echo
echo "== no display: the kiosk plays assets/demo/demo.kscn offscreen =="
SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software \
	$kiosk --config "$d/station.ini" --windowed 1280x800 --script assets/demo/demo.kscn \
	--snap-dir "$d/screens" > "$d/actions.log"
echo "screenshots of every main screen: $d/screens/"
ls "$d/screens"
echo
echo "== haulgate loads =="
$hg --config "$d/station.ini" loads
echo
echo "== haulgate rv-visits =="
$hg --config "$d/station.ini" rv-visits
echo
echo "== the receipt of load 1 ($d/var/receipts/) =="
cat "$d/var/receipts/load-000001-receipt.txt"
echo
echo "== haulgate verify =="
$hg --config "$d/station.ini" verify
echo
echo "== the plant: the station's log sent (haulgate sync now) =="
$hg --config "$d/station.ini" sync now
$hg --config "$d/station.ini" sync status
echo
echo "== what the plant holds (haulgate-potw station list) =="
$potw --config "$p/potw.ini" station list
echo
echo "== the plant checks the station's log: haulgate-potw verify --station demo-01 =="
$potw --config "$p/potw.ini" verify --station demo-01
echo
echo "== the latest checkpoint, signed by the station and cosigned by the plant =="
$potw --config "$p/potw.ini" checkpoint --station demo-01
echo
echo "Try it yourself: $hg --config $d/station.ini help"
echo "            and: $potw --config $p/potw.ini help"
wait_for_enter
