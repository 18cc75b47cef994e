/* page_samples.c: the sampling worklist and a sample's lab results.
 *
 * GET /samples (every role): the sampled loads, those without a result
 * first (store_lab.h's worklist), each linked to its page.  GET
 * /samples/STATION/N (or /samples/BOTTLE, sent on to the load's page):
 * the load as the station recorded it, its results judged against the
 * limits they were entered under, its notice of violation, and for a
 * coordinator the form that enters a result.  POST /samples/STATION/N
 * (coordinator; web.c has checked the role and the CSRF token): the
 * result, through potw_lab_result_add(); a refusal shows the form again
 * with everything typed kept, the field at fault marked, the reason in
 * the page's language (422); a result taken is a 303 back to the page,
 * which says what it did.  Lab results are effluent data, public under
 * section 2.5: the auditor reads them.  Start reading at page_sample(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "store_lab.h"
#include "web_int.h"
#include "../core/manifest.h"
#include "../core/report.h"
#include "../core/text.h"

#define SAMPLES_ROWS_MAX 500	/* rows the worklist shows */

/* ---- the worklist ---- */

struct list {
	const struct web_req *rq;
	struct html *h;
};

static void waste_txt(struct html *h, const struct web_req *rq, const char *code)
{
	enum waste_type w = waste_parse(code);

	html_txt(h, w == WASTE_NONE ? code : waste_name(w, rq->lang));
}

static void sample_link(struct html *h, const char *station, long long load_no)
{
	char no[24];

	snprintf(no, sizeof no, "%lld", load_no);
	html_raw(h, "<a href=\"/samples/");
	html_url_arg(h, station);
	html_raw(h, "/");
	html_url_arg(h, no);
	html_raw(h, "\">");
}

static int sample_row(const struct potw_lab_sample *s, void *ctx)
{
	struct list *l = ctx;
	struct html *h = l->h;
	char nov[24];

	html_raw(h, "<tr><th scope=\"row\">");
	sample_link(h, s->station, s->load_no);
	html_txt(h, s->station);
	html_raw(h, " / ");
	html_num(h, s->load_no);
	html_raw(h, "</a></th>");
	web_td(h, l->rq, NULL, "web.samples.day", s->day);
	web_td(h, l->rq, NULL, "web.samples.company", s->company);
	web_td(h, l->rq, NULL, "web.samples.bottle", s->bottle);
	web_td_open(h, l->rq, NULL, "web.samples.waste");
	waste_txt(h, l->rq, s->waste);
	html_raw(h, "</td>");
	web_td_open(h, l->rq, "num", "web.samples.results");
	html_num(h, s->results);
	html_raw(h, "</td>");
	web_td_open(h, l->rq, s->exceeding ? "alarm" : NULL, "web.samples.status");
	snprintf(nov, sizeof nov, "%lld", s->nov_id);
	if (s->exceeding && s->nov_id) {
		html_raw(h, "<a href=\"/nov/");
		html_url_arg(h, nov);
		html_raw(h, "\">");
		web_tr(h, l->rq, "web.samples.violation", nov,
		       web_t(l->rq, !strcmp(s->nov_state, "issued") ? "web.nov.state.issued" :
			     "web.nov.state.draft"));
		html_raw(h, "</a>");
	} else {
		html_txt(h, web_t(l->rq, s->results ? "web.samples.within" : "web.samples.waiting"));
	}
	html_raw(h, "</td></tr>\n");
	return 0;
}

void page_samples(struct web_req *rq, struct web_out *out)
{
	struct html *h = &out->h;
	struct list l = { rq, h };
	char all[24], shown[24];
	long long total = 0;
	int rc;

	web_begin(rq, out, "web.samples.title");
	{
		static const char *const cols[] = {
			"web.samples.load", "web.samples.day", "web.samples.company",
			"web.samples.bottle", "web.samples.waste", "web.samples.results",
			"web.samples.status", NULL
		};

		web_table_id_begin(h, rq, "cap", "web.samples.caption", cols);
	}
	rc = potw_lab_samples_each(rq->st, SAMPLES_ROWS_MAX, &total, sample_row, &l);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: samples: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "</tbody>\n</table></div>\n");
	if (total == 0) {
		web_msg_args(h, rq, 0, "web.samples.none", NULL, NULL);
	} else {
		snprintf(all, sizeof all, "%lld", total);
		snprintf(shown, sizeof shown, "%lld", total < SAMPLES_ROWS_MAX ? total :
			 (long long)SAMPLES_ROWS_MAX);
		web_msg_args(h, rq, 0, "web.samples.count", all, shown);
	}
	web_end(out);
}

