/* store.h: the plant server's storage, one interface for every backend.
 *
 * Every SQL statement of haulgate-potw is behind this interface.  A backend
 * is one `const struct potw_store_ops` (store_int.h); potw_store_open()
 * picks it by the form of the [server] db value (a path: sqlite,
 * store_sqlite.c; a "postgresql://" URI: refused until that backend exists).
 * The callers see only the opaque struct potw_store and the potw_store_*
 * functions below, so a PostgreSQL backend plugs in without touching them.
 * Idempotence and concurrency come from the database: unique keys and one
 * transaction per call, never a lock in the program, so two server processes
 * can share one database.  A commit is not yet on disk when a writer
 * returns (the sqlite backend syncs in groups): whoever tells anyone that
 * something is kept calls potw_store_durable() or
 * potw_store_durable_station() first.  Errors: 0 or a negative HG_E* code,
 * the words in hg_error_text(). */
#ifndef POTW_STORE_H
#define POTW_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/hg.h"
#include "../db/listing.h"

#define POTW_STATION_ID_MAX 31	/* as the station's [station] id: letters, digits, '-' */
#define POTW_STATION_NAME_MAX LIM_NAME	/* characters */
#define POTW_BATCH_MAX 1000	/* events in one events_append_batch */
#define POTW_TYPE_MAX 32	/* bytes of an event type (the station's STORE_TYPE_MAX) */
#define POTW_ACTOR_MAX 100	/* bytes of an actor */
#define POTW_DETAIL_MAX 131072	/* bytes of an event's detail */

struct potw_store;

/* potw_store_open's flags */
enum {
	POTW_STORE_CREATE = 1,	/* make a new database; an existing one is HG_EEXIST */
	/* a second handle beside the server's (the background verifier's): the
	 * schema must be current already (no migration), no group commit nor
	 * checkpoint thread; for reads and potw_store_rows_check() alone */
	POTW_STORE_READER = 2
};

/* A station registered at the plant. */
struct potw_station {
	char id[POTW_STATION_ID_MAX + 1];
	char name[HG_BUF(POTW_STATION_NAME_MAX)];
	uint8_t pk[32];			/* Ed25519 public key */
	hg_time added;
	hg_time retired;		/* 0: active */
	hg_time last_contact;		/* 0: never */
	long long events;		/* events held (the chain's length) */
	long long forks;		/* fork evidence rows */
};

/* One event of a station's log, as the station's db/ holds it: its hash is
 * chain_hash(prev_hash, event) (core/chain.h), prev_hash of event 1 all
 * zero. */
struct potw_event {
	long long seq;
	hg_time ts;
	const char *type;
	long long load_no;
	const char *actor;
	const char *detail;		/* "" or NULL for none */
	uint8_t prev_hash[32];
	uint8_t hash[32];
};

/* Why a batch was refused (struct potw_append_result's fault): the wire's
 * error codes (docs/SYNC.md). */
enum potw_fault {
	POTW_FAULT_NONE = 0,
	POTW_FAULT_GAP,		/* numbers do not follow on, or leave a gap after those held */
	POTW_FAULT_CHAIN,	/* a hash not its content's, a broken link inside the batch */
	POTW_FAULT_FORK,	/* another event held at a number: both kept as evidence */
	POTW_FAULT_RETIRED,	/* the station is retired */
	POTW_FAULT_PROJECT,	/* an event core/record.c cannot project (an edited detail) */
	POTW_FAULT_CHECKPOINT	/* the batch hook refused (the checkpoint) */
};

/* What events_append_batch did. */
struct potw_append_result {
	long long added;	/* new events stored */
	long long dup;		/* events already held, the same */
	long long held;		/* the log's size after the call */
	long long bad_seq;	/* on a refusal or fork: the first event at fault */
	enum potw_fault fault;
	char why[200];		/* on a refusal or fork: what is wrong */
};

/* The tree's nodes the store keeps besides the leaves: complete subtrees at
 * every POTW_NODE_EVERY-th level (docs/CHECKPOINTS.md: 1/15 of the leaves'
 * rows, a proof of a few thousand lookups at most). */
#define POTW_NODE_EVERY 4
#define POTW_NOTE_MAX 16384	/* NOTE_MAX (core/note.h) */

/* A station's checkpoint as stored: the station's signed note and the same
 * note with the plant's cosignature line added. */
struct potw_checkpoint {
	long long size;
	uint8_t root[32];
	hg_time received;
	char note[POTW_NOTE_MAX + 1];
	char cosigned[POTW_NOTE_MAX + 1];
};

