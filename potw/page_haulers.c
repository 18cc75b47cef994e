/* page_haulers.c: the haulers, every role: GET /haulers (each hauler, its
 * permit and expiry, cards, trucks, loads, samples, violations) and GET
 * /haulers/ID (one hauler: its permit, cards, trucks, last loads and
 * samples, and, for a coordinator, the roster's edit forms, which
 * potw/page_roster.c takes).
 *
 * The rows are db/listing.c's, the stations' own queries on the plant's
 * copies (potw_store_list()): LISTING_HAULERS (`haulgate hauler list`'s
 * columns, by station: the plant's own roster comes as the station
 * POTW_PLANT_LOG), LISTING_HAULER_LOADS (per station and hauler: loads,
 * samples) and LISTING_LOADS (the last loads).  A hauler is a row of the
 * plant's roster; a station that keeps a roster of its own (made before it
 * was plant-managed, or never) has its haulers shown as that station's,
 * read only.  A station's row of id N with the company of the plant's
 * hauler N is the plant's hauler (its copy, sent down with the roster), so
 * its loads count for the plant's hauler; any other is the station's own.
 * haulers_load() makes that list once for both pages and the dashboard.
 * Start reading at page_haulers(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "store_holds.h"
#include "web_int.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/roster.h"

#define LAST_LOADS 20		/* loads and samples shown on a hauler's page */

/* LISTING_HAULERS' columns, after the station. */
enum { HC_STATION, HC_ID, HC_COMPANY, HC_CONTACT, HC_PHONE, HC_PERMIT, HC_FROM, HC_TO,
       HC_STATUS, HC_WASTE, HC_ANALYSIS, HC_CARDS, HC_TRUCKS };
/* LISTING_HAULER_LOADS' */
enum { HL_STATION, HL_HAULER, HL_LOADS, HL_GALLONS, HL_SAMPLES, HL_REFUSALS, HL_FIRST,
       HL_LAST };

static int is_plant(const char *station)
{
	return !strcmp(station, POTW_PLANT_LOG);
}

/* The shown hauler of (station, id): the row of the plant's hauler id when
 * the station's row id has that company, else the station's own row; -1
 * none. */
static int owner(const struct table *t, const char *station, long long id)
{
	int r, plant = -1, own = -1;

	for (r = 0; r < table_rows(t); r++) {
		if (atoll(table_cell(t, r, HC_ID)) != id)
			continue;
		if (is_plant(table_cell(t, r, HC_STATION)))
			plant = r;
		else if (!strcmp(table_cell(t, r, HC_STATION), station))
			own = r;
	}
	if (own < 0)
		return plant;
	if (plant >= 0 &&
	    !strcmp(table_cell(t, own, HC_COMPANY), table_cell(t, plant, HC_COMPANY)))
		return plant;
	return own;
}

void web_haulers_free(struct web_haulers *w)
{
	table_free(w->rows);
	free(w->h);
	memset(w, 0, sizeof *w);
}

int web_haulers_load(const struct web_req *rq, struct web_haulers *w, int counts)
{
	struct listing_filter f;
	struct table *tl = NULL;
	int r, i, rc;

	memset(w, 0, sizeof *w);
	memset(&f, 0, sizeof f);
	rc = potw_store_list(rq->st, LISTING_HAULERS, &f, &w->rows);
	if (!rc && counts)
		rc = potw_store_list(rq->st, LISTING_HAULER_LOADS, &f, &tl);
	if (!rc) {
		w->h = calloc((size_t)table_rows(w->rows) + 1, sizeof *w->h);
		if (!w->h)
			rc = hg_fail(HG_ENOMEM, "out of memory");
	}
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: haulers: %s\n", hg_error_text());
		table_free(tl);
		web_haulers_free(w);
		return -1;
	}
	/* every plant row, then each station's own */
	for (r = 0; r < table_rows(w->rows); r++) {
		const char *st = table_cell(w->rows, r, HC_STATION);
		long long id = atoll(table_cell(w->rows, r, HC_ID));

		if (owner(w->rows, st, id) == r)
			w->h[w->n++].row = r;
	}
	for (i = 0; i < table_rows(tl); i++) {
		int o = owner(w->rows, table_cell(tl, i, HL_STATION),
			      atoll(table_cell(tl, i, HL_HAULER)));

		for (r = 0; o >= 0 && r < w->n; r++) {
			struct web_hauler *h = &w->h[r];

			if (h->row != o)
				continue;
			h->loads += atoll(table_cell(tl, i, HL_LOADS));
			h->samples += atoll(table_cell(tl, i, HL_SAMPLES));
			h->gallons += atoll(table_cell(tl, i, HL_GALLONS));
			if (strcmp(table_cell(tl, i, HL_LAST), h->last) > 0)
				snprintf(h->last, sizeof h->last, "%s", table_cell(tl, i, HL_LAST));
		}
	}
	table_free(tl);
	return 0;
}

