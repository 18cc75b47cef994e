#!/bin/sh
# Install the Debian 12 packages haulgate needs, and only those that are missing.
# Each need is checked by what is really used: a library by pkg-config, a tool
# by the command the Makefile or a test runs (command -v), a data file (fonts,
# espeak-ng voices, time zones, the CUPS socket backend) by its path, python3
# modules by importing them; each names the Debian package that provides it.
# apt-get runs only when something is missing, as root or through sudo.
#
# Usage: scripts/deps.sh [build|test|fresh]
#   build  what `make` and `make run` need (the default)
#   test   that, and what `make test`'s tests run (tests/cli/*.sh, tests/unit,
#          tests/kiosk, tests/peers, scripts/run-tests.sh, scripts/lint.sh)
#   fresh  what `make fresh-check` needs on the host (mmdebstrap, git,
#          unshare): nothing of `make test`, which runs inside the new root
set -eu
want=${1:-build}

missing=""
add() {		# add <debian package>: once
	case " $missing " in *" $1 "*) ;; *) missing="$missing $1" ;; esac
}
need_pc() {	# need_pc <pkg-config name> <debian package>
	pkg-config --exists "$1" 2>/dev/null || add "$2"
}
need_cmd() {	# need_cmd <command> <debian package>
	command -v "$1" >/dev/null 2>&1 || add "$2"
}
need_file() {	# need_file <path or glob> <debian package>: one match is enough
	for f in $1; do
		[ -e "$f" ] && return 0
	done
	add "$2"
}
need_py() {	# need_py "<module> ..." <debian package>: python3 imports them all
	python3 -c "import $(echo "$1" | sed 's/ /, /g')" >/dev/null 2>&1 || add "$2"
}

case $want in
build | test) ;;
fresh)
	# scripts/fresh-check.sh: a Debian root, the repository cloned into it,
	# mounts in a private namespace
	need_cmd mmdebstrap mmdebstrap
	need_cmd git git
	need_cmd unshare util-linux
	need_cmd mount mount
	;;
*)
	echo "deps: usage: scripts/deps.sh [build|test|fresh]" >&2
	exit 2
	;;
esac

if [ "$want" != fresh ]; then
	# the build (Makefile, kiosk/kiosk.mk)
	need_cmd cc gcc
	need_file /usr/include/stdio.h libc6-dev	# only a Recommends of gcc
	need_cmd ar binutils
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
	# the sync to the plant's server (station/sync.c): HTTPS with a pinned key
	need_pc libcurl libcurl4-openssl-dev
	# the kiosk (build/haulgate-kiosk): SDL2, its fonts, PNG snaps, speech in
	# English and Spanish (espeak_SetVoiceByName "en" / "es")
	need_pc sdl2 libsdl2-dev
	need_pc SDL2_ttf libsdl2-ttf-dev
	need_pc SDL2_image libsdl2-image-dev
	need_pc espeak-ng libespeak-ng-dev
	need_file '/usr/lib/*/espeak-ng-data/en_dict' espeak-ng-data
	need_file '/usr/lib/*/espeak-ng-data/es_dict' espeak-ng-data
	need_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf fonts-dejavu-core
	need_file /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf fonts-dejavu-core
	# hardware (drivers/): card readers through libnfc, relays and pulse meters
	# through libgpiod, receipts through CUPS as ESC/POS raster with a QR code,
	# their text in DejaVu Sans Mono (drivers/raster.c)
	need_pc libnfc libnfc-dev
	need_pc libgpiod libgpiod-dev
	need_pc libqrencode libqrencode-dev
	need_pc freetype2 libfreetype-dev
	need_cmd cups-config libcups2-dev
	# the plant's server (build/haulgate-potw, potw/potw.mk): HTTPS through
	# libmicrohttpd, whose TLS is GnuTLS
	need_pc libmicrohttpd libmicrohttpd-dev
	need_file /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf fonts-dejavu-core
	# [station] timezone (the demo's and the tests' station.ini: America/Denver)
	need_file /usr/share/zoneinfo/America/Denver tzdata
