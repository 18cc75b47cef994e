/* test_listing.c: unit tests of db/listing.c, the loads, RV-visit and
 * month-report queries a station and the plant share.
 *
 * One sqlite database in memory holds a station's own tables (loads,
 * haulers, rv_visits) and the plant's copies (rec_*, a station_id column
 * first), both made from record_tables[] (core/record.h) as the station's
 * and the plant's schemas are, with the indexes listing_indexes() gives.
 * Station "st-a" has the same rows in both; "st-b" only at the plant.  Then
 * each listing, table-driven over the filters, is run on both sources: the
 * plant's for st-a is the station's with a station column first; every
 * station's rows come ordered by station; --totals sums over the stations
 * per company and permit; the month report reads its covering index (the
 * query cannot run without it); bad filters and short buffers are refused. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "../../core/record.h"
#include "../../core/report.h"
#include "../../db/listing.h"

static const struct listing_source plant = { "rec_", "station_id", NULL };

static void run_sql(sqlite3 *db, const char *sql)
{
	char *err = NULL;

	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", sql, err ? err : "?");
}

/* The station's tables (prefix "") or the plant's copies (prefix "rec_",
 * a station_id column first), from record_tables[]. */
static void make_tables(sqlite3 *db, const struct listing_source *src)
{
	char sql[4096];
	int t, c;

	for (t = 0; t < record_ntables; t++) {
		const struct rec_table *rt = &record_tables[t];
		size_t n = 0;

		n += (size_t)snprintf(sql + n, sizeof sql - n, "CREATE TABLE %s%s (", src->prefix,
				      rt->name);
		if (src->station_col)
			n += (size_t)snprintf(sql + n, sizeof sql - n, "%s TEXT NOT NULL, ",
					      src->station_col);
		for (c = 0; c < rt->ncols; c++)
			n += (size_t)snprintf(sql + n, sizeof sql - n, "%s%s %s", c ? ", " : "",
					      rt->cols[c].name,
					      rt->cols[c].kind == 't' ? "TEXT" : "INTEGER");
		snprintf(sql + n, sizeof sql - n, ")");
		run_sql(db, sql);
	}
	assert_int_equal(listing_indexes(src, sql, sizeof sql), HG_OK);
	run_sql(db, sql);
}

/* A load of station st (NULL: into the station's own tables). */
struct load {
	long long no;
	const char *day;
	long long hauler;
	const char *waste;
	long gallons;
	const char *verdict;
	int sampled;
	const char *meter;
	long long decided;
};

static const char *const companies[] = { "", "Acme Septic", "Bayou Grease" };

/* "rec_" and "station_id, " and "'st', " for station st's rows at the
 * plant; "" for the station's own. */
#define LEAD(st) (st) ? "rec_" : "", (st) ? "station_id, " : "", (st) ? "'" : "", \
	(st) ? (st) : "", (st) ? "', " : ""

static void put_load(sqlite3 *db, const char *st, const struct load *l)
{
	int refused = !strcmp(l->verdict, "refused");
	char *sql = sqlite3_mprintf(
		"INSERT INTO %sloads (%sload_no, station, day, hauler_id, company, permit, truck, "
		"waste, gallons, gallons_measured, verdict, refuse_reasons, sample_reasons, sampled, "
		"bottle, t_decided, t_discharge_end, meter_flag) VALUES (%s%s%s%lld, 'a', %Q, %lld, "
		"%Q, 'P-%lld', 'T-1', %Q, %ld, 0, %Q, %Q, %Q, %d, %Q, %lld, NULL, %Q)",
		LEAD(st), l->no, l->day, l->hauler, companies[l->hauler], l->hauler, l->waste,
		l->gallons, l->verdict, refused ? "rcra_hazardous" : "",
		l->sampled ? "sample_first_load" : "", l->sampled, l->sampled ? "B-1" : "",
		l->decided, l->meter);

	assert_non_null(sql);
	run_sql(db, sql);
	sqlite3_free(sql);
}

