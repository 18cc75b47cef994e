/* server.c: the plant's HTTPS server on libmicrohttpd.
 *
 * One daemon with its own pool of threads (MHD_OPTION_THREAD_POOL_SIZE, a
 * fixed count from potw.ini) and GnuTLS limited to TLS 1.2 and 1.3
 * (POTW_TLS_PRIORITIES).  A request is dispatched by routes[], a table of
 * method, path, handler and flags; a handler answers JSON through reply().
 * A route with R_BODY has its body gathered first (at most POTW_BODY_MAX
 * bytes: more is 413, said before a byte is kept when Content-Length says
 * so); a route with R_SIGNED has the request's RFC 9421 signature checked
 * (potw/api_sync.c, core/httpsig.c) before its handler runs, which then
 * knows which station is asking.  Routes match the path alone; the query is
 * kept as sent (on_uri(), before libmicrohttpd decodes the target), covered
 * by the signature as @query, and refused on a route without R_QUERY.  The
 * sync's endpoints are potw/api.h's; every path not under /api/ is a page
 * of potw/web.c (web_route: its body gathered, then potw_web_handle()).
 * Beside the daemon, the background verifier's thread (potw/verifier.h),
 * stopped after the daemon, whose pages read its results.  Start reading at potw_server_start(). */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include <microhttpd.h>

#include "api.h"
#include "server.h"
#include "verifier.h"
#include "web.h"
#include "../core/report.h"

#define POTW_VERSION "0.1.0"

struct potw_server {
	struct MHD_Daemon *d;
	struct potw_store *st;
	struct potw_api api;	/* the store and the plant's note key */
	struct potw_web *web;	/* the pages: every path not under /api/ (potw/web.c) */
	char *cert, *key;	/* PEM text: MHD reads it while the daemon runs */
	int port;
};

/* A request as a handler sees it: station is the signer's id (R_SIGNED),
 * query what followed '?' in the target as sent (NULL: none). */
struct request {
	const char *station;
	const char *query;
	const char *body;
	size_t len;
};

typedef enum MHD_Result (*handler_fn)(struct potw_server *srv, struct MHD_Connection *conn,
				      const struct request *rq);

enum { R_BODY = 1, R_SIGNED = 2, R_QUERY = 4, R_WEB = 8 };	/* R_QUERY: the route takes a query */

struct route {
	const char *method, *path;
	handler_fn fn;
	int flags;
};

static enum MHD_Result h_health(struct potw_server *srv, struct MHD_Connection *conn,
				const struct request *rq);
static enum MHD_Result h_sync_state(struct potw_server *srv, struct MHD_Connection *conn,
				    const struct request *rq);
static enum MHD_Result h_sync_events(struct potw_server *srv, struct MHD_Connection *conn,
				     const struct request *rq);
static enum MHD_Result h_sync_roster(struct potw_server *srv, struct MHD_Connection *conn,
				     const struct request *rq);

static const struct route routes[] = {
	{ "GET", "/api/v1/health", h_health, 0 },
	{ "GET", "/api/v1/sync/state", h_sync_state, R_SIGNED },
	{ "POST", "/api/v1/sync/events", h_sync_events, R_BODY | R_SIGNED },
	{ "GET", "/api/v1/sync/roster", h_sync_roster, R_SIGNED | R_QUERY },
};

/* Every path not under /api/: a page, its form posted (potw/web.c). */
static const struct route web_route = { NULL, NULL, NULL, R_BODY | R_QUERY | R_WEB };

/* What a connection's request gathers between libmicrohttpd's calls,
 * made by on_uri() before anything else with the target as sent. */
struct pending {
	const struct route *rt;		/* NULL until the headers are in */
	char *query;			/* after '?' in the raw target, NULL: none */
	char *body;
	size_t len, cap;
	int too_big;
	int nul;			/* the path holds %00: refused (400) */
};

