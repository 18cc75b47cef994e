#!/usr/bin/env bash
# test_hw.sh: `haulgate hw ...` on the simulated devices (the real backends'
# own tests run these commands against their peers): check prints one line
# per device and fails when one fails; read-card prints the UID, its type
# and its holder; relay switches with read-back and never leaves a relay on;
# meter reads the totaliser; print-test prints a page with a QR; reprint prints a load's receipt
# marked COPY, and --kept every slip the printer could not print; every command refuses while another
# program holds the station's devices (the kiosk, run offscreen), and works
# again once it is gone, kill -9 included.
. "$(dirname "$0")/lib.sh"

D=$(tmpdir)
BG=""
on_exit() {
	[ -n "$BG" ] && kill "$BG" 2>/dev/null && wait "$BG" 2>/dev/null
	t_cleanup
}
trap on_exit EXIT

cp "$HG_ROOT/assets/demo/station.ini" "$D/station.ini"
cd "$D" || exit 1
"$HG" init --demo >/dev/null 2>&1 || { t_fail "init" "init --demo failed"; t_end; exit 1; }
mkfifo var/nfc.fifo 2>/dev/null

t_begin "hw check: one line per device, all ok"
if expect_exit 0 "$HG" hw check && [ "$(printf '%s\n' "$OUT" | grep -c ' ok')" = 4 ] &&
	printf '%s\n' "$OUT" | grep -q '^relays .*ok: gate locked, valve closed'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw relay valve on: read back, held, then closed"
if expect_exit 0 "$HG" hw relay valve on --hold 1 &&
	printf '%s\n' "$OUT" | grep -q '^valve open (read back)' &&
	[ "$(printf '%s\n' "$OUT" | tail -1)" = "valve closed" ] &&
	grep -q '^valve=closed' var/relays && grep -q '^gate=locked' var/relays; then
	t_ok
else
	t_fail "" "$OUT $ERR $(cat var/relays)"
fi

t_begin "hw relay: unknown relay and bad word are usage errors"
if expect_exit 2 "$HG" hw relay pump on && printf '%s' "$ERR" | grep -q "no relay called 'pump'" &&
	expect_exit 2 "$HG" hw relay gate ajar && printf '%s' "$ERR" | grep -q "locked"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "hw relay gate unlocked: the state word works as well as on"
if expect_exit 0 "$HG" hw relay gate unlocked --hold 1 &&
	printf '%s\n' "$OUT" | grep -q '^gate unlocked (read back)'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw read-card: UID, type and holder"
( sleep 0.3; echo 04A1B2C3 > var/nfc.fifo ) &
if expect_exit 0 "$HG" hw read-card --timeout 5 &&
	printf '%s\n' "$OUT" | grep -q '^card 04a1b2c3 (ISO 14443-A, 4-byte UID)' &&
	printf '%s\n' "$OUT" | grep -q '^roster: hauler card of Dana Ruiz'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi
wait

t_begin "hw read-card: a card not in the roster, 7 bytes"
( sleep 0.3; echo 04aabbccddeeff > var/nfc.fifo ) &
if expect_exit 0 "$HG" hw read-card --timeout 5 &&
	printf '%s\n' "$OUT" | grep -q '7-byte UID' &&
	printf '%s\n' "$OUT" | grep -q 'not a card of this station'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi
wait

t_begin "hw read-card: no card within the timeout"
if expect_exit 1 "$HG" hw read-card --timeout 1 && printf '%s' "$ERR" | grep -q 'no card within 1 s'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw print-test: a page with a QR line"
if expect_exit 0 "$HG" hw print-test && f=$(ls var/receipts/test-*-test.txt 2>/dev/null | head -1) &&
	[ -n "$f" ] && grep -q '^HAULGATE PRINTER TEST' "$f" && grep -q '^QR: .*?test=demo-01' "$f"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw meter: the simulated meter's totaliser; no meter is an error"
