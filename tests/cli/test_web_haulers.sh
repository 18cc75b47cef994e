#!/usr/bin/env bash
# test_web_haulers.sh: the haulers pages, the RV visits page and the
# dashboard (potw/page_haulers.c, page_roster.c, page_rv.c,
# page_dashboard.c) against the real server, build/asan/haulgate-potw, on
# loopback TLS, through curl, on real records: a plant-managed station pulls
# the plant's roster (a hauler whose name holds <script> and quotes, one
# whose permit expired, one whose permit ends within 30 days), plays a
# hauler's first load (sampled) and a second one, and RV visits, and sends
# its log with `haulgate sync now`.  Then each page is checked against the
# CLI's listing of the same data (`hauler list`, `card list`, `loads
# --json`, `rv-visits --json`); the RV visits page, 2 rows a page, visits
# every row once; the dashboard's figures are sums of `loads --json`, its
# SVG chart is well-formed XML; a coordinator's edits on the pages (a card
# with its PIN, a hauler, a refused permit) go through the CLI's checks, are
# in the staff log with the coordinator's login and reach the station at
# its next sync; an auditor's form and a form without its token are 403 and
# change nothing; both languages.
# POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
SCN="$HG_ROOT/tests/scenarios"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export TZ=America/Denver	# the station's [station] timezone (tests/scenarios/station.ini)
PASSWORD="correct horse battery"
EVIL='<script>alert("x")</script> O'"'"'Brien "Septic" & Sons'

for c in curl sqlite3 /usr/bin/python3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done

d=$(tmpdir)
plant_make "$d/P"
printf '[web]\nverify_interval = 1\n' >>"$d/P/potw.ini"	# the background verifier's pass each second
TODAY=$(date +%F)
SOON=$(date -d "$TODAY + 10 days" +%F)
PAST=$(date -d "$TODAY - 10 days" +%F)
with_pin() {	# with_pin PIN CMD...: the PIN on stdin
	local p=$1
	shift
	printf '%s\n' "$p" | "$@" >"$d/.o" 2>"$d/.e"
}
# the demo roster's first hauler, card, trucks and operator, made at the plant
pw hauler add --company "Acme Septic Service" --contact "Maria Acosta" --address "1200 Industrial Way" \
	--phone 303-555-0101 --permit HW-2020-001 --from 2020-01-01 --to 2030-12-31 \
	--waste septage,portable >/dev/null 2>&1
with_pin 1234 pw card add --uid 04a1b2c3 --hauler 1 --driver "Dana Ruiz"
pw truck add --hauler 1 --ident ACME-12 --capacity 3000 >/dev/null 2>&1
pw truck add --hauler 1 --ident ACME-07 --capacity 1500 >/dev/null 2>&1
with_pin 987654 pw operator add --name "Riley Park" --uid 0a0b0c01
pw hauler add --company "$EVIL" --contact "Eve" --address "1 <b>Main</b> St" --phone 555 \
	--permit "P-<2>" --from 2020-01-01 --to "$SOON" --waste grease >/dev/null 2>&1
pw hauler add --company "Lapsed Pumping" --contact "Lu" --address "2 Oak" --phone 556 \
	--permit P-3 --from 2020-01-01 --to "$PAST" --waste septage >/dev/null 2>&1
for r in cora:coordinator aud:auditor; do
	printf '%s\n' "$PASSWORD" | pw user add --login "${r%%:*}" --role "${r#*:}" >/dev/null 2>&1
done
plant_serve
U="https://127.0.0.1:$PORT"

s="$d/S"
mkdir -p "$s"
sed "s/^id = .*/id = gate-01/" "$SCN/station.ini" >"$s/station.ini"
st() { "$HG" --config "$s/station.ini" "$@"; }
st init >/dev/null 2>&1
st keys --public-pem >"$s/station.pem"
pw station add --id gate-01 --name "North <gate>" --key-pem "$s/station.pem" >/dev/null 2>&1
station_join "$s/station.ini"

