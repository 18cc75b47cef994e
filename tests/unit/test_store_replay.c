/* test_store_replay.c: verify rebuilds every table from the event log and
 * names each difference (core/record.c, db/store_replay.c).
 *
 * One database is built by real store calls touching every table and every
 * column (the plant's policy applied with the roster, a hauler changed four
 * times, a revoked card, PIN failures and a lockout, a load sampled and
 * discharged with a meter flag, a refused load, an RV visit closed later).  Each row of the edit table copies it, changes
 * one column of one row with raw SQL (as an intruder would, the chain
 * untouched) and expects exactly that difference, by table, key, field and
 * both values; a check makes sure every column of record_tables[] has its
 * row, and that every column of the schema is in the record or listed
 * outside it.  Then: a deleted load, an added operator, a clean copy, a PIN hash
 * (outside the record), an event of an older haulgate, a log whose copy of
 * record does not match its hash.  And a check that no file of db/ writes a
 * row with its own SQL: the tables are written only as the projection of
 * their events (db/store_write.c).  Start reading at main(). */
#include "testutil.h"
#include "store_raw.h"

#include <time.h>

#include "../../core/merkle.h"
#include "../../core/record.h"

#define HASH "$argon2id$v=19$m=65536,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
#define DECIDED1 1741608000LL	/* 2025-03-10 12:00 UTC: 06:00 in Denver */
#define DECIDED2 1741611600LL

static char pristine[320];	/* the built database; each test copies it */
static char dir[256];

static void ok(int rc, struct store *st)
{
	(void)st;
	if (rc != HG_OK)
		fail_msg("store call failed: %s", hg_error_text());
}

static void build_load1(struct store *st)
{
	struct load_rec ld;

	fixture_store_load(&ld, 1, "Acme Septic", WASTE_SEPTAGE, 1500, VERDICT_SAMPLE_HOLD, DECIDED1);
	ld.m.card_id = 1;
	ld.m.truck_id = 1;
	ld.m.truck_capacity = 3000;
	snprintf(ld.m.company_address, sizeof ld.m.company_address, "1 Main St, Springfield");
	snprintf(ld.m.characteristics, sizeof ld.m.characteristics, "Brown liquid");
	snprintf(ld.m.constituents, sizeof ld.m.constituents, "none");
	ld.m.n_sources = 2;
	snprintf(ld.m.sources[1].name, sizeof ld.m.sources[1].name, "Diner");
	snprintf(ld.m.sources[1].address, sizeof ld.m.sources[1].address, "2 Oak Ave");
	snprintf(ld.m.sources[1].industry, sizeof ld.m.sources[1].industry, "restaurant");
	snprintf(ld.m.sources[1].town, sizeof ld.m.sources[1].town, "Kansas City");
	ld.lang = LANG_ES;
	ld.manual_flag = 1;
	ld.t.card = DECIDED1 - 300;
	ld.t.pin = DECIDED1 - 290;
	ld.t.form = DECIDED1 - 280;
	ok(store_load_commit(st, &ld, "card:04a1b2c3"), st);
	ok(store_load_sample(st, 1, "B-0001", 1, DECIDED1 + 60, "operator:1"), st);
	ok(store_load_discharge_start(st, 1, DECIDED1 + 120, "station"), st);
	ok(store_load_discharge_end(st, 1, DECIDED1 + 600, 1400, R_METER_MISMATCH,
				    "hauler pressed done", "station"), st);
}

/* The plant's policy as a station applies it with the roster (before any
 * roster row of its own: db/store_sync.c): a value for all, one for this
 * station, one set and unset. */
static void build_policy(struct store *st)
{
	static const struct roster_ev e[] = {
		{ .kind = RE_POLICY_SET, .scope = "*", .section = "hours", .key = "mon",
		  .value = "closed" },
		{ .kind = RE_POLICY_SET, .scope = "ST-1", .section = "policy", .key = "waste_types",
		  .value = "septage" },
		{ .kind = RE_POLICY_SET, .scope = "*", .section = "sampling", .key = "first_load",
		  .value = "no" },
		{ .kind = RE_POLICY_UNSET, .scope = "*", .section = "sampling", .key = "first_load" },
	};
	struct store_plant_event ev[HG_ARRAY_LEN(e)];
	char *d[HG_ARRAY_LEN(e)];
	uint8_t head[32] = { 9 }, leaf[32];
	struct merkle_range edge;

	merkle_range_init(&edge);
	for (size_t i = 0; i < HG_ARRAY_LEN(e); i++) {
		ok(roster_ev_text(&e[i], &d[i]), st);
		ev[i] = (struct store_plant_event){ (long long)i + 1, roster_ev_type(e[i].kind), d[i] };
		merkle_leaf_hash(head, leaf);
		ok(merkle_range_append(&edge, leaf, NULL, NULL), st);
	}
	ok(store_roster_apply(st, ev, (int)HG_ARRAY_LEN(e), 1735819150, head, &edge), st);
	for (size_t i = 0; i < HG_ARRAY_LEN(e); i++)
		cJSON_free(d[i]);
}

