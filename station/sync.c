/* sync.c: one round of the event log's replication to the plant, over
 * HTTPS with libcurl (docs/SYNC.md is the wire contract; station/sync.h the
 * interface).
 *
 * A round asks the plant where it is (GET state), checks that what the
 * plant holds is a prefix of this log (its head hash, and the checkpoints
 * the plant cosigned before: a log cut short or rewritten is caught here as
 * well as at the plant), then sends the rest in batches.  The Merkle tree's
 * right edge (struct merkle_range) is rebuilt from the store at the plant's
 * size when the round starts (or kept from the last round when the size is
 * the same), and each batch's leaves are appended to a copy of it: the copy
 * becomes the range only when the plant took the batch.  Each batch carries
 * the checkpoint of the log up to its last event, signed with the station's
 * key under its origin (note_station_origin()); the plant answers with the
 * same checkpoint cosigned, which must verify under both keys and name the
 * same origin, size and root before it is kept.
 *
 * Failures are sorted for the caller (enum sync_outcome): the plant could
 * not be reached (connect, timeout, TLS handshake, a 5xx: try again later),
 * it refused (a pin that does not match, a 4xx, a bad cosignature: a person
 * must look), a fork (the plant holds another event at some seq, or this
 * log is shorter than what the plant holds or cosigned: nothing more is
 * sent), or the station's own store failed.  Every case ends in sync_state.
 *
 * Every request carries the RFC 9530 Content-Digest of its body and an RFC
 * 9421 signature by the station's key (core/httpsig.h; sign_headers()).
 * A batch's body is written by sync_batch_build() (station/sync_batch.c),
 * for a round and for sync_export() alike (`haulgate sync export`: the batches into a file, for
 * `haulgate-potw import`, no network); sync_set_batch_hook() lets the
 * benchmark time each batch.  After the events, the roster comes down
 * (roster_pull(): GET /api/v1/sync/roster, its chain and the plant's
 * checkpoint checked from the edge kept in sync_state, applied in one
 * transaction).  Start reading at sync_round(). */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <sodium.h>

#include "sync.h"
#include "sync_int.h"
#include "../core/chain.h"
#include "../core/httpsig.h"
#include "../core/merkle.h"
#include "../core/note.h"
#include "../core/report.h"
#include "../host/keyfile.h"

#define PATH_STATE "/api/v1/sync/state"
#define PATH_EVENTS "/api/v1/sync/events"
#define PATH_ROSTER "/api/v1/sync/roster"
#define WORDS_MAX 400		/* the plant's error words quoted */

struct sync {
	CURL *curl;
	const struct config *cfg;
	struct store *st;
	uint8_t sk[KEY_SECRET];
	char origin[NOTE_NAME_MAX + 1];
	struct note_verifier known[2];	/* [0] the station, [1] the plant */
	char base[CFG_URL_MAX];		/* [sync] url without a trailing '/' */
	char authority[CFG_URL_MAX];	/* its host[:port], as signed (@authority) */
	const char *prefix;		/* its path after the authority ("" or "/x"), in base */
	char pin[CFG_PIN_MAX];
	struct merkle_range range;	/* the right edge at range.size, when range_ok */
	int range_ok;
	const volatile sig_atomic_t *stop;
	sync_batch_fn *on_batch;	/* sync_set_batch_hook(), or NULL */
	void *on_batch_ctx;
	struct sync_buf answer;
	struct sync_buf body[2];	/* the batch being sent and the next, memory kept */
	char curl_err[CURL_ERROR_SIZE];
};

/* One round's working state. */
struct round {
	struct sync *s;
	hg_time now;
	struct sync_report *r;
	struct sync_state *state;
	enum sync_outcome fail;		/* the kind of the failure being returned */
	char plant_note[NOTE_MAX];	/* the state's cosigned checkpoint ("" none) */
	int evidence;			/* a fork found by the station: send_evidence() */
};

/* ---- the answer ---- */

static size_t on_body(char *data, size_t size, size_t n, void *arg)
{
	struct sync_buf *b = arg;

	if (sync_buf_add(b, data, size * n) < 0)
		return 0;	/* curl stops: CURLE_WRITE_ERROR */
	return size * n;
}

/* ---- outcomes ---- */

const char *sync_outcome_name(enum sync_outcome o)
{
	static const char *const names[] = {
		[SYNC_DONE] = "done", [SYNC_UNREACHABLE] = "unreachable",
		[SYNC_REFUSED] = "refused", [SYNC_FORK] = "fork",
		[SYNC_LOCAL] = "station error", [SYNC_STOPPED] = "stopped",
	};

	return (unsigned)o < HG_ARRAY_LEN(names) ? names[o] : "?";
}

enum sync_health sync_health(const struct config *cfg, const struct sync_state *st,
			     long long local_size, hg_time now)
{
	return sync_health_at(cfg, st->fork_seq, st->last_success, st->plant_size, local_size,
			      now);
}

