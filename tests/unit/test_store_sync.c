/* test_store_sync.c: the sync's side of the store (db/store_sync.c).
 *
 * A log of 2,345 events (and whatever the store writes on its own) is read
 * back in batches of at most 1,000 as the sync sends them: every event once,
 * in order, each hash the chain's (recomputed with core/chain.c) and each
 * prev_hash the hash before it.  The leaf reader over events.hash gives the
 * same root as core/merkle.c over the hashes kept in memory, for several
 * sizes, and merkle_range_load() through it gives the same right edge as
 * appending the leaves one by one.  sync_state and sync_checkpoints go
 * round trip; a second root at a size already countersigned is refused; a
 * hash that is not 32 bytes is named.  The plant's roster events are
 * applied whole as the station's own, the PIN hash in the row and not in
 * the event, the edge kept; refused onto a station with its own roster.
 * The plant's policy events are applied the same way, into the policy
 * table in the same transaction (a bad event among them: nothing kept), and
 * read back for one station: the values for all and its own.
 * Start reading at main(). */
#include "testutil.h"
#include "fixture_store.h"
#include "store_raw.h"

#include "../../core/chain.h"
#include "../../core/merkle.h"
#include "../../core/pin.h"
#include "../../db/store_policy.h"

#define NEV 2345

/* Everything read back, in memory. */
struct got {
	long long n;
	long long last_seq;
	uint8_t last_hash[32];
	uint8_t (*hash)[32];	/* by seq - 1 */
	long long cap;
};

static void fill(struct store_fx *f, long long *size)
{
	static struct event_in ev[NEV];
	static char detail[NEV][64];
	uint8_t head[32];

	for (int i = 0; i < NEV; i++) {
		snprintf(detail[i], sizeof detail[i], "{\"i\":%d,\"text\":\"caf\xc3\xa9 %d\"}", i, i * 7);
		ev[i].ts = 1741608000 + i;
		ev[i].type = i % 3 ? "note" : "test_event";
		ev[i].load_no = i % 5;
		ev[i].actor = i % 2 ? "cli:root" : "";
		ev[i].detail = i % 4 ? detail[i] : NULL;
	}
	assert_int_equal(store_event_batch(f->st, ev, NEV), HG_OK);
	assert_int_equal(store_event_head(f->st, size, head), HG_OK);
	assert_true(*size >= NEV);
}

/* Check each event as the sync gets it. */
static int take(void *arg, const struct store_event_row *ev)
{
	struct got *g = arg;
	struct chain_event ce = { ev->seq, ev->ts, ev->type, ev->load_no, ev->actor, ev->detail };
	uint8_t h[32];

	assert_int_equal(ev->seq, g->last_seq + 1);
	assert_memory_equal(ev->prev_hash, g->last_hash, 32);
	assert_int_equal(strlen(ev->detail), ev->detail_len);
	chain_hash(ev->prev_hash, &ce, h);
	assert_memory_equal(h, ev->hash, 32);
	assert_true(ev->seq - 1 < g->cap);
	memcpy(g->hash[ev->seq - 1], ev->hash, 32);
	memcpy(g->last_hash, ev->hash, 32);
	g->last_seq = ev->seq;
	g->n++;
	return 0;
}

/* A callback that stops the reading at its third event. */
static int stop_at_3(void *arg, const struct store_event_row *ev)
{
	(void)arg;
	return ev->seq == 3 ? hg_fail(HG_EIO, "stop") : 0;
}

static void read_all(struct store_fx *f, long long size, struct got *g)
{
	memset(g, 0, sizeof *g);
	g->cap = size;
	g->hash = calloc((size_t)size, 32);
	assert_non_null(g->hash);
	for (long long from = 1; from <= size;) {
		long long n = 0;

		assert_int_equal(store_events_read(f->st, from, 1000, take, g, &n), HG_OK);
		assert_true(n >= 1 && n <= 1000);
		from += n;
	}
	assert_int_equal(g->n, size);
}

