/* demo.c: the demo roster that `haulgate init --demo` adds.
 *
 * Fixed on purpose: the same haulers, UIDs and PINs every time, because the
 * README, docs/CLI.md and the scenario tests rely on them.  Change a row
 * here and docs/CLI.md ("The demo roster") together.  The valid permits run
 * 2020-01-01 to 2030-12-31 so that scenarios may set their clock anywhere in
 * 2026-2027; Eagle's permit lapsed on 2025-12-31 and Delta is suspended, so
 * that the refusals can be shown too.  Haulers get ids 1 to 5 and trucks
 * 1 to 6 in this order on a new database. */
#include <stdio.h>
#include <string.h>
#include <sodium.h>
#include "cli.h"
#include "../core/manifest.h"
#include "../core/pin.h"
#include "../core/text.h"

struct demo_hauler {
	const char *company, *contact, *address, *phone, *permit, *from, *to;
	const char *waste;
	const char *analysis;	/* "" = none on file */
	int suspended;
	const char *note;	/* what the demo shows with it */
};

static const struct demo_hauler haulers[] = {
	{ "Acme Septic Service", "Maria Acosta", "1200 Industrial Way, Springfield, CO 80110",
	  "303-555-0101", "HW-2020-001", "2020-01-01", "2030-12-31", "septage,portable", "", 0,
	  "valid" },
	{ "Bayou Grease & Trap", "Luis Moreno", "45 Levee Road, Springfield, CO 80111",
	  "303-555-0102", "HW-2020-002", "2020-01-01", "2030-12-31", "grease,septage", "", 0,
	  "valid" },
	{ "Cascade Industrial Liquids", "Kim Nguyen", "9 Refinery Drive, Springfield, CO 80112",
	  "303-555-0103", "HW-2020-003", "2020-01-01", "2030-12-31", "industrial", "2025-06-01", 0,
	  "valid, waste analysis on file" },
	{ "Delta Vac Services", "Pat Olsen", "300 Canal Street, Springfield, CO 80113",
	  "303-555-0104", "HW-2020-004", "2020-01-01", "2030-12-31", "septage", "", 1,
	  "hauler suspended" },
	{ "Eagle Pumping Co.", "Chris Lee", "77 Mesa Avenue, Springfield, CO 80114",
	  "303-555-0105", "HW-2020-005", "2020-01-01", "2025-12-31", "septage", "", 0,
	  "permit lapsed 2025-12-31" },
};

struct demo_truck {
	int hauler;		/* index in haulers[] */
	const char *ident;
	int capacity;		/* gallons */
};

static const struct demo_truck trucks[] = {
	{ 0, "ACME-12", 3000 },
	{ 0, "ACME-07", 1500 },
	{ 1, "BGT-03", 2500 },
	{ 2, "CIL-01", 5000 },
	{ 3, "DVS-01", 2000 },
	{ 4, "EPC-04", 3500 },
};

struct demo_card {
	const char *uid;	/* normalised hex: 4, 7 or 10 bytes */
	const char *pin;
	int hauler;		/* index in haulers[]; -1 = an operator's card */
	const char *holder;	/* driver or operator */
	int revoked;
};

static const struct demo_card cards[] = {
	{ "04a1b2c3", "1234", 0, "Dana Ruiz", 0 },
	{ "04b2c3d4e5f601", "2468", 1, "Ana Torres", 0 },
	{ "04c3d4e5f60718293a4b", "135790", 2, "Kim Nguyen", 0 },
	{ "04d4e5f6", "1111", 0, "Sam Carter", 1 },
	{ "04e5f607", "2222", 3, "Pat Olsen", 0 },
	{ "04f60718", "3333", 4, "Chris Lee", 0 },
	{ "0a0b0c01", "987654", -1, "Riley Park", 0 },
	{ "0a0b0c0d0e0f02", "543210", -1, "Jordan Blake", 0 },
};

static int store_failed(struct cli *c, const char *what)
{
	(void)c;	/* the words are in hg_error_text() */
	return cli_error("demo roster: cannot add %s: %s", what, hg_error_text());
}

static int add_haulers(struct cli *c, long long ids[])
{
	struct hauler_rec h;
	size_t i;
	int rc;

	for (i = 0; i < HG_ARRAY_LEN(haulers); i++) {
		const struct demo_hauler *d = &haulers[i];

		memset(&h, 0, sizeof h);
		snprintf(h.company, sizeof h.company, "%s", d->company);
		snprintf(h.contact, sizeof h.contact, "%s", d->contact);
		snprintf(h.address, sizeof h.address, "%s", d->address);
		snprintf(h.phone, sizeof h.phone, "%s", d->phone);
		snprintf(h.permit, sizeof h.permit, "%s", d->permit);
		snprintf(h.permit_from, sizeof h.permit_from, "%s", d->from);
		snprintf(h.permit_to, sizeof h.permit_to, "%s", d->to);
		snprintf(h.analysis_date, sizeof h.analysis_date, "%s", d->analysis);
		rc = waste_parse_list(d->waste, &h.waste_allowed);
		if (rc < 0)
			return cli_error("demo roster: bad waste list '%s'", d->waste);
		rc = store_hauler_add(c->st, &h, c->now, c->actor, &ids[i]);
		if (rc < 0)
			return store_failed(c, d->company);
		if (!d->suspended)
			continue;
		rc = store_hauler_suspend(c->st, ids[i], 1, c->now, c->actor);
		if (rc < 0)
			return store_failed(c, d->company);
	}
	return 0;
}

