/* potw_config.c: potw.ini, read with inih into a struct potw_config.
 *
 * keys[] is the whole file format: a row per key with its section, name, kind
 * and field.  on_key() finds the row and its kind's parser checks and stores
 * the value; what is wrong is kept with its line for the caller to print,
 * and the rest of the file is still read.  Relative paths are made relative
 * to the file's folder last (rebase), so a service started from any folder
 * finds the same files.  Start reading at potw_config_load(). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ini.h>

#include "potw_config.h"
#include "../core/report.h"
#include "../core/text.h"

enum kind { K_LISTEN, K_PATH, K_THREADS, K_NAME, K_SECONDS };

struct key {
	const char *section, *name;
	enum kind kind;
	size_t off;		/* of the field in struct potw_config */
};

static const struct key keys[] = {
	{ "server", "listen", K_LISTEN, offsetof(struct potw_config, listen_host) },
	{ "server", "db", K_PATH, offsetof(struct potw_config, db) },
	{ "server", "key", K_PATH, offsetof(struct potw_config, key) },
	{ "server", "threads", K_THREADS, offsetof(struct potw_config, threads) },
	{ "server", "name", K_NAME, offsetof(struct potw_config, name) },
	{ "tls", "cert", K_PATH, offsetof(struct potw_config, tls_cert) },
	{ "tls", "key", K_PATH, offsetof(struct potw_config, tls_key) },
	{ "web", "static", K_PATH, offsetof(struct potw_config, web_static) },
	{ "web", "verify_interval", K_SECONDS, offsetof(struct potw_config, verify_interval) },
};

struct loader {
	struct potw_config *cfg;
	struct potw_config_errors *errs;
	int nerr;
	FILE *f;
	int line;		/* of the line last read */
	char dir[POTW_PATH];	/* the file's folder, "" or ending in '/' */
};

void potw_config_defaults(struct potw_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	text_copy(cfg->listen_host, sizeof cfg->listen_host, "127.0.0.1");
	cfg->listen_port = POTW_DEFAULT_PORT;
	text_copy(cfg->db, sizeof cfg->db, "var/potw.db");
	text_copy(cfg->key, sizeof cfg->key, "var/potw.key");
	cfg->threads = 4;
	text_copy(cfg->name, sizeof cfg->name, "plant");
	text_copy(cfg->tls_cert, sizeof cfg->tls_cert, "var/potw-tls.crt");
	text_copy(cfg->tls_key, sizeof cfg->tls_key, "var/potw-tls.key");
	text_copy(cfg->web_static, sizeof cfg->web_static, "assets/web");
	cfg->verify_interval = POTW_VERIFY_INTERVAL_DEFAULT;
}

static void add_error(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void add_error(struct loader *ld, int line, const char *fmt, ...)
{
	struct potw_config_errors *e = ld->errs;
	va_list ap;

	ld->nerr++;
	if (!e || e->n >= POTW_CFG_ERRS)
		return;
	e->line[e->n] = line;
	va_start(ap, fmt);
	vsnprintf(e->msg[e->n], sizeof e->msg[e->n], fmt, ap);
	va_end(ap);
	e->n++;
}

int potw_config_name_ok(const char *v)
{
	size_t i, n = strlen(v);

	if (n < 1 || n >= POTW_NAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		      (v[i] >= '0' && v[i] <= '9') || v[i] == '-' || v[i] == '.'))
			return 0;
	return 1;
}

int potw_config_listen(const char *v, char host[POTW_HOST], int *port)
{
	const char *colon, *h = v;
	size_t hlen;
	long p;

	if (v[0] == '[') {
		colon = strstr(v, "]:");
		if (!colon)
			return hg_fail(HG_EINVAL, "'%.60s' is not [ADDRESS]:PORT", v);
		h = v + 1;
		hlen = (size_t)(colon - h);
		colon++;
	} else {
		colon = strrchr(v, ':');
		if (!colon || strchr(v, ':') != colon)
			return hg_fail(HG_EINVAL, "'%.60s' is not HOST:PORT "
				       "(an IPv6 address goes in brackets: [::1]:8443)", v);
		hlen = (size_t)(colon - v);
	}
	if (hlen == 0 || hlen >= POTW_HOST)
		return hg_fail(HG_EINVAL, "'%.60s': the host must be 1 to %d characters", v,
			       POTW_HOST - 1);
	if (text_parse_long(colon + 1, 0, 65535, &p) < 0)
		return hg_fail(HG_EINVAL, "'%.60s': the port must be a number from 0 to 65535", v);
	memcpy(host, h, hlen);
	host[hlen] = '\0';
	*port = (int)p;
	return HG_OK;
}

