/* test_manifest.c: the waste-tracking form (core/manifest.c).
 *
 * manifest_set() with good values for every field, then bad values, each of
 * which must leave the whole form byte-for-byte as it was (memcmp against a
 * copy); manifest_complete() and its gaps in order; manifest_record() for
 * determinism, content in both languages, and a too-small buffer (run the ASan
 * build: every buffer there is a malloc of exactly cap bytes); the waste and
 * RCRA codes; and what counts as declared constituents. */
#include "testutil.h"

#include "../../core/manifest.h"
#include "../../core/text.h"

#define SET(field, s) assert_int_equal(text_copy((field), sizeof(field), (s)), HG_OK)

/* A complete form with a distinct value in every field, two sources. */
static void full_form(struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->hauler_id = 3;
	SET(m->company, "Acme Septic Service");
	SET(m->company_address, "1 Industrial Way, Springfield");
	SET(m->driver, "Pat Driver");
	SET(m->permit, "WH-2026-014");
	m->card_id = 7;
	m->truck_id = 5;
	SET(m->truck, "ABC-123");
	m->truck_capacity = 3000;
	m->n_sources = 2;
	SET(m->sources[0].name, "Smith residence");
	SET(m->sources[0].address, "12 Elm St, Springfield, CO 80401");
	SET(m->sources[0].industry, "residential");
	SET(m->sources[0].town, "Springfield");
	SET(m->sources[1].name, "Café Ñandú");
	SET(m->sources[1].address, "40 Main St, Shelbyville");
	SET(m->sources[1].industry, "restaurant");
	SET(m->sources[1].town, "80403-1234");
	m->waste = WASTE_SEPTAGE;
	m->gallons = 2500;
	SET(m->characteristics, "dark liquid, septic odour");
	SET(m->constituents, "lead, solvents");
	m->rcra = RCRA_NO;
	SET(m->signer, "Pat Q. Driver");
}

#define MFIELD(f) offsetof(struct manifest, f), sizeof(((struct manifest *)0)->f), 0
#define SFIELD(f) offsetof(struct source, f), sizeof(((struct source *)0)->f), 1

/* The text a field of the form holds (its buffer size in *cap), or NULL for
 * a field that is not text. */
static char *text_of(struct manifest *m, struct source *src, const char *field, size_t *cap)
{
	static const struct {
		const char *name;
		size_t off, cap;
		int in_source;
	} map[] = {
		{ "characteristics", MFIELD(characteristics) },
		{ "constituents", MFIELD(constituents) },
		{ "signer", MFIELD(signer) },
		{ "source_name", SFIELD(name) },
		{ "source_address", SFIELD(address) },
		{ "source_industry", SFIELD(industry) },
		{ "source_town", SFIELD(town) },
	};

	for (size_t i = 0; i < HG_ARRAY_LEN(map); i++)
		if (strcmp(map[i].name, field) == 0) {
			if (cap)
				*cap = map[i].cap;
			return (map[i].in_source ? (char *)src : (char *)m) + map[i].off;
		}
	return NULL;
}

/* s repeated n times into a fresh malloc'd string. */
static char *repeat(const char *s, int n)
{
	size_t len = strlen(s);
	char *out = malloc(len * (size_t)n + 1);

	assert_non_null(out);
	for (int i = 0; i < n; i++)
		memcpy(out + len * (size_t)i, s, len);
	out[len * (size_t)n] = '\0';
	return out;
}

/* ------------------------------------------------------------------ */
/* manifest_set: good values */

