/* page_stations.c: each station's health, for every role, on the stations
 * page and on the dashboard (web_stations_table()).
 *
 * One row per registered station (potw_store_station_list()): its id and
 * name (typed by an admin: written as text), active or retired, when the
 * plant last heard from it, the events held, the backlog (events held that
 * no countersigned checkpoint covers yet), the last checkpoint the plant
 * countersigned (its size and when it came), whether its log verifies
 * (potw/verify.c from the first event: chain, tree, checkpoints, rows; done
 * by the background verifier, potw/verifier.h, whose last result is read
 * here: a page view never verifies) and the fork evidence rows.
 * The stations are read first, then each one's checkpoint, so no store
 * call runs inside another's callback.
 *
 * An admin gets two forms (POST /stations, admin only: web.c refuses the
 * other roles and a form without its CSRF token first): do=add registers a
 * station as `haulgate-potw station add` does (fields id, name and key-pem,
 * the public key's PEM text pasted), do=retire retires one as `station
 * retire` (its syncs refused from then on, its records kept, shown as
 * retired; a box ticked to confirm, since it is for good), both through
 * cmd_user.h's code with its words, logged in the staff log with the
 * admin's login.  Start reading at page_stations(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "cmd_user.h"
#include "verifier.h"
#include "web_int.h"
#include "../core/report.h"

#define STATIONS_MAX 10000	/* rows of the page */

/* The chain's cell: the background verifier's last result of s. */
static void chain(struct html *h, const struct web_req *rq, const struct potw_station *s)
{
	struct potw_verified v;
	char n[24], when[24];

	potw_verifier_get(rq->api->verifier, s->id, &v);
	if (v.state == POTW_VERIFIED_BROKEN) {
		web_td_next(h, rq, "alarm", "web.stations.chain");
		snprintf(n, sizeof n, "%lld", v.first_bad);
		if (!strcmp(v.what, "tables"))	/* the rows: no event to name */
			web_tr(h, rq, "web.stations.chain_broken_rows", web_utc(v.at, when), NULL);
		else
			web_tr(h, rq, "web.stations.chain_broken", n, web_utc(v.at, when));
	} else if (v.state == POTW_VERIFIED_OK && (v.size > 0 || s->events == 0)) {
		web_td_next(h, rq, "ok", "web.stations.chain");
		snprintf(n, sizeof n, "%lld", v.size);
		web_tr(h, rq, "web.stations.chain_ok", n, web_utc(v.at, when));
	} else {	/* none yet, or only of an empty log that has grown since */
		web_td_next(h, rq, NULL, "web.stations.chain");
		html_txt(h, web_t(rq, "web.stations.chain_unknown"));
	}
}

static void row(struct html *h, const struct web_req *rq, const struct potw_station *s,
		struct potw_checkpoint *cp)
{
	char when[24], size[24];
	long long covered;
	int rc;

	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, s->id);
	html_raw(h, "</th><td data-label=\"");
	html_attr(h, web_t(rq, "web.stations.name"));
	html_raw(h, "\">");
	html_txt(h, s->name);
	web_td_next(h, rq, s->retired ? "retired" : NULL, "web.stations.status");
	html_txt(h, web_t(rq, s->retired ? "web.stations.retired" : "web.stations.active"));
	web_td_next(h, rq, NULL, "web.stations.last_sync");
	html_txt(h, s->last_contact ? web_utc(s->last_contact, when) :
		 web_t(rq, "web.stations.never"));
	web_td_next(h, rq, "num", "web.stations.events");
	html_num(h, s->events);
	rc = potw_store_checkpoint_get(rq->st, s->id, 0, 0, cp);
	covered = rc == HG_OK && cp->cosigned[0] ? cp->size : 0;
	web_td_next(h, rq, s->events > covered ? "num warn" : "num", "web.stations.backlog");
	html_num(h, s->events - covered);
	web_td_next(h, rq, NULL, "web.stations.checkpoint");
	if (covered) {
		snprintf(size, sizeof size, "%lld", cp->size);
		web_tr(h, rq, "web.stations.checkpoint_at", size, web_utc(cp->received, when));
	} else {
		html_txt(h, web_t(rq, "web.stations.none_yet"));
	}
	chain(h, rq, s);
	web_td_next(h, rq, s->forks ? "num alarm" : "num", "web.stations.forks");
	html_num(h, s->forks);
	if (s->forks) {
		html_raw(h, " ");
		html_txt(h, web_t(rq, "web.stations.fork_alarm"));
	}
	html_raw(h, "</td></tr>\n");
}

