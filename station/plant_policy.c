/* plant_policy.c: the effective configuration of a plant-managed station:
 * its station.ini with the plant's policy laid over it.
 *
 * The plant's values come down with the roster (policy_set, policy_unset:
 * docs/SYNC.md) and are kept in the policy table (db/store_policy.c); this
 * file reads those in force for this station and lays them over
 * station.ini with core/config_policy.c, station.ini's own parser.  The
 * station does it when it opens and at every card, so a session always
 * runs on the values applied last (station/station.c); `haulgate policy
 * show` prints what came from where (cli/cmd_policy.c). */
#include <stdlib.h>
#include <string.h>

#include "plant_policy.h"

int plant_policy_apply(struct store *st, const struct config *base, struct config *eff,
		       struct plant_policy *pp)
{
	struct plant_policy *own = NULL;
	struct config *c = NULL;
	int rc;

	if (!pp) {
		pp = own = malloc(sizeof *own);
		if (!pp)
			return hg_fail(HG_ENOMEM, "out of memory");
	}
	pp->n = pp->refused = 0;
	rc = store_policy_read(st, base->station_id, pp->kept, STORE_POLICY_MAX, &pp->n);
	if (!rc) {
		c = malloc(sizeof *c);
		if (!c)
			rc = hg_fail(HG_ENOMEM, "out of memory");
	}
	if (!rc) {
		for (int i = 0; i < pp->n; i++) {
			struct cfg_policy_row *r = &pp->row[i];

			memset(r, 0, sizeof *r);
			r->scope = pp->kept[i].scope;
			r->section = pp->kept[i].section;
			r->key = pp->kept[i].key;
			r->value = pp->kept[i].value;
		}
		*c = *base;
		pp->refused = config_policy_overlay(c, base->station_id, pp->row, pp->n);
		*eff = *c;
	}
	free(c);
	free(own);
	return rc;
}
