#!/bin/bash
# test_web_browser.sh: the plant's web pages in a real browser: headless
# Chromium driven by Selenium (tests/peers/web_browser.py) against the real
# server, build/asan/haulgate-potw under ASan+UBSan, on loopback TLS.  An
# admin and an auditor sign in through the form and open each page at a
# desktop and a phone size, in English and Spanish; a station name holding
# <script> and quotes shows as text and runs nothing; the style sheet
# applies under the CSP; axe-core (npm, installed into build/npm when
# missing) finds no serious or critical fault in any page.  The auditor
# also walks the loads (synced from a real station, one load's typed fields
# holding <script>, quotes and formulas): filters them through the form,
# takes their CSV (parsed by python3's csv: the page's rows, no
# confidential column, each formula behind a ') and opens a load (the
# hostile text shown as text, the confidential fields withheld, the proof
# holding).  One of the station's receipts, whose QR points at this
# plant's /r: its page on a phone (375x812), genuine and with its gallons
# altered, a dispute raised through its form, and the coordinator's
# worklist (/disputes) answering it.  A second station (the demo roster, a
# source typed with <script> and quotes) samples a load and syncs it; a
# coordinator enters a lab result past section 2.1's pH limit through the
# form, sees the violation and the Notice of Violation's draft (on screen
# and as printed), the load's page with the result, its notice and its
# receipt's QR checked (genuine, matching, held), sets a fee and opens a hauler's monthly statement; the
# lab and fee pages are walked by the admin at both sizes and in both
# languages like the others, and the policy page too.  The coordinator
# sets a station's policy through /policy's form (a bad value refused
# first), the admin has a station's registration refused and disables,
# enables and changes the role of accounts on the users page (desktop, both
# languages, axe-core on each answer).  Screenshots of
# each page go to build/screenshots/ (HG_SCREENSHOTS=DIR: there instead;
# docs/screenshots/ holds the committed ones).  It skips, saying why, only
# when Chromium, its driver, Selenium or axe-core cannot be had.
# POTW can name another binary (build/haulgate-potw).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"

# shellcheck source=tests/cli/web_lib.sh
. "$(dirname "$0")/web_lib.sh"

SHOTS=${HG_SCREENSHOTS:-"$HG_ROOT/build/screenshots"}
NPM_DIR="$HG_ROOT/build/npm"
AXE="$NPM_DIR/node_modules/axe-core/axe.min.js"
PY=/usr/bin/python3	# Debian's, with python3-selenium

skip() {
	echo "ok - # SKIP $1"
	t_end
	exit 0
}
for c in openssl chromium chromedriver; do
	command -v "$c" >/dev/null 2>&1 || skip "$c is missing (scripts/deps.sh test installs it)"
done
"$PY" -c "import selenium" 2>/dev/null || skip "python3-selenium is missing (scripts/deps.sh test)"
[ -x "$POTW" ] || {
	echo "not ok - no $POTW: make $POTW"
	exit 1
}
if [ ! -f "$AXE" ]; then
	command -v npm >/dev/null 2>&1 || skip "npm is missing, so is axe-core (scripts/deps.sh test)"
	mkdir -p "$NPM_DIR"
	(cd "$NPM_DIR" && npm install --no-audit --no-fund --no-save --silent axe-core) >/dev/null 2>&1 ||
		skip "axe-core cannot be installed from the npm registry into $NPM_DIR"
	[ -f "$AXE" ] || skip "npm installed no $AXE"
fi

d=$(tmpdir)
t_begin "a plant with a station whose name holds <script>, an admin, an auditor, a coordinator"
if web_plant "$d" "$HG_ROOT/assets/web" &&
   printf '%s\n' "$PASSWORD" | pw user add --login ana --role admin >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login aud --role auditor >/dev/null &&
   printf '%s\n' "$PASSWORD" | pw user add --login cora --role coordinator >/dev/null
then t_ok; else t_fail "" "$ERR"; fi

web_serve "$d"
t_begin "serve listens on loopback TLS"
if [ -n "$U" ]; then t_ok; else t_fail "" "$(cat "$d/serve.out" "$d/serve.err")"; fi

# a real station, its loads synced to the plant: a hauler's first loads and
# one whose every typed field holds <script>, quotes and a formula; the
# receipts' QR pointing at this plant's /r
t_begin "a station records loads (one with hostile text) and syncs them to the plant"
S="$d/st"
mkdir -p "$S"
sed -e "s/^id = .*/id = gate-02/" -e "/^\[station\]/a verify_base = $U/r" \
	"$HG_ROOT/tests/scenarios/station.ini" >"$S/station.ini"
