/* test_potw_days.c: the plant's loads' day sums (potw/store_days_sqlite.c)
 * and the verification from a mark (potw/verify.h's
 * potw_verify_station_since()).
 *
 * A real station database (db/) commits loads, refused and held ones and a
 * sample's bottle; its events go to the plant's store as a sync batch
 * would bring them (potw_store_sync_batch()), which projects them.  After
 * each sync the dashboard's listing (LISTING_DAYS through the store: read
 * from load_days) must be the same listing summed over rec_loads directly
 * (the station's SQL on the plant's file, no day_sums), and load_days
 * exactly the GROUP BY of rec_loads.  A database of version 9 (load_days
 * dropped) gets the table, filled, on open.  Then the verification: whole,
 * then from its mark a row of a new load edited (found), a new event
 * edited (found), the event the mark ended on edited (found), a checkpoint
 * of the verified part stored since (the pass turns whole), and a row of
 * an old load edited: not looked at from the mark, found by the whole
 * verification.  Start reading at main(). */
#include "testutil.h"
#include "fixture_store.h"

#include <sqlite3.h>

#include <time.h>

#include "../../potw/api.h"
#include "../../potw/store.h"
#include "../../potw/verify.h"
#include "../../core/keys.h"
#include "../../core/note.h"
#include "../../db/listing.h"

#define NOW 1796450000LL
#define MAX_EVENTS 256

static char dir[256], ppath[320];
static struct store *sst;		/* the station's */
static struct potw_store *pst;		/* the plant's */
static long long hauler, op;
static uint8_t plant_pk[32];
static char key_name[NOTE_NAME_MAX + 1];

/* the station's events, copied for a batch */
struct batch {
	size_t n;
	struct potw_event ev[MAX_EVENTS];
	char *text[MAX_EVENTS][3];
};

static int take(void *arg, const struct store_event_row *e)
{
	struct batch *b = arg;
	struct potw_event *p = &b->ev[b->n];

	assert_true(b->n < MAX_EVENTS);
	memset(p, 0, sizeof *p);
	p->seq = e->seq;
	p->ts = e->ts;
	p->load_no = e->load_no;
	b->text[b->n][0] = strdup(e->type);
	b->text[b->n][1] = strdup(e->actor);
	b->text[b->n][2] = strndup(e->detail, e->detail_len);
	p->type = b->text[b->n][0];
	p->actor = b->text[b->n][1];
	p->detail = b->text[b->n][2];
	memcpy(p->prev_hash, e->prev_hash, 32);
	memcpy(p->hash, e->hash, 32);
	b->n++;
	return 0;
}

static long long held(void)
{
	struct potw_station s;

	assert_int_equal(potw_store_station_get(pst, "st-01", &s), HG_OK);
	return s.events;
}

/* The station's events the plant does not hold yet, synced. */
static void sync_new(void)
{
	struct batch *b = calloc(1, sizeof *b);
	struct potw_append_result res;
	size_t i;

	assert_non_null(b);
	assert_int_equal(store_events_read(sst, held() + 1, MAX_EVENTS, take, b, NULL), HG_OK);
	memset(&res, 0, sizeof res);
	if (b->n && potw_store_sync_batch(pst, "st-01", b->ev, b->n, NOW, NULL, &res) != HG_OK)
		fail_msg("sync: %s", hg_error_text());
	for (i = 0; i < b->n; i++)
		for (int j = 0; j < 3; j++)
			free(b->text[i][j]);
	free(b);
}

static long long load(const char *iso, enum waste_type w, long gallons, enum verdict v)
{
	struct load_rec *ld = calloc(1, sizeof *ld);
	long long no;

	assert_non_null(ld);
	fixture_store_load(ld, hauler, "Acme Septic", w, gallons, v, fixture_at(iso));
	assert_int_equal(store_load_commit(sst, ld, "card:04a1b2c3"), HG_OK);
	no = ld->load_no;
	free(ld);
	return no;
}

/* Run sql on the plant's file on a connection of its own (an edit behind
 * the server's back, or a question). */
