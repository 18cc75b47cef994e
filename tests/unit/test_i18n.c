/* test_i18n.c: the reason codes and their messages (core/i18n.c).
 *
 * The table itself is what is tested: one row per reason in enum order, a
 * unique code of [a-z0-9_] for each, an English and a Spanish message for
 * each, and a Spanish message that is not a copy of the English one.  Then
 * the lookups both ways, out-of-range arguments, and the language codes. */
#include "testutil.h"

#include "../../core/i18n.h"
#include "../../core/text.h"

/* Longest message, in characters: one or two sentences fit on the screen. */
#define MSG_MAX 200

static int code_chars_ok(const char *code)
{
	if (!*code)
		return 0;
	for (const char *c = code; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_'))
			return 0;
	return 1;
}

/* The table's rows are in enum order: row i is reason i. */
static void test_rows_in_order(void **state)
{
	(void)state;
	for (int i = 0; i < R_COUNT; i++)
		if (i18n_row_reason(i) != i)
			fail_msg("row %d holds reason %d (\"%s\")", i, i18n_row_reason(i),
				 i18n_code((enum reason)i18n_row_reason(i)));
	/* outside the table */
	assert_int_equal(i18n_row_reason(-1), -1);
	assert_int_equal(i18n_row_reason(R_COUNT), -1);
}

/* Every reason has a well-formed, unique code that maps back to it. */
static void test_codes(void **state)
{
	(void)state;
	for (int r = 1; r < R_COUNT; r++) {
		const char *code = i18n_code((enum reason)r);

		assert_non_null(code);
		if (!code_chars_ok(code))
			fail_msg("reason %d: code \"%s\" is not [a-z0-9_]+", r, code);
		if (code[0] == '_' || code[strlen(code) - 1] == '_')
			fail_msg("reason %d: code \"%s\" starts or ends with '_'", r, code);
		if (i18n_reason(code) != (enum reason)r)
			fail_msg("reason %d: i18n_reason(\"%s\") = %d", r, code, i18n_reason(code));
		for (int o = 0; o < r; o++)
			if (strcmp(code, i18n_code((enum reason)o)) == 0)
				fail_msg("reasons %d and %d share the code \"%s\"", o, r, code);
	}
}

/* Every reason has both messages; the Spanish one is a translation, not a
 * copy; both are clean one-line text of reasonable length. */
static void test_messages(void **state)
{
	(void)state;
	for (int r = 1; r < R_COUNT; r++) {
		const char *code = i18n_code((enum reason)r);

		for (int l = 0; l < LANG_COUNT; l++) {
			const char *msg = i18n_msg((enum reason)r, (enum lang)l);
			enum text_fault f;

			if (!msg || !*msg)
				fail_msg("%s: no %s message", code, i18n_lang_code((enum lang)l));
			f = text_check(msg, MSG_MAX, 1);
			if (f != TEXT_OK)
				fail_msg("%s (%s): text_check fault %d", code,
					 i18n_lang_code((enum lang)l), (int)f);
			if (msg[0] == ' ' || msg[strlen(msg) - 1] == ' ')
				fail_msg("%s (%s): spaces around the message", code,
					 i18n_lang_code((enum lang)l));
		}
		if (strcmp(i18n_msg((enum reason)r, LANG_EN), i18n_msg((enum reason)r, LANG_ES)) == 0)
			fail_msg("%s: the Spanish message is the English one", code);
	}
}

/* R_NONE, out-of-range reasons and languages, unknown codes. */
static void test_edges(void **state)
{
	static const char *const unknown[] = {
		"",			/* empty */
		"none",			/* R_NONE's code maps to R_NONE */
		"Card_Unknown",		/* codes are lowercase */
		"card_unknown ",	/* nothing around the code */
		"card-unknown",		/* '_' not '-' */
		"no_such_reason",	/* not a code */
	};

	(void)state;
	assert_string_equal(i18n_code(R_NONE), "none");
	assert_string_equal(i18n_code(R_COUNT), "none");
	assert_string_equal(i18n_code((enum reason)1000), "none");
	for (size_t i = 0; i < HG_ARRAY_LEN(unknown); i++)
		assert_int_equal(i18n_reason(unknown[i]), R_NONE);
	assert_int_equal(i18n_reason(NULL), R_NONE);
	assert_string_equal(i18n_msg(R_NONE, LANG_EN), "");
	assert_string_equal(i18n_msg(R_COUNT, LANG_EN), "");
	assert_string_equal(i18n_msg(R_CARD_UNKNOWN, LANG_COUNT), "");
	assert_string_equal(i18n_msg(R_CARD_UNKNOWN, (enum lang)-1), "");
}

static void test_lang(void **state)
{
	static const struct {
		const char *s;
		int want;
	} rows[] = {
		{ "en", LANG_EN },	/* the two languages */
		{ "es", LANG_ES },
		{ "EN", -1 },		/* codes are lowercase */
		{ "Es", -1 },
		{ "", -1 },		/* empty */
		{ "en ", -1 },		/* nothing around the code */
		{ "en-US", -1 },	/* no regions */
		{ "eng", -1 },		/* two letters */
		{ "fr", -1 },		/* a language we do not have */
		{ NULL, -1 },		/* no string */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		if (i18n_lang_parse(rows[i].s) != rows[i].want)
			fail_msg("\"%s\": %d, want %d", rows[i].s ? rows[i].s : "(null)",
				 i18n_lang_parse(rows[i].s), rows[i].want);
	/* round trip */
	for (int l = 0; l < LANG_COUNT; l++)
		assert_int_equal(i18n_lang_parse(i18n_lang_code((enum lang)l)), l);
	assert_string_equal(i18n_lang_code(LANG_EN), "en");
	assert_string_equal(i18n_lang_code(LANG_ES), "es");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_in_order),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_lang),
	};

	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
