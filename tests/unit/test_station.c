/* test_station.c: unit tests of station/station.c's start, station_open().
 *
 * The station runs only as its database's station: station_open() refuses a
 * configuration whose station id was not settled against the database
 * (config_station_id(), core/config_value.c), before any device is opened.
 * Each row is a fresh database in its own temp folder, with simulated relays
 * and a file printer in that folder. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture_store.h"
#include "../../core/config.h"
#include "../../station/station.h"

static void test_open_station_id(void **state)
{
	static const struct {
		const char *recorded;	/* meta.station_id; NULL: not initialised */
		const char *cfg_id;	/* cfg->station_id given to station_open */
		int settle;		/* call config_station_id() first */
		int rc;
		const char *err;	/* in err when rc is not HG_OK */
	} rows[] = {
		/* settled: the database's id, the station opens */
		{ "plant-07", "demo-01", 1, HG_OK, NULL },
		/* the same id without settling: nothing to settle, it opens */
		{ "plant-07", "plant-07", 0, HG_OK, NULL },
		/* the default id, never settled: refused before any device */
		{ "plant-07", "demo-01", 0, HG_EINVAL,
		  "the station id 'demo-01' is not the database's ('plant-07')" },
		/* a database that was never initialised: refused */
		{ NULL, "demo-01", 0, HG_EINVAL, "is not the database's ('none')" },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct store_fx f;
		struct config cfg;
		struct keypair kp;
		struct station *s = NULL;
		char err[512], relays[400];
		int rc;

		store_fx_open(&f, "station");
		if (rows[i].recorded)
			assert_int_equal(store_meta_set(f.st, "station_id", rows[i].recorded, 1000,
							"test"), HG_OK);
		config_defaults(&cfg);
		snprintf(cfg.station_id, sizeof cfg.station_id, "%s", rows[i].cfg_id);
		assert_true(text_copy(cfg.db_path, sizeof cfg.db_path, f.path) >= 0);
		assert_true(snprintf(cfg.relay, sizeof cfg.relay, "sim:%s/relays", f.dir) <
			    (int)sizeof cfg.relay);
		assert_true(snprintf(cfg.printer, sizeof cfg.printer, "file:%s", f.dir) <
			    (int)sizeof cfg.printer);
		if (rows[i].settle)
			assert_int_equal(config_station_id(&cfg, rows[i].recorded, CFG_ID_WRITE,
							   NULL), HG_OK);
		memset(&kp, 0, sizeof kp);
		kp.has_pin = 1;
		hg_error_clear();
		rc = station_open(&s, &cfg, f.st, &kp, 1000, 1, NULL, NULL);
		snprintf(err, sizeof err, "%s", hg_error_text());
		snprintf(relays, sizeof relays, "%s/relays", f.dir);
		if (rc != rows[i].rc || (rows[i].err && !strstr(err, rows[i].err)) ||
		    (rc != HG_OK && access(relays, F_OK) == 0))
			fail_msg("row %zu: rc %d, err \"%s\"%s", i, rc, err,
				 access(relays, F_OK) == 0 ? ", the relays were opened" : "");
		if (rc == HG_OK)
			assert_string_equal(cfg.station_id, rows[i].recorded);	/* what it runs as */
		station_close(s, 1001);
		store_fx_close(&f);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_station_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
