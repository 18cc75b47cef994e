#!/usr/bin/env bash
# test_interrupt.sh: what a station killed in the middle of a load leaves open
# is closed in the record at its next start (issue 9, points 2 and 4).
#
#   1. kill -9 with the valve open (a simulated meter counting): the next
#      start logs discharge_interrupted, the load gets its end ("interrupted",
#      at the last event before the kill) and the gallons the meter counted
#      since the valve opened, its receipt is kept (`hw reprint --kept` prints
#      it), the chain verifies, and a second start closes nothing again.
#   2. kill -9 with a load at its sample hold: the next start logs
#      sample_abandoned (why "restart") and offers the load to the operator,
#      who takes the sample without a new form; the truck then discharges.
#   3. the same, but the hauler taps the card again and fills in a new form:
#      that load is held (sample_pending) and the operator is no longer
#      offered the old one.
# The restarts are the kiosk itself (offscreen, scripted): its operator screen
# must show the button that takes the waiting sample.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
SCN="$HG_ROOT/tests/scenarios"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

# kiosk DIR SCRIPT: the kiosk on the station in DIR runs SCRIPT and exits
kiosk() {
	expect_exit 0 "$KIOSK" --config "$1/station.ini" --windowed 1280x800 --script "$2" \
		--snap-dir "$1/snaps"
}

# The restarts run on the wall clock (a start has no scenario clock before
# it), so the station is open all week: the test passes at any hour.
ALWAYS_OPEN=('[hours]' sun=00:00-24:00 mon=00:00-24:00 tue=00:00-24:00 wed=00:00-24:00
	thu=00:00-24:00 fri=00:00-24:00 sat=00:00-24:00)

# a scenario's lines up to (and with) the first line matching RE
upto() { sed -n "1,/$2/p" "$1"; }

sql() { sqlite3 "$d/haulgate.db" "$1"; }

# eq GOT WANT: the test begun is ok when GOT is WANT
eq() { if [ "$1" = "$2" ]; then t_ok; else t_fail "" "got '$1', want '$2'"; fi; }

# ---- 1. the valve open ----
d=$(tmpdir)
station_make "$d" meter=sim:var/meter nfc=sim:var/nfc "${ALWAYS_OPEN[@]}"
mkdir -p "$d/var"
echo 1000 >"$d/var/meter"
sim_start "$d"
upto "$SCN/hauler_first_load.scn" '^expect relay valve open' >&3
sim_until_events "$d" meter_baseline 1 100
echo 'wait 2m' >&3
sim_until_events "$d" discharge_started 1 20
echo 1420 >"$d/var/meter.tmp" && mv "$d/var/meter.tmp" "$d/var/meter"
sleep 0.2
sim_kill9
last_alive=$(sql "SELECT ts FROM events ORDER BY seq DESC LIMIT 1")

t_begin "killed with the valve open: the load has a start and no end"
eq "$(sql "SELECT load_no, t_discharge_start IS NOT NULL, t_discharge_end IS NULL FROM loads")" "1|1|1"

cat >"$d/restart.kscn" <<'SCN'
expect screen start
expect relay valve closed
card 0a0b0c01
type 987654
press ok
expect screen operator
snap operator.png
press exit
expect screen start
SCN
t_begin "the next start (the kiosk) closes it: discharge_interrupted"
if kiosk "$d" "$d/restart.kscn" && [ -s "$d/snaps/operator.png" ] &&
   [ "$(events "$d" discharge_interrupted | wc -l)" = 1 ]; then
	t_ok
else
	t_fail "" "$ERR $(events "$d" discharge_interrupted)"
fi

t_begin "the event holds every value it sets, the last moment alive and the meter's counts"
eq "$(events "$d" discharge_interrupted | python3 -c '
import json, sys
n, d = sys.stdin.read().split("\t", 1)
j = json.loads(d)
print(n, j["t_discharge_end"] == j["last_alive"], j["discharge_end_why"], j["gallons_measured"],
      repr(j["meter_flag"]), j["baseline"], j["totaliser"])')" "1 True interrupted 420 '' 1000 1420"

t_begin "the load is closed: ended at the last event before the kill, 420 gallons measured"
eq "$(sql "SELECT t_discharge_end, discharge_end_why, gallons_measured FROM loads WHERE load_no = 1")" \
	"$last_alive|interrupted|420"

