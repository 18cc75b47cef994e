/* test_potw_html.c: the plant pages' escaping (potw/html.c).
 *
 * Tables of input and the exact bytes written: text a hauler typed with
 * <script> and both quotes, ampersands, bad UTF-8 and control characters,
 * as text, as an attribute and as a URL part; the cap (a write past it
 * fails the buffer and is dropped whole); form values decoded and bad
 * escapes refused.  Start reading at main(). */
#include "testutil.h"

#include "../../potw/html.h"
#include "../../core/hg.h"

struct esc_case {
	const char *in;
	const char *txt;	/* html_txt() */
	const char *attr;	/* html_attr() */
	const char *url;	/* html_url_arg() */
};

static const struct esc_case cases[] = {
	/* plain words pass */
	{ "Rio Bravo 12", "Rio Bravo 12", "Rio Bravo 12", "Rio%20Bravo%2012" },
	/* a hauler's company name carrying a script */
	{ "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;",
	  "&lt;script&gt;alert(1)&lt;/script&gt;",
	  "%3Cscript%3Ealert%281%29%3C%2Fscript%3E" },
	/* both quotes: an attribute cannot be closed from inside */
	{ "O'Brien \"Septic\"", "O&#39;Brien &quot;Septic&quot;", "O&#39;Brien &quot;Septic&quot;",
	  "O%27Brien%20%22Septic%22" },
	/* an attribute breakout attempt */
	{ "\" onmouseover=\"alert(1)", "&quot; onmouseover=&quot;alert(1)",
	  "&quot; onmouseover=&quot;alert(1)", "%22%20onmouseover%3D%22alert%281%29" },
	/* an entity typed as text stays text */
	{ "A&amp;B", "A&amp;amp;B", "A&amp;amp;B", "A%26amp%3BB" },
	/* Spanish UTF-8 passes as it is (percent-encoded in a URL) */
	{ "Peña", "Peña", "Peña", "Pe%C3%B1a" },
	/* newline and tab: kept in text, escaped in an attribute */
	{ "a\nb\tc", "a\nb\tc", "a&#10;b&#9;c", "a%0Ab%09c" },
	/* control characters and DEL become U+FFFD */
	{ "a\x01" "b\x7F", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD", "a\xEF\xBF\xBD" "b\xEF\xBF\xBD",
	  "a%01b%7F" },
	/* a lone continuation byte, a cut sequence, an overlong '<' */
	{ "x\x80y", "x\xEF\xBF\xBDy", "x\xEF\xBF\xBDy", "x%80y" },
	{ "x\xC3", "x\xEF\xBF\xBD", "x\xEF\xBF\xBD", "x%C3" },
	{ "\xC0\xBCscript", "\xEF\xBF\xBD\xEF\xBF\xBDscript", "\xEF\xBF\xBD\xEF\xBF\xBDscript",
	  "%C0%BCscript" },
	/* a surrogate (CESU) and a code point past U+10FFFF */
	{ "\xED\xA0\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "%ED%A0%80" },
	{ "\xF4\x90\x80\x80", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD",
	  "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD", "%F4%90%80%80" },
	/* a 4-byte character passes */
	{ "\xF0\x9F\x9A\x9B", "\xF0\x9F\x9A\x9B", "\xF0\x9F\x9A\x9B", "%F0%9F%9A%9B" },
	/* the empty string */
	{ "", "", "", "" },
};

typedef void (*writer)(struct html *h, const char *s);

static void check(const char *in, writer w, const char *want, const char *what, size_t row)
{
	struct html h;

	html_init(&h, 0);
	html_raw(&h, "[");
	w(&h, in);
	html_raw(&h, "]");
	assert_false(html_failed(&h));
	if (strncmp(h.buf, "[", 1) || strlen(h.buf) != strlen(want) + 2 ||
	    strncmp(h.buf + 1, want, strlen(want)))
		fail_msg("row %zu %s: got '%s', want '[%s]'", row, what, h.buf, want);
	html_free(&h);
}

static void test_escapes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(cases); i++) {
		check(cases[i].in, html_txt, cases[i].txt, "txt", i);
		check(cases[i].in, html_attr, cases[i].attr, "attr", i);
		check(cases[i].in, html_url_arg, cases[i].url, "url", i);
	}
}

