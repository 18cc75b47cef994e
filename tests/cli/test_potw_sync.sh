#!/bin/bash
# test_potw_sync.sh: the plant's side of the sync (docs/SYNC.md) against the
# real server, build/asan/haulgate-potw under ASan+UBSan, on loopback TLS,
# with real batches: a demo station (build/haulgate init --demo) plays
# scenarios from tests/scenarios/ (`haulgate simulate`), and
# build/peers/sync_batch turns its database and key into the bodies, the
# signed checkpoints and the RFC 9421 signatures a station sends; curl posts
# them with the plant's key pinned.  Shown: a batch taken and cosigned, sent
# again and taken once, a gap 409, a tampered event 422 (chain), a
# well-signed checkpoint with a wrong root 422, a fork 409 with both
# versions kept, the events' rows in the plant's rec_* tables equal to the
# station's own, two more stations sending at the same time (the server's
# threads on one connection), every signature refusal 401 and logged (unknown key,
# retired station, bad signature, stale created, digest mismatch, none),
# 413 past 8 MiB; then the stored checkpoints and the proofs
# (`haulgate-potw checkpoint`, `proof`) checked by Go's sumdb/note and
# sumdb/tlog (build/peers/tlogcheck) with the station's and the plant's keys,
# and `haulgate-potw verify` on the log as held and on edited copies.
# POTW can name another binary (build/haulgate-potw).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
PEER="$HG_ROOT/build/peers/sync_batch"
CHECK="$HG_ROOT/build/peers/tlogcheck"
STATION_HG="$HG_ROOT/build/haulgate"	# the station's program: only makes the logs
SCN="$HG_ROOT/tests/scenarios"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for c in curl python3 sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
for p in "$POTW" "$PEER" "$CHECK" "$STATION_HG"; do
	[ -x "$p" ] || {
		echo "not ok - no $p: make $p (make test builds it)"
		exit 1
	}
done

d=$(tmpdir)
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }

# ---- two stations' logs: test-01 (A), its day-old backup (B), other-02 ----
# station DIR ID: a demo station in DIR with the scenarios' config
station() {
	mkdir -p "$1"
	sed "s/^id = .*/id = $2/" "$SCN/station.ini" >"$1/station.ini"
	"$STATION_HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
}
simulate() { "$STATION_HG" --config "$1/station.ini" simulate --script "$SCN/$2.scn" >/dev/null 2>&1; }

t_begin "a demo station plays scenarios: its log to send"
station "$d/A" test-01 && simulate "$d/A" hauler_first_load && cp -a "$d/A" "$d/B" &&
	simulate "$d/A" card_refusals && simulate "$d/A" rv_visit && simulate "$d/B" operator
station "$d/O" other-02
NA=$(sqlite3 "$d/A/haulgate.db" "SELECT max(seq) FROM events")
NB0=$(sqlite3 "$d/B/haulgate.db" "SELECT max(seq) FROM events")
# the backup's own length before its new events: where A and B part
NSPLIT=$(python3 - "$d/A/haulgate.db" "$d/B/haulgate.db" <<'EOF'
import sqlite3, sys
a = sqlite3.connect(sys.argv[1]).execute("SELECT seq, hash FROM events ORDER BY seq").fetchall()
b = sqlite3.connect(sys.argv[2]).execute("SELECT seq, hash FROM events ORDER BY seq").fetchall()
n = 0
while n < min(len(a), len(b)) and a[n] == b[n]:
    n += 1
print(n)
EOF
)
if [ "${NA:-0}" -gt 50 ] && [ "${NB0:-0}" -gt "$NSPLIT" ] && [ "$NSPLIT" -ge 20 ] && [ "$NSPLIT" -lt "$NA" ]
then t_ok; else t_fail "" "A $NA events, B $NB0, the same up to $NSPLIT"; fi

