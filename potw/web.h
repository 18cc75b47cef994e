/* web.h: the plant's pages in a browser, beside the sync's /api/v1/.
 *
 * potw/server.c hands every request whose path is not under /api/ to
 * potw_web_handle() once its body is in.  potw/web.c routes it (a table
 * of method, path, role and page function), reads the session cookie and
 * the page language, checks the form's CSRF token and the role, and sends
 * what the page (potw/page_*.c) wrote with the security headers every page
 * has; /static/NAME is a file of [web] static and of nothing else.
 * docs/WEB.md tells the whole. */
#ifndef POTW_WEB_H
#define POTW_WEB_H

#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

#include "potw_config.h"
#include "store.h"

#define POTW_WEB_BODY_MAX 65536	/* bytes of a form posted to a page */

struct potw_web;

/* Open the static folder of cfg ([web] static: kept open, every file is
 * taken from inside it) over st; plant_pk under plant_key_name is the
 * plant's note key, which the receipt check needs on a checkpoint's
 * cosignature.  A folder that cannot be opened is a warning on stderr, not
 * an error (the sync must go on; /static/ is 404 then).  HG_OK or
 * HG_ENOMEM. */
int potw_web_open(const struct potw_config *cfg, struct potw_store *st, const uint8_t plant_pk[32],
		  const char *plant_key_name, struct potw_web **out);
void potw_web_close(struct potw_web *w);

/* Answer the request of conn: method, url (decoded, as libmicrohttpd
 * gives it), query (what followed '?' as sent, or NULL), body[len] (a
 * posted form, or NULL). */
enum MHD_Result potw_web_handle(struct potw_web *w, struct MHD_Connection *conn,
				const char *method, const char *url, const char *query,
				const char *body, size_t len);

#endif
