/* test_store_chain.c: the event log's hash chain (db/store.c): the bytes each
 * event is hashed over, and `verify` finding the first bad event after the
 * ways an intruder would tamper (edit, delete, insert, reorder, forge with a
 * recomputed hash), through a second sqlite3 connection.  The chain is also
 * recomputed independently from docs/SCHEMA.md (store_raw.h).  And the
 * store's fault injection (store_fail_commit): a commit that fails as on a
 * full disk writes nothing and leaves the chain whole. */
#include "testutil.h"
#include "fixture_store.h"
#include "store_raw.h"

#include "../../db/store.h"
#include "../../core/chain.h"
#include "../../core/text.h"

/* ---- tampering, found by store_verify ---- */

#define NEV 10

static void fill_log(struct store_fx *f)
{
	struct event_in ev[NEV];
	char detail[NEV][64];

	for (int i = 0; i < NEV; i++) {
		snprintf(detail[i], sizeof detail[i], "{\"n\":%d,\"s\":\"q\\\"uote\"}", i + 1);
		ev[i] = (struct event_in){ 1000 + i, "note", i % 3, "cli", detail[i] };
	}
	/* one by one and in a batch: the same chain */
	assert_int_equal(store_event(f->st, ev[0].ts, ev[0].type, ev[0].load_no, ev[0].actor,
				     ev[0].detail), HG_OK);
	assert_int_equal(store_event_batch(f->st, ev + 1, NEV - 1), HG_OK);
}

/* Insert a row in the middle, renumbering the rest, with a correct hash for
 * its own content: only the link of the next one can tell. */
