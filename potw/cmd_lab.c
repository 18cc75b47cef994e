/* cmd_lab.c: haulgate-potw lab params|limit|result and violations, the
 * plant's lab records from the command line (potw/store_lab.h).
 *
 * The same store calls as the pages, with the same checks and the same
 * words: a refusal is the catalogue's English text of its lab.h reason.
 * Every change is logged in the staff log as "cli:<the Unix user>".
 * Listings print as a table, --csv or --json (host/table_print.c).  Start
 * reading at potw_lab_result(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "potw_cli.h"
#include "store_lab.h"
#include "../core/i18n.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../host/table_print.h"

const struct cli_opt potw_lab_opts_limit[] = {
	{ "param", 1 }, { "unit", 1 }, { "min", 1 }, { "max", 1 }, { "section", 1 }, { NULL, 0 }
};
const struct cli_opt potw_lab_opts_result[] = {
	{ "station", 1 }, { "load", 1 }, { "bottle", 1 }, { "param", 1 }, { "value", 1 },
	{ "unit", 1 }, { "method", 1 }, { "lab", 1 }, { "analysed", 1 }, { NULL, 0 }
};

/* A refusal of lab.h in the catalogue's English words. */
static int lab_refused(const char *what, enum lab_why why)
{
	return cli_error("%s: %s", what, i18n_text(lab_key(why), LANG_EN));
}

static int param_row(const struct potw_lab_param *p, void *ctx)
{
	char mn[LAB_DEC_MAX], mx[LAB_DEC_MAX], when[24];
	const char *cells[7];

	cells[0] = p->p.name;
	cells[1] = p->p.unit;
	cells[2] = p->p.has_min ? lab_dec_format(p->p.min, mn) : "";
	cells[3] = p->p.has_max ? lab_dec_format(p->p.max, mx) : "";
	cells[4] = p->p.section;
	cells[5] = p->changed ? potw_cli_utc(p->changed, when) : "";
	cells[6] = p->changed_by;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_lab_params(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "param", "unit", "min", "max", "section", "changed",
					    "changed_by" };
	static const int numeric[] = { 2, 3, -1 };
	struct table *t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);

	(void)a;
	return t ? potw_table_done(p, t, potw_lab_params_each(p->st, param_row, t)) : -1;
}

/* --min/--max: a decimal, or "none". */
static int limit_opt(const struct cli_args *a, const char *name, int *has, long long *v)
{
	const char *s = cli_get(a, name);
	enum lab_why why;

	if (!s)
		return 0;
	if (!strcmp(s, "none")) {
		*has = 0;
		return 0;
	}
	why = lab_dec_parse(s, 1, v);
	if (why)
		return cli_usage("--%s: %s", name, i18n_text(lab_key(why), LANG_EN));
	*has = 1;
	return 0;
}

int potw_lab_limit(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1], mn[LAB_DEC_MAX], mx[LAB_DEC_MAX];
	struct potw_lab_param old;
	struct lab_param n;
	const char *name, *s;
	enum lab_why why;
	int rc;

	if (a->npos != 1 || strcmp(a->pos[0], "set"))
		return cli_usage("lab limit set --param NAME ...: 'set' is the only verb");
	rc = cli_need(a, "param", &name);
	if (rc)
		return rc;
	if (!lab_param_name_ok(name))
		return lab_refused("--param", LAB_BAD_PARAM_NAME);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	memset(&n, 0, sizeof n);
	rc = potw_lab_param_get(p->st, name, &old);
	if (rc == HG_OK)
		n = old.p;
	else if (rc != HG_ENOTFOUND)
		return cli_error("%s", hg_error_text());
	else if (!cli_get(a, "unit"))
		return cli_usage("--unit: a new parameter '%s' needs its unit", name);
	else
		text_copy(n.section, sizeof n.section, "2.3");
	text_copy(n.name, sizeof n.name, name);
	if ((s = cli_get(a, "unit")) && text_copy(n.unit, sizeof n.unit, s))
		return lab_refused("--unit", LAB_BAD_TEXT);
	if ((s = cli_get(a, "section")) && text_copy(n.section, sizeof n.section, s))
		return lab_refused("--section", LAB_BAD_TEXT);
	rc = limit_opt(a, "min", &n.has_min, &n.min);
	if (!rc)
		rc = limit_opt(a, "max", &n.has_max, &n.max);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_lab_param_set(p->st, &n, actor, p->now, &why);
	if (rc == HG_EINVAL && why)
		return lab_refused(name, why);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("%s (%s): min %s, max %s, section %s\n", n.name, n.unit,
	       n.has_min ? lab_dec_format(n.min, mn) : "none",
	       n.has_max ? lab_dec_format(n.max, mx) : "none", n.section);
	return 0;
}

