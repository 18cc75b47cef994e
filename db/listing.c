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
 * The loads' wide columns of their sources (towns, names and addresses,
 * industries) are not in that SQL: listing_run() reads them a load at a
 * time with one more statement (sources_sql()), one index lookup where a
 * subquery per column made three (two thirds of a CSV export's time at a
 * million loads), and joins them as group_concat(x, '; ') did.
 * Start reading at listing_sql(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "listing.h"
#include "store_int.h"
#include "../core/manifest.h"
#include "../core/policy.h"
#include "../core/record.h"
#include "../core/text.h"

const struct listing_source listing_station = { "", NULL, NULL };

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
/* the wide columns of the loads (f->wide), their expressions in
 * wide_select[], and the field of the record each shows, for
 * record_confidential() */
static const struct listing_col wide_cols[LISTING_WIDE] = {
	{ "towns", LISTING_SRC_TOWN }, { "sources", LISTING_SRC_NAME },
	{ "industry", LISTING_SRC_INDUSTRY },
	{ "characteristics", LISTING_TEXT }, { "constituents", LISTING_TEXT },
	{ "rcra", LISTING_TEXT }, { "decided_at", LISTING_NUM },
};
static const char *const wide_field[LISTING_WIDE][2] = {
	{ "load_sources", "town" }, { "load_sources", "name" }, { "load_sources", "industry" },
	{ "loads", "characteristics" }, { "loads", "constituents" }, { "loads", "rcra" },
	{ "loads", "t_decided" },
};

static int wide_secret(int i)
{
	return record_confidential(wide_field[i][0], wide_field[i][1]);
}
/* The wide columns' expressions; NULL: a column of the load's sources,
 * read by sources_sql()'s statement, not in the listing's SQL. */
static const char *const wide_select[LISTING_WIDE] = {
	NULL, NULL, NULL, "characteristics", "constituents", "rcra", "t_decided",
};

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

enum { P_FROM = 1, P_TO, P_HAULER, P_STATION, P_WASTE,
       P_TYPE = 9, P_VERDICT, P_TOWN, P_LIKE, P_NUMBER, P_KEY_T, P_KEY_S, P_KEY_N, P_LIMIT };

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
	if (rc)
		return rc;
	if (f->limit < 0 || f->after.load_no < 0 || f->after.decided < 0)
		return hg_fail(HG_EINVAL, "a page's key or length is negative");
	if (text_check(f->text, LISTING_TEXT_MAX, 0) != TEXT_OK)
		return hg_fail(HG_EINVAL, "the text to look for is too long, or not text");
	if (kind != LISTING_LOADS)
		return HG_OK;
	if (f->waste[0] && waste_parse(f->waste) == WASTE_NONE)
		return hg_fail(HG_EINVAL, "'%.16s' is not a waste type", f->waste);
	if (f->verdict[0] && verdict_parse(f->verdict) == VERDICT_NONE)
		return hg_fail(HG_EINVAL, "'%.16s' is not a decision", f->verdict);
	if (text_check(f->town, LIM_TOWN, 0) != TEXT_OK)
		return hg_fail(HG_EINVAL, "the town is too long, or not text");
	return HG_OK;
}

/* The columns that tie a load's sources (alias s) to the load: the
 * station column too at the plant. */
static int sources_of(const struct listing_source *src, char *out, size_t cap)
{
	size_t len = 0;
	const char *p = src->prefix;

	if (src->station_col)
		return cat(out, cap, &len, "s.%s = %sloads.%s AND s.load_no = %sloads.load_no",
			   src->station_col, p, src->station_col, p);
	return cat(out, cap, &len, "s.load_no = %sloads.load_no", p);
}

/* The loads' columns the free text is looked for in (besides the load
 * number, the sources and, for a reader of confidential fields, the
 * constituents). */
static const char *const text_cols[] = { "company", "driver", "permit", "truck", "signer",
					 "bottle" };

/* The loads' filters of the pages: waste, decision, sampled, meter flag,
 * a source's town, the free text; the page's key. */
