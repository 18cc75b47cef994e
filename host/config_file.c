/* config_file.c: station.ini from its file; the time zone into the process.
 *
 * core/config.c turns the text of a station.ini into a struct config and
 * touches nothing else; this file does what that needs of the machine: it
 * reads the file (whole, at most CFG_FILE_MAX bytes), names the file's
 * folder so relative paths are taken from it, answers whether a time zone
 * exists under CFG_ZONEINFO, and sets TZ.  Start reading at config_load(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "config_file.h"
#include "../core/config_int.h"

/* The file's folder ("" for a bare name), or -1 when it does not fit. */
static int folder_of(const char *path, char *dir, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		dir[0] = '\0';
	else if (slash == path)
		snprintf(dir, cap, "/");
	else if ((size_t)(slash - path) < cap)
		snprintf(dir, cap, "%.*s", (int)(slash - path), path);
	else
		return -1;
	return 0;
}

/* The whole of a regular file of at most CFG_FILE_MAX bytes, in *out
 * (malloc'd, the caller frees), or an error said in why. */
static int read_whole(const char *path, char **out, size_t *len, char *why, size_t cap)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n;
	int rc = HG_EIO;

	if (!f) {
		snprintf(why, cap, "cannot open the configuration: %s", strerror(errno));
		return HG_EIO;
	}
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(why, cap, "not a regular file");
		goto fail;
	}
	if (st.st_size > CFG_FILE_MAX) {
		snprintf(why, cap, "the file is larger than %d bytes: not a station.ini",
			 CFG_FILE_MAX);
		goto fail;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		rc = HG_ENOMEM;
		snprintf(why, cap, "out of memory");
		goto fail;
	}
	n = fread(buf, 1, (size_t)st.st_size + 1, f);
	if (ferror(f) || n > (size_t)st.st_size) {
		snprintf(why, cap, "read error: %s", ferror(f) ? strerror(errno) : "the file grew");
		goto fail;
	}
	fclose(f);
	*out = buf;
	*len = n;
	return HG_OK;
fail:
	free(buf);
	fclose(f);
	return rc;
}

int config_load(struct config *cfg, const char *path, struct config_errors *errs)
{
	char dir[CFG_PATH], why[200];
	char *text = NULL;
	size_t len = 0;
	int rc;

	if (errs && (errs->n < 0 || errs->n > CFG_MAX_ERRORS))
		errs->n = 0;
	if (!cfg || !path)
		return HG_EINVAL;
	rc = read_whole(path, &text, &len, why, sizeof why);
	if (rc) {
		config_error_add(errs, why);
		return rc;
	}
	if (folder_of(path, dir, sizeof dir) != 0) {
		config_error_add(errs, "the folder of the configuration file is too long a path");
		free(text);
		return HG_EINVAL;
	}
	rc = config_parse(cfg, text, len, dir, config_zone_exists, errs);
	free(text);
	return rc;
}

int config_zone_exists(const char *name)
{
	char path[sizeof CFG_ZONEINFO + 64];
	char magic[4];
	struct stat st;
	FILE *f;
	size_t n;
	int ok;

	if (!name || !cfg_zone_name_ok(name))
		return 0;
	n = (size_t)snprintf(path, sizeof path, "%s/%s", CFG_ZONEINFO, name);
	if (n >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

int config_apply_timezone(const struct config *cfg)
{
	if (!cfg || cfg->timezone[0] == '\0')
		return HG_OK;
	if (!config_zone_exists(cfg->timezone))
		return HG_EINVAL;
	if (setenv("TZ", cfg->timezone, 1) != 0)
		return HG_EIO;
	tzset();
	return HG_OK;
}