static void put_hauler(sqlite3 *db, const char *st, long long id)
{
	char *sql = sqlite3_mprintf("INSERT INTO %shaulers (%sid, company, permit) "
				    "VALUES (%s%s%s%lld, %Q, 'P-%lld')", LEAD(st), id, companies[id],
				    id);

	assert_non_null(sql);
	run_sql(db, sql);
	sqlite3_free(sql);
}

static void put_rv(sqlite3 *db, const char *st, long long id, const char *day, long long when)
{
	char *sql = sqlite3_mprintf("INSERT INTO %srv_visits (%sid, name, plate, plate_state, "
				    "lang, signed_in, declared, done, day) VALUES (%s%s%s%lld, 'Lee', "
				    "'7ABC', 'CO', 'en', %lld, %lld, NULL, %Q)",
				    LEAD(st), id, when, id % 2 ? when : 0LL, day);

	assert_non_null(sql);
	run_sql(db, sql);
	sqlite3_free(sql);
}

#define T0 1790000000LL	/* 2026-09-21 in UTC: the loads' times after it */

static const struct load loads_a[] = {
	{ 1, "2026-10-14", 2, "grease", 1200, "refused", 0, "", T0 + 1 },
	{ 2, "2026-11-23", 1, "septage", 2500, "sample-hold", 1, "", T0 + 2 },
	{ 3, "2026-11-23", 1, "portable", 800, "accepted", 0, "", T0 + 3 },
	{ 4, "2026-11-24", 1, "septage", 1500, "accepted", 0, "meter_mismatch", T0 + 4 },
	{ 5, "2026-11-30", 2, "grease", 300, "accepted", 0, "", T0 + 5 },
};
static const struct load loads_b[] = {
	{ 1, "2026-11-02", 1, "septage", 1000, "accepted", 0, "", T0 + 6 },
	{ 2, "2026-11-03", 1, "industrial", 400, "accepted", 1, "", T0 + 7 },
};

static int setup(void **state)
{
	sqlite3 *db;
	size_t i;

	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
	make_tables(db, &listing_station);
	make_tables(db, &plant);
	/* st-b first, so the plant's rows are not in station order by chance */
	put_hauler(db, "st-b", 1);
	for (i = 0; i < HG_ARRAY_LEN(loads_b); i++)
		put_load(db, "st-b", &loads_b[i]);
	put_rv(db, "st-b", 1, "2026-11-02", T0 + 50);
	put_hauler(db, NULL, 1);
	put_hauler(db, NULL, 2);
	put_hauler(db, "st-a", 1);
	put_hauler(db, "st-a", 2);
	for (i = 0; i < HG_ARRAY_LEN(loads_a); i++) {
		put_load(db, NULL, &loads_a[i]);
		put_load(db, "st-a", &loads_a[i]);
	}
	for (i = 1; i <= 3; i++) {
		const char *day = i == 1 ? "2026-10-14" : "2026-11-23";

		put_rv(db, NULL, (long long)i, day, T0 + 40 + (long long)i);
		put_rv(db, "st-a", (long long)i, day, T0 + 40 + (long long)i);
	}
	/* the sources of two loads at the plant: a town, and a name holding
	 * LIKE's own characters */
	run_sql(db, "INSERT INTO rec_load_sources (station_id, load_no, idx, name, address, industry, "
		"town) VALUES ('st-a', 2, 0, 'Miller residence', '12 Oak St', 'residential', "
		"'Springfield'), ('st-b', 1, 0, '100%_Pure\\Co', '1 Elm', 'dairy', 'Shelbyville'), "
		"('st-b', 1, 1, 'Second', '2 Elm', 'dairy', 'Ogden')");
	*state = db;
	return 0;
}

static int teardown(void **state)
{
	sqlite3_close(*state);
	return 0;
}

static struct table *run(sqlite3 *db, enum listing_kind k, const struct listing_source *src,
			 const struct listing_filter *f)
{
	struct table *t = NULL;
	int rc = listing_run(db, k, src, f, &t);

	if (rc)
		fail_msg("listing %d: %s", (int)k, hg_error_text());
	assert_non_null(t);
	return t;
}

