/* flow.c: the sessions at the gate, as one pure state machine.
 *
 * flow_step() takes the current state, one event and the time, changes the
 * state and lists the actions the caller must carry out (core/flow.h).  It
 * reads no clock, no file and no device.  The screens are a table of handlers
 * (screens[]): each gets the events its screen understands; what every screen
 * shares (language, cancel, cards, ticks and timeouts, faults) is handled in
 * flow_step() first.  The hauler's form screens are in core/flow_form.c, the
 * operators' and RV visitors' in core/flow_staff.c.  The flow meter's
 * totaliser comes in as EV_METER while the valve is open (meter_reading());
 * the discharge's end flags the load when the count disagrees with the
 * declared gallons (meter_verdict()).  Every duration (timeouts, the
 * valve's and the RV gate's limits) is measured on the event's monotonic time
 * (ev->mono, kept in f->mono while the event is handled); the wall clock
 * (ev->now) only stamps the records and says whether the station is open.
 * Start reading at flow_step(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "flow_int.h"
#include "pin.h"
#include "text.h"

static const char *const screen_ids[SCR_COUNT] = {
	"start", "closed", "out_of_service",
	"pin", "truck", "waste", "sources", "source_edit", "source_town", "other_town", "volume",
	"details", "rcra", "review", "certify",
	"refused", "sample_hold", "discharge_ready", "discharging", "done",
	"rv_signin", "rv_rules", "rv_declare", "rv_dump", "rv_done",
	"operator_pin", "operator", "sample", "override",
};

static const char *const act_codes[ACT_COUNT] = {
	"show", "message", "relay", "log", "pin_state", "commit_load", "sample",
	"discharge", "commit_rv", "print", "rv_done", "sample_abandoned",
};

const char *screen_id(enum screen s)
{
	return (unsigned)s < SCR_COUNT ? screen_ids[s] : "";
}

int screen_parse(const char *id)
{
	for (int i = 0; id && i < SCR_COUNT; i++)
		if (strcmp(screen_ids[i], id) == 0)
			return i;
	return -1;
}

const char *act_code(enum act_kind k)
{
	return (unsigned)k < ACT_COUNT ? act_codes[k] : "";
}

/* ---- emitting actions ---- */

struct action *flow_emit(struct actions *out, enum act_kind kind)
{
	struct action *a;

	if (out->n >= FLOW_MAX_ACTIONS) {
		out->overflow = 1;
		return NULL;
	}
	a = &out->a[out->n++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	return a;
}

/* The field a screen focuses when it opens ("" for one-line input screens). */
static const char *first_field(enum screen s)
{
	switch (s) {
	case SCR_SOURCE_EDIT: return "source_name";
	case SCR_OTHER_TOWN: return "source_town";
	case SCR_DETAILS: return "characteristics";
	case SCR_CERTIFY: return "signer";
	case SCR_RV_SIGNIN: return "rv_name";
	default: return "";
	}
}

void flow_show(struct flow *f, struct actions *out, enum screen s, hg_time now)
{
	struct action *a = flow_emit(out, ACT_SHOW);

	(void)now;	/* the wall clock: durations run on f->mono */
	if (s != f->screen)
		snprintf(f->focus, sizeof f->focus, "%s", first_field(s));
	f->screen = s;
	f->screen_since = f->mono;
	if (a)
		a->screen = s;
}

void flow_message(struct flow *f, struct actions *out, enum reason r)
{
	struct action *a = flow_emit(out, ACT_MESSAGE);

	f->message = r;
	if (a)
		a->reason = r;
}

void flow_relay(struct actions *out, const char *name, int on)
{
	struct action *a = flow_emit(out, ACT_RELAY);

	if (!a)
		return;
	snprintf(a->name, sizeof a->name, "%s", name);
	a->on = on;
}

/* JSON string body of s (quotes and backslashes escaped; control characters
 * never get this far, text_check refuses them, but are escaped anyway). */
void flow_jesc(char *out, size_t cap, const char *s)
{
	size_t n = 0;

	for (; *s && n + 7 < cap; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\') {
			out[n++] = '\\';
			out[n++] = (char)c;
		} else if (c < 0x20) {
			n += (size_t)snprintf(out + n, cap - n, "\\u%04x", c);
		} else {
			out[n++] = (char)c;
		}
	}
	out[n] = '\0';
}

