/* test_progress.c: "Step n of N" (core/session_progress.c) on every screen
 * of every flow: the hauler's full path and "same as last time", a refusal
 * for RCRA waste, a load held for a sample (the operator's card and PIN),
 * a card refused after its PIN, changing an answer from the review, the RV
 * visit, the operator's own session; then a long random walk checking that
 * n never exceeds N and that N changes within a session only where
 * docs/KIOSK.md says.  The rig is fixture_session.h's. */
#include "testutil.h"
#include "fixture_session.h"

static struct card_info regular, newcomer, expired;

/* The screen is s and it shows step n of total. */
static void at_(struct rig *r, enum screen s, int n, int total, int line)
{
	int got_n, got_total;

	session_progress(&r->f, &got_n, &got_total);
	if (r->f.screen != s || got_n != n || got_total != total)
		fail_msg("line %d: on %s, step %d of %d; expected %s, step %d of %d", line,
			 screen_id(r->f.screen), got_n, got_total, screen_id(s), n, total);
}
#define at(r, s, n, total) at_((r), (s), (n), (total), __LINE__)

static int group_setup(void **state)
{
	setup(state);
	/* a regular: the card's last accepted load, as the store gives it */
	regular = hauler;
	regular.last_load = 41;
	regular.last.truck_id = hauler.trucks[0].id;
	snprintf(regular.last.truck, sizeof regular.last.truck, "%s", hauler.trucks[0].ident);
	regular.last.waste = WASTE_SEPTAGE;
	regular.last.n_sources = 1;
	regular.last.sources[0] = hauler.known[0];
	snprintf(regular.last.characteristics, sizeof regular.last.characteristics, "Septage");
	/* a first load: held for a sample */
	newcomer = hauler;
	newcomer.hauler.loads_total = 0;
	newcomer.hauler.loads_since_sample = 0;
	/* a permit that ended: refused once the PIN is right */
	expired = hauler;
	snprintf(expired.hauler.permit_to, sizeof expired.hauler.permit_to, "2021-12-31");
	return 0;
}

static void pin_ok(struct rig *r, const struct card_info *c)
{
	card(r, c);
	at(r, SCR_PIN, 1, 10);
	type(r, "1234");
	press(r, "ok");
}

/* The whole form, from the truck screen to the certify screen. */
static void full_form(struct rig *r, const char *rcra)
{
	at(r, SCR_TRUCK, 2, 10);
	press(r, "truck_1");
	at(r, SCR_WASTE, 3, 10);
	press(r, "waste_septage");
	at(r, SCR_SOURCES, 4, 10);
	press(r, "new_source");
	at(r, SCR_SOURCE_EDIT, 4, 10);	/* a source's own screens are its step */
	field(r, "source_name", "Miller");
	field(r, "source_address", "12 Oak St");
	press(r, "save");
	at(r, SCR_SOURCE_INDUSTRY, 4, 10);
	press(r, "industry_1");
	at(r, SCR_OTHER_TOWN, 4, 10);	/* no towns in the service area: typed */
	field(r, "source_town", "Springfield");
	press(r, "save");
	at(r, SCR_SOURCES, 4, 10);
	press(r, "next");
	at(r, SCR_VOLUME, 5, 10);
	type(r, "2500");
	press(r, "next");
	at(r, SCR_DETAILS, 6, 10);
	type(r, "Septage");
	press(r, "next");
	at(r, SCR_RCRA, 7, 10);
	press(r, rcra);
	at(r, SCR_REVIEW, 8, 10);
	press(r, "next");
	at(r, SCR_CERTIFY, 9, 10);
}

static void unload(struct rig *r, int n)
{
	at(r, SCR_DISCHARGE_READY, n, n);
	press(r, "start");
	at(r, SCR_DISCHARGING, n, n);
	press(r, "stop");
	at(r, SCR_DONE, n, n);
	press(r, "ok");
	at(r, SCR_START, 0, 0);
}

/* The full path: 10 steps, the last one unloading; an answer changed from
 * the review keeps the review's step; back from the certification goes
 * back a step. */
static void test_full_path(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	at(&r, SCR_START, 0, 0);
	pin_ok(&r, &hauler);
	full_form(&r, "rcra_no");
	press(&r, "back");
	at(&r, SCR_REVIEW, 8, 10);
	press(&r, "edit_truck");
	at(&r, SCR_TRUCK, 8, 10);
	press(&r, "truck_1");
	at(&r, SCR_REVIEW, 8, 10);
	press(&r, "edit_sources");
	at(&r, SCR_SOURCES, 8, 10);
	press(&r, "edit_source_1");
	at(&r, SCR_SOURCE_EDIT, 8, 10);
	press(&r, "save");
	at(&r, SCR_SOURCE_INDUSTRY, 8, 10);
	press(&r, "other_industry");
	at(&r, SCR_OTHER_INDUSTRY, 8, 10);
	type(&r, "brewery");
	press(&r, "save");
	at(&r, SCR_OTHER_TOWN, 8, 10);
	press(&r, "save");
	at(&r, SCR_SOURCES, 8, 10);
	press(&r, "next");
	at(&r, SCR_REVIEW, 8, 10);
	press(&r, "edit_details");
	at(&r, SCR_DETAILS, 8, 10);
	press(&r, "next");
	at(&r, SCR_REVIEW, 8, 10);
	press(&r, "next");
	at(&r, SCR_CERTIFY, 9, 10);
	press(&r, "certify");
	unload(&r, 10);
	/* the language changes nothing */
	pin_ok(&r, &hauler);
	press(&r, "lang_es");
	at(&r, SCR_TRUCK, 2, 10);
	press(&r, "cancel");
	at(&r, SCR_START, 0, 0);
}

