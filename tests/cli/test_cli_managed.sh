#!/bin/bash
# test_cli_managed.sh: a plant-managed station ([sync] url set) keeps no
# roster of its own (docs/CLI.md, "A plant-managed station's roster"): every
# roster edit command, and init --demo, is refused with exit status 1, the
# plant's url and the same command for haulgate-potw, in the station's
# language and then the other, and the database is left as it was (its
# events, their last hash, the roster's tables); the lists still work.  The
# same commands on the same database through a configuration without
# [sync] are taken.  The command the refusal names is then run at a real
# plant (build/haulgate-potw) and does the edit there; last, the whole way:
# a station synced with that plant (serving on loopback TLS) refuses an
# edit, the command it names is run at the plant, and the next round brings
# the change to the station.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

POTW=${POTW:-"$HG_ROOT/build/haulgate-potw"}
for p in "$POTW" "$HG"; do
	[ -x "$p" ] || { echo "not ok - no $p: make $p"; exit 1; }
done
command -v sqlite3 >/dev/null 2>&1 || { echo "not ok - sqlite3 is missing: scripts/deps.sh test"; exit 1; }

d=$(tmpdir)
# the plant: its pin and note key are what a managed station.ini names
mkdir -p "$d/P"
printf '[server]\nlisten = 127.0.0.1:0\ndb = potw.db\nkey = potw.key\nname = test-plant\n[tls]\ncert = tls.crt\nkey = tls.key\n' \
	>"$d/P/potw.ini"
pw() { "$POTW" --config "$d/P/potw.ini" "$@"; }
pw init >/dev/null 2>&1
url="https://127.0.0.1:9/plant"	# never asked: a refusal needs no network
sync_section() {
	printf '\n[sync]\nurl = %s\npin = %s\nplant_key = %s\n' "$url" "$(pw key)" \
		"$(pw key --note-verifier)"
}

# one station, two views of its database: local.ini (no [sync]) and
# managed.ini (the same, with [sync]); its roster made while unmanaged
s="$d/S"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/local.ini"
{ cat "$s/local.ini"; sync_section; } >"$s/managed.ini"
sed 's/^\[station\]$/[station]\nlanguage = es/' "$s/managed.ini" >"$s/managed-es.ini"
"$HG" --config "$s/local.ini" init --demo >/dev/null 2>&1

# what must not change: the events, the last one's hash, the roster's rows
state() {
	sqlite3 "$s/haulgate.db" "SELECT count(*), hex(max(hash)) FROM events
		WHERE seq = (SELECT max(seq) FROM events)" &&
	sqlite3 "$s/haulgate.db" ".dump haulers cards trucks operators" | sha256sum
}
nev() { sqlite3 "$s/haulgate.db" "SELECT count(*) FROM events"; }

t_begin "the managed configuration is a good one"
if expect_exit 0 "$HG" --config "$s/managed.ini" config check; then t_ok; else t_fail "" "$ERR"; fi

# every roster edit command, with its arguments (a card's or operator's PIN
# on stdin), and the words the plant's command is said in
EDITS=(
	"hauler add --company Fox --contact 'Jo Fox' --address '1 Main St' --phone 555-0100 --permit HW-77 --from 2026-01-01 --to 2026-12-31 --waste septage"
	"hauler suspend 1"
	"hauler reinstate 4"
	"hauler permit 5 --permit HW-2026-005 --from 2026-01-01 --to 2027-12-31"
	"hauler analysis 1 --date 2026-02-01"
	"hauler analysis 3 --none"
	"card add --uid 04:11:22:33 --hauler 1 --driver 'Lee Park'"
	"card revoke 04a1b2c3"
	"truck add --hauler 1 --ident ACME-30 --capacity 4000"
	"operator add --name 'Op Three' --uid 0a0b0c03"
)
run_edit() {	# run_edit INI EDIT: the edit with a PIN on stdin; RC, OUT, ERR
	local ini=$1
	eval "set -- $2"
	printf '24681357\n' | "$HG" --config "$ini" "$@" >"$d/.o" 2>"$d/.e"
	RC=$?
	OUT=$(cat "$d/.o")
	ERR=$(cat "$d/.e")
}

