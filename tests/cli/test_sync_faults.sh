#!/usr/bin/env bash
# test_sync_faults.sh: the station's `haulgate sync` through the faulty
# proxy (tests/peers/faultproxy.c) to the real plant, build/asan/haulgate-potw,
# on loopback TLS (docs/SYNC.md, "Testing").
#
# A demo station with 2,500 more events (three batches) is registered at a
# fresh plant.  Each round meets one fault of the proxy: a connection
# dropped unanswered, a batch stored but its answer lost, a 500, bytes that
# are not HTTP, an answer cut short, a stall shorter than the timeout, an
# old state answer replayed, an old batch answer replayed, and the sync
# killed with kill -9 while a batch is held in a stall; then 2,500 more
# events and a 500 on the second batch while the third is already built
# (the pipelined sender): the round fails, the plant holds exactly the
# first, the third never reaches the proxy, the next round sends the
# rest.  Every fault that is the network's is "unreachable" (exit 3, try
# later), a replayed batch answer is refused (exit 4); the round after
# each, without a fault, ends
# with the plant holding everything (exit 0).  At the end the plant holds
# every event exactly once, its chain and tables verify (`haulgate-potw
# verify`), its latest checkpoint is the station's, and the station's own
# log verifies: it lost nothing.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/managed.sh"
POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
FP=${FAULTPROXY:-"$HG_ROOT/build/peers/faultproxy"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
SRV="" FPP=""

stop_all() {
	local p
	for p in $FPP $SRV; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	SRV="" FPP=""
}
trap 'stop_all; t_cleanup' EXIT
trap 'exit 1' HUP INT TERM

for b in "$POTW" "$FP"; do
	[ -x "$b" ] || {
		echo "not ok - no $b: make $b"
		exit 1
	}
done

wait_line() {	# wait_line FILE SED-SCRIPT: the first match, within 10 s
	local v=""
	for _ in $(seq 1 200); do
		v=$(sed -n "$2" "$1" 2>/dev/null)
		[ -n "$v" ] && break
		sleep 0.05
	done
	printf '%s' "$v"
}

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
pw() { "$POTW" --config "$d/potw.ini" "$@"; }
pw init >/dev/null 2>&1
pin=$(pw key 2>/dev/null)
vkey=$(pw key --note-verifier 2>/dev/null)

s="$d/station"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
"$HG" --config "$s/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$s/station.ini" keys --public-pem >"$s/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$s/station.pem" >/dev/null 2>&1
more_events() {	# more_events N: N more events, chained as docs/SCHEMA.md defines it
	python3 - "$s/haulgate.db" "$1" <<'EOF2'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq, prev = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
for i in range(int(sys.argv[2])):
    seq += 1
    detail = '{"n":%d,"text":"caf\u00e9 \\"%d\\""}' % (i, i)
    data = b"%d\n%d\n%s\n%d\n%s\n%s\n" % (seq, 1741608000 + i, b"note", 0, b"cli:test", detail.encode())
    h = hashlib.sha256(prev + data).digest()
    db.execute("INSERT INTO events (seq, ts, type, load_no, actor, detail, prev_hash, hash) "
               "VALUES (?, ?, 'note', 0, 'cli:test', ?, ?, ?)", (seq, 1741608000 + i, detail, prev, h))
    prev = h
db.commit()
EOF2
}
more_events 2500	# three batches

"$POTW" --config "$d/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV=$!
sport=$(wait_line "$d/serve.out" 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p')
mkfifo "$d/ctl"
"$FP" 0 "127.0.0.1:$sport" "$d/tls.crt" "$d/tls.key" --control "$d/ctl" --log "$d/fp.log" \
	>"$d/fp.out" 2>"$d/fp.err" &
FPP=$!
port=$(wait_line "$d/fp.out" 's|^listening 127.0.0.1:\([0-9]*\)$|\1|p')
printf '\n[sync]\nurl = https://127.0.0.1:%s\npin = %s\nplant_key = %s\n' "$port" "$pin" "$vkey" \
	>>"$s/station.ini"

nev() {
	sqlite3 "$s/haulgate.db" "SELECT count(*) FROM events"
}
held() {	# the events the plant holds of test-01
	pw --json station list 2>/dev/null |
		python3 -c "import json, sys; print([x for x in json.load(sys.stdin) if x['id'] == 'test-01'][0]['events'])"
}
faults() {	# the proxy's faults for the next requests (then pass)
	echo "$1" >"$d/ctl"
}
sync_now() {	# sync_now STATUS: one round, its exit status STATUS
	expect_exit "$1" "$HG" --config "$s/station.ini" sync now
}
clean_round() {
	faults clear
	sync_now 0 && grep -q "the plant holds all $(nev) events" <<<"$OUT" && [ "$(held)" = "$(nev)" ]
}

t_begin "the plant and the proxy run"
if [ -n "$sport" ] && [ -n "$port" ] && [ -n "$pin" ] && [ -n "$vkey" ]; then t_ok
else t_fail "" "$(cat "$d/serve.err" "$d/fp.err")"; fi

t_begin "drop (the state request unanswered): unreachable, exit 3, nothing held"
faults drop
if sync_now 3 && grep -q "cannot reach the plant" <<<"$ERR" && [ "$(held)" = 0 ]
then t_ok; else t_fail "" "$ERR held $(held)"; fi

# (curl sends a request again, once, when a kept-alive connection closes
# unanswered: the plant takes the resend once; the second loss ends it)
t_begin "drop-after (the first batch stored, its answer lost): exit 3; the next round goes on from the plant's state"
faults "pass,drop-after*2"
if sync_now 3 && [ "$(held)" = 1000 ] && clean_round &&
   grep -q "($(($(nev) - 1000)) sent now, in 2 batches)" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev)"; fi

# new events at the station: an RV visit (RV_EVENTS of them; managed.sh)
add_events() {
	rv_visit "$s/station.ini" "Visitor $1"
}

for f in 500 garbage cut; do
	t_begin "$f (on the batch): unreachable, exit 3; then a clean round"
	add_events "$f"
	faults "pass,$f"
	if sync_now 3 && clean_round
	then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev)"; fi
