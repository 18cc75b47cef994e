/* test_store_hw.c: what the store keeps for the hardware (issue 4): the session
 * meter's flag on a load and its migration, and the slips the printer could
 * not print ("kept", db/store_kept.c).  Same fixture as test_store.c: a fresh
 * database per test, local time America/Denver. */
#include "testutil.h"
#include "fixture_store.h"
#include "store_raw.h"

#include <cJSON.h>

#include "../../db/store.h"
#include "../../core/text.h"

static void test_meter_flag(void **state)
{
	struct store_fx *f = *state;
	long long a = add_hauler(f, &acme);
	long long n1, n2, n3;
	hg_time t0 = fixture_at("2025-03-03T10:00");
	struct load_rec *got = calloc(1, sizeof *got);
	struct load_filter flagged = {"", "", 0, 1};
	struct table *t = NULL;
	cJSON *j;

	assert_non_null(got);
	n1 = commit(f, a, "Acme Septic", WASTE_SEPTAGE, 2500, VERDICT_ACCEPTED, t0);
	n2 = commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1000, VERDICT_ACCEPTED, t0 + 3600);
	n3 = commit(f, a, "Acme Septic", WASTE_SEPTAGE, 800, VERDICT_ACCEPTED, t0 + 7200);
	assert_int_equal(store_load_discharge_start(f->st, n1, t0 + 60, "station"), HG_OK);
	assert_int_equal(store_load_discharge_start(f->st, n2, t0 + 3660, "station"), HG_OK);
	assert_int_equal(store_load_discharge_start(f->st, n3, t0 + 7260, "station"), HG_OK);
	/* not a meter flag: refused, nothing written */
	assert_int_equal(store_load_discharge_end(f->st, n1, t0 + 600, 1200, R_RCRA_HAZARDOUS, "stop",
						  "station"), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "rcra_hazardous"));
	assert_int_equal(store_load_discharge_end(f->st, n1, t0 + 600, 1200, R_METER_MISMATCH, "stop",
						  "station"), HG_OK);
	assert_int_equal(store_load_discharge_end(f->st, n2, t0 + 4200, 300, R_METER_FAILED, "fault",
						  "station"), HG_OK);
	assert_int_equal(store_load_discharge_end(f->st, n3, t0 + 7800, 790, R_NONE, "stop",
						  "station"), HG_OK);

	assert_int_equal(store_load_get(f->st, n1, got), HG_OK);
	assert_int_equal(got->gallons_measured, 1200);
	assert_int_equal(got->meter_flag, R_METER_MISMATCH);
	assert_int_equal(store_load_get(f->st, n2, got), HG_OK);
	assert_int_equal(got->meter_flag, R_METER_FAILED);
	assert_int_equal(store_load_get(f->st, n3, got), HG_OK);
	assert_int_equal(got->meter_flag, R_NONE);
	assert_int_equal(got->gallons_measured, 790);

	/* the discharge_ended event says the flag */
	assert_int_equal(store_list_events(f->st, 1, 0, &t), HG_OK);
	for (int r = 0, seen = 0; r < table_rows(t); r++) {
		if (strcmp(table_cell(t, r, 2), "discharge_ended") != 0)
			continue;
		j = cJSON_Parse(table_cell(t, r, 5));
		assert_non_null(j);
		if (seen == 0)
			assert_string_equal(cJSON_GetObjectItem(j, "meter")->valuestring, "meter_mismatch");
		if (seen == 2)
			assert_null(cJSON_GetObjectItem(j, "meter"));
		seen++;
		cJSON_Delete(j);
	}
	table_free(t);

	/* listed: meter is the last column; --flagged includes meter flags */
	assert_int_equal(store_list_loads(f->st, &flagged, &t), HG_OK);
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_col(t, 14), "meter");
	assert_string_equal(table_cell(t, 0, 14), "meter_mismatch");
	assert_string_equal(table_cell(t, 0, 12), "1200");
	assert_string_equal(table_cell(t, 1, 14), "meter_failed");
	table_free(t);
	{
		struct verify_result vr;

		assert_int_equal(store_verify(f->st, &vr), HG_OK);
	}

	/* a load row with a flag this program does not know is corrupt, said so */
	raw_exec(f->path, "UPDATE loads SET meter_flag = 'meter_bogus' WHERE load_no = 3");
	assert_int_equal(store_load_get(f->st, n3, got), HG_ECORRUPT);
	assert_non_null(strstr(hg_error_text(), "meter_bogus"));
	free(got);
}

/* A database made before the meter (schema 1) is migrated on open. */
static void test_migrate_meter(void **state)
{
	char dir[512], path[600];
	struct store *st = NULL;
	int current;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "migrate"), 0);
	snprintf(path, sizeof path, "%s/old.db", dir);
	assert_int_equal(store_open(&st, path, 1), HG_OK);
	current = store_schema_version(st);
	store_close(st);
	/* a schema 1 database: without the columns and tables of the later
	 * migrations */
	raw_exec(path, "ALTER TABLE loads DROP COLUMN meter_flag; "
		 "ALTER TABLE load_sources DROP COLUMN town; ALTER TABLE sources DROP COLUMN town; "
		 "DROP TABLE sync_state; DROP TABLE sync_checkpoints; DROP TABLE policy; "
		 "PRAGMA user_version = 1;");
	assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info('loads') "
				 "WHERE name = 'meter_flag'"), 0);
	assert_int_equal(store_open(&st, path, 0), HG_OK);
	assert_int_equal(store_schema_version(st), current);
	store_close(st);
	assert_int_equal(raw_int(path, "SELECT count(*) FROM pragma_table_info('loads') "
				 "WHERE name = 'meter_flag'"), 1);
	assert_int_equal(tu_rmtree(dir), 0);
}

