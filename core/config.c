/* config.c: station.ini read with inih over built-in defaults.
 *
 * Every key the file may hold is one row of keys[] below: its section, its
 * name, what kind of value it takes and where in struct config it goes;
 * set_value() is the one switch that checks and stores a value by kind.  An
 * error never stops the reading: each unknown section or key, bad value or
 * line that is not INI adds one message with its line number, and the good
 * keys are still applied, so one run of `haulgate config check` lists
 * everything to fix.
 *
 * inih 55 does not tell its handler the line number, so inih reads through
 * read_line(), our own fgets-style reader: it counts physical lines, and it
 * looks at each line before inih does to report what inih would only count
 * (lines without '=', section headers without ']', lines too long for inih's
 * buffer) and to pass inih a harmless comment instead.  Indented lines: a
 * line with no '=' after a list key (service_area, closed_dates,
 * waste_types) continues that list, as in Python's configparser; any other
 * indented line has its indent removed, so an indented key is just a key.
 *
 * Relative paths in a file are taken from the file's folder; the built-in
 * defaults stay relative to the current directory.  Start reading at
 * config_load(). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include <ini.h>

#include "config.h"
#include "i18n.h"
#include "text.h"

#define LINE_CAP 4096		/* longest physical line looked at */
#define SECT_BAD "\x01"		/* section after a broken header: keys ignored */
#define QUOTE_MAX 40		/* characters of a bad value quoted in a message */

enum kind {
	K_ID,			/* station id: letters, digits, '-' */
	K_TEXT,			/* free text of at most max characters */
	K_URL,			/* http(s) prefix of the QR text */
	K_ZONE,			/* time zone name, "" = the machine's */
	K_PATH,			/* file path, relative to the config file */
	K_LANG,			/* en | es */
	K_HOURS,		/* "HH:MM-HH:MM" | closed; min = weekday (0 = Sunday) */
	K_CLOSED,		/* list of YYYY-MM-DD */
	K_WASTE,		/* list of waste types, at least one */
	K_WASTE_SAMPLE,		/* list of waste types, may be empty */
	K_NO_ANALYSIS,		/* refuse | sample */
	K_LONG,			/* whole number in [min, max], long field */
	K_INT,			/* whole number in [min, max], int field */
	K_AREA,			/* list of towns or ZIP codes */
	K_RCRA,			/* refuse, and nothing else */
	K_BOOL,			/* yes | no */
	K_RATE,			/* 0..1 or 0%..100% */
	K_DURATION,		/* seconds in [min, max], long field */
	K_HW,			/* "<backend>:<argument>" */
	K_HW_OPT,		/* the same, or "" for no such device */
	K_SPEECH_OUT,		/* play | wav:<folder> */
	K_RENDERER		/* software | auto */
};

struct key {
	const char *section;
	const char *name;
	enum kind kind;
	size_t off;		/* the field in struct config */
	size_t size;		/* its size */
	long min, max;
};

#define FIELD(f) offsetof(struct config, f), sizeof(((struct config *)0)->f)

