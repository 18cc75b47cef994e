#!/usr/bin/env bash
# test_nfc_pn532.sh: the PN532 emulator (tests/peers/pn532_emu.c) against
# libnfc's own tools.  A pty link in a temp folder plays /dev/ttyUSB0; cards
# are put on and taken off through the emulator's control FIFO.  Checks:
# nfc-list sees 4-, 7- and 10-byte UIDs and nothing when no card is there;
# nfc-poll sees a card placed after it started and notices its removal
# (nfc_initiator_target_is_present); corrupt frames and garbage neither crash
# the emulator nor stop it answering; bad checksums get no answer, a host ACK
# aborts a pending InListPassiveTarget; the reader vanishing (nfc-list finds
# none) and returning (it works again); `corrupt N` spoiling exactly N
# answers; the emulator exits with its parent.
# The emulator is build/peers/pn532_emu (make test builds it) or, when that
# is missing or stale, built here with cc.
. "$(dirname "$0")/lib.sh"

D=$(tmpdir)
EMU="$D/pn532_emu"
EMU_PID=""

stop_emu() {
	if [ -n "$EMU_PID" ]; then
		kill "$EMU_PID" 2>/dev/null
		wait "$EMU_PID" 2>/dev/null
		EMU_PID=""
	fi
}
on_exit() {
	stop_emu
	t_cleanup
}
trap on_exit EXIT

for c in nfc-list nfc-poll python3; do
	if ! command -v "$c" >/dev/null 2>&1; then
		t_fail "tools" "$c is missing: run scripts/deps.sh test"
		t_end
		exit 1
	fi
done

t_begin "the PN532 emulator is built"
# `make test` builds build/peers/pn532_emu; use it when it is up to date (no
# make here: a make with other flags would rewrite build/.flags), else cc
built="$HG_ROOT/build/peers/pn532_emu"
if [ -x "$built" ] && [ "$built" -nt "$HG_ROOT/tests/peers/pn532_emu.c" ]; then
	cp "$built" "$EMU"
fi
if [ -x "$EMU" ] || ${CC:-cc} -std=c11 -Wall -Wextra -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Werror -O2 -o "$EMU" "$HG_ROOT/tests/peers/pn532_emu.c" \
	>"$D/build.log" 2>&1; then
	t_ok
else
	t_fail "" "$(cat "$D/build.log")"
	t_end
	exit 1
fi

LINK="$D/ttyPN532"
CTL="$D/pn532.ctl"
"$EMU" "$LINK" "$CTL" 2>"$D/emu.err" &
EMU_PID=$!
for _ in $(seq 100); do
	[ -L "$LINK" ] && [ -p "$CTL" ] && break
	sleep 0.02
done
t_check "the emulator makes its pty link and control FIFO" test -L "$LINK" -a -p "$CTL"

export LIBNFC_DEFAULT_DEVICE="pn532_uart:$LINK" LIBNFC_LOG_LEVEL=0
card() {	# card on UID | card off
	echo "$*" >"$CTL"
	sleep 0.05
}

t_begin "nfc-list prints a 4-byte UID"
card on 04A1B2C3
if expect_exit 0 timeout 20 nfc-list &&
	grep -q 'UID (NFCID1): 04  a1  b2  c3  $' <<<"$OUT" &&
	grep -q '1 ISO14443A passive target(s) found' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "nfc-list prints a 7-byte UID (double size)"
card on 04112233445566
if expect_exit 0 timeout 20 nfc-list -v &&
	grep -q 'UID (NFCID1): 04  11  22  33  44  55  66  $' <<<"$OUT" &&
	grep -q 'UID size: double' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "nfc-list prints a 10-byte UID"
card on 0411223344556677889A
if expect_exit 0 timeout 20 nfc-list &&
	grep -q 'UID (NFCID1): 04  11  22  33  44  55  66  77  88  9a  $' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "nfc-list finds nothing with no card"
