/* store_holds.c: the plant store's version 9, legal holds
 * (store_holds.h), and the retention report's counts.
 *
 * holds: one row a hold, on a load (station_id, load_no) or on a hauler
 * (hauler_id, station_id NULL for every station), with its reason, who set
 * it and when, and, once released, who released it and when.  A trigger
 * refuses every DELETE: a released hold is evidence that it was in force.
 * Each write is one transaction with its staff log entry, committed and
 * synced (potw_store_durable()) before it returns.  The retention counts
 * read rec_loads (the stations' record) and judge every load with
 * retention.c's rule, the holds in force read once.  Start reading at
 * potw_hold_set(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_holds.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "store_users.h"
#include "../core/hg.h"
#include "../core/report.h"
#include "../core/text.h"

#define HOLDS_MAX 100000	/* holds in force the retention report reads */

const char potw_holds_schema[] =
	"CREATE TABLE holds (\n"
	"  id INTEGER PRIMARY KEY,\n"
	"  station_id TEXT,\n"
	"  hauler_id INTEGER,\n"
	"  load_no INTEGER,\n"
	"  reason TEXT NOT NULL,\n"
	"  set_at INTEGER NOT NULL,\n"
	"  set_by TEXT NOT NULL,\n"
	"  released INTEGER,\n"
	"  released_by TEXT,\n"
	"  CHECK ((load_no IS NOT NULL AND station_id IS NOT NULL AND hauler_id IS NULL) OR\n"
	"         (load_no IS NULL AND hauler_id IS NOT NULL))\n"
	") STRICT;\n"
	"CREATE INDEX holds_load ON holds(station_id, load_no);\n"
	"CREATE INDEX holds_hauler ON holds(hauler_id);\n"
	"CREATE TRIGGER holds_kept BEFORE DELETE ON holds BEGIN\n"
	"  SELECT RAISE(ABORT, 'a legal hold is never deleted');\n"
	"END;\n";

int potw_sq_holds_migrate(sqlite3 *db, const char *path)
{
	return potw_sq_migrate(db, path, POTW_HOLDS_VERSION - 1, potw_holds_schema,
			       "the legal holds");
}

#define HOLD_COLS "id, station_id, hauler_id, load_no, reason, set_at, set_by, released, " \
	"released_by"

static void read_hold(sqlite3_stmt *k, struct potw_hold *o)
{
	memset(o, 0, sizeof *o);
	o->id = sqlite3_column_int64(k, 0);
	potw_sqx_copy(k, 1, o->station, sizeof o->station);
	o->hauler_id = sqlite3_column_int64(k, 2);
	o->load_no = sqlite3_column_int64(k, 3);
	potw_sqx_copy(k, 4, o->reason, sizeof o->reason);
	o->set = sqlite3_column_int64(k, 5);
	potw_sqx_copy(k, 6, o->set_by, sizeof o->set_by);
	o->released = sqlite3_column_int64(k, 7);
	potw_sqx_copy(k, 8, o->released_by, sizeof o->released_by);
}

/* Does sql (?1 station, ?2 id) find a row?  1, 0, or an error. */
static int found(sqlite3 *db, const char *sql, const char *station, long long id)
{
	sqlite3_stmt *k = NULL;
	int r;

	if (sqlite3_prepare_v2(db, sql, -1, &k, NULL) != SQLITE_OK)
		return potw_sqx_fail(db, "cannot read the roster or the loads");
	potw_sqx_text(k, 1, station);
	sqlite3_bind_int64(k, 2, id);
	r = sqlite3_step(k);
	sqlite3_finalize(k);
	if (r == SQLITE_ROW || r == SQLITE_DONE)
		return r == SQLITE_ROW;
	return potw_sqx_fail(db, "cannot read the roster or the loads");
}

/* Is what h names there: the load in rec_loads; the hauler in the
 * plant's roster or, a station given, in that station's own (a station
 * that keeps a roster of its own), or, none given, in any; the station
 * registered?  HG_OK or HG_ENOTFOUND. */