static int build(void **state)
{
	struct hauler_rec h = acme;
	struct rv_rec rv = { .name = "Rita RV", .plate = "RV-123", .plate_state = "CO",
			     .lang = LANG_EN, .signed_in = 1741615200, .rules_accepted = 1741615260,
			     .declared = 1741615320 };
	struct load_rec ld;
	struct store *st;
	long long id;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "replay"), 0);
	snprintf(pristine, sizeof pristine, "%s/pristine.db", dir);
	assert_int_equal(store_open(&st, pristine, 1), HG_OK);
	ok(store_meta_set(st, "station_id", "ST-1", 1735819100, "cli"), st);
	build_policy(st);
	ok(store_hauler_add(st, &h, 1735819200, "cli", &id), st);
	ok(store_hauler_permit(st, 1, "P-1B", "2025-02-01", "2026-01-31", 1735819300, "cli"), st);
	ok(store_hauler_analysis(st, 1, "2025-01-15", 1735819400, "cli"), st);
	ok(store_hauler_suspend(st, 1, 1, 1735819500, "cli"), st);
	ok(store_hauler_suspend(st, 1, 0, 1735819600, "cli"), st);
	ok(store_hauler_add(st, &bravo, 1735819700, "cli", &id), st);
	ok(store_card_add(st, "04a1b2c3", 1, "Dan Driver", HASH, 1735819800, "cli"), st);
	ok(store_card_add(st, "04a1b2c4", 1, "Sam Spare", HASH, 1735819900, "cli"), st);
	ok(store_card_revoke(st, "04a1b2c4", 1735820000, "cli"), st);
	ok(store_pin_state(st, CARD_HAULER, 1, 2, 0, "pin_failed",
			   "{\"uid\":\"04a1b2c3\",\"failures\":2}", 1735820100, "card:04a1b2c3"), st);
	ok(store_truck_add(st, 1, "TRK-1", 3000, 1735820200, "cli", &id), st);
	ok(store_operator_add(st, "Olga Operator", "0a0b0c01", HASH, 1735820300, "cli", &id), st);
	ok(store_pin_state(st, CARD_OPERATOR, 1, 0, 1735824000, "pin_lockout", NULL, 1735820400,
			   "card:0a0b0c01"), st);
	build_load1(st);
	fixture_store_load(&ld, 2, "Bravo Grease", WASTE_GREASE, 800, VERDICT_REFUSED, DECIDED2);
	ok(store_load_commit(st, &ld, "card:04a1b2c3"), st);
	ok(store_rv_commit(st, &rv, "kiosk"), st);
	ok(store_rv_done(st, rv.id, 1741615800, "done", "kiosk"), st);
	store_close(st);
	return 0;
}

static int unbuild(void **state)
{
	(void)state;
	tu_rmtree(dir);
	return 0;
}

/* ---- a copy, edited, verified ---- */

struct found {
	int n;
	char lines[32][600];
};

static void collect(void *arg, const char *line)
{
	struct found *f = arg;

	if (f->n < 32)
		snprintf(f->lines[f->n], sizeof f->lines[0], "%s", line);
	f->n++;
}

