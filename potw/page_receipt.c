/* page_receipt.c: the receipt check, GET /r?v=1&st=...&s=..., the page a
 * receipt's QR opens (no sign-in; a phone), and a dispute raised on it
 * (POST /r).
 *
 * The QR's text is the station's [station] verify_base, '?', the query:
 * the signature covers the base too, so the text is put back together from
 * the address the browser asked for (https:// or http://, the Host header,
 * the path) and the query as sent, less a "lang=xx&" the page's language
 * links put first.  page_receipt_check() (the load's page checks the QR
 * its station logged with it too) answers three questions with core/qr.c's one
 * parser and verifier (receipt_qr_read() only to learn which station's key
 * to check with): is it genuine (the signature under that registered
 * station's key), does it match the plant's record of the load (the
 * replicated rec_loads row, receipt_qr_matches()), is the load held in a
 * countersigned checkpoint (its certified form's event inside the latest
 * checkpoint the plant cosigned: the note opened with the station's key
 * and the plant's, the inclusion proof made from the store's tree and
 * checked against the note's root).  The page shows only the receipt's own
 * fields, and of a record that differs only which field.
 *
 * A genuine receipt's page has the dispute form: what is wrong, how to
 * reach the hauler; its CSRF token is the value of a cookie set with it
 * (WEB_DISPUTE_COOKIE, double submit, checked by web.c); at most
 * POTW_DISPUTE_PER_ADDR disputes from one address an hour (429).  The
 * dispute is stored beside the record (potw/store_disputes.c) with its
 * staff log entry.  Start reading at page_receipt(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "store_disputes.h"
#include "web_int.h"
#include "../core/manifest.h"
#include "../core/merkle.h"
#include "../core/note.h"
#include "../core/report.h"

#define LOAD_EVENT "manifest_submitted"	/* the load's certified form, every figure */

/* The query less a leading "lang=xx&" (the language links'). */
static void strip_lang(const char *q, char *out, size_t cap)
{
	const char *amp;

	out[0] = '\0';
	if (!q)
		return;
	if (!strncmp(q, "lang=", 5) && (amp = strchr(q, '&')) != NULL)
		q = amp + 1;
	if (strlen(q) < cap)
		memcpy(out, q, strlen(q) + 1);
}

/* Is the load's event in the latest checkpoint the plant cosigned, by a
 * proof checked against the note's own root? */
static int held_check(struct web_req *rq, const struct potw_station *s, struct web_receipt *c)
{
	struct potw_checkpoint *cp = malloc(sizeof *cp);
	struct note_opened *o = malloc(sizeof *o);
	struct merkle_proof *pf = malloc(sizeof *pf);
	struct note_verifier keys[2];
	struct note_checkpoint nc;
	struct potw_tree_ctx tc;
	struct merkle_reader rd;
	uint8_t hash[32], leaf[32];
	int rc;

	c->held = WR_NOT_HELD;
	rc = cp && o && pf ? HG_OK : hg_fail(HG_ENOMEM, "out of memory");
	if (!rc)
		rc = potw_receipt_event(rq->st, s->id, c->f.load_no, LOAD_EVENT, &c->seq);
	if (!rc)
		rc = potw_store_checkpoint_get(rq->st, s->id, 0, 0, cp);
	if (rc == HG_ENOTFOUND || (!rc && c->seq > cp->size)) {
		if (!rc) {
			c->cp_size = cp->size;
			c->cp_at = cp->received;
		}
		rc = HG_OK;
		goto out;
	}
	if (rc)
		goto out;
	c->cp_size = cp->size;
	c->cp_at = cp->received;
	memset(keys, 0, sizeof keys);
	rc = note_station_origin(s->id, keys[0].name, sizeof keys[0].name);
	memcpy(keys[0].pk, s->pk, 32);
	keys[0].id = note_key_id(keys[0].name, s->pk);
	snprintf(keys[1].name, sizeof keys[1].name, "%s", rq->plant_key_name);
	memcpy(keys[1].pk, rq->plant_pk, 32);
	keys[1].id = note_key_id(keys[1].name, rq->plant_pk);
	if (!rc)
		rc = note_open(cp->cosigned, strlen(cp->cosigned), keys, 2, 3, o);
	if (!rc)
		rc = note_checkpoint_parse(cp->cosigned, o->text_len, &nc);
	if (!rc && (nc.size != (uint64_t)cp->size || memcmp(nc.root, cp->root, 32) != 0))
		rc = hg_fail(HG_ECORRUPT, "the checkpoint's note is not its row");
	potw_store_tree_reader(rq->st, s->id, &tc, &rd);
	if (!rc)
		rc = potw_store_event_hash(rq->st, s->id, c->seq, hash);
	if (!rc)
		rc = merkle_inclusion_proof(&rd, (uint64_t)c->seq - 1, nc.size, pf);
	if (!rc) {
		merkle_leaf_hash(hash, leaf);
		rc = merkle_inclusion_verify((uint64_t)c->seq - 1, nc.size, leaf, pf, nc.root);
	}
	if (rc) {	/* an alarm, not a visitor's fault: said, and in the log */
		fprintf(stderr, "haulgate-potw: web: receipt check: station %s load %lld: the "
			"proof of event %lld in checkpoint %lld fails: %s\n", s->id,
			c->f.load_no, c->seq, cp->size, hg_error_text());
		c->held = WR_PROOF_BAD;
		rc = HG_OK;
		goto out;
	}
	c->held = WR_HELD;
out:
	free(cp);
	free(o);
	free(pf);
	return rc;
}

