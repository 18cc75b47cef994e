/* page_load.c: one load as the plant holds it (GET /loads/STATION/N).
 *
 * The station and the number are checked first (a station id, a number
 * from 1; anything else, or a load the plant does not hold, is 404).
 * Then, each read whole from the store before the page is written (no
 * store call inside another's callback): the load's row of rec_loads, its
 * sources (rec_load_sources), its events, the station's latest
 * countersigned checkpoint and the inclusion proof of the load's
 * manifest_submitted event (the form as certified) in the tree of that
 * checkpoint (potw/proof.c, what `haulgate-potw proof` prints), checked
 * here against the checkpoint's root.  The page shows the waste-tracking
 * form as certified, the decision and every reason with its words (the
 * kiosk's catalogue: reason.<code>), measured against declared gallons,
 * the sample bottle and its lab results (page_samples.c's table, every
 * role: effluent data is public under section 2.5) with links to the
 * sample's page and the notices drafted for it, the receipt's QR checked,
 * the events and the proof.  The receipt's QR is the one the station
 * logged in its last receipt print event (station/print.c: detail "qr"),
 * checked by the receipt check's own code (page_receipt_check()); a load
 * whose log holds none (refused; a station before the QR was logged) says
 * so.  Confidential fields (core/record.h's record_confidential()) only to
 * a coordinator.  Start reading at page_load(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <sodium.h>

#include "proof.h"
#include "store_holds.h"
#include "store_lab.h"
#include "web_int.h"
#include "../core/manifest.h"
#include "../core/reason.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/text.h"

#define SOURCES_MAX 64
#define EVENTS_MAX 200
#define NOVS_MAX 8		/* notices of the load linked (one a draft at a time) */

struct row {
	char *cell[REC_MAX_VALS];
	int n;
};

struct ev {
	long long seq;
	hg_time ts;
	char type[POTW_TYPE_MAX + 1];
	char actor[POTW_ACTOR_MAX + 1];
	uint8_t hash[32];
};

struct load {
	const struct rec_table *lt, *st;
	struct row load;
	struct row src[SOURCES_MAX];
	int nsrc;
	struct ev ev[EVENTS_MAX];
	int nev;
	long long form_seq;		/* the manifest_submitted event, 0 none */
	const char *id;			/* the load's station */
	long long no;			/* the load's number */
	char qr[QR_MAX];		/* the last receipt QR the station logged, "" none */
	long long qr_seq;		/* its event */
	int results;			/* lab results of the load */
	struct potw_nov nov[NOVS_MAX];	/* the notices drafted for it */
	int nnov;
};

static void row_free(struct row *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->cell[i]);
	r->n = 0;
}

static int row_copy(struct row *r, const char *const *cells, int n)
{
	for (int i = 0; i < n; i++) {
		r->cell[i] = strdup(cells[i]);
		if (!r->cell[i]) {
			r->n = i;
			return hg_fail(HG_ENOMEM, "out of memory");
		}
	}
	r->n = n;
	return HG_OK;
}

static int take_load(const char *const *cells, void *ctx)
{
	struct load *l = ctx;

	if (l->load.n)
		return HG_OK;
	return row_copy(&l->load, cells, l->lt->ncols);
}

static int take_source(const char *const *cells, void *ctx)
{
	struct load *l = ctx;

	if (l->nsrc == SOURCES_MAX)
		return HG_OK;
	return row_copy(&l->src[l->nsrc++], cells, l->st->ncols);
}

/* A receipt's print event with its signed QR text (station/print.c's
 * detail {"kind":"receipt",...,"qr"}): kept, the last one winning (every
 * print of a load's receipt signs the same fields).  A log from before
 * the QR was logged, or any other slip, has none. */
static void take_qr(struct load *l, const struct potw_event *e)
{
	cJSON *o = e->detail && e->detail[0] ? cJSON_Parse(e->detail) : NULL;
	const cJSON *kind = cJSON_GetObjectItemCaseSensitive(o, "kind");
	const cJSON *qr = cJSON_GetObjectItemCaseSensitive(o, "qr");

	if (cJSON_IsString(kind) && !strcmp(kind->valuestring, "receipt") && cJSON_IsString(qr) &&
	    strlen(qr->valuestring) < sizeof l->qr) {
		memcpy(l->qr, qr->valuestring, strlen(qr->valuestring) + 1);
		l->qr_seq = e->seq;
	}
	cJSON_Delete(o);
}

