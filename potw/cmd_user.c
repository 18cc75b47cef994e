/* cmd_user.c: `haulgate-potw user add|list|log`, the staff accounts of the
 * plant's web pages (potw/store_users.h).
 *
 * user add takes the password as one line on stdin (never an option: it
 * would show in ps and the shell's history), checks it, hashes it
 * (crypto_pwhash_str) and adds the account with its staff log entry, the
 * actor "cli:<the Unix user>".  user log prints the staff log and checks
 * its chain (exit 1 at the first fault).  Start reading at potw_user_add(). */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "potw_cli.h"
#include "store_users.h"
#include "../core/report.h"
#include "../host/table_print.h"

/* One line of stdin into buf[cap], the newline dropped: 0; -1 when there is
 * none, or it is longer than cap - 1 bytes. */
static int read_secret(char *buf, size_t cap)
{
	size_t n;

	if (!fgets(buf, (int)cap, stdin))
		return -1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	else if (!feof(stdin))
		return -1;	/* longer than the buffer */
	if (n > 0 && buf[n - 1] == '\r')
		buf[--n] = '\0';
	return 0;
}

int potw_user_add(struct potw *p, const struct cli_args *a)
{
	char pw[POTW_PASSWORD_MAX + 2], actor[POTW_ACTOR_MAX + 1];
	const char *login, *role;
	struct potw_user u;
	int rc;

	rc = cli_need(a, "login", &login);
	if (rc)
		return rc;
	rc = cli_need(a, "role", &role);
	if (rc)
		return rc;
	if (!potw_login_ok(login))
		return cli_usage("--login: 1 to %d of a-z 0-9 . _ -, a letter first: '%s'",
				 POTW_LOGIN_MAX, login);
	memset(&u, 0, sizeof u);
	u.role = potw_role_parse(role);
	if (u.role == POTW_ROLE_NONE)
		return cli_usage("--role: auditor, coordinator or admin, not '%s'", role);
	memcpy(u.login, login, strlen(login) + 1);
	if (read_secret(pw, sizeof pw)) {
		sodium_memzero(pw, sizeof pw);
		return cli_error("no password on stdin: give it as one line (%d characters to %d "
				 "bytes)", POTW_PASSWORD_MIN, POTW_PASSWORD_MAX);
	}
	rc = potw_password_ok(pw);
	if (!rc)
		rc = potw_password_hash(pw, u.pwhash);
	sodium_memzero(pw, sizeof pw);
	if (rc)
		return cli_error("%s", hg_error_text());
	rc = potw_open_store(p);
	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_users_add(p->st, &u, actor, p->now);
	if (rc)
		return cli_error("%s", hg_error_text());
	printf("account %s added (%s)\n", u.login, potw_role_name(u.role));
	return 0;
}

static int add_user_row(const struct potw_user *u, void *ctx)
{
	const char *cells[4];
	char added[24];

	cells[0] = u->login;
	cells[1] = potw_role_name(u->role);
	cells[2] = potw_cli_utc(u->added, added);
	cells[3] = u->added_by;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_user_list(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "login", "role", "added", "added_by" };
	struct table *t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), NULL);

	(void)a;
	return t ? potw_table_done(p, t, potw_users_each(p->st, add_user_row, t)) : -1;
}

static int add_log_row(const struct potw_staff_entry *e, void *ctx)
{
	char seq[24], ts[24], hash[16];
	const char *cells[6];

	snprintf(seq, sizeof seq, "%lld", e->seq);
	sodium_bin2hex(hash, sizeof hash, e->hash, 7);
	cells[0] = seq;
	cells[1] = potw_cli_utc(e->ts, ts);
	cells[2] = e->actor;
	cells[3] = e->action;
	cells[4] = e->detail;
	cells[5] = hash;
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_user_log(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "seq", "time", "actor", "action", "detail", "hash" };
	static const int numeric[] = { 0, -1 };
	struct table *t = potw_table_new(p, cols, (int)HG_ARRAY_LEN(cols), numeric);
	long long n, bad;
	int rc;

	(void)a;
	if (!t)
		return -1;
	rc = potw_table_done(p, t, potw_staff_each(p->st, add_log_row, t));
	if (rc)
		return rc;
	rc = potw_staff_verify(p->st, &n, &bad);
	if (rc)
		return cli_error("%s", hg_error_text());
	fprintf(stderr, "staff log: %lld entries, chain checked\n", n);
	return 0;
}
