/* session.h: the sessions at the gate as a state machine: (state, event) -> (state, actions).
 *
 * Hauler: start -> pin -> truck -> waste -> sources (-> source_edit -> source_town
 *   [-> other_town]) -> volume
 *   -> details -> rcra -> review -> certify -> decision:
 *   or, "same as last time" (repeat_last on the truck screen): truck -> volume
 *   -> rcra -> review, the rest of the form filled from the card's last load;
 *   refused | sample_hold (operator card + PIN -> sample) | discharge_ready
 *   -> discharging -> done -> start.
 * RV: start -> rv_signin -> rv_rules -> rv_declare -> rv_dump -> rv_done -> start.
 * Operator (card at start or at sample_hold): operator_pin -> operator / sample.
 *
 * session_step() does no I/O: the caller looks the card up before an EV_CARD,
 * draws the random number, and carries out the actions in order (show a
 * screen, set a relay, commit a load, print, log).  An action that touches the
 * database carries its events with it so they are written in one transaction.
 * Time comes in with every event, read from two clocks: the wall clock (now)
 * stamps the records, the monotonic one (mono) measures every duration (the
 * valve's and the RV gate's limits, timeouts, what the discharging screen
 * shows), so a wall clock stepped by NTP never stretches or cuts one.  Screen ids, button ids and field names are
 * stable and listed in docs/SCENARIOS.md. */
#ifndef SESSION_H
#define SESSION_H

#include <stdint.h>
#include "config.h"
#include "record.h"
#include "roster.h"

/* The screens.  Each has its row in core/session.c's screen table (name, entry,
 * timeout, handler), its drawer in kiosk/screens.c, its ui.<name>.title and
 * ui.<name>.prompt in assets/i18n/ and its line in docs/SCENARIOS.md: the
 * build or the tests name any of them missing. */
enum screen {
	SCR_START = 0, SCR_CLOSED, SCR_OUT_OF_SERVICE,
	SCR_PIN, SCR_TRUCK, SCR_WASTE, SCR_SOURCES, SCR_SOURCE_EDIT,
	SCR_SOURCE_INDUSTRY, SCR_OTHER_INDUSTRY, SCR_SOURCE_TOWN, SCR_OTHER_TOWN, SCR_VOLUME,
	SCR_DETAILS, SCR_RCRA, SCR_REVIEW, SCR_CERTIFY,
	SCR_REFUSED, SCR_SAMPLE_HOLD, SCR_DISCHARGE_READY, SCR_DISCHARGING, SCR_DONE,
	SCR_RV_SIGNIN, SCR_RV_RULES, SCR_RV_DECLARE, SCR_RV_DUMP, SCR_RV_DONE,
	SCR_OPERATOR_PIN, SCR_OPERATOR, SCR_SAMPLE, SCR_OVERRIDE,
	SCR_COUNT
};

/* The name of screen s, as scenarios, scripts and docs/SCENARIOS.md see it
 * ("" when s is not a screen), and back (-1 when unknown): both read the
 * screen table of core/session.c, one row per screen. */
const char *screen_id(enum screen s);
int screen_parse(const char *id);

enum ev_kind {
	EV_TICK = 0,	/* time passed: timeouts, hours, the discharge limit */
	EV_CARD,	/* a card was read; card = the store's lookup */
	EV_PRESS,	/* a button: button = its id */
	EV_TYPE,	/* text typed into the focused field: text */
	EV_FIELD,	/* a form field set whole: field, text */
	EV_STORED,	/* the last commit succeeded: id = load number or visit id */
	EV_FAULT,	/* a device or the database failed: fault says which
			 * (R_FAULT_RELAY: a relay; R_FAULT_DB: a database write) */
	EV_METER	/* the flow meter's totaliser: gallons; or fault = R_METER_FAILED
			 * when it did not answer.  Fed while discharging, before the
			 * event that may end the discharge. */
};

