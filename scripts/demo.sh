#!/bin/sh
# demo.sh: what `make run` shows until the kiosk exists.  A fresh demo station
# in build/demo/ (demo roster, simulated relays and printer), a scripted load
# through the real core, then what it left: the loads, the receipt, the chain.
set -eu
cd "$(dirname "$0")/.."
hg=build/haulgate
d=build/demo
rm -rf "$d"
mkdir -p "$d"
cp assets/demo/station.ini "$d/station.ini"
$hg --config "$d/station.ini" init --demo
echo
echo "== the scenario assets/demo/demo.scn, one JSON line per action =="
$hg --config "$d/station.ini" simulate --script assets/demo/demo.scn
echo
echo "== haulgate loads =="
$hg --config "$d/station.ini" loads
echo
echo "== the receipt of load 1 ($d/var/receipts/) =="
cat "$d/var/receipts/load-000001-receipt.txt"
echo
echo "== haulgate verify =="
$hg --config "$d/station.ini" verify
echo
echo "Try it yourself: $hg --config $d/station.ini help"
