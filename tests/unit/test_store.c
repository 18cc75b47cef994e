/* test_store.c: the station database (db/store*.c, db/schema.c): open,
 * create, migrate, refuse what is not ours; the roster and its events; card
 * lookup; loads whole or not at all; listings and the month report.  The hash
 * chain and tampering are test_store_chain.c's, the meter flag and the kept
 * slips test_store_hw.c's, the day summary test_store_day.c's.
 *
 * Every test gets a fresh database in its own temp folder; raw SQL goes
 * through a second sqlite3 connection (store_raw.h).  Local time is
 * America/Denver, so the "local day" of a load is not the UTC day. */
#include "testutil.h"
#include "fixture_store.h"
#include "store_raw.h"

#include <time.h>
#include <cJSON.h>
#include <openssl/sha.h>
#include <sqlite3.h>

#include "../../db/store.h"
#include "../../core/text.h"

/* ---- raw access, as an intruder or an auditor ---- */

/* The last event's type, from the store's own listing. */
static void last_event(struct store_fx *f, char *type, size_t cap, long long *n)
{
	struct table *t = NULL;

	assert_int_equal(store_list_events(f->st, 1, 0, &t), HG_OK);
	*n = table_rows(t);
	type[0] = '\0';
	if (*n)
		snprintf(type, cap, "%s", table_cell(t, (int)*n - 1, 2));
	table_free(t);
}

/* ---- open, create, migrate ---- */

static void test_open_create_reopen(void **state)
{
	char dir[256], path[320];
	struct store *st = NULL;
	(void)state;

	assert_int_equal(tu_tmpdir(dir, sizeof dir, "open"), 0);
	snprintf(path, sizeof path, "%s/new.db", dir);

	/* missing without create: not found, and no file appears */
	assert_int_equal(store_open(&st, path, 0), HG_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(hg_error_text(), "no database at"));
	assert_int_equal(access(path, F_OK), -1);

	/* create: current schema, WAL, our application id */
	assert_int_equal(store_open(&st, path, 1), HG_OK);
	assert_int_equal(store_schema_version(st), 6);
	store_close(st);
	assert_int_equal(raw_int(path, "PRAGMA user_version"), 6);
	assert_int_equal(raw_int(path, "PRAGMA application_id"), 0x48474442);
	{
		sqlite3 *db = raw_open(path);
		sqlite3_stmt *s = NULL;

		assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &s, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);
		assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
		sqlite3_finalize(s);
		sqlite3_close(db);
	}

	/* reopen without create: same data */
	assert_int_equal(store_open(&st, path, 0), HG_OK);
	assert_int_equal(store_meta_set(st, "station_id", "ST-1", 100, "cli"), HG_OK);
	store_close(st);
	assert_int_equal(store_open(&st, path, 0), HG_OK);
	{
		char v[32];

		assert_int_equal(store_meta_get(st, "station_id", v, sizeof v), HG_OK);
		assert_string_equal(v, "ST-1");
		assert_int_equal(store_meta_get(st, "nothing", v, sizeof v), HG_ENOTFOUND);
		assert_non_null(strstr(hg_error_text(), "nothing"));
		/* a buffer too small is said, not cut */
		assert_int_equal(store_meta_get(st, "station_id", v, 3), HG_ETOOLONG);
	}
	store_close(st);
	tu_rmtree(dir);
}

/* Writers of files that are not haulgate databases. */
static void w_garbage(const char *path)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	for (int i = 0; i < 5000; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
}

static void w_empty(const char *path)
{
	FILE *fp = fopen(path, "wb");

	assert_non_null(fp);
	fclose(fp);
}

static void w_sqlite(const char *path, const char *sql)
{
	sqlite3 *db = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void w_other_program(const char *path)
{
	w_sqlite(path, "CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT);"
		 "INSERT INTO photos VALUES (1, 'cat.jpg');");
}

static void w_newer(const char *path)
{
	w_sqlite(path, "PRAGMA application_id = 1212630082; PRAGMA user_version = 99;"
		 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);");
}

static void w_missing_table(const char *path)
{
	w_sqlite(path, "PRAGMA application_id = 1212630082; PRAGMA user_version = 1;"
		 "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);"
		 "CREATE TABLE haulers (id INTEGER PRIMARY KEY);");
}

static void w_folder(const char *path)
{
	assert_int_equal(mkdir(path, 0700), 0);
}

static void file_bytes(const char *path, char **buf, long *n)
{
	struct stat sb;
	FILE *fp;

	*buf = NULL;
	*n = -1;
	if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return;
	fp = fopen(path, "rb");
	if (!fp)
		return;
	fseek(fp, 0, SEEK_END);
	*n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	*buf = malloc((size_t)*n + 1);
	assert_non_null(*buf);
	assert_int_equal(fread(*buf, 1, (size_t)*n, fp), (size_t)*n);
	fclose(fp);
}

static void test_not_a_database(void **state)
{
	static const struct {
		const char *what;
		void (*write)(const char *path);
		int create;
		int rc;
		const char *msg;
	} cases[] = {
		/* random bytes: sqlite says "not a database" */
		{"garbage", w_garbage, 0, HG_ECORRUPT, "not a haulgate database"},
		/* ... and create does not overwrite it */
		{"garbage, create", w_garbage, 1, HG_ECORRUPT, "not a haulgate database"},
		/* a zero-byte file without create is not ours */
		{"empty file", w_empty, 0, HG_ECORRUPT, "empty file"},
		/* some other program's sqlite database */
		{"other program", w_other_program, 1, HG_ECORRUPT, "another program"},
		/* ours, but from a newer haulgate */
		{"newer schema", w_newer, 0, HG_ECORRUPT, "schema version 99"},
		/* ours by its id and version, but tables are gone */
		{"missing table", w_missing_table, 0, HG_ECORRUPT, "table cards is missing"},
		/* a folder where the file should be */
		{"folder", w_folder, 1, HG_ECORRUPT, "not a file"},
	};
	(void)state;

	for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
		char dir[256], path[320];
		struct store *st = (struct store *)1;
		char *before, *after;
		long nb, na;

		assert_int_equal(tu_tmpdir(dir, sizeof dir, "bad"), 0);
		snprintf(path, sizeof path, "%s/x.db", dir);
		cases[i].write(path);
		file_bytes(path, &before, &nb);
		if (store_open(&st, path, cases[i].create) != cases[i].rc)
			fail_msg("%s: expected %d, message '%s'", cases[i].what, cases[i].rc, hg_error_text());
		assert_null(st);
		if (!strstr(hg_error_text(), cases[i].msg))
			fail_msg("%s: message '%s' lacks '%s'", cases[i].what, hg_error_text(), cases[i].msg);
		/* untouched: same bytes, no WAL or journal left beside it */
		file_bytes(path, &after, &na);
		assert_int_equal(na, nb);
		if (nb > 0)
			assert_memory_equal(before, after, (size_t)nb);
		{
			char side[340];

			snprintf(side, sizeof side, "%s-wal", path);
			assert_int_equal(access(side, F_OK), -1);
		}
		free(before);
		free(after);
		tu_rmtree(dir);
	}
}