/* Log an event with a detail made by the caller (a JSON object text). */
struct action *flow_logev(struct actions *out, const char *type, long long id)
{
	struct action *a = flow_emit(out, ACT_LOG);

	if (!a)
		return NULL;
	snprintf(a->event, sizeof a->event, "%s", type);
	snprintf(a->detail, sizeof a->detail, "{}");
	a->id = id;
	return a;
}

/* ---- session life ---- */

static void reset(struct flow *f, const struct config *cfg, hg_time now)
{
	enum reason fault = f->fault;
	int flag = f->flag_next;
	hg_time mono = f->mono;

	memset(f, 0, sizeof *f);
	f->screen = config_is_open(cfg, now) ? SCR_START : SCR_CLOSED;
	f->lang = (enum lang)cfg->lang_default;
	f->fault = fault;
	f->flag_next = flag;
	f->mono = mono;
	f->screen_since = mono;
	f->last_input = mono;
	f->after_edit = SCR_START;
	f->edit_index = -1;
}

/* Every way a session ends comes here: relays off first, then the start
 * screen (or out of service, when a fault is standing). */
void flow_end_session(struct flow *f, const struct config *cfg, hg_time now,
			struct actions *out)
{
	flow_relay(out, "valve", 0);
	flow_relay(out, "gate", 0);
	reset(f, cfg, now);
	flow_show(f, out, f->fault ? SCR_OUT_OF_SERVICE : f->screen, now);
}

void flow_init(struct flow *f, const struct config *cfg, hg_time now, struct actions *out)
{
	memset(out, 0, sizeof *out);
	memset(f, 0, sizeof *f);
	flow_end_session(f, cfg, now, out);
}

void flow_open_time(const struct flow *f, const struct config *cfg, long *elapsed, long *left)
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

int flow_relays_live(const struct flow *f)
{
	switch (f->screen) {
	case SCR_DISCHARGE_READY: case SCR_DISCHARGING: case SCR_RV_DUMP: case SCR_OVERRIDE:
		return 1;
	default:
		return 0;
	}
}

/* ---- typing ---- */

/* The buffer and limit of a field a person types into on the current screen. */
static char *typed_field(struct flow *f, const char *name, size_t *cap, int *max)
{
	static const struct {
		const char *name;
		size_t off;
		size_t cap;
		int max;
	} rv_fields[] = {
		{"rv_name", offsetof(struct rv_rec, name), sizeof(((struct rv_rec *)0)->name), LIM_NAME},
		{"rv_plate", offsetof(struct rv_rec, plate), sizeof(((struct rv_rec *)0)->plate), LIM_PLATE},
		{"rv_state", offsetof(struct rv_rec, plate_state),
		 sizeof(((struct rv_rec *)0)->plate_state), LIM_STATE},
	};

	for (size_t i = 0; i < HG_ARRAY_LEN(rv_fields); i++)
		if (strcmp(rv_fields[i].name, name) == 0) {
			*cap = rv_fields[i].cap;
			*max = rv_fields[i].max;
			return (char *)&f->rv + rv_fields[i].off;
		}
	if (strncmp(name, "source_", 7) == 0) {
		*max = manifest_field_limit(name);
		if (strcmp(name, "source_name") == 0)
			return *cap = sizeof f->edit.name, f->edit.name;
		if (strcmp(name, "source_address") == 0)
			return *cap = sizeof f->edit.address, f->edit.address;
		if (strcmp(name, "source_industry") == 0)
			return *cap = sizeof f->edit.industry, f->edit.industry;
		if (strcmp(name, "source_town") == 0)
			return *cap = sizeof f->edit.town, f->edit.town;
		return NULL;
	}
	if (strcmp(name, "characteristics") == 0)
		return *cap = sizeof f->load.m.characteristics, *max = LIM_TEXT,
		       f->load.m.characteristics;
	if (strcmp(name, "constituents") == 0)
		return *cap = sizeof f->load.m.constituents, *max = LIM_TEXT,
		       f->load.m.constituents;
	if (strcmp(name, "signer") == 0)
		return *cap = sizeof f->load.m.signer, *max = LIM_NAME, f->load.m.signer;
	return NULL;
}