done

t_begin "stall:2 (shorter than the 60 s timeout): the round waits and succeeds"
add_events stall
faults "pass,stall:2"
if sync_now 0 && [ "$(held)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "replay of an old state answer: the events the plant has are taken once, exit 0"
add_events replay1
faults replay
if sync_now 0 && [ "$(held)" = "$(nev)" ]
then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev) $(tail -n 3 "$d/fp.log")"; fi

t_begin "replay of an old batch answer: refused (not this batch's checkpoint), exit 4; then a clean round"
add_events replay2
faults "pass,replay"
if sync_now 4 && grep -q "an old answer replayed" <<<"$ERR" && clean_round
then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev)"; fi

t_begin "kill -9 while a batch is held in a stall; the next round: all at the plant"
for i in 1 2 3; do add_events "kill$i"; done
faults "pass,stall:4"
"$HG" --config "$s/station.ini" sync now >/dev/null 2>&1 &
pid=$!
for _ in $(seq 100); do
	grep -q "POST /api/v1/sync/events fault=stall" "$d/fp.log" 2>/dev/null && break
	sleep 0.05
done
{
	kill -9 "$pid"
	wait "$pid"
} 2>/dev/null
sleep 5	# past the stall: whatever the proxy does with the batch is done
if clean_round
then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev) $(tail -n 3 "$d/fp.log")"; fi

# the pipelined sender (docs/SYNC.md): batch K + 1 is built while K is in
# flight; K fails, so K + 1 is dropped unsent and the round ends as K's
# failure: only what the plant acknowledged counts as sent
t_begin "500 on the second batch while the third is built: the round fails, the plant holds the first; the next round sends the rest"
more_events 2500	# three batches again
before=$(held)
posts=$(grep -c "POST /api/v1/sync/events" "$d/fp.log")
posts_after() {	# posts_after N: the batches the proxy logged past the first N (its line may come after the answer)
	local k=0
	for _ in $(seq 40); do
		k=$(($(grep -c "POST /api/v1/sync/events" "$d/fp.log") - $1))
		[ "$k" -ge 2 ] && break
		sleep 0.05
	done
	sleep 0.2	# a third would be logged by now
	echo $(($(grep -c "POST /api/v1/sync/events" "$d/fp.log") - $1))
}
faults "pass,pass,500"
if sync_now 3 &&
   grep -q "failed on the batch from event $((before + 1001)) (HTTP 500" <<<"$ERR" &&
   grep -q "the batch from event $((before + 2001)), built meanwhile, was not sent" <<<"$ERR" &&
   [ "$(held)" = $((before + 1000)) ] &&
   [ "$(posts_after "$posts")" = 2 ] &&
   [ "$(sqlite3 "$s/haulgate.db" "SELECT plant_size FROM sync_state")" = $((before + 1000)) ] &&
   clean_round && grep -q "($(($(nev) - before - 1000)) sent now, in 2 batches)" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR held $(held) of $(nev) (before $before)"; fi

t_begin "the plant holds every event once, verified; its latest checkpoint is the station's; the station lost nothing"
pw checkpoint --station test-01 >"$d/plant.note" 2>/dev/null
printf '%s\n' "$(sqlite3 "$s/haulgate.db" "SELECT note FROM sync_checkpoints ORDER BY size DESC LIMIT 1")" >"$d/kept.note"
if expect_exit 0 "$POTW" --config "$d/potw.ini" verify --station test-01 &&
   [ "$(held)" = "$(nev)" ] && cmp -s "$d/plant.note" "$d/kept.note" &&
   "$HG" --config "$s/station.ini" verify >/dev/null 2>&1 &&
   [ "$(sqlite3 "$d/potw.db" "SELECT count(*) FROM forks" 2>/dev/null || echo 0)" = 0 ]
then t_ok; else t_fail "" "$OUT $ERR $(diff "$d/plant.note" "$d/kept.note")"; fi

stop_all
t_end