static const struct key keys[] = {
	{ "station", "id", K_ID, FIELD(station_id), 0, 0 },
	{ "station", "name", K_TEXT, FIELD(station_name), 0, LIM_COMPANY },
	{ "station", "verify_base", K_URL, FIELD(verify_base), 0, 0 },
	{ "station", "timezone", K_ZONE, FIELD(timezone), 0, 0 },
	{ "station", "db", K_PATH, FIELD(db_path), 0, 0 },
	{ "station", "key", K_PATH, FIELD(key_path), 0, 0 },
	{ "station", "language", K_LANG, FIELD(lang_default), 0, 0 },

	{ "hours", "sun", K_HOURS, FIELD(hours), 0, 0 },
	{ "hours", "mon", K_HOURS, FIELD(hours), 1, 0 },
	{ "hours", "tue", K_HOURS, FIELD(hours), 2, 0 },
	{ "hours", "wed", K_HOURS, FIELD(hours), 3, 0 },
	{ "hours", "thu", K_HOURS, FIELD(hours), 4, 0 },
	{ "hours", "fri", K_HOURS, FIELD(hours), 5, 0 },
	{ "hours", "sat", K_HOURS, FIELD(hours), 6, 0 },
	{ "hours", "closed_dates", K_CLOSED, FIELD(closed), 0, 0 },

	{ "policy", "waste_types", K_WASTE, FIELD(waste_allowed), 0, 0 },
	{ "policy", "industrial_without_analysis", K_NO_ANALYSIS, FIELD(no_analysis_sample), 0, 0 },
	{ "policy", "daily_limit_gallons", K_LONG, FIELD(daily_limit_gallons), 0, 10000000 },
	{ "policy", "service_area", K_AREA, FIELD(area), 0, 0 },
	{ "policy", "rcra_hazardous", K_RCRA, FIELD(refuse_rcra), 0, 0 },

	{ "sampling", "first_load", K_BOOL, FIELD(sample_first_load), 0, 0 },
	{ "sampling", "waste_types", K_WASTE_SAMPLE, FIELD(sample_waste), 0, 0 },
	{ "sampling", "rcra_unknown", K_BOOL, FIELD(sample_rcra_unknown), 0, 0 },
	{ "sampling", "constituents", K_BOOL, FIELD(sample_constituents), 0, 0 },
	{ "sampling", "random_rate", K_RATE, FIELD(sample_random_rate), 0, 0 },
	{ "sampling", "every_n_loads", K_INT, FIELD(sample_every_n), 0, 100000 },

	{ "session", "pin_attempts", K_INT, FIELD(pin_max_failures), 1, 20 },
	{ "session", "pin_lockout", K_DURATION, FIELD(pin_lockout_s), 60, 86400 },
	{ "session", "inactivity_timeout", K_DURATION, FIELD(inactivity_s), 30, 3600 },
	{ "session", "max_discharge", K_DURATION, FIELD(max_discharge_s), 60, 4 * 3600 },
	{ "session", "rv_max_dump", K_DURATION, FIELD(rv_max_dump_s), 60, 2 * 3600 },

	{ "hardware", "relay", K_HW, FIELD(relay), 0, 0 },
	{ "hardware", "nfc", K_HW, FIELD(nfc), 0, 0 },
	{ "hardware", "printer", K_HW, FIELD(printer), 0, 0 },
	{ "hardware", "meter", K_HW_OPT, FIELD(meter), 0, 0 },

	{ "meter", "mismatch", K_RATE, FIELD(meter_mismatch), 0, 0 },
	{ "meter", "mismatch_min_gallons", K_LONG, FIELD(meter_mismatch_min), 0, 100000 },

	{ "kiosk", "speech", K_BOOL, FIELD(kiosk_speech), 0, 0 },
	{ "kiosk", "speech_output", K_SPEECH_OUT, FIELD(speech_output), 0, 0 },
	{ "kiosk", "renderer", K_RENDERER, FIELD(kiosk_renderer), 0, 0 },
	{ "kiosk", "fullscreen", K_BOOL, FIELD(kiosk_fullscreen), 0, 0 },
};

#define NKEYS HG_ARRAY_LEN(keys)

/* [relays] has no fixed keys: every key is a relay name. */
static const char *const sections[] = {
	"station", "hours", "policy", "sampling", "session", "hardware", "relays", "meter", "kiosk"
};

static const char *const waste_list_help = "septage, portable, grease, industrial";

struct loader {
	struct config *cfg;
	struct config_errors *errs;
	int nerr;			/* errors found, also past CFG_MAX_ERRORS */
	FILE *f;
	char dir[CFG_PATH];		/* folder of the file; "" = current */
	int line;			/* physical line last read */
	int cont;			/* that line continues the last key's list */
	int prev_list;			/* the last key line was of a list key */
	char sect[64];			/* section the reader is in */
	int seen[NKEYS];		/* line each key was set on, 0 = not yet */
	int relay_line[CFG_MAX_RELAYS];	/* line each relay was set on */
	int waste_line;			/* line of [policy] waste_types */
};

/* ---- messages ---- */