static enum reason text_reason(enum text_fault t)
{
	switch (t) {
	case TEXT_BAD_UTF8: return R_INPUT_BAD_UTF8;
	case TEXT_CONTROL: return R_INPUT_CONTROL;
	case TEXT_FORMAT: return R_INPUT_FORMAT;
	case TEXT_INVISIBLE: return R_INPUT_INVISIBLE;
	case TEXT_TOO_LONG: return R_INPUT_TOO_LONG;
	case TEXT_EMPTY: return R_INPUT_EMPTY;
	default: return R_NONE;
	}
}

/* Put value into field (replace) or add it at the end (append).  On any fault
 * the field keeps what it had and the person is told why. */
static int set_text(struct flow *f, struct actions *out, const char *field,
		    const char *value, int append)
{
	char cand[HG_BUF(LIM_TEXT) + HG_BUF(LIM_TEXT)];
	size_t cap = 0;
	int max = 0;
	char *dst = typed_field(f, field, &cap, &max);
	enum text_fault t;

	if (!dst) {
		flow_message(f, out, R_INPUT_CHOICE);
		return HG_ENOTFOUND;
	}
	t = text_check(value, max, 0);
	if (t != TEXT_OK && t != TEXT_INVISIBLE) {	/* a mark typed alone may join a letter */
		flow_message(f, out, text_reason(t));
		return HG_EINVAL;
	}
	if (text_copy(cand, sizeof cand, append ? dst : "") != HG_OK ||
	    text_append(cand, sizeof cand, value) != HG_OK || strlen(cand) >= cap) {
		flow_message(f, out, R_INPUT_TOO_LONG);
		return HG_EINVAL;
	}
	t = text_check(cand, max, 0);
	if (t != TEXT_OK) {
		flow_message(f, out, t == TEXT_INVISIBLE ? R_INPUT_INVISIBLE : R_INPUT_TOO_LONG);
		return HG_EINVAL;
	}
	memcpy(dst, cand, strlen(cand) + 1);
	f->message = R_NONE;
	return HG_OK;
}

/* The single-line input of keypad screens (PIN, gallons, bottle id, reason). */
void flow_type_input(struct flow *f, struct actions *out, const char *text, int digits,
		       int max)
{
	char cand[sizeof f->input];
	enum text_fault t = text_check(text, max, 0);

	if (t != TEXT_OK && t != TEXT_INVISIBLE) {
		flow_message(f, out, text_reason(t));
		return;
	}
	if (digits)
		for (const char *p = text; *p; p++)
			if (*p < '0' || *p > '9') {
				flow_message(f, out, R_INPUT_NUMBER);
				return;
			}
	if (text_copy(cand, sizeof cand, f->input) != HG_OK ||
	    text_append(cand, sizeof cand, text) != HG_OK || text_chars(cand) > max) {
		flow_message(f, out, R_INPUT_TOO_LONG);
		return;
	}
	if (text_check(cand, max, 0) == TEXT_INVISIBLE) {
		flow_message(f, out, R_INPUT_INVISIBLE);
		return;
	}
	memcpy(f->input, cand, strlen(cand) + 1);
	f->message = R_NONE;
}

/* backspace / clear on the focused field or the input line. */
int flow_edit_key(struct flow *f, const char *button)
{
	size_t cap;
	int max;
	char *dst = f->focus[0] ? typed_field(f, f->focus, &cap, &max) : f->input;

	if (!dst)
		dst = f->input;
	if (strcmp(button, "backspace") == 0) {
		text_backspace(dst);
		return 1;
	}
	if (strcmp(button, "clear") == 0) {
		dst[0] = '\0';
		return 1;
	}
	return 0;
}

/* ---- PIN ---- */

/* Right only when the keyed hash verifies (core/pin.c): no key, an unkeyed
 * or damaged hash, another key: all wrong. */
static int pin_matches(const struct card_info *c, const char *pin, const uint8_t *key)
{
	return pin_verify(key, c->pin_hash, pin) == HG_OK;
}

/* Check the typed PIN of card c with the PIN key.  Returns 1 right, 0 wrong
 * (told, stored, maybe locked: then *locked). */
