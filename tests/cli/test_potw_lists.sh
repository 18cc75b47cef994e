#!/usr/bin/env bash
# test_potw_lists.sh: the plant's `loads`, `rv-visits` and `report month`
# (potw/cmd_lists.c) against the stations' own, on real data: two demo
# stations play scenarios (loads accepted, held for a sample, refused, RV
# visits, in two months), send their logs with `haulgate sync now` to
# build/asan/haulgate-potw serving on loopback TLS, and then every listing
# of the plant, as a table, CSV and JSON, is the station's own output for
# the same filters with a station column first; every station's rows
# together, --station, --totals (summed over the stations, checked against
# the two stations' reports added up), and bad arguments refused as the
# station refuses them (exit 1, or 2 for a wrong command line).
# POTW and HG can name other binaries.
. "$(dirname "$0")/lib.sh"
POTW=${POTW:-"$HG_ROOT/build/asan/haulgate-potw"}
SCN="$HG_ROOT/tests/scenarios"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
# the plant shows times in its own local time, the station in its
# [station] timezone (tests/scenarios/station.ini): the same zone here
export TZ=America/Denver
SRV_PID=""

stop_server() {
	if [ -n "$SRV_PID" ]; then
		kill "$SRV_PID" 2>/dev/null
		wait "$SRV_PID" 2>/dev/null
		SRV_PID=""
	fi
}
trap 'stop_server; t_cleanup' EXIT
trap 'exit 1' HUP INT TERM

for p in "$POTW" "$HG"; do
	[ -x "$p" ] || {
		echo "not ok - no $p: make $p"
		exit 1
	}
done
command -v python3 >/dev/null 2>&1 || {
	echo "not ok - python3 is missing: run scripts/deps.sh test"
	exit 1
}

d=$(tmpdir)
mkdir -p "$d/P"
cat >"$d/P/potw.ini" <<'EOF2'
[server]
listen = 127.0.0.1:0
db = potw.db
key = potw.key
threads = 2
[tls]
cert = tls.crt
key = tls.key
EOF2
pw() { "$POTW" --config "$d/P/potw.ini" "$@"; }
pw init >/dev/null 2>&1
pin=$(pw key 2>/dev/null)
vkey=$(pw key --note-verifier 2>/dev/null)

"$POTW" --config "$d/P/potw.ini" serve >"$d/serve.out" 2>"$d/serve.err" &
SRV_PID=$!
port=""
for _ in $(seq 200); do
	port=$(sed -n 's|^haulgate-potw: listening on https://127.0.0.1:\([0-9]*\) .*|\1|p' "$d/serve.out")
	[ -n "$port" ] && break
	kill -0 "$SRV_PID" 2>/dev/null || break
	sleep 0.05
done

# station DIR ID: a demo station registered at the plant, syncing to it
station() {
	mkdir -p "$1"
	sed "s/^id = .*/id = $2/" "$SCN/station.ini" >"$1/station.ini"
	# the demo roster before [sync]: a plant-managed station refuses it
	"$HG" --config "$1/station.ini" init --demo >/dev/null 2>&1
	printf '\n[sync]\nurl = https://127.0.0.1:%s\npin = %s\nplant_key = %s\n' \
		"$port" "$pin" "$vkey" >>"$1/station.ini"
	"$HG" --config "$1/station.ini" keys --public-pem >"$1/station.pem"
	pw station add --id "$2" --name "Gate $2" --key-pem "$1/station.pem" >/dev/null 2>&1
}
# play DIR SCENARIO [DAY]: the scenario, its clock moved to DAY
play() {
	local f="$SCN/$2.scn"
	if [ -n "${3:-}" ]; then
		sed "s/^clock 2026-11-23/clock $3/" "$f" >"$1/$2-$3.scn"
		f="$1/$2-$3.scn"
	fi
	"$HG" --config "$1/station.ini" simulate --script "$f" >/dev/null 2>&1
}

A="$d/A" B="$d/B"
t_begin "two stations record loads and RV visits in two months and sync them to the plant"
station "$A" test-01
station "$B" other-02
play "$A" refused_rcra_es 2026-10-14 && play "$A" rv_visit 2026-10-14 &&
	play "$A" hauler_first_load && play "$A" rv_visit && play "$A" operator &&
	play "$B" hauler_first_load && play "$B" refused_rcra_es
