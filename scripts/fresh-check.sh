#!/usr/bin/env bash
# fresh-check.sh: `make test` on a fresh Debian 12, as a new machine runs it.
#
# Called by `make fresh-check` (as root: mmdebstrap, chroot and mounts need it).
# Every run, from scratch:
#   1. scripts/deps.sh fresh: mmdebstrap, git and unshare on this machine
#      (nothing of `make test`'s own list: that is what is being checked);
#   2. build/fresh/root: a minimal Debian 12 (bookworm) made by mmdebstrap,
#      variant minbase, from this machine's own apt sources
#      (/etc/apt/sources.list and sources.list.d/*.list, *.sources) and the
#      apt settings this machine needs to reach them (Acquire::Check-Valid-Until,
#      Acquire::Check-Date, a proxy), with only make and git added
#      (ca-certificates too when a source is https), and the certificate
#      authorities this machine adds (/usr/local/share/ca-certificates: an
#      egress proxy's, which npm's registry is reached through); then what a Debian
#      installation writes besides (/etc/hosts: localhost) and a
#      policy-rc.d that keeps package scripts from starting services in the
#      chroot (no init runs there);
#   3. the committed HEAD of this checkout cloned into /root/haulgate there
#      (uncommitted changes are not checked, and it says so);
#   4. in a private mount namespace: /proc, /sys (read-only), a new devpts
#      instance on /dev/pts with /dev/ptmx bound to it, tmpfs on /dev/shm and
#      /tmp; then `make test` in the chroot as root, in a clean environment,
#      its whole output in build/fresh/make-test.log.
# Everything it mounted is unmounted, and anything still running in the
# chroot is killed, on every way out (a trap); the namespace itself goes with
# the process even on kill -9.  The root is kept after the run, to look at,
# and removed at the start of the next one.
#
# Prints the failed test programs and the inner run's summary line ("N passed,
# N failed", the last line of scripts/run-tests.sh), and exits with the inner `make test`'s status (2 when the root
# could not be made).  Takes about 25 minutes on 2 cores: run it with nice.
#
# Usage: scripts/fresh-check.sh [COMMAND]
#   COMMAND, a shell command line run in /root/haulgate of the new root
#   instead of `make test` (say, "scripts/deps.sh test && make lint").
set -u

cd "$(dirname "$0")/.." || exit 2
REPO=$PWD
FRESH=$REPO/build/fresh
ROOT=$FRESH/root
LOG=$FRESH/make-test.log
SUITE=bookworm
CMD=${1:-make test}

say() { echo "fresh-check: $*" >&2; }

if [ "$(id -u)" != 0 ]; then
	say "must run as root (mmdebstrap, chroot and mounts need it)"
	exit 2
fi

# Once, at the start: the whole run goes into a private mount namespace, so
# no mount made here is seen outside, or outlives this process.
if [ -z "${HG_FRESH_NS:-}" ]; then
	HG_FRESH_NS=1 exec unshare --mount --propagation private -- "$REPO/scripts/fresh-check.sh" "$@"
fi

t0=$(date +%s)
scripts/deps.sh fresh || exit 2

head=$(git rev-parse HEAD) || { say "not a git checkout"; exit 2; }
if [ -n "$(git status --porcelain --untracked-files=no)" ]; then
	say "uncommitted changes are not checked: the root gets HEAD ${head:0:12} only"
fi

