/* test_session.c: the session state machine, without store or devices.
 *
 * The rig (fixture_session.h) plays the caller's part.  Besides the table of
 * paths, a long seeded random walk of events checks the fail-secure rules
 * after every single step: the valve is open only while discharging, the gate
 * only on the screens that need it, a load is committed before its valve
 * opens, and every way out of a session leaves both relays off.  The wall
 * clock's steps and the holds that end without a sample are in
 * test_session_hold.c. */
#include "testutil.h"
#include "fixture_session.h"

static void test_accepted_load(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	fill_form(&r, "waste_septage");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_ACCEPTED);
	assert_int_equal(r.f.screen, SCR_DISCHARGE_READY);
	assert_true(r.gate);
	assert_false(r.valve);
	press(&r, "start");
	assert_true(r.valve);
	tick(&r, 60);
	press(&r, "stop");
	assert_false(r.valve);
	assert_false(r.gate);
	assert_int_equal(r.printed[PRINT_RECEIPT], 1);
	assert_int_equal(r.f.screen, SCR_DONE);
	/* the copy of record hash is the SHA-256 of the record text */
	{
		uint8_t h[32];
		text_sha256(r.f.load.record, strlen(r.f.load.record), h);
		assert_memory_equal(h, r.f.load.record_sha, 32);
		assert_non_null(strstr(r.f.load.record, "Signed by: Dana Ruiz"));
	}
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_START);
}

/* What the station takes now (session_set_waste_now()): unrestricted from
 * session_init(); once told septage and portable only, a grease load is
 * refused offline_waste at its decision (refusal slip, refused screen), the
 * value is kept across the session's end, and a septage load is accepted;
 * told "any" again, grease is taken (held for its sample, by default). */
static void test_offline_waste_now(void **state)
{
	const unsigned offline = (1u << WASTE_SEPTAGE) | (1u << WASTE_PORTABLE);
	struct rig r;

	(void)state;
	start(&r);
	assert_int_equal(r.f.waste_now, POLICY_ANY_WASTE);
	session_set_waste_now(&r.f, offline);
	fill_form(&r, "waste_grease");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_REFUSED);
	assert_int_equal(r.f.load.d.n_refuse, 1);
	assert_int_equal(r.f.load.d.refuse[0], R_OFFLINE_WASTE);
	assert_int_equal(r.f.screen, SCR_REFUSED);
	assert_int_equal(r.last_msg, R_OFFLINE_WASTE);
	assert_int_equal(r.printed[PRINT_REFUSAL], 1);
	assert_false(r.gate || r.valve);
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_START);
	assert_int_equal(r.f.waste_now, offline);	/* kept across the end */
	fill_form(&r, "waste_septage");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_ACCEPTED);
	press(&r, "cancel");
	session_set_waste_now(&r.f, POLICY_ANY_WASTE);
	tick(&r, 120);
	assert_int_equal(r.f.screen, SCR_START);
	fill_form(&r, "waste_grease");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_SAMPLE_HOLD);
}

/* A new session of the hauler card, on the sources screen of a septage load. */
static void to_sources(struct rig *r)
{
	start(r);
	card(r, &hauler);
	type(r, "1234");
	press(r, "ok");
	press(r, "truck_1");
	press(r, "waste_septage");
}

/* A source's town: the service area's towns as buttons (ZIP codes are not
 * buttons), "another town" on the keyboard, and a remembered source with no
 * town is asked for one before it joins the load. */
