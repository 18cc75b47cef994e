/* test_config_keys.c: unit tests of station.ini's key table and its kinds.
 *
 * core/config.c has one row per key (section, name, kind, field, limits)
 * and core/config_value.c one parser per kind.  These tests walk the table:
 * every row is well formed (a known section, a kind with a parser, a field
 * of the size that parser writes, limits that make sense, no key twice);
 * station.ini.example sets every key of the table and nothing else, and
 * each of its values parses to the built-in default; and docs/CONFIG.md
 * documents exactly the table's keys, section by section, so that a key
 * added without its documentation (or documented and gone) fails here. */
#include "testutil.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "../../core/config_int.h"
#include "../../core/text.h"
#include "../../host/config_file.h"

#define MAX_NAMES 128

/* Keys found in a file: "section key", one per row. */
struct names {
	int n;
	char s[MAX_NAMES][96];
};

static void add_name(struct names *nm, const char *section, const char *key)
{
	assert_true(nm->n < MAX_NAMES);
	assert_true((size_t)snprintf(nm->s[nm->n], sizeof nm->s[0], "%s %s", section, key) <
		    sizeof nm->s[0]);
	nm->n++;
}

static int has_name(const struct names *nm, const char *section, const char *key)
{
	char want[256];
	int n = snprintf(want, sizeof want, "%s %s", section, key);

	assert_true(n > 0 && (size_t)n < sizeof want);
	for (int i = 0; i < nm->n; i++)
		if (strcmp(nm->s[i], want) == 0)
			return 1;
	return 0;
}

/* The repository's root, from this file's path, into root[cap] ("" when
 * the build ran from elsewhere and it cannot be told). */
static void repo_root(char *root, size_t cap)
{
	const char *here = __FILE__;
	const char *cut = strstr(here, "tests/unit/test_config_keys.c");

	snprintf(root, cap, "%.*s", cut ? (int)(cut - here) : 0, here);
}

/* fopen root + name, or skip the test when it is not found from here. */
static FILE *open_repo_file(const char *name, char *path, size_t cap)
{
	char root[512];
	FILE *f;

	repo_root(root, sizeof root);
	snprintf(path, cap, "%s%s", root, name);
	f = fopen(path, "r");
	if (!f)
		print_message("skipped: %s not found from here\n", path);
	return f;
}

static int is_relays(const char *section)
{
	return strcmp(section, "relays") == 0;
}

/* The relay names the defaults give: [relays]'s documented keys. */
static void default_relays(struct names *nm)
{
	struct config def;

	config_defaults(&def);
	for (int i = 0; i < def.n_relays; i++)
		add_name(nm, "relays", def.relays[i].name);
}

/* The table's keys, and the default relays, as names. */
static void table_names(struct names *nm)
{
	const struct key *k;

	memset(nm, 0, sizeof *nm);
	for (size_t i = 0; (k = cfg_key_at(i)); i++)
		add_name(nm, k->section, k->name);
	default_relays(nm);
}

/* Every name of a is in b, each missing one printed. */
static int all_in(const struct names *a, const struct names *b, const char *where)
{
	int ok = 1;

	for (int i = 0; i < a->n; i++) {
		char sect[96], *key;

		snprintf(sect, sizeof sect, "%s", a->s[i]);
		key = strchr(sect, ' ');
		*key++ = '\0';
		if (!has_name(b, sect, key)) {
			print_message("  [%s] %s: not in %s\n", sect, key, where);
			ok = 0;
		}
	}
	return ok;
}

/* ---- the table ---- */

static int known_section(const char *s)
{
	const char *t;

	for (size_t i = 0; (t = cfg_section_at(i)); i++)
		if (strcmp(t, s) == 0)
			return 1;
	return 0;
}

