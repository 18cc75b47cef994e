/* store_holds.h: legal holds, the plant's own records (potw/store_holds.c;
 * the table is schema version POTW_HOLDS_VERSION).
 *
 * A coordinator sets a hold on a hauler (the plant roster's id, at one
 * station or at all) or on a load (a station's load number), with a
 * reason; it keeps what it covers past its three years (potw/retention.h)
 * until a coordinator releases it.  A released hold stays, with who
 * released it and when: a hold is never deleted (the table refuses it).
 * Setting and releasing are each one transaction with their staff log
 * entry ("hold.set", "hold.release"), synced before they return.  Errors:
 * 0 or a negative HG_E* code, the words in hg_error_text(). */
#ifndef POTW_STORE_HOLDS_H
#define POTW_STORE_HOLDS_H

#include <sqlite3.h>

#include "retention.h"
#include "store.h"

#define POTW_HOLDS_VERSION 9		/* the schema version that brings the table */
#define POTW_HOLD_REASON_MAX 500	/* characters of a hold's reason */

struct potw_hold {
	long long id;
	char station[POTW_STATION_ID_MAX + 1];	/* "": a hauler's hold at every station */
	long long hauler_id;			/* a hauler's hold: its plant roster id */
	long long load_no;			/* a load's hold: its number; 0: a hauler's */
	char reason[HG_BUF(POTW_HOLD_REASON_MAX)];
	hg_time set;
	char set_by[POTW_ACTOR_MAX + 1];
	hg_time released;			/* 0: in force */
	char released_by[POTW_ACTOR_MAX + 1];
};

/* Set a hold: h->load_no > 0 a load's (h->station's, which the plant must
 * hold), else hauler h->hauler_id's (in the plant's roster, or in
 * h->station's own; h->station "": at every station); h->reason one line
 * of text.  By actor at now,
 * with its staff log entry, in one transaction; *id its number.
 * HG_EINVAL (a bad reason or subject), HG_ENOTFOUND (no such load,
 * hauler or station). */
int potw_hold_set(struct potw_store *st, const struct potw_hold *h, const char *actor,
		  hg_time now, long long *id);
/* Release hold id by actor at now, with its staff log entry, in one
 * transaction; the row stays.  HG_ENOTFOUND; HG_EEXIST (released
 * already: nothing changes). */
int potw_hold_release(struct potw_store *st, long long id, const char *actor, hg_time now);
/* fn for every hold (those in force only with in_force), oldest first,
 * until it returns non-zero (returned). */
int potw_holds_each(struct potw_store *st, int in_force,
		    int (*fn)(const struct potw_hold *h, void *ctx), void *ctx);
/* The holds in force on station's load load_no (on it, or on its hauler
 * there: hauler_id unused), or, with load_no 0, on hauler hauler_id (at
 * station, or at any station when station is NULL), into *n. */
int potw_holds_on(struct potw_store *st, const char *station, long long load_no,
		  long long hauler_id, long long *n);

/* A station's loads as the retention rule judges them as of as_of. */
struct potw_retention_row {
	char station[POTW_STATION_ID_MAX + 1];
	long long loads, past, held;	/* all, past their three years, of those held */
};
/* fn for every station (by id) with its counts (retention_day() on every
 * load of rec_loads, the holds in force).  Reads only. */
int potw_retention_each(struct potw_store *st, const char *as_of,
			int (*fn)(const struct potw_retention_row *r, void *ctx), void *ctx);

/* For store_sqlite.c: the CREATE statements, and the migration from
 * POTW_HOLDS_VERSION - 1 (path: for the words), one transaction. */
extern const char potw_holds_schema[];
int potw_sq_holds_migrate(sqlite3 *db, const char *path);

#endif
