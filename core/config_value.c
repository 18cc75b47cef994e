/* config_value.c: checking and storing one value of station.ini.
 *
 * cfg_set_value() is the one switch over the kinds of core/config.c's key
 * table (enum kind, core/config_int.h): it checks a value, stores it in
 * struct config, or says in one sentence why not, quoting the bad value
 * with control characters shown as '?'.  The helpers above it parse one
 * kind each (hours, rates, durations, hardware specs, lists); the [relays]
 * section, whose keys are relay names, is cfg_set_relay().  At the end,
 * config_station_id() is the one rule between [station] id and the id the
 * database recorded at init.  Start reading at cfg_set_value(). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "config_int.h"
#include "i18n.h"
#include "text.h"

static void say(char *why, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write a reason into why[cap]; a long one is cut (it is only a message). */
static void say(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, cap, fmt, ap);
	va_end(ap);
}

/* A value as it may be quoted in a message: at most CFG_QUOTE_MAX characters,
 * control characters and broken UTF-8 shown as '?', "..." when cut. */
void cfg_quote(const char *v, char *out, size_t cap)
{
	size_t o = 0;
	int chars = 0;

	while (*v && chars < CFG_QUOTE_MAX && o + 5 < cap) {
		uint32_t cp;
		int n = text_utf8_next(v, &cp);

		if (n < 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			out[o++] = '?';
			v += n > 0 ? n : 1;
		} else {
			memcpy(out + o, v, (size_t)n);
			o += (size_t)n;
			v += n;
		}
		chars++;
	}
	if (*v && o + 4 <= cap) {
		memcpy(out + o, "...", 3);
		o += 3;
	}
	out[o] = '\0';
}

/* "90s", "15m", "1h30m", "1d": the shortest way to write s seconds. */
static void fmt_duration(long s, char *buf, size_t cap)
{
	static const struct {
		char unit;
		long mult;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	size_t o = 0;

	buf[0] = '\0';
	if (s == 0) {
		snprintf(buf, cap, "0s");
		return;
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(units) && o < cap; i++) {
		long q = s / units[i].mult;
		int n;

		if (q == 0)
			continue;
		s -= q * units[i].mult;
		n = snprintf(buf + o, cap - o, "%ld%c", q, units[i].unit);
		if (n < 0 || (size_t)n >= cap - o)
			return;
		o += (size_t)n;
	}
}

/* ---- value helpers ---- */

static int parse_bool(const char *v, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };

	for (size_t i = 0; i < HG_ARRAY_LEN(yes); i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = 1;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = 0;
			return 0;
		}
	}
	return -1;
}

/* "HH:MM" at s, exactly 5 bytes; 24:00 only when allow24. */
static int parse_hhmm(const char *s, int allow24, int *minutes)
{
	int h, m;

	if (strlen(s) != 5 || s[2] != ':')
		return -1;
	for (int i = 0; i < 5; i++)
		if (i != 2 && (s[i] < '0' || s[i] > '9'))
			return -1;
	h = (s[0] - '0') * 10 + (s[1] - '0');
	m = (s[3] - '0') * 10 + (s[4] - '0');
	if (m > 59 || h > 24 || (h == 24 && (!allow24 || m != 0)))
		return -1;
	*minutes = h * 60 + m;
	return 0;
}

static int parse_hours(const char *v, struct cfg_hours *h)
{
	char a[8], b[8];
	const char *dash;
	int open, close;

	if (strcasecmp(v, "closed") == 0) {
		h->open = h->close = 0;
		return 0;
	}
	dash = strchr(v, '-');
	if (!dash || dash - v > 6 || strlen(dash + 1) > 6)
		return -1;
	memcpy(a, v, (size_t)(dash - v));
	a[dash - v] = '\0';
	memcpy(b, dash + 1, strlen(dash + 1) + 1);
	text_trim(a);
	text_trim(b);
	if (parse_hhmm(a, 0, &open) || parse_hhmm(b, 1, &close) || open >= close)
		return -1;
	h->open = open;
	h->close = close;
	return 0;
}

/* A fraction "0.05", "1", ".5" or a percentage "5%", "2.5%", in [0, 1].
 * Parsed by hand: strtod() would follow the locale's decimal mark. */
