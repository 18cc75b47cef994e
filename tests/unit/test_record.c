/* test_record.c: the projection of one event onto rows (core/record.c),
 * without a database: what the plant's server will link.
 *
 * Each row is one event and what must come out: how many row changes, the
 * first one's table and operation, and one column's value in one change
 * (NULL for a time that did not happen, a joined list of reason codes, the
 * event's own time).  Events that change no row give none; an event that
 * lacks a field, holds a fraction where a whole number belongs, or whose copy
 * of record does not match its hash is refused with a reason naming it.
 * Start reading at test_project(). */
#include "testutil.h"

#include "../../core/record.h"
#include "../../core/text.h"

#define HAULER "{\"hauler_id\":4,\"company\":\"Acme\",\"contact\":\"Ann\",\"address\":\"1 Main\"," \
	"\"phone\":\"555\",\"permit\":\"P-1\",\"permit_from\":\"\",\"permit_to\":\"\"," \
	"\"waste_allowed\":\"septage\",\"analysis_date\":\"\"}"

/* a manifest of two sources whose record "R\n" has this SHA-256 */
#define MANIFEST(sha) "{\"record\":\"R\\n\",\"record_sha256\":\"" sha "\",\"hauler_id\":4," \
	"\"station\":\"ST\",\"day\":\"2025-03-10\",\"company\":\"Acme\",\"company_address\":\"\"," \
	"\"driver\":\"D\",\"permit\":\"P\",\"truck\":\"T\",\"waste\":\"septage\",\"characteristics\":\"\"," \
	"\"constituents\":\"\",\"rcra\":\"no\",\"signer\":\"D\",\"lang\":\"en\",\"bottle\":\"\"," \
	"\"meter_flag\":\"\",\"card_id\":0,\"truck_id\":2,\"truck_capacity\":3000,\"gallons\":1500," \
	"\"gallons_measured\":0,\"sampled_by\":0,\"t_card\":1,\"t_pin\":2,\"t_form\":3," \
	"\"t_certified\":4,\"t_decided\":5,\"t_sampled\":0,\"t_discharge_start\":0," \
	"\"t_discharge_end\":0,\"sources\":[{\"name\":\"A\",\"address\":\"a\",\"industry\":\"x\",\"town\":\"Kansas City\"}," \
	"{\"name\":\"B\",\"address\":\"b\",\"industry\":\"y\",\"town\":\"\"}]}"
#define SHA_R "13b30eab8afdfab285103004686b2e6140ce53aa45a4f917341c740dfdb6e956"

struct row {
	const char *type;
	long long load_no;
	const char *detail;
	int rc;			/* HG_OK or HG_ECORRUPT */
	int n;			/* row changes */
	const char *table;	/* of the first change */
	enum rec_op op;
	int at;			/* the change holding col */
	const char *col;	/* NULL: nothing more to check */
	enum rec_kind kind;
	long long i;
	const char *s;		/* REC_TEXT value, or a piece of out.why on failure */
};

