#!/usr/bin/env bash
# test_crash.sh: kill -9 at any moment loses nothing and breaks nothing.
#
# A scenario of many loads runs through `haulgate simulate` and is killed with
# SIGKILL after a random delay, again and again on the same database.  After
# every kill: the chain verifies, every load row is whole (its sources, its
# events "manifest_submitted" and "decision" committed with it), and the relay
# state file is whole.  The next run takes the station on from where it was.
. "$(dirname "$0")/lib.sh"

ROUNDS=${HG_CRASH_ROUNDS:-25}
d=$(tmpdir)
cat > "$d/station.ini" <<'INI'
[station]
id = crash-01
db = haulgate.db
key = station.key
[sampling]
first_load = no
every_n_loads = 0
random_rate = 0
waste_types =
[policy]
daily_limit_gallons = 0
[hardware]
relay = sim:var/relays
printer = file:var/receipts
INI
"$HG" --config "$d/station.ini" init --demo >/dev/null

# one load, as a hauler would bring it
{
	echo "clock 2026-11-23T08:00:00"
	for i in $(seq 1 40); do
		cat <<SCN
card 04a1b2c3
type 1234
press ok
press truck_1
press waste_septage
press new_source
field source_name "Source $i"
field source_address "$i Elm St, Springfield"
press save
press industry_1
press town_1
press next
type $((100 + i))
press next
field characteristics "Septage, load $i"
press next
press rcra_no
press next
field signer "Dana Ruiz"
press certify
expect decision accepted
press start
wait 10s
press stop
press ok
SCN
	done
} > "$d/loads.scn"

check_db() {	# check_db ROUND: the invariants after a kill
	local r=$1 bad
	if ! expect_exit 0 "$HG" --config "$d/station.ini" verify; then
		t_fail "round $r: chain verifies after kill -9" "$OUT$ERR"
		return 1
	fi
	bad=$(sqlite3 "$d/haulgate.db" "
		SELECT 'load ' || l.load_no || ' has no sources' FROM loads l
		 WHERE NOT EXISTS (SELECT 1 FROM load_sources s WHERE s.load_no = l.load_no)
		UNION ALL
		SELECT 'load ' || l.load_no || ' has no ' || t.type || ' event' FROM loads l,
		       (SELECT 'manifest_submitted' AS type UNION ALL SELECT 'decision') t
		 WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.load_no = l.load_no AND e.type = t.type)
		UNION ALL
		SELECT 'decision event ' || e.seq || ' has no load' FROM events e
		 WHERE e.type = 'decision' AND NOT EXISTS (SELECT 1 FROM loads l WHERE l.load_no = e.load_no)
		UNION ALL
		SELECT 'load ' || load_no || ' is not whole' FROM loads
		 WHERE verdict = '' OR record = '' OR length(record_sha256) <> 64 OR signer = '';")
	if [ -n "$bad" ]; then
		t_fail "round $r: no half-written load" "$bad"
		return 1
	fi
	# killed before the station wrote it at all (only possible in round 1):
	# no file is fine, the file is replaced whole or not at all
	if [ "$r" = 1 ] && [ ! -e "$d/var/relays" ]; then
		return 0
	fi
	if ! grep -qx 'gate=\(locked\|unlocked\)' "$d/var/relays" ||
	   ! grep -qx 'valve=\(closed\|open\)' "$d/var/relays"; then
		t_fail "round $r: relay state file is whole" "$(cat "$d/var/relays")"
		return 1
	fi
	return 0
}

ok=0
for r in $(seq 1 "$ROUNDS"); do
	"$HG" --config "$d/station.ini" simulate --script "$d/loads.scn" >/dev/null 2>&1 &
	pid=$!
	# 20..600 ms: at start-up, mid-PIN, mid-commit, mid-print
	sleep "0.$(printf '%03d' $((20 + RANDOM % 580)))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	check_db "$r" && ok=$((ok + 1))
done
loads=$(sqlite3 "$d/haulgate.db" "SELECT count(*) FROM loads")
if [ "$ok" = "$ROUNDS" ]; then
	t_ok "$ROUNDS kill -9 rounds: chain verifies, no half-written load ($loads loads committed)"
fi

t_begin "the kills really hit mid-run (loads were committed, not all 40 per round)"
if [ "$loads" -gt 0 ] && [ "$loads" -lt $((ROUNDS * 40)) ]; then t_ok; else t_fail "" "loads=$loads"; fi

t_begin "after the kills the station starts safe: gate locked, valve closed"
printf 'clock 2026-11-23T08:00:00\nexpect relay gate locked\nexpect relay valve closed\n' > "$d/safe.scn"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$d/safe.scn"; then t_ok; else t_fail "" "$ERR"; fi

t_end
