/* store_users.c: staff accounts, sessions, the sign-in throttle and the
 * staff log, in the plant's sqlite database (store_users.h).
 *
 * The tables are potw_users_schema's, made with the rest of the schema;
 * the connection is store_sqlite.c's (potw_store_sqlite_db()), taken under
 * the store's mutex (st->mu, recursive: a server thread at a time between
 * BEGIN and COMMIT, as store.c does).  Each call that writes is one
 * transaction, its staff log entry (potw_staff_append()) inside it, synced
 * (potw_store_durable()) before it returns; the sign-in throttle's counts
 * are not waited for.  Tokens are 32 random bytes (randombytes_buf) in
 * base64url; the database keeps a
 * session's token only as its SHA-256.  Start reading at potw_users_add(). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "store_int.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "store_users.h"
#include "../core/report.h"
#include "../core/text.h"

const char potw_users_schema[] =
	/* staff accounts of the web pages: a libsodium password hash each */
	"CREATE TABLE users (\n"
	"  login TEXT PRIMARY KEY,\n"
	"  role TEXT NOT NULL CHECK (role IN ('auditor', 'coordinator', 'admin')),\n"
	"  pwhash TEXT NOT NULL,\n"
	"  added INTEGER NOT NULL,\n"
	"  added_by TEXT NOT NULL\n"
	") STRICT;\n"
	POTW_USERS_DISABLED_SQL
	/* signed-in sessions: the token's SHA-256, never the token */
	"CREATE TABLE sessions (\n"
	"  token_hash BLOB PRIMARY KEY CHECK (length(token_hash) = 32),\n"
	"  login TEXT NOT NULL REFERENCES users(login),\n"
	"  csrf TEXT NOT NULL,\n"
	"  addr TEXT NOT NULL,\n"
	"  created INTEGER NOT NULL,\n"
	"  expires INTEGER NOT NULL\n"
	") STRICT;\n"
	/* failed sign-ins, counted per account and per address */
	"CREATE TABLE signin_failures (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  login TEXT NOT NULL,\n"
	"  addr TEXT NOT NULL,\n"
	"  ts INTEGER NOT NULL\n"
	") STRICT;\n"
	"CREATE INDEX signin_failures_login ON signin_failures(login, ts);\n"
	"CREATE INDEX signin_failures_addr ON signin_failures(addr, ts);\n"
	/* who changed what, hash-chained */
	"CREATE TABLE staff_log (\n"
	"  seq INTEGER PRIMARY KEY CHECK (seq >= 1),\n"
	"  ts INTEGER NOT NULL,\n"
	"  actor TEXT NOT NULL,\n"
	"  action TEXT NOT NULL,\n"
	"  detail TEXT NOT NULL,\n"
	"  prev_hash BLOB NOT NULL CHECK (length(prev_hash) = 32),\n"
	"  hash BLOB NOT NULL CHECK (length(hash) = 32)\n"
	") STRICT;\n";

_Static_assert(crypto_pwhash_STRBYTES <= POTW_PWHASH_MAX, "a password hash fits");

static const char *const role_names[] = { "", "auditor", "coordinator", "admin" };

const char *potw_role_name(enum potw_role r)
{
	return (unsigned)r < HG_ARRAY_LEN(role_names) ? role_names[r] : "";
}

enum potw_role potw_role_parse(const char *s)
{
	size_t i;

	for (i = 1; s && i < HG_ARRAY_LEN(role_names); i++)
		if (!strcmp(s, role_names[i]))
			return (enum potw_role)i;
	return POTW_ROLE_NONE;
}