static void copy_file(const char *from, const char *to)
{
	char buf[65536];
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* Copy the built database, run sql on the copy (NULL: none), verify its
 * tables into *f; returns store_verify_tables()'s code. */
static int edited(const char *sql, struct found *f, struct tables_result *r)
{
	char path[400];
	struct store *st;
	int rc;

	snprintf(path, sizeof path, "%s/edited.db", dir);
	unlink(path);
	copy_file(pristine, path);
	if (sql)
		raw_exec(path, sql);
	assert_int_equal(store_open(&st, path, 0), HG_OK);
	memset(f, 0, sizeof *f);
	rc = store_verify_tables(st, collect, f, r);
	if (rc != HG_OK && rc != HG_ECORRUPT)
		fail_msg("verify failed: %s", hg_error_text());
	store_close(st);
	unlink(path);
	return rc;
}

static int has_line(const struct found *f, const char *want)
{
	for (int i = 0; i < f->n && i < 32; i++)
		if (strcmp(f->lines[i], want) == 0)
			return 1;
	return 0;
}

static void dump(const struct found *f)
{
	for (int i = 0; i < f->n && i < 32; i++)
		print_message("  got: %s\n", f->lines[i]);
}

/* ---- every column of every table ---- */

struct edit {
	const char *table, *col;
	const char *where;	/* the row */
	const char *set;	/* the new value, as SQL */
	const char *want;	/* the line verify must print */
};

static const struct edit edits[] = {
	/* meta: the station id; its key renamed is a setting the log never made */
	{"meta", "value", "key = 'station_id'", "'ST-9'",
	 "meta station_id value: 'ST-9' in the table, 'ST-1' in the log"},
	{"meta", "key", "key = 'station_id'", "'station_idx'",
	 "meta station_idx: in the table, not in the log"},
	/* haulers: hauler_added, then permit, analysis, suspended and reinstated */
	{"haulers", "id", "id = 2", "9", "haulers 9: in the table, not in the log"},
	{"haulers", "company", "id = 1", "'Acme Septic Inc'",
	 "haulers 1 company: 'Acme Septic Inc' in the table, 'Acme Septic' in the log"},
	{"haulers", "contact", "id = 1", "'Bob'", "haulers 1 contact: 'Bob' in the table, 'Ann Acme' in the log"},
	{"haulers", "address", "id = 1", "'9 Elm'",
	 "haulers 1 address: '9 Elm' in the table, '1 Main St, Springfield' in the log"},
	{"haulers", "phone", "id = 1", "'555-9999'",
	 "haulers 1 phone: '555-9999' in the table, '555-0101' in the log"},
	{"haulers", "permit", "id = 1", "'P-X'", "haulers 1 permit: 'P-X' in the table, 'P-1B' in the log"},
	{"haulers", "permit_from", "id = 1", "'2020-01-01'",
	 "haulers 1 permit_from: '2020-01-01' in the table, '2025-02-01' in the log"},
	/* the edited permit date of the issue */
	{"haulers", "permit_to", "id = 1", "'2099-12-31'",
	 "haulers 1 permit_to: '2099-12-31' in the table, '2026-01-31' in the log"},
	{"haulers", "status", "id = 1", "'suspended'",
	 "haulers 1 status: 'suspended' in the table, 'active' in the log"},
	{"haulers", "waste_allowed", "id = 2", "'grease,industrial'",
	 "haulers 2 waste_allowed: 'grease,industrial' in the table, 'grease' in the log"},
	{"haulers", "analysis_date", "id = 1", "''",
	 "haulers 1 analysis_date: '' in the table, '2025-01-15' in the log"},
	{"haulers", "created", "id = 1", "5", "haulers 1 created: 5 in the table, 1735819200 in the log"},
	/* cards: card 1 with two wrong PINs, card 2 revoked */
	{"cards", "id", "id = 2", "7", "cards 7: in the table, not in the log"},
	{"cards", "uid", "id = 1", "'04ffffff'", "cards 1 uid: '04ffffff' in the table, '04a1b2c3' in the log"},
	{"cards", "hauler_id", "id = 1", "2", "cards 1 hauler_id: 2 in the table, 1 in the log"},
	{"cards", "driver", "id = 1", "'Eve'", "cards 1 driver: 'Eve' in the table, 'Dan Driver' in the log"},
	{"cards", "revoked", "id = 2", "0", "cards 2 revoked: 0 in the table, 1 in the log"},
	{"cards", "failures", "id = 1", "0", "cards 1 failures: 0 in the table, 2 in the log"},
	{"cards", "locked_until", "id = 1", "99", "cards 1 locked_until: 99 in the table, 0 in the log"},
	{"cards", "created", "id = 1", "6", "cards 1 created: 6 in the table, 1735819800 in the log"},
	/* trucks */
	{"trucks", "id", "id = 1", "4", "trucks 4: in the table, not in the log"},
	{"trucks", "hauler_id", "id = 1", "2", "trucks 1 hauler_id: 2 in the table, 1 in the log"},
	{"trucks", "ident", "id = 1", "'TRK-9'", "trucks 1 ident: 'TRK-9' in the table, 'TRK-1' in the log"},
	{"trucks", "capacity", "id = 1", "9000", "trucks 1 capacity: 9000 in the table, 3000 in the log"},
	/* operators: operator 1 locked out */
	{"operators", "id", "id = 1", "3", "operators 3: in the table, not in the log"},
	{"operators", "name", "id = 1", "'Mallory'",
	 "operators 1 name: 'Mallory' in the table, 'Olga Operator' in the log"},
	{"operators", "uid", "id = 1", "'0a0b0c02'",
	 "operators 1 uid: '0a0b0c02' in the table, '0a0b0c01' in the log"},
	{"operators", "failures", "id = 1", "4", "operators 1 failures: 4 in the table, 0 in the log"},
	{"operators", "locked_until", "id = 1", "0",
	 "operators 1 locked_until: 0 in the table, 1735824000 in the log"},
	{"operators", "active", "id = 1", "0", "operators 1 active: 0 in the table, 1 in the log"},
	{"operators", "created", "id = 1", "7", "operators 1 created: 7 in the table, 1735820300 in the log"},
	/* sources remembered: 1 and 2 from load 1, 3 from load 2 */
	{"sources", "id", "id = 3", "8", "sources 8: in the table, not in the log"},
	{"sources", "hauler_id", "id = 3", "1", "sources 3 hauler_id: 1 in the table, 2 in the log"},
	{"sources", "name", "id = 2", "'Cafe'", "sources 2 name: 'Cafe' in the table, 'Diner' in the log"},
	{"sources", "address", "id = 2", "'3 Oak Ave'",
	 "sources 2 address: '3 Oak Ave' in the table, '2 Oak Ave' in the log"},
	{"sources", "industry", "id = 2", "'bakery'",
	 "sources 2 industry: 'bakery' in the table, 'restaurant' in the log"},
	{"sources", "town", "id = 2", "'Independence'",
	 "sources 2 town: 'Independence' in the table, 'Kansas City' in the log"},
	{"sources", "last_used", "id = 1", "1", "sources 1 last_used: 1 in the table, 1741608000 in the log"},
	/* loads: load 1 held, sampled, discharged with a meter flag; 2 refused */
	{"loads", "load_no", "load_no = 2", "5", "loads 5: in the table, not in the log"},
	{"loads", "station", "load_no = 1", "'ST-2'", "loads 1 station: 'ST-2' in the table, 'ST-1' in the log"},
	{"loads", "day", "load_no = 1", "'2025-03-11'",
	 "loads 1 day: '2025-03-11' in the table, '2025-03-10' in the log"},
	{"loads", "hauler_id", "load_no = 1", "2", "loads 1 hauler_id: 2 in the table, 1 in the log"},
	{"loads", "card_id", "load_no = 1", "NULL", "loads 1 card_id: none in the table, 1 in the log"},
	{"loads", "company", "load_no = 1", "'Acme'",
	 "loads 1 company: 'Acme' in the table, 'Acme Septic' in the log"},
	{"loads", "company_address", "load_no = 1", "''",
	 "loads 1 company_address: '' in the table, '1 Main St, Springfield' in the log"},
	{"loads", "driver", "load_no = 1", "'Eve'", "loads 1 driver: 'Eve' in the table, 'Dan Driver' in the log"},
	{"loads", "permit", "load_no = 1", "'P-9'", "loads 1 permit: 'P-9' in the table, 'P-1' in the log"},
	{"loads", "truck_id", "load_no = 2", "1", "loads 2 truck_id: 1 in the table, none in the log"},
	{"loads", "truck", "load_no = 1", "'TRK-9'", "loads 1 truck: 'TRK-9' in the table, 'TRK-1' in the log"},
	{"loads", "truck_capacity", "load_no = 1", "100",
	 "loads 1 truck_capacity: 100 in the table, 3000 in the log"},
	{"loads", "waste", "load_no = 1", "'portable'",
	 "loads 1 waste: 'portable' in the table, 'septage' in the log"},
	/* the edited gallons of the issue */
	{"loads", "gallons", "load_no = 1", "2500", "loads 1 gallons: 2500 in the table, 1500 in the log"},
	{"loads", "gallons_measured", "load_no = 1", "1500",
	 "loads 1 gallons_measured: 1500 in the table, 1400 in the log"},
	{"loads", "characteristics", "load_no = 1", "'Clear'",
	 "loads 1 characteristics: 'Clear' in the table, 'Brown liquid' in the log"},
	{"loads", "constituents", "load_no = 1", "'benzene'",
	 "loads 1 constituents: 'benzene' in the table, 'none' in the log"},
	{"loads", "rcra", "load_no = 2", "'yes'", "loads 2 rcra: 'yes' in the table, 'no' in the log"},
	{"loads", "signer", "load_no = 1", "'X'", "loads 1 signer: 'X' in the table, 'Dan Driver' in the log"},
	{"loads", "lang", "load_no = 1", "'en'", "loads 1 lang: 'en' in the table, 'es' in the log"},
	{"loads", "record", "load_no = 1", "'Copy of record: Acme Septic, 150 gallons of septage\n'",
	 "loads 1 record: 'Copy of record: Acme Septic, 150 gallons of septage ' in the table, "
	 "'Copy of record: Acme Septic, 1500 gallons of septage ' in the log"},
	{"loads", "record_sha256", "load_no = 1", "'" "0000000000000000000000000000000000000000000000000000000000000000" "'",
	 NULL},
	/* the edited verdict of the issue */
	{"loads", "verdict", "load_no = 2", "'accepted'",
	 "loads 2 verdict: 'accepted' in the table, 'refused' in the log"},
	{"loads", "refuse_reasons", "load_no = 2", "''",
	 "loads 2 refuse_reasons: '' in the table, 'rcra_hazardous' in the log"},
	{"loads", "sample_reasons", "load_no = 1", "''",
	 "loads 1 sample_reasons: '' in the table, 'sample_first_load' in the log"},
	{"loads", "sampled", "load_no = 1", "0", "loads 1 sampled: 0 in the table, 1 in the log"},
	{"loads", "manual_flag", "load_no = 1", "0", "loads 1 manual_flag: 0 in the table, 1 in the log"},
	{"loads", "bottle", "load_no = 1", "'B-0002'",
	 "loads 1 bottle: 'B-0002' in the table, 'B-0001' in the log"},
	{"loads", "sampled_by", "load_no = 1", "NULL", "loads 1 sampled_by: none in the table, 1 in the log"},
	{"loads", "t_card", "load_no = 1", "1", "loads 1 t_card: 1 in the table, 1741607700 in the log"},
	{"loads", "t_pin", "load_no = 1", "1", "loads 1 t_pin: 1 in the table, 1741607710 in the log"},
	{"loads", "t_form", "load_no = 1", "NULL", "loads 1 t_form: none in the table, 1741607720 in the log"},
	{"loads", "t_certified", "load_no = 1", "1",
	 "loads 1 t_certified: 1 in the table, 1741607995 in the log"},
	{"loads", "t_decided", "load_no = 1", "1", "loads 1 t_decided: 1 in the table, 1741608000 in the log"},
	{"loads", "t_sampled", "load_no = 2", "5", "loads 2 t_sampled: 5 in the table, none in the log"},
	{"loads", "t_discharge_start", "load_no = 1", "NULL",
	 "loads 1 t_discharge_start: none in the table, 1741608120 in the log"},
	{"loads", "t_discharge_end", "load_no = 1", "1741608601",
	 "loads 1 t_discharge_end: 1741608601 in the table, 1741608600 in the log"},
	{"loads", "discharge_end_why", "load_no = 1", "'maximum time'",
	 "loads 1 discharge_end_why: 'maximum time' in the table, 'hauler pressed done' in the log"},
	{"loads", "meter_flag", "load_no = 1", "''",
	 "loads 1 meter_flag: '' in the table, 'meter_mismatch' in the log"},
	/* the sources of a load, keyed by load and place; the source's name of the issue */
	{"load_sources", "load_no", "load_no = 2", "3", "load_sources 3/0: in the table, not in the log"},
	{"load_sources", "idx", "load_no = 1 AND idx = 1", "5",
	 "load_sources 1/5: in the table, not in the log"},
	{"load_sources", "name", "load_no = 1 AND idx = 0", "'Elsewhere'",
	 "load_sources 1/0 name: 'Elsewhere' in the table, 'Home 1500' in the log"},
	{"load_sources", "address", "load_no = 1 AND idx = 1", "'2 Oak Av'",
	 "load_sources 1/1 address: '2 Oak Av' in the table, '2 Oak Ave' in the log"},
	{"load_sources", "industry", "load_no = 1 AND idx = 0", "'farm'",
	 "load_sources 1/0 industry: 'farm' in the table, 'residential' in the log"},
	{"load_sources", "town", "load_no = 1 AND idx = 1", "'Independence'",
	 "load_sources 1/1 town: 'Independence' in the table, 'Kansas City' in the log"},
	/* the plant's policy, keyed by scope, section and key */
	{"policy", "scope", "scope = 'ST-1'", "'ST-2'",
	 "policy ST-2/policy/waste_types: in the table, not in the log"},
	{"policy", "section", "scope = '*' AND key = 'mon'", "'policy'",
	 "policy */policy/mon: in the table, not in the log"},
	{"policy", "key", "scope = '*' AND key = 'mon'", "'tue'",
	 "policy */hours/tue: in the table, not in the log"},
	{"policy", "value", "scope = '*' AND key = 'mon'", "'06:00-12:00'",
	 "policy */hours/mon value: '06:00-12:00' in the table, 'closed' in the log"},
	{"policy", "active", "key = 'first_load'", "1",
	 "policy */sampling/first_load active: 1 in the table, 0 in the log"},
	/* an RV visit closed by rv_done */
	{"rv_visits", "id", "id = 1", "2", "rv_visits 2: in the table, not in the log"},
	{"rv_visits", "name", "id = 1", "'=HYPERLINK()'",
	 "rv_visits 1 name: '=HYPERLINK()' in the table, 'Rita RV' in the log"},
	{"rv_visits", "plate", "id = 1", "'RV-124'", "rv_visits 1 plate: 'RV-124' in the table, 'RV-123' in the log"},
	{"rv_visits", "plate_state", "id = 1", "'TX'", "rv_visits 1 plate_state: 'TX' in the table, 'CO' in the log"},
	{"rv_visits", "lang", "id = 1", "'es'", "rv_visits 1 lang: 'es' in the table, 'en' in the log"},
	{"rv_visits", "signed_in", "id = 1", "1", "rv_visits 1 signed_in: 1 in the table, 1741615200 in the log"},
	{"rv_visits", "rules_accepted", "id = 1", "NULL",
	 "rv_visits 1 rules_accepted: none in the table, 1741615260 in the log"},
	{"rv_visits", "declared", "id = 1", "NULL",
	 "rv_visits 1 declared: none in the table, 1741615320 in the log"},
	{"rv_visits", "done", "id = 1", "NULL", "rv_visits 1 done: none in the table, 1741615800 in the log"},
	{"rv_visits", "day", "id = 1", "'2025-03-09'",
	 "rv_visits 1 day: '2025-03-09' in the table, '2025-03-10' in the log"},
};

static void test_each_column(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(edits); i++) {
		const struct edit *e = &edits[i];
		char sql[600], want[600];
		struct tables_result r;
		struct found f;
		const char *w = e->want;
		int rc;

		if (!w) {	/* the record's hash: the log's value is the fixture record's */
			uint8_t h[32];
			char hex[65], rec[120];

			snprintf(rec, sizeof rec, "Copy of record: Acme Septic, 1500 gallons of septage\n");
			text_sha256(rec, strlen(rec), h);
			text_hex(h, 32, hex);
			snprintf(want, sizeof want, "loads 1 record_sha256: '%.64s' in the table, '%s' in the log",
				 e->set + 1, hex);
			w = want;
		}
		snprintf(sql, sizeof sql, "UPDATE %s SET %s = %s WHERE %s", e->table, e->col, e->set,
			 e->where);
		rc = edited(sql, &f, &r);
		if (rc != HG_ECORRUPT || !has_line(&f, w) || r.unchecked) {
			dump(&f);
			fail_msg("%s.%s: wanted \"%s\"", e->table, e->col, w);
		}
		/* a changed key is also a row the table lacks; anything else is one line */
		if (strstr(w, "not in the log") == NULL && f.n != 1) {
			dump(&f);
			fail_msg("%s.%s: %d differences, wanted 1", e->table, e->col, f.n);
		}
	}
}

