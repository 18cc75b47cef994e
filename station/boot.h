/* boot.h: starting a station program, written once.
 *
 * Every program that works on a station starts the same way: the
 * configuration (the built-in defaults, then --config or ./station.ini, then
 * --db), the time zone it names, the database (which must exist and be
 * initialised), the station's id settled by the one rule (config_station_id()
 * in core/config_value.c: the id recorded at init wins; another [station] id
 * is refused, or only warned about by a program that only reads), and the
 * station's keys (the Ed25519 key and the PIN key beside it).  boot_open()
 * does the steps the caller asks for, in that order, each once: the CLI asks
 * for the configuration at start and for the database when a command needs
 * it; the kiosk and `simulate` ask for everything, then open the station
 * (station_open(), whose devices open through station/devices.c).  Failures
 * are said through the report channel (core/report.h); a warning (the id of
 * a reading program) goes through hg_warn(). */
#ifndef BOOT_H
#define BOOT_H

#include <stdio.h>
#include "../core/config.h"
#include "../core/keys.h"
#include "../db/store.h"

/* What a program needs, as a mask for boot_open(). */
enum {
	BOOT_CONFIG = 1,	/* the configuration and its time zone (always done first) */
	BOOT_STORE = 2,		/* the database, and the station id settled */
	BOOT_READ_ONLY = 4,	/* with BOOT_STORE: the program only reads (an id mismatch warns) */
	BOOT_KEY = 8,		/* the station's signing key */
	BOOT_PIN_KEY = 16	/* the PIN key beside it (no PIN is checked without it) */
};

struct boot {
	/* set by the caller before the first boot_open() */
	struct config *cfg;		/* filled here (large: not on the stack) */
	const char *config_opt;		/* --config, or NULL: ./station.ini when there is one */
	const char *db_opt;		/* --db, or NULL: the configuration's */
	/* filled by boot_open() */
	const char *config_path;	/* the file read, or NULL: the built-in defaults */
	struct config_errors errs;	/* the configuration's errors, when it was refused */
	struct store *st;		/* BOOT_STORE: the database (boot_close closes it) */
	struct keypair kp;		/* BOOT_KEY, BOOT_PIN_KEY (boot_close wipes them) */
	unsigned have;			/* the steps done */
};

/* The file the configuration comes from: config_opt, or "station.ini" when
 * it exists, or NULL (built-in defaults only). */
const char *boot_config_file(const char *config_opt);

/* Do the steps of need that are not done yet, in order: BOOT_CONFIG (always
 * first), BOOT_STORE, BOOT_KEY, BOOT_PIN_KEY.  Returns HG_OK, or the first failure, said
 * through the report channel; a configuration with errors is HG_EINVAL with
 * every error in b->errs (boot_config_errors() prints them). */
int boot_open(struct boot *b, unsigned need);

/* Print b->errs to f, one a line: "FILE:LINE: message" (or "FILE: message"). */
void boot_config_errors(const struct boot *b, FILE *f);

/* Close the database and wipe the keys; b can be opened again. */
void boot_close(struct boot *b);

#endif
