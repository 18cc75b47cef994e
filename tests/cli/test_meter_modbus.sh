#!/usr/bin/env bash
# test_meter_modbus.sh: measured gallons from a flow meter over Modbus TCP
# (drivers/meter_modbus.c), against the test peer build/peers/modbus_relay
# started with --meter: the same libmodbus server drives the relays (coils)
# and plays a magnetic flow meter whose totaliser (tenths of a gallon, holding
# registers 100-101) rises at a set rate while the valve's coil is on.
#
#   1. two whole loads, relays AND meter on the peer, the valve held open for
#      a few real seconds each: the gallons recorded are what the peer counted
#      while its valve coil was on (from the peer's own log), within the
#      tolerance below; the first (declared close to that) is not flagged, the
#      second (declared far above it) is flagged meter_mismatch;
#   2. a meter that does not answer (nothing listens on its port): the station
#      still runs, logs meter_failed, and the load is flagged meter_failed.
#
# Tolerance: the station takes its baseline after the valve's coil write and
# the commit of the discharge start (an fsync), and its last reading just
# before the closing coil write; flow in those moments is on the peer's count
# and not on the station's.  At RATE gallons a second, each 100 ms between
# is RATE/10 gallons: 300 ms are allowed for both ends together, plus 0.5 for
# the rounding to whole gallons.  A scenario is fed through a FIFO so that
# the valve stays open for real seconds (`wait` moves only the script clock).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
PEER="$MODBUS_PEER"
RATE_TENTHS=100		# tenths of a gallon a second: 10 gal/s
REG=100

# peer_start LOG: the peer on a free port (PORT) with a meter on coil 1
peer_start() {
	modbus_start "$1" 8 1000 --meter "$REG:$RATE_TENTHS:1"
}

# station DIR METER_SPEC: a demo station whose relays are the peer's coils
station() {
	station_make "$1" relay="modbus-tcp:127.0.0.1:$PORT" meter="$2" '[relays]' gate=0 valve=1 \
		'[meter]' mismatch=25% mismatch_min_gallons=5
}

# load GALLONS [first]: a load of the demo hauler up to the discharge_ready
# screen (the first load of a hauler is held for a sample: an operator takes it)
load() {
	printf '%s\n' "card 04a1b2c3" "type 1234" "press ok" "press truck_1" "press waste_septage" \
		"press new_source" 'field source_name "Miller residence"' \
		'field source_address "12 Oak St, Springfield"' \
		"press save" "press industry_1" "press town_1" "press next" "type $1" "press next" 'field characteristics "Septage"' \
		"press next" "press rcra_no" "press next" 'field signer "Dana Ruiz"' "press certify"
	if [ "${2:-}" = first ]; then
		printf '%s\n' "card 0a0b0c01" "type 987654" "press ok" "type B-1" "press ok"
	fi
	printf '%s\n' "expect screen discharge_ready"
}

# counted LOG N: gallons the peer counted during the Nth time coil 1 was on,
# from the times of its "coil 1 on/off" lines (ms) and the rate
counted() {
	python3 - "$1" "$2" "$RATE_TENTHS" <<'PY'
import sys, datetime
log, n, rate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
def t(line):
    return datetime.datetime.strptime(line.split()[0], "%Y-%m-%dT%H:%M:%S.%fZ").timestamp()
ons = [t(l) for l in open(log) if l.rstrip().endswith(" coil 1 on")]
offs = [t(l) for l in open(log) if l.rstrip().endswith(" coil 1 off")]
print("%.2f" % ((offs[n - 1] - ons[n - 1]) * rate / 10.0))
PY
}

# measured DIR N: the load's measured gallons and meter flag, "1234 meter_mismatch"
# (the CSV's lines end in CR LF)
measured() {
	"$HG" --config "$1/station.ini" loads --csv | tr -d '\r' |
		awk -F, -v n="$2" '$1 == n { print $13, $15 }'
}

peers_need "$PEER" python3

# ---- 1. two loads, relays and meter on the peer ----
d=$(tmpdir)
t_begin "the peer (relays and meter) listens on a free loopback port"
if peer_start "$d/peer.log"; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi
station "$d" "modbus-tcp:127.0.0.1:$PORT,register=$REG,scale=0.1"
sim_start "$d"
{ echo "clock 2026-11-23T08:00:00"; load 30 first; echo "press start"; } >&3
sleep 3
printf '%s\n' "press stop" "expect screen done" "expect meter ok" "press ok" "wait 1h" >&3
{ load 300; echo "press start"; } >&3
sleep 2
printf '%s\n' "press stop" "expect meter meter_mismatch" "expect relay valve closed" >&3
sim_end
rc=$SIM_RC

t_begin "two loads through with relays and meter on Modbus; the expects held"
if [ "$rc" = 0 ]; then t_ok; else t_fail "" "exit $rc: $(cat "$d/err")"; fi

tol=$(awk -v r="$RATE_TENTHS" 'BEGIN { printf "%.2f", r / 10 * 0.3 + 0.5 }')
for n in 1 2; do
	peer=$(counted "$d/peer.log" "$n" 2>&1)
	set -- $(measured "$d" "$n")
	t_begin "load $n: measured ${1:-?} gal, the peer counted $peer gal with the valve open (tolerance $tol)"
	if [ -n "${1:-}" ] && awk -v m="$1" -v p="$peer" -v t="$tol" \
		'BEGIN { d = m - p; if (d < 0) d = -d; exit !(d <= t && m > 0) }'; then
		t_ok
	else
		t_fail "" "$(cat "$d/peer.log")"
	fi
	if [ "$n" = 1 ]; then
		t_check "load 1 (30 declared) is not flagged" [ -z "${2:-}" ]
	else
		t_check "load 2 (300 declared) is flagged meter_mismatch" [ "${2:-}" = meter_mismatch ]
	fi
done

t_begin "the mismatch is logged with declared, measured and share; the chain verifies"
if "$HG" --config "$d/station.ini" events --csv | grep -q 'meter_mismatch.*declared.*300.*measured.*share' &&
   expect_exit 0 "$HG" --config "$d/station.ini" verify; then
	t_ok
else
	t_fail "" "$("$HG" --config "$d/station.ini" events --csv | tail -5)"
fi

t_begin "the receipt of load 2 says measured and flagged"
r="$d/var/receipts/load-000002-receipt.txt"
if grep -q '^Gallons measured: ' "$r" && grep -q '(meter_mismatch)' "$r"; then t_ok; else t_fail "" "$(cat "$r")"; fi
peer_stop

# ---- 2. a meter that does not answer ----
d=$(tmpdir)
peer_start "$d/peer.log"
# a port nobody listens on: take one and let it go
dead=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
station "$d" "modbus-tcp:127.0.0.1:$dead,register=$REG,scale=0.1"
{ echo "clock 2026-11-23T08:00:00"; load 30 first; printf '%s\n' "press start" "wait 30s" "press stop" \
	"expect screen done" "expect relay valve closed" "expect meter meter_failed"; } >"$d/dead.scn"

t_begin "dead meter: the station runs and the load goes through (the valve works)"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/dead.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "dead meter: meter_failed logged at start and at the discharge end; the load is flagged"
set -- $(measured "$d" 1)
if [ "${2:-}" = meter_failed ] &&
   [ "$("$HG" --config "$d/station.ini" events --csv | grep -c ',meter_failed,')" -ge 2 ]; then
	t_ok
else
	t_fail "" "$* / $("$HG" --config "$d/station.ini" events --csv | grep meter)"
fi
peer_stop

t_end
