/* po.c: a strict PO reader (the format of gettext's translation files).
 *
 * One pass over the lines, with a small state machine: between entries
 * (comments gather there), after a msgid, after a msgstr.  Every line is
 * first checked as text (UTF-8, no control character: text_check), then
 * dispatched on its first word.  Decoded strings go into one pool sized from
 * the input (a decoded string is never longer than its quoted source), the
 * entries into an array sized from the line count, so parsing allocates three
 * blocks and never grows one; the entries are sorted by key at the end, where
 * duplicates show up side by side.  Start reading at po_parse().
 *
 * The header entry (msgid "") must come first; only its Content-Type charset
 * (UTF-8) and Language fields are read.  Comments belong to the entry right
 * below them: a blank line drops the comments above it. */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "po.h"
#include "text.h"

struct po {
	struct po_entry *e;	/* n entries, sorted by key */
	size_t n;
	char *pool;		/* every key, value and note */
	char lang[16];		/* the header's Language: */
};

enum state {
	S_NONE,			/* between entries */
	S_ID,			/* after msgid (and its continuation lines) */
	S_STR			/* after msgstr (and its continuation lines) */
};

struct parser {
	struct po *po;
	size_t max_entries;
	struct po_error *err;
	size_t used, cap;	/* bytes of po->pool in use, and its size */
	int line;
	int have_header;
	enum state state;
	/* the entry being read */
	size_t start;		/* where its first string (note or key) begins in the pool */
	size_t note, key, value;	/* offsets in the pool; note is (size_t)-1 if none */
	unsigned flags;
	int id_line;
};

#define NO_NOTE ((size_t)-1)

/* Record an error at line (0: the whole file).  Returns HG_EINVAL. */
static int error_at(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;

	if (p->err) {
		p->err->line = line;
		va_start(ap, fmt);
		vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
		va_end(ap);
	}
	return HG_EINVAL;
}

/* Append one byte to the string being built; it stays NUL-terminated. */
static int put(struct parser *p, char c)
{
	if (p->used + 1 >= p->cap)
		return error_at(p, p->line, "internal: string pool full");
	p->po->pool[p->used - 1] = c;	/* over the NUL */
	p->po->pool[p->used++] = '\0';
	return HG_OK;
}

/* Start a new, empty string in the pool at *off. */
static int begin_string(struct parser *p, size_t *off)
{
	if (p->used >= p->cap)
		return error_at(p, p->line, "internal: string pool full");
	p->po->pool[p->used] = '\0';
	*off = p->used++;
	return HG_OK;
}

/* Decode the "..." string at s onto the current string. */
static int read_string(struct parser *p, const char *s)
{
	int result;

	if (*s != '"')
		return error_at(p, p->line, "expected a \"...\" string");
	for (s++; *s != '"'; s++) {
		char c = *s;

		if (c == '\0')
			return error_at(p, p->line, "missing closing quote");
		if (c == '\\') {
			s++;
			if (*s == 'n')
				c = '\n';
			else if (*s == '"' || *s == '\\')
				c = *s;
			else if (*s == '\0')
				return error_at(p, p->line, "missing closing quote");
			else if ((unsigned char)*s < 0x80)
				return error_at(p, p->line, "unknown escape \"\\%c\": only \\\", \\\\ and \\n",
					    *s);
			else
				return error_at(p, p->line, "unknown escape: only \\\", \\\\ and \\n");
		}
		result = put(p, c);
		if (result)
			return result;
	}
	for (s++; *s == ' '; s++)
		;
	if (*s)
		return error_at(p, p->line, "text after the closing quote");
	return HG_OK;
}

/* A keyword's string: at least one space, then "...". */
static int keyword_string(struct parser *p, const char *rest, const char *kw)
{
	if (*rest != ' ')
		return error_at(p, p->line, "expected a space and a \"...\" string after %s", kw);
	while (*rest == ' ')
		rest++;
	return read_string(p, rest);
}

