/* store_sqlite.c: the plant server's storage in one sqlite file.
 *
 * The default backend of potw/store.h (potw_store_sqlite).  The schema is
 * made whole by open with POTW_STORE_CREATE, in one transaction, and marked
 * with an application_id and a user_version that every later open checks.
 * The tables are shaped for what the server will hold (docs/POTW.md):
 * stations; each station's events as its db/ holds them, keyed by
 * (station, seq); checkpoints; forks, the versions of an event that differ
 * from the one held, kept as evidence.  Every call that writes is one
 * transaction (BEGIN IMMEDIATE: the write lock first, so two processes on
 * one file take turns, waiting up to busy_timeout), and uniqueness comes
 * from the keys: a second insert of a station or an event fails in the
 * database, not in a check before it.  It commits with synchronous=NORMAL
 * in WAL mode and makes the commits durable in groups, outside the store's
 * lock, when the caller asks (sq_durable(): store_sqlite_wal.c, which also
 * runs the checkpoints on a thread of their own; a POTW_STORE_READER handle,
 * the background verifier's, has neither and migrates nothing: WAL lets it
 * read beside the server's writer).  The connection is opened in
 * serialized mode, so the server's threads may share it (store.c's mutex
 * makes them take turns between a BEGIN and its COMMIT).  Beside them: the
 * tree's kept nodes (tree), and the plant's copy of every station's record
 * (rec_loads, rec_haulers, ...: record_tables[] of core/record.h with a
 * station_id column leading every key, the CREATE TABLEs generated from it by
 * potw_store_record_schema(), the rows written by sq_project() from
 * record_project()'s changes).  Statements are prepared once per
 * connection and kept: those of fixed text in stmt_sql[] (stmt()), the
 * generated row statements by their text (cached()); only the queries
 * whose rows go to a callback are prepared per call.  The rows rebuilt
 * from the events to verify them are potw/store_rows_sqlite.c's (the parts
 * both files use: store_sqlite_int.h).  Start reading at sq_open(). */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_days_sqlite.h"
#include "store_disputes.h"
#include "store_holds.h"
#include "store_int.h"
#include "store_loads_sqlite.h"
#include "store_lab_sqlite.h"
#include "store_policy_sqlite.h"
#include "store_sqlite_ext.h"
#include "store_sqlite_int.h"
#include "store_sqlite_wal.h"
#include "store_users.h"
#include "../core/report.h"

#define APP_ID 0x48475057	/* "HGPW" */
#define SCHEMA_VERSION 11	/* 2: tree, rec_* tables; 3: the listings' indexes; 4: staff
				 * accounts (store_users.c); 5: rec_policy; 6: the loads
				 * pages' filters' indexes (store_loads_sqlite.c); 7:
				 * disputes (store_disputes.c); 8: the lab records and
				 * fees (store_lab_sqlite.c); 9: legal holds
				 * (store_holds.c); 10: the loads' day sums
				 * (store_days_sqlite.c); 11: accounts disabled
				 * (store_users.c) */
#define BUSY_MS 10000

#define STATION_SELECT \
	"SELECT s.id, s.name, s.pubkey, s.added, s.retired, s.last_contact, " \
	"(SELECT max(seq) FROM events e WHERE e.station = s.id), " \
	"(SELECT count(*) FROM forks f WHERE f.station = s.id) FROM stations s "


static const char *const stmt_sql[S_COUNT] = {
	[S_STATION_GET] = STATION_SELECT "WHERE s.id = ?",
	[S_STATION_TAKEN] = "SELECT id FROM stations WHERE id = ? OR pubkey = ? "
		"ORDER BY id = ? DESC",
	[S_STATION_ADD] = "INSERT INTO stations (id, name, pubkey, added) VALUES (?, ?, ?, ?)",
	[S_STATION_RETIRE] = "UPDATE stations SET retired = ? WHERE id = ? AND retired IS NULL",
	[S_STATION_EXISTS] = "SELECT 1 FROM stations WHERE id = ?",
	[S_STATION_RETIRED] = "SELECT retired IS NOT NULL FROM stations WHERE id = ?",
	[S_STATION_TOUCH] = "UPDATE stations SET last_contact = ? WHERE id = ?",
	[S_LAST_EVENT] = "SELECT seq, hash FROM events WHERE station = ? ORDER BY seq DESC LIMIT 1",
	[S_EVENT_HASH] = "SELECT hash FROM events WHERE station = ? AND seq = ?",
	[S_EVENT_PUT] = "INSERT INTO events (station, seq, ts, type, load_no, actor, detail, "
		"prev_hash, hash, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	[S_FORK_PUT] = "INSERT INTO forks (station, held_hash, seq, ts, type, load_no, actor, "
		"detail, prev_hash, hash, received) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
		"ON CONFLICT (station, seq, hash) DO NOTHING",
	[S_NODE_PUT] = "INSERT INTO tree (station, level, idx, hash) VALUES (?, ?, ?, ?) "
		"ON CONFLICT DO NOTHING",
	[S_NODE_GET] = "SELECT hash FROM tree WHERE station = ? AND level = ? AND idx = ?",
	[S_CHECKPOINT_ROOT] = "SELECT root FROM checkpoints WHERE station = ? AND size = ?",
	[S_CHECKPOINT_PUT] = "INSERT INTO checkpoints (station, size, root, note, cosignature, "
		"received) VALUES (?, ?, ?, ?, ?, ?)",
	[S_CHECKPOINT_LATEST] = "SELECT size, root, received, note, cosignature FROM checkpoints "
		"WHERE station = ?1 AND ?2 = 0 ORDER BY size DESC LIMIT 1",
	[S_CHECKPOINT_BELOW] = "SELECT size, root, received, note, cosignature FROM checkpoints "
		"WHERE station = ?1 AND size < ?2 ORDER BY size DESC LIMIT 1",
	[S_CHECKPOINT_OF] = "SELECT size, root, received, note, cosignature FROM checkpoints "
		"WHERE station = ?1 AND size = ?2",
	[S_LOG_STATE] = "SELECT (SELECT max(seq) FROM events WHERE station = ?1), "
		"(SELECT hash FROM events WHERE station = ?1 ORDER BY seq DESC LIMIT 1), "
		"(SELECT seq FROM forks WHERE station = ?1 ORDER BY seq, id LIMIT 1), "
		"(SELECT received FROM forks WHERE station = ?1 ORDER BY seq, id LIMIT 1) "
		"FROM stations WHERE id = ?1",
	[S_LOG_OPEN] = "INSERT INTO stations (id, name, pubkey, added) VALUES (?, ?, ?, ?) "
		"ON CONFLICT (id) DO NOTHING",
	[S_ROSTER_UID] = "SELECT id, 0 FROM " POTW_REC_PREFIX "cards WHERE " POTW_REC_STATION
		" = ?1 AND uid = ?2 UNION ALL SELECT id, 1 FROM " POTW_REC_PREFIX "operators "
		"WHERE " POTW_REC_STATION " = ?1 AND uid = ?2",
};


void sq_cache_free(struct stmt_cache *c)
{
	for (int i = 0; i < c->n; i++) {
		sqlite3_finalize(c->c[i].k);
		free(c->c[i].sql);
	}
	c->n = 0;
}

static const char schema[] =
	"CREATE TABLE stations (\n"
	"  id TEXT PRIMARY KEY,\n"
	"  name TEXT NOT NULL,\n"
	"  pubkey BLOB NOT NULL UNIQUE CHECK (length(pubkey) = 32),\n"
	"  added INTEGER NOT NULL,\n"
	"  retired INTEGER,\n"			/* NULL while active */
	"  last_contact INTEGER\n"		/* NULL: never */
	") STRICT;\n"
	/* each station's log, exactly as its db/ events table holds it */
	"CREATE TABLE events (\n"
	"  station TEXT NOT NULL REFERENCES stations(id),\n"
	"  seq INTEGER NOT NULL CHECK (seq >= 1),\n"
	"  ts INTEGER NOT NULL,\n"
	"  type TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL DEFAULT 0,\n"
	"  actor TEXT NOT NULL DEFAULT '',\n"
	"  detail TEXT NOT NULL DEFAULT '',\n"
	"  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),\n"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
	"  received INTEGER NOT NULL,\n"
	"  PRIMARY KEY (station, seq)\n"
	") STRICT, WITHOUT ROWID;\n"
	/* the station's signed checkpoints (C2SP tlog-checkpoint, signed note)
	 * and the plant's cosignature of each */
	"CREATE TABLE checkpoints (\n"
	"  station TEXT NOT NULL REFERENCES stations(id),\n"
	"  size INTEGER NOT NULL CHECK (size >= 1),\n"
	"  root BLOB NOT NULL CHECK (length(root) = 32),\n"
	"  note TEXT NOT NULL,\n"
	"  cosignature TEXT NOT NULL DEFAULT '',\n"
	"  received INTEGER NOT NULL,\n"
	"  PRIMARY KEY (station, size)\n"
	") STRICT;\n"
	/* a version of event seq that is not the one held (held_hash), or,
	 * held_hash NULL, one that does not link to the event held before it:
	 * kept whole, as evidence */
	"CREATE TABLE forks (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  station TEXT NOT NULL REFERENCES stations(id),\n"
	"  seq INTEGER NOT NULL,\n"
	"  held_hash BLOB,\n"
	"  ts INTEGER NOT NULL,\n"
	"  type TEXT NOT NULL,\n"
	"  load_no INTEGER NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  detail TEXT NOT NULL,\n"
	"  prev_hash BLOB NOT NULL,\n"
	"  hash BLOB NOT NULL,\n"
	"  received INTEGER NOT NULL,\n"
	"  UNIQUE (station, seq, hash)\n"
	") STRICT;\n"
	"CREATE INDEX forks_station ON forks(station, seq);\n"
	/* the Merkle tree's complete subtrees at every POTW_NODE_EVERY-th
	 * level: leaves [idx << level, (idx + 1) << level) */
	"CREATE TABLE tree (\n"
	"  station TEXT NOT NULL REFERENCES stations(id),\n"
	"  level INTEGER NOT NULL,\n"
	"  idx INTEGER NOT NULL,\n"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32),\n"
	"  PRIMARY KEY (station, level, idx)\n"
	") STRICT, WITHOUT ROWID;\n";

