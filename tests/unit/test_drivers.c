/* test_drivers.c: the simulated relays, the GPIO relays' config value, the
 * FIFO card reader, the file printer, and picking backends by scheme.
 *
 * Every test works in its own folder under $TMPDIR, removed afterwards.  The
 * relay and printer tests read back the files the drivers write; the card
 * reader tests write to the FIFO themselves (the reader holds its read end
 * open, so a non-blocking writer never waits) following a script of writes
 * and expected reads, and one test feeds it from a thread while read() is
 * waiting.  Time is a fixed hg_time, never the clock. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <dirent.h>

#include "../../drivers/relay.h"
#include "../../drivers/nfc.h"
#include "../../drivers/printer.h"
#include "../../drivers/hwerr.h"
#include "../../core/report.h"

#define T0 ((hg_time)1795442531)	/* 2026-11-23T14:02:11Z */

/* Per-test folder, made by setup and removed by teardown. */
struct fx {
	char dir[512];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);

	if (!fx)
		return -1;
	if (tu_tmpdir(fx->dir, sizeof fx->dir, "drivers") != 0) {
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	tu_rmtree(fx->dir);
	free(fx);
	return 0;
}

static void path_in(const struct fx *fx, const char *rel, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", fx->dir, rel);

	assert_true(n > 0 && (size_t)n < cap);
}

/* Whole file into buf (NUL-terminated); -1 when it cannot be read. */
static int slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return 0;
}

