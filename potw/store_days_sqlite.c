/* store_days_sqlite.c: the loads' day sums (potw/store_days_sqlite.h).
 *
 * One table, three triggers on rec_loads: a new row adds itself to its
 * (day, station, waste) sums; a row whose day, station, waste, gallons,
 * decision or sample flag changes takes its old values out and puts the
 * new ones in; a row deleted takes itself out.  A sum left with no load is
 * deleted, so the table is exactly what GROUP BY over rec_loads gives
 * (tests/unit/test_potw_days.c compares them).  The sums follow
 * LISTING_DAYS (db/listing.c): gallons are the declared gallons of the
 * loads not refused; a load without a day (none is written so) is not
 * counted, as no day range would list it.  A whole verification of a
 * station compares its sums with its loads (potw_sq_days_check()). */
#include "store_days_sqlite.h"
#include "store_sqlite_ext.h"
#include "store.h"
#include "../core/report.h"

#define T POTW_DAYS_TABLE
#define S POTW_REC_STATION

/* the sums of one row r (new or old) */
#define ROW_SUMS(r) \
	"1, CASE WHEN " r ".verdict <> 'refused' THEN coalesce(" r ".gallons, 0) ELSE 0 END, " \
	"coalesce(" r ".verdict = 'refused', 0), coalesce(" r ".sampled, 0)"

#define ADD_NEW \
	"INSERT INTO " T " (day, " S ", waste, loads, gallons, refusals, samples) " \
	"SELECT new.day, new." S ", coalesce(new.waste, ''), " ROW_SUMS("new") \
	" WHERE new.day IS NOT NULL " \
	"ON CONFLICT (day, " S ", waste) DO UPDATE SET loads = loads + excluded.loads, " \
	"gallons = gallons + excluded.gallons, refusals = refusals + excluded.refusals, " \
	"samples = samples + excluded.samples;\n"

#define TAKE_OLD \
	"UPDATE " T " SET loads = loads - 1, " \
	"gallons = gallons - (CASE WHEN old.verdict <> 'refused' THEN coalesce(old.gallons, 0) " \
	"ELSE 0 END), refusals = refusals - coalesce(old.verdict = 'refused', 0), " \
	"samples = samples - coalesce(old.sampled, 0) " \
	"WHERE day = old.day AND " S " = old." S " AND waste = coalesce(old.waste, '');\n" \
	"DELETE FROM " T " WHERE day = old.day AND " S " = old." S \
	" AND waste = coalesce(old.waste, '') AND loads <= 0;\n"

#define DAYS_SCHEMA \
	"CREATE TABLE " T " (\n" \
	"  day TEXT NOT NULL,\n" \
	"  " S " TEXT NOT NULL,\n" \
	"  waste TEXT NOT NULL,\n" \
	"  loads INTEGER NOT NULL,\n" \
	"  gallons INTEGER NOT NULL,\n" \
	"  refusals INTEGER NOT NULL,\n" \
	"  samples INTEGER NOT NULL,\n" \
	"  PRIMARY KEY (day, " S ", waste)\n" \
	") STRICT, WITHOUT ROWID;\n" \
	"CREATE TRIGGER " T "_insert AFTER INSERT ON " POTW_REC_PREFIX "loads BEGIN\n" \
	ADD_NEW \
	"END;\n" \
	"CREATE TRIGGER " T "_update AFTER UPDATE OF " S ", day, waste, gallons, verdict, sampled " \
	"ON " POTW_REC_PREFIX "loads BEGIN\n" \
	TAKE_OLD \
	ADD_NEW \
	"END;\n" \
	"CREATE TRIGGER " T "_delete AFTER DELETE ON " POTW_REC_PREFIX "loads BEGIN\n" \
	TAKE_OLD \
	"END;\n"

const char potw_days_schema[] = DAYS_SCHEMA;

/* the sums of the loads held, as the triggers would have made them */
#define SUMS \
	"count(*), sum(CASE WHEN verdict <> 'refused' THEN coalesce(gallons, 0) ELSE 0 END), " \
	"sum(coalesce(verdict = 'refused', 0)), sum(coalesce(sampled, 0)) " \
	"FROM " POTW_REC_PREFIX "loads WHERE day IS NOT NULL"
#define FILL \
	"INSERT INTO " T " (day, " S ", waste, loads, gallons, refusals, samples) " \
	"SELECT day, " S ", coalesce(waste, ''), " SUMS " GROUP BY day, " S ", coalesce(waste, '');\n"

/* one station's (?1) sums kept, and the same summed from its loads */
#define KEPT "SELECT day, waste, loads, gallons, refusals, samples FROM " T " WHERE " S " = ?1"
#define MADE "SELECT day, coalesce(waste, ''), " SUMS " AND " S " = ?1 GROUP BY 1, 2"

int potw_sq_days_check(sqlite3 *db, const char *id, long long *differ)
{
	static const char sql[] = "SELECT (SELECT count(*) FROM (" KEPT " EXCEPT " MADE ")) + "
				  "(SELECT count(*) FROM (" MADE " EXCEPT " KEPT "))";
	sqlite3_stmt *k;
	int r;

	*differ = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) != SQLITE_OK)
		return hg_fail(HG_EIO, "cannot compare the day sums: %s", sqlite3_errmsg(db));
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		*differ = sqlite3_column_int64(k, 0);
	sqlite3_finalize(k);
	if (r != SQLITE_ROW)
		return hg_fail((r & 0xff) == SQLITE_INTERRUPT ? HG_EBUSY : HG_EIO,
			       "cannot compare the day sums: %s", sqlite3_errstr(r));
	return HG_OK;
}

int potw_sq_days_migrate(sqlite3 *db, const char *path)
{
	static const char sql[] = DAYS_SCHEMA FILL;

	return potw_sq_migrate(db, path, POTW_DAYS_VERSION - 1, sql, "the loads' day sums");
}