static void test_source_town(void **state)
{
	struct config saved = cfg;
	struct card_info old = hauler;
	struct rig r;

	(void)state;
	config_defaults(&cfg);
	cfg.sample_random_rate = 0;
	assert_int_equal(session_n_towns(&cfg), 2);	/* Springfield, Shelbyville, 80401, 80403 */
	assert_string_equal(session_town(&cfg, 1), "Shelbyville");
	assert_null(session_town(&cfg, 2));
	hauler.known[0].town[0] = '\0';		/* remembered before towns were asked */

	to_sources(&r);
	/* a remembered source without a town: asked, not added yet */
	press(&r, "known_1");
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	assert_int_equal(r.f.load.m.n_sources, 0);
	press(&r, "town_3");				/* no third town button */
	assert_int_equal(r.f.message, R_INPUT_CHOICE);
	press(&r, "town_2");
	assert_int_equal(r.f.screen, SCR_SOURCES);
	assert_int_equal(r.f.load.m.n_sources, 1);
	assert_string_equal(r.f.load.m.sources[0].town, "Shelbyville");
	/* a new source, its town typed: a ZIP+4 */
	press(&r, "new_source");
	field(&r, "source_name", "Plant 4");
	field(&r, "source_address", "900 Mill Rd");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCE_INDUSTRY);
	press(&r, "other_industry");
	field(&r, "source_industry", "metal finishing");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	press(&r, "other_town");
	assert_int_equal(r.f.screen, SCR_OTHER_TOWN);
	assert_string_equal(r.f.focus, "source_town");
	press(&r, "save");				/* nothing typed */
	assert_int_equal(r.f.message, R_INPUT_EMPTY);
	assert_int_equal(r.f.screen, SCR_OTHER_TOWN);
	type(&r, "\xe2\x80\xae" "80403");			/* a right-to-left override */
	assert_int_equal(r.f.message, R_INPUT_FORMAT);
	type(&r, "80403-1234");
	press(&r, "back");				/* back to the buttons, text kept */
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	press(&r, "other_town");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCES);
	assert_int_equal(r.f.load.m.n_sources, 2);
	assert_string_equal(r.f.load.m.sources[1].town, "80403-1234");
	press(&r, "next");
	type(&r, "2500");
	press(&r, "next");
	type(&r, "Septage");
	press(&r, "next");
	press(&r, "rcra_no");
	press(&r, "next");
	type(&r, "Dana Ruiz");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_ACCEPTED);
	assert_non_null(strstr(r.f.load.record, "  Town or ZIP code: 80403-1234\n"));

	/* no towns to show (ZIP codes only): save goes straight to the keyboard */
	cfg.n_area = 1;
	snprintf(cfg.area[0], sizeof cfg.area[0], "80401");
	to_sources(&r);
	press(&r, "new_source");
	field(&r, "source_name", "Plant 4");
	field(&r, "source_address", "900 Mill Rd");
	press(&r, "save");
	press(&r, "other_industry");
	field(&r, "source_industry", "metal finishing");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_OTHER_TOWN);
	press(&r, "back");				/* to the industry it came from */
	assert_int_equal(r.f.screen, SCR_SOURCE_INDUSTRY);

	cfg = saved;
	hauler = old;
}

/* A source's type of industry (issue 13): picked from [policy] industries,
 * shown in the person's language while the record keeps the stable value;
 * "other" typed (a typed label of the list is that entry); a value the list
 * no longer has kept as is; a remembered source keeps its own, not asked;
 * a list changed (as the plant's policy changes it) is the one offered; an
 * empty list is the keyboard. */
