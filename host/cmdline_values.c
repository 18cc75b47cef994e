/* cmdline_values.c: the values a command line gives, checked, and PINs
 * read, for every haulgate program (the station's tool, cli/, and the
 * plant's server, potw/).
 *
 * Every value from the command line passes one of cli_text / cli_uid /
 * cli_date / cli_long before it goes anywhere; each names the option and
 * the rule it broke, git-style through cli_error().  cli_take() checks a
 * command's fields from a table.  PINs are read here (never echoed) and
 * hashed with core/pin.h.  Moved out of cli/cli_util.c so the plant's
 * roster commands check exactly what the station's do. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <sodium.h>
#include "cmdline_values.h"
#include "../core/pin.h"
#include "../core/report.h"
#include "../core/text.h"

/* Characters in s counted as UTF-8 lead bytes: right for valid text, a fair
 * figure for the rest. */
static long count_chars(const char *s)
{
	long n = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

int cli_text(const char *what, const char *val, int max, int required, char *dst, size_t cap)
{
	enum text_fault f = text_check(val, max, required);

	switch (f) {
	case TEXT_OK:
		break;
	case TEXT_BAD_UTF8:
		return cli_error("%s: not valid UTF-8 text", what);
	case TEXT_CONTROL:
		return cli_error("%s: control characters (tab, newline, escape ...) are not allowed",
				 what);
	case TEXT_TOO_LONG:
		return cli_error("%s: at most %d characters (got %ld)", what, max, count_chars(val));
	case TEXT_EMPTY:
		return cli_error("%s: must not be empty", what);
	case TEXT_FORMAT:
		return cli_error("%s: hidden formatting characters (right-to-left override, "
				 "zero-width space, U+FEFF ...) are not allowed", what);
	case TEXT_INVISIBLE:
		return cli_error("%s: has no character that can be seen", what);
	default:
		return cli_error("%s: not accepted", what);
	}
	if (text_copy(dst, cap, val) < 0)
		return cli_error("%s: at most %d characters (got %ld)", what, max, count_chars(val));
	return 0;
}

int cli_uid(const char *what, const char *val, char out[LIM_UID + 1])
{
	if (text_uid_norm(val, out) < 0)
		return cli_error("%s: '%.40s%s' is not a card UID: 4, 7 or 10 bytes in hex "
				 "(8, 14 or 20 digits, e.g. 04a1b2c3)",
				 what, val, strlen(val) > 40 ? "..." : "");
	return 0;
}

int cli_date(const char *what, const char *val, char out[LIM_DATE + 1])
{
	int y, m, d, rc;

	rc = text_parse_date(val, &y, &m, &d);
	if (rc < 0 || strlen(val) != LIM_DATE)
		return cli_error("%s: '%.40s' is not a date YYYY-MM-DD", what, val);
	memcpy(out, val, LIM_DATE + 1);
	return 0;
}

int cli_long(const char *what, const char *val, long min, long max, long *out)
{
	if (text_parse_long(val, min, max, out) < 0)
		return cli_error("%s: '%.40s' is not a whole number from %ld to %ld",
				 what, val, min, max);
	return 0;
}

int cli_id(const char *what, const char *val, long long *out)
{
	long v;
	int rc;

	rc = cli_long(what, val, 1, 2147483647L, &v);
	if (rc < 0)
		return rc;
	*out = v;
	return 0;
}

int cli_take(const struct cli_args *a, const struct cli_field *f, size_t n)
{
	char what[48];
	const char *v;
	size_t i;
	int rc;

	for (i = 0; i < n; i++) {
		if (!f[i].required)
			continue;
		rc = cli_need(a, f[i].opt, &v);
		if (rc < 0)
			return rc;
	}
	for (i = 0; i < n; i++) {
		v = cli_get(a, f[i].opt);
		if (!v)
			continue;
		snprintf(what, sizeof what, "--%s", f[i].opt);
		switch (f[i].kind) {
		case CF_TEXT:
			rc = cli_text(what, v, (int)f[i].max, 1, f[i].dst, f[i].cap);
			break;
		case CF_DATE:
			rc = cli_date(what, v, f[i].dst);
			break;
		case CF_UID:
			rc = cli_uid(what, v, f[i].dst);
			break;
		case CF_ID:
			rc = cli_id(what, v, f[i].dst);
			break;
		case CF_LONG:
			rc = cli_long(what, v, f[i].min, f[i].max, f[i].dst);
			break;
		default:
			rc = cli_error("%s: unknown kind of option", what);
			break;
		}
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* ---- PINs ---- */

/* One line of f into buf[cap] without its end of line.  Returns 0, 1 at end
 * of file with nothing read, or -1 when the line does not fit (the rest of it
 * is read and dropped). */
static int read_line(FILE *f, char *buf, size_t cap)
{
	size_t n;
	int ch;

	if (!fgets(buf, (int)cap, f))
		return 1;
	n = strlen(buf);
	if (n > 0 && buf[n - 1] == '\n') {
		buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '\r')
			buf[--n] = '\0';
		return 0;
	}
	if (feof(f))
		return 0;
	while ((ch = fgetc(f)) != EOF && ch != '\n')
		;
	return -1;
}

/* Ask for a line on the terminal tty with echo off. */
static int ask_tty(FILE *tty, const char *prompt, char *buf, size_t cap)
{
	struct termios old, quiet;
	int fd = fileno(tty), rc, have;

	have = tcgetattr(fd, &old) == 0;
	if (have) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		quiet.c_lflag |= ECHONL;
		tcsetattr(fd, TCSAFLUSH, &quiet);
	}
	fputs(prompt, tty);
	fflush(tty);
	rc = read_line(tty, buf, cap);
	if (have)
		tcsetattr(fd, TCSAFLUSH, &old);
	return rc;
}

/* Say why pin cannot be a PIN of this kind (pin_new_ok gave rc); -1.  Too
 * few digits for an operator is said in English and Spanish: the rule is
 * new, and the person setting it may read either. */
static int pin_refused(enum card_kind kind, int rc)
{
	char n[8];

	if (rc == HG_EREFUSED && kind == CARD_OPERATOR) {
		snprintf(n, sizeof n, "%d", PIN_MIN_OPERATOR);
		cli_error("%s", cli_tr("cli.pin.operator_short", LANG_EN, n));
		return cli_error("%s", cli_tr("cli.pin.operator_short", LANG_ES, n));
	}
	return cli_error("PIN: %d to %d digits, nothing else", pin_min_digits(kind), LIM_PIN);
}

int cli_pin_check(enum card_kind kind, const char *pin)
{
	int rc;

	if (strlen(pin) > LIM_PIN)
		return pin_refused(kind, HG_ETOOLONG);
	rc = pin_new_ok(kind, pin);
	return rc ? pin_refused(kind, rc) : 0;
}

int cli_read_pin(enum card_kind kind, char pin[LIM_PIN + 1])
{
	char a[64], b[64], prompt[48];
	FILE *tty;
	int rc;

	snprintf(prompt, sizeof prompt, "PIN (%d to %d digits): ", pin_min_digits(kind), LIM_PIN);
	if (isatty(STDIN_FILENO)) {
		tty = fopen("/dev/tty", "r+");
		if (!tty)
			return cli_error("cannot open '/dev/tty' to ask for the PIN");
		rc = ask_tty(tty, prompt, a, sizeof a);
		if (rc == 0)
			rc = ask_tty(tty, "PIN again: ", b, sizeof b);
		fclose(tty);
		if (rc == 0 && strcmp(a, b)) {
			sodium_memzero(a, sizeof a);
			sodium_memzero(b, sizeof b);
			return cli_error("the two PINs differ: nothing was changed");
		}
		sodium_memzero(b, sizeof b);
	} else {
		rc = read_line(stdin, a, sizeof a);
	}
	if (rc == 1)
		return cli_error("no PIN on stdin: give it as one line (%d to %d digits)",
				 pin_min_digits(kind), LIM_PIN);
	if (rc < 0) {
		sodium_memzero(a, sizeof a);
		return pin_refused(kind, HG_ETOOLONG);
	}
	rc = cli_pin_check(kind, a);
	if (rc) {
		sodium_memzero(a, sizeof a);
		return rc;
	}
	memcpy(pin, a, strlen(a) + 1);
	sodium_memzero(a, sizeof a);
	return 0;
}

int cli_pin_hash(const struct keypair *kp, const char *pin, char hash[PIN_HASH_MAX])
{
	int rc;

	if (!kp->has_pin)
		return cli_error("no PIN key: a PIN is never stored without it");
	rc = pin_hash(kp->pin, pin, hash);
	if (rc == HG_ENOMEM)
		return cli_error("not enough memory to hash the PIN (Argon2id, %lu MiB)",
				 (unsigned long)(PIN_MEMLIMIT >> 20));
	if (rc < 0)
		return cli_error("cannot hash the PIN (libsodium)");
	return 0;
}

const char *cli_tr(const char *key, enum lang lang, const char *v)
{
	static char buf[LANG_COUNT][512];
	const char *f = i18n_text(key, lang), *p = strstr(f, "%s");
	char *out = buf[lang == LANG_ES];

	if (!p)
		return f;
	snprintf(out, sizeof buf[0], "%.*s%s%s", (int)(p - f), f, v ? v : "", p + 2);
	return out;
}

int cli_mkdir_parent(const char *path)
{
	char dir[4096];
	char *p;
	size_t n = strlen(path);

	if (n >= sizeof dir)
		return cli_error("path '%s' is too long", path);
	memcpy(dir, path, n + 1);
	p = strrchr(dir, '/');
	if (!p || p == dir)
		return 0;
	*p = '\0';
	for (p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			return cli_error("cannot create folder '%s': %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return cli_error("cannot create folder '%s': %s", dir, strerror(errno));
	return 0;
}
