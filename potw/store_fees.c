/* store_fees.c: the fee schedule and a hauler's monthly statement in the
 * plant's sqlite database (store_fees.h).
 *
 * The statement's query picks, for each load, the schedule row of its
 * waste type in force on its day; the charge itself is fees.c's, in C, so
 * the rule is written once.  Start reading at potw_fee_statement(). */
#include <stdio.h>
#include <string.h>

#include "store_fees.h"
#include "store_sqlite_ext.h"
#include "store_sqlx.h"
#include "../core/manifest.h"
#include "../core/report.h"
#include "../core/text.h"

int potw_fees_each(struct potw_store *st, int (*fn)(const struct potw_fee *f, void *ctx),
		   void *ctx)
{
	struct potw_fee f;
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r;

	rc = potw_sqx_start(st, "SELECT waste, effective, changed_by, base_cents, rate, changed "
			    "FROM fee_schedule ORDER BY waste, effective DESC", &db, &k);
	if (rc)
		return rc;
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		f.waste = potw_sqx_col(k, 0);
		f.effective = potw_sqx_col(k, 1);
		f.changed_by = potw_sqx_col(k, 2);
		f.base_cents = sqlite3_column_int64(k, 3);
		f.rate = sqlite3_column_int64(k, 4);
		f.changed = sqlite3_column_int64(k, 5);
		rc = fn(&f, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the fee schedule");
	return potw_sqx_done(st, k, rc);
}

int potw_fee_set(struct potw_store *st, const char *waste, const char *effective,
		 long long base_cents, long long rate, const char *actor, hg_time now)
{
	char detail[160], b[FEE_MONEY_MAX], r[FEE_MONEY_MAX];
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, y, m, d;

	if (!waste || waste_parse(waste) == WASTE_NONE)
		return hg_fail(HG_EINVAL, "no waste type '%s' (septage, portable, grease, "
			       "industrial)", waste ? waste : "");
	if (!effective || strlen(effective) != 10 || text_parse_date(effective, &y, &m, &d))
		return hg_fail(HG_EINVAL, "'%s' is not a day YYYY-MM-DD", effective ? effective : "");
	if (base_cents < 0 || base_cents > FEE_BASE_MAX || rate < 0 || rate > FEE_RATE_MAX)
		return hg_fail(HG_EINVAL, "an amount below zero or too large");
	rc = potw_sqx_start(st, "INSERT INTO fee_schedule (waste, effective, base_cents, rate, "
			    "changed, changed_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT "
			    "(waste, effective) DO UPDATE SET base_cents = ?3, rate = ?4, "
			    "changed = ?5, changed_by = ?6", &db, &k);
	if (rc)
		return rc;
	rc = potw_sqx_exec(db, "BEGIN IMMEDIATE");
	if (rc)
		return potw_sqx_done(st, k, rc);
	potw_sqx_text(k, 1, waste);
	potw_sqx_text(k, 2, effective);
	sqlite3_bind_int64(k, 3, base_cents);
	sqlite3_bind_int64(k, 4, rate);
	sqlite3_bind_int64(k, 5, now);
	potw_sqx_text(k, 6, actor);
	rc = potw_sqx_run(db, k);
	if (!rc) {
		snprintf(detail, sizeof detail, "%s from %s: base %s, rate %s a gallon", waste,
			 effective, fee_format(base_cents, 2, b), fee_format(rate, 4, r));
		rc = potw_staff_append(db, now, actor, "fee.schedule", detail);
	}
	return potw_sqx_commit(st, db, k, rc);
}

int potw_fee_statement(struct potw_store *st, long long hauler_id, const char *station,
		       int year, int month,
		       int (*fn)(const struct potw_fee_line *l, void *ctx), void *ctx)
{
	struct potw_fee_line l;
	char from[11], to[11];
	sqlite3_stmt *k;
	sqlite3 *db;
	int rc, r, one = station && station[0];

	if (year < 1970 || year > 9999 || month < 1 || month > 12)
		return hg_fail(HG_EINVAL, "%04d-%02d is not a month", year, month);
	snprintf(from, sizeof from, "%04d-%02d-01", year, month);
	snprintf(to, sizeof to, "%04d-%02d-31", year, month);
	/* the covering index rec_loads_month leads with the day */
	rc = potw_sqx_start(st,
			    "SELECT l.station_id, l.day, l.waste, l.company, l.permit, l.truck, "
			    "l.load_no, l.gallons, l.gallons_measured, f.base_cents, f.rate "
			    "FROM rec_loads l LEFT JOIN fee_schedule f ON f.waste = l.waste AND "
			    "f.effective = (SELECT max(effective) FROM fee_schedule g WHERE "
			    " g.waste = l.waste AND g.effective <= l.day) "
			    "WHERE l.day >= ?1 AND l.day <= ?2 AND l.hauler_id = ?3 AND "
			    "(?4 = '' OR l.station_id = ?4) AND l.t_discharge_end IS NOT NULL "
			    "ORDER BY l.day, l.station_id, l.load_no", &db, &k);
	if (rc)
		return rc;
	potw_sqx_text(k, 1, from);
	potw_sqx_text(k, 2, to);
	sqlite3_bind_int64(k, 3, hauler_id);
	potw_sqx_text(k, 4, one ? station : "");
	while ((r = sqlite3_step(k)) == SQLITE_ROW) {
		memset(&l, 0, sizeof l);
		l.station = potw_sqx_col(k, 0);
		l.day = potw_sqx_col(k, 1);
		l.waste = potw_sqx_col(k, 2);
		l.company = potw_sqx_col(k, 3);
		l.permit = potw_sqx_col(k, 4);
		l.truck = potw_sqx_col(k, 5);
		l.load_no = sqlite3_column_int64(k, 6);
		l.declared = (long)sqlite3_column_int64(k, 7);
		l.measured = (long)sqlite3_column_int64(k, 8);
		l.billed = fee_gallons(l.declared, l.measured, &l.basis);
		l.priced = sqlite3_column_type(k, 9) != SQLITE_NULL;
		l.base_cents = sqlite3_column_int64(k, 9);
		l.rate = sqlite3_column_int64(k, 10);
		if (l.priced && fee_line(l.base_cents, l.rate, l.billed, &l.cents))
			rc = hg_fail(HG_EINVAL, "load %lld of %s: gallons past the fee's range",
				     l.load_no, l.station);
		if (!rc)
			rc = fn(&l, ctx);
		if (rc)
			return potw_sqx_done(st, k, rc);
	}
	if (r != SQLITE_DONE)
		rc = potw_sqx_fail(db, "cannot read the loads");
	return potw_sqx_done(st, k, rc);
}