/* Fail the round as kind with code and words (for `return fail(...)`). */
static int fail(struct round *rd, enum sync_outcome kind, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(struct round *rd, enum sync_outcome kind, int code, const char *fmt, ...)
{
	va_list ap;

	rd->fail = kind;
	va_start(ap, fmt);
	hg_failv(code, fmt, ap);
	va_end(ap);
	return code;
}

/* The station's store failed: its words are set already. */
static int local(struct round *rd, int rc)
{
	rd->fail = SYNC_LOCAL;
	return rc;
}

/* ---- open and close ---- */

int sync_open(struct sync **out, const struct config *cfg, struct store *st,
	      const struct keypair *kp)
{
	struct sync *s;
	size_t n;
	int rc;

	*out = NULL;
	if (!cfg->sync_url[0])
		return hg_fail(HG_EINVAL, "this station is not managed by a plant ([sync] url is "
			       "empty in the configuration): nothing to send");
	if (!cfg->sync_pin[0] || !cfg->sync_plant_key[0])
		return hg_fail(HG_EINVAL, "[sync] pin and plant_key must be set with url");
	s = calloc(1, sizeof *s);
	if (!s)
		return hg_fail(HG_ENOMEM, "out of memory");
	s->cfg = cfg;
	s->st = st;
	memcpy(s->sk, kp->sk, sizeof s->sk);
	s->answer.max = SYNC_ANSWER_MAX;
	s->body[0].max = SYNC_BODY_MAX;
	s->body[1].max = SYNC_BODY_MAX;
	snprintf(s->pin, sizeof s->pin, "%s", cfg->sync_pin);
	n = strlen(cfg->sync_url);
	while (n > 0 && cfg->sync_url[n - 1] == '/')
		n--;
	snprintf(s->base, sizeof s->base, "%.*s", (int)n, cfg->sync_url);
	s->prefix = s->base + 8 + strcspn(s->base + 8, "/");	/* past "https://" */
	snprintf(s->authority, sizeof s->authority, "%.*s", (int)(s->prefix - s->base - 8),
		 s->base + 8);

	rc = note_station_origin(cfg->station_id, s->origin, sizeof s->origin);
	if (rc)
		goto fail;
	snprintf(s->known[0].name, sizeof s->known[0].name, "%s", s->origin);
	memcpy(s->known[0].pk, kp->pk, NOTE_PUBLIC);
	s->known[0].id = note_key_id(s->origin, kp->pk);
	rc = note_vkey_parse(cfg->sync_plant_key, &s->known[1]);
	if (rc) {
		char why[256];

		/* hg_fail() writes where hg_error_text() reads: a copy first */
		snprintf(why, sizeof why, "%s", hg_error_text());
		rc = hg_fail(rc, "[sync] plant_key: %s", why);
		goto fail;
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		rc = hg_fail(HG_EIO, "libcurl will not start");
		goto fail;
	}
	s->curl = curl_easy_init();
	if (!s->curl) {
		rc = hg_fail(HG_EIO, "libcurl will not start");
		goto fail;
	}
	*out = s;
	return HG_OK;
fail:
	sync_close(s);
	return rc;
}

void sync_close(struct sync *s)
{
	if (!s)
		return;
	if (s->curl) {
		curl_easy_cleanup(s->curl);
		curl_global_cleanup();
	}
	sync_buf_free(&s->answer);
	sync_buf_free(&s->body[0]);
	sync_buf_free(&s->body[1]);
	sodium_memzero(s->sk, sizeof s->sk);
	free(s);
}

void sync_set_stop(struct sync *s, const volatile sig_atomic_t *stop)
{
	s->stop = stop;
}

void sync_set_batch_hook(struct sync *s, sync_batch_fn *fn, void *ctx)
{
	s->on_batch = fn;
	s->on_batch_ctx = ctx;
}

static double clock_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- one request ---- */

/* A curl failure: which kind, and the words. */
static int transport_error(struct round *rd, CURLcode cc)
{
	struct sync *s = rd->s;
	const char *why = s->curl_err[0] ? s->curl_err : curl_easy_strerror(cc);

	switch (cc) {
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
		return fail(rd, SYNC_REFUSED, HG_EREFUSED,
			    "the server at %s is not the plant's: its TLS public key does not match "
			    "[sync] pin (a wrong pin, a replaced key, or someone in between); "
			    "nothing was sent", s->base);
	case CURLE_WRITE_ERROR:
		if (s->answer.over)
			return fail(rd, SYNC_REFUSED, HG_ETOOLONG,
				    "the plant's answer is longer than %u bytes: refused",
				    SYNC_ANSWER_MAX);
		return fail(rd, SYNC_LOCAL, HG_ENOMEM, "out of memory reading the plant's answer");
	case CURLE_OUT_OF_MEMORY:
		return fail(rd, SYNC_LOCAL, HG_ENOMEM, "out of memory");
	case CURLE_URL_MALFORMAT:
		return fail(rd, SYNC_REFUSED, HG_EINVAL, "[sync] url %s: %s", s->base, why);
	default:
		return fail(rd, SYNC_UNREACHABLE, HG_EIO, "cannot reach the plant at %s: %s",
			    s->base, why);
	}
}

/* The plant's error words from a JSON answer {"error": CODE, "message":
 * TEXT} into out[cap] ("CODE: TEXT"; the start of the body when it is not
 * such JSON). */
static void plant_words(const struct sync_buf *b, char *out, size_t cap)
{
	cJSON *j = b->p ? cJSON_ParseWithLength(b->p, b->len) : NULL;
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "error");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(j, "message");

	if (cJSON_IsString(code) && cJSON_IsString(msg))
		snprintf(out, cap, "%s: %s", code->valuestring, msg->valuestring);
	else if (cJSON_IsString(code))
		snprintf(out, cap, "%s", code->valuestring);
	else
		snprintf(out, cap, "%.80s", b->p && b->len ? b->p : "no answer text");
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < ' ')
			*p = ' ';
	cJSON_Delete(j);
}

/* The fields a request is signed over (core/httpsig.h's callback). */
struct signed_fields {
	const char *digest;		/* content-digest */
	const char *type;		/* content-type, or NULL */
};

static const char *field_of(void *ctx, const char *name)
{
	const struct signed_fields *f = ctx;

	if (strcmp(name, "content-digest") == 0)
		return f->digest;
	if (strcmp(name, "content-type") == 0)
		return f->type;
	return NULL;
}

/* The headers of a request: Accept, and Content-Type for a body; then
 * Content-Digest of the body (empty for a GET), and the RFC 9421 signature
 * by the station's key (keyid the station id, alg ed25519, tag
 * HTTPSIG_TAG) over @method, @authority, @path, content-digest and
 * content-type, created at the wall clock's now: a round may last longer
 * than the plant's 5 minutes of skew, so each request reads the clock. */