/* Where the plant is with a station's log. */
struct potw_log_state {
	long long size;		/* events held */
	uint8_t head[32];	/* hash of event size (zero when size is 0) */
	long long fork_seq;	/* the lowest number with fork evidence, 0: none */
	hg_time fork_at;	/* when that evidence came */
};

/* The log's tree as potw_store_sync_batch() leaves it: its size and root
 * before the batch and with it, made from the tree's right edge at
 * held_before (a few kept nodes) and the batch's new leaves, not by reading
 * the log again. */
struct potw_batch_tree {
	long long held_before, held;
	uint8_t root_before[32], root[32];
};

/* Called by potw_store_sync_batch() inside the batch's transaction, after
 * the new events, their rows and the tree's nodes are written and before
 * the commit, with t the log's tree then.  It reads what else it needs
 * through the potw_store_* readers on the same st (they see the
 * transaction), checks, and fills *cp, which is stored in the same
 * transaction (a checkpoint of a size stored before is kept as it was).
 * The store's lock is held: work that needs no store (a signature) belongs
 * before the call.  Returns HG_OK, or an error that rolls the whole batch
 * back and is returned (fault POTW_FAULT_CHECKPOINT when HG_EREFUSED). */
struct potw_batch_hook {
	int (*check)(void *ctx, struct potw_store *st, const struct potw_batch_tree *t,
		     struct potw_checkpoint *cp);
	void *ctx;
};

/* Open the database named by where ([server] db), making it (schema
 * included) with POTW_STORE_CREATE: HG_EEXIST when it is there already.
 * Without it the database must exist and be a haulgate-potw database of this
 * schema (HG_ENOTFOUND, HG_ECORRUPT).  *out is the caller's to close. */
int potw_store_open(const char *where, int flags, struct potw_store **out);
/* Close st (NULL is fine). */
void potw_store_close(struct potw_store *st);
/* The backend's name ("sqlite"). */
const char *potw_store_backend(const struct potw_store *st);

/* Return once everything committed on st before the call is on disk
 * (sqlite: an fdatasync of its log, shared with the callers waiting at the
 * same time).  Call it without holding anything of st, after a write and
 * before saying it was kept.  HG_OK, or HG_EIO (then for good: the server
 * must be restarted). */
int potw_store_durable(struct potw_store *st);
/* potw_store_durable() for station id's (or POTW_PLANT_LOG's) latest batch
 * or append on st: returns at once when a sync that began after it has
 * ended (group commit: twenty batches committed during one fdatasync share
 * the next). */
int potw_store_durable_station(struct potw_store *st, const char *id);

/* Register a station: HG_EEXIST when the id or the public key is taken
 * (a retired station's too: ids and keys are never reused).  On disk when
 * it returns HG_OK. */
int potw_store_station_add(struct potw_store *st, const struct potw_station *s);
/* Retire a station at time when: its key is refused from then on, what it
 * sent is kept (on disk when it returns HG_OK).  HG_ENOTFOUND, HG_EREFUSED
 * (retired already). */
int potw_store_station_retire(struct potw_store *st, const char *id, hg_time when);
/* The station id into *out (events and forks counted).  HG_ENOTFOUND. */
int potw_store_station_get(struct potw_store *st, const char *id, struct potw_station *out);
/* Call fn for every station in id order, until fn returns non-zero (which
 * is then returned). */
int potw_store_station_each(struct potw_store *st,
			    int (*fn)(const struct potw_station *s, void *ctx), void *ctx);
/* Every station, in id order, into *out (malloc'd, the caller frees it;
 * NULL when *n is 0): at most max of them, more is HG_ETOOLONG. */
int potw_store_station_list(struct potw_store *st, size_t max, struct potw_station **out,
			    size_t *n);

/* Append ev[0..n) (1 <= n <= POTW_BATCH_MAX) to station id's log, whole or
 * not at all, in one transaction.  Checked here first, the same for every
 * backend: sequence numbers follow on, each hash recomputed, each prev_hash
 * the hash before it.  Then against what is held: events already held and
 * the same are counted in r->dup (a batch sent twice is accepted once); the
 * first new one must be the next number, linked to the last held.
 * Returns HG_OK; HG_ENOTFOUND (no such station); HG_EREFUSED (retired
 * station, a bad event, a gap: nothing kept, r says which); HG_EEXIST (a
 * fork: an event held at a number differs from the one sent, or the first
 * new one does not link to the last held; the versions sent are kept as
 * evidence beside the ones held, nothing else is written).  Committed, not
 * yet synced: potw_store_durable_station() before telling the station. */
int potw_store_events_append_batch(struct potw_store *st, const char *id,
				   const struct potw_event *ev, size_t n, hg_time now,
				   struct potw_append_result *r);

