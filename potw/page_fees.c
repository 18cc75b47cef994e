/* page_fees.c: the fee schedule and a hauler's monthly statement.
 *
 * GET /fees (every role): the schedule (per waste type, from a day on, a
 * base per load and a rate per gallon), the rule of a charge in words, the
 * coordinator's form setting a fee, and the form asking for a statement.
 * POST /fees (coordinator; web.c has checked the role and the CSRF token):
 * a fee set (potw_fee_set(), logged); a refusal shows the form again with
 * what was typed and why (422).  GET /fees/statement?hauler=ID&month=
 * YYYY-MM[&station=ID]: the statement, a line a load discharged with its
 * gallons billed and on what (measured or declared), its charge, and the
 * totals; printable.  GET /fees/statement.csv?...: the same rows as CSV
 * (RFC 4180, a cell a spreadsheet would take for a formula quoted behind
 * a ': core/table.c), made by cmd_fees.c's potw_fee_statement_table(),
 * as the CLI prints it.  Money is integer cents throughout (fees.h).
 * Start reading at page_statement(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "potw_cli.h"
#include "store_fees.h"
#include "web_int.h"
#include "../core/manifest.h"
#include "../core/report.h"
#include "../core/table.h"
#include "../core/text.h"

struct typed {
	char waste[16], from[16], base[FEE_MONEY_MAX], rate[FEE_MONEY_MAX];
};

struct rows {
	const struct web_req *rq;
	struct html *h;
	int n;
};

static void waste_txt(struct html *h, const struct web_req *rq, const char *code)
{
	enum waste_type w = waste_parse(code);

	html_txt(h, w == WASTE_NONE ? code : waste_name(w, rq->lang));
}

static int fee_row(const struct potw_fee *f, void *ctx)
{
	struct rows *r = ctx;
	struct html *h = r->h;
	char m[FEE_MONEY_MAX], when[24];

	r->n++;
	html_raw(h, "<tr><th scope=\"row\">");
	waste_txt(h, r->rq, f->waste);
	html_raw(h, "</th>");
	web_td(h, r->rq, NULL, "web.fees.from", f->effective);
	web_td(h, r->rq, "num", "web.fees.base", fee_format(f->base_cents, 2, m));
	web_td(h, r->rq, "num", "web.fees.rate", fee_format(f->rate, 4, m));
	web_td(h, r->rq, NULL, "web.limits.changed", web_utc(f->changed, when));
	web_td_open(h, r->rq, NULL, "web.limits.by");
	html_txt(h, f->changed_by);
	html_raw(h, "</td></tr>\n");
	return 0;
}

static void fee_form(const struct web_req *rq, struct html *h, const struct typed *t)
{
	int w;

	html_raw(h, "<h2 id=\"set\">");
	html_txt(h, web_t(rq, "web.fees.set"));
	html_raw(h, "</h2>\n<form method=\"post\" action=\"/fees\" aria-labelledby=\"set\">\n");
	web_csrf_field(rq, h);
	html_raw(h, "<p><label for=\"waste\">");
	html_txt(h, web_t(rq, "web.fees.waste"));
	html_raw(h, "</label>\n<select id=\"waste\" name=\"waste\">");
	for (w = WASTE_NONE + 1; w < WASTE_COUNT; w++) {
		html_raw(h, "<option value=\"");
		html_attr(h, waste_code((enum waste_type)w));
		html_raw(h, strcmp(t->waste, waste_code((enum waste_type)w)) ? "\">" : "\" selected>");
		html_txt(h, waste_name((enum waste_type)w, rq->lang));
		html_raw(h, "</option>");
	}
	html_raw(h, "</select></p>\n");
	web_input(h, "from", web_t(rq, "web.fees.from"), t->from, 0,
		  "required maxlength=\"10\" placeholder=\"YYYY-MM-DD\" autocomplete=\"off\"");
	web_input(h, "base", web_t(rq, "web.fees.base"), t->base, 0,
		  "required inputmode=\"decimal\" autocomplete=\"off\"");
	web_input(h, "rate", web_t(rq, "web.fees.rate"), t->rate, 0,
		  "required inputmode=\"decimal\" autocomplete=\"off\"");
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.fees.submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

static void statement_form(const struct web_req *rq, struct html *h)
{
	char month[11];

	text_date_local(rq->now, month);	/* "YYYY-MM-DD" cut to the month */
	month[7] = '\0';
	html_raw(h, "<h2 id=\"stm\">");
	html_txt(h, web_t(rq, "web.fees.statement"));
	html_raw(h, "</h2>\n<form method=\"get\" action=\"/fees/statement\" aria-labelledby=\"stm\">\n");
	web_input(h, "hauler", web_t(rq, "web.fees.hauler"), "", 0,
		  "required inputmode=\"numeric\" autocomplete=\"off\"");
	web_input(h, "month", web_t(rq, "web.fees.month"), month, 0,
		  "required maxlength=\"7\" autocomplete=\"off\"");
	web_input(h, "station", web_t(rq, "web.fees.station"), "", 0,
		  "maxlength=\"31\" autocomplete=\"off\"");
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.fees.show"));
	html_raw(h, "</button></p>\n</form>\n");
}

