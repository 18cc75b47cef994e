/* cmdline.c: a program's command line from its table of commands.
 *
 * One walk over argv (cli_parse): "--" ends the options; an argument that
 * starts with '-' (not "-" alone) is an option: a global one (--csv,
 * --json, --help, -h, --version, and the program's own that take a value)
 * or one of the chosen command's; the others are words: the first picks a
 * group of rows, the second (when the group has second words) the row, the
 * rest are positional arguments.  Every refusal names what was wrong and
 * where to look.  The help text is made from the table, so a command's help
 * is its row.  Start reading at cli_parse(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmdline.h"

static const struct cli_opt no_opts[] = { { NULL, 0 } };

static _Thread_local struct cli_sink *sink;

void cli_sink_set(struct cli_sink *s)
{
	sink = s;
}

/* "<prefix><message>\n" on stderr, after what is already on stdout; into
 * the thread's sink instead when it has one (its first error kept). */
static void say(const char *prefix, const char *fmt, va_list ap)
{
	if (sink) {
		if (!sink->err[0])
			vsnprintf(sink->err, sizeof sink->err, fmt, ap);
		return;
	}
	fflush(stdout);
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void cli_say(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (sink) {
		vsnprintf(sink->said, sizeof sink->said, fmt, ap);
	} else {
		vprintf(fmt, ap);
		putchar('\n');
	}
	va_end(ap);
}

int cli_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("error: ", fmt, ap);
	va_end(ap);
	return -1;
}

int cli_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	say("usage error: ", fmt, ap);
	va_end(ap);
	return CLI_EUSAGE;
}

void cli_warn(const char *msg, void *ctx)
{
	(void)ctx;
	fflush(stdout);
	fprintf(stderr, "warning: %s\n", msg);
}

const char *cli_get(const struct cli_args *a, const char *name)
{
	for (int i = 0; a->spec && a->spec[i].name && i < CLI_MAX_OPTS; i++)
		if (!strcmp(a->spec[i].name, name))
			return a->val[i];
	return NULL;
}

int cli_need(const struct cli_args *a, const char *name, const char **val)
{
	*val = cli_get(a, name);
	if (!*val)
		return cli_usage("missing --%s", name);
	return 0;
}

int cli_exit_status(int rc)
{
	if (rc == 0)
		return 0;
	return rc == CLI_EUSAGE ? 2 : 1;
}

/* ---- the table ---- */

static const struct cli_cmd *row(const struct cli_table *t, size_t i)
{
	return (const struct cli_cmd *)(const void *)((const char *)t->rows + i * t->stride);
}

/* 1 when the group name has second words, 0 when it is one row, -1 when
 * there is no such command. */
static int has_subs(const struct cli_table *t, const char *name)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(row(t, i)->name, name))
			return row(t, i)->sub != NULL;
	return -1;
}

static const struct cli_cmd *find(const struct cli_table *t, const char *name, const char *sub)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cli_cmd *k = row(t, i);

		if (strcmp(k->name, name))
			continue;
		if (!k->sub || (sub && !strcmp(k->sub, sub)))
			return k;
	}
	return NULL;
}

/* The second words of group name: "add|list|retire". */
static void sub_names(const struct cli_table *t, const char *name, char *buf, size_t cap)
{
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cli_cmd *k = row(t, i);
		int n;

		if (strcmp(k->name, name) || !k->sub)
			continue;
		n = snprintf(buf + len, cap - len, "%s%s", len ? "|" : "", k->sub);
		if (n < 0 || (size_t)n >= cap - len)
			return;
		len += (size_t)n;
	}
}

/* ---- help ---- */

static void print_group(const struct cli_table *t, FILE *out, const char *name)
{
	for (size_t i = 0; i < t->nrows; i++) {
		const struct cli_cmd *k = row(t, i);

		if (!name || !strcmp(k->name, name))
			fprintf(out, "  %s %s\n        %s\n", t->prog, k->usage, k->what);
	}
}

void cli_print_help(const struct cli_table *t, FILE *out, const char *group,
		    const struct cli_cmd *cmd)
{
	if (cmd) {
		fprintf(out, "usage: %s %s\n\n%s\n\n%s", t->prog, cmd->usage, cmd->what,
			t->global_help);
		return;
	}
	if (group && has_subs(t, group) >= 0) {
		fprintf(out, "usage:\n");
		print_group(t, out, group);
		fprintf(out, "\n%s", t->global_help);
		return;
	}
	fprintf(out, "%s %s: %s\n\nusage: %s %s\n\nCommands:\n", t->prog, t->version, t->about,
		t->prog, t->synopsis);
	print_group(t, out, NULL);
	fprintf(out, "\n%s", t->global_help);
}

int cli_version(const struct cli_table *t)
{
	printf("%s %s\n", t->prog, t->version);
	return 0;
}

int cli_help(const struct cli_table *t, const struct cli_args *a)
{
	const struct cli_cmd *k = NULL;
	int subbed;

	if (a->npos == 0) {
		cli_print_help(t, stdout, NULL, NULL);
		return 0;
	}
	subbed = has_subs(t, a->pos[0]);
	if (subbed < 0)
		return cli_usage("unknown command '%s' (see %s --help)", a->pos[0], t->prog);
	if (a->npos >= 2) {
		k = find(t, a->pos[0], a->pos[1]);
		if (!k)
			return cli_usage("unknown command '%s %s'", a->pos[0], a->pos[1]);
	} else if (!subbed) {
		k = find(t, a->pos[0], NULL);
	}
	cli_print_help(t, stdout, a->pos[0], k);
	return 0;
}