/* ---- the roster, row by row, each with its event ---- */

static int r_hauler_add(struct store *st)
{
	long long id = 0;
	int rc = store_hauler_add(st, &acme, 1000, "cli", &id);

	return rc ? rc : (id == 1 ? HG_OK : HG_EIO);
}

static int r_hauler_no_name(struct store *st)
{
	struct hauler_rec h = acme;

	h.company[0] = '\0';
	return store_hauler_add(st, &h, 1000, "cli", NULL);
}

static int r_hauler_bad_date(struct store *st)
{
	struct hauler_rec h = acme;

	snprintf(h.permit_to, sizeof h.permit_to, "2025-02-30");
	return store_hauler_add(st, &h, 1000, "cli", NULL);
}

static int r_suspend(struct store *st) { return store_hauler_suspend(st, 1, 1, 1001, "cli"); }
static int r_reinstate(struct store *st) { return store_hauler_suspend(st, 1, 0, 1002, "cli"); }
static int r_suspend_none(struct store *st) { return store_hauler_suspend(st, 99, 1, 1003, "cli"); }

static int r_permit(struct store *st)
{
	return store_hauler_permit(st, 1, "P-1b", "2025-02-01", "2026-01-31", 1004, "cli");
}

static int r_permit_backwards(struct store *st)
{
	return store_hauler_permit(st, 1, "P-1c", "2026-02-01", "2025-01-31", 1005, "cli");
}

static int r_analysis(struct store *st) { return store_hauler_analysis(st, 1, "2025-01-15", 1006, "cli"); }

static int r_card(struct store *st)
{
	return store_card_add(st, "04:A1:B2:C3", 1, "Dan Driver", "$argon2id$v=19$fake", 1007, "cli");
}

static int r_card_dup(struct store *st)
{
	return store_card_add(st, "04a1b2c3", 1, "Other", "$argon2id$v=19$fake", 1008, "cli");
}

static int r_card_no_hauler(struct store *st)
{
	return store_card_add(st, "04a1b2c4", 99, "Other", "$argon2id$v=19$fake", 1009, "cli");
}

static int r_card_bad_uid(struct store *st)
{
	return store_card_add(st, "not-hex", 1, "Other", "$argon2id$v=19$fake", 1010, "cli");
}

static int r_truck(struct store *st) { return store_truck_add(st, 1, "TRK-1", 3000, 1011, "cli", NULL); }
static int r_truck_no_cap(struct store *st) { return store_truck_add(st, 1, "TRK-2", 0, 1012, "cli", NULL); }
static int r_truck_no_hauler(struct store *st) { return store_truck_add(st, 42, "TRK-3", 100, 1013, "cli", NULL); }

static int r_operator(struct store *st)
{
	return store_operator_add(st, "Olga Operator", "0BADCAFE", "$argon2id$v=19$op", 1014, "cli", NULL);
}

static int r_operator_uid_taken(struct store *st)
{
	return store_operator_add(st, "Otto", "04a1b2c3", "$argon2id$v=19$op", 1015, "cli", NULL);
}

static int r_card_uid_operator(struct store *st)
{
	return store_card_add(st, "0badcafe", 1, "Dan", "$argon2id$v=19$fake", 1016, "cli");
}

static int r_pin_failed(struct store *st)
{
	return store_pin_state(st, CARD_HAULER, 1, 2, 0, "pin_failed", "{\"failures\":2}", 1017,
			       "card:04a1b2c3");
}

static int r_pin_lockout_op(struct store *st)
{
	return store_pin_state(st, CARD_OPERATOR, 1, 5, 5000, "pin_lockout", NULL, 1018, "operator:1");
}

static int r_pin_bad_detail(struct store *st)
{
	return store_pin_state(st, CARD_HAULER, 1, 3, 0, "pin_failed", "failures=3", 1017,
			       "card:04a1b2c3");
}

static int r_pin_not_pin(struct store *st)
{
	return store_pin_state(st, CARD_HAULER, 1, 0, 0, "card_revoked", NULL, 1019, "card:x");
}

static int r_pin_none(struct store *st)
{
	return store_pin_state(st, CARD_HAULER, 77, 1, 0, "pin_failed", NULL, 1019, "card:x");
}

static int r_revoke(struct store *st) { return store_card_revoke(st, "04A1B2C3", 1020, "cli"); }
static int r_revoke_none(struct store *st) { return store_card_revoke(st, "04a1b2c9", 1021, "cli"); }
static int r_meta(struct store *st) { return store_meta_set(st, "station_id", "ST-1", 1022, "cli"); }

static int r_rv(struct store *st)
{
	struct rv_rec rv = { .name = "Rita RV", .plate = "ABC123", .plate_state = "CO",
			     .signed_in = 1023, .rules_accepted = 1024, .declared = 1025, .done = 1300 };

	return store_rv_commit(st, &rv, "kiosk");
}

static int r_event_bad_type(struct store *st) { return store_event(st, 1030, "Bad Type", 0, "cli", NULL); }
static int r_event_bad_json(struct store *st) { return store_event(st, 1031, "note", 0, "cli", "{oops"); }
static int r_event_bad_actor(struct store *st) { return store_event(st, 1032, "note", 0, "a\nb", NULL); }
static int r_event(struct store *st) { return store_event(st, 1033, "gate_opened", 0, "operator:1", "{\"why\":\"stuck\"}"); }

static int r_batch_half_bad(struct store *st)
{
	struct event_in ev[] = {
		{1040, "note", 0, "cli", "{\"n\":1}"},
		{1041, "note", 0, "cli", "[1,2]"},	/* not an object: the whole batch is refused */
	};

	return store_event_batch(st, ev, 2);
}