struct session_event {
	enum ev_kind kind;
	hg_time now;		/* wall clock (UTC seconds): stamps records, opening hours */
	hg_time mono;		/* monotonic clock (seconds, CLOCK_MONOTONIC): durations */
	const char *button;
	const char *text;
	const char *field;
	const struct card_info *card;
	const uint8_t *pin_key;	/* the PIN key (KEY_PIN bytes), for a PIN check; the
				 * caller passes it with every event.  NULL: no PIN
				 * is ever right */
	uint32_t rnd;		/* uniform random, drawn by the caller (CSPRNG) */
	long long id;
	enum reason fault;
	double gallons;		/* EV_METER: the totaliser reading */
	const struct load_rec *load;	/* EV_PRESS "sample_waiting": the held load the
					 * caller read back (NULL: none waits) */
};

enum act_kind {
	ACT_SHOW = 0,	/* show screen */
	ACT_MESSAGE,	/* tell the person reason on the current screen */
	ACT_RELAY,	/* set relay name to on */
	ACT_LOG,	/* append event (type event, detail) on its own */
	ACT_PIN_STATE,	/* store failures/until of card id (card_kind), with event */
	ACT_COMMIT_LOAD,	/* commit session.load; answer EV_STORED or EV_FAULT */
	ACT_SAMPLE,	/* record session.load.bottle by operator id */
	ACT_DISCHARGE,	/* on: discharge started; off: ended (detail: why; id: the load,
			 * gallons: measured, reason: the meter flag or R_NONE) */
	ACT_COMMIT_RV,	/* commit session.rv; answer EV_STORED or EV_FAULT */
	ACT_PRINT,	/* print kind for session.load (copy: a reprint of the last load;
			 * kept: a reprint of every slip the printer could not print) */
	ACT_RV_DONE,	/* the RV visit session.rv ended (detail: why) */
	ACT_SAMPLE_ABANDONED,	/* the hold of load id ended without a bottle (detail: why) */
	ACT_COUNT
};

const char *act_code(enum act_kind k);	/* "show", "relay", ... */

struct action {
	enum act_kind kind;
	enum screen screen;
	enum reason reason;
	char name[16];		/* relay name */
	int on;
	char event[32];		/* event type for ACT_LOG / ACT_PIN_STATE */
	char detail[512];	/* JSON object text */
	long long id;
	int card_kind;		/* enum card_kind */
	int failures;
	hg_time until;
	enum print_kind print;
	int copy;
	int kept;		/* ACT_PRINT: the kept slips (the caller finds them), each a copy */
	long gallons;		/* ACT_DISCHARGE off: gallons measured */
};

#define SESSION_MAX_ACTIONS 24
#define SESSION_WARN_S 30			/* "still there?" this long before a timeout */
#define SESSION_DONE_S 60			/* done/refused screens return to start */
#define SESSION_SAMPLE_WAIT_FACTOR 15	/* sample hold waits 15x the inactivity timeout */

struct actions {
	int n;
	int overflow;		/* more actions than fit: a bug, tested never to happen */
	struct action a[SESSION_MAX_ACTIONS];
};

enum sess_kind { SESS_NONE = 0, SESS_HAULER, SESS_RV, SESS_OPERATOR };

/* What the flow meter said since the valve opened (only with [hardware] meter).
 * The totaliser only goes up; a reading below the last one is taken as the
 * meter restarting from zero (reset, or a wrap its driver could not undo). */
struct flow_meter {
	int seen;		/* a good reading came since the valve opened */
	int failing;		/* the last reading failed */
	int lost;		/* the first reading failed: the count from the valve opening is unknown */
	double last;		/* last good totaliser reading */
	double counted;		/* gallons counted since the valve opened */
};

struct session {
	enum screen screen;
	int entering;		/* screen was just shown: its entry is due (session_step) */
	enum screen after_edit;	/* where an edit from review returns (SCR_REVIEW or none) */
	enum lang lang;
	enum sess_kind kind;
	hg_time mono;		/* monotonic time of the event being handled */
	hg_time last_input;	/* monotonic: the last touch */
	hg_time screen_since;	/* monotonic: the screen was shown */
	hg_time open_since;	/* monotonic: the valve or the RV gate opened (its limit) */
	enum reason message;	/* last message shown (R_NONE: none) */
	enum reason fault;	/* out of service because of this */
	struct card_info card;	/* the hauler's card */
	struct card_info op;	/* the operator's card */
	int op_for_sample;	/* operator came to a sample hold */
	char input[HG_BUF(LIM_TEXT)];	/* PIN, gallons, bottle id, reason being typed */
	char focus[24];		/* focused field on multi-field screens */
	struct source edit;	/* the source being edited */
	int edit_index;		/* index in load.m.sources, -1 = new */
	int flag_next;		/* an operator flagged the next load for sampling */
	struct load_rec load;	/* the load being built */
	struct rv_rec rv;
	int committed;		/* load or visit committed (EV_STORED seen) */
	struct flow_meter meter;	/* readings of the load being discharged */
	long long repeated;	/* the form was filled from this load (repeat_last); 0: not */
	unsigned waste_now;	/* the waste types the station takes now, as the
				 * station last said (session_set_waste_now());
				 * kept when a session ends */
};

