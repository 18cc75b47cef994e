/* test_session_hold.c: the session state machine when time and people do not
 * behave: the wall clock stepped under a running limit (every limit runs on
 * the monotonic clock), and a sample hold that ends without a bottle
 * (sample_abandoned) or that the last run left (sample_waiting).  The rig is
 * fixture_session.h's. */
#include "testutil.h"
#include "fixture_session.h"

/* Every limit runs on the monotonic clock: the wall clock stepped halfway
 * through (an NTP correction) neither stretches nor cuts the valve's
 * [session] max_discharge, the RV gate's rv_max_dump or a timeout.  The
 * time shown on the screen (session_open_time) follows the monotonic clock. */
static void test_wall_clock_steps(void **state)
{
	enum what { VALVE, RV_GATE, IDLE };
	static const struct {
		enum what what;
		long step;	/* the wall clock moves by this halfway through */
	} rows[] = {
		{VALVE, -3600},		/* back an hour mid-discharge: closed at 30 min all the same */
		{VALVE, +3600},		/* forward an hour: not closed at once */
		{VALVE, -86400},	/* a day back (a wrong RTC corrected) */
		{VALVE, 0},		/* no step: as before */
		{RV_GATE, -3600},	/* the RV gate, back an hour */
		{RV_GATE, +3600},	/* the RV gate, forward an hour */
		{IDLE, -3600},		/* a half-filled form times out on time, back an hour */
		{IDLE, +3600},		/* and forward an hour: not at once */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct rig r;
		long limit, open_s, left;
		hg_time saved = now0;

		skew = 0;
		start(&r);
		if (rows[i].what == VALVE) {
			fill_form(&r, "waste_septage");
			press(&r, "certify");
			press(&r, "start");
			limit = cfg.max_discharge_s;
		} else if (rows[i].what == RV_GATE) {
			press(&r, "rv");
			field(&r, "rv_name", "Lee");
			field(&r, "rv_plate", "7ABC123");
			field(&r, "rv_state", "CO");
			press(&r, "next");
			press(&r, "accept");
			press(&r, "declare_yes");
			assert_int_equal(r.f.screen, SCR_RV_DUMP);
			limit = cfg.rv_max_dump_s;
		} else {
			card(&r, &hauler);
			type(&r, "1234");
			press(&r, "ok");
			press(&r, "truck_1");
			assert_int_equal(r.f.screen, SCR_WASTE);
			limit = cfg.inactivity_s;
		}
		tick(&r, limit / 2);
		wall_step(rows[i].step);
		tick(&r, limit - limit / 2 - 1);
		session_open_time(&r.f, &cfg, &open_s, &left);
		if (rows[i].what == VALVE) {
			assert_true(r.valve);
			assert_int_equal(r.f.screen, SCR_DISCHARGING);
			assert_int_equal(open_s, limit - 1);	/* what the screen shows */
			assert_int_equal(left, 1);
		} else if (rows[i].what == RV_GATE) {
			assert_true(r.gate);
			assert_int_equal(r.f.screen, SCR_RV_DUMP);
			assert_int_equal(open_s, limit - 1);
			assert_int_equal(left, 1);
		} else {
			assert_int_equal(r.f.screen, SCR_WASTE);
			assert_int_equal(open_s, 0);	/* nothing open: nothing shown */
			assert_int_equal(left, 0);
		}
		tick(&r, 1);
		assert_false(r.valve);
		assert_false(r.gate);
		if (rows[i].what == IDLE) {
			assert_int_equal(r.f.screen, SCR_START);
			assert_int_equal(r.last_msg, R_TIMEOUT);
		} else {
			assert_int_equal(r.last_msg, R_DISCHARGE_MAX_TIME);
			assert_int_equal(r.f.screen,
					 rows[i].what == VALVE ? SCR_DONE : SCR_RV_DONE);
		}
		now0 = saved;
		skew = 0;
	}
}

/* ---- a hold that ends without a bottle ---- */

static void hold_cancel(struct rig *r) { press(r, "cancel"); }
static void hold_timeout(struct rig *r) { tick(r, cfg.inactivity_s * SESSION_SAMPLE_WAIT_FACTOR); }
static void hold_fault(struct rig *r)
{
	struct session_event e = {.kind = EV_FAULT, .now = now0, .fault = R_FAULT_DB};
	ev(r, &e);
}
static void op_pin(struct rig *r)
{
	card(r, &op);
	type(r, "987654");
	press(r, "ok");
}
static void op_cancels_at_bottle(struct rig *r) { op_pin(r); press(r, "cancel"); }
static void op_times_out_at_bottle(struct rig *r) { op_pin(r); tick(r, cfg.inactivity_s); }
static void op_cancels_pin(struct rig *r)
{
	card(r, &op);
	press(r, "cancel");	/* back to the hold, which goes on */
}
static void sampled_then_cancel(struct rig *r)
{
	op_pin(r);
	type(r, "B-7");
	press(r, "ok");
	press(r, "cancel");
}

