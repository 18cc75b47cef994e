/* test_config_policy.c: the keys of station.ini the plant sets
 * (core/config_policy.c).
 *
 * Which keys: every one of [hours], [policy] and [sampling] and [sync]
 * offline_waste_types, nothing else of the key table.  A value is checked
 * and applied by station.ini's own parser: the words are the parser's,
 * a line break cannot smuggle in a second key, and what the station keeps
 * of station.ini (its id's line, its name) is not touched.
 * A list longer than a line of station.ini is taken whole.  Every policy
 * key's value written back (config_policy_format()) reads again to itself.  The overlay: a station's own value over the value for
 * all stations over station.ini, in whatever order the rows come, another
 * station's ignored, a value the parser refuses left out and said.  Start
 * reading at test_overlay(). */
#include "testutil.h"

#include <string.h>

#include "../../core/config_int.h"
#include "../../core/config_policy.h"
#include "../../core/report.h"

/* The keys the plant sets, and no other row of the key table. */
static void test_keys(void **state)
{
	const char *section, *key;
	const struct key *k;
	int n = 0, want = 0;

	(void)state;
	while (config_policy_key_at(n, &section, &key) == HG_OK) {
		assert_true(config_policy_known(section, key));
		n++;
	}
	for (size_t i = 0; (k = cfg_key_at(i)) != NULL; i++) {
		int policy = !strcmp(k->section, "hours") || !strcmp(k->section, "policy") ||
			     !strcmp(k->section, "sampling") ||
			     (!strcmp(k->section, "sync") && !strcmp(k->name, "offline_waste_types"));

		assert_int_equal(config_policy_known(k->section, k->name), policy);
		want += policy;
	}
	assert_int_equal(n, want);
	assert_int_equal(n, 21);	/* 8 + 6 + 6 + 1 */
	assert_false(config_policy_known("hours", "monday"));
	assert_false(config_policy_known(NULL, "mon"));
}

struct split_row {
	const char *in;
	int rc;
	const char *words;	/* a piece of hg_error_text(), or the section on HG_OK */
};

static const struct split_row splits[] = {
	{ "hours.mon", HG_OK, "hours" },
	{ "sync.offline_waste_types", HG_OK, "sync" },
	/* not SECTION.KEY */
	{ "hours", HG_EINVAL, "is not SECTION.KEY" },
	{ ".mon", HG_EINVAL, "is not SECTION.KEY" },
	{ "hours.", HG_EINVAL, "is not SECTION.KEY" },
	{ "averyveryverylongsection.mon", HG_EINVAL, "is not SECTION.KEY" },
	/* no such key */
	{ "hours.monday", HG_EINVAL, "'hours.monday' is not a key of station.ini" },
	{ "relays.gate", HG_EINVAL, "is not a key of station.ini" },
	/* the station's own */
	{ "station.id", HG_EINVAL, "'station.id' is the station's own" },
	{ "sync.plant_key", HG_EINVAL, "the plant sets hours.*, policy.*, sampling.* and "
	  "sync.offline_waste_types" },
};

static void test_split(void **state)
{
	char section[CFG_POLICY_SECTION], key[CFG_POLICY_KEY];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(splits); i++) {
		const struct split_row *r = &splits[i];
		int rc = config_policy_split(r->in, section, key);

		if (rc != r->rc)
			fail_msg("row %zu (%s): rc %d", i, r->in, rc);
		if (rc == HG_OK)
			assert_string_equal(section, r->words);
		else if (!strstr(hg_error_text(), r->words))
			fail_msg("row %zu: '%s' does not say '%s'", i, hg_error_text(), r->words);
	}
	assert_int_equal(config_policy_scope("*"), HG_OK);
	assert_int_equal(config_policy_scope("st-01"), HG_OK);
	assert_int_equal(config_policy_scope("a234567890123456789012345678901"), HG_OK);
	assert_int_equal(config_policy_scope("a2345678901234567890123456789012"), HG_EINVAL);
	assert_int_equal(config_policy_scope("**"), HG_EINVAL);
	assert_int_equal(config_policy_scope(NULL), HG_EINVAL);
}

struct value_row {
	const char *section, *key, *in;
	const char *out;	/* as written back; NULL: refused */
	const char *words;	/* refused: a piece of the parser's words */
};

