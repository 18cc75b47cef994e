/* test_modbus.c: the Modbus relay backend (drivers/relay_modbus.c,
 * modbus_link.c, relay_slots.c) against the real test peer.
 *
 * build/peers/modbus_relay runs on a free loopback port for the whole group
 * (peer_modbus.h starts it; the group teardown ends it, also on a failure).
 * Every spec is tried through the public ops, so a spec that parses is also
 * connected to.  Then: several clients on one peer at once (the relay and
 * meter drivers each hold one in the station), and reconnecting after the
 * peer is killed and restarted on the same port; a module with coils only
 * (the peer's --coils-only): its refusal named, heartbeat=none running it,
 * numbers read as decimal ("010" is coil 10).  The test's own libmodbus
 * client looks at the coils from outside. */
#include "testutil.h"
#include "peer_modbus.h"
#include "../../drivers/hwerr.h"
#include "../../core/report.h"
#include "../../drivers/relay.h"

#include <modbus.h>

static char dir[256];
static struct pm_peer peer;

static const char *const names2[] = { "gate", "valve" };
static const char *const coils2[] = { "0", "1" };

static int group_setup(void **state)
{
	const char *args[] = { "8", "60000", NULL };	/* the watchdog out of the way */
	char log[512];

	(void)state;
	if (tu_tmpdir(dir, sizeof dir, "modbus") != 0)
		return -1;
	snprintf(log, sizeof log, "%s/peer.log", dir);
	return pm_start(&peer, 0, log, args);
}

static int group_teardown(void **state)
{
	(void)state;
	pm_stop(&peer, 0);
	tu_rmtree(dir);
	return 0;
}

/* open arg with the two relays; HG_* of open (closed again when it opened) */
static int try_open(const char *arg)
{
	struct relay_dev *d = NULL;
	int r = relay_modbus_tcp_ops.open(&d, arg, names2, coils2, 2, 0);

	if (r == HG_OK) {
		assert_non_null(d);
		relay_modbus_tcp_ops.close(d, 0);
	} else {
		assert_null(d);
	}
	return r;
}

/* The coil as the peer has it, through a client of our own. */
static int peer_coil(int coil)
{
	modbus_t *c = modbus_new_tcp("127.0.0.1", peer.port);
	uint8_t v = 9;
	int r;

	assert_non_null(c);
	assert_int_equal(modbus_connect(c), 0);
	r = modbus_read_bits(c, coil, 1, &v);
	modbus_close(c);
	modbus_free(c);
	assert_int_equal(r, 1);
	return v;
}