static int take_event(const struct potw_event *e, void *ctx)
{
	struct load *l = ctx;
	struct ev *v;

	if (!strcmp(e->type, "manifest_submitted") && !l->form_seq)
		l->form_seq = e->seq;
	if (!strcmp(e->type, "printed") || !strcmp(e->type, "print_failed"))
		take_qr(l, e);
	if (l->nev == EVENTS_MAX)
		return HG_OK;
	v = &l->ev[l->nev++];
	v->seq = e->seq;
	v->ts = e->ts;
	snprintf(v->type, sizeof v->type, "%s", e->type);
	snprintf(v->actor, sizeof v->actor, "%s", e->actor ? e->actor : "");
	memcpy(v->hash, e->hash, 32);
	return HG_OK;
}

/* A lab result of the load: counted, its notice kept once (read after). */
static int take_result(const struct potw_lab_result *r, void *ctx)
{
	struct load *l = ctx;
	int i;

	l->results++;
	for (i = 0; i < l->nnov && l->nov[i].id != r->nov_id; i++)
		;
	if (r->nov_id && i == l->nnov && l->nnov < NOVS_MAX)
		l->nov[l->nnov++].id = r->nov_id;
	return 0;
}

/* Column name of table t in row r ("" when not there). */
static const char *val(const struct rec_table *t, const struct row *r, const char *name)
{
	for (int i = 0; i < t->ncols && i < r->n; i++)
		if (!strcmp(t->cols[i].name, name))
			return r->cell[i];
	return "";
}

static const char *lv(const struct load *l, const char *name)
{
	return val(l->lt, &l->load, name);
}

/* "/loads/STATION/N": 1 with id and *no, 0 not a load's path. */
static int path_of(const char *path, char id[POTW_STATION_ID_MAX + 1], long long *no)
{
	const char *p = path + strlen("/loads/"), *slash = strchr(p, '/');
	long n;

	if (!slash || (size_t)(slash - p) > POTW_STATION_ID_MAX || strlen(slash + 1) > 12)
		return 0;
	snprintf(id, POTW_STATION_ID_MAX + 1, "%.*s", (int)(slash - p), p);
	if (!potw_station_id_ok(id) || text_parse_long(slash + 1, 1, 999999999999L, &n) < 0)
		return 0;
	*no = n;
	return 1;
}

/* ---- writing ---- */

static void b64(struct html *h, const uint8_t v[32])
{
	char s[48];

	sodium_bin2base64(s, sizeof s, v, 32, sodium_base64_VARIANT_ORIGINAL);
	html_txt(h, s);
}

static void section(struct html *h, const struct web_req *rq, const char *id, const char *key)
{
	html_raw(h, "<section aria-labelledby=\"h-");
	html_attr(h, id);
	html_raw(h, "\" id=\"");
	html_attr(h, id);
	html_raw(h, "\"><h2 id=\"h-");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</h2>\n");
}

/* <dt>key</dt><dd id="f-id">text</dd> */
static void item(struct html *h, const struct web_req *rq, const char *id, const char *key,
		 const char *text)
{
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</dt><dd id=\"f-");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, text);
	html_raw(h, "</dd>\n");
}

/* A confidential field: its text for a coordinator, else a word saying
 * it is withheld. */
static void secret(struct html *h, const struct web_req *rq, int see, const char *id,
		   const char *key, const char *text)
{
	if (see) {
		item(h, rq, id, key, text);
		return;
	}
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</dt><dd class=\"withheld\">");
	html_txt(h, web_t(rq, "web.load.confidential"));
	html_raw(h, "</dd>\n");
}

static const char *when(hg_time t, char buf[24])
{
	return t ? web_utc(t, buf) : "";
}

static hg_time tv(const struct load *l, const char *name)
{
	return strtoll(lv(l, name), NULL, 10);
}

