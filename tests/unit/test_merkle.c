/* test_merkle.c: unit tests of core/merkle.c, the RFC 6962 tree.
 *
 * Known answers first: the leaves, node hashes, roots and proofs of the
 * eight-leaf tree that Certificate Transparency's and transparency-dev's
 * merkle tests use (leaves "", 00, 10, 2021, 3031, 40414243,
 * 5051525354555657, 606162636465666768696a6b6c6d6e6f; their
 * testonly/constants.go and proof/verify_test.go).  Then every proof they
 * tamper with is refused; then trees of a few hundred leaves where the
 * right edge, the reader, the node cache and the checks must all agree;
 * then what 100,000 leaves cost through the callbacks; then failures of the
 * store passed up with their words. */
#include "testutil.h"

#include <time.h>

#include <openssl/sha.h>

#include "../../core/hg.h"
#include "../../core/merkle.h"
#include "../../core/report.h"

/* --- the known answers -------------------------------------------------- */

static const char *const kat_leaf[8] = {
	"", "00", "10", "2021", "3031", "40414243", "5051525354555657",
	"606162636465666768696a6b6c6d6e6f",
};

/* RFC 6962 leaf hashes of kat_leaf (NodeHashes level 0) */
static const char *const kat_leaf_hash[8] = {
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
	"0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
	"07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
	"bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
	"4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
	"b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
	"46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
};

/* the roots of the first 0..8 leaves */
static const char *const kat_root[9] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
	"76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
	"ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
	"5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
};

/* the complete subtrees at levels 1 and 2 (NodeHashes levels 1 and 2) */
static const char *const kat_level1[4] = {
	"fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
	"5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
	"0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
	"ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
};
static const char *const kat_level2[2] = {
	"d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
	"6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
};

struct kat_proof {
	uint64_t a, b;		/* inclusion: leaf index, size; consistency: size1, size2 */
	const char *hash[3];	/* NULL past the end */
};

