/* relay_slots.h: the per-relay table the hardware relay backends share.
 *
 * The Modbus and GPIO backends both keep one slot per configured relay: its
 * name, its address on the device (coil or line offset), whether it is wired
 * active-low, and whether the last set of it succeeded with on.  "A relay in
 * doubt is off": a backend clears .on whenever a set fails, so nothing keeps
 * a relay it is not sure of energised (no heartbeat for it, nothing to
 * restore).
 *
 * The heartbeat loop is here too (struct relay_beat): both backends feed an
 * external watchdog every RELAY_BEAT_MS while any relay is on and nothing
 * while none is; only how one beat is given differs (a Modbus register
 * write, a GPIO line toggle), so that is the backend's callback.  Only the
 * .c files of drivers/ include this. */
#ifndef RELAY_SLOTS_H
#define RELAY_SLOTS_H

#include "../core/hg.h"

#include <pthread.h>

#define RELAY_SLOTS_MAX 32
#define RELAY_NAME_MAX 31	/* bytes of a relay name */

struct relay_slot {
	char name[RELAY_NAME_MAX + 1];
	int addr;		/* coil address or line offset */
	int active_low;		/* on = line low (GPIO only) */
	int on;			/* last set succeeded with on */
};

/* Fill slot[0..n) from the config's names[] and per-relay args[]: each arg is
 * "<addr>" in [0, max_addr], or "<addr>,active-low" when active_low_ok.
 * HG_OK, or HG_EINVAL for no relays, more than RELAY_SLOTS_MAX, a name
 * missing or too long, a bad arg, or a name or address given twice. */
int relay_slots_init(struct relay_slot *slot, const char *const *names,
		     const char *const *args, int n, long max_addr, int active_low_ok);

/* Index of the relay called name, or -1. */
int relay_slots_find(const struct relay_slot *slot, int n, const char *name);

/* 1 when any relay is on (as last set), else 0. */
int relay_slots_any_on(const struct relay_slot *slot, int n);

/* ---- the heartbeat thread ---- */

#define RELAY_BEAT_MS 200	/* heartbeat period while a relay is on */

/* Called every RELAY_BEAT_MS with b->lock held; any_on says whether any of
 * the slots is on (as last set).  The backend beats when any_on, and may do
 * its own upkeep either way (the Modbus backend reconnects). */
typedef void (*relay_beat_fn)(void *ctx, int any_on);

struct relay_beat {
	pthread_mutex_t lock;	/* the backend's device lock too: take it in
				 * set/get around anything the callback touches */
	pthread_cond_t wake;
	pthread_t thread;
	int stop;
	const struct relay_slot *slot;
	int n;
	relay_beat_fn fn;
	void *ctx;
};

/* Set up b's lock and start its thread calling fn(ctx, any_on) every
 * RELAY_BEAT_MS over slot[0..n).  HG_OK, or HG_ENOMEM with nothing left to
 * undo. */
int relay_beat_start(struct relay_beat *b, const struct relay_slot *slot, int n,
		     relay_beat_fn fn, void *ctx);

/* Stop and join the thread, free the lock; fn is not called after this
 * returns.  Only after a successful relay_beat_start(). */
void relay_beat_stop(struct relay_beat *b);

#endif
