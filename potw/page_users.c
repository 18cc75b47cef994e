/* page_users.c: the accounts of these pages, and a form adding one (admin
 * only: web.c refuses the other roles, and a POST without the session's
 * CSRF token, before this runs); on each account's row a form changing it
 * (POST /users/LOGIN: do=role with role, do=disable, do=enable,
 * do=passwd), run through `haulgate-potw user role|disable|enable|passwd`'s
 * own code (cmd_user.h: potw_user_change_run(), the same checks and
 * words, the staff log's entry with the admin's login).  A new password is
 * made by the program and shown once on the answer (200, never a
 * redirect: it is in no URL, no log); the other changes are a 303 back
 * saying what was done.
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

#include "cmd_user.h"
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

/* The row's form: another role, disable or enable, a new password. */
static void change_form(struct html *h, const struct web_req *rq, const struct potw_user *u)
{
	static const enum potw_role roles[] = {
		POTW_ROLE_AUDITOR, POTW_ROLE_COORDINATOR, POTW_ROLE_ADMIN
	};
	char path[POTW_LOGIN_MAX + 8];
	size_t i;

	snprintf(path, sizeof path, "/users/%s", u->login);
	html_raw(h, "<form method=\"post\" class=\"row-edit\" action=\"");
	html_attr(h, path);
	html_raw(h, "\">");
	web_csrf_field(rq, h);
	html_raw(h, "<label class=\"sr\" for=\"role-");
	html_attr(h, u->login);
	html_raw(h, "\">");
	web_tr(h, rq, "web.users.role_of", u->login, NULL);
	html_raw(h, "</label><select id=\"role-");
	html_attr(h, u->login);
	html_raw(h, "\" name=\"role\">");
	for (i = 0; i < HG_ARRAY_LEN(roles); i++) {
		html_raw(h, "<option value=\"");
		html_attr(h, potw_role_name(roles[i]));
		html_raw(h, roles[i] == u->role ? "\" selected>" : "\">");
		html_txt(h, web_t(rq, role_key(roles[i])));
		html_raw(h, "</option>");
	}
	html_raw(h, "</select> <button type=\"submit\" name=\"do\" value=\"role\">");
	html_txt(h, web_t(rq, "web.users.do_role"));
	html_raw(h, "</button> <button type=\"submit\" name=\"do\" value=\"");
	html_raw(h, u->disabled ? "enable\">" : "disable\">");
	html_txt(h, web_t(rq, u->disabled ? "web.users.do_enable" : "web.users.do_disable"));
	html_raw(h, "</button> <button type=\"submit\" name=\"do\" value=\"passwd\">");
	html_txt(h, web_t(rq, "web.users.do_passwd"));
	html_raw(h, "</button></form>");
}

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
	web_td_next(r->h, r->rq, u->disabled ? "alarm" : NULL, "web.users.status");
	if (u->disabled)
		web_tr(r->h, r->rq, "web.users.disabled_at", web_utc(u->disabled, when), NULL);
	else
		html_txt(r->h, web_t(r->rq, "web.users.active"));
	web_td_next(r->h, r->rq, NULL, "web.users.change");
	change_form(r->h, r->rq, u);
	html_raw(r->h, "</td></tr>\n");
	return 0;
}