static int subject_exists(struct potw_store *st, sqlite3 *db, const struct potw_hold *h)
{
	struct potw_station s;
	int r;

	if (h->station[0] && potw_store_station_get(st, h->station, &s))
		return hg_fail(HG_ENOTFOUND, "no station '%s'", h->station);
	if (h->load_no > 0) {
		r = found(db, "SELECT 1 FROM rec_loads WHERE station_id = ?1 AND load_no = ?2",
			  h->station, h->load_no);
		return r ? (r < 0 ? r : HG_OK) :
		       hg_fail(HG_ENOTFOUND, "no load %lld of station '%s'", h->load_no,
			       h->station);
	}
	r = found(db, "SELECT 1 FROM rec_haulers WHERE id = ?2 AND (?1 = '' OR station_id IN "
		  "(?1, '" POTW_PLANT_LOG "')) LIMIT 1", h->station, h->hauler_id);
	return r ? (r < 0 ? r : HG_OK) :
	       hg_fail(HG_ENOTFOUND, "no hauler %lld in the roster%s%s", h->hauler_id,
		       h->station[0] ? " of the plant or of " : "", h->station);
}

/* What a hold is on, for the staff log: "load st-01/7", "hauler 3 at
 * st-01", "hauler 3". */
static void subject_text(const struct potw_hold *h, char *buf, size_t cap)
{
	if (h->load_no > 0)
		snprintf(buf, cap, "load %s/%lld", h->station, h->load_no);
	else if (h->station[0])
		snprintf(buf, cap, "hauler %lld at %s", h->hauler_id, h->station);
	else
		snprintf(buf, cap, "hauler %lld", h->hauler_id);
}

