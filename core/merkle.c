/* merkle.c: the RFC 6962 Merkle tree: hashes, the right edge kept beside the
 * chain, proofs read through a store's callbacks, and their checks.
 *
 * Everything stands on subtree(): the hash of the leaves [lo, hi), split at
 * the largest power of two below hi - lo as RFC 6962 section 2.1 says,
 * asking the store for a complete aligned subtree before it computes one.
 * path() and subproof() are RFC 6962's PATH and SUBPROOF, written as there
 * (the recursion is at most 64 deep); the two checks are RFC 9162's
 * sections 2.1.3.2 and 2.1.4.2 step by step.  merkle_range is the compact
 * range of a growing tree: one hash per set bit of its size.  Start reading
 * at merkle_range_append(), then subtree(). */
#include <string.h>

#include "merkle.h"
#include "report.h"
#include "text.h"

void merkle_leaf_hash(const uint8_t data[MERKLE_HASH], uint8_t out[MERKLE_HASH])
{
	uint8_t buf[1 + MERKLE_HASH];

	buf[0] = 0x00;
	memcpy(buf + 1, data, MERKLE_HASH);
	text_sha256(buf, sizeof buf, out);
}

void merkle_node_hash(const uint8_t left[MERKLE_HASH], const uint8_t right[MERKLE_HASH],
		      uint8_t out[MERKLE_HASH])
{
	uint8_t buf[1 + 2 * MERKLE_HASH];

	buf[0] = 0x01;
	memcpy(buf + 1, left, MERKLE_HASH);
	memcpy(buf + 1 + MERKLE_HASH, right, MERKLE_HASH);
	text_sha256(buf, sizeof buf, out);
}

void merkle_empty_root(uint8_t out[MERKLE_HASH])
{
	text_sha256(NULL, 0, out);
}

/* The largest power of two below n (n >= 2): where RFC 6962 splits. */
static uint64_t split(uint64_t n)
{
	return UINT64_C(1) << (63 - __builtin_clzll(n - 1));
}

static int size_ok(uint64_t size, const char *what)
{
	if (size >= MERKLE_SIZE_MAX)
		return hg_fail(HG_EINVAL, "%s %llu is too big for a tree (at most 2^63 - 1)", what,
			       (unsigned long long)size);
	return HG_OK;
}

static int reader_ok(const struct merkle_reader *rd)
{
	if (!rd || !rd->leaf)
		return hg_fail(HG_EINVAL, "a tree needs a reader with a leaf callback");
	return HG_OK;
}

/* The hash of the leaves [lo, hi), hi > lo, into out. */
static int subtree(const struct merkle_reader *rd, uint64_t lo, uint64_t hi,
		   uint8_t out[MERKLE_HASH])
{
	uint64_t n = hi - lo, k;
	uint8_t left[MERKLE_HASH];
	int rc;

	if (n == 1)
		return rd->leaf(rd->ctx, lo, out);
	if (rd->node && (n & (n - 1)) == 0 && (lo & (n - 1)) == 0) {
		unsigned level = (unsigned)__builtin_ctzll(n);

		rc = rd->node(rd->ctx, level, lo >> level, out);
		if (rc < 0)
			return rc;
		if (rc > 0)
			return HG_OK;
	}
	k = split(n);
	rc = subtree(rd, lo, lo + k, left);
	if (rc)
		return rc;
	rc = subtree(rd, lo + k, hi, out);
	if (rc)
		return rc;
	merkle_node_hash(left, out, out);
	return HG_OK;
}

/* Append the hash of [lo, hi) to p. */
static int proof_add(const struct merkle_reader *rd, uint64_t lo, uint64_t hi,
		     struct merkle_proof *p)
{
	int rc;

	if (p->count >= MERKLE_PROOF_MAX)	/* not with sizes below 2^63 */
		return hg_fail(HG_ETOOLONG, "a proof of more than %d hashes", MERKLE_PROOF_MAX);
	rc = subtree(rd, lo, hi, p->hash[p->count]);
	if (rc)
		return rc;
	p->count++;
	return HG_OK;
}

void merkle_range_init(struct merkle_range *r)
{
	memset(r, 0, sizeof *r);
}

int merkle_range_append(struct merkle_range *r, const uint8_t leaf_hash[MERKLE_HASH],
			merkle_node_store_fn store, void *store_ctx)
{
	uint8_t h[MERKLE_HASH];
	uint64_t s = r->size;
	unsigned l = 0;
	int rc;

	if (s >= MERKLE_SIZE_MAX - 1)
		return hg_fail(HG_EINVAL, "the tree is full (%llu leaves)", (unsigned long long)s);
	memcpy(h, leaf_hash, MERKLE_HASH);
	/* each trailing set bit of s is a subtree the new leaf completes */
	for (; (s >> l) & 1; l++) {
		merkle_node_hash(r->hash[l], h, h);
		if (store) {
			rc = store(store_ctx, l + 1, s >> (l + 1), h);
			if (rc)
				return rc;
		}
	}
	memcpy(r->hash[l], h, MERKLE_HASH);
	r->size = s + 1;
	return HG_OK;
}

