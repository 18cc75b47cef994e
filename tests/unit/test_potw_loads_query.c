/* test_potw_loads_query.c: the loads pages' filter read from a query
 * string and written back as a link (potw/loads_query.c).
 *
 * A table of query strings and what each gives: the filter's values, or
 * the parameter refused; the page's key written and read back; and the
 * link of a filter, every value escaped, read again into the same
 * filter.  Start reading at main(). */
#include "testutil.h"

#include <string.h>

#include "../../potw/loads_query.h"
#include "../../core/report.h"

static void test_parse(void **state)
{
	static const struct {
		const char *query;
		const char *bad;	/* the parameter refused, "" none */
	} cases[] = {
		/* nothing, or only what the page ignores (the language) */
		{ NULL, "" },
		{ "", "" },
		{ "lang=es", "" },
		/* every filter, an empty one being none */
		{ "from=2026-11-01&to=2026-11-30&station=north-01&hauler=12&waste=grease"
		  "&decision=sample-hold&sampled=yes&meter=no&town=Pe%C3%B1asco&q=B-0001&n=20", "" },
		{ "from=&to=&station=&waste=&decision=&sampled=&meter=&town=&q=&after=", "" },
		{ "q=+Acme+", "" },
		/* each refused, named */
		{ "from=2026-02-30", "from" },
		{ "to=tomorrow", "to" },
		{ "from=2026-12-01&to=2026-11-01", "to" },
		{ "station=north_01", "station" },
		{ "station=a%2Fb", "station" },
		{ "hauler=0", "hauler" },
		{ "hauler=12abc", "hauler" },
		{ "waste=sludge", "waste" },
		{ "decision=Refused", "decision" },
		{ "sampled=1", "sampled" },
		{ "meter=yess", "meter" },
		{ "town=a%01b", "town" },
		{ "q=%00", "q" },
		{ "q=%ZZ", "q" },
		{ "n=0", "n" },
		{ "n=501", "n" },
		{ "after=12", "after" },
		{ "after=12.north-01", "after" },
		{ "after=x.north-01.3", "after" },
		{ "after=12.no/pe.3", "after" },
	};
	struct loads_query q;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
		int rc = loads_query_parse(cases[i].query, 0, &q);

		if (rc != (cases[i].bad[0] ? -1 : 0) || strcmp(q.bad, cases[i].bad))
			fail_msg("case %zu (%s): rc %d, bad '%s'", i, cases[i].query ? cases[i].query :
				 "NULL", rc, q.bad);
	}
	assert_int_equal(loads_query_parse("from=2026-11-01&to=2026-11-30&station=north-01&hauler=12"
					   "&waste=grease&decision=sample-hold&sampled=yes&meter=no"
					   "&town=Pe%C3%B1asco&q=+B-0001+&n=20", 1, &q), 0);
	assert_string_equal(q.f.from, "2026-11-01");
	assert_string_equal(q.f.to, "2026-11-30");
	assert_string_equal(q.f.station, "north-01");
	assert_int_equal(q.f.hauler_id, 12);
	assert_string_equal(q.f.waste, "grease");
	assert_string_equal(q.f.verdict, "sample-hold");
	assert_int_equal(q.f.sampled, 1);
	assert_int_equal(q.f.meter, -1);
	assert_string_equal(q.f.town, "Pe\xC3\xB1" "asco");
	assert_string_equal(q.f.text, "B-0001");
	assert_int_equal(q.rows, 20);
	assert_int_equal(q.f.confidential, 1);
	assert_int_equal(q.f.newest, 1);
	assert_int_equal(q.f.wide, 1);
	assert_int_equal(loads_query_parse("", 0, &q), 0);
	assert_int_equal(q.rows, LOADS_ROWS);
	assert_int_equal(q.f.confidential, 0);
}

static void test_key(void **state)
{
	struct listing_key k = { 1790000000, "north-01", 12 }, back;
	char s[80];

	(void)state;
	assert_int_equal(loads_query_key(&k, s, sizeof s), 0);
	assert_string_equal(s, "1790000000.north-01.12");
	assert_int_equal(loads_query_key_parse(s, &back), 0);
	assert_int_equal(back.decided, k.decided);
	assert_string_equal(back.station, "north-01");
	assert_int_equal(back.load_no, 12);
	assert_int_equal(loads_query_key(&k, s, 10), -1);	/* never cut */
	assert_int_equal(loads_query_key_parse("0.north-01.1", &back), -1);
	assert_int_equal(loads_query_key_parse("1.north-01.0", &back), -1);
	assert_int_equal(loads_query_key_parse("1..1", &back), -1);
	assert_int_equal(loads_query_key_parse("1.a.b.1", &back), -1);
}

/* A link holds the filter (every value escaped, & as &amp;), and read
 * back it is the same filter. */
static void test_url(void **state)
{
	static const char query[] = "station=north-01&waste=septage&town=%3Cb%3E%22x%22&q=a%26b%3Dc"
				    "&sampled=no&n=7";
	struct listing_key k = { 1790000000, "north-01", 12 };
	struct loads_query q, back;
	struct html h;
	char *amp, *p;

	(void)state;
	assert_int_equal(loads_query_parse(query, 0, &q), 0);
	html_init(&h, 0);
	loads_query_url(&h, "/loads", &q, &k);
	assert_false(html_failed(&h));
	assert_string_equal(h.buf, "/loads?station=north-01&amp;waste=septage&amp;sampled=no"
			    "&amp;town=%3Cb%3E%22x%22&amp;q=a%26b%3Dc&amp;n=7"
			    "&amp;after=1790000000.north-01.12");
	/* the attribute's &amp; back to &, then read as the browser sends it */
	for (amp = h.buf; (p = strstr(amp, "&amp;")) != NULL; amp = p + 1)
		memmove(p + 1, p + 5, strlen(p + 5) + 1);
	assert_int_equal(loads_query_parse(strchr(h.buf, '?') + 1, 0, &back), 0);
	assert_string_equal(back.f.town, "<b>\"x\"");
	assert_string_equal(back.f.text, "a&b=c");
	assert_int_equal(back.f.sampled, -1);
	assert_int_equal(back.rows, 7);
	assert_int_equal(back.f.after.load_no, 12);
	html_free(&h);

	html_init(&h, 0);
	assert_int_equal(loads_query_parse(NULL, 0, &q), 0);
	loads_query_url(&h, "/loads.csv", &q, NULL);
	assert_string_equal(h.buf, "/loads.csv");
	html_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_url),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