/* Batches of 1,000 from 1 on give every event once, in order, as hashed. */
static void test_batches(void **state)
{
	struct store_fx *f = *state;
	struct got g;
	long long size, n = -1;
	uint8_t head[32];

	fill(f, &size);
	read_all(f, size, &g);
	assert_int_equal(store_event_head(f->st, &size, head), HG_OK);
	assert_memory_equal(head, g.last_hash, 32);
	/* past the end: nothing, and no failure */
	assert_int_equal(store_events_read(f->st, size + 1, 1000, take, &g, &n), HG_OK);
	assert_int_equal(n, 0);
	/* the last batch is short */
	g.last_seq = size - 10;
	memcpy(g.last_hash, g.hash[size - 11], 32);
	assert_int_equal(store_events_read(f->st, size - 9, 1000, take, &g, &n), HG_OK);
	assert_int_equal(n, 10);
	/* a callback's failure stops the reading and is returned */
	assert_int_equal(store_events_read(f->st, 1, 1000, stop_at_3, NULL, &n), HG_EIO);
	assert_int_equal(n, 2);
	/* bad arguments */
	assert_int_equal(store_events_read(f->st, 0, 1000, take, &g, &n), HG_EINVAL);
	assert_int_equal(store_events_read(f->st, 1, 0, take, &g, &n), HG_EINVAL);
	free(g.hash);
}

/* Leaves from memory, for the reference root. */
static int mem_leaf(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct got *g = ctx;

	assert_true((long long)index < g->cap);
	merkle_leaf_hash(g->hash[index], out);
	return 0;
}

/* The leaf reader over events.hash gives core/merkle.c's root over the
 * same hashes, and the same right edge as appending leaf by leaf. */
static void test_leaf_reader(void **state)
{
	struct store_fx *f = *state;
	struct merkle_reader db = { .leaf = store_merkle_leaf, .ctx = f->st };
	struct merkle_reader mem = { .leaf = mem_leaf };
	struct merkle_range r, step;
	uint8_t a[32], b[32], leaf[32];
	struct got g;
	long long size;

	fill(f, &size);
	read_all(f, size, &g);
	mem.ctx = &g;
	{
		const long long sizes[] = { 1, 2, 3, 7, 8, 1000, 1001, size - 1, size };

		for (size_t i = 0; i < HG_ARRAY_LEN(sizes); i++) {
			assert_int_equal(merkle_root(&db, (uint64_t)sizes[i], a), HG_OK);
			assert_int_equal(merkle_root(&mem, (uint64_t)sizes[i], b), HG_OK);
			assert_memory_equal(a, b, 32);
		}
	}
	/* the right edge rebuilt from the store = the leaves appended one by one */
	assert_int_equal(merkle_range_load(&r, &db, (uint64_t)size), HG_OK);
	merkle_range_init(&step);
	for (long long i = 0; i < size; i++) {
		merkle_leaf_hash(g.hash[i], leaf);
		assert_int_equal(merkle_range_append(&step, leaf, NULL, NULL), HG_OK);
	}
	merkle_range_root(&r, a);
	merkle_range_root(&step, b);
	assert_memory_equal(a, b, 32);
	assert_int_equal(merkle_root(&db, (uint64_t)size, b), HG_OK);
	assert_memory_equal(a, b, 32);
	/* a leaf past the log */
	assert_int_equal(store_merkle_leaf(f->st, (uint64_t)size, leaf), HG_ENOTFOUND);
	assert_non_null(strstr(hg_error_text(), "not in the log"));
	free(g.hash);
}

