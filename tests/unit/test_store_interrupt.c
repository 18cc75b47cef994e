/* test_store_interrupt.c: what a stopped station left open, found and closed
 * (db/store_interrupt.c), and what that makes of the kept slips
 * (db/store_kept.c) and of the hauler's next card tap (the sample owed).
 *
 * A fresh database with one hauler and one operator; each test commits the
 * loads it is about, leaves them as a killed station would (a discharge
 * started and not ended, a hold with no bottle) and checks the rows, the
 * events and the chain.  Start reading at main(). */
#include "testutil.h"
#include "fixture_store.h"
#include <sqlite3.h>
#include <cJSON.h>
#include "../../db/store.h"

struct fx {
	struct store_fx db;
	long long hauler, op;
};

static int fx_setup(void **state)
{
	static const struct hauler_rec h = {
		.company = "Acme Septic", .permit = "P-1", .permit_from = "2025-01-01",
		.permit_to = "2025-12-31", .waste_allowed = 0x1e,
	};
	struct fx *f = calloc(1, sizeof *f);

	assert_non_null(f);
	store_fx_open(&f->db, "storeintr");
	assert_int_equal(store_hauler_add(f->db.st, &h, fixture_at("2025-01-02T09:00"), "cli",
					  &f->hauler), HG_OK);
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

/* Commit a load of the hauler decided at iso (verdict v, sampling reason r
 * when held); returns its number. */
static long long load(struct fx *f, const char *iso, enum verdict v, enum reason r)
{
	struct load_rec *ld = calloc(1, sizeof *ld);
	long long no;

	assert_non_null(ld);
	fixture_store_load(ld, f->hauler, "Acme Septic", WASTE_SEPTAGE, 1500, v, fixture_at(iso));
	if (v == VERDICT_SAMPLE_HOLD)
		ld->d.sample[0] = r;
	assert_int_equal(store_load_commit(f->db.st, ld, "card:04a1b2c3"), HG_OK);
	no = ld->load_no;
	free(ld);
	return no;
}

/* One value of the database (the test's own reading, beside the store's). */
static long long q_int(struct fx *f, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	assert_int_equal(sqlite3_open_v2(f->db.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void q_text(struct fx *f, const char *sql, char *out, size_t cap)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	out[0] = '\0';
	assert_int_equal(sqlite3_open_v2(f->db.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, cap, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void chain_ok(struct fx *f)
{
	struct verify_result r;

	assert_int_equal(store_verify(f->db.st, &r), HG_OK);
}

/* A discharge started and never ended is found, with the meter's baseline
 * when it was logged; closing it sets every column the event names, keeps
 * the receipt until one prints, and happens once only. */
static void test_discharge_interrupted(void **state)
{
	struct fx *f = *state;
	struct open_discharge d[4];
	hg_time t0 = fixture_at("2025-02-10T10:00"), alive;
	long long a = load(f, "2025-02-10T09:50", VERDICT_ACCEPTED, R_NONE);
	long long b = load(f, "2025-02-10T09:55", VERDICT_ACCEPTED, R_NONE);
	char detail[512];
	long long kept[4];
	int n;
	long total;

	/* a: ended normally; b: the station dies with the valve open */
	assert_int_equal(store_load_discharge_start(f->db.st, a, t0, "station"), HG_OK);
	assert_int_equal(store_load_discharge_end(f->db.st, a, t0 + 60, 0, R_NONE, "stop", "station"),
			 HG_OK);
	assert_int_equal(store_load_discharge_start(f->db.st, b, t0 + 100, "station"), HG_OK);
	assert_int_equal(store_event(f->db.st, t0 + 101, "meter_baseline", b, "station",
				     "{\"totaliser\":5000.0}"), HG_OK);
	assert_int_equal(store_event(f->db.st, t0 + 400, "card_tapped", 0, "station", "{}"), HG_OK);

	assert_int_equal(store_last_alive(f->db.st, &alive), HG_OK);
	assert_int_equal(alive, t0 + 400);
	assert_int_equal(store_open_discharges(f->db.st, d, 4, &n), HG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(d[0].load_no, b);
	assert_int_equal(d[0].start, t0 + 100);
	assert_true(d[0].has_baseline);
	assert_true(d[0].baseline == 5000.0);

	/* nothing kept before: a's receipt was never logged either way */
	assert_int_equal(store_kept_slips(f->db.st, kept, 4, &n, &total), HG_OK);
	assert_int_equal(n, 0);

	assert_int_equal(store_discharge_interrupted(f->db.st, &d[0], alive, 733, R_NONE, 5733.0,
						     t0 + 3600, "station"), HG_OK);
	snprintf(detail, sizeof detail, "SELECT t_discharge_end FROM loads WHERE load_no = %lld", b);
	assert_int_equal(q_int(f, detail), t0 + 400);
	snprintf(detail, sizeof detail, "SELECT gallons_measured FROM loads WHERE load_no = %lld", b);
	assert_int_equal(q_int(f, detail), 733);
	q_text(f, "SELECT discharge_end_why || '|' || meter_flag FROM loads WHERE load_no = 2",
	       detail, sizeof detail);
	assert_string_equal(detail, "interrupted|");
	q_text(f, "SELECT detail FROM events WHERE type = 'discharge_interrupted'", detail,
	       sizeof detail);
	{	/* the event carries every column it set */
		cJSON *j = cJSON_Parse(detail);

		assert_non_null(j);
		assert_int_equal(cJSON_GetObjectItem(j, "t_discharge_end")->valuedouble, t0 + 400);
		assert_string_equal(cJSON_GetObjectItem(j, "discharge_end_why")->valuestring,
				    "interrupted");
		assert_int_equal(cJSON_GetObjectItem(j, "gallons_measured")->valuedouble, 733);
		assert_string_equal(cJSON_GetObjectItem(j, "meter_flag")->valuestring, "");
		assert_int_equal(cJSON_GetObjectItem(j, "baseline")->valuedouble, 5000);
		assert_int_equal(cJSON_GetObjectItem(j, "totaliser")->valuedouble, 5733);
		cJSON_Delete(j);
	}

	{	/* read back, the load says so (its receipt will); the other does not */
		struct load_rec *ld = calloc(1, sizeof *ld);

		assert_non_null(ld);
		assert_int_equal(store_load_get(f->db.st, b, ld), HG_OK);
		assert_true(ld->interrupted);
		assert_int_equal(ld->gallons_measured, 733);
		assert_int_equal(store_load_get(f->db.st, a, ld), HG_OK);
		assert_false(ld->interrupted);
		free(ld);
	}

	/* its receipt is kept; a print clears it */
	assert_int_equal(store_kept_slips(f->db.st, kept, 4, &n, &total), HG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(kept[0], b);
	assert_int_equal(total, 1);
	assert_int_equal(store_event(f->db.st, t0 + 3700, "printed", b, "operator:1",
				     "{\"kind\":\"receipt\",\"copy\":true,\"ok\":true}"), HG_OK);
	assert_int_equal(store_kept_slips(f->db.st, kept, 4, &n, &total), HG_OK);
	assert_int_equal(n, 0);

	/* closed once: nothing open, a second close is refused */
	assert_int_equal(store_open_discharges(f->db.st, d, 4, &n), HG_OK);
	assert_int_equal(n, 0);
	d[0].load_no = b;
	assert_int_equal(store_discharge_interrupted(f->db.st, &d[0], alive, 0, R_NONE, -1,
						     t0 + 3800, "station"), HG_ENOTFOUND);
	chain_ok(f);
}

/* The end is never before the start (a clock set back), no baseline gives
 * no baseline in the event, and a flag other than a meter's is refused. */
static void test_discharge_interrupted_edges(void **state)
{
	struct fx *f = *state;
	struct open_discharge d[2];
	hg_time t0 = fixture_at("2025-02-11T10:00");
	long long b = load(f, "2025-02-11T09:55", VERDICT_ACCEPTED, R_NONE);
	char detail[512];
	int n;

	assert_int_equal(store_load_discharge_start(f->db.st, b, t0, "station"), HG_OK);
	assert_int_equal(store_open_discharges(f->db.st, d, 2, &n), HG_OK);
	assert_int_equal(n, 1);
	assert_false(d[0].has_baseline);
	assert_int_equal(store_discharge_interrupted(f->db.st, &d[0], t0, 0, R_SAMPLE_RANDOM, -1,
						     t0 + 60, "station"), HG_EINVAL);
	assert_int_equal(store_discharge_interrupted(f->db.st, &d[0], t0, -1, R_NONE, -1,
						     t0 + 60, "station"), HG_EINVAL);
	assert_int_equal(store_discharge_interrupted(f->db.st, &d[0], t0 - 3600, 0, R_METER_FAILED,
						     -1, t0 + 60, "station"), HG_OK);
	snprintf(detail, sizeof detail, "SELECT t_discharge_end FROM loads WHERE load_no = %lld", b);
	assert_int_equal(q_int(f, detail), t0);
	q_text(f, "SELECT detail FROM events WHERE type = 'discharge_interrupted'", detail,
	       sizeof detail);
	assert_null(strstr(detail, "baseline"));
	assert_null(strstr(detail, "totaliser"));
	assert_non_null(strstr(detail, "\"meter_flag\":\"meter_failed\""));
	chain_ok(f);
}

static void pending(struct fx *f, struct hauler_info *h)
{
	memset(h, 0, sizeof *h);
	h->id = f->hauler;
	assert_int_equal(store_sample_pending(f->db.st, h), HG_OK);
}

/* A hold with no bottle is open until closed; an abandoned one makes the
 * hauler owe a sample with its reasons, until a later load (or the load
 * itself) gets a bottle. */
static void test_sample_abandoned_and_pending(void **state)
{
	struct fx *f = *state;
	struct hauler_info h;
	long long held[4], hid[4], a, b, c;
	int n;

	a = load(f, "2025-02-12T08:00", VERDICT_SAMPLE_HOLD, R_SAMPLE_RANDOM);
	pending(f, &h);
	assert_int_equal(h.pending_load, 0);	/* open, not abandoned: owes nothing yet */
	assert_int_equal(store_open_holds(f->db.st, held, hid, 4, &n), HG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(held[0], a);
	assert_int_equal(hid[0], f->hauler);

	assert_int_equal(store_sample_abandon(f->db.st, a, "restart", fixture_at("2025-02-12T08:30"),
					      "station"), HG_OK);
	assert_int_equal(store_open_holds(f->db.st, held, hid, 4, &n), HG_OK);
	assert_int_equal(n, 0);
	pending(f, &h);
	assert_int_equal(h.pending_load, a);
	assert_int_equal(h.n_pending, 1);
	assert_int_equal(h.pending[0], R_SAMPLE_RANDOM);

	/* a second hold left too: still owed from the first, both reasons */
	b = load(f, "2025-02-12T09:00", VERDICT_SAMPLE_HOLD, R_SAMPLE_MANUAL);
	assert_int_equal(store_sample_abandon(f->db.st, b, "cancel", fixture_at("2025-02-12T09:01"),
					      "station"), HG_OK);
	pending(f, &h);
	assert_int_equal(h.pending_load, a);
	assert_int_equal(h.n_pending, 2);

	/* an accepted load, a refused one: nothing changes */
	load(f, "2025-02-12T10:00", VERDICT_REFUSED, R_NONE);
	pending(f, &h);
	assert_int_equal(h.pending_load, a);

	/* not a hold, not twice-bottled: refused with "not found" */
	c = load(f, "2025-02-12T11:00", VERDICT_ACCEPTED, R_NONE);
	assert_int_equal(store_sample_abandon(f->db.st, c, "cancel", fixture_at("2025-02-12T11:01"),
					      "station"), HG_ENOTFOUND);
	assert_int_equal(store_sample_abandon(f->db.st, a, "", fixture_at("2025-02-12T11:01"),
					      "station"), HG_EINVAL);

	/* the operator samples the first abandoned load (restart, truck still
	 * there): the second was abandoned after it, so the debt remains */
	assert_int_equal(store_load_sample(f->db.st, a, "B-1", f->op, fixture_at("2025-02-12T12:00"),
					   "operator:1"), HG_OK);
	pending(f, &h);
	assert_int_equal(h.pending_load, b);
	assert_int_equal(h.n_pending, 1);
	assert_int_equal(h.pending[0], R_SAMPLE_MANUAL);

	/* a later load sampled: paid */
	c = load(f, "2025-02-12T13:00", VERDICT_SAMPLE_HOLD, R_SAMPLE_PENDING);
	assert_int_equal(store_load_sample(f->db.st, c, "B-2", f->op, fixture_at("2025-02-12T13:05"),
					   "operator:1"), HG_OK);
	pending(f, &h);
	assert_int_equal(h.pending_load, 0);
	assert_int_equal(h.n_pending, 0);
	assert_int_equal(q_int(f, "SELECT count(*) FROM events WHERE type = 'sample_abandoned' "
			       "AND json_extract(detail, '$.discharge_end_why') = 'sample_abandoned'"),
			 2);
	chain_ok(f);
}

/* The card lookup gives the policy what is owed. */
static void test_lookup_carries_pending(void **state)
{
	struct fx *f = *state;
	struct card_info *c = calloc(1, sizeof *c);
	long long a;

	assert_non_null(c);
	assert_int_equal(store_card_add(f->db.st, "04a1b2c3", f->hauler, "Dan Driver", "$argon2id$x",
					fixture_at("2025-02-13T07:00"), "cli"), HG_OK);
	a = load(f, "2025-02-13T08:00", VERDICT_SAMPLE_HOLD, R_SAMPLE_FIRST_LOAD);
	assert_int_equal(store_sample_abandon(f->db.st, a, "timeout", fixture_at("2025-02-13T08:30"),
					      "station"), HG_OK);
	assert_int_equal(store_lookup_card(f->db.st, "04a1b2c3", fixture_at("2025-02-13T08:31"), c),
			 HG_OK);
	assert_int_equal(c->hauler.pending_load, a);
	assert_int_equal(c->hauler.n_pending, 1);
	assert_int_equal(c->hauler.pending[0], R_SAMPLE_FIRST_LOAD);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_discharge_interrupted, fx_setup, fx_teardown),
		cmocka_unit_test_setup_teardown(test_discharge_interrupted_edges, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_sample_abandoned_and_pending, fx_setup,
						fx_teardown),
		cmocka_unit_test_setup_teardown(test_lookup_carries_pending, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
