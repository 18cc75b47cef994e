#!/bin/bash
# test_cli_badinput.sh: build/haulgate against bad input.  Over-long text,
# invalid UTF-8 and control characters are refused with a message naming the
# option and the rule, and change nothing; SQL metacharacters are stored
# verbatim; numbers, UIDs and dates out of their rules are refused; a missing
# database, a file of garbage bytes and a broken configuration each give a
# clear error and exit 1, leaving the files untouched.
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
with_pin() { local pin=$1; shift; printf '%s\n' "$pin" | "$@"; }
json_has() { python3 -c "import json,sys; d=json.load(sys.stdin); sys.exit(0 if ($1) else 1)"; }
n_events() { hg events --csv | tail -n +2 | wc -l; }
# add_hauler OPTION VALUE: hauler add with good values but OPTION set to VALUE
add_hauler() {
	local opt=$1 val=$2
	local -A v=([company]=Okay [contact]=Jo [address]="1 Main St" [phone]=555 [permit]=P-1
		    [from]=2026-01-01 [to]=2026-12-31 [waste]=septage)
	v[$opt]=$val
	hg hauler add --company "${v[company]}" --contact "${v[contact]}" --address "${v[address]}" \
		--phone "${v[phone]}" --permit "${v[permit]}" --from "${v[from]}" --to "${v[to]}" \
		--waste "${v[waste]}"
}

# ---- missing database ----
t_begin "a command without a database: exit 1, says to init"
if expect_exit 1 hg hauler list && grep -q "no database at" <<<"$ERR" && grep -q "haulgate init" <<<"$ERR" &&
   [ ! -e "$d/hg.db" ]
then t_ok; else t_fail "" "$ERR"; fi

t_begin "init"
if expect_exit 0 hg init --demo; then t_ok; else t_fail; fi
events0=$(n_events)

# ---- text ----
t_begin "a 5000-character company: exit 1 naming the option and the limit"
long=$(head -c 5000 /dev/zero | tr '\0' A)
if expect_exit 1 add_hauler company "$long" &&
   grep -qF -- "--company: at most 120 characters (got 5000)" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "the limit counts characters, not bytes: 120 'é' pass, 121 do not"
e120=$(printf 'é%.0s' $(seq 120))
if expect_exit 0 add_hauler company "$e120" && expect_exit 1 add_hauler company "${e120}é" &&
   grep -qF -- "(got 121)" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi
events0=$(n_events)

