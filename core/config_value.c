/* config_value.c: checking and storing one value of station.ini.
 *
 * Each kind of value (enum kind, core/config_int.h) has one parser here,
 * set_<kind>(), and one row in kinds[]; a key's row in core/config.c's
 * table names its kind, and cfg_set_value() calls that kind's parser.  A
 * parser checks a value, stores it in the key's field of struct config, or
 * says in one sentence why not, quoting the bad value with control
 * characters shown as '?'.  The helpers above the parsers read one shape
 * each (hours, rates, durations, hardware specs, lists); the [relays]
 * section, whose keys are relay names, is cfg_set_relay().  At the end,
 * config_station_id() is the one rule between [station] id and the id the
 * database recorded at init.  Start reading at kinds[]. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_int.h"
#include "i18n.h"
#include "note.h"
#include "report.h"
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

/* A zone name's shape: no "..", no absolute path, only the characters
 * zone names use; whether the zone exists is asked of the loader's
 * zone_exists (host/config_file.c looks under CFG_ZONEINFO). */
int cfg_zone_name_ok(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n >= 64 || name[0] == '/' || strstr(name, "..") || strstr(name, "//"))
		return 0;
	for (const char *p = name; *p; p++) {
		char c = *p;

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '/' || c == '_' || c == '-' || c == '+'))
			return 0;
	}
	return 1;
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
static int set_speech_out(struct loader *ld, const struct key *k, const char *v, char *why,
			  size_t wcap)
{
	char *dst = (char *)ld->cfg + k->off;
	size_t cap = k->size;
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

/* A type of industry: the value a source records, shown through the
 * catalogue (ui.industry.<key>) or as written when it has no entry there. */
static int industry_item(struct loader *ld, const struct key *k, const char *w, char *why,
			 size_t wcap)
{
	struct config *cfg = ld->cfg;
	char q[CFG_QUOTE_CAP];

	(void)k;
	if (text_check(w, LIM_INDUSTRY, 1) != TEXT_OK || strlen(w) >= sizeof cfg->industries[0]) {
		cfg_quote(w, q, sizeof q);
		say(why, wcap, "\"%s\" is not a type of industry (text of at most %d characters)", q,
		    LIM_INDUSTRY);
		return -1;
	}
	for (int i = 0; i < cfg->n_industries; i++)
		if (strcmp(cfg->industries[i], w) == 0)
			return 0;
	if (cfg->n_industries >= CFG_MAX_INDUSTRIES) {
		say(why, wcap, "more than %d types of industry (the kiosk's buttons; the rest are "
		    "typed under \"other\")", CFG_MAX_INDUSTRIES);
		return -1;
	}
	memcpy(cfg->industries[cfg->n_industries++], w, strlen(w) + 1);
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

/* ---- one parser per kind of value ---- */

static int bad(char *why, size_t wcap, const char *v, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* Say what v must be (fmt), then ", not "v"" with v quoted; returns -1,
 * for `return bad(...)`. */
static int bad(char *why, size_t wcap, const char *v, const char *fmt, ...)
{
	char q[CFG_QUOTE_CAP];
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	vsnprintf(why, wcap, fmt, ap);
	va_end(ap);
	len = strlen(why);
	cfg_quote(v, q, sizeof q);
	snprintf(why + len, wcap - len, ", not \"%s\"", q);
	return -1;
}

/* The field of struct config that key k sets. */
static void *field(const struct loader *ld, const struct key *k)
{
	return (char *)ld->cfg + k->off;
}

static int set_id(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	if (!valid_station_id(v))
		return bad(why, wcap, v, "must be 1 to 31 letters, digits or '-'");
	memcpy(field(ld, k), v, strlen(v) + 1);
	return 0;
}

static int set_text(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
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
	return text_copy(field(ld, k), k->size, v) == HG_OK ? 0 : -1;
}

static int set_url(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	if (!valid_url(v, k->size))
		return bad(why, wcap, v,
			   "must be an http:// or https:// address without spaces, '?', '#' or '&'");
	memcpy(field(ld, k), v, strlen(v) + 1);
	return 0;
}

static int set_zone(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	char q[CFG_QUOTE_CAP];

	if (v[0] && (!cfg_zone_name_ok(v) || (ld->zone_exists && !ld->zone_exists(v)))) {
		cfg_quote(v, q, sizeof q);
		say(why, wcap,
			 "\"%s\" is not a time zone of %s (like America/Denver), or leave it empty",
			 q, CFG_ZONEINFO);
		return -1;
	}
	memcpy(field(ld, k), v, strlen(v) + 1);
	return 0;
}

static int set_path(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	if (text_check(v, CFG_PATH - 1, 1) != TEXT_OK) {
		say(why, wcap, "must be a file path (text, not empty)");
		return -1;
	}
	if (resolve(ld, v, field(ld, k), k->size) < 0) {
		say(why, wcap, "path too long (at most %d bytes once resolved)", CFG_PATH - 1);
		return -1;
	}
	return 0;
}

static int set_lang(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	int *lang = field(ld, k);
	int l = i18n_lang_parse(v);

	if (l < 0)
		return bad(why, wcap, v, "must be en or es");
	*lang = l;
	return 0;
}

/* k->min is the weekday: 0 = Sunday, as struct tm. */
static int set_hours(struct loader *ld, const struct key *k, const char *v, char *why,
		     size_t wcap)
{
	struct cfg_hours *week = field(ld, k);

	if (parse_hours(v, &week[k->min]) < 0)
		return bad(why, wcap, v, "must be HH:MM-HH:MM (opening before closing, "
			   "24:00 the latest) or closed");
	return 0;
}

static int set_closed(struct loader *ld, const struct key *k, const char *v, char *why,
		      size_t wcap)
{
	if (!ld->cont)
		ld->cfg->n_closed = 0;
	return each_item(ld, k, v, closed_item, why, wcap);
}

static int set_area(struct loader *ld, const struct key *k, const char *v, char *why,
		    size_t wcap)
{
	if (!ld->cont)
		ld->cfg->n_area = 0;
	return each_item(ld, k, v, area_item, why, wcap);
}

static int set_industries(struct loader *ld, const struct key *k, const char *v, char *why,
			  size_t wcap)
{
	if (!ld->cont)
		ld->cfg->n_industries = 0;
	return each_item(ld, k, v, industry_item, why, wcap);
}

/* [policy] waste_types: at least one, checked once the file is read. */
static int set_waste(struct loader *ld, const struct key *k, const char *v, char *why,
		     size_t wcap)
{
	unsigned *mask = field(ld, k);

	if (!ld->cont) {
		*mask = 0;
		ld->waste_line = ld->line;
	}
	return each_item(ld, k, v, waste_item, why, wcap);
}

/* [sampling] waste_types: may be empty. */
static int set_waste_sample(struct loader *ld, const struct key *k, const char *v, char *why,
			    size_t wcap)
{
	unsigned *mask = field(ld, k);

	if (!ld->cont)
		*mask = 0;
	return each_item(ld, k, v, waste_item, why, wcap);
}

static int set_no_analysis(struct loader *ld, const struct key *k, const char *v, char *why,
			   size_t wcap)
{
	int *sample = field(ld, k);

	if (strcmp(v, "refuse") == 0)
		*sample = 0;
	else if (strcmp(v, "sample") == 0)
		*sample = 1;
	else
		return bad(why, wcap, v, "must be refuse or sample");
	return 0;
}

/* A whole number in [k->min, k->max]. */
static int whole(const struct key *k, const char *v, long *n, char *why, size_t wcap)
{
	int r;

	r = text_parse_long(v, k->min, k->max, n);
	if (r)
		return bad(why, wcap, v, "must be a whole number from %ld to %ld", k->min, k->max);
	return 0;
}

static int set_long(struct loader *ld, const struct key *k, const char *v, char *why,
		    size_t wcap)
{
	long *dst = field(ld, k);
	long n;
	int r;

	r = whole(k, v, &n, why, wcap);
	if (r)
		return r;
	*dst = n;
	return 0;
}

static int set_int(struct loader *ld, const struct key *k, const char *v, char *why,
		   size_t wcap)
{
	int *dst = field(ld, k);
	long n;
	int r;

	r = whole(k, v, &n, why, wcap);
	if (r)
		return r;
	*dst = (int)n;
	return 0;
}

static int set_rcra(struct loader *ld, const struct key *k, const char *v, char *why,
		    size_t wcap)
{
	int *refuse = field(ld, k);

	if (strcmp(v, "refuse") != 0)
		return bad(why, wcap, v, "RCRA hazardous waste is always refused (the ordinance "
			   "prohibits it), so the only value is refuse");
	*refuse = 1;
	return 0;
}

static int set_bool(struct loader *ld, const struct key *k, const char *v, char *why,
		    size_t wcap)
{
	if (parse_bool(v, field(ld, k)) < 0)
		return bad(why, wcap, v, "must be yes or no");
	return 0;
}

static int set_rate(struct loader *ld, const struct key *k, const char *v, char *why,
		    size_t wcap)
{
	if (parse_rate(v, field(ld, k)) < 0)
		return bad(why, wcap, v, "must be a fraction from 0 to 1 (like 0.05) or a "
			   "percentage (like 5%%)");
	return 0;
}

/* Seconds in [k->min, k->max], written 90s, 15m, 1h30m or bare seconds. */
static int set_duration(struct loader *ld, const struct key *k, const char *v, char *why,
			size_t wcap)
{
	long *dst = field(ld, k);
	char lo[16], hi[16];
	long n;
	int r;

	r = text_parse_duration(v, &n);
	if (r || n < k->min || n > k->max) {
		fmt_duration(k->min, lo, sizeof lo);
		fmt_duration(k->max, hi, sizeof hi);
		return bad(why, wcap, v, "must be a duration from %s to %s (like 90s, 15m, 1h30m)",
			   lo, hi);
	}
	*dst = n;
	return 0;
}

static int set_hw_spec(struct loader *ld, const struct key *k, const char *v, char *why,
		       size_t wcap)
{
	char what[200] = "";

	if (set_hw(ld, v, field(ld, k), k->size, what, sizeof what) < 0)
		return bad(why, wcap, v, "%s", what);
	return 0;
}

/* A device that may be left out: "" for none. */
static int set_hw_opt(struct loader *ld, const struct key *k, const char *v, char *why,
		      size_t wcap)
{
	char *dst = field(ld, k);

	if (v[0] == '\0') {
		dst[0] = '\0';
		return 0;
	}
	return set_hw_spec(ld, k, v, why, wcap);
}

static int set_renderer(struct loader *ld, const struct key *k, const char *v, char *why,
			size_t wcap)
{
	int *renderer = field(ld, k);

	if (strcmp(v, "software") == 0)
		*renderer = CFG_RENDERER_SOFTWARE;
	else if (strcmp(v, "auto") == 0)
		*renderer = CFG_RENDERER_AUTO;
	else
		return bad(why, wcap, v, "must be software or auto");
	return 0;
}

/* A decimal number with at most one '.' and two decimals at the start of
 * *s ("10.1"), moved past; -1 if there is none. */
static double decimal(const char **s)
{
	const char *p = *s;
	double v = 0, scale = 1;
	int digits = 0, frac = -1;

	for (; (*p >= '0' && *p <= '9') || (*p == '.' && frac < 0); p++) {
		if (*p == '.') {
			frac = 0;
			continue;
		}
		if (digits++ >= 6 || (frac >= 0 && frac++ >= 2))
			return -1;
		v = v * 10 + (*p - '0');
		if (frac > 0)
			scale *= 10;
	}
	if (!digits || p[-1] == '.')
		return -1;
	*s = p;
	return v / scale;
}

/* [kiosk] panel_size: auto (all 0), "<W>x<H>mm" (each 20 to 3000 mm) or
 * "<D>in" (the diagonal, 3 to 100 inches). */
static int set_panel(struct loader *ld, const struct key *k, const char *v, char *why,
		     size_t wcap)
{
	static const char *const what = "must be auto, the picture's width x height in mm "
					"(154x86mm) or its diagonal in inches (7in, 10.1in)";
	struct cfg_panel *p = field(ld, k), n = {0, 0, 0};
	const char *s = v;
	double a, b;

	if (strcmp(v, "auto") == 0) {
		*p = n;
		return 0;
	}
	a = decimal(&s);
	if (a >= 0 && strcmp(s, "in") == 0) {
		if (a < 3 || a > 100)
			return bad(why, wcap, v, "a diagonal from 3 to 100 inches");
		n.diag_mm = a * 25.4;
	} else if (a >= 0 && *s == 'x') {
		s++;
		b = decimal(&s);
		if (b < 0 || strcmp(s, "mm") != 0)
			return bad(why, wcap, v, "%s", what);
		if (a < 20 || a > 3000 || b < 20 || b > 3000)
			return bad(why, wcap, v, "a width and a height from 20 to 3000 mm");
		n.w_mm = a;
		n.h_mm = b;
		n.diag_mm = sqrt(a * a + b * b);
	} else {
		return bad(why, wcap, v, "%s", what);
	}
	*p = n;
	return 0;
}

/* [sync] url: "" (not plant-managed), or https:// and a host, then an
 * optional port and path, printable ASCII without space, '?' or '#'. */
static int set_sync_url(struct loader *ld, const struct key *k, const char *v, char *why,
			size_t wcap)
{
	size_t n = strlen(v);

	if (n == 0) {
		((char *)field(ld, k))[0] = '\0';
		return 0;
	}
	if (n >= k->size || strncmp(v, "https://", 8) != 0 || n == 8 || v[8] == '/' ||
	    v[8] == ':')
		return bad(why, wcap, v, "must be the plant's https:// address (like "
			   "https://potw.example.org:8443), or empty for a station the plant "
			   "does not manage");
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#')
			return bad(why, wcap, v, "must be an https:// address without spaces, "
				   "'?' or '#'");
	memcpy(field(ld, k), v, n + 1);
	ld->sync_line = ld->line;
	return 0;
}

/* One pin: "sha256//" and the 44 base64 characters of 32 bytes. */
static int pin_ok(const char *p, size_t n)
{
	const size_t pre = sizeof "sha256//" - 1;

	if (n != pre + 44 || strncmp(p, "sha256//", pre) != 0 || p[n - 1] != '=')
		return 0;
	for (size_t i = pre; i < n - 1; i++) {
		char c = p[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '+' || c == '/'))
			return 0;
	}
	return 1;
}

/* [sync] pin: what CURLOPT_PINNEDPUBLICKEY takes, the SHA-256 of the
 * plant's TLS public key (its DER SubjectPublicKeyInfo) in base64; up to
 * four, ';'-separated (a key being replaced and its successor); "" = none. */
static int set_pin(struct loader *ld, const struct key *k, const char *v, char *why,
		   size_t wcap)
{
	size_t n = strlen(v);
	int count = 0;

	if (n >= k->size)
		return bad(why, wcap, v, "must be at most 4 pins");
	for (const char *p = v; n; count++) {
		size_t len = strcspn(p, ";");

		if (!pin_ok(p, len) || count == 4)
			return bad(why, wcap, v, "must be sha256// and the base64 SHA-256 of the "
				   "plant's public key, as `haulgate-potw key` prints it (up to 4, "
				   "separated by ';')");
		p += len;
		if (*p == '\0')
			break;
		p++;		/* past the ';': another pin must follow */
	}
	memcpy(field(ld, k), v, n + 1);
	return 0;
}

/* [sync] plant_key: the plant's signed-note verifier key, checked whole
 * (name, key id, Ed25519 key) by note_vkey_parse(); "" = none. */
static int set_note_key(struct loader *ld, const struct key *k, const char *v, char *why,
			size_t wcap)
{
	struct note_verifier nv;
	size_t n = strlen(v);

	if (n && (n >= k->size || note_vkey_parse(v, &nv) != HG_OK)) {
		hg_error_clear();
		return bad(why, wcap, v, "must be the plant's note verifier key "
			   "(name+hex8+base64), as `haulgate-potw key --note-verifier` prints it");
	}
	memcpy(field(ld, k), v, n + 1);
	return 0;
}

/* ---- the kinds, and one key ---- */

/* One row per enum kind: its parser, whether it is a list, and the size of
 * the field it writes (0: a text buffer of the key's own size).  A key's
 * row in config.c names its kind; cfg_set_value() calls the kind's parser. */
static const struct cfg_kind kinds[] = {
	[K_ID] = { "station id", 0, 0, set_id },
	[K_TEXT] = { "text", 0, 0, set_text },
	[K_URL] = { "address", 0, 0, set_url },
	[K_ZONE] = { "time zone", 0, 0, set_zone },
	[K_PATH] = { "path", 0, 0, set_path },
	[K_LANG] = { "language", 0, sizeof(int), set_lang },
	[K_HOURS] = { "opening hours", 0, sizeof(struct cfg_hours[7]), set_hours },
	[K_CLOSED] = { "list of dates", 1, sizeof(char[CFG_MAX_CLOSED][LIM_DATE + 1]), set_closed },
	[K_WASTE] = { "waste types", 1, sizeof(unsigned), set_waste },
	[K_WASTE_SAMPLE] = { "waste types or none", 1, sizeof(unsigned), set_waste_sample },
	[K_NO_ANALYSIS] = { "refuse or sample", 0, sizeof(int), set_no_analysis },
	[K_LONG] = { "whole number", 0, sizeof(long), set_long },
	[K_INT] = { "whole number", 0, sizeof(int), set_int },
	[K_AREA] = { "list of towns or ZIP codes", 1, sizeof(char[CFG_MAX_AREA][64]), set_area },
	[K_INDUSTRY] = { "list of types of industry", 1,
			 sizeof(char[CFG_MAX_INDUSTRIES][HG_BUF(LIM_INDUSTRY)]), set_industries },
	[K_RCRA] = { "refuse", 0, sizeof(int), set_rcra },
	[K_BOOL] = { "yes or no", 0, sizeof(int), set_bool },
	[K_RATE] = { "share", 0, sizeof(double), set_rate },
	[K_DURATION] = { "duration", 0, sizeof(long), set_duration },
	[K_HW] = { "device", 0, 0, set_hw_spec },
	[K_HW_OPT] = { "device or none", 0, 0, set_hw_opt },
	[K_SPEECH_OUT] = { "speech output", 0, 0, set_speech_out },
	[K_RENDERER] = { "renderer", 0, sizeof(int), set_renderer },
	[K_PANEL] = { "panel size", 0, sizeof(struct cfg_panel), set_panel },
	[K_SYNC_URL] = { "https address", 0, 0, set_sync_url },
	[K_PIN] = { "key pin", 0, 0, set_pin },
	[K_NOTE_KEY] = { "verifier key", 0, 0, set_note_key },
};

_Static_assert(HG_ARRAY_LEN(kinds) == K_COUNT, "a row of kinds[] for every enum kind");

const struct cfg_kind *cfg_kind(enum kind kind)
{
	if ((unsigned)kind >= K_COUNT || !kinds[kind].set)
		return NULL;
	return &kinds[kind];
}

int cfg_set_value(struct loader *ld, const struct key *k, const char *v, char *why, size_t wcap)
{
	const struct cfg_kind *kind = cfg_kind(k->kind);

	if (!kind) {
		say(why, wcap, "cannot be set: no parser for its kind of value");
		return -1;
	}
	return kind->set(ld, k, v, why, wcap);
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
		      const char *cfg_file)
{
	char where[CFG_PATH + 32], q[CFG_QUOTE_CAP], msg[1024];

	if (!valid_station_id(recorded)) {
		cfg_quote(recorded, q, sizeof q);
		if (use == CFG_ID_INIT)
			return hg_fail(HG_EINVAL, "--station-id: '%s' is not a station id: 1 to 31 "
				       "letters, digits or '-'", q);
		return hg_fail(HG_EINVAL, "the database '%s' holds '%s' as its station id, which "
			       "is not one (1 to 31 letters, digits or '-'): is it a haulgate "
			       "database?", cfg->db_path, q);
	}
	if (cfg->station_id_line == 0 || strcmp(cfg->station_id, recorded) == 0) {
		take_id(cfg, recorded);
		return HG_OK;
	}
	if (cfg_file)
		snprintf(where, sizeof where, "%s:%d", cfg_file, cfg->station_id_line);
	else
		snprintf(where, sizeof where, "line %d of the configuration", cfg->station_id_line);
	if (use == CFG_ID_INIT)
		return hg_fail(HG_EINVAL, "%s: [station] id is '%s' but --station-id is '%s': a "
			       "station has one id; write \"id = %s\" on that line or remove it, "
			       "or leave out --station-id", where, cfg->station_id, recorded,
			       recorded);
	say(msg, sizeof msg, "%s: [station] id is '%s' but the database '%s' is station '%s' (the id "
	    "recorded at init, on every receipt): write \"id = %s\" on that line or remove it, "
	    "or if this is not station %s's database, set [station] db to the right one%s%s%s",
	    where, cfg->station_id, cfg->db_path, recorded, recorded, recorded,
	    use == CFG_ID_READ ? "; going on as station '" : "",
	    use == CFG_ID_READ ? recorded : "", use == CFG_ID_READ ? "'" : "");
	if (use != CFG_ID_READ)
		return hg_fail(HG_EINVAL, "%s", msg);
	hg_warn("%s", msg);
	take_id(cfg, recorded);
	return HG_OK;
}
