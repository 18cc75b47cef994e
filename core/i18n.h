/* i18n.h: reason codes, and every person-facing string in English and Spanish.
 *
 * A reason code is a stable machine-readable string (stored in the database,
 * printed on slips, listed in docs/REASONS.md); its message is what the hauler
 * or RV visitor reads.  The codes live here in C; the texts live in the
 * translation files assets/i18n/en.po and es.po (docs/TRANSLATING.md), built
 * into the program, where each string has a key: "reason." + the code for a
 * reason's message, "ui.<screen>.<name>" for the kiosk's words.  Every key
 * has both languages; a unit test (tests/unit/test_i18n.c) checks it.
 *
 * The tables are read once, on the first call of any function below that
 * returns a text (pthread_once: any thread may be first).  With the
 * environment variable HAULGATE_PO_DIR set, <dir>/en.po and <dir>/es.po are
 * read instead of the built-in copies, so a translator can try an edit
 * without rebuilding. */
#ifndef I18N_H
#define I18N_H

enum lang { LANG_EN = 0, LANG_ES = 1, LANG_COUNT };

enum reason {
	R_NONE = 0,
	/* refusals: who */
	R_CARD_UNKNOWN,
	R_CARD_REVOKED,
	R_PIN_WRONG,
	R_PIN_LOCKED,
	R_HAULER_SUSPENDED,
	R_PERMIT_NOT_VALID,
	/* refusals: when, what, how much, from where */
	R_STATION_CLOSED,
	R_WASTE_NOT_ALLOWED_HAULER,
	R_WASTE_NOT_ALLOWED_STATION,
	R_RCRA_HAZARDOUS,
	R_NO_WASTE_ANALYSIS,
	R_VOLUME_INVALID,
	R_VOLUME_OVER_CAPACITY,
	R_DAILY_LIMIT,
	R_SOURCE_OUTSIDE_AREA,
	R_RV_DECLARATION,
	/* sampling reasons */
	R_SAMPLE_FIRST_LOAD,
	R_SAMPLE_WASTE_TYPE,
	R_SAMPLE_RCRA_UNKNOWN,
	R_SAMPLE_CONSTITUENTS,
	R_SAMPLE_RANDOM,
	R_SAMPLE_EVERY_N,
	R_SAMPLE_MANUAL,
	R_SAMPLE_NO_ANALYSIS,
	R_SAMPLE_PENDING,
	/* flags set when the discharge ends (the flow meter) */
	R_METER_MISMATCH,
	R_METER_FAILED,
	/* session and station messages */
	R_TIMEOUT,
	R_FAULT_RELAY,
	R_FAULT_DB,
	R_FAULT_PRINTER,
	R_DISCHARGE_MAX_TIME,
	R_STILL_THERE,
	/* input faults (text_check and field rules) */
	R_INPUT_BAD_UTF8,
	R_INPUT_CONTROL,
	R_INPUT_FORMAT,
	R_INPUT_INVISIBLE,
	R_INPUT_TOO_LONG,
	R_INPUT_EMPTY,
	R_INPUT_NUMBER,
	R_INPUT_CHOICE,
	R_INPUT_TOO_MANY,
	R_OPERATOR_ONLY,
	R_COUNT
};

/* Stable code of r ("card_unknown").  Never NULL for r < R_COUNT. */
const char *i18n_code(enum reason r);

/* Reason for a code, or R_NONE if the code is not known. */
enum reason i18n_reason(const char *code);

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

/* The reason in row i of the code table (for the unit test of its order). */
int i18n_row_reason(int i);

#endif