static void test_tcp_specs(void **state)
{
	static const struct {
		const char *tail;	/* after "127.0.0.1:<port>"; "!" = the whole arg */
		int want;
	} rows[] = {
		{ "", HG_OK },				/* the plain address */
		{ ",heartbeat=16", HG_OK },		/* the peer's heartbeat register */
		{ ",heartbeat=20", HG_EREFUSED },	/* no register 20: open's one beat is refused */
		{ ",heartbeat=0x10", HG_OK },		/* hex */
		{ ",heartbeat=0X10", HG_OK },		/* hex, capital X */
		{ ",heartbeat=016", HG_OK },		/* leading zero: decimal 16 */
		{ ",heartbeat=020", HG_EREFUSED },	/* decimal 20, not octal 16 */
		{ ",heartbeat=none", HG_OK },		/* no heartbeat at all */
		{ ",heartbeat=none,unit=1", HG_OK },	/* with another option */
		{ ",heartbeat=NONE", HG_EINVAL },	/* options are lowercase */
		{ ",heartbeat=nonex", HG_EINVAL },	/* not none */
		{ ",heartbeat=", HG_EINVAL },		/* empty value */
		{ ",heartbeat=0x", HG_EINVAL },		/* hex without digits */
		{ ",heartbeat=+16", HG_EINVAL },	/* a sign */
		{ ",heartbeat=99999999999999999999", HG_EINVAL },	/* overflow */
		{ ",unit=1", HG_OK },			/* a unit id (the peer answers any) */
		{ ",unit=255,heartbeat=16", HG_OK },	/* two options, either order */
		{ ",unit=256", HG_EINVAL },		/* past 255 */
		{ ",unit=-1", HG_EINVAL },		/* signs are not numbers here */
		{ ",unit=", HG_EINVAL },		/* empty value */
		{ ",unit=1x", HG_EINVAL },		/* junk after the number */
		{ ",heartbeat=65536", HG_EINVAL },	/* past a 16-bit register */
		{ ",heartbeat=abc", HG_EINVAL },	/* not a number */
		{ ",heartbeat", HG_EINVAL },		/* no value */
		{ ",HEARTBEAT=16", HG_EINVAL },		/* options are lowercase */
		{ ",bogus=1", HG_EINVAL },		/* unknown option */
		{ ",input", HG_EINVAL },		/* a meter's option, not a relay's */
		{ ",", HG_EINVAL },			/* trailing comma */
		{ ",unit=1,", HG_EINVAL },		/* trailing comma after an option */
		{ ",,unit=1", HG_EINVAL },		/* empty option */
		{ "!127.0.0.1", HG_EINVAL },		/* no port */
		{ "!127.0.0.1:", HG_EINVAL },		/* empty port */
		{ "!127.0.0.1:0", HG_EINVAL },		/* port 0 */
		{ "!127.0.0.1:65536", HG_EINVAL },	/* past 65535 */
		{ "!127.0.0.1:-502", HG_EINVAL },	/* negative */
		{ "!127.0.0.1:50x", HG_EINVAL },	/* junk */
		{ "!127.0.0.1: 502", HG_EINVAL },	/* a space */
		{ "!:502", HG_EINVAL },			/* no host */
		{ "!", HG_EINVAL },			/* nothing */
	};
	char arg[300];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		if (rows[i].tail[0] == '!')
			snprintf(arg, sizeof arg, "%s", rows[i].tail + 1);
		else
			snprintf(arg, sizeof arg, "%s%s", peer.spec, rows[i].tail);
		if (try_open(arg) != rows[i].want)
			fail_msg("'%s': want %d", arg, rows[i].want);
	}
}

static void test_too_long_and_unreachable(void **state)
{
	char arg[400];
	int port = pm_free_port();

	(void)state;
	memset(arg, 'a', sizeof arg);	/* a 300-character host name */
	snprintf(arg + 300, sizeof arg - 300, ":%d", peer.port);
	assert_int_equal(try_open(arg), HG_EINVAL);
	/* a host name that cannot be resolved: the module does not answer */
	assert_int_equal(try_open("no-such-host.invalid:502"), HG_EIO);
	/* nothing listens there */
	snprintf(arg, sizeof arg, "127.0.0.1:%d", port);
	assert_int_equal(try_open(arg), HG_EIO);
	/* a name, not an address */
	snprintf(arg, sizeof arg, "localhost:%d", peer.port);
	assert_int_equal(try_open(arg), HG_OK);
}

static void test_relay_args(void **state)
{
	static const struct {
		const char *coil[2];
		const char *name[2];
		int want;
	} rows[] = {
		{ { "0", "1" }, { "gate", "valve" }, HG_OK },
		{ { "7", "0x6" }, { "gate", "valve" }, HG_OK },		/* hex */
		{ { "0", "0" }, { "gate", "valve" }, HG_EINVAL },	/* one coil twice */
		{ { "0", "1" }, { "gate", "gate" }, HG_EINVAL },	/* one name twice */
		{ { "0", "x" }, { "gate", "valve" }, HG_EINVAL },	/* not a number */
		{ { "0", "65536" }, { "gate", "valve" }, HG_EINVAL },	/* past a coil */
		{ { "0", "-1" }, { "gate", "valve" }, HG_EINVAL },	/* negative */
		{ { "0", "1,active-low" }, { "gate", "valve" }, HG_EINVAL },	/* GPIO only */
		{ { "0", NULL }, { "gate", "valve" }, HG_EINVAL },	/* no coil */
		{ { "0", "1" }, { "gate", "" }, HG_EINVAL },		/* no name */
		{ { "0", "1" }, { "gate", "a-name-longer-than-thirty-one-bytes" }, HG_EINVAL },
	};
	struct relay_dev *d;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int r = relay_modbus_tcp_ops.open(&d, peer.spec, rows[i].name, rows[i].coil, 2, 0);

		if (r != rows[i].want)
			fail_msg("row %zu: %d, want %d", i, r, rows[i].want);
		if (r == HG_OK)
			relay_modbus_tcp_ops.close(d, 0);
	}
	assert_int_equal(relay_modbus_tcp_ops.open(&d, peer.spec, names2, coils2, 0, 0), HG_EINVAL);
	/* coil 8 does not exist on an 8-coil module: it answers, but no, and
	 * the words say so (not "does not answer") */
	{
		const char *const c[] = { "0", "8" };

		assert_int_equal(relay_modbus_tcp_ops.open(&d, peer.spec, names2, c, 2, 0),
				 HG_EREFUSED);
		assert_non_null(strstr(hw_error_text(HG_EREFUSED),
				       "the module refused the write: illegal data address (coil 8)"));
		/* through the one reporting channel */
		assert_non_null(strstr(hg_error_text(),
				       "the module refused the write: illegal data address (coil 8)"));
	}
}

