/* test_pin.c: PINs a copied database does not give away (core/pin.c, the
 * PIN key file of core/keys.c, and the modes of every file that holds a PIN
 * hash or a key).
 *
 * A hash made with one PIN key verifies with that key only: not with
 * another, not without one, not as a plain Argon2id hash of the PIN (what
 * a thief with the database alone would try).  An operator's PIN needs 6
 * digits, a hauler's 4.  The key files and the database are made 0600 and
 * made 0600 again when found open to others. */
#include "testutil.h"
#include <sodium.h>
#include "../../core/pin.h"
#include "../../core/report.h"
#include "../../host/keyfile.h"
#include "../../db/store.h"

/* libsodium's cheapest Argon2id: the keying is under test, not the cost */
#define OPS crypto_pwhash_OPSLIMIT_MIN
#define MEM crypto_pwhash_MEMLIMIT_MIN

static char dir[512];

static int setup(void **state)
{
	(void)state;
	if (sodium_init() < 0 || tu_tmpdir(dir, sizeof dir, "pin") < 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	return tu_rmtree(dir);
}

static void path_of(const char *name, char *out, size_t cap)
{
	assert_true((size_t)snprintf(out, cap, "%s/%s", dir, name) < cap);
}

static unsigned mode_of(const char *path)
{
	struct stat sb;

	assert_int_equal(stat(path, &sb), 0);
	return (unsigned)(sb.st_mode & 0777);
}

/* ---- the keyed hash ---- */

static void test_keyed_hash(void **state)
{
	uint8_t a[KEY_PIN], b[KEY_PIN];
	char hash[PIN_HASH_MAX], plain[crypto_pwhash_STRBYTES], bare[PIN_HASH_MAX];
	const struct {
		const char *what;	/* the row: who checks what */
		const uint8_t *key;
		const char *hash;
		const char *pin;
		int want;
	} rows[] = {
		/* the station, its own key, the right PIN */
		{ "key A, right PIN", a, hash, "1234", HG_OK },
		/* the same key, a wrong PIN */
		{ "key A, wrong PIN", a, hash, "1235", HG_EREFUSED },
		/* another station's key (or a guessed one): the right PIN fails */
		{ "key B, right PIN", b, hash, "1234", HG_EREFUSED },
		/* no key at all: nothing is checked, nothing accepted */
		{ "no key", NULL, hash, "1234", HG_EINVAL },
		/* an empty PIN is never checked */
		{ "key A, empty PIN", a, hash, "", HG_EINVAL },
		/* an unkeyed Argon2id hash of the PIN (before pin.key): refused */
		{ "unkeyed hash", a, plain, "1234", HG_ECORRUPT },
		/* the keyed hash with its mark cut off: refused too */
		{ "mark removed", a, bare, "1234", HG_ECORRUPT },
		/* no hash */
		{ "no hash", a, NULL, "1234", HG_EINVAL },
	};

	(void)state;
	randombytes_buf(a, sizeof a);
	randombytes_buf(b, sizeof b);
	assert_int_equal(pin_hash_limits(a, "1234", OPS, MEM, hash), HG_OK);
	assert_int_equal(strncmp(hash, PIN_HASH_MARK "$argon2id$", 15), 0);
	assert_int_equal(crypto_pwhash_str(plain, "1234", 4, OPS, MEM), 0);
	snprintf(bare, sizeof bare, "%s", hash + strlen(PIN_HASH_MARK));

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int got = pin_verify(rows[i].key, rows[i].hash, rows[i].pin);

		if (got != rows[i].want)
			fail_msg("%s: %d, want %d", rows[i].what, got, rows[i].want);
	}

	/* the database alone: the hash's Argon2id part is not a hash of the
	 * PIN, so trying every PIN against it finds nothing */
	assert_int_not_equal(crypto_pwhash_str_verify(bare, "1234", 4), 0);

	/* no key, no hash: nothing is stored without it */
	assert_int_equal(pin_hash_limits(NULL, "1234", OPS, MEM, hash), HG_EINVAL);
	assert_string_equal(hash, "");
	assert_int_equal(pin_hash_limits(a, "", OPS, MEM, hash), HG_EINVAL);
}

