/* relay_gpio.c: relays on GPIO lines through libgpiod (1.6, Debian 12).
 *
 *   relay = gpio:<chip>        (gpiochip0, /dev/gpiochip0, or the chip's label)
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
 * No heartbeat here: a GPIO line keeps its last value when the process dies
 * (the kernel releases the request but does not reset the pin on most
 * boards), so fail-secure depends on the wiring.  docs/HARDWARE.md, "GPIO
 * relays", says how (a hardware watchdog or a relay board that drops out
 * when its enable line stops toggling, and systemd's WatchdogSec restarting
 * the kiosk, whose open() turns everything off).  The slot table and its
 * rules are relay_slots.c's, shared with the Modbus backend.  Start reading
 * at gp_open(). */
#include "relay.h"
#include "drv.h"
#include "relay_slots.h"

#include <gpiod.h>
#include <stdlib.h>
#include <string.h>

#define GP_MAX_LINE 1023
#define GP_CONSUMER "haulgate"

struct relay_dev {
	struct gpiod_chip *chip;
	struct gpiod_line *line[RELAY_SLOTS_MAX];
	int n;
	struct relay_slot slot[RELAY_SLOTS_MAX];
};

/* Write line i (logical value: 1 = relay on, active-low handled by the
 * request flag) and read it back. */
static int write_line(struct relay_dev *d, int i, int on)
{
	if (gpiod_line_set_value(d->line[i], on ? 1 : 0) != 0)
		return HG_EIO;
	return gpiod_line_get_value(d->line[i]) == (on ? 1 : 0) ? HG_OK : HG_EIO;
}

static void gp_free(struct relay_dev *d)
{
	for (int i = 0; i < d->n; i++) {
		if (d->line[i])
			gpiod_line_release(d->line[i]);
	}
	if (d->chip)
		gpiod_chip_close(d->chip);
	free(d);
}

/* Open the chip, request every relay's line as an output, off.  HG_EINVAL
 * for a bad chip name or line argument, HG_ENOTFOUND when there is no such
 * chip or line, HG_EIO when a line cannot be had (busy, in use by the
 * kernel). */
static int gp_open(struct relay_dev **out, const char *arg, const char *const *names,
		   const char *const *args, int n, hg_time now)
{
	struct relay_dev *d;
	int r;

	(void)now;
	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || !*arg || strlen(arg) >= DRV_PATH || strchr(arg, ',') || n < 1 ||
	    n > RELAY_SLOTS_MAX)
		return HG_EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	r = relay_slots_init(d->slot, names, args, n, GP_MAX_LINE, 1);
	if (r)
		goto fail;
	d->chip = gpiod_chip_open_lookup(arg);
	if (!d->chip) {
		r = HG_ENOTFOUND;
		goto fail;
	}
	for (int i = 0; i < n; i++) {
		int flags = d->slot[i].active_low ? GPIOD_LINE_REQUEST_FLAG_ACTIVE_LOW : 0;

		d->line[i] = gpiod_chip_get_line(d->chip, (unsigned)d->slot[i].addr);
		if (!d->line[i]) {
			r = HG_ENOTFOUND;
			goto fail;
		}
		d->n = i + 1;	/* gp_free releases lines [0, n) */
		if (gpiod_line_request_output_flags(d->line[i], GP_CONSUMER, flags, 0) != 0) {
			d->line[i] = NULL;	/* not ours to release */
			r = HG_EIO;
			goto fail;
		}
		r = write_line(d, i, 0);
		if (r)
			goto fail;
	}
	*out = d;
	return HG_OK;
fail:
	for (int i = 0; i < d->n; i++) {
		if (d->line[i])
			(void)gpiod_line_set_value(d->line[i], 0);
	}
	gp_free(d);
	return r;
}

static int gp_set(struct relay_dev *d, const char *name, int on, hg_time now)
{
	int i, r;

	(void)now;
	if (!d)
		return HG_EINVAL;
	i = relay_slots_find(d->slot, d->n, name);
	if (i < 0)
		return HG_EINVAL;
	r = write_line(d, i, on);
	if (r && on)
		(void)gpiod_line_set_value(d->line[i], 0);	/* in doubt: off */
	d->slot[i].on = r == HG_OK && on;
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
	v = gpiod_line_get_value(d->line[i]);
	if (v < 0)
		return HG_EIO;
	*on = v;
	return HG_OK;
}

static void gp_close(struct relay_dev *d, hg_time now)
{
	(void)now;
	if (!d)
		return;
	for (int i = 0; i < d->n; i++)
		(void)gpiod_line_set_value(d->line[i], 0);
	gp_free(d);
}

const struct relay_ops relay_gpio_ops = {
	.scheme = "gpio",
	.open = gp_open,
	.set = gp_set,
	.get = gp_get,
	.close = gp_close,
};
