#!/usr/bin/env bash
# test_label_qr.sh: `haulgate receipt verify` on a sample bottle label's QR
# (chain of custody): the label printed in a whole scenario is genuine and
# matches the sample of record; a changed bottle id is not genuine; a label
# of another station's key is not genuine; a genuine label checked against a
# database whose load 1 has another bottle does not match.
. "$(dirname "$0")/lib.sh"

D=$(tmpdir)
SCN="$HG_ROOT/tests/scenarios"
cd "$D" || exit 1
for s in a b; do
	mkdir "$s"
	cp "$SCN/station.ini" "$s/station.ini"
	"$HG" --config "$s/station.ini" init --demo >/dev/null 2>&1
done
run_scn() { "$HG" --config "$1/station.ini" simulate --script "$SCN/$2" >/dev/null 2>&1; }

t_begin "a whole load with a sample prints a label with a QR"
if run_scn a hauler_first_load.scn && label=$(ls a/var/receipts/load-000001-label*.txt 2>/dev/null) &&
	qr=$(sed -n 's/^QR: //p' "$label") && [ -n "$qr" ]; then
	t_ok
else
	t_fail "" "no label QR in $(ls -R a/var 2>&1 | head -20)"
fi

t_begin "the label's QR is genuine and matches the sample of record"
if expect_exit 0 "$HG" --config a/station.ini receipt verify "$qr" &&
	printf '%s\n' "$OUT" | grep -q '^genuine bottle label: station test-01, load 1, bottle ' &&
	printf '%s\n' "$OUT" | grep -q '^matches the sample of load 1 of record'; then
	t_ok
else
	t_fail "" "$qr: $OUT $ERR"
fi

t_begin "the label QR read from stdin, as a scanner types it (CR LF)"
printf '%s\r\n' "$qr" > qr.txt
if expect_exit 0 sh -c '"$1" --config a/station.ini receipt verify - < qr.txt' sh "$HG" &&
	printf '%s\n' "$OUT" | grep -q '^matches the sample of load 1 of record'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "a changed bottle id is not genuine"
bottle=$(printf '%s' "$qr" | sed -n 's/.*[?&]b=\([^&]*\).*/\1/p')
if [ -n "$bottle" ] && expect_exit 1 "$HG" --config a/station.ini receipt verify "${qr/b=$bottle/b=${bottle}9}" &&
	printf '%s' "$OUT" | grep -q '^not genuine: signature does not match'; then
	t_ok
else
	t_fail "" "bottle=$bottle $OUT"
fi

t_begin "another station's key: not genuine"
if expect_exit 1 "$HG" --config b/station.ini receipt verify "$qr" &&
	printf '%s' "$OUT" | grep -q '^not genuine'; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_begin "a genuine label against a record with another bottle: does not match"
# b's own genuine label, then b's record of that bottle changed behind its back
run_scn b hauler_first_load.scn
qr_b=$(sed -n 's/^QR: //p' b/var/receipts/load-000001-label*.txt)
sqlite3 b/haulgate.db "UPDATE loads SET bottle = bottle || 'X' WHERE load_no = 1"
if expect_exit 1 "$HG" --config b/station.ini receipt verify "$qr_b" &&
	printf '%s' "$OUT" | grep -q 'does not match the record: field bottle differs'; then
	t_ok
else
	t_fail "" "$OUT $ERR"
fi

t_begin "a text that is neither a receipt nor a label"
if expect_exit 1 "$HG" --config a/station.ini receipt verify "https://x.example/r?k=jar&v=1" &&
	printf '%s' "$OUT" | grep -q '^not a haulgate receipt or bottle label'; then
	t_ok
else
	t_fail "" "$OUT"
fi

t_end
