/* test_reason.c: the table of reason codes (core/reason.c).
 *
 * One row per reason in enum order, a unique code of [a-z0-9_] for each that
 * maps back to its reason, and the lookups' edges: R_NONE, reasons out of
 * range, strings that are not codes.  The messages are test_i18n's. */
#include "testutil.h"

#include "../../core/hg.h"
#include "../../core/reason.h"

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
		if (reason_row(i) != i)
			fail_msg("row %d holds reason %d (\"%s\")", i, reason_row(i),
				 reason_code((enum reason)reason_row(i)));
	/* outside the table */
	assert_int_equal(reason_row(-1), -1);
	assert_int_equal(reason_row(R_COUNT), -1);
}

/* Every reason has a well-formed, unique code that maps back to it. */
static void test_codes(void **state)
{
	(void)state;
	for (int r = 1; r < R_COUNT; r++) {
		const char *code = reason_code((enum reason)r);

		assert_non_null(code);
		if (!code_chars_ok(code))
			fail_msg("reason %d: code \"%s\" is not [a-z0-9_]+", r, code);
		if (code[0] == '_' || code[strlen(code) - 1] == '_')
			fail_msg("reason %d: code \"%s\" starts or ends with '_'", r, code);
		if (reason_parse(code) != (enum reason)r)
			fail_msg("reason %d: reason_parse(\"%s\") = %d", r, code, reason_parse(code));
		for (int o = 0; o < r; o++)
			if (strcmp(code, reason_code((enum reason)o)) == 0)
				fail_msg("reasons %d and %d share the code \"%s\"", o, r, code);
	}
}

/* R_NONE, out-of-range reasons, strings that are not codes. */
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
	assert_string_equal(reason_code(R_NONE), "none");
	assert_string_equal(reason_code(R_COUNT), "none");
	assert_string_equal(reason_code((enum reason)1000), "none");
	for (size_t i = 0; i < HG_ARRAY_LEN(unknown); i++)
		assert_int_equal(reason_parse(unknown[i]), R_NONE);
	assert_int_equal(reason_parse(NULL), R_NONE);
	assert_int_equal(reason_parse("card_unknown"), R_CARD_UNKNOWN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows_in_order),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_edges),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
