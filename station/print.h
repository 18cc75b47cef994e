/* print.h: a slip printed and logged, the one printing path of the station
 * and of `haulgate hw reprint`.
 *
 * print_load() composes the slip (station/slip.c), hands it to the printer
 * and logs "printed" (the printer took the job) or "print_failed"; a printer
 * that follows its jobs (CUPS) may give one up later, which
 * print_log_given_up() logs as a second event.  The log is what makes a slip
 * "kept" (store_kept_slips()), whoever printed it. */
#ifndef PRINT_H
#define PRINT_H

#include "slip.h"
#include "../core/keys.h"

/* Where and as whom a slip is printed; all borrowed. */
struct print_to {
	const struct config *cfg;
	const struct keypair *kp;	/* signs the receipt's QR */
	struct store *st;		/* the load's records; the log */
	const struct printer_ops *ops;	/* NULL: it could not be opened (nothing prints) */
	struct printer_dev *dev;
	struct slip *slip;		/* room for the slip being printed */
	const char *who;		/* the actor of the event: "station", "cli:ana" */
};

/* Compose slip kind of load ld (unused for PRINT_SUMMARY) in lang, marked
 * COPY when copy, print it on p and log it: "printed" or "print_failed" with
 * {"kind","copy","ok"}, and "qr" (the signed QR text) for a receipt that was
 * composed, for load ld (0 for a summary).  Returns the print's
 * result: HG_OK when the printer took the job, else the composer's or the
 * printer's error.  *log_failed is 1 when the event could not be written (a
 * database fault for the station; HG_EIO is then returned even if the slip
 * printed), else 0. */
int print_load(const struct print_to *p, enum print_kind kind, const struct load_rec *ld,
	       int copy, enum lang lang, hg_time now, int *log_failed);

/* The load a print job was for: its name is "load-%06lld"; 0 for any other. */
long long print_job_load(const char *name);

/* Log a job the printer gave up after it took it (done->ok 0): print_failed
 * with {"kind","why","later":true}, by "station".  The store's result. */
int print_log_given_up(struct store *st, hg_time now, const struct print_done *done);

#endif
