#!/bin/bash
# test_potw_roster.sh: the roster at the plant (docs/POTW.md, docs/SYNC.md
# "GET /api/v1/sync/roster"): haulgate-potw hauler|card|truck|operator with
# the station CLI's options and checks, bad input refused in clear words and
# nothing logged, the listings as a table, CSV and JSON, every edit an event
# of the plant's own log (POTW_PLANT_LOG) with a checkpoint signed by the
# plant's key; then the roster endpoint over loopback TLS, asked with a
# request signed by a registered station (build/peers/sync_batch, the @query
# signed), its events' chain and the plant's checkpoint checked as the
# station will, and the plant's PIN key, sealed to that station, opened with
# the station's key and equal to the plant's pin.key.  The server is
# build/asan/haulgate-potw (POTW can name another).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
PEER="$HG_ROOT/build/peers/sync_batch"
STATION_HG="$HG_ROOT/build/haulgate"
SCN="$HG_ROOT/tests/scenarios"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for c in curl python3 sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
for p in "$POTW" "$PEER" "$STATION_HG"; do
	[ -x "$p" ] || {
		echo "not ok - no $p: make $p (make test builds it)"
		exit 1
	}
done

d=$(tmpdir)
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }
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
# with_pin PIN CMD...: CMD with PIN on stdin; RC, OUT, ERR
with_pin() {
	local pin=$1
	shift
	printf '%s\n' "$pin" | "$@" >"$d/.o" 2>"$d/.e"
	RC=$?
	OUT=$(cat "$d/.o")
	ERR=$(cat "$d/.e")
}
logsize() { sqlite3 "$d/P/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'"; }