static const struct row rows[] = {
	/* a setting: an upsert by key */
	{"meta_set", 0, "{\"key\":\"station_id\",\"value\":\"ST-1\"}", HG_OK, 1, "meta", REC_UPSERT, 0,
	 "value", REC_TEXT, 0, "ST-1"},
	/* a hauler: every column, active, created at the event's time */
	{"hauler_added", 0, HAULER, HG_OK, 1, "haulers", REC_INSERT, 0, "created", REC_INT, 1000, NULL},
	{"hauler_added", 0, HAULER, HG_OK, 1, "haulers", REC_INSERT, 0, "status", REC_TEXT, 0, "active"},
	{"hauler_added", 0, HAULER, HG_OK, 1, "haulers", REC_INSERT, 0, "phone", REC_TEXT, 0, "555"},
	/* suspended: the status only */
	{"hauler_suspended", 0, "{\"hauler_id\":4}", HG_OK, 1, "haulers", REC_UPDATE, 0, "status",
	 REC_TEXT, 0, "suspended"},
	/* a permit: the detail's from and to are the columns permit_from, permit_to */
	{"permit_changed", 0, "{\"hauler_id\":4,\"permit\":\"P\",\"from\":\"2025-01-01\",\"to\":\"\"}", HG_OK,
	 1, "haulers", REC_UPDATE, 0, "permit_from", REC_TEXT, 0, "2025-01-01"},
	/* a card revoked, by its id */
	{"card_revoked", 0, "{\"uid\":\"04a1b2c3\",\"card_id\":7}", HG_OK, 1, "cards", REC_UPDATE, 0,
	 "revoked", REC_INT, 1, NULL},
	/* an operator's right PIN: the store's pin_state clears the count */
	{"pin_ok", 0, "{\"uid\":\"0a0b0c01\",\"pin_state\":{\"operator_id\":2,\"failures\":0,\"locked_until\":0}}",
	 HG_OK, 1, "operators", REC_UPDATE, 0, "failures", REC_INT, 0, NULL},
	/* a card's lockout */
	{"pin_lockout", 0, "{\"pin_state\":{\"card_id\":3,\"failures\":0,\"locked_until\":99}}", HG_OK, 1,
	 "cards", REC_UPDATE, 0, "locked_until", REC_INT, 99, NULL},
	/* a load of two sources: the row, two load_sources, two remembered sources */
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 0, "load_no", REC_INT,
	 12, NULL},
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 0, "card_id", REC_NULL,
	 0, NULL},
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 3, "idx", REC_INT, 1, NULL},
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 4, "last_used", REC_INT,
	 5, NULL},
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 0, "record", REC_TEXT, 0,
	 "R\n"},
	/* a source's town goes to its load_sources row and its remembered source */
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 1, "town", REC_TEXT, 0,
	 "Kansas City"},
	{"manifest_submitted", 12, MANIFEST(SHA_R), HG_OK, 5, "loads", REC_INSERT, 2, "town", REC_TEXT, 0,
	 "Kansas City"},
	/* the same with another hash: refused */
	{"manifest_submitted", 12, MANIFEST("00"), HG_ECORRUPT, 0, NULL, 0, 0, NULL, 0, 0,
	 "does not match its record_sha256"},
	/* the decision: codes joined as the table keeps them */
	{"decision", 12, "{\"verdict\":\"refused\",\"refuse\":[\"rcra_hazardous\",\"permit_expired\"],"
	 "\"sample\":[],\"manual_flag\":false}", HG_OK, 1, "loads", REC_UPDATE, 0, "refuse_reasons",
	 REC_TEXT, 0, "rcra_hazardous,permit_expired"},
	{"decision", 12, "{\"verdict\":\"sample-hold\",\"refuse\":[],\"sample\":[\"sample_random\"],"
	 "\"manual_flag\":true}", HG_OK, 1, "loads", REC_UPDATE, 0, "sampled", REC_INT, 1, NULL},
	/* no detail: the time is the event's */
	{"discharge_started", 12, "", HG_OK, 1, "loads", REC_UPDATE, 0, "t_discharge_start", REC_INT, 1000,
	 NULL},
	/* no meter flag in the detail: '' */
	{"discharge_ended", 12, "{\"gallons_measured\":1400,\"why\":\"done\"}", HG_OK, 1, "loads",
	 REC_UPDATE, 0, "meter_flag", REC_TEXT, 0, ""},
	/* the next start closed a discharge left open: every column from the detail */
	{"discharge_interrupted", 12, "{\"t_discharge_end\":900,\"discharge_end_why\":\"interrupted\","
	 "\"gallons_measured\":420,\"meter_flag\":\"\",\"last_alive\":900}", HG_OK, 1, "loads",
	 REC_UPDATE, 0, "gallons_measured", REC_INT, 420, NULL},
	{"discharge_interrupted", 12, "{\"t_discharge_end\":900,\"discharge_end_why\":\"interrupted\","
	 "\"gallons_measured\":420,\"meter_flag\":\"meter_failed\",\"last_alive\":900}", HG_OK, 1,
	 "loads", REC_UPDATE, 0, "discharge_end_why", REC_TEXT, 0, "interrupted"},
	/* one without its end time is refused, named */
	{"discharge_interrupted", 12, "{\"discharge_end_why\":\"interrupted\",\"gallons_measured\":0,"
	 "\"meter_flag\":\"\"}", HG_ECORRUPT, 0, NULL, 0, 0, NULL, 0, 0, "t_discharge_end"},
	/* a hold that ended without a bottle */
	{"sample_abandoned", 12, "{\"discharge_end_why\":\"sample_abandoned\",\"why\":\"cancel\"}", HG_OK,
	 1, "loads", REC_UPDATE, 0, "discharge_end_why", REC_TEXT, 0, "sample_abandoned"},
	/* an RV visit still open: done is NULL */
	{"rv_visit", 0, "{\"rv_id\":3,\"name\":\"R\",\"plate\":\"P\",\"plate_state\":\"CO\",\"lang\":\"en\","
	 "\"signed_in\":5,\"rules_accepted\":6,\"declared_at\":7,\"done\":0,\"day\":\"2025-03-10\"}", HG_OK,
	 1, "rv_visits", REC_INSERT, 0, "done", REC_NULL, 0, NULL},
	{"rv_done", 0, "{\"visit\":3,\"why\":\"done\"}", HG_OK, 1, "rv_visits", REC_UPDATE, 0, "done",
	 REC_INT, 1000, NULL},
	/* the plant's policy: a value set, an upsert by scope, section and key;
	 * an unset keeps the row, inactive, its value ''; one without a scope
	 * is refused, named */
	{"policy_set", 0, "{\"scope\":\"*\",\"section\":\"hours\",\"key\":\"mon\","
	 "\"value\":\"closed\"}", HG_OK, 1, "policy", REC_UPSERT, 0, "value", REC_TEXT, 0, "closed"},
	{"policy_set", 0, "{\"scope\":\"st-1\",\"section\":\"hours\",\"key\":\"mon\","
	 "\"value\":\"closed\"}", HG_OK, 1, "policy", REC_UPSERT, 0, "active", REC_INT, 1, NULL},
	{"policy_unset", 0, "{\"scope\":\"*\",\"section\":\"hours\",\"key\":\"mon\"}", HG_OK,
	 1, "policy", REC_UPSERT, 0, "active", REC_INT, 0, NULL},
	{"policy_unset", 0, "{\"scope\":\"*\",\"section\":\"hours\",\"key\":\"mon\"}", HG_OK,
	 1, "policy", REC_UPSERT, 0, "value", REC_TEXT, 0, ""},
	{"policy_set", 0, "{\"section\":\"hours\",\"key\":\"mon\",\"value\":\"closed\"}",
	 HG_ECORRUPT, 0, NULL, 0, 0, NULL, 0, 0, "no text 'scope'"},
	/* events that change no row */
	{"card_tapped", 0, "{\"uid\":\"04a1b2c3\"}", HG_OK, 0, NULL, 0, 0, NULL, 0, 0, NULL},
	{"relay_changed", 0, "not even JSON", HG_OK, 0, NULL, 0, 0, NULL, 0, 0, NULL},
	/* an older hauler_added: no contact */
	{"hauler_added", 0, "{\"hauler_id\":4,\"company\":\"Acme\"}", HG_ECORRUPT, 0, NULL, 0, 0, NULL, 0,
	 0, "no text 'contact'"},
	/* a fraction where an id belongs */
	{"truck_added", 0, "{\"truck_id\":1.5,\"hauler_id\":1,\"ident\":\"T\",\"capacity\":3}", HG_ECORRUPT,
	 0, NULL, 0, 0, NULL, 0, 0, "'truck_id' is not a whole number"},
	/* a detail that is not an object */
	{"decision", 12, "[1]", HG_ECORRUPT, 0, NULL, 0, 0, NULL, 0, 0, "not a JSON object"},
};

