/* store_sqlite_int.h: the sqlite store's own parts, shared by
 * potw/store_sqlite.c (the connection, the events, the tree, the stations)
 * and potw/store_rows_sqlite.c (the rows rebuilt from the events to verify
 * them).  Only those two files include it. */
#ifndef POTW_STORE_SQLITE_INT_H
#define POTW_STORE_SQLITE_INT_H

#include <stddef.h>

#include <sqlite3.h>

#include "store_int.h"
#include "store_sqlite_wal.h"
#include "../core/record.h"

#define STMT_CACHE 64		/* statements kept prepared (sq_project, potw_sq_kept) */
#define REC_SQL_MAX 4096	/* bytes of one row statement */
#define REC_SCHEMA_MAX 16384	/* bytes of the rec_* CREATE TABLEs */

/* The statements of fixed text, each prepared once per connection and
 * kept (stmt()): the batch's path prepares nothing. */
enum stmt_id {
	S_STATION_GET,
	S_STATION_TAKEN,
	S_STATION_ADD,
	S_STATION_RETIRE,
	S_STATION_EXISTS,
	S_STATION_RETIRED,
	S_STATION_TOUCH,
	S_LAST_EVENT,
	S_EVENT_HASH,
	S_EVENT_PUT,
	S_FORK_PUT,
	S_NODE_PUT,
	S_NODE_GET,
	S_CHECKPOINT_ROOT,
	S_CHECKPOINT_PUT,
	S_CHECKPOINT_LATEST,
	S_CHECKPOINT_BELOW,
	S_CHECKPOINT_OF,
	S_LOG_STATE,
	S_LOG_OPEN,
	S_ROSTER_UID,
	S_COUNT
};

/* Statements kept prepared, found by their SQL text (cache_get()). */
struct stmt_cache {
	int n;
	struct {
		char *sql;
		sqlite3_stmt *k;
	} c[STMT_CACHE];
};

struct sq {
	struct potw_store base;	/* first: the part store.c reads */
	sqlite3 *db;
	char path[256];
	struct potw_wal *wal;	/* group commit and checkpoints (store_sqlite_wal.c) */
	char txn_id[POTW_STATION_ID_MAX + 1];	/* whose log the open transaction writes */
	sqlite3_stmt *fixed[S_COUNT];	/* stmt_sql[]'s, prepared on first use */
	struct stmt_cache cache;	/* the rows' statements and potw_sq_kept()'s */
};

/* sql run whole; HG_EBUSY or HG_EIO said with the file's path. */
int sq_exec(struct sq *q, const char *sql);
/* code, said as what with sqlite's words and the file's path. */
int sq_db_fail(struct sq *q, int code, const char *what);
/* sql prepared on q's connection into *s (finalized by the caller). */
int sq_prepare(struct sq *q, const char *sql, sqlite3_stmt **s);
/* printf at out + *len (cap in all), *len moved on; non-zero when cut. */
int sq_cat(char *out, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The rec_* CREATE TABLEs in database db ("main", "scratch") into out. */
int sq_record_schema(const char *db, char *out, size_t cap);
/* The SQL of row change c on database db into sql; non-zero when cut. */
int sq_change_sql(const struct rec_change *c, const char *db, char *sql, size_t cap);
/* Bind c's values (station id first) to k and run it. */
int sq_run_change(struct sq *q, sqlite3_stmt *k, const char *id, const struct rec_change *c);
/* The prepared statement of sql on q's connection, from c or made and
 * kept there (flags: sqlite3_prepare_v3()'s), reset with its bindings
 * cleared. */
int sq_cache_get(struct sq *q, struct stmt_cache *c, const char *sql, unsigned flags,
		 sqlite3_stmt **out);
/* Every statement of c finalized, c emptied. */
void sq_cache_free(struct stmt_cache *c);

/* One number from sql with ?1 = id (and ?2 = after, when sql has it). */
int sq_count_of(struct sq *q, const char *sql, const char *id, long long after, long long *n);

/* The store's rows_check (potw/store.h): potw/store_rows_sqlite.c. */
int sq_rows_check(struct potw_store *st, const char *id, long long after,
		  struct potw_rows_check *out);

#endif