/* Every column the log explains has its row above. */
static void test_every_column_edited(void **state)
{
	(void)state;
	for (int t = 0; t < record_ntables; t++) {
		for (int c = 0; c < record_tables[t].ncols; c++) {
			int seen = 0;

			for (size_t i = 0; i < HG_ARRAY_LEN(edits); i++)
				seen |= strcmp(edits[i].table, record_tables[t].name) == 0 &&
					strcmp(edits[i].col, record_tables[t].cols[c].name) == 0;
			if (!seen)
				fail_msg("no edit of %s.%s", record_tables[t].name, record_tables[t].cols[c].name);
		}
	}
}

/* Every column of every table of the schema (but the log) is in the record
 * or listed outside it: a column added by a migration and forgotten here
 * would go unchecked by verify. */
static void test_schema_covered(void **state)
{
	sqlite3 *db = raw_open(pristine);
	sqlite3_stmt *s = NULL;

	(void)state;
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT m.name, p.name FROM sqlite_schema m, "
					    "pragma_table_info(m.name) p WHERE m.type = 'table' "
					    "AND m.name <> 'events'", -1, &s, NULL), SQLITE_OK);
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(s, 0);
		const char *c = (const char *)sqlite3_column_text(s, 1);
		const struct rec_table *tb = record_table(t);
		char full[200];
		int seen = 0;

		snprintf(full, sizeof full, "%s.%s", t, c);
		for (int i = 0; tb && i < tb->ncols; i++)
			seen |= strcmp(tb->cols[i].name, c) == 0;
		for (int i = 0; record_outside[i].column; i++)
			seen |= strcmp(record_outside[i].column, full) == 0;
		if (!seen)
			fail_msg("column %s is neither in record_tables nor in record_outside", full);
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
}

