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
#include "store_sqlx.h"
#include "../core/report.h"

#define SCHEMA_MAX 16384	/* bytes of every rec_* CREATE TABLE */
#define TABLE_HEAD "CREATE TABLE main." POTW_REC_PREFIX "policy ("

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
	int rc;

	rc = policy_table(sql, sizeof sql);
	if (rc)
		return rc;
	return potw_sqx_migrate(db, path, 4, sql, "the plant's policy");
}