/* inclusion proofs (verify_test.go's inclusionProofs, leaf numbers made indexes) */
static const struct kat_proof kat_inclusion[] = {
	{ 0, 1, { NULL } },		/* a tree of one leaf: nothing to show */
	{ 0, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 5, 8, { "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
		  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 3, { "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125" } },
	{ 1, 5, { "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
};

/* consistency proofs (verify_test.go's consistencyProofs) */
static const struct kat_proof kat_consistency[] = {
	{ 1, 1, { NULL } },		/* the same tree */
	{ 1, 8, { "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
		  "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4" } },
	{ 6, 8, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		  "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
	{ 2, 5, { "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
		  "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b" } },
	{ 6, 7, { "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
		  "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
		  "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7" } },
};

static void unhex(const char *hex, uint8_t *out, size_t *n)
{
	size_t len = strlen(hex);

	assert_int_equal(len % 2, 0);
	for (size_t i = 0; i < len / 2; i++) {
		unsigned v;

		assert_int_equal(sscanf(hex + 2 * i, "%2x", &v), 1);
		out[i] = (uint8_t)v;
	}
	*n = len / 2;
}

static void h32(const char *hex, uint8_t out[MERKLE_HASH])
{
	size_t n;

	unhex(hex, out, &n);
	assert_int_equal(n, MERKLE_HASH);
}

static void kat_proof_load(const struct kat_proof *k, struct merkle_proof *p)
{
	p->count = 0;
	for (size_t i = 0; i < 3 && k->hash[i]; i++)
		h32(k->hash[i], p->hash[p->count++]);
}

/* --- readers -------------------------------------------------------------- */

/* A store in memory: leaf hashes, and (when levels > 0) the node hashes the
 * right edge hands out, per level; counts every read. */
struct mem {
	uint64_t n;
	uint8_t (*leaf)[MERKLE_HASH];
	uint8_t (*node[MERKLE_LEVELS])[MERKLE_HASH];
	uint64_t node_n[MERKLE_LEVELS];
	unsigned every;		/* keep nodes of levels that are multiples of this (0: none) */
	uint64_t leaf_reads, node_reads, node_hits;
	int fail_at;		/* a leaf read of this index fails (-1: none) */
};

static int mem_leaf(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct mem *m = ctx;

	m->leaf_reads++;
	if ((int64_t)index == m->fail_at)
		return hg_fail(HG_EIO, "leaf %llu: disk I/O error", (unsigned long long)index);
	assert_true(index < m->n);
	memcpy(out, m->leaf[index], MERKLE_HASH);
	return 0;
}

static int mem_node(void *ctx, unsigned level, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct mem *m = ctx;

	m->node_reads++;
	assert_true(level >= 1 && level < MERKLE_LEVELS);
	if (!m->node[level] || index >= m->node_n[level])
		return 0;
	memcpy(out, m->node[level][index], MERKLE_HASH);
	m->node_hits++;
	return 1;
}

static int mem_store(void *ctx, unsigned level, uint64_t index, const uint8_t h[MERKLE_HASH])
{
	struct mem *m = ctx;

	assert_true(level >= 1 && level < MERKLE_LEVELS);
	if (!m->every || level % m->every)
		return 0;
	/* nodes come in order at each level */
	assert_int_equal(index, m->node_n[level]);
	if (!m->node[level]) {
		m->node[level] = calloc((size_t)(m->n >> level) + 1, MERKLE_HASH);
		assert_non_null(m->node[level]);
	}
	memcpy(m->node[level][index], h, MERKLE_HASH);
	m->node_n[level]++;
	return 0;
}

/* A store of n leaves whose chain hashes are SHA-256 of their index, built
 * through a right edge r (its nodes kept every `every` levels). */
static void mem_build(struct mem *m, uint64_t n, unsigned every, struct merkle_range *r)
{
	memset(m, 0, sizeof *m);
	m->n = n;
	m->every = every;
	m->fail_at = -1;
	m->leaf = calloc((size_t)n + 1, MERKLE_HASH);
	assert_non_null(m->leaf);
	merkle_range_init(r);
	for (uint64_t i = 0; i < n; i++) {
		uint8_t chain[MERKLE_HASH];

		SHA256((const unsigned char *)&i, sizeof i, chain);
		merkle_leaf_hash(chain, m->leaf[i]);
		assert_int_equal(merkle_range_append(r, m->leaf[i], mem_store, m), 0);
	}
}

static void mem_free(struct mem *m)
{
	free(m->leaf);
	for (int l = 0; l < MERKLE_LEVELS; l++)
		free(m->node[l]);
}

static struct merkle_reader mem_reader(struct mem *m)
{
	return (struct merkle_reader){ .leaf = mem_leaf, .node = m->every ? mem_node : NULL,
				       .ctx = m };
}

/* The eight known leaves as a store (their data is not 32 bytes: hashed here). */
static void kat_store(struct mem *m, struct merkle_range *r, unsigned every)
{
	memset(m, 0, sizeof *m);
	m->n = 8;
	m->every = every;
	m->fail_at = -1;
	m->leaf = calloc(8, MERKLE_HASH);
	assert_non_null(m->leaf);
	merkle_range_init(r);
	for (int i = 0; i < 8; i++) {
		uint8_t buf[1 + 16];
		size_t n;

		unhex(kat_leaf[i], buf + 1, &n);
		buf[0] = 0x00;
		SHA256(buf, 1 + n, m->leaf[i]);
		assert_int_equal(merkle_range_append(r, m->leaf[i], mem_store, m), 0);
	}
}

/* --- known answers ------------------------------------------------------- */

/* leaf hashes, roots of every prefix (by the reader and the right edge),
 * the stored complete subtrees; a 32-byte leaf through merkle_leaf_hash */
static void test_known_roots(void **state)
{
	struct merkle_range r, grow;
	struct mem m;
	struct merkle_reader rd;
	uint8_t want[MERKLE_HASH], got[MERKLE_HASH], data[MERKLE_HASH];

	(void)state;
	kat_store(&m, &r, 1);
	rd = mem_reader(&m);
	for (int i = 0; i < 8; i++) {
		h32(kat_leaf_hash[i], want);
		assert_memory_equal(m.leaf[i], want, MERKLE_HASH);
	}
	merkle_empty_root(got);
	h32(kat_root[0], want);
	assert_memory_equal(got, want, MERKLE_HASH);
	merkle_range_init(&grow);
	for (uint64_t n = 0; n <= 8; n++) {
		h32(kat_root[n], want);
		rd.node = NULL;
		assert_int_equal(merkle_root(&rd, n, got), 0);
		assert_memory_equal(got, want, MERKLE_HASH);
		rd.node = mem_node;
		assert_int_equal(merkle_root(&rd, n, got), 0);
		assert_memory_equal(got, want, MERKLE_HASH);
		merkle_range_root(&grow, got);
		assert_memory_equal(got, want, MERKLE_HASH);
		if (n < 8)
			assert_int_equal(merkle_range_append(&grow, m.leaf[n], NULL, NULL), 0);
	}
	/* what the append handed to the store */
	assert_int_equal(m.node_n[1], 4);
	assert_int_equal(m.node_n[2], 2);
	assert_int_equal(m.node_n[3], 1);
	for (int i = 0; i < 4; i++) {
		h32(kat_level1[i], want);
		assert_memory_equal(m.node[1][i], want, MERKLE_HASH);
	}
	for (int i = 0; i < 2; i++) {
		h32(kat_level2[i], want);
		assert_memory_equal(m.node[2][i], want, MERKLE_HASH);
	}
	h32(kat_root[8], want);
	assert_memory_equal(m.node[3][0], want, MERKLE_HASH);
	/* a 32-byte leaf and a node, as sha256sum hashes 0x00 || 32 x 0xab and
	 * 0x01 || 32 x 0xab || 32 x 0xcd */
	memset(data, 0xab, sizeof data);
	merkle_leaf_hash(data, got);
	h32("86754e71ab90f305c4faa7eee57b41b89e49ebcdf03a745c855ee611e4597237", want);
	assert_memory_equal(got, want, MERKLE_HASH);
	memset(want, 0xcd, sizeof want);
	merkle_node_hash(data, want, got);
	h32("5aa502d92512923b6b6a88304d13517717aeade142a8534928f88a44a53a3b47", want);
	assert_memory_equal(got, want, MERKLE_HASH);
	mem_free(&m);
}

/* the known inclusion proofs: made the same, and they verify */
static void test_known_inclusion(void **state)
{
	struct merkle_range r;
	struct mem m;
	struct merkle_reader rd;
	struct merkle_proof want, got;
	uint8_t root[MERKLE_HASH];

	(void)state;
	kat_store(&m, &r, 1);
	rd = mem_reader(&m);
	for (size_t i = 0; i < HG_ARRAY_LEN(kat_inclusion); i++) {
		const struct kat_proof *k = &kat_inclusion[i];

		kat_proof_load(k, &want);
		h32(kat_root[k->b], root);
		for (int cached = 0; cached < 2; cached++) {
			rd.node = cached ? mem_node : NULL;
			assert_int_equal(merkle_inclusion_proof(&rd, k->a, k->b, &got), 0);
			assert_int_equal(got.count, want.count);
			assert_memory_equal(got.hash, want.hash, want.count * MERKLE_HASH);
		}
		assert_int_equal(merkle_inclusion_verify(k->a, k->b, m.leaf[k->a], &want, root), 0);
	}
	mem_free(&m);
}

/* the known consistency proofs: made the same, and they verify */
static void test_known_consistency(void **state)
{
	struct merkle_range r;
	struct mem m;
	struct merkle_reader rd;
	struct merkle_proof want, got;
	uint8_t r1[MERKLE_HASH], r2[MERKLE_HASH];

	(void)state;
	kat_store(&m, &r, 1);
	rd = mem_reader(&m);
	for (size_t i = 0; i < HG_ARRAY_LEN(kat_consistency); i++) {
		const struct kat_proof *k = &kat_consistency[i];

		kat_proof_load(k, &want);
		h32(kat_root[k->a], r1);
		h32(kat_root[k->b], r2);
		for (int cached = 0; cached < 2; cached++) {
			rd.node = cached ? mem_node : NULL;
			assert_int_equal(merkle_consistency_proof(&rd, k->a, k->b, &got), 0);
			assert_int_equal(got.count, want.count);
			assert_memory_equal(got.hash, want.hash, want.count * MERKLE_HASH);
		}
		assert_int_equal(merkle_consistency_verify(k->a, k->b, r1, r2, &want), 0);
	}
	mem_free(&m);
}

/* --- tampered proofs ------------------------------------------------------ */

static void expect_inclusion_refused(uint64_t index, uint64_t size, const uint8_t *leaf,
				     const struct merkle_proof *p, const uint8_t *root,
				     const char *what)
{
	int rc = merkle_inclusion_verify(index, size, leaf, p, root);

	if (rc == 0)
		fail_msg("inclusion of %llu in %llu (%s) verified", (unsigned long long)index,
			 (unsigned long long)size, what);
	assert_true(rc == HG_EREFUSED || rc == HG_EINVAL);
	assert_true(hg_error_text()[0] != '\0');
}

/* a copy of p with h inserted at position at (at == count: appended) */
static struct merkle_proof proof_insert(const struct merkle_proof *p, size_t at,
					const uint8_t h[MERKLE_HASH])
{
	struct merkle_proof q = { .count = 0 };

	for (size_t i = 0; i <= p->count; i++) {
		if (i == at)
			memcpy(q.hash[q.count++], h, MERKLE_HASH);
		if (i < p->count)
			memcpy(q.hash[q.count++], p->hash[i], MERKLE_HASH);
	}
	return q;
}

/* every corruption transparency-dev's verify_test.go tries on the known
 * inclusion proofs is refused */
static void test_inclusion_tampered(void **state)
{
	struct merkle_range r;
	struct mem m;
	uint8_t zero[MERKLE_HASH] = { 0 }, empty[MERKLE_HASH], some[MERKLE_HASH];

	(void)state;
	kat_store(&m, &r, 0);
	merkle_empty_root(empty);
	h32("abacaba000000000000000000000000000000000000000000060061e00123456", some);
	for (size_t t = 0; t < HG_ARRAY_LEN(kat_inclusion); t++) {
		const struct kat_proof *k = &kat_inclusion[t];
		uint64_t i = k->a, n = k->b;
		const uint8_t *leaf = m.leaf[i];
		struct merkle_proof p, q;
		uint8_t root[MERKLE_HASH];

		kat_proof_load(k, &p);
		h32(kat_root[n], root);
		assert_int_equal(merkle_inclusion_verify(i, n, leaf, &p, root), 0);
		/* the wrong leaf index */
		if (i > 0)
			expect_inclusion_refused(i - 1, n, leaf, &p, root, "index - 1");
		expect_inclusion_refused(i + 1, n, leaf, &p, root, "index + 1");
		expect_inclusion_refused(i ^ 2, n, leaf, &p, root, "index ^ 2");
		/* the wrong tree size */
		expect_inclusion_refused(i, n * 2, leaf, &p, root, "size * 2");
		expect_inclusion_refused(i, n / 2, leaf, &p, root, "size / 2");
		/* the wrong leaf or root */
		expect_inclusion_refused(i, n, m.leaf[(i + 1) % 8], &p, root, "another leaf");
		expect_inclusion_refused(i, n, leaf, &p, empty, "the empty root");
		expect_inclusion_refused(i, n, leaf, &p, some, "some root");
		/* a hash more at the end or the front */
		q = proof_insert(&p, p.count, zero);
		expect_inclusion_refused(i, n, leaf, &q, root, "trailing zeros");
		q = proof_insert(&p, p.count, root);
		expect_inclusion_refused(i, n, leaf, &q, root, "trailing root");
		q = proof_insert(&p, 0, zero);
		expect_inclusion_refused(i, n, leaf, &q, root, "preceding zeros");
		q = proof_insert(&p, 0, root);
		expect_inclusion_refused(i, n, leaf, &q, root, "preceding root");
		/* one bit flipped in each hash */
		for (size_t j = 0; j < p.count; j++) {
			q = p;
			q.hash[j][0] ^= 8;
			expect_inclusion_refused(i, n, leaf, &q, root, "a flipped bit");
		}
		/* a hash taken out, a hash put in */
		if (p.count > 0) {
			q = p;
			q.count--;
			expect_inclusion_refused(i, n, leaf, &q, root, "the last hash removed");
		}
		if (p.count > 1) {
			q = proof_insert(&p, 1, some);
			expect_inclusion_refused(i, n, leaf, &q, root, "a hash inserted");
		}
	}
	mem_free(&m);
}

static void expect_consistency_refused(uint64_t s1, uint64_t s2, const uint8_t *r1,
				       const uint8_t *r2, const struct merkle_proof *p,
				       const char *what)
{
	int rc = merkle_consistency_verify(s1, s2, r1, r2, p);

	if (rc == 0)
		fail_msg("consistency %llu -> %llu (%s) verified", (unsigned long long)s1,
			 (unsigned long long)s2, what);
	assert_true(rc == HG_EREFUSED || rc == HG_EINVAL);
	assert_true(hg_error_text()[0] != '\0');
}

/* the same for the known consistency proofs, and the trivial cases */
static void test_consistency_tampered(void **state)
{
	uint8_t zero[MERKLE_HASH] = { 0 }, empty[MERKLE_HASH], r1[MERKLE_HASH], r2[MERKLE_HASH];
	struct merkle_proof none = { .count = 0 }, one = { .count = 1 };

	(void)state;
	merkle_empty_root(empty);
	for (size_t t = 0; t < HG_ARRAY_LEN(kat_consistency); t++) {
		const struct kat_proof *k = &kat_consistency[t];
		uint64_t a = k->a, b = k->b;
		struct merkle_proof p, q;

		kat_proof_load(k, &p);
		if (p.count == 0)
			continue;
		h32(kat_root[a], r1);
		h32(kat_root[b], r2);
		assert_int_equal(merkle_consistency_verify(a, b, r1, r2, &p), 0);
		expect_consistency_refused(a - 1, b, r1, r2, &p, "size1 - 1");
		expect_consistency_refused(a + 1, b, r1, r2, &p, "size1 + 1");
		expect_consistency_refused(a ^ 2, b, r1, r2, &p, "size1 ^ 2");
		expect_consistency_refused(a, b * 2, r1, r2, &p, "size2 * 2");
		expect_consistency_refused(a, b / 2, r1, r2, &p, "size2 / 2");
		expect_consistency_refused(a, b, zero, r2, &p, "wrong root1");
		expect_consistency_refused(a, b, r1, zero, &p, "wrong root2");
		expect_consistency_refused(a, b, r2, r1, &p, "swapped roots");
		expect_consistency_refused(a, b, r1, r2, &none, "empty proof");
		q = proof_insert(&p, p.count, zero);
		expect_consistency_refused(a, b, r1, r2, &q, "trailing zeros");
		q = proof_insert(&p, p.count, r1);
		expect_consistency_refused(a, b, r1, r2, &q, "trailing root1");
		q = proof_insert(&p, p.count, r2);
		expect_consistency_refused(a, b, r1, r2, &q, "trailing root2");
		q = proof_insert(&p, 0, zero);
		expect_consistency_refused(a, b, r1, r2, &q, "preceding zeros");
		q = proof_insert(&p, 0, r1);
		expect_consistency_refused(a, b, r1, r2, &q, "preceding root1");
		q = proof_insert(&p, 0, r2);
		expect_consistency_refused(a, b, r1, r2, &q, "preceding root2");
		q = proof_insert(&p, 0, p.hash[0]);
		expect_consistency_refused(a, b, r1, r2, &q, "preceding proof[0]");
		q = p;
		q.count--;
		expect_consistency_refused(a, b, r1, r2, &q, "truncated");
		for (size_t j = 0; j < p.count; j++) {
			q = p;
			q.hash[j][0] ^= 16;
			expect_consistency_refused(a, b, r1, r2, &q, "a flipped bit");
		}
	}
	/* the trivial sizes (verify_test.go's TestVerifyConsistency) */
	h32(kat_root[1], r1);
	h32(kat_root[2], r2);
	memcpy(one.hash[0], empty, MERKLE_HASH);
	assert_int_equal(merkle_consistency_verify(0, 0, empty, empty, &none), 0);
	assert_int_equal(merkle_consistency_verify(0, 2, empty, r2, &none), 0);
	assert_int_equal(merkle_consistency_verify(1, 1, r1, r1, &none), 0);
	expect_consistency_refused(0, 0, r1, r2, &none, "0 -> 0, other roots");
	expect_consistency_refused(0, 2, r1, r2, &none, "0 -> 2 from a root not the empty one");
	expect_consistency_refused(1, 1, r1, r2, &none, "1 -> 1, other roots");
	expect_consistency_refused(1, 0, r1, r2, &none, "back in time");
	expect_consistency_refused(2, 1, r1, r2, &none, "back in time");
	expect_consistency_refused(1, 2, r1, r2, &none, "1 -> 2, empty proof");
	expect_consistency_refused(0, 0, empty, empty, &one, "0 -> 0 with a hash");
	expect_consistency_refused(0, 1, empty, r1, &one, "0 -> 1 with a hash");
	expect_consistency_refused(1, 1, r1, r1, &one, "1 -> 1 with a hash");
}

/* --- trees of a few hundred leaves ---------------------------------------- */

static int interesting(uint64_t n)
{
	return n <= 70 || n == 127 || n == 128 || n == 129 || n == 255 || n == 256 ||
	       n == 257 || n == 299 || n == 300;
}

/* The right edge, the reader with and without stored nodes (every level,
 * every 4th) and the checks agree on every root and on the proofs of many
 * sizes; each proof verifies, and with another leaf or root it does not. */
static void test_trees_agree(void **state)
{
	struct merkle_range r, grow, loaded;
	struct mem all, some;
	struct merkle_reader rd_all, rd_some, rd_none;
	uint8_t roots[301][MERKLE_HASH], got[MERKLE_HASH];

	(void)state;
	mem_build(&all, 300, 1, &r);
	mem_build(&some, 300, 4, &r);
	rd_all = mem_reader(&all);
	rd_some = mem_reader(&some);
	rd_none = rd_all;
	rd_none.node = NULL;
	merkle_range_init(&grow);
	for (uint64_t n = 0; n <= 300; n++) {
		merkle_range_root(&grow, roots[n]);
		assert_int_equal(merkle_root(&rd_none, n, got), 0);
		assert_memory_equal(got, roots[n], MERKLE_HASH);
		assert_int_equal(merkle_root(&rd_all, n, got), 0);
		assert_memory_equal(got, roots[n], MERKLE_HASH);
		assert_int_equal(merkle_root(&rd_some, n, got), 0);
		assert_memory_equal(got, roots[n], MERKLE_HASH);
		assert_int_equal(merkle_range_load(&loaded, &rd_some, n), 0);
		assert_int_equal(loaded.size, n);
		merkle_range_root(&loaded, got);
		assert_memory_equal(got, roots[n], MERKLE_HASH);
		if (n < 300)
			assert_int_equal(merkle_range_append(&grow, all.leaf[n], NULL, NULL), 0);
	}
	assert_memory_equal(r.hash, grow.hash, sizeof r.hash);

	for (uint64_t n = 1; n <= 300; n++) {
		if (!interesting(n))
			continue;
		for (uint64_t i = 0; i < n; i++) {
			struct merkle_proof p, q;

			assert_int_equal(merkle_inclusion_proof(&rd_none, i, n, &p), 0);
			assert_int_equal(merkle_inclusion_proof(&rd_all, i, n, &q), 0);
			assert_int_equal(p.count, q.count);
			assert_memory_equal(p.hash, q.hash, p.count * MERKLE_HASH);
			assert_int_equal(merkle_inclusion_proof(&rd_some, i, n, &q), 0);
			assert_memory_equal(p.hash, q.hash, p.count * MERKLE_HASH);
			assert_int_equal(merkle_inclusion_verify(i, n, all.leaf[i], &p, roots[n]), 0);
			assert_int_equal(merkle_inclusion_verify(i, n, all.leaf[(i + 1) % n], &p,
								 roots[n]), n == 1 ? 0 : HG_EREFUSED);
			if (n > 1)
				assert_int_equal(merkle_inclusion_verify(i, n, all.leaf[i], &p,
									 roots[n - 1]), HG_EREFUSED);
		}
		for (uint64_t m = 0; m <= n; m++) {
			struct merkle_proof p, q;

			assert_int_equal(merkle_consistency_proof(&rd_none, m, n, &p), 0);
			assert_int_equal(merkle_consistency_proof(&rd_all, m, n, &q), 0);
			assert_int_equal(p.count, q.count);
			assert_memory_equal(p.hash, q.hash, p.count * MERKLE_HASH);
			assert_int_equal(merkle_consistency_proof(&rd_some, m, n, &q), 0);
			assert_memory_equal(p.hash, q.hash, p.count * MERKLE_HASH);
			assert_int_equal(merkle_consistency_verify(m, n, roots[m], roots[n], &p), 0);
			if (m > 0 && m < n) {
				/* a log rewritten after m: the old root is not in the new tree */
				assert_int_equal(merkle_consistency_verify(m, n, roots[m - 1], roots[n],
									   &p), HG_EREFUSED);
				assert_int_equal(merkle_consistency_verify(m, n, roots[m], roots[n - 1],
									   &p), HG_EREFUSED);
			}
		}
	}
	mem_free(&all);
	mem_free(&some);
}

/* --- what 100,000 leaves cost ------------------------------------------- */

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* Without stored nodes a root reads every leaf once, a proof every leaf
 * but one; with every level stored, a few hundred reads at most; with every
 * 4th level, a few thousand.  The proofs are the same. */
static void test_cost(void **state)
{
	enum { N = 100000 };
	struct merkle_range r;
	struct mem m;
	struct merkle_reader rd;
	struct merkle_proof inc, cons, p;
	uint8_t root[MERKLE_HASH], got[MERKLE_HASH], old[MERKLE_HASH];
	struct timespec t0;

	(void)state;
	mem_build(&m, N, 1, &r);
	merkle_range_root(&r, root);
	rd = mem_reader(&m);
	rd.node = NULL;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(merkle_root(&rd, N, got), 0);
	assert_memory_equal(got, root, MERKLE_HASH);
	assert_int_equal(m.leaf_reads, N);
	m.leaf_reads = 0;
	assert_int_equal(merkle_inclusion_proof(&rd, 31337, N, &inc), 0);
	assert_int_equal(m.leaf_reads, N - 1);
	assert_int_equal(inc.count, 17);
	m.leaf_reads = 0;
	assert_int_equal(merkle_consistency_proof(&rd, 54321, N, &cons), 0);
	assert_true(m.leaf_reads <= N);
	print_message("100,000 leaves, no stored nodes: a root and two proofs in %.0f ms\n",
		      ms_since(&t0));
	assert_int_equal(merkle_inclusion_verify(31337, N, m.leaf[31337], &inc, root), 0);
	assert_int_equal(merkle_root(&rd, 54321, old), 0);
	assert_int_equal(merkle_consistency_verify(54321, N, old, root, &cons), 0);

	/* every level stored */
	rd.node = mem_node;
	m.leaf_reads = m.node_reads = 0;
	assert_int_equal(merkle_root(&rd, N, got), 0);
	assert_memory_equal(got, root, MERKLE_HASH);
	assert_int_equal(merkle_inclusion_proof(&rd, 31337, N, &p), 0);
	assert_int_equal(p.count, inc.count);
	assert_memory_equal(p.hash, inc.hash, inc.count * MERKLE_HASH);
	assert_int_equal(merkle_consistency_proof(&rd, 54321, N, &p), 0);
	assert_int_equal(p.count, cons.count);
	assert_memory_equal(p.hash, cons.hash, cons.count * MERKLE_HASH);
	assert_true(m.leaf_reads + m.node_reads < 17 * 17 * 3);
	mem_free(&m);

	/* every 4th level stored */
	mem_build(&m, N, 4, &r);
	rd = mem_reader(&m);
	assert_int_equal(merkle_inclusion_proof(&rd, 31337, N, &p), 0);
	assert_memory_equal(p.hash, inc.hash, inc.count * MERKLE_HASH);
	assert_int_equal(merkle_consistency_proof(&rd, 54321, N, &p), 0);
	assert_memory_equal(p.hash, cons.hash, cons.count * MERKLE_HASH);
	assert_true(m.leaf_reads + m.node_reads < 5000);
	mem_free(&m);
}

/* --- failures --------------------------------------------------------------- */

static int store_refuses(void *ctx, unsigned level, uint64_t index, const uint8_t h[MERKLE_HASH])
{
	(void)ctx;
	(void)h;
	return hg_fail(HG_EIO, "node %u/%llu: disk full", level, (unsigned long long)index);
}

/* a store that fails is passed up with its words; nothing half done */
static void test_store_fails(void **state)
{
	struct merkle_range r, before, loaded;
	struct mem m;
	struct merkle_reader rd;
	struct merkle_proof p;
	uint8_t got[MERKLE_HASH];

	(void)state;
	mem_build(&m, 20, 0, &r);
	rd = mem_reader(&m);
	m.fail_at = 5;
	assert_int_equal(merkle_root(&rd, 20, got), HG_EIO);
	assert_string_equal(hg_error_text(), "leaf 5: disk I/O error");
	assert_int_equal(merkle_root(&rd, 5, got), 0);
	assert_int_equal(merkle_inclusion_proof(&rd, 1, 20, &p), HG_EIO);
	assert_int_equal(p.count, 0);
	assert_int_equal(merkle_consistency_proof(&rd, 3, 20, &p), HG_EIO);
	assert_int_equal(p.count, 0);
	assert_int_equal(merkle_range_load(&loaded, &rd, 20), HG_EIO);
	assert_int_equal(loaded.size, 0);
	/* 19 leaves: the 20th completes subtrees; the store refuses the first */
	merkle_range_init(&r);
	for (int i = 0; i < 19; i++)
		assert_int_equal(merkle_range_append(&r, m.leaf[i], NULL, NULL), 0);
	before = r;
	assert_int_equal(merkle_range_append(&r, m.leaf[19], store_refuses, NULL), HG_EIO);
	assert_string_equal(hg_error_text(), "node 1/9: disk full");
	assert_memory_equal(&r, &before, sizeof r);
	mem_free(&m);
}

/* what is not a tree or a proof is refused with words */
static void test_bad_input(void **state)
{
	struct merkle_range r;
	struct mem m;
	struct merkle_reader rd, none = { 0 };
	struct merkle_proof p = { .count = 0 };
	uint8_t h[MERKLE_HASH] = { 0 };

	(void)state;
	mem_build(&m, 8, 0, &r);
	rd = mem_reader(&m);
	assert_int_equal(merkle_inclusion_proof(&rd, 8, 8, &p), HG_EINVAL);
	assert_string_equal(hg_error_text(), "leaf 8 is not in a tree of 8 leaves");
	assert_int_equal(merkle_inclusion_proof(&rd, 0, 0, &p), HG_EINVAL);
	assert_int_equal(merkle_consistency_proof(&rd, 5, 4, &p), HG_EINVAL);
	assert_string_equal(hg_error_text(), "a tree of 4 leaves cannot extend one of 5");
	assert_int_equal(merkle_root(&rd, MERKLE_SIZE_MAX, h), HG_EINVAL);
	assert_string_equal(hg_error_text(),
			    "size 9223372036854775808 is too big for a tree (at most 2^63 - 1)");
	assert_int_equal(merkle_root(&none, 1, h), HG_EINVAL);
	assert_int_equal(merkle_root(NULL, 1, h), HG_EINVAL);
	assert_int_equal(merkle_inclusion_verify(3, 3, h, &p, h), HG_EINVAL);
	assert_int_equal(merkle_consistency_verify(4, 3, h, h, &p), HG_EINVAL);
	p.count = MERKLE_PROOF_MAX + 1;
	assert_int_equal(merkle_inclusion_verify(0, 3, h, &p, h), HG_EINVAL);
	/* a full tree takes no more */
	merkle_range_init(&r);
	r.size = MERKLE_SIZE_MAX - 1;
	assert_int_equal(merkle_range_append(&r, h, NULL, NULL), HG_EINVAL);
	mem_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_known_roots),
		cmocka_unit_test(test_known_inclusion),
		cmocka_unit_test(test_known_consistency),
		cmocka_unit_test(test_inclusion_tampered),
		cmocka_unit_test(test_consistency_tampered),
		cmocka_unit_test(test_trees_agree),
		cmocka_unit_test(test_cost),
		cmocka_unit_test(test_store_fails),
		cmocka_unit_test(test_bad_input),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
