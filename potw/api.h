/* api.h: the sync's endpoints (docs/SYNC.md), apart from HTTP.
 *
 * potw/server.c reads a request (its route, its body up to POTW_BODY_MAX)
 * and hands it here; potw/api_sync.c checks the request's signature (core/
 * httpsig.h, the station's key from the store), answers GET
 * /api/v1/sync/state and POST /api/v1/sync/events, and says every refusal
 * on stderr, one line each.  Nothing here knows libmicrohttpd, so the unit
 * tests (tests/unit/test_potw_sync.c) call these functions with the bodies
 * a station sends. */
#ifndef POTW_API_H
#define POTW_API_H

#include "potw_config.h"
#include "store.h"
#include "../core/httpsig.h"
#include "../core/note.h"

#define POTW_BODY_MAX (8 * 1024 * 1024)	/* bytes of a request's body */

/* What the endpoints work with: the store and the plant's note key. */
struct potw_api {
	struct potw_store *st;
	uint8_t sk[NOTE_SECRET];		/* the plant's Ed25519 key ([server] key) */
	uint8_t pk[NOTE_PUBLIC];
	char key_name[NOTE_NAME_MAX + 1];	/* POTW_KEY_NAME_PREFIX [server] name */
	uint8_t pin[32];			/* the plant's PIN key (pin.key beside [server] key) */
	int has_pin;				/* 0: no PIN key file (a plant made before it) */
	struct potw_verifier *verifier;		/* the stations' logs verified in the background
						 * (potw/verifier.h, serve's), NULL: none */
};

/* An answer: status and a JSON body (malloc'd, the caller frees it). */
struct potw_reply {
	unsigned int status;
	char *body;
};

/* The plant's note key name for [server] name into out[cap]
 * ("haulgate.potw/<name>").  HG_OK, HG_EINVAL, HG_ETOOLONG. */
int potw_key_name(const char *name, char *out, size_t cap);

/* Fill api: st, and the key of cfg ([server] key, read through
 * host/keyfile.h) under the name of [server] name, and the plant's PIN key
 * (pin.key beside it; has_pin 0 when there is no such file).  HG_OK or an
 * error (a PIN key file that cannot be read is one). */
int potw_api_init(struct potw_api *api, struct potw_store *st, const struct potw_config *cfg);
/* Forget the key. */
void potw_api_clear(struct potw_api *api);

/* Check req's RFC 9421 signature (label HTTPSIG_LABEL, tag HTTPSIG_TAG,
 * created within HTTPSIG_SKEW of now) by a registered, active station's
 * key, the body covered by its Content-Digest.  HG_OK with station[] its
 * id (the keyid); HG_EREFUSED with *out a 401 {"error":"signature",
 * "fault":...} answer and the refusal logged; another error when the store
 * failed (*out a 500). */
int potw_sync_auth(const struct potw_api *api, const struct httpsig_request *req,
		   const void *body, size_t len, hg_time now,
		   char station[POTW_STATION_ID_MAX + 1], struct potw_reply *out);

/* GET /api/v1/sync/state for station: *out filled (200, or 500 when the
 * store failed).  HG_OK or HG_ENOMEM. */
int potw_sync_state(const struct potw_api *api, const char *station, hg_time now,
		    struct potw_reply *out);

/* POST /api/v1/sync/events from station with body[len]: the batch taken
 * whole or not at all with its checkpoint, cosigned and returned (200), or
 * the refusal of docs/SYNC.md (400, 409, 413, 422, 500), logged.  HG_OK or
 * HG_ENOMEM. */
int potw_sync_events(const struct potw_api *api, const char *station, const char *body,
		     size_t len, hg_time now, struct potw_reply *out);

/* ---- potw/roster.c: the roster, edited at the plant and sent down ---- */

struct roster_ev;

/* A roster edit at the plant: e checked (core/roster_event.c, the
 * station's checks), then, in one transaction of the plant's log, the
 * checks that need the roster (the hauler or card must exist: HG_ENOTFOUND;
 * a UID must be free: HG_EEXIST), e->id given (the next id of its table for
 * an addition), the event logged with its PIN hash in the detail, and the
 * log's new checkpoint signed by the plant's key, and the staff log's entry
 * "roster.<event type>" by staff (who made it: a page's login, or
 * "cli:<Unix user>"; potw/store_users.h) in the same transaction, all on
 * disk before it returns.  *seq_out (may be NULL) the roster's new
 * version.  HG_OK or an error (hg_error_text). */
int potw_roster_edit(const struct potw_api *api, struct roster_ev *e, const char *actor,
		     const char *staff, hg_time now, long long *seq_out);

/* GET /api/v1/sync/roster?since=V for station (query: what follows '?', or
 * NULL): the plant log's events after V (at most POTW_BATCH_MAX), the
 * plant's signed checkpoint of the last one, and the plant's PIN key sealed
 * to the station's key (docs/SYNC.md).  *out filled (200, 400, 409, 500).
 * HG_OK or HG_ENOMEM. */
int potw_sync_roster(const struct potw_api *api, const char *station, const char *query,
		     struct potw_reply *out);

/* The roster's version: the plant log's size (0 before its first edit). */
int potw_roster_version(const struct potw_api *api, long long *version);

#endif