ok=$?
if [ -n "$port" ] && [ "$ok" = 0 ] &&
   expect_exit 0 "$HG" --config "$A/station.ini" sync now &&
   expect_exit 0 "$HG" --config "$B/station.ini" sync now &&
   [ "$(pw --csv station list | tr -d '\r' | grep -c ',[1-9][0-9]*,0$')" = 2 ]
then t_ok; else t_fail "" "port '$port' scenarios $ok $OUT $ERR $(tail -3 "$d/serve.err")"; fi

# strip FMT: the plant's listing without its first (station) column
strip() {
	case $1 in
	text) awk 'NR == 1 { h = $0; next }
		NR == 2 { n = index($0, " "); while (substr($0, n, 1) == " ") n++
			  print substr(h, n); print substr($0, n); next }
		{ print substr($0, n) }' ;;
	csv) cut -d, -f2- ;;
	json) python3 -c 'import json, sys
rows = json.load(sys.stdin, object_pairs_hook=list)
assert all(r[0][0] == "station" for r in rows), "no station column first"
print(json.dumps([r[1:] for r in rows], ensure_ascii=False))' ;;
	esac
}
# canon FMT: the station's listing, JSON made comparable with strip's
canon() {
	if [ "$1" = json ]; then
		python3 -c 'import json, sys
print(json.dumps(json.load(sys.stdin, object_pairs_hook=list), ensure_ascii=False))'
	else cat; fi
}
fmtopt() { case $1 in text) ;; csv) echo --csv ;; json) echo --json ;; esac; }

# same DIR ID ARGS...: the plant's listing of station ID (--station) in
# every format, its station column taken off, is the station's own
same() {
	local dir=$1 id=$2 f st pl
	shift 2
	for f in text csv json; do
		# shellcheck disable=SC2046
		st=$("$HG" --config "$dir/station.ini" $(fmtopt $f) "$@" 2>"$d/st.err" | canon $f) || return 1
		# shellcheck disable=SC2046
		pl=$(pw $(fmtopt $f) "$@" --station "$id" 2>"$d/pl.err" | strip $f) || return 1
		if [ "$st" != "$pl" ] || [ -z "$st" ]; then
			echo "# $f: $* differs"
			diff <(printf '%s\n' "$st") <(printf '%s\n' "$pl") | head -20 | sed 's/^/# /'
			cat "$d/st.err" "$d/pl.err" | sed 's/^/# /'
			return 1
		fi
	done
}

t_begin "loads: the plant's, for each station, are the station's own (table, CSV, JSON)"
out=$(same "$A" test-01 loads && same "$B" other-02 loads)
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi

t_begin "rv-visits: the plant's are the station's own"
out=$(same "$A" test-01 rv-visits && same "$B" other-02 rv-visits)
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi

t_begin "report month: the plant's, for each station and month, is the station's own"
out=$(same "$A" test-01 report month 2026-11 && same "$A" test-01 report month 2026-10 &&
	same "$B" other-02 report month 2026-11)
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi

t_begin "the station's filters: --from, --to, --hauler, --flagged give the station's rows"
out=$(same "$A" test-01 loads --from 2026-11-01 --to 2026-11-30 &&
	same "$A" test-01 loads --to 2026-10-31 && same "$A" test-01 loads --hauler 1 --flagged &&
	same "$A" test-01 loads --flagged && same "$A" test-01 rv-visits --from 2026-11-23 &&
	same "$A" test-01 rv-visits --from 2026-10-01 --to 2026-10-31)
if [ $? = 0 ]; then t_ok; else t_fail "" "$out"; fi

t_begin "without --station: every station's rows, each station's the station's own, by station"
nA=$("$HG" --config "$A/station.ini" --csv loads | tail -n +2 | wc -l)
nB=$("$HG" --config "$B/station.ini" --csv loads | tail -n +2 | wc -l)
all=$(pw --csv loads | tr -d '\r')
stA=$("$HG" --config "$A/station.ini" --csv loads | tail -n +2 | tr -d '\r')
if [ "$nA" -ge 4 ] && [ "$nB" -ge 2 ] && [ "$(head -1 <<<"$all" | cut -d, -f1-2)" = station,load_no ] &&
   [ "$(tail -n +2 <<<"$all" | cut -d, -f1 | uniq | tr '\n' ' ')" = "other-02 test-01 " ] &&
   [ "$(grep -c '^other-02,' <<<"$all")" = "$nB" ] &&
   [ "$(grep '^test-01,' <<<"$all" | cut -d, -f2-)" = "$stA" ] &&
   [ "$(pw --csv rv-visits | grep -c '^test-01,')" = 4 ] &&
   [ "$(pw --csv report month 2026-11 | cut -d, -f1 | tail -n +2 | uniq | tr '\n' ' ')" = "other-02 test-01 " ]