static int parse_rate(const char *v, double *out)
{
	double x = 0, scale = 1;
	int ndig = 0;
	const char *p = v;

	while (*p >= '0' && *p <= '9') {
		if (ndig++ > 6)
			return -1;
		x = x * 10 + (*p++ - '0');
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			if (ndig++ > 12)
				return -1;
			scale /= 10;
			x += (*p++ - '0') * scale;
		}
	}
	if (ndig == 0)
		return -1;
	if (*p == '%') {
		p++;
		x /= 100;
	}
	if (*p != '\0' || x < 0 || x > 1)
		return -1;
	*out = x;
	return 0;
}

static int valid_station_id(const char *v)
{
	size_t n = strlen(v);

	if (n == 0 || n > 31)
		return 0;
	for (const char *p = v; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '-'))
			return 0;
	}
	return 1;
}

/* The QR prefix: http(s)://, then printable ASCII without space, '?', '#',
 * '&' (they would make the QR text ambiguous). */
static int valid_url(const char *v, size_t cap)
{
	if (strlen(v) >= cap)
		return 0;
	if (strncmp(v, "https://", 8) != 0 && strncmp(v, "http://", 7) != 0)
		return 0;
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#' || *p == '&')
			return 0;
	return strlen(v) > 8;
}

/* A zone name present as a TZif file under CFG_ZONEINFO; no "..", no
 * absolute path, only the characters zone names use. */
int cfg_zone_exists(const char *name)
{
	char path[sizeof CFG_ZONEINFO + 64];
	char magic[4];
	struct stat st;
	FILE *f;
	size_t n = strlen(name);
	int ok;

	if (n == 0 || n >= 64 || name[0] == '/' || strstr(name, "..") || strstr(name, "//"))
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	n = (size_t)snprintf(path, sizeof path, "%s/%s", CFG_ZONEINFO, name);
	if (n >= sizeof path || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 0;
	f = fopen(path, "rb");
	if (!f)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && memcmp(magic, "TZif", 4) == 0;
	fclose(f);
	return ok;
}

/* v taken relative to the config file's folder (absolute v as it is). */
static int resolve(const struct loader *ld, const char *v, char *out, size_t cap)
{
	int n;

	if (v[0] == '/' || ld->dir[0] == '\0')
		n = snprintf(out, cap, "%s", v);
	else if (strcmp(ld->dir, "/") == 0)
		n = snprintf(out, cap, "/%s", v);
	else
		n = snprintf(out, cap, "%s/%s", ld->dir, v);
	if (n < 0 || (size_t)n >= cap) {
		if (cap)
			out[0] = '\0';
		return -1;
	}
	return 0;
}

/* Hardware spec "<backend>:<argument>": the backend a lowercase word; for
 * the sim: and file: backends the argument is a path, taken relative to the
 * config file.  Which backends exist is the drivers' business. */
static int set_hw(const struct loader *ld, const char *v, char *dst, size_t cap, char *why,
		  size_t wcap)
{
	const char *colon = strchr(v, ':');
	char path[CFG_PATH];
	size_t slen;
	int r;

	if (strcmp(v, "libnfc") == 0)	/* no argument: libnfc finds the reader */
		return text_copy(dst, cap, v) ? -1 : 0;
	if (!colon || colon == v) {
		say(why, wcap, "must be <backend>:<argument>, like sim:var/relays");
		return -1;
	}
	slen = (size_t)(colon - v);
	for (const char *p = v; p < colon; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
		      (*p == '-' && p > v))) {	/* modbus-tcp */
			say(why, wcap, "the backend before ':' must be a lowercase word, like sim");
			return -1;
		}
	if (text_check(colon + 1, CFG_PATH - 1, 0) != TEXT_OK) {
		say(why, wcap, "the argument must be text without control characters");
		return -1;
	}
	if ((slen == 3 && strncmp(v, "sim", 3) == 0) || (slen == 4 && strncmp(v, "file", 4) == 0)) {
		int n;

		if (colon[1] == '\0') {
			say(why, wcap, "needs a path after '%.*s:'", (int)slen, v);
			return -1;
		}
		if (resolve(ld, colon + 1, path, sizeof path) == 0) {
			n = snprintf(dst, cap, "%.*s:%s", (int)slen, v, path);
			if (n >= 0 && (size_t)n < cap)
				return 0;
		}
		say(why, wcap, "path too long (at most %d bytes once resolved)", CFG_PATH - 1);
		return -1;
	}
	r = text_copy(dst, cap, v);
	if (r) {
		say(why, wcap, "too long (at most %zu bytes)", cap - 1);
		return -1;
	}
	return 0;
}

/* [kiosk] speech_output: "play", or "wav:<folder>" with the folder taken
 * relative to the config file (speech.h's modes; "off" is the kiosk's
 * --speech off, not a station's setting: use speech = off). */
