/* test_text.c: unit tests of core/text.c, table-driven.
 *
 * One table per function; each row says in a comment what it is about.  Bad
 * input gets the most rows: every kind of broken UTF-8, control characters,
 * 5,000-character strings, dates that do not exist, numbers that overflow.
 * Times are checked in UTC and in America/Denver (set through TZ). */
#include "testutil.h"

#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "../../core/text.h"

/* ---- text_check ---- */

struct check_row {
	const char *s;
	int max, required;
	enum text_fault want;
};

static const struct check_row check_rows[] = {
	{ "", 10, 0, TEXT_OK },				/* empty, optional */
	{ "", 10, 1, TEXT_EMPTY },			/* empty, required */
	{ "   ", 10, 1, TEXT_EMPTY },			/* only spaces, required */
	{ "   ", 10, 0, TEXT_OK },			/* only spaces, optional */
	{ "abc", 3, 1, TEXT_OK },			/* exactly at the limit */
	{ "abcd", 3, 1, TEXT_TOO_LONG },		/* one over the limit */
	{ "\xc3\xa9t\xc3\xa9", 3, 1, TEXT_OK },		/* "été": 3 characters, 5 bytes */
	{ "\xe6\x97\xa5\xe6\x9c\xac", 2, 1, TEXT_OK },	/* two CJK characters */
	{ "\xf0\x9f\x98\x80", 1, 1, TEXT_OK },		/* a 4-byte emoji is one character */
	{ "a\xf4\x8f\xbf\xbf", 2, 1, TEXT_OK },		/* U+10FFFF, the last code point, after a letter */
	{ "\xf4\x8f\xbf\xbf", 1, 1, TEXT_INVISIBLE },	/* U+10FFFF alone: a noncharacter shows nothing */
	{ "a\xc2\xa0" "b", 3, 1, TEXT_OK },		/* no-break space is not a control */
	{ "\xc0\xaf", 10, 0, TEXT_BAD_UTF8 },		/* overlong '/' (2 bytes) */
	{ "\xc1\xbf", 10, 0, TEXT_BAD_UTF8 },		/* overlong, lead 0xc1 */
	{ "\xe0\x80\xaf", 10, 0, TEXT_BAD_UTF8 },	/* overlong '/' (3 bytes) */
	{ "\xe0\x9f\xbf", 10, 0, TEXT_BAD_UTF8 },	/* overlong U+07FF in 3 bytes */
	{ "\xf0\x80\x80\xaf", 10, 0, TEXT_BAD_UTF8 },	/* overlong '/' (4 bytes) */
	{ "\xf0\x8f\xbf\xbf", 10, 0, TEXT_BAD_UTF8 },	/* overlong U+FFFF in 4 bytes */
	{ "\xc0\x80", 10, 0, TEXT_BAD_UTF8 },		/* "modified UTF-8" NUL */
	{ "\xed\xa0\x80", 10, 0, TEXT_BAD_UTF8 },	/* surrogate U+D800 */
	{ "\xed\xbf\xbf", 10, 0, TEXT_BAD_UTF8 },	/* surrogate U+DFFF */
	{ "\xed\xa0\xbd\xed\xb8\x80", 10, 0, TEXT_BAD_UTF8 },	/* CESU-8 surrogate pair */
	{ "\xf4\x90\x80\x80", 10, 0, TEXT_BAD_UTF8 },	/* U+110000, past the end */
	{ "\xf5\x80\x80\x80", 10, 0, TEXT_BAD_UTF8 },	/* lead byte 0xf5 */
	{ "\xf8\x88\x80\x80\x80", 10, 0, TEXT_BAD_UTF8 },	/* old 5-byte form */
	{ "\xfe", 10, 0, TEXT_BAD_UTF8 },		/* 0xfe never appears */
	{ "\xff", 10, 0, TEXT_BAD_UTF8 },		/* 0xff never appears */
	{ "\x80", 10, 0, TEXT_BAD_UTF8 },		/* stray continuation byte */
	{ "a\xbf" "b", 10, 0, TEXT_BAD_UTF8 },		/* continuation byte inside ASCII */
	{ "\xc3", 10, 0, TEXT_BAD_UTF8 },		/* truncated 2-byte sequence */
	{ "\xe2\x82", 10, 0, TEXT_BAD_UTF8 },		/* truncated 3-byte sequence */
	{ "a\xf0\x9f\x98", 10, 0, TEXT_BAD_UTF8 },	/* truncated 4-byte sequence at the end */
	{ "\xe2\x82" "a", 10, 0, TEXT_BAD_UTF8 },	/* truncated, followed by ASCII */
	{ "a\tb", 10, 0, TEXT_CONTROL },		/* tab is a control character here */
	{ "a\nb", 10, 0, TEXT_CONTROL },		/* newline too */
	{ "a\r", 10, 0, TEXT_CONTROL },			/* carriage return */
	{ "\x01", 10, 0, TEXT_CONTROL },		/* SOH */
	{ "\x1b[31m", 10, 0, TEXT_CONTROL },		/* ANSI escape */
	{ "\x7f", 10, 0, TEXT_CONTROL },		/* DEL */
	{ "\xc2\x80", 10, 0, TEXT_CONTROL },		/* C1: U+0080 */
	{ "\xc2\x9b" "2J", 10, 0, TEXT_CONTROL },	/* C1 CSI: U+009B */
	{ "\xc2\x9f", 10, 0, TEXT_CONTROL },		/* C1: U+009F, the last */
	{ "\x01" "abcdef", 3, 0, TEXT_CONTROL },	/* first fault wins: control before length */
	{ "abcd\x01", 3, 0, TEXT_TOO_LONG },		/* first fault wins: length before control */
	{ NULL, 10, 0, TEXT_OK },			/* NULL is empty */
	{ NULL, 10, 1, TEXT_EMPTY },			/* NULL is empty, required */
	/* text that shows what it is (issue 9, point 10) */
	{ "Dana Ruiz", 80, 1, TEXT_OK },		/* a plain name */
	{ "Jos\xc3\xa9 Pe\xc3\xb1" "a", 80, 1, TEXT_OK },	/* an accented name: José Peña */
	{ "Jose\xcc\x81", 80, 1, TEXT_OK },		/* decomposed é: e + U+0301 combining acute */
	{ "Ana \xf0\x9f\x9a\x9a", 80, 1, TEXT_OK },	/* a name with an emoji (U+1F69A truck) */
	{ "\xe2\x9d\xa4\xef\xb8\x8f", 80, 1, TEXT_OK },	/* emoji + variation selector U+FE0F */
	{ "\xe6\x97\xa5\xe6\x9c\xac", 80, 1, TEXT_OK },	/* CJK letters */
	{ "Acme\xe2\x80\xae" "ecivreS", 80, 1, TEXT_FORMAT },	/* U+202E right-to-left override */
	{ "\xe2\x80\xae", 80, 0, TEXT_FORMAT },		/* U+202E alone, optional field */
	{ "\xe2\x80\x8b\xe2\x80\x8b", 80, 1, TEXT_FORMAT },	/* U+200B zero-width spaces only */
	{ "Dana\xe2\x80\x8b", 80, 1, TEXT_FORMAT },	/* a zero-width space after a name */
	{ "\xef\xbb\xbf" "a", 80, 1, TEXT_FORMAT },	/* U+FEFF byte order mark / ZWNBSP */
	{ "\xe2\x81\xa6" "abc", 80, 1, TEXT_FORMAT },	/* U+2066 left-to-right isolate */
	{ "a\xe2\x80\x8d" "b", 80, 1, TEXT_FORMAT },	/* U+200D zero-width joiner */
	{ "a\xc2\xad" "b", 80, 1, TEXT_FORMAT },		/* U+00AD soft hyphen */
	{ "\xf3\xa0\x80\x81", 80, 1, TEXT_FORMAT },	/* U+E0001 language tag */
	{ "abcd\xe2\x80\xae", 3, 1, TEXT_TOO_LONG },	/* first fault wins: length before format */
	{ "\xe2\x80\xae" "abcd", 3, 1, TEXT_FORMAT },	/* first fault wins: format before length */
	{ "a\xe2\x80\xa8" "b", 80, 1, TEXT_CONTROL },	/* U+2028 line separator is a line break */
	{ "a\xe2\x80\xa9" "b", 80, 1, TEXT_CONTROL },	/* U+2029 paragraph separator too */
	{ "\xe3\x85\xa4", 80, 1, TEXT_INVISIBLE },	/* U+3164 Hangul filler: a letter that draws nothing */
	{ "\xe3\x85\xa4\xe3\x85\xa4", 80, 0, TEXT_INVISIBLE },	/* fillers, optional field */
	{ "\xc2\xa0", 80, 1, TEXT_INVISIBLE },		/* a no-break space alone */
	{ " \xe3\x80\x80 ", 80, 1, TEXT_INVISIBLE },	/* U+3000 ideographic space among spaces */
	{ "\xcc\x83", 80, 1, TEXT_INVISIBLE },		/* a combining tilde on nothing */
	{ "\xee\x80\x80", 80, 1, TEXT_INVISIBLE },	/* U+E000 private use: no standard glyph */
	{ "\xcd\xb8", 80, 1, TEXT_INVISIBLE },		/* U+0378: not assigned */
	{ " x ", 80, 1, TEXT_OK },			/* one visible character is enough */
};

