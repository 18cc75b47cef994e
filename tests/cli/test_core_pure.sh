#!/usr/bin/env bash
# test_core_pure.sh: core/ turns values into values (issue 10).
#
# The plant's server links the core's records, configuration, tables and
# receipts; the station's files, environment and devices are not the
# core's to touch.  Checked on what `make test` built:
#   - no object of build/obj/core/ imports a function that opens, reads or
#     writes a file, a socket or a device, reads or sets the environment,
#     reads the clock (time is passed in), sleeps, or starts a process
#     (nm -u against a deny list; the list is seen to bite on
#     build/obj/host/, which does these things on purpose);
#   - no file of core/ includes a header from a floor above it (drivers/,
#     db/, host/, station/, scenario/, kiosk/, cli/, potw/).
# shellcheck source=tests/cli/lib.sh
. "$(dirname "$0")/lib.sh"
cd "$HG_ROOT" || exit 2

command -v nm >/dev/null 2>&1 || { echo "not ok - nm is missing: run scripts/deps.sh test"; exit 1; }

# what a pure function never calls (the _chk forms are _FORTIFY_SOURCE's)
DENY='^(f?open|open64|openat|creat|fopen64|fdopen|freopen|close|fclose|read|pread|readv|fread|fgets|getc|fgetc|getline|getdelim|write|pwrite|writev|fwrite|fputs|fputc|putc|puts|putchar|printf|fprintf|vprintf|vfprintf|dprintf|perror|fflush|fseek|ftell|rewind|fileno|stat|fstat|lstat|stat64|fstat64|access|faccessat|chmod|fchmod|chown|mkdir|rmdir|unlink|rename|fsync|fdatasync|truncate|ftruncate|opendir|readdir|closedir|scandir|mmap|getenv|secure_getenv|setenv|unsetenv|putenv|clearenv|tzset|time|clock_gettime|gettimeofday|clock|sleep|usleep|nanosleep|alarm|system|popen|fork|vfork|execv|execve|execvp|execl|execlp|posix_spawn|kill|raise|signal|sigaction|exit|_exit|abort|dlopen|socket|connect|bind|listen|accept|accept4|send|sendto|recv|recvfrom|getaddrinfo|ioctl|poll|select|epoll_wait|pthread_create|ini_parse|ini_parse_file|SDL_.*|TTF_.*|IMG_.*|modbus_.*|nfc_.*|cups.*|gpiod_.*|FT_.*|QRcode_.*|sqlite3_.*|__.*printf_chk|__fread_chk|__read_chk|__fgets_chk|__pread_chk|stdout|stderr|stdin)$'

imports() {	# imports OBJ...: the functions and data they take from elsewhere
	nm -u "$@" 2>/dev/null | awk 'NF >= 2 { print $NF }' | sed 's/@.*//' | sort -u
}

t_begin "the core's objects are built"
objs=(build/obj/core/*.o)
if [ -e "${objs[0]}" ] && [ "${#objs[@]}" -ge 20 ]; then t_ok; else t_fail "" "no build/obj/core/*.o: run make first"; fi

t_begin "no core object imports a file, environment, clock, process or device call"
bad=""
for o in "${objs[@]}"; do
	hits=$(imports "$o" | grep -E "$DENY" | tr '\n' ' ')
	[ -n "$hits" ] && bad="$bad
  $(basename "$o"): $hits"
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "these core objects call out of the core:$bad"; fi

t_begin "the deny list bites: host/'s objects, which read files and the environment, are caught"
hits=$(imports build/obj/host/*.o | grep -E "$DENY" | tr '\n' ' ')
for want in fopen getenv setenv open write; do
	case " $hits " in
	*" $want "*) ;;
	*) bad="$bad $want" ;;
	esac
done
if [ -z "$bad" ]; then t_ok; else t_fail "" "host/ was expected to import:$bad (got: $hits)"; fi

t_begin "no file of core/ includes a header of a floor above it"
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"\.\./(drivers|db|host|station|scenario|kiosk|cli|potw)/' core/*.c core/*.h)
if [ -z "$bad" ]; then t_ok; else t_fail "" "$bad"; fi

t_end
