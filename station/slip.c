/* slip.c: composing a slip for the printer (see slip.h).  The texts are
 * core/receipt.c's and core/summary.c's; this adds the job's name and its
 * signed QR, which the printer backend draws itself (file: as its last line,
 * cups: as a QR code under the text).  A slip that cannot be composed is
 * said through hg_fail() (core/report.h). */
#include <stdio.h>
#include <stdlib.h>
#include "slip.h"
#include "../core/report.h"
#include "../core/summary.h"
#include "../core/text.h"

/* Say why the slip named name ("the receipt slip of load 12") could not be
 * composed, and return rc: the step that failed ("signing its QR"), then
 * the words a lower layer gave hg_fail() for it, if it gave any
 * (hg_error_clear() was called before the attempt). */
static int cannot(int rc, const char *name, const char *step)
{
	char why[512];

	snprintf(why, sizeof why, "%s", hg_error_text());
	if (rc == HG_ETOOLONG)
		return hg_fail(rc, "cannot compose %s: its text is longer than a slip holds", name);
	if (why[0])
		return hg_fail(rc, "cannot compose %s: %s failed: %s", name, step, why);
	return hg_fail(rc, "cannot compose %s: %s failed", name, step);
}

int slip_compose(struct slip *out, enum print_kind kind, const struct load_rec *ld, int copy,
		 enum lang lang, const struct config *cfg, const struct keypair *kp,
		 struct store *st, hg_time now)
{
	char name[96];
	int n, rc;

	out->job.kind = kind;
	out->job.name = out->name;
	out->job.text = out->text;
	out->job.qr = NULL;
	out->text[0] = '\0';
	snprintf(out->name, sizeof out->name, "load-%06lld", ld ? ld->load_no : 0LL);
	hg_error_clear();
	if (kind == PRINT_SUMMARY) {
		/* today's end-of-day summary, in the operator's language */
		struct day_summary *day = malloc(sizeof *day);
		char date[11];

		text_date_local(now, date);
		snprintf(out->name, sizeof out->name, "summary-%s", date);
		snprintf(name, sizeof name, "the day summary of %s", date);
		n = day ? store_day_summary(st, date, day) : HG_ENOMEM;
		if (n < 0) {
			free(day);
			return cannot(n, name, "reading the day's records");
		}
		n = summary_text(day, cfg->station_id, now, lang, out->text, sizeof out->text);
		free(day);
		if (n < 0)
			return cannot(n, name, "writing its text");
		return HG_OK;
	}
	if (!ld)
		return hg_fail(HG_EINVAL, "cannot compose a %s slip without its load",
			       print_kind_code(kind));
	snprintf(name, sizeof name, "the %s slip of load %lld", print_kind_code(kind), ld->load_no);
	switch (kind) {
	case PRINT_RECEIPT:
		rc = receipt_qr(kp, cfg->verify_base, ld, out->qr);
		if (rc)
			return cannot(rc, name, "signing its QR");
		out->job.qr = out->qr;
		n = receipt_text(ld, NULL, ld->lang, copy, out->text, sizeof out->text);
		break;
	case PRINT_REFUSAL:
		n = receipt_refusal_text(ld, cfg, lang, copy, out->text, sizeof out->text);
		break;
	case PRINT_LABEL:
		/* the bottle label carries its own signed QR (chain of custody): no
		 * QR, no label */
		rc = receipt_label_qr(kp, cfg->verify_base, ld, out->qr);
		if (rc)
			return cannot(rc, name, "signing its QR");
		out->job.qr = out->qr;
		n = receipt_label_text(ld, out->text, sizeof out->text);
		break;
	default:
		return hg_fail(HG_EINVAL, "no slip of kind '%s' is composed here",
			       print_kind_code(kind));
	}
	if (n < 0)
		return cannot(n, name, "writing its text");
	return HG_OK;
}