static int set_speech_out(const struct loader *ld, const char *v, char *dst, size_t cap,
			  char *why, size_t wcap)
{
	char path[CFG_PATH];
	char q[CFG_QUOTE_CAP];
	int n;

	if (strcmp(v, "play") == 0) {
		snprintf(dst, cap, "play");
		return 0;
	}
	cfg_quote(v, q, sizeof q);
	if (strncmp(v, "wav:", 4) != 0) {
		say(why, wcap, "must be play or wav:<folder>, not \"%s\"", q);
		return -1;
	}
	if (v[4] == '\0' || text_check(v + 4, CFG_PATH - 1, 1) != TEXT_OK) {
		say(why, wcap, "needs a folder after 'wav:', not \"%s\"", q);
		return -1;
	}
	if (resolve(ld, v + 4, path, sizeof path) == 0) {
		n = snprintf(dst, cap, "wav:%s", path);
		if (n >= 0 && (size_t)n < cap)
			return 0;
	}
	say(why, wcap, "folder too long (at most %d bytes once resolved)", CFG_PATH - 5);
	return -1;
}

/* ---- lists ---- */

/* Call item() on each comma-separated item of v, trimmed; empty items are
 * skipped.  Stops at the first item refused (returns -1). */
static int each_item(struct loader *ld, const struct key *k, const char *v,
		     int (*item)(struct loader *, const struct key *, const char *, char *, size_t),
		     char *why, size_t wcap)
{
	while (*v) {
		char word[CFG_LINE_CAP];
		size_t n = strcspn(v, ",");

		if (n >= sizeof word)
			n = sizeof word - 1;
		memcpy(word, v, n);
		word[n] = '\0';
		text_trim(word);
		if (word[0] && item(ld, k, word, why, wcap) < 0)
			return -1;
		v += n;
		if (*v == ',')
			v++;
	}
	return 0;
}

static int closed_item(struct loader *ld, const struct key *k, const char *w, char *why,
		       size_t wcap)
{
	struct config *cfg = ld->cfg;
	char q[CFG_QUOTE_CAP];
	int r;

	(void)k;
	r = text_parse_date(w, NULL, NULL, NULL);
	if (r) {
		cfg_quote(w, q, sizeof q);
		say(why, wcap, "\"%s\" is not a real date written YYYY-MM-DD", q);
		return -1;
	}
	for (int i = 0; i < cfg->n_closed; i++)
		if (strcmp(cfg->closed[i], w) == 0)
			return 0;	/* listed twice: once is enough */
	if (cfg->n_closed >= CFG_MAX_CLOSED) {
		say(why, wcap, "more than %d dates", CFG_MAX_CLOSED);
		return -1;
	}
	memcpy(cfg->closed[cfg->n_closed++], w, LIM_DATE + 1);
	return 0;
}

static int area_item(struct loader *ld, const struct key *k, const char *w, char *why,
		     size_t wcap)
{
	struct config *cfg = ld->cfg;
	char q[CFG_QUOTE_CAP];

	(void)k;
	if (text_check(w, 63, 1) != TEXT_OK || strlen(w) >= sizeof cfg->area[0]) {
		cfg_quote(w, q, sizeof q);
		say(why, wcap, "\"%s\" is not a town or ZIP code (text of at most 63 bytes)", q);
		return -1;
	}
	for (int i = 0; i < cfg->n_area; i++)
		if (strcmp(cfg->area[i], w) == 0)
			return 0;
	if (cfg->n_area >= CFG_MAX_AREA) {
		say(why, wcap, "more than %d towns or ZIP codes", CFG_MAX_AREA);
		return -1;
	}
	memcpy(cfg->area[cfg->n_area++], w, strlen(w) + 1);
	return 0;
}

static int waste_item(struct loader *ld, const struct key *k, const char *w, char *why,
		      size_t wcap)
{
	unsigned *mask = (unsigned *)(void *)((char *)ld->cfg + k->off);
	unsigned m = 0;
	char q[CFG_QUOTE_CAP];
	int r;

	r = waste_parse_list(w, &m);
	if (r || m == 0) {
		cfg_quote(w, q, sizeof q);
		say(why, wcap, "\"%s\" is not a waste type (%s)", q, CFG_WASTE_HELP);
		return -1;
	}
	*mask |= m;
	return 0;
}

/* ---- one key ---- */

/* Check v for key k and store it.  cont: v is a continuation line of a list
 * (append); otherwise a list starts over.  Returns 0 or -1 with why set. */
