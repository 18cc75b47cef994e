/* po_file.c: the translation files on disk.
 *
 * core/po.c parses a PO text and core/i18n.c keeps the tables; this file
 * reads the files they come from: po_load() one file, and the loader that
 * i18n_files_use() installs, which takes <dir>/<lang>.po from the folder the
 * environment variable HAULGATE_PO_DIR names (docs/TRANSLATING.md). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "po_file.h"
#include "../core/hg.h"
#include "../core/i18n.h"

int po_load(const char *path, struct po **out, struct po_error *err)
{
	FILE *f;
	char *buf = NULL;
	long n;
	int result = HG_EIO;

	*out = NULL;
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	f = fopen(path, "rb");
	if (!f) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "cannot open: %s", strerror(errno));
		return HG_EIO;
	}
	n = fseek(f, 0, SEEK_END) == 0 ? ftell(f) : -1;
	if (n < 0 || fseek(f, 0, SEEK_SET) != 0) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "cannot read: %s", strerror(errno));
		goto out;
	}
	if (n > PO_FILE_MAX) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "larger than %ld bytes", PO_FILE_MAX);
		result = HG_EINVAL;
		goto out;
	}
	buf = malloc((size_t)n + 1);
	if (!buf) {
		result = HG_ENOMEM;
		goto out;
	}
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "cannot read: %s",
				 ferror(f) ? strerror(errno) : "the file got shorter");
		goto out;
	}
	result = po_parse(buf, (size_t)n, out, err);
out:
	free(buf);
	fclose(f);
	return result;
}

/* i18n_loader_fn: lang's file of HAULGATE_PO_DIR, or NULL (not set, or the
 * file is broken: err says why). */
static struct po *from_dir(enum lang lang, char *where, size_t cap, struct po_error *err)
{
	const char *dir = getenv("HAULGATE_PO_DIR");
	struct po *po = NULL;
	int n;

	if (!dir || !*dir)
		return NULL;
	n = snprintf(where, cap, "%s/%s.po", dir, i18n_lang_code(lang));
	if (n < 0 || (size_t)n >= cap) {
		snprintf(where, cap, "HAULGATE_PO_DIR");
		err->line = 0;
		snprintf(err->msg, sizeof err->msg, "path too long");
		return NULL;
	}
	(void)po_load(where, &po, err);
	return po;
}

void i18n_files_use(void)
{
	i18n_set_loader(from_dir);
}