int sq_db_fail(struct sq *q, int code, const char *what)
{
	return hg_fail(code, "%s: %s (%s)", what, sqlite3_errmsg(q->db), q->path);
}

int sq_exec(struct sq *q, const char *sql)
{
	char *msg = NULL;
	int r = sqlite3_exec(q->db, sql, NULL, NULL, &msg);

	if (r != SQLITE_OK) {
		hg_fail(r == SQLITE_BUSY ? HG_EBUSY : HG_EIO, "%s: %s (%s)",
			sql, msg ? msg : sqlite3_errstr(r), q->path);
		sqlite3_free(msg);
		return r == SQLITE_BUSY ? HG_EBUSY : HG_EIO;
	}
	return HG_OK;
}

int sq_prepare(struct sq *q, const char *sql, sqlite3_stmt **s)
{
	if (sqlite3_prepare_v2(q->db, sql, -1, s, NULL) != SQLITE_OK)
		return sq_db_fail(q, HG_EIO, "cannot prepare a statement");
	return HG_OK;
}

/* Statement id of q, prepared on its first use and kept until close, its
 * bindings cleared.  The caller sqlite3_reset()s it when done with it, as
 * it would finalize one of its own: a statement left stepped holds its read
 * snapshot, which keeps a checkpoint from finishing.  Not for a query whose
 * rows go to a callback (it could ask for the same statement again). */
static int stmt(struct sq *q, enum stmt_id id, sqlite3_stmt **out)
{
	if (!q->fixed[id] && sqlite3_prepare_v3(q->db, stmt_sql[id], -1,
						SQLITE_PREPARE_PERSISTENT, &q->fixed[id],
						NULL) != SQLITE_OK)
		return sq_db_fail(q, HG_EIO, "cannot prepare a statement");
	*out = q->fixed[id];
	sqlite3_reset(*out);
	sqlite3_clear_bindings(*out);
	return HG_OK;
}

/* One integer from sql (the first column of the first row). */
static int pragma_int(struct sq *q, const char *sql, long long *v)
{
	sqlite3_stmt *s;
	int rc = sq_prepare(q, sql, &s);

	if (rc)
		return rc;
	*v = 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		*v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return HG_OK;
}

static int handles(const char *where)
{
	return strstr(where, "://") == NULL;
}

static void sq_close(struct potw_store *st)
{
	struct sq *q = (struct sq *)st;
	int i;

	sqlite3_wal_hook(q->db, NULL, NULL);
	potw_wal_close(q->wal);		/* the last commits synced */
	sq_cache_free(&q->cache);
	for (i = 0; i < S_COUNT; i++)
		sqlite3_finalize(q->fixed[i]);
	sqlite3_close(q->db);
	free(q);
}

static int make_schema(struct sq *q)
{
	char sql[96];
	int rc;

	rc = sq_exec(q, "BEGIN IMMEDIATE");
	if (rc)
		return rc;
	rc = sq_exec(q, schema);
	if (!rc)
		rc = sq_exec(q, potw_users_schema);
	if (!rc)
		rc = sq_exec(q, potw_disputes_schema);
	if (rc)
		goto fail;
	{
		char *rec = malloc(REC_SCHEMA_MAX);

		rc = rec ? potw_store_record_schema(rec, REC_SCHEMA_MAX) : HG_ENOMEM;
		if (!rc)
			rc = sq_exec(q, rec);
		if (!rc)
			rc = listing_indexes(&potw_listing_source, rec, REC_SCHEMA_MAX);
		if (!rc)
			rc = sq_exec(q, rec);
		if (!rc)
			rc = listing_page_indexes(&potw_listing_source, rec, REC_SCHEMA_MAX);
		if (!rc)
			rc = sq_exec(q, rec);
		if (!rc)
			rc = sq_exec(q, POTW_SQ_EVENTS_LOAD);
		free(rec);
		if (!rc)	/* after rec_*: it indexes rec_loads */
			rc = sq_exec(q, potw_lab_schema);
		if (!rc)
			rc = sq_exec(q, potw_holds_schema);
		if (!rc)	/* after rec_loads: its triggers keep the sums */
			rc = sq_exec(q, potw_days_schema);
		if (rc)
			goto fail;
	}
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d; PRAGMA user_version = %d",
		 APP_ID, SCHEMA_VERSION);
	rc = sq_exec(q, sql);
	if (rc)
		goto fail;
	return sq_exec(q, "COMMIT");