static void t_insert_forged(const char *path)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	uint8_t prev[32], h[32];

	assert_int_equal(sqlite3_exec(db, "UPDATE events SET seq = seq + 1000 WHERE seq >= 6;"
				      "UPDATE events SET seq = seq - 999 WHERE seq >= 1006;",
				      NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT hash FROM events WHERE seq = 5", -1, &s, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	memcpy(prev, sqlite3_column_blob(s, 0), 32);
	sqlite3_finalize(s);
	doc_hash(prev, 6, 1004, "note", 0, "intruder", "{}", h);
	assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO events VALUES (6, 1004, 'note', 0, "
					    "'intruder', '{}', ?1, ?2)", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, prev, 32, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, h, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* Edit row 5 and give it the right hash for its new content. */
static void t_edit_rehash(const char *path)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	uint8_t prev[32], h[32];

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT prev_hash FROM events WHERE seq = 5", -1, &s,
					    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	memcpy(prev, sqlite3_column_blob(s, 0), 32);
	sqlite3_finalize(s);
	doc_hash(prev, 5, 1004, "note", 1, "cli", "{\"n\":5000}", h);
	assert_int_equal(sqlite3_prepare_v2(db, "UPDATE events SET detail = '{\"n\":5000}', hash = ?1 "
					    "WHERE seq = 5", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_blob(s, 1, h, 32, SQLITE_STATIC);
	assert_int_equal(sqlite3_step(s), SQLITE_DONE);
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static void test_verify_tamper(void **state)
{
	static const struct {
		const char *what;
		const char *sql;	/* raw SQL, or NULL and fn */
		void (*fn)(const char *path);
		int reopen;		/* look with a freshly opened store */
		int rc;
		long long first_bad;
		const char *why;
	} rows[] = {
		/* untouched */
		{"good chain", "", NULL, 0, HG_OK, 0, ""},
		{"good chain, reopened", "", NULL, 1, HG_OK, 0, ""},
		/* an edited detail */
		{"edit detail", "UPDATE events SET detail = '{\"n\":50}' WHERE seq = 5", NULL, 0,
		 HG_ECORRUPT, 5, "event 5: content does not match its hash (edited?)"},
		/* an edited time, type, load number, actor */
		{"edit ts", "UPDATE events SET ts = ts + 1 WHERE seq = 3", NULL, 0, HG_ECORRUPT, 3,
		 "event 3: content does not match"},
		{"edit type", "UPDATE events SET type = 'nope' WHERE seq = 7", NULL, 0, HG_ECORRUPT, 7,
		 "event 7: content does not match"},
		{"edit load_no", "UPDATE events SET load_no = 99 WHERE seq = 10", NULL, 1, HG_ECORRUPT, 10,
		 "event 10: content does not match"},
		{"edit actor", "UPDATE events SET actor = 'cli ' WHERE seq = 1", NULL, 0, HG_ECORRUPT, 1,
		 "event 1: content does not match"},
		/* a newline moved between fields is not a way around the encoding */
		{"newline in type", "UPDATE events SET type = 'no' || char(10) || 'te' WHERE seq = 2", NULL,
		 0, HG_ECORRUPT, 2, "event 2: malformed row"},
		{"short hash", "UPDATE events SET hash = zeroblob(31) WHERE seq = 4", NULL, 0, HG_ECORRUPT, 4,
		 "event 4: malformed"},
		/* a deleted row */
		{"delete row", "DELETE FROM events WHERE seq = 4", NULL, 0, HG_ECORRUPT, 4,
		 "event 4: sequence jumps from 3 to 5 (deleted?)"},
		{"delete first", "DELETE FROM events WHERE seq = 1", NULL, 1, HG_ECORRUPT, 1,
		 "event 1: sequence jumps from 0 to 2 (deleted?)"},
		/* the tail deleted while the station runs: it knows how far it wrote */
		{"delete tail, running", "DELETE FROM events WHERE seq >= 9", NULL, 0, HG_ECORRUPT, 9,
		 "event 9: missing"},
		/* a row inserted in the middle with a well-forged hash of its own */
		{"insert forged", NULL, t_insert_forged, 0, HG_ECORRUPT, 7,
		 "event 7: prev_hash does not match event 6 (inserted or reordered?)"},
		/* a row appended with a made-up hash */
		{"append", "INSERT INTO events VALUES (11, 2000, 'note', 0, 'x', '{}', zeroblob(32), "
		 "zeroblob(32))", NULL, 0, HG_ECORRUPT, 11, "event 11: prev_hash does not match event 10"},
		/* two rows swapped whole (reordered) */
		{"swap rows", "UPDATE events SET seq = -3 WHERE seq = 3; UPDATE events SET seq = 3 WHERE "
		 "seq = 4; UPDATE events SET seq = 4 WHERE seq = -3", NULL, 0, HG_ECORRUPT, 3,
		 "event 3: prev_hash does not match event 2 (inserted or reordered?)"},
		/* two rows' contents swapped, hashes left */
		{"swap details", "UPDATE events SET detail = CASE seq WHEN 3 THEN (SELECT detail FROM "
		 "events WHERE seq = 4) ELSE (SELECT detail FROM events WHERE seq = 3) END "
		 "WHERE seq IN (3, 4)", NULL, 0, HG_ECORRUPT, 3, "event 3: content does not match"},
		/* an edit whose own hash is recomputed: the next link breaks */
		{"edit and rehash", NULL, t_edit_rehash, 0, HG_ECORRUPT, 6,
		 "event 6: prev_hash does not match event 5"},
		/* first event's prev_hash must be zero */
		{"first prev_hash", "UPDATE events SET prev_hash = randomblob(32) WHERE seq = 1", NULL, 0,
		 HG_ECORRUPT, 1, "event 1: prev_hash is not all zero"},
	};
	struct store_fx *f = *state;

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct verify_result vr;
		int rc;

		/* a fresh log of NEV events for each row */
		store_close(f->st);
		tu_rmtree(f->dir);
		assert_int_equal(tu_tmpdir(f->dir, sizeof f->dir, "tamper"), 0);
		snprintf(f->path, sizeof f->path, "%s/station.db", f->dir);
		assert_int_equal(store_open(&f->st, f->path, 1), HG_OK);
		fill_log(f);
		check_chain_by_doc(f->path);

		if (rows[i].sql && *rows[i].sql)
			raw_exec(f->path, rows[i].sql);
		if (rows[i].fn)
			rows[i].fn(f->path);
		if (rows[i].reopen) {
			store_close(f->st);
			assert_int_equal(store_open(&f->st, f->path, 0), HG_OK);
		}
		rc = store_verify(f->st, &vr);
		if (rc != rows[i].rc || vr.first_bad != rows[i].first_bad ||
		    !strstr(vr.why, rows[i].why))
			fail_msg("%s: rc %d first_bad %lld why '%s'", rows[i].what, rc, vr.first_bad,
				 vr.why);
		if (rc == HG_OK)
			assert_int_equal(vr.checked, NEV);
		else
			assert_non_null(strstr(hg_error_text(), rows[i].why));
	}

	/* what it cannot see: the tail cut off before this store was opened */
	{
		struct verify_result vr;

		store_close(f->st);
		tu_rmtree(f->dir);
		assert_int_equal(tu_tmpdir(f->dir, sizeof f->dir, "tamper"), 0);
		snprintf(f->path, sizeof f->path, "%s/station.db", f->dir);
		assert_int_equal(store_open(&f->st, f->path, 1), HG_OK);
		fill_log(f);
		store_close(f->st);
		raw_exec(f->path, "DELETE FROM events WHERE seq >= 9");
		assert_int_equal(store_open(&f->st, f->path, 0), HG_OK);
		assert_int_equal(store_verify(f->st, &vr), HG_OK);	/* documented limit */
		assert_int_equal(vr.checked, 8);
		/* and the chain goes on from there */
		assert_int_equal(store_event(f->st, 3000, "note", 0, "cli", NULL), HG_OK);
		assert_int_equal(store_verify(f->st, &vr), HG_OK);
		assert_int_equal(vr.checked, 9);
	}
}

/* The canonical bytes are those documented. */
static void test_event_bytes(void **state)
{
	static const struct {
		const char *what;
		long long seq, ts, load_no;
		const char *type, *actor, *detail;
		const char *bytes;
	} rows[] = {
		/* plain */
		{"plain", 1, 1700000000, 0, "note", "cli", "{}", "1\n1700000000\nnote\n0\ncli\n{}\n"},
		/* NULL actor and detail are empty lines */
		{"nulls", 12, 5, 7, "decision", NULL, NULL, "12\n5\ndecision\n7\n\n\n"},
		/* negative time, newline inside the detail kept as is */
		{"negative", 3, -86400, 0, "x", "a", "{\"a\":\"b\nc\"}", "3\n-86400\nx\n0\na\n{\"a\":\"b\nc\"}\n"},
	};
	char buf[256];
	(void)state;

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int n = store_event_bytes(buf, sizeof buf, rows[i].seq, rows[i].ts, rows[i].type,
					  rows[i].load_no, rows[i].actor, rows[i].detail);

		assert_int_equal(n, (int)strlen(rows[i].bytes));
		assert_memory_equal(buf, rows[i].bytes, (size_t)n);
	}
	assert_int_equal(store_event_bytes(buf, 10, 1, 1, "note", 0, "cli", "{}"), HG_ETOOLONG);
}

/* core/chain.c's chain_hash(), which the plant recomputes every event with,
 * gives the very hashes the store wrote (its own OpenSSL path): one chain. */
static void test_chain_hash_is_the_store_s(void **state)
{
	struct store_fx *f = *state;
	static const char *const details[] = { "", "{}", "{\"a\":\"b\\nc\"}", "{\"n\":12}" };
	uint8_t prev[CHAIN_HASH] = {0}, want[CHAIN_HASH];
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;

	for (size_t i = 0; i < HG_ARRAY_LEN(details); i++)
		assert_int_equal(store_event(f->st, 1700000000 + (hg_time)i, "note", (long long)i,
					     i % 2 ? "cli" : "", details[i]), HG_OK);
	assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, ts, type, load_no, actor, detail, "
					    "prev_hash, hash FROM events ORDER BY seq", -1, &s,
					    NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		struct chain_event e = {
			sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
			(const char *)sqlite3_column_text(s, 2), sqlite3_column_int64(s, 3),
			(const char *)sqlite3_column_text(s, 4), (const char *)sqlite3_column_text(s, 5)
		};
		uint8_t got[CHAIN_HASH];

		assert_memory_equal(sqlite3_column_blob(s, 6), prev, CHAIN_HASH);
		memcpy(want, sqlite3_column_blob(s, 7), CHAIN_HASH);
		chain_hash(prev, &e, got);
		assert_memory_equal(got, want, CHAIN_HASH);
		memcpy(prev, got, CHAIN_HASH);
		n++;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	assert_true(n >= (int)HG_ARRAY_LEN(details));
}

/* ---- text from people, stored verbatim ---- */

/* store_fail_commit: which of five events in a row are written. */
static void test_fail_commit(void **state)
{
	static const struct {
		int nth, forever;
		const char *written;	/* one letter per event: y written, n failed */
	} rows[] = {
		{0, 0, "yyyyy"},	/* no fault injected */
		{1, 0, "nyyyy"},	/* the next commit fails, once */
		{3, 0, "yynyy"},	/* the third from now, once */
		{2, 1, "ynnnn"},	/* the second and every one after it: a disk that stays full */
	};
	struct store_fx *f = *state;
	struct verify_result vr;

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		store_fail_commit(f->st, rows[i].nth, rows[i].forever);
		for (int k = 0; k < 5; k++) {
			int rc = store_event(f->st, 2000 + k, "note", 0, "cli", NULL);

			if (rows[i].written[k] == 'y') {
				assert_int_equal(rc, HG_OK);
			} else {
				assert_int_equal(rc, HG_EIO);
				assert_non_null(strstr(hg_error_text(), "the disk is full"));
			}
		}
		store_fail_commit(f->st, 0, 0);
		/* what failed was rolled back whole: the chain has no gap */
		assert_int_equal(store_verify(f->st, &vr), HG_OK);
	}
	assert_int_equal(store_event(f->st, 3000, "note", 0, "cli", NULL), HG_OK);	/* cleared */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_event_bytes),
		cmocka_unit_test_setup_teardown(test_chain_hash_is_the_store_s, store_fx_setup,
						store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_verify_tamper, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_fail_commit, store_fx_setup, store_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
