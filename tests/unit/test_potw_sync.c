/* test_potw_sync.c: the plant's sync endpoints apart from HTTP (potw/api.h)
 * and the plant's copy of the record (potw/store.h).
 *
 * The rec_* tables: made from record_tables[] (core/record.h), so every
 * table and column of the projection is there, in order, the station_id
 * leading, keyed by it and the table's key (or its UNIQUE).  Then bodies a
 * station sends, to potw_sync_events(), one table of cases played in order
 * against one station: taken and cosigned (the note opens with both keys),
 * a resend, every refusal of docs/SYNC.md with its status and code, a
 * checkpoint of another size, with an extension line, by another key, one
 * that does not extend the stored one (its root edited in the database),
 * an event the projection refuses, a batch of 1,001 events, and then
 * potw_sync_state() and potw_verify_station() (the log as held, and the
 * edited checkpoint found).  Start reading at main(). */
#include "testutil.h"

#include <cJSON.h>
#include <sodium.h>
#include <sqlite3.h>

#include "../../potw/api.h"
#include "../../potw/verify.h"
#include "../../core/keys.h"
#include "../../core/merkle.h"
#include "../../core/note.h"
#include "../../core/record.h"
#include "../../core/report.h"

#define NOW 1796450000LL
#define CHAIN 1100

static char dir[256], path[320];
static struct potw_event chain[CHAIN + 1];
static char details[CHAIN + 1][48];
static struct keypair station_kp, other_kp;
static struct potw_api api;
static struct potw_store *st;

static void make_chain(void)
{
	static const uint8_t zero[32];
	long long i;

	for (i = 1; i <= CHAIN; i++) {
		struct potw_event *e = &chain[i];

		snprintf(details[i], sizeof details[i], "{\"uid\":\"04%06lld\"}", i);
		memset(e, 0, sizeof *e);
		e->seq = i;
		e->ts = NOW + i;
		e->type = "card_tap";	/* a type that makes no row */
		e->actor = "kiosk";
		e->detail = details[i];
		memcpy(e->prev_hash, i == 1 ? zero : chain[i - 1].hash, 32);
		assert_int_equal(potw_event_hash(e, e->hash), HG_OK);
	}
}

static int setup(void **state)
{
	struct potw_station s;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potwsync"), 0);
	snprintf(path, sizeof path, "%s/potw.db", dir);
	make_chain();
	assert_int_equal(keys_generate(&station_kp), HG_OK);
	assert_int_equal(keys_generate(&other_kp), HG_OK);
	assert_int_equal(potw_store_open(path, POTW_STORE_CREATE, &st), HG_OK);
	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "st-01");
	snprintf(s.name, sizeof s.name, "North gate");
	memcpy(s.pk, station_kp.pk, 32);
	s.added = NOW;
	assert_int_equal(potw_store_station_add(st, &s), HG_OK);
	memset(&api, 0, sizeof api);
	api.st = st;
	{
		struct keypair plant;

		assert_int_equal(keys_generate(&plant), HG_OK);
		memcpy(api.sk, plant.sk, sizeof api.sk);
		memcpy(api.pk, plant.pk, sizeof api.pk);
	}
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

/* ---- the plant's tables ---- */

static void test_record_schema(void **state)
{
	sqlite3 *db;
	sqlite3_stmt *k;
	char sql[200];
	int t, c;

	(void)state;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (t = 0; t < record_ntables; t++) {
		const struct rec_table *rt = &record_tables[t];
		int pk_cols = 0;

		snprintf(sql, sizeof sql, "SELECT name, pk FROM pragma_table_info('" POTW_REC_PREFIX
			 "%s') ORDER BY cid", rt->name);
		assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &k, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(k), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(k, 0), POTW_REC_STATION);
		pk_cols += sqlite3_column_int(k, 1) > 0;
		for (c = 0; c < rt->ncols; c++) {
			if (sqlite3_step(k) != SQLITE_ROW)
				fail_msg("rec_%s lacks column %s", rt->name, rt->cols[c].name);
			assert_string_equal((const char *)sqlite3_column_text(k, 0), rt->cols[c].name);
			if (sqlite3_column_int(k, 1) > 0) {
				/* the key's columns, in the key's order after station_id */
				assert_true(c < rt->nkey);
				assert_int_equal(sqlite3_column_int(k, 1), c + 2);
				pk_cols++;
			}
		}
		assert_int_equal(sqlite3_step(k), SQLITE_DONE);	/* no column more */
		sqlite3_finalize(k);
		/* keyed by station and the key, or by station and the UNIQUE */
		assert_int_equal(pk_cols, rt->unique ? 0 : 1 + rt->nkey);
		if (rt->unique) {
			snprintf(sql, sizeof sql, "SELECT count(*) FROM pragma_index_list('"
				 POTW_REC_PREFIX "%s') WHERE \"unique\"", rt->name);
			assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &k, NULL), SQLITE_OK);
			assert_int_equal(sqlite3_step(k), SQLITE_ROW);
			assert_int_equal(sqlite3_column_int(k, 0), 1);
			sqlite3_finalize(k);
		}
	}
	sqlite3_close(db);
}

