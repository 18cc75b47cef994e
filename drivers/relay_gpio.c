/* relay_gpio.c: relays on GPIO lines through libgpiod (1.6, Debian 12).
 *
 *   relay = gpio:<chip>[,heartbeat=<line>]   (gpiochip0, /dev/gpiochip0, or
 *                                            the chip's label)
 *   [relays] gate = 17, valve = 27,active-low     (line offsets on that chip)
 *
 * Each relay is one output line, requested at open with its initial value
 * off (for an active-low relay the line starts high, so the relay board's
 * input is never pulled low, not even for a moment).  set() writes the value
 * and reads it back with gpiod_line_get_value(): a mismatch, or any libgpiod
 * error, is HG_EIO.  That read-back only sees what the kernel holds for the
 * line, not the relay contact: wire a feedback contact to an input if the
 * station needs more.  close() writes every line off and releases the chip.
 *
 * The heartbeat: a GPIO line keeps its last value when the process dies (the
 * kernel releases the request but does not reset the pin on most boards), so
 * fail-secure needs help from outside.  With heartbeat=<line>, that line (on
 * the same chip, not a relay's) is toggled every RELAY_BEAT_MS while any
 * relay is on, and held still while none is; set() toggles it once before
 * switching a relay on, so the watchdog's time starts afresh.  It feeds an
 * external retriggerable watchdog (a watchdog relay, a 555 or a TPL5010-style
 * timer) that cuts the relay supply when the toggling stops: the process
 * died, hung, or has nothing on.  docs/HARDWARE.md, "GPIO relays", has the
 * wiring.  A heartbeat that cannot be written is a relay in doubt: every
 * relay goes off and the next set() reports HG_EIO once, as the Modbus
 * backend does after a lost link.  The loop and the slot table are
 * relay_slots.c's, shared with the Modbus backend; tick() is this backend's
 * part.  Start reading at gp_open(). */
#include "relay.h"
#include "drv.h"
#include "relay_slots.h"

#include <gpiod.h>
#include <stdlib.h>
#include <string.h>

#define GP_MAX_LINE 1023
#define GP_CONSUMER "haulgate"

struct relay_dev {
	char chip_name[DRV_PATH];
	struct gpiod_chip *chip;
	struct gpiod_line *line[RELAY_SLOTS_MAX];
	int n;			/* lines [0, n) are requested */
	struct relay_slot slot[RELAY_SLOTS_MAX];
	int hb_addr;		/* heartbeat line offset, -1 for none */
	struct gpiod_line *hb_line;
	int hb_level;		/* the heartbeat line's value now */
	int beating;		/* hb's thread runs, and its lock guards the rest */
	int fault;		/* a heartbeat failed; the next set() reports it */
	struct relay_beat hb;
};

/* "<chip>[,heartbeat=<line>]" into d->chip_name and d->hb_addr.  HG_EINVAL
 * for no chip, a name too long, an empty or unknown option, a heartbeat
 * given twice or not a line number. */
static int parse_spec(struct relay_dev *d, const char *arg)
{
	const char *p = arg ? strchr(arg, ',') : NULL;
	size_t len;

	d->hb_addr = -1;
	if (!arg)
		return HG_EINVAL;
	len = p ? (size_t)(p - arg) : strlen(arg);
	if (len == 0 || len >= sizeof d->chip_name)
		return HG_EINVAL;
	memcpy(d->chip_name, arg, len);
	d->chip_name[len] = '\0';
	while (p) {
		const char *opt = p + 1, *end = strchr(opt, ',');
		size_t olen = end ? (size_t)(end - opt) : strlen(opt);
		long v;

		if (olen <= 10 || strncmp(opt, "heartbeat=", 10) != 0 || d->hb_addr >= 0)
			return HG_EINVAL;
		v = drv_number(opt + 10, olen - 10, 0, GP_MAX_LINE);
		if (v < 0)
			return HG_EINVAL;
		d->hb_addr = (int)v;
		p = end;
	}
	return HG_OK;
}

static void lock(struct relay_dev *d)
{
	if (d->beating)
		pthread_mutex_lock(&d->hb.lock);
}

static void unlock(struct relay_dev *d)
{
	if (d->beating)
		pthread_mutex_unlock(&d->hb.lock);
}

/* Write line i (logical value: 1 = relay on, active-low handled by the
 * request flag) and read it back. */
static int write_line(struct relay_dev *d, int i, int on)
{
	if (gpiod_line_set_value(d->line[i], on ? 1 : 0) != 0)
		return HG_EIO;
	return gpiod_line_get_value(d->line[i]) == (on ? 1 : 0) ? HG_OK : HG_EIO;
}

/* Every relay line off, best effort. */
static void all_off(struct relay_dev *d)
{
	for (int i = 0; i < d->n; i++) {
		if (d->line[i])
			(void)gpiod_line_set_value(d->line[i], 0);
		d->slot[i].on = 0;
	}
}

/* One heartbeat: flip the line.  A line that will not flip is a watchdog
 * that may be about to drop the relays, or may never: either way every relay
 * goes off now, and the next set() says so.  Lock held. */
static int toggle(struct relay_dev *d)
{
	if (gpiod_line_set_value(d->hb_line, !d->hb_level) != 0) {
		all_off(d);
		d->fault = 1;
		return HG_EIO;
	}
	d->hb_level = !d->hb_level;
	return HG_OK;
}

