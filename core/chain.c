/* chain.c: an event's canonical bytes and its hash in the log's chain.
 *
 * The bytes are text lines, one per field: seq, ts, type, load_no, actor,
 * detail, each followed by '\n', numbers in plain decimal (docs/SCHEMA.md).
 * The hash is SHA-256(prev_hash || bytes) through libsodium, streamed, so a
 * detail of any length is hashed without a copy.  Start reading at
 * chain_hash(). */
#include <string.h>

#include <sodium.h>

#include "chain.h"

/* Decimal of v followed by '\n' at p; returns the end. */
static char *put_dec(char *p, long long v)
{
	char tmp[24];
	int n = 0;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*p++ = '-';
	while (n)
		*p++ = tmp[--n];
	*p++ = '\n';
	return p;
}

static char *put_str(char *p, const char *s, size_t n)
{
	memcpy(p, s, n);
	p += n;
	*p++ = '\n';
	return p;
}

size_t chain_head(char *buf, const struct chain_event *e)
{
	const char *type = e->type ? e->type : "", *actor = e->actor ? e->actor : "";
	char *p = buf;

	p = put_dec(p, e->seq);
	p = put_dec(p, e->ts);
	p = put_str(p, type, strlen(type));
	p = put_dec(p, e->load_no);
	p = put_str(p, actor, strlen(actor));
	return (size_t)(p - buf);
}

int chain_bytes(char *buf, size_t cap, const struct chain_event *e)
{
	size_t tlen = strlen(e->type ? e->type : ""), alen = strlen(e->actor ? e->actor : "");
	const char *detail = e->detail ? e->detail : "";
	size_t dlen = strlen(detail), n;

	if (CHAIN_HEAD_MAX(tlen, alen) + dlen + 1 > cap)
		return HG_ETOOLONG;
	n = chain_head(buf, e);
	n = (size_t)(put_str(buf + n, detail, dlen) - buf);
	return (int)n;
}

void chain_hash(const uint8_t prev[CHAIN_HASH], const struct chain_event *e,
		uint8_t out[CHAIN_HASH])
{
	crypto_hash_sha256_state h;
	size_t tlen = strlen(e->type ? e->type : ""), alen = strlen(e->actor ? e->actor : "");
	const char *detail = e->detail ? e->detail : "";
	char small[CHAIN_HEAD_MAX(64, 64)];

	crypto_hash_sha256_init(&h);
	crypto_hash_sha256_update(&h, prev, CHAIN_HASH);
	if (tlen <= 64 && alen <= 64) {
		crypto_hash_sha256_update(&h, (const unsigned char *)small, chain_head(small, e));
	} else {
		/* a long type or actor (refused by the store, but hashed as it is) */
		char num[24];
		char *end;

		end = put_dec(num, e->seq);
		crypto_hash_sha256_update(&h, (const unsigned char *)num, (size_t)(end - num));
		end = put_dec(num, e->ts);
		crypto_hash_sha256_update(&h, (const unsigned char *)num, (size_t)(end - num));
		crypto_hash_sha256_update(&h, (const unsigned char *)(e->type ? e->type : ""), tlen);
		crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
		end = put_dec(num, e->load_no);
		crypto_hash_sha256_update(&h, (const unsigned char *)num, (size_t)(end - num));
		crypto_hash_sha256_update(&h, (const unsigned char *)(e->actor ? e->actor : ""), alen);
		crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	}
	crypto_hash_sha256_update(&h, (const unsigned char *)detail, strlen(detail));
	crypto_hash_sha256_update(&h, (const unsigned char *)"\n", 1);
	crypto_hash_sha256_final(&h, out);
}
