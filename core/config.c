/* config.c: station.ini's text read with inih over built-in defaults.
 *
 * Every key the file may hold is one row of keys[] below: its section, its
 * name, what kind of value it takes and where in struct config it goes;
 * cfg_set_value() calls that kind's parser to check and store a value.  An
 * error never stops the reading: each unknown section or key, bad value or
 * line that is not INI adds one message with its line number, and the good
 * keys are still applied, so one run of `haulgate config check` lists
 * everything to fix.
 *
 * The text comes in as a value (host/config_file.c reads the file and says
 * which time zones exist): nothing here opens a file or reads the
 * environment.  inih 55 does not tell its handler the line number, so inih
 * reads through read_line(), our own fgets-style reader over the text: it
 * counts physical lines, and it
 * looks at each line before inih does to report what inih would only count
 * (lines without '=', section headers without ']', lines too long for inih's
 * buffer) and to pass inih a harmless comment instead.  Indented lines: a
 * line with no '=' after a list key (service_area, industries, closed_dates,
 * waste_types) continues that list, as in Python's configparser; any other
 * indented line has its indent removed, so an indented key is just a key.
 *
 * Relative paths in a file are taken from the file's folder; the built-in
 * defaults stay relative to the current directory.  Checking and storing
 * one value (a parser per kind of value, the [relays] keys) is in
 * core/config_value.c; what both files share is core/config_int.h.  Start
 * reading at config_parse(). */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <ini.h>

#include "config_int.h"
#include "i18n.h"
#include "text.h"

#define SECT_BAD "\x01"		/* section after a broken header: keys ignored */

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
	{ "policy", "industries", K_INDUSTRY, FIELD(industries), 0, 0 },
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
	{ "kiosk", "panel_size", K_PANEL, FIELD(kiosk_panel), 0, 0 },

	{ "sync", "url", K_SYNC_URL, FIELD(sync_url), 0, 0 },
	{ "sync", "pin", K_PIN, FIELD(sync_pin), 0, 0 },
	{ "sync", "plant_key", K_NOTE_KEY, FIELD(sync_plant_key), 0, 0 },
	{ "sync", "interval", K_DURATION, FIELD(sync_interval_s), 5, 3600 },
	{ "sync", "warn_after", K_DURATION, FIELD(sync_warn_after_s), 3600, 365 * 86400L },
	{ "sync", "offline_after", K_DURATION, FIELD(sync_offline_after_s), 3600, 3650 * 86400L },
	{ "sync", "offline_waste_types", K_WASTE_SAMPLE, FIELD(sync_offline_waste), 0, 0 },
};

#define NKEYS HG_ARRAY_LEN(keys)
_Static_assert(NKEYS <= CFG_MAX_KEYS, "struct loader has room for every key");

/* [relays] has no fixed keys: every key is a relay name. */
static const char *const sections[] = {
	"station", "hours", "policy", "sampling", "session", "hardware", "relays", "meter", "kiosk",
	"sync"
};

const struct key *cfg_key_at(size_t i)
{
	return i < NKEYS ? &keys[i] : NULL;
}

const char *cfg_section_at(size_t i)
{
	return i < HG_ARRAY_LEN(sections) ? sections[i] : NULL;
}

/* ---- messages ---- */

/* Record one error.  The last slot says that more were left out. */
void cfg_add_error(struct loader *ld, int line, const char *fmt, ...)
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
	const struct cfg_kind *kind = k ? cfg_kind(k->kind) : NULL;

	return kind && kind->list;
}

