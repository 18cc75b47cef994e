/* test_report.c: unit tests of core/report.c, the one channel for what went
 * wrong: the words are kept per thread, the code is passed through, long
 * words are cut, warnings reach the installed routine. */
#include "testutil.h"

#include <pthread.h>
#include <string.h>

#include "../../core/hg.h"
#include "../../core/report.h"

/* hg_fail keeps the words and hands back the code it was given. */
static void test_fail(void **state)
{
	(void)state;
	hg_error_clear();
	assert_string_equal(hg_error_text(), "");
	assert_int_equal(hg_fail(HG_EIO, "cannot open '%s'", "a.db"), HG_EIO);
	assert_string_equal(hg_error_text(), "cannot open 'a.db'");
	/* a later failure replaces the words */
	assert_int_equal(hg_fail(HG_EINVAL, "bad %d", 7), HG_EINVAL);
	assert_string_equal(hg_error_text(), "bad 7");
	/* the last words wrapped in new ones (the buffer read while written) */
	hg_fail(HG_EIO, "no such file");
	assert_int_equal(hg_fail(HG_EINVAL, "the key '%s': %s", "k", hg_error_text()), HG_EINVAL);
	assert_string_equal(hg_error_text(), "the key 'k': no such file");
	hg_warn("one");
	hg_warn("%s and two", hg_warning_text());
	assert_string_equal(hg_warning_text(), "one and two");
	hg_error_clear();
	assert_string_equal(hg_error_text(), "");
}

/* words past 511 bytes are cut, never overrun */
static void test_long(void **state)
{
	char big[2000];

	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	hg_fail(HG_ETOOLONG, "%s", big);
	assert_int_equal(strlen(hg_error_text()), 511);
}

static void *other_thread(void *arg)
{
	(void)arg;
	hg_fail(HG_EBUSY, "words of the other thread");
	return NULL;
}

/* another thread's failure does not change this thread's words */
static void test_per_thread(void **state)
{
	pthread_t t;

	(void)state;
	hg_fail(HG_EIO, "mine");
	assert_int_equal(pthread_create(&t, NULL, other_thread, NULL), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_string_equal(hg_error_text(), "mine");
}

static char seen[600];
static int calls;

static void routine(const char *msg, void *ctx)
{
	calls += *(int *)ctx;
	strncpy(seen, msg, sizeof seen - 1);
}

/* a warning goes to the installed routine and is kept; without a routine it
 * is only kept */
static void test_warn(void **state)
{
	int one = 1;

	(void)state;
	hg_report_set(routine, &one);
	hg_warn("the station id '%s' is not the database's", "S1");
	assert_int_equal(calls, 1);
	assert_string_equal(seen, "the station id 'S1' is not the database's");
	assert_string_equal(hg_warning_text(), seen);
	hg_report_set(NULL, NULL);
	hg_warn("kept only");
	assert_int_equal(calls, 1);
	assert_string_equal(hg_warning_text(), "kept only");
	/* a warning is not an error */
	hg_error_clear();
	hg_warn("x");
	assert_string_equal(hg_error_text(), "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail),
		cmocka_unit_test(test_long),
		cmocka_unit_test(test_per_thread),
		cmocka_unit_test(test_warn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
