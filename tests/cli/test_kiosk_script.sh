#!/usr/bin/env bash
# test_kiosk_script.sh: build/haulgate-kiosk --script, with no display.
#
# Each kiosk script in tests/kiosk/*.kscn runs on a fresh demo station with
# SDL's offscreen video driver and the software renderer: taps, presses,
# typing on the on-screen keyboard and card taps go in as SDL events through
# the same handlers a finger uses.  Then what they left is checked: the exit
# status, the relays, the records (`haulgate loads`, `rv-visits`, `verify`)
# and the snapshots (PNG, of the window's size).  Then the runner's own
# failures (exit 1 and 2, naming the line), another window size, and the
# live kiosk: a card through the reader's FIFO, SIGTERM, relays left safe.
. "$(dirname "$0")/lib.sh"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
AKIOSK="$HG_ROOT/build/asan/haulgate-kiosk"
KS="$HG_ROOT/tests/kiosk"
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
unset HAULGATE_FONT_DIR

# station DIR: a fresh demo station in DIR, with the scenarios' config and
# the card reader's FIFO inside DIR.  `init --demo` runs once (it hashes the
# demo PINs: half a second); each station is a copy of that one.
TEMPLATE=$(tmpdir)
cp "$HG_ROOT/tests/scenarios/station.ini" "$TEMPLATE/station.ini"
printf 'nfc = sim:var/nfc\n' >> "$TEMPLATE/station.ini"	# [hardware] is the last section
"$HG" --config "$TEMPLATE/station.ini" init --demo >/dev/null 2>&1
station() {
	cp -R "$TEMPLATE/." "$1/"
}

# kiosk DIR ARGS...: the kiosk on the station in DIR, 1280x800
kiosk() {
	local d=$1
	shift
	expect_exit "${WANT:-0}" "$KIOSK" --config "$d/station.ini" --windowed 1280x800 "$@"
}

# relays_safe DIR: the simulated relays read gate locked, valve closed
relays_safe() {
	grep -qx 'gate=locked' "$1/var/relays" && grep -qx 'valve=closed' "$1/var/relays"
}

# png_size FILE: "WxH" of a PNG
png_size() {
	identify -format '%wx%h' "$1" 2>/dev/null
}

if [ ! -x "$KIOSK" ]; then
	t_fail "kiosk built" "$KIOSK is missing: make build/haulgate-kiosk"
	t_end
	exit 1
fi

