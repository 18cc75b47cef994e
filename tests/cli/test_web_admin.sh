#!/bin/bash
# test_web_admin.sh: the coordinator's policy page and the admin's stations
# and accounts (potw/page_policy.c, page_stations.c, page_users.c; the code
# they share with the CLI: cmd_policy.c, cmd_user.c) against the real
# server, build/asan/haulgate-potw, on loopback TLS, through curl, and a
# real station (build/haulgate) syncing with it:
# - an admin registers the station through the stations page (its PEM
#   pasted); the station syncs; bad forms 422 in the CLI's words, what was
#   typed kept;
# - every role reads /policy; a coordinator closes Mondays for the station
#   through its form: on its next sync the station shows the closed screen
#   on a Monday (unset: open again); a bad value 422 with station.ini's
#   words, in the person's language's lead, nothing logged;
# - the admin changes a role (in force at the next request), disables an
#   account (its session ends at once, it signs in no more), enables it,
#   gives one a new password (shown once; the old one and its sessions
#   end), and cannot disable or demote the last admin; the CLI's user
#   disable|enable|passwd|role say the same words;
# - the admin retires the station: its next sync refused, its records kept;
# - each form without its token 403, by the wrong role 403, nothing changed;
# - the staff log holds every change with who made it, its chain holds;
# - a plant database of version 10 gets users.disabled on open.
# POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/web_lib.sh
. "$(dirname "$0")/web_lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"

for c in openssl curl sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
for b in "$HG" "$POTW"; do
	[ -x "$b" ] || {
		echo "not ok - no $b: make $b"
		exit 1
	}
done

d=$(tmpdir)
db() { sqlite3 "$d/P/var/potw.db" "$1"; }
staff() { db "SELECT count(*) FROM staff_log"; }
plant_events() { db "SELECT count(*) FROM events WHERE station = 'haulgate.potw'"; }
s1() { "$HG" --config "$d/S/station.ini" "$@"; }

plant_make "$d/P"
printf '[web]\nstatic = %s\n' "$HG_ROOT/assets/web" >>"$d/P/potw.ini"
pw hauler add --company "Acme Pumping" --contact "Ann Lee" --address "1 Main St" \
	--phone 555-0100 --permit P-1 --from 2026-01-01 --to 2030-12-31 \
	--waste septage,grease >/dev/null 2>&1
printf '4821\n' | pw card add --uid 04:A1:B2:C3 --hauler 1 --driver "Bo Diaz" >/dev/null 2>&1
pw truck add --hauler 1 --ident "KS 123" --capacity 3000 >/dev/null 2>&1
mkdir -p "$d/S"
sed "s/^id = .*/id = st-01/" "$HG_ROOT/tests/scenarios/station.ini" >"$d/S/station.ini"
s1 init >/dev/null 2>&1
s1 keys --public-pem >"$d/S/station.pem"
plant_serve
U="https://127.0.0.1:$PORT"
station_join "$d/S/station.ini"

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

t_begin "accounts: an admin, a coordinator, an auditor; each signed in"
if [ -n "$PORT" ] &&
   printf '%s\n' "$PASSWORD" | pw user add --login ana --role admin >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null
then t_ok; else t_fail "" "port '$PORT'"; fi
A="$d/jar.a" C="$d/jar.c" X="$d/jar.x"
signin "$A" ana "$PASSWORD"
signin "$C" cora "$PASSWORD"
signin "$X" aud "$PASSWORD"

# post JAR PATH FIELDS...: the form posted with the session's token (from /stations)
post() {
	local jar=$1 path=$2 tok
	shift 2
	req "$jar" "$U/stations"
	tok=$(csrf_of)
	req "$jar" --data-urlencode "csrf=$tok" "$@" "$U$path"
}

# ---- stations ----
t_begin "the admin registers the station through the stations page; the station syncs"
pem=$(cat "$d/S/station.pem")
before=$(staff)
post "$A" /stations --data-urlencode do=add --data-urlencode id=st-01 \
	--data-urlencode "name=North <gate> \"1\"" --data-urlencode "key-pem=$pem"
