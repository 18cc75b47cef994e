/* listing.c: the loads, RV-visit and month-report listings, one query each
 * for a station's own tables and for the plant's copy of them
 * (db/listing.h), and listing_fill(), which reads any listing's rows into a
 * struct table.
 *
 * Each query is written once below, its table names behind the source's
 * prefix, with the source's station column (when it has one) selected
 * first, filtered on and leading the order.  On a station's tables (prefix
 * "", no station column) the SQL is what db/store_list.c ran before the
 * plant had listings.  The parameters have fixed numbers whatever the
 * filter: ?1 from, ?2 to, ?3 hauler, ?4 station, ?5..?8 the waste types of
 * the month report, ?9 the RV visits' text, ?10 and ?11 the row a page
 * starts after (keyset pagination, newest first), ?12 the limit; a
 * fragment is added only for a value given, and only those are bound.  The
 * per-day and per-hauler sums read the month report's covering index.
 * Start reading at listing_sql(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "listing.h"
#include "store_int.h"
#include "../core/manifest.h"
#include "../core/text.h"

const struct listing_source listing_station = { "", NULL };

/* The station's own columns of each listing, in order. */
static const struct listing_col load_cols[] = {
	{ "load_no", LISTING_NUM }, { "decided", LISTING_TIME }, { "hauler_id", LISTING_NUM },
	{ "company", LISTING_TEXT }, { "permit", LISTING_TEXT }, { "truck", LISTING_TEXT },
	{ "waste", LISTING_TEXT }, { "gallons", LISTING_NUM }, { "verdict", LISTING_TEXT },
	{ "reasons", LISTING_TEXT }, { "flagged", LISTING_TEXT }, { "bottle", LISTING_TEXT },
	{ "measured", LISTING_NUM }, { "discharge_end", LISTING_TIME }, { "meter", LISTING_TEXT },
};
static const struct listing_col rv_cols[] = {
	{ "id", LISTING_NUM }, { "signed_in", LISTING_TIME }, { "name", LISTING_TEXT },
	{ "plate", LISTING_TEXT }, { "state", LISTING_TEXT }, { "lang", LISTING_TEXT },
	{ "declared", LISTING_TEXT }, { "done", LISTING_TIME },
};
static const struct listing_col month_cols[] = {
	{ "company", LISTING_TEXT }, { "permit", LISTING_TEXT }, { "loads", LISTING_NUM },
	{ "septage", LISTING_NUM }, { "portable", LISTING_NUM }, { "grease", LISTING_NUM },
	{ "industrial", LISTING_NUM }, { "gallons", LISTING_NUM }, { "samples", LISTING_NUM },
	{ "refusals", LISTING_NUM },
};
static const struct listing_col day_cols[] = {
	{ "day", LISTING_TEXT }, { "waste", LISTING_TEXT }, { "loads", LISTING_NUM },
	{ "gallons", LISTING_NUM }, { "refusals", LISTING_NUM }, { "samples", LISTING_NUM },
};
static const struct listing_col hauler_cols[] = {
	{ "id", LISTING_NUM }, { "company", LISTING_TEXT }, { "contact", LISTING_TEXT },
	{ "phone", LISTING_TEXT }, { "permit", LISTING_TEXT }, { "permit_from", LISTING_TEXT },
	{ "permit_to", LISTING_TEXT }, { "status", LISTING_TEXT },
	{ "waste_allowed", LISTING_TEXT }, { "analysis_date", LISTING_TEXT },
	{ "cards", LISTING_NUM }, { "trucks", LISTING_NUM },
};
static const struct listing_col hauler_load_cols[] = {
	{ "hauler_id", LISTING_NUM }, { "loads", LISTING_NUM }, { "gallons", LISTING_NUM },
	{ "samples", LISTING_NUM }, { "refusals", LISTING_NUM }, { "first", LISTING_TEXT },
	{ "last", LISTING_TEXT },
};
static const struct listing_col station_col = { "station", LISTING_TEXT };