static int sign_headers(struct round *rd, const char *method, const char *path,
			const char *body, size_t len, struct curl_slist **out)
{
	struct sync *s = rd->s;
	char digest[HTTPSIG_DIGEST_MAX], input[HTTPSIG_INPUT_MAX], sig[HTTPSIG_SIG_MAX];
	char line[HTTPSIG_INPUT_MAX + 32], full[CFG_URL_MAX + 64];
	const char *q = strchr(path, '?');
	struct signed_fields f = { digest, body ? "application/json" : NULL };
	struct httpsig_request req = { .method = method, .authority = s->authority,
				       .path = full, .query = q ? q + 1 : NULL,
				       .header = field_of, .ctx = &f };
	struct httpsig_params p = { .created = (hg_time)time(NULL), .keyid = s->cfg->station_id,
				    .alg = HTTPSIG_ALG, .tag = HTTPSIG_TAG };
	const char *lines[5];
	struct curl_slist *h = NULL;
	int rc, n = 0;

	*out = NULL;
	/* the query, when there is one, is signed as @query */
	snprintf(full, sizeof full, "%s%.*s", s->prefix, (int)(q ? (size_t)(q - path) :
								strlen(path)), path);
	rc = httpsig_digest(body ? body : "", body ? len : 0, digest, sizeof digest);
	if (!rc)
		rc = httpsig_sign(&req, &p, s->sk, input, sizeof input, sig, sizeof sig);
	if (rc)
		return local(rd, rc);
	lines[n++] = "Accept: application/json";
	if (body)
		lines[n++] = "Content-Type: application/json";
	for (int i = 0; i < n; i++) {
		struct curl_slist *h2 = curl_slist_append(h, lines[i]);

		if (!h2)
			goto oom;
		h = h2;
	}
	{
		const char *fmt[] = { "Content-Digest: %s", "Signature-Input: %s", "Signature: %s" };
		const char *val[] = { digest, input, sig };

		for (int i = 0; i < 3; i++) {
			struct curl_slist *h2;

			snprintf(line, sizeof line, fmt[i], val[i]);
			h2 = curl_slist_append(h, line);
			if (!h2)
				goto oom;
			h = h2;
		}
	}
	*out = h;
	return HG_OK;
oom:
	curl_slist_free_all(h);
	return fail(rd, SYNC_LOCAL, HG_ENOMEM, "out of memory");
}

/* A request set up on the client's curl handle, performed here or on the
 * POST thread, then ended (request_end()). */
struct req {
	CURL *curl;
	struct curl_slist *h;	/* its headers, freed by request_end() */
	CURLcode cc;		/* what curl_easy_perform() said */
	pthread_t thread;
	int threaded;		/* performed on its own thread: joined by post_wait() */
};

/* Set up method path (with body[len] for a POST) to the plant, signed, on
 * s->curl, its answer to go into s->answer: HG_OK, or the failure (nothing
 * to end). */
static int request_begin(struct round *rd, const char *method, const char *path,
			 const char *body, size_t len, struct req *q)
{
	struct sync *s = rd->s;
	char url[CFG_URL_MAX + 64];
	CURL *c = s->curl;
	int rc;

	memset(q, 0, sizeof *q);
	q->curl = c;
	s->answer.len = 0;
	s->answer.over = 0;
	s->curl_err[0] = '\0';
	if (s->answer.p)
		s->answer.p[0] = '\0';
	snprintf(url, sizeof url, "%s%s", s->base, path);
	rc = sign_headers(rd, method, path, body, len, &q->h);
	if (rc)
		return rc;

	curl_easy_reset(c);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
	/* the pin is the trust: no CA vouches for a plant's own certificate */
	curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, s->pin);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)SYNC_CONNECT_S);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)SYNC_REQUEST_S);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->curl_err);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &s->answer);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, q->h);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "haulgate-sync");
	if (body) {
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
	} else {
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	return HG_OK;
}

/* End a request performed: HG_OK with the status in *status and the answer
 * in s->answer, or the transport's failure. */
static int request_end(struct round *rd, struct req *q, long *status)
{
	*status = 0;
	curl_easy_setopt(q->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(q->h);
	q->h = NULL;
	if (q->cc != CURLE_OK)
		return transport_error(rd, q->cc);
	curl_easy_getinfo(q->curl, CURLINFO_RESPONSE_CODE, status);
	return HG_OK;
}

/* method path (with body[len] for a POST) to the plant, signed, here and
 * now: HG_OK with the status in *status and the answer in s->answer, or
 * the transport's failure. */
static int request(struct round *rd, const char *method, const char *path, const char *body,
		   size_t len, long *status)
{
	struct req q;
	int rc;

	*status = 0;
	rc = request_begin(rd, method, path, body, len, &q);
	if (rc)
		return rc;
	q.cc = curl_easy_perform(q.curl);
	return request_end(rd, &q, status);
}

/* ---- the POST thread ---- */

/* The POST thread: curl_easy_perform() and nothing else.  It touches only
 * the curl handle, the body it sends, s->answer and s->curl_err, which the
 * round leaves alone until post_wait(); it never calls hg_fail(). */
static void *post_main(void *arg)
{
	struct req *q = arg;

	q->cc = curl_easy_perform(q->curl);
	return NULL;
}

/* Perform q on a thread of its own, with every signal blocked there (a
 * SIGTERM of `sync run` goes to the round's thread, which checks it between
 * batches); where no thread can be made, here and now. */
static void post_start(struct req *q)
{
	sigset_t all, old;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	q->threaded = pthread_create(&q->thread, NULL, post_main, q) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!q->threaded)
		q->cc = curl_easy_perform(q->curl);
}

/* Wait for q's request to be done (its answer in s->answer). */
static void post_wait(struct req *q)
{
	if (q->threaded)
		pthread_join(q->thread, NULL);
	q->threaded = 0;
}

/* A status that is not 200: which kind, and the words.  what: "the state
 * request", "the batch from event 17". */
static int status_error(struct round *rd, long status, const char *what)
{
	char words[WORDS_MAX];

	plant_words(&rd->s->answer, words, sizeof words);
	if (status >= 500 || status == 429 || status == 408)
		return fail(rd, SYNC_UNREACHABLE, HG_EIO, "the plant's server failed on %s "
			    "(HTTP %ld %s); trying again later", what, status, words);
	return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant refused %s (HTTP %ld %s)", what,
		    status, words);
}

/* The answer as a JSON object, or a refusal. */
static int answer_json(struct round *rd, const char *what, cJSON **out)
{
	struct sync_buf *b = &rd->s->answer;

	*out = b->p ? cJSON_ParseWithLength(b->p, b->len) : NULL;
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's answer to %s is not a JSON "
			    "object", what);
	}
	return HG_OK;
}

