/* test_roster_event.c: the roster's events as core/roster_event.c checks
 * and writes them, the one definition the station and the plant share.
 *
 * Each row of details[] is one edit and the exact detail text it must make
 * (the station's detail, byte for byte as it has always been, or the
 * plant's with its "pin_hash"); each row of refusals[] an edit that must be
 * refused and a piece of the words that say why.  A detail made here must
 * also project (core/record.c) without a fault: what is written is what
 * the tables read.  Start reading at test_details(). */
#include "testutil.h"

#include "../../core/manifest.h"
#include "../../core/record.h"
#include "../../core/report.h"
#include "../../core/roster_event.h"

#define HASH "$hgk1$argon2id$v=19$m=16384,t=4,p=1$c2FsdA$aGFzaA"

static const struct hauler_rec acme = {
	"Acme Pumping", "Ann Lee", "1 Main St", "555-0100", "P-1", "2026-01-01", "2026-12-31",
	(1u << WASTE_SEPTAGE) | (1u << WASTE_GREASE), "",
};
static const struct hauler_rec bad_company = { "", "", "", "", "", "", "", 0, "" };
static const struct hauler_rec bad_date = {
	"Acme", "", "", "", "", "2026-13-01", "", 0, "",
};
static const struct hauler_rec bad_waste = { "Acme", "", "", "", "", "", "", 1u << 30, "" };
static const struct hauler_rec ctl = { "Ac\tme", "", "", "", "", "", "", 0, "" };

struct detail_row {
	struct roster_ev e;
	const char *type;
	const char *detail;
};

static const struct detail_row details[] = {
	/* a hauler: every field, the waste list in code order */
	{ { .kind = RE_HAULER_ADDED, .id = 4, .hauler = &acme }, "hauler_added",
	  "{\"hauler_id\":4,\"company\":\"Acme Pumping\",\"contact\":\"Ann Lee\","
	  "\"address\":\"1 Main St\",\"phone\":\"555-0100\",\"permit\":\"P-1\","
	  "\"permit_from\":\"2026-01-01\",\"permit_to\":\"2026-12-31\","
	  "\"waste_allowed\":\"septage,grease\",\"analysis_date\":\"\"}" },
	/* suspended and reinstated: the id only */
	{ { .kind = RE_HAULER_SUSPENDED, .id = 4 }, "hauler_suspended", "{\"hauler_id\":4}" },
	{ { .kind = RE_HAULER_REINSTATED, .id = 4 }, "hauler_reinstated", "{\"hauler_id\":4}" },
	/* a permit with its dates */
	{ { .kind = RE_PERMIT, .id = 2, .text = "P-9", .from = "2026-01-01", .to = "2026-06-30" },
	  "permit_changed",
	  "{\"hauler_id\":2,\"permit\":\"P-9\",\"from\":\"2026-01-01\",\"to\":\"2026-06-30\"}" },
	/* a permit without dates: "" */
	{ { .kind = RE_PERMIT, .id = 2, .text = "P-9" }, "permit_changed",
	  "{\"hauler_id\":2,\"permit\":\"P-9\",\"from\":\"\",\"to\":\"\"}" },
	/* an analysis on file, then none */
	{ { .kind = RE_ANALYSIS, .id = 3, .date = "2026-02-01" }, "analysis_changed",
	  "{\"hauler_id\":3,\"analysis_date\":\"2026-02-01\"}" },
	{ { .kind = RE_ANALYSIS, .id = 3, .date = NULL }, "analysis_changed",
	  "{\"hauler_id\":3,\"analysis_date\":\"\"}" },
	/* a card: the UID normalised, no PIN hash at the station */
	{ { .kind = RE_CARD_ADDED, .id = 7, .hauler_id = 4, .uid = "04:A1:B2:C3", .text = "Bo",
	    .pin_hash = HASH }, "card_added",
	  "{\"uid\":\"04a1b2c3\",\"card_id\":7,\"hauler_id\":4,\"driver\":\"Bo\"}" },
	/* the plant's card: the hash carried down to its stations */
	{ { .kind = RE_CARD_ADDED, .id = 7, .hauler_id = 4, .uid = "04a1b2c3", .text = "Bo",
	    .pin_hash = HASH, .pin_in_detail = 1 }, "card_added",
	  "{\"uid\":\"04a1b2c3\",\"card_id\":7,\"hauler_id\":4,\"driver\":\"Bo\","
	  "\"pin_hash\":\"" "$hgk1$argon2id$v=19$m=16384,t=4,p=1$c2FsdA$aGFzaA" "\"}" },
	/* a card revoked */
	{ { .kind = RE_CARD_REVOKED, .id = 7, .uid = "04A1B2C3" }, "card_revoked",
	  "{\"uid\":\"04a1b2c3\",\"card_id\":7}" },
	/* a truck */
	{ { .kind = RE_TRUCK_ADDED, .id = 1, .hauler_id = 4, .text = "KS 123", .capacity = 3000 },
	  "truck_added",
	  "{\"truck_id\":1,\"hauler_id\":4,\"ident\":\"KS 123\",\"capacity\":3000}" },
	/* an operator, and the plant's with its hash */
	{ { .kind = RE_OPERATOR_ADDED, .id = 2, .uid = "0a0b0c0d", .text = "Op One",
	    .pin_hash = HASH }, "operator_added",
	  "{\"operator_id\":2,\"name\":\"Op One\",\"uid\":\"0a0b0c0d\"}" },
	{ { .kind = RE_OPERATOR_ADDED, .id = 2, .uid = "0a0b0c0d", .text = "Op One",
	    .pin_hash = HASH, .pin_in_detail = 1 }, "operator_added",
	  "{\"operator_id\":2,\"name\":\"Op One\",\"uid\":\"0a0b0c0d\",\"pin_hash\":\""
	  "$hgk1$argon2id$v=19$m=16384,t=4,p=1$c2FsdA$aGFzaA" "\"}" },
	/* the plant's policy: a value for all stations, one for one station,
	 * and an unset (no value) */
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "hours", .key = "mon",
	    .value = "closed" }, "policy_set",
	  "{\"scope\":\"*\",\"section\":\"hours\",\"key\":\"mon\",\"value\":\"closed\"}" },
	{ { .kind = RE_POLICY_SET, .scope = "st-01", .section = "policy", .key = "waste_types",
	    .value = "septage, grease" }, "policy_set",
	  "{\"scope\":\"st-01\",\"section\":\"policy\",\"key\":\"waste_types\","
	  "\"value\":\"septage, grease\"}" },
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "sync", .key = "offline_waste_types",
	    .value = "" }, "policy_set",
	  "{\"scope\":\"*\",\"section\":\"sync\",\"key\":\"offline_waste_types\","
	  "\"value\":\"\"}" },
	{ { .kind = RE_POLICY_UNSET, .scope = "st-01", .section = "sampling",
	    .key = "random_rate" }, "policy_unset",
	  "{\"scope\":\"st-01\",\"section\":\"sampling\",\"key\":\"random_rate\"}" },
};

