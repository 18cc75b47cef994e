/* test_i18n.c: the reasons' messages and the translation files (core/i18n.c,
 * assets/i18n/en.po, es.po; the codes themselves are test_reason's).
 *
 * An English and a Spanish message for each reason, and a Spanish message
 * that is not a copy of the English one.  Then out-of-range arguments, and
 * the language codes.
 *
 * The translation files, as built into the program: both parse, every key
 * of one is in the other with a text, a Spanish text equal to the English one
 * is marked "#, same", nothing is fuzzy, every entry says where it appears,
 * every reason has its "reason.<code>" key and every such key a reason.  This
 * is the test that fails when a string is missing in either language.
 * Last, HAULGATE_PO_DIR, in a child process (the files are read once per
 * process): this program runs itself again with "--child". */
#include "testutil.h"
#include "../../host/po_file.h"

#include <sys/wait.h>

#include "../../core/hg.h"
#include "../../core/i18n.h"
#include "../../core/po.h"
#include "../../core/text.h"

/* Longest message, in characters: one or two sentences fit on the screen. */
#define MSG_MAX 200

/* Every reason has both messages; the Spanish one is a translation, not a
 * copy; both are clean one-line text of reasonable length. */
static void test_messages(void **state)
{
	(void)state;
	for (int r = 1; r < R_COUNT; r++) {
		const char *code = reason_code((enum reason)r);

		for (int l = 0; l < LANG_COUNT; l++) {
			const char *msg = i18n_msg((enum reason)r, (enum lang)l);
			enum text_fault f;

			if (!msg || !*msg)
				fail_msg("%s: no %s message", code, i18n_lang_code((enum lang)l));
			f = text_check(msg, MSG_MAX, 1);
			if (f != TEXT_OK)
				fail_msg("%s (%s): text_check fault %d", code,
					 i18n_lang_code((enum lang)l), (int)f);
			if (msg[0] == ' ' || msg[strlen(msg) - 1] == ' ')
				fail_msg("%s (%s): spaces around the message", code,
					 i18n_lang_code((enum lang)l));
		}
		if (strcmp(i18n_msg((enum reason)r, LANG_EN), i18n_msg((enum reason)r, LANG_ES)) == 0)
			fail_msg("%s: the Spanish message is the English one", code);
	}
}

/* R_NONE, out-of-range reasons and languages (the codes' own edges are
 * test_reason's). */
static void test_edges(void **state)
{
	(void)state;
	assert_string_equal(i18n_msg(R_NONE, LANG_EN), "");
	assert_string_equal(i18n_msg(R_COUNT, LANG_EN), "");
	assert_string_equal(i18n_msg(R_CARD_UNKNOWN, LANG_COUNT), "");
	assert_string_equal(i18n_msg(R_CARD_UNKNOWN, (enum lang)-1), "");
}

static void test_lang(void **state)
{
	static const struct {
		const char *s;
		int want;
	} rows[] = {
		{ "en", LANG_EN },	/* the two languages */
		{ "es", LANG_ES },
		{ "EN", -1 },		/* codes are lowercase */
		{ "Es", -1 },
		{ "", -1 },		/* empty */
		{ "en ", -1 },		/* nothing around the code */
		{ "en-US", -1 },	/* no regions */
		{ "eng", -1 },		/* two letters */
		{ "fr", -1 },		/* a language we do not have */
		{ NULL, -1 },		/* no string */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		if (i18n_lang_parse(rows[i].s) != rows[i].want)
			fail_msg("\"%s\": %d, want %d", rows[i].s ? rows[i].s : "(null)",
				 i18n_lang_parse(rows[i].s), rows[i].want);
	/* round trip */
	for (int l = 0; l < LANG_COUNT; l++)
		assert_int_equal(i18n_lang_parse(i18n_lang_code((enum lang)l)), l);
	assert_string_equal(i18n_lang_code(LANG_EN), "en");
	assert_string_equal(i18n_lang_code(LANG_ES), "es");
}

/* The built-in PO table of lang, parsed (the test fails if it does not). */
static struct po *builtin(enum lang l)
{
	const char *text = i18n_po_builtin(l);
	struct po_error err;
	struct po *po = NULL;

	if (po_parse(text, strlen(text), &po, &err) != HG_OK)
		fail_msg("assets/i18n/%s.po (built-in):%d: %s", i18n_lang_code(l), err.line, err.msg);
	return po;
}

/* Both files parse, say their language, and hold something. */
static void test_po_files(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct po *po = builtin((enum lang)l);

		assert_string_equal(po_language(po), i18n_lang_code((enum lang)l));
		assert_true(po_count(po) > 0);
		po_free(po);
	}
	assert_string_equal(i18n_po_builtin(LANG_COUNT), "");
	assert_null(i18n_status());	/* the built-in copies were read without trouble */
}

