/* roster.c: the roster at the plant: edited by the staff, logged in the
 * plant's own log, and sent down to the stations (docs/SYNC.md, "GET
 * /api/v1/sync/roster").
 *
 * potw_roster_edit() is the plant's store_hauler_add() and its siblings at
 * once: the edit is a struct roster_ev, checked by core/roster_event.c (the
 * station's own checks and details), then appended to the plant's log by
 * potw_store_log_append(), whose transaction calls write_event() here for
 * the checks that need the roster (rec_* rows of POTW_PLANT_LOG, built by
 * core/record.c like every station's) and sign_checkpoint() for the log's
 * new checkpoint, a C2SP signed note under the plant's key.  The roster's
 * version is the log's size.  potw_sync_roster() answers a station with the
 * events after its version, the checkpoint of the last, and the plant's PIN
 * key sealed to the station's Ed25519 key (crypto_box_seal to its X25519
 * form), so the PIN hashes made here can be checked there.  The policy
 * (policy_set, policy_unset: potw/cmd_policy.c) goes the same way; its
 * checks here: the station named is registered, the value unset is set.
 * Start reading at potw_roster_edit(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>
#include <sodium.h>

#include "api.h"
#include "store_users.h"
#include "../core/config_policy.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/roster_event.h"

/* ---- an edit ---- */

struct edit {
	const struct potw_api *api;
	struct roster_ev *e;
	const char *actor, *staff;
	hg_time now;
	char uid[LIM_UID + 1];
	char *detail;		/* cJSON_free */
};

static int need_hauler(struct potw_store *st, long long id)
{
	int rc = potw_store_roster_has(st, "haulers", id);

	if (rc < 0)
		return rc;
	if (rc == 0)
		return hg_fail(HG_ENOTFOUND, "no hauler with id %lld", id);
	return HG_OK;
}

static int uid_free(struct potw_store *st, const char *uid)
{
	long long id;
	int op, rc = potw_store_roster_uid(st, uid, &id, &op);

	if (rc < 0)
		return rc;
	if (rc == 1)
		return hg_fail(HG_EEXIST, "card %s is already registered", uid);
	return HG_OK;
}

/* ---- the policy (core/config_policy.h) ---- */

struct policy_find {
	const struct roster_ev *e;
	int found;
};

static int policy_row(const char *const *cells, void *ctx)
{
	struct policy_find *f = ctx;

	if (!strcmp(cells[0], f->e->scope) && !strcmp(cells[1], f->e->section) &&
	    !strcmp(cells[2], f->e->key) && !strcmp(cells[4], "1"))
		f->found = 1;
	return 0;
}

/* A value for one station needs the station registered; an unset needs the
 * value set. */
static int policy_checks(struct potw_store *st, const struct roster_ev *e)
{
	struct policy_find f = { e, 0 };
	struct potw_station s;
	int rc;

	if (strcmp(e->scope, CFG_POLICY_ALL) != 0) {
		rc = potw_store_station_get(st, e->scope, &s);
		if (rc == HG_ENOTFOUND)
			return hg_fail(rc, "no station '%s' is registered (haulgate-potw station "
				       "list)", e->scope);
		if (rc)
			return rc;
	}
	if (e->kind == RE_POLICY_SET)
		return HG_OK;
	rc = potw_store_rec_each(st, POTW_PLANT_LOG, record_table("policy"), policy_row, &f);
	if (rc)
		return rc;
	if (!f.found)
		return hg_fail(HG_ENOTFOUND, "%s.%s is not set at the plant for %s%s", e->section,
			       e->key, strcmp(e->scope, CFG_POLICY_ALL) ? "station " : "all stations",
			       strcmp(e->scope, CFG_POLICY_ALL) ? e->scope : "");
	return HG_OK;
}

