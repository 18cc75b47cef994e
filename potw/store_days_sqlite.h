/* store_days_sqlite.h: the loads' sums per station, local day and waste
 * type, kept by the plant's sqlite database beside rec_loads (schema
 * version POTW_DAYS_VERSION; potw/store_days_sqlite.c).
 *
 * The table load_days holds, for each (day, station, waste type) that has
 * a load, what db/listing.c's LISTING_DAYS sums over the loads: the loads,
 * the declared gallons of those not refused, the refusals and the loads
 * held for a sample.  Triggers on rec_loads keep it, so every write of a
 * load row (the projection's sq_project(), in the batch's transaction; a
 * bulk INSERT ... SELECT) moves its sums in the same transaction: no
 * second projection of the log, no code path that could forget it.  The
 * dashboard's chart and today's table read it (potw_listing_source's
 * day_sums) instead of summing ~82,000 index rows of a 90-day range. */
#ifndef POTW_STORE_DAYS_SQLITE_H
#define POTW_STORE_DAYS_SQLITE_H

#include <sqlite3.h>

#include "store.h"

#define POTW_DAYS_VERSION 10		/* the schema version that brings the table */

/* The table and its triggers, as a new database makes them (run after the
 * rec_* tables). */
extern const char potw_days_schema[];

/* Station id's sums kept against the same summed from its rec_loads rows
 * now: *differ the rows that are in one and not the other (0: they
 * agree).  HG_OK, HG_EBUSY (interrupted) or HG_EIO with words. */
int potw_sq_days_check(sqlite3 *db, const char *id, long long *differ);

/* Bring the database at version 9 (path: for the words) to version 10:
 * potw_days_schema and the table filled from the loads already held, in
 * one transaction.  One another process migrated first is taken as it is.
 * HG_OK, or an HG_E* code with words. */
int potw_sq_days_migrate(sqlite3 *db, const char *path);

#endif
