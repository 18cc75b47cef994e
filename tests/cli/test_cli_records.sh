#!/bin/bash
# test_cli_records.sh: the record commands of build/haulgate: loads,
# rv-visits, events, report month (three formats each), verify before and
# after a raw edit of the event log, keys --public-pem read by openssl,
# receipt verify of malformed, tampered and foreign-signed texts, config
# check, and simulate's usage.  Receipts of real loads are tested with the
# scenarios (tests/scenarios), where loads exist.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

d=$(tmpdir)
cat >"$d/station.ini" <<'EOF'
[station]
id = test-01
db = hg.db
key = station.key
EOF
hg() { "$HG" --config "$d/station.ini" "$@"; }
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }

t_begin "init --demo"
if expect_exit 0 hg init --demo; then t_ok; else t_fail; fi

# ---- listings ----
t_begin "loads, rv-visits, events, report month in JSON parse back"
ok=1
for cmd in "loads" "loads --from 2026-01-01 --to 2026-12-31 --hauler 1 --flagged" "rv-visits" \
	   "rv-visits --from 2026-01-01 --to 2026-01-31" "events" "events --from 2 --limit 3" \
	   "report month 2026-03"; do
	# shellcheck disable=SC2086
	if ! expect_exit 0 hg $cmd --json || ! json_has 'isinstance(d, list)' <<<"$OUT"; then
		ok=0
		echo "# $cmd --json: $OUT $ERR"
	fi
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "the same in CSV and as a table"
ok=1
for cmd in "loads" "rv-visits" "events" "report month 2026-03"; do
	# shellcheck disable=SC2086
	if ! expect_exit 0 hg $cmd --csv || ! python3 -c 'import csv,sys; list(csv.reader(sys.stdin))' <<<"$OUT" ||
	   ! expect_exit 0 hg $cmd; then
		ok=0
		echo "# $cmd: $OUT $ERR"
	fi
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "events --from and --limit select the rows"
if expect_exit 0 hg events --from 2 --limit 3 --json &&
   json_has '[r["seq"] for r in d] == [2, 3, 4]' <<<"$OUT" &&
   expect_exit 0 hg events --json && json_has 'd[0]["seq"] == 1 and len(d) > 10' <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "events show the station id recorded at init, by cli:<login>"
if expect_exit 0 hg events --limit 1 --json && json_has 'd[0]["actor"].startswith("cli:")' <<<"$OUT" &&
   expect_exit 0 hg events --csv && grep -q "test-01" <<<"$OUT"
then t_ok; else t_fail "" "$OUT"; fi

t_begin "bad filters are refused (exit 1)"
if expect_exit 1 hg loads --from 2026-03-01 --to 2026-02-01 && expect_exit 1 hg loads --from yesterday &&
   expect_exit 1 hg loads --hauler x && expect_exit 1 hg rv-visits --to 2026-02-30 &&
   expect_exit 1 hg events --from 0 && expect_exit 1 hg events --limit -1 &&
   expect_exit 1 hg report month 2026-13 && expect_exit 1 hg report month 2026-3 &&
   expect_exit 1 hg report month march && grep -q "YYYY-MM" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "report month needs its month (exit 2)"
if expect_exit 2 hg report month && expect_exit 2 hg report; then t_ok; else t_fail; fi

# ---- verify ----
t_begin "verify: chain ok"
if expect_exit 0 hg verify && grep -qE "^chain ok: [0-9]+ events$" <<<"$OUT"; then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "verify after a raw edit of event 3: exit 1, names event 3"
cp "$d/hg.db" "$d/edited.db"
sqlite3 "$d/edited.db" "UPDATE events SET detail='{\"company\":\"Someone Else\"}' WHERE seq=3"
if expect_exit 1 hg --db "$d/edited.db" verify && grep -q "chain broken at event 3" <<<"$OUT$ERR"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "verify after a raw delete of the last event: exit 1 or names it"
cp "$d/hg.db" "$d/deleted.db"
sqlite3 "$d/deleted.db" "DELETE FROM events WHERE seq=5"
if expect_exit 1 hg --db "$d/deleted.db" verify && grep -q "chain broken at event" <<<"$OUT$ERR"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "verify: the tables are what the log makes"
if expect_exit 0 hg verify && grep -qE "^tables ok: [0-9]+ rows are what the log makes$" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "verify after raw edits of the tables (chain intact): exit 1, each difference named"
cp "$d/hg.db" "$d/tables.db"
sqlite3 "$d/tables.db" "UPDATE haulers SET permit_to = '2099-12-31' WHERE id = 1;
	INSERT INTO operators (name, uid, pin_hash, created) VALUES ('Eve', '0badbeef', 'x', 1)"