c1=$CODE loc=$(hdr Location)
req "$X" "$U/stations?added=st-01"
if [ "$c1" = 303 ] && [ "$loc" = "Location: /stations?added=st-01" ] &&
   [ "$(db "SELECT name, retired IS NULL FROM stations WHERE id = 'st-01'")" = 'North <gate> "1"|1' ] &&
   [ "$(db "SELECT actor || ' ' || action || ' ' || detail FROM staff_log ORDER BY seq DESC LIMIT 1")" = 'ana station.add station st-01: North <gate> "1"' ] &&
   [ "$(staff)" = $((before + 1)) ] && grep -qF 'North &lt;gate&gt; &quot;1&quot;' <<<"$BODY" &&
   ! grep -q 'name="key-pem"' <<<"$BODY" &&
   expect_exit 0 s1 sync now
then t_ok; else t_fail "" "$c1 $loc $OUT $ERR"; fi

t_begin "bad station forms: 422 in the CLI's words (the lead in Spanish too), what was typed kept, nothing added"
before=$(db "SELECT count(*) FROM stations")
post "$A" /stations --data-urlencode do=add --data-urlencode "id=bad id!" \
	--data-urlencode "name=Typed Name" --data-urlencode "key-pem=$pem"
c1=$CODE b1=$BODY
post "$A" "/stations?lang=es" --data-urlencode do=add --data-urlencode id=st-02 \
	--data-urlencode "name=Two" --data-urlencode "key-pem=not a key"
c2=$CODE b2=$BODY
post "$A" /stations --data-urlencode do=add --data-urlencode id=st-01 \
	--data-urlencode "name=Again" --data-urlencode "key-pem=$pem"
c3=$CODE b3=$BODY
expect_exit 1 pw station add --id 'bad id!' --name x --key-pem "$d/S/station.pem"
e4=$ERR
if [ "$c1 $c2 $c3" = "422 422 422" ] &&
   grep -q "is not a station id: 1 to 31 letters" <<<"$b1" && grep -q 'value="Typed Name"' <<<"$b1" &&
   grep -q 'aria-invalid="true"' <<<"$b1" && grep -qF "error: --id: 'bad id!' is not a station id: 1 to 31 letters" <<<"$e4" &&
   grep -q 'Rechazado; no se cambió nada:' <<<"$b2" && grep -q -- '--key-pem: ' <<<"$b2" &&
   grep -q "exists already" <<<"$b3" && [ "$(db "SELECT count(*) FROM stations")" = "$before" ]
then t_ok; else t_fail "" "$c1 $c2 $c3 $b1"; fi
req "$A" "$U/stations?lang=en"

# ---- policy ----
t_begin "every role reads /policy: each key, what it means, where it applies, unset keys station.ini's"
req "$X" "$U/policy"
c1=$CODE b1=$BODY
req "$A" "$U/policy"
c2=$CODE b2=$BODY
req "$C" "$U/policy"
c3=$CODE b3=$BODY
req "$X" "$U/policy?lang=es"
c4=$CODE b4=$BODY
req "$X" "$U/policy?lang=en"
if [ "$c1 $c2 $c3 $c4" = "200 200 200 200" ] && grep -q '<code>hours.mon</code>' <<<"$b1" &&
   grep -q 'Opening hours on Mondays' <<<"$b1" && grep -q "each station&#39;s own station.ini" <<<"$b1" &&
   ! grep -q 'action="/policy"' <<<"$b1" && ! grep -q 'action="/policy"' <<<"$b2" &&
   grep -q 'action="/policy"' <<<"$b3" && grep -q '<option value="st-01">' <<<"$b3" &&
   grep -q 'Horario de los lunes' <<<"$b4" && grep -q 'href="/policy"' <<<"$b1"
then t_ok; else t_fail "" "$c1 $c2 $c3 $c4"; fi

t_begin "before: the station is open on Monday mornings (its station.ini)"
if expect_exit 0 s1 simulate --script "$d/monday.scn"; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the coordinator closes Mondays for st-01 through the form: logged, shown with who and when"
ev=$(plant_events)
post "$C" /policy --data-urlencode do=set --data-urlencode key=hours.mon \
	--data-urlencode value=closed --data-urlencode station=st-01
