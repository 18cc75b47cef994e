/* store_int.h: what the files of the store share, and nobody else sees.
 *
 * db/store.c      open, close, errors, statements, transactions, event log, verify
 * db/schema.c     the migrations and the "is this a haulgate database?" check
 * db/store_roster.c  haulers, cards, trucks, operators, card lookup, PIN state
 * db/store_load.c loads, samples, discharges, RV visits
 * db/store_list.c listings and the monthly report (struct table)
 * db/store_write.c the one writer of rows: an event and its projection
 *
 * A mutating function opens with store_begin(), checks, and ends with
 * store_finish(rc, its event): that appends the event, writes the rows
 * core/record.c says it makes (db/store_write.c), and commits when nothing
 * failed so far; otherwise it rolls back and returns the code, with the
 * words already given to hg_fail() by whoever failed first.  (store_end()
 * is the same without the event.) */
#ifndef STORE_INT_H
#define STORE_INT_H

#include <sqlite3.h>
#include <stdint.h>
#include <openssl/evp.h>
#include "store.h"
#include "../core/record.h"
#include "../core/report.h"

#define STORE_MAX_STMTS 128	/* cached prepared statements */

/* HaulGate DB: PRAGMA application_id of every haulgate database ("HGDB"). */
#define STORE_APP_ID 0x48474442

/* Statements made from row changes (store_apply()), keyed by their text. */
#define SQL_CACHE_MAX 64
struct sql_cache {
	int n;
	struct {
		char *sql;
		sqlite3_stmt *stmt;
	} c[SQL_CACHE_MAX];
};

struct stmt_slot {
	const char *sql;	/* the static SQL text: the key, by address */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	int in_tx;
	/* the chain's end as last committed by us (re-read in each transaction) */
	long long last_seq;
	uint8_t last_hash[32];
	/* the chain's end inside the open transaction */
	long long tx_seq;
	uint8_t tx_hash[32];
	int tx_head_read;
	EVP_MD *sha256;		/* fetched once: hashing a row costs no lookup */
	EVP_MD_CTX *md;
	int nstmt;
	struct stmt_slot stmts[STORE_MAX_STMTS];
	struct sql_cache writes;	/* store_apply() into the tables */
	int fail_in;		/* store_fail_commit: commits until one fails; 0 none */
	int fail_forever;
};

/* Map an sqlite result code to an HG_E* code with the message
 * "cannot <what>: <the reason in plain words>" (hg_fail()). */
int store_sqlerr(struct store *st, int rc, const char *what);
/* store_sqlerr() for any connection db (db/listing.c's, the plant's). */
int store_dberr(sqlite3 *db, int rc, const char *what);

/* The cached statement for the static SQL text sql, reset and unbound.
 * sql must be a string with static storage: its address is the key. */
int store_stmt(struct store *st, const char *sql, sqlite3_stmt **out);
/* store_stmt() with ?1 bound to the text key. */
int store_stmt_text(struct store *st, const char *sql, const char *key, sqlite3_stmt **out);
/* store_stmt_text() stepped to its first row: *found = 1 with *out on the
 * row (the caller reads it, then resets *out), or 0 when there is none. */
int store_row_text(struct store *st, const char *sql, const char *key, const char *what,
		   sqlite3_stmt **out, int *found);
/* Step a statement that returns no row (or whose row is ignored) and reset it. */
int store_run(struct store *st, sqlite3_stmt *s, const char *what);
/* Run a statement whose first column is one integer; *out = 0 when no row. */
int store_int(struct store *st, sqlite3_stmt *s, const char *what, long long *out);
/* The sources of load no, in their order, added to m (db/store_load.c);
 * inside a read or write transaction. */
int store_load_sources(struct store *st, long long no, struct manifest *m);

int store_begin(struct store *st);	/* BEGIN IMMEDIATE */
int store_commit(struct store *st);	/* COMMIT (rolls back if that fails) */
void store_rollback(struct store *st);	/* keeps the message already set */
int store_begin_read(struct store *st);	/* BEGIN (deferred): a consistent read */
void store_end_read(struct store *st);

/* Append an event inside the open transaction. */
int store_event_add(struct store *st, hg_time ts, const char *type, long long load_no,
		    const char *actor, const char *detail);

struct cJSON;
/* The same with the JSON object j printed as the detail.  j is freed here;
 * NULL (cJSON ran out of memory) is HG_ENOMEM. */
int store_event_json(struct store *st, hg_time ts, const char *type, long long load_no,
		     const char *actor, struct cJSON *j);