/* Every row is well formed, and no key is in the table twice. */
static void test_table(void **state)
{
	const struct key *k, *o;
	size_t n = 0;

	(void)state;
	for (size_t i = 0; (k = cfg_key_at(i)); i++, n++) {
		const struct cfg_kind *kind = cfg_kind(k->kind);

		assert_non_null(kind);
		assert_non_null(kind->name);
		print_message("  [%s] %s: %s\n", k->section, k->name, kind->name);
		assert_true(known_section(k->section));
		assert_false(is_relays(k->section));	/* its keys are relay names */
		assert_true(k->off + k->size <= sizeof(struct config));
		assert_true(k->size > 0);
		if (kind->size)		/* an int field for an int parser ... */
			assert_int_equal(k->size, kind->size);
		else			/* ... a text buffer for a text one */
			assert_true(k->size >= 32);
		switch (k->kind) {
		case K_HOURS:		/* min is the weekday */
			assert_in_range(k->min, 0, 6);
			break;
		case K_TEXT:		/* max characters fit the buffer */
			assert_true(k->max > 0 && (size_t)k->max < k->size);
			break;
		case K_INT:
			assert_true(k->max <= INT_MAX);
			/* fall through */
		case K_LONG:
		case K_DURATION:
			assert_true(k->min <= k->max);
			break;
		default:
			break;
		}
		for (size_t j = 0; j < i; j++) {
			o = cfg_key_at(j);
			assert_false(strcmp(o->section, k->section) == 0 &&
				     strcmp(o->name, k->name) == 0);
		}
	}
	assert_true(n > 0 && n <= CFG_MAX_KEYS);
}

/* Every kind has its parser, and every section but [relays] has keys. */
static void test_kinds_and_sections(void **state)
{
	const struct key *k;
	const char *s;

	(void)state;
	for (int i = 0; i < K_COUNT; i++) {
		const struct cfg_kind *kind = cfg_kind((enum kind)i);

		assert_non_null(kind);
		assert_non_null(kind->set);
	}
	assert_null(cfg_kind(K_COUNT));
	for (size_t i = 0; (s = cfg_section_at(i)); i++) {
		int found = 0;

		for (size_t j = 0; (k = cfg_key_at(j)); j++)
			found |= strcmp(k->section, s) == 0;
		assert_true(found || is_relays(s));
	}
}

/* The message for an unknown section names exactly the table's sections. */
static void test_unknown_section_lists_sections(void **state)
{
	char dir[512], path[600], want[300] = "unknown section [nope] (known: ";
	struct config cfg;
	struct config_errors errs = { 0 };
	const char *s;
	FILE *f;

	(void)state;
	for (size_t i = 0; (s = cfg_section_at(i)); i++) {
		if (i)
			strncat(want, ", ", sizeof want - strlen(want) - 1);
		strncat(want, s, sizeof want - strlen(want) - 1);
	}
	strncat(want, ")", sizeof want - strlen(want) - 1);
	assert_int_equal(tu_tmpdir(dir, sizeof dir, "cfgkeys"), 0);
	snprintf(path, sizeof path, "%s/station.ini", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("[nope]\n", f);
	assert_int_equal(fclose(f), 0);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, &errs), HG_EINVAL);
	assert_int_equal(tu_rmtree(dir), 0);
	assert_int_equal(errs.n, 1);
	assert_string_equal(errs.e[0].msg, want);
}

/* ---- station.ini.example: every key, each at its default ---- */

/* The keys of an INI file: "[section]" lines and "key =" lines. */
static void ini_names(FILE *f, struct names *nm)
{
	char line[512], sect[512] = "";

	memset(nm, 0, sizeof *nm);
	while (fgets(line, sizeof line, f)) {
		char *eq;

		text_trim(line);
		if (line[0] == '\0' || line[0] == ';' || line[0] == '#')
			continue;
		if (line[0] == '[') {
			char *end = strchr(line, ']');

			assert_non_null(end);
			*end = '\0';
			snprintf(sect, sizeof sect, "%s", line + 1);
			continue;
		}
		eq = strchr(line, '=');
		if (!eq)
			continue;	/* a list going on */
		*eq = '\0';
		text_trim(line);
		add_name(nm, sect, line);
	}
}

/* s with the first "dir/" taken out ("sim:/x/var/relays" -> "sim:var/relays"). */
static void unresolve(char *s, size_t cap, const char *dir)
{
	char prefix[700], out[CFG_PATH + 8];
	char *at;
	int n;

	n = snprintf(prefix, sizeof prefix, "%s/", dir);
	assert_true(n > 0 && (size_t)n < sizeof prefix);
	at = strstr(s, prefix);
	if (!at)
		return;
	snprintf(out, sizeof out, "%.*s%s", (int)(at - s), s, at + strlen(prefix));
	assert_true(strlen(out) < cap);
	memset(s, 0, cap);
	memcpy(s, out, strlen(out));
}

