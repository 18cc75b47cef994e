/* station.c: the running station: it feeds events to the core and carries out
 * what the core asks, through the store and the drivers.
 *
 * The core (core/session.c) decides; this file does.  For each event it fills in
 * what the core cannot know (the card lookup, a CSPRNG draw), runs session_step()
 * and carries out the actions in order.  A commit answers the core with
 * EV_STORED, a failed relay with EV_FAULT R_FAULT_RELAY and a failed database
 * write (any of them: a record, an event, the log of a relay change or of a
 * slip) with EV_FAULT R_FAULT_DB, whose actions (every relay off, out of
 * service) are carried out in turn.  Each event comes with the wall clock
 * (stamps) and the monotonic clock (durations); a step of the wall clock
 * against the monotonic one is logged here (clock_stepped, watch_clock()).
 * Start reading at station_feed(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include "station.h"
#include "sync.h"
#include "print.h"
#include "recover.h"
#include "../core/text.h"
#include "devices.h"
#include "plant_policy.h"
#include "../core/report.h"
#include "../drivers/meter.h"
#include "../drivers/hwerr.h"

#define METER_WAIT_MIN 2	/* s: a meter that failed is read again after this, */
#define METER_WAIT_MAX 30	/* doubling up to this (a dead Modbus meter costs a timeout) */

struct station {
	const struct config *cfg;	/* &eff: what every step runs on */
	const struct config *base;	/* the caller's: station.ini as read */
	struct config eff;		/* base with the plant's policy over it */
	struct store *st;
	struct keypair kp;
	struct devices *dev;	/* the lock, the devices and the fail-safe hook */
	struct relay_dev *relays;	/* the devices' own, kept at hand */
	const struct relay_ops *relay_ops;
	struct printer_dev *printer;
	const struct printer_ops *printer_ops;
	struct session session;
	station_watch_fn watch;
	void *watch_ctx;
	long long last_load;	/* last committed load, for a reprint */
	long long discharging;	/* load whose discharge start is recorded, until its end */
	const struct meter_ops *meter_ops;	/* NULL: no meter configured */
	struct meter_dev *meter;	/* NULL while it cannot be opened */
	long meter_wait;	/* s between tries of a failing meter; 0 = it answers */
	hg_time meter_retry;	/* monotonic: no read before this, unless forced */
	int in_fault;		/* handling a fault: failures now are not new faults */
	hg_time probe_at;	/* monotonic: last idle read-back of the relays */
	int probed;		/* probe_at is set */
	hg_time skew;		/* wall minus monotonic clock at the last event */
	int probe_strikes;	/* idle read-backs failed in a row */
	struct slip slip;	/* the slip being printed */
	int n_notices;		/* what the start found left open (recover.c) */
	struct station_notice notices[STATION_NOTICE_MAX];
};

/* Who an event is attributed to. */
static void actor(const struct station *s, char *buf, size_t cap)
{
	const struct session *f = &s->session;

	if ((f->kind == SESS_OPERATOR || f->op_for_sample) && f->op.card_id)
		snprintf(buf, cap, "operator:%lld", f->op.card_id);
	else if (f->kind == SESS_HAULER)
		snprintf(buf, cap, "card:%s", f->card.uid);
	else if (f->kind == SESS_RV)
		snprintf(buf, cap, "rv");
	else
		snprintf(buf, cap, "station");
}

static void notify(struct station *s, const struct action *a, int result)
{
	if (s->watch)
		s->watch(s->watch_ctx, a, result, &s->session);
}

/* Set relay name and log the change.  *fault says what failed: the relay
 * (R_FAULT_RELAY) or, the relay having obeyed, the log of it (R_FAULT_DB). */
static int set_relay(struct station *s, const char *name, int on, hg_time now,
		     enum reason *fault)
{
	char detail[96], who[64];
	int was = -1;
	int rc;

