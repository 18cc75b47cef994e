/* text.c: text at the edge of haulgate.
 *
 * Everything a person types, a card reader reports or a file holds passes
 * through here before it is kept: text_check() is the one UTF-8 validator
 * (strict: no overlong forms, no surrogates, nothing past U+10FFFF, no cut-off
 * sequences, no control characters at all, not even tab or newline, no
 * Unicode format characters such as a right-to-left override, and something
 * visible unless the text is blank), and text_copy()/text_append() are the
 * bounded copies that refuse rather than cut.  Character categories come from
 * utf8proc's Unicode tables, as does text_fold()'s NFC and case folding.  The rest are small parsers and formatters of dates, times, durations,
 * card UIDs and numbers, each strict about its whole input.
 *
 * Start reading at utf8_next(): every other UTF-8 function is built on it. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pthread.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <utf8proc.h>

#include "text.h"

/* Decode one code point at s (NUL-terminated).  Returns the number of bytes
 * it takes (1..4) with *cp set, or -1 for an invalid or truncated sequence
 * (overlong, surrogate, above U+10FFFF, stray continuation byte). */
static int utf8_next(const unsigned char *s, uint32_t *cp)
{
	uint32_t c = s[0], min;
	int len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		min = 0x80;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		min = 0x800;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		min = 0x10000;
		c &= 0x07;
	} else {
		return -1;	/* continuation byte, 0xc0/0xc1 overlong lead, 0xf5.. */
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;	/* truncated (a NUL stops here too) */
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return -1;
	*cp = c;
	return len;
}

/* The exported face of utf8_next(), for table.c and the kiosk's text. */
int text_utf8_next(const char *s, uint32_t *cp)
{
	return utf8_next((const unsigned char *)s, cp);
}

/* C0 (tab and newline included), DEL, C1, and the line and paragraph
 * separators (U+2028, U+2029: line breaks by another name). */
static int is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029;
}

/* Does cp show as something?  A letter, mark-free digit, punctuation or
 * symbol, unless Unicode makes it default-ignorable (the Hangul fillers are
 * letters that draw nothing).  Spaces, combining marks alone, private-use and
 * unassigned code points do not count. */
static int is_visible(uint32_t cp)
{
	const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);

	if (p->ignorable)
		return 0;
	switch (p->category) {
	case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM: case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND: case UTF8PROC_CATEGORY_NL: case UTF8PROC_CATEGORY_NO:
	case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD: case UTF8PROC_CATEGORY_PS:
	case UTF8PROC_CATEGORY_PE: case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
	case UTF8PROC_CATEGORY_PO:
	case UTF8PROC_CATEGORY_SM: case UTF8PROC_CATEGORY_SC: case UTF8PROC_CATEGORY_SK:
	case UTF8PROC_CATEGORY_SO:
		return 1;
	default:
		return 0;
	}
}

/* Check s against the rules of a field of at most max characters; faults are
 * reported in the order they occur in s.  NULL counts as empty. */
enum text_fault text_check(const char *s, int max, int required)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	int chars = 0, blank = 1, visible = 0;

	while (*p) {
		uint32_t cp;
		int n = utf8_next(p, &cp);

		if (n < 0)
			return TEXT_BAD_UTF8;
		if (is_control(cp))
			return TEXT_CONTROL;
		if (utf8proc_category((utf8proc_int32_t)cp) == UTF8PROC_CATEGORY_CF)
			return TEXT_FORMAT;
		if (++chars > max)
			return TEXT_TOO_LONG;
		if (cp != ' ')
			blank = 0;
		if (!visible && cp > ' ')
			visible = is_visible(cp);
		p += n;
	}
	if (blank)
		return required ? TEXT_EMPTY : TEXT_OK;
	if (!visible)
		return TEXT_INVISIBLE;
	return TEXT_OK;
}

/* s through utf8proc with opt into cps[], in place and without the heap:
 * the code points first, normalised (and folded) there, then encoded back as
 * UTF-8 over the same buffer.  Returns HG_OK with *utf8 pointing into cps,
 * HG_EINVAL or HG_ETOOLONG. */
