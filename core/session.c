/* session.c: the sessions at the gate, as one pure state machine.
 *
 * session_step() takes the current state, one event and the time, changes the
 * state and lists the actions the caller must carry out (core/session.h).  It
 * reads no clock, no file and no device.  The screens are one table
 * (screens[]: name, field focused on entry, how it waits, relays live, event
 * handler): each gets the events its screen understands; what every screen
 * shares (language, cancel, cards, ticks and timeouts, faults) is handled in
 * session_step() first.  The hauler's form screens are in core/session_form.c, the
 * operators' and RV visitors' in core/session_staff.c, and what every screen
 * uses (emitting actions, typing, the PIN) in core/session_common.c: this file
 * calls those three, they never call it (nor each other).  The flow meter's
 * totaliser comes in as EV_METER while the valve is open (meter_reading());
 * the discharge's end flags the load when the count disagrees with the
 * declared gallons (meter_verdict()).  Every duration (timeouts, the
 * valve's and the RV gate's limits) is measured on the event's monotonic time
 * (ev->mono, kept in f->mono while the event is handled); the wall clock
 * (ev->now) only stamps the records and says whether the station is open.
 * Start reading at session_step(). */
#include <stdio.h>
#include <string.h>
#include "session_int.h"

static const char *const act_codes[ACT_COUNT] = {
	"show", "message", "relay", "log", "pin_state", "commit_load", "sample",
	"discharge", "commit_rv", "print", "rv_done", "sample_abandoned",
};

const char *act_code(enum act_kind k)
{
	return (unsigned)k < ACT_COUNT ? act_codes[k] : "";
}

/* ---- session life ---- */

void session_open_time(const struct session *f, const struct config *cfg, long *elapsed, long *left)
{
	long limit = f->screen == SCR_DISCHARGING ? cfg->max_discharge_s
		   : f->screen == SCR_RV_DUMP ? cfg->rv_max_dump_s : -1;

	*elapsed = 0;
	*left = 0;
	if (limit < 0)
		return;
	*elapsed = (long)(f->mono - f->open_since);
	*left = limit - *elapsed > 0 ? limit - *elapsed : 0;
}

/* ---- the flow meter ---- */

/* One reading of the totaliser (or its failure) while the valve is open.  Only
 * the changes are logged: the meter failing, coming back, restarting. */
static void meter_reading(struct session *f, const struct config *cfg, const struct session_event *ev,
			  struct actions *out)
{
	struct flow_meter *m = &f->meter;
	double g = ev->gallons;
	struct action *a;

	if (!cfg->meter[0] || f->screen != SCR_DISCHARGING)
		return;
	if (ev->fault != R_NONE || !(g >= 0 && g < 1e15)) {	/* also NaN */
		if (!m->seen)
			m->lost = 1;
		if (!m->failing) {
			a = session_logev(out, "meter_failed", f->load.load_no);
			if (a)
				snprintf(a->detail, sizeof a->detail,
					 "{\"measured_so_far\":%ld,\"first_reading\":%s}",
					 f->load.gallons_measured, m->seen ? "false" : "true");
		}
		m->failing = 1;
		return;
	}
	if (m->failing) {
		a = session_logev(out, "meter_recovered", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"totaliser\":%.1f}", g);
	}
	m->failing = 0;
	if (!m->seen) {
		m->seen = 1;		/* the baseline, taken as the valve opened */
		m->last = g;
		/* what an interrupted discharge is counted from (not a later first
		 * reading after a failed one: the count since the opening is lost) */
		a = m->lost ? NULL : session_logev(out, "meter_baseline", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"totaliser\":%.1f}", g);
	} else if (g >= m->last) {
		m->counted += g - m->last;
		m->last = g;
	} else {
		a = session_logev(out, "meter_reset", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"before\":%.1f,\"after\":%.1f}",
				 m->last, g);
		m->counted += g;	/* counting again from zero */
		m->last = g;
	}
	f->load.gallons_measured = (long)(m->counted + 0.5);
}

/* The discharge ended: flag the load when the meter failed or disagrees with
 * the declared gallons beyond [meter] mismatch (and mismatch_min_gallons). */
