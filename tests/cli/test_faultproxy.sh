#!/bin/bash
# test_faultproxy.sh: build/peers/faultproxy, the faulty HTTPS proxy of the
# sync tests (tests/peers/faultproxy.c), proven against a real server:
# build/haulgate-potw serve on a free loopback port with its own certificate,
# the proxy in front of it with the same certificate and key, and curl with
# the server's pin (`haulgate-potw key`) through the proxy for every fault:
# pass (the health JSON, the pin still matches), drop (52: empty reply),
# drop-after (52, and the server answered it), 500, stall:3 against
# --max-time 1 (28), garbage (an error), cut (18: partial), replay (the
# recorded answer, not forwarded; pass when none), keep-alive (two requests,
# one connection), a 2 MiB body with Expect: 100-continue, one over 16 MiB
# (413), a chunked request (501), the control FIFO (replace,
# append, a bad line), concurrent clients (one stalled does not hold the
# others), the log line of each request, and a proxy with another
# certificate refused by the pin (90); the server gone: 502.  SIGTERM ends
# it.
# POTW and FAULTPROXY can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

POTW=${POTW:-"$HG_ROOT/build/haulgate-potw"}
FP=${FAULTPROXY:-"$HG_ROOT/build/peers/faultproxy"}

for c in openssl curl python3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
for b in "$POTW" "$FP"; do
	[ -x "$b" ] || {
		echo "not ok - no $b: make $b"
		exit 1
	}
done

d=$(tmpdir)
cat >"$d/potw.ini" <<'EOF2'
[server]
listen = 127.0.0.1:0
db = potw.db
key = potw.key
threads = 4
[tls]
cert = tls.crt
key = tls.key
EOF2
"$POTW" --config "$d/potw.ini" init >/dev/null 2>&1
PIN=$("$POTW" --config "$d/potw.ini" key 2>/dev/null)
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }

SRV="" FPP="" FPP2=""
stop_all() {
	local p
	for p in $FPP $FPP2 $SRV; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	t_cleanup
}
trap stop_all EXIT

# wait_line FILE SED-EXPR: print what the expression takes from FILE once it
# is there (10 s at most)
wait_line() {
	local v=""
	for _ in $(seq 1 200); do
		v=$(sed -n "$2" "$1" 2>/dev/null)
		[ -n "$v" ] && break
		sleep 0.05
	done
	printf '%s' "$v"
}

