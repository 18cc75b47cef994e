/* page_dashboard.c: GET / for a signed-in person, every role: the day at a
 * glance.  Today's loads and gallons per station; gallons per day by waste
 * type over the last 90 days as a chart drawn here as inline SVG (classes
 * of web.css, no style attribute or script, so the CSP holds; its text
 * alternative a table); the sampling worklist; the loads refused today; the
 * permits expired or expiring within 30 days; each station's health (the
 * stations page's table).
 *
 * "Today" is the plant's local day (TZ), or ?day=YYYY-MM-DD to see another;
 * the loads' days are the stations' local days, as their rows hold them.
 * The figures are db/listing.c's: LISTING_DAYS (per station, day and waste
 * type, read from the sums the store keeps beside the loads: load_days,
 * potw/store_days_sqlite.c; a few hundred rows for 90 days, not the
 * ~82,000 loads under them) for the counts and the chart, LISTING_LOADS
 * for the lists, the haulers as the haulers page reads them.  Gallons are the declared gallons of the loads not refused, as the
 * month report sums them.  Start reading at page_dashboard(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "web_int.h"
#include "../core/report.h"

#define DAYS 90			/* days of the chart */
#define WORKLIST 25		/* sampled loads listed, newest first */
#define NWASTE 4
#define CHART_W 720
#define CHART_H 200
#define CHART_L 64		/* room for the scale on the left */
#define CHART_B 24		/* and for the days below */

static const char *const wastes[NWASTE] = { "septage", "portable", "grease", "industrial" };

/* LISTING_DAYS' columns, after the station */
enum { DC_STATION, DC_DAY, DC_WASTE, DC_LOADS, DC_GALLONS, DC_REFUSALS, DC_SAMPLES };
/* LISTING_LOADS' */
enum { LC_STATION, LC_NO, LC_DECIDED, LC_HAULER, LC_COMPANY, LC_PERMIT, LC_TRUCK, LC_WASTE,
       LC_GALLONS, LC_VERDICT, LC_REASONS, LC_FLAGGED, LC_BOTTLE };

struct dash {
	char day[11], first[11];
	char days[DAYS][11];
	long long g[DAYS][NWASTE];	/* gallons by day and waste type */
	struct table *sums, *sampled, *today;
};

static int waste_index(const char *w)
{
	int i;

	for (i = 0; i < NWASTE; i++)
		if (!strcmp(w, wastes[i]))
			return i;
	return -1;
}

static void none(struct html *h, const struct web_req *rq, const char *key)
{
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</p>\n");
}

/* Today's loads, gallons, refusals and samples per station. */
static void today_table(struct html *h, const struct web_req *rq, const struct dash *d)
{
	long long loads, gallons, refused, samples, tl = 0, tg = 0;
	const char *st;
	int r, k, seen;

	web_section(h, rq, "s-today", "web.dash.today");
	for (r = 0, seen = 0; r < table_rows(d->sums); r++)
		seen += !strcmp(table_cell(d->sums, r, DC_DAY), d->day);
	if (!seen) {
		none(h, rq, "web.dash.no_loads_today");
		return;
	}
	web_table_open(h, rq, "cap-today", "web.dash.today_caption", d->day);
	web_th(h, rq, "web.loads.station");
	web_th(h, rq, "web.dash.loads");
	web_th(h, rq, "web.dash.gallons");
	web_th(h, rq, "web.dash.refused");
	web_th(h, rq, "web.dash.samples");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (r = 0; r < table_rows(d->sums); r++) {
		st = table_cell(d->sums, r, DC_STATION);
		if (strcmp(table_cell(d->sums, r, DC_DAY), d->day))
			continue;
		/* the first row of this station today: its sums over the waste types */
		for (k = 0; k < r; k++)
			if (!strcmp(table_cell(d->sums, k, DC_STATION), st) &&
			    !strcmp(table_cell(d->sums, k, DC_DAY), d->day))
				break;
		if (k < r)
			continue;
		loads = gallons = refused = samples = 0;
		for (k = r; k < table_rows(d->sums); k++) {
			if (strcmp(table_cell(d->sums, k, DC_STATION), st) ||
			    strcmp(table_cell(d->sums, k, DC_DAY), d->day))
				continue;
			loads += atoll(table_cell(d->sums, k, DC_LOADS));
			gallons += atoll(table_cell(d->sums, k, DC_GALLONS));
			refused += atoll(table_cell(d->sums, k, DC_REFUSALS));
			samples += atoll(table_cell(d->sums, k, DC_SAMPLES));
		}
		tl += loads;
		tg += gallons;
		html_raw(h, "<tr class=\"station\"><th scope=\"row\">");
		html_txt(h, st);
		html_raw(h, "</th>");
		web_td_open(h, rq, "num loads", "web.dash.loads");
		html_num(h, loads);
		web_td_next(h, rq, "num gallons", "web.dash.gallons");
		html_num(h, gallons);
		web_td_next(h, rq, refused ? "num warn" : "num", "web.dash.refused");
		html_num(h, refused);
		web_td_next(h, rq, "num", "web.dash.samples");
		html_num(h, samples);
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody>\n<tfoot><tr class=\"total\"><th scope=\"row\">");
	html_txt(h, web_t(rq, "web.dash.all_stations"));
	html_raw(h, "</th>");
	web_td_open(h, rq, "num loads", "web.dash.loads");
	html_num(h, tl);
	web_td_next(h, rq, "num gallons", "web.dash.gallons");
	html_num(h, tg);
	html_raw(h, "</td><td></td><td></td></tr></tfoot>\n</table></div>\n");
}