fi

if [ "$want" = test ]; then
	need_pc cmocka libcmocka-dev
	# the shell around every test (Debian's essential set has them; a
	# stripped image may not)
	need_cmd bash bash
	need_cmd awk mawk
	need_cmd sed sed
	need_cmd grep grep
	need_cmd find findutils
	need_cmd cmp diffutils
	for c in timeout mktemp mkfifo seq stat md5sum sha256sum base64 od tr cut head tail wc; do
		need_cmd "$c" coreutils
	done
	need_cmd setpriv util-linux		# tests/cli/peers.sh: --pdeathsig
	# tests/cli/test_no_sdl.sh: what the CLI links and the library imports
	need_cmd readelf binutils
	need_cmd nm binutils
	need_cmd ldd libc-bin
	need_cmd pgrep procps			# tests/cli/peers.sh: cups_kill9
	# the records: raw edits, signatures checked by an outside judge
	need_cmd sqlite3 sqlite3
	need_cmd openssl openssl
	# tests/cli/test_potw.sh: the plant's server through libcurl, pinned
	need_cmd curl curl
	# tests/cli/test_potw_durable.sh: the server's fdatasync before its answer
	need_cmd strace strace
	# tests/peers/faultproxy (the faulty proxy of the sync tests): TLS on
	# both sides through OpenSSL's libssl, which libssl-dev has beside libcrypto
	need_pc libssl libssl-dev
	need_cmd python3 python3
	# (python3-minimal alone has /usr/bin/python3 but not all of these)
	need_py "binascii csv html json xml socket datetime os re sys termios tty select time random struct zlib" python3
	# tests/peers/plant_stub.py: the plant's sync endpoints over TLS (test_sync_client.sh)
	need_py "ssl http.server hashlib base64 subprocess argparse sqlite3" python3
	# the kiosk's tests: a display server, clicks, screenshots and image checks
	# (PNG and PBM only: Debian's ImageMagick policy.xml allows both)
	need_cmd Xvfb xvfb
	need_cmd xdotool xdotool
	need_cmd import imagemagick
	need_cmd convert imagemagick
	need_cmd compare imagemagick
	need_cmd identify imagemagick
	# the NFC tests: libnfc's own tools against the PN532 emulator
	need_cmd nfc-list libnfc-bin
	need_cmd nfc-poll libnfc-examples
	# the printer tests: a private cupsd, its admin tools, its raw queue's
	# socket:// backend (in the package cups, not cups-daemon), QR read-back
	need_cmd cupsd cups-daemon
	need_file /usr/lib/cups/backend/socket cups
	need_cmd lpadmin cups-client
	need_cmd lpstat cups-client
	need_cmd cupsenable cups-client
	need_cmd cupsdisable cups-client
	need_cmd zbarimg zbar-tools
	# checkpoints and proofs checked by Go's own sumdb/note and sumdb/tlog
	# (tests/peers/tlogcheck, built in GOPATH mode from Debian's sources)
	need_cmd go golang-go
	need_file /usr/share/gocode/src/golang.org/x/mod/sumdb/note/note.go golang-golang-x-mod-dev
	need_file /usr/share/gocode/src/golang.org/x/mod/sumdb/tlog/tlog.go golang-golang-x-mod-dev
	# a station's clock moved 30 days on (tests/cli/test_sync_offline.sh):
	# libfaketime preloaded under the CLI and the plant's server
	need_cmd faketime faketime
	# the systemd units checked (tests/cli/test_systemd_units.sh)
	need_cmd systemd-analyze systemd
	# the plant's web pages in a real browser (tests/cli/test_web_browser.sh):
	# headless Chromium driven by Selenium, axe-core from npm into build/
	need_cmd chromium chromium
	need_cmd chromedriver chromium-driver
	# Debian's own python3 (a python3 earlier on PATH may be another)
	/usr/bin/python3 -c "import selenium" >/dev/null 2>&1 || add python3-selenium
	need_cmd npm npm
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