/* The roster's own checks and the row's id, inside the log's transaction. */
static int roster_checks(struct edit *x, struct potw_store *st)
{
	struct roster_ev *e = x->e;
	int rc, op = 0;

	switch (e->kind) {
	case RE_HAULER_ADDED:
		return potw_store_roster_next_id(st, "haulers", &e->id);
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
	case RE_PERMIT:
	case RE_ANALYSIS:
		return need_hauler(st, e->id);
	case RE_CARD_ADDED:
		rc = uid_free(st, x->uid);
		if (!rc)
			rc = need_hauler(st, e->hauler_id);
		if (!rc)
			rc = potw_store_roster_next_id(st, "cards", &e->id);
		return rc;
	case RE_CARD_REVOKED:
		rc = potw_store_roster_uid(st, x->uid, &e->id, &op);
		if (rc < 0)
			return rc;
		if (rc == 0 || op)
			return hg_fail(HG_ENOTFOUND, "no hauler card %s", x->uid);
		return HG_OK;
	case RE_TRUCK_ADDED:
		rc = need_hauler(st, e->hauler_id);
		if (!rc)
			rc = potw_store_roster_next_id(st, "trucks", &e->id);
		return rc;
	case RE_OPERATOR_ADDED:
		rc = uid_free(st, x->uid);
		if (!rc)
			rc = potw_store_roster_next_id(st, "operators", &e->id);
		return rc;
	case RE_POLICY_SET:
	case RE_POLICY_UNSET:
		return policy_checks(st, e);
	default:
		return hg_fail(HG_EINVAL, "not a roster event");
	}
}

/* The staff log's entry of the edit (potw/store_users.h), inside the log's
 * transaction: "roster.<type>" and what it changed, never a PIN hash. */
static int staff_entry(const struct edit *x, struct potw_store *st, long long seq)
{
	const struct roster_ev *e = x->e;
	char action[48], detail[POTW_STAFF_TEXT_MAX];
	size_t n;

	snprintf(action, sizeof action, "roster.%s", roster_ev_type(e->kind));
	n = (size_t)snprintf(detail, sizeof detail, "version=%lld", seq);
	if (e->kind == RE_POLICY_SET || e->kind == RE_POLICY_UNSET)
		snprintf(detail + n, sizeof detail - n, " scope=%s key=%s.%s", e->scope, e->section,
			 e->key);
	else if (e->kind == RE_HAULER_ADDED)
		snprintf(detail + n, sizeof detail - n, " hauler=%lld permit=%s", e->id,
			 e->hauler->permit);
	else if (e->kind == RE_PERMIT)
		snprintf(detail + n, sizeof detail - n, " hauler=%lld permit=%s %s..%s", e->id,
			 e->text, e->from, e->to);
	else if (e->kind == RE_CARD_ADDED || e->kind == RE_CARD_REVOKED)
		snprintf(detail + n, sizeof detail - n, " card=%lld uid=%s%s", e->id, x->uid,
			 e->kind == RE_CARD_ADDED ? " (PIN set)" : "");
	else if (e->kind == RE_OPERATOR_ADDED)
		snprintf(detail + n, sizeof detail - n, " operator=%lld uid=%s (PIN set)", e->id,
			 x->uid);
	else if (e->kind == RE_TRUCK_ADDED)
		snprintf(detail + n, sizeof detail - n, " truck=%lld hauler=%lld", e->id,
			 e->hauler_id);
	else
		snprintf(detail + n, sizeof detail - n, " hauler=%lld", e->id);
	return potw_staff_log_in(st, x->now, x->staff, action, detail);
}

static int write_event(void *ctx, struct potw_store *st, long long seq, struct potw_event *ev)
{
	struct edit *x = ctx;
	int rc;

	(void)seq;
	rc = roster_checks(x, st);
	if (rc)
		return rc;
	x->e->pin_in_detail = 1;	/* the stations need the hash: docs/SYNC.md */
	rc = roster_ev_text(x->e, &x->detail);
	if (rc)
		return rc;
	ev->type = roster_ev_type(x->e->kind);
	ev->ts = x->now;
	ev->load_no = 0;
	ev->actor = x->actor;
	ev->detail = x->detail;
	return staff_entry(x, st, seq);
}

static int sign_checkpoint(void *ctx, long long held, const uint8_t root[32],
			   struct potw_checkpoint *cp)
{
	const struct edit *x = ctx;
	char text[NOTE_NAME_MAX + 80];
	size_t len;
	int rc;