/* Every key of `have` is in `other` with a text (the rule both ways). */
static void check_keys(const struct po *have, const char *have_name, const struct po *other,
		       const char *other_name)
{
	for (size_t i = 0; i < po_count(have); i++) {
		const struct po_entry *e = po_at(have, i);
		const char *v = po_get(other, e->key);

		if (!v)
			fail_msg("%s (line %d) is missing in %s", e->key, e->line, other_name);
		if (!*e->value)
			fail_msg("%s line %d: %s has no text (msgstr \"\")", have_name, e->line, e->key);
		if (e->flags & PO_FUZZY)
			fail_msg("%s line %d: %s is marked fuzzy: review it, then remove the flag",
				 have_name, e->line, e->key);
		if (!*e->note)
			fail_msg("%s line %d: %s has no \"#.\" comment saying where it appears",
				 have_name, e->line, e->key);
	}
}

/* The completeness rule: the same keys in both files, each with a text; a
 * Spanish text equal to the English one only when marked "#, same". */
static void test_complete(void **state)
{
	struct po *en = builtin(LANG_EN), *es = builtin(LANG_ES);

	(void)state;
	check_keys(en, "en.po", es, "es.po");
	check_keys(es, "es.po", en, "en.po");
	for (size_t i = 0; i < po_count(es); i++) {
		const struct po_entry *e = po_at(es, i);
		const char *english = po_get(en, e->key);

		if (english && strcmp(e->value, english) == 0 && !(e->flags & PO_SAME))
			fail_msg("es.po line %d: %s is the English text; translate it, or mark it "
				 "\"#, same\" if it is the same in Spanish", e->line, e->key);
	}
	po_free(en);
	po_free(es);
}

/* Every reason has its key in both files; every "reason." key is a reason;
 * i18n_msg() gives the files' texts. */
static void test_reason_keys(void **state)
{
	(void)state;
	for (int l = 0; l < LANG_COUNT; l++) {
		struct po *po = builtin((enum lang)l);
		const char *lang = i18n_lang_code((enum lang)l);

		for (int r = 1; r < R_COUNT; r++) {
			char key[128];
			const char *v;

			snprintf(key, sizeof key, "reason.%s", reason_code((enum reason)r));
			v = po_get(po, key);
			if (!v)
				fail_msg("%s.po: no %s", lang, key);
			assert_string_equal(i18n_msg((enum reason)r, (enum lang)l), v);
			assert_ptr_equal(i18n_text(key, (enum lang)l), i18n_msg((enum reason)r, (enum lang)l));
		}
		for (size_t i = 0; i < po_count(po); i++) {
			const struct po_entry *e = po_at(po, i);

			if (strncmp(e->key, "reason.", 7) == 0 && reason_parse(e->key + 7) == R_NONE)
				fail_msg("%s.po line %d: %s is not a reason code (docs/REASONS.md)",
					 lang, e->line, e->key);
		}
		assert_null(po_get(po, "reason.none"));
		po_free(po);
	}
}

/* i18n_text(): found, missing (the key itself), odd arguments. */
static void test_text(void **state)
{
	static const char missing[] = "ui.no.such.string", pin[] = "reason.pin_wrong";

	(void)state;
	assert_string_equal(i18n_text(pin, LANG_EN), "Wrong PIN. Please try again.");
	assert_string_equal(i18n_text(pin, LANG_ES), "PIN incorrecto. Inténtelo de nuevo.");
	assert_ptr_equal(i18n_text(missing, LANG_EN), missing);	/* the key itself */
	assert_ptr_equal(i18n_text(missing, LANG_ES), missing);
	assert_ptr_equal(i18n_text(pin, LANG_COUNT), pin);		/* no such language */
	assert_ptr_equal(i18n_text(pin, (enum lang)-1), pin);
	assert_string_equal(i18n_text("", LANG_EN), "");		/* the header is no string */
	assert_string_equal(i18n_text(NULL, LANG_EN), "");
}

/* The child: HAULGATE_PO_DIR is set; check that key in lang reads want, and
 * that i18n_status() is NULL (status "-") or holds the words status. */
