/* store_sync.c: what the sync process reads of the log and keeps of the
 * plant's answers (docs/SYNC.md).
 *
 * Reading: the events from a sequence number on, in batches, exactly as
 * stored (the detail's bytes are what the hash covers, and the plant
 * recomputes it), the log's head, and the leaf reader core/merkle.c builds
 * the Merkle tree's right edge with (leaf index i = event i + 1).
 *
 * Writing: sync_state (one row) and sync_checkpoints, the tables of
 * migration 4.  They are not records of the station and not events: they
 * are what the plant said of the log, written by this file's own SQL, the
 * one exception to "every row is the projection of an event"
 * (tests/unit/test_store_replay.c lets this file, and only for the sync_*
 * tables; docs/DECISIONS.md says why).  A station restored from a backup
 * that lost them only asks the plant again.  Start reading at
 * store_events_read(). */
#include <stdio.h>
#include <string.h>
#include <cJSON.h>

#include "store_int.h"
#include "../core/merkle.h"

/* ---- the log, read for the plant ---- */

/* Column col of the current row as a 32-byte hash into out. */
static int col_hash(sqlite3_stmt *s, int col, long long seq, uint8_t out[32])
{
	const void *b = sqlite3_column_blob(s, col);

	if (!b || sqlite3_column_bytes(s, col) != 32)
		return hg_fail(HG_ECORRUPT, "event %lld has a hash that is not 32 bytes "
			       "(the database was edited?)", seq);
	memcpy(out, b, 32);
	return HG_OK;
}

int store_events_read(struct store *st, long long from_seq, long long max, store_event_fn fn,
		      void *arg, long long *n)
{
	static const char sql[] =
		"SELECT seq, ts, type, load_no, actor, detail, prev_hash, hash FROM events "
		"WHERE seq >= ?1 ORDER BY seq LIMIT ?2";
	sqlite3_stmt *s;
	long long count = 0;
	int rc;

	if (n)
		*n = 0;
	if (max < 1 || from_seq < 1)
		return hg_fail(HG_EINVAL, "events are read from seq 1 on, at least one at a time");
	rc = store_begin_read(st);
	if (rc)
		return rc;
	rc = store_stmt(st, sql, &s);
	if (rc)
		goto done;
	sqlite3_bind_int64(s, 1, from_seq);
	sqlite3_bind_int64(s, 2, max);
	for (;;) {
		struct store_event_row ev;
		uint8_t prev[32], hash[32];
		int r = sqlite3_step(s);

		if (r == SQLITE_DONE)
			break;
		if (r != SQLITE_ROW) {
			rc = store_sqlerr(st, r, "read the event log");
			break;
		}
		ev.seq = sqlite3_column_int64(s, 0);
		ev.ts = (hg_time)sqlite3_column_int64(s, 1);
		ev.type = (const char *)sqlite3_column_text(s, 2);
		ev.load_no = sqlite3_column_int64(s, 3);
		ev.actor = (const char *)sqlite3_column_text(s, 4);
		ev.detail = (const char *)sqlite3_column_text(s, 5);
		ev.detail_len = (size_t)sqlite3_column_bytes(s, 5);
		if (!ev.type || !ev.actor || !ev.detail) {
			rc = hg_fail(HG_ENOMEM, "out of memory reading event %lld", ev.seq);
			break;
		}
		rc = col_hash(s, 6, ev.seq, prev);
		if (rc)
			break;
		rc = col_hash(s, 7, ev.seq, hash);
		if (rc)
			break;
		ev.prev_hash = prev;
		ev.hash = hash;
		rc = fn(arg, &ev);
		if (rc)
			break;
		count++;
	}
	sqlite3_reset(s);
done:
	store_end_read(st);
	if (n)
		*n = count;
	return rc;
}

int store_event_head(struct store *st, long long *seq, uint8_t hash[32])
{
	static const char sql[] = "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc, r;

	*seq = 0;
	memset(hash, 0, 32);
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*seq = sqlite3_column_int64(s, 0);
		rc = col_hash(s, 1, *seq, hash);
	} else if (r != SQLITE_DONE) {
		rc = store_sqlerr(st, r, "read the last event");
	}
	sqlite3_reset(s);
	return rc;
}

