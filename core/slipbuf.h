/* slipbuf.h: one bounded text writer for the slips and the QR text.
 *
 * The caller owns the buffer; a write that does not fit sets `over` and
 * every later write does nothing, so a composer checks once at the end
 * (slip_end).  The slip helpers lay text out in SLIP_WIDTH columns (a 58/80
 * mm thermal printer in its normal font), counting UTF-8 code points, and
 * print every control character or broken UTF-8 byte as '?', so that no
 * field can carry a printer command.  Used by core/receipt.c, core/summary.c
 * and core/qr.c. */
#ifndef SLIPBUF_H
#define SLIPBUF_H

#include <stddef.h>

#define SLIP_WIDTH 42

struct slipbuf {
	char *buf;
	size_t cap, len;
	int over;		/* something did not fit: the text is incomplete */
};

/* Start writing into buf[cap] (cap > 0): buf becomes "". */
void slip_init(struct slipbuf *o, char *buf, size_t cap);

/* Append s[0..n) / the string s / a printf text; buf stays NUL-terminated. */
void slip_put(struct slipbuf *o, const char *s, size_t n);
void slip_puts(struct slipbuf *o, const char *s);
void slip_printf(struct slipbuf *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* n spaces (none when n <= 0). */
void slip_spaces(struct slipbuf *o, int n);

/* One code point of s as it may print: returns how many bytes of s it takes
 * (at least 1) and points *p, *n at what to write: its own bytes, or "?"
 * for a control character or a broken UTF-8 byte.  s must not be at its NUL. */
size_t slip_clean_next(const char *s, const char **p, size_t *n);
/* s cleaned as above into out[cap] (cut, never mid-character, when it
 * does not fit); NULL s gives "". */
void slip_clean(const char *s, char *out, size_t cap);
/* Append the first max code points of s, cleaned; returns how many. */
int slip_put_clean(struct slipbuf *o, const char *s, int max);

/* A line of SLIP_WIDTH times c. */
void slip_rule(struct slipbuf *o, char c);
/* text (clean UTF-8) wrapped at SLIP_WIDTH code points, at spaces where it
 * can (a longer word is cut); continuation lines indented by two spaces.
 * An empty text is an empty line. */
void slip_wrapped(struct slipbuf *o, const char *text);
/* The spaces that centre text in SLIP_WIDTH (none when it is as wide). */
void slip_centre_pad(struct slipbuf *o, const char *text);

/* Done: the length, or HG_ETOOLONG with buf emptied when something did
 * not fit. */
int slip_end(struct slipbuf *o);

#endif
