/* test_potw_roster.c: the roster at the plant apart from HTTP and the
 * command line (potw/roster.c, potw_store_log_append()).
 *
 * edits[] is one table of roster edits played in order on a fresh plant:
 * each with the code it must give and the roster version after it, so a
 * refusal (a hauler or card the roster does not have, a UID taken, a bad
 * value) is shown to log nothing.  Then a second connection to the same
 * database edits between the first's (two processes on one file: the log
 * still follows on), and queries[] asks GET /api/v1/sync/roster with every
 * kind of query: the status, the events sent, the checkpoint of the last
 * one opened with the plant's key and its root the events', and the PIN
 * key sealed to the station opened with the station's key.  Start reading
 * at main(). */
#include "testutil.h"

#include <cJSON.h>
#include <sodium.h>

#include "../../potw/api.h"
#include "../../core/keys.h"
#include "../../core/merkle.h"
#include "../../core/note.h"
#include "../../core/report.h"
#include "../../core/roster_event.h"

#define NOW 1796450000LL
#define HASH "$hgk1$argon2id$v=19$m=16384,t=4,p=1$c2FsdA$aGFzaA"

static char dir[256], path[320];
static struct keypair station_kp;
static struct potw_api api;
static struct potw_store *st;

static const struct hauler_rec acme = {
	"Acme", "Ann", "1 Main", "555", "P-1", "2026-01-01", "2026-12-31", 1u << 1, "",
};

static int setup(void **state)
{
	struct potw_station s;
	struct keypair plant;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potwroster"), 0);
	snprintf(path, sizeof path, "%s/potw.db", dir);
	assert_int_equal(keys_generate(&station_kp), HG_OK);
	assert_int_equal(potw_store_open(path, POTW_STORE_CREATE, &st), HG_OK);
	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "st-01");
	snprintf(s.name, sizeof s.name, "North gate");
	memcpy(s.pk, station_kp.pk, 32);
	s.added = NOW;
	assert_int_equal(potw_store_station_add(st, &s), HG_OK);
	memset(&api, 0, sizeof api);
	api.st = st;
	assert_int_equal(keys_generate(&plant), HG_OK);
	memcpy(api.sk, plant.sk, sizeof api.sk);
	memcpy(api.pk, plant.pk, sizeof api.pk);
	randombytes_buf(api.pin, sizeof api.pin);
	api.has_pin = 1;
	assert_int_equal(potw_key_name("test-plant", api.key_name, sizeof api.key_name), HG_OK);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	potw_store_close(st);
	tu_rmtree(dir);
	return 0;
}

struct edit_row {
	struct roster_ev e;
	int rc;
	long long version;	/* after it */
	long long id;		/* the row's id given, on success */
};

