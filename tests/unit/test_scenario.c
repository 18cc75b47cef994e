/* test_scenario.c: the scenario language's own checks (scenario/scenario.c)
 * and how it says what went wrong: through the one reporting channel
 * (hg_fail(), read with hg_error_text()), with the line's number.
 *
 * The lines here fail before they reach a station (a bad word, a file that
 * cannot be read), so no station is opened; whole runs against a real
 * station are tests/cli/test_scenarios.sh's.  This program links
 * build/libhaulgate-scenario.a, which the station's library does not hold. */
#include "testutil.h"

#include "../../core/hg.h"
#include "../../core/report.h"
#include "../../scenario/scenario.h"

/* scenario_step(): a line with a bad word is a syntax error (2), said with
 * its line number, before anything is fed to the station. */
static void test_step_words(void **state)
{
	static const struct {
		const char *line;
		const char *want;
	} rows[] = {
		/* a time that is not ISO */
		{ "clock yesterday", "line 7: 'yesterday' is not an ISO time from 1970 to 9999 (UTC)" },
		/* more than a week of waiting */
		{ "wait 8d", "line 7: '8d' is not a duration (up to 7d)" },
		/* a UID of the wrong length */
		{ "card 04a1b2", "line 7: '04a1b2' is not a card UID (4, 7 or 10 bytes in hex)" },
		/* a button no screen has */
		{ "press nosuch", "line 7: no button 'nosuch' (docs/SCENARIOS.md lists them)" },
		/* a field no form has */
		{ "field nosuch x", "line 7: no field 'nosuch' (docs/SCENARIOS.md lists them)" },
		/* a count that is not one */
		{ "fault relay x", "line 7: 'x' is not a count" },
		/* no such verb */
		{ "bogus", "line 7: unknown command 'bogus' or wrong number of words" },
		/* a verb with the wrong number of words */
		{ "clock", "line 7: unknown command 'clock' or wrong number of words" },
	};
	struct scn_state r = { .now = 1795442531, .mono = SCN_MONO0 };
	struct scn_line l;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(scenario_parse_line(rows[i].line, 7, &l), HG_OK);
		hg_error_clear();
		assert_int_equal(scenario_step(NULL, &r, &l), 2);
		if (strcmp(hg_error_text(), rows[i].want) != 0)
			fail_msg("row %zu: \"%s\", want \"%s\"", i, hg_error_text(), rows[i].want);
	}
}

/* A line callback for scenario_each_line(): fails on the line that says
 * "stop", with its words, as scenario_step() does. */
static int stop_at(void *ctx, const struct scn_line *l)
{
	int *lines = ctx;

	(*lines)++;
	if (strcmp(l->w[0], "stop") == 0)
		return hg_fail(1, "line %d: stopped here", l->lineno);
	return 0;
}

/* scenario_each_line(): what cannot be read is 2 with the line's number;
 * the callback's failure and words come through unchanged. */
static void test_each_line(void **state)
{
	static const struct {
		const char *text;	/* the file; NULL: no file at all */
		size_t len;		/* bytes of text (0: strlen) */
		int want_rc;
		const char *want;	/* hg_error_text() after, "" for nothing */
		int want_lines;		/* lines handed to the callback */
	} rows[] = {
		/* every line read, blank and comment lines skipped */
		{ "a\n\n# note\nb\n", 0, 0, "", 2 },
		/* the callback's failure stops the run, its words kept */
		{ "a\nstop\nb\n", 0, 1, "line 2: stopped here", 2 },
		/* an unclosed quote */
		{ "a\ntype \"open\n", 0, 2,
		  "line 2: cannot be read (unclosed quote, more than 8 words or longer than "
		  "8191 bytes)", 1 },
		/* a NUL byte inside a line */
		{ "a\nb\0c\n", 6, 2, "line 2: has a NUL byte", 1 },
		/* no file */
		{ NULL, 0, 2, "cannot read scenario '%s': No such file or directory", 0 },
	};
	char dir[256], path[512], want[768];

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "scenario"), 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int lines = 0, rc;

		snprintf(path, sizeof path, "%s/row%zu.scn", dir, i);
		if (rows[i].text) {
			FILE *f = fopen(path, "wb");

			assert_non_null(f);
			fwrite(rows[i].text, 1, rows[i].len ? rows[i].len : strlen(rows[i].text), f);
			assert_int_equal(fclose(f), 0);
		}
		snprintf(want, sizeof want, rows[i].want, path);
		hg_error_clear();
		rc = scenario_each_line(path, stop_at, &lines);
		if (rc != rows[i].want_rc || lines != rows[i].want_lines ||
		    strcmp(hg_error_text(), want) != 0)
			fail_msg("row %zu: %d after %d lines, \"%s\"; want %d after %d, \"%s\"", i, rc,
				 lines, hg_error_text(), rows[i].want_rc, rows[i].want_lines, want);
	}
	tu_rmtree(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_step_words),
		cmocka_unit_test(test_each_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
