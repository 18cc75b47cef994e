/* api_sync.c: the plant's side of the sync (docs/SYNC.md): who is asking,
 * where the plant is with its log, and a batch of its events taken whole or
 * not at all with the checkpoint that covers it.
 *
 * potw_sync_auth() checks the request's RFC 9421 signature with core/
 * httpsig.c against the station's key as registered (a retired station's
 * key is unknown).  potw_sync_events() parses the batch (cJSON; at most
 * POTW_BATCH_MAX events, the body at most POTW_BODY_MAX bytes) and hands it
 * to potw_store_sync_batch(), which runs the whole batch in one
 * transaction.  The checkpoint's signatures are checked first, without
 * the store (note_check(): the station's signed note, its key, its origin,
 * of the batch's size), and the plant's cosignature made (note_cosign():
 * one more Ed25519 note signature under haulgate.potw/<name>), so the
 * store's lock is held for the store's work alone; check_checkpoint() is the
 * batch's hook, run inside its transaction once the events are in: the
 * note's root is the root of the events held (the store's, from the tree's
 * right edge and the batch's leaves) and extends the last checkpoint stored.
 * Then the cosigned note is stored and returned.  Every refusal is one line on stderr: station, what, why.
 * Start reading at potw_sync_events(). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <sodium.h>

#include "api.h"
#include "../core/merkle.h"
#include "../core/report.h"
#include "../host/keyfile.h"

/* ---- the answers ---- */

