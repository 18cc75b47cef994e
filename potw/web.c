/* web.c: the plant's pages: routes, sessions, language, headers, static.
 *
 * potw_web_handle() is the whole path of a request: the static folder for
 * /static/NAME (static_file()); else the route of routes[] (method, path,
 * who may), the language (lang_of(): ?lang=, then the cookie it set, then
 * Accept-Language, then English), the session cookie (a session alive in
 * the store), then, for a POST, the form's CSRF token (the session's, or
 * for a visitor's form, sign-in or a dispute, the cookie its route names)
 * and the role, each refused with 403 before the page runs, so a refused
 * form changes nothing.  Every answer goes out through answer() with the same security
 * headers (SECURITY_HEADERS).  The pages themselves are potw/page_*.c; the
 * HTML is written only through potw/html.h.  Start reading at
 * potw_web_handle(). */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "web.h"
#include "web_int.h"
#include "../core/report.h"

#define STATIC_PREFIX "/static/"
#define STATIC_MAX (1024 * 1024)	/* bytes of a static file */
#define STATIC_NAME_MAX 64

struct potw_web {
	struct potw_store *st;
	const struct potw_api *api;
	int dirfd;		/* [web] static, opened once */
};

/* What every answer carries.  No inline script or style anywhere: the CSP
 * allows the server's own files only, and no frame may hold a page. */
static const char *const security_headers[][2] = {
	{ "Content-Security-Policy",
	  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
	  "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'" },
	{ "X-Content-Type-Options", "nosniff" },
	{ "X-Frame-Options", "DENY" },
	{ "Referrer-Policy", "no-referrer" },
	{ "Strict-Transport-Security", "max-age=63072000" },
	{ "Permissions-Policy",
	  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
	{ "Cross-Origin-Opener-Policy", "same-origin" },
	{ "Cross-Origin-Resource-Policy", "same-origin" },
	{ "Cross-Origin-Embedder-Policy", "require-corp" },
};

enum {
	W_SESSION = 1,		/* signed in, or GET: to the sign-in page, POST: 403 */
	W_PRE = 2,		/* POST checked by its form's own cookie (wroute.pre) */
	W_PREFIX = 4		/* path is a prefix: "/disputes/" matches "/disputes/7" */
};
#define ROLES_ALL ((1 << POTW_ROLE_AUDITOR) | (1 << POTW_ROLE_COORDINATOR) | \
		   (1 << POTW_ROLE_ADMIN))
#define ROLE_ADMIN (1 << POTW_ROLE_ADMIN)
#define ROLES_AUDIT ((1 << POTW_ROLE_AUDITOR) | (1 << POTW_ROLE_ADMIN))
#define ROLES_DISPUTES ((1 << POTW_ROLE_AUDITOR) | (1 << POTW_ROLE_COORDINATOR))
#define ROLE_COORDINATOR (1 << POTW_ROLE_COORDINATOR)

struct wroute {
	const char *method, *path;	/* a path ending in '/': that prefix and more */
	void (*fn)(struct web_req *rq, struct web_out *out);
	int flags;
	int roles;		/* bit (1 << role) for each role let in; 0: anyone */
	const char *pre;	/* W_PRE: the cookie the form's token must equal */
};

static void page_home(struct web_req *rq, struct web_out *out);
static void page_signin_get(struct web_req *rq, struct web_out *out);

/* A route flagged W_PREFIX takes its path and anything after it:
 * /haulers/ takes /haulers/ID (the page reads and checks the rest,
 * web_req.rest). */
