#!/bin/bash
# test_cli_roster.sh: `haulgate init` (with and without --demo) and every
# roster command (hauler, card, truck, operator), each listing in the three
# output formats, CSV quoting, help and usage errors.  Runs build/haulgate in
# a fresh folder with its own station.ini.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

d=$(tmpdir)
cat >"$d/station.ini" <<'EOF'
[station]
id = test-01
db = hg.db
key = keys/station.key
EOF
hg() { "$HG" --config "$d/station.ini" "$@"; }
# with_pin PIN CMD...: CMD with PIN as the one line of its stdin
with_pin() { local pin=$1; shift; printf '%s\n' "$pin" | "$@"; }
# json_has PYEXPR: stdin is JSON (a list of rows, as d) and PYEXPR holds
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }
n_events() { hg events --csv | tail -n +2 | wc -l; }

# ---- init ----
t_begin "init --demo creates the database, the key and the demo roster"
if expect_exit 0 hg init --demo; then
	if [ -f "$d/hg.db" ] && [ -f "$d/keys/station.key" ] && [ -f "$d/keys/station.key.pub" ] &&
	   grep -q "04a1b2c3" <<<"$OUT" && grep -q "1234" <<<"$OUT" &&
	   grep -q "04c3d4e5f60718293a4b" <<<"$OUT" && grep -q "Dana Ruiz" <<<"$OUT"; then
		t_ok
	else
		t_fail "" "files or roster missing: $(ls -R "$d"); $OUT"
	fi
else t_fail; fi

t_begin "the secret key is readable by its owner only"
mode=$(stat -c %a "$d/keys/station.key" 2>/dev/null)
if [ "$mode" = 600 ]; then t_ok; else t_fail "" "mode $mode"; fi

t_begin "init again is refused: already initialised"
if expect_exit 1 hg init && grep -q "already initialised" <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

t_begin "the demo roster is as docs/CLI.md says"
if expect_exit 0 hg hauler list --json &&
   json_has 'len(d) == 5 and [r["company"] for r in d] == ["Acme Septic Service", "Bayou Grease & Trap", "Cascade Industrial Liquids", "Delta Vac Services", "Eagle Pumping Co."] and d[3]["status"] != d[0]["status"] and d[4]["permit_to"] == "2025-12-31" and d[0]["permit_to"] == "2030-12-31" and d[2]["analysis_date"] == "2025-06-01"' <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "demo cards: 6 hauler cards, one revoked; 2 operators"
if expect_exit 0 hg card list --json &&
   json_has 'sorted(r["uid"] for r in d) == sorted(["04a1b2c3","04b2c3d4e5f601","04c3d4e5f60718293a4b","04d4e5f6","04e5f607","04f60718"]) and [r["status"] for r in d if r["uid"] == "04d4e5f6"] == ["revoked"] and [r["status"] for r in d if r["uid"] == "04a1b2c3"] == ["active"]' <<<"$OUT" &&
   expect_exit 0 hg operator list --json &&
   json_has 'sorted(r["uid"] for r in d) == ["0a0b0c01", "0a0b0c0d0e0f02"]' <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "demo PINs are stored only as libsodium hashes"
dump=$(sqlite3 "$d/hg.db" .dump)
# shellcheck disable=SC2016  # a literal $: the hash's prefix
if grep -qF '$argon2id$' <<<"$dump" && ! grep -q "135790" <<<"$dump"; then t_ok; else t_fail; fi

