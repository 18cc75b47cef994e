/* store_lab.c: the plant's lab records in its sqlite database
 * (store_lab.h; the tables: store_lab_sqlite.c).
 *
 * The loads are read from the stations' record (rec_loads,
 * rec_load_sources: the copy of each station's log, written only by the
 * sync); what the plant finds is written to its own tables.  A result is
 * judged by potw/lab.c against its parameter as the database holds it, in
 * the transaction that keeps it, so two coordinators entering at once
 * cannot judge against a limit being changed.  Start reading at
 * potw_lab_result_add(). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "store_lab.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "store_users.h"
#include "../core/report.h"
#include "../core/text.h"

#define LOAD_COLS \
	"station_id, load_no, day, hauler_id, company, company_address, driver, permit, " \
	"truck, waste, bottle, verdict, gallons, gallons_measured, sampled, t_sampled"

static void read_load(sqlite3_stmt *k, struct potw_lab_load *o)
{
	memset(o, 0, sizeof *o);
	potw_sqx_copy(k, 0, o->station, sizeof o->station);
	o->load_no = sqlite3_column_int64(k, 1);
	potw_sqx_copy(k, 2, o->day, sizeof o->day);
	o->hauler_id = sqlite3_column_int64(k, 3);
	potw_sqx_copy(k, 4, o->company, sizeof o->company);
	potw_sqx_copy(k, 5, o->company_address, sizeof o->company_address);
	potw_sqx_copy(k, 6, o->driver, sizeof o->driver);
	potw_sqx_copy(k, 7, o->permit, sizeof o->permit);
	potw_sqx_copy(k, 8, o->truck, sizeof o->truck);
	potw_sqx_copy(k, 9, o->waste, sizeof o->waste);
	potw_sqx_copy(k, 10, o->bottle, sizeof o->bottle);
	potw_sqx_copy(k, 11, o->verdict, sizeof o->verdict);
	o->gallons = (long)sqlite3_column_int64(k, 12);
	o->measured = (long)sqlite3_column_int64(k, 13);
	o->sampled = sqlite3_column_int(k, 14);
	o->t_sampled = sqlite3_column_int64(k, 15);
}

int potw_lab_load_get(struct potw_store *st, const char *station, long long load_no,
		      struct potw_lab_load *out)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " LOAD_COLS " FROM rec_loads WHERE station_id = ? AND "
			    "load_no = ?", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, station);
	sqlite3_bind_int64(k, 2, load_no);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		read_load(k, out);
	else if (r == SQLITE_DONE)
		rc = hg_fail(HG_ENOTFOUND, "no load %lld of station '%s'", load_no, station);
	else
		rc = potw_sqx_fail(db, "cannot read the load");
	return potw_sqx_done(st, k, rc);
}

int potw_lab_bottle_find(struct potw_store *st, const char *bottle,
			 char station[POTW_STATION_ID_MAX + 1], long long *load_no)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r, n = 0;

	rc = potw_sqx_start(st, "SELECT station_id, load_no FROM rec_loads WHERE bottle = ? "
			    "AND sampled = 1 LIMIT 2", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, bottle);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		if (n++ == 0) {
			potw_sqx_copy(k, 0, station, POTW_STATION_ID_MAX + 1);
			*load_no = sqlite3_column_int64(k, 1);
		}
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the loads");
	else if (n == 0)
		rc = hg_fail(HG_ENOTFOUND, "no sampled load holds the bottle '%s'", bottle);
	else if (n > 1)
		rc = hg_fail(HG_EEXIST, "loads of several stations hold the bottle '%s'", bottle);
	return potw_sqx_done(st, k, rc);
}

int potw_lab_sources_each(struct potw_store *st, const char *station, long long load_no,
			  int (*fn)(const char *name, const char *address, const char *town,
				    void *ctx), void *ctx)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT name, address, town FROM rec_load_sources WHERE "
			    "station_id = ? AND load_no = ? ORDER BY idx", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, station);
	sqlite3_bind_int64(k, 2, load_no);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		rc = fn(potw_sqx_col(k, 0), potw_sqx_col(k, 1), potw_sqx_col(k, 2), ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the sources");
	return potw_sqx_done(st, k, rc);
}

/* ---- parameters ---- */

