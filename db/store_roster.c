/* store_roster.c: who may use the station: haulers, their cards and trucks,
 * operators; what a card tap needs to know (store_lookup_card); PIN state.
 *
 * Each change is one transaction: the existence checks, the row, and its
 * event (docs/SCHEMA.md lists the types and their detail).  Card UIDs are
 * normalised with text_uid_norm() on the way in, so "04:A1:B2:C3" and
 * "04a1b2c3" are the same card; a UID is either a hauler card or an operator
 * card, never both.  PIN hashes never go into an event.  Each edit's checks
 * and its event's detail are core/roster_event.c's, the ones the plant's
 * roster uses too: this file adds what needs the database (the row's id,
 * the hauler or card that must exist, a UID that must be free). */
#include <stdio.h>
#include <string.h>
#include <cJSON.h>
#include "store_int.h"
#include "../core/text.h"

/* Is uid free for a new card?  HG_EEXIST if a hauler or operator card has it. */
static int uid_free(struct store *st, const char *uid)
{
	static const char sql[] =
		"SELECT (SELECT count(*) FROM cards WHERE uid = ?1) + "
		"(SELECT count(*) FROM operators WHERE uid = ?1)";
	sqlite3_stmt *s;
	long long n;
	int rc = store_stmt_text(st, sql, uid, &s);

	if (rc)
		return rc;
	rc = store_int(st, s, "read the cards", &n);
	if (rc)
		return rc;
	if (n)
		return hg_fail(HG_EEXIST, "card %s is already registered", uid);
	return HG_OK;
}

/* The detail of e (its id now known) as store_finish() takes it: NULL when
 * rc is set already or the detail cannot be made (then *rc says why). */
static cJSON *detail_of(const struct roster_ev *e, int *rc)
{
	cJSON *j = NULL;

	if (!*rc)
		*rc = roster_ev_detail(e, &j);
	return j;
}

int store_hauler_add(struct store *st, const struct hauler_rec *h, hg_time now,
		     const char *actor, long long *id_out)
{
	struct roster_ev e = { .kind = RE_HAULER_ADDED, .hauler = h };
	cJSON *j;
	int rc;

	rc = roster_ev_check(&e, NULL);
	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_next_id(st, "haulers", &e.id);
	j = detail_of(&e, &rc);
	return store_finish_insert(st, rc, e.id, now, roster_ev_type(e.kind), actor, j, NULL,
				   id_out);
}

/* A change of hauler e->id: its event in one transaction. */
static int hauler_change(struct store *st, const struct roster_ev *e, hg_time now,
			 const char *actor)
{
	cJSON *j;
	int rc;

	rc = roster_ev_check(e, NULL);
	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need_hauler(st, e->id);
	j = detail_of(e, &rc);
	return store_finish(st, rc, now, roster_ev_type(e->kind), 0, actor, j);
}

int store_hauler_suspend(struct store *st, long long id, int suspended, hg_time now, const char *actor)
{
	struct roster_ev e = { .kind = suspended ? RE_HAULER_SUSPENDED : RE_HAULER_REINSTATED,
			       .id = id };

	return hauler_change(st, &e, now, actor);
}

int store_hauler_permit(struct store *st, long long id, const char *permit, const char *from,
			const char *to, hg_time now, const char *actor)
{
	struct roster_ev e = { .kind = RE_PERMIT, .id = id, .text = permit, .from = from,
			       .to = to };

	return hauler_change(st, &e, now, actor);
}

int store_hauler_analysis(struct store *st, long long id, const char *date, hg_time now, const char *actor)
{
	struct roster_ev e = { .kind = RE_ANALYSIS, .id = id, .date = date };

	return hauler_change(st, &e, now, actor);
}

/* A card or an operator: e checked, its UID free, (a card's hauler there),
 * its next id in table, then its event with the PIN hash beside it. */
static int add_card(struct store *st, struct roster_ev *e, const char *table, hg_time now,
		    const char *actor, long long *id_out)
{
	char norm[LIM_UID + 1];
	cJSON *j;
	int rc;

	rc = roster_ev_check(e, norm);
	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = uid_free(st, norm);
	if (!rc && e->kind == RE_CARD_ADDED)
		rc = store_need_hauler(st, e->hauler_id);
	if (!rc)
		rc = store_next_id(st, table, &e->id);
	j = detail_of(e, &rc);
	return store_finish_insert(st, rc, e->id, now, roster_ev_type(e->kind), actor, j,
				   e->pin_hash, id_out);
}

int store_card_add(struct store *st, const char *uid, long long hauler_id, const char *driver,
		   const char *pin_hash, hg_time now, const char *actor)
{
	struct roster_ev e = { .kind = RE_CARD_ADDED, .hauler_id = hauler_id, .uid = uid,
			       .text = driver, .pin_hash = pin_hash };

	return add_card(st, &e, "cards", now, actor, NULL);
}