static void test_check(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(check_rows); i++) {
		const struct check_row *r = &check_rows[i];
		enum text_fault got = text_check(r->s, r->max, r->required);

		if (got != r->want)
			fail_msg("row %zu: text_check gave %d, want %d", i, got, r->want);
	}
}

/* 5,000 characters: ASCII and 2-byte, against limits above and below. */
static void test_check_long(void **state)
{
	char *ascii = malloc(5001), *two = malloc(10001);

	(void)state;
	assert_non_null(ascii);
	assert_non_null(two);
	memset(ascii, 'x', 5000);
	ascii[5000] = '\0';
	for (int i = 0; i < 5000; i++) {
		two[2 * i] = (char)0xc3;
		two[2 * i + 1] = (char)0xa9;
	}
	two[10000] = '\0';
	assert_int_equal(text_check(ascii, LIM_TEXT, 1), TEXT_TOO_LONG);
	assert_int_equal(text_check(ascii, 5000, 1), TEXT_OK);
	assert_int_equal(text_check(ascii, 4999, 1), TEXT_TOO_LONG);
	assert_int_equal(text_check(two, 5000, 1), TEXT_OK);	/* counted in characters */
	assert_int_equal(text_check(two, 4999, 1), TEXT_TOO_LONG);
	assert_int_equal(text_chars(ascii), 5000);
	assert_int_equal(text_chars(two), 5000);
	two[9999] = '\0';			/* cut the last character in half */
	assert_int_equal(text_check(two, 5000, 1), TEXT_BAD_UTF8);
	free(ascii);
	free(two);
}