static long long plant_sql(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *k;
	long long v = 0;

	assert_int_equal(sqlite3_open(ppath, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	if (sqlite3_step(k) == SQLITE_ROW)
		v = sqlite3_column_int64(k, 0);
	sqlite3_finalize(k);
	sqlite3_close(db);
	return v;
}

/* The dashboard's sums (the store's LISTING_DAYS, from load_days) are the
 * loads' own (the same listing summed over rec_loads), and load_days is
 * the GROUP BY of rec_loads exactly; returns the days' rows. */
static int sums_agree(const char *from, const char *to)
{
	static const struct listing_source direct = { "rec_", "station_id", NULL };
	struct listing_filter f;
	struct table *kept = NULL, *summed = NULL;
	sqlite3 *db;
	int r, c, n;

	memset(&f, 0, sizeof f);
	snprintf(f.from, sizeof f.from, "%s", from);
	snprintf(f.to, sizeof f.to, "%s", to);
	assert_int_equal(potw_store_list(pst, LISTING_DAYS, &f, &kept), HG_OK);
	assert_int_equal(sqlite3_open(ppath, &db), SQLITE_OK);
	assert_int_equal(listing_run(db, LISTING_DAYS, &direct, &f, &summed), HG_OK);
	sqlite3_close(db);
	assert_int_equal(table_rows(kept), table_rows(summed));
	assert_int_equal(table_cols(kept), table_cols(summed));
	for (r = 0; r < table_rows(kept); r++)
		for (c = 0; c < table_cols(kept); c++)
			if (strcmp(table_cell(kept, r, c), table_cell(summed, r, c)))
				fail_msg("row %d column %d: kept '%s', summed '%s'", r, c,
					 table_cell(kept, r, c), table_cell(summed, r, c));
	n = table_rows(kept);
	table_free(kept);
	table_free(summed);
	assert_int_equal(plant_sql(
		"SELECT count(*) FROM (SELECT day, station_id, waste, loads, gallons, refusals, "
		"samples FROM load_days EXCEPT SELECT day, station_id, waste, count(*), "
		"sum(CASE WHEN verdict <> 'refused' THEN gallons ELSE 0 END), "
		"sum(verdict = 'refused'), sum(sampled) FROM rec_loads GROUP BY 1, 2, 3)"), 0);
	assert_int_equal(plant_sql("SELECT count(*) FROM load_days"),
			 plant_sql("SELECT count(DISTINCT day || station_id || waste) FROM rec_loads"));
	return n;
}

static int setup(void **state)
{
	static const struct hauler_rec h = {
		.company = "Acme Septic", .permit = "P-1", .permit_from = "2025-01-01",
		.permit_to = "2027-12-31", .waste_allowed = 0x1e,
	};
	struct potw_station s;
	struct keypair kp;
	char spath[320];

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potwdays"), 0);
	snprintf(spath, sizeof spath, "%s/station.db", dir);
	snprintf(ppath, sizeof ppath, "%s/potw.db", dir);
	assert_int_equal(store_open(&sst, spath, 1), HG_OK);
	assert_int_equal(store_hauler_add(sst, &h, fixture_at("2025-01-02T09:00"), "cli", &hauler),
			 HG_OK);
	assert_int_equal(store_operator_add(sst, "Olga Operator", "0BADCAFE", "$argon2id$x",
					    fixture_at("2025-01-02T09:01"), "cli", &op), HG_OK);
	assert_int_equal(potw_store_open(ppath, POTW_STORE_CREATE, &pst), HG_OK);
	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "st-01");
	snprintf(s.name, sizeof s.name, "North gate");
	assert_int_equal(keys_generate(&kp), HG_OK);
	memcpy(s.pk, kp.pk, 32);
	s.added = NOW;
	assert_int_equal(potw_store_station_add(pst, &s), HG_OK);
	assert_int_equal(keys_generate(&kp), HG_OK);
	memcpy(plant_pk, kp.pk, 32);
	assert_int_equal(potw_key_name("test-plant", key_name, sizeof key_name), HG_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	potw_store_close(pst);
	store_close(sst);
	tu_rmtree(dir);
	return 0;
}

/* Loads added, refused, held and sampled, synced in steps: the sums follow
 * each step in the batch's transaction. */
static void test_sums(void **state)
{
	long long held_load;

	(void)state;
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 0);
	load("2025-06-09T10:00", WASTE_SEPTAGE, 1000, VERDICT_ACCEPTED);
	load("2025-06-09T11:00", WASTE_SEPTAGE, 1500, VERDICT_ACCEPTED);
	load("2025-06-10T08:00", WASTE_GREASE, 500, VERDICT_ACCEPTED);
	sync_new();
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 2);
	assert_int_equal(plant_sql("SELECT gallons FROM load_days WHERE day = '2025-06-09' AND "
				   "waste = 'septage'"), 2500);
	/* refused: counted, its gallons not */
	load("2025-06-10T09:00", WASTE_INDUSTRIAL, 900, VERDICT_REFUSED);
	load("2025-06-10T09:30", WASTE_GREASE, 300, VERDICT_REFUSED);
	sync_new();
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 3);
	assert_int_equal(plant_sql("SELECT gallons * 1000 + refusals * 10 + loads FROM load_days "
				   "WHERE day = '2025-06-10' AND waste = 'grease'"), 500 * 1000 + 10 + 2);
	/* held for a sample, then its bottle recorded (an update of the row) */
	held_load = load("2025-06-11T07:00", WASTE_GREASE, 700, VERDICT_SAMPLE_HOLD);
	sync_new();
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 4);
	assert_int_equal(store_load_sample(sst, held_load, "B-0611-1", op,
					   fixture_at("2025-06-11T07:10"), "operator:1"), HG_OK);
	sync_new();
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 4);
	assert_int_equal(plant_sql("SELECT samples FROM load_days WHERE day = '2025-06-11'"), 1);
	/* a day range cuts the listing as it cuts the loads */
	assert_int_equal(sums_agree("2025-06-10", "2025-06-10"), 2);
	/* a row's decision changed (as only an edit could): its sums move */
	plant_sql("UPDATE rec_loads SET verdict = 'refused' WHERE load_no = 1");
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 4);
	plant_sql("UPDATE rec_loads SET verdict = 'accepted' WHERE load_no = 1");
	assert_int_equal(plant_sql("SELECT gallons FROM load_days WHERE day = '2025-06-09' AND "
				   "waste = 'septage'"), 2500);
}