/* ---- one projection: the store writes rows only through core/record.c ---- */

/* Every row of the tables is what the log's events make through
 * record_project(): the store's own writes go through store_write() and its
 * one SQL writer (db/store_write.c), like verify's replay.  So no other file
 * of db/ may hold SQL that writes a row, but the event log's own INSERT. */
static void test_one_projection(void **state)
{
	static const struct {
		const char *file;
		const char *allowed;	/* the one writing statement it may hold, or NULL */
	} files[] = {
		/* the event log itself: appended, never projected */
		{ "db/store.c", "INSERT INTO events" },
		{ "db/store_roster.c", NULL },
		{ "db/store_load.c", NULL },
		{ "db/store_interrupt.c", NULL },
		{ "db/store_day.c", NULL },
		{ "db/store_kept.c", NULL },
		{ "db/store_list.c", NULL },
		{ "db/store_replay.c", NULL },
		/* what the plant said of the log (sync_state, sync_checkpoints):
		 * not records, not events, outside the projection (docs/DECISIONS.md) */
		{ "db/store_sync.c", "INSERT INTO sync_" },
	};
	static const char *const writes[] = { "INSERT INTO", "UPDATE ", "DELETE FROM", "REPLACE INTO" };

	(void)state;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		FILE *f = fopen(files[i].file, "r");
		char line[1024];
		int no = 0;

		if (!f)
			fail_msg("cannot read %s (run from the top of the tree)", files[i].file);
		while (fgets(line, sizeof line, f)) {
			no++;
			for (size_t w = 0; w < sizeof writes / sizeof writes[0]; w++) {
				const char *hit = strstr(line, writes[w]);

				if (!hit || !strchr(line, '"'))
					continue;	/* not in an SQL string */
				if (files[i].allowed && strstr(line, files[i].allowed))
					continue;
				if (strstr(line, "DO UPDATE") || strstr(line, "ON CONFLICT"))
					continue;
				fclose(f);
				fail_msg("%s:%d writes rows with its own SQL (\"%s\"): write them as "
					 "an event through store_write()", files[i].file, no, writes[w]);
			}
		}
		fclose(f);
	}
}

