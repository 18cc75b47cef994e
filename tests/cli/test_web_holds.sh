#!/bin/bash
# test_web_holds.sh: legal holds and the retention report (potw/page_holds.c,
# cmd_holds.c; the store: store_holds.c; the rule: retention.c) on real data:
# a station plays loads and sends its log with `haulgate sync now` to
# build/asan/haulgate-potw serving on loopback TLS; then a coordinator sets
# a hold on a load through the page and one on a hauler through the CLI (and
# the reverse), each shown on the load's and the hauler's page (English and
# Spanish); an auditor's form and a form without its token refused with 403
# and nothing changed; a release keeps the row with who released it; the
# staff log holds both entries and its chain holds; `retention --as-of` a
# day three years on counts the loads past them and those held, and says
# nothing is deleted; a database of version 8 brought to 9 as a new one
# makes it.  POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/web_lib.sh
. "$(dirname "$0")/web_lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"

SCN="$HG_ROOT/tests/scenarios"
export TZ=America/Denver	# the station's [station] timezone
for c in openssl curl sqlite3; do
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
counts() { db "SELECT (SELECT count(*) FROM holds) || ' ' ||
	(SELECT count(*) FROM holds WHERE released IS NULL) || ' ' || (SELECT count(*) FROM staff_log)"; }

t_begin "a station plays loads and syncs them (its own demo roster: hauler 1)"
plant_make "$d/P"
printf '[web]\nstatic = %s\n' "$HG_ROOT/assets/web" >>"$d/P/potw.ini"
plant_serve
U="https://127.0.0.1:$PORT"
plant_station "$d/A" st-01 "$SCN/station.ini"
"$HG" --config "$d/A/station.ini" simulate --script "$SCN/hauler_first_load.scn" >"$d/sim" 2>&1 &&
	"$HG" --config "$d/A/station.ini" simulate --script "$SCN/operator.scn" >>"$d/sim" 2>&1
sim=$?
NL=$(db "SELECT count(*) FROM rec_loads WHERE station_id = 'st-01'" 2>/dev/null)
if [ -n "$PORT" ] && [ "$sim" = 0 ] &&
   expect_exit 0 "$HG" --config "$d/A/station.ini" sync now &&
   NL=$(db "SELECT count(*) FROM rec_loads WHERE station_id = 'st-01'") && [ "$NL" -ge 2 ] &&
   [ "$(db "SELECT count(*) FROM rec_haulers WHERE station_id = 'st-01' AND id = 1")" = 1 ]
then t_ok; else t_fail "" "port '$PORT' sim $sim $OUT $ERR $(tail -n 5 "$d/sim")"; fi

t_begin "accounts: a coordinator and an auditor"
if printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null
then t_ok; else t_fail; fi
C="$d/jar.c" A="$d/jar.a"
signin "$C" cora "$PASSWORD"
signin "$A" aud "$PASSWORD"

# post JAR PATH FIELDS...: the form posted with the jar's token (from GET /holds)
post() {
	local jar=$1 path=$2 tok
	shift 2
	req "$jar" "$U/holds"
	tok=$(csrf_of)
	req "$jar" --data-urlencode "csrf=$tok" "$@" "$U$path"
}

t_begin "no hold yet: the holds page is empty, the load's page says nothing of a hold"
req "$A" "$U/holds"
c1=$CODE b1=$BODY
req "$A" "$U/loads/st-01/2"
if [ "$c1" = 200 ] && grep -q 'No hold is listed.' <<<"$b1" && ! grep -q 'name="reason"' <<<"$b1" &&
   [ "$CODE" = 200 ] && ! grep -q 'Under legal hold' <<<"$BODY"
then t_ok; else t_fail "" "$c1 $CODE $b1"; fi

t_begin "a coordinator sets a hold on load st-01/2 through the page; the load's page says so"
post "$C" /holds --data-urlencode "station=st-01" --data-urlencode "load=2" \
	--data-urlencode 'reason=Subpoena <2026-114> "Miller"'
loc=$(hdr Location)
req "$C" "$U${loc#Location: }"
list=$BODY
req "$A" "$U/loads/st-01/2"
l2=$BODY
req "$A" "$U/loads/st-01/1"
if [ "$loc" = "Location: /holds?set=1" ] && grep -q 'Hold 1 set.' <<<"$list" &&
   grep -qF 'Subpoena &lt;2026-114&gt; &quot;Miller&quot;' <<<"$list" && ! grep -q '<2026' <<<"$list" &&
   grep -q 'href="/loads/st-01/2"' <<<"$list" &&
   [ "$(db "SELECT station_id, load_no, hauler_id IS NULL, set_by, released IS NULL FROM holds WHERE id = 1")" = "st-01|2|1|cora|1" ] &&
   grep -q 'Under legal hold.' <<<"$l2" && grep -q 'This load is kept past its three years' <<<"$l2" &&
   ! grep -q 'Under legal hold' <<<"$BODY"
then t_ok; else t_fail "" "$loc $list"; fi

t_begin "the same in Spanish"
req "$A" "$U/loads/st-01/2?lang=es"
if grep -q 'Bajo retención legal.' <<<"$BODY"; then t_ok; else t_fail "" "$BODY"; fi
req "$A" "$U/holds?lang=en"

t_begin "a hold on hauler 1 through the CLI; the hauler's page and its loads' pages say so"
if expect_exit 0 pw hold set --hauler 1 --reason "Litigation hold: Acme v. City" &&
   [ "$OUT" = "hold 2 set on hauler 1" ] &&
   req "$A" "$U/haulers/1?station=st-01" && h1=$BODY &&
   grep -q 'This hauler&#39;s loads are kept past their three years' <<<"$h1" &&
   req "$A" "$U/loads/st-01/1" && grep -q 'Under legal hold.' <<<"$BODY" &&
   grep -q ',cli:[^,]*,hold.set,hold 2 on hauler 1: Litigation hold' <<<"$(pw --csv user log 2>/dev/null)"
then t_ok; else t_fail "" "$OUT $ERR $CODE $h1"; fi

t_begin "the page sets one on a hauler, the CLI one on a load; bad forms refused, nothing kept"
before=$(counts)
post "$C" /holds --data-urlencode "hauler=1" --data-urlencode "station=st-01" --data-urlencode "reason=Audit"
loc=$(hdr Location)
expect_exit 0 pw hold set --station st-01 --load 1 --reason "Records request 7"
o1=$OUT
mid=$(counts)
post "$C" /holds --data-urlencode "hauler=99" --data-urlencode "reason=x"
c1=$CODE
post "$C" /holds --data-urlencode "station=st-01" --data-urlencode "load=999" --data-urlencode "reason=x"
c2=$CODE
post "$C" /holds --data-urlencode "station=st-01" --data-urlencode "load=1" --data-urlencode "reason="
c3=$CODE b3=$BODY
expect_exit 1 pw hold set --station st-01 --load 999 --reason x
e4=$ERR
if [ "$loc" = "Location: /holds?set=3" ] && [ "$o1" = "hold 4 set on load 1 of st-01" ] &&
   [ "$(db "SELECT station_id, hauler_id FROM holds WHERE id = 3")" = "st-01|1" ] &&
   [ "$c1 $c2 $c3" = "422 422 422" ] && grep -q 'aria-invalid="true"' <<<"$b3" &&
   grep -q 'no load 999 of station' <<<"$e4" && [ "$mid" = "$(counts)" ] && [ "$before" != "$mid" ]
then t_ok; else t_fail "" "$loc $o1 $c1 $c2 $c3 $e4 $before $mid $(counts)"; fi

t_begin "an auditor's form and a form without its token or with a wrong one: 403, nothing changed"
before=$(counts)
post "$A" /holds --data-urlencode "hauler=1" --data-urlencode "reason=nope"
c1=$CODE
post "$A" /holds/1
c2=$CODE
req "$C" --data-urlencode "hauler=1" --data-urlencode "reason=nope" "$U/holds"
c3=$CODE
req "$C" "$U/holds/1" -X POST
c4=$CODE
req "$C" "$U/holds"
tok=$(csrf_of)
req "$C" --data-urlencode "csrf=${tok}x" "$U/holds/1"
c5=$CODE
if [ "$c1 $c2 $c3 $c4 $c5" = "403 403 403 403 403" ] && [ "$before" = "$(counts)" ] && [ -n "$tok" ]
then t_ok; else t_fail "" "$c1 $c2 $c3 $c4 $c5 $before $(counts)"; fi

t_begin "a release keeps the row, with who released it; a second release is refused"
post "$C" /holds/1
loc=$(hdr Location)
post "$C" /holds/1
c2=$CODE
req "$A" "$U/holds?all=1"
all=$BODY
req "$A" "$U/holds"
if [ "$loc" = "Location: /holds?released=1" ] && [ "$c2" = 409 ] &&
   [ "$(db "SELECT count(*), released_by FROM holds WHERE id = 1 AND released IS NOT NULL")" = "1|cora" ] &&
   [ "$(db "SELECT count(*) FROM holds")" = 4 ] && grep -q 'Released' <<<"$all" &&
   grep -qF 'Subpoena &lt;2026-114&gt;' <<<"$all" && ! grep -qF 'Subpoena' <<<"$BODY" &&
   expect_exit 0 pw hold release 2 && expect_exit 1 pw hold release 2 &&
   expect_exit 0 pw --csv holds --all && [ "$(grep -c ',cli:' <<<"$OUT")" -ge 2 ] &&
   expect_exit 0 pw --json holds && ! grep -q '"id":"\?1"\?,' <<<"$OUT"
then t_ok; else t_fail "" "$loc $c2 $OUT $ERR"; fi

t_begin "a hold is never deleted: the table refuses it"
if ! db "DELETE FROM holds WHERE id = 1" 2>/dev/null && [ "$(db "SELECT count(*) FROM holds")" = 4 ]
then t_ok; else t_fail; fi

t_begin "the staff log holds every set and release with who made it, and its chain holds"
if expect_exit 0 pw --csv user log && grep -q 'staff log: .* chain checked' <<<"$ERR" &&
   [ "$(grep -c ',hold.set,' <<<"$OUT")" = 4 ] && [ "$(grep -c ',hold.release,' <<<"$OUT")" = 2 ] &&
   grep -q ',cora,hold.set,"hold 1 on load st-01/2: Subpoena' <<<"$OUT" &&
   grep -q ',cora,hold.release,hold 1 on load st-01/2' <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "retention --as-of three years on counts the loads past them and those held; nothing deleted"
last=$(db "SELECT max(day) FROM rec_loads WHERE station_id = 'st-01'")
first=$(db "SELECT min(day) FROM rec_loads WHERE station_id = 'st-01'")
on=$(db "SELECT date('$last', '+3 years')")
before=$(db "SELECT date('$first', '+3 years', '-1 day')")
# in force: hold 3 (hauler 1 at st-01) and hold 4 (load 1); held: hauler 1's loads and load 1
held=$(db "SELECT count(*) FROM rec_loads WHERE station_id = 'st-01' AND (hauler_id = 1 OR load_no = 1)")
if expect_exit 0 pw --csv retention --as-of "$on" &&
   [ "$(tr -d '\r' <<<"$OUT")" = "$(printf 'station,loads,past_3_years,held,may_discard\nst-01,%s,%s,%s,%s' "$NL" "$NL" "$held" $((NL - held)))" ] &&
   expect_exit 0 pw hold release 3 &&
   expect_exit 0 pw --csv retention --as-of "$on" &&
   [ "$(tr -d '\r' <<<"$OUT")" = "$(printf 'station,loads,past_3_years,held,may_discard\nst-01,%s,%s,1,%s' "$NL" "$NL" $((NL - 1)))" ] &&
   expect_exit 0 pw --csv retention --as-of "$before" &&
   [ "$(tr -d '\r' <<<"$OUT")" = "$(printf 'station,loads,past_3_years,held,may_discard\nst-01,%s,0,0,0' "$NL")" ] &&
   expect_exit 0 pw retention --as-of "$on" && grep -q 'nothing is deleted' <<<"$OUT" &&
   expect_exit 2 pw retention --as-of 2029-02-30 &&
   [ "$(db "SELECT count(*) FROM rec_loads WHERE station_id = 'st-01'")" = "$NL" ]
then t_ok; else t_fail "" "on $on before $before held $held NL $NL $OUT $ERR"; fi

plant_stop
t_begin "serve stopped cleanly, no sanitizer report"
if ! grep -q "Sanitizer\|runtime error" "$d/P/serve.err"; then t_ok; else t_fail "" "$(tail -20 "$d/P/serve.err")"; fi

t_begin "a plant database of version 8 gets the holds on open, as a new one makes them"
cp "$d/P/var/potw.db" "$d/v8.db"
q="SELECT type || name || coalesce(sql, '') FROM sqlite_schema WHERE tbl_name = 'holds' ORDER BY name"
fresh=$(sqlite3 "$d/v8.db" "$q")
now=$(sqlite3 "$d/v8.db" "PRAGMA user_version")
sqlite3 "$d/v8.db" "DROP TABLE holds; DROP TABLE load_days; DROP TRIGGER load_days_insert;
	DROP TRIGGER load_days_update; DROP TRIGGER load_days_delete; PRAGMA user_version = 8"
sed 's|^db = .*|db = '"$d"'/v8.db|' "$d/P/potw.ini" >"$d/v8.ini"
if [ "$now" = 11 ] && [ -n "$fresh" ] && [ -z "$(sqlite3 "$d/v8.db" "$q")" ] &&
   expect_exit 0 "$POTW" --config "$d/v8.ini" holds --all &&
   [ "$(sqlite3 "$d/v8.db" "PRAGMA user_version")" = 11 ] &&
   [ "$(sqlite3 "$d/v8.db" "$q")" = "$fresh" ]
then t_ok; else t_fail "" "$now $OUT $ERR"; fi

t_end
