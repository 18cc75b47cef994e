/* relay.h: the relays of a station (gate lock, discharge valve, ...).
 *
 * A backend is a const struct relay_ops picked by the scheme of the config's
 * `relay =` value ("sim:var/relays").  Relays are named; on = energised =
 * gate unlocked / valve open.  Off is the safe state of every relay: backends
 * start with every relay off and relay_close() turns them all off.
 * Every set is read back; a mismatch is HG_EIO. */
#ifndef RELAY_H
#define RELAY_H

#include "../core/hg.h"

struct relay_dev;

struct relay_ops {
	const char *scheme;	/* "sim" */
	/* Open the backend at arg (text after "scheme:") for the n relays named
	 * in names[] with their per-relay args[]; all relays off. */
	int (*open)(struct relay_dev **out, const char *arg, const char *const *names,
		    const char *const *args, int n, hg_time now);
	/* Set and read back. */
	int (*set)(struct relay_dev *d, const char *name, int on, hg_time now);
	int (*get)(struct relay_dev *d, const char *name, int *on);
	/* All relays off, release everything. */
	void (*close)(struct relay_dev *d, hg_time now);
};

/* Backend for a config value "scheme:arg"; NULL when no backend has it. */
const struct relay_ops *relay_backend(const char *spec, const char **arg);

/* The word for a relay state, as written in state files, logs and scenario
 * checks: gate locked/unlocked, valve closed/open, others off/on. */
const char *relay_word(const char *name, int on);
/* Parse such a word for name: 0, 1, or -1 when it is not one. */
int relay_word_parse(const char *name, const char *word);

extern const struct relay_ops relay_sim_ops;
/* Modbus relay modules (relay_modbus.c): "modbus-tcp:<host>:<port>" and
 * "modbus-rtu:<device>:<baud>", options ",heartbeat=<register>",
 * ",unit=<id>"; per-relay arg = coil address.  After a communication error
 * the next set() is HG_EIO and the link reconnects by itself (every coil off
 * first); see relay_modbus.c. */
extern const struct relay_ops relay_modbus_tcp_ops;
extern const struct relay_ops relay_modbus_rtu_ops;
/* GPIO lines through libgpiod (relay_gpio.c): "gpio:<chip>", option
 * ",heartbeat=<line>" (a line toggled every 200 ms while any relay is on, for
 * an external watchdog; not a relay's line); per-relay arg = line offset,
 * "<offset>,active-low" for a board switched by a low line.  open() is
 * HG_EINVAL for a bad value (before any chip is looked up), HG_ENOTFOUND when
 * the chip or a line does not exist. */
extern const struct relay_ops relay_gpio_ops;

/* Simulated relays only: fail the nth set() from now (1 = the next); with
 * forever, that one and every later one.  0 clears. */
void relay_sim_fail(struct relay_dev *d, int nth, int forever);

#endif
