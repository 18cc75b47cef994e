/* cmd_roster.c: haulgate-potw hauler|card|truck|operator: the plant's
 * roster, edited with the station CLI's verbs, options and checks.
 *
 * Each command checks every value it was given first (host/
 * cmdline_values.h, the functions the station's cli/cmd_roster.c uses), so
 * bad input changes nothing; then it loads the plant's keys (potw_api_init:
 * the note key that signs the log's checkpoints, the PIN key that hashes
 * PINs exactly as the station does, core/pin.h) and makes one
 * potw_roster_edit(), which logs the edit as an event of the plant's own
 * log (potw/roster.c).  Listings read the log's rec_* rows (the same
 * projection the stations' tables come from): table, --csv or --json. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "api.h"
#include "potw_cli.h"
#include "../core/pin.h"
#include "../core/record.h"
#include "../core/report.h"
#include "../core/roster_event.h"
#include "../host/cmdline_values.h"
#include "../host/keyfile.h"
#include "../host/table_print.h"

/* "potw:<login>": who made the edit, as the station's "cli:<login>". */
static void actor_of(char *out, size_t cap)
{
	const struct passwd *pw = getpwuid(geteuid());

	snprintf(out, cap, "potw:%s", pw && pw->pw_name ? pw->pw_name : "unknown");
}

/* Log e at the plant; *seq the roster's new version.  0 or -1 (said, in
 * the station CLI's words for a card taken or not found). */
static int edit(struct potw *p, struct roster_ev *e, long long *seq)
{
	struct potw_api api;
	char actor[64];
	int rc;

	rc = potw_open_store(p);
	if (rc)
		return rc;
	rc = potw_api_init(&api, p->st, &p->cfg);
	if (rc)
		return cli_error("%s", hg_error_text());
	actor_of(actor, sizeof actor);
	rc = potw_roster_edit(&api, e, actor, p->now, seq);
	potw_api_clear(&api);
	if (rc == HG_EEXIST && (e->kind == RE_CARD_ADDED || e->kind == RE_OPERATOR_ADDED))
		return cli_error("card '%s' is already in the roster", e->uid);
	if (rc == HG_ENOTFOUND && e->kind == RE_CARD_REVOKED)
		return cli_error("no card '%s' in the roster", e->uid);
	if (rc)
		return cli_error("%s", hg_error_text());
	return 0;
}

/* No empty item in a comma-separated list (the station CLI's rule). */
static int waste_list_strict(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != ',' && s[n - 1] != ',' && !strstr(s, ",,");
}

int potw_hauler_add(struct potw *p, const struct cli_args *a)
{
	struct roster_ev e = { .kind = RE_HAULER_ADDED };
	struct hauler_rec h;
	char waste[HG_BUF(LIM_WASTE_LIST)];
	const struct cli_field f[] = {
		{ "company", CF_TEXT, 1, 0, LIM_COMPANY, h.company, sizeof h.company },
		{ "contact", CF_TEXT, 1, 0, LIM_NAME, h.contact, sizeof h.contact },
		{ "address", CF_TEXT, 1, 0, LIM_ADDRESS, h.address, sizeof h.address },
		{ "phone", CF_TEXT, 1, 0, LIM_PHONE, h.phone, sizeof h.phone },
		{ "permit", CF_TEXT, 1, 0, LIM_PERMIT, h.permit, sizeof h.permit },
		{ "from", CF_DATE, 1, 0, 0, h.permit_from, sizeof h.permit_from },
		{ "to", CF_DATE, 1, 0, 0, h.permit_to, sizeof h.permit_to },
		{ "waste", CF_TEXT, 1, 0, LIM_WASTE_LIST, waste, sizeof waste },
		{ "analysis", CF_DATE, 0, 0, 0, h.analysis_date, sizeof h.analysis_date },
	};
	int rc;

	memset(&h, 0, sizeof h);
	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	if (strcmp(h.permit_from, h.permit_to) > 0)
		return cli_error("--to: %s is before --from %s", h.permit_to, h.permit_from);
	rc = waste_parse_list(waste, &h.waste_allowed);
	if (rc < 0 || !h.waste_allowed || !waste_list_strict(waste))
		return cli_error("--waste: '%s' is not a list of waste types "
				 "(septage, portable, grease, industrial; comma-separated)", waste);
	e.hauler = &h;
	rc = edit(p, &e, NULL);
	if (rc)
		return rc;
	printf("%lld\n", e.id);
	return 0;
}