fail:
	sq_exec(q, "ROLLBACK");
	return rc;
}

/* The schema's migrations, in order: each brings a file at version from
 * to from + 1 in its own transaction (and takes a file another process
 * brought there first as it is), so a file several versions old climbs
 * them one after the other. */
static const struct migration {
	long long from;
	int (*up)(sqlite3 *db, const char *path);
} migrations[] = {
	{ 4, potw_sq_policy_migrate },	/* 5: the plant's policy, store_policy_sqlite.c */
	{ 5, potw_sq_loads_migrate },	/* 6: the loads pages' indexes, store_loads_sqlite.c */
	{ POTW_DISPUTES_VERSION - 1, potw_sq_disputes_migrate },	/* 7: the disputes */
	{ 7, potw_sq_lab_migrate },	/* 8: the lab records and fees, store_lab_sqlite.c */
	{ POTW_HOLDS_VERSION - 1, potw_sq_holds_migrate },	/* 9: legal holds, store_holds.c */
	{ POTW_DAYS_VERSION - 1, potw_sq_days_migrate },	/* 10: the loads' day sums */
	{ POTW_USERS_DISABLED_VERSION - 1, potw_sq_users_disabled_migrate },	/* 11 */
};

static int check_schema(struct sq *q, int reader)
{
	long long app, ver;
	size_t i;
	int rc;

	rc = pragma_int(q, "PRAGMA application_id", &app);
	if (rc)
		return rc;
	rc = pragma_int(q, "PRAGMA user_version", &ver);
	if (rc)
		return rc;
	if (app != APP_ID)
		return hg_fail(HG_ECORRUPT, "'%s' is not a haulgate-potw database", q->path);
	for (i = 0; i < HG_ARRAY_LEN(migrations) && !reader; i++) {
		if (ver != migrations[i].from)
			continue;
		rc = migrations[i].up(q->db, q->path);
		if (rc)
			return rc;
		ver = migrations[i].from + 1;
	}
	if (ver != SCHEMA_VERSION)
		return hg_fail(HG_ECORRUPT, "'%s' has schema version %lld, this program reads %d",
			       q->path, ver, SCHEMA_VERSION);
	/* version 1 was the first slice's, never shipped: no migration */
	return HG_OK;
}

int potw_sq_migrate(sqlite3 *db, const char *path, int from, const char *sql, const char *what)
{
	char *msg = NULL, bump[48];
	sqlite3_stmt *s = NULL;
	long long ver = 0;
	int r;

	snprintf(bump, sizeof bump, "PRAGMA user_version = %d", from + 1);
	r = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (r == SQLITE_OK)
		r = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL);
	if (r == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		ver = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (r == SQLITE_OK && ver == from) {	/* else another process did it first */
		r = sqlite3_exec(db, sql, NULL, NULL, &msg);
		if (r == SQLITE_OK)
			r = sqlite3_exec(db, bump, NULL, NULL, &msg);
	}
	if (r == SQLITE_OK)
		r = sqlite3_exec(db, "COMMIT", NULL, NULL, &msg);
	if (r == SQLITE_OK)
		return HG_OK;
	hg_fail((r & 0xff) == SQLITE_BUSY ? HG_EBUSY : HG_EIO, "cannot bring the database to "
		"version %d (%s): %s (%s)", from + 1, what, msg ? msg : sqlite3_errmsg(db), path);
	sqlite3_free(msg);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return (r & 0xff) == SQLITE_BUSY ? HG_EBUSY : HG_EIO;
}

/* A new file at path, made here (O_EXCL): an existing one is never taken. */
static int create_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno == EEXIST)
		return hg_fail(HG_EEXIST, "the database '%s' exists already; it is never "
			       "overwritten (move it away to start anew)", path);
	if (fd < 0)
		return hg_fail(HG_EIO, "cannot make the database '%s': %s", path, strerror(errno));
	close(fd);
	return HG_OK;
}

static int sq_open(const char *where, int flags, struct potw_store **out)
{
	struct sq *q;
	int rc, made = 0;

	if (strlen(where) >= sizeof q->path)
		return hg_fail(HG_ETOOLONG, "database path too long: '%.60s...'", where);
	if (flags & POTW_STORE_CREATE) {
		rc = create_file(where);
		if (rc)
			return rc;
		made = 1;
	} else if (access(where, F_OK) != 0 && errno == ENOENT) {
		return hg_fail(HG_ENOTFOUND, "no database at '%s': run 'haulgate-potw init' first",
			       where);
	}
	q = calloc(1, sizeof *q);
	if (!q) {
		rc = hg_fail(HG_ENOMEM, "out of memory");
		goto fail;
	}
	q->base.ops = &potw_store_sqlite;
	memcpy(q->path, where, strlen(where) + 1);
	if (sqlite3_open_v2(where, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
			    NULL) != SQLITE_OK) {
		rc = sq_db_fail(q, HG_EIO, "cannot open the database");
		goto fail;
	}
	sqlite3_busy_timeout(q->db, BUSY_MS);
	/* NORMAL: a commit is durable once potw_wal_durable() says so (the
	 * server's answer waits for it), not inside the transaction */
	if (flags & POTW_STORE_READER) {	/* the server's handle made the file WAL */
		rc = check_schema(q, 1);
		if (rc)
			goto fail;
		*out = &q->base;
		return HG_OK;
	}
	rc = sq_exec(q, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; "
		  "PRAGMA foreign_keys = ON");
	if (rc)
		goto fail;
	rc = made ? make_schema(q) : check_schema(q, 0);
	if (!rc)
		rc = potw_wal_open(where, q->db, &q->wal);
	if (rc)
		goto fail;
	*out = &q->base;
	return HG_OK;
fail:
	if (q) {
		sqlite3_close(q->db);
		free(q);
	}
	if (made) {
		char side[300];

		unlink(where);
		snprintf(side, sizeof side, "%s-wal", where);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", where);
		unlink(side);
	}
	return rc;
}

struct sqlite3 *potw_store_sqlite_db(struct potw_store *st)
{
	return st->ops == &potw_store_sqlite ? ((struct sq *)st)->db : NULL;
}

/* ---- stations ---- */

/* After a failed insert: which unique key s broke, said; HG_EEXIST. */
static int station_taken(struct sq *q, const struct potw_station *s)
{
	char other[POTW_STATION_ID_MAX + 1] = "";
	sqlite3_stmt *k;
	int rc;

	rc = stmt(q, S_STATION_TAKEN, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, s->id, -1, SQLITE_STATIC);
	sqlite3_bind_blob(k, 2, s->pk, 32, SQLITE_STATIC);
	sqlite3_bind_text(k, 3, s->id, -1, SQLITE_STATIC);
	if (sqlite3_step(k) == SQLITE_ROW && sqlite3_column_bytes(k, 0) < (int)sizeof other)
		memcpy(other, sqlite3_column_text(k, 0), (size_t)sqlite3_column_bytes(k, 0) + 1);
	sqlite3_reset(k);
	if (!strcmp(other, s->id))
		return hg_fail(HG_EEXIST, "station '%s' exists already (ids are never reused)", s->id);
	return hg_fail(HG_EEXIST, "that public key is station '%s''s already (keys are never "
		       "reused)", other);
}

