/* store_write.c: the one writer of the station's rows.  A change to the
 * record is an event, and its rows are what core/record.c says that event
 * makes: the same projection `verify` replays and the plant's server links.
 *
 * A mutating function of the store checks what it is given, opens a
 * transaction, builds the event's detail (JSON, every value the rows need)
 * and ends with store_finish() (or store_write() for several events): the
 * event is appended to the hash chain, record_project() turns it into row
 * changes (insert, update, upsert; table, column = value), and store_apply()
 * writes each change with SQL made from the change itself, so no function of
 * the store writes a row with its own INSERT or UPDATE.  The same
 * store_apply() fills verify's scratch tables (db/store_replay.c).
 *
 * Two things the log does not say are added here: the row id of a new row
 * is the next one (store_next_id(), what sqlite would give: max + 1), put in
 * the detail by the caller; and a column outside the record (a PIN hash:
 * record_outside[]) is set from the secret the caller passes, never from the
 * event.  Start reading at store_write(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "store_int.h"

#define SQL_MAX STORE_SQL_MAX
#define cat store_sql_cat	/* short: the SQL builders call it on every line */

int store_sql_cat(char *sql, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(sql + *len, SQL_MAX - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= SQL_MAX - *len)
		return -1;
	*len += (size_t)n;
	return 0;
}

/* ---- statements made from a change ---- */

static int cached_stmt(struct store *st, struct sql_cache *cache, const char *sql,
		       sqlite3_stmt **out)
{
	int rc;

	for (int i = 0; i < cache->n; i++) {
		if (strcmp(cache->c[i].sql, sql) == 0) {
			*out = cache->c[i].stmt;
			sqlite3_reset(*out);
			sqlite3_clear_bindings(*out);
			return HG_OK;
		}
	}
	if (cache->n == SQL_CACHE_MAX)
		return hg_fail(HG_ENOMEM, "too many row statements (a bug: raise SQL_CACHE_MAX)");
	rc = sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, out, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "prepare a row's statement");
	cache->c[cache->n].sql = strdup(sql);
	if (!cache->c[cache->n].sql) {
		sqlite3_finalize(*out);
		return hg_fail(HG_ENOMEM, "out of memory writing a row");
	}
	cache->c[cache->n++].stmt = *out;
	return HG_OK;
}

void store_cache_free(struct sql_cache *cache)
{
	for (int i = 0; i < cache->n; i++) {
		sqlite3_finalize(cache->c[i].stmt);
		free(cache->c[i].sql);
	}
	cache->n = 0;
}

void store_cache_reset(struct sql_cache *cache)
{
	for (int i = 0; i < cache->n; i++)
		sqlite3_reset(cache->c[i].stmt);
}

static int change_sql(const char *schema, const struct rec_change *c, char *sql)
{
	const char *name = c->table->name;
	size_t len = 0;
	int bad = 0;

	if (c->op == REC_UPDATE) {
		bad |= cat(sql, &len, "UPDATE %s.%s SET ", schema, name);
		for (int i = c->nkey; i < c->n; i++)
			bad |= cat(sql, &len, "%s%s = ?%d", i > c->nkey ? ", " : "", c->v[i].col, i + 1);
		bad |= cat(sql, &len, " WHERE ");
		for (int i = 0; i < c->nkey; i++)
			bad |= cat(sql, &len, "%s%s = ?%d", i ? " AND " : "", c->v[i].col, i + 1);
		return bad;
	}
	bad |= cat(sql, &len, "INSERT INTO %s.%s (", schema, name);
	for (int i = 0; i < c->n; i++)
		bad |= cat(sql, &len, "%s%s", i ? ", " : "", c->v[i].col);
	bad |= cat(sql, &len, ") VALUES (");
	for (int i = 0; i < c->n; i++)
		bad |= cat(sql, &len, "%s?%d", i ? ", " : "", i + 1);
	bad |= cat(sql, &len, ")");
	if (c->op == REC_UPSERT) {
		bad |= cat(sql, &len, " ON CONFLICT (");
		for (int i = 0; i < c->nkey; i++)
			bad |= cat(sql, &len, "%s%s", i ? ", " : "", c->v[i].col);
		if (c->n == c->nkey)	/* nothing but the key: the row is there */
			return bad | cat(sql, &len, ") DO NOTHING");
		bad |= cat(sql, &len, ") DO UPDATE SET ");
		for (int i = c->nkey; i < c->n; i++)
			bad |= cat(sql, &len, "%s%s = excluded.%s", i > c->nkey ? ", " : "",
				   c->v[i].col, c->v[i].col);
	}
	return bad;
}

