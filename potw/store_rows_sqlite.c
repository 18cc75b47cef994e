/* store_rows_sqlite.c: the plant's rows checked against its events (the
 * store's rows_check, potw/store.h; `haulgate-potw verify` and the
 * background verifier, potw/verifier.c).  Every event of a station, or the
 * events of the loads touched after a size, projected again by the record
 * code the station links (core/record.c) into tables of an in-memory
 * database attached as "scratch", then compared with the rows held, table
 * by table; a whole check also compares the loads' day sums.  Part of the
 * sqlite store (potw/store_sqlite.c), in a file of its own.  Start reading
 * at sq_rows_check(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_days_sqlite.h"
#include "store_sqlite_int.h"
#include "../core/report.h"

/* Statements on the scratch tables, finalized before they go. */
struct scratch {
	struct sq *q;
	struct stmt_cache c;
};

static int scratch_apply(struct scratch *sc, const char *id, const struct rec_change *c)
{
	char sql[REC_SQL_MAX];
	sqlite3_stmt *k;
	int rc;

	if (c->op == REC_UPDATE && c->n <= c->nkey)
		return HG_OK;
	if (sq_change_sql(c, "scratch", sql, sizeof sql))
		return hg_fail(HG_ENOMEM, "the SQL of a %s row is too long (a bug)", c->table->name);
	rc = sq_cache_get(sc->q, &sc->c, sql, 0, &k);
	return rc ? rc : sq_run_change(sc->q, k, id, c);
}

/* The load numbers the events of ?1 after event ?2 carry. */
#define TOUCHED "SELECT load_no FROM main.events WHERE station = ?1 AND seq > ?2 AND load_no > 0"

/* Every event of id projected into the scratch tables; after > 0: the
 * events of the loads those after event after touched. */
static int scratch_fill(struct scratch *sc, const char *id, long long after,
			struct potw_rows_check *out)
{
	struct rec_out *ro = malloc(sizeof *ro);
	struct rec_event re;
	sqlite3_stmt *k;
	int rc, r, j;

	if (!ro)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = sq_prepare(sc->q, after ? "SELECT seq, ts, type, load_no, actor, detail FROM main.events "
		     "WHERE station = ?1 AND load_no IN (" TOUCHED ") ORDER BY seq"
		     : "SELECT seq, ts, type, load_no, actor, detail FROM main.events "
		     "WHERE station = ?1 ORDER BY seq", &k);
	if (rc) {
		free(ro);
		return rc;
	}
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	if (after)
		sqlite3_bind_int64(k, 2, after);
	while (!rc && (r = sqlite3_step(k)) == SQLITE_ROW) {
		re.seq = sqlite3_column_int64(k, 0);
		re.ts = sqlite3_column_int64(k, 1);
		re.type = (const char *)sqlite3_column_text(k, 2);
		re.load_no = sqlite3_column_int64(k, 3);
		re.actor = (const char *)sqlite3_column_text(k, 4);
		re.detail = (const char *)sqlite3_column_text(k, 5);
		rc = record_project(&re, ro);
		if (rc) {
			snprintf(out->table, sizeof out->table, "events");
			snprintf(out->why, sizeof out->why, "%s", ro->why);
			rc = hg_fail(HG_ECORRUPT, "station '%s': %s", id, ro->why);
		}
		for (j = 0; j < ro->n && !rc; j++)
			rc = scratch_apply(sc, id, &ro->c[j]);
		record_out_free(ro);
	}
	if (!rc && r != SQLITE_DONE)
		rc = sq_db_fail(sc->q, HG_EIO, "cannot read the events");
	sqlite3_finalize(k);
	free(ro);
	return rc;
}

/* One number from sql with ?1 = id (and ?2 = after, when sql has it). */
int sq_count_of(struct sq *q, const char *sql, const char *id, long long after, long long *n)
{
	sqlite3_stmt *k;
	int rc = sq_prepare(q, sql, &k);

	if (rc)
		return rc;
	sqlite3_bind_text(k, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(k) >= 2)
		sqlite3_bind_int64(k, 2, after);
	if (sqlite3_step(k) == SQLITE_ROW)
		*n = sqlite3_column_int64(k, 0);
	else
		rc = sq_db_fail(q, HG_EIO, "cannot compare the rows");
	sqlite3_finalize(k);
	return rc;
}

/* The kept rec_* rows against the scratch ones, table by table; after >
 * 0: only the rows keyed by the load numbers TOUCHED. */
