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
#include "../host/listing_cmd.h"

/* A listing the plant prints too: its options (host/listing_cmd.c), its
 * query (db/listing.c). */
static int listing(struct cli *c, enum listing_kind kind, const struct cli_args *a)
{
	struct listing_filter f;
	struct table *t;
	int rc;

	rc = listing_take(kind, a, &f);
	if (rc < 0)
		return rc;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_listing(c->st, kind, &f, &t);
	return cli_listing(c, rc, t);
}

int cmd_loads(struct cli *c, const struct cli_args *a)
{
	return listing(c, LISTING_LOADS, a);
}

int cmd_rv_visits(struct cli *c, const struct cli_args *a)
{
	return listing(c, LISTING_RV, a);
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
	return listing(c, LISTING_MONTH, a);
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
