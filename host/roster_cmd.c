/* roster_cmd.c: the roster's edit commands of both programs.
 *
 * take() turns a command line into a struct roster_ev: every value checked
 * first (cli_take: the station CLI's rules), so bad input asks for no PIN
 * and changes nothing; then the PIN, then the backend's apply(), then one
 * line saying what was done.  A refusal of the backend is said in the
 * station CLI's words ("no hauler with id 7", "card '04a1b2c3' is already in
 * the roster").  Start reading at roster_cmd(). */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cmdline_values.h"
#include "roster_cmd.h"
#include "../core/report.h"
#include "../core/text.h"

const struct cli_opt roster_opts_hauler_add[] = {
	{ "company", 1 }, { "contact", 1 }, { "address", 1 }, { "phone", 1 },
	{ "permit", 1 }, { "from", 1 }, { "to", 1 }, { "waste", 1 }, { "analysis", 1 },
	{ NULL, 0 } };
const struct cli_opt roster_opts_permit[] = {
	{ "permit", 1 }, { "from", 1 }, { "to", 1 }, { NULL, 0 } };
const struct cli_opt roster_opts_analysis[] = { { "date", 1 }, { "none", 0 }, { NULL, 0 } };
const struct cli_opt roster_opts_card_add[] = {
	{ "uid", 1 }, { "hauler", 1 }, { "driver", 1 }, { NULL, 0 } };
const struct cli_opt roster_opts_truck_add[] = {
	{ "hauler", 1 }, { "ident", 1 }, { "capacity", 1 }, { NULL, 0 } };
const struct cli_opt roster_opts_operator_add[] = { { "name", 1 }, { "uid", 1 }, { NULL, 0 } };

/* Everything an edit's values live in while it runs. */
struct edit {
	struct roster_ev e;
	struct hauler_rec h;
	char waste[HG_BUF(LIM_WASTE_LIST)];
	char text[HG_BUF(LIM_COMPANY)];		/* permit, driver, ident, name */
	char uid[LIM_UID + 1];
	char from[LIM_DATE + 1], to[LIM_DATE + 1], date[LIM_DATE + 1];
	char hash[PIN_HASH_MAX];
	long capacity;
};

/* No empty item in a comma-separated list: "septage,,grease" and
 * "septage," are typing mistakes, not lists. */
static int waste_list_strict(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != ',' && s[n - 1] != ',' && !strstr(s, ",,");
}

static int take_hauler(struct edit *x, const struct cli_args *a)
{
	struct hauler_rec *h = &x->h;
	const struct cli_field f[] = {
		{ "company", CF_TEXT, 1, 0, LIM_COMPANY, h->company, sizeof h->company },
		{ "contact", CF_TEXT, 1, 0, LIM_NAME, h->contact, sizeof h->contact },
		{ "address", CF_TEXT, 1, 0, LIM_ADDRESS, h->address, sizeof h->address },
		{ "phone", CF_TEXT, 1, 0, LIM_PHONE, h->phone, sizeof h->phone },
		{ "permit", CF_TEXT, 1, 0, LIM_PERMIT, h->permit, sizeof h->permit },
		{ "from", CF_DATE, 1, 0, 0, h->permit_from, sizeof h->permit_from },
		{ "to", CF_DATE, 1, 0, 0, h->permit_to, sizeof h->permit_to },
		{ "waste", CF_TEXT, 1, 0, LIM_WASTE_LIST, x->waste, sizeof x->waste },
		{ "analysis", CF_DATE, 0, 0, 0, h->analysis_date, sizeof h->analysis_date },
	};
	int rc = cli_take(a, f, HG_ARRAY_LEN(f));

	if (rc < 0)
		return rc;
	if (strcmp(h->permit_from, h->permit_to) > 0)
		return cli_error("--to: %s is before --from %s", h->permit_to, h->permit_from);
	rc = waste_parse_list(x->waste, &h->waste_allowed);
	if (rc < 0 || !h->waste_allowed || !waste_list_strict(x->waste))
		return cli_error("--waste: '%s' is not a list of waste types "
				 "(septage, portable, grease, industrial; comma-separated)", x->waste);
	x->e.hauler = h;
	return 0;
}

static int take_permit(struct edit *x, const struct cli_args *a)
{
	const struct cli_field f[] = {
		{ "permit", CF_TEXT, 1, 0, LIM_PERMIT, x->text, sizeof x->text },
		{ "from", CF_DATE, 1, 0, 0, x->from, sizeof x->from },
		{ "to", CF_DATE, 1, 0, 0, x->to, sizeof x->to },
	};
	int rc = cli_take(a, f, HG_ARRAY_LEN(f));

	if (rc < 0)
		return rc;
	if (strcmp(x->from, x->to) > 0)
		return cli_error("--to: %s is before --from %s", x->to, x->from);
	x->e.text = x->text, x->e.from = x->from, x->e.to = x->to;
	return 0;
}

static int take_analysis(struct edit *x, const struct cli_args *a)
{
	const struct cli_field f[] = {
		{ "date", CF_DATE, 0, 0, 0, x->date, sizeof x->date },
	};

	if (!cli_get(a, "date") == !cli_get(a, "none"))
		return cli_usage("give either --date DATE or --none");
	x->e.date = x->date;
	return cli_take(a, f, HG_ARRAY_LEN(f));
}

