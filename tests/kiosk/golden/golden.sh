# golden.sh: compare a picture of the kiosk with its reference image here.
# Sourced (after tests/cli/lib.sh) by tests/cli/test_kiosk_e2e.sh and
# tests/cli/test_kiosk_golden.sh; not a test itself.
#
# The references (tests/kiosk/golden/*.png) are committed, so they are kept
# small: 8-bit palette PNGs, made by golden_png (no dither, 256 colours: the
# kiosk's flat colours and anti-aliased text come through with at most a few
# pixels more than 3 % off).  A new picture goes through the same conversion
# before it is compared, so the same frame gives the same bytes.  Two pixels
# count as different when their colours are more than GOLDEN_FUZZ apart; a
# picture passes when at most GOLDEN_TOL pixels differ
# (`compare -metric AE -fuzz`).
#
#   GOLDEN_DIR      the references (tests/kiosk/golden; a caller may point it
#                   elsewhere: test_kiosk_golden.sh does, for docs/screenshots)
#   GOLDEN_LOGS     where a failed picture and its diff go
#                   (build/test-logs/kiosk-golden)
#   GOLDEN_FUZZ     5%
#   GOLDEN_TOL      differing pixels allowed: $HG_GOLDEN_TOLERANCE, else 100
#   HG_UPDATE_GOLDEN=1  golden_check writes the reference instead of comparing
#
#   golden_png IN OUT [RECT]  IN (a file, or - for stdin) in the reference form;
#                   RECT "x0,y0 x1,y1" is painted magenta first (a masked
#                   region, e.g. a running clock); several are separated by ";"
#   golden_check NAME FILE    FILE (from golden_png) against GOLDEN_DIR/NAME.png.
#                   0: within tolerance, or written when updating.  1: too
#                   different, or no reference; FILE and a diff image (red
#                   where they differ) are saved in GOLDEN_LOGS and GOLDEN_MSG
#                   says how many pixels differ and where the files are.
#   golden_quiet=1  golden_check saves nothing on failure (for a retry loop)
# shellcheck shell=bash

GOLDEN_DIR="$HG_ROOT/tests/kiosk/golden"
GOLDEN_LOGS="$HG_ROOT/build/test-logs/kiosk-golden"
GOLDEN_FUZZ=5%
GOLDEN_TOL=${HG_GOLDEN_TOLERANCE:-100}
GOLDEN_MSG=""
golden_quiet=""

golden_png() {
	local draw=()
	local rect
	# several rectangles: separated by ";"
	if [ -n "${3:-}" ]; then
		draw=(-fill '#ff00ff')
		IFS=';' read -ra rects <<< "$3"
		for rect in "${rects[@]}"; do
			[ -n "$rect" ] && draw+=(-draw "rectangle $rect")
		done
	fi
	convert "$1" -alpha off "${draw[@]}" -dither None -colors 256 -strip \
		-define png:exclude-chunks=date,time "PNG8:$2"
}

# golden_ae A B [DIFF]: the number of pixels of A and B more than
# GOLDEN_FUZZ apart, or "" when they cannot be compared (sizes differ)
golden_ae() {
	local out
	out=$(compare -metric AE -fuzz "$GOLDEN_FUZZ" "$1" "$2" "${3:-null:}" 2>&1 >/dev/null)
	# AE may come as 1.2345e+06; anything else (an error) is not a number
	printf '%s\n' "$out" | awk '$1 ~ /^[0-9.]+(e[+-]?[0-9]+)?$/ { printf "%d", $1 + 0.5; exit }'
}

golden_check() {
	local name=$1 act=$2 ref="$GOLDEN_DIR/$1.png" ae
	GOLDEN_MSG=""
	if [ -n "${HG_UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$GOLDEN_DIR"
		if cmp -s "$act" "$ref"; then
			GOLDEN_MSG="reference $name.png unchanged"
		else
			cp "$act" "$ref" || return 1
			GOLDEN_MSG="reference $name.png written"
		fi
		return 0
	fi
	rm -f "$GOLDEN_LOGS/$name.actual.png" "$GOLDEN_LOGS/$name.diff.png"
	if [ ! -f "$ref" ]; then
		GOLDEN_MSG="no reference ${ref#"$HG_ROOT"/} (HG_UPDATE_GOLDEN=1 writes it)"
		ae=""
	else
		ae=$(golden_ae "$act" "$ref")
		[ -n "$ae" ] && [ "$ae" -le "$GOLDEN_TOL" ] && return 0
		GOLDEN_MSG="$name: ${ae:-?} pixels differ from the reference (at most $GOLDEN_TOL)"
		[ -n "$ae" ] || GOLDEN_MSG="$name: cannot compare with the reference: $(
			identify -format '%wx%h' "$act") vs $(identify -format '%wx%h' "$ref")"
	fi
	[ -n "$golden_quiet" ] && return 1
	mkdir -p "$GOLDEN_LOGS"
	cp "$act" "$GOLDEN_LOGS/$name.actual.png"
	GOLDEN_MSG="$GOLDEN_MSG
actual: $GOLDEN_LOGS/$name.actual.png"
	if [ -n "$ae" ]; then
		golden_ae "$act" "$ref" "$GOLDEN_LOGS/$name.diff.png" >/dev/null
		GOLDEN_MSG="$GOLDEN_MSG
diff:   $GOLDEN_LOGS/$name.diff.png
reference: $ref"
	fi
	return 1
}