int flow_check_pin(struct flow *f, const struct config *cfg, struct card_info *c,
		     const uint8_t *pin_key, hg_time now, struct actions *out, int *locked)
{
	int ok = pin_matches(c, f->input, pin_key);
	struct action *a;

	sodium_memzero(f->input, sizeof f->input);
	*locked = 0;
	if (ok) {
		if (c->failures) {
			a = flow_emit(out, ACT_PIN_STATE);
			if (a) {
				a->card_kind = c->kind;
				a->id = c->card_id;
				snprintf(a->event, sizeof a->event, "pin_ok");
				snprintf(a->detail, sizeof a->detail, "{\"uid\":\"%s\"}", c->uid);
			}
			c->failures = 0;
			c->locked_until = 0;
		}
		return 1;
	}
	c->failures++;
	if (c->failures >= cfg->pin_max_failures) {
		c->locked_until = now + cfg->pin_lockout_s;
		*locked = 1;
	}
	a = flow_emit(out, ACT_PIN_STATE);
	if (a) {
		a->card_kind = c->kind;
		a->id = c->card_id;
		a->failures = *locked ? 0 : c->failures;
		a->until = c->locked_until;
		snprintf(a->event, sizeof a->event, *locked ? "pin_lockout" : "pin_failed");
		snprintf(a->detail, sizeof a->detail,
			 "{\"uid\":\"%s\",\"failures\":%d,\"locked_until\":%lld}", c->uid,
			 c->failures, (long long)c->locked_until);
	}
	flow_message(f, out, *locked ? R_PIN_LOCKED : R_PIN_WRONG);
	return 0;
}

int flow_pin_keypad(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		    struct card_info *c, struct actions *out, int *locked)
{
	*locked = 0;
	if (ev->kind == EV_TYPE) {
		flow_type_input(f, out, ev->text, 1, LIM_PIN);
		return 0;
	}
	if (ev->kind != EV_PRESS || flow_edit_key(f, ev->button) || strcmp(ev->button, "ok") != 0)
		return 0;
	if (!f->input[0]) {
		flow_message(f, out, R_INPUT_EMPTY);
		return 0;
	}
	return flow_check_pin(f, cfg, c, ev->pin_key, ev->now, out, locked);
}

/* Focus buttons: "focus_<field>" for a field the screen has. */
static int focus_button(struct flow *f, const char *button, const char *const *fields, int n)
{
	if (strncmp(button, "focus_", 6) != 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (strcmp(button + 6, fields[i]) == 0) {
			snprintf(f->focus, sizeof f->focus, "%s", fields[i]);
			return 1;
		}
	return 0;
}

/* Typing and field setting on multi-field screens.  Returns 1 if handled. */
int flow_fields_event(struct flow *f, const struct flow_event *ev, const char *const *fields,
			int n, struct actions *out)
{
	if (ev->kind == EV_TYPE) {
		if (f->focus[0])
			set_text(f, out, f->focus, ev->text, 1);
		return 1;
	}
	if (ev->kind == EV_FIELD) {
		for (int i = 0; i < n; i++)
			if (strcmp(ev->field, fields[i]) == 0) {
				set_text(f, out, ev->field, ev->text, 0);
				return 1;
			}
		flow_message(f, out, R_INPUT_CHOICE);
		return 1;
	}
	if (ev->kind == EV_PRESS &&
	    (focus_button(f, ev->button, fields, n) || flow_edit_key(f, ev->button)))
		return 1;
	return 0;
}

/* ---- the flow meter ---- */

/* One reading of the totaliser (or its failure) while the valve is open.  Only
 * the changes are logged: the meter failing, coming back, restarting. */
static void meter_reading(struct flow *f, const struct config *cfg, const struct flow_event *ev,
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
			a = flow_logev(out, "meter_failed", f->load.load_no);
			if (a)
				snprintf(a->detail, sizeof a->detail,
					 "{\"measured_so_far\":%ld,\"first_reading\":%s}",
					 f->load.gallons_measured, m->seen ? "false" : "true");
		}
		m->failing = 1;
		return;
	}
	if (m->failing) {
		a = flow_logev(out, "meter_recovered", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"totaliser\":%.1f}", g);
	}
	m->failing = 0;
	if (!m->seen) {
		m->seen = 1;		/* the baseline, taken as the valve opened */
		m->last = g;
		/* what an interrupted discharge is counted from (not a later first
		 * reading after a failed one: the count since the opening is lost) */
		a = m->lost ? NULL : flow_logev(out, "meter_baseline", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"totaliser\":%.1f}", g);
	} else if (g >= m->last) {
		m->counted += g - m->last;
		m->last = g;
	} else {
		a = flow_logev(out, "meter_reset", f->load.load_no);
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
static void meter_verdict(struct flow *f, const struct config *cfg, struct actions *out)
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
	a = flow_logev(out, reason_code(f->load.meter_flag), f->load.load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail,
			 "{\"declared\":%ld,\"measured\":%ld,\"share\":%.4g,\"min_gallons\":%ld}",
			 declared, measured, cfg->meter_mismatch, cfg->meter_mismatch_min);
}

