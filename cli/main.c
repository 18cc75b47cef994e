/* main.c: the command line of build/haulgate, the station's admin tool.
 *
 * Every command is one row of commands[]: its words ("hauler", "add"), the
 * function that runs it, its options and its usage line.  main() walks argv
 * once: global options (--db, --config, --csv, --json, --help, --version) are
 * taken anywhere, the first words pick the row, the rest are parsed by the
 * row's option table into a struct cli_args.  Then the configuration is
 * loaded with --db over it (cli_load_config: station/boot.c, as the kiosk
 * does), and the command run.  Exit status:
 * 0 done, 1 refused or invalid (said on stderr), 2 wrong command line;
 * `sync now` also 3 (the plant could not be reached) and 4 (a fork, or the
 * plant refused).
 * Start reading at main(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pwd.h>
#include <unistd.h>
#include "cli.h"
#include "../host/po_file.h"
#include "../core/text.h"

enum {
	NO_CONFIG = 1,	/* runs without the configuration loaded first */
	READ_ONLY = 2	/* reads the database only: a station id mismatch is a warning */
};

struct command {
	const char *name;		/* first word */
	const char *sub;		/* second word, or NULL */
	int (*fn)(struct cli *c, const struct cli_args *a);
	const struct cli_opt *opts;	/* NULL-terminated; NULL: none */
	int min_pos, max_pos;		/* positional arguments */
	int flags;			/* NO_CONFIG, READ_ONLY */
	const char *usage;		/* after "haulgate " */
	const char *what;		/* one line */
};

static const struct cli_opt o_none[] = { { NULL, 0 } };
static const struct cli_opt o_init[] = { { "station-id", 1 }, { "demo", 0 }, { NULL, 0 } };
static const struct cli_opt o_hauler_add[] = {
	{ "company", 1 }, { "contact", 1 }, { "address", 1 }, { "phone", 1 },
	{ "permit", 1 }, { "from", 1 }, { "to", 1 }, { "waste", 1 }, { "analysis", 1 },
	{ NULL, 0 } };
static const struct cli_opt o_permit[] = { { "permit", 1 }, { "from", 1 }, { "to", 1 }, { NULL, 0 } };
static const struct cli_opt o_analysis[] = { { "date", 1 }, { "none", 0 }, { NULL, 0 } };
static const struct cli_opt o_card_add[] = { { "uid", 1 }, { "hauler", 1 }, { "driver", 1 }, { NULL, 0 } };
static const struct cli_opt o_truck_add[] = { { "hauler", 1 }, { "ident", 1 }, { "capacity", 1 }, { NULL, 0 } };
static const struct cli_opt o_operator_add[] = { { "name", 1 }, { "uid", 1 }, { NULL, 0 } };
static const struct cli_opt o_loads[] = {
	{ "from", 1 }, { "to", 1 }, { "hauler", 1 }, { "flagged", 0 }, { NULL, 0 } };
static const struct cli_opt o_rv[] = { { "from", 1 }, { "to", 1 }, { NULL, 0 } };
static const struct cli_opt o_events[] = { { "from", 1 }, { "limit", 1 }, { NULL, 0 } };
static const struct cli_opt o_keys[] = { { "public-pem", 0 }, { "note-verifier", 0 }, { NULL, 0 } };
static const struct cli_opt o_simulate[] = { { "script", 1 }, { NULL, 0 } };
static const struct cli_opt o_read_card[] = { { "timeout", 1 }, { NULL, 0 } };
static const struct cli_opt o_hw_relay[] = { { "hold", 1 }, { NULL, 0 } };
static const struct cli_opt o_hw_reprint[] = { { "kept", 0 }, { NULL, 0 } };

static int cmd_help(struct cli *c, const struct cli_args *a);
static int cmd_version(struct cli *c, const struct cli_args *a);