/* Answer status with the JSON text body (copied). */
static enum MHD_Result reply(struct MHD_Connection *conn, unsigned int status, const char *body,
			     const char *allow)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	if (allow)
		MHD_add_response_header(r, "Allow", allow);
	ret = MHD_queue_response(conn, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result h_health(struct potw_server *srv, struct MHD_Connection *conn,
				const struct request *rq)
{
	char body[200];

	(void)rq;
	snprintf(body, sizeof body,
		 "{\"ok\":true,\"server\":\"haulgate-potw\",\"version\":\"%s\","
		 "\"store\":\"%s\",\"time\":%lld}\n",
		 POTW_VERSION, potw_store_backend(srv->st), (long long)time(NULL));
	return reply(conn, MHD_HTTP_OK, body, NULL);
}

/* Send an api answer, and free its body. */
static enum MHD_Result send_reply(struct MHD_Connection *conn, struct potw_reply *r)
{
	enum MHD_Result ret;

	if (!r->body)
		return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
			     "{\"error\":\"internal\",\"message\":\"out of memory\"}\n", NULL);
	ret = reply(conn, r->status, r->body, NULL);
	free(r->body);
	r->body = NULL;
	return ret;
}

static enum MHD_Result h_sync_state(struct potw_server *srv, struct MHD_Connection *conn,
				    const struct request *rq)
{
	struct potw_reply r = { 0, NULL };

	potw_sync_state(&srv->api, rq->station, (hg_time)time(NULL), &r);
	return send_reply(conn, &r);
}

static enum MHD_Result h_sync_events(struct potw_server *srv, struct MHD_Connection *conn,
				     const struct request *rq)
{
	struct potw_reply r = { 0, NULL };

	potw_sync_events(&srv->api, rq->station, rq->body ? rq->body : "", rq->len,
			 (hg_time)time(NULL), &r);
	return send_reply(conn, &r);
}

static enum MHD_Result h_sync_roster(struct potw_server *srv, struct MHD_Connection *conn,
				     const struct request *rq)
{
	struct potw_reply r = { 0, NULL };

	potw_sync_roster(&srv->api, rq->station, rq->query, &r);
	return send_reply(conn, &r);
}

static const char *header_of(void *ctx, const char *name)
{
	return MHD_lookup_connection_value(ctx, MHD_HEADER_KIND, name);
}

/* The route's handler, once its body (if any) is in: the signature first
 * for R_SIGNED. */
static enum MHD_Result dispatch(struct potw_server *srv, struct MHD_Connection *conn,
				const char *url, const char *method, struct pending *pd)
{
	char station[POTW_STATION_ID_MAX + 1];
	struct potw_reply r = { 0, NULL };
	struct httpsig_request hr;
	struct request rq;

	if (pd->too_big)
		return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE,
			     "{\"error\":\"too-large\",\"message\":\"a request's body is at most "
			     "8 MiB\"}\n", NULL);
	if (pd->rt->flags & R_WEB)
		return potw_web_handle(srv->web, conn, method, url, pd->query, pd->body, pd->len);
	rq.station = NULL;
	rq.query = pd->query;
	rq.body = pd->body;
	rq.len = pd->len;
	if (pd->rt->flags & R_SIGNED) {
		hr.method = method;
		hr.authority = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Host");
		hr.path = url;
		hr.query = pd->query;	/* as sent: what the station signed (@query) */
		hr.header = header_of;
		hr.ctx = conn;
		if (!hr.authority)
			hr.authority = "";
		if (potw_sync_auth(&srv->api, &hr, pd->body ? pd->body : "", pd->len,
				   (hg_time)time(NULL), station, &r) != HG_OK)
			return send_reply(conn, &r);
		rq.station = station;
	}
	return pd->rt->fn(srv, conn, &rq);
}

/* Add data[n] to pd's body, up to POTW_BODY_MAX (past it: too_big, the
 * rest dropped). */
static void gather(struct pending *pd, const char *data, size_t n)
{
	size_t cap;
	char *b;

	if (pd->too_big)
		return;
	if (n > POTW_BODY_MAX - pd->len) {
		pd->too_big = 1;
		free(pd->body);
		pd->body = NULL;
		pd->len = pd->cap = 0;
		return;
	}
	if (pd->len + n + 1 > pd->cap) {
		cap = pd->cap ? pd->cap : 16384;
		while (cap < pd->len + n + 1)
			cap *= 2;
		b = realloc(pd->body, cap);
		if (!b) {
			pd->too_big = 1;
			return;
		}
		pd->body = b;
		pd->cap = cap;
	}
	memcpy(pd->body + pd->len, data, n);
	pd->len += n;
	pd->body[pd->len] = '\0';
}

