/* store_load.c: loads and RV visits: commit, sample, discharge, read back.
 *
 * store_load_commit() is the one write that must never be half done: the
 * load row, its sources, the hauler's remembered sources and the events
 * "manifest_submitted" and "decision" go in one transaction, committed with
 * synchronous=FULL before the valve may open.  The load keeps its own copy of
 * who, what and from where (company, permit, truck...) as certified, so a later
 * roster change does not rewrite history.  The day column is the local date
 * of the decision, for the indexed day and month queries. */
#include <stdio.h>
#include <string.h>
#include <cJSON.h>
#include "store_int.h"
#include "../core/text.h"

#define LOAD_COLS \
	"station, day, hauler_id, card_id, company, company_address, driver, permit, " \
	"truck_id, truck, truck_capacity, waste, gallons, gallons_measured, characteristics, " \
	"constituents, rcra, signer, lang, record, record_sha256, verdict, refuse_reasons, " \
	"sample_reasons, sampled, manual_flag, bottle, sampled_by, t_card, t_pin, t_form, " \
	"t_certified, t_decided, t_sampled, t_discharge_start, t_discharge_end, discharge_end_why, " \
	"meter_flag"

static int check_load(const struct load_rec *ld)
{
	const struct manifest *m = &ld->m;

	if (ld->d.verdict != VERDICT_ACCEPTED && ld->d.verdict != VERDICT_REFUSED &&
	    ld->d.verdict != VERDICT_SAMPLE_HOLD)
		return hg_fail(HG_EINVAL, "the load has no decision");
	if (ld->t.decided == 0)
		return hg_fail(HG_EINVAL, "the load has no decision time");
	if (m->n_sources < 0 || m->n_sources > HG_MAX_SOURCES)
		return hg_fail(HG_EINVAL, "the load has %d sources (at most %d)", m->n_sources,
			       HG_MAX_SOURCES);
	if (m->gallons < 0 || ld->gallons_measured < 0)
		return hg_fail(HG_EINVAL, "the load has a negative volume");
	if (ld->d.n_refuse < 0 || ld->d.n_refuse > POLICY_MAX_REASONS ||
	    ld->d.n_sample < 0 || ld->d.n_sample > POLICY_MAX_REASONS)
		return hg_fail(HG_EINVAL, "the load's decision has a bad reason count");
	if (memchr(ld->record, '\0', sizeof ld->record) == NULL)
		return hg_fail(HG_EINVAL, "the copy of record is not terminated");
	return HG_OK;
}

static cJSON *codes_array(const enum reason *r, int n)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(reason_code(r[i])));
	return a;
}

static void add_num(cJSON *j, const char *name, long long v)
{
	cJSON_AddNumberToObject(j, name, (double)v);
}

/* Every value of the load row as committed, for "manifest_submitted": the
 * event log alone rebuilds the row (core/record.c). */