static const struct rec_val *find(const struct rec_change *c, const char *col)
{
	for (int i = 0; i < c->n; i++)
		if (strcmp(c->v[i].col, col) == 0)
			return &c->v[i];
	return NULL;
}

static void test_project(void **state)
{
	struct rec_out *out = malloc(sizeof *out);
	uint8_t h[32];
	char hex[65];

	(void)state;
	assert_non_null(out);
	text_sha256("R\n", 2, h);	/* the rows' hash of "R\n" is the real one */
	text_hex(h, 32, hex);
	assert_string_equal(hex, SHA_R);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const struct row *r = &rows[i];
		struct rec_event ev = { 40, 1000, r->type, r->load_no, "cli", r->detail };
		int rc = record_project(&ev, out);

		if (rc != r->rc || out->n != r->n)
			fail_msg("row %zu (%s): rc %d, %d changes (%s)", i, r->type, rc, out->n, out->why);
		if (rc) {
			if (!strstr(out->why, r->s) || !strstr(out->why, "event 40"))
				fail_msg("row %zu: why \"%s\"", i, out->why);
		} else if (r->n) {
			const struct rec_val *v;

			assert_string_equal(out->c[0].table->name, r->table);
			assert_int_equal(out->c[0].op, r->op);
			v = find(&out->c[r->at], r->col);
			if (!v || v->kind != r->kind || (v->kind == REC_INT && v->i != r->i) ||
			    (v->kind == REC_TEXT && strcmp(v->s, r->s) != 0))
				fail_msg("row %zu (%s): column %s", i, r->type, r->col);
		}
		record_out_free(out);
	}
	free(out);
}

/* Every column a change names is a column of its table, the key first. */
static void test_tables(void **state)
{
	(void)state;
	assert_int_equal(record_ntables, 10);
	assert_non_null(record_table("loads"));
	assert_null(record_table("events"));
	for (int t = 0; t < record_ntables; t++) {
		assert_true(record_tables[t].nkey >= 1);
		for (int c = 0; c < record_tables[t].ncols; c++)
			assert_null(strstr(record_tables[t].cols[c].name, "pin_hash"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_project),
		cmocka_unit_test(test_tables),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