/* ---- one sample ---- */

/* What the form held, kept when it is refused. */
struct typed {
	char param[LAB_PARAM_MAX + 2], value[LAB_DEC_MAX + 2], unit[LAB_UNIT_MAX * 4 + 2];
	char method[LAB_TEXT_MAX * 4 + 2], lab[LAB_TEXT_MAX * 4 + 2], analysed[16];
	enum lab_why why;
};

/* The limit of a parameter ("at least 5 SU") written as text. */
static void limit_txt(struct html *h, const struct web_req *rq, int has_min, long long min,
		      int has_max, long long max, const char *unit)
{
	char a[LAB_DEC_MAX + LAB_UNIT_MAX * 4 + 2], b[sizeof a], v[LAB_DEC_MAX];

	snprintf(a, sizeof a, "%s %s", lab_dec_format(min, v), unit);
	snprintf(b, sizeof b, "%s %s", lab_dec_format(max, v), unit);
	if (has_min && has_max)
		web_tr(h, rq, "web.lab.minmax", a, b);
	else if (has_min)
		web_tr(h, rq, "web.lab.min", a, NULL);
	else if (has_max)
		web_tr(h, rq, "web.lab.max", b, NULL);
	else
		html_txt(h, web_t(rq, "web.lab.nolimit"));
}

struct res {
	const struct web_req *rq;
	struct html *h;
	int n;
};

static int result_row(const struct potw_lab_result *r, void *ctx)
{
	struct res *x = ctx;
	struct html *h = x->h;
	char v[LAB_DEC_MAX], when[24];
	const char *verdict = !r->exceeds ? "web.lab.v.within" :
			      r->has_min && r->value < r->min ? "web.lab.v.below" : "web.lab.v.above";

	x->n++;
	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, r->param);
	html_raw(h, "</th>");
	web_td(h, x->rq, "num", "web.lab.value", lab_dec_format(r->value, v));
	web_td(h, x->rq, NULL, "web.lab.unit", r->unit);
	web_td_open(h, x->rq, NULL, "web.lab.limit");
	limit_txt(h, x->rq, r->has_min, r->min, r->has_max, r->max, r->unit);
	html_raw(h, "</td>");
	web_td(h, x->rq, NULL, "web.lab.section", r->section);
	web_td(h, x->rq, r->exceeds ? "alarm" : NULL, "web.lab.verdict", web_t(x->rq, verdict));
	web_td(h, x->rq, NULL, "web.lab.method", r->method);
	web_td(h, x->rq, NULL, "web.lab.lab", r->lab);
	web_td(h, x->rq, NULL, "web.lab.analysed", r->analysed);
	web_td_open(h, x->rq, NULL, "web.lab.entered_by");
	html_txt(h, r->entered_by);
	html_raw(h, " ");
	html_txt(h, web_utc(r->entered, when));
	html_raw(h, "</td></tr>\n");
	return 0;
}

int page_results_table(const struct web_req *rq, struct html *h, const char *station,
		       long long load_no, long long nov_id, const char *caption_key)
{
	static const char *const cols[] = {
		"web.lab.param", "web.lab.value", "web.lab.unit", "web.lab.limit", "web.lab.section",
		"web.lab.verdict", "web.lab.method", "web.lab.lab", "web.lab.analysed",
		"web.lab.entered_by", NULL
	};
	struct res x = { rq, h, 0 };
	int rc;

	web_table_id_begin(h, rq, "rcap", caption_key, cols);
	rc = potw_lab_results_each(rq->st, station, load_no, nov_id, result_row, &x);
	html_raw(h, "</tbody>\n</table></div>\n");
	return rc ? rc : x.n;
}

/* A <dt>key</dt><dd>text</dd> pair. */
static void fact(struct html *h, const struct web_req *rq, const char *key, const char *text)
{
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</dt><dd>");
	html_txt(h, text);
	html_raw(h, "</dd>\n");
}