static void load_detail(cJSON *j, const struct load_rec *ld, const char *day, const char *sha_hex)
{
	const struct manifest *m = &ld->m;
	cJSON *a;

	cJSON_AddStringToObject(j, "record_sha256", sha_hex);
	add_num(j, "gallons", m->gallons);
	cJSON_AddStringToObject(j, "waste", waste_code(m->waste) ? waste_code(m->waste) : "");
	add_num(j, "hauler_id", m->hauler_id);
	cJSON_AddStringToObject(j, "lang", i18n_lang_code(ld->lang) ? i18n_lang_code(ld->lang) : "en");
	cJSON_AddStringToObject(j, "station", ld->station);
	cJSON_AddStringToObject(j, "day", day);
	add_num(j, "card_id", m->card_id);
	cJSON_AddStringToObject(j, "company", m->company);
	cJSON_AddStringToObject(j, "company_address", m->company_address);
	cJSON_AddStringToObject(j, "driver", m->driver);
	cJSON_AddStringToObject(j, "permit", m->permit);
	add_num(j, "truck_id", m->truck_id);
	cJSON_AddStringToObject(j, "truck", m->truck);
	add_num(j, "truck_capacity", m->truck_capacity);
	cJSON_AddStringToObject(j, "characteristics", m->characteristics);
	cJSON_AddStringToObject(j, "constituents", m->constituents);
	cJSON_AddStringToObject(j, "rcra", rcra_code(m->rcra));
	cJSON_AddStringToObject(j, "signer", m->signer);
	a = cJSON_AddArrayToObject(j, "sources");
	for (int i = 0; a && i < m->n_sources; i++) {
		cJSON *o = cJSON_CreateObject();

		if (!o || !cJSON_AddItemToArray(a, o)) {
			cJSON_Delete(o);
			break;
		}
		cJSON_AddStringToObject(o, "name", m->sources[i].name);
		cJSON_AddStringToObject(o, "address", m->sources[i].address);
		cJSON_AddStringToObject(o, "industry", m->sources[i].industry);
		cJSON_AddStringToObject(o, "town", m->sources[i].town);
	}
	add_num(j, "t_card", ld->t.card);
	add_num(j, "t_pin", ld->t.pin);
	add_num(j, "t_form", ld->t.form);
	add_num(j, "t_certified", ld->t.certified);
	add_num(j, "t_decided", ld->t.decided);
	add_num(j, "gallons_measured", ld->gallons_measured);
	cJSON_AddStringToObject(j, "bottle", ld->bottle);
	add_num(j, "sampled_by", ld->sampled_by);
	add_num(j, "t_sampled", ld->t.sampled);
	add_num(j, "t_discharge_start", ld->t.discharge_start);
	add_num(j, "t_discharge_end", ld->t.discharge_end);
	cJSON_AddStringToObject(j, "meter_flag", ld->meter_flag ? reason_code(ld->meter_flag) : "");
	cJSON_AddStringToObject(j, "record", ld->record);
}

/* The two events of a commit and their rows, inside the transaction. */
static int load_events(struct store *st, const struct load_rec *ld, long long no,
		       const char *day, const char *sha_hex, const char *actor)
{
	struct store_ev ev[2] = {
		{ ld->t.certified ? ld->t.certified : ld->t.decided, "manifest_submitted", no, NULL },
		{ ld->t.decided, "decision", no, NULL },
	};
	char *detail[2] = { NULL, NULL };
	cJSON *j[2];
	int rc = HG_OK;

	j[0] = cJSON_CreateObject();
	if (j[0])
		load_detail(j[0], ld, day, sha_hex);
	j[1] = cJSON_CreateObject();
	if (j[1]) {
		cJSON_AddStringToObject(j[1], "verdict", verdict_code(ld->d.verdict));
		cJSON_AddItemToObject(j[1], "refuse", codes_array(ld->d.refuse, ld->d.n_refuse));
		cJSON_AddItemToObject(j[1], "sample", codes_array(ld->d.sample, ld->d.n_sample));
		cJSON_AddBoolToObject(j[1], "manual_flag", ld->manual_flag != 0);
	}
	for (int i = 0; i < 2; i++) {
		detail[i] = store_json_print(j[i]);
		cJSON_Delete(j[i]);
		ev[i].detail = detail[i];
		if (!detail[i])
			rc = HG_ENOMEM;
	}
	if (!rc)
		rc = store_write(st, ev, 2, actor, NULL);
	store_json_free(detail[0]);
	store_json_free(detail[1]);
	return rc;
}

int store_load_commit(struct store *st, struct load_rec *ld, const char *actor)
{
	static const uint8_t zero[32];
	char day[11], sha_hex[65];
	uint8_t sha[32];
	long long no = 0;
	int rc = check_load(ld);

	if (rc)
		return rc;
	text_sha256(ld->record, strlen(ld->record), sha);
	if (memcmp(ld->record_sha, zero, 32) != 0 && memcmp(ld->record_sha, sha, 32) != 0)
		return hg_fail(HG_EINVAL, "the copy of record does not match its SHA-256");
	memcpy(ld->record_sha, sha, 32);
	text_hex(sha, 32, sha_hex);
	text_date_local(ld->t.decided, day);

	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need_hauler(st, ld->m.hauler_id);
	if (!rc && ld->sampled_by)
		rc = store_need_operator(st, ld->sampled_by);
	if (!rc)
		rc = store_next_id(st, "loads", &no);
	if (!rc)
		rc = load_events(st, ld, no, day, sha_hex, actor);
	rc = store_end(st, rc);
	if (!rc)
		ld->load_no = no;
	return rc;
}

