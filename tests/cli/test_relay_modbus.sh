#!/usr/bin/env bash
# test_relay_modbus.sh: the Modbus relay backend (drivers/relay_modbus.c)
# against the test peer build/peers/modbus_relay (tests/peers/modbus_relay.c,
# a libmodbus server on 127.0.0.1 with a communication watchdog).
#
#   1. a whole scenario (two loads through discharge) with relay = modbus-tcp:
#      its `expect relay` lines read the coils back from the peer;
#   2. the peer killed while the valve is open: the next relay write fails and
#      the station goes out of service; the peer restarted on the same port:
#      the driver reconnects by itself and the operator's clear_fault works
#      without restarting the station (tests/unit/test_modbus.c has the
#      driver-level cases: a set during the outage, coils off on reconnect);
#   3. fail secure: the station process is kill -9'd with the valve open; the
#      heartbeat stops and the peer's watchdog closes the valve in time, while
#      before that the heartbeat kept it open past the watchdog time;
#   4. the same scenario and kill -9 over Modbus RTU, the peer on a
#      pseudo-terminal (relay = modbus-rtu:/dev/pts/N:115200);
#   5. a module with coils only (the peer's --coils-only): hw check and the
#      station's start name its refusal of the heartbeat register and point
#      at heartbeat=none; with heartbeat=none, hw check, hw relay and a whole
#      scenario work and no register is ever written.
# A scenario that must stay alive is fed through a FIFO: `wait` in a scenario
# moves the scenario's own clock, not the real one, so only an open, silent
# script keeps the process running.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
SCN="$HG_ROOT/tests/scenarios"
PEER="$MODBUS_PEER"
WATCHDOG_MS=1000

# peer_start LOG: the peer on a free port, its relays' spec in SPEC
peer_start() {
	modbus_start "$1" 8 "$WATCHDOG_MS" && SPEC="modbus-tcp:127.0.0.1:$PORT"
}

# peer_start_rtu LOG: the peer as an RTU module on a new pty (SPEC)
peer_start_rtu() {
	modbus_start_rtu "$1" 8 "$WATCHDOG_MS" && SPEC="modbus-rtu:$PTY:115200"
}

# station DIR: a fresh demo station in DIR whose relays are the peer's coils
station() {
	station_make "$1" relay="$SPEC" '[relays]' gate=0 valve=1
}

# the first-load scenario up to the valve open (discharging)
to_valve_open() {
	sed -n '1,/^expect relay valve open/p' "$SCN/hauler_first_load.scn"
}

peers_need "$PEER"

# ---- 1. a whole scenario on the peer's coils ----
d=$(tmpdir)
t_begin "the peer listens on a free loopback port"
if peer_start "$d/peer.log"; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi
station "$d"

t_begin "scenario hauler_first_load with relay = modbus-tcp (expects read the coils back)"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "the peer saw the valve (coil 1) open twice and the gate (coil 0) unlock twice"
if [ "$(grep -c ' coil 1 on$' "$d/peer.log")" = 2 ] && [ "$(grep -c ' coil 0 on$' "$d/peer.log")" = 2 ]; then
	t_ok
else
	t_fail "" "$(cat "$d/peer.log")"
fi

t_begin "every coil ends off, and the watchdog never had to act"
if [ "$(grep -c ' coil [0-9]* on$' "$d/peer.log")" = "$(grep -c ' coil [0-9]* off$' "$d/peer.log")" ] &&
   ! grep -q watchdog: "$d/peer.log"; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi

t_begin "the chain verifies"
if expect_exit 0 "$HG" --config "$d/station.ini" verify; then t_ok; else t_fail; fi
peer_stop

t_begin "no peer listening: the station refuses to start"
if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   printf '%s' "$ERR" | grep -q 'cannot open the relays'; then t_ok; else t_fail "" "$ERR"; fi

# ---- 2. the peer killed mid-run ----
d=$(tmpdir)
peer_start "$d/peer.log"
station "$d"
sim_start "$d"
to_valve_open >&3

t_begin "peer killed mid-run: the valve was open on the peer"
if wait_for "$d/peer.log" ' coil 1 on$' 5; then t_ok; else t_fail "" "$(cat "$d/peer.log" "$d/err")"; fi
peer_stop KILL
printf 'press stop\nexpect screen out_of_service\nexpect message fault_relay\n' >&3
sleep 0.5	# let the station find the link down before the module comes back

