/* store_list.c: the plant's listings of what the stations recorded: their
 * loads, their RV visits and the month report, through the storage
 * interface (potw/store.h).
 *
 * The queries are the station's own (db/listing.c) on the plant's copy of
 * the record: the rec_* tables, each row under its station_id
 * (POTW_REC_STATION), which the listings show first as "station".  The
 * backend runs them (its list op: store_sqlite.c's sq_list() hands them to
 * listing_run()); what is checked here is the same for every backend. */
#include <pthread.h>
#include <string.h>

#include "store_int.h"
#include "../core/report.h"

const struct listing_source potw_listing_source = { POTW_REC_PREFIX, POTW_REC_STATION,
						    POTW_DAYS_TABLE };

int potw_store_list(struct potw_store *st, enum listing_kind kind,
		    const struct listing_filter *f, struct table **out)
{
	int rc;

	*out = NULL;
	if (f->station && f->station[0] && !potw_station_id_ok(f->station))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id (1 to %d letters, digits "
			       "or '-')", f->station, POTW_STATION_ID_MAX);
	rc = listing_check(kind, f);
	if (rc)
		return rc;
	pthread_mutex_lock(&st->mu);
	rc = st->ops->list(st, kind, f, out);
	pthread_mutex_unlock(&st->mu);
	return rc;
}
