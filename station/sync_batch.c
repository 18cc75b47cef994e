/* sync_batch.c: a batch of the event log written as the JSON body of
 * POST /api/v1/sync/events (docs/SYNC.md), for a round and for `sync
 * export` alike (station/sync_int.h).
 *
 * The body goes straight into one growing buffer that the caller keeps from
 * batch to batch, as the events come out of the store: no tree of cJSON
 * objects to build, print and free a thousand times a batch.  What it
 * writes is byte for byte what cJSON_PrintUnformatted() printed of that
 * tree (tests/unit/test_sync_batch.c compares the two, hostile text
 * included): sync_json_string() escapes exactly the bytes cJSON escapes, in
 * cJSON's way, so the plant's parser reads back the very text that was
 * hashed.  Start reading at sync_batch_build(). */
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "sync.h"
#include "sync_int.h"
#include "../core/note.h"
#include "../core/report.h"

/* an event's JSON beyond its texts: numbers, names, two base64 hashes (the
 * cut rule's estimate: the texts count twice, for their escapes) */
#define EVENT_JSON_OVERHEAD 320
#define B64_32 sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_ORIGINAL)

/* ---- the buffer ---- */

int sync_buf_add(struct sync_buf *b, const void *data, size_t n)
{
	if (n > b->max - b->len) {
		b->over = 1;
		return -1;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *p;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (cap > b->max + 1)
			cap = b->max + 1;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return 0;
}

void sync_buf_free(struct sync_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
	b->over = 0;
}

/* ---- JSON ---- */

int sync_json_string(struct sync_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s, *run = p, *end;

	end = memchr(s, '\0', n);	/* cJSON's strings end at a NUL */
	if (!end)
		end = p + n;
	if (sync_buf_add(b, "\"", 1))
		return -1;
	for (; p < end; p++) {
		char esc[6] = { '\\', 0, '0', '0', 0, 0 };
		size_t k = 2;

		if (*p >= 0x20 && *p != '"' && *p != '\\')
			continue;
		switch (*p) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:	/* cJSON's "u%04x" */
			esc[1] = 'u';
			esc[4] = hex[*p >> 4];
			esc[5] = hex[*p & 15];
			k = 6;
			break;
		}
		if (sync_buf_add(b, run, (size_t)(p - run)) || sync_buf_add(b, esc, k))
			return -1;
		run = p + 1;
	}
	if (sync_buf_add(b, run, (size_t)(end - run)) || sync_buf_add(b, "\"", 1))
		return -1;
	return 0;
}

/* A whole number in decimal, as cJSON prints a whole double below 10^15
 * (every seq, time and load number of a log). */
static int json_number(struct sync_buf *b, long long v)
{
	char t[24], *q = t + sizeof t;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;

	do {
		*--q = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--q = '-';
	return sync_buf_add(b, q, (size_t)(t + sizeof t - q));
}

static int json_hash(struct sync_buf *b, const uint8_t h[32])
{
	char t[B64_32 + 2];

	t[0] = '"';
	sodium_bin2base64(t + 1, B64_32, h, 32, sodium_base64_VARIANT_ORIGINAL);
	t[B64_32] = '"';	/* over the base64's NUL */
	return sync_buf_add(b, t, B64_32 + 1);
}

#define LIT(b, s) sync_buf_add((b), (s), sizeof(s) - 1)

/* ---- the batch ---- */

/* One event into the batch: 1 stops it (the body is full, the event not
 * taken), as it is. */
static int add_event(void *arg, const struct store_event_row *ev)
{
	struct sync_batch *b = arg;
	struct sync_buf *o = b->body;
	size_t est = EVENT_JSON_OVERHEAD + 2 * (ev->detail_len + strlen(ev->actor));
	uint8_t leaf[32];
	int rc;

	if (b->n > 0 && b->bytes + est > SYNC_BODY_MAX - NOTE_MAX)
		return 1;
	if ((b->n > 0 && LIT(o, ",")) ||
	    LIT(o, "{\"seq\":") || json_number(o, ev->seq) ||
	    LIT(o, ",\"ts\":") || json_number(o, ev->ts) ||
	    LIT(o, ",\"type\":") || sync_json_string(o, ev->type, strlen(ev->type)) ||
	    LIT(o, ",\"load_no\":") || json_number(o, ev->load_no) ||
	    LIT(o, ",\"actor\":") || sync_json_string(o, ev->actor, strlen(ev->actor)) ||
	    LIT(o, ",\"detail\":") || sync_json_string(o, ev->detail, ev->detail_len) ||
	    LIT(o, ",\"prev_hash\":") || json_hash(o, ev->prev_hash) ||
	    LIT(o, ",\"hash\":") || json_hash(o, ev->hash) || LIT(o, "}"))
		return o->over ? HG_ETOOLONG : hg_fail(HG_ENOMEM, "out of memory");
	merkle_leaf_hash(ev->hash, leaf);
	rc = merkle_range_append(&b->range, leaf, NULL, NULL);
	if (rc)
		return rc;
	b->bytes += est;
	b->n++;
	return 0;
}

int sync_batch_build(struct store *st, const char *origin, const uint8_t *sk, long long from,
		     const struct merkle_range *start, long long max, struct sync_buf *body,
		     struct sync_batch *b, uint8_t root[32])
{
	char text[NOTE_MAX], note[NOTE_MAX];
	size_t tlen, nlen;
	long long n = 0;
	int rc;

	b->range = *start;
	b->n = 0;
	b->bytes = 0;
	b->body = body;
	body->len = 0;
	body->over = 0;
	if (LIT(body, "{\"from\":") || json_number(body, from) || LIT(body, ",\"events\":["))
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = store_events_read(st, from, max, add_event, b, &n);
	if (rc == 1)
		rc = HG_OK;	/* full: what was read goes */
	if (rc == HG_ETOOLONG && body->over)
		rc = hg_fail(HG_ETOOLONG, "the batch from event %lld is over %u bytes", from,
			     SYNC_BODY_MAX);
	if (rc || b->n == 0) {
		body->len = 0;
		b->n = 0;
		return rc;
	}
	merkle_range_root(&b->range, root);
	rc = note_checkpoint_text(origin, b->range.size, root, text, sizeof text, &tlen);
	if (!rc)
		rc = note_sign(text, tlen, origin, sk, note, sizeof note, &nlen);
	if (rc)
		goto fail;
	if (LIT(body, "],\"checkpoint\":") || sync_json_string(body, note, nlen) ||
	    LIT(body, "}")) {
		rc = body->over ? hg_fail(HG_ETOOLONG, "the batch from event %lld is over %u bytes",
					  from, SYNC_BODY_MAX) : hg_fail(HG_ENOMEM, "out of memory");
		goto fail;
	}
	return HG_OK;
fail:
	body->len = 0;
	b->n = 0;
	return rc;
}