int potw_login_ok(const char *s)
{
	size_t i, n = s ? strlen(s) : 0;

	if (n == 0 || n > POTW_LOGIN_MAX || s[0] < 'a' || s[0] > 'z')
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
		      s[i] == '.' || s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

int potw_password_ok(const char *pw)
{
	size_t n = strlen(pw);
	int chars;

	if (n > POTW_PASSWORD_MAX)
		return hg_fail(HG_EINVAL, "a password is at most %d bytes", POTW_PASSWORD_MAX);
	if (text_check(pw, POTW_PASSWORD_MAX, 1) != TEXT_OK)
		return hg_fail(HG_EINVAL, "a password is UTF-8 text without control or "
			       "invisible characters");
	chars = text_chars(pw);
	if (chars < POTW_PASSWORD_MIN)
		return hg_fail(HG_EINVAL, "a password has at least %d characters",
			       POTW_PASSWORD_MIN);
	return HG_OK;
}

int potw_password_hash(const char *pw, char out[POTW_PWHASH_MAX])
{
	if (crypto_pwhash_str(out, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return hg_fail(HG_ENOMEM, "out of memory hashing the password");
	return HG_OK;
}

/* ---- the staff log ---- */

/* hash = SHA-256(prev || seq (8 bytes, big-endian) || ts (8) || actor NUL
 * action NUL detail NUL). */
static void staff_hash(const struct potw_staff_entry *e, uint8_t out[32])
{
	crypto_hash_sha256_state h;
	uint8_t n[16];
	int i;

	for (i = 0; i < 8; i++) {
		n[i] = (uint8_t)((unsigned long long)e->seq >> (56 - 8 * i));
		n[8 + i] = (uint8_t)((unsigned long long)e->ts >> (56 - 8 * i));
	}
	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, e->prev_hash, 32);
	crypto_hash_sha256_update(&h, n, sizeof n);
	crypto_hash_sha256_update(&h, (const uint8_t *)e->actor, strlen(e->actor) + 1);
	crypto_hash_sha256_update(&h, (const uint8_t *)e->action, strlen(e->action) + 1);
	crypto_hash_sha256_update(&h, (const uint8_t *)e->detail, strlen(e->detail) + 1);
	crypto_hash_sha256_final(&h, out);
}

/* Append an entry inside the caller's transaction. */
int potw_staff_append(sqlite3 *db, hg_time now, const char *actor, const char *action,
		      const char *detail)
{
	struct potw_staff_entry e;
	sqlite3_stmt *k = NULL;
	int rc;

	memset(&e, 0, sizeof e);
	e.ts = now;
	e.actor = actor;
	e.action = action;
	e.detail = detail ? detail : "";
	if (sqlite3_prepare_v2(db, "SELECT seq, hash FROM staff_log ORDER BY seq DESC LIMIT 1",
			       -1, &k, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot read the staff log");
	e.seq = 1;
	if (sqlite3_step(k) == SQLITE_ROW && sqlite3_column_bytes(k, 1) == 32) {
		e.seq = sqlite3_column_int64(k, 0) + 1;
		memcpy(e.prev_hash, sqlite3_column_blob(k, 1), 32);
	}
	sqlite3_finalize(k);
	staff_hash(&e, e.hash);
	if (sqlite3_prepare_v2(db, "INSERT INTO staff_log (seq, ts, actor, action, detail, "
			       "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &k,
			       NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot write the staff log");
	sqlite3_bind_int64(k, 1, e.seq);
	sqlite3_bind_int64(k, 2, e.ts);
	potw_sqx_text(k, 3, e.actor);
	potw_sqx_text(k, 4, e.action);
	potw_sqx_text(k, 5, e.detail);
	sqlite3_bind_blob(k, 6, e.prev_hash, 32, SQLITE_TRANSIENT);
	sqlite3_bind_blob(k, 7, e.hash, 32, SQLITE_TRANSIENT);
	rc = potw_sqx_run(db, k);
	sqlite3_finalize(k);
	return rc;
}

/* Run sql (bound by bind(k, ctx)) and a staff log entry in one
 * transaction. */
static int write_logged(struct potw_store *st, const char *sql,
			void (*bind)(sqlite3_stmt *k, const void *ctx), const void *ctx,
			hg_time now, const char *actor, const char *action, const char *detail)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_sqx_start(st, sql, &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	bind(k, ctx);
	rc = potw_sqx_run(db, k);
	if (!rc)
		rc = potw_staff_append(db, now, actor, action, detail);
	if (!rc)
		rc = potw_sqx_exec(db, "COMMIT");
	if (rc)
		potw_sqx_exec(db, "ROLLBACK");
	rc = potw_sqx_done(st, k, rc);
	return rc ? rc : potw_store_durable(st);	/* logged: on disk before it is said */
}

/* change(st, ctx) (NULL: none) and a staff log entry in one transaction
 * under st's lock, durable before it returns. */
static int logged(struct potw_store *st, int (*change)(struct potw_store *st, const void *ctx),
		  const void *ctx, hg_time now, const char *actor, const char *action,
		  const char *detail)
{
	sqlite3 *db = potw_store_sqlite_db(st);
	int rc;

	if (!db)
		return hg_fail(HG_EINVAL, "the staff log needs the sqlite store");
	pthread_mutex_lock(&st->mu);
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (!rc) {
		rc = change ? change(st, ctx) : HG_OK;
		if (!rc)
			rc = potw_staff_append(db, now, actor, action, detail);
		if (!rc)
			rc = potw_sqx_exec(db, "COMMIT");
		if (rc)
			potw_sqx_exec(db, "ROLLBACK");
	}
	pthread_mutex_unlock(&st->mu);
	return rc ? rc : potw_store_durable(st);
}

int potw_staff_log(struct potw_store *st, hg_time now, const char *actor, const char *action,
		   const char *detail)
{
	return logged(st, NULL, NULL, now, actor, action, detail);
}

int potw_staff_log_in(struct potw_store *st, hg_time now, const char *actor, const char *action,
		      const char *detail)
{
	sqlite3 *db = potw_store_sqlite_db(st);

	if (!db)
		return hg_fail(HG_EINVAL, "the staff log needs the sqlite store");
	if (sqlite3_get_autocommit(db))
		return hg_fail(HG_EINVAL, "a staff log entry outside a transaction (a bug)");
	return potw_staff_append(db, now, actor, action, detail);
}

int potw_staff_each(struct potw_store *st,
		    int (*fn)(const struct potw_staff_entry *e, void *ctx), void *ctx)
{
	struct potw_staff_entry e;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT seq, ts, actor, action, detail, prev_hash, hash FROM staff_log "
		   "ORDER BY seq", &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&e, 0, sizeof e);
		e.seq = sqlite3_column_int64(k, 0);
		e.ts = sqlite3_column_int64(k, 1);
		e.actor = (const char *)sqlite3_column_text(k, 2);
		e.action = (const char *)sqlite3_column_text(k, 3);
		e.detail = (const char *)sqlite3_column_text(k, 4);
		if (sqlite3_column_bytes(k, 5) == 32)
			memcpy(e.prev_hash, sqlite3_column_blob(k, 5), 32);
		if (sqlite3_column_bytes(k, 6) == 32)
			memcpy(e.hash, sqlite3_column_blob(k, 6), 32);
		if (!e.actor || !e.action || !e.detail)
			return potw_sqx_done(st, k, hg_fail(HG_ENOMEM, "out of memory"));
		rc = fn(&e, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		return potw_sqx_done(st, k, potw_sqx_fail(db, "cannot read the staff log"));
	return potw_sqx_done(st, k, HG_OK);
}

struct walk {
	long long n, bad;
	uint8_t prev[32];
};

static int check_entry(const struct potw_staff_entry *e, void *ctx)
{
	struct walk *w = ctx;
	uint8_t h[32];

	if (e->seq != w->n + 1) {
		w->bad = w->n + 1;
		return hg_fail(HG_ECORRUPT, "staff log: entry %lld is missing", w->n + 1);
	}
	if (memcmp(e->prev_hash, w->prev, 32)) {
		w->bad = e->seq;
		return hg_fail(HG_ECORRUPT, "staff log: entry %lld does not link to the one before",
			       e->seq);
	}
	staff_hash(e, h);
	if (memcmp(h, e->hash, 32)) {
		w->bad = e->seq;
		return hg_fail(HG_ECORRUPT, "staff log: entry %lld is not what its hash says "
			       "(edited)", e->seq);
	}
	memcpy(w->prev, e->hash, 32);
	w->n = e->seq;
	return 0;
}

int potw_staff_verify(struct potw_store *st, long long *n, long long *bad)
{
	struct walk w;
	int rc;

	memset(&w, 0, sizeof w);
	rc = potw_staff_each(st, check_entry, &w);
	*n = w.n;
	*bad = w.bad;
	return rc;
}

/* ---- accounts ---- */

static void bind_user(sqlite3_stmt *k, const void *ctx)
{
	const struct potw_user *u = ctx;

	potw_sqx_text(k, 1, u->login);
	potw_sqx_text(k, 2, potw_role_name(u->role));
	potw_sqx_text(k, 3, u->pwhash);
	sqlite3_bind_int64(k, 4, u->added);
	potw_sqx_text(k, 5, u->added_by);
}

int potw_users_add(struct potw_store *st, const struct potw_user *u, const char *actor,
		   hg_time now)
{
	struct potw_user row = *u;
	char detail[POTW_STAFF_TEXT_MAX];
	int rc;

	if (!potw_login_ok(u->login) || u->role == POTW_ROLE_NONE)
		return hg_fail(HG_EINVAL, "not a login or a role");
	row.added = now;
	text_copy(row.added_by, sizeof row.added_by, actor);
	snprintf(detail, sizeof detail, "login=%s role=%s", u->login, potw_role_name(u->role));
	rc = write_logged(st, "INSERT INTO users (login, role, pwhash, added, added_by) "
			  "VALUES (?, ?, ?, ?, ?)", bind_user, &row, now, actor, "user.add", detail);
	if (rc == HG_EEXIST)
		return hg_fail(HG_EEXIST, "the login '%s' is taken", u->login);
	return rc;
}

#define USER_COLS "login, role, pwhash, added, added_by, coalesce(disabled, 0)"

static void read_user(sqlite3_stmt *k, struct potw_user *u)
{
	memset(u, 0, sizeof *u);
	potw_sqx_copy(k, 0, u->login, sizeof u->login);
	u->role = potw_role_parse((const char *)sqlite3_column_text(k, 1));
	potw_sqx_copy(k, 2, u->pwhash, sizeof u->pwhash);
	u->added = sqlite3_column_int64(k, 3);
	potw_sqx_copy(k, 4, u->added_by, sizeof u->added_by);
	u->disabled = sqlite3_column_int64(k, 5);
}

int potw_users_get(struct potw_store *st, const char *login, struct potw_user *out)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " USER_COLS " FROM users WHERE login = ?",
		   &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, login);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		read_user(k, out);
		return potw_sqx_done(st, k, HG_OK);
	}
	if (r == SQLITE_DONE)
		return potw_sqx_done(st, k, hg_fail(HG_ENOTFOUND, "no account '%s'", login));
	return potw_sqx_done(st, k, potw_sqx_fail(db, "cannot read the accounts"));
}

int potw_users_each(struct potw_store *st, int (*fn)(const struct potw_user *u, void *ctx),
		    void *ctx)
{
	struct potw_user u;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " USER_COLS " FROM users ORDER BY login",
		   &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		read_user(k, &u);
		rc = fn(&u, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		return potw_sqx_done(st, k, potw_sqx_fail(db, "cannot read the accounts"));
	return potw_sqx_done(st, k, HG_OK);
}

/* ---- an account changed (disabled, enabled, its password, its role) ---- */

static const char *const change_actions[] = {
	[POTW_USER_DISABLE] = "user.disable", [POTW_USER_ENABLE] = "user.enable",
	[POTW_USER_PASSWD] = "user.passwd", [POTW_USER_ROLE] = "user.role",
};

/* One statement of sql run with login bound to ?1 (and n2 to ?2 when
 * text2 is NULL, else text2). */
static int run_login(sqlite3 *db, const char *sql, const char *login, const char *text2,
		     long long n2)
{
	sqlite3_stmt *k = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot change the account");
	potw_sqx_text(k, 1, login);
	if (sqlite3_bind_parameter_count(k) >= 2) {
		if (text2)
			potw_sqx_text(k, 2, text2);
		else
			sqlite3_bind_int64(k, 2, n2);
	}
	rc = potw_sqx_run(db, k);
	sqlite3_finalize(k);
	return rc;
}

/* The admins that can sign in, into *n. */
static int admins_enabled(sqlite3 *db, long long *n)
{
	sqlite3_stmt *k = NULL;
	int rc = HG_OK;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM users WHERE role = 'admin' AND "
			       "disabled IS NULL", -1, &k, NULL) != SQLITE_OK ||
	    sqlite3_step(k) != SQLITE_ROW)
		rc = potw_sqx_fail(db, "cannot count the admins");
	else
		*n = sqlite3_column_int64(k, 0);
	sqlite3_finalize(k);
	return rc;
}

/* The rule of a change of u: HG_OK, or HG_EREFUSED with words. */
static int change_ok(sqlite3 *db, const struct potw_user *u, enum potw_user_change what,
		     enum potw_role role)
{
	long long admins = 0;
	int rc;

	if (what == POTW_USER_DISABLE && u->disabled)
		return hg_fail(HG_EREFUSED, "the account '%s' is disabled already", u->login);
	if (what == POTW_USER_ENABLE && !u->disabled)
		return hg_fail(HG_EREFUSED, "the account '%s' is not disabled", u->login);
	if (what == POTW_USER_ROLE && role == u->role)
		return hg_fail(HG_EREFUSED, "the account '%s' is %s already", u->login,
			       potw_role_name(role));
	if (u->role != POTW_ROLE_ADMIN || u->disabled ||
	    (what != POTW_USER_DISABLE && what != POTW_USER_ROLE))
		return HG_OK;
	rc = admins_enabled(db, &admins);
	if (!rc && admins <= 1)
		rc = hg_fail(HG_EREFUSED, "'%s' is the last admin: make another account admin "
			     "first", u->login);
	return rc;
}

int potw_users_change(struct potw_store *st, enum potw_user_change what, const char *login,
		      enum potw_role role, const char *pwhash, const char *actor, hg_time now)
{
	char detail[POTW_STAFF_TEXT_MAX];
	struct potw_user u;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	if ((unsigned)what >= HG_ARRAY_LEN(change_actions) || !potw_login_ok(login) ||
	    (what == POTW_USER_ROLE && role == POTW_ROLE_NONE) ||
	    (what == POTW_USER_PASSWD && (!pwhash || !pwhash[0])))
		return hg_fail(HG_EINVAL, "not an account change");
	rc = potw_sqx_start(st, "SELECT " USER_COLS " FROM users WHERE login = ?", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	potw_sqx_text(k, 1, login);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		read_user(k, &u);
	sqlite3_reset(k);
	rc = r == SQLITE_ROW ? HG_OK : r == SQLITE_DONE ?
	     hg_fail(HG_ENOTFOUND, "no account '%s' (haulgate-potw user list)", login) :
	     potw_sqx_fail(db, "cannot read the accounts");
	if (!rc)
		rc = change_ok(db, &u, what, role);
	snprintf(detail, sizeof detail, "login=%s", login);
	if (!rc && what == POTW_USER_DISABLE)
		rc = run_login(db, "UPDATE users SET disabled = ?2 WHERE login = ?1", login, NULL, now);
	if (!rc && what == POTW_USER_ENABLE)
		rc = run_login(db, "UPDATE users SET disabled = NULL WHERE login = ?1", login, NULL, 0);
	if (!rc && what == POTW_USER_PASSWD)
		rc = run_login(db, "UPDATE users SET pwhash = ?2 WHERE login = ?1", login, pwhash, 0);
	if (!rc && what == POTW_USER_ROLE) {
		rc = run_login(db, "UPDATE users SET role = ?2 WHERE login = ?1", login,
			       potw_role_name(role), 0);
		snprintf(detail, sizeof detail, "login=%s role=%s (was %s)", login,
			 potw_role_name(role), potw_role_name(u.role));
	}
	/* a disabled account's sessions, and those of a password reset, end now */
	if (!rc && (what == POTW_USER_DISABLE || what == POTW_USER_PASSWD))
		rc = run_login(db, "DELETE FROM sessions WHERE login = ?1", login, NULL, 0);
	if (!rc)
		rc = potw_staff_append(db, now, actor, change_actions[what], detail);
	sodium_memzero(u.pwhash, sizeof u.pwhash);
	return potw_sqx_commit(st, db, k, rc);
}

int potw_sq_users_disabled_migrate(sqlite3 *db, const char *path)
{
	sqlite3_stmt *k = NULL;
	int has = 0;

	/* a file brought back to an older version by hand may hold it already */
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_table_info('users') WHERE "
			       "name = 'disabled'", -1, &k, NULL) == SQLITE_OK &&
	    sqlite3_step(k) == SQLITE_ROW)
		has = sqlite3_column_int(k, 0) > 0;
	sqlite3_finalize(k);
	return potw_sq_migrate(db, path, POTW_USERS_DISABLED_VERSION - 1,
			       has ? "SELECT 1;" : POTW_USERS_DISABLED_SQL, "the accounts' disabled");
}

/* ---- a station registered or retired, logged ---- */

/* The stations' rows changed by the backend (st's lock held). */
struct station_change {
	const struct potw_station *s;	/* added, or NULL: id retired */
	const char *id;
	hg_time now;
};

static int station_change(struct potw_store *st, const void *ctx)
{
	const struct station_change *c = ctx;

	return c->s ? st->ops->station_add(st, c->s) : st->ops->station_retire(st, c->id, c->now);
}

static int station_logged(struct potw_store *st, const struct potw_station *s, const char *id,
			  hg_time now, const char *actor)
{
	const struct station_change c = { s, id, now };
	char detail[POTW_STAFF_TEXT_MAX];

	if (s)
		snprintf(detail, sizeof detail, "station %s: %s", s->id, s->name);
	else
		snprintf(detail, sizeof detail, "station %s", id);
	return logged(st, station_change, &c, now, actor, s ? "station.add" : "station.retire",
		      detail);
}

int potw_station_add_logged(struct potw_store *st, const struct potw_station *s,
			    const char *actor, hg_time now)
{
	if (!potw_station_id_ok(s->id))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id", s->id);
	if (!s->name[0])
		return hg_fail(HG_EINVAL, "a station needs a name");
	return station_logged(st, s, s->id, now, actor);
}

int potw_station_retire_logged(struct potw_store *st, const char *id, const char *actor,
			       hg_time now)
{
	if (!potw_station_id_ok(id))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id", id);
	return station_logged(st, NULL, id, now, actor);
}

/* The hash checked when there is no such account, so that a sign-in of an
 * unknown login takes as long as one of a known login. */
static char dummy_hash[POTW_PWHASH_MAX];
static int dummy_rc;

static void make_dummy(void)
{
	dummy_rc = potw_password_hash("no such account, never a password", dummy_hash);
}

int potw_users_check(struct potw_store *st, const char *login, const char *pw)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	struct potw_user u;
	int rc, ok;

	rc = potw_login_ok(login) ? potw_users_get(st, login, &u) : HG_ENOTFOUND;
	if (rc && rc != HG_ENOTFOUND)
		return rc;
	if (rc == HG_ENOTFOUND) {
		pthread_once(&once, make_dummy);
		if (dummy_rc)
			return dummy_rc;
		text_copy(u.pwhash, sizeof u.pwhash, dummy_hash);
	}
	ok = crypto_pwhash_str_verify(u.pwhash, pw, strlen(pw)) == 0;
	sodium_memzero(u.pwhash, sizeof u.pwhash);
	return rc == HG_OK && ok && !u.disabled;	/* a disabled account opens nothing */
}