static int sq_station_add(struct potw_store *st, const struct potw_station *s)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_STATION_ADD, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, s->id, -1, SQLITE_STATIC);
	sqlite3_bind_text(k, 2, s->name, -1, SQLITE_STATIC);
	sqlite3_bind_blob(k, 3, s->pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(k, 4, s->added);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r == SQLITE_DONE)
		return HG_OK;
	if (r == SQLITE_CONSTRAINT)
		return station_taken(q, s);
	return sq_db_fail(q, HG_EIO, "cannot add the station");
}

static int sq_station_retire(struct potw_store *st, const char *id, hg_time when)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_STATION_RETIRE, &k);
	if (rc)
		return rc;
	sqlite3_bind_int64(k, 1, when);
	sqlite3_bind_text(k, 2, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot retire the station");
	if (sqlite3_changes(q->db) == 1)
		return HG_OK;
	/* why not: no such station, or retired before */
	rc = stmt(q, S_STATION_EXISTS, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r == SQLITE_ROW)
		return hg_fail(HG_EREFUSED, "station '%s' is retired already", id);
	return hg_fail(HG_ENOTFOUND, "no station '%s'", id);
}

static int read_station(struct sq *q, sqlite3_stmt *k, struct potw_station *s)
{
	const unsigned char *id = sqlite3_column_text(k, 0);
	const unsigned char *name = sqlite3_column_text(k, 1);
	const void *pk = sqlite3_column_blob(k, 2);

	memset(s, 0, sizeof *s);
	if (!id || !name || !pk || sqlite3_column_bytes(k, 2) != 32 ||
	    (size_t)sqlite3_column_bytes(k, 0) >= sizeof s->id ||
	    (size_t)sqlite3_column_bytes(k, 1) >= sizeof s->name)
		return hg_fail(HG_ECORRUPT, "a station row is not what it should be (%s)", q->path);
	memcpy(s->id, id, (size_t)sqlite3_column_bytes(k, 0));
	memcpy(s->name, name, (size_t)sqlite3_column_bytes(k, 1));
	memcpy(s->pk, pk, 32);
	s->added = sqlite3_column_int64(k, 3);
	s->retired = sqlite3_column_int64(k, 4);
	s->last_contact = sqlite3_column_int64(k, 5);
	s->events = sqlite3_column_int64(k, 6);
	s->forks = sqlite3_column_int64(k, 7);
	return HG_OK;
}

static int sq_station_get(struct potw_store *st, const char *id, struct potw_station *out)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_STATION_GET, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		rc = read_station(q, k, out);
	else if (r == SQLITE_DONE)
		rc = hg_fail(HG_ENOTFOUND, "no station '%s'", id);
	else
		rc = sq_db_fail(q, HG_EIO, "cannot read the stations");
	sqlite3_reset(k);
	return rc;
}