static void page_said(struct web_req *rq, struct web_out *out, const char *msg_key,
		      const char *arg, int alert, const char *refusal, const char *newpw)
{
	static const enum potw_role roles[] = {
		POTW_ROLE_AUDITOR, POTW_ROLE_COORDINATOR, POTW_ROLE_ADMIN
	};
	static const char *const heads[] = {
		"web.users.login", "web.users.role", "web.users.added", "web.users.added_by",
		"web.users.status", "web.users.change",
	};
	struct html *h = &out->h;
	struct rows r = { h, rq };
	char min[8];
	size_t i;
	int rc;

	web_begin(rq, out, "web.users.title");
	if (refusal)
		web_refusal(h, rq, "web.users.refused", refusal);
	else if (newpw) {	/* shown once: this answer is no-store, never redirected */
		html_raw(h, "<p class=\"msg\" role=\"status\">");
		web_tr(h, rq, "web.users.newpw", arg, NULL);
		html_raw(h, " <code class=\"newpw\">");
		html_txt(h, newpw);
		html_raw(h, "</code></p>\n");
	} else if (msg_key)
		web_msg(h, rq, msg_key, arg, alert);
	web_table_begin(h, rq, NULL, "web.users.caption", heads, (int)HG_ARRAY_LEN(heads));
	rc = potw_users_each(rq->st, user_row, &r);
	if (rc) {
		fprintf(stderr, "haulgate-potw: web: users: %s\n", hg_error_text());
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return;
	}
	web_table_end(h);
	html_raw(h, "<h2 id=\"add\">");
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

static void page(struct web_req *rq, struct web_out *out, const char *msg_key,
		 const char *arg, int alert)
{
	page_said(rq, out, msg_key, arg, alert, NULL, NULL);
}

void page_users(struct web_req *rq, struct web_out *out)
{
	static const char *const dones[] = { "disable", "enable", "role" };
	char added[POTW_LOGIN_MAX + 2], done[10], key[32];
	size_t i;

	if (web_query(rq, "done", done, sizeof done) == 1 &&
	    web_query(rq, "login", added, sizeof added) == 1 && potw_login_ok(added))
		for (i = 0; i < HG_ARRAY_LEN(dones); i++)
			if (!strcmp(done, dones[i])) {
				snprintf(key, sizeof key, "web.users.done_%s", dones[i]);
				page(rq, out, key, added, 0);
				return;
			}
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

void page_user_post(struct web_req *rq, struct web_out *out)
{
	static const struct {
		const char *what;
		enum potw_user_change change;
	} whats[] = {
		{ "disable", POTW_USER_DISABLE }, { "enable", POTW_USER_ENABLE },
		{ "passwd", POTW_USER_PASSWD }, { "role", POTW_USER_ROLE },
	};
	char what[10], role[16], actor[POTW_LOGIN_MAX + 8], newpw[POTW_NEWPW_LEN + 1];
	char login[POTW_LOGIN_MAX + 1], where[POTW_LOGIN_MAX + 40];
	const char *rest = web_path_rest(rq, "/users/");
	struct cli_sink sink;
	struct cli_args a;
	size_t i;
	int rc;

	if (html_form_get(rq->body, rq->len, "do", what, sizeof what) != 1)
		what[0] = '\0';
	for (i = 0; i < HG_ARRAY_LEN(whats) && strcmp(whats[i].what, what); i++)
		;
	if (i == HG_ARRAY_LEN(whats) || !potw_login_ok(rest)) {
		web_error(rq, out, i == HG_ARRAY_LEN(whats) ? 422 : MHD_HTTP_NOT_FOUND,
			  "web.error.404");
		return;
	}
	snprintf(login, sizeof login, "%s", rest);
	if (html_form_get(rq->body, rq->len, "role", role, sizeof role) != 1)
		role[0] = '\0';
	/* `user CHANGE --login LOGIN [--role ROLE]` */
	memset(&a, 0, sizeof a);
	a.spec = potw_user_opts_role;
	a.val[0] = login;
	a.val[1] = whats[i].change == POTW_USER_ROLE && role[0] ? role : NULL;
	memset(&sink, 0, sizeof sink);
	snprintf(actor, sizeof actor, "%s", rq->s.login);
	cli_sink_set(&sink);
	rc = potw_user_change_run(rq->st, whats[i].change, &a, actor, rq->now, newpw);
	cli_sink_set(NULL);
	if (rc) {
		if (!sink.err[0])
			snprintf(sink.err, sizeof sink.err, "%s", hg_error_text());
		out->status = 422;
		page_said(rq, out, NULL, NULL, 1, sink.err, NULL);
		return;
	}
	fprintf(stderr, "haulgate-potw: web: %s: %s\n", rq->s.login, sink.said);
	if (whats[i].change == POTW_USER_PASSWD) {
		page_said(rq, out, NULL, login, 0, NULL, newpw);
		sodium_memzero(newpw, sizeof newpw);
		return;
	}
	snprintf(where, sizeof where, "/users?done=%s&login=%s", what, login);
	web_redirect(out, where);
}