/* The chart: a bar a day, stacked by waste type, its scale on the left,
 * the first and last day below; then the same figures as a table. */
static void chart(struct html *h, const struct web_req *rq, struct dash *d)
{
	long long max = 0, tot;
	char key[48], num[32];
	double bw = (double)(CHART_W - CHART_L) / DAYS, scale, y;
	int i, w, any = 0;

	for (i = 0; i < DAYS; i++) {
		for (tot = 0, w = 0; w < NWASTE; w++)
			tot += d->g[i][w];
		if (tot > max)
			max = tot;
	}
	scale = max ? (double)(CHART_H - CHART_B - 8) / (double)max : 0;
	web_section(h, rq, "s-chart", "web.dash.chart");
	html_raw(h, "<figure class=\"chart\">\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
		 "viewBox=\"0 0 720 200\" role=\"img\" aria-labelledby=\"chart-t chart-d\">\n"
		 "<title id=\"chart-t\">");
	web_tr(h, rq, "web.dash.chart_title", d->first, d->day);
	html_raw(h, "</title>\n<desc id=\"chart-d\">");
	snprintf(num, sizeof num, "%lld", max);
	web_tr(h, rq, "web.dash.chart_desc", num, NULL);
	html_raw(h, "</desc>\n");
	/* the scale: 0 and the busiest day */
	snprintf(num, sizeof num, "%d", CHART_H - CHART_B);
	html_raw(h, "<line class=\"axis\" x1=\"62\" y1=\"");
	html_raw(h, num);
	html_raw(h, "\" x2=\"720\" y2=\"");
	html_raw(h, num);
	html_raw(h, "\"/>\n<text class=\"scale\" x=\"58\" y=\"");
	html_raw(h, num);
	html_raw(h, "\" text-anchor=\"end\">0</text>\n<text class=\"scale\" x=\"58\" y=\"14\" "
		 "text-anchor=\"end\">");
	html_num(h, max);
	html_raw(h, "</text>\n");
	for (i = 0; i < DAYS; i++) {
		y = CHART_H - CHART_B;
		for (w = 0; w < NWASTE; w++) {
			double bh = (double)d->g[i][w] * scale;

			if (!d->g[i][w])
				continue;
			y -= bh;
			snprintf(key, sizeof key, "bar w-%s", wastes[w]);
			html_raw(h, "<rect class=\"");
			html_attr(h, key);
			snprintf(num, sizeof num, "%.1f", CHART_L + i * bw);
			html_raw(h, "\" x=\"");
			html_raw(h, num);
			snprintf(num, sizeof num, "%.1f", y);
			html_raw(h, "\" y=\"");
			html_raw(h, num);
			snprintf(num, sizeof num, "%.1f", bw > 2 ? bw - 1 : bw);
			html_raw(h, "\" width=\"");
			html_raw(h, num);
			snprintf(num, sizeof num, "%.1f", bh < 0.5 ? 0.5 : bh);
			html_raw(h, "\" height=\"");
			html_raw(h, num);
			html_raw(h, "\"/>\n");
		}
	}
	html_raw(h, "<text class=\"scale\" x=\"64\" y=\"196\">");
	html_txt(h, d->first);
	html_raw(h, "</text>\n<text class=\"scale\" x=\"720\" y=\"196\" text-anchor=\"end\">");
	html_txt(h, d->day);
	html_raw(h, "</text>\n</svg>\n<figcaption><ul class=\"legend\">");
	for (w = 0; w < NWASTE; w++) {
		snprintf(key, sizeof key, "key w-%s", wastes[w]);
		html_raw(h, "<li><span class=\"");
		html_attr(h, key);
		html_raw(h, "\" aria-hidden=\"true\"></span>");
		snprintf(key, sizeof key, "web.waste.%s", wastes[w]);
		html_txt(h, web_t(rq, key));
		html_raw(h, "</li>");
	}
	html_raw(h, "</ul></figcaption>\n</figure>\n<details class=\"chart-data\"><summary>");
	html_txt(h, web_t(rq, "web.dash.chart_table"));
	html_raw(h, "</summary>\n");
	web_table_open(h, rq, "cap-chart", "web.dash.chart_caption", NULL);
	web_th(h, rq, "web.dash.day");
	for (w = 0; w < NWASTE; w++) {
		snprintf(key, sizeof key, "web.waste.%s", wastes[w]);
		web_th(h, rq, key);
	}
	web_th(h, rq, "web.dash.gallons");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	for (i = DAYS - 1; i >= 0; i--) {
		for (tot = 0, w = 0; w < NWASTE; w++)
			tot += d->g[i][w];
		if (!tot)
			continue;
		any = 1;
		html_raw(h, "<tr class=\"day\"><th scope=\"row\">");
		html_txt(h, d->days[i]);
		html_raw(h, "</th>");
		for (w = 0; w < NWASTE; w++) {
			snprintf(key, sizeof key, "web.waste.%s", wastes[w]);
			if (w)
				html_raw(h, "</td>");
			web_td_open(h, rq, "num", key);
			html_num(h, d->g[i][w]);
		}
		web_td_next(h, rq, "num", "web.dash.gallons");
		html_num(h, tot);
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody>\n</table></div>\n");
	if (!any)
		none(h, rq, "web.dash.no_gallons");
	html_raw(h, "</details>\n");
}

/* A short list of loads: station, number, decided, company, waste, gallons
 * and the column what (the bottle, or the reasons). */
static void loads_list(struct html *h, const struct web_req *rq, const struct table *t,
		       const char *verdict, int what, const char *what_key, const char *id,
		       const char *caption_key, const char *arg, const char *none_key)
{
	const struct web_load_col cols[] = {
		{ "web.loads.decided", LC_DECIDED, NULL, NULL },
		{ "web.loads.company", LC_COMPANY, NULL, NULL },
		{ "web.loads.waste", LC_WASTE, NULL, "web.waste." },
		{ "web.loads.gallons", LC_GALLONS, "num", NULL },
		{ what_key, what, NULL, NULL },
	};
	int r, n = 0;

	for (r = 0; r < table_rows(t); r++)
		n += !verdict || !strcmp(table_cell(t, r, LC_VERDICT), verdict);
	if (!n) {
		none(h, rq, none_key);
		return;
	}
	web_table_open(h, rq, id, caption_key, arg);
	web_load_rows(h, rq, t, verdict, LC_VERDICT, cols, (int)HG_ARRAY_LEN(cols));
}

/* The permits expired or ending within 30 days of the day. */
static int permits(struct html *h, const struct web_req *rq, const char *day)
{
	struct web_haulers w;
	int i, pass, n = 0;

	if (web_haulers_load(rq, &w, 0))	/* the permits: no counts */
		return -1;
	web_section(h, rq, "s-permits", "web.dash.permits");
	for (i = 0; i < w.n; i++)
		n += web_permit_mark(web_hauler_cell(&w, i, WEB_HC_TO), day) != WEB_PERMIT_OK;
	if (!n) {
		none(h, rq, "web.dash.no_permits");
		web_haulers_free(&w);
		return 0;
	}
	html_raw(h, "<ul class=\"permits\">\n");
	for (pass = WEB_PERMIT_EXPIRED; pass >= WEB_PERMIT_SOON; pass--) {
		for (i = 0; i < w.n; i++) {
			if (web_permit_mark(web_hauler_cell(&w, i, WEB_HC_TO), day) != pass)
				continue;
			html_raw(h, "<li><a href=\"");
			web_hauler_href(h, &w, i);
			html_raw(h, "\">");
			html_txt(h, web_hauler_cell(&w, i, WEB_HC_COMPANY));
			html_raw(h, "</a>, ");
			html_txt(h, web_hauler_cell(&w, i, WEB_HC_PERMIT));
			html_raw(h, ": ");
			web_permit_cell(h, rq, web_hauler_cell(&w, i, WEB_HC_TO), day);
			html_raw(h, "</li>\n");
		}
	}
	html_raw(h, "</ul>\n");
	web_haulers_free(&w);
	return 0;
}

static int read_all(const struct web_req *rq, struct dash *d)
{
	struct listing_filter f;
	int r, i, w, rc;

	for (i = 0; i < DAYS; i++)
		if (web_day_add(d->day, i - (DAYS - 1), d->days[i]))
			return hg_fail(HG_EINVAL, "'%s' is not a day", d->day);
	memcpy(d->first, d->days[0], sizeof d->first);
	memset(&f, 0, sizeof f);
	memcpy(f.from, d->first, sizeof d->first);
	memcpy(f.to, d->day, sizeof d->day);
	rc = potw_store_list(rq->st, LISTING_DAYS, &f, &d->sums);
	if (rc)
		return rc;
	for (r = 0; r < table_rows(d->sums); r++) {
		w = waste_index(table_cell(d->sums, r, DC_WASTE));
		for (i = 0; w >= 0 && i < DAYS; i++)
			if (!strcmp(d->days[i], table_cell(d->sums, r, DC_DAY)))
				d->g[i][w] += atoll(table_cell(d->sums, r, DC_GALLONS));
	}
	/* the sampling worklist: sampled loads; once lab results exist (issue
	 * 12's samples and lab results), those without a result */
	memset(&f, 0, sizeof f);
	memcpy(f.to, d->day, sizeof d->day);
	f.sampled = 1;
	f.newest = 1;
	f.limit = WORKLIST;
	rc = potw_store_list(rq->st, LISTING_LOADS, &f, &d->sampled);
	if (rc)
		return rc;
	memset(&f, 0, sizeof f);
	memcpy(f.from, d->day, sizeof d->day);
	memcpy(f.to, d->day, sizeof d->day);
	f.newest = 1;
	return potw_store_list(rq->st, LISTING_LOADS, &f, &d->today);
}

void page_dashboard(struct web_req *rq, struct web_out *out)
{
	struct html *h = &out->h;
	struct dash *d;
	char n[16];
	int rc;

	d = calloc(1, sizeof *d);
	if (!d) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_query(rq, "day", d->day, sizeof d->day);
	if (!d->day[0])
		web_local_day(rq->now, d->day);
	rc = read_all(rq, d);
	if (rc == HG_EINVAL) {
		web_error(rq, out, 422, "web.dash.bad_day");
		goto out;
	}
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: dashboard: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		goto out;
	}
	web_begin(rq, out, "web.dash.title");
	html_raw(h, "<p class=\"lead\">");
	web_tr(h, rq, "web.dash.as_of", d->day, NULL);
	html_raw(h, "</p>\n");
	today_table(h, rq, d);
	chart(h, rq, d);
	web_section(h, rq, "s-work", "web.dash.worklist");
	snprintf(n, sizeof n, "%d", WORKLIST);
	loads_list(h, rq, d->sampled, NULL, LC_BOTTLE, "web.loads.bottle", "cap-work",
		   "web.dash.worklist_caption", n, "web.dash.no_worklist");
	web_section(h, rq, "s-refused", "web.dash.refused_today");
	loads_list(h, rq, d->today, "refused", LC_REASONS, "web.loads.reasons", "cap-refused",
		   "web.dash.refused_caption", d->day, "web.dash.no_refused");
	if (permits(h, rq, d->day) ||
	    (web_section(h, rq, "s-health", "web.dash.health"),
	     web_stations_table(rq, h, "web.dash.health_caption"))) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		goto out;
	}
	web_end(out);
out:
	table_free(d->sums);
	table_free(d->sampled);
	table_free(d->today);
	free(d);
}