#define MAP_MAX 1024	/* code points after decomposition */
static int map(const char *s, utf8proc_option_t opt, utf8proc_int32_t cps[MAP_MAX],
	       const char **utf8)
{
	utf8proc_ssize_t n;

	if (!s || text_check(s, INT_MAX, 0) != TEXT_OK)
		return HG_EINVAL;
	n = utf8proc_decompose((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)strlen(s), cps,
			       MAP_MAX, opt);
	if (n < 0)
		return HG_EINVAL;
	if (n > MAP_MAX)
		return HG_ETOOLONG;
	n = utf8proc_reencode(cps, n, opt);
	if (n < 0)
		return HG_EINVAL;
	*utf8 = (const char *)cps;
	return HG_OK;
}

int text_nfc(const char *s, char *out, size_t cap)
{
	utf8proc_int32_t cps[MAP_MAX];
	const char *u;
	int rc;

	if (!out || cap == 0)
		return HG_EINVAL;
	out[0] = '\0';
	rc = map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE, cps, &u);
	if (rc)
		return rc;
	return text_copy(out, cap, u);
}

/* NFC and case folding (map()), then the spaces tidied while copying out. */
int text_fold(const char *s, char *out, size_t cap)
{
	utf8proc_int32_t cps[MAP_MAX];
	const char *u;
	size_t len = 0;
	int space = 0, rc;

	if (!out || cap == 0)
		return HG_EINVAL;
	out[0] = '\0';
	rc = map(s, UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD, cps, &u);
	if (rc)
		return rc;
	for (; *u; u++) {
		if (*u == ' ') {
			space = len > 0;
			continue;
		}
		if (len + (size_t)space + 2 > cap) {
			out[0] = '\0';
			return HG_ETOOLONG;
		}
		if (space)
			out[len++] = ' ';
		space = 0;
		out[len++] = *u;
	}
	out[len] = '\0';
	return HG_OK;
}

/* Code points of s; a byte that is not part of a valid sequence counts as
 * one, so the answer is meaningful for any input. */
int text_chars(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int chars = 0;

	if (!s)
		return 0;
	while (*p) {
		uint32_t cp;
		int n = utf8_next(p, &cp);

		p += n > 0 ? n : 1;
		if (chars < INT_MAX)
			chars++;
	}
	return chars;
}

/* Bounded copy: all of src or nothing. */
int text_copy(char *dst, size_t cap, const char *src)
{
	size_t n;

	if (!dst || cap == 0)
		return HG_ETOOLONG;
	if (!src)
		src = "";
	n = strlen(src);
	if (n >= cap) {
		dst[0] = '\0';
		return HG_ETOOLONG;
	}
	memmove(dst, src, n + 1);
	return HG_OK;
}

/* Bounded append: all of src or dst unchanged.  A dst without a NUL inside
 * cap is refused too (it cannot be appended to safely). */
int text_append(char *dst, size_t cap, const char *src)
{
	size_t have, n;

	if (!dst || cap == 0)
		return HG_ETOOLONG;
	if (!src)
		src = "";
	have = strnlen(dst, cap);
	if (have == cap)
		return HG_ETOOLONG;
	n = strlen(src);
	if (n >= cap - have)
		return HG_ETOOLONG;
	memmove(dst + have, src, n + 1);
	return HG_OK;
}

/* Drop the last code point: its continuation bytes and its lead byte.  When
 * the tail is not a whole valid sequence, drop only the last byte. */
void text_backspace(char *dst)
{
	size_t len, i;
	uint32_t cp;

	if (!dst)
		return;
	len = strlen(dst);
	if (len == 0)
		return;
	i = len - 1;
	while (i > 0 && len - i < 4 && ((unsigned char)dst[i] & 0xc0) == 0x80)
		i--;
	if (utf8_next((const unsigned char *)dst + i, &cp) == (int)(len - i))
		dst[i] = '\0';
	else
		dst[len - 1] = '\0';
}

