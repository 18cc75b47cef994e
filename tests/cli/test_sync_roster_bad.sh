#!/usr/bin/env bash
# test_sync_roster_bad.sh: the station refuses a roster answer whose
# checkpoint is not the plant's log as sent, and keeps its last roster
# (docs/SYNC.md, GET /api/v1/sync/roster; station/sync.c
# roster_checkpoint()), against the real plant server,
# build/asan/haulgate-potw, on loopback TLS.
#
# The plant makes three roster edits and the station applies them.  A copy
# of the plant (the same keys, the same log) then makes a fourth edit of its
# own, the plant another: both sign a checkpoint of 4 edits, with other
# roots.  Each bad answer is planted in the plant's database, where its
# server reads the checkpoint it sends, while the events stay the chain's:
#   - the copy's checkpoint (signed by the plant's key, the right size, the
#     wrong root),
#   - the plant's own checkpoint of 3 edits (well signed, the wrong size),
#   - the plant's checkpoint with its root changed (the signature broken).
# Each time `sync now` exits 4 with the reason, applies nothing (no event, no
# row, the roster version kept) and `sync status` says why; a card of the
# last roster still opens a session, and the station's own events still
# reach the plant.  With the plant's checkpoint back, the edit is applied
# and the station verifies.
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

for c in python3 sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done

d=$(tmpdir)
p="$d/plant"
plant_make "$p"
pw hauler add --company "Acme Pumping" --contact "Ann Lee" --address "1 Main St" \
	--phone 555-0100 --permit P-1 --from 2026-01-01 --to 2030-12-31 \
	--waste septage,grease >/dev/null 2>&1
printf '4821\n' | pw card add --uid 04:A1:B2:C3 --hauler 1 --driver "Bo Diaz" >/dev/null 2>&1
pw truck add --hauler 1 --ident "KS 123" --capacity 3000 >/dev/null 2>&1

s="$d/station"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
st() { "$HG" --config "$s/station.ini" "$@"; }
st init >/dev/null 2>&1
st keys --public-pem >"$s/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$s/station.pem" >/dev/null 2>&1

# the copy: the same keys and log, nothing served
c="$d/copy"
cp -a "$p" "$c"

plant_serve
station_join "$s/station.ini"
sq() { sqlite3 "$s/haulgate.db" "$1"; }
pq() { sqlite3 "$p/var/potw.db" "$1"; }
save_note() {	# save_note DB SIZE FILE: the plant log's checkpoint of SIZE edits
	# in DB, byte for byte (its last newline too, which $(...) would drop)
	python3 - "$1" "$2" "$3" <<'EOF2'
import sqlite3, sys
note, = sqlite3.connect(sys.argv[1]).execute(
    "SELECT note FROM checkpoints WHERE station = 'haulgate.potw' AND size = ?",
    (int(sys.argv[2]),)).fetchone()
open(sys.argv[3], "w").write(note)
EOF2
}
plant_note() {	# plant_note FILE [flip]: the plant's checkpoint of 4 edits is now
	# FILE's note, a bit of its root flipped when asked
	python3 - "$p/var/potw.db" "$1" "${2:-}" <<'EOF2'
import base64, sqlite3, sys
note = open(sys.argv[2]).read()
if sys.argv[3] == "flip":
    lines = note.split("\n")
    root = bytearray(base64.b64decode(lines[2]))
    root[0] ^= 1
    lines[2] = base64.b64encode(bytes(root)).decode()
    note = "\n".join(lines)
db = sqlite3.connect(sys.argv[1])
db.execute("UPDATE checkpoints SET note = ? WHERE station = 'haulgate.potw' AND size = 4",
           (note,))
db.commit()
EOF2
}

t_begin "the plant serves; the station applies its three edits"
if [ -n "$PORT" ] && [ -n "$PIN" ] && [ -n "$VKEY" ] && expect_exit 0 st sync now &&
   grep -q "3 edits applied (version 3)" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR $(cat "$p/serve.err")"; fi

