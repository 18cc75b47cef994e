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
#include "../host/roster_cmd.h"
#include "../host/keyfile.h"
#include "../host/table_print.h"

/* "potw:<login>": who made the edit, as the station's "cli:<login>"; the
 * staff log's "cli:<login>", as `user add` writes it. */
static void actor_of(char *out, size_t cap, const char *prefix)
{
	const struct passwd *pw = getpwuid(geteuid());

	snprintf(out, cap, "%s:%s", prefix, pw && pw->pw_name ? pw->pw_name : "unknown");
}

/* roster_backend.apply: e into the plant's own log; its words kept for
 * host/roster_cmd.c to say. */
static int apply(void *ctx, struct roster_ev *e)
{
	struct potw *p = ctx;
	struct potw_api api;
	char actor[64], staff[64];
	int rc;

	if (!p->st) {
		rc = potw_store_open(p->cfg.db, 0, &p->st);
		if (rc)
			return rc;	/* its words, said by host/roster_cmd.c */
	}
	rc = potw_api_init(&api, p->st, &p->cfg);
	if (rc)
		return rc;
	actor_of(actor, sizeof actor, "potw");
	actor_of(staff, sizeof staff, "cli");
	rc = potw_roster_edit(&api, e, actor, staff, p->now, NULL);
	potw_api_clear(&api);
	return rc;
}

/* Read a new PIN for a card of this kind and hash it with the plant's PIN
 * key (read first: without it nothing is asked); the PIN and the key are
 * wiped at once. */
static int pin_to_hash(void *ctx, enum card_kind kind, char hash[PIN_HASH_MAX])
{
	struct potw *p = ctx;
	struct keypair kp;
	char path[POTW_PATH + 16], pin[LIM_PIN + 1];
	int rc;

	rc = potw_open_store(p);	/* no database: say so before asking a PIN */
	if (rc)
		return rc;
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

static int edit(struct potw *p, enum roster_ev_kind kind, const struct cli_args *a)
{
	const struct roster_backend b = { apply, pin_to_hash, p };

	return roster_cmd(&b, kind, a);
}

int potw_hauler_add(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_HAULER_ADDED, a);
}

int potw_hauler_suspend(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_HAULER_SUSPENDED, a);
}

int potw_hauler_reinstate(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_HAULER_REINSTATED, a);
}

int potw_hauler_permit(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_PERMIT, a);
}

int potw_hauler_analysis(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_ANALYSIS, a);
}

int potw_card_add(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_CARD_ADDED, a);
}

int potw_card_revoke(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_CARD_REVOKED, a);
}

int potw_truck_add(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_TRUCK_ADDED, a);
}

int potw_operator_add(struct potw *p, const struct cli_args *a)
{
	return edit(p, RE_OPERATOR_ADDED, a);
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