/* sync_state: empty at first, then as written, NULLs and all. */
static void test_state_round_trip(void **state)
{
	struct store_fx *f = *state;
	struct sync_state s, t;

	assert_int_equal(store_sync_get(f->st, &s), HG_OK);
	assert_int_equal(s.plant_size, 0);
	assert_int_equal(s.last_success, 0);
	assert_string_equal(s.last_error, "");
	assert_int_equal(s.fork_seq, 0);

	memset(&s, 0, sizeof s);
	s.plant_size = 1234;
	s.last_success = 1741608000;
	s.last_attempt = 1741608030;
	snprintf(s.last_error, sizeof s.last_error, "cannot reach the plant: \"x\" \xc3\xa9");
	s.fork_seq = 77;
	s.fork_at = 1741608031;
	s.roster_version = 9;
	assert_int_equal(store_sync_set(f->st, &s), HG_OK);
	assert_int_equal(store_sync_get(f->st, &t), HG_OK);
	assert_memory_equal(&s, &t, sizeof s);

	/* written again: one row, the new values (0 = NULL comes back 0) */
	s.last_success = 0;
	s.fork_seq = 0;
	s.fork_at = 0;
	memset(s.last_error, 0, sizeof s.last_error);
	assert_int_equal(store_sync_set(f->st, &s), HG_OK);
	assert_int_equal(store_sync_get(f->st, &t), HG_OK);
	assert_memory_equal(&s, &t, sizeof s);
}

/* Checkpoints: the latest by size; the same root again replaces the note,
 * another root at a size kept is a fork and keeps the first. */
static void test_checkpoints(void **state)
{
	struct store_fx *f = *state;
	uint8_t r1[32], r2[32], got[32];
	char note[STORE_NOTE_MAX];
	long long size;
	hg_time when;

	memset(r1, 0x11, 32);
	memset(r2, 0x22, 32);
	assert_int_equal(store_checkpoint_latest(f->st, &size, got, note, sizeof note, &when),
			 HG_ENOTFOUND);
	assert_int_equal(store_checkpoint_put(f->st, 5, r1, "five\n", 100), HG_OK);
	assert_int_equal(store_checkpoint_put(f->st, 9, r2, "nine\n", 200), HG_OK);
	assert_int_equal(store_checkpoint_put(f->st, 7, r1, "seven\n", 300), HG_OK);
	assert_int_equal(store_checkpoint_latest(f->st, &size, got, note, sizeof note, &when), HG_OK);
	assert_int_equal(size, 9);
	assert_memory_equal(got, r2, 32);
	assert_string_equal(note, "nine\n");
	assert_int_equal(when, 200);
	/* cosigned again */
	assert_int_equal(store_checkpoint_put(f->st, 9, r2, "nine again\n", 400), HG_OK);
	assert_int_equal(store_checkpoint_latest(f->st, &size, got, note, sizeof note, &when), HG_OK);
	assert_string_equal(note, "nine again\n");
	/* another root at 9: refused, the first kept */
	assert_int_equal(store_checkpoint_put(f->st, 9, r1, "other\n", 500), HG_EEXIST);
	assert_non_null(strstr(hg_error_text(), "fork"));
	assert_int_equal(store_checkpoint_latest(f->st, &size, got, note, sizeof note, &when), HG_OK);
	assert_memory_equal(got, r2, 32);
	assert_string_equal(note, "nine again\n");
	/* a note too big for the buffer is refused, not cut */
	assert_int_equal(store_checkpoint_latest(f->st, &size, got, note, 4, &when), HG_ECORRUPT);
	/* size 0 is never signed */
	assert_int_equal(store_checkpoint_put(f->st, 0, r1, "zero\n", 1), HG_EINVAL);
}

/* A hash that is not 32 bytes (an edited database) is named, not sent. */
static void test_corrupt_hash(void **state)
{
	struct store_fx *f = *state;
	uint8_t leaf[32];
	long long size, n;
	struct got g = { 0 };

	fill(f, &size);
	raw_exec(f->path, "UPDATE events SET hash = x'0011' WHERE seq = 5");
	assert_int_equal(store_merkle_leaf(f->st, 4, leaf), HG_ECORRUPT);
	assert_non_null(strstr(hg_error_text(), "event 5 has a hash that is not 32 bytes"));
	g.cap = size;
	g.hash = calloc((size_t)size, 32);
	assert_non_null(g.hash);
	assert_int_equal(store_events_read(f->st, 1, 1000, take, &g, &n), HG_ECORRUPT);
	assert_int_equal(n, 4);
	free(g.hash);
}

