/* slip.c: composing a slip for the printer (see slip.h).  The texts are
 * core/receipt.c's and core/summary.c's; this adds the job's name and its
 * signed QR, which the printer backend draws itself (file: as its last line,
 * cups: as a QR code under the text). */
#include <stdio.h>
#include <stdlib.h>
#include "slip.h"
#include "../core/summary.h"
#include "../core/text.h"

int slip_compose(struct slip *out, enum print_kind kind, const struct load_rec *ld, int copy,
		 enum lang lang, const struct config *cfg, const struct keypair *kp,
		 struct store *st, hg_time now)
{
	int n, rc;

	out->job.kind = kind;
	out->job.name = out->name;
	out->job.text = out->text;
	out->job.qr = NULL;
	out->text[0] = '\0';
	snprintf(out->name, sizeof out->name, "load-%06lld", ld ? ld->load_no : 0LL);
	if (kind == PRINT_SUMMARY) {
		/* today's end-of-day summary, in the operator's language */
		struct day_summary *day = malloc(sizeof *day);
		char date[11];

		text_date_local(now, date);
		snprintf(out->name, sizeof out->name, "summary-%s", date);
		n = day ? store_day_summary(st, date, day) : HG_ENOMEM;
		if (n == HG_OK)
			n = summary_text(day, cfg->station_id, now, lang, out->text, sizeof out->text);
		free(day);
		return n < 0 ? n : HG_OK;
	}
	if (!ld)
		return HG_EINVAL;
	switch (kind) {
	case PRINT_RECEIPT:
		rc = receipt_qr(kp, cfg->verify_base, ld, out->qr);
		if (rc != HG_OK)
			return rc;
		out->job.qr = out->qr;
		n = receipt_text(ld, NULL, ld->lang, copy, out->text, sizeof out->text);
		break;
	case PRINT_REFUSAL:
		n = receipt_refusal_text(ld, lang, copy, out->text, sizeof out->text);
		break;
	case PRINT_LABEL:
		/* the bottle label carries its own signed QR (chain of custody): no
		 * QR, no label */
		rc = receipt_label_qr(kp, cfg->verify_base, ld, out->qr);
		if (rc != HG_OK)
			return rc;
		out->job.qr = out->qr;
		n = receipt_label_text(ld, out->text, sizeof out->text);
		break;
	default:
		return HG_EINVAL;
	}
	return n < 0 ? n : HG_OK;
}
