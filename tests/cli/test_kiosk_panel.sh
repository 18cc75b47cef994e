#!/usr/bin/env bash
# test_kiosk_panel.sh: the kiosk knows its panel's size (docs/KIOSK.md,
# "Panels and touch targets"), fullscreen, on the real program.
#
# Offscreen, fullscreen is SDL's 1024x768 desktop.  HAULGATE_DRM_DIR points
# the kiosk at a folder laid out like /sys/class/drm with an 8-inch 1024x768
# panel's EDID (162x122 mm: 6.31 px/mm, so 9 mm is 57 px, more than the 51 px
# the window's size alone gives): every button of the start screen in the
# layout file (HAULGATE_KIOSK_LAYOUT) is then at least 57 px; the config's
# panel_size wins over the EDID; a disconnected connector is not read.
. "$(dirname "$0")/lib.sh"
KIOSK=${KIOSK:-"$HG_ROOT/build/haulgate-kiosk"}
export SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software SDL_AUDIODRIVER=dummy
unset HAULGATE_FONT_DIR

# an 8-inch 1024x768 panel: 16x12 cm, 1024x768 at 65 MHz, 162x122 mm
EDID_8IN='\x00\xff\xff\xff\xff\xff\xff\x00\x20\xf4\x00\x08\x00\x00\x00\x00\x01\x22\x01\x04\xa5\x10\x0c\x78\x06\xee\x91\xa3\x54\x4c\x99\x26'
EDID_8IN+='\x0f\x50\x54\x00\x00\x00\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x01\x64\x19\x00\x40\x41\x00\x26\x30\x10\x30'
EDID_8IN+='\x35\x00\xa2\x7a\x00\x00\x00\x18\x00\x00\x00\xfc\x00\x48\x47\x20\x38\x69\x6e\x20\x58\x47\x41\x0a\x20\x20\x00\x00\x00\x10\x00\x00'
EDID_8IN+='\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00\x1e'

d=$(tmpdir)
cp "$HG_ROOT/tests/scenarios/station.ini" "$d/station.ini"
printf 'nfc = sim:var/nfc\n' >> "$d/station.ini"
"$HG" --config "$d/station.ini" init --demo >/dev/null 2>&1
printf 'clock 2026-11-23T08:00:00\nexpect screen start\n' > "$d/start.kscn"

# connector DIR NAME STATUS: a connector with the 8-inch EDID
connector() {
	mkdir -p "$1/$2"
	echo "$3" > "$1/$2/status"
	printf '%b' "$EDID_8IN" > "$1/$2/edid"
}

# smallest LAYOUT: the smallest side of any button in a layout file
smallest() {
	awk '$1 == "button" { m = (m == "" || $5 < m) ? $5 : m; m = $6 < m ? $6 : m }
	     END { print m + 0 }' "$1"
}

# run CONFIG DRM: the kiosk fullscreen on the start screen (RC, ERR; layout in $d/layout)
run() {
	expect_exit 0 env HAULGATE_DRM_DIR="$2" HAULGATE_KIOSK_LAYOUT="$d/layout" "$KIOSK" \
		--config "$1" --script "$d/start.kscn"
}

t_begin "fullscreen, the panel's EDID gives its size: every button at least 9 mm (57 px at 6.31 px/mm)"
drm=$(tmpdir)
connector "$drm" card0-DSI-1 connected
if run "$d/station.ini" "$drm" && grep -q '^screen start 1024 768$' "$d/layout" &&
   printf '%s' "$ERR" | grep -q 'kiosk: panel 162x122 mm (EDID of card0-DSI-1): 6.31 px/mm' &&
   [ "$(smallest "$d/layout")" -ge 57 ]; then
	t_ok
else
	t_fail "" "smallest $(smallest "$d/layout") px; $ERR"
fi

t_begin "without an EDID the size comes from the window alone, and the kiosk says to set panel_size"
empty=$(tmpdir)
if run "$d/station.ini" "$empty" && [ "$(smallest "$d/layout")" -lt 57 ] &&
   printf '%s' "$ERR" | grep -q 'panel size from default: 0.00 px/mm at 1024x768 (set \[kiosk\] panel_size)'; then
	t_ok
else
	t_fail "" "smallest $(smallest "$d/layout") px; $ERR"
fi

t_begin "a disconnected connector's EDID is not read"
off=$(tmpdir)
connector "$off" card0-HDMI-A-1 disconnected
if run "$d/station.ini" "$off" && printf '%s' "$ERR" | grep -q 'panel size from default'; then
	t_ok
else
	t_fail "" "$ERR"
fi

t_begin "the config's panel_size wins over the EDID"
cp "$d/station.ini" "$d/big.ini"
printf '[kiosk]\npanel_size = 15in\n' >> "$d/big.ini"
if run "$d/big.ini" "$drm" && [ "$(smallest "$d/layout")" -lt 57 ] &&
   printf '%s' "$ERR" | grep -q 'panel size from config: 3.36 px/mm at 1024x768'; then
	t_ok
else
	t_fail "" "smallest $(smallest "$d/layout") px; $ERR"
fi

t_begin "a panel_size that is not one stops the kiosk with the line and what it must be"
printf '[kiosk]\npanel_size = 7\n' >> "$d/station.ini"
if expect_exit 1 "$KIOSK" --config "$d/station.ini" --script "$d/start.kscn" &&
   printf '%s' "$ERR" | grep -q 'panel_size: must be auto, the picture.s width x height in mm'; then
	t_ok
else
	t_fail "" "rc=$RC $ERR"
fi
t_end