/* A module with coils only (the peer's --coils-only, 16 coils): the default
 * heartbeat is refused at open, by name; heartbeat=none runs it; and a coil
 * written "010" is coil 10. */
static void test_coils_only(void **state)
{
	const char *args[] = { "16", "--coils-only", NULL };
	const char *const c[] = { "0", "010" };
	struct pm_peer p2 = { 0 };
	struct relay_dev *d = NULL;
	char log[512], arg[96];
	modbus_t *c2;
	uint8_t v[16];
	int on = -1;

	(void)state;
	snprintf(log, sizeof log, "%s/coils-only.log", dir);
	assert_int_equal(pm_start(&p2, 0, log, args), 0);
	/* the default heartbeat register 16 does not exist on it */
	assert_int_equal(relay_modbus_tcp_ops.open(&d, p2.spec, names2, coils2, 2, 0),
			 HG_EREFUSED);
	assert_null(d);
	assert_string_equal(hw_error_text(HG_EREFUSED),
			    "the module refused the heartbeat write: illegal data address "
			    "(register 16): it may have no watchdog register (heartbeat=none "
			    "runs it without one: docs/HARDWARE.md)");
	assert_int_equal(pm_log_count(&p2, "refused: write of register 16"), 1);

	/* heartbeat=none: no register is ever written, the relays work */
	snprintf(arg, sizeof arg, "%s,heartbeat=none", p2.spec);
	assert_int_equal(relay_modbus_tcp_ops.open(&d, arg, names2, c, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.get(d, "valve", &on), HG_OK);
	assert_int_equal(on, 1);
	pm_sleep_ms(500);	/* the heartbeat thread would have written twice */
	c2 = modbus_new_tcp("127.0.0.1", p2.port);
	assert_non_null(c2);
	assert_int_equal(modbus_connect(c2), 0);
	assert_int_equal(modbus_read_bits(c2, 0, 16, v), 16);
	modbus_close(c2);
	modbus_free(c2);
	for (int i = 0; i < 16; i++)	/* "010" is coil 10, not octal 8 */
		assert_int_equal(v[i], i == 10);
	assert_int_equal(pm_log_count(&p2, "coil 10 on"), 1);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 0, 0), HG_OK);
	relay_modbus_tcp_ops.close(d, 0);
	assert_int_equal(pm_log_count(&p2, "refused:"), 1);	/* only the first open's */
	pm_stop(&p2, 0);
}

static void test_rtu_specs(void **state)
{
	static const struct {
		const char *arg;
		int want;
	} rows[] = {
		{ "/dev/ttyUSB9:0", HG_EINVAL },	/* no such baud */
		{ "/dev/ttyUSB9:49", HG_EINVAL },	/* below 50 */
		{ "/dev/ttyUSB9:4000001", HG_EINVAL },	/* past 4 Mbaud */
		{ "/dev/ttyUSB9:fast", HG_EINVAL },	/* not a number */
		{ "/dev/ttyUSB9", HG_EINVAL },		/* no baud */
		{ "/dev/ttyUSB9:9600,parity=E", HG_EINVAL },	/* unknown option */
		{ "/no/such/tty:9600", HG_EIO },	/* a well-formed spec, no device */
	};
	struct relay_dev *d = NULL;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int r = relay_modbus_rtu_ops.open(&d, rows[i].arg, names2, coils2, 2, 0);

		if (r != rows[i].want)
			fail_msg("'%s': %d, want %d", rows[i].arg, r, rows[i].want);
		assert_null(d);
	}
}