static void test_source_industry(void **state)
{
	struct config saved = cfg;
	struct card_info old = hauler;
	struct rig r;

	(void)state;
	config_defaults(&cfg);
	cfg.sample_random_rate = 0;
	/* the built-in list, each entry in the catalogue in both languages */
	assert_int_equal(session_n_industries(&cfg), 9);
	assert_string_equal(session_industry(&cfg, 0), "residential");
	assert_string_equal(session_industry(&cfg, 2), "car wash");
	assert_null(session_industry(&cfg, 9));
	for (int i = 0; i < session_n_industries(&cfg); i++) {
		const char *v = session_industry(&cfg, i);

		if (strcmp(session_industry_label(v, LANG_EN), v) == 0 ||
		    strcmp(session_industry_label(v, LANG_ES), v) == 0 ||
		    strcmp(session_industry_label(v, LANG_ES), session_industry_label(v, LANG_EN)) == 0)
			fail_msg("'%s' has no catalogue entry of its own in each language", v);
	}
	assert_string_equal(session_industry_label("car wash", LANG_ES), "Lavado de autos");
	assert_string_equal(session_industry_label("brewery", LANG_ES), "brewery");	/* as is */

	/* a new source: name and address typed, then the list's buttons */
	start(&r);
	card(&r, &hauler);
	type(&r, "1234");
	press(&r, "ok");
	press(&r, "lang_es");
	press(&r, "truck_1");
	press(&r, "waste_septage");
	press(&r, "new_source");
	press(&r, "focus_source_industry");		/* no longer a field here */
	field(&r, "source_industry", "car wash");
	assert_int_equal(r.f.message, R_INPUT_CHOICE);
	field(&r, "source_name", "Suds Car Wash");
	press(&r, "save");				/* no address */
	assert_int_equal(r.f.message, R_INPUT_EMPTY);
	assert_string_equal(r.f.focus, "source_address");
	field(&r, "source_address", "4 Main St");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCE_INDUSTRY);
	press(&r, "industry_10");			/* nine buttons */
	assert_int_equal(r.f.message, R_INPUT_CHOICE);
	press(&r, "keep_industry");			/* nothing to keep */
	assert_int_equal(r.f.message, R_INPUT_CHOICE);
	press(&r, "industry_3");
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	assert_string_equal(r.f.edit.industry, "car wash");	/* the key, in Spanish too */
	press(&r, "town_1");
	/* another, typed under "other": a label of the list in Spanish is that entry */
	press(&r, "new_source");
	field(&r, "source_name", "Taquería Sol");
	field(&r, "source_address", "5 Main St");
	press(&r, "save");
	press(&r, "other_industry");
	assert_int_equal(r.f.screen, SCR_OTHER_INDUSTRY);
	assert_string_equal(r.f.focus, "source_industry");
	press(&r, "save");				/* nothing typed */
	assert_int_equal(r.f.message, R_INPUT_EMPTY);
	type(&r, "  RESTAURANTE ");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	assert_string_equal(r.f.edit.industry, "restaurant");
	press(&r, "town_1");
	/* a third, typed: kept as typed, and shown as is when edited again */
	press(&r, "new_source");
	field(&r, "source_name", "Plant 4");
	field(&r, "source_address", "900 Mill Rd");
	press(&r, "save");
	press(&r, "other_industry");
	type(&r, "galvanoplastia");
	press(&r, "save");
	press(&r, "town_1");
	assert_int_equal(r.f.load.m.n_sources, 3);
	assert_string_equal(r.f.load.m.sources[2].industry, "galvanoplastia");
	press(&r, "edit_source_3");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_SOURCE_INDUSTRY);
	assert_true(session_industry_kept(&r.f, &cfg));
	press(&r, "other_industry");			/* typed before: kept to correct */
	assert_string_equal(r.f.edit.industry, "galvanoplastia");
	press(&r, "back");
	press(&r, "keep_industry");
	assert_int_equal(r.f.screen, SCR_SOURCE_TOWN);
	press(&r, "back");				/* the town goes back to the industry */
	assert_int_equal(r.f.screen, SCR_SOURCE_INDUSTRY);
	press(&r, "back");
	assert_int_equal(r.f.screen, SCR_SOURCE_EDIT);
	press(&r, "save");
	press(&r, "keep_industry");
	press(&r, "town_1");
	assert_int_equal(r.f.load.m.n_sources, 3);
	assert_string_equal(r.f.load.m.sources[2].industry, "galvanoplastia");
	press(&r, "next");
	type(&r, "2500");
	press(&r, "next");
	type(&r, "Septage");
	press(&r, "next");
	press(&r, "rcra_no");
	press(&r, "next");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_ACCEPTED);
	/* the copy of record, in Spanish, keeps the stable values */
	assert_non_null(strstr(r.f.load.record, ": car wash\n"));
	assert_non_null(strstr(r.f.load.record, ": restaurant\n"));
	assert_non_null(strstr(r.f.load.record, ": galvanoplastia\n"));
	press(&r, "cancel");

	/* the plant's list: its buttons; a remembered source whose industry
	 * the list has not keeps its own, and is not asked */
	cfg.n_industries = 2;
	snprintf(cfg.industries[0], sizeof cfg.industries[0], "brewery");
	snprintf(cfg.industries[1], sizeof cfg.industries[1], "dairy");
	to_sources(&r);
	press(&r, "known_1");
	assert_int_equal(r.f.screen, SCR_SOURCES);
	assert_string_equal(r.f.load.m.sources[0].industry, "residential");
	press(&r, "new_source");
	field(&r, "source_name", "Hop House");
	field(&r, "source_address", "7 Mill Rd");
	press(&r, "save");
	press(&r, "industry_3");
	assert_int_equal(r.f.message, R_INPUT_CHOICE);
	press(&r, "industry_1");
	assert_string_equal(r.f.edit.industry, "brewery");
	press(&r, "cancel");

	/* no list: the keyboard straight away, and back to the name */
	cfg.n_industries = 0;
	to_sources(&r);
	press(&r, "new_source");
	field(&r, "source_name", "Hop House");
	field(&r, "source_address", "7 Mill Rd");
	press(&r, "save");
	assert_int_equal(r.f.screen, SCR_OTHER_INDUSTRY);
	press(&r, "back");
	assert_int_equal(r.f.screen, SCR_SOURCE_EDIT);

	cfg = saved;
	hauler = old;
}

static void test_edit_from_review_keeps_the_rest(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	fill_form(&r, "waste_septage");
	press(&r, "back");
	assert_int_equal(r.f.screen, SCR_REVIEW);
	press(&r, "edit_volume");
	assert_int_equal(r.f.screen, SCR_VOLUME);
	press(&r, "clear");
	type(&r, "1800");
	press(&r, "next");
	/* straight back to review, nothing else retyped */
	assert_int_equal(r.f.screen, SCR_REVIEW);
	assert_int_equal(r.f.load.m.gallons, 1800);
	assert_string_equal(r.f.load.m.characteristics, "Septage");
	assert_int_equal(r.f.load.m.n_sources, 1);
	press(&r, "edit_rcra");
	press(&r, "rcra_unknown");
	assert_int_equal(r.f.screen, SCR_REVIEW);
	press(&r, "next");
	type(&r, "Dana Ruiz");
	press(&r, "certify");
	assert_int_equal(r.f.load.d.verdict, VERDICT_SAMPLE_HOLD);
	assert_int_equal(r.f.load.d.sample[0], R_SAMPLE_RCRA_UNKNOWN);
}

