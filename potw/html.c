/* html.c: escaped HTML text, attributes and URLs into a capped buffer.
 *
 * The only place the plant's pages turn data into HTML (html.h says the
 * rules).  put() is the one way bytes enter the buffer; the escapers walk
 * their input once, copying runs of safe bytes and writing an entity, a
 * percent escape or U+FFFD for the others.  UTF-8 is checked as it goes
 * (utf8_len()): overlong forms, surrogates and code points past U+10FFFF
 * are refused like any other bad sequence.  Start reading at html_txt(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html.h"

#define REPLACEMENT "\xEF\xBF\xBD"	/* U+FFFD */

void html_init(struct html *h, size_t max)
{
	memset(h, 0, sizeof *h);
	h->max = max ? max : HTML_MAX;
}

void html_free(struct html *h)
{
	free(h->buf);
	h->buf = NULL;
	h->len = h->cap = 0;
}

int html_failed(const struct html *h)
{
	return h->failed;
}

/* Append s[0..n), growing the buffer (doubling) up to h->max. */
static void put(struct html *h, const char *s, size_t n)
{
	size_t cap;
	char *b;

	if (h->failed || n == 0)
		return;
	if (n > h->max - h->len) {
		h->failed = 1;
		return;
	}
	if (h->len + n + 1 > h->cap) {
		cap = h->cap ? h->cap : 4096;
		while (cap < h->len + n + 1)
			cap *= 2;
		b = realloc(h->buf, cap);
		if (!b) {
			h->failed = 1;
			return;
		}
		h->buf = b;
		h->cap = cap;
	}
	memcpy(h->buf + h->len, s, n);
	h->len += n;
	h->buf[h->len] = '\0';
}

void html_raw(struct html *h, const char *s)
{
	if (s)
		put(h, s, strlen(s));
}

/* The length of the valid UTF-8 sequence at s (1 to 4), or 0 when the
 * bytes there are not one (bad lead, bad continuation, overlong,
 * surrogate, past U+10FFFF, cut by the NUL). */
static size_t utf8_len(const unsigned char *s)
{
	unsigned c = s[0];

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		return (s[1] & 0xC0) == 0x80 ? 2 : 0;
	if (c >= 0xE0 && c <= 0xEF) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
			return 0;
		if (c == 0xE0 && s[1] < 0xA0)
			return 0;	/* overlong */
		if (c == 0xED && s[1] >= 0xA0)
			return 0;	/* a surrogate */
		return 3;
	}
	if (c >= 0xF0 && c <= 0xF4) {
		if ((s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80)
			return 0;
		if (c == 0xF0 && s[1] < 0x90)
			return 0;	/* overlong */
		if (c == 0xF4 && s[1] >= 0x90)
			return 0;	/* past U+10FFFF */
		return 4;
	}
	return 0;
}

/* The entity of byte c in text (in_attr: newline and tab too), or NULL
 * when c is written as it is. */
static const char *entity(unsigned char c, int in_attr)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	case '\n':
		return in_attr ? "&#10;" : NULL;
	case '\t':
		return in_attr ? "&#9;" : NULL;
	default:
		return NULL;
	}
}

/* A write that failed half way is taken back whole: the page never ends
 * inside an entity or an escape. */
static void undo_if_failed(struct html *h, size_t len)
{
	if (h->failed && h->buf && len < h->cap) {
		h->len = len;
		h->buf[len] = '\0';
	}
}

static void escape(struct html *h, const char *str, int in_attr)
{
	const unsigned char *s = (const unsigned char *)str, *run;
	size_t n, start = h->len;
	const char *ent;

	if (!s || h->failed)
		return;
	run = s;
	while (*s) {
		/* printable ASCII without an entity, the most of any page: as it is */
		while (*s >= 0x20 && *s < 0x7F && *s != '&' && *s != '<' && *s != '>' &&
		       *s != '"' && *s != '\'')
			s++;
		if (!*s)
			break;
		ent = entity(*s, in_attr);
		n = ent ? 1 : utf8_len(s);
		if (!ent && n == 1 && *s < 0x20 && *s != '\n' && *s != '\t')
			n = 0;		/* a control character */
		if (!ent && n == 1 && *s == 0x7F)
			n = 0;
		if (!ent && n > 0) {
			s += n;
			continue;
		}
		put(h, (const char *)run, (size_t)(s - run));
		put(h, ent ? ent : REPLACEMENT, strlen(ent ? ent : REPLACEMENT));
		s++;
		run = s;
	}
	put(h, (const char *)run, (size_t)(s - run));
	undo_if_failed(h, start);
}

void html_txt(struct html *h, const char *s)
{
	escape(h, s, 0);
}

void html_attr(struct html *h, const char *s)
{
	escape(h, s, 1);
}

void html_url_arg(struct html *h, const char *str)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *s = (const unsigned char *)str;
	size_t start = h->len;
	char pct[3];

	if (!s || h->failed)
		return;
	for (; *s; s++) {
		if ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' || *s == '_' || *s == '~') {
			put(h, (const char *)s, 1);
			continue;
		}
		pct[0] = '%';
		pct[1] = hex[*s >> 4];
		pct[2] = hex[*s & 15];
		put(h, pct, 3);
	}
	undo_if_failed(h, start);
}

void html_num(struct html *h, long long n)
{
	char b[24];

	snprintf(b, sizeof b, "%lld", n);
	put(h, b, strlen(b));
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int html_form_decode(const char *src, size_t n, char *out, size_t cap)
{
	size_t i, o = 0;
	int hi, lo;
	char c;

	for (i = 0; i < n; i++) {
		c = src[i];
		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			if (i + 2 >= n)
				return -1;
			hi = hexval(src[i + 1]);
			lo = hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				return -1;
			c = (char)(hi * 16 + lo);
			i += 2;
		}
		if (c == '\0' || o + 1 >= cap)
			return -1;
		out[o++] = c;
	}
	if (cap == 0)
		return -1;
	out[o] = '\0';
	return 0;
}

void html_form_text(const char *form, size_t len, const char *name, int lines, char *out,
		    size_t cap)
{
	char *r, *w;

	if (html_form_get(form, len, name, out, cap) != 1) {
		out[0] = '\0';
		return;
	}
	for (r = w = out; *r; r++) {
		if (*r == '\r' && r[1] == '\n')
			continue;
		if (*r == '\t' || ((*r == '\r' || *r == '\n') && !lines))
			*w++ = ' ';
		else
			*w++ = *r == '\r' ? '\n' : *r;
	}
	*w = '\0';
}

int html_form_get(const char *form, size_t len, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name), i = 0, j, k;

	while (form && i < len) {
		for (j = i; j < len && form[j] != '&'; j++)
			;
		for (k = i; k < j && form[k] != '='; k++)
			;
		if (k - i == nl && !memcmp(form + i, name, nl)) {
			if (k == j)
				return html_form_decode("", 0, out, cap) ? -1 : 1;
			return html_form_decode(form + k + 1, j - k - 1, out, cap) ? -1 : 1;
		}
		i = j + 1;
	}
	return 0;
}