static int child(char **argv)
{
	const char *key = argv[2], *want = argv[4], *words = argv[5];
	int l = i18n_lang_parse(argv[3]);
	const char *got = i18n_text(key, (enum lang)l), *st = i18n_status();

	if (strcmp(got, want) != 0) {
		fprintf(stderr, "child: %s (%s) = \"%s\", want \"%s\"\n", key, argv[3], got, want);
		return 1;
	}
	if (strncmp(key, "reason.", 7) == 0 &&
	    strcmp(i18n_msg(reason_parse(key + 7), (enum lang)l), want) != 0) {
		fprintf(stderr, "child: i18n_msg(%s) = \"%s\", want \"%s\"\n", key + 7,
			i18n_msg(reason_parse(key + 7), (enum lang)l), want);
		return 1;
	}
	if (strcmp(words, "-") == 0 ? st != NULL : (!st || !strstr(st, words))) {
		fprintf(stderr, "child: status \"%s\", want %s%s\n", st ? st : "(null)",
			strcmp(words, "-") == 0 ? "none" : "... ", strcmp(words, "-") == 0 ? "" : words);
		return 1;
	}
	return 0;
}

/* Run this program again as the child with HAULGATE_PO_DIR=dir. */
static int run_child(const char *dir, const char *key, const char *lang, const char *want,
		     const char *words)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (pid == 0) {
		setenv("HAULGATE_PO_DIR", dir, 1);
		execl("/proc/self/exe", "test_i18n", "--child", key, lang, want, words, (char *)NULL);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Write text to dir/name. */
static void put_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

/* text with its first `from` replaced by `to` (malloc'd). */
static char *replace(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	size_t n = strlen(text) - strlen(from) + strlen(to) + 1;
	char *out = malloc(n);

	assert_non_null(at);
	assert_non_null(out);
	snprintf(out, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return out;
}

/* HAULGATE_PO_DIR: an edited file is used; a broken one is reported and the
 * built-in copy used instead; so is a missing one. */
static void test_po_dir(void **state)
{
	const char *en = i18n_po_builtin(LANG_EN), *es = i18n_po_builtin(LANG_ES);
	const char *es_pin = i18n_msg(R_PIN_WRONG, LANG_ES);
	char from[256], dir[256], missing[300];
	char *edited, *added, *lang_en;

	(void)state;
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "i18n"), 0);
	snprintf(from, sizeof from, "msgstr \"%s\"", i18n_msg(R_PIN_WRONG, LANG_EN));
	edited = replace(en, from, "msgstr \"Wrong PIN (edited).\"");
	added = replace(es, "msgid \"reason.pin_wrong\"",
			"msgid \"ui.test.new\"\nmsgstr \"Nuevo\"\n\nmsgid \"reason.pin_wrong\"");
	lang_en = replace(es, "Language: es", "Language: en");

	/* an edit, and a new string, are read without rebuilding */
	put_file(dir, "en.po", edited);
	put_file(dir, "es.po", added);
	assert_int_equal(run_child(dir, "reason.pin_wrong", "en", "Wrong PIN (edited).", "-"), 0);
	assert_int_equal(run_child(dir, "ui.test.new", "es", "Nuevo", "-"), 0);
	assert_int_equal(run_child(dir, "reason.pin_wrong", "es", es_pin, "-"), 0);

	/* a broken es.po: said, with its line; the built-in Spanish is used, the
	 * edited English still is */
	put_file(dir, "es.po", "# broken\nmsgid \"\"\nmsgstr \"x\" y\n");
	assert_int_equal(run_child(dir, "reason.pin_wrong", "es", es_pin,
				   "es.po:3: text after the closing quote; using the built-in Spanish strings"), 0);
	assert_int_equal(run_child(dir, "reason.pin_wrong", "en", "Wrong PIN (edited).", "es.po:3:"), 0);

	/* English texts saved as es.po */
	put_file(dir, "es.po", lang_en);
	assert_int_equal(run_child(dir, "reason.pin_wrong", "es", es_pin,
				   "the header says Language: en, not es"), 0);

	/* no such folder: both built in */
	snprintf(missing, sizeof missing, "%s/nowhere", dir);
	assert_int_equal(run_child(missing, "reason.pin_wrong", "en", i18n_msg(R_PIN_WRONG, LANG_EN),
				   "en.po: cannot open"), 0);

	/* an empty HAULGATE_PO_DIR is not set */
	assert_int_equal(run_child("", "reason.pin_wrong", "es", es_pin, "-"), 0);

	free(edited);
	free(added);
	free(lang_en);
	assert_int_equal(tu_rmtree(dir), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_edges),
		cmocka_unit_test(test_lang),
		cmocka_unit_test(test_po_files),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_reason_keys),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_po_dir),
	};

	if (argc == 6 && strcmp(argv[1], "--child") == 0) {
		i18n_files_use();	/* as every program's main() does */
		return child(argv);
	}
	/* this process checks the built-in copies, whatever the caller's setting */
	unsetenv("HAULGATE_PO_DIR");
	return cmocka_run_group_tests_name("i18n", tests, NULL, NULL);
}