static void test_sample_hold_needs_operator(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	fill_form(&r, "waste_grease");	/* grease is sampled by default */
	press(&r, "certify");
	assert_int_equal(r.f.screen, SCR_SAMPLE_HOLD);
	press(&r, "start");			/* not on this screen */
	assert_false(r.valve);
	card(&r, &hauler);			/* the hauler's card does nothing */
	assert_int_equal(r.f.screen, SCR_SAMPLE_HOLD);
	card(&r, &op);
	assert_int_equal(r.f.screen, SCR_OPERATOR_PIN);
	type(&r, "1111");
	press(&r, "ok");
	assert_int_equal(r.last_msg, R_PIN_WRONG);
	type(&r, "987654");
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_SAMPLE);
	press(&r, "ok");
	assert_int_equal(r.last_msg, R_INPUT_EMPTY);
	type(&r, "B-42");
	press(&r, "ok");
	assert_string_equal(r.f.load.bottle, "B-42");
	assert_int_equal(r.printed[PRINT_LABEL], 1);
	assert_int_equal(r.f.screen, SCR_DISCHARGE_READY);
}

static void test_pin_lockout(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	card(&r, &hauler);
	for (int i = 1; i < cfg.pin_max_failures; i++) {
		type(&r, "0000");
		press(&r, "ok");
		assert_int_equal(r.last_msg, R_PIN_WRONG);
		assert_int_equal(r.f.screen, SCR_PIN);
	}
	type(&r, "0000");
	press(&r, "ok");
	assert_int_equal(r.last_msg, R_PIN_LOCKED);
	assert_int_equal(r.f.screen, SCR_START);
	assert_true(logged(&r, "pin_failed"));
	assert_true(logged(&r, "pin_lockout"));
}

/* The right PIN is right only with the station's PIN key: with another
 * key (another station's) or none, it is a wrong PIN, counted as one. */
static void test_pin_needs_the_key(void **state)
{
	static const uint8_t other[KEY_PIN] = {1, 2, 3};
	const struct {
		const char *what;	/* the key the caller passes */
		const uint8_t *key;
	} rows[] = {
		{ "another station's key", other },
		{ "no key", NULL },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct session_event e = {.kind = EV_PRESS, .now = now0, .button = "ok",
				       .pin_key = rows[i].key};
		struct actions out;
		struct rig r;
		int stored;

		start(&r);
		card(&r, &hauler);
		type(&r, "1234");
		session_step(&r.f, &cfg, &e, &out);	/* not ev(): it would add the key */
		apply(&r, &out, now0, &stored);
		if (r.f.screen != SCR_PIN || r.last_msg != R_PIN_WRONG || r.f.card.failures != 1)
			fail_msg("%s: screen %s, message %d", rows[i].what, screen_id(r.f.screen),
				 r.last_msg);
		/* the station's own key: the same PIN is right */
		type(&r, "1234");
		press(&r, "ok");
		assert_int_equal(r.f.screen, SCR_TRUCK);
	}
}

static void test_timeout_discards_entry(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	card(&r, &hauler);
	type(&r, "1234");
	press(&r, "ok");
	press(&r, "truck_1");
	tick(&r, cfg.inactivity_s - 1);
	assert_int_equal(r.f.screen, SCR_WASTE);
	tick(&r, 1);
	assert_int_equal(r.f.screen, SCR_START);
	assert_int_equal(r.last_msg, R_TIMEOUT);
	assert_true(logged(&r, "entry_discarded"));
	assert_int_equal(r.f.load.m.truck_id, 0);	/* the entry is gone */
}

static void test_discharge_max_time(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	fill_form(&r, "waste_septage");
	press(&r, "certify");
	press(&r, "start");
	tick(&r, cfg.max_discharge_s - 1);
	assert_true(r.valve);
	tick(&r, 1);
	assert_false(r.valve);
	assert_false(r.gate);
	assert_int_equal(r.last_msg, R_DISCHARGE_MAX_TIME);
	assert_int_equal(r.printed[PRINT_RECEIPT], 1);
	assert_int_equal(r.f.load.t.discharge_end - r.f.load.t.discharge_start, cfg.max_discharge_s);
}

static void test_fault_mid_discharge(void **state)
{
	struct rig r;
	struct session_event e;

	(void)state;
	start(&r);
	fill_form(&r, "waste_septage");
	press(&r, "certify");
	press(&r, "start");
	assert_true(r.valve);
	e = (struct session_event){.kind = EV_FAULT, .now = now0, .fault = R_FAULT_DB};
	ev(&r, &e);
	assert_false(r.valve);
	assert_false(r.gate);
	assert_int_equal(r.f.screen, SCR_OUT_OF_SERVICE);
	/* the fault says what failed: the database, not the relays */
	assert_int_equal(r.f.fault, R_FAULT_DB);
	assert_int_equal(r.last_msg, R_FAULT_DB);
	card(&r, &hauler);
	assert_int_equal(r.f.screen, SCR_OUT_OF_SERVICE);
	assert_int_equal(r.last_msg, R_FAULT_DB);
	card(&r, &op);
	type(&r, "987654");
	press(&r, "ok");
	press(&r, "clear_fault");
	assert_int_equal(r.f.screen, SCR_START);
}