static int sq_station_each(struct potw_store *st,
			   int (*fn)(const struct potw_station *s, void *ctx), void *ctx)
{
	struct sq *q = (struct sq *)st;
	struct potw_station s;
	sqlite3_stmt *k;
	int rc, r;

	rc = sq_prepare(q, STATION_SELECT "WHERE s.id != '" POTW_PLANT_LOG "' ORDER BY s.id", &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		rc = read_station(q, k, &s);
		if (rc)
			break;
		rc = fn(&s, ctx);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(q, HG_EIO, "cannot read the stations");
	sqlite3_finalize(k);
	return rc;
}

/* ---- events ---- */

static void bind_event(sqlite3_stmt *k, int col, const struct potw_event *e)
{
	sqlite3_bind_int64(k, col, e->seq);
	sqlite3_bind_int64(k, col + 1, e->ts);
	sqlite3_bind_text(k, col + 2, e->type, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, col + 3, e->load_no);
	sqlite3_bind_text(k, col + 4, e->actor ? e->actor : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(k, col + 5, e->detail ? e->detail : "", -1, SQLITE_STATIC);
	sqlite3_bind_blob(k, col + 6, e->prev_hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(k, col + 7, e->hash, 32, SQLITE_STATIC);
}

/* Keep e as fork evidence beside held (NULL: nothing held at its number). */
static int keep_fork(struct sq *q, const char *id, const struct potw_event *e,
		     const uint8_t *held, hg_time now)
{
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_FORK_PUT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	if (held)
		sqlite3_bind_blob(k, 2, held, 32, SQLITE_STATIC);
	bind_event(k, 3, e);
	sqlite3_bind_int64(k, 11, now);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot keep the fork's evidence");
	return HG_OK;
}

/* The station's state inside the transaction: HG_ENOTFOUND, HG_EREFUSED
 * (retired), or its last event's number and hash. */
static int chain_end(struct sq *q, const char *id, long long *last, uint8_t hash[32])
{
	sqlite3_stmt *k;
	int rc, r, retired = 0;

	rc = stmt(q, S_STATION_RETIRED, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		retired = sqlite3_column_int(k, 0);
	sqlite3_reset(k);
	if (r == SQLITE_DONE)
		return hg_fail(HG_ENOTFOUND, "no station '%s'", id);
	if (r != SQLITE_ROW)
		return sq_db_fail(q, HG_EIO, "cannot read the stations");
	if (retired)
		return hg_fail(HG_EREFUSED, "station '%s' is retired: its events are refused", id);

	*last = 0;
	memset(hash, 0, 32);
	rc = stmt(q, S_LAST_EVENT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW && sqlite3_column_bytes(k, 1) == 32) {
		*last = sqlite3_column_int64(k, 0);
		memcpy(hash, sqlite3_column_blob(k, 1), 32);
	} else if (r != SQLITE_DONE) {
		rc = r == SQLITE_ROW ? hg_fail(HG_ECORRUPT, "station '%s': a stored hash is not "
					       "32 bytes", id)
				     : sq_db_fail(q, HG_EIO, "cannot read the events");
	}
	sqlite3_reset(k);
	return rc;
}

/* Compare ev[0..n) with the events held up to last: r->dup counted, forks
 * kept.  Returns the index of the first new event, or HG_EEXIST (a fork). */
static long compare_held(struct sq *q, const char *id, const struct potw_event *ev, size_t n,
			 long long last, hg_time now, struct potw_append_result *r)
{
	sqlite3_stmt *k;
	size_t i;
	int rc, s, forked = 0;

	rc = stmt(q, S_EVENT_HASH, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	for (i = 0; i < n && ev[i].seq <= last; i++) {
		sqlite3_reset(k);
		sqlite3_bind_int64(k, 2, ev[i].seq);
		s = sqlite3_step(k);
		if (s != SQLITE_ROW || sqlite3_column_bytes(k, 0) != 32) {
			rc = hg_fail(HG_ECORRUPT, "station '%s': event %lld is missing or bad in "
				     "the database", id, ev[i].seq);
			break;
		}
		if (!memcmp(sqlite3_column_blob(k, 0), ev[i].hash, 32)) {
			r->dup++;
			continue;
		}
		if (!forked) {
			r->bad_seq = ev[i].seq;
			snprintf(r->why, sizeof r->why, "event %lld: not the event held at that "
				 "number (a fork; both versions kept)", ev[i].seq);
		}
		forked = 1;
		rc = keep_fork(q, id, &ev[i], sqlite3_column_blob(k, 0), now);
		if (rc)
			break;
	}
	sqlite3_reset(k);
	if (rc)
		return rc;
	if (forked)
		return hg_fail(HG_EEXIST, "station '%s': %s", id, r->why);
	return (long)i;
}

static int insert_new(struct sq *q, const char *id, const struct potw_event *ev, size_t n,
		      hg_time now, struct potw_append_result *r)
{
	sqlite3_stmt *k;
	size_t i;
	int rc;

	rc = stmt(q, S_EVENT_PUT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 10, now);
	for (i = 0; i < n; i++) {
		sqlite3_reset(k);
		bind_event(k, 2, &ev[i]);
		if (sqlite3_step(k) != SQLITE_DONE) {
			rc = sq_db_fail(q, HG_EIO, "cannot store an event");
			break;
		}
		r->added++;
	}
	sqlite3_reset(k);
	return rc;
}

static int sq_events_put(struct potw_store *st, const char *id, const struct potw_event *ev,
			 size_t n, hg_time now, size_t *firstp, long long *held_before,
			 struct potw_append_result *r)
{
	struct sq *q = (struct sq *)st;
	uint8_t last_hash[32];
	long long last;
	long first;
	int rc;

	rc = chain_end(q, id, &last, last_hash);
	if (rc) {
		if (rc == HG_EREFUSED)
			r->fault = POTW_FAULT_RETIRED;
		return rc;
	}
	*held_before = last;
	snprintf(q->txn_id, sizeof q->txn_id, "%s", id);	/* for potw_wal_committed() */
	first = compare_held(q, id, ev, n, last, now, r);
	if (first < 0)
		return (int)first;	/* HG_EEXIST: a fork, its evidence written */
	*firstp = (size_t)first;
	if ((size_t)first == n)
		return HG_OK;		/* all held already */
	if (ev[first].seq != last + 1) {
		r->bad_seq = last + 1;
		r->fault = POTW_FAULT_GAP;
		snprintf(r->why, sizeof r->why, "events %lld to %lld are missing (the plant "
			 "holds %lld)", last + 1, ev[first].seq - 1, last);
		return hg_fail(HG_EREFUSED, "station '%s': %s", id, r->why);
	}
	if (memcmp(ev[first].prev_hash, last_hash, 32) != 0) {
		r->bad_seq = ev[first].seq;
		snprintf(r->why, sizeof r->why, "event %lld: does not link to event %lld held "
			 "(a fork; the version sent kept)", ev[first].seq, last);
		rc = keep_fork(q, id, &ev[first], NULL, now);
		if (rc)
			return rc;
		return hg_fail(HG_EEXIST, "station '%s': %s", id, r->why);
	}
	rc = insert_new(q, id, ev + first, n - (size_t)first, now, r);
	if (rc)
		r->added = 0;
	return rc;
}

static int sq_begin(struct potw_store *st)
{
	struct sq *q = (struct sq *)st;

	q->txn_id[0] = '\0';
	return sq_exec(q, "BEGIN IMMEDIATE");
}

static int sq_commit(struct potw_store *st)
{
	struct sq *q = (struct sq *)st;
	int rc = sq_exec(q, "COMMIT");

	if (!rc && q->wal)	/* NULL: a POTW_STORE_READER handle */
		potw_wal_committed(q->wal, q->txn_id[0] ? q->txn_id : NULL);
	return rc;
}

static int sq_durable(struct potw_store *st, const char *id)
{
	struct sq *q = (struct sq *)st;

	return q->wal ? potw_wal_durable(q->wal, id) : HG_OK;
}

static void sq_rollback(struct potw_store *st)
{
	struct sq *q = (struct sq *)st;

	if (!sqlite3_get_autocommit(q->db))
		sq_exec(q, "ROLLBACK");
}

/* ---- the plant's copy of the record ---- */

int sq_cat(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* The rec_* tables' CREATE TABLEs in database db ("main"; "scratch": no
 * reference to stations, which is not there). */
int sq_record_schema(const char *db, char *out, size_t cap)
{
	int scratch = strcmp(db, "main") != 0;
	size_t len = 0;
	int bad = 0, t, c;

	for (t = 0; t < record_ntables; t++) {
		const struct rec_table *rt = &record_tables[t];

		bad |= sq_cat(out, cap, &len, "CREATE TABLE %s." POTW_REC_PREFIX "%s (\n"
			   "  " POTW_REC_STATION " TEXT NOT NULL%s,\n", db, rt->name,
			   scratch ? "" : " REFERENCES stations(id)");
		for (c = 0; c < rt->ncols; c++)
			bad |= sq_cat(out, cap, &len, "  %s %s%s,\n", rt->cols[c].name,
				   rt->cols[c].kind == 't' ? "TEXT" : "INTEGER",
				   c < rt->nkey && !rt->unique ? " NOT NULL" : "");
		/* a table with a UNIQUE (sources) is written by an upsert on it:
		 * its id is the station's rowid, which no event carries, so the
		 * UNIQUE is its key here */
		if (rt->unique) {
			bad |= sq_cat(out, cap, &len, "  UNIQUE (" POTW_REC_STATION ", %s)\n",
				   rt->unique);
		} else {
			bad |= sq_cat(out, cap, &len, "  PRIMARY KEY (" POTW_REC_STATION);
			for (c = 0; c < rt->nkey; c++)
				bad |= sq_cat(out, cap, &len, ", %s", rt->cols[c].name);
			bad |= sq_cat(out, cap, &len, ")\n");
		}
		bad |= sq_cat(out, cap, &len, ") STRICT;\n");
	}
	if (bad)
		return hg_fail(HG_ETOOLONG, "the record's tables do not fit in %zu bytes (a bug)", cap);
	return HG_OK;
}

int potw_store_record_schema(char *out, size_t cap)
{
	return sq_record_schema("main", out, cap);
}

/* The SQL of change c for station id's rows: the station's own statement
 * (db/store_write.c) with "station = ?1" leading every key. */
int sq_change_sql(const struct rec_change *c, const char *db, char *sql, size_t cap)
{
	const char *name = c->table->name;
	size_t len = 0;
	int bad = 0, i;

	if (c->op == REC_UPDATE) {
		bad |= sq_cat(sql, cap, &len, "UPDATE %s." POTW_REC_PREFIX "%s SET ", db, name);
		for (i = c->nkey; i < c->n; i++)
			bad |= sq_cat(sql, cap, &len, "%s%s = ?%d", i > c->nkey ? ", " : "", c->v[i].col,
				   i + 2);
		bad |= sq_cat(sql, cap, &len, " WHERE " POTW_REC_STATION " = ?1");
		for (i = 0; i < c->nkey; i++)
			bad |= sq_cat(sql, cap, &len, " AND %s = ?%d", c->v[i].col, i + 2);
		return bad;
	}
	bad |= sq_cat(sql, cap, &len, "INSERT INTO %s." POTW_REC_PREFIX "%s (" POTW_REC_STATION, db,
		   name);
	for (i = 0; i < c->n; i++)
		bad |= sq_cat(sql, cap, &len, ", %s", c->v[i].col);
	bad |= sq_cat(sql, cap, &len, ") VALUES (?1");
	for (i = 0; i < c->n; i++)
		bad |= sq_cat(sql, cap, &len, ", ?%d", i + 2);
	bad |= sq_cat(sql, cap, &len, ")");
	if (c->op != REC_UPSERT)
		return bad;
	bad |= sq_cat(sql, cap, &len, " ON CONFLICT (" POTW_REC_STATION);
	for (i = 0; i < c->nkey; i++)
		bad |= sq_cat(sql, cap, &len, ", %s", c->v[i].col);
	if (c->n == c->nkey)
		return bad | sq_cat(sql, cap, &len, ") DO NOTHING");
	bad |= sq_cat(sql, cap, &len, ") DO UPDATE SET ");
	for (i = c->nkey; i < c->n; i++)
		bad |= sq_cat(sql, cap, &len, "%s%s = excluded.%s", i > c->nkey ? ", " : "", c->v[i].col,
			   c->v[i].col);
	return bad;
}

/* The prepared statement of sql on q's connection, from c or made and
 * kept there (flags: sqlite3_prepare_v3()'s), reset with its bindings
 * cleared. */
int sq_cache_get(struct sq *q, struct stmt_cache *c, const char *sql, unsigned flags,
		     sqlite3_stmt **out)
{
	int i;

	for (i = 0; i < c->n; i++) {
		if (!strcmp(c->c[i].sql, sql)) {
			*out = c->c[i].k;
			sqlite3_reset(*out);
			sqlite3_clear_bindings(*out);
			return HG_OK;
		}
	}
	if (c->n == STMT_CACHE)
		return hg_fail(HG_ENOMEM, "too many kept statements (a bug: raise STMT_CACHE)");
	if (sqlite3_prepare_v3(q->db, sql, -1, flags, out, NULL) != SQLITE_OK)
		return sq_db_fail(q, HG_EIO, "cannot prepare a row's statement");
	c->c[c->n].sql = strdup(sql);
	if (!c->c[c->n].sql) {
		sqlite3_finalize(*out);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	c->c[c->n++].k = *out;
	return HG_OK;
}

/* The prepared statement of sql, from q's cache or made and kept. */
static int cached(struct sq *q, const char *sql, sqlite3_stmt **out)
{
	return sq_cache_get(q, &q->cache, sql, SQLITE_PREPARE_PERSISTENT, out);
}

int potw_sq_kept(struct potw_store *st, const char *sql, sqlite3_stmt **k)
{
	if (st->ops != &potw_store_sqlite)
		return hg_fail(HG_EINVAL, "a kept statement needs the sqlite store");
	return cached((struct sq *)st, sql, k);
}

static int sq_project(struct potw_store *st, const char *id, const struct rec_change *c)
{
	struct sq *q = (struct sq *)st;
	char sql[REC_SQL_MAX];
	sqlite3_stmt *k;
	int rc;

	if (c->op == REC_UPDATE && c->n <= c->nkey)
		return HG_OK;	/* a change of nothing */
	if (sq_change_sql(c, "main", sql, sizeof sql))
		return hg_fail(HG_ENOMEM, "the SQL of a %s row is too long (a bug)", c->table->name);
	rc = cached(q, sql, &k);
	if (rc)
		return rc;
	return sq_run_change(q, k, id, c);
}

/* Bind c's values (id first) to k and run it. */
int sq_run_change(struct sq *q, sqlite3_stmt *k, const char *id, const struct rec_change *c)
{
	int i, r;

	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	for (i = 0; i < c->n; i++) {
		const struct rec_val *v = &c->v[i];

		if (v->kind == REC_TEXT)
			sqlite3_bind_text(k, i + 2, v->s ? v->s : "", -1, SQLITE_STATIC);
		else if (v->kind == REC_INT)
			sqlite3_bind_int64(k, i + 2, v->i);
		else
			sqlite3_bind_null(k, i + 2);
	}
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot write a row of the record");
	return HG_OK;
}

/* ---- the tree, checkpoints, state ---- */

static int sq_node_put(struct potw_store *st, const char *id, unsigned level, uint64_t index,
		       const uint8_t hash[32])
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc;

	rc = stmt(q, S_NODE_PUT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(k, 2, (int)level);
	sqlite3_bind_int64(k, 3, (sqlite3_int64)index);
	sqlite3_bind_blob(k, 4, hash, 32, SQLITE_STATIC);
	rc = sqlite3_step(k);
	sqlite3_reset(k);
	if (rc != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot keep a node of the tree");
	return HG_OK;
}

/* One 32-byte blob from k (bound already): 1 found, 0 not, or an error. */
static int one_hash(struct sq *q, sqlite3_stmt *k, uint8_t out[32])
{
	int r = sqlite3_step(k), rc = 0;

	if (r == SQLITE_ROW && sqlite3_column_bytes(k, 0) == 32) {
		memcpy(out, sqlite3_column_blob(k, 0), 32);
		rc = 1;
	} else if (r == SQLITE_ROW) {
		rc = hg_fail(HG_ECORRUPT, "a stored hash is not 32 bytes (%s)", q->path);
	} else if (r != SQLITE_DONE) {
		rc = sq_db_fail(q, HG_EIO, "cannot read a hash");
	}
	sqlite3_reset(k);
	return rc;
}

static int sq_node_get(struct potw_store *st, const char *id, unsigned level, uint64_t index,
		       uint8_t out[32])
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc;

	rc = stmt(q, S_NODE_GET, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int(k, 2, (int)level);
	sqlite3_bind_int64(k, 3, (sqlite3_int64)index);
	return one_hash(q, k, out);
}

static int sq_event_hash(struct potw_store *st, const char *id, long long seq, uint8_t out[32])
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc;

	rc = stmt(q, S_EVENT_HASH, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, seq);
	rc = one_hash(q, k, out);
	if (rc == 0)
		return hg_fail(HG_ENOTFOUND, "station '%s' has no event %lld at the plant", id, seq);
	return rc < 0 ? rc : HG_OK;
}

static int sq_checkpoint_put(struct potw_store *st, const char *id,
			     const struct potw_checkpoint *cp)
{
	struct sq *q = (struct sq *)st;
	uint8_t held[32];
	sqlite3_stmt *k;
	int rc;

	rc = stmt(q, S_CHECKPOINT_ROOT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, cp->size);
	rc = one_hash(q, k, held);
	if (rc < 0)
		return rc;
	if (rc == 1) {
		if (memcmp(held, cp->root, 32) != 0)
			return hg_fail(HG_EREFUSED, "station '%s': a checkpoint of size %lld with "
				       "another root is stored already", id, cp->size);
		return HG_OK;	/* kept as it was */
	}
	rc = stmt(q, S_CHECKPOINT_PUT, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, cp->size);
	sqlite3_bind_blob(k, 3, cp->root, 32, SQLITE_STATIC);
	sqlite3_bind_text(k, 4, cp->note, -1, SQLITE_STATIC);
	sqlite3_bind_text(k, 5, cp->cosigned, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 6, cp->received);
	rc = sqlite3_step(k);
	sqlite3_reset(k);
	if (rc != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot store the checkpoint");
	return HG_OK;
}

static int copy_text(sqlite3_stmt *k, int col, char *out, size_t cap)
{
	int n = sqlite3_column_bytes(k, col);
	const unsigned char *t = sqlite3_column_text(k, col);

	if (!t || n < 0 || (size_t)n >= cap)
		return -1;
	memcpy(out, t, (size_t)n + 1);
	return 0;
}

static int sq_checkpoint_get(struct potw_store *st, const char *id, long long size, int below,
			     struct potw_checkpoint *cp)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	if (size == 0)
		rc = stmt(q, S_CHECKPOINT_LATEST, &k);
	else if (below)
		rc = stmt(q, S_CHECKPOINT_BELOW, &k);
	else
		rc = stmt(q, S_CHECKPOINT_OF, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, size);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		memset(cp, 0, sizeof *cp);
		cp->size = sqlite3_column_int64(k, 0);
		cp->received = sqlite3_column_int64(k, 2);
		if (sqlite3_column_bytes(k, 1) != 32 || copy_text(k, 3, cp->note, sizeof cp->note) ||
		    copy_text(k, 4, cp->cosigned, sizeof cp->cosigned))
			rc = hg_fail(HG_ECORRUPT, "station '%s': a stored checkpoint is not what it "
				     "should be (%s)", id, q->path);
		else
			memcpy(cp->root, sqlite3_column_blob(k, 1), 32);
	} else if (r == SQLITE_DONE) {
		rc = hg_fail(HG_ENOTFOUND, "station '%s' has no checkpoint%s at the plant", id,
			     size ? " of that size" : "");
	} else {
		rc = sq_db_fail(q, HG_EIO, "cannot read the checkpoints");
	}
	sqlite3_reset(k);
	return rc;
}

static int sq_log_state(struct potw_store *st, const char *id, struct potw_log_state *out)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	memset(out, 0, sizeof *out);
	rc = stmt(q, S_LOG_STATE, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		out->size = sqlite3_column_int64(k, 0);
		if (sqlite3_column_bytes(k, 1) == 32)
			memcpy(out->head, sqlite3_column_blob(k, 1), 32);
		out->fork_seq = sqlite3_column_int64(k, 2);
		out->fork_at = sqlite3_column_int64(k, 3);
	} else if (r == SQLITE_DONE) {
		rc = hg_fail(HG_ENOTFOUND, "no station '%s'", id);
	} else {
		rc = sq_db_fail(q, HG_EIO, "cannot read the station's state");
	}
	sqlite3_reset(k);
	return rc;
}

static int sq_station_touch(struct potw_store *st, const char *id, hg_time now)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_STATION_TOUCH, &k);
	if (rc)
		return rc;
	sqlite3_bind_int64(k, 1, now);
	sqlite3_bind_text(k, 2, id, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot note the station's contact");
	return HG_OK;
}

/* fn for each event k (prepared: seq, ts, type, load_no, actor, detail,
 * prev_hash, hash) reads; k finalized. */
static int event_rows(struct sq *q, const char *id, sqlite3_stmt *k,
		      int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	struct potw_event e;
	int rc = HG_OK, r;

	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		e.seq = sqlite3_column_int64(k, 0);
		e.ts = sqlite3_column_int64(k, 1);
		e.type = (const char *)sqlite3_column_text(k, 2);
		e.load_no = sqlite3_column_int64(k, 3);
		e.actor = (const char *)sqlite3_column_text(k, 4);
		e.detail = (const char *)sqlite3_column_text(k, 5);
		if (!e.type || sqlite3_column_bytes(k, 6) != 32 || sqlite3_column_bytes(k, 7) != 32) {
			rc = hg_fail(HG_ECORRUPT, "station '%s': event %lld is not what it should be "
				     "in the database (%s)", id, e.seq, q->path);
			break;
		}
		memcpy(e.prev_hash, sqlite3_column_blob(k, 6), 32);
		memcpy(e.hash, sqlite3_column_blob(k, 7), 32);
		rc = fn(&e, ctx);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(q, HG_EIO, "cannot read the events");
	sqlite3_finalize(k);
	return rc;
}

/* fn for each event of station id that cond (SQL over the events' columns,
 * ?2 and ?3 for a and b) picks, in order. */
static int events_where(struct sq *q, const char *id, const char *cond, long long a,
			long long b, int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	char sql[256];
	sqlite3_stmt *k;
	int rc;

	snprintf(sql, sizeof sql, "SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash "
		 "FROM events WHERE station = ?1 AND %s", cond);
	rc = sq_prepare(q, sql, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, a);
	if (sqlite3_bind_parameter_count(k) >= 3)
		sqlite3_bind_int64(k, 3, b);
	return event_rows(q, id, k, fn, ctx);
}

static int sq_events_after(struct potw_store *st, const char *id, long long after,
			   long long limit, int (*fn)(const struct potw_event *e, void *ctx),
			   void *ctx)
{
	return events_where((struct sq *)st, id, "seq > ?2 ORDER BY seq LIMIT ?3", after, limit,
			    fn, ctx);
}

/* The events of load load_no (events_load, schema 6), in order. */
static int sq_load_events(struct potw_store *st, const char *id, long long load_no,
			  int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	return events_where((struct sq *)st, id, "load_no = ?2 ORDER BY seq", load_no, 0, fn, ctx);
}

static int sq_events_each(struct potw_store *st, const char *id,
			  int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	return sq_events_after(st, id, 0, -1, fn, ctx);	/* LIMIT -1: no limit */
}

static int sq_forks_each(struct potw_store *st, const char *id,
			 int (*fn)(const struct potw_fork *f, void *ctx), void *ctx)
{
	struct sq *q = (struct sq *)st;
	struct potw_fork f;
	sqlite3_stmt *k;
	int rc, r;

	rc = sq_prepare(q, "SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash, held_hash, "
		     "received FROM forks WHERE station = ? ORDER BY seq, id", &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&f, 0, sizeof f);
		f.e.seq = sqlite3_column_int64(k, 0);
		f.e.ts = sqlite3_column_int64(k, 1);
		f.e.type = (const char *)sqlite3_column_text(k, 2);
		f.e.load_no = sqlite3_column_int64(k, 3);
		f.e.actor = (const char *)sqlite3_column_text(k, 4);
		f.e.detail = (const char *)sqlite3_column_text(k, 5);
		if (sqlite3_column_bytes(k, 6) == 32)
			memcpy(f.e.prev_hash, sqlite3_column_blob(k, 6), 32);
		if (sqlite3_column_bytes(k, 7) == 32)
			memcpy(f.e.hash, sqlite3_column_blob(k, 7), 32);
		f.has_held = sqlite3_column_bytes(k, 8) == 32;
		if (f.has_held)
			memcpy(f.held_hash, sqlite3_column_blob(k, 8), 32);
		f.received = sqlite3_column_int64(k, 9);
		rc = fn(&f, ctx);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(q, HG_EIO, "cannot read the forks");
	sqlite3_finalize(k);
	return rc;
}

static int sq_checkpoints_each(struct potw_store *st, const char *id,
			       int (*fn)(const struct potw_checkpoint *cp, void *ctx), void *ctx)
{
	struct sq *q = (struct sq *)st;
	struct potw_checkpoint *cp = malloc(sizeof *cp);
	sqlite3_stmt *k;
	int rc, r;

	if (!cp)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = sq_prepare(q, "SELECT size, root, received, note, cosignature FROM checkpoints "
		     "WHERE station = ? ORDER BY size", &k);
	if (rc) {
		free(cp);
		return rc;
	}
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(cp, 0, sizeof *cp);
		cp->size = sqlite3_column_int64(k, 0);
		cp->received = sqlite3_column_int64(k, 2);
		if (sqlite3_column_bytes(k, 1) != 32 || copy_text(k, 3, cp->note, sizeof cp->note) ||
		    copy_text(k, 4, cp->cosigned, sizeof cp->cosigned)) {
			rc = hg_fail(HG_ECORRUPT, "station '%s': the stored checkpoint of size %lld is "
				     "not what it should be (%s)", id, cp->size, q->path);
			break;
		}
		memcpy(cp->root, sqlite3_column_blob(k, 1), 32);
		rc = fn(cp, ctx);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(q, HG_EIO, "cannot read the checkpoints");
	sqlite3_finalize(k);
	free(cp);
	return rc;
}

/* ---- the plant's own log and its roster ---- */

static int sq_log_open(struct potw_store *st, const uint8_t pk[32], hg_time now)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	rc = stmt(q, S_LOG_OPEN, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, POTW_PLANT_LOG, -1, SQLITE_STATIC);
	sqlite3_bind_text(k, 2, "the plant's roster", -1, SQLITE_STATIC);
	sqlite3_bind_blob(k, 3, pk, 32, SQLITE_STATIC);
	sqlite3_bind_int64(k, 4, now);
	r = sqlite3_step(k);
	sqlite3_reset(k);
	if (r == SQLITE_CONSTRAINT)
		return hg_fail(HG_EEXIST, "the plant's key is a station's key already: a station "
			       "was registered with the plant's own key");
	if (r != SQLITE_DONE)
		return sq_db_fail(q, HG_EIO, "cannot open the plant's log");
	return HG_OK;
}

/* The roster's tables by name: only these are read here. */
static int roster_table(const char *table)
{
	static const char *const names[] = { "haulers", "cards", "trucks", "operators" };
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(names); i++)
		if (!strcmp(names[i], table))
			return 1;
	return 0;
}

static int sq_roster_next_id(struct potw_store *st, const char *table, long long *id)
{
	struct sq *q = (struct sq *)st;
	char sql[160];
	long long n = 0;
	int rc;

	if (!roster_table(table))
		return hg_fail(HG_EINVAL, "'%s' is not a roster table", table);
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM " POTW_REC_PREFIX "%s WHERE "
		 POTW_REC_STATION " = ?1", table);
	rc = sq_count_of(q, sql, POTW_PLANT_LOG, 0, &n);
	*id = n + 1;
	return rc;
}

