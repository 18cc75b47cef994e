#!/usr/bin/env bash
# test_station_id.sh: the station's id has one source, the database's.
#
# A demo station is initialised as plant-07 with a station.ini that leaves
# [station] id out; then the same station is run with a station.ini that
# names another id (test-01).  Every command that writes or drives the
# devices (init, simulate, the kiosk, hw, a roster change) refuses it, naming
# both ids, the file and line, and how to fix it, and changes nothing; config
# check fails on it; a command that only reads (loads, events, verify) says
# the same as a warning and shows the database's station.  An id that agrees, or none, is silent.
# The rule itself is config_station_id() (core/config_value.c,
# tests/unit/test_config.c); docs/DECISIONS.md says why.
. "$(dirname "$0")/lib.sh"
SCN="$HG_ROOT/tests/scenarios"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

d=$(tmpdir)
sed '/^id = /d' "$SCN/station.ini" > "$d/station.ini"	# no [station] id
"$HG" --config "$d/station.ini" init --demo --station-id plant-07 >/dev/null 2>&1
# the same station, but its file names another id, on line 4
sed 's/^id = .*/id = test-01/' "$SCN/station.ini" > "$d/other.ini"
# and one that names the database's own id
sed 's/^id = .*/id = plant-07/' "$SCN/station.ini" > "$d/same.ini"

# said DIR-relative: the message names both ids, where the wrong one is and the fix
said() {
	grep -q "other.ini:4: \[station\] id is 'test-01' but the database '.*haulgate.db' is station 'plant-07'" <<<"$ERR" &&
	grep -q 'write "id = plant-07" on that line or remove it' <<<"$ERR"
}
events() {
	sqlite3 "$d/haulgate.db" "SELECT count(*) FROM events"
}

t_begin "init: --station-id that is not the configuration's [station] id is refused, nothing made"
d2=$(tmpdir)
cp "$SCN/station.ini" "$d2/station.ini"
if expect_exit 1 "$HG" --config "$d2/station.ini" init --station-id plant-07 &&
   grep -q "station.ini:4: \[station\] id is 'test-01' but --station-id is 'plant-07'" <<<"$ERR" &&
   grep -q "leave out --station-id" <<<"$ERR" && [ ! -e "$d2/haulgate.db" ] && [ ! -e "$d2/station.key" ]
then t_ok; else t_fail "" "$ERR $(ls "$d2")"; fi

n0=$(events)
t_begin "simulate: a station.ini naming another station id is refused, nothing recorded"
if expect_exit 1 "$HG" --config "$d/other.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   grep -q '^error: ' <<<"$ERR" && said && [ -z "$OUT" ] && [ "$(events)" = "$n0" ] &&
   [ ! -e "$d/var/receipts/load-000001-receipt.txt" ]
then t_ok; else t_fail "" "$ERR events $(events) (was $n0)"; fi

t_begin "kiosk --script: a station.ini naming another station id is refused, nothing recorded"
if [ ! -x "$KIOSK" ]; then
	t_fail "" "$KIOSK is missing: make build/haulgate-kiosk"
elif expect_exit 1 "$KIOSK" --config "$d/other.ini" --windowed 800x600 \
	--script "$HG_ROOT/tests/kiosk/hauler_load.kscn" --snap-dir "$d/snaps" &&
   grep -q '^error: ' <<<"$ERR" && said && [ "$(events)" = "$n0" ]
then t_ok; else t_fail "" "$ERR events $(events) (was $n0)"; fi

t_begin "hw check: a station.ini naming another station id is refused before any device"
rm -f "$d/var/relays.log"
if expect_exit 1 "$HG" --config "$d/other.ini" hw check && grep -q '^error: ' <<<"$ERR" && said &&
   [ -z "$OUT" ] && [ ! -e "$d/var/relays.log" ]
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hw print-test: refused the same way, no page with the wrong id"
if expect_exit 1 "$HG" --config "$d/other.ini" hw print-test && said &&
   ! ls "$d/var/receipts" 2>/dev/null | grep -q '^test-'
then t_ok; else t_fail "" "$OUT$ERR $(ls "$d/var/receipts" 2>&1)"; fi

t_begin "a roster change under another station id is refused"
if expect_exit 1 "$HG" --config "$d/other.ini" hauler suspend 1 && said && [ "$(events)" = "$n0" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "config check: another station id than the database's is an error"
if expect_exit 1 "$HG" --config "$d/other.ini" config check && said &&
   expect_exit 0 "$HG" --config "$d/same.ini" config check && [ -z "$ERR" ]
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "loads, events, verify: only read, so a warning, and the database's station is shown"
if expect_exit 0 "$HG" --config "$d/other.ini" loads && grep -q '^warning: ' <<<"$ERR" && said &&
   grep -q "going on as station 'plant-07'" <<<"$ERR" &&
   expect_exit 0 "$HG" --config "$d/other.ini" events --csv && said && grep -q 'plant-07' <<<"$OUT" &&
   ! grep -q 'test-01' <<<"$OUT" &&
   expect_exit 0 "$HG" --config "$d/other.ini" verify && said && grep -q '^chain ok: ' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "the warning goes to stderr: a CSV listing stays clean"
if expect_exit 0 "$HG" --config "$d/other.ini" loads --csv && said && ! grep -q 'test-01' <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "a station.ini naming the database's own id runs, with nothing said"
if expect_exit 0 "$HG" --config "$d/same.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   [ -z "$ERR" ] && expect_exit 0 "$HG" --config "$d/same.ini" loads && [ -z "$ERR" ] &&
   grep -q '^QR: .*&st=plant-07&' "$d/var/receipts/load-000001-receipt.txt"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a station.ini without [station] id takes the database's, with nothing said"
if expect_exit 0 "$HG" --config "$d/station.ini" hw check && [ -z "$ERR" ] &&
   expect_exit 0 "$HG" --config "$d/station.ini" loads && [ -z "$ERR" ]
then t_ok; else t_fail "" "$ERR"; fi

t_end