/* The expressions of the station's columns, in order. */
static const char load_select[] =
	"load_no, t_decided, hauler_id, company, permit, truck, waste, gallons, "
	"verdict, CASE verdict WHEN 'refused' THEN refuse_reasons ELSE sample_reasons END, "
	"CASE WHEN sampled THEN 'yes' ELSE '' END, bottle, gallons_measured, "
	"t_discharge_end, meter_flag";
static const char rv_select[] =
	"id, signed_in, name, plate, plate_state, lang, "
	"CASE WHEN declared THEN 'yes' ELSE 'no' END, done";
/* per hauler (and station) on the covering index: counts and gallons of
 * the loads not refused, by waste type */
static const char month_sums[] =
	"hauler_id, count(*) AS n,"
	" sum(CASE WHEN verdict <> 'refused' AND waste = ?5 THEN gallons ELSE 0 END) AS g1,"
	" sum(CASE WHEN verdict <> 'refused' AND waste = ?6 THEN gallons ELSE 0 END) AS g2,"
	" sum(CASE WHEN verdict <> 'refused' AND waste = ?7 THEN gallons ELSE 0 END) AS g3,"
	" sum(CASE WHEN verdict <> 'refused' AND waste = ?8 THEN gallons ELSE 0 END) AS g4,"
	" sum(CASE WHEN verdict <> 'refused' THEN gallons ELSE 0 END) AS gt,"
	" sum(sampled) AS ns, sum(verdict = 'refused') AS nr";

/* counts and gallons (of the loads not refused) of a group of loads */
static const char load_sums[] =
	"count(*), sum(CASE WHEN verdict <> 'refused' THEN gallons ELSE 0 END), ";

enum { P_FROM = 1, P_TO, P_HAULER, P_STATION, P_WASTE, P_Q = 9, P_AFTER_STATION, P_AFTER_ID,
       P_LIMIT };

static int cat(char *out, size_t cap, size_t *len, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int cat(char *out, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*len >= cap)
		return -1;
	va_start(ap, fmt);
	n = vsnprintf(out + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= cap - *len) {
		*len = cap;
		return -1;
	}
	*len += (size_t)n;
	return 0;
}

static int one_station(const struct listing_source *src, const struct listing_filter *f)
{
	return src->station_col && f->station && f->station[0];
}

int listing_check(enum listing_kind kind, const struct listing_filter *f)
{
	int rc;

	if (kind == LISTING_MONTH) {
		if (f->year < 1970 || f->year > 9999 || f->month < 1 || f->month > 12)
			return hg_fail(HG_EINVAL, "%04d-%02d is not a month", f->year, f->month);
		return HG_OK;
	}
	rc = store_check_date("from date", f->from);
	if (!rc)
		rc = store_check_date("to date", f->to);
	return rc;
}

/* " AND day >= ?1" ...: the filters of the loads and the RV visits. */
static int where(const struct listing_source *src, const struct listing_filter *f, int loads,
		 char *sql, size_t cap, size_t *len)
{
	int bad = cat(sql, cap, len, " WHERE 1");

	if (f->from[0])
		bad |= cat(sql, cap, len, " AND day >= ?%d", P_FROM);
	if (f->to[0])
		bad |= cat(sql, cap, len, " AND day <= ?%d", P_TO);
	if (loads && f->hauler_id)
		bad |= cat(sql, cap, len, " AND hauler_id = ?%d", P_HAULER);
	if (one_station(src, f))
		bad |= cat(sql, cap, len, " AND %s = ?%d", src->station_col, P_STATION);
	if (loads && f->flagged)
		bad |= cat(sql, cap, len, " AND (sampled = 1 OR meter_flag <> '')");
	if (loads && f->sampled)
		bad |= cat(sql, cap, len, " AND sampled = 1");
	if (!loads && f->q && f->q[0])
		bad |= cat(sql, cap, len, " AND (name LIKE ?%d ESCAPE '\\' OR plate LIKE ?%d "
			   "ESCAPE '\\' OR plate_state LIKE ?%d ESCAPE '\\')", P_Q, P_Q, P_Q);
	return bad;
}

