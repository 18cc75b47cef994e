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

#include "api.h"
#include "html.h"
#include "store_users.h"
#include "../core/hg.h"
#include "../core/i18n.h"
#include "../core/qr.h"

#define WEB_COOKIES 3
#define WEB_COOKIE_MAX 300
#define WEB_SESSION_COOKIE "__Host-hg_session"
#define WEB_PRE_COOKIE "__Host-hg_signin"	/* the sign-in form's CSRF token */
#define WEB_LANG_COOKIE "__Host-hg_lang"
#define WEB_DISPUTE_COOKIE "__Host-hg_dispute"	/* the dispute form's CSRF token */

struct web_req {
	struct potw_store *st;
	const struct potw_api *api;	/* the plant's keys: the roster's edits */
	const char *method, *path, *query, *body;
	const char *rest;		/* after a prefix route's path ("/haulers/"), or NULL */
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

/* A table's start up to its head's row: the scrolling region labelled by
 * the caption (element id, the text of caption_key with arg for its %s),
 * then "<thead><tr>": the head's cells, the rows and the end are the
 * caller's. */
void web_table_open(struct html *h, const struct web_req *rq, const char *id,
		    const char *caption_key, const char *arg);
/* <h2 id="id">the text of key</h2>. */
void web_section(struct html *h, const struct web_req *rq, const char *id, const char *key);
/* A table in its scrolling region, captioned (the caption's element id,
 * for a page of several tables, the text of caption_key), a head of the
 * texts of cols (NULL-terminated keys), and <tbody>: the rows and
 * web_table_end() are the page's. */
void web_table_id_begin(struct html *h, const struct web_req *rq, const char *id,
			const char *caption_key, const char *const *cols);
/* <p><label for=id>label</label><input id=id name=id value=value extra></p>;
 * bad: marked aria-invalid, described by the element #why (the message
 * saying why).  extra is the program's own attributes ("required ..."). */
void web_input(struct html *h, const char *id, const char *label, const char *value, int bad,
	       const char *extra);
/* <p class="msg" role="alert|status"> the text of key with a1, a2 </p>. */
void web_msg_args(struct html *h, const struct web_req *rq, int alert, const char *key,
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

/* The receipt check (potw/page_receipt.c), the one checker of a receipt's
 * QR text, for /r and the load's page: is it genuine (the signature under
 * the key of the registered station it names), does it match the plant's
 * record of the load it names (field: which does not), is that load held
 * in the station's latest countersigned checkpoint (by an inclusion proof
 * checked against the cosigned note's root). */
enum web_genuine { WR_NONE, WR_MALFORMED, WR_UNKNOWN_STATION, WR_FORGED, WR_GENUINE };
enum web_matches { WR_NO_RECORD, WR_DIFFERS, WR_MATCHES };
enum web_held { WR_NOT_HELD, WR_HELD, WR_PROOF_BAD };
struct web_receipt {
	char query[QR_MAX];		/* /r: the receipt's query, lang= taken off */
	char text[QR_MAX];		/* the receipt's text, as signed */
	struct qr_fields f;		/* genuine: what it says */
	enum web_genuine genuine;
	enum web_matches matches;
	const char *field;		/* WR_DIFFERS: which (receipt_qr_matches()' names) */
	enum web_held held;
	long long seq;			/* the load's event, 0: not here */
	long long cp_size;		/* the latest countersigned checkpoint, 0: none */
	hg_time cp_at;
};
/* Check the receipt QR text (any length: a text too long is malformed)
 * into *c.  HG_OK (c says), or the store's error (said). */
int page_receipt_check(struct web_req *rq, const char *text, struct web_receipt *c);
/* c's answers, each a <p class="verdict ok|bad|wait">, in rq's language
 * (nothing for WR_NONE). */
void page_receipt_verdicts(struct html *h, const struct web_req *rq, const struct web_receipt *c);

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
void page_holds(struct web_req *rq, struct web_out *out);
void page_holds_post(struct web_req *rq, struct web_out *out);
void page_hold_post(struct web_req *rq, struct web_out *out);
void page_haulers(struct web_req *rq, struct web_out *out);
void page_haulers_post(struct web_req *rq, struct web_out *out);
void page_hauler(struct web_req *rq, struct web_out *out);
void page_hauler_post(struct web_req *rq, struct web_out *out);
void page_rv(struct web_req *rq, struct web_out *out);
void page_dashboard(struct web_req *rq, struct web_out *out);
/* The stations' health table (potw/page_stations.c), for the stations
 * page and the dashboard; caption_key names its caption.  0, or -1 (the
 * store failed: said on stderr, nothing written). */
int web_stations_table(const struct web_req *rq, struct html *h, const char *caption_key);

/* Shared by the record pages (potw/page_common.c). */
/* <th scope="col">text of key</th>. */
void web_th(struct html *h, const struct web_req *rq, const char *key);
/* Close the cell before and open the next (web_td_open()). */
void web_td_next(struct html *h, const struct web_req *rq, const char *cls, const char *key);
/* A column of a loads table (web_load_rows()): its heading's key, the
 * listing's column, a class (NULL none), and the catalogue's prefix its
 * codes are read through ("web.waste.": the code's words), NULL for the
 * text as it is. */
struct web_load_col {
	const char *key;
	int col;
	const char *cls;
	const char *codes;
};
/* The head and rows of t (LISTING_LOADS with the station column first),
 * those whose column vcol is verdict (NULL: every one): the station, the
 * load's number linked to its page, then cols[0..n); then the table's
 * end.  The caption and <thead><tr> are the caller's. */
void web_load_rows(struct html *h, const struct web_req *rq, const struct table *t,
		   const char *verdict, int vcol, const struct web_load_col *cols, int n);
/* The value of name in the query (a=1&b=2) into out[cap]: 1 found, 0 not
 * (out ""), -1 bad (out ""). */
int web_query(const struct web_req *rq, const char *name, char *out, size_t cap);
/* The plant's local day of t, "YYYY-MM-DD", into day[11]. */
void web_local_day(hg_time t, char day[11]);
/* A row id (1 to 15 digits, no leading 0) of s into *id: 0, or -1. */
int web_id(const char *s, long long *id);
/* day plus n days (n may be negative) into out[11]: "YYYY-MM-DD".  0, or -1
 * when day is not a date. */
int web_day_add(const char *day, int n, char out[11]);
/* <p class="msg held"> saying key (a load's or a hauler's "under legal hold"),
 * linked to /holds. */
void web_held(struct html *h, const struct web_req *rq, const char *key);

/* The haulers (potw/page_haulers.c): the plant's roster and the haulers of
 * the stations that keep their own, with their loads and samples. */
struct web_hauler {
	int row;		/* of web_haulers.rows (LISTING_HAULERS, a station first) */
	long long loads, samples, gallons;
	char last[11];		/* the day of the last load, "" none */
};
struct web_haulers {
	struct table *rows;
	struct web_hauler *h;
	int n;
};
#define WEB_PERMIT_SOON_DAYS 30
enum { WEB_PERMIT_OK, WEB_PERMIT_SOON, WEB_PERMIT_EXPIRED };
/* Read them: 0, or -1 (said on stderr).  web_haulers_free() after.
 * counts 0: the roster's rows alone, every count and last day left 0 and
 * "" (the dashboard's permits: no walk over every load, which costs a
 * second at 1,000,000 loads; tests/bench/bench_web.c). */
int web_haulers_load(const struct web_req *rq, struct web_haulers *w, int counts);
void web_haulers_free(struct web_haulers *w);
/* Hauler i's column col of LISTING_HAULERS (0 the station, 1 the id ...). */
const char *web_hauler_cell(const struct web_haulers *w, int i, int col);
#define WEB_HC_COMPANY 2
#define WEB_HC_PERMIT 5
#define WEB_HC_TO 7
/* A permit ending on day to, as of today: WEB_PERMIT_*. */
int web_permit_mark(const char *to, const char *today);
/* to, and its mark in words ("expired", "expires within 30 days"). */
void web_permit_cell(struct html *h, const struct web_req *rq, const char *to,
		     const char *today);
/* The haulers' link of hauler i (/haulers/ID[?station=S]). */
void web_hauler_href(struct html *h, const struct web_haulers *w, int i);
/* A form of a command's fields (page_roster.c, page_policy.c,
 * page_users.c): each field named as an option of spec read into
 * vals[i] (the option's index), a->val[i] pointing at it when not empty
 * (an option not given).  0, or -1 said by cli_error() (a field that is
 * not text). */
#define WEB_FIELD_MAX 1024	/* bytes of a form field: a policy value's */
struct cli_opt;
struct cli_args;
int web_form_args(const struct web_req *rq, const struct cli_opt *spec, struct cli_args *a,
		  char vals[][WEB_FIELD_MAX]);
/* A command's refusal: <p role=alert id=why> the text of lead_key (the
 * person's language), then words, the command line's, marked lang="en". */
void web_refusal(struct html *h, const struct web_req *rq, const char *lead_key,
		 const char *words);
/* A roster edit's outcome: the refusal's words (the CLI's, in English),
 * else what ?done= says was done. */
void web_roster_msg(struct html *h, const struct web_req *rq, const char *done,
		    const char *refusal);
/* The haulers page, the page of hauler rq->rest, with a refusal (or NULL). */
void web_haulers_page(struct web_req *rq, struct web_out *out, const char *refusal);
void web_hauler_page(struct web_req *rq, struct web_out *out, const char *refusal);
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
void page_policy(struct web_req *rq, struct web_out *out);
void page_policy_post(struct web_req *rq, struct web_out *out);
void page_stations_post(struct web_req *rq, struct web_out *out);
void page_user_post(struct web_req *rq, struct web_out *out);

#endif