static const struct value_row values[] = {
	{ "hours", "mon", "closed", "closed", NULL },
	{ "hours", "sat", " 07:30 - 12:00 ", "07:30-12:00", NULL },
	{ "hours", "mon", "18:00-06:00", NULL, "[hours] mon: must be HH:MM-HH:MM" },
	{ "hours", "closed_dates", "2026-12-25, 2027-01-01", "2026-12-25, 2027-01-01", NULL },
	{ "hours", "closed_dates", "", "", NULL },
	{ "hours", "closed_dates", "2026-02-30", NULL, "[hours] closed_dates:" },
	{ "policy", "waste_types", "grease,septage", "septage, grease", NULL },
	{ "policy", "waste_types", "", NULL, "[policy] waste_types: must name at least one" },
	{ "policy", "daily_limit_gallons", "0", "0", NULL },
	{ "policy", "daily_limit_gallons", "-5", NULL, "[policy] daily_limit_gallons:" },
	{ "policy", "service_area", "Springfield, 80401", "Springfield, 80401", NULL },
	/* the kiosk's types of industry: a list, twice once, empty for the keyboard */
	{ "policy", "industries", "residential, brewery, residential,  car wash ",
	  "residential, brewery, car wash", NULL },
	{ "policy", "industries", "", "", NULL },
	{ "policy", "industries", "a,b,c,d,e,f,g,h,i,j,k,l,m", NULL,
	  "[policy] industries: more than 12 types of industry" },
	{ "policy", "industries", "residential, "
	  "Wastewater from the rinsing of galvanised sheet metal in a plating shop's "
	  "bath 22", NULL,	/* 81 characters */
	  "is not a type of industry (text of at most 80 characters)" },
	{ "policy", "industrial_without_analysis", "refuse", "refuse", NULL },
	{ "policy", "rcra_hazardous", "accept", NULL, "[policy] rcra_hazardous:" },
	{ "sampling", "first_load", "no", "no", NULL },
	{ "sampling", "random_rate", "2.5%", "2.5%", NULL },
	{ "sampling", "random_rate", "0.1", "10%", NULL },
	{ "sampling", "random_rate", "150%", NULL, "[sampling] random_rate:" },
	{ "sampling", "every_n_loads", "0", "0", NULL },
	{ "sampling", "waste_types", "", "", NULL },
	{ "sync", "offline_waste_types", "septage", "septage", NULL },
	/* a second key smuggled in on a new line: refused before the parser */
	{ "hours", "mon", "closed\n[station]\nid = evil", NULL, "without control characters" },
	/* an inline comment the reader would cut off: what is kept must be what is read */
	{ "hours", "closed_dates", "2026-12-25 ; Christmas", NULL, "must not hold a comment" },
	/* not the plant's */
	{ "session", "pin_attempts", "3", NULL, "not a key the plant may set" },
};

static void test_values(void **state)
{
	struct config *c = malloc(sizeof *c), *was = malloc(sizeof *was);
	char why[200], out[CFG_POLICY_VALUE];

	(void)state;
	assert_non_null(c);
	assert_non_null(was);
	for (size_t i = 0; i < HG_ARRAY_LEN(values); i++) {
		const struct value_row *r = &values[i];
		int rc;

		config_defaults(c);
		snprintf(c->station_name, sizeof c->station_name, "Own name");
		c->station_id_line = 3;
		*was = *c;
		rc = config_policy_apply(c, r->section, r->key, r->in, why, sizeof why);
		if (!r->out) {
			if (rc != HG_EINVAL || !strstr(why, r->words))
				fail_msg("row %zu: rc %d, '%s' does not say '%s'", i, rc, why, r->words);
			assert_memory_equal(c, was, sizeof *c);	/* nothing changed */
			assert_int_equal(config_policy_check(r->section, r->key, r->in), HG_EINVAL);
			assert_string_equal(hg_error_text(), why);
			continue;
		}
		if (rc)
			fail_msg("row %zu: refused: %s", i, why);
		assert_int_equal(config_policy_check(r->section, r->key, r->in), HG_OK);
		assert_int_equal(config_policy_format(c, r->section, r->key, out, sizeof out), HG_OK);
		assert_string_equal(out, r->out);
		/* the rest of the station's own stays */
		assert_string_equal(c->station_name, "Own name");
		assert_int_equal(c->station_id_line, 3);
	}
	free(c);
	free(was);
}

/* A list longer than station.ini's line (197 characters): 40 towns, all
 * taken, in order (the value goes to the parser over several lines). */