/* Is c->text genuine: c->genuine, c->f and *s (the station) for a genuine
 * one.  HG_OK (c says), or the store's error. */
static int genuine(struct web_req *rq, struct web_receipt *c, struct potw_station *s)
{
	struct qr_fields claims;
	int rc;

	c->genuine = WR_MALFORMED;
	if (receipt_qr_read(c->text, &claims))
		return HG_OK;
	rc = potw_store_station_get(rq->st, claims.station, s);
	if (rc == HG_ENOTFOUND) {
		c->genuine = WR_UNKNOWN_STATION;
		return HG_OK;
	}
	if (rc)
		return rc;
	c->genuine = receipt_qr_verify(s->pk, c->text, &c->f) ? WR_FORGED : WR_GENUINE;
	return HG_OK;
}

/* A genuine c: does it match the record, is it held. */
static int judge(struct web_req *rq, const struct potw_station *s, struct web_receipt *c)
{
	struct load_rec *ld = malloc(sizeof *ld);
	int rc;

	if (!ld)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = potw_receipt_load(rq->st, c->f.station, c->f.load_no, ld);
	if (rc == HG_OK)
		c->matches = receipt_qr_matches(&c->f, ld, &c->field) ? WR_MATCHES : WR_DIFFERS;
	free(ld);
	if (rc && rc != HG_ENOTFOUND)
		return rc;
	return held_check(rq, s, c);
}

int page_receipt_check(struct web_req *rq, const char *text, struct web_receipt *c)
{
	struct potw_station s;
	int rc;

	memset(c, 0, sizeof *c);
	if (!text || strlen(text) >= sizeof c->text) {
		c->genuine = WR_MALFORMED;
		return HG_OK;
	}
	memcpy(c->text, text, strlen(text) + 1);
	rc = genuine(rq, c, &s);
	if (rc || c->genuine != WR_GENUINE)
		return rc;
	return judge(rq, &s, c);
}

/* Answer the three questions of rq's receipt into *c: its text put back
 * together from the address asked for, https:// then http://.  HG_OK (c
 * says), or the store's error. */
static int check_request(struct web_req *rq, struct web_receipt *c)
{
	static const char *const schemes[] = { "https://", "http://" };
	struct potw_station s;
	size_t i;
	int rc;

	memset(c, 0, sizeof *c);
	strip_lang(rq->query, c->query, sizeof c->query);
	if (!c->query[0])
		return HG_OK;	/* WR_NONE: no receipt asked about */
	c->genuine = WR_MALFORMED;
	for (i = 0; i < HG_ARRAY_LEN(schemes); i++) {
		int n = snprintf(c->text, sizeof c->text, "%s%s%s?%s", schemes[i],
				 rq->host ? rq->host : "", rq->path, c->query);

		if (n < 0 || (size_t)n >= sizeof c->text)
			break;
		rc = genuine(rq, c, &s);
		if (rc)
			return rc;
		if (c->genuine != WR_FORGED)
			break;	/* malformed, unknown, genuine: the scheme changes none */
	}
	if (i > 0 && c->genuine == WR_MALFORMED)
		c->genuine = WR_FORGED;	/* the https:// text was well formed */
	if (c->genuine != WR_GENUINE)
		return HG_OK;
	return judge(rq, &s, c);
}

/* The catalogue's key of a receipt field (receipt_qr_matches()' names). */
static const char *field_key(const char *field)
{
	static const char *const keys[][2] = {
		{ "station", "web.receipt.station" }, { "load_no", "web.receipt.load" },
		{ "time", "web.receipt.time" }, { "gallons", "web.receipt.gallons" },
		{ "waste", "web.receipt.waste" }, { "permit", "web.receipt.permit" },
	};
	size_t i;

	for (i = 0; field && i < HG_ARRAY_LEN(keys); i++)
		if (!strcmp(field, keys[i][0]))
			return keys[i][1];
	return "web.receipt.record";
}