/* The discharge is over (stop, time limit or fault): record it with what
 * the meter counted. */
static void end_discharge(struct flow *f, const struct config *cfg, hg_time now,
			  const char *why, struct actions *out)
{
	struct action *a;

	f->load.t.discharge_end = now;
	a = flow_emit(out, ACT_DISCHARGE);
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

static void start_discharge(struct flow *f, hg_time now, struct actions *out)
{
	struct action *a;

	memset(&f->meter, 0, sizeof f->meter);
	f->load.gallons_measured = 0;
	f->load.meter_flag = R_NONE;
	f->load.t.discharge_start = now;
	f->open_since = f->mono;
	flow_relay(out, "valve", 1);
	a = flow_emit(out, ACT_DISCHARGE);
	if (a)
		a->on = 1;
	flow_show(f, out, SCR_DISCHARGING, now);
}

static void stop_discharge(struct flow *f, const struct config *cfg, hg_time now,
			   const char *why, struct actions *out)
{
	struct action *a;

	flow_relay(out, "valve", 0);
	flow_relay(out, "gate", 0);
	end_discharge(f, cfg, now, why, out);
	a = flow_emit(out, ACT_PRINT);
	if (a)
		a->print = PRINT_RECEIPT;
	flow_show(f, out, SCR_DONE, now);
}

static void scr_discharge_ready(struct flow *f, const struct config *cfg,
				const struct flow_event *ev, struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "start") == 0)
		start_discharge(f, ev->now, out);
}

static void scr_discharging(struct flow *f, const struct config *cfg,
			    const struct flow_event *ev, struct actions *out)
{
	if (ev->kind == EV_PRESS &&
	    (strcmp(ev->button, "stop") == 0 || strcmp(ev->button, "done") == 0))
		stop_discharge(f, cfg, ev->now, ev->button, out);
}

static void scr_ok_to_start(struct flow *f, const struct config *cfg,
			    const struct flow_event *ev, struct actions *out)
{
	if (ev->kind == EV_PRESS && strcmp(ev->button, "ok") == 0)
		flow_end_session(f, cfg, ev->now, out);
}

/* ---- start ---- */

static void card_at_start(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			  struct actions *out)
{
	const struct card_info *c = ev->card;

	if (c->kind == CARD_OPERATOR) {
		if (c->locked_until > ev->now) {
			flow_message(f, out, R_PIN_LOCKED);
			return;
		}
		f->session = SESS_OPERATOR;
		f->op = *c;
		f->op_for_sample = 0;
		f->input[0] = '\0';
		flow_show(f, out, SCR_OPERATOR_PIN, ev->now);
		return;
	}
	if (f->screen == SCR_OUT_OF_SERVICE) {
		flow_message(f, out, f->fault);
		return;
	}
	if (c->kind != CARD_HAULER) {
		flow_message(f, out, R_CARD_UNKNOWN);
		return;
	}
	if (c->revoked) {
		flow_message(f, out, R_CARD_REVOKED);
		return;
	}
	if (c->locked_until > ev->now) {
		flow_message(f, out, R_PIN_LOCKED);
		return;
	}
	if (!config_is_open(cfg, ev->now)) {
		flow_message(f, out, R_STATION_CLOSED);
		return;
	}
	flow_begin_hauler(f, cfg, c, ev->now, out);
}

static void scr_start(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		      struct actions *out)
{
	if (ev->kind != EV_PRESS || strcmp(ev->button, "rv") != 0)
		return;
	if (f->screen != SCR_START) {
		flow_message(f, out, f->screen == SCR_CLOSED ? R_STATION_CLOSED : f->fault);
		return;
	}
	f->session = SESS_RV;
	memset(&f->rv, 0, sizeof f->rv);
	snprintf(f->focus, sizeof f->focus, "rv_name");
	flow_show(f, out, SCR_RV_SIGNIN, ev->now);
	(void)cfg;
}

