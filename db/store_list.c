/* store_list.c: the listings the CLI prints, and the monthly report.
 *
 * Each listing is one query whose columns are described by a small table
 * (name and kind: text, number, or a time shown as local "YYYY-MM-DD hh:mm");
 * fill() turns its rows into a struct table.  Filters are bound parameters;
 * the only SQL assembled at run time is store_list_loads()'s WHERE clause,
 * built from constant fragments.  The month report reads the covering index
 * loads_month (day, hauler_id, verdict, waste, gallons, sampled) only. */
#include <stdio.h>
#include <string.h>
#include "store_int.h"
#include "../core/text.h"

enum col_kind { COL_TEXT = 0, COL_NUM, COL_TIME };

struct col {
	const char *name;
	enum col_kind kind;
};

/* Step s to its end, one table row per result row. */
static int fill(struct store *st, sqlite3_stmt *s, const struct col *cols, int n,
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
		if (cols[i].kind == COL_NUM)
			table_numeric(t, i);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		for (int i = 0; i < n; i++) {
			if (cols[i].kind == COL_TIME) {
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
		rc = store_sqlerr(st, step, "read the listing");
	if (rc) {
		table_free(t);
		return rc;
	}
	*out = t;
	return HG_OK;
}

static int list_static(struct store *st, const char *sql, const struct col *cols, int n,
		       struct table **out)
{
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	*out = NULL;
	if (rc)
		return rc;
	return fill(st, s, cols, n, out);
}

int store_list_haulers(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT h.id, h.company, h.contact, h.phone, h.permit, h.permit_from, h.permit_to, "
		"h.status, h.waste_allowed, h.analysis_date, "
		"(SELECT count(*) FROM cards c WHERE c.hauler_id = h.id AND c.revoked = 0), "
		"(SELECT count(*) FROM trucks t WHERE t.hauler_id = h.id) "
		"FROM haulers h ORDER BY h.id";
	static const struct col cols[] = {
		{"id", COL_NUM}, {"company", COL_TEXT}, {"contact", COL_TEXT}, {"phone", COL_TEXT},
		{"permit", COL_TEXT}, {"permit_from", COL_TEXT}, {"permit_to", COL_TEXT},
		{"status", COL_TEXT}, {"waste_allowed", COL_TEXT}, {"analysis_date", COL_TEXT},
		{"cards", COL_NUM}, {"trucks", COL_NUM},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_cards(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT c.uid, c.id, c.hauler_id, h.company, c.driver, "
		"CASE WHEN c.revoked THEN 'revoked' ELSE 'active' END, c.failures, c.locked_until "
		"FROM cards c JOIN haulers h ON h.id = c.hauler_id ORDER BY c.hauler_id, c.id";
	static const struct col cols[] = {
		{"uid", COL_TEXT}, {"card_id", COL_NUM}, {"hauler_id", COL_NUM}, {"company", COL_TEXT},
		{"driver", COL_TEXT}, {"status", COL_TEXT}, {"pin_failures", COL_NUM},
		{"locked_until", COL_TIME},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_trucks(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT t.id, t.hauler_id, h.company, t.ident, t.capacity "
		"FROM trucks t JOIN haulers h ON h.id = t.hauler_id ORDER BY t.hauler_id, t.id";
	static const struct col cols[] = {
		{"id", COL_NUM}, {"hauler_id", COL_NUM}, {"company", COL_TEXT}, {"truck", COL_TEXT},
		{"capacity", COL_NUM},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_operators(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT id, name, uid, CASE WHEN active THEN 'active' ELSE 'inactive' END, "
		"failures, locked_until FROM operators ORDER BY id";
	static const struct col cols[] = {
		{"id", COL_NUM}, {"name", COL_TEXT}, {"uid", COL_TEXT}, {"status", COL_TEXT},
		{"pin_failures", COL_NUM}, {"locked_until", COL_TIME},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_loads(struct store *st, const struct load_filter *f, struct table **out)
{
	static const struct col cols[] = {
		{"load_no", COL_NUM}, {"decided", COL_TIME}, {"hauler_id", COL_NUM},
		{"company", COL_TEXT}, {"permit", COL_TEXT}, {"truck", COL_TEXT}, {"waste", COL_TEXT},
		{"gallons", COL_NUM}, {"verdict", COL_TEXT}, {"reasons", COL_TEXT},
		{"flagged", COL_TEXT}, {"bottle", COL_TEXT}, {"measured", COL_NUM},
		{"discharge_end", COL_TIME}, {"meter", COL_TEXT},
	};
	char sql[1024];
	size_t len;
	sqlite3_stmt *s = NULL;
	int rc, i = 1;

	*out = NULL;
	if (f) {
		rc = store_check_date("from date", f->from);
		if (!rc)
			rc = store_check_date("to date", f->to);
		if (rc)
			return rc;
	}
	/* only constant fragments; every value is a bound parameter */
	len = (size_t)snprintf(sql, sizeof sql, "%s",
		"SELECT load_no, t_decided, hauler_id, company, permit, truck, waste, gallons, "
		"verdict, CASE verdict WHEN 'refused' THEN refuse_reasons ELSE sample_reasons END, "
		"CASE WHEN sampled THEN 'yes' ELSE '' END, bottle, gallons_measured, "
		"t_discharge_end, meter_flag FROM loads WHERE 1");
	if (f && f->from[0])
		len += (size_t)snprintf(sql + len, sizeof sql - len, " AND day >= ?%d", i++);
	if (f && f->to[0])
		len += (size_t)snprintf(sql + len, sizeof sql - len, " AND day <= ?%d", i++);
	if (f && f->hauler_id)
		len += (size_t)snprintf(sql + len, sizeof sql - len, " AND hauler_id = ?%d", i++);
	if (f && f->flagged)
		len += (size_t)snprintf(sql + len, sizeof sql - len,
					" AND (sampled = 1 OR meter_flag <> '')");
	snprintf(sql + len, sizeof sql - len, " ORDER BY load_no");

	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlerr(st, rc, "list the loads");
	i = 1;
	if (f && f->from[0])
		sqlite3_bind_text(s, i++, f->from, -1, SQLITE_STATIC);
	if (f && f->to[0])
		sqlite3_bind_text(s, i++, f->to, -1, SQLITE_STATIC);
	if (f && f->hauler_id)
		sqlite3_bind_int64(s, i++, f->hauler_id);
	rc = fill(st, s, cols, (int)HG_ARRAY_LEN(cols), out);
	sqlite3_finalize(s);
	return rc;
}

int store_list_rv(struct store *st, const char *from, const char *to, struct table **out)
{
	static const char sql[] =
		"SELECT id, signed_in, name, plate, plate_state, lang, "
		"CASE WHEN declared THEN 'yes' ELSE 'no' END, done FROM rv_visits "
		"WHERE day BETWEEN ?1 AND ?2 ORDER BY id";
	static const struct col cols[] = {
		{"id", COL_NUM}, {"signed_in", COL_TIME}, {"name", COL_TEXT}, {"plate", COL_TEXT},
		{"state", COL_TEXT}, {"lang", COL_TEXT}, {"declared", COL_TEXT}, {"done", COL_TIME},
	};
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	rc = store_check_date("from date", from);
	if (!rc)
		rc = store_check_date("to date", to);
	if (!rc)
		rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	store_bind_text(s, 1, from && *from ? from : "0000-00-00");
	store_bind_text(s, 2, to && *to ? to : "9999-99-99");
	return fill(st, s, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_events(struct store *st, long long from_seq, long long limit, struct table **out)
{
	static const char sql[] =
		"SELECT seq, ts, type, CASE WHEN load_no <> 0 THEN load_no ELSE '' END, actor, detail "
		"FROM events WHERE seq >= ?1 ORDER BY seq LIMIT ?2";
	static const struct col cols[] = {
		{"seq", COL_NUM}, {"time", COL_TIME}, {"type", COL_TEXT}, {"load_no", COL_NUM},
		{"actor", COL_TEXT}, {"detail", COL_TEXT},
	};
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, from_seq);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return fill(st, s, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_report_month(struct store *st, int year, int month, struct table **out)
{
	/* aggregate on the covering index first, then name the haulers */
	static const char sql[] =
		"SELECT h.company, h.permit, r.n, r.g1, r.g2, r.g3, r.g4, r.gt, r.ns, r.nr FROM ("
		" SELECT hauler_id, count(*) AS n,"
		"  sum(CASE WHEN verdict <> 'refused' AND waste = ?3 THEN gallons ELSE 0 END) AS g1,"
		"  sum(CASE WHEN verdict <> 'refused' AND waste = ?4 THEN gallons ELSE 0 END) AS g2,"
		"  sum(CASE WHEN verdict <> 'refused' AND waste = ?5 THEN gallons ELSE 0 END) AS g3,"
		"  sum(CASE WHEN verdict <> 'refused' AND waste = ?6 THEN gallons ELSE 0 END) AS g4,"
		"  sum(CASE WHEN verdict <> 'refused' THEN gallons ELSE 0 END) AS gt,"
		"  sum(sampled) AS ns,"
		"  sum(verdict = 'refused') AS nr"
		" FROM loads INDEXED BY loads_month WHERE day BETWEEN ?1 AND ?2 GROUP BY hauler_id"
		") r JOIN haulers h ON h.id = r.hauler_id ORDER BY h.company, h.id";
	static const struct col cols[] = {
		{"company", COL_TEXT}, {"permit", COL_TEXT}, {"loads", COL_NUM},
		{"septage", COL_NUM}, {"portable", COL_NUM}, {"grease", COL_NUM},
		{"industrial", COL_NUM}, {"gallons", COL_NUM}, {"samples", COL_NUM},
		{"refusals", COL_NUM},
	};
	char from[16], to[16];
	sqlite3_stmt *s;
	int rc;

	*out = NULL;
	if (year < 1970 || year > 9999 || month < 1 || month > 12)
		return hg_fail(HG_EINVAL, "%04d-%02d is not a month", year, month);
	snprintf(from, sizeof from, "%04d-%02d-01", year, month);
	snprintf(to, sizeof to, "%04d-%02d-31", year, month);
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, from, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 2, to, -1, SQLITE_TRANSIENT);
	store_bind_text(s, 3, waste_code(WASTE_SEPTAGE));
	store_bind_text(s, 4, waste_code(WASTE_PORTABLE));
	store_bind_text(s, 5, waste_code(WASTE_GREASE));
	store_bind_text(s, 6, waste_code(WASTE_INDUSTRIAL));
	return fill(st, s, cols, (int)HG_ARRAY_LEN(cols), out);
}
