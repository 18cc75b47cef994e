/* retention.c: the retention rule (retention.h), in one place.
 *
 * Dates are compared as "YYYY-MM-DD" text, which sorts as the calendar
 * does; the anniversary is computed on the parsed date, so 29 February
 * has its own line.  Start reading at retention_day(). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "retention.h"
#include "../core/text.h"

/* y-m-d as "YYYY-MM-DD" into out[11] (y of four digits: text_parse_date's). */
static void day_text(int y, int m, int d, char out[11])
{
	char buf[40];

	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 10);
	out[10] = '\0';
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int retention_until(const char *day, char out[11])
{
	int y, m, d;

	if (!day || strlen(day) != 10 || text_parse_date(day, &y, &m, &d))
		return HG_EINVAL;
	y += RETENTION_YEARS;
	if (m == 2 && d == 29 && !leap(y)) {
		m = 3;
		d = 1;
	}
	day_text(y, m, d, out);
	return HG_OK;
}

enum retention retention_day(const char *day, const char *as_of, int held)
{
	char until[11];
	int y, m, d;

	if (retention_until(day, until) || !as_of || strlen(as_of) != 10 ||
	    text_parse_date(as_of, &y, &m, &d))
		return RETAIN_YOUNG;
	if (strcmp(as_of, until) < 0)
		return RETAIN_YOUNG;
	return held ? RETAIN_HELD : RETAIN_MAY_DISCARD;
}

enum retention retention_time(hg_time t, const char *as_of, int held)
{
	time_t s = (time_t)t + 86400;
	char day[11];
	struct tm tm;

	if (!gmtime_r(&s, &tm))
		return RETAIN_YOUNG;
	day_text(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, day);
	return retention_day(day, as_of, held);
}

int retention_held(const struct retention_hold *holds, size_t n, const char *station,
		   long long load_no, long long hauler_id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct retention_hold *h = &holds[i];

		if (h->load_no > 0 ? h->load_no == load_no && !strcmp(h->station, station) :
		    h->hauler_id == hauler_id && (!h->station[0] || !strcmp(h->station, station)))
			return 1;
	}
	return 0;
}
