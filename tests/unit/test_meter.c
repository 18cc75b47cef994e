/* test_meter.c: the flow-meter backends (drivers/meter*.c).
 *
 * The Modbus meter against the real test peer (build/peers/modbus_relay with
 * `--meter 100:50:1`: a count in tenths of a gallon at holding and input
 * registers 100-101, rising 5 gallons a second while coil 1, the valve, is
 * on), with the relay driver holding a second connection to the same peer as
 * in the station; the simulated meter on its file; the backend table; and
 * the GPIO pulse meter's spec checks (this kernel has no GPIO: a missing chip
 * must be a clear HG_ENOTFOUND, not a crash).  Start reading at
 * test_count_follows_valve(). */
#include "testutil.h"
#include "peer_modbus.h"
#include "../../drivers/meter.h"
#include "../../drivers/relay.h"

#include <modbus.h>

static char dir[256];
static struct pm_peer peer;
static const char *const peer_args[] = { "8", "60000", "--meter", "100:50:1", NULL };

static int group_setup(void **state)
{
	char log[512];

	(void)state;
	if (tu_tmpdir(dir, sizeof dir, "meter") != 0)
		return -1;
	snprintf(log, sizeof log, "%s/peer.log", dir);
	return pm_start(&peer, 0, log, peer_args);
}

static int group_teardown(void **state)
{
	(void)state;
	pm_stop(&peer, 0);
	tu_rmtree(dir);
	return 0;
}

static struct meter_dev *open_ok(const char *tail)
{
	struct meter_dev *m = NULL;
	char arg[300];
	int r;

	snprintf(arg, sizeof arg, "%s%s", peer.spec, tail);
	r = meter_modbus_tcp_ops.open(&m, arg);
	if (r != HG_OK)
		fail_msg("open '%s': %d", arg, r);
	return m;
}

/* Write holding registers at reg through a client of our own. */
static void peer_write(int reg, int n, const uint16_t *v)
{
	modbus_t *c = modbus_new_tcp("127.0.0.1", peer.port);
	int r;

	assert_non_null(c);
	assert_int_equal(modbus_connect(c), 0);
	r = modbus_write_registers(c, reg, n, v);
	modbus_close(c);
	modbus_free(c);
	assert_int_equal(r, n);
}

static double read_ok(struct meter_dev *m)
{
	double g = -1;

	assert_int_equal(meter_modbus_tcp_ops.read(m, &g), HG_OK);
	return g;
}

static void test_count_follows_valve(void **state)
{
	static const char *const names[] = { "gate", "valve" };
	static const char *const coils[] = { "0", "1" };
	const uint16_t zero[3] = { 0, 0, 50 };
	struct relay_dev *relays;
	struct meter_dev *m = open_ok(",register=100,scale=0.1");
	double g0, g1, g2, g3;

	(void)state;
	peer_write(100, 3, zero);
	assert_int_equal(relay_modbus_tcp_ops.open(&relays, peer.spec, names, coils, 2, 0), HG_OK);
	g0 = read_ok(m);
	pm_sleep_ms(300);
	assert_true(read_ok(m) == g0);	/* valve closed: no flow */
	assert_int_equal(relay_modbus_tcp_ops.set(relays, "valve", 1, 0), HG_OK);
	pm_sleep_ms(400);
	g1 = read_ok(m);
	assert_true(g1 > g0);		/* valve open: the count rises */
	pm_sleep_ms(200);
	assert_true(read_ok(m) > g1);
	assert_int_equal(relay_modbus_tcp_ops.set(relays, "valve", 0, 0), HG_OK);
	g2 = read_ok(m);
	pm_sleep_ms(300);
	g3 = read_ok(m);
	assert_true(g3 == g2);		/* closed again: it stands still */
	relay_modbus_tcp_ops.close(relays, 0);
	meter_modbus_tcp_ops.close(m);
}

/* High word first, the scale, holding and input registers. */
static void test_words_scale_input(void **state)
{
	const uint16_t v[3] = { 0x0001, 0x0002, 0 };	/* 65538 tenths, rate 0 */
	struct meter_dev *m;

	(void)state;
	peer_write(100, 3, v);
	m = open_ok(",register=100,scale=0.1");
	assert_true(read_ok(m) > 6553.79 && read_ok(m) < 6553.81);
	meter_modbus_tcp_ops.close(m);
	m = open_ok(",register=100");		/* default scale: a gallon a count */
	assert_true(read_ok(m) == 65538.0);
	meter_modbus_tcp_ops.close(m);
	m = open_ok(",input,register=0x64,scale=2.5,unit=1");	/* input registers mirror */
	assert_true(read_ok(m) == 65538.0 * 2.5);
	meter_modbus_tcp_ops.close(m);
	m = open_ok(",register=101");		/* the low word and the rate: 0x0002_0000 */
	assert_true(read_ok(m) == 131072.0);
	meter_modbus_tcp_ops.close(m);
}

