/* main.c: the command line of build/haulgate, the station's admin tool.
 *
 * Every command is one row of commands[]: its words ("hauler", "add"), its
 * options, its usage line and the function that runs it.  main() walks argv
 * once with host/cmdline.c (shared with the plant's server): global options
 * (--db, --config, --csv, --json, --help, --version) are taken anywhere, the
 * first words pick the row, the rest are parsed by the row's option table
 * into a struct cli_args.  Then the configuration is
 * loaded with --db over it (cli_load_config: station/boot.c, as the kiosk
 * does), and the command run.  Exit status:
 * 0 done, 1 refused or invalid (said on stderr), 2 wrong command line;
 * `sync now` also 3 (the plant could not be reached) and 4 (a fork, or the
 * plant refused).  The roster's edits (ROSTER_EDIT) are refused at a
 * plant-managed station before they run (managed.c).
 * Start reading at main(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>
#include "cli.h"
#include "../host/listing_cmd.h"
#include "../host/roster_cmd.h"
#include "../host/po_file.h"
#include "../core/text.h"

enum {
	NO_CONFIG = 1,	/* runs without the configuration loaded first */
	READ_ONLY = 2,	/* reads the database only: a station id mismatch is a warning */
	ROSTER_EDIT = 4	/* edits the roster: refused at a plant-managed station (managed.c) */
};

/* A row of the command table: its words, options and help (host/cmdline.h),
 * then what runs it. */
struct command {
	CLI_CMD_FIELDS
	int (*fn)(struct cli *c, const struct cli_args *a);
	int flags;			/* NO_CONFIG, READ_ONLY, ROSTER_EDIT */
};

static const struct cli_opt o_init[] = { { "station-id", 1 }, { "demo", 0 }, { NULL, 0 } };
static const struct cli_opt o_loads[] = {
	{ "from", 1 }, { "to", 1 }, { "hauler", 1 }, { "flagged", 0 }, { NULL, 0 } };
static const struct cli_opt o_rv[] = { { "from", 1 }, { "to", 1 }, { NULL, 0 } };
static const struct cli_opt o_events[] = { { "from", 1 }, { "limit", 1 }, { NULL, 0 } };
static const struct cli_opt o_keys[] = { { "public-pem", 0 }, { "note-verifier", 0 }, { NULL, 0 } };
static const struct cli_opt o_simulate[] = { { "script", 1 }, { NULL, 0 } };
static const struct cli_opt o_read_card[] = { { "timeout", 1 }, { NULL, 0 } };
static const struct cli_opt o_hw_relay[] = { { "hold", 1 }, { NULL, 0 } };
static const struct cli_opt o_hw_reprint[] = { { "kept", 0 }, { NULL, 0 } };


