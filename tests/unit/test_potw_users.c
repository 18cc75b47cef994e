/* test_potw_users.c: the web pages' accounts, sessions, sign-in throttle
 * and staff log (potw/store_users.c) on a real sqlite store, time passed
 * in.
 *
 * Tables of logins and passwords taken or refused; an account added once
 * (a second time refused, nothing logged); a password checked (a wrong one
 * and an unknown login both 0); a session found by its token only, moved
 * on by use, dropped after POTW_SESSION_IDLE unused and at
 * POTW_SESSION_MAX however used, ended by sign-out; failures counted per
 * account and per address within the window only; the staff log's chain
 * walked, and an entry edited in the database found; an account's changes
 * (disable, enable, a new password, a role), a table of them in order with
 * the code each must give: the last admin kept, a disabled account's
 * sessions ended and its password refused.  Start reading at main(). */
#include "testutil.h"

#include <sqlite3.h>

#include "../../potw/store.h"
#include "../../potw/store_users.h"
#include "../../core/hg.h"
#include "../../core/report.h"

static char dir[256], path[320];
static const hg_time T0 = 1800000000;

static int setup(void **state)
{
	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "potw-users"), 0);
	snprintf(path, sizeof path, "%s/potw.db", dir);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	tu_rmtree(dir);
	return 0;
}

static struct potw_store *open_new(void)
{
	struct potw_store *st = NULL;

	unlink(path);
	assert_int_equal(potw_store_open(path, POTW_STORE_CREATE, &st), HG_OK);
	return st;
}

static void add(struct potw_store *st, const char *login, enum potw_role role, int want)
{
	struct potw_user u;

	memset(&u, 0, sizeof u);
	snprintf(u.login, sizeof u.login, "%s", login);
	u.role = role;
	assert_int_equal(potw_password_hash("correct horse battery", u.pwhash), HG_OK);
	assert_int_equal(potw_users_add(st, &u, "cli:test", T0), want);
}

struct text_case {
	const char *s;
	int ok;
};

static const struct text_case logins[] = {
	{ "ana", 1 },
	{ "a", 1 },				/* one letter */
	{ "ana.lopez_2-b", 1 },			/* . _ - digits */
	{ "abcdefghijklmnopqrstuvwxyz012345", 1 },	/* 32 */
	{ "abcdefghijklmnopqrstuvwxyz0123456", 0 },	/* 33 */
	{ "", 0 },
	{ "Ana", 0 },				/* lowercase only */
	{ "1ana", 0 },				/* a letter first */
	{ ".ana", 0 },
	{ "ana lopez", 0 },
	{ "ana<script>", 0 },
	{ "peña", 0 },				/* ASCII only */
};

static const struct text_case passwords[] = {
	{ "correct horse battery", 1 },
	{ "0123456789", 1 },			/* 10 characters */
	{ "012345678", 0 },			/* 9 */
	{ "ñññññññññ", 0 },			/* 9 characters, 18 bytes */
	{ "ññññññññññ", 1 },			/* 10 characters */
	{ "correct\thorse battery", 0 },	/* a control character */
	{ "correct horse\x80 battery", 0 },	/* not UTF-8 */
	{ "", 0 },
};

static void test_rules(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(logins); i++)
		if (potw_login_ok(logins[i].s) != logins[i].ok)
			fail_msg("login '%s': want %d", logins[i].s, logins[i].ok);
	for (i = 0; i < HG_ARRAY_LEN(passwords); i++)
		if ((potw_password_ok(passwords[i].s) == HG_OK) != passwords[i].ok)
			fail_msg("password row %zu: want %d", i, passwords[i].ok);
	assert_int_equal(potw_role_parse("admin"), POTW_ROLE_ADMIN);
	assert_int_equal(potw_role_parse("auditor"), POTW_ROLE_AUDITOR);
	assert_int_equal(potw_role_parse("coordinator"), POTW_ROLE_COORDINATOR);
	assert_int_equal(potw_role_parse("root"), POTW_ROLE_NONE);
	assert_int_equal(potw_role_parse(NULL), POTW_ROLE_NONE);
	assert_string_equal(potw_role_name(POTW_ROLE_ADMIN), "admin");
}