/* A whole number in [0, 2^53] from j's member name; -1 when absent or bad. */
static long long member_count(const cJSON *j, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 9007199254740992.0 ||
	    v->valuedouble != (double)(long long)v->valuedouble)
		return -1;
	return (long long)v->valuedouble;
}

/* ---- the fork, from either side ---- */

static int fork_at(struct round *rd, long long seq, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Record a fork at seq and fail the round with the words. */
static int fork_at(struct round *rd, long long seq, const char *fmt, ...)
{
	va_list ap;

	if (rd->state->fork_seq != seq || !rd->state->fork_at)
		rd->state->fork_at = rd->now;
	rd->state->fork_seq = seq;
	rd->fail = SYNC_FORK;
	va_start(ap, fmt);
	hg_failv(HG_EREFUSED, fmt, ap);
	va_end(ap);
	return HG_EREFUSED;
}

/* ---- the state ---- */

/* The chain hash of event seq into out. */
static int take_hash(void *arg, const struct store_event_row *ev)
{
	memcpy(arg, ev->hash, 32);
	return 0;
}

static int event_hash(struct store *st, long long seq, uint8_t out[32])
{
	long long n = 0;
	int rc = store_events_read(st, seq, 1, take_hash, out, &n);

	if (rc)
		return rc;
	if (n != 1)
		return hg_fail(HG_ENOTFOUND, "event %lld is not in the log", seq);
	return HG_OK;
}

/* GET state: the plant's size into r->plant_size, after checking that what
 * it holds is this log's beginning. */
static int get_state(struct round *rd)
{
	struct sync_report *r = rd->r;
	const cJSON *head, *fk;
	uint8_t mine[32], theirs[64];
	size_t hlen = 0;
	long long size;
	cJSON *j;
	long status;
	int rc;

	rc = request(rd, "GET", PATH_STATE, NULL, 0, &status);
	if (rc)
		return rc;
	if (status != 200)
		return status_error(rd, status, "the state request");
	rc = answer_json(rd, "the state request", &j);
	if (rc)
		return rc;
	size = member_count(j, "size");
	head = cJSON_GetObjectItemCaseSensitive(j, "head");
	fk = cJSON_GetObjectItemCaseSensitive(j, "fork");
	if (size < 0 || (size > 0 && (!cJSON_IsString(head) ||
		sodium_base642bin(theirs, sizeof theirs, head->valuestring,
				  strlen(head->valuestring), NULL, &hlen, NULL,
				  sodium_base64_VARIANT_ORIGINAL) != 0 || hlen != 32))) {
		cJSON_Delete(j);
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's state has no valid size "
			    "and head");
	}
	if (cJSON_IsObject(fk)) {
		long long seq = member_count(fk, "seq");

		cJSON_Delete(j);
		if (seq <= 0)
			seq = size + 1;
		return fork_at(rd, seq, "the plant reports a fork at event %lld: it holds another "
			       "event there; nothing is sent (docs/SYNC.md: what a plant does on a "
			       "fork alarm)", seq);
	}
	{
		const cJSON *cp = cJSON_GetObjectItemCaseSensitive(j, "checkpoint");

		if (cJSON_IsString(cp) && strlen(cp->valuestring) < sizeof rd->plant_note)
			snprintf(rd->plant_note, sizeof rd->plant_note, "%s", cp->valuestring);
	}
	cJSON_Delete(j);
	r->plant_size = size;
	rd->state->plant_size = size;
	rd->evidence = 1;	/* a fork found here is shown to the plant */
	if (size > r->local_size)
		return fork_at(rd, r->local_size + 1, "the plant holds %lld events of this station's "
			       "log, the station only %lld: its log was cut short or restored from an "
			       "old backup; nothing is sent", size, r->local_size);
	if (size > 0) {
		rc = event_hash(rd->s->st, size, mine);
		if (rc)
			return local(rd, rc);
		if (memcmp(mine, theirs, 32) != 0)
			return fork_at(rd, size, "event %lld at the plant is not this station's event "
				       "%lld (the hashes differ): the log was rewritten; nothing is sent",
				       size, size);
	}
	rd->evidence = 0;
	rd->state->fork_seq = 0;
	rd->state->fork_at = 0;
	return HG_OK;
}

static int keep_cosigned(struct round *rd, const char *note, uint64_t size,
			 const uint8_t root[32], const char *what);

/* The right edge at the plant's size, and this log against the last
 * checkpoint the plant cosigned: not shorter, the same root.  The state's
 * checkpoint, when it is of the plant's size, is checked and kept (the
 * answer that carried it may have been lost). */
static int check_own(struct round *rd)
{
	struct sync *s = rd->s;
	struct merkle_reader reader = { .leaf = store_merkle_leaf, .ctx = s->st };
	static char note[STORE_NOTE_MAX];	/* one round at a time */
	uint8_t root[32], mine[32];
	long long size = rd->r->plant_size, csize = 0;
	int rc;

	if (!(s->range_ok && s->range.size == (uint64_t)size)) {
		s->range_ok = 0;
		rc = merkle_range_load(&s->range, &reader, (uint64_t)size);
		if (rc)
			return local(rd, rc);
		s->range_ok = 1;
	}
	if (rd->plant_note[0] && size > 0) {
		struct note_checkpoint cp;
		struct note_opened o;

		/* only the plant's latest, of the size it holds, can be checked
		 * against the right edge at hand */
		if (note_open(rd->plant_note, strlen(rd->plant_note), s->known, 2, 3, &o) == HG_OK &&
		    note_checkpoint_parse(rd->plant_note, o.text_len, &cp) == HG_OK &&
		    cp.size == (uint64_t)size) {
			merkle_range_root(&s->range, mine);
			rc = keep_cosigned(rd, rd->plant_note, (uint64_t)size, mine,
					   "the plant's latest checkpoint");
			if (rc)
				return rc;
		} else {
			hg_error_clear();
		}
	}
	rc = store_checkpoint_latest(s->st, &csize, root, note, sizeof note, NULL);
	if (rc == HG_ENOTFOUND)
		return HG_OK;
	if (rc)
		return local(rd, rc);
	if (csize > rd->r->local_size)
		return fork_at(rd, rd->r->local_size + 1, "the plant countersigned %lld events of "
			       "this log, the station holds only %lld: its log was cut short; nothing "
			       "is sent", csize, rd->r->local_size);
	if (csize == size) {
		merkle_range_root(&s->range, mine);
	} else {
		rc = merkle_root(&reader, (uint64_t)csize, mine);
		if (rc)
			return local(rd, rc);
	}
	if (memcmp(mine, root, 32) != 0)
		return fork_at(rd, csize, "the first %lld events of this log are not those the plant "
			       "countersigned (the roots differ): the log was rewritten; nothing is "
			       "sent", csize);
	return HG_OK;
}