for e in "${EDITS[@]}"; do
	words=$(eval "set -- $e"; echo "$1 $2")
	t_begin "managed: $words refused, exit 1, the plant and its command named in English and Spanish, nothing changed"
	before=$(state)
	run_edit "$s/managed.ini" "$e"
	en=$(sed -n 1p <<<"$ERR")
	es=$(sed -n 2p <<<"$ERR")
	if [ "$RC" = 1 ] && [ -z "$OUT" ] && [ "$(wc -l <<<"$ERR")" = 2 ] &&
	   [ "$en" = "error: this station's roster is managed at the plant ($url): nothing was changed here; make the change at the plant: haulgate-potw $e" ] &&
	   grep -q "^error: el registro .* se gestiona en la planta ($url): aquí no se cambió nada; haga el cambio en la planta: haulgate-potw $words" <<<"$es" &&
	   [ "$(state)" = "$before" ]
	then t_ok; else t_fail "" "rc $RC out '$OUT' err '$ERR' state '$before' -> '$(state)'"; fi
done

t_begin "managed: the lists still work"
ok=1
for l in hauler card truck operator; do
	expect_exit 0 "$HG" --config "$s/managed.ini" $l list >/dev/null || ok=0
done
if [ $ok = 1 ] && expect_exit 0 "$HG" --config "$s/managed.ini" --csv hauler list &&
   grep -q "Acme Septic Service" <<<"$OUT"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "managed: a bad value is refused as managed too (the command is not this station's)"
