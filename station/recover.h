/* recover.h: what the station does at its start about a load its last run
 * left open (station/recover.c).  Internal to station/: the notices it gives
 * are read through station_notices() (station.h). */
#ifndef RECOVER_H
#define RECOVER_H

#include "station.h"
#include "../drivers/meter.h"

/* Close what the last run left open, as of now: every interrupted discharge
 * (store_discharge_interrupted(): ended at alive, the last event before this
 * start; counted by the meter, when one is given and answers, from the
 * logged baseline) and every hold without a bottle (store_sample_abandon(),
 * why "restart").  Each gives a notice for the operator in out[cap]
 * (*n of them).  HG_OK, or the store's error (what was closed stays closed). */
int recover_open_loads(struct store *st, const struct meter_ops *mops, struct meter_dev *meter,
		       hg_time alive, hg_time now, struct station_notice *out, int cap, int *n);

#endif