static const struct wroute routes[] = {
	{ "GET", "/", page_home, 0, 0, NULL },
	{ "GET", "/signin", page_signin_get, 0, 0, NULL },
	{ "POST", "/signin", page_signin_post, W_PRE, 0, WEB_PRE_COOKIE },
	{ "POST", "/signout", page_signout, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/stations", page_stations, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/stations", page_stations_post, W_SESSION, ROLE_ADMIN, NULL },
	{ "GET", "/users", page_users, W_SESSION, ROLE_ADMIN, NULL },
	{ "POST", "/users", page_users_post, W_SESSION, ROLE_ADMIN, NULL },
	{ "POST", "/users/", page_user_post, W_SESSION | W_PREFIX, ROLE_ADMIN, NULL },
	{ "GET", "/policy", page_policy, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/policy", page_policy_post, W_SESSION, ROLE_COORDINATOR, NULL },
	{ "GET", "/log", page_log, W_SESSION, ROLES_AUDIT, NULL },
	{ "GET", "/r", page_receipt, 0, 0, NULL },
	{ "POST", "/r", page_receipt_post, W_PRE, 0, WEB_DISPUTE_COOKIE },
	{ "GET", "/disputes", page_disputes, W_SESSION, ROLES_DISPUTES, NULL },
	{ "POST", "/disputes/", page_disputes_post, W_SESSION | W_PREFIX, ROLE_COORDINATOR, NULL },
	{ "GET", "/holds", page_holds, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/holds", page_holds_post, W_SESSION, ROLE_COORDINATOR, NULL },
	{ "POST", "/holds/", page_hold_post, W_SESSION | W_PREFIX, ROLE_COORDINATOR, NULL },
	{ "GET", "/loads", page_loads, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/loads.csv", page_loads_csv, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/loads/", page_load, W_SESSION | W_PREFIX, ROLES_ALL, NULL },
	{ "GET", "/haulers", page_haulers, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/haulers", page_haulers_post, W_SESSION, ROLE_COORDINATOR, NULL },
	{ "GET", "/haulers/", page_hauler, W_SESSION | W_PREFIX, ROLES_ALL, NULL },
	{ "POST", "/haulers/", page_hauler_post, W_SESSION | W_PREFIX, ROLE_COORDINATOR, NULL },
	{ "GET", "/rv-visits", page_rv, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/samples", page_samples, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/samples/", page_sample, W_SESSION | W_PREFIX, ROLES_ALL, NULL },
	{ "POST", "/samples/", page_sample_post, W_SESSION | W_PREFIX, ROLE_COORDINATOR, NULL },
	{ "GET", "/nov/", page_nov, W_SESSION | W_PREFIX, ROLES_ALL, NULL },
	{ "POST", "/nov/", page_nov_post, W_SESSION | W_PREFIX, ROLE_COORDINATOR, NULL },
	{ "GET", "/limits", page_limits, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/limits", page_limits_post, W_SESSION, ROLE_COORDINATOR, NULL },
	{ "GET", "/fees", page_fees, W_SESSION, ROLES_ALL, NULL },
	{ "POST", "/fees", page_fees_post, W_SESSION, ROLE_COORDINATOR, NULL },
	{ "GET", "/fees/statement", page_statement, W_SESSION, ROLES_ALL, NULL },
	{ "GET", "/fees/statement.csv", page_statement_csv, W_SESSION, ROLES_ALL, NULL },
};

/* ---- helpers of the pages (web_int.h) ---- */

const char *web_t(const struct web_req *rq, const char *key)
{
	return i18n_text(key, rq->lang);
}

void web_tr(struct html *h, const struct web_req *rq, const char *key, const char *a1,
	    const char *a2)
{
	const char *t = web_t(rq, key), *p;
	const char *args[2] = { a1, a2 };
	char seg[512];
	int n = 0;

	while ((p = strstr(t, "%s")) != NULL) {
		size_t k = (size_t)(p - t) < sizeof seg - 1 ? (size_t)(p - t) : sizeof seg - 1;

		memcpy(seg, t, k);
		seg[k] = '\0';
		html_txt(h, seg);
		html_txt(h, n < 2 && args[n] ? args[n] : "");
		n++;
		t = p + 2;
	}
	html_txt(h, t);
}

void web_msg(struct html *h, const struct web_req *rq, const char *key, const char *arg,
	     int alert)
{
	web_msg_args(h, rq, alert, key, arg, NULL);
}

const char *web_utc(hg_time t, char buf[24])
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (t && gmtime_r(&tt, &tm))
		strftime(buf, 24, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

void web_token(char out[POTW_TOKEN_LEN + 1])
{
	uint8_t b[32];

	randombytes_buf(b, sizeof b);
	sodium_bin2base64(out, POTW_TOKEN_LEN + 1, b, sizeof b,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int web_form_token_ok(const struct web_req *rq, const char *want)
{
	char got[POTW_TOKEN_LEN + 2];

	if (strlen(want) != POTW_TOKEN_LEN)
		return 0;
	if (html_form_get(rq->body, rq->len, "csrf", got, sizeof got) != 1 ||
	    strlen(got) != POTW_TOKEN_LEN)
		return 0;
	return sodium_memcmp(got, want, POTW_TOKEN_LEN) == 0;
}

void web_redirect(struct web_out *out, const char *path)
{
	out->status = MHD_HTTP_SEE_OTHER;
	snprintf(out->location, sizeof out->location, "%s", path);
}

void web_cookie(struct web_out *out, const char *name, const char *value, long max_age)
{
	if (out->ncookies >= WEB_COOKIES)
		return;
	snprintf(out->cookies[out->ncookies++], WEB_COOKIE_MAX,
		 "%s=%s; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=%ld", name,
		 max_age ? value : "", max_age);
}

/* ' class="cls"', or nothing when cls is NULL */
static void class_attr(struct html *h, const char *cls)
{
	if (cls) {
		html_raw(h, " class=\"");
		html_attr(h, cls);
		html_raw(h, "\"");
	}
}

/* A scrolling region with its table (class cls, NULL none), the caption
 * (id, key with arg) and the head's row opened: what every table begins
 * with. */
static void table_open(struct html *h, const struct web_req *rq, const char *id,
		       const char *cls, const char *caption_key, const char *arg)
{
	html_raw(h, "<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-labelledby=\"");
	html_attr(h, id);
	html_raw(h, "\"><table");
	class_attr(h, cls);
	html_raw(h, ">\n<caption id=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	web_tr(h, rq, caption_key, arg, NULL);
	html_raw(h, "</caption>\n<thead><tr>");
}

void web_td_open(struct html *h, const struct web_req *rq, const char *cls, const char *label_key)
{
	html_raw(h, "<td");
	class_attr(h, cls);
	html_raw(h, " data-label=\"");
	html_attr(h, web_t(rq, label_key));
	html_raw(h, "\">");
}

void web_table_begin(struct html *h, const struct web_req *rq, const char *cls,
		     const char *caption_key, const char *const *keys, int n)
{
	table_open(h, rq, "cap", cls, caption_key, NULL);
	for (int i = 0; i < n; i++)
		web_th(h, rq, keys[i]);
	html_raw(h, "</tr></thead>\n<tbody>\n");
}

void web_table_end(struct html *h)
{
	html_raw(h, "</tbody>\n</table></div>\n");
}

void web_td(struct html *h, const struct web_req *rq, const char *cls, const char *label_key,
	    const char *text)
{
	web_td_open(h, rq, cls, label_key);
	html_txt(h, text);
	html_raw(h, "</td>");
}

void web_csrf_field(const struct web_req *rq, struct html *h)
{
	html_raw(h, "<input type=\"hidden\" name=\"csrf\" value=\"");
	html_attr(h, rq->s.csrf);
	html_raw(h, "\">");
}

void web_table_open(struct html *h, const struct web_req *rq, const char *id,
		    const char *caption_key, const char *arg)
{
	table_open(h, rq, id, NULL, caption_key, arg);
}

void web_section(struct html *h, const struct web_req *rq, const char *id, const char *key)
{
	html_raw(h, "<h2 id=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</h2>\n");
}

void web_table_id_begin(struct html *h, const struct web_req *rq, const char *id,
			const char *caption_key, const char *const *cols)
{
	web_table_open(h, rq, id, caption_key, NULL);
	for (; *cols; cols++)
		web_th(h, rq, *cols);
	html_raw(h, "</tr></thead>\n<tbody>\n");
}

void web_input(struct html *h, const char *id, const char *label, const char *value, int bad,
	       const char *extra)
{
	html_raw(h, "<p><label for=\"");
	html_attr(h, id);
	html_raw(h, "\">");
	html_txt(h, label);
	html_raw(h, "</label>\n<input id=\"");
	html_attr(h, id);
	html_raw(h, "\" name=\"");
	html_attr(h, id);
	html_raw(h, "\" value=\"");
	html_attr(h, value);
	html_raw(h, bad ? "\" aria-invalid=\"true\" aria-describedby=\"why\" " : "\" ");
	html_raw(h, extra);
	html_raw(h, "></p>\n");
}

void web_msg_args(struct html *h, const struct web_req *rq, int alert, const char *key,
		  const char *a1, const char *a2)
{
	html_raw(h, alert ? "<p class=\"msg\" role=\"alert\">" : "<p class=\"msg\" role=\"status\">");
	web_tr(h, rq, key, a1, a2);
	html_raw(h, "</p>\n");
}

const char *web_load_path(const char *station, long long load_no, char *buf, size_t cap)
{
	snprintf(buf, cap, "/loads/%s/%lld", station, load_no);
	return buf;
}

const char *web_path_rest(const struct web_req *rq, const char *prefix)
{
	size_t n = strlen(prefix);

	return strncmp(rq->path, prefix, n) ? "" : rq->path + n;
}

/* A link to the page itself in language l (its query after the language,
 * when the page keeps one: the receipt check's). */
static void lang_link(const struct web_req *rq, struct html *h, enum lang l, const char *name)
{
	html_raw(h, "<a href=\"");
	html_attr(h, rq->path);
	html_raw(h, "?lang=");
	html_url_arg(h, i18n_lang_code(l));
	if (rq->keep_query && rq->keep_query[0]) {
		html_raw(h, "&amp;");
		html_attr(h, rq->keep_query);
	}
	html_raw(h, "\" lang=\"");
	html_attr(h, i18n_lang_code(l));
	html_raw(h, "\" hreflang=\"");
	html_attr(h, i18n_lang_code(l));
	html_raw(h, rq->lang == l ? "\" aria-current=\"true\">" : "\">");
	html_txt(h, name);
	html_raw(h, "</a>");
}

static void nav_link(const struct web_req *rq, struct html *h, const char *path,
		     const char *key)
{
	html_raw(h, "<li><a href=\"");
	html_attr(h, path);
	html_raw(h, strcmp(rq->path, path) ? "\">" : "\" aria-current=\"page\">");
	html_txt(h, web_t(rq, key));
	html_raw(h, "</a></li>");
}

void web_begin(const struct web_req *rq, struct web_out *out, const char *title_key)
{
	struct html *h = &out->h;
	char who[POTW_LOGIN_MAX + 40];

	html_raw(h, "<!DOCTYPE html>\n<html lang=\"");
	html_attr(h, i18n_lang_code(rq->lang));
	html_raw(h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
		 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		 "<title>");
	html_txt(h, web_t(rq, title_key));
	html_raw(h, " \xE2\x80\x94 ");
	html_txt(h, web_t(rq, "web.site"));
	html_raw(h, "</title>\n<link rel=\"stylesheet\" href=\"/static/web.css\">\n</head>\n"
		 "<body>\n<a class=\"skip\" href=\"#main\">");
	html_txt(h, web_t(rq, "web.skip"));
	html_raw(h, "</a>\n<header>\n<p class=\"site\">");
	html_txt(h, web_t(rq, "web.site"));
	html_raw(h, "</p>\n");
	if (rq->signed_in) {
		html_raw(h, "<nav aria-label=\"");
		html_attr(h, web_t(rq, "web.nav"));
		html_raw(h, "\"><ul>");
		nav_link(rq, h, "/", "web.dash.title");
		nav_link(rq, h, "/loads", "web.loads.title");
		nav_link(rq, h, "/haulers", "web.haulers.title");
		nav_link(rq, h, "/rv-visits", "web.rv.title");
		nav_link(rq, h, "/stations", "web.stations.title");
		if (rq->s.role == POTW_ROLE_ADMIN)
			nav_link(rq, h, "/users", "web.users.title");
		nav_link(rq, h, "/samples", "web.samples.title");
		nav_link(rq, h, "/limits", "web.limits.title");
		nav_link(rq, h, "/fees", "web.fees.title");
		nav_link(rq, h, "/policy", "web.policy.title");
		if (rq->s.role == POTW_ROLE_ADMIN || rq->s.role == POTW_ROLE_AUDITOR)
			nav_link(rq, h, "/log", "web.log.title");
		if (rq->s.role == POTW_ROLE_COORDINATOR || rq->s.role == POTW_ROLE_AUDITOR)
			nav_link(rq, h, "/disputes", "web.disputes.title");
		nav_link(rq, h, "/holds", "web.holds.title");
		html_raw(h, "</ul></nav>\n<div class=\"who\"><span>");
		snprintf(who, sizeof who, "%s (%s)", rq->s.login,
			 web_t(rq, rq->s.role == POTW_ROLE_ADMIN ? "web.role.admin" :
			       rq->s.role == POTW_ROLE_COORDINATOR ? "web.role.coordinator" :
			       "web.role.auditor"));
		web_tr(h, rq, "web.signed_in_as", who, NULL);
		html_raw(h, "</span>\n<form method=\"post\" action=\"/signout\">");
		web_csrf_field(rq, h);
		html_raw(h, "<button type=\"submit\">");
		html_txt(h, web_t(rq, "web.signout"));
		html_raw(h, "</button></form></div>\n");
	}
	html_raw(h, "<nav class=\"lang\" aria-label=\"");
	html_attr(h, web_t(rq, "web.nav.lang"));
	html_raw(h, "\">");
	lang_link(rq, h, LANG_EN, "English");
	html_raw(h, " ");
	lang_link(rq, h, LANG_ES, "Espa\xC3\xB1ol");
	html_raw(h, "</nav>\n</header>\n<main id=\"main\">\n<h1>");
	html_txt(h, web_t(rq, title_key));
	html_raw(h, "</h1>\n");
}

void web_end(struct web_out *out)
{
	html_raw(&out->h, "</main>\n</body>\n</html>\n");
}

void web_error(const struct web_req *rq, struct web_out *out, unsigned int status,
	       const char *key)
{
	html_free(&out->h);
	html_init(&out->h, 0);
	out->status = status;
	out->location[0] = '\0';
	web_begin(rq, out, "web.error.title");
	html_raw(&out->h, "<p role=\"alert\">");
	html_txt(&out->h, web_t(rq, key));
	html_raw(&out->h, "</p>\n<p><a href=\"/stations\">");
	html_txt(&out->h, web_t(rq, "web.error.back"));
	html_raw(&out->h, "</a></p>\n");
	web_end(out);
}

/* The dashboard for a session (potw/page_dashboard.c), else the sign-in. */
static void page_home(struct web_req *rq, struct web_out *out)
{
	if (rq->signed_in)
		page_dashboard(rq, out);
	else
		web_redirect(out, "/signin");
}

/* The form even when signed in: signing in again (as another account, or
 * the same) ends the session held and makes a new one. */
static void page_signin_get(struct web_req *rq, struct web_out *out)
{
	page_signin(rq, out, NULL, MHD_HTTP_OK);
}

/* ---- the request ---- */

/* The language: ?lang=en|es (kept in a cookie), the cookie, the first of
 * en or es in Accept-Language by its weight, English. */
static enum lang lang_of(struct MHD_Connection *conn, const char *query, struct web_out *out)
{
	const char *c, *al, *p;
	char v[8];
	int l, best = LANG_EN;
	double bestq = -1;

	if (query && html_form_get(query, strlen(query), "lang", v, sizeof v) == 1 &&
	    (l = i18n_lang_parse(v)) >= 0) {
		web_cookie(out, WEB_LANG_COOKIE, i18n_lang_code((enum lang)l), 31536000);
		return (enum lang)l;
	}
	c = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, WEB_LANG_COOKIE);
	if (c && (l = i18n_lang_parse(c)) >= 0)
		return (enum lang)l;
	al = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language");
	for (p = al; p && *p;) {
		const char *end = strchr(p, ',');
		const char *qs;
		char tag[3];
		double q = 1.0;

		while (*p == ' ')
			p++;
		l = -1;
		if (p[0] && p[1] && (p[2] == '-' || p[2] == ';' || p[2] == ',' || p[2] == ' ' ||
				     p[2] == '\0')) {
			tag[0] = (char)(p[0] | 0x20);
			tag[1] = (char)(p[1] | 0x20);
			tag[2] = '\0';
			l = i18n_lang_parse(tag);
		}
		qs = strstr(p, ";q=");
		if (qs && (!end || qs < end))
			q = strtod(qs + 3, NULL);
		if (l >= 0 && q > 0 && q > bestq) {
			best = l;
			bestq = q;
		}
		if (!end)
			break;
		p = end + 1;
	}
	return (enum lang)best;
}

static void client_addr(struct MHD_Connection *conn, char out[POTW_ADDR_MAX])
{
	const union MHD_ConnectionInfo *ci;
	const struct sockaddr *sa;
	socklen_t n;

	snprintf(out, POTW_ADDR_MAX, "?");
	ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (!ci || !ci->client_addr)
		return;
	sa = ci->client_addr;
	n = sa->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if (getnameinfo(sa, n, out, POTW_ADDR_MAX, NULL, 0, NI_NUMERICHOST) != 0)
		snprintf(out, POTW_ADDR_MAX, "?");
}

/* Copy a cookie of conn (a token's form only) into out. */
static void cookie_token(struct MHD_Connection *conn, const char *name,
			 char out[POTW_TOKEN_LEN + 1])
{
	const char *v = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, name);

	out[0] = '\0';
	if (v && strlen(v) == POTW_TOKEN_LEN)
		memcpy(out, v, POTW_TOKEN_LEN + 1);
}

/* Send r (destroyed here) with the headers of every answer. */
static enum MHD_Result send_response(struct MHD_Connection *conn, struct web_out *out,
				     const struct web_req *rq, struct MHD_Response *r,
				     const char *ctype, int cache)
{
	enum MHD_Result ret;
	char ra[16];
	size_t i;
	int c;

	for (i = 0; i < HG_ARRAY_LEN(security_headers); i++)
		MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
	MHD_add_response_header(r, "Content-Type", ctype);
	MHD_add_response_header(r, "Cache-Control", cache ? "private, max-age=3600" : "no-store");
	if (!cache) {
		MHD_add_response_header(r, "Content-Language", i18n_lang_code(rq->lang));
		MHD_add_response_header(r, "Vary", "Cookie, Accept-Language");
	}
	if (out->location[0])
		MHD_add_response_header(r, "Location", out->location);
	if (out->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", out->disposition);
	for (c = 0; c < out->ncookies; c++)
		MHD_add_response_header(r, "Set-Cookie", out->cookies[c]);
	if (out->retry_after) {
		snprintf(ra, sizeof ra, "%d", out->retry_after);
		MHD_add_response_header(r, "Retry-After", ra);
	}
	ret = MHD_queue_response(conn, out->status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result answer(struct MHD_Connection *conn, struct web_out *out,
			    const struct web_req *rq, const char *ctype, void *data, size_t len,
			    int cache)
{
	struct MHD_Response *r;

	r = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	return send_response(conn, out, rq, r, ctype, cache);
}

/* The page's stream, its reader called by libmicrohttpd as the client
 * takes the bytes; the reader's ctx is freed by its done whatever happens. */
static enum MHD_Result answer_stream(struct MHD_Connection *conn, struct web_out *out,
				     const struct web_req *rq)
{
	struct web_stream *ws = &out->stream;
	struct MHD_Response *r;

	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, ws->read, ws->ctx,
					      ws->done);
	if (!r) {
		ws->done(ws->ctx);
		return MHD_NO;
	}
	if (ws->disposition[0])
		MHD_add_response_header(r, "Content-Disposition", ws->disposition);
	return send_response(conn, out, rq, r, ws->ctype, 0);
}

/* ---- the static folder ---- */

static const char *static_type(const char *name)
{
	static const char *const types[][2] = {
		{ ".css", "text/css; charset=utf-8" },
		{ ".js", "text/javascript; charset=utf-8" },
		{ ".svg", "image/svg+xml" },
		{ ".png", "image/png" },
	};
	size_t i, n = strlen(name), e;

	for (i = 0; i < HG_ARRAY_LEN(types); i++) {
		e = strlen(types[i][0]);
		if (n > e && !strcmp(name + n - e, types[i][0]))
			return types[i][1];
	}
	return NULL;
}

/* Is name a file name of the static folder: letters, digits, '.', '_',
 * '-' only, no '/' and no '.' first (so never '..'), a known kind? */
static int static_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > STATIC_NAME_MAX || name[0] == '.' || strstr(name, ".."))
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= 'A' && name[i] <= 'Z') ||
		      (name[i] >= '0' && name[i] <= '9') || name[i] == '.' || name[i] == '_' ||
		      name[i] == '-'))
			return 0;
	return static_type(name) != NULL;
}

/* GET /static/NAME: a regular file directly inside the folder (openat,
 * no symbolic link followed), or 404. */
static enum MHD_Result static_file(struct potw_web *w, struct MHD_Connection *conn,
				   struct web_req *rq, struct web_out *out, const char *name)
{
	struct stat sb;
	enum MHD_Result ret;
	char *data;
	ssize_t got;
	int fd;

	fd = static_name_ok(name) && w->dirfd >= 0 ? openat(w->dirfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) : -1;
	if (fd < 0 || fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) || sb.st_size > STATIC_MAX) {
		if (fd >= 0)
			close(fd);
		fprintf(stderr, "haulgate-potw: web: static '%.80s' refused (from %s)\n", name,
			rq->addr);
		web_error(rq, out, MHD_HTTP_NOT_FOUND, "web.error.404");
		return answer(conn, out, rq, "text/html; charset=utf-8", out->h.buf, out->h.len, 0);
	}
	data = malloc((size_t)sb.st_size + 1);
	got = data ? read(fd, data, (size_t)sb.st_size) : -1;
	close(fd);
	if (got != sb.st_size) {
		free(data);
		web_error(rq, out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
		return answer(conn, out, rq, "text/html; charset=utf-8", out->h.buf, out->h.len, 0);
	}
	out->status = MHD_HTTP_OK;
	ret = answer(conn, out, rq, static_type(name), data, (size_t)got, 1);
	free(data);
	return ret;
}

/* ---- the way in ---- */

static const struct wroute *route_of(const char *method, const char *path, int *path_known)
{
	size_t i, n;

	*path_known = 0;
	for (i = 0; i < HG_ARRAY_LEN(routes); i++) {
		n = strlen(routes[i].path);
		if ((routes[i].flags & W_PREFIX) ? strncmp(routes[i].path, path, n) || !path[n] :
		    strcmp(routes[i].path, path) != 0)
			continue;
		*path_known = 1;
		if (!strcmp(routes[i].method, method))
			return &routes[i];
	}
	return NULL;
}

enum MHD_Result potw_web_handle(struct potw_web *w, struct MHD_Connection *conn,
				const char *method, const char *url, const char *query,
				const char *body, size_t len)
{
	const struct wroute *rt;
	struct web_req rq;
	struct web_out out;
	enum MHD_Result ret;
	int known, post = !strcmp(method, "POST"), rc;

	memset(&rq, 0, sizeof rq);
	memset(&out, 0, sizeof out);
	html_init(&out.h, 0);
	out.status = MHD_HTTP_OK;
	rq.st = w->st;
	rq.api = w->api;
	rq.method = method;
	rq.path = url;
	rq.query = query;
	rq.body = body;
	rq.len = body ? len : 0;
	rq.now = (hg_time)time(NULL);
	rq.lang = lang_of(conn, query, &out);
	client_addr(conn, rq.addr);
	rq.host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
	rq.plant_pk = w->api->pk;
	rq.plant_key_name = w->api->key_name;
	cookie_token(conn, WEB_SESSION_COOKIE, rq.token);
	if (rq.token[0]) {
		rc = potw_session_get(w->st, rq.token, rq.now, &rq.s);
		rq.signed_in = rc == HG_OK;
		if (rc && rc != HG_ENOTFOUND)
			fprintf(stderr, "haulgate-potw: web: %s\n", hg_error_text());
	}

	if ((!strcmp(method, "GET") || !strcmp(method, "HEAD")) &&
	    !strncmp(url, STATIC_PREFIX, strlen(STATIC_PREFIX))) {
		ret = static_file(w, conn, &rq, &out, url + strlen(STATIC_PREFIX));
		html_free(&out.h);
		return ret;
	}
	/* HEAD is GET without the body (libmicrohttpd leaves it out) */
	rt = route_of(strcmp(method, "HEAD") ? method : "GET", url, &known);
	if (rt && rt->pre)
		cookie_token(conn, rt->pre, rq.pre);
	if (!rt) {
		web_error(&rq, &out, known ? MHD_HTTP_METHOD_NOT_ALLOWED : MHD_HTTP_NOT_FOUND,
			  "web.error.404");
	} else if (post && len > POTW_WEB_BODY_MAX) {
		web_error(&rq, &out, MHD_HTTP_CONTENT_TOO_LARGE, "web.error.413");
	} else if ((rt->flags & W_SESSION) && !rq.signed_in && !post) {
		if (rq.token[0])	/* it had one: expired or ended */
			web_cookie(&out, WEB_SESSION_COOKIE, "", 0);
		web_redirect(&out, "/signin");
	} else if ((rt->flags & W_SESSION) && !rq.signed_in) {
		fprintf(stderr, "haulgate-potw: web: %s %s refused: not signed in (from %s)\n",
			method, url, rq.addr);
		web_error(&rq, &out, MHD_HTTP_FORBIDDEN, "web.error.403");
	} else if (post && (rt->flags & W_SESSION) && !web_form_token_ok(&rq, rq.s.csrf)) {
		fprintf(stderr, "haulgate-potw: web: %s %s by %s refused: no valid CSRF token\n",
			method, url, rq.s.login);
		web_error(&rq, &out, MHD_HTTP_FORBIDDEN, "web.error.403");
	} else if (post && (rt->flags & W_PRE) && (!rq.pre[0] || !web_form_token_ok(&rq, rq.pre))) {
		fprintf(stderr, "haulgate-potw: web: %s %s refused: no valid CSRF token (from %s)\n",
			method, url, rq.addr);
		web_error(&rq, &out, MHD_HTTP_FORBIDDEN, "web.error.403");
	} else if (rt->roles && !(rt->roles & (1 << rq.s.role))) {
		fprintf(stderr, "haulgate-potw: web: %s %s by %s (%s) refused: role\n", method, url,
			rq.s.login, potw_role_name(rq.s.role));
		web_error(&rq, &out, MHD_HTTP_FORBIDDEN, "web.error.403");
	} else {
		if (rt->flags & W_PREFIX)
			rq.rest = url + strlen(rt->path);
		rt->fn(&rq, &out);
	}
	if (out.stream.read && html_failed(&out.h)) {	/* not begun: never sent */
		out.stream.done(out.stream.ctx);
		out.stream.read = NULL;
	}
	if (html_failed(&out.h))
		web_error(&rq, &out, MHD_HTTP_INTERNAL_SERVER_ERROR, "web.error.500");
	if (out.stream.read)
		ret = answer_stream(conn, &out, &rq);
	else if (out.location[0])
		ret = answer(conn, &out, &rq, "text/plain; charset=utf-8", (void *)"", 0, 0);
	else if (out.data && out.ctype && out.status == MHD_HTTP_OK)
		ret = answer(conn, &out, &rq, out.ctype, out.data, out.data_len, 0);
	else
		ret = answer(conn, &out, &rq, "text/html; charset=utf-8", out.h.buf ? out.h.buf : "",
			   out.h.len, 0);
	html_free(&out.h);
	free(out.data);
	sodium_memzero(&rq.s, sizeof rq.s);
	return ret;
}

int potw_web_open(const struct potw_config *cfg, const struct potw_api *api,
		  struct potw_web **out)
{
	struct potw_web *w;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return hg_fail(HG_ENOMEM, "out of memory");
	w->st = api->st;
	w->api = api;
	w->dirfd = open(cfg->web_static, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (w->dirfd < 0)	/* the sync goes on; the pages lose their style sheet */
		fprintf(stderr, "haulgate-potw: warning: [web] static: cannot open the folder "
			"'%s': %s; /static/ answers 404\n", cfg->web_static, strerror(errno));
	*out = w;
	return HG_OK;
}

void potw_web_close(struct potw_web *w)
{
	if (!w)
		return;
	if (w->dirfd >= 0)
		close(w->dirfd);
	free(w);
}
