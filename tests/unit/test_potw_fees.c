/* test_potw_fees.c: a load's fee in integer cents (potw/fees.c).
 *
 * Tables: the gallons billed (measured when the meter counted some,
 * declared otherwise); a line's charge by the written rule, base plus the
 * gallon part rounded to the nearest cent with a half cent up, at the
 * half-cent edges; a month's lines summed to the cent as printed; amounts
 * typed and refused; amounts written back.  Start reading at main(). */
#include "testutil.h"

#include "../../potw/fees.h"

static void test_gallons(void **state)
{
	enum fee_basis b;

	(void)state;
	assert_int_equal(fee_gallons(2500, 2470, &b), 2470);	/* metered: measured */
	assert_int_equal(b, FEE_MEASURED);
	assert_int_equal(fee_gallons(2500, 0, &b), 2500);	/* no meter: declared */
	assert_int_equal(b, FEE_DECLARED);
	assert_int_equal(fee_gallons(800, 3000, &b), 3000);	/* more than declared: measured */
	assert_int_equal(b, FEE_MEASURED);
	assert_int_equal(fee_gallons(800, -1, &b), 800);	/* nonsense count: declared */
	assert_int_equal(b, FEE_DECLARED);
}

struct line_case {
	long long base, rate;	/* cents; 1/10000 dollar a gallon */
	long gallons;
	int rc;
	long long cents;
};

static const struct line_case lines[] = {
	{ 2500, 650, 2500, HG_OK, 2500 + 16250 },	/* $25 + 2500 gal x $0.065 = $187.50 */
	{ 0, 650, 1, HG_OK, 7 },			/* 6.5 cents: the half cent up */
	{ 0, 649, 1, HG_OK, 6 },			/* 6.49 cents: down */
	{ 0, 651, 1, HG_OK, 7 },			/* 6.51 cents: up */
	{ 0, 50, 1, HG_OK, 1 },				/* half a cent exactly: up */
	{ 0, 49, 1, HG_OK, 0 },				/* just under half: down */
	{ 0, 333, 3, HG_OK, 10 },			/* 9.99 cents: 10 */
	{ 1500, 0, 4000, HG_OK, 1500 },			/* base only */
	{ 0, 0, 4000, HG_OK, 0 },			/* free */
	{ 0, 650, 0, HG_OK, 0 },			/* no gallons */
	{ -1, 650, 10, HG_EINVAL, 0 },			/* a negative base */
	{ 0, -650, 10, HG_EINVAL, 0 },			/* a negative rate */
	{ 0, 650, -10, HG_EINVAL, 0 },			/* negative gallons */
	{ FEE_BASE_MAX, FEE_RATE_MAX, FEE_GALLONS_MAX, HG_OK,	/* the largest: no overflow */
	  FEE_BASE_MAX + FEE_RATE_MAX * FEE_GALLONS_MAX / 100 },
	{ FEE_BASE_MAX + 1, 0, 0, HG_EINVAL, 0 },	/* past the caps */
	{ 0, FEE_RATE_MAX + 1, 0, HG_EINVAL, 0 },
	{ 0, 0, FEE_GALLONS_MAX + 1, HG_EINVAL, 0 },
};

static void test_line(void **state)
{
	long long c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		int rc = fee_line(lines[i].base, lines[i].rate, lines[i].gallons, &c);

		if (rc != lines[i].rc || c != lines[i].cents)
			fail_msg("row %zu: rc %d cents %lld, want %d %lld", i, rc, c, lines[i].rc,
				 lines[i].cents);
	}
}

/* Three loads at 6.5 cents a gallon, each a half cent: every line rounds
 * up on its own and the total is the lines' sum (3 x 7 = 21), not the
 * rounded sum of the exact parts (19.5 -> 20). */
static void test_total_is_the_lines(void **state)
{
	long long c, total = 0;
	int i;

	(void)state;
	for (i = 0; i < 3; i++) {
		assert_int_equal(fee_line(0, 650, 1, &c), HG_OK);
		total += c;
	}
	assert_true(total == 21);
}

static void test_parse_and_format(void **state)
{
	static const struct { const char *in; int places; enum lab_why why; long long v; } rows[] = {
		{ "25", 2, LAB_OK, 2500 },		/* whole dollars */
		{ "25.5", 2, LAB_OK, 2550 },		/* a dime short of the cents */
		{ "25.50", 2, LAB_OK, 2550 },
		{ "0.065", 4, LAB_OK, 650 },		/* a rate of 6.5 cents a gallon */
		{ "0.0651", 4, LAB_OK, 651 },
		{ "0.06512", 4, LAB_BAD_PLACES, 0 },	/* past a hundredth of a cent */
		{ "25.505", 2, LAB_BAD_PLACES, 0 },	/* past a cent */
		{ "-5", 2, LAB_BAD_NEGATIVE, 0 },	/* no credit in a schedule */
		{ "1000000.01", 2, LAB_BAD_RANGE, 0 },	/* past FEE_BASE_MAX */
		{ "$25", 2, LAB_BAD_NUMBER, 0 },	/* the sign is the page's, not typed */
		{ "25,50", 2, LAB_BAD_COMMA, 0 },
	};
	char buf[FEE_MONEY_MAX];
	long long v;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		enum lab_why why = fee_parse(rows[i].in, rows[i].places,
					     rows[i].places == 2 ? FEE_BASE_MAX : FEE_RATE_MAX, &v);

		if (why != rows[i].why || (why == LAB_OK && v != rows[i].v))
			fail_msg("row %zu '%s': why %d %lld", i, rows[i].in, why, v);
	}
	assert_string_equal(fee_format(18750, 2, buf), "187.50");
	assert_string_equal(fee_format(7, 2, buf), "0.07");
	assert_string_equal(fee_format(650, 4, buf), "0.0650");
	assert_string_equal(fee_format(0, 2, buf), "0.00");
	assert_string_equal(fee_format(-105, 2, buf), "-1.05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gallons),
		cmocka_unit_test(test_line),
		cmocka_unit_test(test_total_is_the_lines),
		cmocka_unit_test(test_parse_and_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