static const struct edit_row edits[] = {
	/* the first hauler: version 1, id 1 */
	{ { .kind = RE_HAULER_ADDED, .hauler = &acme }, HG_OK, 1, 1 },
	/* a card of a hauler the roster does not have: nothing logged */
	{ { .kind = RE_CARD_ADDED, .hauler_id = 7, .uid = "04a1b2c3", .text = "Bo",
	    .pin_hash = HASH }, HG_ENOTFOUND, 1, 0 },
	/* a bad value: refused before the store */
	{ { .kind = RE_TRUCK_ADDED, .hauler_id = 1, .text = "T", .capacity = 0 }, HG_EINVAL, 1, 0 },
	/* the card */
	{ { .kind = RE_CARD_ADDED, .hauler_id = 1, .uid = "04:A1:B2:C3", .text = "Bo",
	    .pin_hash = HASH }, HG_OK, 2, 1 },
	/* an operator with the card's UID */
	{ { .kind = RE_OPERATOR_ADDED, .uid = "04a1b2c3", .text = "Op", .pin_hash = HASH },
	  HG_EEXIST, 2, 0 },
	{ { .kind = RE_OPERATOR_ADDED, .uid = "0a0b0c0d", .text = "Op", .pin_hash = HASH },
	  HG_OK, 3, 1 },
	/* an operator's card is not a hauler card to revoke */
	{ { .kind = RE_CARD_REVOKED, .uid = "0a0b0c0d" }, HG_ENOTFOUND, 3, 0 },
	{ { .kind = RE_CARD_REVOKED, .uid = "04a1b2c3" }, HG_OK, 4, 1 },
	/* a second hauler: id 2; its truck id 1 */
	{ { .kind = RE_HAULER_ADDED, .hauler = &acme }, HG_OK, 5, 2 },
	{ { .kind = RE_TRUCK_ADDED, .hauler_id = 2, .text = "KS 1", .capacity = 3000 }, HG_OK, 6, 1 },
	/* a permit of a hauler not there, then of one that is */
	{ { .kind = RE_PERMIT, .id = 3, .text = "P-2" }, HG_ENOTFOUND, 6, 0 },
	{ { .kind = RE_PERMIT, .id = 2, .text = "P-2", .from = "2026-01-01", .to = "2026-02-01" },
	  HG_OK, 7, 2 },
	{ { .kind = RE_HAULER_SUSPENDED, .id = 1 }, HG_OK, 8, 1 },
	{ { .kind = RE_ANALYSIS, .id = 1, .date = "2026-03-01" }, HG_OK, 9, 1 },
};

static void test_edits(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(edits); i++) {
		struct roster_ev e = edits[i].e;
		long long v = -1, seq = 0;
		int rc = potw_roster_edit(&api, &e, "potw:test", "cli:test", NOW + (hg_time)i, &seq);

		if (rc != edits[i].rc)
			fail_msg("row %zu: rc %d, not %d (%s)", i, rc, edits[i].rc, hg_error_text());
		assert_int_equal(potw_roster_version(&api, &v), HG_OK);
		if (v != edits[i].version)
			fail_msg("row %zu: version %lld, not %lld", i, v, edits[i].version);
		if (rc == HG_OK) {
			assert_int_equal(seq, v);
			assert_int_equal(e.id, edits[i].id);
		}
	}
}

/* Two connections (two processes) edit in turns: the log follows on. */
static void test_two_connections(void **state)
{
	struct potw_store *st2;
	struct potw_api api2 = api;
	long long v0, seq = 0;

	(void)state;
	assert_int_equal(potw_store_open(path, 0, &st2), HG_OK);
	api2.st = st2;
	assert_int_equal(potw_roster_version(&api, &v0), HG_OK);
	for (int i = 0; i < 6; i++) {
		struct roster_ev e = { .kind = RE_HAULER_ADDED, .hauler = &acme };

		assert_int_equal(potw_roster_edit(i % 2 ? &api2 : &api, &e, "potw:test", "cli:test", NOW, &seq),
				 HG_OK);
		assert_int_equal(seq, v0 + i + 1);
		assert_int_equal(e.id, 3 + i);	/* haulers 1 and 2 are there */
	}
	potw_store_close(st2);
}

struct query_row {
	const char *query;
	unsigned int status;
	long long since;	/* for a 200: the events sent start after it */
};

static const struct query_row queries[] = {
	{ "since=0", 200, 0 },
	{ "since=4", 200, 4 },
	{ "since=15", 200, 15 },		/* the last: nothing new */
	{ NULL, 400, 0 },			/* no query */
	{ "", 400, 0 },
	{ "since=", 400, 0 },
	{ "since=01", 400, 0 },			/* no leading zeros */
	{ "since=-1", 400, 0 },
	{ "since=1x", 400, 0 },
	{ "since=0&x=1", 400, 0 },		/* its only parameter */
	{ "x=1&since=0", 400, 0 },
	{ "since=16", 409, 0 },			/* past the plant's log */
	{ "since=99999999999999999999", 400, 0 },
};

/* The answer's checkpoint opened with the plant's key, its root the
 * events' (answer from 0). */