/* ---- one batch ---- */

/* note must be this log's checkpoint of size leaves with root, signed by
 * the station and cosigned by the plant; then it is kept.  what: whose
 * note it is, for the words. */
static int keep_cosigned(struct round *rd, const char *note, uint64_t size,
			 const uint8_t root[32], const char *what)
{
	struct sync *s = rd->s;
	struct note_opened o;
	struct note_checkpoint cp;
	char why[256];
	int rc;

	/* hg_fail() writes where hg_error_text() reads: the words are copied */
	rc = note_open(note, strlen(note), s->known, 2, 3, &o);
	if (rc) {
		snprintf(why, sizeof why, "%s", hg_error_text());
		return fail(rd, SYNC_REFUSED, rc, "%s does not verify ([sync] plant_key): %s", what,
			    why);
	}
	rc = note_checkpoint_parse(note, o.text_len, &cp);
	if (rc || strcmp(cp.origin, s->origin) != 0 || cp.size != size ||
	    memcmp(cp.root, root, 32) != 0 || cp.extensions)
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "%s is not this log's checkpoint of "
			    "size %llu", what, (unsigned long long)size);
	rc = store_checkpoint_put(s->st, (long long)size, root, note, rd->now);
	if (rc == HG_EEXIST) {
		snprintf(why, sizeof why, "%s", hg_error_text());
		return fork_at(rd, (long long)size, "%s", why);
	}
	if (rc)
		return local(rd, rc);
	return HG_OK;
}

/* The plant's answer to a batch: its size must be ours, its checkpoint
 * ours cosigned by the plant; kept. */
static int take_cosigned(struct round *rd, const struct sync_batch *b, const uint8_t root[32])
{
	const cJSON *note;
	long long size;
	cJSON *j;
	int rc;

	rc = answer_json(rd, "the batch", &j);
	if (rc)
		return rc;
	/* the plant may hold more than the batch's end (an older state came
	 * back: the batch was events it had): its checkpoint is the batch's */
	size = member_count(j, "size");
	note = cJSON_GetObjectItemCaseSensitive(j, "checkpoint");
	if (size < (long long)b->range.size || !cJSON_IsString(note)) {
		cJSON_Delete(j);
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's answer to the batch does not "
			    "say it holds %llu events, with a checkpoint (an old answer replayed?)",
			    (unsigned long long)b->range.size);
	}
	rc = keep_cosigned(rd, note->valuestring, b->range.size, root,
			   "the plant's cosigned checkpoint");
	cJSON_Delete(j);
	return rc;
}

/* The plant's 409: a fork (recorded) or a gap (its size is not what it
 * said: another sync process?). */
static int conflict(struct round *rd, long long from)
{
	cJSON *j = cJSON_ParseWithLength(rd->s->answer.p ? rd->s->answer.p : "",
					 rd->s->answer.len);
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "error");
	long long seq = member_count(j, "seq"), size = member_count(j, "size");
	int is_fork = cJSON_IsString(code) && strcmp(code->valuestring, "fork") == 0;

	cJSON_Delete(j);
	if (is_fork)
		return fork_at(rd, seq > 0 ? seq : from, "the plant refused the batch from event "
			       "%lld: a fork at event %lld (it holds another event there); nothing "
			       "more is sent (docs/SYNC.md: what a plant does on a fork alarm)",
			       from, seq);
	if (size >= 0)
		rd->state->plant_size = size;
	return status_error(rd, 409, "the batch");
}

/* Build (sync_batch_build(), into s->body[0]) and POST the batch of at
 * most max events from event from on, here and now; start is the right
 * edge at from - 1, b->range the edge at the end.  HG_OK with the status in
 * *status (b->n 0 and no request when there is no event from there), or
 * the failure. */
static int post_batch(struct round *rd, long long from, const struct merkle_range *start,
		      long long max, struct sync_batch *b, uint8_t root[32], long *status)
{
	struct sync *s = rd->s;
	int rc;

	*status = 0;
	rc = sync_batch_build(s->st, s->origin, s->sk, from, start, max, &s->body[0], b, root);
	if (rc)
		return local(rd, rc);
	if (b->n == 0)
		return HG_OK;
	return request(rd, "POST", PATH_EVENTS, s->body[0].p, s->body[0].len, status);
}

/* Stopped (sync_set_stop()): checked between two requests. */
static int stopped(struct round *rd)
{
	if (rd->s->stop && *rd->s->stop)
		return fail(rd, SYNC_STOPPED, HG_EBUSY, "stopped before the plant had everything");
	return HG_OK;
}

/* A batch of the round: built, then sent, then taken. */
struct slot {
	struct sync_batch b;	/* its events, its edge; b.body is s->body[0] or [1] */
	uint8_t root[32];
	double t0;		/* when its building began (the batch hook's clock) */
};

/* Build into sl the batch after the edge start (at most SYNC_BATCH_MAX
 * events, into body): HG_OK with sl->b.n 0 when there is none. */
static int build_slot(struct round *rd, struct slot *sl, const struct merkle_range *start,
		      struct sync_buf *body)
{
	struct sync *s = rd->s;

	sl->t0 = s->on_batch ? clock_s() : 0;
	return sync_batch_build(s->st, s->origin, s->sk, (long long)start->size + 1, start,
				SYNC_BATCH_MAX, body, &sl->b, sl->root);
}

/* The plant's answer to the batch sl: taken (its cosigned checkpoint kept,
 * the right edge moved on, counted as sent, sync_state written), or the
 * failure. */
