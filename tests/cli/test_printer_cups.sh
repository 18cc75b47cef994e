#!/usr/bin/env bash
# test_printer_cups.sh: the CUPS receipt printer (drivers/printer_cups.c)
# against a private cupsd started here, whose raw queue sends jobs to
# build/peers/appsocket (tests/peers/appsocket.c, a LAN receipt printer on
# 127.0.0.1 that keeps each job's bytes).
#
#   1. a whole hauler load with printer = cups:receipt: the ESC/POS bytes that
#      reach the printer are decoded here, in python3, independently of
#      drivers/raster.c (GS v 0 rows are PBM P4's bit layout), into a PNG;
#      zbarimg reads the QR and `haulgate receipt verify` checks its
#      signature against the load; the slip is 576 dots wide with text above
#      the QR; a 58 mm queue (width=384) gives 384-dot slips;
#   2. the queue stopped (cupsdisable): the jobs are given up and cancelled,
#      print_failed is logged with "later":true, the printer message shown,
#      the load committed; enabling the queue again prints nothing old;
#   3. the printer stalls (out of paper) and cupsd is killed with -9 mid-job:
#      given up, logged, message shown;
#   4. no cupsd at all: print() fails at once, the loads still complete;
#   5. recovery: cupsd started again, the same station prints its next load;
#   6. the printer refuses connections (switched off): the job is given up
#      when its timeout (timeout=2) runs out.
# The station is fed through a FIFO where it must stay alive between steps:
# `wait` in a scenario moves the scenario's clock, not the real one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
SCN="$HG_ROOT/tests/scenarios"
PEER="$HG_ROOT/build/peers/appsocket"

peers_need cupsd lpadmin lpstat cupsenable cupsdisable zbarimg python3 setpriv "$PEER"

# ---- the private cupsd ----
cups_setup

# ---- the printer: jobs in $P/jobs, control lines into the FIFO $P/ctl ----
P=$(tmpdir)
chmod 755 "$P"
mkdir "$P/jobs"
mkfifo "$P/ctl"
"$PEER" "$P/jobs" 0 <"$P/ctl" >"$P/log" 2>&1 &
PEER_PID=$!
exec 4>"$P/ctl"		# held open: the peer's stdin stays open
peer_mode() {
	local before
	before=$(grep -c '^mode ' "$P/log")
	echo "$1" >&4
	for _ in $(seq 100); do
		[ "$(grep -c '^mode ' "$P/log")" -gt "$before" ] && return 0
		sleep 0.02
	done
	return 1
}
jobs_done() { grep -c '^job ' "$P/log"; }
# wait_jobs N SECONDS: until the printer has N jobs
wait_jobs() {
	local i
	for ((i = 0; i < $2 * 20; i++)); do
		[ "$(jobs_done)" -ge "$1" ] && return 0
		sleep 0.05
	done
	return 1
}

t_begin "the printer peer listens on a loopback port"
if wait_for "$P/log" '^listening 127\.0\.0\.1:[0-9]+$' 5; then
	PORT=$(awk -F: '/^listening/{ print $2; exit }' "$P/log")
	t_ok
else
	t_fail "" "$(cat "$P/log")"
fi

t_begin "a private cupsd starts on its own socket"
if cups_start; then t_ok; else t_fail "" "$(cat "$C/cupsd.out" "$C/log/error_log" 2>/dev/null)"; fi

t_begin "a raw queue to the printer peer (lpadmin, no driver)"
if lpadmin -p receipt -E -v "socket://127.0.0.1:$PORT" &&
   lpadmin -p receipt58 -E -v "socket://127.0.0.1:$PORT"; then t_ok; else t_fail; fi