typedef void (*screen_fn)(struct flow *, const struct config *, const struct flow_event *,
			  struct actions *);

static const screen_fn screens[SCR_COUNT] = {
	[SCR_START] = scr_start,
	[SCR_CLOSED] = scr_start,
	[SCR_OUT_OF_SERVICE] = scr_start,
	[SCR_PIN] = flow_scr_pin,
	[SCR_TRUCK] = flow_scr_truck,
	[SCR_WASTE] = flow_scr_waste,
	[SCR_SOURCES] = flow_scr_sources,
	[SCR_SOURCE_EDIT] = flow_scr_source_edit,
	[SCR_SOURCE_TOWN] = flow_scr_source_town,
	[SCR_OTHER_TOWN] = flow_scr_other_town,
	[SCR_VOLUME] = flow_scr_volume,
	[SCR_DETAILS] = flow_scr_details,
	[SCR_RCRA] = flow_scr_rcra,
	[SCR_REVIEW] = flow_scr_review,
	[SCR_CERTIFY] = flow_scr_certify,
	[SCR_REFUSED] = scr_ok_to_start,
	[SCR_SAMPLE_HOLD] = flow_scr_sample_hold,
	[SCR_DISCHARGE_READY] = scr_discharge_ready,
	[SCR_DISCHARGING] = scr_discharging,
	[SCR_DONE] = scr_ok_to_start,
	[SCR_RV_SIGNIN] = flow_scr_rv_signin,
	[SCR_RV_RULES] = flow_scr_rv_rules,
	[SCR_RV_DECLARE] = flow_scr_rv_declare,
	[SCR_RV_DUMP] = flow_scr_rv_dump,
	[SCR_RV_DONE] = scr_ok_to_start,
	[SCR_OPERATOR_PIN] = flow_scr_operator_pin,
	[SCR_OPERATOR] = flow_scr_operator,
	[SCR_SAMPLE] = flow_scr_sample,
	[SCR_OVERRIDE] = flow_scr_override,
};

/* How long a screen may wait for the person before the session ends; 0 = it
 * does not time out that way. */
static long idle_limit(const struct flow *f, const struct config *cfg)
{
	switch (f->screen) {
	case SCR_START: case SCR_CLOSED: case SCR_OUT_OF_SERVICE:
	case SCR_DISCHARGING: case SCR_RV_DUMP:
		return 0;
	case SCR_REFUSED: case SCR_DONE: case SCR_RV_DONE:
		return cfg->inactivity_s < FLOW_DONE_S ? cfg->inactivity_s : FLOW_DONE_S;
	case SCR_SAMPLE_HOLD:
		return cfg->inactivity_s * FLOW_SAMPLE_WAIT_FACTOR;
	default:
		return cfg->inactivity_s;
	}
}

static void tick(struct flow *f, const struct config *cfg, hg_time now, struct actions *out)
{
	long limit, open_s, left;
	hg_time idle;

	if (f->screen == SCR_START || f->screen == SCR_CLOSED) {
		enum screen s = config_is_open(cfg, now) ? SCR_START : SCR_CLOSED;
		if (s != f->screen)
			flow_show(f, out, s, now);
		return;
	}
	flow_open_time(f, cfg, &open_s, &left);
	if (f->screen == SCR_DISCHARGING) {
		if (open_s >= cfg->max_discharge_s) {
			stop_discharge(f, cfg, now, "max_time", out);
			flow_message(f, out, R_DISCHARGE_MAX_TIME);
		}
		return;
	}
	if (f->screen == SCR_RV_DUMP) {
		if (open_s >= cfg->rv_max_dump_s) {
			flow_rv_finish(f, now, "max_time", out);
			flow_message(f, out, R_DISCHARGE_MAX_TIME);
		}
		return;
	}
	/* idle since the last touch or since the screen changed by itself */
	idle = f->mono - (f->last_input > f->screen_since ? f->last_input : f->screen_since);
	limit = idle_limit(f, cfg);
	if (limit <= 0)
		return;
	/* first ask, at least FLOW_WARN_S before the end: one tap keeps going */
	if (idle < limit) {
		if (idle >= limit - FLOW_WARN_S && f->message != R_STILL_THERE &&
		    f->screen != SCR_REFUSED && f->screen != SCR_DONE && f->screen != SCR_RV_DONE)
			flow_message(f, out, R_STILL_THERE);
		return;
	}
	if (f->screen != SCR_REFUSED && f->screen != SCR_DONE && f->screen != SCR_RV_DONE) {
		struct action *a = flow_logev(out, f->committed ? "session_timeout" : "entry_discarded",
					 f->committed ? f->load.load_no : 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"idle_s\":%lld}",
				 screen_id(f->screen), (long long)idle);
		flow_hold_abandon(f, "timeout", out);
		flow_end_session(f, cfg, now, out);
		flow_message(f, out, R_TIMEOUT);
		return;
	}
	flow_end_session(f, cfg, now, out);
}