/* Is s a key: [A-Za-z][A-Za-z0-9_.-]*, at most PO_KEY_MAX bytes? */
static int key_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > PO_KEY_MAX)
		return 0;
	if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'))
			return 0;
	return 1;
}

/* Case-insensitive ASCII comparison of n bytes. */
static int same_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char x = a[i], y = b[i];

		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return 0;
	}
	return 1;
}

/* Read the header's fields: "Name: value\n" lines. */
static int read_header(struct parser *p, const char *h)
{
	int have_type = 0, have_lang = 0;

	while (*h) {
		size_t n = strcspn(h, "\n");
		const char *v;

		if (n > 13 && strncmp(h, "Content-Type:", 13) == 0) {
			const char *cs = strstr(h, "charset=");
			size_t cn;

			if (!cs || cs >= h + n)
				return error_at(p, p->id_line, "the header's Content-Type has no charset");
			cs += 8;
			cn = (size_t)(h + n - cs);
			while (cn && cs[cn - 1] == ' ')
				cn--;
			if (cn != 5 || !same_ascii(cs, "utf-8", 5))
				return error_at(p, p->id_line, "the header's charset is \"%.*s\": only UTF-8 is read",
					    (int)(cn < 20 ? cn : 20), cs);
			have_type = 1;
		} else if (n > 9 && strncmp(h, "Language:", 9) == 0) {
			size_t vn;

			for (v = h + 9; *v == ' '; v++)
				;
			vn = (size_t)(h + n - v);
			while (vn && v[vn - 1] == ' ')
				vn--;
			if (vn == 0 || vn >= sizeof p->po->lang)
				return error_at(p, p->id_line, "the header's Language is empty or too long");
			memcpy(p->po->lang, v, vn);
			p->po->lang[vn] = '\0';
			have_lang = 1;
		}
		h += n;
		if (*h == '\n')
			h++;
	}
	if (!have_type)
		return error_at(p, p->id_line,
			    "the header has no \"Content-Type: text/plain; charset=UTF-8\"");
	if (!have_lang)
		return error_at(p, p->id_line, "the header has no \"Language:\" field");
	return HG_OK;
}

/* Drop the comments gathered for an entry that did not come. */
static void drop_pending(struct parser *p)
{
	if (p->note != NO_NOTE)
		p->used = p->start;
	p->note = NO_NOTE;
	p->flags = 0;
}

