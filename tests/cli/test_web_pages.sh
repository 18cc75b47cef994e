#!/bin/bash
# test_web_pages.sh: the plant's web pages (potw/web.c, potw/page_*.c)
# against the real server, build/asan/haulgate-potw under ASan+UBSan, on
# loopback TLS, through curl: the security headers of every answer; the
# user commands (user add|list|log); sign-in (cookies Secure; HttpOnly;
# SameSite=Strict, a form without its CSRF token refused), the stations
# page (a station name holding <script> and quotes written as text), the
# language (?lang=, Accept-Language); the users page (admin only): an
# account added by a form, refused with 403 and nothing changed without the
# CSRF token and for an auditor; the static folder (nothing outside it,
# '..' and its encodings, a symbolic link out); sessions that expire and
# are renewed at sign-in; sign-out; sign-in throttled per account and per
# address (429); the staff log (user log, its page for the auditor): its
# chain checked, and an edit of it found.
# POTW can name another binary (build/haulgate-potw).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# shellcheck source=tests/cli/web_lib.sh
. "$(dirname "$0")/web_lib.sh"

for c in openssl curl sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
[ -x "$POTW" ] || {
	echo "not ok - no $POTW: make $POTW"
	exit 1
}

d=$(tmpdir)
mkdir -p "$d/static"
cp "$HG_ROOT/assets/web/web.css" "$d/static/"
echo "SECRET-OUTSIDE" >"$d/secret.css"
ln -s "$d/secret.css" "$d/static/link.css"	# a link out of the folder
db() { sqlite3 "$d/var/potw.db" "$1"; }

t_begin "init; a station whose name holds <script> and quotes"
if web_plant "$d" static; then t_ok; else t_fail; fi

# ---- accounts ----
t_begin "user add: admin, coordinator, auditor; the password from stdin, hashed"
if printf '%s\n' "$PASSWORD" | pw user add --login ana --role admin >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null &&
   [ "$(db "SELECT count(*) FROM users WHERE pwhash LIKE '\$argon2id\$%'")" = 3 ] &&
   ! grep -q "correct horse" "$d/var/potw.db"
then t_ok; else t_fail "" "$(db 'SELECT login, pwhash FROM users')"; fi

t_begin "user add refuses a short password, a bad role, a bad login, a taken login"
if ! printf 'short\n' | pw user add --login bob --role auditor 2>"$d/e1" &&
   grep -q "at least 10 characters" "$d/e1" &&
   expect_exit 2 pw user add --login bob --role boss && grep -q "auditor, coordinator or admin" <<<"$ERR" &&
   expect_exit 2 pw user add --login 'Bob<x>' --role auditor &&
   ! printf '%s\n' "$PASSWORD" | pw user add --login ana --role auditor 2>"$d/e2" &&
   grep -q "login 'ana' is taken" "$d/e2" && [ "$(db 'SELECT count(*) FROM users')" = 3 ]
then t_ok; else t_fail "" "$ERR $(cat "$d/e1" "$d/e2")"; fi

t_begin "user list shows the accounts and who added them"
if expect_exit 0 pw user list && grep -q "^ana  *admin .*cli:" <<<"$OUT" &&
   grep -q "^aud  *auditor" <<<"$OUT" && grep -q "^cora  *coordinator" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

# ---- serve ----
web_serve "$d"
t_begin "serve listens on loopback TLS"
if [ -n "$U" ]; then t_ok; else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi


t_begin "every page carries the security headers a scanner asks for"
bad=""
for path in /signin /stations /nope /static/web.css /static/../potw.ini; do
	req "$d/j0" "$U$path"
	csp=$(hdr Content-Security-Policy)
	grep -q "frame-ancestors 'none'" <<<"$csp" || bad="$bad $path:csp-frame"
	grep -q "default-src 'none'" <<<"$csp" || bad="$bad $path:csp-default"
	grep -q "unsafe-inline\|unsafe-eval" <<<"$csp" && bad="$bad $path:csp-inline"
	[ "$(hdr X-Content-Type-Options)" = "X-Content-Type-Options: nosniff" ] || bad="$bad $path:nosniff"
	[ "$(hdr X-Frame-Options)" = "X-Frame-Options: DENY" ] || bad="$bad $path:xfo"
	[ "$(hdr Referrer-Policy)" = "Referrer-Policy: no-referrer" ] || bad="$bad $path:referrer"
	hdr Strict-Transport-Security | grep -q "max-age=[1-9]" || bad="$bad $path:hsts"
	hdr Permissions-Policy | grep -q "camera=()" || bad="$bad $path:permissions"
	hdr Cross-Origin-Opener-Policy | grep -q same-origin || bad="$bad $path:coop"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "$bad"; fi