/* Two plant events (a hauler, its card with a PIN hash) applied as the
 * station's own; the edge and head kept; then refused onto a station with
 * rows of its own. */
static void test_roster_apply(void **state)
{
	struct store_fx *f = *state;
	uint8_t key[KEY_PIN] = { 7 }, head[32] = { 1, 2, 3 }, h2[32], leaf[32];
	char hash[PIN_HASH_MAX], *d1 = NULL, *d2 = NULL;
	struct roster_ev e1 = { .kind = RE_HAULER_ADDED, .id = 1, .hauler = &acme };
	struct roster_ev e2 = { .kind = RE_CARD_ADDED, .id = 1, .hauler_id = 1,
				.uid = "04a1b2c3", .text = "Bo", .pin_in_detail = 1 };
	struct store_plant_event ev[2];
	struct merkle_range edge, got;
	long long version;

	assert_int_equal(pin_hash_limits(key, "4821", 1, 8192, hash), HG_OK);
	e2.pin_hash = hash;
	assert_int_equal(roster_ev_text(&e1, &d1), HG_OK);
	assert_int_equal(roster_ev_text(&e2, &d2), HG_OK);
	assert_non_null(strstr(d2, "pin_hash"));
	ev[0] = (struct store_plant_event){ 1, "hauler_added", d1 };
	ev[1] = (struct store_plant_event){ 2, "card_added", d2 };
	assert_int_equal(store_roster_edge_get(f->st, &version, h2, &got), HG_OK);
	assert_int_equal(version, 0);
	merkle_range_init(&edge);
	for (int i = 0; i < 2; i++) {
		merkle_leaf_hash(head, leaf);
		assert_int_equal(merkle_range_append(&edge, leaf, NULL, NULL), HG_OK);
	}
	assert_int_equal(store_roster_apply(f->st, ev, 2, 1741608000, head, &edge), HG_OK);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE actor IN "
				 "('plant:1', 'plant:2')"), 2);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE detail LIKE "
				 "'%pin_hash%'"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM cards WHERE uid = '04a1b2c3' "
				 "AND pin_hash LIKE '$hgk1%'"), 1);
	assert_int_equal(store_roster_edge_get(f->st, &version, h2, &got), HG_OK);
	assert_int_equal(version, 2);
	assert_memory_equal(h2, head, 32);
	assert_int_equal(got.size, 2);
	assert_memory_equal(got.hash, edge.hash, sizeof edge.hash);
	/* the next must follow on: version 2 + 1 is not an edge of size 2 */
	assert_int_equal(store_roster_apply(f->st, ev, 1, 1741608000, head, &edge), HG_EINVAL);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM haulers"), 1);
	/* a station with rows of its own: nothing applied */
	raw_exec(f->path, "UPDATE sync_state SET roster_version = 0, roster_head = NULL, "
		 "roster_edge = NULL");
	merkle_range_init(&edge);
	merkle_leaf_hash(head, leaf);
	assert_int_equal(merkle_range_append(&edge, leaf, NULL, NULL), HG_OK);
	assert_int_equal(store_roster_apply(f->st, ev, 1, 1741608000, head, &edge), HG_EREFUSED);
	assert_non_null(strstr(hg_error_text(), "roster rows of its own"));
	assert_int_equal(raw_int(f->path, "SELECT roster_version FROM sync_state"), 0);
	cJSON_free(d1);
	cJSON_free(d2);
}

