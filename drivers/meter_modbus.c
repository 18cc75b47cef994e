/* meter_modbus.c: a magnetic flow meter's totaliser read over Modbus.
 *
 *   meter = modbus-tcp:<host>:<port>[,register=<n>][,scale=<gallons per count>]
 *                                   [,unit=<id>][,input]
 *   meter = modbus-rtu:<device>:<baud>[,...the same options]
 *
 * The totaliser is a 32-bit unsigned count in two 16-bit registers, high word
 * first, at register and register+1: holding registers (function 3) by
 * default, input registers (function 4) with ",input".  Gallons = count ×
 * scale.  Defaults: register 0, scale 1 (one gallon per count), unit 255 over
 * TCP and 1 over RTU.  Meters that count litres or tenths take a scale
 * (0.264172 for litres, 0.1 for tenths of a gallon).  Meters that keep a
 * 32-bit float or a low-word-first count are not supported yet: say so at
 * commissioning (`hw meter` shows a nonsense total).
 *
 * open() connects and reads the totaliser once, so a wrong register (the
 * meter answers "illegal data address") is HG_EINVAL at start, not a load
 * with no measurement.  A communication error drops the link; the next read
 * reconnects, at most once a second (a read in between is HG_EIO at once, so
 * the station's thread never waits on a dead meter more than one 500 ms
 * timeout a second).  The address syntax and connection are modbus_link.c's,
 * shared with the relay driver.  Start reading at mm_read(). */
#include "meter.h"
#include "drv.h"
#include "modbus_link.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MM_RETRY_MS 1000

struct meter_dev {
	struct mbl link;
	int reg;
	int input;		/* input registers, not holding */
	double scale;		/* gallons per count */
	long next_try;		/* mbl_now_ms() of the next reconnect */
};

static int mm_option(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
	struct meter_dev *d = ctx;
	long v;

	if (klen == 8 && strncmp(key, "register", 8) == 0 && val) {
		v = drv_number(val, vlen, 0, 65534);
		if (v < 0)
			return HG_EINVAL;
		d->reg = (int)v;
		return HG_OK;
	}
	if (klen == 5 && strncmp(key, "scale", 5) == 0 && val)
		return drv_decimal(val, vlen, 1e-9, 1e6, &d->scale) == HG_OK && d->scale > 0
			       ? HG_OK : HG_EINVAL;
	if (klen == 5 && strncmp(key, "input", 5) == 0 && !val) {
		d->input = 1;
		return HG_OK;
	}
	return HG_EINVAL;
}

/* An exception from the meter (it answered, but no): the link is fine. */
static int is_exception(int e)
{
	return e >= EMBXILFUN && e <= EMBXGTAR;
}

/* Read the count: HG_OK, HG_EINVAL for "illegal data address" (the register
 * is not there), HG_EIO otherwise (the link dropped unless the meter said no). */
static int read_count(struct meter_dev *d, uint32_t *count)
{
	uint16_t w[2];
	int n;

	if (!d->link.up) {
		if (mbl_now_ms() < d->next_try)
			return HG_EIO;
		d->next_try = mbl_now_ms() + MM_RETRY_MS;
		if (mbl_connect(&d->link) != HG_OK)
			return HG_EIO;
	}
	errno = 0;
	if (d->input)
		n = modbus_read_input_registers(d->link.ctx, d->reg, 2, w);
	else
		n = modbus_read_registers(d->link.ctx, d->reg, 2, w);
	if (n != 2) {
		int e = errno;

		if (e == EMBXILADD)
			return HG_EINVAL;
		if (!is_exception(e)) {
			mbl_drop(&d->link);
			d->next_try = 0;	/* the next read may reconnect at once */
		}
		return HG_EIO;
	}
	*count = (uint32_t)w[0] << 16 | w[1];
	return HG_OK;
}

static int mm_open(int rtu, struct meter_dev **out, const char *arg)
{
	struct meter_dev *d;
	uint32_t count;
	int r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	d->scale = 1.0;
	r = mbl_parse(&d->link.spec, rtu, arg, mm_option, d);
	if (r)
		goto fail;
	r = mbl_connect(&d->link);
	if (r)
		goto fail;
	r = read_count(d, &count);
	if (r)
		goto fail;
	*out = d;
	return HG_OK;
fail:
	mbl_close(&d->link);
	free(d);
	return r;
}

static int mm_open_tcp(struct meter_dev **out, const char *arg)
{
	return mm_open(0, out, arg);
}

static int mm_open_rtu(struct meter_dev **out, const char *arg)
{
	return mm_open(1, out, arg);
}

/* A register that was there at open and is gone now is the meter answering
 * nonsense: HG_EIO like any other failure, as meter.h says. */
static int mm_read(struct meter_dev *d, double *gallons)
{
	uint32_t count;

	if (!d || !gallons)
		return HG_EINVAL;
	if (read_count(d, &count) != HG_OK)
		return HG_EIO;
	*gallons = (double)count * d->scale;
	return HG_OK;
}

static void mm_close(struct meter_dev *d)
{
	if (!d)
		return;
	mbl_close(&d->link);
	free(d);
}

const struct meter_ops meter_modbus_tcp_ops = {
	.scheme = "modbus-tcp",
	.open = mm_open_tcp,
	.read = mm_read,
	.close = mm_close,
};

const struct meter_ops meter_modbus_rtu_ops = {
	.scheme = "modbus-rtu",
	.open = mm_open_rtu,
	.read = mm_read,
	.close = mm_close,
};
