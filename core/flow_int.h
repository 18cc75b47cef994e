/* flow_int.h: what the files of the state machine share (core/flow.c,
 * core/flow_form.c, core/flow_staff.c, core/flow_common.c).  Calls go one
 * way: flow.c calls the other three, flow_form.c and flow_staff.c call only
 * flow_common.c, which calls none of them (the graph: core/flow_common.c).
 * Not for anyone else: the interface is core/flow.h. */
#ifndef FLOW_INT_H
#define FLOW_INT_H

#include "flow.h"

/* ---- the screen table (flow.c) ---- */

/* How a screen waits for the person (core/flow.c's tick() and cancel()). */
enum screen_wait {
	WAIT_INPUT = 0,	/* a person answering: [session] inactivity, "still there?" first,
			 * then the session ends (logged); cancel ends it */
	WAIT_CARD,	/* no session: waits for a card; never times out, nothing to cancel */
	WAIT_OPEN,	/* the valve or the RV gate is open: its own time limit, no cancel */
	WAIT_LAST,	/* the last word (done, refused): back to start after
			 * min(inactivity, FLOW_DONE_S), without a warning */
	WAIT_HOLD	/* the sample hold: FLOW_SAMPLE_WAIT_FACTOR times the inactivity */
};

typedef void (*screen_fn)(struct flow *f, const struct config *cfg,
			  const struct flow_event *ev, struct actions *out);

/* One screen, as the state machine knows it. */
struct screen_def {
	const char *name;	/* its id: scenarios, scripts, docs/SCENARIOS.md, ui.<name>.* */
	const char *focus;	/* on entry: the field that gets the focus ("" none) */
	enum screen_wait wait;
	int live;		/* a relay may be on here (flow_relays_live()) */
	screen_fn event;	/* the events the screen understands, after the ones every
				 * screen shares (flow_step()) */
};

/* The row of screen s; NULL when s is not a screen. */
const struct screen_def *flow_screen(enum screen s);

/* ---- emitting actions (flow_common.c) ---- */

/* A new action of kind at the end of out; NULL (and out->overflow) when full. */
struct action *flow_emit(struct actions *out, enum act_kind kind);
/* Go to screen s.  When it changes, flow_step() enters it once the event is
 * handled (its first field gets the focus: its row in the screen table).
 * Its time on screen counts from f->mono, the monotonic time of the event
 * being handled; now (the wall clock) is not used for it. */
void flow_show(struct flow *f, struct actions *out, enum screen s, hg_time now);
/* Tell the person r. */
void flow_message(struct flow *f, struct actions *out, enum reason r);
/* Set relay name on or off. */
void flow_relay(struct actions *out, const char *name, int on);
/* An event of type for the log (detail "{}" until the caller fills it). */
struct action *flow_logev(struct actions *out, const char *type, long long id);
/* s as the body of a JSON string into out[cap]. */
void flow_jesc(char *out, size_t cap, const char *s);
/* Every way a session ends: relays off, start (or out of service). */
void flow_end_session(struct flow *f, const struct config *cfg, hg_time now,
		      struct actions *out);

/* ---- input (flow_common.c) ---- */

/* Add text to the one-line input (digits only if digits), at most max chars. */
void flow_type_input(struct flow *f, struct actions *out, const char *text, int digits, int max);
/* backspace / clear on the focused field or the input; 1 if it was one. */
int flow_edit_key(struct flow *f, const char *button);
/* Typing, whole fields and focus buttons of a multi-field screen; 1 if handled. */
int flow_fields_event(struct flow *f, const struct flow_event *ev, const char *const *fields,
		      int n, struct actions *out);
/* Check the PIN typed for card c with the PIN key (KEY_PIN bytes; NULL: no
 * PIN is right): 1 right, 0 wrong (stored; *locked when it locked the card). */
int flow_check_pin(struct flow *f, const struct config *cfg, struct card_info *c,
		   const uint8_t *pin_key, hg_time now, struct actions *out, int *locked);

/* The keypad of a PIN screen for card c: digits typed, backspace, clear,
 * "ok".  1 when "ok" checked the PIN and it was right; otherwise 0, with
 * *locked 1 when a wrong PIN locked the card. */
int flow_pin_keypad(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		    struct card_info *c, struct actions *out, int *locked);

/* ---- the hauler's form (flow_form.c) ---- */

/* A hauler's card at the start screen: the session begins, PIN screen. */
void flow_begin_hauler(struct flow *f, const struct config *cfg, const struct card_info *c,
		       hg_time now, struct actions *out);
/* The load is in the database: refused, held for sampling or discharge. */
void flow_load_stored(struct flow *f, const struct flow_event *ev, struct actions *out);
void flow_scr_pin(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		  struct actions *out);
void flow_scr_truck(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		    struct actions *out);
void flow_scr_waste(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		    struct actions *out);
void flow_scr_sources(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		      struct actions *out);
void flow_scr_source_edit(struct flow *f, const struct config *cfg,
			  const struct flow_event *ev, struct actions *out);
void flow_scr_source_town(struct flow *f, const struct config *cfg,
			  const struct flow_event *ev, struct actions *out);
void flow_scr_other_town(struct flow *f, const struct config *cfg,
			 const struct flow_event *ev, struct actions *out);
void flow_scr_volume(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		     struct actions *out);
void flow_scr_details(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		      struct actions *out);
void flow_scr_rcra(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		   struct actions *out);
void flow_scr_review(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		     struct actions *out);
void flow_scr_certify(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		      struct actions *out);
void flow_scr_sample_hold(struct flow *f, const struct config *cfg,
			  const struct flow_event *ev, struct actions *out);

/* ---- operators and RV visitors (flow_staff.c) ---- */

void flow_scr_operator_pin(struct flow *f, const struct config *cfg,
			   const struct flow_event *ev, struct actions *out);
void flow_scr_operator(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		       struct actions *out);
void flow_scr_sample(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		     struct actions *out);
void flow_scr_override(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		       struct actions *out);
void flow_scr_rv_signin(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			struct actions *out);
void flow_scr_rv_rules(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		       struct actions *out);
void flow_scr_rv_declare(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			 struct actions *out);
void flow_scr_rv_dump(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		      struct actions *out);
/* A session ends (why: "cancel", "timeout", "fault"): when it held a load
 * for sampling and no bottle was taken, the hold is closed as abandoned. */
void flow_hold_abandon(struct flow *f, const char *why, struct actions *out);
/* The visit is in the database: gate open, or refused (chemicals declared). */
void flow_rv_stored(struct flow *f, const struct flow_event *ev, struct actions *out);
/* The visit ends (why: "done" or "max_time"): gate locked. */
void flow_rv_finish(struct flow *f, hg_time now, const char *why, struct actions *out);

#endif
