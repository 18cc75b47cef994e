/* sync.h: the station's side of the event log's replication to the plant
 * (docs/SYNC.md is the wire contract).
 *
 * One round: GET /api/v1/sync/state (where the plant is with this log),
 * then POST /api/v1/sync/events in batches of at most SYNC_BATCH_MAX events
 * from the plant's size + 1 on, each with a checkpoint of the log's Merkle
 * tree signed by the station's key; the plant's cosigned checkpoint that
 * comes back is checked with [sync] plant_key and kept (db/store_sync.c).
 * Then the plant's roster: GET /api/v1/sync/roster?since=V, its chain and
 * the plant's checkpoint checked, applied in one transaction as the
 * station's own events (store_roster_apply()), the plant's PIN key kept.
 * What the round learnt goes into sync_state, so `haulgate sync status` and
 * the operator screen read it without the network.
 *
 * HTTPS through libcurl: TLS 1.2 or later, the plant's public key pinned
 * ([sync] pin; no CA is trusted), connect timeout 10 s, 60 s a request, no
 * redirects, https only; every request signed with the station's key (RFC
 * 9421, its body covered by an RFC 9530 Content-Digest: core/httpsig.h). */
#ifndef SYNC_H
#define SYNC_H

#include <signal.h>
#include <stdio.h>

#include "../core/config.h"
#include "../core/keys.h"
#include "../core/sync_health.h"
#include "../db/store.h"

#define SYNC_BATCH_MAX 1000			/* events a batch, at most */
#define SYNC_BODY_MAX (8u * 1024 * 1024)	/* bytes a request's body, at most */
#define SYNC_ANSWER_MAX (1024u * 1024)		/* bytes of an answer read */
#define SYNC_CONNECT_S 10			/* connect timeout */
#define SYNC_REQUEST_S 60			/* a whole request's timeout */

struct sync;

/* How a round ended, for the exit status and the backoff. */
enum sync_outcome {
	SYNC_DONE = 0,		/* the plant holds every event of the log */
	SYNC_UNREACHABLE,	/* no answer, a timeout, a 5xx: try again later */
	SYNC_REFUSED,		/* a refusal (pin, 4xx, bad cosignature): a person must look */
	SYNC_FORK,		/* the plant holds another event at some seq: stopped */
	SYNC_LOCAL,		/* the station's own database or keys failed */
	SYNC_STOPPED		/* *stop was set between two requests */
};

/* What one round did. */
struct sync_report {
	enum sync_outcome outcome;
	long long local_size;	/* events in the station's log */
	long long plant_size;	/* events the plant holds, as last said */
	long long sent;		/* events the plant took in this round */
	int batches;		/* batches it took */
	long long roster_applied;	/* the plant's roster events applied in this round */
	long long roster_version;	/* the plant's roster version applied, when asked */
	int pin_key_written;		/* the plant's PIN key became the station's */
};

/* Make a sync client for the station cfg describes (cfg->sync_url set, and
 * pin and plant_key: config_parse() insists), its store st and its key
 * pair kp (the secret key signs the checkpoints; copied).  st and cfg are
 * borrowed for the client's life.  HG_EINVAL when the station is not
 * plant-managed or plant_key does not parse, HG_EIO when libcurl will not
 * start; the words through hg_fail(). */
int sync_open(struct sync **out, const struct config *cfg, struct store *st,
	      const struct keypair *kp);
void sync_close(struct sync *s);

/* Between two requests, a round that finds *stop non-zero ends with
 * SYNC_STOPPED (`sync run` on SIGTERM).  NULL: never. */
void sync_set_stop(struct sync *s, const volatile sig_atomic_t *stop);

/* Per-batch timing, for the benchmark (tests/bench/bench_sync.c): fn is
 * called after each batch the plant took, with its events and the seconds
 * from starting to build it to the plant's cosigned checkpoint checked and
 * kept (CLOCK_MONOTONIC), within sync_round().  NULL: none (the default). */
typedef void sync_batch_fn(void *ctx, long long events, double seconds);
void sync_set_batch_hook(struct sync *s, sync_batch_fn *fn, void *ctx);

/* One round at time now (see the top).  HG_OK when the plant holds every
 * event (r->outcome SYNC_DONE), else an HG_E* code with the words through
 * hg_fail() and r->outcome saying which kind of failure.  sync_state is
 * written in every case but SYNC_LOCAL's failure to write it: last_attempt
 * now, last_success now on success, last_error the words, the fork when
 * the plant reports one (and cleared when the plant no longer does). */
int sync_round(struct sync *s, hg_time now, struct sync_report *r);

/* `haulgate sync export`: events from..to of st's log (to 0: its last)
 * written to out as the very bodies a round would POST to
 * /api/v1/sync/events, one JSON body a line: at most SYNC_BATCH_MAX events
 * each, each with the checkpoint of the log up to its last event signed
 * with kp's secret key under cfg->station_id's origin (the builder is the
 * round's).  No plant, no network, no [sync] settings needed; sync_state
 * is not touched (the plant's cosignatures come back with the next round's
 * state).  `haulgate-potw import` takes such a file through the plant's
 * checks for a POST.  HG_OK with *events and *batches what was written;
 * HG_EINVAL for a range outside the log (the words say it), HG_EIO when
 * out cannot be written, or the store's error. */
int sync_export(const struct config *cfg, struct store *st, const struct keypair *kp,
		long long from, long long to, FILE *out, long long *events, int *batches);

/* The words of an outcome, for logs: "done", "unreachable", ... */
const char *sync_outcome_name(enum sync_outcome o);

/* How the station stands with the plant (enum sync_health and
 * sync_health_name() are in core/sync_health.h: the offline rule is
 * policy): st (store_sync_get()) against cfg's limits at time now, with
 * local_size events in the station's log.  Values in, value out. */
enum sync_health sync_health(const struct config *cfg, const struct sync_state *st,
			     long long local_size, hg_time now);

#endif