static void test_roster_events(void **state)
{
	static const struct {
		const char *what;
		int (*fn)(struct store *st);
		int rc;
		const char *event;	/* event written, NULL = none */
		const char *msg;	/* part of hg_error_text() on failure */
	} rows[] = {
		/* a hauler: gets id 1 */
		{"hauler add", r_hauler_add, HG_OK, "hauler_added", NULL},
		/* company name required */
		{"hauler without name", r_hauler_no_name, HG_EINVAL, NULL, "company name is empty"},
		/* dates are real dates */
		{"hauler bad date", r_hauler_bad_date, HG_EINVAL, NULL, "2025-02-30"},
		{"suspend", r_suspend, HG_OK, "hauler_suspended", NULL},
		{"reinstate", r_reinstate, HG_OK, "hauler_reinstated", NULL},
		{"suspend unknown", r_suspend_none, HG_ENOTFOUND, NULL, "no hauler with id 99"},
		{"new permit", r_permit, HG_OK, "permit_changed", NULL},
		{"permit ends before it starts", r_permit_backwards, HG_EINVAL, NULL, "before it starts"},
		{"analysis on file", r_analysis, HG_OK, "analysis_changed", NULL},
		/* UID normalised: "04:A1:B2:C3" is 04a1b2c3 */
		{"card add", r_card, HG_OK, "card_added", NULL},
		{"card twice", r_card_dup, HG_EEXIST, NULL, "card 04a1b2c3 is already registered"},
		{"card of no hauler", r_card_no_hauler, HG_ENOTFOUND, NULL, "no hauler with id 99"},
		{"card bad uid", r_card_bad_uid, HG_EINVAL, NULL, "not a card UID"},
		{"truck add", r_truck, HG_OK, "truck_added", NULL},
		{"truck without capacity", r_truck_no_cap, HG_EINVAL, NULL, "capacity"},
		{"truck of no hauler", r_truck_no_hauler, HG_ENOTFOUND, NULL, "no hauler with id 42"},
		{"operator add", r_operator, HG_OK, "operator_added", NULL},
		/* one UID is one card: hauler or operator, not both */
		{"operator on a hauler card", r_operator_uid_taken, HG_EEXIST, NULL, "already registered"},
		{"hauler card on an operator card", r_card_uid_operator, HG_EEXIST, NULL, "card 0badcafe"},
		{"pin failed", r_pin_failed, HG_OK, "pin_failed", NULL},
		{"operator locked out", r_pin_lockout_op, HG_OK, "pin_lockout", NULL},
		/* a detail given from outside must be a JSON object */
		{"pin detail not JSON", r_pin_bad_detail, HG_EINVAL, NULL, "JSON object"},
		{"pin of no card", r_pin_none, HG_ENOTFOUND, NULL, "no card with id 77"},
		/* the PIN state is written as the projection of its event: a PIN event */
		{"pin state as another event", r_pin_not_pin, HG_EINVAL, NULL, "is not a PIN event"},
		{"revoke", r_revoke, HG_OK, "card_revoked", NULL},
		{"revoke unknown", r_revoke_none, HG_ENOTFOUND, NULL, "no hauler card 04a1b2c9"},
		{"meta", r_meta, HG_OK, "meta_set", NULL},
		{"rv visit", r_rv, HG_OK, "rv_visit", NULL},
		{"event bad type", r_event_bad_type, HG_EINVAL, NULL, "event type"},
		{"event detail not JSON", r_event_bad_json, HG_EINVAL, NULL, "JSON object"},
		{"event actor with newline", r_event_bad_actor, HG_EINVAL, NULL, "actor"},
		{"event", r_event, HG_OK, "gate_opened", NULL},
		/* all or nothing: no event of the batch is written */
		{"batch with a bad event", r_batch_half_bad, HG_EINVAL, NULL, "JSON object"},
	};
	struct store_fx *f = *state;
	struct verify_result vr;

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char before[64], after[64];
		long long nb, na;
		int rc;

		last_event(f, before, sizeof before, &nb);
		rc = rows[i].fn(f->st);
		if (rc != rows[i].rc)
			fail_msg("%s: got %d, expected %d (%s)", rows[i].what, rc, rows[i].rc,
				 hg_error_text());
		last_event(f, after, sizeof after, &na);
		if (rows[i].event) {
			assert_int_equal(na, nb + 1);
			assert_string_equal(after, rows[i].event);
		} else {
			assert_int_equal(na, nb);
		}
		if (rows[i].msg && !strstr(hg_error_text(), rows[i].msg))
			fail_msg("%s: message '%s' lacks '%s'", rows[i].what, hg_error_text(),
				 rows[i].msg);
	}

	/* the rows are what the functions said */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM haulers"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM haulers WHERE status = 'active' "
				 "AND permit = 'P-1b' AND permit_to = '2026-01-31' "
				 "AND analysis_date = '2025-01-15' "
				 "AND waste_allowed = 'septage,portable,industrial'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT revoked FROM cards WHERE uid = '04a1b2c3'"), 1);
	assert_int_equal(raw_int(f->path, "SELECT failures FROM cards WHERE uid = '04a1b2c3'"), 2);
	assert_int_equal(raw_int(f->path, "SELECT locked_until FROM operators WHERE id = 1"), 5000);
	/* the PIN hash never goes into the log */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE detail LIKE '%argon2%'"), 0);

	assert_int_equal(store_verify(f->st, &vr), HG_OK);
	assert_int_equal(vr.checked, count_events(f));
	check_chain_by_doc(f->path);
}

/* ---- card lookup and the history the policy needs ---- */