/* An RTU module on a pty: the whole spec with unit and heartbeat works. */
static void test_rtu_peer(void **state)
{
	const char *args[] = { "8", "60000", NULL };
	struct pm_peer rtu = { 0 };
	struct relay_dev *d;
	char log[512], line[512], arg[600], *pts = NULL;
	FILE *f;
	int on = -1;

	(void)state;
	snprintf(log, sizeof log, "%s/rtu.log", dir);
	/* pm_start() knows TCP ports only: the RTU peer is started here */
	rtu.pid = fork();
	assert_true(rtu.pid >= 0);
	if (rtu.pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		const char *root = getenv("HG_ROOT");
		char bin[512];

		prctl(PR_SET_PDEATHSIG, SIGTERM);
		snprintf(bin, sizeof bin, "%s%sbuild/peers/modbus_relay", root ? root : "",
			 root ? "/" : "");
		dup2(fd, 1);
		execl(bin, bin, "rtu", args[0], args[1], (char *)NULL);
		_exit(127);
	}
	snprintf(rtu.log, sizeof rtu.log, "%s", log);
	for (int i = 0; i < 300 && !pm_log_count(&rtu, " listening rtu "); i++)
		pm_sleep_ms(10);
	f = fopen(log, "r");
	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		char *p = strstr(line, " listening rtu ");

		if (p) {
			pts = p + strlen(" listening rtu ");
			*strchr(pts, ' ') = '\0';
			break;
		}
	}
	fclose(f);
	if (!pts) {
		pm_stop(&rtu, 1);
		fail_msg("the rtu peer did not start");
	}
	snprintf(arg, sizeof arg, "%s:19200,unit=1,heartbeat=16", pts);
	if (relay_modbus_rtu_ops.open(&d, arg, names2, coils2, 2, 0) != HG_OK) {
		pm_stop(&rtu, 1);
		fail_msg("open '%s'", arg);
	}
	assert_int_equal(relay_modbus_rtu_ops.set(d, "valve", 1, 0), HG_OK);
	assert_int_equal(relay_modbus_rtu_ops.get(d, "valve", &on), HG_OK);
	assert_int_equal(on, 1);
	relay_modbus_rtu_ops.close(d, 0);
	pm_stop(&rtu, 0);
	assert_int_equal(pm_log_count(&rtu, " coil 1 on"), 1);
	assert_int_equal(pm_log_count(&rtu, " coil 1 off"), 1);	/* close turned it off */
}