/* potw_store_events_append_batch() that also, in the same transaction,
 * projects the new events into the plant's tables (core/record.c's
 * record_project(), rec_* tables keyed by station), keeps the tree's nodes
 * and, when hook is not NULL, lets it check and fill the checkpoint that is
 * stored with them, and notes the contact (stations.last_contact: in the
 * same commit, or on its own after a refusal).  A batch of events held
 * already (a resend) still calls the hook.  Same returns; r->fault says which refusal; HG_ECORRUPT
 * (POTW_FAULT_PROJECT) for an event record_project() refuses. */
int potw_store_sync_batch(struct potw_store *st, const char *id, const struct potw_event *ev,
			  size_t n, hg_time now, const struct potw_batch_hook *hook,
			  struct potw_append_result *r);

/* The chain hash of event seq (1..size) of station id.  HG_ENOTFOUND. */
int potw_store_event_hash(struct potw_store *st, const char *id, long long seq, uint8_t out[32]);

/* A core/merkle.h reader over station id's stored log (leaves from the
 * events' hashes, nodes from the kept levels); ctx is the caller's and must
 * outlive the reader. */
struct potw_tree_ctx {
	struct potw_store *st;
	const char *id;
};
struct merkle_reader;
void potw_store_tree_reader(struct potw_store *st, const char *id, struct potw_tree_ctx *ctx,
			    struct merkle_reader *rd);

/* The stored checkpoint of station id: of exactly size (size > 0), or the
 * latest (size 0), or with below set the latest of a size below size.
 * HG_ENOTFOUND when there is none. */
int potw_store_checkpoint_get(struct potw_store *st, const char *id, long long size, int below,
			      struct potw_checkpoint *cp);

/* Where the plant is with station id's log.  HG_ENOTFOUND (no station). */
int potw_store_log_state(struct potw_store *st, const char *id, struct potw_log_state *out);

/* Station id was heard from at now (stations.last_contact). */
int potw_store_station_touch(struct potw_store *st, const char *id, hg_time now);

/* Call fn for every event of station id held, in order (seq 1 first),
 * until fn returns non-zero (then returned).  The event's strings live
 * until fn returns. */
int potw_store_events_each(struct potw_store *st, const char *id,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx);
/* potw_store_events_each() from event after + 1, at most limit events
 * (limit > 0). */
int potw_store_events_after(struct potw_store *st, const char *id, long long after,
			    long long limit, int (*fn)(const struct potw_event *e, void *ctx),
			    void *ctx);
/* Call fn for every stored checkpoint of station id, smallest size first,
 * as potw_store_events_each(). */
int potw_store_checkpoints_each(struct potw_store *st, const char *id,
				int (*fn)(const struct potw_checkpoint *cp, void *ctx), void *ctx);

/* A version of an event kept as fork evidence. */
struct potw_fork {
	struct potw_event e;	/* as the station sent it */
	int has_held;		/* 0: nothing held at its number, it did not link on */
	uint8_t held_hash[32];	/* the hash of the event held at e.seq */
	hg_time received;
};

/* Call fn for every fork evidence row of station id, by number then
 * arrival, as potw_store_events_each(). */
int potw_store_forks_each(struct potw_store *st, const char *id,
			  int (*fn)(const struct potw_fork *f, void *ctx), void *ctx);

/* What potw_store_rows_check() found. */
struct potw_rows_check {
	long long rows;		/* rows of the station's rec_* tables */
	char table[48];		/* on a difference: the first table that differs */
	char why[240];
};

/* The station's rec_* rows rebuilt from its events held (record_project(),
 * into scratch tables) and compared with those kept; then the day sums
 * kept (POTW_DAYS_TABLE) with its loads' (out->table names it when they
 * differ).  HG_OK; HG_ECORRUPT
 * (out->table and out->why say where: rows that differ, or an event the
 * projection refuses); or the store's error. */
int potw_store_rows_check(struct potw_store *st, const char *id, struct potw_rows_check *out);

/* The rows check of the loads the events after event after touched: the
 * rows keyed by a load number (rec_loads, rec_load_sources) of each load
 * number those events carry, rebuilt from every event of those loads and
 * compared with those kept; the other tables are left to a whole check
 * (after 0: potw_store_rows_check()).  out->rows: the rows compared.
 * Same returns. */
int potw_store_rows_check_since(struct potw_store *st, const char *id, long long after,
				struct potw_rows_check *out);

/* The CREATE TABLE statements of the plant's copy of the record: every table
 * of record_tables[] (core/record.h) as "rec_<name>", a station column
 * (POTW_REC_STATION) leading its columns, its key and its UNIQUE, into out[cap].  Generated, so
 * the plant's tables never drift from the projection.  HG_OK or
 * HG_ETOOLONG. */