int cfg_set_value(struct loader *ld, const struct key *k, const char *v, int cont, char *why,
		     size_t wcap)
{
	struct config *cfg = ld->cfg;
	char *field = (char *)cfg + k->off;
	char q[CFG_QUOTE_CAP];
	long n;
	int r;

	cfg_quote(v, q, sizeof q);
	switch (k->kind) {
	case K_ID:
		if (!valid_station_id(v)) {
			say(why, wcap, "must be 1 to 31 letters, digits or '-', not \"%s\"", q);
			return -1;
		}
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case K_TEXT:
		switch (text_check(v, (int)k->max, 1)) {
		case TEXT_OK:
			break;
		case TEXT_EMPTY:
			say(why, wcap, "must not be empty");
			return -1;
		case TEXT_TOO_LONG:
			say(why, wcap, "must be at most %ld characters", k->max);
			return -1;
		case TEXT_FORMAT:
			say(why, wcap, "must not hold hidden formatting characters "
			    "(right-to-left override, zero-width space ...)");
			return -1;
		case TEXT_INVISIBLE:
			say(why, wcap, "must have a character that can be seen");
			return -1;
		default:
			say(why, wcap, "must be UTF-8 text without control characters");
			return -1;
		}
		return text_copy(field, k->size, v) == HG_OK ? 0 : -1;
	case K_URL:
		if (!valid_url(v, k->size)) {
			say(why, wcap,
				 "must be an http:// or https:// address without spaces, '?', '#' or '&', not \"%s\"",
				 q);
			return -1;
		}
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case K_ZONE:
		if (v[0] && !cfg_zone_exists(v)) {
			say(why, wcap,
				 "\"%s\" is not a time zone of %s (like America/Denver), or leave it empty",
				 q, CFG_ZONEINFO);
			return -1;
		}
		memcpy(field, v, strlen(v) + 1);
		return 0;
	case K_PATH:
		if (text_check(v, CFG_PATH - 1, 1) != TEXT_OK) {
			say(why, wcap, "must be a file path (text, not empty)");
			return -1;
		}
		if (resolve(ld, v, field, k->size) < 0) {
			say(why, wcap, "path too long (at most %d bytes once resolved)",
				 CFG_PATH - 1);
			return -1;
		}
		return 0;
	case K_LANG: {
		int l = i18n_lang_parse(v);

		if (l < 0) {
			say(why, wcap, "must be en or es, not \"%s\"", q);
			return -1;
		}
		cfg->lang_default = l;
		return 0;
	}
	case K_HOURS:
		if (parse_hours(v, &cfg->hours[k->min]) < 0) {
			say(why, wcap,
				 "must be HH:MM-HH:MM (opening before closing, 24:00 the latest) or closed, not \"%s\"",
				 q);
			return -1;
		}
		return 0;
	case K_CLOSED:
		if (!cont)
			cfg->n_closed = 0;
		return each_item(ld, k, v, closed_item, why, wcap);
	case K_AREA:
		if (!cont)
			cfg->n_area = 0;
		return each_item(ld, k, v, area_item, why, wcap);
	case K_WASTE:
	case K_WASTE_SAMPLE:
		if (!cont)
			*(unsigned *)(void *)field = 0;
		if (k->kind == K_WASTE && !cont)
			ld->waste_line = ld->line;
		return each_item(ld, k, v, waste_item, why, wcap);
	case K_NO_ANALYSIS:
		if (strcmp(v, "refuse") == 0)
			cfg->no_analysis_sample = 0;
		else if (strcmp(v, "sample") == 0)
			cfg->no_analysis_sample = 1;
		else {
			say(why, wcap, "must be refuse or sample, not \"%s\"", q);
			return -1;
		}
		return 0;
	case K_LONG:
	case K_INT:
		r = text_parse_long(v, k->min, k->max, &n);
		if (r) {
			say(why, wcap, "must be a whole number from %ld to %ld, not \"%s\"", k->min,
				 k->max, q);
			return -1;
		}
		if (k->kind == K_LONG)
			*(long *)(void *)field = n;
		else
			*(int *)(void *)field = (int)n;
		return 0;
	case K_RCRA:
		if (strcmp(v, "refuse") != 0) {
			say(why, wcap,
				 "RCRA hazardous waste is always refused (the ordinance prohibits it), so the only value is refuse, not \"%s\"",
				 q);
			return -1;
		}
		cfg->refuse_rcra = 1;
		return 0;
	case K_BOOL:
		if (parse_bool(v, (int *)(void *)field) < 0) {
			say(why, wcap, "must be yes or no, not \"%s\"", q);
			return -1;
		}
		return 0;
	case K_RATE:
		if (parse_rate(v, (double *)(void *)field) < 0) {
			say(why, wcap,
				 "must be a fraction from 0 to 1 (like 0.05) or a percentage (like 5%%), not \"%s\"",
				 q);
			return -1;
		}
		return 0;
	case K_DURATION: {
		char lo[16], hi[16];

		r = text_parse_duration(v, &n);
		if (r || n < k->min || n > k->max) {
			fmt_duration(k->min, lo, sizeof lo);
			fmt_duration(k->max, hi, sizeof hi);
			say(why, wcap,
				 "must be a duration from %s to %s (like 90s, 15m, 1h30m), not \"%s\"",
				 lo, hi, q);
			return -1;
		}
		*(long *)(void *)field = n;
		return 0;
	}
	case K_HW_OPT:
		if (v[0] == '\0') {
			field[0] = '\0';
			return 0;
		}
		/* fall through */
	case K_HW:
		if (set_hw(ld, v, field, k->size, why, wcap) < 0) {
			size_t len = strlen(why);

			say(why + len, wcap - len, ", not \"%s\"", q);
			return -1;
		}
		return 0;
	case K_SPEECH_OUT:
		return set_speech_out(ld, v, field, k->size, why, wcap);
	case K_RENDERER:
		if (strcmp(v, "software") == 0)
			cfg->kiosk_renderer = CFG_RENDERER_SOFTWARE;
		else if (strcmp(v, "auto") == 0)
			cfg->kiosk_renderer = CFG_RENDERER_AUTO;
		else {
			say(why, wcap, "must be software or auto, not \"%s\"", q);
			return -1;
		}
		return 0;
	}
	return -1;
}

