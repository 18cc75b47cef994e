#!/usr/bin/env bash
# test_sync_export.sh: a station's log carried to the plant without the
# network (docs/SYNC.md, "Without the network"): `haulgate sync export`
# writes the batches a round would POST, `haulgate-potw import` takes them
# through the very checks and store of POST /api/v1/sync/events.
#
# A demo station with loads (init --demo, then simulate
# tests/scenarios/hauler_first_load.scn) exports its log; a fresh plant
# imports it: every event there, `verify --station` ok, the checkpoints
# cosigned; the same file again is taken as nothing new; an export in two
# parts (--to, --from) goes in in order and is refused out of order (a
# gap); a line with an edited event is refused with the chain error and
# nothing of it is kept; a file imported for another registered station is
# refused (its checkpoint is not signed by that station's key).  Then
# events of hostile text (quotes, backslashes, escapes, control characters
# escaped in the detail, DEL, U+2028, non-ASCII, an actor with a quote and
# a backslash): the file's texts are the station's byte for byte, and the
# plant's parser reads back the very texts that were hashed (imported,
# verify ok).
# POTW and HG can name other binaries (build/haulgate-potw, the ASan CLI).
. "$(dirname "$0")/lib.sh"
POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

[ -x "$POTW" ] || {
	echo "not ok - no $POTW: make $POTW"
	exit 1
}

d=$(tmpdir)
plant() {	# plant NAME: a fresh plant in $d/NAME with the station test-01
	mkdir -p "$d/$1"
	cat >"$d/$1/potw.ini" <<'EOF2'
[server]
db = potw.db
key = potw.key
[tls]
cert = tls.crt
key = tls.key
EOF2
	"$POTW" --config "$d/$1/potw.ini" init >/dev/null 2>&1 &&
	"$POTW" --config "$d/$1/potw.ini" station add --id test-01 --name "Test station" \
		--key-pem "$s/station.pem" >/dev/null 2>&1
}
pw() {	# pw NAME ARGS: haulgate-potw at plant NAME
	local p=$1
	shift
	"$POTW" --config "$d/$p/potw.ini" "$@"
}
held() {	# held NAME: events the plant NAME holds of test-01
	pw "$1" --json station list 2>/dev/null |
		python3 -c "import json, sys; print([x for x in json.load(sys.stdin) if x['id'] == 'test-01'][0]['events'])"
}

s="$d/station"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
"$HG" --config "$s/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$s/station.ini" simulate --script "$HG_ROOT/tests/scenarios/hauler_first_load.scn" \
	>/dev/null 2>&1
"$HG" --config "$s/station.ini" keys --public-pem >"$s/station.pem"
n=$(sqlite3 "$s/haulgate.db" "SELECT count(*) FROM events")

t_begin "sync export: the whole log, one JSON batch a line, each with a signed checkpoint"
if expect_exit 0 "$HG" --config "$s/station.ini" sync export "$d/log.jsonl" &&
   [ "$n" -gt 10 ] && [ ! -e "$d/log.jsonl.part" ] &&
   python3 - "$d/log.jsonl" "$n" <<'EOF2'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
evs = [e for l in lines for e in json.loads(l)["events"]]
ok = [e["seq"] for e in evs] == list(range(1, int(sys.argv[2]) + 1))
ok = ok and all("\n— " in json.loads(l)["checkpoint"] for l in lines)
sys.exit(0 if ok else 1)
EOF2
then t_ok; else t_fail "" "$OUT $ERR n=$n"; fi

plant p1
t_begin "import at a fresh plant: every event there, verify ok, checkpoint cosigned"
if expect_exit 0 pw p1 import --station test-01 "$d/log.jsonl" &&
   grep -q "$n events new; the plant holds $n" <<<"$OUT" && [ "$(held p1)" = "$n" ] &&
   pw p1 verify --station test-01 >"$d/verify.out" 2>&1 &&
   grep -q "chain ok: $n events" "$d/verify.out" &&
   pw p1 checkpoint --station test-01 2>/dev/null | grep -q "^— haulgate.potw/"
then t_ok; else t_fail "" "$OUT $ERR $(cat "$d/verify.out")"; fi