# ---- the plant ----
mkdir -p "$d/P"
cat >"$d/P/potw.ini" <<'EOF2'
[server]
listen = 127.0.0.1:0
db = potw.db
key = potw.key
threads = 2
name = test-plant
[tls]
cert = tls.crt
key = tls.key
EOF2
pw() { "$POTW" --config "$d/P/potw.ini" "$@"; }
t_begin "the plant: init, test-01 and other-02 registered with their keys, other-02 retired"
"$STATION_HG" --config "$d/A/station.ini" keys --public-pem >"$d/A.pem"
"$STATION_HG" --config "$d/O/station.ini" keys --public-pem >"$d/O.pem"
if expect_exit 0 pw init && expect_exit 0 pw station add --id test-01 --name "North gate" --key-pem "$d/A.pem" &&
   expect_exit 0 pw station add --id other-02 --name "Old gate" --key-pem "$d/O.pem" &&
   expect_exit 0 pw station retire --id other-02
then t_ok; else t_fail; fi
PIN=$(pw key)

"$POTW" --config "$d/P/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV=$!
trap 'kill "$SRV" 2>/dev/null; t_cleanup' EXIT
port=""
for _ in $(seq 1 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	kill -0 "$SRV" 2>/dev/null || break
	sleep 0.05
done
t_begin "serve listens on loopback TLS"
if [ -n "$port" ]; then t_ok; else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi
AUTH="127.0.0.1:$port"
BASE="https://$AUTH/api/v1/sync"

# request STATIONDIR ID METHOD PATH [BODYFILE [SIGNBODY [--created T]]]: sign
# (SIGNBODY, default BODYFILE) with the station's key as ID, send BODYFILE;
# the answer in $OUT, the status in $CODE
request() {
	local sdir=$1 id=$2 method=$3 path=$4 body=${5:-} signed=${6:-${5:-}}
	shift 6 2>/dev/null || shift $#
	"$PEER" sign "$sdir/station.key" "$id" "$method" "$AUTH" "/api/v1/sync/$path" $signed "$@" >"$d/hdr" ||
		return 1
	if [ -n "$body" ]; then
		OUT=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H @"$d/hdr" \
			--data-binary @"$body" -w '\n%{http_code}' "$BASE/$path")
	else
		OUT=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H @"$d/hdr" \
			-w '\n%{http_code}' "$BASE/$path")
	fi
	CODE=${OUT##*$'\n'}
	OUT=${OUT%$'\n'*}
}
# batch SDIR FROM TO [--bad-root]: the body of events FROM..TO into $d/body.json
batch() { "$PEER" batch "$1/haulgate.db" "$1/station.key" test-01 "$2" "$3" ${4:-} >"$d/body.json"; }
post() { request "$1" test-01 POST events "$d/body.json"; }
held() { sqlite3 "$d/P/potw.db" "SELECT count(*) FROM events WHERE station = 'test-01'"; }
logged() { grep -c "$1" "$d/serve.err"; }

t_begin "state of a station with nothing sent: size 0, no head, no checkpoint, no fork"
if request "$d/A" test-01 GET state && [ "$CODE" = 200 ] &&
   json_has "d['station'] == 'test-01' and d['size'] == 0 and d['head'] is None and d['checkpoint'] is None and d['fork'] is None" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a batch of events 1..20 is taken: 200, size 20, the checkpoint cosigned by the plant"
batch "$d/A" 1 20 && post "$d/A"
if [ "$CODE" = 200 ] && json_has "d['size'] == 20 and d['checkpoint'].count('\u2014 ') == 2 and '\u2014 haulgate.potw/test-plant ' in d['checkpoint']" <<<"$OUT" &&
   [ "$(held)" = 20 ]
then t_ok; else t_fail "" "$CODE $OUT"; fi
FIRST=$OUT

t_begin "the same batch sent again is taken once: 200, the same cosigned checkpoint, 20 events held"
post "$d/A"
if [ "$CODE" = 200 ] && [ "$OUT" = "$FIRST" ] && [ "$(held)" = 20 ]
then t_ok; else t_fail "" "$CODE $OUT $(held)"; fi