int store_apply(struct store *st, struct sql_cache *cache, const char *schema,
		const struct rec_change *c, int *changed, int *refused)
{
	char sql[SQL_MAX];
	sqlite3_stmt *s;
	int rc;

	*changed = 0;
	if (refused)
		*refused = 0;
	if (c->op == REC_UPDATE && c->n <= c->nkey)
		return HG_OK;	/* a change of nothing */
	if (change_sql(schema, c, sql))
		return hg_fail(HG_ENOMEM, "the SQL of a %s row is too long (a bug)", c->table->name);
	rc = cached_stmt(st, cache, sql, &s);
	if (rc)
		return rc;
	for (int i = 0; i < c->n; i++) {
		const struct rec_val *v = &c->v[i];

		if (v->kind == REC_TEXT)
			sqlite3_bind_text(s, i + 1, v->s ? v->s : "", -1, SQLITE_STATIC);
		else if (v->kind == REC_INT)
			sqlite3_bind_int64(s, i + 1, v->i);
		else
			sqlite3_bind_null(s, i + 1);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (refused && (rc & 0xff) == SQLITE_CONSTRAINT) {
		*refused = 1;
		return HG_OK;
	}
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "write a row");
	*changed = sqlite3_changes(st->db);
	return HG_OK;
}

/* ---- ids and secrets ---- */

int store_next_id(struct store *st, const char *table, long long *id)
{
	static const char *const sql[][2] = {
		{ "haulers", "SELECT coalesce(max(id), 0) + 1 FROM haulers" },
		{ "cards", "SELECT coalesce(max(id), 0) + 1 FROM cards" },
		{ "trucks", "SELECT coalesce(max(id), 0) + 1 FROM trucks" },
		{ "operators", "SELECT coalesce(max(id), 0) + 1 FROM operators" },
		{ "loads", "SELECT coalesce(max(load_no), 0) + 1 FROM loads" },
		{ "rv_visits", "SELECT coalesce(max(id), 0) + 1 FROM rv_visits" },
	};
	sqlite3_stmt *s;
	int rc;

	for (size_t i = 0; i < HG_ARRAY_LEN(sql); i++) {
		if (strcmp(sql[i][0], table) != 0)
			continue;
		rc = store_stmt(st, sql[i][1], &s);
		if (rc)
			return rc;
		return store_int(st, s, "number the new row", id);
	}
	return hg_fail(HG_EINVAL, "no row ids for table '%s' (a bug)", table);
}

/* The column of c's table outside the record ("pin_hash"), or NULL. */
static const char *outside_col(const struct rec_change *c)
{
	size_t n = strlen(c->table->name);

	for (const struct rec_outside *o = record_outside; o->column; o++)
		if (strncmp(o->column, c->table->name, n) == 0 && o->column[n] == '.')
			return o->column + n + 1;
	return NULL;
}

/* ---- folding a write's changes ---- */

static int same_val(const struct rec_val *a, const struct rec_val *b)
{
	if (a->kind != b->kind)
		return 0;
	if (a->kind == REC_TEXT)
		return strcmp(a->s ? a->s : "", b->s ? b->s : "") == 0;
	return a->kind == REC_NULL || a->i == b->i;
}

/* Is u an update of the row that insert c makes? */
static int same_row(const struct rec_change *c, const struct rec_change *u)
{
	if (c->op != REC_INSERT || u->op != REC_UPDATE || c->table != u->table ||
	    c->nkey != u->nkey || c->n < c->nkey || u->n < u->nkey)
		return 0;
	for (int i = 0; i < u->nkey; i++)
		if (strcmp(c->v[i].col, u->v[i].col) != 0 || !same_val(&c->v[i], &u->v[i]))
			return 0;
	return 1;
}

/* Fold update u into insert c: its values set there; u is left a change of
 * nothing. */
static int fold(struct rec_change *c, struct rec_change *u)
{
	for (int i = u->nkey; i < u->n; i++) {
		int k = 0;

		while (k < c->n && strcmp(c->v[k].col, u->v[i].col) != 0)
			k++;
		if (k == c->n) {
			if (c->n == REC_MAX_VALS)
				return hg_fail(HG_ENOMEM, "too many values in a %s row (a bug)",
					       c->table->name);
			c->n++;
		}
		c->v[k] = u->v[i];
	}
	u->n = u->nkey;
	return HG_OK;
}

/* The updates of outs[1..n) of a row an insert of an earlier event makes
 * (a load's decision, in the same commit as the load) go into that insert,
 * so that the row is whole when it is written (its verdict is NOT NULL). */
