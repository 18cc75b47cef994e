/* fixture_session.h: the rig the session tests drive the session state machine
 * with, without store or devices; include it after testutil.h.
 *
 * The caller's part (look the card up, answer commits with EV_STORED) is
 * played here: apply() carries the actions out on a struct rig and
 * check_safe() checks the fail-secure rules after every event.  Each event
 * carries both clocks: the wall clock now0 and the monotonic one,
 * now0 - skew; wall_step() moves the first alone.  test_session.c and
 * test_session_hold.c share it; setup() is their cmocka group setup. */
#ifndef FIXTURE_FLOW_H
#define FIXTURE_FLOW_H

#include <sodium.h>
#include <math.h>
#include <time.h>
#include "../../core/session.h"
#include "../../core/pin.h"
#include "../../core/text.h"

static struct config cfg;
static struct card_info hauler, op, unknown;
static char hash1234[PIN_HASH_MAX], hash987654[PIN_HASH_MAX];
static uint8_t pin_key[KEY_PIN];	/* the station's PIN key, as the station passes it */

/* What the relays are, as the actions left them. */
struct rig {
	struct session f;
	int gate, valve;
	int committed;		/* ACT_COMMIT_LOAD seen for the current load */
	int opened;		/* times the valve opened */
	long long next_no;
	int n_log;
	char logs[64][32];
	int n_msg;
	enum reason last_msg;
	int printed[PRINT_KIND_COUNT];
	int kept_prints;	/* ACT_PRINT of the kept slips */
	int meter_logs;		/* "meter_*" events logged (failed, recovered, reset, flags) */
	int abandoned;		/* ACT_SAMPLE_ABANDONED seen */
	long long abandoned_id;
	char abandoned_why[16];
	long long sampled_id;	/* load of the last ACT_SAMPLE */
};

static inline void apply(struct rig *r, const struct actions *out, hg_time now, int *stored)
{
	assert_false(out->overflow);
	*stored = 0;
	for (int i = 0; i < out->n; i++) {
		const struct action *a = &out->a[i];
		switch (a->kind) {
		case ACT_RELAY:
			if (strcmp(a->name, "gate") == 0)
				r->gate = a->on;
			else if (strcmp(a->name, "valve") == 0)
				r->valve = a->on;
			if (strcmp(a->name, "valve") == 0 && a->on) {
				assert_true(r->committed);	/* never before the commit */
				r->opened++;
			}
			break;
		case ACT_SHOW:
			if (a->screen == SCR_START || a->screen == SCR_CLOSED ||
			    a->screen == SCR_OUT_OF_SERVICE)
				r->committed = 0;	/* a new session needs a new commit */
			break;
		case ACT_COMMIT_LOAD:
		case ACT_COMMIT_RV:
			r->committed = a->kind == ACT_COMMIT_LOAD;
			*stored = 1;
			break;
		case ACT_DISCHARGE:
			if (!a->on) {	/* what the meter made of the load */
				assert_true(a->gallons >= 0);
				assert_true(a->reason == R_NONE || a->reason == R_METER_MISMATCH ||
					    a->reason == R_METER_FAILED);
			}
			break;
		case ACT_LOG:
		case ACT_PIN_STATE:
			if (strncmp(a->event, "meter_", 6) == 0)
				r->meter_logs++;
			if (r->n_log < 64)
				snprintf(r->logs[r->n_log++], 32, "%s", a->event);
			break;
		case ACT_SAMPLE_ABANDONED:
			r->abandoned++;
			r->abandoned_id = a->id;
			snprintf(r->abandoned_why, sizeof r->abandoned_why, "%s", a->detail);
			break;
		case ACT_SAMPLE:
			r->sampled_id = r->f.load.load_no;
			break;
		case ACT_MESSAGE:
			r->n_msg++;
			r->last_msg = a->reason;
			break;
		case ACT_PRINT:
			r->printed[a->print]++;
			if (a->kept) {
				assert_true(a->copy);	/* a kept slip is always reprinted as a COPY */
				r->kept_prints++;
			}
			break;
		default:
			break;
		}
	}
	(void)now;
}

/* The fail-secure rules, checked after every step. */
static inline void check_safe(const struct rig *r)
{
	enum screen s = r->f.screen;

	if (r->valve)
		assert_int_equal(s, SCR_DISCHARGING);
	if (r->gate)
		assert_true(s == SCR_DISCHARGE_READY || s == SCR_DISCHARGING || s == SCR_RV_DUMP ||
			    s == SCR_OVERRIDE);
	if (s == SCR_START || s == SCR_CLOSED || s == SCR_OUT_OF_SERVICE) {
		assert_false(r->gate);
		assert_false(r->valve);
	}
	/* the valve never stays open past its limit on the monotonic clock,
	 * whatever the wall clock did */
	if (r->valve)
		assert_true(r->f.mono - r->f.open_since <= cfg.max_discharge_s);
	/* the meter's count never goes below zero, whatever it reported */
	assert_true(r->f.load.gallons_measured >= 0);
	assert_true(r->f.meter.counted >= 0);
}

static hg_time now0;
static hg_time skew;	/* wall minus monotonic clock: moved by wall_step() */

static inline void ev(struct rig *r, struct session_event *e)
{
	struct actions out;
	int stored;

	e->mono = e->now - skew;
	if (!e->pin_key)
		e->pin_key = pin_key;	/* the station passes it with every event */
	session_step(&r->f, &cfg, e, &out);
	apply(r, &out, e->now, &stored);
	check_safe(r);
	if (stored) {
		struct session_event s = {.kind = EV_STORED, .now = e->now, .id = ++r->next_no};
		ev(r, &s);
	}
}