static const struct command commands[] = {
	{ "init", NULL, .fn = cmd_init, .opts = o_init,
	  .usage = "init [--station-id ID] [--demo]",
	  .what = "create the database and the station's keys: signing key, PIN key (--demo: add the demo roster;\n"
	  "        refused at a plant-managed station, whose roster is the plant's)" },
	{ "hauler", "add", .fn = cmd_hauler_add, .flags = ROSTER_EDIT, .opts = roster_opts_hauler_add,
	  .usage = ROSTER_USAGE_HAULER_ADD,
	  .what = "add a hauler; prints its id (waste types: septage, portable, grease, industrial)" },
	{ "hauler", "list", .fn = cmd_hauler_list, .flags = READ_ONLY,
	  .usage = "hauler list",
	  .what = "list the haulers" },
	{ "hauler", "suspend", .fn = cmd_hauler_suspend, .flags = ROSTER_EDIT, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler suspend ID",
	  .what = "suspend a hauler: its cards are refused at the gate" },
	{ "hauler", "reinstate", .fn = cmd_hauler_reinstate, .flags = ROSTER_EDIT, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler reinstate ID",
	  .what = "lift a suspension" },
	{ "hauler", "permit", .fn = cmd_hauler_permit, .flags = ROSTER_EDIT, .opts = roster_opts_permit, .min_pos = 1, .max_pos = 1,
	  .usage = ROSTER_USAGE_PERMIT,
	  .what = "record a new permit and its validity (dates inclusive)" },
	{ "hauler", "analysis", .fn = cmd_hauler_analysis, .flags = ROSTER_EDIT, .opts = roster_opts_analysis, .min_pos = 1, .max_pos = 1,
	  .usage = ROSTER_USAGE_ANALYSIS,
	  .what = "record the date of the waste analysis on file, or that there is none" },
	{ "card", "add", .fn = cmd_card_add, .flags = ROSTER_EDIT, .opts = roster_opts_card_add,
	  .usage = ROSTER_USAGE_CARD_ADD,
	  .what = "add a hauler card; the PIN (4 to 12 digits) is read from stdin, or asked twice on a terminal" },
	{ "card", "revoke", .fn = cmd_card_revoke, .flags = ROSTER_EDIT, .min_pos = 1, .max_pos = 1,
	  .usage = "card revoke UID",
	  .what = "revoke a card" },
	{ "card", "list", .fn = cmd_card_list, .flags = READ_ONLY,
	  .usage = "card list",
	  .what = "list the hauler cards" },
	{ "truck", "add", .fn = cmd_truck_add, .flags = ROSTER_EDIT, .opts = roster_opts_truck_add,
	  .usage = ROSTER_USAGE_TRUCK_ADD,
	  .what = "add a truck to a hauler (capacity 1 to 20000 gallons); prints its id" },
	{ "truck", "list", .fn = cmd_truck_list, .flags = READ_ONLY,
	  .usage = "truck list",
	  .what = "list the trucks" },
	{ "operator", "add", .fn = cmd_operator_add, .flags = ROSTER_EDIT, .opts = roster_opts_operator_add,
	  .usage = ROSTER_USAGE_OPERATOR_ADD,
	  .what = "add a plant operator with a card; the PIN (6 to 12 digits) is read as for card add;\n"
	  "        prints the id" },
	{ "operator", "list", .fn = cmd_operator_list, .flags = READ_ONLY,
	  .usage = "operator list",
	  .what = "list the operators" },
	{ "loads", NULL, .fn = cmd_loads, .opts = o_loads, .flags = READ_ONLY,
	  .usage = LISTING_USAGE_LOADS,
	  .what = "list loads (dates local, inclusive; --flagged: only loads flagged for sampling)" },
	{ "rv-visits", NULL, .fn = cmd_rv_visits, .opts = o_rv, .flags = READ_ONLY,
	  .usage = LISTING_USAGE_RV,
	  .what = "list RV dump station visits" },
	{ "events", NULL, .fn = cmd_events, .opts = o_events, .flags = READ_ONLY,
	  .usage = "events [--from SEQ] [--limit N]",
	  .what = "list the event log from sequence number SEQ" },
	{ "report", "month", .fn = cmd_report_month, .min_pos = 1, .max_pos = 1, .flags = READ_ONLY,
	  .usage = LISTING_USAGE_MONTH,
	  .what = "per hauler for one month: loads, gallons by waste type, samples, refusals" },
	{ "verify", NULL, .fn = cmd_verify, .flags = READ_ONLY,
	  .usage = "verify",
	  .what = "check the hash chain of the event log and every table against it" },
	{ "keys", NULL, .fn = cmd_keys, .opts = o_keys, .flags = READ_ONLY,
	  .usage = "keys [--public-pem | --note-verifier]",
	  .what = "show the station's public key (hex), or as PEM for openssl, or as the "
	  "signed-note verifier key its checkpoints are checked with (name+keyid+base64)" },
	{ "receipt", "verify", .fn = cmd_receipt_verify, .min_pos = 1, .max_pos = 1, .flags = READ_ONLY,
	  .usage = "receipt verify TEXT|-",
	  .what = "check a receipt's or a bottle label's QR text (- reads it from stdin) and\n"
	  "        compare it with the record" },
	{ "config", "check", .fn = cmd_config_check, .flags = NO_CONFIG,
	  .usage = "config check",
	  .what = "check the configuration file; print every error with its line, then how many\n"
	  "        of the plant's policy values lie over it (haulgate policy show)" },
	{ "policy", "show", .fn = cmd_policy_show, .flags = READ_ONLY,
	  .usage = "policy show",
	  .what = "the policy this station runs on: every key of station.ini the plant may set\n"
	  "        (hours, policy, sampling, sync.offline_waste_types), its value in force and\n"
	  "        where it comes from (the plant's for this station, for all, or station.ini)" },
	{ "simulate", NULL, .fn = cmd_simulate, .opts = o_simulate,
	  .usage = "simulate --script FILE",
	  .what = "run a scenario script against the station (docs/SCENARIOS.md)" },
	{ "hw", "check", .fn = cmd_hw_check,
	  .usage = "hw check",
	  .what = "probe every device the configuration names; one line each: ok or what is wrong" },
	{ "hw", "read-card", .fn = cmd_hw_read_card, .opts = o_read_card,
	  .usage = "hw read-card [--timeout SECONDS]",
	  .what = "wait for one card on the reader (default 30 s); print its UID, type and holder" },
	{ "hw", "relay", .fn = cmd_hw_relay, .opts = o_hw_relay, .min_pos = 2, .max_pos = 2,
	  .usage = "hw relay NAME on|off [--hold SECONDS]",
	  .what = "switch one relay and read it back; on is held --hold seconds (default 5), then off" },
	{ "hw", "safe", .fn = cmd_hw_safe,
	  .usage = "hw safe",
	  .what = "switch every relay off and read it back (gate locked, valve closed): what "
	  "systemd runs after the kiosk stops, however it stopped" },
	{ "hw", "meter", .fn = cmd_hw_meter,
	  .usage = "hw meter",
	  .what = "read the flow meter's totaliser (gallons)" },
	{ "hw", "print-test", .fn = cmd_hw_print_test,
	  .usage = "hw print-test",
	  .what = "print a test page with a QR code and wait until it is printed" },
	{ "hw", "reprint", .fn = cmd_hw_reprint, .opts = o_hw_reprint, .max_pos = 1,
	  .usage = "hw reprint LOAD-NO | --kept",
	  .what = "print a load's receipt (or refusal slip) again, marked COPY, and log it; "
	  "--kept: every slip the printer could not print, oldest first" },
	{ "sync", "now", .fn = cmd_sync_now,
	  .usage = "sync now",
	  .what = "send the events the plant does not have yet, one round; exit status 0 the "
	  "plant has them all, 3 it could not be reached, 4 a fork or a refusal" },
	{ "sync", "status", .fn = cmd_sync_status, .flags = READ_ONLY,
	  .usage = "sync status",
	  .what = "what the last rounds found, from the database: events not yet at the plant, "
	  "last success, last error, a fork, the latest checkpoint the plant countersigned" },
	{ "sync", "run", .fn = cmd_sync_run,
	  .usage = "sync run",
	  .what = "send the log to the plant every [sync] interval, waiting up to 10 min while "
	  "rounds fail; SIGTERM, SIGINT or SIGHUP ends it between requests" },
	{ "sync", "export", .fn = cmd_sync_export, .opts = o_rv, .min_pos = 1, .max_pos = 1,
	  .usage = "sync export [--from N] [--to M] FILE",
	  .what = "write events N to M of the log (default: all) to FILE as the batches a round "
	  "would send, each with the station's signed checkpoint, for `haulgate-potw import` "
	  "when there is no network" },
	{ "help", NULL, .builtin = CLI_HELP, .max_pos = 2, .flags = NO_CONFIG,
	  .usage = "help [COMMAND]",
	  .what = "show this help, or a command's" },
	{ "version", NULL, .builtin = CLI_VERSION, .flags = NO_CONFIG,
	  .usage = "version",
	  .what = "print the version" },
};