/* The plant's listing (station column first) is the station's. */
static void assert_same_but_station(const struct table *st, const struct table *pl,
				    const char *station)
{
	int r, c;

	assert_int_equal(table_cols(pl), table_cols(st) + 1);
	assert_string_equal(table_col(pl, 0), "station");
	for (c = 0; c < table_cols(st); c++)
		assert_string_equal(table_col(pl, c + 1), table_col(st, c));
	assert_int_equal(table_rows(pl), table_rows(st));
	for (r = 0; r < table_rows(st); r++) {
		assert_string_equal(table_cell(pl, r, 0), station);
		for (c = 0; c < table_cols(st); c++)
			assert_string_equal(table_cell(pl, r, c + 1), table_cell(st, r, c));
	}
}

static struct listing_filter filter(const char *from, const char *to, long long hauler,
				    int flagged, int year, int month)
{
	struct listing_filter f;

	memset(&f, 0, sizeof f);
	snprintf(f.from, sizeof f.from, "%s", from);
	snprintf(f.to, sizeof f.to, "%s", to);
	f.hauler_id = hauler;
	f.flagged = flagged;
	f.year = year;
	f.month = month;
	return f;
}

static void test_plant_is_station(void **state)
{
	static const struct {
		enum listing_kind kind;
		const char *from, *to;
		long long hauler;
		int flagged, year, month;
		int rows;		/* the station's */
	} cases[] = {
		{ LISTING_LOADS, "", "", 0, 0, 0, 0, 5 },			/* every load */
		{ LISTING_LOADS, "2026-11-01", "2026-11-30", 0, 0, 0, 0, 4 },	/* a month */
		{ LISTING_LOADS, "2026-11-24", "", 0, 0, 0, 0, 2 },		/* from, open end */
		{ LISTING_LOADS, "", "2026-10-31", 0, 0, 0, 0, 1 },		/* to, open start */
		{ LISTING_LOADS, "", "", 2, 0, 0, 0, 2 },			/* one hauler */
		{ LISTING_LOADS, "", "", 0, 1, 0, 0, 2 },			/* sampled or meter */
		{ LISTING_LOADS, "2026-11-24", "", 1, 1, 0, 0, 1 },		/* all at once */
		{ LISTING_LOADS, "2027-01-01", "", 0, 0, 0, 0, 0 },		/* none */
		{ LISTING_RV, "", "", 0, 0, 0, 0, 3 },				/* every visit */
		{ LISTING_RV, "2026-11-01", "2026-11-30", 0, 0, 0, 0, 2 },	/* a month */
		{ LISTING_MONTH, "", "", 0, 0, 2026, 11, 2 },			/* two haulers */
		{ LISTING_MONTH, "", "", 0, 0, 2026, 10, 1 },			/* one, refused */
		{ LISTING_MONTH, "", "", 0, 0, 2025, 1, 0 },			/* nothing */
	};
	sqlite3 *db = *state;
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(cases); i++) {
		struct listing_filter f = filter(cases[i].from, cases[i].to, cases[i].hauler,
						 cases[i].flagged, cases[i].year, cases[i].month);
		struct table *st = run(db, cases[i].kind, &listing_station, &f), *pl;

		assert_int_equal(table_rows(st), cases[i].rows);
		f.station = "st-a";
		pl = run(db, cases[i].kind, &plant, &f);
		assert_same_but_station(st, pl, "st-a");
		table_free(st);
		table_free(pl);
	}
}