c1=$CODE loc=$(hdr Location)
req "$X" "$U/policy"
if [ "$c1" = 303 ] && [ "$loc" = "Location: /policy?done=set" ] && [ "$(plant_events)" = $((ev + 1)) ] &&
   [ "$(db "SELECT value FROM rec_policy WHERE station_id = 'haulgate.potw' AND scope = 'st-01' AND section = 'hours' AND key = 'mon' AND active = 1")" = closed ] &&
   [ "$(db "SELECT actor FROM events WHERE station = 'haulgate.potw' ORDER BY seq DESC LIMIT 1")" = web:cora ] &&
   [ "$(db "SELECT actor || ' ' || action || ' ' || detail FROM staff_log ORDER BY seq DESC LIMIT 1")" = "cora roster.policy_set version=$((ev + 1)) scope=st-01 key=hours.mon" ] &&
   grep -q 'Station st-01' <<<"$BODY" && grep -q '<code>closed</code>' <<<"$BODY" && grep -q ' by web:cora' <<<"$BODY" &&
   expect_exit 0 pw --csv policy show && grep -q '^hours.mon,closed,"plant, station st-01"' <<<"$(tr -d '\r' <<<"$OUT")"
then t_ok; else t_fail "" "$c1 $loc $OUT $ERR"; fi

t_begin "on its next sync the station takes it: closed on a Monday, a card refused station_closed"
if expect_exit 0 s1 sync now && grep -q "1 edit applied" <<<"$OUT" &&
   expect_exit 0 s1 simulate --script "$d/monday_closed.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a bad value: 422 with station.ini's words, what was typed kept, nothing logged (and the lead in Spanish)"
ev=$(plant_events) st=$(staff)
post "$C" /policy --data-urlencode do=set --data-urlencode key=hours.tue \
	--data-urlencode value=25:00-26:00 --data-urlencode station=st-01
c1=$CODE b1=$BODY
post "$C" "/policy?lang=es" --data-urlencode do=set --data-urlencode key=session.pin_attempts --data-urlencode value=3
c2=$CODE b2=$BODY
post "$C" "/policy?lang=en" --data-urlencode do=unset --data-urlencode key=hours.wed
c3=$CODE b3=$BODY
expect_exit 1 pw policy set --key hours.tue --value 25:00-26:00 --station st-01
e4=$ERR
words=$(sed -n 's/^error: //p' <<<"$e4")
if [ "$c1 $c2 $c3" = "422 422 422" ] && grep -q 'must be HH:MM-HH:MM' <<<"$b1" &&
   [ -n "$words" ] && grep -qF "$(sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g; s/'"'"'/\&#39;/g' <<<"$words")" <<<"$b1" &&
   grep -q 'The value was refused, nothing was changed:' <<<"$b1" &&
   grep -q 'value="25:00-26:00"' <<<"$b1" && grep -q '<option value="hours.tue" selected>' <<<"$b1" &&
   grep -q '<option value="st-01" selected>' <<<"$b1" && grep -q 'aria-invalid="true"' <<<"$b1" &&
   grep -q 'Se rechazó el valor; no se cambió nada:' <<<"$b2" && grep -q "is the station&#39;s own" <<<"$b2" &&
   grep -q "hours.wed is not set at the plant for all stations" <<<"$b3" &&
   [ "$(plant_events) $(staff)" = "$ev $st" ]
then t_ok; else t_fail "" "$c1 $c2 $c3 [$words] $b1"; fi

t_begin "the policy form by an auditor or an admin, or without its token: 403, nothing changed"
ev=$(plant_events)
post "$X" /policy --data-urlencode do=set --data-urlencode key=hours.sun --data-urlencode value=closed
c1=$CODE
post "$A" /policy --data-urlencode do=set --data-urlencode key=hours.sun --data-urlencode value=closed
c2=$CODE
req "$C" --data-urlencode do=set --data-urlencode key=hours.sun --data-urlencode value=closed "$U/policy"
c3=$CODE
if [ "$c1 $c2 $c3" = "403 403 403" ] && [ "$(plant_events)" = "$ev" ]
then t_ok; else t_fail "" "$c1 $c2 $c3"; fi