	if (s->relay_ops->get(s->relays, name, &was) != HG_OK)
		was = -1;
	rc = s->relay_ops->set(s->relays, name, on, now);
	if (rc != HG_OK) {
		*fault = R_FAULT_RELAY;
		return rc;
	}
	if (was == on)
		return HG_OK;
	actor(s, who, sizeof who);
	snprintf(detail, sizeof detail, "{\"relay\":\"%s\",\"state\":\"%s\"}", name,
		 relay_word(name, on));
	rc = store_event(s->st, now, "relay_changed", s->session.load.load_no, who, detail);
	if (rc != HG_OK)
		*fault = R_FAULT_DB;
	return rc;
}

/* Compose slip kind of load ld, print it and log it (print.c: the one
 * printing path, `hw reprint`'s too).  "printed" means the printer took the
 * job: the file printer has written it, the CUPS printer has handed it to
 * cupsd, which may still give it up; that comes later through drain_prints()
 * as a second event, print_failed.  A log that cannot be written is a
 * database fault (*fault R_FAULT_DB), whether the slip printed or not; a
 * slip that did not print is only an error returned. */
static int station_print(struct station *s, enum print_kind kind, const struct load_rec *ld,
			 int copy, enum lang lang, hg_time now, enum reason *fault)
{
	char who[64];
	struct print_to p = {s->cfg, &s->kp, s->st, s->printer_ops, s->printer, &s->slip, who};
	int rc, log_failed;

	actor(s, who, sizeof who);
	rc = print_load(&p, kind, ld, copy, lang, now, &log_failed);
	if (log_failed)
		*fault = R_FAULT_DB;
	return rc;
}

/* Reprint every kept slip, oldest first, at most STATION_KEPT_MAX a press,
 * each marked COPY: the receipt, or the refusal slip of a refused load, in
 * the hauler's language.  Each slip is told to the watch as an ACT_PRINT of
 * its own (id: the load), so the kiosk and a scenario see every one; the
 * request itself is not told (run()).  The first failure stops it (the
 * caller says so); that slip and the rest stay kept for the next try. */
static int print_kept(struct station *s, hg_time now, enum reason *fault)
{
	long long kept[STATION_KEPT_MAX];
	struct load_rec *ld;
	int n, rc;

	rc = store_kept_slips(s->st, kept, STATION_KEPT_MAX, &n, NULL);
	if (rc != HG_OK)
		return rc;	/* a read: the slips stay kept, the station goes on */
	ld = malloc(sizeof *ld);
	if (!ld)
		return HG_ENOMEM;
	for (int i = 0; i < n && rc == HG_OK; i++) {
		struct action one = {.kind = ACT_PRINT, .print = PRINT_RECEIPT, .copy = 1,
				     .kept = 1, .id = kept[i]};

		rc = store_load_get(s->st, kept[i], ld);
		if (rc == HG_OK) {
			if (ld->d.verdict == VERDICT_REFUSED)
				one.print = PRINT_REFUSAL;
			rc = station_print(s, one.print, ld, 1, ld->lang, now, fault);
		}
		notify(s, &one, rc);
	}
	free(ld);
	return rc;
}

/* Print the slip the core asked for: of the load in the session, a copy of the
 * last load's receipt, or every kept slip.  A printer failure is told and
 * logged; it never stops the load (the record is in the database and can be
 * reprinted). */
static int print_slip(struct station *s, const struct action *a, hg_time now,
		      enum reason *fault)
{
	struct load_rec *copy;
	int rc;

	if (a->kept)
		return print_kept(s, now, fault);
	if (!a->copy)
		return station_print(s, a->print, &s->session.load, 0, s->session.lang, now, fault);
	if (!s->last_load)
		return HG_ENOTFOUND;
	copy = malloc(sizeof *copy);
	if (!copy)
		return HG_ENOMEM;
	rc = store_load_get(s->st, s->last_load, copy);
	if (rc == HG_OK)
		rc = station_print(s, a->print, copy, 1, s->session.lang, now, fault);
	free(copy);
	return rc;
}

/* Jobs the printer ended after print() took them (printers that follow their
 * jobs: cups).  A job given up (queue stopped, out of paper, printer or cupsd
 * gone, too slow) was cancelled by the backend: it is logged as print_failed
 * with "later":true and the printer message is shown, as for a print that
 * failed at once; the load goes on and the operator reprints.  A job printed
 * adds nothing: "printed" was logged when the printer took it.  Returns
 * HG_OK, or HG_EIO when print_failed could not be logged (a database fault,
 * for the caller to carry out). */