/* "Same as last time": 10 steps until it is chosen on the truck screen,
 * then 7 (truck, gallons, RCRA, review, certification, unloading). */
static void test_short_path(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	pin_ok(&r, &regular);
	at(&r, SCR_TRUCK, 2, 10);
	assert_true(session_repeat_offered(&r.f));
	press(&r, "repeat_last");
	at(&r, SCR_VOLUME, 3, 7);
	type(&r, "1800");
	press(&r, "next");
	at(&r, SCR_RCRA, 4, 7);
	press(&r, "rcra_no");
	at(&r, SCR_REVIEW, 5, 7);
	/* a screen the short path skips, opened from the review: the review's step */
	press(&r, "edit_waste");
	at(&r, SCR_WASTE, 5, 7);
	press(&r, "waste_portable");
	at(&r, SCR_REVIEW, 5, 7);
	press(&r, "edit_details");
	at(&r, SCR_DETAILS, 5, 7);
	press(&r, "next");
	at(&r, SCR_REVIEW, 5, 7);
	press(&r, "next");
	at(&r, SCR_CERTIFY, 6, 7);
	press(&r, "certify");
	unload(&r, 7);

	/* the regular picks a truck instead: the full path */
	pin_ok(&r, &regular);
	press(&r, "truck_1");
	at(&r, SCR_WASTE, 3, 10);
	press(&r, "cancel");
	at(&r, SCR_START, 0, 0);
}

/* RCRA hazardous waste: refused after the certification, in the place of
 * the unloading (the last step), on either path. */
static void test_rcra_refusal(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	pin_ok(&r, &hauler);
	full_form(&r, "rcra_yes");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_REFUSED);
	at(&r, SCR_REFUSED, 10, 10);
	press(&r, "ok");
	at(&r, SCR_START, 0, 0);

	pin_ok(&r, &regular);
	press(&r, "repeat_last");
	type(&r, "1800");
	press(&r, "next");
	press(&r, "rcra_yes");
	at(&r, SCR_REVIEW, 5, 7);
	press(&r, "next");
	press(&r, "certify");
	at(&r, SCR_REFUSED, 7, 7);
}

/* Held for a sample: one more step (the hold, the operator's PIN, the
 * bottle) before the unloading, from the decision on. */
static void test_sample_hold(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	pin_ok(&r, &newcomer);
	full_form(&r, "rcra_no");
	press(&r, "certify");
	at(&r, SCR_SAMPLE_HOLD, 10, 11);
	card(&r, &op);
	at(&r, SCR_OPERATOR_PIN, 10, 11);
	press(&r, "cancel");
	at(&r, SCR_SAMPLE_HOLD, 10, 11);
	card(&r, &op);
	type(&r, "987654");
	press(&r, "ok");
	at(&r, SCR_SAMPLE, 10, 11);
	type(&r, "B-1");
	press(&r, "ok");
	unload(&r, 11);

	/* the short path held (an operator flagged the next load): 8 */
	card(&r, &op);
	type(&r, "987654");
	press(&r, "ok");
	at(&r, SCR_OPERATOR, 0, 0);
	press(&r, "flag_next");
	press(&r, "exit");
	pin_ok(&r, &regular);
	press(&r, "repeat_last");
	type(&r, "1800");
	press(&r, "next");
	press(&r, "rcra_no");
	press(&r, "next");
	press(&r, "certify");
	at(&r, SCR_SAMPLE_HOLD, 7, 8);
	press(&r, "cancel");
	at(&r, SCR_START, 0, 0);
}

/* A card refused once its PIN is right (its permit ended): step 2 of 2. */
static void test_card_refused(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	pin_ok(&r, &expired);
	at(&r, SCR_REFUSED, 2, 2);
	press(&r, "ok");
	at(&r, SCR_START, 0, 0);
}

/* The RV visit: sign-in, rules, declaration, dump; a declaration refused
 * is the last step. */
