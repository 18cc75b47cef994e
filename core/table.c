/* table.c: rows of text printed as an aligned table, CSV or JSON.
 *
 * A table is a header of column names and a growing array of rows, each row
 * ncols copies of its cells in one allocation of its own (NULL stays NULL:
 * a database NULL; one malloc a row, not a cell: a CSV export of a million
 * loads made 23 million before).  The
 * array doubles as it fills and stops at TABLE_MAX_ROWS.  table_render() is
 * the only output, handed in pieces to the caller's writer (a FILE for the
 * CLI, host/table_print.c; a buffer for a web page): TEXT pads by display width (code points) and shows any
 * control character or broken UTF-8 as '?', so a cell cannot move the
 * terminal's cursor; CSV follows RFC 4180 (CRLF, quotes doubled) and puts a
 * ' in front of any cell a spreadsheet would run as a formula (csv_field());
 * JSON is an array of objects with every string escaped and broken UTF-8
 * replaced by U+FFFD, so the output always parses and stays exact.
 *
 * Start reading at table_add(), then table_render(). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "text.h"

/* Where the output goes: a buffer handed to the writer when full and at
 * the end; after the writer's first failure nothing more is written. */
struct sink {
	table_write_fn *fn;
	void *ctx;
	int rc;			/* the writer's first failure, or HG_OK */
	size_t n;
	char buf[4096];
};

static void flush(struct sink *out)
{
	if (out->n && out->rc == HG_OK)
		out->rc = out->fn(out->ctx, out->buf, out->n);
	out->n = 0;
}

static void put_n(struct sink *out, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		size_t room = sizeof out->buf - out->n, part = n < room ? n : room;

		memcpy(out->buf + out->n, c, part);
		out->n += part;
		c += part;
		n -= part;
		if (out->n == sizeof out->buf)
			flush(out);
	}
}

static void put_s(struct sink *out, const char *s)
{
	put_n(out, s, strlen(s));
}

static void put_c(struct sink *out, char c)
{
	if (out->n < sizeof out->buf - 1)	/* room, and still room after it */
		out->buf[out->n++] = c;
	else
		put_n(out, &c, 1);
}

/* A JSON \uXXXX escape. */
static void put_u(struct sink *out, unsigned long cp)
{
	char e[8];

	snprintf(e, sizeof e, "\\u%04lx", cp & 0xffff);
	put_s(out, e);
}

struct table {
	int ncols;
	char *cols[TABLE_MAX_COLS];
	unsigned char numeric[TABLE_MAX_COLS];
	int nrows;
	int cap;		/* rows allocated */
	char **cells;		/* nrows * ncols, row-major, into mem[row] */
	char **mem;		/* nrows: each row's cells' bytes, one block */
};