card off
if expect_exit 0 timeout 20 nfc-list && ! grep -q 'UID' <<<"$OUT" &&
	grep -q 'NFC device: .* opened' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT"
fi

# nfc-poll: InAutoPoll pending until the card comes, then
# nfc_initiator_target_is_present until it goes; once per card kind (a
# MIFARE Classic is pinged by a re-select, an Ultralight by a READ)
for uid in 04A1B2C3 04112233445566; do
	t_begin "nfc-poll sees a $(( ${#uid} / 2 ))-byte card placed after it started, and its removal"
	card off
	timeout 20 nfc-poll >"$D/poll.out" 2>&1 &
	poll_pid=$!
	sleep 0.5
	card on "$uid"
	for _ in $(seq 100); do
		grep -q 'Waiting for card removing' "$D/poll.out" && break
		sleep 0.02
	done
	card off
	wait "$poll_pid"
	rc=$?
	want=$(sed 's/../& /g; s/ $//' <<<"$uid" | tr 'A-F' 'a-f' | sed 's/ /  /g')
	if [ "$rc" -eq 0 ] && grep -q "UID (NFCID1): $want" "$D/poll.out" &&
		grep -q 'Target Released' "$D/poll.out" && grep -q 'done\.' "$D/poll.out"; then
		t_ok
	else
		t_fail "" "exit $rc: $(cat "$D/poll.out")"
	fi
done

# raw frames from a host of our own: python3 on the pty link
cat >"$D/host.py" <<'EOF'
import os, sys, termios, tty, select, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_NOCTTY)
tty.setraw(fd)
termios.tcflush(fd, termios.TCIFLUSH)
def frame(data):
    d = bytes([0xd4]) + bytes(data)
    return bytes([0, 0, 0xff, len(d), (-len(d)) & 0xff]) + d + bytes([(-sum(d)) & 0xff, 0])
def read_for(sec):
    out, end = b"", time.time() + sec
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], max(0, end - time.time()))
        if r:
            out += os.read(fd, 512)
    return out
ACK = bytes([0, 0, 0xff, 0, 0xff, 0])
FW = ACK + bytes([0, 0, 0xff, 6, 0xfa, 0xd5, 3, 0x32, 1, 6, 7, 0xe8, 0])
what = sys.argv[2]
if what == "garbage":
    import random
    os.write(fd, random.Random(532).randbytes(4096))                # fixed seed: reproducible
    os.write(fd, bytes([0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 2]))   # bad extended LCS
    os.write(fd, bytes([0, 0, 0xff, 5, 0]))                         # bad LCS, cut short
    os.write(fd, bytes(1100))   # zeros: fill out any frame the garbage began
    read_for(0.3)
    termios.tcflush(fd, termios.TCIFLUSH)
    os.write(fd, bytes([0x55, 0x55] + [0] * 14) + frame([2]))
    sys.exit(0 if read_for(0.3) == FW else 1)
if what == "baddcs":
    f = bytearray(frame([2])); f[-2] ^= 0xff
    os.write(fd, bytes(f))
    sys.exit(0 if read_for(0.3) == b"" else 1)
if what == "abort":
    os.write(fd, frame([0x32, 5, 0xff, 1, 0xff]))   # MaxRetries: infinite
    if read_for(0.2) != ACK + bytes([0, 0, 0xff, 2, 0xfe, 0xd5, 0x33, 0xf8, 0]): sys.exit(2)
    os.write(fd, frame([0x4a, 1, 0]))                # InListPassiveTarget: pending
    if read_for(0.3) != ACK: sys.exit(3)
    os.write(fd, ACK)                                # abort it
    read_for(0.1)
    print("aborted", flush=True)
    with open(sys.argv[3], "w") as ctl:               # only now the card comes
        ctl.write("on 04A1B2C3\n")
    sys.exit(0 if read_for(0.6) == b"" else 4)
EOF

