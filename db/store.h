/* store.h: the station's sqlite database, the one module that speaks SQL.
 *
 * One file, WAL, synchronous=FULL, foreign keys on, schema versioned with
 * PRAGMA user_version and migrated forward on open.  Every change of state is
 * written together with its entry in the append-only event log, in one
 * transaction; each event holds the SHA-256 of the one before, so an edited,
 * deleted, inserted or reordered row is found by store_verify().
 *
 * Every function returns HG_OK or a negative HG_E* code; on failure
 * hg_error_text() (core/report.h) says what went wrong in a sentence fit for
 * an operator.
 * All SQL uses prepared statements.  A struct store is not thread-safe. */
#ifndef STORE_H
#define STORE_H

#include "../core/hg.h"
#include "../core/merkle.h"
#include "../core/record.h"
#include "../core/roster.h"
#include "../core/roster_event.h"
#include "../core/summary.h"
#include "../core/table.h"
#include "../core/report.h"
#include "listing.h"

struct store;

/* Open (and with create, make) the database at path and migrate it to the
 * current schema.  Without create, a missing file is HG_ENOTFOUND.  A file that
 * is not a haulgate database (or is corrupt) is HG_ECORRUPT, untouched.
 * The file and its -wal and -shm are the station user's only: a new one is
 * made 0600, an existing one open to group or others is made 0600 (HG_EIO
 * when it cannot be).  On failure *out is NULL and hg_error_text() says why. */
int store_open(struct store **out, const char *path, int create);
void store_close(struct store *st);

/* Fault injection, for the tests and the scenarios' `fault db` (SQLite's
 * test_syscall.c, like relay_sim_fail): the nth commit from now (1 = the
 * next) fails as on a full disk: rolled back, HG_EIO, "the disk is full";
 * with forever, that one and every later one.  0 clears. */
void store_fail_commit(struct store *st, int nth, int forever);
int store_schema_version(struct store *st);

/* Station metadata (station id, ...): key/value text.  get: HG_ENOTFOUND if unset. */
int store_meta_get(struct store *st, const char *key, char *val, size_t cap);
int store_meta_set(struct store *st, const char *key, const char *val, hg_time now, const char *actor);

/* ---- the event log ---- */

/* Append one event in its own transaction.  type: a stable event type
 * (docs/SCHEMA.md); load_no 0 = none; actor: who ("cli", "card:04a1b2c3",
 * "operator:2", "station"); detail: a JSON object text or NULL. */
int store_event(struct store *st, hg_time now, const char *type, long long load_no,
		const char *actor, const char *detail);

/* One event of a batch. */
struct event_in {
	hg_time ts;
	const char *type;	/* [a-z0-9_], 1..STORE_TYPE_MAX characters */
	long long load_no;	/* 0 = none */
	const char *actor;	/* NULL = ""; no control characters */
	const char *detail;	/* JSON object text, or NULL (stored as "") */
};

#define STORE_TYPE_MAX 32	/* bytes of an event type */
#define STORE_ACTOR_MAX 100	/* bytes of an actor */
#define STORE_DETAIL_MAX 8192	/* bytes of an event's detail given from outside */
#define STORE_OWN_DETAIL_MAX 131072	/* the store's own (a load's, with its copy of record) */

/* Append n events in one transaction, chained in order (the kiosk's actions
 * that belong together; tests and the bench).  All or none are written. */
int store_event_batch(struct store *st, const struct event_in *ev, size_t n);

/* The canonical bytes of an event, as hashed (docs/SCHEMA.md):
 * "<seq>\n<ts>\n<type>\n<load_no>\n<actor>\n<detail>\n", numbers in plain
 * decimal, detail "" when NULL.  An event's hash is SHA-256(prev_hash[32] ||
 * these bytes).  Writes them to buf[cap] (no NUL added) and returns their
 * length, or HG_ETOOLONG when they do not fit. */
int store_event_bytes(char *buf, size_t cap, long long seq, hg_time ts, const char *type,
		      long long load_no, const char *actor, const char *detail);

struct verify_result {
	long long checked;	/* events read */
	long long first_bad;	/* sequence number of the first bad event; 0 = none */
	char why[200];		/* what is wrong with it */
};