/* The entry read so far (state S_STR) is complete: keep it. */
static int finish(struct parser *p)
{
	const char *pool = p->po->pool;
	const char *key = pool + p->key;
	struct po_entry *e;
	int result;

	p->state = S_NONE;
	if (!*key) {
		if (p->have_header)
			return error_at(p, p->id_line, "a second header entry (msgid \"\")");
		result = read_header(p, pool + p->value);
		if (result)
			return result;
		p->have_header = 1;
		p->used = p->start;	/* nothing of it is kept but the language */
		p->note = NO_NOTE;
		p->flags = 0;
		return HG_OK;
	}
	if (!p->have_header)
		return error_at(p, p->id_line, "no header entry before the first msgid: start with "
			    "msgid \"\" and msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"");
	if (!key_ok(key))
		return error_at(p, p->id_line, "msgid \"%.60s\" is not a key: a letter, then letters, "
			    "digits, '_', '.' or '-' (at most %d)", key, PO_KEY_MAX);
	if (p->po->n >= p->max_entries)
		return error_at(p, p->id_line, "internal: too many entries");
	e = &p->po->e[p->po->n++];
	e->key = key;
	e->value = pool + p->value;
	e->note = p->note == NO_NOTE ? "" : pool + p->note;
	e->flags = p->flags;
	e->line = p->id_line;
	p->note = NO_NOTE;
	p->flags = 0;
	return HG_OK;
}

/* "#, fuzzy, same": the flags we know. */
static void read_flags(struct parser *p, const char *s)
{
	while (*s) {
		size_t n;

		while (*s == ' ' || *s == ',')
			s++;
		n = strcspn(s, " ,");
		if (n == 4 && strncmp(s, "same", 4) == 0)
			p->flags |= PO_SAME;
		else if (n == 5 && strncmp(s, "fuzzy", 5) == 0)
			p->flags |= PO_FUZZY;
		s += n;
	}
}

/* A "#." line: add its text to the entry's note. */
static int read_note(struct parser *p, const char *s)
{
	int result;

	if (*s == ' ')
		s++;
	if (p->note == NO_NOTE) {
		p->start = p->used;
		result = begin_string(p, &p->note);
	} else {
		result = put(p, '\n');
	}
	if (result)
		return result;
	for (; *s; s++) {
		result = put(p, *s);
		if (result)
			return result;
	}
	return HG_OK;
}

static int starts(const char *s, const char *word)
{
	return strncmp(s, word, strlen(word)) == 0;
}

/* One line, NUL-terminated, checked as text. */
static int read_line(struct parser *p, const char *s)
{
	int result;

	while (*s == ' ')
		s++;
	if (*s == '\0' || *s == '#') {
		if (p->state == S_ID)
			return error_at(p, p->line, "%s between msgid (line %d) and its msgstr",
				    *s ? "a comment" : "a blank line", p->id_line);
		if (p->state == S_STR) {
			result = finish(p);
			if (result)
				return result;
		}
		if (*s == '\0')
			drop_pending(p);
		else if (s[1] == ',')
			read_flags(p, s + 2);
		else if (s[1] == '.')
			return read_note(p, s + 2);
		return HG_OK;	/* "# ", "#:", "#|", "#~" and the like */
	}
	if (starts(s, "msgctxt"))
		return error_at(p, p->line, "msgctxt is not supported: make the key unique instead");
	if (starts(s, "msgid_plural") || starts(s, "msgstr["))
		return error_at(p, p->line, "plural forms are not supported: use one key per form");
	if (starts(s, "msgid")) {
		if (p->state == S_ID)
			return error_at(p, p->id_line, "msgid without msgstr");
		if (p->state == S_STR) {
			result = finish(p);
			if (result)
				return result;
		}
		if (p->note == NO_NOTE)
			p->start = p->used;
		p->state = S_ID;
		p->id_line = p->line;
		result = begin_string(p, &p->key);
		if (result)
			return result;
		return keyword_string(p, s + 5, "msgid");
	}
	if (starts(s, "msgstr")) {
		if (p->state == S_STR)
			return error_at(p, p->line, "a second msgstr for the msgid of line %d", p->id_line);
		if (p->state == S_NONE)
			return error_at(p, p->line, "msgstr without msgid");
		p->state = S_STR;
		result = begin_string(p, &p->value);
		if (result)
			return result;
		return keyword_string(p, s + 6, "msgstr");
	}
	if (*s == '"') {
		if (p->state == S_NONE)
			return error_at(p, p->line, "a \"...\" line outside an entry");
		return read_string(p, s);
	}
	return error_at(p, p->line, "expected msgid, msgstr, a \"...\" line or a # comment");
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct po_entry *)a)->key, ((const struct po_entry *)b)->key);
}

/* Sort the entries; two with the same key are then side by side. */
static int sort_entries(struct parser *p)
{
	struct po *po = p->po;

	qsort(po->e, po->n, sizeof po->e[0], by_key);
	for (size_t i = 1; i < po->n; i++) {
		const struct po_entry *a = &po->e[i - 1], *b = &po->e[i];

		if (strcmp(a->key, b->key) == 0) {
			int first = a->line < b->line ? a->line : b->line;
			int second = a->line < b->line ? b->line : a->line;

			return error_at(p, second, "duplicate msgid \"%.60s\" (first at line %d)",
				    a->key, first);
		}
	}
	return HG_OK;
}

/* Walk the lines of text: each is copied (at most PO_LINE_MAX bytes),
 * checked, then read. */
