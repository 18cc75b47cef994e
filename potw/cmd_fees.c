/* cmd_fees.c: haulgate-potw fees schedule [set] and fees statement, the
 * plant's fees from the command line (potw/store_fees.h, the rule in
 * potw/fees.h).
 *
 * Amounts are typed in dollars ("25", "0.065") and printed with their
 * cents; a statement is one row a load and a last row "total" (station
 * column), as a table, --csv or --json.  potw_fee_statement_table() makes
 * that table for the statement's CSV page too, so both print the same.
 * Start reading at potw_fees_statement(). */
#include <stdio.h>
#include <string.h>

#include "potw_cli.h"
#include "store_fees.h"
#include "../core/i18n.h"
#include "../core/manifest.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../host/table_print.h"

const struct cli_opt potw_fees_opts_schedule[] = {
	{ "waste", 1 }, { "base", 1 }, { "rate", 1 }, { "from", 1 }, { NULL, 0 }
};
const struct cli_opt potw_fees_opts_statement[] = {
	{ "hauler", 1 }, { "month", 1 }, { "station", 1 }, { NULL, 0 }
};

static int fee_row(const struct potw_fee *f, void *ctx)
{
	char b[FEE_MONEY_MAX], r[FEE_MONEY_MAX], when[24];
	const char *cells[6];

	cells[0] = f->waste;
	cells[1] = f->effective;
	cells[2] = fee_format(f->base_cents, 2, b);
	cells[3] = fee_format(f->rate, 4, r);
	cells[4] = potw_cli_utc(f->changed, when);
	cells[5] = f->changed_by;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

static int schedule_set(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1], today[11], b[FEE_MONEY_MAX], r[FEE_MONEY_MAX];
	const char *waste, *base, *rate, *from = cli_get(a, "from");
	long long cents, per;
	enum lab_why why;
	int rc;

	if ((rc = cli_need(a, "waste", &waste)) || (rc = cli_need(a, "base", &base)) ||
	    (rc = cli_need(a, "rate", &rate)))
		return rc;
	if (waste_parse(waste) == WASTE_NONE)
		return cli_usage("--waste: septage, portable, grease or industrial, not '%s'", waste);
	why = fee_parse(base, 2, FEE_BASE_MAX, &cents);
	if (why)
		return cli_usage("--base: %s", i18n_text(lab_key(why), LANG_EN));
	why = fee_parse(rate, 4, FEE_RATE_MAX, &per);
	if (why)
		return cli_usage("--rate: %s", i18n_text(lab_key(why), LANG_EN));
	text_date_local(p->now, today);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_fee_set(p->st, waste, from ? from : today, cents, per, actor, p->now);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("%s from %s: %s a load and %s a gallon\n", waste, from ? from : today,
	       fee_format(cents, 2, b), fee_format(per, 4, r));
	return 0;
}

int potw_fees_schedule(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "waste", "from", "base", "rate", "changed",
					    "changed_by" };
	static const int numeric[] = { 2, 3, -1 };
	struct table *t;

	if (a->npos == 1 && !strcmp(a->pos[0], "set"))
		return schedule_set(p, a);
	if (a->npos)
		return cli_usage("fees schedule [set ...]: 'set' is the only verb");
	if (cli_get(a, "waste") || cli_get(a, "base") || cli_get(a, "rate") || cli_get(a, "from"))
		return cli_usage("the options are for 'fees schedule set'");
	t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);
	return t ? potw_table_done(p, t, potw_fees_each(p->st, fee_row, t)) : -1;
}

/* ---- the statement ---- */

struct sum {
	struct table *t;
	long long loads, gallons, cents;
};

static int line_row(const struct potw_fee_line *l, void *ctx)
{
	char no[24], dec[24], mea[24], bil[24], b[FEE_MONEY_MAX], r[FEE_MONEY_MAX];
	char c[FEE_MONEY_MAX];
	struct sum *s = ctx;
	const char *cells[12];

	snprintf(no, sizeof no, "%lld", l->load_no);
	snprintf(dec, sizeof dec, "%ld", l->declared);
	snprintf(mea, sizeof mea, "%ld", l->measured);
	snprintf(bil, sizeof bil, "%ld", l->billed);
	cells[0] = l->station;
	cells[1] = no;
	cells[2] = l->day;
	cells[3] = l->waste;
	cells[4] = l->truck;
	cells[5] = dec;
	cells[6] = l->measured > 0 ? mea : "";
	cells[7] = bil;
	cells[8] = l->basis == FEE_MEASURED ? "measured" : "declared";
	cells[9] = l->priced ? fee_format(l->base_cents, 2, b) : "";
	cells[10] = l->priced ? fee_format(l->rate, 4, r) : "";
	cells[11] = l->priced ? fee_format(l->cents, 2, c) : "";
	s->loads++;
	s->gallons += l->billed;
	s->cents += l->cents;
	return table_add(s->t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_fee_statement_table(struct potw_store *st, long long hauler_id, const char *station,
			     int year, int month, struct table **out)
{
	static const char *const cols[] = { "station", "load_no", "day", "waste", "truck",
					    "declared", "measured", "billed", "basis", "base",
					    "rate", "amount" };
	static const int numeric[] = { 1, 5, 6, 7, 9, 10, 11 };
	char n[24], g[24], c[FEE_MONEY_MAX];
	const char *total[12] = { "total", n, "", "", "", "", "", g, "", "", "", c };
	struct sum s;
	size_t i;
	int rc;

	*out = NULL;
	memset(&s, 0, sizeof s);
	s.t = table_new((int)HG_ARRAY_LEN(cols), cols);
	if (!s.t)
		return hg_fail(HG_ENOMEM, "out of memory");
	for (i = 0; i < HG_ARRAY_LEN(numeric); i++)
		table_numeric(s.t, numeric[i]);
	rc = potw_fee_statement(st, hauler_id, station, year, month, line_row, &s);
	if (!rc) {
		snprintf(n, sizeof n, "%lld", s.loads);
		snprintf(g, sizeof g, "%lld", s.gallons);
		fee_format(s.cents, 2, c);
		rc = table_add(s.t, total) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
	}
	if (rc) {
		table_free(s.t);
		return rc;
	}
	*out = s.t;
	return HG_OK;
}

int potw_fees_statement(struct potw *p, const struct cli_args *a)
{
	const char *hauler, *month, *station = cli_get(a, "station");
	struct table *t;
	long id;
	int rc, y, m, d;
	char day[16];

	if ((rc = cli_need(a, "hauler", &hauler)) || (rc = cli_need(a, "month", &month)))
		return rc;
	if (text_parse_long(hauler, 1, 2147483647L, &id))
		return cli_usage("--hauler: a hauler id, not '%s'", hauler);
	snprintf(day, sizeof day, "%.7s-01", month);
	if (strlen(month) != 7 || text_parse_date(day, &y, &m, &d))
		return cli_usage("--month: YYYY-MM, not '%s'", month);
	if (station && !potw_station_id_ok(station))
		return cli_usage("--station: '%s' is not a station id", station);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	rc = potw_fee_statement_table(p->st, id, station, y, m, &t);
	if (rc)
		return cli_error("%s", hg_error_text());
	return potw_table_done(p, t, 0);
}
