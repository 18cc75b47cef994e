/* meter.h: the flow meter on the discharge line.
 *
 * A backend is a const struct meter_ops picked by the scheme of the config's
 * `meter =` value (empty: the station has no meter).  A meter gives its
 * totaliser: the gallons counted since some origin the meter chose, never
 * going down except when it wraps or is reset.  The station reads it when the
 * valve opens and again while it is open; a load's measured gallons are the
 * difference. */
#ifndef METER_H
#define METER_H

#include "../core/hg.h"

struct meter_dev;

struct meter_ops {
	const char *scheme;	/* "sim", "modbus-tcp", "modbus-rtu", "gpio-pulse" */
	/* HG_EINVAL for a bad arg (options after the address, see each
	 * backend), HG_EIO when the meter does not answer. */
	int (*open)(struct meter_dev **out, const char *arg);
	/* The totaliser in gallons.  HG_OK, or HG_EIO when the meter does not
	 * answer or answers nonsense; the caller may go on reading. */
	int (*read)(struct meter_dev *d, double *gallons);
	void (*close)(struct meter_dev *d);
};

/* Backend for a config value "scheme:arg"; NULL when no backend has it. */
const struct meter_ops *meter_backend(const char *spec, const char **arg);

/* Simulated meter: the totaliser is the number in a text file (made with 0
 * if missing); a test or scenario writes it. */
extern const struct meter_ops meter_sim_ops;

/* Simulated meter only: the nth read from now (1 = the next) fails with
 * HG_EIO, the file unread; with forever, that read and every later one.
 * nth <= 0 clears the fault.  Each call restarts the count; a NULL d is
 * ignored.  See relay_sim_fail. */
void meter_sim_fail(struct meter_dev *d, int nth, int forever);
/* A magnetic flow meter's totaliser over Modbus (meter_modbus.c):
 * "modbus-tcp:<host>:<port>[,register=<n>][,scale=<gallons per count>]
 * [,unit=<id>][,input]" and the same for "modbus-rtu:<device>:<baud>". */
extern const struct meter_ops meter_modbus_tcp_ops;
extern const struct meter_ops meter_modbus_rtu_ops;
/* Pulses counted on a GPIO line (libgpiod):
 * "gpio-pulse:<chip>:<line>[,gallons=<per pulse>]". */
extern const struct meter_ops meter_gpio_pulse_ops;

#endif
