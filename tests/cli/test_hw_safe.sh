#!/usr/bin/env bash
# test_hw_safe.sh: `haulgate hw safe`, what systemd runs after the kiosk
# stops however it stopped (systemd/haulgate-kiosk.service, ExecStopPost=).
# Against the real Modbus relay module peer (tests/peers/modbus_relay.c)
# with no watchdog (--coils-only) and both relays left on, as a kiosk killed
# with kill -9 in the middle of a discharge leaves them:
#   - hw safe switches the gate and the valve off and reads them back: the
#     module's own log shows coils 0 and 1 going off;
#   - with the module gone it says so and exits 1 (systemd logs the failure).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"

peers_need "$MODBUS_PEER"

D=$(tmpdir)
modbus_start "$D/peer.log" 8 1000 --coils-only --on 0,1 ||
	{ t_fail "modbus peer" "$(cat "$D/peer.log")"; t_end; exit 1; }
station_make "$D" relay="modbus-tcp:127.0.0.1:$PORT,heartbeat=none"
HW() { expect_exit "$1" "$HG" --config "$D/station.ini" hw "${@:2}"; }

t_begin "hw safe: the gate and the valve left on are switched off and read back off"
if HW 0 safe && grep -q '^gate locked, valve closed (read back)$' <<<"$OUT" &&
	grep -q 'coil 0 off' "$D/peer.log" && grep -q 'coil 1 off' "$D/peer.log"; then
	t_ok
else
	t_fail "" "$OUT $ERR $(cat "$D/peer.log")"
fi

t_begin "hw safe with the module gone: a clear error, exit 1"
peer_stop TERM
if HW 1 safe && grep -qi 'relays\|answer' <<<"$ERR"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_end