const char *web_hauler_cell(const struct web_haulers *w, int i, int col)
{
	return table_cell(w->rows, w->h[i].row, col);
}

int web_permit_mark(const char *to, const char *today)
{
	char soon[11];

	if (!to[0] || strcmp(to, today) < 0)
		return to[0] ? WEB_PERMIT_EXPIRED : WEB_PERMIT_OK;
	if (web_day_add(today, WEB_PERMIT_SOON_DAYS, soon) == 0 && strcmp(to, soon) <= 0)
		return WEB_PERMIT_SOON;
	return WEB_PERMIT_OK;
}

void web_permit_cell(struct html *h, const struct web_req *rq, const char *to,
		     const char *today)
{
	int m = web_permit_mark(to, today);

	html_txt(h, to);
	if (m == WEB_PERMIT_EXPIRED) {
		html_raw(h, " <strong class=\"mark alarm\">");
		html_txt(h, web_t(rq, "web.haulers.expired"));
		html_raw(h, "</strong>");
	} else if (m == WEB_PERMIT_SOON) {
		html_raw(h, " <strong class=\"mark warn\">");
		html_txt(h, web_t(rq, "web.haulers.expires_soon"));
		html_raw(h, "</strong>");
	}
}

void web_hauler_href(struct html *h, const struct web_haulers *w, int i)
{
	const char *st = web_hauler_cell(w, i, HC_STATION);

	html_raw(h, "/haulers/");
	html_url_arg(h, web_hauler_cell(w, i, HC_ID));
	if (!is_plant(st)) {
		html_raw(h, "?station=");
		html_url_arg(h, st);
	}
}

/* The status, in the page's words. */
static const char *status_key(const char *status)
{
	return !strcmp(status, "suspended") ? "web.haulers.suspended" : "web.haulers.active";
}

void web_roster_msg(struct html *h, const struct web_req *rq, const char *done,
		    const char *refusal)
{
	char key[64];

	if (refusal && refusal[0])
		web_refusal(h, rq, "web.roster.refused", refusal);
	else if (done && done[0] && strlen(done) < 30 && !strchr(done, '.')) {
		snprintf(key, sizeof key, "web.roster.done.%s", done);
		html_raw(h, "<p class=\"msg\" role=\"status\">");
		html_txt(h, web_t(rq, key));
		html_raw(h, "</p>\n");
	}
}

/* ---- GET /haulers ---- */

static void list_row(struct html *h, const struct web_req *rq, const struct web_haulers *w, int i,
		     const char *today)
{
	const struct web_hauler *x = &w->h[i];
	const char *st = web_hauler_cell(w, i, HC_STATION);

	html_raw(h, "<tr><th scope=\"row\"><a href=\"");
	web_hauler_href(h, w, i);
	html_raw(h, "\">");
	html_txt(h, web_hauler_cell(w, i, HC_COMPANY));
	html_raw(h, "</a>");
	if (!is_plant(st)) {
		html_raw(h, " <span class=\"note\">");
		web_tr(h, rq, "web.haulers.kept_by", st, NULL);
		html_raw(h, "</span>");
	}
	html_raw(h, "</th>");
	web_td_open(h, rq, "num", "web.haulers.id");
	html_txt(h, web_hauler_cell(w, i, HC_ID));
	web_td_next(h, rq, NULL, "web.haulers.permit");
	html_txt(h, web_hauler_cell(w, i, HC_PERMIT));
	web_td_next(h, rq, NULL, "web.haulers.expiry");
	web_permit_cell(h, rq, web_hauler_cell(w, i, HC_TO), today);
	web_td_next(h, rq, NULL, "web.haulers.status");
	html_txt(h, web_t(rq, status_key(web_hauler_cell(w, i, HC_STATUS))));
	web_td_next(h, rq, "num", "web.haulers.cards");
	html_txt(h, web_hauler_cell(w, i, HC_CARDS));
	web_td_next(h, rq, "num", "web.haulers.trucks");
	html_txt(h, web_hauler_cell(w, i, HC_TRUCKS));
	web_td_next(h, rq, "num", "web.haulers.loads");
	html_num(h, x->loads);
	web_td_next(h, rq, "num", "web.haulers.samples");
	html_num(h, x->samples);
	/* violations: the lab results' exceedances (issue 12's samples and lab
	 * results pages) count here once they exist; none can be found before */
	web_td_next(h, rq, "num", "web.haulers.violations");
	html_num(h, 0);
	html_raw(h, "</td></tr>\n");
}

