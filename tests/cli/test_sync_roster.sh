#!/usr/bin/env bash
# test_sync_roster.sh: the roster comes down (docs/SYNC.md, GET
# /api/v1/sync/roster; the station's side in station/sync.c) against the
# real plant server, build/asan/haulgate-potw, on loopback TLS.  The plant
# adds a hauler, a card with a PIN and a truck; `haulgate sync now` at a
# new station applies them as its own events (actor plant:<seq>), the PIN
# hash in the row and not in the event; `verify` passes; a second round
# applies only the new edit; a plant event edited in the plant's database
# is refused and nothing is applied; a station with roster rows of its own
# is refused (docs/DECISIONS.md).
. "$(dirname "$0")/lib.sh"
POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SRV_PID=""

stop_server() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
	fi
}
trap 'stop_server; t_cleanup' EXIT
trap 'exit 1' HUP INT TERM

for c in python3 sqlite3; do
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
[server]
listen = 127.0.0.1:0
db = var/potw.db
key = keys/potw.key
threads = 2
name = test-plant
[tls]
cert = keys/tls.crt
key = keys/tls.key
EOF2
pw() { "$POTW" --config "$d/potw.ini" "$@"; }
with_pin() {	# with_pin PIN CMD...: the PIN on stdin
	local p=$1
	shift
	printf '%s\n' "$p" | "$@" >"$d/.o" 2>"$d/.e"
	RC=$?
	OUT=$(cat "$d/.o")
	ERR=$(cat "$d/.e")
}
pw init >/dev/null 2>&1
pin=$(pw key 2>/dev/null)
vkey=$(pw key --note-verifier 2>/dev/null)
pw hauler add --company "Acme Pumping" --contact "Ann Lee" --address "1 Main St" \
	--phone 555-0100 --permit P-1 --from 2026-01-01 --to 2030-12-31 \
	--waste septage,grease >/dev/null 2>&1
with_pin 4821 pw card add --uid 04:A1:B2:C3 --hauler 1 --driver "Bo Diaz"
pw truck add --hauler 1 --ident "KS 123" --capacity 3000 >/dev/null 2>&1

s="$d/station"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
st() { "$HG" --config "$s/station.ini" "$@"; }
st init >/dev/null 2>&1
st keys --public-pem >"$s/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$s/station.pem" >/dev/null 2>&1

