#!/usr/bin/env bash
# test_sync_policy.sh: the plant's policy comes down with the roster
# (docs/SYNC.md, policy_set and policy_unset; docs/CONFIG.md "Set at the
# plant") against the real plant server, build/asan/haulgate-potw, on
# loopback TLS.  The plant closes Mondays for station test-01 only, takes
# grease off for all stations and back on for test-02 alone; after `sync
# now` test-01 shows the closed screen on a Monday and refuses a grease load
# on a Tuesday (waste_not_allowed_station), test-02 takes the grease load on
# the Monday; `haulgate policy show` says where each value comes from; a bad
# value is refused at the plant with station.ini's own words and nothing
# changes; an unset opens test-01's Mondays again.  A plant database of
# schema version 4 gets the policy's table when opened.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

command -v sqlite3 >/dev/null 2>&1 || {
	echo "not ok - sqlite3 is missing: run scripts/deps.sh test"
	exit 1
}

d=$(tmpdir)
plant_make "$d"
pw hauler add --company "Acme Pumping" --contact "Ann Lee" --address "1 Main St" \
	--phone 555-0100 --permit P-1 --from 2026-01-01 --to 2030-12-31 \
	--waste septage,grease >/dev/null 2>&1
printf '4821\n' | pw card add --uid 04:A1:B2:C3 --hauler 1 --driver "Bo Diaz" >/dev/null 2>&1
pw truck add --hauler 1 --ident "KS 123" --capacity 3000 >/dev/null 2>&1

# two stations of the plant, each its own folder, database and key
station() {	# station ID: a new station, registered at the plant
	local s="$d/$1"
	mkdir -p "$s"
	sed "s/^id = .*/id = $1/" "$HG_ROOT/tests/scenarios/station.ini" >"$s/station.ini"
	"$HG" --config "$s/station.ini" init >/dev/null 2>&1
	"$HG" --config "$s/station.ini" keys --public-pem >"$s/station.pem"
	pw station add --id "$1" --name "Station $1" --key-pem "$s/station.pem" >/dev/null 2>&1
}
station test-01
station test-02
s1() { "$HG" --config "$d/test-01/station.ini" "$@"; }
s2() { "$HG" --config "$d/test-02/station.ini" "$@"; }

plant_serve
station_join "$d/test-01/station.ini"
station_join "$d/test-02/station.ini"

# scenarios: a Monday morning at the start screen; a grease load
cat >"$d/monday.scn" <<'EOF2'
clock 2026-11-23T08:00:00
expect screen start
EOF2
cat >"$d/monday_closed.scn" <<'EOF2'
clock 2026-11-23T08:00:00
expect screen closed
card 04a1b2c3
expect message station_closed
expect screen closed
EOF2
grease() {	# grease DAY VERDICT [REASON]: a grease load on 2026-11-DAY at 09:00
	cat <<EOF2
clock 2026-11-${1}T09:00:00
card 04a1b2c3
type 4821
press ok
press truck_1
press waste_grease
press new_source
type "Riverside Diner"
press focus_source_address
type "5 River Rd, Springfield"
press save
press industry_2
press town_1
press next
type 2000
press next
field characteristics "Grease trap, brown fats"
press next
press rcra_no
press next
field signer "Bo Diaz"
press certify
expect decision $2 $3
EOF2
}
csv() { tr -d '\r' <<<"$OUT"; }	# CSV lines end in CR LF (RFC 4180)
grease 24 refused waste_not_allowed_station >"$d/tuesday_grease_refused.scn"
grease 23 accepted >"$d/monday_grease_accepted.scn"

t_begin "before the plant's policy: test-01 is open on Monday mornings (station.ini)"
if expect_exit 0 s1 sync now && expect_exit 0 s1 simulate --script "$d/monday.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "policy set at the plant: for one station, for all, and one's own over all's"
ev_before=$(sqlite3 "$d/var/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'")
if expect_exit 0 pw policy set --key hours.mon --value closed --station test-01 &&
   grep -q "hours.mon = closed for station test-01 (roster version $((ev_before + 1)))" <<<"$OUT" &&
   expect_exit 0 pw policy set --key policy.waste_types --value septage &&
   expect_exit 0 pw policy set --key policy.waste_types --value "septage, grease" --station test-02 &&
   expect_exit 0 pw policy set --key sampling.first_load --value no &&
   expect_exit 0 pw policy set --key sampling.waste_types --value industrial
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "policy show at the plant: what it set, and per station where each value comes from"
if expect_exit 0 pw policy show --csv &&
   grep -q '^hours.mon,closed,"plant, station test-01"$' <<<"$(csv)" &&
   grep -q '^policy.waste_types,septage,"plant, all stations"$' <<<"$(csv)" &&
   expect_exit 0 pw policy show --station test-02 --csv &&
   grep -q '^policy.waste_types,"septage, grease","plant, station test-02"$' <<<"$(csv)" &&
   grep -q '^hours.mon,,station.ini$' <<<"$(csv)" &&
   grep -q '^sampling.first_load,no,"plant, all stations"$' <<<"$(csv)"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a bad value: refused at the plant in station.ini's own words, nothing logged"