static void meter_verdict(struct session *f, const struct config *cfg, struct actions *out)
{
	const struct flow_meter *m = &f->meter;
	long declared = f->load.m.gallons, measured = f->load.gallons_measured;
	long diff = measured > declared ? measured - declared : declared - measured;
	struct action *a;

	f->load.meter_flag = R_NONE;
	if (!cfg->meter[0])
		return;
	if (!m->seen || m->lost || m->failing)
		f->load.meter_flag = R_METER_FAILED;
	else if ((double)diff > cfg->meter_mismatch * (double)declared &&
		 diff >= cfg->meter_mismatch_min)
		f->load.meter_flag = R_METER_MISMATCH;
	if (f->load.meter_flag == R_NONE)
		return;
	a = session_logev(out, reason_code(f->load.meter_flag), f->load.load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail,
			 "{\"declared\":%ld,\"measured\":%ld,\"share\":%.4g,\"min_gallons\":%ld}",
			 declared, measured, cfg->meter_mismatch, cfg->meter_mismatch_min);
}

/* The discharge is over (stop, time limit or fault): record it with what
 * the meter counted. */
static void end_discharge(struct session *f, const struct config *cfg, hg_time now,
			  const char *why, struct actions *out)
{
	struct action *a;

	f->load.t.discharge_end = now;
	a = session_emit(out, ACT_DISCHARGE);
	if (a) {
		a->on = 0;
		a->id = f->load.load_no;
		a->gallons = f->load.gallons_measured;
		snprintf(a->detail, sizeof a->detail, "%s", why);
	}
	meter_verdict(f, cfg, out);
	if (a)
		a->reason = f->load.meter_flag;
}

static void start_discharge(struct session *f, hg_time now, struct actions *out)
{
	struct action *a;

	memset(&f->meter, 0, sizeof f->meter);
	f->load.gallons_measured = 0;
	f->load.meter_flag = R_NONE;
	f->load.t.discharge_start = now;
	f->open_since = f->mono;
	session_relay(out, "valve", 1);
	a = session_emit(out, ACT_DISCHARGE);
	if (a)
		a->on = 1;
	session_show(f, out, SCR_DISCHARGING, now);
}

static void stop_discharge(struct session *f, const struct config *cfg, hg_time now,
			   const char *why, struct actions *out)
{
	struct action *a;

	session_relay(out, "valve", 0);
	session_relay(out, "gate", 0);
	end_discharge(f, cfg, now, why, out);
	a = session_emit(out, ACT_PRINT);
	if (a)
		a->print = PRINT_RECEIPT;
	session_show(f, out, SCR_DONE, now);
}

static void scr_discharge_ready(struct session *f, const struct config *cfg,
				const struct session_event *ev, struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "start") == 0)
		start_discharge(f, ev->now, out);
}

static void scr_discharging(struct session *f, const struct config *cfg,
			    const struct session_event *ev, struct actions *out)
{
	if (ev->kind == EV_PRESS &&
	    (strcmp(ev->button, "stop") == 0 || strcmp(ev->button, "done") == 0))
		stop_discharge(f, cfg, ev->now, ev->button, out);
}

static void scr_ok_to_start(struct session *f, const struct config *cfg,
			    const struct session_event *ev, struct actions *out)
{
	if (ev->kind == EV_PRESS && strcmp(ev->button, "ok") == 0)
		session_end(f, cfg, ev->now, out);
}

/* ---- start ---- */

static void card_at_start(struct session *f, const struct config *cfg, const struct session_event *ev,
			  struct actions *out)
{
	const struct card_info *c = ev->card;

	if (c->kind == CARD_OPERATOR) {
		if (c->locked_until > ev->now) {
			session_message(f, out, R_PIN_LOCKED);
			return;
		}
		f->kind = SESS_OPERATOR;
		f->op = *c;
		f->op_for_sample = 0;
		f->input[0] = '\0';
		session_show(f, out, SCR_OPERATOR_PIN, ev->now);
		return;
	}
	if (f->screen == SCR_OUT_OF_SERVICE) {
		session_message(f, out, f->fault);
		return;
	}
	if (c->kind != CARD_HAULER) {
		session_message(f, out, R_CARD_UNKNOWN);
		return;
	}
	if (c->revoked) {
		session_message(f, out, R_CARD_REVOKED);
		return;
	}
	if (c->locked_until > ev->now) {
		session_message(f, out, R_PIN_LOCKED);
		return;
	}
	if (!config_is_open(cfg, ev->now)) {
		session_message(f, out, R_STATION_CLOSED);
		return;
	}
	session_begin_hauler(f, cfg, c, ev->now, out);
}

