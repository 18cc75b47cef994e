/* slipbuf.c: the bounded writer behind every slip and QR text.
 *
 * The appending functions all end in slip_put(), the one place that checks
 * the room left; the layout helpers (rule, wrapping, centring, cleaning) sit
 * on top of it.  See slipbuf.h for the contract; start reading at
 * slip_put(). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hg.h"
#include "slipbuf.h"
#include "text.h"

void slip_init(struct slipbuf *o, char *buf, size_t cap)
{
	o->buf = buf;
	o->cap = cap;
	o->len = 0;
	o->over = 0;
	if (cap)
		buf[0] = '\0';
}

void slip_put(struct slipbuf *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

void slip_puts(struct slipbuf *o, const char *s)
{
	slip_put(o, s, strlen(s));
}

void slip_printf(struct slipbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->over = 1;
		o->buf[o->len] = '\0';
		return;
	}
	o->len += (size_t)n;
}

void slip_spaces(struct slipbuf *o, int n)
{
	for (; n > 0; n--)
		slip_put(o, " ", 1);
}

size_t slip_clean_next(const char *s, const char **p, size_t *n)
{
	uint32_t cp;
	int k = text_utf8_next(s, &cp);

	if (k <= 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
		*p = "?";
		*n = 1;
		return k > 0 ? (size_t)k : 1;
	}
	*p = s;
	*n = (size_t)k;
	return (size_t)k;
}

void slip_clean(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	if (!s)
		s = "";
	while (*s && o + 5 < cap) {	/* room for 4 bytes and the NUL */
		const char *p;
		size_t n;

		s += slip_clean_next(s, &p, &n);
		memcpy(out + o, p, n);
		o += n;
	}
	out[o] = '\0';
}

int slip_put_clean(struct slipbuf *o, const char *s, int max)
{
	int n = 0;

	while (*s && n < max) {
		const char *p;
		size_t k;

		s += slip_clean_next(s, &p, &k);
		slip_put(o, p, k);
		n++;
	}
	return n;
}

void slip_rule(struct slipbuf *o, char c)
{
	char line[SLIP_WIDTH + 1];

	memset(line, c, SLIP_WIDTH);
	line[SLIP_WIDTH] = '\n';
	slip_put(o, line, sizeof line);
}

void slip_wrapped(struct slipbuf *o, const char *text)
{
	const char *p = text;
	int first = 1;

	if (!*p) {
		slip_puts(o, "\n");
		return;
	}
	while (*p) {
		int avail = first ? SLIP_WIDTH : SLIP_WIDTH - 2;
		const char *q = p, *brk = NULL;
		int chars = 0;
		uint32_t cp;

		while (*q && chars < avail) {
			int n = text_utf8_next(q, &cp);

			if (n < 0)
				n = 1;
			if (*q == ' ')
				brk = q;
			q += n;
			chars++;
		}
		if (*q == '\0' || *q == ' ')
			brk = q;	/* the rest fits, or breaks right after */
		else if (!brk || brk == p)
			brk = q;	/* one long word: cut it */
		if (!first)
			slip_puts(o, "  ");
		slip_put(o, p, (size_t)(brk - p));
		slip_puts(o, "\n");
		p = brk;
		while (*p == ' ')
			p++;
		first = 0;
	}
}

void slip_centre_pad(struct slipbuf *o, const char *text)
{
	int w = text_chars(text);

	slip_spaces(o, w < SLIP_WIDTH ? (SLIP_WIDTH - w) / 2 : 0);
}

int slip_end(struct slipbuf *o)
{
	if (o->over) {
		if (o->cap)
			o->buf[0] = '\0';
		return HG_ETOOLONG;
	}
	return (int)o->len;
}
