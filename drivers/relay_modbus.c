/* relay_modbus.c: relays on a Modbus DIN-rail relay module (libmodbus).
 *
 *   relay = modbus-tcp:<host>:<port>[,heartbeat=<register>][,unit=<id>]
 *   relay = modbus-rtu:<device>:<baud>[,heartbeat=<register>][,unit=<id>]
 *   [relays] gate = 0, valve = 1      (the coil address of each relay)
 *
 * Every relay is one coil; on = coil energised.  Every write is read back
 * (function 1, read coils); a mismatch or any communication error is HG_EIO,
 * which the station turns into "out of service, everything off".  Requests
 * time out after 500 ms (the TCP connect too).
 *
 * Fail secure when the program dies: the module is set up with a
 * communication watchdog that de-energises every coil when nothing writes its
 * heartbeat holding register for its watchdog time.  While any relay is on, a
 * background thread writes that register (default 0x10, a counter that
 * changes on every write) every 200 ms; set() writes it once too, before the
 * coil.  When no relay is on the thread writes nothing, so the watchdog is
 * only ever fed while something is energised.  A failed set clears that
 * relay's bit, so a relay in doubt gets no more heartbeats and the watchdog
 * drops it.  docs/HARDWARE.md has the wiring.
 *
 * One libmodbus context, shared by the caller's thread and the heartbeat
 * thread under one mutex.  Start reading at mb_open(). */
#include "relay.h"
#include "drv.h"
#include "../core/text.h"

#include <errno.h>
#include <modbus.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MB_MAX_RELAYS 32
#define MB_NAME_MAX 31
#define MB_TIMEOUT_US 500000	/* connect and every request */
#define MB_BEAT_MS 200		/* heartbeat period while a relay is on */
#define MB_BEAT_REG 0x10	/* default heartbeat holding register */

struct slot {
	char name[MB_NAME_MAX + 1];
	int coil;
	int on;			/* last set succeeded with on */
};

struct relay_dev {
	modbus_t *ctx;
	pthread_mutex_t lock;	/* ctx, slot[].on, beat, stop, beat_err */
	pthread_cond_t wake;
	pthread_t thread;
	int thread_up;
	int stop;
	int beat_reg;
	uint16_t beat;		/* value of the next heartbeat write */
	int beat_err;		/* a heartbeat write failed since the last get/set */
	int n;
	struct slot slot[];
};

/* strtol for a whole decimal or 0x number in [lo, hi]; -1 when it is not. */
static long number(const char *s, size_t len, long lo, long hi)
{
	char buf[16], *end;
	long v;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtol(buf, &end, 0);
	if (errno || *end || v < lo || v > hi)
		return -1;
	return v;
}

static int find(const struct relay_dev *d, const char *name)
{
	for (int i = 0; name && i < d->n; i++) {
		if (strcmp(d->slot[i].name, name) == 0)
			return i;
	}
	return -1;
}

static int any_on(const struct relay_dev *d)
{
	for (int i = 0; i < d->n; i++) {
		if (d->slot[i].on)
			return 1;
	}
	return 0;
}

/* One heartbeat write; lock held. */
static int beat(struct relay_dev *d)
{
	if (modbus_write_register(d->ctx, d->beat_reg, d->beat++) != 1)
		return HG_EIO;
	return HG_OK;
}

/* Write coil and read it back; lock held. */
static int write_coil(struct relay_dev *d, int coil, int on)
{
	uint8_t got = 2;

	if (modbus_write_bit(d->ctx, coil, on ? 1 : 0) != 1)
		return HG_EIO;
	if (modbus_read_bits(d->ctx, coil, 1, &got) != 1)
		return HG_EIO;
	return (got != 0) == (on != 0) ? HG_OK : HG_EIO;
}