/* inih's handler: one key = value of the line read_line() last gave it. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct loader *ld = user;
	char v[CFG_LINE_CAP], why[200], q[CFG_QUOTE_CAP];
	const struct key *k;
	size_t idx = 0, n;

	if (!name || !value)
		return 1;
	if (section[0] == '\0') {
		cfg_quote(name, q, sizeof q);
		cfg_add_error(ld, ld->line, "\"%s\" comes before any [section]", q);
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
		cfg_set_relay(ld, name, v);
		return 1;
	}
	k = find_key(section, name, &idx);
	if (!k) {
		cfg_quote(name, q, sizeof q);
		cfg_add_error(ld, ld->line, "[%s] unknown key \"%s\" (see docs/CONFIG.md)", section, q);
		return 1;
	}
	if (!ld->cont) {
		if (ld->seen[idx]) {
			cfg_add_error(ld, ld->line, "[%s] %s: given twice (first on line %d)", section, name,
				  ld->seen[idx]);
			return 1;
		}
		ld->seen[idx] = ld->line;
	}
	if (cfg_set_value(ld, k, v, why, sizeof why) < 0)
		cfg_add_error(ld, ld->line, "[%s] %s: %s", section, name, why);
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
	char raw[CFG_LINE_CAP], *line0, *s, *end;
	size_t len = 0, total = 0;
	int c = EOF, has_nul = 0, was_cont = ld->prev_list;

	while (ld->pos < ld->len && (c = (unsigned char)ld->text[ld->pos++]) != '\n') {
		if (c == '\0')
			has_nul = 1;
		if (len + 1 < sizeof raw)
			raw[len++] = (char)c;
		total++;
	}
	if (c != '\n' && total == 0)
		return NULL;		/* the end of the text */
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
		cfg_add_error(ld, ld->line, "the line holds a NUL byte");
		return give(str, num, ";");
	}
	if (total > (size_t)num - 3) {
		cfg_add_error(ld, ld->line, "line too long (%zu characters; at most %d): "
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
			cfg_add_error(ld, ld->line, "section header without ']'");
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
			char q[CFG_QUOTE_CAP];

			cfg_quote(name, q, sizeof q);
			cfg_add_error(ld, ld->line, "unknown section [%s] (known: station, hours, policy, "
				  "sampling, session, hardware, relays, meter, kiosk, sync)", q);
		}
		for (end++; is_blank(*end); end++)
			;
		if (*end && *end != ';' && *end != '#')
			cfg_add_error(ld, ld->line, "text after the section header [%s]", name);
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
		char q[CFG_QUOTE_CAP];

		ld->prev_list = 0;
		cfg_quote(s, q, sizeof q);
		if (s > line0)
			cfg_add_error(ld, ld->line, "indented line \"%s\" continues nothing: only lists "
				  "(service_area, closed_dates, waste_types) go on over lines", q);
		else
			cfg_add_error(ld, ld->line, "expected key = value or [section], not \"%s\"", q);
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
	size_t id;

	if (find_key("station", "id", &id))
		cfg->station_id_line = ld->seen[id];	/* config_station_id() */

	if (ld->waste_line && cfg->waste_allowed == 0)
		cfg_add_error(ld, ld->waste_line, "[policy] waste_types: must name at least one of %s",
			  CFG_WASTE_HELP);
	cfg_check_relays(ld);

	/* a plant-managed station needs the plant's keys, and its limits in order */
	if (cfg->sync_url[0] && !cfg->sync_pin[0])
		cfg_add_error(ld, ld->sync_line, "[sync] url is set: pin must be set too (the "
			      "sha256//... that `haulgate-potw key` prints)");
	if (cfg->sync_url[0] && !cfg->sync_plant_key[0])
		cfg_add_error(ld, ld->sync_line, "[sync] url is set: plant_key must be set too (what "
			      "`haulgate-potw key --note-verifier` prints)");
	if (cfg->sync_offline_after_s <= cfg->sync_warn_after_s)
		cfg_add_error(ld, 0, "[sync] offline_after must be longer than warn_after");
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
	{
		/* the common sources of hauled septage and grease (docs/CONFIG.md,
		 * [policy] industries); each has its ui.industry.<key> in the
		 * catalogue */
		static const char *const ind[] = {
			"residential", "restaurant", "car wash", "commercial", "school",
			"campground", "mobile home park", "construction", "food processing",
		};

		for (size_t i = 0; i < HG_ARRAY_LEN(ind); i++)
			snprintf(cfg->industries[i], sizeof cfg->industries[i], "%s", ind[i]);
		cfg->n_industries = (int)HG_ARRAY_LEN(ind);
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

	cfg->sync_interval_s = 30;
	cfg->sync_warn_after_s = 7 * 86400L;
	cfg->sync_offline_after_s = 30 * 86400L;
	cfg->sync_offline_waste = (1u << WASTE_SEPTAGE) | (1u << WASTE_PORTABLE);
}

/* Read text over cfg; see config.h.  Errors are appended to errs. */
int config_parse(struct config *cfg, const char *text, size_t len, const char *dir,
		 config_zone_fn *zone_exists, struct config_errors *errs)
{
	struct loader *ld;
	int r, rc = HG_OK;

	if (errs && (errs->n < 0 || errs->n > CFG_MAX_ERRORS))
		errs->n = 0;
	if (!cfg || (!text && len))
		return HG_EINVAL;
	ld = calloc(1, sizeof *ld);	/* the loader is big: not on the stack */
	if (!ld)
		return HG_ENOMEM;
	ld->cfg = cfg;
	ld->errs = errs;
	ld->text = text;
	ld->len = len;
	ld->zone_exists = zone_exists;
	if (dir && snprintf(ld->dir, sizeof ld->dir, "%s", dir) >= (int)sizeof ld->dir) {
		cfg_add_error(ld, 0, "the folder of the configuration file is too long a path");
		rc = HG_EINVAL;
		goto done;
	}

	r = ini_parse_stream(read_line, ld, on_key, ld);
	if (r == -2) {
		rc = HG_ENOMEM;
		goto done;
	}
	finish(ld);
	if (ld->nerr)
		rc = HG_EINVAL;
done:
	free(ld);
	return rc;
}

/* The error config_parse() adds, for a reader that could not get the text:
 * so a file that cannot be read is said the same way as a bad line. */
void config_error_add(struct config_errors *errs, const char *msg)
{
	struct loader ld = { .errs = errs };

	if (errs && (errs->n < 0 || errs->n > CFG_MAX_ERRORS))
		errs->n = 0;
	cfg_add_error(&ld, 0, "%s", msg);
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
