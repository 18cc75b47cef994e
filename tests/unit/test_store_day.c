/* test_store_day.c: the end-of-day summary, from the database (db/store_day.c)
 * to the slip (core/summary.c).
 *
 * A fresh database gets loads, bottles, measured gallons, RV visits and
 * events on three local days; the summary of the middle day must count
 * exactly its own, with the day's edges in local time (America/Denver: a
 * load at 23:30 local is on that day although it is the next day in UTC).
 * Then the slip: 42 columns, both languages, every word translated, and a
 * day with more bottles than are listed.  Start reading at main(). */
#include "testutil.h"
#include "fixture_store.h"

#include <time.h>

#include "../../db/store.h"
#include "../../core/summary.h"
#include "../../core/text.h"

struct fx {
	struct store_fx db;
	long long hauler, op;	/* the demo hauler and operator, added at setup */
};

static int fx_setup(void **state)
{
	static const struct hauler_rec h = {
		.company = "Acme Septic", .permit = "P-1", .permit_from = "2025-01-01",
		.permit_to = "2025-12-31", .waste_allowed = 0x1e,
	};
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	store_fx_open(&f->db, "storeday");
	assert_int_equal(store_hauler_add(f->db.st, &h, fixture_at("2025-01-02T09:00"), "cli", &f->hauler),
			 HG_OK);
	assert_int_equal(store_operator_add(f->db.st, "Olga Operator", "0BADCAFE", "$argon2id$x",
					    fixture_at("2025-01-02T09:01"), "cli", &f->op), HG_OK);
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	store_fx_close(&f->db);
	free(f);
	return 0;
}

/* Commit a load of the demo hauler decided at local time iso; returns its
 * number. */
static long long load(struct fx *f, const char *iso, enum waste_type w, long gallons,
		      enum verdict v)
{
	struct load_rec *ld = calloc(1, sizeof *ld);
	long long no;

	assert_non_null(ld);
	fixture_store_load(ld, f->hauler, "Acme Septic", w, gallons, v, fixture_at(iso));
	assert_int_equal(store_load_commit(f->db.st, ld, "card:04a1b2c3"), HG_OK);
	no = ld->load_no;
	free(ld);
	return no;
}

static void discharge(struct fx *f, long long no, const char *iso, long measured)
{
	hg_time t = fixture_at(iso);

	assert_int_equal(store_load_discharge_start(f->db.st, no, t, "station"), HG_OK);
	assert_int_equal(store_load_discharge_end(f->db.st, no, t + 600, measured, R_NONE, "done",
						  "station"), HG_OK);
}

static void rv(struct fx *f, const char *iso, int declared)
{
	struct rv_rec r = { .name = "Rita RV", .plate = "ABC123", .plate_state = "CO" };

	r.signed_in = fixture_at(iso);
	r.rules_accepted = r.signed_in + 10;
	r.declared = declared ? r.signed_in + 20 : 0;
	assert_int_equal(store_rv_commit(f->db.st, &r, "rv"), HG_OK);
}

