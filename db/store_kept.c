/* store_kept.c: the slips the printer could not print ("kept"), found in the
 * event log.
 *
 * Nothing is stored for a kept slip: the log already says it.  Every print of
 * a load's slip is an event, "printed" (the printer took the job) or
 * "print_failed" (it refused it, or gave it up later: CUPS), with the slip's
 * kind in its detail.  A load's slip is kept when the last of these events
 * for its receipt or refusal slip is print_failed; a later "printed" (a
 * reprint) clears it, and a reprint the printer gives up on keeps it again.
 * Bottle labels are not counted: a label failure is seen by the operator who
 * is standing at the kiosk with the bottle (docs/HARDWARE.md).  A discharge
 * closed as interrupted on the next start (db/store_interrupt.c) never got
 * its receipt: its "discharge_interrupted" event keeps it the same way, until
 * a receipt of it is printed.  One query:
 * the log's print events grouped by load.  The log has no index on type, so
 * it is a scan of the whole log; the kiosk asks only after a print and when
 * the operator screen opens.  Start reading at store_kept_slips(). */
#include "store_int.h"

int store_kept_slips(struct store *st, long long *out, int cap, int *n, long *total)
{
	/* SQLite takes a bare column (type) from the row that gave max(seq) */
	static const char sql[] =
		"SELECT load_no, type, max(seq) FROM events "
		"WHERE load_no > 0 AND (type = 'discharge_interrupted' OR "
		"(type IN ('printed', 'print_failed') AND json_valid(detail) "
		"AND json_extract(detail, '$.kind') IN ('receipt', 'refusal'))) "
		"GROUP BY load_no HAVING type IN ('print_failed', 'discharge_interrupted') "
		"ORDER BY load_no";
	sqlite3_stmt *s;
	int rc, step;

	*n = 0;
	if (total)
		*total = 0;
	if (cap < 0 || (cap > 0 && !out))
		return hg_fail(HG_EINVAL, "kept slips: no room given (a bug)");
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n < cap)
			out[(*n)++] = sqlite3_column_int64(s, 0);
		if (total)
			(*total)++;
	}
	sqlite3_reset(s);
	return step == SQLITE_DONE ? HG_OK : store_sqlerr(st, step, "read the kept slips");
}