t_begin "a gap (events 30..40 after 20): 409 gap with the size held, logged"
batch "$d/A" 30 40 && post "$d/A"
if [ "$CODE" = 409 ] && json_has "d['error'] == 'gap' and d['size'] == 20" <<<"$OUT" &&
   [ "$(held)" = 20 ] && grep -q "station test-01: events refused: gap: events 21 to 29 are missing" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a tampered event (one byte of event 25's detail): 422 chain at 25, nothing of the batch kept, logged"
batch "$d/A" 21 30
python3 - "$d/body.json" <<'EOF'
import json, sys
b = json.load(open(sys.argv[1]))
e = [e for e in b["events"] if e["seq"] == 25][0]
e["detail"] = e["detail"].replace("1", "2", 1) if "1" in e["detail"] else e["detail"] + " "
json.dump(b, open(sys.argv[1], "w"), ensure_ascii=False, separators=(",", ":"))
EOF
post "$d/A"
if [ "$CODE" = 422 ] && json_has "d['error'] == 'chain' and d['seq'] == 25" <<<"$OUT" &&
   [ "$(held)" = 20 ] && grep -q "station test-01: events refused: chain: event 25" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a well-signed checkpoint whose root is wrong: 422 checkpoint, the batch not kept, logged"
batch "$d/A" 21 30 --bad-root && post "$d/A"
if [ "$CODE" = 422 ] && json_has "d['error'] == 'checkpoint'" <<<"$OUT" && [ "$(held)" = 20 ] &&
   grep -q "station test-01: events refused: checkpoint: its root is not the root" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a checkpoint signed by another key (other-02's under test-01's origin): 422 checkpoint"
"$PEER" batch "$d/A/haulgate.db" "$d/O/station.key" test-01 21 30 >"$d/body.json" && post "$d/A"
if [ "$CODE" = 422 ] && json_has "d['error'] == 'checkpoint' and 'signed by the station' in d['message']" <<<"$OUT" &&
   [ "$(held)" = 20 ]
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "the rest of the log in batches: every event held once, the last checkpoint of size $NA"
ok=1
for from in $(seq 21 17 "$NA"); do
	to=$((from + 16))
	[ "$to" -gt "$NA" ] && to=$NA
	batch "$d/A" "$from" "$to" && post "$d/A"
	[ "$CODE" = 200 ] && json_has "d['size'] == $to" <<<"$OUT" || { ok=0; break; }
done
if [ "$ok" = 1 ] && [ "$(held)" = "$NA" ]; then t_ok; else t_fail "" "$from..$to: $CODE $OUT"; fi

t_begin "the plant's tables are the station's: rec_loads, rec_load_sources, rec_sources, rec_rv_visits, rec_haulers"
cmp_table() {	# cmp_table TABLE COLUMNS: the station's rows and the plant's, the same
	local a b
	a=$(sqlite3 "$d/A/haulgate.db" "SELECT $2 FROM $1 ORDER BY $2")
	b=$(sqlite3 "$d/P/potw.db" "SELECT $2 FROM rec_$1 WHERE station_id = 'test-01' ORDER BY $2")
	[ -n "$a" ] && [ "$a" = "$b" ] || { echo "$1: station [$a] plant [$b]"; return 1; }
}
if out=$(cmp_table loads "load_no, station, day, hauler_id, waste, gallons, verdict, record_sha256, bottle, t_decided, t_discharge_end" &&
	cmp_table load_sources "load_no, idx, name, address, town" &&
	cmp_table sources "hauler_id, name, address, industry, last_used" &&
	cmp_table rv_visits "id, name, plate, done" &&
	cmp_table haulers "id, company, permit, status")
then t_ok; else t_fail "" "$out"; fi

t_begin "state now: size $NA, the head is the station's last hash, the checkpoint the latest cosigned"
head=$(sqlite3 "$d/A/haulgate.db" "SELECT hex(hash) FROM events ORDER BY seq DESC LIMIT 1")
if request "$d/A" test-01 GET state && [ "$CODE" = 200 ] &&
   json_has "d['size'] == $NA and __import__('base64').b64decode(d['head']).hex().upper() == '$head' and d['checkpoint'].split('\n')[1] == '$NA' and d['fork'] is None" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "the day-old backup B, with other events after $NSPLIT: a fork, 409 at $((NSPLIT + 1)), both versions kept, logged"
batch "$d/B" "$((NSPLIT + 1))" "$NB0" && post "$d/B"
forks=$(sqlite3 "$d/P/potw.db" "SELECT count(*) FROM forks WHERE station = 'test-01' AND seq = $((NSPLIT + 1)) AND held_hash IS NOT NULL")
same=$(sqlite3 "$d/P/potw.db" "SELECT hex(hash) FROM events WHERE station = 'test-01' AND seq = $((NSPLIT + 1))")
ahash=$(sqlite3 "$d/A/haulgate.db" "SELECT hex(hash) FROM events WHERE seq = $((NSPLIT + 1))")
if [ "$CODE" = 409 ] && json_has "d['error'] == 'fork' and d['seq'] == $((NSPLIT + 1))" <<<"$OUT" &&
   [ "$forks" = 1 ] && [ "$same" = "$ahash" ] && [ "$(held)" = "$NA" ] &&
   grep -q "station test-01: FORK: event $((NSPLIT + 1))" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT forks=$forks"; fi

t_begin "state says the fork; station list counts its evidence"
if request "$d/A" test-01 GET state && json_has "d['fork'] is not None and d['fork']['seq'] == $((NSPLIT + 1))" <<<"$OUT" &&
   expect_exit 0 pw --csv station list && grep -q "^test-01,.*,$NA,[1-9]" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "events --fork shows the version B sent beside the hash held; events --from --to the one held"
K=$((NSPLIT + 1))
# b64hash DB K: the base64 hash of event K of a station database
b64hash() { python3 -c 'import sqlite3, base64, sys
print(base64.b64encode(sqlite3.connect(sys.argv[1]).execute("SELECT hash FROM events WHERE seq = ?", (int(sys.argv[2]),)).fetchone()[0]).decode())' "$1" "$2"; }
bhash=$(b64hash "$d/B/haulgate.db" "$K")
ahash64=$(b64hash "$d/A/haulgate.db" "$K")
# read as JSON, not grepped in CSV: a base64 hash may begin with '+', which
# the CSV writer quotes behind a ' (a formula to a spreadsheet)
if expect_exit 0 pw --json events --station test-01 --fork &&
   json_has "[(r['hash'], r['held_hash']) for r in d if r['seq'] == $K] == [('$bhash', '$ahash64')]" <<<"$OUT" &&
   expect_exit 0 pw --json events --station test-01 --from "$K" --to "$K" &&
   json_has "[(r['seq'], r['hash']) for r in d] == [($K, '$ahash64')]" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

# ---- two stations at once ----
t_begin "two more stations send their logs at the same time, in batches of 5: every event held once, nothing failed"
station "$d/C" c-03 && simulate "$d/C" hauler_first_load
station "$d/D" d-04 && simulate "$d/D" rv_visit && simulate "$d/D" operator
"$STATION_HG" --config "$d/C/station.ini" keys --public-pem >"$d/C.pem"
"$STATION_HG" --config "$d/D/station.ini" keys --public-pem >"$d/D.pem"
pw station add --id c-03 --name C --key-pem "$d/C.pem" >/dev/null
pw station add --id d-04 --name D --key-pem "$d/D.pem" >/dev/null
# sender SDIR ID: every event in batches of 5, each answer's status into SDIR/codes
sender() {
	local n from to
	n=$(sqlite3 "$1/haulgate.db" "SELECT max(seq) FROM events")
	for from in $(seq 1 5 "$n"); do
		to=$((from + 4))
		[ "$to" -gt "$n" ] && to=$n
		"$PEER" batch "$1/haulgate.db" "$1/station.key" "$2" "$from" "$to" >"$1/body.json" &&
		"$PEER" sign "$1/station.key" "$2" POST "$AUTH" /api/v1/sync/events "$1/body.json" >"$1/hdr" &&
		curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H @"$1/hdr" --data-binary @"$1/body.json" \
			-o /dev/null -w '%{http_code}\n' "$BASE/events" >>"$1/codes"
	done
}
sender "$d/C" c-03 &
s1=$!
sender "$d/D" d-04 &
s2=$!
wait "$s1" "$s2"
nc=$(sqlite3 "$d/C/haulgate.db" "SELECT max(seq) FROM events")
nd=$(sqlite3 "$d/D/haulgate.db" "SELECT max(seq) FROM events")
hc=$(sqlite3 "$d/P/potw.db" "SELECT count(*) FROM events WHERE station = 'c-03'")
hd=$(sqlite3 "$d/P/potw.db" "SELECT count(*) FROM events WHERE station = 'd-04'")
if [ "$hc" = "$nc" ] && [ "$hd" = "$nd" ] && ! grep -qv '^200$' "$d/C/codes" "$d/D/codes" &&
   [ "$(sqlite3 "$d/P/potw.db" "SELECT count(*) FROM checkpoints WHERE station = 'd-04'")" = $(((nd + 4) / 5)) ] &&
   ! grep -q "store failed" "$d/serve.err"
then t_ok; else t_fail "" "c-03 $hc/$nc d-04 $hd/$nd $(sort "$d/C/codes" "$d/D/codes" | uniq -c)"; fi

# ---- who is asking ----
batch "$d/A" 1 5
t_begin "a request signed by a key the plant does not know (keyid nobody-09): 401 unknown-key, logged"
request "$d/A" nobody-09 POST events "$d/body.json"
if [ "$CODE" = 401 ] && json_has "d['error'] == 'signature' and d['fault'] == 'unknown-key'" <<<"$OUT" &&
   grep -q "station nobody-09: request refused: POST /api/v1/sync/events: unknown-key" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a retired station's key: 401 retired, logged"
request "$d/O" other-02 GET state
if [ "$CODE" = 401 ] && json_has "d['fault'] == 'retired'" <<<"$OUT" &&
   grep -q "station other-02: request refused: GET /api/v1/sync/state: retired" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "test-01's keyid signed by another key: 401 bad-signature, logged"
request "$d/O" test-01 GET state
if [ "$CODE" = 401 ] && json_has "d['fault'] == 'bad-signature'" <<<"$OUT" &&
   grep -q "station test-01: request refused: GET /api/v1/sync/state: bad-signature" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "created 6 minutes ago: 401 stale, logged"
request "$d/A" test-01 POST events "$d/body.json" "$d/body.json" --created "$(($(date +%s) - 360))"
if [ "$CODE" = 401 ] && json_has "d['fault'] == 'stale'" <<<"$OUT" && grep -q "request refused: .*: stale" "$d/serve.err"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a body other than the one signed: 401 digest-mismatch, logged, nothing taken"
cp "$d/body.json" "$d/signed.json"
batch "$d/A" 1 6
request "$d/A" test-01 POST events "$d/body.json" "$d/signed.json"
if [ "$CODE" = 401 ] && json_has "d['fault'] == 'digest-mismatch'" <<<"$OUT" &&
   grep -q "request refused: .*: digest-mismatch" "$d/serve.err" && [ "$(held)" = "$NA" ]
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "no signature at all: 401"
OUT=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -w '\n%{http_code}' "$BASE/state")
if [ "${OUT##*$'\n'}" = 401 ]; then t_ok; else t_fail "" "$OUT"; fi

t_begin "a body past 8 MiB: 413 before it is read"
head -c 9000000 /dev/zero | tr '\0' ' ' >"$d/big.json"
OUT=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H 'Content-Type: application/json' \
	--data-binary @"$d/big.json" -w '\n%{http_code}' "$BASE/events")