/* The add-a-hauler form (coordinator): the options of `hauler add`. */
static void add_form(struct html *h, const struct web_req *rq)
{
	static const struct { const char *name, *key, *type, *extra; } f[] = {
		{ "company", "web.haulers.company", "text", " required maxlength=\"80\"" },
		{ "contact", "web.haulers.contact", "text", " required maxlength=\"60\"" },
		{ "address", "web.haulers.address", "text", " required maxlength=\"120\"" },
		{ "phone", "web.haulers.phone", "tel", " required maxlength=\"30\"" },
		{ "permit", "web.haulers.permit", "text", " required maxlength=\"40\"" },
		{ "from", "web.haulers.from", "date", " required" },
		{ "to", "web.haulers.to", "date", " required" },
		{ "analysis", "web.haulers.analysis", "date", "" },
	};
	static const char *const waste[] = { "septage", "portable", "grease", "industrial" };
	char key[48];
	size_t i;

	html_raw(h, "<h2 id=\"add\">");
	html_txt(h, web_t(rq, "web.haulers.add"));
	html_raw(h, "</h2>\n<form method=\"post\" action=\"/haulers\" class=\"edit\" "
		 "aria-labelledby=\"add\">\n");
	web_csrf_field(rq, h);
	for (i = 0; i < HG_ARRAY_LEN(f); i++) {
		html_raw(h, "\n<p><label for=\"h-");
		html_attr(h, f[i].name);
		html_raw(h, "\">");
		html_txt(h, web_t(rq, f[i].key));
		html_raw(h, "</label>\n<input id=\"h-");
		html_attr(h, f[i].name);
		html_raw(h, "\" name=\"");
		html_attr(h, f[i].name);
		html_raw(h, "\" type=\"");
		html_attr(h, f[i].type);
		html_raw(h, "\"");
		html_raw(h, f[i].extra);
		html_raw(h, "></p>");
	}
	html_raw(h, "\n<fieldset><legend>");
	html_txt(h, web_t(rq, "web.haulers.waste"));
	html_raw(h, "</legend>");
	for (i = 0; i < HG_ARRAY_LEN(waste); i++) {
		html_raw(h, "\n<label><input type=\"checkbox\" name=\"waste_");
		html_attr(h, waste[i]);
		html_raw(h, "\" value=\"1\"> ");
		snprintf(key, sizeof key, "web.waste.%s", waste[i]);
		html_txt(h, web_t(rq, key));
		html_raw(h, "</label>");
	}
	html_raw(h, "</fieldset>\n<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.haulers.add_submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

void web_haulers_page(struct web_req *rq, struct web_out *out, const char *refusal)
{
	struct web_haulers w;
	struct html *h = &out->h;
	char today[11], done[32];
	int i;

	if (web_haulers_load(rq, &w, 1)) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_local_day(rq->now, today);
	web_query(rq, "done", done, sizeof done);
	web_begin(rq, out, "web.haulers.title");
	web_roster_msg(h, rq, done, refusal);
	if (w.n == 0) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.haulers.none"));
		html_raw(h, "</p>\n");
	} else {
		html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" "
			 "aria-labelledby=\"cap\"><table>\n<caption id=\"cap\">");
		web_tr(h, rq, "web.haulers.caption", today, NULL);
		html_raw(h, "</caption>\n<thead><tr>");
		web_th(h, rq, "web.haulers.company");
		web_th(h, rq, "web.haulers.id");
		web_th(h, rq, "web.haulers.permit");
		web_th(h, rq, "web.haulers.expiry");
		web_th(h, rq, "web.haulers.status");
		web_th(h, rq, "web.haulers.cards");
		web_th(h, rq, "web.haulers.trucks");
		web_th(h, rq, "web.haulers.loads");
		web_th(h, rq, "web.haulers.samples");
		web_th(h, rq, "web.haulers.violations");
		html_raw(h, "</tr></thead>\n<tbody>\n");
		for (i = 0; i < w.n; i++)
			list_row(h, rq, &w, i, today);
		html_raw(h, "</tbody>\n</table></div>\n");
	}
	if (rq->s.role == POTW_ROLE_COORDINATOR)
		add_form(h, rq);
	web_end(out);
	web_haulers_free(&w);
}