t_begin "a plant-managed station: the plant's roster pulled, loads and RV visits played, the log sent"
ok=1
expect_exit 0 st sync now || ok=0
expect_exit 0 st simulate --script "$SCN/hauler_first_load.scn" || ok=0
for _ in 1 2 3; do expect_exit 0 st simulate --script "$SCN/rv_visit.scn" || ok=0; done
expect_exit 0 st sync now || ok=0
if [ "$ok" = 1 ] && [ "$(pw --json loads | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge 2 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

# req JAR [curl args...]: headers in $d/h, body in $BODY, status in $CODE
req() {
	local jar=$1
	shift
	BODY=$(curl -sS --max-time 60 --insecure -c "$jar" -b "$jar" -D "$d/h" -w '\n%{http_code}' "$@")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}
hdr() { grep -i "^$1:" "$d/h" | tr -d '\r'; }
cookie() { awk -v n="$2" '$6 == n { print $7 }' "$1"; }
signin() {
	req "$1" "$U/signin"
	req "$1" --data-urlencode "csrf=$(cookie "$1" __Host-hg_signin)" \
		--data-urlencode "login=$2" --data-urlencode "password=$3" "$U/signin"
}
csrf_of() { sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' <<<"$BODY" | head -1; }
signin "$d/jc" cora "$PASSWORD"
signin "$d/ja" aud "$PASSWORD"
pyjson() { /usr/bin/python3 -c "import json,sys; rows=json.load(sys.stdin); $1"; }
plant_events() { sqlite3 "$d/P/var/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'"; }
staff() { sqlite3 "$d/P/var/potw.db" "SELECT count(*) FROM staff_log"; }

# ---- the haulers page ----
t_begin "GET /haulers: every hauler of 'hauler list' with its permit, its expiry marked in words"
req "$d/ja" "$U/haulers"
bad=""
while IFS=$'\t' read -r id permit to; do
	grep -q "<td class=\"num\" data-label=\"ID\">$id" <<<"$BODY" || bad="$bad id$id"
	grep -qF "$to" <<<"$BODY" || bad="$bad to$id"
	grep -qF "$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g' <<<"$permit")" <<<"$BODY" || bad="$bad permit$id"
done < <(pw --json hauler list | pyjson 'print("\n".join("%s\t%s\t%s" % (r["id"], r["permit"], r["permit_to"]) for r in rows))')
if [ "$CODE" = 200 ] && [ -z "$bad" ] &&
   grep -qF "$PAST <strong class=\"mark alarm\">expired</strong>" <<<"$BODY" &&
   grep -qF "$SOON <strong class=\"mark warn\">expires within 30 days</strong>" <<<"$BODY" &&
   grep -qF "2030-12-31</td>" <<<"$BODY"
then t_ok; else t_fail "" "$CODE $bad $BODY"; fi

t_begin "the haulers page: hauler-typed text with <script> and quotes is written as text"
if grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &quot;Septic&quot; &amp; Sons' <<<"$BODY" &&
   ! grep -q '<script' <<<"$BODY" && ! grep -qi ' style=\| on[a-z]*=' <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "the haulers page: loads and samples per hauler equal 'loads --json' counted"
nl=$(pw --json loads | pyjson 'print(sum(1 for r in rows if r["hauler_id"] == 1))')
ns=$(pw --json loads | pyjson 'print(sum(1 for r in rows if r["hauler_id"] == 1 and r["flagged"] == "yes"))')
row=$(grep '<a href="/haulers/1">' <<<"$BODY")
if [ "$nl" -ge 2 ] && grep -q "data-label=\"Loads\">$nl<" <<<"$row" &&
   grep -q "data-label=\"Samples\">$ns<" <<<"$row" && grep -q 'data-label="Cards">1<' <<<"$row" &&
   grep -q 'data-label="Trucks">2<' <<<"$row" && grep -q 'data-label="Violations">0<' <<<"$row"
then t_ok; else t_fail "" "$nl $ns $row"; fi

t_begin "GET /haulers/1: permit, the card's UID (no PIN hash), trucks, last loads, a link to /loads"
req "$d/ja" "$U/haulers/1"
if [ "$CODE" = 200 ] && grep -q '<code>04a1b2c3</code>' <<<"$BODY" && grep -q 'Dana Ruiz' <<<"$BODY" &&
   ! grep -qi 'argon\|pin_hash' <<<"$BODY" && grep -q '>ACME-07<' <<<"$BODY" &&
   grep -q 'href="/loads?hauler=1"' <<<"$BODY" && grep -q 'HW-2020-001' <<<"$BODY" &&
   grep -q '>B-0001<' <<<"$BODY" && ! grep -q 'name="csrf"[^>]*>.*name="do"' <<<"$BODY" &&
   ! grep -q 'action="/haulers/1"' <<<"$BODY"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "a hauler that is not there is 404; an id that is not a number is 404"
req "$d/ja" "$U/haulers/99"
c1=$CODE
req "$d/ja" "$U/haulers/1x"
if [ "$c1" = 404 ] && [ "$CODE" = 404 ]; then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "the haulers pages in Spanish"
req "$d/ja" "$U/haulers/1?lang=es"
a=$BODY
req "$d/ja" "$U/haulers?lang=en"
if grep -q '<html lang="es">' <<<"$a" && grep -q '<h1>Transportista</h1>' <<<"$a" &&
   grep -q 'Tarjetas y conductores' <<<"$a" && grep -q '<h1>Haulers</h1>' <<<"$BODY"
then t_ok; else t_fail "" "$a"; fi

# ---- the roster edited on the pages ----
req "$d/jc" "$U/haulers/1"
CSRF_C=$(csrf_of)
t_begin "the coordinator sees the edit forms, each with its CSRF token"
if [ -n "$CSRF_C" ] && [ "$(grep -c 'name="csrf"' <<<"$BODY")" -ge 5 ] &&
   grep -q 'action="/haulers/1"' <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "an auditor's form, and a form without its token, are 403 and change nothing"
e0=$(plant_events) l0=$(staff)
req "$d/ja" --data-urlencode "csrf=$(cookie "$d/ja" x)" --data-urlencode "do=truck" \
	--data-urlencode "ident=AUD-1" --data-urlencode "capacity=100" "$U/haulers/1"
c1=$CODE
req "$d/ja" "$U/haulers/1"
CSRF_A=$(csrf_of)	# the auditor's own (sign-out form) token
req "$d/ja" --data-urlencode "csrf=$CSRF_A" --data-urlencode "do=truck" \
	--data-urlencode "ident=AUD-1" --data-urlencode "capacity=100" "$U/haulers/1"
c2=$CODE
req "$d/jc" --data-urlencode "do=truck" --data-urlencode "ident=NOTOK-1" \
	--data-urlencode "capacity=100" "$U/haulers/1"
c3=$CODE
req "$d/ja" --data-urlencode "csrf=$CSRF_A" --data-urlencode "company=Aud Co" "$U/haulers"
c4=$CODE
if [ "$c1" = 403 ] && [ "$c2" = 403 ] && [ "$c3" = 403 ] && [ "$c4" = 403 ] &&
   [ "$(plant_events)" = "$e0" ] && [ "$(staff)" = "$l0" ] && ! pw truck list | grep -q "AUD-1\|NOTOK-1"
then t_ok; else t_fail "" "$c1 $c2 $c3 $c4 $(plant_events)/$e0"; fi

t_begin "a card added on the page: the CLI's checks, the plant's log, the staff log with the login"
e0=$(plant_events)
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=card" --data-urlencode "uid=04:99:88:77" \
	--data-urlencode "driver=Web Driver" --data-urlencode "pin=4321" "$U/haulers/1"
c1=$CODE l1=$(hdr Location)
req "$d/jc" "$U/haulers/1?done=card"
if [ "$c1" = 303 ] && [ "$l1" = "Location: /haulers/1?done=card" ] &&
   pw card list | grep -q " 04998877 .*Web Driver" && [ "$(plant_events)" = $((e0 + 1)) ] &&
   [ "$(sqlite3 "$d/P/var/potw.db" "SELECT actor || ' ' || action FROM staff_log ORDER BY seq DESC LIMIT 1")" = "cora roster.card_added" ] &&
   [ "$(sqlite3 "$d/P/var/potw.db" "SELECT actor FROM events WHERE station = 'haulgate.potw' ORDER BY seq DESC LIMIT 1")" = "web:cora" ] &&
   grep -q 'Card added with its PIN' <<<"$BODY" && grep -q '<code>04998877</code>' <<<"$BODY"
then t_ok; else t_fail "" "$c1 $l1 $(pw card list)"; fi

t_begin "refused as the CLI refuses: a bad PIN, a taken UID, a permit ending before it starts (422, nothing changed)"
e0=$(plant_events)
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=card" --data-urlencode "uid=04777777" \
	--data-urlencode "driver=X" --data-urlencode "pin=12" "$U/haulers/1"
c1=$CODE b1=$BODY
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=card" --data-urlencode "uid=04a1b2c3" \
	--data-urlencode "driver=X" --data-urlencode "pin=1234" "$U/haulers/1"
c2=$CODE b2=$BODY
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=permit" --data-urlencode "permit=HW-9" \
	--data-urlencode "from=2027-01-01" --data-urlencode "to=2026-01-01" "$U/haulers/1"
if [ "$c1" = 422 ] && grep -q "PIN: 4 to 12 digits" <<<"$b1" &&
   [ "$c2" = 422 ] && grep -q "card &#39;04a1b2c3&#39; is already in the roster" <<<"$b2" &&
   [ "$CODE" = 422 ] && grep -q "is before --from" <<<"$BODY" && grep -q 'role="alert"' <<<"$BODY" &&
   [ "$(plant_events)" = "$e0" ]
then t_ok; else t_fail "" "$c1 $c2 $CODE $BODY"; fi

t_begin "a permit renewed, a truck added, a hauler added on the pages"
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=permit" --data-urlencode "permit=HW-2031" \
	--data-urlencode "from=2026-01-01" --data-urlencode "to=2031-12-31" "$U/haulers/1"
c1=$CODE
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=truck" --data-urlencode "ident=ACME-99" \
	--data-urlencode "capacity=2000" "$U/haulers/1"
c2=$CODE
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "company=Web Pumping" \
	--data-urlencode "contact=Wen" --data-urlencode "address=3 Elm" --data-urlencode "phone=557" \
	--data-urlencode "permit=W-1" --data-urlencode "from=2026-01-01" --data-urlencode "to=2028-01-01" \
	--data-urlencode "waste_septage=1" --data-urlencode "waste_grease=1" "$U/haulers"
if [ "$c1" = 303 ] && [ "$c2" = 303 ] && [ "$CODE" = 303 ] && [ "$(hdr Location)" = "Location: /haulers/4?done=hauler_added" ] &&
   pw --json hauler list | pyjson 'r={x["id"]: x for x in rows}; assert r[1]["permit"] == "HW-2031" and r[1]["permit_to"] == "2031-12-31"; assert r[4]["company"] == "Web Pumping" and r[4]["waste_allowed"] == "septage,grease"' &&
   pw truck list | grep -q "ACME-99"
then t_ok; else t_fail "" "$c1 $c2 $CODE $(hdr Location) $(pw hauler list)"; fi

t_begin "a card revoked on the page; a card of another hauler is not revoked from this one's page"
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=revoke" --data-urlencode "uid=04998877" "$U/haulers/2"
c1=$CODE
req "$d/jc" --data-urlencode "csrf=$CSRF_C" --data-urlencode "do=revoke" --data-urlencode "uid=04998877" "$U/haulers/1"
if [ "$c1" = 422 ] && [ "$CODE" = 303 ] && pw --json card list | pyjson 'assert [r["revoked"] for r in rows if r["uid"] == "04998877"] == [1]'
then t_ok; else t_fail "" "$c1 $CODE $(pw card list)"; fi

t_begin "the staff log holds every edit with the coordinator's login, and its chain holds"
if expect_exit 0 pw user log && [ "$(grep -c ' cora  *roster\.' <<<"$OUT")" = 5 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the edits reach the station at its next sync (its hauler list and card list show them)"
if expect_exit 0 st sync now && expect_exit 0 st card list && grep -q "04998877" <<<"$OUT" &&
   grep -q "revoked" <<<"$(grep 04998877 <<<"$OUT")" && expect_exit 0 st hauler list &&
   grep -q "Web Pumping" <<<"$OUT" && grep -q "HW-2031" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

# ---- RV visits ----
t_begin "GET /rv-visits, 2 rows a page: following 'next' visits every row of 'rv-visits' once, newest first"
pw --json rv-visits | pyjson 'print("\n".join("%s:%s" % (r["station"], r["id"]) for r in rows))' | sort >"$d/rv.cli"
: >"$d/rv.web"
next="/rv-visits?n=2"
pages=0
while [ -n "$next" ] && [ "$pages" -lt 20 ]; do
	req "$d/ja" "$U$(sed 's/&amp;/\&/g' <<<"$next")"
	[ "$CODE" = 200 ] || break
	sed -n 's|.*data-label="Station">\([^<]*\)</td><td class="num" data-label="Visit">\([0-9]*\)<.*|\1:\2|p' <<<"$BODY" >>"$d/rv.web"
	next=$(sed -n 's|.*<a rel="next" href="\([^"]*\)".*|\1|p' <<<"$BODY")
	pages=$((pages + 1))
done
if [ "$(wc -l <"$d/rv.cli")" = 6 ] && [ "$(sort "$d/rv.web")" = "$(cat "$d/rv.cli")" ] &&
   [ "$(sort -u "$d/rv.web" | wc -l)" = 6 ] && [ "$pages" = 3 ] &&
   [ "$(head -1 "$d/rv.web")" = "gate-01:6" ]
then t_ok; else t_fail "" "pages $pages web $(tr '\n' ' ' <"$d/rv.web") cli $(tr '\n' ' ' <"$d/rv.cli")"; fi

t_begin "RV visits searched by text, days and station equal the CLI's rows of that filter"
req "$d/ja" "$U/rv-visits?q=walker&from=2026-11-23&to=2026-11-23&station=gate-01"
a=$(grep -c 'data-label="Name">Lee Walker<' <<<"$BODY")
req "$d/ja" "$U/rv-visits?q=nobody"
b=$BODY
req "$d/ja" "$U/rv-visits?from=2026-13-01"
if [ "$a" = 3 ] && ! grep -q "María" <<<"$b" && grep -q "No RV visit matches" <<<"$b" && [ "$CODE" = 422 ] &&
   [ "$(pw --json rv-visits | pyjson 'print(sum(1 for r in rows if "Walker" in r["name"]))')" = 3 ]
then t_ok; else t_fail "" "$a $CODE"; fi

# ---- the dashboard ----
t_begin "GET / is the dashboard; its figures for a day equal sums of 'loads --json'"
req "$d/ja" "$U/?day=2026-11-23"
want=$(pw --json loads | pyjson 'd=[r for r in rows if r["decided"].startswith("2026-11-23") and r["station"] == "gate-01"]; print(len(d), sum(r["gallons"] for r in d if r["verdict"] != "refused"))')
got=$(grep '<tr class="station"><th scope="row">gate-01</th>' <<<"$BODY" | sed -n 's|.*class="num loads" data-label="Loads">\([0-9]*\)<.*class="num gallons" data-label="Gallons">\([0-9]*\)<.*|\1 \2|p')
if [ "$CODE" = 200 ] && [ -n "$got" ] && [ "$got" = "$want" ] && [ "${want%% *}" -ge 2 ] &&
   grep -q '<h1>Dashboard</h1>' <<<"$BODY"
then t_ok; else t_fail "" "$CODE got '$got' want '$want'"; fi

t_begin "the dashboard: the sampling worklist (each load linked to its page), the permits expiring, each station's health"
if grep -q 'data-label="Sample bottle">B-0001<' <<<"$BODY" &&
   grep -q '<td class="num" data-label="Load"><a href="/loads/gate-01/1">1</a>' <<<"$BODY" && grep -qF "Lapsed Pumping" <<<"$BODY" &&
   grep -q '<th scope="row">gate-01</th>' <<<"$BODY" &&
   grep -q 'data-label="Chain">\(verified (up to event [0-9]*, at [0-9-]* [0-9:]*\|not yet verified\)' <<<"$BODY" &&
   grep -q 'href="/haulers/2"' <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "the dashboard's chart: well-formed SVG, its day totals those of 'loads --json', a text alternative"
sed -n '/<svg/,/<\/svg>/p' <<<"$BODY" >"$d/chart.svg"
/usr/bin/python3 - "$d/chart.svg" <<'EOF2' && svg=1 || svg=0
import sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
assert root.tag == "{http://www.w3.org/2000/svg}svg", root.tag
assert root.get("role") == "img"
ns = {"s": "http://www.w3.org/2000/svg"}
assert root.find("s:title", ns) is not None and root.find("s:desc", ns) is not None
assert len(root.findall("s:rect", ns)) >= 1
EOF2
want=$(pw --json loads | pyjson 'print(sum(r["gallons"] for r in rows if r["decided"].startswith("2026-11-23") and r["verdict"] != "refused"))')
got=$(sed -n 's|.*<tr class="day"><th scope="row">2026-11-23<.*data-label="Gallons">\([0-9]*\)<.*|\1|p' <<<"$BODY")
if [ "$svg" = 1 ] && [ "$got" = "$want" ] && ! grep -qi '<svg[^>]* style=' <<<"$BODY" && ! grep -qi '<script' <<<"$BODY"
then t_ok; else t_fail "" "svg $svg got '$got' want '$want' $(head -c 600 "$d/chart.svg")"; fi

t_begin "the dashboard in Spanish; a bad day is 422"
req "$d/ja" "$U/?day=2026-11-23&lang=es"
a=$BODY
req "$d/ja" "$U/?day=2026-02-30&lang=en"
if grep -q '<h1>Panel</h1>' <<<"$a" && grep -q 'Muestras pendientes' <<<"$a" && [ "$CODE" = 422 ]
then t_ok; else t_fail "" "$CODE"; fi

# ---- the stations' health: the background verifier's (potw/verifier.c) ----
# chain_of: gate-01's chain cell on /stations, waited for (20 s at most)
# until it matches the pattern $1
chain_of() {
	local _
	for _ in $(seq 80); do
		req "$d/ja" "$U/stations"
		CHAIN=$(grep '<th scope="row">gate-01</th>' <<<"$BODY" | sed -n 's|.*data-label="Chain">\([^<]*\)<.*|\1|p')
		grep -q "$1" <<<"$CHAIN" && return 0
		sleep 0.25
	done
	return 1
}
t_begin "the stations' health: verified in the background up to the log's size; rows edited behind the server's back: BROKEN at the verifier's next pass, whole again once restored"
n=$(sqlite3 "$d/P/var/potw.db" "SELECT count(*) FROM events WHERE station = 'gate-01'")
chain_of "^verified (up to event $n, at " && c1=$CHAIN || c1="no: $CHAIN"
sqlite3 "$d/P/var/potw.db" "UPDATE rec_loads SET gallons = gallons + 7 WHERE station_id = 'gate-01' AND load_no = 1"
chain_of "^BROKEN: the plant&#39;s rows are not what the log makes (found at " && c2=$CHAIN || c2="no: $CHAIN"
sqlite3 "$d/P/var/potw.db" "UPDATE rec_loads SET gallons = gallons - 7 WHERE station_id = 'gate-01' AND load_no = 1"
chain_of "^verified (up to event $n, at " && c3=$CHAIN || c3="no: $CHAIN"
if [ "${c1%%:*}" != no ] && [ "${c2%%:*}" != no ] && [ "${c3%%:*}" != no ] && [ "$n" -ge 2 ]
then t_ok; else t_fail "" "n $n: $c1 | $c2 | $c3"; fi

t_begin "the server under ASan+UBSan: SIGTERM with the verifier's thread running, exit 0 within 5 s, no report"
t0=$(date +%s%N)
kill -TERM "$SRV_PID"
wait "$SRV_PID"
rc=$? SRV_PID=""
ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$rc" = 0 ] && [ "$ms" -lt 5000 ] && ! grep -q "Sanitizer\|runtime error" "$d/P/serve.err"
then t_ok; else t_fail "" "rc $rc in $ms ms $(tail -30 "$d/P/serve.err")"; fi

# the verifier with an hour between whole passes: a grown log (an RV
# visit) is verified from where the last pass ended, so a row of an old
# load edited meanwhile is not looked at again until the next whole pass
# (here: the restart); tests/unit/test_potw_days.c edits new rows and
# events, which a pass from the mark finds

gate01_events() { sqlite3 "$d/P/var/potw.db" "SELECT count(*) FROM events WHERE station = 'gate-01'"; }
serve_again() {
	plant_serve
	U="https://127.0.0.1:$PORT"
	sed -i "s|^url = .*|url = $U|" "$s/station.ini"
}
t_begin "[web] verify_interval = 3600: whole at start; a sync verified from the mark, a load's row edited before it not looked at again; the next whole pass (at a restart) finds it"
sed -i 's/^verify_interval = 1$/verify_interval = 3600/' "$d/P/potw.ini"
serve_again
n=$(gate01_events)
chain_of "^verified (up to event $n, at " && c1=$CHAIN || c1="no: $CHAIN"
sqlite3 "$d/P/var/potw.db" "UPDATE rec_loads SET gallons = gallons + 7 WHERE station_id = 'gate-01' AND load_no = 1"
ok=1
expect_exit 0 st simulate --script "$SCN/rv_visit.scn" || ok=0
expect_exit 0 st sync now || ok=0
n2=$(gate01_events)
chain_of "^verified (up to event $n2, at " && c2=$CHAIN || c2="no: $CHAIN"
plant_stop
serve_again
chain_of "^BROKEN: the plant&#39;s rows are not what the log makes (found at " && c3=$CHAIN || c3="no: $CHAIN"
sqlite3 "$d/P/var/potw.db" "UPDATE rec_loads SET gallons = gallons - 7 WHERE station_id = 'gate-01' AND load_no = 1"
plant_stop
if [ "$ok" = 1 ] && [ "$n2" -gt "$n" ] && [ "${c1%%:*}" != no ] && [ "${c2%%:*}" != no ] &&
   [ "${c3%%:*}" != no ] && ! grep -q "Sanitizer\|runtime error" "$d/P/serve.err"
then t_ok; else t_fail "" "ok $ok n $n n2 $n2: $c1 | $c2 | $c3 $ERR $(tail -20 "$d/P/serve.err")"; fi
t_end