t_begin "HEAD answers as GET, with the same headers and no body"
req "$d/j0" -I "$U/signin"
if [ "$CODE" = 200 ] && ! grep -q "<html" <<<"$BODY" && hdr Content-Security-Policy | grep -q "frame-ancestors 'none'"
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "no page has an inline script or style"
req "$d/j0" "$U/signin"
if [ "$CODE" = 200 ] && ! grep -qi "<script\|<style\| style=\| on[a-z]*=" <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "a page asked for without a session goes to the sign-in page"
req "$d/j0" "$U/stations"
if [ "$CODE" = 303 ] && [ "$(hdr Location)" = "Location: /signin" ]
then t_ok; else t_fail "" "$CODE $(cat "$d/h")"; fi

t_begin "the sign-in form's token is a cookie Secure; HttpOnly; SameSite=Strict"
req "$d/j1" "$U/signin"
if hdr Set-Cookie | grep -q "^Set-Cookie: __Host-hg_signin=[A-Za-z0-9_-]\{43\}; Path=/; Secure; HttpOnly; SameSite=Strict" &&
   grep -q "name=\"csrf\" value=\"$(cookie "$d/j1" __Host-hg_signin)\"" <<<"$BODY"
then t_ok; else t_fail "" "$(cat "$d/h")"; fi

t_begin "sign-in posted without its CSRF token, or with another, is refused (403), no session"
req "$d/j1" -d "login=ana&password=correct+horse+battery" "$U/signin"
c1=$CODE s1=$(hdr Set-Cookie)
req "$d/j1" -d "csrf=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&login=ana&password=correct+horse+battery" "$U/signin"
if [ "$c1" = 403 ] && [ "$CODE" = 403 ] && ! grep -q hg_session <<<"$s1$(hdr Set-Cookie)" &&
   [ "$(db 'SELECT count(*) FROM sessions')" = 0 ] && grep -q "signin refused: no valid CSRF token" "$d/serve.err"
then t_ok; else t_fail "" "$c1 $CODE $s1"; fi

t_begin "sign-in: a session cookie Secure; HttpOnly; SameSite=Strict, then the stations page"
signin "$d/ja" ana "$PASSWORD"
if [ "$CODE" = 303 ] && [ "$(hdr Location)" = "Location: /stations" ] &&
   hdr Set-Cookie | grep -q "^Set-Cookie: __Host-hg_session=[A-Za-z0-9_-]\{43\}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=" &&
   [ "$(db "SELECT count(*) FROM sessions WHERE login = 'ana'")" = 1 ]
then t_ok; else t_fail "" "$CODE $(cat "$d/h")"; fi
TOKEN_A=$(cookie "$d/ja" __Host-hg_session)

t_begin "the database keeps the session token's hash, not the token"
if [ -n "$TOKEN_A" ] && ! grep -q "$TOKEN_A" "$d/var/potw.db" &&
   [ "$(db "SELECT count(*) FROM sessions WHERE length(token_hash) = 32")" = 1 ]
then t_ok; else t_fail; fi

t_begin "the stations page: the station, its health, its name written as text"
req "$d/ja" "$U/stations"
if [ "$CODE" = 200 ] && grep -q '<th scope="row">north-01</th>' <<<"$BODY" &&
   grep -qF '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; O&#39;Brien &quot;Septic&quot; &amp; Sons' <<<"$BODY" &&
   ! grep -q '<script' <<<"$BODY" && grep -q '>never<' <<<"$BODY" && grep -q '>none yet<' <<<"$BODY"
then t_ok; else t_fail "" "$BODY"; fi