# ---- every kiosk script, on its own station ----
for f in "$KS"/*.kscn; do
	name=$(basename "$f" .kscn)
	d=$(tmpdir)
	station "$d"
	eval "dir_$name=\$d"
	if kiosk "$d" --script "$f" --snap-dir "$d/snaps"; then
		t_ok "kiosk script $name"
	else
		t_fail "kiosk script $name" "$ERR"
	fi
	if relays_safe "$d" && expect_exit 0 "$HG" --config "$d/station.ini" verify; then
		t_ok "kiosk script $name: relays safe, chain verifies"
	else
		t_fail "kiosk script $name: relays safe, chain verifies" "$(cat "$d/var/relays") $OUT $ERR"
	fi
done

t_begin "the hauler's load is recorded as sampled with the bottle typed on the keyboard"
d=$dir_hauler_load
if expect_exit 0 "$HG" --config "$d/station.ini" loads --csv &&
   printf '%s\n' "$OUT" | grep -q '^1,.*,septage,2500,sample-hold,sample_first_load,yes,B-0001,'; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "the source typed on the keyboard is in the record, capitals and comma included"
rec=$(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no=1")
if printf '%s' "$rec" | grep -q 'Miller residence' &&
   printf '%s' "$rec" | grep -q '12 Oak St, Springfield' &&
   printf '%s' "$rec" | grep -q 'Dana Ruiz'; then t_ok; else t_fail "" "$rec"; fi

t_begin "a source's town: a button (hauler_load), or another town typed on the keyboard (refused_es)"
t1=$(sqlite3 "$dir_hauler_load/haulgate.db" "SELECT town FROM load_sources WHERE load_no=1")
t2=$(sqlite3 "$dir_refused_es/haulgate.db" "SELECT town FROM load_sources WHERE load_no=1")
if [ "$t1" = Springfield ] && [ "$t2" = Shelbyville ]; then t_ok; else t_fail "" "$t1 / $t2"; fi

t_begin "the valve opened once, the receipt was printed"
if [ "$(grep -c 'valve=open' "$d/var/relays.log")" = 1 ] &&
   [ -f "$d/var/receipts/load-000001-receipt.txt" ]; then
	t_ok
else
	t_fail "" "$(cat "$d/var/relays.log")"
fi

t_begin "the snaps are PNGs of the window's size"
bad=""
n=0
for p in "$d"/snaps/*.png; do
	n=$((n + 1))
	[ "$(png_size "$p")" = 1280x800 ] || bad="$bad $(basename "$p"):$(png_size "$p")"
done
if [ "$n" -ge 10 ] && [ -z "$bad" ]; then t_ok; else t_fail "" "n=$n bad:$bad"; fi

t_begin "two snaps of different screens differ"
if ! cmp -s "$d/snaps/start.png" "$d/snaps/pin.png"; then t_ok; else t_fail; fi

t_begin "the Spanish load with accents typed on the keyboard is refused for RCRA"
d=$dir_refused_es
rec=$(sqlite3 "$d/haulgate.db" "SELECT record FROM loads WHERE load_no=1")
if expect_exit 0 "$HG" --config "$d/station.ini" loads --csv &&
   printf '%s\n' "$OUT" | grep -q '^1,.*,grease,1200,refused,rcra_hazardous,' &&
   printf '%s' "$rec" | grep -q 'Taquería El Sol' &&
   [ -f "$d/var/receipts/load-000001-refusal.txt" ] &&
   ! grep -q 'unlocked' "$d/var/relays.log"; then
	t_ok
else
	t_fail "" "$OUT $(ls "$d/var/receipts")"
fi

t_begin "the timed-out entry left no load and the gate never unlocked"
d=$dir_timeout
if expect_exit 0 "$HG" --config "$d/station.ini" loads --csv &&
   [ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] && ! grep -q 'unlocked' "$d/var/relays.log" &&
   "$HG" --config "$d/station.ini" events --csv | grep -q 'entry_discarded'; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "the RV visit is recorded with what was typed on the keyboard"
d=$dir_rv_visit
if expect_exit 0 "$HG" --config "$d/station.ini" rv-visits --csv &&
   printf '%s\n' "$OUT" | grep -q '^1,.*,Lee Walker,7ABC123,CO,en,yes,' &&
   [ "$(grep -c 'gate=unlocked' "$d/var/relays.log")" = 1 ]; then
	t_ok
else
	t_fail "" "$OUT"
fi

# ---- the runner's own failures ----
d=$(tmpdir)
station "$d"

t_begin "a failed expect exits 1 and names its line"
printf 'clock 2026-11-23T09:00:00\ncard 04a1b2c3\nexpect screen truck\n' > "$d/x.kscn"
if WANT=1 kiosk "$d" --script "$d/x.kscn" &&
   printf '%s' "$ERR" | grep -q 'line 3: expected screen truck, got pin'; then t_ok; else t_fail "" "$ERR"; fi

t_begin "pressing a button that is not on the screen exits 1 and names it"
printf 'clock 2026-11-23T09:00:00\npress truck_1\n' > "$d/y.kscn"
if WANT=1 kiosk "$d" --script "$d/y.kscn" &&
   printf '%s' "$ERR" | grep -q "line 2: no button 'truck_1' on screen 'start'"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "an unknown command exits 2 and names its line"
printf 'clock 2026-11-23T09:00:00\nfly away\n' > "$d/z.kscn"
if WANT=2 kiosk "$d" --script "$d/z.kscn" && printf '%s' "$ERR" | grep -q 'line 2'; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "a malformed card UID and a bad tap are syntax errors"
printf 'card 04a1b2\n' > "$d/u.kscn"
printf 'tap 10 ten\n' > "$d/v.kscn"
if WANT=2 kiosk "$d" --script "$d/u.kscn" && printf '%s' "$ERR" | grep -q 'not a card UID' &&
   WANT=2 kiosk "$d" --script "$d/v.kscn"; then t_ok; else t_fail "" "$ERR"; fi

# ---- typos and edges of the script itself (as in `haulgate simulate`) ----
t_begin "a button or field no screen has exits 2 and names its line"
printf 'clock 2026-11-23T09:00:00\npress nosuch\n' > "$d/b.kscn"
printf 'clock 2026-11-23T09:00:00\npress rv\nfield nosuch x\n' > "$d/f.kscn"
if WANT=2 kiosk "$d" --script "$d/b.kscn" && grep -q "line 2: no button 'nosuch'" <<<"$ERR" &&
   WANT=2 kiosk "$d" --script "$d/f.kscn" && grep -q "line 3: no field 'nosuch'" <<<"$ERR"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "a snap whose file cannot be written (a full disk, a folder) fails the script"
mkdir -p "$d/adir"
printf 'clock 2026-11-23T09:00:00\nsnap adir\n' > "$d/sd.kscn"
printf 'clock 2026-11-23T09:00:00\nsnap /dev/full\n' > "$d/sf.kscn"
if WANT=1 kiosk "$d" --script "$d/sd.kscn" && grep -q "line 2: cannot save" <<<"$ERR" &&
   { [ ! -w /dev/full ] ||
     { WANT=1 kiosk "$d" --script "$d/sf.kscn" &&
       grep -q "line 2: cannot save '/dev/full': No space left on device" <<<"$ERR"; }; }; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "fonts that cannot be opened stop the kiosk at start, saying which file"
printf 'clock 2026-11-23T09:00:00\n' > "$d/nf.kscn"
if HAULGATE_FONT_DIR="$d/nofonts" WANT=1 kiosk "$d" --script "$d/nf.kscn" &&
   grep -q "^error: cannot open font '$d/nofonts/DejaVuSans.ttf': .*(install fonts-dejavu-core or set HAULGATE_FONT_DIR)" <<<"$ERR"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "a UTF-8 byte-order mark at the start of a script is skipped"
printf '\xef\xbb\xbfclock 2026-11-23T09:00:00\nexpect screen start\n' > "$d/bom.kscn"
if kiosk "$d" --script "$d/bom.kscn"; then t_ok; else t_fail "" "$ERR"; fi

# longline N WORD: a `field WORD xxx…` line of exactly N bytes, no line end
longline() {
	local head="field $2 "
	printf '%s' "$head"
	head -c $(($1 - ${#head})) /dev/zero | tr '\0' x
}

t_begin "a last line of exactly 8,191 bytes runs (with or without a line end); 8,192 is refused"
ok=1
for end in '\n' ''; do
	{ printf 'clock 2026-11-23T09:00:00\npress rv\n'; longline 8191 rv_name; printf "$end"; } > "$d/l.kscn"
	kiosk "$d" --script "$d/l.kscn" || ok=0
	# the same line with an unknown field: read whole, it names the field
	{ printf 'clock 2026-11-23T09:00:00\npress rv\n'; longline 8191 rv_nam; printf "$end"; } > "$d/l.kscn"
	{ WANT=2 kiosk "$d" --script "$d/l.kscn" && grep -q "line 3: no field 'rv_nam'" <<<"$ERR"; } || ok=0
done
{ printf 'clock 2026-11-23T09:00:00\npress rv\n'; longline 8192 rv_name; } > "$d/l.kscn"
{ WANT=2 kiosk "$d" --script "$d/l.kscn" && grep -q 'line 3: longer than 8191 bytes' <<<"$ERR"; } || ok=0
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "a clock before 1970 or after 9999 (UTC) is a syntax error"
ok=1
for t in 1969-12-31T23:59:59Z 9999-12-31T23:59:59-07:00; do
	printf 'clock %s\n' "$t" > "$d/c.kscn"
	{ WANT=2 kiosk "$d" --script "$d/c.kscn" && grep -q "line 1: '$t' is not an ISO time" <<<"$ERR"; } ||
		ok=0
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "a missing script exits 2, a wrong option 2, a missing database 1"
if WANT=2 kiosk "$d" --script "$d/none.kscn" &&
   expect_exit 2 "$KIOSK" --bogus && expect_exit 2 "$KIOSK" --windowed 12x9 &&
   expect_exit 1 "$KIOSK" --config "$d/station.ini" --db "$d/none.db" --script "$d/x.kscn" &&
   printf '%s' "$ERR" | grep -q "no database"; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "a tap where no button is does nothing; a character no key has arrives as text"
printf '%s\n' 'clock 2026-11-23T09:00:00' 'tap 640 300' 'expect screen start' \
	'card 04a1b2c3' 'type "12€34"' 'expect message input_number' 'press ok' \
	'expect screen truck' > "$d/w.kscn"
if kiosk "$d" --script "$d/w.kscn"; then t_ok; else t_fail "" "$ERR"; fi

t_begin "the kiosk feeds the monotonic clock: the wall clock set forward an hour leaves the RV gate its 15 minutes"
d2=$(tmpdir)
station "$d2"
printf '%s\n' 'clock 2026-11-23T11:00:00' 'press rv' 'type Lee' 'press focus_rv_plate' \
	'type 7ABC123' 'press focus_rv_state' 'type CO' 'press next' 'press accept' \
	'press declare_yes' 'expect screen rv_dump' 'wait 5m' 'wallclock +1h' \
	'expect screen rv_dump' 'expect relay gate unlocked' 'wait 9m' 'wait 59s' \
	'expect screen rv_dump' 'wait 1s' 'expect screen rv_done' 'expect relay gate locked' \
	> "$d2/c.kscn"
if kiosk "$d2" --script "$d2/c.kscn" &&
   "$HG" --config "$d2/station.ini" events --csv | grep -q 'clock_stepped,.*""step"":3600'; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "the keyboard's backspace edits the focused field"
d1=$(tmpdir)
station "$d1"
printf '%s\n' 'clock 2026-11-23T11:00:00' 'press rv' 'type "Lee Walkerr"' 'press backspace' \
	'press focus_rv_plate' 'type 7ABC1234' 'press backspace' 'press focus_rv_state' \
	'type CO' 'press next' 'press accept' 'press declare_yes' 'expect screen rv_dump' \
	'press done' > "$d1/b.kscn"
if kiosk "$d1" --script "$d1/b.kscn" &&
   sqlite3 "$d1/haulgate.db" "SELECT name || '|' || plate FROM rv_visits" 2>&1 |
	grep -qx 'Lee Walker|7ABC123'; then
	t_ok
else
	t_fail "" "$ERR $(sqlite3 "$d1/haulgate.db" 'SELECT * FROM rv_visits' 2>&1)"
fi

t_begin "other window sizes: 800x480 and portrait 800x1280 snap at their size"
printf '%s\n' 'clock 2026-11-23T09:00:00' 'card 04a1b2c3' 'type 1234' 'press ok' \
	'press truck_1' 'press waste_septage' 'press new_source' 'snap small.png' > "$d/s.kscn"
if expect_exit 0 "$KIOSK" --config "$d/station.ini" --windowed 800x480 --script "$d/s.kscn" \
	--snap-dir "$d/s1" && [ "$(png_size "$d/s1/small.png")" = 800x480 ] &&
   expect_exit 0 "$KIOSK" --config "$d/station.ini" --windowed 800x1280 --script "$d/s.kscn" \
	--snap-dir "$d/s2" && [ "$(png_size "$d/s2/small.png")" = 800x1280 ]; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "snaps are the same pixels every run (software renderer)"
printf '%s\n' 'clock 2026-11-23T09:00:00' 'press rv' 'type "Lee Walker"' 'snap a.png' > "$d/g.kscn"
d1=$(tmpdir)
d2=$(tmpdir)
station "$d1"
station "$d2"
if kiosk "$d1" --script "$d/g.kscn" --snap-dir "$d1/p" && kiosk "$d2" --script "$d/g.kscn" \
	--snap-dir "$d2/p" && compare -metric AE "$d1/p/a.png" "$d2/p/a.png" null: 2>"$d1/ae" &&
   [ "$(cat "$d1/ae")" = 0 ]; then
	t_ok
else
	t_fail "" "$ERR $(cat "$d1/ae" 2>/dev/null)"
fi

# ---- live: the reader thread, SIGTERM, the fail-safe ----
t_begin "live kiosk: a card through the reader's FIFO is read, SIGTERM leaves the relays safe"
d=$(tmpdir)
station "$d"
"$KIOSK" --config "$d/station.ini" --windowed 1280x800 >"$d/out" 2>"$d/err" &
pid=$!
for _ in $(seq 50); do [ -p "$d/var/nfc" ] && break; sleep 0.05; done
# the FIFO exists once the reader opened it; a writer that finds no reader would block
printf '04a1b2c3\n' > "$d/var/nfc" &
wpid=$!
seen=""
for _ in $(seq 60); do
	if "$HG" --config "$d/station.ini" events --csv 2>/dev/null | grep -q 'card_tapped.*04a1b2c3'; then
		seen=1
		break
	fi
	sleep 0.05
done
kill -TERM "$pid"
wait "$pid"
rc=$?
kill "$wpid" 2>/dev/null
wait "$wpid" 2>/dev/null
if [ -n "$seen" ] && [ "$rc" = 0 ] && relays_safe "$d" && grep -q '^relays: ' "$d/out"; then
	t_ok
else
	t_fail "" "seen=$seen rc=$rc $(cat "$d/out" "$d/err")"
fi

# ---- speech: the button reads the screens aloud (to WAV files here) ----
t_begin "the speech button reads each new screen aloud, in the chosen language"
d=$(tmpdir)
station "$d"
mkdir "$d/wav"
printf '%s\n' 'clock 2026-11-23T09:00:00' 'press kiosk:speech' 'press lang_es' 'press rv' \
	'expect screen rv_signin' > "$d/sp.kscn"
if kiosk "$d" --script "$d/sp.kscn" --speech "wav:$d/wav" &&
   [ "$(find "$d/wav" -name 'speech-*.wav' -size +10k | wc -l)" = 3 ]; then
	t_ok
else
	t_fail "" "$ERR $(ls -l "$d/wav")"
fi

t_begin "speech says the large-text switch each time it is pressed"
d=$(tmpdir)
station "$d"
mkdir "$d/wav"
# speech on (the start screen read), large text on, then off: each read again
printf '%s\n' 'clock 2026-11-23T09:00:00' 'press kiosk:speech' 'press kiosk:large_text' \
	'press kiosk:large_text' 'expect screen start' > "$d/lt.kscn"
if kiosk "$d" --script "$d/lt.kscn" --speech "wav:$d/wav" &&
   [ "$(find "$d/wav" -name 'speech-*.wav' -size +10k | wc -l)" = 3 ]; then
	t_ok
else
	t_fail "" "$ERR $(ls -l "$d/wav")"
fi

# (the kiosk under Xvfb, clicked with xdotool: tests/cli/test_kiosk_e2e.sh)

# ---- the ASan+UBSan build, on one whole script ----
if [ -x "$AKIOSK" ]; then
	t_begin "the RV script under ASan+UBSan"
	d=$(tmpdir)
	station "$d"
	if KIOSK=$AKIOSK kiosk "$d" --script "$KS/rv_visit.kscn" --snap-dir "$d/snaps"; then
		t_ok
	else
		t_fail "" "$ERR"
	fi
fi

t_end