static void show(struct web_req *rq, struct web_out *out, const struct typed *t,
		 const char *msg_key, const char *a1, const char *a2, int alert)
{
	struct html *h = &out->h;
	struct rows r = { rq, h, 0 };
	int rc;

	web_begin(rq, out, "web.fees.title");
	if (msg_key)
		web_msg_args(h, rq, alert, msg_key, a1, a2);
	{
		static const char *const cols[] = {
			"web.fees.waste", "web.fees.from", "web.fees.base", "web.fees.rate",
			"web.limits.changed", "web.limits.by", NULL
		};

		web_table_id_begin(h, rq, "cap", "web.fees.caption", cols);
	}
	rc = potw_fees_each(rq->st, fee_row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: fees: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "</tbody>\n</table></div>\n");
	if (r.n == 0)
		web_msg_args(h, rq, 0, "web.fees.none", NULL, NULL);
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.fees.rule"));
	html_raw(h, "</p>\n");
	if (rq->s.role == POTW_ROLE_COORDINATOR)
		fee_form(rq, h, t);
	else
		web_msg_args(h, rq, 0, "web.fees.read_only", NULL, NULL);
	statement_form(rq, h);
	web_end(out);
}

void page_fees(struct web_req *rq, struct web_out *out)
{
	struct typed t;
	char w[16], from[16];
	int y, m, d;

	memset(&t, 0, sizeof t);
	text_date_local(rq->now, t.from);
	if (rq->query && html_form_get(rq->query, strlen(rq->query), "saved", w, sizeof w) == 1 &&
	    html_form_get(rq->query, strlen(rq->query), "from", from, sizeof from) == 1 &&
	    waste_parse(w) != WASTE_NONE && !text_parse_date(from, &y, &m, &d))
		show(rq, out, &t, "web.fees.saved", waste_name(waste_parse(w), rq->lang), from, 0);
	else
		show(rq, out, &t, NULL, NULL, NULL, 0);
}

void page_fees_post(struct web_req *rq, struct web_out *out)
{
	char where[64];
	long long base = 0, rate = 0;
	enum lab_why why = LAB_OK;
	const char *key = NULL;
	struct typed t;
	int y, m, d, rc;

	memset(&t, 0, sizeof t);
	if (html_form_get(rq->body, rq->len, "waste", t.waste, sizeof t.waste) != 1 ||
	    waste_parse(t.waste) == WASTE_NONE)
		key = "web.fees.bad_waste";
	if (html_form_get(rq->body, rq->len, "from", t.from, sizeof t.from) < 0 ||
	    strlen(t.from) != 10 || text_parse_date(t.from, &y, &m, &d))
		key = key ? key : "web.lab.bad_date";
	if (html_form_get(rq->body, rq->len, "base", t.base, sizeof t.base) < 0 ||
	    html_form_get(rq->body, rq->len, "rate", t.rate, sizeof t.rate) < 0)
		why = LAB_BAD_NUMBER;
	if (!why)
		why = fee_parse(t.base, 2, FEE_BASE_MAX, &base);
	if (!why)
		why = fee_parse(t.rate, 4, FEE_RATE_MAX, &rate);
	if (!key && why)
		key = lab_key(why);
	if (key) {
		out->status = 422;
		show(rq, out, &t, key, NULL, NULL, 1);
		return;
	}
	rc = potw_fee_set(rq->st, t.waste, t.from, base, rate, rq->s.login, rq->now);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: fees: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	fprintf(stderr, "haulgate-potw: web: %s set the fee of %s from %s\n", rq->s.login, t.waste,
		t.from);
	snprintf(where, sizeof where, "/fees?saved=%s&from=%s", t.waste, t.from);
	web_redirect(out, where);
}