/* ---- rows, clean copies, what is outside, older logs ---- */

struct whole {
	const char *sql;
	int rc;
	const char *lines[3];	/* each must be printed; NULL ends */
	int n;			/* how many lines in all */
};

static const struct whole wholes[] = {
	/* the clean database */
	{NULL, HG_OK, {NULL}, 0},
	/* a deleted load, with its source, as an intruder would */
	{"DELETE FROM load_sources WHERE load_no = 2; DELETE FROM loads WHERE load_no = 2",
	 HG_ECORRUPT, {"loads 2: in the log, not in the table", "load_sources 2/0: in the log, not in the table"}, 2},
	/* an operator added behind the log's back */
	{"INSERT INTO operators (name, uid, pin_hash, created) VALUES ('Eve', '0badbeef', 'x', 1)",
	 HG_ECORRUPT, {"operators 2: in the table, not in the log"}, 1},
	/* a load added behind the log's back */
	{"INSERT INTO loads (day, hauler_id, verdict, t_decided) VALUES ('2025-03-10', 1, 'accepted', 1)",
	 HG_ECORRUPT, {"loads 3: in the table, not in the log"}, 1},
	/* a remembered source deleted */
	{"DELETE FROM sources WHERE id = 3", HG_ECORRUPT, {"sources 3: in the log, not in the table"}, 1},
	/* the PIN hashes are outside the record: a changed one is no difference */
	{"UPDATE cards SET pin_hash = 'other'; UPDATE operators SET pin_hash = 'other'", HG_OK, {NULL}, 0},
};

