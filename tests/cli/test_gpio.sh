#!/usr/bin/env bash
# test_gpio.sh: the libgpiod relay backend (drivers/relay_gpio.c), from the
# station's side.
#
#   1. what can be tested on any machine: a bad `relay = gpio:...` value, a
#      bad line in [relays], or a chip that does not exist is refused at start
#      with a message naming the value, exit 1, no crash;
#   2. a whole load with relay = gpio:<chip> on a simulated chip (gpio-sim,
#      made here through configfs and removed again), the scenario's
#      `expect relay` lines reading the lines back, the valve active-low;
#   3. on gpio-sim only (its sysfs shows an output line's value): the
#      heartbeat line toggles while `hw relay gate on` holds the gate, and
#      stops toggling when that process is killed with -9 (what an external
#      watchdog sees).
#
# Whether a refused value was refused for the right reason (a bad heartbeat
# spec is HG_EINVAL before any chip is looked up) is test_drivers.c's
# test_relay_gpio_spec: the station's message here is the same either way.
#
# This machine's kernel may have no GPIO at all (no /dev/gpiochip*, no
# gpio-sim): part 2 then prints "SKIP gpio: ..." with the reason and counts
# nothing (a skip is not a pass).  Real GPIO lines are never touched unless
# asked for: HG_GPIO_TEST_CHIP=<chip> HG_GPIO_TEST_LINES=<gate>,<valve> names
# two lines of a board that are free and safe to switch.
. "$(dirname "$0")/lib.sh"
SCN="$HG_ROOT/tests/scenarios"
SIM_DIR=""
hw=""
cleanup() {
	if [ -n "$hw" ]; then
		kill -9 "$hw" 2>/dev/null
		wait "$hw" 2>/dev/null
	fi
	if [ -n "$SIM_DIR" ] && [ -d "$SIM_DIR" ]; then
		echo 0 >"$SIM_DIR/live" 2>/dev/null
		rmdir "$SIM_DIR"/bank0/line* "$SIM_DIR/bank0" "$SIM_DIR" 2>/dev/null
	fi
	t_cleanup
}
trap cleanup EXIT

# station DIR SPEC GATE VALVE: a fresh demo station with these relays
station() {
	sed "s#^relay = .*#relay = $2#" "$SCN/station.ini" >"$1/station.ini"
	printf '\n[relays]\ngate = %s\nvalve = %s\n' "$3" "$4" >>"$1/station.ini"
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
}

# refused NAME SPEC GATE VALVE WANT: the station does not start; stderr has WANT
refused() {
	local d
	d=$(tmpdir)
	station "$d" "$2" "$3" "$4"
	t_begin "$1"
	if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
	   printf '%s' "$ERR" | grep -qF -- "$5"; then
		t_ok
	else
		t_fail "" "exit $RC: $ERR"
	fi
}

# ---- 1. refused cleanly, on any machine ----
refused "a chip that does not exist: refused at start, named" \
	"gpio:gpiochip99" 17 27 "cannot open the relays 'gpio:gpiochip99': not found"
refused "a chip path that does not exist" \
	"gpio:/dev/gpiochip99" 17 27 "cannot open the relays 'gpio:/dev/gpiochip99': not found"
refused "no chip named" "gpio:" 17 27 "cannot open the relays 'gpio:'"
refused "an option other than heartbeat" "gpio:gpiochip0,unit=1" 17 27 \
	"cannot open the relays 'gpio:gpiochip0,unit=1': the setting is not valid"
refused "the heartbeat on a relay's line" "gpio:gpiochip0,heartbeat=17" 17 27 \
	"cannot open the relays 'gpio:gpiochip0,heartbeat=17': the setting is not valid"
refused "a heartbeat line that is not a number" "gpio:gpiochip0,heartbeat=x" 17 27 \
	"cannot open the relays"
refused "a heartbeat line past 1023" "gpio:gpiochip0,heartbeat=1024" 17 27 \
	"cannot open the relays"
refused "a heartbeat on a chip that does not exist" "gpio:gpiochip99,heartbeat=16" 17 27 \
	"cannot open the relays 'gpio:gpiochip99,heartbeat=16'"
refused "a line that is not a number (config says so, with its line)" "gpio:gpiochip0" 17 x \
	'[relays] valve: "x" is not a number (a coil or line number is decimal, or hex written 0x..'