static int read_all(struct parser *p, const char *text, size_t len)
{
	char buf[PO_LINE_MAX + 1];
	size_t at = 0;
	int result;

	/* a UTF-8 byte order mark, as some editors write one */
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		at = 3;
	while (at < len) {
		const char *s = text + at;
		const char *nl = memchr(s, '\n', len - at);
		size_t n = nl ? (size_t)(nl - s) : len - at;
		enum text_fault f;

		at += n + (nl ? 1 : 0);
		if (p->line == INT_MAX)
			return error_at(p, 0, "too many lines");
		p->line++;
		if (n && s[n - 1] == '\r')	/* CRLF line ends */
			n--;
		if (n > PO_LINE_MAX)
			return error_at(p, p->line, "line longer than %d bytes: continue the string "
				    "on \"...\" lines", PO_LINE_MAX);
		if (memchr(s, '\0', n))
			return error_at(p, p->line, "a NUL byte");
		memcpy(buf, s, n);
		buf[n] = '\0';
		f = text_check(buf, INT_MAX, 0);
		if (f == TEXT_BAD_UTF8)
			return error_at(p, p->line, "not valid UTF-8 (save the file as UTF-8)");
		if (f == TEXT_FORMAT)
			return error_at(p, p->line, "a hidden formatting character (zero-width space, "
				    "right-to-left mark, U+FEFF ...): delete it");
		if (f != TEXT_OK && f != TEXT_INVISIBLE)
			return error_at(p, p->line, "a control character (a tab?): use spaces, and \\n "
				    "for a line break in a string");
		result = read_line(p, buf);
		if (result)
			return result;
	}
	if (p->state == S_ID)
		return error_at(p, p->id_line, "msgid without msgstr");
	if (p->state == S_STR) {
		result = finish(p);
		if (result)
			return result;
	}
	if (!p->have_header)
		return error_at(p, 1, "no header entry: start with msgid \"\" and "
			    "msgstr \"Content-Type: text/plain; charset=UTF-8\\n\"");
	return sort_entries(p);
}

int po_parse(const char *text, size_t len, struct po **out, struct po_error *err)
{
	struct parser p = {0};
	size_t lines = 1;
	int result;

	*out = NULL;
	if (err) {
		err->line = 0;
		err->msg[0] = '\0';
	}
	if (len > (size_t)PO_FILE_MAX) {
		if (err)
			snprintf(err->msg, sizeof err->msg, "larger than %ld bytes", PO_FILE_MAX);
		return HG_EINVAL;
	}
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	p.po = calloc(1, sizeof *p.po);
	if (!p.po)
		return HG_ENOMEM;
	/* an entry takes two lines at least; a string at least its quotes */
	p.max_entries = lines / 2 + 1;
	p.cap = len + 2;
	p.po->e = calloc(p.max_entries, sizeof p.po->e[0]);
	p.po->pool = malloc(p.cap);
	if (!p.po->e || !p.po->pool) {
		po_free(p.po);
		if (err)
			snprintf(err->msg, sizeof err->msg, "out of memory");
		return HG_ENOMEM;
	}
	p.err = err;
	p.note = NO_NOTE;
	result = read_all(&p, text, len);
	if (result) {
		po_free(p.po);
		return result;
	}
	*out = p.po;
	return HG_OK;
}

void po_free(struct po *po)
{
	if (!po)
		return;
	free(po->e);
	free(po->pool);
	free(po);
}

const struct po_entry *po_find(const struct po *po, const char *key)
{
	size_t lo = 0, hi;

	if (!po || !key)
		return NULL;
	hi = po->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(key, po->e[mid].key);

		if (c == 0)
			return &po->e[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *po_get(const struct po *po, const char *key)
{
	const struct po_entry *e = po_find(po, key);

	return e ? e->value : NULL;
}

size_t po_count(const struct po *po)
{
	return po ? po->n : 0;
}

const struct po_entry *po_at(const struct po *po, size_t i)
{
	return po && i < po->n ? &po->e[i] : NULL;
}

const char *po_language(const struct po *po)
{
	return po ? po->lang : "";
}
