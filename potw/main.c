/* main.c: build/haulgate-potw, the plant's server and its staff commands.
 *
 * Like the station's CLI (cli/main.c): every command is one row of
 * commands[] (its words, function, options, usage, one line of help);
 * main() walks argv once, global options (--config, --csv, --json, --help,
 * --version) taken anywhere, the first words pick the row and the rest are
 * the row's options.  Then potw.ini is read (--config, or ./potw.ini when it
 * exists, or the defaults) and the command runs.  Exit status: 0 done,
 * 1 refused or invalid (said on stderr), 2 wrong command line.  The
 * commands: init (database, server key, TLS key and certificate), key (the
 * pin for stations, or the plant's note verifier key), station
 * add|list|retire, serve, checkpoint and proof (what a third party checks:
 * docs/CHECKPOINTS.md), verify (a station's log as held), events, import
 * (a station's exported log from a file, through the same checks as a
 * POST), the roster's hauler|card|truck|operator (potw/cmd_roster.c), the
 * stations' loads, rv-visits and report month (potw/cmd_lists.c), and the
 * policy's set|unset|show (potw/cmd_policy.c).
 * Storage is potw/
 * store.h, TLS and PEM potw/pki.h, the HTTPS server potw/server.h.  Start
 * reading at main(). */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <pwd.h>
#include <time.h>
#include <unistd.h>

#include <limits.h>

#include <sodium.h>
#include <sqlite3.h>

#include "api.h"
#include "cmd_policy.h"
#include "cmd_user.h"
#include "potw_cli.h"
#include "potw_config.h"
#include "pki.h"
#include "proof.h"
#include "server.h"
#include "store.h"
#include "verify.h"
#include "../core/merkle.h"
#include "../core/note.h"
#include "../core/report.h"
#include "../core/table.h"
#include "../core/text.h"
#include "../host/cmdline.h"
#include "../host/listing_cmd.h"
#include "../host/roster_cmd.h"
#include "../host/cmdline_values.h"
#include "../host/keyfile.h"
#include "../host/table_print.h"

#define POTW_VERSION "0.1.0"
#define PEM_FILE_MAX 4096	/* bytes of a station's public key file */


/* A row of the command table: its words, options and help (host/cmdline.h),
 * then what runs it. */
struct command {
	CLI_CMD_FIELDS
	int (*fn)(struct potw *p, const struct cli_args *a);
	int no_config;			/* runs without potw.ini read */
};

static int cmd_init(struct potw *p, const struct cli_args *a);
static int cmd_key(struct potw *p, const struct cli_args *a);
static int cmd_station_add(struct potw *p, const struct cli_args *a);
static int cmd_station_list(struct potw *p, const struct cli_args *a);
static int cmd_station_retire(struct potw *p, const struct cli_args *a);
static int cmd_serve(struct potw *p, const struct cli_args *a);
static int cmd_import(struct potw *p, const struct cli_args *a);
static int cmd_checkpoint(struct potw *p, const struct cli_args *a);
static int cmd_proof(struct potw *p, const struct cli_args *a);
static int cmd_verify(struct potw *p, const struct cli_args *a);
static int cmd_events(struct potw *p, const struct cli_args *a);


static const struct cli_opt o_none[] = { { NULL, 0 } };
static const struct cli_opt o_station_add[] = { { "id", 1 }, { "name", 1 }, { "key-pem", 1 }, { NULL, 0 } };
static const struct cli_opt o_id[] = { { "id", 1 }, { NULL, 0 } };
static const struct cli_opt o_station[] = { { "station", 1 }, { NULL, 0 } };
static const struct cli_opt o_events[] = { { "station", 1 }, { "from", 1 }, { "to", 1 },
				       { "fork", 0 }, { NULL, 0 } };
static const struct cli_opt o_loads[] = { { "station", 1 }, { "from", 1 }, { "to", 1 },
				      { "hauler", 1 }, { "flagged", 0 }, { NULL, 0 } };
static const struct cli_opt o_rv[] = { { "station", 1 }, { "from", 1 }, { "to", 1 }, { NULL, 0 } };
static const struct cli_opt o_month[] = { { "station", 1 }, { "totals", 0 }, { NULL, 0 } };
static const struct cli_opt o_user_add[] = { { "login", 1 }, { "role", 1 }, { NULL, 0 } };
static const struct cli_opt o_disputes[] = { { "open", 0 }, { NULL, 0 } };
static const struct cli_opt o_key[] = { { "note-verifier", 0 }, { NULL, 0 } };
static const struct cli_opt o_checkpoint[] = { { "station", 1 }, { "size", 1 }, { NULL, 0 } };
static const struct cli_opt o_proof[] = { { "station", 1 }, { "event", 1 }, { "size", 1 },
				      { "from", 1 }, { "to", 1 }, { NULL, 0 } };

