/* page_holds.c: legal holds, GET /holds (auditor, coordinator, admin;
 * ?all=1 lists the released ones too), a new hold, POST /holds, and a
 * release, POST /holds/ID (a coordinator's: web.c refuses the other roles,
 * and a POST without the session's CSRF token, before this runs).
 *
 * A hold keeps what it covers past the three years of ordinance section 5
 * (potw/retention.h); it is set on a hauler of the plant's roster (at one
 * station, or at every one) or on a station's load, with a reason, and
 * released, never deleted (potw_hold_set(), potw_hold_release(): each one
 * transaction with its staff log entry).  Whatever was typed goes through
 * html_txt() and html_attr().  Start reading at page_holds(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "store_holds.h"
#include "web_int.h"
#include "../core/report.h"
#include "../core/text.h"

struct rows {
	struct html *h;
	const struct web_req *rq;
	int n;
};

/* The release's button of a hold in force (the coordinator's). */
static void release_form(struct html *h, const struct web_req *rq, long long id)
{
	char path[48];

	snprintf(path, sizeof path, "/holds/%lld", id);
	html_raw(h, "<form method=\"post\" action=\"");
	html_attr(h, path);
	html_raw(h, "\">");
	web_csrf_field(rq, h);
	html_raw(h, "<button type=\"submit\">");
	html_txt(h, web_t(rq, "web.holds.release"));
	html_raw(h, "</button></form>");
}

static int hold_row(const struct potw_hold *d, void *ctx)
{
	struct rows *r = ctx;
	struct html *h = r->h;
	char id[24], num[24], when[24], by[POTW_ACTOR_MAX + 40], link[64];

	r->n++;
	snprintf(id, sizeof id, "%lld", d->id);
	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, id);
	html_raw(h, "</th>");
	web_td_open(h, r->rq, NULL, "web.holds.on");
	if (d->load_no > 0) {
		snprintf(num, sizeof num, "%lld", d->load_no);
		html_raw(h, "<a href=\"");
		html_attr(h, web_load_path(d->station, d->load_no, link, sizeof link));
		html_raw(h, "\">");
		web_tr(h, r->rq, "web.holds.on_load", d->station, num);
		html_raw(h, "</a>");
	} else {
		snprintf(num, sizeof num, "%lld", d->hauler_id);
		snprintf(link, sizeof link, "/haulers/%lld", d->hauler_id);
		html_raw(h, "<a href=\"");
		html_attr(h, link);
		html_raw(h, "\">");
		web_tr(h, r->rq, d->station[0] ? "web.holds.on_hauler_at" : "web.holds.on_hauler",
		       num, d->station);
		html_raw(h, "</a>");
	}
	web_td_next(h, r->rq, NULL, "web.holds.reason");
	html_txt(h, d->reason);
	web_td_next(h, r->rq, NULL, "web.holds.set");
	snprintf(by, sizeof by, "%s UTC", web_utc(d->set, when));
	web_tr(h, r->rq, "web.disputes.by", d->set_by, by);
	web_td_next(h, r->rq, NULL, "web.holds.status");
	if (d->released) {
		snprintf(by, sizeof by, "%s UTC", web_utc(d->released, when));
		html_txt(h, web_t(r->rq, "web.holds.released"));
		html_raw(h, " ");
		web_tr(h, r->rq, "web.disputes.by", d->released_by, by);
	} else {
		html_raw(h, "<strong>");
		html_txt(h, web_t(r->rq, "web.holds.in_force"));
		html_raw(h, "</strong>");
		if (r->rq->s.role == POTW_ROLE_COORDINATOR)
			release_form(h, r->rq, d->id);
	}
	html_raw(h, "</td></tr>\n");
	return 0;
}

/* The form of a new hold (the coordinator's), what was typed kept. */
static void set_form(struct html *h, const struct web_req *rq, const char *hauler,
		     const char *station, const char *load, const char *reason, int bad)
{
	html_raw(h, "<h2 id=\"new\">");
	html_txt(h, web_t(rq, "web.holds.new"));
	html_raw(h, "</h2>\n<form method=\"post\" action=\"/holds\">");
	web_csrf_field(rq, h);
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.holds.new_help"));
	html_raw(h, "</p>");
	web_input(h, "hauler", web_t(rq, "web.holds.hauler"), hauler, 0,
		  "inputmode=\"numeric\" maxlength=\"15\"");
	web_input(h, "station", web_t(rq, "web.holds.station"), station, 0, "maxlength=\"31\"");
	web_input(h, "load", web_t(rq, "web.holds.load"), load, 0,
		  "inputmode=\"numeric\" maxlength=\"15\"");
	web_input(h, "reason", web_t(rq, "web.holds.reason"), reason, bad,
		  "required maxlength=\"500\"");
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.holds.submit"));
	html_raw(h, "</button></p></form>\n");
}

static const char *const cols[] = { "web.holds.number", "web.holds.on", "web.holds.reason",
				    "web.holds.set", "web.holds.status" };

/* The page, msg_key (with arg) said first; the form holds f[4] (hauler,
 * station, load, reason) as typed, or nothing. */
