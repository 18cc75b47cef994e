# web_lib.sh: what the web pages' tests (test_web_pages.sh,
# test_web_browser.sh) share; source it after lib.sh, do not run it.
#
#   web_plant DIR STATIC   potw.ini in DIR (any free port on loopback,
#                          [web] static = STATIC), init, and the station
#                          north-01 named $NAME (a name holding <script>
#                          and quotes); pw runs the plant's commands
#   web_serve DIR          serve started (its pid in $SRV, stopped at exit),
#                          the port waited for; $U its https:// address, ""
#                          when it did not listen (serve.out and serve.err
#                          in DIR say why)
#   web_stop               SIGTERM; 0 when serve exited 0 with no sanitizer
#                          report (serve.err then in $OUT otherwise)
#   req JAR [curl args]    a request to the server (curl, the cookie jar JAR):
#                          headers in $d/h ($d: the test's folder), the body
#                          in $BODY, the status in $CODE
#   hdr NAME, cookie JAR NAME, csrf_of: a header of the last answer, a
#                          cookie's value, the CSRF token of $BODY's form
#   signin JAR LOGIN PASSWORD: the sign-in form fetched, then posted
#   web_evil_scn FILE      a scenario (after hauler_first_load.scn) of a load
#                          whose every field a hauler types holds <script>,
#                          quotes and a formula: EVIL_NAME (the source's
#                          name), EVIL_CHARS (its characteristics)
# shellcheck shell=bash
# shellcheck disable=SC2034  # NAME, PASSWORD, SRV, U are for the scripts

POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
NAME='<script>alert("x")</script> O'"'"'Brien "Septic" & Sons'
PASSWORD="correct horse battery"
EVIL_NAME='<script>alert("x")</script> O'"'"'Neil "Pumps"'
EVIL_CHARS='+1 =HYPERLINK("http://x") <b>bold</b>'
WEB_DIR=""

pw() { "$POTW" --config "$WEB_DIR/potw.ini" "$@"; }

web_plant() {
	WEB_DIR=$1
	cat >"$WEB_DIR/potw.ini" <<EOF2
; the test's plant: any free port on loopback
[server]
listen = 127.0.0.1:0
db = var/potw.db
key = keys/potw.key
threads = 2
[tls]
cert = keys/tls.crt
key = keys/tls.key
[web]
static = $2
EOF2
	openssl genpkey -algorithm ed25519 2>/dev/null | openssl pkey -pubout >"$WEB_DIR/st.pem" 2>/dev/null &&
		expect_exit 0 pw init &&
		expect_exit 0 pw station add --id north-01 --name "$NAME" --key-pem "$WEB_DIR/st.pem"
}

web_serve() {
	local port="" _
	"$POTW" --config "$1/potw.ini" serve >"$1/serve.out" 2>"$1/serve.err" &
	SRV=$!
	trap 'kill "$SRV" 2>/dev/null; t_cleanup' EXIT
	for _ in $(seq 1 200); do
		port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$1/serve.out")
		[ -n "$port" ] && break
		kill -0 "$SRV" 2>/dev/null || break
		sleep 0.05
	done
	U=""
	[ -n "$port" ] && U="https://127.0.0.1:$port"
}

web_stop() {
	local rc
	kill -TERM "$SRV"
	wait "$SRV"
	rc=$?
	trap t_cleanup EXIT
	OUT="rc '$rc' $(tail -20 "$WEB_DIR/serve.err")"
	[ "$rc" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$WEB_DIR/serve.err"
}

# req JAR [curl args...]: headers in $d/h, body in $BODY, status in $CODE
req() {
	local jar=$1
	shift
	BODY=$(curl -sS --max-time 60 --insecure --path-as-is -c "$jar" -b "$jar" -D "$d/h" \
		-w '\n%{http_code}' "$@")
	CODE=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
}
hdr() { grep -i "^$1:" "$d/h" | tr -d '\r'; }
cookie() { awk -v n="$2" '$6 == n { print $7 }' "$1"; }
# signin JAR LOGIN PASSWORD: the form fetched, then posted with its token
signin() {
	req "$1" "$U/signin"
	req "$1" --data-urlencode "csrf=$(cookie "$1" __Host-hg_signin)" \
		--data-urlencode "login=$2" --data-urlencode "password=$3" "$U/signin"
}
csrf_of() { sed -n 's|.*name="csrf" value="\([^"]*\)".*|\1|p' <<<"$BODY" | head -1; }

web_evil_scn() {
	cat >"$1" <<'EOF2'
clock 2026-11-24T09:00:00
card 04a1b2c3
type 1234
press ok
press truck_1
press waste_septage
press new_source
field source_name "<script>alert(\"x\")</script> O'Neil \"Pumps\""
field source_address "=cmd|' /C calc'!A0"
press save
press other_industry
field source_industry "@SUM(1+1)"
press save
press town_1
press next
type 700
press next
field characteristics "+1 =HYPERLINK(\"http://x\") <b>bold</b>"
press next
press rcra_no
press next
field signer "Dana Ruiz"
press certify
expect decision accepted
press start
press stop
press ok
EOF2
}
