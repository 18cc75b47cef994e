/* test_potw_store.c: the plant server's storage (potw/store.h, sqlite).
 *
 * Opening: a new database made once (a second init is HG_EEXIST), a missing
 * one HG_ENOTFOUND, a station's database (not ours) HG_ECORRUPT, a
 * PostgreSQL URI refused until that backend exists.  Stations: add, a taken
 * id or key, retire twice, get, each.  Events: one table of batches played
 * in order against one station, each row with what it must return and do
 * (added, duplicates, forks held); then two connections to one file
 * appending the same batch (one adds, one counts duplicates: idempotence
 * from the database's keys), and a real station's log (db/store.c) taken
 * whole, so the plant's hash rule is the station's.  Then several threads
 * storing batches of stations of their own through one store at once, as
 * the server's do (a batch sent twice among them), each batch's checkpoint
 * hook given the root the store made from the tree's right edge, each
 * waiting for its batch on disk (potw_store_durable_station(): group
 * commit; the log checkpointed by the store's thread meanwhile): at the end every
 * event there exactly once, in order, with its hash, its rows what the log
 * makes, every checkpoint, the same seen through a new connection.  Start
 * reading at main(). */
#include "testutil.h"

#include <pthread.h>
#include <sqlite3.h>

#include "../../potw/store.h"
#include "../../core/merkle.h"
#include "../../db/store.h"

#define NOW 1796450000LL
#define CHAIN 12

static char dir[256], path[320];

/* The true chain of station "st-01": events 1..CHAIN. */
static struct potw_event chain[CHAIN + 1];
static char details[CHAIN + 1][64];

static void make_event(struct potw_event *e, long long seq, const uint8_t prev[32],
		       const char *detail)
{
	memset(e, 0, sizeof *e);
	e->seq = seq;
	e->ts = NOW + seq;
	e->type = "card_tap";
	e->load_no = seq % 3;
	e->actor = "kiosk";
	e->detail = detail;
	memcpy(e->prev_hash, prev, 32);
	assert_int_equal(potw_event_hash(e, e->hash), HG_OK);
}

static void make_chain(void)
{
	static const uint8_t zero[32];
	long long i;

	for (i = 1; i <= CHAIN; i++) {
		snprintf(details[i], sizeof details[i], "{\"n\":%lld}", i);
		make_event(&chain[i], i, i == 1 ? zero : chain[i - 1].hash, details[i]);
	}
}

static int setup(void **state)
{
	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potw"), 0);
	snprintf(path, sizeof path, "%s/potw.db", dir);
	make_chain();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	return 0;
}

static struct potw_store *open_new(void)
{
	struct potw_store *st = NULL;

	unlink(path);
	assert_int_equal(potw_store_open(path, POTW_STORE_CREATE, &st), HG_OK);
	return st;
}

static void add_station(struct potw_store *st, const char *id, uint8_t keybyte)
{
	struct potw_station s;

	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "%s", id);
	snprintf(s.name, sizeof s.name, "Station %s", id);
	memset(s.pk, keybyte, 32);
	s.added = NOW;
	assert_int_equal(potw_store_station_add(st, &s), HG_OK);
}

static void test_open(void **state)
{
	struct potw_store *st = NULL, *st2 = NULL;
	char other[340];

	(void)state;
	snprintf(other, sizeof other, "%s/missing.db", dir);
	assert_int_equal(potw_store_open(other, 0, &st), HG_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(hg_error_text(), "haulgate-potw init"));

	st = open_new();
	assert_string_equal(potw_store_backend(st), "sqlite");
	/* made once: a second init is refused and the first is untouched */
	assert_int_equal(potw_store_open(path, POTW_STORE_CREATE, &st2), HG_EEXIST);
	assert_non_null(strstr(hg_error_text(), "exists already"));
	add_station(st, "st-01", 1);
	potw_store_close(st);
	assert_int_equal(potw_store_open(path, 0, &st), HG_OK);
	potw_store_close(st);

	/* a station's database is not ours */
	snprintf(other, sizeof other, "%s/station.db", dir);
	{
		struct store *sst = NULL;

		assert_int_equal(store_open(&sst, other, 1), HG_OK);
		store_close(sst);
	}
	assert_int_equal(potw_store_open(other, 0, &st), HG_ECORRUPT);
	assert_non_null(strstr(hg_error_text(), "not a haulgate-potw database"));

	assert_int_equal(potw_store_open("postgresql://localhost/potw", 0, &st), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "PostgreSQL"));
}