static int fold_all(struct rec_out *outs, int n)
{
	for (int e = 1; e < n; e++) {
		for (int k = 0; k < outs[e].n; k++) {
			struct rec_change *u = &outs[e].c[k];

			for (int d = 0; d < e; d++) {
				for (int m = 0; m < outs[d].n; m++) {
					int rc;

					if (!same_row(&outs[d].c[m], u))
						continue;
					rc = fold(&outs[d].c[m], u);
					if (rc)
						return rc;
				}
			}
		}
	}
	return HG_OK;
}

/* ---- the write ---- */

/* Add the secret to c (an insert of a table with a column outside the record). */
static int add_secret(struct rec_change *c, const char *secret)
{
	const char *col = outside_col(c);
	struct rec_val *v;

	if (!col || c->op != REC_INSERT)
		return hg_fail(HG_EINVAL, "a secret given for a %s row (a bug)", c->table->name);
	if (c->n == REC_MAX_VALS)
		return hg_fail(HG_ENOMEM, "too many values in a %s row (a bug)", c->table->name);
	v = &c->v[c->n++];
	v->col = col;
	v->kind = REC_TEXT;
	v->s = secret;
	v->i = 0;
	return HG_OK;
}

static int apply_out(struct store *st, const struct store_ev *ev, struct rec_out *out)
{
	for (int i = 0; i < out->n; i++) {
		const struct rec_change *c = &out->c[i];
		int changed, rc;

		rc = store_apply(st, &st->writes, "main", c, &changed, NULL);
		if (rc)
			return rc;
		if (c->op == REC_UPDATE && c->n > c->nkey && changed == 0)
			return hg_fail(HG_ENOTFOUND, "event %s changes a %s row that is not there",
				       ev->type, c->table->name);
	}
	return HG_OK;
}

int store_write(struct store *st, const struct store_ev *ev, int n, const char *actor,
		const char *secret)
{
	struct rec_out *outs;
	int done = 0, rc = HG_OK;

	if (n < 1)
		return hg_fail(HG_EINVAL, "a write of no event (a bug)");
	outs = calloc((size_t)n, sizeof *outs);
	if (!outs)
		return hg_fail(HG_ENOMEM, "out of memory writing an event");
	for (; !rc && done < n; done++) {
		struct rec_event re = { 0, ev[done].ts, ev[done].type, ev[done].load_no, actor,
					ev[done].detail };

		rc = store_event_add(st, ev[done].ts, ev[done].type, ev[done].load_no, actor,
				     ev[done].detail);
		if (rc)
			break;
		re.seq = st->tx_seq;
		rc = record_project(&re, &outs[done]);
		if (rc)
			rc = hg_fail(HG_EINVAL, "the rows of %s (a bug)", outs[done].why);
	}
	if (!rc && secret && outs[0].n > 0)
		rc = add_secret(&outs[0].c[0], secret);
	if (!rc)
		rc = fold_all(outs, n);
	for (int i = 0; !rc && i < n; i++)
		rc = apply_out(st, &ev[i], &outs[i]);
	for (int i = 0; i < n; i++)
		record_out_free(&outs[i]);
	free(outs);
	return rc;
}

int store_finish(struct store *st, int rc, hg_time ts, const char *type, long long load_no,
		 const char *actor, cJSON *j)
{
	char *detail;
	struct store_ev ev = { ts, type, load_no, NULL };

	if (rc) {
		cJSON_Delete(j);
		return store_end(st, rc);
	}
	detail = store_json_print(j);
	cJSON_Delete(j);
	if (!detail)
		return store_end(st, HG_ENOMEM);
	ev.detail = detail;
	rc = store_write(st, &ev, 1, actor, NULL);
	store_json_free(detail);
	return store_end(st, rc);
}

int store_finish_insert(struct store *st, int rc, long long id, hg_time ts, const char *type,
			const char *actor, cJSON *j, const char *secret, long long *id_out)
{
	char *detail = rc ? NULL : store_json_print(j);
	struct store_ev ev = { ts, type, 0, detail };

	cJSON_Delete(j);
	if (rc || !detail)
		return store_end(st, rc ? rc : HG_ENOMEM);
	rc = store_write(st, &ev, 1, actor, secret);
	store_json_free(detail);
	rc = store_end(st, rc);
	if (!rc && id_out)
		*id_out = id;
	return rc;
}

int store_need(struct store *st, const char *sql, long long id, const char *none)
{
	sqlite3_stmt *s;
	long long n;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	rc = store_int(st, s, "read the database", &n);
	if (rc)
		return rc;
	if (!n)
		return hg_fail(HG_ENOTFOUND, "%s %lld", none, id);
	return HG_OK;
}
