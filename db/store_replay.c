/* store_replay.c: the tables rebuilt from the event log and compared with
 * the tables of the file: the second half of `haulgate verify`.
 *
 * The tables are a projection of the log (core/record.c says which rows each
 * event makes).  store_verify_tables() attaches a private scratch database
 * (sqlite's temporary file: it lives on disk, not in memory, so a log of
 * millions of events costs no more than its page cache), creates there the
 * tables of record_tables[] without any constraint but their keys, replays
 * every event of the log through record_project() into them with the
 * store's own row writer (store_apply(), db/store_write.c), and then
 * compares them with the real tables table by table, key by key and column by
 * column, in one read transaction: each difference is one line given to the
 * caller's report function, e.g.
 *
 *   loads 12 gallons: 1500 in the table, 2500 in the log
 *   loads 13: in the table, not in the log
 *
 * The columns outside the record (the PIN hashes) are in no event and are
 * not compared.  Start reading at store_verify_tables(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "store_int.h"

#define SQL_MAX STORE_SQL_MAX
#define cat store_sql_cat	/* short: the SQL builders call it on every line */
#define SHOW_MAX 64	/* bytes of a text value shown in a line (a SHA-256 in hex whole) */

struct replay {
	struct store *st;
	store_report_fn report;
	void *arg;
	struct tables_result *r;
	struct sql_cache cache;	/* store_apply()'s statements into the scratch tables */
};