"$POTW" --config "$d/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV=$!
sport=$(wait_line "$d/serve.out" 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p')
t_begin "the server runs, its pin read from haulgate-potw key"
if [ -n "$sport" ] && grep -q '^sha256//' <<<"$PIN"
then t_ok; else t_fail "" "port '$sport' pin '$PIN' $(cat "$d/serve.err")"; fi

# the faults, in the order of the checks below; then the FIFO takes over
mkfifo "$d/ctl"
"$FP" 0 "127.0.0.1:$sport" "$d/tls.crt" "$d/tls.key" --control "$d/ctl" --log "$d/fp.log" \
	--faults "pass,replay,drop,drop-after,500,stall:3,garbage,cut,replay" \
	>"$d/fp.out" 2>"$d/fp.err" &
FPP=$!
port=$(wait_line "$d/fp.out" 's|^listening 127.0.0.1:\([0-9]*\)$|\1|p')
t_begin "the proxy listens on 127.0.0.1 and says on which port"
if [ -n "$port" ]; then t_ok; else t_fail "" "$(cat "$d/fp.out" "$d/fp.err")"; fi
URL="https://127.0.0.1:$port/api/v1/health"
# curl through the proxy with the server's pin; the status code last
pc() { expect_exit "$1" curl -sS --insecure --pinnedpubkey "$PIN" --max-time "${MT:-10}" \
	-w '\n%{http_code}' "${@:2}"; }
# the log's last line, without its time
last_log() { tail -n 1 "$d/fp.log" | cut -d' ' -f2-; }

t_begin "pass: the server's health JSON through the proxy, the pin matching"
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 200 ] &&
   head -n 1 <<<"$OUT" | json_has "d['ok'] is True and d['server'] == 'haulgate-potw'" &&
   [ "$(last_log)" = "GET /api/v1/health fault=pass upstream=200" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi
HEALTH=$(head -n 1 <<<"$OUT")

# the health JSON has the server's time in seconds: a second later, a fresh
# answer differs from the recorded one
sleep 1.1
t_begin "replay: the recorded answer of the same method and path, not forwarded"
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 200 ] && [ "$(head -n 1 <<<"$OUT")" = "$HEALTH" ] &&
   [ "$(last_log)" = "GET /api/v1/health fault=replay upstream=-" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "drop: closed unanswered, curl says empty reply (52), nothing forwarded"
if pc 52 "$URL" && grep -qi "empty reply" <<<"$ERR" &&
   [ "$(last_log)" = "GET /api/v1/health fault=drop upstream=-" ]
then t_ok; else t_fail "" "$ERR $(last_log)"; fi

t_begin "drop-after: the server answered 200, the client got an empty reply (52)"
if pc 52 "$URL" && [ "$(last_log)" = "GET /api/v1/health fault=drop-after upstream=200" ]
then t_ok; else t_fail "" "$ERR $(last_log)"; fi

t_begin "500: HTTP 500 with a JSON error, not forwarded"
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 500 ] &&
   head -n 1 <<<"$OUT" | json_has "'error' in d" &&
   [ "$(last_log)" = "GET /api/v1/health fault=500 upstream=-" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "stall:3 against curl --max-time 1: timeout (28); the request reaches the server after"
t0=$(date +%s%N)
MT=1 pc 28 "$URL"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
logged=$(wait_line "$d/fp.log" '/fault=stall:3 upstream=200$/p')
if [ "$rc" = 0 ] && [ "$ms" -lt 2500 ] && [ -n "$logged" ]
then t_ok; else t_fail "" "rc $RC in $ms ms; $ERR; log: $(cat "$d/fp.log")"; fi

t_begin "garbage: bytes that are not HTTP, curl fails"
if expect_exit 1 curl -sS --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL" ||
   { [ "$RC" != 0 ] && [ "$RC" != 28 ] && [ "$RC" != 90 ]; }
then
	if [ "$(last_log)" = "GET /api/v1/health fault=garbage upstream=-" ]
	then t_ok; else t_fail "" "$(last_log)"; fi
else t_fail "" "rc $RC $OUT $ERR"; fi

t_begin "cut: the answer's body cut in half, curl says partial (18)"
if pc 18 "$URL" && [ "$(last_log)" = "GET /api/v1/health fault=cut upstream=200" ]
then t_ok; else t_fail "" "$ERR $(last_log)"; fi

t_begin "replay with nothing recorded for that path: as pass (the server's 404)"
if pc 0 "https://127.0.0.1:$port/nothing" && [ "$(tail -n 1 <<<"$OUT")" = 404 ] &&
   [ "$(last_log)" = "GET /nothing fault=replay(none:pass) upstream=404" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "the list used up: pass"
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 200 ] &&
   [ "$(last_log)" = "GET /api/v1/health fault=pass upstream=200" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "the pin of the proxy's certificate is the server's (openssl s_client)"
got="sha256//$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" 2>/dev/null |
	openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64)"
if [ "$got" = "$PIN" ]; then t_ok; else t_fail "" "proxy $got, server $PIN"; fi

# the server says "Connection: close" (and so the proxy does); the proxy's
# own answers keep the connection
t_begin "keep-alive: two requests on one connection, both answered"
echo "500,500" >"$d/ctl"
if expect_exit 0 curl -sS --insecure --pinnedpubkey "$PIN" --max-time 10 \
	-w '%{http_code} %{num_connects}\n' -o /dev/null "$URL" -o /dev/null "$URL" &&
   [ "$(printf '%s\n' "$OUT" | tr '\n' ' ')" = "500 1 500 0 " ] &&
   [ "$(grep -c "fault=500 upstream=-$" "$d/fp.log")" = 3 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a POST's Content-Length body goes through (the server's 405 back)"
if pc 0 -X POST --data-binary '{"x":1}' "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 405 ] &&
   [ "$(last_log)" = "POST /api/v1/health fault=pass upstream=405" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "a 2 MiB body (curl sends Expect: 100-continue) is forwarded whole, at once"
head -c $((2 * 1024 * 1024)) /dev/zero >"$d/big"
t0=$(date +%s%N)
pc 0 -X POST -H 'Content-Type: application/octet-stream' --data-binary @"$d/big" "$URL"
rc=$? ms=$((($(date +%s%N) - t0) / 1000000))
if [ "$rc" = 0 ] && [ "$(tail -n 1 <<<"$OUT")" = 405 ] && [ "$ms" -lt 900 ] &&
   [ "$(last_log)" = "POST /api/v1/health fault=pass upstream=405" ]
then t_ok; else t_fail "" "in $ms ms: $OUT $ERR $(last_log)"; fi

t_begin "a body over 16 MiB is refused with 413, not forwarded"
head -c $((16 * 1024 * 1024 + 1)) /dev/zero >"$d/huge"
if pc 0 -X POST --data-binary @"$d/huge" "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 413 ] &&
   grep -q "fault=- upstream=- (413" <<<"$(last_log)"
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi
rm -f "$d/big" "$d/huge"

t_begin "a chunked request is refused with 501, not forwarded"
if pc 0 -H 'Transfer-Encoding: chunked' --data-binary '{"x":1}' "$URL" &&
   [ "$(tail -n 1 <<<"$OUT")" = 501 ] && grep -q "fault=- upstream=- (501" <<<"$(last_log)"
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "control FIFO: a line replaces the pending faults, +line appends"
echo "500,drop" >"$d/ctl"
echo "+cut" >"$d/ctl"
c1=$(curl -s -o /dev/null -w '%{http_code}' --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL")
curl -s -o /dev/null --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL"; r2=$?
curl -s -o /dev/null --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL"; r3=$?
c4=$(curl -s -o /dev/null -w '%{http_code}' --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL")
if [ "$c1 $r2 $r3 $c4" = "500 52 18 200" ] && grep -q " control: 500,drop$" "$d/fp.log"
then t_ok; else t_fail "" "got $c1 $r2 $r3 $c4; $(tail -n 6 "$d/fp.log")"; fi

t_begin "control FIFO: a bad line is logged and changes nothing"
echo "explode" >"$d/ctl"
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 200 ] && grep -q " control: bad 'explode'$" "$d/fp.log"
then t_ok; else t_fail "" "$OUT $(tail -n 3 "$d/fp.log")"; fi

t_begin "concurrent clients: one stalled does not hold the others"
echo "stall:3" >"$d/ctl"
curl -s -o "$d/slow.out" --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL" &
slow=$!
sleep 0.3
t0=$(date +%s%N)
ok=0
for _ in 1 2 3; do
	curl -s -o /dev/null --insecure --pinnedpubkey "$PIN" --max-time 10 "$URL" && ok=$((ok + 1))
done
ms=$((($(date +%s%N) - t0) / 1000000))
wait "$slow"; rs=$?
if [ "$ok" = 3 ] && [ "$ms" -lt 2000 ] && [ "$rs" = 0 ] &&
   json_has "d['ok'] is True" <"$d/slow.out"
then t_ok; else t_fail "" "ok $ok in $ms ms, stalled rc $rs"; fi

t_begin "a bad fault in --faults is a usage error (2)"
if expect_exit 2 timeout 10 "$FP" 0 "127.0.0.1:$sport" "$d/tls.crt" "$d/tls.key" --faults "pass,explode" &&
   grep -q "bad --faults" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a proxy with another certificate: refused by the pin (90)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$d/other.key" \
	-out "$d/other.crt" -days 2 -subj /CN=mallory -addext "subjectAltName=IP:127.0.0.1" 2>/dev/null
"$FP" 0 "127.0.0.1:$sport" "$d/other.crt" "$d/other.key" >"$d/fp2.out" 2>&1 &
FPP2=$!
port2=$(wait_line "$d/fp2.out" 's|^listening 127.0.0.1:\([0-9]*\)$|\1|p')
if [ -n "$port2" ] &&
   expect_exit 90 curl -sS --insecure --pinnedpubkey "$PIN" --max-time 10 "https://127.0.0.1:$port2/api/v1/health" &&
   grep -qi "pinned public key" <<<"$ERR" &&
   expect_exit 0 curl -sS --insecure --max-time 10 "https://127.0.0.1:$port2/api/v1/health"
then t_ok; else t_fail "" "port '$port2' $ERR"; fi

t_begin "the server gone: the proxy answers 502, logs upstream=error"
kill "$SRV" 2>/dev/null
wait "$SRV" 2>/dev/null
SRV=""
if pc 0 "$URL" && [ "$(tail -n 1 <<<"$OUT")" = 502 ] &&
   [ "$(last_log)" = "GET /api/v1/health fault=pass upstream=error" ]
then t_ok; else t_fail "" "$OUT $ERR $(last_log)"; fi

t_begin "SIGTERM ends the proxy (exit 0, no sanitizer report when built with one)"
kill -TERM "$FPP"
rc=""
for _ in $(seq 1 100); do
	kill -0 "$FPP" 2>/dev/null || { wait "$FPP"; rc=$?; break; }
	sleep 0.05
done
if [ "$rc" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$d/fp.err"
then t_ok; else t_fail "" "rc '$rc' $(cat "$d/fp.err")"; fi
[ -n "$rc" ] && FPP=""

t_end
