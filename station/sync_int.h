/* sync_int.h: what station/sync.c (the round, the export) and
 * station/sync_batch.c (a batch's body written) share.  Not for anyone
 * else: the interface is station/sync.h.  Exported for the unit test
 * tests/unit/test_sync_batch.c. */
#ifndef SYNC_INT_H
#define SYNC_INT_H

#include <stddef.h>
#include <stdint.h>

#include "../core/merkle.h"
#include "../db/store.h"

/* A growing buffer with a hard cap (curl's dynbuf): the plant's answers and
 * the batches' bodies.  Zero it and set max before the first use; p is
 * always NUL-terminated after len bytes once anything was added. */
struct sync_buf {
	char *p;
	size_t len, cap, max;
	int over;		/* more than max was offered */
};

/* Append n bytes: 0, or -1 when the buffer would pass max (over set, the
 * buffer as it was) or memory ran out (over not set). */
int sync_buf_add(struct sync_buf *b, const void *data, size_t n);

/* Free the buffer's memory; it can be used again (empty, the same max). */
void sync_buf_free(struct sync_buf *b);

/* The JSON string of s's first n bytes (or up to a NUL before them), with
 * its quotes, appended to b: the very bytes cJSON_PrintUnformatted() writes
 * for that string (", \ and the control characters escaped, \b \f \n \r \t
 * short, the others as \u00XX; every other byte as it is, UTF-8 or not),
 * so the plant's cJSON reads back s.  0, or -1 as sync_buf_add(). */
int sync_json_string(struct sync_buf *b, const char *s, size_t n);

/* A batch being built, and after: how far the log's Merkle tree reaches
 * with it. */
struct sync_batch {
	struct merkle_range range;	/* the right edge at the batch's end */
	long long n;			/* its events */
	size_t bytes;			/* the estimated body (the cut rule's) */
	struct sync_buf *body;		/* where the body is written (the caller's) */
};

/* Write into body (emptied first, kept: its memory is reused batch after
 * batch; body->max should be SYNC_BODY_MAX) the body of the batch of at
 * most max events of st's log from event from on, with the checkpoint of
 * the log up to the batch's last event signed with sk under origin: what a
 * round POSTs to /api/v1/sync/events and what `sync export` writes a line
 * of.  The JSON is byte for byte what the builder of a cJSON tree printed
 * before (cJSON_PrintUnformatted() of {"from", "events": [{"seq", "ts",
 * "type", "load_no", "actor", "detail", "prev_hash", "hash"}...],
 * "checkpoint"}; numbers as whole decimals), and the batch is cut where it
 * was: at max events, or before an event whose estimated size would take
 * the body past SYNC_BODY_MAX - NOTE_MAX.  start is the right edge at
 * from - 1; b->range becomes the edge at the batch's end, root its root.
 * HG_OK with b->n events (0: there is no event from there, body empty), or
 * an HG_E* code with the words through hg_fail() (HG_ETOOLONG: the body
 * would pass SYNC_BODY_MAX). */
int sync_batch_build(struct store *st, const char *origin, const uint8_t *sk, long long from,
		     const struct merkle_range *start, long long max, struct sync_buf *body,
		     struct sync_batch *b, uint8_t root[32]);

#endif
