/* devices.h: the one place a program opens a station's devices.
 *
 * devices_open() takes the station's device lock (drivers/devlock.h), opens
 * the relays, the card reader, the printer and the meter the configuration
 * names (those the caller asks for), and arms the fail-safe hook: from then
 * until devices_close(), every way out of the process leaves the gate locked
 * and the valve closed (every relay off): exit() (atexit), a stop signal
 * (SIGINT, SIGTERM, SIGHUP) and a fatal one (SIGSEGV, SIGBUS, SIGFPE,
 * SIGILL, SIGABRT: best effort, then the signal is raised again; what makes
 * a crash safe at the gate is the relay module's watchdog).  The hook is
 * registered here and nowhere else; the kiosk (through station_open),
 * `haulgate simulate` (the same) and `haulgate hw` all open their devices
 * here.  Opening the relays puts every relay off; closing does it again. */
#ifndef DEVICES_H
#define DEVICES_H

#include "../core/config.h"
#include "../drivers/meter.h"
#include "../drivers/nfc.h"
#include "../drivers/printer.h"
#include "../drivers/relay.h"

#include <signal.h>

/* Which devices, as a mask. */
enum {
	DEV_RELAYS = 1,
	DEV_READER = 2,
	DEV_PRINTER = 4,
	DEV_METER = 8,	/* only when the configuration names a meter */
	DEV_ALL = 15
};

struct devices;

/* A stop signal (SIGINT, SIGTERM, SIGHUP) sets *flag instead of ending the
 * process: for a program whose loop looks at the flag and then closes its
 * devices (the kiosk, `hw relay --hold`, a wait for a card or a printer).
 * Without it, a stop signal turns every relay off and ends the process by
 * that signal.  A stop signal the process was started ignoring (nohup, a
 * background job of a script) stays ignored.  Process-wide; call it from the
 * main thread (NULL: back to ending the process).  Installs the handlers at
 * once. */
void devices_catch_stops(volatile sig_atomic_t *flag);

/* Take the device lock of the station at cfg->db_path as who (for a refused
 * caller to read: "haulgate hw relay"; NULL: the program's name) and open
 * the devices in need, the relays first (all off).  A device in may_fail
 * that cannot be opened is left closed and the start goes on: why is kept
 * for devices_why().  Any other failure closes what was opened, releases the
 * lock and returns the error, said through the report channel (core/report.h):
 * HG_EBUSY "the station's devices are in use by <who>", or the device that
 * failed.  cfg is borrowed until devices_close().  At most one set is open
 * in a process (the lock sees to it). */
int devices_open(struct devices **out, const struct config *cfg, const char *who,
		 unsigned need, unsigned may_fail, hg_time now);

/* Every relay off, every device closed, the hook disarmed, the lock released
 * last.  NULL is fine. */
void devices_close(struct devices *d, hg_time now);

/* The open devices and their backends; NULL for one not asked for or not
 * open.  The set keeps them; use them, do not close them. */
const struct relay_ops *devices_relays(const struct devices *d, struct relay_dev **dev);
const struct nfc_ops *devices_reader(const struct devices *d, struct nfc_dev **dev);
const struct printer_ops *devices_printer(const struct devices *d, struct printer_dev **dev);
/* The meter's backend whether or not it is open (NULL: no meter named). */
const struct meter_ops *devices_meter(const struct devices *d, struct meter_dev **dev);

/* Open the meter again when it is not open (a meter that stopped answering
 * is tried again at the next discharge).  HG_OK, or the driver's error. */
int devices_meter_retry(struct devices *d);

/* What failed when one device of may_fail (DEV_RELAYS ...) was opened: its
 * error (HG_OK: it is open, or was not asked for), and why[cap] in words. */
int devices_why(const struct devices *d, unsigned which, char *why, size_t cap);

/* Every relay off now, through the set's own relays; HG_OK or the first
 * error (the others are still tried). */
int devices_all_off(struct devices *d, hg_time now);

#endif
