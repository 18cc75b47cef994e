/* i18n.c: reason codes, and the strings of the translation files.
 *
 * The codes are a C table, one row per enum reason in enum order (a unit test
 * checks the order and that every code is unique).  Codes are stable: they are
 * stored in the database and printed on slips, so never rename one.  Each
 * row also names the key of the reason's message, "reason." + code.
 *
 * Every text comes from the PO files, assets/i18n/<lang>.po, that
 * tools/embed turned into the arrays i18n_po_en and i18n_po_es
 * (build/gen/i18n_data.c) at build time, or from HAULGATE_PO_DIR's copies.
 * load() parses them once (core/po.c), under pthread_once, and resolves the
 * reasons' messages; after that every lookup is a binary search or an array
 * index, with no allocation and no lock.  Start reading at load(). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hg.h"
#include "i18n.h"
#include "po.h"

/* The built-in copies of assets/i18n/en.po and es.po (build/gen/i18n_data.c). */
extern const char i18n_po_en[];
extern const char i18n_po_es[];

static const char *const builtin[LANG_COUNT] = {i18n_po_en, i18n_po_es};
static const char *const lang_names[LANG_COUNT] = {"English", "Spanish"};

struct row {
	enum reason r;
	const char *code;
	const char *key;	/* of its message in the PO files */
};

#define ROW(r, code) {r, code, "reason." code}

static const struct row rows[R_COUNT] = {
	{R_NONE, "none", ""},
	/* refusals: who */
	ROW(R_CARD_UNKNOWN, "card_unknown"),
	ROW(R_CARD_REVOKED, "card_revoked"),
	ROW(R_PIN_WRONG, "pin_wrong"),
	ROW(R_PIN_LOCKED, "pin_locked"),
	ROW(R_HAULER_SUSPENDED, "hauler_suspended"),
	ROW(R_PERMIT_NOT_VALID, "permit_not_valid"),
	/* refusals: when, what, how much, from where */
	ROW(R_STATION_CLOSED, "station_closed"),
	ROW(R_WASTE_NOT_ALLOWED_HAULER, "waste_not_allowed_hauler"),
	ROW(R_WASTE_NOT_ALLOWED_STATION, "waste_not_allowed_station"),
	ROW(R_RCRA_HAZARDOUS, "rcra_hazardous"),
	ROW(R_NO_WASTE_ANALYSIS, "no_waste_analysis"),
	ROW(R_VOLUME_INVALID, "volume_invalid"),
	ROW(R_VOLUME_OVER_CAPACITY, "volume_over_capacity"),
	ROW(R_DAILY_LIMIT, "daily_limit"),
	ROW(R_SOURCE_OUTSIDE_AREA, "source_outside_area"),
	ROW(R_RV_DECLARATION, "rv_declaration"),
	/* sampling reasons */
	ROW(R_SAMPLE_FIRST_LOAD, "sample_first_load"),
	ROW(R_SAMPLE_WASTE_TYPE, "sample_waste_type"),
	ROW(R_SAMPLE_RCRA_UNKNOWN, "sample_rcra_unknown"),
	ROW(R_SAMPLE_CONSTITUENTS, "sample_constituents"),
	ROW(R_SAMPLE_RANDOM, "sample_random"),
	ROW(R_SAMPLE_EVERY_N, "sample_every_n"),
	ROW(R_SAMPLE_MANUAL, "sample_manual"),
	ROW(R_SAMPLE_NO_ANALYSIS, "sample_no_analysis"),
	ROW(R_SAMPLE_PENDING, "sample_pending"),
	/* flags set when the discharge ends (the flow meter) */
	ROW(R_METER_MISMATCH, "meter_mismatch"),
	ROW(R_METER_FAILED, "meter_failed"),
	/* session and station messages */
	ROW(R_TIMEOUT, "timeout"),
	ROW(R_FAULT_RELAY, "fault_relay"),
	ROW(R_FAULT_DB, "fault_db"),
	ROW(R_FAULT_PRINTER, "fault_printer"),
	ROW(R_DISCHARGE_MAX_TIME, "discharge_max_time"),
	ROW(R_STILL_THERE, "still_there"),
	/* input faults (text_check and field rules) */
	ROW(R_INPUT_BAD_UTF8, "input_bad_utf8"),
	ROW(R_INPUT_CONTROL, "input_control"),
	ROW(R_INPUT_FORMAT, "input_format"),
	ROW(R_INPUT_INVISIBLE, "input_invisible"),
	ROW(R_INPUT_TOO_LONG, "input_too_long"),
	ROW(R_INPUT_EMPTY, "input_empty"),
	ROW(R_INPUT_NUMBER, "input_number"),
	ROW(R_INPUT_CHOICE, "input_choice"),
	ROW(R_INPUT_TOO_MANY, "input_too_many"),
	ROW(R_OPERATOR_ONLY, "operator_only"),
};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct po *tables[LANG_COUNT];		/* never freed: they live as long as the program */
static const char *msgs[R_COUNT][LANG_COUNT];	/* each reason's message, resolved once */
static char status[1024];			/* what went wrong while loading, or "" */