static void scr_start(struct session *f, const struct config *cfg, const struct session_event *ev,
		      struct actions *out)
{
	if (ev->kind != EV_PRESS || strcmp(ev->button, "rv") != 0)
		return;
	if (f->screen != SCR_START) {
		session_message(f, out, f->screen == SCR_CLOSED ? R_STATION_CLOSED : f->fault);
		return;
	}
	f->kind = SESS_RV;
	memset(&f->rv, 0, sizeof f->rv);
	snprintf(f->focus, sizeof f->focus, "rv_name");
	session_show(f, out, SCR_RV_SIGNIN, ev->now);
	(void)cfg;
}

/* The screens: one row each, in the order of enum screen (core/session.h).  A
 * row is what the screen is called (scenarios, scripts, the translation
 * keys ui.<name>.*, docs/SCENARIOS.md), what happens on entering it (the
 * field it focuses), how it waits for the person, whether a relay may be on,
 * and its event handler.  screen_id(), screen_parse(), idle_limit(),
 * cancel(), session_relays_live() and enter() read it; the kiosk's drawers
 * (kiosk/screens.c) are a table of the same length. */
static const struct screen_def screens[] = {
	[SCR_START] = {"start", "", WAIT_CARD, 0, scr_start},
	[SCR_CLOSED] = {"closed", "", WAIT_CARD, 0, scr_start},
	[SCR_OUT_OF_SERVICE] = {"out_of_service", "", WAIT_CARD, 0, scr_start},
	[SCR_PIN] = {"pin", "", WAIT_INPUT, 0, session_scr_pin},
	[SCR_TRUCK] = {"truck", "", WAIT_INPUT, 0, session_scr_truck},
	[SCR_WASTE] = {"waste", "", WAIT_INPUT, 0, session_scr_waste},
	[SCR_SOURCES] = {"sources", "", WAIT_INPUT, 0, session_scr_sources},
	[SCR_SOURCE_EDIT] = {"source_edit", "source_name", WAIT_INPUT, 0, session_scr_source_edit},
	[SCR_SOURCE_INDUSTRY] = {"source_industry", "", WAIT_INPUT, 0, session_scr_source_industry},
	[SCR_OTHER_INDUSTRY] = {"other_industry", "source_industry", WAIT_INPUT, 0,
				session_scr_other_industry},
	[SCR_SOURCE_TOWN] = {"source_town", "", WAIT_INPUT, 0, session_scr_source_town},
	[SCR_OTHER_TOWN] = {"other_town", "source_town", WAIT_INPUT, 0, session_scr_other_town},
	[SCR_VOLUME] = {"volume", "", WAIT_INPUT, 0, session_scr_volume},
	[SCR_DETAILS] = {"details", "characteristics", WAIT_INPUT, 0, session_scr_details},
	[SCR_RCRA] = {"rcra", "", WAIT_INPUT, 0, session_scr_rcra},
	[SCR_REVIEW] = {"review", "", WAIT_INPUT, 0, session_scr_review},
	[SCR_CERTIFY] = {"certify", "signer", WAIT_INPUT, 0, session_scr_certify},
	[SCR_REFUSED] = {"refused", "", WAIT_LAST, 0, scr_ok_to_start},
	[SCR_SAMPLE_HOLD] = {"sample_hold", "", WAIT_HOLD, 0, session_scr_sample_hold},
	[SCR_DISCHARGE_READY] = {"discharge_ready", "", WAIT_INPUT, 1, scr_discharge_ready},
	[SCR_DISCHARGING] = {"discharging", "", WAIT_OPEN, 1, scr_discharging},
	[SCR_DONE] = {"done", "", WAIT_LAST, 0, scr_ok_to_start},
	[SCR_RV_SIGNIN] = {"rv_signin", "rv_name", WAIT_INPUT, 0, session_scr_rv_signin},
	[SCR_RV_RULES] = {"rv_rules", "", WAIT_INPUT, 0, session_scr_rv_rules},
	[SCR_RV_DECLARE] = {"rv_declare", "", WAIT_INPUT, 0, session_scr_rv_declare},
	[SCR_RV_DUMP] = {"rv_dump", "", WAIT_OPEN, 1, session_scr_rv_dump},
	[SCR_RV_DONE] = {"rv_done", "", WAIT_LAST, 0, scr_ok_to_start},
	[SCR_OPERATOR_PIN] = {"operator_pin", "", WAIT_INPUT, 0, session_scr_operator_pin},
	[SCR_OPERATOR] = {"operator", "", WAIT_INPUT, 0, session_scr_operator},
	[SCR_SAMPLE] = {"sample", "", WAIT_INPUT, 0, session_scr_sample},
	[SCR_OVERRIDE] = {"override", "", WAIT_INPUT, 1, session_scr_override},
};