static int drain_prints(struct station *s, hg_time now)
{
	struct print_done done[8];
	int n, rc = HG_OK;

	if (!s->printer_ops->poll)
		return HG_OK;
	while ((n = s->printer_ops->poll(s->printer, done, (int)HG_ARRAY_LEN(done))) > 0) {
		for (int i = 0; i < n; i++) {
			struct action m = {.kind = ACT_MESSAGE, .reason = R_FAULT_PRINTER};

			if (done[i].ok)
				continue;
			if (print_log_given_up(s->st, now, &done[i]) != HG_OK)
				rc = HG_EIO;
			s->session.message = R_FAULT_PRINTER;
			notify(s, &m, HG_OK);
		}
		if (n < (int)HG_ARRAY_LEN(done))
			break;
	}
	return rc;
}

/* The notice of kind for load_no is done with (its sample was taken). */
static void notice_drop(struct station *s, enum notice_kind kind, long long load_no)
{
	for (int i = 0; i < s->n_notices; i++)
		if (s->notices[i].kind == kind && s->notices[i].load_no == load_no) {
			memmove(&s->notices[i], &s->notices[i + 1],
				(size_t)(s->n_notices - i - 1) * sizeof s->notices[0]);
			s->n_notices--;
			return;
		}
}

/* The operator asks for the load left waiting at its sample hold: read it
 * back for the core (EV_PRESS "sample_waiting" carries it).  NULL when none
 * waits or it cannot be read (the core says "choose again"). */
static struct load_rec *waiting_load(struct station *s)
{
	struct load_rec *ld;

	for (int i = 0; i < s->n_notices; i++) {
		if (s->notices[i].kind != NOTICE_SAMPLE_WAITING)
			continue;
		ld = malloc(sizeof *ld);
		if (ld && store_load_get(s->st, s->notices[i].load_no, ld) == HG_OK)
			return ld;
		free(ld);
		return NULL;
	}
	return NULL;
}

/* Carry out one action.  Returns HG_OK, or the error; *reply is set to an
 * event kind the core must hear next (EV_STORED / EV_FAULT), or -1. */
static int carry_out(struct station *s, const struct action *a, hg_time now, int *reply,
		     enum reason *fault)
{
	struct session *f = &s->session;
	char who[64];
	int rc = HG_OK;