static void check_answer(const cJSON *o, long long size)
{
	const cJSON *evs = cJSON_GetObjectItemCaseSensitive(o, "events"), *e;
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(o, "checkpoint");
	const cJSON *sealed = cJSON_GetObjectItemCaseSensitive(o, "pin_key_sealed");
	struct note_verifier v;
	struct note_opened *op = malloc(sizeof *op);
	struct note_checkpoint nc;
	struct merkle_range mr;
	uint8_t root[32], h[32], leaf[32], x_pk[32], x_sk[32], pin[32];
	uint8_t box[32 + crypto_box_SEALBYTES];
	size_t n = 0;

	assert_non_null(op);
	merkle_range_init(&mr);
	cJSON_ArrayForEach(e, evs) {
		const char *hash = cJSON_GetObjectItemCaseSensitive(e, "hash")->valuestring;

		assert_int_equal(sodium_base642bin(h, 32, hash, strlen(hash), NULL, &n, NULL,
						   sodium_base64_VARIANT_ORIGINAL), 0);
		merkle_leaf_hash(h, leaf);
		assert_int_equal(merkle_range_append(&mr, leaf, NULL, NULL), HG_OK);
	}
	merkle_range_root(&mr, root);
	memset(&v, 0, sizeof v);
	snprintf(v.name, sizeof v.name, "%s", api.key_name);
	memcpy(v.pk, api.pk, 32);
	v.id = note_key_id(v.name, v.pk);
	assert_true(cJSON_IsString(note));
	assert_int_equal(note_open(note->valuestring, strlen(note->valuestring), &v, 1, 1, op), HG_OK);
	assert_int_equal(note_checkpoint_parse(note->valuestring, op->text_len, &nc), HG_OK);
	assert_int_equal((long long)nc.size, size);
	assert_memory_equal(nc.root, root, 32);
	free(op);
	/* the PIN key opens with the station's key, and is the plant's */
	assert_true(cJSON_IsString(sealed));
	assert_int_equal(sodium_base642bin(box, sizeof box, sealed->valuestring,
					   strlen(sealed->valuestring), NULL, &n, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, sizeof box);
	assert_int_equal(crypto_sign_ed25519_pk_to_curve25519(x_pk, station_kp.pk), 0);
	assert_int_equal(crypto_sign_ed25519_sk_to_curve25519(x_sk, station_kp.sk), 0);
	assert_int_equal(crypto_box_seal_open(pin, box, sizeof box, x_pk, x_sk), 0);
	assert_memory_equal(pin, api.pin, 32);
}

static void test_queries(void **state)
{
	long long size;

	(void)state;
	assert_int_equal(potw_roster_version(&api, &size), HG_OK);
	assert_int_equal(size, 15);	/* edits[] and the two connections' */
	for (size_t i = 0; i < HG_ARRAY_LEN(queries); i++) {
		struct potw_reply r = { 0, NULL };
		cJSON *o;

		assert_int_equal(potw_sync_roster(&api, "st-01", queries[i].query, &r), HG_OK);
		if (r.status != queries[i].status)
			fail_msg("row %zu (%s): %u, not %u: %s", i, queries[i].query ? queries[i].query
				 : "(none)", r.status, queries[i].status, r.body);
		o = cJSON_Parse(r.body);
		assert_non_null(o);
		if (r.status == 200) {
			const cJSON *evs = cJSON_GetObjectItemCaseSensitive(o, "events");
			long long want = size - queries[i].since;

			assert_int_equal(cJSON_GetArraySize(evs), want);
			assert_int_equal(cJSON_GetObjectItemCaseSensitive(o, "version")->valuedouble, size);
			if (want)
				assert_int_equal(cJSON_GetArrayItem(evs, 0)->child->valuedouble,
						 queries[i].since + 1);
			if (queries[i].since == 0)
				check_answer(o, size);
		}
		cJSON_Delete(o);
		free(r.body);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_two_connections),
		cmocka_unit_test(test_queries),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