t_begin "init --demo gives the same roster every time"
d2=$(tmpdir)
if expect_exit 0 "$HG" --config "$d/station.ini" --db "$d2/other.db" init --demo &&
   grep -q "kept the existing station key" <<<"$OUT" &&
   a=$(hg card list --csv | cut -d, -f1,3-5) && b=$("$HG" --config "$d/station.ini" --db "$d2/other.db" card list --csv | cut -d, -f1,3-5) &&
   [ -n "$a" ] && [ "$a" = "$b" ]
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "init without --demo, with --station-id"
d3=$(tmpdir)
# --station-id where the configuration leaves [station] id out: one id
sed '/^id = /d' "$d/station.ini" > "$d/noid.ini"
if expect_exit 0 "$HG" --db "$d3/sub/dir/hg.db" --config "$d/noid.ini" init --station-id plant-7 &&
   grep -q "plant-7" <<<"$OUT" && expect_exit 0 "$HG" --db "$d3/sub/dir/hg.db" --config "$d/noid.ini" hauler list --json &&
   json_has 'd == []' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "init makes the database and its folder private: 0600 and 0700, the PIN key 0600"
# umask 022 as on a fresh machine: the modes must not come from the umask
if (umask 022 && "$HG" --db "$d3/priv/var/hg.db" --config "$d/station.ini" init >/dev/null) &&
   [ "$(stat -c %a "$d3/priv/var")" = 700 ] && [ "$(stat -c %a "$d3/priv/var/hg.db")" = 600 ] &&
   [ "$(stat -c %a "$d/keys/pin.key")" = 600 ] && [ "$(stat -c %a "$d/keys")" = 700 ] &&
   [ "$(stat -c %a "$d/hg.db")" = 600 ]
then t_ok; else t_fail "" "$(ls -la "$d3/priv" "$d3/priv/var" "$d/keys" "$d" 2>&1)"; fi

t_begin "a database found open to others is made 0600 when opened"
chmod 644 "$d3/priv/var/hg.db"
if expect_exit 0 "$HG" --db "$d3/priv/var/hg.db" --config "$d/station.ini" hauler list &&
   [ "$(stat -c %a "$d3/priv/var/hg.db")" = 600 ]
then t_ok; else t_fail "" "$(stat -c %a "$d3/priv/var/hg.db") $ERR"; fi

