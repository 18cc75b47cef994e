/* page_signin.c: the sign-in page, its form posted, and sign-out.
 *
 * The form carries its own CSRF token, the value of a cookie set with it
 * (WEB_PRE_COOKIE: a visitor has no session yet); web.c refuses a POST
 * whose field and cookie differ.  A sign-in is refused without checking
 * the password while the account, or the address, has had too many
 * failures in the window (store_users.h: POTW_SIGNIN_PER_LOGIN,
 * POTW_SIGNIN_PER_ADDR): 429 with Retry-After.  A wrong login and a wrong
 * password read the same, and take as long.  A sign-in always makes a new
 * session (a new token, a new CSRF token): one the visitor held before is
 * ended.  Start reading at page_signin_post(). */
#include <stdio.h>
#include <string.h>

#include <microhttpd.h>
#include <sodium.h>

#include "web_int.h"
#include "../core/report.h"

void page_signin(struct web_req *rq, struct web_out *out, const char *msg_key,
		 unsigned int status)
{
	struct html *h = &out->h;
	char pre[POTW_TOKEN_LEN + 1];

	out->status = status;
	web_token(pre);
	web_cookie(out, WEB_PRE_COOKIE, pre, 3600);
	web_begin(rq, out, "web.signin.title");
	if (msg_key) {
		html_raw(h, "<p class=\"msg\" role=\"alert\">");
		html_txt(h, web_t(rq, msg_key));
		html_raw(h, "</p>\n");
	}
	html_raw(h, "<form method=\"post\" action=\"/signin\" class=\"signin\">\n"
		 "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(h, pre);
	html_raw(h, "\">\n<p><label for=\"login\">");
	html_txt(h, web_t(rq, "web.signin.login"));
	html_raw(h, "</label>\n<input id=\"login\" name=\"login\" autocomplete=\"username\" "
		 "required maxlength=\"32\" autocapitalize=\"none\" spellcheck=\"false\"></p>\n"
		 "<p><label for=\"password\">");
	html_txt(h, web_t(rq, "web.signin.password"));
	html_raw(h, "</label>\n<input id=\"password\" name=\"password\" type=\"password\" "
		 "autocomplete=\"current-password\" required maxlength=\"128\"></p>\n"
		 "<p><button type=\"submit\">");
	html_txt(h, web_t(rq, "web.signin.submit"));
	html_raw(h, "</button></p>\n</form>\n");
	web_end(out);
}

void page_signin_post(struct web_req *rq, struct web_out *out)
{
	char login[POTW_LOGIN_MAX + 2], pw[POTW_PASSWORD_MAX + 2], token[POTW_TOKEN_LEN + 1];
	struct potw_session s;
	long long by_login = 0, by_addr = 0;
	int rc;

	if (html_form_get(rq->body, rq->len, "login", login, sizeof login) != 1)
		login[0] = '\0';
	if (html_form_get(rq->body, rq->len, "password", pw, sizeof pw) != 1)
		pw[0] = '\0';
	rc = potw_signin_failures(rq->st, login, rq->addr, rq->now, &by_login, &by_addr);
	if (rc)
		goto failed;
	if (by_login >= POTW_SIGNIN_PER_LOGIN || by_addr >= POTW_SIGNIN_PER_ADDR) {
		fprintf(stderr, "haulgate-potw: web: sign-in of '%.32s' from %s throttled "
			"(%lld failures of the account, %lld from the address in %d minutes)\n",
			login, rq->addr, by_login, by_addr, POTW_SIGNIN_WINDOW / 60);
		out->retry_after = POTW_SIGNIN_WINDOW;
		page_signin(rq, out, "web.signin.throttled", MHD_HTTP_TOO_MANY_REQUESTS);
		goto done;
	}
	rc = potw_users_check(rq->st, login, pw);
	if (rc < 0)
		goto failed;
	if (rc == 0) {
		fprintf(stderr, "haulgate-potw: web: sign-in of '%.32s' from %s refused: wrong login "
			"or password\n", login, rq->addr);
		rc = potw_signin_failed(rq->st, login, rq->addr, rq->now);
		if (rc)
			goto failed;
		page_signin(rq, out, "web.signin.refused", MHD_HTTP_OK);
		goto done;
	}
	rc = potw_signin_clear(rq->st, login);
	if (!rc && rq->token[0])	/* renewed at sign-in: the old one ends */
		potw_session_end(rq->st, rq->token, rq->now);
	if (!rc)
		rc = potw_session_new(rq->st, login, rq->addr, rq->now, token, &s);
	if (rc)
		goto failed;
	fprintf(stderr, "haulgate-potw: web: %s signed in from %s\n", login, rq->addr);
	web_cookie(out, WEB_SESSION_COOKIE, token, POTW_SESSION_MAX);
	web_cookie(out, WEB_PRE_COOKIE, "", 0);
	web_redirect(out, "/stations");
	sodium_memzero(token, sizeof token);
	goto done;
failed:
	fprintf(stderr, "haulgate-potw: web: sign-in failed: %s\n", hg_error_text());
	web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
done:
	sodium_memzero(pw, sizeof pw);
}

void page_signout(struct web_req *rq, struct web_out *out)
{
	int rc = potw_session_end(rq->st, rq->token, rq->now);

	if (rc && rc != HG_ENOTFOUND)
		fprintf(stderr, "haulgate-potw: web: sign-out: %s\n", hg_error_text());
	else
		fprintf(stderr, "haulgate-potw: web: %s signed out\n", rq->s.login);
	web_cookie(out, WEB_SESSION_COOKIE, "", 0);
	web_redirect(out, "/signin");
}