t_begin "unset through the form: after its next sync the station is open on Mondays again"
post "$C" /policy --data-urlencode do=unset --data-urlencode key=hours.mon --data-urlencode station=st-01
c1=$CODE loc=$(hdr Location)
if [ "$c1" = 303 ] && [ "$loc" = "Location: /policy?done=unset" ] &&
   expect_exit 0 s1 sync now && expect_exit 0 s1 simulate --script "$d/monday.scn"
then t_ok; else t_fail "" "$c1 $loc $OUT $ERR"; fi

# ---- accounts ----
t_begin "the users page: each account's status and the admin's change form"
req "$A" "$U/users"
if [ "$CODE" = 200 ] && grep -q 'action="/users/cora"' <<<"$BODY" &&
   grep -q '<label class="sr" for="role-cora">Role of cora</label>' <<<"$BODY" &&
   grep -q 'name="do" value="disable"' <<<"$BODY" && grep -q '>Active<' <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "a role changed (coordinator to auditor): in force at cora's next request; and back"
post "$A" /users/cora --data-urlencode do=role --data-urlencode role=auditor
c1=$CODE loc=$(hdr Location)
req "$A" "$U${loc#Location: }"
b1=$BODY
post "$C" /policy --data-urlencode do=set --data-urlencode key=hours.sun --data-urlencode value=closed
c2=$CODE
expect_exit 0 pw user role --login cora --role coordinator
o3=$OUT
post "$C" /policy --data-urlencode do=set --data-urlencode key=hours.sun --data-urlencode value=closed
c3=$CODE
if [ "$c1" = 303 ] && [ "$loc" = "Location: /users?done=role&login=cora" ] && grep -q 'Role of cora changed.' <<<"$b1" &&
   [ "$c2" = 403 ] && [ "$o3" = "account cora is now coordinator" ] && [ "$c3" = 303 ] &&
   [ "$(db "SELECT actor || ' ' || action || ' ' || detail FROM staff_log WHERE action = 'user.role' ORDER BY seq LIMIT 1")" = "ana user.role login=cora role=auditor (was coordinator)" ]
then t_ok; else t_fail "" "$c1 $loc $c2 $o3 $c3"; fi

t_begin "an account disabled: its session ends at once, it signs in no more; enabled: it signs in again"
post "$A" /users/aud --data-urlencode do=disable
c1=$CODE loc=$(hdr Location)
req "$X" "$U/stations"
c2=$CODE l2=$(hdr Location)
signin "$X" aud "$PASSWORD"
b3=$BODY
req "$A" "$U/users"
b4=$BODY
post "$A" /users/aud --data-urlencode do=enable
c5=$CODE
signin "$X" aud "$PASSWORD"
c6=$CODE l6=$(hdr Location)
if [ "$c1" = 303 ] && [ "$loc" = "Location: /users?done=disable&login=aud" ] &&
   [ "$c2" = 303 ] && [ "$l2" = "Location: /signin" ] && grep -q 'Wrong login or password.' <<<"$b3" &&
   grep -q '>Disabled 20' <<<"$b4" && grep -q 'name="do" value="enable"' <<<"$b4" &&
   [ "$c5" = 303 ] && [ "$c6" = 303 ] && [ "$l6" = "Location: /stations" ]
then t_ok; else t_fail "" "$c1 $loc $c2 $l2 $c5 $c6 $l6"; fi

t_begin "a new password: made by the plant, shown once, hashed; the old one and cora's session end"
post "$A" /users/cora --data-urlencode do=passwd
c1=$CODE b1=$BODY cc=$(hdr Cache-Control)
newpw=$(sed -n 's|.*<code class="newpw">\([^<]*\)</code>.*|\1|p' <<<"$b1")
req "$C" "$U/policy"
c2=$CODE
signin "$d/jar.old" cora "$PASSWORD"
b3=$BODY
signin "$C" cora "$newpw"
c4=$CODE l4=$(hdr Location)
if [ "$c1" = 200 ] && [[ "$newpw" =~ ^[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}-[a-z2-9]{5}$ ]] &&
   grep -q 'New password of cora, shown this once' <<<"$b1" && [ "$cc" = "Cache-Control: no-store" ] &&
   [ "$c2" = 303 ] && grep -q 'Wrong login or password.' <<<"$b3" &&
   [ "$c4" = 303 ] && [ "$l4" = "Location: /stations" ] &&
   [ "$(db "SELECT pwhash LIKE '\$argon2id\$%' FROM users WHERE login = 'cora'")" = 1 ] &&
   ! grep -q "$newpw" "$d/P/var/potw.db" "$d/P/serve.err" &&
   [ "$(db "SELECT count(*) FROM staff_log WHERE detail LIKE '%$newpw%'")" = 0 ]
