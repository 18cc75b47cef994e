/* test_table.c: unit tests of core/table.c.
 *
 * Each format is printed into memory (open_memstream) and compared byte for
 * byte; the JSON is also parsed back with cJSON.  The row cap is checked for
 * real: five million NULL-cell rows cost only the pointer array. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#include "../../core/table.h"
#include "../../host/table_print.h"

/* Print t in fmt; the caller frees the text. */
static char *render(const struct table *t, enum table_fmt fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	table_print(t, fmt, f);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static struct table *sample(void)
{
	static const char *const cols[] = { "id", "name", "gallons" };
	static const char *const rows[][3] = {
		{ "1", "Ana", "3000" },
		{ "12", "Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1""ez", "15" },	/* wide in bytes, 10 chars */
		{ "3", NULL, "7" },						/* a NULL cell */
	};
	struct table *t = table_new(3, cols);

	assert_non_null(t);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		assert_int_equal(table_add(t, rows[i]), HG_OK);
	table_numeric(t, 0);
	table_numeric(t, 2);
	return t;
}

static void test_basics(void **state)
{
	static const char *const cols[] = { "a", NULL };
	static const char *const row[] = { "x", NULL };
	struct table *t;

	(void)state;
	/* column counts out of range */
	assert_null(table_new(0, cols));
	assert_null(table_new(TABLE_MAX_COLS + 1, cols));
	assert_null(table_new(1, NULL));

	t = table_new(2, cols);
	assert_non_null(t);
	assert_int_equal(table_cols(t), 2);
	assert_int_equal(table_rows(t), 0);
	assert_string_equal(table_col(t, 0), "a");
	assert_string_equal(table_col(t, 1), "");	/* NULL name becomes "" */
	assert_null(table_col(t, 2));
	assert_int_equal(table_add(t, row), HG_OK);
	assert_string_equal(table_cell(t, 0, 0), "x");
	assert_null(table_cell(t, 0, 1));		/* NULL cell stays NULL */
	assert_null(table_cell(t, 1, 0));		/* row out of range */
	assert_null(table_cell(t, 0, -1));		/* column out of range */
	assert_int_equal(table_add(t, NULL), HG_EINVAL);
	table_numeric(t, 99);				/* ignored */
	table_free(t);
	table_free(NULL);				/* harmless */
}

/* The cells are copies: changing the caller's buffer changes nothing. */
static void test_copies(void **state)
{
	static const char *const cols[] = { "c" };
	char cell[8] = "before";
	const char *row[] = { cell };
	struct table *t = table_new(1, cols);

	(void)state;
	assert_non_null(t);
	assert_int_equal(table_add(t, row), HG_OK);
	memcpy(cell, "after", 6);
	assert_string_equal(table_cell(t, 0, 0), "before");
	table_free(t);
}

static void test_text(void **state)
{
	struct table *t = sample();
	char *out = render(t, TABLE_TEXT);

	(void)state;
	/* numeric columns right-aligned, names left, widths in characters,
	 * no trailing spaces */
	assert_string_equal(out,
			    "id  name        gallons\n"
			    "--  ----------  -------\n"
			    " 1  Ana            3000\n"
			    "12  Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1""ez       15\n"
			    " 3                    7\n");
	free(out);
	table_free(t);
}

/* Control characters and broken UTF-8 cannot reach the terminal. */
static void test_text_unsafe(void **state)
{
	static const char *const cols[] = { "v", "w" };
	static const char *const rows[][2] = {
		{ "a\x1b[2Jb", "x" },		/* ANSI clear screen */
		{ "\xff\xfe", "y" },		/* broken UTF-8 */
		{ "tab\there", "z" },		/* a tab would break the columns */
	};
	struct table *t = table_new(2, cols);
	char *out;

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		assert_int_equal(table_add(t, rows[i]), HG_OK);
	out = render(t, TABLE_TEXT);
	assert_string_equal(out,
			    "v         w\n"
			    "--------  -\n"
			    "a?[2Jb    x\n"
			    "??        y\n"
			    "tab?here  z\n");
	free(out);
	table_free(t);
}

static void test_csv(void **state)
{
	static const char *const cols[] = { "name", "note" };
	static const char *const rows[][2] = {
		{ "plain", "a,b" },			/* comma: quoted */
		{ "say \"hi\"", "line1\nline2" },	/* quotes doubled; newline quoted */
		{ " padded", NULL },			/* leading space quoted; NULL empty */
		{ "", "cr\r" },				/* empty stays empty; CR quoted */
	};
	struct table *t = table_new(2, cols);
	char *out;

	(void)state;
	assert_non_null(t);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		assert_int_equal(table_add(t, rows[i]), HG_OK);
	out = render(t, TABLE_CSV);
	assert_string_equal(out,
			    "name,note\r\n"
			    "plain,\"a,b\"\r\n"
			    "\"say \"\"hi\"\"\",\"line1\nline2\"\r\n"
			    "\" padded\",\r\n"
			    ",\"cr\r\"\r\n");
	free(out);
	table_free(t);
}

/* The CSV's bytes where the writer takes its short cuts: a quote first,
 * last or alone, UTF-8 beside a comma, a trailing space, and cells longer
 * than the writer's 4096-byte buffer (plain, and quoted with quotes
 * inside), each compared with quoting done the slow way. */
static void test_csv_bytes(void **state)
{
	static const char *const cols[] = { "a", "b", "c" };
	static const char *const rows[][3] = {
		{ "\"", "\"x", "x\"" },			/* a quote alone, first, last */
		{ "Pe\xC3\xB1" "a, Jos\xC3\xA9", "\xE2\x82\xAC" "5", "tail " },	/* UTF-8 kept; a trailing space quoted */
	};
	char *big = malloc(9001), *quoted = malloc(9001), *want = malloc(40000), *out;
	struct table *t = table_new(3, cols);
	const char *row[3];
	size_t n = 0;

	(void)state;
	assert_non_null(t);
	assert_non_null(big);
	assert_non_null(quoted);
	assert_non_null(want);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		assert_int_equal(table_add(t, rows[i]), HG_OK);
	for (int i = 0; i < 9000; i++) {
		big[i] = (char)('a' + i % 26);
		quoted[i] = i % 997 == 3 ? '"' : (char)('a' + i % 26);
	}
	big[9000] = quoted[9000] = '\0';
	row[0] = big;
	row[1] = quoted;
	row[2] = "=1+1";		/* a formula after them */
	assert_int_equal(table_add(t, row), HG_OK);
	n += (size_t)snprintf(want + n, 40000 - n, "a,b,c\r\n\"\"\"\",\"\"\"x\",\"x\"\"\"\r\n"
			      "\"Pe\xC3\xB1" "a, Jos\xC3\xA9\",\xE2\x82\xAC" "5,\"tail \"\r\n%s,\"", big);
	for (const char *p = quoted; *p; p++) {
		if (*p == '"')
			want[n++] = '"';
		want[n++] = *p;
	}
	snprintf(want + n, 40000 - n, "\",\"'=1+1\"\r\n");
	out = render(t, TABLE_CSV);
	assert_string_equal(out, want);
	free(out);
	free(want);
	free(quoted);
	free(big);
	table_free(t);
}

/* CSV injection (OWASP): a cell a spreadsheet would run as a formula gets a '
 * in front and quotes; a number in a numeric column stays a number; JSON
 * stays exact. */
static void test_csv_formula(void **state)
{
	static const char *const cols[] = { "text", "n" };
	static const struct {
		const char *text, *n;
		const char *want;	/* the CSV record printed for the row */
	} rows[] = {
		/* each leading character a spreadsheet reads as a formula */
		{ "=HYPERLINK(\"http://x\",\"y\")", "1",
		  "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",1\r\n" },
		{ "+1+1", "2", "\"'+1+1\",2\r\n" },
		{ "-2+3", "3", "\"'-2+3\",3\r\n" },
		{ "@SUM(A1)", "4", "\"'@SUM(A1)\",4\r\n" },
		{ "\t=1", "5", "\"'\t=1\",5\r\n" },
		{ "\r=1", "6", "\"'\r=1\",6\r\n" },
		/* a harmless cell is unchanged, even with = or - later on */
		{ "Lee Walker", "7", "Lee Walker,7\r\n" },
		{ "a=b-c", "8", "a=b-c,8\r\n" },
		/* quotes and a newline with a formula: one valid quoted field */
		{ "=\"a\"\n+b", "9", "\"'=\"\"a\"\"\n+b\",9\r\n" },
		/* a negative number in a numeric column stays a number... */
		{ "x", "-12", "x,-12\r\n" },
		{ "x", "-1.5e3", "x,-1.5e3\r\n" },
		/* ...but what is not a number there is neutralised */
		{ "x", "-1+cmd", "x,\"'-1+cmd\"\r\n" },
		{ "x", "=1", "x,\"'=1\"\r\n" },
		/* a negative number in a text column is text: neutralised */
		{ "-12", "10", "\"'-12\",10\r\n" },
		/* an empty cell and a NULL stay empty */
		{ "", NULL, ",\r\n" },
	};
	struct table *t = table_new(2, cols);
	char *out, *rec;
	cJSON *doc;

	(void)state;
	assert_non_null(t);
	table_numeric(t, 1);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const char *cells[2] = { rows[i].text, rows[i].n };

		assert_int_equal(table_add(t, cells), HG_OK);
	}
	out = render(t, TABLE_CSV);
	rec = out;
	assert_memory_equal(rec, "text,n\r\n", 8);
	rec += 8;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		size_t n = strlen(rows[i].want);

		if (strncmp(rec, rows[i].want, n) != 0)
			fail_msg("row %zu: got %.*s", i, (int)n, rec);
		rec += n;
	}
	assert_string_equal(rec, "");
	free(out);

	/* JSON carries each cell exactly as it was given */
	out = render(t, TABLE_JSON);
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		cJSON *o = cJSON_GetArrayItem(doc, (int)i);

		assert_string_equal(cJSON_GetObjectItem(o, "text")->valuestring, rows[i].text);
	}
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 9), "n")));
	cJSON_Delete(doc);
	free(out);
	table_free(t);
}