t_begin "init makes the plant's PIN key beside the server key"
if expect_exit 0 pw init && [ -s "$d/P/pin.key" ] && grep -q "PIN key: .*pin.key" <<<"$OUT" &&
   [ "$(stat -c %a "$d/P/pin.key")" = 600 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

HAUL=(--company "Acme Pumping" --contact "Ann Lee" --address "1 Main St" --phone 555-0100
      --permit P-1 --from 2026-01-01 --to 2026-12-31 --waste septage,grease)
# haul [--OPT VALUE]...: HAUL with those options' values replaced
haul() {
	local i out=("${HAUL[@]}")
	while [ $# -ge 2 ]; do
		for i in "${!out[@]}"; do
			[ "${out[$i]}" = "$1" ] && out[i + 1]=$2
		done
		shift 2
	done
	printf '%s\n' "${out[@]}"
}

t_begin "hauler add prints the new id; the edit is event 1 of the plant's log"
if expect_exit 0 pw hauler add "${HAUL[@]}" && [ "$OUT" = 1 ] && [ "$(logsize)" = 1 ] &&
   [ "$(sqlite3 "$d/P/potw.db" "SELECT type || ' ' || actor FROM events WHERE station = 'haulgate.potw'")" = "hauler_added potw:$(id -un)" ]
then t_ok; else t_fail "" "$OUT $ERR $(logsize)"; fi

# refused ARGS... WORDS: exit 1 (or 2 for a usage error) with WORDS, nothing logged
refused() {
	local want=$1 words=$2 before
	shift 2
	before=$(logsize)
	"$POTW" --config "$d/P/potw.ini" "$@" </dev/null >"$d/.o" 2>"$d/.e"
	RC=$?
	if [ "$RC" = "$want" ] && grep -qF -- "$words" "$d/.e" && [ "$(logsize)" = "$before" ]; then
		t_ok
	else
		t_fail "" "rc $RC: $(cat "$d/.e")"
	fi
}
t_begin "an empty company is refused, said, nothing logged"
mapfile -t A < <(haul --company "")
refused 1 "--company: must not be empty" hauler add "${A[@]}"
t_begin "a permit that ends before it starts is refused"
mapfile -t A < <(haul --to 2025-01-01)
refused 1 "--to: 2025-01-01 is before --from 2026-01-01" hauler add "${A[@]}"
t_begin "an unknown waste type is refused with the list"
mapfile -t A < <(haul --waste septage,,grease)
refused 1 "--waste: 'septage,,grease' is not a list of waste types" hauler add "${A[@]}"
t_begin "a missing option is a usage error"
refused 2 "missing --company" hauler add --contact x
t_begin "a date that is not one is refused"
mapfile -t A < <(haul --from 2026-02-30)
refused 1 "--from: '2026-02-30' is not a date YYYY-MM-DD" hauler add "${A[@]}"
t_begin "suspending a hauler the roster does not have is refused"
refused 1 "no hauler with id 9" hauler suspend 9
t_begin "a hauler ID that is not a number is refused"
refused 1 "hauler ID: 'x' is not a whole number" hauler suspend x
t_begin "a truck of a hauler not in the roster is refused"
refused 1 "no hauler with id 5" truck add --hauler 5 --ident T1 --capacity 3000
t_begin "a truck of 0 gallons is refused"
refused 1 "--capacity: '0' is not a whole number from 1 to 20000" truck add --hauler 1 --ident T1 --capacity 0
t_begin "a card UID of 5 digits is refused"
refused 1 "--uid: '12345' is not a card UID" card add --uid 12345 --hauler 1 --driver Bo
t_begin "hauler analysis needs --date or --none"
refused 2 "give either --date DATE or --none" hauler analysis 1

t_begin "card add: the PIN from stdin, hashed with the plant's PIN key, the UID normalised"
with_pin 4821 pw card add --uid 04:A1:B2:C3 --hauler 1 --driver "Bo Diaz"
if [ "$RC" = 0 ] && [ "$OUT" = "card '04a1b2c3' added for Bo Diaz (hauler 1)" ]
then t_ok; else t_fail "" "$RC $OUT $ERR"; fi

t_begin "a PIN of 3 digits is refused with the rule, nothing logged"
before=$(logsize)
with_pin 123 pw card add --uid 04a1b2c4 --hauler 1 --driver Bo
if [ "$RC" = 1 ] && grep -q "PIN: 4 to 12 digits" <<<"$ERR" && [ "$(logsize)" = "$before" ]
then t_ok; else t_fail "" "$RC $ERR"; fi

t_begin "a card already in the roster is refused"
with_pin 4821 pw card add --uid 04a1b2c3 --hauler 1 --driver Bo
if [ "$RC" = 1 ] && grep -q "card '04a1b2c3' is already in the roster" <<<"$ERR"
then t_ok; else t_fail "" "$RC $ERR"; fi

t_begin "an operator of 6 digits' PIN, a truck, a permit, an analysis, a suspension and back"
with_pin 246810 pw operator add --name "Op One" --uid 0a0b0c0d
if [ "$RC" = 0 ] && [ "$OUT" = 1 ] &&
   expect_exit 0 pw truck add --hauler 1 --ident "KS 123" --capacity 3000 && [ "$OUT" = 1 ] &&
   expect_exit 0 pw hauler permit 1 --permit P-2 --from 2026-01-01 --to 2026-06-30 &&
   expect_exit 0 pw hauler analysis 1 --date 2026-02-01 &&
   expect_exit 0 pw hauler suspend 1 && [ "$OUT" = "hauler 1 suspended" ] &&
   expect_exit 0 pw hauler reinstate 1
then t_ok; else t_fail "" "$RC $OUT $ERR"; fi

t_begin "an operator's UID is not a hauler card to revoke"
refused 1 "no card '0a0b0c0d' in the roster" card revoke 0a0b0c0d
t_begin "an operator's PIN of 4 digits is refused"
with_pin 1234 pw operator add --name "Op Two" --uid 0a0b0c0e
if [ "$RC" = 1 ] && grep -qi "6" <<<"$ERR"; then t_ok; else t_fail "" "$RC $ERR"; fi

t_begin "a hauler card revoked"
if expect_exit 0 pw card revoke 04A1B2C3 && [ "$OUT" = "card '04a1b2c3' revoked" ]
then t_ok; else t_fail; fi
NV=$(logsize)

t_begin "hauler list as a table: the hauler as its events made it"
if expect_exit 0 pw hauler list && grep -q "^ *1  Acme Pumping  Ann Lee .* P-2 .*2026-06-30  active .*septage,grease  2026-02-01" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi
t_begin "card list --csv: the card revoked, no PIN hash"
if expect_exit 0 pw card list --csv && OUT=$(tr -d '\r' <<<"$OUT") && [ "$(head -1 <<<"$OUT")" = "id,uid,hauler_id,driver,revoked,failures,locked_until,created" ] &&
   grep -q "^1,04a1b2c3,1,Bo Diaz,1,0,0," <<<"$OUT" && ! grep -q hgk1 <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi
t_begin "truck list --json and operator list --json"
if expect_exit 0 pw truck list --json && json_has "d == [{'id': 1, 'hauler_id': 1, 'ident': 'KS 123', 'capacity': 3000}]" <<<"$OUT" &&
   expect_exit 0 pw --json operator list && json_has "len(d) == 1 and d[0]['name'] == 'Op One' and d[0]['uid'] == '0a0b0c0d' and d[0]['active'] == 1" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "the plant's log is no station: not in station list, no station can register as it"
"$STATION_HG" --version >/dev/null
mkdir -p "$d/S"
sed "s/^id = .*/id = north-01/" "$SCN/station.ini" >"$d/S/station.ini"
"$STATION_HG" --config "$d/S/station.ini" init >/dev/null 2>&1
"$STATION_HG" --config "$d/S/station.ini" keys --public-pem >"$d/S.pem"
if expect_exit 0 pw station list && ! grep -q haulgate.potw <<<"$OUT" &&
   expect_exit 1 pw station add --id haulgate.potw --name x --key-pem "$d/S.pem" &&
   grep -q "not a station id" <<<"$ERR" &&
   expect_exit 0 pw station add --id north-01 --name "North gate" --key-pem "$d/S.pem"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the plant's log verifies as a chain: every hash and link recomputed"
if python3 - "$d/P/potw.db" <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT seq, prev_hash, hash FROM events WHERE station = 'haulgate.potw' ORDER BY seq").fetchall()
prev = bytes(32)
for i, (seq, p, h) in enumerate(rows):
    assert seq == i + 1 and p == prev, seq
    prev = h
n = db.execute("SELECT count(*) FROM checkpoints WHERE station = 'haulgate.potw'").fetchone()[0]
assert n == len(rows), (n, len(rows))
EOF
then t_ok; else t_fail; fi

# ---- the roster endpoint ----
PIN=$(pw key)
VKEY=$(pw key --note-verifier)
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

# get TARGET [SIGNED_TARGET]: a GET signed by north-01 for SIGNED_TARGET
# (default TARGET), sent to TARGET; the answer in $OUT, the status in $CODE
get() {
	local target=$1 signed=${2:-$1}
	"$PEER" sign "$d/S/station.key" north-01 GET "$AUTH" "$signed" >"$d/hdr" || return 1
	OUT=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H @"$d/hdr" \
		-w '\n%{http_code}' "https://$AUTH$target")
	CODE=${OUT##*$'\n'}
	OUT=${OUT%$'\n'*}
}

t_begin "roster?since=0: every event of the plant's log, version $NV, the plant's checkpoint"
if get "/api/v1/sync/roster?since=0" && [ "$CODE" = 200 ] &&
   json_has "d['since'] == 0 and d['version'] == $NV and d['size'] == $NV and len(d['events']) == $NV and d['events'][0]['type'] == 'hauler_added' and d['checkpoint'].startswith('haulgate.potw/test-plant\n$NV\n')" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi
printf '%s' "$OUT" >"$d/roster.json"

t_begin "the card's event carries its PIN hash down; the listing never shows it"
if json_has "[e for e in d['events'] if e['type'] == 'card_added'][0]['detail'].count('\"pin_hash\":\"\$hgk1\$argon2id') == 1" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "the station checks the answer: chain, the checkpoint under the plant's note key, the sealed PIN key opened"
if "$PEER" roster "$d/S/station.key" "$VKEY" "$d/roster.json" >"$d/check" 2>&1 &&
   grep -qx "chain ok $NV" "$d/check" && grep -qx "checkpoint ok $NV" "$d/check" &&
   [ "$(sed -n 's/^pin_key //p' "$d/check")" = "$(tr -d '\n' <"$d/P/pin.key")" ]
then t_ok; else t_fail "" "$(cat "$d/check")"; fi

t_begin "another station's key does not open the sealed PIN key"
mkdir -p "$d/S2"
sed "s/^id = .*/id = other-02/" "$SCN/station.ini" >"$d/S2/station.ini"
"$STATION_HG" --config "$d/S2/station.ini" init >/dev/null 2>&1
if ! "$PEER" roster "$d/S2/station.key" "$VKEY" "$d/roster.json" >"$d/check2" 2>&1 &&
   grep -q "does not open with the station's key" "$d/check2"
then t_ok; else t_fail "" "$(cat "$d/check2")"; fi

t_begin "a checkpoint under another key is refused by the station's check"
OTHER=$("$PEER" vkey "$d/S2/station.key" other-02)
if ! "$PEER" roster "$d/S/station.key" "$OTHER" "$d/roster.json" >/dev/null 2>&1
then t_ok; else t_fail; fi

t_begin "roster?since=4: the events after 4, linked to event 4"
if get "/api/v1/sync/roster?since=4" && [ "$CODE" = 200 ] &&
   json_has "d['since'] == 4 and [e['seq'] for e in d['events']] == list(range(5, $NV + 1)) and d['events'][0]['prev_hash'] == [e for e in json.load(open('$d/roster.json'))['events'] if e['seq'] == 4][0]['hash']" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "roster?since=$NV: nothing new, the same version"
if get "/api/v1/sync/roster?since=$NV" && [ "$CODE" = 200 ] &&
   json_has "d['events'] == [] and d['version'] == $NV" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a version past the plant's: 409 ahead with the plant's size"
if get "/api/v1/sync/roster?since=999" && [ "$CODE" = 409 ] &&
   json_has "d['error'] == 'ahead' and d['size'] == $NV" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "no since, or not a number: 400 malformed"
if get "/api/v1/sync/roster" && [ "$CODE" = 400 ] && get "/api/v1/sync/roster?since=x" && [ "$CODE" = 400 ] &&
   json_has "d['error'] == 'malformed'" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "the query is signed: a request signed for since=0 and sent with since=1 is refused 401"
if get "/api/v1/sync/roster?since=1" "/api/v1/sync/roster?since=0" && [ "$CODE" = 401 ] &&
   json_has "d['error'] == 'signature' and d['fault'] == 'bad-signature'" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a query the signature does not cover is refused 401"
if get "/api/v1/sync/roster?since=0" "/api/v1/sync/roster" && [ "$CODE" = 401 ] &&
   json_has "d['error'] == 'signature' and d['fault'] == 'missing-component'" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "a query on a route that takes none: 400"
if get "/api/v1/sync/state?x=1" && [ "$CODE" = 400 ]
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "the state tells the roster version"
if get "/api/v1/sync/state" && [ "$CODE" = 200 ] && json_has "d['roster_version'] == $NV" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

t_begin "an edit while serving: the next roster answer has it"
mapfile -t A < <(haul --company "Bee Septic")
if expect_exit 0 pw hauler add "${A[@]}" && [ "$OUT" = 2 ] &&
   get "/api/v1/sync/roster?since=$NV" && [ "$CODE" = 200 ] &&
   json_has "len(d['events']) == 1 and d['events'][0]['seq'] == $NV + 1 and '\"company\":\"Bee Septic\"' in d['events'][0]['detail']" <<<"$OUT"
then t_ok; else t_fail "" "$CODE $OUT"; fi

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

t_begin "verify --station haulgate.potw: the plant's log whole, its checkpoints the plant's"
if expect_exit 0 pw verify --station haulgate.potw && grep -q "^chain ok: $((NV + 1)) events" <<<"$OUT" &&
   grep -q "^checkpoints ok: $((NV + 1)), each signed by the plant" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "an edited roster event (event 2's detail) is found by verify"
cp "$d/P/potw.db" "$d/P/good.db"
sqlite3 "$d/P/potw.db" "UPDATE events SET detail = replace(detail, 'Bo Diaz', 'Bo Dias') WHERE station = 'haulgate.potw' AND seq = 2"
if expect_exit 1 pw verify --station haulgate.potw && grep -q "^chain broken at event 2" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi
cp "$d/P/good.db" "$d/P/potw.db"

t_end
