/* page_nov.c: a Notice of Violation (ordinance section 8.1), printable.
 *
 * GET /nov/N (every role): the notice as the hauler receives it: its
 * number and state (a draft says so in large letters), the hauler and its
 * address, the finding, the load (the station's record: page_load_facts),
 * the results past their limits with each limit and its section, what the
 * hauler must do within five working days, and the ordinance sections it
 * rests on; when and by whom it was drafted and issued.  The style
 * sheet's print rules leave the menus and the state form off paper.
 * POST /nov/N (coordinator; web.c has checked the role and the CSRF
 * token): its state, draft or issued, logged.  Start reading at
 * page_nov(). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "store_lab.h"
#include "web_int.h"
#include "../core/report.h"
#include "../core/text.h"

#define SECTIONS_MAX 200

/* The notice the path names into *n (1), or an answer made (0). */
static int nov_of(struct web_req *rq, struct web_out *out, struct potw_nov *n)
{
	long id;
	int rc;

	if (text_parse_long(web_path_rest(rq, "/nov/"), 1, 2147483647L, &id)) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.nov.not_found");
		return 0;
	}
	rc = potw_nov_get(rq->st, id, n);
	if (rc == HG_ENOTFOUND)
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.nov.not_found");
	else if (rc)
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	return rc == HG_OK;
}

/* Each section of the notice's results, once, into the list s[cap]. */
static int add_section(const struct potw_lab_result *r, void *ctx)
{
	char *s = ctx, *p = s;
	size_t n = strlen(r->section);

	while ((p = strstr(p, r->section)) != NULL) {	/* already there? */
		if ((p == s || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return 0;
		p += n;
	}
	if (s[0])
		text_append(s, SECTIONS_MAX, ", ");
	text_append(s, SECTIONS_MAX, r->section);
	return 0;
}

static const char *state_key(const char *state)
{
	return !strcmp(state, "issued") ? "web.nov.state.issued" : "web.nov.state.draft";
}

static void show(struct web_req *rq, struct web_out *out, const struct potw_nov *n,
		 const char *msg_key)
{
	struct html *h = &out->h;
	char id[24], sections[SECTIONS_MAX] = "", when[24], path[64];
	struct potw_lab_load ld;
	int rc, issued = !strcmp(n->state, "issued");

	rc = potw_lab_load_get(rq->st, n->station, n->load_no, &ld);
	if (!rc)
		rc = potw_lab_results_each(rq->st, NULL, 0, n->id, add_section, sections);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: notice: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.nov.title");
	snprintf(id, sizeof id, "%lld", n->id);
	if (msg_key)
		web_msg_args(h, rq, 0, msg_key, web_t(rq, state_key(n->state)), NULL);
	html_raw(h, "<p class=\"noprint\">");
	html_txt(h, web_t(rq, "web.nov.print"));
	html_raw(h, "</p>\n<article class=\"nov\" aria-labelledby=\"novno\">\n<h2 id=\"novno\">");
	web_tr(h, rq, "web.nov.number", id, web_t(rq, state_key(n->state)));
	html_raw(h, "</h2>\n");
	if (!issued) {
		html_raw(h, "<p class=\"draft\">");
		html_txt(h, web_t(rq, "web.nov.draft_mark"));
		html_raw(h, "</p>\n");
	}
	html_raw(h, "<h3>");
	html_txt(h, web_t(rq, "web.nov.to"));
	html_raw(h, "</h3>\n<address>");
	html_txt(h, ld.company);
	html_raw(h, "<br>");
	html_txt(h, ld.company_address);
	html_raw(h, "<br>");
	html_txt(h, web_t(rq, "web.sample.permit"));
	html_raw(h, ": ");
	html_txt(h, ld.permit);
	html_raw(h, "</address>\n<p>");
	html_txt(h, web_t(rq, "web.nov.finding"));
	html_raw(h, "</p>\n");
	rc = page_load_facts(rq, h, &ld);
	if (rc >= 0)
		rc = page_results_table(rq, h, n->station, n->load_no, n->id, "web.nov.results");
	if (rc < 0) {
		fprintf(stderr, "haulgate-potw: web: notice: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.nov.duty"));
	html_raw(h, "</p>\n<p>");
	text_append(sections, sizeof sections, sections[0] ? ", 8.1" : "8.1");
	web_tr(h, rq, "web.nov.sections", sections, NULL);
	html_raw(h, "</p>\n<p class=\"meta\">");
	web_tr(h, rq, "web.nov.drafted", web_utc(n->drafted, when), n->drafted_by);
	if (issued) {
		html_raw(h, " ");
		web_tr(h, rq, "web.nov.issued_at", web_utc(n->issued, when), n->issued_by);
	}
	html_raw(h, "</p>\n</article>\n");
	if (rq->s.role == POTW_ROLE_COORDINATOR) {
		snprintf(path, sizeof path, "/nov/%lld", n->id);
		html_raw(h, "<form method=\"post\" class=\"noprint\" action=\"");
		html_attr(h, path);
		html_raw(h, "\">\n");
		web_csrf_field(rq, h);
		html_raw(h, "<p><label for=\"state\">");
		html_txt(h, web_t(rq, "web.nov.set_state"));
		html_raw(h, "</label>\n<select id=\"state\" name=\"state\"><option value=\"draft\"");
		html_raw(h, issued ? ">" : " selected>");
		html_txt(h, web_t(rq, "web.nov.state.draft"));
		html_raw(h, "</option><option value=\"issued\"");
		html_raw(h, issued ? " selected>" : ">");
		html_txt(h, web_t(rq, "web.nov.state.issued"));
		html_raw(h, "</option></select></p>\n<p><button type=\"submit\">");
		html_txt(h, web_t(rq, "web.nov.save"));
		html_raw(h, "</button></p>\n</form>\n");
	}
	web_end(out);
}

void page_nov(struct web_req *rq, struct web_out *out)
{
	struct potw_nov n;
	char saved[4];

	if (!nov_of(rq, out, &n))
		return;
	show(rq, out, &n, rq->query && html_form_get(rq->query, strlen(rq->query), "saved", saved,
						      sizeof saved) == 1 ? "web.nov.saved" : NULL);
}

void page_nov_post(struct web_req *rq, struct web_out *out)
{
	char state[16], where[64];
	struct potw_nov n;
	int rc;

	if (!nov_of(rq, out, &n))
		return;
	if (html_form_get(rq->body, rq->len, "state", state, sizeof state) != 1 ||
	    (strcmp(state, "draft") && strcmp(state, "issued"))) {
		out->status = 422;
		show(rq, out, &n, NULL);
		return;
	}
	rc = potw_nov_set_state(rq->st, n.id, state, rq->s.login, rq->now);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: notice: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	fprintf(stderr, "haulgate-potw: web: %s set notice %lld %s\n", rq->s.login, n.id, state);
	snprintf(where, sizeof where, "/nov/%lld?saved=1", n.id);
	web_redirect(out, where);
}