int store_card_revoke(struct store *st, const char *uid, hg_time now, const char *actor)
{
	static const char sql_id[] = "SELECT id FROM cards WHERE uid = ?1";
	struct roster_ev e = { .kind = RE_CARD_REVOKED, .uid = uid };
	char norm[LIM_UID + 1];
	sqlite3_stmt *s;
	cJSON *j;
	int rc = roster_ev_check(&e, norm);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_stmt_text(st, sql_id, norm, &s);
	if (!rc)
		rc = store_int(st, s, "read the cards", &e.id);
	if (!rc && e.id == 0)
		rc = hg_fail(HG_ENOTFOUND, "no hauler card %s", norm);
	j = detail_of(&e, &rc);
	return store_finish(st, rc, now, roster_ev_type(e.kind), 0, actor, j);
}

int store_truck_add(struct store *st, long long hauler_id, const char *ident, int capacity,
		    hg_time now, const char *actor, long long *id_out)
{
	struct roster_ev e = { .kind = RE_TRUCK_ADDED, .hauler_id = hauler_id, .text = ident,
			       .capacity = capacity };
	cJSON *j;
	int rc = roster_ev_check(&e, NULL);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need_hauler(st, hauler_id);
	if (!rc)
		rc = store_next_id(st, "trucks", &e.id);
	j = detail_of(&e, &rc);
	return store_finish_insert(st, rc, e.id, now, roster_ev_type(e.kind), actor, j, NULL,
				   id_out);
}

int store_operator_add(struct store *st, const char *name, const char *uid, const char *pin_hash,
		       hg_time now, const char *actor, long long *id_out)
{
	struct roster_ev e = { .kind = RE_OPERATOR_ADDED, .uid = uid, .text = name,
			       .pin_hash = pin_hash };

	return add_card(st, &e, "operators", now, actor, id_out);
}

/* The session's detail with "pin_state": the row's new values, so the log
 * rebuilds the failure count and lockout (core/record.c).  NULL when out of
 * memory. */
