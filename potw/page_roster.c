/* page_roster.c: the roster edited on the pages (coordinator only: web.c
 * refuses the other roles, and a form without the session's CSRF token,
 * before this runs): POST /haulers adds a hauler, POST /haulers/ID renews
 * its permit, adds or revokes a card (with its PIN), adds a truck, suspends
 * or reinstates it.
 *
 * A form is a command line: its fields are named as `haulgate-potw hauler
 * add`'s options (company, contact, ..., from, to), and the edit runs
 * through the very code of potw/cmd_roster.c, host/roster_cmd.c's
 * roster_cmd() with the same option tables: every value checked as the
 * command line checks it (host/cmdline_values.c, core/roster_event.c),
 * then potw_roster_edit() (potw/roster.c): the roster's own checks, the
 * event in the plant's log that the stations pull, and the staff log's
 * entry with the coordinator's login, in one transaction.  What the command
 * would have said on stderr comes back through a cli_sink and is shown on
 * the page (422), nothing changed; a done edit is a 303 to the hauler's
 * page saying so.  The PIN is checked by the command line's rule
 * (cli_pin_check()) and hashed with the plant's PIN key (cli_pin_hash()),
 * never kept.  Start reading at page_hauler_post(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "web_int.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../host/cmdline_values.h"
#include "../host/roster_cmd.h"

#define FIELD_MAX WEB_FIELD_MAX

/* What an edit made and with which words. */
struct run {
	struct web_req *rq;
	char actor[POTW_LOGIN_MAX + 8];
	long long id;		/* the row's id: a new hauler's */
};

/* roster_backend.apply: e into the plant's log with its staff entry. */
static int apply(void *ctx, struct roster_ev *e)
{
	struct run *x = ctx;
	int rc = potw_roster_edit(x->rq->api, e, x->actor, x->rq->s.login, x->rq->now, NULL);

	if (!rc)
		x->id = e->id;
	return rc;
}

/* roster_backend.pin_hash: the form's PIN, by the command line's rule,
 * hashed with the plant's PIN key. */
static int form_pin_hash(void *ctx, enum card_kind kind, char hash[PIN_HASH_MAX])
{
	struct run *x = ctx;
	struct keypair kp;
	char pin[LIM_PIN + 2];
	int rc;

	if (html_form_get(x->rq->body, x->rq->len, "pin", pin, sizeof pin) != 1)
		pin[0] = '\0';
	rc = cli_pin_check(kind, pin);
	if (!rc) {
		memset(&kp, 0, sizeof kp);
		memcpy(kp.pin, x->rq->api->pin, sizeof kp.pin);
		kp.has_pin = x->rq->api->has_pin;
		rc = cli_pin_hash(&kp, pin, hash);
		sodium_memzero(&kp, sizeof kp);
	}
	sodium_memzero(pin, sizeof pin);
	return rc;
}

/* Run the edit kind of a through the roster's command: 0, or the refusal's
 * words in sink->err. */
static int run_edit(struct run *x, enum roster_ev_kind kind, const struct cli_args *a,
		    struct cli_sink *sink)
{
	const struct roster_backend b = { apply, form_pin_hash, x };
	int rc;

	snprintf(x->actor, sizeof x->actor, "web:%s", x->rq->s.login);
	cli_sink_set(sink);
	rc = roster_cmd(&b, kind, a);
	cli_sink_set(NULL);
	if (rc && !sink->err[0])
		snprintf(sink->err, sizeof sink->err, "%s", hg_error_text());
	return rc;
}

static void done(struct web_req *rq, struct web_out *out, long long id, const char *what,
		 const char *said)
{
	char where[80];

	fprintf(stderr, "haulgate-potw: web: %s: roster %s: %s\n", rq->s.login, what, said);
	snprintf(where, sizeof where, "/haulers/%lld?done=%s", id, what);
	web_redirect(out, where);
}

void page_haulers_post(struct web_req *rq, struct web_out *out)
{
	static const char *const types[] = { "septage", "portable", "grease", "industrial" };
	char (*v)[FIELD_MAX] = NULL, waste[64] = "", name[24], on[4];
	struct cli_sink sink;
	struct cli_args a;
	struct run x;
	size_t i;
	int rc, k;

	memset(&sink, 0, sizeof sink);
	memset(&x, 0, sizeof x);
	x.rq = rq;
	v = calloc(CLI_MAX_OPTS, sizeof *v);
	if (!v) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	cli_sink_set(&sink);
	rc = web_form_args(rq, roster_opts_hauler_add, &a, v);
	cli_sink_set(NULL);
	/* the waste types' boxes make --waste's list */
	for (i = 0; i < HG_ARRAY_LEN(types); i++) {
		snprintf(name, sizeof name, "waste_%s", types[i]);
		if (html_form_get(rq->body, rq->len, name, on, sizeof on) == 1 && !strcmp(on, "1")) {
			if (waste[0])
				strncat(waste, ",", sizeof waste - strlen(waste) - 1);
			strncat(waste, types[i], sizeof waste - strlen(waste) - 1);
		}
	}
	for (k = 0; roster_opts_hauler_add[k].name; k++)
		if (!strcmp(roster_opts_hauler_add[k].name, "waste"))
			a.val[k] = waste[0] ? waste : NULL;
	if (!rc)
		rc = run_edit(&x, RE_HAULER_ADDED, &a, &sink);
	free(v);
	if (rc) {
		out->status = 422;
		web_haulers_page(rq, out, sink.err);
		return;
	}
	done(rq, out, x.id, "hauler_added", sink.said);
}

