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
 * call runs inside another's callback.  Start reading at page_stations(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void page_stations(struct web_req *rq, struct web_out *out)
{
	web_begin(rq, out, "web.stations.title");
	if (web_stations_table(rq, &out->h, "web.stations.caption")) {
		web_error(rq, out, 500, "web.error.500");
		return;
	}
	web_end(out);
}
