/* page_policy.c: the plant's policy, GET /policy (every role) and a
 * coordinator's change of one key, POST /policy (web.c refuses the other
 * roles, and a POST without the session's CSRF token, before this runs).
 *
 * The policy is the keys of station.ini the plant sets for every station
 * or for one (docs/POTW.md, docs/CONFIG.md "Set at the plant"): each key
 * in station.ini's order, what it means (the catalogue's words), each
 * value the plant set and the station it applies to (all, or one), and
 * when and by whom it was last changed (the latest policy_set or
 * policy_unset event of the plant's log for that key and scope); a key
 * the plant never set is station.ini's own at each station.
 *
 * The form is `haulgate-potw policy set|unset`: its fields are named as
 * the command's options (key, value, station), read through the same
 * option tables and run by the very code of potw/cmd_policy.c
 * (potw_policy_edit_run(): station.ini's parser, the roster's rules, the
 * event in the plant's log that the stations pull on their next sync, the
 * staff log's entry with the coordinator's login, one transaction).  A
 * refusal is the command's words on the page (422), what was typed kept;
 * a done change is a 303 to /policy?done=set|unset.  Start reading at
 * page_policy(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <microhttpd.h>

#include "cmd_policy.h"
#include "web_int.h"
#include "../core/config_policy.h"
#include "../core/record.h"
#include "../core/report.h"

#define ROWS_MAX 256		/* values the page shows: cmd_policy.c's cap */
#define CHANGES_MAX 512		/* (key, scope) pairs whose last change is kept */
#define STATIONS_MAX 10000

struct prow {
	char scope[32], section[CFG_POLICY_SECTION], key[CFG_POLICY_KEY];
	char value[CFG_POLICY_VALUE];
};

struct change {
	char scope[32], section[CFG_POLICY_SECTION], key[CFG_POLICY_KEY];
	char actor[POTW_ACTOR_MAX + 1];
	hg_time ts;
};

struct policy {
	struct prow rows[ROWS_MAX];
	int n;
	struct change ch[CHANGES_MAX];
	int nch;
};

/* What the form held: kept when it is refused. */
struct typed {
	const char *key, *value, *station;
};

static int keep_row(const char *const *cells, void *ctx)
{
	struct policy *p = ctx;

	if (strcmp(cells[4], "1") != 0)
		return 0;	/* unset */
	if (p->n == ROWS_MAX)
		return hg_fail(HG_ETOOLONG, "the plant's policy holds more than %d values", ROWS_MAX);
	snprintf(p->rows[p->n].scope, sizeof p->rows[0].scope, "%s", cells[0]);
	snprintf(p->rows[p->n].section, sizeof p->rows[0].section, "%s", cells[1]);
	snprintf(p->rows[p->n].key, sizeof p->rows[0].key, "%s", cells[2]);
	snprintf(p->rows[p->n].value, sizeof p->rows[0].value, "%s", cells[3]);
	p->n++;
	return 0;
}