static void *heartbeat(void *arg)
{
	struct relay_dev *d = arg;
	struct timespec t;

	pthread_mutex_lock(&d->lock);
	while (!d->stop) {
		if (any_on(d) && beat(d) != HG_OK)
			d->beat_err = 1;
		clock_gettime(CLOCK_MONOTONIC, &t);
		t.tv_nsec += MB_BEAT_MS * 1000000L;
		if (t.tv_nsec >= 1000000000L) {
			t.tv_sec++;
			t.tv_nsec -= 1000000000L;
		}
		while (!d->stop && pthread_cond_timedwait(&d->wake, &d->lock, &t) == 0)
			;	/* woken early: only stop counts */
	}
	pthread_mutex_unlock(&d->lock);
	return NULL;
}

/* "<a>:<b>[,key=value...]" of a backend: the context, or NULL.  The last ':'
 * before the options splits a from b. */
static modbus_t *new_ctx(int rtu, const char *arg, int *beat_reg)
{
	char where[256];
	const char *opt = strchr(arg, ',');
	size_t len = opt ? (size_t)(opt - arg) : strlen(arg);
	char *colon;
	long port, unit = -1;
	modbus_t *ctx;

	*beat_reg = MB_BEAT_REG;
	if (len == 0 || len >= sizeof where)
		return NULL;
	memcpy(where, arg, len);
	where[len] = '\0';
	colon = strrchr(where, ':');
	if (!colon || colon == where)
		return NULL;
	*colon = '\0';
	port = number(colon + 1, strlen(colon + 1), 1, rtu ? 4000000 : 65535);
	if (port < 0)
		return NULL;
	while (opt) {
		const char *o = opt + 1, *next = strchr(o, ',');
		size_t olen = next ? (size_t)(next - o) : strlen(o);
		long v;

		if (olen > 10 && strncmp(o, "heartbeat=", 10) == 0) {
			v = number(o + 10, olen - 10, 0, 65535);
			if (v < 0)
				return NULL;
			*beat_reg = (int)v;
		} else if (olen > 5 && strncmp(o, "unit=", 5) == 0) {
			unit = number(o + 5, olen - 5, 0, 255);
			if (unit < 0)
				return NULL;
		} else {
			return NULL;
		}
		opt = next;
	}
	if (rtu)
		ctx = modbus_new_rtu(where, (int)port, 'N', 8, 1);
	else
		ctx = modbus_new_tcp(where, (int)port);
	if (!ctx)
		return NULL;
	if (unit < 0)
		unit = rtu ? 1 : MODBUS_TCP_SLAVE;
	if (modbus_set_slave(ctx, (int)unit) != 0) {
		modbus_free(ctx);
		return NULL;
	}
	modbus_set_response_timeout(ctx, 0, MB_TIMEOUT_US);
	return ctx;
}

static int mb_open_any(int rtu, struct relay_dev **out, const char *arg,
		       const char *const *names, const char *const *args, int n)
{
	struct relay_dev *d;
	int i, r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || !names || !args || n < 1 || n > MB_MAX_RELAYS)
		return HG_EINVAL;
	d = calloc(1, sizeof *d + (size_t)n * sizeof d->slot[0]);
	if (!d)
		return HG_ENOMEM;
	for (i = 0; i < n; i++) {
		long coil = args[i] ? number(args[i], strlen(args[i]), 0, 65535) : -1;

		r = text_copy(d->slot[i].name, sizeof d->slot[i].name, names[i]);
		if (r)
			goto fail;
		if (coil < 0) {
			r = HG_EINVAL;
			goto fail;
		}
		d->slot[i].coil = (int)coil;
		d->n = i + 1;
		for (int j = 0; j < i; j++) {
			if (d->slot[j].coil == coil || strcmp(d->slot[j].name, names[i]) == 0) {
				r = HG_EINVAL;	/* a name or coil twice */
				goto fail;
			}
		}
	}
	d->ctx = new_ctx(rtu, arg, &d->beat_reg);
	if (!d->ctx) {
		r = HG_EINVAL;
		goto fail;
	}
	if (modbus_connect(d->ctx) != 0) {
		r = HG_EIO;
		goto fail;
	}
	for (i = 0; i < n; i++) {
		r = write_coil(d, d->slot[i].coil, 0);
		if (r)
			goto fail;
	}
	if (pthread_mutex_init(&d->lock, NULL) != 0) {
		r = HG_ENOMEM;
		goto fail;
	}
	{
		pthread_condattr_t ca;

		pthread_condattr_init(&ca);
		pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
		r = pthread_cond_init(&d->wake, &ca);
		pthread_condattr_destroy(&ca);
		if (r) {
			pthread_mutex_destroy(&d->lock);
			r = HG_ENOMEM;
			goto fail;
		}
	}
	if (pthread_create(&d->thread, NULL, heartbeat, d) != 0) {
		pthread_cond_destroy(&d->wake);
		pthread_mutex_destroy(&d->lock);
		r = HG_ENOMEM;
		goto fail;
	}
	d->thread_up = 1;
	*out = d;
	return HG_OK;
