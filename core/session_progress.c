/* session_progress.c: "Step 3 of 10": where a person is in their session,
 * worked out from the state machine's state alone (no clock, no I/O), for
 * the kiosk's strip (kiosk/screens.c) and its speech.
 *
 * A flow is a list of steps, each one or more screens of core/session.c's
 * table.  The hauler's full path is PIN, truck, waste, sources (with a
 * source's edit and town screens), gallons, details, RCRA, review,
 * certification and unloading (ready, discharging, done): 10 steps.  "Same
 * as last time" (repeat_last) leaves out waste, sources and details: 7.
 * A load held for a sample gets one more step before the unloading (the
 * hold, the operator's PIN, the bottle).  A refusal is the last step, in
 * the place of the unloading; a card refused after its PIN is step 2 of 2.
 * A screen opened from the review to change an answer counts as the review.
 * The RV flow: sign-in, rules, declaration, dump (and its end): 4 steps.
 * The operator's own session (a menu, not a path) has no step.
 * docs/KIOSK.md says where the count may change; tests/unit/test_progress.c
 * walks every flow.  Start reading at session_progress(). */
#include "session.h"

enum step {
	ST_NONE = 0,
	ST_PIN, ST_TRUCK, ST_WASTE, ST_SOURCES, ST_VOLUME, ST_DETAILS, ST_RCRA, ST_REVIEW,
	ST_CERTIFY, ST_SAMPLE, ST_UNLOAD,
	ST_RV_SIGNIN, ST_RV_RULES, ST_RV_DECLARE, ST_RV_DUMP,
	ST_REFUSED	/* the last step, where the flow's own last one would be */
};

/* The step each screen belongs to (ST_NONE: no step of itself). */
static const enum step of_screen[SCR_COUNT] = {
	[SCR_PIN] = ST_PIN, [SCR_TRUCK] = ST_TRUCK, [SCR_WASTE] = ST_WASTE,
	[SCR_SOURCES] = ST_SOURCES, [SCR_SOURCE_EDIT] = ST_SOURCES,
	[SCR_SOURCE_INDUSTRY] = ST_SOURCES, [SCR_OTHER_INDUSTRY] = ST_SOURCES,
	[SCR_SOURCE_TOWN] = ST_SOURCES, [SCR_OTHER_TOWN] = ST_SOURCES,
	[SCR_VOLUME] = ST_VOLUME, [SCR_DETAILS] = ST_DETAILS, [SCR_RCRA] = ST_RCRA,
	[SCR_REVIEW] = ST_REVIEW, [SCR_CERTIFY] = ST_CERTIFY, [SCR_REFUSED] = ST_REFUSED,
	[SCR_SAMPLE_HOLD] = ST_SAMPLE, [SCR_OPERATOR_PIN] = ST_SAMPLE, [SCR_SAMPLE] = ST_SAMPLE,
	[SCR_DISCHARGE_READY] = ST_UNLOAD, [SCR_DISCHARGING] = ST_UNLOAD, [SCR_DONE] = ST_UNLOAD,
	[SCR_RV_SIGNIN] = ST_RV_SIGNIN, [SCR_RV_RULES] = ST_RV_RULES,
	[SCR_RV_DECLARE] = ST_RV_DECLARE, [SCR_RV_DUMP] = ST_RV_DUMP, [SCR_RV_DONE] = ST_RV_DUMP,
};

#define MAX_STEPS 12

/* The steps of f's flow as it stands, into path; their number. */
static int flow(const struct session *f, enum step path[MAX_STEPS])
{
	int n = 0, refused = f->screen == SCR_REFUSED;

	if (f->kind == SESS_RV) {
		path[n++] = ST_RV_SIGNIN;
		path[n++] = ST_RV_RULES;
		path[n++] = ST_RV_DECLARE;
		path[n++] = refused ? ST_REFUSED : ST_RV_DUMP;
		return n;
	}
	path[n++] = ST_PIN;
	if (refused && !f->committed) {	/* the card refused after its PIN */
		path[n++] = ST_REFUSED;
		return n;
	}
	path[n++] = ST_TRUCK;
	if (!f->repeated) {
		path[n++] = ST_WASTE;
		path[n++] = ST_SOURCES;
	}
	path[n++] = ST_VOLUME;
	if (!f->repeated)
		path[n++] = ST_DETAILS;
	path[n++] = ST_RCRA;
	path[n++] = ST_REVIEW;
	path[n++] = ST_CERTIFY;
	if (f->committed && f->load.d.verdict == VERDICT_SAMPLE_HOLD)
		path[n++] = ST_SAMPLE;
	path[n++] = refused ? ST_REFUSED : ST_UNLOAD;
	return n;
}

void session_progress(const struct session *f, int *step, int *total)
{
	enum step path[MAX_STEPS], at;
	int n;

	*step = 0;
	*total = 0;
	if ((unsigned)f->screen >= SCR_COUNT || (f->kind != SESS_HAULER && f->kind != SESS_RV))
		return;
	if (f->screen == SCR_OPERATOR_PIN && !f->op_for_sample)
		return;
	at = of_screen[f->screen];
	/* changing an answer from the review: still the review */
	if (f->kind == SESS_HAULER && f->after_edit == SCR_REVIEW && at >= ST_TRUCK && at <= ST_RCRA)
		at = ST_REVIEW;
	n = flow(f, path);
	for (int i = 0; i < n; i++)
		if (path[i] == at) {
			*step = i + 1;
			*total = n;
			return;
		}
}