void merkle_range_root(const struct merkle_range *r, uint8_t out[MERKLE_HASH])
{
	unsigned l;

	if (r->size == 0) {
		merkle_empty_root(out);
		return;
	}
	/* fold from the smallest subtree (rightmost) to the biggest */
	l = (unsigned)__builtin_ctzll(r->size);
	memcpy(out, r->hash[l], MERKLE_HASH);
	for (l++; l < MERKLE_LEVELS; l++)
		if ((r->size >> l) & 1)
			merkle_node_hash(r->hash[l], out, out);
}

int merkle_range_load(struct merkle_range *r, const struct merkle_reader *rd, uint64_t size)
{
	uint64_t lo = 0;
	int rc;

	merkle_range_init(r);
	rc = reader_ok(rd);
	if (rc)
		return rc;
	rc = size_ok(size, "size");
	if (rc)
		return rc;
	for (int l = MERKLE_LEVELS - 1; l >= 0; l--) {
		if (!((size >> l) & 1))
			continue;
		rc = subtree(rd, lo, lo + (UINT64_C(1) << l), r->hash[l]);
		if (rc) {
			merkle_range_init(r);
			return rc;
		}
		lo += UINT64_C(1) << l;
	}
	r->size = size;
	return HG_OK;
}

int merkle_root(const struct merkle_reader *rd, uint64_t size, uint8_t out[MERKLE_HASH])
{
	int rc;

	rc = reader_ok(rd);
	if (rc)
		return rc;
	rc = size_ok(size, "size");
	if (rc)
		return rc;
	if (size == 0) {
		merkle_empty_root(out);
		return HG_OK;
	}
	return subtree(rd, 0, size, out);
}

/* RFC 6962 PATH(m, D[lo:hi]), lo <= m < hi: the hashes of the subtrees
 * beside the way down to leaf m, the lowest first. */
static int path(const struct merkle_reader *rd, uint64_t m, uint64_t lo, uint64_t hi,
		struct merkle_proof *p)
{
	uint64_t k;
	int rc;

	if (hi - lo == 1)
		return HG_OK;
	k = split(hi - lo);
	if (m < lo + k) {
		rc = path(rd, m, lo, lo + k, p);
		if (rc)
			return rc;
		return proof_add(rd, lo + k, hi, p);
	}
	rc = path(rd, m, lo + k, hi, p);
	if (rc)
		return rc;
	return proof_add(rd, lo, lo + k, p);
}

int merkle_inclusion_proof(const struct merkle_reader *rd, uint64_t index, uint64_t size,
			   struct merkle_proof *p)
{
	int rc;

	p->count = 0;
	rc = reader_ok(rd);
	if (rc)
		return rc;
	rc = size_ok(size, "size");
	if (rc)
		return rc;
	if (index >= size)
		return hg_fail(HG_EINVAL, "leaf %llu is not in a tree of %llu leaves",
			       (unsigned long long)index, (unsigned long long)size);
	rc = path(rd, index, 0, size, p);
	if (rc)
		p->count = 0;
	return rc;
}

/* RFC 6962 SUBPROOF(m, D[lo:hi], b), lo < m <= hi. */
static int subproof(const struct merkle_reader *rd, uint64_t m, uint64_t lo, uint64_t hi,
		    int b, struct merkle_proof *p)
{
	uint64_t k;
	int rc;

	if (m == hi)
		return b ? HG_OK : proof_add(rd, lo, hi, p);
	k = split(hi - lo);
	if (m <= lo + k) {
		rc = subproof(rd, m, lo, lo + k, b, p);
		if (rc)
			return rc;
		return proof_add(rd, lo + k, hi, p);
	}
	rc = subproof(rd, m, lo + k, hi, 0, p);
	if (rc)
		return rc;
	return proof_add(rd, lo, lo + k, p);
}

int merkle_consistency_proof(const struct merkle_reader *rd, uint64_t size1, uint64_t size2,
			     struct merkle_proof *p)
{
	int rc;

	p->count = 0;
	rc = reader_ok(rd);
	if (rc)
		return rc;
	rc = size_ok(size2, "size");
	if (rc)
		return rc;
	if (size1 > size2)
		return hg_fail(HG_EINVAL, "a tree of %llu leaves cannot extend one of %llu",
			       (unsigned long long)size2, (unsigned long long)size1);
	if (size1 == 0 || size1 == size2)
		return HG_OK;
	rc = subproof(rd, size1, 0, size2, 1, p);
	if (rc)
		p->count = 0;
	return rc;
}

static int proof_ok(const struct merkle_proof *p)
{
	if (!p || p->count > MERKLE_PROOF_MAX)
		return hg_fail(HG_EINVAL, "a proof of more than %d hashes", MERKLE_PROOF_MAX);
	return HG_OK;
}