/* Every reason of a list of codes ("a,b"), each with its words. */
static void reasons(struct html *h, const struct web_req *rq, const char *id, const char *codes)
{
	char code[64];
	const char *p = codes;

	html_raw(h, "<ul class=\"reasons\" id=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	while (*p) {
		size_t n = strcspn(p, ", ");
		enum reason r;

		if (n && n < sizeof code) {
			snprintf(code, sizeof code, "%.*s", (int)n, p);
			r = reason_parse(code);
			html_raw(h, "<li><code>");
			html_txt(h, code);
			html_raw(h, "</code> ");
			html_txt(h, r != R_NONE ? i18n_msg(r, rq->lang) : "");
			html_raw(h, "</li>");
		}
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	html_raw(h, "</ul>\n");
}

static void form_part(struct html *h, const struct web_req *rq, const struct load *l, int see)
{
	enum waste_type w = waste_parse(lv(l, "waste"));
	char buf[24];

	section(h, rq, "form", "web.load.form");
	html_raw(h, "<dl>\n");
	item(h, rq, "company", "web.load.company", lv(l, "company"));
	item(h, rq, "company_address", "web.load.company_address", lv(l, "company_address"));
	item(h, rq, "driver", "web.load.driver", lv(l, "driver"));
	item(h, rq, "permit", "web.load.permit", lv(l, "permit"));
	item(h, rq, "truck", "web.load.truck", lv(l, "truck"));
	item(h, rq, "truck_capacity", "web.load.truck_capacity", lv(l, "truck_capacity"));
	item(h, rq, "waste", "web.load.waste", w != WASTE_NONE ? waste_name(w, rq->lang) :
	     lv(l, "waste"));
	item(h, rq, "gallons", "web.load.gallons", lv(l, "gallons"));
	item(h, rq, "characteristics", "web.load.characteristics", lv(l, "characteristics"));
	secret(h, rq, see, "constituents", "web.load.constituents", lv(l, "constituents"));
	item(h, rq, "rcra", "web.load.rcra", lv(l, "rcra"));
	item(h, rq, "signer", "web.load.signer", lv(l, "signer"));
	item(h, rq, "certified", "web.load.certified", when(tv(l, "t_certified"), buf));
	item(h, rq, "lang", "web.load.lang", lv(l, "lang"));
	item(h, rq, "record_sha256", "web.load.record_sha256", lv(l, "record_sha256"));
	html_raw(h, "</dl>\n<h3>");
	html_txt(h, web_t(rq, "web.load.sources"));
	html_raw(h, "</h3>\n<table class=\"sources\"><thead><tr>");
	for (const char *const *k = (const char *const[]){ "web.load.source_name",
			"web.load.source_address", "web.load.source_industry",
			"web.load.source_town", NULL }; *k; k++) {
		html_raw(h, "<th scope=\"col\">");
		html_txt(h, web_t(rq, *k));
		html_raw(h, "</th>");
	}
	html_raw(h, "</tr></thead><tbody>\n");
	for (int i = 0; i < l->nsrc; i++) {
		static const char *const cols[] = { "name", "address", "industry", "town" };

		html_raw(h, "<tr class=\"source\">");
		for (size_t c = 0; c < HG_ARRAY_LEN(cols); c++) {
			int hide = !see && record_confidential("load_sources", cols[c]);

			html_raw(h, hide ? "<td class=\"withheld\">" : "<td>");
			html_txt(h, hide ? web_t(rq, "web.load.confidential") :
				 val(l->st, &l->src[i], cols[c]));
			html_raw(h, "</td>");
		}
		html_raw(h, "</tr>\n");
	}
	html_raw(h, "</tbody></table>\n");
	if (see) {	/* the copy of record, whose SHA-256 the station stored */
		const char *rec = lv(l, "record");
		uint8_t sum[32];
		char hex[65];

		text_sha256(rec, strlen(rec), sum);
		text_hex(sum, 32, hex);
		html_raw(h, "<h3>");
		html_txt(h, web_t(rq, "web.load.record"));
		html_raw(h, "</h3>\n<p id=\"record-check\">");
		html_txt(h, web_t(rq, strcmp(hex, lv(l, "record_sha256")) ?
				  "web.load.record_bad" : "web.load.record_ok"));
		html_raw(h, "</p>\n<pre id=\"record\">");
		html_txt(h, rec);
		html_raw(h, "</pre>\n");
	}
	html_raw(h, "</section>\n");
}

/* The load's lab results (page_samples.c's table: each with its limit,
 * section and verdict; effluent data, public under section 2.5, as the
 * samples page shows them to an auditor), the link to the sample's page
 * where a coordinator enters them, and to each notice drafted for it. */
static void lab_part(struct html *h, const struct web_req *rq, const struct load *l)
{
	char path[POTW_STATION_ID_MAX + 40], num[24];
	int rc = 0;

	if (l->results > 0)
		rc = page_results_table(rq, h, l->id, l->no, 0, "web.load.lab");
	if (rc < 0)
		fprintf(stderr, "haulgate-potw: web: load: lab results: %s\n", hg_error_text());
	if (l->results <= 0 || rc < 0) {
		html_raw(h, "<h3>");
		html_txt(h, web_t(rq, "web.load.lab"));
		html_raw(h, "</h3>\n<p id=\"lab\">");
		html_txt(h, web_t(rq, rc < 0 ? "web.error.500" : "web.load.lab_none"));
		html_raw(h, "</p>\n");
	}
	if (!strcmp(lv(l, "sampled"), "1")) {
		snprintf(path, sizeof path, "/samples/%s/%lld", l->id, l->no);
		html_raw(h, "<p id=\"sample-link\"><a href=\"");
		html_attr(h, path);
		html_raw(h, "\">");
		html_txt(h, web_t(rq, "web.load.sample_page"));
		html_raw(h, "</a></p>\n");
	}
	if (!l->nnov)
		return;
	html_raw(h, "<ul id=\"novs\">");
	for (int i = 0; i < l->nnov; i++) {
		snprintf(num, sizeof num, "%lld", l->nov[i].id);
		html_raw(h, "<li class=\"violation\"><a href=\"/nov/");
		html_url_arg(h, num);
		html_raw(h, "\">");
		web_tr(h, rq, "web.samples.violation", num,
		       web_t(rq, !strcmp(l->nov[i].state, "issued") ? "web.nov.state.issued" :
			     "web.nov.state.draft"));
		html_raw(h, "</a></li>");
	}
	html_raw(h, "</ul>\n");
}

/* The receipt's QR as the station logged it, checked by the receipt
 * check's own code (page_receipt_check(): /r's answers), with a link to
 * the /r address the QR encodes. */
static void receipt_part(struct web_req *rq, struct html *h, const struct load *l)
{
	struct web_receipt *c;
	char num[24];
	int rc, link;

	section(h, rq, "receipt", "web.load.receipt");
	if (!l->qr[0]) {
		html_raw(h, "<p id=\"receipt-check\">");
		html_txt(h, web_t(rq, "web.load.receipt_none"));
		html_raw(h, "</p>\n</section>\n");
		return;
	}
	c = malloc(sizeof *c);
	rc = c ? page_receipt_check(rq, l->qr, c) : hg_fail(HG_ENOMEM, "out of memory");
	html_raw(h, "<div id=\"receipt-check\">\n");
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: load: receipt check: %s\n", hg_error_text());
		html_raw(h, "<p class=\"alarm\">");
		html_txt(h, web_t(rq, "web.error.500"));
		html_raw(h, "</p>\n");
	} else {
		/* the QR of this page's load: one naming another is not its record */
		if (c->genuine == WR_GENUINE && (strcmp(c->f.station, l->id) || c->f.load_no != l->no)) {
			c->matches = WR_DIFFERS;
			c->field = strcmp(c->f.station, l->id) ? "station" : "load_no";
		}
		page_receipt_verdicts(h, rq, c);
	}
	html_raw(h, "</div>\n<p id=\"receipt-from\">");
	snprintf(num, sizeof num, "%lld", l->qr_seq);
	web_tr(h, rq, "web.load.receipt_from", num, NULL);
	/* a link only to a web address: no other scheme from a station's log */
	link = !strncmp(l->qr, "https://", 8) || !strncmp(l->qr, "http://", 7);
	html_raw(h, "</p>\n<p class=\"hash\">");
	if (link) {
		html_raw(h, "<a id=\"receipt-link\" href=\"");
		html_attr(h, l->qr);
		html_raw(h, "\">");
	}
	html_txt(h, l->qr);
	html_raw(h, link ? "</a></p>\n</section>\n" : "</p>\n</section>\n");
	free(c);
}

