#!/usr/bin/env bash
# test_hw_devices.sh: `haulgate hw ...` against the real peers (the simulated
# devices are tests/cli/test_hw.sh's, the printer's tests/cli/test_printer_cups.sh's):
# a Modbus relay module with a totaliser (tests/peers/modbus_relay.c) and a
# PN532 reader on a pty (tests/peers/pn532_emu.c) through libnfc.
#   - hw check: relays over Modbus, the libnfc reader and the Modbus meter ok;
#     each says FAILED and why once its peer is gone
#   - hw relay valve on: the module's coil comes on, is held, goes off
#   - hw meter: the totaliser the module counts while its valve coil is on
#   - hw read-card: a 7-byte card's UID, its type from SAK, its holder
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"

EMU="$HG_ROOT/build/peers/pn532_emu"
peers_need "$MODBUS_PEER" "$EMU"

D=$(tmpdir)
modbus_start "$D/peer.log" 8 1000 --meter 32:100:1 ||
	{ t_fail "modbus peer" "$(cat "$D/peer.log")"; t_end; exit 1; }

LINK="$D/ttyPN532"
CTL="$D/pn532.ctl"
"$EMU" "$LINK" "$CTL" 2>"$D/emu.err" 3>&- 4>&- &
PEER_ORPHANS="$PEER_ORPHANS $!"
for _ in $(seq 100); do
	[ -L "$LINK" ] && [ -p "$CTL" ] && break
	sleep 0.02
done
export LIBNFC_LOG_LEVEL=0

station_make "$D" relay="modbus-tcp:127.0.0.1:$PORT" nfc="libnfc:pn532_uart:$LINK" \
	meter="modbus-tcp:127.0.0.1:$PORT,register=32,scale=0.1"
HW() { expect_exit "$1" "$HG" --config "$D/station.ini" hw "${@:2}"; }

t_begin "hw check: Modbus relays, the libnfc reader and the Modbus meter are ok"
if HW 0 check && grep -q '^relays .*ok: gate locked, valve closed' <<<"$OUT" &&
	grep -q '^reader .*libnfc:pn532_uart:.* ok' <<<"$OUT" &&
	grep -q '^meter .*ok: totaliser 0.0 gal' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw relay valve on: the module's coil 1 comes on, is held, goes off"
if HW 0 relay valve on --hold 2 && grep -q '^valve open (read back)' <<<"$OUT" &&
	grep -q 'coil 1 on' "$D/peer.log" && grep -q 'coil 1 off' "$D/peer.log" &&
	! grep -q 'watchdog:' "$D/peer.log"; then
	t_ok
else
	t_fail "" "$OUT $ERR $(cat "$D/peer.log")"
fi

t_begin "hw meter: the module counted 10 gal/s while the valve was held open"
if HW 0 meter && gal=$(sed -n 's/^totaliser \([0-9.]*\) gal$/\1/p' <<<"$OUT") &&
	awk -v g="$gal" 'BEGIN { exit !(g >= 15 && g <= 30) }'; then
	t_ok
	echo "# totaliser after a 2 s hold at 10 gal/s: $gal gal"
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw read-card: a 7-byte card, its type from SAK, its holder"
( sleep 0.5; echo "on 04B2C3D4E5F601 0044 00" >"$CTL" ) &
tap=$!
if HW 0 read-card --timeout 10 &&
	grep -q '^card 04b2c3d4e5f601 (MIFARE Ultralight' <<<"$OUT" &&
	grep -q '^roster: hauler card of Ana Torres' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi
wait "$tap"
echo off >"$CTL"

t_begin "hw check with the module gone: relays and meter FAILED, the reader still ok"
peer_stop TERM
if HW 1 check && grep -q '^relays .*FAILED: does not answer' <<<"$OUT" &&
	grep -q '^meter .*FAILED: does not answer' <<<"$OUT" &&
	grep -q '^reader .* ok' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw relay with the module gone: a clear error, exit 1"
if HW 1 relay gate on && grep -q "relays 'modbus-tcp:127.0.0.1:$PORT' does not answer" <<<"$ERR"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw read-card with the reader gone: a clear error, exit 1"
echo quit >"$CTL"
for _ in $(seq 50); do [ -L "$LINK" ] || break; sleep 0.05; done
if HW 1 read-card --timeout 2 && grep -q "card reader 'libnfc:pn532_uart:.*' does not answer" <<<"$ERR"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_end