static int scratch_compare(struct sq *q, const char *id, long long after,
			   struct potw_rows_check *out)
{
	char cols[1024], sql[2600];
	long long kept, only_kept, only_made;
	const char *only = after ? " AND load_no IN (" TOUCHED ")" : "";
	size_t len;
	int t, c, rc;

	for (t = 0; t < record_ntables; t++) {
		const struct rec_table *rt = &record_tables[t];

		if (after && strcmp(rt->cols[0].name, "load_no"))
			continue;	/* not a load's: the whole check's */
		len = 0;
		for (c = 0; c < rt->ncols; c++)
			if (sq_cat(cols, sizeof cols, &len, "%s%s", c ? ", " : "", rt->cols[c].name))
				return hg_fail(HG_ETOOLONG, "too many columns in %s (a bug)", rt->name);
		snprintf(sql, sizeof sql, "SELECT count(*) FROM main." POTW_REC_PREFIX "%s WHERE "
			 POTW_REC_STATION " = ?1%s", rt->name, only);
		rc = sq_count_of(q, sql, id, after, &kept);
		if (rc)
			return rc;
		out->rows += kept;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT %s FROM main." POTW_REC_PREFIX
			 "%s WHERE " POTW_REC_STATION " = ?1%s EXCEPT SELECT %s FROM scratch."
			 POTW_REC_PREFIX "%s WHERE " POTW_REC_STATION " = ?1)", cols, rt->name, only,
			 cols, rt->name);
		rc = sq_count_of(q, sql, id, after, &only_kept);
		if (rc)
			return rc;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM (SELECT %s FROM scratch."
			 POTW_REC_PREFIX "%s WHERE " POTW_REC_STATION " = ?1 EXCEPT SELECT %s FROM main."
			 POTW_REC_PREFIX "%s WHERE " POTW_REC_STATION " = ?1%s)", cols, rt->name, cols,
			 rt->name, only);
		rc = sq_count_of(q, sql, id, after, &only_made);
		if (rc)
			return rc;
		if (only_kept || only_made) {
			snprintf(out->table, sizeof out->table, POTW_REC_PREFIX "%s", rt->name);
			snprintf(out->why, sizeof out->why, "%lld rows kept are not what the log makes, "
				 "%lld rows the log makes are not kept", only_kept, only_made);
			return hg_fail(HG_ECORRUPT, "station '%s': %s: %s", id, out->table, out->why);
		}
	}
	return HG_OK;
}

/* The day sums kept (store_days_sqlite.c) against the station's loads, in
 * a whole check: not the record, but what the dashboard shows of it. */
static int days_compare(struct sq *q, const char *id, struct potw_rows_check *out)
{
	long long differ;
	int rc = potw_sq_days_check(q->db, id, &differ);

	if (rc || !differ)
		return rc;
	snprintf(out->table, sizeof out->table, POTW_DAYS_TABLE);
	snprintf(out->why, sizeof out->why, "%lld day sums are not the sums of the loads kept",
		 differ);
	return hg_fail(HG_ECORRUPT, "station '%s': %s: %s", id, out->table, out->why);
}

int sq_rows_check(struct potw_store *st, const char *id, long long after,
			 struct potw_rows_check *out)
{
	struct sq *q = (struct sq *)st;
	struct scratch *sc = calloc(1, sizeof *sc);
	char *schema_sql = malloc(REC_SCHEMA_MAX);
	char words[512];
	int rc;

	if (!sc || !schema_sql) {
		free(sc);
		free(schema_sql);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	sc->q = q;
	rc = sq_exec(q, "ATTACH DATABASE ':memory:' AS scratch");
	if (rc)
		goto out;
	rc = sq_record_schema("scratch", schema_sql, REC_SCHEMA_MAX);
	if (!rc)
		rc = sq_exec(q, "BEGIN");	/* one snapshot of the events and the rows */
	if (!rc) {
		rc = sq_exec(q, schema_sql);
		if (!rc)
			rc = scratch_fill(sc, id, after, out);
		if (!rc)
			rc = scratch_compare(q, id, after, out);
		if (!rc && !after)
			rc = days_compare(q, id, out);
		snprintf(words, sizeof words, "%s", hg_error_text());
		sq_exec(q, "ROLLBACK");
		if (rc)
			hg_fail(rc, "%s", words);
	}
	sq_cache_free(&sc->c);
	snprintf(words, sizeof words, "%s", hg_error_text());
	sq_exec(q, "DETACH DATABASE scratch");
	if (rc)
		hg_fail(rc, "%s", words);
out:
	free(sc);
	free(schema_sql);
	return rc;
}
