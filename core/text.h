/* text.h: text at the edge: UTF-8 checks, length limits, bounded copies, dates,
 * hex, SHA-256.  Everything a person types passes through text_check() before it
 * is stored anywhere. */
#ifndef TEXT_H
#define TEXT_H

#include "hg.h"

/* Why a piece of text was refused by text_check(). */
enum text_fault {
	TEXT_OK = 0,
	TEXT_BAD_UTF8,		/* not valid UTF-8 (overlong, surrogate, truncated) */
	TEXT_CONTROL,		/* a control character (C0, DEL, C1) other than none */
	TEXT_TOO_LONG,		/* more than max characters */
	TEXT_EMPTY,		/* empty or only spaces where a value is required */
	TEXT_FORMAT,		/* a Unicode format character (category Cf): U+202E, U+200B ... */
	TEXT_INVISIBLE		/* not blank, yet no character that shows (U+3164, U+00A0 ...) */
};

/* Check s (NUL-terminated) against the rules for a field of at most max
 * characters: valid UTF-8; no control characters (C0, DEL, C1, and the line
 * and paragraph separators U+2028/U+2029); no format characters (category Cf:
 * bidi overrides, zero-width spaces and joiners, U+FEFF); and, unless it is
 * blank (empty or ASCII spaces only), at least one visible character: a
 * letter, digit, punctuation or symbol that is not default-ignorable.
 * required: empty or blank is refused.  Returns TEXT_OK or the first fault
 * found, in the order the characters come; TEXT_INVISIBLE comes last, as it
 * is a fault of the whole text. */
enum text_fault text_check(const char *s, int max, int required);

/* s in Unicode NFC (utf8proc) into out[cap]: "n + U+0303" becomes "ñ", so
 * what is kept shows the same on a printer's font as on the screen.  s must
 * pass text_check().  Returns HG_OK, HG_EINVAL or HG_ETOOLONG (out empty). */
int text_nfc(const char *s, char *out, size_t cap);

/* Fold s for comparison into out[cap]: Unicode NFC, then case folding
 * (utf8proc), white space at both ends dropped and every run of spaces inside
 * made one.  "PEÑASCO", "Peñasco" and "Pen\u0303asco" fold the same.  s must pass
 * text_check().  Returns HG_OK, HG_EINVAL (not valid text) or HG_ETOOLONG. */
int text_fold(const char *s, char *out, size_t cap);

/* Decode the code point at s (NUL-terminated) into *cp.  Returns its length
 * in bytes (1..4), or -1 when the bytes there are not valid UTF-8 (overlong,
 * surrogate, above U+10FFFF, truncated, stray continuation byte).  At the NUL
 * it returns 1 with *cp = 0. */
int text_utf8_next(const char *s, uint32_t *cp);

/* Number of code points in valid UTF-8 s. */
int text_chars(const char *s);

/* Copy src into dst[cap], always NUL-terminated.  Returns HG_OK, or
 * HG_ETOOLONG (dst then holds nothing: never a silent cut). */
int text_copy(char *dst, size_t cap, const char *src);

/* Append src to dst[cap] under the same rule as text_copy. */
int text_append(char *dst, size_t cap, const char *src);

/* Remove the last code point of dst (the keyboard's backspace). */
void text_backspace(char *dst);

/* Strip leading and trailing ASCII white space (space, tab, CR, LF, VT, FF)
 * in place. */
void text_trim(char *s);

/* Parse "YYYY-MM-DD" (a real calendar date).  Returns HG_OK or HG_EINVAL. */
int text_parse_date(const char *s, int *y, int *m, int *d);

/* Parse an ISO 8601 time: "YYYY-MM-DDThh:mm[:ss]" with an optional "Z" or
 * "+hh:mm"/"-hh:mm" (a space is taken in place of the 'T').  Without a zone
 * it is local station time (the process TZ, through mktime).
 * Returns HG_OK or HG_EINVAL. */
int text_parse_time(const char *s, hg_time *out);

/* Format t as UTC "YYYYMMDDThhmmssZ" (the receipt form) into buf[17]. */
void text_time_compact(hg_time t, char buf[17]);
/* Format t as UTC ISO "YYYY-MM-DDThh:mm:ssZ" into buf[21]. */
void text_time_iso(hg_time t, char buf[21]);
/* Format t as local "YYYY-MM-DD hh:mm" into buf[17]. */
void text_time_local(hg_time t, char buf[17]);
/* Local calendar date of t as "YYYY-MM-DD" into buf[11]. */
void text_date_local(hg_time t, char buf[11]);

/* Parse a duration: "90", "90s", "5m", "2h", "1h30m", "1d" (units d h m s,
 * each at most once, in that order; at most ten years).  Returns HG_OK or
 * HG_EINVAL. */
int text_parse_duration(const char *s, long *seconds);

/* Normalise a card UID: hex digits, optional ':' or spaces between bytes, any
 * case.  Out: lowercase hex without separators, 8, 14 or 20 digits (4, 7 or 10
 * bytes).  Returns HG_OK or HG_EINVAL. */
int text_uid_norm(const char *in, char out[LIM_UID + 1]);

/* The value of the hex digit c (either case), or -1. */
int text_hexval(char c);
/* Lowercase hex of n bytes into out[2n+1]. */
void text_hex(const uint8_t *in, size_t n, char *out);

/* SHA-256 of n bytes at data (NULL with n 0: the empty input) into out.
 * Safe from any thread; OpenSSL's EVP with the digest fetched once, the
 * one SHA-256 of core/ for Merkle trees, digests and copies of record
 * (core/chain.c's chain hash keeps libsodium's). */
void text_sha256(const void *data, size_t n, uint8_t out[32]);

/* Parse a whole decimal integer in [min, max], nothing else in s.
 * Returns HG_OK or HG_EINVAL. */
int text_parse_long(const char *s, long min, long max, long *out);

/* A hardware number (a coil, a register, a line, a port, a unit id): the
 * whole of s[0..len) as decimal digits, leading zeros still decimal ("010"
 * is ten, never octal), or "0x"/"0X" and hex digits; no sign, no spaces.
 * HG_OK with *out in [lo, hi]; else HG_EINVAL and, when why is not NULL,
 * *why a phrase for the message ("has something after the number", ...);
 * *out is left alone then.  s may be NULL (not a number). */
int text_parse_number(const char *s, size_t len, unsigned long lo, unsigned long hi,
		      unsigned long *out, const char **why);

#endif
