/* store.c: the plant server's storage interface, the part every backend
 * shares.
 *
 * potw_store_open() picks the backend by the form of its argument
 * (backends[]); every other potw_store_* function checks what it is given
 * (a station id's form, a batch's own chain: numbers, hashes, links) and
 * passes the call to st->ops.  Nothing here speaks SQL.  A batch's hashes
 * are recomputed with core/chain.h's chain_hash(), the one definition the
 * station's store appends with, so the plant checks exactly what the
 * station wrote.  potw_store_sync_batch() is the batch's one transaction,
 * told here the same for every backend: the events against those held
 * (ops->events_put), their rows through record_project() (ops->project),
 * the tree's nodes through core/merkle.h's right edge (ops->node_put), whose
 * roots before and after the batch the caller's hook (the checkpoint) is
 * given, the checkpoint stored, commit.  Every
 * call holds st->mu, so the server's threads take turns on the backend's
 * one connection; the hook's reads re-enter it (a recursive mutex).  Only
 * potw_store_durable*() run without it, so that the batches committed
 * while one waits for the disk share its sync. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "../core/chain.h"
#include "../core/merkle.h"
#include "../core/report.h"

#define LOCK(st) pthread_mutex_lock(&(st)->mu)
#define UNLOCK(st) pthread_mutex_unlock(&(st)->mu)

/* ret = call, st->mu held around it */
#define LOCKED(st, call) do { LOCK(st); rc = (call); UNLOCK(st); } while (0)

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
	for (i = 0; i < HG_ARRAY_LEN(backends); i++) {
		pthread_mutexattr_t ma;
		int rc;

		if (!backends[i]->handles(where))
			continue;
		rc = backends[i]->open(where, flags, out);
		if (rc)
			return rc;
		pthread_mutexattr_init(&ma);
		pthread_mutexattr_settype(&ma, PTHREAD_MUTEX_RECURSIVE);
		pthread_mutex_init(&(*out)->mu, &ma);
		pthread_mutexattr_destroy(&ma);
		return HG_OK;
	}
	return hg_fail(HG_EINVAL, "'%s': no storage backend takes this database", where);
}

void potw_store_close(struct potw_store *st)
{
	if (!st)
		return;
	pthread_mutex_destroy(&st->mu);
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

/* A station id, or the plant's own log's. */
static int check_id(const char *id)
{
	if (id && !strcmp(id, POTW_PLANT_LOG))
		return HG_OK;
	if (!id || !potw_station_id_ok(id))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id (1 to %d letters, digits or '-')",
			       id ? id : "", POTW_STATION_ID_MAX);
	return HG_OK;
}

/* A station's id, never the plant log's. */
static int check_station(const char *id)
{
	if (!id || !potw_station_id_ok(id))
		return hg_fail(HG_EINVAL, "'%.40s' is not a station id (1 to %d letters, digits or '-')",
			       id ? id : "", POTW_STATION_ID_MAX);
	return HG_OK;
}

int potw_store_durable(struct potw_store *st)
{
	return st->ops->durable(st, NULL);
}

int potw_store_durable_station(struct potw_store *st, const char *id)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	return st->ops->durable(st, id);
}

int potw_store_station_add(struct potw_store *st, const struct potw_station *s)
{
	int rc = check_station(s->id);

	if (rc)
		return rc;
	if (!s->name[0])
		return hg_fail(HG_EINVAL, "a station needs a name");
	LOCKED(st, st->ops->station_add(st, s));
	return rc ? rc : potw_store_durable(st);
}

int potw_store_station_retire(struct potw_store *st, const char *id, hg_time when)
{
	int rc = check_station(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->station_retire(st, id, when));
	return rc ? rc : potw_store_durable(st);
}

int potw_store_station_get(struct potw_store *st, const char *id, struct potw_station *out)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->station_get(st, id, out));
	return rc;
}