t_begin "the page in Spanish: ?lang=es (kept in a cookie), Accept-Language"
req "$d/ja" "$U/stations?lang=es"
a=$CODE b=$BODY
req "$d/ja" "$U/stations"
c=$BODY
req "$d/jx" -H "Accept-Language: es-MX,es;q=0.9,en;q=0.5" "$U/signin"
e=$BODY
req "$d/jy" -H "Accept-Language: fr, es;q=0.2, en;q=0.8" "$U/signin"
f=$BODY
req "$d/jy" -H "Accept-Language: e" "$U/signin"	# too short to be a language
g=$BODY
req "$d/jy" -H "Accept-Language: ES;q=0.5, en;q=0" "$U/signin"	# q=0: not wanted
k=$BODY
if [ "$a" = 200 ] && grep -q '<html lang="es">' <<<"$b" && grep -q "<h1>Estaciones</h1>" <<<"$b" &&
   grep -q "nunca" <<<"$b" && grep -q "<h1>Estaciones</h1>" <<<"$c" &&
   grep -q "<h1>Iniciar sesión</h1>" <<<"$e" && grep -q '<html lang="en">' <<<"$f" &&
   grep -q '<html lang="en">' <<<"$g" && grep -q '<html lang="es">' <<<"$k"
then t_ok; else t_fail "" "$b"; fi
req "$d/ja" "$U/stations?lang=en" >/dev/null

t_begin "the users page (admin) lists the accounts"
req "$d/ja" "$U/users"
CSRF_A=$(csrf_of)
if [ "$CODE" = 200 ] && grep -q '<th scope="row">aud</th>' <<<"$BODY" && [ -n "$CSRF_A" ]
then t_ok; else t_fail "" "$CODE $BODY"; fi

t_begin "a form posted without its CSRF token is refused (403) and changes nothing"
n0=$(db 'SELECT count(*) FROM users') l0=$(db 'SELECT count(*) FROM staff_log')
req "$d/ja" --data-urlencode "login=eve" --data-urlencode "role=admin" \
	--data-urlencode "password=$PASSWORD" "$U/users"
c1=$CODE
req "$d/ja" --data-urlencode "csrf=${CSRF_A%?}x" --data-urlencode "login=eve" \
	--data-urlencode "role=admin" --data-urlencode "password=$PASSWORD" "$U/users"
if [ "$c1" = 403 ] && [ "$CODE" = 403 ] && [ "$(db 'SELECT count(*) FROM users')" = "$n0" ] &&
   [ "$(db 'SELECT count(*) FROM staff_log')" = "$l0" ] && grep -q "users by ana refused: no valid CSRF" "$d/serve.err"
then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "a form with its token adds the account, logged with who added it"
req "$d/ja" --data-urlencode "csrf=$CSRF_A" --data-urlencode "login=vera" \
	--data-urlencode "role=auditor" --data-urlencode "password=$PASSWORD" "$U/users"
c1=$CODE l1=$(hdr Location)
req "$d/ja" "$U/users?added=vera"
if [ "$c1" = 303 ] && [ "$l1" = "Location: /users?added=vera" ] &&
   [ "$(db "SELECT added_by FROM users WHERE login = 'vera'")" = ana ] &&
   [ "$(db "SELECT actor || ' ' || action || ' ' || detail FROM staff_log ORDER BY seq DESC LIMIT 1")" = "ana user.add login=vera role=auditor" ] &&
   grep -q "Account vera added" <<<"$BODY"
then t_ok; else t_fail "" "$c1 $l1 $BODY"; fi

t_begin "a bad form is said and changes nothing (a short password, a taken login)"
n0=$(db 'SELECT count(*) FROM users')
req "$d/ja" --data-urlencode "csrf=$CSRF_A" --data-urlencode "login=walt" \
	--data-urlencode "role=auditor" --data-urlencode "password=short" "$U/users"
c1=$CODE b1=$BODY
req "$d/ja" --data-urlencode "csrf=$CSRF_A" --data-urlencode "login=vera" \
	--data-urlencode "role=admin" --data-urlencode "password=$PASSWORD" "$U/users"
if [ "$c1" = 422 ] && grep -q "at least 10 characters" <<<"$b1" && [ "$CODE" = 409 ] &&
   grep -q "That login is taken" <<<"$BODY" && [ "$(db 'SELECT count(*) FROM users')" = "$n0" ] &&
   [ "$(db "SELECT role FROM users WHERE login = 'vera'")" = auditor ]
then t_ok; else t_fail "" "$c1 $CODE"; fi

t_begin "an auditor sees the stations; the users page and its form are refused (403), nothing changed"
signin "$d/jd" aud "$PASSWORD"
req "$d/jd" "$U/stations"
c0=$CODE CSRF_D=$(csrf_of) nousers=$(grep -c 'href="/users"' <<<"$BODY")
req "$d/jd" "$U/users"
c1=$CODE
n0=$(db 'SELECT count(*) FROM users') l0=$(db 'SELECT count(*) FROM staff_log')
req "$d/jd" --data-urlencode "csrf=$CSRF_D" --data-urlencode "login=mallory" \
	--data-urlencode "role=admin" --data-urlencode "password=$PASSWORD" "$U/users"
