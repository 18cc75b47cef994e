/* cmd_records.c: what the station has recorded: loads, RV visits, the event
 * log, the monthly report, and `verify` of the event log's hash chain.
 *
 * Every listing is a store query into a struct table, printed by
 * cli_print_table() as an aligned table, CSV or JSON (--csv, --json).
 * Nothing here changes the database. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include "cli.h"
#include "../core/text.h"

static int from_to_ok(const char *from, const char *to)
{
	if (from[0] && to[0] && strcmp(from, to) > 0)
		return cli_error("--to: %s is before --from %s", to, from);
	return 0;
}

int cmd_loads(struct cli *c, const struct cli_args *a)
{
	struct load_filter lf;
	const struct cli_field f[] = {
		{ "from", CF_DATE, 0, 0, 0, lf.from, sizeof lf.from },
		{ "to", CF_DATE, 0, 0, 0, lf.to, sizeof lf.to },
		{ "hauler", CF_ID, 0, 0, 0, &lf.hauler_id, sizeof lf.hauler_id },
	};
	struct table *t;
	int rc;

	memset(&lf, 0, sizeof lf);
	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = from_to_ok(lf.from, lf.to);
	if (rc < 0)
		return rc;
	lf.flagged = cli_get(a, "flagged") != NULL;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_list_loads(c->st, &lf, &t);
	return cli_listing(c, rc, t);
}

int cmd_rv_visits(struct cli *c, const struct cli_args *a)
{
	char from[LIM_DATE + 1] = "", to[LIM_DATE + 1] = "";
	const struct cli_field f[] = {
		{ "from", CF_DATE, 0, 0, 0, from, sizeof from },
		{ "to", CF_DATE, 0, 0, 0, to, sizeof to },
	};
	struct table *t;
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = from_to_ok(from, to);
	if (rc < 0)
		return rc;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_list_rv(c->st, from, to, &t);
	return cli_listing(c, rc, t);
}

int cmd_events(struct cli *c, const struct cli_args *a)
{
	long from = 1, limit = 0;
	const struct cli_field f[] = {
		{ "from", CF_LONG, 0, 1, LONG_MAX, &from, sizeof from },
		{ "limit", CF_LONG, 0, 1, 10000000L, &limit, sizeof limit },
	};
	struct table *t;
	int rc;

	rc = cli_take_open(c, a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = store_list_events(c->st, from, limit, &t);
	return cli_listing(c, rc, t);
}

int cmd_report_month(struct cli *c, const struct cli_args *a)
{
	const char *ym = a->pos[0];
	char day[LIM_DATE + 1];
	struct table *t;
	int y, m, d, rc;

	if (strlen(ym) != 7)
		return cli_error("month: '%.40s' is not a month YYYY-MM", ym);
	snprintf(day, sizeof day, "%.7s-01", ym);
	rc = text_parse_date(day, &y, &m, &d);
	if (rc < 0)
		return cli_error("month: '%.40s' is not a month YYYY-MM", ym);
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_report_month(c->st, y, m, &t);
	return cli_listing(c, rc, t);
}

static void print_line(void *arg, const char *line)
{
	(void)arg;
	printf("%s\n", line);
}

/* The verdict is the command's output: stdout, good or bad; the exit
 * status says which.  The chain first; then, on a good chain, every table
 * against what the log makes (db/store_replay.c), one line per difference. */
int cmd_verify(struct cli *c, const struct cli_args *a)
{
	struct verify_result r;
	struct tables_result t;
	int rc;

	(void)a;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	memset(&r, 0, sizeof r);
	rc = store_verify(c->st, &r);
	if (rc == HG_ECORRUPT) {
		printf("chain broken at event %lld: %s\n", r.first_bad, r.why);
		printf("tables not checked: the log itself is not intact\n");
		return HG_ECORRUPT;
	}
	if (rc)
		return cli_store_error(c);
	printf("chain ok: %lld events\n", r.checked);
	rc = store_verify_tables(c->st, print_line, NULL, &t);
	if (rc == HG_OK) {
		printf("tables ok: %lld rows are what the log makes\n", t.rows);
		return 0;
	}
	if (rc == HG_ECORRUPT && t.unchecked) {
		printf("tables not checked: %s (a database written before the events carried "
		       "whole rows: make a new one)\n", t.why);
		return HG_ECORRUPT;
	}
	if (rc == HG_ECORRUPT) {
		printf("tables differ from the log: %lld difference%s\n", t.differences,
		       t.differences == 1 ? "" : "s");
		return HG_ECORRUPT;
	}
	return cli_store_error(c);
}