static char *dup_or_null(const char *s)
{
	size_t n;
	char *d;

	if (!s)
		return NULL;
	n = strlen(s) + 1;
	d = malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* A new table of 1..TABLE_MAX_COLS columns; NULL names become "". */
struct table *table_new(int ncols, const char *const *cols)
{
	struct table *t;

	if (ncols < 1 || ncols > TABLE_MAX_COLS || !cols)
		return NULL;
	t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ncols = ncols;
	for (int i = 0; i < ncols; i++) {
		t->cols[i] = dup_or_null(cols[i] ? cols[i] : "");
		if (!t->cols[i]) {
			table_free(t);
			return NULL;
		}
	}
	return t;
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (int r = 0; r < t->nrows; r++)
		free(t->mem[r]);
	free(t->mem);
	free(t->cells);
	for (int i = 0; i < t->ncols; i++)
		free(t->cols[i]);
	free(t);
}

/* Make room for one more row: double, capped at TABLE_MAX_ROWS. */
static int grow(struct table *t)
{
	long want;
	char **cells, **mem;

	if (t->nrows < t->cap)
		return HG_OK;
	if (t->nrows >= TABLE_MAX_ROWS)
		return HG_ENOMEM;
	want = t->cap ? (long)t->cap * 2 : 64;
	if (want > TABLE_MAX_ROWS)
		want = TABLE_MAX_ROWS;
	cells = realloc(t->cells, (size_t)want * (size_t)t->ncols * sizeof *cells);
	if (!cells)
		return HG_ENOMEM;
	t->cells = cells;
	mem = realloc(t->mem, (size_t)want * sizeof *mem);
	if (!mem)
		return HG_ENOMEM;
	t->mem = mem;
	t->cap = (int)want;
	return HG_OK;
}

/* Copy a row in; on failure nothing of it stays. */
int table_add(struct table *t, const char *const *cells)
{
	char **row;
	int r;
	size_t len[TABLE_MAX_COLS], total = 1;
	char *p;

	if (!t || !cells)
		return HG_EINVAL;
	r = grow(t);
	if (r)
		return r;
	for (int c = 0; c < t->ncols; c++) {
		len[c] = cells[c] ? strlen(cells[c]) + 1 : 0;
		total += len[c];
	}
	p = malloc(total);
	if (!p)
		return HG_ENOMEM;
	t->mem[t->nrows] = p;
	row = t->cells + (size_t)t->nrows * (size_t)t->ncols;
	for (int c = 0; c < t->ncols; c++) {
		row[c] = cells[c] ? memcpy(p, cells[c], len[c]) : NULL;
		p += len[c];
	}
	t->nrows++;
	return HG_OK;
}

int table_rows(const struct table *t)
{
	return t ? t->nrows : 0;
}

int table_cols(const struct table *t)
{
	return t ? t->ncols : 0;
}

/* The cell, or NULL for a NULL cell or a row/column out of range. */
const char *table_cell(const struct table *t, int row, int col)
{
	if (!t || row < 0 || row >= t->nrows || col < 0 || col >= t->ncols)
		return NULL;
	return t->cells[(size_t)row * (size_t)t->ncols + (size_t)col];
}

const char *table_col(const struct table *t, int col)
{
	if (!t || col < 0 || col >= t->ncols)
		return NULL;
	return t->cols[col];
}

void table_numeric(struct table *t, int col)
{
	if (t && col >= 0 && col < t->ncols)
		t->numeric[col] = 1;
}

/* One code point at s, as text_utf8_next(). */
static int utf8_step(const unsigned char *s, unsigned long *cp)
{
	uint32_t c = 0;
	int n = text_utf8_next((const char *)s, &c);

	*cp = c;
	return n;
}

static int is_control(unsigned long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* Display width of a cell as TEXT prints it: one per code point, one per
 * byte that is not valid UTF-8 (printed as '?'). */
static size_t text_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t w = 0;

	while (*p) {
		unsigned long cp;
		int n = utf8_step(p, &cp);

		p += n > 0 ? n : 1;
		w++;
	}
	return w;
}

/* Write a cell for a terminal: control characters and broken UTF-8 as '?'. */
static void put_safe(const char *s, struct sink *out)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		unsigned long cp;
		int n = utf8_step(p, &cp);

		if (n < 0 || is_control(cp)) {
			put_c(out, '?');
			p += n > 0 ? n : 1;
			continue;
		}
		put_n(out, p, (size_t)n);
		p += n;
	}
}

static void pad(size_t n, struct sink *out)
{
	while (n-- > 0)
		put_c(out, ' ');
}

/* One line of the aligned table; the last left-aligned cell is not padded, so
 * lines carry no trailing spaces. */
static void text_line(const struct table *t, const char *const *cells, const size_t *w,
		      struct sink *out)
{
	for (int c = 0; c < t->ncols; c++) {
		size_t cw = text_width(cells[c]);
		size_t gap = w[c] > cw ? w[c] - cw : 0;

		if (c > 0)
			put_s(out, "  ");
		if (t->numeric[c])
			pad(gap, out);
		put_safe(cells[c], out);
		if (!t->numeric[c] && c + 1 < t->ncols)
			pad(gap, out);
	}
	put_c(out, '\n');
}

static void print_text(const struct table *t, struct sink *out)
{
	size_t w[TABLE_MAX_COLS];

	for (int c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->cols[c]);
		for (int r = 0; r < t->nrows; r++) {
			size_t cw = text_width(table_cell(t, r, c));

			if (cw > w[c])
				w[c] = cw;
		}
	}
	text_line(t, (const char *const *)t->cols, w, out);
	for (int c = 0; c < t->ncols; c++) {
		if (c > 0)
			put_s(out, "  ");
		for (size_t i = 0; i < w[c]; i++)
			put_c(out, '-');
	}
	put_c(out, '\n');
	for (int r = 0; r < t->nrows; r++)
		text_line(t, (const char *const *)(t->cells + (size_t)r * (size_t)t->ncols), w,
			  out);
}

static int json_number(const char *s);

/* Would a spreadsheet take the cell for a formula?  OWASP's CSV injection
 * rule: it starts with '=', '+', '-', '@', tab or CR.  A number in a numeric
 * column ("-12", "-1.5e3") is left a number: the program wrote it. */
static int csv_formula(const char *s, int numeric)
{
	if (!s[0] || !strchr("=+-@\t\r", s[0]))
		return 0;
	return !(numeric && json_number(s));
}

/* RFC 4180: a field with a comma, quote, CR or LF (or a space at either end,
 * which some readers strip) goes in double quotes, its quotes doubled.  A
 * cell a spreadsheet would run as a formula is quoted with a ' in front
 * ("'=HYPERLINK(...)"), which makes it text in Excel, LibreOffice and
 * Google Sheets. */
