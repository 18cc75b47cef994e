/* relay_modbus.c: relays on a Modbus DIN-rail relay module (libmodbus).
 *
 *   relay = modbus-tcp:<host>:<port>[,heartbeat=<register>|none][,unit=<id>]
 *   relay = modbus-rtu:<device>:<baud>[,heartbeat=<register>|none][,unit=<id>]
 *   [relays] gate = 0, valve = 1      (the coil address of each relay)
 *
 * Every relay is one coil; on = coil energised.  Every write is read back
 * (function 1, read coils); a mismatch or any communication error is HG_EIO,
 * which the station turns into "out of service, everything off".  Requests
 * time out after 500 ms (the TCP connect too).  The address syntax and the
 * connection are modbus_link.c's, shared with the flow meter.
 *
 * Fail secure when the program dies: the module is set up with a
 * communication watchdog that de-energises every coil when nothing writes its
 * heartbeat holding register for its watchdog time.  While any relay is on, a
 * background thread writes that register (default 0x10, a counter that
 * changes on every write) every 200 ms; set() writes it once too, before the
 * coil.  When no relay is on the thread writes nothing, so the watchdog is
 * only ever fed while something is energised.  A failed set clears that
 * relay's bit, so a relay in doubt gets no more heartbeats and the watchdog
 * drops it.  The loop itself is relay_slots.c's (shared with the GPIO
 * backend's heartbeat line); tick() is this backend's part of it.  open()
 * writes the heartbeat once, with every coil off, so that a module without
 * that register is found when the station starts (or at `hw check`), not
 * at the first truck.  `heartbeat=none` is for a module with coils only: no
 * heartbeat is written at all, and nothing on the module drops a relay when
 * the program dies (docs/HARDWARE.md says what then does).
 *
 * A module that answers with a Modbus exception did answer: that is
 * HG_EREFUSED, with the exception and the register or coil in words
 * (hg_fail()), never "does not answer".  A refused coil write or
 * read keeps the link; a refused heartbeat drops it like a lost one (every
 * relay then goes off), since a watchdog that is not fed will drop the
 * coils anyway.
 *
 * Reconnecting: a communication error drops the link and marks the device
 * "fault not yet reported".  The next set() reports it (HG_EIO, whatever it
 * was asked; get() reports it too but leaves it for the set), so the station
 * goes out of service once per outage.  While the link is down, every get()
 * and set() tries to reconnect first, and so does the heartbeat thread, at
 * most once a second.  The first thing done on a new connection is every coil
 * written off and read back: the module's watchdog will have dropped them,
 * and the station's idea of them is not to be trusted across an outage.  So
 * after a peer comes back, the set that reports the outage fails and the
 * next one (an operator's "clear fault") works, without a restart.
 *
 * One libmodbus context, shared by the caller's thread and the heartbeat
 * thread under one mutex (d->hb.lock).  Start reading at mb_open(). */
#include "relay.h"
#include "drv.h"
#include "../core/report.h"
#include "modbus_link.h"
#include "relay_slots.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MB_BEAT_REG 0x10	/* default heartbeat holding register */
#define MB_RETRY_MS 1000	/* the heartbeat thread's reconnect backoff */

struct relay_dev {
	struct mbl link;
	struct relay_beat hb;	/* its lock guards everything here and link */
	int beat_reg;		/* -1: heartbeat=none */
	uint16_t beat;		/* value of the next heartbeat write */
	int fault;		/* 0, or the error the next set() has to report:
				 * HG_EIO, or HG_EREFUSED with why */
	char why[200];		/* what the module refused, in words */
	long next_try;		/* mbl_now_ms() of the thread's next reconnect */
	int n;
	struct relay_slot slot[];
};

/* A communication error: drop the link, nothing is on any more; lock held. */
static void lost(struct relay_dev *d)
{
	mbl_drop(&d->link);
	if (!d->fault)
		d->fault = HG_EIO;
	for (int i = 0; i < d->n; i++)
		d->slot[i].on = 0;
}

/* After a failed request on coil or register addr ("coil 3"): a Modbus
 * exception is HG_EREFUSED with d->why in words (the link stays up: the
 * module answered); anything else is a lost link, HG_EIO.  Both are a
 * fault.  hint is added for an exception saying "no such address or
 * function".  Lock held; errno is libmodbus's. */