struct card_find {
	const char *uid;
	long long hauler;
	int found;
};

static int card_find_row(const char *const *c, void *ctx)
{
	struct card_find *f = ctx;

	if (!strcmp(c[1], f->uid) && atoll(c[2]) == f->hauler)
		f->found = 1;
	return 0;
}

/* Is uid (as typed) a card of the plant's hauler id?  So a form of one
 * hauler's page never revokes another's card. */
static int card_of(const struct web_req *rq, const char *uid, long long id)
{
	struct card_find f = { NULL, id, 0 };
	char norm[LIM_UID + 1];

	if (text_uid_norm(uid, norm) != HG_OK)
		return 1;	/* the command refuses it in its words */
	f.uid = norm;
	if (potw_store_rec_each(rq->st, POTW_PLANT_LOG, record_table("cards"), card_find_row, &f))
		return 0;
	return f.found;
}

void page_hauler_post(struct web_req *rq, struct web_out *out)
{
	static const struct {
		const char *what;
		enum roster_ev_kind kind;
		const struct cli_opt *spec;
	} edits[] = {
		{ "permit", RE_PERMIT, roster_opts_permit },
		{ "card", RE_CARD_ADDED, roster_opts_card_add },
		{ "revoke", RE_CARD_REVOKED, NULL },
		{ "truck", RE_TRUCK_ADDED, roster_opts_truck_add },
		{ "suspend", RE_HAULER_SUSPENDED, NULL },
		{ "reinstate", RE_HAULER_REINSTATED, NULL },
	};
	static const struct cli_opt none[] = { { NULL, 0 } };
	char (*v)[FIELD_MAX] = NULL, what[16], uid[FIELD_MAX];
	struct cli_sink sink;
	struct cli_args a;
	struct run x;
	long long id;
	size_t i;
	int rc = -1, k;

	if (web_id(rq->rest, &id)) {
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		return;
	}
	if (html_form_get(rq->body, rq->len, "do", what, sizeof what) != 1)
		what[0] = '\0';
	for (i = 0; i < HG_ARRAY_LEN(edits) && strcmp(edits[i].what, what); i++)
		;
	if (i == HG_ARRAY_LEN(edits)) {
		web_error(rq, out, 422, "web.error.404");
		return;
	}
	memset(&sink, 0, sizeof sink);
	memset(&x, 0, sizeof x);
	x.rq = rq;
	v = calloc(CLI_MAX_OPTS, sizeof *v);
	if (!v) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	cli_sink_set(&sink);
	rc = web_form_args(rq, edits[i].spec ? edits[i].spec : none, &a, v);
	cli_sink_set(NULL);
	if (!rc) {
		char idtext[24];

		snprintf(idtext, sizeof idtext, "%lld", id);
		if (edits[i].kind == RE_CARD_REVOKED) {
			/* `card revoke UID`: the card must be this hauler's */
			if (html_form_get(rq->body, rq->len, "uid", uid, sizeof uid) != 1)
				uid[0] = '\0';
			a.pos[a.npos++] = uid;
		} else if (edits[i].kind != RE_CARD_ADDED && edits[i].kind != RE_TRUCK_ADDED) {
			a.pos[a.npos++] = idtext;	/* `hauler permit ID ...` */
		} else {
			for (k = 0; a.spec[k].name; k++)	/* --hauler ID */
				if (!strcmp(a.spec[k].name, "hauler"))
					a.val[k] = idtext;
		}
		if (edits[i].kind == RE_CARD_REVOKED && !card_of(rq, uid, id))
			rc = -1, snprintf(sink.err, sizeof sink.err,
					  "no card '%.40s' of hauler %lld", uid, id);
		else
			rc = run_edit(&x, edits[i].kind, &a, &sink);
	}
	free(v);
	if (rc) {
		out->status = 422;
		web_hauler_page(rq, out, sink.err);
		return;
	}
	done(rq, out, id, what, sink.said);
}