static const struct command commands[] = {
	{ "init", NULL, cmd_init, .opts = o_init,
	  .usage = "init [--station-id ID] [--demo]",
	  .what = "create the database and the station's keys: signing key, PIN key (--demo: add the demo roster)" },
	{ "hauler", "add", cmd_hauler_add, .opts = o_hauler_add,
	  .usage = "hauler add --company NAME --contact NAME --address TEXT --phone TEXT\n"
	  "                --permit NUMBER --from DATE --to DATE --waste TYPE[,TYPE...]\n"
	  "                [--analysis DATE]",
	  .what = "add a hauler; prints its id (waste types: septage, portable, grease, industrial)" },
	{ "hauler", "list", cmd_hauler_list, .flags = READ_ONLY,
	  .usage = "hauler list",
	  .what = "list the haulers" },
	{ "hauler", "suspend", cmd_hauler_suspend, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler suspend ID",
	  .what = "suspend a hauler: its cards are refused at the gate" },
	{ "hauler", "reinstate", cmd_hauler_reinstate, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler reinstate ID",
	  .what = "lift a suspension" },
	{ "hauler", "permit", cmd_hauler_permit, .opts = o_permit, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler permit ID --permit NUMBER --from DATE --to DATE",
	  .what = "record a new permit and its validity (dates inclusive)" },
	{ "hauler", "analysis", cmd_hauler_analysis, .opts = o_analysis, .min_pos = 1, .max_pos = 1,
	  .usage = "hauler analysis ID --date DATE | --none",
	  .what = "record the date of the waste analysis on file, or that there is none" },
	{ "card", "add", cmd_card_add, .opts = o_card_add,
	  .usage = "card add --uid HEX --hauler ID --driver NAME   (PIN on stdin)",
	  .what = "add a hauler card; the PIN (4 to 12 digits) is read from stdin, or asked twice on a terminal" },
	{ "card", "revoke", cmd_card_revoke, .min_pos = 1, .max_pos = 1,
	  .usage = "card revoke UID",
	  .what = "revoke a card" },
	{ "card", "list", cmd_card_list, .flags = READ_ONLY,
	  .usage = "card list",
	  .what = "list the hauler cards" },
	{ "truck", "add", cmd_truck_add, .opts = o_truck_add,
	  .usage = "truck add --hauler ID --ident TEXT --capacity GALLONS",
	  .what = "add a truck to a hauler (capacity 1 to 20000 gallons); prints its id" },
	{ "truck", "list", cmd_truck_list, .flags = READ_ONLY,
	  .usage = "truck list",
	  .what = "list the trucks" },
	{ "operator", "add", cmd_operator_add, .opts = o_operator_add,
	  .usage = "operator add --name NAME --uid HEX   (PIN on stdin)",
	  .what = "add a plant operator with a card; the PIN (6 to 12 digits) is read as for card add;\n"
	  "        prints the id" },
	{ "operator", "list", cmd_operator_list, .flags = READ_ONLY,
	  .usage = "operator list",
	  .what = "list the operators" },
	{ "loads", NULL, cmd_loads, .opts = o_loads, .flags = READ_ONLY,
	  .usage = "loads [--from DATE] [--to DATE] [--hauler ID] [--flagged]",
	  .what = "list loads (dates local, inclusive; --flagged: only loads flagged for sampling)" },
	{ "rv-visits", NULL, cmd_rv_visits, .opts = o_rv, .flags = READ_ONLY,
	  .usage = "rv-visits [--from DATE] [--to DATE]",
	  .what = "list RV dump station visits" },
	{ "events", NULL, cmd_events, .opts = o_events, .flags = READ_ONLY,
	  .usage = "events [--from SEQ] [--limit N]",
	  .what = "list the event log from sequence number SEQ" },
	{ "report", "month", cmd_report_month, .min_pos = 1, .max_pos = 1, .flags = READ_ONLY,
	  .usage = "report month YYYY-MM",
	  .what = "per hauler for one month: loads, gallons by waste type, samples, refusals" },
	{ "verify", NULL, cmd_verify, .flags = READ_ONLY,
	  .usage = "verify",
	  .what = "check the hash chain of the event log and every table against it" },
	{ "keys", NULL, cmd_keys, .opts = o_keys, .flags = READ_ONLY,
	  .usage = "keys [--public-pem | --note-verifier]",
	  .what = "show the station's public key (hex), or as PEM for openssl, or as the "
	  "signed-note verifier key its checkpoints are checked with (name+keyid+base64)" },
	{ "receipt", "verify", cmd_receipt_verify, .min_pos = 1, .max_pos = 1, .flags = READ_ONLY,
	  .usage = "receipt verify TEXT|-",
	  .what = "check a receipt's or a bottle label's QR text (- reads it from stdin) and\n"
	  "        compare it with the record" },
	{ "config", "check", cmd_config_check, .flags = NO_CONFIG,
	  .usage = "config check",
	  .what = "check the configuration file; print every error with its line" },
	{ "simulate", NULL, cmd_simulate, .opts = o_simulate,
	  .usage = "simulate --script FILE",
	  .what = "run a scenario script against the station (docs/SCENARIOS.md)" },
	{ "hw", "check", cmd_hw_check,
	  .usage = "hw check",
	  .what = "probe every device the configuration names; one line each: ok or what is wrong" },
	{ "hw", "read-card", cmd_hw_read_card, .opts = o_read_card,
	  .usage = "hw read-card [--timeout SECONDS]",
	  .what = "wait for one card on the reader (default 30 s); print its UID, type and holder" },
	{ "hw", "relay", cmd_hw_relay, .opts = o_hw_relay, .min_pos = 2, .max_pos = 2,
	  .usage = "hw relay NAME on|off [--hold SECONDS]",
	  .what = "switch one relay and read it back; on is held --hold seconds (default 5), then off" },
	{ "hw", "safe", cmd_hw_safe,
	  .usage = "hw safe",
	  .what = "switch every relay off and read it back (gate locked, valve closed): what "
	  "systemd runs after the kiosk stops, however it stopped" },
	{ "hw", "meter", cmd_hw_meter,
	  .usage = "hw meter",
	  .what = "read the flow meter's totaliser (gallons)" },
	{ "hw", "print-test", cmd_hw_print_test,
	  .usage = "hw print-test",
	  .what = "print a test page with a QR code and wait until it is printed" },
	{ "hw", "reprint", cmd_hw_reprint, .opts = o_hw_reprint, .max_pos = 1,
	  .usage = "hw reprint LOAD-NO | --kept",
	  .what = "print a load's receipt (or refusal slip) again, marked COPY, and log it; "
	  "--kept: every slip the printer could not print, oldest first" },
	{ "sync", "now", cmd_sync_now,
	  .usage = "sync now",
	  .what = "send the events the plant does not have yet, one round; exit status 0 the "
	  "plant has them all, 3 it could not be reached, 4 a fork or a refusal" },
	{ "sync", "status", cmd_sync_status, .flags = READ_ONLY,
	  .usage = "sync status",
	  .what = "what the last rounds found, from the database: events not yet at the plant, "
	  "last success, last error, a fork, the latest checkpoint the plant countersigned" },
	{ "sync", "run", cmd_sync_run,
	  .usage = "sync run",
	  .what = "send the log to the plant every [sync] interval, waiting up to 10 min while "
	  "rounds fail; SIGTERM or SIGINT ends it between requests" },
	{ "help", NULL, cmd_help, .max_pos = 2, .flags = NO_CONFIG,
	  .usage = "help [COMMAND]",
	  .what = "show this help, or a command's" },
	{ "version", NULL, cmd_version, .flags = NO_CONFIG,
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
	"a refusal.  See docs/CLI.md.\n";

/* The command line once walked. */
struct parsed {
	const char *db, *config;
	int csv, json, help, version;
	const char *group;		/* first word */
	const struct command *cmd;
	struct cli_args args;
};

static int has_subs(const char *name)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(commands); i++)
		if (!strcmp(commands[i].name, name))
			return commands[i].sub != NULL;
	return -1;	/* no such command */
}