static void test_bad_specs(void **state)
{
	static const struct {
		const char *tail;	/* after the peer's address; "!" = whole arg */
		int want;
	} rows[] = {
		{ ",register=5000", HG_EINVAL },	/* the meter has no such register */
		{ ",register=102", HG_EINVAL },		/* 102 is there, 103 is not */
		{ ",register=50,input", HG_OK },	/* input registers 50-51 exist (0) */
		{ ",register=100,input", HG_OK },
		{ ",register=101,input", HG_EINVAL },	/* input registers end at 101 */
		{ ",register=65535", HG_EINVAL },	/* no room for the second word */
		{ ",register=", HG_EINVAL },
		{ ",register=x", HG_EINVAL },
		{ ",scale=0", HG_EINVAL },		/* zero gallons a count */
		{ ",scale=-1", HG_EINVAL },
		{ ",scale=abc", HG_EINVAL },
		{ ",scale=1e3", HG_EINVAL },		/* plain decimals only */
		{ ",scale=.5", HG_OK },
		{ ",input=1", HG_EINVAL },		/* a flag, no value */
		{ ",heartbeat=16", HG_EINVAL },		/* a relay's option */
		{ ",", HG_EINVAL },			/* trailing comma */
		{ ",scale=1,", HG_EINVAL },
		{ ",unit=300", HG_EINVAL },
		{ "!127.0.0.1:0", HG_EINVAL },
		{ "!127.0.0.1", HG_EINVAL },
		{ "!", HG_EINVAL },
	};
	char arg[300];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct meter_dev *m = NULL;
		int r;

		if (rows[i].tail[0] == '!')
			snprintf(arg, sizeof arg, "%s", rows[i].tail + 1);
		else
			snprintf(arg, sizeof arg, "%s%s", peer.spec, rows[i].tail);
		r = meter_modbus_tcp_ops.open(&m, arg);
		if (r != rows[i].want)
			fail_msg("'%s': %d, want %d", arg, r, rows[i].want);
		if (r == HG_OK)
			meter_modbus_tcp_ops.close(m);
		else
			assert_null(m);
	}
	snprintf(arg, sizeof arg, "127.0.0.1:%d,register=100", pm_free_port());
	{
		struct meter_dev *m = NULL;

		assert_int_equal(meter_modbus_tcp_ops.open(&m, arg), HG_EIO);	/* no one there */
		assert_int_equal(meter_modbus_rtu_ops.open(&m, "/no/such/tty:9600"), HG_EIO);
		assert_int_equal(meter_modbus_rtu_ops.open(&m, "/dev/ttyS9:12"), HG_EINVAL);
	}
}

/* The peer killed: HG_EIO; restarted on the same port: reads again. */
static void test_peer_restart(void **state)
{
	const uint16_t v[3] = { 0, 1234, 0 };
	struct meter_dev *m = open_ok(",register=100,scale=0.1");
	double g = -1;
	int r = HG_EIO;

	(void)state;
	pm_stop(&peer, 1);
	assert_int_equal(meter_modbus_tcp_ops.read(m, &g), HG_EIO);
	assert_int_equal(meter_modbus_tcp_ops.read(m, &g), HG_EIO);
	assert_int_equal(pm_start(&peer, peer.port, peer.log, peer_args), 0);
	peer_write(100, 3, v);
	for (int i = 0; i < 30 && r != HG_OK; i++) {	/* the backoff is 1 s */
		r = meter_modbus_tcp_ops.read(m, &g);
		if (r != HG_OK)
			pm_sleep_ms(100);
	}
	assert_int_equal(r, HG_OK);
	assert_true(g > 123.39 && g < 123.41);
	meter_modbus_tcp_ops.close(m);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_sim(void **state)
{
	char path[512], sub[600];
	struct meter_dev *m;
	double g = -1;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/sim/meter", dir);	/* folder made too */
	assert_int_equal(meter_sim_ops.open(&m, path), HG_OK);
	f = fopen(path, "r");
	assert_non_null(f);
	fclose(f);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	assert_true(g == 0);
	write_file(path, "1234.5\n");
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	assert_true(g == 1234.5);
	write_file(path, "  17  ");
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	assert_true(g == 17);
	write_file(path, "abc\n");		/* nonsense: like a meter answering junk */
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	assert_true(g == 17);			/* untouched */
	write_file(path, "-4\n");
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	write_file(path, "12 13\n");
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	write_file(path, "");
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	unlink(path);				/* gone */
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	meter_sim_ops.close(m);

	write_file(path, "99\n");		/* an existing file is kept */
	assert_int_equal(meter_sim_ops.open(&m, path), HG_OK);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	assert_true(g == 99);
	meter_sim_ops.close(m);
	assert_int_equal(meter_sim_ops.open(&m, ""), HG_EINVAL);
	snprintf(sub, sizeof sub, "%s/sim", dir);
	assert_int_equal(meter_sim_ops.open(&m, sub), HG_EINVAL);	/* a folder */
}

/* meter_sim_fail: the nth read from now fails with HG_EIO, once or from
 * then on; the file (100 gallons) is not touched, and the reads that work
 * give it. */
static void test_sim_fail(void **state)
{
	static const struct {
		const char *what;
		int nth, forever, n;
		int ret[4];
	} rows[] = {
		{ "the next read fails once", 1, 0, 3, { HG_EIO, HG_OK, HG_OK } },
		{ "the 3rd read fails once", 3, 0, 4, { HG_OK, HG_OK, HG_EIO, HG_OK } },
		{ "from the 2nd on, forever", 2, 1, 4, { HG_OK, HG_EIO, HG_EIO, HG_EIO } },
		{ "every read, forever", 1, 1, 2, { HG_EIO, HG_EIO } },
		{ "0 clears", 0, 1, 2, { HG_OK, HG_OK } },
		{ "a negative nth clears", -1, 0, 2, { HG_OK, HG_OK } },
	};
	char path[512];
	struct meter_dev *m;
	double g;
	size_t i;
	int k;

	(void)state;
	snprintf(path, sizeof path, "%s/fail/meter", dir);
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(meter_sim_ops.open(&m, path), HG_OK);
		write_file(path, "100\n");
		meter_sim_fail(m, rows[i].nth, rows[i].forever);
		for (k = 0; k < rows[i].n; k++) {
			int r;

			g = -1;
			r = meter_sim_ops.read(m, &g);
			if (r != rows[i].ret[k])
				fail_msg("%s: read %d gave %d, want %d", rows[i].what, k + 1, r,
					 rows[i].ret[k]);
			assert_true(r == HG_OK ? g == 100 : g == -1);
		}
		meter_sim_fail(m, 0, 0);	/* cleared: it answers again */
		assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
		meter_sim_ops.close(m);
	}

	/* arming again restarts the count */
	assert_int_equal(meter_sim_ops.open(&m, path), HG_OK);
	meter_sim_fail(m, 2, 0);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	meter_sim_fail(m, 2, 0);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_EIO);
	assert_int_equal(meter_sim_ops.read(m, &g), HG_OK);
	meter_sim_ops.close(m);
	meter_sim_fail(NULL, 1, 1);	/* harmless */
}

