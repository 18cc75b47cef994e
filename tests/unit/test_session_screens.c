/* test_session_screens.c: the screen table of the session state machine
 * (core/session.c's screens[], read through session_screen()): every screen has a
 * row, a name the scenarios can use and get back, an event handler; what
 * happens on entering a screen (its focused field) is its row's, whichever
 * way the session got there; a state that names no screen starts again with
 * the relays off.  The rig is fixture_session.h's. */
#include "testutil.h"
#include "fixture_session.h"
#include "../../core/session_int.h"

/* Every enum screen has its row: a unique name that parses back to it, a
 * handler, a focus ("" or a field), a way of waiting.  A row left out of
 * the table's middle (the build's _Static_assert only sees its length)
 * fails here. */
static void test_every_screen_has_a_row(void **state)
{
	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		const struct screen_def *d = session_screen((enum screen)s);

		assert_non_null(d);
		if (!d->name || !d->name[0] || !d->event || !d->focus)
			fail_msg("screen %d has no row (name %s, handler %s, focus %s)", s,
				 d->name ? d->name : "none", d->event ? "yes" : "none",
				 d->focus ? "set" : "none");
		assert_true(d->wait >= WAIT_INPUT && d->wait <= WAIT_HOLD);
		assert_string_equal(screen_id((enum screen)s), d->name);
		if (screen_parse(d->name) != s)
			fail_msg("screen %s parses back to %d, not %d", d->name,
				 screen_parse(d->name), s);
		for (int t = 0; t < s; t++)
			if (strcmp(session_screen((enum screen)t)->name, d->name) == 0)
				fail_msg("screens %d and %d are both '%s'", t, s, d->name);
		/* the relays may be on only where the valve or a gate is meant
		 * to be: the table says what session_relays_live() answers */
		{
			struct session f = {.screen = (enum screen)s};
			assert_int_equal(session_relays_live(&f), d->live);
		}
	}
	/* past the table: no row, no name, no id */
	assert_null(session_screen(SCR_COUNT));
	assert_null(session_screen((enum screen)-1));
	assert_string_equal(screen_id(SCR_COUNT), "");
	assert_int_equal(screen_parse("no_such_screen"), -1);
	assert_int_equal(screen_parse(""), -1);
	assert_int_equal(screen_parse(NULL), -1);
}

/* How a test gets the rig to a screen, from a fresh start. */
static void to_source_edit(struct rig *r)
{
	card(r, &hauler);
	type(r, "1234");
	press(r, "ok");
	press(r, "truck_1");
	press(r, "waste_septage");
	press(r, "new_source");
}

static void to_review_then_details(struct rig *r)
{
	fill_form(r, "waste_septage");
	press(r, "back");		/* certify -> review */
	press(r, "edit_details");
}

static void to_certify(struct rig *r)
{
	fill_form(r, "waste_septage");
}

static void to_certify_and_back(struct rig *r)
{
	fill_form(r, "waste_septage");
	press(r, "back");
}

static void to_rv_signin(struct rig *r)
{
	press(r, "rv");
}

static void to_override(struct rig *r)
{
	card(r, &op);
	type(r, "987654");
	press(r, "ok");
	press(r, "open_gate");		/* override: its one line has no field */
}

static void to_rv_rules(struct rig *r)
{
	press(r, "rv");
	field(r, "rv_name", "Lee");
	field(r, "rv_plate", "ABC123");
	field(r, "rv_state", "MO");
	press(r, "next");
}

/* On entering a screen, the field of its row has the focus, whatever the
 * handler that showed it had set before; a screen re-shown (the language)
 * keeps the focus the person moved to. */
static void test_entry_focuses_the_rows_field(void **state)
{
	static const struct {
		const char *what;
		void (*go)(struct rig *);
		enum screen screen;
		const char *focus;	/* what the person sees focused */
	} rows[] = {
		/* a new source: its name first */
		{"new source", to_source_edit, SCR_SOURCE_EDIT, "source_name"},
		/* an edit from review lands on the details' first field */
		{"review, edit details", to_review_then_details, SCR_DETAILS, "characteristics"},
		/* certify: the signer's name */
		{"certify", to_certify, SCR_CERTIFY, "signer"},
		/* back to review: a screen of buttons, no field */
		{"certify, back", to_certify_and_back, SCR_REVIEW, ""},
		/* an RV visitor: the name first */
		{"rv sign-in", to_rv_signin, SCR_RV_SIGNIN, "rv_name"},
		/* the operator's override: the one-line input, no form field */
		{"override", to_override, SCR_OVERRIDE, ""},
		/* rules after sign-in: nothing focused */
		{"rv rules", to_rv_rules, SCR_RV_RULES, ""},
	};
	struct rig r;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		start(&r);
		rows[i].go(&r);
		if (r.f.screen != rows[i].screen)
			fail_msg("%s: at %s, want %s", rows[i].what, screen_id(r.f.screen),
				 screen_id(rows[i].screen));
		if (strcmp(r.f.focus, rows[i].focus) != 0)
			fail_msg("%s: focus '%s', want '%s'", rows[i].what, r.f.focus,
				 rows[i].focus);
		assert_string_equal(r.f.focus, session_screen(r.f.screen)->focus);
		assert_int_equal(r.f.entering, 0);	/* entered: nothing left due */
	}

	/* the focus moved by the person stays through a change of language */
	start(&r);
	to_source_edit(&r);
	press(&r, "focus_source_address");
	press(&r, "lang_es");
	assert_int_equal(r.f.screen, SCR_SOURCE_EDIT);
	assert_string_equal(r.f.focus, "source_address");
}

/* A state that names no screen (memory gone wrong) is not stepped through
 * a table it is not in: the session ends, relays off, at the start. */
static void test_no_such_screen_starts_again(void **state)
{
	static const int bad[] = {SCR_COUNT, SCR_COUNT + 7, -1};
	struct rig r;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		start(&r);
		r.gate = r.valve = 1;	/* as if they were on: the end must turn them off */
		r.f.screen = (enum screen)bad[i];
		tick(&r, 1);
		assert_int_equal(r.f.screen, SCR_START);
		assert_false(r.gate);
		assert_false(r.valve);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_screen_has_a_row),
		cmocka_unit_test(test_entry_focuses_the_rows_field),
		cmocka_unit_test(test_no_such_screen_starts_again),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