/* ---- batches ---- */

/* The checkpoint of the first size events of chain, signed by sk under the
 * station's origin (extension: one more line), into note[NOTE_MAX + 1]. */
static void sign_checkpoint(long long size, const uint8_t *sk, int extension, char *note)
{
	struct merkle_range r;
	char origin[NOTE_NAME_MAX + 1], text[600];
	uint8_t leaf[32], root[32];
	size_t len;
	long long i;

	merkle_range_init(&r);
	for (i = 1; i <= size; i++) {
		merkle_leaf_hash(chain[i].hash, leaf);
		assert_int_equal(merkle_range_append(&r, leaf, NULL, NULL), HG_OK);
	}
	merkle_range_root(&r, root);
	assert_int_equal(note_station_origin("st-01", origin, sizeof origin), HG_OK);
	assert_int_equal(note_checkpoint_text(origin, (uint64_t)size, root, text, sizeof text, &len),
			 HG_OK);
	if (extension) {
		memcpy(text + len, "extra\n", 7);
		len += 6;
	}
	assert_int_equal(note_sign(text, len, origin, sk, note, NOTE_MAX + 1, NULL), HG_OK);
}

static char *body_of(long long from, long long to, long long cp_size, const uint8_t *sk,
		     int extension, const char *edit_detail)
{
	static char note[NOTE_MAX + 1];
	char h[48];
	cJSON *o = cJSON_CreateObject(), *evs;
	char *text;
	long long i;

	sign_checkpoint(cp_size, sk, extension, note);
	cJSON_AddNumberToObject(o, "from", (double)from);
	evs = cJSON_AddArrayToObject(o, "events");
	for (i = from; i <= to; i++) {
		cJSON *e = cJSON_CreateObject();

		cJSON_AddNumberToObject(e, "seq", (double)chain[i].seq);
		cJSON_AddNumberToObject(e, "ts", (double)chain[i].ts);
		cJSON_AddStringToObject(e, "type", chain[i].type);
		cJSON_AddNumberToObject(e, "load_no", (double)chain[i].load_no);
		cJSON_AddStringToObject(e, "actor", chain[i].actor);
		cJSON_AddStringToObject(e, "detail", i == from && edit_detail ? edit_detail
									    : chain[i].detail);
		sodium_bin2base64(h, sizeof h, chain[i].prev_hash, 32, sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(e, "prev_hash", h);
		sodium_bin2base64(h, sizeof h, chain[i].hash, 32, sodium_base64_VARIANT_ORIGINAL);
		cJSON_AddStringToObject(e, "hash", h);
		cJSON_AddItemToArray(evs, e);
	}
	cJSON_AddStringToObject(o, "checkpoint", note);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

/* One case: a body (by its parts, or given whole) and what must come back. */
struct sync_case {
	const char *name;
	long long from, to, cp_size;	/* cp_size 0: to */
	int other_key, extension;
	const char *edit_detail;	/* the first event's detail, edited */
	const char *raw;		/* a body given whole */
	unsigned int status;
	const char *error;		/* the error code, or NULL for a 200 */
	long long seq_or_size;		/* "seq" of a refusal, "size" of a gap or a 200 */
	long long held;			/* events held after it */
};

static const struct sync_case cases[] = {
	{ "the first batch", 1, 10, 0, 0, 0, NULL, NULL, 200, NULL, 10, 10 },
	{ "sent again: taken once", 1, 10, 0, 0, 0, NULL, NULL, 200, NULL, 10, 10 },
	{ "an older part of it again", 3, 6, 0, 0, 0, NULL, NULL, 200, NULL, 10, 10 },
	{ "a gap", 12, 14, 0, 0, 0, NULL, NULL, 409, "gap", 10, 10 },
	{ "a tampered detail", 11, 14, 0, 0, 0, "{\"uid\":\"ffffffff\"}", NULL, 422, "chain", 11, 10 },
	{ "a checkpoint of another size", 11, 14, 13, 0, 0, NULL, NULL, 422, "checkpoint", 0, 10 },
	{ "a checkpoint with an extension line", 11, 14, 0, 0, 1, NULL, NULL, 422, "checkpoint", 0, 10 },
	{ "a checkpoint by another key", 11, 14, 0, 1, 0, NULL, NULL, 422, "checkpoint", 0, 10 },
	{ "not JSON", 0, 0, 0, 0, 0, NULL, "{\"from\":", 400, "malformed", 0, 10 },
	{ "no checkpoint", 0, 0, 0, 0, 0, NULL, "{\"from\":11,\"events\":[]}", 400, "malformed", 0, 10 },
	{ "from is not the first event", 0, 0, 0, 0, 0, NULL,
	  "{\"from\":12,\"checkpoint\":\"x\",\"events\":[{\"seq\":11,\"ts\":1,\"type\":\"a\","
	  "\"load_no\":0,\"actor\":\"\",\"detail\":\"\",\"prev_hash\":\"AAAAAAAAAAAAAAAAAAAAAAAA"
	  "AAAAAAAAAAAAAAAAAAA=\",\"hash\":\"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\"}]}",
	  400, "malformed", 0, 10 },
	{ "a hash that is not 32 bytes", 0, 0, 0, 0, 0, NULL,
	  "{\"from\":11,\"checkpoint\":\"x\",\"events\":[{\"seq\":11,\"ts\":1,\"type\":\"a\","
	  "\"load_no\":0,\"actor\":\"\",\"detail\":\"\",\"prev_hash\":\"AAAA\",\"hash\":\"AAAA\"}]}",
	  400, "malformed", 0, 10 },
	{ "the next batch", 11, 30, 0, 0, 0, NULL, NULL, 200, NULL, 30, 30 },
	{ "1,001 events", 31, 1031, 0, 0, 0, NULL, NULL, 413, "too-large", 0, 30 },
	{ "1,000 events", 31, 1030, 0, 0, 0, NULL, NULL, 200, NULL, 1030, 1030 },
};

static long long held(void)
{
	struct potw_log_state ls;

	assert_int_equal(potw_store_log_state(st, "st-01", &ls), HG_OK);
	return ls.size;
}

static void check_reply(const struct sync_case *c, const struct potw_reply *r)
{
	cJSON *o = cJSON_Parse(r->body);
	const cJSON *e, *n;

	if (r->status != c->status)
		fail_msg("%s: status %u, not %u: %s", c->name, r->status, c->status, r->body);
	assert_non_null(o);
	e = cJSON_GetObjectItemCaseSensitive(o, "error");
	if (!c->error) {
		struct note_verifier v[2];
		struct note_opened op;
		const cJSON *cp = cJSON_GetObjectItemCaseSensitive(o, "checkpoint");

		assert_null(e);
		n = cJSON_GetObjectItemCaseSensitive(o, "size");
		assert_true(cJSON_IsNumber(n) && (long long)n->valuedouble == c->seq_or_size);
		/* the cosigned note opens with the station's key and the plant's */
		assert_true(cJSON_IsString(cp));
		assert_int_equal(note_station_origin("st-01", v[0].name, sizeof v[0].name), HG_OK);
		memcpy(v[0].pk, station_kp.pk, 32);
		v[0].id = note_key_id(v[0].name, v[0].pk);
		memcpy(v[1].name, api.key_name, sizeof v[1].name);
		memcpy(v[1].pk, api.pk, 32);
		v[1].id = note_key_id(v[1].name, v[1].pk);
		if (note_open(cp->valuestring, strlen(cp->valuestring), v, 2, 3, &op) != HG_OK)
			fail_msg("%s: %s", c->name, hg_error_text());
	} else {
		assert_true(cJSON_IsString(e));
		if (strcmp(e->valuestring, c->error) != 0)
			fail_msg("%s: error %s, not %s", c->name, e->valuestring, c->error);
		n = cJSON_GetObjectItemCaseSensitive(o, !strcmp(c->error, "gap") ? "size" : "seq");
		if (c->seq_or_size)
			assert_true(cJSON_IsNumber(n) && (long long)n->valuedouble == c->seq_or_size);
	}
	cJSON_Delete(o);
}

static void test_batches(void **state)
{
	struct potw_reply r;
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(cases); i++) {
		const struct sync_case *c = &cases[i];
		char *body = c->raw ? NULL
				    : body_of(c->from, c->to, c->cp_size ? c->cp_size : c->to,
					      c->other_key ? other_kp.sk : station_kp.sk,
					      c->extension, c->edit_detail);
		const char *b = c->raw ? c->raw : body;

		memset(&r, 0, sizeof r);
		assert_int_equal(potw_sync_events(&api, "st-01", b, strlen(b), NOW + 100, &r), HG_OK);
		check_reply(c, &r);
		if (held() != c->held)
			fail_msg("%s: %lld events held, not %lld", c->name, held(), c->held);
		free(r.body);
		cJSON_free(body);
	}
}

/* A stored checkpoint whose root was edited: the next one does not extend
 * it, and is refused. */
static void test_not_extending(void **state)
{
	struct potw_reply r;
	sqlite3 *db;
	char *body;

	(void)state;
	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE checkpoints SET root = zeroblob(32) WHERE size = "
				      "(SELECT max(size) FROM checkpoints)", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	body = body_of(1031, 1040, 1040, station_kp.sk, 0, NULL);
	assert_int_equal(potw_sync_events(&api, "st-01", body, strlen(body), NOW, &r), HG_OK);
	assert_int_equal(r.status, 422);
	assert_non_null(strstr(r.body, "does not extend the checkpoint of size 1030"));
	assert_int_equal(held(), 1030);
	{
		struct potw_verify v;

		/* and verify finds the edited row */
		assert_int_equal(potw_verify_station(st, "st-01", api.pk, api.key_name, &v),
				 HG_ECORRUPT);
		assert_string_equal(v.what, "checkpoint");
		assert_int_equal(v.first_bad, 1030);
	}
	free(r.body);
	cJSON_free(body);
}

/* An event the projection cannot take (a pin_ok without its pin_state):
 * 422 project, nothing kept. */
static void test_projection_refused(void **state)
{
	struct potw_store *s2;
	struct potw_append_result res;
	struct potw_event e;
	struct potw_station s;
	static const uint8_t zero[32];

	(void)state;
	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "st-02");
	snprintf(s.name, sizeof s.name, "South gate");
	memset(s.pk, 7, 32);
	s2 = st;
	assert_int_equal(potw_store_station_add(s2, &s), HG_OK);
	memset(&e, 0, sizeof e);
	e.seq = 1;
	e.ts = NOW;
	e.type = "pin_ok";
	e.actor = "card:04a1b2c3";
	e.detail = "{}";
	memcpy(e.prev_hash, zero, 32);
	assert_int_equal(potw_event_hash(&e, e.hash), HG_OK);
	assert_int_equal(potw_store_sync_batch(s2, "st-02", &e, 1, NOW, NULL, &res), HG_ECORRUPT);
	assert_int_equal(res.fault, POTW_FAULT_PROJECT);
	assert_int_equal(res.bad_seq, 1);
	assert_non_null(strstr(res.why, "pin_state"));
	assert_int_equal(potw_store_station_get(s2, "st-02", &s), HG_OK);
	assert_int_equal(s.events, 0);
}