printf '[hours]\nmon = 25:00-26:00\n' >"$d/bad.ini"
"$HG" --config "$d/bad.ini" config check >"$d/check.out" 2>&1
ini_msg=$(sed -n 's/^.*bad.ini:2: //p' "$d/check.out")
ev_now=$(sqlite3 "$d/var/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'")
if expect_exit 1 pw policy set --key hours.mon --value 25:00-26:00 --station test-01 &&
   [ -n "$ini_msg" ] && grep -qF "error: $ini_msg" <<<"$ERR" &&
   grep -q 'must be HH:MM-HH:MM' <<<"$ERR" &&
   [ "$(sqlite3 "$d/var/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'")" = "$ev_now" ]
then t_ok; else t_fail "" "ini: $ini_msg; plant: $ERR"; fi

t_begin "keys that are not the plant's to set are refused by name"
if expect_exit 1 pw policy set --key session.pin_attempts --value 3 &&
   grep -q "'session.pin_attempts' is the station's own" <<<"$ERR" &&
   expect_exit 1 pw policy set --key hours.monday --value closed &&
   grep -q "'hours.monday' is not a key of station.ini" <<<"$ERR" &&
   expect_exit 1 pw policy set --key hours.mon --value closed --station nosuch &&
   grep -q "no station 'nosuch' is registered" <<<"$ERR" &&
   expect_exit 1 pw policy unset --key hours.tue &&
   grep -q "hours.tue is not set at the plant for all stations" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync now: the policy applied at test-01 as its own events, into its policy table"
if expect_exit 0 s1 sync now && grep -q "5 edits applied" <<<"$OUT" &&
   [ "$(sqlite3 "$d/test-01/haulgate.db" "SELECT count(*) FROM events WHERE type = 'policy_set' AND actor LIKE 'plant:%'")" = 5 ] &&
   [ "$(sqlite3 "$d/test-01/haulgate.db" "SELECT value FROM policy WHERE scope = 'test-01' AND section = 'hours' AND key = 'mon' AND active = 1")" = closed ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "haulgate policy show at test-01: each value in force and where it comes from"
if expect_exit 0 s1 policy show --csv &&
   grep -q '^hours.mon,closed,"plant, this station"$' <<<"$(csv)" &&
   grep -q '^hours.tue,06:00-18:00,station.ini$' <<<"$(csv)" &&
   grep -q '^policy.waste_types,septage,"plant, all stations"$' <<<"$(csv)" &&
   grep -q '^sync.offline_waste_types,"septage, portable",station.ini$' <<<"$(csv)" &&
   expect_exit 0 s1 config check &&
   grep -q "^4 values of the plant over station.ini: haulgate policy show$" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "test-01 on a Monday: closed (its own value), a card refused station_closed"
if expect_exit 0 s1 simulate --script "$d/monday_closed.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "test-01 on a Tuesday: a grease load refused, waste_not_allowed_station (all stations')"
if expect_exit 0 s1 simulate --script "$d/tuesday_grease_refused.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "test-02 on the Monday: open, its own waste types over all's, the grease load accepted"
if expect_exit 0 s2 sync now && expect_exit 0 s2 simulate --script "$d/monday_grease_accepted.scn" &&
   expect_exit 0 s2 policy show --csv &&
   grep -q '^policy.waste_types,"septage, grease","plant, this station"$' <<<"$(csv)" &&
   grep -q '^hours.mon,06:00-18:00,station.ini$' <<<"$(csv)"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "verify passes at the station and, once synced, at the plant (the rows are the events')"
if expect_exit 0 s1 verify && expect_exit 0 s1 sync now && expect_exit 0 pw verify --station test-01 &&
   expect_exit 0 pw verify --station haulgate.potw &&
   [ "$(sqlite3 "$d/var/potw.db" "SELECT count(*) FROM rec_policy WHERE station_id = 'test-01'")" = 5 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "policy unset for test-01: after sync its Mondays are open again (station.ini)"
if expect_exit 0 pw policy unset --key hours.mon --station test-01 &&
   expect_exit 0 s1 sync now && grep -q "1 edit applied" <<<"$OUT" &&
   expect_exit 0 s1 simulate --script "$d/monday.scn" &&
   expect_exit 0 s1 policy show --csv && grep -q '^hours.mon,06:00-18:00,station.ini$' <<<"$(csv)" &&
   expect_exit 0 s1 verify
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a value this station's parser refuses: left out, station.ini's in force, said by policy show"
cp "$d/test-01/haulgate.db" "$d/test-01/refused.db"
sqlite3 "$d/test-01/refused.db" "INSERT INTO policy VALUES ('test-01', 'sampling', 'random_rate', '7', 1)"
if expect_exit 0 s1 --db "$d/test-01/refused.db" policy show --csv &&
   grep -q '^sampling.random_rate,0%,station.ini$' <<<"$(csv)" &&
   grep -q '^sampling.random_rate,7,"plant, this station: REFUSED here (\[sampling\] random_rate: ' <<<"$(csv)" &&
   expect_exit 0 s1 --db "$d/test-01/refused.db" config check &&
   grep -q "^the plant's sampling.random_rate = 7 is refused here: \[sampling\] random_rate: " <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the plant's types of industry: after sync the kiosk offers them, in order, and the load records the plant's value"
# test-02's kiosk, offscreen, as a finger would: the list has three buttons
# (a fourth is not on screen: exit 1), the second is the plant's "brewery"
sed -i 's|^\[hardware\]$|[hardware]\nnfc = sim:var/nfc|' "$d/test-02/station.ini"
kload() {	# kload N: a septage load at test-02's kiosk, the source's industry button N
	cat <<EOF2
clock 2026-11-24T09:00:00
card 04a1b2c3
type 4821
press ok
press truck_1
press waste_septage
press new_source
type "Hop House"
press focus_source_address
type "7 Mill Rd, Springfield"
press save
expect screen source_industry
press industry_$1
expect screen source_town
press town_1
press next
type 1500
press next
field characteristics "Brewery septage"
press next
press rcra_no
press next
press certify
expect decision accepted
EOF2
}
kload 2 >"$d/kiosk_brewery.kscn"
kload 4 >"$d/kiosk_fourth.kscn"
if expect_exit 0 pw policy set --key policy.industries --value "residential, brewery, car wash" &&
   expect_exit 0 s2 sync now && expect_exit 0 s2 policy show --csv &&
   grep -q '^policy.industries,"residential, brewery, car wash","plant, all stations"$' <<<"$(csv)" &&
   SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy \
	expect_exit 1 "$HG_ROOT/build/haulgate-kiosk" --config "$d/test-02/station.ini" \
	--windowed 1280x800 --script "$d/kiosk_fourth.kscn" &&
   grep -q "no button 'industry_4' on screen 'source_industry'" <<<"$ERR" &&
   SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy \
	expect_exit 0 "$HG_ROOT/build/haulgate-kiosk" --config "$d/test-02/station.ini" \
	--windowed 1280x800 --script "$d/kiosk_brewery.kscn" &&
   [ "$(sqlite3 "$d/test-02/haulgate.db" "SELECT industry FROM load_sources WHERE name = 'Hop House'")" = brewery ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

plant_stop

t_begin "a plant database of version 4 gets rec_policy on open (and the versions after it), as a new one makes it"
cp "$d/var/potw.db" "$d/var/old.db"
sed 's|^db = .*|db = var/old.db|' "$d/potw.ini" >"$d/old.ini"
fresh=$(sqlite3 "$d/var/old.db" "SELECT sql FROM sqlite_schema WHERE name = 'rec_policy'")
now=$(sqlite3 "$d/var/old.db" "PRAGMA user_version")
# what came after version 5 goes too (the disputes: tests/cli/test_web_receipt.sh;
# the lab records and fees: store_lab_sqlite.c; the holds: store_holds.c)
sqlite3 "$d/var/old.db" "DROP TABLE rec_policy; DROP TABLE disputes; DROP INDEX events_load;
	DROP TABLE violations; DROP TABLE lab_results; DROP TABLE novs; DROP TABLE lab_params;
	DROP TABLE fee_schedule; DROP TABLE holds; DROP TABLE load_days; DROP TRIGGER load_days_insert;
	DROP TRIGGER load_days_update; DROP TRIGGER load_days_delete; PRAGMA user_version = 4"
if expect_exit 0 "$POTW" --config "$d/old.ini" policy show &&
   [ "$(sqlite3 "$d/var/old.db" "PRAGMA user_version")" = "$now" ] && [ -n "$fresh" ] &&
   [ "$(sqlite3 "$d/var/old.db" "SELECT sql FROM sqlite_schema WHERE name = 'rec_policy'")" = "$fresh" ] &&
   expect_exit 0 "$POTW" --config "$d/old.ini" policy set --key hours.sun --value 08:00-12:00 &&
   expect_exit 0 "$POTW" --config "$d/old.ini" policy show --csv &&
   grep -q '^hours.sun,08:00-12:00,"plant, all stations"$' <<<"$(csv)"
then t_ok; else t_fail "" "$OUT $ERR"; fi
t_end
