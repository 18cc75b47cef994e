/* flow_staff.c: the screens of the people who are not haulers: plant
 * operators (PIN, menu, sample bottle, gate by hand) and RV visitors (sign-in,
 * rules, declaration, dump).  Part of the state machine of core/flow.c, split
 * off to keep each file readable; the shared helpers are in core/flow_int.h. */
#include <stdio.h>
#include <string.h>
#include "flow_int.h"
#include "text.h"

/* ---- operators ---- */

void flow_scr_operator_pin(struct flow *f, const struct config *cfg,
			     const struct flow_event *ev, struct actions *out)
{
	int locked;

	if (!flow_pin_keypad(f, cfg, ev, &f->op, out, &locked)) {
		if (locked)
			flow_show(f, out, f->op_for_sample ? SCR_SAMPLE_HOLD : SCR_START, ev->now);
		if (locked && !f->op_for_sample)
			flow_end_session(f, cfg, ev->now, out);
		return;
	}
	{
		struct action *a = flow_logev(out, "operator_in", f->load.load_no);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld,\"uid\":\"%s\"}",
				 f->op.card_id, f->op.uid);
	}
	f->input[0] = '\0';
	if (f->op_for_sample) {
		snprintf(f->focus, sizeof f->focus, "bottle");
		flow_show(f, out, SCR_SAMPLE, ev->now);
	} else {
		flow_show(f, out, SCR_OPERATOR, ev->now);
	}
}

void flow_scr_sample(struct flow *f, const struct config *cfg, const struct flow_event *ev,
		       struct actions *out)
{
	struct action *a;

	(void)cfg;
	if (ev->kind == EV_TYPE || (ev->kind == EV_FIELD && strcmp(ev->field, "bottle") == 0)) {
		if (ev->kind == EV_FIELD)
			f->input[0] = '\0';
		flow_type_input(f, out, ev->text, 0, LIM_BOTTLE);
		return;
	}
	if (ev->kind != EV_PRESS || flow_edit_key(f, ev->button) || strcmp(ev->button, "ok") != 0)
		return;
	text_trim(f->input);
	if (!f->input[0]) {
		flow_message(f, out, R_INPUT_EMPTY);
		return;
	}
	memcpy(f->load.bottle, f->input, strlen(f->input) + 1);
	memcpy(f->load.sampler, f->op.holder, sizeof f->load.sampler);
	f->load.sampled_by = f->op.card_id;
	f->load.t.sampled = ev->now;
	f->input[0] = '\0';
	f->focus[0] = '\0';
	a = flow_emit(out, ACT_SAMPLE);
	if (a)
		a->id = f->op.card_id;
	a = flow_emit(out, ACT_PRINT);
	if (a)
		a->print = PRINT_LABEL;
	flow_relay(out, "gate", 1);
	flow_show(f, out, SCR_DISCHARGE_READY, ev->now);
}

void flow_hold_abandon(struct flow *f, const char *why, struct actions *out)
{
	struct action *a;

	if (f->session != SESS_HAULER || !f->committed || !f->load.load_no ||
	    f->load.d.verdict != VERDICT_SAMPLE_HOLD || f->load.bottle[0])
		return;
	a = flow_emit(out, ACT_SAMPLE_ABANDONED);
	if (!a)
		return;
	a->id = f->load.load_no;
	snprintf(a->detail, sizeof a->detail, "%s", why);
}

/* The operator takes the sample of a load left at its hold when the station
 * stopped (the caller read it back into ev->load): the truck still at the
 * gate is sampled without a new form, and goes on to its discharge as if
 * the operator had come to the hold. */
static void take_waiting(struct flow *f, const struct flow_event *ev, struct actions *out)
{
	const struct load_rec *ld = ev->load;
	struct action *a;

	if (f->fault != R_NONE) {	/* out of service: the fault is cleared first */
		flow_message(f, out, f->fault);
		return;
	}
	if (!ld || ld->d.verdict != VERDICT_SAMPLE_HOLD || ld->bottle[0] || !ld->load_no ||
	    ld->t.discharge_start) {
		flow_message(f, out, R_INPUT_CHOICE);
		return;
	}
	a = flow_logev(out, "sample_resumed", ld->load_no);
	if (a)
		snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
	f->load = *ld;
	memset(&f->card, 0, sizeof f->card);
	f->session = SESS_HAULER;
	f->committed = 1;
	f->op_for_sample = 1;
	f->lang = ld->lang;
	f->input[0] = '\0';
	flow_show(f, out, SCR_SAMPLE, ev->now);
}