/* ---- text_fold ---- */

static void test_fold(void **state)
{
	static const struct {
		const char *s, *want;
		int rc;
	} rows[] = {
		{ "Springfield", "springfield", HG_OK },		/* ASCII case */
		{ "PE\xc3\x91" "ASCO", "pe\xc3\xb1" "asco", HG_OK },	/* PEÑASCO: folds to peñasco */
		{ "Pe\xc3\xb1" "asco", "pe\xc3\xb1" "asco", HG_OK },	/* Peñasco, precomposed */
		{ "Pen\xcc\x83" "asco", "pe\xc3\xb1" "asco", HG_OK },	/* n + U+0303: composed (NFC) */
		{ "PEN\xcc\x83" "ASCO", "pe\xc3\xb1" "asco", HG_OK },	/* N + U+0303, upper case */
		{ "Stra\xc3\x9f" "e", "strasse", HG_OK },		/* ß folds to ss */
		{ "  Kansas   City ", "kansas city", HG_OK },	/* spaces trimmed and made one */
		{ "64124-1234", "64124-1234", HG_OK },		/* a ZIP+4 as it is (policy cuts it) */
		{ "", "", HG_OK },				/* empty */
		{ "a\xe2\x80\xae" "b", "", HG_EINVAL },		/* a format character: not text to fold */
		{ "\xff", "", HG_EINVAL },			/* not UTF-8 */
		{ NULL, "", HG_EINVAL },			/* NULL */
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int rc = text_fold(rows[i].s, out, sizeof out);

		if (rc != rows[i].rc || strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu: text_fold gave %d \"%s\", want %d \"%s\"", i, rc, out,
				 rows[i].rc, rows[i].want);
	}
	/* too long for out: refused, out empty, never cut */
	assert_int_equal(text_fold("Springfield", out, 8), HG_ETOOLONG);
	assert_string_equal(out, "");
}

static void test_nfc(void **state)
{
	static const struct {
		const char *s, *want;
		int rc;
	} rows[] = {
		{ "PEN\xcc\x83" "ASCO", "PE\xc3\x91" "ASCO", HG_OK },	/* N + U+0303 composed, case kept */
		{ "Pe\xc3\xb1" "asco", "Pe\xc3\xb1" "asco", HG_OK },	/* already NFC: unchanged */
		{ "  two  spaces ", "  two  spaces ", HG_OK },	/* spaces are not its business */
		{ "Stra\xc3\x9f" "e", "Stra\xc3\x9f" "e", HG_OK },	/* no case folding */
		{ "\xe2\x80\xae" "x", "", HG_EINVAL },		/* refused text */
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int rc = text_nfc(rows[i].s, out, sizeof out);

		if (rc != rows[i].rc || strcmp(out, rows[i].want) != 0)
			fail_msg("row %zu: text_nfc gave %d \"%s\"", i, rc, out);
	}
	assert_int_equal(text_nfc("Springfield", out, 8), HG_ETOOLONG);
	assert_string_equal(out, "");
}

/* ---- text_chars ---- */