/* The wall clock is stepped (NTP, an operator): the monotonic one stays. */
static inline void wall_step(long secs)
{
	now0 += secs;
	skew += secs;
}

static inline void tick(struct rig *r, long secs)
{
	for (long i = 0; i < secs; i++) {
		struct session_event e = {.kind = EV_TICK, .now = ++now0};
		ev(r, &e);
	}
}

static inline void press(struct rig *r, const char *b)
{
	struct session_event e = {.kind = EV_PRESS, .now = now0, .button = b, .rnd = UINT32_MAX};
	ev(r, &e);
}

static inline void type(struct rig *r, const char *t)
{
	struct session_event e = {.kind = EV_TYPE, .now = now0, .text = t};
	ev(r, &e);
}

static inline void field(struct rig *r, const char *name, const char *v)
{
	struct session_event e = {.kind = EV_FIELD, .now = now0, .field = name, .text = v};
	ev(r, &e);
}

static inline void card(struct rig *r, const struct card_info *c)
{
	struct session_event e = {.kind = EV_CARD, .now = now0, .card = c};
	ev(r, &e);
}

static inline int logged(const struct rig *r, const char *type_)
{
	for (int i = 0; i < r->n_log; i++)
		if (strcmp(r->logs[i], type_) == 0)
			return 1;
	return 0;
}

static inline int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_true(sodium_init() >= 0);
	/* keyed hashes at the cheapest parameters: the session checks PINs, not
	 * their cost (tests/unit/test_pin.c checks the keying) */
	randombytes_buf(pin_key, sizeof pin_key);
	assert_int_equal(pin_hash_limits(pin_key, "1234", crypto_pwhash_OPSLIMIT_MIN,
					 crypto_pwhash_MEMLIMIT_MIN, hash1234), HG_OK);
	assert_int_equal(pin_hash_limits(pin_key, "987654", crypto_pwhash_OPSLIMIT_MIN,
					 crypto_pwhash_MEMLIMIT_MIN, hash987654), HG_OK);
	config_defaults(&cfg);
	cfg.sample_random_rate = 0;
	cfg.n_area = 0;

	memset(&hauler, 0, sizeof hauler);
	hauler.kind = CARD_HAULER;
	hauler.card_id = 7;
	snprintf(hauler.uid, sizeof hauler.uid, "04a1b2c3");
	snprintf(hauler.holder, sizeof hauler.holder, "Dana Ruiz");
	memcpy(hauler.pin_hash, hash1234, sizeof hash1234);
	hauler.hauler.id = 1;
	snprintf(hauler.hauler.company, sizeof hauler.hauler.company, "Acme Septic");
	snprintf(hauler.hauler.permit, sizeof hauler.hauler.permit, "HW-1");
	snprintf(hauler.hauler.permit_from, sizeof hauler.hauler.permit_from, "2020-01-01");
	snprintf(hauler.hauler.permit_to, sizeof hauler.hauler.permit_to, "2030-12-31");
	hauler.hauler.waste_allowed = WASTE_ALL;
	hauler.hauler.loads_total = 3;
	hauler.hauler.loads_since_sample = 1;
	hauler.n_trucks = 1;
	hauler.trucks[0] = (struct truck_info){.id = 3, .capacity = 3000};
	snprintf(hauler.trucks[0].ident, sizeof hauler.trucks[0].ident, "ACME-12");
	hauler.n_known = 1;
	snprintf(hauler.known[0].name, sizeof hauler.known[0].name, "Miller");
	snprintf(hauler.known[0].address, sizeof hauler.known[0].address, "12 Oak St");
	snprintf(hauler.known[0].industry, sizeof hauler.known[0].industry, "residential");
	snprintf(hauler.known[0].town, sizeof hauler.known[0].town, "Springfield");

	memset(&op, 0, sizeof op);
	op.kind = CARD_OPERATOR;
	op.card_id = 2;
	snprintf(op.uid, sizeof op.uid, "0a0b0c01");
	memcpy(op.pin_hash, hash987654, sizeof hash987654);

	memset(&unknown, 0, sizeof unknown);
	snprintf(unknown.uid, sizeof unknown.uid, "11223344");

	/* Monday 2026-11-23 09:00 UTC: open by the default hours */
	assert_int_equal(text_parse_time("2026-11-23T09:00:00Z", &now0), HG_OK);
	return 0;
}

static inline void start(struct rig *r)
{
	struct actions out;
	int stored;

	memset(r, 0, sizeof *r);
	session_init(&r->f, &cfg, now0, &out);
	apply(r, &out, now0, &stored);
	assert_int_equal(r->f.screen, SCR_START);
	/* init asks for both relays off */
	assert_int_equal(out.a[0].kind, ACT_RELAY);
	assert_int_equal(out.a[1].kind, ACT_RELAY);
	assert_false(out.a[0].on || out.a[1].on);
}

/* Card, PIN and the whole form up to the certification. */
static inline void fill_form(struct rig *r, const char *waste_button)
{
	card(r, &hauler);
	type(r, "1234");
	press(r, "ok");
	assert_int_equal(r->f.screen, SCR_TRUCK);
	press(r, "truck_1");
	press(r, waste_button);
	press(r, "known_1");
	press(r, "next");
	type(r, "2500");
	press(r, "next");
	type(r, "Septage");
	press(r, "next");
	press(r, "rcra_no");
	assert_int_equal(r->f.screen, SCR_REVIEW);
	press(r, "next");
	type(r, "Dana Ruiz");
}


#endif
