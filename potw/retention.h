/* retention.h: the one rule of what may be discarded, and when
 * (potw/retention.c; docs/DECISIONS.md, "Retention and legal holds").
 *
 * Ordinance section 5 keeps every record at least three years; a legal
 * hold a coordinator sets on a hauler or a load keeps it longer.  A record
 * may be discarded as of a day only when its three years are past AND no
 * hold applies to it.  The plant deletes nothing yet: `haulgate-potw
 * retention` only counts what this rule would let go.  Pure functions: the
 * day "as of" is given, never read from the clock. */
#ifndef POTW_RETENTION_H
#define POTW_RETENTION_H

#include <stddef.h>

#include "store.h"

#define RETENTION_YEARS 3	/* ordinance section 5 */

enum retention {
	RETAIN_YOUNG = 0,	/* inside its three years (or a day that cannot be read) */
	RETAIN_HELD,		/* past its three years, kept by a legal hold */
	RETAIN_MAY_DISCARD	/* past its three years and not held */
};

/* A legal hold as the rule sees it: on a load (load_no > 0: station's
 * load), or on a hauler (load_no 0: the plant roster's hauler_id, at
 * station only, or at every station when station is ""). */
struct retention_hold {
	char station[POTW_STATION_ID_MAX + 1];
	long long hauler_id, load_no;
};

/* The first day ("YYYY-MM-DD") a record of day may be discarded: the same
 * date RETENTION_YEARS on, and for 29 February, 1 March (a year without
 * the 29th keeps it through the 28th).  HG_OK, or HG_EINVAL for a day
 * that is not a date. */
int retention_until(const char *day, char out[11]);
/* Whether a record of day ("YYYY-MM-DD": a load's station-local day) may
 * be discarded as of as_of ("YYYY-MM-DD"), held: 1 when a hold applies.
 * A day or as_of that cannot be read keeps the record (RETAIN_YOUNG). */
enum retention retention_day(const char *day, const char *as_of, int held);
/* The same for a station's event by its time t: judged by the UTC day
 * after t's, so that no time zone's local day of t is later. */
enum retention retention_time(hg_time t, const char *as_of, int held);
/* Does one of holds[n] apply to station's load load_no of hauler_id?  1/0. */
int retention_held(const struct retention_hold *holds, size_t n, const char *station,
		   long long load_no, long long hauler_id);

#endif
