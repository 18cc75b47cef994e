/* test_devices.c: unit tests of station/devices.c, the one place a station's
 * devices are opened.
 *
 * The device lock keeps a second opener out (with who holds it); a device the
 * caller lets fail is left closed with its reason, any other failure closes
 * everything; and the fail-safe hook leaves every relay off however the
 * process ends: exit() with the devices open, a stop signal, a crash.  The
 * ways out run in a child process, which switches the valve on and then
 * ends; the parent reads the simulated relays' state file. */
#include "testutil.h"

#include <signal.h>
#include <sys/wait.h>

#include "../../core/config.h"
#include "../../core/report.h"
#include "../../station/devices.h"

struct rig {
	char dir[128];
	char state[160];	/* the simulated relays' state file */
	struct config cfg;
};

static void rig_open(struct rig *r)
{
	assert_int_equal(tu_tmpdir(r->dir, sizeof r->dir, "devices"), 0);
	snprintf(r->state, sizeof r->state, "%s/relays", r->dir);
	config_defaults(&r->cfg);
	assert_true(snprintf(r->cfg.db_path, sizeof r->cfg.db_path, "%s/station.db", r->dir) <
		    (int)sizeof r->cfg.db_path);
	assert_true(snprintf(r->cfg.relay, sizeof r->cfg.relay, "sim:%s", r->state) <
		    (int)sizeof r->cfg.relay);
	assert_true(snprintf(r->cfg.printer, sizeof r->cfg.printer, "file:%s", r->dir) <
		    (int)sizeof r->cfg.printer);
	assert_true(snprintf(r->cfg.nfc, sizeof r->cfg.nfc, "sim:%s/nfc", r->dir) <
		    (int)sizeof r->cfg.nfc);
	r->cfg.meter[0] = '\0';
}

/* 1 when the state file says name=word. */
static int state_is(const struct rig *r, const char *name, const char *word)
{
	char line[128], want[64];
	FILE *f = fopen(r->state, "r");
	int found = 0;

	snprintf(want, sizeof want, "%s=%s\n", name, word);
	while (f && fgets(line, sizeof line, f))
		found |= strcmp(line, want) == 0;
	if (f)
		fclose(f);
	return found;
}

/* A second opener is refused and told who holds the devices. */
static void test_lock(void **state)
{
	struct rig r;
	struct devices *a = NULL, *b = NULL;

	(void)state;
	rig_open(&r);
	assert_int_equal(devices_open(&a, &r.cfg, "haulgate hw relay", DEV_RELAYS, 0, 1), HG_OK);
	assert_int_equal(devices_open(&b, &r.cfg, "haulgate hw check", DEV_ALL, DEV_ALL, 1),
			 HG_EBUSY);
	assert_null(b);
	assert_non_null(strstr(hg_error_text(), "in use by haulgate hw relay"));
	devices_close(a, 2);
	assert_int_equal(devices_open(&b, &r.cfg, NULL, DEV_RELAYS, 0, 3), HG_OK);
	devices_close(b, 4);
	tu_rmtree(r.dir);
}

/* A device that cannot be opened: kept with its reason when the caller lets
 * it fail, else everything closed and the reason said. */