/* The operator menu's "day summary" asks for the summary slip, no copy, no
 * relay; the menu stays. */
static void test_day_summary_button(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	press(&r, "day_summary");		/* not from the start screen */
	assert_int_equal(r.printed[PRINT_SUMMARY], 0);
	card(&r, &op);
	type(&r, "987654");
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	press(&r, "day_summary");
	assert_int_equal(r.printed[PRINT_SUMMARY], 1);
	assert_int_equal(r.printed[PRINT_RECEIPT], 0);
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	assert_false(r.gate);
	press(&r, "day_summary");
	assert_int_equal(r.printed[PRINT_SUMMARY], 2);
	press(&r, "exit");
	assert_int_equal(r.f.screen, SCR_START);
}

/* The operator menu's "reprint kept slips" asks once for every kept slip, as
 * copies; only from the operator menu, not from the hauler's screens; the menu
 * stays, no relay moves. */
static void test_reprint_kept_button(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	press(&r, "reprint_kept");		/* not from the start screen */
	assert_int_equal(r.kept_prints, 0);
	card(&r, &hauler);
	type(&r, "1234");
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_TRUCK);
	press(&r, "reprint_kept");		/* nor by a hauler */
	assert_int_equal(r.kept_prints, 0);
	press(&r, "cancel");
	tick(&r, 1);
	card(&r, &op);
	type(&r, "987654");
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	press(&r, "reprint_kept");
	assert_int_equal(r.kept_prints, 1);
	assert_int_equal(r.printed[PRINT_RECEIPT], 1);
	assert_int_equal(r.f.screen, SCR_OPERATOR);
	assert_false(r.gate);
	press(&r, "reprint");			/* the last receipt: not the kept ones */
	assert_int_equal(r.kept_prints, 1);
	assert_int_equal(r.printed[PRINT_RECEIPT], 2);
	press(&r, "exit");
	assert_int_equal(r.f.screen, SCR_START);
}

static void test_cards_at_start(void **state)
{
	struct rig r;
	struct card_info c;

	(void)state;
	start(&r);
	card(&r, &unknown);
	assert_int_equal(r.last_msg, R_CARD_UNKNOWN);
	assert_int_equal(r.f.screen, SCR_START);
	c = hauler;
	c.revoked = 1;
	card(&r, &c);
	assert_int_equal(r.last_msg, R_CARD_REVOKED);
	c = hauler;
	c.locked_until = now0 + 60;
	card(&r, &c);
	assert_int_equal(r.last_msg, R_PIN_LOCKED);
	c = hauler;
	snprintf(c.hauler.permit_to, sizeof c.hauler.permit_to, "2026-11-22");	/* lapsed yesterday */
	card(&r, &c);
	type(&r, "1234");
	press(&r, "ok");
	assert_int_equal(r.f.screen, SCR_REFUSED);
	assert_int_equal(r.last_msg, R_PERMIT_NOT_VALID);
	assert_true(logged(&r, "card_refused"));
}

static void test_rv_visit(void **state)
{
	struct rig r;

	(void)state;
	start(&r);
	press(&r, "rv");
	assert_int_equal(r.f.screen, SCR_RV_SIGNIN);
	type(&r, "Lee");
	press(&r, "next");
	assert_int_equal(r.last_msg, R_INPUT_EMPTY);
	assert_string_equal(r.f.focus, "rv_plate");
	type(&r, "7ABC123");
	press(&r, "focus_rv_state");
	type(&r, "CO");
	press(&r, "next");
	press(&r, "accept");
	press(&r, "declare_yes");
	assert_int_equal(r.f.screen, SCR_RV_DUMP);
	assert_true(r.gate);
	tick(&r, cfg.rv_max_dump_s);
	assert_false(r.gate);
	assert_int_equal(r.f.screen, SCR_RV_DONE);
}

/* A whole load without asserts, from wherever the walk is. */
static void try_load(struct rig *r)
{
	card(r, &hauler);
	type(r, "1234");
	press(r, "ok");
	press(r, "truck_1");
	press(r, "waste_septage");
	press(r, "known_1");
	press(r, "next");
	type(r, "1000");
	press(r, "next");
	type(r, "Septage");
	press(r, "next");
	press(r, "rcra_no");
	press(r, "next");
	type(r, "Dana Ruiz");
	press(r, "certify");
	press(r, "start");
}

/* One meter event of the walk, picked by x: mostly the totaliser going up,
 * sometimes a failure, a restart from zero or a reading no meter can give
 * (negative, NaN, huge).  A reading off the discharging screen must change
 * nothing at all. */