int store_merkle_leaf(void *ctx, uint64_t index, uint8_t out[32])
{
	static const char sql[] = "SELECT hash FROM events WHERE seq = ?1";
	struct store *st = ctx;
	uint8_t chain[32];
	sqlite3_stmt *s;
	long long seq;
	int rc, r;

	if (index >= (uint64_t)INT64_MAX)
		return hg_fail(HG_EINVAL, "leaf index %llu is past any log",
			       (unsigned long long)index);
	seq = (long long)index + 1;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, seq);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW)
		rc = col_hash(s, 0, seq, chain);
	else if (r == SQLITE_DONE)
		rc = hg_fail(HG_ENOTFOUND, "event %lld is not in the log", seq);
	else
		rc = store_sqlerr(st, r, "read the event log");
	sqlite3_reset(s);
	if (rc)
		return rc;
	merkle_leaf_hash(chain, out);
	return HG_OK;
}

/* ---- what the plant said ---- */

int store_sync_get(struct store *st, struct sync_state *out)
{
	static const char sql[] =
		"SELECT plant_size, last_success, last_attempt, last_error, fork_seq, fork_at, "
		"roster_version FROM sync_state WHERE id = 1";
	sqlite3_stmt *s;
	int rc = HG_OK, r;

	memset(out, 0, sizeof *out);
	r = store_stmt(st, sql, &s);
	if (r)
		return r;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		out->plant_size = sqlite3_column_int64(s, 0);
		out->last_success = (hg_time)sqlite3_column_int64(s, 1);
		out->last_attempt = (hg_time)sqlite3_column_int64(s, 2);
		rc = store_col_text(s, 3, out->last_error, sizeof out->last_error, "sync error text");
		out->fork_seq = sqlite3_column_int64(s, 4);
		out->fork_at = (hg_time)sqlite3_column_int64(s, 5);
		out->roster_version = sqlite3_column_int64(s, 6);
	} else if (r != SQLITE_DONE) {
		rc = store_sqlerr(st, r, "read the sync state");
	}
	sqlite3_reset(s);
	return rc;
}

int store_sync_set(struct store *st, const struct sync_state *v)
{
	static const char sql[] =
		"INSERT INTO sync_state (id, plant_size, last_success, last_attempt, last_error, "
		"fork_seq, fork_at, roster_version) VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		"ON CONFLICT (id) DO UPDATE SET plant_size = excluded.plant_size, "
		"last_success = excluded.last_success, last_attempt = excluded.last_attempt, "
		"last_error = excluded.last_error, fork_seq = excluded.fork_seq, "
		"fork_at = excluded.fork_at, roster_version = excluded.roster_version";
	char err[sizeof v->last_error];
	sqlite3_stmt *s;
	int rc;

	snprintf(err, sizeof err, "%s", v->last_error);
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_stmt(st, sql, &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, v->plant_size);
		store_bind_nz(s, 2, v->last_success);
		store_bind_nz(s, 3, v->last_attempt);
		sqlite3_bind_text(s, 4, err, -1, SQLITE_TRANSIENT);
		store_bind_nz(s, 5, v->fork_seq);
		store_bind_nz(s, 6, v->fork_at);
		sqlite3_bind_int64(s, 7, v->roster_version);
		rc = store_run(st, s, "write the sync state");
	}
	return store_end(st, rc);
}