/* The verdict, bottle and discharge times of a load, inside the transaction. */
struct load_state {
	char verdict[16];
	int has_bottle;
	hg_time start, end;
};

static int load_state(struct store *st, long long no, struct load_state *ls)
{
	static const char sql[] =
		"SELECT verdict, bottle <> '', coalesce(t_discharge_start, 0), "
		"coalesce(t_discharge_end, 0) FROM loads WHERE load_no = ?1";
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(ls->verdict, sizeof ls->verdict, "%s", (const char *)sqlite3_column_text(s, 0));
		ls->has_bottle = sqlite3_column_int(s, 1);
		ls->start = sqlite3_column_int64(s, 2);
		ls->end = sqlite3_column_int64(s, 3);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return hg_fail(HG_ENOTFOUND, "no load number %lld", no);
	if (rc != SQLITE_ROW)
		return store_sqlerr(st, rc, "read the load");
	return HG_OK;
}

int store_load_sample(struct store *st, long long load_no, const char *bottle, long long operator_id,
		      hg_time now, const char *actor)
{
	struct load_state ls;
	cJSON *j;
	int rc = store_check_text("bottle id", bottle, LIM_BOTTLE, 1);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = load_state(st, load_no, &ls);
	if (!rc && ls.has_bottle)
		rc = hg_fail(HG_EEXIST, "load %lld already has a sample bottle recorded", load_no);
	if (!rc)
		rc = store_need_operator(st, operator_id);
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddStringToObject(j, "bottle", bottle);
		cJSON_AddNumberToObject(j, "operator_id", (double)operator_id);
	}
	return store_finish(st, rc, now, "sample_taken", load_no, actor, j);
}

int store_load_discharge_start(struct store *st, long long load_no, hg_time now, const char *actor)
{
	struct store_ev ev = { now, "discharge_started", load_no, NULL };	/* no detail */
	struct load_state ls;
	int rc = store_begin(st);

	if (rc)
		return rc;
	rc = load_state(st, load_no, &ls);
	if (!rc && strcmp(ls.verdict, "refused") == 0)
		rc = hg_fail(HG_EREFUSED, "load %lld was refused: it may not be discharged", load_no);
	if (!rc && ls.start)
		rc = hg_fail(HG_EEXIST, "the discharge of load %lld has already started", load_no);
	if (!rc)
		rc = store_write(st, &ev, 1, actor, NULL);
	return store_end(st, rc);
}

int store_load_discharge_end(struct store *st, long long load_no, hg_time now, long measured,
			     enum reason meter_flag, const char *why, const char *actor)
{
	struct load_state ls;
	cJSON *j;
	int rc = store_check_text("reason the discharge ended", why, LIM_REASON, 0);

	if (rc)
		return rc;
	if (measured < 0)
		return hg_fail(HG_EINVAL, "the measured volume is negative");
	if (meter_flag != R_NONE && meter_flag != R_METER_MISMATCH && meter_flag != R_METER_FAILED)
		return hg_fail(HG_EINVAL, "'%s' is not a meter flag", reason_code(meter_flag));
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = load_state(st, load_no, &ls);
	if (!rc && !ls.start)
		rc = hg_fail(HG_EINVAL, "the discharge of load %lld never started", load_no);
	if (!rc && ls.end)
		rc = hg_fail(HG_EEXIST, "the discharge of load %lld has already ended", load_no);
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddNumberToObject(j, "gallons_measured", (double)measured);
		cJSON_AddStringToObject(j, "why", why ? why : "");
		if (meter_flag)
			cJSON_AddStringToObject(j, "meter", reason_code(meter_flag));
	}
	return store_finish(st, rc, now, "discharge_ended", load_no, actor, j);
}

/* ---- reading a load back ---- */

static int hexbyte(const char *p)
{
	int v = 0;

	for (int i = 0; i < 2; i++) {
		char c = p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else
			return -1;
	}
	return v;
}

/* "a,b,c" reason codes into r[] (at most POLICY_MAX_REASONS). */
static int parse_codes(long long no, const char *list, enum reason *r, int *n)
{
	const char *p = list;

	*n = 0;
	while (*p) {
		char code[64];
		size_t len = strcspn(p, ",");

		if (len >= sizeof code || *n == POLICY_MAX_REASONS)
			return hg_fail(HG_ECORRUPT, "load %lld has a bad reason list", no);
		memcpy(code, p, len);
		code[len] = '\0';
		r[*n] = reason_parse(code);
		if (r[*n] == R_NONE)
			return hg_fail(HG_ECORRUPT, "load %lld has an unknown reason '%s'", no, code);
		(*n)++;
		p += len;
		if (*p == ',')
			p++;
	}
	return HG_OK;
}

