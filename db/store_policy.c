/* store_policy.c: the plant's policy as this station keeps it, read for
 * the station to lay over station.ini (station/plant_policy.c).  The rows
 * are the projection of the plant's policy_set and policy_unset events,
 * written when the roster is applied (db/store_sync.c); nothing here
 * writes.  Start reading at store_policy_read(). */
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "store_policy.h"

/* Column col of s as text into out[cap]; too long is HG_ECORRUPT. */
static int col_text(sqlite3_stmt *s, int col, char *out, size_t cap)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, col) : 0;

	if (n >= cap)
		return hg_fail(HG_ECORRUPT, "a value of the plant's policy is longer than %zu "
			       "bytes (the database was edited?)", cap - 1);
	memcpy(out, t ? (const char *)t : "", n);
	out[n] = '\0';
	return HG_OK;
}

int store_policy_read(struct store *st, const char *station_id, struct store_policy *rows,
		      int cap, int *n)
{
	static const char sql_one[] =
		"SELECT scope, section, key, value FROM policy WHERE active = 1 AND "
		"(scope = '*' OR scope = ?1) ORDER BY scope, section, key";
	static const char sql_all[] =
		"SELECT scope, section, key, value FROM policy WHERE active = 1 "
		"ORDER BY scope, section, key";
	sqlite3_stmt *s;
	int rc, r = SQLITE_DONE;

	*n = 0;
	rc = station_id ? store_stmt_text(st, sql_one, station_id, &s) : store_stmt(st, sql_all, &s);
	if (rc)
		return rc;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct store_policy *p = &rows[*n];

		if (*n == cap) {
			rc = hg_fail(HG_ETOOLONG, "the plant's policy holds more than %d values", cap);
			break;
		}
		rc = col_text(s, 0, p->scope, sizeof p->scope);
		if (!rc)
			rc = col_text(s, 1, p->section, sizeof p->section);
		if (!rc)
			rc = col_text(s, 2, p->key, sizeof p->key);
		if (!rc)
			rc = col_text(s, 3, p->value, sizeof p->value);
		if (!rc)
			(*n)++;
	}
	if (!rc && r != SQLITE_DONE)
		rc = store_sqlerr(st, r, "read the plant's policy");
	sqlite3_reset(s);
	return rc;
}