want=$(sqlite3 "$d/hg.db" "SELECT permit_to FROM haulers WHERE id = 1")
eve=$(sqlite3 "$d/tables.db" "SELECT max(id) FROM operators")
if expect_exit 1 hg --db "$d/tables.db" verify && grep -qE "^chain ok: " <<<"$OUT" &&
   grep -qx "haulers 1 permit_to: '2099-12-31' in the table, '$want' in the log" <<<"$OUT" &&
   grep -qx "operators $eve: in the table, not in the log" <<<"$OUT" &&
   grep -qx "tables differ from the log: 2 differences" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "verify of a broken chain does not check the tables"
if expect_exit 1 hg --db "$d/edited.db" verify && grep -qx "tables not checked: the log itself is not intact" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "the original database still verifies"
if expect_exit 0 hg verify; then t_ok; else t_fail; fi

# ---- keys ----
t_begin "keys --public-pem is a PEM public key openssl accepts, equal to keys' hex"
if expect_exit 0 hg keys --public-pem && printf '%s\n' "$OUT" >"$d/pub.pem" &&
   grep -q "BEGIN PUBLIC KEY" "$d/pub.pem" &&
   openssl pkey -pubin -in "$d/pub.pem" -noout 2>/dev/null &&
   der=$(openssl pkey -pubin -in "$d/pub.pem" -outform DER 2>/dev/null | tail -c 32 | od -An -v -tx1 | tr -d ' \n') &&
   expect_exit 0 hg keys && grep -q "public key: $der" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "keys without a key: exit 1, says to init"
printf '[station]\nid = test-01\ndb = hg.db\nkey = missing.key\n' >"$d/nokey.ini"
if expect_exit 1 "$HG" --config "$d/nokey.ini" keys --public-pem && grep -q "haulgate init" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

# ---- receipt verify ----
base="https://potw.example.org/r"
body="$base?v=1&st=test-01&n=1&t=20260301T120000Z&g=1500&w=septage&p=HW-2020-001"
# a foreign key signs the text as a station would
openssl genpkey -algorithm ed25519 -out "$d/foreign.pem" 2>/dev/null
printf '%s' "$body" >"$d/body"
sig=$(openssl pkeyutl -sign -inkey "$d/foreign.pem" -rawin -in "$d/body" 2>/dev/null | base64 -w0 | tr '+/' '-_' | tr -d '=')

