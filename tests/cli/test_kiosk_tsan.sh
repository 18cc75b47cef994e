#!/usr/bin/env bash
# test_kiosk_tsan.sh: the kiosk's threads under ThreadSanitizer.
#
# build/tsan/haulgate-kiosk (kiosk/kiosk.mk: the library and the kiosk built
# with -fsanitize=thread) runs with every thread it has at the gate: the
# card reader's (kiosk/sdl_nfc.c, on the simulated reader's FIFO), the CUPS
# printer's follower (drivers/printer_cups.c, against a private cupsd whose
# raw queue sends jobs to build/peers/appsocket) and, in 2 and 3, the Modbus
# relay module's heartbeat (drivers/relay_slots.c, against
# build/peers/modbus_relay).
#
#   1. live, offscreen: two cards written into the reader's FIFO reach the
#      station (card_tapped), then SIGTERM: exit 0, relays safe;
#   2. a whole hauler load as a script (tests/kiosk/hauler_load.kscn) on a
#      CUPS printer and Modbus relays, fed through a FIFO so that the kiosk
#      stays up until cupsd has completed the label and the receipt and the
#      follower has seen them end: exit 0, both jobs at the printer;
#   3. the same load with the queue stopped (cupsdisable): the follower gives
#      both jobs up and reports them back to the UI thread, which logs
#      print_failed "later": exit 0.
# Each run has TSAN_OPTIONS halt_on_error=1 exitcode=66: the first data race
# (or any other report) ends the kiosk with status 66, and any "WARNING:
# ThreadSanitizer" in its stderr fails the check as well.  Some kernels
# (vm.mmap_rnd_bits above 28) leave TSan no room ("unexpected memory
# mapping"): then every run goes through `setarch $(uname -m) -R` (no
# address randomisation), and the test says so.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
TKIOSK="$HG_ROOT/build/tsan/haulgate-kiosk"
PEER="$HG_ROOT/build/peers/appsocket"
KS="$HG_ROOT/tests/kiosk"
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
unset HAULGATE_FONT_DIR

if [ ! -x "$TKIOSK" ]; then
	t_fail "the TSan kiosk is built" "$TKIOSK is missing: make build/tsan/haulgate-kiosk"
	t_end
	exit 1
fi
peers_need cupsd lpadmin lpstat cupsdisable setpriv "$PEER" "$MODBUS_PEER"

# ---- can TSan map its shadow memory here? ----
TSAN_WRAP=()
t_begin "ThreadSanitizer starts on this kernel"
probe=$("$TKIOSK" --help 2>&1 >/dev/null)
if printf '%s' "$probe" | grep -q 'unexpected memory mapping\|FATAL: ThreadSanitizer'; then
	TSAN_WRAP=(setarch "$(uname -m)" -R)
	echo "# TSan needs address randomisation off here: runs go through ${TSAN_WRAP[*]}"
	probe=$("${TSAN_WRAP[@]}" "$TKIOSK" --help 2>&1 >/dev/null)
fi
if ! printf '%s' "$probe" | grep -q 'ThreadSanitizer'; then t_ok; else t_fail "" "$probe"; fi

# tsan_clean ERRFILE: no ThreadSanitizer report in it
tsan_clean() {
	! grep -q 'WARNING: ThreadSanitizer\|ThreadSanitizer: reported\|FATAL: ThreadSanitizer' "$1"
}

# relays_safe DIR: the simulated relays read gate locked, valve closed
relays_safe() {
	grep -qx 'gate=locked' "$1/var/relays" && grep -qx 'valve=closed' "$1/var/relays"
}

# ---- the private cupsd, its raw queue and the printer ----
cups_setup
P=$(tmpdir)
chmod 755 "$P"
mkdir "$P/jobs"
mkfifo "$P/ctl"
"$PEER" "$P/jobs" 0 <"$P/ctl" >"$P/log" 2>&1 3>&- &
PEER_ORPHANS=$!		# PEER_PID is the Modbus peer's
exec 4>"$P/ctl"		# held open: the peer's stdin stays open

t_begin "a private cupsd with a raw queue to the printer peer"
if wait_for "$P/log" '^listening 127\.0\.0\.1:[0-9]+$' 5 && cups_start &&
   lpadmin -p receipt -E -v "socket://127.0.0.1:$(awk -F: '/^listening/{ print $2; exit }' \
	"$P/log")"; then
	t_ok
else
	t_fail "" "$(cat "$P/log" "$C/cupsd.out" "$C/log/error_log" 2>/dev/null)"
fi

t_begin "a Modbus relay module on a free loopback port"
if modbus_start "$P/modbus.log" 8 1000; then t_ok; else t_fail "" "$(cat "$P/modbus.log")"; fi

# station DIR [RELAY]: a demo station printing to cups:receipt, its card
# reader the FIFO DIR/var/nfc (made by the reader thread when it opens it),
# its relays RELAY (default the simulated ones in DIR/var/relays), the gate
# on coil 0 and the valve on coil 1
station() {
	station_make "$1" printer=cups:receipt nfc=sim:var/nfc relay="${2:-sim:var/relays}" \
		'[relays]' gate=0 valve=1
}
# the kiosk's last line: the relays as it left them
relays_left_safe() {
	tail -1 "$1/out" | grep -qx 'relays: valve=closed gate=locked'
}