t_begin "random bytes and corrupt frames: the emulator lives and still answers"
card off
if expect_exit 0 timeout 10 python3 "$D/host.py" "$LINK" garbage &&
	kill -0 "$EMU_PID" 2>/dev/null; then
	t_ok
else
	t_fail "" "rc $RC; $(cat "$D/emu.err")"
fi

t_begin "a frame with a bad data checksum gets no answer"
if expect_exit 0 timeout 10 python3 "$D/host.py" "$LINK" baddcs; then
	t_ok
else
	t_fail "" "rc $RC"
fi

t_begin "a host ACK aborts a pending InListPassiveTarget"
# the card comes after the abort (the host puts it on the reader itself, so
# a slow python start cannot make it come early): nothing may be answered
if expect_exit 0 timeout 10 python3 "$D/host.py" "$LINK" abort "$CTL"; then
	t_ok
else
	t_fail "" "rc $RC"
fi
card off

t_begin "nfc-list still works after all that"
card on 04A1B2C3
if expect_exit 0 timeout 20 nfc-list && grep -q 'UID (NFCID1): 04  a1  b2  c3' <<<"$OUT"; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "vanish: the link goes and nfc-list finds no reader; return: it works again"
card on 04A1B2C3
card vanish
gone=0
[ ! -e "$LINK" ] && [ ! -L "$LINK" ] && gone=1
timeout 20 nfc-list >"$D/vanish.out" 2>&1
vanish_rc=$?
card return
for _ in $(seq 100); do
	[ -L "$LINK" ] && break
	sleep 0.02
done
# nfc-list exits 0 even when it cannot open the reader: read what it says
if [ "$gone" = 1 ] && grep -q 'Unable to open NFC device' "$D/vanish.out" &&
	! grep -q 'UID' "$D/vanish.out" &&
	expect_exit 0 timeout 20 nfc-list && grep -q 'UID (NFCID1): 04  a1  b2  c3' <<<"$OUT"; then
	t_ok
else
	t_fail "" "gone=$gone rc=$vanish_rc: $(cat "$D/vanish.out"); then: $OUT"
fi

t_begin "corrupt N spoils the next N answers (bad DCS, bad LCS, garbage), then answers clean"
# a spoiled answer makes libnfc give up that run (its close may use up one
# more): the first run fails, a clean one follows within N+1, no UID is wrong
runs=0
first=ok
wrong=0
card corrupt 3
while [ "$runs" -lt 4 ]; do
	runs=$((runs + 1))
	timeout 20 nfc-list >"$D/corrupt.out" 2>&1
	if grep -q 'UID' "$D/corrupt.out"; then
		grep -q 'UID (NFCID1): 04  a1  b2  c3  $' "$D/corrupt.out" || wrong=1
		break
	fi
	[ "$runs" = 1 ] && first=failed
done
if [ "$first" = failed ] && [ "$wrong" = 0 ] && grep -q 'UID' "$D/corrupt.out"; then
	t_ok
else
	t_fail "" "first run: $first, runs: $runs, wrong UID: $wrong; last: $(cat "$D/corrupt.out")"
fi

t_begin "the emulator exits on SIGTERM and removes its link"
stop_emu
if [ ! -e "$LINK" ]; then t_ok; else t_fail "" "$LINK is still there"; fi

t_begin "the emulator exits when its parent dies"
bash -c '"$1" "$2" "$3" & echo $! >"$4"; sleep 0.3' _ "$EMU" "$D/link2" "$D/ctl2" "$D/pid2"
gone=0
for _ in $(seq 100); do
	if ! kill -0 "$(cat "$D/pid2")" 2>/dev/null; then gone=1; break; fi
	sleep 0.02
done
if [ "$gone" = 1 ] && [ ! -e "$D/link2" ]; then
	t_ok
else
	kill "$(cat "$D/pid2")" 2>/dev/null
	t_fail "" "still running or link left"
fi

t_end