t_begin "each text option has its limit"
ok=1
for spec in contact:80 address:200 phone:40 permit:40; do
	opt=${spec%%:*} max=${spec##*:}
	if ! expect_exit 1 add_hauler "$opt" "$(head -c $((max + 1)) /dev/zero | tr '\0' x)" ||
	   ! grep -qF -- "--$opt: at most $max characters (got $((max + 1)))" <<<"$ERR"; then
		ok=0
		echo "# --$opt: $ERR"
	fi
done
if expect_exit 1 hg truck add --hauler 1 --ident "$(head -c 21 /dev/zero | tr '\0' x)" --capacity 10 &&
   grep -qF -- "--ident: at most 20" <<<"$ERR"; then :; else ok=0; echo "# --ident: $ERR"; fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "invalid UTF-8 is refused"
ok=1
for bad in $'\xff' $'Acme\xc3' $'\xc0\xaf' $'\xed\xa0\x80'; do
	if ! expect_exit 1 add_hauler contact "$bad" || ! grep -q -- "--contact: not valid UTF-8" <<<"$ERR"; then
		ok=0
		echo "# $(printf %q "$bad"): $ERR"
	fi
done
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "control characters are refused"
ok=1
for bad in $'Acme\tSeptic' $'a\nb' $'\e[31mred' $'x\x7f' $'x\xc2\x85'; do
	if ! expect_exit 1 add_hauler company "$bad" || ! grep -q -- "--company: control characters" <<<"$ERR"; then
		ok=0
		echo "# $(printf %q "$bad"): $ERR"
	fi
done
if expect_exit 1 with_pin 1234 hg card add --uid 04010203 --hauler 1 --driver $'Dana\rRuiz' &&
   grep -q -- "--driver" <<<"$ERR"; then :; else ok=0; echo "# driver: $ERR"; fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "format characters and text with nothing visible are refused"
ok=1
# U+202E right-to-left override, U+200B zero-width spaces only, U+FEFF, U+2066 isolate
for bad in $'Acme\xe2\x80\xaeecivreS' $'\xe2\x80\x8b\xe2\x80\x8b' $'\xef\xbb\xbfAcme' $'\xe2\x81\xa6Acme\xe2\x81\xa9'; do
	if ! expect_exit 1 add_hauler company "$bad" ||
	   ! grep -q -- "--company: hidden formatting characters" <<<"$ERR"; then
		ok=0
		echo "# $(printf %q "$bad"): $ERR"
	fi
done
# U+3164 Hangul fillers, a no-break space: nothing that shows
for bad in $'\xe3\x85\xa4\xe3\x85\xa4' $'\xc2\xa0'; do
	if ! expect_exit 1 add_hauler contact "$bad" ||
	   ! grep -q -- "--contact: has no character that can be seen" <<<"$ERR"; then
		ok=0
		echo "# $(printf %q "$bad"): $ERR"
	fi
done
if expect_exit 1 with_pin 1234 hg card add --uid 04010203 --hauler 1 --driver $'Dana\xe2\x80\xaeziuR' &&
   grep -q -- "--driver: hidden formatting" <<<"$ERR"; then :; else ok=0; echo "# driver: $ERR"; fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "empty and blank text is refused"
if expect_exit 1 add_hauler company "" && expect_exit 1 add_hauler address "   " &&
   grep -q -- "--address: must not be empty" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "refused text changed nothing: no event, no hauler"
if [ "$(n_events)" = "$events0" ] && expect_exit 0 hg hauler list --json && json_has 'len(d) == 6' <<<"$OUT"
then t_ok; else t_fail "" "$(n_events) vs $events0"; fi

t_begin "SQL metacharacters are stored verbatim"
evil="Robert'); DROP TABLE haulers;--"
if expect_exit 0 add_hauler company "$evil" && id=$OUT &&
   expect_exit 0 add_hauler contact "x\" OR 1=1; --" &&
   expect_exit 0 hg hauler list --json &&
   json_has "[r['company'] for r in d if r['id'] == $id] == ['''$evil'''] and len(d) == 8" <<<"$OUT" &&
   [ "$(sqlite3 "$d/hg.db" "SELECT count(*) FROM haulers")" = 8 ]
then t_ok; else t_fail "" "$OUT$ERR"; fi

# ---- numbers ----
t_begin "capacity zero, negative, absurd or not a number is refused"
ok=1
for cap in 0 -5 20001 99999999999999999999 12abc "" " 12" 1e3 0x10; do
	if ! expect_exit 1 hg truck add --hauler 1 --ident T --capacity "$cap" ||
	   ! grep -q -- "--capacity" <<<"$ERR"; then
		ok=0
		echo "# capacity '$cap': rc $RC $ERR"
	fi
done
if expect_exit 0 hg truck add --hauler 1 --ident T --capacity 20000 &&
   expect_exit 0 hg truck add --hauler 1 --ident T1 --capacity 1; then :; else ok=0; fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "bad ids are refused"
if expect_exit 1 hg hauler suspend abc && expect_exit 1 hg hauler suspend 0 &&
   expect_exit 1 hg hauler suspend 99999999999999999999 &&
   expect_exit 1 hg truck add --hauler 1.5 --ident T --capacity 10 &&
   expect_exit 2 hg hauler suspend -1
then t_ok; else t_fail "" "$ERR"; fi

# ---- UIDs ----
t_begin "malformed UIDs are refused, before the PIN is read"
ok=1
for uid in 04a1b2 zz112233 04a1b2c3d5 04:a1:b2 "" 04a1b2c3d4e5 "04 a1:b2 c3" 04a1b2c3d4e5f6a7b8c9d0e1 "04a1b2c3;"; do
	if ! expect_exit 1 with_pin 1234 hg card add --uid "$uid" --hauler 1 --driver X ||
	   ! grep -q -- "--uid" <<<"$ERR"; then
		ok=0
		echo "# uid '$uid': rc $RC $ERR"
	fi
done
if ! expect_exit 1 with_pin 1234 hg operator add --name X --uid 123; then ok=0; fi
if ! expect_exit 1 hg card revoke nothex; then ok=0; fi
if [ $ok = 1 ]; then t_ok; else t_fail; fi

# ---- dates, waste ----
t_begin "bad dates are refused"
ok=1
for date in 2026-02-30 2026-1-5 tomorrow 2026-13-01 26-01-01 "2026-01-01x" ""; do
	if ! expect_exit 1 add_hauler from "$date" || ! grep -q -- "--from" <<<"$ERR"; then
		ok=0
		echo "# date '$date': $ERR"
	fi
done
if ! expect_exit 1 add_hauler to 2025-12-31; then ok=0; fi	# before --from
if [ $ok = 1 ]; then t_ok; else t_fail; fi

t_begin "unknown waste types are refused"
if expect_exit 1 add_hauler waste sludge && grep -q -- "--waste" <<<"$ERR" &&
   expect_exit 1 add_hauler waste "septage,,grease"
then t_ok; else t_fail "" "$ERR"; fi

# ---- corrupt database ----
t_begin "a database of garbage bytes: exit 1 with a message, file untouched"
head -c 8192 /dev/urandom >"$d/garbage.db"
cp "$d/garbage.db" "$d/garbage.orig"
if expect_exit 1 hg --db "$d/garbage.db" hauler list && [ -n "$ERR" ] &&
   expect_exit 1 hg --db "$d/garbage.db" verify &&
   expect_exit 1 hg --db "$d/garbage.db" init &&
   cmp -s "$d/garbage.db" "$d/garbage.orig"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a text file as database: exit 1"
printf 'not a database\n' >"$d/text.db"
if expect_exit 1 hg --db "$d/text.db" card list && [ -n "$ERR" ]; then t_ok; else t_fail "" "$ERR"; fi

t_begin "a sqlite database that is not haulgate's: exit 1, untouched"
sqlite3 "$d/other.db" "CREATE TABLE t(x); INSERT INTO t VALUES (1);"
sum=$(md5sum <"$d/other.db")
if expect_exit 1 hg --db "$d/other.db" hauler list && [ "$(md5sum <"$d/other.db")" = "$sum" ]
then t_ok; else t_fail "" "$ERR"; fi

# ---- corrupt configuration ----
t_begin "a bad key in the configuration: exit 1 with FILE:LINE"
printf '[station]\nid = test-01\ncolour = blue\n' >"$d/bad.ini"
if expect_exit 1 "$HG" --config "$d/bad.ini" hauler list && grep -q "bad.ini:3:" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a bad value and a broken line: each reported with its line"
printf '[station]\nid = test-01\n[session]\npin_attempts = lots\nthis is not ini\n' >"$d/bad2.ini"
if expect_exit 1 "$HG" --config "$d/bad2.ini" hauler list && grep -q "bad2.ini:4:" <<<"$ERR" &&
   grep -q "bad2.ini:5:" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "a configuration file that does not exist: exit 1"
if expect_exit 1 "$HG" --config "$d/none.ini" hauler list && grep -q "none.ini" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "./station.ini is read when no --config is given"
d2=$(tmpdir)
printf '[station]\nid = test-02\ndb = here.db\nkey = here.key\n' >"$d2/station.ini"
if (cd "$d2" && expect_exit 0 "$HG" init && [ -f here.db ] && [ -f here.key ] &&
    printf '[station]\nnonsense = 1\n' >station.ini && expect_exit 1 "$HG" hauler list &&
    grep -q "station.ini:2:" <<<"$ERR")
then t_ok; else t_fail "" "$ERR"; fi

t_begin "the database was not changed by any refused command"
if expect_exit 0 hg verify && expect_exit 0 hg hauler list --json && json_has 'len(d) == 8' <<<"$OUT"
then t_ok; else t_fail "" "$OUT$ERR"; fi

t_end
