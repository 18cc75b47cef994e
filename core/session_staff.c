/* session_staff.c: the screens of the people who are not haulers: plant
 * operators (PIN, menu, sample bottle, gate by hand) and RV visitors (sign-in,
 * rules, declaration, dump).  Part of the state machine of core/session.c, split
 * off to keep each file readable; the shared helpers are in core/session_int.h. */
#include <stdio.h>
#include <string.h>
#include "session_int.h"
#include "text.h"

/* ---- operators ---- */

void session_scr_operator_pin(struct session *f, const struct config *cfg,
			     const struct session_event *ev, struct actions *out)
{
	int locked;

	if (!session_pin_keypad(f, cfg, ev, &f->op, out, &locked)) {
		if (locked)
			session_show(f, out, f->op_for_sample ? SCR_SAMPLE_HOLD : SCR_START, ev->now);
		if (locked && !f->op_for_sample)
			session_end(f, cfg, ev->now, out);
		return;
	}
	{
		struct action *a = session_logev(out, "operator_in", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld,\"uid\":\"%s\"}",
				 f->op.card_id, f->op.uid);
	}
	f->input[0] = '\0';
	if (f->op_for_sample) {
		snprintf(f->focus, sizeof f->focus, "bottle");
		session_show(f, out, SCR_SAMPLE, ev->now);
	} else {
		session_show(f, out, SCR_OPERATOR, ev->now);
	}
}

void session_scr_sample(struct session *f, const struct config *cfg, const struct session_event *ev,
		       struct actions *out)
{
	struct action *a;

	(void)cfg;
	if (ev->kind == EV_TYPE || (ev->kind == EV_FIELD && strcmp(ev->field, "bottle") == 0)) {
		if (ev->kind == EV_FIELD)
			f->input[0] = '\0';
		session_type_input(f, out, ev->text, 0, LIM_BOTTLE);
		return;
	}
	if (ev->kind != EV_PRESS || session_edit_key(f, ev->button) || strcmp(ev->button, "ok") != 0)
		return;
	text_trim(f->input);
	if (!f->input[0]) {
		session_message(f, out, R_INPUT_EMPTY);
		return;
	}
	memcpy(f->load.bottle, f->input, strlen(f->input) + 1);
	memcpy(f->load.sampler, f->op.holder, sizeof f->load.sampler);
	f->load.sampled_by = f->op.card_id;
	f->load.t.sampled = ev->now;
	f->input[0] = '\0';
	f->focus[0] = '\0';
	a = session_emit(out, ACT_SAMPLE);
	if (a)
		a->id = f->op.card_id;
	a = session_emit(out, ACT_PRINT);
	if (a)
		a->print = PRINT_LABEL;
	session_relay(out, "gate", 1);
	session_show(f, out, SCR_DISCHARGE_READY, ev->now);
}

void session_hold_abandon(struct session *f, const char *why, struct actions *out)
{
	struct action *a;

	if (f->kind != SESS_HAULER || !f->committed || !f->load.load_no ||
	    f->load.d.verdict != VERDICT_SAMPLE_HOLD || f->load.bottle[0])
		return;
	a = session_emit(out, ACT_SAMPLE_ABANDONED);
	if (!a)
		return;
	a->id = f->load.load_no;
	snprintf(a->detail, sizeof a->detail, "%s", why);
}

/* The operator takes the sample of a load left at its hold when the station
 * stopped (the caller read it back into ev->load): the truck still at the
 * gate is sampled without a new form, and goes on to its discharge as if
 * the operator had come to the hold. */
