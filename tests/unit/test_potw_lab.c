/* test_potw_lab.c: lab values against the plant's limits (potw/lab.c).
 *
 * Tables: decimals typed and the exact millionths kept (or why refused);
 * values written back; the verdict of a value against section 2.1's pH
 * minimum and a metal's maximum, at, just past and far from the limit, an
 * unknown parameter and a unit that is not the parameter's; dates of
 * analysis against today and the day sampled.  Start reading at main(). */
#include "testutil.h"

#include "../../potw/lab.h"

struct dec_case {
	const char *in;
	int neg_ok;
	enum lab_why why;
	long long v;		/* millionths, when LAB_OK */
};

static const struct dec_case decs[] = {
	{ "4.2", 0, LAB_OK, 4200000 },		/* a pH */
	{ "5", 0, LAB_OK, 5000000 },		/* no decimal point */
	{ "5.000000", 0, LAB_OK, 5000000 },	/* six places, all kept */
	{ "0.0005", 0, LAB_OK, 500 },		/* mercury in mg/L */
	{ ".5", 0, LAB_OK, 500000 },		/* no leading zero */
	{ " 12.25 ", 0, LAB_OK, 12250000 },	/* spaces around it */
	{ "-3.5", 1, LAB_OK, -3500000 },	/* a temperature may be below zero */
	{ "-3.5", 0, LAB_BAD_NEGATIVE, 0 },	/* a concentration may not */
	{ "-0", 0, LAB_OK, 0 },			/* minus zero is zero */
	{ "4,2", 0, LAB_BAD_COMMA, 0 },		/* a decimal comma: said, not misread */
	{ "1,000", 0, LAB_BAD_COMMA, 0 },	/* a thousands comma: the same */
	{ "0.0000001", 0, LAB_BAD_PLACES, 0 },	/* seven places */
	{ "abc", 0, LAB_BAD_NUMBER, 0 },	/* a word */
	{ "4.2.1", 0, LAB_BAD_NUMBER, 0 },	/* two points */
	{ "", 0, LAB_BAD_NUMBER, 0 },		/* nothing */
	{ "-", 1, LAB_BAD_NUMBER, 0 },		/* a sign alone */
	{ "4 2", 0, LAB_BAD_NUMBER, 0 },	/* a space inside */
	{ "1e3", 0, LAB_BAD_NUMBER, 0 },	/* no exponents */
	{ "<script>", 0, LAB_BAD_NUMBER, 0 },	/* markup */
	{ "999999999999.999999", 0, LAB_OK, 999999999999999999LL },	/* the largest */
	{ "1000000000000", 0, LAB_BAD_RANGE, 0 },	/* 10^12 */
	{ "99999999999999999999", 0, LAB_BAD_RANGE, 0 },	/* would overflow */
};

static void test_dec_parse(void **state)
{
	size_t i;
	long long v;

	(void)state;
	for (i = 0; i < sizeof decs / sizeof decs[0]; i++) {
		enum lab_why why = lab_dec_parse(decs[i].in, decs[i].neg_ok, &v);

		if (why != decs[i].why)
			fail_msg("row %zu '%s': why %d, want %d", i, decs[i].in, why, decs[i].why);
		if (why == LAB_OK && v != decs[i].v)
			fail_msg("row %zu '%s': %lld, want %lld", i, decs[i].in, v, decs[i].v);
	}
}

static void test_dec_format(void **state)
{
	static const struct { long long v; const char *out; } rows[] = {
		{ 4200000, "4.2" }, { 5000000, "5" }, { 500, "0.0005" }, { 0, "0" },
		{ -3500000, "-3.5" }, { 1, "0.000001" }, { 999999999999999999LL, "999999999999.999999" },
	};
	char buf[LAB_DEC_MAX];
	long long back;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		assert_string_equal(lab_dec_format(rows[i].v, buf), rows[i].out);
		assert_int_equal(lab_dec_parse(buf, 1, &back), LAB_OK);	/* reads back */
		assert_true(back == rows[i].v);
	}
}

/* pH: section 2.1.B.2's minimum 5.0 and a local maximum 12.5; copper: a
 * local maximum of 2.5 mg/L; BOD: no limit at all */
static const struct lab_param params[] = {
	{ "pH", "SU", 1, 1, 5000000, 12500000, "2.1.B.2" },
	{ "Cu", "mg/L", 0, 1, 0, 2500000, "2.3" },
	{ "BOD", "mg/L", 0, 0, 0, 0, "2.3" },
};

struct judge_case {
	const char *param, *unit, *value;
	enum lab_why why;
	enum lab_verdict v;
};

