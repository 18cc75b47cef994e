/* station.c: the running station: it feeds events to the core and carries out
 * what the core asks, through the store and the drivers.
 *
 * The core (core/flow.c) decides; this file does.  For each event it fills in
 * what the core cannot know (the card lookup, a CSPRNG draw), runs flow_step()
 * and carries out the actions in order.  A commit answers the core with
 * EV_STORED, a failed relay or database write with EV_FAULT, whose actions
 * (every relay off, out of service) are carried out in turn.  Start reading at
 * station_feed(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "station.h"
#include "../core/text.h"
#include "../drivers/devlock.h"

#define PRINT_BUF 32768

struct station {
	const struct config *cfg;
	struct store *st;
	struct keypair kp;
	struct devlock *lock;	/* this process drives the devices */
	struct relay_dev *relays;
	const struct relay_ops *relay_ops;
	struct printer_dev *printer;
	const struct printer_ops *printer_ops;
	struct flow flow;
	station_watch_fn watch;
	void *watch_ctx;
	long long last_load;	/* last committed load, for a reprint */
	int in_fault;		/* handling a fault: failures now are not new faults */
	char print_buf[PRINT_BUF];
};

/* Who an event is attributed to. */
static void actor(const struct station *s, char *buf, size_t cap)
{
	const struct flow *f = &s->flow;

	if ((f->session == SESS_OPERATOR || f->op_for_sample) && f->op.card_id)
		snprintf(buf, cap, "operator:%lld", f->op.card_id);
	else if (f->session == SESS_HAULER)
		snprintf(buf, cap, "card:%s", f->card.uid);
	else if (f->session == SESS_RV)
		snprintf(buf, cap, "rv");
	else
		snprintf(buf, cap, "station");
}

static void notify(struct station *s, const struct action *a, int result)
{
	if (s->watch)
		s->watch(s->watch_ctx, a, result, &s->flow);
}

static int set_relay(struct station *s, const char *name, int on, hg_time now)
{
	char detail[96], who[64];
	int was = -1;
	int rc;

	if (s->relay_ops->get(s->relays, name, &was) != HG_OK)
		was = -1;
	rc = s->relay_ops->set(s->relays, name, on, now);
	if (rc != HG_OK)
		return rc;
	if (was == on)
		return HG_OK;
	actor(s, who, sizeof who);
	snprintf(detail, sizeof detail, "{\"relay\":\"%s\",\"state\":\"%s\"}", name,
		 relay_word(name, on));
	return store_event(s->st, now, "relay_changed", s->flow.load.load_no, who, detail);
}

/* Compose and print one slip.  A printer failure is told and logged; it never
 * stops the load (the record is in the database and can be reprinted). */
static int print_slip(struct station *s, const struct action *a, hg_time now)
{
	struct load_rec *ld = &s->flow.load;
	struct load_rec *copy = NULL;
	char qr[QR_MAX], name[48], detail[160], who[64];
	struct print_job job = {a->print, name, s->print_buf, NULL};
	int n, rc;

	if (a->copy) {
		if (!s->last_load)
			return HG_ENOTFOUND;
		copy = malloc(sizeof *copy);
		if (!copy)
			return HG_ENOMEM;
		rc = store_load_get(s->st, s->last_load, copy);
		if (rc != HG_OK) {
			free(copy);
			return rc;
		}
		ld = copy;
	}
	snprintf(name, sizeof name, "load-%06lld", ld->load_no);
	if (a->print == PRINT_RECEIPT) {
		rc = receipt_qr(&s->kp, s->cfg->verify_base, ld, qr);
		if (rc == HG_OK)
			/* the printer prints the QR itself (file: as its last line) */
			n = receipt_text(ld, NULL, ld->lang, a->copy, s->print_buf, sizeof s->print_buf);
		else
			n = rc;
		job.qr = qr;
	} else if (a->print == PRINT_REFUSAL) {
		n = receipt_refusal_text(ld, s->flow.lang, s->print_buf, sizeof s->print_buf);
	} else {
		n = receipt_label_text(ld, s->print_buf, sizeof s->print_buf);
	}
	rc = n < 0 ? n : s->printer_ops->print(s->printer, &job);
	snprintf(detail, sizeof detail, "{\"kind\":\"%s\",\"copy\":%s,\"ok\":%s}",
		 print_kind_code(a->print), a->copy ? "true" : "false", rc == HG_OK ? "true" : "false");
	actor(s, who, sizeof who);
	if (store_event(s->st, now, rc == HG_OK ? "printed" : "print_failed", ld->load_no, who,
			detail) != HG_OK && rc == HG_OK)
		rc = HG_EIO;
	free(copy);
	return rc;
}