/* A source of the load: its name and street address are confidential
 * (core/record.c's record_confidential_fields[]: a hauler's customers), so
 * only a coordinator reads them; its town is not. */
struct sources {
	struct html *h;
	const struct web_req *rq;
	int see;
};

static int source_item(const char *name, const char *address, const char *town, void *ctx)
{
	struct sources *x = ctx;
	struct html *h = x->h;

	html_raw(h, "<li>");
	if (x->see) {
		html_txt(h, name);
		html_raw(h, ", ");
		html_txt(h, address);
	} else {
		html_raw(h, "<span class=\"withheld\">");
		html_txt(h, web_t(x->rq, "web.load.confidential"));
		html_raw(h, "</span>");
	}
	if (town[0]) {
		html_raw(h, " (");
		html_txt(h, town);
		html_raw(h, ")");
	}
	html_raw(h, "</li>");
	return 0;
}

int page_load_facts(const struct web_req *rq, struct html *h, const struct potw_lab_load *ld)
{
	char n[24], path[POTW_STATION_ID_MAX + 40];
	enum waste_type w = waste_parse(ld->waste);
	struct sources src = { h, rq, rq->s.role == POTW_ROLE_COORDINATOR };
	int rc;

	html_raw(h, "<dl class=\"facts\">\n");
	fact(h, rq, "web.samples.station", ld->station);
	snprintf(n, sizeof n, "%lld", ld->load_no);
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.samples.load"));
	html_raw(h, "</dt><dd><a href=\"");
	html_attr(h, web_load_path(ld->station, ld->load_no, path, sizeof path));
	html_raw(h, "\">");
	html_txt(h, n);
	html_raw(h, "</a></dd>\n");
	fact(h, rq, "web.samples.day", ld->day);
	fact(h, rq, "web.sample.hauler", ld->company);
	fact(h, rq, "web.sample.address", ld->company_address);
	fact(h, rq, "web.sample.permit", ld->permit);
	fact(h, rq, "web.sample.driver", ld->driver);
	fact(h, rq, "web.sample.truck", ld->truck);
	fact(h, rq, "web.samples.waste", w == WASTE_NONE ? ld->waste : waste_name(w, rq->lang));
	snprintf(n, sizeof n, "%ld", ld->gallons);
	fact(h, rq, "web.sample.gallons", n);
	if (ld->measured > 0) {
		snprintf(n, sizeof n, "%ld", ld->measured);
		fact(h, rq, "web.sample.measured", n);
	}
	fact(h, rq, "web.samples.bottle", ld->bottle);
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.sample.sources"));
	html_raw(h, "</dt><dd><ul>");
	rc = potw_lab_sources_each(rq->st, ld->station, ld->load_no, source_item, &src);
	html_raw(h, "</ul></dd>\n</dl>\n");
	return rc;
}

/* /samples/STATION/N into station and *no: 1; 0 when rest is not that. */
static int parse_id(const char *rest, char station[POTW_STATION_ID_MAX + 1], long long *no)
{
	const char *slash = strrchr(rest, '/');
	long n;

	if (!slash || (size_t)(slash - rest) > POTW_STATION_ID_MAX ||
	    text_parse_long(slash + 1, 1, 2147483647L, &n))
		return 0;
	memcpy(station, rest, (size_t)(slash - rest));
	station[slash - rest] = '\0';
	*no = n;
	return potw_station_id_ok(station);
}

struct opts {
	struct html *h;
	const char *chosen;
};

static int param_option(const struct potw_lab_param *p, void *ctx)
{
	struct opts *o = ctx;

	html_raw(o->h, "<option value=\"");
	html_attr(o->h, p->p.name);
	html_raw(o->h, strcmp(p->p.name, o->chosen) ? "\">" : "\" selected>");
	html_txt(o->h, p->p.name);
	html_raw(o->h, " (");
	html_txt(o->h, p->p.unit);
	html_raw(o->h, ")</option>");
	return 0;
}

