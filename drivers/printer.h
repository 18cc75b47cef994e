/* printer.h: the receipt printer.
 *
 * A backend is a const struct printer_ops picked by the scheme of the config's
 * `printer =` value.  A job is a finished text (composed by core/receipt.c)
 * with its kind and a name; the backend prints it or says why not, and never
 * blocks a load for long. */
#ifndef PRINTER_H
#define PRINTER_H

#include "../core/hg.h"

/* enum print_kind (what is printed) is in core/hg.h: the state machine names it too. */

/* "receipt", "refusal", "label", "summary", "test" */
const char *print_kind_code(enum print_kind k);
int print_kind_parse(const char *s);		/* -1 when unknown */

struct print_job {
	enum print_kind kind;
	const char *name;	/* "load-000123" */
	const char *text;	/* UTF-8 text of the slip */
	const char *qr;		/* QR text, or NULL */
};

/* A job that ended after print() had taken it (HG_OK): printed, or given up
 * (printer stopped, out of paper, gone, too slow).  A job given up is not
 * printed later by itself: the caller logs it and the operator reprints. */
struct print_done {
	char name[48];
	enum print_kind kind;
	int ok;			/* 1 printed, 0 given up */
	char why[128];		/* when not ok: what the printer said, in English */
};

struct printer_dev;

struct printer_ops {
	const char *scheme;	/* "file" */
	int (*open)(struct printer_dev **out, const char *arg);
	/* HG_OK printed; HG_EIO not printed (the caller keeps it for reprint). */
	int (*print)(struct printer_dev *d, const struct print_job *job);
	/* Jobs that ended since the last call, at most cap into out[]; returns
	 * how many.  Never blocks.  NULL for a backend whose print() finishes
	 * the job itself. */
	int (*poll)(struct printer_dev *d, struct print_done *out, int cap);
	/* Is the printer ready now?  HG_OK or HG_EIO, with what it says in
	 * msg[cap] (English, for `hw check`).  NULL: opening it was the check. */
	int (*check)(struct printer_dev *d, char *msg, size_t cap);
	void (*close)(struct printer_dev *d);
};

const struct printer_ops *printer_backend(const char *spec, const char **arg);

/* Text files in a folder: <folder>/<name>-<kind>.txt, written whole (temp file
 * and rename).  The QR text is the last line, "QR: <text>". */
extern const struct printer_ops printer_file_ops;

/* An ESC/POS thermal printer on a CUPS raw queue:
 * "cups:<queue>[,width=384|576][,timeout=<seconds>]" (width 576 dots = 80 mm
 * paper, timeout 30 s).  print() renders and hands the job to cupsd, then
 * returns; a thread follows the job, and poll() reports it printed, or given
 * up and cancelled (queue stopped, out of paper, printer or cupsd gone, not
 * done within the timeout).  print() and poll() are for one thread; the
 * printer is found through cupsServer() (CUPS_SERVER) as it is at open. */
extern const struct printer_ops printer_cups_ops;

/* File printer only: fail the nth print from now (out of paper); see relay_sim_fail. */
void printer_file_fail(struct printer_dev *d, int nth, int forever);

#endif