static const char global_help[] =
	"Global options, before or after the command:\n"
	"  --db PATH       the database (default: db in the config, var/haulgate.db)\n"
	"  --config PATH   the configuration (default: ./station.ini if it exists)\n"
	"  --csv, --json   listings as CSV (RFC 4180) or JSON instead of a table\n"
	"  -h, --help      help; COMMAND --help for one command\n"
	"  --version       print the version\n"
	"\n"
	"Dates are YYYY-MM-DD.  Exit status: 0 done, 1 refused or invalid, 2 wrong\n"
	"command line; sync now also 3 the plant could not be reached, 4 a fork or\n"
	"a refusal.  A plant-managed station ([sync] url set) refuses the roster's\n"
	"edits and init --demo: its roster is made at the plant.  See docs/CLI.md.\n";

static const struct cli_opt globals[] = { { "db", 1 }, { "config", 1 }, { NULL, 0 } };
enum { G_DB, G_CONFIG };

static const struct cli_table table = {
	.prog = "haulgate", .version = HG_VERSION, .about = "the hauled-waste receiving station's admin tool",
	.synopsis = "[--db PATH] [--config PATH] [--csv|--json] COMMAND [ARGS]",
	.global_help = global_help, .globals = globals, CLI_ROWS(commands),
};

/* "cli:" + who runs the command: the login name, $USER, the user's name in
 * the password file, or the uid.  Only plain name characters are kept, so
 * the event log holds no surprises. */