static void test_accounts(void **state)
{
	struct potw_store *st = open_new();
	struct potw_user u;
	long long n, bad;

	(void)state;
	add(st, "ana", POTW_ROLE_ADMIN, HG_OK);
	add(st, "ana", POTW_ROLE_AUDITOR, HG_EEXIST);	/* taken: nothing logged */
	assert_int_equal(potw_users_get(st, "ana", &u), HG_OK);
	assert_int_equal(u.role, POTW_ROLE_ADMIN);
	assert_string_equal(u.added_by, "cli:test");
	assert_int_equal(u.added, T0);
	assert_int_equal(potw_users_get(st, "bob", &u), HG_ENOTFOUND);
	assert_int_equal(potw_users_check(st, "ana", "correct horse battery"), 1);
	assert_int_equal(potw_users_check(st, "ana", "correct horse batterx"), 0);
	assert_int_equal(potw_users_check(st, "bob", "correct horse battery"), 0);
	assert_int_equal(potw_users_check(st, "Bad Login", "correct horse battery"), 0);
	assert_int_equal(potw_staff_verify(st, &n, &bad), HG_OK);
	assert_int_equal(n, 1);
	potw_store_close(st);
}

/* An admin's changes, in order: each row's code and the staff log's size
 * after it. */
static const struct change_case {
	enum potw_user_change what;
	const char *login;
	enum potw_role role;
	int want;
	long long log;		/* staff log entries after it */
} changes[] = {
	/* ana (admin), cora (coordinator), aud (auditor), cora signed in: 4 entries */
	{ POTW_USER_DISABLE, "ana", 0, HG_EREFUSED, 4 },	/* the last admin */
	{ POTW_USER_ROLE, "ana", POTW_ROLE_AUDITOR, HG_EREFUSED, 4 },	/* demoted: the same */
	{ POTW_USER_ROLE, "ana", POTW_ROLE_ADMIN, HG_EREFUSED, 4 },	/* admin already */
	{ POTW_USER_ENABLE, "cora", 0, HG_EREFUSED, 4 },	/* not disabled */
	{ POTW_USER_DISABLE, "bob", 0, HG_ENOTFOUND, 4 },	/* no such account */
	{ POTW_USER_DISABLE, "cora", 0, HG_OK, 5 },	/* her session ends */
	{ POTW_USER_DISABLE, "cora", 0, HG_EREFUSED, 5 },	/* disabled already */
	{ POTW_USER_ROLE, "cora", POTW_ROLE_ADMIN, HG_OK, 6 },	/* a disabled admin ... */
	{ POTW_USER_DISABLE, "ana", 0, HG_EREFUSED, 6 },	/* ... does not count */
	{ POTW_USER_ENABLE, "cora", 0, HG_OK, 7 },
	{ POTW_USER_DISABLE, "ana", 0, HG_OK, 8 },	/* another admin signs in: allowed */
	{ POTW_USER_ROLE, "cora", POTW_ROLE_AUDITOR, HG_EREFUSED, 8 },	/* now the last */
	{ POTW_USER_ENABLE, "ana", 0, HG_OK, 9 },
	{ POTW_USER_PASSWD, "aud", 0, HG_OK, 10 },
};

static void test_changes(void **state)
{
	char tok[POTW_TOKEN_LEN + 1], hash[POTW_PWHASH_MAX];
	struct potw_store *st = open_new();
	struct potw_session s;
	struct potw_user u;
	long long n, bad;
	size_t i;

	(void)state;
	add(st, "ana", POTW_ROLE_ADMIN, HG_OK);
	add(st, "cora", POTW_ROLE_COORDINATOR, HG_OK);
	add(st, "aud", POTW_ROLE_AUDITOR, HG_OK);
	assert_int_equal(potw_session_new(st, "cora", "127.0.0.1", T0, tok, &s), HG_OK);
	assert_int_equal(potw_password_hash("a new password 1", hash), HG_OK);
	for (i = 0; i < HG_ARRAY_LEN(changes); i++) {
		const struct change_case *c = &changes[i];
		int rc = potw_users_change(st, c->what, c->login, c->role, hash, "ana", T0 + 10);

		if (rc != c->want)
			fail_msg("row %zu: %d, want %d (%s)", i, rc, c->want, hg_error_text());
		assert_int_equal(potw_staff_verify(st, &n, &bad), HG_OK);
		if (n != c->log)
			fail_msg("row %zu: %lld entries, want %lld", i, n, c->log);
		if (i == 5) {	/* cora disabled: her session gone, her password refused */
			assert_int_equal(potw_session_get(st, tok, T0 + 11, &s), HG_ENOTFOUND);
			assert_int_equal(potw_users_check(st, "cora", "correct horse battery"), 0);
			assert_int_equal(potw_users_get(st, "cora", &u), HG_OK);
			assert_int_equal(u.disabled, T0 + 10);
		}
	}
	assert_int_equal(potw_users_check(st, "cora", "correct horse battery"), 1);
	assert_int_equal(potw_users_check(st, "aud", "correct horse battery"), 0);
	assert_int_equal(potw_users_check(st, "aud", "a new password 1"), 1);
	assert_int_equal(potw_users_get(st, "cora", &u), HG_OK);
	assert_int_equal(u.role, POTW_ROLE_ADMIN);
	assert_int_equal(u.disabled, 0);
	potw_store_close(st);
}

