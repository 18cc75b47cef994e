/* relay_slots.c: the per-relay table of the hardware relay backends (see
 * relay_slots.h).  Parsing the [relays] lines lives here so that a bad coil
 * or line number is refused the same way by every backend.  Start reading at
 * relay_slots_init(). */
#include "relay_slots.h"
#include "drv.h"

#include <string.h>

static int parse_arg(struct relay_slot *s, const char *arg, long max_addr, int active_low_ok)
{
	const char *comma;
	size_t len;
	long v;

	if (!arg)
		return HG_EINVAL;
	comma = strchr(arg, ',');
	len = comma ? (size_t)(comma - arg) : strlen(arg);
	v = drv_number(arg, len, 0, max_addr);
	if (v < 0)
		return HG_EINVAL;
	s->addr = (int)v;
	s->active_low = 0;
	if (comma) {
		if (!active_low_ok || strcmp(comma + 1, "active-low") != 0)
			return HG_EINVAL;
		s->active_low = 1;
	}
	return HG_OK;
}

int relay_slots_init(struct relay_slot *slot, const char *const *names,
		     const char *const *args, int n, long max_addr, int active_low_ok)
{
	if (!slot || !names || !args || n < 1 || n > RELAY_SLOTS_MAX)
		return HG_EINVAL;
	for (int i = 0; i < n; i++) {
		size_t len = names[i] ? strlen(names[i]) : 0;

		if (len == 0 || len > RELAY_NAME_MAX)
			return HG_EINVAL;
		memcpy(slot[i].name, names[i], len + 1);
		slot[i].on = 0;
		if (parse_arg(&slot[i], args[i], max_addr, active_low_ok) != HG_OK)
			return HG_EINVAL;
		for (int j = 0; j < i; j++) {
			if (slot[j].addr == slot[i].addr || strcmp(slot[j].name, slot[i].name) == 0)
				return HG_EINVAL;	/* a name or address twice */
		}
	}
	return HG_OK;
}

int relay_slots_find(const struct relay_slot *slot, int n, const char *name)
{
	for (int i = 0; name && i < n; i++) {
		if (strcmp(slot[i].name, name) == 0)
			return i;
	}
	return -1;
}

int relay_slots_any_on(const struct relay_slot *slot, int n)
{
	for (int i = 0; i < n; i++) {
		if (slot[i].on)
			return 1;
	}
	return 0;
}
