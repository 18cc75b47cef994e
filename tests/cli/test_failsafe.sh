#!/usr/bin/env bash
# test_failsafe.sh: every program that drives a station's devices leaves the
# gate locked and the valve closed on every way out (issue 10, point 3): the
# fail-safe hook lives in station/devices.c alone, and `simulate`, `hw` and
# the kiosk open their devices through it.
#
#   1. `simulate` with the valve open and the gate unlocked (a load brought to
#      its discharge through the script's FIFO), then SIGTERM, SIGINT, SIGHUP
#      or SIGSEGV: the simulated relays' state file says gate locked, valve
#      closed, and the process died of that signal.
#   2. `hw relay valve on --hold 60`, then SIGTERM, SIGINT or SIGHUP: the hold
#      ends at once and the valve is closed.
#   3. the kiosk (offscreen, its script through a FIFO) with the valve open,
#      then SIGTERM or SIGSEGV: the same.
#   4. the one module: no file of cli/, kiosk/ or station/ but
#      station/devices.c takes the device lock, opens a relay, printer or
#      meter, or installs a signal or exit hook.
# The processes are started with the stop signals at their defaults (a
# script's background job starts with SIGINT ignored, which a program
# rightly keeps).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
SCN="$HG_ROOT/tests/scenarios"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy

# a scenario's lines up to (and with) the first line matching RE
upto() { sed -n "1,/$2/p" "$1"; }

# relays DIR: the simulated relays' state, "gate=... valve=..."
relays() { grep -E '^(gate|valve)=' "$1/var/relays" | sort | tr '\n' ' ' | sed 's/ $//'; }

# until_relays DIR WANT SECONDS: 0 once relays DIR is WANT
until_relays() {
	local i
	for ((i = 0; i < $3 * 10; i++)); do
		[ "$(relays "$1" 2>/dev/null)" = "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# ended PID SECONDS: 0 once PID has ended (reaped: its status in ENDED_RC)
ended() {
	local i
	for ((i = 0; i < $2 * 10; i++)); do
		if ! kill -0 "$1" 2>/dev/null; then
			wait "$1"
			ENDED_RC=$?
			return 0
		fi
		sleep 0.1
	done
	kill -9 "$1" 2>/dev/null
	wait "$1" 2>/dev/null
	ENDED_RC=-1
	return 1
}

OPEN="gate=unlocked valve=open"
SAFE="gate=locked valve=closed"

signo() { kill -l "$1"; }

# an ASan build leaves a crash to ASan's own report: no fatal-signal hook
sigs="TERM INT HUP SEGV"
if ldd "$HG" 2>/dev/null | grep -q libasan; then
	sigs="TERM INT HUP"
	t_ok "simulate, SIGSEGV: skipped (an ASan build has no fatal-signal hook)"
fi

# ---- 1. simulate ----
for sig in $sigs; do
	d=$(tmpdir)
	station_make "$d"
	mkfifo "$d/script"
	env --default-signal=INT,HUP,TERM "$HG" --config "$d/station.ini" simulate \
		--script "$d/script" >"$d/out" 2>"$d/err" &
	SIM_PID=$!
	exec 3>"$d/script"
	upto "$SCN/hauler_first_load.scn" '^expect relay valve open' >&3

	t_begin "simulate, valve open, SIG$sig: gate locked, valve closed"
	if ! until_relays "$d" "$OPEN" 20; then
		t_fail "" "the valve never opened: $(relays "$d") $(tail -3 "$d/err")"
	else
		pid=$SIM_PID
		kill -"$sig" "$pid"
		if ended "$pid" 10 && [ "$(relays "$d")" = "$SAFE" ] &&
			[ "$ENDED_RC" = $((128 + $(signo "$sig"))) ]; then
			t_ok
		else
			t_fail "" "exit $ENDED_RC, relays: $(relays "$d"); $(tail -3 "$d/err")"
		fi
	fi
	exec 3>&-
	SIM_PID=""
done

# ---- 2. hw relay --hold ----
d=$(tmpdir)
station_make "$d"
for sig in TERM INT HUP; do
	t_begin "hw relay valve on --hold 60, SIG$sig: the hold ends, valve closed"
	env --default-signal=INT,HUP,TERM "$HG" --config "$d/station.ini" hw relay valve on \
		--hold 60 >"$d/out" 2>"$d/err" &
	pid=$!
	if ! until_relays "$d" "gate=locked valve=open" 10; then
		t_fail "" "the valve never opened: $(relays "$d") $(cat "$d/err")"
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
		continue
	fi
	kill -"$sig" "$pid"
	if ended "$pid" 5 && [ "$(relays "$d")" = "$SAFE" ] &&
		[ "$(tail -1 "$d/out")" = "valve closed" ]; then
		t_ok
	else
		t_fail "" "exit $ENDED_RC, relays: $(relays "$d"); $(cat "$d/out" "$d/err")"
	fi
done

# ---- 3. the kiosk ----
if [ ! -x "$KIOSK" ]; then
	t_fail "kiosk" "no kiosk at $KIOSK: make build/haulgate-kiosk"
else
	for sig in TERM SEGV; do
		d=$(tmpdir)
		station_make "$d" nfc=sim:var/nfc
		mkfifo "$d/script"
		env --default-signal=INT,HUP,TERM "$KIOSK" --config "$d/station.ini" \
			--windowed 1280x800 --script "$d/script" >"$d/out" 2>"$d/err" &
		SIM_PID=$!
		exec 3>"$d/script"
		upto "$HG_ROOT/tests/kiosk/hauler_load.kscn" '^expect relay valve open' |
			grep -v '^snap' >&3

		t_begin "kiosk, valve open, SIG$sig: gate locked, valve closed"
		if ! until_relays "$d" "$OPEN" 30; then
			t_fail "" "the valve never opened: $(relays "$d") $(tail -3 "$d/err")"
		else
			pid=$SIM_PID
			kill -"$sig" "$pid"
			if ended "$pid" 10 && [ "$(relays "$d")" = "$SAFE" ]; then
				t_ok
			else
				t_fail "" "exit $ENDED_RC, relays: $(relays "$d"); $(tail -3 "$d/err")"
			fi
		fi
		exec 3>&-
		SIM_PID=""
	done
fi

# ---- 4. one module ----
t_begin "devices are opened, locked and hooked in station/devices.c alone"
cd "$HG_ROOT" || exit 1
found=$(grep -nE 'devlock_take|(relay|printer|meter)_backend\([^,]*, *&|sigaction\(|atexit\(|signal\(SIG' \
	cli/*.c kiosk/*.c station/*.c | grep -v '^station/devices\.c:')
if [ -z "$found" ]; then
	t_ok
else
	t_fail "" "$found"
fi

t_end