static int sq_roster_has(struct potw_store *st, const char *table, long long id)
{
	struct sq *q = (struct sq *)st;
	char sql[160];
	sqlite3_stmt *k;
	int rc, r;

	if (!roster_table(table))
		return hg_fail(HG_EINVAL, "'%s' is not a roster table", table);
	snprintf(sql, sizeof sql, "SELECT 1 FROM " POTW_REC_PREFIX "%s WHERE " POTW_REC_STATION
		 " = ?1 AND id = ?2", table);
	rc = sq_prepare(q, sql, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, POTW_PLANT_LOG, -1, SQLITE_STATIC);
	sqlite3_bind_int64(k, 2, id);
	r = sqlite3_step(k);
	sqlite3_finalize(k);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return sq_db_fail(q, HG_EIO, "cannot read the roster");
}

static int sq_roster_uid(struct potw_store *st, const char *uid, long long *id, int *op)
{
	struct sq *q = (struct sq *)st;
	sqlite3_stmt *k;
	int rc, r;

	*id = 0;
	*op = 0;
	rc = stmt(q, S_ROSTER_UID, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, POTW_PLANT_LOG, -1, SQLITE_STATIC);
	sqlite3_bind_text(k, 2, uid, -1, SQLITE_STATIC);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(k, 0);
		*op = sqlite3_column_int(k, 1);
	}
	sqlite3_reset(k);
	if (r == SQLITE_ROW)
		return 1;
	if (r == SQLITE_DONE)
		return 0;
	return sq_db_fail(q, HG_EIO, "cannot read the roster");
}

