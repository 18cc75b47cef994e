# peers.sh: the real peers of the hardware CLI tests, started and stopped in
# one place; source it after lib.sh, do not run it.
#
# A test that starts a process keeps its PID in one of the variables below;
# this file's EXIT trap ends whatever is still set, so no peer, cupsd or
# station outlives its test, whether the test ends, fails, or is interrupted
# (HUP, INT and TERM exit through the same trap).  A process that must be
# ended early is ended with the matching *_stop/*_kill9 function, which clears
# its variable.  Start reading at peers_stop_all.
#
# Provides:
#   PEER_PID SIM_PID CUPS_PID   the processes this file ends at exit
#   PEER_ORPHANS       more PIDs to kill -9 at exit (a cupsd's backends)
#   peers_stop_all     end them all (the EXIT trap calls it, then t_cleanup)
#   peers_need WHAT... end the test at once, failed, unless each WHAT is
#                      there: a path (an executable peer) or a command
#   wait_for FILE REGEX SECONDS  0 once a line of FILE matches REGEX
#   station_make DIR [KEY=VALUE | [SECTION]]...  DIR/station.ini from
#                      tests/scenarios/station.ini with the [hardware] keys
#                      given replaced (or added), then each [SECTION] and
#                      its KEY=VALUE lines appended; then `init --demo`
#   events DIR TYPE    the station's events of TYPE, "load_no<TAB>detail"
#   sim_start DIR      `simulate` of DIR/station.ini reading the FIFO
#                      DIR/script, output in DIR/out and DIR/err; fd 3 is
#                      the script's writing end (SIM_PID)
#   sim_end            close fd 3 and wait: the station's status in SIM_RC
#   sim_kill9          kill -9 the station; KILLED_AT: when (date +%s%N)
#   sim_until_events DIR TYPE N TRIES  feed "wait 1s" to the running
#                      station until it has logged N events of TYPE
#   modbus_start LOG ARG...  build/peers/modbus_relay on a free loopback
#                      port (PORT) with ARG... after the port (PEER_PID)
#   modbus_start_rtu LOG ARG...  the same on a new pseudo-terminal (PTY)
#   modbus_restart LOG ARG...  again on PORT after it was killed, log appended
#   peer_stop [SIGNAL] end PEER_PID (TERM, or SIGNAL) and wait for it
#   cups_setup         a private cupsd's folder and configuration ($C),
#                      CUPS_SERVER exported to its socket
#   cups_start         start it (CUPS_PID) and wait until it answers
#   cups_kill9         kill -9 it; its backends go to PEER_ORPHANS
# shellcheck shell=bash
# shellcheck disable=SC2034  # SIM_RC, PTY, C, KILLED_AT are for the scripts that source this

MODBUS_PEER="$HG_ROOT/build/peers/modbus_relay"
PEER_PID=""
SIM_PID=""
CUPS_PID=""
PEER_ORPHANS=""
SIM_RC=0

# The station first (kill -9: it holds the relays and must not see a peer
# vanish and start failing over), then cupsd and what it left, then the peer.
peers_stop_all() {
	[ -n "$SIM_PID" ] && kill -9 "$SIM_PID" 2>/dev/null
	[ -n "$CUPS_PID" ] && kill "$CUPS_PID" 2>/dev/null && wait "$CUPS_PID" 2>/dev/null
	local p
	for p in $PEER_ORPHANS; do kill -9 "$p" 2>/dev/null; done
	[ -n "$PEER_PID" ] && kill "$PEER_PID" 2>/dev/null && wait "$PEER_PID" 2>/dev/null
	SIM_PID="" CUPS_PID="" PEER_ORPHANS="" PEER_PID=""
}
trap 'peers_stop_all; t_cleanup' EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