static void test_whole_rows(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(wholes); i++) {
		const struct whole *w = &wholes[i];
		struct tables_result r;
		struct found f;
		int rc = edited(w->sql, &f, &r);

		if (rc != w->rc || f.n != w->n) {
			dump(&f);
			fail_msg("row %zu (%s): rc %d, %d lines", i, w->sql ? w->sql : "clean", rc, f.n);
		}
		for (int k = 0; k < 3 && w->lines[k]; k++) {
			if (!has_line(&f, w->lines[k])) {
				dump(&f);
				fail_msg("row %zu: wanted \"%s\"", i, w->lines[k]);
			}
		}
		if (!w->sql) {	/* every table of the record was compared */
			assert_int_equal(r.rows, 1 + 2 + 2 + 1 + 1 + 3 + 2 + 3 + 1 + 3);	/* policy: 3 */
			assert_int_equal(r.events, raw_int(pristine, "SELECT count(*) FROM events"));
		}
	}
}

/* An event the projection cannot read: one of an older haulgate (no
 * contact, address, phone), a copy of record that does not match the hash
 * beside it in the log, an event that makes rows with no detail.  Each is
 * written through the store, so the chain stays intact. */
static void test_log_unreadable(void **state)
{
	static const struct {
		const char *type, *detail, *why;
	} rows[] = {
		/* hauler_added as written before the events carried whole rows */
		{"hauler_added", "{\"hauler_id\":3,\"company\":\"Old\",\"permit\":\"P\",\"permit_from\":\"\","
		 "\"permit_to\":\"\",\"waste_allowed\":\"\",\"analysis_date\":\"\"}", "no text 'contact'"},
		/* a manifest whose record is not the one its hash says */
		{"manifest_submitted", "{\"record\":\"x\",\"record_sha256\":\"00\",\"hauler_id\":1,"
		 "\"t_decided\":1}", "does not match its record_sha256"},
		/* a setting with no detail */
		{"meta_set", NULL, "no text 'key'"},
	};
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char path[400];
		struct tables_result r;
		struct store *st;

		snprintf(path, sizeof path, "%s/old.db", dir);
		unlink(path);
		copy_file(pristine, path);
		assert_int_equal(store_open(&st, path, 0), HG_OK);
		ok(store_event(st, 1741700000, rows[i].type, 0, "cli", rows[i].detail), st);
		assert_int_equal(store_verify_tables(st, NULL, NULL, &r), HG_ECORRUPT);
		assert_true(r.unchecked);
		if (!strstr(r.why, rows[i].why))
			fail_msg("row %zu: why \"%s\"", i, r.why);
		assert_non_null(strstr(hg_error_text(), "cannot be rebuilt from the log"));
		store_close(st);
		unlink(path);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_projection),
		cmocka_unit_test(test_every_column_edited),
		cmocka_unit_test(test_schema_covered),
		cmocka_unit_test(test_each_column),
		cmocka_unit_test(test_whole_rows),
		cmocka_unit_test(test_log_unreadable),
	};

	setenv("TZ", "America/Denver", 1);
	tzset();
	return cmocka_run_group_tests(tests, build, unbuild);
}
