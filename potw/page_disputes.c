/* page_disputes.c: the coordinator's worklist of disputes, GET /disputes
 * (coordinator and auditor read it; ?all=1 shows the answered ones too),
 * and an answer, POST /disputes/ID (coordinator only: web.c refuses the
 * other roles, and a POST without the session's CSRF token, before this
 * runs).
 *
 * A dispute is the hauler's text beside the untouched record; the answer
 * says whether the record stands or is found wrong, with the
 * coordinator's words, login and time (potw_dispute_answer(), one
 * transaction with its staff log entry).  The record itself is never
 * changed here.  Everything the hauler typed goes through html_txt() and
 * html_attr().  Start reading at page_disputes(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "store_disputes.h"
#include "web_int.h"
#include "../core/report.h"

struct rows {
	struct html *h;
	const struct web_req *rq;
	int n;
};

static void cell(struct html *h, const struct web_req *rq, const char *label_key,
		 const char *value)
{
	/* a dispute's text keeps its lines (class lines: white-space pre-line) */
	html_raw(h, strchr(value, '\n') ? "<td class=\"lines\" data-label=\"" : "<td data-label=\"");
	html_attr(h, web_t(rq, label_key));
	html_raw(h, "\">");
	html_txt(h, value);
	html_raw(h, "</td>");
}

/* The answer's form of an open dispute (the coordinator's). */
static void answer_form(struct html *h, const struct web_req *rq, const struct potw_dispute *d)
{
	char id[24], path[48];

	snprintf(id, sizeof id, "%lld", d->id);
	snprintf(path, sizeof path, "/disputes/%lld", d->id);
	html_raw(h, "<form method=\"post\" action=\"");
	html_attr(h, path);
	html_raw(h, "\" class=\"answer\">");
	web_csrf_field(rq, h);
	html_raw(h, "<p><label for=\"answer-");
	html_attr(h, id);
	html_raw(h, "\">");
	web_tr(h, rq, "web.disputes.answer", id, NULL);
	html_raw(h, "</label><textarea id=\"answer-");
	html_attr(h, id);
	html_raw(h, "\" name=\"answer\" required maxlength=\"2000\" rows=\"2\"></textarea></p>"
		 "<fieldset><legend>");
	html_txt(h, web_t(rq, "web.disputes.outcome"));
	html_raw(h, "</legend><label><input type=\"radio\" name=\"outcome\" value=\"stands\" "
		 "required> ");
	html_txt(h, web_t(rq, "web.disputes.stands"));
	html_raw(h, "</label><label><input type=\"radio\" name=\"outcome\" value=\"wrong\"> ");
	html_txt(h, web_t(rq, "web.disputes.wrong"));
	html_raw(h, "</label></fieldset><p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.disputes.submit"));
	html_raw(h, "</button></p></form>");
}

static int dispute_row(const struct potw_dispute *d, void *ctx)
{
	struct rows *r = ctx;
	struct html *h = r->h;
	char id[24], load[24], when[24], by[POTW_ACTOR_MAX + 40];

	r->n++;
	snprintf(id, sizeof id, "%lld", d->id);
	snprintf(load, sizeof load, "%lld", d->load_no);
	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, id);
	html_raw(h, "</th>");
	cell(h, r->rq, "web.receipt.station", d->station);
	cell(h, r->rq, "web.receipt.load", load);
	cell(h, r->rq, "web.disputes.raised", web_utc(d->raised, when));
	cell(h, r->rq, "web.disputes.what", d->what);
	cell(h, r->rq, "web.disputes.contact", d->contact);
	html_raw(h, "<td data-label=\"");
	html_attr(h, web_t(r->rq, "web.disputes.status"));
	html_raw(h, "\">");
	if (d->outcome == POTW_OUTCOME_OPEN) {
		html_txt(h, web_t(r->rq, "web.disputes.open"));
		if (r->rq->s.role == POTW_ROLE_COORDINATOR)
			answer_form(h, r->rq, d);
	} else {
		html_raw(h, "<strong>");
		html_txt(h, web_t(r->rq, d->outcome == POTW_OUTCOME_STANDS ?
				  "web.disputes.stands" : "web.disputes.wrong"));
		html_raw(h, "</strong>: <span class=\"lines\">");
		html_txt(h, d->answer);
		html_raw(h, "</span>");
		html_raw(h, "<br><span class=\"by\">");
		snprintf(by, sizeof by, "%s UTC", web_utc(d->answered, when));
		web_tr(h, r->rq, "web.disputes.by", d->answered_by, by);
		html_raw(h, "</span>");
	}
	html_raw(h, "</td></tr>\n");
	return 0;
}