int potw_store_station_each(struct potw_store *st,
			    int (*fn)(const struct potw_station *s, void *ctx), void *ctx)
{
	int rc;

	LOCKED(st, st->ops->station_each(st, fn, ctx));
	return rc;
}

struct station_list {
	struct potw_station *s;
	size_t n, cap, max;
};

static int keep_station(const struct potw_station *s, void *ctx)
{
	struct station_list *l = ctx;
	struct potw_station *b;

	if (l->n == l->max)
		return hg_fail(HG_ETOOLONG, "more than %zu stations", l->max);
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 16;
		b = realloc(l->s, l->cap * sizeof *b);
		if (!b)
			return hg_fail(HG_ENOMEM, "out of memory");
		l->s = b;
	}
	l->s[l->n++] = *s;
	return HG_OK;
}

int potw_store_station_list(struct potw_store *st, size_t max, struct potw_station **out,
			    size_t *n)
{
	struct station_list l = { NULL, 0, 0, max };
	int rc = potw_store_station_each(st, keep_station, &l);

	if (rc) {
		free(l.s);
		l.s = NULL;
		l.n = 0;
	}
	*out = l.s;
	*n = l.n;
	return rc;
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
	return potw_store_sync_batch(st, id, ev, n, now, NULL, r);
}

/* ev[0..n) among themselves: each on its own, numbers and links. */
static int check_batch(const struct potw_event *ev, size_t n, struct potw_append_result *r)
{
	static const uint8_t zero[32];
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		rc = check_event(&ev[i], r);
		if (rc)
			return rc;
		if (ev[i].seq == 1 && memcmp(ev[i].prev_hash, zero, 32) != 0)
			return refuse(r, 1, "the first event's prev_hash is not all zero");
		if (i == 0)
			continue;
		if (ev[i].seq != ev[i - 1].seq + 1) {
			refuse(r, ev[i].seq, "sequence numbers do not follow on in the batch");
			r->fault = POTW_FAULT_GAP;
			return HG_EREFUSED;
		}
		if (memcmp(ev[i].prev_hash, ev[i - 1].hash, 32) != 0)
			return refuse(r, ev[i].seq, "its prev_hash is not the hash of the event before");
	}
	return HG_OK;
}

/* The rows of the new events ev[0..n), through the station's projection. */
static int project_events(struct potw_store *st, const char *id, const struct potw_event *ev,
			  size_t n, struct potw_append_result *r)
{
	struct rec_out *out = malloc(sizeof *out);
	struct rec_event re;
	size_t i;
	int rc = HG_OK, j;

	if (!out)
		return hg_fail(HG_ENOMEM, "out of memory");
	for (i = 0; i < n && !rc; i++) {
		re.seq = ev[i].seq;
		re.ts = ev[i].ts;
		re.type = ev[i].type;
		re.load_no = ev[i].load_no;
		re.actor = ev[i].actor;
		re.detail = ev[i].detail;
		rc = record_project(&re, out);
		if (rc) {
			r->bad_seq = ev[i].seq;
			r->fault = POTW_FAULT_PROJECT;
			snprintf(r->why, sizeof r->why, "%s", out->why);
			rc = hg_fail(HG_ECORRUPT, "station '%s': %s", id, out->why);
		}
		for (j = 0; j < out->n && !rc; j++)
			rc = st->ops->project(st, id, &out->c[j]);
		record_out_free(out);
	}
	free(out);
	return rc;
}

struct node_ctx {
	struct potw_store *st;
	const char *id;
};

static int keep_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
	struct node_ctx *c = ctx;

	if (level % POTW_NODE_EVERY != 0)
		return HG_OK;
	return c->st->ops->node_put(c->st, c->id, level, index, hash);
}

/* The kept nodes the leaves of ev[0..n) complete, after held_before: the
 * right edge at held_before loaded from the kept nodes, the leaves
 * appended; t->root_before and t->root its roots before and after. */
