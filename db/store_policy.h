/* store_policy.h: the plant's policy as this station keeps it (the policy
 * table, migration 6: the projection of the roster's policy_set and
 * policy_unset events, docs/SYNC.md).  Written only by the roster's apply
 * (db/store_sync.c, through db/store_write.c); read here. */
#ifndef STORE_POLICY_H
#define STORE_POLICY_H

#include "store.h"
#include "../core/config_policy.h"

#define STORE_POLICY_MAX 128	/* values read at the most: two per key is 42 */

/* One value the plant set, as kept. */
struct store_policy {
	char scope[32];				/* "*" or a station id */
	char section[CFG_POLICY_SECTION];
	char key[CFG_POLICY_KEY];
	char value[CFG_POLICY_VALUE];
};

/* The plant's values in force for the station station_id (scope "*" or
 * station_id; NULL: every station's) into rows[cap], *n of them, in the
 * order scope, section, key.  More than cap is HG_ETOOLONG, with words.
 * A database before migration 6 cannot be: store_open() migrates. */
int store_policy_read(struct store *st, const char *station_id, struct store_policy *rows,
		      int cap, int *n);

#endif
