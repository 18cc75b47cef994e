/* reason.h: why a load is refused, held for a sample or flagged, and the
 * station's other messages to a person, as enum reason and its stable codes.
 *
 * A reason code is a stable machine-readable string ("card_unknown"): stored
 * in the database, printed on slips, named by scenarios, listed in
 * docs/REASONS.md.  Never rename one.  What a person reads for a reason is
 * its message in the translation files, key "reason." + code: i18n_msg()
 * in i18n.h. */
#ifndef REASON_H
#define REASON_H

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
	R_OFFLINE_WASTE,
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

/* Stable code of r ("card_unknown"); "none" for R_NONE or r out of range.
 * Never NULL. */
const char *reason_code(enum reason r);

/* Reason for a code, or R_NONE if the code is not known (or NULL). */
enum reason reason_parse(const char *code);

/* The reason in row i of the code table, or -1 outside it (for the unit
 * test of its order). */
int reason_row(int i);

#endif