static void test_lookup(void **state)
{
	struct store_fx *f = *state;
	struct card_info c;
	hg_time today = fixture_at("2025-02-10T15:00");
	long long a = add_hauler(f, &acme), b = add_hauler(f, &bravo), op = 0;

	assert_int_equal(store_card_add(f->st, "04a1b2c3", a, "Dan Driver", "$h$dan", 1, "cli"), HG_OK);
	assert_int_equal(store_truck_add(f->st, a, "TRK-1", 3000, 2, "cli", NULL), HG_OK);
	assert_int_equal(store_truck_add(f->st, a, "TRK-2", 2500, 3, "cli", NULL), HG_OK);
	assert_int_equal(store_truck_add(f->st, b, "BRV-1", 4000, 4, "cli", NULL), HG_OK);
	assert_int_equal(store_operator_add(f->st, "Olga", "0badcafe", "$h$olga", 5, "cli", &op), HG_OK);

	/* unknown: kind none, HG_OK */
	assert_int_equal(store_lookup_card(f->st, "deadbeef", today, &c), HG_OK);
	assert_int_equal(c.kind, CARD_NONE);
	assert_string_equal(c.uid, "deadbeef");
	/* a UID that is not hex is refused */
	assert_int_equal(store_lookup_card(f->st, "zz", today, &c), HG_EINVAL);

	/* a hauler card before any load */
	assert_int_equal(store_lookup_card(f->st, "04:A1:B2:C3", today, &c), HG_OK);
	assert_int_equal(c.kind, CARD_HAULER);
	assert_string_equal(c.holder, "Dan Driver");
	assert_string_equal(c.pin_hash, "$h$dan");
	assert_int_equal(c.hauler.id, a);
	assert_string_equal(c.hauler.company, "Acme Septic");
	assert_string_equal(c.hauler.contact, "Ann Acme");
	assert_string_equal(c.hauler.address, "1 Main St, Springfield");
	assert_string_equal(c.hauler.phone, "555-0101");
	assert_string_equal(c.hauler.permit, "P-1");
	assert_string_equal(c.hauler.permit_from, "2025-01-01");
	assert_string_equal(c.hauler.permit_to, "2025-12-31");
	assert_string_equal(c.hauler.analysis_date, "2024-11-05");
	assert_int_equal(c.hauler.waste_allowed, acme.waste_allowed);
	assert_int_equal(c.hauler.suspended, 0);
	assert_int_equal(c.hauler.loads_total, 0);
	assert_int_equal(c.hauler.loads_since_sample, 0);
	assert_int_equal(c.n_trucks, 2);
	assert_string_equal(c.trucks[1].ident, "TRK-2");
	assert_int_equal(c.trucks[1].capacity, 2500);
	assert_int_equal(c.n_known, 0);
	assert_int_equal(c.station_gallons_today, 0);

	/* history: accepted, sampled, accepted, refused, accepted (today), and
	 * another hauler's load today and a load of yesterday */
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1000, VERDICT_ACCEPTED, fixture_at("2025-02-01T10:00"));
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1100, VERDICT_SAMPLE_HOLD, fixture_at("2025-02-03T10:00"));
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1200, VERDICT_ACCEPTED, fixture_at("2025-02-09T10:00"));
	commit(f, a, "Acme Septic", WASTE_INDUSTRIAL, 900, VERDICT_REFUSED, fixture_at("2025-02-10T08:00"));
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1300, VERDICT_ACCEPTED, fixture_at("2025-02-10T09:00"));
	commit(f, b, "Bravo Grease", WASTE_GREASE, 700, VERDICT_SAMPLE_HOLD, fixture_at("2025-02-10T11:00"));
	/* 23:30 local on the 9th is already the 10th in UTC: not today */
	commit(f, b, "Bravo Grease", WASTE_GREASE, 50, VERDICT_ACCEPTED, fixture_at("2025-02-09T23:30"));

	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.hauler.loads_total, 4);	/* refused not counted */
	assert_int_equal(c.hauler.loads_since_sample, 2);	/* 1200 and 1300 */
	assert_int_equal(c.station_gallons_today, 1300 + 700);
	/* remembered sources: most recent first */
	assert_int_equal(c.n_known, 5);
	assert_string_equal(c.known[0].name, "Home 1300");
	assert_string_equal(c.known[4].name, "Home 1000");
	assert_string_equal(c.known[0].industry, "residential");

	/* a suspended hauler, a revoked card, a lockout: all seen */
	assert_int_equal(store_hauler_suspend(f->st, a, 1, 10, "cli"), HG_OK);
	assert_int_equal(store_card_revoke(f->st, "04a1b2c3", 11, "cli"), HG_OK);
	assert_int_equal(store_pin_state(f->st, CARD_HAULER, c.card_id, 5, 9999, "pin_lockout",
					 NULL, 12, "card:04a1b2c3"), HG_OK);
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.hauler.suspended, 1);
	assert_int_equal(c.revoked, 1);
	assert_int_equal(c.failures, 5);
	assert_int_equal(c.locked_until, 9999);

	/* an operator card */
	assert_int_equal(store_lookup_card(f->st, "0BADCAFE", today, &c), HG_OK);
	assert_int_equal(c.kind, CARD_OPERATOR);
	assert_int_equal(c.card_id, op);
	assert_string_equal(c.holder, "Olga");
	assert_string_equal(c.pin_hash, "$h$olga");
	assert_int_equal(c.revoked, 0);
	assert_int_equal(c.n_trucks, 0);
}

/* ---- "same as last time": the card's last accepted load ---- */

/* Commit a load of card card_id on truck truck_id ("TRK-1"...), with
 * characteristics chars; its load number. */
static long long commit_card(struct store_fx *f, long long hauler, const char *company,
			     long long card_id, long long truck_id, const char *truck,
			     enum waste_type w, long gallons, enum verdict v, const char *chars,
			     hg_time decided)
{
	struct load_rec ld;

	fixture_store_load(&ld, hauler, company, w, gallons, v, decided);
	ld.m.card_id = card_id;
	ld.m.truck_id = truck_id;
	snprintf(ld.m.truck, sizeof ld.m.truck, "%s", truck);
	snprintf(ld.m.sources[0].town, sizeof ld.m.sources[0].town, "Springfield");
	snprintf(ld.m.characteristics, sizeof ld.m.characteristics, "%s", chars);
	snprintf(ld.m.constituents, sizeof ld.m.constituents, "none known");
	assert_int_equal(store_load_commit(f->st, &ld, "card:test"), HG_OK);
	return ld.load_no;
}

/* The lookup "same as last time" offers (db/store_roster.c's last_load(),
 * through store_lookup_card()), on a real database: nothing before a load,
 * nothing from a refused or an unsampled held load, the latest of two
 * accepted loads, a held load once sampled, and never another hauler's. */