/* End the open transaction: commit when rc is HG_OK, else roll back and
 * return rc. */
int store_end(struct store *st, int rc);

/* ---- db/store_write.c: the rows, written as the projection of their events ---- */

struct rec_change;
/* One event of a write: its detail is a JSON object text (NULL = none). */
struct store_ev {
	hg_time ts;
	const char *type;
	long long load_no;
	const char *detail;
};
/* Inside the open transaction: append ev[0..n) to the chain and write the
 * rows they make (record_project()) into the tables.  An update of a row
 * that an earlier event of the same write inserts is folded into that
 * insert.  secret, when not NULL, is the value of the column outside the
 * record (the PIN hash) of the first row the first event inserts.  An update
 * that finds no row is HG_ENOTFOUND (check first: the words are a bug's). */
int store_write(struct store *st, const struct store_ev *ev, int n, const char *actor,
		const char *secret);
/* End a mutation: when rc is HG_OK, store_write() the event with j printed as
 * its detail, and commit; on rc or any failure roll back.  j is freed here in
 * every case.  Returns rc or the first failure. */
int store_finish(struct store *st, int rc, hg_time ts, const char *type, long long load_no,
		 const char *actor, struct cJSON *j);
/* store_finish() of an event that inserts row id (no load number) with its
 * secret (store_write()); then *id_out = id when it committed and id_out is
 * not NULL. */
int store_finish_insert(struct store *st, int rc, long long id, hg_time ts, const char *type,
			const char *actor, struct cJSON *j, const char *secret, long long *id_out);
/* The id the next row of table will have (max + 1, what sqlite gives), to
 * put in the event that inserts it. */
int store_next_id(struct store *st, const char *table, long long *id);
/* Run sql (a count with ?1 = id, static text); 0 is HG_ENOTFOUND with the
 * words "<none> <id>". */
int store_need(struct store *st, const char *sql, long long id, const char *none);
/* Write change c into the tables of schema ("main", or verify's "replay")
 * with a statement made from it (cached in cache); *changed = rows changed.
 * With refused not NULL, a row a constraint refuses sets *refused and is no
 * failure (verify reports it). */
int store_apply(struct store *st, struct sql_cache *cache, const char *schema,
		const struct rec_change *c, int *changed, int *refused);
/* Append printf text to sql[STORE_SQL_MAX] at *len; 0, or -1 when it does
 * not fit (the SQL made from a change or a table of the record). */
#define STORE_SQL_MAX 4096
int store_sql_cat(char *sql, size_t *len, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void store_cache_reset(struct sql_cache *cache);	/* reset every statement */
void store_cache_free(struct sql_cache *cache);		/* finalize them */

/* A detail given from outside the store must be a JSON object text or
 * NULL/"": HG_EINVAL otherwise.  (Details the store builds need no check.) */
int store_check_detail(const char *detail);

/* Bind text (NULL binds ""), an integer, or an integer where 0 binds NULL. */
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
int store_bind_nz(sqlite3_stmt *s, int i, long long v);

/* Copy column col of the current row into dst[cap]; a value that does not fit
 * (an edited database) is HG_ECORRUPT with a message naming it. */
int store_col_text(sqlite3_stmt *s, int col, char *dst, size_t cap,
		   const char *what);

/* Columns col to col + 3 of the current row as a source's name, address,
 * type of industry and town (store_col_text). */
int store_col_source(sqlite3_stmt *s, int col, struct source *src);

/* Check a field on its way in: text_check() with limit max characters;
 * name says which field in the message.  HG_EINVAL when it fails. */
int store_check_text(const char *name, const char *v, int max, int required);
/* "" or a valid YYYY-MM-DD. */
int store_check_date(const char *name, const char *v);

/* Does a row with this id exist?  HG_ENOTFOUND with "no <what> with id N". */
int store_need_hauler(struct store *st, long long id);
int store_need_operator(struct store *st, long long id);

/* JSON detail helpers (cJSON); the text is freed with store_json_free(). */
char *store_json_print(struct cJSON *obj);
void store_json_free(char *s);

/* db/schema.c */
int schema_current(void);
/* Look at the file without writing to it: HG_OK with *version (0 = empty,
 * to be created) or HG_ECORRUPT (hg_fail() says why). */
int schema_check(sqlite3 *db, const char *path, int create, int *version);
/* Apply the migrations after version, each in its own transaction. */
int schema_migrate(sqlite3 *db, int version);

#endif
