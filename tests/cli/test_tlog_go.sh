#!/usr/bin/env bash
# test_tlog_go.sh: the checkpoints and proofs of core/merkle.c and
# core/note.c, judged by code nobody here wrote (issue 11; docs/CHECKPOINTS.md).
#
# build/peers/tlog_emit writes a log of 300 random leaves: its checkpoints
# (C2SP tlog-checkpoint, signed by the station, cosigned by the plant),
# inclusion and consistency proofs as JSON, and the verifier keys.
# build/peers/tlogcheck (tests/peers/tlogcheck/main.go) checks them with Go's
# golang.org/x/mod/sumdb/note (note.Open) and sumdb/tlog (CheckRecord,
# CheckTree, and TreeHash, ProveRecord, ProveTree from the leaves): the good
# ones pass; a byte flipped in a root, a signature, a proof hash or an
# event's hash fails, as do a checkpoint without the plant's cosignature, a
# key that is not the station's, and a well-signed checkpoint of a log
# rewritten at one leaf.  Both programs are built by `make test`.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

EMIT=build/peers/tlog_emit
CHECK=build/peers/tlogcheck
ORIGIN=haulgate.station/demo-01
PLANT=haulgate.potw/demo-plant
command -v python3 >/dev/null 2>&1 || {
	echo "not ok - python3 is missing: run scripts/deps.sh test"
	exit 1
}
for p in "$EMIT" "$CHECK"; do
	[ -x "$p" ] || {
		echo "not ok - $p is not built: make $EMIT $CHECK (make test builds them)"
		exit 1
	}
done

d=$(tmpdir)
t_begin "tlog_emit writes the checkpoints and proofs of a log of 300 leaves"
if expect_exit 0 "$EMIT" "$d" 300 137 && [ -s "$d/cp-300.note" ] && [ -s "$d/leaves.txt" ]; then
	t_ok
else
	t_fail "" "$ERR"
fi
SKEY=$(cat "$d/station.vkey")
PKEY=$(cat "$d/plant.vkey")
OKEY=$(cat "$d/other.vkey")
notes=()
for f in "$d"/cp-*.note; do
	notes+=(-note "$f")
done
proofs=("$d"/incl-*.json "$d"/cons-*.json)

# check ARGS...: tlogcheck with the station's and the plant's keys
check() {
	"$CHECK" -key "$SKEY" -key "$PKEY" -origin "$ORIGIN" "$@"
}