static const struct command commands[] = {
	{ "init", NULL, .fn = cmd_init, .opts = o_none,
	  .usage = "init",
	  .what = "make the database ([server] db), the server's Ed25519 key ([server] key, and\n"
	  "        its .pub) and, unless [tls] cert and key name existing files, a TLS key and\n"
	  "        a self-signed certificate (EC P-256; localhost, 127.0.0.1 and the listen\n"
	  "        host); prints the pin.  Refuses when the database or a key exists" },
	{ "key", NULL, .fn = cmd_key, .opts = o_key,
	  .usage = "key [--note-verifier]",
	  .what = "print the pin a station needs ([sync] pin in station.ini): sha256// and the\n"
	  "        base64 SHA-256 of the TLS certificate's public key (libcurl's\n"
	  "        CURLOPT_PINNEDPUBLICKEY form); with --note-verifier the plant's note key\n"
	  "        as a verifier (haulgate.potw/<[server] name>+keyid+key: [sync] plant_key\n"
	  "        in station.ini, and Go's note.NewVerifier form)" },
	{ "station", "add", .fn = cmd_station_add, .opts = o_station_add,
	  .usage = "station add --id ID --name NAME --key-pem FILE",
	  .what = "register a station: its id ([station] id in its station.ini: 1 to 31 letters,\n"
	  "        digits or '-'), a name, and its public key as 'haulgate keys\n"
	  "        --public-pem' prints it (FILE, or - for stdin)" },
	{ "station", "list", .fn = cmd_station_list, .opts = o_none,
	  .usage = "station list",
	  .what = "list the stations: id, name, key fingerprint (SHA256:, as ssh-keygen), when\n"
	  "        added and retired, last contact, events held, forks kept as evidence" },
	{ "station", "retire", .fn = cmd_station_retire, .opts = o_id,
	  .usage = "station retire --id ID",
	  .what = "retire a station: its key is refused from now on; what it sent is kept; its\n"
	  "        id and key are never used again" },
	{ "serve", NULL, .fn = cmd_serve, .opts = o_none,
	  .usage = "serve",
	  .what = "run the HTTPS server on [server] listen (TLS 1.2 and 1.3 only) until SIGTERM\n"
	  "        or SIGINT; GET /api/v1/health answers {\"ok\":true,...}" },
	{ "import", NULL, .fn = cmd_import, .opts = o_station, .min_pos = 1, .max_pos = 1,
	  .usage = "import --station ID FILE",
	  .what = "take the station's events from FILE ('haulgate sync export' on the station;\n"
	  "        - for stdin) through the very checks and store of POST /api/v1/sync/events,\n"
	  "        batch by batch, each with the station's signed checkpoint, cosigned; stops\n"
	  "        at the first refusal (said, with its line).  Batches held already are\n"
	  "        taken again as nothing new" },
	{ "checkpoint", NULL, .fn = cmd_checkpoint, .opts = o_checkpoint,
	  .usage = "checkpoint --station ID [--size N]",
	  .what = "print the station's stored checkpoint of size N (default: the latest) as the\n"
	  "        signed note, with the station's signature and the plant's cosignature" },
	{ "proof", NULL, .fn = cmd_proof, .opts = o_proof,
	  .usage = "proof --station ID (--event N [--size M] | --from M --to N)",
	  .what = "print, as JSON (docs/CHECKPOINTS.md), the inclusion proof of event N in the\n"
	  "        tree of M events (default: the latest checkpoint's size), or the\n"
	  "        consistency proof from size M to size N" },
	{ "events", NULL, .fn = cmd_events, .opts = o_events,
	  .usage = "events --station ID [--from N] [--to M] [--fork]",
	  .what = "list the station's events as the plant holds them (seq, time, type, load,\n"
	  "        actor, detail, hash); with --fork the versions kept as fork evidence\n"
	  "        instead, each with the hash of the one held at its number" },
	{ "verify", NULL, .fn = cmd_verify, .opts = o_station,
	  .usage = "verify --station ID",
	  .what = "check the station's log as the plant holds it, from its first event: every\n"
	  "        hash and link, the Merkle tree's kept nodes, every checkpoint's root and\n"
	  "        both its signatures, and the rec_* rows rebuilt from the events.  Exit 1\n"
	  "        at the first fault, said" },
	{ "loads", NULL, .fn = potw_loads, .opts = o_loads,
	  .usage = LISTING_USAGE_LOADS " [--station ID]",
	  .what = "list every station's loads, or one's, with the station's columns after a\n"
	  "        station column (dates the station's local days, inclusive; --flagged: only\n"
	  "        loads flagged for sampling or by the flow meter)" },
	{ "rv-visits", NULL, .fn = potw_rv_visits, .opts = o_rv,
	  .usage = LISTING_USAGE_RV " [--station ID]",
	  .what = "list every station's RV dump station visits, or one's" },
	{ "report", "month", .fn = potw_report_month, .opts = o_month, .min_pos = 1, .max_pos = 1,
	  .usage = LISTING_USAGE_MONTH " [--station ID] [--totals]",
	  .what = "per station and hauler for one month: loads, gallons by waste type, samples,\n"
	  "        refusals, as the station's report; --totals: summed over the stations, per\n"
	  "        company and permit, without the station column" },
	{ "hauler", "add", .fn = potw_hauler_add, .opts = roster_opts_hauler_add,
	  .usage = ROSTER_USAGE_HAULER_ADD,
	  .what = "add a hauler to the plant's roster; prints its id (waste types: septage,\n"
	  "        portable, grease, industrial).  Every roster edit is an event of the\n"
	  "        plant's own log, sent down to the stations (docs/SYNC.md)" },
	{ "hauler", "list", .fn = potw_hauler_list,
	  .usage = "hauler list",
	  .what = "list the plant's haulers" },
	{ "hauler", "suspend", .fn = potw_hauler_suspend, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler suspend ID",
	  .what = "suspend a hauler: its cards are refused at every station" },
	{ "hauler", "reinstate", .fn = potw_hauler_reinstate, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler reinstate ID",
	  .what = "lift a suspension" },
	{ "hauler", "permit", .fn = potw_hauler_permit, .opts = roster_opts_permit, .min_pos = 1, .max_pos = 1,
	  .usage = ROSTER_USAGE_PERMIT,
	  .what = "record a new permit and its validity (dates inclusive)" },
	{ "hauler", "analysis", .fn = potw_hauler_analysis, .opts = roster_opts_analysis, .min_pos = 1,
	  .max_pos = 1,
	  .usage = ROSTER_USAGE_ANALYSIS,
	  .what = "record the date of the waste analysis on file, or that there is none" },
	{ "card", "add", .fn = potw_card_add, .opts = roster_opts_card_add,
	  .usage = ROSTER_USAGE_CARD_ADD,
	  .what = "add a hauler card; the PIN (4 to 12 digits) is read from stdin, or asked twice\n"
	  "        on a terminal, and hashed with the plant's PIN key (pin.key beside [server] key)" },
	{ "card", "revoke", .fn = potw_card_revoke, .min_pos = 1, .max_pos = 1,
	  .usage = "card revoke UID",
	  .what = "revoke a card" },
	{ "card", "list", .fn = potw_card_list,
	  .usage = "card list",
	  .what = "list the plant's hauler cards" },
	{ "truck", "add", .fn = potw_truck_add, .opts = roster_opts_truck_add,
	  .usage = ROSTER_USAGE_TRUCK_ADD,
	  .what = "add a truck to a hauler (capacity 1 to 20000 gallons); prints its id" },
	{ "truck", "list", .fn = potw_truck_list,
	  .usage = "truck list",
	  .what = "list the plant's trucks" },
	{ "operator", "add", .fn = potw_operator_add, .opts = roster_opts_operator_add,
	  .usage = ROSTER_USAGE_OPERATOR_ADD,
	  .what = "add an operator with a card; the PIN (6 to 12 digits) is read as for card add;\n"
	  "        prints the id" },
	{ "operator", "list", .fn = potw_operator_list,
	  .usage = "operator list",
	  .what = "list the plant's operators" },
	{ "policy", "set", .fn = potw_policy_set, .opts = potw_policy_opts_set,
	  .usage = "policy set --key SECTION.KEY --value V [--station ID]",
	  .what = "set a key of station.ini for every station, or for one (hours.*, policy.*,\n"
	  "        sampling.*, sync.offline_waste_types; the value as station.ini writes it,\n"
	  "        checked by its parser); a station's own value wins over the one for all,\n"
	  "        which wins over station.ini.  Sent down with the roster" },
	{ "policy", "unset", .fn = potw_policy_unset, .opts = potw_policy_opts_unset,
	  .usage = "policy unset --key SECTION.KEY [--station ID]",
	  .what = "take back a value set for every station, or for one" },
	{ "policy", "show", .fn = potw_policy_show, .opts = potw_policy_opts_show,
	  .usage = "policy show [--station ID]",
	  .what = "list the values the plant set; with --station every policy key as in force\n"
	  "        there and where it comes from (the plant's, or station.ini's own)" },
	{ "user", "add", .fn = potw_user_add, .opts = o_user_add,
	  .usage = "user add --login NAME --role auditor|coordinator|admin",
	  .what = "add an account of the web pages; the password (at least 10 characters) is\n"
	  "        read as one line from stdin and kept as a libsodium password hash" },
	{ "user", "list", .fn = potw_user_list, .opts = o_none,
	  .usage = "user list",
	  .what = "list the web pages' accounts" },
	{ "user", "disable", .fn = potw_user_disable, .opts = potw_user_opts_login,
	  .usage = "user disable --login NAME",
	  .what = "disable an account: it signs in no more and its sessions end at once (the\n"
	  "        last admin who can sign in is never disabled)" },
	{ "user", "enable", .fn = potw_user_enable, .opts = potw_user_opts_login,
	  .usage = "user enable --login NAME",
	  .what = "let a disabled account sign in again" },
	{ "user", "passwd", .fn = potw_user_passwd, .opts = potw_user_opts_login,
	  .usage = "user passwd --login NAME",
	  .what = "give an account a new password, made by the program and printed once (four\n"
	  "        groups of five letters and digits, 99 bits); its sessions end at once" },
	{ "user", "role", .fn = potw_user_role, .opts = potw_user_opts_role,
	  .usage = "user role --login NAME --role auditor|coordinator|admin",
	  .what = "give an account another role, in force at its next request (the last admin\n"
	  "        who can sign in keeps the role)" },
	{ "user", "log", .fn = potw_user_log, .opts = o_none,
	  .usage = "user log",
	  .what = "print the staff log (accounts added, sign-ins, sign-outs: who and when) and\n"
	  "        check its hash chain; exit 1 at the first fault" },
	{ "disputes", NULL, .fn = potw_disputes, .opts = o_disputes,
	  .usage = "disputes [--open]",
	  .what = "list the disputes haulers raised on the receipt check (/r): the load, what\n"
	  "        they say is wrong, how to reach them, and the answer, by whom and when;\n"
	  "        --open: only those waiting for an answer" },
	{ "lab", "params", .fn = potw_lab_params, .opts = o_none,
	  .usage = "lab params",
	  .what = "list the parameters the lab measures, each with its unit, its limits (min,\n"
	  "        max) and the ordinance section they come from" },
	{ "lab", "limit", .fn = potw_lab_limit, .opts = potw_lab_opts_limit, .min_pos = 1,
	  .max_pos = 1,
	  .usage = "lab limit set --param NAME [--unit U] [--min V|none] [--max V|none] "
	  "[--section S]",
	  .what = "define a parameter (a new one needs --unit; its section is 2.3, the local\n"
	  "        limits, unless said) or change its limits; V is a decimal with a point" },
	{ "lab", "result", .fn = potw_lab_result, .opts = potw_lab_opts_result, .min_pos = 1,
	  .max_pos = 1,
	  .usage = "lab result add (--station ID --load N | --bottle ID) --param NAME --value V "
	  "--unit U --method M --lab NAME --analysed YYYY-MM-DD",
	  .what = "enter a lab result of a sampled load; one past its parameter's limits marks\n"
	  "        the load, its hauler and its sources in violation and drafts a notice of\n"
	  "        violation (section 8.1)" },
	{ "violations", NULL, .fn = potw_violations, .opts = o_none,
	  .usage = "violations",
	  .what = "list the results past their limits: the notice, its state, the load, the\n"
	  "        hauler, the sources, the value and the limit with its section" },
	{ "nov", "state", .fn = potw_nov_state, .opts = o_none, .min_pos = 2, .max_pos = 2,
	  .usage = "nov state ID draft|issued",
	  .what = "set a notice of violation's state" },
	{ "fees", "schedule", .fn = potw_fees_schedule, .opts = potw_fees_opts_schedule,
	  .max_pos = 1,
	  .usage = "fees schedule [set --waste TYPE --base DOLLARS --rate DOLLARS [--from DATE]]",
	  .what = "list the fee schedule, or set a waste type's base per load and rate per\n"
	  "        gallon (dollars: 25, 0.065) from a day on (default: today)" },
	{ "fees", "statement", .fn = potw_fees_statement, .opts = potw_fees_opts_statement,
	  .usage = "fees statement --hauler ID --month YYYY-MM [--station ID]",
	  .what = "a hauler's monthly statement: each load discharged, its gallons billed\n"
	  "        (measured where a meter counted, declared otherwise, said which), its\n"
	  "        charge, and the total (the last row)" },
	{ "hold", "set", .fn = potw_hold_set_cmd, .opts = potw_holds_opts_set,
	  .usage = "hold set (--hauler ID [--station ID] | --station ID --load N) --reason TEXT",
	  .what = "set a legal hold on a hauler of the plant's roster (at every station, or at\n"
	  "        one) or on a station's load: what it covers is kept past its three years\n"
	  "        (ordinance section 5) until released; prints the hold's number" },
	{ "hold", "release", .fn = potw_hold_release_cmd, .opts = o_none, .min_pos = 1, .max_pos = 1,
	  .usage = "hold release ID",
	  .what = "release a legal hold; the hold stays listed, with who released it and when" },
	{ "holds", NULL, .fn = potw_holds, .opts = potw_holds_opts_list,
	  .usage = "holds [--all]",
	  .what = "list the legal holds in force (--all: the released ones too): what each is\n"
	  "        on, the reason, who set it and when, who released it and when" },
	{ "retention", NULL, .fn = potw_retention, .opts = potw_holds_opts_retention,
	  .usage = "retention [--as-of YYYY-MM-DD]",
	  .what = "per station, its loads, those past their three years as of the day (default:\n"
	  "        today), those of them kept by a legal hold, and those the rule would let\n"
	  "        go.  Reports only: the plant deletes nothing" },
	{ "help", NULL, .builtin = CLI_HELP, .max_pos = 2, .no_config = 1,
	  .usage = "help [COMMAND [SUB]]",
	  .what = "show this help, or a command's" },
	{ "version", NULL, .builtin = CLI_VERSION, .opts = o_none, .no_config = 1,
	  .usage = "version",
	  .what = "print the version" },
};