int cli_settle(const struct cli_table *t, const struct cli_line *l, int *done)
{
	int rc;

	*done = 1;
	if (l->version)
		return cli_version(t);
	if (l->help) {
		cli_print_help(t, stdout, l->group, l->cmd);
		return 0;
	}
	rc = cli_check(t, l);
	if (rc)
		return rc;
	if (l->cmd->builtin == CLI_VERSION)
		return cli_version(t);
	if (l->cmd->builtin == CLI_HELP)
		return cli_help(t, &l->args);
	*done = 0;
	return 0;
}

enum table_fmt cli_format(const struct cli_line *l)
{
	return l->csv ? TABLE_CSV : l->json ? TABLE_JSON : TABLE_TEXT;
}

/* ---- the walk ---- */

/* A global option of the program's that takes a value, by name: its index
 * in t->globals, or -1. */
static int global_index(const struct cli_table *t, const char *name, size_t len)
{
	for (int g = 0; t->globals && t->globals[g].name && g < CLI_MAX_GLOBALS; g++)
		if (strlen(t->globals[g].name) == len && !strncmp(t->globals[g].name, name, len))
			return g;
	return -1;
}

/* Put the value of "--name[=value]" in *slot (a flag gets ""). */
static int set_value(const char **slot, int takes, const char *name, size_t len,
		     const char *eq, int argc, char **argv, int *i)
{
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

/* An option: global, or one of the command's.  *i moves past its value. */
static int take_option(const struct cli_table *t, struct cli_line *l, int argc, char **argv,
		       int *i)
{
	static const struct { const char *name; size_t off; } flags[] = {
		{ "csv", offsetof(struct cli_line, csv) },
		{ "json", offsetof(struct cli_line, json) },
		{ "help", offsetof(struct cli_line, help) },
		{ "version", offsetof(struct cli_line, version) },
	};
	const char *arg = argv[*i], *name = arg + 2, *eq = strchr(name, '=');
	size_t len = eq ? (size_t)(eq - name) : strlen(name);
	int g, k;

	if (!strcmp(arg, "-h")) {
		l->help = 1;
		return 0;
	}
	if (arg[1] != '-')
		return cli_usage("unknown option '%s'", arg);
	for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
		int *flag = (int *)(void *)((char *)l + flags[f].off);

		if (strlen(flags[f].name) != len || strncmp(flags[f].name, name, len))
			continue;
		if (eq)
			return cli_usage("option '--%.*s' takes no value", (int)len, name);
		if (*flag)
			return cli_usage("option '--%.*s' given twice", (int)len, name);
		*flag = 1;
		return 0;
	}
	g = global_index(t, name, len);
	if (g >= 0)
		return set_value(&l->global[g], 1, name, len, eq, argc, argv, i);
	if (!l->cmd)
		return cli_usage("unknown option '%s' (a command's options come after it)", arg);
	for (k = 0; l->args.spec[k].name && k < CLI_MAX_OPTS; k++)
		if (strlen(l->args.spec[k].name) == len && !strncmp(l->args.spec[k].name, name, len))
			break;
	if (k >= CLI_MAX_OPTS || !l->args.spec[k].name)
		return cli_usage("'%s' has no option '--%.*s' (see %s %s%s%s --help)", l->cmd->usage,
				 (int)len, name, t->prog, l->cmd->name, l->cmd->sub ? " " : "",
				 l->cmd->sub ? l->cmd->sub : "");
	return set_value(&l->args.val[k], l->args.spec[k].arg, name, len, eq, argc, argv, i);
}

static int take_word(const struct cli_table *t, struct cli_line *l, const char *arg)
{
	char subs[200];
	int subbed;

	if (!l->group) {
		subbed = has_subs(t, arg);
		if (subbed < 0)
			return cli_usage("unknown command '%s' (see %s --help)", arg, t->prog);
		l->group = arg;
		if (!subbed)
			l->cmd = find(t, arg, NULL);
		return 0;
	}
	if (!l->cmd) {
		l->cmd = find(t, l->group, arg);
		if (!l->cmd) {
			sub_names(t, l->group, subs, sizeof subs);
			return cli_usage("unknown command '%s %s' (%s %s)", l->group, arg, l->group,
					 subs);
		}
		return 0;
	}
	if (l->args.npos >= l->cmd->max_pos || l->args.npos >= CLI_MAX_POS)
		return cli_usage("unexpected argument '%s' (usage: %s %s)", arg, t->prog,
				 l->cmd->usage);
	l->args.pos[l->args.npos++] = arg;
	return 0;
}

int cli_parse(const struct cli_table *t, int argc, char **argv, struct cli_line *l)
{
	int dashdash = 0, rc;

	memset(l, 0, sizeof *l);
	l->args.spec = no_opts;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];

		if (!dashdash && !strcmp(arg, "--")) {
			dashdash = 1;
			continue;
		}
		if (!dashdash && arg[0] == '-' && arg[1] && strcmp(arg, "-"))
			rc = take_option(t, l, argc, argv, &i);
		else
			rc = take_word(t, l, arg);
		if (rc < 0)
			return rc;
		if (l->cmd)
			l->args.spec = l->cmd->opts ? l->cmd->opts : no_opts;
	}
	return 0;
}

int cli_check(const struct cli_table *t, const struct cli_line *l)
{
	char subs[200];

	if (!l->group) {
		cli_print_help(t, stderr, NULL, NULL);
		return CLI_EUSAGE;
	}
	if (!l->cmd) {
		sub_names(t, l->group, subs, sizeof subs);
		return cli_usage("'%s' needs a command: %s %s %s", l->group, t->prog, l->group, subs);
	}
	if (l->args.npos < l->cmd->min_pos)
		return cli_usage("missing argument (usage: %s %s)", t->prog, l->cmd->usage);
	if (l->csv && l->json)
		return cli_usage("--csv and --json: choose one");
	return 0;
}
