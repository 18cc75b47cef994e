/* cmd_user.c: `haulgate-potw user add|list|log|disable|enable|passwd|role`,
 * the staff accounts of the plant's web pages (potw/store_users.h), and
 * the admin's changes the pages run through the same code (cmd_user.h:
 * potw_user_change_run(), potw_station_add_run(), potw_station_retire_run()).
 *
 * user add takes the password as one line on stdin (never an option: it
 * would show in ps and the shell's history), checks it, hashes it
 * (crypto_pwhash_str) and adds the account with its staff log entry, the
 * actor "cli:<the Unix user>".  user log prints the staff log and checks
 * its chain (exit 1 at the first fault).  Start reading at potw_user_add(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "cmd_user.h"
#include "pki.h"
#include "../core/report.h"
#include "../core/text.h"
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
	const char *cells[5];
	char added[24], disabled[24];

	cells[0] = u->login;
	cells[1] = potw_role_name(u->role);
	cells[2] = potw_cli_utc(u->added, added);
	cells[3] = u->added_by;
	cells[4] = u->disabled ? potw_cli_utc(u->disabled, disabled) : "";
	return table_add(ctx, cells) ? hg_fail(HG_ENOMEM, "out of memory") : 0;
}

int potw_user_list(struct potw *p, const struct cli_args *a)
{
	static const char *const cols[] = { "login", "role", "added", "added_by", "disabled" };
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

/* ---- an account changed: one code for the command line and the pages ---- */

const struct cli_opt potw_user_opts_login[] = { { "login", 1 }, { NULL, 0 } };
const struct cli_opt potw_user_opts_role[] = { { "login", 1 }, { "role", 1 }, { NULL, 0 } };

/* A password nobody chose: four groups of five of 32 letters and digits
 * that are not read for one another (no 0 o 1 l i), 99 bits. */
static void password_new(char out[POTW_NEWPW_LEN + 1])
{
	static const char abc[] = "23456789abcdefghjkmnpqrstuvwxyz";	/* 31 + '-' groups */
	int n = 0;

	for (int g = 0; g < 4; g++) {
		if (g)
			out[n++] = '-';
		for (int i = 0; i < 5; i++)
			out[n++] = abc[randombytes_uniform((uint32_t)(sizeof abc - 1))];
	}
	out[n] = '\0';
}

int potw_user_change_run(struct potw_store *st, enum potw_user_change what,
			 const struct cli_args *a, const char *actor, hg_time now,
			 char newpw[POTW_NEWPW_LEN + 1])
{
	static const char *const done[] = {
		[POTW_USER_DISABLE] = "disabled: it signs in no more, its sessions ended",
		[POTW_USER_ENABLE] = "enabled: it signs in again",
		[POTW_USER_PASSWD] = "has a new password, its sessions ended",
		[POTW_USER_ROLE] = "is now",
	};
	enum potw_role role = POTW_ROLE_NONE;
	char hash[POTW_PWHASH_MAX] = "";
	const char *login, *r;
	int rc;

	rc = cli_need(a, "login", &login);
	if (rc)
		return rc;
	if (!potw_login_ok(login))
		return cli_usage("--login: 1 to %d of a-z 0-9 . _ -, a letter first: '%.40s'",
				 POTW_LOGIN_MAX, login);
	if (what == POTW_USER_ROLE) {
		rc = cli_need(a, "role", &r);
		if (rc)
			return rc;
		role = potw_role_parse(r);
		if (role == POTW_ROLE_NONE)
			return cli_usage("--role: auditor, coordinator or admin, not '%.40s'", r);
	}
	if (what == POTW_USER_PASSWD) {
		password_new(newpw);
		rc = potw_password_hash(newpw, hash);
		if (rc) {
			sodium_memzero(newpw, POTW_NEWPW_LEN + 1);
			return cli_error("%s", hg_error_text());
		}
	}
	rc = potw_users_change(st, what, login, role, hash, actor, now);
	sodium_memzero(hash, sizeof hash);
	if (rc) {
		if (what == POTW_USER_PASSWD)
			sodium_memzero(newpw, POTW_NEWPW_LEN + 1);
		return cli_error("%s", hg_error_text());
	}
	if (what == POTW_USER_ROLE)
		cli_say("account %s %s %s", login, done[what], potw_role_name(role));
	else
		cli_say("account %s %s", login, done[what]);
	return 0;
}

static int change(struct potw *p, enum potw_user_change what, const struct cli_args *a)
{
	char actor[POTW_ACTOR_MAX + 1], pw[POTW_NEWPW_LEN + 1];
	int rc = potw_open_store(p);

	if (rc)
		return rc;
	potw_cli_actor(actor);
	rc = potw_user_change_run(p->st, what, a, actor, p->now, pw);
	if (!rc && what == POTW_USER_PASSWD) {
		printf("new password: %s\n", pw);
		fprintf(stderr, "shown once: give it to its owner; it is kept only as a hash\n");
		sodium_memzero(pw, sizeof pw);
	}
	return rc;
}

int potw_user_disable(struct potw *p, const struct cli_args *a)
{
	return change(p, POTW_USER_DISABLE, a);
}

int potw_user_enable(struct potw *p, const struct cli_args *a)
{
	return change(p, POTW_USER_ENABLE, a);
}

int potw_user_passwd(struct potw *p, const struct cli_args *a)
{
	return change(p, POTW_USER_PASSWD, a);
}

int potw_user_role(struct potw *p, const struct cli_args *a)
{
	return change(p, POTW_USER_ROLE, a);
}

/* ---- a station registered or retired ---- */

int potw_cli_station_id(const char *id)
{
	if (!potw_station_id_ok(id))
		return cli_error("--id: '%.40s' is not a station id: 1 to %d letters, digits or '-' "
				 "(the station's [station] id)", id, POTW_STATION_ID_MAX);
	return 0;
}

int potw_station_add_run(struct potw_store *st, const char *id, const char *name,
			 const char *pem, const char *actor, hg_time now)
{
	struct potw_station *s;
	char fpr[POTW_FPR_CAP];
	int rc = potw_cli_station_id(id);

	if (rc)
		return rc;
	if (text_check(name, POTW_STATION_NAME_MAX, 1) != TEXT_OK)
		return cli_error("--name: 1 to %d characters of plain text (no control or hidden "
				 "formatting characters)", POTW_STATION_NAME_MAX);
	s = calloc(1, sizeof *s);	/* large: not on a worker's stack */
	if (!s)
		return cli_error("out of memory");
	rc = potw_pem_ed25519(pem, s->pk);
	if (rc)
		rc = cli_error("--key-pem: %s", hg_error_text());
	if (!rc) {
		memcpy(s->id, id, strlen(id) + 1);
		text_copy(s->name, sizeof s->name, name);
		s->added = now;
		if (potw_station_add_logged(st, s, actor, now))
			rc = cli_error("%s", hg_error_text());
	}
	if (!rc) {
		potw_key_fingerprint(s->pk, fpr);
		cli_say("station %s added: %s, key %s", s->id, s->name, fpr);
	}
	free(s);
	return rc;
}

int potw_station_retire_run(struct potw_store *st, const char *id, const char *actor,
			    hg_time now)
{
	int rc = potw_cli_station_id(id);

	if (rc)
		return rc;
	rc = potw_station_retire_logged(st, id, actor, now);
	if (rc)
		return cli_error("%s", hg_error_text());
	cli_say("station %s retired", id);
	return 0;
}