/* A new session at the start screen, gate locked and valve closed (the actions
 * say so: the caller sets the relays).  Its monotonic time is 0 until the
 * first event, which the caller feeds at once (a tick). */
void session_init(struct session *f, const struct config *cfg, hg_time now, struct actions *out);

/* What the station takes now, as it stands with the plant: mask is
 * policy_offline_waste()'s (POLICY_ANY_WASTE, the value session_init()
 * sets: no restriction).  The caller says it before each card read (the
 * station: station_sync_view(), one read of the store), not every frame;
 * the decision of a load (policy_decide()) goes by the value at its
 * certification, and a session's end keeps it. */
void session_set_waste_now(struct session *f, unsigned mask);

/* One event.  out is cleared first and gets the actions to carry out, in order. */
void session_step(struct session *f, const struct config *cfg, const struct session_event *ev,
	       struct actions *out);

/* How long the valve (discharging) or the RV gate (rv_dump) has been open
 * and how long until it closes itself ([session] max_discharge, rv_max_dump),
 * in seconds on the monotonic clock as of the last event (the kiosk ticks
 * every second).  Both 0 on any other screen; *left never below 0. */
void session_open_time(const struct session *f, const struct config *cfg, long *elapsed, long *left);

/* The town buttons of the source_town screen: the service area's entries
 * that are not ZIP codes, in the order of station.ini, at most
 * SESSION_MAX_TOWNS (the rest, and every ZIP, are typed under "another town").
 * session_town() gives the text of button town_<i+1>, NULL past the last. */
#define SESSION_MAX_TOWNS 8
int session_n_towns(const struct config *cfg);
const char *session_town(const struct config *cfg, int i);

/* The industry buttons of the source_industry screen: [policy] industries
 * (the plant's list, or station.ini's, or the built-in one), at most
 * CFG_MAX_INDUSTRIES; session_industry() gives the value button
 * industry_<i+1> records, NULL past the last.  session_industry_label()
 * is what a person reads for a value: the catalogue's ui.industry.<key>
 * (the value, every byte that is not a letter or digit made '_') in lang,
 * or the value itself when the catalogue has none (a type the plant added,
 * or one typed under "other"); never NULL.  session_industry_kept(): the
 * source being edited has a type of industry that is not in the list (it
 * shows as is, as the button keep_industry). */
int session_n_industries(const struct config *cfg);
const char *session_industry(const struct config *cfg, int i);
const char *session_industry_label(const char *value, enum lang lang);
int session_industry_kept(const struct session *f, const struct config *cfg);

/* Is "same as last time" offered now (the button repeat_last on the truck
 * screen)?  On the truck screen of a form not yet begun, when the card has
 * a last accepted load whose truck is still the hauler's, whose waste type
 * the hauler may still bring and whose sources all have their town. */
int session_repeat_offered(const struct session *f);

/* Where the person is in their session: step *step of *total (both from 1),
 * for "Step 3 of 10" on every screen of a hauler's or an RV visitor's
 * session (core/session_progress.c says the steps of each flow).  Both 0
 * where no flow is under way: start, closed, out of service, the
 * operator's own session.  *step never exceeds *total; *total changes
 * within a session only at a documented point (docs/KIOSK.md: "same as
 * last time", a load held for a sample, a card refused after its PIN). */
void session_progress(const struct session *f, int *step, int *total);

/* Is any relay meant to be on in this state? (for the kiosk's watchdog) */
int session_relays_live(const struct session *f);

#endif
