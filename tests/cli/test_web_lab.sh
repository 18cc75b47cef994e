#!/bin/bash
# test_web_lab.sh: the plant's lab pages and fees (potw/page_samples.c,
# page_nov.c, page_limits.c, page_fees.c; the store: store_lab.c,
# store_fees.c) on real data: two stations (one with a flow meter) play
# scenarios that sample loads, a source typed with <script> and quotes,
# and send their logs with `haulgate sync now` to build/asan/haulgate-potw
# serving on loopback TLS; then, through curl: the sampling worklist; a
# result within its limits marks nothing; a pH of 4.2 marks the load, its
# hauler and its source and drafts a Notice of Violation naming them, the
# result, the limit and section 2.1; bad values refused with their words
# (English and Spanish), what was typed kept and nothing stored; an
# auditor's form and a form without its token refused with 403 and nothing
# changed; the notice issued; a limit changed; the fees set and a hauler's
# statement whose lines and totals are recomputed here from `haulgate-potw
# loads --json`, its CSV parsed back by python3's csv; the CLI's lab,
# violations and fees commands; the staff log holding every change with
# who made it, its chain checked; a version-5 database brought to 6.
# POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/web_lib.sh
. "$(dirname "$0")/web_lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"

SCN="$HG_ROOT/tests/scenarios"
PY=/usr/bin/python3
export TZ=America/Denver	# the stations' [station] timezone
for c in openssl curl sqlite3 "$PY"; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
[ -x "$HG" ] || {
	echo "not ok - no $HG: make $HG"
	exit 1
}

d=$(tmpdir)
db() { sqlite3 "$d/P/var/potw.db" "$1"; }
# a source's name as a hauler could type it at the kiosk
EVIL='<script>alert("x")</script> O'"'"'Brien "Septic"'
EVIL_SCN='<script>alert(\\"x\\")</script> O'"'"'Brien \\"Septic\\"'  # for sed: \\" writes \"

# station DIR ID INI [TRUCK]: a station with the demo roster (and a third
# truck of hauler 1 named TRUCK), registered here
station() {
	mkdir -p "$1"
	sed "s/^id = .*/id = $2/" "$3" >"$1/station.ini"
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
	[ -z "${4:-}" ] || "$HG" --config "$1/station.ini" truck add --hauler 1 --ident "$4" \
		--capacity 3000 >/dev/null
	station_join "$1/station.ini"
	"$HG" --config "$1/station.ini" keys --public-pem >"$1/station.pem"
	pw station add --id "$2" --name "Gate $2" --key-pem "$1/station.pem" >/dev/null 2>&1
}

t_begin "two stations sample loads (a source typed with <script>, a metered load) and sync them"
plant_make "$d/P"
printf '[web]\nstatic = %s\n' "$HG_ROOT/assets/web" >>"$d/P/potw.ini"
plant_serve
U="https://127.0.0.1:$PORT"
station "$d/A" st-01 "$SCN/station.ini"
# a truck whose name a spreadsheet would run as a formula, on the metered load
station "$d/B" mt-02 "$SCN/meter_match.ini" '=cmd|" /C calc"!A0'
sed "s|^type \"Miller residence\"|type \"$EVIL_SCN\"|" "$SCN/hauler_first_load.scn" >"$d/first.scn"
sed 's/^type B-0001/type M-0101/; 0,/^press truck_1/s//press truck_3/' "$SCN/meter_match.scn" >"$d/meter.scn"
"$HG" --config "$d/A/station.ini" simulate --script "$d/first.scn" >"$d/simA" 2>&1 &&
	"$HG" --config "$d/A/station.ini" simulate --script "$SCN/operator.scn" >>"$d/simA" 2>&1 &&
	"$HG" --config "$d/B/station.ini" simulate --script "$d/meter.scn" >"$d/simB" 2>&1
sim=$?
if [ -n "$PORT" ] && [ "$sim" = 0 ] &&
   expect_exit 0 "$HG" --config "$d/A/station.ini" sync now &&
   expect_exit 0 "$HG" --config "$d/B/station.ini" sync now &&
   [ "$(db "SELECT count(*) FROM rec_loads WHERE sampled = 1")" = 3 ] &&
   [ "$(db "SELECT name FROM rec_load_sources WHERE station_id = 'st-01' AND load_no = 1")" = "$EVIL" ] &&
   [ "$(db "SELECT gallons_measured > 0 FROM rec_loads WHERE station_id = 'mt-02' AND load_no = 1")" = 1 ]
