/* store.c: the plant server's storage interface, the part every backend
 * shares.
 *
 * potw_store_open() picks the backend by the form of its argument
 * (backends[]); every other potw_store_* function checks what it is given
 * (a station id's form, a batch's own chain: numbers, hashes, links) and
 * passes the call to st->ops.  Nothing here speaks SQL.  A batch's hashes
 * are recomputed with core/chain.h's chain_hash(), the one definition the
 * station's store appends with, so the plant checks exactly what the
 * station wrote. */
#include <stdio.h>
#include <string.h>

#include "store_int.h"
#include "../core/chain.h"
#include "../core/report.h"

static const struct potw_store_ops *const backends[] = {
	&potw_store_sqlite,
};

int potw_store_open(const char *where, int flags, struct potw_store **out)
{
	size_t i;

	*out = NULL;
	if (!where || !where[0])
		return hg_fail(HG_EINVAL, "no database named ([server] db)");
	if (!strncmp(where, "postgresql:", 11) || !strncmp(where, "postgres:", 9))
		return hg_fail(HG_EINVAL, "'%s': the PostgreSQL backend is not built yet; "
			       "[server] db must be an sqlite file for now", where);
	for (i = 0; i < HG_ARRAY_LEN(backends); i++)
		if (backends[i]->handles(where))
			return backends[i]->open(where, flags, out);
	return hg_fail(HG_EINVAL, "'%s': no storage backend takes this database", where);
}

void potw_store_close(struct potw_store *st)
{
	if (st)
		st->ops->close(st);
}

const char *potw_store_backend(const struct potw_store *st)
{
	return st->ops->name;
}

int potw_station_id_ok(const char *id)
{
	size_t i, n = strlen(id);

	if (n < 1 || n > POTW_STATION_ID_MAX)
		return 0;
	for (i = 0; i < n; i++) {
		char ch = id[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '-'))
			return 0;
	}
	return 1;
}

static int check_id(const char *id)
{
	if (!id || !potw_station_id_ok(id))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id (1 to %d letters, digits or '-')",
			       id ? id : "", POTW_STATION_ID_MAX);
	return HG_OK;
}

int potw_store_station_add(struct potw_store *st, const struct potw_station *s)
{
	int rc = check_id(s->id);

	if (rc)
		return rc;
	if (!s->name[0])
		return hg_fail(HG_EINVAL, "a station needs a name");
	return st->ops->station_add(st, s);
}

int potw_store_station_retire(struct potw_store *st, const char *id, hg_time when)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	return st->ops->station_retire(st, id, when);
}

int potw_store_station_get(struct potw_store *st, const char *id, struct potw_station *out)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	return st->ops->station_get(st, id, out);
}

int potw_store_station_each(struct potw_store *st,
			    int (*fn)(const struct potw_station *s, void *ctx), void *ctx)
{
	return st->ops->station_each(st, fn, ctx);
}

int potw_event_hash(const struct potw_event *e, uint8_t hash[32])
{
	struct chain_event c;

	c.seq = e->seq;
	c.ts = e->ts;
	c.type = e->type;
	c.load_no = e->load_no;
	c.actor = e->actor;
	c.detail = e->detail;
	chain_hash(e->prev_hash, &c, hash);
	return HG_OK;
}

static int refuse(struct potw_append_result *r, long long seq, const char *why)
{
	r->bad_seq = seq;
	snprintf(r->why, sizeof r->why, "event %lld: %s", seq, why);
	return hg_fail(HG_EREFUSED, "%s", r->why);
}

/* ev[i] on its own: its fields' sizes and its hash. */
static int check_event(const struct potw_event *e, struct potw_append_result *r)
{
	uint8_t h[32];
	int rc;

	if (e->seq < 1)
		return refuse(r, e->seq, "sequence numbers start at 1");
	if (!e->type || !e->type[0] || strlen(e->type) >= POTW_TYPE_MAX)
		return refuse(r, e->seq, "the type is empty or too long");
	if (e->actor && strlen(e->actor) > POTW_ACTOR_MAX)
		return refuse(r, e->seq, "the actor is too long");
	if (e->detail && strlen(e->detail) > POTW_DETAIL_MAX)
		return refuse(r, e->seq, "the detail is too long");
	rc = potw_event_hash(e, h);
	if (rc)
		return refuse(r, e->seq, hg_error_text());
	if (memcmp(h, e->hash, 32) != 0)
		return refuse(r, e->seq, "its hash is not the hash of its content");
	return HG_OK;
}

int potw_store_events_append_batch(struct potw_store *st, const char *id,
				   const struct potw_event *ev, size_t n, hg_time now,
				   struct potw_append_result *r)
{
	static const uint8_t zero[32];
	size_t i;
	int rc;

	memset(r, 0, sizeof *r);
	rc = check_id(id);
	if (rc)
		return rc;
	if (n < 1 || n > POTW_BATCH_MAX)
		return hg_fail(HG_EINVAL, "a batch holds 1 to %d events (got %zu)", POTW_BATCH_MAX, n);
	for (i = 0; i < n; i++) {
		rc = check_event(&ev[i], r);
		if (rc)
			return rc;
		if (ev[i].seq == 1 && memcmp(ev[i].prev_hash, zero, 32) != 0)
			return refuse(r, 1, "the first event's prev_hash is not all zero");
		if (i == 0)
			continue;
		if (ev[i].seq != ev[i - 1].seq + 1)
			return refuse(r, ev[i].seq, "sequence numbers do not follow on in the batch");
		if (memcmp(ev[i].prev_hash, ev[i - 1].hash, 32) != 0)
			return refuse(r, ev[i].seq, "its prev_hash is not the hash of the event before");
	}
	return st->ops->events_append_batch(st, id, ev, n, now, r);
}