static void test_set_good(void **state)
{
	static const struct {
		const char *field, *value;
		const char *text;	/* text fields: what is stored */
		long num;		/* gallons, waste, rcra: what is stored */
	} rows[] = {
		/* source fields, through src */
		{ "source_name", "Jones Farm", "Jones Farm", 0 },
		{ "source_address", "77 Rural Rte 2, Shelbyville, CO 80403", "77 Rural Rte 2, Shelbyville, CO 80403", 0 },
		{ "source_industry", "dairy", "dairy", 0 },
		{ "source_town", "Shelbyville", "Shelbyville", 0 },
		{ "source_town", "80403-1234", "80403-1234", 0 },	/* a ZIP+4 as typed */
		{ "source_town", " Peñasco ", "Peñasco", 0 },	/* as typed, trimmed: folding is for matching */
		{ "source_town", "PEN\xcc\x83" "ASCO", "PE\xc3\x91" "ASCO", 0 },	/* composed (NFC), case kept */
		/* accents and other scripts are text like any other */
		{ "source_name", "Panadería Güemes", "Panadería Güemes", 0 },
		{ "source_industry", "食品加工", "食品加工", 0 },
		/* the form's own text fields */
		{ "characteristics", "grey, fatty, 2% solids", "grey, fatty, 2% solids", 0 },
		{ "constituents", "lead, solvents", "lead, solvents", 0 },
		{ "signer", "José Ramírez", "José Ramírez", 0 },
		/* leading and trailing spaces are trimmed */
		{ "signer", "  Pat Driver  ", "Pat Driver", 0 },
		/* an optional text may be emptied */
		{ "constituents", "", "", 0 },
		{ "characteristics", "   ", "", 0 },
		/* gallons: digits from the keypad */
		{ "gallons", "2500", NULL, 2500 },
		/* a thousands comma from a keyboard */
		{ "gallons", "2,500", NULL, 2500 },
		/* a space as thousands separator, and around */
		{ "gallons", " 1 000 ", NULL, 1000 },
		/* the smallest and the largest volume */
		{ "gallons", "1", NULL, 1 },
		{ "gallons", "100000", NULL, MANIFEST_MAX_GALLONS },
		/* leading zeros */
		{ "gallons", "0750", NULL, 750 },
		/* every waste code */
		{ "waste", "septage", NULL, WASTE_SEPTAGE },
		{ "waste", "portable", NULL, WASTE_PORTABLE },
		{ "waste", "grease", NULL, WASTE_GREASE },
		{ "waste", "industrial", NULL, WASTE_INDUSTRIAL },
		/* every RCRA answer */
		{ "rcra", "no", NULL, RCRA_NO },
		{ "rcra", "yes", NULL, RCRA_YES },
		{ "rcra", "unknown", NULL, RCRA_UNKNOWN },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct manifest m, before;
		struct source *src;
		enum reason why = R_OPERATOR_ONLY;
		size_t cap;
		char *t;
		int rc;

		full_form(&m);
		/* start from something else than the row's value */
		m.gallons = 42;
		m.waste = WASTE_NONE;
		m.rcra = RCRA_UNANSWERED;
		before = m;
		src = &m.sources[1];
		rc = manifest_set(&m, src, rows[i].field, rows[i].value, &why);
		if (rc != HG_OK)
			fail_msg("%s = \"%s\": rc %d why %s", rows[i].field, rows[i].value, rc,
				 reason_code(why));
		assert_int_equal(why, R_NONE);

		t = text_of(&m, src, rows[i].field, &cap);
		if (t) {
			assert_string_equal(t, rows[i].text);
			/* nothing else changed: blank the field in both, compare the rest */
			memset(t, 0, cap);
			memset(text_of(&before, &before.sources[1], rows[i].field, NULL), 0, cap);
		} else if (strcmp(rows[i].field, "gallons") == 0) {
			assert_int_equal(m.gallons, rows[i].num);
			m.gallons = before.gallons;
		} else if (strcmp(rows[i].field, "waste") == 0) {
			assert_int_equal(m.waste, rows[i].num);
			m.waste = before.waste;
		} else {
			assert_int_equal(m.rcra, rows[i].num);
			m.rcra = before.rcra;
		}
		assert_memory_equal(&m, &before, sizeof m);
	}
}

/* Values at exactly the limit are taken; one character more is not.  The
 * limit counts characters, not bytes: 4-byte characters fill the buffer. */
static void test_set_limits(void **state)
{
	static const struct {
		const char *field;
		int limit;
	} rows[] = {
		{ "characteristics", LIM_TEXT },	/* free text */
		{ "constituents", LIM_TEXT },
		{ "signer", LIM_NAME },			/* a person's name */
		{ "source_name", LIM_COMPANY },		/* source fields */
		{ "source_address", LIM_ADDRESS },
		{ "source_industry", LIM_INDUSTRY },
		{ "source_town", LIM_TOWN },
	};
	static const char *const chars[] = { "a", "é", "中", "😀" };	/* 1 to 4 bytes */

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(manifest_field_limit(rows[i].field), rows[i].limit);
		for (size_t c = 0; c < HG_ARRAY_LEN(chars); c++) {
			struct manifest m, before;
			enum reason why;
			char *at = repeat(chars[c], rows[i].limit);
			char *over = repeat(chars[c], rows[i].limit + 1);

			memset(&m, 0, sizeof m);
			assert_int_equal(manifest_set(&m, &m.sources[0], rows[i].field, at, &why), HG_OK);
			assert_string_equal(text_of(&m, &m.sources[0], rows[i].field, NULL), at);
			before = m;
			assert_int_equal(manifest_set(&m, &m.sources[0], rows[i].field, over, &why),
					 HG_EINVAL);
			assert_int_equal(why, R_INPUT_TOO_LONG);
			assert_memory_equal(&m, &before, sizeof m);
			free(at);
			free(over);
		}
	}
	/* not text fields */
	assert_int_equal(manifest_field_limit("gallons"), 0);
	assert_int_equal(manifest_field_limit("waste"), 0);
	assert_int_equal(manifest_field_limit("nonsense"), 0);
}

