/* page_loads.c: every station's loads, filtered and paged (GET /loads),
 * and the same filter as CSV, streamed (GET /loads.csv).
 *
 * The rows are db/listing.c's loads listing on the plant's rec_* tables,
 * the query `haulgate-potw loads` runs too (potw_store_list()), with the
 * pages' filters (potw/loads_query.c reads them from the query string),
 * newest first, and its wide columns.  A page is q.rows rows after the
 * key of the last row of the page before (keyset: never an OFFSET), one
 * more read to know whether a next page exists.  The CSV is the same
 * listing read CSV_CHUNK rows at a time as the client takes the bytes
 * (libmicrohttpd's content reader), each chunk written by core/table.c's
 * CSV writer (RFC 4180, a cell a spreadsheet would run as a formula put
 * behind a '), so memory stays flat whatever the size.  A reader who may
 * not see confidential fields (core/record.h: an auditor, an admin) gets
 * neither the columns nor a match of the free text in them.  Start
 * reading at page_loads(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "loads_query.h"
#include "web_int.h"
#include "../core/manifest.h"
#include "../core/report.h"

#define CSV_CHUNK 500		/* rows read from the store at a time */

/* May the reader see confidential fields?  Coordinators alone (issue 12). */
static int confidential(const struct web_req *rq)
{
	return rq->s.role == POTW_ROLE_COORDINATOR;
}

/* The index of column name in t, or -1. */
static int col(const struct table *t, const char *name)
{
	for (int c = 0; c < table_cols(t); c++)
		if (!strcmp(table_col(t, c), name))
			return c;
	return -1;
}

static const char *cell(const struct table *t, int r, const char *name)
{
	int c = col(t, name);

	return c < 0 ? "" : table_cell(t, r, c);
}

/* The key of row r (its station, load number, decision time). */
static void key_of(const struct table *t, int r, struct listing_key *k)
{
	memset(k, 0, sizeof *k);
	k->decided = strtoll(cell(t, r, "decided_at"), NULL, 10);
	snprintf(k->station, sizeof k->station, "%s", cell(t, r, "station"));
	k->load_no = strtoll(cell(t, r, "load_no"), NULL, 10);
}

/* ---- the form ---- */

static void label(struct html *h, const struct web_req *rq, const char *id, const char *key)
{
	html_raw(h, "<div class=\"field\"><label for=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</label>");
}

static void input(struct html *h, const struct web_req *rq, const char *name, const char *type,
		  const char *key, const char *value, const char *extra)
{
	label(h, rq, name, key);
	html_raw(h, "<input id=\"");
	html_attr(h, name);
	html_raw(h, "\" name=\"");
	html_attr(h, name);
	html_raw(h, "\" type=\"");
	html_attr(h, type);
	html_raw(h, "\" value=\"");
	html_attr(h, value);
	html_raw(h, "\"");
	html_raw(h, extra);
	html_raw(h, "></div>\n");
}

/* A <select> of name: "any", then each value with its text (its key in
 * the catalogue, or already text when text_is_key is 0). */
static void choice(struct html *h, const struct web_req *rq, const char *name, const char *key,
		   const char *now, const char *const *values, const char *const *texts, int n)
{
	label(h, rq, name, key);
	html_raw(h, "<select id=\"");
	html_attr(h, name);
	html_raw(h, "\" name=\"");
	html_attr(h, name);
	html_raw(h, "\"><option value=\"\">");
	html_txt(h, web_t(rq, "web.loads.any"));
	html_raw(h, "</option>");
	for (int i = 0; i < n; i++) {
		html_raw(h, "<option value=\"");
		html_attr(h, values[i]);
		html_raw(h, strcmp(values[i], now) ? "\">" : "\" selected>");
		html_txt(h, texts[i]);
		html_raw(h, "</option>");
	}
	html_raw(h, "</select></div>\n");
}