static char seen[64];

/* station_each's callback: the ids in the order given. */
static int collect(const struct potw_station *s, void *ctx)
{
	int *n = ctx;

	(*n)++;
	strncat(seen, s->id, sizeof seen - strlen(seen) - 2);
	strncat(seen, " ", sizeof seen - strlen(seen) - 1);
	return 0;
}

static void test_stations(void **state)
{
	struct potw_store *st = open_new();
	struct potw_station s;
	int n = 0;

	(void)state;
	add_station(st, "st-02", 2);
	add_station(st, "st-01", 1);
	memset(&s, 0, sizeof s);
	snprintf(s.id, sizeof s.id, "st-01");
	snprintf(s.name, sizeof s.name, "again");
	memset(s.pk, 9, 32);
	assert_int_equal(potw_store_station_add(st, &s), HG_EEXIST);	/* the id */
	assert_non_null(strstr(hg_error_text(), "station 'st-01' exists already"));
	snprintf(s.id, sizeof s.id, "st-03");
	memset(s.pk, 2, 32);
	assert_int_equal(potw_store_station_add(st, &s), HG_EEXIST);	/* st-02's key */
	assert_non_null(strstr(hg_error_text(), "station 'st-02'"));
	snprintf(s.id, sizeof s.id, "st 03");
	assert_int_equal(potw_store_station_add(st, &s), HG_EINVAL);

	assert_int_equal(potw_store_station_retire(st, "st-02", NOW + 5), HG_OK);
	assert_int_equal(potw_store_station_retire(st, "st-02", NOW + 6), HG_EREFUSED);
	assert_int_equal(potw_store_station_retire(st, "st-09", NOW + 6), HG_ENOTFOUND);
	assert_int_equal(potw_store_station_get(st, "st-02", &s), HG_OK);
	assert_int_equal(s.retired, NOW + 5);
	assert_string_equal(s.name, "Station st-02");
	assert_int_equal(s.pk[31], 2);
	assert_int_equal(potw_store_station_get(st, "st-09", &s), HG_ENOTFOUND);
	assert_int_equal(potw_store_station_each(st, collect, &n), HG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(seen, "st-01 st-02 ");
	potw_store_close(st);
}

/* ---- the batch table ---- */

enum ev_kind {
	TRUE_EV,	/* chain[seq] */
	EDITED,		/* chain[seq] with another detail, and the events after it
			 * in the batch relinked to it: another history (a fork) */
	BAD_HASH,	/* chain[seq] with a hash that is not its content's */
	UNLINKED	/* chain[seq] whose prev_hash names another history */
};

struct batch_case {
	const char *what;
	const char *station;
	long long from, to;	/* event numbers */
	enum ev_kind kind;
	long long kind_at;	/* the number the kind applies to; others are true */
	int rc;
	long long added, dup, bad_seq;
	long long held, forks;	/* the station's after the call */
};

static const struct batch_case batches[] = {
	/* the first five, then the same batch again: accepted once */
	{ "1..5 new", "st-01", 1, 5, TRUE_EV, 0, HG_OK, 5, 0, 0, 5, 0 },
	{ "1..5 sent twice", "st-01", 1, 5, TRUE_EV, 0, HG_OK, 0, 5, 0, 5, 0 },
	/* overlapping the end: the held counted, the rest added */
	{ "3..8 overlaps", "st-01", 3, 8, TRUE_EV, 0, HG_OK, 3, 3, 0, 8, 0 },
	{ "10..11 leaves a gap", "st-01", 10, 11, TRUE_EV, 0, HG_EREFUSED, 0, 0, 9, 8, 0 },
	{ "a hash that is not the content's", "st-01", 9, 10, BAD_HASH, 10, HG_EREFUSED,
	  0, 0, 10, 8, 0 },
	{ "a link broken inside the batch", "st-01", 9, 10, UNLINKED, 10, HG_EREFUSED,
	  0, 0, 10, 8, 0 },
	/* event 4 edited, 5..9 relinked: a fork; 4..8 (those held) kept as
	 * evidence, 9 not added */
	{ "event 4 edited", "st-01", 3, 9, EDITED, 4, HG_EEXIST, 0, 1, 4, 8, 5 },
	{ "the same fork again: kept once", "st-01", 4, 4, EDITED, 4, HG_EEXIST, 0, 0, 4, 8, 5 },
	/* event 9 of another history: does not link to the 8 held */
	{ "event 9 of another history", "st-01", 9, 9, UNLINKED, 9, HG_EEXIST, 0, 0, 9, 8, 6 },
	{ "9..12 true", "st-01", 9, 12, TRUE_EV, 0, HG_OK, 4, 0, 0, 12, 6 },
	{ "no such station", "st-09", 1, 1, TRUE_EV, 0, HG_ENOTFOUND, 0, 0, 0, -1, -1 },
	{ "a retired station", "st-02", 1, 1, TRUE_EV, 0, HG_EREFUSED, 0, 0, 0, 0, 0 },
};

static void build(const struct batch_case *c, struct potw_event *ev, char edited[64])
{
	static const uint8_t other[32] = { 0xee };
	long long s;
	size_t i;

	for (s = c->from, i = 0; s <= c->to; s++, i++) {
		ev[i] = chain[s];
		if (c->kind == EDITED && s > c->kind_at) {
			memcpy(ev[i].prev_hash, ev[i - 1].hash, 32);
			assert_int_equal(potw_event_hash(&ev[i], ev[i].hash), HG_OK);
		}
		if (s != c->kind_at)
			continue;
		switch (c->kind) {
		case EDITED:
			snprintf(edited, 64, "{\"n\":%lld,\"edited\":true}", s);
			ev[i].detail = edited;
			assert_int_equal(potw_event_hash(&ev[i], ev[i].hash), HG_OK);
			break;
		case BAD_HASH:
			ev[i].hash[0] ^= 1;
			break;
		case UNLINKED:
			memcpy(ev[i].prev_hash, other, 32);
			assert_int_equal(potw_event_hash(&ev[i], ev[i].hash), HG_OK);
			break;
		case TRUE_EV:
			break;
		}
	}
}

static void test_batches(void **state)
{
	struct potw_store *st = open_new();
	struct potw_event ev[CHAIN];
	struct potw_append_result r;
	struct potw_station s;
	char edited[64];
	size_t k;
	int rc;

	(void)state;
	add_station(st, "st-01", 1);
	add_station(st, "st-02", 2);
	assert_int_equal(potw_store_station_retire(st, "st-02", NOW), HG_OK);
	for (k = 0; k < HG_ARRAY_LEN(batches); k++) {
		const struct batch_case *c = &batches[k];

		build(c, ev, edited);
		rc = potw_store_events_append_batch(st, c->station, ev, (size_t)(c->to - c->from + 1),
						    NOW + 100, &r);
		if (rc != c->rc || r.added != c->added || r.dup != c->dup || r.bad_seq != c->bad_seq)
			fail_msg("%s: rc %d added %lld dup %lld bad %lld (%s), expected rc %d "
				 "added %lld dup %lld bad %lld", c->what, rc, r.added, r.dup,
				 r.bad_seq, hg_error_text(), c->rc, c->added, c->dup, c->bad_seq);
		if (c->held < 0)
			continue;
		assert_int_equal(potw_store_station_get(st, c->station, &s), HG_OK);
		if (s.events != c->held || s.forks != c->forks)
			fail_msg("%s: %lld held, %lld forks; expected %lld, %lld", c->what,
				 s.events, s.forks, c->held, c->forks);
	}
	/* an empty batch and one too large are usage errors */
	assert_int_equal(potw_store_events_append_batch(st, "st-01", ev, 0, NOW, &r), HG_EINVAL);
	assert_int_equal(potw_store_events_append_batch(st, "st-01", ev, POTW_BATCH_MAX + 1, NOW,
							&r), HG_EINVAL);
	potw_store_close(st);
}

/* Two connections to one file send the same batch: the database's keys and
 * transactions decide, no lock of ours. */
static void test_two_connections(void **state)
{
	struct potw_store *a = open_new(), *b = NULL;
	struct potw_append_result ra, rb;
	struct potw_station s;

	(void)state;
	add_station(a, "st-01", 1);
	assert_int_equal(potw_store_open(path, 0, &b), HG_OK);
	assert_int_equal(potw_store_events_append_batch(a, "st-01", &chain[1], 6, NOW, &ra), HG_OK);
	assert_int_equal(potw_store_events_append_batch(b, "st-01", &chain[1], 6, NOW, &rb), HG_OK);
	assert_int_equal(ra.added + rb.added, 6);
	assert_int_equal(ra.dup + rb.dup, 6);
	assert_int_equal(potw_store_station_get(b, "st-01", &s), HG_OK);
	assert_int_equal(s.events, 6);
	potw_store_close(a);
	potw_store_close(b);
}

/* A station's own log (db/store.c wrote it) is taken whole: one hash rule. */
static void test_station_log(void **state)
{
	static const struct event_in in[] = {
		{ NOW, "card_tap", 0, "kiosk", "{\"uid\":\"04a1b2c3\"}" },
		{ NOW + 1, "print", 0, "card:04a1b2c3", NULL },	/* a type that makes no row */
		{ NOW + 2, "relay", 7, "kiosk", "{\"name\":\"valve\",\"on\":true}" },
	};
	struct potw_event ev[8];
	static char text[8][3][256];
	struct potw_append_result r;
	struct potw_store *st = open_new();
	struct store *sst = NULL;
	char spath[340];
	sqlite3 *db;
	sqlite3_stmt *q;
	size_t n = 0;

	(void)state;
	snprintf(spath, sizeof spath, "%s/station-log.db", dir);
	assert_int_equal(store_open(&sst, spath, 1), HG_OK);
	assert_int_equal(store_event_batch(sst, in, HG_ARRAY_LEN(in)), HG_OK);
	store_close(sst);

	assert_int_equal(sqlite3_open_v2(spath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT seq, ts, type, load_no, actor, detail, "
					    "prev_hash, hash FROM events ORDER BY seq", -1, &q, NULL),
			 SQLITE_OK);
	while (sqlite3_step(q) == SQLITE_ROW && n < HG_ARRAY_LEN(ev)) {
		ev[n].seq = sqlite3_column_int64(q, 0);
		ev[n].ts = sqlite3_column_int64(q, 1);
		snprintf(text[n][0], 256, "%s", (const char *)sqlite3_column_text(q, 2));
		ev[n].load_no = sqlite3_column_int64(q, 3);
		snprintf(text[n][1], 256, "%s", (const char *)sqlite3_column_text(q, 4));
		snprintf(text[n][2], 256, "%s", (const char *)sqlite3_column_text(q, 5));
		ev[n].type = text[n][0];
		ev[n].actor = text[n][1];
		ev[n].detail = text[n][2];
		memcpy(ev[n].prev_hash, sqlite3_column_blob(q, 6), 32);
		memcpy(ev[n].hash, sqlite3_column_blob(q, 7), 32);
		n++;
	}
	sqlite3_finalize(q);
	sqlite3_close(db);
	assert_true(n >= HG_ARRAY_LEN(in));

	add_station(st, "st-01", 1);
	if (potw_store_events_append_batch(st, "st-01", ev, n, NOW, &r) != HG_OK)
		fail_msg("the station's own log was refused: %s", hg_error_text());
	assert_int_equal(r.added, (long long)n);
	potw_store_close(st);
}

/* ---- several threads at once ---- */

#define THREADS 6
#define T_BATCHES 40		/* batches a station */
#define T_PER 50		/* events a batch */
#define T_EVENTS (T_BATCHES * T_PER)

/* One thread's station: its chain, made as it goes, and what went wrong. */
struct th {
	struct potw_store *st;
	char id[16];
	struct potw_event ev[T_EVENTS];
	char detail[T_EVENTS][400];
	char fault[300];	/* "" while all is well: cmocka's asserts are one thread's */
};

/* The hook: the root the store made from its tree's edge is the root of
 * the events it holds, read back through the tree reader. */
static int th_check(void *ctx, struct potw_store *st, const struct potw_batch_tree *t,
		    struct potw_checkpoint *cp)
{
	struct th *h = ctx;
	struct potw_tree_ctx tc;
	struct merkle_reader rd;
	uint8_t root[32];

	potw_store_tree_reader(st, h->id, &tc, &rd);
	if (merkle_root(&rd, (uint64_t)t->held, root) != HG_OK || memcmp(root, t->root, 32) != 0)
		return hg_fail(HG_EREFUSED, "the store's root of %lld events is not the log's", t->held);
	if (merkle_root(&rd, (uint64_t)t->held_before, root) != HG_OK ||
	    memcmp(root, t->root_before, 32) != 0)
		return hg_fail(HG_EREFUSED, "the store's root before the batch is not the log's");
	memset(cp, 0, sizeof *cp);
	cp->size = t->held;
	memcpy(cp->root, t->root, 32);
	snprintf(cp->note, sizeof cp->note, "%s %lld\n", h->id, t->held);
	snprintf(cp->cosigned, sizeof cp->cosigned, "%s %lld cosigned\n", h->id, t->held);
	return HG_OK;
}

static void *th_main(void *arg)
{
	struct th *h = arg;
	struct potw_batch_hook hook = { th_check, h };
	struct potw_append_result r;
	int b, again;

	for (b = 0; b < T_BATCHES; b++) {
		/* every seventh batch sends the one before again first: taken once */
		for (again = b % 7 == 6 ? 1 : 0; again >= 0; again--) {
			const struct potw_event *ev = &h->ev[(b - again) * T_PER];

			if (potw_store_sync_batch(h->st, h->id, ev, T_PER, NOW, &hook, &r) != HG_OK) {
				snprintf(h->fault, sizeof h->fault, "batch %d: %s", b, hg_error_text());
				return NULL;
			}
			if (r.added != (again ? 0 : T_PER) || r.dup != (again ? T_PER : 0) ||
			    r.held != (long long)(b + 1 - again) * T_PER) {
				snprintf(h->fault, sizeof h->fault, "batch %d%s: %lld added, %lld held "
					 "already, %lld held", b, again ? " again" : "", r.added, r.dup,
					 r.held);
				return NULL;
			}
			if (potw_store_durable_station(h->st, h->id) != HG_OK) {
				snprintf(h->fault, sizeof h->fault, "batch %d not on disk: %s", b,
					 hg_error_text());
				return NULL;
			}
		}
	}
	return NULL;
}

/* events_each: each event is the one made, in order. */
static int th_event(const struct potw_event *e, void *ctx)
{
	struct th *h = ctx;
	long long i = e->seq - 1;

	if (i < 0 || i >= T_EVENTS || memcmp(e->hash, h->ev[i].hash, 32) != 0 ||
	    strcmp(e->detail, h->ev[i].detail) != 0)
		return -1;
	h->ev[i].load_no = -1;	/* seen: a second one would not match above */
	return 0;
}

static int th_checkpoint(const struct potw_checkpoint *cp, void *ctx)
{
	long long *n = ctx;

	(*n)++;
	return cp->size == *n * T_PER ? 0 : -1;
}

/* Everything of every thread's station, through st. */
static void th_verify(struct potw_store *st, struct th *th)
{
	struct potw_rows_check rows;
	struct potw_station s;
	struct merkle_range mr;
	struct potw_tree_ctx tc;
	struct merkle_reader rd;
	uint8_t leaf[32], want[32], got[32];
	long long i, n;
	int t;

	for (t = 0; t < THREADS; t++) {
		struct th *h = &th[t];

		assert_int_equal(potw_store_station_get(st, h->id, &s), HG_OK);
		assert_int_equal(s.events, T_EVENTS);
		assert_int_equal(s.forks, 0);
		for (i = 0; i < T_EVENTS; i++)
			h->ev[i].load_no = (i + 1) % 3;
		assert_int_equal(potw_store_events_each(st, h->id, th_event, h), HG_OK);
		for (i = 0; i < T_EVENTS; i++)	/* each one seen, and once */
			assert_int_equal(h->ev[i].load_no, -1);
		for (i = 0; i < T_EVENTS; i++)
			h->ev[i].load_no = (i + 1) % 3;
		n = 0;
		assert_int_equal(potw_store_checkpoints_each(st, h->id, th_checkpoint, &n), HG_OK);
		assert_int_equal(n, T_BATCHES);
		if (potw_store_rows_check(st, h->id, &rows) != HG_OK)
			fail_msg("%s: %s", h->id, hg_error_text());
		merkle_range_init(&mr);
		for (i = 0; i < T_EVENTS; i++) {
			merkle_leaf_hash(h->ev[i].hash, leaf);
			assert_int_equal(merkle_range_append(&mr, leaf, NULL, NULL), 0);
		}
		merkle_range_root(&mr, want);
		potw_store_tree_reader(st, h->id, &tc, &rd);
		assert_int_equal(merkle_root(&rd, T_EVENTS, got), HG_OK);
		assert_memory_equal(got, want, 32);
	}
}

static void test_threads(void **state)
{
	static struct th th[THREADS];
	static const uint8_t zero[32];
	struct potw_store *st = open_new(), *again = NULL;
	pthread_t tid[THREADS];
	struct stat sb;
	int t, i;

	(void)state;
	for (t = 0; t < THREADS; t++) {
		struct th *h = &th[t];

		memset(h, 0, sizeof *h);
		h->st = st;
		snprintf(h->id, sizeof h->id, "th-%02d", t);
		add_station(st, h->id, (uint8_t)(10 + t));
		for (i = 0; i < T_EVENTS; i++) {
			snprintf(h->detail[i], sizeof h->detail[i], "{\"n\":%d,\"station\":\"th-%02d\","
				 "\"pad\":\"%0300d\"}", i + 1, t, i);
			make_event(&h->ev[i], i + 1, i ? h->ev[i - 1].hash : zero, h->detail[i]);
		}
	}
	for (t = 0; t < THREADS; t++)
		assert_int_equal(pthread_create(&tid[t], NULL, th_main, &th[t]), 0);
	for (t = 0; t < THREADS; t++)
		assert_int_equal(pthread_join(tid[t], NULL), 0);
	for (t = 0; t < THREADS; t++)
		if (th[t].fault[0])
			fail_msg("%s: %s", th[t].id, th[t].fault);
	th_verify(st, th);
	/* the log went past the checkpoint thread's mark on the way: the
	 * database file itself grows (sqlite's autocheckpoint is off), soon */
	for (i = 0; i < 200; i++) {
		assert_int_equal(stat(path, &sb), 0);
		if (sb.st_size > 2 * 1024 * 1024)
			break;
		usleep(50000);
	}
	if (sb.st_size <= 2 * 1024 * 1024)
		fail_msg("no checkpoint: the database is %lld bytes", (long long)sb.st_size);

	/* a second connection, while the first is open, sees the same */
	assert_int_equal(potw_store_open(path, 0, &again), HG_OK);
	th_verify(again, th);
	potw_store_close(again);
	potw_store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_stations),
		cmocka_unit_test(test_batches),
		cmocka_unit_test(test_two_connections),
		cmocka_unit_test(test_station_log),
		cmocka_unit_test(test_threads),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
