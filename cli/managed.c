/* managed.c: a plant-managed station keeps no roster of its own.
 *
 * A station whose [sync] url is set takes its roster from the plant
 * (docs/SYNC.md): its haulers, cards, trucks and operators are the plant's
 * events, applied with the plant's ids.  A local edit would make the two
 * rosters differ, and the plant's next add of that table would then fail to
 * apply.  So main.c refuses every roster edit command (the rows flagged
 * ROSTER_EDIT), and cmd_init() refuses `init --demo`, before anything is
 * read or changed, with the plant's url and the command that makes the
 * change there: the same words after `haulgate-potw`, which takes the very
 * options (host/roster_cmd.h).  The words are in assets/i18n (cli.managed.*),
 * said in the station's language ([station] language) and then in the
 * other, as an operator's too-short PIN is: whoever runs the tool may read
 * either.  Reading the roster (the lists) is never refused.
 * Start reading at cli_managed_refuse(). */
#include <stdio.h>
#include <string.h>
#include "cli.h"

#define PLANT_CMD_MAX 4096	/* the longest hauler add, quoted, fits */

int cli_managed(const struct cli *c)
{
	return c->cfg.sync_url[0] != '\0';
}

/* s as one shell word, appended to out at *n: bare when it holds only
 * characters a shell leaves alone, else in single quotes (a ' as '\''). */
static void shell_word(char *out, size_t cap, size_t *n, const char *s)
{
	const char *p;
	int bare = *s != '\0';

	for (p = s; *p && bare; p++)
		bare = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			      "0123456789@%+=:,./_-", *p) != NULL;
	if (*n + 1 < cap)
		out[(*n)++] = ' ';
	if (!bare && *n + 1 < cap)
		out[(*n)++] = '\'';
	for (p = s; *p && *n + 4 < cap; p++) {
		if (*p == '\'' && !bare) {
			memcpy(out + *n, "'\\''", 4);
			*n += 4;
		} else {
			out[(*n)++] = *p;
		}
	}
	if (!bare && *n + 1 < cap)
		out[(*n)++] = '\'';
	out[*n] = '\0';
}

/* The plant's command for the station's name [sub] with a's arguments and
 * options (in the option table's order) into out[cap]. */
static void plant_command(char *out, size_t cap, const char *name, const char *sub,
			  const struct cli_args *a)
{
	size_t n = 0;
	char opt[64];

	n = (size_t)snprintf(out, cap, "haulgate-potw %s%s%s", name, sub ? " " : "",
			     sub ? sub : "");
	if (n >= cap)
		n = cap - 1;
	for (int i = 0; i < a->npos; i++)
		shell_word(out, cap, &n, a->pos[i]);
	for (int i = 0; a->spec && i < CLI_MAX_OPTS && a->spec[i].name; i++) {
		if (!a->val[i])
			continue;
		snprintf(opt, sizeof opt, "--%s", a->spec[i].name);
		shell_word(out, cap, &n, opt);
		if (a->spec[i].arg)
			shell_word(out, cap, &n, a->val[i]);
	}
}

/* key's text in lang with its first %s as x and its second as y. */
static void fill2(char *out, size_t cap, const char *key, enum lang lang, const char *x,
		  const char *y)
{
	const char *f = i18n_text(key, lang), *p = strstr(f, "%s"), *q;

	if (!p) {
		snprintf(out, cap, "%s", f);
		return;
	}
	q = strstr(p + 2, "%s");
	if (!q)
		snprintf(out, cap, "%.*s%s%s", (int)(p - f), f, x, p + 2);
	else
		snprintf(out, cap, "%.*s%s%.*s%s%s", (int)(p - f), f, x, (int)(q - p - 2), p + 2,
			 y, q + 2);
}

int cli_managed_refuse(const struct cli *c, const char *name, const char *sub,
		       const struct cli_args *a)
{
	static char cmd[PLANT_CMD_MAX], line[PLANT_CMD_MAX + 512];
	const char *key = strcmp(name, "init") ? "cli.managed.edit" : "cli.managed.demo";
	enum lang first = c->cfg.lang_default == LANG_ES ? LANG_ES : LANG_EN;

	plant_command(cmd, sizeof cmd, name, sub, a);
	fill2(line, sizeof line, key, first, c->cfg.sync_url, cmd);
	cli_error("%s", line);
	fill2(line, sizeof line, key, first == LANG_EN ? LANG_ES : LANG_EN, c->cfg.sync_url, cmd);
	return cli_error("%s", line);
}
