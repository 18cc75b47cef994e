/* verifier.h: the stations' logs verified in the background, for the
 * stations' health (potw/page_stations.c), off the request path.
 *
 * `haulgate-potw serve` starts one thread (potw/server.c) with a store
 * handle of its own (POTW_STORE_READER: sqlite's WAL lets it read beside
 * the server's writer), so a verification never holds the server's store
 * lock.  It verifies each station in turn with potw/verify.c: the whole
 * log at start, every [web] verify_interval seconds and after a result
 * other than "verified"; from where the last good verification ended (the
 * new events and the rows of the loads they touched:
 * potw_verify_station_since()) once a station's log has grown and
 * VERIFY_SETTLE seconds have passed since.  The pages only read the last
 * results (potw_verifier_get()). */
#ifndef POTW_VERIFIER_H
#define POTW_VERIFIER_H

#include <stdint.h>
#include "../core/hg.h"

enum potw_verified_state {
	POTW_VERIFIED_NOT_YET = 0,	/* not verified since the server started */
	POTW_VERIFIED_OK,
	POTW_VERIFIED_BROKEN
};

/* A station's last verification. */
struct potw_verified {
	enum potw_verified_state state;
	long long size;		/* OK: the events verified; BROKEN: those held then */
	hg_time at;		/* when it ended (0: not yet) */
	long long first_bad;	/* BROKEN: the event or checkpoint at fault (0: the rows) */
	char what[16];		/* BROKEN: "chain", "tree", "checkpoint" or "tables" */
};

struct potw_verifier;

/* Start the thread verifying the stations of the sqlite database db with
 * the plant's note key pk under key_name, each whole again every interval
 * seconds (at least 1).  HG_OK with *out, or an error (nothing started).
 * The thread opens its own handle; if it cannot, it says why on stderr and
 * every station stays "not yet verified". */
int potw_verifier_start(const char *db, const uint8_t pk[32], const char *key_name,
			int interval, struct potw_verifier **out);

/* Stop the thread (a verification under way is given up between two
 * events, or inside the rows check), join it and free v.  NULL: nothing. */
void potw_verifier_stop(struct potw_verifier *v);

/* Station id's last result into *out (POTW_VERIFIED_NOT_YET when none, or
 * v is NULL).  Takes the results' mutex briefly; never verifies. */
void potw_verifier_get(struct potw_verifier *v, const char *id, struct potw_verified *out);

#endif
