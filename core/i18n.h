/* i18n.h: every person-facing string in English and Spanish.
 *
 * The reasons themselves (enum reason and their stable codes) are in
 * reason.h; a reason's message, what the hauler or RV visitor reads, is
 * here.  The texts live in the translation files assets/i18n/en.po and
 * es.po (docs/TRANSLATING.md), built into the program, where each string has
 * a key: "reason." + the code for a reason's message, "ui.<screen>.<name>"
 * for the kiosk's words.  Every key
 * has both languages; a unit test (tests/unit/test_i18n.c) checks it.
 *
 * The tables are read once, on the first call of any function below that
 * returns a text (pthread_once: any thread may be first).  With the
 * environment variable HAULGATE_PO_DIR set, <dir>/en.po and <dir>/es.po are
 * read instead of the built-in copies, so a translator can try an edit
 * without rebuilding. */
#ifndef I18N_H
#define I18N_H

#include "reason.h"

enum lang { LANG_EN = 0, LANG_ES = 1, LANG_COUNT };

/* Message of r in lang: one or two plain sentences; i18n_text("reason." +
 * code).  "" for R_NONE or an argument out of range; never NULL. */
const char *i18n_msg(enum reason r, enum lang lang);

/* The string of key ("ui.start.title") in lang.  When the key is missing,
 * has an empty text, or lang is out of range, the key itself is returned, so
 * a missing string shows on screen instead of nothing (and test_i18n fails
 * on it); a NULL key gives "".  Never NULL; the string lives as long as the
 * program.  No allocation after the first call. */
const char *i18n_text(const char *key, enum lang lang);

/* NULL when the strings were read without trouble; else what went wrong
 * (a file of HAULGATE_PO_DIR that could not be read, so the built-in copy
 * was used instead), also printed once on stderr when it happened. */
const char *i18n_status(void);

/* The built-in PO text of lang (assets/i18n/<lang>.po at build time), for
 * the tests; "" for an unknown lang. */
const char *i18n_po_builtin(enum lang lang);

/* "en" / "es" */
const char *i18n_lang_code(enum lang lang);
/* Parse "en"/"es"; returns -1 when unknown. */
int i18n_lang_parse(const char *s);

#endif
