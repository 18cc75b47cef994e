/* store_policy_sqlite.h: the plant store's schema version 5, the plant's
 * policy (potw/store_policy_sqlite.c); for potw/store_sqlite.c only. */
#ifndef STORE_POLICY_SQLITE_H
#define STORE_POLICY_SQLITE_H

#include <sqlite3.h>

/* Bring the database at version 4 (path: for the words) to version 5: the
 * table rec_policy, as a new database makes it (potw_store_record_schema()),
 * and user_version 5, in one transaction.  One another process migrated
 * first is taken as it is.  HG_OK, or an HG_E* code with words. */
int potw_sq_policy_migrate(sqlite3 *db, const char *path);

#endif