/* A card's or an operator's fields, then its new PIN. */
static int take_card(const struct roster_backend *b, struct edit *x, const struct cli_args *a)
{
	int operator = x->e.kind == RE_OPERATOR_ADDED;
	const struct cli_field card[] = {
		{ "uid", CF_UID, 1, 0, 0, x->uid, sizeof x->uid },
		{ "hauler", CF_ID, 1, 0, 0, &x->e.hauler_id, sizeof x->e.hauler_id },
		{ "driver", CF_TEXT, 1, 0, LIM_NAME, x->text, sizeof x->text },
	};
	const struct cli_field op[] = {
		{ "name", CF_TEXT, 1, 0, LIM_NAME, x->text, sizeof x->text },
		{ "uid", CF_UID, 1, 0, 0, x->uid, sizeof x->uid },
	};
	int rc = operator ? cli_take(a, op, HG_ARRAY_LEN(op))
			  : cli_take(a, card, HG_ARRAY_LEN(card));

	if (rc < 0)
		return rc;
	x->e.uid = x->uid, x->e.text = x->text, x->e.pin_hash = x->hash;
	return b->pin_hash(b->ctx, operator ? CARD_OPERATOR : CARD_HAULER, x->hash);
}

static int take_truck(struct edit *x, const struct cli_args *a)
{
	const struct cli_field f[] = {
		{ "hauler", CF_ID, 1, 0, 0, &x->e.hauler_id, sizeof x->e.hauler_id },
		{ "ident", CF_TEXT, 1, 0, LIM_PLATE, x->text, sizeof x->text },
		{ "capacity", CF_LONG, 1, 1, 20000, &x->capacity, sizeof x->capacity },
	};
	int rc = cli_take(a, f, HG_ARRAY_LEN(f));

	x->e.text = x->text, x->e.capacity = (int)x->capacity;
	return rc;
}

/* The command line of kind into x->e. */
static int take(const struct roster_backend *b, struct edit *x, const struct cli_args *a)
{
	switch (x->e.kind) {
	case RE_HAULER_ADDED:
		return take_hauler(x, a);
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
		return cli_id("hauler ID", a->pos[0], &x->e.id);
	case RE_PERMIT:
		return cli_id("hauler ID", a->pos[0], &x->e.id) < 0 ? -1 : take_permit(x, a);
	case RE_ANALYSIS:
		return cli_id("hauler ID", a->pos[0], &x->e.id) < 0 ? -1 : take_analysis(x, a);
	case RE_CARD_ADDED:
	case RE_OPERATOR_ADDED:
		return take_card(b, x, a);
	case RE_CARD_REVOKED:
		x->e.uid = x->uid;
		return cli_uid("UID", a->pos[0], x->uid);
	case RE_TRUCK_ADDED:
		return take_truck(x, a);
	default:
		return cli_error("no roster command for event kind %d (a bug)", (int)x->e.kind);
	}
}

/* A refusal of the backend in the station CLI's words. */
static int refused(const struct edit *x, int rc)
{
	const struct roster_ev *e = &x->e;
	long long hauler = e->kind == RE_CARD_ADDED || e->kind == RE_TRUCK_ADDED ? e->hauler_id
										   : e->id;

	if (rc == HG_EEXIST && (e->kind == RE_CARD_ADDED || e->kind == RE_OPERATOR_ADDED))
		return cli_error("card '%s' is already in the roster", x->uid);
	if (rc == HG_ENOTFOUND && e->kind == RE_CARD_REVOKED)
		return cli_error("no card '%s' in the roster", x->uid);
	if (rc == HG_ENOTFOUND && e->kind != RE_OPERATOR_ADDED)
		return cli_error("no hauler with id %lld", hauler);
	return cli_error("%s", hg_error_text());
}

/* What was done, on stdout (cli_say: or to the program's sink). */
static void say(const struct edit *x)
{
	const struct roster_ev *e = &x->e;

	switch (e->kind) {
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
		cli_say("hauler %lld %s", e->id,
			e->kind == RE_HAULER_SUSPENDED ? "suspended" : "reinstated");
		break;
	case RE_PERMIT:
		cli_say("hauler %lld: permit '%s' valid %s to %s", e->id, x->text, x->from, x->to);
		break;
	case RE_ANALYSIS:
		if (x->date[0])
			cli_say("hauler %lld: waste analysis of %s on file", e->id, x->date);
		else
			cli_say("hauler %lld: no waste analysis on file", e->id);
		break;
	case RE_CARD_ADDED:
		cli_say("card '%s' added for %s (hauler %lld)", x->uid, x->text, e->hauler_id);
		break;
	case RE_CARD_REVOKED:
		cli_say("card '%s' revoked", x->uid);
		break;
	default:	/* an add: its new id, for scripts */
		cli_say("%lld", e->id);
		break;
	}
}

int roster_cmd(const struct roster_backend *b, enum roster_ev_kind kind,
	       const struct cli_args *a)
{
	struct edit x;
	int rc;

	memset(&x, 0, sizeof x);
	x.e.kind = kind;
	rc = take(b, &x, a);
	if (rc == 0) {
		rc = b->apply(b->ctx, &x.e);
		if (rc)
			rc = refused(&x, rc);
		else
			say(&x);
	}
	sodium_memzero(x.hash, sizeof x.hash);
	return rc;
}
