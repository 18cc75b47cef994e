/* record.c: the projection of the event log onto the tables, the one code
 * that says which rows an event makes.
 *
 * "The tables are a projection of the event log": every row the station
 * keeps about a load, a sample, an RV visit or the roster is what replaying
 * the events through record_project() gives.  The store writes each of its
 * rows as the change this file gives for the event it appends
 * (db/store_write.c); the station's `verify` (db/store_replay.c) rebuilds its
 * tables from the log with it and compares; the plant's server links the
 * same file to build its own tables from the events it receives.  So this file holds no SQL and does no I/O: an event
 * (seq, ts, type, load_no, actor, detail) goes in, a list of row changes
 * (table, insert / update / upsert, column = value) comes out.
 *
 * Both halves are tables: record_tables[] says which tables and columns the
 * log explains (what verify compares, what a scratch database holds), and
 * handlers[] maps each event type to the function that reads its detail.
 * An event type not in handlers[] changes no row (card taps, relays, prints).
 * To add one: write a handler of a few lines with the put_* and from_*
 * helpers below, add a row to handlers[], and make the store put every
 * value the handler reads in the event's detail: its rows are then written
 * from the handler's changes (docs/SCHEMA.md, "Event types").  Start reading at
 * record_project(). */
#include <stdio.h>
#include <string.h>
#include <cJSON.h>
#include "record.h"
#include "text.h"

/* ---- the tables the log explains ---- */

static const struct rec_col meta_cols[] = {
	{ "key", 't' }, { "value", 't' },
};
static const struct rec_col hauler_cols[] = {
	{ "id", 'i' }, { "company", 't' }, { "contact", 't' }, { "address", 't' },
	{ "phone", 't' }, { "permit", 't' }, { "permit_from", 't' }, { "permit_to", 't' },
	{ "status", 't' }, { "waste_allowed", 't' }, { "analysis_date", 't' }, { "created", 'i' },
};
static const struct rec_col card_cols[] = {	/* pin_hash: outside the record */
	{ "id", 'i' }, { "uid", 't' }, { "hauler_id", 'i' }, { "driver", 't' },
	{ "revoked", 'i' }, { "failures", 'i' }, { "locked_until", 'i' }, { "created", 'i' },
};
static const struct rec_col truck_cols[] = {
	{ "id", 'i' }, { "hauler_id", 'i' }, { "ident", 't' }, { "capacity", 'i' },
};
static const struct rec_col source_cols[] = {
	{ "id", 'i' }, { "hauler_id", 'i' }, { "name", 't' }, { "address", 't' },
	{ "industry", 't' }, { "last_used", 'i' }, { "town", 't' },
};
static const struct rec_col operator_cols[] = {	/* pin_hash: outside the record */
	{ "id", 'i' }, { "name", 't' }, { "uid", 't' }, { "failures", 'i' },
	{ "locked_until", 'i' }, { "active", 'i' }, { "created", 'i' },
};
static const struct rec_col load_cols[] = {
	{ "load_no", 'i' }, { "station", 't' }, { "day", 't' }, { "hauler_id", 'i' },
	{ "card_id", 'z' }, { "company", 't' }, { "company_address", 't' }, { "driver", 't' },
	{ "permit", 't' }, { "truck_id", 'z' }, { "truck", 't' }, { "truck_capacity", 'i' },
	{ "waste", 't' }, { "gallons", 'i' }, { "gallons_measured", 'i' },
	{ "characteristics", 't' }, { "constituents", 't' }, { "rcra", 't' }, { "signer", 't' },
	{ "lang", 't' }, { "record", 't' }, { "record_sha256", 't' }, { "verdict", 't' },
	{ "refuse_reasons", 't' }, { "sample_reasons", 't' }, { "sampled", 'i' },
	{ "manual_flag", 'i' }, { "bottle", 't' }, { "sampled_by", 'z' }, { "t_card", 'z' },
	{ "t_pin", 'z' }, { "t_form", 'z' }, { "t_certified", 'z' }, { "t_decided", 'i' },
	{ "t_sampled", 'z' }, { "t_discharge_start", 'z' }, { "t_discharge_end", 'z' },
	{ "discharge_end_why", 't' }, { "meter_flag", 't' },
};
static const struct rec_col load_source_cols[] = {
	{ "load_no", 'i' }, { "idx", 'i' }, { "name", 't' }, { "address", 't' },
	{ "industry", 't' }, { "town", 't' },
};
/* the plant's policy (core/config_policy.h): scope "*" or a station id;
 * active 0 once unset (the row stays: an upsert has no delete) */