/* Check the whole chain: sequence numbers contiguous from 1, each prev_hash
 * equal to the hash of the event before, each hash equal to the hash of its
 * own content, and no fewer events than this store has itself written.
 * Returns HG_OK (chain good), HG_ECORRUPT (r->first_bad set: the first bad
 * event, or the first missing number; r->why says which check failed), or
 * another error when the database cannot be read. */
int store_verify(struct store *st, struct verify_result *r);

/* ---- the tables against the log (db/store_replay.c) ---- */

struct tables_result {
	long long events;	/* events replayed */
	long long rows;		/* rows found on both sides and compared */
	long long differences;	/* lines reported */
	int unchecked;		/* 1: the log could not be replayed; why says where */
	char why[200];
};

/* Called once per difference with one line, e.g.
 * "loads 12 gallons: 1500 in the table, 2500 in the log". */
typedef void (*store_report_fn)(void *arg, const char *line);

/* Rebuild every table of the record (core/record.c: record_tables) from the
 * event log into a private scratch database and compare it with the tables
 * of the file, in one read transaction.  Each difference is reported through
 * report (which may be NULL): a value that differs ("TABLE KEY COLUMN: X in
 * the table, Y in the log"), a row the log does not explain ("TABLE KEY: in
 * the table, not in the log"), a row of the log the table lacks ("...: in the
 * log, not in the table"), and an event that changes a row the log never
 * made or makes one twice.  Returns HG_OK when the tables are the log's
 * projection; HG_ECORRUPT when they differ (r->differences lines reported)
 * or when an event cannot be projected (r->unchecked, r->why: an event
 * written by a haulgate before the events carried whole rows); another code
 * when the database cannot be read.  Does not check the hash chain
 * (store_verify() does). */
int store_verify_tables(struct store *st, store_report_fn report, void *arg,
			struct tables_result *r);

/* ---- the roster ---- */

/* Add a hauler (active).  *id_out gets haulers.id.  Event "hauler_added". */
int store_hauler_add(struct store *st, const struct hauler_rec *h, hg_time now,
		     const char *actor, long long *id_out);
/* Suspend (1) or reinstate (0).  HG_ENOTFOUND if no such hauler.
 * Event "hauler_suspended" / "hauler_reinstated". */
int store_hauler_suspend(struct store *st, long long id, int suspended, hg_time now, const char *actor);
/* New permit number and validity.  Event "permit_changed". */
int store_hauler_permit(struct store *st, long long id, const char *permit, const char *from,
			const char *to, hg_time now, const char *actor);
/* Record a waste analysis on file (date "" clears it).  Event "analysis_changed". */
int store_hauler_analysis(struct store *st, long long id, const char *date, hg_time now, const char *actor);

/* Add a card (uid normalised hex).  HG_EEXIST if the UID is already a card or
 * an operator card; HG_ENOTFOUND if no such hauler.  Event "card_added". */
int store_card_add(struct store *st, const char *uid, long long hauler_id, const char *driver,
		   const char *pin_hash, hg_time now, const char *actor);
/* Revoke a card.  HG_ENOTFOUND if none.  Event "card_revoked". */
int store_card_revoke(struct store *st, const char *uid, hg_time now, const char *actor);
/* Add a truck to a hauler.  Event "truck_added". */
int store_truck_add(struct store *st, long long hauler_id, const char *ident, int capacity,
		    hg_time now, const char *actor, long long *id_out);
/* Add an operator with a card.  HG_EEXIST if the UID is taken.  Event "operator_added". */
int store_operator_add(struct store *st, const char *name, const char *uid, const char *pin_hash,
		       hg_time now, const char *actor, long long *id_out);

/* Everything the core needs after a tap of uid: the card or operator, its
 * hauler, trucks, remembered sources, history and today's station volume
 * (today = local date of now).  An unknown UID gives kind CARD_NONE and HG_OK;
 * a UID that is not 8, 14 or 20 hex digits is HG_EINVAL. */
int store_lookup_card(struct store *st, const char *uid, hg_time now, struct card_info *out);