void page_haulers(struct web_req *rq, struct web_out *out)
{
	web_haulers_page(rq, out, NULL);
}

/* ---- GET /haulers/ID ---- */

struct rows {
	struct html *h;
	const struct web_req *rq;
	long long hauler;
	const char *form;	/* the form's action, or NULL: no edits */
	int n;
};

static void small_form_start(struct html *h, const struct web_req *rq, const char *action,
			     const char *what)
{
	html_raw(h, "<form method=\"post\" action=\"");
	html_attr(h, action);
	html_raw(h, "\" class=\"inline\">");
	web_csrf_field(rq, h);
	html_raw(h, "<input type=\"hidden\" name=\"do\" value=\"");
	html_attr(h, what);
	html_raw(h, "\">");
}

/* a row of the copy of rec_cards: id uid hauler_id driver revoked ... */
static int card_row(const char *const *c, void *ctx)
{
	struct rows *r = ctx;
	int revoked = strcmp(c[4], "0") != 0;

	if (atoll(c[2]) != r->hauler)
		return 0;
	r->n++;
	html_raw(r->h, "<tr><th scope=\"row\"><code>");
	html_txt(r->h, c[1]);
	html_raw(r->h, "</code></th>");
	web_td_open(r->h, r->rq, NULL, "web.hauler.driver");
	html_txt(r->h, c[3]);
	web_td_next(r->h, r->rq, revoked ? "alarm" : NULL, "web.hauler.card_status");
	html_txt(r->h, web_t(r->rq, revoked ? "web.hauler.revoked" : "web.haulers.active"));
	if (r->form) {
		web_td_next(r->h, r->rq, NULL, "web.hauler.change");
		if (!revoked) {
			small_form_start(r->h, r->rq, r->form, "revoke");
			html_raw(r->h, "<input type=\"hidden\" name=\"uid\" value=\"");
			html_attr(r->h, c[1]);
			html_raw(r->h, "\"><button type=\"submit\">");
			html_txt(r->h, web_t(r->rq, "web.hauler.revoke"));
			html_raw(r->h, "<span class=\"sr\"> ");
			html_txt(r->h, c[1]);
			html_raw(r->h, "</span></button></form>");
		}
	}
	html_raw(r->h, "</td></tr>\n");
	return 0;
}

/* a row of the copy of rec_trucks: id hauler_id ident capacity */
static int truck_row(const char *const *c, void *ctx)
{
	struct rows *r = ctx;

	if (atoll(c[1]) != r->hauler)
		return 0;
	r->n++;
	html_raw(r->h, "<tr><th scope=\"row\">");
	html_txt(r->h, c[2]);
	html_raw(r->h, "</th>");
	web_td_open(r->h, r->rq, "num", "web.hauler.capacity");
	html_txt(r->h, c[3]);
	html_raw(r->h, "</td></tr>\n");
	return 0;
}

static int rec_rows(const struct web_req *rq, const char *station, const char *table,
		    int (*fn)(const char *const *c, void *ctx), struct rows *r)
{
	int rc = potw_store_rec_each(rq->st, station, record_table(table), fn, r);

	if (rc)
		fprintf(stderr, "haulgate-potw: web: hauler: %s\n", hg_error_text());
	return rc;
}

/* LISTING_LOADS' columns, after the station */
enum { LC_STATION, LC_NO, LC_DECIDED, LC_HAULER, LC_COMPANY, LC_PERMIT, LC_TRUCK, LC_WASTE,
       LC_GALLONS, LC_VERDICT, LC_REASONS, LC_FLAGGED, LC_BOTTLE, LC_MEASURED, LC_END,
       LC_METER };