t_begin "the same file again is taken as nothing new"
if expect_exit 0 pw p1 import --station test-01 "$d/log.jsonl" &&
   grep -q "0 events new; the plant holds $n" <<<"$OUT" && [ "$(held p1)" = "$n" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "export in two parts: the second alone is a gap, both in order are the log"
half=$((n / 2))
plant p2
if expect_exit 0 "$HG" --config "$s/station.ini" sync export --to "$half" "$d/a.jsonl" &&
   expect_exit 0 "$HG" --config "$s/station.ini" sync export --from $((half + 1)) "$d/b.jsonl" &&
   expect_exit 1 pw p2 import --station test-01 "$d/b.jsonl" && grep -q '"gap"' <<<"$ERR" &&
   [ "$(held p2)" = 0 ] &&
   expect_exit 0 pw p2 import --station test-01 "$d/a.jsonl" && [ "$(held p2)" = "$half" ] &&
   expect_exit 0 pw p2 import --station test-01 "$d/b.jsonl" && [ "$(held p2)" = "$n" ] &&
   pw p2 verify --station test-01 >/dev/null 2>&1
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync export refuses a range outside the log"
if expect_exit 1 "$HG" --config "$s/station.ini" sync export --from $((n + 1)) "$d/c.jsonl" &&
   grep -q "the log holds events 1 to $n" <<<"$ERR" && [ ! -e "$d/c.jsonl" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a line with an edited event is refused with the chain error, nothing of it kept"
python3 - "$d/log.jsonl" "$d/tampered.jsonl" <<'EOF2'
import json, sys
out = []
for i, l in enumerate(open(sys.argv[1]).read().splitlines()):
    b = json.loads(l)
    if i == 0:
        b["events"][3]["actor"] = b["events"][3]["actor"] + "x"
    out.append(json.dumps(b, separators=(",", ":"), ensure_ascii=False))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
EOF2
plant p3
if expect_exit 1 pw p3 import --station test-01 "$d/tampered.jsonl" &&
   grep -q '"error":"chain"' <<<"$ERR" && grep -q "line 1: refused (422)" <<<"$ERR" &&
   [ "$(held p3)" = 0 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "a file imported for another station is refused"
s2="$d/station2"
mkdir -p "$s2"
sed 's/^id = test-01/id = test-02/' "$HG_ROOT/tests/scenarios/station.ini" >"$s2/station.ini"
"$HG" --config "$s2/station.ini" init --demo >/dev/null 2>&1
"$HG" --config "$s2/station.ini" keys --public-pem >"$s2/station.pem"
pw p3 station add --id test-02 --name "Other station" --key-pem "$s2/station.pem" >/dev/null 2>&1
if expect_exit 1 pw p3 import --station test-02 "$d/log.jsonl" &&
   grep -q "refused (4" <<<"$ERR" &&
   [ "$(pw p3 --json station list 2>/dev/null | python3 -c "import json, sys; print([x for x in json.load(sys.stdin) if x['id'] == 'test-02'][0]['events'])")" = 0 ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "import of a station the plant does not know is refused"
if expect_exit 1 pw p1 import --station test-09 "$d/log.jsonl" && [ "$(held p1)" = "$n" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "hostile text in details and actors: the file's texts are the station's, the plant takes them"
python3 - "$s/haulgate.db" <<'EOF2'
import hashlib, json, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq, prev = db.execute("SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1").fetchone()
texts = ['q"uote', 'back\\slash\\', 'ctl\x01\x02\x1f tab\t nl\n cr\r bs\b ff\f', 'del\x7f',
         'line\u2028sep', 'caf\u00e9 \u65e5\u672c \U0001f600', '</script>', '"\\"\\\']
for i in range(40):
    seq += 1
    detail = json.dumps({"n": i, "t": texts[i % len(texts)]}, ensure_ascii=(i % 2 == 0))
    actor = 'cli:t"e\\st \u00e9' if i % 3 == 0 else 'cli:test'
    data = b"%d\n%d\n%s\n%d\n%s\n%s\n" % (seq, 1741608000 + i, b"note", 0, actor.encode(), detail.encode())
    h = hashlib.sha256(prev + data).digest()
    db.execute("INSERT INTO events (seq, ts, type, load_no, actor, detail, prev_hash, hash) "
               "VALUES (?, ?, 'note', 0, ?, ?, ?, ?)", (seq, 1741608000 + i, actor, detail, prev, h))
    prev = h
db.commit()
EOF2
n2=$(sqlite3 "$s/haulgate.db" "SELECT count(*) FROM events")
plant p4
if expect_exit 0 "$HG" --config "$s/station.ini" sync export "$d/hostile.jsonl" &&
   python3 - "$d/hostile.jsonl" "$s/haulgate.db" <<'EOF2' &&
import json, sqlite3, sys
db = sqlite3.connect(sys.argv[2])
db.text_factory = bytes
rows = {r[0]: r[1:] for r in db.execute("SELECT seq, actor, detail FROM events")}
evs = [e for l in open(sys.argv[1], "rb").read().splitlines() for e in json.loads(l)["events"]]
ok = len(evs) == len(rows) and all(
    (e["actor"].encode(), e["detail"].encode()) == rows[e["seq"]] for e in evs)
sys.exit(0 if ok else 1)
EOF2
   expect_exit 0 pw p4 import --station test-01 "$d/hostile.jsonl" && [ "$(held p4)" = "$n2" ] &&
   pw p4 verify --station test-01 >/dev/null 2>&1
then t_ok; else t_fail "" "$OUT $ERR n=$n2"; fi

t_end