int potw_store_record_schema(char *out, size_t cap);
#define POTW_REC_PREFIX "rec_"
#define POTW_REC_STATION "station_id"	/* not "station": rec_loads has that column */
/* The loads' sums per day, station and waste type, kept beside rec_loads
 * by the backend in the loads' transaction (store_days_sqlite.c); the
 * dashboard's LISTING_DAYS reads them (potw_listing_source's day_sums). */
#define POTW_DAYS_TABLE "load_days"

/* ---- the plant's own log: its roster edits (docs/SYNC.md, the roster) ----
 *
 * The plant's roster edits are events of a log of the plant's own, kept
 * like a station's (events, tree, checkpoints, rec_* rows) under the id
 * POTW_PLANT_LOG: not a station id (the dot), so no station can register
 * under it, and its stations row holds the plant's key, so no station can
 * register with that either.  station_each() does not list it.  The roster
 * version is the log's size. */
#define POTW_PLANT_LOG "haulgate.potw"

struct rec_table;

/* What potw_store_log_append() asks its caller for, inside its transaction. */
struct potw_log_writer {
	/* Fill e's type, ts, load_no, actor and detail (strings the ctx keeps
	 * until the append returns) as event seq; read the roster through
	 * potw_store_roster_*() on st (they see the transaction).  HG_OK, or an
	 * error that rolls everything back and is returned. */
	int (*event)(void *ctx, struct potw_store *st, long long seq, struct potw_event *e);
	/* Fill cp's note and cosigned (the plant's signed checkpoint of held
	 * events whose tree has root) for the store. */
	int (*checkpoint)(void *ctx, long long held, const uint8_t root[32],
			  struct potw_checkpoint *cp);
	void *ctx;
};

/* Append one event to the plant's log (made on the first call, its stations
 * row holding pk), in one transaction: the event w->event() writes, linked
 * to the last (chain_hash), its rows (record_project), the tree's nodes, and
 * the checkpoint of the new size w->checkpoint() signs.  *seq_out (may be
 * NULL) the event's number.  HG_OK, or the writer's error or the store's:
 * nothing is kept then.  Committed, not yet synced:
 * potw_store_durable_station(st, POTW_PLANT_LOG) before saying so. */
int potw_store_log_append(struct potw_store *st, const uint8_t pk[32], hg_time now,
			  const struct potw_log_writer *w, long long *seq_out);

/* The plant roster's next id in table ("haulers", "cards", "trucks",
 * "operators"). */
int potw_store_roster_next_id(struct potw_store *st, const char *table, long long *id);
/* Is row id in the plant roster's table?  1, 0, or an error. */
int potw_store_roster_has(struct potw_store *st, const char *table, long long id);
/* The plant roster's card or operator with uid (normalised): 1 with *id and
 * *op (1: an operator card), 0 when none has it, or an error. */
int potw_store_roster_uid(struct potw_store *st, const char *uid, long long *id, int *op);
/* Call fn with every row of station id's (or POTW_PLANT_LOG's) copy of
 * table t (record_tables[]), its columns as text in t's order, in the order
 * written, until fn returns non-zero (then returned). */
int potw_store_rec_each(struct potw_store *st, const char *id, const struct rec_table *t,
			int (*fn)(const char *const *cells, void *ctx), void *ctx);

/* The loads, the RV visits or the month report of every station, or of
 * f->station (potw/store_list.c): db/listing.c's queries, the station's own,
 * on the rec_* tables, a "station" column first (none in the month report
 * with f->totals).  *out the caller's to table_free().  HG_OK, HG_EINVAL
 * (a bad filter, said), or the store's error. */
/* potw_store_rec_each()'s rows of station id's rec_<t> whose first column
 * (the loads' and load_sources' load_no) is key (>= 0). */
int potw_store_rec_key(struct potw_store *st, const char *id, const struct rec_table *t,
		       long long key, int (*fn)(const char *const *cells, void *ctx), void *ctx);
/* Call fn for every event of station id's load load_no (load_no >= 1), in
 * order, as potw_store_events_each(). */
int potw_store_load_events(struct potw_store *st, const char *id, long long load_no,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx);

int potw_store_list(struct potw_store *st, enum listing_kind kind,
		    const struct listing_filter *f, struct table **out);

/* Is id a station id (1 to 31 letters, digits or '-')? */
int potw_station_id_ok(const char *id);

/* hash = SHA-256(prev_hash || canonical bytes of e): chain_hash()
 * (core/chain.h), the station's own rule.  HG_OK. */
int potw_event_hash(const struct potw_event *e, uint8_t hash[32]);

#endif