static const struct rec_col policy_cols[] = {
	{ "scope", 't' }, { "section", 't' }, { "key", 't' }, { "value", 't' }, { "active", 'i' },
};
static const struct rec_col rv_cols[] = {
	{ "id", 'i' }, { "name", 't' }, { "plate", 't' }, { "plate_state", 't' }, { "lang", 't' },
	{ "signed_in", 'z' }, { "rules_accepted", 'z' }, { "declared", 'z' }, { "done", 'z' },
	{ "day", 't' },
};

#define TABLE(name, cols, nkey, unique) { name, cols, (int)HG_ARRAY_LEN(cols), nkey, unique }

const struct rec_table record_tables[] = {
	TABLE("meta", meta_cols, 1, NULL),
	TABLE("haulers", hauler_cols, 1, NULL),
	TABLE("cards", card_cols, 1, NULL),
	TABLE("trucks", truck_cols, 1, NULL),
	TABLE("operators", operator_cols, 1, NULL),
	TABLE("sources", source_cols, 1, "hauler_id, name, address"),
	TABLE("loads", load_cols, 1, NULL),
	TABLE("load_sources", load_source_cols, 2, NULL),
	TABLE("rv_visits", rv_cols, 1, NULL),
	TABLE("policy", policy_cols, 3, NULL),
};
const int record_ntables = (int)HG_ARRAY_LEN(record_tables);

const struct rec_outside record_outside[] = {
	{ "cards.pin_hash", "a secret: never in an event" },
	{ "operators.pin_hash", "a secret: never in an event" },
	/* what the plant said of the log (db/store_sync.c, docs/SYNC.md): not a
	 * record of the station, never an event */
	{ "sync_state.id", "the sync's own state: what the plant said" },
	{ "sync_state.plant_size", "the sync's own state: what the plant said" },
	{ "sync_state.last_success", "the sync's own state: what the plant said" },
	{ "sync_state.last_attempt", "the sync's own state: what the plant said" },
	{ "sync_state.last_error", "the sync's own state: what the plant said" },
	{ "sync_state.fork_seq", "the sync's own state: what the plant said" },
	{ "sync_state.fork_at", "the sync's own state: what the plant said" },
	{ "sync_state.roster_version", "the sync's own state: what the plant said" },
	{ "sync_state.roster_head", "the plant's roster log as applied: its head and edge" },
	{ "sync_state.roster_edge", "the plant's roster log as applied: its head and edge" },
	{ "sync_checkpoints.size", "a checkpoint the plant cosigned, kept as received" },
	{ "sync_checkpoints.root", "a checkpoint the plant cosigned, kept as received" },
	{ "sync_checkpoints.note", "a checkpoint the plant cosigned, kept as received" },
	{ "sync_checkpoints.received", "a checkpoint the plant cosigned, kept as received" },
	{ NULL, NULL },
};

const char *const record_confidential_fields[] = {
	"sources.name", "sources.address", "sources.industry",
	"load_sources.name", "load_sources.address", "load_sources.industry",
	"loads.constituents", "loads.record", NULL,
};

int record_confidential(const char *table, const char *col)
{
	size_t n = strlen(table);

	for (int i = 0; record_confidential_fields[i]; i++) {
		const char *f = record_confidential_fields[i];

		if (!strncmp(f, table, n) && f[n] == '.' && !strcmp(f + n + 1, col))
			return 1;
	}
	return 0;
}

const struct rec_table *record_table(const char *name)
{
	for (int i = 0; i < record_ntables; i++)
		if (strcmp(record_tables[i].name, name) == 0)
			return &record_tables[i];
	return NULL;
}