static const struct command *find(const char *name, const char *sub)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(commands); i++) {
		const struct command *k = &commands[i];

		if (strcmp(k->name, name))
			continue;
		if (!k->sub || (sub && !strcmp(k->sub, sub)))
			return k;
	}
	return NULL;
}

static void print_group(FILE *out, const char *name)
{
	size_t i;

	for (i = 0; i < HG_ARRAY_LEN(commands); i++)
		if (!name || !strcmp(commands[i].name, name))
			fprintf(out, "  haulgate %s\n        %s\n", commands[i].usage, commands[i].what);
}

static void print_help(FILE *out, const char *name, const struct command *cmd)
{
	if (cmd) {
		fprintf(out, "usage: haulgate %s\n\n%s\n\n%s", cmd->usage, cmd->what, global_help);
		return;
	}
	if (name) {
		fprintf(out, "usage:\n");
		print_group(out, name);
		fprintf(out, "\n%s", global_help);
		return;
	}
	fprintf(out, "haulgate %s: the hauled-waste receiving station's admin tool\n\n"
		"usage: haulgate [--db PATH] [--config PATH] [--csv|--json] COMMAND [ARGS]\n\n"
		"Commands:\n", HG_VERSION);
	print_group(out, NULL);
	fprintf(out, "\n%s", global_help);
}