static void test_long_list(void **state)
{
	struct config *c = malloc(sizeof *c);
	char value[CFG_POLICY_VALUE], out[CFG_POLICY_VALUE], why[200];
	size_t len = 0;

	(void)state;
	assert_non_null(c);
	for (int i = 0; i < 40; i++)
		len += (size_t)snprintf(value + len, sizeof value - len, "%sTown%05d", i ? ", " : "",
					i);
	assert_true(len > 400);
	config_defaults(c);
	if (config_policy_apply(c, "policy", "service_area", value, why, sizeof why) != HG_OK)
		fail_msg("refused: %s", why);
	assert_int_equal(c->n_area, 40);
	assert_string_equal(c->area[39], "Town00039");
	assert_int_equal(config_policy_format(c, "policy", "service_area", out, sizeof out), HG_OK);
	assert_string_equal(out, value);
	free(c);
}

/* Every policy key's default, written back, reads again to the same. */
static void test_format_round_trip(void **state)
{
	struct config *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	char v1[CFG_POLICY_VALUE], v2[CFG_POLICY_VALUE], why[200];
	const char *section, *key;

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	config_defaults(a);
	for (int i = 0; config_policy_key_at(i, &section, &key) == HG_OK; i++) {
		config_defaults(b);
		assert_int_equal(config_policy_format(a, section, key, v1, sizeof v1), HG_OK);
		if (config_policy_apply(b, section, key, v1, why, sizeof why) != HG_OK)
			fail_msg("%s.%s = '%s' does not read back: %s", section, key, v1, why);
		assert_int_equal(config_policy_format(b, section, key, v2, sizeof v2), HG_OK);
		assert_string_equal(v1, v2);
	}
	assert_int_equal(config_policy_format(a, "session", "pin_attempts", v1, sizeof v1),
			 HG_EINVAL);
	free(a);
	free(b);
}

/* A station's own over all stations' over station.ini, whatever the order
 * of the rows; another station's ignored; a refused one said. */
static void test_overlay(void **state)
{
	struct cfg_policy_row rows[] = {
		{ "st-a", "hours", "mon", "08:00-12:00", 0, "" },	/* before all's: wins */
		{ "*", "hours", "mon", "closed", 0, "" },
		{ "st-b", "hours", "tue", "closed", 0, "" },
		{ "*", "policy", "waste_types", "septage", 0, "" },
		{ "st-a", "sampling", "random_rate", "7", 0, "" },
		{ "*", "sampling", "random_rate", "1%", 0, "" },
	};
	struct config *c = malloc(sizeof *c);

	(void)state;
	assert_non_null(c);
	config_defaults(c);
	assert_int_equal(config_policy_overlay(c, "st-a", rows, (int)HG_ARRAY_LEN(rows)), 1);
	assert_int_equal(c->hours[1].open, 8 * 60);
	assert_int_equal(c->hours[1].close, 12 * 60);
	assert_int_equal(c->hours[2].open, 6 * 60);	/* st-b's Tuesday is not st-a's */
	assert_int_equal(c->waste_allowed, 1u << WASTE_SEPTAGE);
	assert_true(c->sample_random_rate > 0.0099 && c->sample_random_rate < 0.0101);
	assert_int_equal(rows[0].used, CFG_USED_APPLIED);
	assert_int_equal(rows[1].used, CFG_USED_OVERRIDDEN);
	assert_int_equal(rows[2].used, CFG_USED_OTHER);
	assert_int_equal(rows[3].used, CFG_USED_APPLIED);
	assert_int_equal(rows[4].used, CFG_USED_REFUSED);
	assert_non_null(strstr(rows[4].why, "[sampling] random_rate:"));
	assert_int_equal(rows[5].used, CFG_USED_APPLIED);	/* all's stays: st-a's refused */

	/* st-b: all's Monday, its own Tuesday */
	config_defaults(c);
	assert_int_equal(config_policy_overlay(c, "st-b", rows, (int)HG_ARRAY_LEN(rows)), 0);
	assert_int_equal(c->hours[1].open, 0);
	assert_int_equal(c->hours[1].close, 0);
	assert_int_equal(c->hours[2].close, 0);
	assert_int_equal(rows[0].used, CFG_USED_OTHER);
	assert_int_equal(rows[1].used, CFG_USED_APPLIED);
	free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys),
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_long_list),
		cmocka_unit_test(test_format_round_trip),
		cmocka_unit_test(test_overlay),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