/* ------------------------------------------------------------------ */
/* manifest_set: bad values change nothing */

static char long5000[5001];	/* 5,000 x 'a', filled by the test */

static void test_set_bad(void **state)
{
	static const char *const text_fields[] = {
		"source_name", "source_address", "source_industry", "source_town",
		"characteristics", "constituents", "signer",
	};
	static const struct {
		const char *value;
		enum reason why;
	} bad_text[] = {
		/* overlong '/' (2 bytes) */
		{ "a\xc0\xaf", R_INPUT_BAD_UTF8 },
		/* overlong '/' (3 bytes) */
		{ "\xe0\x80\xaf", R_INPUT_BAD_UTF8 },
		/* overlong NUL, the classic */
		{ "x\xc0\x80y", R_INPUT_BAD_UTF8 },
		/* a lone continuation byte */
		{ "\x80", R_INPUT_BAD_UTF8 },
		/* a continuation byte after ASCII */
		{ "abc\xbf", R_INPUT_BAD_UTF8 },
		/* a UTF-16 surrogate, U+D800 */
		{ "\xed\xa0\x80", R_INPUT_BAD_UTF8 },
		/* the low surrogate U+DFFF */
		{ "ok\xed\xbf\xbf", R_INPUT_BAD_UTF8 },
		/* a sequence cut off at the end */
		{ "caf\xc3", R_INPUT_BAD_UTF8 },
		/* past U+10FFFF */
		{ "\xf4\x90\x80\x80", R_INPUT_BAD_UTF8 },
		/* Latin-1, not UTF-8 */
		{ "Jos\xe9", R_INPUT_BAD_UTF8 },
		/* tab */
		{ "a\tb", R_INPUT_CONTROL },
		/* newline, even at the end */
		{ "line\n", R_INPUT_CONTROL },
		/* carriage return */
		{ "a\rb", R_INPUT_CONTROL },
		/* escape: terminal tricks */
		{ "\x1b[2J", R_INPUT_CONTROL },
		/* DEL */
		{ "a\x7f", R_INPUT_CONTROL },
		/* C1 NEL, U+0085 */
		{ "a\xc2\x85z", R_INPUT_CONTROL },
		/* C1 CSI, U+009B */
		{ "\xc2\x9b", R_INPUT_CONTROL },
		/* 5,000 characters */
		{ long5000, R_INPUT_TOO_LONG },
	};
	static const struct {
		const char *field, *value;
		enum reason why;
	} bad[] = {
		/* no volume */
		{ "gallons", "0", R_VOLUME_INVALID },
		/* negative */
		{ "gallons", "-5", R_VOLUME_INVALID },
		/* zero written as a negative */
		{ "gallons", "-0", R_VOLUME_INVALID },
		/* not a number */
		{ "gallons", "abc", R_INPUT_NUMBER },
		/* a decimal point */
		{ "gallons", "2.5", R_VOLUME_INVALID },
		/* a sign the keypad does not have */
		{ "gallons", "+5", R_INPUT_NUMBER },
		/* far too many digits */
		{ "gallons", "99999999999", R_VOLUME_INVALID },
		/* one more than the largest volume */
		{ "gallons", "100001", R_VOLUME_INVALID },
		/* nothing */
		{ "gallons", "", R_INPUT_EMPTY },
		/* only separators */
		{ "gallons", " , ", R_INPUT_EMPTY },
		/* a control character in a number */
		{ "gallons", "12\n", R_VOLUME_INVALID },
		/* 5,000 characters */
		{ "gallons", long5000, R_INPUT_NUMBER },
		/* too long to read whole: refused, not cut into another number */
		{ "gallons", "0000000000000000000500", R_INPUT_NUMBER },
		/* waste: only the codes, lowercase */
		{ "waste", "Septage", R_INPUT_CHOICE },
		{ "waste", "septic", R_INPUT_CHOICE },
		{ "waste", "", R_INPUT_CHOICE },
		{ "waste", "septage ", R_INPUT_CHOICE },
		{ "waste", "septage,grease", R_INPUT_CHOICE },
		/* rcra: only no, yes, unknown */
		{ "rcra", "Yes", R_INPUT_CHOICE },
		{ "rcra", "maybe", R_INPUT_CHOICE },
		{ "rcra", "", R_INPUT_CHOICE },
		{ "rcra", "sí", R_INPUT_CHOICE },
	};
	struct manifest m, before;
	enum reason why;

	(void)state;
	memset(long5000, 'a', sizeof long5000 - 1);
	long5000[sizeof long5000 - 1] = '\0';
	full_form(&m);
	before = m;

	for (size_t f = 0; f < HG_ARRAY_LEN(text_fields); f++)
		for (size_t i = 0; i < HG_ARRAY_LEN(bad_text); i++) {
			why = R_NONE;
			assert_int_equal(manifest_set(&m, &m.sources[1], text_fields[f],
						      bad_text[i].value, &why), HG_EINVAL);
			if (why != bad_text[i].why)
				fail_msg("%s, bad text row %zu: why %s, want %s", text_fields[f], i,
					 reason_code(why), reason_code(bad_text[i].why));
			if (memcmp(&m, &before, sizeof m) != 0)
				fail_msg("%s, bad text row %zu: the form changed", text_fields[f], i);
		}
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		why = R_NONE;
		assert_int_equal(manifest_set(&m, &m.sources[1], bad[i].field, bad[i].value, &why),
				 HG_EINVAL);
		if (why != bad[i].why)
			fail_msg("%s = \"%.20s\": why %s, want %s", bad[i].field, bad[i].value,
				 reason_code(why), reason_code(bad[i].why));
		if (memcmp(&m, &before, sizeof m) != 0)
			fail_msg("%s = \"%.20s\": the form changed", bad[i].field, bad[i].value);
	}

	/* unknown fields: HG_ENOTFOUND, nothing changed, no reason */
	{
		static const char *const unknown[] = {
			"volume",	/* not a field name */
			"Gallons",	/* names are case-sensitive */
			"",		/* empty */
			"company",	/* from the roster, not typed */
			"truck",
		};

		for (size_t i = 0; i < HG_ARRAY_LEN(unknown); i++) {
			why = R_OPERATOR_ONLY;
			assert_int_equal(manifest_set(&m, &m.sources[1], unknown[i], "x", &why),
					 HG_ENOTFOUND);
			assert_int_equal(why, R_NONE);
			assert_memory_equal(&m, &before, sizeof m);
		}
	}
	/* a source field with no source to edit */
	assert_int_equal(manifest_set(&m, NULL, "source_name", "x", &why), HG_ENOTFOUND);
	assert_memory_equal(&m, &before, sizeof m);
	/* NULL field or value */
	assert_int_equal(manifest_set(&m, &m.sources[1], NULL, "x", &why), HG_EINVAL);
	assert_int_equal(manifest_set(&m, &m.sources[1], "signer", NULL, &why), HG_EINVAL);
	assert_memory_equal(&m, &before, sizeof m);
	/* why may be NULL */
	assert_int_equal(manifest_set(&m, &m.sources[1], "gallons", "abc", NULL), HG_EINVAL);
	assert_int_equal(manifest_set(&m, &m.sources[1], "gallons", "30", NULL), HG_OK);
	assert_int_equal(m.gallons, 30);
}