/* One line of the server's log: station, what, why. */
static void log_line(const char *station, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void log_line(const char *station, const char *what, const char *fmt, ...)
{
	char why[600];
	va_list ap;
	size_t i;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	for (i = 0; why[i]; i++)	/* one line, whatever the words hold */
		if (why[i] == '\n' || why[i] == '\r')
			why[i] = ' ';
	fprintf(stderr, "haulgate-potw: station %s: %s: %s\n", station && station[0] ? station : "?",
		what, why);
	fflush(stderr);
}

/* *out = status with obj printed (obj freed here).  HG_OK or HG_ENOMEM. */
static int answer(struct potw_reply *out, unsigned int status, cJSON *obj)
{
	char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;
	size_t n;

	cJSON_Delete(obj);
	out->status = status;
	out->body = NULL;
	if (!text)
		return hg_fail(HG_ENOMEM, "out of memory");
	n = strlen(text);
	out->body = malloc(n + 2);
	if (!out->body) {
		cJSON_free(text);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	memcpy(out->body, text, n);
	memcpy(out->body + n, "\n", 2);
	cJSON_free(text);
	return HG_OK;
}

/* {"error": code, "message": message} with status; seq (> 0) and size
 * (>= 0) added when given. */
static int error_reply(struct potw_reply *out, unsigned int status, const char *code,
		       const char *message, long long seq, long long size)
{
	cJSON *o = cJSON_CreateObject();

	if (o) {
		cJSON_AddStringToObject(o, "error", code);
		cJSON_AddStringToObject(o, "message", message);
		if (seq > 0)
			cJSON_AddNumberToObject(o, "seq", (double)seq);
		if (size >= 0)
			cJSON_AddNumberToObject(o, "size", (double)size);
	}
	return answer(out, status, o);
}

static int b64_encode(const uint8_t h[32], char out[48])
{
	sodium_bin2base64(out, 48, h, 32, sodium_base64_VARIANT_ORIGINAL);
	return HG_OK;
}

/* ---- the key ---- */

int potw_key_name(const char *name, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s%s", POTW_KEY_NAME_PREFIX, name);

	if (n < 0 || (size_t)n >= cap)
		return hg_fail(HG_ETOOLONG, "the plant's name '%.40s' is too long", name);
	return note_name_check(out);
}

int potw_api_init(struct potw_api *api, struct potw_store *st, const struct potw_config *cfg)
{
	struct keypair kp;
	int rc;

	memset(api, 0, sizeof *api);
	api->st = st;
	rc = potw_key_name(cfg->name, api->key_name, sizeof api->key_name);
	if (rc)
		return rc;
	memset(&kp, 0, sizeof kp);
	rc = keys_load(cfg->key, &kp);
	if (rc)
		return rc;
	memcpy(api->sk, kp.sk, sizeof api->sk);
	memcpy(api->pk, kp.pk, sizeof api->pk);
	sodium_memzero(&kp, sizeof kp);
	/* the PIN key beside the server key: none is not an error here (a
	 * plant made before it: the roster answers pin_key_sealed null, and
	 * card add says what is missing); one that cannot be read is */
	{
		char path[POTW_PATH + 16];

		rc = keys_pin_path(cfg->key, path, sizeof path);
		if (!rc)
			rc = keys_pin_load(path, &kp);
		if (!rc) {
			memcpy(api->pin, kp.pin, sizeof api->pin);
			api->has_pin = 1;
		}
		sodium_memzero(&kp, sizeof kp);
		if (rc && rc != HG_ENOTFOUND) {	/* there, but unreadable: say so */
			sodium_memzero(api->sk, sizeof api->sk);
			return rc;
		}
	}
	return HG_OK;
}

void potw_api_clear(struct potw_api *api)
{
	sodium_memzero(api->sk, sizeof api->sk);
	sodium_memzero(api->pin, sizeof api->pin);
}

/* ---- who is asking ---- */

struct key_ctx {
	const struct potw_api *api;
	int retired;		/* the keyid is a retired station's */
};

static int station_key(void *ctx, const char *keyid, uint8_t pk[32])
{
	struct key_ctx *k = ctx;
	struct potw_station s;
	int rc;

	if (!potw_station_id_ok(keyid))
		return hg_fail(HG_ENOTFOUND, "'%.40s' is not a station id", keyid);
	rc = potw_store_station_get(k->api->st, keyid, &s);
	if (rc)
		return rc;
	if (s.retired) {
		k->retired = 1;
		return hg_fail(HG_ENOTFOUND, "station '%s' is retired: its key is refused", keyid);
	}
	memcpy(pk, s.pk, 32);
	return HG_OK;
}

int potw_sync_auth(const struct potw_api *api, const struct httpsig_request *req,
		   const void *body, size_t len, hg_time now,
		   char station[POTW_STATION_ID_MAX + 1], struct potw_reply *out)
{
	struct key_ctx kc = { api, 0 };
	struct httpsig_policy pol;
	struct httpsig_result res;
	const char *fault;
	int rc;

	station[0] = '\0';
	memset(&pol, 0, sizeof pol);
	pol.label = HTTPSIG_LABEL;
	pol.now = now;
	pol.skew = HTTPSIG_SKEW;
	pol.tag = HTTPSIG_TAG;
	pol.key = station_key;
	pol.key_ctx = &kc;
	memset(&res, 0, sizeof res);
	rc = httpsig_verify(req, &pol, body, len, &res);
	if (rc == HG_OK) {
		/* station_key() took only a station id */
		memcpy(station, res.keyid, strnlen(res.keyid, POTW_STATION_ID_MAX) + 1);
		station[POTW_STATION_ID_MAX] = '\0';
		return HG_OK;
	}
	if (rc != HG_EREFUSED) {
		log_line(res.keyid, "request", "the store failed: %s", hg_error_text());
		error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
		return rc;
	}
	fault = kc.retired ? "retired" : httpsig_fault_name(res.fault);
	log_line(res.keyid, "request refused", "%s %s: %s: %s", req->method, req->path, fault,
		 hg_error_text());
	{
		cJSON *o = cJSON_CreateObject();

		if (o) {
			cJSON_AddStringToObject(o, "error", "signature");
			cJSON_AddStringToObject(o, "fault", fault);
			cJSON_AddStringToObject(o, "message", hg_error_text());
		}
		answer(out, 401, o);
	}
	return HG_EREFUSED;
}

/* ---- GET /api/v1/sync/state ---- */

int potw_sync_state(const struct potw_api *api, const char *station, hg_time now,
		    struct potw_reply *out)
{
	struct potw_checkpoint *cp = malloc(sizeof *cp);
	struct potw_log_state ls;
	long long roster = 0;
	char b64[48];
	cJSON *o;
	int rc;

	if (!cp)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = potw_store_station_touch(api->st, station, now);
	if (!rc)
		rc = potw_store_log_state(api->st, station, &ls);
	if (!rc)
		rc = potw_roster_version(api, &roster);
	if (!rc) {
		rc = potw_store_checkpoint_get(api->st, station, 0, 0, cp);
		if (rc == HG_ENOTFOUND)
			cp->cosigned[0] = '\0';
		rc = rc == HG_ENOTFOUND ? HG_OK : rc;
	}
	if (rc) {
		log_line(station, "state", "the store failed: %s", hg_error_text());
		free(cp);
		return error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
	}
	o = cJSON_CreateObject();
	if (o) {
		cJSON_AddStringToObject(o, "station", station);
		cJSON_AddNumberToObject(o, "size", (double)ls.size);
		if (ls.size > 0) {
			b64_encode(ls.head, b64);
			cJSON_AddStringToObject(o, "head", b64);
		} else {
			cJSON_AddNullToObject(o, "head");
		}
		if (cp->cosigned[0])
			cJSON_AddStringToObject(o, "checkpoint", cp->cosigned);
		else
			cJSON_AddNullToObject(o, "checkpoint");
		if (ls.fork_seq > 0) {
			cJSON *f = cJSON_AddObjectToObject(o, "fork");

			if (f) {
				cJSON_AddNumberToObject(f, "seq", (double)ls.fork_seq);
				cJSON_AddNumberToObject(f, "at", (double)ls.fork_at);
			}
		} else {
			cJSON_AddNullToObject(o, "fork");
		}
		cJSON_AddNumberToObject(o, "roster_version", (double)roster);
	}
	free(cp);
	return answer(out, 200, o);
}

/* ---- POST /api/v1/sync/events ---- */

/* A batch as parsed: the events point into the cJSON tree. */
struct batch {
	cJSON *root;
	long long from;
	size_t n;
	struct potw_event *ev;
	const char *note;	/* the checkpoint, as sent */
};

/* An integer member of o: HG_OK, or HG_EINVAL with what is wrong in why. */
static int get_int(const cJSON *o, const char *name, long long min, long long *v, char *why,
		   size_t cap, long idx)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);
	double d;

	if (!cJSON_IsNumber(j)) {
		snprintf(why, cap, "event %ld: '%s' is missing or not a number", idx, name);
		return HG_EINVAL;
	}
	d = j->valuedouble;
	if (d != floor(d) || d < (double)min || d > 9007199254740991.0) {
		snprintf(why, cap, "event %ld: '%s' is not a whole number from %lld", idx, name, min);
		return HG_EINVAL;
	}
	*v = (long long)d;
	return HG_OK;
}

