/* config_file.h: station.ini read from its file, and the process's time
 * zone set from it: the file and environment side of core/config.h, which
 * only turns text into a struct config. */
#ifndef HOST_CONFIG_FILE_H
#define HOST_CONFIG_FILE_H

#include "../core/config.h"

/* Read the file at path over the current contents of cfg (config_parse()
 * over its text, relative paths taken from the file's folder, time zones
 * checked under CFG_ZONEINFO).  Every unknown section or key, bad value or
 * unreadable file adds an error to errs (if not NULL); good keys are still
 * applied.  Returns HG_OK when there was no error, HG_EINVAL otherwise
 * (HG_EIO when the file cannot be read at all: missing, not a regular file,
 * larger than CFG_FILE_MAX). */
int config_load(struct config *cfg, const char *path, struct config_errors *errs);

/* Is name a time zone file (TZif) under CFG_ZONEINFO?  A config_zone_fn. */
int config_zone_exists(const char *name);

/* Make cfg->timezone the process's local time: setenv("TZ") and tzset().
 * Does nothing when timezone is "" (the machine's zone, or TZ as it is).
 * Returns HG_OK, HG_EINVAL (no such zone under CFG_ZONEINFO) or HG_EIO
 * (setenv failed).  Call it once at start, before any thread. */
int config_apply_timezone(const struct config *cfg);

/* The largest station.ini read (a bigger one is refused, not cut). */
#define CFG_FILE_MAX (1024 * 1024)

#endif