static void test_columns_and_values(void **state)
{
	struct listing_filter f = filter("", "", 0, 0, 2026, 11);
	struct table *t = run(*state, LISTING_MONTH, &listing_station, &f);

	/* Acme: loads 2, 3, 4 (septage 2500 + 1500, portable 800, one sample);
	 * Bayou: load 5 (grease 300) */
	assert_string_equal(table_col(t, 0), "company");
	assert_string_equal(table_col(t, 9), "refusals");
	assert_string_equal(table_cell(t, 0, 0), "Acme Septic");
	assert_string_equal(table_cell(t, 0, 2), "3");
	assert_string_equal(table_cell(t, 0, 3), "4000");
	assert_string_equal(table_cell(t, 0, 4), "800");
	assert_string_equal(table_cell(t, 0, 7), "4800");
	assert_string_equal(table_cell(t, 0, 8), "1");
	assert_string_equal(table_cell(t, 1, 0), "Bayou Grease");
	assert_string_equal(table_cell(t, 1, 5), "300");
	table_free(t);

	f = filter("", "", 0, 0, 0, 0);
	t = run(*state, LISTING_LOADS, &listing_station, &f);
	assert_int_equal(table_cols(t), 15);
	assert_string_equal(table_col(t, 1), "decided");
	assert_string_equal(table_cell(t, 0, 1), "2026-09-21 14:13");	/* T0 + 1 in UTC */
	assert_string_equal(table_cell(t, 0, 9), "rcra_hazardous");	/* refused: its reasons */
	assert_string_equal(table_cell(t, 1, 9), "sample_first_load");
	assert_string_equal(table_cell(t, 1, 10), "yes");
	assert_string_equal(table_cell(t, 0, 13), "");			/* NULL time: empty */
	assert_string_equal(table_cell(t, 3, 14), "meter_mismatch");
	table_free(t);

	t = run(*state, LISTING_RV, &listing_station, &f);
	assert_string_equal(table_col(t, 6), "declared");
	assert_string_equal(table_cell(t, 0, 6), "yes");
	assert_string_equal(table_cell(t, 1, 6), "no");
	assert_string_equal(table_cell(t, 1, 7), "");
	table_free(t);
}

static void test_every_station(void **state)
{
	struct listing_filter f = filter("", "", 0, 0, 0, 0);
	struct table *t = run(*state, LISTING_LOADS, &plant, &f);
	int r;

	/* ordered by station, then load number: st-a's five, then st-b's two */
	assert_int_equal(table_rows(t), 7);
	for (r = 0; r < 7; r++)
		assert_string_equal(table_cell(t, r, 0), r < 5 ? "st-a" : "st-b");
	assert_string_equal(table_cell(t, 5, 1), "1");
	table_free(t);

	t = run(*state, LISTING_RV, &plant, &f);
	assert_int_equal(table_rows(t), 4);
	assert_string_equal(table_cell(t, 3, 0), "st-b");
	table_free(t);

	f = filter("", "", 0, 0, 2026, 11);
	t = run(*state, LISTING_MONTH, &plant, &f);
	assert_int_equal(table_rows(t), 3);	/* st-a: Acme, Bayou; st-b: Acme */
	assert_string_equal(table_cell(t, 2, 0), "st-b");
	assert_string_equal(table_cell(t, 2, 1), "Acme Septic");
	assert_string_equal(table_cell(t, 2, 3), "2");
	table_free(t);

	f.station = "st-c";	/* a station with nothing */
	t = run(*state, LISTING_MONTH, &plant, &f);
	assert_int_equal(table_rows(t), 0);
	assert_int_equal(table_cols(t), 11);
	table_free(t);
}

static void test_totals(void **state)
{
	struct listing_filter f = filter("", "", 0, 0, 2026, 11);
	struct table *t;

	f.totals = 1;
	t = run(*state, LISTING_MONTH, &plant, &f);
	/* Acme over both stations: 3 + 2 loads, septage 4000 + 1000, industrial
	 * 400, gallons 4800 + 1400, samples 1 + 1; no station column */
	assert_int_equal(table_cols(t), 10);
	assert_string_equal(table_col(t, 0), "company");
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_cell(t, 0, 0), "Acme Septic");
	assert_string_equal(table_cell(t, 0, 2), "5");
	assert_string_equal(table_cell(t, 0, 3), "5000");
	assert_string_equal(table_cell(t, 0, 6), "400");
	assert_string_equal(table_cell(t, 0, 7), "6200");
	assert_string_equal(table_cell(t, 0, 8), "2");
	assert_string_equal(table_cell(t, 1, 0), "Bayou Grease");
	table_free(t);

	/* one station's totals: its own report exactly */
	{
		struct table *st = run(*state, LISTING_MONTH, &listing_station, &f);
		int r, c;

		f.station = "st-a";
		t = run(*state, LISTING_MONTH, &plant, &f);
		assert_int_equal(table_rows(t), table_rows(st));
		for (r = 0; r < table_rows(st); r++)
			for (c = 0; c < table_cols(st); c++)
				assert_string_equal(table_cell(t, r, c), table_cell(st, r, c));
		table_free(st);
		table_free(t);
	}
}