int web_stations_table(const struct web_req *rq, struct html *h, const char *caption_key)
{
	struct potw_station *sts;
	struct potw_checkpoint *cp;
	size_t i, n;
	int rc;

	rc = potw_store_station_list(rq->st, STATIONS_MAX, &sts, &n);
	cp = malloc(sizeof *cp);
	if (rc || !cp) {
		fprintf(stderr, "haulgate-potw: web: stations: %s\n",
			rc ? hg_error_text() : "out of memory");
		free(sts);
		free(cp);
		return -1;
	}
	if (n == 0) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.stations.none"));
		html_raw(h, "</p>\n");
	} else {
		html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
			 "aria-labelledby=\"cap-st\"><table>\n<caption id=\"cap-st\">");
		html_txt(h, web_t(rq, caption_key));
		html_raw(h, "</caption>\n<thead><tr>");
		web_th(h, rq, "web.stations.id");
		web_th(h, rq, "web.stations.name");
		web_th(h, rq, "web.stations.status");
		web_th(h, rq, "web.stations.last_sync");
		web_th(h, rq, "web.stations.events");
		web_th(h, rq, "web.stations.backlog");
		web_th(h, rq, "web.stations.checkpoint");
		web_th(h, rq, "web.stations.chain");
		web_th(h, rq, "web.stations.forks");
		html_raw(h, "</tr></thead>\n<tbody>\n");
		for (i = 0; i < n; i++)
			row(h, rq, &sts[i], cp);
		html_raw(h, "</tbody>\n</table></div>\n");
	}
	free(cp);
	free(sts);
	return 0;
}

/* What the admin typed: kept when it is refused. */
struct typed {
	char id[WEB_FIELD_MAX], name[WEB_FIELD_MAX], pem[WEB_FIELD_MAX], retire[WEB_FIELD_MAX];
};