fail:
	if (d->ctx) {
		modbus_close(d->ctx);
		modbus_free(d->ctx);
	}
	free(d);
	return r;
}

/* Connect, every relay's coil off and read back, start the heartbeat thread.
 * HG_EINVAL for a bad spec or coil address, HG_EIO when the module does not
 * answer or does not obey. */
static int mb_open_tcp(struct relay_dev **out, const char *arg, const char *const *names,
		       const char *const *args, int n, hg_time now)
{
	(void)now;
	return mb_open_any(0, out, arg, names, args, n);
}

static int mb_open_rtu(struct relay_dev **out, const char *arg, const char *const *names,
		       const char *const *args, int n, hg_time now)
{
	(void)now;
	return mb_open_any(1, out, arg, names, args, n);
}

/* A heartbeat first when switching on (the watchdog's time starts afresh),
 * then the coil, then the read-back. */
static int mb_set(struct relay_dev *d, const char *name, int on, hg_time now)
{
	int i, r;

	(void)now;
	if (!d)
		return HG_EINVAL;
	i = find(d, name);
	if (i < 0)
		return HG_EINVAL;
	pthread_mutex_lock(&d->lock);
	r = d->beat_err ? HG_EIO : HG_OK;
	d->beat_err = 0;
	if (r == HG_OK && on)
		r = beat(d);
	if (r == HG_OK)
		r = write_coil(d, d->slot[i].coil, on);
	d->slot[i].on = r == HG_OK && on;	/* in doubt: no more heartbeats */
	pthread_mutex_unlock(&d->lock);
	return r;
}

static int mb_get(struct relay_dev *d, const char *name, int *on)
{
	uint8_t got = 0;
	int i, r = HG_OK;

	if (!d || !on)
		return HG_EINVAL;
	i = find(d, name);
	if (i < 0)
		return HG_EINVAL;
	pthread_mutex_lock(&d->lock);
	if (d->beat_err)
		r = HG_EIO;
	else if (modbus_read_bits(d->ctx, d->slot[i].coil, 1, &got) != 1)
		r = HG_EIO;
	pthread_mutex_unlock(&d->lock);
	if (r == HG_OK)
		*on = got != 0;
	return r;
}

/* Stop the heartbeat, every coil off (best effort), disconnect. */
static void mb_close(struct relay_dev *d, hg_time now)
{
	(void)now;
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_cond_signal(&d->wake);
	pthread_mutex_unlock(&d->lock);
	if (d->thread_up)
		pthread_join(d->thread, NULL);
	for (int i = 0; i < d->n; i++)
		(void)write_coil(d, d->slot[i].coil, 0);
	modbus_close(d->ctx);
	modbus_free(d->ctx);
	pthread_cond_destroy(&d->wake);
	pthread_mutex_destroy(&d->lock);
	free(d);
}

const struct relay_ops relay_modbus_tcp_ops = {
	.scheme = "modbus-tcp",
	.open = mb_open_tcp,
	.set = mb_set,
	.get = mb_get,
	.close = mb_close,
};

const struct relay_ops relay_modbus_rtu_ops = {
	.scheme = "modbus-rtu",
	.open = mb_open_rtu,
	.set = mb_set,
	.get = mb_get,
	.close = mb_close,
};