static int take_batch(struct round *rd, const struct slot *sl, long status)
{
	struct sync *s = rd->s;
	long long from = (long long)s->range.size + 1;
	char what[64];
	int rc;

	snprintf(what, sizeof what, "the batch from event %lld", from);
	if (status == 409)
		return conflict(rd, from);
	if (status != 200)
		return status_error(rd, status, what);
	rc = take_cosigned(rd, &sl->b, sl->root);
	if (rc)
		return rc;
	s->range = sl->b.range;
	rd->r->sent += sl->b.n;
	rd->r->batches++;
	rd->r->plant_size = (long long)s->range.size;
	rd->state->plant_size = rd->r->plant_size;
	if (s->on_batch)
		s->on_batch(s->on_batch_ctx, sl->b.n, clock_s() - sl->t0);
	rc = store_sync_set(s->st, rd->state);	/* sync status follows batch by batch */
	if (rc)
		return local(rd, rc);
	return HG_OK;
}

/* The round failed on the batch in flight while the next, from event
 * next, was built: that one is not sent, and the words say so. */
static int next_not_sent(int rc, long long next)
{
	char words[sizeof ((struct sync_state *)0)->last_error];

	snprintf(words, sizeof words, "%s", hg_error_text());
	hg_fail(rc, "%s; the batch from event %lld, built meanwhile, was not sent", words, next);
	return rc;
}

/* Send the log from the plant's size on, pipelined: while the POST thread
 * sends batch K (one request in flight, never more), this thread reads and
 * builds batch K + 1; then it takes K's answer, and only then sends K + 1.
 * When K fails, K + 1 is dropped unsent and the round ends as K's failure
 * says: what the plant acknowledged is all that counts as sent. */
static int send_all(struct round *rd)
{
	struct sync *s = rd->s;
	struct slot slot[2];
	int cur = 0, rc;

	if ((long long)s->range.size >= rd->r->local_size)
		return HG_OK;
	rc = stopped(rd);
	if (!rc)
		rc = build_slot(rd, &slot[0], &s->range, &s->body[0]);
	if (rc)
		return rd->fail == SYNC_STOPPED ? rc : local(rd, rc);
	while (slot[cur].b.n > 0) {
		struct slot *now = &slot[cur], *next = &slot[!cur];
		char built_words[sizeof rd->state->last_error];
		struct req q;
		long status;
		int brc = HG_OK;

		rc = request_begin(rd, "POST", PATH_EVENTS, now->b.body->p, now->b.body->len, &q);
		if (rc)
			return rc;
		post_start(&q);
		next->b.n = 0;
		if ((long long)now->b.range.size < rd->r->local_size) {
			brc = build_slot(rd, next, &now->b.range, &s->body[!cur]);
			if (brc)	/* said after the batch in flight is taken */
				snprintf(built_words, sizeof built_words, "%s", hg_error_text());
		}
		post_wait(&q);
		rc = request_end(rd, &q, &status);
		if (!rc)
			rc = take_batch(rd, now, status);
		if (rc)
			return next->b.n > 0 ? next_not_sent(rc, (long long)now->b.range.size + 1) : rc;
		if (brc)
			return local(rd, hg_fail(brc, "%s", built_words));
		if (next->b.n > 0) {
			rc = stopped(rd);
			if (rc)
				return rc;
		}
		cur = !cur;
	}
	return HG_OK;
}

/* A fork found before sending (the plant's head is not this log's event,
 * or the plant holds more): the station's own events at the numbers the
 * plant holds, the last SYNC_BATCH_MAX of them up to the plant's size, go
 * to the plant as evidence (docs/SYNC.md: the plant keeps both versions
 * of an event that differs, and answers 409 fork with the first).  Best
 * effort: the round fails as a fork whatever the plant answers; a 409
 * fork only makes the recorded seq exact.  The words of the fork are
 * kept, and say that the evidence went. */
static void send_evidence(struct round *rd)
{
	struct sync *s = rd->s;
	struct merkle_reader reader = { .leaf = store_merkle_leaf, .ctx = s->st };
	long long last = rd->r->plant_size < rd->r->local_size ? rd->r->plant_size :
			 rd->r->local_size;
	long long from = last > SYNC_BATCH_MAX ? last - SYNC_BATCH_MAX + 1 : 1;
	char words[sizeof rd->state->last_error];
	struct merkle_range start;
	struct sync_batch b;
	uint8_t root[32];
	long status = 0;
	int rc;

	if (last < 1)
		return;
	snprintf(words, sizeof words, "%s", hg_error_text());
	rc = merkle_range_load(&start, &reader, (uint64_t)(from - 1));
	if (!rc)
		rc = post_batch(rd, from, &start, last - from + 1, &b, root, &status);
	if (!rc && b.n > 0 && status == 409) {
		cJSON *j = cJSON_ParseWithLength(s->answer.p ? s->answer.p : "", s->answer.len);
		const cJSON *code = cJSON_GetObjectItemCaseSensitive(j, "error");
		long long seq = member_count(j, "seq");

		if (cJSON_IsString(code) && strcmp(code->valuestring, "fork") == 0 && seq > 0) {
			rd->state->fork_seq = seq;
			snprintf(words + strlen(words), sizeof words - strlen(words),
				 "; the plant was sent this station's events %lld to %lld and keeps "
				 "both versions from event %lld on", from, last, seq);
		}
		cJSON_Delete(j);
	}
	rd->fail = SYNC_FORK;
	hg_fail(HG_EREFUSED, "%s", words);
}

/* ---- the roster ---- */

/* A 32-byte base64 hash from j's member name into out: 0, or -1. */
static int member_hash(const cJSON *j, const char *name, uint8_t out[32])
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
	uint8_t t[64];
	size_t n = 0;

	if (!cJSON_IsString(v) ||
	    sodium_base642bin(t, sizeof t, v->valuestring, strlen(v->valuestring), NULL, &n,
			      NULL, sodium_base64_VARIANT_ORIGINAL) != 0 || n != 32)
		return -1;
	memcpy(out, t, 32);
	return 0;
}

/* The roster answer's checkpoint: the plant's note, signed by its key
 * alone, of its log's origin, size edge->size and edge's root. */