static void test_sessions(void **state)
{
	char tok[POTW_TOKEN_LEN + 1], tok2[POTW_TOKEN_LEN + 1], other[POTW_TOKEN_LEN + 1];
	struct potw_store *st = open_new();
	struct potw_session s, g;
	hg_time t;

	(void)state;
	add(st, "ana", POTW_ROLE_ADMIN, HG_OK);
	assert_int_equal(potw_session_new(st, "nobody", "127.0.0.1", T0, tok, &s), HG_ENOTFOUND);
	assert_int_equal(potw_session_new(st, "ana", "127.0.0.1", T0, tok, &s), HG_OK);
	assert_int_equal(strlen(tok), POTW_TOKEN_LEN);
	assert_int_equal(strlen(s.csrf), POTW_TOKEN_LEN);
	assert_string_not_equal(tok, s.csrf);
	assert_int_equal(s.expires, T0 + POTW_SESSION_IDLE);

	/* found by its token, the role with it */
	assert_int_equal(potw_session_get(st, tok, T0 + 10, &g), HG_OK);
	assert_string_equal(g.login, "ana");
	assert_int_equal(g.role, POTW_ROLE_ADMIN);
	assert_string_equal(g.csrf, s.csrf);
	/* renewed only when that moves it by a minute or more (no write each page) */
	assert_int_equal(g.expires, T0 + POTW_SESSION_IDLE);
	assert_int_equal(potw_session_get(st, tok, T0 + POTW_SESSION_RENEW - 1, &g), HG_OK);
	assert_int_equal(g.expires, T0 + POTW_SESSION_IDLE);
	assert_int_equal(potw_session_get(st, tok, T0 + POTW_SESSION_RENEW, &g), HG_OK);
	assert_int_equal(g.expires, T0 + POTW_SESSION_RENEW + POTW_SESSION_IDLE);
	assert_int_equal(potw_session_get(st, tok, T0 + POTW_SESSION_RENEW + 1, &g), HG_OK);
	assert_int_equal(g.expires, T0 + POTW_SESSION_RENEW + POTW_SESSION_IDLE);	/* as kept */
	/* another token, a cut one, the CSRF token: none opens it */
	snprintf(other, sizeof other, "%s", tok);
	other[0] = other[0] == 'A' ? 'B' : 'A';
	assert_int_equal(potw_session_get(st, other, T0 + 10, &g), HG_ENOTFOUND);
	assert_int_equal(potw_session_get(st, "short", T0 + 10, &g), HG_ENOTFOUND);
	assert_int_equal(potw_session_get(st, s.csrf, T0 + 10, &g), HG_ENOTFOUND);

	/* used every 20 minutes it lives on, until POTW_SESSION_MAX */
	for (t = T0 + 1200; t < T0 + POTW_SESSION_MAX; t += 1200)
		assert_int_equal(potw_session_get(st, tok, t, &g), HG_OK);
	assert_int_equal(potw_session_get(st, tok, T0 + POTW_SESSION_MAX, &g), HG_ENOTFOUND);
	assert_int_equal(potw_session_get(st, tok, T0 + 10, &g), HG_ENOTFOUND);	/* dropped */

	/* unused for POTW_SESSION_IDLE: gone */
	assert_int_equal(potw_session_new(st, "ana", "127.0.0.1", T0, tok2, &s), HG_OK);
	assert_string_not_equal(tok, tok2);
	assert_int_equal(potw_session_get(st, tok2, T0 + POTW_SESSION_IDLE - 1, &g), HG_OK);
	assert_int_equal(potw_session_get(st, tok2, T0 + 2 * POTW_SESSION_IDLE, &g),
			 HG_ENOTFOUND);

	/* sign-out ends it */
	assert_int_equal(potw_session_new(st, "ana", "127.0.0.1", T0, tok, &s), HG_OK);
	assert_int_equal(potw_session_end(st, tok, T0 + 5), HG_OK);
	assert_int_equal(potw_session_get(st, tok, T0 + 6, &g), HG_ENOTFOUND);
	assert_int_equal(potw_session_end(st, tok, T0 + 7), HG_ENOTFOUND);
	potw_store_close(st);
}