static void say(struct replay *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct replay *rp, const char *fmt, ...)
{
	char line[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	rp->r->differences++;
	if (rp->report)
		rp->report(rp->arg, line);
}

/* ---- the scratch tables ---- */

static int create_tables(struct replay *rp)
{
	struct store *st = rp->st;

	for (int t = 0; t < record_ntables; t++) {
		const struct rec_table *tb = &record_tables[t];
		char sql[SQL_MAX];
		size_t len = 0;
		int bad = cat(sql, &len, "CREATE TABLE replay.%s (", tb->name);
		int rc;

		for (int i = 0; i < tb->ncols; i++)
			bad |= cat(sql, &len, "%s%s %s", i ? ", " : "", tb->cols[i].name,
				   tb->cols[i].kind == 't' ? "TEXT" : "INTEGER");
		bad |= cat(sql, &len, ", PRIMARY KEY (");
		for (int i = 0; i < tb->nkey; i++)
			bad |= cat(sql, &len, "%s%s", i ? ", " : "", tb->cols[i].name);
		bad |= cat(sql, &len, ")");
		if (tb->unique)
			bad |= cat(sql, &len, ", UNIQUE (%s)", tb->unique);
		bad |= cat(sql, &len, ")");
		if (bad)
			return hg_fail(HG_ENOMEM, "the replay's SQL is too long (a bug)");
		rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return store_sqlerr(st, rc, "make the scratch tables");
	}
	return HG_OK;
}

/* ---- applying one event's changes ---- */

/* The key of a change as verify shows it: "12", "12/0", "station_id". */
static void change_key(const struct rec_change *c, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < c->nkey && len < cap; i++) {
		const struct rec_val *v = &c->v[i];
		int n = v->kind == REC_TEXT ? snprintf(buf + len, cap - len, "%s%s", i ? "/" : "", v->s)
					    : snprintf(buf + len, cap - len, "%s%lld", i ? "/" : "", v->i);

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

static int apply(struct replay *rp, const struct rec_event *ev, const struct rec_change *c)
{
	char key[200];
	int changed, refused, rc;

	if (c->op == REC_UPDATE && c->n <= c->nkey)
		return HG_OK;	/* a change of nothing */
	rc = store_apply(rp->st, &rp->cache, "replay", c, &changed, &refused);
	if (rc)
		return rc;
	change_key(c, key, sizeof key);
	if (refused)
		say(rp, "%s %s: made again by event %lld (%s)", c->table->name, key, ev->seq, ev->type);
	else if (c->op == REC_UPDATE && changed == 0)
		say(rp, "%s %s: changed by event %lld (%s) but never made in the log", c->table->name,
		    key, ev->seq, ev->type);
	return HG_OK;
}

static int replay_events(struct replay *rp)
{
	static const char sql[] =
		"SELECT seq, ts, type, load_no, actor, detail FROM main.events ORDER BY seq";
	struct store *st = rp->st;
	struct rec_out *out = malloc(sizeof *out);
	sqlite3_stmt *s;
	int rc, step = SQLITE_DONE;

	if (!out)
		return hg_fail(HG_ENOMEM, "out of memory replaying the log");
	rc = store_stmt(st, sql, &s);
	if (rc) {
		free(out);
		return rc;
	}
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		struct rec_event ev = {
			sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
			(const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3),
			(const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5),
		};

		rp->r->events++;
		rc = record_project(&ev, out);
		if (rc) {
			rp->r->unchecked = 1;
			snprintf(rp->r->why, sizeof rp->r->why, "%s", out->why);
			record_out_free(out);
			rc = HG_OK;	/* said through r->unchecked */
			break;
		}
		for (int i = 0; !rc && i < out->n; i++)
			rc = apply(rp, &ev, &out->c[i]);
		record_out_free(out);
	}
	if (!rc && !rp->r->unchecked && step != SQLITE_DONE)
		rc = store_sqlerr(st, step, "read the event log");
	sqlite3_reset(s);
	free(out);
	return rc;
}

/* ---- comparing ---- */

/* A value of column col of the current row, as a line shows it; a text is
 * shown from byte from on (after "..."), where two long texts part. */
static void show(sqlite3_stmt *s, int col, size_t from, char *buf, size_t cap)
{
	const unsigned char *t;
	size_t n, o = 0;

	switch (sqlite3_column_type(s, col)) {
	case SQLITE_NULL:
		snprintf(buf, cap, "none");
		return;
	case SQLITE_INTEGER:
		snprintf(buf, cap, "%lld", (long long)sqlite3_column_int64(s, col));
		return;
	default:
		break;
	}
	t = sqlite3_column_text(s, col);
	n = (size_t)sqlite3_column_bytes(s, col);
	buf[o++] = '\'';
	if (from && t && from < n) {
		while (from && (t[from] & 0xc0) == 0x80)	/* a character's first byte */
			from--;
		memcpy(buf + o, "...", 3);
		o += 3;
		t += from;
		n -= from;
	}
	for (size_t i = 0; t && i < n && o + 6 < cap; i++) {
		if (i == SHOW_MAX) {
			/* back to the start of a UTF-8 character, then "..." */
			while (o > 1 && (buf[o - 1] & 0xc0) == 0x80)
				o--;
			if (o > 1 && (buf[o - 1] & 0x80))
				o--;
			memcpy(buf + o, "...", 3);
			o += 3;
			break;
		}
		buf[o++] = t[i] < 0x20 ? ' ' : (char)t[i];
	}
	buf[o++] = '\'';
	buf[o] = '\0';
}

static int same(sqlite3_stmt *s, int a, int b)
{
	int ta = sqlite3_column_type(s, a), tb = sqlite3_column_type(s, b);

	if (ta != tb)
		return 0;
	if (ta == SQLITE_NULL)
		return 1;
	if (ta == SQLITE_INTEGER)
		return sqlite3_column_int64(s, a) == sqlite3_column_int64(s, b);
	{
		const void *x = sqlite3_column_blob(s, a), *y = sqlite3_column_blob(s, b);
		int n = sqlite3_column_bytes(s, a);

		/* an empty text has no pointer */
		return n == sqlite3_column_bytes(s, b) && (n == 0 || memcmp(x, y, (size_t)n) == 0);
	}
}

/* Where two long texts part, less some context: 0 when they part early. */
static size_t parting(sqlite3_stmt *s, int a, int b)
{
	const unsigned char *x, *y;
	size_t i = 0;

	if (sqlite3_column_type(s, a) != SQLITE_TEXT || sqlite3_column_type(s, b) != SQLITE_TEXT)
		return 0;
	x = sqlite3_column_text(s, a);
	y = sqlite3_column_text(s, b);
	while (x && y && x[i] && x[i] == y[i])
		i++;
	return i > SHOW_MAX - 20 ? i - 20 : 0;
}

/* The key of the current row (its first nkey columns) as "12" or "12/0". */
static void row_key(sqlite3_stmt *s, int nkey, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < nkey && len < cap; i++) {
		const unsigned char *t = sqlite3_column_text(s, i);
		int n = snprintf(buf + len, cap - len, "%s%s", i ? "/" : "", t ? (const char *)t : "");

		if (n < 0)
			break;
		len += (size_t)n;
	}
}

static int keys_sql(const struct rec_table *tb, const char *alias, char *sql, size_t *len)
{
	int bad = 0;

	for (int i = 0; i < tb->nkey; i++)
		bad |= cat(sql, len, "%s%s.%s", i ? ", " : "", alias, tb->cols[i].name);
	return bad;
}

static int join_sql(const struct rec_table *tb, char *sql, size_t *len)
{
	int bad = 0;

	for (int i = 0; i < tb->nkey; i++)
		bad |= cat(sql, len, "%sr.%s = m.%s", i ? " AND " : "", tb->cols[i].name,
			   tb->cols[i].name);
	return bad;
}