/* ---- the statement ---- */

struct query {
	long hauler;
	int year, month;
	char month_s[8], station[POTW_STATION_ID_MAX + 2], hauler_s[24];
};

/* The statement's query: 1, or 0 when it is not one (the page said so). */
static int query_of(struct web_req *rq, struct web_out *out, struct query *q)
{
	const char *s = rq->query ? rq->query : "";
	char day[16];
	int d, r;

	memset(q, 0, sizeof q[0]);
	r = html_form_get(s, strlen(s), "station", q->station, sizeof q->station);
	if (html_form_get(s, strlen(s), "hauler", q->hauler_s, sizeof q->hauler_s) == 1 &&
	    !text_parse_long(q->hauler_s, 1, 2147483647L, &q->hauler) &&
	    html_form_get(s, strlen(s), "month", q->month_s, sizeof q->month_s) == 1 &&
	    strlen(q->month_s) == 7 && r >= 0 && (!q->station[0] || potw_station_id_ok(q->station))) {
		snprintf(day, sizeof day, "%s-01", q->month_s);
		if (!text_parse_date(day, &q->year, &q->month, &d))
			return 1;
	}
	web_error(rq, out, 400, "web.statement.bad");
	return 0;
}

/* The company the month's first load names (as its hauler certified it). */
static int company_of(const struct potw_fee_line *l, void *ctx)
{
	text_copy(ctx, HG_BUF(LIM_COMPANY), l->company);
	return 1;
}

