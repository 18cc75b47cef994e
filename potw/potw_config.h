/* potw_config.h: potw.ini, the plant server's configuration.
 *
 * A small key table read with inih (potw_config.c): [server] listen, db, key,
 * threads, name; [tls] cert, key; [web] static, verify_interval.  docs/POTW.md
 * describes every key and potw.ini.example shows them; a new key is a row of keys[] in potw_config.c
 * and a line of each. */
#ifndef POTW_CONFIG_H
#define POTW_CONFIG_H

#include "../core/hg.h"

#define POTW_PATH 256		/* bytes of a path, NUL included */
#define POTW_HOST 254		/* bytes of a host name or address, NUL included */
#define POTW_THREADS_MAX 64
#define POTW_CFG_ERRS 16	/* errors kept from one file */
#define POTW_DEFAULT_PORT 8443
#define POTW_NAME_MAX 64	/* bytes of [server] name, NUL included */
#define POTW_VERIFY_INTERVAL_DEFAULT 600	/* [web] verify_interval, seconds */
#define POTW_VERIFY_INTERVAL_MAX 86400
/* the plant's note key name: this and [server] name (docs/CHECKPOINTS.md) */
#define POTW_KEY_NAME_PREFIX "haulgate.potw/"

struct potw_config {
	char listen_host[POTW_HOST];	/* "127.0.0.1", "localhost", "::1" (no brackets) */
	int listen_port;		/* 0: any free port (said on start) */
	char db[POTW_PATH];		/* the sqlite database */
	char key[POTW_PATH];		/* the server's Ed25519 secret key; .pub beside it */
	int threads;			/* the server's worker threads */
	char name[POTW_NAME_MAX];	/* the plant's name: its note key is haulgate.potw/<name> */
	char tls_cert[POTW_PATH];	/* PEM certificate */
	char tls_key[POTW_PATH];	/* PEM private key of tls_cert */
	char web_static[POTW_PATH];	/* the web pages' static folder (assets/web) */
	int verify_interval;		/* seconds between two verifications of a log (potw/verifier.h) */
};

/* What was wrong in a file: "LINE: message" each, at most POTW_CFG_ERRS. */
struct potw_config_errors {
	int n;
	int line[POTW_CFG_ERRS];
	char msg[POTW_CFG_ERRS][200];
};

/* The defaults: listen 127.0.0.1:8443, db var/potw.db, key var/potw.key,
 * threads 4, name "plant", cert var/potw-tls.crt, key var/potw-tls.key, static
 * assets/web (relative to the working folder), verify_interval 600. */
void potw_config_defaults(struct potw_config *cfg);

/* Read path over cfg.  Every unknown section or key and every bad value adds
 * to errs (good keys are still applied).  A relative path in the file is taken
 * from the file's folder.  HG_OK, HG_EINVAL (errs says
 * why), HG_EIO (the file cannot be read: hg_error_text). */
int potw_config_load(struct potw_config *cfg, const char *path, struct potw_config_errors *errs);

/* Is v a plant name ([server] name): 1 to 63 letters, digits, '-' or '.'
 * (so "haulgate.potw/<name>" is a note key name)?  1 or 0. */
int potw_config_name_ok(const char *v);

/* Parse "host:port" or "[v6]:port" (port 0 to 65535) into host[POTW_HOST]
 * and *port.  HG_EINVAL with hg_error_text() saying why. */
int potw_config_listen(const char *v, char host[POTW_HOST], int *port);

#endif
