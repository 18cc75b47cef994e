/* store.c: the station database: opening it, errors, statements,
 * transactions, and the hash-chained event log with its verification.
 *
 * store_open() checks that the file is a haulgate database (db/schema.c)
 * before it writes anything, keeps the file and its -wal/-shm at mode 0600
 * (they hold the PIN hashes), then sets WAL, synchronous=FULL and foreign keys
 * and migrates the schema forward.  Prepared statements are cached in struct
 * store, keyed by the address of their static SQL text (store_stmt()).
 *
 * The event log: each event's hash is SHA-256(prev_hash || canonical bytes),
 * the canonical bytes being the text lines of store_event_bytes().  Events
 * are appended only by store_event_add(), inside the caller's transaction,
 * which re-reads the chain's end so that another process writing to the same
 * file cannot fork the chain.  store_verify() walks the whole log once.
 * Start reading at store_open(); the rows themselves are written, as the
 * projection of their events, by store_write.c. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cJSON.h>
#include "store_int.h"
#include "../core/chain.h"
#include "../core/text.h"

#define BUSY_TIMEOUT_MS 5000

/* ---- messages ---- */

int store_sqlerr(struct store *st, int rc, const char *what)
{
	return store_dberr(st->db, rc, what);
}

int store_dberr(sqlite3 *db, int rc, const char *what)
{
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return hg_fail(HG_EBUSY, "cannot %s: database is locked by another program", what);
	case SQLITE_NOMEM:
		return hg_fail(HG_ENOMEM, "cannot %s: out of memory", what);
	case SQLITE_FULL:
		return hg_fail(HG_EIO, "cannot %s: the disk is full", what);
	case SQLITE_READONLY:
		return hg_fail(HG_EIO, "cannot %s: the database file is read-only", what);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		return hg_fail(HG_EIO, "cannot %s: the database file cannot be read or written (%s)",
			       what, sqlite3_errmsg(db));
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return hg_fail(HG_ECORRUPT, "cannot %s: the database file is damaged", what);
	case SQLITE_CONSTRAINT:
		return hg_fail(HG_EINVAL, "cannot %s: the database refused it (%s)", what,
			       sqlite3_errmsg(db));
	default:
		return hg_fail(HG_EIO, "cannot %s: %s", what, sqlite3_errmsg(db));
	}
}

void store_fail_commit(struct store *st, int nth, int forever)
{
	st->fail_in = nth > 0 ? nth : 0;
	st->fail_forever = nth > 0 && forever;
}

/* ---- statements ---- */

int store_stmt(struct store *st, const char *sql, sqlite3_stmt **out)
{
	int rc;

	for (int i = 0; i < st->nstmt; i++) {
		if (st->stmts[i].sql == sql) {
			*out = st->stmts[i].stmt;
			sqlite3_reset(*out);
			sqlite3_clear_bindings(*out);
			return HG_OK;
		}
	}
	if (st->nstmt == STORE_MAX_STMTS)
		return hg_fail(HG_ENOMEM, "too many database statements (a bug: raise STORE_MAX_STMTS)");
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "prepare a query");
	st->stmts[st->nstmt].sql = sql;
	st->stmts[st->nstmt].stmt = *out;
	st->nstmt++;
	return HG_OK;
}

int store_stmt_text(struct store *st, const char *sql, const char *key, sqlite3_stmt **out)
{
	int rc = store_stmt(st, sql, out);

	if (rc)
		return rc;
	return store_bind_text(*out, 1, key);
}

int store_row_text(struct store *st, const char *sql, const char *key, const char *what,
		   sqlite3_stmt **out, int *found)
{
	int rc = store_stmt_text(st, sql, key, out);

	*found = 0;
	if (rc)
		return rc;
	rc = sqlite3_step(*out);
	if (rc == SQLITE_ROW) {
		*found = 1;
		return HG_OK;
	}
	sqlite3_reset(*out);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, what);
	return HG_OK;
}

int store_run(struct store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);

	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlerr(st, rc, what);
	return HG_OK;
}

int store_int(struct store *st, sqlite3_stmt *s, const char *what, long long *out)
{
	int rc = sqlite3_step(s);

	*out = 0;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlerr(st, rc, what);
	return HG_OK;
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC) == SQLITE_OK ? HG_OK : HG_ENOMEM;
}