static void page(struct web_req *rq, struct web_out *out, const char *msg_key, const char *arg,
		 int alert, const char *const *f)
{
	static const char *const none[4] = { "", "", "", "" };
	struct html *h = &out->h;
	struct rows r = { h, rq, 0 };
	char all[4];
	int show_all, rc;

	if (!f)
		f = none;
	show_all = web_query(rq, "all", all, sizeof all) == 1 && !strcmp(all, "1");
	web_begin(rq, out, "web.holds.title");
	if (msg_key)
		web_msg(h, rq, msg_key, arg, alert);
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.holds.lead"));
	html_raw(h, "</p>\n<p><a href=\"");
	html_raw(h, show_all ? "/holds\">" : "/holds?all=1\">");
	html_txt(h, web_t(rq, show_all ? "web.holds.show_in_force" : "web.holds.show_all"));
	html_raw(h, "</a></p>\n");
	web_table_begin(h, rq, NULL, show_all ? "web.holds.caption_all" : "web.holds.caption",
			cols, (int)HG_ARRAY_LEN(cols));
	rc = potw_holds_each(rq->st, !show_all, hold_row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: holds: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_table_end(h);
	if (!r.n) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.holds.none"));
		html_raw(h, "</p>\n");
	}
	if (rq->s.role == POTW_ROLE_COORDINATOR)
		set_form(h, rq, f[0], f[1], f[2], f[3], alert);
	web_end(out);
}

void page_holds(struct web_req *rq, struct web_out *out)
{
	char id[24];

	if (web_query(rq, "set", id, sizeof id) == 1 && web_id(id, &(long long){ 0 }) == 0)
		page(rq, out, "web.holds.set_ok", id, 0, NULL);
	else if (web_query(rq, "released", id, sizeof id) == 1 && web_id(id, &(long long){ 0 }) == 0)
		page(rq, out, "web.holds.released_ok", id, 0, NULL);
	else
		page(rq, out, NULL, NULL, 0, NULL);
}

/* A form's field into out[cap], trimmed ("" when absent or too long). */
static void field(const struct web_req *rq, const char *name, char *out, size_t cap)
{
	if (html_form_get(rq->body, rq->len, name, out, cap) != 1)
		out[0] = '\0';
	text_trim(out);
}

void page_holds_post(struct web_req *rq, struct web_out *out)
{
	char hauler[24], station[128], load[24], where[48];
	char *reason = malloc(HG_BUF(POTW_HOLD_REASON_MAX));
	const char *typed[4];
	struct potw_hold *hd = calloc(1, sizeof *hd);
	long long id = 0, n = 0;
	int rc = HG_EINVAL;

	if (!reason || !hd) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		goto done;
	}
	field(rq, "hauler", hauler, sizeof hauler);
	field(rq, "station", station, sizeof station);
	field(rq, "load", load, sizeof load);
	field(rq, "reason", reason, HG_BUF(POTW_HOLD_REASON_MAX));
	typed[0] = hauler, typed[1] = station, typed[2] = load, typed[3] = reason;
	if (strlen(station) <= POTW_STATION_ID_MAX &&
	    (load[0] ? !web_id(load, &n) && station[0] && !hauler[0] :
	     hauler[0] && !web_id(hauler, &n))) {
		if (load[0])
			hd->load_no = n;
		else
			hd->hauler_id = n;
		text_copy(hd->station, sizeof hd->station, station);
		text_copy(hd->reason, sizeof hd->reason, reason);
		rc = potw_hold_set(rq->st, hd, rq->s.login, rq->now, &id);
	} else {
		hg_fail(HG_EINVAL, "a hold is on a hauler, or on a station's load");
	}
	if (rc == HG_EINVAL) {
		out->status = 422;
		page(rq, out, "web.holds.bad", NULL, 1, typed);
	} else if (rc == HG_ENOTFOUND) {
		out->status = 422;
		page(rq, out, "web.holds.not_found", NULL, 1, typed);
	} else if (rc) {
		fprintf(stderr, "haulgate-potw: web: hold: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	} else {
		fprintf(stderr, "haulgate-potw: web: %s set hold %lld\n", rq->s.login, id);
		snprintf(where, sizeof where, "/holds?set=%lld", id);
		web_redirect(out, where);
	}
done:
	free(reason);
	free(hd);
}

void page_hold_post(struct web_req *rq, struct web_out *out)
{
	char where[48];
	long long id;
	int rc;

	if (web_id(web_path_rest(rq, "/holds/"), &id)) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		return;
	}
	rc = potw_hold_release(rq->st, id, rq->s.login, rq->now);
	snprintf(where, sizeof where, "%lld", id);
	if (rc == HG_ENOTFOUND) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
	} else if (rc == HG_EEXIST) {
		out->status = MHD_HTTP_CONFLICT;
		page(rq, out, "web.holds.taken", where, 1, NULL);
	} else if (rc) {
		fprintf(stderr, "haulgate-potw: web: hold release: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	} else {
		fprintf(stderr, "haulgate-potw: web: %s released hold %lld\n", rq->s.login, id);
		snprintf(where, sizeof where, "/holds?released=%lld", id);
		web_redirect(out, where);
	}
}
