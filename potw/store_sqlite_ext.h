/* store_sqlite_ext.h: what store_sqlite.c lends to the plant's other
 * sqlite tables (potw/store_users.c: accounts, sessions, the sign-in
 * throttle, the staff log; potw/store_disputes.c: the disputes), so they
 * live in files of their own.  Only store_sqlite.c and those files
 * include it. */
#ifndef POTW_STORE_SQLITE_EXT_H
#define POTW_STORE_SQLITE_EXT_H

#include "../core/hg.h"

struct potw_store;
struct sqlite3;
struct sqlite3_stmt;

/* The CREATE TABLEs of store_users.c, run by store_sqlite.c's make_schema()
 * with the rest. */
extern const char potw_users_schema[];
/* Version 10 to 11: users.disabled (store_users.c). */
int potw_sq_users_disabled_migrate(struct sqlite3 *db, const char *path);

/* One step of the schema's migrations, in one transaction (BEGIN
 * IMMEDIATE): when db (path: for the words) is at version from, run sql and
 * set version from + 1; at another version (a process migrated it first)
 * nothing.  what names the step in an error.  HG_OK, HG_EBUSY or HG_EIO
 * with words. */
int potw_sq_migrate(struct sqlite3 *db, const char *path, int from, const char *sql,
		    const char *what);

/* st's sqlite connection, or NULL when st is of another backend. */
struct sqlite3 *potw_store_sqlite_db(struct potw_store *st);

/* sql prepared once on st's connection and kept (the row statements'
 * cache), reset with its bindings cleared: for a statement every request
 * runs.  Called with st->mu held; never finalize it. */
int potw_sq_kept(struct potw_store *st, const char *sql, struct sqlite3_stmt **k);

/* Append an entry to the staff log (store_users.c) inside the caller's
 * transaction on db: every change of the plant's own records (disputes,
 * lab records, fees) is logged with who made it in the change's
 * transaction. */
int potw_staff_append(struct sqlite3 *db, hg_time now, const char *actor, const char *action,
		      const char *detail);

#endif
