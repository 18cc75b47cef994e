/* cmd_roster.c: `init` and the roster commands: haulers, cards, trucks,
 * operators.
 *
 * Each command checks every value it was given first (cli_text, cli_date,
 * ...), so bad input changes nothing; then it opens the database and makes
 * one store call, which writes the row and its event in one transaction.
 * The actor of those events is c->actor ("cli:<login>").  The store's
 * HG_ENOTFOUND and HG_EEXIST become messages naming the id or UID. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sodium.h>
#include "cli.h"
#include "../host/roster_cmd.h"
#include "../core/receipt.h"
#include "../core/text.h"

/* Where init says what it did: stdout, or stderr when stdout carries CSV or
 * JSON (the demo roster) that must stay parseable. */
static FILE *info(const struct cli *c)
{
	return c->fmt == TABLE_TEXT ? stdout : stderr;
}

static int init_key(struct cli *c)
{
	struct keypair kp;
	const char *path = c->cfg.key_path;
	int rc;

	rc = cli_mkdir_parent(path);
	if (rc < 0)
		return rc;
	rc = keys_create(path, &kp);
	if (rc == HG_OK) {
		fprintf(info(c), "created the station key '%s' (public key '%s.pub')\n",
			path, path);
		sodium_memzero(&kp, sizeof kp);
		return 0;
	}
	if (rc != HG_EEXIST)
		return cli_error("cannot create the key: %s", hg_error_text());
	rc = keys_load(path, &kp);
	sodium_memzero(&kp, sizeof kp);
	if (rc < 0)
		return cli_error("the key exists but cannot be used: %s", hg_error_text());
	fprintf(info(c), "kept the existing station key '%s'\n", path);
	return 0;
}

/* The PIN key beside the station key: made now, or an existing one kept
 * when it can be read (a second database of the same station). */
static int init_pin_key(struct cli *c)
{
	struct keypair kp;
	char path[CFG_PATH + 16];
	int rc;

	if (keys_pin_path(c->cfg.key_path, path, sizeof path) != HG_OK)
		return cli_error("the station key path '%s' is too long", c->cfg.key_path);
	rc = keys_pin_create(path, NULL);
	if (rc == HG_OK) {
		fprintf(info(c), "created the PIN key '%s' (keep a copy with the station key: "
			"without it no PIN can be checked)\n", path);
		return 0;
	}
	if (rc != HG_EEXIST)
		return cli_error("cannot create the PIN key: %s", hg_error_text());
	rc = keys_pin_load(path, &kp);
	sodium_memzero(&kp, sizeof kp);
	if (rc < 0)
		return cli_error("the PIN key exists but cannot be used: %s", hg_error_text());
	fprintf(info(c), "kept the existing PIN key '%s'\n", path);
	return 0;
}

/* The folder of path, when it is open to group or others: say so.  It is
 * not changed (it may be shared, /tmp say); the files in it are 0600. */
static void warn_open_folder(const char *what, const char *path)
{
	char dir[CFG_PATH + 1];
	const char *slash = strrchr(path, '/');
	struct stat sb;

	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	if (stat(dir, &sb) != 0 || (sb.st_mode & 077) == 0)
		return;
	fflush(stdout);
	fprintf(stderr, "warning: the folder '%s' of the %s is open to other users (mode %03o); "
		"its files are 0600, but a folder of the station's own (0700) is safer "
		"(docs/CONFIG.md)\n", dir, what, (unsigned)(sb.st_mode & 0777));
}

int cmd_init(struct cli *c, const struct cli_args *a)
{
	const char *sid = cli_get(a, "station-id");
	const char *path = c->cfg.db_path;
	char old[64];
	int rc;

	/* a plant-managed station's roster comes from the plant: no demo roster,
	 * and nothing made (managed.c) */
	if (cli_get(a, "demo") && cli_managed(c))
		return cli_managed_refuse(c, "init", NULL, a);
	if (!sid)
		sid = c->cfg.station_id;
	/* from now on the database's id is the station's: receipts carry it */
	rc = config_station_id(&c->cfg, sid, CFG_ID_INIT, c->config_path);
	if (rc < 0)
		return cli_error("%s", hg_error_text());
	sid = c->cfg.station_id;

	rc = cli_mkdir_parent(path);
	if (rc < 0)
		return rc;
	rc = store_open(&c->st, path, 1);
	if (rc < 0)
		return cli_error("%s", hg_error_text());
	rc = store_meta_get(c->st, "station_id", old, sizeof old);
	if (rc == HG_OK)
		return cli_error("database '%s' is already initialised (station '%s')", path, old);
	if (rc != HG_ENOTFOUND)
		return cli_store_error(c);

	rc = init_key(c);
	if (rc < 0)
		return rc;
	rc = init_pin_key(c);
	if (rc < 0)
		return rc;
	warn_open_folder("database", path);
	warn_open_folder("station key", c->cfg.key_path);
	rc = store_meta_set(c->st, "station_id", sid, c->now, c->actor);
	if (rc < 0)
		return cli_store_error(c);
	fprintf(info(c), "initialised station '%s' in '%s'\n", sid, path);
	if (cli_get(a, "demo"))
		return demo_load(c);
	return 0;
}

