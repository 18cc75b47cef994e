/* cmd_policy.c: haulgate-potw policy set|unset|show: the keys of
 * station.ini the plant sets for its stations (docs/POTW.md, docs/CONFIG.md
 * "Set at the plant").
 *
 * A set names the key as SECTION.KEY (hours.mon, policy.waste_types),
 * a value as station.ini writes it, and --station ID or nothing for every
 * station.  The value is checked by station.ini's own parser
 * (core/config_policy.c: what a station.ini would refuse is refused here in
 * the same words) and logged as a policy_set event of the plant's log
 * (potw/roster.c), which the stations pull with the roster and lay over
 * their station.ini: a station's own value over the value for all over
 * station.ini.  show reads the log's rec_policy rows, the projection every
 * station keeps too.  The policy page's form (potw/page_policy.c) runs the
 * same potw_policy_edit_run() with the same option tables, its words
 * caught by a cli_sink.  Start reading at potw_policy_edit_run(). */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api.h"
#include "cmd_policy.h"
#include "../core/config_policy.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/roster_event.h"
#include "../core/text.h"
#include "../host/table_print.h"

const struct cli_opt potw_policy_opts_set[] = {
	{ "key", 1 }, { "value", 1 }, { "station", 1 }, { NULL, 0 }
};
const struct cli_opt potw_policy_opts_unset[] = { { "key", 1 }, { "station", 1 }, { NULL, 0 } };
const struct cli_opt potw_policy_opts_show[] = { { "station", 1 }, { NULL, 0 } };

/* The edit into the plant's log; its version said. */
static int edit(const struct potw_api *api, struct roster_ev *e, const char *actor,
		const char *staff, hg_time now)
{
	long long seq = 0;
	int rc;

	rc = roster_ev_check(e, NULL);	/* bad input changes nothing, said first */
	if (rc)
		return cli_error("%s", hg_error_text());
	rc = potw_roster_edit(api, e, actor, staff, now, &seq);
	if (rc)
		return cli_error("%s", hg_error_text());
	cli_say("%s.%s %s%s%s%s (roster version %lld)", e->section, e->key,
		e->kind == RE_POLICY_SET ? "= " : "unset",
		e->kind == RE_POLICY_SET ? (*e->value ? e->value : "(empty)") : "",
		strcmp(e->scope, CFG_POLICY_ALL) == 0 ? " for all stations" : " for station ",
		strcmp(e->scope, CFG_POLICY_ALL) == 0 ? "" : e->scope, seq);
	return 0;
}

static int parse(const struct cli_args *a, struct roster_ev *e, char section[CFG_POLICY_SECTION],
		 char key[CFG_POLICY_KEY])
{
	const char *dotted, *station = cli_get(a, "station");
	int rc = cli_need(a, "key", &dotted);

	if (rc)
		return rc;
	if (config_policy_split(dotted, section, key))
		return cli_error("%s", hg_error_text());
	e->scope = station ? station : CFG_POLICY_ALL;
	if (station && (!*station || strcmp(station, CFG_POLICY_ALL) == 0))
		return cli_error("--station names one station; leave it out for all stations");
	e->section = section;
	e->key = key;
	return 0;
}

int potw_policy_edit_run(const struct potw_api *api, enum roster_ev_kind kind,
			 const struct cli_args *a, const char *actor, const char *staff,
			 hg_time now)
{
	struct roster_ev e = { .kind = kind };
	char section[CFG_POLICY_SECTION], key[CFG_POLICY_KEY], value[CFG_POLICY_VALUE];
	const char *v;
	int rc;

	if (kind != RE_POLICY_SET && kind != RE_POLICY_UNSET)
		return cli_error("not a policy edit");
	rc = parse(a, &e, section, key);
	if (rc || kind == RE_POLICY_UNSET)
		return rc ? rc : edit(api, &e, actor, staff, now);
	rc = cli_need(a, "value", &v);
	if (rc)
		return rc;
	if (strlen(v) >= sizeof value)
		return cli_error("the value is longer than %zu bytes", sizeof value - 1);
	memcpy(value, v, strlen(v) + 1);
	text_trim(value);	/* as station.ini's reader takes it */
	e.value = value;
	return edit(api, &e, actor, staff, now);
}

/* The command line's edit: the plant's log's actor "potw:<Unix user>",
 * the staff log's "cli:<Unix user>". */
static int cli_edit(struct potw *p, enum roster_ev_kind kind, const struct cli_args *a)
{
	const struct passwd *pw = getpwuid(geteuid());
	const char *me = pw && pw->pw_name ? pw->pw_name : "unknown";
	char actor[64], staff[64];
	struct potw_api api;
	int rc;

	if (potw_open_store(p))
		return -1;
	rc = potw_api_init(&api, p->st, &p->cfg);
	if (rc)
		return cli_error("%s", hg_error_text());
	snprintf(actor, sizeof actor, "potw:%s", me);
	snprintf(staff, sizeof staff, "cli:%s", me);
	rc = potw_policy_edit_run(&api, kind, a, actor, staff, p->now);
	potw_api_clear(&api);
	return rc;
}