/* A header is text too: a column name is never left a formula. */
static void test_csv_formula_header(void **state)
{
	static const char *const cols[] = { "=cmd", "-n" };
	struct table *t = table_new(2, cols);
	char *out;

	(void)state;
	assert_non_null(t);
	table_numeric(t, 1);
	out = render(t, TABLE_CSV);
	assert_string_equal(out, "\"'=cmd\",\"'-n\"\r\n");
	free(out);
	table_free(t);
}

/* TABLE_CSV_BODY: the same records without the header line, so a CSV
 * written a chunk at a time is one CSV (the plant's /loads.csv). */
static void test_csv_body(void **state)
{
	static const char *const cols[] = { "a", "b" };
	static const char *const r1[] = { "=1+1", "x,y" };
	struct table *t = table_new(2, cols);
	char *all, *body;

	(void)state;
	assert_non_null(t);
	assert_int_equal(table_add(t, r1), HG_OK);
	all = render(t, TABLE_CSV);
	body = render(t, TABLE_CSV_BODY);
	assert_string_equal(all, "a,b\r\n\"'=1+1\",\"x,y\"\r\n");
	assert_string_equal(body, all + strlen("a,b\r\n"));
	free(all);
	free(body);
	table_free(t);
}

static void test_json(void **state)
{
	static const char *const cols[] = { "n", "s" };
	static const struct {
		const char *n, *s;
		const char *want;	/* the line printed for the row */
	} rows[] = {
		/* a number, a plain string */
		{ "3000", "ok", "  {\"n\": 3000, \"s\": \"ok\"}" },
		/* negative with fraction and exponent: still a number */
		{ "-1.5e3", "q\"b\\", "  {\"n\": -1.5e3, \"s\": \"q\\\"b\\\\\"}" },
		/* not JSON numbers: quoted */
		{ "01", "a\nb\tc", "  {\"n\": \"01\", \"s\": \"a\\nb\\tc\"}" },
		{ "12a", "\x01\x7f", "  {\"n\": \"12a\", \"s\": \"\\u0001\\u007f\"}" },
		{ "1.", "\xff", "  {\"n\": \"1.\", \"s\": \"\\ufffd\"}" },
		/* NULL cells are null */
		{ NULL, NULL, "  {\"n\": null, \"s\": null}" },
		/* UTF-8 passes through */
		{ "0", "\xc3\xb1", "  {\"n\": 0, \"s\": \"\xc3\xb1\"}" },
	};
	struct table *t = table_new(2, cols);
	char *out, *line;
	cJSON *doc;

	(void)state;
	assert_non_null(t);
	table_numeric(t, 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		const char *cells[2] = { rows[i].n, rows[i].s };

		assert_int_equal(table_add(t, cells), HG_OK);
	}
	out = render(t, TABLE_JSON);
	line = out;
	assert_memory_equal(line, "[\n", 2);
	line += 2;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		size_t n = strlen(rows[i].want);

		if (strncmp(line, rows[i].want, n) != 0)
			fail_msg("row %zu: got %.*s", i, (int)strcspn(line, "\n"), line);
		line += n;
		line += strspn(line, ",\n");
	}
	assert_string_equal(line, "]\n");

	/* and it parses */
	doc = cJSON_Parse(out);
	assert_non_null(doc);
	assert_int_equal(cJSON_GetArraySize(doc), (int)HG_ARRAY_LEN(rows));
	assert_true(cJSON_IsNumber(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 0), "n")));
	assert_true(cJSON_IsNull(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 5), "s")));
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(doc, 2), "s")->valuestring,
			    "a\nb\tc");
	cJSON_Delete(doc);
	free(out);
	table_free(t);
}