static void test_chars(void **state)
{
	static const struct {
		const char *s;
		int want;
	} rows[] = {
		{ "", 0 },				/* empty */
		{ "hello", 5 },				/* ASCII */
		{ "h\xc3\xa9llo", 5 },			/* one 2-byte character */
		{ "\xf0\x9f\x98\x80!", 2 },		/* emoji and '!' */
		{ "\xff\xfe", 2 },			/* broken bytes count one each */
		{ NULL, 0 },				/* NULL */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		if (text_chars(rows[i].s) != rows[i].want)
			fail_msg("row %zu: %d chars, want %d", i, text_chars(rows[i].s), rows[i].want);
}

/* ---- copies ---- */

static void test_copy(void **state)
{
	char buf[6];
	char big[5001];

	(void)state;
	/* fits exactly: 5 bytes and the NUL */
	assert_int_equal(text_copy(buf, sizeof buf, "abcde"), HG_OK);
	assert_string_equal(buf, "abcde");
	/* one byte too many: refused, and dst holds nothing */
	assert_int_equal(text_copy(buf, sizeof buf, "abcdef"), HG_ETOOLONG);
	assert_string_equal(buf, "");
	/* NULL source copies as empty */
	assert_int_equal(text_copy(buf, sizeof buf, NULL), HG_OK);
	assert_string_equal(buf, "");
	/* no room at all */
	assert_int_equal(text_copy(buf, 0, "a"), HG_ETOOLONG);
	/* a 5,000-character string into a small buffer */
	memset(big, 'y', 5000);
	big[5000] = '\0';
	assert_int_equal(text_copy(buf, sizeof buf, big), HG_ETOOLONG);
	assert_string_equal(buf, "");
}

static void test_append(void **state)
{
	char buf[8];

	(void)state;
	assert_int_equal(text_copy(buf, sizeof buf, "abc"), HG_OK);
	/* fits: "abc" + "defg" = 7 bytes and the NUL */
	assert_int_equal(text_append(buf, sizeof buf, "defg"), HG_OK);
	assert_string_equal(buf, "abcdefg");
	/* full: refused, unchanged */
	assert_int_equal(text_append(buf, sizeof buf, "h"), HG_ETOOLONG);
	assert_string_equal(buf, "abcdefg");
	/* empty and NULL append nothing */
	assert_int_equal(text_append(buf, sizeof buf, ""), HG_OK);
	assert_int_equal(text_append(buf, sizeof buf, NULL), HG_OK);
	assert_string_equal(buf, "abcdefg");
	/* a dst without its NUL inside cap is refused, untouched */
	memset(buf, 'z', sizeof buf);
	assert_int_equal(text_append(buf, sizeof buf, "a"), HG_ETOOLONG);
	assert_int_equal(buf[0], 'z');
}

/* ---- backspace, trim ---- */

static void test_backspace(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "abc", "ab" },				/* ASCII */
		{ "h\xc3\xa9", "h" },				/* 2-byte character */
		{ "\xe6\x97\xa5", "" },				/* 3-byte character */
		{ "\xf0\x9f\x98\x80x", "\xf0\x9f\x98\x80" },	/* ASCII after an emoji */
		{ "a\xf0\x9f\x98\x80", "a" },			/* 4-byte character */
		{ "", "" },					/* nothing to remove */
		{ "a\xe2\x82", "a\xe2" },			/* broken tail: one byte */
		{ "\x80\x80\x80\x80", "\x80\x80\x80" },		/* only continuation bytes */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char buf[16];

		assert_int_equal(text_copy(buf, sizeof buf, rows[i].in), HG_OK);
		text_backspace(buf);
		if (strcmp(buf, rows[i].want) != 0)
			fail_msg("row %zu: backspace gave \"%s\"", i, buf);
	}
	text_backspace(NULL);	/* harmless */
}

static void test_trim(void **state)
{
	static const struct {
		const char *in, *want;
	} rows[] = {
		{ "  a b  ", "a b" },		/* spaces both ends, inner kept */
		{ "\t x\r\n", "x" },		/* tab, CR, LF */
		{ "   ", "" },			/* all spaces */
		{ "", "" },			/* empty */
		{ "x", "x" },			/* nothing to do */
		{ "\xc2\xa0x", "\xc2\xa0x" },	/* no-break space is not ASCII space */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char buf[16];

		assert_int_equal(text_copy(buf, sizeof buf, rows[i].in), HG_OK);
		text_trim(buf);
		if (strcmp(buf, rows[i].want) != 0)
			fail_msg("row %zu: trim gave \"%s\"", i, buf);
	}
}

/* ---- dates and times ---- */

struct date_row {
	const char *s;
	int ok, y, m, d;
};

