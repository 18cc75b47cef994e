#!/usr/bin/env bash
# test_sync_offline.sh: a station cut off from the plant for 30 days of
# traffic (6,000 loads), then back (docs/SYNC.md, "Offline"; issue 11,
# "Faults it must survive").  The real plant server, build/haulgate-potw, on
# loopback TLS; the real station, its loads made by `haulgate simulate`
# (card, PIN, the whole form, the decision, the sample, the discharge:
# the kiosk's session code) on the scenario's clock.
#
# Time: both programs run under libfaketime (`faketime`, the wall clock
# moved to a fixed June 2027, the monotonic clock left alone), so that
# `sync now` and `sync status` see the days pass as the station would;
# the scenarios set the loads' times with `clock`.
#
# The station syncs once (its last success, S), then the plant is gone (its
# server stopped: connection refused).  6,000 loads follow, one every 7 min
# 25 s for 30.9 days, each the outcome the rules give (`expect decision`):
# septage and portable toilet waste accepted, a hauler's first load and
# grease and industrial waste held for a sample (an operator takes it), an
# RCRA "yes" refused.  Along the way `sync now` cannot reach the plant
# (exit 3) and `sync status` says `behind` just before S + 7 days, `warn`
# just after and until S + 30 days, `offline` past it, when grease and
# industrial loads are refused `offline_waste` and septage is still
# accepted.  Then the plant is back: `sync now` sends all of it; the plant
# holds every event of the station exactly once (the same seq and hash, one
# each), `haulgate-potw verify` passes and its latest checkpoint is the one
# the station kept; the station lost nothing (its log is what it was, and
# verifies); `sync status` is ok and a grease load is taken again.
#
# Speed: the demo cards' PIN hashes are made again at libsodium's least
# Argon2id limits (tests/peers/pin_rehash: core/pin.c's own hash, which the
# station checks at the limits written in it); the rest is the real cost.
# The databases live on /dev/shm when there is one.
. "$(dirname "$0")/lib.sh"
POTW=${POTW:-"$HG_ROOT/build/haulgate-potw"}	# plant.sh: the ASan one by default
REHASH=${PIN_REHASH:-"$HG_ROOT/build/peers/pin_rehash"}
# libfaketime is preloaded: an ASan build (HG=build/asan/haulgate) must not
# insist on coming first
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}:verify_asan_link_order=0
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export FAKETIME_DONT_FAKE_MONOTONIC=1
SHM=""
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
trap 'plant_stop; [ -n "$SHM" ] && rm -rf -- "$SHM"; t_cleanup' EXIT

for c in faketime python3 sqlite3; do
	command -v "$c" >/dev/null 2>&1 || {
		echo "not ok - $c is missing: run scripts/deps.sh test"
		exit 1
	}
done
[ -x "$REHASH" ] || {
	echo "not ok - no $REHASH: make $REHASH"
	exit 1
}

if [ -d /dev/shm ] && [ -w /dev/shm ] && SHM=$(mktemp -d /dev/shm/hgoffline.XXXXXX); then
	d=$SHM
else
	SHM=""
	d=$(tmpdir)
fi

T0=$(date -u -d 2027-06-01T00:00:00Z +%s)	# the first sync, near enough
FIRST=$((T0 + 3950))	# the first load; then one every STEP seconds
STEP=445
N=6000
DAY=86400