if [ "${OUT##*$'\n'}" = 413 ]; then t_ok; else t_fail "" "$(tail -c 300 <<<"$OUT")"; fi

# ---- what a third party checks, with Go ----
cd "$d" || exit 2
t_begin "checkpoint prints the stored note; key --note-verifier the plant's key"
if pw checkpoint --station test-01 >"$d/cp-last.note" && [ "$(sed -n 2p "$d/cp-last.note")" = "$NA" ] &&
   pw checkpoint --station test-01 --size 20 >"$d/cp-20.note" &&
   python3 -c 'import json,sys; print(json.load(sys.stdin)["checkpoint"], end="")' <<<"$FIRST" | cmp -s - "$d/cp-20.note" &&
   expect_exit 0 pw key --note-verifier && [[ $OUT == haulgate.potw/test-plant+* ]]
then t_ok; else t_fail "" "$OUT$ERR"; fi
PKEY=$OUT
SKEY=$("$PEER" vkey "$d/A/station.key" test-01)
"$PEER" leaves "$d/A/haulgate.db" >"$d/leaves.txt"

t_begin "proof prints inclusion and consistency proofs as JSON"
if pw proof --station test-01 --event 7 >"$d/incl-7.json" &&
   pw proof --station test-01 --event 3 --size 20 >"$d/incl-3-20.json" &&
   pw proof --station test-01 --event "$NA" >"$d/incl-last.json" &&
   pw proof --station test-01 --from 20 --to "$NA" >"$d/cons.json" &&
   json_has "d['event'] == 7 and d['index'] == 6 and d['size'] == $NA" <"$d/incl-7.json"