#define PARAM_COLS "name, unit, min_u, max_u, section, changed, changed_by"

/* A limit pair of columns col (min) and col + 1 (max), NULL: none. */
static void read_limits(sqlite3_stmt *k, int col, int *has_min, long long *min, int *has_max,
			long long *max)
{
	*has_min = sqlite3_column_type(k, col) != SQLITE_NULL;
	*min = sqlite3_column_int64(k, col);
	*has_max = sqlite3_column_type(k, col + 1) != SQLITE_NULL;
	*max = sqlite3_column_int64(k, col + 1);
}

static void read_param(sqlite3_stmt *k, struct potw_lab_param *o)
{
	memset(o, 0, sizeof *o);
	potw_sqx_copy(k, 0, o->p.name, sizeof o->p.name);
	potw_sqx_copy(k, 1, o->p.unit, sizeof o->p.unit);
	read_limits(k, 2, &o->p.has_min, &o->p.min, &o->p.has_max, &o->p.max);
	potw_sqx_copy(k, 4, o->p.section, sizeof o->p.section);
	o->changed = sqlite3_column_int64(k, 5);
	potw_sqx_copy(k, 6, o->changed_by, sizeof o->changed_by);
}

int potw_lab_params_each(struct potw_store *st,
			 int (*fn)(const struct potw_lab_param *p, void *ctx), void *ctx)
{
	struct potw_lab_param p;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " PARAM_COLS " FROM lab_params ORDER BY "
			    "min_u IS NULL AND max_u IS NULL, name COLLATE NOCASE", &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		read_param(k, &p);
		rc = fn(&p, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the parameters");
	return potw_sqx_done(st, k, rc);
}

int potw_lab_param_get(struct potw_store *st, const char *name, struct potw_lab_param *out)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " PARAM_COLS " FROM lab_params WHERE name = ?", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, name);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		read_param(k, out);
	else if (r == SQLITE_DONE)
		rc = hg_fail(HG_ENOTFOUND, "no parameter '%s' (haulgate-potw lab params)", name);
	else
		rc = potw_sqx_fail(db, "cannot read the parameter");
	return potw_sqx_done(st, k, rc);
}

/* "min 5 max none (2.1.B.2)" into buf[cap]. */
static void limits_text(const struct lab_param *p, char *buf, size_t cap)
{
	char a[LAB_DEC_MAX], b[LAB_DEC_MAX];

	snprintf(buf, cap, "min %s max %s (%s)", p->has_min ? lab_dec_format(p->min, a) : "none",
		 p->has_max ? lab_dec_format(p->max, b) : "none", p->section);
}

