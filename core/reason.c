/* reason.c: the table of reason codes (see reason.h).
 *
 * One row per enum reason, in enum order (a unit test, tests/unit/
 * test_reason.c, checks the order and that every code is unique).  Codes are
 * stable: they are stored in the database and printed on slips, so never
 * rename one; a new reason also needs its message, "reason." + code, in
 * assets/i18n/en.po and es.po.  Pure: no I/O. */
#include <string.h>

#include "reason.h"

struct row {
	enum reason r;
	const char *code;
};

#define ROW(r, code) {r, code}

static const struct row rows[R_COUNT] = {
	{R_NONE, "none"},
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
	ROW(R_OFFLINE_WASTE, "offline_waste"),
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

const char *reason_code(enum reason r)
{
	if ((unsigned)r >= R_COUNT)
		return "none";
	return rows[r].code;
}

enum reason reason_parse(const char *code)
{
	if (!code)
		return R_NONE;
	for (int i = 1; i < R_COUNT; i++)
		if (strcmp(rows[i].code, code) == 0)
			return (enum reason)i;
	return R_NONE;
}

int reason_row(int i)
{
	return (i >= 0 && i < R_COUNT) ? (int)rows[i].r : -1;
}