/* The month report reads its covering index, by name: EXPLAIN QUERY PLAN
 * says so, and without the index the query does not run at all. */
static void test_index(void **state)
{
	struct listing_filter f = filter("", "", 0, 0, 2026, 11);
	struct listing_col cols[TABLE_MAX_COLS];
	char sql[2048], plan[4096] = "";
	sqlite3_stmt *s;
	sqlite3 *db = *state, *bare;
	struct table *t = NULL;
	size_t len = 0;
	int n;

	f.station = "st-a";
	assert_int_equal(listing_sql(LISTING_MONTH, &plant, &f, sql, sizeof sql, cols,
				     TABLE_MAX_COLS, &n), HG_OK);
	assert_non_null(strstr(sql, "INDEXED BY rec_loads_month"));
	{
		char *q = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sql);

		assert_int_equal(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
		sqlite3_free(q);
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		len += (size_t)snprintf(plan + len, sizeof plan - len, "%s\n",
					(const char *)sqlite3_column_text(s, 3));
	sqlite3_finalize(s);
	assert_non_null(strstr(plan, "COVERING INDEX rec_loads_month"));

	assert_int_equal(sqlite3_open(":memory:", &bare), SQLITE_OK);
	run_sql(bare, "CREATE TABLE rec_loads (station_id TEXT, load_no INTEGER, day TEXT, "
		"hauler_id INTEGER, verdict TEXT, waste TEXT, gallons INTEGER, sampled INTEGER); "
		"CREATE TABLE rec_haulers (station_id TEXT, id INTEGER, company TEXT, permit TEXT)");
	assert_int_not_equal(listing_run(bare, LISTING_MONTH, &plant, &f, &t), HG_OK);
	assert_null(t);
	assert_non_null(strstr(hg_error_text(), "rec_loads_month"));
	sqlite3_close(bare);
}

static void test_refused(void **state)
{
	static const struct {
		enum listing_kind kind;
		const char *from, *to;
		int year, month;
		const char *words;
	} cases[] = {
		{ LISTING_LOADS, "2026-02-31", "", 0, 0, "from date '2026-02-31' is not a date" },
		{ LISTING_RV, "", "tomorrow", 0, 0, "to date 'tomorrow' is not a date" },
		{ LISTING_MONTH, "", "", 2026, 13, "2026-13 is not a month" },
		{ LISTING_MONTH, "", "", 1969, 12, "1969-12 is not a month" },
		{ LISTING_MONTH, "", "", 0, 0, "0000-00 is not a month" },
	};
	struct listing_col cols[TABLE_MAX_COLS];
	char sql[2048];
	struct table *t;
	size_t i;
	int n;

	for (i = 0; i < HG_ARRAY_LEN(cases); i++) {
		struct listing_filter f = filter(cases[i].from, cases[i].to, 0, 0, cases[i].year,
						 cases[i].month);

		t = (struct table *)&t;
		assert_int_equal(listing_run(*state, cases[i].kind, &plant, &f, &t), HG_EINVAL);
		assert_null(t);
		assert_non_null(strstr(hg_error_text(), cases[i].words));
	}
	/* buffers too short: said, not cut */
	{
		struct listing_filter f = filter("", "", 0, 0, 2026, 11);

		assert_int_equal(listing_sql(LISTING_MONTH, &plant, &f, sql, 100, cols,
					     TABLE_MAX_COLS, &n), HG_ETOOLONG);
		assert_int_equal(listing_sql(LISTING_LOADS, &plant, &f, sql, sizeof sql, cols, 15,
					     &n), HG_ETOOLONG);	/* 16 columns with the station's */
		assert_int_equal(listing_sql(LISTING_LOADS, &listing_station, &f, sql, sizeof sql,
					     cols, 15, &n), HG_OK);
		assert_int_equal(n, 15);
		assert_int_equal(listing_indexes(&plant, sql, 40), HG_ETOOLONG);
	}
}

/* "st-a/5 st-a/4 ...": the rows of a plant's loads listing */
static void ids(const struct table *t, char *out, size_t cap)
{
	size_t len = 0;

	out[0] = '\0';
	for (int r = 0; r < table_rows(t); r++)
		len += (size_t)snprintf(out + len, cap - len, "%s%s/%s", r ? " " : "",
					table_cell(t, r, 0), table_cell(t, r, 1));
}

static int col_of(const struct table *t, const char *name)
{
	for (int c = 0; c < table_cols(t); c++)
		if (!strcmp(table_col(t, c), name))
			return c;
	return -1;
}

/* The pages' filters on the plant's tables, newest first: each row of the
 * table one filter and the rows it must give, in order. */
static void test_page_filters(void **state)
{
	static const char all[] = "st-b/2 st-b/1 st-a/5 st-a/4 st-a/3 st-a/2 st-a/1";
	static const struct {
		const char *waste, *verdict, *town, *text, *station;
		int sampled, meter, confidential;
		const char *want;
	} cases[] = {
		/* no filter: every load, newest decision first */
		{ "", "", "", "", NULL, 0, 0, 0, all },
		{ "grease", "", "", "", NULL, 0, 0, 0, "st-a/5 st-a/1" },
		{ "", "refused", "", "", NULL, 0, 0, 0, "st-a/1" },
		{ "", "", "", "", NULL, 1, 0, 0, "st-b/2 st-a/2" },
		{ "", "", "", "", NULL, -1, 0, 0, "st-b/1 st-a/5 st-a/4 st-a/3 st-a/1" },
		{ "", "", "", "", NULL, 0, 1, 0, "st-a/4" },
		{ "", "", "", "", NULL, 0, -1, 0, "st-b/2 st-b/1 st-a/5 st-a/3 st-a/2 st-a/1" },
		/* a town, in any case; a second source's town finds its load too */
		{ "", "", "SPRINGFIELD", "", NULL, 0, 0, 0, "st-a/2" },
		{ "", "", "ogden", "", NULL, 0, 0, 0, "st-b/1" },
		/* the text: a company, a load number or a permit's digit */
		{ "", "", "", "Bayou", NULL, 0, 0, 0, "st-a/5 st-a/1" },
		{ "", "", "", "2", NULL, 0, 0, 0, "st-b/2 st-a/5 st-a/2 st-a/1" },
		{ "", "", "", "B-1", NULL, 0, 0, 0, "st-b/2 st-a/2" },
		/* a source's name: only for a reader of confidential fields */
		{ "", "", "", "Miller", NULL, 0, 0, 0, "" },
		{ "", "", "", "Miller", NULL, 0, 0, 1, "st-a/2" },
		{ "", "", "", "Oak", NULL, 0, 0, 1, "st-a/2" },
		/* % _ and \ are the text's own characters, not LIKE's */
		{ "", "", "", "100%", NULL, 0, 0, 1, "st-b/1" },
		{ "", "", "", "_", NULL, 0, 0, 1, "st-b/1" },
		{ "", "", "", "\\", NULL, 0, 0, 1, "st-b/1" },
		{ "", "", "", "%", NULL, 0, 0, 0, "" },
		/* filters together */
		{ "septage", "accepted", "", "", "st-a", 0, -1, 0, "" },
		{ "septage", "", "", "", "st-a", 0, 1, 0, "st-a/4" },
		{ "", "", "", "Acme", "st-b", 0, 0, 0, "st-b/2 st-b/1" },
	};
	char got[256];

	for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
		struct listing_filter f;
		struct table *t;

		memset(&f, 0, sizeof f);
		snprintf(f.waste, sizeof f.waste, "%s", cases[i].waste);
		snprintf(f.verdict, sizeof f.verdict, "%s", cases[i].verdict);
		snprintf(f.town, sizeof f.town, "%s", cases[i].town);
		snprintf(f.text, sizeof f.text, "%s", cases[i].text);
		f.station = cases[i].station;
		f.sampled = cases[i].sampled;
		f.meter = cases[i].meter;
		f.confidential = cases[i].confidential;
		f.newest = 1;
		t = run(*state, LISTING_LOADS, &plant, &f);
		ids(t, got, sizeof got);
		if (strcmp(got, cases[i].want))
			fail_msg("case %zu: got '%s', want '%s'", i, got, cases[i].want);
		table_free(t);
	}
}