/* a screen added to enum screen without its row fails here (a row left out
 * in the middle is caught by tests/unit/test_session_screens.c) */
_Static_assert(HG_ARRAY_LEN(screens) == SCR_COUNT, "one row of screens[] per enum screen");

const struct screen_def *session_screen(enum screen s)
{
	return (unsigned)s < SCR_COUNT ? &screens[s] : NULL;
}

const char *screen_id(enum screen s)
{
	return (unsigned)s < SCR_COUNT && screens[s].name ? screens[s].name : "";
}

int screen_parse(const char *id)
{
	for (int i = 0; id && i < SCR_COUNT; i++)
		if (screens[i].name && strcmp(screens[i].name, id) == 0)
			return i;
	return -1;
}

int session_relays_live(const struct session *f)
{
	return (unsigned)f->screen < SCR_COUNT && screens[f->screen].live;
}

/* What happens on entering a screen, once the event that showed it is
 * handled (session_show() only asks for it): its first field gets the focus. */
static void enter(struct session *f)
{
	if (!f->entering)
		return;
	f->entering = 0;
	snprintf(f->focus, sizeof f->focus, "%s",
		 (unsigned)f->screen < SCR_COUNT ? screens[f->screen].focus : "");
}

/* How long a screen may wait for the person before the session ends; 0 = it
 * does not time out that way. */
static long idle_limit(const struct session *f, const struct config *cfg)
{
	switch ((unsigned)f->screen < SCR_COUNT ? screens[f->screen].wait : WAIT_CARD) {
	case WAIT_CARD: case WAIT_OPEN:
		return 0;
	case WAIT_LAST:
		return cfg->inactivity_s < SESSION_DONE_S ? cfg->inactivity_s : SESSION_DONE_S;
	case WAIT_HOLD:
		return cfg->inactivity_s * SESSION_SAMPLE_WAIT_FACTOR;
	default:
		return cfg->inactivity_s;
	}
}

static void tick(struct session *f, const struct config *cfg, hg_time now, struct actions *out)
{
	long limit, open_s, left;
	hg_time idle;

	if (f->screen == SCR_START || f->screen == SCR_CLOSED) {
		enum screen s = config_is_open(cfg, now) ? SCR_START : SCR_CLOSED;
		if (s != f->screen)
			session_show(f, out, s, now);
		return;
	}
	session_open_time(f, cfg, &open_s, &left);
	if (f->screen == SCR_DISCHARGING) {
		if (open_s >= cfg->max_discharge_s) {
			stop_discharge(f, cfg, now, "max_time", out);
			session_message(f, out, R_DISCHARGE_MAX_TIME);
		}
		return;
	}
	if (f->screen == SCR_RV_DUMP) {
		if (open_s >= cfg->rv_max_dump_s) {
			session_rv_finish(f, now, "max_time", out);
			session_message(f, out, R_DISCHARGE_MAX_TIME);
		}
		return;
	}
	/* idle since the last touch or since the screen changed by itself */
	idle = f->mono - (f->last_input > f->screen_since ? f->last_input : f->screen_since);
	limit = idle_limit(f, cfg);
	if (limit <= 0)
		return;
	/* first ask, at least SESSION_WARN_S before the end: one tap keeps going */
	if (idle < limit) {
		if (idle >= limit - SESSION_WARN_S && f->message != R_STILL_THERE &&
		    screens[f->screen].wait != WAIT_LAST)
			session_message(f, out, R_STILL_THERE);
		return;
	}
	if (screens[f->screen].wait != WAIT_LAST) {
		struct action *a = session_logev(out, f->committed ? "session_timeout" : "entry_discarded",
					 f->committed ? f->load.load_no : 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"idle_s\":%lld}",
				 screen_id(f->screen), (long long)idle);
		session_hold_abandon(f, "timeout", out);
		session_end(f, cfg, now, out);
		session_message(f, out, R_TIMEOUT);
		return;
	}
	session_end(f, cfg, now, out);
}

/* A device or the database failed: everything off, out of service. */
static void fault(struct session *f, const struct config *cfg, const struct session_event *ev,
		  struct actions *out)
{
	struct action *a;

	if (f->screen == SCR_DISCHARGING) {
		/* valve shut first; then the load keeps what was measured */
		session_relay(out, "valve", 0);
		end_discharge(f, cfg, ev->now, "fault", out);
	}
	f->fault = ev->fault ? ev->fault : R_FAULT_RELAY;
	a = session_logev(out, "fault", f->load.load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail, "{\"fault\":\"%s\",\"screen\":\"%s\"}",
			 reason_code(f->fault), screen_id(f->screen));
	session_hold_abandon(f, "fault", out);
	session_end(f, cfg, ev->now, out);
	session_message(f, out, f->fault);
}