static void assert_file(const char *path, const char *want)
{
	char got[4096];

	assert_int_equal(slurp(path, got, sizeof got), 0);
	assert_string_equal(got, want);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* ------------------------------------------------------------------ */
/* backends by scheme */

static void test_backend_lookup(void **state)
{
	static const struct {
		const char *spec;
		const struct relay_ops *relay;
		const struct nfc_ops *nfc;
		const struct printer_ops *printer;
		const char *arg;	/* expected arg when one matched */
	} rows[] = {
		/* the config's usual values */
		{ "sim:x", &relay_sim_ops, &nfc_sim_ops, NULL, "x" },
		{ "file:y", NULL, NULL, &printer_file_ops, "y" },
		/* unknown scheme: nobody */
		{ "bogus:z", NULL, NULL, NULL, NULL },
		/* a scheme is a whole word, not a prefix */
		{ "simx:y", NULL, NULL, NULL, NULL },
		{ "files:y", NULL, NULL, NULL, NULL },
		/* bare scheme: empty arg (the backend's open refuses it) */
		{ "sim", &relay_sim_ops, &nfc_sim_ops, NULL, "" },
		/* only the first ':' splits */
		{ "sim:a:b", &relay_sim_ops, &nfc_sim_ops, NULL, "a:b" },
		/* empty and NULL */
		{ "", NULL, NULL, NULL, NULL },
		{ NULL, NULL, NULL, NULL, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const char *a1 = "unset", *a2 = "unset", *a3 = "unset";

		assert_ptr_equal(relay_backend(rows[i].spec, &a1), rows[i].relay);
		assert_ptr_equal(nfc_backend(rows[i].spec, &a2), rows[i].nfc);
		assert_ptr_equal(printer_backend(rows[i].spec, &a3), rows[i].printer);
		if (rows[i].relay)
			assert_string_equal(a1, rows[i].arg);
		if (rows[i].nfc)
			assert_string_equal(a2, rows[i].arg);
		if (rows[i].printer)
			assert_string_equal(a3, rows[i].arg);
	}
	/* arg may be NULL */
	assert_ptr_equal(relay_backend("sim:q", NULL), &relay_sim_ops);
}

/* ------------------------------------------------------------------ */
/* relay words */

static void test_relay_words(void **state)
{
	static const struct {
		const char *name;
		int on;
		const char *word;
	} rows[] = {
		{ "gate", 0, "locked" },	/* safe state of the gate */
		{ "gate", 1, "unlocked" },
		{ "valve", 0, "closed" },	/* safe state of the valve */
		{ "valve", 1, "open" },
		{ "aux", 0, "off" },		/* any other relay */
		{ "aux", 1, "on" },
		{ "Gate", 1, "on" },		/* names are case-sensitive */
	};
	static const struct {
		const char *name, *word;
	} bad[] = {
		{ "valve", "locked" },	/* another relay's word */
		{ "gate", "open" },
		{ "gate", "on" },	/* the gate has its own words */
		{ "aux", "open" },
		{ "valve", "Open" },	/* words are lowercase */
		{ "valve", "" },
		{ "valve", NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_string_equal(relay_word(rows[i].name, rows[i].on), rows[i].word);
		assert_int_equal(relay_word_parse(rows[i].name, rows[i].word), rows[i].on);
	}
	for (i = 0; i < HG_ARRAY_LEN(bad); i++)
		assert_int_equal(relay_word_parse(bad[i].name, bad[i].word), -1);
	assert_string_equal(relay_word("x", 7), "on");	/* any non-zero is on */
}

/* ------------------------------------------------------------------ */
/* simulated relays */

static const char *const names3[] = { "gate", "valve", "aux" };

static struct relay_dev *relay_open3(const struct fx *fx, char *file, size_t cap)
{
	struct relay_dev *d = NULL;

	path_in(fx, "var/sub/relays", file, cap);	/* folders missing */
	assert_int_equal(relay_sim_ops.open(&d, file, names3, NULL, 3, T0), HG_OK);
	assert_non_null(d);
	return d;
}

static void test_relay_open_all_off(void **state)
{
	struct fx *fx = *state;
	char file[600], log[700];
	struct relay_dev *d;
	int on, i;

	d = relay_open3(fx, file, sizeof file);
	assert_file(file, "gate=locked\nvalve=closed\naux=off\n");
	snprintf(log, sizeof log, "%s.log", file);
	assert_file(log, "2026-11-23T14:02:11Z gate=locked\n"
			 "2026-11-23T14:02:11Z valve=closed\n"
			 "2026-11-23T14:02:11Z aux=off\n");
	for (i = 0; i < 3; i++) {
		on = -1;
		assert_int_equal(relay_sim_ops.get(d, names3[i], &on), HG_OK);
		assert_int_equal(on, 0);
	}
	relay_sim_ops.close(d, T0 + 1);
	/* nothing was on: close changes nothing in the log */
	assert_file(file, "gate=locked\nvalve=closed\naux=off\n");
	assert_file(log, "2026-11-23T14:02:11Z gate=locked\n"
			 "2026-11-23T14:02:11Z valve=closed\n"
			 "2026-11-23T14:02:11Z aux=off\n");
}

static void test_relay_set_get(void **state)
{
	static const struct {
		const char *name;
		int on;
		const char *file;	/* state file after the set */
	} steps[] = {
		/* open the valve */
		{ "valve", 1, "gate=locked\nvalve=open\naux=off\n" },
		/* unlock the gate too */
		{ "gate", 1, "gate=unlocked\nvalve=open\naux=off\n" },
		/* same state again: file rewritten, no log line */
		{ "gate", 1, "gate=unlocked\nvalve=open\naux=off\n" },
		/* any non-zero is on */
		{ "aux", 5, "gate=unlocked\nvalve=open\naux=on\n" },
		/* close the valve */
		{ "valve", 0, "gate=unlocked\nvalve=closed\naux=on\n" },
	};
	struct fx *fx = *state;
	char file[600], log[700];
	struct relay_dev *d;
	size_t i;
	int on;

	d = relay_open3(fx, file, sizeof file);
	for (i = 0; i < HG_ARRAY_LEN(steps); i++) {
		assert_int_equal(relay_sim_ops.set(d, steps[i].name, steps[i].on, T0 + 10 * (hg_time)(i + 1)),
				 HG_OK);
		assert_file(file, steps[i].file);
		on = -1;
		assert_int_equal(relay_sim_ops.get(d, steps[i].name, &on), HG_OK);
		assert_int_equal(on, !!steps[i].on);
	}
	snprintf(log, sizeof log, "%s.log", file);
	relay_sim_ops.close(d, T0 + 100);
	assert_file(file, "gate=locked\nvalve=closed\naux=off\n");
	assert_file(log, "2026-11-23T14:02:11Z gate=locked\n"
			 "2026-11-23T14:02:11Z valve=closed\n"
			 "2026-11-23T14:02:11Z aux=off\n"
			 "2026-11-23T14:02:21Z valve=open\n"
			 "2026-11-23T14:02:31Z gate=unlocked\n"
			 "2026-11-23T14:02:51Z aux=on\n"
			 "2026-11-23T14:03:01Z valve=closed\n"
			 /* close: every relay still on goes off */
			 "2026-11-23T14:03:51Z gate=locked\n"
			 "2026-11-23T14:03:51Z aux=off\n");
}

/* One fault plan, then a run of sets of the valve with their results. */
static void test_relay_faults(void **state)
{
	enum { MAXS = 5 };
	static const struct {
		const char *what;
		int nth, forever;
		int n;
		int on[MAXS];		/* valve set to */
		int ret[MAXS];		/* set() result */
		int now[MAXS];		/* valve state read back after it */
	} rows[] = {
		{ "the next set fails once", 1, 0, 3,
		  { 1, 1, 0 }, { HG_EIO, HG_OK, HG_OK }, { 0, 1, 0 } },
		{ "the 2nd set fails once", 2, 0, 3,
		  { 1, 0, 0 }, { HG_OK, HG_EIO, HG_OK }, { 1, 1, 0 } },
		{ "from the 2nd on, forever", 2, 1, 4,
		  { 1, 0, 0, 1 }, { HG_OK, HG_EIO, HG_EIO, HG_EIO }, { 1, 1, 1, 1 } },
		{ "every set, forever", 1, 1, 2,
		  { 1, 1 }, { HG_EIO, HG_EIO }, { 0, 0 } },
		{ "0 clears", 0, 1, 2,
		  { 1, 0 }, { HG_OK, HG_OK }, { 1, 0 } },
		/* negative nth: the relay sticks, the read-back catches it */
		{ "stuck on the next set", -1, 0, 2,
		  { 1, 1 }, { HG_EIO, HG_OK }, { 0, 1 } },
		{ "stuck from the 2nd on", -2, 1, 3,
		  { 1, 0, 0 }, { HG_OK, HG_EIO, HG_EIO }, { 1, 1, 1 } },
	};
	struct fx *fx = *state;
	char file[600], before[4096], after[4096];
	size_t i;
	int k, on;

	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct relay_dev *d = relay_open3(fx, file, sizeof file);

		relay_sim_fail(d, rows[i].nth, rows[i].forever);
		for (k = 0; k < rows[i].n; k++) {
			assert_int_equal(slurp(file, before, sizeof before), 0);
			int r = relay_sim_ops.set(d, "valve", rows[i].on[k], T0 + k);

			if (r != rows[i].ret[k])
				fail_msg("%s: set %d gave %d, want %d", rows[i].what, k + 1, r,
					 rows[i].ret[k]);
			on = -1;
			assert_int_equal(relay_sim_ops.get(d, "valve", &on), HG_OK);
			if (on != rows[i].now[k])
				fail_msg("%s: after set %d valve is %d, want %d", rows[i].what,
					 k + 1, on, rows[i].now[k]);
			/* a plain failure leaves the file exactly as it was */
			assert_int_equal(slurp(file, after, sizeof after), 0);
			if (r != HG_OK && rows[i].nth > 0)
				assert_string_equal(after, before);
		}
		relay_sim_ops.close(d, T0 + 100);
		assert_file(file, "gate=locked\nvalve=closed\naux=off\n");
	}
	/* the fault counts only sets of known relays */
	{
		struct relay_dev *d = relay_open3(fx, file, sizeof file);

		relay_sim_fail(d, 1, 0);
		assert_int_equal(relay_sim_ops.set(d, "nope", 1, T0), HG_EINVAL);
		assert_int_equal(relay_sim_ops.set(d, "gate", 1, T0), HG_EIO);
		assert_int_equal(relay_sim_ops.set(d, "gate", 1, T0), HG_OK);
		relay_sim_fail(NULL, 1, 0);	/* harmless */
		relay_sim_ops.close(d, T0);
	}
}

static void test_relay_bad_args(void **state)
{
	static const char *const dup[] = { "gate", "gate" };
	static const char *const bad_eq[] = { "gate", "a=b" };
	static const char *const bad_nl[] = { "gate\n" };
	static const char *const empty[] = { "" };
	static const char *const longname[] = { "abcdefghijabcdefghijabcdefghijab" };	/* 32 */
	static const struct {
		const char *const *names;
		int n;
		const char *rel;	/* NULL: no path */
	} rows[] = {
		{ dup, 2, "r" },		/* a relay named twice */
		{ bad_eq, 2, "r" },		/* '=' would break the file */
		{ bad_nl, 1, "r" },		/* so would a newline */
		{ empty, 1, "r" },		/* empty name */
		{ longname, 1, "r" },		/* over 31 characters */
		{ names3, 0, "r" },		/* no relays */
		{ names3, 3, NULL },		/* no state file */
		{ names3, 3, "" },		/* empty state file name */
	};
	struct fx *fx = *state;
	struct relay_dev *d;
	char file[600];
	size_t i;
	int on = -1;

	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const char *arg = NULL;

		if (rows[i].rel && *rows[i].rel) {
			path_in(fx, rows[i].rel, file, sizeof file);
			arg = file;
		} else if (rows[i].rel) {
			arg = "";
		}
		d = (struct relay_dev *)&on;	/* must be reset to NULL */
		assert_int_equal(relay_sim_ops.open(&d, arg, rows[i].names, NULL, rows[i].n, T0),
				 HG_EINVAL);
		assert_null(d);
	}

	/* an unknown relay name on a good device */
	d = relay_open3(fx, file, sizeof file);
	assert_int_equal(relay_sim_ops.set(d, "pump", 1, T0), HG_EINVAL);
	assert_int_equal(relay_sim_ops.get(d, "pump", &on), HG_EINVAL);
	assert_int_equal(relay_sim_ops.set(d, NULL, 1, T0), HG_EINVAL);
	assert_file(file, "gate=locked\nvalve=closed\naux=off\n");
	relay_sim_ops.close(d, T0);
	relay_sim_ops.close(NULL, T0);	/* harmless */

	/* the state file's folder cannot be made: a file is in the way */
	path_in(fx, "plain", file, sizeof file);
	put_file(file, "x\n");
	path_in(fx, "plain/relays", file, sizeof file);
	assert_int_not_equal(relay_sim_ops.open(&d, file, names3, NULL, 3, T0), HG_OK);
	assert_null(d);
}

/* get() reads the file as it is, whoever wrote it. */
/* The GPIO backend's `relay =` value, through its public open: a spec it
 * refuses is HG_EINVAL before any chip is looked up, one it takes gets as
 * far as the chip, which does not exist (HG_ENOTFOUND), so this runs on any
 * machine.  The toggling itself needs a chip: tests/cli/test_gpio.sh. */
static void test_relay_gpio_spec(void **state)
{
	static const char *const names[] = {"gate", "valve"};
	static const struct {
		const char *spec, *gate, *valve;
		int want;
	} rows[] = {
		{ "hg-no-such-chip", "17", "27", HG_ENOTFOUND },
		{ "hg-no-such-chip,heartbeat=16", "17", "27,active-low", HG_ENOTFOUND },
		{ "hg-no-such-chip,heartbeat=0x10", "17", "27", HG_ENOTFOUND },
		{ "hg-no-such-chip,heartbeat=1023", "0", "1", HG_ENOTFOUND },
		/* the heartbeat on a relay's line, active-low or not */
		{ "hg-no-such-chip,heartbeat=17", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=27", "17", "27,active-low", HG_EINVAL },
		/* bad numbers */
		{ "hg-no-such-chip,heartbeat=", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=x", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=-1", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=1024", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=16x", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=99999999999999999999", "17", "27", HG_EINVAL },
		/* options: given twice, unknown, empty, no '=' */
		{ "hg-no-such-chip,heartbeat=16,heartbeat=18", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,unit=1", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,,heartbeat=16", "17", "27", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat", "17", "27", HG_EINVAL },
		/* no chip */
		{ "", "17", "27", HG_EINVAL },
		{ ",heartbeat=16", "17", "27", HG_EINVAL },
		/* numbers are decimal: "010" is line 10, not line 8 (octal) */
		{ "hg-no-such-chip", "8", "010", HG_ENOTFOUND },
		{ "hg-no-such-chip,heartbeat=010", "8", "9", HG_ENOTFOUND },
		{ "hg-no-such-chip", "10", "010", HG_EINVAL },		/* one line twice */
		{ "hg-no-such-chip", "17", "0x11,active-low", HG_EINVAL },	/* 0x11 is 17 */
		{ "hg-no-such-chip", "17", "+27", HG_EINVAL },		/* a sign */
		/* the relays' own lines are still checked */
		{ "hg-no-such-chip,heartbeat=16", "17", "17", HG_EINVAL },
		{ "hg-no-such-chip,heartbeat=16", "17", "1024", HG_EINVAL },
	};
	struct relay_dev *d;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const char *args[] = {rows[i].gate, rows[i].valve};

		d = (struct relay_dev *)&d;	/* must be reset to NULL */
		print_message("row %zu: %s\n", i, rows[i].spec);
		assert_int_equal(relay_gpio_ops.open(&d, rows[i].spec, names, args, 2, T0),
				 rows[i].want);
		assert_null(d);
	}
	d = (struct relay_dev *)&d;
	assert_int_equal(relay_gpio_ops.open(&d, NULL, names, names, 2, T0), HG_EINVAL);
	assert_null(d);
	relay_gpio_ops.close(NULL, T0);	/* harmless */
}

static void test_relay_file_changed_under(void **state)
{
	static const struct {
		const char *content;
		const char *name;
		int ret, on;
	} rows[] = {
		/* someone opened the valve by hand */
		{ "gate=locked\nvalve=open\naux=off\n", "valve", HG_OK, 1 },
		/* order, spaces and CRLF do not matter */
		{ "aux=on\r\n valve = closed \ngate=unlocked\n", "gate", HG_OK, 1 },
		{ "aux=on\r\n valve = closed \ngate=unlocked\n", "valve", HG_OK, 0 },
		{ "aux=on\r\n valve = closed \ngate=unlocked\n", "aux", HG_OK, 1 },
		/* last line without a newline */
		{ "gate=locked\nvalve=open", "valve", HG_OK, 1 },
		/* a word that is not the relay's */
		{ "gate=locked\nvalve=locked\n", "valve", HG_ECORRUPT, -1 },
		/* the relay is missing */
		{ "gate=locked\n", "valve", HG_ECORRUPT, -1 },
		/* "valves" is not "valve" */
		{ "valves=open\n", "valve", HG_ECORRUPT, -1 },
		/* empty file */
		{ "", "gate", HG_ECORRUPT, -1 },
	};
	struct fx *fx = *state;
	char file[600], big[400];
	struct relay_dev *d;
	size_t i;
	int on;

	d = relay_open3(fx, file, sizeof file);
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		put_file(file, rows[i].content);
		on = -1;
		assert_int_equal(relay_sim_ops.get(d, rows[i].name, &on), rows[i].ret);
		assert_int_equal(on, rows[i].on);
	}
	/* an over-long line */
	memset(big, 'x', sizeof big - 2);
	big[sizeof big - 2] = '\n';
	big[sizeof big - 1] = '\0';
	put_file(file, big);
	assert_int_equal(relay_sim_ops.get(d, "gate", &on), HG_ECORRUPT);
	/* the file is gone */
	assert_int_equal(unlink(file), 0);
	assert_int_equal(relay_sim_ops.get(d, "gate", &on), HG_EIO);
	/* a set writes it whole again */
	assert_int_equal(relay_sim_ops.set(d, "gate", 1, T0), HG_OK);
	assert_file(file, "gate=unlocked\nvalve=closed\naux=off\n");
	relay_sim_ops.close(d, T0);
}

/* ------------------------------------------------------------------ */
/* simulated card reader */

enum { W = 1, R };

struct nfc_step {
	int op;			/* W: write data (times times); R: read */
	const char *data;
	int times;		/* 0 = once */
	size_t len;		/* 0 = strlen(data) */
	int timeout_ms;		/* R: 0 = 200 */
	int ret;		/* R: expected result */
	const char *uid;	/* R: expected uid when HG_OK */
};

#define NFC_MAX_STEPS 8

static const struct {
	const char *what;
	struct nfc_step s[NFC_MAX_STEPS];
} nfc_scripts[] = {
	{ "4-byte UID, uppercase", {
		{ .op = W, .data = "04A1B2C3\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY } } },
	{ "7-byte UID with colons", {
		{ .op = W, .data = "04:a1:b2:c3:d4:e5:f6\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3d4e5f6" } } },
	{ "10-byte UID with spaces", {
		{ .op = W, .data = "04 A1 B2 C3 D4 E5 F6 07 08 09\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3d4e5f6070809" } } },
	{ "two lines in one write", {
		{ .op = W, .data = "04A1B2C3\n04A1B2C4\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c4" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY } } },
	{ "garbage lines are reported, one each, and skipped", {
		{ .op = W, .data = "hello\n04A1B2\nzz:zz:zz:zz\n04A1B2C3\n" },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" } } },
	{ "blank lines, spaces, CRLF", {
		{ .op = W, .data = "\n  \n\r\n\t04a1b2c3 \r\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY } } },
	{ "a NUL inside a line", {
		{ .op = W, .data = "04A1\0B2C3\n", .len = 10 },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = W, .data = "04A1B2C3\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" } } },
	{ "a line split across writes", {
		{ .op = W, .data = "04A1" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY },
		{ .op = W, .data = "B2" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY },
		{ .op = W, .data = "C3\n04" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" },
		{ .op = W, .data = "A1B2C4\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c4" } } },
	{ "a 5000-character line: dropped whole, reported once", {
		{ .op = W, .data = "A", .times = 5000 },
		{ .op = W, .data = "\n04A1B2C3\n" },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY } } },
	{ "a long line whose end comes later", {
		{ .op = W, .data = "04A1B2C3", .times = 400 },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY },
		{ .op = W, .data = "04A1B2C3", .times = 200 },
		{ .op = R, .timeout_ms = 20, .ret = HG_EBUSY },
		{ .op = W, .data = "\n04A1B2C5\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c5" } } },
	{ "a line of exactly 127 characters is read (and refused)", {
		{ .op = W, .data = "0", .times = 127 },
		{ .op = W, .data = "\n" },
		{ .op = R, .ret = HG_EINVAL },
		{ .op = W, .data = "04A1B2C3\n" },
		{ .op = R, .ret = HG_OK, .uid = "04a1b2c3" } } },
};

static int64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		assert_true(w > 0);
		p += w;
		n -= (size_t)w;
	}
}

static void test_nfc_scripts(void **state)
{
	struct fx *fx = *state;
	char fifo[600], uid[LIM_UID + 1];
	size_t i, k;
	int t;

	path_in(fx, "var/nfc", fifo, sizeof fifo);	/* folder missing */
	for (i = 0; i < HG_ARRAY_LEN(nfc_scripts); i++) {
		struct nfc_dev *d = NULL;
		int wfd;

		assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
		wfd = open(fifo, O_WRONLY | O_NONBLOCK);
		assert_true(wfd >= 0);
		for (k = 0; k < NFC_MAX_STEPS && nfc_scripts[i].s[k].op; k++) {
			const struct nfc_step *s = &nfc_scripts[i].s[k];

			if (s->op == W) {
				size_t n = s->len ? s->len : strlen(s->data);

				for (t = 0; t < (s->times ? s->times : 1); t++)
					write_all(wfd, s->data, n);
				continue;
			}
			memset(uid, 'x', sizeof uid);
			int r = nfc_sim_ops.read(d, s->timeout_ms ? s->timeout_ms : 200, uid);

			if (r != s->ret)
				fail_msg("%s: step %zu read %d, want %d", nfc_scripts[i].what,
					 k + 1, r, s->ret);
			if (r == HG_OK)
				assert_string_equal(uid, s->uid);
			else
				assert_string_equal(uid, "");
		}
		close(wfd);
		nfc_sim_ops.close(d);
	}
}

/* No card: HG_EBUSY after about the timeout, even when writers have come
 * and gone (the FIFO would otherwise report end-of-file at once). */
static void test_nfc_timeout(void **state)
{
	static const int timeouts[] = { 0, 30, 120 };
	struct fx *fx = *state;
	char fifo[600], uid[LIM_UID + 1];
	struct nfc_dev *d = NULL;
	int64_t t0, dt;
	size_t i;
	int wfd;

	path_in(fx, "nfc", fifo, sizeof fifo);
	assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
	/* a writer comes, writes a card and goes */
	wfd = open(fifo, O_WRONLY | O_NONBLOCK);
	assert_true(wfd >= 0);
	write_all(wfd, "04a1b2c3\n", 9);
	close(wfd);
	assert_int_equal(nfc_sim_ops.read(d, 200, uid), HG_OK);
	assert_string_equal(uid, "04a1b2c3");
	for (i = 0; i < HG_ARRAY_LEN(timeouts); i++) {
		t0 = mono_ms();
		assert_int_equal(nfc_sim_ops.read(d, timeouts[i], uid), HG_EBUSY);
		dt = mono_ms() - t0;
		assert_true(dt >= timeouts[i] - 2);
		assert_true(dt < timeouts[i] + 1000);
	}
	nfc_sim_ops.close(d);
	nfc_sim_ops.close(NULL);	/* harmless */

	/* the FIFO is still there and can be opened again */
	assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
	nfc_sim_ops.close(d);
}

struct feeder {
	const char *fifo;
	int delay_ms;
};

/* Writes one UID in three pieces, with pauses, as a slow writer would. */
static void *feed(void *arg)
{
	static const char *const pieces[] = { "04:A1:", "B2:C3:D4", ":E5:F6\n" };
	const struct feeder *f = arg;
	struct timespec ts = { 0, (long)f->delay_ms * 1000000L };
	size_t i;
	int fd;

	fd = open(f->fifo, O_WRONLY);
	if (fd < 0)
		return NULL;
	for (i = 0; i < HG_ARRAY_LEN(pieces); i++) {
		nanosleep(&ts, NULL);
		if (write(fd, pieces[i], strlen(pieces[i])) < 0)
			break;
	}
	close(fd);
	return NULL;
}

/* A read that is already waiting gets a card written meanwhile. */
static void test_nfc_writer_thread(void **state)
{
	struct fx *fx = *state;
	char fifo[600], uid[LIM_UID + 1];
	struct nfc_dev *d = NULL;
	struct feeder f;
	pthread_t th;

	path_in(fx, "nfc", fifo, sizeof fifo);
	assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
	f.fifo = fifo;
	f.delay_ms = 20;
	assert_int_equal(pthread_create(&th, NULL, feed, &f), 0);
	assert_int_equal(nfc_sim_ops.read(d, 5000, uid), HG_OK);
	assert_string_equal(uid, "04a1b2c3d4e5f6");
	assert_int_equal(pthread_join(th, NULL), 0);
	assert_int_equal(nfc_sim_ops.read(d, 20, uid), HG_EBUSY);
	nfc_sim_ops.close(d);
}

static void test_nfc_bad_open(void **state)
{
	struct fx *fx = *state;
	char path[600];
	struct nfc_dev *d;

	/* a regular file where the FIFO should be */
	path_in(fx, "notfifo", path, sizeof path);
	put_file(path, "04a1b2c3\n");
	d = (struct nfc_dev *)path;
	assert_int_equal(nfc_sim_ops.open(&d, path), HG_EINVAL);
	assert_null(d);
	/* no path */
	assert_int_equal(nfc_sim_ops.open(&d, ""), HG_EINVAL);
	assert_int_equal(nfc_sim_ops.open(&d, NULL), HG_EINVAL);
	assert_null(d);
}

/* nfc_sim_fail: the nth read from now fails with HG_EIO, once or from then
 * on, and a failed read takes nothing: the three cards queued in the FIFO
 * come out in order on the reads that work. */
static void test_nfc_fail(void **state)
{
	static const struct {
		const char *what;
		int nth, forever, n;
		int ret[4];
		int card[4];	/* for HG_OK: which card (1-3) the read gives */
	} rows[] = {
		{ "the next read fails once", 1, 0, 4,
		  { HG_EIO, HG_OK, HG_OK, HG_OK }, { 0, 1, 2, 3 } },
		{ "the 2nd read fails once", 2, 0, 4,
		  { HG_OK, HG_EIO, HG_OK, HG_OK }, { 1, 0, 2, 3 } },
		{ "from the 2nd on, forever", 2, 1, 4,
		  { HG_OK, HG_EIO, HG_EIO, HG_EIO }, { 1, 0, 0, 0 } },
		{ "every read, forever", 1, 1, 2, { HG_EIO, HG_EIO }, { 0, 0 } },
		{ "0 clears", 0, 1, 3, { HG_OK, HG_OK, HG_OK }, { 1, 2, 3 } },
	};
	static const char cards[] = "04a1b2c1\n04a1b2c2\n04a1b2c3\n";
	struct fx *fx = *state;
	char fifo[600], uid[LIM_UID + 1], want[LIM_UID + 1];
	struct nfc_dev *d = NULL;
	size_t i;
	int k, wfd, next;

	path_in(fx, "nfc", fifo, sizeof fifo);
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
		wfd = open(fifo, O_WRONLY | O_NONBLOCK);
		assert_true(wfd >= 0);
		write_all(wfd, cards, strlen(cards));
		nfc_sim_fail(d, rows[i].nth, rows[i].forever);
		for (k = 0; k < rows[i].n; k++) {
			int r = nfc_sim_ops.read(d, 200, uid);

			if (r != rows[i].ret[k])
				fail_msg("%s: read %d gave %d, want %d", rows[i].what, k + 1, r,
					 rows[i].ret[k]);
			snprintf(want, sizeof want, "04a1b2c%d", rows[i].card[k]);
			assert_string_equal(uid, r == HG_OK ? want : "");
		}
		/* cleared: the card after the last one read is still there */
		nfc_sim_fail(d, 0, 0);
		for (next = 1, k = 0; k < rows[i].n; k++) {
			if (rows[i].card[k] >= next)
				next = rows[i].card[k] + 1;
		}
		if (next <= 3) {
			assert_int_equal(nfc_sim_ops.read(d, 200, uid), HG_OK);
			snprintf(want, sizeof want, "04a1b2c%d", next);
			assert_string_equal(uid, want);
		}
		close(wfd);
		nfc_sim_ops.close(d);
	}

	/* arming again restarts the count */
	assert_int_equal(nfc_sim_ops.open(&d, fifo), HG_OK);
	nfc_sim_fail(d, 2, 0);
	assert_int_equal(nfc_sim_ops.read(d, 0, uid), HG_EBUSY);	/* 1st: no card */
	nfc_sim_fail(d, 2, 0);
	assert_int_equal(nfc_sim_ops.read(d, 0, uid), HG_EBUSY);	/* 1st again */
	assert_int_equal(nfc_sim_ops.read(d, 0, uid), HG_EIO);		/* 2nd */
	assert_int_equal(nfc_sim_ops.read(d, 0, uid), HG_EBUSY);	/* once only */
	nfc_sim_ops.close(d);
	nfc_sim_fail(NULL, 1, 1);	/* harmless */
}

/* ------------------------------------------------------------------ */
/* file printer */

static void test_print_kinds(void **state)
{
	static const struct {
		enum print_kind k;
		const char *code;
	} rows[] = {
		{ PRINT_RECEIPT, "receipt" },
		{ PRINT_REFUSAL, "refusal" },
		{ PRINT_LABEL, "label" },
		{ PRINT_SUMMARY, "summary" },
		{ PRINT_TEST, "test" },
	};
	size_t i;

	(void)state;
	assert_int_equal(HG_ARRAY_LEN(rows), PRINT_KIND_COUNT);
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_string_equal(print_kind_code(rows[i].k), rows[i].code);
		assert_int_equal(print_kind_parse(rows[i].code), (int)rows[i].k);
	}
	assert_int_equal(print_kind_parse("Receipt"), -1);
	assert_int_equal(print_kind_parse(""), -1);
	assert_int_equal(print_kind_parse(NULL), -1);
	assert_string_equal(print_kind_code(PRINT_KIND_COUNT), "?");
}

/* Number of entries in dir (without . and ..); hidden: those starting '.'. */
static int count_dir(const char *dir, int *hidden)
{
	DIR *dp = opendir(dir);
	struct dirent *e;
	int n = 0;

	*hidden = 0;
	if (!dp)
		return -1;
	while ((e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n++;
		if (e->d_name[0] == '.')
			(*hidden)++;
	}
	closedir(dp);
	return n;
}

static void test_printer_file(void **state)
{
	static const struct {
		struct print_job job;
		const char *file;	/* expected file name */
		const char *content;
	} rows[] = {
		/* a receipt with its QR line */
		{ { PRINT_RECEIPT, "load-000123", "Receipt\nLoad 123\n", "https://v.example/r/abc" },
		  "load-000123-receipt.txt", "Receipt\nLoad 123\nQR: https://v.example/r/abc\n" },
		/* the same again: a reprint gets -2, then -3 */
		{ { PRINT_RECEIPT, "load-000123", "Receipt\nLoad 123\n", "https://v.example/r/abc" },
		  "load-000123-receipt-2.txt", "Receipt\nLoad 123\nQR: https://v.example/r/abc\n" },
		{ { PRINT_RECEIPT, "load-000123", "again", NULL },
		  "load-000123-receipt-3.txt", "again" },
		/* another kind of the same load has its own name */
		{ { PRINT_LABEL, "load-000123", "Sample S-1\n", NULL },
		  "load-000123-label.txt", "Sample S-1\n" },
		/* text without a final newline gets one before the QR line */
		{ { PRINT_REFUSAL, "load-000124", "Refused", "R" },
		  "load-000124-refusal.txt", "Refused\nQR: R\n" },
		/* UTF-8 is kept as it is */
		{ { PRINT_RECEIPT, "load-000125", "Caf\xc3\xa9 Se\xc3\xb1or\n", NULL },
		  "load-000125-receipt.txt", "Caf\xc3\xa9 Se\xc3\xb1or\n" },
		/* empty text with a QR */
		{ { PRINT_LABEL, "x", "", "Q" }, "x-label.txt", "QR: Q\n" },
	};
	struct fx *fx = *state;
	char dir[600], path[800];
	struct printer_dev *d = NULL;
	size_t i;
	int hidden;

	path_in(fx, "prints/today", dir, sizeof dir);	/* folders missing */
	assert_int_equal(printer_file_ops.open(&d, dir), HG_OK);
	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(printer_file_ops.print(d, &rows[i].job), HG_OK);
		snprintf(path, sizeof path, "%s/%s", dir, rows[i].file);
		assert_file(path, rows[i].content);
	}
	/* one file per print, no temp left over */
	assert_int_equal(count_dir(dir, &hidden), (int)HG_ARRAY_LEN(rows));
	assert_int_equal(hidden, 0);
	printer_file_ops.close(d);
	printer_file_ops.close(NULL);	/* harmless */
}

static void test_printer_fail(void **state)
{
	static const struct {
		const char *what;
		int nth, forever, n;
		int ret[4];
		int files;		/* files in the folder afterwards */
	} rows[] = {
		{ "the next print fails once", 1, 0, 3, { HG_EIO, HG_OK, HG_OK }, 2 },
		{ "the 2nd print fails once", 2, 0, 3, { HG_OK, HG_EIO, HG_OK }, 2 },
		{ "from the 3rd on, forever", 3, 1, 4, { HG_OK, HG_OK, HG_EIO, HG_EIO }, 2 },
		{ "0 clears", 0, 0, 2, { HG_OK, HG_OK }, 2 },
	};
	static const struct print_job job = { PRINT_RECEIPT, "load-9", "text\n", NULL };
	struct fx *fx = *state;
	char dir[600], rel[64];
	size_t i;
	int k, hidden;

	for (i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct printer_dev *d = NULL;

		snprintf(rel, sizeof rel, "p%zu", i);
		path_in(fx, rel, dir, sizeof dir);
		assert_int_equal(printer_file_ops.open(&d, dir), HG_OK);
		printer_file_fail(d, rows[i].nth, rows[i].forever);
		for (k = 0; k < rows[i].n; k++) {
			int r = printer_file_ops.print(d, &job);

			if (r != rows[i].ret[k])
				fail_msg("%s: print %d gave %d, want %d", rows[i].what, k + 1, r,
					 rows[i].ret[k]);
		}
		assert_int_equal(count_dir(dir, &hidden), rows[i].files);
		assert_int_equal(hidden, 0);
		/* clearing the fault: printing works again */
		printer_file_fail(d, 0, 0);
		assert_int_equal(printer_file_ops.print(d, &job), HG_OK);
		printer_file_ops.close(d);
	}
	printer_file_fail(NULL, 1, 1);	/* harmless */
}

static void test_printer_bad(void **state)
{
	static const struct {
		struct print_job job;
		int ret;
	} rows[] = {
		{ { PRINT_RECEIPT, "../escape", "t", NULL }, HG_EINVAL },	/* a path */
		{ { PRINT_RECEIPT, "a/b", "t", NULL }, HG_EINVAL },
		{ { PRINT_RECEIPT, ".hidden", "t", NULL }, HG_EINVAL },
		{ { PRINT_RECEIPT, "", "t", NULL }, HG_EINVAL },		/* no name */
		{ { PRINT_RECEIPT, NULL, "t", NULL }, HG_EINVAL },
		{ { PRINT_RECEIPT, "x y", "t", NULL }, HG_EINVAL },		/* a space */
		{ { PRINT_KIND_COUNT, "x", "t", NULL }, HG_EINVAL },		/* no such kind */
		{ { PRINT_RECEIPT, "x", NULL, NULL }, HG_EINVAL },		/* no text */
		{ { PRINT_RECEIPT, "x", "t", "two\nlines" }, HG_EINVAL },	/* QR is one line */
	};
	struct fx *fx = *state;
	char dir[600], path[600];
	struct printer_dev *d = NULL;
	size_t i;
	int hidden;

	path_in(fx, "prints", dir, sizeof dir);
	assert_int_equal(printer_file_ops.open(&d, dir), HG_OK);
	printer_file_fail(d, 1, 0);	/* bad jobs do not use up the fault */
	for (i = 0; i < HG_ARRAY_LEN(rows); i++)
		assert_int_equal(printer_file_ops.print(d, &rows[i].job), rows[i].ret);
	assert_int_equal(count_dir(dir, &hidden), 0);
	assert_int_equal(printer_file_ops.print(d, &rows[0].job), HG_EINVAL);
	{
		static const struct print_job ok = { PRINT_LABEL, "fine", "t", NULL };

		assert_int_equal(printer_file_ops.print(d, &ok), HG_EIO);
		assert_int_equal(printer_file_ops.print(d, &ok), HG_OK);
	}
	printer_file_ops.close(d);

	/* open: empty folder name, or a file where the folder should be */
	d = (struct printer_dev *)dir;
	assert_int_equal(printer_file_ops.open(&d, ""), HG_EINVAL);
	assert_null(d);
	path_in(fx, "afile", path, sizeof path);
	put_file(path, "x");
	assert_int_equal(printer_file_ops.open(&d, path), HG_EINVAL);
	assert_null(d);
}

/* The CUPS printer's options: numbers decimal or 0x, nothing else (no sign,
 * no space, no junk); a good spec opens without a cupsd (print() says). */
static void test_printer_cups_spec(void **state)
{
	static const struct {
		const char *spec;
		int want;
	} rows[] = {
		{ "receipt", HG_OK },				/* 80 mm, 30 s */
		{ "receipt,width=384", HG_OK },			/* 58 mm */
		{ "receipt,width=0x180", HG_OK },		/* 384 in hex */
		{ "receipt,width=0576,timeout=030", HG_OK },	/* leading zeros: decimal */
		{ "receipt,width= 384", HG_EINVAL },		/* a space */
		{ "receipt,width=+384", HG_EINVAL },		/* a sign */
		{ "receipt,width=384x", HG_EINVAL },		/* junk */
		{ "receipt,width=500", HG_EINVAL },		/* not a multiple of 8 */
		{ "receipt,width=99999999999999999999", HG_EINVAL },	/* overflow */
		{ "receipt,width=", HG_EINVAL },		/* empty */
		{ "receipt,timeout=-1", HG_EINVAL },		/* negative */
		{ "receipt,timeout=0", HG_EINVAL },		/* below 1 */
		{ "receipt,timeout=5,", HG_EINVAL },		/* trailing comma */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct printer_dev *d = NULL;
		int r = printer_cups_ops.open(&d, rows[i].spec);

		if (r != rows[i].want)
			fail_msg("row %zu: '%s' gave %d, want %d", i, rows[i].spec, r, rows[i].want);
		if (r == HG_OK)
			printer_cups_ops.close(d);
	}
}

/* hw_error_text(): a code in words; a refusal's words are the backend's,
 * read from the one reporting channel (hg_fail()). */
static void test_hw_error_text(void **state)
{
	static const struct {
		int rc;
		const char *said;	/* hg_fail()'s words before, NULL: cleared */
		const char *want;
	} rows[] = {
		/* a refusal: the words the backend gave hg_fail() */
		{ HG_EREFUSED, "the module refused the write: illegal data address (coil 8)",
		  "the module refused the write: illegal data address (coil 8)" },
		/* a refusal with no words: the general ones */
		{ HG_EREFUSED, NULL, "answered, refusing the request" },
		/* other codes keep their own words, whatever was said */
		{ HG_EIO, "something else", "does not answer (check power, cable and address)" },
		{ HG_EINVAL, NULL, "the setting is not valid (docs/HARDWARE.md has the forms)" },
		{ HG_ENOTFOUND, NULL, "not found (no such device, chip or line)" },
		{ HG_OK, NULL, "ok" },
		/* an unknown code */
		{ -999, NULL, "failed" },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		hg_error_clear();
		if (rows[i].said)
			assert_int_equal(hg_fail(rows[i].rc, "%s", rows[i].said), rows[i].rc);
		if (strcmp(hw_error_text(rows[i].rc), rows[i].want) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, hw_error_text(rows[i].rc),
				 rows[i].want);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_backend_lookup),
		cmocka_unit_test(test_relay_words),
		cmocka_unit_test(test_hw_error_text),
		cmocka_unit_test_setup_teardown(test_relay_open_all_off, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_set_get, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_faults, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_bad_args, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relay_file_changed_under, setup, teardown),
		cmocka_unit_test(test_relay_gpio_spec),
		cmocka_unit_test_setup_teardown(test_nfc_scripts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc_timeout, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc_writer_thread, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc_bad_open, setup, teardown),
		cmocka_unit_test_setup_teardown(test_nfc_fail, setup, teardown),
		cmocka_unit_test(test_print_kinds),
		cmocka_unit_test_setup_teardown(test_printer_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printer_fail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printer_bad, setup, teardown),
		cmocka_unit_test(test_printer_cups_spec),
	};

	return cmocka_run_group_tests_name("drivers", tests, NULL, NULL);
}