/* libmicrohttpd's handler: called for the headers, then for each piece of
 * the body, then once more.  A route without R_BODY answers on the first
 * call; one with it gathers the body into *con_cls first. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version,
				  const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	struct potw_server *srv = cls;
	const struct route *path_match = NULL, *rt = NULL;
	struct pending *pd = *con_cls;
	const char *cl;
	size_t i;

	(void)version;
	if (pd && pd->rt) {
		if (*upload_data_size) {
			gather(pd, upload_data, *upload_data_size);
			*upload_data_size = 0;
			return MHD_YES;
		}
		return dispatch(srv, conn, url, method, pd);
	}
	if (strncmp(url, "/api/", 5))
		rt = &web_route;
	for (i = 0; !rt && i < HG_ARRAY_LEN(routes); i++) {
		if (strcmp(routes[i].path, url))
			continue;
		path_match = &routes[i];
		if (!strcmp(routes[i].method, method)) {
			rt = &routes[i];
			break;
		}
	}
	if (pd && pd->nul)	/* decoded, it would cut the path short */
		return reply(conn, MHD_HTTP_BAD_REQUEST, "{\"error\":\"malformed\",\"message\":"
			     "\"a NUL in the path\"}\n", NULL);
	if (rt && pd && pd->query && !(rt->flags & R_QUERY))
		return reply(conn, MHD_HTTP_BAD_REQUEST, "{\"error\":\"malformed\",\"message\":"
			     "\"this path takes no query\"}\n", NULL);
	if (!rt && path_match)
		return reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			     "{\"ok\":false,\"error\":\"method not allowed\"}\n", path_match->method);
	if (!rt)
		return reply(conn, MHD_HTTP_NOT_FOUND, "{\"ok\":false,\"error\":\"not found\"}\n",
			     NULL);
	cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
	if (cl && strtoull(cl, NULL, 10) > POTW_BODY_MAX) {	/* said before a byte is read */
		fprintf(stderr, "haulgate-potw: %s %s refused: a body of %s bytes\n", method, url, cl);
		return reply(conn, MHD_HTTP_CONTENT_TOO_LARGE,
			     "{\"error\":\"too-large\",\"message\":\"a request's body is at most "
			     "8 MiB\"}\n", NULL);
	}
	if (!pd) {	/* on_uri() could not keep it: out of memory */
		pd = calloc(1, sizeof *pd);
		if (!pd)
			return MHD_NO;
		*con_cls = pd;
	}
	pd->rt = rt;
	return MHD_YES;
}

/* libmicrohttpd's first call of a request, with its target as sent (the
 * handler's url has lost the query, and decoded the path): the query kept
 * raw, as the station signed it (RFC 9421 @query).  What it returns is the
 * request's *con_cls. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct pending *pd = calloc(1, sizeof *pd);
	const char *q = uri ? strchr(uri, '?') : NULL;

	(void)cls;
	(void)conn;
	if (pd && uri) {
		const char *p;

		for (p = uri; *p && *p != '?' && !pd->nul; p++)
			pd->nul = p[0] == '%' && p[1] == '0' && p[2] == '0';
	}
	if (pd && q) {
		pd->query = strdup(q + 1);
		if (!pd->query) {
			free(pd);
			return NULL;
		}
	}
	return pd;
}

/* The end of a request: what it gathered freed. */
static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct pending *pd = *con_cls;

	(void)cls;
	(void)conn;
	(void)toe;
	if (pd) {
		free(pd->body);
		free(pd->query);
		free(pd);
		*con_cls = NULL;
	}
}

/* libmicrohttpd's own words (TLS handshakes that fail, sockets) to stderr,
 * one line each. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];
	size_t n;

	(void)cls;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	fprintf(stderr, "haulgate-potw: %s\n", line);
}

/* The whole small file at path, NUL-terminated, into *out (the caller's to
 * free). */