int merkle_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
			    const struct merkle_proof *p, const uint8_t root[MERKLE_HASH])
{
	uint8_t r[MERKLE_HASH];
	uint64_t fn = index, sn;
	int rc;

	rc = proof_ok(p);
	if (rc)
		return rc;
	rc = size_ok(size, "size");
	if (rc)
		return rc;
	if (index >= size)
		return hg_fail(HG_EINVAL, "leaf %llu is not in a tree of %llu leaves",
			       (unsigned long long)index, (unsigned long long)size);
	sn = size - 1;
	memcpy(r, leaf_hash, MERKLE_HASH);
	for (size_t i = 0; i < p->count; i++) {
		if (sn == 0)
			return hg_fail(HG_EREFUSED, "the inclusion proof of leaf %llu in a tree of "
				       "%llu has too many hashes (%zu)", (unsigned long long)index,
				       (unsigned long long)size, p->count);
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(p->hash[i], r, r);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(r, p->hash[i], r);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return hg_fail(HG_EREFUSED, "the inclusion proof of leaf %llu in a tree of %llu has "
			       "too few hashes (%zu)", (unsigned long long)index,
			       (unsigned long long)size, p->count);
	if (memcmp(r, root, MERKLE_HASH) != 0)
		return hg_fail(HG_EREFUSED, "the inclusion proof of leaf %llu does not lead to the "
			       "root of the tree of %llu", (unsigned long long)index,
			       (unsigned long long)size);
	return HG_OK;
}

int merkle_consistency_verify(uint64_t size1, uint64_t size2, const uint8_t root1[MERKLE_HASH],
			      const uint8_t root2[MERKLE_HASH], const struct merkle_proof *p)
{
	uint8_t fr[MERKLE_HASH], sr[MERKLE_HASH], empty[MERKLE_HASH];
	uint64_t fn, sn;
	size_t i = 0;
	int rc;

	rc = proof_ok(p);
	if (rc)
		return rc;
	rc = size_ok(size2, "size");
	if (rc)
		return rc;
	if (size1 > size2)
		return hg_fail(HG_EINVAL, "a tree of %llu leaves cannot extend one of %llu",
			       (unsigned long long)size2, (unsigned long long)size1);
	if (size1 == 0 || size1 == size2) {
		merkle_empty_root(empty);
		if (p->count != 0)
			return hg_fail(HG_EREFUSED, "a consistency proof from %llu to %llu must be "
				       "empty (it has %zu hashes)", (unsigned long long)size1,
				       (unsigned long long)size2, p->count);
		if (size1 == 0 && memcmp(root1, empty, MERKLE_HASH) != 0)
			return hg_fail(HG_EREFUSED, "the old root is not the empty tree's");
		if (size1 != 0 && memcmp(root1, root2, MERKLE_HASH) != 0)
			return hg_fail(HG_EREFUSED, "two trees of %llu leaves with different roots",
				       (unsigned long long)size2);
		return HG_OK;
	}
	if (p->count == 0)
		return hg_fail(HG_EREFUSED, "the consistency proof from %llu to %llu is empty",
			       (unsigned long long)size1, (unsigned long long)size2);
	/* a complete old tree is its own first hash (RFC 9162 2.1.4.2 step 2) */
	if ((size1 & (size1 - 1)) == 0) {
		memcpy(fr, root1, MERKLE_HASH);
	} else {
		memcpy(fr, p->hash[0], MERKLE_HASH);
		i = 1;
	}
	memcpy(sr, fr, MERKLE_HASH);
	fn = size1 - 1;
	sn = size2 - 1;
	while (fn & 1) {
		fn >>= 1;
		sn >>= 1;
	}
	for (; i < p->count; i++) {
		if (sn == 0)
			return hg_fail(HG_EREFUSED, "the consistency proof from %llu to %llu has too "
				       "many hashes (%zu)", (unsigned long long)size1,
				       (unsigned long long)size2, p->count);
		if ((fn & 1) || fn == sn) {
			merkle_node_hash(p->hash[i], fr, fr);
			merkle_node_hash(p->hash[i], sr, sr);
			while (fn != 0 && !(fn & 1)) {
				fn >>= 1;
				sn >>= 1;
			}
		} else {
			merkle_node_hash(sr, p->hash[i], sr);
		}
		fn >>= 1;
		sn >>= 1;
	}
	if (sn != 0)
		return hg_fail(HG_EREFUSED, "the consistency proof from %llu to %llu has too few "
			       "hashes (%zu)", (unsigned long long)size1, (unsigned long long)size2,
			       p->count);
	if (memcmp(fr, root1, MERKLE_HASH) != 0)
		return hg_fail(HG_EREFUSED, "the consistency proof from %llu to %llu does not lead "
			       "to the old root", (unsigned long long)size1, (unsigned long long)size2);
	if (memcmp(sr, root2, MERKLE_HASH) != 0)
		return hg_fail(HG_EREFUSED, "the consistency proof from %llu to %llu does not lead "
			       "to the new root", (unsigned long long)size1, (unsigned long long)size2);
	return HG_OK;
}