static void test_last_load(void **state)
{
	struct store_fx *f = *state;
	struct card_info c;
	hg_time today = fixture_at("2025-02-10T15:00");
	long long a = add_hauler(f, &acme), b = add_hauler(f, &bravo), t1 = 0, t2 = 0, tb = 0;
	long long ca, cb, op = 0, first, second, held, bravo_no;

	assert_int_equal(store_card_add(f->st, "04a1b2c3", a, "Dan Driver", "$h$dan", 1, "cli"), HG_OK);
	assert_int_equal(store_card_add(f->st, "04b2c3d4", b, "Bea Brown", "$h$bea", 2, "cli"), HG_OK);
	assert_int_equal(store_truck_add(f->st, a, "TRK-1", 3000, 3, "cli", &t1), HG_OK);
	assert_int_equal(store_truck_add(f->st, a, "TRK-2", 2500, 4, "cli", &t2), HG_OK);
	assert_int_equal(store_truck_add(f->st, b, "BRV-1", 4000, 5, "cli", &tb), HG_OK);
	assert_int_equal(store_operator_add(f->st, "Olga", "0badcafe", "$h$olga", 6, "cli", &op), HG_OK);
	assert_int_equal(store_lookup_card(f->st, "04b2c3d4", today, &c), HG_OK);
	cb = c.card_id;

	/* no earlier load: nothing offered */
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	ca = c.card_id;
	assert_int_equal(c.last_load, 0);
	assert_int_equal(c.last.n_sources, 0);

	/* only a refused load, and a held one not sampled: still nothing */
	commit_card(f, a, "Acme Septic", ca, t1, "TRK-1", WASTE_INDUSTRIAL, 900, VERDICT_REFUSED,
		    "solvent smell", fixture_at("2025-02-01T10:00"));
	held = commit_card(f, a, "Acme Septic", ca, t1, "TRK-1", WASTE_SEPTAGE, 1100,
			   VERDICT_SAMPLE_HOLD, "held septage", fixture_at("2025-02-02T10:00"));
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, 0);

	/* another hauler's accepted load, on another card: never offered to Dan */
	bravo_no = commit_card(f, b, "Bravo Grease", cb, tb, "BRV-1", WASTE_GREASE, 700,
			       VERDICT_ACCEPTED, "grease", fixture_at("2025-02-03T10:00"));
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, 0);

	/* two accepted loads: the later one, whole */
	first = commit_card(f, a, "Acme Septic", ca, t1, "TRK-1", WASTE_SEPTAGE, 1000,
			    VERDICT_ACCEPTED, "first septage", fixture_at("2025-02-04T10:00"));
	second = commit_card(f, a, "Acme Septic", ca, t2, "TRK-2", WASTE_PORTABLE, 1200,
			     VERDICT_ACCEPTED, "portable toilets", fixture_at("2025-02-05T10:00"));
	assert_true(second > first);
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, second);
	assert_int_equal(c.last.truck_id, t2);
	assert_string_equal(c.last.truck, "TRK-2");
	assert_int_equal(c.last.waste, WASTE_PORTABLE);
	assert_string_equal(c.last.characteristics, "portable toilets");
	assert_string_equal(c.last.constituents, "none known");
	assert_int_equal(c.last.n_sources, 1);
	assert_string_equal(c.last.sources[0].name, "Home 1200");
	assert_string_equal(c.last.sources[0].town, "Springfield");
	/* never the gallons, the RCRA answer or the signer */
	assert_int_equal(c.last.gallons, 0);
	assert_int_equal(c.last.rcra, RCRA_UNANSWERED);
	assert_string_equal(c.last.signer, "");

	/* a refused load after them changes nothing */
	commit_card(f, a, "Acme Septic", ca, t1, "TRK-1", WASTE_INDUSTRIAL, 800, VERDICT_REFUSED,
		    "solvent again", fixture_at("2025-02-06T10:00"));
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, second);

	/* the older held load gets its bottle: let in, but older than the
	 * latest accepted one, which stays */
	assert_int_equal(store_load_sample(f->st, held, "B-1", op, fixture_at("2025-02-07T10:00"),
					   "operator:0badcafe"), HG_OK);
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, second);
	/* a newer held load, sampled: offered */
	held = commit_card(f, a, "Acme Septic", ca, t1, "TRK-1", WASTE_SEPTAGE, 1500,
			   VERDICT_SAMPLE_HOLD, "sampled septage", fixture_at("2025-02-08T10:00"));
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, second);	/* not before its bottle */
	assert_int_equal(store_load_sample(f->st, held, "B-2", op, fixture_at("2025-02-08T10:05"),
					   "operator:0badcafe"), HG_OK);
	assert_int_equal(store_lookup_card(f->st, "04a1b2c3", today, &c), HG_OK);
	assert_int_equal(c.last_load, held);
	assert_string_equal(c.last.characteristics, "sampled septage");

	/* Bea's card gets her own load, not Dan's */
	assert_int_equal(store_lookup_card(f->st, "04b2c3d4", today, &c), HG_OK);
	assert_int_equal(c.last_load, bravo_no);
	assert_int_equal(c.last.waste, WASTE_GREASE);
	assert_string_equal(c.last.truck, "BRV-1");
}

/* ---- a load, committed and read back ---- */

