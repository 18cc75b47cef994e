/* store_raw.h: what the store's tests share beyond fixture_store.h: raw SQL
 * through a second sqlite3 connection (as an intruder or an auditor would),
 * the hash chain recomputed from docs/SCHEMA.md's encoding, two haulers, and
 * committing a load in one call.  Included by tests/unit/test_store.c,
 * test_store_chain.c, test_store_hw.c and test_store_sync.c. */
#ifndef STORE_RAW_H
#define STORE_RAW_H

#include <openssl/sha.h>
#include <sqlite3.h>
#include "fixture_store.h"

static inline sqlite3 *raw_open(const char *path)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	return db;
}

static inline void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fail_msg("raw SQL failed: %s\n%s", msg ? msg : "?", sql);
	sqlite3_close(db);
}

static inline long long raw_int(const char *path, const char *sql)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static const struct hauler_rec acme = {
	.company = "Acme Septic", .contact = "Ann Acme", .address = "1 Main St, Springfield",
	.phone = "555-0101", .permit = "P-1", .permit_from = "2025-01-01",
	.permit_to = "2025-12-31", .waste_allowed = (1u << WASTE_SEPTAGE) | (1u << WASTE_PORTABLE) |
		(1u << WASTE_INDUSTRIAL), .analysis_date = "2024-11-05",
};

static const struct hauler_rec bravo = {
	.company = "Bravo Grease", .permit = "P-2", .permit_from = "2025-01-01",
	.permit_to = "2025-12-31", .waste_allowed = 1u << WASTE_GREASE,
};

static inline long long add_hauler(struct store_fx *f, const struct hauler_rec *h)
{
	long long id = 0;

	assert_int_equal(store_hauler_add(f->st, h, fixture_at("2025-01-02T09:00"), "cli", &id), HG_OK);
	return id;
}

static inline long long commit(struct store_fx *f, long long hauler, const char *company, enum waste_type w,
			long gallons, enum verdict v, hg_time decided)
{
	struct load_rec ld;

	fixture_store_load(&ld, hauler, company, w, gallons, v, decided);
	assert_int_equal(store_load_commit(f->st, &ld, "card:04a1b2c3"), HG_OK);
	assert_true(ld.load_no > 0);
	return ld.load_no;
}

static inline long long count_events(struct store_fx *f)
{
	return raw_int(f->path, "SELECT count(*) FROM events");
}

/* The chain encoding of docs/SCHEMA.md, written out again on its own. */
static inline void doc_hash(const uint8_t prev[32], long long seq, long long ts, const char *type,
		     long long load_no, const char *actor, const char *detail, uint8_t out[32])
{
	static char buf[32 + 10000];
	int n = snprintf(buf + 32, sizeof buf - 32, "%lld\n%lld\n%s\n%lld\n%s\n%s\n", seq, ts, type,
			 load_no, actor, detail);

	assert_true(n > 0 && (size_t)n < sizeof buf - 32);
	memcpy(buf, prev, 32);
	SHA256((const unsigned char *)buf, 32 + (size_t)n, out);
}

/* Recompute every hash of the log from the documented encoding. */
static inline void check_chain_by_doc(const char *path)
{
	sqlite3 *db = raw_open(path);
	sqlite3_stmt *s = NULL;
	uint8_t prev[32] = {0}, h[32];
	long long n = 0;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, ts, type, load_no, actor, detail, "
					    "prev_hash, hash FROM events ORDER BY seq", -1, &s, NULL),
			 SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		assert_int_equal(sqlite3_column_int64(s, 0), ++n);
		doc_hash(prev, n, sqlite3_column_int64(s, 1), (const char *)sqlite3_column_text(s, 2),
			 sqlite3_column_int64(s, 3), (const char *)sqlite3_column_text(s, 4),
			 (const char *)sqlite3_column_text(s, 5), h);
		assert_memory_equal(sqlite3_column_blob(s, 6), prev, 32);
		assert_memory_equal(sqlite3_column_blob(s, 7), h, 32);
		memcpy(prev, h, 32);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

#endif