static const char *jtext(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Each policy event of the plant's log: the last of each (key, scope). */
static int keep_change(const struct potw_event *e, void *ctx)
{
	struct policy *p = ctx;
	const char *scope, *section, *key;
	struct change *c = NULL;
	cJSON *o;
	int i;

	if (strcmp(e->type, "policy_set") != 0 && strcmp(e->type, "policy_unset") != 0)
		return 0;
	o = e->detail ? cJSON_Parse(e->detail) : NULL;
	if (!o)
		return 0;
	scope = jtext(o, "scope");
	section = jtext(o, "section");
	key = jtext(o, "key");
	for (i = 0; i < p->nch && !c; i++)
		if (!strcmp(p->ch[i].scope, scope) && !strcmp(p->ch[i].section, section) &&
		    !strcmp(p->ch[i].key, key))
			c = &p->ch[i];
	if (!c && p->nch < CHANGES_MAX) {
		c = &p->ch[p->nch++];
		snprintf(c->scope, sizeof c->scope, "%s", scope);
		snprintf(c->section, sizeof c->section, "%s", section);
		snprintf(c->key, sizeof c->key, "%s", key);
	}
	if (c) {
		c->ts = e->ts;
		snprintf(c->actor, sizeof c->actor, "%s", e->actor ? e->actor : "");
	}
	cJSON_Delete(o);
	return 0;
}

static const struct change *change_of(const struct policy *p, const char *scope,
				      const char *section, const char *key)
{
	for (int i = 0; i < p->nch; i++)
		if (!strcmp(p->ch[i].scope, scope) && !strcmp(p->ch[i].section, section) &&
		    !strcmp(p->ch[i].key, key))
			return &p->ch[i];
	return NULL;
}

/* One row: the key, what it means, where it applies, its value, its last
 * change.  value NULL: station.ini's own. */
static void row(struct html *h, const struct web_req *rq, const struct policy *p,
		const char *section, const char *key, const char *scope, const char *value)
{
	const struct change *c = change_of(p, scope, section, key);
	char help[80], when[24];

	html_raw(h, "<tr><th scope=\"row\"><code>");
	html_txt(h, section);
	html_raw(h, ".");
	html_txt(h, key);
	html_raw(h, "</code></th>");
	snprintf(help, sizeof help, "web.policy.help.%s.%s", section, key);
	web_td(h, rq, NULL, "web.policy.meaning", web_t(rq, help));
	web_td_open(h, rq, NULL, "web.policy.applies");
	if (!strcmp(scope, CFG_POLICY_ALL))
		html_txt(h, web_t(rq, "web.policy.all"));
	else
		web_tr(h, rq, "web.policy.station", scope, NULL);
	web_td_next(h, rq, "value", "web.policy.value");
	if (value) {
		html_raw(h, "<code>");
		html_txt(h, *value ? value : web_t(rq, "web.policy.empty"));
		html_raw(h, "</code>");
	} else {
		html_txt(h, web_t(rq, "web.policy.own"));
	}
	web_td_next(h, rq, NULL, "web.policy.changed");
	if (c)
		web_tr(h, rq, "web.policy.changed_at", web_utc(c->ts, when), c->actor);
	else
		html_txt(h, web_t(rq, "web.policy.never"));
	html_raw(h, "</td></tr>\n");
}

static void table(struct html *h, const struct web_req *rq, const struct policy *p)
{
	static const char *const cols[] = {
		"web.policy.key", "web.policy.meaning", "web.policy.applies", "web.policy.value",
		"web.policy.changed", NULL
	};
	const char *section, *key;
	int i, j, any;

	web_table_id_begin(h, rq, "cap", "web.policy.caption", cols);
	for (i = 0; config_policy_key_at(i, &section, &key) == HG_OK; i++) {
		any = 0;
		/* the value for all stations first, then each station's own */
		for (int pass = 0; pass < 2; pass++)
			for (j = 0; j < p->n; j++) {
				const struct prow *r = &p->rows[j];

				if (strcmp(r->section, section) || strcmp(r->key, key) ||
				    (strcmp(r->scope, CFG_POLICY_ALL) == 0) != (pass == 0))
					continue;
				row(h, rq, p, section, key, r->scope, r->value);
				any = 1;
			}
		if (!any)
			row(h, rq, p, section, key, CFG_POLICY_ALL, NULL);
	}
	web_table_end(h);
}

static void form(struct html *h, const struct web_req *rq, const struct typed *t, int bad)
{
	struct potw_station *sts = NULL;
	const char *section, *key;
	char dotted[CFG_POLICY_SECTION + CFG_POLICY_KEY];
	size_t n = 0, i;

	if (potw_store_station_list(rq->st, STATIONS_MAX, &sts, &n))
		n = 0;	/* the select offers "all stations" alone */
	web_section(h, rq, "set", "web.policy.set");
	html_raw(h, "<p>");
	html_txt(h, web_t(rq, "web.policy.set_lead"));
	html_raw(h, "</p>\n<form method=\"post\" action=\"/policy\" aria-labelledby=\"set\">\n");
	web_csrf_field(rq, h);
	html_raw(h, "<p><label for=\"key\">");
	html_txt(h, web_t(rq, "web.policy.key"));
	html_raw(h, "</label>\n<select id=\"key\" name=\"key\">");
	for (i = 0; config_policy_key_at((int)i, &section, &key) == HG_OK; i++) {
		snprintf(dotted, sizeof dotted, "%s.%s", section, key);
		html_raw(h, "<option value=\"");
		html_attr(h, dotted);
		html_raw(h, t->key && !strcmp(t->key, dotted) ? "\" selected>" : "\">");
		html_txt(h, dotted);
		html_raw(h, "</option>");
	}
	html_raw(h, "</select></p>\n");
	web_input(h, "value", web_t(rq, "web.policy.value"), t->value ? t->value : "", bad,
		  "maxlength=\"1023\" autocomplete=\"off\" spellcheck=\"false\"");
	html_raw(h, "<p><label for=\"station\">");
	html_txt(h, web_t(rq, "web.policy.applies"));
	html_raw(h, "</label>\n<select id=\"station\" name=\"station\"><option value=\"\">");
	html_txt(h, web_t(rq, "web.policy.all"));
	html_raw(h, "</option>");
	for (i = 0; i < n; i++) {
		if (sts[i].retired)
			continue;
		html_raw(h, "<option value=\"");
		html_attr(h, sts[i].id);
		html_raw(h, t->station && !strcmp(t->station, sts[i].id) ? "\" selected>" : "\">");
		html_txt(h, sts[i].id);
		html_raw(h, " (");
		html_txt(h, sts[i].name);
		html_raw(h, ")</option>");
	}
	free(sts);
	html_raw(h, "</select></p>\n<p class=\"buttons\"><button type=\"submit\" name=\"do\" "
		 "value=\"set\">");
	html_txt(h, web_t(rq, "web.policy.do_set"));
	html_raw(h, "</button> <button type=\"submit\" name=\"do\" value=\"unset\">");
	html_txt(h, web_t(rq, "web.policy.do_unset"));
	html_raw(h, "</button></p>\n</form>\n");
}

static void show(struct web_req *rq, struct web_out *out, const struct typed *t,
		 const char *refusal, const char *done)
{
	struct html *h = &out->h;
	struct policy *p = calloc(1, sizeof *p);
	int rc;

	rc = p ? potw_store_rec_each(rq->st, POTW_PLANT_LOG, record_table("policy"), keep_row, p) :
	     hg_fail(HG_ENOMEM, "out of memory");
	if (!rc)
		rc = potw_store_events_each(rq->st, POTW_PLANT_LOG, keep_change, p);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: policy: %s\n", hg_error_text());
		free(p);
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_begin(rq, out, "web.policy.title");
	html_raw(h, "<p class=\"lead\">");
	html_txt(h, web_t(rq, "web.policy.lead"));
	html_raw(h, "</p>\n");
	if (refusal)
		web_refusal(h, rq, "web.policy.refused", refusal);
	else if (done)
		web_msg(h, rq, !strcmp(done, "unset") ? "web.policy.done_unset" :
			"web.policy.done_set", NULL, 0);
	table(h, rq, p);
	free(p);
	if (rq->s.role == POTW_ROLE_COORDINATOR)
		form(h, rq, t, refusal != NULL);
	web_end(out);
}

void page_policy(struct web_req *rq, struct web_out *out)
{
	const struct typed t = { NULL, NULL, NULL };
	char done[8];

	if (web_query(rq, "done", done, sizeof done) != 1)
		done[0] = '\0';
	show(rq, out, &t, NULL, done[0] ? done : NULL);
}

/* a's values moved to the options of the same names in spec; the others
 * dropped (unset has no --value). */
static void respec(struct cli_args *a, const struct cli_opt *spec)
{
	struct cli_args b;

	memset(&b, 0, sizeof b);
	b.spec = spec;
	for (int i = 0; spec[i].name && i < CLI_MAX_OPTS; i++)
		b.val[i] = cli_get(a, spec[i].name);
	*a = b;
}

void page_policy_post(struct web_req *rq, struct web_out *out)
{
	char (*v)[WEB_FIELD_MAX], what[8], actor[POTW_LOGIN_MAX + 8];
	struct cli_sink sink;
	struct cli_args a;
	struct typed t;
	enum roster_ev_kind kind;
	int rc, i;

	if (html_form_get(rq->body, rq->len, "do", what, sizeof what) != 1)
		what[0] = '\0';
	if (strcmp(what, "set") && strcmp(what, "unset")) {
		web_error(rq, out, 422, "web.error.404");
		return;
	}
	kind = !strcmp(what, "set") ? RE_POLICY_SET : RE_POLICY_UNSET;
	v = calloc(CLI_MAX_OPTS, sizeof *v);
	if (!v) {
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	memset(&sink, 0, sizeof sink);
	snprintf(actor, sizeof actor, "web:%s", rq->s.login);
	cli_sink_set(&sink);
	/* set's table reads every field, so what was typed is kept either way */
	rc = web_form_args(rq, potw_policy_opts_set, &a, v);
	if (!rc && kind == RE_POLICY_UNSET)
		respec(&a, potw_policy_opts_unset);
	if (!rc)
		rc = potw_policy_edit_run(rq->api, kind, &a, actor, rq->s.login, rq->now);
	cli_sink_set(NULL);
	if (!rc) {
		fprintf(stderr, "haulgate-potw: web: %s: policy: %s\n", rq->s.login, sink.said);
		free(v);
		web_redirect(out, kind == RE_POLICY_SET ? "/policy?done=set" : "/policy?done=unset");
		return;
	}
	if (!sink.err[0])
		snprintf(sink.err, sizeof sink.err, "%s", hg_error_text());
	memset(&t, 0, sizeof t);
	for (i = 0; potw_policy_opts_set[i].name; i++) {
		const char *name = potw_policy_opts_set[i].name;

		if (!strcmp(name, "key"))
			t.key = v[i];
		else if (!strcmp(name, "value"))
			t.value = v[i];
		else if (!strcmp(name, "station"))
			t.station = v[i];
	}
	out->status = 422;
	show(rq, out, &t, sink.err, NULL);
	free(v);
}