/* The newest-first order of the loads (by the time decided) or the RV
 * visits (signed in), and the rows after the page's last (keyset: the
 * key of that row, read by its station and number). */
static int newest(const struct listing_source *src, const struct listing_filter *f, int loads,
		  char *sql, size_t cap, size_t *len)
{
	const char *key = loads ? "t_decided" : "coalesce(signed_in, 0)";
	const char *num = loads ? "load_no" : "id", *t = loads ? "loads" : "rv_visits";
	const char *sc = src->station_col;
	int bad = 0;

	if (f->after_id && sc)
		bad |= cat(sql, cap, len, " AND (%s, %s, %s) < (SELECT %s, %s, %s FROM %s%s WHERE "
			   "%s = ?%d AND %s = ?%d)", key, sc, num, key, sc, num, src->prefix, t,
			   sc, P_AFTER_STATION, num, P_AFTER_ID);
	else if (f->after_id)
		bad |= cat(sql, cap, len, " AND (%s, %s) < (SELECT %s, %s FROM %s%s WHERE %s = ?%d)",
			   key, num, key, num, src->prefix, t, num, P_AFTER_ID);
	bad |= cat(sql, cap, len, " ORDER BY %s DESC, %s%s%s DESC", key, sc ? sc : "",
		   sc ? " DESC, " : "", num);
	return bad;
}

/* The sums per day and waste type, or per hauler, of the loads (on the
 * month report's covering index), by station where there is a station
 * column (not with totals: the days summed over the stations). */
static int sums_sql(enum listing_kind kind, const struct listing_source *src,
		    const struct listing_filter *f, char *sql, size_t cap, size_t *len)
{
	const char *p = src->prefix;
	const char *sc = src->station_col && !(kind == LISTING_DAYS && f->totals) ?
			 src->station_col : NULL;
	const char *by = kind == LISTING_DAYS ? "day, waste" : "hauler_id";
	int bad = cat(sql, cap, len, "SELECT %s%s%s, %s", sc ? sc : "", sc ? ", " : "", by,
		      load_sums);

	bad |= cat(sql, cap, len, kind == LISTING_DAYS ? "sum(verdict = 'refused'), sum(sampled)"
		   : "sum(sampled), sum(verdict = 'refused'), min(day), max(day)");
	bad |= cat(sql, cap, len, " FROM %sloads INDEXED BY %sloads_month", p, p);
	bad |= where(src, f, 1, sql, cap, len);
	bad |= cat(sql, cap, len, " GROUP BY %s%s%s ORDER BY %s%s%s", sc ? sc : "", sc ? ", " : "",
		   by, sc ? sc : "", sc ? ", " : "", by);
	return bad;
}

/* The roster's haulers with their active cards and trucks (the station's
 * `hauler list`), by station where there is a station column. */
static int haulers_sql(const struct listing_source *src, const struct listing_filter *f,
		       char *sql, size_t cap, size_t *len)
{
	const char *p = src->prefix, *sc = src->station_col;
	int bad = cat(sql, cap, len, "SELECT ");

	if (sc)
		bad |= cat(sql, cap, len, "h.%s, ", sc);
	bad |= cat(sql, cap, len, "h.id, h.company, h.contact, h.phone, h.permit, h.permit_from, "
		   "h.permit_to, h.status, h.waste_allowed, h.analysis_date, "
		   "(SELECT count(*) FROM %scards c WHERE c.hauler_id = h.id AND c.revoked = 0", p);
	if (sc)
		bad |= cat(sql, cap, len, " AND c.%s = h.%s", sc, sc);
	bad |= cat(sql, cap, len, "), (SELECT count(*) FROM %strucks t WHERE t.hauler_id = h.id", p);
	if (sc)
		bad |= cat(sql, cap, len, " AND t.%s = h.%s", sc, sc);
	bad |= cat(sql, cap, len, ") FROM %shaulers h", p);
	if (one_station(src, f))
		bad |= cat(sql, cap, len, " WHERE h.%s = ?%d", sc, P_STATION);
	bad |= cat(sql, cap, len, " ORDER BY %s%s%sh.id", sc ? "h." : "", sc ? sc : "",
		   sc ? ", " : "");
	return bad;
}

