/* store_users.h: the plant's staff accounts, their sessions, the sign-in
 * throttle and the staff log.
 *
 * The web pages (potw/web.c) and `haulgate-potw user ...` (potw/cmd_user.c)
 * read and write them here; potw/store_users.c holds the SQL (tables made
 * with the rest of the schema by store_sqlite.c).  A password is kept only
 * as a libsodium password hash (crypto_pwhash_str, Argon2id); a session
 * only as the SHA-256 of its token, so a copy of the database opens no
 * session.  Every change (an account added, a sign-in, a sign-out) is an
 * entry of the staff log, in the same transaction as the change: entry n's
 * hash is SHA-256(hash of n-1 || n || time || actor || action || detail),
 * so an entry removed or edited afterwards breaks the chain that
 * potw_staff_verify() walks.  Errors: 0 or a negative HG_E* code, the
 * words in hg_error_text(). */
#ifndef POTW_STORE_USERS_H
#define POTW_STORE_USERS_H

#include <stdint.h>

#include "store.h"

#define POTW_LOGIN_MAX 32		/* bytes of a login */
#define POTW_PWHASH_MAX 128		/* crypto_pwhash_STRBYTES */
#define POTW_PASSWORD_MIN 10		/* characters of a password, at least */
#define POTW_PASSWORD_MAX 128		/* bytes of a password */
#define POTW_TOKEN_LEN 43		/* a session or CSRF token: 32 bytes, base64url */
#define POTW_SESSION_IDLE (30 * 60)	/* seconds a session lives unused */
#define POTW_SESSION_MAX (12 * 3600)	/* seconds a session lives at most */
#define POTW_SESSION_RENEW 60	/* seconds the expiry moves by at least: a page
				 * renews it (a write) once a minute, not each time */
#define POTW_SIGNIN_WINDOW (15 * 60)	/* seconds failures are counted over */
#define POTW_SIGNIN_PER_LOGIN 5		/* failures of one account in the window */
#define POTW_SIGNIN_PER_ADDR 20		/* failures from one address in the window */
#define POTW_ADDR_MAX 64		/* bytes of a client address (numeric) */
#define POTW_STAFF_TEXT_MAX 400
/* An account's disabled column (schema version 11): run after the CREATE
 * TABLE of a new database, and by the migration of an older one, so both
 * hold the same text. */
#define POTW_USERS_DISABLED_VERSION 11
#define POTW_USERS_DISABLED_SQL "ALTER TABLE users ADD COLUMN disabled INTEGER;\n"		/* bytes of a staff log entry's detail */

enum potw_role {
	POTW_ROLE_NONE = 0,
	POTW_ROLE_AUDITOR,	/* reads everything but confidential fields */
	POTW_ROLE_COORDINATOR,	/* edits roster, policy, lab results, fees, ... */
	POTW_ROLE_ADMIN		/* accounts, stations */
};

struct potw_user {
	char login[POTW_LOGIN_MAX + 1];
	enum potw_role role;
	char pwhash[POTW_PWHASH_MAX];
	hg_time added;
	char added_by[POTW_ACTOR_MAX + 1];
	hg_time disabled;	/* when it was disabled, 0 while it may sign in */
};

struct potw_session {
	char login[POTW_LOGIN_MAX + 1];
	enum potw_role role;
	char csrf[POTW_TOKEN_LEN + 1];	/* the token every form of the session carries */
	hg_time created, expires;
};

struct potw_staff_entry {
	long long seq;
	hg_time ts;
	const char *actor, *action, *detail;
	uint8_t prev_hash[32], hash[32];
};

/* "auditor", "coordinator", "admin" ("" for none). */
const char *potw_role_name(enum potw_role r);
/* The role named s, or POTW_ROLE_NONE. */
enum potw_role potw_role_parse(const char *s);
/* Is s a login: 1 to POTW_LOGIN_MAX of a-z 0-9 . _ -, a letter first?  1/0 */
int potw_login_ok(const char *s);
/* Is pw a password we take (POTW_PASSWORD_MIN characters to
 * POTW_PASSWORD_MAX bytes, UTF-8, no control characters)?  HG_OK or
 * HG_EINVAL with the reason in hg_error_text(). */
int potw_password_ok(const char *pw);
/* pw hashed (crypto_pwhash_str, interactive limits) into out.  HG_OK or
 * HG_ENOMEM. */
int potw_password_hash(const char *pw, char out[POTW_PWHASH_MAX]);

/* Add account u (login, role, pwhash; added and added_by are now and
 * actor) and its staff log entry "user.add", in one transaction.
 * HG_EEXIST when the login is taken. */