/* A relay: name = backend argument.  gate and valve exist from the
 * defaults; a file may change their arguments and add others. */
void cfg_set_relay(struct loader *ld, const char *name, const char *v)
{
	struct config *cfg = ld->cfg;
	char q[CFG_QUOTE_CAP];
	size_t nlen = strlen(name);
	int i;

	if (nlen == 0 || nlen >= sizeof cfg->relays[0].name ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != nlen) {
		cfg_quote(name, q, sizeof q);
		cfg_add_error(ld, ld->line,
			  "[relays] \"%s\": a relay name is 1 to 31 letters, digits, '_' or '-'", q);
		return;
	}
	if (v[0] == '\0' || text_check(v, (int)sizeof cfg->relays[0].arg - 1, 1) != TEXT_OK ||
	    strlen(v) >= sizeof cfg->relays[0].arg) {
		cfg_quote(v, q, sizeof q);
		cfg_add_error(ld, ld->line,
			  "[relays] %s: must be the relay's backend argument (like 0), at most %zu bytes, not \"%s\"",
			  name, sizeof cfg->relays[0].arg - 1, q);
		return;
	}
	for (i = 0; i < cfg->n_relays; i++)
		if (strcmp(cfg->relays[i].name, name) == 0)
			break;
	if (i < cfg->n_relays && ld->relay_line[i]) {
		cfg_add_error(ld, ld->line, "[relays] %s: given twice (first on line %d)", name,
			  ld->relay_line[i]);
		return;
	}
	if (i == cfg->n_relays) {
		if (cfg->n_relays >= CFG_MAX_RELAYS) {
			cfg_add_error(ld, ld->line, "[relays] %s: more than %d relays", name,
				  CFG_MAX_RELAYS);
			return;
		}
		memcpy(cfg->relays[i].name, name, nlen + 1);
		cfg->n_relays++;
	}
	memcpy(cfg->relays[i].arg, v, strlen(v) + 1);
	ld->relay_line[i] = ld->line;
}

/* The coil or line number of a relay's argument: the part before any ','
 * ("17" of "17,active-low"), decimal or 0x (text_parse_number()).  HG_OK, or
 * HG_EINVAL with *why set. */
static int relay_addr(const char *arg, unsigned long *addr, const char **why)
{
	return text_parse_number(arg, strcspn(arg, ","), 0, CFG_RELAY_ADDR_MAX, addr, why);
}

