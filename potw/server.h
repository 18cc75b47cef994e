/* server.h: the plant's HTTPS server (libmicrohttpd with GnuTLS).
 *
 * potw_server_start() listens on [server] listen with a fixed pool of
 * [server] threads, TLS 1.2 and 1.3 only, and answers the routes of
 * server.c's table (GET /api/v1/health for now); potw_server_stop() ends it
 * cleanly.  The caller owns the store and the signals (haulgate-potw serve
 * waits for SIGTERM or SIGINT between the two). */
#ifndef POTW_SERVER_H
#define POTW_SERVER_H

#include "potw_config.h"
#include "store.h"

/* The TLS protocol versions the server takes (GnuTLS priorities). */
#define POTW_TLS_PRIORITIES "NORMAL:-VERS-ALL:+VERS-TLS1.3:+VERS-TLS1.2"
#define POTW_PEM_MAX 65536	/* bytes of a TLS key or certificate file */
#define POTW_CONN_TIMEOUT 30	/* seconds a connection may stay idle */
#define POTW_CONN_LIMIT 512	/* connections at once */

struct potw_server;

/* Start the server of cfg (listen, threads, tls cert and key, read now) on
 * st, which must stay open until potw_server_stop().  Requests are served
 * by the server's own threads from then on; lines of its log go to stderr.
 * HG_OK with *out set, or an error (hg_error_text). */
int potw_server_start(const struct potw_config *cfg, struct potw_store *st,
		      struct potw_server **out);
/* The port the server listens on (the one chosen when listen gave 0). */
int potw_server_port(const struct potw_server *srv);
/* Stop accepting, end the connections, join the threads, free srv. */
void potw_server_stop(struct potw_server *srv);

#endif