t_begin "its receipt is kept: hw reprint --kept prints it, saying the discharge was interrupted"
if expect_exit 0 "$HG" --config "$d/station.ini" hw reprint --kept &&
   printf '%s' "$OUT" | grep -q 'load 1\b' &&
   [ "$(events "$d" printed | grep -c '"kind":"receipt"')" -ge 1 ] &&
   grep -q '^Discharge: interrupted' "$d"/var/receipts/load-000001-receipt*.txt &&
   grep -q '^Gallons measured: 420$' "$d"/var/receipts/load-000001-receipt*.txt; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "once reprinted, nothing is kept"
if expect_exit 0 "$HG" --config "$d/station.ini" hw reprint --kept &&
   printf '%s' "$OUT" | grep -q 'no kept slips'; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the chain verifies"
if expect_exit 0 "$HG" --config "$d/station.ini" verify; then t_ok; else t_fail "" "$OUT $ERR"; fi

printf 'expect screen start\nexpect relay valve closed\n' >"$d/restart.scn"
t_begin "a second start closes nothing again"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/restart.scn" &&
   [ "$(events "$d" discharge_interrupted | wc -l)" = 1 ]; then t_ok; else t_fail "" "$ERR"; fi

# ---- 2. a load at its sample hold ----
d=$(tmpdir)
station_make "$d" nfc=sim:var/nfc "${ALWAYS_OPEN[@]}"
sim_start "$d"
upto "$SCN/hauler_first_load.scn" '^expect screen sample_hold' >&3
sim_until_events "$d" decision 1 100
sleep 0.2
sim_kill9

cat >"$d/restart.kscn" <<'SCN'
expect screen start
card 0a0b0c01
type 987654
press ok
expect screen operator
press sample_waiting
expect screen sample
type B-0042
press ok
expect printed label
expect screen discharge_ready
expect relay gate unlocked
press start
expect relay valve open
press stop
expect printed receipt
SCN
t_begin "held when killed: the next start abandons the hold (restart); the operator's screen offers it"
if kiosk "$d" "$d/restart.kscn" &&
   events "$d" sample_abandoned | grep -q '^1	.*"why":"restart"'; then
	t_ok
else
	t_fail "" "$ERR $OUT"
fi

t_begin "the load has its bottle and its discharge, without a new form"
eq "$(sql "SELECT count(*), max(bottle), max(discharge_end_why) FROM loads")" "1|B-0042|stop"

t_begin "the chain verifies"
if expect_exit 0 "$HG" --config "$d/station.ini" verify; then t_ok; else t_fail "" "$OUT $ERR"; fi

# ---- 3. the hauler comes back with a new form instead ----
d=$(tmpdir)
station_make "$d" nfc=sim:var/nfc "${ALWAYS_OPEN[@]}"
sim_start "$d"
upto "$SCN/hauler_first_load.scn" '^expect screen sample_hold' >&3
sim_until_events "$d" decision 1 100
sleep 0.2
sim_kill9

cat >"$d/again.kscn" <<'SCN'
expect screen start
card 04a1b2c3
type 1234
press ok
press truck_1
press waste_septage
press known_1
press next
type 2500
press next
field characteristics "Residential septage, normal odour"
press next
press rcra_no
press next
field signer "Dana Ruiz"
press certify
expect decision sample-hold sample_pending
expect screen sample_hold
card 0a0b0c01
type 987654
press ok
type B-0043
press ok
expect printed label
expect screen discharge_ready
press start
press stop
press ok
card 0a0b0c01
type 987654
press ok
expect screen operator
snap operator.png
press sample_waiting
SCN
t_begin "the hauler fills in a new form: held (sample_pending), sampled; the old load is no longer offered"
if WANT=1 && expect_exit 1 "$KIOSK" --config "$d/station.ini" --windowed 1280x800 \
	--script "$d/again.kscn" --snap-dir "$d/snaps" &&
   printf '%s' "$ERR" | grep -q "no button 'sample_waiting'" && [ -s "$d/snaps/operator.png" ]; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "the first load stays abandoned (restart), the second has the bottle"
eq "$(sql "SELECT group_concat(load_no || ':' || bottle || ':' || discharge_end_why, ' ') FROM loads")" \
	"1::sample_abandoned 2:B-0043:stop"

t_end