t_begin "peer restarted on the same port (the module is back)"
if modbus_restart "$d/peer.log" 8 "$WATCHDOG_MS"; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi
# the operator clears the fault: the driver has reconnected by itself (every
# coil off first), so the relays work again without restarting the station
printf 'card 0a0b0c01\ntype 987654\npress ok\nexpect screen operator\npress clear_fault\n' >&3
printf 'expect screen start\nexpect relay valve closed\nexpect relay gate locked\n' >&3
sim_end
rc=$SIM_RC

t_begin "peer killed mid-run: out of service; after the restart, clear_fault works (no station restart)"
if [ "$rc" = 0 ]; then t_ok; else t_fail "" "exit $rc: $(cat "$d/err")"; fi

t_begin "the restarted peer was reconnected to"
if [ "$(grep -c 'client connected' "$d/peer.log")" -ge 2 ]; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi
peer_stop

# ---- 2b. the module dies while nobody is at the station ----
d=$(tmpdir)
peer_start "$d/peer.log"
station "$d"
sim_start "$d"
printf 'clock 2026-11-23T08:00:00\nwait 15s\nexpect screen start\n' >&3
sleep 0.3
peer_stop KILL
# the idle read-back (every 10 s) fails twice: out of service before any card
printf 'wait 25s\nexpect screen out_of_service\nexpect message fault_relay\n' >&3
printf 'card 04a1b2c3\nexpect screen out_of_service\n' >&3
sim_end
rc=$SIM_RC

t_begin "module dead while idle: out of service within two read-backs, before a card is taken"
if [ "$rc" = 0 ] && "$HG" --config "$d/station.ini" events | grep -q '"fault":"fault_relay","screen":"start"'; then
	t_ok
else
	t_fail "" "exit $rc: $(tail -5 "$d/err") $(tail -5 "$d/out")"
fi

# the same read-back on simulated relays: a valve that reads open while idle
# (forced by hand, a welded contact reported back) is a fault too
d=$(tmpdir)
station_make "$d"
sim_start "$d"
printf 'clock 2026-11-23T08:00:00\nwait 15s\nexpect screen start\n' >&3
for _ in $(seq 50); do grep -q '^valve=closed' "$d/var/relays" 2>/dev/null && break; sleep 0.05; done
sed -i 's/^valve=closed/valve=open/' "$d/var/relays"
printf 'wait 25s\nexpect screen out_of_service\nexpect message fault_relay\nexpect relay valve closed\n' >&3
sim_end
rc=$SIM_RC

t_begin "simulated valve reading open while idle: out of service, every relay off"
if [ "$rc" = 0 ] && grep -q '^valve=closed' "$d/var/relays"; then
	t_ok
else
	t_fail "" "exit $rc: $(tail -5 "$d/err") $(cat "$d/var/relays")"
fi

# ---- 3. fail secure: the station dies with the valve open ----
d=$(tmpdir)
peer_start "$d/peer.log"
station "$d"
sim_start "$d"
to_valve_open >&3	# and then nothing: the scenario waits, the valve stays open

t_begin "fail secure: the valve is open on the peer"
if wait_for "$d/peer.log" ' coil 1 on$' 5; then t_ok; else t_fail "" "$(cat "$d/peer.log" "$d/err")"; fi

t_begin "fail secure: the heartbeat keeps the valve open past the watchdog time"
sleep $(((WATCHDOG_MS * 2) / 1000)).$(((WATCHDOG_MS * 2) % 1000 / 100))
if ! grep -qE 'watchdog:| coil 1 off$' "$d/peer.log" && kill -0 "$SIM_PID" 2>/dev/null; then
	t_ok
else
	t_fail "" "$(cat "$d/peer.log" "$d/err")"
fi

sim_kill9
exec 3>&-

t_begin "fail secure: kill -9 with the valve open; the peer's watchdog closes it within ${WATCHDOG_MS} ms (+300 ms)"
if wait_for "$d/peer.log" ' coil 1 off$' 5; then
	closed_at=$(date +%s%N)
	ms=$(((closed_at - KILLED_AT) / 1000000))
	if [ "$ms" -le $((WATCHDOG_MS + 300)) ] && grep -q 'watchdog: no heartbeat' "$d/peer.log"; then
		t_ok
		echo "# valve closed $ms ms after kill -9"
	else
		t_fail "" "closed after $ms ms: $(cat "$d/peer.log")"
	fi
else
	t_fail "" "the valve stayed open: $(cat "$d/peer.log")"
fi

t_begin "fail secure: the gate (coil 0) was locked by the watchdog too"
if [ "$(grep -c ' coil 0 on$' "$d/peer.log")" = "$(grep -c ' coil 0 off$' "$d/peer.log")" ]; then
	t_ok
else
	t_fail "" "$(cat "$d/peer.log")"
