/* print.c: a slip composed, printed and logged in one place (print.h).
 *
 * The station prints what the core asks for through print_load(), and
 * `haulgate hw reprint` prints a load's slip again through the same call, so
 * a reprint is logged exactly as the kiosk logs one.  A receipt's event
 * carries the QR text it was composed with ("qr", signed: the plant's load
 * page checks it as /r does; docs/RECEIPTS.md).  Start reading at
 * print_load(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cJSON.h>
#include "print.h"

/* The event's detail: {"kind","copy","ok"}, and "qr" (a receipt's signed
 * QR text, what the plant's load page checks).  The caller frees it; NULL
 * when out of memory. */
static char *detail_of(enum print_kind kind, int copy, int ok, const char *qr)
{
	cJSON *o = cJSON_CreateObject();
	char *detail = NULL;

	if (o && cJSON_AddStringToObject(o, "kind", print_kind_code(kind)) &&
	    cJSON_AddBoolToObject(o, "copy", copy) && cJSON_AddBoolToObject(o, "ok", ok) &&
	    (!qr || cJSON_AddStringToObject(o, "qr", qr)))
		detail = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return detail;
}

int print_load(const struct print_to *p, enum print_kind kind, const struct load_rec *ld,
	       int copy, enum lang lang, hg_time now, int *log_failed)
{
	char *detail;
	int composed, rc;

	*log_failed = 0;
	composed = slip_compose(p->slip, kind, ld, copy, lang, p->cfg, p->kp, p->st, now);
	rc = composed;
	if (rc == HG_OK)	/* a printer that could not be opened takes no job */
		rc = p->ops ? p->ops->print(p->dev, &p->slip->job) : HG_EIO;
	detail = detail_of(kind, copy, rc == HG_OK, composed == HG_OK && kind == PRINT_RECEIPT ?
			   p->slip->qr : NULL);
	if (!detail || store_event(p->st, now, rc == HG_OK ? "printed" : "print_failed",
				   kind == PRINT_SUMMARY ? 0 : ld->load_no, p->who,
				   detail) != HG_OK) {
		*log_failed = 1;
		if (rc == HG_OK)
			rc = HG_EIO;
	}
	free(detail);
	return rc;
}

long long print_job_load(const char *name)
{
	char *end;
	long long n;

	if (strncmp(name, "load-", 5) != 0 || name[5] < '0' || name[5] > '9')
		return 0;
	n = strtoll(name + 5, &end, 10);
	return *end == 0 && n > 0 ? n : 0;
}

int print_log_given_up(struct store *st, hg_time now, const struct print_done *done)
{
	cJSON *o = cJSON_CreateObject();
	char *detail;
	int rc;

	if (o) {
		cJSON_AddStringToObject(o, "kind", print_kind_code(done->kind));
		cJSON_AddStringToObject(o, "why", done->why);
		cJSON_AddBoolToObject(o, "later", 1);
	}
	detail = o ? cJSON_PrintUnformatted(o) : NULL;
	rc = store_event(st, now, "print_failed", print_job_load(done->name), "station",
			 detail ? detail : "{\"later\":true}");
	free(detail);
	cJSON_Delete(o);
	return rc;
}
