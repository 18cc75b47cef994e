/* web_int.h: what potw/web.c shares with the page files (potw/page_*.c).
 *
 * A page is one function of a request and an answer: it reads what
 * web.c found out (the session, the language, the form) and writes HTML
 * into out->h only through potw/html.h's writers, between web_begin() and
 * web_end(), or answers a redirect (web_redirect()).  The role and the
 * CSRF token are checked by web.c before a page runs; a page that changes
 * something logs it with the session's login as its actor. */
#ifndef POTW_WEB_INT_H
#define POTW_WEB_INT_H

#include "html.h"
#include "store_users.h"
#include "../core/hg.h"
#include "../core/i18n.h"

#define WEB_COOKIES 3
#define WEB_COOKIE_MAX 300
#define WEB_SESSION_COOKIE "__Host-hg_session"
#define WEB_PRE_COOKIE "__Host-hg_signin"	/* the sign-in form's CSRF token */
#define WEB_LANG_COOKIE "__Host-hg_lang"

struct web_req {
	struct potw_store *st;
	const char *method, *path, *query, *body;
	size_t len;
	enum lang lang;
	char addr[POTW_ADDR_MAX];	/* the client's numeric address */
	int signed_in;
	struct potw_session s;		/* when signed_in */
	char token[POTW_TOKEN_LEN + 1];	/* the session cookie's value, "" none */
	char pre[POTW_TOKEN_LEN + 1];	/* the sign-in form's cookie, "" none */
	hg_time now;
};

struct web_out {
	unsigned int status;
	struct html h;
	char location[256];		/* a 303's target, "" none */
	char cookies[WEB_COOKIES][WEB_COOKIE_MAX];
	int ncookies;
	int retry_after;		/* seconds, 0: no Retry-After */
	/* a body that is not a page (a CSV export): malloc'd by the page,
	 * sent as ctype with Content-Disposition, freed by web.c */
	char *data;
	size_t data_len;
	const char *ctype;
	char disposition[128];
};

/* The catalogue's text of key in rq's language (assets/i18n, en.po and es.po). */
const char *web_t(const struct web_req *rq, const char *key);
/* The text of key written escaped, each "%s" in it replaced by the next
 * of a1, a2 (escaped too; NULL: ""). */
void web_tr(struct html *h, const struct web_req *rq, const char *key, const char *a1,
	    const char *a2);
/* The page's head, the menu (by role) and <main>: title_key names the
 * title. */
void web_begin(const struct web_req *rq, struct web_out *out, const char *title_key);
/* </main> and the end of the page. */
void web_end(struct web_out *out);
/* <input type=hidden name=csrf> of the session. */
void web_csrf_field(const struct web_req *rq, struct html *h);
/* A 303 to path. */
void web_redirect(struct web_out *out, const char *path);
/* Add a Set-Cookie: name=value with Path=/; Secure; HttpOnly;
 * SameSite=Strict and max_age seconds (0: removed). */
void web_cookie(struct web_out *out, const char *name, const char *value, long max_age);
/* An error page of status (403, 404, 413, 429, 500) saying key. */
void web_error(const struct web_req *rq, struct web_out *out, unsigned int status,
	       const char *key);
/* t as "YYYY-MM-DD HH:MM" UTC into buf[24]. */
const char *web_utc(hg_time t, char buf[24]);
/* A new random token (32 bytes, base64url) into out. */
void web_token(char out[POTW_TOKEN_LEN + 1]);
/* Does the form's field name equal want (constant time)?  1/0. */
int web_form_token_ok(const struct web_req *rq, const char *want);

/* <th scope="col">, the text of key, </th>. */
void web_th(struct html *h, const struct web_req *rq, const char *key);
/* <td data-label="the text of key" (class cls, NULL none)> (the phone's
 * folded table shows the label). */
void web_td(struct html *h, const struct web_req *rq, const char *key, const char *cls);
/* A table in its scrolling region, captioned (the caption's element id,
 * the text of caption_key), a head of the texts of cols (NULL-terminated
 * keys), and <tbody>: the rows and "</tbody></table></div>" are the
 * page's. */
void web_table_begin(struct html *h, const struct web_req *rq, const char *id,
		     const char *caption_key, const char *const *cols);
/* A whole cell: web_td(), text, </td>. */
void web_cell(struct html *h, const struct web_req *rq, const char *key, const char *cls,
	      const char *text);
/* <p><label for=id>label</label><input id=id name=id value=value extra></p>;
 * bad: marked aria-invalid, described by the element #why (the message
 * saying why).  extra is the program's own attributes ("required ..."). */
void web_input(struct html *h, const char *id, const char *label, const char *value, int bad,
	       const char *extra);
/* <p class="msg" role="alert|status"> the text of key with a1, a2 </p>. */
void web_msg(struct html *h, const struct web_req *rq, int alert, const char *key,
	     const char *a1, const char *a2);
/* The path of a load's record page (/loads/STATION/N) into buf[cap]. */
const char *web_load_path(const char *station, long long load_no, char *buf, size_t cap);
/* The part of rq->path after a route's prefix ("/samples/"), "" none. */
const char *web_path_rest(const struct web_req *rq, const char *prefix);

/* What the sample's page and the notice's share (potw/page_samples.c):
 * the load's facts as a <dl> (0 or an error), and its results (nov_id:
 * those of one notice, 0: all the load's) as a table under caption_key
 * (the number of rows, or an error). */
struct potw_lab_load;
int page_load_facts(const struct web_req *rq, struct html *h, const struct potw_lab_load *ld);
int page_results_table(const struct web_req *rq, struct html *h, const char *station,
		       long long load_no, long long nov_id, const char *caption_key);

/* The pages (potw/page_*.c). */
void page_signin(struct web_req *rq, struct web_out *out, const char *msg_key,
		 unsigned int status);
void page_signin_post(struct web_req *rq, struct web_out *out);
void page_signout(struct web_req *rq, struct web_out *out);
void page_stations(struct web_req *rq, struct web_out *out);
void page_users(struct web_req *rq, struct web_out *out);
void page_users_post(struct web_req *rq, struct web_out *out);
void page_log(struct web_req *rq, struct web_out *out);
void page_samples(struct web_req *rq, struct web_out *out);
void page_sample(struct web_req *rq, struct web_out *out);
void page_sample_post(struct web_req *rq, struct web_out *out);
void page_nov(struct web_req *rq, struct web_out *out);
void page_nov_post(struct web_req *rq, struct web_out *out);
void page_limits(struct web_req *rq, struct web_out *out);
void page_limits_post(struct web_req *rq, struct web_out *out);
void page_fees(struct web_req *rq, struct web_out *out);
void page_fees_post(struct web_req *rq, struct web_out *out);
void page_statement(struct web_req *rq, struct web_out *out);
void page_statement_csv(struct web_req *rq, struct web_out *out);

#endif