/* ---- sessions ---- */

static void token_new(char out[POTW_TOKEN_LEN + 1])
{
	uint8_t b[32];

	randombytes_buf(b, sizeof b);
	sodium_bin2base64(out, POTW_TOKEN_LEN + 1, b, sizeof b,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(b, sizeof b);
}

static void token_hash(const char *token, uint8_t out[32])
{
	crypto_hash_sha256(out, (const uint8_t *)token, strlen(token));
}

int potw_session_new(struct potw_store *st, const char *login, const char *addr, hg_time now,
		     char token[POTW_TOKEN_LEN + 1], struct potw_session *s)
{
	char detail[POTW_STAFF_TEXT_MAX];
	struct potw_user u;
	uint8_t th[32];
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_users_get(st, login, &u);
	if (rc)
		return rc;
	memset(s, 0, sizeof *s);
	text_copy(s->login, sizeof s->login, login);
	s->role = u.role;
	s->created = now;
	s->expires = now + POTW_SESSION_IDLE;
	token_new(token);
	token_new(s->csrf);
	token_hash(token, th);
	rc = potw_sqx_start(st, "INSERT INTO sessions (token_hash, login, csrf, addr, created, expires) "
		   "VALUES (?, ?, ?, ?, ?, ?)", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	sqlite3_bind_blob(k, 1, th, 32, SQLITE_TRANSIENT);
	potw_sqx_text(k, 2, login);
	potw_sqx_text(k, 3, s->csrf);
	potw_sqx_text(k, 4, addr);
	sqlite3_bind_int64(k, 5, now);
	sqlite3_bind_int64(k, 6, s->expires);
	rc = potw_sqx_run(db, k);
	if (!rc) {
		sqlite3_stmt *d = NULL;

		/* every expired session of anyone goes: none is ever taken again */
		if (sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE expires <= ?", -1, &d,
				       NULL) != SQLITE_OK) {
			rc = potw_sqx_fail(db, "cannot drop expired sessions");
		} else {
			sqlite3_bind_int64(d, 1, now);
			rc = potw_sqx_run(db, d);
		}
		sqlite3_finalize(d);
	}
	snprintf(detail, sizeof detail, "from %s", addr);
	if (!rc)
		rc = potw_staff_append(db, now, login, "signin", detail);
	if (!rc)
		rc = potw_sqx_exec(db, "COMMIT");
	if (rc)
		potw_sqx_exec(db, "ROLLBACK");
	rc = potw_sqx_done(st, k, rc);
	return rc ? rc : potw_store_durable(st);
}

int potw_session_get(struct potw_store *st, const char *token, hg_time now,
		     struct potw_session *s)
{
	sqlite3_stmt *k;
	uint8_t th[32];
	sqlite3 *db;
	hg_time until;
	int rc, r;

	if (strlen(token) != POTW_TOKEN_LEN)
		return hg_fail(HG_ENOTFOUND, "no such session");
	token_hash(token, th);
	/* every signed-in request asks it: prepared once, kept */
	rc = potw_sqx_start_kept(st, "SELECT s.login, u.role, s.csrf, s.created, s.expires "
				 "FROM sessions s JOIN users u ON u.login = s.login "
				 "WHERE s.token_hash = ? AND u.disabled IS NULL", &db, &k);
	if (rc)
		return rc;
	sqlite3_bind_blob(k, 1, th, 32, SQLITE_TRANSIENT);
	r = sqlite3_step(k);
	if (r != SQLITE_ROW && r != SQLITE_DONE)
		return potw_sqx_done_kept(st, k, potw_sqx_fail(db, "cannot read the sessions"));
	if (r == SQLITE_DONE)
		return potw_sqx_done_kept(st, k, hg_fail(HG_ENOTFOUND, "no such session"));
	memset(s, 0, sizeof *s);
	potw_sqx_copy(k, 0, s->login, sizeof s->login);
	s->role = potw_role_parse((const char *)sqlite3_column_text(k, 1));
	potw_sqx_copy(k, 2, s->csrf, sizeof s->csrf);
	s->created = sqlite3_column_int64(k, 3);
	s->expires = sqlite3_column_int64(k, 4);
	sqlite3_reset(k);	/* kept: reset, never finalized */
	k = NULL;
	if (s->expires <= now || s->created + POTW_SESSION_MAX <= now) {
		if (sqlite3_prepare_v2(db, "DELETE FROM sessions WHERE token_hash = ?", -1, &k,
				       NULL) == SQLITE_OK) {
			sqlite3_bind_blob(k, 1, th, 32, SQLITE_TRANSIENT);
			potw_sqx_run(db, k);
		}
		return potw_sqx_done(st, k, hg_fail(HG_ENOTFOUND, "the session has expired"));
	}
	until = now + POTW_SESSION_IDLE;
	if (until > s->created + POTW_SESSION_MAX)
		until = s->created + POTW_SESSION_MAX;
	if (until - s->expires < POTW_SESSION_RENEW)	/* renewed a moment ago: no write */
		return potw_sqx_done(st, NULL, HG_OK);
	if (sqlite3_prepare_v2(db, "UPDATE sessions SET expires = ? WHERE token_hash = ?", -1, &k,
			       NULL) != SQLITE_OK)
		return potw_sqx_done(st, k, potw_sqx_fail(db, "cannot renew the session"));
	sqlite3_bind_int64(k, 1, until);
	sqlite3_bind_blob(k, 2, th, 32, SQLITE_TRANSIENT);
	rc = potw_sqx_run(db, k);
	s->expires = until;
	return potw_sqx_done(st, k, rc);
}

struct token_ctx {
	uint8_t th[32];
};

static void bind_token(sqlite3_stmt *k, const void *ctx)
{
	const struct token_ctx *t = ctx;

	sqlite3_bind_blob(k, 1, t->th, 32, SQLITE_TRANSIENT);
}

int potw_session_end(struct potw_store *st, const char *token, hg_time now)
{
	struct potw_session s;
	struct token_ctx t;
	int rc;

	rc = potw_session_get(st, token, now, &s);
	if (rc)
		return rc;
	token_hash(token, t.th);
	return write_logged(st, "DELETE FROM sessions WHERE token_hash = ?", bind_token, &t, now,
			    s.login, "signout", "");
}

/* ---- the sign-in throttle ---- */

static int count(struct potw_store *st, const char *sql, const char *v, hg_time since,
		 long long *n)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_sqx_start(st, sql, &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, v);
	sqlite3_bind_int64(k, 2, since);
	if (sqlite3_step(k) != SQLITE_ROW)
		return potw_sqx_done(st, k, potw_sqx_fail(db, "cannot count failed sign-ins"));
	*n = sqlite3_column_int64(k, 0);
	return potw_sqx_done(st, k, HG_OK);
}