int store_bind_nz(sqlite3_stmt *s, int i, long long v)
{
	if (v == 0)
		return sqlite3_bind_null(s, i) == SQLITE_OK ? HG_OK : HG_ENOMEM;
	return sqlite3_bind_int64(s, i, v) == SQLITE_OK ? HG_OK : HG_ENOMEM;
}

int store_col_text(sqlite3_stmt *s, int col, char *dst, size_t cap,
		   const char *what)
{
	const unsigned char *v = sqlite3_column_text(s, col);
	size_t n = (size_t)sqlite3_column_bytes(s, col);

	if (!v) {
		dst[0] = '\0';
		return HG_OK;
	}
	if (n >= cap) {
		dst[0] = '\0';
		return hg_fail(HG_ECORRUPT, "the database holds a %s longer than allowed "
			       "(edited by hand?)", what);
	}
	memcpy(dst, v, n);
	dst[n] = '\0';
	return HG_OK;
}

int store_col_source(sqlite3_stmt *s, int col, struct source *src)
{
	int rc = store_col_text(s, col, src->name, sizeof src->name, "source name");

	if (!rc)
		rc = store_col_text(s, col + 1, src->address, sizeof src->address,
				    "source address");
	if (!rc)
		rc = store_col_text(s, col + 2, src->industry, sizeof src->industry,
				    "type of industry");
	if (!rc)
		rc = store_col_text(s, col + 3, src->town, sizeof src->town, "source town");
	return rc;
}

int store_check_text(const char *name, const char *v, int max, int required)
{
	switch (text_check(v ? v : "", max, required)) {
	case TEXT_OK:
		return HG_OK;
	case TEXT_BAD_UTF8:
		return hg_fail(HG_EINVAL, "%s is not valid UTF-8 text", name);
	case TEXT_CONTROL:
		return hg_fail(HG_EINVAL, "%s contains a control character", name);
	case TEXT_TOO_LONG:
		return hg_fail(HG_EINVAL, "%s is longer than %d characters", name, max);
	case TEXT_EMPTY:
		return hg_fail(HG_EINVAL, "%s is empty", name);
	case TEXT_FORMAT:
		return hg_fail(HG_EINVAL, "%s contains a hidden formatting character", name);
	case TEXT_INVISIBLE:
		return hg_fail(HG_EINVAL, "%s has no visible character", name);
	}
	return hg_fail(HG_EINVAL, "%s is not acceptable", name);
}

int store_check_date(const char *name, const char *v)
{
	int y, m, d;

	if (!v || !*v)
		return HG_OK;
	if (text_parse_date(v, &y, &m, &d) != HG_OK)
		return hg_fail(HG_EINVAL, "%s '%s' is not a date (YYYY-MM-DD)", name, v);
	return HG_OK;
}

int store_need_hauler(struct store *st, long long id)
{
	static const char sql[] = "SELECT count(*) FROM haulers WHERE id = ?1";

	return store_need(st, sql, id, "no hauler with id");
}

int store_need_operator(struct store *st, long long id)
{
	static const char sql[] = "SELECT count(*) FROM operators WHERE id = ?1";

	return store_need(st, sql, id, "no operator with id");
}

char *store_json_print(cJSON *obj)
{
	char *s = obj ? cJSON_PrintUnformatted(obj) : NULL;

	if (!s)
		hg_fail(HG_ENOMEM, "out of memory writing an event");
	return s;
}

void store_json_free(char *s)
{
	if (s)
		cJSON_free(s);
}

/* ---- transactions ---- */

static int exec_cached(struct store *st, const char *sql, const char *what)
{
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	return store_run(st, s, what);
}

static void reset_all(struct store *st)
{
	for (int i = 0; i < st->nstmt; i++)
		sqlite3_reset(st->stmts[i].stmt);
	store_cache_reset(&st->writes);
}

int store_begin(struct store *st)
{
	static const char sql[] = "BEGIN IMMEDIATE";
	int rc;

	if (st->in_tx)
		return hg_fail(HG_EBUSY, "a database transaction is already open (a bug)");
	rc = exec_cached(st, sql, "start writing");
	if (rc)
		return rc;
	st->in_tx = 1;
	st->tx_head_read = 0;
	return HG_OK;
}

int store_commit(struct store *st)
{
	static const char sql[] = "COMMIT";
	int rc;

	reset_all(st);
	if (st->fail_in > 0 && --st->fail_in == 0) {
		/* an injected fault: what a full disk does to a commit */
		st->fail_in = st->fail_forever;
		store_rollback(st);
		return store_sqlerr(st, SQLITE_FULL, "save the change");
	}
	rc = exec_cached(st, sql, "save the change");
	if (rc) {
		store_rollback(st);
		return rc;
	}
	st->in_tx = 0;
	if (st->tx_head_read) {
		st->last_seq = st->tx_seq;
		memcpy(st->last_hash, st->tx_hash, 32);
	}
	return HG_OK;
}