/* One answer: a paragraph of class cls saying key (with a). */
static void verdict(struct html *h, const struct web_req *rq, const char *cls, const char *key,
		    const char *a1, const char *a2)
{
	html_raw(h, "<p class=\"verdict ");
	html_raw(h, cls);
	html_raw(h, "\">");
	web_tr(h, rq, key, a1, a2);
	html_raw(h, "</p>\n");
}

void page_receipt_verdicts(struct html *h, const struct web_req *rq, const struct web_receipt *c)
{
	char a[32], b[32];

	switch (c->genuine) {
	case WR_NONE:
		return;
	case WR_MALFORMED:
		verdict(h, rq, "bad", "web.receipt.malformed", NULL, NULL);
		return;
	case WR_UNKNOWN_STATION:
	case WR_FORGED:
		verdict(h, rq, "bad", "web.receipt.forged", NULL, NULL);
		return;
	case WR_GENUINE:
		break;
	}
	verdict(h, rq, "ok", "web.receipt.genuine", c->f.station, NULL);
	if (c->matches == WR_MATCHES)
		verdict(h, rq, "ok", "web.receipt.matches", NULL, NULL);
	else if (c->matches == WR_DIFFERS)
		verdict(h, rq, "bad", "web.receipt.differs", web_t(rq, field_key(c->field)), NULL);
	else
		verdict(h, rq, "wait", "web.receipt.no_record", NULL, NULL);
	snprintf(a, sizeof a, "%lld", c->cp_size);
	if (c->held == WR_HELD)
		verdict(h, rq, "ok", "web.receipt.held", a, web_utc(c->cp_at, b));
	else if (c->held == WR_PROOF_BAD)
		verdict(h, rq, "bad", "web.receipt.proof_bad", NULL, NULL);
	else
		verdict(h, rq, "wait", "web.receipt.not_held", NULL, NULL);
}

static void row(struct html *h, const struct web_req *rq, const char *key, const char *value)
{
	html_raw(h, "<dt>");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</dt><dd>");
	html_txt(h, value);
	html_raw(h, "</dd>\n");
}

/* What the receipt says, and nothing else. */
static void fields(struct html *h, const struct web_req *rq, const struct qr_fields *f)
{
	char n[32], when[24];
	enum waste_type w = waste_parse(f->waste);

	html_raw(h, "<h2 id=\"says\">");
	html_txt(h, web_t(rq, "web.receipt.says"));
	html_raw(h, "</h2>\n<dl class=\"receipt\" aria-labelledby=\"says\">\n");
	row(h, rq, "web.receipt.station", f->station);
	snprintf(n, sizeof n, "%lld", f->load_no);
	row(h, rq, "web.receipt.load", n);
	web_utc(f->t, when);
	snprintf(n, sizeof n, "%s UTC", when);
	row(h, rq, "web.receipt.time", n);
	snprintf(n, sizeof n, "%ld", f->gallons);
	row(h, rq, "web.receipt.gallons", n);
	row(h, rq, "web.receipt.waste", w != WASTE_NONE ? waste_name(w, rq->lang) : f->waste);
	row(h, rq, "web.receipt.permit", f->permit);
	html_raw(h, "</dl>\n");
}

static void dispute_form(struct web_req *rq, struct web_out *out, const struct web_receipt *c)
{
	struct html *h = &out->h;
	char pre[POTW_TOKEN_LEN + 1], max[16];

	web_token(pre);
	web_cookie(out, WEB_DISPUTE_COOKIE, pre, 3600);
	html_raw(h, "<h2 id=\"dispute\">");
	html_txt(h, web_t(rq, "web.dispute.title"));
	html_raw(h, "</h2>\n<p>");
	html_txt(h, web_t(rq, "web.dispute.intro"));
	html_raw(h, "</p>\n<form method=\"post\" action=\"/r?");
	html_attr(h, c->query);
	html_raw(h, "\" aria-labelledby=\"dispute\">\n<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(h, pre);
	html_raw(h, "\">\n<p><label for=\"what\">");
	snprintf(max, sizeof max, "%d", POTW_DISPUTE_WHAT_MAX);
	web_tr(h, rq, "web.dispute.what", max, NULL);
	html_raw(h, "</label>\n<textarea id=\"what\" name=\"what\" required maxlength=\"1000\" "
		 "rows=\"4\"></textarea></p>\n<p><label for=\"contact\">");
	html_txt(h, web_t(rq, "web.dispute.contact"));
	html_raw(h, "</label>\n<input id=\"contact\" name=\"contact\" required maxlength=\"120\" "
		 "autocomplete=\"tel\"></p>\n<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.dispute.submit"));
	html_raw(h, "</button></p>\n</form>\n");
}

