#!/bin/bash
# test_potw.sh: build/asan/haulgate-potw, the plant's server (potw/), under
# ASan+UBSan: init (database, server key, self-signed TLS key and
# certificate; refused a second time; given TLS files used), key (the pin
# equals openssl's), station add|list|retire with a real station's key from
# `haulgate keys --public-pem` (three formats; bad PEMs refused with what is
# wrong), potw.ini errors, and serve on 127.0.0.1 with a free port:
# GET /api/v1/health through curl with the right pin, refused with a wrong
# one, TLS 1.2 and 1.3 taken and TLS 1.1 refused (openssl s_client, whose
# TLS 1.1 is first shown to work against openssl s_server), SIGTERM ends it.
# POTW can name another binary (build/haulgate-potw).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for c in openssl curl python3 sqlite3; do
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
cat >"$d/potw.ini" <<'EOF2'
; the test's plant: any free port on loopback
[server]
listen = 127.0.0.1:0
db = var/potw.db
key = keys/potw.key
threads = 2
[tls]
cert = keys/tls.crt
key = keys/tls.key
EOF2
pw() { "$POTW" --config "$d/potw.ini" "$@"; }
# the pin of a PEM certificate as openssl computes it
openssl_pin() {
	printf 'sha256//%s' "$(openssl x509 -in "$1" -pubkey -noout | openssl pkey -pubin -outform der |
		openssl dgst -sha256 -binary | base64)"
}
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# ---- help ----
t_begin "--help lists every command; a command's --help its usage"
if expect_exit 0 "$POTW" --help && grep -q "station add --id ID --name NAME --key-pem FILE" <<<"$OUT" &&
   grep -q "haulgate-potw serve" <<<"$OUT" && grep -q "haulgate-potw key" <<<"$OUT" &&
   expect_exit 0 "$POTW" station retire --help && grep -q "usage: haulgate-potw .*station retire --id ID" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "an unknown command and a missing option are usage errors (exit 2)"
if expect_exit 2 "$POTW" frobnicate && expect_exit 2 pw station add --id st-01 --name X
then t_ok; else t_fail; fi

# ---- init ----
t_begin "init makes the database, the server key and the TLS key and certificate"
if expect_exit 0 pw init && [ -f "$d/var/potw.db" ] && [ -f "$d/keys/potw.key" ] &&
   [ -f "$d/keys/potw.key.pub" ] && [ -f "$d/keys/tls.crt" ] && [ -f "$d/keys/tls.key" ] &&
   grep -q "self-signed" <<<"$OUT"
then t_ok; else t_fail "" "$(ls -R "$d") $OUT"; fi

t_begin "the secret keys are readable by their owner only"
m1=$(stat -c %a "$d/keys/potw.key") m2=$(stat -c %a "$d/keys/tls.key")
if [ "$m1" = 600 ] && [ "$m2" = 600 ]; then t_ok; else t_fail "" "modes $m1 $m2"; fi

t_begin "the certificate: EC P-256, names localhost and 127.0.0.1, signed by itself"
txt=$(openssl x509 -in "$d/keys/tls.crt" -noout -text)
if grep -q "NIST CURVE: P-256\|prime256v1" <<<"$txt" && grep -q "DNS:localhost" <<<"$txt" &&
   grep -q "IP Address:127.0.0.1" <<<"$txt" &&
   openssl verify -CAfile "$d/keys/tls.crt" -partial_chain "$d/keys/tls.crt" >/dev/null 2>&1
then t_ok; else t_fail "" "$txt"; fi

t_begin "the server key's .pub is an Ed25519 PEM openssl reads"
if openssl pkey -pubin -in "$d/keys/potw.key.pub" -noout -text 2>/dev/null | grep -q "ED25519"
then t_ok; else t_fail; fi