static void walk_meter(struct rig *r, uint32_t x, double *total)
{
	struct session_event e = {.kind = EV_METER, .now = now0, .mono = now0 - skew};
	struct actions out;
	long before = r->f.load.gallons_measured;
	int stored, discharging = r->f.screen == SCR_DISCHARGING;

	switch (x % 16) {
	case 0:
		e.fault = R_METER_FAILED;
		break;
	case 1:
		*total = (double)(x >> 4 & 63);	/* the meter restarted */
		e.gallons = *total;
		break;
	case 2:
		e.gallons = (x >> 4) & 1 ? -5.0 : ((x >> 5) & 1 ? NAN : 1e16);
		break;
	default:
		*total += (double)((x >> 4) % 400);
		e.gallons = *total;
		break;
	}
	session_step(&r->f, &cfg, &e, &out);
	apply(r, &out, e.now, &stored);
	check_safe(r);
	assert_false(stored);
	for (int i = 0; i < out.n; i++)
		assert_int_not_equal(out.a[i].kind, ACT_RELAY);	/* readings never move a relay */
	if (!discharging) {
		assert_int_equal(out.n, 0);
		assert_int_equal(r->f.load.gallons_measured, before);
	}
}

/* A long random walk: whatever happens, the relays obey the rules. */
static void test_random_walk_is_fail_secure(void **state)
{
	static const char *const buttons[] = {
		"ok", "next", "back", "cancel", "start", "stop", "done", "certify", "save",
		"truck_1", "truck_2", "waste_septage", "waste_grease", "waste_industrial",
		"known_1", "new_source", "edit_source_1", "remove_source_1", "rcra_no",
		"town_1", "town_2", "other_town", "industry_1", "industry_2", "other_industry",
		"keep_industry", "rcra_yes", "rcra_unknown", "edit_volume", "edit_sources", "rv", "accept",
		"declare_yes", "declare_no", "lang_es", "lang_en", "open_gate", "close_gate",
		"flag_next", "repeat_last", "reprint", "reprint_kept", "day_summary", "exit", "clear_fault", "focus_source_address",
		"backspace", "clear",
	};
	static const char *const texts[] = {"1234", "987654", "0000", "2500", "x", "Dana",
					    "B-1", "\xff", "12 Oak St"};
	static const char *const fields[] = {"source_name", "source_address",
					     "source_industry", "source_town", "characteristics", "signer",
					     "gallons", "rv_name", "rv_plate", "rv_state"};
	struct rig r;
	struct config saved = cfg;
	uint32_t seed = 12345;
	uint32_t mseed = 2463534242u;	/* the meter's readings */
	double total = 0;		/* the simulated meter's totaliser */
	int fed = 0;			/* readings fed while discharging */

	(void)state;
	snprintf(cfg.meter, sizeof cfg.meter, "sim:walk");	/* a station with a flow meter */
	start(&r);
	for (int i = 0; i < 20000; i++) {
		uint32_t x;
		seed = seed * 1103515245u + 12345u;	/* fixed sequence: a repeatable walk */
		x = seed >> 8;
		switch (x % 10) {
		case 8:
		case 9:
			mseed ^= mseed << 13;	/* its own sequence: the walk's low bits repeat */
			mseed ^= mseed >> 17;
			mseed ^= mseed << 5;
			fed += r.f.screen == SCR_DISCHARGING;
			walk_meter(&r, mseed, &total);
			break;
		case 0:
			if ((x >> 4) % 8 == 0)	/* now and then the wall clock steps, up to 2 h */
				wall_step((long)((x >> 7) % 14401) - 7200);
			tick(&r, 1 + (long)(x >> 4) % 200);
			break;
		case 1:
			card(&r, (x >> 4) % 3 == 0 ? &hauler : (x >> 4) % 3 == 1 ? &op : &unknown);
			break;
		case 2:
		case 3:
		case 4:
			press(&r, buttons[(x >> 4) % HG_ARRAY_LEN(buttons)]);
			break;
		case 5:
			type(&r, texts[(x >> 4) % HG_ARRAY_LEN(texts)]);
			break;
		case 6:
			field(&r, fields[(x >> 4) % HG_ARRAY_LEN(fields)],
			      texts[(x >> 8) % HG_ARRAY_LEN(texts)]);
			break;
		default:
			if ((x >> 4) % 4 == 0) {
				try_load(&r);
			} else {
				struct session_event e = {.kind = (x >> 4) % 16 ? EV_TICK : EV_FAULT,
						       .now = now0, .fault = R_FAULT_RELAY};
				ev(&r, &e);
			}
			break;
		}
	}
	cfg = saved;
	/* and the walk went somewhere: loads were decided, valves opened, the
	 * meter counted, failed and restarted while they were open */
	assert_true(r.next_no > 10);
	assert_true(r.opened > 10);
	assert_true(fed > 100);
	assert_true(r.meter_logs > 10);
}

/* ---- the flow meter ---- */

