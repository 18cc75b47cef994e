/* roster_event.h: the roster's events, one definition for the station and
 * the plant: which values each takes, how each is checked and the JSON
 * detail it is logged with (docs/SCHEMA.md, "Event types").
 *
 * The station's store (db/store_roster.c) and the plant's roster
 * (potw/roster.c) describe an edit as a struct roster_ev, check it with
 * roster_ev_check() before they touch their database, and once they know
 * the row's id (the caller's: the next id of its table) build its detail
 * with roster_ev_detail().  core/record.c reads those details back into
 * rows.  Values in, values out: no I/O; refusals through hg_fail(). */
#ifndef ROSTER_EVENT_H
#define ROSTER_EVENT_H

#include <cJSON.h>
#include "hg.h"
#include "roster.h"

/* A hauler as added: its company and permit. */
struct hauler_rec {
	char company[HG_BUF(LIM_COMPANY)];
	char contact[HG_BUF(LIM_NAME)];
	char address[HG_BUF(LIM_ADDRESS)];
	char phone[HG_BUF(LIM_PHONE)];
	char permit[HG_BUF(LIM_PERMIT)];
	char permit_from[LIM_DATE + 1];
	char permit_to[LIM_DATE + 1];
	unsigned waste_allowed;
	char analysis_date[LIM_DATE + 1];	/* "" = none on file */
};

/* The roster's event types. */
enum roster_ev_kind {
	RE_HAULER_ADDED,	/* hauler, id */
	RE_HAULER_SUSPENDED,	/* id */
	RE_HAULER_REINSTATED,	/* id */
	RE_PERMIT,		/* id, text (permit number), from, to */
	RE_ANALYSIS,		/* id, date ("" or NULL: none on file) */
	RE_CARD_ADDED,		/* id (card), hauler_id, uid, text (driver), pin_hash */
	RE_CARD_REVOKED,	/* id (card), uid */
	RE_TRUCK_ADDED,		/* id (truck), hauler_id, text (ident), capacity */
	RE_OPERATOR_ADDED,	/* id (operator), uid, text (name), pin_hash */
	RE_POLICY_SET,		/* scope, section, key, value: core/config_policy.h */
	RE_POLICY_UNSET,	/* scope, section, key */
	RE_COUNT
};

/* One roster edit.  The caller owns every string. */
struct roster_ev {
	enum roster_ev_kind kind;
	long long id;			/* the row's id: given by the caller */
	long long hauler_id;
	const struct hauler_rec *hauler;
	const char *uid;		/* as typed: normalised by the check */
	const char *text;		/* permit number, driver, truck ident, operator name */
	const char *from, *to;		/* the permit's dates */
	const char *date;		/* the waste analysis */
	int capacity;			/* gallons */
	const char *pin_hash;		/* core/pin.h's keyed hash */
	int pin_in_detail;		/* the plant's log carries the hash to its stations */
	const char *scope;		/* policy: "*" (all stations) or a station id */
	const char *section, *key;	/* policy: a key of station.ini the plant sets */
	const char *value;		/* policy_set: as station.ini writes it */
};

/* The event type of kind ("hauler_added"), NULL past RE_COUNT. */
const char *roster_ev_type(enum roster_ev_kind kind);

/* Check e's values: text (text_check, the roster's limits), dates, the
 * permit's dates in order, waste types, the truck's capacity (1 to
 * MANIFEST_MAX_GALLONS), a card UID (normalised into uid_norm when not NULL),
 * a PIN hash's form, and a policy's scope, key and value (station.ini's
 * parser: core/config_policy.h).  HG_OK, or HG_EINVAL with the words of the first
 * fault. */
int roster_ev_check(const struct roster_ev *e, char uid_norm[LIM_UID + 1]);

/* roster_ev_check(), then e's detail as a cJSON object into *out (the
 * caller's to cJSON_Delete), its id fields from e->id and e->hauler_id.
 * HG_OK, HG_EINVAL, HG_ENOMEM. */
int roster_ev_detail(const struct roster_ev *e, cJSON **out);

/* The same detail as text (cJSON_PrintUnformatted: the caller frees it with
 * cJSON_free).  HG_OK, HG_EINVAL, HG_ENOMEM. */
int roster_ev_text(const struct roster_ev *e, char **out);

/* "septage,grease" from a mask of 1u << enum waste_type into buf[cap]. */
void roster_waste_list(unsigned mask, char *buf, size_t cap);

/* Text for what (a sentence's subject: "company name") against text_check():
 * HG_OK or HG_EINVAL, the words the station has always used. */
int roster_check_text(const char *what, const char *v, int max, int required);
/* "" or NULL (none), or a date YYYY-MM-DD: HG_OK or HG_EINVAL. */
int roster_check_date(const char *what, const char *v);

#endif
