/* plant_policy.h: the plant's policy laid over this station's station.ini
 * (docs/CONFIG.md, "Set at the plant"; docs/DECISIONS.md for the order). */
#ifndef PLANT_POLICY_H
#define PLANT_POLICY_H

#include "../db/store_policy.h"

/* What was laid over station.ini, for `haulgate policy show`. */
struct plant_policy {
	int n;					/* values of the plant in force here */
	int refused;				/* of them, refused by this station */
	struct store_policy kept[STORE_POLICY_MAX];	/* as the store keeps them */
	struct cfg_policy_row row[STORE_POLICY_MAX];	/* how each was used */
};

/* *eff = *base with the plant's values for base->station_id laid over it:
 * this station's own over those for all stations over station.ini
 * (config_policy_overlay()).  pp, when not NULL, says which value came from
 * where.  A store that cannot be read leaves *eff untouched and returns its
 * error; a value this station's parser refuses is left out (pp says why)
 * and is no error. */
int plant_policy_apply(struct store *st, const struct config *base, struct config *eff,
		       struct plant_policy *pp);

#endif
