/* cmd_disputes.c: `haulgate-potw disputes [--open]`, the disputes haulers
 * raised on the receipt check (/r, potw/page_receipt.c) and their answers
 * (potw/store_disputes.h), as a table, CSV or JSON like the plant's other
 * listings.  The coordinator answers on the disputes page (docs/WEB.md). */
#include <stdio.h>

#include "potw_cli.h"
#include "store_disputes.h"
#include "../core/report.h"
#include "../host/table_print.h"

static int add_row(const struct potw_dispute *d, void *ctx)
{
	char id[24], load[24], raised[24], answered[24];
	const char *cells[11];

	snprintf(id, sizeof id, "%lld", d->id);
	snprintf(load, sizeof load, "%lld", d->load_no);
	cells[0] = id;
	cells[1] = d->station;
	cells[2] = load;
	cells[3] = potw_cli_utc(d->raised, raised);
	cells[4] = d->what;
	cells[5] = d->contact;
	cells[6] = d->addr;
	cells[7] = potw_outcome_name(d->outcome);
	cells[8] = d->answer;
	cells[9] = d->answered_by;
	cells[10] = potw_cli_utc(d->answered, answered);
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_disputes(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = {
		"id", "station", "load", "raised", "what", "contact", "from", "outcome", "answer",
		"answered_by", "answered"
	};
	struct table *t;
	int rc;

	rc = potw_open_store(p);
	if (rc)
		return rc;
	t = table_new((int)HG_ARRAY_LEN(cols), cols);
	if (!t)
		return cli_error("out of memory");
	table_numeric(t, 0);
	table_numeric(t, 2);
	rc = potw_disputes_each(p->st, a->val[0] != NULL, add_row, t);
	if (rc) {
		table_free(t);
		return cli_error("%s", hg_error_text());
	}
	table_print(t, p->fmt, stdout);
	table_free(t);
	return 0;
}