# ---- mounts, undone on every way out ----
mounted=()
cleanup() {
	local p i
	# what the tests left running in the chroot (a cupsd, a peer): by pid
	for p in /proc/[0-9]*; do
		[ "$(readlink "$p/root" 2>/dev/null)" = "$ROOT" ] && kill -9 "${p#/proc/}" 2>/dev/null
	done
	for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
		umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
			say "cannot unmount ${mounted[i]}"
	done
	mounted=()
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

mnt() {		# mnt TARGET MOUNT-ARGS...: mount, and remember it
	local target=$1
	shift
	mount "$@" "$target" || { say "cannot mount $target"; exit 2; }
	mounted+=("$target")
}

# ---- 1. a fresh root ----
if grep -q " ${ROOT}[/ ]" /proc/self/mountinfo; then
	say "something is still mounted under $ROOT: unmount it first"
	exit 2
fi
rm -rf --one-file-system "$ROOT" "$LOG"
mkdir -p "$FRESH"

sources=()
[ -f /etc/apt/sources.list ] && grep -q '^[[:space:]]*deb' /etc/apt/sources.list &&
	sources+=(/etc/apt/sources.list)
for f in /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources; do
	[ -f "$f" ] && sources+=("$f")
done
if [ "${#sources[@]}" -eq 0 ]; then
	say "no apt sources on this machine (/etc/apt/sources.list, sources.list.d/)"
	exit 2
fi
include=make,git
grep -qs 'https://' "${sources[@]}" && include=$include,ca-certificates
# the certificate authorities this machine adds to Debian's (an egress
# proxy's, say: npm's registry is reached through it): a new machine of
# this workplace trusts them too
extra_ca=()
for f in /usr/local/share/ca-certificates/*.crt; do
	[ -f "$f" ] && extra_ca+=("$f")
done
[ "${#extra_ca[@]}" -gt 0 ] && case ,$include, in *,ca-certificates,*) ;; *) include=$include,ca-certificates ;; esac

# the settings this machine's apt uses to reach those sources
aptopts=()
eval "$(apt-config shell cvu Acquire::Check-Valid-Until cdate Acquire::Check-Date \
	hp Acquire::http::Proxy hsp Acquire::https::Proxy)"
[ -n "${cvu:-}" ] && aptopts+=(--aptopt="Acquire::Check-Valid-Until \"$cvu\"")
[ -n "${cdate:-}" ] && aptopts+=(--aptopt="Acquire::Check-Date \"$cdate\"")
[ -n "${hp:-}" ] && aptopts+=(--aptopt="Acquire::http::Proxy \"$hp\"")
[ -n "${hsp:-}" ] && aptopts+=(--aptopt="Acquire::https::Proxy \"$hsp\"")

say "a minimal Debian 12 ($SUITE, minbase + $include) in ${ROOT#"$REPO"/} from ${sources[*]}"
if ! mmdebstrap --variant=minbase --include="$include" "${aptopts[@]}" \
	"$SUITE" "$ROOT" "${sources[@]}" >"$FRESH/mmdebstrap.log" 2>&1; then
	tail -n 20 "$FRESH/mmdebstrap.log" >&2
	say "mmdebstrap failed (log: ${FRESH#"$REPO"/}/mmdebstrap.log)"
	exit 2
fi
# what a Debian installation writes that mmdebstrap does not
printf '127.0.0.1\tlocalhost\n::1\t\tlocalhost ip6-localhost ip6-loopback\n' >"$ROOT/etc/hosts"
printf '#!/bin/sh\n# fresh-check: no service starts in this chroot\nexit 101\n' \
	>"$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"
if [ "${#extra_ca[@]}" -gt 0 ]; then
	mkdir -p "$ROOT/usr/local/share/ca-certificates"
	cp "${extra_ca[@]}" "$ROOT/usr/local/share/ca-certificates/"
	chroot "$ROOT" update-ca-certificates >>"$FRESH/mmdebstrap.log" 2>&1 ||
		say "update-ca-certificates failed in the root (log: ${FRESH#"$REPO"/}/mmdebstrap.log)"
	# and npm told to use that store, as this machine's npm is
	printf 'cafile=/etc/ssl/certs/ca-certificates.crt\n' >"$ROOT/etc/npmrc"
fi

# ---- 2. the repository, as committed ----
if ! git clone -q --no-hardlinks "$REPO" "$ROOT/root/haulgate" ||
   ! git -C "$ROOT/root/haulgate" checkout -q --detach "$head"; then
	say "cannot clone $REPO into the root"
	exit 2
fi

# ---- 3. make test inside ----
mnt "$ROOT/proc" -t proc proc
mnt "$ROOT/sys" -t sysfs -o ro sysfs
mnt "$ROOT/dev/pts" -t devpts -o newinstance,ptmxmode=0666,mode=0620,gid=5 devpts
mnt "$ROOT/dev/ptmx" --bind "$ROOT/dev/pts/ptmx"
mnt "$ROOT/dev/shm" -t tmpfs -o mode=1777,nosuid,nodev tmpfs
mnt "$ROOT/tmp" -t tmpfs -o mode=1777,nosuid,nodev tmpfs

say "$CMD of ${head:0:12} inside (log: ${LOG#"$REPO"/})"
env -i HOME=/root TERM=dumb PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	chroot "$ROOT" /bin/sh -c "cd /root/haulgate && $CMD" >"$LOG" 2>&1 </dev/null
rc=$?
cleanup

secs=$(($(date +%s) - t0))
grep '^FAIL ' "$LOG" >&2
# run-tests.sh's summary is its last line; only make's own may follow it
last=$(awk '/^[0-9]+ passed, [0-9]+ failed$/ { s = $0; next }
	!/^make(\[[0-9]+\])?: / { s = "" } END { print s }' "$LOG")
if [ -z "$last" ]; then
	last=$(tail -n 1 "$LOG")
	say "$CMD stopped before its tests ended (exit $rc): see ${LOG#"$REPO"/}"
fi
say "$((secs / 60)) min $((secs % 60)) s, exit $rc"
echo "$last"
exit "$rc"