void store_rollback(struct store *st)
{
	reset_all(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_tx = 0;
	st->tx_head_read = 0;
}

int store_end(struct store *st, int rc)
{
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st);
}

int store_begin_read(struct store *st)
{
	static const char sql[] = "BEGIN";

	return exec_cached(st, sql, "read the database");
}

void store_end_read(struct store *st)
{
	reset_all(st);
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}

/* ---- open and close ---- */

static int pragma(struct store *st, const char *sql, const char *what)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, what);
	return HG_OK;
}

static int read_head(struct store *st, long long *seq, uint8_t hash[32])
{
	static const char sql[] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	*seq = 0;
	memset(hash, 0, 32);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		if (sqlite3_column_bytes(s, 1) == 32)
			memcpy(hash, sqlite3_column_blob(s, 1), 32);
		rc = SQLITE_DONE;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "read the event log");
	return HG_OK;
}

/* The database and its -wal and -shm files are the station user's alone
 * (0600): they hold the PIN hashes.  A new database is made 0600 before
 * sqlite opens it (sqlite makes -wal and -shm with the database's mode); an
 * existing file open to group or others is made 0600 (docs/DECISIONS.md). */
static int create_private(const char *path)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

	if (fd < 0 && errno != EEXIST)
		return hg_fail(HG_EIO, "cannot create '%s': %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return HG_OK;
}

static int keep_private(const char *path)
{
	static const char *const side[] = { "", "-wal", "-shm" };
	char file[PATH_MAX];
	struct stat sb;

	for (size_t i = 0; i < HG_ARRAY_LEN(side); i++) {
		int n = snprintf(file, sizeof file, "%s%s", path, side[i]);

		if (n < 0 || (size_t)n >= sizeof file)
			return hg_fail(HG_ETOOLONG, "path '%s' is too long", path);
		if (stat(file, &sb) != 0 || (sb.st_mode & 077) == 0)
			continue;
		if (chmod(file, 0600) != 0)
			return hg_fail(HG_EIO, "'%s' is open to other users (mode %03o) and cannot be "
				       "made 0600: %s", file, (unsigned)(sb.st_mode & 0777), strerror(errno));
	}
	return HG_OK;
}

/* The last error's words behind "'path': " (copied first: hg_fail() writes
 * where hg_error_text() reads). */
static int with_path(int rc, const char *path)
{
	char why[400];

	snprintf(why, sizeof why, "%s", hg_error_text());
	return hg_fail(rc, "'%s': %s", path, why);
}

static int open_db(struct store *st, const char *path, int create)
{
	struct stat sb;
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
	int version = 0, rc;

	if (stat(path, &sb) != 0) {
		if (errno == ENOENT && !create)
			return hg_fail(HG_ENOTFOUND, "no database at '%s' (create one first)", path);
		if (errno != ENOENT)
			return hg_fail(HG_EIO, "cannot open '%s': %s", path, strerror(errno));
		rc = create_private(path);
		if (rc)
			return rc;
		flags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(sb.st_mode)) {
		return hg_fail(HG_ECORRUPT, "'%s' is not a file, not a haulgate database", path);
	}
	rc = sqlite3_open_v2(path, &st->db, flags, NULL);
	if (rc != SQLITE_OK)
		return hg_fail(rc == SQLITE_NOMEM ? HG_ENOMEM : HG_EIO, "cannot open '%s': %s", path,
			       st->db ? sqlite3_errmsg(st->db) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, BUSY_TIMEOUT_MS);

	/* look before writing anything: a refused file stays untouched */
	rc = schema_check(st->db, path, create, &version);
	if (rc)
		return rc;
	rc = keep_private(path);
	if (rc)
		return rc;

	rc = pragma(st, "PRAGMA journal_mode = WAL", "switch the database to WAL");
	if (!rc)
		rc = pragma(st, "PRAGMA synchronous = FULL", "set synchronous writes");
	if (!rc)
		rc = pragma(st, "PRAGMA foreign_keys = ON", "turn on foreign keys");
	if (rc)
		return with_path(rc, path);
	rc = schema_migrate(st->db, version);
	if (rc)
		return rc;
	rc = read_head(st, &st->last_seq, st->last_hash);
	if (rc)
		return with_path(rc, path);
	return HG_OK;
}

