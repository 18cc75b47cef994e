/* test_boot.c: unit tests of station/boot.c, how every station program
 * starts: configuration, time zone, database, station id, keys.
 *
 * Each row is a station in its own temp folder: a station.ini (its lines
 * given by the row), a database initialised as some station (or none), the
 * station key and the PIN key (or not); then boot_open() with the row's
 * needs, and what it said through the report channel. */
#include "testutil.h"

#include "../../core/keys.h"
#include "../../host/keyfile.h"
#include "../../core/report.h"
#include "../../station/boot.h"

/* What a row's station has on disk. */
enum {
	HAS_DB = 1,	/* var/haulgate.db exists */
	HAS_ID = 2,	/* ... initialised as "plant-07" */
	HAS_KEY = 4,	/* station.key */
	HAS_PIN = 8	/* pin.key beside it */
};

static void make_station(const char *dir, const char *ini, unsigned has)
{
	char path[320];
	struct store *st;
	FILE *f;

	snprintf(path, sizeof path, "%s/station.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fprintf(f, "[station]\ndb = haulgate.db\nkey = station.key\n%s", ini);
	fclose(f);
	if (has & HAS_DB) {
		snprintf(path, sizeof path, "%s/haulgate.db", dir);
		assert_int_equal(store_open(&st, path, 1), HG_OK);
		if (has & HAS_ID)
			assert_int_equal(store_meta_set(st, "station_id", "plant-07", 1000, "test"),
					 HG_OK);
		store_close(st);
	}
	if (has & HAS_KEY) {
		snprintf(path, sizeof path, "%s/station.key", dir);
		assert_int_equal(keys_create(path, NULL), HG_OK);
	}
	if (has & HAS_PIN) {
		snprintf(path, sizeof path, "%s/pin.key", dir);
		assert_int_equal(keys_pin_create(path, NULL), HG_OK);
	}
}

static void report(const char *msg, void *ctx)
{
	snprintf(ctx, 512, "%s", msg);
}

static void test_boot_open(void **state)
{
	static const struct {
		const char *ini;	/* after [station] db and key */
		unsigned has;
		unsigned need;
		int rc;
		const char *said;	/* in hg_error_text(), or the warning when rc is HG_OK */
		int errs;		/* configuration errors kept */
	} rows[] = {
		/* everything there: the database's id, both keys */
		{ "", HAS_DB | HAS_ID | HAS_KEY | HAS_PIN,
		  BOOT_STORE | BOOT_KEY | BOOT_PIN_KEY, HG_OK, NULL, 0 },
		/* a bad line: every error kept for "FILE:LINE: message" */
		{ "pin_attempts = 3\n[nosuch]\n", HAS_DB | HAS_ID, BOOT_STORE, HG_EINVAL,
		  "error", 2 },
		/* a time zone the machine does not have: an error of its line */
		{ "timezone = Mars/Olympus_Mons\n", 0, BOOT_CONFIG, HG_EINVAL,
		  "1 error in the configuration", 1 },
		/* the configuration alone needs no database */
		{ "", 0, BOOT_CONFIG, HG_OK, NULL, 0 },
		/* no database */
		{ "", 0, BOOT_STORE, HG_ENOTFOUND, "run 'haulgate init' first", 0 },
		/* a database never initialised */
		{ "", HAS_DB, BOOT_STORE, HG_ENOTFOUND, "is not initialised", 0 },
		/* another [station] id, for a program that writes: refused */
		{ "id = other-01\n", HAS_DB | HAS_ID, BOOT_STORE, HG_EINVAL,
		  "is station 'plant-07'", 0 },
		/* the same, for one that only reads: a warning, the database's id */
		{ "id = other-01\n", HAS_DB | HAS_ID, BOOT_STORE | BOOT_READ_ONLY, HG_OK,
		  "going on as station 'plant-07'", 0 },
		/* no station key */
		{ "", HAS_DB | HAS_ID, BOOT_STORE | BOOT_KEY, HG_ENOTFOUND,
		  "no station key at", 0 },
		/* the station key without the PIN key: the kiosk cannot start */
		{ "", HAS_DB | HAS_ID | HAS_KEY, BOOT_STORE | BOOT_KEY | BOOT_PIN_KEY,
		  HG_ENOTFOUND, "no PIN key at", 0 },
		/* ... but a reprint (the signing key only) can */
		{ "", HAS_DB | HAS_ID | HAS_KEY, BOOT_STORE | BOOT_KEY, HG_OK, NULL, 0 },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		static struct config cfg;
		static struct boot b;
		char dir[128], ini[160], warned[512] = "";
		int rc;

		assert_int_equal(tu_tmpdir(dir, sizeof dir, "boot"), 0);
		make_station(dir, rows[i].ini, rows[i].has);
		snprintf(ini, sizeof ini, "%s/station.ini", dir);
		memset(&b, 0, sizeof b);
		b.cfg = &cfg;
		b.config_opt = ini;
		hg_report_set(report, warned);
		rc = boot_open(&b, rows[i].need);
		hg_report_set(NULL, NULL);
		if (rc != rows[i].rc)
			fail_msg("row %zu: rc %d, said \"%s\"", i, rc, hg_error_text());
		if (rows[i].said && !strstr(rc == HG_OK ? warned : hg_error_text(), rows[i].said))
			fail_msg("row %zu: said \"%s\" / warned \"%s\"", i, hg_error_text(), warned);
		if (rc == HG_OK && !rows[i].said && warned[0])
			fail_msg("row %zu: a warning: %s", i, warned);
		assert_int_equal(b.errs.n, rows[i].errs);
		if (rc == HG_OK && (rows[i].need & BOOT_STORE)) {
			assert_non_null(b.st);
			assert_string_equal(cfg.station_id, "plant-07");
		}
		if (rc != HG_OK && (rows[i].need & BOOT_STORE) && !(b.have & BOOT_STORE))
			assert_null(b.st);
		if (rc == HG_OK && (rows[i].need & BOOT_PIN_KEY))
			assert_true(b.kp.has_pin);
		boot_close(&b);
		tu_rmtree(dir);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot_open),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