/* The page of c; msg_key (with arg) said first when not NULL; the form
 * when the receipt is genuine and with_form. */
static void page(struct web_req *rq, struct web_out *out, const struct web_receipt *c,
		 const char *msg_key, const char *arg, int alert, int with_form)
{
	struct html *h = &out->h;

	rq->keep_query = c->query;
	web_begin(rq, out, "web.receipt.title");
	if (msg_key)
		web_msg(h, rq, msg_key, arg, alert);
	switch (c->genuine) {
	case WR_NONE:
		html_raw(h, "<p>");
		html_txt(h, web_t(rq, "web.receipt.none"));
		html_raw(h, "</p>\n");
		break;
	case WR_MALFORMED:
	case WR_UNKNOWN_STATION:
	case WR_FORGED:
		page_receipt_verdicts(h, rq, c);
		break;
	case WR_GENUINE:
		page_receipt_verdicts(h, rq, c);
		fields(h, rq, &c->f);
		if (with_form)
			dispute_form(rq, out, c);
		break;
	}
	web_end(out);
}

void page_receipt(struct web_req *rq, struct web_out *out)
{
	struct web_receipt *c = malloc(sizeof *c);
	int rc;

	rc = c ? check_request(rq, c) : hg_fail(HG_ENOMEM, "out of memory");
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: receipt check: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	} else {
		if (c->genuine != WR_NONE && c->genuine != WR_GENUINE)
			fprintf(stderr, "haulgate-potw: web: receipt check from %s: not genuine\n",
				rq->addr);
		out->status = c->genuine == WR_MALFORMED ? MHD_HTTP_BAD_REQUEST : MHD_HTTP_OK;
		page(rq, out, c, NULL, NULL, 0, 1);
	}
	free(c);
}

void page_receipt_post(struct web_req *rq, struct web_out *out)
{
	struct web_receipt *c = malloc(sizeof *c);
	struct potw_dispute *d = malloc(sizeof *d);
	char num[24], max[16];
	long long n = 0, id;
	int rc;

	rc = c && d ? check_request(rq, c) : hg_fail(HG_ENOMEM, "out of memory");
	if (!rc && c->genuine != WR_GENUINE) {
		out->status = 422;
		page(rq, out, c, "web.dispute.not_genuine", NULL, 1, 0);
		goto done;
	}
	if (!rc)
		rc = potw_disputes_from(rq->st, rq->addr, rq->now - POTW_DISPUTE_WINDOW, &n);
	if (!rc && n >= POTW_DISPUTE_PER_ADDR) {
		fprintf(stderr, "haulgate-potw: web: dispute from %s throttled (%lld in %d "
			"minutes)\n", rq->addr, n, POTW_DISPUTE_WINDOW / 60);
		out->status = MHD_HTTP_TOO_MANY_REQUESTS;
		out->retry_after = POTW_DISPUTE_WINDOW;
		page(rq, out, c, "web.dispute.throttled", NULL, 1, 0);
		goto done;
	}
	if (rc)
		goto failed;
	memset(d, 0, sizeof *d);
	snprintf(d->station, sizeof d->station, "%s", c->f.station);
	d->load_no = c->f.load_no;
	snprintf(d->receipt, sizeof d->receipt, "%s", c->text);
	snprintf(d->addr, sizeof d->addr, "%s", rq->addr);
	html_form_text(rq->body, rq->len, "what", 1, d->what, sizeof d->what);
	html_form_text(rq->body, rq->len, "contact", 0, d->contact, sizeof d->contact);
	rc = potw_dispute_add(rq->st, d, rq->now, &id);
	if (rc == HG_EINVAL) {
		out->status = 422;
		snprintf(max, sizeof max, "%d", POTW_DISPUTE_WHAT_MAX);
		page(rq, out, c, "web.dispute.bad", max, 1, 1);
		goto done;
	}
	if (rc)
		goto failed;
	fprintf(stderr, "haulgate-potw: web: dispute %lld raised on station %s load %lld from %s\n",
		id, d->station, d->load_no, rq->addr);
	web_cookie(out, WEB_DISPUTE_COOKIE, "", 0);
	snprintf(num, sizeof num, "%lld", id);
	page(rq, out, c, "web.dispute.sent", num, 0, 0);
	goto done;
failed:
	fprintf(stderr, "haulgate-potw: web: dispute: %s\n", hg_error_text());
	web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
done:
	free(c);
	free(d);
}
