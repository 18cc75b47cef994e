/* store_loads_sqlite.c: the plant store's version 6, the indexes the loads
 * pages' filters read (docs/WEB.md).
 *
 * The pages list every station's loads newest first, a page at a time
 * (keyset: no OFFSET), filtered by station, hauler, decision, waste type,
 * sampled, meter flag and a source's town, and the load's page reads its
 * events (events_load).  db/listing.c writes their
 * query and, in listing_page_indexes(), the indexes it reads; a database
 * made by this program has them from the start (store_sqlite.c's
 * make_schema()), one made at version 5 gets them here, from the same
 * statements.  potw/store_sqlite.c's check_schema() calls
 * potw_sq_loads_migrate() on a version-5 file. */
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "store_loads_sqlite.h"
#include "../core/report.h"

static int fail(sqlite3 *db, const char *path, int r, const char *what)
{
	return hg_fail((r & 0xff) == SQLITE_BUSY ? HG_EBUSY : HG_EIO, "cannot %s: %s (%s)", what,
		       sqlite3_errmsg(db), path);
}

int potw_sq_loads_migrate(sqlite3 *db, const char *path)
{
	char sql[2048];
	sqlite3_stmt *s = NULL;
	long long ver = 0;
	int rc, r;

	rc = listing_page_indexes(&potw_listing_source, sql, sizeof sql);
	if (rc)
		return rc;
	if (strlen(sql) + sizeof POTW_SQ_EVENTS_LOAD > sizeof sql)
		return hg_fail(HG_ETOOLONG, "the version 6 indexes do not fit (a bug)");
	strcat(sql, POTW_SQ_EVENTS_LOAD);
	r = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (r != SQLITE_OK)
		return fail(db, path, r, "bring the database to version 6");
	r = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (r == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		ver = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (ver == 5) {
		r = sqlite3_exec(db, sql, NULL, NULL, NULL);
		if (r == SQLITE_OK)
			r = sqlite3_exec(db, "PRAGMA user_version = 6", NULL, NULL, NULL);
	}
	if (r == SQLITE_OK)
		r = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (r != SQLITE_OK) {
		rc = fail(db, path, r, "bring the database to version 6 (the loads pages' indexes)");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}