if [ "$c0" = 200 ] && [ "$nousers" = 0 ] && [ "$c1" = 403 ] && [ "$CODE" = 403 ] &&
   [ "$(db 'SELECT count(*) FROM users')" = "$n0" ] && [ "$(db 'SELECT count(*) FROM staff_log')" = "$l0" ] &&
   grep -q "POST /users by aud (auditor) refused: role" "$d/serve.err"
then t_ok; else t_fail "" "$c0 $nousers $c1 $CODE"; fi

t_begin "a coordinator is refused the users page too"
signin "$d/jc" cora "$PASSWORD"
req "$d/jc" "$U/users"
if [ "$CODE" = 403 ]; then t_ok; else t_fail "" "$CODE"; fi

t_begin "the staff log page: the auditor reads every change with who made it; a coordinator is refused"
req "$d/jc" "$U/log"
c1=$CODE
req "$d/jd" "$U/log"
if [ "$c1" = 403 ] && [ "$CODE" = 200 ] && grep -q "The chain holds: [0-9]* entries" <<<"$BODY" &&
   grep -q '<td data-label="Who">ana</td><td data-label="What">user.add</td><td data-label="Detail">login=vera role=auditor</td>' <<<"$BODY" &&
   grep -q '<td data-label="Who">aud</td><td data-label="What">signin</td>' <<<"$BODY"
then t_ok; else t_fail "" "$c1 $CODE $BODY"; fi

# ---- the static folder ----
t_begin "the style sheet is served from the static folder"
req "$d/j0" "$U/static/web.css"
if [ "$CODE" = 200 ] && [ "$(hdr Content-Type)" = "Content-Type: text/css; charset=utf-8" ] &&
   grep -q "font-family" <<<"$BODY"
then t_ok; else t_fail "" "$CODE $(cat "$d/h")"; fi

t_begin "no path outside the static folder can be read ('..', its encodings, a link out)"
bad=""
for p in "../potw.ini" "%2e%2e/potw.ini" "%2E%2E%2Fpotw.ini" "..%2fpotw.ini" ".%2e/potw.ini" \
	 "..%5cpotw.ini" "%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd" "....//potw.ini" \
	 "link.css" "../secret.css" "%2e%2e/secret.css" "/etc/passwd" "%2fetc%2fpasswd" \
	 ".hidden.css" "web.css/" "" "potw.ini"; do
	req "$d/j0" "$U/static/$p"
	if [ "$CODE" != 404 ] || grep -q "SECRET-OUTSIDE\|root:\|\[server\]" <<<"$BODY"; then
		bad="$bad $p:$CODE"
	fi
done
req "$d/j0" "$U/../potw.ini"
[ "$CODE" = 404 ] || bad="$bad /../potw.ini:$CODE"
req "$d/j0" "$U/static/web.css%00.png"	# decoded, the NUL would make it web.css
[ "$CODE" = 400 ] || bad="$bad web.css%00.png:$CODE"
if [ -z "$bad" ] && grep -q "static 'link.css' refused" "$d/serve.err"
then t_ok; else t_fail "" "$bad"; fi

# ---- sessions ----
t_begin "a session expires (idle): the page goes to the sign-in page, the cookie dropped"
signin "$d/je" cora "$PASSWORD"
TOKEN_E=$(cookie "$d/je" __Host-hg_session)
db "UPDATE sessions SET expires = strftime('%s','now') - 1 WHERE login = 'cora'"
req "$d/je" "$U/stations"
if [ "$CODE" = 303 ] && [ "$(hdr Location)" = "Location: /signin" ] &&
   hdr Set-Cookie | grep -q "__Host-hg_session=; .*Max-Age=0" &&
   [ "$(db "SELECT count(*) FROM sessions WHERE login = 'cora'")" -le 1 ]
then t_ok; else t_fail "" "$CODE $(cat "$d/h")"; fi

t_begin "a session ends at its longest life even when used"
signin "$d/jf" cora "$PASSWORD"
db "UPDATE sessions SET created = created - 13 * 3600 WHERE login = 'cora'"
req "$d/jf" "$U/stations"
if [ "$CODE" = 303 ]; then t_ok; else t_fail "" "$CODE"; fi

