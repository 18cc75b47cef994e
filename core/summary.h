/* summary.h: the end-of-day summary slip for the operator.
 *
 * The store fills a struct day_summary for one local day
 * (store_day_summary, db/store_day.c); summary_text() lays it out in 42
 * columns in the operator's language, with the words from the translation
 * files (keys "slip.summary.*"). */
#ifndef SUMMARY_H
#define SUMMARY_H

#include <stddef.h>
#include "hg.h"
#include "i18n.h"
#include "manifest.h"

#define DAY_MAX_SAMPLES 48	/* bottles listed; n_samples counts them all */

struct day_summary {
	char day[11];			/* local date "YYYY-MM-DD" */
	long loads;			/* loads decided that day */
	long accepted;			/* verdict accepted */
	long held;			/* verdict sample-hold */
	long refused;
	long meter_flagged;		/* flagged by the flow meter (mismatch, failed) */
	struct {
		long loads;		/* accepted and held loads of this waste */
		long declared;		/* their declared gallons */
		long measured;		/* their measured gallons (0 = no meter) */
	} waste[WASTE_COUNT];		/* [WASTE_NONE] unused */
	long declared, measured;	/* the totals of the above */
	int n_samples;			/* loads with a bottle */
	long not_sampled;		/* held for sampling, no bottle recorded */
	struct {
		long long load_no;
		char bottle[HG_BUF(LIM_BOTTLE)];
	} samples[DAY_MAX_SAMPLES];	/* the first ones, by load number */
	long rv_visits, rv_refused;	/* RV visits signed in; refused (chemicals) */
	long faults;			/* "fault" events (out of service) */
	long print_failed;		/* "print_failed" events */
};

/* The slip of d for station, printed at now, in lang, into buf[cap]: 42
 * columns, numbers right-aligned, the bottles one a line (the first
 * DAY_MAX_SAMPLES, then "and N more").  Returns the length, HG_EINVAL for a
 * NULL argument or HG_ETOOLONG (buf then empty). */
int summary_text(const struct day_summary *d, const char *station, hg_time now, enum lang lang,
		 char *buf, size_t cap);

#endif
