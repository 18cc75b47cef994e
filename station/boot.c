/* boot.c: the start every station program shares (boot.h): configuration,
 * time zone, database, station id, keys, each step once, in that order.
 *
 * The words of each failure are the ones a person at the station needs
 * ("no database at 'var/haulgate.db': run 'haulgate init' first"), said
 * once here for the CLI and the kiosk alike.  Start reading at boot_open(). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sodium.h>

#include "boot.h"
#include "../core/report.h"
#include "../host/config_file.h"
#include "../host/keyfile.h"
#include "../core/text.h"

const char *boot_config_file(const char *config_opt)
{
	if (config_opt)
		return config_opt;
	if (access("station.ini", F_OK) == 0)
		return "station.ini";
	return NULL;
}

/* Defaults, the file, --db, the time zone. */
static int open_config(struct boot *b)
{
	struct config *cfg = b->cfg;
	const char *path = boot_config_file(b->config_opt);
	int rc;

	b->config_path = path;
	memset(&b->errs, 0, sizeof b->errs);
	config_defaults(cfg);
	if (path) {
		rc = config_load(cfg, path, &b->errs);
		if (rc != HG_OK && b->errs.n == 0) {
			b->errs.n = 1;
			snprintf(b->errs.e[0].msg, sizeof b->errs.e[0].msg,
				 "cannot read the configuration");
		}
		if (rc != HG_OK || b->errs.n > 0)
			return hg_fail(HG_EINVAL, "%s: %d error%s in the configuration", path,
				       b->errs.n, b->errs.n == 1 ? "" : "s");
	}
	if (b->db_opt && text_copy(cfg->db_path, sizeof cfg->db_path, b->db_opt) < 0)
		return hg_fail(HG_ETOOLONG, "--db: path longer than %zu bytes",
			       sizeof cfg->db_path - 1);
	rc = config_apply_timezone(cfg);
	if (rc != HG_OK)
		return hg_fail(HG_EINVAL, "timezone '%s' is not known", cfg->timezone);
	return HG_OK;
}

/* The database, which must be there and initialised, and the station id
 * settled by the one rule (config_station_id). */
static int open_store(struct boot *b, int read_only)
{
	struct config *cfg = b->cfg;
	char id[64];
	int rc;

	if (access(cfg->db_path, F_OK) != 0 && errno == ENOENT)
		return hg_fail(HG_ENOTFOUND, "no database at '%s': run 'haulgate init' first",
			       cfg->db_path);
	rc = store_open(&b->st, cfg->db_path, 0);
	if (rc == HG_ENOTFOUND)
		return hg_fail(rc, "no database at '%s': run 'haulgate init' first", cfg->db_path);
	if (rc != HG_OK)
		return rc;	/* store_open said why */
	rc = store_meta_get(b->st, "station_id", id, sizeof id);
	if (rc == HG_ENOTFOUND)
		rc = hg_fail(rc, "database '%s' is not initialised: run 'haulgate init' first",
			     cfg->db_path);
	else if (rc == HG_OK) {
		rc = config_station_id(cfg, id, read_only ? CFG_ID_READ : CFG_ID_WRITE,
				       b->config_path);
	}
	if (rc != HG_OK) {
		store_close(b->st);
		b->st = NULL;
	}
	return rc;
}

static int open_key(struct boot *b)
{
	const char *path = b->cfg->key_path;
	int rc;

	rc = keys_load(path, &b->kp);
	if (rc == HG_ENOTFOUND)
		return hg_fail(rc, "no station key at '%s': run 'haulgate init' first", path);
	if (rc != HG_OK)
		return hg_fail(rc, "cannot read the station key: %s", hg_error_text());
	return HG_OK;
}

static int open_pin_key(struct boot *b)
{
	char path[CFG_PATH + 16];
	int rc;

	if (keys_pin_path(b->cfg->key_path, path, sizeof path) != HG_OK)
		return hg_fail(HG_ETOOLONG, "the station key path '%s' is too long",
			       b->cfg->key_path);
	rc = keys_pin_load(path, &b->kp);
	if (rc == HG_ENOTFOUND)
		return hg_fail(rc, "no PIN key at '%s': the PIN hashes in the database are keyed "
			       "with it, so no PIN can be checked or set without it; put back the "
			       "station's copy of '%s' (docs/CONFIG.md)", path, path);
	if (rc != HG_OK)
		return hg_fail(rc, "cannot read the PIN key: %s", hg_error_text());
	return HG_OK;
}

int boot_open(struct boot *b, unsigned need)
{
	int rc;

	hg_error_clear();
	if (!(b->have & BOOT_CONFIG)) {
		rc = open_config(b);
		if (rc)
			return rc;
		b->have |= BOOT_CONFIG;
	}
	if ((need & BOOT_STORE) && !(b->have & BOOT_STORE)) {
		rc = open_store(b, (need & BOOT_READ_ONLY) != 0);
		if (rc)
			return rc;
		b->have |= BOOT_STORE;
	}
	if ((need & BOOT_KEY) && !(b->have & BOOT_KEY)) {
		rc = open_key(b);
		if (rc)
			return rc;
		b->have |= BOOT_KEY;
	}
	if ((need & BOOT_PIN_KEY) && !(b->have & BOOT_PIN_KEY)) {
		rc = open_pin_key(b);
		if (rc)
			return rc;
		b->have |= BOOT_PIN_KEY;
	}
	return HG_OK;
}

void boot_config_errors(const struct boot *b, FILE *f)
{
	const char *path = b->config_path ? b->config_path : "the configuration";

	for (int i = 0; i < b->errs.n; i++) {
		if (b->errs.e[i].line > 0)
			fprintf(f, "%s:%d: %s\n", path, b->errs.e[i].line, b->errs.e[i].msg);
		else
			fprintf(f, "%s: %s\n", path, b->errs.e[i].msg);
	}
}

void boot_close(struct boot *b)
{
	if (b->st)
		store_close(b->st);
	b->st = NULL;
	sodium_memzero(&b->kp, sizeof b->kp);
	b->have &= ~(unsigned)(BOOT_STORE | BOOT_KEY | BOOT_PIN_KEY);
}