static void csv_field(const char *s, int numeric, struct sink *out)
{
	int formula;
	size_t n, plain;

	if (!s)
		return;
	plain = strcspn(s, ",\"\r\n");	/* one pass: where quoting starts, or the length */
	n = plain + strlen(s + plain);
	formula = csv_formula(s, numeric);
	if (!formula && plain == n && (n == 0 || (s[0] != ' ' && s[n - 1] != ' '))) {
		put_n(out, s, n);
		return;
	}
	put_c(out, '"');
	if (formula)
		put_c(out, '\'');
	for (const char *p = s, *q; *p; p = q + 1) {	/* each run up to a quote, doubled */
		q = strchr(p, '"');
		if (!q) {
			put_n(out, p, strlen(p));
			break;
		}
		put_n(out, p, (size_t)(q - p) + 1);
		put_c(out, '"');
	}
	put_c(out, '"');
}

/* One record; header names are text, so a name is never left a formula. */
static void csv_line(const struct table *t, char *const *cells, int header, struct sink *out)
{
	for (int c = 0; c < t->ncols; c++) {
		if (c > 0)
			put_c(out, ',');
		csv_field(cells[c], !header && t->numeric[c], out);
	}
	put_n(out, "\r\n", 2);
}

static void print_csv(const struct table *t, int header, struct sink *out)
{
	if (header)
		csv_line(t, t->cols, 1, out);
	for (int r = 0; r < t->nrows; r++)
		csv_line(t, t->cells + (size_t)r * (size_t)t->ncols, 0, out);
}

/* Is s a JSON number as RFC 8259 spells it? -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number(const char *s)
{
	const char *p = s;

	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else if (*p >= '1' && *p <= '9')
		while (*p >= '0' && *p <= '9')
			p++;
	else
		return 0;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (*p < '0' || *p > '9')
			return 0;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	return *p == '\0';
}

/* A JSON string: quotes, backslash and C0 escaped; DEL, C1, U+2028/U+2029
 * escaped too (harmless, and safe inside a <script>); broken UTF-8 bytes each
 * become U+FFFD. */
static void json_string(const char *s, struct sink *out)
{
	const unsigned char *p = (const unsigned char *)s;

	put_c(out, '"');
	while (*p) {
		unsigned long cp;
		int n = utf8_step(p, &cp);

		if (n < 0) {
			put_s(out, "\\ufffd");
			p++;
			continue;
		}
		switch (cp) {
		case '"':
			put_s(out, "\\\"");
			break;
		case '\\':
			put_s(out, "\\\\");
			break;
		case '\n':
			put_s(out, "\\n");
			break;
		case '\r':
			put_s(out, "\\r");
			break;
		case '\t':
			put_s(out, "\\t");
			break;
		case '\b':
			put_s(out, "\\b");
			break;
		case '\f':
			put_s(out, "\\f");
			break;
		default:
			if (is_control(cp) || cp == 0x2028 || cp == 0x2029)
				put_u(out, cp);
			else
				put_n(out, p, (size_t)n);
		}
		p += n;
	}
	put_c(out, '"');
}

static void print_json(const struct table *t, struct sink *out)
{
	if (t->nrows == 0) {
		put_s(out, "[]\n");
		return;
	}
	put_s(out, "[\n");
	for (int r = 0; r < t->nrows; r++) {
		put_s(out, "  {");
		for (int c = 0; c < t->ncols; c++) {
			const char *v = table_cell(t, r, c);

			if (c > 0)
				put_s(out, ", ");
			json_string(t->cols[c], out);
			put_s(out, ": ");
			if (!v)
				put_s(out, "null");
			else if (t->numeric[c] && json_number(v))
				put_s(out, v);
			else
				json_string(v, out);
		}
		put_s(out, r + 1 < t->nrows ? "},\n" : "}\n");
	}
	put_s(out, "]\n");
}

/* Render in the format asked for; a NULL table renders nothing. */
int table_render(const struct table *t, enum table_fmt fmt, table_write_fn *fn, void *ctx)
{
	struct sink *out;
	int rc;

	if (!t || !fn)
		return t ? HG_EINVAL : HG_OK;
	out = malloc(sizeof *out);
	if (!out)
		return HG_ENOMEM;
	out->fn = fn;
	out->ctx = ctx;
	out->rc = HG_OK;
	out->n = 0;
	switch (fmt) {
	case TABLE_CSV:
	case TABLE_CSV_BODY:
		print_csv(t, fmt == TABLE_CSV, out);
		break;
	case TABLE_JSON:
		print_json(t, out);
		break;
	case TABLE_TEXT:
	default:
		print_text(t, out);
		break;
	}
	flush(out);
	rc = out->rc;
	free(out);
	return rc;
}