static void form(struct html *h, const struct web_req *rq, const struct loads_query *q)
{
	static const char *const verdicts[] = { "accepted", "refused", "sample-hold" };
	static const char *const yn[] = { "yes", "no" };
	const char *wastes[WASTE_COUNT], *wnames[WASTE_COUNT], *vnames[3], *ynames[2];
	char hauler[24] = "", key[48];
	int nw = 0;

	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++) {
		wastes[nw] = waste_code((enum waste_type)w);
		wnames[nw++] = waste_name((enum waste_type)w, rq->lang);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(key, sizeof key, "web.verdict.%s", verdicts[i]);
		vnames[i] = web_t(rq, key);
	}
	ynames[0] = web_t(rq, "web.loads.yes");
	ynames[1] = web_t(rq, "web.loads.no");
	if (q->f.hauler_id)
		snprintf(hauler, sizeof hauler, "%lld", q->f.hauler_id);
	html_raw(h, "<form class=\"filter\" method=\"get\" action=\"/loads\" role=\"search\" "
		 "aria-label=\"");
	html_attr(h, web_t(rq, "web.loads.filter"));
	html_raw(h, "\">\n");
	input(h, rq, "from", "date", "web.loads.from", q->f.from, "");
	input(h, rq, "to", "date", "web.loads.to", q->f.to, "");
	input(h, rq, "station", "text", "web.loads.station", q->station,
	      " maxlength=\"31\" autocomplete=\"off\"");
	input(h, rq, "hauler", "text", "web.loads.hauler", hauler,
	      " inputmode=\"numeric\" pattern=\"[0-9]*\" maxlength=\"9\" autocomplete=\"off\"");
	choice(h, rq, "waste", "web.loads.waste", q->f.waste, wastes, wnames, nw);
	choice(h, rq, "decision", "web.loads.decision", q->f.verdict, verdicts, vnames, 3);
	choice(h, rq, "sampled", "web.loads.sampled", q->sampled, yn, ynames, 2);
	choice(h, rq, "meter", "web.loads.meter", q->meter, yn, ynames, 2);
	input(h, rq, "town", "text", "web.loads.town", q->f.town, " maxlength=\"60\"");
	input(h, rq, "q", "search", "web.loads.text", q->f.text, " maxlength=\"80\"");
	html_raw(h, "<div class=\"actions\"><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.loads.apply"));
	html_raw(h, "</button> <a href=\"/loads\">");
	html_txt(h, web_t(rq, "web.loads.clear"));
	html_raw(h, "</a></div>\n</form>\n");
}

/* ---- the table ---- */

/* The verdict's words (web.verdict.<code>), or the code. */
static const char *verdict_text(const struct web_req *rq, const char *code)
{
	char key[48];
	const char *t;

	snprintf(key, sizeof key, "web.verdict.%s", code);
	t = web_t(rq, key);
	return t && t[0] && strcmp(t, key) ? t : code;
}

/* The table's cells after the load's, in order, each one's class and
 * label (and the meter's when it flagged the load). */
enum { T_DECIDED, T_COMPANY, T_WASTE, T_GALLONS, T_MEASURED, T_DECISION, T_BOTTLE, T_METER,
       T_ALARM, T_TOWNS, T_SOURCES, T_N };
static const char *const td_of[T_N][2] = {
	{ NULL, "web.loads.decided" }, { "company", "web.loads.company" },
	{ NULL, "web.loads.waste" }, { "num", "web.loads.gallons" },
	{ "num", "web.loads.measured" }, { NULL, "web.loads.decision" },
	{ NULL, "web.loads.bottle" }, { NULL, "web.loads.meter" }, { "alarm", "web.loads.meter" },
	{ "towns", "web.loads.towns" }, { "sources", "web.loads.sources" },
};

/* What every row of a page shares, made once a page, not once a cell:
 * the listing's columns by name, each cell's <td ...> opening (its label
 * looked up and escaped), the load's <th ...> opening. */
