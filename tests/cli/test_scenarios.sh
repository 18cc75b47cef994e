#!/usr/bin/env bash
# test_scenarios.sh: every scenario in tests/scenarios/ through the real core,
# store and simulated drivers (`haulgate simulate`), each on a fresh demo
# station; then what the scenarios leave behind: the chain verifies, the
# receipts' signed QR checks out (haulgate and openssl), the records match.
. "$(dirname "$0")/lib.sh"
SCN="$HG_ROOT/tests/scenarios"

# station DIR [NAME]: a fresh demo station in DIR, with the scenarios' config,
# or NAME.ini when the scenario NAME.scn has its own (a meter, say)
station() {
	if [ -n "${2:-}" ] && [ -f "$SCN/$2.ini" ]; then
		cp "$SCN/$2.ini" "$1/station.ini"
	else
		cp "$SCN/station.ini" "$1/station.ini"
	fi
	# the demo roster made without [sync] (a plant-managed station, such as
	# offline_waste.ini's, refuses init --demo: its roster is the plant's)
	awk '/^\[/ { skip = ($1 == "[sync]") } !skip' "$1/station.ini" >"$1/local.ini"
	"$HG" --config "$1/local.ini" init --demo >/dev/null 2>&1
}

for f in "$SCN"/*.scn; do
	name=$(basename "$f" .scn)
	d=$(tmpdir)
	station "$d" "$name"
	if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$f"; then
		t_ok "scenario $name"
	else
		t_fail "scenario $name" "$ERR"
	fi
	if expect_exit 0 "$HG" --config "$d/station.ini" verify && grep -q "^chain ok: " <<<"$OUT" &&
	   grep -q "^tables ok: " <<<"$OUT"; then
		t_ok "scenario $name: chain verifies, the tables are the log's"
	else
		t_fail "scenario $name: chain verifies, the tables are the log's" "$OUT$ERR"
	fi
	printf '%s\n' "$OUT" > /dev/null
done

# ---- the first-load scenario's records, looked at closely ----
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" > "$d/actions.jsonl"

t_begin "simulate prints one JSON object per line"
if python3 -c 'import json,sys
n=0
for l in open(sys.argv[1]):
    o=json.loads(l); assert "action" in o and "line" in o; n+=1
assert n > 40' "$d/actions.jsonl"; then t_ok; else t_fail "" "$(head -3 "$d/actions.jsonl")"; fi

t_begin "the first load is recorded as sampled with its bottle, the second as accepted"
if expect_exit 0 "$HG" --config "$d/station.ini" loads --csv &&
   printf '%s\n' "$OUT" | grep -q '^1,.*sample-hold,sample_first_load,yes,B-0001' &&
   printf '%s\n' "$OUT" | grep -q '^2,.*accepted'; then t_ok; else t_fail "" "$OUT"; fi

t_begin "a receipt carries its QR once, as its last line"
r2="$d/var/receipts/load-000002-receipt.txt"
if [ "$(grep -c '^QR: ' "$r2")" = 1 ] && tail -1 "$r2" | grep -q '^QR: '; then t_ok; else t_fail "" "$(cat "$r2")"; fi

t_begin "the receipt's QR is genuine and matches the record"
qr=$(grep '^QR: ' "$d/var/receipts/load-000002-receipt.txt" | head -1 | cut -c5-)
if expect_exit 0 "$HG" --config "$d/station.ini" receipt verify "$qr" &&
   printf '%s' "$OUT" | grep -q 'genuine' && printf '%s' "$OUT" | grep -q 'matches load 2'; then
	t_ok
else
	t_fail "" "qr=$qr $OUT $ERR"
fi

t_begin "openssl accepts the QR signature with the station's public PEM"
"$HG" --config "$d/station.ini" keys --public-pem > "$d/pub.pem"
msg=${qr%%&s=*}
sig=${qr##*&s=}
printf '%s' "$msg" > "$d/msg"
printf '%s' "$sig" | tr '_-' '/+' | awk '{ s=$0; while (length(s) % 4) s = s "="; print s }' \
	| openssl base64 -d -A > "$d/sig"
if openssl pkeyutl -verify -pubin -inkey "$d/pub.pem" -rawin -in "$d/msg" -sigfile "$d/sig" \
	>"$d/ossl" 2>&1; then t_ok; else t_fail "" "$(cat "$d/ossl")"; fi

t_begin "a QR with one changed byte is not genuine"
bad=${qr/g=800/g=900}
if expect_exit 1 "$HG" --config "$d/station.ini" receipt verify "$bad"; then t_ok; else t_fail; fi

t_begin "the valve opened once per discharge and every relay ends safe"
if grep -q 'valve=open' "$d/var/relays.log" && [ "$(grep -c 'valve=open' "$d/var/relays.log")" = 2 ] &&
   tail -1 "$d/var/relays" | grep -q . && grep -q '^valve=closed' "$d/var/relays" &&
   grep -q '^gate=locked' "$d/var/relays"; then t_ok; else t_fail "" "$(cat "$d/var/relays" "$d/var/relays.log")"; fi

t_begin "the load's record hash is the SHA-256 of its copy of record"
rec=$(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no=1")
want=$(sqlite3 "$d/haulgate.db" "SELECT record_sha256 FROM loads WHERE load_no=1")
got=$(printf '%s\n' "$rec" | sha256sum | cut -d' ' -f1)
if [ -n "$want" ] && [ "$want" = "$got" ]; then t_ok; else t_fail "" "want=$want got=$got"; fi

t_begin "receipts carry the station id recorded at init, not a different one in station.ini"
# init records plant-07 (the file leaves [station] id out); then the station
# runs under a file that names it, and under one that names another: the
# receipt is plant-07's, and the other id is refused (tests/cli/test_station_id.sh)
d=$(tmpdir)
sed '/^id = /d' "$SCN/station.ini" > "$d/station.ini"
"$HG" --config "$d/station.ini" init --demo --station-id plant-07 >/dev/null 2>&1
sed 's/^id = .*/id = test-01/' "$SCN/station.ini" > "$d/other.ini"
"$HG" --config "$d/other.ini" simulate --script "$SCN/hauler_first_load.scn" >/dev/null 2>&1
sed 's/^id = .*/id = plant-07/' "$SCN/station.ini" > "$d/station.ini"
"$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" >/dev/null 2>&1
if grep -q '^QR: .*&st=plant-07&' "$d/var/receipts/load-000001-receipt.txt" &&
   grep -q 'Station: plant-07' "$d/var/receipts/load-000001-receipt.txt"; then
	t_ok