then t_ok; else t_fail "" "$c1 [$newpw] $c2 $c4 $l4"; fi

t_begin "the last admin is neither disabled nor demoted (page and CLI, the same words); bad values 422"
st=$(staff)
post "$A" /users/ana --data-urlencode do=disable
c1=$CODE b1=$BODY
post "$A" "/users/ana?lang=es" --data-urlencode do=role --data-urlencode role=auditor
c2=$CODE b2=$BODY
post "$A" "/users/cora?lang=en" --data-urlencode do=role --data-urlencode role=boss
c3=$CODE b3=$BODY
post "$A" /users/zed --data-urlencode do=enable
c4=$CODE b4=$BODY
post "$A" /users/cora --data-urlencode do=enable
c5=$CODE b5=$BODY
expect_exit 1 pw user disable --login ana
e6=$ERR
if [ "$c1 $c2 $c3 $c4 $c5" = "422 422 422 422 422" ] &&
   grep -q "&#39;ana&#39; is the last admin: make another account admin first" <<<"$b1" &&
   grep -q "error: 'ana' is the last admin: make another account admin first" <<<"$e6" &&
   grep -q 'Rechazado; no se cambió nada:' <<<"$b2" && grep -q 'is the last admin' <<<"$b2" &&
   grep -q -- "--role: auditor, coordinator or admin, not &#39;boss&#39;" <<<"$b3" &&
   grep -q "no account &#39;zed&#39;" <<<"$b4" && grep -q "is not disabled" <<<"$b5" &&
   [ "$(staff)" = "$st" ] && [ "$(db "SELECT role, disabled IS NULL FROM users WHERE login = 'ana'")" = "admin|1" ]
then t_ok; else t_fail "" "$c1 $c2 $c3 $c4 $c5 $e6"; fi

t_begin "with a second admin the first may be demoted; CLI: disable, enable, passwd (printed once)"
if expect_exit 0 pw user role --login aud --role admin &&
   expect_exit 0 pw user role --login ana --role coordinator &&
   expect_exit 1 pw user disable --login aud && grep -q "'aud' is the last admin" <<<"$ERR" &&
   expect_exit 0 pw user role --login ana --role admin &&
   expect_exit 0 pw user disable --login aud && grep -q "account aud disabled" <<<"$OUT" &&
   expect_exit 1 pw user disable --login aud && grep -q "disabled already" <<<"$ERR" &&
   expect_exit 0 pw user enable --login aud &&
   expect_exit 0 pw user passwd --login aud && grep -qE '^new password: [a-z2-9-]{23}$' <<<"$OUT" &&
   grep -q "shown once" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi
audpw=$(sed -n 's/^new password: //p' <<<"$OUT")
pw user role --login aud --role auditor >/dev/null

t_begin "the account forms by a coordinator or an auditor, or without their token: 403, nothing changed"
signin "$X" aud "$audpw"
st=$(staff) users=$(db "SELECT group_concat(login || role || coalesce(disabled, ''), ',') FROM users")
post "$C" /users/aud --data-urlencode do=disable
c1=$CODE
post "$X" /users/cora --data-urlencode do=passwd
c2=$CODE
req "$A" --data-urlencode do=disable "$U/users/cora"
c3=$CODE
post "$C" /stations --data-urlencode do=retire --data-urlencode id=st-01 --data-urlencode confirm=yes
c4=$CODE
req "$A" --data-urlencode do=retire --data-urlencode id=st-01 --data-urlencode confirm=yes "$U/stations"
c5=$CODE
if [ "$c1 $c2 $c3 $c4 $c5" = "403 403 403 403 403" ] && [ "$(staff)" = "$st" ] &&
   [ "$(db "SELECT group_concat(login || role || coalesce(disabled, ''), ',') FROM users")" = "$users" ] &&
   [ "$(db "SELECT retired IS NULL FROM stations WHERE id = 'st-01'")" = 1 ]