static void sub_names(const char *name, char *buf, size_t cap)
{
	size_t i;

	buf[0] = '\0';
	for (i = 0; i < HG_ARRAY_LEN(commands); i++) {
		if (strcmp(commands[i].name, name) || !commands[i].sub)
			continue;
		if (buf[0] && text_append(buf, cap, "|") < 0)
			return;
		if (text_append(buf, cap, commands[i].sub) < 0)
			return;
	}
}

/* An option: global, or one of the command's.  *i moves past its value. */
static int take_option(struct parsed *p, int argc, char **argv, int *i)
{
	const char *arg = argv[*i];
	const char *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	const char **slot = NULL;
	int *flag = NULL, takes = 0, k;

	if (!strcmp(arg, "-h")) {
		p->help = 1;
		return 0;
	}
	if (arg[1] != '-')
		return cli_usage("unknown option '%s'", arg);

	if (len == 2 && !strncmp(name, "db", len)) {
		slot = &p->db;
		takes = 1;
	} else if (len == 6 && !strncmp(name, "config", len)) {
		slot = &p->config;
		takes = 1;
	} else if (len == 3 && !strncmp(name, "csv", len)) {
		flag = &p->csv;
	} else if (len == 4 && !strncmp(name, "json", len)) {
		flag = &p->json;
	} else if (len == 4 && !strncmp(name, "help", len)) {
		flag = &p->help;
	} else if (len == 7 && !strncmp(name, "version", len)) {
		flag = &p->version;
	} else if (p->cmd) {
		const struct cli_opt *o = p->cmd->opts ? p->cmd->opts : o_none;

		for (k = 0; o[k].name; k++)
			if (strlen(o[k].name) == len && !strncmp(o[k].name, name, len))
				break;
		if (!o[k].name)
			return cli_usage("'%s' has no option '--%.*s' (see haulgate %s%s%s --help)",
					 p->cmd->usage, (int)len, name, p->cmd->name,
					 p->cmd->sub ? " " : "", p->cmd->sub ? p->cmd->sub : "");
		slot = &p->args.val[k];
		takes = o[k].arg;
	} else {
		return cli_usage("unknown option '%s'", arg);
	}

	if (flag) {
		if (eq)
			return cli_usage("option '--%.*s' takes no value", (int)len, name);
		if (*flag)
			return cli_usage("option '--%.*s' given twice", (int)len, name);
		*flag = 1;
		return 0;
	}
	if (*slot)
		return cli_usage("option '--%.*s' given twice", (int)len, name);
	if (!takes) {
		if (eq)
			return cli_usage("option '--%.*s' takes no value", (int)len, name);
		*slot = "";
		return 0;
	}
	if (eq) {
		*slot = eq + 1;
		return 0;
	}
	if (*i + 1 >= argc)
		return cli_usage("option '--%.*s' needs a value", (int)len, name);
	*slot = argv[++*i];
	return 0;
}

static int take_word(struct parsed *p, const char *arg)
{
	char subs[200];
	int subbed;

	if (!p->group) {
		subbed = has_subs(arg);
		if (subbed < 0)
			return cli_usage("unknown command '%s' (see haulgate --help)", arg);
		p->group = arg;
		if (!subbed)
			p->cmd = find(arg, NULL);
		return 0;
	}
	if (!p->cmd) {
		p->cmd = find(p->group, arg);
		if (!p->cmd) {
			sub_names(p->group, subs, sizeof subs);
			return cli_usage("unknown command '%s %s' (%s %s)", p->group, arg, p->group, subs);
		}
		return 0;
	}
	if (p->args.npos >= p->cmd->max_pos || p->args.npos >= CLI_MAX_POS)
		return cli_usage("unexpected argument '%s' (usage: haulgate %s)", arg, p->cmd->usage);
	p->args.pos[p->args.npos++] = arg;
	return 0;
}

