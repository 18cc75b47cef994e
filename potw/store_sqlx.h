/* store_sqlx.h: what the plant's own sqlite tables share (potw/store_sqlx.c):
 * the store's connection taken under its mutex, one statement prepared,
 * run and finished, a transaction's words.  For the files that keep the
 * plant's own records beside store_sqlite.c (store_users.c, store_lab.c,
 * store_fees.c); every function returns HG_OK or a negative HG_E* code
 * with its words in hg_error_text(). */
#ifndef POTW_STORE_SQLX_H
#define POTW_STORE_SQLX_H

#include <stddef.h>

#include <sqlite3.h>

#include "store.h"

/* Prepare sql on st's sqlite connection (*db) with st->mu taken; every
 * return but an error's leaves it taken until potw_sqx_done().  HG_EINVAL
 * when st is not an sqlite store. */
int potw_sqx_start(struct potw_store *st, const char *sql, sqlite3 **db, sqlite3_stmt **k);
/* Finalize k, release st->mu, return rc. */
int potw_sqx_done(struct potw_store *st, sqlite3_stmt *k, int rc);
/* As potw_sqx_start(), the statement prepared once and kept
 * (potw_sq_kept()): for what every request asks (the session).  End it
 * with potw_sqx_done_kept(), or sqlite3_reset() it and go on. */
int potw_sqx_start_kept(struct potw_store *st, const char *sql, sqlite3 **db, sqlite3_stmt **k);
/* Reset a kept k, release st->mu, return rc. */
int potw_sqx_done_kept(struct potw_store *st, sqlite3_stmt *k, int rc);
/* A write's end: COMMIT when rc is HG_OK (else, or when it fails,
 * ROLLBACK), potw_sqx_done(), then the commit synced
 * (potw_store_durable()): on disk before the caller says it is kept. */
int potw_sqx_commit(struct potw_store *st, sqlite3 *db, sqlite3_stmt *k, int rc);
/* sql run whole (no rows wanted). */
int potw_sqx_exec(sqlite3 *db, const char *sql);
/* k stepped once: a row or its end.  HG_EEXIST on a constraint. */
int potw_sqx_run(sqlite3 *db, sqlite3_stmt *k);
/* HG_EIO with what and sqlite's words. */
int potw_sqx_fail(sqlite3 *db, const char *what);
/* s (NULL: "") bound as text to parameter i. */
void potw_sqx_text(sqlite3_stmt *k, int i, const char *s);
/* Column col as text into out[cap] (NULL: ""), cut at a character. */
void potw_sqx_copy(sqlite3_stmt *k, int col, char *out, size_t cap);
/* Column col as text, "" for NULL: valid until the next step. */
const char *potw_sqx_col(sqlite3_stmt *k, int col);

#endif