	rc = note_checkpoint_text(x->api->key_name, (uint64_t)held, root, text, sizeof text, &len);
	if (!rc)
		rc = note_sign(text, len, x->api->key_name, x->api->sk, cp->note, sizeof cp->note,
			       NULL);
	if (rc)
		return rc;
	memcpy(cp->cosigned, cp->note, strlen(cp->note) + 1);	/* the plant is its own witness */
	return HG_OK;
}

int potw_roster_edit(const struct potw_api *api, struct roster_ev *e, const char *actor,
		     const char *staff, hg_time now, long long *seq_out)
{
	struct edit x;
	struct potw_log_writer w;
	int rc;

	memset(&x, 0, sizeof x);
	x.api = api;
	x.e = e;
	x.actor = actor;
	x.staff = staff;
	x.now = now;
	rc = roster_ev_check(e, x.uid);
	if (rc)
		return rc;
	w.event = write_event;
	w.checkpoint = sign_checkpoint;
	w.ctx = &x;
	rc = potw_store_log_append(api->st, api->pk, now, &w, seq_out);
	cJSON_free(x.detail);
	if (!rc)	/* on disk before anyone is told */
		rc = potw_store_durable_station(api->st, POTW_PLANT_LOG);
	return rc;
}

int potw_roster_version(const struct potw_api *api, long long *version)
{
	struct potw_log_state ls;
	int rc = potw_store_log_state(api->st, POTW_PLANT_LOG, &ls);

	*version = 0;
	if (rc == HG_ENOTFOUND)
		return HG_OK;	/* no edit yet */
	if (rc)
		return rc;
	*version = ls.size;
	return HG_OK;
}

/* ---- GET /api/v1/sync/roster?since=V ---- */

static int reply_json(struct potw_reply *out, unsigned int status, cJSON *o)
{
	char *text = o ? cJSON_PrintUnformatted(o) : NULL;
	size_t n;

	cJSON_Delete(o);
	out->status = status;
	out->body = NULL;
	if (!text)
		return hg_fail(HG_ENOMEM, "out of memory");
	n = strlen(text);
	out->body = malloc(n + 2);
	if (out->body) {
		memcpy(out->body, text, n);
		memcpy(out->body + n, "\n", 2);
	}
	cJSON_free(text);
	return out->body ? HG_OK : hg_fail(HG_ENOMEM, "out of memory");
}

static int error_json(struct potw_reply *out, unsigned int status, const char *code,
		      const char *message, long long size)
{
	cJSON *o = cJSON_CreateObject();

	if (o) {
		cJSON_AddStringToObject(o, "error", code);
		cJSON_AddStringToObject(o, "message", message);
		if (size >= 0)
			cJSON_AddNumberToObject(o, "size", (double)size);
	}
	return reply_json(out, status, o);
}

/* since=V, the query's only parameter: V into *since.  0 or -1. */
static int parse_since(const char *query, long long *since)
{
	const char *p;
	long long v = 0;

	if (!query || strncmp(query, "since=", 6) != 0)
		return -1;
	p = query + 6;
	if (!*p || (p[0] == '0' && p[1]))
		return -1;
	for (; *p; p++) {
		if (*p < '0' || *p > '9' || v > 900719925474099LL)
			return -1;
		v = v * 10 + (*p - '0');
	}
	*since = v;
	return 0;
}

struct collect {
	cJSON *arr;
	long long since, last;
	int n;
};