int potw_policy_set(struct potw *p, const struct cli_args *a)
{
	return cli_edit(p, RE_POLICY_SET, a);
}

int potw_policy_unset(struct potw *p, const struct cli_args *a)
{
	return cli_edit(p, RE_POLICY_UNSET, a);
}

/* ---- show ---- */

#define SHOW_MAX 256	/* values read at the most */

struct rows {
	int n;
	struct {
		char scope[32], section[CFG_POLICY_SECTION], key[CFG_POLICY_KEY];
		char value[CFG_POLICY_VALUE];
	} r[SHOW_MAX];
};

static int keep(const char *const *cells, void *ctx)
{
	struct rows *rs = ctx;

	if (strcmp(cells[4], "1") != 0)
		return 0;	/* unset */
	if (rs->n == SHOW_MAX)
		return hg_fail(HG_ETOOLONG, "the plant's policy holds more than %d values", SHOW_MAX);
	snprintf(rs->r[rs->n].scope, sizeof rs->r[0].scope, "%s", cells[0]);
	snprintf(rs->r[rs->n].section, sizeof rs->r[0].section, "%s", cells[1]);
	snprintf(rs->r[rs->n].key, sizeof rs->r[0].key, "%s", cells[2]);
	snprintf(rs->r[rs->n].value, sizeof rs->r[0].value, "%s", cells[3]);
	rs->n++;
	return 0;
}

/* The value rs holds for section.key in scope, or NULL. */
static const char *value_of(const struct rows *rs, const char *scope, const char *section,
			    const char *key)
{
	for (int i = 0; i < rs->n; i++)
		if (!strcmp(rs->r[i].scope, scope) && !strcmp(rs->r[i].section, section) &&
		    !strcmp(rs->r[i].key, key))
			return rs->r[i].value;
	return NULL;
}

static int add(struct table *t, const char *section, const char *key, const char *value,
	       const char *from)
{
	char dotted[CFG_POLICY_SECTION + CFG_POLICY_KEY];
	const char *cells[3] = { dotted, value, from };

	snprintf(dotted, sizeof dotted, "%s.%s", section, key);
	return table_add(t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : HG_OK;
}

static int fill(struct table *t, const struct rows *rs, const char *station)
{
	char from[64];
	const char *section, *key, *v;
	int rc = HG_OK;

	if (!station) {		/* what the plant set, for all and for each */
		for (int i = 0; !rc && i < rs->n; i++) {
			if (strcmp(rs->r[i].scope, CFG_POLICY_ALL) == 0)
				snprintf(from, sizeof from, "plant, all stations");
			else
				snprintf(from, sizeof from, "plant, station %s", rs->r[i].scope);
			rc = add(t, rs->r[i].section, rs->r[i].key, rs->r[i].value, from);
		}
		return rc;
	}
	for (int i = 0; !rc && config_policy_key_at(i, &section, &key) == HG_OK; i++) {
		v = value_of(rs, station, section, key);
		snprintf(from, sizeof from, "plant, station %s", station);
		if (!v) {
			v = value_of(rs, CFG_POLICY_ALL, section, key);
			snprintf(from, sizeof from, "plant, all stations");
		}
		if (!v) {
			v = "";
			snprintf(from, sizeof from, "station.ini");
		}
		rc = add(t, section, key, v, from);
	}
	return rc;
}

int potw_policy_show(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "key", "value", "from" };
	const char *station = cli_get(a, "station");
	struct potw_station s;
	struct table *t = NULL;
	struct rows *rs;
	int rc;

	if (potw_open_store(p))
		return -1;
	if (station) {
		rc = potw_store_station_get(p->st, station, &s);
		if (rc == HG_ENOTFOUND)
			return cli_error("no station '%s' is registered (haulgate-potw station list)",
					 station);
		if (rc)
			return cli_error("%s", hg_error_text());
	}
	rs = calloc(1, sizeof *rs);
	if (!rs)
		return cli_error("out of memory");
	rc = potw_store_rec_each(p->st, POTW_PLANT_LOG, record_table("policy"), keep, rs);
	if (!rc) {
		t = table_new(3, cols);
		rc = t ? fill(t, rs, station) : hg_fail(HG_ENOMEM, "out of memory");
	}
	if (!rc)
		table_print(t, p->fmt, stdout);
	table_free(t);
	free(rs);
	return rc ? cli_error("%s", hg_error_text()) : 0;
}