static void add_form(struct html *h, const struct web_req *rq, const struct typed *t, int bad)
{
	web_section(h, rq, "add", "web.stations.add");
	html_raw(h, "<form method=\"post\" action=\"/stations\" aria-labelledby=\"add\">\n");
	web_csrf_field(rq, h);
	web_input(h, "id", web_t(rq, "web.stations.id"), t->id, bad,
		  "required maxlength=\"31\" autocomplete=\"off\" autocapitalize=\"none\" "
		  "spellcheck=\"false\"");
	web_input(h, "name", web_t(rq, "web.stations.name"), t->name, 0,
		  "required maxlength=\"100\" autocomplete=\"off\"");
	html_raw(h, "<p><label for=\"key-pem\">");
	html_txt(h, web_t(rq, "web.stations.key_pem"));
	html_raw(h, "</label>\n<textarea id=\"key-pem\" name=\"key-pem\" rows=\"4\" required "
		 "spellcheck=\"false\" placeholder=\"-----BEGIN PUBLIC KEY-----\">");
	html_txt(h, t->pem);
	html_raw(h, "</textarea></p>\n<p><button type=\"submit\" name=\"do\" value=\"add\">");
	html_txt(h, web_t(rq, "web.stations.add_submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

static void retire_form(struct html *h, const struct web_req *rq, const struct typed *t)
{
	struct potw_station *sts = NULL;
	size_t n = 0, i, active = 0;

	if (potw_store_station_list(rq->st, STATIONS_MAX, &sts, &n))
		n = 0;
	for (i = 0; i < n; i++)
		active += !sts[i].retired;
	if (active) {
		web_section(h, rq, "retire", "web.stations.retire");
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.stations.retire_lead"));
		html_raw(h, "</p>\n<form method=\"post\" action=\"/stations\" "
			 "aria-labelledby=\"retire\">\n");
		web_csrf_field(rq, h);
		html_raw(h, "<p><label for=\"retire-id\">");
		html_txt(h, web_t(rq, "web.stations.id"));
		html_raw(h, "</label>\n<select id=\"retire-id\" name=\"id\">");
		for (i = 0; i < n; i++) {
			if (sts[i].retired)
				continue;
			html_raw(h, "<option value=\"");
			html_attr(h, sts[i].id);
			html_raw(h, strcmp(t->retire, sts[i].id) ? "\">" : "\" selected>");
			html_txt(h, sts[i].id);
			html_raw(h, "</option>");
		}
		html_raw(h, "</select></p>\n<p><input type=\"checkbox\" id=\"confirm\" "
			 "name=\"confirm\" value=\"yes\" required> <label for=\"confirm\">");
		html_txt(h, web_t(rq, "web.stations.confirm"));
		html_raw(h, "</label></p>\n<p><button type=\"submit\" name=\"do\" value=\"retire\">");
		html_txt(h, web_t(rq, "web.stations.retire_submit"));
		html_raw(h, "</button></p>\n</form>\n");
	}
	free(sts);
}

static void show(struct web_req *rq, struct web_out *out, const struct typed *t,
		 const char *refusal, const char *msg_key, const char *arg)
{
	struct html *h = &out->h;

	web_begin(rq, out, "web.stations.title");
	if (refusal)
		web_refusal(h, rq, "web.stations.refused", refusal);
	else if (msg_key)
		web_msg(h, rq, msg_key, arg, 0);
	if (web_stations_table(rq, h, "web.stations.caption")) {
		web_error(rq, out, 500, "web.error.500");
		return;
	}
	if (rq->s.role == POTW_ROLE_ADMIN) {
		add_form(h, rq, t, refusal && !t->retire[0]);
		retire_form(h, rq, t);
	}
	web_end(out);
}

void page_stations(struct web_req *rq, struct web_out *out)
{
	static const struct typed none;
	char id[POTW_STATION_ID_MAX + 2];

	if (web_query(rq, "added", id, sizeof id) == 1 && potw_station_id_ok(id))
		show(rq, out, &none, NULL, "web.stations.added_ok", id);
	else if (web_query(rq, "retired", id, sizeof id) == 1 && potw_station_id_ok(id))
		show(rq, out, &none, NULL, "web.stations.retired_ok", id);
	else
		show(rq, out, &none, NULL, NULL, NULL);
}

/* field into out[WEB_FIELD_MAX], "" when absent or not text. */
static void field(const struct web_req *rq, const char *name, char *out)
{
	if (html_form_get(rq->body, rq->len, name, out, WEB_FIELD_MAX) != 1)
		out[0] = '\0';
}

void page_stations_post(struct web_req *rq, struct web_out *out)
{
	char what[8], actor[POTW_LOGIN_MAX + 8], where[64], confirm[8];
	struct cli_sink sink;
	struct typed *t;
	int rc;

	if (html_form_get(rq->body, rq->len, "do", what, sizeof what) != 1)
		what[0] = '\0';
	if (strcmp(what, "add") && strcmp(what, "retire")) {
		web_error(rq, out, 422, "web.error.404");
		return;
	}
	t = calloc(1, sizeof *t);
	if (!t) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	field(rq, "id", t->id);
	memset(&sink, 0, sizeof sink);
	snprintf(actor, sizeof actor, "%s", rq->s.login);	/* the staff log's, as every page's */
	cli_sink_set(&sink);
	if (!strcmp(what, "add")) {
		field(rq, "name", t->name);
		field(rq, "key-pem", t->pem);
		rc = potw_station_add_run(rq->st, t->id, t->name, t->pem, actor, rq->now);
	} else {
		memcpy(t->retire, t->id, sizeof t->retire);
		t->id[0] = '\0';
		if (html_form_get(rq->body, rq->len, "confirm", confirm, sizeof confirm) != 1 ||
		    strcmp(confirm, "yes"))
			rc = cli_error("tick the box: a station retired is retired for good");
		else
			rc = potw_station_retire_run(rq->st, t->retire, actor, rq->now);
	}
	cli_sink_set(NULL);
	if (rc) {
		if (!sink.err[0])
			snprintf(sink.err, sizeof sink.err, "%s", hg_error_text());
		out->status = 422;
		show(rq, out, t, sink.err, NULL, NULL);
		free(t);
		return;
	}
	fprintf(stderr, "haulgate-potw: web: %s: %s\n", rq->s.login, sink.said);
	snprintf(where, sizeof where, "/stations?%s=%.31s", !strcmp(what, "add") ? "added" : "retired",
		 t->retire[0] ? t->retire : t->id);
	free(t);
	web_redirect(out, where);
}