static int is_ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Strip ASCII white space (space, tab, CR, LF, VT, FF) at both ends. */
void text_trim(char *s)
{
	size_t len, start = 0;

	if (!s)
		return;
	len = strlen(s);
	while (len > 0 && is_ascii_space(s[len - 1]))
		len--;
	while (start < len && is_ascii_space(s[start]))
		start++;
	memmove(s, s + start, len - start);
	s[len - start] = '\0';
}

/* n decimal digits at s into *out; 0 or -1. */
static int digits(const char *s, int n, int *out)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : dim[m - 1];
}

/* "YYYY-MM-DD" at s (exactly 10 bytes looked at, s at least that long). */
static int date_at(const char *s, int *y, int *m, int *d)
{
	if (strnlen(s, 10) < 10 || s[4] != '-' || s[7] != '-')
		return HG_EINVAL;
	if (digits(s, 4, y) || digits(s + 5, 2, m) || digits(s + 8, 2, d))
		return HG_EINVAL;
	if (*y < 1900 || *m < 1 || *m > 12 || *d < 1 || *d > days_in_month(*y, *m))
		return HG_EINVAL;
	return HG_OK;
}

/* A real calendar date, years 1900..9999, nothing around it. */
int text_parse_date(const char *s, int *y, int *m, int *d)
{
	int yy, mm, dd, r;

	if (!s || strlen(s) != 10)
		return HG_EINVAL;
	r = date_at(s, &yy, &mm, &dd);
	if (r)
		return r;
	if (y)
		*y = yy;
	if (m)
		*m = mm;
	if (d)
		*d = dd;
	return HG_OK;
}

/* ISO 8601 local or zoned time.  The date/time separator is 'T' (a space is
 * taken too, as people type it); seconds are optional; the zone is "Z" or
 * "+hh:mm"/"-hh:mm".  A local time inside a daylight-saving gap comes back as
 * mktime() normalises it. */
int text_parse_time(const char *s, hg_time *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec = 0, r;
	const char *p;
	time_t t;

	if (!s || !out)
		return HG_EINVAL;
	r = date_at(s, &y, &mo, &d);
	if (r)
		return r;
	p = s + 10;
	if (*p != 'T' && *p != ' ')
		return HG_EINVAL;
	p++;
	if (strnlen(p, 5) < 5 || p[2] != ':' || digits(p, 2, &h) || digits(p + 3, 2, &mi))
		return HG_EINVAL;
	p += 5;
	if (*p == ':') {
		if (strnlen(p, 3) < 3 || digits(p + 1, 2, &sec))
			return HG_EINVAL;
		p += 3;
	}
	if (h > 23 || mi > 59 || sec > 59)
		return HG_EINVAL;

	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;

	if (*p == '\0') {
		tm.tm_isdst = -1;
		errno = 0;
		t = mktime(&tm);
		if (t == (time_t)-1 && errno != 0)
			return HG_EINVAL;
		*out = (hg_time)t;
		return HG_OK;
	}
	if (p[0] == 'Z' && p[1] == '\0') {
		*out = (hg_time)timegm(&tm);
		return HG_OK;
	}
	if (p[0] == '+' || p[0] == '-') {
		int oh, om;
		long off;

		if (strlen(p) != 6 || p[3] != ':' || digits(p + 1, 2, &oh) || digits(p + 4, 2, &om))
			return HG_EINVAL;
		if (oh > 23 || om > 59)
			return HG_EINVAL;
		off = (long)oh * 3600 + (long)om * 60;
		*out = (hg_time)timegm(&tm) - (p[0] == '+' ? off : -off);
		return HG_OK;
	}
	return HG_EINVAL;
}

/* Broken-down time into the fixed forms below.  Each form is a pattern where
 * Y, M, D, h, m, s stand for the zero-padded fields (4 digits for Y, 2 for
 * the others) and any other byte is itself.  A time that cannot be broken down
 * (beyond year 9999 or before year 0) prints as zeros, never as garbage. */