then t_ok; else t_fail; fi

t_begin "Go's note.Open and tlog.CheckRecord/CheckTree accept them with the station's and the plant's keys"
if expect_exit 0 "$CHECK" -key "$SKEY" -key "$PKEY" -origin haulgate.station/test-01 -leaves "$d/leaves.txt" \
	-note "$d/cp-20.note" -note "$d/cp-last.note" "$d/incl-7.json" "$d/incl-3-20.json" \
	"$d/incl-last.json" "$d/cons.json" && [ "$(grep -c '^ok ' <<<"$OUT")" = 6 ]
then t_ok; else t_fail "" "$OUT"; fi

t_begin "Go refuses the checkpoint with the plant's cosignature line flipped"
python3 - "$d/cp-last.note" "$d/cp-bad.note" <<'EOF'
import base64, sys
lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
i = [k for k, l in enumerate(lines) if l.startswith("\u2014 haulgate.potw/")][0]
name, sig = lines[i].rsplit(" ", 1)
raw = bytearray(base64.b64decode(sig)); raw[10] ^= 1
lines[i] = name + " " + base64.b64encode(bytes(raw)).decode()
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(lines))
EOF
if expect_exit 1 "$CHECK" -key "$SKEY" -key "$PKEY" -note "$d/cp-bad.note"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "proof of an event past the log, or without a station: refused"
if expect_exit 1 pw proof --station test-01 --event "$((NA + 1))" --size "$((NA + 1))" &&
   expect_exit 2 pw proof --station test-01 --event 3 --from 1 --to 2 &&
   expect_exit 1 pw checkpoint --station nobody-09
