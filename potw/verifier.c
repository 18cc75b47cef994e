/* verifier.c: the background verifier (potw/verifier.h).
 *
 * One thread, run(): its own store handle, then a pass over the stations
 * every VERIFY_TICK seconds until told to stop.  A pass lists the stations
 * (ids and events held), then verifies those due (due()) one at a time,
 * outside the results' mutex; the results are slots[], one per station
 * seen, grown as stations come.  Each slot keeps where its last good
 * verification ended (a potw_verify_mark): a log that grew is verified
 * from there (the new events, the rows of the loads they touched); the
 * whole log at the first pass, every interval seconds and after any
 * result but "verified" (docs/DECISIONS.md, "The verifier goes on from
 * where it ended").  Stopping sets stop, which the walk reads between
 * events (potw_verify_station_since()) and sqlite's progress handler
 * inside the rows check, wakes the thread's wait, and joins it.
 * Start reading at run(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>
#include <sqlite3.h>

#include "store_sqlite_ext.h"
#include "verifier.h"
#include "verify.h"
#include "../core/note.h"
#include "../core/report.h"

#define VERIFY_TICK 1		/* seconds between passes */
#define VERIFY_SETTLE 3		/* seconds a grown log is left before it is verified */
#define VERIFY_STATIONS 10000	/* stations kept (as the stations page's rows) */
#define PROGRESS_OPS 1000	/* sqlite steps between two looks at stop */

struct slot {
	char id[POTW_STATION_ID_MAX + 1];
	struct potw_verified r;
	hg_time tried;		/* the last attempt began (0: never) */
	long long tried_size;	/* the events it took in */
	hg_time grown;		/* when the log was first seen past tried_size, 0: not */
	hg_time whole;		/* the last whole verification began (0: never) */
	struct potw_verify_mark mark;	/* where the last good one ended; zero: none */
};

struct potw_verifier {
	char db[256];
	uint8_t pk[32];
	char key_name[NOTE_NAME_MAX + 1];
	int interval;
	int stop;			/* read and written atomically */
	pthread_t thread;
	pthread_mutex_t mu;		/* slots, and the wait */
	pthread_cond_t cv;
	struct slot *slots;
	size_t n, cap;
};

static int stopping(struct potw_verifier *v)
{
	return __atomic_load_n(&v->stop, __ATOMIC_RELAXED);
}

/* sqlite's progress handler: not 0 interrupts the statement. */
static int interrupted(void *ctx)
{
	return stopping(ctx);
}

/* Station id's slot, made if new (v->mu held).  NULL: out of memory. */
static struct slot *slot_of(struct potw_verifier *v, const char *id, int make)
{
	struct slot *b;
	size_t i;

	for (i = 0; i < v->n; i++)
		if (!strcmp(v->slots[i].id, id))
			return &v->slots[i];
	if (!make)
		return NULL;
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 16;

		b = realloc(v->slots, cap * sizeof *b);
		if (!b)
			return NULL;
		v->slots = b;
		v->cap = cap;
	}
	memset(&v->slots[v->n], 0, sizeof v->slots[v->n]);
	snprintf(v->slots[v->n].id, sizeof v->slots[v->n].id, "%s", id);
	return &v->slots[v->n++];
}

enum { NOT_DUE = 0, SINCE, WHOLE };

/* Is s to be verified now, and how?  WHOLE: never tried, interval seconds
 * since the last whole verification, or the last result not "verified";
 * SINCE (from its mark): its log grown and left VERIFY_SETTLE seconds. */
static int due(struct potw_verifier *v, const struct potw_station *s, hg_time now)
{
	struct slot *sl;
	int how = NOT_DUE;

	pthread_mutex_lock(&v->mu);
	sl = slot_of(v, s->id, 1);
	if (sl && !sl->tried) {
		how = WHOLE;
	} else if (sl) {
		if (s->events != sl->tried_size && !sl->grown)
			sl->grown = now;
		if (now - sl->whole >= v->interval ||
		    (sl->r.state != POTW_VERIFIED_OK && now - sl->tried >= v->interval))
			how = WHOLE;
		else if (sl->grown && now - sl->grown >= VERIFY_SETTLE)
			how = sl->mark.size ? SINCE : WHOLE;
	}
	pthread_mutex_unlock(&v->mu);
	return how;
}

/* Verify s (how: due()'s) and keep the result and the mark (a store
 * failure: said, the last result kept, tried again whole at the next
 * interval). */