static int add_event(const struct potw_event *e, void *ctx)
{
	struct collect *c = ctx;
	char b64[48];
	cJSON *o;

	o = cJSON_CreateObject();
	if (!o || !cJSON_AddItemToArray(c->arr, o)) {
		cJSON_Delete(o);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	cJSON_AddNumberToObject(o, "seq", (double)e->seq);
	cJSON_AddNumberToObject(o, "ts", (double)e->ts);
	cJSON_AddStringToObject(o, "type", e->type);
	cJSON_AddNumberToObject(o, "load_no", (double)e->load_no);
	cJSON_AddStringToObject(o, "actor", e->actor ? e->actor : "");
	cJSON_AddStringToObject(o, "detail", e->detail ? e->detail : "");
	sodium_bin2base64(b64, sizeof b64, e->prev_hash, 32, sodium_base64_VARIANT_ORIGINAL);
	cJSON_AddStringToObject(o, "prev_hash", b64);
	sodium_bin2base64(b64, sizeof b64, e->hash, 32, sodium_base64_VARIANT_ORIGINAL);
	cJSON_AddStringToObject(o, "hash", b64);
	c->last = e->seq;
	c->n++;
	return 0;
}

/* The plant's PIN key sealed to the station's Ed25519 key pk, base64, into
 * out[cap]. */
static int seal_pin(const struct potw_api *api, const uint8_t pk[32], char *out, size_t cap)
{
	uint8_t x[crypto_box_PUBLICKEYBYTES], sealed[32 + crypto_box_SEALBYTES];

	if (crypto_sign_ed25519_pk_to_curve25519(x, pk) != 0)
		return hg_fail(HG_EINVAL, "the station's key has no X25519 form");
	if (crypto_box_seal(sealed, api->pin, sizeof api->pin, x) != 0)
		return hg_fail(HG_EIO, "cannot seal the PIN key (libsodium)");
	if (cap < sodium_base64_ENCODED_LEN(sizeof sealed, sodium_base64_VARIANT_ORIGINAL))
		return hg_fail(HG_ETOOLONG, "no room for the sealed PIN key (a bug)");
	sodium_bin2base64(out, cap, sealed, sizeof sealed, sodium_base64_VARIANT_ORIGINAL);
	return HG_OK;
}

int potw_sync_roster(const struct potw_api *api, const char *station, const char *query,
		     struct potw_reply *out)
{
	struct potw_checkpoint *cp = NULL;
	struct potw_station s;
	struct collect c;
	long long since, size;
	char sealed[128];
	cJSON *o;
	int rc;

	if (parse_since(query, &since))
		return error_json(out, 400, "malformed", "the query must be since=V, V the "
				  "roster version held (0 for none)", -1);
	rc = potw_roster_version(api, &size);
	if (!rc)
		rc = potw_store_station_get(api->st, station, &s);
	if (rc)
		goto store_failed;
	if (since > size) {
		fprintf(stderr, "haulgate-potw: station %s: roster refused: it holds version %lld, "
			"the plant's is %lld\n", station, since, size);
		return error_json(out, 409, "ahead", "the station holds a roster version the "
				  "plant never made", size);
	}
	memset(&c, 0, sizeof c);
	c.since = since;
	c.last = since;
	o = cJSON_CreateObject();
	c.arr = cJSON_CreateArray();
	if (!o || !c.arr) {
		cJSON_Delete(o);
		cJSON_Delete(c.arr);
		return hg_fail(HG_ENOMEM, "out of memory");
	}
	cJSON_AddNumberToObject(o, "since", (double)since);
	if (size > 0) {
		rc = potw_store_events_after(api->st, POTW_PLANT_LOG, since, POTW_BATCH_MAX,
					     add_event, &c);
	}
	cJSON_AddNumberToObject(o, "version", (double)c.last);
	cJSON_AddNumberToObject(o, "size", (double)size);
	cJSON_AddItemToObject(o, "events", c.arr);
	if (!rc && c.last > 0) {
		cp = malloc(sizeof *cp);
		rc = cp ? potw_store_checkpoint_get(api->st, POTW_PLANT_LOG, c.last, 0, cp)
			: hg_fail(HG_ENOMEM, "out of memory");
		if (!rc)
			cJSON_AddStringToObject(o, "checkpoint", cp->note);
		free(cp);
	} else {
		cJSON_AddNullToObject(o, "checkpoint");
	}
	if (!rc && api->has_pin) {
		rc = seal_pin(api, s.pk, sealed, sizeof sealed);
		if (!rc)
			cJSON_AddStringToObject(o, "pin_key_sealed", sealed);
	} else {
		cJSON_AddNullToObject(o, "pin_key_sealed");
	}
	if (rc) {
		cJSON_Delete(o);
		goto store_failed;
	}
	return reply_json(out, 200, o);
store_failed:
	fprintf(stderr, "haulgate-potw: station %s: roster: the store failed: %s\n", station,
		hg_error_text());
	return error_json(out, 500, "internal", "the plant's store failed", -1);
}