/* Record the PIN failure count and lockout of a card (kind CARD_HAULER) or an
 * operator (CARD_OPERATOR), with event type ("pin_failed", "pin_lockout",
 * "pin_ok") and detail (a JSON object or NULL), in one transaction.
 * HG_ENOTFOUND if there is no such card or operator. */
int store_pin_state(struct store *st, enum card_kind kind, long long id, int failures,
		    hg_time locked_until, const char *event, const char *detail, hg_time now,
		    const char *actor);

/* ---- loads and visits ---- */

/* Commit a certified and decided load: the load row, its sources (also
 * remembered for the hauler), and events "manifest_submitted" and "decision",
 * in one transaction.  Gives ld->load_no, and ld->record_sha if it was all
 * zero; a record_sha that does not match ld->record is HG_EINVAL.  HG_EINVAL
 * without a verdict or decision time, HG_ENOTFOUND for an unknown hauler. */
int store_load_commit(struct store *st, struct load_rec *ld, const char *actor);
/* Record the sample bottle of a load (event "sample_taken").  HG_EEXIST if it
 * already has one; HG_ENOTFOUND for an unknown load or operator. */
int store_load_sample(struct store *st, long long load_no, const char *bottle, long long operator_id,
		      hg_time now, const char *actor);
/* Record the discharge start (event "discharge_started").  HG_EREFUSED for a
 * refused load, HG_EEXIST if it already started. */
int store_load_discharge_start(struct store *st, long long load_no, hg_time now, const char *actor);
/* Record the discharge end, measured gallons and the meter's flag (R_NONE,
 * R_METER_MISMATCH, R_METER_FAILED) (event "discharge_ended").
 * HG_EINVAL if it never started, HG_EEXIST if it already ended. */
int store_load_discharge_end(struct store *st, long long load_no, hg_time now, long measured,
			     enum reason meter_flag, const char *why, const char *actor);
/* Read a load back.  HG_ENOTFOUND if none. */
int store_load_get(struct store *st, long long load_no, struct load_rec *out);

/* Commit an RV visit (event "rv_visit").  Gives rv->id. */
int store_rv_commit(struct store *st, struct rv_rec *rv, const char *actor);
/* The visitor is done (or the dump time ran out: why "done" / "max_time"):
 * record the time and event "rv_done" in one transaction.  HG_ENOTFOUND if
 * there is no such visit or it was closed already. */
int store_rv_done(struct store *st, long long id, hg_time now, const char *why, const char *actor);

/* ---- listings (tables for the CLI) ---- */

struct load_filter {
	char from[LIM_DATE + 1];	/* local date, inclusive; "" = any */
	char to[LIM_DATE + 1];		/* local date, inclusive; "" = any */
	long long hauler_id;		/* 0 = any */
	int flagged;			/* only loads flagged for sampling or by the flow meter */
};

/* Each gives a new table (the caller frees it with table_free()) or *out NULL
 * on failure.  Times show as local "YYYY-MM-DD hh:mm" ("" = none); count and
 * volume columns are numeric.  Columns:
 *   haulers    id company contact phone permit permit_from permit_to status
 *              waste_allowed analysis_date cards trucks
 *   cards      uid card_id hauler_id company driver status pin_failures locked_until
 *   trucks     id hauler_id company truck capacity
 *   operators  id name uid status pin_failures locked_until
 *   loads      load_no decided hauler_id company permit truck waste gallons verdict
 *              reasons flagged bottle measured discharge_end meter  (f NULL = all;
 *              flagged: for sampling, or by the meter)
 *   rv         id signed_in name plate state lang declared done  (by local day;
 *              "" = open end)
 *   events     seq time type load_no actor detail  (seq >= from_seq; limit <= 0 = all)
 *   report     company permit loads septage portable grease industrial gallons
 *              samples refusals: one row per hauler with loads decided in the
 *              month (by local day), ordered by company; the gallons are the
 *              declared gallons of accepted and sample-hold loads. */
int store_list_haulers(struct store *st, struct table **out);
int store_list_cards(struct store *st, struct table **out);
int store_list_trucks(struct store *st, struct table **out);
int store_list_operators(struct store *st, struct table **out);
int store_list_loads(struct store *st, const struct load_filter *f, struct table **out);
int store_list_rv(struct store *st, const char *from, const char *to, struct table **out);
int store_list_events(struct store *st, long long from_seq, long long limit, struct table **out);
/* Per hauler for one month: loads, gallons by waste type, samples, refusals. */
int store_report_month(struct store *st, int year, int month, struct table **out);
/* The loads, the RV visits or the month report as f asks (db/listing.h):
 * the three above, the queries the plant runs on its copy of the tables. */