/* The station's own limits are the ones the docs give: Argon2id,
 * opslimit 4 (t=4), memlimit 16 MiB (m=16384 KiB), one lane. */
static void test_station_limits(void **state)
{
	uint8_t k[KEY_PIN];
	char hash[PIN_HASH_MAX], argon[crypto_pwhash_STRBYTES];

	(void)state;
	randombytes_buf(k, sizeof k);
	assert_int_equal(PIN_OPSLIMIT, 4);
	assert_int_equal(PIN_MEMLIMIT, 16777216);
	assert_int_equal(pin_hash(k, "987654", hash), HG_OK);
	assert_int_equal(strncmp(hash, "$hgk1$argon2id$v=19$m=16384,t=4,p=1$", 36), 0);
	assert_int_equal(pin_verify(k, hash, "987654"), HG_OK);
	snprintf(argon, sizeof argon, "%s", hash + strlen(PIN_HASH_MARK));
	assert_int_equal(crypto_pwhash_str_needs_rehash(argon, PIN_OPSLIMIT, PIN_MEMLIMIT), 0);
}

/* ---- who may have which PIN ---- */

static void test_pin_rule(void **state)
{
	const struct {
		enum card_kind kind;
		const char *pin;
		int want;
	} rows[] = {
		{ CARD_HAULER, "1234", HG_OK },			/* a hauler: 4 digits do */
		{ CARD_HAULER, "123", HG_EREFUSED },		/* 3 do not */
		{ CARD_OPERATOR, "1234", HG_EREFUSED },		/* an operator: 4 do not */
		{ CARD_OPERATOR, "12345", HG_EREFUSED },	/* nor 5 */
		{ CARD_OPERATOR, "123456", HG_OK },		/* 6 do */
		{ CARD_OPERATOR, "123456789012", HG_OK },	/* up to 12 */
		{ CARD_OPERATOR, "1234567890123", HG_ETOOLONG },	/* 13 never */
		{ CARD_HAULER, "1234567890123", HG_ETOOLONG },	/* for anyone */
		{ CARD_OPERATOR, "12345a", HG_EINVAL },		/* digits only */
		{ CARD_HAULER, "12 34", HG_EINVAL },		/* no spaces */
		{ CARD_HAULER, "", HG_EINVAL },			/* not empty */
	};

	(void)state;
	assert_int_equal(pin_min_digits(CARD_OPERATOR), 6);
	assert_int_equal(pin_min_digits(CARD_HAULER), 4);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		int got = pin_new_ok(rows[i].kind, rows[i].pin);

		if (got != rows[i].want)
			fail_msg("row %zu (\"%s\"): %d, want %d", i, rows[i].pin, got, rows[i].want);
	}
}

/* ---- the PIN key file ---- */

static void test_pin_path(void **state)
{
	const struct {
		const char *key, *want;
	} rows[] = {
		{ "var/station.key", "var/pin.key" },		/* the default */
		{ "station.key", "pin.key" },			/* no folder */
		{ "/etc/haulgate/keys/s", "/etc/haulgate/keys/pin.key" },	/* absolute */
		{ "/s.key", "/pin.key" },			/* at the root */
	};
	char out[64];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_int_equal(keys_pin_path(rows[i].key, out, sizeof out), HG_OK);
		assert_string_equal(out, rows[i].want);
	}
	assert_int_equal(keys_pin_path("var/station.key", out, 8), HG_ETOOLONG);
}