static int failed(struct relay_dev *d, const char *what, const char *addr, const char *hint)
{
	int err = errno;
	const char *exc = mbl_exception(err);

	if (!exc) {
		lost(d);
		return HG_EIO;
	}
	snprintf(d->why, sizeof d->why, "the module refused %s: %s (%s)%s", what, exc, addr,
		 mbl_no_such(err) && hint ? hint : "");
	d->fault = HG_EREFUSED;
	return HG_EREFUSED;
}

/* Write coil and read it back; lock held.  A communication error drops the
 * link (HG_EIO); a refusal (HG_EREFUSED) or a mismatch (HG_EIO) leaves it
 * up.  Each is a fault. */
static int write_coil(struct relay_dev *d, int coil, int on)
{
	static const char hint[] = ": does the module have that coil?";
	uint8_t got = 2;
	char addr[16];

	snprintf(addr, sizeof addr, "coil %d", coil);
	if (modbus_write_bit(d->link.ctx, coil, on ? 1 : 0) != 1)
		return failed(d, "the write", addr, hint);
	if (modbus_read_bits(d->link.ctx, coil, 1, &got) != 1)
		return failed(d, "the read-back", addr, hint);
	if ((got != 0) != (on != 0)) {
		d->fault = HG_EIO;
		return HG_EIO;
	}
	return HG_OK;
}

/* The link up, reconnecting when it is down; a new connection starts with
 * every coil off and read back.  HG_OK or HG_EIO; lock held.  A failed
 * reconnect raises no fault of its own: the link went down through lost(),
 * which raised one already, and the heartbeat thread's retries must not
 * make the station's next set fail again once it has been told. */
static int ensure(struct relay_dev *d)
{
	int fault = d->fault;

	if (d->link.up)
		return HG_OK;
	if (mbl_connect(&d->link) != HG_OK) {
		lost(d);
		d->fault = fault;
		return HG_EIO;
	}
	for (int i = 0; i < d->n; i++) {
		int r = write_coil(d, d->slot[i].addr, 0);

		if (r != HG_OK) {
			lost(d);	/* a module that does not obey is as good as gone */
			d->fault = fault;
			return r;
		}
	}
	return HG_OK;
}

/* One heartbeat write (none with heartbeat=none); lock held.  Any failure
 * drops the link: every relay counts as off and the reconnect writes them
 * off; a refusal says which register. */
static int beat(struct relay_dev *d)
{
	char addr[32];
	int r;

	if (d->beat_reg < 0)
		return HG_OK;
	if (modbus_write_register(d->link.ctx, d->beat_reg, d->beat++) == 1)
		return HG_OK;
	snprintf(addr, sizeof addr, "register %d", d->beat_reg);
	r = failed(d, "the heartbeat write", addr,
		   ": it may have no watchdog register (heartbeat=none runs it without one:"
		   " docs/HARDWARE.md)");
	lost(d);
	return r;
}

/* The caller's error: a refusal's words handed to hg_fail() on the
 * caller's thread (hw_error_text() reads them).  Lock held. */
static int report(struct relay_dev *d, int r)
{
	if (r == HG_EREFUSED)
		return hg_fail(HG_EREFUSED, "%s", d->why);
	return r;
}

/* The heartbeat thread's callback (relay_slots.c runs the loop); lock
 * held.  While the link is down it reconnects, at most once a second;
 * while it is up and a relay is on, it beats. */
static void tick(void *ctx, int any_on)
{
	struct relay_dev *d = ctx;

	if (!d->link.up && mbl_now_ms() >= d->next_try) {
		(void)ensure(d);
		d->next_try = mbl_now_ms() + MB_RETRY_MS;
	} else if (d->link.up && any_on) {
		(void)beat(d);
	}
}

static int relay_option(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
	struct relay_dev *d = ctx;
	long v;

	if (klen != 9 || strncmp(key, "heartbeat", 9) != 0 || !val)
		return HG_EINVAL;
	if (vlen == 4 && strncmp(val, "none", 4) == 0) {
		d->beat_reg = -1;	/* a module with coils only */
		return HG_OK;
	}
	v = drv_number(val, vlen, 0, 65535);
	if (v < 0)
		return HG_EINVAL;
	d->beat_reg = (int)v;
	return HG_OK;
}

