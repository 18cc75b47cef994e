/* page_stations.c: each station's health, for every role.
 *
 * One row per registered station (potw_store_station_each()): its id and
 * name (typed by an admin: written as text), active or retired, when the
 * plant last heard from it, the events held, the last checkpoint the plant
 * countersigned (its size and when it came) and the fork evidence rows.
 * The stations are read first, then each one's checkpoint, so no store
 * call runs inside another's callback.  Start reading at page_stations(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web_int.h"
#include "../core/report.h"

#define STATIONS_MAX 10000	/* rows of the page */

struct list {
	struct potw_station *s;
	size_t n, cap;
};

static int keep(const struct potw_station *s, void *ctx)
{
	struct list *l = ctx;
	struct potw_station *b;

	if (l->n == STATIONS_MAX)
		return hg_fail(HG_ETOOLONG, "more than %d stations", STATIONS_MAX);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		b = realloc(l->s, l->cap * sizeof *b);
		if (!b)
			return hg_fail(HG_ENOMEM, "out of memory");
		l->s = b;
	}
	l->s[l->n++] = *s;
	return 0;
}

/* <td class="cls" data-label="the column's name">: a phone shows the
 * label beside the value (web.css folds each row into a block). */
static void td(struct html *h, const struct web_req *rq, const char *cls, const char *key)
{
	html_raw(h, "</td>");
	web_td(h, rq, key, cls);
}

static void row(struct html *h, const struct web_req *rq, const struct potw_station *s,
		struct potw_checkpoint *cp)
{
	char when[24], size[24];
	int rc;

	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, s->id);
	html_raw(h, "</th><td data-label=\"");
	html_attr(h, web_t(rq, "web.stations.name"));
	html_raw(h, "\">");
	html_txt(h, s->name);
	td(h, rq, s->retired ? "retired" : NULL, "web.stations.status");
	html_txt(h, web_t(rq, s->retired ? "web.stations.retired" : "web.stations.active"));
	td(h, rq, NULL, "web.stations.last_sync");
	html_txt(h, s->last_contact ? web_utc(s->last_contact, when) :
		 web_t(rq, "web.stations.never"));
	td(h, rq, "num", "web.stations.events");
	html_num(h, s->events);
	td(h, rq, NULL, "web.stations.checkpoint");
	rc = potw_store_checkpoint_get(rq->st, s->id, 0, 0, cp);
	if (rc == HG_OK && cp->cosigned[0]) {
		snprintf(size, sizeof size, "%lld", cp->size);
		web_tr(h, rq, "web.stations.checkpoint_at", size, web_utc(cp->received, when));
	} else {
		html_txt(h, web_t(rq, "web.stations.none_yet"));
	}
	td(h, rq, s->forks ? "num alarm" : "num", "web.stations.forks");
	html_num(h, s->forks);
	html_raw(h, "</td></tr>\n");
}

void page_stations(struct web_req *rq, struct web_out *out)
{
	struct list l = { NULL, 0, 0 };
	struct potw_checkpoint *cp;
	struct html *h = &out->h;
	size_t i;
	int rc;

	rc = potw_store_station_each(rq->st, keep, &l);
	cp = malloc(sizeof *cp);
	if (rc || !cp) {
		fprintf(stderr, "haulgate-potw: web: stations: %s\n",
			rc ? hg_error_text() : "out of memory");
		free(l.s);
		free(cp);
		web_error(rq, out, 500, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.stations.title");
	if (l.n == 0) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.stations.none"));
		html_raw(h, "</p>\n");
	} else {
		html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"cap\">"
			 "<table>\n<caption id=\"cap\">");
		html_txt(h, web_t(rq, "web.stations.caption"));
		html_raw(h, "</caption>\n<thead><tr>");
		web_th(h, rq, "web.stations.id");
		web_th(h, rq, "web.stations.name");
		web_th(h, rq, "web.stations.status");
		web_th(h, rq, "web.stations.last_sync");
		web_th(h, rq, "web.stations.events");
		web_th(h, rq, "web.stations.checkpoint");
		web_th(h, rq, "web.stations.forks");
		html_raw(h, "</tr></thead>\n<tbody>\n");
		for (i = 0; i < l.n; i++)
			row(h, rq, &l.s[i], cp);
		html_raw(h, "</tbody>\n</table></div>\n");
	}
	web_end(out);
	free(cp);
	free(l.s);
}
