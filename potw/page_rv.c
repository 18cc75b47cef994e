/* page_rv.c: GET /rv-visits, the RV dump station's sign-in records
 * (ordinance section 9.2), every role: searchable by days (from, to: the
 * station's local days), station and text (q: the visitor's name, plate or
 * state), newest first, a page at a time.
 *
 * The rows are db/listing.c's LISTING_RV, `haulgate-potw rv-visits`'s own
 * query and columns, with its newest-first order and keyset pagination:
 * a page asks for n + 1 rows after the last one shown (after=STATION:ID),
 * so the next page starts where this one ended whatever was added since,
 * and no row is shown twice or skipped.  Start reading at page_rv(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "web_int.h"
#include "../core/report.h"

#define PAGE_ROWS 50		/* rows of a page, unless ?n= says 1 to 200 */

/* LISTING_RV's columns, after the station */
enum { RC_STATION, RC_ID, RC_SIGNED_IN, RC_NAME, RC_PLATE, RC_STATE, RC_LANG, RC_DECLARED,
       RC_DONE };

struct query {
	char from[11], to[11], station[POTW_STATION_ID_MAX + 2], q[204], after[32 + 20], n[8];
};

/* The filter's fields, kept for the next page's link. */
static void filter_args(struct html *h, const struct query *q)
{
	static const char *const names[] = { "from", "to", "station", "q", "n" };
	const char *vals[] = { q->from, q->to, q->station, q->q, q->n };
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(names); i++) {
		if (!vals[i][0])
			continue;
		html_raw(h, "&amp;");
		html_raw(h, names[i]);
		html_raw(h, "=");
		html_url_arg(h, vals[i]);
	}
}

static void input(struct html *h, const struct web_req *rq, const char *name, const char *key,
		  const char *type, const char *value)
{
	html_raw(h, "<p><label for=\"rv-");
	html_attr(h, name);
	html_raw(h, "\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</label>\n<input id=\"rv-");
	html_attr(h, name);
	html_raw(h, "\" name=\"");
	html_attr(h, name);
	html_raw(h, "\" type=\"");
	html_attr(h, type);
	html_raw(h, "\" value=\"");
	html_attr(h, value);
	html_raw(h, "\"></p>\n");
}

