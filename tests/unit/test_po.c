/* test_po.c: the PO reader (core/po.c).
 *
 * Table-driven: good inputs and what they decode to (continuation lines,
 * escapes, UTF-8, flags, notes, comments, line ends), bad inputs and the line
 * and words of their error, then the header, the sorted lookups, files, and
 * every cut of a valid file (under ASan: no read past the given length). */
#include "testutil.h"

#include "../../core/hg.h"
#include "../../core/po.h"
#include "../../host/po_file.h"

/* The smallest header: lines 1-2, then a blank line 3; entries start at 4. */
#define HDR "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\nLanguage: en\\n\"\n\n"

/* Parse text (strlen) or fail the test with the parser's error. */
static struct po *parse_ok(const char *what, const char *text)
{
	struct po_error err;
	struct po *po = NULL;
	int result = po_parse(text, strlen(text), &po, &err);

	if (result != HG_OK)
		fail_msg("%s: %d, line %d: %s", what, result, err.line, err.msg);
	assert_non_null(po);
	return po;
}

static void test_good(void **state)
{
	static const struct {
		const char *what;
		const char *body;	/* after HDR */
		const char *key;
		const char *value;
		unsigned flags;
		const char *note;
	} rows[] = {
		{"plain entry",
		 "msgid \"a.b\"\nmsgstr \"Hello\"\n", "a.b", "Hello", 0, ""},
		{"continuation lines, key split too",
		 "msgid \"\"\n\"a.\"\n\"b\"\nmsgstr \"\"\n\"Hel\"\n\"lo\"\n", "a.b", "Hello", 0, ""},
		{"escapes \\\" \\\\ \\n",
		 "msgid \"k\"\nmsgstr \"say \\\"hi\\\" \\\\ x\\nline\"\n", "k", "say \"hi\" \\ x\nline", 0, ""},
		{"UTF-8 of 2, 3 and 4 bytes",
		 "msgid \"k\"\nmsgstr \"¿Sigue ahí? ⚠ \xf0\x9f\x9a\x9a\"\n", "k",
		 "¿Sigue ahí? ⚠ \xf0\x9f\x9a\x9a", 0, ""},
		{"#, same",
		 "#, same\nmsgid \"ok\"\nmsgstr \"OK\"\n", "ok", "OK", PO_SAME, ""},
		{"several flags, unknown ones ignored",
		 "#, fuzzy, c-format,same\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", PO_SAME | PO_FUZZY, ""},
		{"an unknown flag alone",
		 "#, c-format\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0, ""},
		{"#. lines make the note",
		 "#. Start screen, title.\n#.   Keep it short.\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0,
		 "Start screen, title.\n  Keep it short."},
		{"other comments are skipped",
		 "# translator\n#: kiosk/screens.c:12\n#| msgid \"old\"\n#.note\nmsgid \"k\"\nmsgstr \"v\"\n",
		 "k", "v", 0, "note"},
		{"a blank line drops the comments above it",
		 "#, same\n#. lost\n\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0, ""},
		{"obsolete #~ entries are skipped",
		 "#~ msgid \"old\"\n#~ msgstr \"x\"\n\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0, ""},
		{"empty msgstr (not translated) is kept",
		 "msgid \"k\"\nmsgstr \"\"\n", "k", "", 0, ""},
		{"spaces before keywords, between, after strings",
		 "  msgid   \"k\"  \n  msgstr \"v\"   \n   \"w\" \n", "k", "vw", 0, ""},
		{"no newline at the end",
		 "msgid \"k\"\nmsgstr \"v\"", "k", "v", 0, ""},
		{"CRLF line ends",
		 "#. n\r\nmsgid \"k\"\r\nmsgstr \"v\"\r\n\r\n", "k", "v", 0, "n"},
		{"entries without blank lines between",
		 "msgid \"j\"\nmsgstr \"w\"\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0, ""},
		{"key characters: letters, digits, _ . -",
		 "msgid \"ui.Start-2.title_x\"\nmsgstr \"v\"\n", "ui.Start-2.title_x", "v", 0, ""},
		{"comments follow a msgstr directly",
		 "msgid \"j\"\nmsgstr \"w\"\n#. n\nmsgid \"k\"\nmsgstr \"v\"\n", "k", "v", 0, "n"},
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char text[1024];
		struct po *po;
		const struct po_entry *e;

		snprintf(text, sizeof text, "%s%s", HDR, rows[i].body);
		po = parse_ok(rows[i].what, text);
		e = po_find(po, rows[i].key);
		if (!e)
			fail_msg("%s: no key \"%s\"", rows[i].what, rows[i].key);
		if (strcmp(e->value, rows[i].value) != 0)
			fail_msg("%s: \"%s\", want \"%s\"", rows[i].what, e->value, rows[i].value);
		if (e->flags != rows[i].flags)
			fail_msg("%s: flags %u, want %u", rows[i].what, e->flags, rows[i].flags);
		if (strcmp(e->note, rows[i].note) != 0)
			fail_msg("%s: note \"%s\", want \"%s\"", rows[i].what, e->note, rows[i].note);
		assert_string_equal(po_get(po, rows[i].key), rows[i].value);
		assert_string_equal(po_language(po), "en");
		po_free(po);
	}
}

static void test_bad(void **state)
{
	static const struct {
		const char *what;
		const char *text;	/* the whole input */
		int line;		/* of the error */
		const char *words;	/* in the message */
	} rows[] = {
		{"msgid with no msgstr, another msgid follows",
		 HDR "msgid \"a\"\nmsgid \"b\"\nmsgstr \"x\"\n", 4, "msgid without msgstr"},
		{"msgid with no msgstr at the end",
		 HDR "msgid \"a\"\n", 4, "msgid without msgstr"},
		{"msgid with no msgstr before a blank line",
		 HDR "msgid \"a\"\n\nmsgstr \"x\"\n", 5, "a blank line between msgid (line 4)"},
		{"a comment between msgid and msgstr",
		 HDR "msgid \"a\"\n#. x\nmsgstr \"x\"\n", 5, "a comment between msgid (line 4)"},
		{"msgstr without msgid",
		 HDR "msgstr \"x\"\n", 4, "msgstr without msgid"},
		{"two msgstr",
		 HDR "msgid \"a\"\nmsgstr \"x\"\nmsgstr \"y\"\n", 6, "a second msgstr for the msgid of line 4"},
		{"duplicate key: the second one's line",
		 HDR "msgid \"a\"\nmsgstr \"x\"\n\nmsgid \"b\"\nmsgstr \"y\"\n\nmsgid \"a\"\nmsgstr \"z\"\n",
		 10, "duplicate msgid \"a\" (first at line 4)"},
		{"duplicate key split by continuation lines",
		 HDR "msgid \"ab\"\nmsgstr \"x\"\nmsgid \"a\"\n\"b\"\nmsgstr \"y\"\n", 6, "duplicate msgid \"ab\""},
		{"invalid UTF-8 in a value (cut sequence)",
		 HDR "msgid \"a\"\nmsgstr \"caf\xc3\"\n", 5, "not valid UTF-8"},
		{"Latin-1 in a value",
		 HDR "msgid \"a\"\nmsgstr \"Intent\xe9lo\"\n", 5, "not valid UTF-8"},
		{"overlong '/'",
		 HDR "msgid \"a\"\nmsgstr \"\xc0\xaf\"\n", 5, "not valid UTF-8"},
		{"UTF-16 surrogate",
		 HDR "msgid \"a\"\nmsgstr \"\xed\xa0\x80\"\n", 5, "not valid UTF-8"},
		{"invalid UTF-8 in a comment",
		 HDR "# \xff\nmsgid \"a\"\nmsgstr \"x\"\n", 4, "not valid UTF-8"},
		{"a tab in a string",
		 HDR "msgid \"a\"\nmsgstr \"x\ty\"\n", 5, "control character"},
		{"a tab before a keyword",
		 HDR "\tmsgid \"a\"\nmsgstr \"x\"\n", 4, "control character"},
		{"a lone CR",
		 HDR "msgid \"a\"\nmsgstr \"x\ry\"\n", 5, "control character"},
		{"C1 control (U+0085)",
		 HDR "msgid \"a\"\nmsgstr \"x\xc2\x85\"\n", 5, "control character"},
		{"escape \\t: no control characters in values",
		 HDR "msgid \"a\"\nmsgstr \"x\\ty\"\n", 5, "unknown escape \"\\t\""},
		{"escape \\x41",
		 HDR "msgid \"a\"\nmsgstr \"\\x41\"\n", 5, "unknown escape \"\\x\""},
		{"escape of a non-ASCII character",
		 HDR "msgid \"a\"\nmsgstr \"\\é\"\n", 5, "unknown escape"},
		{"no closing quote",
		 HDR "msgid \"a\"\nmsgstr \"abc\n", 5, "missing closing quote"},
		{"a backslash at the end",
		 HDR "msgid \"a\"\nmsgstr \"abc\\\n", 5, "missing closing quote"},
		{"text after the closing quote",
		 HDR "msgid \"a\"\nmsgstr \"abc\" x\n", 5, "text after the closing quote"},
		{"a misspelt keyword",
		 HDR "msgid \"a\"\nmsgtsr \"x\"\n", 5, "expected msgid, msgstr"},
		{"a keyword with no space",
		 HDR "msgid\"a\"\nmsgstr \"x\"\n", 4, "expected a space"},
		{"a keyword with no string",
		 HDR "msgid \"a\"\nmsgstr \n", 5, "expected a \"...\" string"},
		{"a keyword with unquoted text",
		 HDR "msgid \"a\"\nmsgstr Hello\n", 5, "expected a \"...\" string"},
		{"msgctxt",
		 HDR "msgctxt \"menu\"\nmsgid \"a\"\nmsgstr \"x\"\n", 4, "msgctxt is not supported"},
		{"msgid_plural",
		 HDR "msgid \"a\"\nmsgid_plural \"as\"\nmsgstr[0] \"x\"\n", 5, "plural forms"},
		{"msgstr[0]",
		 HDR "msgid \"a\"\nmsgstr[0] \"x\"\n", 5, "plural forms"},
		{"a string line outside an entry",
		 HDR "\"abc\"\n", 4, "outside an entry"},
		{"English text as a key",
		 HDR "msgid \"Wrong PIN\"\nmsgstr \"PIN incorrecto\"\n", 4, "is not a key"},
		{"a key starting with a digit",
		 HDR "msgid \"1.a\"\nmsgstr \"x\"\n", 4, "is not a key"},
		{"a key with a newline",
		 HDR "msgid \"a\\nb\"\nmsgstr \"x\"\n", 4, "is not a key"},
		{"a key over PO_KEY_MAX",
		 HDR "msgid \"k123456789012345678901234567890123456789012345678901234567890"
		 "123456789012345678901234567890123456\"\nmsgstr \"x\"\n", 4, "is not a key"},
		{"no header",
		 "msgid \"a\"\nmsgstr \"x\"\n", 1, "no header entry before the first msgid"},
		{"the header after an entry",
		 "msgid \"a\"\nmsgstr \"x\"\n\n" HDR, 1, "no header entry before the first msgid"},
		{"an empty text",
		 "", 1, "no header entry"},
		{"only comments",
		 "# nothing\n", 1, "no header entry"},
		{"two headers",
		 HDR HDR, 4, "a second header entry"},
		{"a header in Latin-1",
		 "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=ISO-8859-1\\nLanguage: es\\n\"\n",
		 1, "only UTF-8"},
		{"a header with no charset",
		 "msgid \"\"\nmsgstr \"Content-Type: text/plain\\nLanguage: es\\n\"\n", 1, "no charset"},
		{"a header with no Content-Type",
		 "msgid \"\"\nmsgstr \"Language: es\\n\"\n", 1, "no \"Content-Type"},
		{"a header with no Language",
		 "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\n\"\n", 1, "no \"Language:\""},
		{"a header with an empty Language",
		 "msgid \"\"\nmsgstr \"Content-Type: text/plain; charset=UTF-8\\nLanguage: \\n\"\n", 1,
		 "Language is empty"},
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct po_error err;
		struct po *po = (struct po *)&err;	/* must come back NULL */
		int result = po_parse(rows[i].text, strlen(rows[i].text), &po, &err);

		if (result != HG_EINVAL)
			fail_msg("%s: %d, want HG_EINVAL", rows[i].what, result);
		assert_null(po);
		if (err.line != rows[i].line || !strstr(err.msg, rows[i].words))
			fail_msg("%s: line %d: \"%s\", want line %d: \"...%s...\"", rows[i].what,
				 err.line, err.msg, rows[i].line, rows[i].words);
	}
}

/* Errors that a C string literal cannot carry: a NUL byte, a long line. */
static void test_bad_bytes(void **state)
{
	static const char nul[] = HDR "msgid \"a\"\nmsgstr \"x\0y\"\n";
	char *big;
	size_t n;
	struct po_error err;
	struct po *po;

	(void)state;
	assert_int_equal(po_parse(nul, sizeof nul - 1, &po, &err), HG_EINVAL);
	assert_int_equal(err.line, 5);
	assert_non_null(strstr(err.msg, "NUL byte"));

	/* a line of PO_LINE_MAX bytes is fine, one more is not: line 5 is
	 * msgstr "xxx...x" with k x's, 9 + k bytes */
	for (int extra = 0; extra <= 1; extra++) {
		size_t k = PO_LINE_MAX - 9 + (size_t)extra, at;

		n = strlen(HDR) + 32 + k;
		big = malloc(n);
		assert_non_null(big);
		at = (size_t)snprintf(big, n, "%smsgid \"a\"\nmsgstr \"", HDR);
		memset(big + at, 'x', k);
		snprintf(big + at + k, n - at - k, "\"\n");
		if (!extra) {
			assert_int_equal(po_parse(big, strlen(big), &po, &err), HG_OK);
			assert_int_equal(strlen(po_get(po, "a")), k);
			po_free(po);
		} else {
			assert_int_equal(po_parse(big, strlen(big), &po, &err), HG_EINVAL);
			assert_int_equal(err.line, 5);
			assert_non_null(strstr(err.msg, "longer than"));
		}
		free(big);
	}

	/* more than PO_FILE_MAX bytes */
	big = calloc((size_t)PO_FILE_MAX + 2, 1);
	assert_non_null(big);
	memset(big, '\n', (size_t)PO_FILE_MAX + 1);
	assert_int_equal(po_parse(big, (size_t)PO_FILE_MAX + 1, &po, &err), HG_EINVAL);
	assert_null(po);
	assert_non_null(strstr(err.msg, "larger than"));
	free(big);
}

/* A header the way gettext tools write it, a byte order mark, CRLF ends. */
static void test_header(void **state)
{
	static const char *const texts[] = {
		/* msginit's layout: fuzzy header, fields on continuation lines */
		"# Spanish strings\n#, fuzzy\nmsgid \"\"\nmsgstr \"\"\n\"Project-Id-Version: haulgate\\n\"\n"
		"\"Language: es\\n\"\n\"MIME-Version: 1.0\\n\"\n"
		"\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\"Content-Transfer-Encoding: 8bit\\n\"\n\nmsgid \"k\"\nmsgstr \"v\"\n",
		/* a byte order mark, CRLF, lowercase charset, no final \n in the header */
		"\xef\xbb\xbfmsgid \"\"\r\nmsgstr \"Language: es\\nContent-Type: text/plain; charset=utf-8\"\r\n"
		"\r\nmsgid \"k\"\r\nmsgstr \"v\"\r\n",
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(texts); i++) {
		struct po *po = parse_ok("header", texts[i]);

		assert_string_equal(po_language(po), "es");
		assert_int_equal(po_count(po), 1);	/* the header is not an entry */
		assert_null(po_get(po, ""));
		assert_int_equal(po_at(po, 0)->flags, 0);	/* the header's fuzzy stays there */
		assert_string_equal(po_get(po, "k"), "v");
		po_free(po);
	}
}

/* Entries come out sorted by key, with their lines; lookups of what is not
 * there; NULL arguments. */
static void test_lookup(void **state)
{
	static const char text[] = HDR
		"msgid \"ui.start.title\"\nmsgstr \"Welcome\"\n\n"		/* line 4 */
		"msgid \"reason.pin_wrong\"\nmsgstr \"Wrong PIN.\"\n\n"	/* line 7 */
		"msgid \"reason.card_unknown\"\nmsgstr \"Unknown card.\"\n\n"	/* line 10 */
		"msgid \"a\"\nmsgstr \"\"\n";					/* line 13 */
	static const struct {
		const char *key;
		int line;
	} sorted[] = {
		{"a", 13}, {"reason.card_unknown", 10}, {"reason.pin_wrong", 7}, {"ui.start.title", 4},
	};
	struct po *po = parse_ok("lookup", text);

	(void)state;
	assert_int_equal(po_count(po), HG_ARRAY_LEN(sorted));
	for (size_t i = 0; i < HG_ARRAY_LEN(sorted); i++) {
		const struct po_entry *e = po_at(po, i);

		assert_non_null(e);
		assert_string_equal(e->key, sorted[i].key);
		assert_int_equal(e->line, sorted[i].line);
		assert_ptr_equal(po_find(po, sorted[i].key), e);
	}
	assert_null(po_at(po, HG_ARRAY_LEN(sorted)));
	assert_string_equal(po_get(po, "reason.pin_wrong"), "Wrong PIN.");
	assert_string_equal(po_get(po, "a"), "");
	assert_null(po_get(po, "reason"));		/* a prefix of keys */
	assert_null(po_get(po, "reason.pin_wrong."));	/* longer than a key */
	assert_null(po_get(po, "A"));			/* keys are case-sensitive */
	assert_null(po_get(po, "zzz"));			/* after every key */
	assert_null(po_get(po, ""));
	assert_null(po_get(po, NULL));
	assert_null(po_get(NULL, "a"));
	assert_int_equal(po_count(NULL), 0);
	assert_null(po_at(NULL, 0));
	assert_string_equal(po_language(NULL), "");
	po_free(po);
	po_free(NULL);
}

/* po_load: a file, a missing file, a file too big. */
static void test_load(void **state)
{
	char dir[256], path[300];
	struct po_error err;
	struct po *po;
	FILE *f;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "po"), 0);
	snprintf(path, sizeof path, "%s/es.po", dir);
	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(HDR "msgid \"k\"\nmsgstr \"Inténtelo\"\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(po_load(path, &po, &err), HG_OK);
	assert_string_equal(po_get(po, "k"), "Inténtelo");
	po_free(po);

	f = fopen(path, "wb");
	assert_non_null(f);
	fputs(HDR "msgid \"k\"\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(po_load(path, &po, &err), HG_EINVAL);
	assert_null(po);
	assert_int_equal(err.line, 4);

	f = fopen(path, "wb");
	assert_non_null(f);
	for (long i = 0; i <= PO_FILE_MAX; i += 8)
		fputs("# 45678\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(po_load(path, &po, &err), HG_EINVAL);
	assert_non_null(strstr(err.msg, "larger than"));

	snprintf(path, sizeof path, "%s/missing.po", dir);
	assert_int_equal(po_load(path, &po, &err), HG_EIO);
	assert_null(po);
	assert_int_equal(err.line, 0);
	assert_non_null(strstr(err.msg, "cannot open"));
	assert_int_equal(tu_rmtree(dir), 0);
}

/* Every prefix of a file that uses every feature, in a buffer of exactly
 * that size (no NUL after it: ASan catches a read past the end): either a
 * table or an error with a line inside the text, never a crash. */
static void test_every_cut(void **state)
{
	static const char text[] =
		"\xef\xbb\xbf# file\nmsgid \"\"\nmsgstr \"\"\n\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
		"\"Language: es\\n\"\n\n#. where\n#, same\nmsgid \"a.b\"\nmsgstr \"Sí \\\"OK\\\"\\n\"\r\n"
		"\"más\"\n\n#~ msgid \"old\"\nmsgid \"c\"\nmsgstr \"\xf0\x9f\x9a\x9a\"";
	size_t len = sizeof text - 1;

	(void)state;
	for (size_t n = 0; n <= len; n++) {
		char *buf = malloc(n ? n : 1);
		struct po_error err;
		struct po *po;
		int result;

		assert_non_null(buf);
		memcpy(buf, text, n);
		result = po_parse(buf, n, &po, &err);
		if (result == HG_OK) {
			assert_non_null(po);
			po_free(po);
		} else {
			assert_int_equal(result, HG_EINVAL);
			assert_null(po);
			if (err.line < 1 || err.line > 15)
				fail_msg("cut at %zu: line %d: %s", n, err.line, err.msg);
			assert_true(err.msg[0] != '\0');
		}
		free(buf);
	}
	/* and the whole of it */
	{
		struct po *po = parse_ok("every feature", text);

		assert_string_equal(po_get(po, "a.b"), "Sí \"OK\"\nmás");
		assert_int_equal(po_find(po, "a.b")->flags, PO_SAME);
		assert_string_equal(po_find(po, "a.b")->note, "where");
		assert_string_equal(po_get(po, "c"), "\xf0\x9f\x9a\x9a");
		assert_null(po_get(po, "old"));
		po_free(po);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_bad_bytes),
		cmocka_unit_test(test_header),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_every_cut),
	};

	return cmocka_run_group_tests_name("po", tests, NULL, NULL);
}
