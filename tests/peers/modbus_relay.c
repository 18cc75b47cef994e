/* modbus_relay.c: a Modbus relay module with a communication watchdog, and
 * optionally a flow meter's totaliser, for the tests (libmodbus server on
 * 127.0.0.1 only).
 *
 *   build/peers/modbus_relay PORT [COILS [WATCHDOG_MS [HEARTBEAT_REG]]] [options]
 *   build/peers/modbus_relay rtu  [COILS [WATCHDOG_MS [HEARTBEAT_REG]]] [options]
 *   defaults: 8 coils, 1000 ms, holding register 0x10 (16); no meter
 *   options:
 *     --meter REG:TENTHS_PER_SECOND[:COIL]   a totaliser (COIL defaults to 1,
 *                                            the valve); see "The meter" below
 *     --on C[,C...]                          these coils start on: a module
 *                                            that kept its relays across an
 *                                            outage (the watchdog still runs)
 *     --coils-only                           a module with coils and nothing
 *                                            else: no registers (every read
 *                                            or write of one gets ILLEGAL
 *                                            DATA ADDRESS), no watchdog;
 *                                            not with --meter
 *
 * With "rtu" it is a Modbus RTU module (unit 1) on the master side of a new
 * pseudo-terminal; the "listening" line names the slave side (/dev/pts/N) for
 * the client's `modbus-rtu:/dev/pts/N:<baud>`.  Over TCP it serves up to 16
 * clients at once (one select loop over the listening socket and every
 * client; the station's relay driver and meter driver each hold one); a
 * client that sends garbage or hangs up is closed, the others go on.  Any
 * unit id is answered over TCP.
 *
 * Coils are the relays.  The watchdog: while any coil is on, if no write to
 * the heartbeat register came (from any client) for WATCHDOG_MS, counted from
 * the later of the last heartbeat and the moment a coil came on, every coil
 * goes off.
 *
 * The meter (--meter): holding registers REG (high word) and REG+1 (low word)
 * hold a 32-bit count in tenths of a gallon, which rises by
 * TENTHS_PER_SECOND while coil COIL is on and stands still while it is off;
 * input registers REG, REG+1 mirror it (for a client's `,input`).  A test
 * steers the meter through writable holding registers, no side channel:
 * write REG, REG+1 to set the count (one write-multiple of both, or the low
 * word alone); holding register REG+2 is the rate in tenths per second
 * (starts at TENTHS_PER_SECOND; write it to change the rate, 0 stops the
 * count).  Registers past max(HEARTBEAT_REG, REG+2) do not exist: reading
 * them gets the ILLEGAL DATA ADDRESS exception.
 *
 * Every change is a line on stdout (line-buffered):
 *
 *   2026-11-22T00:50:01.123Z listening 127.0.0.1:15020 coils 8 watchdog 1000 heartbeat 16
 *   (with --coils-only: "... coils 8 watchdog none heartbeat none")
 *   2026-11-22T00:50:01.125Z refused: write of register 16 (no such register)
 *   2026-11-22T00:50:01.123Z meter register 100 rate 25 coil 1
 *   2026-11-22T00:50:01.130Z client connected
 *   2026-11-22T00:50:02.002Z coil 1 on
 *   2026-11-22T00:50:02.300Z meter set count 1000 rate 25
 *   2026-11-22T00:50:03.210Z watchdog: no heartbeat for 1000 ms
 *   2026-11-22T00:50:03.210Z coil 1 off
 *   2026-11-22T00:50:03.400Z client gone
 *
 * (the "meter" line only with --meter; "meter set" when a client wrote one
 * of the meter's registers; "refused" only with --coils-only, for each
 * request on a register).  Exits 0 on SIGTERM or SIGINT, 2 on a bad
 * argument or when it cannot listen (port taken).  Start reading at main(). */
#define _XOPEN_SOURCE 700	/* grantpt, unlockpt, ptsname */
#include <errno.h>
#include <fcntl.h>
#include <modbus.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>
#include <unistd.h>

