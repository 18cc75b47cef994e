/* modbus_link.c: the Modbus address syntax and connection both Modbus drivers
 * use (see modbus_link.h).
 *
 * mbl_parse() is the only place that knows "host:port,opt,opt"; the relay
 * driver (relay_modbus.c) and the meter driver (meter_modbus.c) give it a
 * callback for their own options.  Reconnecting is the drivers' business:
 * they call mbl_drop() on an error and mbl_connect() when they want the link
 * again.  mbl_exception() names the exception a device answered with, so
 * that "it answered no" is never reported as "it does not answer".  Start
 * reading at mbl_parse(). */
#include "modbus_link.h"
#include "drv.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int mbl_parse(struct mbl_spec *s, int rtu, const char *arg, mbl_option_fn opt, void *ctx)
{
	const char *comma, *o;
	char *colon;
	size_t len;

	memset(s, 0, sizeof *s);
	s->rtu = rtu;
	s->unit = rtu ? 1 : MODBUS_TCP_SLAVE;
	if (!arg || strlen(arg) > MBL_SPEC_MAX)
		return HG_EINVAL;
	comma = strchr(arg, ',');
	len = comma ? (size_t)(comma - arg) : strlen(arg);
	memcpy(s->where, arg, len);
	s->where[len] = '\0';
	colon = strrchr(s->where, ':');
	if (!colon || colon == s->where)
		return HG_EINVAL;
	*colon = '\0';
	s->port = rtu ? drv_number(colon + 1, strlen(colon + 1), 50, 4000000)
		      : drv_number(colon + 1, strlen(colon + 1), 1, 65535);
	if (s->port < 0)
		return HG_EINVAL;
	for (o = comma; o; o = comma) {
		const char *eq;
		size_t olen;

		o++;
		comma = strchr(o, ',');
		olen = comma ? (size_t)(comma - o) : strlen(o);
		if (olen == 0)
			return HG_EINVAL;	/* ",," or a trailing ',' */
		eq = memchr(o, '=', olen);
		if (eq && eq - o == 4 && strncmp(o, "unit", 4) == 0) {
			s->unit = drv_number(eq + 1, olen - 5, 0, 255);
			if (s->unit < 0)
				return HG_EINVAL;
		} else if (!opt) {
			return HG_EINVAL;
		} else if (eq) {
			if (opt(ctx, o, (size_t)(eq - o), eq + 1, olen - (size_t)(eq - o) - 1) != HG_OK)
				return HG_EINVAL;
		} else if (opt(ctx, o, olen, NULL, 0) != HG_OK) {
			return HG_EINVAL;
		}
	}
	return HG_OK;
}

int mbl_connect(struct mbl *l)
{
	char port[16];

	l->up = 0;
	if (!l->ctx) {
		if (l->spec.rtu) {
			l->ctx = modbus_new_rtu(l->spec.where, (int)l->spec.port, 'N', 8, 1);
		} else {
			snprintf(port, sizeof port, "%ld", l->spec.port);
			l->ctx = modbus_new_tcp_pi(l->spec.where, port);
		}
		if (!l->ctx)
			return HG_EIO;
		if (modbus_set_slave(l->ctx, (int)l->spec.unit) != 0) {
			mbl_close(l);
			return HG_EIO;
		}
		modbus_set_response_timeout(l->ctx, 0, MBL_TIMEOUT_US);
	} else {
		modbus_close(l->ctx);
	}
	if (modbus_connect(l->ctx) != 0)
		return HG_EIO;
	l->up = 1;
	return HG_OK;
}

void mbl_drop(struct mbl *l)
{
	if (l->ctx && l->up)
		modbus_close(l->ctx);
	l->up = 0;
}

void mbl_close(struct mbl *l)
{
	if (l->ctx) {
		mbl_drop(l);
		modbus_free(l->ctx);
	}
	l->ctx = NULL;
	l->up = 0;
}

const char *mbl_exception(int err)
{
	static const char *const words[] = {
		[MODBUS_EXCEPTION_ILLEGAL_FUNCTION] = "illegal function",
		[MODBUS_EXCEPTION_ILLEGAL_DATA_ADDRESS] = "illegal data address",
		[MODBUS_EXCEPTION_ILLEGAL_DATA_VALUE] = "illegal data value",
		[MODBUS_EXCEPTION_SLAVE_OR_SERVER_FAILURE] = "device failure",
		[MODBUS_EXCEPTION_ACKNOWLEDGE] = "acknowledge (still busy with an earlier request)",
		[MODBUS_EXCEPTION_SLAVE_OR_SERVER_BUSY] = "device busy",
		[MODBUS_EXCEPTION_NEGATIVE_ACKNOWLEDGE] = "negative acknowledge",
		[MODBUS_EXCEPTION_MEMORY_PARITY] = "memory parity error",
		[MODBUS_EXCEPTION_GATEWAY_PATH] = "gateway path unavailable",
		[MODBUS_EXCEPTION_GATEWAY_TARGET] = "the gateway's target device did not respond",
	};
	long code = (long)err - MODBUS_ENOBASE;

	if (code < 1 || code >= (long)HG_ARRAY_LEN(words) || !words[code])
		return NULL;
	return words[code];
}

int mbl_no_such(int err)
{
	return err == EMBXILFUN || err == EMBXILADD;
}

long mbl_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}