# decode.py JOB PNG: the GS v 0 bands of an ESC/POS job stacked into one
# image, written as PNG; prints "W H LINES CUT": LINES = runs of inked rows
# (text lines and the QR), CUT = 1 when the job ends with a cut (GS V).
cat >"$C/decode.py" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
rows, width, i, last = [], None, 0, 0
while i < len(data):
    if data[i:i + 3] == b"\x1dv0" and i + 8 <= len(data):
        xb = data[i + 4] | data[i + 5] << 8
        h = data[i + 6] | data[i + 7] << 8
        body = data[i + 8:i + 8 + xb * h]
        if len(body) != xb * h:
            sys.exit("band cut short at byte %d" % i)
        if width not in (None, xb * 8):
            sys.exit("bands of different widths")
        width = xb * 8
        rows += [body[r * xb:(r + 1) * xb] for r in range(h)]
        i += 8 + xb * h
        last = i
    else:
        i += 1
if not rows:
    sys.exit("no GS v 0 band")
cut = 1 if b"\x1dV" in data[last:] else 0
# PBM P4 bits (MSB first, 1 = black) to 8-bit grey, black = 0
raw = b"".join(b"\x00" + bytes(0 if (r[x >> 3] >> (7 - (x & 7))) & 1 else 255
                                for x in range(width)) for r in rows)
def chunk(t, d):
    return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d) & 0xffffffff)
png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, len(rows), 8, 0, 0, 0, 0))
png += chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")
open(sys.argv[2], "wb").write(png)
lines, inked = 0, False
for r in rows:
    ink = any(r)
    lines += ink and not inked
    inked = ink
print(width, len(rows), lines, cut)
EOF

# station DIR PRINTER: a fresh demo station in DIR printing to PRINTER
station() { station_make "$1" printer="$2"; }

# the first load of hauler_first_load.scn, up to its receipt
first_load() { sed -n '1,/^expect screen done/p' "$SCN/hauler_first_load.scn"; }

# ---- 1. a whole load, the receipt read back ----
d=$(tmpdir)
station "$d" "cups:receipt"
before=$(jobs_done)
t_begin "whole scenario hauler_first_load with printer = cups:receipt"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "the printer received the label and two receipts"
if wait_jobs $((before + 3)) 10; then t_ok; else t_fail "" "$(cat "$P/log"; tail -5 "$C/log/error_log")"; fi

t_begin "cupsd completed the three jobs"
n=$(lpstat -W completed -o receipt 2>/dev/null | wc -l)
if [ "$n" -ge 3 ]; then t_ok; else t_fail "" "$(lpstat -W all -o)"; fi

job_file() { awk -v n="$1" '$1 == "job" && $2 == n { print $5 }' "$P/log"; }
receipt1=$(job_file $((before + 2)))	# label, receipt of load 1, receipt of load 2
receipt2=$(job_file $((before + 3)))

t_begin "the first receipt decodes as ESC/POS raster: 576 dots wide, cut at the end"
read -r w h lines cut < <(python3 "$C/decode.py" "$receipt1" "$d/r1.png" 2>"$d/dec.err")
if [ "$w" = 576 ] && [ "$cut" = 1 ] && [ "${h:-0}" -gt 200 ]; then
	t_ok
	echo "# receipt 1: ${w}x${h} dots, $lines inked bands"
else
	t_fail "" "w=$w h=$h cut=$cut $(cat "$d/dec.err")"
fi

t_begin "the receipt has its lines of text above the QR (at least 12 inked bands)"
if [ "${lines:-0}" -ge 12 ]; then t_ok; else t_fail "" "$lines bands"; fi

t_begin "zbarimg reads the QR off the decoded receipt"
qr=$(zbarimg --nodbus -q --raw "$d/r1.png" 2>&1)
if [ -n "$qr" ] && [ "$(printf '%s\n' "$qr" | wc -l)" = 1 ]; then t_ok; else t_fail "" "$qr"; fi

t_begin "receipt verify: the QR is genuine and matches load 1 of record"
if expect_exit 0 "$HG" --config "$d/station.ini" receipt verify "$qr" &&
   printf '%s' "$OUT" | grep -q '^genuine: station test-01, load 1,' &&
   printf '%s' "$OUT" | grep -q 'matches load 1 of record'; then t_ok; else t_fail "" "$OUT"; fi