static int read_load(sqlite3_stmt *s, struct load_rec *out)
{
	struct manifest *m = &out->m;
	char code[64], sha[80];
	int lang, rc;

	out->load_no = sqlite3_column_int64(s, 0);
#define TXT(col, dst, what) \
	do { \
		rc = store_col_text(s, col, dst, sizeof(dst), what); \
		if (rc) \
			return rc; \
	} while (0)
	TXT(1, out->station, "station id");
	m->hauler_id = sqlite3_column_int64(s, 3);
	m->card_id = sqlite3_column_int64(s, 4);
	TXT(5, m->company, "company name");
	TXT(6, m->company_address, "company address");
	TXT(7, m->driver, "driver name");
	TXT(8, m->permit, "permit number");
	m->truck_id = sqlite3_column_int64(s, 9);
	TXT(10, m->truck, "truck identification");
	m->truck_capacity = sqlite3_column_int(s, 11);
	TXT(12, code, "waste type");
	m->waste = waste_parse(code);
	m->gallons = (long)sqlite3_column_int64(s, 13);
	out->gallons_measured = (long)sqlite3_column_int64(s, 14);
	TXT(15, m->characteristics, "characteristics");
	TXT(16, m->constituents, "constituents");
	TXT(17, code, "RCRA answer");
	m->rcra = rcra_parse(code);
	TXT(18, m->signer, "signer name");
	TXT(19, code, "language");
	lang = i18n_lang_parse(code);
	out->lang = lang < 0 ? LANG_EN : (enum lang)lang;
	TXT(20, out->record, "copy of record");
	TXT(21, sha, "record hash");
	TXT(22, code, "verdict");
	out->d.verdict = verdict_parse(code);
	{
		char list[POLICY_MAX_REASONS * 40];

		TXT(23, list, "refusal reasons");
		rc = parse_codes(out->load_no, list, out->d.refuse, &out->d.n_refuse);
		if (rc)
			return rc;
		TXT(24, list, "sampling reasons");
		rc = parse_codes(out->load_no, list, out->d.sample, &out->d.n_sample);
		if (rc)
			return rc;
	}
	out->manual_flag = sqlite3_column_int(s, 26);
	TXT(27, out->bottle, "bottle id");
	out->sampled_by = sqlite3_column_int64(s, 28);
	out->t.card = sqlite3_column_int64(s, 29);
	out->t.pin = sqlite3_column_int64(s, 30);
	out->t.form = sqlite3_column_int64(s, 31);
	out->t.certified = sqlite3_column_int64(s, 32);
	out->t.decided = sqlite3_column_int64(s, 33);
	out->t.sampled = sqlite3_column_int64(s, 34);
	out->t.discharge_start = sqlite3_column_int64(s, 35);
	out->t.discharge_end = sqlite3_column_int64(s, 36);
	{
		char why[HG_BUF(LIM_REASON)];

		TXT(37, why, "reason the discharge ended");
		out->interrupted = strcmp(why, "interrupted") == 0;
	}
	TXT(38, code, "meter flag");
	out->meter_flag = code[0] ? reason_parse(code) : R_NONE;
	if (code[0] && out->meter_flag != R_METER_MISMATCH && out->meter_flag != R_METER_FAILED)
		return hg_fail(HG_ECORRUPT, "load %lld has an unknown meter flag '%s'",
			       out->load_no, code);
	TXT(39, out->sampler, "sampler name");
#undef TXT
	if (strlen(sha) != 64)
		return hg_fail(HG_ECORRUPT, "load %lld has a bad record hash", out->load_no);
	for (int i = 0; i < 32; i++) {
		int b = hexbyte(sha + 2 * i);

		if (b < 0)
			return hg_fail(HG_ECORRUPT, "load %lld has a bad record hash", out->load_no);
		out->record_sha[i] = (uint8_t)b;
	}
	return HG_OK;
}