# ---- 1. live: the reader thread and the idle follower, then SIGTERM ----
t_begin "live under TSan: two cards through the reader's FIFO reach the station, SIGTERM exits clean"
d=$(tmpdir)
station "$d"
"${TSAN_WRAP[@]}" "$TKIOSK" --config "$d/station.ini" --windowed 1280x800 \
	>"$d/out" 2>"$d/err" 3>&- 4>&- &
SIM_PID=$!
for _ in $(seq 200); do [ -p "$d/var/nfc" ] && break; sleep 0.05; done
seen=0
for uid in 04a1b2c3 0a0b0c01; do
	# a writer that finds no reader would block: in the background
	printf '%s\n' "$uid" >"$d/var/nfc" &
	wpid=$!
	for _ in $(seq 200); do
		if events "$d" card_tapped | grep -q "\"uid\":\"$uid\""; then
			seen=$((seen + 1))
			break
		fi
		kill -0 "$SIM_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill "$wpid" 2>/dev/null
	wait "$wpid" 2>/dev/null
done
kill -TERM "$SIM_PID" 2>/dev/null
wait "$SIM_PID"
rc=$?
SIM_PID=""
if [ "$seen" = 2 ] && [ "$rc" = 0 ] && tsan_clean "$d/err" && relays_safe "$d"; then
	t_ok
else
	t_fail "" "seen=$seen rc=$rc $(head -60 "$d/err")"
fi

# ---- 2. a whole load printed through the CUPS follower ----
t_begin "a hauler load under TSan: label and receipt printed through cupsd, the follower sees them end"
d=$(tmpdir)
station "$d" "modbus-tcp:127.0.0.1:$PORT"
mkfifo "$d/script"
"${TSAN_WRAP[@]}" "$TKIOSK" --config "$d/station.ini" --windowed 1280x800 \
	--script "$d/script" --snap-dir "$d/snaps" >"$d/out" 2>"$d/err" 3>&- 4>&- &
SIM_PID=$!
exec 3<>"$d/script"	# read-write: opens at once, and never SIGPIPE if the kiosk died
grep -v '^snap ' "$KS/hauler_load.kscn" >&3
# both jobs taken by the printer and completed in cupsd; then real time for
# the follower (it looks every 0.2 s) and ticks for the station to poll it
jobs=0
for _ in $(seq 600); do
	jobs=$(grep -c '^job ' "$P/log")
	[ "$jobs" -ge 2 ] && [ -z "$(lpstat -o receipt 2>/dev/null)" ] && break
	kill -0 "$SIM_PID" 2>/dev/null || break
	sleep 0.05
done
for _ in 1 2 3 4; do
	echo 'wait 1s' >&3
	sleep 0.25
done
exec 3>&-
wait "$SIM_PID"
rc=$?
SIM_PID=""
if [ "$jobs" -ge 2 ] && [ "$rc" = 0 ] && tsan_clean "$d/err" && relays_left_safe "$d" &&
   [ "$(events "$d" printed | wc -l)" -ge 2 ]; then
	t_ok
else
	t_fail "" "jobs=$jobs rc=$rc $(cat "$d/out") $(head -60 "$d/err")"
fi

# ---- 3. the follower gives the jobs up and reports it ----
t_begin "a hauler load under TSan, queue stopped: the follower gives both jobs up, print_failed later"
cupsdisable receipt
d=$(tmpdir)
station "$d" "modbus-tcp:127.0.0.1:$PORT"
mkfifo "$d/script"
"${TSAN_WRAP[@]}" "$TKIOSK" --config "$d/station.ini" --windowed 1280x800 \
	--script "$d/script" --snap-dir "$d/snaps" >"$d/out" 2>"$d/err" 3>&- 4>&- &
SIM_PID=$!
exec 3<>"$d/script"	# read-write: opens at once, and never SIGPIPE if the kiosk died
grep -v '^snap ' "$KS/hauler_load.kscn" >&3
# the station asks the follower for endings on each tick: a tick a second
failed=0
for _ in $(seq 200); do
	failed=$(events "$d" print_failed | grep -c '"later":true')
	[ "$failed" -ge 2 ] && break
	kill -0 "$SIM_PID" 2>/dev/null || break
	echo 'wait 1s' >&3
	sleep 0.1
done
exec 3>&-
wait "$SIM_PID"
rc=$?
SIM_PID=""
if [ "$failed" = 2 ] && [ "$rc" = 0 ] && tsan_clean "$d/err" && relays_left_safe "$d"; then
	t_ok
else
	t_fail "" "failed=$failed rc=$rc $(cat "$d/out") $(head -60 "$d/err")"
fi

# the printer peer ends now, not killed -9 by peers.sh's trap
kill "$PEER_ORPHANS" 2>/dev/null
wait "$PEER_ORPHANS" 2>/dev/null
PEER_ORPHANS=""
t_end