/* A plant event's detail for a policy edit, in d (cJSON_free). */
static struct store_plant_event policy_ev(long long seq, enum roster_ev_kind kind,
					  const char *scope, const char *section, const char *key,
					  const char *value, char **d)
{
	struct roster_ev e = { .kind = kind, .scope = scope, .section = section, .key = key,
			       .value = value };

	assert_int_equal(roster_ev_text(&e, d), HG_OK);
	return (struct store_plant_event){ seq, roster_ev_type(kind), *d };
}

static void edge_of(struct merkle_range *edge, int n)
{
	uint8_t head[32] = { 1, 2, 3 }, leaf[32];

	merkle_range_init(edge);
	for (int i = 0; i < n; i++) {
		merkle_leaf_hash(head, leaf);
		assert_int_equal(merkle_range_append(edge, leaf, NULL, NULL), HG_OK);
	}
}

/* policy_set for all, for st-a and for st-b, then an unset: the policy
 * table is their projection, written with the events; store_policy_read()
 * gives one station the values for all and its own.  A batch with a bad
 * event leaves no row. */
static void test_policy_apply(void **state)
{
	struct store_fx *f = *state;
	static struct store_policy rows[STORE_POLICY_MAX];
	uint8_t head[32] = { 1, 2, 3 };
	struct store_plant_event ev[5];
	struct merkle_range edge;
	char *d[5] = { NULL };
	int n;

	ev[0] = policy_ev(1, RE_POLICY_SET, "*", "policy", "waste_types", "septage", &d[0]);
	ev[1] = policy_ev(2, RE_POLICY_SET, "st-a", "hours", "mon", "closed", &d[1]);
	ev[2] = policy_ev(3, RE_POLICY_SET, "st-b", "hours", "tue", "closed", &d[2]);
	ev[3] = policy_ev(4, RE_POLICY_SET, "*", "sampling", "first_load", "no", &d[3]);
	ev[4] = policy_ev(5, RE_POLICY_UNSET, "*", "sampling", "first_load", NULL, &d[4]);
	assert_null(strstr(d[4], "value"));

	/* a bad event last: the whole batch refused, no row, no event */
	ev[4].type = "meta_set";
	edge_of(&edge, 5);
	assert_int_equal(store_roster_apply(f->st, ev, 5, 1741608000, head, &edge), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "not a roster edit"));
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM policy"), 0);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE actor LIKE "
				 "'plant:%'"), 0);

	ev[4].type = "policy_unset";
	assert_int_equal(store_roster_apply(f->st, ev, 5, 1741608000, head, &edge), HG_OK);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM events WHERE type LIKE "
				 "'policy_%' AND actor LIKE 'plant:%'"), 5);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM policy"), 4);
	assert_int_equal(raw_int(f->path, "SELECT active FROM policy WHERE scope = '*' AND "
				 "section = 'sampling' AND key = 'first_load'"), 0);

	assert_int_equal(store_policy_read(f->st, "st-a", rows, STORE_POLICY_MAX, &n), HG_OK);
	assert_int_equal(n, 2);	/* all's waste types, its own Monday; not st-b's, not unset */
	assert_string_equal(rows[0].scope, "*");
	assert_string_equal(rows[0].key, "waste_types");
	assert_string_equal(rows[0].value, "septage");
	assert_string_equal(rows[1].scope, "st-a");
	assert_string_equal(rows[1].section, "hours");
	assert_string_equal(rows[1].value, "closed");
	assert_int_equal(store_policy_read(f->st, NULL, rows, STORE_POLICY_MAX, &n), HG_OK);
	assert_int_equal(n, 3);
	/* more than the caller has room for: said */
	assert_int_equal(store_policy_read(f->st, NULL, rows, 2, &n), HG_ETOOLONG);
	for (int i = 0; i < 5; i++)
		cJSON_free(d[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batches, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_leaf_reader, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_state_round_trip, store_fx_setup,
						store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_checkpoints, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_hash, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_roster_apply, store_fx_setup, store_fx_teardown),
		cmocka_unit_test_setup_teardown(test_policy_apply, store_fx_setup, store_fx_teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
