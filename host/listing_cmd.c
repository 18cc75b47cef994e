/* listing_cmd.c: the options of the listings both programs print: one
 * reading of --from, --to, --hauler, --flagged and YYYY-MM, so the station
 * and the plant take and refuse the same input in the same words. */
#include <stdio.h>
#include <string.h>

#include "cmdline_values.h"
#include "listing_cmd.h"
#include "../core/text.h"

static int month_of(const char *ym, struct listing_filter *f)
{
	char day[LIM_DATE + 1];
	int d;

	if (strlen(ym) != 7)
		return cli_error("month: '%.40s' is not a month YYYY-MM", ym);
	snprintf(day, sizeof day, "%.7s-01", ym);
	if (text_parse_date(day, &f->year, &f->month, &d) < 0)
		return cli_error("month: '%.40s' is not a month YYYY-MM", ym);
	return 0;
}

int listing_take(enum listing_kind kind, const struct cli_args *a, struct listing_filter *f)
{
	const struct cli_field fields[] = {
		{ "from", CF_DATE, 0, 0, 0, f->from, sizeof f->from },
		{ "to", CF_DATE, 0, 0, 0, f->to, sizeof f->to },
		{ "hauler", CF_ID, 0, 0, 0, &f->hauler_id, sizeof f->hauler_id },
	};
	int rc;

	memset(f, 0, sizeof *f);
	if (kind == LISTING_MONTH)
		return month_of(a->npos > 0 ? a->pos[0] : "", f);
	rc = cli_take(a, fields, kind == LISTING_LOADS ? 3 : 2);
	if (rc < 0)
		return rc;
	if (f->from[0] && f->to[0] && strcmp(f->from, f->to) > 0)
		return cli_error("--to: %s is before --from %s", f->to, f->from);
	f->flagged = kind == LISTING_LOADS && cli_get(a, "flagged") != NULL;
	return 0;
}