int store_open(struct store **out, const char *path, int create)
{
	struct store *st;
	int rc;

	*out = NULL;
	st = calloc(1, sizeof *st);
	if (!st)
		return hg_fail(HG_ENOMEM, "cannot open '%s': out of memory", path);
	st->sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
	st->md = EVP_MD_CTX_new();
	if (!st->sha256 || !st->md) {
		rc = hg_fail(HG_ENOMEM, "cannot set up SHA-256 (OpenSSL)");
		goto fail;
	}
	rc = open_db(st, path, create);
	if (rc)
		goto fail;
	*out = st;
	return HG_OK;
fail:
	store_close(st);
	return rc;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (int i = 0; i < st->nstmt; i++)
		sqlite3_finalize(st->stmts[i].stmt);
	store_cache_free(&st->writes);
	if (st->db)
		sqlite3_close(st->db);
	EVP_MD_CTX_free(st->md);
	EVP_MD_free(st->sha256);
	free(st);
}

int store_schema_version(struct store *st)
{
	static const char sql[] = "PRAGMA user_version";
	sqlite3_stmt *s;
	long long v;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	rc = store_int(st, s, "read the schema version", &v);
	if (rc)
		return rc;
	return (int)v;
}

/* ---- metadata ---- */

int store_meta_get(struct store *st, const char *key, char *val, size_t cap)
{
	static const char sql[] = "SELECT value FROM meta WHERE key = ?1";
	sqlite3_stmt *s;
	int found, rc = store_row_text(st, sql, key, "read a setting", &s, &found);

	if (rc)
		return rc;
	if (!found)
		return hg_fail(HG_ENOTFOUND, "no setting '%s' in the database", key);
	if ((size_t)sqlite3_column_bytes(s, 0) >= cap)
		rc = hg_fail(HG_ETOOLONG, "setting '%s' is too long for its buffer", key);
	else
		rc = store_col_text(s, 0, val, cap, "setting");
	sqlite3_reset(s);
	return rc;
}

int store_meta_set(struct store *st, const char *key, const char *val, hg_time now, const char *actor)
{
	cJSON *j;
	int rc;

	rc = store_check_text("setting name", key, 64, 1);
	if (rc)
		return rc;
	rc = store_check_text("setting value", val, 1000, 0);
	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddStringToObject(j, "key", key);
		cJSON_AddStringToObject(j, "value", val ? val : "");
	}
	return store_finish(st, HG_OK, now, "meta_set", 0, actor, j);
}

/* ---- the event log ---- */

/* The canonical bytes are core/chain.c's (the plant recomputes them). */
#define HEAD_MAX CHAIN_HEAD_MAX(0, 0)

int store_event_bytes(char *buf, size_t cap, long long seq, hg_time ts, const char *type,
		      long long load_no, const char *actor, const char *detail)
{
	struct chain_event e = { seq, ts, type, load_no, actor, detail };

	return chain_bytes(buf, cap, &e);
}

