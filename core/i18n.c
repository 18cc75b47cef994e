/* i18n.c: the strings of the translation files.
 *
 * A reason's message has the key "reason." + its code (core/reason.c).
 * Every text comes from the PO files, assets/i18n/<lang>.po, that
 * tools/embed turned into the arrays i18n_po_en and i18n_po_es
 * (build/gen/i18n_data.c) at build time, or from the files the process's
 * loader gives (host/po_file.c's reads HAULGATE_PO_DIR; nothing here reads a
 * file or the environment).  load() parses them once (core/po.c), under
 * pthread_once, and resolves the
 * reasons' messages; after that every lookup is a binary search or an array
 * index, with no allocation and no lock.  Start reading at load(). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "hg.h"
#include "i18n.h"
#include "po.h"
#include "report.h"

/* The built-in copies of assets/i18n/en.po and es.po (build/gen/i18n_data.c). */
extern const char i18n_po_en[];
extern const char i18n_po_es[];

static const char *const builtin[LANG_COUNT] = {i18n_po_en, i18n_po_es};
static const char *const lang_names[LANG_COUNT] = {"English", "Spanish"};

static pthread_once_t once = PTHREAD_ONCE_INIT;
static struct po *tables[LANG_COUNT];		/* never freed: they live as long as the program */
static char msg_keys[R_COUNT][64];		/* "reason." + code: a missing message shows it */
static const char *msgs[R_COUNT][LANG_COUNT];	/* each reason's message, resolved once */
static char status[1024];			/* what went wrong while loading, or "" */
static i18n_loader_fn *loader;			/* set before the first text, or NULL */

void i18n_set_loader(i18n_loader_fn *fn)
{
	loader = fn;
}

/* Remember a loading problem, and say it as a warning (core/report.h): the
 * process prints it, as nothing else would show a translator why their
 * file was not used. */
static void note(const char *what, const struct po_error *err, const char *then)
{
	char line[512];
	size_t len = strlen(status);

	if (err->line > 0)
		snprintf(line, sizeof line, "%s:%d: %s; %s", what, err->line, err->msg, then);
	else
		snprintf(line, sizeof line, "%s: %s; %s", what, err->msg, then);
	hg_warn("%s", line);
	snprintf(status + len, sizeof status - len, "%s%s", len ? "\n" : "", line);
}

/* The table of lang from the loader (when there is one and it gives a
 * table) or the built-in copy; NULL when neither can be read. */
static struct po *load_lang(enum lang l)
{
	const char *code = i18n_lang_code(l);
	struct po_error err = {0};
	struct po *po = NULL;
	char then[64], what[32], where[256] = "";
	int result;

	if (loader) {
		snprintf(then, sizeof then, "using the built-in %s strings", lang_names[l]);
		po = loader(l, where, sizeof where, &err);
		if (po && strcmp(po_language(po), code) != 0) {
			err.line = 0;
			snprintf(err.msg, sizeof err.msg, "the header says Language: %s, not %s",
				 po_language(po), code);
			po_free(po);
			po = NULL;
		}
		if (!po && err.msg[0])
			note(where[0] ? where : "translation file", &err, then);
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
	for (int l = 0; l < LANG_COUNT; l++)
		tables[l] = load_lang((enum lang)l);
	for (int r = 1; r < R_COUNT; r++)
		snprintf(msg_keys[r], sizeof msg_keys[r], "reason.%s", reason_code((enum reason)r));
	for (int l = 0; l < LANG_COUNT; l++) {
		msgs[R_NONE][l] = "";
		for (int r = 1; r < R_COUNT; r++)
			msgs[r][l] = lookup(msg_keys[r], (enum lang)l);
	}
}

static void ready(void)
{
	(void)pthread_once(&once, load);	/* fails only on bad arguments */
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
