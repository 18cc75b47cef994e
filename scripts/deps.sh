#!/bin/sh
# Install the Debian packages haulgate needs, and only those that are missing.
# Libraries are checked with pkg-config, tools with command -v; apt-get runs only
# when something is missing, as root or through sudo.  Usage: scripts/deps.sh [build|test]
set -eu
want=${1:-build}

missing=""
need_pc() {	# need_pc <pkg-config name> <debian package>
	pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"
}
need_cmd() {	# need_cmd <command> <debian package>
	command -v "$1" >/dev/null 2>&1 || missing="$missing $2"
}
need_file() {	# need_file <path> <debian package>
	[ -e "$1" ] || missing="$missing $2"
}

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
need_pc sqlite3 libsqlite3-dev
need_pc libsodium libsodium-dev
need_pc inih libinih-dev
need_pc libcjson libcjson-dev
need_pc libcrypto libssl-dev
need_pc libmodbus libmodbus-dev
# Unicode categories, NFC and case folding (core/text.c)
need_pc libutf8proc libutf8proc-dev
# the kiosk (build/haulgate-kiosk): SDL2, its fonts, PNG snaps, speech
need_pc sdl2 libsdl2-dev
need_pc SDL2_ttf libsdl2-ttf-dev
need_pc SDL2_image libsdl2-image-dev
need_pc espeak-ng libespeak-ng-dev
need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
# hardware (drivers/): card readers through libnfc, relays and pulse meters
# through libgpiod, receipts through CUPS as ESC/POS raster with a QR code
need_pc libnfc libnfc-dev
need_pc libgpiod libgpiod-dev
need_pc libqrencode libqrencode-dev
need_cmd cups-config libcups2-dev
if [ "$want" = test ]; then
	need_pc cmocka libcmocka-dev
	need_cmd sqlite3 sqlite3
	need_cmd openssl openssl
	need_cmd python3 python3
	# the kiosk's tests: a display server, clicks, image checks
	need_cmd Xvfb xvfb
	need_cmd xdotool xdotool
	need_cmd compare imagemagick
	# the NFC tests: libnfc's own tools against the PN532 emulator
	need_cmd nfc-list libnfc-bin
	need_cmd nfc-poll libnfc-examples
	# the printer tests: a private cupsd, its admin tools, QR read-back
	need_cmd cupsd cups-daemon
	need_cmd lpadmin cups-client
	need_cmd zbarimg zbar-tools
fi

[ -z "$missing" ] && exit 0
echo "deps: installing$missing" >&2
if [ "$(id -u)" = 0 ]; then
	sudo=""
elif command -v sudo >/dev/null 2>&1; then
	sudo="sudo"
else
	echo "deps: missing$missing and not root (no sudo): install them and run again" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# a fresh machine has no package lists yet; update once, then install
if ! $sudo apt-get install -y --no-install-recommends $missing >/dev/null 2>&1; then
	$sudo apt-get update -qq
	$sudo apt-get install -y --no-install-recommends $missing
fi