static cJSON *pin_detail(const char *detail, enum card_kind kind, long long id, int failures,
			 hg_time locked_until)
{
	cJSON *j = detail && *detail ? cJSON_Parse(detail) : cJSON_CreateObject();
	cJSON *ps = cJSON_CreateObject();

	if (ps) {
		cJSON_AddNumberToObject(ps, kind == CARD_HAULER ? "card_id" : "operator_id", (double)id);
		cJSON_AddNumberToObject(ps, "failures", failures);
		cJSON_AddNumberToObject(ps, "locked_until", (double)locked_until);
	}
	cJSON_DeleteItemFromObjectCaseSensitive(j, "pin_state");
	if (!j || !ps || !cJSON_AddItemToObject(j, "pin_state", ps)) {
		cJSON_Delete(ps);
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

int store_pin_state(struct store *st, enum card_kind kind, long long id, int failures,
		    hg_time locked_until, const char *event, const char *detail, hg_time now,
		    const char *actor)
{
	static const char sql_card[] = "SELECT count(*) FROM cards WHERE id = ?1";
	static const char sql_op[] = "SELECT count(*) FROM operators WHERE id = ?1";
	cJSON *j;
	int rc;

	if (kind != CARD_HAULER && kind != CARD_OPERATOR)
		return hg_fail(HG_EINVAL, "PIN state of a card that is not in the roster");
	if (!event || (strcmp(event, "pin_failed") != 0 && strcmp(event, "pin_lockout") != 0 &&
		       strcmp(event, "pin_ok") != 0))
		return hg_fail(HG_EINVAL, "'%s' is not a PIN event", event ? event : "");
	rc = store_check_detail(detail);
	if (rc)
		return rc;
	j = pin_detail(detail, kind, id, failures, locked_until);
	if (!j)
		return hg_fail(HG_ENOMEM, "out of memory writing an event");
	rc = store_begin(st);
	if (rc) {
		cJSON_Delete(j);
		return rc;
	}
	rc = store_need(st, kind == CARD_HAULER ? sql_card : sql_op, id,
			kind == CARD_HAULER ? "no card with id" : "no operator with id");
	return store_finish(st, rc, now, event, 0, actor, j);
}

/* ---- the card tap ---- */

static int read_hauler(sqlite3_stmt *s, int c, struct hauler_info *h)
{
	char waste[LIM_WASTE_LIST * 4 + 1];
	int rc;

	h->id = sqlite3_column_int64(s, c);
	rc = store_col_text(s, c + 1, h->company, sizeof h->company, "company name");
	if (!rc)
		rc = store_col_text(s, c + 2, h->contact, sizeof h->contact, "contact name");
	if (!rc)
		rc = store_col_text(s, c + 3, h->address, sizeof h->address, "address");
	if (!rc)
		rc = store_col_text(s, c + 4, h->phone, sizeof h->phone, "phone");
	if (!rc)
		rc = store_col_text(s, c + 5, h->permit, sizeof h->permit, "permit number");
	if (!rc)
		rc = store_col_text(s, c + 6, h->permit_from, sizeof h->permit_from, "permit date");
	if (!rc)
		rc = store_col_text(s, c + 7, h->permit_to, sizeof h->permit_to, "permit date");
	if (!rc)
		rc = store_col_text(s, c + 9, waste, sizeof waste, "waste list");
	if (!rc)
		rc = store_col_text(s, c + 10, h->analysis_date, sizeof h->analysis_date,
				    "analysis date");
	if (rc)
		return rc;
	h->suspended = strcmp((const char *)sqlite3_column_text(s, c + 8), "active") != 0;
	if (waste_parse_list(waste, &h->waste_allowed) != HG_OK)
		return hg_fail(HG_ECORRUPT, "hauler %lld has an unknown waste type in '%s'",
			       h->id, waste);
	return HG_OK;
}

#define HAULER_COLS "h.id, h.company, h.contact, h.address, h.phone, h.permit, h.permit_from, " \
		    "h.permit_to, h.status, h.waste_allowed, h.analysis_date"

static int lookup_hauler_card(struct store *st, const char *uid, struct card_info *out, int *found)
{
	static const char sql[] =
		"SELECT c.id, c.driver, c.pin_hash, c.revoked, c.failures, c.locked_until, "
		HAULER_COLS " FROM cards c JOIN haulers h ON h.id = c.hauler_id WHERE c.uid = ?1";
	sqlite3_stmt *s;
	int rc = store_row_text(st, sql, uid, "look the card up", &s, found);

	if (rc || !*found)
		return rc;
	out->kind = CARD_HAULER;
	out->card_id = sqlite3_column_int64(s, 0);
	out->revoked = sqlite3_column_int(s, 3) != 0;
	out->failures = sqlite3_column_int(s, 4);
	out->locked_until = sqlite3_column_int64(s, 5);
	rc = store_col_text(s, 1, out->holder, sizeof out->holder, "driver name");
	if (!rc)
		rc = store_col_text(s, 2, out->pin_hash, sizeof out->pin_hash, "PIN hash");
	if (!rc)
		rc = read_hauler(s, 6, &out->hauler);
	sqlite3_reset(s);
	return rc;
}

static int lookup_operator(struct store *st, const char *uid, struct card_info *out)
{
	static const char sql[] =
		"SELECT id, name, pin_hash, failures, locked_until, active FROM operators WHERE uid = ?1";
	sqlite3_stmt *s;
	int found, rc = store_row_text(st, sql, uid, "look the card up", &s, &found);

	if (rc || !found)
		return rc;
	out->kind = CARD_OPERATOR;
	out->card_id = sqlite3_column_int64(s, 0);
	out->failures = sqlite3_column_int(s, 3);
	out->locked_until = sqlite3_column_int64(s, 4);
	out->revoked = sqlite3_column_int(s, 5) == 0;
	rc = store_col_text(s, 1, out->holder, sizeof out->holder, "operator name");
	if (!rc)
		rc = store_col_text(s, 2, out->pin_hash, sizeof out->pin_hash, "PIN hash");
	sqlite3_reset(s);
	return rc;
}

/* History for the sampling policy, the hauler's trucks and remembered sources. */
static int hauler_extras(struct store *st, struct card_info *out, hg_time now)
{
	static const char sql_total[] =
		"SELECT count(*) FROM loads WHERE hauler_id = ?1 "
		"AND verdict IN ('accepted', 'sample-hold')";
	static const char sql_last[] =
		"SELECT max(load_no) FROM loads WHERE hauler_id = ?1 AND sampled = 1";
	static const char sql_since[] =
		"SELECT count(*) FROM loads WHERE hauler_id = ?1 AND load_no > ?2 "
		"AND verdict IN ('accepted', 'sample-hold')";
	static const char sql_today[] =
		"SELECT coalesce(sum(gallons), 0) FROM loads WHERE day = ?1 "
		"AND verdict IN ('accepted', 'sample-hold')";
	static const char sql_trucks[] =
		"SELECT id, ident, capacity FROM trucks WHERE hauler_id = ?1 ORDER BY id LIMIT ?2";
	static const char sql_known[] =
		"SELECT name, address, industry, town FROM sources WHERE hauler_id = ?1 "
		"ORDER BY last_used DESC, id DESC LIMIT ?2";
	struct hauler_info *h = &out->hauler;
	char day[11];
	sqlite3_stmt *s;
	long long v, last;
	int rc;

	rc = store_stmt(st, sql_total, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	rc = store_int(st, s, "count the hauler's loads", &v);
	if (rc)
		return rc;
	h->loads_total = (long)v;

	rc = store_stmt(st, sql_last, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	rc = store_int(st, s, "count the hauler's loads", &last);
	if (rc)
		return rc;
	rc = store_stmt(st, sql_since, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	sqlite3_bind_int64(s, 2, last);
	rc = store_int(st, s, "count the hauler's loads", &v);
	if (rc)
		return rc;
	h->loads_since_sample = (long)v;
	rc = store_sample_pending(st, h);
	if (rc)
		return rc;

	text_date_local(now, day);
	rc = store_stmt(st, sql_today, &s);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, day, -1, SQLITE_STATIC);
	rc = store_int(st, s, "sum today's volume", &v);
	if (rc)
		return rc;
	out->station_gallons_today = (long)v;

	rc = store_stmt(st, sql_trucks, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	sqlite3_bind_int(s, 2, HG_MAX_TRUCKS);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct truck_info *t = &out->trucks[out->n_trucks];

		t->id = sqlite3_column_int64(s, 0);
		t->capacity = sqlite3_column_int(s, 2);
		if (store_col_text(s, 1, t->ident, sizeof t->ident, "truck identification")) {
			sqlite3_reset(s);
			return HG_ECORRUPT;
		}
		out->n_trucks++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "read the hauler's trucks");

	rc = store_stmt(st, sql_known, &s);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, h->id);
	sqlite3_bind_int(s, 2, HG_MAX_KNOWN_SOURCES);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct source *k = &out->known[out->n_known];

		if (store_col_source(s, 0, k)) {
			sqlite3_reset(s);
			return HG_ECORRUPT;
		}
		out->n_known++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "read the hauler's sources");
	return HG_OK;
}

/* The card's last accepted load (accepted, or held and sampled: let in
 * after its bottle), what "same as last time" offers: out->last_load and
 * out->last (truck, waste, sources, characteristics, constituents).  Per
 * card, not per hauler: the card is one driver, and a driver's routine is
 * their own (docs/DECISIONS.md). */
static int last_load(struct store *st, struct card_info *out)
{
	static const char sql[] =
		"SELECT load_no, truck_id, truck, waste, characteristics, constituents FROM loads "
		"WHERE card_id = ?1 AND (verdict = 'accepted' OR (verdict = 'sample-hold' AND sampled = 1 "
		"AND bottle <> '')) ORDER BY load_no DESC LIMIT 1";
	struct manifest *m = &out->last;
	char waste[16];
	sqlite3_stmt *s;
	long long no;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, out->card_id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(s);
		return HG_OK;
	}
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_sqlerr(st, rc, "read the card's last load");
	}
	no = sqlite3_column_int64(s, 0);
	m->truck_id = sqlite3_column_int64(s, 1);
	rc = store_col_text(s, 2, m->truck, sizeof m->truck, "truck identification");
	if (!rc)
		rc = store_col_text(s, 3, waste, sizeof waste, "waste type");
	if (!rc)
		rc = store_col_text(s, 4, m->characteristics, sizeof m->characteristics,
				    "characteristics");
	if (!rc)
		rc = store_col_text(s, 5, m->constituents, sizeof m->constituents, "constituents");
	sqlite3_reset(s);
	if (rc)
		return HG_ECORRUPT;
	m->waste = waste_parse(waste);
	if (m->waste == WASTE_NONE)
		return hg_fail(HG_ECORRUPT, "load %lld has an unknown waste type '%s'", no, waste);
	rc = store_load_sources(st, no, m);
	if (rc)
		return rc;
	out->last_load = no;
	return HG_OK;
}

static int check_uid(const char *uid, char norm[LIM_UID + 1])
{
	if (!uid || text_uid_norm(uid, norm) != HG_OK)
		return hg_fail(HG_EINVAL, "'%s' is not a card UID (8, 14 or 20 hex digits)",
			       uid ? uid : "");
	return HG_OK;
}

int store_lookup_card(struct store *st, const char *uid, hg_time now, struct card_info *out)
{
	char norm[LIM_UID + 1];
	int found = 0;
	int rc;

	memset(out, 0, sizeof *out);
	rc = check_uid(uid, norm);
	if (rc)
		return rc;
	memcpy(out->uid, norm, sizeof norm);
	rc = store_begin_read(st);
	if (rc)
		return rc;
	rc = lookup_hauler_card(st, norm, out, &found);
	if (!rc && found)
		rc = hauler_extras(st, out, now);
	if (!rc && found)
		rc = last_load(st, out);
	else if (!rc)
		rc = lookup_operator(st, norm, out);
	store_end_read(st);
	if (rc) {
		memset(out, 0, sizeof *out);
		memcpy(out->uid, norm, sizeof norm);
	}
	return rc;
}