/* A database made before sources had a town (schema 2) is migrated on open:
 * its loads' sources and the remembered ones get the town '', and read back. */
static void test_migrate_town(void **state)
{
	struct store_fx *f = *state;
	long long a = add_hauler(f, &acme), n;
	struct load_rec *got = calloc(1, sizeof *got);

	assert_non_null(got);
	n = commit(f, a, "Acme Septic", WASTE_SEPTAGE, 2500, VERDICT_ACCEPTED,
		   fixture_at("2025-03-03T10:00"));
	store_close(f->st);
	f->st = NULL;
	raw_exec(f->path, "ALTER TABLE load_sources DROP COLUMN town; "
		 "ALTER TABLE sources DROP COLUMN town; "
		 "DROP TABLE sync_state; DROP TABLE sync_checkpoints; DROP TABLE policy; "
		 "PRAGMA user_version = 2;");
	assert_int_equal(store_open(&f->st, f->path, 0), HG_OK);
	assert_true(store_schema_version(f->st) >= 3);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM load_sources WHERE town = ''"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sources WHERE town = ''"), 1);
	assert_int_equal(store_load_get(f->st, n, got), HG_OK);
	assert_int_equal(got->m.n_sources, 1);
	assert_string_equal(got->m.sources[0].town, "");
	free(got);
}

static void test_kept_slips(void **state)
{
	struct store_fx *f = *state;
	/* the log of a day with a printer that failed now and then, in order */
	static const struct {
		const char *type;
		long long load_no;
		const char *detail;
	} log[] = {
		/* 1: printed: not kept */
		{"printed", 1, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":true}"},
		/* 2: the printer refused it: kept */
		{"print_failed", 2, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":false}"},
		/* 3: failed, then a reprint printed: not kept */
		{"print_failed", 3, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":false}"},
		{"printed", 3, "{\"kind\":\"receipt\",\"copy\":true,\"ok\":true}"},
		/* 4: taken by CUPS, given up later: kept */
		{"printed", 4, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":true}"},
		{"print_failed", 4, "{\"kind\":\"receipt\",\"why\":\"out of paper\",\"later\":true}"},
		/* 5: the receipt printed, the bottle label failed: not kept */
		{"printed", 5, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":true}"},
		{"print_failed", 5, "{\"kind\":\"label\",\"copy\":false,\"ok\":false}"},
		/* 6: a refused load's refusal slip failed: kept */
		{"print_failed", 6, "{\"kind\":\"refusal\",\"copy\":false,\"ok\":false}"},
		/* the day summary (load 0) and a detail that is not JSON: ignored */
		{"print_failed", 0, "{\"kind\":\"summary\",\"copy\":false,\"ok\":false}"},
		{"print_failed", 7, ""},
		/* 2 fails again after 6: still kept, still listed by load number */
		{"print_failed", 2, "{\"kind\":\"receipt\",\"copy\":true,\"ok\":false}"},
		/* 8: printed, then its reprint failed: kept again */
		{"printed", 8, "{\"kind\":\"receipt\",\"copy\":false,\"ok\":true}"},
		{"print_failed", 8, "{\"kind\":\"receipt\",\"copy\":true,\"ok\":false}"},
	};
	static const long long want[] = {2, 4, 6, 8};
	long long got[8];
	long total = -1;
	int n = -1;
	hg_time t = fixture_at("2025-02-10T08:00");

	assert_int_equal(store_kept_slips(f->st, got, 8, &n, &total), HG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(log); i++)
		assert_int_equal(store_event(f->st, t + (hg_time)i, log[i].type, log[i].load_no,
					     "station", log[i].detail), HG_OK);
	assert_int_equal(store_kept_slips(f->st, got, 8, &n, &total), HG_OK);
	assert_int_equal(n, 4);
	assert_int_equal(total, 4);
	for (int i = 0; i < n; i++)
		assert_int_equal(got[i], want[i]);
	/* a cap: the oldest first, the total still counts them all */
	assert_int_equal(store_kept_slips(f->st, got, 2, &n, &total), HG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(total, 4);
	assert_int_equal(got[0], 2);
	assert_int_equal(got[1], 4);
	/* only the count */
	assert_int_equal(store_kept_slips(f->st, NULL, 0, &n, &total), HG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(total, 4);
	/* reprinting 2 clears it */
	assert_int_equal(store_event(f->st, t + 100, "printed", 2,
				     "operator:1", "{\"kind\":\"receipt\",\"copy\":true,\"ok\":true}"),
			 HG_OK);
	assert_int_equal(store_kept_slips(f->st, got, 8, &n, NULL), HG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(got[0], 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meter_flag, store_fx_setup, store_fx_teardown),
		cmocka_unit_test(test_migrate_meter),
		cmocka_unit_test_setup_teardown(test_migrate_town, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_kept_slips, store_fx_setup, store_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