int potw_lab_result(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1], station[POTW_STATION_ID_MAX + 1], today[11];
	struct potw_lab_outcome o;
	struct potw_lab_entry e;
	const char *bottle = cli_get(a, "bottle"), *st = cli_get(a, "station"), *ld;
	long n = 0;
	int rc;

	if (a->npos != 1 || strcmp(a->pos[0], "add"))
		return cli_usage("lab result add ...: 'add' is the only verb");
	if (!bottle == !(st && cli_get(a, "load")))
		return cli_usage("give --station ID --load N, or --bottle ID");
	memset(&e, 0, sizeof e);
	if ((rc = cli_need(a, "param", &e.param)) || (rc = cli_need(a, "value", &e.value)) ||
	    (rc = cli_need(a, "unit", &e.unit)) || (rc = cli_need(a, "method", &e.method)) ||
	    (rc = cli_need(a, "lab", &e.lab)) || (rc = cli_need(a, "analysed", &e.analysed)))
		return rc;
	ld = cli_get(a, "load");
	if (ld && text_parse_long(ld, 1, 2147483647L, &n))
		return cli_usage("--load: a load number, not '%s'", ld);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	if (bottle) {
		rc = potw_lab_bottle_find(p->st, bottle, station, &e.load_no);
		if (rc)
			return cli_error("%s", hg_error_text());
		e.station = station;
	} else {
		e.station = st;
		e.load_no = n;
	}
	potw_cli_actor(actor);
	text_date_local(p->now, today);
	rc = potw_lab_result_add(p->st, &e, actor, p->now, today, &o);
	if (rc == HG_EINVAL && o.why)
		return lab_refused(e.param, o.why);
	if (rc)
		return cli_error("%s", hg_error_text());
	if (o.nov_id)
		printf("result %lld: %s exceeds its limit; load %lld of %s marked in violation, "
		       "notice of violation %lld (draft)\n", o.result_id, e.param, e.load_no,
		       e.station, o.nov_id);
	else
		printf("result %lld: %s within its limits\n", o.result_id, e.param);
	return 0;
}

static int violation_row(const struct potw_violation *v, void *ctx)
{
	char nov[24], load[24], hauler[24], val[LAB_DEC_MAX], lim[2 * LAB_DEC_MAX + 8];
	char mn[LAB_DEC_MAX], mx[LAB_DEC_MAX];
	const char *cells[13];

	snprintf(nov, sizeof nov, "%lld", v->nov_id);
	snprintf(load, sizeof load, "%lld", v->load_no);
	snprintf(hauler, sizeof hauler, "%lld", v->hauler_id);
	snprintf(lim, sizeof lim, "%s%s%s%s", v->has_min ? "min " : "",
		 v->has_min ? lab_dec_format(v->min, mn) : "",
		 v->has_max ? (v->has_min ? " max " : "max ") : "",
		 v->has_max ? lab_dec_format(v->max, mx) : "");
	cells[0] = nov;
	cells[1] = v->nov_state;
	cells[2] = v->station;
	cells[3] = load;
	cells[4] = v->day;
	cells[5] = hauler;
	cells[6] = v->company;
	cells[7] = v->sources;
	cells[8] = v->param;
	cells[9] = lab_dec_format(v->value, val);
	cells[10] = v->unit;
	cells[11] = lim;
	cells[12] = v->section;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_violations(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "nov", "state", "station", "load_no", "day",
					    "hauler_id", "company", "sources", "param", "value",
					    "unit", "limit", "section" };
	static const int numeric[] = { 0, 3, 5, 9, -1 };
	struct table *t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);

	(void)a;
	return t ? potw_table_done(p, t, potw_violations_each(p->st, violation_row, t)) : -1;
}

int potw_nov_state(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1];
	long id;
	int rc;

	if (a->npos != 2 || text_parse_long(a->pos[0], 1, 2147483647L, &id))
		return cli_usage("nov state ID draft|issued");
	rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_nov_set_state(p->st, id, a->pos[1], actor, p->now);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("notice of violation %ld: %s\n", id, a->pos[1]);
	return 0;
}