/* SHA-256 of n contiguous bytes (prev_hash and the canonical bytes). */
static int sha_one(struct store *st, const void *buf, size_t n, uint8_t out[32])
{
	unsigned int len = 0;

	if (EVP_DigestInit_ex2(st->md, st->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(st->md, buf, n) != 1 ||
	    EVP_DigestFinal_ex(st->md, out, &len) != 1 || len != 32)
		return hg_fail(HG_EIO, "cannot compute SHA-256 (OpenSSL)");
	return HG_OK;
}

/* SHA-256 of head (prev_hash and the fixed fields), detail, then '\n'. */
static int sha_event(struct store *st, const void *head, size_t hn, const char *detail,
		     size_t dlen, uint8_t out[32])
{
	unsigned int len = 0;

	if (EVP_DigestInit_ex2(st->md, st->sha256, NULL) != 1 ||
	    EVP_DigestUpdate(st->md, head, hn) != 1 ||
	    (dlen && EVP_DigestUpdate(st->md, detail, dlen) != 1) ||
	    EVP_DigestUpdate(st->md, "\n", 1) != 1 ||
	    EVP_DigestFinal_ex(st->md, out, &len) != 1 || len != 32)
		return hg_fail(HG_EIO, "cannot compute SHA-256 (OpenSSL)");
	return HG_OK;
}

static int check_event(const char *type, const char *actor, const char *detail)
{
	size_t n = type ? strlen(type) : 0;

	if (n == 0 || n > STORE_TYPE_MAX || strspn(type, "abcdefghijklmnopqrstuvwxyz0123456789_") != n)
		return hg_fail(HG_EINVAL, "event type '%s' is not a word of a-z, 0-9 and _",
			       type ? type : "");
	if (actor && strlen(actor) > STORE_ACTOR_MAX)
		return hg_fail(HG_EINVAL, "event actor is longer than %d bytes", STORE_ACTOR_MAX);
	if (actor && text_check(actor, STORE_ACTOR_MAX, 0) != TEXT_OK)
		return hg_fail(HG_EINVAL, "event actor '%s' is not plain text", actor);
	if (detail && strlen(detail) > STORE_OWN_DETAIL_MAX)
		return hg_fail(HG_EINVAL, "event detail is longer than %d bytes",
			       STORE_OWN_DETAIL_MAX);
	return HG_OK;
}

/* A detail from outside the store must be a JSON object (or nothing). */
int store_check_detail(const char *detail)
{
	if (detail && strlen(detail) > STORE_DETAIL_MAX)
		return hg_fail(HG_EINVAL, "event detail is longer than %d bytes", STORE_DETAIL_MAX);
	if (detail && *detail) {
		cJSON *j = cJSON_Parse(detail);
		int ok = cJSON_IsObject(j);

		cJSON_Delete(j);
		if (!ok)
			return hg_fail(HG_EINVAL, "event detail is not a JSON object");
	}
	return HG_OK;
}

int store_event_add(struct store *st, hg_time ts, const char *type, long long load_no,
		    const char *actor, const char *detail)
{
	static const char sql[] =
		"INSERT INTO events (seq, ts, type, load_no, actor, detail, prev_hash, hash) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	char buf[32 + HEAD_MAX + STORE_TYPE_MAX + STORE_ACTOR_MAX];
	uint8_t hash[32];
	sqlite3_stmt *s;
	size_t n;
	int rc;

	if (!st->in_tx)
		return hg_fail(HG_EINVAL, "an event was written outside a transaction (a bug)");
	rc = check_event(type, actor, detail);
	if (rc)
		return rc;
	if (!actor)
		actor = "";
	if (!detail)
		detail = "";
	if (!st->tx_head_read) {
		/* the chain's end as the database has it now, under our write lock */
		rc = read_head(st, &st->tx_seq, st->tx_hash);
		if (rc)
			return rc;
		st->tx_head_read = 1;
	}
	memcpy(buf, st->tx_hash, 32);
	{
		struct chain_event e = { st->tx_seq + 1, ts, type, load_no, actor, NULL };

		n = 32 + chain_head(buf + 32, &e);
	}
	rc = sha_event(st, buf, n, detail, strlen(detail), hash);
	if (rc)
		return rc;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, st->tx_seq + 1);
	sqlite3_bind_int64(s, 2, ts);
	store_bind_text(s, 3, type);
	sqlite3_bind_int64(s, 4, load_no);
	store_bind_text(s, 5, actor);
	store_bind_text(s, 6, detail);
	sqlite3_bind_blob(s, 7, st->tx_hash, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 8, hash, 32, SQLITE_STATIC);
	rc = store_run(st, s, "write to the event log");
	if (rc)
		return rc;
	st->tx_seq++;
	memcpy(st->tx_hash, hash, 32);
	return HG_OK;
}

int store_event_json(struct store *st, hg_time ts, const char *type, long long load_no,
		     const char *actor, cJSON *j)
{
	char *detail = store_json_print(j);
	int rc;

	cJSON_Delete(j);
	if (!detail)
		return HG_ENOMEM;
	rc = store_event_add(st, ts, type, load_no, actor, detail);
	store_json_free(detail);
	return rc;
}

int store_event(struct store *st, hg_time now, const char *type, long long load_no,
		const char *actor, const char *detail)
{
	struct event_in ev = { now, type, load_no, actor, detail };

	return store_event_batch(st, &ev, 1);
}

int store_event_batch(struct store *st, const struct event_in *ev, size_t n)
{
	int rc = store_begin(st);

	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		rc = store_check_detail(ev[i].detail);
		if (!rc)
			rc = store_event_add(st, ev[i].ts, ev[i].type, ev[i].load_no, ev[i].actor,
					     ev[i].detail);
		if (rc)
			break;
	}
	return store_end(st, rc);
}

