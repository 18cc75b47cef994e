/* store_day.c: the end-of-day summary, read in one transaction.
 *
 * Four queries: the day's loads by verdict and waste type (the covering
 * index loads_month, whose first column is the day), the bottles of the
 * day's loads, the day's RV visits (rv_visits_day), and a count of fault and
 * print_failed events.  The event log has no time index (it is written far
 * more often than read), but it is appended in time order, so the first
 * event at or after local midnight is found by a binary search on seq (about
 * 20 primary-key reads for a million events) and only the day's events are
 * scanned.  The scan also checks each event's time, so a clock that once
 * stepped back can make the count miss an event, never count a wrong one.
 * Start reading at store_day_summary(). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "store_int.h"
#include "../core/text.h"

/* Local midnight of y-m-d (+ days), as hg_time. */
static hg_time local_midnight(int y, int m, int d, int days)
{
	struct tm tm;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d + days;
	tm.tm_isdst = -1;
	return (hg_time)mktime(&tm);
}

static int waste_index(const char *code)
{
	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++)
		if (code && strcmp(code, waste_code((enum waste_type)w)) == 0)
			return w;
	return WASTE_NONE;
}

static int read_loads(struct store *st, const char *day, struct day_summary *out)
{
	static const char sql[] =
		"SELECT verdict, waste, count(*), sum(gallons), sum(gallons_measured), "
		"sum(meter_flag <> '') FROM loads WHERE day = ?1 GROUP BY verdict, waste";
	sqlite3_stmt *s;
	int step, rc = store_stmt_text(st, sql, day, &s);

	if (rc)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *verdict = (const char *)sqlite3_column_text(s, 0);
		int w = waste_index((const char *)sqlite3_column_text(s, 1));
		long n = (long)sqlite3_column_int64(s, 2);
		long g = (long)sqlite3_column_int64(s, 3);
		long gm = (long)sqlite3_column_int64(s, 4);

		out->loads += n;
		out->meter_flagged += (long)sqlite3_column_int64(s, 5);
		if (verdict && strcmp(verdict, "refused") == 0) {
			out->refused += n;
			continue;
		}
		if (verdict && strcmp(verdict, "sample-hold") == 0)
			out->held += n;
		else
			out->accepted += n;
		out->waste[w].loads += n;
		out->waste[w].declared += g;
		out->waste[w].measured += gm;
		out->declared += g;
		out->measured += gm;
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? HG_OK : store_sqlerr(st, step, "read the day's loads");
}

static int read_samples(struct store *st, const char *day, struct day_summary *out)
{
	static const char sql[] =
		"SELECT load_no, bottle, verdict FROM loads WHERE day = ?1 "
		"AND (bottle <> '' OR verdict = 'sample-hold') ORDER BY load_no";
	sqlite3_stmt *s;
	int step, rc = store_stmt_text(st, sql, day, &s);

	if (rc)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *bottle = (const char *)sqlite3_column_text(s, 1);

		if (!bottle || !bottle[0]) {
			out->not_sampled++;
			continue;
		}
		if (out->n_samples < DAY_MAX_SAMPLES) {
			out->samples[out->n_samples].load_no = sqlite3_column_int64(s, 0);
			rc = store_col_text(s, 1, out->samples[out->n_samples].bottle,
					    sizeof out->samples[0].bottle, "bottle");
			if (rc) {
				sqlite3_reset(s);
				return rc;
			}
		}
		out->n_samples++;
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? HG_OK : store_sqlerr(st, step, "read the day's samples");
}

static int read_rv(struct store *st, const char *day, struct day_summary *out)
{
	static const char sql[] =
		"SELECT count(*), coalesce(sum(declared IS NULL), 0) FROM rv_visits WHERE day = ?1";
	sqlite3_stmt *s;
	int step, rc = store_stmt_text(st, sql, day, &s);

	if (rc)
		return rc;
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		out->rv_visits = (long)sqlite3_column_int64(s, 0);
		out->rv_refused = (long)sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW ? HG_OK : store_sqlerr(st, step, "read the day's RV visits");
}

/* The smallest seq whose event is at or after t, assuming the log is in time
 * order; max seq + 1 when there is none. */
static int first_seq_at(struct store *st, hg_time t, long long *out)
{
	static const char q_max[] = "SELECT coalesce(max(seq), 0) FROM events";
	static const char q_ts[] = "SELECT ts FROM events WHERE seq >= ?1 ORDER BY seq LIMIT 1";
	sqlite3_stmt *s;
	long long lo = 1, hi, ts;
	int rc;

	rc = store_stmt(st, q_max, &s);
	if (rc)
		return rc;
	rc = store_int(st, s, "read the event log", &hi);
	if (rc)
		return rc;
	hi++;
	rc = store_stmt(st, q_ts, &s);
	if (rc)
		return rc;
	while (lo < hi) {	/* the answer is in [lo, hi] */
		long long mid = lo + (hi - lo) / 2;

		sqlite3_bind_int64(s, 1, mid);
		rc = store_int(st, s, "read the event log", &ts);
		if (rc)
			return rc;
		if (ts >= t)
			hi = mid;
		else
			lo = mid + 1;
	}
	*out = lo;
	return HG_OK;
}

static int read_events(struct store *st, hg_time from, hg_time to, struct day_summary *out)
{
	static const char sql[] =
		"SELECT coalesce(sum(type = 'fault'), 0), coalesce(sum(type = 'print_failed'), 0) "
		"FROM events WHERE seq >= ?1 AND ts >= ?2 AND ts < ?3";
	sqlite3_stmt *s;
	long long first;
	int rc, step;

	rc = first_seq_at(st, from, &first);
	if (rc)
		return rc;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	step = sqlite3_step(s);
	if (step == SQLITE_ROW) {
		out->faults = (long)sqlite3_column_int64(s, 0);
		out->print_failed = (long)sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return step == SQLITE_ROW ? HG_OK : store_sqlerr(st, step, "read the day's events");
}

int store_day_summary(struct store *st, const char *day, struct day_summary *out)
{
	int y, m, d, rc;

	if (!out)
		return hg_fail(HG_EINVAL, "no summary to fill");
	memset(out, 0, sizeof *out);
	if (!day || strlen(day) != 10 || text_parse_date(day, &y, &m, &d) != HG_OK)
		return hg_fail(HG_EINVAL, "'%s' is not a date (YYYY-MM-DD)",
			       day ? day : "");
	memcpy(out->day, day, 11);
	rc = store_begin_read(st);
	if (rc)
		return rc;
	rc = read_loads(st, day, out);
	if (!rc)
		rc = read_samples(st, day, out);
	if (!rc)
		rc = read_rv(st, day, out);
	if (!rc)
		rc = read_events(st, local_midnight(y, m, d, 0), local_midnight(y, m, d, 1), out);
	store_end_read(st);
	if (rc) {
		memset(out, 0, sizeof *out);
		return rc;
	}
	return HG_OK;
}