then t_ok; else t_fail "" "A $nA B $nB
$all
$(pw --csv rv-visits)
$(pw --csv report month 2026-11)"; fi

t_begin "report month --totals: per company and permit, summed over the stations"
python3 - "$HG" "$A/station.ini" "$B/station.ini" >"$d/want.json" <<'EOF'
import json, subprocess, sys
hg, inis = sys.argv[1], sys.argv[2:]
tot = {}
for ini in inis:
    rows = json.loads(subprocess.run([hg, "--config", ini, "--json", "report", "month", "2026-11"],
                                     check=True, capture_output=True).stdout)
    for r in rows:
        k = (r["company"], r["permit"])
        if k not in tot:
            tot[k] = dict(r)
            continue
        for c, v in r.items():
            if isinstance(v, int):
                tot[k][c] += v
print(json.dumps(sorted(tot.values(), key=lambda r: (r["company"], r["permit"]))))
EOF
pw --json report month 2026-11 --totals >"$d/got.json"
if python3 -c 'import json, sys
w = json.load(open(sys.argv[1])); g = json.load(open(sys.argv[2]))
sys.exit(0 if w == g and len(g) >= 2 and g[0]["loads"] > 2 else 1)' "$d/want.json" "$d/got.json"
then t_ok; else t_fail "" "want $(cat "$d/want.json")
got  $(cat "$d/got.json")"; fi

t_begin "report month --station --totals: one station's report exactly, no station column"
ok=0
for f in text csv json; do
	# shellcheck disable=SC2046
	[ "$("$HG" --config "$A/station.ini" $(fmtopt $f) report month 2026-11)" = \
	  "$(pw $(fmtopt $f) report month 2026-11 --station test-01 --totals)" ] || ok=1
done
if [ "$ok" = 0 ]; then t_ok; else t_fail; fi

t_begin "a month with nothing, a station with nothing in it: the header alone"
if expect_exit 0 pw --csv report month 2025-01 && [ "$(tr -d '\r' <<<"$OUT")" = station,company,permit,loads,septage,portable,grease,industrial,gallons,samples,refusals ] &&
   expect_exit 0 pw --json loads --station other-02 --from 2026-12-01 && [ "$OUT" = "[]" ]
then t_ok; else t_fail "" "$OUT"; fi

t_begin "--station: an unknown station and a bad id refused, exit 1"
if expect_exit 1 pw loads --station nosuch && grep -q "no station 'nosuch'" <<<"$ERR" &&
   expect_exit 1 pw rv-visits --station "bad id!" && grep -q "is not a station id" <<<"$ERR" &&
   expect_exit 1 pw report month 2026-11 --station haulgate.potw && grep -q "is not a station id" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

t_begin "bad dates and months: refused in the station's words, exit 1"
ok=0
for args in "loads --from 2026-02-31" "loads --from 2026-11-30 --to 2026-11-01" \
	"rv-visits --to yesterday" "loads --hauler 0" "report month 2026-13" "report month 26-11"; do
	# shellcheck disable=SC2086
	expect_exit 1 "$HG" --config "$A/station.ini" $args >/dev/null || ok=1
	se=$ERR
	# shellcheck disable=SC2086
	expect_exit 1 pw $args >/dev/null || ok=1
	if [ -z "$se" ] || [ "$se" != "$ERR" ]; then ok=1; echo "# $args: '$se' / '$ERR'"; fi
done
if [ "$ok" = 0 ]; then t_ok; else t_fail; fi

t_begin "a wrong command line: exit 2"
if expect_exit 2 pw report month && expect_exit 2 pw report month 2026-11 2026-12 &&
   expect_exit 2 pw rv-visits --hauler 1 && expect_exit 2 pw loads --totals &&
   expect_exit 2 pw loads --station && expect_exit 2 pw --csv --json loads &&
   expect_exit 0 pw loads --help && grep -q "loads \[--from DATE\].*\[--station ID\]" <<<"$OUT"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_begin "no database: said, exit 1"
sed 's|^db = .*|db = none.db|' "$d/P/potw.ini" >"$d/P/none.ini"
if expect_exit 1 "$POTW" --config "$d/P/none.ini" loads && grep -q "haulgate-potw init" <<<"$ERR"
then t_ok; else t_fail "" "$ERR"; fi

stop_server
t_end