/* ---- building the changes ---- */

struct proj {
	const struct rec_event *ev;
	const cJSON *j;		/* the detail object (may be NULL: no detail) */
	struct rec_out *out;
	struct rec_change *c;	/* the change being filled */
	int rc;
};

static void fail(struct proj *p, const char *fmt, const char *what)
{
	if (p->rc)
		return;
	p->rc = HG_ECORRUPT;
	snprintf(p->out->why, sizeof p->out->why, fmt, p->ev->seq, p->ev->type, what);
}

/* Start a change of table (a name of record_tables[]). */
static void change(struct proj *p, const char *table, enum rec_op op, int nkey)
{
	const struct rec_table *t = record_table(table);

	p->c = NULL;
	if (p->rc)
		return;
	if (!t || p->out->n == REC_MAX_CHANGES) {
		fail(p, "event %lld (%s): too many rows for one event, or no table %s (a bug)", table);
		return;
	}
	p->c = &p->out->c[p->out->n++];
	memset(p->c, 0, sizeof *p->c);
	p->c->table = t;
	p->c->op = op;
	p->c->nkey = nkey;
}

static struct rec_val *slot(struct proj *p, const char *col, char *kind)
{
	const struct rec_table *t;
	struct rec_val *v;

	if (p->rc || !p->c)
		return NULL;
	t = p->c->table;
	for (int i = 0; i < t->ncols; i++) {
		if (strcmp(t->cols[i].name, col) != 0)
			continue;
		if (p->c->n == REC_MAX_VALS)
			break;
		*kind = t->cols[i].kind;
		v = &p->c->v[p->c->n++];
		v->col = t->cols[i].name;
		return v;
	}
	fail(p, "event %lld (%s): no column %s in the record, or too many (a bug)", col);
	return NULL;
}

static void put_int(struct proj *p, const char *col, long long i)
{
	char kind = 0;
	struct rec_val *v = slot(p, col, &kind);

	if (!v)
		return;
	v->kind = kind == 'z' && i == 0 ? REC_NULL : REC_INT;
	v->i = i;
}

static void put_text(struct proj *p, const char *col, const char *s)
{
	char kind = 0;
	struct rec_val *v = slot(p, col, &kind);

	if (!v)
		return;
	v->kind = REC_TEXT;
	v->s = s;
}

/* Field name of object o (the detail when o is NULL) as an integer: a
 * whole JSON number, or true/false as 1/0. */
static long long get_int(struct proj *p, const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o ? o : p->j, name);
	double d;

	if (cJSON_IsBool(f))
		return cJSON_IsTrue(f);
	if (!cJSON_IsNumber(f)) {
		fail(p, "event %lld (%s): its detail has no number '%s'", name);
		return 0;
	}
	d = f->valuedouble;
	if (d != (double)(long long)d || d > 9007199254740992.0 || d < -9007199254740992.0) {
		fail(p, "event %lld (%s): '%s' is not a whole number", name);
		return 0;
	}
	return (long long)d;
}

static const char *get_text(struct proj *p, const cJSON *o, const char *name)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(o ? o : p->j, name);

	if (!cJSON_IsString(f) || !f->valuestring) {
		fail(p, "event %lld (%s): its detail has no text '%s'", name);
		return "";
	}
	return f->valuestring;
}

/* Column col = the detail's field of the same name (or field). */
static void from_int(struct proj *p, const char *col, const char *field)
{
	long long v = get_int(p, NULL, field ? field : col);

	put_int(p, col, v);
}

static void from_text(struct proj *p, const char *col, const char *field)
{
	const char *v = get_text(p, NULL, field ? field : col);

	put_text(p, col, v);
}