then t_ok; else t_fail; fi

# ---- verify ----
t_begin "verify walks test-01's log as held: chain, tree, checkpoints, rows rebuilt; the fork evidence warned of"
if expect_exit 0 pw verify --station test-01 && grep -q "^chain ok: $NA events" <<<"$OUT" &&
   grep -q "^tree ok: " <<<"$OUT" && grep -q "^checkpoints ok: " <<<"$OUT" &&
   grep -q "^tables ok: [1-9][0-9]* rows are what the log makes" <<<"$OUT" &&
   grep -q "fork evidence" <<<"$ERR"
then t_ok; else t_fail "" "$OUT$ERR"; fi

# vcopy SQL: verify a copy of the plant's database edited by SQL
vcopy() {
	mkdir -p "$d/V"
	sqlite3 "$d/P/potw.db" ".backup '$d/V/potw.db'" && sqlite3 "$d/V/potw.db" "$1" &&
	sed "s|^db = .*|db = $d/V/potw.db|; s|^key = potw.key|key = $d/P/potw.key|" "$d/P/potw.ini" >"$d/V/potw.ini" &&
	"$POTW" --config "$d/V/potw.ini" verify --station test-01
}
t_begin "verify finds an edited event, a wrong tree node, a stored root edited, a row edited or gone (exit 1, said)"
if OUT=$(vcopy "UPDATE events SET detail = detail || ' ' WHERE station = 'test-01' AND seq = 9"); [ $? = 1 ] &&
   grep -q "^chain broken at event 9: its hash is not the hash of its content" <<<"$OUT" &&
   OUT=$(vcopy "UPDATE tree SET hash = zeroblob(32) WHERE station = 'test-01' AND level = 4 AND idx = 1"); [ $? = 1 ] &&
   grep -q "^tree broken at event 32" <<<"$OUT" &&
   OUT=$(vcopy "UPDATE checkpoints SET root = zeroblob(32) WHERE station = 'test-01' AND size = 20"); [ $? = 1 ] &&
   grep -q "^checkpoint of size 20 broken" <<<"$OUT" &&
   OUT=$(vcopy "UPDATE rec_loads SET gallons = gallons + 1 WHERE station_id = 'test-01' AND load_no = 1"); [ $? = 1 ] &&
   grep -q "^tables differ from the log: rec_loads: 1 rows kept are not what the log makes" <<<"$OUT" &&
   OUT=$(vcopy "DELETE FROM rec_load_sources WHERE station_id = 'test-01'"); [ $? = 1 ] &&
   grep -q "^tables differ from the log: rec_load_sources: 0 rows kept" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

