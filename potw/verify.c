/* verify.c: a station's log at the plant, checked from the first event
 * (potw/verify.h).
 *
 * One walk over the events in order (potw_store_events_each): each one's
 * number, link and hash; its leaf appended to a merkle_range, whose
 * completed subtrees are compared with the nodes the store kept (the ones
 * proofs are read from) and whose root, at each stored checkpoint's size,
 * with that checkpoint's root.  The checkpoints are read first (sizes and
 * roots; each note opened with the station's and the plant's keys), so the
 * walk needs no second pass.  Then the rec_* rows are rebuilt from the
 * events and compared (potw_store_rows_check()).  Start reading at
 * potw_verify_station(). */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify.h"
#include "../core/merkle.h"
#include "../core/note.h"
#include "../core/report.h"

#define AGAIN 1		/* pass(): a whole pass is needed */

struct cp_root {
	long long size;
	uint8_t root[32];
};

struct walk {
	struct potw_store *st;
	const char *id;
	struct potw_verify *r;
	struct note_verifier keys[2];	/* the station's, the plant's */
	size_t nkeys;			/* 1 for the plant's own log: the plant's key alone */
	struct cp_root *cps;
	size_t ncps, cap, next;		/* next: the first checkpoint not reached */
	struct merkle_range *mr;
	struct merkle_reader rd;	/* the store's tree (its kept nodes) */
	struct potw_tree_ctx tc;
	uint8_t prev[32];
	const int *stop;		/* given up once not 0, NULL: never */
	long long from;			/* the events taken as verified (a mark's size) */
	long long old_cps;		/* checkpoints of a size up to from: not checked again */
};

static int fault(struct potw_verify *r, const char *what, long long at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fault(struct potw_verify *r, const char *what, long long at, const char *fmt, ...)
{
	va_list ap;

	r->first_bad = at;
	snprintf(r->what, sizeof r->what, "%s", what);
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof r->why, fmt, ap);
	va_end(ap);
	return hg_fail(HG_ECORRUPT, "%s at %lld: %s", what, at, r->why);
}

/* A stored checkpoint: its note opened with both keys, its text its row. */
static int take_checkpoint(const struct potw_checkpoint *cp, void *ctx)
{
	struct walk *w = ctx;
	struct note_opened *o;
	struct note_checkpoint nc;
	int rc;

	if (cp->size <= w->from) {	/* checked by the pass that made the mark */
		w->old_cps++;
		return HG_OK;
	}
	o = malloc(sizeof *o);
	if (!o)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = note_open(cp->cosigned, strlen(cp->cosigned), w->keys, w->nkeys,
		       w->nkeys == 2 ? 3 : 1, o);
	if (rc == HG_OK)
		rc = note_checkpoint_parse(cp->cosigned, o->text_len, &nc);
	free(o);
	if (rc)
		return fault(w->r, "checkpoint", cp->size, "%s", hg_error_text());
	if ((long long)nc.size != cp->size || memcmp(nc.root, cp->root, 32) != 0 ||
	    strcmp(nc.origin, w->keys[0].name) != 0 ||
	    strncmp(cp->cosigned, cp->note, strlen(cp->note)) != 0)
		return fault(w->r, "checkpoint", cp->size, "its note is not its row (size, root, "
			     "origin or the station's note)");
	if (w->ncps == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 64;
		struct cp_root *n = realloc(w->cps, cap * sizeof *n);

		if (!n)
			return hg_fail(HG_ENOMEM, "out of memory");
		w->cps = n;
		w->cap = cap;
	}
	w->cps[w->ncps].size = cp->size;
	memcpy(w->cps[w->ncps].root, cp->root, 32);
	w->ncps++;
	return HG_OK;
}

/* A subtree the walk completed: the store's kept node must be it. */
static int check_node(void *ctx, unsigned level, uint64_t index, const uint8_t hash[32])
{
	struct walk *w = ctx;
	uint8_t held[32];
	int rc;

	rc = w->rd.node(w->rd.ctx, level, index, held);
	if (rc < 0)
		return rc;
	if (rc == 0) {
		if (level % POTW_NODE_EVERY == 0)
			return fault(w->r, "tree", (long long)((index + 1) << level),
				     "the node of level %u at %llu is missing", level,
				     (unsigned long long)index);
		return HG_OK;
	}
	if (memcmp(held, hash, 32) != 0)
		return fault(w->r, "tree", (long long)((index + 1) << level),
			     "the node of level %u at %llu is not the events'", level,
			     (unsigned long long)index);
	w->r->nodes++;
	return HG_OK;
}

static int take_event(const struct potw_event *e, void *ctx)
{
	struct walk *w = ctx;
	struct potw_verify *r = w->r;
	uint8_t h[32], leaf[32], root[32];
	int rc;

	if (w->stop && __atomic_load_n(w->stop, __ATOMIC_RELAXED))
		return hg_fail(HG_EBUSY, "station '%s': the verification was stopped", w->id);
	if (e->seq != r->events + 1)
		return fault(r, "chain", r->events + 1, "event %lld is missing", r->events + 1);
	if (memcmp(e->prev_hash, w->prev, 32) != 0)
		return fault(r, "chain", e->seq, "its prev_hash is not the hash of the event before");
	potw_event_hash(e, h);
	if (memcmp(h, e->hash, 32) != 0)
		return fault(r, "chain", e->seq, "its hash is not the hash of its content");
	memcpy(w->prev, e->hash, 32);
	r->events++;
	merkle_leaf_hash(e->hash, leaf);
	rc = merkle_range_append(w->mr, leaf, check_node, w);
	if (rc)
		return rc;
	while (w->next < w->ncps && w->cps[w->next].size == e->seq) {
		merkle_range_root(w->mr, root);
		if (memcmp(root, w->cps[w->next].root, 32) != 0)
			return fault(r, "checkpoint", e->seq, "its root is not the root of the "
				     "events held");
		r->checkpoints++;
		w->next++;
	}
	return HG_OK;
}