static void test_backend_table(void **state)
{
	const char *arg = NULL;

	(void)state;
	assert_ptr_equal(meter_backend("sim:var/meter", &arg), &meter_sim_ops);
	assert_string_equal(arg, "var/meter");
	assert_ptr_equal(meter_backend("modbus-tcp:10.0.0.9:502,scale=0.1", &arg),
			 &meter_modbus_tcp_ops);
	assert_string_equal(arg, "10.0.0.9:502,scale=0.1");
	assert_ptr_equal(meter_backend("modbus-rtu:/dev/ttyUSB0:9600", &arg), &meter_modbus_rtu_ops);
	assert_ptr_equal(meter_backend("gpio-pulse:gpiochip0:17", &arg), &meter_gpio_pulse_ops);
	assert_null(meter_backend("gpio:gpiochip0", &arg));	/* a relay scheme */
	assert_null(meter_backend("bogus:x", &arg));
	assert_null(meter_backend("", &arg));
	assert_null(meter_backend(NULL, &arg));
}

static void test_gpio_pulse_specs(void **state)
{
	static const struct {
		const char *arg;
		int want;
	} rows[] = {
		{ "gpiochip0", HG_EINVAL },			/* no line */
		{ ":5", HG_EINVAL },				/* no chip */
		{ "gpiochip0:", HG_EINVAL },
		{ "gpiochip0:x", HG_EINVAL },
		{ "gpiochip0:1024", HG_EINVAL },		/* past the last line */
		{ "gpiochip0:5,gallons=0", HG_EINVAL },
		{ "gpiochip0:5,gallons=x", HG_EINVAL },
		{ "gpiochip0:5,litres=1", HG_EINVAL },		/* unknown option */
		{ "gpiochip0:5,", HG_EINVAL },
		{ "", HG_EINVAL },
		{ "no-such-chip-label:5", HG_ENOTFOUND },	/* well-formed, not here */
		{ "/dev/gpiochip99:5,gallons=10", HG_ENOTFOUND },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct meter_dev *m = NULL;
		int r = meter_gpio_pulse_ops.open(&m, rows[i].arg);

		if (r == HG_OK)
			meter_gpio_pulse_ops.close(m);	/* a machine with that chip */
		else if (r != rows[i].want)
			fail_msg("'%s': %d, want %d", rows[i].arg, r, rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_count_follows_valve),
		cmocka_unit_test(test_words_scale_input),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_peer_restart),
		cmocka_unit_test(test_sim),
		cmocka_unit_test(test_sim_fail),
		cmocka_unit_test(test_backend_table),
		cmocka_unit_test(test_gpio_pulse_specs),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