# ---- killed and started again ----
t_begin "the server killed (kill -9) during a stream of resends and started again: the log whole, a resend taken once, verify ok"
batch "$d/A" 1 "$NA"
for _ in 1 2 3 4 5 6; do post "$d/A" & done
sleep 0.2
kill -KILL "$SRV"
wait "$SRV" 2>/dev/null
wait
"$POTW" --config "$d/P/potw.ini" serve >"$d/serve.out" 2>>"$d/serve.err" &
SRV=$!
port=""
for _ in $(seq 1 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	kill -0 "$SRV" 2>/dev/null || break
	sleep 0.05
done
AUTH="127.0.0.1:$port"
BASE="https://$AUTH/api/v1/sync"
if [ -n "$port" ] && request "$d/A" test-01 GET state && json_has "d['size'] == $NA" <<<"$OUT" &&
   post "$d/A" && [ "$CODE" = 200 ] && [ "$(held)" = "$NA" ] &&
   expect_exit 0 pw verify --station test-01
then t_ok; else t_fail "" "port '$port' $CODE $OUT $ERR"; fi

# ---- the end ----
t_begin "SIGTERM ends serve cleanly, no sanitizer report"
kill -TERM "$SRV"
rc=""
for _ in $(seq 1 200); do
	kill -0 "$SRV" 2>/dev/null || { wait "$SRV"; rc=$?; break; }
	sleep 0.05
done
if [ "$rc" = 0 ] && ! grep -q "Sanitizer\|runtime error" "$d/serve.err"
then t_ok; else t_fail "" "rc '$rc' $(tail -20 "$d/serve.err")"; fi
[ -z "$rc" ] && kill -KILL "$SRV" 2>/dev/null

t_end