/* ------------------------------------------------------------------ */
/* manifest_complete */

static void no_truck(struct manifest *m) { m->truck_id = 0; }
static void no_waste(struct manifest *m) { m->waste = WASTE_NONE; }
static void no_sources(struct manifest *m) { m->n_sources = 0; }
static void no_town(struct manifest *m) { m->sources[1].town[0] = '\0'; }
static void no_gallons(struct manifest *m) { m->gallons = 0; }
static void no_characteristics(struct manifest *m) { m->characteristics[0] = '\0'; }
static void no_rcra(struct manifest *m) { m->rcra = RCRA_UNANSWERED; }
static void no_constituents(struct manifest *m) { m->constituents[0] = '\0'; }
static void no_signer(struct manifest *m) { m->signer[0] = '\0'; }
static void nothing_but_signer(struct manifest *m) { no_truck(m); no_waste(m); no_rcra(m); }
static void no_gallons_no_rcra(struct manifest *m) { no_gallons(m); no_rcra(m); }

static void test_complete(void **state)
{
	static const struct {
		void (*change)(struct manifest *);
		const char *field;	/* NULL: complete */
	} rows[] = {
		{ no_truck, "truck" },			/* no truck picked */
		{ no_waste, "waste" },			/* no waste type */
		{ no_sources, "sources" },		/* no source */
		{ no_town, "source_town" },		/* a source without its town or ZIP */
		{ no_gallons, "gallons" },		/* no volume */
		{ no_characteristics, "characteristics" },	/* required text */
		{ no_rcra, "rcra" },			/* the RCRA question unanswered */
		{ no_constituents, NULL },		/* optional: "" means none */
		{ no_signer, NULL },			/* signed after review, not before */
		{ nothing_but_signer, "truck" },	/* several gaps: the first */
		{ no_gallons_no_rcra, "gallons" },	/* the first in form order */
	};
	struct manifest m;
	const char *field = "unset";

	(void)state;
	full_form(&m);
	assert_int_equal(manifest_complete(&m, &field), R_NONE);
	assert_null(field);
	assert_int_equal(manifest_complete(&m, NULL), R_NONE);

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		full_form(&m);
		rows[i].change(&m);
		field = "unset";
		if (rows[i].field) {
			assert_int_equal(manifest_complete(&m, &field), R_INPUT_EMPTY);
			assert_non_null(field);
			assert_string_equal(field, rows[i].field);
		} else {
			assert_int_equal(manifest_complete(&m, &field), R_NONE);
			assert_null(field);
		}
	}

	/* filling an empty form field by field: the gaps come in form order */
	{
		static const char *const order[] = {
			"truck", "waste", "sources", "source_town", "gallons", "characteristics",
			"rcra",
		};
		enum reason why;

		memset(&m, 0, sizeof m);
		for (size_t i = 0; i < HG_ARRAY_LEN(order); i++) {
			assert_int_equal(manifest_complete(&m, &field), R_INPUT_EMPTY);
			assert_string_equal(field, order[i]);
			switch (i) {
			case 0: m.truck_id = 5; break;
			case 1: assert_int_equal(manifest_set(&m, NULL, "waste", "grease", &why), HG_OK); break;
			case 2: m.n_sources = 1; break;
			case 3: assert_int_equal(manifest_set(&m, &m.sources[0], "source_town", "Golden", &why), HG_OK); break;
			case 4: assert_int_equal(manifest_set(&m, NULL, "gallons", "900", &why), HG_OK); break;
			case 5: assert_int_equal(manifest_set(&m, NULL, "characteristics", "brown", &why), HG_OK); break;
			default: assert_int_equal(manifest_set(&m, NULL, "rcra", "no", &why), HG_OK); break;
			}
		}
		assert_int_equal(manifest_complete(&m, &field), R_NONE);
		assert_null(field);
	}
}