static void meter(struct rig *r, double g)
{
	struct session_event e = {.kind = EV_METER, .now = now0, .gallons = g};
	ev(r, &e);
}

static void meter_fail(struct rig *r)
{
	struct session_event e = {.kind = EV_METER, .now = now0, .fault = R_METER_FAILED};
	ev(r, &e);
}

/* An accepted load of 2,500 declared gallons up to the discharging screen. */
static void to_discharging(struct rig *r)
{
	start(r);
	hauler.hauler.loads_total = 3;
	fill_form(r, "waste_septage");
	press(r, "certify");
	assert_int_equal(r->f.screen, SCR_DISCHARGE_READY);
	press(r, "start");
	assert_int_equal(r->f.screen, SCR_DISCHARGING);
}

/* The ACT_DISCHARGE off of the last stop: its gallons and flag. */
static const struct action *discharge_end(struct rig *r, const char *button, struct actions *out)
{
	struct session_event e = {.kind = EV_PRESS, .now = now0, .mono = now0 - skew, .button = button};
	int stored;

	session_step(&r->f, &cfg, &e, out);
	apply(r, out, now0, &stored);
	for (int i = 0; i < out->n; i++)
		if (out->a[i].kind == ACT_DISCHARGE && !out->a[i].on)
			return &out->a[i];
	fail_msg("no discharge end");
	return NULL;
}

static void test_meter_none(void **state)
{
	struct actions out;
	const struct action *a;
	struct rig r;

	(void)state;
	cfg.meter[0] = '\0';
	to_discharging(&r);
	meter(&r, 1000);	/* a stray reading with no meter configured: ignored */
	meter(&r, 1500);
	assert_int_equal(r.f.load.gallons_measured, 0);
	a = discharge_end(&r, "stop", &out);
	assert_int_equal(a->gallons, 0);
	assert_int_equal(a->reason, R_NONE);
	assert_int_equal(r.f.load.meter_flag, R_NONE);
	assert_false(logged(&r, "meter_mismatch"));
}

/* Each row: readings fed while the valve is open (F = the meter failed),
 * what the load ends with. */
static const struct meter_row {
	const char *what;
	double readings[6];	/* < 0: end of list; -2: a failed reading */
	long measured;
	enum reason flag;
	const char *event;	/* logged on the way, or NULL */
} meter_rows[] = {
	{ "2,480 of 2,500: within 10 %", {90000, 91000, 92480, -1}, 2480, R_NONE, NULL },
	{ "exactly declared", {0, 2500, -1}, 2500, R_NONE, NULL },
	{ "1,200 of 2,500: flagged", {500, 1700, -1}, 1200, R_METER_MISMATCH, "meter_mismatch" },
	{ "3,000 of 2,500: more is flagged too", {0, 3000, -1}, 3000, R_METER_MISMATCH, "meter_mismatch" },
	{ "the baseline failed: not measured", {-2, 100, 2500, -1}, 2400, R_METER_FAILED, "meter_failed" },
	{ "failed at the end: not measured", {0, 2000, -2, -1}, 2000, R_METER_FAILED, "meter_failed" },
	{ "failed mid-load, back by the end", {0, 1000, -2, 2490, -1}, 2490, R_NONE, "meter_recovered" },
	{ "restarted from zero mid-load", {9000, 9600, 0, 1900, -1}, 2500, R_NONE, "meter_reset" },
	{ "no reading at all: not measured", {-1}, 0, R_METER_FAILED, NULL },
	{ "nonsense (NaN) is a failure", {0, 2500, NAN, -1}, 2500, R_METER_FAILED, NULL },
};

static void test_meter_readings(void **state)
{
	(void)state;
	snprintf(cfg.meter, sizeof cfg.meter, "sim:var/meter");
	cfg.meter_mismatch = 0.10;
	cfg.meter_mismatch_min = 25;
	for (size_t i = 0; i < HG_ARRAY_LEN(meter_rows); i++) {
		const struct meter_row *row = &meter_rows[i];
		struct actions out;
		const struct action *a;
		struct rig r;

		print_message("  %s\n", row->what);
		to_discharging(&r);
		for (int k = 0; k < 6 && !(row->readings[k] < 0 && row->readings[k] > -1.5); k++) {
			if (row->readings[k] == -2)
				meter_fail(&r);
			else
				meter(&r, row->readings[k]);
			tick(&r, 1);
		}
		a = discharge_end(&r, "stop", &out);
		assert_int_equal(a->gallons, row->measured);
		assert_int_equal(a->reason, row->flag);
		assert_int_equal(r.f.load.gallons_measured, row->measured);
		assert_int_equal(r.f.load.meter_flag, row->flag);
		if (row->event)
			assert_true(logged(&r, row->event));
		/* a flag is logged with its numbers, before the receipt is printed */
		for (int k = 0; row->flag && k < out.n; k++)
			if (out.a[k].kind == ACT_LOG && strcmp(out.a[k].event, reason_code(row->flag)) == 0) {
				char want[128];

				snprintf(want, sizeof want, "{\"declared\":2500,\"measured\":%ld,", row->measured);
				assert_non_null(strstr(out.a[k].detail, want));
				assert_non_null(strstr(out.a[k].detail, "\"share\":0.1"));
			}
		assert_int_equal(r.printed[PRINT_RECEIPT], 1);
	}
	cfg.meter[0] = '\0';
}