/* src into dst[cap], cut at a character when longer (the log's detail). */
static void cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xC0) == 0x80)
			n--;	/* src[n] would start the cut: not inside a character */
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int potw_hold_set(struct potw_store *st, const struct potw_hold *h, const char *actor,
		  hg_time now, long long *id)
{
	char detail[POTW_STAFF_TEXT_MAX], what[96], why[POTW_STAFF_TEXT_MAX - 160];
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc;

	if (!h->reason[0] || text_check(h->reason, POTW_HOLD_REASON_MAX, 1) != TEXT_OK ||
	    strpbrk(h->reason, "\r\n\t"))
		return hg_fail(HG_EINVAL, "the reason: one line of 1 to %d characters",
			       POTW_HOLD_REASON_MAX);
	if (h->load_no > 0 ? !h->station[0] : h->hauler_id <= 0)
		return hg_fail(HG_EINVAL, "a hold is on a hauler, or on a station's load");
	rc = potw_sqx_start(st, "INSERT INTO holds (station_id, hauler_id, load_no, reason, "
			    "set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	rc = subject_exists(st, db, h);
	if (!rc) {
		if (h->station[0])
			potw_sqx_text(k, 1, h->station);
		if (h->load_no > 0)
			sqlite3_bind_int64(k, 3, h->load_no);
		else
			sqlite3_bind_int64(k, 2, h->hauler_id);
		potw_sqx_text(k, 4, h->reason);
		sqlite3_bind_int64(k, 5, now);
		potw_sqx_text(k, 6, actor);
		rc = potw_sqx_run(db, k);
	}
	if (!rc) {
		*id = sqlite3_last_insert_rowid(db);
		subject_text(h, what, sizeof what);
		cut(why, sizeof why, h->reason);
		snprintf(detail, sizeof detail, "hold %lld on %s: %s", *id, what, why);
		rc = potw_staff_append(db, now, actor, "hold.set", detail);
	}
	return potw_sqx_commit(st, db, k, rc);
}

int potw_hold_release(struct potw_store *st, long long id, const char *actor, hg_time now)
{
	char detail[POTW_STAFF_TEXT_MAX], what[96];
	struct potw_hold h;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT " HOLD_COLS " FROM holds WHERE id = ?", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	sqlite3_bind_int64(k, 1, id);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		read_hold(k, &h);
	if (r == SQLITE_DONE)
		rc = hg_fail(HG_ENOTFOUND, "no hold %lld", id);
	else if (r != SQLITE_ROW)
		rc = potw_sqx_fail(db, "cannot read the hold");
	else if (h.released)
		rc = hg_fail(HG_EEXIST, "hold %lld was released already, by %s", id,
			     h.released_by);
	sqlite3_finalize(k);
	k = NULL;
	if (!rc && sqlite3_prepare_v2(db, "UPDATE holds SET released = ?, released_by = ? "
				      "WHERE id = ? AND released IS NULL", -1, &k, NULL))
		rc = potw_sqx_fail(db, "cannot release the hold");
	if (!rc) {
		sqlite3_bind_int64(k, 1, now);
		potw_sqx_text(k, 2, actor);
		sqlite3_bind_int64(k, 3, id);
		rc = potw_sqx_run(db, k);
	}
	if (!rc) {
		subject_text(&h, what, sizeof what);
		snprintf(detail, sizeof detail, "hold %lld on %s", id, what);
		rc = potw_staff_append(db, now, actor, "hold.release", detail);
	}
	return potw_sqx_commit(st, db, k, rc);
}

int potw_holds_each(struct potw_store *st, int in_force,
		    int (*fn)(const struct potw_hold *h, void *ctx), void *ctx)
{
	struct potw_hold h;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, in_force ? "SELECT " HOLD_COLS " FROM holds WHERE released IS "
			    "NULL ORDER BY id" : "SELECT " HOLD_COLS " FROM holds ORDER BY id",
			    &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		read_hold(k, &h);
		rc = fn(&h, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the holds");
	return potw_sqx_done(st, k, rc);
}

int potw_holds_on(struct potw_store *st, const char *station, long long load_no,
		  long long hauler_id, long long *n)
{
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	*n = 0;
	rc = potw_sqx_start(st, "SELECT count(*) FROM holds WHERE released IS NULL AND ("
			    "(?3 > 0 AND station_id = ?1 AND load_no = ?3) OR "
			    "(hauler_id = (CASE WHEN ?3 > 0 THEN (SELECT hauler_id FROM rec_loads "
			    "WHERE station_id = ?1 AND load_no = ?3) ELSE ?2 END) AND "
			    "(station_id IS NULL OR ?1 IS NULL OR station_id = ?1)))", &db, &k);
	if (rc)
		return rc;
	if (station)
		potw_sqx_text(k, 1, station);
	sqlite3_bind_int64(k, 2, hauler_id);
	sqlite3_bind_int64(k, 3, load_no);
	r = sqlite3_step(k);
	if (r == SQLITE_ROW)
		*n = sqlite3_column_int64(k, 0);
	else
		rc = potw_sqx_fail(db, "cannot read the holds");
	return potw_sqx_done(st, k, rc);
}

/* ---- the retention report ---- */

struct in_force {
	struct retention_hold *v;
	size_t n, cap;
};

static int take_hold(const struct potw_hold *h, void *ctx)
{
	struct in_force *f = ctx;
	struct retention_hold *g;

	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 16;

		if (cap > HOLDS_MAX)
			return hg_fail(HG_ENOMEM, "more than %d holds in force", HOLDS_MAX);
		g = realloc(f->v, cap * sizeof *g);
		if (!g)
			return hg_fail(HG_ENOMEM, "out of memory");
		f->v = g;
		f->cap = cap;
	}
	g = &f->v[f->n++];
	text_copy(g->station, sizeof g->station, h->station);
	g->hauler_id = h->hauler_id;
	g->load_no = h->load_no;
	return 0;
}

int potw_retention_each(struct potw_store *st, const char *as_of,
			int (*fn)(const struct potw_retention_row *r, void *ctx), void *ctx)
{
	struct potw_retention_row row;
	struct in_force f = { NULL, 0, 0 };
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r, have = 0;

	rc = potw_holds_each(st, 1, take_hold, &f);
	if (!rc)
		rc = potw_sqx_start(st, "SELECT s.id, l.load_no, l.day, l.hauler_id FROM stations s "
				    "LEFT JOIN rec_loads l ON l.station_id = s.id WHERE s.id <> '"
				    POTW_PLANT_LOG "' ORDER BY s.id", &db, &k);
	if (rc) {
		free(f.v);
		return rc;
	}
	memset(&row, 0, sizeof row);
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		const char *station = potw_sqx_col(k, 0);
		enum retention v;

		if (have && strcmp(row.station, station)) {
			rc = fn(&row, ctx);
			if (rc)
				break;
			memset(&row, 0, sizeof row);
		}
		have = 1;
		text_copy(row.station, sizeof row.station, station);
		if (sqlite3_column_type(k, 1) == SQLITE_NULL)
			continue;	/* a station without loads */
		row.loads++;
		v = retention_day(potw_sqx_col(k, 2), as_of,
				  retention_held(f.v, f.n, station, sqlite3_column_int64(k, 1),
						 sqlite3_column_int64(k, 3)));
		row.past += v != RETAIN_YOUNG;
		row.held += v == RETAIN_HELD;
	}
	if (!rc && r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the loads");
	if (!rc && have)
		rc = fn(&row, ctx);
	free(f.v);
	return potw_sqx_done(st, k, rc);
}
