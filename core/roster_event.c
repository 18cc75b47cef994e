/* roster_event.c: the roster's events, checked and described once.
 *
 * Every roster edit, at the station (db/store_roster.c) or at the plant
 * (potw/roster.c), goes through here twice: roster_ev_check() before the
 * database is touched, so bad input changes nothing, and roster_ev_detail()
 * once the caller knows the row's id, for the event's JSON detail, which
 * core/record.c turns back into rows.  The words of every refusal are the
 * ones the station's store has always said.  PIN hashes are checked for
 * their form only; they go into a detail only at the plant's asking
 * (pin_in_detail: its log carries them down to the stations, docs/SYNC.md).
 * The plant's policy (policy_set, policy_unset) is checked here too, its
 * value by station.ini's own parser (core/config_policy.c).
 * Start reading at roster_ev_detail(). */
#include <stdio.h>
#include <string.h>
#include "config_policy.h"
#include "manifest.h"
#include "report.h"
#include "roster_event.h"
#include "text.h"

static const char *const types[RE_COUNT] = {
	[RE_HAULER_ADDED] = "hauler_added",
	[RE_HAULER_SUSPENDED] = "hauler_suspended",
	[RE_HAULER_REINSTATED] = "hauler_reinstated",
	[RE_PERMIT] = "permit_changed",
	[RE_ANALYSIS] = "analysis_changed",
	[RE_CARD_ADDED] = "card_added",
	[RE_CARD_REVOKED] = "card_revoked",
	[RE_TRUCK_ADDED] = "truck_added",
	[RE_OPERATOR_ADDED] = "operator_added",
	[RE_POLICY_SET] = "policy_set",
	[RE_POLICY_UNSET] = "policy_unset",
};

const char *roster_ev_type(enum roster_ev_kind kind)
{
	if ((int)kind < 0 || kind >= RE_COUNT)
		return NULL;
	return types[kind];
}

void roster_waste_list(unsigned mask, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++) {
		const char *c = waste_code((enum waste_type)w);
		int n;

		if (!(mask & (1u << w)) || !c)
			continue;
		n = snprintf(buf + len, cap - len, "%s%s", len ? "," : "", c);
		if (n < 0 || (size_t)n >= cap - len)
			break;
		len += (size_t)n;
	}
}

int roster_check_text(const char *what, const char *v, int max, int required)
{
	switch (text_check(v ? v : "", max, required)) {
	case TEXT_OK:
		return HG_OK;
	case TEXT_BAD_UTF8:
		return hg_fail(HG_EINVAL, "%s is not valid UTF-8 text", what);
	case TEXT_CONTROL:
		return hg_fail(HG_EINVAL, "%s contains a control character", what);
	case TEXT_TOO_LONG:
		return hg_fail(HG_EINVAL, "%s is longer than %d characters", what, max);
	case TEXT_EMPTY:
		return hg_fail(HG_EINVAL, "%s is empty", what);
	case TEXT_FORMAT:
		return hg_fail(HG_EINVAL, "%s contains a hidden formatting character", what);
	case TEXT_INVISIBLE:
		return hg_fail(HG_EINVAL, "%s has no visible character", what);
	}
	return hg_fail(HG_EINVAL, "%s is not acceptable", what);
}

int roster_check_date(const char *what, const char *v)
{
	int y, m, d;

	if (!v || !*v)
		return HG_OK;
	if (text_parse_date(v, &y, &m, &d) != HG_OK)
		return hg_fail(HG_EINVAL, "%s '%s' is not a date (YYYY-MM-DD)", what, v);
	return HG_OK;
}

static int check_uid(const char *uid, char norm[LIM_UID + 1])
{
	if (!uid || text_uid_norm(uid, norm) != HG_OK)
		return hg_fail(HG_EINVAL, "'%s' is not a card UID (8, 14 or 20 hex digits)",
			       uid ? uid : "");
	return HG_OK;
}