t_begin "Go opens every checkpoint with both keys and checks every proof (note.Open, tlog.CheckRecord, tlog.CheckTree)"
if expect_exit 0 check "${notes[@]}" "${proofs[@]}"; then
	oks=$(printf '%s\n' "$OUT" | grep -c '^ok ')
	want=$((${#notes[@]} / 2 + ${#proofs[@]}))
	if [ "$oks" -eq "$want" ] && [ "${#proofs[@]}" -ge 30 ]; then
		t_ok
	else
		t_fail "" "$oks checks passed, not $want: $OUT"
	fi
else
	t_fail
fi

t_begin "the roots are tlog.TreeHash's of the leaves, the proofs tlog.ProveRecord's and tlog.ProveTree's"
if expect_exit 0 check -leaves "$d/leaves.txt" "${notes[@]}" "${proofs[@]}"; then t_ok; else t_fail; fi

t_begin "the station's key alone opens a checkpoint (the plant's line is an unknown signature to it)"
if expect_exit 0 "$CHECK" -key "$SKEY" -note "$d/cp-300.note" "$d/incl-150-300.json"; then
	t_ok
else
	t_fail
fi

# flip SRC DST WHAT: copy a note or a proof with one byte flipped: WHAT is
# root (a note's root), sig:N (the Nth signature line, past its key id),
# hash (a proof's event hash) or hashes:K (a proof's Kth hash)
flip() {
	python3 - "$@" <<'EOF'
import binascii, json, sys

src, dst, what = sys.argv[1:4]


def flipped(b64, pos):
    raw = bytearray(binascii.a2b_base64(b64))
    raw[pos] ^= 0x01
    return binascii.b2a_base64(bytes(raw), newline=False).decode()


if src.endswith(".json"):
    with open(src) as f:
        p = json.load(f)
    if what == "hash":
        p["hash"] = flipped(p["hash"], 5)
    else:
        k = int(what.split(":")[1])
        p["hashes"][k] = flipped(p["hashes"][k], 5)
    with open(dst, "w") as f:
        json.dump(p, f)
else:
    with open(src, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if what == "root":
        lines[2] = flipped(lines[2], 5)
    else:
        i = lines.index("") + int(what.split(":")[1])
        head, b64 = lines[i].rsplit(" ", 1)
        lines[i] = head + " " + flipped(b64, 10)
    with open(dst, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
EOF
}

# refused NAME WORDS ARGS...: tlogcheck ARGS exits 1 and says WORDS
refused() {
	local name=$1 words=$2
	shift 2
	t_begin "$name"
	if expect_exit 1 check "$@"; then
		if printf '%s\n' "$OUT" | grep -q -- "$words"; then
			t_ok
		else
			t_fail "" "refused, but without '$words': $OUT"
		fi
	else
		t_fail
	fi
}

t=$(tmpdir)
flip "$d/cp-300.note" "$t/root.note" root
refused "a byte flipped in a checkpoint's root: refused (the station's signature fails)" \
	"invalid signature for key $ORIGIN" -note "$t/root.note"

flip "$d/cp-300.note" "$t/sig.note" sig:1
refused "a byte flipped in the station's signature: refused" \
	"invalid signature for key $ORIGIN" -note "$t/sig.note"

flip "$d/cp-300.note" "$t/cosig.note" sig:2
refused "a byte flipped in the plant's cosignature: refused" \
	"invalid signature for key $PLANT" -note "$t/cosig.note"

head -n 5 "$d/cp-300.note" >"$t/nocosig.note"
refused "a checkpoint without the plant's cosignature: refused when the plant's key is needed" \
	"not signed by $PLANT" -note "$t/nocosig.note"

t_begin "another key under the station's name: its checkpoint is not the station's"
if expect_exit 1 "$CHECK" -key "$OKEY" -key "$PKEY" -note "$d/cp-300.note" &&
	printf '%s\n' "$OUT" | grep -q "not signed by $ORIGIN"; then
	t_ok
else
	t_fail "" "$OUT"
fi

for k in 0 4 8; do
	flip "$d/incl-150-300.json" "$t/incl-$k.json" "hashes:$k"
	refused "a byte flipped in hash $k of an inclusion proof: refused" \
		"invalid transparency proof" -note "$d/cp-300.note" "$t/incl-$k.json"
done

flip "$d/incl-150-300.json" "$t/incl-hash.json" hash
refused "a byte flipped in the event's hash of an inclusion proof: refused" \
	"invalid transparency proof" -note "$d/cp-300.note" "$t/incl-hash.json"

for k in 0 5 9; do
	flip "$d/cons-137-300.json" "$t/cons-$k.json" "hashes:$k"
	refused "a byte flipped in hash $k of a consistency proof: refused" \
		"invalid transparency proof" -note "$d/cp-137.note" -note "$d/cp-300.note" \
		"$t/cons-$k.json"
done

sed 's/"index":150/"index":151/; s/"event":151/"event":152/' "$d/incl-150-300.json" >"$t/other-leaf.json"
refused "an inclusion proof given for another leaf: refused" \
	"invalid transparency proof" -note "$d/cp-300.note" "$t/other-leaf.json"

refused "an inclusion proof of the tree of 137 checked against the checkpoint of 300: refused" \
	"no good checkpoint of size 137" -note "$d/cp-300.note" "$d/incl-64-137.json"

refused "a log rewritten at one leaf, its checkpoint well signed: its proofs fail" \
	"invalid transparency proof" -note "$d/rewritten.note" -note "$d/cp-137.note" \
	"$d/incl-150-300.json" "$d/cons-137-300.json"

refused "a log rewritten at one leaf: the leaves do not make its root" \
	"but the leaves make" -leaves "$d/leaves.txt" -note "$d/rewritten.note"

refused "two checkpoints of one size with two roots (a fork): refused" \
	"another checkpoint of size 300 has another root" -note "$d/cp-300.note" \
	-note "$d/rewritten.note"

t_end