static int roster_checkpoint(struct round *rd, const cJSON *j, const struct merkle_range *edge)
{
	struct sync *s = rd->s;
	const cJSON *note = cJSON_GetObjectItemCaseSensitive(j, "checkpoint");
	struct note_checkpoint cp;
	struct note_opened o;
	uint8_t root[32];
	char why[256];
	int rc;

	if (!cJSON_IsString(note))
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's roster answer has events "
			    "but no checkpoint: refused, nothing applied");
	rc = note_open(note->valuestring, strlen(note->valuestring), &s->known[1], 1, 1, &o);
	if (rc) {
		snprintf(why, sizeof why, "%s", hg_error_text());
		return fail(rd, SYNC_REFUSED, rc, "the plant's roster checkpoint does not verify "
			    "([sync] plant_key): %s; nothing applied", why);
	}
	rc = note_checkpoint_parse(note->valuestring, o.text_len, &cp);
	merkle_range_root(edge, root);
	if (rc || strcmp(cp.origin, s->known[1].name) != 0 || cp.size != edge->size ||
	    memcmp(cp.root, root, 32) != 0 || cp.extensions)
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's roster checkpoint is not "
			    "that of its log of %llu events as sent (origin, size or root): the "
			    "roster was altered on the way or at the plant; nothing applied",
			    (unsigned long long)edge->size);
	return HG_OK;
}

/* The answer's pin_key_sealed opened with the station's secret key into
 * pin: 1 when there is one, 0 when it is null or absent, or the refusal. */
static int open_pin_key(struct round *rd, const cJSON *j, uint8_t pin[KEY_PIN], int *has)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "pin_key_sealed");
	uint8_t sealed[crypto_box_SEALBYTES + KEY_PIN + 8], pk[crypto_box_PUBLICKEYBYTES];
	uint8_t sk[crypto_box_SECRETKEYBYTES];
	size_t n = 0;
	int bad;

	*has = 0;
	if (!v || cJSON_IsNull(v))
		return HG_OK;
	bad = !cJSON_IsString(v) ||
	      sodium_base642bin(sealed, sizeof sealed, v->valuestring, strlen(v->valuestring),
				NULL, &n, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	      n != crypto_box_SEALBYTES + KEY_PIN ||
	      crypto_sign_ed25519_pk_to_curve25519(pk, rd->s->known[0].pk) != 0 ||
	      crypto_sign_ed25519_sk_to_curve25519(sk, rd->s->sk) != 0 ||
	      crypto_box_seal_open(pin, sealed, n, pk, sk) != 0;
	sodium_memzero(sk, sizeof sk);
	if (bad)
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's PIN key (pin_key_sealed) "
			    "does not open with this station's key: refused, nothing applied");
	*has = 1;
	return HG_OK;
}

/* The plant's PIN key as the station's own (docs/DECISIONS.md: a station
 * whose roster is the plant's checks every PIN with the plant's key), when
 * the file holds another or none. */
static int keep_pin_key(struct round *rd, const uint8_t pin[KEY_PIN])
{
	char path[CFG_PATH + 16];
	struct keypair kp;
	int rc, same;

	if (keys_pin_path(rd->s->cfg->key_path, path, sizeof path) != HG_OK)
		return fail(rd, SYNC_LOCAL, HG_ETOOLONG, "the station key path '%s' is too long",
			    rd->s->cfg->key_path);
	memset(&kp, 0, sizeof kp);
	rc = keys_pin_load(path, &kp);
	same = rc == HG_OK && sodium_memcmp(kp.pin, pin, KEY_PIN) == 0;
	sodium_memzero(&kp, sizeof kp);
	if (same)
		return HG_OK;
	hg_error_clear();
	rc = keys_pin_replace(path, pin);
	if (rc)
		return local(rd, rc);
	rd->r->pin_key_written = 1;
	return HG_OK;
}

/* GET the plant's roster events after the version applied, check their
 * chain from the kept head and the plant's checkpoint of them from the
 * kept right edge, and apply them in one transaction
 * (store_roster_apply()).  *more when the plant holds more than the
 * answer carried. */
static int roster_pull(struct round *rd, int *more)
{
	/* one round at a time: the events of one answer (as check_own()) */
	static struct store_plant_event ev[SYNC_BATCH_MAX];
	struct sync *s = rd->s;
	struct merkle_range edge;
	uint8_t prev[32], pin[KEY_PIN];
	long long version, since, v2, size;
	int has_pin = 0;
	const cJSON *evs, *e;
	char path[96];
	cJSON *j;
	long status;
	int n = 0, rc;

	*more = 0;
	rc = store_roster_edge_get(s->st, &version, prev, &edge);
	if (rc)
		return local(rd, rc);
	snprintf(path, sizeof path, PATH_ROSTER "?since=%lld", version);
	rc = request(rd, "GET", path, NULL, 0, &status);
	if (rc)
		return rc;
	if (status != 200)
		return status_error(rd, status, "the roster request");
	rc = answer_json(rd, "the roster request", &j);
	if (rc)
		return rc;
	since = member_count(j, "since");
	v2 = member_count(j, "version");
	size = member_count(j, "size");
	evs = cJSON_GetObjectItemCaseSensitive(j, "events");
	if (since != version || v2 < version || size < v2 || v2 - version > SYNC_BATCH_MAX ||
	    !cJSON_IsArray(evs) || cJSON_GetArraySize(evs) != v2 - version) {
		cJSON_Delete(j);
		return fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's roster answer is not the "
			    "events after version %lld (since, version, size, events)", version);
	}
	cJSON_ArrayForEach(e, evs) {
		const cJSON *type = cJSON_GetObjectItemCaseSensitive(e, "type");
		const cJSON *actor = cJSON_GetObjectItemCaseSensitive(e, "actor");
		const cJSON *detail = cJSON_GetObjectItemCaseSensitive(e, "detail");
		long long seq = member_count(e, "seq"), ts = member_count(e, "ts");
		long long load_no = member_count(e, "load_no");
		uint8_t ph[32], h[32], mine[32], leaf[32];
		struct chain_event ce;

		if (seq != version + n + 1 || ts < 0 || load_no < 0 || !cJSON_IsString(type) ||
		    !cJSON_IsString(actor) || !cJSON_IsString(detail) ||
		    member_hash(e, "prev_hash", ph) || member_hash(e, "hash", h)) {
			rc = fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's roster event %lld is "
				  "malformed: nothing applied", version + n + 1);
			break;
		}
		ce = (struct chain_event){ seq, (hg_time)ts, type->valuestring, load_no,
					   actor->valuestring, detail->valuestring };
		chain_hash(prev, &ce, mine);
		if (memcmp(ph, prev, 32) != 0 || memcmp(mine, h, 32) != 0) {
			rc = fail(rd, SYNC_REFUSED, HG_EREFUSED, "the plant's roster event %lld is not "
				  "the chain's (its prev_hash or its hash): the roster was altered; "
				  "nothing applied", seq);
			break;
		}
		merkle_leaf_hash(h, leaf);
		rc = merkle_range_append(&edge, leaf, NULL, NULL);
		if (rc) {
			rc = local(rd, rc);
			break;
		}
		ev[n] = (struct store_plant_event){ seq, type->valuestring, detail->valuestring };
		n++;
		memcpy(prev, h, 32);
	}
	if (!rc && n > 0)
		rc = roster_checkpoint(rd, j, &edge);
	if (!rc)
		rc = open_pin_key(rd, j, pin, &has_pin);
	if (!rc && n > 0) {
		rc = store_roster_apply(s->st, ev, n, rd->now, prev, &edge);
		if (rc == HG_EREFUSED || rc == HG_EINVAL)
			rd->fail = SYNC_REFUSED;	/* the words are set */
		else if (rc)
			rc = local(rd, rc);
	}
	cJSON_Delete(j);
	if (!rc && has_pin && v2 > 0)
		rc = keep_pin_key(rd, pin);
	sodium_memzero(pin, sizeof pin);
	if (rc)
		return rc;
	rd->state->roster_version = v2;
	rd->r->roster_applied += n;
	rd->r->roster_version = v2;
	*more = v2 < size && n > 0;
	return HG_OK;
}