static void set_actor(struct cli *c)
{
	const char *who = getlogin();
	const struct passwd *pw;
	const char *p;

	if (!who || !*who)
		who = getenv("USER");
	if (!who || !*who) {
		pw = getpwuid(getuid());
		who = pw ? pw->pw_name : NULL;
	}
	if (who && *who && strlen(who) < sizeof c->actor - 4) {
		for (p = who; *p; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			      (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
				break;
		if (!*p) {
			snprintf(c->actor, sizeof c->actor, "cli:%s", who);
			return;
		}
	}
	snprintf(c->actor, sizeof c->actor, "cli:uid%ld", (long)getuid());
}

/* The exit status: sync now's 3 and 4, else host/cmdline.c's 0, 1, 2. */
static int exit_status(int rc)
{
	if (rc == CLI_EUNREACHABLE)
		return 3;
	if (rc == CLI_EREFUSED)
		return 4;
	return cli_exit_status(rc);
}

static int run(struct cli *c, const struct cli_line *l)
{
	const struct command *k = (const struct command *)(const void *)l->cmd;
	int rc, done;

	rc = cli_settle(&table, l, &done);
	if (rc || done)
		return rc;	/* --help, --version, help, version, or a usage error */
	c->fmt = cli_format(l);
	c->config_opt = l->global[G_CONFIG];
	c->read_only = (k->flags & READ_ONLY) != 0;
	c->now = (hg_time)time(NULL);
	set_actor(c);

	c->db_opt = l->global[G_DB];
	if (!(k->flags & NO_CONFIG)) {
		rc = cli_load_config(c, l->global[G_CONFIG], l->global[G_DB]);
		if (rc < 0)
			return rc;
	}
	if ((k->flags & ROSTER_EDIT) && cli_managed(c))
		return cli_managed_refuse(c, k->name, k->sub, &l->args);
	return k->fn(c, &l->args);
}

int main(int argc, char **argv)
{
	static struct cli c;	/* a struct config is large: not on the stack */
	struct cli_line l;
	int rc;

	hg_report_set(cli_warn, NULL);
	i18n_files_use();	/* HAULGATE_PO_DIR, before any text is read */
	rc = cli_parse(&table, argc, argv, &l);
	if (rc == 0)
		rc = run(&c, &l);
	if (c.st)
		store_close(c.st);
	c.boot.st = NULL;	/* c.st, or init's own */
	boot_close(&c.boot);
	if (fflush(stdout) != 0 && rc == 0)
		rc = cli_error("cannot write the output");
	return exit_status(rc);
}
