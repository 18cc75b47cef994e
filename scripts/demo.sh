#!/bin/sh
# demo.sh: what `make run` shows.  A fresh demo station in build/demo/ (demo
# roster, simulated relays, card reader and printer), then:
#  - with a display (DISPLAY or WAYLAND_DISPLAY set): the kiosk in a window;
#    keys F1-F4 present the demo cards (README.md), relay states are printed
#    and shown in the window title;
#  - without one (or HG_DEMO_OFFSCREEN=1): the kiosk offscreen plays the demo
#    script assets/demo/demo.kscn as a finger would, saves a picture of each
#    screen in build/demo/screens/, and shows what the loads left behind.
set -eu
cd "$(dirname "$0")/.."
hg=build/haulgate
kiosk=build/haulgate-kiosk
d=build/demo
# the demo's folder holds its database and keys: the station's user's only
rm -rf "$d"
mkdir -p build
mkdir -m 0700 "$d"
mkdir -p "$d/screens"
cp assets/demo/station.ini "$d/station.ini"
$hg --config "$d/station.ini" init --demo

if [ "${HG_DEMO_OFFSCREEN:-0}" != 1 ] && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
	echo
	echo "The kiosk opens in a window.  F1-F4 tap the demo cards above (F1: Dana Ruiz,"
	echo "PIN 1234; F4: operator Riley Park, PIN 987654).  Close the window to stop."
	exec $kiosk --config "$d/station.ini" --windowed 1280x800
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
echo "Try it yourself: $hg --config $d/station.ini help"