/* ---- verification ---- */

static int bad(struct verify_result *r, long long seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(struct verify_result *r, long long seq, const char *fmt, ...)
{
	va_list ap;

	r->first_bad = seq;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return HG_ECORRUPT;
}

/* One row: its links and its own hash.  prev/prev_seq: the event before. */
static int verify_row(struct store *st, sqlite3_stmt *s, long long prev_seq, const uint8_t prev[32],
		      uint8_t hash[32], struct verify_result *r)
{
	char buf[32 + HEAD_MAX + 2 * 256 + 4096];
	long long seq = sqlite3_column_int64(s, 0);
	const char *type = (const char *)sqlite3_column_text(s, 2);
	size_t tlen = (size_t)sqlite3_column_bytes(s, 2);
	const char *actor = (const char *)sqlite3_column_text(s, 4);
	size_t alen = (size_t)sqlite3_column_bytes(s, 4);
	const char *detail = (const char *)sqlite3_column_text(s, 5);
	size_t dlen = (size_t)sqlite3_column_bytes(s, 5);
	const void *ph = sqlite3_column_blob(s, 6);
	int phlen = sqlite3_column_bytes(s, 6);
	const void *h = sqlite3_column_blob(s, 7);
	int hlen = sqlite3_column_bytes(s, 7);
	size_t n;
	int rc;

	if (seq != prev_seq + 1) {
		if (seq > prev_seq + 1)
			return bad(r, prev_seq + 1, "event %lld: sequence jumps from %lld to %lld (deleted?)",
				   prev_seq + 1, prev_seq, seq);
		return bad(r, seq, "event %lld: out of sequence after %lld", seq, prev_seq);
	}
	if (sqlite3_column_type(s, 1) != SQLITE_INTEGER || sqlite3_column_type(s, 3) != SQLITE_INTEGER ||
	    !type || !actor || !detail || phlen != 32 || hlen != 32 ||
	    memchr(type, '\n', tlen) || memchr(actor, '\n', alen) || tlen > 256 || alen > 256)
		return bad(r, seq, "event %lld: malformed row (edited?)", seq);
	if (memcmp(ph, prev, 32) != 0) {
		if (seq == 1)
			return bad(r, seq, "event 1: prev_hash is not all zero (inserted or reordered?)");
		return bad(r, seq, "event %lld: prev_hash does not match event %lld (inserted or reordered?)",
			   seq, prev_seq);
	}
	memcpy(buf, prev, 32);
	{
		struct chain_event e = { seq, sqlite3_column_int64(s, 1), type,
					 sqlite3_column_int64(s, 3), actor, NULL };

		n = 32 + chain_head(buf + 32, &e);
	}
	if (dlen + 1 <= sizeof buf - n) {
		memcpy(buf + n, detail, dlen);
		buf[n + dlen] = '\n';
		rc = sha_one(st, buf, n + dlen + 1, hash);
	} else {
		/* a row too big for the stack buffer (only an edited one is) */
		rc = sha_event(st, buf, n, detail, dlen, hash);
	}
	if (rc)
		return rc;
	if (memcmp(hash, h, 32) != 0)
		return bad(r, seq, "event %lld: content does not match its hash (edited?)", seq);
	return HG_OK;
}

int store_verify(struct store *st, struct verify_result *r)
{
	static const char sql[] =
		"SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash FROM events ORDER BY seq";
	uint8_t prev[32] = {0}, hash[32];
	long long prev_seq = 0;
	sqlite3_stmt *s;
	int rc, step;

	memset(r, 0, sizeof *r);
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		rc = verify_row(st, s, prev_seq, prev, hash, r);
		if (rc)
			break;
		r->checked++;
		prev_seq = sqlite3_column_int64(s, 0);
		memcpy(prev, hash, 32);
	}
	sqlite3_reset(s);
	if (!rc && step == SQLITE_DONE && prev_seq < st->last_seq)
		/* the tail is gone: only visible to a process that wrote it */
		rc = bad(r, prev_seq + 1, "event %lld: missing: the log ends at %lld but this "
			 "station wrote up to %lld (deleted?)", prev_seq + 1, prev_seq, st->last_seq);
	if (rc == HG_ECORRUPT)
		return hg_fail(rc, "the event log is not intact: %s", r->why);
	if (rc)
		return rc;
	if (step != SQLITE_DONE)
		return store_sqlerr(st, step, "read the event log");
	return HG_OK;
}