/* A hauler's id from the command line, then the edit; "no hauler" said as
 * the station says it. */
static int hauler_edit(struct potw *p, const struct cli_args *a, struct roster_ev *e)
{
	int rc;

	rc = cli_id("hauler ID", a->pos[0], &e->id);
	if (rc < 0)
		return rc;
	return edit(p, e, NULL);
}

static int suspend(struct potw *p, const struct cli_args *a, int on)
{
	struct roster_ev e = { .kind = on ? RE_HAULER_SUSPENDED : RE_HAULER_REINSTATED };
	int rc = hauler_edit(p, a, &e);

	if (rc)
		return rc;
	printf("hauler %lld %s\n", e.id, on ? "suspended" : "reinstated");
	return 0;
}

int potw_hauler_suspend(struct potw *p, const struct cli_args *a)
{
	return suspend(p, a, 1);
}

int potw_hauler_reinstate(struct potw *p, const struct cli_args *a)
{
	return suspend(p, a, 0);
}

int potw_hauler_permit(struct potw *p, const struct cli_args *a)
{
	char permit[HG_BUF(LIM_PERMIT)], from[LIM_DATE + 1], to[LIM_DATE + 1];
	const struct cli_field f[] = {
		{ "permit", CF_TEXT, 1, 0, LIM_PERMIT, permit, sizeof permit },
		{ "from", CF_DATE, 1, 0, 0, from, sizeof from },
		{ "to", CF_DATE, 1, 0, 0, to, sizeof to },
	};
	struct roster_ev e = { .kind = RE_PERMIT, .text = permit, .from = from, .to = to };
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	if (strcmp(from, to) > 0)
		return cli_error("--to: %s is before --from %s", to, from);
	rc = hauler_edit(p, a, &e);
	if (rc)
		return rc;
	printf("hauler %lld: permit '%s' valid %s to %s\n", e.id, permit, from, to);
	return 0;
}

int potw_hauler_analysis(struct potw *p, const struct cli_args *a)
{
	char date[LIM_DATE + 1] = "";
	const struct cli_field f[] = {
		{ "date", CF_DATE, 0, 0, 0, date, sizeof date },
	};
	struct roster_ev e = { .kind = RE_ANALYSIS, .date = date };
	int none = cli_get(a, "none") != NULL;
	int rc;

	if (!cli_get(a, "date") == !none)
		return cli_usage("give either --date DATE or --none");
	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = hauler_edit(p, a, &e);
	if (rc)
		return rc;
	if (none)
		printf("hauler %lld: no waste analysis on file\n", e.id);
	else
		printf("hauler %lld: waste analysis of %s on file\n", e.id, date);
	return 0;
}

/* Read a new PIN for a card of this kind and hash it with the plant's PIN
 * key (read first: without it nothing is asked); the PIN and the key are
 * wiped at once. */
static int pin_to_hash(struct potw *p, enum card_kind kind, char hash[PIN_HASH_MAX])
{
	struct keypair kp;
	char path[POTW_PATH + 16], pin[LIM_PIN + 1];
	int rc;

	memset(&kp, 0, sizeof kp);
	if (keys_pin_path(p->cfg.key, path, sizeof path) != HG_OK)
		return cli_error("[server] key path '%s' is too long", p->cfg.key);
	rc = keys_pin_load(path, &kp);
	if (rc == HG_ENOTFOUND)
		return cli_error("no PIN key '%s': the plant's PIN key is made by 'haulgate-potw "
				 "init' beside the server key; without it no PIN is stored", path);
	if (rc)
		return cli_error("the PIN key '%s' cannot be used: %s", path, hg_error_text());
	rc = cli_read_pin(kind, pin);
	if (rc == 0)
		rc = cli_pin_hash(&kp, pin, hash);
	sodium_memzero(pin, sizeof pin);
	sodium_memzero(&kp, sizeof kp);
	return rc;
}

int potw_card_add(struct potw *p, const struct cli_args *a)
{
	char uid[LIM_UID + 1], driver[HG_BUF(LIM_NAME)], hash[PIN_HASH_MAX];
	long long hauler;
	const struct cli_field f[] = {
		{ "uid", CF_UID, 1, 0, 0, uid, sizeof uid },
		{ "hauler", CF_ID, 1, 0, 0, &hauler, sizeof hauler },
		{ "driver", CF_TEXT, 1, 0, LIM_NAME, driver, sizeof driver },
	};
	struct roster_ev e = { .kind = RE_CARD_ADDED, .uid = uid, .text = driver,
			       .pin_hash = hash };
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = potw_open_store(p);
	if (rc)
		return rc;
	rc = pin_to_hash(p, CARD_HAULER, hash);
	if (rc < 0)
		return rc;
	e.hauler_id = hauler;
	rc = edit(p, &e, NULL);
	sodium_memzero(hash, sizeof hash);
	if (rc)
		return rc;
	printf("card '%s' added for %s (hauler %lld)\n", uid, driver, hauler);
	return 0;
}