/* no output of the escapers ever holds a raw < > " or ' */
static void test_no_markup_survives(void **state)
{
	static const writer ws[] = { html_txt, html_attr, html_url_arg };
	char in[64];
	struct html h;
	size_t i, k;
	unsigned c;

	(void)state;
	for (c = 1; c < 256; c++) {
		snprintf(in, sizeof in, "a%cb<'\"%c>", (char)c, (char)c);
		for (k = 0; k < HG_ARRAY_LEN(ws); k++) {
			html_init(&h, 0);
			ws[k](&h, in);
			assert_false(html_failed(&h));
			for (i = 0; i < h.len; i++)
				if (strchr("<>\"'", h.buf[i]))
					fail_msg("byte %u writer %zu: '%s'", c, k, h.buf);
			html_free(&h);
		}
	}
}

static void test_num_and_null(void **state)
{
	struct html h;

	(void)state;
	html_init(&h, 0);
	html_num(&h, -42);
	html_txt(&h, NULL);
	html_raw(&h, NULL);
	html_num(&h, 9007199254740993LL);
	assert_string_equal(h.buf, "-429007199254740993");
	html_free(&h);
}

/* a write that would pass the cap is dropped whole and fails the buffer;
 * every later write is dropped too */
static void test_cap(void **state)
{
	struct html h;

	(void)state;
	html_init(&h, 16);
	html_raw(&h, "0123456789");
	assert_false(html_failed(&h));
	html_txt(&h, "<<");		/* 8 bytes: past 16 */
	assert_true(html_failed(&h));
	html_raw(&h, "x");
	assert_int_equal(h.len, 10);
	assert_string_equal(h.buf, "0123456789");
	html_free(&h);

	/* growth past the first block */
	html_init(&h, 0);
	for (int i = 0; i < 2000; i++)
		html_txt(&h, "<b>");
	assert_false(html_failed(&h));
	assert_int_equal(h.len, 2000 * 9);
	html_free(&h);
}

struct form_case {
	const char *form;
	const char *name;
	int rc;
	const char *value;
};

static const struct form_case forms[] = {
	{ "login=ana&password=x", "login", 1, "ana" },
	{ "login=ana&password=x", "password", 1, "x" },
	{ "login=ana&password=x", "csrf", 0, NULL },			/* not there */
	{ "a=1+2%3D3&b=", "a", 1, "1 2=3" },				/* '+' and %XX */
	{ "a=1&b=", "b", 1, "" },					/* empty */
	{ "b&a=1", "b", 1, "" },					/* no '=' */
	{ "ab=1&a=2", "a", 1, "2" },					/* a prefix is not it */
	{ "a=%3Cscript%3E", "a", 1, "<script>" },			/* decoded, not escaped */
	{ "a=%zz", "a", -1, NULL },					/* a bad escape */
	{ "a=%4", "a", -1, NULL },					/* a cut escape */
	{ "a=x%00y", "a", -1, NULL },					/* a NUL */
	{ "a=0123456789abcdef", "a", -1, NULL },			/* longer than out */
	{ "a=Pe%C3%B1a", "a", 1, "Peña" },
};

static void test_forms(void **state)
{
	char out[16];
	size_t i;
	int rc;

	(void)state;
	for (i = 0; i < HG_ARRAY_LEN(forms); i++) {
		rc = html_form_get(forms[i].form, strlen(forms[i].form), forms[i].name, out,
				   sizeof out);
		if (rc != forms[i].rc)
			fail_msg("row %zu: rc %d, want %d", i, rc, forms[i].rc);
		if (rc == 1 && strcmp(out, forms[i].value))
			fail_msg("row %zu: '%s', want '%s'", i, out, forms[i].value);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes),
		cmocka_unit_test(test_no_markup_survives),
		cmocka_unit_test(test_num_and_null),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_forms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