int potw_signin_failures(struct potw_store *st, const char *login, const char *addr,
			 hg_time now, long long *by_login, long long *by_addr)
{
	int rc;

	rc = count(st, "SELECT count(*) FROM signin_failures WHERE login = ? AND ts > ?", login,
		   now - POTW_SIGNIN_WINDOW, by_login);
	if (rc)
		return rc;
	return count(st, "SELECT count(*) FROM signin_failures WHERE addr = ? AND ts > ?", addr,
		     now - POTW_SIGNIN_WINDOW, by_addr);
}

int potw_signin_failed(struct potw_store *st, const char *login, const char *addr, hg_time now)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_sqx_start(st, "INSERT INTO signin_failures (login, addr, ts) VALUES (?, ?, ?)", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, login);
	potw_sqx_text(k, 2, addr);
	sqlite3_bind_int64(k, 3, now);
	rc = potw_sqx_run(db, k);
	sqlite3_finalize(k);
	k = NULL;
	if (!rc && sqlite3_prepare_v2(db, "DELETE FROM signin_failures WHERE ts <= ?", -1, &k,
				      NULL) == SQLITE_OK) {
		sqlite3_bind_int64(k, 1, now - POTW_SIGNIN_WINDOW);
		rc = potw_sqx_run(db, k);
	}
	return potw_sqx_done(st, k, rc);
}

int potw_signin_clear(struct potw_store *st, const char *login)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_sqx_start(st, "DELETE FROM signin_failures WHERE login = ?", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, login);
	return potw_sqx_done(st, k, potw_sqx_run(db, k));
}