/* Carry out one action.  Returns HG_OK, or the error; *reply is set to an
 * event kind the core must hear next (EV_STORED / EV_FAULT), or -1. */
static int carry_out(struct station *s, const struct action *a, hg_time now, int *reply,
		     enum reason *fault)
{
	struct flow *f = &s->flow;
	char who[64];
	int rc = HG_OK;

	*reply = -1;
	actor(s, who, sizeof who);
	switch (a->kind) {
	case ACT_SHOW:
	case ACT_MESSAGE:
		break;
	case ACT_RELAY:
		rc = set_relay(s, a->name, a->on, now);
		if (rc != HG_OK)
			*fault = R_FAULT_RELAY;
		break;
	case ACT_LOG:
		rc = store_event(s->st, now, a->event, a->id, who, a->detail);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	case ACT_PIN_STATE:
		rc = store_pin_state(s->st, (enum card_kind)a->card_kind, a->id, a->failures, a->until,
				     a->event, a->detail, now, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	case ACT_COMMIT_LOAD:
		rc = store_load_commit(s->st, &f->load, who);
		if (rc != HG_OK) {
			*fault = R_FAULT_DB;
			break;
		}
		s->last_load = f->load.load_no;
		*reply = EV_STORED;
		break;
	case ACT_SAMPLE:
		rc = store_load_sample(s->st, f->load.load_no, f->load.bottle, a->id, now, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	case ACT_DISCHARGE:
		if (a->on)
			rc = store_load_discharge_start(s->st, f->load.load_no, now, who);
		else
			rc = store_load_discharge_end(s->st, f->load.load_no, now,
						      f->load.gallons_measured, a->detail, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	case ACT_COMMIT_RV:
		rc = store_rv_commit(s->st, &f->rv, who);
		if (rc != HG_OK) {
			*fault = R_FAULT_DB;
			break;
		}
		*reply = EV_STORED;
		break;
	case ACT_PRINT:
		rc = print_slip(s, a, now);
		break;
	case ACT_RV_DONE:
		rc = store_rv_done(s->st, f->rv.id, now, a->detail, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	default:
		break;
	}
	if (*fault != R_NONE)
		*reply = EV_FAULT;
	return rc;
}

/* Every relay off, whatever else fails. */
static void all_off(struct station *s, hg_time now)
{
	for (int i = 0; i < s->cfg->n_relays; i++)
		s->relay_ops->set(s->relays, s->cfg->relays[i].name, 0, now);
}

/* Run one event through the core and carry out the consequences, including
 * the core's answers to commits and faults. */
static int run(struct station *s, struct flow_event *ev)
{
	struct actions out;
	int result = HG_OK;

	for (int round = 0; round < 8; round++) {
		int reply = -1, again = 0;
		enum reason fault = R_NONE;
		long long id = 0;

		flow_step(&s->flow, s->cfg, ev, &out);
		for (int i = 0; i < out.n; i++) {
			const struct action *a = &out.a[i];
			int rc = carry_out(s, a, ev->now, &reply, &fault);

			notify(s, a, rc);
			if (a->kind == ACT_MESSAGE || a->kind == ACT_SHOW)
				continue;
			if (a->kind == ACT_PRINT && rc != HG_OK) {
				struct action m = {.kind = ACT_MESSAGE, .reason = R_FAULT_PRINTER};
				s->flow.message = R_FAULT_PRINTER;
				notify(s, &m, HG_OK);
			}
			if (reply == EV_STORED)
				id = a->kind == ACT_COMMIT_LOAD ? s->flow.load.load_no : s->flow.rv.id;
			if (reply == EV_FAULT && s->in_fault) {
				/* already going out of service: a device that fails again
				 * changes nothing; carry out the rest (screen, message) */
				reply = -1;
				again = 1;
				continue;
			}
			if (reply >= 0)
				break;	/* the rest waits for the core's answer */
		}
		if (again) {
			all_off(s, ev->now);
			return HG_EIO;
		}
		if (reply < 0)
			return result;
		if (reply == EV_FAULT) {
			result = HG_EIO;
			s->in_fault = 1;
		}
		hg_time now = ev->now;
		memset(ev, 0, sizeof *ev);
		ev->kind = (enum ev_kind)reply;
		ev->now = now;
		ev->id = id;
		ev->fault = fault;
		ev->rnd = randombytes_random();
	}
	return result;
}

int station_feed(struct station *s, struct flow_event *ev)
{
	struct card_info *card = NULL;
	struct flow_event e = *ev;
	hg_time now = ev->now;
	int rc;

	s->in_fault = 0;
	e.rnd = randombytes_random();
	if (e.kind == EV_CARD) {
		char uid[LIM_UID + 1];

		if (!ev->text || text_uid_norm(ev->text, uid) != HG_OK)
			return HG_EINVAL;
		card = calloc(1, sizeof *card);
		if (!card)
			return HG_ENOMEM;
		rc = store_lookup_card(s->st, uid, now, card);
		if (rc != HG_OK) {
			free(card);
			e.kind = EV_FAULT;
			e.fault = R_FAULT_DB;
			e.now = now;
			run(s, &e);
			return rc;
		}
		memcpy(card->uid, uid, sizeof card->uid);
		e.card = card;
	}
	rc = run(s, &e);
	if (card) {
		sodium_memzero(card->pin_hash, sizeof card->pin_hash);
		free(card);
	}
	return rc;
}

int station_open(struct station **out, const struct config *cfg, struct store *st,
		 const struct keypair *kp, hg_time now, station_watch_fn watch, void *ctx,
		 char *err, size_t cap)
{
	struct station *s;
	const char *names[CFG_MAX_RELAYS], *args[CFG_MAX_RELAYS], *arg;
	struct flow_event e = {.kind = EV_TICK, .now = now};
	struct actions acts;
	int rc;

	*out = NULL;
	if (sodium_init() < 0) {
		snprintf(err, cap, "cannot initialise libsodium");
		return HG_EIO;
	}
	s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, cap, "out of memory");
		return HG_ENOMEM;
	}
	s->cfg = cfg;
	s->st = st;
	s->kp = *kp;
	s->watch = watch;
	s->watch_ctx = ctx;

	rc = devlock_take(cfg->db_path, NULL, &s->lock, err, cap);
	if (rc == HG_EBUSY) {
		char who[256];

		snprintf(who, sizeof who, "%s", err);
		snprintf(err, cap, "the station's devices are in use by %s", who);
	}
	if (rc != HG_OK)
		goto fail;
	s->relay_ops = relay_backend(cfg->relay, &arg);
	if (!s->relay_ops) {
		snprintf(err, cap, "relay backend '%s' is not known", cfg->relay);
		rc = HG_EINVAL;
		goto fail;
	}
	for (int i = 0; i < cfg->n_relays; i++) {
		names[i] = cfg->relays[i].name;
		args[i] = cfg->relays[i].arg;
	}
	rc = s->relay_ops->open(&s->relays, arg, names, args, cfg->n_relays, now);
	if (rc != HG_OK) {
		snprintf(err, cap, "cannot open the relays '%s'", cfg->relay);
		goto fail;
	}
	s->printer_ops = printer_backend(cfg->printer, &arg);
	if (!s->printer_ops) {
		snprintf(err, cap, "printer backend '%s' is not known", cfg->printer);
		rc = HG_EINVAL;
		goto fail;
	}
	rc = s->printer_ops->open(&s->printer, arg);
	if (rc != HG_OK) {
		snprintf(err, cap, "cannot open the printer '%s'", cfg->printer);
		goto fail;
	}
	/* the safe state first: the core asks for every relay off */
	flow_init(&s->flow, cfg, now, &acts);
	for (int i = 0; i < acts.n; i++) {
		int reply;
		enum reason fault = R_NONE;

		rc = carry_out(s, &acts.a[i], now, &reply, &fault);
		notify(s, &acts.a[i], rc);
		if (rc != HG_OK && acts.a[i].kind == ACT_RELAY) {
			snprintf(err, cap, "cannot put relay '%s' in its safe state", acts.a[i].name);
			goto fail;
		}
	}
	run(s, &e);
	*out = s;
	return HG_OK;
fail:
	station_close(s, now);
	return rc;
}

void station_close(struct station *s, hg_time now)
{
	if (!s)
		return;
	if (s->relays) {
		all_off(s, now);
		s->relay_ops->close(s->relays, now);
	}
	if (s->printer)
		s->printer_ops->close(s->printer);
	devlock_release(s->lock);	/* last: the devices are closed */
	sodium_memzero(&s->kp, sizeof s->kp);
	free(s);
}

const struct flow *station_flow(const struct station *s)
{
	return &s->flow;
}

struct relay_dev *station_relays(struct station *s)
{
	return s->relays;
}

struct printer_dev *station_printer(struct station *s)
{
	return s->printer;
}

const struct relay_ops *station_relay_ops(const struct station *s)
{
	return s->relay_ops;
}

const struct printer_ops *station_printer_ops(const struct station *s)
{
	return s->printer_ops;
}

int station_relay_get(struct station *s, const char *name, int *on)
{
	return s->relay_ops->get(s->relays, name, on);
}