static void search_form(struct html *h, const struct web_req *rq, const struct query *q)
{
	html_raw(h, "<form method=\"get\" action=\"/rv-visits\" class=\"filter\" role=\"search\" "
		 "aria-label=\"");
	html_attr(h, web_t(rq, "web.rv.search"));
	html_raw(h, "\">\n");
	input(h, rq, "q", "web.rv.text", "search", q->q);
	input(h, rq, "from", "web.rv.from", "date", q->from);
	input(h, rq, "to", "web.rv.to", "date", q->to);
	input(h, rq, "station", "web.rv.station", "text", q->station);
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.rv.submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

static void cell(struct html *h, const struct web_req *rq, const struct table *t, int r, int c,
		 const char *cls, const char *key)
{
	web_td_next(h, rq, cls, key);
	html_txt(h, table_cell(t, r, c));
}

void page_rv(struct web_req *rq, struct web_out *out)
{
	struct html *h = &out->h;
	struct listing_filter f;
	struct table *t = NULL;
	struct query q;
	char *colon;
	long rows = PAGE_ROWS;
	int r, shown, rc;

	memset(&q, 0, sizeof q);
	memset(&f, 0, sizeof f);
	web_query(rq, "from", q.from, sizeof q.from);
	web_query(rq, "to", q.to, sizeof q.to);
	web_query(rq, "station", q.station, sizeof q.station);
	web_query(rq, "q", q.q, sizeof q.q);
	web_query(rq, "after", q.after, sizeof q.after);
	web_query(rq, "n", q.n, sizeof q.n);
	if (q.n[0]) {
		rows = strtol(q.n, &colon, 10);
		if (*colon || rows < 1 || rows > 200)
			rows = PAGE_ROWS, q.n[0] = '\0';
	}
	snprintf(f.from, sizeof f.from, "%s", q.from);
	snprintf(f.to, sizeof f.to, "%s", q.to);
	f.station = q.station;
	snprintf(f.text, sizeof f.text, "%s", q.q);
	f.newest = 1;
	f.limit = rows + 1;
	colon = strrchr(q.after, ':');
	if (colon) {
		*colon = '\0';
		if (web_id(colon + 1, &f.after.load_no) == 0 && strlen(q.after) < sizeof f.after.station)
			memcpy(f.after.station, q.after, strlen(q.after) + 1);
		else
			f.after.load_no = 0;
	}
	rc = potw_store_list(rq->st, LISTING_RV, &f, &t);
	if (colon)
		*colon = ':';
	if (rc == HG_EINVAL) {	/* a bad day or station: said, the form again */
		out->status = 422;
		web_begin(rq, out, "web.rv.title");
		html_raw(h, "<p class=\"msg alarm\" role=\"alert\">");
		html_txt(h, web_t(rq, "web.rv.bad_filter"));
		html_raw(h, " <span lang=\"en\">");
		html_txt(h, hg_error_text());
		html_raw(h, "</span></p>\n");
		search_form(h, rq, &q);
		web_end(out);
		return;
	}
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: rv-visits: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.rv.title");
	search_form(h, rq, &q);
	shown = table_rows(t) > rows ? (int)rows : table_rows(t);
	if (shown == 0) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, f.after.load_no ? "web.rv.no_more" : "web.rv.none"));
		html_raw(h, "</p>\n");
	} else {
		html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
			 "aria-labelledby=\"cap\"><table>\n<caption id=\"cap\">");
		html_txt(h, web_t(rq, "web.rv.caption"));
		html_raw(h, "</caption>\n<thead><tr>");
		web_th(h, rq, "web.rv.signed_in");
		web_th(h, rq, "web.rv.station");
		web_th(h, rq, "web.rv.id");
		web_th(h, rq, "web.rv.name");
		web_th(h, rq, "web.rv.plate");
		web_th(h, rq, "web.rv.state");
		web_th(h, rq, "web.rv.lang");
		web_th(h, rq, "web.rv.declared");
		web_th(h, rq, "web.rv.done");
		html_raw(h, "</tr></thead>\n<tbody>\n");
		for (r = 0; r < shown; r++) {
			html_raw(h, "<tr><th scope=\"row\">");
			html_txt(h, table_cell(t, r, RC_SIGNED_IN));
			html_raw(h, "</th>");
			web_td_open(h, rq, NULL, "web.rv.station");
			html_txt(h, table_cell(t, r, RC_STATION));
			cell(h, rq, t, r, RC_ID, "num", "web.rv.id");
			cell(h, rq, t, r, RC_NAME, NULL, "web.rv.name");
			cell(h, rq, t, r, RC_PLATE, NULL, "web.rv.plate");
			cell(h, rq, t, r, RC_STATE, NULL, "web.rv.state");
			cell(h, rq, t, r, RC_LANG, NULL, "web.rv.lang");
			web_td_next(h, rq, NULL, "web.rv.declared");
			html_txt(h, web_t(rq, !strcmp(table_cell(t, r, RC_DECLARED), "yes") ?
					  "web.yes" : "web.no"));
			cell(h, rq, t, r, RC_DONE, NULL, "web.rv.done");
			html_raw(h, "</td></tr>\n");
		}
		html_raw(h, "</tbody>\n</table></div>\n");
	}
	html_raw(h, "<nav class=\"pages\" aria-label=\"");
	html_attr(h, web_t(rq, "web.rv.pages"));
	html_raw(h, "\">");
	if (f.after.load_no) {
		html_raw(h, "<a href=\"/rv-visits?x=1");
		filter_args(h, &q);
		html_raw(h, "\">");
		html_txt(h, web_t(rq, "web.rv.first"));
		html_raw(h, "</a> ");
	}
	if (table_rows(t) > rows) {
		html_raw(h, "<a rel=\"next\" href=\"/rv-visits?after=");
		html_url_arg(h, table_cell(t, shown - 1, RC_STATION));
		html_raw(h, "%3A");
		html_url_arg(h, table_cell(t, shown - 1, RC_ID));
		filter_args(h, &q);
		html_raw(h, "\">");
		html_txt(h, web_t(rq, "web.rv.next"));
		html_raw(h, "</a>");
	}
	html_raw(h, "</nav>\n");
	web_end(out);
	table_free(t);
}