static void test_throttle(void **state)
{
	struct potw_store *st = open_new();
	long long by_login, by_addr;
	int i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(potw_signin_failed(st, "ana", "10.0.0.1", T0 + i), HG_OK);
	assert_int_equal(potw_signin_failed(st, "bob", "10.0.0.1", T0 + 3), HG_OK);
	assert_int_equal(potw_signin_failed(st, "ana", "10.0.0.2", T0 + 4), HG_OK);
	assert_int_equal(potw_signin_failures(st, "ana", "10.0.0.1", T0 + 5, &by_login, &by_addr),
			 HG_OK);
	assert_int_equal(by_login, 4);	/* from both addresses */
	assert_int_equal(by_addr, 4);	/* of both accounts */
	/* the window: the first three are out of it at T0 + 2 + WINDOW */
	assert_int_equal(potw_signin_failures(st, "ana", "10.0.0.1",
					      T0 + 2 + POTW_SIGNIN_WINDOW, &by_login, &by_addr),
			 HG_OK);
	assert_int_equal(by_login, 1);
	assert_int_equal(by_addr, 1);
	/* a sign-in clears its account's count, not the others' */
	assert_int_equal(potw_signin_clear(st, "ana"), HG_OK);
	assert_int_equal(potw_signin_failures(st, "ana", "10.0.0.1", T0 + 5, &by_login, &by_addr),
			 HG_OK);
	assert_int_equal(by_login, 0);
	assert_int_equal(by_addr, 1);
	potw_store_close(st);
}

static void sql(const char *q)
{
	sqlite3 *db;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static void test_staff_log(void **state)
{
	char tok[POTW_TOKEN_LEN + 1];
	struct potw_store *st = open_new();
	struct potw_session s;
	long long n, bad;

	(void)state;
	add(st, "ana", POTW_ROLE_ADMIN, HG_OK);
	assert_int_equal(potw_session_new(st, "ana", "127.0.0.1", T0 + 1, tok, &s), HG_OK);
	assert_int_equal(potw_staff_log(st, T0 + 2, "ana", "test", "a detail"), HG_OK);
	assert_int_equal(potw_session_end(st, tok, T0 + 3), HG_OK);
	assert_int_equal(potw_staff_verify(st, &n, &bad), HG_OK);
	assert_int_equal(n, 4);
	potw_store_close(st);

	/* each kind of tampering, on a copy: an edit, a removal, a relink */
	static const char *const edits[] = {
		"UPDATE staff_log SET detail = 'other' WHERE seq = 3",
		"UPDATE staff_log SET actor = 'bob' WHERE seq = 2",
		"UPDATE staff_log SET ts = ts + 1 WHERE seq = 4",
		"DELETE FROM staff_log WHERE seq = 2",
		"UPDATE staff_log SET prev_hash = zeroblob(32) WHERE seq = 2",
	};
	static const long long at[] = { 3, 2, 4, 2, 2 };
	char copy[700];
	size_t i;

	snprintf(copy, sizeof copy, "cp '%s' '%s.orig'", path, path);
	assert_int_equal(system(copy), 0);
	for (i = 0; i < HG_ARRAY_LEN(edits); i++) {
		snprintf(copy, sizeof copy, "cp '%s.orig' '%s'", path, path);
		assert_int_equal(system(copy), 0);
		sql(edits[i]);
		assert_int_equal(potw_store_open(path, 0, &st), HG_OK);
		if (potw_staff_verify(st, &n, &bad) != HG_ECORRUPT || bad != at[i])
			fail_msg("edit %zu: not found at %lld (bad %lld)", i, at[i], bad);
		potw_store_close(st);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_accounts),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_sessions),
		cmocka_unit_test(test_throttle),
		cmocka_unit_test(test_staff_log),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