/* Rows of station id's rec_<t>, all (key < 0) or those whose first
 * column is key. */
static int rec_rows(struct sq *q, const char *id, const struct rec_table *t, long long key,
		    int (*fn)(const char *const *cells, void *ctx), void *ctx)
{
	const char *cells[REC_MAX_VALS];
	char cols[1024], sql[1400];
	size_t len = 0;
	sqlite3_stmt *k;
	int rc = HG_OK, r, c;

	if (t->ncols > REC_MAX_VALS)
		return hg_fail(HG_EINVAL, "too many columns in %s (a bug)", t->name);
	for (c = 0; c < t->ncols; c++)
		if (sq_cat(cols, sizeof cols, &len, "%s%s", c ? ", " : "", t->cols[c].name))
			return hg_fail(HG_ETOOLONG, "too many columns in %s (a bug)", t->name);
	snprintf(sql, sizeof sql, "SELECT %s FROM " POTW_REC_PREFIX "%s WHERE " POTW_REC_STATION
		 " = ?1%s%s%s ORDER BY rowid", cols, t->name, key < 0 ? "" : " AND ",
		 key < 0 ? "" : t->cols[0].name, key < 0 ? "" : " = ?2");
	rc = sq_prepare(q, sql, &k);
	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	if (key >= 0)
		sqlite3_bind_int64(k, 2, key);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		for (c = 0; c < t->ncols; c++) {
			const unsigned char *v = sqlite3_column_text(k, c);

			cells[c] = v ? (const char *)v : "";
		}
		rc = fn(cells, ctx);
		if (rc)
			break;
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(q, HG_EIO, "cannot read the rows");
	sqlite3_finalize(k);
	return rc;
}