int potw_card_revoke(struct potw *p, const struct cli_args *a)
{
	char uid[LIM_UID + 1];
	struct roster_ev e = { .kind = RE_CARD_REVOKED, .uid = uid };
	int rc;

	rc = cli_uid("UID", a->pos[0], uid);
	if (rc < 0)
		return rc;
	rc = edit(p, &e, NULL);
	if (rc)
		return rc;
	printf("card '%s' revoked\n", uid);
	return 0;
}

int potw_truck_add(struct potw *p, const struct cli_args *a)
{
	char ident[HG_BUF(LIM_PLATE)];
	long long hauler;
	long capacity;
	const struct cli_field f[] = {
		{ "hauler", CF_ID, 1, 0, 0, &hauler, sizeof hauler },
		{ "ident", CF_TEXT, 1, 0, LIM_PLATE, ident, sizeof ident },
		{ "capacity", CF_LONG, 1, 1, 20000, &capacity, sizeof capacity },
	};
	struct roster_ev e = { .kind = RE_TRUCK_ADDED, .text = ident };
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	e.hauler_id = hauler;
	e.capacity = (int)capacity;
	rc = edit(p, &e, NULL);
	if (rc)
		return rc;
	printf("%lld\n", e.id);
	return 0;
}

int potw_operator_add(struct potw *p, const struct cli_args *a)
{
	char name[HG_BUF(LIM_NAME)], uid[LIM_UID + 1], hash[PIN_HASH_MAX];
	const struct cli_field f[] = {
		{ "name", CF_TEXT, 1, 0, LIM_NAME, name, sizeof name },
		{ "uid", CF_UID, 1, 0, 0, uid, sizeof uid },
	};
	struct roster_ev e = { .kind = RE_OPERATOR_ADDED, .uid = uid, .text = name,
			       .pin_hash = hash };
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = potw_open_store(p);
	if (rc)
		return rc;
	rc = pin_to_hash(p, CARD_OPERATOR, hash);
	if (rc < 0)
		return rc;
	rc = edit(p, &e, NULL);
	sodium_memzero(hash, sizeof hash);
	if (rc)
		return rc;
	printf("%lld\n", e.id);
	return 0;
}

/* ---- listings: the plant log's rec_* rows ---- */

static int add_row(const char *const *cells, void *ctx)
{
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

/* Every row of the plant roster's copy of table name, its columns those of
 * record_tables[] (the stations' own). */
static int list(struct potw *p, const char *name)
{
	const struct rec_table *rt = NULL;
	const char *cols[REC_MAX_VALS];
	struct table *t;
	int i, rc;

	for (i = 0; i < record_ntables; i++)
		if (!strcmp(record_tables[i].name, name))
			rt = &record_tables[i];
	if (!rt || rt->ncols > REC_MAX_VALS)
		return cli_error("no table '%s' (a bug)", name);
	rc = potw_open_store(p);
	if (rc)
		return rc;
	for (i = 0; i < rt->ncols; i++)
		cols[i] = rt->cols[i].name;
	t = table_new(rt->ncols, cols);
	if (!t)
		return cli_error("out of memory");
	for (i = 0; i < rt->ncols; i++)
		if (rt->cols[i].kind == 'i')
			table_numeric(t, i);
	rc = potw_store_rec_each(p->st, POTW_PLANT_LOG, rt, add_row, t);
	if (rc) {
		table_free(t);
		return cli_error("%s", hg_error_text());
	}
	table_print(t, p->fmt, stdout);
	table_free(t);
	return 0;
}

int potw_hauler_list(struct potw *p, const struct cli_args *a)
{
	(void)a;
	return list(p, "haulers");
}

int potw_card_list(struct potw *p, const struct cli_args *a)
{
	(void)a;
	return list(p, "cards");
}

int potw_truck_list(struct potw *p, const struct cli_args *a)
{
	(void)a;
	return list(p, "trucks");
}

int potw_operator_list(struct potw *p, const struct cli_args *a)
{
	(void)a;
	return list(p, "operators");
}
