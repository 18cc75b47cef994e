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
 * returns a text (pthread_once: any thread may be first).  A process may set
 * a loader first (i18n_set_loader) whose tables are used instead of the
 * built-in copies: host/po_file.c's i18n_files_use() reads <dir>/en.po and
 * <dir>/es.po of the environment variable HAULGATE_PO_DIR, so a translator
 * can try an edit without rebuilding. */
#ifndef I18N_H
#define I18N_H

#include <stddef.h>
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

struct po;
struct po_error;

/* A process's own source of lang's table (core/po.h): a new table, or NULL
 * to use the built-in copy.  When it had something to give and could not
 * (a broken file), it sets err (err->msg not "") and names what in
 * where[cap]: that is noted (i18n_status, a warning) and the built-in copy
 * is used.  A table whose Language: is not lang's is refused the same way. */
typedef struct po *i18n_loader_fn(enum lang lang, char *where, size_t cap,
				  struct po_error *err);

/* Set the loader, once, before the first text is asked for (later calls
 * change nothing already read).  NULL: the built-in copies only. */
void i18n_set_loader(i18n_loader_fn *fn);

/* NULL when the strings were read without trouble; else what went wrong
 * (a file of the loader's that could not be read, so the built-in copy was
 * used instead), also said once as a warning (hg_warn) when it happened. */
const char *i18n_status(void);

/* The built-in PO text of lang (assets/i18n/<lang>.po at build time), for
 * the tests; "" for an unknown lang. */
const char *i18n_po_builtin(enum lang lang);

/* "en" / "es" */
const char *i18n_lang_code(enum lang lang);
/* Parse "en"/"es"; returns -1 when unknown. */
int i18n_lang_parse(const char *s);

#endif