t_begin "sign-in renews the session: a new token, the one held before ended"
signin "$d/jg" ana "$PASSWORD"
T1=$(cookie "$d/jg" __Host-hg_session)
cp "$d/jg" "$d/jg.old"
signin "$d/jg" ana "$PASSWORD"
T2=$(cookie "$d/jg" __Host-hg_session)
req "$d/jg.old" "$U/stations"
c1=$CODE
req "$d/jg" "$U/stations"
if [ -n "$T1" ] && [ -n "$T2" ] && [ "$T1" != "$T2" ] && [ "$c1" = 303 ] && [ "$CODE" = 200 ]
then t_ok; else t_fail "" "$T1 $T2 $c1 $CODE"; fi

t_begin "sign-out ends the session (the token no longer opens a page), logged"
req "$d/jg" "$U/stations"
CSRF_G=$(csrf_of)
req "$d/jg" -X POST "$U/signout"
c0=$CODE
req "$d/jg" --data-urlencode "csrf=$CSRF_G" "$U/signout"
c1=$CODE l1=$(hdr Location)
printf '127.0.0.1\tFALSE\t/\tTRUE\t0\t__Host-hg_session\t%s\n' "$T2" >"$d/jz"
req "$d/jz" "$U/stations"
if [ "$c0" = 403 ] && [ "$c1" = 303 ] && [ "$l1" = "Location: /signin" ] && [ "$CODE" = 303 ] &&
   [ "$(db "SELECT action FROM staff_log ORDER BY seq DESC LIMIT 1")" = signout ]
then t_ok; else t_fail "" "$c0 $c1 $l1 $CODE"; fi

# ---- throttling ----
t_begin "a wrong password is refused, said the same as an unknown login"
signin "$d/jt" cora "wrong password 1"
b1=$BODY c1=$CODE
signin "$d/jt" nobody "wrong password 1"
if [ "$c1" = 200 ] && grep -q "Wrong login or password." <<<"$b1" && grep -q "Wrong login or password." <<<"$BODY" &&
   ! grep -q hg_session "$d/jt"
then t_ok; else t_fail "" "$c1 $b1"; fi

t_begin "after 5 failures an account is throttled (429, Retry-After), even with its password"
for i in 2 3 4 5; do signin "$d/jt" cora "wrong password $i"; done
signin "$d/jt" cora "$PASSWORD"
if [ "$CODE" = 429 ] && [ "$(hdr Retry-After)" = "Retry-After: 900" ] &&
   grep -q "Too many failed sign-ins" <<<"$BODY" && ! grep -q hg_session "$d/jt" &&
   grep -q "sign-in of 'cora' from 127.0.0.1 throttled" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $(cat "$d/h")"; fi

t_begin "another account still signs in from the address"
signin "$d/ju" aud "$PASSWORD"
if [ "$CODE" = 303 ]; then t_ok; else t_fail "" "$CODE"; fi

t_begin "after 20 failures from an address, every account is throttled from it"
for i in $(seq 1 14); do signin "$d/jt" "guess$i" "wrong password"; done
signin "$d/jv" aud "$PASSWORD"
if [ "$CODE" = 429 ] && [ "$(db "SELECT count(*) FROM signin_failures WHERE addr = '127.0.0.1'")" -ge 20 ]
then t_ok; else t_fail "" "$CODE $(db 'SELECT count(*) FROM signin_failures')"; fi

# ---- the staff log ----
t_begin "user log: every change with who made it, the chain checked"
if expect_exit 0 pw user log && grep -q "cli:.* user.add  *login=ana role=admin" <<<"$OUT" &&
   grep -q " ana  *user.add  *login=vera role=auditor" <<<"$OUT" && grep -q " aud  *signin " <<<"$OUT" &&
   grep -q " ana  *signout" <<<"$OUT" && grep -q "chain checked" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "an entry of the staff log edited afterwards is found (user log, the log page)"
db "UPDATE staff_log SET actor = 'somebody' WHERE seq = 4"
req "$d/jd" "$U/log"
if expect_exit 1 pw user log && grep -q "staff log: entry 4 is not what its hash says" <<<"$ERR" &&
   [ "$CODE" = 200 ] && grep -q 'role="alert">ALARM: the staff log was changed afterwards, at entry 4.' <<<"$BODY"
then t_ok; else t_fail "" "$ERR $BODY"; fi

t_begin "SIGTERM ends serve cleanly, no sanitizer report"
if web_stop; then t_ok; else t_fail "" "$OUT"; fi

t_end