/* ---- the export ---- */

int sync_export(const struct config *cfg, struct store *st, const struct keypair *kp,
		long long from, long long to, FILE *out, long long *events, int *batches)
{
	struct merkle_reader reader = { .leaf = store_merkle_leaf, .ctx = st };
	char origin[NOTE_NAME_MAX + 1];
	struct sync_buf body = { .max = SYNC_BODY_MAX };
	struct merkle_range edge;
	struct sync_batch b;
	long long size;
	uint8_t head[32], root[32];
	int rc;

	*events = 0;
	*batches = 0;
	rc = note_station_origin(cfg->station_id, origin, sizeof origin);
	if (rc)
		return rc;
	rc = store_event_head(st, &size, head);
	if (rc)
		return rc;
	if (to == 0)
		to = size;
	if (from < 1 || from > to || to > size)
		return hg_fail(HG_EINVAL, "events %lld to %lld: the log holds events 1 to %lld",
			       from, to, size);
	rc = merkle_range_load(&edge, &reader, (uint64_t)(from - 1));
	while (!rc && (long long)edge.size < to) {
		long long max = to - (long long)edge.size;

		rc = sync_batch_build(st, origin, kp->sk, (long long)edge.size + 1, &edge,
				      max < SYNC_BATCH_MAX ? max : SYNC_BATCH_MAX, &body, &b, root);
		if (rc)
			break;
		if (b.n == 0) {
			rc = hg_fail(HG_EIO, "event %llu is gone from the log",
				     (unsigned long long)edge.size + 1);
			break;
		}
		if (fwrite(body.p, 1, body.len, out) != body.len || putc('\n', out) == EOF) {
			rc = hg_fail(HG_EIO, "cannot write the export");
			break;
		}
		edge = b.range;
		*events += b.n;
		(*batches)++;
	}
	sync_buf_free(&body);
	if (!rc && fflush(out) != 0)
		rc = hg_fail(HG_EIO, "cannot write the export");
	return rc;
}

/* ---- the round ---- */

static int do_round(struct round *rd)
{
	struct sync *s = rd->s;
	uint8_t head[32];
	int rc, more = 1;

	rc = store_event_head(s->st, &rd->r->local_size, head);
	if (rc)
		return local(rd, rc);
	rc = get_state(rd);
	if (rc && rd->fail == SYNC_FORK && rd->evidence)
		send_evidence(rd);
	if (rc)
		return rc;
	rc = check_own(rd);
	if (!rc)
		rc = send_all(rd);
	while (!rc && more) {
		rc = stopped(rd);
		if (!rc)
			rc = roster_pull(rd, &more);
	}
	if (rc || rd->r->roster_applied == 0)
		return rc;
	/* the roster applied is events of this log too: they go now */
	rc = store_event_head(s->st, &rd->r->local_size, head);
	if (rc)
		return local(rd, rc);
	return send_all(rd);
}

int sync_round(struct sync *s, hg_time now, struct sync_report *r)
{
	struct sync_state state;
	struct round rd = { .s = s, .now = now, .r = r, .state = &state };
	char words[sizeof state.last_error];
	int rc, wrc;

	memset(r, 0, sizeof *r);
	rc = store_sync_get(s->st, &state);
	if (rc) {
		r->outcome = SYNC_LOCAL;
		return rc;
	}
	r->plant_size = state.plant_size;
	state.last_attempt = now;
	rc = do_round(&rd);
	if (rc) {
		snprintf(words, sizeof words, "%s", hg_error_text());
		r->outcome = rd.fail == SYNC_DONE ? SYNC_LOCAL : rd.fail;
		if (r->outcome == SYNC_STOPPED)
			words[0] = '\0';	/* stopping is no error */
	} else {
		words[0] = '\0';
		r->outcome = SYNC_DONE;
		state.last_success = now;
	}
	snprintf(state.last_error, sizeof state.last_error, "%s", words);
	wrc = store_sync_set(s->st, &state);
	if (rc) {
		hg_fail(rc, "%s", words[0] ? words : "stopped before the plant had everything");
		return rc;
	}
	if (wrc)
		r->outcome = SYNC_LOCAL;
	return wrc;
}