enum { C_STATION, C_LOAD_NO, C_DECIDED, C_COMPANY, C_WASTE, C_GALLONS, C_MEASURED, C_VERDICT,
       C_BOTTLE, C_METER, C_TOWNS, C_SOURCES, C_N };
static const char *const col_name[C_N] = {
	"station", "load_no", "decided", "company", "waste", "gallons", "measured", "verdict",
	"bottle", "meter", "towns", "sources",
};

struct rows {
	int c[C_N];		/* the listing's column of each C_*, or -1 */
	struct html td[T_N], th;
};

static void rows_begin(struct rows *w, const struct web_req *rq, const struct table *t)
{
	for (int i = 0; i < C_N; i++)
		w->c[i] = col(t, col_name[i]);
	for (int i = 0; i < T_N; i++) {
		html_init(&w->td[i], 0);
		web_td_open(&w->td[i], rq, td_of[i][0], td_of[i][1]);
	}
	html_init(&w->th, 0);
	html_raw(&w->th, "\"><th scope=\"row\" data-label=\"");
	html_attr(&w->th, web_t(rq, "web.loads.load"));
	html_raw(&w->th, "\"><a href=\"/loads/");
}

/* 1 when one of the openings could not be written (out of memory) */
static int rows_failed(const struct rows *w)
{
	int bad = html_failed(&w->th);

	for (int i = 0; i < T_N; i++)
		bad |= html_failed(&w->td[i]);
	return bad;
}

static void rows_end(struct rows *w)
{
	for (int i = 0; i < T_N; i++)
		html_free(&w->td[i]);
	html_free(&w->th);
}

static const char *at(const struct table *t, int r, int c)
{
	const char *v = c < 0 ? "" : table_cell(t, r, c);

	return v ? v : "";
}

/* cell i of a row: its opening, text, </td> (web_td()'s bytes) */
static void td(struct html *h, const struct rows *w, int i, const char *text)
{
	html_raw(h, w->td[i].buf);
	html_txt(h, text);
	html_raw(h, "</td>");
}

static void row(struct html *h, const struct web_req *rq, const struct rows *w,
		const struct table *t, int r)
{
	const char *st = at(t, r, w->c[C_STATION]), *no = at(t, r, w->c[C_LOAD_NO]);
	const char *code = at(t, r, w->c[C_WASTE]), *meter = at(t, r, w->c[C_METER]);
	const char *measured = at(t, r, w->c[C_MEASURED]);
	enum waste_type wt = waste_parse(code);

	html_raw(h, "<tr data-station=\"");
	html_attr(h, st);
	html_raw(h, "\" data-load=\"");
	html_attr(h, no);
	html_raw(h, w->th.buf);
	html_url_arg(h, st);
	html_raw(h, "/");
	html_url_arg(h, no);
	html_raw(h, "\">");
	html_txt(h, st);
	html_raw(h, " #");
	html_txt(h, no);
	html_raw(h, "</a></th>");
	td(h, w, T_DECIDED, at(t, r, w->c[C_DECIDED]));
	td(h, w, T_COMPANY, at(t, r, w->c[C_COMPANY]));
	td(h, w, T_WASTE, wt != WASTE_NONE ? waste_name(wt, rq->lang) : code);
	td(h, w, T_GALLONS, at(t, r, w->c[C_GALLONS]));
	/* 0 and no meter flag: no meter measured it (a meter's 0 is flagged) */
	td(h, w, T_MEASURED, strcmp(measured, "0") || meter[0] ? measured : "");
	td(h, w, T_DECISION, verdict_text(rq, at(t, r, w->c[C_VERDICT])));
	td(h, w, T_BOTTLE, at(t, r, w->c[C_BOTTLE]));
	td(h, w, meter[0] ? T_ALARM : T_METER,
	   meter[0] ? web_t(rq, "web.loads.meter_flagged") : "");
	td(h, w, T_TOWNS, at(t, r, w->c[C_TOWNS]));
	if (w->c[C_SOURCES] >= 0)
		td(h, w, T_SOURCES, at(t, r, w->c[C_SOURCES]));
	html_raw(h, "</tr>\n");
}