static void test_load_roundtrip(void **state)
{
	struct store_fx *f = *state;
	struct load_rec ld, got;
	long long a = add_hauler(f, &acme), truck = 0, op = 0, card;
	uint8_t sha[32];
	struct table *t = NULL;
	struct verify_result vr;

	assert_int_equal(store_card_add(f->st, "04a1b2c3", a, "Dan", "$h", 1, "cli"), HG_OK);
	card = raw_int(f->path, "SELECT id FROM cards");
	assert_int_equal(store_truck_add(f->st, a, "TRK-9", 3500, 2, "cli", &truck), HG_OK);
	assert_int_equal(store_operator_add(f->st, "Olga", "0badcafe", "$h", 3, "cli", &op), HG_OK);

	fixture_store_load(&ld, a, "Acme Septic", WASTE_INDUSTRIAL, 2750, VERDICT_SAMPLE_HOLD,
		  fixture_at("2025-03-04T10:15:30"));
	snprintf(ld.m.company_address, sizeof ld.m.company_address, "1 Main St");
	ld.m.card_id = card;
	ld.m.truck_id = truck;
	ld.m.truck_capacity = 3500;
	ld.m.n_sources = 3;
	for (int i = 0; i < 3; i++) {
		snprintf(ld.m.sources[i].name, sizeof ld.m.sources[i].name, "Plant %c", 'A' + i);
		snprintf(ld.m.sources[i].address, sizeof ld.m.sources[i].address, "%d Mill Rd", i + 1);
		snprintf(ld.m.sources[i].industry, sizeof ld.m.sources[i].industry, "metal finishing");
		snprintf(ld.m.sources[i].town, sizeof ld.m.sources[i].town, "%s",
			 i == 1 ? "Pe\xc3\xb1" "asco" : "80401-1234");
	}
	snprintf(ld.m.characteristics, sizeof ld.m.characteristics, "grey, oily, pH 6");
	snprintf(ld.m.constituents, sizeof ld.m.constituents, "zinc, nickel");
	ld.m.rcra = RCRA_UNKNOWN;
	ld.lang = LANG_ES;
	ld.d.n_sample = 2;
	ld.d.sample[1] = R_SAMPLE_RCRA_UNKNOWN;
	ld.d.n_refuse = 0;
	ld.manual_flag = 1;
	ld.t.card = ld.t.decided - 300;
	ld.t.pin = ld.t.decided - 290;
	ld.t.form = ld.t.decided - 280;
	ld.gallons_measured = 0;
	assert_int_equal(store_load_commit(f->st, &ld, "card:04a1b2c3"), HG_OK);
	assert_int_equal(ld.load_no, 1);
	SHA256((const unsigned char *)ld.record, strlen(ld.record), sha);
	assert_memory_equal(ld.record_sha, sha, 32);

	assert_int_equal(store_load_get(f->st, 1, &got), HG_OK);
	assert_int_equal(got.load_no, 1);
	assert_string_equal(got.station, "ST-1");
	assert_int_equal(got.m.hauler_id, a);
	assert_int_equal(got.m.card_id, card);
	assert_int_equal(got.m.truck_id, truck);
	assert_string_equal(got.m.company, ld.m.company);
	assert_string_equal(got.m.company_address, "1 Main St");
	assert_string_equal(got.m.driver, ld.m.driver);
	assert_string_equal(got.m.permit, ld.m.permit);
	assert_string_equal(got.m.truck, ld.m.truck);
	assert_int_equal(got.m.truck_capacity, 3500);
	assert_int_equal(got.m.waste, WASTE_INDUSTRIAL);
	assert_int_equal(got.m.gallons, 2750);
	assert_string_equal(got.m.characteristics, ld.m.characteristics);
	assert_string_equal(got.m.constituents, ld.m.constituents);
	assert_int_equal(got.m.rcra, RCRA_UNKNOWN);
	assert_string_equal(got.m.signer, ld.m.signer);
	assert_int_equal(got.lang, LANG_ES);
	assert_int_equal(got.m.n_sources, 3);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(got.m.sources[i].name, ld.m.sources[i].name);
		assert_string_equal(got.m.sources[i].address, ld.m.sources[i].address);
		assert_string_equal(got.m.sources[i].industry, ld.m.sources[i].industry);
		assert_string_equal(got.m.sources[i].town, ld.m.sources[i].town);
	}
	/* the hauler remembers each source with its town */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sources WHERE town = '80401-1234'"), 2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM load_sources WHERE town = 'Pe\xc3\xb1" "asco'"), 1);
	assert_int_equal(got.d.verdict, VERDICT_SAMPLE_HOLD);
	assert_int_equal(got.d.n_refuse, 0);
	assert_int_equal(got.d.n_sample, 2);
	assert_int_equal(got.d.sample[0], R_SAMPLE_FIRST_LOAD);
	assert_int_equal(got.d.sample[1], R_SAMPLE_RCRA_UNKNOWN);
	assert_int_equal(got.manual_flag, 1);
	assert_memory_equal(&got.t, &ld.t, sizeof got.t);
	assert_string_equal(got.record, ld.record);
	assert_memory_equal(got.record_sha, sha, 32);
	assert_string_equal(got.bottle, "");
	/* the day is the local date of the decision */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM loads WHERE day = '2025-03-04' "
				 "AND sampled = 1"), 1);

	/* its two events, linked to the load */
	assert_int_equal(store_list_events(f->st, 1, 0, &t), HG_OK);
	{
		int n = table_rows(t);
		cJSON *j;

		assert_string_equal(table_cell(t, n - 2, 2), "manifest_submitted");
		assert_string_equal(table_cell(t, n - 2, 3), "1");
		assert_string_equal(table_cell(t, n - 1, 2), "decision");
		j = cJSON_Parse(table_cell(t, n - 2, 5));
		assert_non_null(j);
		{
			char hex[65];

			text_hex(sha, 32, hex);
			assert_string_equal(cJSON_GetObjectItem(j, "record_sha256")->valuestring, hex);
		}
		assert_int_equal((int)cJSON_GetObjectItem(j, "gallons")->valuedouble, 2750);
		assert_string_equal(cJSON_GetObjectItem(j, "waste")->valuestring, "industrial");
		cJSON_Delete(j);
		j = cJSON_Parse(table_cell(t, n - 1, 5));
		assert_non_null(j);
		assert_string_equal(cJSON_GetObjectItem(j, "verdict")->valuestring, "sample-hold");
		assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(j, "sample")), 2);
		assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "sample"), 1)->valuestring,
				    "sample_rcra_unknown");
		cJSON_Delete(j);
	}
	table_free(t);

	/* sample, discharge: each with its event, read back */
	assert_int_equal(store_load_sample(f->st, 1, "B-0042", 77, 500, "operator:77"), HG_ENOTFOUND);
	assert_int_equal(store_load_sample(f->st, 9, "B-0042", op, 500, "operator:1"), HG_ENOTFOUND);
	assert_non_null(strstr(hg_error_text(), "no load number 9"));
	assert_int_equal(store_load_discharge_end(f->st, 1, 600, 2700, R_NONE, "", "station"),
			 HG_EINVAL);
	assert_int_equal(store_load_sample(f->st, 1, "B-0042", op, ld.t.decided + 60, "operator:1"), HG_OK);
	assert_int_equal(store_load_sample(f->st, 1, "B-0043", op, ld.t.decided + 61, "operator:1"), HG_EEXIST);
	assert_int_equal(store_load_discharge_start(f->st, 1, ld.t.decided + 120, "station"), HG_OK);
	assert_int_equal(store_load_discharge_start(f->st, 1, ld.t.decided + 121, "station"), HG_EEXIST);
	assert_int_equal(store_load_discharge_end(f->st, 1, ld.t.decided + 900, 2710, R_NONE,
						  "hauler pressed done", "station"), HG_OK);
	assert_int_equal(store_load_get(f->st, 1, &got), HG_OK);
	assert_string_equal(got.bottle, "B-0042");
	assert_int_equal(got.sampled_by, op);
	assert_string_equal(got.sampler, "Olga");
	assert_int_equal(got.t.sampled, ld.t.decided + 60);
	assert_int_equal(got.t.discharge_start, ld.t.decided + 120);
	assert_int_equal(got.t.discharge_end, ld.t.decided + 900);
	assert_int_equal(got.gallons_measured, 2710);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE load_no = 1"), 5);

	/* a refused load never discharges */
	fixture_store_load(&ld, a, "Acme Septic", WASTE_INDUSTRIAL, 100, VERDICT_REFUSED, fixture_at("2025-03-05T10:00"));
	assert_int_equal(store_load_commit(f->st, &ld, "card:04a1b2c3"), HG_OK);
	assert_int_equal(ld.load_no, 2);
	assert_int_equal(store_load_discharge_start(f->st, 2, ld.t.decided + 5, "station"), HG_EREFUSED);
	assert_int_equal(store_load_get(f->st, 2, &got), HG_OK);
	assert_int_equal(got.d.n_refuse, 1);
	assert_int_equal(got.d.refuse[0], R_RCRA_HAZARDOUS);
	assert_int_equal(store_load_get(f->st, 3, &got), HG_ENOTFOUND);

	/* a record whose given hash is wrong is refused */
	fixture_store_load(&ld, a, "Acme Septic", WASTE_SEPTAGE, 100, VERDICT_ACCEPTED, fixture_at("2025-03-05T11:00"));
	memset(ld.record_sha, 0xab, 32);
	assert_int_equal(store_load_commit(f->st, &ld, "card:04a1b2c3"), HG_EINVAL);
	/* no decision, no commit */
	fixture_store_load(&ld, a, "Acme Septic", WASTE_SEPTAGE, 100, VERDICT_NONE, fixture_at("2025-03-05T11:00"));
	assert_int_equal(store_load_commit(f->st, &ld, "card:04a1b2c3"), HG_EINVAL);

	assert_int_equal(store_verify(f->st, &vr), HG_OK);
	check_chain_by_doc(f->path);
}

/* ---- all or nothing ---- */