peers_need() {
	local w
	for w in "$@"; do
		case $w in
		*/*) [ -x "$w" ] && continue ;;
		*) command -v "$w" >/dev/null 2>&1 && continue ;;
		esac
		t_fail "$w is there" "no $w (make builds the peers; scripts/deps.sh test installs tools)"
		t_end
		exit 1
	done
}

wait_for() {
	local i n=$(($3 * 20))
	for ((i = 0; i < n; i++)); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

station_make() {
	local dir=$1 sec=hardware a k v ini
	shift
	ini="$dir/station.ini"
	cp "$HG_ROOT/tests/scenarios/station.ini" "$ini" || return 1
	for a in "$@"; do
		case $a in
		\[*\])
			sec=${a#[}
			sec=${sec%]}
			printf '\n%s\n' "$a" >>"$ini"
			;;
		*=*)
			k=${a%%=*} v=${a#*=}
			if [ "$sec" = hardware ] && grep -q "^$k = " "$ini"; then
				awk -v k="$k" -v v="$v" '$1 == k && $2 == "=" { print k " = " v; next } 1' \
					"$ini" >"$ini.new" && mv "$ini.new" "$ini"
			else
				printf '%s = %s\n' "$k" "$v" >>"$ini"
			fi
			;;
		*)
			echo "station_make: '$a' is neither KEY=VALUE nor [SECTION]" >&2
			return 2
			;;
		esac
	done
	"$HG" --config "$ini" init --demo >/dev/null 2>&1
}

events() {
	"$HG" --config "$1/station.ini" --csv events 2>/dev/null | python3 -c '
import csv, sys
for r in csv.DictReader(sys.stdin):
    if r["type"] == sys.argv[1]:
        print(r["load_no"] + "\t" + r["detail"])' "$2"
}

# The station dies with this shell even on kill -9 (pdeathsig), and does not
# hold fd 4 (the printer peer's control FIFO) open.
sim_start() {
	mkfifo "$1/script" || return 1
	setpriv --pdeathsig KILL "$HG" --config "$1/station.ini" simulate --script "$1/script" \
		>"$1/out" 2>"$1/err" 4>&- &
	SIM_PID=$!
	exec 3>"$1/script"
}

sim_end() {
	exec 3>&-
	wait "$SIM_PID"
	SIM_RC=$?
	SIM_PID=""
}

sim_kill9() {
	{
		kill -9 "$SIM_PID"
		KILLED_AT=$(date +%s%N)
		wait "$SIM_PID"
	} 2>/dev/null
	SIM_PID=""
}

sim_until_events() {
	local i
	for ((i = 0; i < $4; i++)); do
		[ "$(events "$1" "$2" | wc -l)" -ge "$3" ] && return 0
		echo 'wait 1s' >&3
		sleep 0.05
	done
	return 1
}

# A port taken at random can be busy: try ten.  The peer holds neither fd 3
# (a station's script FIFO: the station would never see its end) nor fd 4.
modbus_start() {
	local log=$1 try
	shift
	for try in 1 2 3 4 5 6 7 8 9 10; do
		PORT=$((20000 + (RANDOM * 7 + try) % 40000))
		"$MODBUS_PEER" "$PORT" "$@" >"$log" 2>&1 3>&- 4>&- &
		PEER_PID=$!
		for _ in $(seq 50); do
			grep -q ' listening ' "$log" && return 0
			kill -0 "$PEER_PID" 2>/dev/null || break
			sleep 0.05
		done
		peer_stop TERM
	done
	return 1
}

modbus_start_rtu() {
	local log=$1
	shift
	"$MODBUS_PEER" rtu "$@" >"$log" 2>&1 3>&- 4>&- &
	PEER_PID=$!
	wait_for "$log" ' listening rtu /dev/' 3 || return 1
	PTY=$(awk '/ listening rtu /{ print $4; exit }' "$log")
}

# The old port may still be in TIME_WAIT for a moment: five tries, 0.2 s apart.
modbus_restart() {
	local log=$1 was try
	shift
	was=$(grep -c ' listening ' "$log")
	for try in 1 2 3 4 5; do
		"$MODBUS_PEER" "$PORT" "$@" >>"$log" 2>&1 3>&- 4>&- &
		PEER_PID=$!
		for _ in $(seq 50); do
			[ "$(grep -c ' listening ' "$log")" -gt "$was" ] && return 0
			kill -0 "$PEER_PID" 2>/dev/null || break
			sleep 0.05
		done
		wait "$PEER_PID" 2>/dev/null
		PEER_PID=""
		sleep 0.2
	done
	return 1
}

peer_stop() {
	if [ -n "$PEER_PID" ]; then
		kill -"${1:-TERM}" "$PEER_PID" 2>/dev/null
		wait "$PEER_PID" 2>/dev/null
	fi
	PEER_PID=""
}

# One folder for the whole script, not 0700: CUPS's filters and backends run
# as user lp and must reach the spool.
cups_setup() {
	C=$(tmpdir)
	chmod 755 "$T_BASE" "$C"
	mkdir -p "$C"/{spool,tmp,state,cache,log,ppd}
	chmod 755 "$C"/{spool,state,cache,log,ppd}
	chmod 1777 "$C/tmp"
	cat >"$C/cups-files.conf" <<EOF
ServerRoot $C
RequestRoot $C/spool
TempDir $C/tmp
StateDir $C/state
CacheDir $C/cache
AccessLog $C/log/access_log
ErrorLog $C/log/error_log
PageLog $C/log/page_log
SystemGroup root
EOF
	cat >"$C/cupsd.conf" <<EOF
Listen $C/cups.sock
Browsing Off
DefaultAuthType None
WebInterface No
LogLevel info
DirtyCleanInterval 0
<Location />
  Order allow,deny
  Allow all
</Location>
<Policy default>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF
	export CUPS_SERVER="$C/cups.sock"
}

cups_start() {
	# not holding the test's FIFOs open (the station would never see the
	# end of its script); dies with this script even when it is killed
	setpriv --pdeathsig TERM cupsd -f -c "$C/cupsd.conf" -s "$C/cups-files.conf" \
		>>"$C/cupsd.out" 2>&1 3>&- 4>&- &
	CUPS_PID=$!
	for _ in $(seq 300); do
		# lpstat -r says "not running" with status 0: read what it says
		[ "$(lpstat -r 2>/dev/null)" = "scheduler is running" ] && return 0
		kill -0 "$CUPS_PID" 2>/dev/null || break
		sleep 0.01
	done
	return 1
}

# Its backends (children) outlive a kill -9: noted now, killed at the end.
cups_kill9() {
	PEER_ORPHANS="$PEER_ORPHANS $(pgrep -P "$CUPS_PID" | tr '\n' ' ')"
	kill -9 "$CUPS_PID"
	wait "$CUPS_PID" 2>/dev/null
	CUPS_PID=""
}
