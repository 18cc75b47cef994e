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

#include <stdint.h>
#include <sys/types.h>

#include "html.h"
#include "store_users.h"
#include "../core/hg.h"
#include "../core/i18n.h"

#define WEB_COOKIES 3
#define WEB_COOKIE_MAX 300
#define WEB_SESSION_COOKIE "__Host-hg_session"
#define WEB_PRE_COOKIE "__Host-hg_signin"	/* the sign-in form's CSRF token */
#define WEB_LANG_COOKIE "__Host-hg_lang"
#define WEB_DISPUTE_COOKIE "__Host-hg_dispute"	/* the dispute form's CSRF token */

struct web_req {
	struct potw_store *st;
	const char *method, *path, *query, *body;
	size_t len;
	enum lang lang;
	char addr[POTW_ADDR_MAX];	/* the client's numeric address */
	int signed_in;
	struct potw_session s;		/* when signed_in */
	char token[POTW_TOKEN_LEN + 1];	/* the session cookie's value, "" none */
	char pre[POTW_TOKEN_LEN + 1];	/* a W_PRE form's cookie (the route's), "" none */
	const char *host;		/* the Host header, or NULL */
	const uint8_t *plant_pk;	/* the plant's note key, 32 bytes */
	const char *plant_key_name;	/* its name (haulgate.potw/<name>) */
	const char *keep_query;		/* a query the language links keep (after lang=) */
	hg_time now;
};

/* An answer written while it is sent (web_out's stream): libmicrohttpd's
 * content reader, called for the next bytes until it says the end; done
 * frees ctx once the answer is over (sent or not). */
struct web_stream {
	ssize_t (*read)(void *ctx, uint64_t pos, char *buf, size_t max);
	void (*done)(void *ctx);
	void *ctx;
	const char *ctype;		/* Content-Type */
	char disposition[128];		/* Content-Disposition, "" none */
};

struct web_out {
	unsigned int status;
	struct web_stream stream;	/* read set: the answer is streamed from it */
	struct html h;
	char location[256];		/* a 303's target, "" none */
	char cookies[WEB_COOKIES][WEB_COOKIE_MAX];
	int ncookies;
	int retry_after;		/* seconds, 0: no Retry-After */
};

/* The catalogue's text of key in rq's language (assets/i18n, en.po and es.po). */
const char *web_t(const struct web_req *rq, const char *key);
/* The text of key written escaped, each "%s" in it replaced by the next
 * of a1, a2 (escaped too; NULL: ""). */
void web_tr(struct html *h, const struct web_req *rq, const char *key, const char *a1,
	    const char *a2);
/* A message paragraph saying key (with arg): role "alert" when alert (a
 * refusal, a fault), else "status" (done). */
void web_msg(struct html *h, const struct web_req *rq, const char *key, const char *arg,
	     int alert);
/* The page's head, the menu (by role) and <main>: title_key names the
 * title. */
void web_begin(const struct web_req *rq, struct web_out *out, const char *title_key);
/* </main> and the end of the page. */
void web_end(struct web_out *out);
/* A table's start: a scrolling region labelled by the table's caption
 * (id "cap": one such table a page), <table class="cls"> (cls NULL: none),
 * the caption (caption_key's text), a head of one <th scope="col"> per key
 * of keys[0..n), and <tbody>. */
void web_table_begin(struct html *h, const struct web_req *rq, const char *cls,
		     const char *caption_key, const char *const *keys, int n);
/* </tbody></table></div>. */
void web_table_end(struct html *h);
/* <td class="cls" data-label="label_key's text"> (cls NULL: no class): a
 * phone shows the label beside the value (web.css folds each row into a
 * block).  web_td(): the same, then text and </td>. */
void web_td_open(struct html *h, const struct web_req *rq, const char *cls,
		 const char *label_key);
void web_td(struct html *h, const struct web_req *rq, const char *cls, const char *label_key,
	    const char *text);
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

/* The pages (potw/page_*.c). */
void page_signin(struct web_req *rq, struct web_out *out, const char *msg_key,
		 unsigned int status);
void page_signin_post(struct web_req *rq, struct web_out *out);
void page_signout(struct web_req *rq, struct web_out *out);
void page_stations(struct web_req *rq, struct web_out *out);
void page_users(struct web_req *rq, struct web_out *out);
void page_users_post(struct web_req *rq, struct web_out *out);
void page_log(struct web_req *rq, struct web_out *out);
void page_loads(struct web_req *rq, struct web_out *out);
void page_loads_csv(struct web_req *rq, struct web_out *out);
void page_load(struct web_req *rq, struct web_out *out);
void page_receipt(struct web_req *rq, struct web_out *out);
void page_receipt_post(struct web_req *rq, struct web_out *out);
void page_disputes(struct web_req *rq, struct web_out *out);
void page_disputes_post(struct web_req *rq, struct web_out *out);

#endif
