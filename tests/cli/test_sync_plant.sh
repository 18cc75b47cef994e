#!/usr/bin/env bash
# test_sync_plant.sh: the station's `haulgate sync` against the real plant,
# build/asan/haulgate-potw (under ASan+UBSan) serving over pinned TLS on
# loopback (docs/SYNC.md).
#
# A demo station is registered at a fresh plant (`station add` with the
# key `haulgate keys --public-pem` prints); `sync now` sends its whole log,
# the plant checks every event, signature and checkpoint and cosigns; a
# second round sends only what is new; `sync status` says ok with the
# plant's countersigned checkpoint, which is the one `haulgate-potw
# checkpoint` prints and which Go's sumdb/note opens under both keys
# (tests/peers/tlogcheck); an edited event in the station's
# database (the chain broken) is refused from that point on (422, exit 4);
# a station restored from an old backup is a fork (exit 4, shown by `sync
# status`), its own version of the events sent to the plant as evidence
# (the plant's station list counts it, its log says FORK); a station the plant does not know is refused (401, exit 4).
# POTW and HG can name other binaries (build/haulgate-potw, the ASan CLI).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/managed.sh"
POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
TLOGCHECK="$HG_ROOT/build/peers/tlogcheck"
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
[tls]
cert = keys/tls.crt
key = keys/tls.key
EOF2
pw() { "$POTW" --config "$d/potw.ini" "$@"; }
pw init >/dev/null 2>&1
pin=$(pw key 2>/dev/null)
vkey=$(pw key --note-verifier 2>/dev/null)

s="$d/station"
mkdir -p "$s"
ini() {	# ini FILE URL
	cp "$HG_ROOT/tests/scenarios/station.ini" "$1"
	printf '\n[sync]\nurl = %s\npin = %s\nplant_key = %s\n' "$2" "$pin" "$vkey" >>"$1"
}
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
"$HG" --config "$s/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$s/station.ini" keys --public-pem >"$s/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$s/station.pem" >/dev/null 2>&1

"$POTW" --config "$d/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV_PID=$!
port=""
for _ in $(seq 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	sleep 0.05
done
ini "$s/station.ini" "https://127.0.0.1:$port"

nev() {
	sqlite3 "$s/haulgate.db" "SELECT count(*) FROM events"
}
field() {	# field NAME: from sync status --json
	"$HG" --config "$s/station.ini" --json sync status 2>/dev/null |
		python3 -c "import json, sys; print(json.load(sys.stdin)[0]['$1'])"
}
# new events at the station: an RV visit (RV_EVENTS of them; managed.sh)
add_events() {
	rv_visit "$s/station.ini" "Visitor $1"
}

t_begin "the plant serves, with its pin and note key"
if [ -n "$port" ] && [ -n "$pin" ] && [ -n "$vkey" ]; then t_ok
else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi

t_begin "sync now: the whole log at the plant, its cosigned checkpoint kept"
if expect_exit 0 "$HG" --config "$s/station.ini" sync now &&
   grep -q "the plant holds all $(nev) events" <<<"$OUT" && [ "$(field state)" = ok ] &&
   [ "$(field checkpoint_size)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR $(tail -5 "$d/serve.err")"; fi

t_begin "the note the station kept is the plant's stored checkpoint, and Go's sumdb/note takes it"
# (sqlite3 adds a newline after the note's own)
printf '%s\n' "$(sqlite3 "$s/haulgate.db" "SELECT note FROM sync_checkpoints ORDER BY size DESC LIMIT 1")" >"$d/kept.note"
pw checkpoint --station test-01 >"$d/plant.note" 2>/dev/null
svkey=$("$HG" --config "$s/station.ini" keys --note-verifier 2>/dev/null)
if [ ! -x "$TLOGCHECK" ]; then
	t_fail "" "$TLOGCHECK is missing: make $TLOGCHECK"
elif cmp -s "$d/kept.note" "$d/plant.note" && [ -n "$svkey" ] &&
   "$TLOGCHECK" -key "$svkey" -key "$vkey" -origin haulgate.station/test-01 -note "$d/kept.note" >/dev/null 2>&1
then t_ok; else t_fail "" "$(diff "$d/kept.note" "$d/plant.note")"; fi

t_begin "a second round sends only the new events"
add_events 1
add_events 2
if expect_exit 0 "$HG" --config "$s/station.ini" sync now && grep -q "$((2 * RV_EVENTS)) sent now" <<<"$OUT" &&
   [ "$(field checkpoint_size)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a station the plant does not know: refused, exit 4"
o="$d/other"
mkdir -p "$o"
cp "$HG_ROOT/tests/scenarios/station.ini" "$o/station.ini"
"$HG" --config "$o/station.ini" init --demo >/dev/null 2>&1	# before [sync]: managed refuses it
ini "$o/station.ini" "https://127.0.0.1:$port"
if expect_exit 4 "$HG" --config "$o/station.ini" sync now && grep -q "HTTP 401" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "an event edited in the station's database: refused from that point on (422), exit 4"
cp "$s/haulgate.db" "$d/good.db"
add_events 3
add_events 4
bad=$(($(nev) - 1))
sqlite3 "$s/haulgate.db" "UPDATE events SET actor = 'cli:mallory' WHERE seq = $bad"
if expect_exit 4 "$HG" --config "$s/station.ini" sync now && grep -q "HTTP 422" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "restored from an old backup, then other events: a fork, exit 4, shown by sync status"
cp "$d/good.db" "$s/haulgate.db"
rm -f "$s/haulgate.db-wal" "$s/haulgate.db-shm"
add_events 5
"$HG" --config "$s/station.ini" sync now >/dev/null 2>&1
cp "$d/good.db" "$s/haulgate.db"
rm -f "$s/haulgate.db-wal" "$s/haulgate.db-shm"
add_events 6
forked=$(($(nev) - RV_EVENTS + 1))	# the visit's first event differs (its name)
if expect_exit 4 "$HG" --config "$s/station.ini" sync now && [ "$(field state)" = fork ] &&
   [ "$(field fork_seq)" = "$forked" ] && grep -q "the log was rewritten" <<<"$ERR" &&
   grep -q "keeps both versions from event $forked on" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR fork_seq $(field fork_seq), want $forked"; fi

t_begin "the plant has the alarm too: the station's other version kept as evidence"
if pw --json station list 2>/dev/null |
   python3 -c "import json, sys; s = [x for x in json.load(sys.stdin) if x['id'] == 'test-01']; sys.exit(0 if s and int(s[0]['forks']) >= 1 else 1)" &&
   grep -q "FORK" "$d/serve.err" "$d/serve.out"
then t_ok; else t_fail "" "$OUT $ERR"; fi

stop_server
t_end