static void test_may_fail(void **state)
{
	static const struct {
		unsigned may_fail;
		int rc;
		const char *why;	/* in devices_why or hg_error_text */
	} rows[] = {
		/* hw check: the printer's line says why, the others open */
		{ DEV_PRINTER, HG_OK, "no printer backend is called that" },
		/* the station: a printer that cannot be used stops the start */
		{ 0, HG_EINVAL, "cannot open the printer 'nosuch:x': no printer backend" },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct rig r;
		struct devices *d = NULL;
		char why[160];
		int rc;

		rig_open(&r);
		snprintf(r.cfg.printer, sizeof r.cfg.printer, "nosuch:x");
		hg_error_clear();
		rc = devices_open(&d, &r.cfg, NULL, DEV_RELAYS | DEV_PRINTER, rows[i].may_fail, 1);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d (%s)", i, rc, hg_error_text());
		if (rc == HG_OK) {
			struct relay_dev *rd;
			struct printer_dev *pd;

			assert_non_null(devices_relays(d, &rd));
			assert_null(devices_printer(d, &pd));
			assert_int_equal(devices_why(d, DEV_PRINTER, why, sizeof why), HG_EINVAL);
			assert_non_null(strstr(why, rows[i].why));
			assert_int_equal(devices_why(d, DEV_RELAYS, why, sizeof why), HG_OK);
		} else {
			assert_null(d);
			assert_non_null(strstr(hg_error_text(), rows[i].why));
			assert_true(state_is(&r, "valve", "closed"));	/* opened, then closed */
		}
		devices_close(d, 2);
		tu_rmtree(r.dir);
	}
}

/* How the child ends, with the valve open. */
enum way { WAY_EXIT, WAY_SIGNAL, WAY_FLAG };

/* The child: open, valve and gate on, then end by way (sig for a signal). */
static void child(struct rig *r, enum way way, int sig)
{
	static volatile sig_atomic_t stop;
	static struct devices *d;	/* static: still reachable at exit (LSan) */
	const struct relay_ops *ops;
	struct relay_dev *rd;

	if (way == WAY_FLAG)
		devices_catch_stops(&stop);
	if (devices_open(&d, &r->cfg, "test", DEV_RELAYS, 0, 1) != HG_OK)
		_exit(90);
	ops = devices_relays(d, &rd);
	if (ops->set(rd, "valve", 1, 1) != HG_OK || ops->set(rd, "gate", 1, 1) != HG_OK)
		_exit(91);
	if (way == WAY_EXIT)
		exit(7);	/* forgot to close: atexit */
	raise(sig);
	if (way == WAY_FLAG && stop) {
		devices_close(d, 2);	/* the loop saw the flag and closed */
		_exit(8);
	}
	_exit(92);	/* the signal did not end it */
}

/* Every way out leaves the gate locked and the valve closed. */
static void test_hook(void **state)
{
	static const struct {
		enum way way;
		int sig;
		int exit_code;	/* or -1: died of sig */
	} rows[] = {
		/* exit() with the devices open */
		{ WAY_EXIT, 0, 7 },
		/* stop signals: relays off, then the signal ends the process */
		{ WAY_SIGNAL, SIGTERM, -1 },
		{ WAY_SIGNAL, SIGINT, -1 },
		{ WAY_SIGNAL, SIGHUP, -1 },
		/* a crash (not under ASan, which reports crashes itself) */
#if !defined(__SANITIZE_ADDRESS__)
		{ WAY_SIGNAL, SIGSEGV, -1 },
		{ WAY_SIGNAL, SIGABRT, -1 },
#endif
		/* a program with a loop: the stop sets its flag, it closes */
		{ WAY_FLAG, SIGTERM, 8 },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct rig r;
		pid_t pid;
		int st = 0;

		rig_open(&r);
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0)
			child(&r, rows[i].way, rows[i].sig);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (rows[i].exit_code >= 0) {
			if (!WIFEXITED(st) || WEXITSTATUS(st) != rows[i].exit_code)
				fail_msg("row %zu: status %#x", i, st);
		} else if (!WIFSIGNALED(st) || WTERMSIG(st) != rows[i].sig) {
			fail_msg("row %zu: status %#x, not killed by signal %d", i, st, rows[i].sig);
		}
		if (!state_is(&r, "valve", "closed") || !state_is(&r, "gate", "locked"))
			fail_msg("row %zu: the relays were left on", i);
		tu_rmtree(r.dir);
	}
}

int main(void)
{
	/* started as a script's background job, SIGINT would be ignored, and a
	 * stop ignored from the start stays ignored (devices.h) */
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lock),
		cmocka_unit_test(test_may_fail),
		cmocka_unit_test(test_hook),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