/* Three days; the summary of the middle one counts only its own. */
static void test_day_counts(void **state)
{
	struct fx *f = *state;
	struct day_summary d;
	long long a, b, c;

	/* the day before, up to 23:59 local */
	load(f, "2025-06-09T23:59", WASTE_SEPTAGE, 1000, VERDICT_ACCEPTED);
	rv(f, "2025-06-09T22:00", 1);
	assert_int_equal(store_event(f->db.st, fixture_at("2025-06-09T23:00"), "fault", 0, "station", NULL),
			 HG_OK);
	/* the day: from 00:00 local to 23:30 local (05:30 UTC the next day) */
	a = load(f, "2025-06-10T00:00", WASTE_SEPTAGE, 3000, VERDICT_ACCEPTED);
	discharge(f, a, "2025-06-10T00:05", 2950);
	b = load(f, "2025-06-10T08:00", WASTE_GREASE, 500, VERDICT_SAMPLE_HOLD);
	assert_int_equal(store_load_sample(f->db.st, b, "B-0610-1", f->op, fixture_at("2025-06-10T08:10"),
					   "operator:1"), HG_OK);
	c = load(f, "2025-06-10T09:00", WASTE_GREASE, 700, VERDICT_SAMPLE_HOLD);	/* no bottle */
	load(f, "2025-06-10T10:00", WASTE_INDUSTRIAL, 900, VERDICT_REFUSED);
	load(f, "2025-06-10T23:30", WASTE_PORTABLE, 200, VERDICT_ACCEPTED);
	rv(f, "2025-06-10T12:00", 1);
	rv(f, "2025-06-10T13:00", 0);	/* declared chemicals: refused */
	assert_int_equal(store_event(f->db.st, fixture_at("2025-06-10T14:00"), "fault", 0, "station", NULL),
			 HG_OK);
	assert_int_equal(store_event(f->db.st, fixture_at("2025-06-10T14:01"), "print_failed", c, "station",
				     "{\"kind\":\"receipt\"}"), HG_OK);
	assert_int_equal(store_event(f->db.st, fixture_at("2025-06-10T14:02"), "print_failed", 0, "station",
				     NULL), HG_OK);
	/* the day after, from 00:00 local */
	load(f, "2025-06-11T00:00", WASTE_SEPTAGE, 4000, VERDICT_ACCEPTED);
	assert_int_equal(store_event(f->db.st, fixture_at("2025-06-11T00:00"), "print_failed", 0, "station",
				     NULL), HG_OK);

	assert_int_equal(store_day_summary(f->db.st, "2025-06-10", &d), HG_OK);
	assert_string_equal(d.day, "2025-06-10");
	assert_int_equal(d.loads, 5);
	assert_int_equal(d.accepted, 2);
	assert_int_equal(d.held, 2);
	assert_int_equal(d.refused, 1);
	assert_int_equal(d.waste[WASTE_SEPTAGE].loads, 1);
	assert_int_equal(d.waste[WASTE_SEPTAGE].declared, 3000);
	assert_int_equal(d.waste[WASTE_SEPTAGE].measured, 2950);
	assert_int_equal(d.waste[WASTE_GREASE].loads, 2);
	assert_int_equal(d.waste[WASTE_GREASE].declared, 1200);
	assert_int_equal(d.waste[WASTE_PORTABLE].declared, 200);
	assert_int_equal(d.waste[WASTE_INDUSTRIAL].loads, 0);	/* refused: not received */
	assert_int_equal(d.declared, 4400);
	assert_int_equal(d.measured, 2950);
	assert_int_equal(d.n_samples, 1);
	assert_int_equal(d.samples[0].load_no, b);
	assert_string_equal(d.samples[0].bottle, "B-0610-1");
	assert_int_equal(d.not_sampled, 1);
	assert_int_equal(d.rv_visits, 2);
	assert_int_equal(d.rv_refused, 1);
	assert_int_equal(d.faults, 1);
	assert_int_equal(d.print_failed, 2);

	/* a day with nothing */
	assert_int_equal(store_day_summary(f->db.st, "2025-06-12", &d), HG_OK);
	assert_int_equal(d.loads + d.rv_visits + d.faults + d.print_failed + d.n_samples, 0);
	/* the day before: its fault, not the next day's */
	assert_int_equal(store_day_summary(f->db.st, "2025-06-09", &d), HG_OK);
	assert_int_equal(d.loads, 1);
	assert_int_equal(d.faults, 1);
	assert_int_equal(d.print_failed, 0);
	assert_int_equal(d.rv_visits, 1);
}

/* Not a date: refused with a message, nothing filled. */
static void test_day_bad(void **state)
{
	static const char *const bad[] = { "", "2025-02-30", "2025-6-10", "yesterday",
					   "2025-06-10T00:00" };
	struct fx *f = *state;
	struct day_summary d;

	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		memset(&d, 0x55, sizeof d);
		assert_int_equal(store_day_summary(f->db.st, bad[i], &d), HG_EINVAL);
		assert_int_equal(d.loads, 0);
		assert_non_null(strstr(hg_error_text(), "not a date"));
	}
	assert_int_equal(store_day_summary(f->db.st, NULL, &d), HG_EINVAL);
}