# libfaketime preloaded by hand, not through faketime(1), which would fork:
# the server's pid is then the one $! gives
LIBFT=""
for f in /usr/lib/*/faketime/libfaketimeMT.so.1 /usr/lib/faketime/libfaketimeMT.so.1; do
	[ -f "$f" ] && LIBFT=$f && break
done
[ -n "$LIBFT" ] || {
	echo "not ok - no libfaketimeMT.so.1: run scripts/deps.sh test"
	exit 1
}
offset() {	# offset EPOCH: libfaketime's FAKETIME for a clock now at EPOCH
	local off=$(($1 - $(date +%s)))
	[ "$off" -ge 0 ] && off="+$off"
	echo "$off"
}
at() {	# at EPOCH CMD...: CMD with its wall clock starting at EPOCH
	local off
	off=$(offset "$1")
	shift
	LD_PRELOAD=$LIBFT FAKETIME=$off "$@"
}
load_t() {	# load_t I: when load I is made
	echo $((FIRST + $1 * STEP))
}

plant_make "$d/plant"

# the station: open every day, all day; no daily limit, no random or
# every-Nth sample (a load's outcome follows from its hauler and waste)
s="$d/station"
mkdir -p "$s"
chmod 700 "$d" "$s"
sed 's/^random_rate = 0$/&\nevery_n_loads = 0/' "$HG_ROOT/tests/scenarios/station.ini" >"$s/station.ini"
cat >>"$s/station.ini" <<'EOF2'

[hours]
mon = 00:00-24:00
tue = 00:00-24:00
wed = 00:00-24:00
thu = 00:00-24:00
fri = 00:00-24:00
sat = 00:00-24:00
sun = 00:00-24:00

[policy]
daily_limit_gallons = 0
EOF2
st() { "$HG" --config "$s/station.ini" "$@"; }
sq() { sqlite3 "$s/haulgate.db" "$1"; }
at $((T0 - 7200)) "$HG" --config "$s/station.ini" init --demo >/dev/null 2>&1
st keys --public-pem >"$s/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$s/station.pem" >/dev/null 2>&1
rehash_ok=1
for card in 04a1b2c3:1234 04b2c3d4e5f601:2468 04c3d4e5f60718293a4b:135790; do
	h=$("$REHASH" "$s/pin.key" "${card#*:}") || rehash_ok=0
	sq "UPDATE cards SET pin_hash = '$h' WHERE uid = '${card%%:*}'"
done
h=$("$REHASH" "$s/pin.key" 987654) || rehash_ok=0
sq "UPDATE operators SET pin_hash = '$h' WHERE uid = '0a0b0c01'"

serve() {	# serve EPOCH: the plant's server, its clock from EPOCH
	SRV_T=$1 SRV_REAL=$(date +%s)
	LD_PRELOAD=$LIBFT FAKETIME=$(offset "$1") plant_serve
}
serve "$T0"
station_join "$s/station.ini"

nev() {
	sq "SELECT count(*) FROM events"
}
field() {	# field EPOCH NAME: from sync status --json, at EPOCH
	at "$1" "$HG" --config "$s/station.ini" --json sync status 2>/dev/null |
		python3 -c "import json, sys; print(json.load(sys.stdin)[0]['$2'])"
}

# loads FROM TO LAST: the scenario of loads FROM to TO-1, their outcomes
# from the station's rules with its last success at LAST
loads() {
	python3 - "$1" "$2" "$FIRST" "$STEP" "$3" <<'EOF2'
import sys, time
start, end, first, step, last = (int(a) for a in sys.argv[1:])
OFFLINE = 30 * 86400                    # [sync] offline_after
ACME = ("04a1b2c3", "1234", "Dana Ruiz")           # septage, portable
BAYOU = ("04b2c3d4e5f601", "2468", "Ana Torres")   # grease, septage
CASCADE = ("04c3d4e5f60718293a4b", "135790", "Kim Nguyen")  # industrial
CYCLE = [  # hauler, truck, waste, gallons, RCRA
    (ACME, 1, "septage", 1500, "no"), (BAYOU, 1, "septage", 2000, "no"),
    (ACME, 2, "portable", 800, "no"), (BAYOU, 1, "grease", 2000, "no"),
    (ACME, 1, "septage", 2500, "no"), (CASCADE, 1, "industrial", 4000, "no"),
    (ACME, 1, "septage", 1200, "yes"), (BAYOU, 1, "septage", 1800, "no"),
    (ACME, 2, "portable", 1000, "no"), (BAYOU, 1, "grease", 2200, "no")]
FIRST_LOADS = (0, 1, 5)                 # each hauler's first: a new source
out = []
for i in range(start, end):
    t = first + i * step
    (card, pin, signer), truck, waste, gallons, rcra = CYCLE[i % len(CYCLE)]
    out += ["clock " + time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t)),
            "card " + card, "type " + pin, "press ok", "press truck_%d" % truck,
            "press waste_" + waste]
    if i in FIRST_LOADS:
        out += ["press new_source", 'field source_name "Source %d"' % i,
                'field source_address "12 Oak St, Springfield"',
                "press save", "press industry_1", "press town_1"]
    else:
        out.append("press known_1")
    out += ["press next", "type %d" % gallons, "press next",
            'field characteristics "Load %d"' % i, "press next", "press rcra_" + rcra,
            "press next", 'field signer "%s"' % signer, "press certify"]
    if rcra == "yes":
        verdict = "refused rcra_hazardous"
    elif t - last > OFFLINE and waste not in ("septage", "portable"):
        verdict = "refused offline_waste"
    elif i in FIRST_LOADS:
        verdict = "sample-hold sample_first_load"
    elif waste in ("grease", "industrial"):
        verdict = "sample-hold sample_waste_type"
    else:
        verdict = "accepted"
    out.append("expect decision " + verdict)
    if verdict.startswith("refused"):
        out += ["expect screen refused", "press ok"]
    else:
        if verdict.startswith("sample"):
            out += ["card 0a0b0c01", "type 987654", "press ok", "type B-%d" % i, "press ok"]
        out += ["expect screen discharge_ready", "press start", "press stop", "press ok"]
    out.append("expect screen start")
print("\n".join(out))
EOF2
}
run_loads() {	# run_loads FROM TO: made at the station, on the scenario's clock
	# (its 30 MB of actions to a file, not into $OUT)
	loads "$1" "$2" "$S" >"$d/loads.scn" || return 1
	at $(($(load_t "$1") - 60)) "$HG" --config "$s/station.ini" simulate \
		--script "$d/loads.scn" >"$d/actions.jsonl" 2>"$d/simulate.err" </dev/null
	RC=$?
	ERR="$(cat "$d/simulate.err") $(tail -n 3 "$d/actions.jsonl")"
	rm -f "$d/actions.jsonl"
	[ "$RC" = 0 ]
}
plant_now() {	# the running plant's clock
	echo $((SRV_T + $(date +%s) - SRV_REAL))
}
sync_at() {	# sync_at EPOCH STATUS: one round at EPOCH, its exit status STATUS
	expect_exit "$2" at "$1" "$HG" --config "$s/station.ini" sync now
}

t_begin "the plant serves; the cards' PINs hashed again at the least limits"
if [ -n "$PORT" ] && [ -n "$PIN" ] && [ -n "$VKEY" ] && [ "$rehash_ok" = 1 ] &&
   [ "$(sq "SELECT count(*) FROM cards WHERE pin_hash LIKE '%m=8,t=1,%'")" = 3 ]
then t_ok; else t_fail "" "$(cat "$PLANT/serve.out" "$PLANT/serve.err")"; fi

t_begin "the first sync: the plant holds the whole log; sync status ok"
if sync_at "$(plant_now)" 0 && grep -q "the plant holds all $(nev) events" <<<"$OUT" &&
   [ "$(field "$(plant_now)" state)" = ok ]
then t_ok; else t_fail "" "$OUT $ERR $(tail -n 5 "$PLANT/serve.err")"; fi
S=$(sq "SELECT last_success FROM sync_state")
W=$((S + 7 * DAY))	# [sync] warn_after
O=$((S + 30 * DAY))	# [sync] offline_after
EV0=$(nev)
plant_stop	# the plant is gone: its port refuses connections

# the loads around each limit: the last before it and the first after
before_w=$(((W - FIRST) / STEP))
before_o=$(((O - FIRST) / STEP))
t_begin "the loads fall clear of both limits (a minute each side)"
if [ -n "$S" ] && [ $(($(load_t "$before_w") + 60)) -lt "$W" ] &&
   [ $(($(load_t $((before_w + 1))) - 60)) -gt "$W" ] &&
   [ $(($(load_t "$before_o") + 60)) -lt "$O" ] &&
   [ $(($(load_t $((before_o + 1))) - 60)) -gt "$O" ] &&
   [ "$(load_t $((N - 1)))" -gt $((O + DAY - DAY / 10)) ]
then t_ok; else t_fail "" "last success $S; the loads $before_w and $before_o"; fi

t_begin "days 0-7: $((before_w + 1)) loads made, each as the rules say"
if run_loads 0 $((before_w + 1)); then t_ok; else t_fail "" "$ERR"; fi

t_begin "a minute before 7 days: the plant cannot be reached (exit 3); sync status behind"
if sync_at $((W - 60)) 3 && grep -q "cannot reach the plant" <<<"$ERR" &&
   [ "$(field $((W - 30)) state)" = behind ] &&
   [ "$(field $((W - 30)) not_at_plant)" = $(($(nev) - EV0)) ] &&
   [ -n "$(field $((W - 30)) last_error)" ]
then t_ok; else t_fail "" "$OUT $ERR state $(field $((W - 30)) state)"; fi

t_begin "a minute after 7 days: sync status warn"
if [ "$(field $((W + 60)) state)" = warn ]
then t_ok; else t_fail "" "state $(field $((W + 60)) state)"; fi

t_begin "days 7-30: $((before_o - before_w)) loads more, grease and industrial still held for a sample"
if run_loads $((before_w + 1)) $((before_o + 1)); then t_ok; else t_fail "" "$ERR"; fi

t_begin "a minute before 30 days: still warn, still unreachable"
if [ "$(field $((O - 60)) state)" = warn ] && sync_at $((O - 50)) 3 &&
   [ "$(field $((O - 40)) state)" = warn ]
then t_ok; else t_fail "" "$OUT $ERR state $(field $((O - 60)) state)"; fi

t_begin "a minute after 30 days: sync status offline"
if [ "$(field $((O + 60)) state)" = offline ]
then t_ok; else t_fail "" "state $(field $((O + 60)) state)"; fi

t_begin "past 30 days: $((N - before_o - 1)) loads more, grease and industrial refused offline_waste, septage accepted"
past="SELECT count(*) FROM loads WHERE t_decided > $O"
if run_loads $((before_o + 1)) "$N" &&
   [ "$(sq "$past AND waste IN ('grease', 'industrial') AND verdict = 'refused'
	   AND refuse_reasons = 'offline_waste'")" -gt 50 ] &&
   [ "$(sq "$past AND waste IN ('grease', 'industrial') AND verdict != 'refused'")" = 0 ] &&
   [ "$(sq "$past AND waste = 'septage' AND verdict = 'accepted'")" -gt 50 ] &&
   [ "$(sq "SELECT count(*) FROM loads WHERE t_decided <= $O AND refuse_reasons LIKE '%offline_waste%'")" = 0 ]
then t_ok; else t_fail "" "$ERR $(sq "SELECT waste, verdict, refuse_reasons, count(*) FROM loads
	WHERE t_decided > $O GROUP BY 1, 2, 3")"; fi

t_begin "$N loads at the station: accepted, refused and sampled, each discharge closed"
mix=$(sq "SELECT verdict || ':' || count(*) FROM loads GROUP BY verdict ORDER BY verdict" | tr '\n' ' ')
if [ "$(sq "SELECT count(*) FROM loads")" = "$N" ] &&
   [ "$(sq "SELECT count(*) FROM loads WHERE verdict = 'accepted'")" -gt 1000 ] &&
   [ "$(sq "SELECT count(*) FROM loads WHERE verdict = 'refused'")" -gt 500 ] &&
   [ "$(sq "SELECT count(*) FROM loads WHERE verdict = 'sample-hold' AND sampled = 1
	   AND bottle != '' AND t_discharge_end IS NOT NULL")" -gt 1000 ] &&
   [ "$(sq "SELECT count(*) FROM loads WHERE verdict != 'refused' AND t_discharge_end IS NULL")" = 0 ]
then t_ok "$N loads at the station: accepted, refused and sampled, each discharge closed ($mix)"
else t_fail "" "$mix"; fi

# what the station holds before the plant comes back
EV1=$(nev)
sq "SELECT seq, hex(hash) FROM events ORDER BY seq" >"$d/before.txt"
BACK=$((T0 + 31 * DAY + 3600))

t_begin "the plant back at 31 days: sync now sends all of it"
serve "$BACK"
sed -i "s|^url = https://127.0.0.1:.*|url = https://127.0.0.1:$PORT|" "$s/station.ini"
rounds=0
for _ in 1 2 3 4 5; do
	rounds=$((rounds + 1))
	sync_at "$(plant_now)" 0 >/dev/null && break
done
if [ "$RC" = 0 ] && grep -q "the plant holds all $EV1 events" <<<"$OUT" &&
   grep -q "($((EV1 - EV0)) sent now" <<<"$OUT"
then t_ok "the plant back at 31 days: sync now sends all of it ($((EV1 - EV0)) events, $rounds round(s))"
else t_fail "" "$OUT $ERR $(tail -n 5 "$PLANT/serve.err")"; fi

t_begin "the plant holds every event once: the station's seq and hash, one each"
if pw --json events --station test-01 >"$d/plant.json" 2>"$d/plant.err" &&
   python3 - "$d/plant.json" "$s/haulgate.db" <<'EOF2'
import base64, json, sqlite3, sys
plant = [(e["seq"], base64.b64decode(e["hash"]).hex()) for e in json.load(open(sys.argv[1]))]
db = sqlite3.connect(sys.argv[2])
station = [(seq, h.hex()) for seq, h in db.execute("SELECT seq, hash FROM events ORDER BY seq")]
sys.exit(0 if plant == station and len({s for s, _ in plant}) == len(plant) else 1)
EOF2
then t_ok; else t_fail "" "$(cat "$d/plant.err") plant $(grep -c '"seq"' "$d/plant.json") station $(nev)"; fi

t_begin "haulgate-potw verify passes; its latest checkpoint is the one the station kept"
pw checkpoint --station test-01 >"$d/plant.note" 2>/dev/null
printf '%s\n' "$(sq "SELECT note FROM sync_checkpoints ORDER BY size DESC LIMIT 1")" >"$d/kept.note"
if expect_exit 0 pw verify --station test-01 && grep -q "chain ok: $EV1 events" <<<"$OUT" &&
   cmp -s "$d/plant.note" "$d/kept.note" && grep -q "^$EV1\$" "$d/kept.note"
then t_ok; else t_fail "" "$OUT $ERR $(diff "$d/plant.note" "$d/kept.note")"; fi

t_begin "the station lost nothing: its log as it was, and it verifies"
sq "SELECT seq, hex(hash) FROM events WHERE seq <= $EV1 ORDER BY seq" >"$d/after.txt"
if cmp -s "$d/before.txt" "$d/after.txt" && [ "$(nev)" = "$EV1" ] &&
   [ "$(sq "SELECT count(*) FROM loads")" = "$N" ] && expect_exit 0 st verify
then t_ok; else t_fail "" "$OUT $ERR events $(nev) of $EV1"; fi

t_begin "sync status ok again: the plant has everything"
if [ "$(field "$(plant_now)" state)" = ok ] && [ "$(field "$(plant_now)" not_at_plant)" = 0 ] &&
   [ "$(field "$(plant_now)" checkpoint_size)" = "$EV1" ]
then t_ok; else t_fail "" "state $(field "$(plant_now)" state)"; fi

t_begin "the offline restriction lifted: a grease load held for its sample, not refused; the plant gets it"
cat >"$d/grease.scn" <<EOF2
clock $(date -u -d @"$(plant_now)" +%Y-%m-%dT%H:%M:%SZ)
card 04b2c3d4e5f601
type 2468
press ok
press truck_1
press waste_grease
press known_1
press next
type 2000
press next
field characteristics "Grease trap"
press next
press rcra_no
press next
field signer "Ana Torres"
press certify
expect decision sample-hold sample_waste_type
card 0a0b0c01
type 987654
press ok
type B-back
press ok
expect screen discharge_ready
press start
press stop
press ok
expect screen start
EOF2
if expect_exit 0 at "$(plant_now)" "$HG" --config "$s/station.ini" simulate --script "$d/grease.scn" &&
   sync_at "$(plant_now)" 0 && grep -q "the plant holds all $(nev) events" <<<"$OUT" &&
   [ "$(sq "SELECT verdict FROM loads WHERE bottle = 'B-back'")" = sample-hold ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

plant_stop
t_end
