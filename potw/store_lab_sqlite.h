/* store_lab_sqlite.h: the plant store's schema version 8, the plant's own
 * lab records and fees (potw/store_lab_sqlite.c); for potw/store_sqlite.c
 * only. */
#ifndef STORE_LAB_SQLITE_H
#define STORE_LAB_SQLITE_H

#include <sqlite3.h>

/* The CREATE TABLEs of version 8 and the parameters of section 2.1 they
 * start with, run by make_schema() with the rest. */
extern const char potw_lab_schema[];

/* Bring the database at version 7 (path: for the words) to version 8:
 * potw_lab_schema and user_version 8, in one transaction.  One another
 * process migrated first is taken as it is.  HG_OK, or an HG_E* code with
 * words. */
int potw_sq_lab_migrate(sqlite3 *db, const char *path);

#endif