static const struct date_row date_rows[] = {
	{ "2026-03-02", 1, 2026, 3, 2 },	/* an ordinary date */
	{ "2024-02-29", 1, 2024, 2, 29 },	/* leap day */
	{ "2000-02-29", 1, 2000, 2, 29 },	/* leap day, divisible by 400 */
	{ "2026-12-31", 1, 2026, 12, 31 },	/* last day of the year */
	{ "2026-02-30", 0, 0, 0, 0 },		/* February 30th does not exist */
	{ "2023-02-29", 0, 0, 0, 0 },		/* not a leap year */
	{ "2100-02-29", 0, 0, 0, 0 },		/* divisible by 100, not by 400 */
	{ "2026-04-31", 0, 0, 0, 0 },		/* April has 30 days */
	{ "2026-13-01", 0, 0, 0, 0 },		/* month 13 */
	{ "2026-00-10", 0, 0, 0, 0 },		/* month 0 */
	{ "2026-01-00", 0, 0, 0, 0 },		/* day 0 */
	{ "2026-01-32", 0, 0, 0, 0 },		/* day 32 */
	{ "2026-4-01", 0, 0, 0, 0 },		/* one-digit month */
	{ "2026-04-01x", 0, 0, 0, 0 },		/* trailing junk */
	{ " 2026-04-01", 0, 0, 0, 0 },		/* leading space */
	{ "2026/04/01", 0, 0, 0, 0 },		/* wrong separator */
	{ "abcd-ef-gh", 0, 0, 0, 0 },		/* letters */
	{ "1899-12-31", 0, 0, 0, 0 },		/* before 1900 */
	{ "", 0, 0, 0, 0 },			/* empty */
	{ NULL, 0, 0, 0, 0 },			/* NULL */
};

static void test_parse_date(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(date_rows); i++) {
		const struct date_row *r = &date_rows[i];
		int y = -1, m = -1, d = -1;
		int rc = text_parse_date(r->s, &y, &m, &d);

		if (r->ok && (rc != HG_OK || y != r->y || m != r->m || d != r->d))
			fail_msg("row %zu: %s refused or misread", i, r->s);
		if (!r->ok && rc != HG_EINVAL)
			fail_msg("row %zu: %s accepted", i, r->s ? r->s : "(null)");
	}
}

struct time_row {
	const char *s;
	int ok;
	hg_time want;
};

/* 2026-03-01T12:00:00Z = 1772366400; 2026-07-01T12:00:00Z = 1782907200.
 * Local rows are read in America/Denver (MST -7, MDT -6). */
static const struct time_row time_rows[] = {
	{ "2026-03-01T12:00:00Z", 1, 1772366400 },	/* UTC with seconds */
	{ "2026-03-01T12:00Z", 1, 1772366400 },		/* UTC without seconds */
	{ "2026-03-01T14:00:00+02:00", 1, 1772366400 },	/* positive offset */
	{ "2026-03-01T06:30-05:30", 1, 1772366400 },	/* negative offset with minutes */
	{ "2026-03-01T05:00", 1, 1772366400 },		/* local, winter (MST) */
	{ "2026-03-01 05:00:00", 1, 1772366400 },	/* local, space instead of T */
	{ "2026-07-01T06:00", 1, 1782907200 },		/* local, summer (MDT) */
	{ "2026-02-30T10:00", 0, 0 },			/* no such date */
	{ "2026-03-01T24:00", 0, 0 },			/* hour 24 */
	{ "2026-03-01T12:60", 0, 0 },			/* minute 60 */
	{ "2026-03-01T12:00:60", 0, 0 },		/* second 60 */
	{ "2026-03-01T12", 0, 0 },			/* no minutes */
	{ "2026-03-01", 0, 0 },				/* date only */
	{ "2026-03-01T12:00Zjunk", 0, 0 },		/* junk after the zone */
	{ "2026-03-01T12:00+2:00", 0, 0 },		/* one-digit offset hour */
	{ "2026-03-01T12:00+02", 0, 0 },		/* offset without minutes */
	{ "2026-03-01T12:00+24:00", 0, 0 },		/* offset out of range */
	{ "2026-03-01T12:00:0", 0, 0 },			/* one-digit seconds */
	{ "2026-03-01X12:00", 0, 0 },			/* wrong separator */
	{ "", 0, 0 },					/* empty */
};

static void set_tz(const char *tz)
{
	setenv("TZ", tz, 1);
	tzset();
}

static void test_parse_time(void **state)
{
	(void)state;
	set_tz("America/Denver");
	for (size_t i = 0; i < HG_ARRAY_LEN(time_rows); i++) {
		const struct time_row *r = &time_rows[i];
		hg_time t = -1;
		int rc = text_parse_time(r->s, &t);

		if (r->ok && (rc != HG_OK || t != r->want))
			fail_msg("row %zu: %s gave rc %d t %lld", i, r->s, rc, (long long)t);
		if (!r->ok && rc != HG_EINVAL)
			fail_msg("row %zu: %s accepted", i, r->s);
	}
	assert_int_equal(text_parse_time(NULL, NULL), HG_EINVAL);
}

