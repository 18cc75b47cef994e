#!/usr/bin/env bash
# test_sync_client.sh: `haulgate sync now|status|run` (station/sync.c)
# against a real TLS peer on loopback, with real libcurl: no mock.
#
# The peer is tests/peers/plant_stub.py, a stand-in for the plant's sync
# endpoints (docs/SYNC.md) until build/haulgate-potw has them: python3's
# http.server over ssl with a self-signed EC certificate, cosigning the
# station's checkpoints with an Ed25519 key through openssl, and checking
# every request's RFC 9421 signature and RFC 9530 digest with openssl and
# the station's public key.  Checked here: a first round sends the whole
# log, byte for byte, and keeps the plant's cosigned checkpoint; every
# request was signed; a station key the plant does not know is refused
# (401, exit 4); a second round sends only what is new; a round killed
# with kill -9 after its first batch of 4,000 events and run again leaves
# every event at the plant exactly once; a wrong pin is refused
# before anything is sent (exit 4); a port with nobody listening is
# "unreachable" (exit 3), as is a 500; a 409 fork (exit 4) is shown by
# `sync status` and nothing more is sent; a 422 and a bad cosignature are
# refusals (exit 4); a plant holding more than the station is a fork;
# `sync run` ends on SIGTERM with exit 0; a station without [sync] url is
# "not plant-managed".
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/managed.sh"
PEER=$HG_ROOT/tests/peers/plant_stub.py
PEER_PID=""

stop_peer() {
	if [ -n "$PEER_PID" ]; then
		kill "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
		PEER_PID=""
	fi
}
trap 'stop_peer; t_cleanup' EXIT
trap 'exit 1' HUP INT TERM

d=$(tmpdir)
p="$d/plant"
mkdir -p "$p"
# the plant's TLS key and certificate, its pin, and its note key
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
	-days 2 -keyout "$p/tls.key" -out "$p/tls.crt" >/dev/null 2>&1
pin="sha256//$(openssl x509 -in "$p/tls.crt" -pubkey -noout |
	openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64)"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=other \
	-days 2 -keyout "$p/other.key" -out "$p/other.crt" >/dev/null 2>&1
wrong_pin="sha256//$(openssl x509 -in "$p/other.crt" -pubkey -noout |
	openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | base64)"
openssl genpkey -algorithm ed25519 -out "$p/note.key" 2>/dev/null

# the station, made first: the stand-in checks its signatures with its key
cp "$HG_ROOT/tests/scenarios/station.ini" "$d/station.ini"
"$HG" --config "$d/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$d/station.ini" keys --public-pem >"$p/station.pem"
/usr/bin/python3 "$PEER" --dir "$p" --cert "$p/tls.crt" --key "$p/tls.key" \
	--note-key "$p/note.key" --name haulgate.potw/test-plant --station-pem "$p/station.pem" \
	2>"$p/peer.err" &
PEER_PID=$!
for _ in $(seq 100); do
	[ -s "$p/port" ] && break
	sleep 0.05
done
port=$(cat "$p/port" 2>/dev/null)
vkey=$(cat "$p/plant.vkey" 2>/dev/null)