static void result_form(struct web_req *rq, struct html *h, const struct potw_lab_load *ld,
			const struct typed *t)
{
	struct opts o = { h, t->param };
	enum lab_why w = t->why;
	int bad_value = w == LAB_BAD_NUMBER || w == LAB_BAD_COMMA || w == LAB_BAD_PLACES ||
			w == LAB_BAD_RANGE || w == LAB_BAD_NEGATIVE;
	int bad_date = w == LAB_BAD_DATE || w == LAB_DATE_FUTURE || w == LAB_DATE_EARLY;
	char label[160];

	html_raw(h, "<h2 id=\"add\">");
	html_txt(h, web_t(rq, "web.sample.add"));
	html_raw(h, "</h2>\n<form method=\"post\" action=\"");
	{
		char p[POTW_STATION_ID_MAX + 40];

		snprintf(p, sizeof p, "/samples/%s/%lld", ld->station, ld->load_no);
		html_attr(h, p);
	}
	html_raw(h, "\" aria-labelledby=\"add\">\n");
	web_csrf_field(rq, h);
	html_raw(h, "<p><label for=\"param\">");
	html_txt(h, web_t(rq, "web.lab.param"));
	html_raw(h, "</label>\n");
	html_raw(h, w == LAB_UNKNOWN_PARAM ?
		 "<select id=\"param\" name=\"param\" aria-invalid=\"true\" aria-describedby=\"why\">" :
		 "<select id=\"param\" name=\"param\">");
	potw_lab_params_each(rq->st, param_option, &o);
	html_raw(h, "</select></p>\n");
	web_input(h, "value", web_t(rq, "web.lab.value"), t->value, bad_value,
		  "required inputmode=\"decimal\" autocomplete=\"off\"");
	web_input(h, "unit", web_t(rq, "web.lab.unit"), t->unit, w == LAB_BAD_UNIT,
		  "required maxlength=\"16\" autocomplete=\"off\"");
	web_input(h, "method", web_t(rq, "web.lab.method"), t->method, w == LAB_BAD_TEXT,
		  "required maxlength=\"80\"");
	web_input(h, "lab", web_t(rq, "web.lab.lab"), t->lab, w == LAB_BAD_TEXT,
		  "required maxlength=\"80\"");
	snprintf(label, sizeof label, "%s (%s)", web_t(rq, "web.lab.analysed"),
		 web_t(rq, "web.lab.date_hint"));
	web_input(h, "analysed", label, t->analysed, bad_date,
		  "required maxlength=\"10\" placeholder=\"YYYY-MM-DD\" autocomplete=\"off\"");
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.sample.submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

/* The page of the load; msg_key/arg say what a post did or why not. */
static void show(struct web_req *rq, struct web_out *out, const struct potw_lab_load *ld,
		 const struct typed *t, const char *msg_key, const char *arg, int alert)
{
	struct html *h = &out->h;
	char load[24];
	int rc;

	web_begin(rq, out, "web.sample.title");
	snprintf(load, sizeof load, "%lld", ld->load_no);
	html_raw(h, "<p class=\"lead\">");
	web_tr(h, rq, "web.sample.load", load, ld->station);
	html_raw(h, "</p>\n");
	if (msg_key) {
		html_raw(h, alert ? "<p class=\"msg\" role=\"alert\" id=\"why\">" :
			 "<p class=\"msg\" role=\"status\">");
		web_tr(h, rq, msg_key, arg, NULL);
		html_raw(h, "</p>\n");
	}
	if (potw_lab_marked(rq->st, "load", ld->station, ld->load_no) == 1) {
		html_raw(h, "<p class=\"msg violation\" role=\"note\">");
		html_txt(h, web_t(rq, "web.sample.in_violation"));
		html_raw(h, "</p>\n");
	}
	html_raw(h, "<h2>");
	html_txt(h, web_t(rq, "web.sample.facts"));
	html_raw(h, "</h2>\n");
	rc = page_load_facts(rq, h, ld);
	if (rc >= 0)
		rc = page_results_table(rq, h, ld->station, ld->load_no, 0, "web.sample.results");
	if (rc < 0) {
		fprintf(stderr, "haulgate-potw: web: sample: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	if (rc == 0)
		web_msg_args(h, rq, 0, "web.sample.no_results", NULL, NULL);
	if (rq->s.role == POTW_ROLE_COORDINATOR)
		result_form(rq, h, ld, t);
	else
		web_msg_args(h, rq, 0, "web.sample.read_only", NULL, NULL);
	web_end(out);
}

/* The load the path names, or an answer already made (0). */
static int load_of(struct web_req *rq, struct web_out *out, struct potw_lab_load *ld)
{
	char station[POTW_STATION_ID_MAX + 1], where[POTW_STATION_ID_MAX + 40];
	const char *rest = web_path_rest(rq, "/samples/");
	long long no;
	int rc;

	if (parse_id(rest, station, &no)) {
		rc = potw_lab_load_get(rq->st, station, no, ld);
		if (rc == HG_OK && ld->sampled)
			return 1;
		if (rc && rc != HG_ENOTFOUND) {
			fprintf(stderr, "haulgate-potw: web: sample: %s\n", hg_error_text());
			web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
			return 0;
		}
	} else if (!strcmp(rq->method, "GET") && strlen(rest) <= LIM_BOTTLE &&
		   potw_lab_bottle_find(rq->st, rest, station, &no) == HG_OK) {
		snprintf(where, sizeof where, "/samples/%s/%lld", station, no);
		web_redirect(out, where);
		return 0;
	}
	web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.sample.not_found");
	return 0;
}

void page_sample(struct web_req *rq, struct web_out *out)
{
	struct potw_lab_load ld;
	struct typed t;
	char nov[24];

	memset(&t, 0, sizeof t);
	if (!load_of(rq, out, &ld))
		return;
	if (rq->query && html_form_get(rq->query, strlen(rq->query), "nov", nov, sizeof nov) == 1 &&
	    strspn(nov, "0123456789") == strlen(nov) && nov[0])
		show(rq, out, &ld, &t, "web.sample.added_violation", nov, 0);
	else if (rq->query && html_form_get(rq->query, strlen(rq->query), "added", nov,
					    sizeof nov) == 1)
		show(rq, out, &ld, &t, "web.sample.added_within", NULL, 0);
	else
		show(rq, out, &ld, &t, NULL, NULL, 0);
}

/* A field of the form into out[cap]: 0, or -1 when it is too long. */
static int field(const struct web_req *rq, const char *name, char *out, size_t cap)
{
	int r = html_form_get(rq->body, rq->len, name, out, cap);

	if (r == 0)
		out[0] = '\0';
	return r < 0 ? -1 : 0;
}

void page_sample_post(struct web_req *rq, struct web_out *out)
{
	char today[11], where[POTW_STATION_ID_MAX + 64];
	struct potw_lab_outcome o;
	struct potw_lab_entry e;
	struct potw_lab_load ld;
	struct typed t;
	int rc;

	memset(&t, 0, sizeof t);
	if (!load_of(rq, out, &ld))
		return;
	if (field(rq, "param", t.param, sizeof t.param) || field(rq, "value", t.value, sizeof t.value))
		t.why = LAB_BAD_NUMBER;
	if (field(rq, "unit", t.unit, sizeof t.unit) || field(rq, "method", t.method, sizeof t.method) ||
	    field(rq, "lab", t.lab, sizeof t.lab))
		t.why = LAB_BAD_TEXT;
	if (field(rq, "analysed", t.analysed, sizeof t.analysed))
		t.why = LAB_BAD_DATE;
	if (!t.why) {
		memset(&e, 0, sizeof e);
		e.station = ld.station;
		e.load_no = ld.load_no;
		e.param = t.param;
		e.value = t.value;
		e.unit = t.unit;
		e.method = t.method;
		e.lab = t.lab;
		e.analysed = t.analysed;
		text_date_local(rq->now, today);
		rc = potw_lab_result_add(rq->st, &e, rq->s.login, rq->now, today, &o);
		if (rc == HG_OK) {
			fprintf(stderr, "haulgate-potw: web: %s entered result %lld of %s load %lld\n",
				rq->s.login, o.result_id, ld.station, ld.load_no);
			if (o.nov_id)
				snprintf(where, sizeof where, "/samples/%s/%lld?nov=%lld", ld.station,
					 ld.load_no, o.nov_id);
			else
				snprintf(where, sizeof where, "/samples/%s/%lld?added=1", ld.station,
					 ld.load_no);
			web_redirect(out, where);
			return;
		}
		if (rc != HG_EINVAL || !o.why) {
			fprintf(stderr, "haulgate-potw: web: lab result: %s\n", hg_error_text());
			web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
			return;
		}
		t.why = o.why;
	}
	out->status = 422;
	show(rq, out, &ld, &t, "web.sample.refused", web_t(rq, lab_key(t.why)), 1);
}