static void decision_part(struct html *h, const struct web_req *rq, const struct load *l)
{
	const char *verdict = lv(l, "verdict"), *meter = lv(l, "meter_flag");
	char key[48], buf[24], diff[48];
	long long decl = strtoll(lv(l, "gallons"), NULL, 10);
	long long meas = strtoll(lv(l, "gallons_measured"), NULL, 10);
	int metered;

	section(h, rq, "decision", "web.load.decision");
	snprintf(key, sizeof key, "web.verdict.%s", verdict);
	html_raw(h, "<dl>\n");
	item(h, rq, "verdict", "web.load.verdict", web_t(rq, key));
	item(h, rq, "decided", "web.load.decided", when(tv(l, "t_decided"), buf));
	html_raw(h, "</dl>\n");
	if (lv(l, "refuse_reasons")[0]) {
		html_raw(h, "<h3>");
		html_txt(h, web_t(rq, "web.load.refuse_reasons"));
		html_raw(h, "</h3>\n");
		reasons(h, rq, "refuse-reasons", lv(l, "refuse_reasons"));
	}
	if (lv(l, "sample_reasons")[0]) {
		html_raw(h, "<h3>");
		html_txt(h, web_t(rq, "web.load.sample_reasons"));
		html_raw(h, "</h3>\n");
		reasons(h, rq, "sample-reasons", lv(l, "sample_reasons"));
	}
	html_raw(h, "</section>\n");

	section(h, rq, "volume", "web.load.volume");
	html_raw(h, "<dl>\n");
	item(h, rq, "declared", "web.load.declared", lv(l, "gallons"));
	/* 0 and no meter flag: no meter measured it (a meter's 0 is flagged) */
	metered = meas != 0 || meter[0];
	item(h, rq, "measured", "web.load.measured", metered ? lv(l, "gallons_measured") :
	     web_t(rq, "web.load.not_measured"));
	diff[0] = '\0';
	if (metered && decl > 0)
		snprintf(diff, sizeof diff, "%+lld (%+.1f %%)", meas - decl,
			 100.0 * (double)(meas - decl) / (double)decl);
	item(h, rq, "difference", "web.load.difference", diff);
	item(h, rq, "discharge", "web.load.discharge_end", when(tv(l, "t_discharge_end"), buf));
	html_raw(h, "</dl>\n");
	if (meter[0])
		reasons(h, rq, "meter-reasons", meter);
	html_raw(h, "</section>\n");

	section(h, rq, "sample", "web.load.sample");
	html_raw(h, "<dl>\n");
	item(h, rq, "bottle", "web.load.bottle", lv(l, "bottle")[0] ? lv(l, "bottle") :
	     web_t(rq, "web.load.no_bottle"));
	item(h, rq, "sampled_at", "web.load.sampled_at", when(tv(l, "t_sampled"), buf));
	html_raw(h, "</dl>\n");
	lab_part(h, rq, l);
	html_raw(h, "</section>\n");
}