/* Cancel: leave the session from any screen where nothing is running. */
static int cancel(struct session *f, const struct config *cfg, const struct session_event *ev,
		  struct actions *out)
{
	struct action *a;

	if (screens[f->screen].wait == WAIT_CARD || screens[f->screen].wait == WAIT_OPEN)
		return 0;	/* no session, or the valve or the RV gate is open */
	if (f->screen == SCR_OPERATOR_PIN && f->op_for_sample) {
		f->input[0] = '\0';
		session_show(f, out, SCR_SAMPLE_HOLD, ev->now);
		return 1;
	}
	if (f->kind == SESS_HAULER && !f->committed) {
		a = session_logev(out, "entry_discarded", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"why\":\"cancel\"}",
				 screen_id(f->screen));
	} else if (f->kind == SESS_HAULER) {
		a = session_logev(out, "session_ended", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"why\":\"cancel\"}",
				 screen_id(f->screen));
	}
	session_hold_abandon(f, "cancel", out);
	session_end(f, cfg, ev->now, out);
	return 1;
}

/* One event, on a session whose f->mono is the event's. */
static void step(struct session *f, const struct config *cfg, const struct session_event *ev,
		 struct actions *out)
{
	switch (ev->kind) {
	case EV_TICK:
		tick(f, cfg, ev->now, out);
		return;
	case EV_FAULT:
		fault(f, cfg, ev, out);
		return;
	case EV_METER:
		meter_reading(f, cfg, ev, out);	/* not a touch: no last_input */
		return;
	case EV_STORED:
		if (f->screen == SCR_CERTIFY)
			session_load_stored(f, ev, out);
		else if (f->screen == SCR_RV_DECLARE)
			session_rv_stored(f, ev, out);
		return;
	case EV_CARD: {
		struct action *a = session_logev(out, "card_tapped", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail,
				 "{\"uid\":\"%s\",\"kind\":\"%s\",\"screen\":\"%s\"}", ev->card->uid,
				 ev->card->kind == CARD_HAULER ? "hauler" :
				 ev->card->kind == CARD_OPERATOR ? "operator" : "unknown",
				 screen_id(f->screen));
		f->last_input = ev->mono;
		if (screens[f->screen].wait == WAIT_CARD) {
			card_at_start(f, cfg, ev, out);
		} else if (f->screen == SCR_SAMPLE_HOLD && ev->card->kind == CARD_OPERATOR) {
			if (ev->card->locked_until > ev->now) {
				session_message(f, out, R_PIN_LOCKED);
				return;
			}
			f->op = *ev->card;
			f->op_for_sample = 1;
			f->input[0] = '\0';
			session_show(f, out, SCR_OPERATOR_PIN, ev->now);
		}
		return;
	}
	default:
		break;
	}

	f->last_input = ev->mono;
	if (f->message == R_STILL_THERE)
		f->message = R_NONE;	/* still there: any touch keeps the session */
	if (ev->kind == EV_PRESS) {
		int l = strncmp(ev->button, "lang_", 5) == 0 ? i18n_lang_parse(ev->button + 5) : -1;
		if (l >= 0) {
			f->lang = (enum lang)l;
			session_show(f, out, f->screen, ev->now);
			return;
		}
		if (strcmp(ev->button, "cancel") == 0) {
			if (!cancel(f, cfg, ev, out))
				session_message(f, out, R_INPUT_CHOICE);
			return;
		}
	}
	if (screens[f->screen].event)
		screens[f->screen].event(f, cfg, ev, out);
}

void session_init(struct session *f, const struct config *cfg, hg_time now, struct actions *out)
{
	memset(out, 0, sizeof *out);
	memset(f, 0, sizeof *f);
	f->waste_now = POLICY_ANY_WASTE;
	session_end(f, cfg, now, out);
	enter(f);
}

void session_set_waste_now(struct session *f, unsigned mask)
{
	f->waste_now = mask;
}

void session_step(struct session *f, const struct config *cfg, const struct session_event *ev,
	       struct actions *out)
{
	memset(out, 0, sizeof *out);
	f->mono = ev->mono;
	if ((unsigned)f->screen >= SCR_COUNT)
		session_end(f, cfg, ev->now, out);	/* a damaged state: start again, relays off */
	else
		step(f, cfg, ev, out);
	enter(f);
}