static int sq_rec_each(struct potw_store *st, const char *id, const struct rec_table *t,
		       int (*fn)(const char *const *cells, void *ctx), void *ctx)
{
	return rec_rows((struct sq *)st, id, t, -1, fn, ctx);
}

static int sq_rec_key(struct potw_store *st, const char *id, const struct rec_table *t,
		      long long key, int (*fn)(const char *const *cells, void *ctx), void *ctx)
{
	return rec_rows((struct sq *)st, id, t, key, fn, ctx);
}

static int sq_list(struct potw_store *st, enum listing_kind kind, const struct listing_filter *f,
		   struct table **out)
{
	return listing_run(((struct sq *)st)->db, kind, &potw_listing_source, f, out);
}

const struct potw_store_ops potw_store_sqlite = {
	.name = "sqlite",
	.handles = handles,
	.open = sq_open,
	.close = sq_close,
	.station_add = sq_station_add,
	.station_retire = sq_station_retire,
	.station_get = sq_station_get,
	.station_each = sq_station_each,
	.begin = sq_begin,
	.commit = sq_commit,
	.rollback = sq_rollback,
	.durable = sq_durable,
	.events_put = sq_events_put,
	.project = sq_project,
	.node_put = sq_node_put,
	.node_get = sq_node_get,
	.event_hash = sq_event_hash,
	.checkpoint_put = sq_checkpoint_put,
	.checkpoint_get = sq_checkpoint_get,
	.log_state = sq_log_state,
	.station_touch = sq_station_touch,
	.events_each = sq_events_each,
	.events_after = sq_events_after,
	.checkpoints_each = sq_checkpoints_each,
	.rows_check = sq_rows_check,
	.forks_each = sq_forks_each,
	.log_open = sq_log_open,
	.roster_next_id = sq_roster_next_id,
	.roster_has = sq_roster_has,
	.roster_uid = sq_roster_uid,
	.rec_each = sq_rec_each,
	.rec_key = sq_rec_key,
	.load_events = sq_load_events,
	.list = sq_list,
};