static int where_page(const struct listing_source *src, const struct listing_filter *f,
		      char *sql, size_t cap, size_t *len)
{
	const char *p = src->prefix, *sc = src->station_col;
	char corr[160];
	int bad = sources_of(src, corr, sizeof corr);

	if (f->waste[0])
		bad |= cat(sql, cap, len, " AND waste = ?%d", P_TYPE);
	if (f->verdict[0])
		bad |= cat(sql, cap, len, " AND verdict = ?%d", P_VERDICT);
	if (f->sampled)
		bad |= cat(sql, cap, len, " AND sampled = %d", f->sampled > 0);
	if (f->meter > 0)
		bad |= cat(sql, cap, len, " AND meter_flag <> ''");
	else if (f->meter < 0)
		bad |= cat(sql, cap, len, " AND meter_flag = ''");
	if (f->town[0])
		bad |= cat(sql, cap, len, " AND EXISTS (SELECT 1 FROM %sload_sources s WHERE %s AND "
			   "s.town = ?%d COLLATE NOCASE)", p, corr, P_TOWN);
	if (f->text[0]) {
		bad |= cat(sql, cap, len, " AND (CAST(load_no AS TEXT) = ?%d", P_NUMBER);
		for (size_t i = 0; i < HG_ARRAY_LEN(text_cols); i++)
			bad |= cat(sql, cap, len, " OR %s LIKE ?%d ESCAPE '\\'", text_cols[i], P_LIKE);
		if (f->confidential)	/* record_confidential()'s fields */
			bad |= cat(sql, cap, len, " OR constituents LIKE ?%d ESCAPE '\\'", P_LIKE);
		bad |= cat(sql, cap, len, " OR EXISTS (SELECT 1 FROM %sload_sources s WHERE %s AND "
			   "(s.town LIKE ?%d ESCAPE '\\'", p, corr, P_LIKE);
		if (f->confidential)
			bad |= cat(sql, cap, len, " OR s.name LIKE ?%d ESCAPE '\\' OR s.address LIKE "
				   "?%d ESCAPE '\\' OR s.industry LIKE ?%d ESCAPE '\\'", P_LIKE,
				   P_LIKE, P_LIKE);
		bad |= cat(sql, cap, len, ")))");
	}
	if (f->newest && f->after.decided) {
		if (sc)
			bad |= cat(sql, cap, len, " AND (t_decided, %s, load_no) < (?%d, ?%d, ?%d)", sc,
				   P_KEY_T, P_KEY_S, P_KEY_N);
		else
			bad |= cat(sql, cap, len, " AND (t_decided, load_no) < (?%d, ?%d)", P_KEY_T,
				   P_KEY_N);
	}
	return bad;
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
	if (loads)
		bad |= where_page(src, f, sql, cap, len);
	if (!loads && f->text[0])
		bad |= cat(sql, cap, len, " AND (name LIKE ?%d ESCAPE '\\' OR plate LIKE ?%d "
			   "ESCAPE '\\' OR plate_state LIKE ?%d ESCAPE '\\')", P_LIKE, P_LIKE, P_LIKE);
	return bad;
}

/* The newest-first order of the RV visits (signed in, station, id) and
 * the rows after the page's last (keyset: that row's key read by its
 * station, after.station, and id, after.load_no).  The loads' is
 * where_page()'s, on the key given whole. */
static int rv_newest(const struct listing_source *src, const struct listing_filter *f,
		     char *sql, size_t cap, size_t *len)
{
	const char *key = "coalesce(signed_in, 0)", *sc = src->station_col;
	int bad = 0;

	if (f->after.load_no && sc)
		bad |= cat(sql, cap, len, " AND (%s, %s, id) < (SELECT %s, %s, id FROM %srv_visits "
			   "WHERE %s = ?%d AND id = ?%d)", key, sc, key, sc, src->prefix, sc,
			   P_KEY_S, P_KEY_N);
	else if (f->after.load_no)
		bad |= cat(sql, cap, len, " AND (%s, id) < (SELECT %s, id FROM %srv_visits WHERE "
			   "id = ?%d)", key, key, src->prefix, P_KEY_N);
	bad |= cat(sql, cap, len, " ORDER BY %s DESC, %s%sid DESC", key, sc ? sc : "",
		   sc ? " DESC, " : "");
	return bad;
}

/* Can the days' sums be read from src's table of them (src->day_sums)?
 * Only when f filters by days and station alone: the table has no hauler,
 * decision or text to filter on. */
static int day_sums_fit(const struct listing_source *src, const struct listing_filter *f)
{
	return src->day_sums && !f->hauler_id && !f->flagged && !f->waste[0] && !f->verdict[0] &&
	       !f->sampled && !f->meter && !f->town[0] && !f->text[0] && !f->after.decided;
}

/* The sums per day and waste type, or per hauler, of the loads (on the
 * month report's covering index, or the days' from src->day_sums), by
 * station where there is a station column (not with totals: the days
 * summed over the stations). */
