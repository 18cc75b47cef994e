/* page_users.c: the accounts of these pages, and a form adding one (admin
 * only: web.c refuses the other roles, and a POST without the session's
 * CSRF token, before this runs).
 *
 * The form's password is checked and hashed as `haulgate-potw user add`
 * does (store_users.h); the account and its staff log entry, the admin's
 * login as actor, are one transaction.  After an addition the page is
 * fetched again (303), saying which account was added.  Start reading at
 * page_users_post(). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "web_int.h"
#include "../core/report.h"

static const char *role_key(enum potw_role r)
{
	return r == POTW_ROLE_ADMIN ? "web.role.admin" :
	       r == POTW_ROLE_COORDINATOR ? "web.role.coordinator" : "web.role.auditor";
}

struct rows {
	struct html *h;
	const struct web_req *rq;
};

static int user_row(const struct potw_user *u, void *ctx)
{
	struct rows *r = ctx;
	char when[24];

	html_raw(r->h, "<tr><th scope=\"row\">");
	html_txt(r->h, u->login);
	html_raw(r->h, "</th><td data-label=\"");
	html_attr(r->h, web_t(r->rq, "web.users.role"));
	html_raw(r->h, "\">");
	html_txt(r->h, web_t(r->rq, role_key(u->role)));
	html_raw(r->h, "</td><td data-label=\"");
	html_attr(r->h, web_t(r->rq, "web.users.added"));
	html_raw(r->h, "\">");
	html_txt(r->h, web_utc(u->added, when));
	html_raw(r->h, "</td><td data-label=\"");
	html_attr(r->h, web_t(r->rq, "web.users.added_by"));
	html_raw(r->h, "\">");
	html_txt(r->h, u->added_by);
	html_raw(r->h, "</td></tr>\n");
	return 0;
}

static void page(struct web_req *rq, struct web_out *out, const char *msg_key,
		 const char *arg, int alert)
{
	static const enum potw_role roles[] = {
		POTW_ROLE_AUDITOR, POTW_ROLE_COORDINATOR, POTW_ROLE_ADMIN
	};
	struct html *h = &out->h;
	struct rows r = { h, rq };
	char min[8];
	size_t i;
	int rc;

	web_begin(rq, out, "web.users.title");
	if (msg_key) {
		html_raw(h, alert ? "<p class=\"msg\" role=\"alert\">" : "<p class=\"msg\" role=\"status\">");
		web_tr(h, rq, msg_key, arg, NULL);
		html_raw(h, "</p>\n");
	}
	html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"cap\">"
		 "<table>\n<caption id=\"cap\">");
	html_txt(h, web_t(rq, "web.users.caption"));
	html_raw(h, "</caption>\n<thead><tr>");
	web_th(h, rq, "web.users.login");
	web_th(h, rq, "web.users.role");
	web_th(h, rq, "web.users.added");
	web_th(h, rq, "web.users.added_by");
	html_raw(h, "</tr></thead>\n<tbody>\n");
	rc = potw_users_each(rq->st, user_row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: users: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	html_raw(h, "</tbody>\n</table></div>\n<h2 id=\"add\">");
	html_txt(h, web_t(rq, "web.users.add"));
	html_raw(h, "</h2>\n<form method=\"post\" action=\"/users\" aria-labelledby=\"add\">\n");
	web_csrf_field(rq, h);
	html_raw(h, "\n<p><label for=\"login\">");
	html_txt(h, web_t(rq, "web.users.login"));
	html_raw(h, "</label>\n<input id=\"login\" name=\"login\" required maxlength=\"32\" "
		 "autocomplete=\"off\" autocapitalize=\"none\" spellcheck=\"false\"></p>\n"
		 "<p><label for=\"role\">");
	html_txt(h, web_t(rq, "web.users.role"));
	html_raw(h, "</label>\n<select id=\"role\" name=\"role\">");
	for (i = 0; i < HG_ARRAY_LEN(roles); i++) {
		html_raw(h, "<option value=\"");
		html_attr(h, potw_role_name(roles[i]));
		html_raw(h, "\">");
		html_txt(h, web_t(rq, role_key(roles[i])));
		html_raw(h, "</option>");
	}
	html_raw(h, "</select></p>\n<p><label for=\"password\">");
	snprintf(min, sizeof min, "%d", POTW_PASSWORD_MIN);
	web_tr(h, rq, "web.users.password", min, NULL);
	html_raw(h, "</label>\n<input id=\"password\" name=\"password\" type=\"password\" "
		 "required minlength=\"10\" maxlength=\"128\" autocomplete=\"new-password\"></p>\n"
		 "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.users.submit"));
	html_raw(h, "</button></p>\n</form>\n");
	web_end(out);
}

void page_users(struct web_req *rq, struct web_out *out)
{
	char added[POTW_LOGIN_MAX + 2];

	if (rq->query && html_form_get(rq->query, strlen(rq->query), "added", added,
				       sizeof added) == 1 && potw_login_ok(added))
		page(rq, out, "web.users.added_ok", added, 0);
	else
		page(rq, out, NULL, NULL, 0);
}

void page_users_post(struct web_req *rq, struct web_out *out)
{
	char role[16], pw[POTW_PASSWORD_MAX + 2], where[POTW_LOGIN_MAX + 20], min[8];
	struct potw_user u;
	int rc;

	memset(&u, 0, sizeof u);
	snprintf(min, sizeof min, "%d", POTW_PASSWORD_MIN);
	if (html_form_get(rq->body, rq->len, "login", u.login, sizeof u.login) != 1 ||
	    !potw_login_ok(u.login)) {
		out->status = 422;
		page(rq, out, "web.users.bad_login", NULL, 1);
		return;
	}
	if (html_form_get(rq->body, rq->len, "role", role, sizeof role) != 1 ||
	    (u.role = potw_role_parse(role)) == POTW_ROLE_NONE) {
		out->status = 422;
		page(rq, out, "web.error.403", NULL, 1);
		return;
	}
	if (html_form_get(rq->body, rq->len, "password", pw, sizeof pw) != 1 ||
	    potw_password_ok(pw)) {
		sodium_memzero(pw, sizeof pw);
		out->status = 422;
		page(rq, out, "web.users.bad_password", min, 1);
		return;
	}
	rc = potw_password_hash(pw, u.pwhash);
	sodium_memzero(pw, sizeof pw);
	if (!rc)
		rc = potw_users_add(rq->st, &u, rq->s.login, rq->now);
	if (rc == HG_EEXIST) {
		out->status = MHD_HTTP_CONFLICT;
		page(rq, out, "web.users.taken", NULL, 1);
		return;
	}
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: user add: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	fprintf(stderr, "haulgate-potw: web: %s added the account %s (%s)\n", rq->s.login, u.login,
		potw_role_name(u.role));
	snprintf(where, sizeof where, "/users?added=%s", u.login);
	web_redirect(out, where);
}
