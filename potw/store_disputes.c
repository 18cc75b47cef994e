/* store_disputes.c: the disputes raised on the receipt check, and what that
 * check reads of a load (store_disputes.h), in the plant's sqlite database.
 *
 * The connection is store_sqlite.c's (potw_store_sqlite_db()), taken under
 * the store's mutex as potw/store_users.c does; a raise and an answer are
 * each one BEGIN IMMEDIATE transaction with their staff log entry
 * (potw_staff_append()), synced before it returns (lock_end()).  An answer
 * only ever fills the answer's columns of an open dispute (UPDATE ... WHERE
 * outcome = 'open'): a dispute answered is never answered again, and
 * nothing here writes a load's rows or events.  Start reading at
 * potw_dispute_add(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store_disputes.h"
#include "store_int.h"
#include "store_sqlite_ext.h"
#include "../core/manifest.h"
#include "../core/report.h"
#include "../core/text.h"

#define SELECT_DISPUTE \
	"SELECT id, station, load_no, receipt, what, contact, addr, raised, outcome, " \
	"answer, answered_by, answered FROM disputes "

const char potw_disputes_schema[] =
	/* a hauler's word that a record is wrong, kept beside the record */
	"CREATE TABLE disputes (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  station TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL,\n"
	"  receipt TEXT NOT NULL,\n"
	"  what TEXT NOT NULL,\n"
	"  contact TEXT NOT NULL,\n"
	"  addr TEXT NOT NULL,\n"
	"  raised INTEGER NOT NULL,\n"
	"  outcome TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'stands', 'wrong')),\n"
	"  answer TEXT NOT NULL DEFAULT '',\n"
	"  answered_by TEXT NOT NULL DEFAULT '',\n"
	"  answered INTEGER NOT NULL DEFAULT 0\n"
	") STRICT;\n"
	"CREATE INDEX disputes_open ON disputes(outcome, id);\n"
	"CREATE INDEX disputes_addr ON disputes(addr, raised);\n";

static const char *const outcome_names[] = { "open", "stands", "wrong" };

const char *potw_outcome_name(enum potw_outcome o)
{
	return (unsigned)o < HG_ARRAY_LEN(outcome_names) ? outcome_names[o] : "";
}

enum potw_outcome potw_outcome_parse(const char *s)
{
	if (s && !strcmp(s, "stands"))
		return POTW_OUTCOME_STANDS;
	if (s && !strcmp(s, "wrong"))
		return POTW_OUTCOME_WRONG;
	return POTW_OUTCOME_OPEN;
}

/* ---- the connection ---- */

/* st's connection with st->mu taken (lock_end() gives it back), or NULL
 * (said) for another backend. */
static sqlite3 *lock_db(struct potw_store *st)
{
	sqlite3 *db = potw_store_sqlite_db(st);

	if (!db) {
		hg_fail(HG_EINVAL, "disputes need the sqlite store");
		return NULL;
	}
	pthread_mutex_lock(&st->mu);
	return db;
}

/* Finalize k, end a transaction opened (COMMIT when rc is HG_OK, else
 * ROLLBACK), give st->mu back; a commit synced (potw_store_durable())
 * before it returns, so a dispute is on disk before it is said kept; rc. */
