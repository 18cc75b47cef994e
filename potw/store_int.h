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

#include "store.h"

struct potw_store_ops;

/* The first member of every backend's store. */
struct potw_store {
	const struct potw_store_ops *ops;
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
	/* ev[0..n) checked among themselves already (store.c) */
	int (*events_append_batch)(struct potw_store *st, const char *id,
				   const struct potw_event *ev, size_t n, hg_time now,
				   struct potw_append_result *r);
};

extern const struct potw_store_ops potw_store_sqlite;

#endif