t_begin "init again is refused with a clear message, nothing changed"
sum=$(cat "$d/var/potw.db" "$d/keys/potw.key" "$d/keys/tls.key" | md5sum)
if expect_exit 1 pw init && grep -q "exists already" <<<"$ERR" && grep -q "never overwrites" <<<"$ERR" &&
   [ "$sum" = "$(cat "$d/var/potw.db" "$d/keys/potw.key" "$d/keys/tls.key" | md5sum)" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "init with the database moved away is still refused: the server key exists"
mv "$d/var/potw.db" "$d/var/potw.db.keep"
if expect_exit 1 pw init && grep -q "server key .* exists already" <<<"$ERR" && [ ! -e "$d/var/potw.db" ]
then t_ok; else t_fail "" "$ERR"; fi
mv "$d/var/potw.db.keep" "$d/var/potw.db"

# ---- key ----
t_begin "key prints the pin, equal to openssl's of the certificate"
want=$(openssl_pin "$d/keys/tls.crt")
if expect_exit 0 pw key && [ "$OUT" = "$want" ] && grep -q '^sha256//[A-Za-z0-9+/]\{43\}=$' <<<"$OUT"
then t_ok; else t_fail "" "got '$OUT', openssl '$want'"; fi
PIN=$OUT

# ---- given TLS files ----
g=$(tmpdir)
cat >"$g/potw.ini" <<'EOF2'
[server]
db = potw.db
key = potw.key
[tls]
cert = given.crt
key = given.key
EOF2
t_begin "init with only the TLS certificate given is refused (both or neither)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$g/given.key" \
	-out "$g/given.crt" -days 2 -subj /CN=plant.example -addext "subjectAltName=DNS:localhost" 2>/dev/null
mv "$g/given.key" "$g/given.key.keep"
if expect_exit 1 "$POTW" --config "$g/potw.ini" init && grep -q "give both files, or neither" <<<"$ERR" &&
   [ ! -e "$g/potw.db" ] && [ ! -e "$g/potw.key" ]
then t_ok; else t_fail "" "$ERR"; fi
mv "$g/given.key.keep" "$g/given.key"

t_begin "init with the TLS files given uses them and prints their pin"
if expect_exit 0 "$POTW" --config "$g/potw.ini" init && grep -q "given" <<<"$OUT" &&
   grep -q "$(openssl_pin "$g/given.crt")" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

# ---- stations ----
s=$(tmpdir)
printf '[station]\nid = st-01\ndb = hg.db\nkey = keys/station.key\n' >"$s/station.ini"
printf '[station]\nid = st-02\ndb = hg2.db\nkey = keys/station2.key\n' >"$s/station2.ini"
"$HG" --config "$s/station.ini" init >/dev/null 2>&1
"$HG" --config "$s/station2.ini" init >/dev/null 2>&1
"$HG" --config "$s/station.ini" keys --public-pem >"$s/st1.pem" 2>/dev/null
"$HG" --config "$s/station2.ini" keys --public-pem >"$s/st2.pem" 2>/dev/null

t_begin "station add takes the PEM of haulgate keys --public-pem"
fpr="SHA256:$(openssl pkey -pubin -in "$s/st1.pem" -outform der | openssl dgst -sha256 -binary | base64 | tr -d '=')"
if grep -q "BEGIN PUBLIC KEY" "$s/st1.pem" &&
   expect_exit 0 pw station add --id st-01 --name "North gate" --key-pem "$s/st1.pem" &&
   grep -qF "$fpr" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR (want $fpr)"; fi

t_begin "station add reads the PEM from stdin with --key-pem -"
if "$POTW" --config "$d/potw.ini" station add --id st-02 --name "Sur" --key-pem - <"$s/st2.pem" >/dev/null
then t_ok; else t_fail; fi

t_begin "a taken id and a taken key are refused"
if expect_exit 1 pw station add --id st-01 --name Again --key-pem "$s/st2.pem" &&
   grep -q "station 'st-01' exists already" <<<"$ERR" &&
   expect_exit 1 pw station add --id st-03 --name Again --key-pem "$s/st1.pem" &&
   grep -q "is station 'st-01''s already" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a bad station id is refused with the rule"
if expect_exit 1 pw station add --id "st 9" --name X --key-pem "$s/st1.pem" &&
   grep -q "letters, digits or '-'" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

# bad PEMs: each refused, saying what is wrong
printf 'hello\n' >"$s/text.pem"
openssl x509 -in "$d/keys/tls.crt" -pubkey -noout >"$s/ec.pem"
sed 's/^MCow/MCox/' "$s/st1.pem" >"$s/damaged.pem"
cp "$d/keys/tls.crt" "$s/cert.pem"
for bad in "text.pem:not a PEM public key" "cert.pem:not a PEM public key" \
	   "ec.pem:not Ed25519" "damaged.pem:cannot be read" "missing.pem:cannot read"; do
	f=${bad%%:*} why=${bad#*:}
	t_begin "a bad PEM ($f) is refused: $why"
	if expect_exit 1 pw station add --id st-09 --name X --key-pem "$s/$f" && grep -q "$why" <<<"$ERR"
	then t_ok; else t_fail "" "$ERR"; fi
done

t_begin "station retire, then again: refused"
if expect_exit 0 pw station retire --id st-02 && expect_exit 1 pw station retire --id st-02 &&
   grep -q "retired already" <<<"$ERR" && expect_exit 1 pw station retire --id st-77 &&
   grep -q "no station 'st-77'" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "station list: a table, CSV and JSON with every column"
if expect_exit 0 pw station list && grep -q "^id  *name  *key  *added  *retired  *last_contact  *events  *forks" <<<"$OUT" &&
   grep -q "st-01  *North gate  *$fpr" <<<"$OUT" &&
   expect_exit 0 pw --csv station list && OUT=$(tr -d '\r' <<<"$OUT") &&
   [ "$(head -1 <<<"$OUT")" = "id,name,key,added,retired,last_contact,events,forks" ] &&
   grep -q "^st-02,Sur,SHA256:[^,]*,20[0-9-]*T[0-9:]*Z,20[0-9-]*T[0-9:]*Z,,0,0$" <<<"$OUT" &&
   expect_exit 0 pw station list --json &&
   json_has "len(d) == 2 and d[0]['id'] == 'st-01' and d[0]['key'] == '$fpr' and d[0]['retired'] == '' and d[1]['retired'] != '' and d[0]['events'] == 0" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "the store's tables are the schema's (sqlite3 reads them)"
if tabs=$(sqlite3 "$d/var/potw.db" ".tables") && for t in stations events checkpoints forks; do
	grep -qw "$t" <<<"$tabs" || exit 1; done
then t_ok; else t_fail "" "$tabs"; fi

# ---- potw.ini ----
t_begin "potw.ini errors are said with their line; exit 1"
printf '[server]\nlisten = nohost\nthreads = 0\ncolour = blue\n[tsl]\ncert = x\n' >"$s/bad.ini"
if expect_exit 1 "$POTW" --config "$s/bad.ini" key &&
   grep -q "bad.ini:2: \[server\] listen: 'nohost' is not HOST:PORT" <<<"$ERR" &&
   grep -q "bad.ini:3: \[server\] threads" <<<"$ERR" &&
   grep -q "bad.ini:4: \[server\]: unknown key 'colour'" <<<"$ERR" &&
   grep -q "bad.ini:6: unknown section \[tsl\]" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "serve without a database says to init"
printf '[server]\ndb = none.db\n' >"$s/nodb.ini"
if expect_exit 1 "$POTW" --config "$s/nodb.ini" serve && grep -q "haulgate-potw init" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

# ---- serve ----
"$POTW" --config "$d/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; [ -n "${SSRV:-}" ] && kill "$SSRV" 2>/dev/null; t_cleanup' EXIT
port=""
for _ in $(seq 1 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	kill -0 "$SRV" 2>/dev/null || break
	sleep 0.05
done
t_begin "serve listens on 127.0.0.1 and says on which port"
if [ -n "$port" ]; then t_ok; else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi
URL="https://127.0.0.1:$port/api/v1/health"

t_begin "GET /api/v1/health through libcurl with the pin: {\"ok\":true}"
if expect_exit 0 curl -sS --max-time 10 --insecure --pinnedpubkey "$PIN" "$URL" &&
   json_has "d['ok'] is True and d['server'] == 'haulgate-potw' and d['store'] == 'sqlite'" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "the certificate checks by name too (localhost), with the pin"
if expect_exit 0 curl -sS --max-time 10 --cacert "$d/keys/tls.crt" --pinnedpubkey "$PIN" \
	"https://localhost:$port/api/v1/health"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a wrong pin is refused by libcurl (exit 90)"
wrong="sha256//$(printf 'not the key' | openssl dgst -sha256 -binary | base64)"
if expect_exit 90 curl -sS --max-time 10 --insecure --pinnedpubkey "$wrong" "$URL" &&
   grep -qi "pinned public key" <<<"$ERR"
then t_ok; else t_fail; fi

t_begin "another path is 404, another method 405 with Allow: GET"
if code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 -k "https://127.0.0.1:$port/nothing") &&
   [ "$code" = 404 ] &&
   hdr=$(curl -s -D - -o /dev/null --max-time 10 -k -X POST "$URL") &&
   grep -q "^HTTP/1.1 405" <<<"$hdr" && grep -qi "^allow: GET" <<<"$hdr"
then t_ok; else t_fail "" "$code $hdr"; fi

t_begin "TLS 1.2 and TLS 1.3 are taken"
o12=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_2 2>&1)
o13=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_3 2>&1)
if grep -q "Protocol *: TLSv1.2" <<<"$o12" && grep -q "New, TLSv1.3" <<<"$o13"
then t_ok; else t_fail "" "$o12 $o13"; fi