"$POTW" --config "$d/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV_PID=$!
port=""
for _ in $(seq 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	sleep 0.05
done
printf '\n[sync]\nurl = https://127.0.0.1:%s\npin = %s\nplant_key = %s\n' "$port" "$pin" "$vkey" \
	>>"$s/station.ini"
sq() { sqlite3 "$s/haulgate.db" "$1"; }

t_begin "the plant serves, with its three roster edits"
if [ -n "$port" ] && [ -n "$pin" ] && [ -n "$vkey" ] &&
   [ "$(sqlite3 "$d/var/potw.db" "SELECT count(*) FROM events WHERE station = 'haulgate.potw'")" = 3 ]
then t_ok; else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi

t_begin "sync now: the plant's roster applied, 3 edits, version 3"
expect_exit 0 st sync now
OUT_FIRST=$OUT
PS_FIRST=$(sq "SELECT plant_size FROM sync_state")
EV_FIRST=$(sq "SELECT count(*) FROM events")
if [ "$RC" = 0 ] && grep -q "the plant's roster: 3 edits applied (version 3)" <<<"$OUT" &&
   [ "$(sq "SELECT roster_version FROM sync_state")" = 3 ]
then t_ok; else t_fail "" "$OUT $ERR $(tail -5 "$d/serve.err")"; fi

t_begin "hauler list, card list and the trucks show the plant's rows"
if expect_exit 0 st hauler list && grep -q "Acme Pumping" <<<"$OUT" &&
   expect_exit 0 st card list && grep -qi "04a1b2c3" <<<"$OUT" && grep -q "Bo Diaz" <<<"$OUT" &&
   [ "$(sq "SELECT ident FROM trucks WHERE id = 1")" = "KS 123" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the station's own events, actor plant:<seq>; the PIN hash in the row, not in the event"
if [ "$(sq "SELECT group_concat(type || '/' || actor, ' ') FROM events WHERE actor LIKE 'plant:%'")" = \
     "hauler_added/plant:1 card_added/plant:2 truck_added/plant:3" ] &&
   [ "$(sq "SELECT count(*) FROM events WHERE detail LIKE '%pin_hash%'")" = 0 ] &&
   [ -n "$(sq "SELECT pin_hash FROM cards WHERE uid = '04a1b2c3'")" ] &&
   [ "$(sq "SELECT pin_hash FROM cards WHERE uid = '04a1b2c3'")" = \
     "$(sqlite3 "$d/var/potw.db" "SELECT json_extract(detail, '\$.pin_hash') FROM events WHERE station = 'haulgate.potw' AND seq = 2")" ]
then t_ok; else t_fail "" "$(sq "SELECT seq, type, actor, detail FROM events")"; fi

t_begin "the plant's PIN key opened (sealed to the station's key) and kept as the station's"
spk=$(python3 -c "import base64,sys; print(base64.b64decode(open(sys.argv[1]).read().strip()).hex())" "$s/pin.key" 2>/dev/null)
ppk=$(python3 -c "import base64,sys; print(base64.b64decode(open(sys.argv[1]).read().strip()).hex())" "$d/keys/pin.key" 2>/dev/null)
if [ -n "$spk" ] && [ "$spk" = "$ppk" ] && [ "$(stat -c %a "$s/pin.key")" = 600 ] &&
   grep -q "the plant's PIN key is now this station's" <<<"$OUT_FIRST"
then t_ok; else t_fail "" "station $spk plant $ppk $OUT_FIRST"; fi

t_begin "simulate at the station: the plant's card and its PIN let the hauler in"
cat >"$d/pin.scn" <<'EOF2'
clock 2026-11-23T08:00:00
expect screen start
card 04a1b2c3
expect screen pin
type 4821
press ok
expect screen truck
EOF2
if expect_exit 0 st simulate --script "$d/pin.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "verify at the station passes: the rows are the projection of its events"
if expect_exit 0 st verify
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the applied edits went to the plant in the same round"
if [ "$PS_FIRST" = "$EV_FIRST" ] && [ "$EV_FIRST" -gt 3 ]
then t_ok; else t_fail "" "plant $PS_FIRST station $EV_FIRST"; fi

t_begin "a second round applies only the new edit"
pw truck add --hauler 1 --ident "KS 456" --capacity 2500 >/dev/null 2>&1
if expect_exit 0 st sync now && grep -q "1 edit applied (version 4)" <<<"$OUT" &&
   [ "$(sq "SELECT count(*) FROM trucks")" = 2 ] &&
   [ "$(sq "SELECT count(*) FROM events WHERE actor LIKE 'plant:%'")" = 4 ] &&
   expect_exit 0 st sync now && ! grep -q "applied" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a plant event edited in the plant's database: refused, exit 4, nothing applied"
pw truck add --hauler 1 --ident "KS 789" --capacity 2000 >/dev/null 2>&1
pw truck add --hauler 1 --ident "KS 790" --capacity 2000 >/dev/null 2>&1
sqlite3 "$d/var/potw.db" "UPDATE events SET detail = replace(detail, 'KS 790', 'KS 666') WHERE station = 'haulgate.potw' AND seq = 6"
before=$(sq "SELECT count(*) FROM events")
if expect_exit 4 st sync now && grep -q "roster event 6 is not the chain's" <<<"$ERR" &&
   [ "$(sq "SELECT count(*) FROM events")" = "$before" ] &&
   [ "$(sq "SELECT count(*) FROM trucks")" = 2 ] &&
   [ "$(sq "SELECT roster_version FROM sync_state")" = 4 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync status says why"
if st sync status >"$d/status" 2>&1; grep -q "not the chain's" "$d/status"
then t_ok; else t_fail "" "$(cat "$d/status")"; fi

t_begin "a station with roster rows of its own: refused, nothing applied"
o="$d/other"
mkdir -p "$o"
cp "$HG_ROOT/tests/scenarios/station.ini" "$o/station.ini"
sed -i 's/^id = .*/id = test-02/' "$o/station.ini"
"$HG" --config "$o/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$o/station.ini" keys --public-pem >"$o/station.pem"
pw station add --id test-02 --name "Other" --key-pem "$o/station.pem" >/dev/null 2>&1
printf '\n[sync]\nurl = https://127.0.0.1:%s\npin = %s\nplant_key = %s\n' "$port" "$pin" "$vkey" \
	>>"$o/station.ini"
sqlite3 "$d/var/potw.db" "UPDATE events SET detail = replace(detail, 'KS 666', 'KS 790') WHERE station = 'haulgate.potw' AND seq = 6"
if expect_exit 4 "$HG" --config "$o/station.ini" sync now && grep -q "roster rows of its own" <<<"$ERR" &&
   [ "$(sqlite3 "$o/haulgate.db" "SELECT count(*) FROM events WHERE actor LIKE 'plant:%'")" = 0 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the plant's event restored: the first station applies the rest"
if expect_exit 0 st sync now && grep -q "2 edits applied (version 6)" <<<"$OUT" &&
   expect_exit 0 st verify
then t_ok; else t_fail "" "$OUT $ERR"; fi

stop_server
t_end