/* ------------------------------------------------------------------ */
/* manifest_record */

static void test_record_content(void **state)
{
	static const struct {
		enum lang lang;
		const char *want[8];	/* lines or parts of lines that must be there */
	} rows[] = {
		/* English labels and words */
		{ LANG_EN, { "Waste type: Septic tank waste\n", "Volume: 2500 gallons\n",
			     "RCRA hazardous waste: No\n", "Source 2: Café Ñandú\n",
			     "  Town or ZIP code: Springfield\n", "  Town or ZIP code: 80403-1234\n",
			     "Signed by: Pat Q. Driver\n", NULL } },
		/* Spanish labels and words */
		{ LANG_ES, { "Tipo de residuo: Residuos de fosa séptica\n", "Volumen: 2500 galones\n",
			     "Residuo peligroso RCRA: No\n", "Fuente 2: Café Ñandú\n",
			     "  Ciudad o código postal: Springfield\n",
			     "Firmado por: Pat Q. Driver\n", NULL } },
	};
	struct manifest m;

	(void)state;
	full_form(&m);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char *buf = malloc(MANIFEST_RECORD_MAX);
		const char *values[] = {
			m.company, m.company_address, m.driver, m.permit, m.truck,
			m.sources[0].name, m.sources[0].address, m.sources[0].industry,
			m.sources[1].name, m.sources[1].address, m.sources[1].industry,
			m.characteristics, m.constituents, m.signer,
			waste_name(m.waste, rows[i].lang), manifest_cert_text(rows[i].lang),
		};
		int n;

		assert_non_null(buf);
		n = manifest_record(&m, rows[i].lang, buf, MANIFEST_RECORD_MAX);
		assert_true(n > 0);
		assert_int_equal((size_t)n, strlen(buf));
		for (size_t v = 0; v < HG_ARRAY_LEN(values); v++)
			if (!strstr(buf, values[v]))
				fail_msg("%s: \"%s\" missing from the record", i18n_lang_code(rows[i].lang),
					 values[v]);
		for (size_t w = 0; rows[i].want[w]; w++)
			if (!strstr(buf, rows[i].want[w]))
				fail_msg("%s: \"%s\" missing from the record", i18n_lang_code(rows[i].lang),
					 rows[i].want[w]);
		/* the record is itself clean text: UTF-8, one field per line */
		for (char *line = buf; *line; ) {
			char *nl = strchr(line, '\n');

			assert_non_null(nl);
			*nl = '\0';
			assert_int_equal(text_check(line, 100000, 0), TEXT_OK);
			line = nl + 1;
		}
		free(buf);
	}
}

/* A load recorded before sources had a town (schema 2) has none: its copy of
 * record has no town line, so it renders to the bytes that were certified. */
static void test_record_no_town(void **state)
{
	struct manifest m;
	char *buf = malloc(MANIFEST_RECORD_MAX);

	(void)state;
	assert_non_null(buf);
	full_form(&m);
	m.sources[0].town[0] = '\0';
	m.sources[1].town[0] = '\0';
	assert_true(manifest_record(&m, LANG_EN, buf, MANIFEST_RECORD_MAX) > 0);
	assert_null(strstr(buf, "Town"));
	assert_non_null(strstr(buf, "  Address: 12 Elm St, Springfield, CO 80401\n"
				    "  Type of industry: residential\n"));
	free(buf);
}