/* An array of reason codes as the table keeps them: "a,b", in the arena. */
static const char *joined(struct proj *p, const char *name)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p->j, name), *e;
	struct rec_out *o = p->out;
	char *start = o->arena + o->used;
	size_t len = 0, room = sizeof o->arena - o->used;

	if (!cJSON_IsArray(a)) {
		fail(p, "event %lld (%s): its detail has no list '%s'", name);
		return "";
	}
	if (room == 0) {
		fail(p, "event %lld (%s): '%s' is too long", name);
		return "";
	}
	start[0] = '\0';
	cJSON_ArrayForEach(e, a) {
		int n;

		if (!cJSON_IsString(e)) {
			fail(p, "event %lld (%s): '%s' holds something else than codes", name);
			return "";
		}
		n = snprintf(start + len, room - len, "%s%s", len ? "," : "", e->valuestring);
		if (n < 0 || (size_t)n >= room - len) {
			fail(p, "event %lld (%s): '%s' is too long", name);
			return "";
		}
		len += (size_t)n;
	}
	o->used += len + 1;
	return start;
}

/* ---- one handler per event type that changes rows ---- */

static void meta_set(struct proj *p)
{
	change(p, "meta", REC_UPSERT, 1);
	from_text(p, "key", NULL);
	from_text(p, "value", NULL);
}

static void hauler_added(struct proj *p)
{
	static const char *const text[] = {
		"company", "contact", "address", "phone", "permit", "permit_from", "permit_to",
		"waste_allowed", "analysis_date",
	};

	change(p, "haulers", REC_INSERT, 1);
	from_int(p, "id", "hauler_id");
	for (size_t i = 0; i < HG_ARRAY_LEN(text); i++)
		from_text(p, text[i], NULL);
	put_text(p, "status", "active");
	put_int(p, "created", p->ev->ts);
}

static void hauler_status(struct proj *p)
{
	change(p, "haulers", REC_UPDATE, 1);
	from_int(p, "id", "hauler_id");
	put_text(p, "status", strcmp(p->ev->type, "hauler_suspended") == 0 ? "suspended" : "active");
}

static void permit_changed(struct proj *p)
{
	change(p, "haulers", REC_UPDATE, 1);
	from_int(p, "id", "hauler_id");
	from_text(p, "permit", NULL);
	from_text(p, "permit_from", "from");
	from_text(p, "permit_to", "to");
}

static void analysis_changed(struct proj *p)
{
	change(p, "haulers", REC_UPDATE, 1);
	from_int(p, "id", "hauler_id");
	from_text(p, "analysis_date", NULL);
}

static void card_added(struct proj *p)
{
	change(p, "cards", REC_INSERT, 1);
	from_int(p, "id", "card_id");
	from_text(p, "uid", NULL);
	from_int(p, "hauler_id", NULL);
	from_text(p, "driver", NULL);
	put_int(p, "revoked", 0);
	put_int(p, "failures", 0);
	put_int(p, "locked_until", 0);
	put_int(p, "created", p->ev->ts);
}

static void card_revoked(struct proj *p)
{
	change(p, "cards", REC_UPDATE, 1);
	from_int(p, "id", "card_id");
	put_int(p, "revoked", 1);
}

static void truck_added(struct proj *p)
{
	change(p, "trucks", REC_INSERT, 1);
	from_int(p, "id", "truck_id");
	from_int(p, "hauler_id", NULL);
	from_text(p, "ident", NULL);
	from_int(p, "capacity", NULL);
}

static void operator_added(struct proj *p)
{
	change(p, "operators", REC_INSERT, 1);
	from_int(p, "id", "operator_id");
	from_text(p, "name", NULL);
	from_text(p, "uid", NULL);
	put_int(p, "failures", 0);
	put_int(p, "locked_until", 0);
	put_int(p, "active", 1);
	put_int(p, "created", p->ev->ts);
}

/* pin_failed, pin_lockout, pin_ok: the store adds "pin_state" to the session's
 * detail: {"card_id" or "operator_id", "failures", "locked_until"}. */
static void pin_state(struct proj *p)
{
	const cJSON *ps = cJSON_GetObjectItemCaseSensitive(p->j, "pin_state");
	int card = cJSON_HasObjectItem(ps, "card_id");

	if (!cJSON_IsObject(ps)) {
		fail(p, "event %lld (%s): its detail has no object '%s'", "pin_state");
		return;
	}
	change(p, card ? "cards" : "operators", REC_UPDATE, 1);
	put_int(p, "id", get_int(p, ps, card ? "card_id" : "operator_id"));
	put_int(p, "failures", get_int(p, ps, "failures"));
	put_int(p, "locked_until", get_int(p, ps, "locked_until"));
}