/* Keyset pages: limit rows after a key, newest first; every row once. */
static void test_page_keyset(void **state)
{
	struct listing_filter f;
	struct table *t;
	char got[200], seen[512] = "";
	int pages = 0;

	memset(&f, 0, sizeof f);
	f.newest = 1;
	f.wide = 1;
	f.limit = 3;
	for (;;) {
		int n, c;

		t = run(*state, LISTING_LOADS, &plant, &f);
		n = table_rows(t);
		ids(t, got, sizeof got);
		if (n)
			snprintf(seen + strlen(seen), sizeof seen - strlen(seen), "%s%s",
				 seen[0] ? " " : "", got);
		if (n) {	/* the key of the last row: decided_at, station, load_no */
			c = col_of(t, "decided_at");
			assert_true(c > 0);
			f.after.decided = strtoll(table_cell(t, n - 1, c), NULL, 10);
			snprintf(f.after.station, sizeof f.after.station, "%s", table_cell(t, n - 1, 0));
			f.after.load_no = strtoll(table_cell(t, n - 1, 1), NULL, 10);
		}
		table_free(t);
		pages++;
		if (n < 3)
			break;
	}
	assert_string_equal(seen, "st-b/2 st-b/1 st-a/5 st-a/4 st-a/3 st-a/2 st-a/1");
	assert_int_equal(pages, 3);

	/* two loads decided in the same second: the station, then the number, break the tie */
	run_sql(*state, "UPDATE rec_loads SET t_decided = 1790000003 WHERE station_id = 'st-b'");
	memset(&f, 0, sizeof f);
	f.newest = 1;
	f.limit = 2;
	f.after.decided = 1790000003;
	snprintf(f.after.station, sizeof f.after.station, "st-b");
	f.after.load_no = 2;
	t = run(*state, LISTING_LOADS, &plant, &f);
	ids(t, got, sizeof got);
	assert_string_equal(got, "st-b/1 st-a/3");
	table_free(t);
}