/* A database of version 9 (no load_days) gets it on open, filled. */
static void test_migrate(void **state)
{
	(void)state;
	potw_store_close(pst);
	pst = NULL;
	plant_sql("DROP TABLE load_days");	/* and its triggers, on rec_loads */
	plant_sql("DROP TRIGGER load_days_insert");
	plant_sql("DROP TRIGGER load_days_update");
	plant_sql("DROP TRIGGER load_days_delete");
	plant_sql("PRAGMA user_version = 9");
	assert_int_equal(plant_sql("SELECT count(*) FROM sqlite_schema WHERE tbl_name = "
				   "'load_days' OR name LIKE 'load_days%'"), 0);
	if (potw_store_open(ppath, 0, &pst) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(plant_sql("PRAGMA user_version"), 11);
	assert_int_equal(plant_sql("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' "
				   "AND tbl_name = 'rec_loads'"), 3);
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 4);
	/* and the triggers keep it from then on */
	load("2025-06-12T07:00", WASTE_PORTABLE, 200, VERDICT_ACCEPTED);
	sync_new();
	assert_int_equal(sums_agree("2025-06-01", "2025-06-30"), 5);
}

static int verify_from(struct potw_verify_mark *m, struct potw_verify *r)
{
	return potw_verify_station_since(pst, "st-01", plant_pk, key_name, NULL, m, r);
}

/* Whole, then from the mark: what the new events touched is checked, an
 * old row is the whole verification's. */