static void test_rv(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	for (int refuse = 0; refuse < 2; refuse++) {
		press(&r, "rv");
		at(&r, SCR_RV_SIGNIN, 1, 4);
		field(&r, "rv_name", "Lee Walker");
		field(&r, "rv_plate", "7ABC123");
		field(&r, "rv_state", "CO");
		press(&r, "next");
		at(&r, SCR_RV_RULES, 2, 4);
		press(&r, "accept");
		at(&r, SCR_RV_DECLARE, 3, 4);
		if (refuse) {
			press(&r, "declare_no");
			at(&r, SCR_REFUSED, 4, 4);
			press(&r, "ok");
			break;
		}
		press(&r, "declare_yes");
		at(&r, SCR_RV_DUMP, 4, 4);
		press(&r, "done");
		at(&r, SCR_RV_DONE, 4, 4);
		press(&r, "ok");
		at(&r, SCR_START, 0, 0);
	}
	at(&r, SCR_START, 0, 0);
}

/* The operator's own session is a menu, not a path: no step. */
static void test_operator(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	card(&r, &op);
	at(&r, SCR_OPERATOR_PIN, 0, 0);
	type(&r, "987654");
	press(&r, "ok");
	at(&r, SCR_OPERATOR, 0, 0);
	press(&r, "open_gate");
	at(&r, SCR_OVERRIDE, 0, 0);
	press(&r, "back");
	press(&r, "exit");
	at(&r, SCR_START, 0, 0);
}

/* Where N may change within a session (docs/KIOSK.md): "same as last time"
 * taken (truck -> volume), the decision holding the load (certify ->
 * sample_hold), a card refused after its PIN (pin -> refused). */
static int allowed_change(enum screen from, enum screen to, const struct session *f)
{
	return (from == SCR_TRUCK && to == SCR_VOLUME && f->repeated) ||
	       (from == SCR_CERTIFY && to == SCR_SAMPLE_HOLD) ||
	       (from == SCR_PIN && to == SCR_REFUSED && !f->committed);
}

/* A long random walk over every card, button and timeout: on every screen
 * of a session 1 <= n <= N, and N keeps still but where allowed. */
static void test_random_walk(void **state)
{
	static const char *const buttons[] = {
		"ok", "next", "back", "cancel", "start", "stop", "done", "certify", "save",
		"truck_1", "waste_septage", "waste_grease", "known_1", "new_source", "edit_source_1",
		"remove_source_1", "other_town", "rcra_no", "rcra_yes", "rcra_unknown",
		"edit_truck", "edit_waste", "edit_sources", "edit_volume", "edit_details", "edit_rcra",
		"repeat_last", "rv", "accept", "declare_yes", "declare_no", "lang_es", "open_gate",
		"close_gate", "flag_next", "exit",
	};
	/* the ways on, pressed as often as all the rest: the walk gets far */
	static const char *const onward[] = {"ok", "next", "repeat_last", "rcra_no", "certify",
					     "start", "truck_1"};
	static const char *const texts[] = {"1234", "987654", "2500", "Septage", "B-1"};
	const struct card_info *cards[] = {&hauler, &regular, &newcomer, &expired, &op, &unknown};
	struct rig r;
	uint32_t seed = 4242;
	int sessions = 0, changes = 0, seen_short = 0;

	(void)state;
	start(&r);
	for (int i = 0; i < 20000; i++) {
		enum screen from = r.f.screen;
		int n0, t0, n, t;
		uint32_t x;

		seed = seed * 1103515245u + 12345u;
		x = seed >> 8;
		session_progress(&r.f, &n0, &t0);
		switch (x % 8) {
		case 0:
			tick(&r, 1 + (long)(x >> 4) % 120);
			break;
		case 1:
			card(&r, cards[(x >> 4) % HG_ARRAY_LEN(cards)]);
			break;
		case 2:
			type(&r, texts[(x >> 4) % HG_ARRAY_LEN(texts)]);
			break;
		case 3:
			field(&r, (x >> 4) % 2 ? "source_town" : "source_name", "Springfield");
			break;
		case 4:
		case 5:
			press(&r, onward[(x >> 4) % HG_ARRAY_LEN(onward)]);
			break;
		default:
			press(&r, buttons[(x >> 4) % HG_ARRAY_LEN(buttons)]);
			break;
		}
		session_progress(&r.f, &n, &t);
		if (t) {
			if (n < 1 || n > t)
				fail_msg("walk %d: %s shows step %d of %d", i, screen_id(r.f.screen), n, t);
			seen_short |= t == 7;
		}
		if (!t0 && t)
			sessions++;
		if (t0 && t && t0 != t) {
			changes++;
			if (!allowed_change(from, r.f.screen, &r.f))
				fail_msg("walk %d: %s (step %d of %d) to %s (step %d of %d)", i,
					 screen_id(from), n0, t0, screen_id(r.f.screen), n, t);
		}
	}
	/* the walk went through sessions and through the changes it checks */
	assert_true(sessions > 100);
	assert_true(changes > 0);
	assert_true(seen_short);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_path),
		cmocka_unit_test(test_short_path),
		cmocka_unit_test(test_rcra_refusal),
		cmocka_unit_test(test_sample_hold),
		cmocka_unit_test(test_card_refused),
		cmocka_unit_test(test_rv),
		cmocka_unit_test(test_operator),
		cmocka_unit_test(test_random_walk),
	};

	return cmocka_run_group_tests(tests, group_setup, NULL);
}