# the control: this openssl s_client speaks TLS 1.1 to a server that takes it
sport=$(free_port)
openssl s_server -accept "$sport" -cert "$d/keys/tls.crt" -key "$d/keys/tls.key" -tls1_1 \
	-cipher 'DEFAULT@SECLEVEL=0' -naccept 1 -quiet >/dev/null 2>&1 &
SSRV=$!
ctl=""
for _ in $(seq 1 100); do
	ctl=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$sport" -tls1_1 \
		-cipher 'DEFAULT@SECLEVEL=0' 2>&1) && break
	sleep 0.05
done
kill "$SSRV" 2>/dev/null
wait "$SSRV" 2>/dev/null
SSRV=""
t_begin "TLS 1.1 is refused (while the same client speaks it to openssl s_server)"
o11=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' 2>&1)
rc11=$?
if grep -q "Protocol *: TLSv1.1" <<<"$ctl" && grep -q "Cipher is [A-Z]" <<<"$ctl" &&
   [ "$rc11" -ne 0 ] && ! grep -q "Cipher is [A-Z]" <<<"$o11" &&
   expect_exit 0 curl -sS --max-time 10 -k --pinnedpubkey "$PIN" "$URL"
then t_ok; else t_fail "" "control: $ctl
haulgate-potw: $o11"; fi