static int lock_end(struct potw_store *st, sqlite3 *db, sqlite3_stmt *k, int in_tx, int rc)
{
	sqlite3_finalize(k);
	if (in_tx && !rc && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = hg_fail(HG_EIO, "cannot commit: %s", sqlite3_errmsg(db));
	if (in_tx && rc)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	pthread_mutex_unlock(&st->mu);
	if (in_tx && !rc)
		rc = potw_store_durable(st);
	return rc;
}

static int prep(sqlite3 *db, const char *sql, sqlite3_stmt **k)
{
	if (sqlite3_prepare_v2(db, sql, -1, k, NULL) != SQLITE_OK)
		return hg_fail(HG_EIO, "cannot prepare a statement: %s", sqlite3_errmsg(db));
	return HG_OK;
}

static void put(sqlite3_stmt *k, int i, const char *s)
{
	sqlite3_bind_text(k, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

static void get(sqlite3_stmt *k, int col, char *out, size_t cap)
{
	const char *s = (const char *)sqlite3_column_text(k, col);

	text_copy(out, cap, s ? s : "");
}

/* Is s text of 1 to max characters?  Line breaks (LF) are kept: each
 * counts as one character and is checked as a space. */
static int text_ok(const char *s, int max)
{
	char one[HG_BUF(POTW_DISPUTE_ANSWER_MAX)];
	size_t n = s ? strlen(s) : 0;

	if (!n || n >= sizeof one)
		return 0;
	for (size_t i = 0; i <= n; i++)
		one[i] = s[i] == '\n' ? ' ' : s[i];
	return text_check(one, max, 1) == TEXT_OK;
}

/* ---- raise, answer ---- */

/* st's connection locked, BEGIN IMMEDIATE, sql prepared into *k: HG_OK
 * (lock_end(..., 1, rc) ends it all), or an error with nothing held. */
static int write_begin(struct potw_store *st, const char *sql, sqlite3 **db, sqlite3_stmt **k)
{
	int rc;

	*k = NULL;
	*db = lock_db(st);
	if (!*db)
		return HG_EINVAL;
	if (sqlite3_exec(*db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		rc = hg_fail(HG_EBUSY, "cannot begin: %s", sqlite3_errmsg(*db));
		return lock_end(st, *db, NULL, 0, rc);
	}
	rc = prep(*db, sql, k);
	return rc ? lock_end(st, *db, *k, 1, rc) : HG_OK;
}

int potw_dispute_add(struct potw_store *st, const struct potw_dispute *d, hg_time now,
		     long long *id)
{
	char detail[POTW_STAFF_TEXT_MAX];
	sqlite3_stmt *k = NULL;
	sqlite3 *db;
	int rc;

	if (!text_ok(d->what, POTW_DISPUTE_WHAT_MAX) ||
	    !text_ok(d->contact, POTW_DISPUTE_CONTACT_MAX))
		return hg_fail(HG_EINVAL, "a dispute says what is wrong (1 to %d characters) and "
			       "how to reach its author (1 to %d)", POTW_DISPUTE_WHAT_MAX,
			       POTW_DISPUTE_CONTACT_MAX);
	if (!potw_station_id_ok(d->station) || d->load_no < 1)
		return hg_fail(HG_EINVAL, "a dispute names a station's load");
	rc = write_begin(st, "INSERT INTO disputes (station, load_no, receipt, what, contact, "
			 "addr, raised) VALUES (?, ?, ?, ?, ?, ?, ?)", &db, &k);
	if (rc)
		return rc;
	put(k, 1, d->station);
	sqlite3_bind_int64(k, 2, d->load_no);
	put(k, 3, d->receipt);
	put(k, 4, d->what);
	put(k, 5, d->contact);
	put(k, 6, d->addr);
	sqlite3_bind_int64(k, 7, now);
	if (sqlite3_step(k) != SQLITE_DONE)
		return lock_end(st, db, k, 1, hg_fail(HG_EIO, "cannot record the dispute: %s",
							sqlite3_errmsg(db)));
	*id = sqlite3_last_insert_rowid(db);
	snprintf(detail, sizeof detail, "dispute=%lld station=%s load=%lld from=%s", *id,
		 d->station, d->load_no, d->addr);
	rc = potw_staff_append(db, now, POTW_DISPUTE_ACTOR, "dispute.raise", detail);
	return lock_end(st, db, k, 1, rc);
}

int potw_dispute_answer(struct potw_store *st, long long id, enum potw_outcome outcome,
			const char *answer, const char *login, hg_time now)
{
	char detail[POTW_STAFF_TEXT_MAX];
	sqlite3_stmt *k = NULL;
	sqlite3 *db;
	int rc;

	if (outcome == POTW_OUTCOME_OPEN || !potw_outcome_name(outcome)[0] ||
	    !text_ok(answer, POTW_DISPUTE_ANSWER_MAX))
		return hg_fail(HG_EINVAL, "an answer says whether the record stands or is wrong, "
			       "in 1 to %d characters", POTW_DISPUTE_ANSWER_MAX);
	rc = write_begin(st, "UPDATE disputes SET outcome = ?, answer = ?, answered_by = ?, "
			 "answered = ? WHERE id = ? AND outcome = 'open'", &db, &k);
	if (rc)
		return rc;
	put(k, 1, potw_outcome_name(outcome));
	put(k, 2, answer);
	put(k, 3, login);
	sqlite3_bind_int64(k, 4, now);
	sqlite3_bind_int64(k, 5, id);
	if (sqlite3_step(k) != SQLITE_DONE)
		return lock_end(st, db, k, 1, hg_fail(HG_EIO, "cannot answer the dispute: %s",
							sqlite3_errmsg(db)));
	if (sqlite3_changes(db) != 1) {
		sqlite3_finalize(k);
		k = NULL;
		rc = prep(db, "SELECT 1 FROM disputes WHERE id = ?", &k);
		if (!rc) {
			sqlite3_bind_int64(k, 1, id);
			rc = sqlite3_step(k) == SQLITE_ROW ?
			     hg_fail(HG_EEXIST, "dispute %lld is answered already", id) :
			     hg_fail(HG_ENOTFOUND, "no dispute %lld", id);
		}
		return lock_end(st, db, k, 1, rc);
	}
	snprintf(detail, sizeof detail, "dispute=%lld outcome=%s", id, potw_outcome_name(outcome));
	rc = potw_staff_append(db, now, login, "dispute.answer", detail);
	return lock_end(st, db, k, 1, rc);
}

/* ---- reading ---- */

static void read_dispute(sqlite3_stmt *k, struct potw_dispute *d)
{
	memset(d, 0, sizeof *d);
	d->id = sqlite3_column_int64(k, 0);
	get(k, 1, d->station, sizeof d->station);
	d->load_no = sqlite3_column_int64(k, 2);
	get(k, 3, d->receipt, sizeof d->receipt);
	get(k, 4, d->what, sizeof d->what);
	get(k, 5, d->contact, sizeof d->contact);
	get(k, 6, d->addr, sizeof d->addr);
	d->raised = sqlite3_column_int64(k, 7);
	d->outcome = potw_outcome_parse((const char *)sqlite3_column_text(k, 8));
	get(k, 9, d->answer, sizeof d->answer);
	get(k, 10, d->answered_by, sizeof d->answered_by);
	d->answered = sqlite3_column_int64(k, 11);
}

int potw_dispute_get(struct potw_store *st, long long id, struct potw_dispute *out)
{
	sqlite3_stmt *k = NULL;
	sqlite3 *db = lock_db(st);
	int rc, r;

	if (!db)
		return HG_EINVAL;
	rc = prep(db, SELECT_DISPUTE "WHERE id = ?", &k);
	if (rc)
		return lock_end(st, db, k, 0, rc);
	sqlite3_bind_int64(k, 1, id);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		read_dispute(k, out);
	rc = r == SQLITE_ROW ? HG_OK : r == SQLITE_DONE ?
	     hg_fail(HG_ENOTFOUND, "no dispute %lld", id) :
	     hg_fail(HG_EIO, "cannot read the disputes: %s", sqlite3_errmsg(db));
	return lock_end(st, db, k, 0, rc);
}

int potw_disputes_each(struct potw_store *st, int open_only,
		       int (*fn)(const struct potw_dispute *d, void *ctx), void *ctx)
{
	struct potw_dispute *d;
	sqlite3_stmt *k = NULL;
	sqlite3 *db;
	int rc, r;

	d = malloc(sizeof *d);
	if (!d)
		return hg_fail(HG_ENOMEM, "out of memory");
	db = lock_db(st);
	if (!db) {
		free(d);
		return HG_EINVAL;
	}
	rc = prep(db, open_only ? SELECT_DISPUTE "WHERE outcome = 'open' ORDER BY id" :
		  SELECT_DISPUTE "ORDER BY id", &k);
	while (!rc && (r = sqlite3_step(k)) == SQLITE_ROW) {
		read_dispute(k, d);
		rc = fn(d, ctx);
	}
	if (!rc && r != SQLITE_DONE)
		rc = hg_fail(HG_EIO, "cannot read the disputes: %s", sqlite3_errmsg(db));
	free(d);
	return lock_end(st, db, k, 0, rc);
}

int potw_disputes_from(struct potw_store *st, const char *addr, hg_time since, long long *n)
{
	sqlite3_stmt *k = NULL;
	sqlite3 *db = lock_db(st);
	int rc;

	if (!db)
		return HG_EINVAL;
	rc = prep(db, "SELECT count(*) FROM disputes WHERE addr = ? AND raised > ?", &k);
	if (!rc) {
		put(k, 1, addr);
		sqlite3_bind_int64(k, 2, since);
		if (sqlite3_step(k) == SQLITE_ROW)
			*n = sqlite3_column_int64(k, 0);
		else
			rc = hg_fail(HG_EIO, "cannot count disputes: %s", sqlite3_errmsg(db));
	}
	return lock_end(st, db, k, 0, rc);
}

/* ---- what the receipt check reads ---- */

int potw_receipt_load(struct potw_store *st, const char *station, long long load_no,
		      struct load_rec *out)
{
	sqlite3_stmt *k = NULL;
	sqlite3 *db = lock_db(st);
	char waste[32];
	int rc, r;

	memset(out, 0, sizeof *out);
	if (!db)
		return HG_EINVAL;
	rc = prep(db, "SELECT station, t_decided, gallons, waste, permit FROM "
		  POTW_REC_PREFIX "loads WHERE " POTW_REC_STATION " = ? AND load_no = ?", &k);
	if (rc)
		return lock_end(st, db, k, 0, rc);
	put(k, 1, station);
	sqlite3_bind_int64(k, 2, load_no);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		out->load_no = load_no;
		get(k, 0, out->station, sizeof out->station);
		out->t.decided = sqlite3_column_int64(k, 1);
		out->m.gallons = (long)sqlite3_column_int64(k, 2);
		get(k, 3, waste, sizeof waste);
		out->m.waste = waste_parse(waste);
		get(k, 4, out->m.permit, sizeof out->m.permit);
	}
	rc = r == SQLITE_ROW ? HG_OK : r == SQLITE_DONE ?
	     hg_fail(HG_ENOTFOUND, "station '%s' has no load %lld here", station, load_no) :
	     hg_fail(HG_EIO, "cannot read the loads: %s", sqlite3_errmsg(db));
	return lock_end(st, db, k, 0, rc);
}

int potw_receipt_event(struct potw_store *st, const char *station, long long load_no,
		       const char *type, long long *seq)
{
	sqlite3_stmt *k = NULL;
	sqlite3 *db = lock_db(st);
	int rc, r;

	if (!db)
		return HG_EINVAL;
	rc = prep(db, "SELECT min(seq) FROM events INDEXED BY events_load "
		  "WHERE station = ? AND load_no = ? AND type = ?", &k);
	if (rc)
		return lock_end(st, db, k, 0, rc);
	put(k, 1, station);
	sqlite3_bind_int64(k, 2, load_no);
	put(k, 3, type);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW && sqlite3_column_type(k, 0) == SQLITE_INTEGER)
		*seq = sqlite3_column_int64(k, 0);
	rc = r == SQLITE_ROW ? (sqlite3_column_type(k, 0) == SQLITE_INTEGER ? HG_OK :
				hg_fail(HG_ENOTFOUND, "no %s event of load %lld", type, load_no)) :
	     hg_fail(HG_EIO, "cannot read the events: %s", sqlite3_errmsg(db));
	return lock_end(st, db, k, 0, rc);
}

/* ---- the schema's version ---- */

int potw_sq_disputes_migrate(sqlite3 *db, const char *path)
{
	return potw_sq_migrate(db, path, POTW_DISPUTES_VERSION - 1, potw_disputes_schema,
			       "the disputes");
}