static void test_details(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(details); i++) {
		const struct detail_row *r = &details[i];
		struct rec_out out;
		struct rec_event re;
		char *text = NULL;
		int rc;

		rc = roster_ev_text(&r->e, &text);
		if (rc)
			fail_msg("row %zu: %s", i, hg_error_text());
		assert_string_equal(roster_ev_type(r->e.kind), r->type);
		assert_string_equal(text, r->detail);
		/* what is written, the projection reads */
		memset(&re, 0, sizeof re);
		re.seq = 1;
		re.ts = 1700000000;
		re.type = r->type;
		re.actor = "cli:test";
		re.detail = text;
		rc = record_project(&re, &out);
		if (rc)
			fail_msg("row %zu: projected: %s", i, out.why);
		assert_true(out.n >= 1);
		record_out_free(&out);
		cJSON_free(text);
	}
}

struct refusal_row {
	struct roster_ev e;
	const char *words;	/* a piece of hg_error_text() */
};

static const struct refusal_row refusals[] = {
	/* a hauler without a company */
	{ { .kind = RE_HAULER_ADDED, .hauler = &bad_company }, "company name is empty" },
	/* no hauler at all */
	{ { .kind = RE_HAULER_ADDED }, "no hauler given" },
	/* a month 13 */
	{ { .kind = RE_HAULER_ADDED, .hauler = &bad_date }, "permit start '2026-13-01' is not a date" },
	/* a waste bit no type has */
	{ { .kind = RE_HAULER_ADDED, .hauler = &bad_waste }, "unknown waste type" },
	/* a tab in a name */
	{ { .kind = RE_HAULER_ADDED, .hauler = &ctl }, "company name contains a control character" },
	/* a permit without a number */
	{ { .kind = RE_PERMIT, .id = 1, .text = "" }, "permit number is empty" },
	/* a permit that ends before it starts */
	{ { .kind = RE_PERMIT, .id = 1, .text = "P", .from = "2026-05-01", .to = "2026-04-01" },
	  "the permit ends (2026-04-01) before it starts (2026-05-01)" },
	/* a bad permit end */
	{ { .kind = RE_PERMIT, .id = 1, .text = "P", .to = "tomorrow" }, "permit end 'tomorrow'" },
	/* an analysis date that is not one */
	{ { .kind = RE_ANALYSIS, .id = 1, .date = "2026-02-30" }, "waste analysis date" },
	/* a card UID of 5 digits */
	{ { .kind = RE_CARD_ADDED, .id = 1, .hauler_id = 1, .uid = "12345", .pin_hash = HASH },
	  "'12345' is not a card UID" },
	/* a card without a PIN hash */
	{ { .kind = RE_CARD_ADDED, .id = 1, .hauler_id = 1, .uid = "04a1b2c3" },
	  "the PIN hash is missing or malformed" },
	/* a driver's name with a newline */
	{ { .kind = RE_CARD_ADDED, .id = 1, .uid = "04a1b2c3", .text = "B\no", .pin_hash = HASH },
	  "driver name contains a control character" },
	/* a PIN hash with a control character */
	{ { .kind = RE_CARD_ADDED, .id = 1, .uid = "04a1b2c3", .pin_hash = "$hgk1\x01" },
	  "the PIN hash is missing or malformed" },
	/* revoking no UID */
	{ { .kind = RE_CARD_REVOKED, .uid = NULL }, "is not a card UID" },
	/* a truck without an ident */
	{ { .kind = RE_TRUCK_ADDED, .hauler_id = 1, .text = "", .capacity = 10 },
	  "truck identification is empty" },
	/* a truck of 0 gallons, and one too big */
	{ { .kind = RE_TRUCK_ADDED, .hauler_id = 1, .text = "T", .capacity = 0 },
	  "truck capacity 0 is not between 1 and 100000 gallons" },
	{ { .kind = RE_TRUCK_ADDED, .hauler_id = 1, .text = "T", .capacity = 100001 },
	  "truck capacity 100001" },
	/* an operator without a name */
	{ { .kind = RE_OPERATOR_ADDED, .uid = "04a1b2c3", .text = "", .pin_hash = HASH },
	  "operator name is empty" },
	/* an operator's bad UID */
	{ { .kind = RE_OPERATOR_ADDED, .uid = "zz", .text = "Op", .pin_hash = HASH },
	  "'zz' is not a card UID" },
	/* a policy value station.ini's parser refuses: its own words */
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "hours", .key = "mon",
	    .value = "25:00-26:00" },
	  "[hours] mon: must be HH:MM-HH:MM (opening before closing, 24:00 the latest) or "
	  "closed, not \"25:00-26:00\"" },
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "policy", .key = "waste_types",
	    .value = "plutonium" }, "[policy] waste_types:" },
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "sampling", .key = "random_rate",
	    .value = "2" }, "[sampling] random_rate:" },
	/* a line break would be a second key of the station's */
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "hours", .key = "mon",
	    .value = "closed\n[station]\nid = evil" }, "without control characters" },
	/* keys the station keeps to itself, and none at all */
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = "session", .key = "pin_attempts",
	    .value = "3" }, "'session.pin_attempts' is not a key the plant sets" },
	{ { .kind = RE_POLICY_UNSET, .scope = "*", .section = "sync", .key = "url" },
	  "'sync.url' is not a key the plant sets" },
	{ { .kind = RE_POLICY_SET, .scope = "*", .section = NULL, .key = NULL, .value = "x" },
	  "is not a key the plant sets" },
	/* a scope that is no station id */
	{ { .kind = RE_POLICY_SET, .scope = "st 01", .section = "hours", .key = "mon",
	    .value = "closed" }, "'st 01' is not a station id" },
	{ { .kind = RE_POLICY_UNSET, .scope = "", .section = "hours", .key = "mon" },
	  "is not a station id" },
	{ { .kind = RE_POLICY_SET, .scope = "haulgate.potw", .section = "hours", .key = "mon",
	    .value = "closed" }, "is not a station id" },
	/* not a roster event */
	{ { .kind = RE_COUNT }, "not a roster event" },
};

static void test_refusals(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(refusals); i++) {
		const struct refusal_row *r = &refusals[i];
		cJSON *j = (cJSON *)1;
		int rc;

		rc = roster_ev_detail(&r->e, &j);
		if (rc != HG_EINVAL)
			fail_msg("row %zu: rc %d, not refused", i, rc);
		assert_null(j);
		if (!strstr(hg_error_text(), r->words))
			fail_msg("row %zu: '%s' does not say '%s'", i, hg_error_text(), r->words);
		/* the check alone says the same */
		assert_int_equal(roster_ev_check(&r->e, NULL), HG_EINVAL);
	}
}

static void test_types(void **state)
{
	(void)state;
	for (int k = 0; k < RE_COUNT; k++)
		assert_non_null(roster_ev_type((enum roster_ev_kind)k));
	assert_null(roster_ev_type(RE_COUNT));
	assert_null(roster_ev_type((enum roster_ev_kind)-1));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_details),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_types),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
