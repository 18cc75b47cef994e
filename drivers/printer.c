/* printer.c: picking a printer backend by the scheme of the config's
 * `printer =` value ("file:var/prints", "cups:receipt"), and the codes of the
 * print kinds as they appear in file names, logs and scenario checks.  Add a
 * backend by adding its ops to the table below. */
#include "printer.h"
#include "drv.h"

#include <string.h>

static const struct printer_ops *const backends[] = {
	&printer_file_ops,
	&printer_cups_ops,
};

const struct printer_ops *printer_backend(const char *spec, const char **arg)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(backends); i++) {
		if (drv_scheme_is(spec, backends[i]->scheme, arg))
			return backends[i];
	}
	return NULL;
}

static const char *const kind_codes[PRINT_KIND_COUNT] = {
	[PRINT_RECEIPT] = "receipt",
	[PRINT_REFUSAL] = "refusal",
	[PRINT_LABEL] = "label",
	[PRINT_SUMMARY] = "summary",
	[PRINT_TEST] = "test",
};

const char *print_kind_code(enum print_kind k)
{
	if ((unsigned)k >= PRINT_KIND_COUNT)
		return "?";
	return kind_codes[k];
}

int print_kind_parse(const char *s)
{
	int i;

	for (i = 0; s && i < PRINT_KIND_COUNT; i++) {
		if (strcmp(s, kind_codes[i]) == 0)
			return i;
	}
	return -1;
}