static void test_pin_key_file(void **state)
{
	char path[600], before[256], after[256];
	uint8_t made[KEY_PIN];
	struct keypair kp;
	FILE *f;
	size_t n;

	(void)state;
	path_of("pin.key", path, sizeof path);
	assert_int_equal(keys_pin_create(path, made), HG_OK);
	assert_int_equal(mode_of(path), 0600);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(before, 1, sizeof before - 1, f);
	before[n] = '\0';
	fclose(f);
	assert_int_equal(n, 45);	/* 44 base64 characters and a newline */

	/* never overwritten */
	assert_int_equal(keys_pin_create(path, NULL), HG_EEXIST);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(after, 1, sizeof after - 1, f);
	after[n] = '\0';
	fclose(f);
	assert_string_equal(after, before);

	/* read back: the same bytes */
	memset(&kp, 0, sizeof kp);
	assert_int_equal(keys_pin_load(path, &kp), HG_OK);
	assert_true(kp.has_pin);
	assert_memory_equal(kp.pin, made, KEY_PIN);

	/* missing: its path is named, and no key is left behind */
	path_of("gone.key", path, sizeof path);
	assert_int_equal(keys_pin_load(path, &kp), HG_ENOTFOUND);
	assert_false(kp.has_pin);
	assert_non_null(strstr(hg_error_text(), "gone.key"));

	/* not a PIN key: 3 bytes, or the station's 64 */
	path_of("short.key", path, sizeof path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("AAAA\n", f);
	fclose(f);
	assert_int_equal(keys_pin_load(path, &kp), HG_ECORRUPT);
	assert_false(kp.has_pin);
	path_of("station.key", path, sizeof path);
	assert_int_equal(keys_create(path, NULL), HG_OK);
	assert_int_equal(keys_pin_load(path, &kp), HG_ECORRUPT);
}

/* A key file found open to others (a copy made with cp, an unpacked
 * backup) is made 0600 as it is read. */
static void test_secret_modes(void **state)
{
	const struct {
		const char *name;	/* the file */
		int pin;		/* 1: the PIN key, 0: the station key */
		mode_t loose;		/* the mode it was found in */
	} rows[] = {
		{ "m-station.key", 0, 0644 },	/* world-readable station key */
		{ "m-pin.key", 1, 0644 },	/* world-readable PIN key */
		{ "m-pin2.key", 1, 0660 },	/* group-writable PIN key */
	};
	char path[600];
	struct keypair kp;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		path_of(rows[i].name, path, sizeof path);
		if (rows[i].pin)
			assert_int_equal(keys_pin_create(path, NULL), HG_OK);
		else
			assert_int_equal(keys_create(path, NULL), HG_OK);
		assert_int_equal(chmod(path, rows[i].loose), 0);
		if (rows[i].pin)
			assert_int_equal(keys_pin_load(path, &kp), HG_OK);
		else
			assert_int_equal(keys_load(path, &kp), HG_OK);
		if (mode_of(path) != 0600)
			fail_msg("%s: mode %03o after reading", rows[i].name, mode_of(path));
	}
}

/* ---- the database that holds the hashes ---- */

/* A new database and its -wal and -shm (made by sqlite with the database's
 * mode) are 0600 while the store has them open; an old one found 0644 is
 * made 0600 when opened. */
static void test_store_modes(void **state)
{
	char path[600], side[640];
	struct store *st;

	(void)state;
	path_of("hg.db", path, sizeof path);
	assert_int_equal(store_open(&st, path, 1), HG_OK);
	assert_int_equal(store_meta_set(st, "station_id", "t-1", 1000, "test"), HG_OK);
	assert_int_equal(mode_of(path), 0600);
	snprintf(side, sizeof side, "%s-wal", path);
	assert_int_equal(mode_of(side), 0600);
	snprintf(side, sizeof side, "%s-shm", path);
	assert_int_equal(mode_of(side), 0600);
	store_close(st);

	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(store_open(&st, path, 0), HG_OK);
	assert_int_equal(mode_of(path), 0600);
	store_close(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keyed_hash),
		cmocka_unit_test(test_station_limits),
		cmocka_unit_test(test_pin_rule),
		cmocka_unit_test(test_pin_path),
		cmocka_unit_test(test_pin_key_file),
		cmocka_unit_test(test_secret_modes),
		cmocka_unit_test(test_store_modes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
