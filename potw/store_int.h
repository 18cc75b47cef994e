/* store_int.h: what a storage backend of potw/store.c provides.
 *
 * A backend is one `const struct potw_store_ops` of functions over its own
 * struct, which begins with a struct potw_store (the part store.c reads).
 * The ops get their arguments checked already (store.c checks ids, names
 * and a batch's own chain); they speak to the database: one transaction per
 * call, uniqueness from the database's keys.  Only store.c and the
 * backends include this header. */
#ifndef POTW_STORE_INT_H
#define POTW_STORE_INT_H

#include <pthread.h>

#include "store.h"
#include "../core/record.h"

struct potw_store_ops;

/* The first member of every backend's store.  mu (recursive, set up by
 * store.c after the backend's open) makes one caller at a time use the
 * backend's one connection: a transaction belongs to a connection, and the
 * server's threads share it.  It orders calls of one process; two
 * processes on one database still rely on the database alone. */
struct potw_store {
	const struct potw_store_ops *ops;
	pthread_mutex_t mu;
};

struct potw_store_ops {
	const char *name;
	/* Does where name a database of this backend?  1 or 0. */
	int (*handles)(const char *where);
	int (*open)(const char *where, int flags, struct potw_store **out);
	void (*close)(struct potw_store *st);
	int (*station_add)(struct potw_store *st, const struct potw_station *s);
	int (*station_retire)(struct potw_store *st, const char *id, hg_time when);
	int (*station_get)(struct potw_store *st, const char *id, struct potw_station *out);
	int (*station_each)(struct potw_store *st,
			    int (*fn)(const struct potw_station *s, void *ctx), void *ctx);
	/* A write transaction (sqlite: BEGIN IMMEDIATE), its end. */
	int (*begin)(struct potw_store *st);
	int (*commit)(struct potw_store *st);
	void (*rollback)(struct potw_store *st);
	/* Return once what was committed on st is on disk: with id, station
	 * id's latest transaction (a backend may wait for more); with NULL,
	 * every commit before the call.  Called without st->mu, by several
	 * threads at once: a backend that syncs inside its COMMIT returns
	 * HG_OK. */
	int (*durable)(struct potw_store *st, const char *id);
	/* Inside a transaction: ev[0..n) (checked among themselves already by
	 * store.c) against what is held.  HG_OK with *first the index of the
	 * first new event (n: all held already, counted in r->dup) stored from
	 * there on, *held_before the size before; HG_EEXIST a fork (evidence
	 * written: the caller commits); HG_EREFUSED a gap or a retired station,
	 * r->fault set (the caller rolls back); HG_ENOTFOUND, HG_EIO. */
	int (*events_put)(struct potw_store *st, const char *id, const struct potw_event *ev,
			  size_t n, hg_time now, size_t *first, long long *held_before,
			  struct potw_append_result *r);
	/* One row change of station id's copy of the record. */
	int (*project)(struct potw_store *st, const char *id, const struct rec_change *c);
	/* The tree's kept nodes (level a multiple of POTW_NODE_EVERY): get
	 * returns 1 (out filled), 0 (not kept) or an error. */
	int (*node_put)(struct potw_store *st, const char *id, unsigned level, uint64_t index,
			const uint8_t hash[32]);
	int (*node_get)(struct potw_store *st, const char *id, unsigned level, uint64_t index,
			uint8_t out[32]);
	int (*event_hash)(struct potw_store *st, const char *id, long long seq, uint8_t out[32]);
	/* Store cp unless a checkpoint of its size is there (then HG_OK when its
	 * root is the same, HG_EREFUSED when not). */
	int (*checkpoint_put)(struct potw_store *st, const char *id,
			      const struct potw_checkpoint *cp);
	int (*checkpoint_get)(struct potw_store *st, const char *id, long long size, int below,
			      struct potw_checkpoint *cp);
	int (*log_state)(struct potw_store *st, const char *id, struct potw_log_state *out);
	int (*station_touch)(struct potw_store *st, const char *id, hg_time now);
	int (*events_each)(struct potw_store *st, const char *id,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx);
	/* The events after number after, at most limit of them (-1: all). */
	int (*events_after)(struct potw_store *st, const char *id, long long after,
			    long long limit, int (*fn)(const struct potw_event *e, void *ctx),
			    void *ctx);
	int (*forks_each)(struct potw_store *st, const char *id,
			  int (*fn)(const struct potw_fork *f, void *ctx), void *ctx);
	int (*rows_check)(struct potw_store *st, const char *id, long long after,
			  struct potw_rows_check *out);
	int (*checkpoints_each)(struct potw_store *st, const char *id,
				int (*fn)(const struct potw_checkpoint *cp, void *ctx), void *ctx);
	/* The plant's own log (POTW_PLANT_LOG): its stations row made once
	 * (the plant's key in it, so no station can take that key), inside the
	 * caller's transaction. */
	int (*log_open)(struct potw_store *st, const uint8_t pk[32], hg_time now);
	/* The plant's roster (the plant log's rec_* rows): the next id of
	 * table, whether row id is there (1, 0 or an error), which card or
	 * operator has uid (1 with *id and *op, 0 none). */
	int (*roster_next_id)(struct potw_store *st, const char *table, long long *id);
	int (*roster_has)(struct potw_store *st, const char *table, long long id);
	int (*roster_uid)(struct potw_store *st, const char *uid, long long *id, int *op);
	/* Every row of station id's rec_<t> in the order written, its columns
	 * as text in t's order ("" for NULL). */
	int (*rec_each)(struct potw_store *st, const char *id, const struct rec_table *t,
			int (*fn)(const char *const *cells, void *ctx), void *ctx);
	/* rec_each()'s rows whose first column (the key: loads' and
	 * load_sources' load_no) is key. */
	int (*rec_key)(struct potw_store *st, const char *id, const struct rec_table *t,
		       long long key, int (*fn)(const char *const *cells, void *ctx), void *ctx);
	/* The events of station id's load load_no, in order. */
	int (*load_events)(struct potw_store *st, const char *id, long long load_no,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx);
	/* A listing of the rec_* tables (potw_listing_source) as f asks. */
	int (*list)(struct potw_store *st, enum listing_kind kind, const struct listing_filter *f,
		    struct table **out);
};

/* Where the plant's listings read (potw/store_list.c): the rec_* tables,
 * their station column. */
extern const struct listing_source potw_listing_source;

extern const struct potw_store_ops potw_store_sqlite;

#endif
