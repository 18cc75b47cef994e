/* slip.h: composing a slip for the printer, the one place that does it.
 *
 * The station prints slips as the core asks (receipt, refusal, bottle label,
 * day summary); `haulgate hw reprint` prints a receipt again.  Both compose
 * here, so a reprint is the same slip as the original, marked COPY. */
#ifndef SLIP_H
#define SLIP_H

#include "../core/config.h"
#include "../core/receipt.h"
#include "../db/store.h"
#include "../drivers/printer.h"

#define SLIP_TEXT 32768

/* A composed slip: job points into name, qr and text. */
struct slip {
	struct print_job job;
	char name[48];		/* "load-000123", "summary-2026-11-22" */
	char qr[QR_MAX];
	char text[SLIP_TEXT];
};

/* Compose a slip of kind for load ld (unused for PRINT_SUMMARY, which reads
 * the local day of now from st) in lang (the receipt uses the load's own
 * language; the label is English, for the lab).  copy marks a receipt COPY.
 * HG_OK, or the error of the QR, the store or the text (HG_ETOOLONG), with
 * the words in hg_error_text() (core/report.h): which slip, which part. */
int slip_compose(struct slip *out, enum print_kind kind, const struct load_rec *ld, int copy,
		 enum lang lang, const struct config *cfg, const struct keypair *kp,
		 struct store *st, hg_time now);

#endif