static int extend_tree(struct potw_store *st, const char *id, long long held_before,
		       const struct potw_event *ev, size_t n, struct potw_batch_tree *t)
{
	struct merkle_range *mr = malloc(sizeof *mr);
	struct potw_tree_ctx tc;
	struct merkle_reader rd;
	struct node_ctx nc = { st, id };
	uint8_t leaf[32];
	size_t i;
	int rc;

	if (!mr)
		return hg_fail(HG_ENOMEM, "out of memory");
	potw_store_tree_reader(st, id, &tc, &rd);
	rc = merkle_range_load(mr, &rd, (uint64_t)held_before);
	if (!rc)
		merkle_range_root(mr, t->root_before);
	for (i = 0; i < n && !rc; i++) {
		merkle_leaf_hash(ev[i].hash, leaf);
		rc = merkle_range_append(mr, leaf, keep_node, &nc);
	}
	if (!rc) {
		merkle_range_root(mr, t->root);
		t->held_before = held_before;
		t->held = held_before + (long long)n;
	}
	free(mr);
	return rc;
}

static int sync_batch(struct potw_store *st, const char *id, const struct potw_event *ev,
		      size_t n, hg_time now, const struct potw_batch_hook *hook,
		      struct potw_append_result *r)
{
	struct potw_checkpoint *cp = NULL;
	struct potw_batch_tree t;
	long long held_before = 0;
	size_t first = 0;
	int rc;

	rc = st->ops->begin(st);
	if (rc)
		return rc;
	rc = st->ops->station_touch(st, id, now);	/* in the batch's one commit */
	if (rc)
		goto rollback;
	rc = st->ops->events_put(st, id, ev, n, now, &first, &held_before, r);
	if (rc == HG_EEXIST) {
		r->fault = POTW_FAULT_FORK;
		rc = st->ops->commit(st);	/* the evidence, and nothing else */
		if (rc)
			return rc;
		return hg_fail(HG_EEXIST, "station '%s': %s", id, r->why);
	}
	if (rc)
		goto rollback;
	r->held = held_before + (long long)(n - first);
	rc = project_events(st, id, ev + first, n - first, r);
	if (rc)
		goto rollback;
	rc = extend_tree(st, id, held_before, ev + first, n - first, &t);
	if (rc)
		goto rollback;
	if (hook) {
		cp = calloc(1, sizeof *cp);
		if (!cp) {
			rc = hg_fail(HG_ENOMEM, "out of memory");
			goto rollback;
		}
		rc = hook->check(hook->ctx, st, &t, cp);
		if (rc) {
			if (rc == HG_EREFUSED) {
				r->fault = POTW_FAULT_CHECKPOINT;
				snprintf(r->why, sizeof r->why, "%s", hg_error_text());
			}
			goto rollback;
		}
		cp->received = now;
		rc = st->ops->checkpoint_put(st, id, cp);
		if (rc)
			goto rollback;
	}
	rc = st->ops->commit(st);
	if (rc)
		goto rollback;
	free(cp);
	return HG_OK;
rollback:
	{
		/* the rollback's own words must not hide why */
		char words[512];

		snprintf(words, sizeof words, "%s", hg_error_text());
		st->ops->rollback(st);
		hg_fail(rc, "%s", words);
	}
	free(cp);
	r->added = 0;
	return rc;
}

int potw_store_sync_batch(struct potw_store *st, const char *id, const struct potw_event *ev,
			  size_t n, hg_time now, const struct potw_batch_hook *hook,
			  struct potw_append_result *r)
{
	int rc;

	memset(r, 0, sizeof *r);
	rc = check_id(id);
	if (rc)
		return rc;
	if (n < 1 || n > POTW_BATCH_MAX)
		return hg_fail(HG_EINVAL, "a batch holds 1 to %d events (got %zu)", POTW_BATCH_MAX, n);
	rc = check_batch(ev, n, r);
	if (rc) {
		if (!r->fault)
			r->fault = POTW_FAULT_CHAIN;
		return rc;
	}
	LOCK(st);
	rc = sync_batch(st, id, ev, n, now, hook, r);
	if (rc && rc != HG_EEXIST) {
		/* refused, rolled back: the contact is still noted, the words kept */
		char words[512];

		snprintf(words, sizeof words, "%s", hg_error_text());
		st->ops->station_touch(st, id, now);
		hg_fail(rc, "%s", words);
	}
	UNLOCK(st);
	return rc;
}

