/* i18n.h: reason codes and the person-facing messages, in English and Spanish.
 *
 * A reason code is a stable machine-readable string (stored in the database,
 * printed on slips, listed in docs/REASONS.md); its message is what the hauler
 * or RV visitor reads.  Every code has both languages; a unit test checks it. */
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
	/* session and station messages */
	R_TIMEOUT,
	R_FAULT_RELAY,
	R_FAULT_DB,
	R_FAULT_PRINTER,
	R_DISCHARGE_MAX_TIME,
	/* input faults (text_check and field rules) */
	R_INPUT_BAD_UTF8,
	R_INPUT_CONTROL,
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

/* Message of r in lang: one or two plain sentences. */
const char *i18n_msg(enum reason r, enum lang lang);

/* "en" / "es" */
const char *i18n_lang_code(enum lang lang);
/* Parse "en"/"es"; returns -1 when unknown. */
int i18n_lang_parse(const char *s);

/* The reason in row i of the message table (for the unit test of its order). */
int i18n_row_reason(int i);

#endif