web_evil_scn "$S/evil.scn"
sth() { TZ=America/Denver "$HG" --config "$S/station.ini" "$@"; }
sth init --demo >/dev/null 2>&1
printf '\n[sync]\nurl = %s\npin = %s\nplant_key = %s\n' "$U" "$(pw key 2>/dev/null)" \
	"$(pw key --note-verifier 2>/dev/null)" >>"$S/station.ini"
sth keys --public-pem >"$S/station.pem"
if expect_exit 0 pw station add --id gate-02 --name "South gate" --key-pem "$S/station.pem" &&
   expect_exit 0 sth simulate --script "$HG_ROOT/tests/scenarios/hauler_first_load.scn" &&
   expect_exit 0 sth simulate --script "$S/evil.scn" && expect_exit 0 sth sync now
then t_ok; else t_fail "" "$OUT $ERR"; fi
t_begin "a second station samples a load whose source holds <script> and quotes, and syncs it"
S2="$d/S2"
mkdir -p "$S2"
sed 's/^id = .*/id = st-01/' "$HG_ROOT/tests/scenarios/station.ini" >"$S2/station.ini"
# the source's name as the station name: \" in a scenario's quoted word is "
src=$(sed 's/"/\\\\"/g; s/[&|]/\\&/g' <<<"$NAME")
sed "s|^type \"Miller residence\"|type \"$src\"|" "$HG_ROOT/tests/scenarios/hauler_first_load.scn" >"$S2/first.scn"
if "$HG" --config "$S2/station.ini" init --demo >/dev/null 2>&1 &&
   printf '\n[sync]\nurl = %s\npin = %s\nplant_key = %s\n' "$U" "$(pw key)" \
	"$(pw key --note-verifier)" >>"$S2/station.ini" &&
   "$HG" --config "$S2/station.ini" keys --public-pem >"$S2/st.pem" &&
   pw station add --id st-01 --name "South gate" --key-pem "$S2/st.pem" >/dev/null &&
   "$HG" --config "$S2/station.ini" simulate --script "$S2/first.scn" >/dev/null 2>&1 &&
   expect_exit 0 "$HG" --config "$S2/station.ini" sync now &&
   expect_exit 0 pw --csv loads && grep -q '^st-01,1,.*,B-0001,' <<<"$OUT" &&
   [ "$(sqlite3 "$d/var/potw.db" "SELECT DISTINCT name FROM rec_load_sources WHERE station_id = 'st-01'")" = "$NAME" ]
then t_ok; else t_fail "" "$OUT $ERR"; fi
# the plant's own roster, made after the stations (which keep their demo
# roster: a plant's is applied only to a station without one) synced
t_begin "the plant's roster: a hauler whose name holds <script>, a card, a truck"
if pw hauler add --company "$NAME" --contact "Eve" --address "1 Main St" --phone 555 \
	--permit "P-1" --from 2020-01-01 --to "$(date -d '+10 days' +%F)" --waste grease >/dev/null &&
   printf '1234\n' | pw card add --uid 04a1b2c3 --hauler 1 --driver "Dana Ruiz" >/dev/null &&
   pw truck add --hauler 1 --ident ACME-12 --capacity 3000 >/dev/null
then t_ok; else t_fail "" "$(pw hauler list 2>&1)"; fi
t_begin "a station's real receipt of a synced load, pointing at the plant's /r"
QR=$(sed -n 's/^QR: //p' "$S/var/receipts/load-000002-receipt.txt" 2>/dev/null)
g=$(sed -n 's/.*[?&]g=\([0-9]*\).*/\1/p' <<<"$QR")
FORGED=$(sed "s/&g=$g&/\&g=${g}0\&/" <<<"$QR")
if [ "${QR%%\?*}" = "$U/r" ] && [ "$FORGED" != "$QR" ]
then t_ok; else t_fail "" "$QR"; fi

# the browser's own lines, counted as this script's; a browser that stopped
# short (an exception) is a failure too
HOME="$d" "$PY" "$HG_ROOT/tests/peers/web_browser.py" "$U" "$AXE" \
	"$SHOTS" "$NAME" "$PASSWORD" "$EVIL_CHARS" "$QR" "$FORGED" cora >"$d/browser.out" 2>&1
brc=$?
while IFS= read -r line; do
	case $line in
	"ok - "*) t_ok "${line#ok - }" ;;
	"not ok - "*) t_fail "${line#not ok - }" ;;
	*) echo "# $line" ;;
	esac
done <"$d/browser.out"
t_begin "the browser's run ended as it should (every page opened)"
if [ "$brc" = 0 ] || grep -q "^not ok - " "$d/browser.out"
then [ "$brc" = 0 ] && t_ok || t_fail "" "exit $brc"
else t_fail "" "exit $brc: $(grep -v '^#[0-9]' "$d/browser.out" | tail -15)"; fi

t_begin "SIGTERM ends serve cleanly, no sanitizer report"
if web_stop; then t_ok; else t_fail "" "$OUT"; fi

t_end
