/* session_common.c: what every screen of the state machine uses: emitting
 * actions (show a screen, tell the person, set a relay, log), ending a
 * session, typing into the input line or a form's fields, and the PIN check.
 *
 * The state machine is four files, and calls go one way, down:
 *
 *     session.c  (session_step, the screen table, ticks, faults, cancel, the meter,
 *       │  │   the start and discharge screens)
 *       │  ├──> session_form.c   (the hauler's PIN and form, the load stored)
 *       │  ├──> session_staff.c  (operators, RV visitors)
 *       │  │        │
 *       ▼  ▼        ▼
 *     session_common.c  (this file: calls nothing of the other three)
 *
 * session_form.c and session_staff.c never call each other nor session.c.  So a change
 * of screen here only asks for it (session_show()); what happens on entering
 * the screen (its row of the screen table, core/session.c) is done by
 * session_step() once the event is handled.  tests/cli/test_session_calls.sh
 * checks the graph on the objects.
 * Shared declarations: core/session_int.h.  Start reading at session_show(). */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "session_int.h"
#include "pin.h"
#include "text.h"

/* ---- emitting actions ---- */

struct action *session_emit(struct actions *out, enum act_kind kind)
{
	struct action *a;

	if (out->n >= SESSION_MAX_ACTIONS) {
		out->overflow = 1;
		return NULL;
	}
	a = &out->a[out->n++];
	memset(a, 0, sizeof *a);
	a->kind = kind;
	return a;
}

void session_show(struct session *f, struct actions *out, enum screen s, hg_time now)
{
	struct action *a = session_emit(out, ACT_SHOW);

	(void)now;	/* the wall clock: durations run on f->mono */
	if (s != f->screen)
		f->entering = 1;	/* session_step() enters it once the event is handled */
	f->screen = s;
	f->screen_since = f->mono;
	if (a)
		a->screen = s;
}

void session_message(struct session *f, struct actions *out, enum reason r)
{
	struct action *a = session_emit(out, ACT_MESSAGE);

	f->message = r;
	if (a)
		a->reason = r;
}

void session_relay(struct actions *out, const char *name, int on)
{
	struct action *a = session_emit(out, ACT_RELAY);

	if (!a)
		return;
	snprintf(a->name, sizeof a->name, "%s", name);
	a->on = on;
}

/* JSON string body of s (quotes and backslashes escaped; control characters
 * never get this far, text_check refuses them, but are escaped anyway). */
void session_jesc(char *out, size_t cap, const char *s)
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
struct action *session_logev(struct actions *out, const char *type, long long id)
{
	struct action *a = session_emit(out, ACT_LOG);

	if (!a)
		return NULL;
	snprintf(a->event, sizeof a->event, "%s", type);
	snprintf(a->detail, sizeof a->detail, "{}");
	a->id = id;
	return a;
}

/* ---- session life ---- */

static void reset(struct session *f, const struct config *cfg, hg_time now)
{
	enum reason fault = f->fault;
	int flag = f->flag_next;
	unsigned waste_now = f->waste_now;
	hg_time mono = f->mono;

	memset(f, 0, sizeof *f);
	f->screen = config_is_open(cfg, now) ? SCR_START : SCR_CLOSED;
	f->lang = (enum lang)cfg->lang_default;
	f->fault = fault;
	f->flag_next = flag;
	f->waste_now = waste_now;
	f->mono = mono;
	f->screen_since = mono;
	f->last_input = mono;
	f->after_edit = SCR_START;
	f->edit_index = -1;
}

/* Every way a session ends comes here: relays off first, then the start
 * screen (or out of service, when a fault is standing). */
void session_end(struct session *f, const struct config *cfg, hg_time now,
			struct actions *out)
{
	session_relay(out, "valve", 0);
	session_relay(out, "gate", 0);
	reset(f, cfg, now);
	session_show(f, out, f->fault ? SCR_OUT_OF_SERVICE : f->screen, now);
}

/* ---- typing ---- */

