/* cmd_lists.c: haulgate-potw loads, rv-visits and report month: what the
 * stations recorded, listed as each station lists it.
 *
 * The options are the station CLI's (host/listing_cmd.c), with --station
 * ID for one station's rows and, for the report, --totals; the queries are
 * the station's (db/listing.c) on the plant's rec_* tables
 * (potw_store_list()); the columns are the station's with a "station"
 * column first, printed as a table, --csv or --json by the same code
 * (host/table_print.c).  Times are shown in the plant's local time (TZ),
 * days are the station's own local days, as its rows hold them. */
#include <stdio.h>

#include "potw_cli.h"
#include "../core/report.h"
#include "../host/listing_cmd.h"
#include "../host/table_print.h"

static int plant_listing(struct potw *p, enum listing_kind kind, const struct cli_args *a)
{
	struct potw_station s;
	struct listing_filter f;
	struct table *t;
	int rc;

	rc = listing_take(kind, a, &f);
	if (rc < 0)
		return rc;
	f.station = cli_get(a, "station");
	f.totals = kind == LISTING_MONTH && cli_get(a, "totals") != NULL;
	if (f.station && !potw_station_id_ok(f.station))
		return cli_error("--station: '%.40s' is not a station id (1 to %d letters, digits "
				 "or '-')", f.station, POTW_STATION_ID_MAX);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	if (f.station && potw_store_station_get(p->st, f.station, &s))
		return cli_error("--station: %s", hg_error_text());
	rc = potw_store_list(p->st, kind, &f, &t);
	if (rc)
		return cli_error("%s", hg_error_text());
	rc = table_print(t, p->fmt, stdout);
	table_free(t);
	return rc ? cli_error("cannot write the listing") : 0;
}

int potw_loads(struct potw *p, const struct cli_args *a)
{
	return plant_listing(p, LISTING_LOADS, a);
}

int potw_rv_visits(struct potw *p, const struct cli_args *a)
{
	return plant_listing(p, LISTING_RV, a);
}

int potw_report_month(struct potw *p, const struct cli_args *a)
{
	return plant_listing(p, LISTING_MONTH, a);
}
