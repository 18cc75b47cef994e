/* relay_slots.c: the per-relay table of the hardware relay backends (see
 * relay_slots.h).  Parsing the [relays] lines lives here so that a bad coil
 * or line number is refused the same way by every backend.  Start reading at
 * relay_slots_init(). */
#include "relay_slots.h"
#include "drv.h"

#include <string.h>
#include <time.h>

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

/* The loop: a beat (or the backend's upkeep) every RELAY_BEAT_MS, on a
 * monotonic clock so a wall-clock jump neither stalls nor floods it. */
static void *beat_loop(void *arg)
{
	struct relay_beat *b = arg;
	struct timespec t;

	pthread_mutex_lock(&b->lock);
	while (!b->stop) {
		b->fn(b->ctx, relay_slots_any_on(b->slot, b->n));
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += RELAY_BEAT_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while (!b->stop && pthread_cond_timedwait(&b->wake, &b->lock, &t) == 0)
			;	/* woken early: only stop counts */
	}
	pthread_mutex_unlock(&b->lock);
	return NULL;
}

int relay_beat_start(struct relay_beat *b, const struct relay_slot *slot, int n,
		     relay_beat_fn fn, void *ctx)
{
	pthread_condattr_t ca;
	int r;

	if (!b || !slot || !fn)
		return HG_EINVAL;
	b->stop = 0;
	b->slot = slot;
	b->n = n;
	b->fn = fn;
	b->ctx = ctx;
	if (pthread_mutex_init(&b->lock, NULL) != 0)
		return HG_ENOMEM;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	r = pthread_cond_init(&b->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (r) {
		pthread_mutex_destroy(&b->lock);
		return HG_ENOMEM;
	}
	if (pthread_create(&b->thread, NULL, beat_loop, b) != 0) {
		pthread_cond_destroy(&b->wake);
		pthread_mutex_destroy(&b->lock);
		return HG_ENOMEM;
	}
	return HG_OK;
}

void relay_beat_stop(struct relay_beat *b)
{
	pthread_mutex_lock(&b->lock);
	b->stop = 1;
	pthread_cond_signal(&b->wake);
	pthread_mutex_unlock(&b->lock);
	pthread_join(b->thread, NULL);
	pthread_cond_destroy(&b->wake);
	pthread_mutex_destroy(&b->lock);
}