if expect_exit 1 "$HG" hw meter && printf '%s' "$ERR" | grep -q 'no meter in the configuration'; then
	sed 's|^\[hardware\]|[hardware]\nmeter = sim:var/meter|' station.ini > meter.ini
	echo 48213.6 > var/meter
	if expect_exit 0 "$HG" --config meter.ini hw meter && [ "$OUT" = "totaliser 48213.6 gal" ] &&
		expect_exit 0 "$HG" --config meter.ini hw check &&
		printf '%s\n' "$OUT" | grep -q '^meter .*ok: totaliser 48213.6 gal'; then
		t_ok
	else
		t_fail "" "$OUT $ERR"
	fi
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw reprint: the receipt again, marked COPY, logged"
"$HG" simulate --script "$HG_ROOT/tests/scenarios/hauler_first_load.scn" >sim.out 2>&1
if expect_exit 0 "$HG" hw reprint 1 && printf '%s' "$OUT" | grep -q 'receipt slip of load 1 (marked COPY)' &&
	copy=$(grep -l 'COPY' var/receipts/load-000001-receipt*.txt) && grep -q '^QR: ' "$copy" &&
	"$HG" events | grep -Eq 'printed +1 +cli:.*"copy":true'; then
	t_ok
else
	t_fail "" "$OUT $ERR $(tail -3 sim.out) $("$HG" events | tail -2)"
fi

t_begin "hw reprint of a load that does not exist"
if expect_exit 1 "$HG" hw reprint 99 && printf '%s' "$ERR" | grep -q 'no load 99'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

# two refused loads whose refusal slips the printer could not print (kept)
cat > kept.scn <<'EOS'
clock 2026-11-23T10:00:00
card 04b2c3d4e5f601
type 2468
press ok
press truck_1
press waste_grease
press new_source
field source_name "Taqueria El Sol"
field source_address "45 Main St, Shelbyville"
press save
press industry_2
press town_2
press next
type 1200
press next
field characteristics "Kitchen grease"
press next
press rcra_yes
press next
field signer "Ana Torres"
fault printer
press certify
expect decision refused rcra_hazardous
press ok
card 04b2c3d4e5f601
type 2468
press ok
press truck_1
press waste_grease
press known_1
press next
type 900
press next
field characteristics "Kitchen grease"
press next
press rcra_yes
press next
field signer "Ana Torres"
fault printer
press certify
expect decision refused rcra_hazardous
press ok
EOS

t_begin "hw reprint --kept: a printer that cannot print stops at the first, all stay kept"
# a printer folder that cannot be made (a file is in the way): nothing prints
: > var/not-a-folder
sed 's|^printer *=.*|printer = file:var/not-a-folder/receipts|' station.ini > noprinter.ini
if "$HG" simulate --script kept.scn >kept.out 2>&1 &&
	kept=$("$HG" events | grep -Ec 'print_failed +[34] ') && [ "$kept" = 2 ] &&
	expect_exit 1 "$HG" --config noprinter.ini hw reprint --kept &&
	printf '%s' "$ERR" | grep -q 'stopped at load 3: 2 slips are still kept' &&
	[ "$("$HG" events | grep -Ec 'print_failed +3 +cli')" = 1 ] &&
	! "$HG" events | grep -Eq 'print_failed +4 +cli'; then
	t_ok
else
	t_fail "" "$OUT $ERR $(tail -3 kept.out) $("$HG" events | tail -4)"
fi

t_begin "hw reprint --kept: every kept slip again, oldest first, logged; then none"
if expect_exit 0 "$HG" hw reprint --kept &&
	[ "$(printf '%s\n' "$OUT" | head -1)" = "reprinted the refusal slip of load 3 (marked COPY) on file:var/receipts" ] &&
	[ "$(printf '%s\n' "$OUT" | sed -n 2p)" = "reprinted the refusal slip of load 4 (marked COPY) on file:var/receipts" ] &&
	grep -q 'COPY' var/receipts/load-000004-refusal*.txt &&
	[ "$(printf '%s\n' "$OUT" | tail -1)" = "reprinted 2 kept slips" ] &&
	[ -s var/receipts/load-000003-refusal.txt ] && [ -s var/receipts/load-000004-refusal.txt ] &&
	"$HG" events | grep -Eq 'printed +4 +cli.*"kind":"refusal","copy":true' &&
	expect_exit 0 "$HG" hw reprint --kept &&
	[ "$OUT" = "no kept slips: the printer printed every receipt" ]; then
	t_ok
else
	t_fail "" "$OUT $ERR $("$HG" events | tail -4)"
fi

t_begin "hw reprint: LOAD-NO or --kept, one of them"
if expect_exit 2 "$HG" hw reprint 1 --kept && printf '%s' "$ERR" | grep -q 'not both' &&
	expect_exit 2 "$HG" hw reprint && printf '%s' "$ERR" | grep -q -- '--kept'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "config check names a [hardware] backend that does not exist, with its line"
