/* cli_util.c: the helpers every command of the CLI shares.
 *
 * Errors are reported as git does (host/cmdline.c): cli_error("cannot open
 * '%s'", path) prints "error: cannot open 'x'" on stderr and returns -1, so
 * a command says `return cli_error(...)` in one line.  The values a command
 * line gives are checked, and PINs read, in host/cmdline_values.c (the
 * plant's roster commands share it); here the station's PIN key.  The
 * configuration, the database
 * and the keys are opened through station/boot.c, the start the kiosk and
 * `simulate` share. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include "cli.h"
#include "../core/i18n.h"
#include "../core/pin.h"
#include "../core/text.h"

/* ---- configuration and database: station/boot.c ---- */

/* c->boot set up to fill c->cfg, once. */
static struct boot *boot_of(struct cli *c)
{
	if (!c->boot.cfg) {
		c->boot.cfg = &c->cfg;
		c->boot.config_opt = c->config_opt;
		c->boot.db_opt = c->db_opt;
	}
	return &c->boot;
}

int cli_load_config(struct cli *c, const char *config_opt, const char *db_opt)
{
	struct boot *b = boot_of(c);
	int rc;

	b->config_opt = config_opt;
	b->db_opt = db_opt;
	rc = boot_open(b, BOOT_CONFIG);
	c->config_path = b->config_path;
	if (rc == HG_OK)
		return 0;
	if (b->errs.n > 0) {
		fflush(stdout);
		boot_config_errors(b, stderr);
		return -1;
	}
	return cli_error("%s", hg_error_text());
}

int cli_store(struct cli *c)
{
	struct boot *b = boot_of(c);
	int rc;

	if (c->st)
		return HG_OK;
	rc = boot_open(b, BOOT_STORE | (c->read_only ? BOOT_READ_ONLY : 0));
	if (rc)
		return rc;
	c->st = b->st;
	return HG_OK;
}

int cli_open_store(struct cli *c)
{
	if (cli_store(c))
		return cli_error("%s", hg_error_text());
	return 0;
}

int cli_take_open(struct cli *c, const struct cli_args *a, const struct cli_field *f, size_t n)
{
	int rc = cli_take(a, f, n);

	if (rc < 0)
		return rc;
	return cli_open_store(c);
}

int cli_store_error(struct cli *c)
{
	(void)c;	/* the words are in hg_error_text() */
	return cli_error("%s", hg_error_text());
}

void cli_print_table(struct cli *c, struct table *t)
{
	table_print(t, c->fmt, stdout);
	table_free(t);
}

int cli_listing(struct cli *c, int rc, struct table *t)
{
	if (rc < 0)
		return cli_store_error(c);
	cli_print_table(c, t);
	return 0;
}

int cli_list(struct cli *c, int (*list)(struct store *st, struct table **out))
{
	struct table *t;
	int rc;

	rc = cli_open_store(c);
	if (rc < 0)
		return rc;
	rc = list(c->st, &t);
	return cli_listing(c, rc, t);
}

int cli_pin_key(struct cli *c, struct keypair *kp)
{
	struct boot *b = boot_of(c);
	int rc;

	rc = boot_open(b, BOOT_PIN_KEY);
	if (rc)
		return cli_error("%s", hg_error_text());
	memcpy(kp->pin, b->kp.pin, sizeof kp->pin);
	kp->has_pin = 1;
	return 0;
}

