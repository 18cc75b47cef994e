/* cmd_policy.c: `haulgate policy show`, the policy this station runs on:
 * every key of station.ini the plant may set (docs/CONFIG.md, "Set at the
 * plant"), its value in force and where it comes from.
 *
 * The values are station/plant_policy.c's, the very overlay the station
 * makes at its start and at each card: the plant's value for this station
 * over the plant's value for all stations over station.ini.  A value of
 * the plant this station's parser refuses (a plant newer than the station)
 * is listed too, with the parser's words, and station.ini's stays in
 * force.  Start reading at cmd_policy_show(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "../station/plant_policy.h"

static int add(struct table *t, const char *section, const char *key, const char *value,
	       const char *from)
{
	char dotted[CFG_POLICY_SECTION + CFG_POLICY_KEY];
	const char *cells[3] = { dotted, value, from };

	snprintf(dotted, sizeof dotted, "%s.%s", section, key);
	return table_add(t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : HG_OK;
}

/* Where the value of section.key in force comes from, by pp's rows. */
static const char *source(const struct plant_policy *pp, const char *section, const char *key)
{
	const char *from = "station.ini";

	for (int i = 0; i < pp->n; i++) {
		const struct cfg_policy_row *r = &pp->row[i];

		if (strcmp(r->section, section) || strcmp(r->key, key) || r->used != CFG_USED_APPLIED)
			continue;
		if (strcmp(r->scope, CFG_POLICY_ALL) == 0)
			from = "plant, all stations";
		else
			return "plant, this station";
	}
	return from;
}

static int fill(struct table *t, const struct config *eff, const struct plant_policy *pp)
{
	char value[CFG_POLICY_VALUE], from[300];
	const char *section, *key;
	int rc = HG_OK;

	for (int i = 0; !rc && config_policy_key_at(i, &section, &key) == HG_OK; i++) {
		config_policy_format(eff, section, key, value, sizeof value);
		rc = add(t, section, key, value, source(pp, section, key));
	}
	for (int i = 0; !rc && i < pp->n; i++) {
		const struct cfg_policy_row *r = &pp->row[i];

		if (r->used != CFG_USED_REFUSED)
			continue;
		snprintf(from, sizeof from, "plant, %s: REFUSED here (%s); station.ini's in force",
			 strcmp(r->scope, CFG_POLICY_ALL) ? "this station" : "all stations", r->why);
		rc = add(t, r->section, r->key, r->value, from);
	}
	return rc;
}

int cmd_policy_show(struct cli *c, const struct cli_args *a)
{
	static const char *const cols[] = { "key", "value", "from" };
	struct plant_policy *pp;
	struct config *eff;
	struct table *t = NULL;
	int rc;

	(void)a;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	pp = malloc(sizeof *pp);
	eff = malloc(sizeof *eff);
	rc = pp && eff ? HG_OK : hg_fail(HG_ENOMEM, "out of memory");
	if (!rc)
		rc = plant_policy_apply(c->st, &c->cfg, eff, pp);
	if (!rc) {
		t = table_new(3, cols);
		rc = t ? fill(t, eff, pp) : hg_fail(HG_ENOMEM, "out of memory");
	}
	free(pp);
	free(eff);
	if (rc) {
		table_free(t);
		return cli_store_error(c);
	}
	cli_print_table(c, t);
	return 0;
}