t_begin "the second receipt's QR is load 2's"
python3 "$C/decode.py" "$receipt2" "$d/r2.png" >/dev/null 2>&1
qr2=$(zbarimg --nodbus -q --raw "$d/r2.png" 2>&1)
if expect_exit 0 "$HG" --config "$d/station.ini" receipt verify "$qr2" &&
   printf '%s' "$OUT" | grep -q 'matches load 2 of record'; then t_ok; else t_fail "" "$qr2 $OUT"; fi

t_begin "a changed QR text is not genuine (the check can fail)"
if expect_exit 1 "$HG" --config "$d/station.ini" receipt verify "${qr/test-01/test-02}"; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "three printed events, no print_failed"
if [ "$(events "$d" printed | wc -l)" = 3 ] && [ -z "$(events "$d" print_failed)" ]; then
	t_ok
else
	t_fail "" "$(events "$d" printed; events "$d" print_failed)"
fi

d=$(tmpdir)
station "$d" "cups:receipt58,width=384"
before=$(jobs_done)
t_begin "a 58 mm queue (width=384): the receipt is 384 dots wide and its QR reads"
if expect_exit 0 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   wait_jobs $((before + 3)) 10; then
	read -r w h lines cut < <(python3 "$C/decode.py" "$(job_file $((before + 2)))" "$d/r.png")
	qr=$(zbarimg --nodbus -q --raw "$d/r.png" 2>&1)
	if [ "$w" = 384 ] && "$HG" --config "$d/station.ini" receipt verify "$qr" >/dev/null; then
		t_ok
	else
		t_fail "" "w=$w qr=$qr"
	fi
else
	t_fail "" "$ERR"
fi

# ---- the hw commands on the CUPS printer ----
dh=$(tmpdir)
station "$dh" "cups:receipt"
before=$(jobs_done)
"$HG" --config "$dh/station.ini" simulate --script "$SCN/hauler_first_load.scn" >/dev/null 2>&1
wait_jobs $((before + 3)) 10

t_begin "hw check: the printer line asks cupsd and says the queue is ready"
if expect_exit 0 "$HG" --config "$dh/station.ini" hw check &&
   printf '%s\n' "$OUT" | grep -q '^printer .*ok: queue receipt ready, 576 dots wide (80 mm paper)'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw print-test: waits until cupsd completed it; the page's QR reads"
before=$(jobs_done)
if expect_exit 0 "$HG" --config "$dh/station.ini" hw print-test && wait_jobs $((before + 1)) 10 &&
   python3 "$C/decode.py" "$(job_file $((before + 1)))" "$dh/test.png" >/dev/null 2>&1 &&
   zbarimg --nodbus -q --raw "$dh/test.png" 2>&1 | grep -q '?test=test-01&t='; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "hw reprint 1: load 1's receipt again; its QR matches load 1 of record"
before=$(jobs_done)
if expect_exit 0 "$HG" --config "$dh/station.ini" hw reprint 1 && wait_jobs $((before + 1)) 10 &&
   python3 "$C/decode.py" "$(job_file $((before + 1)))" "$dh/copy.png" >/dev/null 2>&1 &&
   qr=$(zbarimg --nodbus -q --raw "$dh/copy.png" 2>&1) &&
   expect_exit 0 "$HG" --config "$dh/station.ini" receipt verify "$qr" &&
   printf '%s' "$OUT" | grep -q 'matches load 1 of record'; then
	t_ok
else
	t_fail "" "$OUT $ERR $qr"
fi

# ---- 2. the queue stopped ----
cupsdisable receipt

t_begin "queue stopped: hw check says so, hw print-test says it was not printed"
if expect_exit 1 "$HG" --config "$dh/station.ini" hw check &&
   printf '%s\n' "$OUT" | grep -q "^printer .*FAILED: the print queue 'receipt' is stopped" &&
   expect_exit 1 "$HG" --config "$dh/station.ini" hw print-test &&
   printf '%s' "$ERR" | grep -q "not printed: .*stopped"; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi
d=$(tmpdir)
station "$d" "cups:receipt"
sim_start "$d"
first_load >&3
before=$(jobs_done)

t_begin "queue stopped: both jobs given up, logged as print_failed later"
sim_until_events "$d" print_failed 2 100
echo 'expect message fault_printer' >&3
sim_end
rc=$SIM_RC
failed=$(events "$d" print_failed)
if [ "$rc" = 0 ] && [ "$(printf '%s\n' "$failed" | grep -c '"later":true')" = 2 ] &&
   printf '%s\n' "$failed" | grep -q $'^1\t.*"kind":"receipt".*stopped' &&
   printf '%s\n' "$failed" | grep -q $'^1\t.*"kind":"label"'; then
	t_ok
	printf '%s\n' "$failed" | sed 's/^/# /'
else
	t_fail "" "exit $rc: $(cat "$d/err") $failed"
fi

t_begin "queue stopped: the printer message was shown (expect message fault_printer)"
if [ "$rc" = 0 ] && grep -q '"message".*fault_printer' "$d/out"; then t_ok; else t_fail; fi

t_begin "queue stopped: the load is committed all the same"
if "$HG" --config "$d/station.ini" --csv loads | grep -q '^1,'; then t_ok; else t_fail; fi

t_begin "queue enabled again: the cancelled jobs do not print by themselves"
cupsenable receipt
sleep 1.5
if [ "$(jobs_done)" = "$before" ] && [ -z "$(lpstat -o receipt)" ]; then
	t_ok
else
	t_fail "" "$(tail -3 "$P/log"; lpstat -o)"
fi

# ---- 3. the printer stalls, cupsd killed mid-job ----
peer_mode stall
d=$(tmpdir)
station "$d" "cups:receipt"
conns=$(grep -c '^connection ' "$P/log")
sim_start "$d"
first_load >&3

t_begin "printer stalled: the label's job stays processing, the printer connected"
for _ in $(seq 100); do
	lpstat -o receipt | grep -q . && grep -q '"kind":"receipt"' "$d/out" && break
	sleep 0.05
done
if wait_for "$P/log" "^connection $((conns + 1))\$" 5 && lpstat -p receipt | grep -q 'now printing'; then
	t_ok
else
	t_fail "" "$(lpstat -p receipt; lpstat -o; tail -3 "$P/log")"
fi

cups_kill9
t_begin "cupsd killed with -9 mid-job: both jobs given up, logged"
sim_until_events "$d" print_failed 2 100
echo 'expect message fault_printer' >&3	# checked by the scenario: its exit status, below
failed=$(events "$d" print_failed)
if [ "$(printf '%s\n' "$failed" | grep -c 'cupsd.*"later":true')" = 2 ]; then
	t_ok
	printf '%s\n' "$failed" | sed 's/^/# /'
else
	t_fail "" "$(cat "$d/err") $failed"
fi

# ---- 4. no cupsd at all ----
d4=$(tmpdir)
station "$d4" "cups:receipt"
t_begin "no cupsd: the whole scenario runs, each print fails at once, the loads are kept"
if expect_exit 0 "$HG" --config "$d4/station.ini" simulate \
	--script <(grep -v '^expect printed' "$SCN/hauler_first_load.scn"); then
	nerr=$(printf '%s\n' "$OUT" | grep -c '"action":"print".*"error":-3')
	nmsg=$(printf '%s\n' "$OUT" | grep -c '"message".*fault_printer')
	nload=$("$HG" --config "$d4/station.ini" --csv loads | tail -n +2 | wc -l)
	nfail=$(events "$d4" print_failed | grep -vc later)
	if [ "$nerr" = 3 ] && [ "$nmsg" -ge 3 ] && [ "$nload" = 2 ] && [ "$nfail" = 3 ]; then
		t_ok
	else
		t_fail "" "errors $nerr messages $nmsg loads $nload print_failed $nfail"
	fi
else
	t_fail "" "$ERR"