static void test_record_languages(void **state)
{
	struct manifest m;
	char *en = malloc(MANIFEST_RECORD_MAX), *es = malloc(MANIFEST_RECORD_MAX);
	int nen, nes;

	(void)state;
	assert_non_null(en);
	assert_non_null(es);
	full_form(&m);
	nen = manifest_record(&m, LANG_EN, en, MANIFEST_RECORD_MAX);
	nes = manifest_record(&m, LANG_ES, es, MANIFEST_RECORD_MAX);
	assert_true(nen > 0 && nes > 0);
	assert_string_not_equal(en, es);
	/* each has its own certification, not the other's */
	assert_non_null(strstr(en, "I certify under penalty of law"));
	assert_null(strstr(en, "Certifico bajo pena de ley"));
	assert_non_null(strstr(es, "Certifico bajo pena de ley"));
	assert_null(strstr(es, "I certify under penalty of law"));
	assert_string_not_equal(manifest_cert_text(LANG_EN), manifest_cert_text(LANG_ES));
	/* no declared constituents: the word for none, in each language */
	SET(m.constituents, "None");
	assert_true(manifest_record(&m, LANG_EN, en, MANIFEST_RECORD_MAX) > 0);
	assert_true(manifest_record(&m, LANG_ES, es, MANIFEST_RECORD_MAX) > 0);
	assert_non_null(strstr(en, "Known or suspected constituents: none\n"));
	assert_non_null(strstr(es, "Componentes conocidos o sospechados: ninguno\n"));
	free(en);
	free(es);
}

/* Same form, same bytes, whatever the buffer held before; a changed field
 * changes the bytes. */
static void test_record_deterministic(void **state)
{
	struct manifest m, copy;
	char *a = malloc(MANIFEST_RECORD_MAX), *b = malloc(MANIFEST_RECORD_MAX);

	(void)state;
	assert_non_null(a);
	assert_non_null(b);
	full_form(&m);
	for (int lang = LANG_EN; lang < LANG_COUNT; lang++) {
		int na, nb;

		memset(a, 0x00, MANIFEST_RECORD_MAX);
		memset(b, 0xa5, MANIFEST_RECORD_MAX);
		na = manifest_record(&m, (enum lang)lang, a, MANIFEST_RECORD_MAX);
		copy = m;
		nb = manifest_record(&copy, (enum lang)lang, b, MANIFEST_RECORD_MAX);
		assert_true(na > 0);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, (size_t)na + 1);
		/* the form is only read */
		assert_memory_equal(&m, &copy, sizeof m);

		copy.gallons = 2501;
		nb = manifest_record(&copy, (enum lang)lang, b, MANIFEST_RECORD_MAX);
		assert_true(nb > 0);
		assert_string_not_equal(a, b);
	}
	free(a);
	free(b);
}

/* Every buffer shorter than the record: HG_ETOOLONG, an empty string, and not
 * a byte written past cap (each buffer is exactly cap bytes on the heap). */
static void test_record_too_small(void **state)
{
	struct manifest m;
	char *full = malloc(MANIFEST_RECORD_MAX);
	int len;

	(void)state;
	assert_non_null(full);
	full_form(&m);
	len = manifest_record(&m, LANG_ES, full, MANIFEST_RECORD_MAX);
	assert_true(len > 0);

	{
		char one = 'X';

		assert_int_equal(manifest_record(&m, LANG_ES, &one, 0), HG_ETOOLONG);
		assert_int_equal(one, 'X');	/* cap 0: not even the NUL */
	}
	for (size_t cap = 1; cap <= (size_t)len + 1; cap++) {
		char *buf = malloc(cap);

		assert_non_null(buf);
		memset(buf, 'X', cap);
		if (cap <= (size_t)len) {
			if (manifest_record(&m, LANG_ES, buf, cap) != HG_ETOOLONG)
				fail_msg("cap %zu of %d: not HG_ETOOLONG", cap, len);
			assert_int_equal(buf[0], '\0');
		} else {
			assert_int_equal(manifest_record(&m, LANG_ES, buf, cap), len);
			assert_memory_equal(buf, full, cap);
		}
		free(buf);
	}
	free(full);
}

/* MANIFEST_RECORD_MAX is "the largest possible copy of record": a form with
 * every field at its character limit and every source used must render into
 * it, whatever the characters.
 * BUG (core/manifest.h:100, MANIFEST_RECORD_MAX 16384): with 4-byte
 * characters (emoji, CJK Extension B) the Spanish record is 20,372 bytes, so
 * manifest_record() returns HG_ETOOLONG into ld->record (core/record.h:37)
 * and session.c certify() answers input_too_long to a form whose every field
 * passed its own check.  The typed fields alone (8 sources, characteristics,
 * constituents, signer) reach 17,120 bytes.  The 1-, 2- and 3-byte rows pass. */