int store_load_sources(struct store *st, long long no, struct manifest *m)
{
	static const char sql[] =
		"SELECT name, address, industry, town FROM load_sources WHERE load_no = ?1 ORDER BY idx";
	sqlite3_stmt *s;
	int rc = store_stmt(st, sql, &s);

	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, no);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct source *src;

		if (m->n_sources == HG_MAX_SOURCES) {
			sqlite3_reset(s);
			return hg_fail(HG_ECORRUPT, "load %lld has too many sources", no);
		}
		src = &m->sources[m->n_sources];
		if (store_col_source(s, 0, src)) {
			sqlite3_reset(s);
			return HG_ECORRUPT;
		}
		m->n_sources++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, rc, "read the load's sources");
	return HG_OK;
}

int store_load_get(struct store *st, long long load_no, struct load_rec *out)
{
	static const char sql[] =
		"SELECT l.load_no, " LOAD_COLS ", coalesce(o.name, '') "
		"FROM loads l LEFT JOIN operators o ON o.id = l.sampled_by WHERE l.load_no = ?1";
	sqlite3_stmt *s;
	int rc;

	memset(out, 0, sizeof *out);
	rc = store_begin_read(st);
	if (rc)
		return rc;
	rc = store_stmt(st, sql, &s);
	if (rc)
		goto out;
	sqlite3_bind_int64(s, 1, load_no);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		rc = read_load(s, out);
	} else if (rc == SQLITE_DONE) {
		rc = hg_fail(HG_ENOTFOUND, "no load number %lld", load_no);
	} else {
		rc = store_sqlerr(st, rc, "read the load");
	}
	sqlite3_reset(s);
	if (!rc)
		rc = store_load_sources(st, load_no, &out->m);
out:
	store_end_read(st);
	if (rc)
		memset(out, 0, sizeof *out);
	return rc;
}

/* ---- RV visits ---- */

int store_rv_commit(struct store *st, struct rv_rec *rv, const char *actor)
{
	hg_time first = rv->signed_in ? rv->signed_in : rv->done;
	char day[11];
	long long id = 0;
	cJSON *j;
	int rc;

	rc = store_check_text("name", rv->name, LIM_NAME, 0);
	if (!rc)
		rc = store_check_text("plate", rv->plate, LIM_PLATE, 0);
	if (!rc)
		rc = store_check_text("plate state", rv->plate_state, LIM_STATE, 0);
	if (rc)
		return rc;
	if (!first)
		return hg_fail(HG_EINVAL, "the RV visit has no sign-in time");
	text_date_local(first, day);

	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_next_id(st, "rv_visits", &id);
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddNumberToObject(j, "rv_id", (double)id);
		cJSON_AddStringToObject(j, "name", rv->name);
		cJSON_AddStringToObject(j, "plate", rv->plate);
		cJSON_AddStringToObject(j, "plate_state", rv->plate_state);
		cJSON_AddStringToObject(j, "lang", i18n_lang_code(rv->lang));
		cJSON_AddBoolToObject(j, "declared", rv->declared != 0);
		cJSON_AddNumberToObject(j, "signed_in", (double)rv->signed_in);
		cJSON_AddNumberToObject(j, "rules_accepted", (double)rv->rules_accepted);
		cJSON_AddNumberToObject(j, "declared_at", (double)rv->declared);
		cJSON_AddNumberToObject(j, "done", (double)rv->done);
		cJSON_AddStringToObject(j, "day", day);
	}
	return store_finish_insert(st, rc, id, rv->done ? rv->done : first, "rv_visit", actor, j,
				   NULL, &rv->id);
}

int store_rv_done(struct store *st, long long id, hg_time now, const char *why, const char *actor)
{
	static const char sql[] = "SELECT count(*) FROM rv_visits WHERE id = ?1 AND done IS NULL";
	cJSON *j;
	int rc = store_check_text("reason the visit ended", why, LIM_REASON, 0);

	if (rc)
		return rc;
	rc = store_begin(st);
	if (rc)
		return rc;
	rc = store_need(st, sql, id, "no open RV visit");
	j = cJSON_CreateObject();
	if (j) {
		cJSON_AddNumberToObject(j, "visit", (double)id);
		cJSON_AddStringToObject(j, "why", why);
	}
	return store_finish(st, rc, now, "rv_done", 0, actor, j);
}