int potw_verify_station(struct potw_store *st, const char *id, const uint8_t pk[32],
			const char *key_name, struct potw_verify *r)
{
	return potw_verify_station_until(st, id, pk, key_name, NULL, r);
}

int potw_verify_station_until(struct potw_store *st, const char *id, const uint8_t pk[32],
			      const char *key_name, const int *stop, struct potw_verify *r)
{
	struct potw_verify_mark *m = calloc(1, sizeof *m);
	int rc;

	if (!m)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = potw_verify_station_since(st, id, pk, key_name, stop, m, r);
	free(m);
	return rc;
}

/* One pass from mark m (whole when m->size is 0; *m moved on HG_OK); a
 * pass from a mark that finds a checkpoint of the verified part it has
 * not seen returns AGAIN (the caller then makes it whole). */
static int pass(struct potw_store *st, const char *id, const uint8_t pk[32],
		const char *key_name, const int *stop, struct potw_verify_mark *m,
		struct potw_verify *r)
{
	struct potw_rows_check rows;
	struct potw_station s;
	struct walk w;
	uint8_t held[32];
	int rc;

	memset(r, 0, sizeof *r);
	memset(&w, 0, sizeof w);
	rc = potw_store_station_get(st, id, &s);
	if (rc)
		return rc;
	r->forks = s.forks;
	w.st = st;
	w.id = id;
	w.stop = stop;
	w.r = r;
	w.nkeys = 2;
	snprintf(w.keys[1].name, sizeof w.keys[1].name, "%s", key_name);
	memcpy(w.keys[1].pk, pk, 32);
	w.keys[1].id = note_key_id(key_name, pk);
	if (!strcmp(id, POTW_PLANT_LOG)) {
		/* the plant's own log: its checkpoints are the plant's notes alone,
		 * under its note key name, and its row holds the plant's key */
		if (memcmp(s.pk, pk, 32) != 0)
			return fault(r, "checkpoint", 0, "the plant's log was made under another "
				     "key than [server] key's");
		w.keys[0] = w.keys[1];
		w.nkeys = 1;
	} else {
		rc = note_station_origin(id, w.keys[0].name, sizeof w.keys[0].name);
		if (rc)
			return rc;
		memcpy(w.keys[0].pk, s.pk, 32);
		w.keys[0].id = note_key_id(w.keys[0].name, s.pk);
	}
	if (m->size) {	/* the event the mark ended on is still the one verified */
		rc = potw_store_event_hash(st, id, m->size, held);
		if (rc == HG_ENOTFOUND || (!rc && memcmp(held, m->hash, 32) != 0))
			return fault(r, "chain", m->size, "it is not the event verified before");
		if (rc)
			return rc;
	}
	w.from = r->from = r->events = m->size;
	memcpy(w.prev, m->hash, 32);
	w.mr = malloc(sizeof *w.mr);
	if (!w.mr)
		return hg_fail(HG_ENOMEM, "out of memory");
	*w.mr = m->tree;
	potw_store_tree_reader(st, id, &w.tc, &w.rd);
	rc = potw_store_checkpoints_each(st, id, take_checkpoint, &w);
	if (!rc && w.old_cps != m->checkpoints)
		rc = AGAIN;	/* a checkpoint of the verified part came since */
	if (!rc)
		rc = m->size ? potw_store_events_after(st, id, m->size, LLONG_MAX, take_event, &w)
			     : potw_store_events_each(st, id, take_event, &w);
	if (!rc && w.next < w.ncps)
		rc = fault(r, "checkpoint", w.cps[w.next].size, "of a size past the %lld events "
			   "held", r->events);
	if (!rc && stop && __atomic_load_n(stop, __ATOMIC_RELAXED))
		rc = hg_fail(HG_EBUSY, "station '%s': the verification was stopped", id);
	if (!rc) {
		rc = potw_store_rows_check_since(st, id, m->size, &rows);
		r->rows = rows.rows;
		if (rc == HG_ECORRUPT)
			rc = fault(r, "tables", 0, "%s: %s", rows.table, rows.why);
	}
	if (!rc) {
		m->size = r->events;
		memcpy(m->hash, w.prev, 32);
		m->checkpoints = w.old_cps + (long long)w.ncps;
		m->tree = *w.mr;
	}
	free(w.cps);
	free(w.mr);
	return rc;
}

int potw_verify_station_since(struct potw_store *st, const char *id, const uint8_t pk[32],
			      const char *key_name, const int *stop,
			      struct potw_verify_mark *mark, struct potw_verify *r)
{
	int rc = pass(st, id, pk, key_name, stop, mark, r);

	if (rc == AGAIN) {	/* whole, from a mark of none */
		struct potw_verify_mark *m = calloc(1, sizeof *m);

		if (!m)
			return hg_fail(HG_ENOMEM, "out of memory");
		rc = pass(st, id, pk, key_name, stop, m, r);
		if (!rc)
			*mark = *m;
		free(m);
	}
	return rc;
}