static void test_example_sets_every_key(void **state)
{
	char path[600], dir[600];
	struct names table, file;
	struct config cfg, def;
	struct config_errors errs = { 0 };
	const struct key *k;
	FILE *f;

	(void)state;
	f = open_repo_file("station.ini.example", path, sizeof path);
	if (!f)
		skip();
	ini_names(f, &file);
	fclose(f);
	table_names(&table);
	assert_true(all_in(&table, &file, "station.ini.example"));
	assert_true(all_in(&file, &table, "the key table"));

	/* each key's value in the file is its default: the field is the same,
	 * once a resolved path has its folder taken out again */
	snprintf(dir, sizeof dir, "%.*s", (int)(strrchr(path, '/') - path), path);
	config_defaults(&def);
	config_defaults(&cfg);
	assert_int_equal(config_load(&cfg, path, &errs), HG_OK);
	for (size_t i = 0; (k = cfg_key_at(i)); i++) {
		char *got = (char *)&cfg + k->off;

		if (k->kind == K_PATH || k->kind == K_HW || k->kind == K_HW_OPT ||
		    k->kind == K_SPEECH_OUT)
			unresolve(got, k->size, dir);
		if (memcmp(got, (char *)&def + k->off, k->size) != 0) {
			print_message("  [%s] %s: the example's value is not the default\n",
				      k->section, k->name);
			fail();
		}
	}
	/* and nothing else differs: list lengths, relays */
	cfg.station_id_line = 0;	/* where the file said it */
	assert_int_equal(memcmp(&cfg, &def, sizeof cfg), 0);
}

/* ---- docs/CONFIG.md: every key documented, nothing more ---- */

/* The keys of docs/CONFIG.md: under each "## [section]" heading, the
 * `names` in the first cell of each table row. */
static void doc_names(FILE *f, struct names *nm)
{
	char line[4096], sect[64] = "";

	memset(nm, 0, sizeof *nm);
	while (fgets(line, sizeof line, f)) {
		char *p, *cell_end;

		if (strncmp(line, "## ", 3) == 0) {
			sect[0] = '\0';
			if (line[3] == '[' && (p = strchr(line, ']')))
				snprintf(sect, sizeof sect, "%.*s", (int)(p - line - 4), line + 4);
			continue;
		}
		if (!sect[0] || strncmp(line, "| ", 2) != 0)
			continue;
		cell_end = strchr(line + 1, '|');
		if (!cell_end)
			continue;
		*cell_end = '\0';
		for (p = line; (p = strchr(p, '`'));) {
			char *end = strchr(p + 1, '`');

			assert_non_null(end);
			*end = '\0';
			add_name(nm, sect, p + 1);
			p = end + 1;
		}
	}
}

static void test_docs_list_every_key(void **state)
{
	char path[600];
	struct names table, doc;
	const char *s;
	FILE *f;

	(void)state;
	f = open_repo_file("docs/CONFIG.md", path, sizeof path);
	if (!f)
		skip();
	doc_names(f, &doc);
	fclose(f);
	table_names(&table);
	assert_true(all_in(&table, &doc, "docs/CONFIG.md"));
	assert_true(all_in(&doc, &table, "the key table"));
	for (size_t i = 0; (s = cfg_section_at(i)); i++) {	/* a heading per section */
		int found = 0;

		for (int j = 0; j < doc.n; j++)
			found |= strncmp(doc.s[j], s, strlen(s)) == 0 && doc.s[j][strlen(s)] == ' ';
		if (!found)
			print_message("  [%s]: no \"## [%s]\" table in docs/CONFIG.md\n", s, s);
		assert_true(found);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_kinds_and_sections),
		cmocka_unit_test(test_unknown_section_lists_sections),
		cmocka_unit_test(test_example_sets_every_key),
		cmocka_unit_test(test_docs_list_every_key),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
