/* tlog_emit: writes a log's checkpoints and proofs, made by core/merkle.c
 * and core/note.c, for Go's checker (tests/peers/tlogcheck) to judge in
 * tests/cli/test_tlog_go.sh.
 *
 *	tlog_emit DIR N M
 *
 * makes N random chain hashes (the leaves: 2 <= M < N), a station key and a
 * plant key, and writes into DIR:
 *   station.vkey, plant.vkey   the verifier keys (name+keyid+key)
 *   other.vkey                 another key under the station's name
 *   leaves.txt                 the N chain hashes, base64, one a line
 *   cp-S.note                  the checkpoint of size S, signed by the
 *                              station and cosigned by the plant, for S in
 *                              1, M, N and the powers of two below N
 *   incl-I-S.json              inclusion proofs of leaf I in the tree of S
 *   cons-A-B.json              consistency proofs from size A to size B
 *   rewritten.note             a well-signed checkpoint of size N over a log
 *                              whose leaf 7 was changed: its root is not the
 *                              tree's
 * Leaves are read through a struct merkle_reader over an array, as a store
 * would feed them; the roots come from a merkle_range grown leaf by leaf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "../../core/merkle.h"
#include "../../core/note.h"
#include "../../core/report.h"

#define ORIGIN_ID "demo-01"
#define PLANT "haulgate.potw/demo-plant"
#define MAX_LEAVES 100000

static uint8_t (*chain)[MERKLE_HASH];	/* the events' chain hashes */
static uint8_t (*leaf)[MERKLE_HASH];	/* their RFC 6962 leaf hashes */
static uint8_t (*root)[MERKLE_HASH];	/* root[s]: the tree of the first s */
static const char *dir;
static char origin[NOTE_NAME_MAX + 1];
static uint8_t st_sk[NOTE_SECRET], pl_sk[NOTE_SECRET];

static int die(const char *what)
{
	fprintf(stderr, "tlog_emit: %s: %s\n", what, hg_error_text());
	exit(1);
}

static int read_leaf(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH])
{
	(void)ctx;
	memcpy(out, leaf[index], MERKLE_HASH);
	return 0;
}

static FILE *create(const char *fmt, unsigned long long a, unsigned long long b)
{
	char name[256], path[4096];
	FILE *f;

	snprintf(name, sizeof name, fmt, a, b);
	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(1);
	}
	return f;
}

static void put_b64(FILE *f, const uint8_t *h)
{
	char s[sodium_base64_ENCODED_LEN(MERKLE_HASH, sodium_base64_VARIANT_ORIGINAL)];

	sodium_bin2base64(s, sizeof s, h, MERKLE_HASH, sodium_base64_VARIANT_ORIGINAL);
	fputs(s, f);
}

static void put_hashes(FILE *f, const struct merkle_proof *p)
{
	fputs("\"hashes\":[", f);
	for (size_t i = 0; i < p->count; i++) {
		fputs(i ? ",\"" : "\"", f);
		put_b64(f, p->hash[i]);
		fputc('"', f);
	}
	fputs("]}\n", f);
}

/* the checkpoint of size with root r, signed and cosigned, into f */
static void put_note(FILE *f, uint64_t size, const uint8_t r[MERKLE_HASH])
{
	char text[512], signed1[1024], co[2048];
	size_t tlen, slen, clen;

	if (note_checkpoint_text(origin, size, r, text, sizeof text, &tlen))
		die("checkpoint");
	if (note_sign(text, tlen, origin, st_sk, signed1, sizeof signed1, &slen))
		die("sign");
	if (note_cosign(signed1, slen, PLANT, pl_sk, co, sizeof co, &clen))
		die("cosign");
	fwrite(co, 1, clen, f);
}

static void checkpoint(uint64_t size)
{
	FILE *f = create("cp-%llu.note", size, 0);

	put_note(f, size, root[size]);
	fclose(f);
}

static void inclusion(const struct merkle_reader *rd, uint64_t index, uint64_t size)
{
	struct merkle_proof p;
	FILE *f;

	if (merkle_inclusion_proof(rd, index, size, &p))
		die("inclusion proof");
	if (merkle_inclusion_verify(index, size, leaf[index], &p, root[size]))
		die("own inclusion check");
	f = create("incl-%llu-%llu.json", index, size);
	fprintf(f, "{\"event\":%llu,\"index\":%llu,\"size\":%llu,\"hash\":\"",
		(unsigned long long)index + 1, (unsigned long long)index, (unsigned long long)size);
	put_b64(f, chain[index]);
	fputs("\",", f);
	put_hashes(f, &p);
	fclose(f);
}