static void add_error(struct loader *ld, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record one error.  The last slot says that more were left out. */
static void add_error(struct loader *ld, int line, const char *fmt, ...)
{
	struct config_errors *errs = ld->errs;
	struct config_error *e;
	va_list ap;

	ld->nerr++;
	if (!errs || errs->n >= CFG_MAX_ERRORS)
		return;
	e = &errs->e[errs->n++];
	e->line = line;
	if (errs->n == CFG_MAX_ERRORS) {
		e->line = 0;
		snprintf(e->msg, sizeof e->msg, "more errors not shown; fix these first");
		return;
	}
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

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

/* A value as it may be quoted in a message: at most QUOTE_MAX characters,
 * control characters and broken UTF-8 shown as '?', "..." when cut. */
static void quote(const char *v, char *out, size_t cap)
{
	size_t o = 0;
	int chars = 0;

	while (*v && chars < QUOTE_MAX && o + 5 < cap) {
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
static int zone_exists(const char *name)
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
	char q[QUOTE_MAX * 4 + 8];
	int n;

	if (strcmp(v, "play") == 0) {
		snprintf(dst, cap, "play");
		return 0;
	}
	quote(v, q, sizeof q);
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
		char word[LINE_CAP];
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
	char q[QUOTE_MAX * 4 + 8];
	int r;

	(void)k;
	r = text_parse_date(w, NULL, NULL, NULL);
	if (r) {
		quote(w, q, sizeof q);
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
	char q[QUOTE_MAX * 4 + 8];

	(void)k;
	if (text_check(w, 63, 1) != TEXT_OK || strlen(w) >= sizeof cfg->area[0]) {
		quote(w, q, sizeof q);
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
	char q[QUOTE_MAX * 4 + 8];
	int r;

	r = waste_parse_list(w, &m);
	if (r || m == 0) {
		quote(w, q, sizeof q);
		say(why, wcap, "\"%s\" is not a waste type (%s)", q, waste_list_help);
		return -1;
	}
	*mask |= m;
	return 0;
}

/* ---- one key ---- */

/* Check v for key k and store it.  cont: v is a continuation line of a list
 * (append); otherwise a list starts over.  Returns 0 or -1 with why set. */
static int set_value(struct loader *ld, const struct key *k, const char *v, int cont, char *why,
		     size_t wcap)
{
	struct config *cfg = ld->cfg;
	char *field = (char *)cfg + k->off;
	char q[QUOTE_MAX * 4 + 8];
	long n;
	int r;

	quote(v, q, sizeof q);
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
		if (v[0] && !zone_exists(v)) {
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
static void set_relay(struct loader *ld, const char *name, const char *v)
{
	struct config *cfg = ld->cfg;
	char q[QUOTE_MAX * 4 + 8];
	size_t nlen = strlen(name);
	int i;

	if (nlen == 0 || nlen >= sizeof cfg->relays[0].name ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != nlen) {
		quote(name, q, sizeof q);
		add_error(ld, ld->line,
			  "[relays] \"%s\": a relay name is 1 to 31 letters, digits, '_' or '-'", q);
		return;
	}
	if (v[0] == '\0' || text_check(v, (int)sizeof cfg->relays[0].arg - 1, 1) != TEXT_OK ||
	    strlen(v) >= sizeof cfg->relays[0].arg) {
		quote(v, q, sizeof q);
		add_error(ld, ld->line,
			  "[relays] %s: must be the relay's backend argument (like 0), at most %zu bytes, not \"%s\"",
			  name, sizeof cfg->relays[0].arg - 1, q);
		return;
	}
	for (i = 0; i < cfg->n_relays; i++)
		if (strcmp(cfg->relays[i].name, name) == 0)
			break;
	if (i < cfg->n_relays && ld->relay_line[i]) {
		add_error(ld, ld->line, "[relays] %s: given twice (first on line %d)", name,
			  ld->relay_line[i]);
		return;
	}
	if (i == cfg->n_relays) {
		if (cfg->n_relays >= CFG_MAX_RELAYS) {
			add_error(ld, ld->line, "[relays] %s: more than %d relays", name,
				  CFG_MAX_RELAYS);
			return;
		}
		memcpy(cfg->relays[i].name, name, nlen + 1);
		cfg->n_relays++;
	}
	memcpy(cfg->relays[i].arg, v, strlen(v) + 1);
	ld->relay_line[i] = ld->line;
}

static const struct key *find_key(const char *section, const char *name, size_t *index)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0) {
			if (index)
				*index = i;
			return &keys[i];
		}
	return NULL;
}

static int known_section(const char *s)
{
	for (size_t i = 0; i < HG_ARRAY_LEN(sections); i++)
		if (strcmp(sections[i], s) == 0)
			return 1;
	return 0;
}

static int is_list(const struct key *k)
{
	return k && (k->kind == K_CLOSED || k->kind == K_AREA || k->kind == K_WASTE ||
		     k->kind == K_WASTE_SAMPLE);
}

/* inih's handler: one key = value of the line read_line() last gave it. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	char v[LINE_CAP], why[200], q[QUOTE_MAX * 4 + 8];
	const struct key *k;
	size_t idx = 0, n;

	if (!name || !value)
		return 1;
	if (section[0] == '\0') {
		quote(name, q, sizeof q);
		add_error(ld, ld->line, "\"%s\" comes before any [section]", q);
		return 1;
	}
	if (!known_section(section))
		return 1;	/* unknown or broken header: said once, at the header */

	/* a value in double quotes loses them: name = "Springfield WRF" */
	n = strlen(value);
	if (n >= sizeof v)
		n = sizeof v - 1;
	memcpy(v, value, n);
	v[n] = '\0';
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
		memmove(v, v + 1, n - 2);
		v[n - 2] = '\0';
	}

	if (strcmp(section, "relays") == 0) {
		set_relay(ld, name, v);
		return 1;
	}
	k = find_key(section, name, &idx);
	if (!k) {
		quote(name, q, sizeof q);
		add_error(ld, ld->line, "[%s] unknown key \"%s\" (see docs/CONFIG.md)", section, q);
		return 1;
	}
	if (!ld->cont) {
		if (ld->seen[idx]) {
			add_error(ld, ld->line, "[%s] %s: given twice (first on line %d)", section, name,
				  ld->seen[idx]);
			return 1;
		}
		ld->seen[idx] = ld->line;
	}
	if (set_value(ld, k, v, ld->cont, why, sizeof why) < 0)
		add_error(ld, ld->line, "[%s] %s: %s", section, name, why);
	return 1;
}

/* ---- the reader ---- */

static int is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Copy s as the line inih gets, with its newline.  s fits: checked before. */
static char *give(char *str, int num, const char *s)
{
	snprintf(str, (size_t)num, "%s\n", s);
	return str;
}

/* inih's fgets-style reader: one physical line per call, counted, checked,
 * maybe rewritten (see the top of the file). */
static char *read_line(char *str, int num, void *stream)
{
	struct loader *ld = stream;
	char raw[LINE_CAP], *line0, *s, *end;
	size_t len = 0, total = 0;
	int c, has_nul = 0, was_cont = ld->prev_list;

	while ((c = getc(ld->f)) != EOF && c != '\n') {
		if (c == '\0')
			has_nul = 1;
		if (len + 1 < sizeof raw)
			raw[len++] = (char)c;
		total++;
	}
	if (c == EOF && total == 0)
		return NULL;
	raw[len] = '\0';
	ld->line++;
	ld->cont = 0;
	if (len > 0 && raw[len - 1] == '\r')
		raw[--len] = '\0', total--;
	line0 = raw;
	if (ld->line == 1 && (unsigned char)raw[0] == 0xef && (unsigned char)raw[1] == 0xbb &&
	    (unsigned char)raw[2] == 0xbf)
		line0 += 3, total -= 3;	/* a UTF-8 BOM: inih skips it, so do we */
	s = line0;

	if (has_nul) {
		add_error(ld, ld->line, "the line holds a NUL byte");
		return give(str, num, ";");
	}
	if (total > (size_t)num - 3) {
		add_error(ld, ld->line, "line too long (%zu characters; at most %d): "
			  "continue a long list on indented lines", total, num - 3);
		return give(str, num, ";");
	}

	while (is_blank(*s))
		s++;
	if (*s == '\0' || *s == ';' || *s == '#')
		return give(str, num, line0);	/* blank or comment: inih skips it */

	if (*s == '[') {
		char name[64];

		ld->prev_list = 0;
		end = strchr(s, ']');
		if (!end) {
			add_error(ld, ld->line, "section header without ']'");
			snprintf(ld->sect, sizeof ld->sect, "%s", SECT_BAD);
			return give(str, num, "[" SECT_BAD "]");
		}
		len = (size_t)(end - s - 1);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, s + 1, len);
		name[len] = '\0';
		text_trim(name);
		snprintf(ld->sect, sizeof ld->sect, "%s", name);
		if (!known_section(name)) {
			char q[QUOTE_MAX * 4 + 8];

			quote(name, q, sizeof q);
			add_error(ld, ld->line, "unknown section [%s] (known: station, hours, policy, "
				  "sampling, session, hardware, relays, meter, kiosk)", q);
		}
		for (end++; is_blank(*end); end++)
			;
		if (*end && *end != ';' && *end != '#')
			add_error(ld, ld->line, "text after the section header [%s]", name);
		return give(str, num, s);
	}

	if (s > line0 && was_cont && !strpbrk(s, "=:")) {
		/* a list going on; inih does not strip an inline comment from a
		 * continuation line, so do it here, as it does on key lines */
		for (char *k = s + 1; *k; k++)
			if (*k == ';' && is_blank(k[-1])) {
				*k = '\0';
				break;
			}
		ld->cont = 1;
		return give(str, num, line0);
	}

	end = s + strcspn(s, "=:");
	if (*end == '\0') {
		char q[QUOTE_MAX * 4 + 8];

		ld->prev_list = 0;
		quote(s, q, sizeof q);
		if (s > line0)
			add_error(ld, ld->line, "indented line \"%s\" continues nothing: only lists "
				  "(service_area, closed_dates, waste_types) go on over lines", q);
		else
			add_error(ld, ld->line, "expected key = value or [section], not \"%s\"", q);
		return give(str, num, ";");
	}
	{
		char name[64];

		len = (size_t)(end - s);
		if (len >= sizeof name)
			len = sizeof name - 1;
		memcpy(name, s, len);
		name[len] = '\0';
		text_trim(name);
		ld->prev_list = is_list(find_key(ld->sect, name, NULL));
	}
	return give(str, num, s);	/* indent removed: an indented key is a key */
}

/* Checks over several keys, once the whole file is read. */
static void finish(struct loader *ld)
{
	struct config *cfg = ld->cfg;

	if (ld->waste_line && cfg->waste_allowed == 0)
		add_error(ld, ld->waste_line, "[policy] waste_types: must name at least one of %s",
			  waste_list_help);
	for (int i = 1; i < cfg->n_relays; i++)
		for (int j = 0; j < i; j++)
			if (strcmp(cfg->relays[i].arg, cfg->relays[j].arg) == 0) {
				int a = ld->relay_line[i] > ld->relay_line[j] ? i : j;
				int b = a == i ? j : i;

				add_error(ld, ld->relay_line[a],
					  "[relays] %s: uses the same relay (%s) as %s",
					  cfg->relays[a].name, cfg->relays[a].arg, cfg->relays[b].name);
			}
}

/* ---- the exported functions ---- */

/* Built-in defaults: the demo station with simulated hardware under ./var/. */
void config_defaults(struct config *cfg)
{
	static const char *const relay_names[] = { "gate", "valve" };
	static const char *const relay_args[] = { "0", "1" };

	memset(cfg, 0, sizeof *cfg);
	snprintf(cfg->station_id, sizeof cfg->station_id, "demo-01");
	snprintf(cfg->station_name, sizeof cfg->station_name, "Demo Water Reclamation Facility");
	snprintf(cfg->verify_base, sizeof cfg->verify_base, "https://potw.example.org/r");
	snprintf(cfg->db_path, sizeof cfg->db_path, "var/haulgate.db");
	snprintf(cfg->key_path, sizeof cfg->key_path, "var/station.key");
	cfg->lang_default = LANG_EN;

	for (int d = 1; d <= 5; d++) {
		cfg->hours[d].open = 6 * 60;
		cfg->hours[d].close = 18 * 60;
	}
	cfg->hours[6].open = 7 * 60;
	cfg->hours[6].close = 12 * 60;

	cfg->waste_allowed = WASTE_ALL;
	cfg->refuse_rcra = 1;
	cfg->no_analysis_sample = 1;
	cfg->daily_limit_gallons = 60000;
	{
		static const char *const area[] = { "Springfield", "Shelbyville", "80401", "80403" };

		for (size_t i = 0; i < HG_ARRAY_LEN(area); i++)
			snprintf(cfg->area[i], sizeof cfg->area[i], "%s", area[i]);
		cfg->n_area = (int)HG_ARRAY_LEN(area);
	}

	cfg->sample_first_load = 1;
	cfg->sample_waste = (1u << WASTE_INDUSTRIAL) | (1u << WASTE_GREASE);
	cfg->sample_rcra_unknown = 1;
	cfg->sample_constituents = 1;
	cfg->sample_random_rate = 0.05;
	cfg->sample_every_n = 10;

	cfg->pin_max_failures = 5;
	cfg->pin_lockout_s = 15 * 60;
	cfg->inactivity_s = 2 * 60;
	cfg->max_discharge_s = 30 * 60;
	cfg->rv_max_dump_s = 15 * 60;

	snprintf(cfg->relay, sizeof cfg->relay, "sim:var/relays");
	snprintf(cfg->nfc, sizeof cfg->nfc, "sim:var/nfc.fifo");
	snprintf(cfg->printer, sizeof cfg->printer, "file:var/receipts");
	cfg->meter[0] = '\0';		/* no meter: nothing measured, nothing flagged */
	cfg->meter_mismatch = 0.10;
	cfg->meter_mismatch_min = 25;
	for (size_t i = 0; i < HG_ARRAY_LEN(relay_names); i++) {
		snprintf(cfg->relays[i].name, sizeof cfg->relays[i].name, "%s", relay_names[i]);
		snprintf(cfg->relays[i].arg, sizeof cfg->relays[i].arg, "%s", relay_args[i]);
	}
	cfg->n_relays = (int)HG_ARRAY_LEN(relay_names);

	cfg->kiosk_speech = 0;
	snprintf(cfg->speech_output, sizeof cfg->speech_output, "play");
	cfg->kiosk_renderer = CFG_RENDERER_SOFTWARE;
	cfg->kiosk_fullscreen = 1;
}

/* Read path over cfg; see config.h.  Errors are appended to errs. */
int config_load(struct config *cfg, const char *path, struct config_errors *errs)
{
	struct loader *ld;
	struct stat st;
	const char *slash;
	int r, rc = HG_OK;

	if (errs && (errs->n < 0 || errs->n > CFG_MAX_ERRORS))
		errs->n = 0;
	if (!cfg || !path)
		return HG_EINVAL;
	ld = calloc(1, sizeof *ld);	/* the loader is big: not on the stack */
	if (!ld)
		return HG_ENOMEM;
	ld->cfg = cfg;
	ld->errs = errs;

	ld->f = fopen(path, "r");
	if (!ld->f) {
		add_error(ld, 0, "cannot open the configuration: %s", strerror(errno));
		rc = HG_EIO;
		goto done;
	}
	if (fstat(fileno(ld->f), &st) != 0 || !S_ISREG(st.st_mode)) {
		add_error(ld, 0, "not a regular file");
		rc = HG_EIO;
		goto done;
	}
	slash = strrchr(path, '/');
	if (slash && slash == path)
		snprintf(ld->dir, sizeof ld->dir, "/");
	else if (slash && (size_t)(slash - path) < sizeof ld->dir)
		snprintf(ld->dir, sizeof ld->dir, "%.*s", (int)(slash - path), path);
	else if (slash) {
		add_error(ld, 0, "the folder of the configuration file is too long a path");
		rc = HG_EINVAL;
		goto done;
	}

	r = ini_parse_stream(read_line, ld, on_key, ld);
	if (ferror(ld->f)) {
		add_error(ld, 0, "read error: %s", strerror(errno));
		rc = HG_EIO;
		goto done;
	}
	if (r == -2) {
		rc = HG_ENOMEM;
		goto done;
	}
	finish(ld);
	if (ld->nerr)
		rc = HG_EINVAL;
done:
	if (ld->f)
		fclose(ld->f);
	free(ld);
	return rc;
}

/* Open at now: not a closed date, and within the weekday's hours (local). */
int config_is_open(const struct config *cfg, hg_time now)
{
	time_t t = (time_t)now;
	struct tm tm;
	const struct cfg_hours *h;
	char date[LIM_DATE + 1];
	int minute;

	if (!cfg || !localtime_r(&t, &tm) || tm.tm_wday < 0 || tm.tm_wday > 6)
		return 0;
	text_date_local(now, date);
	for (int i = 0; i < cfg->n_closed && i < CFG_MAX_CLOSED; i++)
		if (strcmp(cfg->closed[i], date) == 0)
			return 0;
	h = &cfg->hours[tm.tm_wday];
	if (h->open == 0 && h->close == 0)
		return 0;
	minute = tm.tm_hour * 60 + tm.tm_min;
	return minute >= h->open && minute < h->close;
}

const char *config_relay_arg(const struct config *cfg, const char *name)
{
	if (!cfg || !name)
		return NULL;
	for (int i = 0; i < cfg->n_relays && i < CFG_MAX_RELAYS; i++)
		if (strcmp(cfg->relays[i].name, name) == 0)
			return cfg->relays[i].arg;
	return NULL;
}

int config_apply_timezone(const struct config *cfg)
{
	if (!cfg || cfg->timezone[0] == '\0')
		return HG_OK;
	if (!zone_exists(cfg->timezone))
		return HG_EINVAL;
	if (setenv("TZ", cfg->timezone, 1) != 0)
		return HG_EIO;
	tzset();
	return HG_OK;
}
