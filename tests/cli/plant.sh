# plant.sh: the real plant of the sync CLI tests, made, served on loopback
# TLS and stopped in one place; source it after lib.sh, do not run it.
#
# Its EXIT trap stops the server and then calls t_cleanup, so no server
# outlives its test (HUP, INT and TERM exit through the same trap).  A test
# with more to clean sets its own EXIT trap and calls plant_stop and
# t_cleanup from it.
#
# Provides:
#   POTW               the server under test: build/asan/haulgate-potw
#                      unless set before this file is sourced
#   PLANT              the plant's folder (plant_make sets it)
#   PIN VKEY           its TLS key's pin and its signed-note verifier key,
#                      for a station's [sync] pin and plant_key
#   SRV_PID PORT       the running server and its port (plant_serve)
#   pw ARG...          haulgate-potw with the plant's configuration
#   plant_make DIR [NAME]  DIR/potw.ini (listening on a free loopback port,
#                      var/potw.db, keys/), `init`, PIN and VKEY
#   plant_serve        start the server, wait (10 s at most) for its port;
#                      variables set on the call (LD_PRELOAD=... plant_serve)
#                      reach the server; its stdout is $PLANT/serve.out,
#                      its stderr is appended to $PLANT/serve.err
#   plant_stop         stop it (SIGTERM) and wait
#   station_join INI   append [sync] url, pin, plant_key of the served plant
#   plant_station DIR ID INI  a station in DIR (INI's settings, id ID, the
#                      demo roster), joined to the served plant and
#                      registered there as "Gate ID"
# shellcheck shell=bash
# shellcheck disable=SC2034  # PIN, VKEY are for the scripts that source this

POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
PLANT="" PIN="" VKEY="" SRV_PID="" PORT=""

plant_stop() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
	fi
}
trap 'plant_stop; t_cleanup' EXIT
trap 'exit 1' HUP INT TERM

[ -x "$POTW" ] || {
	echo "not ok - no $POTW: make $POTW"
	exit 1
}

pw() {
	"$POTW" --config "$PLANT/potw.ini" "$@"
}

plant_make() {
	PLANT=$1
	mkdir -p "$PLANT"
	cat >"$PLANT/potw.ini" <<EOF2
[server]
listen = 127.0.0.1:0
db = var/potw.db
key = keys/potw.key
threads = 2
name = ${2:-test-plant}
[tls]
cert = keys/tls.crt
key = keys/tls.key
EOF2
	pw init >/dev/null 2>&1
	PIN=$(pw key 2>/dev/null)
	VKEY=$(pw key --note-verifier 2>/dev/null)
}

plant_serve() {
	: >"$PLANT/serve.out"
	"$POTW" --config "$PLANT/potw.ini" serve >"$PLANT/serve.out" 2>>"$PLANT/serve.err" &
	SRV_PID=$!
	PORT=""
	for _ in $(seq 200); do
		PORT=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' \
			"$PLANT/serve.out")
		[ -n "$PORT" ] && break
		sleep 0.05
	done
}

station_join() {
	printf '\n[sync]\nurl = https://127.0.0.1:%s\npin = %s\nplant_key = %s\n' "$PORT" "$PIN" \
		"$VKEY" >>"$1"
}

plant_station() {
	mkdir -p "$1"
	sed "s/^id = .*/id = $2/" "$3" >"$1/station.ini"
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
	station_join "$1/station.ini"
	"$HG" --config "$1/station.ini" keys --public-pem >"$1/station.pem"
	pw station add --id "$2" --name "Gate $2" --key-pem "$1/station.pem" >/dev/null 2>&1
}