static void test_format_time(void **state)
{
	char c[17], iso[21], loc[17], day[11];

	(void)state;
	text_time_compact(0, c);
	assert_string_equal(c, "19700101T000000Z");
	text_time_compact(1772471700, c);
	assert_string_equal(c, "20260302T171500Z");
	text_time_iso(1772471700, iso);
	assert_string_equal(iso, "2026-03-02T17:15:00Z");

	set_tz("UTC");
	text_time_local(1772471700, loc);
	assert_string_equal(loc, "2026-03-02 17:15");
	text_date_local(1772471700, day);
	assert_string_equal(day, "2026-03-02");

	set_tz("America/Denver");
	text_time_local(1772471700, loc);
	assert_string_equal(loc, "2026-03-02 10:15");
	text_date_local(1772366400 - 6 * 3600, day);	/* 23:00 on Feb 28 in Denver */
	assert_string_equal(day, "2026-02-28");

	/* a time past year 9999 prints as zeros, never overflows the buffer */
	text_time_compact((hg_time)400000000000LL, c);
	assert_string_equal(c, "00000000T000000Z");
	text_time_iso((hg_time)400000000000LL, iso);
	assert_string_equal(iso, "0000-00-00T00:00:00Z");
}

/* ---- durations ---- */

static void test_duration(void **state)
{
	static const struct {
		const char *s;
		int ok;
		long want;
	} rows[] = {
		{ "90", 1, 90 },			/* bare seconds */
		{ "90s", 1, 90 },			/* seconds */
		{ "5m", 1, 300 },			/* minutes */
		{ "2h", 1, 7200 },			/* hours */
		{ "1h30m", 1, 5400 },			/* hours and minutes */
		{ "1d", 1, 86400 },			/* a day */
		{ "1d2h3m4s", 1, 93784 },		/* every unit */
		{ "0", 1, 0 },				/* zero */
		{ "", 0, 0 },				/* empty */
		{ "m", 0, 0 },				/* unit without number */
		{ "5x", 0, 0 },				/* unknown unit */
		{ "5M", 0, 0 },				/* capital M (month?) refused */
		{ "1m1h", 0, 0 },			/* units out of order */
		{ "1h1h", 0, 0 },			/* unit twice */
		{ "1h30", 0, 0 },			/* last number without unit */
		{ "-5", 0, 0 },				/* negative */
		{ " 5", 0, 0 },				/* leading space */
		{ "5 m", 0, 0 },			/* space inside */
		{ "1.5h", 0, 0 },			/* fractions */
		{ "99999999999999999999", 0, 0 },	/* overflow */
		{ "3661d", 0, 0 },			/* more than ten years (3660 days) */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		long v = -1;
		int rc = text_parse_duration(rows[i].s, &v);

		if (rows[i].ok && (rc != HG_OK || v != rows[i].want))
			fail_msg("row %zu: \"%s\" gave rc %d v %ld", i, rows[i].s, rc, v);
		if (!rows[i].ok && rc != HG_EINVAL)
			fail_msg("row %zu: \"%s\" accepted", i, rows[i].s);
	}
}

/* ---- card UIDs ---- */

static void test_uid(void **state)
{
	static const struct {
		const char *in, *want;	/* want NULL: refused */
	} rows[] = {
		{ "04A1B2C3", "04a1b2c3" },				/* 4 bytes, digits only */
		{ "04:a1:b2:c3", "04a1b2c3" },				/* colons */
		{ "04 A1 B2 C3", "04a1b2c3" },				/* spaces */
		{ "  04a1b2c3  ", "04a1b2c3" },				/* spaces around */
		{ "04:11:22:33:44:55:66", "04112233445566" },		/* 7 bytes */
		{ "0411223344556677889A", "0411223344556677889a" },	/* 10 bytes */
		{ "04A1B2", NULL },					/* 3 bytes */
		{ "04A1B2C3D4", NULL },					/* 5 bytes */
		{ "04A1B2C", NULL },					/* odd digit count */
		{ "04:A1B2C3", NULL },					/* separator only once */
		{ "04:a1 b2:c3", NULL },				/* mixed separators */
		{ "04::a1:b2:c3", NULL },				/* double separator */
		{ "04:a1:b2:c3:", NULL },				/* trailing separator */
		{ "0G:a1:b2:c3", NULL },				/* not hex */
		{ "4:a1:b2:c3", NULL },					/* one-digit byte */
		{ "0411223344556677889A0B", NULL },			/* 11 bytes */
		{ "", NULL },						/* empty */
		{ "04-a1-b2-c3", NULL },				/* dashes */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char out[LIM_UID + 1] = "";
		int rc = text_uid_norm(rows[i].in, out);

		if (rows[i].want && (rc != HG_OK || strcmp(out, rows[i].want) != 0))
			fail_msg("row %zu: \"%s\" gave rc %d \"%s\"", i, rows[i].in, rc, out);
		if (!rows[i].want && rc != HG_EINVAL)
			fail_msg("row %zu: \"%s\" accepted", i, rows[i].in);
	}
}

/* ---- hex and SHA-256 ---- */