then t_ok; else t_fail "" "port '$PORT' sim $sim $OUT $ERR $(tail -n 5 "$d/simA" "$d/simB")"; fi

t_begin "accounts: a coordinator and an auditor"
if printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null
then t_ok; else t_fail; fi
C="$d/jar.c" A="$d/jar.a"
signin "$C" cora "$PASSWORD"
signin "$A" aud "$PASSWORD"

# counts of the plant's own lab records: results, notices, violations, staff log
counts() { db "SELECT (SELECT count(*) FROM lab_results) || ' ' || (SELECT count(*) FROM novs)
	|| ' ' || (SELECT count(*) FROM violations) || ' ' || (SELECT count(*) FROM staff_log)
	|| ' ' || (SELECT count(*) FROM lab_params) || ' ' || (SELECT count(*) FROM fee_schedule)"; }

t_begin "the worklist: every sampled load, none with a result yet, linked to its page"
req "$A" "$U/samples"
if [ "$CODE" = 200 ] && grep -q 'href="/samples/st-01/1"' <<<"$BODY" &&
   grep -q 'href="/samples/st-01/3"' <<<"$BODY" && grep -q 'href="/samples/mt-02/1"' <<<"$BODY" &&
   [ "$(grep -c 'Waiting for a result' <<<"$BODY")" = 3 ]
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "a bottle's id opens its load's page; the page shows the load, its source's name as text to a coordinator, withheld from an auditor"
req "$C" "$U/samples/st-01/1"
coord=$BODY
req "$A" "$U/samples/B-0001"
loc=$(hdr Location)
req "$A" "$U/samples/st-01/1"
if [ "$loc" = "Location: /samples/st-01/1" ] && [ "$CODE" = 200 ] &&
   grep -q 'Acme Septic Service' <<<"$BODY" && grep -q '<dd>B-0001</dd>' <<<"$BODY" &&
   grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &quot;Septic&quot;' <<<"$coord" &&
   ! grep -q '<script' <<<"$coord" && ! grep -q 'O&#39;Brien' <<<"$BODY" &&
   grep -q '<span class="withheld">confidential</span>' <<<"$BODY" &&
   ! grep -q '<script' <<<"$BODY" && grep -q 'href="/loads/st-01/1"' <<<"$BODY" &&
   grep -q 'A coordinator enters the lab results.' <<<"$BODY" && ! grep -q 'name="value"' <<<"$BODY"
then t_ok; else t_fail "" "$loc $CODE $BODY"; fi

t_begin "a load not sampled, or no such load, is 404"
req "$A" "$U/samples/st-01/2"
c1=$CODE
req "$A" "$U/samples/st-01/99"
if [ "$c1" = 404 ] && [ "$CODE" = 404 ]; then t_ok; else t_fail "" "$c1 $CODE"; fi

# post JAR PATH FIELDS...: the form posted with the jar's token (from GET PATH)
post() {
	local jar=$1 path=$2 tok
	shift 2
	req "$jar" "$U$path"
	tok=$(csrf_of)
	req "$jar" --data-urlencode "csrf=$tok" "$@" "$U$path"
}
result() {	# JAR LOAD PARAM VALUE UNIT DATE [extra curl args]
	local jar=$1 load=$2 p=$3 v=$4 u=$5 day=$6
	shift 6
	post "$jar" "/samples/$load" --data-urlencode "param=$p" --data-urlencode "value=$v" \
		--data-urlencode "unit=$u" --data-urlencode "method=EPA 9040C" \
		--data-urlencode "lab=Rio <Lab> \"North\"" --data-urlencode "analysed=$day" "$@"
}

t_begin "a result within its limits (BOD, no limit) is kept and marks nothing"
before=$(counts)
result "$C" st-01/1 BOD 350 mg/l 2026-11-24
loc=$(hdr Location)
req "$C" "$U${loc#Location: }"
if [ "$loc" = "Location: /samples/st-01/1?added=1" ] &&
   grep -q 'Result entered: within its limits.' <<<"$BODY" &&
   [ "$(db "SELECT param, value_u, unit, exceeds, nov_id IS NULL, entered_by FROM lab_results")" = "BOD|350000000|mg/L|0|1|cora" ] &&
   [ "$(db "SELECT count(*) FROM violations") $(db "SELECT count(*) FROM novs")" = "0 0" ] &&
   grep -qF 'Rio &lt;Lab&gt; &quot;North&quot;' <<<"$BODY"
then t_ok; else t_fail "" "before $before after $(counts) $loc $BODY"; fi

t_begin "pH exactly at section 2.1's minimum (5.0) is within"
result "$C" st-01/1 pH 5.0 SU 2026-11-24
if [ "$(hdr Location)" = "Location: /samples/st-01/1?added=1" ] &&
   [ "$(db "SELECT count(*) FROM violations")" = 0 ]
then t_ok; else t_fail "" "$(hdr Location) $(counts)"; fi

# refused JAR LOAD PARAM VALUE UNIT DATE WORDS [lang]: 422, the words, the
# typed values kept, nothing stored
refused() {
	local before after
	before=$(counts)
	result "$1" "$2${8:+?lang=$8}" "$3" "$4" "$5" "$6"
	after=$(counts)
	[ "$CODE" = 422 ] && grep -qF "$7" <<<"$BODY" && [ "$before" = "$after" ] &&
		grep -qF "value=\"$(sed 's/&/\&amp;/g; s/"/\&quot;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$4")\"" <<<"$BODY" &&
		grep -qF 'value="Rio &lt;Lab&gt; &quot;North&quot;"' <<<"$BODY" &&
		grep -q 'aria-invalid="true"' <<<"$BODY" ||
		{ echo "# $2 $3 '$4' $5 $6: $CODE $before/$after"; grep -o '<p class="msg"[^<]*' <<<"$BODY" | sed 's/^/# /'; return 1; }
}

t_begin "bad values refused with their words, what was typed kept, nothing stored"
out=$(refused "$C" st-01/1 pH abc SU 2026-11-24 "Write a number, such as 4.2." &&
      refused "$C" st-01/1 pH 4,2 SU 2026-11-24 "Write decimals with a point" &&
      refused "$C" st-01/1 pH 4.2 mg/L 2026-11-24 "The unit does not match the parameter" &&
      refused "$C" st-01/1 pH 4.2 SU 2099-01-01 "The date analysed cannot be in the future." &&
      refused "$C" st-01/1 pH 4.2 SU 2026-11-01 "cannot be before the sample was taken" &&
      refused "$C" st-01/1 pH 4.2 SU 24/11/2026 "Write the date as YYYY-MM-DD." &&
      refused "$C" st-01/1 Unobtainium 4.2 SU 2026-11-24 "Choose a parameter the plant has defined" &&
      refused "$C" st-01/1 pH '<script>' SU 2026-11-24 "Write a number")
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi

t_begin "the same refusal in Spanish"
out=$(refused "$C" st-01/1 pH abc SU 2026-11-24 "Escriba un número, como 4.2." es)
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi
req "$C" "$U/samples?lang=en"	# the language is kept in a cookie: English again

t_begin "an auditor's result and a form without its token: 403, nothing changed"
before=$(counts)
result "$A" st-01/1 pH 4.2 SU 2026-11-25
c1=$CODE
tok=$(sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' <<<"$(curl -sS --insecure -b "$C" "$U/samples/st-01/1")" | head -1)
req "$C" --data-urlencode "param=pH" --data-urlencode "value=4.2" --data-urlencode "unit=SU" \
	--data-urlencode "method=m" --data-urlencode "lab=l" --data-urlencode "analysed=2026-11-25" \
	"$U/samples/st-01/1"
c2=$CODE
req "$C" --data-urlencode "csrf=${tok}x" --data-urlencode "param=pH" --data-urlencode "value=4.2" \
	--data-urlencode "unit=SU" --data-urlencode "method=m" --data-urlencode "lab=l" \
	--data-urlencode "analysed=2026-11-25" "$U/samples/st-01/1"
c3=$CODE
if [ "$c1 $c2 $c3" = "403 403 403" ] && [ "$before" = "$(counts)" ] && [ -n "$tok" ]
then t_ok; else t_fail "" "$c1 $c2 $c3 $before $(counts)"; fi

t_begin "pH 4.2 marks the load, its hauler and its source, and drafts notice 1"
result "$C" st-01/1 pH 4.2 SU 2026-11-25
loc=$(hdr Location)
req "$C" "$U${loc#Location: }"
marks=$(db "SELECT subject || ':' || subject_id || ':' || name FROM violations ORDER BY id")
if [ "$loc" = "Location: /samples/st-01/1?nov=1" ] &&
   grep -q 'Notice of Violation 1 is drafted' <<<"$BODY" &&
   grep -q 'This load, its hauler and its sources are marked in violation.' <<<"$BODY" &&
   [ "$marks" = "load:1:load 1
hauler:1:Acme Septic Service
source:0:$EVIL, 12 Oak St, Springfield" ] &&
   [ "$(db "SELECT state, company, drafted_by FROM novs")" = "draft|Acme Septic Service|cora" ]
then t_ok; else t_fail "" "$loc $marks $(db 'SELECT * FROM novs')"; fi

t_begin "the notice names the hauler, the load, the result, the limit, section 2.1 and 8.1; the source as text (to a coordinator)"
req "$C" "$U/nov/1"
if [ "$CODE" = 200 ] && grep -q 'DRAFT: not yet issued' <<<"$BODY" &&
   grep -q 'Acme Septic Service' <<<"$BODY" && grep -q 'HW-2020-001' <<<"$BODY" &&
   grep -q 'href="/loads/st-01/1"' <<<"$BODY" && grep -q '<dd>B-0001</dd>' <<<"$BODY" &&
   grep -q '<th scope="row">pH</th><td class="num" data-label="Value">4.2</td>' <<<"$BODY" &&
   grep -q 'at least 5 SU' <<<"$BODY" && grep -q '>2.1.B.2<' <<<"$BODY" &&
   grep -q 'Ordinance sections: 2.1.B.2, 8.1.' <<<"$BODY" &&
   grep -q 'five (5) working days' <<<"$BODY" && ! grep -q '>BOD<' <<<"$BODY" &&
   grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;' <<<"$BODY" &&
   ! grep -q '<script' <<<"$BODY" && grep -q 'name="state"' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "an auditor reads the notice without its source's name (confidential) nor the state's form"
req "$A" "$U/nov/1"
if [ "$CODE" = 200 ] && grep -q 'Ordinance sections: 2.1.B.2, 8.1.' <<<"$BODY" &&
   ! grep -q 'O&#39;Brien' <<<"$BODY" && grep -q '<span class="withheld">' <<<"$BODY" &&
   ! grep -q 'name="state"' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "the notice in Spanish"
req "$A" "$U/nov/1?lang=es"
if [ "$CODE" = 200 ] && grep -q 'Aviso de infracción' <<<"$BODY" &&
   grep -q 'cinco (5) días hábiles' <<<"$BODY" && grep -q 'al menos 5 SU' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi
req "$A" "$U/samples?lang=en"

t_begin "the worklist: the load in violation, with its notice, after those waiting"
req "$A" "$U/samples"
if grep -q 'href="/nov/1">Violation: notice 1 (draft)' <<<"$BODY" &&
   [ "$(grep -o 'href="/samples/[^"]*"' <<<"$BODY" | tail -1)" = 'href="/samples/st-01/1"' ]
then t_ok; else t_fail "" "$BODY"; fi

t_begin "the notice issued by the coordinator (an auditor refused); a second exceedance drafts notice 2"
before=$(counts)
req "$A" "$U/nov/1"
tok=$(csrf_of)
req "$A" --data-urlencode "csrf=$tok" --data-urlencode "state=issued" "$U/nov/1"
c1=$CODE
same=$([ "$before" = "$(counts)" ] && echo yes)
post "$C" /nov/1 --data-urlencode "state=issued"
loc=$(hdr Location)
req "$A" "$U/nov/1"
issued=$(grep -c 'Issued .* by cora' <<<"$BODY")
result "$C" st-01/1 Temperature 45 °C 2026-11-25
if [ "$c1" = 403 ] && [ "$same" = yes ] && [ "$loc" = "Location: /nov/1?saved=1" ] &&
   [ "$issued" = 1 ] && ! grep -q DRAFT <<<"$BODY" &&
   [ "$(hdr Location)" = "Location: /samples/st-01/1?nov=2" ] &&
   [ "$(db "SELECT id || state FROM novs ORDER BY id")" = "1issued
2draft" ]
then t_ok; else t_fail "" "$c1 $same $loc $issued $(hdr Location) $(db 'SELECT * FROM novs')"; fi

t_begin "the load's page (an auditor's): its lab results with limit, section and verdict, its sample's page, its notices"
req "$A" "$U/loads/st-01/1?lang=en"
b1=$BODY
lab=$(sed -n '/<section aria-labelledby="h-sample"/,/<\/section>/p' <<<"$b1")
req "$A" "$U/loads/st-01/3?lang=en"
if [ "$CODE" = 200 ] &&
   grep -q '<th scope="row">pH</th><td class="num" data-label="Value">4.2</td>' <<<"$lab" &&
   grep -q '<th scope="row">pH</th><td class="num" data-label="Value">5</td>' <<<"$lab" &&
   grep -q '<th scope="row">BOD</th>' <<<"$lab" && grep -q '<th scope="row">Temperature</th>' <<<"$lab" &&
   grep -q 'at least 5 SU' <<<"$lab" && grep -q '>2.1.B.2<' <<<"$lab" &&
   grep -q '<td class="alarm" data-label="Verdict">below the minimum: violation</td>' <<<"$lab" &&
   [ "$(grep -c 'data-label="Verdict">within the limits<' <<<"$lab")" = 2 ] &&
   grep -q '<p id="sample-link"><a href="/samples/st-01/1">' <<<"$lab" &&
   grep -q '<a href="/nov/1">Violation: notice 1 (issued)</a>' <<<"$lab" &&
   grep -q '<a href="/nov/2">Violation: notice 2 (draft)</a>' <<<"$lab" &&
   ! grep -q 'id="lab"' <<<"$lab" && ! grep -q 'O&#39;Brien' <<<"$b1" &&
   grep -q '<p id="lab">No lab result is recorded for this load.</p>' <<<"$BODY" &&
   grep -q '<p id="sample-link"><a href="/samples/st-01/3">' <<<"$BODY" && ! grep -q 'href="/nov/' <<<"$BODY"
then t_ok; else t_fail "" "$lab $(sed -n '/<section aria-labelledby="h-sample"/,/<\/section>/p' <<<"$BODY")"; fi

t_begin "the load's page in Spanish: the results' words and the notices'"
req "$C" "$U/loads/st-01/1?lang=es"
if [ "$CODE" = 200 ] && grep -q 'data-label="Resultado"' <<<"$BODY" &&
   grep -q 'href="/nov/2">' <<<"$BODY" && grep -q 'La página de la muestra' <<<"$BODY"
then t_ok; else t_fail "" "$(sed -n '/<section aria-labelledby="h-sample"/,/<\/section>/p' <<<"$BODY")"; fi
req "$C" "$U/samples?lang=en"

t_begin "limits: a coordinator sets copper's maximum; min above max refused; the auditor refused"
post "$C" /limits --data-urlencode "name=Cu" --data-urlencode "unit=mg/L" \
	--data-urlencode "min=" --data-urlencode "max=2.5" --data-urlencode "section=2.3"
loc=$(hdr Location)
post "$C" /limits --data-urlencode "name=Cu" --data-urlencode "unit=mg/L" \
	--data-urlencode "min=3" --data-urlencode "max=2.5" --data-urlencode "section=2.3"
c2=$CODE
m2=$(grep -c 'The minimum is above the maximum.' <<<"$BODY")
post "$A" /limits --data-urlencode "name=Cu" --data-urlencode "unit=mg/L" \
	--data-urlencode "max=1" --data-urlencode "section=2.3"
c3=$CODE
if [ "$loc" = "Location: /limits?saved=Cu" ] && [ "$c2" = 422 ] && [ "$m2" = 1 ] && [ "$c3" = 403 ] &&
   [ "$(db "SELECT min_u IS NULL, max_u, changed_by FROM lab_params WHERE name = 'Cu'")" = "1|2500000|cora" ]
then t_ok; else t_fail "" "$loc $c2 $m2 $c3 $(db "SELECT * FROM lab_params WHERE name = 'Cu'")"; fi

t_begin "the CLI: lab params, lab limit set, lab result add (by bottle), violations"
if expect_exit 0 pw --csv lab params && grep -q '^pH,SU,5,,2.1.B.2,' <<<"$OUT" &&
   tr -d '\r' <<<"$OUT" | grep -q '^Cu,mg/L,,2.5,2.3,.*,cora$' &&
   expect_exit 0 pw lab limit set --param Benzene --unit mg/L --max 0.5 &&
   expect_exit 1 pw lab limit set --param Zn --min 2 --max 1 && grep -q 'The minimum is above the maximum' <<<"$ERR" &&
   expect_exit 0 pw lab result add --bottle M-0101 --param Cu --value 2.4 --unit mg/L \
	--method 'EPA 200.8' --lab State --analysed 2026-11-26 && grep -q 'within its limits' <<<"$OUT" &&
   expect_exit 1 pw lab result add --station mt-02 --load 1 --param Cu --value x --unit mg/L \
	--method m --lab l --analysed 2026-11-26 && grep -q 'Write a number' <<<"$ERR" &&
   expect_exit 1 pw lab result add --station st-01 --load 2 --param Cu --value 1 --unit mg/L \
	--method m --lab l --analysed 2026-11-26 && grep -q 'was not sampled' <<<"$ERR" &&
   expect_exit 0 pw --json violations &&
   "$PY" -c 'import json, sys
v = json.loads(sys.argv[1])
assert [(r["nov"], r["state"], r["param"], r["value"], r["limit"], r["section"]) for r in v] == \
    [(2, "draft", "Temperature", 45, "max 40", "2.1.B.5"), (1, "issued", "pH", 4.2, "min 5", "2.1.B.2")], v
assert all(r["company"] == "Acme Septic Service" and r["load_no"] == 1 and r["station"] == "st-01" for r in v)
assert v[0]["sources"].startswith("<script>alert"), v' "$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

# ---- fees ----
t_begin "fees: a coordinator sets septage and portable fees; a bad amount refused, nothing kept"
post "$C" /fees --data-urlencode "waste=septage" --data-urlencode "from=2026-11-01" \
	--data-urlencode "base=25" --data-urlencode "rate=0.065"
l1=$(hdr Location)
post "$C" /fees --data-urlencode "waste=portable" --data-urlencode "from=2026-11-01" \
	--data-urlencode "base=12.50" --data-urlencode "rate=0.0333"
l2=$(hdr Location)
before=$(counts)
post "$C" /fees --data-urlencode "waste=grease" --data-urlencode "from=2026-11-01" \
	--data-urlencode "base=12.505" --data-urlencode "rate=0.1"
c3=$CODE
m3=$(grep -c 'value="12.505"' <<<"$BODY")
post "$A" /fees --data-urlencode "waste=grease" --data-urlencode "from=2026-11-01" \
	--data-urlencode "base=1" --data-urlencode "rate=0.1"
c4=$CODE
if [ "$l1" = "Location: /fees?saved=septage&from=2026-11-01" ] && [ -n "$l2" ] &&
   [ "$c3" = 422 ] && [ "$m3" = 1 ] && [ "$c4" = 403 ] && [ "$before" = "$(counts)" ] &&
   [ "$(db "SELECT waste, base_cents, rate, changed_by FROM fee_schedule ORDER BY waste")" = "portable|1250|333|cora
septage|2500|650|cora" ]
then t_ok; else t_fail "" "$l1 $l2 $c3 $m3 $c4 $(db 'SELECT * FROM fee_schedule')"; fi

t_begin "the CLI's schedule: the same rows; a fee set from the command line"
if expect_exit 0 pw --csv fees schedule && grep -q '^septage,2026-11-01,25.00,0.0650,' <<<"$OUT" &&
   expect_exit 0 pw fees schedule set --waste grease --base 40 --rate 0.1 --from 2026-12-01 &&
   expect_exit 2 pw fees schedule set --waste sludge --base 1 --rate 1
then t_ok; else t_fail "" "$OUT $ERR"; fi

MONTH=2026-11
pw --json loads >"$d/loads.json"
curl -sS --insecure -b "$A" "$U/fees/statement.csv?hauler=1&month=$MONTH" -D "$d/csvh" >"$d/st.csv"
t_begin "the statement's CSV: each line and the totals recomputed from haulgate-potw loads --json; a formula kept text"
if "$PY" - "$d/loads.json" "$d/st.csv" "$MONTH" <<'EOF'
import csv, json, sys
loads = json.load(open(sys.argv[1]))
rows = list(csv.reader(open(sys.argv[2], newline="", encoding="utf-8")))
month = sys.argv[3]
fee = {"septage": (2500, 650), "portable": (1250, 333)}
head, lines, total = rows[0], rows[1:-1], rows[-1]
assert head == ["station", "load_no", "day", "waste", "truck", "declared", "measured", "billed",
                "basis", "base", "rate", "amount"], head
want = []
# the station's day is the local one of its decision (TZ is the stations')
for l in loads:
    day = l["decided"][:10]
    if l["hauler_id"] != 1 or not day.startswith(month) or not l["discharge_end"]:
        continue
    billed = l["measured"] if l["measured"] and l["measured"] > 0 else l["gallons"]
    base, rate = fee.get(l["waste"], (None, None))
    cents = base + (billed * rate + 50) // 100 if base is not None else None
    want.append((l["station"], str(l["load_no"]), l["waste"], str(billed),
                 "measured" if (l["measured"] or 0) > 0 else "declared",
                 "%d.%02d" % divmod(cents, 100) if cents is not None else ""))
got = [(r[0], r[1], r[3], r[7], r[8], r[11]) for r in lines]
assert sorted(got) == sorted(want), (got, want)
assert any(r[8] == "measured" for r in lines) and any(r[8] == "declared" for r in lines), lines
# the truck typed as a formula stays text behind a '
assert [r[4] for r in lines if r[0] == "mt-02" and r[1] == "1"] == ["'=cmd|\" /C calc\"!A0"], lines
cents = sum(int(r[11].replace(".", "")) for r in lines if r[11])
assert total[0] == "total" and total[1] == str(len(lines)), total
assert total[7] == str(sum(int(r[7]) for r in lines)), total
assert total[11] == "%d.%02d" % divmod(cents, 100), (total, cents)
print("# %d lines, %s gallons, $%s" % (len(lines), total[7], total[11]))
EOF
then
	grep -qi '^Content-Type: text/csv' "$d/csvh" &&
		grep -qi '^Content-Disposition: attachment; filename="statement-1-2026-11.csv"' "$d/csvh" &&
		grep -qi "^Content-Security-Policy: default-src 'none'" "$d/csvh" && t_ok ||
		t_fail "" "$(cat "$d/csvh")"
else t_fail "" "$(cat "$d/st.csv")"; fi

t_begin "the statement page: the same total, each line saying measured or declared; the CLI's the same rows"
req "$A" "$U/fees/statement?hauler=1&month=$MONTH"
total=$(tail -1 "$d/st.csv" | tr -d '\r' | cut -d, -f12)
if [ "$CODE" = 200 ] && grep -q "<h2>Acme Septic Service</h2>" <<<"$BODY" &&
   grep -q ">$total</td></tr></tfoot>" <<<"$BODY" &&
   grep -q 'measured (meter)' <<<"$BODY" && grep -q 'declared (no meter reading)' <<<"$BODY" &&
   grep -q 'href="/fees/statement.csv?hauler=1&amp;month=2026-11"' <<<"$BODY" &&
   expect_exit 0 pw --csv fees statement --hauler 1 --month "$MONTH" &&
   [ "$(tr -d '\r' <<<"$OUT")" = "$(tr -d '\r' <"$d/st.csv")" ]
then t_ok; else t_fail "" "$CODE total '$total' $OUT $(grep -o '<h2>[^<]*\|<tfoot>.*\|measured (meter)\|declared (no[^<]*' <<<"$BODY")"; fi

t_begin "a bad statement query is 400; one station's statement only its loads"
req "$A" "$U/fees/statement?hauler=x&month=2026-11"
c1=$CODE
req "$A" "$U/fees/statement.csv?hauler=1&month=2026-11&station=mt-02"
if [ "$c1" = 400 ] && [ "$CODE" = 200 ] && ! grep -q '^st-01' <<<"$BODY" && grep -q '^mt-02,' <<<"$BODY"
then t_ok; else t_fail "" "$c1 $CODE $BODY"; fi

t_begin "every new page in Spanish, with the security headers"
bad=""
for path in /samples? /samples/st-01/1? /nov/1? /limits? /fees? "/fees/statement?hauler=1&month=$MONTH&"; do
	req "$C" "${U}${path}lang=es"
	[ "$CODE" = 200 ] || bad="$bad $path:$CODE"
	grep -q '<html lang="es">' <<<"$BODY" || bad="$bad $path:lang"
	hdr Content-Security-Policy | grep -q "frame-ancestors 'none'" || bad="$bad $path:csp"
	grep -qi "<script\|<style\| style=" <<<"$BODY" && bad="$bad $path:inline"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "$bad"; fi
req "$C" "$U/samples?lang=en"

t_begin "the staff log holds every change with who made it, and its chain holds"
if expect_exit 0 pw --csv user log && grep -q 'staff log: .* chain checked' <<<"$ERR" &&
   [ "$(grep -c ',cora,lab.result,' <<<"$OUT")" = 4 ] &&
   grep -q ',cora,lab.result,st-01 load 1: pH 4.2 SU (min 5 max none (2.1.B.2)): below the minimum; NOV 1 drafted,' <<<"$OUT" &&
   grep -q ',cora,nov.state,NOV 1 (st-01 load 1): issued,' <<<"$OUT" &&
   grep -q ',cora,lab.limit,changed Cu mg/L' <<<"$OUT" &&
   [ "$(grep -c ',cora,fee.schedule,' <<<"$OUT")" = 2 ] &&
   grep -q ',cli:[^,]*,lab.result,mt-02 load 1: Cu 2.4' <<<"$OUT" &&
   grep -q ',cli:[^,]*,fee.schedule,"grease from 2026-12-01' <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "an edit of a lab result's log entry is found"
sqlite3 "$d/P/var/potw.db" ".backup '$d/edited.db'"	# the server holds it open: its WAL too
sqlite3 "$d/edited.db" "UPDATE staff_log SET detail = replace(detail, '4.2', '5.2') WHERE action = 'lab.result'"
sed 's|^db = .*|db = '"$d"'/edited.db|' "$d/P/potw.ini" >"$d/edited.ini"
if expect_exit 1 "$POTW" --config "$d/edited.ini" user log && grep -q 'staff log' <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

plant_stop
t_begin "serve stopped cleanly, no sanitizer report"
if ! grep -q "Sanitizer\|runtime error" "$d/P/serve.err"; then t_ok; else t_fail "" "$(tail -20 "$d/P/serve.err")"; fi

t_begin "a plant database of the version before the lab tables gets them on open, as a new one makes them"
cp "$d/P/var/potw.db" "$d/v5.db"
fresh=$(sqlite3 "$d/v5.db" "SELECT sql FROM sqlite_schema WHERE name IN ('lab_params', 'lab_results', 'novs', 'violations', 'fee_schedule') ORDER BY name")
now=$(sqlite3 "$d/v5.db" "PRAGMA user_version")
sqlite3 "$d/v5.db" "DROP TABLE violations; DROP TABLE lab_results; DROP TABLE novs;
	DROP TABLE lab_params; DROP TABLE fee_schedule; DROP TABLE holds; DROP TABLE load_days; DROP TRIGGER load_days_insert;
	DROP TRIGGER load_days_update; DROP TRIGGER load_days_delete; PRAGMA user_version = 7"
sed 's|^db = .*|db = '"$d"'/v5.db|' "$d/P/potw.ini" >"$d/v5.ini"
if expect_exit 0 "$POTW" --config "$d/v5.ini" --csv lab params &&
   tr -d '\r' <<<"$OUT" | grep -q '^pH,SU,5,,2.1.B.2,,ordinance$' &&
   [ "$(sqlite3 "$d/v5.db" "PRAGMA user_version")" = "$now" ] &&
   [ "$(sqlite3 "$d/v5.db" "SELECT sql FROM sqlite_schema WHERE name IN ('lab_params', 'lab_results', 'novs', 'violations', 'fee_schedule') ORDER BY name")" = "$fresh" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_end