static void test_atomicity(void **state)
{
	struct store_fx *f = *state;
	struct load_rec ld;
	long long a = add_hauler(f, &acme);
	long long ev0 = count_events(f);
	struct verify_result vr;

	/* a load of a hauler that does not exist: nothing written */
	fixture_store_load(&ld, 999, "Ghost", WASTE_SEPTAGE, 100, VERDICT_ACCEPTED, fixture_at("2025-02-01T10:00"));
	assert_int_equal(store_load_commit(f->st, &ld, "card:x"), HG_ENOTFOUND);
	assert_non_null(strstr(hg_error_text(), "no hauler with id 999"));
	assert_int_equal(ld.load_no, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM loads"), 0);
	assert_int_equal(count_events(f), ev0);

	/* a failure half-way: the last write (the "decision" event) fails after
	 * the load, its sources, the remembered sources and the first event */
	raw_exec(f->path, "CREATE TRIGGER fail_decision BEFORE INSERT ON events "
		 "WHEN NEW.type = 'decision' BEGIN SELECT RAISE(ABORT, 'injected fault'); END;");
	fixture_store_load(&ld, a, "Acme Septic", WASTE_SEPTAGE, 100, VERDICT_ACCEPTED, fixture_at("2025-02-01T10:00"));
	assert_int_not_equal(store_load_commit(f->st, &ld, "card:x"), HG_OK);
	assert_non_null(strstr(hg_error_text(), "injected fault"));
	assert_int_equal(ld.load_no, 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM loads"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM load_sources"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sources"), 0);
	assert_int_equal(count_events(f), ev0);

	/* healed: the same commit goes through, numbered 1, chain intact */
	raw_exec(f->path, "DROP TRIGGER fail_decision;");
	assert_int_equal(store_load_commit(f->st, &ld, "card:x"), HG_OK);
	assert_int_equal(ld.load_no, 1);
	assert_int_equal(count_events(f), ev0 + 2);
	assert_int_equal(store_verify(f->st, &vr), HG_OK);

	/* another program holds the write lock: a clear "locked" error, nothing half done */
	{
		sqlite3 *db = raw_open(f->path);
		long long n = count_events(f);

		sqlite3_busy_timeout(db, 0);
		assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(store_hauler_suspend(f->st, a, 1, 5, "cli"), HG_EBUSY);
		assert_non_null(strstr(hg_error_text(), "locked by another program"));
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close(db);
		assert_int_equal(count_events(f), n);
	}
}

static void test_metachars(void **state)
{
	static const char *const texts[] = {
		"Robert'); DROP TABLE haulers;--",	/* SQL injection */
		"O'Brien \"Big\" \\ Septic",		/* quotes and a backslash */
		"%s%n%d 100% sure",			/* printf directives */
		"Ñandú Saneamiento — 排水 🚛",		/* any UTF-8 */
		"a,b;c|d\te",				/* separators */
	};
	struct store_fx *f = *state;

	for (size_t i = 0; i < HG_ARRAY_LEN(texts); i++) {
		struct hauler_rec h = acme;
		struct load_rec ld, got;
		struct card_info c;
		struct table *t = NULL;
		char uid[16];
		long long id = 0;
		cJSON *j;
		const char *tab = strchr(texts[i], '\t');

		if (tab) {
			/* a control character is refused with a message, never stored */
			snprintf(h.company, sizeof h.company, "%s", texts[i]);
			assert_int_equal(store_hauler_add(f->st, &h, 1, "cli", &id), HG_EINVAL);
			assert_non_null(strstr(hg_error_text(), "control character"));
			continue;
		}
		snprintf(h.company, sizeof h.company, "%s", texts[i]);
		snprintf(h.contact, sizeof h.contact, "%s", texts[i]);
		assert_int_equal(store_hauler_add(f->st, &h, 1, "cli", &id), HG_OK);
		snprintf(uid, sizeof uid, "0000000%zu", i);
		assert_int_equal(store_card_add(f->st, uid, id, texts[i], "$h", 2, texts[i]), HG_OK);
		assert_int_equal(store_lookup_card(f->st, uid, 3, &c), HG_OK);
		assert_string_equal(c.hauler.company, texts[i]);
		assert_string_equal(c.holder, texts[i]);

		fixture_store_load(&ld, id, texts[i], WASTE_SEPTAGE, 10, VERDICT_ACCEPTED, fixture_at("2025-02-01T10:00"));
		snprintf(ld.m.characteristics, sizeof ld.m.characteristics, "%s", texts[i]);
		snprintf(ld.m.sources[0].name, sizeof ld.m.sources[0].name, "%s", texts[i]);
		snprintf(ld.record, sizeof ld.record, "record of %s", texts[i]);
		assert_int_equal(store_load_commit(f->st, &ld, texts[i]), HG_OK);
		assert_int_equal(store_load_get(f->st, ld.load_no, &got), HG_OK);
		assert_string_equal(got.m.company, texts[i]);
		assert_string_equal(got.m.characteristics, texts[i]);
		assert_string_equal(got.m.sources[0].name, texts[i]);
		assert_string_equal(got.record, ld.record);

		/* the event's JSON gives the text back exactly */
		assert_int_equal(store_list_events(f->st, 1, 0, &t), HG_OK);
		for (int r = 0; r < table_rows(t); r++) {
			if (strcmp(table_cell(t, r, 2), "hauler_added") != 0)
				continue;
			j = cJSON_Parse(table_cell(t, r, 5));
			assert_non_null(j);
			if ((long long)cJSON_GetObjectItem(j, "hauler_id")->valuedouble == id)
				assert_string_equal(cJSON_GetObjectItem(j, "company")->valuestring, texts[i]);
			cJSON_Delete(j);
		}
		assert_string_equal(table_cell(t, table_rows(t) - 1, 4), texts[i]);	/* actor */
		table_free(t);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM sqlite_schema WHERE name = 'haulers'"), 1);
	{
		struct verify_result vr;

		assert_int_equal(store_verify(f->st, &vr), HG_OK);
	}
	check_chain_by_doc(f->path);
}

/* ---- listings and the month report ---- */

static void test_report_month(void **state)
{
	struct store_fx *f = *state;
	long long a = add_hauler(f, &acme), b = add_hauler(f, &bravo);
	struct table *t = NULL;

	/* the data set: Acme and Bravo around February 2025 (local time, Denver) */
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1000, VERDICT_ACCEPTED, fixture_at("2025-01-31T12:00"));
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 1500, VERDICT_ACCEPTED, fixture_at("2025-02-01T00:30"));
	commit(f, a, "Acme Septic", WASTE_PORTABLE, 800, VERDICT_SAMPLE_HOLD, fixture_at("2025-02-14T10:00"));
	commit(f, a, "Acme Septic", WASTE_INDUSTRIAL, 2000, VERDICT_REFUSED, fixture_at("2025-02-20T10:00"));
	/* 05:30 UTC on March 1st is still February 28th in Denver */
	commit(f, a, "Acme Septic", WASTE_SEPTAGE, 500, VERDICT_ACCEPTED, fixture_at("2025-03-01T05:30Z"));
	commit(f, b, "Bravo Grease", WASTE_GREASE, 3000, VERDICT_ACCEPTED, fixture_at("2025-02-10T10:00"));
	commit(f, b, "Bravo Grease", WASTE_GREASE, 1200, VERDICT_SAMPLE_HOLD, fixture_at("2025-02-11T10:00"));
	commit(f, b, "Bravo Grease", WASTE_GREASE, 999, VERDICT_ACCEPTED, fixture_at("2025-03-01T12:00"));

	{
		static const struct {
			int year, month;
			int rows;
			const char *cells[2][10];
		} cases[] = {
			/* company permit loads septage portable grease industrial gallons samples refusals */
			{2025, 2, 2, {
				{"Acme Septic", "P-1", "4", "2000", "800", "0", "0", "2800", "1", "1"},
				{"Bravo Grease", "P-2", "2", "0", "0", "4200", "0", "4200", "1", "0"}}},
			{2025, 1, 1, {
				{"Acme Septic", "P-1", "1", "1000", "0", "0", "0", "1000", "0", "0"}}},
			{2025, 3, 1, {
				{"Bravo Grease", "P-2", "1", "0", "0", "999", "0", "999", "0", "0"}}},
			/* no loads: no rows */
			{2025, 4, 0, {{NULL}}},
		};

		for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
			assert_int_equal(store_report_month(f->st, cases[i].year, cases[i].month, &t), HG_OK);
			assert_int_equal(table_cols(t), 10);
			assert_string_equal(table_col(t, 3), "septage");
			assert_int_equal(table_rows(t), cases[i].rows);
			for (int r = 0; r < cases[i].rows; r++)
				for (int c = 0; c < 10; c++)
					assert_string_equal(table_cell(t, r, c), cases[i].cells[r][c]);
			table_free(t);
		}
	}
	assert_int_equal(store_report_month(f->st, 2025, 13, &t), HG_EINVAL);
	assert_null(t);

	/* store_list_loads honours its filter */
	{
		static const struct {
			const char *what;
			struct load_filter f;
			int rows;
			const char *first;	/* load_no of the first row */
		} cases[] = {
			/* everything */
			{"all", {"", "", 0, 0}, 8, "1"},
			/* February, local days */
			{"february", {"2025-02-01", "2025-02-28", 0, 0}, 6, "2"},
			/* from a day on */
			{"from march", {"2025-03-01", "", 0, 0}, 1, "8"},
			/* up to a day */
			{"to january", {"", "2025-01-31", 0, 0}, 1, "1"},
			/* one hauler */
			{"bravo", {"", "", 2, 0}, 3, "6"},
			/* flagged for sampling */
			{"flagged", {"", "", 0, 1}, 2, "3"},
			/* all filters at once */
			{"bravo flagged feb", {"2025-02-01", "2025-02-28", 2, 1}, 1, "7"},
		};

		for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
			assert_int_equal(store_list_loads(f->st, &cases[i].f, &t), HG_OK);
			if (table_rows(t) != cases[i].rows)
				fail_msg("%s: %d rows", cases[i].what, table_rows(t));
			if (cases[i].rows)
				assert_string_equal(table_cell(t, 0, 0), cases[i].first);
			table_free(t);
		}
		{
			struct load_filter bad = {"2025-02-31", "", 0, 0};

			assert_int_equal(store_list_loads(f->st, &bad, &t), HG_EINVAL);
		}
		assert_int_equal(store_list_loads(f->st, NULL, &t), HG_OK);
		assert_int_equal(table_rows(t), 8);
		assert_string_equal(table_col(t, 1), "decided");
		assert_string_equal(table_cell(t, 4, 1), "2025-02-28 22:30");
		assert_string_equal(table_cell(t, 3, 9), "rcra_hazardous");
		table_free(t);
	}
}