static const char global_help[] =
	"Global options, before or after the command:\n"
	"  --config PATH   potw.ini (default: ./potw.ini if it exists, else the\n"
	"                  built-in defaults; see docs/POTW.md)\n"
	"  --csv, --json   listings as CSV (RFC 4180) or JSON instead of a table\n"
	"  -h, --help      help; COMMAND --help for one command\n"
	"  --version       print the version\n"
	"\n"
	"Exit status: 0 done, 1 refused or invalid, 2 wrong command line.\n";

/* ---- files ---- */

static int exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* ---- the server's Ed25519 key: the one place that calls host/keyfile.h ---- */

/* The key file names: path and path.pub (host/keyfile.h). */
static int key_pub_path(const char *path, char *out, size_t cap)
{
	if ((size_t)snprintf(out, cap, "%s.pub", path) >= cap)
		return cli_error("key path '%s' is too long", path);
	return 0;
}

static int server_key_create(const char *path)
{
	int rc;

	rc = keys_create(path, NULL);
	if (rc)
		return cli_error("cannot make the server key: %s", hg_error_text());
	return 0;
}

/* ---- init ---- */

/* Files init made, removed again when a later step fails. */
struct made {
	const char *path[8];
	int n;
};

static void made_add(struct made *m, const char *path)
{
	if (m->n < (int)HG_ARRAY_LEN(m->path))
		m->path[m->n++] = path;
}

