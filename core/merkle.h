/* merkle.h: the RFC 6962 (RFC 9162) Merkle tree over the event log.
 *
 * The leaf of event N (leaf index N-1) is the event's chain hash, 32 bytes,
 * hashed as an RFC 6962 leaf: SHA-256(0x00 || chain hash).  An interior node
 * is SHA-256(0x01 || left || right); the tree of n leaves splits at the
 * largest power of two below n; the empty tree's root is SHA-256("").  This
 * is the tree of Certificate Transparency, of Go's sumdb/tlog and of every
 * C2SP tlog-checkpoint, so roots and proofs made here are checked by code
 * nobody here wrote (tests/cli/test_tlog_go.sh).
 *
 * Three ways in:
 *   - merkle_range: the right edge of a tree (one hash per set bit of its
 *     size, at most 64), kept beside the chain: appending a leaf and reading
 *     the root are O(log n) and touch no store.
 *   - merkle_root(), merkle_inclusion_proof(), merkle_consistency_proof():
 *     read a tree through a struct merkle_reader, the store's callbacks, so
 *     the station's sqlite and the plant's store feed it without loading
 *     every leaf into memory.
 *   - merkle_inclusion_verify(), merkle_consistency_verify(): the checks of
 *     RFC 9162 sections 2.1.3.2 and 2.1.4.2, on values only.
 *
 * What a proof costs: a reader with only leaf() makes merkle_root(n) read n
 * leaf hashes and compute n-1 node hashes; an inclusion or a consistency
 * proof in a tree of n leaves reads up to n leaves (every leaf but the
 * proven one lies under some hash of the proof).  About 0.1 s for 100,000
 * leaves here, most of it the reader's.  A reader that also answers node()
 * for complete, aligned subtrees (those merkle_range_append() hands to its
 * merkle_node_store_fn) makes each of them O(log^2 n) lookups: every hash a
 * proof needs is made of at most log2(n) complete subtrees.  A store may
 * keep only some levels (every 4th, say): what it does not have is computed
 * from the level below.
 *
 * Sizes and indexes are uint64_t but kept below 2^63 (MERKLE_SIZE_MAX), the
 * range Go's int64 takes.  No I/O here, no heap. */
#ifndef MERKLE_H
#define MERKLE_H

#include "hg.h"

#define MERKLE_HASH 32			/* bytes of every hash */
#define MERKLE_LEVELS 64		/* hashes in a merkle_range, at most */
#define MERKLE_PROOF_MAX 64		/* hashes in any proof of a tree of at most 2^63 leaves */
#define MERKLE_SIZE_MAX (UINT64_C(1) << 63)	/* a tree has fewer leaves than this */

/* The leaf hash of leaf index (RFC 6962 MTH of one leaf, i.e.
 * merkle_leaf_hash() of the event's chain hash) into out.  Returns 0, or a
 * negative HG_E* code with its words set through hg_fail() (passed up as it
 * is). */
typedef int (*merkle_leaf_fn)(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH]);

/* The hash of the complete subtree at level (1..63) and position index: the
 * leaves [index << level, (index + 1) << level).  Returns 1 with out filled
 * when the store has it, 0 when it does not (it is then computed from the
 * level below), or a negative HG_E* code. */
typedef int (*merkle_node_fn)(void *ctx, unsigned level, uint64_t index,
			      uint8_t out[MERKLE_HASH]);

/* A tree in a store: leaf is required, node may be NULL. */
struct merkle_reader {
	merkle_leaf_fn leaf;
	merkle_node_fn node;
	void *ctx;
};

/* Told of each complete subtree merkle_range_append() finishes (level 1..63,
 * position index as for merkle_node_fn), for a store that keeps them.
 * Returns 0, or a negative HG_E* code that the append returns (the range is
 * left as it was). */
typedef int (*merkle_node_store_fn)(void *ctx, unsigned level, uint64_t index,
				    const uint8_t hash[MERKLE_HASH]);

/* The right edge of a tree of size leaves: hash[l] is the root of the
 * complete subtree of 2^l leaves that the set bit l of size stands for
 * (the leftmost is the highest bit); other entries are unused.  2 KiB, open
 * so that it can live beside the chain in any struct.  Start it with
 * merkle_range_init() or merkle_range_load(). */
struct merkle_range {
	uint64_t size;
	uint8_t hash[MERKLE_LEVELS][MERKLE_HASH];
};

