/* html.h: the one module that writes HTML text, attributes and URLs.
 *
 * The plant's pages (potw/page_*.c, one file per page, as cgit has them)
 * build their answer in a struct html, a growing buffer with a hard cap.
 * Markup the program itself spells goes in through html_raw() (a literal
 * of the page's source, never data); everything else (a station's name, a
 * login, a message of the catalogue, a number) goes through the escaping
 * writers below, so text a hauler or an admin typed can never become
 * markup: html_txt() for text between tags, html_attr() for an attribute's
 * value inside "...", html_url_arg() for a part of a URL's query or path.
 * Bytes that are not UTF-8, and control characters other than tab and
 * newline, are written as U+FFFD.  A writer that would pass the cap, or
 * cannot grow the buffer, marks the buffer failed: every later write is
 * dropped and html_failed() says so, so a page checks once at its end. */
#ifndef POTW_HTML_H
#define POTW_HTML_H

#include <stddef.h>

#define HTML_MAX (4 * 1024 * 1024)	/* bytes of one page, at most */

struct html {
	char *buf;		/* NUL-terminated while not failed; the caller frees */
	size_t len, cap, max;
	int failed;		/* 1: past max or out of memory */
};

/* An empty buffer of at most max bytes (0: HTML_MAX). */
void html_init(struct html *h, size_t max);
/* Free the buffer (h may be reused after html_init()). */
void html_free(struct html *h);
/* 1 when a write was dropped (past the cap, or out of memory). */
int html_failed(const struct html *h);

/* s as it is: markup that the program's own source spells, never data. */
void html_raw(struct html *h, const char *s);
/* s as text between tags: & < > " ' escaped, bad UTF-8 and control
 * characters (not tab, newline) as U+FFFD. */
void html_txt(struct html *h, const char *s);
/* s as the value of an attribute written inside double quotes: as
 * html_txt(), newlines and tabs escaped too. */
void html_attr(struct html *h, const char *s);
/* s as one part of a URL (a query value, a path segment): every byte but
 * the unreserved A-Z a-z 0-9 - . _ ~ percent-encoded, so the result is
 * also safe in an attribute and as text. */
void html_url_arg(struct html *h, const char *s);
/* n in decimal. */
void html_num(struct html *h, long long n);

/* Decode a percent-encoded form value (application/x-www-form-urlencoded:
 * '+' is a space) of src[0..n) into out[cap].  0, or -1 when it does not
 * fit or holds a bad escape or a NUL. */
int html_form_decode(const char *src, size_t n, char *out, size_t cap);
/* The value of name in a form body or query (a=1&b=2) decoded into
 * out[cap]: 1 found, 0 not there, -1 bad (as html_form_decode()). */
int html_form_get(const char *form, size_t len, const char *name, char *out, size_t cap);
/* A text field of a form into out[cap]: "" when missing or bad.  With
 * lines, its line breaks are kept as LF (a textarea sends CRLF); without,
 * they become spaces (a one-line field).  Tabs become spaces. */
void html_form_text(const char *form, size_t len, const char *name, int lines, char *out,
		    size_t cap);

#endif