static void test_verify_since(void **state)
{
	struct potw_verify_mark *m = calloc(1, sizeof *m), *whole = calloc(1, sizeof *whole);
	struct potw_verify r;
	long long size, no;
	char sql[200];

	(void)state;
	assert_non_null(m);
	assert_non_null(whole);
	if (verify_from(m, &r) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(r.from, 0);
	assert_int_equal(m->size, held());
	assert_true(r.rows > 0);

	/* a row of a new load edited: found from the mark; the mark stays */
	size = m->size;
	no = load("2025-06-13T07:00", WASTE_SEPTAGE, 2000, VERDICT_ACCEPTED);
	sync_new();
	snprintf(sql, sizeof sql, "UPDATE rec_loads SET gallons = gallons + 7 WHERE load_no = %lld",
		 no);
	plant_sql(sql);
	assert_int_equal(verify_from(m, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "tables");
	assert_int_equal(r.from, size);
	assert_int_equal(m->size, size);
	snprintf(sql, sizeof sql, "UPDATE rec_loads SET gallons = gallons - 7 WHERE load_no = %lld",
		 no);
	plant_sql(sql);
	if (verify_from(m, &r) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(r.from, size);
	assert_int_equal(m->size, held());
	assert_true(r.rows >= 1 && r.rows <= 3);	/* its load and its source, no more */

	/* a new event edited: found from the mark */
	size = m->size;
	load("2025-06-13T08:00", WASTE_SEPTAGE, 2100, VERDICT_ACCEPTED);
	sync_new();
	snprintf(sql, sizeof sql, "UPDATE events SET actor = 'x' WHERE station = 'st-01' AND "
		 "seq = %lld", size + 1);
	plant_sql(sql);
	assert_int_equal(verify_from(m, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "chain");
	assert_int_equal(r.first_bad, size + 1);
	snprintf(sql, sizeof sql, "UPDATE events SET actor = 'card:04a1b2c3' WHERE station = "
		 "'st-01' AND seq = %lld", size + 1);
	plant_sql(sql);
	if (verify_from(m, &r) != HG_OK)
		fail_msg("%s", hg_error_text());

	/* the event the mark ended on replaced: found */
	*whole = *m;
	whole->hash[0] ^= 1;
	assert_int_equal(verify_from(whole, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "chain");
	assert_int_equal(r.first_bad, m->size);

	/* a checkpoint of the part verified stored since (here a false one):
	 * the pass from the mark turns whole, which opens its note */
	plant_sql("INSERT INTO checkpoints (station, size, root, note, cosignature, received) "
		  "VALUES ('st-01', 2, zeroblob(32), 'x', 'x', 0)");
	assert_int_equal(verify_from(m, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "checkpoint");
	assert_int_equal(r.from, 0);
	assert_int_equal(r.first_bad, 2);
	plant_sql("DELETE FROM checkpoints WHERE station = 'st-01' AND size = 2");
	if (verify_from(m, &r) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(r.from, m->size);

	/* a row of an old load edited: not looked at from the mark (the next
	 * whole verification's), found by the whole one */
	plant_sql("UPDATE rec_loads SET gallons = gallons + 7 WHERE load_no = 1");
	load("2025-06-13T09:00", WASTE_SEPTAGE, 2200, VERDICT_ACCEPTED);
	sync_new();
	if (verify_from(m, &r) != HG_OK)
		fail_msg("%s", hg_error_text());
	memset(whole, 0, sizeof *whole);
	assert_int_equal(verify_from(whole, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "tables");
	assert_int_equal(r.from, 0);
	assert_non_null(strstr(r.why, "rec_loads"));
	plant_sql("UPDATE rec_loads SET gallons = gallons - 7 WHERE load_no = 1");
	if (verify_from(whole, &r) != HG_OK)
		fail_msg("%s", hg_error_text());

	/* a day's sum edited (the dashboard's, not the record): the whole
	 * verification compares the sums with the loads */
	*m = *whole;
	plant_sql("UPDATE load_days SET gallons = gallons + 1 WHERE day = '2025-06-09'");
	if (verify_from(m, &r) != HG_OK)	/* not from a mark */
		fail_msg("%s", hg_error_text());
	memset(whole, 0, sizeof *whole);
	assert_int_equal(verify_from(whole, &r), HG_ECORRUPT);
	assert_string_equal(r.what, "tables");
	assert_non_null(strstr(r.why, "load_days"));
	plant_sql("UPDATE load_days SET gallons = gallons - 1 WHERE day = '2025-06-09'");
	if (verify_from(whole, &r) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(whole->size, m->size);
	assert_memory_equal(whole->hash, m->hash, 32);
	assert_memory_equal(&whole->tree, &m->tree, sizeof m->tree);
	free(m);
	free(whole);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sums),
		cmocka_unit_test(test_migrate),
		cmocka_unit_test(test_verify_since),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
