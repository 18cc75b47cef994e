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
 * and compared with those kept. */
#ifndef POTW_VERIFY_H
#define POTW_VERIFY_H

#include "store.h"

struct potw_verify {
	long long events;	/* events checked */
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

#endif