static void test_state(void **state)
{
	struct potw_reply r;
	cJSON *o;
	char h[48];

	(void)state;
	assert_int_equal(potw_sync_state(&api, "st-01", NOW + 200, &r), HG_OK);
	assert_int_equal(r.status, 200);
	o = cJSON_Parse(r.body);
	assert_non_null(o);
	assert_int_equal((long long)cJSON_GetObjectItem(o, "size")->valuedouble, 1030);
	sodium_bin2base64(h, sizeof h, chain[1030].hash, 32, sodium_base64_VARIANT_ORIGINAL);
	assert_string_equal(cJSON_GetObjectItem(o, "head")->valuestring, h);
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "fork")));
	assert_non_null(strstr(cJSON_GetObjectItem(o, "checkpoint")->valuestring, "\n1030\n"));
	cJSON_Delete(o);
	free(r.body);
}

/* verify walks the log as held: every event, the kept nodes, every
 * checkpoint (1030 events in batches of 10, 4, 20, 1000: four sizes) */
static void test_verify(void **state)
{
	struct potw_verify v;

	(void)state;
	if (potw_verify_station(st, "st-01", api.pk, api.key_name, &v) != HG_OK)
		fail_msg("%s", hg_error_text());
	assert_int_equal(v.events, 1030);
	assert_int_equal(v.checkpoints, 4);
	assert_int_equal(v.nodes, 1030 / 16 + 1030 / 256);	/* levels 4 and 8 */
	assert_int_equal(v.forks, 0);
	assert_int_equal(v.rows, 0);	/* card taps make no row */
	/* the plant's key under another name is not the plant's */
	assert_int_equal(potw_verify_station(st, "st-01", api.pk, "haulgate.potw/other", &v),
			 HG_ECORRUPT);
	assert_string_equal(v.what, "checkpoint");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_record_schema),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_state),
		cmocka_unit_test(test_verify),
		cmocka_unit_test(test_not_extending),
		cmocka_unit_test(test_projection_refused),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, setup, teardown);
}
