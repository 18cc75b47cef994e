/* meter_gpio.c: a pulse-output flow meter on a GPIO line (libgpiod 1.6).
 *
 *   meter = gpio-pulse:<chip>:<line>[,gallons=<per pulse>]
 *
 * (chip as for relays: gpiochip0, /dev/gpiochip0 or a label; default 1
 * gallon per pulse).  A thread requests the line for rising-edge events and
 * counts them (gpiod_line_event_wait with a 200 ms timeout, so close() never
 * waits longer than that); read() returns pulses × gallons.  The count
 * starts at 0 at open: the station only ever uses differences.  Pulses that
 * come while the program is not running are not counted, nor are edges
 * faster than the kernel's event queue can hold (meters pulse at a few Hz;
 * use the Modbus totaliser if yours is faster).  If the line goes away the
 * thread stops and every read is HG_EIO.  Start reading at pulses(). */
#include "meter.h"
#include "drv.h"

#include <gpiod.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MG_MAX_LINE 1023
#define MG_CONSUMER "haulgate-meter"

struct meter_dev {
	struct gpiod_chip *chip;
	struct gpiod_line *line;
	pthread_t thread;
	pthread_mutex_t lock;	/* count, failed, stop */
	uint64_t count;
	int failed;
	int stop;
	double gallons;		/* per pulse */
};

static void *pulses(void *arg)
{
	struct meter_dev *d = arg;
	const struct timespec wait = { 0, 200 * 1000000L };
	struct gpiod_line_event ev;
	int stop = 0;

	while (!stop) {
		int r = gpiod_line_event_wait(d->line, &wait);

		if (r == 1)
			r = gpiod_line_event_read(d->line, &ev) == 0 ? 1 : -1;
		pthread_mutex_lock(&d->lock);
		if (r == 1 && ev.event_type == GPIOD_LINE_EVENT_RISING_EDGE)
			d->count++;
		if (r < 0)
			d->failed = 1;
		stop = d->stop || d->failed;
		pthread_mutex_unlock(&d->lock);
	}
	return NULL;
}

/* "<chip>:<line>[,gallons=<g>]" into chip[], *line, *gallons. */
static int parse(const char *arg, char *chip, size_t cap, long *line, double *gallons)
{
	const char *comma = strchr(arg, ','), *colon;
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	*gallons = 1.0;
	if (len >= cap)
		return HG_EINVAL;
	memcpy(chip, arg, len);
	chip[len] = '\0';
	colon = strrchr(chip, ':');
	if (!colon || colon == chip)
		return HG_EINVAL;
	*line = drv_number(colon + 1, strlen(colon + 1), 0, MG_MAX_LINE);
	if (*line < 0)
		return HG_EINVAL;
	chip[colon - chip] = '\0';
	if (comma) {
		if (strncmp(comma + 1, "gallons=", 8) != 0)
			return HG_EINVAL;
		return drv_decimal(comma + 9, strlen(comma + 9), 1e-6, 1e6, gallons);
	}
	return HG_OK;
}

/* HG_EINVAL for a bad arg, HG_ENOTFOUND for no such chip or line, HG_EIO
 * when the line cannot be had for events. */
static int mg_open(struct meter_dev **out, const char *arg)
{
	char chip[DRV_PATH];
	struct meter_dev *d;
	long line;
	int r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || parse(arg, chip, sizeof chip, &line, &(double){0}) != HG_OK)
		return HG_EINVAL;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	(void)parse(arg, chip, sizeof chip, &line, &d->gallons);
	r = HG_ENOTFOUND;
	d->chip = gpiod_chip_open_lookup(chip);
	if (!d->chip)
		goto fail;
	d->line = gpiod_chip_get_line(d->chip, (unsigned)line);
	if (!d->line)
		goto fail;
	r = HG_EIO;
	if (gpiod_line_request_rising_edge_events(d->line, MG_CONSUMER) != 0)
		goto fail;
	if (pthread_mutex_init(&d->lock, NULL) != 0)
		goto fail;
	if (pthread_create(&d->thread, NULL, pulses, d) != 0) {
		pthread_mutex_destroy(&d->lock);
		goto fail;
	}
	*out = d;
	return HG_OK;
fail:
	if (d->chip)
		gpiod_chip_close(d->chip);	/* releases the line too */
	free(d);
	return r;
}

static int mg_read(struct meter_dev *d, double *gallons)
{
	int r;

	if (!d || !gallons)
		return HG_EINVAL;
	pthread_mutex_lock(&d->lock);
	r = d->failed ? HG_EIO : HG_OK;
	if (r == HG_OK)
		*gallons = (double)d->count * d->gallons;
	pthread_mutex_unlock(&d->lock);
	return r;
}

static void mg_close(struct meter_dev *d)
{
	if (!d)
		return;
	pthread_mutex_lock(&d->lock);
	d->stop = 1;
	pthread_mutex_unlock(&d->lock);
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->lock);
	gpiod_chip_close(d->chip);
	free(d);
}

const struct meter_ops meter_gpio_pulse_ops = {
	.scheme = "gpio-pulse",
	.open = mg_open,
	.read = mg_read,
	.close = mg_close,
};
