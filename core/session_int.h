/* session_int.h: what the files of the state machine share (core/session.c,
 * core/session_form.c, core/session_staff.c, core/session_common.c).  Calls go one
 * way: session.c calls the other three, session_form.c and session_staff.c call only
 * session_common.c, which calls none of them (the graph: core/session_common.c).
 * Not for anyone else: the interface is core/session.h. */
#ifndef SESSION_INT_H
#define SESSION_INT_H

#include "session.h"

/* ---- the screen table (session.c) ---- */

/* How a screen waits for the person (core/session.c's tick() and cancel()). */
enum screen_wait {
	WAIT_INPUT = 0,	/* a person answering: [session] inactivity, "still there?" first,
			 * then the session ends (logged); cancel ends it */
	WAIT_CARD,	/* no session: waits for a card; never times out, nothing to cancel */
	WAIT_OPEN,	/* the valve or the RV gate is open: its own time limit, no cancel */
	WAIT_LAST,	/* the last word (done, refused): back to start after
			 * min(inactivity, SESSION_DONE_S), without a warning */
	WAIT_HOLD	/* the sample hold: SESSION_SAMPLE_WAIT_FACTOR times the inactivity */
};

typedef void (*screen_fn)(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out);

/* One screen, as the state machine knows it. */
struct screen_def {
	const char *name;	/* its id: scenarios, scripts, docs/SCENARIOS.md, ui.<name>.* */
	const char *focus;	/* on entry: the field that gets the focus ("" none) */
	enum screen_wait wait;
	int live;		/* a relay may be on here (session_relays_live()) */
	screen_fn event;	/* the events the screen understands, after the ones every
				 * screen shares (session_step()) */
};

/* The row of screen s; NULL when s is not a screen. */
const struct screen_def *session_screen(enum screen s);

/* ---- emitting actions (session_common.c) ---- */

/* A new action of kind at the end of out; NULL (and out->overflow) when full. */
struct action *session_emit(struct actions *out, enum act_kind kind);
/* Go to screen s.  When it changes, session_step() enters it once the event is
 * handled (its first field gets the focus: its row in the screen table).
 * Its time on screen counts from f->mono, the monotonic time of the event
 * being handled; now (the wall clock) is not used for it. */
void session_show(struct session *f, struct actions *out, enum screen s, hg_time now);
/* Tell the person r. */
void session_message(struct session *f, struct actions *out, enum reason r);
/* Set relay name on or off. */
void session_relay(struct actions *out, const char *name, int on);
/* An event of type for the log (detail "{}" until the caller fills it). */
struct action *session_logev(struct actions *out, const char *type, long long id);
/* s as the body of a JSON string into out[cap]. */
void session_jesc(char *out, size_t cap, const char *s);
/* Every way a session ends: relays off, start (or out of service). */
void session_end(struct session *f, const struct config *cfg, hg_time now,
		      struct actions *out);

/* ---- input (session_common.c) ---- */

/* Add text to the one-line input (digits only if digits), at most max chars. */
void session_type_input(struct session *f, struct actions *out, const char *text, int digits, int max);
/* backspace / clear on the focused field or the input; 1 if it was one. */
int session_edit_key(struct session *f, const char *button);
/* Typing, whole fields and focus buttons of a multi-field screen; 1 if handled. */
int session_fields_event(struct session *f, const struct session_event *ev, const char *const *fields,
		      int n, struct actions *out);
/* Check the PIN typed for card c with the PIN key (KEY_PIN bytes; NULL: no
 * PIN is right): 1 right, 0 wrong (stored; *locked when it locked the card). */
int session_check_pin(struct session *f, const struct config *cfg, struct card_info *c,
		   const uint8_t *pin_key, hg_time now, struct actions *out, int *locked);

/* The keypad of a PIN screen for card c: digits typed, backspace, clear,
 * "ok".  1 when "ok" checked the PIN and it was right; otherwise 0, with
 * *locked 1 when a wrong PIN locked the card. */
int session_pin_keypad(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct card_info *c, struct actions *out, int *locked);

/* ---- the hauler's form (session_form.c) ---- */

/* A hauler's card at the start screen: the session begins, PIN screen. */
void session_begin_hauler(struct session *f, const struct config *cfg, const struct card_info *c,
		       hg_time now, struct actions *out);
/* The load is in the database: refused, held for sampling or discharge. */
void session_load_stored(struct session *f, const struct session_event *ev, struct actions *out);
void session_scr_pin(struct session *f, const struct config *cfg, const struct session_event *ev,
		  struct actions *out);
void session_scr_truck(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct actions *out);
void session_scr_waste(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct actions *out);
void session_scr_sources(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out);
void session_scr_source_edit(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out);
void session_scr_source_industry(struct session *f, const struct config *cfg,
			      const struct session_event *ev, struct actions *out);
void session_scr_other_industry(struct session *f, const struct config *cfg,
			     const struct session_event *ev, struct actions *out);
void session_scr_source_town(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out);
void session_scr_other_town(struct session *f, const struct config *cfg,
			 const struct session_event *ev, struct actions *out);
void session_scr_volume(struct session *f, const struct config *cfg, const struct session_event *ev,
		     struct actions *out);
void session_scr_details(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out);
void session_scr_rcra(struct session *f, const struct config *cfg, const struct session_event *ev,
		   struct actions *out);
void session_scr_review(struct session *f, const struct config *cfg, const struct session_event *ev,
		     struct actions *out);
void session_scr_certify(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out);
void session_scr_sample_hold(struct session *f, const struct config *cfg,
			  const struct session_event *ev, struct actions *out);

/* ---- operators and RV visitors (session_staff.c) ---- */

void session_scr_operator_pin(struct session *f, const struct config *cfg,
			   const struct session_event *ev, struct actions *out);
void session_scr_operator(struct session *f, const struct config *cfg, const struct session_event *ev,
		       struct actions *out);
void session_scr_sample(struct session *f, const struct config *cfg, const struct session_event *ev,
		     struct actions *out);
void session_scr_override(struct session *f, const struct config *cfg, const struct session_event *ev,
		       struct actions *out);
void session_scr_rv_signin(struct session *f, const struct config *cfg, const struct session_event *ev,
			struct actions *out);
void session_scr_rv_rules(struct session *f, const struct config *cfg, const struct session_event *ev,
		       struct actions *out);
void session_scr_rv_declare(struct session *f, const struct config *cfg, const struct session_event *ev,
			 struct actions *out);
void session_scr_rv_dump(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out);
/* A session ends (why: "cancel", "timeout", "fault"): when it held a load
 * for sampling and no bottle was taken, the hold is closed as abandoned. */
void session_hold_abandon(struct session *f, const char *why, struct actions *out);
/* The visit is in the database: gate open, or refused (chemicals declared). */
void session_rv_stored(struct session *f, const struct session_event *ev, struct actions *out);
/* The visit ends (why: "done" or "max_time"): gate locked. */
void session_rv_finish(struct session *f, hg_time now, const char *why, struct actions *out);

#endif