static void made_undo(const struct made *m)
{
	int i;

	for (i = 0; i < m->n; i++)
		unlink(m->path[i]);
}

/* What init will refuse, before it makes anything. */
static int init_check(struct potw *p, const char *pub, int *tls_given)
{
	const struct potw_config *c = &p->cfg;
	int cert = exists(c->tls_cert), key = exists(c->tls_key), rc;

	if (exists(c->db))
		return cli_error("the database '%s' exists already: init never overwrites it "
			     "(move it away to start anew)", c->db);
	if (exists(c->key) || exists(pub))
		return cli_error("the server key '%s' exists already: init never overwrites it "
			     "(move it and its .pub away to start anew)", exists(c->key) ? c->key : pub);
	if (cert != key)
		return cli_error("[tls] %s '%s' exists but %s '%s' does not: give both files, or "
			     "neither to have init make them", cert ? "cert" : "key",
			     cert ? c->tls_cert : c->tls_key, cert ? "key" : "cert",
			     cert ? c->tls_key : c->tls_cert);
	*tls_given = cert && key;
	if (*tls_given) {
		rc = potw_tls_check(c->tls_key, c->tls_cert);
		if (rc)
			return cli_error("[tls]: %s", hg_error_text());
	}
	return 0;
}

static int cmd_init(struct potw *p, const struct cli_args *a)
{
	const struct potw_config *c = &p->cfg;
	char pub[POTW_PATH + 8], pin[POTW_PIN_CAP], pinkey[POTW_PATH + 16];
	struct potw_store *st = NULL;
	struct made m = { { NULL }, 0 };
	int rc, tls_given = 0;

	(void)a;
	rc = key_pub_path(c->key, pub, sizeof pub);
	if (rc)
		return rc;
	rc = init_check(p, pub, &tls_given);
	if (rc)
		return rc;
	if (keys_pin_path(c->key, pinkey, sizeof pinkey) != HG_OK)
		return cli_error("[server] key path '%s' is too long", c->key);
	if (exists(pinkey))
		return cli_error("the PIN key '%s' exists already: init never overwrites it "
			     "(move it away to start anew)", pinkey);
	rc = cli_mkdir_parent(c->db);
	if (!rc)
		rc = cli_mkdir_parent(c->key);
	if (!rc && !tls_given)
		rc = cli_mkdir_parent(c->tls_cert);
	if (!rc && !tls_given)
		rc = cli_mkdir_parent(c->tls_key);
	if (rc)
		return rc;

	rc = potw_store_open(c->db, POTW_STORE_CREATE, &st);
	if (rc)
		return cli_error("%s", hg_error_text());
	potw_store_close(st);
	made_add(&m, c->db);
	rc = server_key_create(c->key);
	if (rc)
		goto fail;
	made_add(&m, c->key);
	made_add(&m, pub);
	rc = keys_pin_create(pinkey, NULL);
	if (rc) {
		rc = cli_error("cannot make the PIN key: %s", hg_error_text());
		goto fail;
	}
	made_add(&m, pinkey);
	if (!tls_given) {
		rc = potw_tls_create(c->tls_key, c->tls_cert, c->listen_host, p->now);
		if (rc) {
			rc = cli_error("%s", hg_error_text());
			goto fail;
		}
		made_add(&m, c->tls_key);
		made_add(&m, c->tls_cert);
	}
	rc = potw_tls_pin(c->tls_cert, pin);
	if (rc) {
		rc = cli_error("%s", hg_error_text());
		goto fail;
	}
	printf("database: %s\n", c->db);
	printf("server key: %s (public: %s)\n", c->key, pub);
	printf("PIN key: %s (hashes the PINs of the plant's roster; keep a copy with the "
	       "server key)\n", pinkey);
	printf("TLS certificate: %s (%s)\n", c->tls_cert, tls_given ? "given" : "self-signed, made now");
	printf("TLS key: %s\n", c->tls_key);
	printf("pin for stations ([sync] pin): %s\n", pin);
	return 0;
fail:
	made_undo(&m);
	return rc;
}