/* The flow meter's flag: stored with the discharge end and its event, read
 * back, listed (column meter, and --flagged); a database of schema 1 gains
 * the column when opened. */
static void test_lists(void **state)
{
	struct store_fx *f = *state;
	long long a = add_hauler(f, &acme);
	struct table *t = NULL;
	struct rv_rec rv = { .name = "Rita", .plate = "ABC123", .plate_state = "CO",
			     .signed_in = fixture_at("2025-02-01T10:00"), .done = fixture_at("2025-02-01T10:20") };

	assert_int_equal(store_card_add(f->st, "04a1b2c3", a, "Dan", "$h", 1, "cli"), HG_OK);
	assert_int_equal(store_truck_add(f->st, a, "TRK-1", 3000, 2, "cli", NULL), HG_OK);
	assert_int_equal(store_operator_add(f->st, "Olga", "0badcafe", "$h", 3, "cli", NULL), HG_OK);
	assert_int_equal(store_rv_commit(f->st, &rv, "kiosk"), HG_OK);
	assert_int_equal(rv.id, 1);

	{
		static const struct {
			const char *what;
			int which;
			int rows;
			int col;
			const char *name;	/* name of column col */
			const char *cell;	/* cell (0, col) */
		} cases[] = {
			/* one hauler, one live card, one truck */
			{"haulers", 0, 1, 1, "company", "Acme Septic"},
			{"haulers cards", 0, 1, 10, "cards", "1"},
			{"cards", 1, 1, 0, "uid", "04a1b2c3"},
			{"card status", 1, 1, 5, "status", "active"},
			{"trucks", 2, 1, 3, "truck", "TRK-1"},
			{"operators", 3, 1, 1, "name", "Olga"},
			{"rv", 4, 1, 3, "plate", "ABC123"},
			{"rv signed in, local time", 4, 1, 1, "signed_in", "2025-02-01 10:00"},
			/* hauler_added, card_added, truck_added, operator_added, rv_visit */
			{"events", 5, 5, 2, "type", "hauler_added"},
		};

		for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
			int rc;

			switch (cases[i].which) {
			case 0: rc = store_list_haulers(f->st, &t); break;
			case 1: rc = store_list_cards(f->st, &t); break;
			case 2: rc = store_list_trucks(f->st, &t); break;
			case 3: rc = store_list_operators(f->st, &t); break;
			case 4: rc = store_list_rv(f->st, "2025-02-01", "2025-02-01", &t); break;
			default: rc = store_list_events(f->st, 1, 0, &t); break;
			}
			assert_int_equal(rc, HG_OK);
			if (table_rows(t) != cases[i].rows)
				fail_msg("%s: %d rows", cases[i].what, table_rows(t));
			assert_string_equal(table_col(t, cases[i].col), cases[i].name);
			assert_string_equal(table_cell(t, 0, cases[i].col), cases[i].cell);
			table_free(t);
		}
	}
	/* events: from a sequence number, at most a limit */
	assert_int_equal(store_list_events(f->st, 2, 2, &t), HG_OK);
	assert_int_equal(table_rows(t), 2);
	assert_string_equal(table_cell(t, 0, 0), "2");
	table_free(t);
	/* RV visits of another day: none */
	assert_int_equal(store_list_rv(f->st, "2025-02-02", "", &t), HG_OK);
	assert_int_equal(table_rows(t), 0);
	table_free(t);
}

/* ---- kept slips: the last print event of a load's slip decides ---- */

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_create_reopen),
		cmocka_unit_test(test_not_a_database),
		cmocka_unit_test_setup_teardown(test_roster_events, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_lookup, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_last_load, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_load_roundtrip, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_atomicity, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_metachars, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_report_month, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_lists, store_fx_setup, store_fx_teardown),
	};

	setenv("TZ", "America/Denver", 1);
	tzset();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
