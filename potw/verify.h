/* verify.h: a station's log at the plant checked from its first event
 * (haulgate-potw verify --station ID).
 *
 * potw_verify_station() reads everything through potw/store.h, trusting
 * nothing the store derived: every event's hash and link recomputed
 * (core/chain.h), the Merkle tree grown again from the events' hashes
 * (core/merkle.h), every node the store kept compared with it, every
 * stored checkpoint's root compared with the tree of its size and its note
 * opened with the station's key and the plant's (both must have signed);
 * then the station's rec_* rows rebuilt from its events in scratch tables
 * and compared with those kept.
 *
 * Or from where the last verification ended (potw_verify_station_since(),
 * the background verifier's): that event's hash is still the one it ended
 * on, the events after it are checked linking on from it, the tree grown
 * on from its right edge then, the checkpoints past it checked, and the
 * rows of the loads those events touched rebuilt and compared
 * (potw_store_rows_check_since()).  What it does not look at again (the
 * events before, the rows no new event touched, the roster's, sources'
 * and RV visits' rows, the day sums) is the whole check's. */
#ifndef POTW_VERIFY_H
#define POTW_VERIFY_H

#include "store.h"
#include "../core/merkle.h"

struct potw_verify {
	long long events;	/* the log's size verified (from the mark on: those
				 * before it were checked by the pass that made it) */
	long long from;		/* from a mark: its size; 0: from the first event */
	long long checkpoints;	/* checkpoints checked */
	long long nodes;	/* kept tree nodes compared */
	long long rows;		/* rec_* rows compared */
	long long forks;	/* fork evidence rows (not a fault of the log held) */
	long long first_bad;	/* on a fault: the event, or the checkpoint's size */
	char what[16];		/* on a fault: "chain", "tree", "checkpoint" or "tables" */
	char why[300];
};

/* Check station id's log as held, with the plant's note key pk under
 * key_name.  HG_OK (r counts what was checked); HG_ECORRUPT with r->what,
 * r->first_bad and r->why; or the store's error. */
int potw_verify_station(struct potw_store *st, const char *id, const uint8_t pk[32],
			const char *key_name, struct potw_verify *r);

/* potw_verify_station(), given up between two events once *stop (read
 * atomically; NULL: never) is not 0: then HG_EBUSY, r's counts partial.
 * The rows check is one store call: the caller interrupts it its own way
 * (the background verifier's store handle, potw/verifier.c). */
int potw_verify_station_until(struct potw_store *st, const char *id, const uint8_t pk[32],
			      const char *key_name, const int *stop, struct potw_verify *r);

/* Where a verification ended, to go on from.  All zero: none (the next
 * one is whole). */
struct potw_verify_mark {
	long long size;			/* the events verified */
	uint8_t hash[32];		/* event size's chain hash */
	long long checkpoints;		/* the stored checkpoints of a size up to size */
	struct merkle_range tree;	/* the log's tree's right edge at size */
};

/* potw_verify_station_until() from *mark: whole when mark->size is 0, or
 * when a checkpoint of a size up to mark->size came since (its root needs
 * the tree of its size again); else the events after mark->size and the
 * rows of their loads (see above).  HG_OK with *mark moved to the log's
 * end; any other return leaves *mark as it was (the caller's to reset to
 * zero for a whole pass next).  A mark is of one station's log, as held by
 * one store. */
int potw_verify_station_since(struct potw_store *st, const char *id, const uint8_t pk[32],
			      const char *key_name, const int *stop,
			      struct potw_verify_mark *mark, struct potw_verify *r);

#endif
