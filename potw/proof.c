/* proof.c: an event's inclusion proof in a station's log, read from the
 * plant's store (the events' hashes and the tree's kept nodes,
 * potw_store_tree_reader()) against a tree size: the one `haulgate-potw
 * proof --event` prints as JSON and the load's page shows
 * (potw/page_load.c), checked by Go's sumdb/tlog in the tests. */
#include <stdlib.h>

#include "proof.h"
#include "../core/report.h"

int potw_proof_inclusion(struct potw_store *st, const char *id, long long event, long long size,
			 struct potw_inclusion *out)
{
	struct merkle_reader rd;
	struct potw_tree_ctx tc;
	struct potw_log_state ls;
	int rc;

	out->event = event;
	out->size = size;
	rc = potw_store_log_state(st, id, &ls);
	if (rc)
		return rc;
	if (!size) {
		struct potw_checkpoint *cp = malloc(sizeof *cp);

		if (!cp)
			return hg_fail(HG_ENOMEM, "out of memory");
		rc = potw_store_checkpoint_get(st, id, 0, 0, cp);
		size = cp->size;
		free(cp);
		if (rc)
			return rc;
		out->size = size;
	}
	if (event < 1 || event > size || size > ls.size)
		return hg_fail(HG_EINVAL, "station '%s': event %lld in a tree of %lld: the plant "
			       "holds %lld events (event <= size <= that)", id, event, size, ls.size);
	rc = potw_store_event_hash(st, id, event, out->hash);
	if (rc)
		return rc;
	potw_store_tree_reader(st, id, &tc, &rd);
	return merkle_inclusion_proof(&rd, (uint64_t)event - 1, (uint64_t)size, &out->pf);
}

int potw_proof_check(const struct potw_inclusion *p, const uint8_t root[MERKLE_HASH])
{
	uint8_t leaf[MERKLE_HASH];

	merkle_leaf_hash(p->hash, leaf);
	return merkle_inclusion_verify((uint64_t)p->event - 1, (uint64_t)p->size, leaf, &p->pf,
				       root);
}