/* ---- haulers ---- */

/* ---- the edits: host/roster_cmd.c, into this station's store ---- */

/* roster_backend.apply: the edit e through the store's function for it. */
static int apply(void *ctx, struct roster_ev *e)
{
	struct cli *c = ctx;
	int rc = cli_store(c);

	if (rc)
		return rc;
	switch (e->kind) {
	case RE_HAULER_ADDED:
		return store_hauler_add(c->st, e->hauler, c->now, c->actor, &e->id);
	case RE_HAULER_SUSPENDED:
	case RE_HAULER_REINSTATED:
		return store_hauler_suspend(c->st, e->id, e->kind == RE_HAULER_SUSPENDED, c->now,
					    c->actor);
	case RE_PERMIT:
		return store_hauler_permit(c->st, e->id, e->text, e->from, e->to, c->now, c->actor);
	case RE_ANALYSIS:
		return store_hauler_analysis(c->st, e->id, e->date, c->now, c->actor);
	case RE_CARD_ADDED:
		return store_card_add(c->st, e->uid, e->hauler_id, e->text, e->pin_hash, c->now,
				      c->actor);
	case RE_CARD_REVOKED:
		return store_card_revoke(c->st, e->uid, c->now, c->actor);
	case RE_TRUCK_ADDED:
		return store_truck_add(c->st, e->hauler_id, e->text, e->capacity, c->now, c->actor,
				       &e->id);
	case RE_OPERATOR_ADDED:
		return store_operator_add(c->st, e->text, e->uid, e->pin_hash, c->now, c->actor,
					  &e->id);
	default:
		return hg_fail(HG_EINVAL, "no roster edit of kind %d (a bug)", (int)e->kind);
	}
}

/* Read a new PIN for a card of this kind and hash it with the station's
 * PIN key (read first: without it nothing is asked); the PIN and the key are
 * wiped at once. */
static int pin_to_hash(void *ctx, enum card_kind kind, char hash[PIN_HASH_MAX])
{
	struct cli *c = ctx;
	struct keypair kp;
	char pin[LIM_PIN + 1];
	int rc;

	rc = cli_open_store(c);	/* no database: say so before asking a PIN */
	if (rc < 0)
		return rc;
	rc = cli_pin_key(c, &kp);
	if (rc < 0)
		return rc;
	rc = cli_read_pin(kind, pin);
	if (rc == 0)
		rc = cli_pin_hash(&kp, pin, hash);
	sodium_memzero(pin, sizeof pin);
	sodium_memzero(&kp, sizeof kp);
	return rc;
}

static int edit(struct cli *c, enum roster_ev_kind kind, const struct cli_args *a)
{
	const struct roster_backend b = { apply, pin_to_hash, c };

	return roster_cmd(&b, kind, a);
}

int cmd_hauler_add(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_HAULER_ADDED, a);
}

int cmd_hauler_suspend(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_HAULER_SUSPENDED, a);
}

int cmd_hauler_reinstate(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_HAULER_REINSTATED, a);
}

int cmd_hauler_permit(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_PERMIT, a);
}

int cmd_hauler_analysis(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_ANALYSIS, a);
}

int cmd_card_add(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_CARD_ADDED, a);
}

int cmd_card_revoke(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_CARD_REVOKED, a);
}

int cmd_truck_add(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_TRUCK_ADDED, a);
}

int cmd_operator_add(struct cli *c, const struct cli_args *a)
{
	return edit(c, RE_OPERATOR_ADDED, a);
}

int cmd_hauler_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_haulers);
}

int cmd_card_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_cards);
}

int cmd_truck_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_trucks);
}

int cmd_operator_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_operators);
}