#define POLL_MS 20
#define MAX_CLIENTS 16

static volatile sig_atomic_t stopping;

struct meter {
	int on;			/* --meter given */
	long reg, rate, coil;
	long milli;		/* thousandths of a tenth not yet counted */
};

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

static long num(const char *s, const char *end_ok, long lo, long hi)
{
	char *end;
	long v;

	errno = 0;	/* decimal or 0x, as the station reads them: "010" is ten */
	v = strtol(s, &end, s[0] == '0' && (s[1] == 'x' || s[1] == 'X') ? 16 : 10);
	if (errno || end == s || (*end && !strchr(end_ok, *end)) || v < lo || v > hi) {
		fprintf(stderr, "modbus_relay: bad argument '%s'\n", s);
		exit(2);
	}
	return v;
}

static long arg_num(int argc, char **argv, int i, long def, long lo, long hi)
{
	return argc <= i ? def : num(argv[i], "", lo, hi);
}

/* "REG:TENTHS_PER_SECOND[:COIL]" */
static void parse_meter(const char *s, struct meter *m)
{
	const char *c1 = strchr(s, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;

	if (!c1) {
		fprintf(stderr, "modbus_relay: --meter wants REG:TENTHS_PER_SECOND[:COIL], not '%s'\n", s);
		exit(2);
	}
	m->on = 1;
	m->reg = num(s, ":", 0, 65532);
	m->rate = num(c1 + 1, ":", 0, 65535);
	m->coil = c2 ? num(c2 + 1, "", 0, 1999) : 1;
}

/* "--on C[,C...]": coils that start on. */
static void parse_on(const char *s, modbus_mapping_t *map)
{
	for (const char *p = s; p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		long c = num(p, ",", 0, map->nb_bits - 1);

		map->tab_bits[c] = 1;
	}
}

static int any_on(const modbus_mapping_t *m)
{
	for (int i = 0; i < m->nb_bits; i++) {
		if (m->tab_bits[i])
			return 1;
	}
	return 0;
}

/* Does query write holding register reg? */
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

/* With --coils-only: what a query asks of a register ("write of register
 * 16"), or NULL when it is about coils (the module answers those). */
static const char *on_register(const uint8_t *q, int len, int hdr)
{
	static char buf[48];
	const char *what;

	if (len < hdr + 3)
		return NULL;
	switch (q[hdr]) {
	case MODBUS_FC_READ_HOLDING_REGISTERS:
	case MODBUS_FC_READ_INPUT_REGISTERS:
		what = "read";
		break;
	case MODBUS_FC_WRITE_SINGLE_REGISTER:
	case MODBUS_FC_WRITE_MULTIPLE_REGISTERS:
	case MODBUS_FC_WRITE_AND_READ_REGISTERS:
	case MODBUS_FC_MASK_WRITE_REGISTER:
		what = "write";
		break;
	default:
		return NULL;
	}
	snprintf(buf, sizeof buf, "%s of register %d", what, q[hdr + 1] << 8 | q[hdr + 2]);
	return buf;
}

static uint32_t meter_count(const modbus_mapping_t *map, const struct meter *m)
{
	return (uint32_t)map->tab_registers[m->reg] << 16 | map->tab_registers[m->reg + 1];
}

static void meter_store(modbus_mapping_t *map, const struct meter *m, uint32_t count)
{
	map->tab_registers[m->reg] = map->tab_input_registers[m->reg] = (uint16_t)(count >> 16);
	map->tab_registers[m->reg + 1] = map->tab_input_registers[m->reg + 1] = (uint16_t)count;
}

/* Let the count rise for the ms that passed, if the meter's coil is on. */
static void meter_tick(modbus_mapping_t *map, struct meter *m, long ms)
{
	long tenths;

	if (!m->on || m->coil >= map->nb_bits || !map->tab_bits[m->coil] || ms <= 0)
		return;
	m->milli += (long)map->tab_registers[m->reg + 2] * ms;
	tenths = m->milli / 1000;
	m->milli %= 1000;
	if (tenths)
		meter_store(map, m, meter_count(map, m) + (uint32_t)tenths);
}

/* The watchdog, whatever the clients are doing. */
static void watchdog(modbus_mapping_t *map, long wd_ms, long last_beat, long on_since)
{
	long from = last_beat > on_since ? last_beat : on_since;

	if (!any_on(map) || now_ms() - from < wd_ms)
		return;
	say("watchdog: no heartbeat for %ld ms", wd_ms);
	for (int i = 0; i < map->nb_bits; i++) {
		if (map->tab_bits[i]) {
			map->tab_bits[i] = 0;
			say("coil %d off", i);
		}
	}
}

int main(int argc, char **argv)
{
	uint8_t query[MODBUS_MAX_ADU_LENGTH];
	uint8_t before[2000];
	char *pos[8], *on = NULL;
	int coils_only = 0;
	struct sigaction sa;
	struct meter m = { 0 };
	modbus_mapping_t *map;
	modbus_t *ctx;
	long port, coils, wd_ms, reg, last_beat = 0, on_since = 0, tick;
	int listen_fd = -1, fds[MAX_CLIENTS], nfd = 0, hdr, rtu, npos = 0, nregs;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--meter") == 0 && i + 1 < argc)
			parse_meter(argv[++i], &m);
		else if (strcmp(argv[i], "--on") == 0 && i + 1 < argc)
			on = argv[++i];
		else if (strcmp(argv[i], "--coils-only") == 0)
			coils_only = 1;
		else if (npos < 5 && argv[i][0] != '-')
			pos[npos++] = argv[i];
		else
			npos = 99;
	}
	if (npos < 1 || npos > 4 || (coils_only && m.on)) {
		fprintf(stderr, "usage: modbus_relay PORT|rtu [COILS [WATCHDOG_MS [HEARTBEAT_REG]]]"
				" [--meter REG:TENTHS_PER_SECOND[:COIL]] [--on C[,C...]]"
				" [--coils-only]\n");
		return 2;
	}
	rtu = strcmp(pos[0], "rtu") == 0;
	port = rtu ? 0 : num(pos[0], "", 1, 65535);
	coils = arg_num(npos, pos, 1, 8, 1, 2000);
	wd_ms = arg_num(npos, pos, 2, 1000, 1, 3600000);
	reg = arg_num(npos, pos, 3, 0x10, 0, 65535);
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
	nregs = coils_only ? 0 : (int)reg + 1;
	if (m.on && m.reg + 3 > nregs)
		nregs = (int)m.reg + 3;
	map = ctx ? modbus_mapping_new((int)coils, 0, nregs, m.on ? (int)m.reg + 2 : 0) : NULL;
	if (!map) {
		fprintf(stderr, "modbus_relay: %s\n", modbus_strerror(errno));
		return 2;
	}
	if (m.on)
		map->tab_registers[m.reg + 2] = (uint16_t)m.rate;
	if (on)
		parse_on(on, map);
	hdr = modbus_get_header_length(ctx);
	if (rtu) {
		const char *slave;

		if (modbus_set_slave(ctx, 1) != 0 || modbus_connect(ctx) != 0) {
			fprintf(stderr, "modbus_relay: cannot open a pty: %s\n", modbus_strerror(errno));
			return 2;
		}
		fds[nfd++] = modbus_get_socket(ctx);
		slave = grantpt(fds[0]) == 0 && unlockpt(fds[0]) == 0 ? ptsname(fds[0]) : NULL;
		if (!slave) {
			fprintf(stderr, "modbus_relay: no pty slave\n");
			return 2;
		}
		if (coils_only)
			say("listening rtu %s coils %ld watchdog none heartbeat none", slave, coils);
		else
			say("listening rtu %s coils %ld watchdog %ld heartbeat %ld", slave, coils,
			    wd_ms, reg);
	} else {
		listen_fd = modbus_tcp_listen(ctx, MAX_CLIENTS);
		if (listen_fd < 0) {
			fprintf(stderr, "modbus_relay: cannot listen on 127.0.0.1:%ld: %s\n", port,
				modbus_strerror(errno));
			return 2;
		}
		if (coils_only)
			say("listening 127.0.0.1:%ld coils %ld watchdog none heartbeat none", port,
			    coils);
		else
			say("listening 127.0.0.1:%ld coils %ld watchdog %ld heartbeat %ld", port,
			    coils, wd_ms, reg);
	}
	if (m.on)
		say("meter register %ld rate %ld coil %ld", m.reg, m.rate, m.coil);
	for (int i = 0; i < map->nb_bits; i++) {
		if (map->tab_bits[i])
			say("coil %d on", i);
	}
	tick = on_since = now_ms();
	while (!stopping) {
		struct timeval tv = { 0, POLL_MS * 1000 };
		fd_set set;
		int top = listen_fd, r;
		long t = now_ms();

		meter_tick(map, &m, t - tick);
		tick = t;
		if (!coils_only)
			watchdog(map, wd_ms, last_beat, on_since);
		FD_ZERO(&set);
		if (listen_fd >= 0 && nfd < MAX_CLIENTS)
			FD_SET(listen_fd, &set);
		for (int i = 0; i < nfd; i++) {
			FD_SET(fds[i], &set);
			if (fds[i] > top)
				top = fds[i];
		}
		r = select(top + 1, &set, NULL, NULL, &tv);
		if (r < 0 && errno != EINTR) {
			perror("modbus_relay: select");
			break;
		}
		if (r <= 0)
			continue;
		if (listen_fd >= 0 && FD_ISSET(listen_fd, &set)) {
			int fd = modbus_tcp_accept(ctx, &listen_fd);

			if (fd >= 0) {
				fds[nfd++] = fd;
				say("client connected");
			}
		}
		for (int i = 0; i < nfd; i++) {
			int len, was_on;

			if (!FD_ISSET(fds[i], &set))
				continue;
			modbus_set_socket(ctx, fds[i]);
			len = modbus_receive(ctx, query);
			if (len < 0 && rtu) {	/* no one on the slave side, or a bad frame */
				modbus_flush(ctx);
				usleep(POLL_MS * 1000);
				continue;
			}
			if (len < 0) {
				say("client gone");
				close(fds[i]);
				fds[i--] = fds[--nfd];
				continue;
			}
			if (len == 0)
				continue;	/* not for us */
			was_on = any_on(map);
			memcpy(before, map->tab_bits, (size_t)map->nb_bits);
			if (writes_reg(query, len, hdr, (int)reg))
				last_beat = now_ms();
			if (coils_only && on_register(query, len, hdr))
				say("refused: %s (no such register)", on_register(query, len, hdr));
			meter_tick(map, &m, now_ms() - tick);	/* the count a read gets is now's */
			tick = now_ms();
			modbus_reply(ctx, query, len, map);
			for (int b = 0; b < map->nb_bits; b++) {
				if (before[b] != map->tab_bits[b])
					say("coil %d %s", b, map->tab_bits[b] ? "on" : "off");
			}
			if (!was_on && any_on(map))
				on_since = now_ms();
			if (m.on && (writes_reg(query, len, hdr, (int)m.reg) ||
				     writes_reg(query, len, hdr, (int)m.reg + 1) ||
				     writes_reg(query, len, hdr, (int)m.reg + 2))) {
				meter_store(map, &m, meter_count(map, &m));	/* the mirror */
				m.milli = 0;
				say("meter set count %lu rate %u", (unsigned long)meter_count(map, &m),
				    map->tab_registers[m.reg + 2]);
			}
		}
	}
	say("stopping");
	for (int i = 0; i < nfd; i++)
		close(fds[i]);
	if (listen_fd >= 0)
		close(listen_fd);
	modbus_mapping_free(map);
	modbus_set_socket(ctx, -1);
	modbus_free(ctx);
	return 0;
}
