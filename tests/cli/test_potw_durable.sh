#!/usr/bin/env bash
# test_potw_durable.sh: the plant answers a batch only once it is on disk.
#
# The plant's store commits with synchronous=NORMAL and syncs its log in
# groups outside the store's lock (potw/store_sqlite_wal.c, docs/POTW.md
# "How a batch is kept"), so the order on disk is the program's to keep,
# not sqlite's.  Here the real server, build/haulgate-potw, runs under
# strace -f (fdatasync, fsync, the writes to files and sockets, each fd
# named with -yy) while one batch of a demo station's log is posted to it
# over loopback TLS (build/peers/sync_batch signs it, curl sends it with
# the plant's key pinned).  The trace must show, after the request came
# in: the batch's frames written to potw.db-wal, then an fdatasync of
# potw.db-wal begun after the last of them and ended, and only then the
# answer's first byte written to the station's TCP socket.  Then the batch
# is at the plant, whole (`verify --station`).
#
# The ASan server is not used here: LeakSanitizer cannot run under ptrace.
# POTW and HG can name other binaries.
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/peers.sh"
POTW=${POTW:-"$HG_ROOT/build/haulgate-potw"}
# shellcheck source=tests/cli/plant.sh
. "$(dirname "$0")/plant.sh"
PEER="$HG_ROOT/build/peers/sync_batch"
STRACE_PID=""

strace_stop() {	# the server first (strace on TERM would only let it go)
	[ -z "$SRV_PID" ] && [ -n "$STRACE_PID" ] && SRV_PID=$(pgrep -P "$STRACE_PID")
	plant_stop
	if [ -n "$STRACE_PID" ]; then
		wait "$STRACE_PID" 2>/dev/null
		STRACE_PID=""
	fi
}
trap 'strace_stop; peers_stop_all; t_cleanup' EXIT

peers_need strace curl python3 sqlite3 "$PEER" "$HG"

d=$(tmpdir)
plant_make "$d/plant"

t_begin "a demo station registered at a fresh plant"
s="$d/station"
mkdir -p "$s"
cp "$HG_ROOT/tests/scenarios/station.ini" "$s/station.ini"
sed -i 's/^id = .*/id = test-01/' "$s/station.ini"
if expect_exit 0 "$HG" --config "$s/station.ini" init --demo &&
   "$HG" --config "$s/station.ini" keys --public-pem >"$s/station.pem" &&
   expect_exit 0 pw station add --id test-01 --name "North gate" --key-pem "$s/station.pem"
then t_ok; else t_fail; fi
N=$(sqlite3 "$s/haulgate.db" "SELECT max(seq) FROM events")

t_begin "the server runs under strace -f"
# plant_serve through a wrapper that execs strace: $! is strace's pid, the
# server's is in the trace's first line (its execve); plant_stop ends it
printf '#!/bin/sh\nexec strace -f -yy -o "%s" -e trace=%s "%s" "$@"\n' "$d/trace" \
	execve,fdatasync,fsync,write,pwrite64,writev,sendto,sendmsg "$POTW" >"$d/strace-potw"
chmod +x "$d/strace-potw"
POTW="$d/strace-potw" plant_serve
STRACE_PID=$SRV_PID
SRV_PID=$(sed -n '1s/^\([0-9]*\) *execve(.*/\1/p' "$d/trace")
if [ -n "$PORT" ] && [ -n "$SRV_PID" ]; then t_ok; else t_fail "" "$(head -5 "$d/trace")"; fi

t_begin "a batch of $N events posted and taken: 200 with the cosigned checkpoint"
AUTH="127.0.0.1:$PORT"
"$PEER" batch "$s/haulgate.db" "$s/station.key" test-01 1 "$N" >"$d/body.json" &&
	"$PEER" sign "$s/station.key" test-01 POST "$AUTH" /api/v1/sync/events "$d/body.json" \
		>"$d/hdr"
CODE=$(curl -sS --max-time 30 --insecure --pinnedpubkey "$PIN" -H @"$d/hdr" \
	--data-binary @"$d/body.json" -o "$d/answer" -w '%{http_code}' "https://$AUTH/api/v1/sync/events")
if [ "$CODE" = 200 ] && grep -q "\"size\":$N," "$d/answer"; then t_ok
else t_fail "" "status $CODE: $(cat "$d/answer" "$PLANT/serve.err")"; fi
strace_stop

t_begin "the trace: the batch written to potw.db-wal, fdatasync of it ended, then the answer sent"
if SEEN=$(python3 - "$d/trace" <<'EOF'
import re, sys

# each line: PID syscall(fd<what>, ...) = R, or split in two:
# PID syscall(fd<what>, ... <unfinished ...> / PID <... syscall resumed>...) = R
call = re.compile(r'^(\d+) +(\w+)\((\d+)<([^>]*)>')
resumed = re.compile(r'^(\d+) +<\.\.\. (\w+) resumed>')
pending = {}
ev = []		# (line, kind, starts, ends)
lines = open(sys.argv[1]).read().splitlines()
for i, l in enumerate(lines):
    m = call.match(l)
    if m:
        pid, name, what = m.group(1), m.group(2), m.group(4)
        done = '<unfinished ...>' not in l
        if not done:
            pending[pid] = (name, what)
    else:
        m = resumed.match(l)
        if not m or m.group(1) not in pending:
            continue
        name, what = pending.pop(m.group(1))
        done = True
        l = None
    if what.endswith('potw.db-wal') and name in ('write', 'pwrite64', 'writev'):
        kind = 'wal-write'
    elif what.endswith('potw.db-wal') and name in ('fdatasync', 'fsync'):
        kind = 'wal-sync'
    elif what.startswith('TCP') and name in ('write', 'writev', 'sendto', 'sendmsg'):
        kind = 'socket'
    else:
        continue
    ev.append((i, kind, l is not None, done))

def fail(why):
    print(why)
    for i, kind, s, e in ev:
        print('%6d %-9s %s' % (i, kind, lines[i][:150]))
    sys.exit(1)

# the request: from the first byte the server wrote to the station (TLS)
sock = [i for i, k, s, e in ev if k == 'socket' and s]
if not sock:
    fail('nothing written to a TCP socket')
first = sock[0]
walw = [i for i, k, s, e in ev if k == 'wal-write' and e and i > first]
if not walw:
    fail('no write to potw.db-wal during the request: no commit seen')
answer = [i for i in sock if i > walw[0]]
if not answer:
    fail('no answer after the commit')
answer = answer[0]
last = max(i for i in walw if i < answer)
began = [i for i, k, s, e in ev if k == 'wal-sync' and s and last < i < answer]
ended = [i for i, k, s, e in ev if k == 'wal-sync' and e and last < i < answer]
if not began or not ended or min(ended) < min(began):
    fail('no fdatasync of potw.db-wal begun after the last frame (line %d) and ended '
         'before the answer (line %d)' % (last + 1, answer + 1))
print('frames written up to line %d, fdatasync lines %d-%d, answer at line %d'
      % (last + 1, min(began) + 1, min(ended) + 1, answer + 1))
EOF
)
then t_ok; echo "# $SEEN"; else t_fail "" "$SEEN"; fi

t_begin "the batch is at the plant, whole: verify --station test-01"
if expect_exit 0 pw verify --station test-01 && grep -q "chain ok: $N events" <<<"$OUT$ERR"
then t_ok; else t_fail "" "$OUT $ERR"; fi

t_end