/* The heartbeat thread's callback (relay_slots.c runs the loop): toggle
 * while anything is on, hold still while nothing is.  Lock held. */
static void tick(void *ctx, int any_on)
{
	struct relay_dev *d = ctx;

	if (any_on)
		(void)toggle(d);
}

static void gp_free(struct relay_dev *d)
{
	for (int i = 0; i < d->n; i++) {
		if (d->line[i])
			gpiod_line_release(d->line[i]);
	}
	if (d->hb_line)
		gpiod_line_release(d->hb_line);
	if (d->chip)
		gpiod_chip_close(d->chip);
	free(d);
}

/* Request line offset addr as an output at logical 0; HG_ENOTFOUND when the
 * chip has no such line, HG_EIO when it cannot be had. */
static int request(struct relay_dev *d, int addr, int active_low, struct gpiod_line **out)
{
	int flags = active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;
	struct gpiod_line *l = gpiod_chip_get_line(d->chip, (unsigned)addr);

	*out = NULL;
	if (!l)
		return HG_ENOTFOUND;
	if (gpiod_line_request_output_flags(l, GP_CONSUMER, flags, 0) != 0)
		return HG_EIO;	/* busy or kernel-owned: not ours to release */
	*out = l;
	return HG_OK;
}

/* Parse, open the chip, request every relay's line as an output, off, and
 * the heartbeat line (low) with its thread.  HG_EINVAL for a bad spec or line
 * argument or a heartbeat line that is also a relay's, HG_ENOTFOUND when
 * there is no such chip or line, HG_EIO when a line cannot be had (busy, in
 * use by the kernel). */
static int gp_open(struct relay_dev **out, const char *arg, const char *const *names,
		   const char *const *args, int n, hg_time now)
{
	struct relay_dev *d;
	int r;

	(void)now;
	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (n < 1 || n > RELAY_SLOTS_MAX)
		return HG_EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	r = parse_spec(d, arg);
	if (r == HG_OK)
		r = relay_slots_init(d->slot, names, args, n, GP_MAX_LINE, 1);
	for (int i = 0; r == HG_OK && i < n; i++) {
		if (d->slot[i].addr == d->hb_addr)
			r = HG_EINVAL;	/* the heartbeat on a relay's line */
	}
	if (r)
		goto fail;
	d->chip = gpiod_chip_open_lookup(d->chip_name);
	if (!d->chip) {
		r = HG_ENOTFOUND;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		r = request(d, d->slot[i].addr, d->slot[i].active_low, &d->line[i]);
		if (r)
			goto fail;
		d->n = i + 1;	/* gp_free releases lines [0, n) */
		r = write_line(d, i, 0);
		if (r)
			goto fail;
	}
	if (d->hb_addr >= 0) {
		r = request(d, d->hb_addr, 0, &d->hb_line);
		if (r == HG_OK)
			r = relay_beat_start(&d->hb, d->slot, d->n, tick, d);
		if (r)
			goto fail;
		d->beating = 1;
	}
	*out = d;
	return HG_OK;
fail:
	all_off(d);
	gp_free(d);
	return r;
}

/* A pending heartbeat fault is reported here (HG_EIO) and cleared; an off is
 * still written then, since off is always safe.  Otherwise a heartbeat first
 * when switching on, then the line, then the read-back. */
static int gp_set(struct relay_dev *d, const char *name, int on, hg_time now)
{
	int i, r = HG_OK, had_fault;

	(void)now;
	if (!d)
		return HG_EINVAL;
	i = relay_slots_find(d->slot, d->n, name);
	if (i < 0)
		return HG_EINVAL;
	lock(d);
	had_fault = d->fault;
	if (on && !had_fault && d->hb_line)
		r = toggle(d);
	if (r == HG_OK && (!on || !had_fault))
		r = write_line(d, i, on);
	if (had_fault)
		r = HG_EIO;
	if (r && on)
		(void)gpiod_line_set_value(d->line[i], 0);	/* in doubt: off */
	d->slot[i].on = r == HG_OK && on;
	d->fault = 0;	/* reported now */
	unlock(d);
	return r;
}

static int gp_get(struct relay_dev *d, const char *name, int *on)
{
	int i, v;

	if (!d || !on)
		return HG_EINVAL;
	i = relay_slots_find(d->slot, d->n, name);
	if (i < 0)
		return HG_EINVAL;
	lock(d);
	v = d->fault ? -1 : gpiod_line_get_value(d->line[i]);
	unlock(d);
	if (v < 0)
		return HG_EIO;
	*on = v;
	return HG_OK;
}

/* Stop the heartbeat, every line off, release the chip. */
static void gp_close(struct relay_dev *d, hg_time now)
{
	(void)now;
	if (!d)
		return;
	if (d->beating)
		relay_beat_stop(&d->hb);
	all_off(d);
	if (d->hb_line)
		(void)gpiod_line_set_value(d->hb_line, 0);
	gp_free(d);
}

const struct relay_ops relay_gpio_ops = {
	.scheme = "gpio",
	.open = gp_open,
	.set = gp_set,
	.get = gp_get,
	.close = gp_close,
};
