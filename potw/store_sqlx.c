/* store_sqlx.c: the plant's own sqlite tables' shared steps (store_sqlx.h).
 *
 * The connection is store_sqlite.c's (potw_store_sqlite_db()), taken under
 * the store's mutex (st->mu, recursive: a server thread at a time between
 * BEGIN and COMMIT, as store.c does). */
#include <pthread.h>
#include <stdio.h>

#include "store_int.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "../core/report.h"
#include "../core/text.h"

int potw_sqx_fail(sqlite3 *db, const char *what)
{
	return hg_fail(HG_EIO, "%s: %s", what, sqlite3_errmsg(db));
}

int potw_sqx_start(struct potw_store *st, const char *sql, sqlite3 **db, sqlite3_stmt **k)
{
	*k = NULL;
	*db = potw_store_sqlite_db(st);
	if (!*db)
		return hg_fail(HG_EINVAL, "the plant's own records need the sqlite store");
	pthread_mutex_lock(&st->mu);
	if (sqlite3_prepare_v2(*db, sql, -1, k, NULL) != SQLITE_OK) {
		int rc = potw_sqx_fail(*db, "cannot prepare a statement");

		pthread_mutex_unlock(&st->mu);
		return rc;
	}
	return HG_OK;
}

int potw_sqx_start_kept(struct potw_store *st, const char *sql, sqlite3 **db, sqlite3_stmt **k)
{
	int rc;

	*k = NULL;
	*db = potw_store_sqlite_db(st);
	if (!*db)
		return hg_fail(HG_EINVAL, "the plant's own records need the sqlite store");
	pthread_mutex_lock(&st->mu);
	rc = potw_sq_kept(st, sql, k);
	if (rc)
		pthread_mutex_unlock(&st->mu);
	return rc;
}

int potw_sqx_done_kept(struct potw_store *st, sqlite3_stmt *k, int rc)
{
	if (k)
		sqlite3_reset(k);
	pthread_mutex_unlock(&st->mu);
	return rc;
}

int potw_sqx_done(struct potw_store *st, sqlite3_stmt *k, int rc)
{
	sqlite3_finalize(k);
	pthread_mutex_unlock(&st->mu);
	return rc;
}

int potw_sqx_commit(struct potw_store *st, sqlite3 *db, sqlite3_stmt *k, int rc)
{
	if (!rc)
		rc = potw_sqx_exec(db, "COMMIT");
	if (rc)
		potw_sqx_exec(db, "ROLLBACK");
	rc = potw_sqx_done(st, k, rc);
	return rc ? rc : potw_store_durable(st);	/* on disk before it is said */
}

int potw_sqx_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, sql);
	return HG_OK;
}

int potw_sqx_run(sqlite3 *db, sqlite3_stmt *k)
{
	int r = sqlite3_step(k);

	if (r == SQLITE_CONSTRAINT)
		return hg_fail(HG_EEXIST, "%s", sqlite3_errmsg(db));
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		return potw_sqx_fail(db, "cannot write");
	return HG_OK;
}

void potw_sqx_text(sqlite3_stmt *k, int i, const char *s)
{
	sqlite3_bind_text(k, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

const char *potw_sqx_col(sqlite3_stmt *k, int col)
{
	const char *s = (const char *)sqlite3_column_text(k, col);

	return s ? s : "";
}

void potw_sqx_copy(sqlite3_stmt *k, int col, char *out, size_t cap)
{
	text_copy(out, cap, potw_sqx_col(k, col));
}