static int run_rows(struct replay *rp, const char *sql, const struct rec_table *tb, int mode)
{
	struct store *st = rp->st;
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);

	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "compare the tables with the log");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char key[200];

		row_key(s, tb->nkey, key, sizeof key);
		if (mode == 0) {
			rp->r->rows++;
			for (int i = tb->nkey; i < tb->ncols; i++) {
				int a = tb->nkey + 2 * (i - tb->nkey), b = a + 1;
				char va[SHOW_MAX + 16], vb[SHOW_MAX + 16];
				size_t from;

				if (same(s, a, b))
					continue;
				from = parting(s, a, b);
				show(s, a, from, va, sizeof va);
				show(s, b, from, vb, sizeof vb);
				say(rp, "%s %s %s: %s in the table, %s in the log", tb->name, key,
				    tb->cols[i].name, va, vb);
			}
		} else if (mode == 1) {
			say(rp, "%s %s: in the table, not in the log", tb->name, key);
		} else {
			say(rp, "%s %s: in the log, not in the table", tb->name, key);
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "compare the tables with the log");
	return HG_OK;
}

static int compare_table(struct replay *rp, const struct rec_table *tb)
{
	char sql[SQL_MAX];
	size_t len = 0;
	int bad = 0, rc;

	/* the rows of both, value against value */
	bad |= cat(sql, &len, "SELECT ");
	bad |= keys_sql(tb, "m", sql, &len);
	for (int i = tb->nkey; i < tb->ncols; i++)
		bad |= cat(sql, &len, ", m.%s, r.%s", tb->cols[i].name, tb->cols[i].name);
	bad |= cat(sql, &len, " FROM main.%s m JOIN replay.%s r ON ", tb->name, tb->name);
	bad |= join_sql(tb, sql, &len);
	bad |= cat(sql, &len, " ORDER BY ");
	bad |= keys_sql(tb, "m", sql, &len);
	if (bad)
		return hg_fail(HG_ENOMEM, "the replay's SQL is too long (a bug)");
	rc = run_rows(rp, sql, tb, 0);
	if (rc)
		return rc;

	/* rows of one side only: mode 1 the table's, mode 2 the log's */
	for (int mode = 1; mode <= 2; mode++) {
		const char *a = mode == 1 ? "main" : "replay", *b = mode == 1 ? "replay" : "main";

		len = 0;
		bad |= cat(sql, &len, "SELECT ");
		bad |= keys_sql(tb, "m", sql, &len);
		bad |= cat(sql, &len, " FROM %s.%s m WHERE NOT EXISTS (SELECT 1 FROM %s.%s r WHERE ",
			   a, tb->name, b, tb->name);
		bad |= join_sql(tb, sql, &len);
		bad |= cat(sql, &len, ") ORDER BY ");
		bad |= keys_sql(tb, "m", sql, &len);
		if (bad)
			return hg_fail(HG_ENOMEM, "the replay's SQL is too long (a bug)");
		rc = run_rows(rp, sql, tb, mode);
		if (rc)
			return rc;
	}
	return HG_OK;
}

/* ---- the whole check ---- */

static void detach(struct store *st)
{
	sqlite3_exec(st->db, "DETACH DATABASE replay", NULL, NULL, NULL);
}

static int attach(struct store *st)
{
	int rc = sqlite3_exec(st->db, "ATTACH DATABASE '' AS replay", NULL, NULL, NULL);

	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "make a scratch database for the replay");
	/* scratch: nothing to keep if we die, so no journal and no fsync */
	sqlite3_exec(st->db, "PRAGMA replay.journal_mode = OFF; PRAGMA replay.synchronous = OFF; "
		     "PRAGMA replay.cache_size = -65536", NULL, NULL, NULL);
	return HG_OK;
}

int store_verify_tables(struct store *st, store_report_fn report, void *arg,
			struct tables_result *r)
{
	struct replay rp = { st, report, arg, r, { 0 } };
	int rc;

	memset(r, 0, sizeof *r);
	if (st->in_tx)
		return hg_fail(HG_EBUSY, "a database transaction is already open (a bug)");
	rc = attach(st);
	if (rc)
		return rc;
	rc = create_tables(&rp);
	if (!rc)
		rc = store_begin_read(st);
	if (!rc) {
		rc = replay_events(&rp);
		for (int t = 0; !rc && !r->unchecked && t < record_ntables; t++)
			rc = compare_table(&rp, &record_tables[t]);
		store_cache_free(&rp.cache);
		store_end_read(st);
	}
	store_cache_free(&rp.cache);
	detach(st);
	if (rc)
		return rc;
	if (r->unchecked)
		return hg_fail(HG_ECORRUPT, "the tables cannot be rebuilt from the log: %s",
			       r->why);
	if (r->differences)
		return hg_fail(HG_ECORRUPT, "the tables differ from the event log in %lld places",
			       r->differences);
	return HG_OK;
}