static void th(struct html *h, const struct web_req *rq, const char *key)
{
	html_raw(h, "<th scope=\"col\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</th>");
}

static void page(struct web_req *rq, struct web_out *out, const char *msg_key, const char *arg,
		 int alert)
{
	struct html *h = &out->h;
	struct rows r = { h, rq, 0 };
	char all[4];
	int show_all, rc;

	show_all = rq->query && html_form_get(rq->query, strlen(rq->query), "all", all,
					      sizeof all) == 1 && !strcmp(all, "1");
	web_begin(rq, out, "web.disputes.title");
	if (msg_key)
		web_msg(h, rq, msg_key, arg, alert);
	html_raw(h, "<p><a href=\"");
	html_raw(h, show_all ? "/disputes\">" : "/disputes?all=1\">");
	html_txt(h, web_t(rq, show_all ? "web.disputes.show_open" : "web.disputes.show_all"));
	html_raw(h, "</a></p>\n<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
		 "aria-labelledby=\"cap\"><table>\n<caption id=\"cap\">");
	html_txt(h, web_t(rq, show_all ? "web.disputes.caption_all" : "web.disputes.caption"));
	html_raw(h, "</caption>\n<thead><tr>");
	th(h, rq, "web.disputes.number");
	th(h, rq, "web.receipt.station");
	th(h, rq, "web.receipt.load");
	th(h, rq, "web.disputes.raised");
	th(h, rq, "web.disputes.what");
	th(h, rq, "web.disputes.contact");
	th(h, rq, "web.disputes.status");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	rc = potw_disputes_each(rq->st, !show_all, dispute_row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: disputes: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "</tbody>\n</table></div>\n");
	if (!r.n) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.disputes.none"));
		html_raw(h, "</p>\n");
	}
	web_end(out);
}

void page_disputes(struct web_req *rq, struct web_out *out)
{
	char id[24];

	if (rq->query && html_form_get(rq->query, strlen(rq->query), "answered", id,
				       sizeof id) == 1 && strspn(id, "0123456789") == strlen(id) &&
	    id[0])
		page(rq, out, "web.disputes.answered_ok", id, 0);
	else
		page(rq, out, NULL, NULL, 0);
}

void page_disputes_post(struct web_req *rq, struct web_out *out)
{
	const char *num = rq->path + strlen("/disputes/");
	char outcome[16], where[48], max[16];
	char *answer = malloc(HG_BUF(POTW_DISPUTE_ANSWER_MAX));
	long long id = 0;
	int rc;

	if (!answer) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	if (num[0] && strlen(num) < 16 && strspn(num, "0123456789") == strlen(num) && num[0] != '0')
		id = strtoll(num, NULL, 10);
	if (!id) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		goto done;
	}
	if (html_form_get(rq->body, rq->len, "outcome", outcome, sizeof outcome) != 1)
		outcome[0] = '\0';
	html_form_text(rq->body, rq->len, "answer", 1, answer, HG_BUF(POTW_DISPUTE_ANSWER_MAX));
	rc = potw_dispute_answer(rq->st, id, potw_outcome_parse(outcome), answer, rq->s.login,
				 rq->now);
	snprintf(where, sizeof where, "%lld", id);
	if (rc == HG_EINVAL) {
		out->status = 422;
		snprintf(max, sizeof max, "%d", POTW_DISPUTE_ANSWER_MAX);
		page(rq, out, "web.disputes.bad", max, 1);
	} else if (rc == HG_EEXIST) {
		out->status = MHD_HTTP_CONFLICT;
		page(rq, out, "web.disputes.taken", where, 1);
	} else if (rc == HG_ENOTFOUND) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
	} else if (rc) {
		fprintf(stderr, "haulgate-potw: web: dispute answer: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	} else {
		fprintf(stderr, "haulgate-potw: web: %s answered dispute %lld (%s)\n", rq->s.login,
			id, outcome);
		snprintf(where, sizeof where, "/disputes?answered=%lld", id);
		web_redirect(out, where);
	}
done:
	free(answer);
}