static void timeline(struct html *h, const struct web_req *rq, const struct load *l)
{
	char buf[24];

	section(h, rq, "events", "web.load.events");
	html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"h-events\">"
		 "<table class=\"events\"><thead><tr>");
	for (const char *const *k = (const char *const[]){ "web.load.ev_seq", "web.load.ev_time",
			"web.load.ev_type", "web.load.ev_actor", "web.load.ev_hash", NULL };
	     *k; k++) {
		html_raw(h, "<th scope=\"col\">");
		html_txt(h, web_t(rq, *k));
		html_raw(h, "</th>");
	}
	html_raw(h, "</tr></thead><tbody>\n");
	for (int i = 0; i < l->nev; i++) {
		const struct ev *e = &l->ev[i];

		html_raw(h, "<tr><th scope=\"row\">");
		html_num(h, e->seq);
		html_raw(h, "</th><td>");
		html_txt(h, web_utc(e->ts, buf));
		html_raw(h, "</td><td class=\"ev-type\">");
		html_txt(h, e->type);
		html_raw(h, "</td><td>");
		html_txt(h, e->actor);
		html_raw(h, "</td><td class=\"hash\">");
		b64(h, e->hash);
		html_raw(h, "</td></tr>\n");
	}
	html_raw(h, "</tbody></table></div>\n</section>\n");
}