static void test_hex_sha(void **state)
{
	static const uint8_t bytes[] = { 0x00, 0x0f, 0xa5, 0xff };
	uint8_t d[32];
	char hex[65];

	(void)state;
	text_hex(bytes, sizeof bytes, hex);
	assert_string_equal(hex, "000fa5ff");
	text_hex(bytes, 0, hex);
	assert_string_equal(hex, "");

	text_sha256("abc", 3, d);	/* FIPS 180-2 test vector */
	text_hex(d, 32, hex);
	assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	text_sha256("", 0, d);		/* empty input */
	text_hex(d, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* FIPS 180-2's and NIST's known answers, the empty input as NULL, and every
 * length around the 64-byte block against libsodium's own SHA-256 (another
 * implementation than OpenSSL's, which text_sha256() uses). */
static void test_sha256_vectors(void **state)
{
	static const struct {
		const char *in;		/* NULL: a million 'a' */
		const char *hex;
	} v[] = {
		/* FIPS 180-2 appendix B.1, one block */
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		/* B.2, 448 bits: the padding takes a second block */
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		/* B.3, a million 'a' */
		{ NULL, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
		/* NIST SHAVS, 896 bits */
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
		  "klmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	static char big[1000000];
	uint8_t d[32], want[32];
	char hex[65];

	(void)state;
	memset(big, 'a', sizeof big);
	for (size_t i = 0; i < HG_ARRAY_LEN(v); i++) {
		if (v[i].in)
			text_sha256(v[i].in, strlen(v[i].in), d);
		else
			text_sha256(big, sizeof big, d);
		text_hex(d, 32, hex);
		assert_string_equal(hex, v[i].hex);
	}
	text_sha256(NULL, 0, d);	/* NULL, no bytes: the empty input */
	text_hex(d, 32, hex);
	assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	for (size_t n = 0; n <= 200; n++) {
		for (size_t i = 0; i < n; i++)
			big[i] = (char)(i * 7 + n);
		text_sha256(big, n, d);
		crypto_hash_sha256(want, (const unsigned char *)big, n);
		assert_memory_equal(d, want, 32);
	}
}

/* Threads hashing at once from the first call on (the digest is fetched
 * once, whoever comes first): each gets the right answer every time. */
#define SHA_THREADS 4
static void *sha_thread(void *arg)
{
	uintptr_t bad = 0;
	uint8_t d[32];
	char hex[65];

	for (int i = 0; i < 2000; i++) {
		text_sha256("abc", 3, d);
		text_hex(d, 32, hex);
		bad += strcmp(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") != 0;
	}
	(void)arg;
	return (void *)bad;
}

static void test_sha256_threads(void **state)
{
	pthread_t t[SHA_THREADS];

	(void)state;
	for (int i = 0; i < SHA_THREADS; i++)
		assert_int_equal(pthread_create(&t[i], NULL, sha_thread, NULL), 0);
	for (int i = 0; i < SHA_THREADS; i++) {
		void *bad = NULL;

		assert_int_equal(pthread_join(t[i], &bad), 0);
		assert_true(bad == NULL);
	}
}

/* ---- whole numbers ---- */

static void test_parse_long(void **state)
{
	static const struct {
		const char *s;
		long min, max;
		int ok;
		long want;
	} rows[] = {
		{ "0", 0, 10, 1, 0 },					/* zero */
		{ "123", 0, 1000, 1, 123 },				/* ordinary */
		{ "-5", -10, 10, 1, -5 },				/* negative */
		{ "007", 0, 10, 1, 7 },					/* leading zeros are digits */
		{ "9223372036854775807", 0, LONG_MAX, 1, LONG_MAX },	/* LONG_MAX */
		{ "9223372036854775808", 0, LONG_MAX, 0, 0 },		/* overflow */
		{ "-9223372036854775809", LONG_MIN, 0, 0, 0 },		/* underflow */
		{ "11", 0, 10, 0, 0 },					/* above max */
		{ "-1", 0, 10, 0, 0 },					/* below min */
		{ " 5", 0, 10, 0, 0 },					/* leading space */
		{ "5 ", 0, 10, 0, 0 },					/* trailing space */
		{ "+5", 0, 10, 0, 0 },					/* plus sign */
		{ "5x", 0, 10, 0, 0 },					/* trailing junk */
		{ "0x10", 0, 100, 0, 0 },				/* hex */
		{ "1e3", 0, 10000, 0, 0 },				/* exponent */
		{ "", 0, 10, 0, 0 },					/* empty */
		{ "-", -10, 10, 0, 0 },					/* sign alone */
		{ "--5", -10, 10, 0, 0 },				/* two signs */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		long v = 42;
		int rc = text_parse_long(rows[i].s, rows[i].min, rows[i].max, &v);

		if (rows[i].ok && (rc != HG_OK || v != rows[i].want))
			fail_msg("row %zu: \"%s\" gave rc %d v %ld", i, rows[i].s, rc, v);
		if (!rows[i].ok && (rc != HG_EINVAL || v != 42))
			fail_msg("row %zu: \"%s\" accepted or touched out", i, rows[i].s);
	}
	assert_int_equal(text_parse_long(NULL, 0, 1, NULL), HG_EINVAL);
}

/* ---- the exported UTF-8 decoder ---- */

static void test_utf8_next(void **state)
{
	uint32_t cp = 0;

	(void)state;
	assert_int_equal(text_utf8_next("A", &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(text_utf8_next("\xe2\x82\xac", &cp), 3);	/* euro sign */
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(text_utf8_next("\xed\xa0\x80", &cp), -1);	/* surrogate */
	assert_int_equal(text_utf8_next("", &cp), 1);			/* the NUL */
	assert_int_equal(cp, 0);
}

/* ---- hardware numbers: decimal or 0x, never octal ---- */

static void test_parse_number(void **state)
{
	static const struct {
		const char *s;
		unsigned long lo, hi;
		unsigned long want;	/* when why is NULL */
		const char *why;	/* the phrase for a refused one */
	} rows[] = {
		{ "0", 0, 10, 0, NULL },				/* zero */
		{ "010", 0, 100, 10, NULL },				/* leading zero: ten, not octal eight */
		{ "0008", 0, 100, 8, NULL },				/* 8 is no octal digit: still decimal */
		{ "0x10", 0, 100, 16, NULL },				/* hex */
		{ "0X1f", 0, 100, 31, NULL },				/* capital X, any case digits */
		{ "0x0010", 0, 100, 16, NULL },				/* hex with leading zeros */
		{ "65535", 0, 65535, 65535, NULL },			/* the top of the range */
		{ "18446744073709551615", 0, ULONG_MAX, ULONG_MAX, NULL },	/* ULONG_MAX */
		{ "18446744073709551616", 0, ULONG_MAX, 0, "is too large" },	/* overflow */
		{ "0x10000000000000000", 0, ULONG_MAX, 0, "is too large" },	/* hex overflow */
		{ "65536", 0, 65535, 0, "is too large" },		/* above hi */
		{ "49", 50, 100, 0, "is too small" },			/* below lo */
		{ "", 0, 10, 0, "is empty" },				/* empty */
		{ "-1", 0, 10, 0, "is signed" },			/* minus */
		{ "+1", 0, 10, 0, "is signed" },			/* plus */
		{ " 1", 0, 10, 0, "is not a number" },			/* leading space */
		{ "1 ", 0, 10, 0, "has something after the number" },	/* trailing space */
		{ "1x", 0, 10, 0, "has something after the number" },	/* trailing junk */
		{ "0x", 0, 10, 0, "has something after the number" },	/* no hex digits */
		{ "0xg", 0, 10, 0, "is not a number" },			/* no hex digit after 0x */
		{ "1e3", 0, 10000, 0, "has something after the number" },	/* exponent */
		{ "1.5", 0, 10, 0, "has something after the number" },	/* fraction */
		{ "x10", 0, 100, 0, "is not a number" },		/* no leading zero */
		{ "ten", 0, 100, 0, "is not a number" },		/* a word */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		unsigned long v = 42;
		const char *why = NULL;
		int rc = text_parse_number(rows[i].s, strlen(rows[i].s), rows[i].lo, rows[i].hi, &v,
					   &why);

		if (!rows[i].why && (rc != HG_OK || v != rows[i].want))
			fail_msg("row %zu: \"%s\" gave rc %d v %lu (%s)", i, rows[i].s, rc, v,
				 why ? why : "");
		if (rows[i].why && (rc != HG_EINVAL || v != 42 || !why ||
				    strncmp(why, rows[i].why, strlen(rows[i].why)) != 0))
			fail_msg("row %zu: \"%s\" gave rc %d, \"%s\"", i, rows[i].s, rc,
				 why ? why : "(none)");
	}
	/* only len bytes count: "17" of "17,active-low" */
	{
		unsigned long v = 0;

		assert_int_equal(text_parse_number("17,active-low", 2, 0, 1023, &v, NULL), HG_OK);
		assert_int_equal(v, 17);
	}
	assert_int_equal(text_parse_number(NULL, 0, 0, 1, NULL, NULL), HG_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_check_long),
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_nfc),
		cmocka_unit_test(test_chars),
		cmocka_unit_test(test_copy),
		cmocka_unit_test(test_append),
		cmocka_unit_test(test_backspace),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_format_time),
		cmocka_unit_test(test_duration),
		cmocka_unit_test(test_uid),
		cmocka_unit_test(test_sha256_threads),	/* first: the first calls race */
		cmocka_unit_test(test_hex_sha),
		cmocka_unit_test(test_sha256_vectors),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_utf8_next),
		cmocka_unit_test(test_parse_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