t_begin "init in a folder open to others says so"
d5=$(tmpdir)
chmod 755 "$d5"
if expect_exit 0 "$HG" --db "$d5/hg.db" --config "$d/station.ini" init &&
   grep -q "warning: the folder '$d5' of the database is open to other users (mode 755)" <<<"$ERR" &&
   [ "$(stat -c %a "$d5/hg.db")" = 600 ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "init --station-id with a bad id is refused, nothing created"
d4=$(tmpdir)
if expect_exit 1 "$HG" --db "$d4/hg.db" --config "$d/station.ini" init --station-id 'bad id!' && [ ! -e "$d4/hg.db" ]
then t_ok; else t_fail; fi

# ---- haulers ----
company='Fox "Best" Pumping, Inc.'
t_begin "hauler add prints the new id"
if expect_exit 0 hg hauler add --company "$company" --contact "Jo Fox" --address "1 Main St, Springfield" \
	--phone 555-0100 --permit HW-77 --from 2026-01-01 --to 2026-12-31 --waste septage,portable &&
   [ "$OUT" = 6 ]
then t_ok; else t_fail "" "$OUT"; fi

t_begin "CSV quotes a company with a comma and a quote (RFC 4180)"
if expect_exit 0 hg hauler list --csv && grep -qF '"Fox ""Best"" Pumping, Inc."' <<<"$OUT" &&
   python3 -c 'import csv,sys; r=list(csv.DictReader(sys.stdin)); sys.exit(0 if r[5]["company"] == sys.argv[1] and len(r) == 6 else 1)' "$company" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "JSON keeps the company exactly"
if expect_exit 0 hg hauler list --json && json_has "d[5]['company'] == '''$company''' and d[5]['id'] == 6" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "the aligned table has a header and one line per hauler"
if expect_exit 0 hg hauler list && [ "$(wc -l <<<"$OUT")" -ge 7 ] && head -n 1 <<<"$OUT" | grep -q company &&
   grep -qF "$company" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "global options are taken after the command too"
if expect_exit 0 "$HG" hauler list --config "$d/station.ini" --json && json_has 'len(d) == 6' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler add with --analysis and --opt=value"
if expect_exit 0 hg hauler add --company=Gamma --contact Ann --address "2 Oak St" --phone 1 --permit P-1 \
	--from 2026-01-01 --to 2026-01-01 --waste industrial --analysis 2026-01-01 && [ "$OUT" = 7 ] &&
   expect_exit 0 hg hauler list --json && json_has 'd[6]["analysis_date"] == "2026-01-01"' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler suspend / reinstate"
if expect_exit 0 hg hauler suspend 6 && expect_exit 0 hg hauler list --json &&
   json_has 'd[5]["status"] == d[3]["status"] and d[5]["status"] != d[0]["status"]' <<<"$OUT" &&
   expect_exit 0 hg hauler reinstate 6 && expect_exit 0 hg hauler list --json &&
   json_has 'd[5]["status"] == d[0]["status"]' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler suspend of an unknown id: exit 1, named"
if expect_exit 1 hg hauler suspend 999 && grep -q "no hauler with id 999" <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

t_begin "hauler permit replaces number and validity"
if expect_exit 0 hg hauler permit 6 --permit HW-99 --from 2026-02-01 --to 2027-01-31 &&
   expect_exit 0 hg hauler list --json &&
   json_has 'd[5]["permit"] == "HW-99" and d[5]["permit_from"] == "2026-02-01" and d[5]["permit_to"] == "2027-01-31"' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler permit with --to before --from is refused"
if expect_exit 1 hg hauler permit 6 --permit HW-98 --from 2027-01-01 --to 2026-01-01 &&
   expect_exit 0 hg hauler list --json && json_has 'd[5]["permit"] == "HW-99"' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler analysis --date, then --none"
if expect_exit 0 hg hauler analysis 6 --date 2026-03-04 && expect_exit 0 hg hauler list --json &&
   json_has 'd[5]["analysis_date"] == "2026-03-04"' <<<"$OUT" &&
   expect_exit 0 hg hauler analysis 6 --none && expect_exit 0 hg hauler list --json &&
   json_has 'd[5]["analysis_date"] in ("", None)' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "hauler analysis needs exactly one of --date and --none (exit 2)"
if expect_exit 2 hg hauler analysis 6 && expect_exit 2 hg hauler analysis 6 --none --date 2026-01-01
then t_ok; else t_fail; fi

# ---- cards ----
t_begin "card add reads the PIN from stdin and normalises the UID"
if expect_exit 0 with_pin 86420864 hg card add --uid 04:AA:BB:CC --hauler 6 --driver "Lee Park" &&
   expect_exit 0 hg card list --json &&
   json_has '[r["driver"] for r in d if r["uid"] == "04aabbcc"] == ["Lee Park"]' <<<"$OUT" &&
   ! sqlite3 "$d/hg.db" .dump | grep -q 86420864
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "card add of a UID already in the roster is refused"
if expect_exit 1 with_pin 1234 hg card add --uid 04aabbcc --hauler 1 --driver X &&
   grep -q "already in the roster" <<<"$ERR" &&
   expect_exit 1 with_pin 1234 hg card add --uid 0a0b0c01 --hauler 1 --driver X
then t_ok; else t_fail "" "$ERR"; fi

t_begin "card add for an unknown hauler is refused"
if expect_exit 1 with_pin 1234 hg card add --uid 04010203 --hauler 999 --driver X &&
   grep -q "999" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "card add with a bad PIN is refused, nothing added"
before=$(hg card list --csv | wc -l)
if expect_exit 1 with_pin 12 hg card add --uid 04010203 --hauler 1 --driver X &&
   expect_exit 1 with_pin 12ab hg card add --uid 04010203 --hauler 1 --driver X &&
   expect_exit 1 with_pin 1234567890123 hg card add --uid 04010203 --hauler 1 --driver X &&
   expect_exit 1 hg card add --uid 04010203 --hauler 1 --driver X &&
   [ "$(hg card list --csv | wc -l)" = "$before" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "card revoke"
if expect_exit 0 hg card revoke 04aabbcc && expect_exit 0 hg card list --json &&
   json_has '[r["status"] for r in d if r["uid"] == "04aabbcc"] == ["revoked"]' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "card revoke of an unknown card: exit 1"
if expect_exit 1 hg card revoke 04999999 && grep -q "04999999" <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

t_begin "card list in CSV and text"
if expect_exit 0 hg card list --csv && head -n 1 <<<"$OUT" | grep -q uid && grep -q "^04a1b2c3," <<<"$OUT" &&
   expect_exit 0 hg card list && grep -q "Dana Ruiz" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

# ---- trucks ----
t_begin "truck add prints the id; truck list shows it"
if expect_exit 0 hg truck add --hauler 6 --ident FOX-1 --capacity 4200 && [ "$OUT" = 7 ] &&
   expect_exit 0 hg truck list --json &&
   json_has '[(r["truck"], r["capacity"]) for r in d if r["id"] == 7] == [("FOX-1", 4200)] and len(d) == 7' <<<"$OUT" &&
   expect_exit 0 hg truck list --csv && grep -q "FOX-1,4200" <<<"$OUT" &&
   expect_exit 0 hg truck list && grep -q "ACME-12" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "truck add for an unknown hauler: exit 1"
if expect_exit 1 hg truck add --hauler 999 --ident X --capacity 100 && grep -q "999" <<<"$ERR"; then t_ok; else t_fail "" "$ERR"; fi

# ---- operators ----
t_begin "operator add: a PIN of 4 or 5 digits is refused in English and Spanish, nothing added"
before=$(hg operator list --csv | wc -l)
n1=$(n_events)
ok=1
for pin in 2468 24680; do
	if ! expect_exit 1 with_pin "$pin" hg operator add --name "Mo Diaz" --uid 0a0b0c03 ||
	   ! grep -q "an operator's PIN needs at least 6 digits" <<<"$ERR" ||
	   ! grep -q "el PIN de un operador necesita al menos 6 dígitos" <<<"$ERR"; then ok=0; fi
done
if [ "$ok" = 1 ] && [ "$(hg operator list --csv | wc -l)" = "$before" ] && [ "$(n_events)" = "$n1" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "operator add reads the PIN and prints the id"
if expect_exit 0 with_pin 246802 hg operator add --name "Mo Diaz" --uid 0a0b0c03 && [ "$OUT" = 3 ] &&
   expect_exit 0 hg operator list --json && json_has '[r["name"] for r in d if r["uid"] == "0a0b0c03"] == ["Mo Diaz"]' <<<"$OUT" &&
   expect_exit 0 hg operator list --csv && grep -q "Mo Diaz" <<<"$OUT" &&
   expect_exit 0 hg operator list && grep -q "Riley Park" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "operator add with a hauler card's UID is refused"
if expect_exit 1 with_pin 246802 hg operator add --name Y --uid 04a1b2c3 && grep -q "already in the roster" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

# ---- the PIN key ----
t_begin "a station whose pin.key was removed refuses PIN checks and new PINs, naming the file"
d6=$(tmpdir)
cat >"$d6/station.ini" <<'EOF2'
[station]
id = test-06
db = var/hg.db
key = var/station.key
EOF2
printf 'clock 2026-11-23T09:00:00\ncard 04a1b2c3\ntype 1234\npress ok\nexpect screen truck\n' >"$d6/pin.scn"
hg6() { "$HG" --config "$d6/station.ini" "$@"; }
if expect_exit 0 hg6 init --demo && expect_exit 0 hg6 simulate --script "$d6/pin.scn"; then
	rm "$d6/var/pin.key"
	n1=$(hg6 events --csv | wc -l)
	msg="no PIN key at '$d6/var/pin.key'"
	if expect_exit 1 hg6 simulate --script "$d6/pin.scn" && grep -qF "$msg" <<<"$ERR" &&
	   grep -q "no PIN can be checked" <<<"$ERR" &&
	   expect_exit 1 with_pin 1234 hg6 card add --uid 04010203 --hauler 1 --driver X &&
	   grep -qF "$msg" <<<"$ERR" &&
	   expect_exit 1 with_pin 246802 hg6 operator add --name X --uid 0a0b0c09 &&
	   grep -qF "$msg" <<<"$ERR" &&
	   [ "$(hg6 events --csv | wc -l)" = "$n1" ] && [ ! -e "$d6/var/pin.key" ]
	then t_ok; else t_fail "" "$OUT$ERR"; fi
else t_fail "" "$OUT$ERR"; fi

t_begin "a PIN key from another station: the right PIN is wrong"
printf 'clock 2026-11-23T09:00:00\ncard 04a1b2c3\ntype 1234\npress ok\nexpect screen pin\nexpect message pin_wrong\n' >"$d6/other.scn"
if cp "$d/keys/pin.key" "$d6/var/pin.key" && expect_exit 0 hg6 simulate --script "$d6/other.scn"
then t_ok; else t_fail "" "$OUT$ERR"; fi

# ---- events ----
t_begin "every change is in the event log, by cli:<login>"
if expect_exit 0 hg events --json &&
   json_has 'all(t in [r["type"] for r in d] for t in ("hauler_added", "hauler_suspended", "hauler_reinstated", "permit_changed", "analysis_changed", "card_added", "card_revoked", "truck_added", "operator_added")) and all(r["actor"].startswith("cli:") for r in d if r["type"] == "hauler_added")' <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "a refused command writes no event"
n1=$(n_events)
expect_exit 1 hg hauler suspend 999 >/dev/null
expect_exit 1 with_pin 12 hg card add --uid 04010203 --hauler 1 --driver X >/dev/null
n2=$(n_events)
if [ "$n1" = "$n2" ] && [ "$n1" -gt 0 ]; then t_ok; else t_fail "" "$n1 -> $n2"; fi

# ---- help and usage ----
t_begin "--help, help, COMMAND --help and --version exit 0"
if expect_exit 0 "$HG" --help && grep -q "hauler add" <<<"$OUT" && grep -q "receipt verify" <<<"$OUT" &&
   grep -q "simulate" <<<"$OUT" && expect_exit 0 "$HG" -h && expect_exit 0 "$HG" help &&
   expect_exit 0 "$HG" hauler add --help && grep -q -- "--company" <<<"$OUT" &&
   expect_exit 0 "$HG" help card && grep -q "card revoke" <<<"$OUT" &&
   expect_exit 0 "$HG" --version && grep -q "^haulgate [0-9]" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "every command in the help answers COMMAND --help"
bad=""
while read -r cmd; do
	# shellcheck disable=SC2086  # split the command's words
	"$HG" $cmd --help >/dev/null 2>&1 || bad="$bad [$cmd]"
done < <("$HG" --help | sed -n 's/^  haulgate \([a-z-]*\)\( [a-z][a-z-]*\)\{0,1\}.*/\1\2/p' | sed 's/ [A-Z].*//')
if [ -z "$bad" ]; then t_ok; else t_fail "" "no help for:$bad"; fi

t_begin "usage errors exit 2"
if expect_exit 2 "$HG" && expect_exit 2 "$HG" frobnicate && expect_exit 2 hg hauler &&
   expect_exit 2 hg hauler fly && expect_exit 2 hg hauler list --bogus &&
   expect_exit 2 hg hauler add --company X && grep -q -- "--contact" <<<"$ERR" &&
   expect_exit 2 hg hauler suspend && expect_exit 2 hg hauler suspend 1 2 &&
   expect_exit 2 hg card revoke && expect_exit 2 hg truck add --hauler &&
   expect_exit 2 hg hauler list --csv --json && expect_exit 2 hg hauler list --db &&
   expect_exit 2 hg init --demo=yes && expect_exit 2 hg hauler list --json --json
then t_ok; else t_fail "" "$ERR"; fi

t_end