/* The month report: aggregated on the covering index <prefix>loads_month,
 * then the haulers named (by station where there is a station column);
 * with totals, summed again per company and permit. */
static int month_sql(const struct listing_source *src, const struct listing_filter *f,
		     char *sql, size_t cap, size_t *len)
{
	const char *p = src->prefix, *sc = src->station_col;
	int bad = 0;

	if (!sc)
		bad |= cat(sql, cap, len, "SELECT h.company, h.permit, r.n, r.g1, r.g2, r.g3, r.g4, "
			   "r.gt, r.ns, r.nr FROM (SELECT %s", month_sums);
	else if (f->totals)
		bad |= cat(sql, cap, len, "SELECT h.company, h.permit, sum(r.n), sum(r.g1), "
			   "sum(r.g2), sum(r.g3), sum(r.g4), sum(r.gt), sum(r.ns), sum(r.nr) "
			   "FROM (SELECT %s AS sid, %s", sc, month_sums);
	else
		bad |= cat(sql, cap, len, "SELECT r.sid, h.company, h.permit, r.n, r.g1, r.g2, "
			   "r.g3, r.g4, r.gt, r.ns, r.nr FROM (SELECT %s AS sid, %s", sc, month_sums);
	bad |= cat(sql, cap, len, " FROM %sloads INDEXED BY %sloads_month WHERE day BETWEEN ?%d "
		   "AND ?%d", p, p, P_FROM, P_TO);
	if (one_station(src, f))
		bad |= cat(sql, cap, len, " AND %s = ?%d", sc, P_STATION);
	if (!sc)
		return bad | cat(sql, cap, len, " GROUP BY hauler_id) r JOIN %shaulers h "
				 "ON h.id = r.hauler_id ORDER BY h.company, h.id", p);
	bad |= cat(sql, cap, len, " GROUP BY %s, hauler_id) r JOIN %shaulers h ON h.%s = r.sid "
		   "AND h.id = r.hauler_id", sc, p, sc);
	if (f->totals)
		return bad | cat(sql, cap, len, " GROUP BY h.company, h.permit "
				 "ORDER BY h.company, h.permit");
	return bad | cat(sql, cap, len, " ORDER BY r.sid, h.company, h.id");
}

int listing_sql(enum listing_kind kind, const struct listing_source *src,
		const struct listing_filter *f, char *sql, size_t cap,
		struct listing_col *cols, int max, int *ncols)
{
	static const struct { const struct listing_col *cols; int n; } of[] = {
		[LISTING_LOADS] = { load_cols, (int)HG_ARRAY_LEN(load_cols) },
		[LISTING_RV] = { rv_cols, (int)HG_ARRAY_LEN(rv_cols) },
		[LISTING_MONTH] = { month_cols, (int)HG_ARRAY_LEN(month_cols) },
		[LISTING_DAYS] = { day_cols, (int)HG_ARRAY_LEN(day_cols) },
		[LISTING_HAULERS] = { hauler_cols, (int)HG_ARRAY_LEN(hauler_cols) },
		[LISTING_HAULER_LOADS] = { hauler_load_cols, (int)HG_ARRAY_LEN(hauler_load_cols) },
	};
	const char *sc = src->station_col;
	int lead = sc && !((kind == LISTING_MONTH || kind == LISTING_DAYS) && f->totals);
	size_t len = 0;
	int bad = 0, rc, i;