static void test_hold_abandoned(void **state)
{
	static const struct {
		const char *what;
		void (*end)(struct rig *);
		const char *why;	/* the hold closed as abandoned for this; NULL: not */
		enum screen screen;	/* where the session is after */
	} rows[] = {
		/* the hauler presses cancel at the hold */
		{ "cancel at the hold", hold_cancel, "cancel", SCR_START },
		/* nobody comes: the hold's own wait runs out */
		{ "hold times out", hold_timeout, "timeout", SCR_START },
		/* a device or the database fails during the hold */
		{ "fault at the hold", hold_fault, "fault", SCR_OUT_OF_SERVICE },
		/* the operator came, then cancelled at the bottle screen */
		{ "operator cancels at bottle", op_cancels_at_bottle, "cancel", SCR_START },
		/* the operator came and walked off */
		{ "operator times out at bottle", op_times_out_at_bottle, "timeout", SCR_START },
		/* cancel on the operator's PIN goes back to the hold: not an end */
		{ "operator cancels the PIN", op_cancels_pin, NULL, SCR_SAMPLE_HOLD },
		/* sampled, then cancelled before the discharge: the sample was taken */
		{ "sampled, then cancel", sampled_then_cancel, NULL, SCR_START },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct rig r;

		start(&r);
		fill_form(&r, "waste_grease");	/* grease is sampled by default */
		press(&r, "certify");
		assert_int_equal(r.f.screen, SCR_SAMPLE_HOLD);
		rows[i].end(&r);
		if (r.f.screen != rows[i].screen)
			fail_msg("%s: screen %s, want %s", rows[i].what, screen_id(r.f.screen),
				 screen_id(rows[i].screen));
		if (!rows[i].why) {
			if (r.abandoned)
				fail_msg("%s: abandoned (%s), want not", rows[i].what, r.abandoned_why);
			continue;
		}
		if (r.abandoned != 1 || strcmp(r.abandoned_why, rows[i].why) != 0 ||
		    r.abandoned_id != r.next_no)
			fail_msg("%s: abandoned %d times, why \"%s\", load %lld; want once, \"%s\", %lld",
				 rows[i].what, r.abandoned, r.abandoned_why, r.abandoned_id, rows[i].why,
				 r.next_no);
	}
}

/* A load that is not held is never "abandoned", whatever ends its session. */
static void test_accepted_never_abandoned(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	fill_form(&r, "waste_septage");
	press(&r, "certify");
	assert_int_equal(r.f.screen, SCR_DISCHARGE_READY);
	press(&r, "cancel");
	assert_int_equal(r.abandoned, 0);
}

/* The operator takes up a load the last run left at its hold: the station
 * reads it back into the press; the session goes to the bottle screen for that
 * load and on to its discharge.  Without a load (none waits), the menu stays. */
static void test_sample_waiting(void **state)
{
	struct rig r;
	struct load_rec *held = calloc(1, sizeof *held);
	struct session_event e;

	(void)state;
	assert_non_null(held);
	held->load_no = 12;
	held->d.verdict = VERDICT_SAMPLE_HOLD;
	held->d.n_sample = 1;
	held->d.sample[0] = R_SAMPLE_FIRST_LOAD;
	held->lang = LANG_ES;
	held->m.gallons = 1500;
	start(&r);
	op_pin(&r);
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	press(&r, "sample_waiting");		/* none waits */
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	assert_int_equal(r.last_msg, R_INPUT_CHOICE);
	r.f.fault = R_FAULT_DB;			/* out of service: clear the fault first */
	e = (struct session_event){.kind = EV_PRESS, .now = now0, .button = "sample_waiting", .load = held};
	ev(&r, &e);
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	assert_int_equal(r.last_msg, R_FAULT_DB);
	r.f.fault = R_NONE;
	held->bottle[0] = 'X';			/* one already sampled is not taken up */
	e = (struct session_event){.kind = EV_PRESS, .now = now0, .button = "sample_waiting", .load = held};
	ev(&r, &e);
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	held->bottle[0] = '\0';
	ev(&r, &e);
	assert_int_equal(r.f.screen, SCR_SAMPLE);
	assert_int_equal(r.f.load.load_no, 12);
	assert_int_equal(r.f.lang, LANG_ES);
	assert_true(logged(&r, "sample_resumed"));
	r.committed = 1;			/* the load was committed by the last run */
	type(&r, "B-12");
	press(&r, "ok");
	assert_int_equal(r.sampled_id, 12);
	assert_int_equal(r.f.screen, SCR_DISCHARGE_READY);
	assert_true(r.gate);
	press(&r, "start");
	assert_true(r.valve);
	press(&r, "stop");
	assert_false(r.valve);
	assert_int_equal(r.printed[PRINT_RECEIPT], 1);
	assert_int_equal(r.abandoned, 0);
	free(held);
}


int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wall_clock_steps),
		cmocka_unit_test(test_hold_abandoned),
		cmocka_unit_test(test_accepted_never_abandoned),
		cmocka_unit_test(test_sample_waiting),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