	*reply = -1;
	actor(s, who, sizeof who);
	switch (a->kind) {
	case ACT_SHOW:
	case ACT_MESSAGE:
		break;
	case ACT_RELAY:
		rc = set_relay(s, a->name, a->on, now, fault);
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
		/* the hauler came back with a new form: that load owes the sample now */
		for (int i = s->n_notices - 1; i >= 0; i--)
			if (s->notices[i].kind == NOTICE_SAMPLE_WAITING &&
			    s->notices[i].hauler_id == f->load.m.hauler_id)
				notice_drop(s, NOTICE_SAMPLE_WAITING, s->notices[i].load_no);
		break;
	case ACT_SAMPLE:
		rc = store_load_sample(s->st, f->load.load_no, f->load.bottle, a->id, now, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		else
			notice_drop(s, NOTICE_SAMPLE_WAITING, f->load.load_no);
		break;
	case ACT_SAMPLE_ABANDONED:
		rc = store_sample_abandon(s->st, a->id, a->detail, now, who);
		if (rc != HG_OK)
			*fault = R_FAULT_DB;
		break;
	case ACT_DISCHARGE:
		if (a->on) {
			rc = store_load_discharge_start(s->st, f->load.load_no, now, who);
			if (rc == HG_OK)
				s->discharging = f->load.load_no;
		} else if (a->id && a->id == s->discharging) {
			/* from the action: after a fault the session has already let the load go */
			rc = store_load_discharge_end(s->st, a->id, now, a->gallons, a->reason,
						      a->detail, who);
			s->discharging = 0;
		}	/* else the start was never recorded (its relay or write failed) */
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
		rc = print_slip(s, a, now, fault);
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

/* Run one event through the core and carry out the consequences, including
 * the core's answers to commits and faults. */
static int run(struct station *s, struct session_event *ev)
{
	struct actions out;
	int result = HG_OK;

	for (int round = 0; round < 8; round++) {
		int reply = -1, again = 0;
		enum reason fault = R_NONE;
		long long id = 0;

		session_step(&s->session, s->cfg, ev, &out);
		for (int i = 0; i < out.n; i++) {
			const struct action *a = &out.a[i];
			int rc = carry_out(s, a, ev->now, &reply, &fault);

			if (!(a->kind == ACT_PRINT && a->kept))
				notify(s, a, rc);	/* kept slips: each was told (print_kept) */
			if (a->kind == ACT_MESSAGE || a->kind == ACT_SHOW)
				continue;
			if (a->kind == ACT_PRINT && rc != HG_OK && fault == R_NONE) {
				struct action m = {.kind = ACT_MESSAGE, .reason = R_FAULT_PRINTER};
				s->session.message = R_FAULT_PRINTER;
				notify(s, &m, HG_OK);
			}
			if (reply == EV_STORED)
				id = a->kind == ACT_COMMIT_LOAD ? s->session.load.load_no : s->session.rv.id;
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
			devices_all_off(s->dev, ev->now);	/* whatever else fails */
			return HG_EIO;
		}
		if (reply < 0)
			return result;
		if (reply == EV_FAULT) {
			result = HG_EIO;
			s->in_fault = 1;
		}
		hg_time now = ev->now, mono = ev->mono;
		memset(ev, 0, sizeof *ev);
		ev->kind = (enum ev_kind)reply;
		ev->now = now;
		ev->mono = mono;
		ev->id = id;
		ev->fault = fault;
		ev->rnd = randombytes_random();
	}
	return result;
}

/* While the valve is open, give the core the meter's totaliser (or its
 * failure) before the next event, so whatever ends the discharge sees the
 * latest count.  A failing meter is read again only after a backoff, unless
 * forced: at the valve opening (the baseline) and for a person's press (the
 * STOP).  A meter that could not be opened is opened again here. */
static void meter_feed(struct station *s, hg_time now, hg_time mono, int force)
{
	struct session_event e = {.kind = EV_METER, .now = now, .mono = mono};
	int rc = HG_OK;

	if (!s->meter_ops || s->session.screen != SCR_DISCHARGING)
		return;
	if (!force && mono < s->meter_retry)
		return;
	if (!s->meter) {
		rc = devices_meter_retry(s->dev);
		devices_meter(s->dev, &s->meter);
	}
	if (rc == HG_OK)
		rc = s->meter_ops->read(s->meter, &e.gallons);
	if (rc != HG_OK) {
		e.fault = R_METER_FAILED;
		s->meter_wait = s->meter_wait ? s->meter_wait * 2 : METER_WAIT_MIN;
		if (s->meter_wait > METER_WAIT_MAX)
			s->meter_wait = METER_WAIT_MAX;
		s->meter_retry = mono + s->meter_wait;
	} else {
		s->meter_wait = 0;
		s->meter_retry = 0;
	}
	run(s, &e);
}

/* While nobody is at the station, read every relay back now and then, so
 * that a relay module that died in the night puts the station out of service
 * before a hauler fills in a form the gate could not open for.  A relay that
 * does not answer, or reads energised while idle, is a strike; two in a row
 * (one lost packet is not a dead module) are a relay fault, as a failed write
 * is: every relay off, out of service until an operator clears it. */
static int probe_relays(struct station *s, hg_time now, hg_time mono)
{
	const struct session *f = &s->session;
	struct session_event fe;
	int bad = 0;

	if (f->kind != SESS_NONE || f->fault != R_NONE ||
	    (f->screen != SCR_START && f->screen != SCR_CLOSED)) {
		s->probe_strikes = 0;
		return HG_OK;
	}
	if (s->probed && mono - s->probe_at < STATION_PROBE_S)
		return HG_OK;
	s->probe_at = mono;
	s->probed = 1;
	for (int i = 0; i < s->cfg->n_relays && !bad; i++) {
		int on = 0;

		bad = s->relay_ops->get(s->relays, s->cfg->relays[i].name, &on) != HG_OK || on;
	}
	if (!bad) {
		s->probe_strikes = 0;
		return HG_OK;
	}
	if (++s->probe_strikes < STATION_PROBE_STRIKES)
		return HG_OK;
	s->probe_strikes = 0;
	memset(&fe, 0, sizeof fe);
	fe.kind = EV_FAULT;
	fe.now = now;
	fe.mono = mono;
	fe.fault = R_FAULT_RELAY;
	fe.rnd = randombytes_random();
	s->in_fault = 0;
	return run(s, &fe);
}

/* A database write outside any action failed: the same fault as one inside
 * (every relay off, out of service, fault_db).  Returns HG_EIO. */
static int db_fault(struct station *s, hg_time now, hg_time mono)
{
	struct session_event fe = {.kind = EV_FAULT, .now = now, .mono = mono, .fault = R_FAULT_DB};

	fe.rnd = randombytes_random();
	s->in_fault = 0;
	run(s, &fe);
	return HG_EIO;
}

/* Compare the wall clock with the monotonic one: when wall minus monotonic
 * moved by more than STATION_STEP_S since the last event, the wall clock was
 * stepped (NTP, an operator, a dead RTC battery found out): log clock_stepped
 * with the wall time it would have been ("from"), the one it is ("to") and
 * the step in seconds.  Durations never see it (they run on the monotonic
 * clock); records are stamped with the new time from here on.  Told to the
 * watch as an ACT_LOG.  A log that cannot be written is a database fault. */
static int watch_clock(struct station *s, hg_time now, hg_time mono)
{
	struct action a = {.kind = ACT_LOG};
	hg_time skew = now - mono, step = skew - s->skew;
	char from[21], to[21];
	int rc;

	if (step <= STATION_STEP_S && step >= -STATION_STEP_S) {
		s->skew = skew;	/* a slewing clock drifts slowly: follow it */
		return HG_OK;
	}
	text_time_iso(mono + s->skew, from);
	text_time_iso(now, to);
	s->skew = skew;
	snprintf(a.event, sizeof a.event, "clock_stepped");
	snprintf(a.detail, sizeof a.detail, "{\"from\":\"%s\",\"to\":\"%s\",\"step\":%lld}", from,
		 to, (long long)step);
	a.id = s->session.load.load_no;
	rc = store_event(s->st, now, a.event, a.id, "station", a.detail);
	notify(s, &a, rc);
	if (rc != HG_OK)
		return db_fault(s, now, mono);
	return HG_OK;
}

/* The plant's policy as last applied, laid over station.ini
 * (station/plant_policy.c): read at a card and at the start, so a session
 * runs on one set of values from its card to its end.  A store that cannot
 * be read keeps the values in force. */
static void refresh_policy(struct station *s)
{
	plant_policy_apply(s->st, s->base, &s->eff, NULL);
}

/* Tell the session what the station takes now as it stands with the plant
 * (policy_offline_waste(): past [sync] offline_after only offline_waste_types).
 * Read at a card (the only way a load starts) and at the start, not every
 * frame.  A store that cannot be read leaves what the session had: the card
 * lookup that follows reads the same store, and its failure is the fault. */
static void tell_waste_now(struct station *s, hg_time now)
{
	struct station_sync v;

	if (station_sync_view(s, now, &v) != HG_OK)
		return;
	session_set_waste_now(&s->session, policy_offline_waste(s->cfg, (enum sync_health)v.health));
}

int station_feed(struct station *s, struct session_event *ev)
{
	struct card_info *card = NULL;
	struct load_rec *waiting = NULL;
	struct session_event e = *ev;
	hg_time now = ev->now, mono = ev->mono;
	int rc;

	rc = watch_clock(s, now, mono);
	if (rc != HG_OK)
		return rc;
	s->in_fault = 0;
	e.rnd = randombytes_random();
	e.pin_key = s->kp.pin;	/* station_open made sure it was read */
	if (e.kind == EV_CARD) {
		char uid[LIM_UID + 1];

		if (!ev->text || text_uid_norm(ev->text, uid) != HG_OK)
			return HG_EINVAL;
		refresh_policy(s);
		tell_waste_now(s, now);
		card = calloc(1, sizeof *card);
		if (!card)
			return HG_ENOMEM;
		rc = store_lookup_card(s->st, uid, now, card);
		if (rc != HG_OK) {
			free(card);
			e.kind = EV_FAULT;
			e.fault = R_FAULT_DB;
			e.now = now;
			e.mono = mono;
			run(s, &e);
			return rc;
		}
		memcpy(card->uid, uid, sizeof card->uid);
		e.card = card;
	}
	e.load = NULL;
	if (e.kind == EV_PRESS && e.button && strcmp(e.button, "sample_waiting") == 0 &&
	    s->session.screen == SCR_OPERATOR)
		e.load = waiting = waiting_load(s);
	meter_feed(s, now, mono, e.kind == EV_PRESS);
	{
		long long was = s->discharging;

		rc = run(s, &e);
		if (s->discharging && s->discharging != was)
			meter_feed(s, now, mono, 1);	/* the valve just opened: the baseline */
	}
	if (card) {
		sodium_memzero(card->pin_hash, sizeof card->pin_hash);
		free(card);
	}
	free(waiting);
	/* after run(): the message is not cleared by this event */
	if (drain_prints(s, now) != HG_OK)
		return db_fault(s, now, mono);
	if (rc == HG_OK && e.kind == EV_TICK)
		rc = probe_relays(s, now, mono);
	return rc;
}

int station_open(struct station **out, const struct config *cfg, struct store *st,
		 const struct keypair *kp, hg_time now, hg_time mono, station_watch_fn watch,
		 void *ctx)
{
	struct station *s;
	char id[64], why[160], words[512];
	struct session_event e = {.kind = EV_TICK, .now = now, .mono = mono};
	struct actions acts;
	hg_time alive = 0;
	int rc, db_failed = 0;

	*out = NULL;
	if (sodium_init() < 0)
		return hg_fail(HG_EIO, "cannot initialise libsodium");
	/* without the PIN key no PIN could ever be checked: refuse, never guess */
	if (!kp->has_pin)
		return hg_fail(HG_EINVAL, "the PIN key was not read: no PIN can be checked "
			       "without it");
	/* the station runs only as its database's station: config_station_id()
	 * settles cfg->station_id before, in every program that opens one */
	rc = store_meta_get(st, "station_id", id, sizeof id);
	if (rc != HG_OK || strcmp(id, cfg->station_id) != 0)
		return hg_fail(HG_EINVAL, "the station id '%s' is not the database's ('%s'): it "
			       "was not settled by config_station_id()", cfg->station_id,
			       rc == HG_OK ? id : "none");
	s = calloc(1, sizeof *s);
	if (!s)
		return hg_fail(HG_ENOMEM, "out of memory");
	s->base = cfg;
	s->eff = *cfg;
	s->cfg = &s->eff;
	s->st = st;
	s->kp = *kp;
	s->watch = watch;
	s->watch_ctx = ctx;
	s->skew = now - mono;

	/* before this start writes anything: when the last run was last alive */
	if (store_last_alive(st, &alive) != HG_OK)
		alive = 0;
	/* a meter keeps a record, it guards nothing: a meter that does not
	 * answer is logged and tried again at each discharge; a wrong setting
	 * stops the start like any other device's */
	hg_error_clear();
	rc = devices_open(&s->dev, cfg, NULL, DEV_RELAYS | DEV_PRINTER | DEV_METER, DEV_METER,
			  now);
	if (rc != HG_OK)
		goto fail;	/* devices_open() said why */
	s->relay_ops = devices_relays(s->dev, &s->relays);
	s->printer_ops = devices_printer(s->dev, &s->printer);
	s->meter_ops = devices_meter(s->dev, &s->meter);
	rc = devices_why(s->dev, DEV_METER, why, sizeof why);
	if (rc == HG_EINVAL || rc == HG_ENOMEM) {
		hg_fail(rc, "cannot use the meter '%s': %s", cfg->meter, why);
		goto fail;
	}
	if (rc != HG_OK) {
		char detail[64];

		snprintf(detail, sizeof detail, "{\"when\":\"open\",\"error\":%d}", rc);
		db_failed = store_event(st, now, "meter_failed", 0, "station", detail) != HG_OK;
	}
	/* the safe state first: the core asks for every relay off; the
	 * plant's policy read before, so the first screen is right */
	refresh_policy(s);
	session_init(&s->session, s->cfg, now, &acts);
	tell_waste_now(s, now);
	for (int i = 0; i < acts.n; i++) {
		int reply;
		enum reason fault = R_NONE;

		rc = carry_out(s, &acts.a[i], now, &reply, &fault);
		notify(s, &acts.a[i], rc);
		if (rc != HG_OK && acts.a[i].kind == ACT_RELAY) {
			hg_fail(rc, "cannot put relay '%s' in its safe state", acts.a[i].name);
			goto fail;
		}
	}
	/* the relays are safe: close what the last run left open */
	if (recover_open_loads(st, s->meter_ops, s->meter, alive, now, s->notices,
			       STATION_NOTICE_MAX, &s->n_notices) != HG_OK)
		db_failed = 1;
	run(s, &e);
	if (db_failed)
		db_fault(s, now, mono);	/* open, but out of service: fault_db */
	*out = s;
	return HG_OK;
fail:
	/* the words of the failure outlive the closing, which may say more */
	snprintf(words, sizeof words, "%s", hg_error_text());
	station_close(s, now);
	return hg_fail(rc, "%s", words);
}

void station_close(struct station *s, hg_time now)
{
	if (!s)
		return;
	devices_close(s->dev, now);	/* every relay off, the lock released last */
	sodium_memzero(&s->kp, sizeof s->kp);
	free(s);
}

const struct session *station_session(const struct station *s)
{
	return &s->session;
}

struct relay_dev *station_relays(struct station *s)
{
	return s->relays;
}

struct printer_dev *station_printer(struct station *s)
{
	return s->printer;
}

struct meter_dev *station_meter(struct station *s)
{
	return s->meter;
}

const struct relay_ops *station_relay_ops(const struct station *s)
{
	return s->relay_ops;
}

const struct printer_ops *station_printer_ops(const struct station *s)
{
	return s->printer_ops;
}

const struct meter_ops *station_meter_ops(const struct station *s)
{
	return s->meter_ops;
}

const struct config *station_config(const struct station *s)
{
	return s->cfg;
}

struct store *station_store(struct station *s)
{
	return s->st;
}

int station_relay_get(struct station *s, const char *name, int *on)
{
	return s->relay_ops->get(s->relays, name, on);
}

int station_kept_count(struct station *s, long *n)
{
	int got;

	return store_kept_slips(s->st, NULL, 0, &got, n);
}

int station_sync_view(struct station *s, hg_time now, struct station_sync *out)
{
	struct sync_state st;
	long long size = 0;
	uint8_t head[32];
	int rc;

	memset(out, 0, sizeof *out);
	out->health = sync_health(s->cfg, &(struct sync_state){0}, 0, now);
	if (out->health == SYNC_H_UNMANAGED)
		return HG_OK;
	rc = store_sync_get(s->st, &st);
	if (rc == HG_OK)
		rc = store_event_head(s->st, &size, head);
	if (rc != HG_OK)
		return rc;
	out->health = sync_health(s->cfg, &st, size, now);
	out->pending = size > st.plant_size ? size - st.plant_size : 0;
	out->fork_seq = st.fork_seq;
	out->last_success = st.last_success;
	return HG_OK;
}

int station_notices(const struct station *s, struct station_notice *out, int cap)
{
	int n = s->n_notices < cap ? s->n_notices : cap;

	if (n > 0)
		memcpy(out, s->notices, (size_t)n * sizeof *out);
	return n;
}