static const struct judge_case judges[] = {
	{ "pH", "SU", "4.9", LAB_OK, LAB_BELOW_MIN },	/* just under the prohibition */
	{ "pH", "SU", "4.2", LAB_OK, LAB_BELOW_MIN },	/* the test's acid load */
	{ "pH", "SU", "5.0", LAB_OK, LAB_WITHIN },	/* exactly at the minimum: allowed */
	{ "pH", "SU", "4.999999", LAB_OK, LAB_BELOW_MIN },	/* a millionth under */
	{ "pH", "SU", "7", LAB_OK, LAB_WITHIN },	/* neutral */
	{ "pH", "SU", "12.5", LAB_OK, LAB_WITHIN },	/* exactly at the maximum */
	{ "pH", "SU", "12.500001", LAB_OK, LAB_ABOVE_MAX },	/* a millionth over */
	{ "pH", "su", "7", LAB_OK, LAB_WITHIN },	/* the unit's case does not matter */
	{ "Cu", "mg/L", "2.6", LAB_OK, LAB_ABOVE_MAX },	/* a metal over its maximum */
	{ "Cu", "mg/l", "2.5", LAB_OK, LAB_WITHIN },	/* at it */
	{ "Cu", "mg/L", "0", LAB_OK, LAB_WITHIN },	/* no minimum: zero is fine */
	{ "BOD", "mg/L", "99999", LAB_OK, LAB_WITHIN },	/* no limit: nothing exceeds */
	{ "Cu", "ug/L", "2600", LAB_BAD_UNIT, LAB_WITHIN },	/* another unit: refused, not judged */
	{ "Zn", "mg/L", "3", LAB_UNKNOWN_PARAM, LAB_WITHIN },	/* a parameter not defined */
	{ "ph", "SU", "4.2", LAB_UNKNOWN_PARAM, LAB_WITHIN },	/* names are exact */
};

static void test_judge(void **state)
{
	const struct lab_param *which;
	enum lab_verdict v;
	long long x;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof judges / sizeof judges[0]; i++) {
		enum lab_why why;

		assert_int_equal(lab_dec_parse(judges[i].value, 0, &x), LAB_OK);
		why = lab_judge(params, 3, judges[i].param, judges[i].unit, x, &v, &which);
		if (why != judges[i].why || v != judges[i].v)
			fail_msg("row %zu %s %s %s: why %d verdict %d, want %d %d", i,
				 judges[i].param, judges[i].value, judges[i].unit, why, v,
				 judges[i].why, judges[i].v);
		if (why != LAB_UNKNOWN_PARAM && (!which || strcmp(which->name, judges[i].param)))
			fail_msg("row %zu: not the parameter asked for", i);
	}
}

static void test_dates(void **state)
{
	static const struct { const char *a, *sampled, *today; enum lab_why why; } rows[] = {
		{ "2026-11-24", "2026-11-23", "2026-12-01", LAB_OK },		/* a day after */
		{ "2026-11-23", "2026-11-23", "2026-11-23", LAB_OK },		/* the same day */
		{ "2026-12-02", "2026-11-23", "2026-12-01", LAB_DATE_FUTURE },	/* tomorrow */
		{ "2026-11-22", "2026-11-23", "2026-12-01", LAB_DATE_EARLY },	/* before the sample */
		{ "2026-02-30", "", "2026-12-01", LAB_BAD_DATE },		/* no such day */
		{ "24/11/2026", "", "2026-12-01", LAB_BAD_DATE },		/* another form */
		{ "2026-11-24x", "", "2026-12-01", LAB_BAD_DATE },		/* trailing text */
		{ "", "", "2026-12-01", LAB_BAD_DATE },				/* nothing */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (lab_date_check(rows[i].a, rows[i].sampled, rows[i].today) != rows[i].why)
			fail_msg("row %zu '%s'", i, rows[i].a);
}

static void test_names_and_keys(void **state)
{
	int w;

	(void)state;
	assert_true(lab_param_name_ok("pH"));
	assert_true(lab_param_name_ok("Flash point"));
	assert_true(lab_param_name_ok("Cr (VI)"));
	assert_false(lab_param_name_ok(""));
	assert_false(lab_param_name_ok(" pH"));
	assert_false(lab_param_name_ok("pH "));
	assert_false(lab_param_name_ok("<b>"));
	assert_false(lab_param_name_ok("a-very-long-parameter-name-x"));
	assert_true(lab_unit_same(" mg/L", "MG/l "));
	assert_false(lab_unit_same("mg/L", "mg/kg"));
	for (w = 0; w < LAB_WHY_COUNT; w++)	/* every refusal has words */
		assert_non_null(strstr(lab_key((enum lab_why)w), "web.lab."));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dec_parse),
		cmocka_unit_test(test_dec_format),
		cmocka_unit_test(test_judge),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_names_and_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