/* ---- key ---- */

static int print_note_verifier(struct potw *p)
{
	char name[NOTE_NAME_MAX + 1], v[NOTE_VKEY_MAX];
	uint8_t pk[KEY_PUBLIC];
	int rc;

	rc = potw_key_name(p->cfg.name, name, sizeof name);
	if (rc)
		return cli_error("[server] name: %s", hg_error_text());
	rc = keys_load_public(p->cfg.key, pk);
	if (rc)
		return cli_error("%s", hg_error_text());
	rc = note_vkey(name, pk, v, sizeof v);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("%s\n", v);
	return 0;
}

static int cmd_key(struct potw *p, const struct cli_args *a)
{
	char pin[POTW_PIN_CAP];
	int rc;

	if (cli_get(a, "note-verifier"))
		return print_note_verifier(p);
	rc = potw_tls_pin(p->cfg.tls_cert, pin);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("%s\n", pin);
	return 0;
}

/* ---- stations ---- */

int potw_open_store(struct potw *p)
{
	int rc;

	if (p->st)
		return 0;
	rc = potw_store_open(p->cfg.db, 0, &p->st);
	if (rc)
		return cli_error("%s", hg_error_text());
	return 0;
}

struct table *potw_table_new(struct potw *p, const char *const *cols, int ncols,
			     const int *numeric)
{
	struct table *t;

	if (potw_open_store(p))
		return NULL;
	t = table_new(ncols, cols);
	if (!t) {
		cli_error("out of memory");
		return NULL;
	}
	for (; numeric && *numeric >= 0; numeric++)
		table_numeric(t, *numeric);
	return t;
}

int potw_table_done(struct potw *p, struct table *t, int rc)
{
	if (rc)
		rc = cli_error("%s", hg_error_text());
	else if (table_print(t, p->fmt, stdout))
		rc = cli_error("cannot write the listing");
	table_free(t);
	return rc;
}

void potw_cli_actor(char out[POTW_ACTOR_MAX + 1])
{
	const struct passwd *me = getpwuid(geteuid());

	snprintf(out, POTW_ACTOR_MAX + 1, "cli:%s", me && me->pw_name ? me->pw_name : "?");
}

const char *potw_cli_utc(hg_time t, char buf[24])
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (t && gmtime_r(&tt, &tm))
		strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

/* The PEM text of file (or stdin for "-") into buf[cap]. */
static int read_pem_file(const char *file, char *buf, size_t cap)
{
	FILE *f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	size_t n;

	if (!f)
		return cli_error("--key-pem: cannot read '%s': %s", file, strerror(errno));
	n = fread(buf, 1, cap - 1, f);
	if (f != stdin)
		fclose(f);
	if (n == cap - 1)
		return cli_error("--key-pem: '%s' is larger than a public key file (%zu bytes)", file,
			     cap - 2);
	buf[n] = '\0';
	if (strlen(buf) != n)
		return cli_error("--key-pem: '%s' is not text (a NUL byte in it)", file);
	return 0;
}

