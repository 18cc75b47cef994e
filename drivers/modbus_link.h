/* modbus_link.h: one Modbus connection as the relay and meter drivers see it.
 *
 * Both drivers take the same address syntax,
 *
 *   modbus-tcp:<host>:<port>[,<option>...]
 *   modbus-rtu:<device>:<baud>[,<option>...]
 *
 * (the last ':' before the first ',' splits the two; a host may be a name or
 * an address).  mbl_parse() reads the address and `unit=<id>` and hands every
 * other option to the driver's own callback; mbl_connect() (re)opens the link
 * with the 500 ms timeouts both drivers use; mbl_drop() closes it after an
 * error so that the next mbl_connect() starts afresh.  Only the .c files of
 * drivers/ include this. */
#ifndef MODBUS_LINK_H
#define MODBUS_LINK_H

#include "../core/hg.h"

#include <modbus.h>

#define MBL_SPEC_MAX 255	/* longest arg (after "modbus-xxx:") accepted */
#define MBL_TIMEOUT_US 500000	/* TCP connect and every request */

struct mbl_spec {
	int rtu;
	char where[MBL_SPEC_MAX + 1];	/* host or serial device */
	long port;			/* TCP port, or RTU baud rate */
	long unit;			/* unit (slave) id; default 255 TCP, 1 RTU */
};

/* A driver's option: key (klen bytes) and its value after '=' (val NULL when
 * the option has no '=', as in ",input").  HG_OK when known and valid, else
 * HG_EINVAL. */
typedef int (*mbl_option_fn)(void *ctx, const char *key, size_t klen, const char *val,
			     size_t vlen);

/* Parse arg into s.  HG_OK, or HG_EINVAL for an arg that is too long, has no
 * address, a bad port/baud (TCP 1..65535, RTU 50..4000000), a bad unit
 * (0..255), an empty option (",," or a trailing ',') or an option opt does
 * not take (opt NULL: only unit=). */
int mbl_parse(struct mbl_spec *s, int rtu, const char *arg, mbl_option_fn opt, void *ctx);

struct mbl {
	struct mbl_spec spec;
	modbus_t *ctx;		/* NULL until the first mbl_connect() */
	int up;			/* connected and no error since */
};

/* Connect l to l->spec, closing any connection first.  HG_OK, or HG_EIO
 * (l->up 0) when the module cannot be reached; call it again to retry. */
int mbl_connect(struct mbl *l);

/* After a communication error: close the connection (l->up 0). */
void mbl_drop(struct mbl *l);

/* Close and free everything (l may then be set up again). */
void mbl_close(struct mbl *l);

/* Words for the Modbus exception a device answered with, from errno after a
 * failed libmodbus call ("illegal data address"), or NULL when err is not an
 * exception (no answer, a broken frame: a communication error). */
const char *mbl_exception(int err);

/* 1 when err is the exception a device gives for a function or an address
 * it does not have (illegal function, illegal data address), else 0. */
int mbl_no_such(int err);

/* A monotonic clock in milliseconds, for backoff. */
long mbl_now_ms(void);

#endif