else
	t_fail "" "$(cat "$d/var/receipts/load-000001-receipt.txt" 2>&1)"
fi

t_begin "an operator's manual gate opening is logged with its reason and its relay changes"
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/operator.scn" >/dev/null 2>&1
ev=$("$HG" --config "$d/station.ini" events --csv)
if printf '%s\n' "$ev" | grep -q 'manual_override,.*operator:1,.*Vactor truck cleaning the wet well' &&
   [ "$(printf '%s\n' "$ev" | grep -c 'relay_changed.*gate.*unlocked')" = 2 ]; then
	t_ok
else
	t_fail "" "$ev"
fi

t_begin "an RV visit records when it ended; a refused one has no declaration"
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/rv_visit.scn" >/dev/null 2>&1
rv=$("$HG" --config "$d/station.ini" rv-visits --csv | tr -d '\r')
if printf '%s\n' "$rv" | grep -q '^1,.*Lee Walker,7ABC123,CO,en,yes,2026-11-23 11:00$' &&
   printf '%s\n' "$rv" | grep -q '^2,.*,no,$'; then t_ok; else t_fail "" "$rv"; fi

t_begin "a step of the wall clock is logged, and stamps the records from then on"
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/clock_step.scn" >/dev/null 2>&1
ev=$("$HG" --config "$d/station.ini" events --csv)
if printf '%s\n' "$ev" | grep -q '2026-11-23 09:10,clock_stepped,1,station,.*""step"":-3600' &&
   printf '%s\n' "$ev" | grep -q '2026-11-23 09:30,discharge_ended,1,.*max_time' &&
   printf '%s\n' "$ev" | grep -q 'clock_stepped,,station,.*""step"":3600'; then
	t_ok