static void take_waiting(struct session *f, const struct session_event *ev, struct actions *out)
{
	const struct load_rec *ld = ev->load;
	struct action *a;

	if (f->fault != R_NONE) {	/* out of service: the fault is cleared first */
		session_message(f, out, f->fault);
		return;
	}
	if (!ld || ld->d.verdict != VERDICT_SAMPLE_HOLD || ld->bottle[0] || !ld->load_no ||
	    ld->t.discharge_start) {
		session_message(f, out, R_INPUT_CHOICE);
		return;
	}
	a = session_logev(out, "sample_resumed", ld->load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
	f->load = *ld;
	memset(&f->card, 0, sizeof f->card);
	f->kind = SESS_HAULER;
	f->committed = 1;
	f->op_for_sample = 1;
	f->lang = ld->lang;
	f->input[0] = '\0';
	session_show(f, out, SCR_SAMPLE, ev->now);
}

void session_scr_operator(struct session *f, const struct config *cfg, const struct session_event *ev,
			 struct actions *out)
{
	struct action *a;
	int on;

	if (ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "flag_next") == 0) {
		f->flag_next = !f->flag_next;
		a = session_logev(out, f->flag_next ? "sample_flag_set" : "sample_flag_cleared", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
		session_show(f, out, SCR_OPERATOR, ev->now);
	} else if (strcmp(ev->button, "open_gate") == 0) {
		f->input[0] = '\0';
		snprintf(f->focus, sizeof f->focus, "reason");
		session_show(f, out, SCR_OVERRIDE, ev->now);
	} else if (strcmp(ev->button, "reprint") == 0) {
		a = session_emit(out, ACT_PRINT);
		if (a) {
			a->print = PRINT_RECEIPT;
			a->copy = 1;
		}
	} else if (strcmp(ev->button, "reprint_kept") == 0) {
		/* the slips the printer could not print: which they are is in the
		 * store's log, so the caller finds them and prints them in order */
		a = session_emit(out, ACT_PRINT);
		if (a) {
			a->print = PRINT_RECEIPT;
			a->copy = 1;
			a->kept = 1;
		}
	} else if (strcmp(ev->button, "sample_waiting") == 0) {
		take_waiting(f, ev, out);
	} else if (strcmp(ev->button, "day_summary") == 0) {
		/* today's summary: the station reads the day of ev->now from the store */
		a = session_emit(out, ACT_PRINT);
		if (a)
			a->print = PRINT_SUMMARY;
	} else if (strcmp(ev->button, "exit") == 0 || strcmp(ev->button, "clear_fault") == 0) {
		on = f->fault != R_NONE;
		if (on) {
			a = session_logev(out, "fault_cleared", 0);
			if (a)
				snprintf(a->detail, sizeof a->detail,
					 "{\"operator\":%lld,\"fault\":\"%s\"}", f->op.card_id,
					 reason_code(f->fault));
			f->fault = R_NONE;
		}
		a = session_logev(out, "operator_out", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
		session_end(f, cfg, ev->now, out);
	}
}

void session_scr_override(struct session *f, const struct config *cfg, const struct session_event *ev,
			 struct actions *out)
{
	struct action *a;
	char esc[HG_BUF(LIM_REASON) * 2];

	(void)cfg;
	if (ev->kind == EV_TYPE || (ev->kind == EV_FIELD && strcmp(ev->field, "reason") == 0)) {
		if (ev->kind == EV_FIELD)
			f->input[0] = '\0';
		session_type_input(f, out, ev->text, 0, LIM_REASON);
		return;
	}
	if (ev->kind != EV_PRESS || session_edit_key(f, ev->button))
		return;
	if (strcmp(ev->button, "ok") == 0) {
		text_trim(f->input);
		if (!f->input[0]) {
			session_message(f, out, R_INPUT_EMPTY);
			return;
		}
		session_jesc(esc, sizeof esc, f->input);
		a = session_logev(out, "manual_override", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail,
				 "{\"operator\":%lld,\"action\":\"gate_open\",\"reason\":\"%.400s\"}",
				 f->op.card_id, esc);
		session_relay(out, "gate", 1);
		f->input[0] = '\0';
	} else if (strcmp(ev->button, "close_gate") == 0 || strcmp(ev->button, "back") == 0) {
		session_relay(out, "gate", 0);
		f->focus[0] = '\0';
		session_show(f, out, SCR_OPERATOR, ev->now);
	}
}

/* ---- RV visitors ---- */

void session_scr_rv_signin(struct session *f, const struct config *cfg, const struct session_event *ev,
			  struct actions *out)
{
	static const char *const fields[] = {"rv_name", "rv_plate", "rv_state"};

	(void)cfg;
	if (session_fields_event(f, ev, fields, 3, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "next") != 0)
		return;
	text_trim(f->rv.name);
	text_trim(f->rv.plate);
	text_trim(f->rv.plate_state);
	if (!f->rv.name[0] || !f->rv.plate[0] || !f->rv.plate_state[0]) {
		snprintf(f->focus, sizeof f->focus, "%s",
			 !f->rv.name[0] ? "rv_name" : !f->rv.plate[0] ? "rv_plate" : "rv_state");
		session_message(f, out, R_INPUT_EMPTY);
		return;
	}
	f->rv.signed_in = ev->now;
	f->focus[0] = '\0';
	session_show(f, out, SCR_RV_RULES, ev->now);
}

void session_scr_rv_rules(struct session *f, const struct config *cfg, const struct session_event *ev,
			 struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "accept") == 0) {
		f->rv.rules_accepted = ev->now;
		session_show(f, out, SCR_RV_DECLARE, ev->now);
	}
}

void session_scr_rv_declare(struct session *f, const struct config *cfg,
			   const struct session_event *ev, struct actions *out)
{
	(void)cfg;
	if (ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "declare_yes") == 0)
		f->rv.declared = ev->now;
	else if (strcmp(ev->button, "declare_no") == 0)
		f->rv.declared = 0;
	else
		return;
	f->rv.lang = f->lang;
	session_emit(out, ACT_COMMIT_RV);
}

void session_rv_stored(struct session *f, const struct session_event *ev, struct actions *out)
{
	f->rv.id = ev->id;
	f->committed = 1;
	if (!f->rv.declared) {
		f->load.d.verdict = VERDICT_REFUSED;
		f->load.d.n_refuse = 1;
		f->load.d.refuse[0] = R_RV_DECLARATION;
		session_show(f, out, SCR_REFUSED, ev->now);
		session_message(f, out, R_RV_DECLARATION);
		return;
	}
	f->open_since = f->mono;	/* rv_max_dump counts from here, on the monotonic clock */
	session_relay(out, "gate", 1);
	session_show(f, out, SCR_RV_DUMP, ev->now);
}

void session_rv_finish(struct session *f, hg_time now, const char *why, struct actions *out)
{
	struct action *a;

	f->rv.done = now;
	session_relay(out, "gate", 0);
	a = session_emit(out, ACT_RV_DONE);
	if (a)
		snprintf(a->detail, sizeof a->detail, "%s", why);
	session_show(f, out, SCR_RV_DONE, now);
}

void session_scr_rv_dump(struct session *f, const struct config *cfg, const struct session_event *ev,
			struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "done") == 0)
		session_rv_finish(f, ev->now, "done", out);
}
