/* store_list.c: the listings the CLI prints, and the monthly report.
 *
 * Each listing is one query whose columns are described by a small table
 * (name and kind: text, number, or a time shown as local "YYYY-MM-DD hh:mm");
 * db/listing.c's listing_fill() turns its rows into a struct table.  The
 * loads, the RV visits, the haulers and the month report are db/listing.c's queries,
 * the very ones the plant runs on its copy of every station's tables; the
 * roster's and the event log's are here.  Filters are bound parameters.  The
 * month report reads the covering index loads_month (day, hauler_id,
 * verdict, waste, gallons, sampled) only. */
#include <stdio.h>
#include <string.h>
#include "listing.h"
#include "store_int.h"
#include "../core/text.h"

static int list_static(struct store *st, const char *sql, const struct listing_col *cols, int n,
		       struct table **out)
{
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	*out = NULL;
	if (rc)
		return rc;
	return listing_fill(st->db, s, cols, n, out);
}

int store_list_haulers(struct store *st, struct table **out)
{
	struct listing_filter f;

	memset(&f, 0, sizeof f);
	return listing_run(st->db, LISTING_HAULERS, &listing_station, &f, out);
}

int store_list_cards(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT c.uid, c.id, c.hauler_id, h.company, c.driver, "
		"CASE WHEN c.revoked THEN 'revoked' ELSE 'active' END, c.failures, c.locked_until "
		"FROM cards c JOIN haulers h ON h.id = c.hauler_id ORDER BY c.hauler_id, c.id";
	static const struct listing_col cols[] = {
		{"uid", LISTING_TEXT}, {"card_id", LISTING_NUM}, {"hauler_id", LISTING_NUM}, {"company", LISTING_TEXT},
		{"driver", LISTING_TEXT}, {"status", LISTING_TEXT}, {"pin_failures", LISTING_NUM},
		{"locked_until", LISTING_TIME},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_trucks(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT t.id, t.hauler_id, h.company, t.ident, t.capacity "
		"FROM trucks t JOIN haulers h ON h.id = t.hauler_id ORDER BY t.hauler_id, t.id";
	static const struct listing_col cols[] = {
		{"id", LISTING_NUM}, {"hauler_id", LISTING_NUM}, {"company", LISTING_TEXT}, {"truck", LISTING_TEXT},
		{"capacity", LISTING_NUM},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_list_operators(struct store *st, struct table **out)
{
	static const char sql[] =
		"SELECT id, name, uid, CASE WHEN active THEN 'active' ELSE 'inactive' END, "
		"failures, locked_until FROM operators ORDER BY id";
	static const struct listing_col cols[] = {
		{"id", LISTING_NUM}, {"name", LISTING_TEXT}, {"uid", LISTING_TEXT}, {"status", LISTING_TEXT},
		{"pin_failures", LISTING_NUM}, {"locked_until", LISTING_TIME},
	};

	return list_static(st, sql, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_listing(struct store *st, enum listing_kind kind, const struct listing_filter *f,
		  struct table **out)
{
	return listing_run(st->db, kind, &listing_station, f, out);
}

int store_list_loads(struct store *st, const struct load_filter *f, struct table **out)
{
	struct listing_filter lf;

	memset(&lf, 0, sizeof lf);
	if (f) {
		snprintf(lf.from, sizeof lf.from, "%s", f->from);
		snprintf(lf.to, sizeof lf.to, "%s", f->to);
		lf.hauler_id = f->hauler_id;
		lf.flagged = f->flagged;
	}
	return store_listing(st, LISTING_LOADS, &lf, out);
}

int store_list_rv(struct store *st, const char *from, const char *to, struct table **out)
{
	struct listing_filter lf;
	int rc;

	*out = NULL;
	rc = store_check_date("from date", from);	/* whole, before it is copied */
	if (!rc)
		rc = store_check_date("to date", to);
	if (rc)
		return rc;
	memset(&lf, 0, sizeof lf);
	snprintf(lf.from, sizeof lf.from, "%s", from ? from : "");
	snprintf(lf.to, sizeof lf.to, "%s", to ? to : "");
	return store_listing(st, LISTING_RV, &lf, out);
}

int store_list_events(struct store *st, long long from_seq, long long limit, struct table **out)
{
	static const char sql[] =
		"SELECT seq, ts, type, CASE WHEN load_no <> 0 THEN load_no ELSE '' END, actor, detail "
		"FROM events WHERE seq >= ?1 ORDER BY seq LIMIT ?2";
	static const struct listing_col cols[] = {
		{"seq", LISTING_NUM}, {"time", LISTING_TIME}, {"type", LISTING_TEXT}, {"load_no", LISTING_NUM},
		{"actor", LISTING_TEXT}, {"detail", LISTING_TEXT},
	};
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	*out = NULL;
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, from_seq);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	return listing_fill(st->db, s, cols, (int)HG_ARRAY_LEN(cols), out);
}

int store_report_month(struct store *st, int year, int month, struct table **out)
{
	struct listing_filter lf;

	memset(&lf, 0, sizeof lf);
	lf.year = year;
	lf.month = month;
	return store_listing(st, LISTING_MONTH, &lf, out);
}