/* The wide columns: towns, characteristics for every reader; the sources,
 * their industries and the constituents only for a reader of confidential
 * fields, else not there at all. */
static void test_page_wide(void **state)
{
	struct listing_filter f;
	struct table *t;

	memset(&f, 0, sizeof f);
	f.newest = 1;
	f.wide = 1;
	snprintf(f.town, sizeof f.town, "ogden");
	t = run(*state, LISTING_LOADS, &plant, &f);
	assert_int_equal(table_cols(t), 16 + LISTING_WIDE - 3);
	assert_int_equal(col_of(t, "sources"), -1);
	assert_int_equal(col_of(t, "industry"), -1);
	assert_int_equal(col_of(t, "constituents"), -1);
	assert_string_equal(table_cell(t, 0, col_of(t, "towns")), "Shelbyville; Ogden");
	table_free(t);
	f.confidential = 1;
	t = run(*state, LISTING_LOADS, &plant, &f);
	assert_int_equal(table_cols(t), 16 + LISTING_WIDE);
	assert_string_equal(table_cell(t, 0, col_of(t, "sources")),
			    "100%_Pure\\Co, 1 Elm; Second, 2 Elm");
	assert_string_equal(table_cell(t, 0, col_of(t, "industry")), "dairy; dairy");
	table_free(t);
	/* a load's sources in the form's order (idx), whatever order they were
	 * written in; a NULL left out of its column as group_concat() does
	 * (a source without an address has no "name, address"); a load
	 * without sources empty */
	run_sql(*state, "INSERT INTO rec_load_sources (station_id, load_no, idx, name, address, "
		"industry, town) VALUES ('st-a', 3, 2, 'Third', 'Pine Rd', 'farm', 'Zed'), "
		"('st-a', 3, 0, 'First', 'Elm Rd', NULL, 'Ames'), "
		"('st-a', 3, 1, 'Second', NULL, 'dairy', 'Ames')");
	f.town[0] = '\0';
	f.station = "st-a";
	t = run(*state, LISTING_LOADS, &plant, &f);
	assert_string_equal(table_cell(t, 2, col_of(t, "load_no")), "3");
	assert_string_equal(table_cell(t, 2, col_of(t, "towns")), "Ames; Ames; Zed");
	assert_string_equal(table_cell(t, 2, col_of(t, "sources")), "First, Elm Rd; Third, Pine Rd");
	assert_string_equal(table_cell(t, 2, col_of(t, "industry")), "dairy; farm");
	assert_string_equal(table_cell(t, 1, col_of(t, "load_no")), "4");
	assert_string_equal(table_cell(t, 1, col_of(t, "towns")), "");
	assert_string_equal(table_cell(t, 1, col_of(t, "sources")), "");
	table_free(t);
	run_sql(*state, "DELETE FROM rec_load_sources WHERE station_id = 'st-a' AND load_no = 3");
	assert_true(record_confidential("load_sources", "name"));
	assert_true(record_confidential("loads", "constituents"));
	assert_false(record_confidential("load_sources", "town"));
	assert_false(record_confidential("loads", "characteristics"));
	assert_false(record_confidential("loads", "constituent"));
}