/* Remember a loading problem, and say it on stderr: library code does not
 * usually print, but nothing else would show a translator why their file
 * was not used. */
static void note(const char *what, const struct po_error *err, const char *then)
{
	char line[512];
	size_t len = strlen(status);

	if (err->line > 0)
		snprintf(line, sizeof line, "%s:%d: %s; %s", what, err->line, err->msg, then);
	else
		snprintf(line, sizeof line, "%s: %s; %s", what, err->msg, then);
	fprintf(stderr, "haulgate: %s\n", line);
	snprintf(status + len, sizeof status - len, "%s%s", len ? "\n" : "", line);
}

/* The table of lang from HAULGATE_PO_DIR (dir not NULL) or the built-in
 * copy; NULL when neither can be read. */
static struct po *load_lang(const char *dir, enum lang l)
{
	const char *code = i18n_lang_code(l);
	struct po_error err = {0};
	struct po *po = NULL;
	char path[4096], then[64], what[32];
	int result, n;

	if (dir && *dir) {
		snprintf(then, sizeof then, "using the built-in %s strings", lang_names[l]);
		n = snprintf(path, sizeof path, "%s/%s.po", dir, code);
		if (n < 0 || (size_t)n >= sizeof path) {
			snprintf(err.msg, sizeof err.msg, "path too long");
			note("HAULGATE_PO_DIR", &err, then);
		} else {
			result = po_load(path, &po, &err);
			if (result == HG_OK && strcmp(po_language(po), code) != 0) {
				err.line = 0;
				snprintf(err.msg, sizeof err.msg, "the header says Language: %s, not %s",
					 po_language(po), code);
				po_free(po);
				po = NULL;
			}
			if (!po)
				note(path, &err, then);
		}
	}
	if (po)
		return po;
	snprintf(what, sizeof what, "built-in %s.po", code);
	result = po_parse(builtin[l], strlen(builtin[l]), &po, &err);
	if (result != HG_OK) {
		note(what, &err, "its strings show as their keys");
		return NULL;
	}
	return po;
}

/* The string of key in lang, or the key itself. */
static const char *lookup(const char *key, enum lang l)
{
	const char *v = po_get(tables[l], key);

	return v && *v ? v : key;
}

/* Read both languages, then resolve every reason's message. */
static void load(void)
{
	const char *dir = getenv("HAULGATE_PO_DIR");

	for (int l = 0; l < LANG_COUNT; l++)
		tables[l] = load_lang(dir, (enum lang)l);
	for (int l = 0; l < LANG_COUNT; l++) {
		msgs[R_NONE][l] = "";
		for (int r = 1; r < R_COUNT; r++)
			msgs[r][l] = lookup(rows[r].key, (enum lang)l);
	}
}

static void ready(void)
{
	(void)pthread_once(&once, load);	/* fails only on bad arguments */
}

const char *i18n_code(enum reason r)
{
	if ((unsigned)r >= R_COUNT)
		return "none";
	return rows[r].code;
}

enum reason i18n_reason(const char *code)
{
	if (!code)
		return R_NONE;
	for (int i = 1; i < R_COUNT; i++)
		if (strcmp(rows[i].code, code) == 0)
			return (enum reason)i;
	return R_NONE;
}

const char *i18n_msg(enum reason r, enum lang lang)
{
	if ((unsigned)r >= R_COUNT || (unsigned)lang >= LANG_COUNT)
		return "";
	ready();
	return msgs[r][lang];
}

const char *i18n_text(const char *key, enum lang lang)
{
	if (!key)
		return "";
	if ((unsigned)lang >= LANG_COUNT)
		return key;
	ready();
	return lookup(key, lang);
}

const char *i18n_status(void)
{
	ready();
	return status[0] ? status : NULL;
}

const char *i18n_po_builtin(enum lang lang)
{
	return (unsigned)lang < LANG_COUNT ? builtin[lang] : "";
}

const char *i18n_lang_code(enum lang lang)
{
	return lang == LANG_ES ? "es" : "en";
}

int i18n_lang_parse(const char *s)
{
	if (s && strcmp(s, "en") == 0)
		return LANG_EN;
	if (s && strcmp(s, "es") == 0)
		return LANG_ES;
	return -1;
}

int i18n_row_reason(int i)
{
	return (i >= 0 && i < R_COUNT) ? (int)rows[i].r : -1;
}