	*ncols = 0;
	if ((unsigned)kind >= HG_ARRAY_LEN(of))
		return hg_fail(HG_EINVAL, "no listing %d (a bug)", (int)kind);
	rc = listing_check(kind, f);
	if (rc)
		return rc;
	if (of[kind].n + lead > max)
		return hg_fail(HG_ETOOLONG, "a listing has too many columns (a bug)");
	if (lead)
		cols[(*ncols)++] = station_col;
	for (i = 0; i < of[kind].n; i++)
		cols[(*ncols)++] = of[kind].cols[i];

	if (kind == LISTING_MONTH) {
		bad = month_sql(src, f, sql, cap, &len);
	} else if (kind == LISTING_DAYS || kind == LISTING_HAULER_LOADS) {
		bad = sums_sql(kind, src, f, sql, cap, &len);
	} else if (kind == LISTING_HAULERS) {
		bad = haulers_sql(src, f, sql, cap, &len);
	} else {
		int loads = kind == LISTING_LOADS;

		bad |= cat(sql, cap, &len, "SELECT ");
		if (sc)
			bad |= cat(sql, cap, &len, "%s, ", sc);
		bad |= cat(sql, cap, &len, "%s FROM %s%s", loads ? load_select : rv_select,
			   src->prefix, loads ? "loads" : "rv_visits");
		bad |= where(src, f, loads, sql, cap, &len);
		if (f->newest)
			bad |= newest(src, f, loads, sql, cap, &len);
		else
			bad |= cat(sql, cap, &len, " ORDER BY %s%s%s", sc ? sc : "", sc ? ", " : "",
				   loads ? "load_no" : "id");
	}
	if (f->limit > 0)
		bad |= cat(sql, cap, &len, " LIMIT ?%d", P_LIMIT);
	if (bad)
		return hg_fail(HG_ETOOLONG, "the SQL of a listing does not fit in %zu bytes (a bug)",
			       cap);
	return HG_OK;
}

int listing_indexes(const struct listing_source *src, char *sql, size_t cap)
{
	const char *p = src->prefix, *sc = src->station_col ? src->station_col : "";
	const char *comma = src->station_col ? ", " : "";
	size_t len = 0;
	int bad = 0;

	/* by day; covering for the month report (the station column after the
	 * day: one station's month is a range of it too) */
	bad |= cat(sql, cap, &len, "CREATE INDEX %sloads_month ON %sloads(day%s%s, hauler_id, "
		   "verdict, waste, gallons, sampled);\n", p, p, comma, sc);
	bad |= cat(sql, cap, &len, "CREATE INDEX %srv_visits_day ON %srv_visits(day);\n", p, p);
	if (bad)
		return hg_fail(HG_ETOOLONG, "the listings' indexes do not fit in %zu bytes (a bug)",
			       cap);
	return HG_OK;
}

int listing_fill(sqlite3 *db, sqlite3_stmt *s, const struct listing_col *cols, int n,
		 struct table **out)
{
	const char *names[TABLE_MAX_COLS] = {0};
	char times[TABLE_MAX_COLS][17];
	const char *cells[TABLE_MAX_COLS];
	struct table *t;
	int rc = HG_OK, step;

