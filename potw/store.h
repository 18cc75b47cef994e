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
 * can share one database.  Errors: 0 or a negative HG_E* code, the words in
 * hg_error_text(). */
#ifndef POTW_STORE_H
#define POTW_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/hg.h"

#define POTW_STATION_ID_MAX 31	/* as the station's [station] id: letters, digits, '-' */
#define POTW_STATION_NAME_MAX LIM_NAME	/* characters */
#define POTW_BATCH_MAX 1000	/* events in one events_append_batch */
#define POTW_TYPE_MAX 32	/* bytes of an event type (the station's STORE_TYPE_MAX) */
#define POTW_ACTOR_MAX 100	/* bytes of an actor */
#define POTW_DETAIL_MAX 131072	/* bytes of an event's detail */

struct potw_store;

/* potw_store_open's flags */
enum {
	POTW_STORE_CREATE = 1	/* make a new database; an existing one is HG_EEXIST */
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

/* What events_append_batch did. */
struct potw_append_result {
	long long added;	/* new events stored */
	long long dup;		/* events already held, the same */
	long long bad_seq;	/* on a refusal or fork: the first event at fault */
	char why[200];		/* on a refusal or fork: what is wrong */
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

/* Register a station: HG_EEXIST when the id or the public key is taken
 * (a retired station's too: ids and keys are never reused). */
int potw_store_station_add(struct potw_store *st, const struct potw_station *s);
/* Retire a station at time when: its key is refused from then on, what it
 * sent is kept.  HG_ENOTFOUND, HG_EREFUSED (retired already). */
int potw_store_station_retire(struct potw_store *st, const char *id, hg_time when);
/* The station id into *out (events and forks counted).  HG_ENOTFOUND. */
int potw_store_station_get(struct potw_store *st, const char *id, struct potw_station *out);
/* Call fn for every station in id order, until fn returns non-zero (which
 * is then returned). */
int potw_store_station_each(struct potw_store *st,
			    int (*fn)(const struct potw_station *s, void *ctx), void *ctx);

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
 * evidence beside the ones held, nothing else is written). */
int potw_store_events_append_batch(struct potw_store *st, const char *id,
				   const struct potw_event *ev, size_t n, hg_time now,
				   struct potw_append_result *r);

/* Is id a station id (1 to 31 letters, digits or '-')? */
int potw_station_id_ok(const char *id);

/* hash = SHA-256(prev_hash || canonical bytes of e): chain_hash()
 * (core/chain.h), the station's own rule.  HG_OK. */
int potw_event_hash(const struct potw_event *e, uint8_t hash[32]);

#endif
