/* store_loads_sqlite.h: the plant store's schema version 6, the indexes of
 * the loads pages' filters (potw/store_loads_sqlite.c); for
 * potw/store_sqlite.c only. */
#ifndef STORE_LOADS_SQLITE_H
#define STORE_LOADS_SQLITE_H

#include <sqlite3.h>

/* The index of a load's events (the load's page), made by a new database
 * too. */
#define POTW_SQ_EVENTS_LOAD \
	"CREATE INDEX IF NOT EXISTS events_load ON events(station, load_no, type);\n"

/* Bring the database at version 5 (path: for the words) to version 6: the
 * indexes of db/listing.c's listing_page_indexes() on the rec_* tables and
 * POTW_SQ_EVENTS_LOAD,
 * as a new database makes them, and user_version 6, in one transaction.
 * One another process migrated first is taken as it is.  HG_OK, or an
 * HG_E* code with words. */
int potw_sq_loads_migrate(sqlite3 *db, const char *path);

#endif