then t_ok; else t_fail "" "$c1 $c2 $c3 $c4 $c5"; fi

# ---- a station retired ----
t_begin "retire without the box ticked: 422, nothing changed; ticked: retired, shown so, logged"
ne=$(db "SELECT count(*) FROM events WHERE station = 'st-01'")
post "$A" /stations --data-urlencode do=retire --data-urlencode id=st-01
c1=$CODE b1=$BODY
post "$A" /stations --data-urlencode do=retire --data-urlencode id=st-01 --data-urlencode confirm=yes
c2=$CODE loc=$(hdr Location)
req "$X" "$U/stations"
if [ "$c1" = 422 ] && grep -q 'tick the box' <<<"$b1" &&
   [ "$c2" = 303 ] && [ "$loc" = "Location: /stations?retired=st-01" ] &&
   [ "$(db "SELECT retired IS NOT NULL FROM stations WHERE id = 'st-01'")" = 1 ] &&
   grep -q '<td class="retired"' <<<"$BODY" &&
   [ "$(db "SELECT actor || ' ' || action || ' ' || detail FROM staff_log ORDER BY seq DESC LIMIT 1")" = "ana station.retire station st-01" ] &&
   [ "$ne" -gt 0 ]
then t_ok; else t_fail "" "$c1 $c2 $loc $b1"; fi

t_begin "the retired station's next sync is refused; what it sent is kept; a second retire 422"
s1 simulate --script "$d/monday.scn" >/dev/null 2>&1
post "$A" /stations --data-urlencode do=retire --data-urlencode id=st-01 --data-urlencode confirm=yes
c1=$CODE b1=$BODY
if ! s1 sync now >"$d/sync.out" 2>&1 && grep -q "retired" "$d/P/serve.err" &&
   [ "$(db "SELECT count(*) FROM events WHERE station = 'st-01'")" = "$ne" ] &&
   [ "$c1" = 422 ] && grep -q "retired already" <<<"$b1"
then t_ok; else t_fail "" "$c1 $(cat "$d/sync.out")"; fi

t_begin "the staff log: every change with who made it, and its chain holds"
if expect_exit 0 pw --csv user log && grep -q 'staff log: .* chain checked' <<<"$ERR" &&
   grep -q ',ana,station.add,' <<<"$OUT" && grep -q ',ana,station.retire,station st-01' <<<"$OUT" &&
   [ "$(grep -c ',cora,roster.policy_set,' <<<"$OUT")" = 2 ] && grep -q ',cora,roster.policy_unset,' <<<"$OUT" &&
   grep -q ',ana,user.disable,login=aud' <<<"$OUT" && grep -q ',ana,user.enable,login=aud' <<<"$OUT" &&
   grep -q ',ana,user.passwd,login=cora' <<<"$OUT" && grep -q ',cli:[^,]*,user.passwd,login=aud' <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

plant_stop
t_begin "serve stopped cleanly, no sanitizer report"
if ! grep -q "Sanitizer\|runtime error" "$d/P/serve.err"; then t_ok; else t_fail "" "$(tail -20 "$d/P/serve.err")"; fi

t_begin "a plant database of version 10 gets users.disabled on open, as a new one makes it"
cp "$d/P/var/potw.db" "$d/v10.db"
q="SELECT sql FROM sqlite_schema WHERE name = 'users'"
fresh=$(sqlite3 "$d/v10.db" "$q")
sqlite3 "$d/v10.db" "ALTER TABLE users DROP COLUMN disabled; PRAGMA user_version = 10"
sed 's|^db = .*|db = '"$d"'/v10.db|' "$d/P/potw.ini" >"$d/v10.ini"
if [ -z "$(sqlite3 "$d/v10.db" "SELECT 1 FROM pragma_table_info('users') WHERE name = 'disabled'")" ] &&
   expect_exit 0 "$POTW" --config "$d/v10.ini" user list &&
   [ "$(sqlite3 "$d/v10.db" "PRAGMA user_version")" = 11 ] &&
   [ "$(sqlite3 "$d/v10.db" "$q")" = "$fresh" ]
then t_ok; else t_fail "" "$OUT $ERR $(sqlite3 "$d/v10.db" "$q")"; fi

t_end