# a fourth edit at the plant and another at its copy: two checkpoints of
# 4 edits signed by the same key
pw truck add --hauler 1 --ident "KS 456" --capacity 2500 >/dev/null 2>&1
"$POTW" --config "$c/potw.ini" truck add --hauler 1 --ident "KS 999" --capacity 2500 >/dev/null 2>&1
save_note "$p/var/potw.db" 4 "$d/good.note"
save_note "$c/var/potw.db" 4 "$d/forged.note"
save_note "$p/var/potw.db" 3 "$d/small.note"
good=$(cat "$d/good.note")
forged=$(cat "$d/forged.note")
small=$(cat "$d/small.note")
t_begin "the plant and its copy each signed a checkpoint of 4 edits, with other roots"
if [ -n "$good" ] && [ -n "$forged" ] && [ -n "$small" ] && [ "$good" != "$forged" ] &&
   [ "$(sed -n 2p <<<"$good")" = 4 ] && [ "$(sed -n 2p <<<"$forged")" = 4 ] &&
   [ "$(sed -n 3p <<<"$good")" != "$(sed -n 3p <<<"$forged")" ]
then t_ok; else t_fail "" "plant: $good copy: $forged"; fi

EV=$(sq "SELECT count(*) FROM events")
refused() {	# refused WHY: sync now exits 4 with WHY; nothing of the roster applied
	expect_exit 4 st sync now && grep -q "$1" <<<"$ERR" &&
		[ "$(sq "SELECT roster_version FROM sync_state")" = 3 ] &&
		[ "$(sq "SELECT count(*) FROM trucks")" = 1 ] &&
		[ "$(sq "SELECT count(*) FROM events WHERE actor LIKE 'plant:%'")" = 3 ] &&
		[ "$(sq "SELECT count(*) FROM events")" = "$EV" ]
}
wrong="is not that of its log of 4 events as sent (origin, size or root)"

t_begin "the right size, the wrong root (the copy's, signed by the plant's key): refused, nothing applied"
plant_note "$d/forged.note"
if refused "$wrong"; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "sync status says why"
if st sync status >"$d/status" 2>&1 && grep -q "origin, size or root" "$d/status"
then t_ok; else t_fail "" "$(cat "$d/status")"; fi

t_begin "the wrong size (the plant's own checkpoint of 3 edits): refused, nothing applied"
plant_note "$d/small.note"
if refused "$wrong"; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the root changed (the plant's signature broken): refused, nothing applied"
plant_note "$d/good.note" flip
if refused "the plant's roster checkpoint does not verify"; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the station works on its last roster: the plant's card and PIN open a session"
cat >"$d/pin.scn" <<'EOF2'
clock 2026-11-23T08:00:00
card 04a1b2c3
expect screen pin
type 4821
press ok
expect screen truck
press cancel
expect screen start
EOF2
if expect_exit 0 st simulate --script "$d/pin.scn"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "meanwhile the station's own events (that session's) still reach the plant"
if expect_exit 4 st sync now && grep -q "does not verify" <<<"$ERR" &&
   [ "$(sq "SELECT count(*) FROM events")" -gt "$EV" ] &&
   [ "$(sq "SELECT plant_size FROM sync_state")" = "$(sq "SELECT count(*) FROM events")" ] &&
   [ "$(pq "SELECT count(*) FROM events WHERE station = 'test-01'")" = \
     "$(sq "SELECT count(*) FROM events")" ] &&
   [ "$(sq "SELECT roster_version FROM sync_state")" = 3 ]
then t_ok; else t_fail "" "$OUT $ERR plant_size $(sq "SELECT plant_size FROM sync_state")"; fi

t_begin "the plant's checkpoint back: the edit applied, the station verifies"
plant_note "$d/good.note"
if expect_exit 0 st sync now && grep -q "1 edit applied (version 4)" <<<"$OUT" &&
   [ "$(sq "SELECT ident FROM trucks WHERE id = 2")" = "KS 456" ] &&
   expect_exit 0 st verify && [ "$(st --json sync status 2>/dev/null |
	python3 -c "import json, sys; print(json.load(sys.stdin)[0]['state'])")" = ok ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

plant_stop
t_end