sed 's|^printer *=.*|printer = cupz:receipt|' station.ini > typo.ini
printf 'meter = modbus-tpc:127.0.0.1:502\n' >> typo.ini
pl=$(grep -n '^printer = cupz' typo.ini | cut -d: -f1)
ml=$(grep -n '^meter = modbus-tpc' typo.ini | cut -d: -f1)
if expect_exit 1 "$HG" --config typo.ini config check &&
	printf '%s\n' "$ERR" | grep -qx "typo.ini:$pl: printer = cupz:receipt: no such backend (docs/HARDWARE.md lists them)" &&
	printf '%s\n' "$ERR" | grep -q "^typo.ini:$ml: meter = modbus-tpc:127.0.0.1:502: no such backend" &&
	expect_exit 0 "$HG" config check; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "config check: two relays on one coil or line, however spelled, with the later line"
sed 's|^relay *=.*|relay = modbus-tcp:127.0.0.1:502|' station.ini > dup.ini
printf '[relays]\ngate = 1\nvalve = 0x1\n' >> dup.ini
gl=$(grep -n '^gate = 1$' dup.ini | cut -d: -f1)
vl=$(grep -n '^valve = 0x1$' dup.ini | cut -d: -f1)
sed 's|^relay *=.*|relay = gpio:gpiochip0|' station.ini > dupgpio.ini
printf '[relays]\ngate = 17\nvalve = 17,active-low\n' >> dupgpio.ini
gl2=$(grep -n '^gate = 17$' dupgpio.ini | cut -d: -f1)
vl2=$(grep -n '^valve = 17,active-low$' dupgpio.ini | cut -d: -f1)
if expect_exit 1 "$HG" --config dup.ini config check &&
	printf '%s\n' "$ERR" | grep -qxF "dup.ini:$vl: [relays] valve: uses the same relay (0x1) as gate on line $gl, written 1 there" &&
	expect_exit 1 "$HG" --config dupgpio.ini config check &&
	printf '%s\n' "$ERR" | grep -qxF "dupgpio.ini:$vl2: [relays] valve: uses the same relay (17,active-low) as gate on line $gl2, written 17 there"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "config check: relay numbers are decimal or 0x (010 is ten), junk named with its line"
sed 's|^relay *=.*|relay = modbus-tcp:127.0.0.1:502|' station.ini > octal.ini
printf '[relays]\ngate = 8\nvalve = 010\n' >> octal.ini
sed 's|^relay *=.*|relay = modbus-tcp:127.0.0.1:502|' station.ini > junk.ini
printf '[relays]\ngate = 0\nvalve = 1x\n' >> junk.ini
jl=$(grep -n '^valve = 1x$' junk.ini | cut -d: -f1)
if expect_exit 0 "$HG" --config octal.ini config check &&
	expect_exit 1 "$HG" --config junk.ini config check &&
	printf '%s\n' "$ERR" | grep -qxF "junk.ini:$jl: [relays] valve: \"1x\" has something after the number (a coil or line number is decimal, or hex written 0x.., at most 65535)"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw check fails and says which device when one is broken"
sed 's|^printer *=.*|printer = nosuch:thing|' station.ini > bad.ini
if expect_exit 1 "$HG" --config bad.ini hw check &&
	printf '%s\n' "$OUT" | grep -q '^printer .*FAILED: no printer backend' &&
	printf '%s\n' "$OUT" | grep -q '^relays .* ok'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "every hw command refuses while the kiosk runs"
SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software "$HG_ROOT/build/haulgate-kiosk" \
	--speech off >kiosk.out 2>&1 &
BG=$!
for _ in $(seq 50); do
	grep -q pid var/haulgate.db.devices.lock 2>/dev/null && break
	sleep 0.05
done
bad=""
for cmd in "hw check" "hw relay valve on" "hw read-card --timeout 1" "hw print-test" "hw reprint 1" \
	"hw reprint --kept"; do
	# shellcheck disable=SC2086  # the words are the command
	if ! expect_exit 1 "$HG" $cmd || ! printf '%s' "$ERR" | grep -q "in use by haulgate-kiosk (pid $BG)"; then
		bad="$bad [$cmd: $RC $ERR]"
	fi
done
if [ -z "$bad" ] && grep -q '^valve=closed' var/relays; then t_ok; else t_fail "" "$bad"; fi

t_begin "after kill -9 of the holder the devices are free again"
kill -9 "$BG"
wait "$BG" 2>/dev/null
BG=""
if expect_exit 0 "$HG" hw check; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_end