# a station with [sync] pointing at the peer; and with other pins and ports
ini() {	# ini FILE URL PIN
	cp "$HG_ROOT/tests/scenarios/station.ini" "$1"
	printf '\n[sync]\nurl = %s\npin = %s\nplant_key = %s\ninterval = 5s\n' "$2" "$3" "$vkey" >>"$1"
}
ini "$d/station.ini" "https://127.0.0.1:$port/" "$pin"
# another station (its own database and key) that the stand-in does not know
# (made, with the demo roster, before its [sync] is written: a plant-managed
# station refuses init --demo)
mkdir -p "$d/other"
cp "$HG_ROOT/tests/scenarios/station.ini" "$d/other/station.ini"
"$HG" --config "$d/other/station.ini" init --demo >/dev/null 2>&1
ini "$d/other/station.ini" "https://127.0.0.1:$port" "$pin"
ini "$d/wrongpin.ini" "https://127.0.0.1:$port" "$wrong_pin"
# a port nobody listens on: one the system gave and took back
free_port=$(/usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
ini "$d/nobody.ini" "https://127.0.0.1:$free_port" "$pin"

nev() {
	sqlite3 "$d/haulgate.db" "SELECT count(*) FROM events"
}
plant_nev() {
	if [ -f "$p/events.jsonl" ]; then wc -l <"$p/events.jsonl"; else echo 0; fi
}
posts() {
	# grep -c prints 0 itself when nothing matches (and exits 1)
	local n
	n=$(grep -c '^POST' "$p/requests.log" 2>/dev/null) || true
	echo "${n:-0}"
}
mode() {
	echo "$1" >"$p/mode"
}
status_json() {
	"$HG" --config "$d/station.ini" --json sync status 2>/dev/null
}
field() {	# field NAME: from sync status --json
	status_json | /usr/bin/python3 -c "import json, sys; print(json.load(sys.stdin)[0]['$1'])"
}
# new events at the station: an RV visit (RV_EVENTS of them; managed.sh)
add_events() {
	rv_visit "$d/station.ini" "Visitor $1"
}

t_begin "the peer runs on loopback TLS"
if [ -n "$port" ] && [ -n "$vkey" ]; then t_ok; else t_fail "" "$(cat "$p/peer.err")"; fi

t_begin "keys --note-verifier: the station's key under its origin, as computed from its PEM"
want=$(/usr/bin/python3 - "$p/station.pem" <<'EOF2'
import base64, hashlib, subprocess, sys
der = subprocess.run(["openssl", "pkey", "-pubin", "-in", sys.argv[1], "-outform", "DER"],
                     check=True, capture_output=True).stdout
pk, name = der[-32:], b"haulgate.station/test-01"
kid = hashlib.sha256(name + b"\n\x01" + pk).digest()[:4]
print("%s+%s+%s" % (name.decode(), kid.hex(), base64.b64encode(b"\x01" + pk).decode()))
EOF2
)
if expect_exit 0 "$HG" --config "$d/station.ini" keys --note-verifier && [ "$OUT" = "$want" ] &&
   expect_exit 2 "$HG" --config "$d/station.ini" keys --note-verifier --public-pem
then t_ok; else t_fail "" "got '$OUT', want '$want' $ERR"; fi

t_begin "sync status before any round: never, every event not at the plant"
if expect_exit 0 "$HG" --config "$d/station.ini" sync status &&
   grep -q "never" <<<"$OUT" && [ "$(field not_at_plant)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync now: the whole log reaches the plant, its cosigned checkpoint is kept"
if expect_exit 0 "$HG" --config "$d/station.ini" sync now &&
   grep -q "the plant holds all $(nev) events" <<<"$OUT" && [ "$(plant_nev)" = "$(nev)" ] &&
   [ "$(field state)" = ok ] && [ "$(field not_at_plant)" = 0 ] &&
   [ "$(field checkpoint_size)" = "$(nev)" ] &&
   [ "$(sqlite3 "$d/haulgate.db" "SELECT count(*) FROM sync_checkpoints WHERE note LIKE '%haulgate.potw/test-plant%'")" = 1 ]
then t_ok; else t_fail "" "$OUT $ERR plant $(plant_nev) station $(nev)"; fi

t_begin "the plant got the events as stored: every hash and detail byte for byte"
if /usr/bin/python3 - "$d/haulgate.db" "$p/events.jsonl" <<'EOF'
import base64, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
rows = db.execute("SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash FROM events ORDER BY seq").fetchall()
got = [json.loads(l) for l in open(sys.argv[2])]
assert len(rows) == len(got), (len(rows), len(got))
for r, g in zip(rows, got):
    assert (g["seq"], g["ts"], g["type"], g["load_no"], g["actor"], g["detail"]) == r[:6], (r, g)
    assert base64.b64decode(g["prev_hash"]) == r[6] and base64.b64decode(g["hash"]) == r[7]
EOF
then t_ok; else t_fail "" "the events differ"; fi

t_begin "every request was signed (RFC 9421) and digested (RFC 9530), as openssl checks them"
if [ ! -s "$p/refused.log" ] && [ "$(grep -c . "$p/requests.log")" -ge 2 ]
then t_ok; else t_fail "" "$(cat "$p/refused.log" 2>/dev/null)"; fi

t_begin "a station key the plant does not know: refused (401), exit 4, nothing taken"
n0=$(plant_nev)
if expect_exit 4 "$HG" --config "$d/other/station.ini" sync now &&
   grep -q "HTTP 401 signature: bad signature" <<<"$ERR" && [ "$(plant_nev)" = "$n0" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi
rm -f "$p/refused.log"

t_begin "a second round sends only the new events"
n0=$(plant_nev)
add_events 1
add_events 2
if expect_exit 0 "$HG" --config "$d/station.ini" sync now &&
   grep -q "$((2 * RV_EVENTS)) sent now, in 1 batch)" <<<"$OUT" &&
   [ "$(plant_nev)" = $((n0 + 2 * RV_EVENTS)) ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "nothing new: a round sends nothing and succeeds"
p0=$(posts)
if expect_exit 0 "$HG" --config "$d/station.ini" sync now && [ "$(posts)" = "$p0" ] &&
   grep -q "0 sent now" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a wrong pin: refused before anything is sent, exit 4"
add_events 3
r0=$(wc -l <"$p/requests.log")
if expect_exit 4 "$HG" --config "$d/wrongpin.ini" sync now &&
   grep -q "does not match \[sync\] pin" <<<"$ERR" && [ "$(wc -l <"$p/requests.log")" = "$r0" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "nobody listening: unreachable, exit 3, said in sync status"
if expect_exit 3 "$HG" --config "$d/nobody.ini" sync now &&
   grep -q "cannot reach the plant at https://127.0.0.1:$free_port" <<<"$ERR" &&
   "$HG" --config "$d/nobody.ini" --csv sync status 2>/dev/null | grep -q "cannot reach the plant"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync run while nobody listens: the wait doubles (interval 5 s, next round in 10 s)"
"$HG" --config "$d/nobody.ini" sync run >/dev/null 2>"$d/backoff.err" &
run_pid=$!
for _ in $(seq 100); do
	grep -q " sync: " "$d/backoff.err" && break
	sleep 0.05
done
kill -TERM "$run_pid"
wait "$run_pid"
rc=$?
if [ "$rc" = 0 ] && grep -q " sync: unreachable: cannot reach the plant.*; next round in 10 s$" "$d/backoff.err"
then t_ok; else t_fail "" "rc $rc $(cat "$d/backoff.err")"; fi

t_begin "a 500: unreachable (try later), exit 3, with the plant's words"
mode fail500
if expect_exit 3 "$HG" --config "$d/station.ini" sync now &&
   grep -q "HTTP 500 internal: the disk is full" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a 422: refused, exit 4, with the plant's words"
mode refuse422
if expect_exit 4 "$HG" --config "$d/station.ini" sync now &&
   grep -q "HTTP 422 chain: event" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a cosignature that does not verify: refused, exit 4, nothing kept"
mode badcosign
c0=$(sqlite3 "$d/haulgate.db" "SELECT count(*) FROM sync_checkpoints")
if expect_exit 4 "$HG" --config "$d/station.ini" sync now &&
   grep -q "cosigned checkpoint does not verify" <<<"$ERR" &&
   [ "$(sqlite3 "$d/haulgate.db" "SELECT count(*) FROM sync_checkpoints")" = "$c0" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the answer lost: the next round finds the batch at the plant and keeps the state's checkpoint"
mode ok
p0=$(posts)
if expect_exit 0 "$HG" --config "$d/station.ini" sync now && [ "$(posts)" = "$p0" ] &&
   [ "$(field checkpoint_size)" = "$(plant_nev)" ] && [ "$(plant_nev)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR $(status_json)"; fi

t_begin "a 409 fork: exit 4, sync status shows the fork, nothing more sent"
mode fork
add_events 4
if expect_exit 4 "$HG" --config "$d/station.ini" sync now && grep -q "a fork at event" <<<"$ERR" &&
   [ "$(field state)" = fork ] && [ "$(field fork_seq)" = "$(($(plant_nev) + 1))" ] &&
   [ -n "$(field fork_at)" ]
then t_ok; else t_fail "" "$OUT $ERR $(status_json)"; fi

t_begin "the plant's state says fork: exit 4, no batch sent"
mode state-fork
p0=$(posts)
if expect_exit 4 "$HG" --config "$d/station.ini" sync now && grep -q "reports a fork at event 2" <<<"$ERR" &&
   [ "$(posts)" = "$p0" ] && [ "$(field fork_seq)" = 2 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the plant well again: the fork is cleared and the rest sent"
mode ok
if expect_exit 0 "$HG" --config "$d/station.ini" sync now && [ "$(plant_nev)" = "$(nev)" ] &&
   [ "$(field state)" = ok ] && [ "$(field fork_seq)" = "" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a station whose log is shorter than the plant's (an old backup): a fork, exit 4"
cp "$d/haulgate.db" "$d/backup.db"
add_events 5
"$HG" --config "$d/station.ini" sync now >/dev/null 2>&1
cp "$d/backup.db" "$d/haulgate.db"
rm -f "$d/haulgate.db-wal" "$d/haulgate.db-shm"
if expect_exit 4 "$HG" --config "$d/station.ini" sync now &&
   grep -q "the plant holds $(plant_nev) events of this station's log, the station only $(nev)" <<<"$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "killed mid-round (kill -9 after its first batch), then again: every event at the plant exactly once"
# a fresh plant and a station with 4,000 more events (appended with their
# chain hashes as docs/SCHEMA.md defines them): four batches
mode ok
rm -f "$p/events.jsonl" "$p/last.note" "$p/requests.log"
stop_peer
rm -f "$p/port"
/usr/bin/python3 "$PEER" --dir "$p" --cert "$p/tls.crt" --key "$p/tls.key" \
	--note-key "$p/note.key" --name haulgate.potw/test-plant --station-pem "$p/station.pem" \
	2>>"$p/peer.err" &
PEER_PID=$!
for _ in $(seq 100); do
	[ -s "$p/port" ] && break
	sleep 0.05
done
port=$(cat "$p/port")
sed -i "s|^url = .*|url = https://127.0.0.1:$port|" "$d/station.ini"
k="$d/kill"
mkdir -p "$k"
ini "$k/station.ini" "https://127.0.0.1:$port" "$pin"
cp "$d/station.key" "$d/station.key.pub" "$d/pin.key" "$k/" 2>/dev/null
cp "$d/backup.db" "$k/haulgate.db"
/usr/bin/python3 - "$k/haulgate.db" <<'EOF2'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq, prev = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
for i in range(4000):
    seq += 1
    detail = '{"n":%d,"pad":"%s"}' % (i, "x" * 200)
    data = b"%d\n%d\n%s\n%d\n%s\n%s\n" % (seq, 1741608000 + i, b"note", 0, b"cli:test", detail.encode())
    h = hashlib.sha256(prev + data).digest()
    db.execute("INSERT INTO events (seq, ts, type, load_no, actor, detail, prev_hash, hash) "
               "VALUES (?, ?, 'note', 0, 'cli:test', ?, ?, ?)", (seq, 1741608000 + i, detail, prev, h))
    prev = h
db.commit()
EOF2
kn=$(sqlite3 "$k/haulgate.db" "SELECT count(*) FROM events")
"$HG" --config "$k/station.ini" sync now >/dev/null 2>"$k/err" &
sync_pid=$!
for _ in $(seq 400); do
	[ "$(posts)" -ge 1 ] && [ -s "$p/events.jsonl" ] && break
	sleep 0.01
done
{
	kill -9 "$sync_pid"
	wait "$sync_pid"
} 2>/dev/null
mid=$(plant_nev)
if expect_exit 0 "$HG" --config "$k/station.ini" sync now && [ "$(plant_nev)" = "$kn" ] &&
   [ "$(cut -d, -f1 "$p/events.jsonl" | sort -u | wc -l)" = "$kn" ] &&
   "$HG" --config "$k/station.ini" verify >/dev/null 2>&1 && [ "$mid" -lt "$kn" ]
then t_ok; else t_fail "" "$OUT $ERR: $mid at the plant after the kill, $(plant_nev) of $kn at the end"; fi

t_begin "sync run: rounds until SIGTERM, then exit 0"
"$HG" --config "$d/station.ini" sync run >"$d/run.out" 2>"$d/run.err" &
run_pid=$!
for _ in $(seq 100); do
	grep -q " sync: " "$d/run.err" && break
	sleep 0.05
done
kill -TERM "$run_pid"
wait "$run_pid"
rc=$?
if [ "$rc" = 0 ] && grep -q " sync: fork: " "$d/run.err" && grep -q "sync: stopped" "$d/run.err"
then t_ok; else t_fail "" "rc $rc $(cat "$d/run.err")"; fi

t_begin "a station without [sync] url: not plant-managed"
cp "$HG_ROOT/tests/scenarios/station.ini" "$d/plain.ini"
sed -i "s|^db = .*|db = haulgate.db|" "$d/plain.ini"
if expect_exit 1 "$HG" --config "$d/plain.ini" sync now && grep -q "not managed by a plant" <<<"$ERR" &&
   "$HG" --config "$d/plain.ini" sync status 2>/dev/null | grep -q "not plant-managed"
then t_ok; else t_fail "" "$OUT $ERR"; fi

stop_peer
t_end