int store_listing(struct store *st, enum listing_kind kind, const struct listing_filter *f,
		  struct table **out);

/* ---- slips the printer could not print (db/store_kept.c) ---- */

/* The loads whose receipt (or refusal slip) is kept: the last print event of
 * that slip, "printed" or "print_failed" (detail "kind" receipt or refusal),
 * is print_failed.  Bottle labels and day summaries do not count.  Fills
 * out[cap] with the first of them by load number (oldest first), *n how many;
 * *total (if not NULL) gets how many there are in all, beyond cap too. */
int store_kept_slips(struct store *st, long long *out, int cap, int *n, long *total);

/* ---- what a stopped station left open (db/store_interrupt.c) ---- */

/* A discharge whose start is recorded and whose end is not. */
struct open_discharge {
	long long load_no;
	hg_time start;		/* t_discharge_start */
	int has_baseline;	/* the meter's first reading was logged (meter_baseline) */
	double baseline;	/* that reading: the totaliser as the valve opened */
};

/* The time of the last event in the log (0 when it is empty): when the
 * station was last known alive. */
int store_last_alive(struct store *st, hg_time *ts);
/* The open discharges, oldest first, at most cap into out; *n how many. */
int store_open_discharges(struct store *st, struct open_discharge *out, int cap, int *n);
/* Close the interrupted discharge d: t_discharge_end = end (never before its
 * start), discharge_end_why "interrupted", gallons_measured = measured,
 * meter_flag (R_NONE, R_METER_MISMATCH, R_METER_FAILED); event
 * "discharge_interrupted" with each of them, last_alive, and the meter's
 * baseline and totaliser (totaliser < 0: not read).  Its receipt is then kept
 * (store_kept_slips()).  HG_ENOTFOUND if d's discharge is not open. */
int store_discharge_interrupted(struct store *st, const struct open_discharge *d, hg_time end,
				long measured, enum reason meter_flag, double totaliser,
				hg_time now, const char *actor);
/* Loads held for sampling with no bottle and not closed: left at the hold by
 * a station that stopped.  At most cap into out (their haulers into
 * hauler), oldest first. */
int store_open_holds(struct store *st, long long *out, long long *hauler, int cap, int *n);
/* A hold ended without a bottle (why: "cancel", "timeout", "fault",
 * "restart"): discharge_end_why "sample_abandoned", event "sample_abandoned"
 * with it and why.  HG_ENOTFOUND if the load is not a hold without a bottle
 * that has not discharged. */
int store_sample_abandon(struct store *st, long long load_no, const char *why, hg_time now,
			 const char *actor);
/* The sample h (its id set) still owes: h->pending_load, the first of its
 * abandoned holds after its last load with a bottle (0: none), and
 * h->pending[], the sampling reasons of all of them.  Called by
 * store_lookup_card(). */
int store_sample_pending(struct store *st, struct hauler_info *h);

/* ---- the end-of-day summary (db/store_day.c) ---- */

/* struct day_summary is in core/summary.h (the slip is composed there). */

/* Everything decided, sampled, visited and failed on one local day (day
 * "YYYY-MM-DD"; HG_EINVAL if it is not a date), read in one transaction.
 * Loads count by the day of their decision.  Events are counted between
 * local midnights, from the first event of the day found by a binary search
 * of the log by time, so the count reads only that day's events. */
int store_day_summary(struct store *st, const char *day, struct day_summary *out);

/* ---- the sync's side of the store (db/store_sync.c, docs/SYNC.md) ---- */

/* One event as stored, for the sync to send: the pointers are valid only
 * during the callback that gets it. */
struct store_event_row {
	long long seq;
	hg_time ts;
	const char *type;
	long long load_no;
	const char *actor;
	const char *detail;	/* "" for none; detail_len bytes, exactly as hashed */
	size_t detail_len;
	const uint8_t *prev_hash;	/* 32 bytes */
	const uint8_t *hash;		/* 32 bytes */
};