refused "a flag other than active-low" "gpio:gpiochip0" 17 "27,active-high" \
	"cannot open the relays"
refused "one line for two relays (the config says so)" "gpio:gpiochip0" 17 17 "uses the same relay (17)"
refused "a line past 1023" "gpio:gpiochip0" 17 4096 "cannot open the relays"

# ---- 2. a whole load on GPIO lines ----
CHIP=""
LINES=""
why=""
if [ -n "${HG_GPIO_TEST_CHIP:-}" ] && [ -n "${HG_GPIO_TEST_LINES:-}" ]; then
	CHIP=$HG_GPIO_TEST_CHIP
	LINES=$HG_GPIO_TEST_LINES
elif [ -d /sys/kernel/config/gpio-sim ] && [ -w /sys/kernel/config/gpio-sim ]; then
	SIM_DIR=/sys/kernel/config/gpio-sim/haulgate-test-$$
	if mkdir "$SIM_DIR" && mkdir "$SIM_DIR/bank0" &&
	   echo 8 >"$SIM_DIR/bank0/num_lines" && echo 1 >"$SIM_DIR/live"; then
		CHIP=$(cat "$SIM_DIR/bank0/chip_name")
		LINES=2,5
	else
		why="gpio-sim is there but a simulated chip could not be made"
	fi
elif ls /dev/gpiochip* >/dev/null 2>&1; then
	why="/dev/gpiochip* exists but no gpio-sim; real lines are switched only with HG_GPIO_TEST_CHIP and HG_GPIO_TEST_LINES"
else
	why="no /dev/gpiochip* and no gpio-sim on this kernel"
fi

if [ -n "$CHIP" ]; then
	d=$(tmpdir)
	station "$d" "gpio:$CHIP" "${LINES%,*}" "${LINES#*,},active-low"
	t_begin "scenario hauler_first_load with relay = gpio:$CHIP (expects read the lines back)"
	if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn"; then
		t_ok
	else
		t_fail "" "$ERR"
	fi
	t_begin "the chain verifies"
	if expect_exit 0 "$HG" --config "$d/station.ini" verify; then t_ok; else t_fail; fi
	t_begin "a line already taken by another program: refused"
	if command -v gpiomon >/dev/null 2>&1; then
		gpiomon "$CHIP" "${LINES%,*}" >/dev/null 2>&1 &
		mon=$!
		sleep 0.2
		if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
		   printf '%s' "$ERR" | grep -q 'cannot open the relays'; then t_ok; else t_fail "" "$ERR"; fi
		kill "$mon" 2>/dev/null
		wait "$mon" 2>/dev/null
	else
		echo "SKIP gpio busy line: no gpiomon (gpiod package)"
	fi
else
	echo "SKIP gpio: $why"
fi

# ---- 3. the heartbeat line ----
# changes FILE MS: how often FILE's content changed, sampled every 50 ms for MS
changes() {
	local last now n=0 t=0
	last=$(cat "$1")
	while [ "$t" -lt "$2" ]; do
		sleep 0.05
		t=$((t + 50))
		now=$(cat "$1")
		[ "$now" != "$last" ] && n=$((n + 1))
		last=$now
	done
	echo "$n"
}
if [ -n "$SIM_DIR" ] && [ -n "$CHIP" ]; then
	HB=7
	VAL=/sys/devices/platform/$(cat "$SIM_DIR/dev_name")/$CHIP/sim_gpio$HB/value
	d=$(tmpdir)
	station "$d" "gpio:$CHIP,heartbeat=$HB" 2 5,active-low
	"$HG" --config "$d/station.ini" hw relay gate on --hold 10 >"$d/hw.out" 2>&1 &
	hw=$!
	sleep 0.5
	t_begin "heartbeat line $HB toggles while the gate is held on"
	n=$(changes "$VAL" 1200)
	if [ "$n" -ge 3 ]; then t_ok; else t_fail "" "$n changes in 1.2 s: $(cat "$d/hw.out")"; fi
	kill -9 "$hw" 2>/dev/null
	wait "$hw" 2>/dev/null
	hw=""
	t_begin "kill -9: the heartbeat line stops toggling (the watchdog times out)"
	n=$(changes "$VAL" 800)
	if [ "$n" -eq 0 ]; then t_ok; else t_fail "" "$n changes after the kill"; fi
else
	echo "SKIP gpio heartbeat: needs gpio-sim (its sysfs shows an output line's value)"
fi

t_end