static int cmd_station_add(struct potw *p, const struct cli_args *a)
{
	char pem[PEM_FILE_MAX + 2], actor[POTW_ACTOR_MAX + 1];
	const char *id, *name, *file;
	int rc;

	rc = cli_need(a, "id", &id);
	if (!rc)
		rc = cli_need(a, "name", &name);
	if (!rc)
		rc = cli_need(a, "key-pem", &file);
	if (!rc)
		rc = read_pem_file(file, pem, sizeof pem);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	return potw_station_add_run(p->st, id, name, pem, actor, p->now);
}

/* t as "YYYY-MM-DDTHH:MM:SSZ" into buf[24], "" for 0 (never). */
static const char *utc(hg_time t, char buf[24])
{
	time_t tt = (time_t)t;
	struct tm tm;

	buf[0] = '\0';
	if (t && gmtime_r(&tt, &tm))
		strftime(buf, 24, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

static int add_station_row(const struct potw_station *s, void *ctx)
{
	struct table *t = ctx;
	char fpr[POTW_FPR_CAP], added[24], retired[24], contact[24], events[24], forks[24];
	const char *cells[8];

	if (potw_key_fingerprint(s->pk, fpr))
		return hg_fail(HG_EIO, "%s", hg_error_text());
	snprintf(events, sizeof events, "%lld", s->events);
	snprintf(forks, sizeof forks, "%lld", s->forks);
	cells[0] = s->id;
	cells[1] = s->name;
	cells[2] = fpr;
	cells[3] = utc(s->added, added);
	cells[4] = utc(s->retired, retired);
	cells[5] = utc(s->last_contact, contact);
	cells[6] = events;
	cells[7] = forks;
	return table_add(t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

static int cmd_station_list(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = {
		"id", "name", "key", "added", "retired", "last_contact", "events", "forks"
	};
	struct table *t;
	int rc;

	(void)a;
	rc = potw_open_store(p);
	if (rc)
		return rc;
	t = table_new((int)HG_ARRAY_LEN(cols), cols);
	if (!t)
		return cli_error("out of memory");
	table_numeric(t, 6);
	table_numeric(t, 7);
	rc = potw_store_station_each(p->st, add_station_row, t);
	if (rc) {
		table_free(t);
		return cli_error("%s", hg_error_text());
	}
	table_print(t, p->fmt, stdout);
	table_free(t);
	return 0;
}

static int cmd_station_retire(struct potw *p, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1];
	const char *id;
	int rc;

	rc = cli_need(a, "id", &id);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	return potw_station_retire_run(p->st, id, actor, p->now);
}

/* ---- serve ---- */

static int cmd_serve(struct potw *p, const struct cli_args *a)
{
	struct potw_server *srv;
	sigset_t set;
	int rc, sig = 0;

	(void)a;
	rc = potw_open_store(p);
	if (rc)
		return rc;
	/* SIGTERM and SIGINT blocked before the server's threads start (they
	 * inherit the mask), then taken here by sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL) != 0)
		return cli_error("cannot block SIGTERM and SIGINT");
	signal(SIGPIPE, SIG_IGN);
	rc = potw_server_start(&p->cfg, p->st, &srv);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("haulgate-potw: listening on https://%s%s%s:%d (%d threads, %s store)\n",
	       strchr(p->cfg.listen_host, ':') ? "[" : "", p->cfg.listen_host,
	       strchr(p->cfg.listen_host, ':') ? "]" : "", potw_server_port(srv),
	       p->cfg.threads, potw_store_backend(p->st));
	fflush(stdout);
	while (sigwait(&set, &sig) != 0)
		;
	potw_server_stop(srv);
	printf("haulgate-potw: %s: stopped\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	return 0;
}

/* ---- import ---- */

/* Each line of the file is a body for potw_sync_events(), the function
 * behind POST /api/v1/sync/events once the request's signature is checked:
 * here the station is the one named (the checkpoint in every line must be
 * signed by its registered key, so a file of another station is refused
 * there).  One buffer of POTW_BODY_MAX bytes holds a line. */
static int cmd_import(struct potw *p, const struct cli_args *a)
{
	const char *id, *file = a->pos[0];
	struct potw_log_state before, after;
	struct potw_station s;
	struct potw_reply r;
	struct potw_api api;
	long line = 0, batches = 0;
	char *buf = NULL;
	FILE *in;
	int rc;

	rc = cli_need(a, "station", &id);
	if (!rc)
		rc = potw_cli_station_id(id);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	if (potw_store_station_get(p->st, id, &s) || potw_store_log_state(p->st, id, &before))
		return cli_error("%s", hg_error_text());
	if (potw_api_init(&api, p->st, &p->cfg))
		return cli_error("%s", hg_error_text());
	in = strcmp(file, "-") ? fopen(file, "r") : stdin;
	buf = malloc(POTW_BODY_MAX + 2);
	if (!in || !buf) {
		rc = in ? cli_error("out of memory")
			: cli_error("cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	while (fgets(buf, POTW_BODY_MAX + 2, in)) {
		size_t len = strlen(buf);
		int whole = len > 0 && buf[len - 1] == '\n';

		line++;
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
			buf[--len] = '\0';
		if (!whole && !feof(in)) {
			rc = cli_error("%s line %ld: longer than a request's body (%d bytes): refused",
				       file, line, POTW_BODY_MAX);
			goto out;
		}
		if (len == 0)
			continue;
		r.body = NULL;
		rc = potw_sync_events(&api, id, buf, len, p->now, &r);
		if (rc) {
			free(r.body);
			rc = cli_error("%s", hg_error_text());
			goto out;
		}
		if (r.status != 200) {
			char *e = r.body ? strchr(r.body, '\n') : NULL;

			if (e)
				*e = '\0';
			rc = cli_error("%s line %ld: refused (%u) %s; nothing from this line on was taken",
				       file, line, r.status, r.body ? r.body : "");
			free(r.body);
			goto out;
		}
		free(r.body);
		batches++;
	}
	if (ferror(in)) {
		rc = cli_error("cannot read '%s': %s", file, strerror(errno));
		goto out;
	}
	if (potw_store_log_state(p->st, id, &after)) {
		rc = cli_error("%s", hg_error_text());
		goto out;
	}
	printf("station %s: %ld batch%s taken from %s, %lld events new; the plant holds %lld\n",
	       id, batches, batches == 1 ? "" : "es", file, after.size - before.size, after.size);
out:
	if (in && in != stdin)
		fclose(in);
	free(buf);
	potw_api_clear(&api);
	return rc;
}

/* ---- checkpoints and proofs ---- */

/* --name as a number from 1, into *v (0 when not given and optional). */
static int number(const struct cli_args *a, const char *name, int required, long long *v)
{
	const char *t = cli_get(a, name);
	long n;

	*v = 0;
	if (!t)
		return required ? cli_usage("missing --%s", name) : 0;
	if (text_parse_long(t, 1, LONG_MAX, &n) < 0)
		return cli_usage("--%s: '%s' is not a whole number from 1", name, t);
	*v = n;
	return 0;
}

static int cmd_checkpoint(struct potw *p, const struct cli_args *a)
{
	struct potw_checkpoint *cp;
	const char *id;
	long long size;
	int rc;

	rc = cli_need(a, "station", &id);
	if (!rc)
		rc = number(a, "size", 0, &size);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	cp = malloc(sizeof *cp);
	if (!cp)
		return cli_error("out of memory");
	rc = potw_store_checkpoint_get(p->st, id, size, 0, cp);
	if (rc) {
		free(cp);
		return cli_error("%s", hg_error_text());
	}
	fputs(cp->cosigned, stdout);
	free(cp);
	return 0;
}

static void put_hashes(const struct merkle_proof *pf)
{
	char b64[48];
	size_t i;

	printf("\"hashes\":[");
	for (i = 0; i < pf->count; i++) {
		sodium_bin2base64(b64, sizeof b64, pf->hash[i], 32, sodium_base64_VARIANT_ORIGINAL);
		printf("%s\"%s\"", i ? "," : "", b64);
	}
	printf("]}\n");
}

static int cmd_proof(struct potw *p, const struct cli_args *a)
{
	struct potw_inclusion in;
	struct merkle_proof pf;
	struct merkle_reader rd;
	struct potw_tree_ctx tc;
	struct potw_log_state ls;
	long long event, size, from, to;
	char b64[48];
	const char *id;
	int rc;

	rc = cli_need(a, "station", &id);
	if (!rc)
		rc = number(a, "event", 0, &event);
	if (!rc)
		rc = number(a, "size", 0, &size);
	if (!rc)
		rc = number(a, "from", 0, &from);
	if (!rc)
		rc = number(a, "to", 0, &to);
	if (rc)
		return rc;
	if (!event == !(from || to) || (event && (from || to)) || (!event && (!from || !to)) ||
	    (!event && size))
		return cli_usage("give --event N [--size M], or --from M --to N");
	rc = potw_open_store(p);
	if (rc)
		return rc;
	rc = potw_store_log_state(p->st, id, &ls);
	if (rc)
		return cli_error("%s", hg_error_text());
	potw_store_tree_reader(p->st, id, &tc, &rd);
	if (!event) {
		if (from > to || to > ls.size)
			return cli_error("station '%s': --from %lld --to %lld: the plant holds %lld events "
				     "(from <= to <= that)", id, from, to, ls.size);
		rc = merkle_consistency_proof(&rd, (uint64_t)from, (uint64_t)to, &pf);
		if (rc)
			return cli_error("%s", hg_error_text());
		printf("{\"from\":%lld,\"to\":%lld,", from, to);
		put_hashes(&pf);
		return 0;
	}
	rc = potw_proof_inclusion(p->st, id, event, size, &in);
	if (rc)
		return cli_error("%s%s", hg_error_text(), !size && rc == HG_ENOTFOUND ?
				 " (give --size)" : "");
	sodium_bin2base64(b64, sizeof b64, in.hash, 32, sodium_base64_VARIANT_ORIGINAL);
	printf("{\"event\":%lld,\"index\":%lld,\"size\":%lld,\"hash\":\"%s\",", event,
	       event - 1, in.size, b64);
	put_hashes(&in.pf);
	return 0;
}

struct ev_list {
	struct table *t;
	long long from, to;	/* to 0: no end */
};

static void b64_of(const uint8_t h[32], char out[48])
{
	sodium_bin2base64(out, 48, h, 32, sodium_base64_VARIANT_ORIGINAL);
}

static int add_event_row(const struct potw_event *e, void *ctx)
{
	struct ev_list *l = ctx;
	char seq[24], when[24], load[24], hash[48];
	const char *cells[7];

	if (e->seq < l->from)
		return 0;
	if (l->to && e->seq > l->to)
		return 1;	/* past the end: stop */
	snprintf(seq, sizeof seq, "%lld", e->seq);
	snprintf(load, sizeof load, "%lld", e->load_no);
	b64_of(e->hash, hash);
	cells[0] = seq;
	cells[1] = utc(e->ts, when);
	cells[2] = e->type;
	cells[3] = load;
	cells[4] = e->actor ? e->actor : "";
	cells[5] = e->detail ? e->detail : "";
	cells[6] = hash;
	return table_add(l->t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

static int add_fork_row(const struct potw_fork *f, void *ctx)
{
	struct ev_list *l = ctx;
	char seq[24], when[24], load[24], hash[48], held[48], got[24];
	const char *cells[9];

	if (f->e.seq < l->from || (l->to && f->e.seq > l->to))
		return 0;
	snprintf(seq, sizeof seq, "%lld", f->e.seq);
	snprintf(load, sizeof load, "%lld", f->e.load_no);
	b64_of(f->e.hash, hash);
	if (f->has_held)
		b64_of(f->held_hash, held);
	cells[0] = seq;
	cells[1] = utc(f->e.ts, when);
	cells[2] = f->e.type;
	cells[3] = load;
	cells[4] = f->e.actor ? f->e.actor : "";
	cells[5] = f->e.detail ? f->e.detail : "";
	cells[6] = hash;
	cells[7] = f->has_held ? held : "(none: it did not link on)";
	cells[8] = utc(f->received, got);
	return table_add(l->t, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

static int cmd_events(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = {
		"seq", "time", "type", "load_no", "actor", "detail", "hash", "held_hash", "received"
	};
	struct potw_station s;
	struct ev_list l;
	const char *id;
	int fork = cli_get(a, "fork") != NULL, rc;

	rc = cli_need(a, "station", &id);
	if (!rc)
		rc = number(a, "from", 0, &l.from);
	if (!rc)
		rc = number(a, "to", 0, &l.to);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	if (potw_store_station_get(p->st, id, &s))
		return cli_error("%s", hg_error_text());
	l.t = table_new(fork ? 9 : 7, cols);
	if (!l.t)
		return cli_error("out of memory");
	table_numeric(l.t, 0);
	table_numeric(l.t, 3);
	rc = fork ? potw_store_forks_each(p->st, id, add_fork_row, &l)
		  : potw_store_events_each(p->st, id, add_event_row, &l);
	if (rc < 0) {
		table_free(l.t);
		return cli_error("%s", hg_error_text());
	}
	table_print(l.t, p->fmt, stdout);
	table_free(l.t);
	return 0;
}

static int cmd_verify(struct potw *p, const struct cli_args *a)
{
	char name[NOTE_NAME_MAX + 1];
	struct potw_verify r;
	uint8_t pk[KEY_PUBLIC];
	const char *id;
	int rc;

	rc = cli_need(a, "station", &id);
	if (!rc)
		rc = potw_open_store(p);
	if (rc)
		return rc;
	if (potw_key_name(p->cfg.name, name, sizeof name) || keys_load_public(p->cfg.key, pk))
		return cli_error("%s", hg_error_text());
	rc = potw_verify_station(p->st, id, pk, name, &r);
	if (rc == HG_ECORRUPT) {
		if (!strcmp(r.what, "chain"))
			printf("chain broken at event %lld: %s\n", r.first_bad, r.why);
		else if (!strcmp(r.what, "tree"))
			printf("tree broken at event %lld: %s\n", r.first_bad, r.why);
		else if (!strcmp(r.what, "tables"))
			printf("tables differ from the log: %s\n", r.why);
		else
			printf("checkpoint of size %lld broken: %s\n", r.first_bad, r.why);
		return 1;
	}
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("chain ok: %lld events\n", r.events);
	printf("tree ok: %lld kept nodes are the events'\n", r.nodes);
	if (!strcmp(id, POTW_PLANT_LOG))
		printf("checkpoints ok: %lld, each signed by the plant, its root the events'\n",
		       r.checkpoints);
	else
		printf("checkpoints ok: %lld, each signed by the station and cosigned by the plant, "
		       "its root the events'\n", r.checkpoints);
	printf("tables ok: %lld rows are what the log makes\n", r.rows);
	if (r.forks)
		hg_warn("station '%s': %lld versions of events kept as fork evidence "
			"(docs/SYNC.md, \"What a plant does on a fork alarm\")", id, r.forks);
	return 0;
}

/* ---- the command line ---- */

static const struct cli_opt globals[] = { { "config", 1 }, { NULL, 0 } };
enum { G_CONFIG };

static const struct cli_table table = {
	.prog = "haulgate-potw", .version = POTW_VERSION, .about = "the plant's server for haulgate stations",
	.synopsis = "[--config PATH] [--csv|--json] COMMAND [ARGS]",
	.global_help = global_help, .globals = globals, CLI_ROWS(commands),
};

static int load_config(struct potw *p, const char *path)
{
	struct potw_config_errors errs;
	int rc, i;

	potw_config_defaults(&p->cfg);
	if (!path && exists("potw.ini"))
		path = "potw.ini";
	if (!path)
		return 0;
	p->config_path = path;
	rc = potw_config_load(&p->cfg, path, &errs);
	if (rc == HG_EIO)
		return cli_error("%s", hg_error_text());
	if (rc) {
		fflush(stdout);
		for (i = 0; i < errs.n; i++)
			fprintf(stderr, "%s:%d: %s\n", path, errs.line[i], errs.msg[i]);
		return -1;
	}
	return 0;
}

static int run(struct potw *c, const struct cli_line *l)
{
	const struct command *k = (const struct command *)(const void *)l->cmd;
	int rc, done;

	rc = cli_settle(&table, l, &done);
	if (rc || done)
		return rc;	/* --help, --version, help, version, or a usage error */
	c->fmt = cli_format(l);
	c->now = (hg_time)time(NULL);
	if (!k->no_config) {
		rc = load_config(c, l->global[G_CONFIG]);
		if (rc)
			return rc;
	}
	return k->fn(c, &l->args);
}

int main(int argc, char **argv)
{
	static struct potw c;
	struct cli_line l;
	int rc;

	/* no count of sqlite's memory: it took a lock process-wide at every
	 * malloc, the pages' and the background verifier's threads in turn
	 * (docs/WEB.md, "Benchmark") */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	hg_report_set(cli_warn, NULL);
	rc = cli_parse(&table, argc, argv, &l);
	if (rc == 0)
		rc = run(&c, &l);
	potw_store_close(c.st);
	if (fflush(stdout) != 0 && rc == 0)
		rc = cli_error("cannot write the output");
	return cli_exit_status(rc);
}