/* The load row as committed, its sources, and the hauler's remembered
 * sources; the decision comes in its own event. */
static void manifest_submitted(struct proj *p)
{
	static const char *const text[] = {
		"station", "day", "company", "company_address", "driver", "permit", "truck",
		"waste", "characteristics", "constituents", "rcra", "signer", "lang", "record",
		"record_sha256", "bottle", "meter_flag",
	};
	static const char *const num[] = {
		"hauler_id", "card_id", "truck_id", "truck_capacity", "gallons", "gallons_measured",
		"sampled_by", "t_card", "t_pin", "t_form", "t_certified", "t_decided", "t_sampled",
		"t_discharge_start", "t_discharge_end",
	};
	const cJSON *srcs = cJSON_GetObjectItemCaseSensitive(p->j, "sources"), *e;
	const char *record = get_text(p, NULL, "record");
	const char *sha = get_text(p, NULL, "record_sha256");
	long long hauler = get_int(p, NULL, "hauler_id"), decided = get_int(p, NULL, "t_decided");
	uint8_t h[32];
	char hex[65];
	int idx = 0;

	if (p->rc)
		return;
	text_sha256(record, strlen(record), h);
	text_hex(h, 32, hex);
	if (strcmp(hex, sha) != 0) {
		fail(p, "event %lld (%s): the copy of record in the log does not match its %s",
		     "record_sha256");
		return;
	}
	if (!cJSON_IsArray(srcs)) {
		fail(p, "event %lld (%s): its detail has no list '%s'", "sources");
		return;
	}
	change(p, "loads", REC_INSERT, 1);
	put_int(p, "load_no", p->ev->load_no);
	for (size_t i = 0; i < HG_ARRAY_LEN(text); i++)
		from_text(p, text[i], NULL);
	for (size_t i = 0; i < HG_ARRAY_LEN(num); i++)
		from_int(p, num[i], NULL);
	put_text(p, "discharge_end_why", "");
	cJSON_ArrayForEach(e, srcs) {
		const char *name = get_text(p, e, "name"), *addr = get_text(p, e, "address");
		const char *ind = get_text(p, e, "industry"), *town = get_text(p, e, "town");

		change(p, "load_sources", REC_INSERT, 2);
		put_int(p, "load_no", p->ev->load_no);
		put_int(p, "idx", idx++);
		put_text(p, "name", name);
		put_text(p, "address", addr);
		put_text(p, "industry", ind);
		put_text(p, "town", town);
		change(p, "sources", REC_UPSERT, 3);
		put_int(p, "hauler_id", hauler);
		put_text(p, "name", name);
		put_text(p, "address", addr);
		put_text(p, "industry", ind);
		put_text(p, "town", town);
		put_int(p, "last_used", decided);
	}
}

static void decision(struct proj *p)
{
	const char *verdict = get_text(p, NULL, "verdict");

	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	put_text(p, "verdict", verdict);
	put_text(p, "refuse_reasons", joined(p, "refuse"));
	put_text(p, "sample_reasons", joined(p, "sample"));
	put_int(p, "sampled", strcmp(verdict, "sample-hold") == 0);
	from_int(p, "manual_flag", NULL);
}

static void sample_taken(struct proj *p)
{
	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	from_text(p, "bottle", NULL);
	from_int(p, "sampled_by", "operator_id");
	put_int(p, "t_sampled", p->ev->ts);
}

static void discharge_started(struct proj *p)
{
	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	put_int(p, "t_discharge_start", p->ev->ts);
}

static void discharge_ended(struct proj *p)
{
	const cJSON *m = cJSON_GetObjectItemCaseSensitive(p->j, "meter");

	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	put_int(p, "t_discharge_end", p->ev->ts);
	from_int(p, "gallons_measured", NULL);
	from_text(p, "discharge_end_why", "why");
	put_text(p, "meter_flag", cJSON_IsString(m) ? m->valuestring : "");
}