int potw_store_event_hash(struct potw_store *st, const char *id, long long seq, uint8_t out[32])
{
	int rc;

	LOCKED(st, st->ops->event_hash(st, id, seq, out));
	return rc;
}

static int tree_leaf(void *ctx, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct potw_tree_ctx *c = ctx;
	uint8_t h[32];
	int rc;

	rc = potw_store_event_hash(c->st, c->id, (long long)index + 1, h);
	if (rc)
		return rc;
	merkle_leaf_hash(h, out);
	return HG_OK;
}

static int tree_node(void *ctx, unsigned level, uint64_t index, uint8_t out[MERKLE_HASH])
{
	struct potw_tree_ctx *c = ctx;
	int rc;

	if (level % POTW_NODE_EVERY != 0)
		return 0;
	LOCKED(c->st, c->st->ops->node_get(c->st, c->id, level, index, out));
	return rc;
}

void potw_store_tree_reader(struct potw_store *st, const char *id, struct potw_tree_ctx *ctx,
			    struct merkle_reader *rd)
{
	ctx->st = st;
	ctx->id = id;
	rd->leaf = tree_leaf;
	rd->node = tree_node;
	rd->ctx = ctx;
}

int potw_store_checkpoint_get(struct potw_store *st, const char *id, long long size, int below,
			      struct potw_checkpoint *cp)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->checkpoint_get(st, id, size, below, cp));
	return rc;
}

int potw_store_log_state(struct potw_store *st, const char *id, struct potw_log_state *out)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->log_state(st, id, out));
	return rc;
}

int potw_store_station_touch(struct potw_store *st, const char *id, hg_time now)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->station_touch(st, id, now));
	return rc;
}

int potw_store_events_each(struct potw_store *st, const char *id,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->events_each(st, id, fn, ctx));
	return rc;
}

int potw_store_events_after(struct potw_store *st, const char *id, long long after,
			    long long limit, int (*fn)(const struct potw_event *e, void *ctx),
			    void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	if (after < 0 || limit < 1)
		return hg_fail(HG_EINVAL, "events after %lld, at most %lld: not a range", after,
			       limit);
	LOCKED(st, st->ops->events_after(st, id, after, limit, fn, ctx));
	return rc;
}

int potw_store_checkpoints_each(struct potw_store *st, const char *id,
				int (*fn)(const struct potw_checkpoint *cp, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->checkpoints_each(st, id, fn, ctx));
	return rc;
}

int potw_store_rows_check(struct potw_store *st, const char *id, struct potw_rows_check *out)
{
	return potw_store_rows_check_since(st, id, 0, out);
}

int potw_store_rows_check_since(struct potw_store *st, const char *id, long long after,
				struct potw_rows_check *out)
{
	int rc = check_id(id);

	memset(out, 0, sizeof *out);
	if (rc)
		return rc;
	if (after < 0)
		return hg_fail(HG_EINVAL, "the rows of the events after %lld: not a range", after);
	LOCKED(st, st->ops->rows_check(st, id, after, out));
	return rc;
}

int potw_store_forks_each(struct potw_store *st, const char *id,
			  int (*fn)(const struct potw_fork *f, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->forks_each(st, id, fn, ctx));
	return rc;
}

/* ---- the plant's own log ---- */

