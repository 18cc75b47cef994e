/* store_policy_sqlite.c: the plant store's version 5, the table of the
 * plant's policy.
 *
 * The policy is a table of the record (core/record.c's "policy": the
 * projection of policy_set and policy_unset), so the plant keeps it as it
 * keeps every station's and its own roster: rec_policy, keyed by the log's
 * station_id, written by sq_project() and rebuilt by verify.  A database
 * made by this program has it from the start (potw_store_record_schema());
 * one made at version 4 gets it here, cut from that same generated schema,
 * so the two cannot differ.  potw/store_sqlite.c's check_schema() calls
 * potw_sq_policy_migrate() on a version-4 file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "store_policy_sqlite.h"
#include "../core/report.h"

#define SCHEMA_MAX 16384	/* bytes of every rec_* CREATE TABLE */
#define TABLE_HEAD "CREATE TABLE main." POTW_REC_PREFIX "policy ("

static int fail(sqlite3 *db, const char *path, int r, const char *what)
{
	return hg_fail((r & 0xff) == SQLITE_BUSY ? HG_EBUSY : HG_EIO, "cannot %s: %s (%s)", what,
		       sqlite3_errmsg(db), path);
}

/* rec_policy's CREATE TABLE, cut from the generated schema, into out[cap]. */
static int policy_table(char *out, size_t cap)
{
	char *all = malloc(SCHEMA_MAX);
	const char *start, *end;
	int rc;

	if (!all)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = potw_store_record_schema(all, SCHEMA_MAX);
	start = rc ? NULL : strstr(all, TABLE_HEAD);
	end = start ? strstr(start, ") STRICT;") : NULL;
	if (!rc && (!end || (size_t)(end - start) + 10 > cap))
		rc = hg_fail(HG_EINVAL, "no table rec_policy in the record's schema (a bug)");
	if (!rc)
		snprintf(out, cap, "%.*s", (int)(end - start) + 9, start);
	free(all);
	return rc;
}

int potw_sq_policy_migrate(sqlite3 *db, const char *path)
{
	char sql[2048];
	sqlite3_stmt *s = NULL;
	long long ver = 0;
	int rc, r;

	rc = policy_table(sql, sizeof sql);
	if (rc)
		return rc;
	r = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (r != SQLITE_OK)
		return fail(db, path, r, "bring the database to version 5");
	r = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (r == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		ver = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (ver == 4) {
		r = sqlite3_exec(db, sql, NULL, NULL, NULL);
		if (r == SQLITE_OK)
			r = sqlite3_exec(db, "PRAGMA user_version = 5", NULL, NULL, NULL);
	}
	if (r == SQLITE_OK)
		r = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
	if (r != SQLITE_OK) {
		rc = fail(db, path, r, "bring the database to version 5 (the plant's policy)");
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	}
	return rc;
}