static int add_trucks(struct cli *c, const long long ids[])
{
	long long id;
	size_t i;
	int rc;

	for (i = 0; i < HG_ARRAY_LEN(trucks); i++) {
		rc = store_truck_add(c->st, ids[trucks[i].hauler], trucks[i].ident,
				     trucks[i].capacity, c->now, c->actor, &id);
		if (rc < 0)
			return store_failed(c, trucks[i].ident);
	}
	return 0;
}

/* Every card with its PIN hashed with the station's PIN key; each PIN keeps
 * the rule of its kind (pin_new_ok), as any PIN set by hand. */
static int add_cards(struct cli *c, const long long ids[])
{
	struct keypair kp;
	char hash[PIN_HASH_MAX];
	long long id;
	size_t i;
	int rc;

	rc = cli_pin_key(c, &kp);
	if (rc < 0)
		return rc;
	for (i = 0; i < HG_ARRAY_LEN(cards); i++) {
		const struct demo_card *d = &cards[i];
		enum card_kind kind = d->hauler < 0 ? CARD_OPERATOR : CARD_HAULER;

		rc = pin_new_ok(kind, d->pin) == HG_OK ? 0 :
		     cli_error("demo roster: the PIN of '%s' breaks the PIN rule", d->uid);
		if (rc == 0)
			rc = cli_pin_hash(&kp, d->pin, hash);
		if (rc < 0)
			break;
		if (kind == CARD_OPERATOR)
			rc = store_operator_add(c->st, d->holder, d->uid, hash, c->now, c->actor, &id);
		else
			rc = store_card_add(c->st, d->uid, ids[d->hauler], d->holder, hash,
					    c->now, c->actor);
		if (rc == HG_OK && d->revoked)
			rc = store_card_revoke(c->st, d->uid, c->now, c->actor);
		if (rc < 0) {
			rc = store_failed(c, d->uid);
			break;
		}
	}
	sodium_memzero(&kp, sizeof kp);
	return rc;
}

/* The cards and their PINs, as a table in the format asked for. */
static int print_roster(struct cli *c, const long long ids[])
{
	static const char *const cols[] = {
		"uid", "pin", "holder", "hauler_id", "company", "trucks", "shows" };
	const char *cells[HG_ARRAY_LEN(cols)];
	char hid[24], tr[128];
	struct table *t;
	size_t i, k;
	int rc;

	t = table_new((int)HG_ARRAY_LEN(cols), cols);
	if (!t)
		return cli_error("out of memory");
	table_numeric(t, 3);
	for (i = 0; i < HG_ARRAY_LEN(cards); i++) {
		const struct demo_card *d = &cards[i];
		const struct demo_hauler *h = d->hauler < 0 ? NULL : &haulers[d->hauler];

		hid[0] = tr[0] = '\0';
		if (h) {
			snprintf(hid, sizeof hid, "%lld", ids[d->hauler]);
			for (k = 0; k < HG_ARRAY_LEN(trucks); k++) {
				if (trucks[k].hauler != d->hauler)
					continue;
				if (tr[0])
					text_append(tr, sizeof tr, " ");
				text_append(tr, sizeof tr, trucks[k].ident);
			}
		}
		cells[0] = d->uid;
		cells[1] = d->pin;
		cells[2] = d->holder;
		cells[3] = h ? hid : NULL;
		cells[4] = h ? h->company : "(plant operator)";
		cells[5] = tr;
		cells[6] = !h ? "operator" : d->revoked ? "card revoked" : h->note;
		rc = table_add(t, cells);
		if (rc < 0) {
			table_free(t);
			return cli_error("out of memory");
		}
	}
	if (c->fmt == TABLE_TEXT)
		printf("demo roster added:\n");
	cli_print_table(c, t);
	return 0;
}

int demo_load(struct cli *c)
{
	long long ids[HG_ARRAY_LEN(haulers)];
	int rc;

	rc = add_haulers(c, ids);
	if (rc < 0)
		return rc;
	rc = add_trucks(c, ids);
	if (rc < 0)
		return rc;
	rc = add_cards(c, ids);
	if (rc < 0)
		return rc;
	return print_roster(c, ids);
}