/* A proof: count hashes in RFC 6962 order (the one nearest the leaf, or the
 * old tree, first). */
struct merkle_proof {
	size_t count;
	uint8_t hash[MERKLE_PROOF_MAX][MERKLE_HASH];
};

/* SHA-256(0x00 || data[32]): the leaf hash of an event whose chain hash is
 * data. */
void merkle_leaf_hash(const uint8_t data[MERKLE_HASH], uint8_t out[MERKLE_HASH]);

/* SHA-256(0x01 || left || right): an interior node.  out may be left or
 * right. */
void merkle_node_hash(const uint8_t left[MERKLE_HASH], const uint8_t right[MERKLE_HASH],
		      uint8_t out[MERKLE_HASH]);

/* SHA-256(""): the root of the tree of no leaves. */
void merkle_empty_root(uint8_t out[MERKLE_HASH]);

/* An empty range (size 0). */
void merkle_range_init(struct merkle_range *r);

/* Append the leaf whose leaf hash is leaf_hash (merkle_leaf_hash of the
 * chain hash) to r: O(log n) hashes.  store, when not NULL, is told of each
 * complete subtree this finishes (at most 63, usually 1 or 2).  Returns 0;
 * HG_EINVAL when r is full (MERKLE_SIZE_MAX - 1 leaves); or store's code
 * (r then unchanged). */
int merkle_range_append(struct merkle_range *r, const uint8_t leaf_hash[MERKLE_HASH],
			merkle_node_store_fn store, void *store_ctx);

/* The root of the tree r stands for: O(log n), no reads. */
void merkle_range_root(const struct merkle_range *r, uint8_t out[MERKLE_HASH]);

/* Rebuild the right edge of the first size leaves of a store (a station
 * starting up): one subtree hash per set bit of size, through the reader
 * (read all size leaves without node(); O(log^2 n) with every level of it).
 * Returns 0, HG_EINVAL (size too big, no leaf callback) or the reader's
 * code (r then empty). */
int merkle_range_load(struct merkle_range *r, const struct merkle_reader *rd, uint64_t size);

/* The root of the first size leaves (size 0: merkle_empty_root).  Returns 0,
 * HG_EINVAL or the reader's code. */
int merkle_root(const struct merkle_reader *rd, uint64_t size, uint8_t out[MERKLE_HASH]);

/* The inclusion proof (RFC 6962 PATH, RFC 9162 section 2.1.3.1) of leaf
 * index in the tree of the first size leaves into *p.  Returns 0; HG_EINVAL
 * when index >= size or size is too big; or the reader's code. */
int merkle_inclusion_proof(const struct merkle_reader *rd, uint64_t index, uint64_t size,
			   struct merkle_proof *p);

/* The consistency proof (RFC 6962 PROOF, RFC 9162 section 2.1.4.1) that the
 * tree of size2 leaves extends the tree of its first size1 leaves, into *p.
 * Empty when size1 is 0 or size1 == size2.  Returns 0; HG_EINVAL when
 * size1 > size2 or size2 is too big; or the reader's code. */
int merkle_consistency_proof(const struct merkle_reader *rd, uint64_t size1, uint64_t size2,
			     struct merkle_proof *p);

/* Check that leaf index, with leaf hash leaf_hash, is in the tree of size
 * leaves whose root is root, by the proof (RFC 9162 section 2.1.3.2).
 * Returns 0 when it is; HG_EREFUSED when the proof does not lead to root or
 * has too few or too many hashes (the words say which); HG_EINVAL when
 * index >= size or size is too big. */
int merkle_inclusion_verify(uint64_t index, uint64_t size, const uint8_t leaf_hash[MERKLE_HASH],
			    const struct merkle_proof *p, const uint8_t root[MERKLE_HASH]);

/* Check that the tree of size2 leaves with root root2 extends the tree of
 * size1 leaves with root root1, by the proof (RFC 9162 section 2.1.4.2).
 * size1 == size2 needs an empty proof and equal roots; size1 0 needs an
 * empty proof and root1 the empty root (every tree extends the empty one;
 * Go's tlog.CheckTree does not take size 0).  Returns 0 when it does;
 * HG_EREFUSED when not (the words say why); HG_EINVAL when size1 > size2 or
 * size2 is too big. */
int merkle_consistency_verify(uint64_t size1, uint64_t size2, const uint8_t root1[MERKLE_HASH],
			      const uint8_t root2[MERKLE_HASH], const struct merkle_proof *p);

#endif
