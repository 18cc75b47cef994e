/* store_interrupt.c: what a station that stopped in the middle of a load
 * leaves open, found and closed in the record.
 *
 * A discharge whose start is recorded and whose end is not was interrupted:
 * the kiosk was killed, the power failed or the disk filled while the valve
 * was open.  A load held for sampling that has no bottle and is not marked
 * abandoned was left at the hold by a station that stopped.  On its next
 * start the station closes both (station/station.c, station_open()): the
 * discharge with store_discharge_interrupted(), the hold with
 * store_sample_abandon(), which is also what the session asks for when a hold
 * ends without a bottle (cancel, timeout, fault).  An abandoned hold makes the
 * hauler's next load owe a sample (store_sample_pending(), read at a card tap).
 * Each change is one transaction with its event, and the event's detail holds
 * every column it sets.  Start reading at store_open_discharges(). */
#include <stdio.h>
#include <string.h>
#include <cJSON.h>
#include "store_int.h"

int store_last_alive(struct store *st, hg_time *ts)
{
	static const char sql[] = "SELECT ts FROM events ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;
	long long v = 0;
	int rc;

	*ts = 0;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	rc = store_int(st, s, "read the last event", &v);
	if (rc)
		return rc;
	*ts = (hg_time)v;
	return HG_OK;
}

/* The totaliser of load_no's meter_baseline event; *found 0 when none. */
static int baseline(struct store *st, long long load_no, double *g, int *found)
{
	static const char sql[] =
		"SELECT json_extract(detail, '$.totaliser') FROM events "
		"WHERE type = 'meter_baseline' AND load_no = ?1 AND json_valid(detail) "
		"ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	*found = 0;
	*g = 0;
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, load_no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL) {
		*g = sqlite3_column_double(s, 0);
		*found = 1;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "read the meter's baseline");
	return HG_OK;
}

int store_open_discharges(struct store *st, struct open_discharge *out, int cap, int *n)
{
	static const char sql[] =
		"SELECT load_no, t_discharge_start FROM loads WHERE t_discharge_start IS NOT NULL "
		"AND t_discharge_end IS NULL ORDER BY load_no LIMIT ?1";
	sqlite3_stmt *s;
	int rc, step;

	*n = 0;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, cap);
	while ((step = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
		out[*n].load_no = sqlite3_column_int64(s, 0);
		out[*n].start = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return store_sqlerr(st, step, "find the open discharges");
	for (int i = 0; i < *n; i++) {
		rc = baseline(st, out[i].load_no, &out[i].baseline, &out[i].has_baseline);
		if (rc)
			return rc;
	}
	return HG_OK;
}

int store_discharge_interrupted(struct store *st, const struct open_discharge *d, hg_time end,
				long measured, enum reason meter_flag, double totaliser,
				hg_time now, const char *actor)
{
	static const char sql[] =
		"SELECT count(*) FROM loads WHERE load_no = ?1 AND t_discharge_start IS NOT NULL "
		"AND t_discharge_end IS NULL";
	const char *flag = meter_flag ? reason_code(meter_flag) : "";
	cJSON *j;
	int rc;

	if (measured < 0)
		return hg_fail(HG_EINVAL, "the measured volume is negative");
	if (meter_flag != R_NONE && meter_flag != R_METER_MISMATCH && meter_flag != R_METER_FAILED)
		return hg_fail(HG_EINVAL, "'%s' is not a meter flag", reason_code(meter_flag));
	if (end < d->start)
		end = d->start;	/* a clock set back: never an end before the start */
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need(st, sql, d->load_no, "no open discharge on load");
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddNumberToObject(j, "t_discharge_end", (double)end);
		cJSON_AddStringToObject(j, "discharge_end_why", "interrupted");
		cJSON_AddNumberToObject(j, "gallons_measured", (double)measured);
		cJSON_AddStringToObject(j, "meter_flag", flag);
		cJSON_AddNumberToObject(j, "last_alive", (double)end);
		if (d->has_baseline)
			cJSON_AddNumberToObject(j, "baseline", d->baseline);
		if (totaliser >= 0)
			cJSON_AddNumberToObject(j, "totaliser", totaliser);
	}
	return store_finish(st, rc, now, "discharge_interrupted", d->load_no, actor, j);
}

int store_open_holds(struct store *st, long long *out, long long *hauler, int cap, int *n)
{
	static const char sql[] =
		"SELECT load_no, hauler_id FROM loads WHERE sampled = 1 AND bottle = '' "
		"AND t_discharge_start IS NULL AND discharge_end_why = '' ORDER BY load_no LIMIT ?1";
	sqlite3_stmt *s;
	int rc, step;

	*n = 0;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, cap);
	while ((step = sqlite3_step(s)) == SQLITE_ROW && *n < cap) {
		out[*n] = sqlite3_column_int64(s, 0);
		hauler[*n] = sqlite3_column_int64(s, 1);
		(*n)++;
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE && step != SQLITE_ROW)
		return store_sqlerr(st, step, "find the loads held for sampling");
	return HG_OK;
}

int store_sample_abandon(struct store *st, long long load_no, const char *why, hg_time now,
			 const char *actor)
{
	static const char sql[] =
		"SELECT count(*) FROM loads WHERE load_no = ?1 AND sampled = 1 AND bottle = '' "
		"AND t_discharge_start IS NULL";
	cJSON *j;
	int rc = store_check_text("reason the hold ended", why, LIM_REASON, 1);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need(st, sql, load_no, "no load held for a sample with number");
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddStringToObject(j, "discharge_end_why", "sample_abandoned");
		cJSON_AddStringToObject(j, "why", why);
	}
	return store_finish(st, rc, now, "sample_abandoned", load_no, actor, j);
}

/* Add code's reason to h's carried reasons, once. */
static void carry(struct hauler_info *h, enum reason r)
{
	if (r == R_NONE)
		return;
	for (int i = 0; i < h->n_pending; i++)
		if (h->pending[i] == r)
			return;
	if (h->n_pending < ROSTER_MAX_PENDING)
		h->pending[h->n_pending++] = r;
}

/* Both queries read the partial index loads_flagged (bottles are taken only
 * on held loads): a card tap reads the hauler's held loads, not all of them. */
int store_sample_pending(struct store *st, struct hauler_info *h)
{
	static const char sql[] =
		"SELECT load_no, sample_reasons FROM loads WHERE hauler_id = ?1 AND sampled = 1 "
		"AND bottle = '' AND discharge_end_why = 'sample_abandoned' AND load_no > "
		"(SELECT coalesce(max(load_no), 0) FROM loads WHERE hauler_id = ?1 AND sampled = 1 "
		"AND bottle <> '') "
		"ORDER BY load_no";
	sqlite3_stmt *s;
	int rc, step;

	h->pending_load = 0;
	h->n_pending = 0;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *list = (const char *)sqlite3_column_text(s, 1);

		if (!h->pending_load)
			h->pending_load = sqlite3_column_int64(s, 0);
		while (list && *list) {
			char code[64];
			size_t len = strcspn(list, ",");

			if (len < sizeof code) {
				memcpy(code, list, len);
				code[len] = '\0';
				carry(h, reason_parse(code));
			}
			list += len;
			if (*list == ',')
				list++;
		}
	}
	sqlite3_reset(s);
	if (step != SQLITE_DONE)
		return store_sqlerr(st, step, "find the hauler's abandoned samples");
	return HG_OK;
}