/* The newest LAST_LOADS loads (sampled only: the samples) of the hauler
 * whose row is row: at every station whose (station, id) is this hauler. */
static int last_loads(const struct web_req *rq, const struct web_haulers *w, int row,
		      int sampled, struct table **out)
{
	struct listing_filter f;
	struct table *t = NULL, *all;
	const char *cols[TABLE_MAX_COLS];
	const char *cells[TABLE_MAX_COLS];
	int r, c, rc, n = 0;

	*out = NULL;
	memset(&f, 0, sizeof f);
	f.hauler_id = atoll(table_cell(w->rows, row, HC_ID));
	f.sampled = sampled;
	f.newest = 1;
	/* a station's own hauler: its LAST_LOADS; the plant's: every station's,
	 * those of a station's own roster left out below */
	if (!is_plant(table_cell(w->rows, row, HC_STATION))) {
		f.station = table_cell(w->rows, row, HC_STATION);
		f.limit = LAST_LOADS;
	}
	rc = potw_store_list(rq->st, LISTING_LOADS, &f, &all);
	if (rc)
		return rc;
	for (c = 0; c < table_cols(all); c++)
		cols[c] = table_col(all, c);
	t = table_new(table_cols(all), cols);
	if (!t) {
		table_free(all);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	for (r = 0; r < table_rows(all) && n < LAST_LOADS; r++) {
		if (owner(w->rows, table_cell(all, r, LC_STATION), f.hauler_id) != row)
			continue;
		for (c = 0; c < table_cols(all); c++)
			cells[c] = table_cell(all, r, c);
		if (table_add(t, cells))
			break;
		n++;
	}
	table_free(all);
	*out = t;
	return HG_OK;
}

static void loads_table(struct html *h, const struct web_req *rq, const struct table *t,
			const char *id, const char *caption_key)
{
	static const struct web_load_col cols[] = {
		{ "web.loads.decided", LC_DECIDED, NULL, NULL },
		{ "web.loads.truck", LC_TRUCK, NULL, NULL },
		{ "web.loads.waste", LC_WASTE, NULL, "web.waste." },
		{ "web.loads.gallons", LC_GALLONS, "num", NULL },
		{ "web.loads.verdict", LC_VERDICT, NULL, "web.verdict." },
		{ "web.loads.bottle", LC_BOTTLE, NULL, NULL },
	};

	if (table_rows(t) == 0) {
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.hauler.no_loads"));
		html_raw(h, "</p>\n");
		return;
	}
	web_table_open(h, rq, id, caption_key, NULL);
	web_load_rows(h, rq, t, NULL, LC_VERDICT, cols, (int)HG_ARRAY_LEN(cols));
}

/* A labelled field of an edit form. */
static void field(struct html *h, const struct web_req *rq, const char *id, const char *name,
		  const char *key, const char *type, const char *extra)
{
	html_raw(h, "<p><label for=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</label>\n<input id=\"");
	html_attr(h, id);
	html_raw(h, "\" name=\"");
	html_attr(h, name);
	html_raw(h, "\" type=\"");
	html_attr(h, type);
	html_raw(h, "\"");
	html_raw(h, extra);
	html_raw(h, "></p>\n");
}

static void form_start(struct html *h, const struct web_req *rq, const char *action,
		       const char *what, const char *id, const char *key)
{
	web_section(h, rq, id, key);
	html_raw(h, "<form method=\"post\" action=\"");
	html_attr(h, action);
	html_raw(h, "\" class=\"edit\" aria-labelledby=\"");
	html_attr(h, id);
	html_raw(h, "\">\n");
	web_csrf_field(rq, h);
	html_raw(h, "<input type=\"hidden\" name=\"do\" value=\"");
	html_attr(h, what);
	html_raw(h, "\">\n");
}

static void form_end(struct html *h, const struct web_req *rq, const char *key)
{
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</button></p>\n</form>\n");
}

/* The coordinator's edits of a plant hauler: `hauler permit`, `card add`,
 * `truck add`, `hauler suspend|reinstate` (revoke: each card's row). */
static void edit_forms(struct html *h, const struct web_req *rq, const char *action,
		       int suspended)
{
	form_start(h, rq, action, "permit", "f-permit", "web.hauler.renew");
	field(h, rq, "p-permit", "permit", "web.haulers.permit", "text", " required maxlength=\"40\"");
	field(h, rq, "p-from", "from", "web.haulers.from", "date", " required");
	field(h, rq, "p-to", "to", "web.haulers.to", "date", " required");
	form_end(h, rq, "web.hauler.renew_submit");
	form_start(h, rq, action, "card", "f-card", "web.hauler.add_card");
	field(h, rq, "c-uid", "uid", "web.hauler.uid", "text",
	      " required maxlength=\"40\" autocomplete=\"off\" spellcheck=\"false\"");
	field(h, rq, "c-driver", "driver", "web.hauler.driver", "text", " required maxlength=\"60\"");
	field(h, rq, "c-pin", "pin", "web.hauler.pin", "password",
	      " required inputmode=\"numeric\" minlength=\"4\" maxlength=\"12\" "
	      "autocomplete=\"new-password\"");
	form_end(h, rq, "web.hauler.add_card_submit");
	form_start(h, rq, action, "truck", "f-truck", "web.hauler.add_truck");
	field(h, rq, "t-ident", "ident", "web.hauler.truck", "text", " required maxlength=\"20\"");
	field(h, rq, "t-capacity", "capacity", "web.hauler.capacity", "number",
	      " required min=\"1\" max=\"20000\"");
	form_end(h, rq, "web.hauler.add_truck_submit");
	form_start(h, rq, action, suspended ? "reinstate" : "suspend", "f-status",
		   suspended ? "web.hauler.reinstate" : "web.hauler.suspend");
	form_end(h, rq, suspended ? "web.hauler.reinstate_submit" : "web.hauler.suspend_submit");
}

static void dl_item(struct html *h, const struct web_req *rq, const char *key, const char *v)
{
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</dt><dd>");
	html_txt(h, v);
	html_raw(h, "</dd>\n");
}

void web_hauler_page(struct web_req *rq, struct web_out *out, const char *refusal)
{
	struct web_haulers w;
	struct html *h = &out->h;
	struct table *loads = NULL, *samples = NULL;
	char station[POTW_STATION_ID_MAX + 2], today[11], done[32], action[64], title[200];
	const char *src;
	long long id = 0, held = 0;
	int i, k, row = -1, plant;
	struct rows r;

	web_query(rq, "station", station, sizeof station);
	src = station[0] ? station : POTW_PLANT_LOG;
	plant = is_plant(src);
	if (web_id(rq->rest, &id) || web_haulers_load(rq, &w, 1) != 0) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		return;
	}
	for (k = 0, i = -1; k < w.n; k++)
		if (atoll(web_hauler_cell(&w, k, HC_ID)) == id &&
		    !strcmp(web_hauler_cell(&w, k, HC_STATION), src))
			row = w.h[k].row, i = k;
	if (row < 0) {
		web_haulers_free(&w);
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		return;
	}
	if (last_loads(rq, &w, row, 0, &loads) || last_loads(rq, &w, row, 1, &samples) ||
	    potw_holds_on(rq->st, plant ? NULL : src, 0, id, &held)) {
		fprintf(stderr, "haulgate-potw: web: hauler: %s\n", hg_error_text());
		table_free(loads);
		web_haulers_free(&w);
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_local_day(rq->now, today);
	web_query(rq, "done", done, sizeof done);
	snprintf(action, sizeof action, "/haulers/%lld", id);
	snprintf(title, sizeof title, "%s", web_hauler_cell(&w, i, HC_COMPANY));
	web_begin(rq, out, "web.hauler.title");
	html_raw(h, "<p class=\"lead\">");
	html_txt(h, title);
	if (!plant) {
		html_raw(h, " <span class=\"note\">");
		web_tr(h, rq, "web.haulers.kept_by", src, NULL);
		html_raw(h, "</span>");
	}
	html_raw(h, "</p>\n");
	if (held)
		web_held(h, rq, "web.holds.hauler_held");
	web_roster_msg(h, rq, done, refusal);
	web_section(h, rq, "s-permit", "web.hauler.permit");
	html_raw(h, "<dl class=\"facts\">\n");
	dl_item(h, rq, "web.haulers.id", web_hauler_cell(&w, i, HC_ID));
	dl_item(h, rq, "web.haulers.contact", web_hauler_cell(&w, i, HC_CONTACT));
	dl_item(h, rq, "web.haulers.phone", web_hauler_cell(&w, i, HC_PHONE));
	dl_item(h, rq, "web.haulers.permit", web_hauler_cell(&w, i, HC_PERMIT));
	dl_item(h, rq, "web.haulers.from", web_hauler_cell(&w, i, HC_FROM));
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.haulers.expiry"));
	html_raw(h, "</dt><dd>");
	web_permit_cell(h, rq, web_hauler_cell(&w, i, HC_TO), today);
	html_raw(h, "</dd>\n");
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.haulers.status"));
	html_raw(h, "</dt><dd>");
	html_txt(h, web_t(rq, status_key(web_hauler_cell(&w, i, HC_STATUS))));
	html_raw(h, "</dd>\n");
	dl_item(h, rq, "web.haulers.waste", web_hauler_cell(&w, i, HC_WASTE));
	dl_item(h, rq, "web.haulers.analysis", web_hauler_cell(&w, i, HC_ANALYSIS)[0] ?
		web_hauler_cell(&w, i, HC_ANALYSIS) : web_t(rq, "web.hauler.none_on_file"));
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.haulers.loads"));
	html_raw(h, "</dt><dd>");
	html_num(h, w.h[i].loads);
	html_raw(h, " (<a href=\"/loads?hauler=");
	html_url_arg(h, web_hauler_cell(&w, i, HC_ID));
	if (!plant) {
		html_raw(h, "&amp;station=");
		html_url_arg(h, src);
	}
	html_raw(h, "\">");
	html_txt(h, web_t(rq, "web.hauler.all_loads"));
	html_raw(h, "</a>)</dd>\n<dt>");
	html_txt(h, web_t(rq, "web.haulers.samples"));
	html_raw(h, "</dt><dd>");
	html_num(h, w.h[i].samples);
	html_raw(h, " (<a href=\"/loads?hauler=");
	html_url_arg(h, web_hauler_cell(&w, i, HC_ID));
	if (!plant) {
		html_raw(h, "&amp;station=");
		html_url_arg(h, src);
	}
	html_raw(h, "&amp;sampled=yes\">");
	html_txt(h, web_t(rq, "web.hauler.all_samples"));
	html_raw(h, "</a>)</dd>\n<dt>");
	html_txt(h, web_t(rq, "web.haulers.violations"));
	/* lab results' exceedances will count here (issue 12, samples and lab results) */
	html_raw(h, "</dt><dd>0</dd>\n</dl>\n");

	memset(&r, 0, sizeof r);
	r.h = h;
	r.rq = rq;
	r.hauler = id;
	r.form = plant && rq->s.role == POTW_ROLE_COORDINATOR ? action : NULL;
	web_section(h, rq, "s-cards", "web.hauler.cards");
	web_table_open(h, rq, "cap-cards", "web.hauler.cards_caption", NULL);
	web_th(h, rq, "web.hauler.uid");
	web_th(h, rq, "web.hauler.driver");
	web_th(h, rq, "web.hauler.card_status");
	if (r.form)
		web_th(h, rq, "web.hauler.change");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	if (rec_rows(rq, src, "cards", card_row, &r))
		goto failed;
	html_raw(h, "</tbody>\n</table></div>\n");
	web_section(h, rq, "s-trucks", "web.hauler.trucks");
	web_table_open(h, rq, "cap-trucks", "web.hauler.trucks_caption", NULL);
	web_th(h, rq, "web.hauler.truck");
	web_th(h, rq, "web.hauler.capacity");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	if (rec_rows(rq, src, "trucks", truck_row, &r))
		goto failed;
	html_raw(h, "</tbody>\n</table></div>\n");
	web_section(h, rq, "s-loads", "web.hauler.last_loads");
	loads_table(h, rq, loads, "cap-loads", "web.hauler.last_loads_caption");
	web_section(h, rq, "s-samples", "web.hauler.samples");
	loads_table(h, rq, samples, "cap-samples", "web.hauler.samples_caption");
	if (r.form)
		edit_forms(h, rq, action, !strcmp(web_hauler_cell(&w, i, HC_STATUS), "suspended"));
	web_end(out);
	table_free(loads);
	table_free(samples);
	web_haulers_free(&w);
	return;
failed:
	table_free(loads);
	table_free(samples);
	web_haulers_free(&w);
	web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
}

void page_hauler(struct web_req *rq, struct web_out *out)
{
	web_hauler_page(rq, out, NULL);
}