static void table_of(struct html *h, const struct web_req *rq, const struct table *t, int n)
{
	static const char *const heads[] = {
		"web.loads.load", "web.loads.decided", "web.loads.company", "web.loads.waste",
		"web.loads.gallons", "web.loads.measured", "web.loads.decision", "web.loads.bottle",
		"web.loads.meter", "web.loads.towns", "web.loads.sources",
	};
	int nh = (int)HG_ARRAY_LEN(heads) - (col(t, "sources") < 0);	/* sources: last */
	struct rows w;

	web_table_begin(h, rq, "loads", "web.loads.caption", heads, nh);
	rows_begin(&w, rq, t);
	if (rows_failed(&w))
		h->failed = 1;	/* out of memory: the page says 500 */
	for (int r = 0; r < n && !html_failed(h); r++)
		row(h, rq, &w, t, r);
	rows_end(&w);
	web_table_end(h);
}

void page_loads(struct web_req *rq, struct web_out *out)
{
	struct html *h = &out->h;
	struct loads_query q;
	struct listing_key next;
	struct table *t = NULL;
	int n, more, rc, bad;

	bad = loads_query_parse(rq->query, confidential(rq), &q);
	if (!bad) {
		q.f.limit = q.rows + 1;
		rc = potw_store_list(rq->st, LISTING_LOADS, &q.f, &t);
		if (rc == HG_EINVAL) {	/* a value the listing refuses: said as a bad filter */
			bad = 1;
			snprintf(q.bad, sizeof q.bad, "q");
		} else if (rc) {
			fprintf(stderr, "haulgate-potw: web: loads: %s\n", hg_error_text());
			web_error(rq, out, 500, "web.error.500");
			return;
		}
	}
	web_begin(rq, out, "web.loads.title");
	form(h, rq, &q);
	if (bad) {
		out->status = 400;
		html_raw(h, "<p role=\"alert\" class=\"error\">");
		web_tr(h, rq, "web.loads.bad", q.bad, NULL);
		html_raw(h, "</p>\n");
		web_end(out);
		return;
	}
	n = table_rows(t);
	more = n > q.rows;
	if (more)
		n = q.rows;
	html_raw(h, "<p class=\"export\"><a href=\"");
	loads_query_url(h, "/loads.csv", &q, NULL);
	html_raw(h, "\" download>");
	html_txt(h, web_t(rq, "web.loads.csv"));
	html_raw(h, "</a>");
	if (!confidential(rq)) {
		html_raw(h, " <span class=\"note\">");
		html_txt(h, web_t(rq, "web.loads.no_confidential"));
		html_raw(h, "</span>");
	}
	html_raw(h, "</p>\n");
	if (n == 0) {
		html_raw(h, "<p id=\"none\">");
		html_txt(h, web_t(rq, q.f.after.decided ? "web.loads.no_more" : "web.loads.none"));
		html_raw(h, "</p>\n");
	} else {
		table_of(h, rq, t, n);
	}
	html_raw(h, "<nav class=\"pages\" aria-label=\"");
	html_attr(h, web_t(rq, "web.loads.pages"));
	html_raw(h, "\">");
	if (q.f.after.decided) {
		html_raw(h, "<a href=\"");
		loads_query_url(h, "/loads", &q, NULL);
		html_raw(h, "\" rel=\"first\">");
		html_txt(h, web_t(rq, "web.loads.first"));
		html_raw(h, "</a> ");
	}
	if (more) {
		key_of(t, n - 1, &next);
		html_raw(h, "<a href=\"");
		loads_query_url(h, "/loads", &q, &next);
		html_raw(h, "\" rel=\"next\">");
		html_txt(h, web_t(rq, "web.loads.next"));
		html_raw(h, "</a>");
	}
	html_raw(h, "</nav>\n");
	web_end(out);
	table_free(t);
}

