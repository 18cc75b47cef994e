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
#include "../core/receipt.h"
#include "../core/text.h"

static int no_hauler(struct cli *c, int rc, long long id)
{
	if (rc == HG_ENOTFOUND)
		return cli_error("no hauler with id %lld", id);
	return cli_store_error(c);
}

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

/* No empty item in a comma-separated list: "septage,,grease" and
 * "septage," are typing mistakes, not lists. */
static int waste_list_strict(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && s[0] != ',' && s[n - 1] != ',' && !strstr(s, ",,");
}

int cmd_hauler_add(struct cli *c, const struct cli_args *a)
{
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
	long long id;
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

	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_hauler_add(c->st, &h, c->now, c->actor, &id);
	if (rc < 0)
		return cli_store_error(c);
	printf("%lld\n", id);
	return 0;
}

int cmd_hauler_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_haulers);
}

static int suspend(struct cli *c, const struct cli_args *a, int on)
{
	long long id;
	int rc;

	rc = cli_id("hauler ID", a->pos[0], &id);
	if (rc < 0)
		return rc;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_hauler_suspend(c->st, id, on, c->now, c->actor);
	if (rc < 0)
		return no_hauler(c, rc, id);
	printf("hauler %lld %s\n", id, on ? "suspended" : "reinstated");
	return 0;
}

int cmd_hauler_suspend(struct cli *c, const struct cli_args *a)
{
	return suspend(c, a, 1);
}

int cmd_hauler_reinstate(struct cli *c, const struct cli_args *a)
{
	return suspend(c, a, 0);
}

int cmd_hauler_permit(struct cli *c, const struct cli_args *a)
{
	char permit[HG_BUF(LIM_PERMIT)], from[LIM_DATE + 1], to[LIM_DATE + 1];
	const struct cli_field f[] = {
		{ "permit", CF_TEXT, 1, 0, LIM_PERMIT, permit, sizeof permit },
		{ "from", CF_DATE, 1, 0, 0, from, sizeof from },
		{ "to", CF_DATE, 1, 0, 0, to, sizeof to },
	};
	long long id;
	int rc;

	rc = cli_take(a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = cli_id("hauler ID", a->pos[0], &id);
	if (rc < 0)
		return rc;
	if (strcmp(from, to) > 0)
		return cli_error("--to: %s is before --from %s", to, from);
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_hauler_permit(c->st, id, permit, from, to, c->now, c->actor);
	if (rc < 0)
		return no_hauler(c, rc, id);
	printf("hauler %lld: permit '%s' valid %s to %s\n", id, permit, from, to);
	return 0;
}

int cmd_hauler_analysis(struct cli *c, const struct cli_args *a)
{
	char date[LIM_DATE + 1] = "";
	const struct cli_field f[] = {
		{ "date", CF_DATE, 0, 0, 0, date, sizeof date },
	};
	int none = cli_get(a, "none") != NULL;
	long long id;
	int rc;

	if (!cli_get(a, "date") == !none)
		return cli_usage("give either --date DATE or --none");
	rc = cli_id("hauler ID", a->pos[0], &id);
	if (rc < 0)
		return rc;
	rc = cli_take_open(c, a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = store_hauler_analysis(c->st, id, date, c->now, c->actor);
	if (rc < 0)
		return no_hauler(c, rc, id);
	if (none)
		printf("hauler %lld: no waste analysis on file\n", id);
	else
		printf("hauler %lld: waste analysis of %s on file\n", id, date);
	return 0;
}

/* ---- cards, trucks, operators ---- */

/* Read a new PIN for a card of this kind and hash it with the station's
 * PIN key (read first: without it nothing is asked); the PIN and the key are
 * wiped at once. */
static int pin_to_hash(struct cli *c, enum card_kind kind, char hash[PIN_HASH_MAX])
{
	struct keypair kp;
	char pin[LIM_PIN + 1];
	int rc;

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

int cmd_card_add(struct cli *c, const struct cli_args *a)
{
	char uid[LIM_UID + 1], driver[HG_BUF(LIM_NAME)], hash[PIN_HASH_MAX];
	long long hauler;
	const struct cli_field f[] = {
		{ "uid", CF_UID, 1, 0, 0, uid, sizeof uid },
		{ "hauler", CF_ID, 1, 0, 0, &hauler, sizeof hauler },
		{ "driver", CF_TEXT, 1, 0, LIM_NAME, driver, sizeof driver },
	};
	int rc;

	rc = cli_take_open(c, a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = pin_to_hash(c, CARD_HAULER, hash);
	if (rc < 0)
		return rc;
	rc = store_card_add(c->st, uid, hauler, driver, hash, c->now, c->actor);
	if (rc == HG_EEXIST)
		return cli_error("card '%s' is already in the roster", uid);
	if (rc < 0)
		return no_hauler(c, rc, hauler);
	printf("card '%s' added for %s (hauler %lld)\n", uid, driver, hauler);
	return 0;
}

int cmd_card_revoke(struct cli *c, const struct cli_args *a)
{
	char uid[LIM_UID + 1];
	int rc;

	rc = cli_uid("UID", a->pos[0], uid);
	if (rc < 0)
		return rc;
	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = store_card_revoke(c->st, uid, c->now, c->actor);
	if (rc == HG_ENOTFOUND)
		return cli_error("no card '%s' in the roster", uid);
	if (rc < 0)
		return cli_store_error(c);
	printf("card '%s' revoked\n", uid);
	return 0;
}

int cmd_card_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_cards);
}

int cmd_truck_add(struct cli *c, const struct cli_args *a)
{
	char ident[HG_BUF(LIM_PLATE)];
	long long hauler, id;
	long capacity;
	const struct cli_field f[] = {
		{ "hauler", CF_ID, 1, 0, 0, &hauler, sizeof hauler },
		{ "ident", CF_TEXT, 1, 0, LIM_PLATE, ident, sizeof ident },
		{ "capacity", CF_LONG, 1, 1, 20000, &capacity, sizeof capacity },
	};
	int rc;

	rc = cli_take_open(c, a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = store_truck_add(c->st, hauler, ident, (int)capacity, c->now, c->actor, &id);
	if (rc < 0)
		return no_hauler(c, rc, hauler);
	printf("%lld\n", id);
	return 0;
}

int cmd_truck_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_trucks);
}

int cmd_operator_add(struct cli *c, const struct cli_args *a)
{
	char name[HG_BUF(LIM_NAME)], uid[LIM_UID + 1], hash[PIN_HASH_MAX];
	const struct cli_field f[] = {
		{ "name", CF_TEXT, 1, 0, LIM_NAME, name, sizeof name },
		{ "uid", CF_UID, 1, 0, 0, uid, sizeof uid },
	};
	long long id;
	int rc;

	rc = cli_take_open(c, a, f, HG_ARRAY_LEN(f));
	if (rc < 0)
		return rc;
	rc = pin_to_hash(c, CARD_OPERATOR, hash);
	if (rc < 0)
		return rc;
	rc = store_operator_add(c->st, name, uid, hash, c->now, c->actor, &id);
	if (rc == HG_EEXIST)
		return cli_error("card '%s' is already in the roster", uid);
	if (rc < 0)
		return cli_store_error(c);
	printf("%lld\n", id);
	return 0;
}

int cmd_operator_list(struct cli *c, const struct cli_args *a)
{
	(void)a;
	return cli_list(c, store_list_operators);
}