	*out = NULL;
	if (n > TABLE_MAX_COLS) {
		sqlite3_reset(s);
		return hg_fail(HG_EINVAL, "a listing has too many columns (a bug)");
	}
	for (int i = 0; i < n; i++)
		names[i] = cols[i].name;
	t = table_new(n, names);
	if (!t) {
		sqlite3_reset(s);
		return hg_fail(HG_ENOMEM, "out of memory for the listing");
	}
	for (int i = 0; i < n; i++)
		if (cols[i].kind == LISTING_NUM)
			table_numeric(t, i);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			if (cols[i].kind == LISTING_TIME) {
				hg_time v = sqlite3_column_int64(s, i);

				times[i][0] = '\0';
				if (v)
					text_time_local(v, times[i]);
				cells[i] = times[i];
			} else {
				cells[i] = (const char *)sqlite3_column_text(s, i);
				if (!cells[i])
					cells[i] = "";
			}
		}
		rc = table_add(t, cells);
		if (rc) {
			rc = hg_fail(rc, "the listing is too long (more than %d rows)",
				     TABLE_MAX_ROWS);
			break;
		}
	}
	sqlite3_reset(s);
	if (!rc && step != SQLITE_DONE)
		rc = store_dberr(db, step, "read the listing");
	if (rc) {
		table_free(t);
		return rc;
	}
	*out = t;
	return HG_OK;
}

/* "%q%" with q's % _ and \ escaped (LIKE ... ESCAPE '\'), bound at i. */
static int like_bind(sqlite3_stmt *s, int i, const char *q)
{
	char pat[2 * 200 + 3];
	size_t n = 0;

	if (strlen(q) > 200)
		return hg_fail(HG_EINVAL, "the text searched for is longer than 200 bytes");
	pat[n++] = '%';
	for (; *q; q++) {
		if (*q == '%' || *q == '_' || *q == '\\')
			pat[n++] = '\\';
		pat[n++] = *q;
	}
	pat[n++] = '%';
	pat[n] = '\0';
	sqlite3_bind_text(s, i, pat, (int)n, SQLITE_TRANSIENT);
	return HG_OK;
}

int listing_run(sqlite3 *db, enum listing_kind kind, const struct listing_source *src,
		const struct listing_filter *f, struct table **out)
{
	struct listing_col cols[TABLE_MAX_COLS];
	char sql[2048];
	sqlite3_stmt *s = NULL;
	int n, rc;

	*out = NULL;
	rc = listing_sql(kind, src, f, sql, sizeof sql, cols, TABLE_MAX_COLS, &n);
	if (rc)
		return rc;
	rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_finalize(s);
		return store_dberr(db, rc, "prepare a listing");
	}
	if (kind == LISTING_MONTH) {
		char from[16], to[16];

		snprintf(from, sizeof from, "%04d-%02d-01", f->year, f->month);
		snprintf(to, sizeof to, "%04d-%02d-31", f->year, f->month);
		sqlite3_bind_text(s, P_FROM, from, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, P_TO, to, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, P_WASTE, waste_code(WASTE_SEPTAGE), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, P_WASTE + 1, waste_code(WASTE_PORTABLE), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, P_WASTE + 2, waste_code(WASTE_GREASE), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, P_WASTE + 3, waste_code(WASTE_INDUSTRIAL), -1, SQLITE_STATIC);
	} else {
		if (f->from[0])
			sqlite3_bind_text(s, P_FROM, f->from, -1, SQLITE_STATIC);
		if (f->to[0])
			sqlite3_bind_text(s, P_TO, f->to, -1, SQLITE_STATIC);
		if (kind != LISTING_RV && f->hauler_id)
			sqlite3_bind_int64(s, P_HAULER, f->hauler_id);
	}
	if (one_station(src, f))
		sqlite3_bind_text(s, P_STATION, f->station, -1, SQLITE_STATIC);
	if (kind == LISTING_RV && f->q && f->q[0]) {
		rc = like_bind(s, P_Q, f->q);
		if (rc) {
			sqlite3_finalize(s);
			return rc;
		}
	}
	if (f->newest && f->after_id) {
		sqlite3_bind_text(s, P_AFTER_STATION, f->after_station ? f->after_station : "", -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, P_AFTER_ID, f->after_id);
	}
	if (f->limit > 0)
		sqlite3_bind_int64(s, P_LIMIT, f->limit);
	rc = listing_fill(db, s, cols, n, out);
	sqlite3_finalize(s);
	return rc;
}