before=$(state)
if expect_exit 1 "$HG" --config "$s/managed.ini" truck add --hauler 1 --ident X --capacity 0 &&
   grep -q "managed at the plant" <<<"$ERR" && ! grep -q "whole number" <<<"$ERR" && [ "$(state)" = "$before" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "managed, [station] language = es: Spanish first, then English"
run_edit "$s/managed-es.ini" "hauler suspend 2"
if [ "$RC" = 1 ] && grep -q "^error: el registro .*haulgate-potw hauler suspend 2$" <<<"$(sed -n 1p <<<"$ERR")" &&
   grep -q "^error: this station's roster is managed at the plant" <<<"$(sed -n 2p <<<"$ERR")"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "managed: the plant's command is quoted for the shell (a quote, spaces)"
run_edit "$s/managed.ini" "hauler add --company \"Fox's Septic\" --contact 'Jo Fox' --address '1 Main St' --phone 555-0100 --permit HW-77 --from 2026-01-01 --to 2026-12-31 --waste septage,portable --analysis 2026-01-05"
cmd=$(sed -n "1s/^error: .*make the change at the plant: //p" <<<"$ERR")
if [ "$RC" = 1 ] &&
   [ "$cmd" = "haulgate-potw hauler add --company 'Fox'\\''s Septic' --contact 'Jo Fox' --address '1 Main St' --phone 555-0100 --permit HW-77 --from 2026-01-01 --to 2026-12-31 --waste septage,portable --analysis 2026-01-05" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "the command named, run at the plant, makes the edit there"
if eval "${cmd/#haulgate-potw/pw}" >"$d/.o" 2>"$d/.e" && [ "$(cat "$d/.o")" = 1 ] &&
   pw --csv hauler list | grep -q "^1,Fox's Septic,Jo Fox,1 Main St,555-0100,HW-77,2026-01-01,2026-12-31,active,\"septage,portable\",2026-01-05," &&
   run_edit "$s/managed.ini" "card add --uid 04:11:22:33 --hauler 1 --driver 'Lee Park'" &&
   cmd=$(sed -n "1s/^error: .*make the change at the plant: //p" <<<"$ERR") &&
   printf '4821\n' | eval "${cmd/#haulgate-potw/pw}" >/dev/null 2>&1 &&
   pw --csv card list | grep -q "^1,04112233,1,Lee Park,0,"
then t_ok; else t_fail "" "$cmd: $(cat "$d/.e") $(pw --csv card list)"; fi

for e in "${EDITS[@]}"; do
	words=$(eval "set -- $e"; echo "$1 $2")
	t_begin "not managed (no [sync]): $words taken on the same database, one event"
	n0=$(nev)
	run_edit "$s/local.ini" "$e"
	if [ "$RC" = 0 ] && [ "$(nev)" = $((n0 + 1)) ]; then t_ok; else t_fail "" "rc $RC $OUT $ERR"; fi
done

t_begin "verify: the log and the tables agree after all that"
if expect_exit 0 "$HG" --config "$s/managed.ini" verify; then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "managed: init --demo refused, nothing made (no database, no key)"
m="$d/M"
mkdir -p "$m"
cp "$s/managed.ini" "$m/station.ini"
if expect_exit 1 "$HG" --config "$m/station.ini" init --demo &&
   grep -q "^error: this station's roster is managed at the plant ($url): no demo roster is made here, and nothing was made; run init without --demo" <<<"$ERR" &&
   grep -q "^error: el registro .*ejecute init sin --demo" <<<"$ERR" &&
   [ "$(ls "$m")" = station.ini ]
then t_ok; else t_fail "" "$OUT $ERR $(ls "$m")"; fi

t_begin "managed: init without --demo makes the station, with an empty roster"
if expect_exit 0 "$HG" --config "$m/station.ini" init && [ -s "$m/haulgate.db" ] &&
   expect_exit 0 "$HG" --config "$m/station.ini" --csv hauler list && [ "$OUT" = "$(head -n 1 <<<"$OUT")" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "the whole way: a station synced with the plant refuses, the plant makes the change, the next round brings it"
# the plant of the checks above (its hauler 1 and card added by the commands
# the refusals named) serves; a new station registered there takes its roster
SRV_PID=""
trap '[ -z "$SRV_PID" ] || { kill "$SRV_PID"; wait "$SRV_PID"; } 2>/dev/null; t_cleanup' EXIT
"$POTW" --config "$d/P/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV_PID=$!
port=""
for _ in $(seq 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	sleep 0.05
done
n="$d/N"
mkdir -p "$n"
cp "$HG_ROOT/tests/scenarios/station.ini" "$n/station.ini"
"$HG" --config "$n/station.ini" init >/dev/null 2>&1
"$HG" --config "$n/station.ini" keys --public-pem >"$n/station.pem"
pw station add --id test-01 --name "Test station" --key-pem "$n/station.pem" >/dev/null 2>&1
url="https://127.0.0.1:$port"
sync_section >>"$n/station.ini"
hauler1() { "$HG" --config "$n/station.ini" --csv hauler list 2>/dev/null | sed -n 's/^1,\([^,]*\),.*,\(active\|suspended\),.*/\1 \2/p'; }
sync_ok() { "$HG" --config "$n/station.ini" sync now >"$d/.o" 2>"$d/.e" && cat "$d/.o"; }
first=$(sync_ok)
n0=$(sqlite3 "$n/haulgate.db" "SELECT count(*) FROM events")
if [ -n "$port" ] && grep -q "the plant's roster: 2 edits applied" <<<"$first" &&
   [ "$(hauler1)" = "Fox's Septic active" ] &&
   expect_exit 1 "$HG" --config "$n/station.ini" hauler suspend 1 &&
   grep -q "managed at the plant ($url)" <<<"$ERR" &&
   [ "$(sqlite3 "$n/haulgate.db" "SELECT count(*) FROM events")" = "$n0" ] &&
   cmd=$(sed -n "1s/^error: .*make the change at the plant: //p" <<<"$ERR") &&
   [ "$cmd" = "haulgate-potw hauler suspend 1" ] && eval "${cmd/#haulgate-potw/pw}" >/dev/null 2>&1 &&
   [ "$(hauler1)" = "Fox's Septic active" ] &&
   grep -q "1 edit applied (version 3)" <<<"$(sync_ok)" && [ "$(hauler1)" = "Fox's Septic suspended" ] &&
   expect_exit 0 "$HG" --config "$n/station.ini" verify
then t_ok; else t_fail "" "port '$port' first '$first' hauler '$(hauler1)' cmd '$cmd' $OUT $ERR $(cat "$d/.e") $(tail -3 "$d/serve.err")"; fi

t_end