/* A device or the database failed: everything off, out of service. */
static void fault(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		  struct actions *out)
{
	struct action *a;

	if (f->screen == SCR_DISCHARGING) {
		/* valve shut first; then the load keeps what was measured */
		flow_relay(out, "valve", 0);
		end_discharge(f, cfg, ev->now, "fault", out);
	}
	f->fault = ev->fault ? ev->fault : R_FAULT_RELAY;
	a = flow_logev(out, "fault", f->load.load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail, "{\"fault\":\"%s\",\"screen\":\"%s\"}",
			 reason_code(f->fault), screen_id(f->screen));
	flow_hold_abandon(f, "fault", out);
	flow_end_session(f, cfg, ev->now, out);
	flow_message(f, out, f->fault);
}

/* Cancel: leave the session from any screen where nothing is running. */
static int cancel(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		  struct actions *out)
{
	struct action *a;

	switch (f->screen) {
	case SCR_START: case SCR_CLOSED: case SCR_OUT_OF_SERVICE: case SCR_DISCHARGING:
	case SCR_RV_DUMP:
		return 0;
	case SCR_OPERATOR_PIN:
		if (f->op_for_sample) {
			f->input[0] = '\0';
			flow_show(f, out, SCR_SAMPLE_HOLD, ev->now);
			return 1;
		}
		break;
	default:
		break;
	}
	if (f->session == SESS_HAULER && !f->committed) {
		a = flow_logev(out, "entry_discarded", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"why\":\"cancel\"}",
				 screen_id(f->screen));
	} else if (f->session == SESS_HAULER) {
		a = flow_logev(out, "session_ended", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"screen\":\"%s\",\"why\":\"cancel\"}",
				 screen_id(f->screen));
	}
	flow_hold_abandon(f, "cancel", out);
	flow_end_session(f, cfg, ev->now, out);
	return 1;
}

void flow_step(struct flow *f, const struct config *cfg, const struct flow_event *ev,
	       struct actions *out)
{
	memset(out, 0, sizeof *out);
	f->mono = ev->mono;

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
			flow_load_stored(f, ev, out);
		else if (f->screen == SCR_RV_DECLARE)
			flow_rv_stored(f, ev, out);
		return;
	case EV_CARD: {
		struct action *a = flow_logev(out, "card_tapped", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail,
				 "{\"uid\":\"%s\",\"kind\":\"%s\",\"screen\":\"%s\"}", ev->card->uid,
				 ev->card->kind == CARD_HAULER ? "hauler" :
				 ev->card->kind == CARD_OPERATOR ? "operator" : "unknown",
				 screen_id(f->screen));
		f->last_input = ev->mono;
		if (f->screen == SCR_START || f->screen == SCR_CLOSED ||
		    f->screen == SCR_OUT_OF_SERVICE) {
			card_at_start(f, cfg, ev, out);
		} else if (f->screen == SCR_SAMPLE_HOLD && ev->card->kind == CARD_OPERATOR) {
			if (ev->card->locked_until > ev->now) {
				flow_message(f, out, R_PIN_LOCKED);
				return;
			}
			f->op = *ev->card;
			f->op_for_sample = 1;
			f->input[0] = '\0';
			flow_show(f, out, SCR_OPERATOR_PIN, ev->now);
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
			flow_show(f, out, f->screen, ev->now);
			return;
		}
		if (strcmp(ev->button, "cancel") == 0) {
			if (!cancel(f, cfg, ev, out))
				flow_message(f, out, R_INPUT_CHOICE);
			return;
		}
	}
	if ((unsigned)f->screen < SCR_COUNT && screens[f->screen])
		screens[f->screen](f, cfg, ev, out);
}

