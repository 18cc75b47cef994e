#!/bin/bash
# test_web_receipt.sh: the receipt check (GET /r, potw/page_receipt.c) and
# the disputes (POST /r, /disputes, `haulgate-potw disputes`) against the
# real plant, build/asan/haulgate-potw under ASan+UBSan on loopback TLS
# (tests/cli/plant.sh), with real stations making real loads and signed
# receipts (`haulgate simulate`, their [station] verify_base the plant's
# /r) and sending their logs with `haulgate sync now`.
#
# A receipt of a synced, countersigned load: genuine, matches, held; one
# of a registered station that has not synced: genuine, not yet received,
# not yet held; its figures altered: not genuine; signed by a key the
# plant does not know (the same station id, or an unknown one): not
# genuine; the plant's record changed behind its back: does not match,
# naming the field only.  The page shows no field the receipt lacks, in
# English and Spanish (Accept-Language, ?lang= keeping the receipt).  A
# dispute raised (its text holding <script> and quotes shown as text),
# refused without its token (403, nothing kept), on a forged receipt (422),
# throttled per address (429); the worklist for the coordinator and the
# auditor; an answer by the auditor refused (403), one without the
# session's token refused (403), the coordinator's recorded (the record
# untouched: `verify` still finds the tables the log's), not twice (409);
# the CLI's listing; the staff log's chain; a version-5 database brought to
# the disputes' version.
# POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
shopt -u patsub_replacement 2>/dev/null	# "&" in ${x/a/b}'s b is a plain "&"

for c in openssl curl sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done

d=$(tmpdir)
SCN="$HG_ROOT/tests/scenarios"
PASSWORD="correct horse battery"
plant_make "$d/plant"
db() { sqlite3 "$PLANT/var/potw.db" "$1"; }
printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null 2>&1
printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null 2>&1
plant_serve
U="https://127.0.0.1:$PORT"

# station DIR ID [REGISTER]: a demo station whose receipts point at this
# plant's /r; registered (its key) unless REGISTER is "no"
station() {
	mkdir -p "$1"
	sed -e "s/^id = .*/id = $2/" -e "/^\[station\]/a verify_base = $U/r" \
		"$SCN/station.ini" >"$1/station.ini"
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
	station_join "$1/station.ini"
	"$HG" --config "$1/station.ini" keys --public-pem >"$1/station.pem"
	[ "${3:-yes}" = no ] ||
		pw station add --id "$2" --name "Gate $2" --key-pem "$1/station.pem" >/dev/null 2>&1
}
play() { "$HG" --config "$1/station.ini" simulate --script "$SCN/$2.scn" >/dev/null 2>&1; }
qr_of() { sed -n 's/^QR: //p' "$1/var/receipts/load-00000$2-receipt.txt" 2>/dev/null; }

# req JAR [curl args...]: headers in $d/h, body in $BODY, status in $CODE
req() {
	local jar=$1
	shift
	BODY=$(curl -sS --max-time 60 --insecure -c "$jar" -b "$jar" -D "$d/h" \
		-w '\n%{http_code}' "$@")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}