static int read_pem(const char *path, const char *what, char **out)
{
	FILE *f = fopen(path, "r");
	size_t n;
	char *buf;

	*out = NULL;
	if (!f)
		return hg_fail(HG_EIO, "cannot read the %s '%s': %s (run 'haulgate-potw init')",
			       what, path, strerror(errno));
	buf = malloc(POTW_PEM_MAX + 1);
	if (!buf) {
		fclose(f);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	n = fread(buf, 1, POTW_PEM_MAX + 1, f);
	fclose(f);
	if (n == 0 || n > POTW_PEM_MAX) {
		free(buf);
		return hg_fail(HG_EINVAL, "the %s '%s' is empty or larger than %d bytes", what,
			       path, POTW_PEM_MAX);
	}
	buf[n] = '\0';
	*out = buf;
	return HG_OK;
}

static void free_server(struct potw_server *srv)
{
	potw_verifier_stop(srv->api.verifier);	/* after the daemon: the pages read it */
	srv->api.verifier = NULL;
	potw_api_clear(&srv->api);
	potw_web_close(srv->web);
	if (srv->key) {
		memset(srv->key, 0, strlen(srv->key));
		free(srv->key);
	}
	free(srv->cert);
	free(srv);
}

int potw_server_start(const struct potw_config *cfg, struct potw_store *st,
		      struct potw_server **out)
{
	struct addrinfo hints, *ai = NULL;
	const union MHD_DaemonInfo *info;
	struct potw_server *srv;
	char port[8];
	unsigned int flags;
	int rc, g;

	*out = NULL;
	srv = calloc(1, sizeof *srv);
	if (!srv)
		return hg_fail(HG_ENOMEM, "out of memory");
	srv->st = st;
	rc = potw_api_init(&srv->api, st, cfg);
	if (rc)
		goto fail;
	rc = potw_web_open(cfg, &srv->api, &srv->web);
	if (rc)
		goto fail;
	rc = potw_verifier_start(cfg->db, srv->api.pk, srv->api.key_name, cfg->verify_interval,
				 &srv->api.verifier);
	if (rc)
		goto fail;
	rc = read_pem(cfg->tls_cert, "TLS certificate", &srv->cert);
	if (rc)
		goto fail;
	rc = read_pem(cfg->tls_key, "TLS key", &srv->key);
	if (rc)
		goto fail;

	memset(&hints, 0, sizeof hints);
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	snprintf(port, sizeof port, "%d", cfg->listen_port);
	g = getaddrinfo(cfg->listen_host, port, &hints, &ai);
	if (g != 0) {
		rc = hg_fail(HG_EINVAL, "[server] listen: cannot resolve '%s': %s", cfg->listen_host,
			     gai_strerror(g));
		goto fail;
	}
	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_TLS | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	srv->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, srv,
				  MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,	/* first, or some go elsewhere */
				  MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				  MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
				  MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
				  MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads,
				  MHD_OPTION_HTTPS_MEM_CERT, srv->cert,
				  MHD_OPTION_HTTPS_MEM_KEY, srv->key,
				  MHD_OPTION_HTTPS_PRIORITIES, POTW_TLS_PRIORITIES,
				  MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)POTW_CONN_TIMEOUT,
				  MHD_OPTION_CONNECTION_LIMIT, (unsigned int)POTW_CONN_LIMIT,
				  MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!srv->d) {
		rc = hg_fail(HG_EIO, "cannot start the server on %s:%d (port taken, or the TLS "
			     "key or certificate refused: see the lines above)",
			     cfg->listen_host, cfg->listen_port);
		goto fail;
	}
	info = MHD_get_daemon_info(srv->d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = info ? info->port : cfg->listen_port;
	*out = srv;
	return HG_OK;
fail:
	free_server(srv);
	return rc;
}

int potw_server_port(const struct potw_server *srv)
{
	return srv->port;
}

void potw_server_stop(struct potw_server *srv)
{
	if (!srv)
		return;
	MHD_stop_daemon(srv->d);
	free_server(srv);
}