int store_checkpoint_put(struct store *st, long long size, const uint8_t root[32],
			 const char *note, hg_time received)
{
	static const char get[] = "SELECT root FROM sync_checkpoints WHERE size = ?1";
	static const char put[] =
		"INSERT INTO sync_checkpoints (size, root, note, received) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (size) DO UPDATE SET note = excluded.note, received = excluded.received";
	sqlite3_stmt *s;
	int rc, r;

	if (size < 1 || !note || strlen(note) >= STORE_NOTE_MAX)
		return hg_fail(HG_EINVAL, "a checkpoint of size %lld, or its note, cannot be kept",
			       size);
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_stmt(st, get, &s);
	if (rc)
		return store_end(st, rc);
	sqlite3_bind_int64(s, 1, size);
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(s, 0);

		if (!b || sqlite3_column_bytes(s, 0) != 32 || memcmp(b, root, 32) != 0)
			rc = hg_fail(HG_EEXIST, "the plant countersigned another root for size %lld "
				     "before: the log was rewritten (a fork)", size);
	} else if (r != SQLITE_DONE) {
		rc = store_sqlerr(st, r, "read the checkpoints");
	}
	sqlite3_reset(s);
	if (rc)
		return store_end(st, rc);
	rc = store_stmt(st, put, &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, size);
		sqlite3_bind_blob(s, 2, root, 32, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, 3, note, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(s, 4, received);
		rc = store_run(st, s, "keep the checkpoint");
	}
	return store_end(st, rc);
}

int store_checkpoint_latest(struct store *st, long long *size, uint8_t root[32], char *note,
			    size_t cap, hg_time *received)
{
	static const char sql[] =
		"SELECT size, root, note, received FROM sync_checkpoints ORDER BY size DESC LIMIT 1";
	sqlite3_stmt *s;
	int rc, r;

	*size = 0;
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		const void *b = sqlite3_column_blob(s, 1);

		*size = sqlite3_column_int64(s, 0);
		if (b && sqlite3_column_bytes(s, 1) == 32)
			memcpy(root, b, 32);
		else
			rc = hg_fail(HG_ECORRUPT, "the checkpoint of size %lld has a root that is not "
				     "32 bytes (the database was edited?)", *size);
		if (!rc)
			rc = store_col_text(s, 2, note, cap, "checkpoint note");
		if (received)
			*received = (hg_time)sqlite3_column_int64(s, 3);
	} else if (r == SQLITE_DONE) {
		rc = hg_fail(HG_ENOTFOUND, "the plant has countersigned no checkpoint yet");
	} else {
		rc = store_sqlerr(st, r, "read the checkpoints");
	}
	sqlite3_reset(s);
	return rc;
}

/* ---- the plant's roster ---- */

int store_roster_edge_get(struct store *st, long long *version, uint8_t head[32],
			  struct merkle_range *edge)
{
	static const char sql[] =
		"SELECT roster_version, roster_head, roster_edge FROM sync_state WHERE id = 1";
	sqlite3_stmt *s;
	int rc, r;

	*version = 0;
	memset(head, 0, 32);
	merkle_range_init(edge);
	rc = store_stmt(st, sql, &s);
	if (rc)
		return rc;
	r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		const void *h = sqlite3_column_blob(s, 1), *e = sqlite3_column_blob(s, 2);

		*version = sqlite3_column_int64(s, 0);
		if (*version == 0)
			;
		else if (*version < 0 || !h || sqlite3_column_bytes(s, 1) != 32 || !e ||
			 sqlite3_column_bytes(s, 2) != (int)sizeof edge->hash)
			rc = hg_fail(HG_ECORRUPT, "the station applied the plant's roster up to "
				     "version %lld but does not keep its head and edge (the database "
				     "was edited?)", *version);
		else {
			memcpy(head, h, 32);
			memcpy(edge->hash, e, sizeof edge->hash);
			edge->size = (uint64_t)*version;
		}
	} else if (r != SQLITE_DONE) {
		rc = store_sqlerr(st, r, "read the sync state");
	}
	sqlite3_reset(s);
	return rc;
}

/* Is type a roster event's? */
static int roster_type(const char *type)
{
	for (int k = 0; k < RE_COUNT; k++)
		if (strcmp(type, roster_ev_type((enum roster_ev_kind)k)) == 0)
			return 1;
	return 0;
}

/* A station that applies its first plant roster must have no roster rows
 * of its own: the plant's ids are taken as they are (docs/DECISIONS.md). */
