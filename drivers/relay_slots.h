/* relay_slots.h: the per-relay table the hardware relay backends share.
 *
 * The Modbus and GPIO backends both keep one slot per configured relay: its
 * name, its address on the device (coil or line offset), whether it is wired
 * active-low, and whether the last set of it succeeded with on.  "A relay in
 * doubt is off": a backend clears .on whenever a set fails, so nothing keeps
 * a relay it is not sure of energised (no heartbeat for it, nothing to
 * restore).  Only the .c files of drivers/ include this. */
#ifndef RELAY_SLOTS_H
#define RELAY_SLOTS_H

#include "../core/hg.h"

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

#endif