fi

# ---- 5. recovery: cupsd back, the same station prints its next load ----
# The printer is still off (refusing) when cupsd comes back, so a job cupsd
# restores from its spool cannot slip out before the station's cancel.
for p in $PEER_ORPHANS; do kill -9 "$p" 2>/dev/null; done	# as a service manager would
peer_mode refuse
t_begin "cupsd started again"
if cups_start; then t_ok; else t_fail "" "$(tail -5 "$C/cupsd.out")"; fi
t_begin "cupsd back: the station cancels load 1's jobs that cupsd restored"
for _ in $(seq 60); do
	[ -z "$(lpstat -o receipt)" ] && break
	sleep 0.05
done
if [ -z "$(lpstat -o receipt)" ]; then
	t_ok
	grep -E 'Job [0-9]+\] (Canceled|Loading|Job canceled)' "$C/log/error_log" | tail -3 | sed 's/^/# /'
else
	t_fail "" "$(lpstat -o)"
fi
peer_mode serve
before=$(jobs_done)
sed -n '/^# second load/,$p' "$SCN/hauler_first_load.scn" >&3
t_begin "recovery: the next load's receipt prints and its QR is load 2's"
if wait_jobs $((before + 1)) 10; then
	python3 "$C/decode.py" "$(job_file $((before + 1)))" "$d/r.png" >/dev/null 2>&1
	qr=$(zbarimg --nodbus -q --raw "$d/r.png" 2>&1)
	if "$HG" --config "$d/station.ini" receipt verify "$qr" | grep -q 'matches load 2 of record'; then
		t_ok
	else
		t_fail "" "$qr"
	fi
else
	t_fail "" "$(tail -5 "$P/log"; lpstat -o; tail -5 "$C/log/error_log")"
fi
sim_end
rc=$SIM_RC
t_begin "recovery: the scenario ends well"
if [ "$rc" = 0 ]; then t_ok; else t_fail "" "$(cat "$d/err")"; fi

t_begin "recovery: load 1's jobs, given up while cupsd was down, never printed"
sleep 0.5
old=0
for f in $(awk '$1 == "job" { print $5 }' "$P/log"); do
	python3 "$C/decode.py" "$f" "$d/x.png" >/dev/null 2>&1 || continue
	q=$(zbarimg --nodbus -q --raw "$d/x.png" 2>/dev/null) || continue
	if "$HG" --config "$d/station.ini" receipt verify "$q" 2>/dev/null | grep -q 'matches load 1 of'; then
		old=$((old + 1))
	fi
done
if [ "$old" = 0 ] && [ -z "$(lpstat -o receipt)" ]; then t_ok; else t_fail "" "$old printed; $(lpstat -o)"; fi

# ---- 6. the printer refuses connections: the timeout gives the job up ----
peer_mode refuse
d=$(tmpdir)
station "$d" "cups:receipt,timeout=2"
sim_start "$d"
first_load >&3
t_begin "printer refusing connections: given up after timeout=2, cancelled"
sim_until_events "$d" print_failed 2 160
sim_end
rc=$SIM_RC
failed=$(events "$d" print_failed)
if [ "$rc" = 0 ] && [ "$(printf '%s\n' "$failed" | grep -c 'not printed within 2 s')" = 2 ] &&
   [ -z "$(lpstat -o receipt)" ]; then
	t_ok
	printf '%s\n' "$failed" | sed 's/^/# /'
else
	t_fail "" "exit $rc: $(cat "$d/err") $failed $(lpstat -o)"
fi
peer_mode serve

t_begin "a bad printer value is refused with the value named"
d=$(tmpdir)
station "$d" "cups:receipt,width=500"
if expect_exit 1 "$HG" --config "$d/station.ini" simulate --script "$SCN/hauler_first_load.scn" &&
   printf '%s' "$ERR" | grep -q "cups:receipt,width=500"; then t_ok; else t_fail "" "$ERR"; fi

exec 4>&-
peers_stop_all
t_end