/* Two drivers and a plain client on one peer at once. */
static void test_several_clients(void **state)
{
	struct relay_dev *a, *b;
	int on = -1;

	(void)state;
	assert_int_equal(relay_modbus_tcp_ops.open(&a, peer.spec, names2, coils2, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.open(&b, peer.spec, names2, coils2, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(a, "valve", 1, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.get(b, "valve", &on), HG_OK);
	assert_int_equal(on, 1);	/* b sees what a did, on the same connection count */
	assert_int_equal(peer_coil(1), 1);
	assert_int_equal(relay_modbus_tcp_ops.set(b, "valve", 0, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.get(a, "valve", &on), HG_OK);
	assert_int_equal(on, 0);
	relay_modbus_tcp_ops.close(b, 0);
	assert_int_equal(relay_modbus_tcp_ops.set(a, "gate", 1, 0), HG_OK);
	assert_int_equal(peer_coil(0), 1);
	relay_modbus_tcp_ops.close(a, 0);
	assert_int_equal(peer_coil(0), 0);	/* close: all off */
}

/* Kill the peer, restart it on the same port: the driver reconnects. */
static void test_reconnect_after_restart(void **state)
{
	const char *again[] = { "8", "60000", "--on", "0,1", NULL };
	struct relay_dev *d;
	int on = -1, gate_on;

	(void)state;
	assert_int_equal(relay_modbus_tcp_ops.open(&d, peer.spec, names2, coils2, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	pm_stop(&peer, 1);

	/* during the outage: sets and gets fail, and an off is still asked for */
	assert_int_equal(relay_modbus_tcp_ops.set(d, "gate", 1, 0), HG_EIO);
	assert_int_equal(relay_modbus_tcp_ops.get(d, "valve", &on), HG_EIO);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 0, 0), HG_EIO);
	pm_sleep_ms(1500);	/* the heartbeat thread's retries fail meanwhile */

	/* the module comes back with both relays still on (--on 0,1) */
	gate_on = pm_log_count(&peer, " coil 0 on");
	if (pm_start(&peer, peer.port, peer.log, again) != 0) {
		relay_modbus_tcp_ops.close(d, 0);
		fail_msg("the peer did not restart on port %d", peer.port);
	}
	assert_int_equal(pm_log_count(&peer, " coil 0 on"), gate_on + 1);

	/* the outage was reported by the sets above: the next set works, and
	 * the reconnect turned every coil off first */
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	assert_int_equal(peer_coil(0), 0);	/* the gate: off, not trusted */
	assert_int_equal(peer_coil(1), 1);
	assert_int_equal(relay_modbus_tcp_ops.get(d, "gate", &on), HG_OK);
	assert_int_equal(on, 0);
	relay_modbus_tcp_ops.close(d, 0);
	assert_int_equal(peer_coil(1), 0);
}

/* The heartbeat thread notices the outage; the peer comes back and the
 * thread reconnects by itself (everything off); the next set still reports
 * the outage (the station's state was wrong), the one after works. */
static void test_outage_seen_by_heartbeat(void **state)
{
	const char *args[] = { "8", "60000", NULL };
	struct relay_dev *d;

	(void)state;
	assert_int_equal(relay_modbus_tcp_ops.open(&d, peer.spec, names2, coils2, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "gate", 1, 0), HG_OK);
	pm_stop(&peer, 1);
	pm_sleep_ms(600);	/* three heartbeats: the thread finds the link down */
	if (pm_start(&peer, peer.port, peer.log, args) != 0) {
		relay_modbus_tcp_ops.close(d, 0);
		fail_msg("the peer did not restart");
	}
	for (int i = 0; i < 40 && pm_log_count(&peer, "client connected") < 1; i++)
		pm_sleep_ms(100);	/* the thread reconnects within its 1 s backoff */
	assert_true(pm_log_count(&peer, "client connected") >= 1);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_EIO);
	assert_int_equal(peer_coil(1), 0);
	assert_int_equal(peer_coil(0), 0);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	assert_int_equal(peer_coil(1), 1);
	relay_modbus_tcp_ops.close(d, 0);
}

/* While the module is gone the heartbeat thread retries about once a
 * second, not at its 200 ms beat: count its connects on a bare socket. */
static void test_reconnect_backoff(void **state)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	struct relay_dev *d;
	int fd, one = 1, accepts = 0;
	long until;

	(void)state;
	assert_int_equal(relay_modbus_tcp_ops.open(&d, peer.spec, names2, coils2, 2, 0), HG_OK);
	assert_int_equal(relay_modbus_tcp_ops.set(d, "valve", 1, 0), HG_OK);
	pm_stop(&peer, 1);
	/* a listener that takes connections and says nothing: every attempt
	 * connects, then its "all off" times out and the link drops again */
	fd = socket(AF_INET, SOCK_STREAM, 0);
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)peer.port);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(listen(fd, 16), 0);
	until = pm_now_ms() + 3000;
	while (pm_now_ms() < until) {
		struct timeval tv = { 0, 50000 };
		fd_set set;

		FD_ZERO(&set);
		FD_SET(fd, &set);
		if (select(fd + 1, &set, NULL, NULL, &tv) == 1) {
			int c = accept(fd, NULL, NULL);

			if (c >= 0) {
				accepts++;
				close(c);
			}
		}
	}
	close(fd);
	relay_modbus_tcp_ops.close(d, 0);
	if (accepts < 1 || accepts > 5)
		fail_msg("%d connects in 3 s (want 1..5: about one a second)", accepts);
	{
		const char *args[] = { "8", "60000", NULL };

		assert_int_equal(pm_start(&peer, peer.port, peer.log, args), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_specs),
		cmocka_unit_test(test_too_long_and_unreachable),
		cmocka_unit_test(test_relay_args),
		cmocka_unit_test(test_coils_only),
		cmocka_unit_test(test_rtu_specs),
		cmocka_unit_test(test_rtu_peer),
		cmocka_unit_test(test_several_clients),
		cmocka_unit_test(test_reconnect_after_restart),
		cmocka_unit_test(test_outage_seen_by_heartbeat),
		cmocka_unit_test(test_reconnect_backoff),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