static int sums_sql(enum listing_kind kind, const struct listing_source *src,
		    const struct listing_filter *f, char *sql, size_t cap, size_t *len)
{
	const char *p = src->prefix;
	const char *sc = src->station_col && !(kind == LISTING_DAYS && f->totals) ?
			 src->station_col : NULL;
	const char *by = kind == LISTING_DAYS ? "day, waste" : "hauler_id";
	int kept = kind == LISTING_DAYS && day_sums_fit(src, f);
	int bad = cat(sql, cap, len, "SELECT %s%s%s, %s", sc ? sc : "", sc ? ", " : "", by,
		      kept ? "sum(loads), sum(gallons), " : load_sums);

	if (kept)
		bad |= cat(sql, cap, len, "sum(refusals), sum(samples) FROM %s", src->day_sums);
	else
		bad |= cat(sql, cap, len, "%s FROM %sloads INDEXED BY %sloads_month",
			   kind == LISTING_DAYS ? "sum(verdict = 'refused'), sum(sampled)" :
			   "sum(sampled), sum(verdict = 'refused'), min(day), max(day)", p, p);
	bad |= where(src, f, !kept, sql, cap, len);
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

/* ", <the wide columns' expressions>" that f may read (the sources' not:
 * wide_select[]). */
static int wide(const struct listing_filter *f, char *sql, size_t cap, size_t *len)
{
	int bad = 0;

	for (int i = 0; i < LISTING_WIDE; i++)
		if (wide_select[i] && (f->confidential || !wide_secret(i)))
			bad |= cat(sql, cap, len, ", %s", wide_select[i]);
	return bad;
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
	if (of[kind].n + lead + (kind == LISTING_LOADS && f->wide ? LISTING_WIDE : 0) > max)
		return hg_fail(HG_ETOOLONG, "a listing has too many columns (a bug)");
	if (lead)
		cols[(*ncols)++] = station_col;
	for (i = 0; i < of[kind].n; i++)
		cols[(*ncols)++] = of[kind].cols[i];
	if (kind == LISTING_LOADS && f->wide)
		for (i = 0; i < LISTING_WIDE; i++)
			if (f->confidential || !wide_secret(i))
				cols[(*ncols)++] = wide_cols[i];

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
		bad |= cat(sql, cap, &len, "%s", loads ? load_select : rv_select);
		if (loads && f->wide)
			bad |= wide(f, sql, cap, &len);
		bad |= cat(sql, cap, &len, " FROM %s%s", src->prefix, loads ? "loads" : "rv_visits");
		bad |= where(src, f, loads, sql, cap, &len);
		if (loads && f->newest)
			bad |= cat(sql, cap, &len, " ORDER BY t_decided DESC, %s%sload_no DESC",
				   sc ? sc : "", sc ? " DESC, " : "");
		else if (f->newest)
			bad |= rv_newest(src, f, sql, cap, &len);
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

int listing_page_indexes(const struct listing_source *src, char *sql, size_t cap)
{
	static const char *const by[][2] = {	/* name, columns before the page's order */
		{ "decided", "" }, { "hauler", "hauler_id, " }, { "verdict", "verdict, " },
		{ "waste", "waste, " }, { "sampled", "sampled, " }, { "meter", "meter_flag, " },
	};
	const char *p = src->prefix, *sc = src->station_col;
	size_t len = 0;
	int bad = 0;

	for (size_t i = 0; i < HG_ARRAY_LEN(by); i++)
		bad |= cat(sql, cap, &len, "CREATE INDEX IF NOT EXISTS %sloads_%s ON %sloads(%s"
			   "t_decided%s%s, load_no);\n", p, by[i][0], p, by[i][1], sc ? ", " : "",
			   sc ? sc : "");
	if (sc)
		bad |= cat(sql, cap, &len, "CREATE INDEX IF NOT EXISTS %sloads_station ON "
			   "%sloads(%s, t_decided, load_no);\n", p, p, sc);
	bad |= cat(sql, cap, &len, "CREATE INDEX IF NOT EXISTS %sload_sources_town ON "
		   "%sload_sources(town COLLATE NOCASE);\n", p, p);
	if (bad)
		return hg_fail(HG_ETOOLONG, "the pages' indexes do not fit in %zu bytes (a bug)", cap);
	return HG_OK;
}

/* The sources of one load, in the form's order: each one's town, "name,
 * address" and industry (LISTING_SRC_TOWN.. in that order), ?1 the
 * station (where src has a station column), ?2 the load number. */
static int sources_sql(const struct listing_source *src, char *out, size_t cap)
{
	size_t len = 0;
	int bad = cat(out, cap, &len, "SELECT town, name || ', ' || address, industry FROM "
		      "%sload_sources WHERE ", src->prefix);

	if (src->station_col)
		bad |= cat(out, cap, &len, "%s = ?1 AND ", src->station_col);
	return bad | cat(out, cap, &len, "load_no = ?2 ORDER BY idx");
}

#define SRC_JOIN_MAX 8192	/* bytes of one joined column of a load's sources */

/* One load's sources' columns, joined (LISTING_SRC_TOWN.. in order). */
struct srcjoin {
	char part[3][SRC_JOIN_MAX];
	size_t len[3];
};

/* The sources of the load of s's row (its station in column 0 where sc,
 * then its load number) read by k into *j, each column's values not NULL
 * joined by "; ", as group_concat(x, '; ') does.  HG_OK, HG_ETOOLONG, or
 * the database's error. */
static int sources_read(sqlite3 *db, sqlite3_stmt *k, sqlite3_stmt *s, int sc,
			struct srcjoin *j)
{
	int step;

	if (sc)
		sqlite3_bind_text(k, 1, (const char *)sqlite3_column_text(s, 0), -1,
				  SQLITE_TRANSIENT);
	sqlite3_bind_int64(k, 2, sqlite3_column_int64(s, sc ? 1 : 0));
	for (int i = 0; i < 3; i++) {
		j->len[i] = 0;
		j->part[i][0] = '\0';
	}
	while ((step = sqlite3_step(k)) == SQLITE_ROW) {
		for (int i = 0; i < 3; i++) {
			const char *v = (const char *)sqlite3_column_text(k, i);
			size_t n = (size_t)sqlite3_column_bytes(k, i), sep = j->len[i] ? 2 : 0;

			if (!v)
				continue;
			if (j->len[i] + sep + n >= SRC_JOIN_MAX) {
				sqlite3_reset(k);
				return hg_fail(HG_ETOOLONG, "a load's sources are longer than %d "
					       "bytes", SRC_JOIN_MAX - 1);
			}
			memcpy(j->part[i] + j->len[i], "; ", sep);
			memcpy(j->part[i] + j->len[i] + sep, v, n);
			j->len[i] += sep + n;
			j->part[i][j->len[i]] = '\0';
		}
	}
	sqlite3_reset(k);
	return step == SQLITE_DONE ? HG_OK : store_dberr(db, step, "read a load's sources");
}

static int is_src(enum listing_col_kind kind)
{
	return kind == LISTING_SRC_TOWN || kind == LISTING_SRC_NAME ||
	       kind == LISTING_SRC_INDUSTRY;
}

/* listing_fill(), the columns of the load's sources read by k (NULL: no
 * such column), the station in s's column 0 where sc. */
static int fill(sqlite3 *db, sqlite3_stmt *s, sqlite3_stmt *k, int sc,
		const struct listing_col *cols, int n, struct table **out)
{
	const char *names[TABLE_MAX_COLS] = {0};
	char times[TABLE_MAX_COLS][17];
	const char *cells[TABLE_MAX_COLS];
	struct srcjoin *j = NULL;
	struct table *t;
	int rc = HG_OK, step = SQLITE_DONE, srcs = 0;

	*out = NULL;
	if (n > TABLE_MAX_COLS) {
		sqlite3_reset(s);
		return hg_fail(HG_EINVAL, "a listing has too many columns (a bug)");
	}
	for (int i = 0; i < n; i++) {
		names[i] = cols[i].name;
		srcs |= is_src(cols[i].kind);
	}
	if (srcs && !k) {
		sqlite3_reset(s);
		return hg_fail(HG_EINVAL, "a listing's sources without their statement (a bug)");
	}
	t = table_new(n, names);
	j = srcs ? malloc(sizeof *j) : NULL;
	if (!t || (srcs && !j)) {
		table_free(t);
		free(j);
		sqlite3_reset(s);
		return hg_fail(HG_ENOMEM, "out of memory for the listing");
	}
	for (int i = 0; i < n; i++)
		if (cols[i].kind == LISTING_NUM)
			table_numeric(t, i);
	while (!rc && (step = sqlite3_step(s)) == SQLITE_ROW) {
		/* q: the query's column of cols[i] (the sources' are none) */
		for (int i = 0, q = 0; i < n; i++) {
			if (is_src(cols[i].kind)) {
				cells[i] = j->part[cols[i].kind - LISTING_SRC_TOWN];
				continue;
			}
			if (cols[i].kind == LISTING_TIME) {
				hg_time v = sqlite3_column_int64(s, q);

				times[i][0] = '\0';
				if (v)
					text_time_local(v, times[i]);
				cells[i] = times[i];
			} else {
				cells[i] = (const char *)sqlite3_column_text(s, q);
				if (!cells[i])
					cells[i] = "";
			}
			q++;
		}
		if (srcs)
			rc = sources_read(db, k, s, sc, j);
		if (!rc && table_add(t, cells))
			rc = hg_fail(HG_ENOMEM, "the listing is too long (more than %d rows)",
				     TABLE_MAX_ROWS);
	}
	sqlite3_reset(s);
	free(j);
	if (!rc && step != SQLITE_DONE)
		rc = store_dberr(db, step, "read the listing");
	if (rc) {
		table_free(t);
		return rc;
	}
	*out = t;
	return HG_OK;
}

int listing_fill(sqlite3 *db, sqlite3_stmt *s, const struct listing_col *cols, int n,
		 struct table **out)
{
	return fill(db, s, NULL, 0, cols, n, out);
}

int listing_like(const char *text, char *out, size_t cap)
{
	size_t n = 0;

	if (cap < 3)
		return hg_fail(HG_ETOOLONG, "no room for a pattern");
	out[n++] = '%';
	for (; *text; text++) {
		if (n + 4 > cap)
			return hg_fail(HG_ETOOLONG, "the text to look for is too long");
		if (*text == '%' || *text == '_' || *text == '\\')
			out[n++] = '\\';
		out[n++] = *text;
	}
	out[n++] = '%';
	out[n] = '\0';
	return HG_OK;
}

/* The loads' values of the pages' filters and key (listing_run()). */
static void bind_page(sqlite3_stmt *s, const struct listing_source *src,
		      const struct listing_filter *f, const char *like)
{
	if (f->waste[0])
		sqlite3_bind_text(s, P_TYPE, f->waste, -1, SQLITE_STATIC);
	if (f->verdict[0])
		sqlite3_bind_text(s, P_VERDICT, f->verdict, -1, SQLITE_STATIC);
	if (f->town[0])
		sqlite3_bind_text(s, P_TOWN, f->town, -1, SQLITE_STATIC);
	if (f->text[0]) {
		sqlite3_bind_text(s, P_LIKE, like, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, P_NUMBER, f->text, -1, SQLITE_STATIC);
	}
	if (f->newest && f->after.decided) {
		sqlite3_bind_int64(s, P_KEY_T, f->after.decided);
		if (src->station_col)
			sqlite3_bind_text(s, P_KEY_S, f->after.station, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, P_KEY_N, f->after.load_no);
	}
}

int listing_run(sqlite3 *db, enum listing_kind kind, const struct listing_source *src,
		const struct listing_filter *f, struct table **out)
{
	struct listing_col cols[TABLE_MAX_COLS];
	char sql[4096], like[HG_BUF(LISTING_TEXT_MAX) * 2 + 3];
	sqlite3_stmt *s = NULL, *k = NULL;
	int n, rc;

	*out = NULL;
	rc = listing_sql(kind, src, f, sql, sizeof sql, cols, TABLE_MAX_COLS, &n);
	if (!rc)
		rc = listing_like(f->text, like, sizeof like);
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
		if (kind != LISTING_RV)
			bind_page(s, src, f, like);
		else if (f->text[0])
			sqlite3_bind_text(s, P_LIKE, like, -1, SQLITE_STATIC);
		if (kind == LISTING_RV && f->newest && f->after.load_no) {
			sqlite3_bind_text(s, P_KEY_S, f->after.station, -1, SQLITE_STATIC);
			sqlite3_bind_int64(s, P_KEY_N, f->after.load_no);
		}
	}
	if (one_station(src, f))
		sqlite3_bind_text(s, P_STATION, f->station, -1, SQLITE_STATIC);
	if (f->limit > 0)
		sqlite3_bind_int64(s, P_LIMIT, f->limit);
	if (kind == LISTING_LOADS && f->wide) {
		rc = sources_sql(src, sql, sizeof sql);
		if (rc) {
			sqlite3_finalize(s);
			return hg_fail(HG_ETOOLONG, "the SQL of a load's sources does not fit (a bug)");
		}
		rc = sqlite3_prepare_v2(db, sql, -1, &k, NULL);
		if (rc != SQLITE_OK) {
			rc = store_dberr(db, rc, "prepare the reading of a load's sources");
			sqlite3_finalize(s);
			sqlite3_finalize(k);
			return rc;
		}
	}
	rc = fill(db, s, k, src->station_col != NULL, cols, n, out);
	sqlite3_finalize(s);
	sqlite3_finalize(k);
	return rc;
}