hdr() { grep -i "^$1:" "$d/h" | tr -d '\r'; }
cookie() { awk -v n="$2" '$6 == n { print $7 }' "$1"; }
csrf_of() { sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' <<<"$BODY" | tail -1; }
main_of() { sed -n '/<main/,/<\/main>/p' <<<"$BODY"; }
signin() {
	req "$1" "$U/signin"
	req "$1" --data-urlencode "csrf=$(cookie "$1" __Host-hg_signin)" \
		--data-urlencode "login=$2" --data-urlencode "password=$PASSWORD" "$U/signin"
}

A="$d/A" B="$d/B" C="$d/C" G="$d/G"
t_begin "stations make real loads and receipts pointing at the plant's /r; A syncs"
station "$A" test-01
station "$B" other-02
station "$C" test-01 no	# the same id as A, another key: never registered
station "$G" ghost-03 no
play "$A" hauler_first_load && play "$B" hauler_first_load && play "$C" hauler_first_load &&
	play "$G" hauler_first_load
ok=$?
QA=$(qr_of "$A" 2) QB=$(qr_of "$B" 2) QC=$(qr_of "$C" 2) QG=$(qr_of "$G" 2)
if [ -n "$PORT" ] && [ "$ok" = 0 ] && expect_exit 0 "$HG" --config "$A/station.ini" sync now &&
   [ "${QA%%\?*}" = "$U/r" ] && [ -n "$QB" ] && [ -n "$QC" ] && [ -n "$QG" ] &&
   [ "$(db "SELECT count(*) FROM rec_loads WHERE station_id = 'test-01'")" = 2 ] &&
   [ "$(db "SELECT count(*) FROM checkpoints WHERE station = 'test-01'")" -ge 1 ]
then t_ok; else t_fail "" "port=$PORT ok=$ok qa=$QA $OUT $ERR"; fi

t_begin "a synced, countersigned load's receipt: genuine, matches the record, held"
req "$d/j0" "$QA"
held_n=$(db "SELECT max(size) FROM checkpoints WHERE station = 'test-01'")
if [ "$CODE" = 200 ] && grep -q 'class="verdict ok">Genuine: signed by station test-01' <<<"$BODY" &&
   grep -q 'class="verdict ok">It matches the plant' <<<"$BODY" &&
   grep -q "class=\"verdict ok\">The plant holds this load in the station&#39;s log, countersigned by the plant (checkpoint of $held_n events" <<<"$BODY" &&
   ! grep -q 'verdict bad' <<<"$BODY" && ! grep -qi "<script\|<style\| style=\| on[a-z]*=" <<<"$BODY" &&
   hdr Content-Security-Policy | grep -q "frame-ancestors 'none'" &&
   grep -q '<meta name="viewport" content="width=device-width' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "the page shows the receipt's fields and no field the receipt lacks"
m=$(main_of)
g=$(sed -n 's/.*[?&]g=\([0-9]*\).*/\1/p' <<<"$QA") p=$(sed -n 's/.*[?&]p=\([^&]*\).*/\1/p' <<<"$QA")
bad=""
for want in "<dd>test-01</dd>" "<dd>2</dd>" "<dd>$g</dd>" "<dd>$p</dd>" "<dt>Waste type</dt>" "UTC</dd>"; do
	grep -qF "$want" <<<"$m" || bad="$bad missing:$want"
done
# what the plant holds of the load but the receipt does not show
for lacks in "Acme" "Dana" "Ruiz" "Miller" "Oak St" "Springfield" "residential" "Truck" \
	"04a1b2c3" "gallons_measured" "Gate test-01" "bottle" "Bottle" "sample"; do
	grep -qF "$lacks" <<<"$m" && bad="$bad shows:$lacks"
done
if [ "$(grep -c '<dt>' <<<"$m")" = 6 ] && [ -z "$bad" ]; then t_ok; else t_fail "" "$bad $m"; fi

t_begin "a registered station's receipt before it synced: genuine, not yet received, not yet held"
req "$d/j0" "$QB"
if [ "$CODE" = 200 ] && grep -q 'verdict ok">Genuine: signed by station other-02' <<<"$BODY" &&
   grep -q 'verdict wait">The plant has not yet received this load' <<<"$BODY" &&
   grep -q 'verdict wait">The plant does not yet hold this load in a countersigned checkpoint' <<<"$BODY" &&
   ! grep -q 'verdict bad' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "a receipt with its gallons altered: not genuine, nothing of it shown"
req "$d/j0" "${QA/&g=$g&/&g=${g}0&}"
if [ "$CODE" = 200 ] && grep -q 'verdict bad">NOT GENUINE. This receipt was altered' <<<"$BODY" &&
   ! grep -q 'verdict ok\|<dd>\|name="what"' <<<"$BODY" && [ "${QA/&g=$g&/&g=${g}0&}" != "$QA" ]
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "its permit altered, its load number altered: not genuine"
q1=${QA/&p=$p&/&p=${p}X&} q2=${QA/&n=2&/&n=1&}
req "$d/j0" "$q1"
b1=$BODY
req "$d/j0" "$q2"
if grep -q 'verdict bad">NOT GENUINE' <<<"$b1" && grep -q 'verdict bad">NOT GENUINE' <<<"$BODY" &&
   [ "$q1" != "$QA" ] && [ "$q2" != "$QA" ]
then t_ok; else t_fail "" "$b1 $BODY"; fi

t_begin "signed by a key the plant does not know (station test-01's id; an unknown id): not genuine"
req "$d/j0" "$QC"
b1=$BODY c1=$CODE
req "$d/j0" "$QG"
if [ "$c1" = 200 ] && grep -q 'verdict bad">NOT GENUINE' <<<"$b1" &&
   grep -q 'verdict bad">NOT GENUINE' <<<"$BODY" && ! grep -q '<dd>' <<<"$b1$BODY" &&
   grep -q "receipt check from 127.0.0.1: not genuine" "$PLANT/serve.err"
then t_ok; else t_fail "" "$b1 $BODY"; fi

t_begin "a link that is no receipt: 400, said; /r alone says how to use it"
req "$d/j0" "$U/r?v=1&st=test-01&n=2"
c1=$CODE b1=$BODY
req "$d/j0" "$U/r"
if [ "$c1" = 400 ] && grep -q "verdict bad\">This is not a receipt of this plant" <<<"$b1" &&
   [ "$CODE" = 200 ] && grep -q "Scan the QR code" <<<"$BODY"
then t_ok; else t_fail "" "$c1 $b1 $CODE"; fi

t_begin "the plant's record changed behind its back: genuine, does not match, only the field named"
db "UPDATE rec_loads SET gallons = gallons + 7 WHERE station_id = 'test-01' AND load_no = 2"
req "$d/j0" "$QA"
db "UPDATE rec_loads SET gallons = gallons - 7 WHERE station_id = 'test-01' AND load_no = 2"
if grep -q 'verdict ok">Genuine' <<<"$BODY" &&
   grep -q 'verdict bad">It does NOT match the plant&#39;s record of this load: the Gallons differs' <<<"$BODY" &&
   ! grep -qF "$((g + 7))" <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "in Spanish: Accept-Language; ?lang=es first, the receipt kept, still genuine"
req "$d/j1" -H "Accept-Language: es-MX,es;q=0.9" "$QA"
b1=$BODY
req "$d/j2" "$U/r?lang=es&${QG#*\?}"
b2=$BODY
esc=${QA#*\?}
esc=${esc//&/&amp;}
if grep -q '<html lang="es">' <<<"$b1" && grep -q 'verdict ok">Auténtico: firmado por la estación test-01' <<<"$b1" &&
   grep -q "<dt>Galones</dt>" <<<"$b1" && grep -qF "href=\"/r?lang=en&amp;$esc\"" <<<"$b1" &&
   grep -q 'verdict bad">NO ES AUTÉNTICO' <<<"$b2" && grep -q '<html lang="es">' <<<"$b2"
then t_ok; else t_fail "" "$b1 $b2"; fi

# ---- disputes ----
WHAT='<script>alert("x")</script> I brought 2500 "gallons", not O'"'"'Neil & co'
t_begin "a dispute on a genuine receipt: its form's token is a cookie; recorded beside the record"
req "$d/jh" "$QA"
tok=$(csrf_of)
act=$(sed -n 's|.*<form method="post" action="\([^"]*\)".*|\1|p' <<<"$BODY" | sed 's/&amp;/\&/g')
loads0=$(db "SELECT * FROM rec_loads WHERE station_id = 'test-01' ORDER BY load_no")
l0=$(db 'SELECT count(*) FROM staff_log')
c0=$CODE ck=$(hdr Set-Cookie)
# the textarea's second line sent as a browser does (CRLF), kept as LF
WHAT2="$WHAT"$'\n''Ticket 4471 says 2500.'
req "$d/jh" --data-urlencode "csrf=$tok" --data-urlencode "what=$WHAT"$'\r\n''Ticket 4471 says 2500.' \
	--data-urlencode "contact=555-0100 / ana@example.org" "$U$act"
if [ "$c0" = 200 ] && grep -q "__Host-hg_dispute=$tok; Path=/; Secure; HttpOnly; SameSite=Strict" <<<"$ck" &&
   [ "$act" = "/r?${QA#*\?}" ] && [ "$CODE" = 200 ] &&
   grep -q 'role="status">Your dispute is recorded as number 1' <<<"$BODY" &&
   [ "$(db "SELECT station || ' ' || load_no || ' ' || outcome FROM disputes")" = "test-01 2 open" ] &&
   [ "$(db "SELECT what FROM disputes WHERE id = 1")" = "$WHAT2" ] &&
   [ "$(db "SELECT receipt FROM disputes WHERE id = 1")" = "$QA" ] &&
   [ "$(db "SELECT actor || '|' || action FROM staff_log ORDER BY seq DESC LIMIT 1")" = "public via /r|dispute.raise" ] &&
   [ "$(db 'SELECT count(*) FROM staff_log')" = $((l0 + 1)) ] &&
   [ "$(db "SELECT * FROM rec_loads WHERE station_id = 'test-01' ORDER BY load_no")" = "$loads0" ]
then t_ok; else t_fail "" "$c0 $ck $act $CODE $BODY"; fi

t_begin "a dispute posted without its token, or without its cookie, is refused (403), nothing kept"
n0=$(db 'SELECT count(*) FROM disputes') l0=$(db 'SELECT count(*) FROM staff_log')
req "$d/jh" "$QA"
tok=$(csrf_of)
req "$d/jh" --data-urlencode "what=wrong" --data-urlencode "contact=x" "$U$act"
c1=$CODE
req "$d/jnone" --data-urlencode "csrf=$tok" --data-urlencode "what=wrong" --data-urlencode "contact=x" "$U$act"
if [ "$c1" = 403 ] && [ "$CODE" = 403 ] && [ "$(db 'SELECT count(*) FROM disputes')" = "$n0" ] &&
   [ "$(db 'SELECT count(*) FROM staff_log')" = "$l0" ]
then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "a dispute on a forged receipt is refused (422); an empty one is refused (422)"
req "$d/jh" "$QA"
tok=$(csrf_of)
qf=${QA/&g=$g&/&g=${g}0&}
req "$d/jh" --data-urlencode "csrf=$tok" --data-urlencode "what=wrong" --data-urlencode "contact=x" \
	"$U/r?${qf#*\?}"
c1=$CODE b1=$BODY
req "$d/jh" --data-urlencode "csrf=$tok" --data-urlencode "what=   " --data-urlencode "contact=x" "$U$act"
if [ "$c1" = 422 ] && grep -q "Only a genuine receipt can be disputed" <<<"$b1" && [ "$CODE" = 422 ] &&
   grep -q "Say what is wrong" <<<"$BODY" && [ "$(db 'SELECT count(*) FROM disputes')" = "$n0" ]
then t_ok; else t_fail "" "$c1 $CODE $BODY"; fi

t_begin "the worklist: the coordinator and the auditor read it, the hauler's text as text"
signin "$d/jc" cora
req "$d/jc" "$U/disputes"
bc=$BODY cc=$CODE
ctok=$(csrf_of)
signin "$d/ju" aud
req "$d/ju" "$U/disputes"
utok=$(csrf_of)
req "$d/j0" "$U/disputes"
if [ "$cc" = 200 ] && grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; I brought 2500 &quot;gallons&quot;, not O&#39;Neil &amp; co' <<<"$bc" &&
   ! grep -q '<script' <<<"$bc" && grep -q 'action="/disputes/1"' <<<"$bc" &&
   grep -q '555-0100 / ana@example.org' <<<"$bc" && grep -q 'href="/disputes"' <<<"$bc" &&
   grep -qF '&lt;script&gt;' <<<"$(sed -n '/<main/,$p' <<<"$(curl -sS --insecure -b "$d/ju" "$U/disputes")")" &&
   ! grep -q 'action="/disputes/1"' <<<"$(curl -sS --insecure -b "$d/ju" "$U/disputes")" &&
   [ "$CODE" = 303 ]
then t_ok; else t_fail "" "$cc $bc"; fi

t_begin "the auditor's answer is refused (403), the coordinator's without its token too: nothing changes"
l0=$(db 'SELECT count(*) FROM staff_log') r0=$(db 'SELECT * FROM disputes')
req "$d/ju" --data-urlencode "csrf=$utok" --data-urlencode "outcome=wrong" \
	--data-urlencode "answer=auditor says" "$U/disputes/1"
c1=$CODE
req "$d/jc" --data-urlencode "outcome=wrong" --data-urlencode "answer=no token" "$U/disputes/1"
if [ "$c1" = 403 ] && [ "$CODE" = 403 ] && [ "$(db 'SELECT * FROM disputes')" = "$r0" ] &&
   [ "$(db 'SELECT count(*) FROM staff_log')" = "$l0" ] &&
   grep -q "POST /disputes/1 by aud (auditor) refused: role" "$PLANT/serve.err"
then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "the coordinator answers: the record stands, who and when kept, logged; the record untouched"
req "$d/jc" --data-urlencode "csrf=$ctok" --data-urlencode "outcome=stands" \
	--data-urlencode "answer=The meter and the form agree:"$'\r\n\t''<b>2500</b>.' "$U/disputes/1"
c1=$CODE l1=$(hdr Location)
req "$d/jc" "$U/disputes?all=1"
if [ "$c1" = 303 ] && [ "$l1" = "Location: /disputes?answered=1" ] &&
   [ "$(db "SELECT outcome || '|' || answered_by || '|' || (answered > 0) FROM disputes WHERE id = 1")" = "stands|cora|1" ] &&
   [ "$(db "SELECT actor || '|' || action || '|' || detail FROM staff_log ORDER BY seq DESC LIMIT 1")" = "cora|dispute.answer|dispute=1 outcome=stands" ] &&
   [ "$(db "SELECT answer FROM disputes WHERE id = 1")" = "The meter and the form agree:"$'\n'" <b>2500</b>." ] &&
   grep -qF '<span class="lines">The meter and the form agree:' <<<"$BODY" &&
   grep -qF ' &lt;b&gt;2500&lt;/b&gt;.</span>' <<<"$BODY" &&
   grep -qF 'class="lines" data-label="What is wrong">' <<<"$BODY" &&
   grep -q 'answered by cora' <<<"$BODY" &&
   [ "$(db "SELECT * FROM rec_loads WHERE station_id = 'test-01' ORDER BY load_no")" = "$loads0" ] &&
   expect_exit 0 pw verify --station test-01 && grep -q "^tables ok" <<<"$OUT"
then t_ok; else t_fail "" "$c1 $l1 $OUT $ERR"; fi

t_begin "an answered dispute is not answered again (409); an unknown one is 404"
req "$d/jc" --data-urlencode "csrf=$ctok" --data-urlencode "outcome=wrong" --data-urlencode "answer=again" "$U/disputes/1"
c1=$CODE
req "$d/jc" --data-urlencode "csrf=$ctok" --data-urlencode "outcome=wrong" --data-urlencode "answer=x" "$U/disputes/99"
if [ "$c1" = 409 ] && [ "$CODE" = 404 ] &&
   [ "$(db "SELECT outcome FROM disputes WHERE id = 1")" = stands ]
then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "the worklist in Spanish; empty once answered"
req "$d/jc" "$U/disputes?lang=es"
if [ "$CODE" = 200 ] && grep -q "<h1>Reclamos</h1>" <<<"$BODY" && grep -q "Ningún reclamo espera respuesta" <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi
req "$d/jc" "$U/disputes?lang=en" >/dev/null

t_begin "haulgate-potw disputes: table, --csv, --json, --open"
if expect_exit 0 pw disputes && grep -q "^ *1  *test-01  *2 .*stands" <<<"$OUT" &&
   expect_exit 0 pw --csv disputes && csv=$(tr -d '\r' <<<"$OUT") &&
   grep -q '^id,station,load,raised,what,contact,from,outcome,answer,answered_by,answered$' <<<"$csv" &&
   W="$WHAT2" python3 -c 'import csv,os,sys; r=list(csv.DictReader(sys.stdin)); assert r[0]["what"]==os.environ["W"], r' <<<"$OUT" &&
   expect_exit 0 pw --json disputes && W="$WHAT2" python3 -c 'import json,os,sys; r=json.load(sys.stdin); assert r[0]["outcome"]=="stands" and r[0]["answered_by"]=="cora" and r[0]["what"]==os.environ["W"], r' <<<"$OUT" &&
   expect_exit 0 pw --csv disputes --open && [ "$(wc -l <<<"$OUT")" = 1 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "disputes are throttled per address: the sixth in an hour is 429"
codes=""
for i in 2 3 4 5 6; do
	req "$d/jh" "$QA"
	tok=$(csrf_of)
	req "$d/jh" --data-urlencode "csrf=$tok" --data-urlencode "what=try $i" --data-urlencode "contact=x" "$U$act"
	codes="$codes $CODE"
done
if [ "$codes" = " 200 200 200 200 429" ] && [ "$(hdr Retry-After)" = "Retry-After: 3600" ] &&
   [ "$(db 'SELECT count(*) FROM disputes')" = 5 ] && grep -q "Too many disputes" <<<"$BODY"
then t_ok; else t_fail "" "$codes"; fi

t_begin "the staff log's chain still verifies, with the raises and the answer"
if expect_exit 0 pw user log && grep -q "staff log: .* entries, chain checked" <<<"$ERR" &&
   [ "$(grep -c "public via /r *dispute.raise" <<<"$OUT")" = 5 ] && grep -q "cora *dispute.answer" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

plant_stop
t_begin "the server stopped cleanly: no sanitizer report"
if ! grep -q "Sanitizer\|runtime error" "$PLANT/serve.err"; then t_ok; else t_fail "" "$(tail -30 "$PLANT/serve.err")"; fi

t_begin "a database of the version before the disputes gets them on open, as a new one makes them"
cp "$PLANT/var/potw.db" "$d/old.db"
now=$(sqlite3 "$d/old.db" "PRAGMA user_version")
fresh=$(sqlite3 "$d/old.db" "SELECT sql FROM sqlite_schema WHERE name IN ('disputes', 'disputes_open', 'disputes_addr') ORDER BY name")
# what came after the disputes goes too (the lab records: tests/cli/test_web_lab.sh;
# the holds: tests/cli/test_web_holds.sh)
sqlite3 "$d/old.db" "DROP TABLE disputes; DROP TABLE violations; DROP TABLE lab_results; DROP TABLE novs; DROP TABLE lab_params; DROP TABLE fee_schedule; DROP TABLE holds;
	DROP TABLE load_days; DROP TRIGGER load_days_insert;
	DROP TRIGGER load_days_update; DROP TRIGGER load_days_delete; PRAGMA user_version = 6"
sed "s|^db = .*|db = $d/old.db|" "$PLANT/potw.ini" >"$d/old.ini"
if expect_exit 0 "$POTW" --config "$d/old.ini" disputes &&
   [ "$(sqlite3 "$d/old.db" "PRAGMA user_version")" = "$now" ] && [ -n "$fresh" ] &&
   [ "$(sqlite3 "$d/old.db" "SELECT sql FROM sqlite_schema WHERE name IN ('disputes', 'disputes_open', 'disputes_addr') ORDER BY name")" = "$fresh" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi
t_end
