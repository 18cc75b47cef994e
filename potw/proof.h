/* proof.h: one event's inclusion proof in a station's log as the plant
 * holds it (potw/proof.c), for `haulgate-potw proof --event` and the load's
 * page alike. */
#ifndef POTW_PROOF_H
#define POTW_PROOF_H

#include "store.h"
#include "../core/merkle.h"

struct potw_inclusion {
	long long event;		/* the event's number (1..) */
	long long size;			/* the tree's size */
	uint8_t hash[MERKLE_HASH];	/* the event's chain hash: the leaf's data */
	struct merkle_proof pf;
};

/* The inclusion proof of event (>= 1) of station id in the tree of size
 * events (0: the latest countersigned checkpoint's size) into *out.
 * HG_OK; HG_ENOTFOUND (no station, no checkpoint); HG_EINVAL with words
 * when event > size or size > the events held; or the store's error. */
int potw_proof_inclusion(struct potw_store *st, const char *id, long long event, long long size,
			 struct potw_inclusion *out);

/* Does the proof lead to root?  HG_OK or HG_EREFUSED with words
 * (merkle_inclusion_verify()). */
int potw_proof_check(const struct potw_inclusion *p, const uint8_t root[MERKLE_HASH]);

#endif