static void test_empty(void **state)
{
	static const char *const cols[] = { "a", "b" };
	struct table *t = table_new(2, cols);
	char *out;

	(void)state;
	assert_non_null(t);
	out = render(t, TABLE_JSON);
	assert_string_equal(out, "[]\n");		/* no rows: an empty array */
	free(out);
	out = render(t, TABLE_CSV);
	assert_string_equal(out, "a,b\r\n");		/* header only */
	free(out);
	out = render(t, TABLE_TEXT);
	assert_string_equal(out, "a  b\n-  -\n");	/* header and rule */
	free(out);
	table_free(t);
}

/* Growth past the first allocation keeps every cell. */
static void test_growth(void **state)
{
	static const char *const cols[] = { "i" };
	struct table *t = table_new(1, cols);

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < 100000; i++) {
		char num[16];
		const char *row[] = { num };

		snprintf(num, sizeof num, "%d", i);
		assert_int_equal(table_add(t, row), HG_OK);
	}
	assert_int_equal(table_rows(t), 100000);
	assert_string_equal(table_cell(t, 0, 0), "0");
	assert_string_equal(table_cell(t, 99999, 0), "99999");
	table_free(t);
}

/* The hard cap: TABLE_MAX_ROWS rows, then HG_ENOMEM, and the table intact. */
static void test_cap(void **state)
{
	static const char *const cols[] = { "i" };
	const char *row[] = { NULL };
	struct table *t = table_new(1, cols);

	(void)state;
	assert_non_null(t);
	for (int i = 0; i < TABLE_MAX_ROWS; i++)
		if (table_add(t, row) != HG_OK)
			fail_msg("row %d refused before the cap", i);
	assert_int_equal(table_add(t, row), HG_ENOMEM);
	assert_int_equal(table_rows(t), TABLE_MAX_ROWS);
	table_free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_copies),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_text_unsafe),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_csv_bytes),
		cmocka_unit_test(test_csv_formula),
		cmocka_unit_test(test_csv_formula_header),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv_body),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_growth),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
