/* cmd_holds.c: `haulgate-potw hold set|release`, `holds [--all]` and
 * `retention [--as-of DATE]`: legal holds and the retention report from
 * the command line (potw/store_holds.h, potw/retention.h).
 *
 * The same store calls as the holds page (potw/page_holds.c), with the
 * same checks; every change is logged in the staff log as "cli:<the Unix
 * user>".  Listings print as a table, --csv or --json
 * (host/table_print.c).  The retention report deletes nothing: it counts,
 * per station, the loads past their three years and those of them a hold
 * keeps.  Start reading at potw_hold_set_cmd(). */
#include <stdio.h>
#include <string.h>

#include "potw_cli.h"
#include "store_holds.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../host/table_print.h"

const struct cli_opt potw_holds_opts_set[] = {
	{ "hauler", 1 }, { "station", 1 }, { "load", 1 }, { "reason", 1 }, { NULL, 0 }
};
const struct cli_opt potw_holds_opts_list[] = { { "all", 0 }, { NULL, 0 } };
const struct cli_opt potw_holds_opts_retention[] = { { "as-of", 1 }, { NULL, 0 } };

/* hold set --hauler ID [--station ID] | --station ID --load N; --reason. */
int potw_hold_set_cmd(struct potw *p, const struct cli_args *a)
{
	const char *hauler = cli_get(a, "hauler"), *station = cli_get(a, "station");
	const char *load = cli_get(a, "load"), *reason;
	char actor[POTW_ACTOR_MAX + 1];
	struct potw_hold h;
	long long id;
	long n;
	int rc;

	if (!hauler == !load || (load && !station))
		return cli_usage("give --hauler ID [--station ID], or --station ID --load N");
	rc = cli_need(a, "reason", &reason);
	if (rc)
		return rc;
	memset(&h, 0, sizeof h);
	if (load && text_parse_long(load, 1, 2147483647L, &n))
		return cli_usage("--load: a load number, not '%s'", load);
	if (load)
		h.load_no = n;
	if (hauler && text_parse_long(hauler, 1, 2147483647L, &n))
		return cli_usage("--hauler: a hauler's id, not '%s'", hauler);
	if (hauler)
		h.hauler_id = n;
	if (station && text_copy(h.station, sizeof h.station, station))
		return cli_usage("--station: no station '%s'", station);
	if (text_copy(h.reason, sizeof h.reason, reason))
		return cli_usage("--reason: at most %d characters", POTW_HOLD_REASON_MAX);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_hold_set(p->st, &h, actor, p->now, &id);
	if (rc)
		return cli_error("%s", hg_error_text());
	if (load)
		printf("hold %lld set on load %lld of %s\n", id, h.load_no, h.station);
	else
		printf("hold %lld set on hauler %lld%s%s\n", id, h.hauler_id,
		       station ? " at " : "", station ? station : "");
	return 0;
}

int potw_hold_release_cmd(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1];
	long n;
	int rc;

	if (a->npos != 1 || text_parse_long(a->pos[0], 1, 2147483647L, &n))
		return cli_usage("hold release ID: a hold's number");
	rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_hold_release(p->st, n, actor, p->now);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("hold %ld released (kept, with who released it)\n", n);
	return 0;
}

static int hold_row(const struct potw_hold *h, void *ctx)
{
	char id[24], hauler[24], load[24], set[24], released[24];
	const char *cells[10];

	snprintf(id, sizeof id, "%lld", h->id);
	snprintf(hauler, sizeof hauler, "%lld", h->hauler_id);
	snprintf(load, sizeof load, "%lld", h->load_no);
	cells[0] = id;
	cells[1] = h->load_no ? "load" : "hauler";
	cells[2] = h->station;
	cells[3] = h->load_no ? "" : hauler;
	cells[4] = h->load_no ? load : "";
	cells[5] = h->reason;
	cells[6] = h->set_by;
	cells[7] = potw_cli_utc(h->set, set);
	cells[8] = h->released_by;
	cells[9] = h->released ? potw_cli_utc(h->released, released) : "";
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_holds(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "id", "on", "station", "hauler", "load", "reason",
					    "set_by", "set", "released_by", "released" };
	static const int numeric[] = { 0, 3, 4, -1 };
	int all = cli_get(a, "all") != NULL;
	struct table *t;

	t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);
	return t ? potw_table_done(p, t, potw_holds_each(p->st, !all, hold_row, t)) : -1;
}

static int retention_row(const struct potw_retention_row *r, void *ctx)
{
	char loads[24], past[24], held[24], may[24];
	const char *cells[5];

	snprintf(loads, sizeof loads, "%lld", r->loads);
	snprintf(past, sizeof past, "%lld", r->past);
	snprintf(held, sizeof held, "%lld", r->held);
	snprintf(may, sizeof may, "%lld", r->past - r->held);
	cells[0] = r->station;
	cells[1] = loads;
	cells[2] = past;
	cells[3] = held;
	cells[4] = may;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_retention(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "station", "loads", "past_3_years", "held",
					    "may_discard" };
	static const int numeric[] = { 1, 2, 3, 4, -1 };
	const char *as_of = cli_get(a, "as-of");
	char today[11];
	struct table *t;
	int y, m, d, rc;

	if (as_of && (strlen(as_of) != 10 || text_parse_date(as_of, &y, &m, &d)))
		return cli_usage("--as-of: a date YYYY-MM-DD, not '%s'", as_of);
	if (!as_of) {
		text_date_local(p->now, today);
		as_of = today;
	}
	t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);
	if (!t)
		return -1;
	rc = potw_table_done(p, t, potw_retention_each(p->st, as_of, retention_row, t));
	if (!rc && p->fmt == TABLE_TEXT)
		printf("as of %s: nothing is deleted (the plant keeps every record; "
		       "docs/DECISIONS.md, \"Retention and legal holds\")\n", as_of);
	return rc;
}