t_begin "SIGTERM ends serve cleanly (exit 0, no sanitizer report)"
kill -TERM "$SRV"
rc=""
for _ in $(seq 1 100); do
	kill -0 "$SRV" 2>/dev/null || { wait "$SRV"; rc=$?; break; }
	sleep 0.05
done
if [ "$rc" = 0 ] && grep -q "SIGTERM: stopped" "$d/serve.out" &&
   ! grep -q "Sanitizer\|runtime error" "$d/serve.err"
then t_ok; else t_fail "" "rc '$rc' $(cat "$d/serve.out" "$d/serve.err")"; fi
[ -z "$rc" ] && kill -KILL "$SRV" 2>/dev/null

t_begin "SIGINT too"
"$POTW" --config "$d/potw.ini" serve >"$d/serve2.out" 2>&1 &
SRV=$!
for _ in $(seq 1 200); do
	grep -q "listening on" "$d/serve2.out" && break
	sleep 0.05
done
kill -INT "$SRV"
rc=""
for _ in $(seq 1 100); do
	kill -0 "$SRV" 2>/dev/null || { wait "$SRV"; rc=$?; break; }
	sleep 0.05
done
if [ "$rc" = 0 ] && grep -q "SIGINT: stopped" "$d/serve2.out"
then t_ok; else t_fail "" "rc '$rc' $(cat "$d/serve2.out")"; fi
[ -z "$rc" ] && kill -KILL "$SRV" 2>/dev/null

t_end