/* Every line of text is at most 42 code points. */
static void check_width(const char *text)
{
	const char *p = text;

	while (*p) {
		const char *nl = strchr(p, '\n');
		char line[512];
		size_t n;

		assert_non_null(nl);	/* every line ends */
		n = (size_t)(nl - p);
		assert_true(n < sizeof line);
		memcpy(line, p, n);
		line[n] = '\0';
		if (text_chars(line) > 42)
			fail_msg("line over 42 columns: \"%s\"", line);
		assert_null(strstr(line, "slip.summary."));	/* no raw key */
		p = nl + 1;
	}
}

/* The slip in both languages, and a day with more bottles than listed. */
static void test_slip(void **state)
{
	struct day_summary *d = calloc(1, sizeof *d);
	char buf[16384];
	int n;

	(void)state;
	assert_non_null(d);
	memcpy(d->day, "2025-06-10", 11);
	d->loads = 5;
	d->accepted = 2;
	d->held = 2;
	d->refused = 1;
	d->waste[WASTE_SEPTAGE].loads = 1;
	d->waste[WASTE_SEPTAGE].declared = 3000;
	d->waste[WASTE_SEPTAGE].measured = 2950;
	d->waste[WASTE_PORTABLE].loads = 2;
	d->waste[WASTE_PORTABLE].declared = 1200;
	d->declared = 4200;
	d->measured = 2950;
	d->n_samples = 1;
	d->samples[0].load_no = 2;
	snprintf(d->samples[0].bottle, sizeof d->samples[0].bottle, "B-\x1b" "0610");
	d->rv_visits = 2;
	d->rv_refused = 1;
	d->print_failed = 3;

	n = summary_text(d, "ST-1", fixture_at("2025-06-10T18:00"), LANG_EN, buf, sizeof buf);
	assert_true(n > 0);
	check_width(buf);
	assert_non_null(strstr(buf, "END-OF-DAY SUMMARY"));
	assert_non_null(strstr(buf, "2025-06-10 18:00\n"));
	assert_non_null(strstr(buf, "Held for sampling"));
	assert_non_null(strstr(buf, "Septic tank waste\n"));
	assert_non_null(strstr(buf, "2950\n"));
	assert_non_null(strstr(buf, "Load 2"));
	assert_non_null(strstr(buf, "B-?0610\n"));	/* the escape is not sent */
	assert_null(strchr(buf, '\x1b'));
	assert_null(strstr(buf, "Grease"));		/* no loads: no lines */
	/* measured "-" where nothing was measured */
	assert_non_null(strstr(buf, "  Gallons measured                       -\n"));
	/* right-aligned: the count ends at column 42 */
	assert_non_null(strstr(buf, "\nLoads                                    5\n"));

	n = summary_text(d, "ST-1", fixture_at("2025-06-10T18:00"), LANG_ES, buf, sizeof buf);
	assert_true(n > 0);
	check_width(buf);
	assert_non_null(strstr(buf, "RESUMEN DEL D\xc3\x8d" "A"));
	assert_non_null(strstr(buf, "Retenidas para muestreo"));
	assert_non_null(strstr(buf, "Galones medidos"));

	/* more bottles than listed: the rest as a count */
	d->n_samples = DAY_MAX_SAMPLES + 5;
	for (int i = 0; i < DAY_MAX_SAMPLES; i++) {
		d->samples[i].load_no = 100 + i;
		snprintf(d->samples[i].bottle, sizeof d->samples[i].bottle, "B-%d", i);
	}
	n = summary_text(d, "ST-1", fixture_at("2025-06-10T18:00"), LANG_EN, buf, sizeof buf);
	assert_true(n > 0);
	check_width(buf);
	assert_non_null(strstr(buf, "B-47\n"));
	assert_non_null(strstr(buf, "  More bottles                           5\n"));

	/* too small a buffer: an error and nothing half-written */
	assert_int_equal(summary_text(d, "ST-1", 0, LANG_EN, buf, 100), HG_ETOOLONG);
	assert_string_equal(buf, "");
	assert_int_equal(summary_text(NULL, "ST-1", 0, LANG_EN, buf, sizeof buf), HG_EINVAL);
	free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_day_counts, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_day_bad, fx_setup, fx_teardown),
		cmocka_unit_test(test_slip),
	};

	setenv("TZ", "America/Denver", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
