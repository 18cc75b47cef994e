/* cmdline.h: the command line of haulgate's programs: a table of commands,
 * each its words, its options and its help, parsed the same way for the
 * station's tool (cli/main.c) and the plant's server (potw/main.c).
 *
 * A program's own command row starts with CLI_CMD_FIELDS, then adds what it
 * runs (its function, its flags):
 *
 *	struct command { CLI_CMD_FIELDS int (*fn)(struct cli *, const struct cli_args *); };
 *	static const struct command commands[] = {
 *		{ "hauler", "add", .fn = cmd_hauler_add, .opts = o_hauler_add,
 *		  .usage = "hauler add --company NAME ...", .what = "add a hauler" },
 *	};
 *
 * cli_parse() walks argv once: the global options (--csv, --json, --help,
 * -h, --version and the program's own, such as --config) anywhere, the first
 * one or two words pick the row, the rest are the row's options and
 * positional arguments.  Errors are said git-style on stderr: cli_error()
 * "error: ..." (exit 1), cli_usage() "usage error: ..." (exit 2). */
#ifndef HOST_CMDLINE_H
#define HOST_CMDLINE_H

#include <stddef.h>
#include <stdio.h>
#include "../core/table.h"

#define CLI_EUSAGE (-64)	/* wrong command line: exit status 2 */

#define CLI_MAX_OPTS 12
#define CLI_MAX_POS 4
#define CLI_MAX_GLOBALS 4

/* The rows a program leaves to this file to run (cli_settle). */
enum { CLI_OWN = 0, CLI_HELP, CLI_VERSION };

/* One option a command takes: "--name VALUE" (arg 1) or a flag "--name". */
struct cli_opt {
	const char *name;
	int arg;
};

/* The parsed command line of one command. */
struct cli_args {
	const struct cli_opt *spec;		/* the command's options, NULL-terminated */
	const char *val[CLI_MAX_OPTS];		/* by spec index; "" for a flag given */
	int npos;
	const char *pos[CLI_MAX_POS];		/* positional arguments */
};

/* The fields every command row starts with, in this order. */
#define CLI_CMD_FIELDS \
	const char *name;		/* first word */ \
	const char *sub;		/* second word, or NULL */ \
	const struct cli_opt *opts;	/* NULL-terminated; NULL: none */ \
	int min_pos, max_pos;		/* positional arguments */ \
	const char *usage;		/* after the program's name */ \
	const char *what;		/* what it does, one or a few lines */ \
	int builtin;			/* CLI_HELP, CLI_VERSION: this file runs it */

struct cli_cmd {
	CLI_CMD_FIELDS
};

/* A program's command line: its name and help, its global options that
 * take a value (--config, --db), and its command table (rows of stride
 * bytes, each starting with CLI_CMD_FIELDS). */
struct cli_table {
	const char *prog;		/* "haulgate" */
	const char *version;		/* "0.1.0" */
	const char *about;		/* what it is: "the ... tool" */
	const char *synopsis;		/* "[--config PATH] [--csv|--json] COMMAND [ARGS]" */
	const char *global_help;	/* the global options, explained */
	const struct cli_opt *globals;	/* at most CLI_MAX_GLOBALS, NULL-terminated */
	const void *rows;
	size_t nrows, stride;
};

/* The rows of a table: .rows, .nrows and .stride of the array rows. */
#define CLI_ROWS(r) .rows = (r), .nrows = sizeof(r) / sizeof((r)[0]), .stride = sizeof((r)[0])

/* The command line once walked. */
struct cli_line {
	const char *global[CLI_MAX_GLOBALS];	/* by globals index */
	int csv, json, help, version;
	const char *group;		/* first word */
	const struct cli_cmd *cmd;	/* the row; NULL: none (yet) */
	struct cli_args args;
};

/* Walk argv into *l (zeroed here).  0, or CLI_EUSAGE after saying why. */
int cli_parse(const struct cli_table *t, int argc, char **argv, struct cli_line *l);

/* After cli_parse(), before running l->cmd: a group without its second
 * word, too few positional arguments, --csv with --json.  0 or CLI_EUSAGE
 * (said).  Does not look at --help or --version (the caller's first). */
int cli_check(const struct cli_table *t, const struct cli_line *l);

/* The help: the program's (group and cmd NULL), a group's rows, or one row's. */
void cli_print_help(const struct cli_table *t, FILE *out, const char *group,
		    const struct cli_cmd *cmd);

/* The help command: `PROG help [WORD [SUB]]`, its words in a->pos.  0 or
 * CLI_EUSAGE (an unknown command, said). */
int cli_help(const struct cli_table *t, const struct cli_args *a);

/* The version command: "PROG VERSION" on stdout; 0. */
int cli_version(const struct cli_table *t);

/* What comes before running a row, the same in every program: --version,
 * --help, cli_check(), and the rows a program leaves to this file (a row
 * with no function of its own: "help", "version").  Sets *done when it did
 * all there was to do; returns 0 or CLI_EUSAGE (said). */
int cli_settle(const struct cli_table *t, const struct cli_line *l, int *done);

/* The listing format asked for (--csv, --json, else a table). */
enum table_fmt cli_format(const struct cli_line *l);

/* "error: <fmt>" on stderr (after stdout is flushed); returns -1. */
int cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "usage error: <fmt>" on stderr; returns CLI_EUSAGE. */
int cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Where this thread's cli_error(), cli_usage() and cli_say() go instead
 * of stderr and stdout: a program that runs a command's code for a person
 * who is not at a terminal (the plant's web pages run the roster's edit
 * commands: potw/page_roster.c) sets one around the call, and shows what
 * it holds.  NULL: stderr and stdout again. */
struct cli_sink {
	char err[512];		/* the first error or usage error said, "" none */
	char said[256];		/* the last line cli_say() said, "" none */
};
void cli_sink_set(struct cli_sink *s);
/* What a command did, one line: "<fmt>\n" on stdout, or into the sink. */
void cli_say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A warning (core/report.h's hg_warn) as "warning: <msg>" on stderr,
 * after what is on stdout: the hg_report_fn both programs install. */
void cli_warn(const char *msg, void *ctx);

/* The value of option name ("" for a flag given), or NULL when absent. */
const char *cli_get(const struct cli_args *a, const char *name);
/* The value of a required option: 0, or CLI_EUSAGE ("missing --name"). */
int cli_need(const struct cli_args *a, const char *name, const char **val);

/* The exit status of a command's result: 0, 2 for CLI_EUSAGE, else 1. */
int cli_exit_status(int rc);

#endif