/* Called once per event, in order; a non-zero return stops the reading and
 * is returned (with its words given to hg_fail() by the callback). */
typedef int (*store_event_fn)(void *arg, const struct store_event_row *ev);

/* The events from from_seq on, at most max of them (max >= 1), in order,
 * in one read transaction, each given to fn; *n (may be NULL) how many.  A
 * stored event whose hashes are not 32 bytes is HG_ECORRUPT. */
int store_events_read(struct store *st, long long from_seq, long long max, store_event_fn fn,
		      void *arg, long long *n);

/* The last event's sequence number and hash (0 and 32 zero bytes for an
 * empty log): the size of the log's Merkle tree. */
int store_event_head(struct store *st, long long *seq, uint8_t hash[32]);

/* The leaf reader of core/merkle.h over events.hash: leaf index i is the
 * RFC 6962 leaf hash of the chain hash of event i + 1.  ctx is the struct
 * store.  A missing event is HG_ENOTFOUND, a hash not of 32 bytes
 * HG_ECORRUPT.  Use it as { .leaf = store_merkle_leaf, .ctx = st }. */
int store_merkle_leaf(void *ctx, uint64_t index, uint8_t out[32]);

/* What the sync process last learnt from the plant (one row; not an event,
 * not part of the record). */
struct sync_state {
	long long plant_size;	/* events the plant has acknowledged */
	hg_time last_success;	/* 0 = never */
	hg_time last_attempt;	/* 0 = never */
	char last_error[512];	/* "" = the last round went well */
	long long fork_seq;	/* 0 = no fork; else the seq the plant holds otherwise */
	hg_time fork_at;	/* when the plant said so */
	long long roster_version;	/* the roster version applied */
};

/* Read the state (all zero and "" when the sync never ran). */
int store_sync_get(struct store *st, struct sync_state *out);
/* Write the state, whole, in its own transaction.  last_error is cut to
 * fit. */
int store_sync_set(struct store *st, const struct sync_state *s);

/* The plant's roster log as far as this station applied it: the hash of
 * its event roster_version (all zero at 0) and the right edge of its Merkle
 * tree (edge->size = roster_version).  HG_ECORRUPT when the version is not
 * 0 and they are not kept whole. */
int store_roster_edge_get(struct store *st, long long *version, uint8_t head[32],
			  struct merkle_range *edge);

/* One event of the plant's roster log, checked by the caller (chain and
 * checkpoint): its number, type and detail as the plant sent them. */
struct store_plant_event {
	long long seq;
	const char *type;
	const char *detail;
};

/* Apply the plant's roster events ev[0..n) (n >= 1) in one transaction:
 * each becomes the station's own event of the same type and detail at time
 * now, actor "plant:<seq>", through the projection (store_write()), except
 * that a "pin_hash" of the detail goes into the row (outside the record)
 * and not into the event; then sync_state's roster_version, roster_head
 * and roster_edge become edge->size, head and edge.  HG_EREFUSED (nothing
 * applied) when the station has roster rows of its own before its first
 * plant roster (docs/DECISIONS.md), HG_EINVAL for a type that is not a
 * roster event's or a detail that does not project; the store's errors. */
int store_roster_apply(struct store *st, const struct store_plant_event *ev, int n,
		       hg_time now, const uint8_t head[32], const struct merkle_range *edge);

#define STORE_NOTE_MAX 16384	/* a cosigned note (NOTE_MAX) */

/* Keep a checkpoint the plant cosigned: its size, root and the note as
 * received (text, NUL-terminated, at most STORE_NOTE_MAX - 1 bytes), with
 * the time.  The same size again with the same root replaces the note (a
 * cosignature given again); with another root it is HG_EEXIST (a fork: the
 * first is kept). */
int store_checkpoint_put(struct store *st, long long size, const uint8_t root[32],
			 const char *note, hg_time received);
/* The checkpoint of the largest size into *size, root, note[cap], *received;
 * HG_ENOTFOUND when none was kept. */
int store_checkpoint_latest(struct store *st, long long *size, uint8_t root[32], char *note,
			    size_t cap, hg_time *received);

#endif