void cfg_check_relays(struct loader *ld)
{
	struct config *cfg = ld->cfg;
	int sim = strncmp(cfg->relay, "sim:", 4) == 0;	/* no coils, no lines */
	char q[CFG_QUOTE_CAP];
	unsigned long addr[CFG_MAX_RELAYS];
	int ok[CFG_MAX_RELAYS];

	for (int i = 0; i < cfg->n_relays; i++) {
		const char *why = NULL;

		ok[i] = relay_addr(cfg->relays[i].arg, &addr[i], &why) == HG_OK;
		if (ok[i] || sim || !ld->relay_line[i])
			continue;
		cfg_quote(cfg->relays[i].arg, q, sizeof q);
		cfg_add_error(ld, ld->relay_line[i],
			  "[relays] %s: \"%s\" %s (a coil or line number is decimal, or hex written 0x.., at most %d)",
			  cfg->relays[i].name, q, why, CFG_RELAY_ADDR_MAX);
	}
	for (int i = 1; i < cfg->n_relays; i++)
		for (int j = 0; j < i; j++) {
			int a = ld->relay_line[i] >= ld->relay_line[j] ? i : j;
			int b = a == i ? j : i;
			char written[CFG_QUOTE_CAP + 16] = "";

			if (ok[i] && ok[j] ? addr[i] != addr[j]
					   : strcmp(cfg->relays[i].arg, cfg->relays[j].arg) != 0)
				continue;
			if (strcmp(cfg->relays[a].arg, cfg->relays[b].arg) != 0) {
				cfg_quote(cfg->relays[b].arg, q, sizeof q);
				snprintf(written, sizeof written, ", written %s there", q);
			}
			cfg_quote(cfg->relays[a].arg, q, sizeof q);
			if (ld->relay_line[b])
				cfg_add_error(ld, ld->relay_line[a],
					  "[relays] %s: uses the same relay (%s) as %s on line %d%s",
					  cfg->relays[a].name, q, cfg->relays[b].name,
					  ld->relay_line[b], written);
			else
				cfg_add_error(ld, ld->relay_line[a],
					  "[relays] %s: uses the same relay (%s) as %s (by default %s)",
					  cfg->relays[a].name, q, cfg->relays[b].name,
					  cfg->relays[b].arg);
		}
}

/* ---- the station's id: the configuration's and the database's ---- */

/* cfg->station_id = id, which may be cfg->station_id itself (init's
 * default): no overlapping copy. */
static void take_id(struct config *cfg, const char *id)
{
	if (id != cfg->station_id)
		snprintf(cfg->station_id, sizeof cfg->station_id, "%s", id);
}

int config_station_id(struct config *cfg, const char *recorded, enum config_id_use use,
		      const char *cfg_file, char *msg, size_t cap)
{
	char where[CFG_PATH + 32], q[CFG_QUOTE_CAP];

	msg[0] = '\0';
	if (!valid_station_id(recorded)) {
		cfg_quote(recorded, q, sizeof q);
		if (use == CFG_ID_INIT)
			say(msg, cap, "--station-id: '%s' is not a station id: 1 to 31 letters, "
			    "digits or '-'", q);
		else
			say(msg, cap, "the database '%s' holds '%s' as its station id, which is not "
			    "one (1 to 31 letters, digits or '-'): is it a haulgate database?",
			    cfg->db_path, q);
		return HG_EINVAL;
	}
	if (cfg->station_id_line == 0 || strcmp(cfg->station_id, recorded) == 0) {
		take_id(cfg, recorded);
		return HG_OK;
	}
	if (cfg_file)
		snprintf(where, sizeof where, "%s:%d", cfg_file, cfg->station_id_line);
	else
		snprintf(where, sizeof where, "line %d of the configuration", cfg->station_id_line);
	if (use == CFG_ID_INIT) {
		say(msg, cap, "%s: [station] id is '%s' but --station-id is '%s': a station has one "
		    "id; write \"id = %s\" on that line or remove it, or leave out --station-id",
		    where, cfg->station_id, recorded, recorded);
		return HG_EINVAL;
	}
	say(msg, cap, "%s: [station] id is '%s' but the database '%s' is station '%s' (the id "
	    "recorded at init, on every receipt): write \"id = %s\" on that line or remove it, "
	    "or if this is not station %s's database, set [station] db to the right one%s%s%s",
	    where, cfg->station_id, cfg->db_path, recorded, recorded, recorded,
	    use == CFG_ID_READ ? "; going on as station '" : "",
	    use == CFG_ID_READ ? recorded : "", use == CFG_ID_READ ? "'" : "");
	if (use != CFG_ID_READ)
		return HG_EINVAL;
	take_id(cfg, recorded);
	return HG_OK;
}