/* The buffer and limit of a field a person types into on the current screen. */
static char *typed_field(struct session *f, const char *name, size_t *cap, int *max)
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
static int set_text(struct session *f, struct actions *out, const char *field,
		    const char *value, int append)
{
	char cand[HG_BUF(LIM_TEXT) + HG_BUF(LIM_TEXT)];
	size_t cap = 0;
	int max = 0;
	char *dst = typed_field(f, field, &cap, &max);
	enum text_fault t;

	if (!dst) {
		session_message(f, out, R_INPUT_CHOICE);
		return HG_ENOTFOUND;
	}
	t = text_check(value, max, 0);
	if (t != TEXT_OK && t != TEXT_INVISIBLE) {	/* a mark typed alone may join a letter */
		session_message(f, out, text_reason(t));
		return HG_EINVAL;
	}
	if (text_copy(cand, sizeof cand, append ? dst : "") != HG_OK ||
	    text_append(cand, sizeof cand, value) != HG_OK || strlen(cand) >= cap) {
		session_message(f, out, R_INPUT_TOO_LONG);
		return HG_EINVAL;
	}
	t = text_check(cand, max, 0);
	if (t != TEXT_OK) {
		session_message(f, out, t == TEXT_INVISIBLE ? R_INPUT_INVISIBLE : R_INPUT_TOO_LONG);
		return HG_EINVAL;
	}
	memcpy(dst, cand, strlen(cand) + 1);
	f->message = R_NONE;
	return HG_OK;
}

/* The single-line input of keypad screens (PIN, gallons, bottle id, reason). */
void session_type_input(struct session *f, struct actions *out, const char *text, int digits,
		       int max)
{
	char cand[sizeof f->input];
	enum text_fault t = text_check(text, max, 0);

	if (t != TEXT_OK && t != TEXT_INVISIBLE) {
		session_message(f, out, text_reason(t));
		return;
	}
	if (digits)
		for (const char *p = text; *p; p++)
			if (*p < '0' || *p > '9') {
				session_message(f, out, R_INPUT_NUMBER);
				return;
			}
	if (text_copy(cand, sizeof cand, f->input) != HG_OK ||
	    text_append(cand, sizeof cand, text) != HG_OK || text_chars(cand) > max) {
		session_message(f, out, R_INPUT_TOO_LONG);
		return;
	}
	if (text_check(cand, max, 0) == TEXT_INVISIBLE) {
		session_message(f, out, R_INPUT_INVISIBLE);
		return;
	}
	memcpy(f->input, cand, strlen(cand) + 1);
	f->message = R_NONE;
}

/* backspace / clear on the focused field or the input line. */
int session_edit_key(struct session *f, const char *button)
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
int session_check_pin(struct session *f, const struct config *cfg, struct card_info *c,
		     const uint8_t *pin_key, hg_time now, struct actions *out, int *locked)
{
	int ok = pin_matches(c, f->input, pin_key);
	struct action *a;

	sodium_memzero(f->input, sizeof f->input);
	*locked = 0;
	if (ok) {
		if (c->failures) {
			a = session_emit(out, ACT_PIN_STATE);
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
	a = session_emit(out, ACT_PIN_STATE);
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
	session_message(f, out, *locked ? R_PIN_LOCKED : R_PIN_WRONG);
	return 0;
}

int session_pin_keypad(struct session *f, const struct config *cfg, const struct session_event *ev,
		    struct card_info *c, struct actions *out, int *locked)
{
	*locked = 0;
	if (ev->kind == EV_TYPE) {
		session_type_input(f, out, ev->text, 1, LIM_PIN);
		return 0;
	}
	if (ev->kind != EV_PRESS || session_edit_key(f, ev->button) || strcmp(ev->button, "ok") != 0)
		return 0;
	if (!f->input[0]) {
		session_message(f, out, R_INPUT_EMPTY);
		return 0;
	}
	return session_check_pin(f, cfg, c, ev->pin_key, ev->now, out, locked);
}

/* Focus buttons: "focus_<field>" for a field the screen has. */
static int focus_button(struct session *f, const char *button, const char *const *fields, int n)
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
int session_fields_event(struct session *f, const struct session_event *ev, const char *const *fields,
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
		session_message(f, out, R_INPUT_CHOICE);
		return 1;
	}
	if (ev->kind == EV_PRESS &&
	    (focus_button(f, ev->button, fields, n) || session_edit_key(f, ev->button)))
		return 1;
	return 0;
}
