/* table.h: rows of text for listings, printed as an aligned table, CSV or JSON.
 *
 * The store fills a table from a query; the CLI prints it in the format the
 * user asked for (host/table_print.h), a web page takes it as text.  A table owns copies of its cells; it grows up to
 * TABLE_MAX_ROWS rows and refuses more (HG_ENOMEM) rather than eating memory. */
#ifndef TABLE_H
#define TABLE_H

#include <stddef.h>
#include "hg.h"

#define TABLE_MAX_COLS 32
#define TABLE_MAX_ROWS 5000000

enum table_fmt {
	TABLE_TEXT = 0,
	TABLE_CSV,
	TABLE_JSON,
	TABLE_CSV_BODY		/* CSV without its header line: the rows of a CSV written
				 * a chunk at a time (the plant's /loads.csv) */
};

struct table;

/* New empty table with ncols columns named by cols (copied). NULL on ENOMEM. */
struct table *table_new(int ncols, const char *const *cols);
void table_free(struct table *t);

/* Add a row of ncols cells (copied; NULL cells print as empty / null).
 * Returns HG_OK or HG_ENOMEM. */
int table_add(struct table *t, const char *const *cells);

int table_rows(const struct table *t);
int table_cols(const struct table *t);
const char *table_cell(const struct table *t, int row, int col);
const char *table_col(const struct table *t, int col);

/* Mark a column as numeric: JSON prints it unquoted, text right-aligns it,
 * CSV leaves a negative number in it a number (not neutralised, below). */
void table_numeric(struct table *t, int col);

/* Where table_render() hands its output, in pieces: HG_OK, or an error
 * that stops the rendering and is returned by it. */
typedef int table_write_fn(void *ctx, const char *p, size_t n);

/* Render t, handing the text to fn(ctx, ...).  TEXT: header, then aligned
 * columns (by display width of UTF-8); CSV: RFC 4180 quoting, and a cell
 * starting with = + - @ tab or CR (a formula to a spreadsheet) quoted behind
 * a ' (OWASP), except a number in a numeric column; JSON: an array of
 * objects, every value exact.  HG_OK, HG_ENOMEM or fn's first error. */
int table_render(const struct table *t, enum table_fmt fmt, table_write_fn *fn, void *ctx);

#endif