static void put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--) {
		p[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

static void format_tm(const struct tm *tm, const char *pattern, char *buf)
{
	int ok = tm && tm->tm_year >= -1900 && tm->tm_year <= 9999 - 1900;
	char *o = buf;

	for (const char *p = pattern; *p; p++) {
		switch (*p) {
		case 'Y':
			put_digits(o, ok ? tm->tm_year + 1900 : 0, 4);
			o += 4;
			break;
		case 'M':
		case 'D':
		case 'h':
		case 'm':
		case 's': {
			int v = 0;

			if (ok)
				v = *p == 'M' ? tm->tm_mon + 1 : *p == 'D' ? tm->tm_mday
				  : *p == 'h' ? tm->tm_hour : *p == 'm' ? tm->tm_min : tm->tm_sec;
			put_digits(o, v, 2);
			o += 2;
			break;
		}
		default:
			*o++ = *p;
		}
	}
	*o = '\0';
}

void text_time_compact(hg_time t, char buf[17])
{
	struct tm tm;
	time_t tt = (time_t)t;

	format_tm(gmtime_r(&tt, &tm), "YMDThmsZ", buf);
}

void text_time_iso(hg_time t, char buf[21])
{
	struct tm tm;
	time_t tt = (time_t)t;

	format_tm(gmtime_r(&tt, &tm), "Y-M-DTh:m:sZ", buf);
}

void text_time_local(hg_time t, char buf[17])
{
	struct tm tm;
	time_t tt = (time_t)t;

	format_tm(localtime_r(&tt, &tm), "Y-M-D h:m", buf);
}

void text_date_local(hg_time t, char buf[11])
{
	struct tm tm;
	time_t tt = (time_t)t;

	format_tm(localtime_r(&tt, &tm), "Y-M-D", buf);
}

/* A duration: a bare number of seconds ("90"), or numbers with units d, h, m,
 * s, each unit at most once and in that order ("1d", "1h30m", "5m", "90s").
 * At most ten years in all, so the sum cannot overflow. */
int text_parse_duration(const char *s, long *seconds)
{
	static const struct {
		char unit;
		long mult;
	} units[] = { { 'd', 86400 }, { 'h', 3600 }, { 'm', 60 }, { 's', 1 } };
	const long max_total = 10L * 366 * 86400;
	size_t next_unit = 0;
	long total = 0;
	const char *p = s;

	if (!s || !seconds || !*s)
		return HG_EINVAL;
	while (*p) {
		long v = 0;
		const char *start = p;
		size_t u;

		while (*p >= '0' && *p <= '9') {
			if (v > max_total)
				return HG_EINVAL;
			v = v * 10 + (*p - '0');
			p++;
		}
		if (p == start)
			return HG_EINVAL;	/* a unit without a number, or junk */
		if (*p == '\0') {
			if (start != s)
				return HG_EINVAL;	/* "1h30": the last number needs its unit */
			u = HG_ARRAY_LEN(units) - 1;	/* bare seconds */
		} else {
			for (u = next_unit; u < HG_ARRAY_LEN(units); u++)
				if (units[u].unit == *p)
					break;
			if (u == HG_ARRAY_LEN(units))
				return HG_EINVAL;	/* unknown, repeated or out-of-order unit */
			p++;
		}
		if (v > max_total / units[u].mult)
			return HG_EINVAL;
		total += v * units[u].mult;
		if (total > max_total)
			return HG_EINVAL;
		next_unit = u + 1;
	}
	*seconds = total;
	return HG_OK;
}

/* The value of one hex digit, or -1. */
int text_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A card UID in one of three spellings: "04A1B2C3" (digits only),
 * "04:a1:b2:c3" or "04 A1 B2 C3" (every byte two digits, one separator of the
 * same kind between each).  Spaces around the whole are ignored. */
int text_uid_norm(const char *in, char out[LIM_UID + 1])
{
	char buf[LIM_UID + 1];
	size_t len, i, n = 0;
	char sep = 0;

	if (!in || !out)
		return HG_EINVAL;
	while (*in == ' ')
		in++;
	len = strlen(in);
	while (len > 0 && in[len - 1] == ' ')
		len--;
	if (len == 0 || len > 3 * 10)
		return HG_EINVAL;
	if (len > 2 && (in[2] == ':' || in[2] == ' '))
		sep = in[2];
	for (i = 0; i < len;) {
		if (n + 2 > LIM_UID)
			return HG_EINVAL;
		if (text_hexval(in[i]) < 0 || i + 1 >= len || text_hexval(in[i + 1]) < 0)
			return HG_EINVAL;
		buf[n++] = (char)tolower((unsigned char)in[i]);
		buf[n++] = (char)tolower((unsigned char)in[i + 1]);
		i += 2;
		if (sep && i < len) {
			if (in[i] != sep || i + 1 >= len)
				return HG_EINVAL;
			i++;
		}
	}
	if (n != 8 && n != 14 && n != 20)
		return HG_EINVAL;
	memcpy(out, buf, n);
	out[n] = '\0';
	return HG_OK;
}

void text_hex(const uint8_t *in, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[in[i] >> 4];
		out[2 * i + 1] = hx[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* OpenSSL's SHA-256, fetched from its provider once for the process (kept:
 * a global, so never a leak).  SHA256() fetches it again at every call, a
 * lookup under locks that costs more than hashing a Merkle node. */
static EVP_MD *sha256_md;
static pthread_once_t sha256_once = PTHREAD_ONCE_INIT;

static void sha256_fetch(void)
{
	sha256_md = EVP_MD_fetch(NULL, "SHA256", NULL);
}

void text_sha256(const void *data, size_t n, uint8_t out[32])
{
	static const unsigned char none = 0;
	unsigned int len = 0;

	if (!data)
		data = &none;
	pthread_once(&sha256_once, sha256_fetch);
	if (sha256_md && EVP_Digest(data, n, out, &len, sha256_md, NULL) == 1 && len == 32)
		return;
	SHA256(data, n, out);	/* no provider or no memory: the slow way, same bytes */
}

/* Whole decimal integer, optional leading '-', no spaces, no '+', no junk. */
int text_parse_long(const char *s, long min, long max, long *out)
{
	const char *d;
	char *end;
	long v;

	if (!s || !out)
		return HG_EINVAL;
	d = s[0] == '-' ? s + 1 : s;
	if (*d < '0' || *d > '9')
		return HG_EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno == ERANGE || *end != '\0')
		return HG_EINVAL;
	if (v < min || v > max)
		return HG_EINVAL;
	*out = v;
	return HG_OK;
}

/* Decimal, or 0x hex; leading zeros decimal; overflow and junk refused. */
int text_parse_number(const char *s, size_t len, unsigned long lo, unsigned long hi,
		      unsigned long *out, const char **why)
{
	static const char *const whys[] = {
		"is empty",
		"is signed (these numbers never are)",
		"is not a number",
		"has something after the number",
		"is too large",
		"is too small",
	};
	unsigned long v = 0, base = 10;
	size_t i = 0, start;
	int w = -1;

	if (!s || len == 0)
		w = 0;
	else if (s[0] == '-' || s[0] == '+')
		w = 1;
	else if (s[0] < '0' || s[0] > '9')
		w = 2;
	if (w < 0 && len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	start = i;
	for (; w < 0 && i < len; i++) {
		int d = text_hexval(s[i]);

		if (base == 10 && d > 9)
			d = -1;
		if (d < 0) {
			w = i == start ? 2 : 3;
			break;
		}
		if (v > (ULONG_MAX - (unsigned long)d) / base) {
			w = 4;
			break;
		}
		v = v * base + (unsigned long)d;
	}
	if (w < 0 && (v < lo || v > hi))
		w = v < lo ? 5 : 4;
	if (w >= 0) {
		if (why)
			*why = whys[w];
		return HG_EINVAL;
	}
	*out = v;
	return HG_OK;
}
