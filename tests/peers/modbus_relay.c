/* modbus_relay.c: a Modbus TCP relay module with a communication watchdog,
 * for the tests (libmodbus server on 127.0.0.1 only).
 *
 *   build/peers/modbus_relay PORT [COILS [WATCHDOG_MS [HEARTBEAT_REG]]]
 *   build/peers/modbus_relay rtu  [COILS [WATCHDOG_MS [HEARTBEAT_REG]]]
 *   defaults: 8 coils, 1000 ms, holding register 0x10 (16)
 *
 * With "rtu" it is a Modbus RTU module (unit 1) on the master side of a new
 * pseudo-terminal; the "listening" line names the slave side (/dev/pts/N) for
 * the client's `modbus-rtu:/dev/pts/N:<baud>`.
 *
 * Serves one client at a time, then the next (after a receive error it closes
 * the client and accepts again).  Coils are the relays.  The watchdog: while
 * any coil is on, if no write to the heartbeat register came for WATCHDOG_MS
 * (counted from the later of the last heartbeat and the moment a coil came
 * on), every coil goes off.  Every change is a line on stdout (line-buffered):
 *
 *   2026-11-22T00:50:01.123Z listening 127.0.0.1:15020 coils 8 watchdog 1000 heartbeat 16
 *   2026-11-22T00:50:01.130Z client connected
 *   2026-11-22T00:50:02.002Z coil 1 on
 *   2026-11-22T00:50:03.210Z watchdog: no heartbeat for 1000 ms
 *   2026-11-22T00:50:03.210Z coil 1 off
 *
 * Exits 0 on SIGTERM or SIGINT, 2 when it cannot listen (port taken). */
#define _XOPEN_SOURCE 700	/* grantpt, unlockpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <modbus.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 20

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	(void)sig;
	stopping = 1;
}

