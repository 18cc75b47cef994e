/* receipt.h: the slips printed for a load: receipt, refusal, bottle label.
 *
 * It includes keys.h (the station's Ed25519 key) and qr.h (the signed QR
 * texts), which were part of this module before it was split, so a caller
 * that wants the whole receipt business includes this one header. */
#ifndef RECEIPT_H
#define RECEIPT_H

#include "hg.h"
#include "keys.h"
#include "qr.h"
#include "record.h"

/* Slip texts in lang into buf[cap]: the receipt (every line of the form,
 * decision, sampling and bottle, signer, then the QR text line), a refusal
 * slip (reasons in the person's language), a sample bottle label (English,
 * for the lab).  42 columns, long values wrapped; control characters print
 * as '?'.  copy: mark it "COPY" (reprint).  qr NULL or "": no "QR: " line
 * (for a printer backend that adds it from print_job.qr itself).
 * Return the length or HG_ETOOLONG (buf then empty). */
int receipt_text(const struct load_rec *ld, const char *qr, enum lang lang, int copy,
		 char *buf, size_t cap);
/* The refusal slip's reasons read as the kiosk says them for cfg's station
 * (policy_reason_text(): offline_waste names the days and the waste types);
 * cfg NULL: each reason's own message. */
int receipt_refusal_text(const struct load_rec *ld, const struct config *cfg, enum lang lang,
			 int copy, char *buf, size_t cap);
int receipt_label_text(const struct load_rec *ld, char *buf, size_t cap);

#endif