static int roster_empty(struct store *st)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM haulers) + (SELECT count(*) FROM cards) + "
		"(SELECT count(*) FROM trucks) + (SELECT count(*) FROM operators)";
	sqlite3_stmt *s;
	long long n = 0;
	int rc = store_stmt(st, sql, &s);

	if (!rc)
		rc = store_int(st, s, "read the roster", &n);
	if (!rc && n)
		rc = hg_fail(HG_EREFUSED, "this station has %lld roster rows of its own (haulers, "
			     "cards, trucks, operators): the plant's roster is applied only to a "
			     "station without them (a new database: `haulgate init` without --demo)",
			     n);
	return rc;
}

/* One plant event as the station's own: its pin_hash out of the detail. */
static int apply_one(struct store *st, const struct store_plant_event *pe, hg_time now)
{
	char actor[32], pin[256];
	cJSON *j;
	const cJSON *ph;
	char *detail;
	struct store_ev ev = { now, pe->type, 0, NULL };
	int rc;

	if (!roster_type(pe->type))
		return hg_fail(HG_EINVAL, "the plant's roster event %lld is of type '%s', not a "
			       "roster edit", pe->seq, pe->type);
	j = cJSON_Parse(pe->detail);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return hg_fail(HG_EINVAL, "the plant's roster event %lld has a detail that is not "
			       "a JSON object", pe->seq);
	}
	pin[0] = '\0';
	ph = cJSON_GetObjectItemCaseSensitive(j, "pin_hash");
	if (ph) {
		if (!cJSON_IsString(ph) || strlen(ph->valuestring) >= sizeof pin) {
			cJSON_Delete(j);
			return hg_fail(HG_EINVAL, "the plant's roster event %lld has a bad pin_hash",
				       pe->seq);
		}
		snprintf(pin, sizeof pin, "%s", ph->valuestring);
		cJSON_DeleteItemFromObjectCaseSensitive(j, "pin_hash");
	}
	detail = store_json_print(j);
	cJSON_Delete(j);
	if (!detail)
		return hg_fail(HG_ENOMEM, "out of memory");
	ev.detail = detail;
	snprintf(actor, sizeof actor, "plant:%lld", pe->seq);
	rc = store_write(st, &ev, 1, actor, pin[0] ? pin : NULL);
	store_json_free(detail);
	if (rc) {
		char why[256];

		snprintf(why, sizeof why, "%s", hg_error_text());
		return hg_fail(rc, "the plant's roster event %lld (%s): %s", pe->seq, pe->type, why);
	}
	return HG_OK;
}

int store_roster_apply(struct store *st, const struct store_plant_event *ev, int n,
		       hg_time now, const uint8_t head[32], const struct merkle_range *edge)
{
	static const char sql[] =
		"INSERT INTO sync_state (id, roster_version, roster_head, roster_edge) "
		"VALUES (1, ?1, ?2, ?3) ON CONFLICT (id) DO UPDATE SET "
		"roster_version = excluded.roster_version, roster_head = excluded.roster_head, "
		"roster_edge = excluded.roster_edge";
	uint8_t h[32];
	struct merkle_range old;
	long long version;
	sqlite3_stmt *s;
	int rc;

	if (n < 1)
		return hg_fail(HG_EINVAL, "no roster event to apply (a bug)");
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_roster_edge_get(st, &version, h, &old);
	if (!rc && version == 0)
		rc = roster_empty(st);
	if (!rc && (long long)edge->size != version + n)
		rc = hg_fail(HG_EINVAL, "roster events %lld to %lld do not follow version %lld "
			     "(a bug)", ev[0].seq, ev[n - 1].seq, version);
	for (int i = 0; !rc && i < n; i++)
		rc = apply_one(st, &ev[i], now);
	if (!rc)
		rc = store_stmt(st, sql, &s);
	if (!rc) {
		sqlite3_bind_int64(s, 1, (long long)edge->size);
		sqlite3_bind_blob(s, 2, head, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(s, 3, edge->hash, (int)sizeof edge->hash, SQLITE_TRANSIENT);
		rc = store_run(st, s, "write the roster version");
	}
	return store_end(st, rc);
}