static void proof_part(struct html *h, const struct web_req *rq, const struct load *l,
		       const char *id)
{
	struct potw_checkpoint *cp = malloc(sizeof *cp);
	struct potw_inclusion *in = malloc(sizeof *in);
	char num[24];
	int rc;

	section(h, rq, "proof", "web.load.proof");
	rc = cp && in ? potw_store_checkpoint_get(rq->st, id, 0, 0, cp) : HG_ENOMEM;
	if (rc || !l->form_seq || l->form_seq > cp->size) {
		if (rc && rc != HG_ENOTFOUND)
			fprintf(stderr, "haulgate-potw: web: load proof: %s\n", hg_error_text());
		html_raw(h, "<p id=\"proof-none\">");
		html_txt(h, web_t(rq, "web.load.proof_none"));
		html_raw(h, "</p>\n</section>\n");
		free(cp);
		free(in);
		return;
	}
	rc = potw_proof_inclusion(rq->st, id, l->form_seq, cp->size, in);
	if (!rc)
		rc = potw_proof_check(in, cp->root);
	html_raw(h, "<p id=\"proof-result\" class=\"");
	html_raw(h, rc ? "alarm\">" : "ok\">");
	snprintf(num, sizeof num, "%lld", cp->size);
	web_tr(h, rq, rc ? "web.load.proof_bad" : "web.load.proof_ok", num, NULL);
	html_raw(h, "</p>\n");
	if (rc)
		fprintf(stderr, "haulgate-potw: web: load proof: %s\n", hg_error_text());
	html_raw(h, "<dl>\n");
	snprintf(num, sizeof num, "%lld", l->form_seq);
	item(h, rq, "proof-event", "web.load.proof_event", num);
	snprintf(num, sizeof num, "%lld", l->form_seq - 1);
	item(h, rq, "proof-index", "web.load.proof_index", num);
	snprintf(num, sizeof num, "%lld", cp->size);
	item(h, rq, "proof-size", "web.load.proof_size", num);
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, "web.load.proof_hash"));
	html_raw(h, "</dt><dd id=\"f-proof-hash\" class=\"hash\">");
	if (!rc)
		b64(h, in->hash);
	html_raw(h, "</dd>\n<dt>");
	html_txt(h, web_t(rq, "web.load.proof_root"));
	html_raw(h, "</dt><dd id=\"f-proof-root\" class=\"hash\">");
	b64(h, cp->root);
	html_raw(h, "</dd>\n</dl>\n<h3>");
	html_txt(h, web_t(rq, "web.load.proof_hashes"));
	html_raw(h, "</h3>\n<ol id=\"proof-hashes\" class=\"hash\">");
	for (size_t i = 0; !rc && i < in->pf.count; i++) {
		html_raw(h, "<li>");
		b64(h, in->pf.hash[i]);
		html_raw(h, "</li>");
	}
	html_raw(h, "</ol>\n<h3>");
	html_txt(h, web_t(rq, "web.load.checkpoint"));
	html_raw(h, "</h3>\n<pre id=\"checkpoint\">");
	html_txt(h, cp->cosigned);
	html_raw(h, "</pre>\n</section>\n");
	free(cp);
	free(in);
}

static void load_free(struct load *l)
{
	row_free(&l->load);
	for (int i = 0; i < l->nsrc; i++)
		row_free(&l->src[i]);
	free(l);
}

void page_load(struct web_req *rq, struct web_out *out)
{
	char id[POTW_STATION_ID_MAX + 1], no_s[24];
	struct html *h = &out->h;
	struct load *l;
	long long no, held = 0;
	int rc;

	if (!path_of(rq->path, id, &no)) {
		web_error(rq, out, 404, "web.error.404");
		return;
	}
	l = calloc(1, sizeof *l);
	if (!l) {
		web_error(rq, out, 500, "web.error.500");
		return;
	}
	l->id = id;
	l->no = no;
	l->lt = record_table("loads");
	l->st = record_table("load_sources");
	rc = potw_store_rec_key(rq->st, id, l->lt, no, take_load, l);
	if (!rc && l->load.n)
		rc = potw_store_rec_key(rq->st, id, l->st, no, take_source, l);
	if (!rc && l->load.n)
		rc = potw_store_load_events(rq->st, id, no, take_event, l);
	if (!rc && l->load.n)
		rc = potw_holds_on(rq->st, id, no, 0, &held);
	if (!rc && l->load.n)
		rc = potw_lab_results_each(rq->st, id, no, 0, take_result, l);
	for (int i = 0; !rc && i < l->nnov; i++)
		rc = potw_nov_get(rq->st, l->nov[i].id, &l->nov[i]);
	if (rc || !l->load.n) {
		if (rc)
			fprintf(stderr, "haulgate-potw: web: load: %s\n", hg_error_text());
		web_error(rq, out, rc ? 500 : 404, rc ? "web.error.500" : "web.error.404");
		load_free(l);
		return;
	}
	snprintf(no_s, sizeof no_s, "%lld", no);
	web_begin(rq, out, "web.load.title");
	html_raw(h, "<p class=\"lead\" id=\"load-id\">");
	web_tr(h, rq, "web.load.which", id, no_s);
	html_raw(h, "</p>\n<p><a href=\"/loads\">");
	html_txt(h, web_t(rq, "web.load.back"));
	html_raw(h, "</a></p>\n");
	if (held)
		web_held(h, rq, "web.holds.load_held");
	decision_part(h, rq, l);
	receipt_part(rq, h, l);
	form_part(h, rq, l, rq->s.role == POTW_ROLE_COORDINATOR);
	timeline(h, rq, l);
	proof_part(h, rq, l, id);
	web_end(out);
	load_free(l);
}