t_begin "receipt verify of a text signed by another key: not genuine"
if [ ${#sig} -eq 86 ] && expect_exit 1 hg receipt verify "$body&s=$sig" &&
   grep -q "^not genuine: signature does not match" <<<"$OUT"
then t_ok; else t_fail "" "sig=$sig $OUT$ERR"; fi

# the station's own key signs a text (no load of that number exists): the
# secret file is the libsodium key in base64, its first 32 bytes the seed,
# which OpenSSL takes as a PKCS#8 DER with a fixed 16-byte prefix
{ printf '\x30\x2e\x02\x01\x00\x30\x05\x06\x03\x2b\x65\x70\x04\x22\x04\x20'
  base64 -d <"$d/station.key" | head -c 32; } >"$d/station.der"
openssl pkey -inform DER -in "$d/station.der" -out "$d/station.pem" 2>/dev/null
own=$(openssl pkeyutl -sign -inkey "$d/station.pem" -rawin -in "$d/body" 2>/dev/null | base64 -w0 | tr '+/' '-_' | tr -d '=')

t_begin "receipt verify of a genuine text of a load not in the database: exit 1"
if [ ${#own} -eq 86 ] && expect_exit 1 hg receipt verify "$body&s=$own" &&
   grep -q "^genuine" <<<"$OUT" && grep -q "^no load 1 in this database" <<<"$OUT"
then t_ok; else t_fail "" "own=$own $OUT$ERR"; fi

t_begin "receipt verify of a genuine text without a database: genuine, exit 0"
if expect_exit 0 hg --db "$d/none.db" receipt verify "$body&s=$own" && grep -q "^genuine" <<<"$OUT" &&
   grep -q "no database" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "receipt verify of a genuine text with its gallons changed: not genuine"
if expect_exit 1 hg receipt verify "${body/g=1500/g=9500}&s=$own" &&
   grep -q "^not genuine: signature does not match" <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "receipt verify reads the text from stdin with -"
if printf '%s\n' "$body&s=$sig" | { "$HG" --config "$d/station.ini" receipt verify - >"$d/o" 2>&1; [ $? = 1 ]; } &&
   grep -q "^not genuine" "$d/o"
then t_ok; else t_fail "" "$(cat "$d/o")"; fi

t_begin "receipt verify of malformed texts: not a haulgate receipt (exit 1)"
ok=1
for text in "hello" "" "$body" "$base?v=2&s=abc" "$body&s=!!!" "$(head -c 2000 /dev/zero | tr '\0' a)"; do
	if ! expect_exit 1 hg receipt verify "$text" || grep -q "^genuine" <<<"$OUT" ||
	   ! grep -qE "^not (a haulgate receipt|genuine)" <<<"$OUT"; then
		ok=0
		echo "# text '${text:0:60}': $OUT $ERR"
	fi
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "receipt verify without a text: exit 2"
if expect_exit 2 hg receipt verify; then t_ok; else t_fail; fi

# ---- config check ----
t_begin "config check of a good file: config ok"
if expect_exit 0 hg config check && grep -q "config ok" <<<"$OUT"; then t_ok; else t_fail "" "$OUT$ERR"; fi

t_begin "config check of a bad file: every error with its line, exit 1"
printf '[station]\nid = test-01\nbogus = 1\n[nowhere]\nx = 2\n' >"$d/bad.ini"
if expect_exit 1 "$HG" --config "$d/bad.ini" config check && grep -q "bad.ini:3:" <<<"$ERR" &&
   grep -q "bad.ini:[45]:" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

# ---- CSV a spreadsheet cannot run (OWASP CSV injection) ----
t_begin "an RV visitor named =HYPERLINK(...) is text in rv-visits --csv, exact in --json"
v=$(tmpdir)
cp "$HG_ROOT/tests/scenarios/station.ini" "$v/station.ini"
"$HG" --config "$v/station.ini" init --demo >/dev/null 2>&1
cat >"$v/rv.scn" <<'EOF'
clock 2026-11-23T11:00:00
press rv
field rv_name "=HYPERLINK(\"http://x\",\"y\")"
field rv_plate 7ABC123
field rv_state CO
press next
press accept
press declare_yes
expect screen rv_dump
press done
EOF
# the record as written: quoted, behind a '
want_csv=\"\''=HYPERLINK(""http://x"",""y"")"'
# what a spreadsheet reads (the CSV parsed as RFC 4180): no cell a formula
no_formula='import csv,sys
cells = [c for r in csv.reader(sys.stdin) for c in r]
assert "'"'"'=HYPERLINK(\"http://x\",\"y\")" in cells or sys.argv[1] == "any", cells
assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")], cells'
if expect_exit 0 "$HG" --config "$v/station.ini" simulate --script "$v/rv.scn" &&
   expect_exit 0 "$HG" --config "$v/station.ini" rv-visits --csv &&
   grep -qF ",$want_csv,7ABC123,CO," <<<"$OUT" && grep -q '^1,' <<<"$OUT" &&
   python3 -c "$no_formula" name <<<"$OUT" &&
   expect_exit 0 "$HG" --config "$v/station.ini" rv-visits --json &&
   json_has 'd[0]["name"] == "=HYPERLINK(\"http://x\",\"y\")" and d[0]["id"] == 1' <<<"$OUT" &&
   expect_exit 0 "$HG" --config "$v/station.ini" events --csv &&
   python3 -c "$no_formula" any <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

# ---- simulate ----
t_begin "simulate needs --script (exit 2); an unreadable script is exit 2"
if expect_exit 2 hg simulate && expect_exit 2 hg simulate --script "$d/no-such.scn"; then t_ok; else t_fail "" "$ERR"; fi

t_end
