/* page_log.c: the staff log, for the auditor and the admin.
 *
 * Every entry of the staff log (store_users.h), in order (the newest
 * LOG_ROWS_MAX of a longer one): when, who,
 * what, the detail; above them, whether the chain holds (potw_staff_verify:
 * every hash recomputed, every link checked) or the first entry at fault,
 * as an alert.  The actor and the detail are text people typed (a login,
 * an address): written as text.  Start reading at page_log(). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "web_int.h"
#include "../core/report.h"

#define LOG_ROWS_MAX 5000	/* entries the page shows, the newest */

struct walk {
	const struct web_req *rq;
	struct html *h;
	long long skip;		/* entries before the newest LOG_ROWS_MAX */
};

static int one(const struct potw_staff_entry *e, void *ctx)
{
	struct walk *w = ctx;
	char when[24];

	if (e->seq <= w->skip)
		return 0;
	html_raw(w->h, "<tr><th scope=\"row\">");
	html_num(w->h, e->seq);
	html_raw(w->h, "</th><td data-label=\"");
	html_attr(w->h, web_t(w->rq, "web.log.time"));
	html_raw(w->h, "\">");
	html_txt(w->h, web_utc(e->ts, when));
	web_td_next(w->h, w->rq, NULL, "web.log.actor");
	html_txt(w->h, e->actor);
	web_td_next(w->h, w->rq, NULL, "web.log.action");
	html_txt(w->h, e->action);
	web_td_next(w->h, w->rq, NULL, "web.log.detail");
	html_txt(w->h, e->detail);
	html_raw(w->h, "</td></tr>\n");
	return 0;
}

void page_log(struct web_req *rq, struct web_out *out)
{
	static const char *const heads[] = {
		"web.log.seq", "web.log.time", "web.log.actor", "web.log.action", "web.log.detail",
	};
	struct html *h = &out->h;
	struct walk w;
	long long n = 0, bad = 0;
	char count[24], at[24];
	int rc;

	rc = potw_staff_verify(rq->st, &n, &bad);
	if (rc && rc != HG_ECORRUPT) {
		fprintf(stderr, "haulgate-potw: web: staff log: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.log.title");
	snprintf(count, sizeof count, "%lld", n);
	snprintf(at, sizeof at, "%lld", bad);
	if (rc == HG_ECORRUPT) {
		fprintf(stderr, "haulgate-potw: web: %s\n", hg_error_text());
		html_raw(h, "<p class=\"msg\" role=\"alert\">");
		web_tr(h, rq, "web.log.broken", at, NULL);
	} else {
		html_raw(h, "<p class=\"msg\" role=\"status\">");
		web_tr(h, rq, "web.log.checked", count, NULL);
	}
	html_raw(h, "</p>\n");
	web_table_begin(h, rq, NULL, "web.log.caption", heads, (int)HG_ARRAY_LEN(heads));
	w.rq = rq;
	w.h = h;
	w.skip = n > LOG_ROWS_MAX ? n - LOG_ROWS_MAX : 0;
	rc = potw_staff_each(rq->st, one, &w);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: staff log: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_table_end(h);
	web_end(out);
}