static void test_record_largest_form(void **state)
{
	static const char *const chars[] = {
		"a",	/* ASCII */
		"é",	/* 2 bytes: Spanish names */
		"中",	/* 3 bytes */
		"😀",	/* 4 bytes: BUG, see above */
	};
	struct manifest *m = calloc(1, sizeof *m);
	char *buf = malloc(MANIFEST_RECORD_MAX);
	char *over = malloc(2 * MANIFEST_RECORD_MAX);
	char why[200] = "";

	(void)state;
	assert_non_null(m);
	assert_non_null(buf);
	assert_non_null(over);
	for (size_t c = 0; c < HG_ARRAY_LEN(chars); c++) {
		const struct {
			char *dst;
			size_t cap;
			int limit;
		} f[] = {
			{ m->company, sizeof m->company, LIM_COMPANY },
			{ m->company_address, sizeof m->company_address, LIM_ADDRESS },
			{ m->driver, sizeof m->driver, LIM_NAME },
			{ m->permit, sizeof m->permit, LIM_PERMIT },
			{ m->truck, sizeof m->truck, LIM_PLATE },
			{ m->characteristics, sizeof m->characteristics, LIM_TEXT },
			{ m->constituents, sizeof m->constituents, LIM_TEXT },
			{ m->signer, sizeof m->signer, LIM_NAME },
		};
		int n, need;

		memset(m, 0, sizeof *m);
		for (size_t i = 0; i < HG_ARRAY_LEN(f); i++) {
			char *s = repeat(chars[c], f[i].limit);

			assert_int_equal(text_copy(f[i].dst, f[i].cap, s), HG_OK);
			free(s);
		}
		m->n_sources = HG_MAX_SOURCES;
		for (int i = 0; i < HG_MAX_SOURCES; i++) {
			char *name = repeat(chars[c], LIM_COMPANY);
			char *addr = repeat(chars[c], LIM_ADDRESS);
			char *ind = repeat(chars[c], LIM_INDUSTRY);
			char *town = repeat(chars[c], LIM_TOWN);

			SET(m->sources[i].name, name);
			SET(m->sources[i].address, addr);
			SET(m->sources[i].industry, ind);
			SET(m->sources[i].town, town);
			free(town);
			free(name);
			free(addr);
			free(ind);
		}
		m->truck_id = 5;
		m->waste = WASTE_INDUSTRIAL;
		m->gallons = MANIFEST_MAX_GALLONS;
		m->rcra = RCRA_UNKNOWN;

		need = manifest_record(m, LANG_ES, over, 2 * MANIFEST_RECORD_MAX);
		assert_true(need > 0);
		n = manifest_record(m, LANG_ES, buf, MANIFEST_RECORD_MAX);
		if (n != need && !why[0])
			snprintf(why, sizeof why, "%d-byte characters: the largest form needs %d bytes, "
				 "MANIFEST_RECORD_MAX is %d (got %d)", (int)strlen(chars[c]), need + 1,
				 MANIFEST_RECORD_MAX, n);
	}
	free(m);
	free(buf);
	free(over);
	if (why[0])
		fail_msg("%s", why);	/* after the frees: no leak report under ASan */
}

/* ------------------------------------------------------------------ */
/* waste and RCRA codes */

static void test_waste_codes(void **state)
{
	static const struct {
		enum waste_type w;
		const char *code;
	} rows[] = {
		{ WASTE_SEPTAGE, "septage" },		/* the four stored codes */
		{ WASTE_PORTABLE, "portable" },
		{ WASTE_GREASE, "grease" },
		{ WASTE_INDUSTRIAL, "industrial" },
	};
	static const char *const bad[] = {
		"",		/* empty */
		"Septage",	/* codes are lowercase */
		" septage",	/* nothing around the code */
		"septic",	/* not a code */
		"none",		/* WASTE_NONE has no code */
	};

	(void)state;
	assert_int_equal(HG_ARRAY_LEN(rows), WASTE_COUNT - 1);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_string_equal(waste_code(rows[i].w), rows[i].code);
		assert_int_equal(waste_parse(waste_code(rows[i].w)), rows[i].w);
		/* a name in each language, and they differ */
		assert_true(waste_name(rows[i].w, LANG_EN)[0] != '\0');
		assert_true(waste_name(rows[i].w, LANG_ES)[0] != '\0');
		assert_string_not_equal(waste_name(rows[i].w, LANG_EN), waste_name(rows[i].w, LANG_ES));
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++)
		assert_int_equal(waste_parse(bad[i]), WASTE_NONE);
	assert_int_equal(waste_parse(NULL), WASTE_NONE);
	assert_null(waste_code(WASTE_NONE));
	assert_null(waste_code(WASTE_COUNT));
	assert_string_equal(waste_name(WASTE_COUNT, LANG_EN), "");
	assert_string_equal(waste_name(WASTE_SEPTAGE, LANG_COUNT), "");
}