fi
peer_stop

# ---- 4. Modbus RTU over a pseudo-terminal ----
d=$(tmpdir)
t_begin "rtu: the peer opens a pseudo-terminal"
if peer_start_rtu "$d/peer.log"; then t_ok; else t_fail "" "$(cat "$d/peer.log")"; fi
station "$d"

t_begin "rtu: scenario hauler_first_load with relay = modbus-rtu"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   [ "$(grep -c ' coil 1 on$' "$d/peer.log")" = 2 ]; then
	t_ok
else
	t_fail "" "$ERR $(cat "$d/peer.log")"
fi

d2=$(tmpdir)	# a fresh station: its hauler's first load again
station "$d2"
sim_start "$d2"
to_valve_open >&3
t_begin "rtu: kill -9 with the valve open; the watchdog closes it within ${WATCHDOG_MS} ms (+300 ms)"
for _ in $(seq 100); do	# the third time the valve opens on this peer
	[ "$(grep -c ' coil 1 on$' "$d/peer.log")" = 3 ] && break
	sleep 0.05
done
if [ "$(grep -c ' coil 1 on$' "$d/peer.log")" = 3 ]; then
	sim_kill9
	if wait_for "$d/peer.log" 'watchdog: no heartbeat' 5; then
		ms=$((($(date +%s%N) - KILLED_AT) / 1000000))
		if [ "$ms" -le $((WATCHDOG_MS + 300)) ]; then t_ok; else t_fail "" "after $ms ms"; fi
	else
		t_fail "" "the valve stayed open: $(cat "$d/peer.log")"
	fi
else
	t_fail "" "$(cat "$d/peer.log" "$d2/err")"
fi
exec 3>&-
peer_stop

# ---- 5. a module with coils only ----
d=$(tmpdir)
t_begin "coils only: the peer plays a module without registers"
if modbus_start "$d/peer.log" 8 --coils-only && SPEC="modbus-tcp:127.0.0.1:$PORT" &&
   grep -q 'watchdog none heartbeat none' "$d/peer.log"; then
	t_ok
else
	t_fail "" "$(cat "$d/peer.log")"
fi
station "$d"
REFUSED="the module refused the heartbeat write: illegal data address (register 16): it may have no watchdog register (heartbeat=none"

t_begin "coils only: hw check says FAILED, names the exception and heartbeat=none (not 'does not answer')"
if expect_exit 1 "$HG" --config "$d/station.ini" hw check &&
   grep -qF "FAILED: $REFUSED" <<<"$OUT" && ! grep -q 'does not answer' <<<"$OUT" &&
   grep -q 'refused: write of register 16' "$d/peer.log"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "coils only: the station refuses to start, saying why"
if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   grep -qF "cannot open the relays '$SPEC': $REFUSED" <<<"$ERR"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "coils only: hw relay gate on refuses at once, naming the exception"
if expect_exit 1 "$HG" --config "$d/station.ini" hw relay gate on --hold 1 &&
   grep -qF "$REFUSED" <<<"$ERR" && ! grep -q ' coil 0 on$' "$d/peer.log"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

refusals=$(grep -c 'refused:' "$d/peer.log")
d2=$(tmpdir)
SPEC="modbus-tcp:127.0.0.1:$PORT,heartbeat=none"
station "$d2"

t_begin "coils only, heartbeat=none: hw check ok, and says nothing on the module drops a relay"
if expect_exit 0 "$HG" --config "$d2/station.ini" hw check &&
   grep -q '^relays .*ok: gate locked, valve closed; no heartbeat (heartbeat=none)' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "coils only, heartbeat=none: hw relay gate on holds the gate, then off"
if expect_exit 0 "$HG" --config "$d2/station.ini" hw relay gate on --hold 1 &&
   grep -q '^gate unlocked (read back)' <<<"$OUT" && grep -q '^gate locked$' <<<"$OUT" &&
   [ "$(grep -c ' coil 0 on$' "$d/peer.log")" = 1 ]; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "coils only, heartbeat=none: scenario hauler_first_load (two loads through discharge)"
if expect_exit 0 "$HG" --config "$d2/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   [ "$(grep -c ' coil 1 on$' "$d/peer.log")" = 2 ]; then
	t_ok
else
	t_fail "" "$ERR $(tail -5 "$d/peer.log")"
fi

t_begin "coils only, heartbeat=none: no register was written"
if [ "$(grep -c 'refused:' "$d/peer.log")" = "$refusals" ]; then
	t_ok
else
	t_fail "" "$(grep 'refused:' "$d/peer.log")"
fi
peer_stop

t_end
