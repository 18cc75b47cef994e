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
#include "store_sqlite_ext.h"
#include "../core/report.h"

int potw_sq_loads_migrate(sqlite3 *db, const char *path)
{
	char sql[2048];
	int rc;

	rc = listing_page_indexes(&potw_listing_source, sql, sizeof sql);
	if (rc)
		return rc;
	if (strlen(sql) + sizeof POTW_SQ_EVENTS_LOAD > sizeof sql)
		return hg_fail(HG_ETOOLONG, "the version 6 indexes do not fit (a bug)");
	strcat(sql, POTW_SQ_EVENTS_LOAD);
	return potw_sq_migrate(db, path, 5, sql, "the loads pages' indexes");
}