static long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void say(const char *fmt, ...)
{
	struct timespec t;
	struct tm tm;
	char when[32];
	va_list ap;

	clock_gettime(CLOCK_REALTIME, &t);
	gmtime_r(&t.tv_sec, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	printf("%s.%03ldZ ", when, t.tv_nsec / 1000000);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static long arg_num(int argc, char **argv, int i, long def, long lo, long hi)
{
	char *end;
	long v;

	if (argc <= i)
		return def;
	errno = 0;
	v = strtol(argv[i], &end, 0);
	if (errno || *end || end == argv[i] || v < lo || v > hi) {
		fprintf(stderr, "modbus_relay: bad argument '%s'\n", argv[i]);
		exit(2);
	}
	return v;
}

static int any_on(const modbus_mapping_t *m)
{
	for (int i = 0; i < m->nb_bits; i++) {
		if (m->tab_bits[i])
			return 1;
	}
	return 0;
}

/* readable(fd, ms): 1 readable, 0 not yet (or a signal), -1 error. */
static int readable(int fd, int ms)
{
	struct timeval tv = { 0, ms * 1000 };
	fd_set set;
	int r;

	FD_ZERO(&set);
	FD_SET(fd, &set);
	r = select(fd + 1, &set, NULL, NULL, &tv);
	if (r < 0 && errno == EINTR)
		return 0;
	return r < 0 ? -1 : r > 0;
}

/* Does query (a TCP ADU) write holding register reg? */
static int writes_reg(const uint8_t *q, int len, int hdr, int reg)
{
	int fc, addr, count;

	if (len < hdr + 5)
		return 0;
	fc = q[hdr];
	addr = q[hdr + 1] << 8 | q[hdr + 2];
	if (fc == MODBUS_FC_WRITE_SINGLE_REGISTER)
		return addr == reg;
	if (fc == MODBUS_FC_WRITE_MULTIPLE_REGISTERS ||
	    fc == MODBUS_FC_WRITE_AND_READ_REGISTERS) {
		count = q[hdr + 3] << 8 | q[hdr + 4];
		if (fc == MODBUS_FC_WRITE_AND_READ_REGISTERS) {
			if (len < hdr + 9)
				return 0;
			addr = q[hdr + 5] << 8 | q[hdr + 6];
			count = q[hdr + 7] << 8 | q[hdr + 8];
		}
		return reg >= addr && reg < addr + count;
	}
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t query[MODBUS_TCP_MAX_ADU_LENGTH];
	uint8_t before[2000];
	struct sigaction sa;
	modbus_mapping_t *map;
	modbus_t *ctx;
	long port, coils, wd_ms, reg, last_beat = 0, on_since = 0;
	int listen_fd = -1, client = -1, hdr, rtu;

	if (argc < 2) {
		fprintf(stderr, "usage: modbus_relay PORT [COILS [WATCHDOG_MS [HEARTBEAT_REG]]]\n");
		return 2;
	}
	rtu = strcmp(argv[1], "rtu") == 0;
	port = rtu ? 0 : arg_num(argc, argv, 1, 0, 1, 65535);
	coils = arg_num(argc, argv, 2, 8, 1, 2000);
	wd_ms = arg_num(argc, argv, 3, 1000, 1, 3600000);
	reg = arg_num(argc, argv, 4, 0x10, 0, 65535);
	setvbuf(stdout, NULL, _IOLBF, 0);

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART: select returns EINTR */
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (rtu)	/* opening /dev/ptmx makes a new pseudo-terminal */
		ctx = modbus_new_rtu("/dev/ptmx", 115200, 'N', 8, 1);
	else
		ctx = modbus_new_tcp("127.0.0.1", (int)port);
	map = ctx ? modbus_mapping_new((int)coils, 0, (int)reg + 1, 0) : NULL;
	if (!map) {
		fprintf(stderr, "modbus_relay: %s\n", modbus_strerror(errno));
		return 2;
	}
	hdr = modbus_get_header_length(ctx);
	if (rtu) {
		const char *slave;

		if (modbus_set_slave(ctx, 1) != 0 || modbus_connect(ctx) != 0) {
			fprintf(stderr, "modbus_relay: cannot open a pty: %s\n", modbus_strerror(errno));
			return 2;
		}
		client = modbus_get_socket(ctx);
		slave = grantpt(client) == 0 && unlockpt(client) == 0 ? ptsname(client) : NULL;
		if (!slave) {
			fprintf(stderr, "modbus_relay: no pty slave\n");
			return 2;
		}
		say("listening rtu %s coils %ld watchdog %ld heartbeat %ld", slave, coils, wd_ms, reg);
		goto serve;
	}
	listen_fd = modbus_tcp_listen(ctx, 1);
	if (listen_fd < 0) {
		fprintf(stderr, "modbus_relay: cannot listen on 127.0.0.1:%ld: %s\n", port,
			modbus_strerror(errno));
		return 2;
	}
	say("listening 127.0.0.1:%ld coils %ld watchdog %ld heartbeat %ld", port, coils, wd_ms,
	    reg);
serve:
	while (!stopping) {
		/* the watchdog, whatever the client is doing */
		if (any_on(map)) {
			long from = last_beat > on_since ? last_beat : on_since;

			if (now_ms() - from >= wd_ms) {
				say("watchdog: no heartbeat for %ld ms", wd_ms);
				for (int i = 0; i < map->nb_bits; i++) {
					if (map->tab_bits[i]) {
						map->tab_bits[i] = 0;
						say("coil %d off", i);
					}
				}
			}
		}
		if (client < 0) {
			if (readable(listen_fd, POLL_MS) <= 0)
				continue;
			client = modbus_tcp_accept(ctx, &listen_fd);
			if (client >= 0)
				say("client connected");
			continue;
		}
		int r = readable(client, POLL_MS);

		if (r == 0)
			continue;
		int len = r > 0 ? modbus_receive(ctx, query) : -1;

		if (len < 0 && rtu) {	/* no one on the slave side, or a bad frame */
			modbus_flush(ctx);
			usleep(POLL_MS * 1000);
			continue;
		}
		if (len < 0) {
			say("client gone");
			modbus_close(ctx);	/* the client's socket; listen_fd stays */
			client = -1;
			continue;
		}
		if (len == 0)
			continue;	/* not for us */
		int was_on = any_on(map);

		memcpy(before, map->tab_bits, (size_t)map->nb_bits);
		if (writes_reg(query, len, hdr, (int)reg))
			last_beat = now_ms();
		modbus_reply(ctx, query, len, map);
		for (int i = 0; i < map->nb_bits; i++) {
			if (before[i] != map->tab_bits[i])
				say("coil %d %s", i, map->tab_bits[i] ? "on" : "off");
		}
		if (!was_on && any_on(map))
			on_since = now_ms();
	}
	say("stopping");
	if (client >= 0)
		modbus_close(ctx);
	if (listen_fd >= 0)
		close(listen_fd);
	modbus_mapping_free(map);
	modbus_free(ctx);
	return 0;
}
