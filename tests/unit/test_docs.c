/* test_docs.c: the stable ids are documented.
 *
 * Screen ids, reason codes and event types are promised stable and listed in
 * docs/ (SCENARIOS.md, REASONS.md); a new one that is not written down fails
 * here.  Runs from the repository root (scripts/run-tests.sh does), or finds
 * it through HG_ROOT. */
#include "testutil.h"
#include "../../core/session.h"
#include "../../core/i18n.h"

static char *slurp(const char *rel)
{
	const char *root = getenv("HG_ROOT");
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof path, "%s%s%s", root ? root : "", root ? "/" : "", rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n > 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* Is `id` written in backquotes in text? */
static int quoted(const char *text, const char *id)
{
	char q[96];

	snprintf(q, sizeof q, "`%s`", id);
	return strstr(text, q) != NULL;
}

static void test_every_reason_code_in_reasons_md(void **state)
{
	char *doc = slurp("docs/REASONS.md");

	(void)state;
	for (int r = 1; r < R_COUNT; r++) {
		if (!quoted(doc, reason_code((enum reason)r)))
			fail_msg("reason code %s is not in docs/REASONS.md", reason_code((enum reason)r));
	}
	free(doc);
}

static void test_every_screen_in_scenarios_md(void **state)
{
	char *doc = slurp("docs/SCENARIOS.md");

	(void)state;
	for (int s = 0; s < SCR_COUNT; s++) {
		if (!quoted(doc, screen_id((enum screen)s)))
			fail_msg("screen %s is not in docs/SCENARIOS.md", screen_id((enum screen)s));
	}
	for (int a = 0; a < ACT_COUNT; a++) {
		if (!quoted(doc, act_code((enum act_kind)a)))
			fail_msg("action %s is not in docs/SCENARIOS.md", act_code((enum act_kind)a));
	}
	free(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_reason_code_in_reasons_md),
		cmocka_unit_test(test_every_screen_in_scenarios_md),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