/* Connect, every relay's coil off and read back, one heartbeat written,
 * start the heartbeat thread.  HG_EINVAL for a bad spec or coil address,
 * HG_EIO when the module does not answer or does not obey, HG_EREFUSED when
 * it answers with an exception (a coil it does not have, no heartbeat
 * register): no retry here, a station that cannot drive its relays at start
 * does not start. */
static int mb_open(int rtu, struct relay_dev **out, const char *arg,
		   const char *const *names, const char *const *args, int n)
{
	struct relay_dev *d;
	int r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || n < 1 || n > RELAY_SLOTS_MAX)
		return HG_EINVAL;
	d = calloc(1, sizeof *d + (size_t)n * sizeof d->slot[0]);
	if (!d)
		return HG_ENOMEM;
	d->n = n;
	d->beat_reg = MB_BEAT_REG;
	r = relay_slots_init(d->slot, names, args, n, 65535, 0);
	if (r)
		goto fail;
	r = mbl_parse(&d->link.spec, rtu, arg, relay_option, d);
	if (r)
		goto fail;
	r = ensure(d);
	if (r == HG_OK)
		r = beat(d);
	if (r)
		goto fail;
	d->fault = 0;
	r = relay_beat_start(&d->hb, d->slot, d->n, tick, d);
	if (r)
		goto fail;
	*out = d;
	return HG_OK;
fail:
	r = report(d, r);
	mbl_close(&d->link);
	free(d);
	return r;
}

static int mb_open_tcp(struct relay_dev **out, const char *arg, const char *const *names,
		       const char *const *args, int n, hg_time now)
{
	(void)now;
	return mb_open(0, out, arg, names, args, n);
}

static int mb_open_rtu(struct relay_dev **out, const char *arg, const char *const *names,
		       const char *const *args, int n, hg_time now)
{
	(void)now;
	return mb_open(1, out, arg, names, args, n);
}

/* A pending fault is reported here (HG_EIO) and cleared; an off is still
 * written then, since off is always safe.  Otherwise a heartbeat first when
 * switching on (the watchdog's time starts afresh), then the coil, then the
 * read-back. */
static int mb_set(struct relay_dev *d, const char *name, int on, hg_time now)
{
	int i, r, had_fault;

	(void)now;
	if (!d)
		return HG_EINVAL;
	i = relay_slots_find(d->slot, d->n, name);
	if (i < 0)
		return HG_EINVAL;
	pthread_mutex_lock(&d->hb.lock);
	had_fault = d->fault;
	d->fault = 0;
	r = ensure(d);
	if (r == HG_OK && on && !had_fault)
		r = beat(d);
	if (r == HG_OK && (!on || !had_fault))
		r = write_coil(d, d->slot[i].addr, on);
	if (had_fault)
		r = had_fault;
	d->slot[i].on = r == HG_OK && on;	/* in doubt: off, no more heartbeats */
	d->fault = 0;	/* reported now; the link may still be down */
	r = report(d, r);
	pthread_mutex_unlock(&d->hb.lock);
	return r;
}

static int mb_get(struct relay_dev *d, const char *name, int *on)
{
	uint8_t got = 0;
	int i, r;

	if (!d || !on)
		return HG_EINVAL;
	i = relay_slots_find(d->slot, d->n, name);
	if (i < 0)
		return HG_EINVAL;
	pthread_mutex_lock(&d->hb.lock);
	r = d->fault ? d->fault : ensure(d);
	if (r == HG_OK && modbus_read_bits(d->link.ctx, d->slot[i].addr, 1, &got) != 1) {
		char addr[16];
		int fault = d->fault;

		snprintf(addr, sizeof addr, "coil %d", d->slot[i].addr);
		r = failed(d, "the read", addr, ": does the module have that coil?");
		if (r == HG_EREFUSED)
			d->fault = fault;	/* a get leaves the fault to the next set */
	}
	r = report(d, r);
	pthread_mutex_unlock(&d->hb.lock);
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
	relay_beat_stop(&d->hb);
	for (int i = 0; d->link.up && i < d->n; i++)
		(void)write_coil(d, d->slot[i].addr, 0);
	mbl_close(&d->link);
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