static int log_append(struct potw_store *st, const uint8_t pk[32], hg_time now,
		      const struct potw_log_writer *w, struct potw_checkpoint *cp,
		      long long *seq_out)
{
	struct potw_append_result r;
	struct potw_log_state ls;
	struct potw_batch_tree t;
	struct potw_event e;
	long long held_before = 0;
	size_t first = 0;
	int rc;

	memset(&r, 0, sizeof r);
	rc = st->ops->begin(st);
	if (rc)
		return rc;
	rc = st->ops->log_open(st, pk, now);
	if (!rc)
		rc = st->ops->log_state(st, POTW_PLANT_LOG, &ls);
	if (rc)
		goto rollback;
	memset(&e, 0, sizeof e);
	rc = w->event(w->ctx, st, ls.size + 1, &e);
	if (rc)
		goto rollback;
	e.seq = ls.size + 1;
	memcpy(e.prev_hash, ls.head, 32);
	potw_event_hash(&e, e.hash);
	rc = check_event(&e, &r);
	if (!rc)
		rc = st->ops->events_put(st, POTW_PLANT_LOG, &e, 1, now, &first, &held_before, &r);
	if (!rc && first != 0)
		rc = hg_fail(HG_ECORRUPT, "the plant's log changed under its append (a bug)");
	if (!rc)
		rc = project_events(st, POTW_PLANT_LOG, &e, 1, &r);
	if (!rc)
		rc = extend_tree(st, POTW_PLANT_LOG, held_before, &e, 1, &t);
	if (rc)
		goto rollback;
	memset(cp, 0, sizeof *cp);
	cp->size = e.seq;
	memcpy(cp->root, t.root, 32);
	cp->received = now;
	rc = w->checkpoint(w->ctx, e.seq, t.root, cp);
	if (!rc)
		rc = st->ops->checkpoint_put(st, POTW_PLANT_LOG, cp);
	if (!rc)
		rc = st->ops->commit(st);
	if (rc)
		goto rollback;
	if (seq_out)
		*seq_out = e.seq;
	return HG_OK;
rollback:
	{
		char words[512];

		snprintf(words, sizeof words, "%s", hg_error_text());
		st->ops->rollback(st);
		hg_fail(rc, "%s", words);
	}
	return rc;
}

int potw_store_log_append(struct potw_store *st, const uint8_t pk[32], hg_time now,
			  const struct potw_log_writer *w, long long *seq_out)
{
	struct potw_checkpoint *cp = malloc(sizeof *cp);
	int rc;

	if (!cp)
		return hg_fail(HG_ENOMEM, "out of memory");
	LOCKED(st, log_append(st, pk, now, w, cp, seq_out));
	free(cp);
	return rc;
}

int potw_store_roster_next_id(struct potw_store *st, const char *table, long long *id)
{
	int rc;

	LOCKED(st, st->ops->roster_next_id(st, table, id));
	return rc;
}

int potw_store_roster_has(struct potw_store *st, const char *table, long long id)
{
	int rc;

	LOCKED(st, st->ops->roster_has(st, table, id));
	return rc;
}

int potw_store_roster_uid(struct potw_store *st, const char *uid, long long *id, int *op)
{
	int rc;

	LOCKED(st, st->ops->roster_uid(st, uid, id, op));
	return rc;
}

int potw_store_rec_key(struct potw_store *st, const char *id, const struct rec_table *t,
		       long long key, int (*fn)(const char *const *cells, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	if (key < 0)
		return hg_fail(HG_EINVAL, "a row's key %lld is negative", key);
	LOCKED(st, st->ops->rec_key(st, id, t, key, fn, ctx));
	return rc;
}

int potw_store_load_events(struct potw_store *st, const char *id, long long load_no,
			   int (*fn)(const struct potw_event *e, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	if (load_no < 1)
		return hg_fail(HG_EINVAL, "load %lld: not a load number", load_no);
	LOCKED(st, st->ops->load_events(st, id, load_no, fn, ctx));
	return rc;
}

int potw_store_rec_each(struct potw_store *st, const char *id, const struct rec_table *t,
			int (*fn)(const char *const *cells, void *ctx), void *ctx)
{
	int rc = check_id(id);

	if (rc)
		return rc;
	LOCKED(st, st->ops->rec_each(st, id, t, fn, ctx));
	return rc;
}