static int parse(int argc, char **argv, struct parsed *p)
{
	int i, rc, dashdash = 0;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!dashdash && !strcmp(arg, "--")) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && arg[0] == '-' && arg[1] && strcmp(arg, "-")) {
			rc = take_option(p, argc, argv, &i);
			if (rc < 0)
				return rc;
			continue;
		}
		rc = take_word(p, arg);
		if (rc < 0)
			return rc;
		if (p->cmd)
			p->args.spec = p->cmd->opts ? p->cmd->opts : o_none;
	}
	return 0;
}

static int cmd_help(struct cli *c, const struct cli_args *a)
{
	const struct command *k = NULL;

	(void)c;
	if (a->npos == 0) {
		print_help(stdout, NULL, NULL);
		return 0;
	}
	if (has_subs(a->pos[0]) < 0)
		return cli_usage("unknown command '%s' (see haulgate --help)", a->pos[0]);
	if (a->npos == 2) {
		k = find(a->pos[0], a->pos[1]);
		if (!k)
			return cli_usage("unknown command '%s %s'", a->pos[0], a->pos[1]);
	} else if (!has_subs(a->pos[0])) {
		k = find(a->pos[0], NULL);
	}
	print_help(stdout, a->pos[0], k);
	return 0;
}

static int cmd_version(struct cli *c, const struct cli_args *a)
{
	(void)c;
	(void)a;
	printf("haulgate %s\n", HG_VERSION);
	return 0;
}

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

static int exit_status(int rc)
{
	if (rc == 0)
		return 0;
	if (rc == CLI_EUSAGE)
		return 2;
	if (rc == CLI_EUNREACHABLE)
		return 3;
	if (rc == CLI_EREFUSED)
		return 4;
	return 1;
}

static int run(struct cli *c, struct parsed *p)
{
	const struct command *k = p->cmd;
	int rc;

	if (p->version)
		return cmd_version(c, &p->args);
	if (p->help) {
		print_help(stdout, p->group, k);
		return 0;
	}
	if (!p->group) {
		print_help(stderr, NULL, NULL);
		return CLI_EUSAGE;
	}
	if (!k) {
		char subs[200];

		sub_names(p->group, subs, sizeof subs);
		return cli_usage("'%s' needs a command: haulgate %s %s", p->group, p->group, subs);
	}
	if (p->args.npos < k->min_pos)
		return cli_usage("missing argument (usage: haulgate %s)", k->usage);
	if (p->csv && p->json)
		return cli_usage("--csv and --json: choose one");
	c->fmt = p->csv ? TABLE_CSV : p->json ? TABLE_JSON : TABLE_TEXT;
	c->config_opt = p->config;
	c->read_only = (k->flags & READ_ONLY) != 0;
	c->now = (hg_time)time(NULL);
	set_actor(c);

	c->db_opt = p->db;
	if (!(k->flags & NO_CONFIG)) {
		rc = cli_load_config(c, p->config, p->db);
		if (rc < 0)
			return rc;
	}
	return k->fn(c, &p->args);
}

/* A warning (hg_warn: a station id that is not the database's, for a command
 * that only reads) on stderr, after what is on stdout. */
static void warn(const char *msg, void *ctx)
{
	(void)ctx;
	fflush(stdout);
	fprintf(stderr, "warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	static struct cli c;	/* a struct config is large: not on the stack */
	struct parsed p;
	int rc;

	hg_report_set(warn, NULL);
	i18n_files_use();	/* HAULGATE_PO_DIR, before any text is read */
	memset(&p, 0, sizeof p);
	p.args.spec = o_none;
	rc = parse(argc, argv, &p);
	if (rc == 0)
		rc = run(&c, &p);
	if (c.st)
		store_close(c.st);
	c.boot.st = NULL;	/* c.st, or init's own */
	boot_close(&c.boot);
	if (fflush(stdout) != 0 && rc == 0)
		rc = cli_error("cannot write the output");
	return exit_status(rc);
}