static int get_text(const cJSON *o, const char *name, const char **v, char *why, size_t cap,
		    long idx)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, name);

	if (!cJSON_IsString(j) || !j->valuestring) {
		snprintf(why, cap, "event %ld: '%s' is missing or not a string", idx, name);
		return HG_EINVAL;
	}
	*v = j->valuestring;
	return HG_OK;
}

static int get_hash(const cJSON *o, const char *name, uint8_t out[32], char *why, size_t cap,
		    long idx)
{
	const char *t;
	size_t n = 0;

	if (get_text(o, name, &t, why, cap, idx))
		return HG_EINVAL;
	if (sodium_base642bin(out, 32, t, strlen(t), NULL, &n, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || n != 32) {
		snprintf(why, cap, "event %ld: '%s' is not the base64 of 32 bytes", idx, name);
		return HG_EINVAL;
	}
	return HG_OK;
}

/* Parse body[len] into *b.  HG_OK; HG_EINVAL (why says what), HG_ETOOLONG
 * (more than POTW_BATCH_MAX events), HG_ENOMEM. */
static int parse_batch(const char *body, size_t len, struct batch *b, char *why, size_t cap)
{
	const cJSON *evs, *e, *cp;
	long long v;
	size_t i;
	int n;

	memset(b, 0, sizeof *b);
	b->root = cJSON_ParseWithLength(body, len);
	if (!b->root || !cJSON_IsObject(b->root)) {
		snprintf(why, cap, "the body is not a JSON object");
		return HG_EINVAL;
	}
	if (get_int(b->root, "from", 1, &b->from, why, cap, 0)) {
		snprintf(why, cap, "'from' is missing or not a sequence number");
		return HG_EINVAL;
	}
	cp = cJSON_GetObjectItemCaseSensitive(b->root, "checkpoint");
	if (!cJSON_IsString(cp) || !cp->valuestring) {
		snprintf(why, cap, "'checkpoint' is missing or not a string");
		return HG_EINVAL;
	}
	b->note = cp->valuestring;
	evs = cJSON_GetObjectItemCaseSensitive(b->root, "events");
	if (!cJSON_IsArray(evs)) {
		snprintf(why, cap, "'events' is missing or not an array");
		return HG_EINVAL;
	}
	n = cJSON_GetArraySize(evs);
	if (n < 1) {
		snprintf(why, cap, "'events' is empty");
		return HG_EINVAL;
	}
	if (n > POTW_BATCH_MAX) {
		snprintf(why, cap, "%d events: a batch holds at most %d", n, POTW_BATCH_MAX);
		return HG_ETOOLONG;
	}
	b->ev = calloc((size_t)n, sizeof *b->ev);
	if (!b->ev)
		return hg_fail(HG_ENOMEM, "out of memory");
	i = 0;
	cJSON_ArrayForEach(e, evs) {
		struct potw_event *x = &b->ev[i];
		long idx = (long)i;

		if (!cJSON_IsObject(e)) {
			snprintf(why, cap, "event %ld is not an object", idx);
			return HG_EINVAL;
		}
		if (get_int(e, "seq", 1, &x->seq, why, cap, idx) ||
		    get_int(e, "ts", -9007199254740991LL, &v, why, cap, idx))
			return HG_EINVAL;
		x->ts = (hg_time)v;
		if (get_int(e, "load_no", 0, &x->load_no, why, cap, idx) ||
		    get_text(e, "type", &x->type, why, cap, idx) ||
		    get_text(e, "actor", &x->actor, why, cap, idx) ||
		    get_text(e, "detail", &x->detail, why, cap, idx) ||
		    get_hash(e, "prev_hash", x->prev_hash, why, cap, idx) ||
		    get_hash(e, "hash", x->hash, why, cap, idx))
			return HG_EINVAL;
		i++;
	}
	b->n = i;
	if (b->ev[0].seq != b->from) {
		snprintf(why, cap, "'from' is %lld but the first event is %lld", b->from,
			 b->ev[0].seq);
		return HG_EINVAL;
	}
	return HG_OK;
}

static void batch_free(struct batch *b)
{
	cJSON_Delete(b->root);
	free(b->ev);
}

/* What check_checkpoint() works with: the note as sent and what
 * note_check() found of it before the store was taken. */
struct cp_check {
	const struct potw_api *api;
	const char *station;
	const uint8_t *pk;	/* the station's key */
	const char *note;
	long long size;		/* the batch's last event */
	int refused;		/* HG_EREFUSED: the note is not the station's checkpoint */
	char why[400];		/* ... the words */
	uint8_t root[32];	/* the root the note says */
	char *cosigned;		/* the note with the plant's cosignature, POTW_NOTE_MAX + 1 */
};

static int cp_refuse(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int cp_refuse(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hg_failv(HG_EREFUSED, fmt, ap);
	va_end(ap);
	return HG_EREFUSED;
}

/* The checkpoint's signatures and form, CPU alone, before the batch takes
 * the store's lock: the station's signed note (its key, its origin), of the
 * batch's size, and the plant's cosignature of it made.  A refusal is kept
 * in c (refused, why) for check_checkpoint() to say at its turn, so that a
 * batch's refusals come in the same order as ever (a gap or a fork first).
 * HG_OK (refused or not), or an error that is not the station's (memory). */
static int note_check(struct cp_check *c)
{
	struct note_verifier v;
	struct note_opened *o;
	struct note_checkpoint nc;
	size_t len = strlen(c->note);
	int rc;

	if (len > NOTE_MAX)
		rc = cp_refuse("the checkpoint is longer than %d bytes", NOTE_MAX);
	else
		rc = HG_OK;
	memset(&v, 0, sizeof v);
	if (!rc)
		rc = note_station_origin(c->station, v.name, sizeof v.name);
	if (rc)
		goto out;
	memcpy(v.pk, c->pk, 32);
	v.id = note_key_id(v.name, v.pk);
	o = malloc(sizeof *o);
	if (!o)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = note_open(c->note, len, &v, 1, 1, o);
	if (rc) {
		free(o);
		rc = cp_refuse("not a note signed by the station's key: %s", hg_error_text());
		goto out;
	}
	rc = note_checkpoint_parse(c->note, o->text_len, &nc);
	free(o);
	if (rc)
		rc = cp_refuse("not a checkpoint: %s", hg_error_text());
	else if (strcmp(nc.origin, v.name) != 0)
		rc = cp_refuse("its origin is '%.80s', not '%s'", nc.origin, v.name);
	else if (nc.extensions)
		rc = cp_refuse("it has %d extension lines (none are taken)", nc.extensions);
	else if ((long long)nc.size != c->size)
		rc = cp_refuse("its size is %llu, the batch ends at %lld",
			       (unsigned long long)nc.size, c->size);
	if (rc)
		goto out;
	memcpy(c->root, nc.root, 32);
	c->cosigned = malloc(POTW_NOTE_MAX + 1);
	if (!c->cosigned)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = note_cosign(c->note, len, c->api->key_name, c->api->sk, c->cosigned,
			 POTW_NOTE_MAX + 1, NULL);
out:
	if (rc == HG_EREFUSED) {
		c->refused = rc;
		snprintf(c->why, sizeof c->why, "%s", hg_error_text());
		return HG_OK;
	}
	return rc;
}

/* The hook of potw_store_sync_batch(): the checkpoint, inside the batch's
 * transaction (docs/SYNC.md, step 4; docs/CHECKPOINTS.md, "The plant's
 * cosignature"), once note_check() has read the note: its root is the
 * root of the events held (the store's, from the tree's right edge), and it
 * extends the last checkpoint stored (that one's root is the root the log
 * had at its size: compared with the store's root before the batch when the
 * sizes meet, else a consistency proof computed from the store). */
static int check_checkpoint(void *ctx, struct potw_store *st, const struct potw_batch_tree *t,
			    struct potw_checkpoint *cp)
{
	const struct cp_check *c = ctx;
	struct merkle_proof *pf = NULL;
	struct potw_checkpoint *prev = NULL;
	struct potw_tree_ctx tc;
	struct merkle_reader rd;
	uint8_t root[32];
	int rc;

	if (c->refused)
		return cp_refuse("%s", c->why);
	if (c->size > t->held)
		return cp_refuse("its size %lld is past the %lld events held", c->size, t->held);

	potw_store_tree_reader(st, c->station, &tc, &rd);
	if (c->size == t->held) {
		memcpy(root, t->root, 32);
	} else {	/* a batch of events held already, ending below the log's end */
		rc = merkle_root(&rd, (uint64_t)c->size, root);
		if (rc)
			return rc;
	}
	if (memcmp(root, c->root, 32) != 0)
		return cp_refuse("its root is not the root of the %lld events held", c->size);

	/* a checkpoint of this size stored already: the same (same root),
	 * returned as it was cosigned */
	rc = potw_store_checkpoint_get(st, c->station, c->size, 0, cp);
	if (rc == HG_OK)
		return HG_OK;
	if (rc != HG_ENOTFOUND)
		return rc;
	prev = malloc(sizeof *prev);
	pf = malloc(sizeof *pf);
	if (!prev || !pf) {
		rc = hg_fail(HG_ENOMEM, "out of memory");
		goto out;
	}
	rc = potw_store_checkpoint_get(st, c->station, c->size, 1, prev);
	if (rc == HG_OK && prev->size == t->held_before && c->size == t->held) {
		/* the batch's tree is the tree at held_before extended */
		if (memcmp(prev->root, t->root_before, 32) != 0)
			rc = cp_refuse("it does not extend the checkpoint of size %lld stored: that "
				       "one's root is not the root of the first %lld events held",
				       prev->size, prev->size);
	} else if (rc == HG_OK) {
		rc = merkle_consistency_proof(&rd, (uint64_t)prev->size, (uint64_t)c->size, pf);
		if (rc)
			goto out;
		rc = merkle_consistency_verify((uint64_t)prev->size, (uint64_t)c->size, prev->root,
					       root, pf);
		if (rc)
			rc = cp_refuse("it does not extend the checkpoint of size %lld stored: %s",
				       prev->size, hg_error_text());
	} else if (rc == HG_ENOTFOUND) {
		rc = HG_OK;
	}
	if (rc)
		goto out;
	memset(cp, 0, sizeof *cp);
	cp->size = c->size;
	memcpy(cp->root, root, 32);
	memcpy(cp->note, c->note, strlen(c->note) + 1);
	memcpy(cp->cosigned, c->cosigned, strlen(c->cosigned) + 1);
out:
	free(prev);
	free(pf);
	return rc;
}

/* The refusal of r as docs/SYNC.md says it. */
static int refusal(const struct potw_api *api, const char *station, int rc,
		   const struct potw_append_result *r, struct potw_reply *out)
{
	struct potw_log_state ls;

	switch (r->fault) {
	case POTW_FAULT_GAP:
		ls.size = -1;
		if (potw_store_log_state(api->st, station, &ls))
			ls.size = -1;
		log_line(station, "events refused", "gap: %s", r->why);
		return error_reply(out, 409, "gap", r->why, 0, ls.size);
	case POTW_FAULT_CHAIN:
		log_line(station, "events refused", "chain: %s", r->why);
		return error_reply(out, 422, "chain", r->why, r->bad_seq, -1);
	case POTW_FAULT_FORK:
		log_line(station, "FORK", "%s", r->why);
		return error_reply(out, 409, "fork", r->why, r->bad_seq, -1);
	case POTW_FAULT_RETIRED:
		log_line(station, "events refused", "retired: %s", hg_error_text());
		return error_reply(out, 403, "retired", hg_error_text(), 0, -1);
	case POTW_FAULT_PROJECT:
		log_line(station, "events refused", "project: %s", r->why);
		return error_reply(out, 422, "project", r->why, r->bad_seq, -1);
	case POTW_FAULT_CHECKPOINT:
		log_line(station, "events refused", "checkpoint: %s", r->why);
		return error_reply(out, 422, "checkpoint", r->why, 0, -1);
	case POTW_FAULT_NONE:
		break;
	}
	log_line(station, "events", "the store failed (%d): %s", rc, hg_error_text());
	return error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
}

int potw_sync_events(const struct potw_api *api, const char *station, const char *body,
		     size_t len, hg_time now, struct potw_reply *out)
{
	struct potw_append_result r;
	struct potw_checkpoint *cp = NULL;
	struct potw_batch_hook hook;
	struct potw_station s;
	struct cp_check cc;
	struct batch b;
	char why[200];
	cJSON *o;
	int rc;

	if (len > POTW_BODY_MAX) {
		log_line(station, "events refused", "a body of %zu bytes", len);
		return error_reply(out, 413, "too-large", "a request's body is at most 8 MiB", 0, -1);
	}
	rc = potw_store_station_get(api->st, station, &s);	/* contact noted by the batch */
	if (rc) {
		log_line(station, "events", "the store failed: %s", hg_error_text());
		return error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
	}
	why[0] = '\0';
	rc = parse_batch(body, len, &b, why, sizeof why);
	if (rc) {
		batch_free(&b);
		if (rc == HG_ENOMEM)
			return error_reply(out, 500, "internal", "out of memory", 0, -1);
		log_line(station, "events refused", "malformed: %s", why);
		return error_reply(out, rc == HG_ETOOLONG ? 413 : 400,
				   rc == HG_ETOOLONG ? "too-large" : "malformed", why, 0, -1);
	}
	memset(&cc, 0, sizeof cc);
	cc.api = api;
	cc.station = station;
	cc.pk = s.pk;
	cc.note = b.note;
	cc.size = b.ev[b.n - 1].seq;
	rc = note_check(&cc);	/* the signatures, before the store is taken */
	if (rc) {
		batch_free(&b);
		free(cc.cosigned);
		log_line(station, "events", "%s", hg_error_text());
		return error_reply(out, 500, "internal", "out of memory", 0, -1);
	}
	hook.check = check_checkpoint;
	hook.ctx = &cc;
	rc = potw_store_sync_batch(api->st, station, b.ev, b.n, now, &hook, &r);
	batch_free(&b);
	free(cc.cosigned);
	if (rc == HG_OK || rc == HG_EEXIST) {
		/* the batch (or the fork's evidence) on disk before the answer
		 * says so: an fdatasync shared with the batches committed at the
		 * same time, outside the store's lock */
		int drc = potw_store_durable_station(api->st, station);

		if (drc) {
			log_line(station, "events", "the store failed: %s", hg_error_text());
			return error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
		}
	}
	if (rc)
		return refusal(api, station, rc, &r, out);

	/* the stored checkpoint, cosigned (the one just stored, or the same
	 * size's stored before) */
	cp = malloc(sizeof *cp);
	if (!cp)
		return hg_fail(HG_ENOMEM, "out of memory");
	rc = potw_store_checkpoint_get(api->st, station, cc.size, 0, cp);
	if (rc) {
		free(cp);
		log_line(station, "events", "the checkpoint just stored is gone: %s", hg_error_text());
		return error_reply(out, 500, "internal", "the plant's store failed", 0, -1);
	}
	if (r.added)
		fprintf(stderr, "haulgate-potw: station %s: events %lld to %lld taken (%lld new, "
			"%lld held already), checkpoint %lld cosigned\n", station, b.from,
			cc.size, r.added, r.dup, cc.size);
	o = cJSON_CreateObject();
	if (o) {
		cJSON_AddNumberToObject(o, "size", (double)r.held);
		cJSON_AddStringToObject(o, "checkpoint", cp->cosigned);
	}
	free(cp);
	return answer(out, 200, o);
}