else
	t_fail "" "$ev"
fi

t_begin "a source's town is recorded, composed, on the load, the remembered source and the receipt"
d=$(tmpdir)
station "$d" source_town
"$HG" --config "$d/station.ini" simulate --script "$SCN/source_town.scn" >/dev/null 2>&1
towns=$(sqlite3 "$d/haulgate.db" "SELECT load_no || ':' || town FROM load_sources ORDER BY load_no")
known=$(sqlite3 "$d/haulgate.db" "SELECT name || ':' || town FROM sources WHERE name = 'Ortiz residence'")
if [ "$towns" = "$(printf '1:Kansas City\n2:Kansas City\n3:Independence\n4:PE\xc3\x91ASCO\n5:64124-1234\n6:64124-1234')" ] &&
   [ "$known" = "Ortiz residence:64124-1234" ] &&
   grep -q '^  Town/ZIP: Independence$' "$d/var/receipts/load-000003-receipt.txt" &&
   grep -q "^  Town or ZIP code: PE$(printf '\xc3\x91')ASCO$" <(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no = 4")
then t_ok; else t_fail "" "$towns / $known"; fi

t_begin "a source's type of industry: the list's stable value in either language, other as typed, remembered sources keep theirs"
# source_industry.scn: a button (car wash) and one typed (brewery), then
# both from the remembered list; source_industry_es.scn: in Spanish, a
# button (restaurant), a Spanish label typed (car wash), one typed
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/source_industry.scn" >/dev/null 2>&1
"$HG" --config "$d/station.ini" simulate --script "$SCN/source_industry_es.scn" >/dev/null 2>&1
ind=$(sqlite3 -separator '|' "$d/haulgate.db" "SELECT group_concat(industry, ';') FROM (SELECT load_no, industry FROM load_sources ORDER BY load_no, idx) GROUP BY load_no")
known=$(sqlite3 -separator '|' "$d/haulgate.db" "SELECT name || '/' || industry FROM sources ORDER BY name")
rec3=$(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no = 3")
if [ "$ind" = "car wash;brewery
brewery;car wash
restaurant;car wash;Cervecería" ] &&
   [ "$known" = "Cervecería Norte/Cervecería
Hop House/brewery
Lavado Rápido/car wash
Suds Car Wash/car wash
Taquería El Sol/restaurant" ] &&
   grep -qx '  Tipo de industria: restaurant' <<<"$rec3" && grep -qx '  Tipo de industria: car wash' <<<"$rec3"
then t_ok; else t_fail "" "$ind / $known / $rec3"; fi

t_begin "same as last time: truck, waste, sources and details from the last load, gallons fresh, RCRA answered, signed by the holder"
# repeat_last.scn: load 2 repeats load 1 (two sources); load 3 repeats load 2
# and is changed from the review (truck, waste type, characteristics) and
# signed by another name
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/repeat_last.scn" >/dev/null 2>&1
rows=$(sqlite3 -separator '|' "$d/haulgate.db" "SELECT load_no, card_id, truck, waste, gallons, characteristics, constituents, rcra, signer, verdict FROM loads ORDER BY load_no")
srcs=$(sqlite3 -separator '|' "$d/haulgate.db" "SELECT group_concat(name || '/' || town, ';') FROM (SELECT load_no, name, town FROM load_sources ORDER BY load_no, idx) GROUP BY load_no")
rec2=$(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no = 2")
ev=$("$HG" --config "$d/station.ini" events --csv)
if [ "$rows" = "1|1|ACME-12|septage|2500|Residential septage, normal odour|none|no|Dana Ruiz|sample-hold
2|1|ACME-12|septage|1800|Residential septage, normal odour|none|no|Dana Ruiz|accepted
3|1|ACME-07|portable|900|Portable toilets from the fair|none|no|Sam Carter|accepted" ] &&
   [ "$srcs" = "Miller residence/Springfield;Lopez residence/Springfield
Miller residence/Springfield;Lopez residence/Springfield
Miller residence/Springfield;Lopez residence/Springfield" ] &&
   grep -qx 'RCRA hazardous waste: No' <<<"$rec2" && grep -qx 'Signed by: Dana Ruiz' <<<"$rec2" &&
   grep -qx 'RCRA hazardous: No' "$d/var/receipts/load-000002-receipt.txt" &&
   grep -qx 'Certified by: Dana Ruiz' "$d/var/receipts/load-000002-receipt.txt" &&
   grep -q 'form_repeated,,card:04a1b2c3,.*""from_load"":1}' <<<"$ev" && grep -q 'form_repeated,,card:04a1b2c3,.*""from_load"":2}' <<<"$ev"
then t_ok; else t_fail "" "$rows / $srcs / $(grep form_repeated <<<"$ev")"; fi

t_begin "same as last time is not offered without an accepted load: none, refused, or held without a bottle"
# repeat_last_none.scn presses it and expects input_choice; nothing is logged as repeated
d=$(tmpdir)
station "$d"
"$HG" --config "$d/station.ini" simulate --script "$SCN/repeat_last_none.scn" >/dev/null 2>&1
if ! "$HG" --config "$d/station.ini" events --csv | grep -q form_repeated; then t_ok; else t_fail; fi

t_begin "offline 31 days: the grease load's decision event and refusal slip say offline_waste; septage and, at 8 days, grease accepted"
d=$(tmpdir)
station "$d" offline_waste
"$HG" --config "$d/station.ini" simulate --script "$SCN/offline_waste.scn" >/dev/null 2>&1
ev=$("$HG" --config "$d/station.ini" events --csv)
if printf '%s\n' "$ev" | grep -q '^[0-9]*,2026-11-23 09:00,decision,1,.*""refuse"":\[""offline_waste""\]' &&
   printf '%s\n' "$ev" | grep -q ',decision,2,.*""verdict"":""accepted""' &&
   printf '%s\n' "$ev" | grep -q ',decision,3,.*""verdict"":""accepted""' &&
   tr '\n' ' ' < "$d/var/receipts/load-000001-refusal.txt" | tr -s ' ' |
	grep -q 'for 30 days: until it does, it accepts only septic tank waste and portable toilet waste. (offline_waste)' &&
   [ "$(sqlite3 "$d/haulgate.db" "SELECT refuse_reasons FROM loads WHERE load_no = 1")" = offline_waste ]
then t_ok; else t_fail "" "$ev"; fi

t_begin "synced takes -<duration>, an ISO time or never; anything else exits 2 and names its line"
printf 'clock 2026-11-23T09:00:00\nsynced never\nsynced 2026-10-01T08:00:00\nsynced -8d\n' > "$d/s.scn"
printf 'clock 2026-11-23T09:00:00\nsynced yesterday\n' > "$d/t.scn"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/s.scn" &&
   expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/t.scn" &&
   grep -q "line 2: synced takes" <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

# ---- the runner itself fails when it should ----
t_begin "a failed expect exits 1 and names its line"
d=$(tmpdir)
station "$d"
printf 'clock 2026-11-23T09:00:00\ncard 04a1b2c3\nexpect screen truck\n' > "$d/x.scn"
if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$d/x.scn" &&
   printf '%s' "$ERR" | grep -q 'line 3: expected screen truck, got pin'; then t_ok; else t_fail "" "$ERR"; fi

t_begin "an unknown command exits 2 and names its line"
printf 'clock 2026-11-23T09:00:00\nfly away\n' > "$d/y.scn"
if expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/y.scn" &&
   printf '%s' "$ERR" | grep -q 'line 2'; then t_ok; else t_fail "" "$ERR"; fi

t_begin "a malformed card UID in a scenario is refused, not tapped"
printf 'card 04a1b2\n' > "$d/z.scn"
if expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/z.scn" &&
   printf '%s' "$ERR" | grep -q 'not a card UID'; then t_ok; else t_fail "" "$ERR"; fi

t_begin "fault meter without the simulated meter exits 2 and names its line"
printf 'clock 2026-11-23T09:00:00\nfault meter\n' > "$d/fm.scn"
printf 'clock 2026-11-23T09:00:00\nfault meter-forever 3\n' > "$d/fmf.scn"
if expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/fm.scn" &&
   grep -q 'line 2: fault meter needs the simulated meter' <<<"$ERR" &&
   expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/fmf.scn" &&
   grep -q 'line 2: fault meter needs the simulated meter' <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

t_begin "a missing scenario file exits 2"
if expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/none.scn"; then t_ok; else t_fail; fi

# ---- typos and edges of the script itself are syntax errors (exit 2) ----
t_begin "an unknown button or field exits 2 and names its line; a known family's bad member is the station's"
printf 'clock 2026-11-23T09:00:00\npress nosuch\n' > "$d/b.scn"
printf 'clock 2026-11-23T09:00:00\npress rv\nfield nosuch x\n' > "$d/f.scn"
printf 'clock 2026-11-23T09:00:00\npress focus_nosuch\n' > "$d/g.scn"
printf 'clock 2026-11-23T09:00:00\ncard 04a1b2c3\ntype 1234\npress ok\npress truck_9\nexpect message input_choice\n' > "$d/h.scn"
if expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/b.scn" &&
   grep -q "line 2: no button 'nosuch'" <<<"$ERR" &&
   expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/f.scn" &&
   grep -q "line 3: no field 'nosuch'" <<<"$ERR" &&
   expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/g.scn" &&
   grep -q "line 2: no button 'focus_nosuch'" <<<"$ERR" &&
   expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/h.scn"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a UTF-8 byte-order mark at the start of a scenario is skipped"
printf '\xef\xbb\xbfclock 2026-11-23T09:00:00\nexpect screen start\n' > "$d/bom.scn"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/bom.scn"; then t_ok; else t_fail "" "$ERR"; fi

# longline N WORD: a `field WORD xxx…` line of exactly N bytes, no line end
longline() {
	local head="field $2 "
	printf '%s' "$head"
	head -c $(($1 - ${#head})) /dev/zero | tr '\0' x
}

t_begin "a last line of exactly 8,191 bytes runs (with LF, CRLF or no line end); 8,192 is refused"
ok=1
for end in '\n' '\r\n' ''; do
	{ printf 'clock 2026-11-23T09:00:00\npress rv\n'; longline 8191 rv_name; printf "$end"; } > "$d/long.scn"
	if [ "$(head -3 "$d/long.scn" | tail -1 | tr -d '\r\n' | wc -c)" != 8191 ] ||
	   ! expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/long.scn" ||
	   ! grep -q '"line":3,.*"reason":"input_too_long"' <<<"$OUT"; then
		ok=0
		echo "# line end '$end': $ERR"
	fi
done
{ printf 'clock 2026-11-23T09:00:00\npress rv\n'; longline 8192 rv_name; printf '\n'; } > "$d/long.scn"
if ! expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/long.scn" ||
   ! grep -q 'line 3: longer than 8191 bytes' <<<"$ERR"; then
	ok=0
	echo "# 8192: $ERR"
fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "a clock before 1970 or after 9999 (UTC) is a syntax error; the ends themselves run"
ok=1
for t in 1969-12-31T23:59:59Z 1900-01-01T00:00:00 9999-12-31T23:59:59-07:00 10000-01-01T00:00:00Z; do
	printf 'clock %s\n' "$t" > "$d/c.scn"
	if ! expect_exit 2 "$HG" --config "$d/station.ini" simulate --script "$d/c.scn" ||
	   ! grep -q "line 1: '$t' is not an ISO time from 1970 to 9999" <<<"$ERR"; then
		ok=0
		echo "# clock $t: $ERR"
	fi
done
for t in 1970-01-01T00:00:00Z 9999-12-31T23:59:59Z; do
	printf 'clock %s\nexpect screen start\n' "$t" > "$d/c.scn"
	expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/c.scn" || ok=0
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_end
