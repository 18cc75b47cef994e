/* recover.c: the station's start closes what its last run left open.
 *
 * A run that ended with the valve open (kill -9, power cut, a full disk)
 * left a discharge with a start and no end; one that ended at a sample hold
 * left a load held with no bottle.  station_open() calls recover_open_loads()
 * once the relays are safe: the discharge is closed as "interrupted" at the
 * last moment the station is known to have been alive (its last event), with
 * what the meter counted since the valve opened (its totaliser now, less the
 * baseline logged at the opening: the valve stayed open until the relays
 * were set safe, so the count now is what went through); its receipt is kept
 * for reprint.  The hold is closed as abandoned ("restart"), and offered to
 * the operator, so a truck still at the gate is sampled without a new form.
 * Each is told to the operator as a notice (station_notices()). */
#include <string.h>
#include "recover.h"

/* Gallons through the meter since the valve of d opened; *flag R_METER_FAILED
 * when that cannot be known (no baseline, meter silent, reset since). */
static long metered(const struct open_discharge *d, const struct meter_ops *mops,
		    struct meter_dev *meter, double *totaliser, enum reason *flag)
{
	double g = -1;

	*totaliser = -1;
	*flag = R_NONE;
	if (!mops)
		return 0;	/* no meter: nothing measured, as for any discharge */
	if (!meter || mops->read(meter, &g) != HG_OK || !(g >= 0 && g < 1e15)) {
		*flag = R_METER_FAILED;
		return 0;
	}
	*totaliser = g;
	if (!d->has_baseline || g < d->baseline) {
		*flag = R_METER_FAILED;
		return 0;
	}
	return (long)(g - d->baseline + 0.5);
}

static void notice(struct station_notice *out, int cap, int *n, enum notice_kind kind,
		   long long load_no, hg_time when)
{
	if (*n >= cap)
		return;
	out[*n].kind = kind;
	out[*n].load_no = load_no;
	out[*n].when = when;
	out[*n].hauler_id = 0;
	(*n)++;
}

int recover_open_loads(struct store *st, const struct meter_ops *mops, struct meter_dev *meter,
		       hg_time alive, hg_time now, struct station_notice *out, int cap, int *n)
{
	struct open_discharge d[STATION_NOTICE_MAX];
	long long held[STATION_NOTICE_MAX], hauler[STATION_NOTICE_MAX];
	int nd, nh, rc;

	*n = 0;
	rc = store_open_discharges(st, d, STATION_NOTICE_MAX, &nd);
	if (rc)
		return rc;
	for (int i = 0; i < nd; i++) {
		enum reason flag;
		double total;
		long g = metered(&d[i], mops, meter, &total, &flag);
		hg_time end = alive > d[i].start ? alive : d[i].start;

		rc = store_discharge_interrupted(st, &d[i], end, g, flag, total, now, "station");
		if (rc)
			return rc;
		notice(out, cap, n, NOTICE_INTERRUPTED, d[i].load_no, end);
	}
	rc = store_open_holds(st, held, hauler, STATION_NOTICE_MAX, &nh);
	if (rc)
		return rc;
	for (int i = 0; i < nh; i++) {
		rc = store_sample_abandon(st, held[i], "restart", now, "station");
		if (rc)
			return rc;
		notice(out, cap, n, NOTICE_SAMPLE_WAITING, held[i], now);
		if (*n > 0 && out[*n - 1].load_no == held[i])
			out[*n - 1].hauler_id = hauler[i];
	}
	return HG_OK;
}