/* ---- the CSV ---- */

struct csv {
	struct potw_store *st;
	struct loads_query q;
	char *buf;		/* the chunk rendered, buf[off..len) not sent yet */
	size_t len, off, cap;
	int header_done, end;
};

static int csv_put(void *ctx, const char *p, size_t n)
{
	struct csv *c = ctx;
	char *b;

	if (c->len + n > c->cap) {
		size_t cap = c->cap ? c->cap : 64 * 1024;

		while (cap < c->len + n)
			cap *= 2;
		b = realloc(c->buf, cap);
		if (!b)
			return HG_ENOMEM;
		c->buf = b;
		c->cap = cap;
	}
	memcpy(c->buf + c->len, p, n);
	c->len += n;
	return HG_OK;
}

/* The next CSV_CHUNK rows into c->buf: 1 some, 0 none left, -1 failed. */
static int csv_chunk(struct csv *c)
{
	struct table *t;
	int n, rc;

	c->q.f.limit = CSV_CHUNK;
	rc = potw_store_list(c->st, LISTING_LOADS, &c->q.f, &t);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: loads.csv: %s\n", hg_error_text());
		return -1;
	}
	n = table_rows(t);
	c->len = c->off = 0;
	if (n > 0 || !c->header_done)
		rc = table_render(t, c->header_done ? TABLE_CSV_BODY : TABLE_CSV, csv_put, c);
	c->header_done = 1;
	if (n > 0)
		key_of(t, n - 1, &c->q.f.after);
	table_free(t);
	if (rc)
		return -1;
	return n == CSV_CHUNK ? 1 : 0;
}

static ssize_t csv_read(void *ctx, uint64_t pos, char *buf, size_t max)
{
	struct csv *c = ctx;
	size_t n;
	int r;

	(void)pos;
	while (c->off == c->len) {
		if (c->end)
			return MHD_CONTENT_READER_END_OF_STREAM;
		r = csv_chunk(c);
		if (r < 0)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		if (r == 0)
			c->end = 1;
	}
	n = c->len - c->off < max ? c->len - c->off : max;
	memcpy(buf, c->buf + c->off, n);
	c->off += n;
	return (ssize_t)n;
}

static void csv_done(void *ctx)
{
	struct csv *c = ctx;

	free(c->buf);
	free(c);
}

void page_loads_csv(struct web_req *rq, struct web_out *out)
{
	struct csv *c = calloc(1, sizeof *c);
	struct table *t = NULL;
	int rc;

	if (!c) {
		web_error(rq, out, 500, "web.error.500");
		return;
	}
	c->st = rq->st;
	if (loads_query_parse(rq->query, confidential(rq), &c->q)) {
		free(c);
		web_error(rq, out, 400, "web.error.400");
		return;
	}
	c->q.f.station = c->q.station;
	/* the filter tried once here, so a refusal is a page, not a cut CSV */
	c->q.f.limit = 1;
	rc = potw_store_list(rq->st, LISTING_LOADS, &c->q.f, &t);
	table_free(t);
	if (rc) {
		free(c);
		fprintf(stderr, "haulgate-potw: web: loads.csv: %s\n", hg_error_text());
		web_error(rq, out, rc == HG_EINVAL ? 400 : 500,
			  rc == HG_EINVAL ? "web.error.400" : "web.error.500");
		return;
	}
	out->stream.read = csv_read;
	out->stream.done = csv_done;
	out->stream.ctx = c;
	out->stream.ctype = "text/csv; charset=utf-8; header=present";
	snprintf(out->stream.disposition, sizeof out->stream.disposition,
		 "attachment; filename=\"loads.csv\"");
}
