/* config_policy.h: the keys of station.ini the plant may set for its
 * stations (docs/CONFIG.md, "Set at the plant"), checked and applied by the
 * very parser station.ini is read with (core/config.c).
 *
 * The plant's policy_set event names a key as SECTION.KEY ("hours.mon"),
 * one station or all ("*"), and a value written as station.ini writes it.
 * The plant checks the value with config_policy_check() before it logs the
 * event; each station lays the plant's values over its own station.ini
 * with config_policy_overlay(): a station's own value from the plant over
 * the plant's value for all stations over station.ini.  Values in, values
 * out: no I/O. */
#ifndef CONFIG_POLICY_H
#define CONFIG_POLICY_H

#include "config.h"

#define CFG_POLICY_SECTION 16	/* bytes of a section name, with its NUL */
#define CFG_POLICY_KEY 32	/* bytes of a key name, with its NUL */
#define CFG_POLICY_VALUE 1024	/* bytes of a value, with its NUL */
#define CFG_POLICY_ALL "*"	/* the scope of a value for every station */

/* Policy key i ("hours", "mon"), in station.ini's order, or HG_ENOTFOUND
 * past the last. */
int config_policy_key_at(int i, const char **section, const char **key);

/* Is section.key one the plant may set?  1 or 0. */
int config_policy_known(const char *section, const char *key);

/* "hours.mon" split into section and key, a policy key.  HG_OK, or
 * HG_EINVAL with words that say why (not SECTION.KEY, no such key of
 * station.ini, or a key the station keeps to itself) and which keys the
 * plant may set. */
int config_policy_split(const char *dotted, char section[CFG_POLICY_SECTION],
			char key[CFG_POLICY_KEY]);

/* Is scope "*" or a station id (1 to 31 letters, digits or '-')?  HG_OK or
 * HG_EINVAL with words. */
int config_policy_scope(const char *scope);

/* Check value for section.key as station.ini's parser does, over
 * config_defaults().  HG_OK, or HG_EINVAL with the parser's own message
 * ("[hours] mon: must be ...") as the error's words; a value with a
 * control character (a line break would be a second key) is refused
 * before it. */
int config_policy_check(const char *section, const char *key, const char *value);

/* Set section.key = value in cfg, as if station.ini had said it last.
 * HG_OK, or HG_EINVAL with why[cap] the parser's message and cfg as it
 * was. */
int config_policy_apply(struct config *cfg, const char *section, const char *key,
			const char *value, char *why, size_t cap);

/* The value cfg holds for section.key, written as station.ini would write
 * it ("06:00-18:00", "closed", "septage,grease", "5%"), into out[cap].
 * HG_OK, HG_EINVAL for a key that is not a policy key. */
int config_policy_format(const struct config *cfg, const char *section, const char *key,
			 char *out, size_t cap);

/* A value the plant set, as the stations keep it (the policy table). */
struct cfg_policy_row {
	const char *scope;	/* CFG_POLICY_ALL or a station id */
	const char *section, *key, *value;
	int used;		/* out: CFG_USED_* */
	char why[200];		/* out, CFG_USED_REFUSED: the parser's words */
};

enum {
	CFG_USED_OTHER = 0,	/* another station's value */
	CFG_USED_APPLIED,	/* laid over station.ini: the value in force */
	CFG_USED_OVERRIDDEN,	/* an all-stations value under this station's own */
	CFG_USED_REFUSED	/* this station's parser refused it: station.ini's stays */
};

/* Lay rows[n] over cfg for the station station_id: first the values for
 * all stations, then those for this one, each through
 * config_policy_apply(); a value refused here (a plant newer than this
 * station, a key this station does not know) leaves what was there and is
 * marked CFG_USED_REFUSED.  Returns how many were refused. */
int config_policy_overlay(struct config *cfg, const char *station_id,
			  struct cfg_policy_row *rows, int n);

#endif