/* Both limits must be passed: the share of the declared 2,500 gallons and
 * the minimum difference; with both 0 any difference is flagged. */
static void test_meter_minimum(void **state)
{
	static const struct {
		long min;
		double share;
		double end;
		enum reason flag;
	} rows[] = {
		{ 25, 0.10, 2460, R_NONE },		/* 40 short is 1.6 %: under 10 % */
		{ 25, 0.01, 2460, R_METER_MISMATCH },	/* 40 short: over 1 % and over 25 */
		{ 50, 0.01, 2460, R_NONE },		/* 40 short: over 1 %, under the 50 minimum */
		{ 25, 0.001, 2480, R_NONE },		/* 20 short: over 0.1 %, under 25 */
		{ 0, 0.0, 2499, R_METER_MISMATCH },	/* no tolerance at all */
		{ 0, 0.0, 2500, R_NONE },
	};

	(void)state;
	snprintf(cfg.meter, sizeof cfg.meter, "sim:var/meter");
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct actions out;
		const struct action *a;
		struct rig r;
		enum reason want = rows[i].flag;

		cfg.meter_mismatch_min = rows[i].min;
		cfg.meter_mismatch = rows[i].share;
		to_discharging(&r);
		meter(&r, 0);
		meter(&r, rows[i].end);
		a = discharge_end(&r, "stop", &out);
		assert_int_equal(a->reason, want);
	}
	cfg.meter[0] = '\0';
	cfg.meter_mismatch = 0.10;
	cfg.meter_mismatch_min = 25;
}

/* The time limit and a fault end the discharge with the last count too; a
 * fault closes the valve before anything is recorded. */
static void test_meter_time_limit_and_fault(void **state)
{
	struct session_event e;
	struct actions out;
	struct rig r;
	int valve_at = -1, end_at = -1;
	long long no;

	(void)state;
	snprintf(cfg.meter, sizeof cfg.meter, "sim:var/meter");
	to_discharging(&r);
	meter(&r, 10);
	meter(&r, 2510);
	tick(&r, cfg.max_discharge_s);
	assert_int_equal(r.f.screen, SCR_DONE);
	assert_int_equal(r.f.load.gallons_measured, 2500);
	assert_int_equal(r.f.load.meter_flag, R_NONE);

	to_discharging(&r);
	meter(&r, 0);
	meter(&r, 700);
	no = r.f.load.load_no;
	assert_true(no > 0);
	e = (struct session_event){.kind = EV_FAULT, .now = now0, .fault = R_FAULT_RELAY};
	session_step(&r.f, &cfg, &e, &out);
	for (int i = 0; i < out.n; i++) {
		if (out.a[i].kind == ACT_RELAY && strcmp(out.a[i].name, "valve") == 0 && valve_at < 0)
			valve_at = i;
		if (out.a[i].kind == ACT_DISCHARGE && !out.a[i].on) {
			end_at = i;
			assert_int_equal(out.a[i].gallons, 700);
			assert_int_equal(out.a[i].reason, R_METER_MISMATCH);
			assert_int_equal(out.a[i].id, no);	/* the session lets the load go after */
			assert_string_equal(out.a[i].detail, "fault");
		}
	}
	assert_true(valve_at >= 0 && end_at > valve_at);
	assert_int_equal(r.f.screen, SCR_OUT_OF_SERVICE);
	cfg.meter[0] = '\0';
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted_load),
		cmocka_unit_test(test_offline_waste_now),
		cmocka_unit_test(test_source_town),
		cmocka_unit_test(test_source_industry),
		cmocka_unit_test(test_edit_from_review_keeps_the_rest),
		cmocka_unit_test(test_sample_hold_needs_operator),
		cmocka_unit_test(test_pin_lockout),
		cmocka_unit_test(test_pin_needs_the_key),
		cmocka_unit_test(test_timeout_discards_entry),
		cmocka_unit_test(test_discharge_max_time),
		cmocka_unit_test(test_fault_mid_discharge),
		cmocka_unit_test(test_day_summary_button),
		cmocka_unit_test(test_reprint_kept_button),
		cmocka_unit_test(test_cards_at_start),
		cmocka_unit_test(test_rv_visit),
		cmocka_unit_test(test_meter_none),
		cmocka_unit_test(test_meter_readings),
		cmocka_unit_test(test_meter_minimum),
		cmocka_unit_test(test_meter_time_limit_and_fault),
		cmocka_unit_test(test_random_walk_is_fail_secure),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