/* LIKE's pattern of a text, and the pages' values refused. */
static void test_page_checks(void **state)
{
	static const struct {
		const char *waste, *verdict, *text;
		const char *words;	/* NULL: taken */
	} cases[] = {
		{ "septage", "sample-hold", "x", NULL },
		{ "sludge", "", "", "'sludge' is not a waste type" },
		{ "", "maybe", "", "'maybe' is not a decision" },
		{ "", "", "a\x01b", "too long, or not text" },
	};
	char like[16];

	(void)state;
	assert_int_equal(listing_like("a%b_c\\", like, sizeof like), HG_OK);
	assert_string_equal(like, "%a\\%b\\_c\\\\%");
	assert_int_equal(listing_like("", like, sizeof like), HG_OK);
	assert_string_equal(like, "%%");
	assert_int_equal(listing_like("0123456789abcdef", like, sizeof like), HG_ETOOLONG);
	for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
		struct listing_filter f;
		int rc;

		memset(&f, 0, sizeof f);
		snprintf(f.waste, sizeof f.waste, "%s", cases[i].waste);
		snprintf(f.verdict, sizeof f.verdict, "%s", cases[i].verdict);
		snprintf(f.text, sizeof f.text, "%s", cases[i].text);
		rc = listing_check(LISTING_LOADS, &f);
		if (!cases[i].words) {
			assert_int_equal(rc, HG_OK);
			continue;
		}
		assert_int_equal(rc, HG_EINVAL);
		if (!strstr(hg_error_text(), cases[i].words))
			fail_msg("case %zu: %s", i, hg_error_text());
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_plant_is_station, setup, teardown),
		cmocka_unit_test_setup_teardown(test_columns_and_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_every_station, setup, teardown),
		cmocka_unit_test_setup_teardown(test_totals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_index, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_filters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_keyset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_page_wide, setup, teardown),
		cmocka_unit_test(test_page_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