static int check_pin_hash(const char *h)
{
	if (!h || !*h || strlen(h) >= PIN_HASH_MAX || text_check(h, PIN_HASH_MAX, 1) != TEXT_OK)
		return hg_fail(HG_EINVAL, "the PIN hash is missing or malformed");
	return HG_OK;
}

static int check_hauler(const struct hauler_rec *h)
{
	int rc;

	if (!h)
		return hg_fail(HG_EINVAL, "no hauler given");
	rc = roster_check_text("company name", h->company, LIM_COMPANY, 1);
	if (!rc)
		rc = roster_check_text("contact name", h->contact, LIM_NAME, 0);
	if (!rc)
		rc = roster_check_text("address", h->address, LIM_ADDRESS, 0);
	if (!rc)
		rc = roster_check_text("phone", h->phone, LIM_PHONE, 0);
	if (!rc)
		rc = roster_check_text("permit number", h->permit, LIM_PERMIT, 0);
	if (!rc)
		rc = roster_check_date("permit start", h->permit_from);
	if (!rc)
		rc = roster_check_date("permit end", h->permit_to);
	if (!rc)
		rc = roster_check_date("waste analysis date", h->analysis_date);
	if (rc)
		return rc;
	if (h->waste_allowed & ~WASTE_ALL)
		return hg_fail(HG_EINVAL, "unknown waste type in the hauler's allowed wastes");
	return HG_OK;
}

static int check_permit(const struct roster_ev *e)
{
	int rc;

	rc = roster_check_text("permit number", e->text, LIM_PERMIT, 1);
	if (!rc)
		rc = roster_check_date("permit start", e->from);
	if (!rc)
		rc = roster_check_date("permit end", e->to);
	if (rc)
		return rc;
	if (e->from && e->to && *e->from && *e->to && strcmp(e->from, e->to) > 0)
		return hg_fail(HG_EINVAL, "the permit ends (%s) before it starts (%s)", e->to,
			       e->from);
	return HG_OK;
}

/* A policy edit: its scope, a key the plant sets, and for a set the value
 * station.ini's parser takes (its words when it does not). */
static int check_policy(const struct roster_ev *e)
{
	int rc = config_policy_scope(e->scope);

	if (rc)
		return rc;
	if (!config_policy_known(e->section, e->key))
		return hg_fail(HG_EINVAL, "'%.20s.%.40s' is not a key the plant sets",
			       e->section ? e->section : "", e->key ? e->key : "");
	if (e->kind == RE_POLICY_UNSET)
		return HG_OK;
	return config_policy_check(e->section, e->key, e->value);
}

int roster_ev_check(const struct roster_ev *e, char uid_norm[LIM_UID + 1])
{
	char norm[LIM_UID + 1];
	int rc;

	switch (e->kind) {
	case RE_HAULER_ADDED:
		return check_hauler(e->hauler);
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
		return HG_OK;
	case RE_PERMIT:
		return check_permit(e);
	case RE_ANALYSIS:
		return roster_check_date("waste analysis date", e->date);
	case RE_CARD_ADDED:
		rc = check_uid(e->uid, norm);
		if (!rc)
			rc = roster_check_text("driver name", e->text, LIM_NAME, 0);
		if (!rc)
			rc = check_pin_hash(e->pin_hash);
		break;
	case RE_CARD_REVOKED:
		rc = check_uid(e->uid, norm);
		break;
	case RE_TRUCK_ADDED:
		rc = roster_check_text("truck identification", e->text, LIM_PLATE, 1);
		if (rc)
			return rc;
		if (e->capacity <= 0 || e->capacity > MANIFEST_MAX_GALLONS)
			return hg_fail(HG_EINVAL, "truck capacity %d is not between 1 and %d gallons",
				       e->capacity, MANIFEST_MAX_GALLONS);
		return HG_OK;
	case RE_OPERATOR_ADDED:
		rc = roster_check_text("operator name", e->text, LIM_NAME, 1);
		if (!rc)
			rc = check_uid(e->uid, norm);
		if (!rc)
			rc = check_pin_hash(e->pin_hash);
		break;
	case RE_POLICY_SET:
	case RE_POLICY_UNSET:
		return check_policy(e);
	default:
		return hg_fail(HG_EINVAL, "not a roster event (%d)", (int)e->kind);
	}
	if (!rc && uid_norm)
		memcpy(uid_norm, norm, sizeof norm);
	return rc;
}