int potw_lab_param_set(struct potw_store *st, const struct lab_param *p, const char *actor,
		       hg_time now, enum lab_why *why)
{
	char detail[POTW_STAFF_TEXT_MAX], lim[120];
	struct potw_lab_param old;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, had;

	*why = LAB_OK;
	if (!lab_param_name_ok(p->name))
		*why = LAB_BAD_PARAM_NAME;
	else if (text_check(p->unit, LAB_UNIT_MAX, 1) != TEXT_OK ||
		 text_check(p->section, LAB_SECTION_MAX, 1) != TEXT_OK ||
		 strlen(p->unit) > LAB_UNIT_MAX || strlen(p->section) > LAB_SECTION_MAX)
		*why = LAB_BAD_TEXT;
	else if (p->has_min && p->has_max && p->min > p->max)
		*why = LAB_MIN_OVER_MAX;
	if (*why)
		return hg_fail(HG_EINVAL, "%s: refused (%s)", p->name, lab_key(*why));
	rc = potw_sqx_start(st, "INSERT INTO lab_params (" PARAM_COLS ") VALUES (?1, ?2, ?3, ?4, "
			    "?5, ?6, ?7) ON CONFLICT (name) DO UPDATE SET unit = ?2, min_u = ?3, "
			    "max_u = ?4, section = ?5, changed = ?6, changed_by = ?7", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	had = potw_lab_param_get(st, p->name, &old) == HG_OK;
	if (had && !lab_unit_same(old.p.unit, p->unit)) {
		sqlite3_stmt *c = NULL;

		if (sqlite3_prepare_v2(db, "SELECT 1 FROM lab_results WHERE param = ? LIMIT 1", -1,
				       &c, NULL) != SQLITE_OK)
			rc = potw_sqx_fail(db, "cannot read the results");
		else {
			potw_sqx_text(c, 1, p->name);
			if (sqlite3_step(c) == SQLITE_ROW)
				rc = hg_fail(HG_EEXIST, "%s: results are kept in %s; its unit stays",
					     p->name, old.p.unit);
		}
		sqlite3_finalize(c);
	}
	if (!rc) {
		potw_sqx_text(k, 1, p->name);
		potw_sqx_text(k, 2, p->unit);
		if (p->has_min)
			sqlite3_bind_int64(k, 3, p->min);
		if (p->has_max)
			sqlite3_bind_int64(k, 4, p->max);
		potw_sqx_text(k, 5, p->section);
		sqlite3_bind_int64(k, 6, now);
		potw_sqx_text(k, 7, actor);
		rc = potw_sqx_run(db, k);
	}
	if (!rc) {
		limits_text(p, lim, sizeof lim);
		snprintf(detail, sizeof detail, "%s %s %s: %s", had ? "changed" : "added", p->name,
			 p->unit, lim);
		rc = potw_staff_append(db, now, actor, "lab.limit", detail);
	}
	return potw_sqx_commit(st, db, k, rc);
}

/* ---- results ---- */

/* One statement of the result's transaction: sql bound with the load's
 * station (?1), number (?2), and a (?3), b (?4), c (?5). */
static int step(sqlite3 *db, const char *sql, const char *station, long long load_no,
		long long a, long long b, long long c, long long *row_id)
{
	sqlite3_stmt *k = NULL;
	int rc;

	if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot prepare a statement");
	potw_sqx_text(k, 1, station);
	sqlite3_bind_int64(k, 2, load_no);
	if (sqlite3_bind_parameter_count(k) >= 3)
		sqlite3_bind_int64(k, 3, a);
	if (sqlite3_bind_parameter_count(k) >= 4)
		sqlite3_bind_int64(k, 4, b);
	if (sqlite3_bind_parameter_count(k) >= 5)
		sqlite3_bind_int64(k, 5, c);
	rc = sqlite3_step(k);
	if (row_id)
		*row_id = rc == SQLITE_ROW ? sqlite3_column_int64(k, 0) : 0;
	rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? HG_OK : potw_sqx_fail(db, "cannot write");
	sqlite3_finalize(k);
	return rc;
}

/* The load's draft notice, or a new one: into *nov. */
static int draft_nov(sqlite3 *db, const struct potw_lab_load *ld, const char *actor, hg_time now,
		     long long *nov)
{
	sqlite3_stmt *k = NULL;
	int rc;

	rc = step(db, "SELECT id FROM novs WHERE station_id = ?1 AND load_no = ?2 AND "
		  "state = 'draft' ORDER BY id DESC LIMIT 1", ld->station, ld->load_no, 0, 0, 0, nov);
	if (rc || *nov)
		return rc;
	if (sqlite3_prepare_v2(db, "INSERT INTO novs (station_id, load_no, hauler_id, company, "
			       "state, drafted, drafted_by) VALUES (?, ?, ?, ?, 'draft', ?, ?)", -1,
			       &k, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot draft the notice");
	potw_sqx_text(k, 1, ld->station);
	sqlite3_bind_int64(k, 2, ld->load_no);
	sqlite3_bind_int64(k, 3, ld->hauler_id);
	potw_sqx_text(k, 4, ld->company);
	sqlite3_bind_int64(k, 5, now);
	potw_sqx_text(k, 6, actor);
	rc = potw_sqx_run(db, k);
	sqlite3_finalize(k);
	*nov = rc ? 0 : sqlite3_last_insert_rowid(db);
	return rc;
}

/* The violation rows of result id: the load, its hauler, each source. */
static int mark(sqlite3 *db, const struct potw_lab_load *ld, long long result, long long nov,
		hg_time now, int *marked)
{
	int rc;

	rc = step(db, "INSERT INTO violations (result_id, nov_id, station_id, load_no, subject, "
		  "subject_id, name, created) SELECT ?3, ?4, ?1, ?2, 'load', ?2, 'load ' || ?2, ?5",
		  ld->station, ld->load_no, result, nov, now, NULL);
	if (!rc)
		rc = step(db, "INSERT INTO violations (result_id, nov_id, station_id, load_no, "
			  "subject, subject_id, name, created) SELECT ?3, ?4, ?1, ?2, 'hauler', "
			  "hauler_id, company, ?5 FROM rec_loads WHERE station_id = ?1 AND load_no = ?2",
			  ld->station, ld->load_no, result, nov, now, NULL);
	if (!rc)
		rc = step(db, "INSERT INTO violations (result_id, nov_id, station_id, load_no, "
			  "subject, subject_id, name, created) SELECT ?3, ?4, ?1, ?2, 'source', idx, "
			  "name || ', ' || address, ?5 FROM rec_load_sources WHERE station_id = ?1 AND "
			  "load_no = ?2 ORDER BY idx", ld->station, ld->load_no, result, nov, now, NULL);
	*marked = rc ? 0 : 2 + sqlite3_changes(db);
	return rc;
}

/* The entry's own checks, before the database is asked. */
static enum lab_why entry_ok(const struct potw_lab_entry *e)
{
	if (!e->param || !e->param[0] || !lab_param_name_ok(e->param))
		return LAB_UNKNOWN_PARAM;
	if (!e->unit || text_check(e->unit, LAB_UNIT_MAX, 1) != TEXT_OK ||
	    !e->method || text_check(e->method, LAB_TEXT_MAX, 1) != TEXT_OK ||
	    !e->lab || text_check(e->lab, LAB_TEXT_MAX, 1) != TEXT_OK)
		return LAB_BAD_TEXT;
	return LAB_OK;
}

int potw_lab_result_add(struct potw_store *st, const struct potw_lab_entry *e,
			const char *actor, hg_time now, const char *today,
			struct potw_lab_outcome *out)
{
	char detail[POTW_STAFF_TEXT_MAX], v[LAB_DEC_MAX], lim[120], nov[40] = "";
	const struct lab_param *which;
	struct potw_lab_param prm;
	struct potw_lab_load ld;
	sqlite3_stmt *k;
	sqlite3 *db;
	long long x;
	int rc;

	memset(out, 0, sizeof *out);
	out->why = entry_ok(e);
	if (out->why)
		return hg_fail(HG_EINVAL, "%s", lab_key(out->why));
	rc = potw_sqx_start(st, "INSERT INTO lab_results (station_id, load_no, param, value_u, "
			    "unit, method, lab, analysed, min_u, max_u, section, exceeds, entered, "
			    "entered_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	rc = potw_lab_load_get(st, e->station, e->load_no, &ld);
	if (!rc && !ld.sampled)
		rc = hg_fail(HG_EREFUSED, "load %lld of station '%s' was not sampled", e->load_no,
			     e->station);
	if (!rc && potw_lab_param_get(st, e->param, &prm))
		out->why = LAB_UNKNOWN_PARAM;
	if (!rc && !out->why)	/* a temperature may be below zero, nothing else */
		out->why = lab_dec_parse(e->value, !strncmp(prm.p.unit, "\xC2\xB0", 2), &x);
	if (!rc && !out->why)
		out->why = lab_judge(&prm.p, 1, e->param, e->unit, x, &out->verdict, &which);
	if (!rc && !out->why)
		out->why = lab_date_check(e->analysed, ld.day, today);
	if (!rc && out->why)
		rc = hg_fail(HG_EINVAL, "%s", lab_key(out->why));
	if (!rc) {
		potw_sqx_text(k, 1, ld.station);
		sqlite3_bind_int64(k, 2, ld.load_no);
		potw_sqx_text(k, 3, prm.p.name);
		sqlite3_bind_int64(k, 4, x);
		potw_sqx_text(k, 5, prm.p.unit);	/* the parameter's spelling */
		potw_sqx_text(k, 6, e->method);
		potw_sqx_text(k, 7, e->lab);
		potw_sqx_text(k, 8, e->analysed);
		if (prm.p.has_min)
			sqlite3_bind_int64(k, 9, prm.p.min);
		if (prm.p.has_max)
			sqlite3_bind_int64(k, 10, prm.p.max);
		potw_sqx_text(k, 11, prm.p.section);
		sqlite3_bind_int(k, 12, out->verdict != LAB_WITHIN);
		sqlite3_bind_int64(k, 13, now);
		potw_sqx_text(k, 14, actor);
		rc = potw_sqx_run(db, k);
		out->result_id = rc ? 0 : sqlite3_last_insert_rowid(db);
	}
	if (!rc && out->verdict != LAB_WITHIN) {
		rc = draft_nov(db, &ld, actor, now, &out->nov_id);
		if (!rc)
			rc = step(db, "UPDATE lab_results SET nov_id = ?3 WHERE id = ?4 AND "
				  "station_id = ?1 AND load_no = ?2", ld.station, ld.load_no,
				  out->nov_id, out->result_id, 0, NULL);
		if (!rc)
			rc = mark(db, &ld, out->result_id, out->nov_id, now, &out->marked);
		snprintf(nov, sizeof nov, "; NOV %lld drafted", out->nov_id);
	}
	if (!rc) {
		limits_text(&prm.p, lim, sizeof lim);
		snprintf(detail, sizeof detail, "%s load %lld: %s %s %s (%s): %s%s", ld.station,
			 ld.load_no, prm.p.name, lab_dec_format(x, v), prm.p.unit, lim,
			 out->verdict == LAB_BELOW_MIN ? "below the minimum" :
			 out->verdict == LAB_ABOVE_MAX ? "above the maximum" : "within", nov);
		rc = potw_staff_append(db, now, actor, "lab.result", detail);
	}
	if (!rc)
		rc = potw_sqx_exec(db, "COMMIT");
	if (rc) {
		potw_sqx_exec(db, "ROLLBACK");
		out->result_id = out->nov_id = 0;
		out->marked = 0;
	}
	rc = potw_sqx_done(st, k, rc);
	return rc ? rc : potw_store_durable(st);	/* on disk before it is said */
}

int potw_lab_results_each(struct potw_store *st, const char *station, long long load_no,
			  long long nov_id,
			  int (*fn)(const struct potw_lab_result *r, void *ctx), void *ctx)
{
	struct potw_lab_result r;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, s;

	rc = potw_sqx_start(st, nov_id ?
			    "SELECT id, nov_id, param, unit, method, lab, analysed, section, "
			    "entered_by, value_u, min_u, max_u, exceeds, entered FROM lab_results "
			    "WHERE nov_id = ?3 ORDER BY id" :
			    "SELECT id, nov_id, param, unit, method, lab, analysed, section, "
			    "entered_by, value_u, min_u, max_u, exceeds, entered FROM lab_results "
			    "WHERE station_id = ?1 AND load_no = ?2 ORDER BY id", &db, &k);
	if (rc)
		return rc;
	if (nov_id) {
		sqlite3_bind_int64(k, 3, nov_id);
	} else {
		potw_sqx_text(k, 1, station);
		sqlite3_bind_int64(k, 2, load_no);
	}
	while ((s = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&r, 0, sizeof r);
		r.id = sqlite3_column_int64(k, 0);
		r.nov_id = sqlite3_column_int64(k, 1);
		r.param = potw_sqx_col(k, 2);
		r.unit = potw_sqx_col(k, 3);
		r.method = potw_sqx_col(k, 4);
		r.lab = potw_sqx_col(k, 5);
		r.analysed = potw_sqx_col(k, 6);
		r.section = potw_sqx_col(k, 7);
		r.entered_by = potw_sqx_col(k, 8);
		r.value = sqlite3_column_int64(k, 9);
		read_limits(k, 10, &r.has_min, &r.min, &r.has_max, &r.max);
		r.exceeds = sqlite3_column_int(k, 12);
		r.entered = sqlite3_column_int64(k, 13);
		rc = fn(&r, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (s != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the results");
	return potw_sqx_done(st, k, rc);
}

/* ---- the worklist ---- */

int potw_lab_samples_each(struct potw_store *st, int limit, long long *total,
			  int (*fn)(const struct potw_lab_sample *s, void *ctx), void *ctx)
{
	struct potw_lab_sample s;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	if (total) {
		rc = potw_sqx_start(st, "SELECT count(*) FROM rec_loads INDEXED BY rec_loads_sampled "
				    "WHERE sampled = 1", &db, &k);
		if (rc)
			return rc;
		*total = sqlite3_step(k) == SQLITE_ROW ? sqlite3_column_int64(k, 0) : 0;
		potw_sqx_done(st, k, HG_OK);
	}
	rc = potw_sqx_start(st,
			    "SELECT l.station_id, l.load_no, l.day, l.company, l.bottle, l.waste, "
			    "l.hauler_id, l.t_sampled, "
			    "(SELECT count(*) FROM lab_results r WHERE r.station_id = l.station_id "
			    " AND r.load_no = l.load_no) AS n, "
			    "(SELECT count(*) FROM lab_results r WHERE r.station_id = l.station_id "
			    " AND r.load_no = l.load_no AND r.exceeds = 1), "
			    "(SELECT id FROM novs v WHERE v.station_id = l.station_id AND "
			    " v.load_no = l.load_no ORDER BY id DESC LIMIT 1) AS nov, "
			    "(SELECT state FROM novs v WHERE v.station_id = l.station_id AND "
			    " v.load_no = l.load_no ORDER BY id DESC LIMIT 1) "
			    "FROM rec_loads l WHERE l.sampled = 1 "
			    "ORDER BY n > 0, l.day DESC, l.t_sampled DESC, l.station_id, l.load_no DESC "
			    "LIMIT ?", &db, &k);
	if (rc)
		return rc;
	sqlite3_bind_int64(k, 1, limit > 0 ? limit : -1);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&s, 0, sizeof s);
		s.station = potw_sqx_col(k, 0);
		s.load_no = sqlite3_column_int64(k, 1);
		s.day = potw_sqx_col(k, 2);
		s.company = potw_sqx_col(k, 3);
		s.bottle = potw_sqx_col(k, 4);
		s.waste = potw_sqx_col(k, 5);
		s.hauler_id = sqlite3_column_int64(k, 6);
		s.t_sampled = sqlite3_column_int64(k, 7);
		s.results = sqlite3_column_int(k, 8);
		s.exceeding = sqlite3_column_int(k, 9);
		s.nov_id = sqlite3_column_int64(k, 10);
		s.nov_state = potw_sqx_col(k, 11);
		rc = fn(&s, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the sampled loads");
	return potw_sqx_done(st, k, rc);
}

/* ---- notices and violations ---- */

int potw_nov_get(struct potw_store *st, long long id, struct potw_nov *out)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT id, station_id, load_no, hauler_id, company, state, "
			    "drafted, drafted_by, issued, issued_by FROM novs WHERE id = ?", &db, &k);
	if (rc)
		return rc;
	sqlite3_bind_int64(k, 1, id);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->id = sqlite3_column_int64(k, 0);
		potw_sqx_copy(k, 1, out->station, sizeof out->station);
		out->load_no = sqlite3_column_int64(k, 2);
		out->hauler_id = sqlite3_column_int64(k, 3);
		potw_sqx_copy(k, 4, out->company, sizeof out->company);
		potw_sqx_copy(k, 5, out->state, sizeof out->state);
		out->drafted = sqlite3_column_int64(k, 6);
		potw_sqx_copy(k, 7, out->drafted_by, sizeof out->drafted_by);
		out->issued = sqlite3_column_int64(k, 8);
		potw_sqx_copy(k, 9, out->issued_by, sizeof out->issued_by);
	} else if (r == SQLITE_DONE) {
		rc = hg_fail(HG_ENOTFOUND, "no notice of violation %lld", id);
	} else {
		rc = potw_sqx_fail(db, "cannot read the notice");
	}
	return potw_sqx_done(st, k, rc);
}

int potw_nov_set_state(struct potw_store *st, long long id, const char *state,
		       const char *actor, hg_time now)
{
	char detail[80];
	struct potw_nov n;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, issue = state && !strcmp(state, "issued");

	if (!state || (!issue && strcmp(state, "draft")))
		return hg_fail(HG_EINVAL, "a notice is 'draft' or 'issued'");
	rc = potw_sqx_start(st, "UPDATE novs SET state = ?2, issued = ?3, issued_by = ?4 "
			    "WHERE id = ?1", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	rc = potw_nov_get(st, id, &n);
	if (!rc) {
		sqlite3_bind_int64(k, 1, id);
		potw_sqx_text(k, 2, state);
		if (issue) {
			sqlite3_bind_int64(k, 3, now);
			potw_sqx_text(k, 4, actor);
		}
		rc = potw_sqx_run(db, k);
	}
	if (!rc) {
		snprintf(detail, sizeof detail, "NOV %lld (%s load %lld): %s", id, n.station,
			 n.load_no, state);
		rc = potw_staff_append(db, now, actor, "nov.state", detail);
	}
	return potw_sqx_commit(st, db, k, rc);
}

int potw_violations_each(struct potw_store *st,
			 int (*fn)(const struct potw_violation *v, void *ctx), void *ctx)
{
	struct potw_violation v;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st,
			    "SELECT r.nov_id, n.state, r.station_id, r.load_no, l.day, l.hauler_id, "
			    "l.company, (SELECT group_concat(x, '; ') FROM (SELECT name || ', ' || "
			    " address AS x FROM rec_load_sources s WHERE s.station_id = r.station_id "
			    " AND s.load_no = r.load_no ORDER BY idx)), "
			    "r.param, r.unit, r.section, r.value_u, r.min_u, r.max_u, r.entered, r.id "
			    "FROM lab_results r JOIN novs n ON n.id = r.nov_id "
			    "LEFT JOIN rec_loads l ON l.station_id = r.station_id AND "
			    "l.load_no = r.load_no WHERE r.exceeds = 1 ORDER BY r.id DESC", &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&v, 0, sizeof v);
		v.nov_id = sqlite3_column_int64(k, 0);
		v.nov_state = potw_sqx_col(k, 1);
		v.station = potw_sqx_col(k, 2);
		v.load_no = sqlite3_column_int64(k, 3);
		v.day = potw_sqx_col(k, 4);
		v.hauler_id = sqlite3_column_int64(k, 5);
		v.company = potw_sqx_col(k, 6);
		v.sources = potw_sqx_col(k, 7);
		v.param = potw_sqx_col(k, 8);
		v.unit = potw_sqx_col(k, 9);
		v.section = potw_sqx_col(k, 10);
		v.value = sqlite3_column_int64(k, 11);
		read_limits(k, 12, &v.has_min, &v.min, &v.has_max, &v.max);
		v.entered = sqlite3_column_int64(k, 14);
		v.result_id = sqlite3_column_int64(k, 15);
		rc = fn(&v, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the violations");
	return potw_sqx_done(st, k, rc);
}

int potw_lab_marked(struct potw_store *st, const char *subject, const char *station,
		    long long id)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	rc = potw_sqx_start(st, "SELECT 1 FROM violations WHERE subject = ? AND station_id = ? "
			    "AND subject_id = ? LIMIT 1", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, subject);
	potw_sqx_text(k, 2, station);
	sqlite3_bind_int64(k, 3, id);
	rc = sqlite3_step(k) == SQLITE_ROW;
	return potw_sqx_done(st, k, rc);
}
