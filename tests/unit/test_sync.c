/* test_sync.c: sync_health() (station/sync.c), how a station stands with
 * the plant from what its last rounds wrote: one row per case, each with
 * why.  The rounds themselves talk to a server: tests/cli/test_sync_client.sh
 * (a TLS stand-in) and test_sync_plant.sh (build/haulgate-potw). */
#include "testutil.h"

#include "../../station/sync.h"

#define NOW 1764921600LL	/* 2025-12-05 08:00 UTC */
#define DAY 86400LL

static const struct {
	int managed;
	long long plant_size, fork_seq, local_size;
	hg_time last_success;
	enum sync_health want;
} rows[] = {
	/* no [sync] url: nothing else counts */
	{ 0, 0, 5, 10, 0, SYNC_H_UNMANAGED },
	/* a fork outweighs everything */
	{ 1, 10, 7, 10, NOW, SYNC_H_FORK },
	{ 1, 10, 7, 10, NOW - 40 * DAY, SYNC_H_FORK },
	/* never a success */
	{ 1, 0, 0, 10, 0, SYNC_H_NEVER },
	/* past offline_after (30 d), at it, past warn_after (7 d), at it */
	{ 1, 10, 0, 10, NOW - 30 * DAY - 1, SYNC_H_OFFLINE },
	{ 1, 10, 0, 10, NOW - 30 * DAY, SYNC_H_WARN },
	{ 1, 10, 0, 12, NOW - 7 * DAY - 1, SYNC_H_WARN },
	{ 1, 10, 0, 12, NOW - 7 * DAY, SYNC_H_BEHIND },
	/* recent: behind or ok */
	{ 1, 10, 0, 12, NOW - 60, SYNC_H_BEHIND },
	{ 1, 12, 0, 12, NOW - 60, SYNC_H_OK },
};

static void test_health(void **state)
{
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct sync_state st = { 0 };
		enum sync_health h;

		snprintf(cfg.sync_url, sizeof cfg.sync_url, "%s",
			 rows[i].managed ? "https://potw.example.org" : "");
		st.plant_size = rows[i].plant_size;
		st.fork_seq = rows[i].fork_seq;
		st.last_success = rows[i].last_success;
		h = sync_health(&cfg, &st, rows[i].local_size, NOW);
		if (h != rows[i].want)
			fail_msg("row %zu: %s, want %s", i, sync_health_name(h),
				 sync_health_name(rows[i].want));
	}
	assert_string_equal(sync_health_name(SYNC_H_UNMANAGED), "not plant-managed");
	assert_string_equal(sync_health_name(SYNC_H_OK), "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
