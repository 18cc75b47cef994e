/* test_potw_retention.c: the retention rule (potw/retention.c).
 *
 * Tables: a record's first day past its three years (29 February's own
 * line); a load's day judged as of a day, at exactly three years, the day
 * before, a leap day, a hold that keeps it, a day that cannot be read
 * (kept); an event by its time (the UTC day after it); which holds apply
 * to a load.  Start reading at main(). */
#include "testutil.h"

#include "../../potw/retention.h"

struct until_case {
	const char *day, *until;	/* "" until: refused */
};

static const struct until_case untils[] = {
	{ "2023-06-01", "2026-06-01" },		/* the same date three years on */
	{ "2024-02-29", "2027-03-01" },		/* a leap day: 2027 has none, 1 March */
	{ "2025-02-28", "2028-02-28" },		/* the 28th stays the 28th, leap year or not */
	{ "2021-02-28", "2024-02-28" },
	{ "2096-02-29", "2099-03-01" },
	{ "2097-02-28", "2100-02-28" },		/* 2100 is not a leap year */
	{ "2023-12-31", "2026-12-31" },
	{ "2023-02-30", "" },			/* not a date */
	{ "20230601", "" },			/* not the form */
	{ "", "" },
};

static void test_until(void **state)
{
	char out[11];
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(untils); i++) {
		int rc = retention_until(untils[i].day, out);

		if (!untils[i].until[0]) {
			assert_int_equal(rc, HG_EINVAL);
			continue;
		}
		assert_int_equal(rc, HG_OK);
		assert_string_equal(out, untils[i].until);
	}
}

struct day_case {
	const char *day, *as_of;
	int held;
	enum retention want;
};

static const struct day_case days[] = {
	{ "2023-06-01", "2026-05-31", 0, RETAIN_YOUNG },	/* a day short of three years */
	{ "2023-06-01", "2026-06-01", 0, RETAIN_MAY_DISCARD },	/* exactly three years */
	{ "2023-06-01", "2026-06-02", 0, RETAIN_MAY_DISCARD },	/* past them */
	{ "2023-06-01", "2026-06-01", 1, RETAIN_HELD },		/* three years, but held */
	{ "2023-06-01", "2040-01-01", 1, RETAIN_HELD },		/* a hold has no end */
	{ "2023-06-01", "2026-05-31", 1, RETAIN_YOUNG },	/* young: the hold is moot */
	{ "2024-02-29", "2027-02-28", 0, RETAIN_YOUNG },	/* leap day: kept through the 28th */
	{ "2024-02-29", "2027-03-01", 0, RETAIN_MAY_DISCARD },	/* and let go on 1 March */
	{ "2024-02-29", "2027-03-01", 1, RETAIN_HELD },
	{ "2025-03-01", "2028-02-29", 0, RETAIN_YOUNG },	/* as of a leap day */
	{ "2025-02-28", "2028-02-29", 0, RETAIN_MAY_DISCARD },
	{ "2023-13-01", "2030-01-01", 0, RETAIN_YOUNG },	/* a day that is no date: kept */
	{ "2023-06-01", "someday", 0, RETAIN_YOUNG },		/* as of no date: kept */
	{ NULL, "2030-01-01", 0, RETAIN_YOUNG },
};

static void test_day(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(days); i++)
		assert_int_equal(retention_day(days[i].day, days[i].as_of, days[i].held),
				 days[i].want);
}

static void test_time(void **state)
{
	hg_time t = 1685577600;		/* 2023-06-01T00:00:00Z */

	(void)state;
	/* judged as of the UTC day after: 2023-06-02, three years on 2026-06-02 */
	assert_int_equal(retention_time(t, "2026-06-01", 0), RETAIN_YOUNG);
	assert_int_equal(retention_time(t, "2026-06-02", 0), RETAIN_MAY_DISCARD);
	assert_int_equal(retention_time(t + 86399, "2026-06-02", 0), RETAIN_MAY_DISCARD);
	assert_int_equal(retention_time(t + 86400, "2026-06-02", 0), RETAIN_YOUNG);
	assert_int_equal(retention_time(t, "2026-06-02", 1), RETAIN_HELD);
}

static void test_held(void **state)
{
	static const struct retention_hold holds[] = {
		{ "st-01", 0, 7 },	/* st-01's load 7 */
		{ "", 12, 0 },		/* hauler 12 at every station */
		{ "st-02", 30, 0 },	/* hauler 30 at st-02 only */
	};

	(void)state;
	assert_int_equal(retention_held(holds, 3, "st-01", 7, 1), 1);	/* the load */
	assert_int_equal(retention_held(holds, 3, "st-02", 7, 1), 0);	/* another station's 7 */
	assert_int_equal(retention_held(holds, 3, "st-01", 8, 1), 0);
	assert_int_equal(retention_held(holds, 3, "st-09", 3, 12), 1);	/* hauler anywhere */
	assert_int_equal(retention_held(holds, 3, "st-02", 4, 30), 1);	/* hauler at st-02 */
	assert_int_equal(retention_held(holds, 3, "st-01", 4, 30), 0);	/* not at st-01 */
	assert_int_equal(retention_held(holds, 0, "st-01", 7, 12), 0);	/* no holds */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_until),
		cmocka_unit_test(test_day),
		cmocka_unit_test(test_time),
		cmocka_unit_test(test_held),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