static void consistency(const struct merkle_reader *rd, uint64_t from, uint64_t to)
{
	struct merkle_proof p;
	FILE *f;

	if (merkle_consistency_proof(rd, from, to, &p))
		die("consistency proof");
	if (merkle_consistency_verify(from, to, root[from], root[to], &p))
		die("own consistency check");
	f = create("cons-%llu-%llu.json", from, to);
	fprintf(f, "{\"from\":%llu,\"to\":%llu,", (unsigned long long)from,
		(unsigned long long)to);
	put_hashes(f, &p);
	fclose(f);
}

static void vkey(const char *file, const char *name, const uint8_t pk[NOTE_PUBLIC])
{
	char v[NOTE_VKEY_MAX];
	FILE *f = create(file, 0, 0);

	if (note_vkey(name, pk, v, sizeof v))
		die("verifier key");
	fprintf(f, "%s\n", v);
	fclose(f);
}

int main(int argc, char **argv)
{
	struct merkle_reader rd = { .leaf = read_leaf };
	struct merkle_range r;
	uint8_t other_pk[NOTE_PUBLIC], other_sk[NOTE_SECRET], pk[NOTE_PUBLIC], bad[MERKLE_HASH];
	uint64_t n, m;
	FILE *f;

	if (argc != 4 || sodium_init() < 0) {
		fprintf(stderr, "usage: tlog_emit DIR N M (2 <= M < N <= %d)\n", MAX_LEAVES);
		return 2;
	}
	dir = argv[1];
	n = strtoull(argv[2], NULL, 10);
	m = strtoull(argv[3], NULL, 10);
	if (m < 2 || m >= n || n > MAX_LEAVES) {
		fprintf(stderr, "usage: tlog_emit DIR N M (2 <= M < N <= %d)\n", MAX_LEAVES);
		return 2;
	}
	chain = calloc(n, MERKLE_HASH);
	leaf = calloc(n, MERKLE_HASH);
	root = calloc(n + 1, MERKLE_HASH);
	if (!chain || !leaf || !root)
		return 1;
	if (note_station_origin(ORIGIN_ID, origin, sizeof origin))
		die("origin");
	crypto_sign_keypair(pk, st_sk);
	vkey("station.vkey", origin, pk);
	crypto_sign_keypair(pk, pl_sk);
	vkey("plant.vkey", PLANT, pk);
	crypto_sign_keypair(other_pk, other_sk);
	vkey("other.vkey", origin, other_pk);

	/* the leaves, and the root of every size through the right edge */
	merkle_range_init(&r);
	merkle_range_root(&r, root[0]);
	f = create("leaves.txt", 0, 0);
	for (uint64_t i = 0; i < n; i++) {
		randombytes_buf(chain[i], MERKLE_HASH);
		merkle_leaf_hash(chain[i], leaf[i]);
		if (merkle_range_append(&r, leaf[i], NULL, NULL))
			die("append");
		merkle_range_root(&r, root[i + 1]);
		put_b64(f, chain[i]);
		fputc('\n', f);
	}
	fclose(f);

	/* checkpoints: 1, M, N, the powers of two */
	checkpoint(1);
	checkpoint(m);
	checkpoint(n);
	for (uint64_t s = 2; s < n; s *= 2)
		checkpoint(s);

	/* inclusion proofs in N and in M: the ends, the middle, a power of two */
	const uint64_t idx[] = { 0, 1, m - 1, m, n / 2, n - 2, n - 1, 64 < n ? 64 : n - 1 };

	for (size_t i = 0; i < sizeof idx / sizeof idx[0]; i++) {
		inclusion(&rd, idx[i], n);
		if (idx[i] < m)
			inclusion(&rd, idx[i], m);
	}
	inclusion(&rd, 0, 1);

	/* consistency proofs between the checkpoints */
	consistency(&rd, 1, n);
	consistency(&rd, m, n);
	consistency(&rd, 1, m);
	consistency(&rd, n, n);
	for (uint64_t s = 2; s < n; s *= 2) {
		consistency(&rd, s, n);
		if (s < m)
			consistency(&rd, s, m);
		else
			consistency(&rd, m, s);
	}

	/* a log rewritten at leaf 7: a good signature over a root not the tree's */
	memcpy(bad, chain[7], MERKLE_HASH);
	bad[0] ^= 1;
	merkle_leaf_hash(bad, leaf[7]);
	if (merkle_root(&rd, n, bad))
		die("root");
	f = create("rewritten.note", 0, 0);
	put_note(f, n, bad);
	fclose(f);
	printf("tlog_emit: %llu leaves, checkpoints of %s in %s\n", (unsigned long long)n, origin,
	       dir);
	free(chain);
	free(leaf);
	free(root);
	return 0;
}