static void add_id(cJSON *j, const char *name, long long v)
{
	cJSON_AddNumberToObject(j, name, (double)v);
}

static void add_text(cJSON *j, const char *name, const char *v)
{
	cJSON_AddStringToObject(j, name, v ? v : "");
}

/* The detail's members, in the order the station has always written them. */
static void fill(const struct roster_ev *e, const char *uid, cJSON *j)
{
	const struct hauler_rec *h = e->hauler;
	char waste[LIM_WASTE_LIST + 1];

	switch (e->kind) {
	case RE_HAULER_ADDED:
		roster_waste_list(h->waste_allowed, waste, sizeof waste);
		add_id(j, "hauler_id", e->id);
		add_text(j, "company", h->company);
		add_text(j, "contact", h->contact);
		add_text(j, "address", h->address);
		add_text(j, "phone", h->phone);
		add_text(j, "permit", h->permit);
		add_text(j, "permit_from", h->permit_from);
		add_text(j, "permit_to", h->permit_to);
		add_text(j, "waste_allowed", waste);
		add_text(j, "analysis_date", h->analysis_date);
		break;
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
		add_id(j, "hauler_id", e->id);
		break;
	case RE_PERMIT:
		add_id(j, "hauler_id", e->id);
		add_text(j, "permit", e->text);
		add_text(j, "from", e->from);
		add_text(j, "to", e->to);
		break;
	case RE_ANALYSIS:
		add_id(j, "hauler_id", e->id);
		add_text(j, "analysis_date", e->date);
		break;
	case RE_CARD_ADDED:
		add_text(j, "uid", uid);
		add_id(j, "card_id", e->id);
		add_id(j, "hauler_id", e->hauler_id);
		add_text(j, "driver", e->text);
		break;
	case RE_CARD_REVOKED:
		add_text(j, "uid", uid);
		add_id(j, "card_id", e->id);
		break;
	case RE_TRUCK_ADDED:
		add_id(j, "truck_id", e->id);
		add_id(j, "hauler_id", e->hauler_id);
		add_text(j, "ident", e->text);
		cJSON_AddNumberToObject(j, "capacity", e->capacity);
		break;
	case RE_OPERATOR_ADDED:
		add_id(j, "operator_id", e->id);
		add_text(j, "name", e->text);
		add_text(j, "uid", uid);
		break;
	case RE_POLICY_SET:
	case RE_POLICY_UNSET:
		add_text(j, "scope", e->scope);
		add_text(j, "section", e->section);
		add_text(j, "key", e->key);
		if (e->kind == RE_POLICY_SET)
			add_text(j, "value", e->value);
		break;
	default:
		break;
	}
	if (e->pin_in_detail && (e->kind == RE_CARD_ADDED || e->kind == RE_OPERATOR_ADDED))
		add_text(j, "pin_hash", e->pin_hash);
}

int roster_ev_detail(const struct roster_ev *e, cJSON **out)
{
	char uid[LIM_UID + 1] = "";
	cJSON *j;
	int rc;

	*out = NULL;
	rc = roster_ev_check(e, uid);
	if (rc)
		return rc;
	j = cJSON_CreateObject();
	if (!j)
		return hg_fail(HG_ENOMEM, "out of memory writing an event");
	fill(e, uid, j);
	*out = j;
	return HG_OK;
}

int roster_ev_text(const struct roster_ev *e, char **out)
{
	cJSON *j;
	int rc;

	*out = NULL;
	rc = roster_ev_detail(e, &j);
	if (rc)
		return rc;
	*out = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	if (!*out)
		return hg_fail(HG_ENOMEM, "out of memory writing an event");
	return HG_OK;
}