int potw_users_add(struct potw_store *st, const struct potw_user *u, const char *actor,
		   hg_time now);
/* What an admin changes of an account (potw_users_change()). */
enum potw_user_change {
	POTW_USER_DISABLE,	/* it signs in no more; its sessions end at once */
	POTW_USER_ENABLE,	/* it signs in again */
	POTW_USER_PASSWD,	/* a new password hash; its sessions end at once */
	POTW_USER_ROLE		/* another role, in force at its next request */
};
/* Change account login (what: POTW_USER_*; role for POTW_USER_ROLE, the
 * new pwhash for POTW_USER_PASSWD) with its staff log entry ("user.disable",
 * "user.enable", "user.passwd", "user.role"; actor), in one transaction.
 * HG_ENOTFOUND no such account; HG_EREFUSED with words: disabled or
 * enabled already, that role already, or the last admin who can sign in
 * disabled or given another role. */
int potw_users_change(struct potw_store *st, enum potw_user_change what, const char *login,
		      enum potw_role role, const char *pwhash, const char *actor, hg_time now);
/* potw_store_station_add() and potw_store_station_retire() (when: now)
 * with their staff log entry ("station.add", "station.retire"; actor) in
 * the same transaction: what an admin does from the CLI or the pages. */
int potw_station_add_logged(struct potw_store *st, const struct potw_station *s,
			    const char *actor, hg_time now);
int potw_station_retire_logged(struct potw_store *st, const char *id, const char *actor,
			       hg_time now);
/* The account login into *out.  HG_ENOTFOUND. */
int potw_users_get(struct potw_store *st, const char *login, struct potw_user *out);
/* fn for every account, by login, until it returns non-zero (returned). */
int potw_users_each(struct potw_store *st, int (*fn)(const struct potw_user *u, void *ctx),
		    void *ctx);
/* Does the password pw open account login?  1 yes; 0 no (also when there
 * is no such account: a hash is checked all the same, so both take as
 * long); or an error. */
int potw_users_check(struct potw_store *st, const char *login, const char *pw);

/* A new session for login (at addr) from now: a fresh random token into
 * token[] (the cookie's value; only its hash is kept) and its CSRF token
 * into s->csrf, the staff log entry "signin", the account's expired
 * sessions dropped, in one transaction.  HG_ENOTFOUND (no account). */
int potw_session_new(struct potw_store *st, const char *login, const char *addr, hg_time now,
		     char token[POTW_TOKEN_LEN + 1], struct potw_session *s);
/* The session of token, alive at now: its expiry moved to now +
 * POTW_SESSION_IDLE (never past created + POTW_SESSION_MAX) when that
 * moves it by POTW_SESSION_RENEW or more, else left (so it may end up to
 * a minute before POTW_SESSION_IDLE unused, never after).  HG_ENOTFOUND
 * when there is none, or it has expired (then it is dropped). */
int potw_session_get(struct potw_store *st, const char *token, hg_time now,
		     struct potw_session *s);
/* End the session of token (the staff log's "signout").  HG_ENOTFOUND. */
int potw_session_end(struct potw_store *st, const char *token, hg_time now);

/* Failed sign-ins in (now - POTW_SIGNIN_WINDOW, now]: of login, from addr. */
int potw_signin_failures(struct potw_store *st, const char *login, const char *addr,
			 hg_time now, long long *by_login, long long *by_addr);
/* A failed sign-in of login from addr at now (older ones forgotten). */
int potw_signin_failed(struct potw_store *st, const char *login, const char *addr, hg_time now);
/* login signed in: its failures forgotten. */
int potw_signin_clear(struct potw_store *st, const char *login);

/* Append an entry to the staff log in its own transaction. */
int potw_staff_log(struct potw_store *st, hg_time now, const char *actor, const char *action,
		   const char *detail);
/* Append an entry to the staff log inside the transaction the caller holds
 * on st (a potw_log_writer's callback: the roster's edits, potw/roster.c),
 * so the change and its entry are kept or dropped together. */
int potw_staff_log_in(struct potw_store *st, hg_time now, const char *actor, const char *action,
		      const char *detail);
/* fn for every entry of the staff log, first first, until it returns
 * non-zero (returned). */
int potw_staff_each(struct potw_store *st,
		    int (*fn)(const struct potw_staff_entry *e, void *ctx), void *ctx);
/* Walk the staff log: every hash recomputed, every link checked.  HG_OK
 * with *n the entries; HG_ECORRUPT with *bad the first entry at fault
 * (hg_error_text() says what). */
int potw_staff_verify(struct potw_store *st, long long *n, long long *bad);

#endif