static void test_rcra_codes(void **state)
{
	static const struct {
		enum rcra r;
		const char *code;
	} rows[] = {
		{ RCRA_NO, "no" },		/* the three answers */
		{ RCRA_YES, "yes" },
		{ RCRA_UNKNOWN, "unknown" },
	};
	static const char *const bad[] = {
		"",		/* unanswered has the empty code, which does not parse */
		"No",		/* lowercase only */
		"si",		/* not a code */
		"unknown ",	/* nothing around the code */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_string_equal(rcra_code(rows[i].r), rows[i].code);
		assert_int_equal(rcra_parse(rcra_code(rows[i].r)), rows[i].r);
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++)
		assert_int_equal(rcra_parse(bad[i]), RCRA_UNANSWERED);
	assert_int_equal(rcra_parse(NULL), RCRA_UNANSWERED);
	assert_string_equal(rcra_code(RCRA_UNANSWERED), "");
	assert_string_equal(rcra_code((enum rcra)9), "");
}

static void test_waste_parse_list(void **state)
{
	static const struct {
		const char *list;
		unsigned mask;
	} good[] = {
		/* one */
		{ "septage", 1u << WASTE_SEPTAGE },
		/* two */
		{ "septage,grease", (1u << WASTE_SEPTAGE) | (1u << WASTE_GREASE) },
		/* spaces around the items */
		{ " septage , grease ", (1u << WASTE_SEPTAGE) | (1u << WASTE_GREASE) },
		/* all four is WASTE_ALL */
		{ "septage,portable,grease,industrial", WASTE_ALL },
		/* any order */
		{ "industrial,grease,portable,septage", WASTE_ALL },
		/* a repeated item counts once */
		{ "grease,grease", 1u << WASTE_GREASE },
		/* empty items are skipped */
		{ "septage,,grease,", (1u << WASTE_SEPTAGE) | (1u << WASTE_GREASE) },
		/* an empty list is an empty mask (sampling by type may be off) */
		{ "", 0 },
		{ " , ", 0 },
	};
	static const char *const bad[] = {
		"septic",				/* not a code */
		"Septage",				/* codes are lowercase */
		"septage,bogus",			/* one bad item spoils the list */
		"septage;grease",			/* ';' is not the separator */
		"septage grease",			/* nor is a space */
		"septage,\tgrease",			/* only spaces are trimmed */
		"septage,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",	/* a long word */
		"none",					/* not a waste type */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(good); i++) {
		unsigned mask = 0xdeadu;

		if (waste_parse_list(good[i].list, &mask) != HG_OK)
			fail_msg("\"%s\": refused", good[i].list);
		if (mask != good[i].mask)
			fail_msg("\"%s\": mask %#x, want %#x", good[i].list, mask, good[i].mask);
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		unsigned mask = 0xdeadu;

		if (waste_parse_list(bad[i], &mask) != HG_EINVAL)
			fail_msg("\"%s\": accepted", bad[i]);
		assert_int_equal(mask, 0xdeadu);	/* untouched on error */
	}
}

static void test_has_constituents(void **state)
{
	static const struct {
		const char *text;
		int want;
	} rows[] = {
		{ "lead, solvents", 1 },	/* declared */
		{ "lead", 1 },
		{ "plomo", 1 },
		{ "none of note", 1 },		/* more than the word: counts */
		{ "", 0 },			/* nothing typed */
		{ "   ", 0 },			/* only spaces */
		{ "none", 0 },			/* the word for none */
		{ "None", 0 },			/* any case */
		{ "NONE", 0 },
		{ "  none  ", 0 },		/* spaces around */
		{ "ninguno", 0 },		/* Spanish */
		{ "Ninguna", 0 },
		{ "n/a", 0 },
		{ "N/A", 0 },
		{ "no", 0 },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct manifest m;

		memset(&m, 0, sizeof m);
		SET(m.constituents, rows[i].text);
		if (manifest_has_constituents(&m) != rows[i].want)
			fail_msg("\"%s\": want %d", rows[i].text, rows[i].want);
		/* the form is only read: not trimmed or lowercased in place */
		assert_string_equal(m.constituents, rows[i].text);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_good),
		cmocka_unit_test(test_set_limits),
		cmocka_unit_test(test_set_bad),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_record_content),
		cmocka_unit_test(test_record_languages),
		cmocka_unit_test(test_record_no_town),
		cmocka_unit_test(test_record_deterministic),
		cmocka_unit_test(test_record_too_small),
		cmocka_unit_test(test_record_largest_form),
		cmocka_unit_test(test_waste_codes),
		cmocka_unit_test(test_rcra_codes),
		cmocka_unit_test(test_waste_parse_list),
		cmocka_unit_test(test_has_constituents),
	};

	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