void page_statement(struct web_req *rq, struct web_out *out)
{
	struct html *h = &out->h;
	struct query q;
	struct table *t;
	static const char *const cols[] = {
		"web.samples.load", "web.samples.day", "web.fees.waste", "web.sample.truck",
		"web.statement.declared", "web.statement.measured", "web.statement.billed",
		"web.statement.basis", "web.fees.base", "web.fees.rate", "web.statement.amount", NULL
	};
	char company[HG_BUF(LIM_COMPANY)] = "";
	int rc, i, n;

	if (!query_of(rq, out, &q))
		return;
	rc = potw_fee_statement_table(rq->st, q.hauler, q.station, q.year, q.month, &t);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: statement: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	n = table_rows(t) - 1;	/* the last row is the total */
	if (n > 0)
		rc = potw_fee_statement(rq->st, q.hauler, q.station, q.year, q.month, company_of,
					company);
	if (rc == 1)	/* company_of() stopped at the first */
		rc = 0;
	if (rc) {
		table_free(t);
		fprintf(stderr, "haulgate-potw: web: statement: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.statement.title");
	if (company[0]) {
		html_raw(h, "<h2>");
		html_txt(h, company);
		html_raw(h, "</h2>\n");
	}
	html_raw(h, "<p class=\"lead\">");
	web_tr(h, rq, "web.statement.hauler_id", q.hauler_s, NULL);
	html_raw(h, " \xC2\xB7 ");
	html_txt(h, q.month_s);
	if (q.station[0]) {
		html_raw(h, " \xC2\xB7 ");
		html_txt(h, q.station);
	}
	html_raw(h, "</p>\n");
	html_raw(h, "<p class=\"noprint\"><a href=\"/fees/statement.csv?hauler=");
	html_url_arg(h, q.hauler_s);
	html_raw(h, "&amp;month=");
	html_url_arg(h, q.month_s);
	if (q.station[0]) {
		html_raw(h, "&amp;station=");
		html_url_arg(h, q.station);
	}
	html_raw(h, "\" download>");
	html_txt(h, web_t(rq, "web.statement.csv"));
	html_raw(h, "</a></p>\n");
	web_table_id_begin(h, rq, "cap", "web.statement.caption", cols);
	for (i = 0; i < n; i++) {
		int measured = !strcmp(table_cell(t, i, 8), "measured");
		int priced = table_cell(t, i, 11)[0] != '\0';

		html_raw(h, "<tr><th scope=\"row\">");
		html_txt(h, table_cell(t, i, 0));
		html_raw(h, " / ");
		html_txt(h, table_cell(t, i, 1));
		html_raw(h, "</th>");
		web_td(h, rq, NULL, "web.samples.day", table_cell(t, i, 2));
		web_td_open(h, rq, NULL, "web.fees.waste");
		waste_txt(h, rq, table_cell(t, i, 3));
		html_raw(h, "</td>");
		web_td(h, rq, NULL, "web.sample.truck", table_cell(t, i, 4));
		web_td(h, rq, "num", "web.statement.declared", table_cell(t, i, 5));
		web_td(h, rq, "num", "web.statement.measured", table_cell(t, i, 6));
		web_td(h, rq, "num", "web.statement.billed", table_cell(t, i, 7));
		web_td(h, rq, NULL, "web.statement.basis", web_t(rq, measured ? "web.statement.b.measured" :
				  "web.statement.b.declared"));
		web_td(h, rq, "num", "web.fees.base", table_cell(t, i, 9));
		web_td(h, rq, "num", "web.fees.rate", table_cell(t, i, 10));
		if (priced)
			web_td(h, rq, "num", "web.statement.amount", table_cell(t, i, 11));
		else {
			web_td(h, rq, "alarm", "web.statement.amount", web_t(rq, "web.statement.unpriced"));
		}
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody>\n<tfoot><tr><th scope=\"row\" colspan=\"6\">");
	web_tr(h, rq, "web.statement.total", table_cell(t, n, 1), NULL);
	html_raw(h, "</th>");
	web_td(h, rq, "num", "web.statement.billed", table_cell(t, n, 7));
	html_raw(h, "<td colspan=\"3\"></td>");
	web_td(h, rq, "num", "web.statement.amount", table_cell(t, n, 11));
	html_raw(h, "</tr></tfoot>\n</table></div>\n");
	if (n == 0)
		web_msg_args(h, rq, 0, "web.statement.none", NULL, NULL);
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.fees.rule"));
	html_raw(h, "</p>\n");
	table_free(t);
	web_end(out);
}

struct buf {
	char *p;
	size_t len, cap;
};

static int put(void *ctx, const char *p, size_t n)
{
	struct buf *b = ctx;

	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		char *q;

		while (cap < b->len + n)
			cap *= 2;
		if (cap > HTML_MAX)
			return HG_ENOMEM;
		q = realloc(b->p, cap);
		if (!q)
			return HG_ENOMEM;
		b->p = q;
		b->cap = cap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return HG_OK;
}

void page_statement_csv(struct web_req *rq, struct web_out *out)
{
	struct buf b = { NULL, 0, 0 };
	struct query q;
	struct table *t;
	int rc;

	if (!query_of(rq, out, &q))
		return;
	rc = potw_fee_statement_table(rq->st, q.hauler, q.station, q.year, q.month, &t);
	if (!rc) {
		rc = table_render(t, TABLE_CSV, put, &b);
		table_free(t);
	}
	if (rc) {
		free(b.p);
		fprintf(stderr, "haulgate-potw: web: statement: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	out->data = b.p;
	out->data_len = b.len;
	out->ctype = "text/csv; charset=utf-8";
	snprintf(out->disposition, sizeof out->disposition,
		 "attachment; filename=\"statement-%ld-%s%s%s.csv\"", q.hauler, q.month_s,
		 q.station[0] ? "-" : "", q.station);
}
