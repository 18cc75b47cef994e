/* page_limits.c: the lab's parameters and their limits.
 *
 * GET /limits (every role): each parameter, its unit, its minimum and
 * maximum and the ordinance section they come from (section 2.1's
 * prohibitions as seeded, the plant's local limits of section 2.3), and
 * who changed it last.  POST /limits (coordinator; web.c has checked the
 * role and the CSRF token): a parameter defined or its limits changed
 * (potw_lab_param_set(), logged); a refusal shows the form again with what
 * was typed, the reason in the page's language (422).  Start reading at
 * page_limits_post(). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>

#include "store_lab.h"
#include "web_int.h"
#include "../core/report.h"
#include "../core/text.h"

struct typed {
	char name[LAB_PARAM_MAX * 4 + 2], unit[LAB_UNIT_MAX * 4 + 2];
	char min[LAB_DEC_MAX + 2], max[LAB_DEC_MAX + 2], section[LAB_SECTION_MAX * 4 + 2];
};

struct rows {
	const struct web_req *rq;
	struct html *h;
};

static int row(const struct potw_lab_param *p, void *ctx)
{
	struct rows *r = ctx;
	struct html *h = r->h;
	char v[LAB_DEC_MAX], when[24];

	html_raw(h, "<tr><th scope=\"row\">");
	html_txt(h, p->p.name);
	html_raw(h, "</th>");
	web_td(h, r->rq, NULL, "web.lab.unit", p->p.unit);
	web_td(h, r->rq, "num", "web.limits.min", p->p.has_min ? lab_dec_format(p->p.min, v) : "");
	web_td(h, r->rq, "num", "web.limits.max", p->p.has_max ? lab_dec_format(p->p.max, v) : "");
	web_td(h, r->rq, NULL, "web.lab.section", p->p.section);
	web_td(h, r->rq, NULL, "web.limits.changed", p->changed ? web_utc(p->changed, when) : "");
	web_td_open(h, r->rq, NULL, "web.limits.by");
	html_txt(h, p->changed ? p->changed_by : web_t(r->rq, "web.limits.ordinance"));
	html_raw(h, "</td></tr>\n");
	return 0;
}

static void show(struct web_req *rq, struct web_out *out, const struct typed *t,
		 const char *msg_key, const char *arg, int alert)
{
	struct html *h = &out->h;
	struct rows r = { rq, h };
	int rc;

	web_begin(rq, out, "web.limits.title");
	if (msg_key)
		web_msg_args(h, rq, alert, msg_key, arg, NULL);
	{
		static const char *const cols[] = {
			"web.lab.param", "web.lab.unit", "web.limits.min", "web.limits.max",
			"web.lab.section", "web.limits.changed", "web.limits.by", NULL
		};

		web_table_id_begin(h, rq, "cap", "web.limits.caption", cols);
	}
	rc = potw_lab_params_each(rq->st, row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: limits: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "</tbody>\n</table></div>\n");
	if (rq->s.role != POTW_ROLE_COORDINATOR) {
		web_msg_args(h, rq, 0, "web.limits.read_only", NULL, NULL);
		web_end(out);
		return;
	}
	html_raw(h, "<h2 id=\"set\">");
	html_txt(h, web_t(rq, "web.limits.set"));
	html_raw(h, "</h2>\n<p>");
	html_txt(h, web_t(rq, "web.limits.hint"));
	html_raw(h, "</p>\n<form method=\"post\" action=\"/limits\" aria-labelledby=\"set\">\n");
	web_csrf_field(rq, h);
	web_input(h, "name", web_t(rq, "web.lab.param"), t->name, 0,
		  "required maxlength=\"24\" autocomplete=\"off\"");
	web_input(h, "unit", web_t(rq, "web.lab.unit"), t->unit, 0,
		  "required maxlength=\"16\" autocomplete=\"off\"");
	web_input(h, "min", web_t(rq, "web.limits.min"), t->min, 0,
		  "inputmode=\"decimal\" autocomplete=\"off\"");
	web_input(h, "max", web_t(rq, "web.limits.max"), t->max, 0,
		  "inputmode=\"decimal\" autocomplete=\"off\"");
	web_input(h, "section", web_t(rq, "web.lab.section"),
		  t->section[0] ? t->section : "2.3", 0,
		  "required maxlength=\"40\"");
	html_raw(h, "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.limits.submit"));
	html_raw(h, "</button></p>\n</form>\n");
	web_end(out);
}

void page_limits(struct web_req *rq, struct web_out *out)
{
	struct typed t;
	char saved[LAB_PARAM_MAX + 2];

	memset(&t, 0, sizeof t);
	if (rq->query && html_form_get(rq->query, strlen(rq->query), "saved", saved,
				       sizeof saved) == 1 && lab_param_name_ok(saved))
		show(rq, out, &t, "web.limits.saved", saved, 0);
	else
		show(rq, out, &t, NULL, NULL, 0);
}

/* An empty limit is none; else a decimal (why into *why). */
static void limit_of(const char *s, int *has, long long *v, enum lab_why *why)
{
	*has = 0;
	if (!s[0] || *why)
		return;
	*why = lab_dec_parse(s, 1, v);
	*has = !*why;
}

void page_limits_post(struct web_req *rq, struct web_out *out)
{
	char where[LAB_PARAM_MAX * 3 + 20];
	enum lab_why why = LAB_OK;
	struct lab_param p;
	struct typed t;
	int rc;

	memset(&t, 0, sizeof t);
	memset(&p, 0, sizeof p);
	if (html_form_get(rq->body, rq->len, "name", t.name, sizeof t.name) < 0 ||
	    text_copy(p.name, sizeof p.name, t.name))
		why = LAB_BAD_PARAM_NAME;
	if (html_form_get(rq->body, rq->len, "unit", t.unit, sizeof t.unit) < 0 ||
	    html_form_get(rq->body, rq->len, "section", t.section, sizeof t.section) < 0 ||
	    text_copy(p.unit, sizeof p.unit, t.unit) || text_copy(p.section, sizeof p.section, t.section))
		why = why ? why : LAB_BAD_TEXT;
	if (html_form_get(rq->body, rq->len, "min", t.min, sizeof t.min) < 0 ||
	    html_form_get(rq->body, rq->len, "max", t.max, sizeof t.max) < 0)
		why = why ? why : LAB_BAD_NUMBER;
	limit_of(t.min, &p.has_min, &p.min, &why);
	limit_of(t.max, &p.has_max, &p.max, &why);
	rc = why ? HG_EINVAL : potw_lab_param_set(rq->st, &p, rq->s.login, rq->now, &why);
	if (rc == HG_OK) {
		fprintf(stderr, "haulgate-potw: web: %s set the parameter %s\n", rq->s.login, p.name);
		snprintf(where, sizeof where, "/limits?saved=");
		{
			size_t n = strlen(where), i;

			for (i = 0; p.name[i] && n + 4 < sizeof where; i++) {	/* a name is ASCII */
				unsigned char c = (unsigned char)p.name[i];

				if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
					where[n++] = (char)c;
				else
					n += (size_t)snprintf(where + n, sizeof where - n, "%%%02X", c);
			}
			where[n] = '\0';
		}
		web_redirect(out, where);
		return;
	}
	if (rc == HG_EEXIST) {
		out->status = MHD_HTTP_CONFLICT;
		show(rq, out, &t, "web.limits.unit_locked", NULL, 1);
		return;
	}
	if (rc != HG_EINVAL || !why) {
		fprintf(stderr, "haulgate-potw: web: limits: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	out->status = 422;
	show(rq, out, &t, lab_key(why), NULL, 1);
}