/* The station's next start closed a discharge its last run left open
 * (station/recover.c): every column it sets is in the detail. */
static void discharge_interrupted(struct proj *p)
{
	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	from_int(p, "t_discharge_end", NULL);
	from_text(p, "discharge_end_why", NULL);
	from_int(p, "gallons_measured", NULL);
	from_text(p, "meter_flag", NULL);
}

/* A sample hold ended without a bottle: the load says so until its
 * discharge ends. */
static void sample_abandoned(struct proj *p)
{
	change(p, "loads", REC_UPDATE, 1);
	put_int(p, "load_no", p->ev->load_no);
	from_text(p, "discharge_end_why", NULL);
}

static void rv_visit(struct proj *p)
{
	change(p, "rv_visits", REC_INSERT, 1);
	from_int(p, "id", "rv_id");
	from_text(p, "name", NULL);
	from_text(p, "plate", NULL);
	from_text(p, "plate_state", NULL);
	from_text(p, "lang", NULL);
	from_int(p, "signed_in", NULL);
	from_int(p, "rules_accepted", NULL);
	from_int(p, "declared", "declared_at");
	from_int(p, "done", NULL);
	from_text(p, "day", NULL);
}

static void rv_done(struct proj *p)
{
	change(p, "rv_visits", REC_UPDATE, 1);
	from_int(p, "id", "visit");
	put_int(p, "done", p->ev->ts);
}

/* policy_set, policy_unset: the plant's value of a key for one station or
 * all; an unset keeps the row, inactive. */
static void policy(struct proj *p)
{
	int set = strcmp(p->ev->type, "policy_set") == 0;

	change(p, "policy", REC_UPSERT, 3);
	from_text(p, "scope", NULL);
	from_text(p, "section", NULL);
	from_text(p, "key", NULL);
	if (set)
		from_text(p, "value", NULL);
	else
		put_text(p, "value", "");
	put_int(p, "active", set);
}

static const struct {
	const char *type;
	void (*fn)(struct proj *p);
} handlers[] = {
	{ "meta_set", meta_set },
	{ "hauler_added", hauler_added },
	{ "hauler_suspended", hauler_status },
	{ "hauler_reinstated", hauler_status },
	{ "permit_changed", permit_changed },
	{ "analysis_changed", analysis_changed },
	{ "card_added", card_added },
	{ "card_revoked", card_revoked },
	{ "truck_added", truck_added },
	{ "operator_added", operator_added },
	{ "pin_failed", pin_state },
	{ "pin_lockout", pin_state },
	{ "pin_ok", pin_state },
	{ "manifest_submitted", manifest_submitted },
	{ "decision", decision },
	{ "sample_taken", sample_taken },
	{ "discharge_started", discharge_started },
	{ "discharge_ended", discharge_ended },
	{ "discharge_interrupted", discharge_interrupted },
	{ "sample_abandoned", sample_abandoned },
	{ "rv_visit", rv_visit },
	{ "rv_done", rv_done },
	{ "policy_set", policy },
	{ "policy_unset", policy },
};

int record_project(const struct rec_event *ev, struct rec_out *out)
{
	struct proj p = { ev, NULL, out, NULL, HG_OK };

	out->n = 0;
	out->json = NULL;
	out->used = 0;
	out->why[0] = '\0';
	for (size_t i = 0; i < HG_ARRAY_LEN(handlers); i++) {
		if (strcmp(handlers[i].type, ev->type ? ev->type : "") != 0)
			continue;
		if (ev->detail && *ev->detail) {	/* "" = none: no field can be read */
			out->json = cJSON_Parse(ev->detail);
			p.j = out->json;
		}
		if (ev->detail && *ev->detail && !cJSON_IsObject(p.j)) {
			fail(&p, "event %lld (%s): its detail is not %s", "a JSON object");
			return p.rc;
		}
		handlers[i].fn(&p);
		if (p.rc)
			out->n = 0;
		return p.rc;
	}
	return HG_OK;	/* a type that changes no row */
}

void record_out_free(struct rec_out *out)
{
	cJSON_Delete(out->json);
	out->json = NULL;
	out->n = 0;
}