static int set_value(struct loader *ld, const struct key *k, const char *v, int line)
{
	char *field = (char *)ld->cfg + k->off;
	long n;
	int rc;

	switch (k->kind) {
	case K_LISTEN:
		rc = potw_config_listen(v, ld->cfg->listen_host, &ld->cfg->listen_port);
		if (rc) {
			add_error(ld, line, "[%s] %s: %s", k->section, k->name, hg_error_text());
			return 0;
		}
		return 0;
	case K_PATH:
		n = snprintf(field, POTW_PATH, "%s%s", v[0] == '/' ? "" : ld->dir, v);
		if (!v[0] || n < 0 || n >= POTW_PATH) {
			add_error(ld, line, "[%s] %s: a path of 1 to %d bytes (in the config's folder)",
				  k->section, k->name, POTW_PATH - 1);
			field[0] = '\0';
		}
		return 0;
	case K_THREADS:
		if (text_parse_long(v, 1, POTW_THREADS_MAX, &n) < 0) {
			add_error(ld, line, "[%s] %s: '%.40s' is not a whole number from 1 to %d",
				  k->section, k->name, v, POTW_THREADS_MAX);
			return 0;
		}
		*(int *)(void *)field = (int)n;
		return 0;
	case K_SECONDS:
		if (text_parse_long(v, 1, POTW_VERIFY_INTERVAL_MAX, &n) < 0) {
			add_error(ld, line, "[%s] %s: '%.40s' is not a whole number of seconds "
				  "from 1 to %d", k->section, k->name, v, POTW_VERIFY_INTERVAL_MAX);
			return 0;
		}
		*(int *)(void *)field = (int)n;
		return 0;
	case K_NAME:
		if (!potw_config_name_ok(v)) {
			add_error(ld, line, "[%s] %s: '%.40s' is not 1 to %d letters, digits, '-' or '.'",
				  k->section, k->name, v, POTW_NAME_MAX - 1);
			return 0;
		}
		text_copy(field, POTW_NAME_MAX, v);
		return 0;
	}
	return 0;
}

/* inih's handler: one key of the line read_line() last gave it.  Returns 1
 * (go on) always; errors are kept. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	int line = ld->line;
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(keys); i++)
		if (!strcmp(keys[i].section, section) && !strcmp(keys[i].name, name))
			return set_value(ld, &keys[i], value, line), 1;
	for (i = 0; i < HG_ARRAY_LEN(keys); i++)
		if (!strcmp(keys[i].section, section))
			break;
	if (i == HG_ARRAY_LEN(keys))
		add_error(ld, line, "unknown section [%s] (potw.ini has [server], [tls] and [web])",
			  section);
	else
		add_error(ld, line, "[%s]: unknown key '%s' (see docs/POTW.md)", section, name);
	return 1;
}

/* inih's reader: fgets, counting lines (inih 55 does not tell its handler
 * the line). */
static char *read_line(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	char *r = fgets(str, num, ld->f);

	if (r)
		ld->line++;
	return r;
}

int potw_config_load(struct potw_config *cfg, const char *path, struct potw_config_errors *errs)
{
	struct loader ld;
	const char *slash;
	int r;

	memset(&ld, 0, sizeof ld);
	ld.cfg = cfg;
	ld.errs = errs;
	if (errs)
		memset(errs, 0, sizeof *errs);
	slash = strrchr(path, '/');
	if (slash) {
		if ((size_t)(slash - path) + 2 > sizeof ld.dir)
			return hg_fail(HG_EINVAL, "'%s': folder name too long", path);
		memcpy(ld.dir, path, (size_t)(slash - path) + 1);
	}
	ld.f = fopen(path, "r");
	if (!ld.f)
		return hg_fail(HG_EIO, "cannot read '%s': %s", path, strerror(errno));
	r = ini_parse_stream(read_line, &ld, on_key, &ld);
	fclose(ld.f);
	if (r > 0)
		add_error(&ld, r, "not an ini line (expected [section] or key = value)");
	else if (r < 0)
		return hg_fail(HG_EIO, "cannot read '%s'", path);
	return ld.nerr ? HG_EINVAL : HG_OK;
}
