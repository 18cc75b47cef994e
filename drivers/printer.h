/* printer.h: the receipt printer.
 *
 * A backend is a const struct printer_ops picked by the scheme of the config's
 * `printer =` value.  A job is a finished text (composed by core/receipt.c)
 * with its kind and a name; the backend prints it or says why not, and never
 * blocks a load for long. */
#ifndef PRINTER_H
#define PRINTER_H

#include "../core/hg.h"

enum print_kind { PRINT_RECEIPT = 0, PRINT_REFUSAL, PRINT_LABEL, PRINT_KIND_COUNT };

const char *print_kind_code(enum print_kind k);	/* "receipt", "refusal", "label" */
int print_kind_parse(const char *s);		/* -1 when unknown */

struct print_job {
	enum print_kind kind;
	const char *name;	/* "load-000123" */
	const char *text;	/* UTF-8 text of the slip */
	const char *qr;		/* QR text, or NULL */
};

struct printer_dev;

struct printer_ops {
	const char *scheme;	/* "file" */
	int (*open)(struct printer_dev **out, const char *arg);
	/* HG_OK printed; HG_EIO not printed (the caller keeps it for reprint). */
	int (*print)(struct printer_dev *d, const struct print_job *job);
	void (*close)(struct printer_dev *d);
};

const struct printer_ops *printer_backend(const char *spec, const char **arg);

/* Text files in a folder: <folder>/<name>-<kind>.txt, written whole (temp file
 * and rename).  The QR text is the last line, "QR: <text>". */
extern const struct printer_ops printer_file_ops;

/* File printer only: fail the nth print from now (out of paper); see relay_sim_fail. */
void printer_file_fail(struct printer_dev *d, int nth, int forever);

#endif