void flow_scr_operator(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			 struct actions *out)
{
	struct action *a;
	int on;

	if (ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "flag_next") == 0) {
		f->flag_next = !f->flag_next;
		a = flow_logev(out, f->flag_next ? "sample_flag_set" : "sample_flag_cleared", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
		flow_show(f, out, SCR_OPERATOR, ev->now);
	} else if (strcmp(ev->button, "open_gate") == 0) {
		f->input[0] = '\0';
		snprintf(f->focus, sizeof f->focus, "reason");
		flow_show(f, out, SCR_OVERRIDE, ev->now);
	} else if (strcmp(ev->button, "reprint") == 0) {
		a = flow_emit(out, ACT_PRINT);
		if (a) {
			a->print = PRINT_RECEIPT;
			a->copy = 1;
		}
	} else if (strcmp(ev->button, "reprint_kept") == 0) {
		/* the slips the printer could not print: which they are is in the
		 * store's log, so the caller finds them and prints them in order */
		a = flow_emit(out, ACT_PRINT);
		if (a) {
			a->print = PRINT_RECEIPT;
			a->copy = 1;
			a->kept = 1;
		}
	} else if (strcmp(ev->button, "sample_waiting") == 0) {
		take_waiting(f, ev, out);
	} else if (strcmp(ev->button, "day_summary") == 0) {
		/* today's summary: the station reads the day of ev->now from the store */
		a = flow_emit(out, ACT_PRINT);
		if (a)
			a->print = PRINT_SUMMARY;
	} else if (strcmp(ev->button, "exit") == 0 || strcmp(ev->button, "clear_fault") == 0) {
		on = f->fault != R_NONE;
		if (on) {
			a = flow_logev(out, "fault_cleared", 0);
			if (a)
				snprintf(a->detail, sizeof a->detail,
					 "{\"operator\":%lld,\"fault\":\"%s\"}", f->op.card_id,
					 reason_code(f->fault));
			f->fault = R_NONE;
		}
		a = flow_logev(out, "operator_out", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail, "{\"operator\":%lld}", f->op.card_id);
		flow_end_session(f, cfg, ev->now, out);
	}
}

void flow_scr_override(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			 struct actions *out)
{
	struct action *a;
	char esc[HG_BUF(LIM_REASON) * 2];

	(void)cfg;
	if (ev->kind == EV_TYPE || (ev->kind == EV_FIELD && strcmp(ev->field, "reason") == 0)) {
		if (ev->kind == EV_FIELD)
			f->input[0] = '\0';
		flow_type_input(f, out, ev->text, 0, LIM_REASON);
		return;
	}
	if (ev->kind != EV_PRESS || flow_edit_key(f, ev->button))
		return;
	if (strcmp(ev->button, "ok") == 0) {
		text_trim(f->input);
		if (!f->input[0]) {
			flow_message(f, out, R_INPUT_EMPTY);
			return;
		}
		flow_jesc(esc, sizeof esc, f->input);
		a = flow_logev(out, "manual_override", 0);
		if (a)
			snprintf(a->detail, sizeof a->detail,
				 "{\"operator\":%lld,\"action\":\"gate_open\",\"reason\":\"%.400s\"}",
				 f->op.card_id, esc);
		flow_relay(out, "gate", 1);
		f->input[0] = '\0';
	} else if (strcmp(ev->button, "close_gate") == 0 || strcmp(ev->button, "back") == 0) {
		flow_relay(out, "gate", 0);
		f->focus[0] = '\0';
		flow_show(f, out, SCR_OPERATOR, ev->now);
	}
}

/* ---- RV visitors ---- */

void flow_scr_rv_signin(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			  struct actions *out)
{
	static const char *const fields[] = {"rv_name", "rv_plate", "rv_state"};

	(void)cfg;
	if (flow_fields_event(f, ev, fields, 3, out) || ev->kind != EV_PRESS)
		return;
	if (strcmp(ev->button, "next") != 0)
		return;
	text_trim(f->rv.name);
	text_trim(f->rv.plate);
	text_trim(f->rv.plate_state);
	if (!f->rv.name[0] || !f->rv.plate[0] || !f->rv.plate_state[0]) {
		snprintf(f->focus, sizeof f->focus, "%s",
			 !f->rv.name[0] ? "rv_name" : !f->rv.plate[0] ? "rv_plate" : "rv_state");
		flow_message(f, out, R_INPUT_EMPTY);
		return;
	}
	f->rv.signed_in = ev->now;
	f->focus[0] = '\0';
	flow_show(f, out, SCR_RV_RULES, ev->now);
}

void flow_scr_rv_rules(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			 struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "accept") == 0) {
		f->rv.rules_accepted = ev->now;
		flow_show(f, out, SCR_RV_DECLARE, ev->now);
	}
}

void flow_scr_rv_declare(struct flow *f, const struct config *cfg,
			   const struct flow_event *ev, struct actions *out)
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
	flow_emit(out, ACT_COMMIT_RV);
}

void flow_rv_stored(struct flow *f, const struct flow_event *ev, struct actions *out)
{
	f->rv.id = ev->id;
	f->committed = 1;
	if (!f->rv.declared) {
		f->load.d.verdict = VERDICT_REFUSED;
		f->load.d.n_refuse = 1;
		f->load.d.refuse[0] = R_RV_DECLARATION;
		flow_show(f, out, SCR_REFUSED, ev->now);
		flow_message(f, out, R_RV_DECLARATION);
		return;
	}
	f->open_since = f->mono;	/* rv_max_dump counts from here, on the monotonic clock */
	flow_relay(out, "gate", 1);
	flow_show(f, out, SCR_RV_DUMP, ev->now);
}

void flow_rv_finish(struct flow *f, hg_time now, const char *why, struct actions *out)
{
	struct action *a;

	f->rv.done = now;
	flow_relay(out, "gate", 0);
	a = flow_emit(out, ACT_RV_DONE);
	if (a)
		snprintf(a->detail, sizeof a->detail, "%s", why);
	flow_show(f, out, SCR_RV_DONE, now);
}

void flow_scr_rv_dump(struct flow *f, const struct config *cfg, const struct flow_event *ev,
			struct actions *out)
{
	(void)cfg;
	if (ev->kind == EV_PRESS && strcmp(ev->button, "done") == 0)
		flow_rv_finish(f, ev->now, "done", out);
}