static void verify_one(struct potw_verifier *v, struct potw_store *st,
		       const struct potw_station *s, hg_time began, int how)
{
	struct potw_verify *r = calloc(1, sizeof *r);
	struct potw_verify_mark *m = calloc(1, sizeof *m);
	struct slot *sl;
	int rc;

	if (!r || !m) {
		fprintf(stderr, "haulgate-potw: verifier: out of memory\n");
		free(r);
		free(m);
		return;
	}
	pthread_mutex_lock(&v->mu);
	sl = slot_of(v, s->id, 0);
	if (sl && how == SINCE)
		*m = sl->mark;
	pthread_mutex_unlock(&v->mu);
	rc = potw_verify_station_since(st, s->id, v->pk, v->key_name, &v->stop, m, r);
	if (stopping(v)) {
		free(r);
		free(m);
		return;
	}
	if (rc && rc != HG_ECORRUPT)
		fprintf(stderr, "haulgate-potw: verifier: %s: %s\n", s->id, hg_error_text());
	pthread_mutex_lock(&v->mu);
	sl = slot_of(v, s->id, 1);
	if (sl) {
		sl->tried = began;
		if (how == WHOLE || (rc == HG_OK && !r->from))	/* asked whole, or made so */
			sl->whole = began;
		if (rc == HG_OK)
			sl->mark = *m;
		else
			memset(&sl->mark, 0, sizeof sl->mark);	/* whole next time */
		sl->tried_size = rc == HG_OK && r->events > s->events ? r->events : s->events;
		sl->grown = 0;
		if (rc == HG_OK || rc == HG_ECORRUPT) {
			sl->r.state = rc == HG_OK ? POTW_VERIFIED_OK : POTW_VERIFIED_BROKEN;
			sl->r.size = rc == HG_OK ? r->events : s->events;
			sl->r.at = (hg_time)time(NULL);
			sl->r.first_bad = rc == HG_OK ? 0 : r->first_bad;
			snprintf(sl->r.what, sizeof sl->r.what, "%s", rc == HG_OK ? "" : r->what);
		}
	}
	pthread_mutex_unlock(&v->mu);
	free(r);
	free(m);
}

/* One pass: every station due verified, in the store's order. */
static void pass(struct potw_verifier *v, struct potw_store *st)
{
	struct potw_station *sts;
	hg_time now;
	size_t i, n;
	int rc;

	rc = potw_store_station_list(st, VERIFY_STATIONS, &sts, &n);
	if (rc) {
		if (!stopping(v))
			fprintf(stderr, "haulgate-potw: verifier: stations: %s\n", hg_error_text());
		return;
	}
	for (i = 0; i < n && !stopping(v); i++) {
		int how;

		now = (hg_time)time(NULL);
		how = due(v, &sts[i], now);
		if (how != NOT_DUE)
			verify_one(v, st, &sts[i], now, how);
	}
	free(sts);
}

/* Wait VERIFY_TICK seconds, or until stopped. */
static void wait_tick(struct potw_verifier *v)
{
	struct timespec until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += VERIFY_TICK;
	pthread_mutex_lock(&v->mu);
	while (!stopping(v) && pthread_cond_timedwait(&v->cv, &v->mu, &until) == 0)
		;
	pthread_mutex_unlock(&v->mu);
}

static void *run(void *arg)
{
	struct potw_verifier *v = arg;
	struct potw_store *st;
	sqlite3 *db;
	int rc;

	rc = potw_store_open(v->db, POTW_STORE_READER, &st);
	if (rc) {
		fprintf(stderr, "haulgate-potw: verifier: not started: %s\n", hg_error_text());
		return NULL;
	}
	db = potw_store_sqlite_db(st);
	if (db)
		sqlite3_progress_handler(db, PROGRESS_OPS, interrupted, v);
	while (!stopping(v)) {
		pass(v, st);
		wait_tick(v);
	}
	potw_store_close(st);
	return NULL;
}

int potw_verifier_start(const char *db, const uint8_t pk[32], const char *key_name,
			int interval, struct potw_verifier **out)
{
	struct potw_verifier *v;
	pthread_condattr_t ca;

	*out = NULL;
	if (strlen(db) >= sizeof v->db || strlen(key_name) >= sizeof v->key_name)
		return hg_fail(HG_ETOOLONG, "the database path or the key name is too long");
	v = calloc(1, sizeof *v);
	if (!v)
		return hg_fail(HG_ENOMEM, "out of memory");
	snprintf(v->db, sizeof v->db, "%s", db);
	memcpy(v->pk, pk, 32);
	snprintf(v->key_name, sizeof v->key_name, "%s", key_name);
	v->interval = interval > 0 ? interval : 1;
	pthread_mutex_init(&v->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&v->cv, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&v->thread, NULL, run, v) != 0) {
		pthread_cond_destroy(&v->cv);
		pthread_mutex_destroy(&v->mu);
		free(v);
		return hg_fail(HG_EIO, "cannot start the verifier's thread");
	}
	*out = v;
	return HG_OK;
}

void potw_verifier_stop(struct potw_verifier *v)
{
	if (!v)
		return;
	pthread_mutex_lock(&v->mu);
	__atomic_store_n(&v->stop, 1, __ATOMIC_RELAXED);
	pthread_cond_signal(&v->cv);
	pthread_mutex_unlock(&v->mu);
	pthread_join(v->thread, NULL);
	pthread_cond_destroy(&v->cv);
	pthread_mutex_destroy(&v->mu);
	free(v->slots);
	free(v);
}

void potw_verifier_get(struct potw_verifier *v, const char *id, struct potw_verified *out)
{
	struct slot *sl;

	memset(out, 0, sizeof *out);
	if (!v)
		return;
	pthread_mutex_lock(&v->mu);
	sl = slot_of(v, id, 0);
	if (sl)
		*out = sl->r;
	pthread_mutex_unlock(&v->mu);
}
