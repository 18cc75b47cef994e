/* test_receipt.c: unit tests of core/receipt.c.
 *
 * Keys are made in a fresh temporary folder.  The public key and signatures
 * are checked against the real OpenSSL command line (pkeyutl -verify -rawin),
 * both ways; those cases are skipped, saying so, only when openssl is not
 * installed.  The QR tables change one thing at a time: a byte of each field
 * and of the signature (well-formed: the signature must fail), and every way
 * the text can be malformed (it must not parse). */
#include "testutil.h"
#include "fixture_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>

#include <sodium.h>

#include "../../core/receipt.h"
#include "../../core/report.h"
#include "../../host/keyfile.h"
#include "../../core/text.h"

static struct load_fixture fx;	/* the load and key every test starts from */

static int setup(void **state)
{
	(void)state;
	return fixture_load_setup(&fx, "receipt");
}

static int teardown(void **state)
{
	(void)state;
	return fixture_load_teardown(&fx);
}

static int each(void **state)
{
	(void)state;
	fixture_load_make(fx.ld);
	return 0;
}

static void path_of(const char *name, char *out, size_t cap)
{
	assert_true((size_t)snprintf(out, cap, "%s/%s", fx.dir, name) < cap);
}

static void write_bytes(const char *path, const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static size_t read_bytes(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "rb");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, cap - 1, f);
	buf[n] = '\0';
	fclose(f);
	return n;
}

/* ---- keys ---- */

static void test_keys(void **state)
{
	char path[600], pub[640], pem[256], file[4096];
	struct keypair k, again;
	uint8_t pk[KEY_PUBLIC];
	struct stat st;

	(void)state;
	path_of("k1.key", path, sizeof path);
	assert_int_equal(keys_create(path, &k), HG_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);		/* secret: owner only */

	/* an existing key is never overwritten */
	read_bytes(path, file, sizeof file);
	assert_int_equal(keys_create(path, &again), HG_EEXIST);
	assert_non_null(strstr(hg_error_text(), "exists"));
	{
		char now[4096];

		read_bytes(path, now, sizeof now);
		assert_string_equal(now, file);
	}

	/* load: the same pair back */
	memset(&again, 0, sizeof again);
	assert_int_equal(keys_load(path, &again), HG_OK);
	assert_memory_equal(again.sk, k.sk, KEY_SECRET);
	assert_memory_equal(again.pk, k.pk, KEY_PUBLIC);

	/* the public key, from the key path and from the .pub path */
	assert_int_equal(keys_load_public(path, pk), HG_OK);
	assert_memory_equal(pk, k.pk, KEY_PUBLIC);
	snprintf(pub, sizeof pub, "%s.pub", path);
	assert_int_equal(keys_load_public(pub, pk), HG_OK);
	assert_memory_equal(pk, k.pk, KEY_PUBLIC);

	/* the .pub file is exactly keys_public_pem() */
	assert_int_equal(keys_public_pem(k.pk, pem, sizeof pem), HG_OK);
	read_bytes(pub, file, sizeof file);
	assert_string_equal(file, pem);
	assert_memory_equal(pem, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA", 43);
	assert_int_equal(strlen(pem), 27 + 61 + 25);
	assert_string_equal(pem + 27 + 61, "-----END PUBLIC KEY-----\n");
	/* too small a buffer */
	assert_int_equal(keys_public_pem(k.pk, pem, 64), HG_ETOOLONG);
	assert_string_equal(pem, "");
}

static void test_keys_bad(void **state)
{
	static const struct {
		const char *name;	/* file written as the secret key */
		const char *content;
		int want;
	} rows[] = {
		{ "garbage.key", "not base64 at all\n", HG_ECORRUPT },	/* not base64 */
		{ "short.key", "AAAA\n", HG_ECORRUPT },			/* 3 bytes */
		{ "empty.key", "", HG_ECORRUPT },			/* empty file */
		{ "two.key", "AAAA\nAAAA\n", HG_ECORRUPT },		/* two lines */
	};
	char path[600], b64[128];
	struct keypair k;
	uint8_t pk[KEY_PUBLIC];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		path_of(rows[i].name, path, sizeof path);
		write_bytes(path, rows[i].content, strlen(rows[i].content));
		if (keys_load(path, &k) != rows[i].want)
			fail_msg("row %zu: %s loaded", i, rows[i].name);
	}

	/* 64 bytes whose public half is not the one of its seed */
	memcpy(&k, &fx.kp, sizeof k);
	k.sk[63] ^= 1;
	sodium_bin2base64(b64, sizeof b64, k.sk, KEY_SECRET, sodium_base64_VARIANT_ORIGINAL);
	path_of("mismatch.key", path, sizeof path);
	write_bytes(path, b64, strlen(b64));
	assert_int_equal(keys_load(path, &k), HG_ECORRUPT);
	assert_non_null(strstr(hg_error_text(), "damaged"));

	/* no such key; no such folder to create one in */
	path_of("none.key", path, sizeof path);
	assert_int_equal(keys_load(path, &k), HG_ENOTFOUND);
	assert_int_equal(keys_load_public(path, pk), HG_ENOTFOUND);
	path_of("no/such/folder.key", path, sizeof path);
	assert_int_equal(keys_create(path, &k), HG_EIO);

	/* public key files that are not one */
	path_of("bad.pub", path, sizeof path);
	write_bytes(path, "hello\n", 6);
	assert_int_equal(keys_load_public(path, pk), HG_ECORRUPT);
	/* an RSA-looking prefix (the OID changed) */
	{
		static const char rsa[] = "-----BEGIN PUBLIC KEY-----\n"
					  "MCowBQYDK2VxAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n"
					  "-----END PUBLIC KEY-----\n";

		write_bytes(path, rsa, strlen(rsa));
		assert_int_equal(keys_load_public(path, pk), HG_ECORRUPT);
	}
	/* a PEM with its END line missing */
	write_bytes(path, "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA\n", 44);
	assert_int_equal(keys_load_public(path, pk), HG_ECORRUPT);
}

/* ---- OpenSSL, the outside judge ---- */

static int have_openssl(void)
{
	return system("command -v openssl >/dev/null 2>&1") == 0;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Run a shell command; its exit status. */
static int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int n, st;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof cmd);
	st = system(cmd);
	return st == -1 ? -1 : WEXITSTATUS(st);
}

static void test_openssl(void **state)
{
	static const char msg[] = "haulgate: load 42, 3000 gallons of septage";
	char pub[600], m[600], sig[600], bad[600], out[600];
	char ours[256], theirs[256];
	uint8_t s[crypto_sign_BYTES];

	(void)state;
	if (!have_openssl()) {
		print_message("skipped: openssl is not installed, cannot cross-check\n");
		skip();
	}
	snprintf(pub, sizeof pub, "%s/station.key.pub", fx.dir);
	path_of("msg", m, sizeof m);
	path_of("msg.sig", sig, sizeof sig);
	path_of("msg.bad", bad, sizeof bad);
	path_of("out.txt", out, sizeof out);

	/* our key, our signature, OpenSSL verifies */
	write_bytes(m, msg, sizeof msg - 1);
	crypto_sign_detached(s, NULL, (const unsigned char *)msg, sizeof msg - 1, fx.kp.sk);
	write_bytes(sig, s, sizeof s);
	assert_int_equal(run("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s' "
			     "-sigfile '%s' >'%s' 2>&1", pub, m, sig, out), 0);
	read_bytes(out, ours, sizeof ours);
	assert_non_null(strstr(ours, "Signature Verified Successfully"));
	/* and refuses a changed message */
	write_bytes(bad, "haulgate: load 42, 9000 gallons of septage", sizeof msg - 1);
	assert_int_not_equal(run("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s' "
				 "-sigfile '%s' >/dev/null 2>&1", pub, bad, sig), 0);

	/* OpenSSL reads our PEM and writes it back the same */
	assert_int_equal(run("openssl pkey -pubin -in '%s' -pubout -out '%s' 2>/dev/null", pub,
			     out), 0);
	read_bytes(pub, ours, sizeof ours);
	read_bytes(out, theirs, sizeof theirs);
	assert_string_equal(ours, theirs);

	/* the signed part of a real QR text verifies with OpenSSL too */
	{
		char qr[QR_MAX];
		const char *s64;
		size_t len = 0;

		assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
		s64 = strstr(qr, "&s=");
		assert_non_null(s64);
		write_bytes(m, qr, (size_t)(s64 - qr));
		assert_int_equal(sodium_base642bin(s, sizeof s, s64 + 3, strlen(s64 + 3), NULL, &len,
						   NULL, sodium_base64_VARIANT_URLSAFE_NO_PADDING), 0);
		assert_int_equal(len, sizeof s);
		write_bytes(sig, s, sizeof s);
		assert_int_equal(run("openssl pkeyutl -verify -pubin -inkey '%s' -rawin -in '%s' "
				     "-sigfile '%s' >/dev/null 2>&1", pub, m, sig), 0);
	}

	/* the other way: an OpenSSL key and signature, read and checked by us */
	{
		char key[600], kpub[600];
		uint8_t pk[KEY_PUBLIC];

		path_of("ossl.pem", key, sizeof key);
		path_of("ossl.pub", kpub, sizeof kpub);
		assert_int_equal(run("openssl genpkey -algorithm ed25519 -out '%s' 2>/dev/null && "
				     "openssl pkey -in '%s' -pubout -out '%s' 2>/dev/null && "
				     "openssl pkeyutl -sign -inkey '%s' -rawin -in '%s' -out '%s' "
				     "2>/dev/null", key, key, kpub, key, m, sig), 0);
		assert_int_equal(keys_load_public(kpub, pk), HG_OK);
		{
			char raw[256];

			assert_int_equal(read_bytes(sig, raw, sizeof raw), sizeof s);
			memcpy(s, raw, sizeof s);
		}
		{
			char text[QR_MAX];
			size_t n = read_bytes(m, text, sizeof text);

			assert_int_equal(crypto_sign_verify_detached(s, (const unsigned char *)text,
								     n, pk), 0);
		}
	}
}

/* ---- the QR text ---- */

#define QR_SIGNED "https://potw.example.org/r?v=1&st=demo-01&n=42&t=20260302T171500Z" \
		  "&g=3000&w=septage&p=SP-2026%2F07%20%C3%A9&s="

static void test_qr_roundtrip(void **state)
{
	char qr[QR_MAX];
	struct qr_fields f;
	const char *field = "x";

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	assert_memory_equal(qr, QR_SIGNED, strlen(QR_SIGNED));
	assert_int_equal(strlen(qr), strlen(QR_SIGNED) + 86);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, qr, &f), HG_OK);
	assert_string_equal(f.base, "https://potw.example.org/r");
	assert_int_equal(f.v, 1);
	assert_string_equal(f.station, "demo-01");
	assert_int_equal(f.load_no, 42);
	assert_int_equal(f.t, 1772471700);
	assert_int_equal(f.gallons, 3000);
	assert_string_equal(f.waste, "septage");
	assert_string_equal(f.permit, "SP-2026/07 \xc3\xa9");
	assert_int_equal(receipt_qr_matches(&f, fx.ld, &field), 1);
	assert_null(field);

	/* an empty base: the QR text is the query alone */
	assert_int_equal(receipt_qr(&fx.kp, "", fx.ld, qr), HG_OK);
	assert_memory_equal(qr, "?v=1&st=demo-01&", 16);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, qr, &f), HG_OK);
	/* signing is deterministic (Ed25519) */
	{
		char again[QR_MAX];

		assert_int_equal(receipt_qr(&fx.kp, "", fx.ld, again), HG_OK);
		assert_string_equal(qr, again);
	}
}

/* receipt_qr_read(): the same parser without the signature: a text signed
 * by any key, or with its figures changed, reads (claims only); a malformed
 * one does not; a label is not a receipt. */
static void test_qr_read(void **state)
{
	char qr[QR_MAX], changed[QR_MAX], label[QR_MAX];
	struct qr_fields f;
	char *g;

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	assert_int_equal(receipt_qr_read(qr, &f), HG_OK);
	assert_string_equal(f.station, "demo-01");
	assert_int_equal(f.load_no, 42);
	assert_int_equal(f.gallons, 3000);
	snprintf(changed, sizeof changed, "%s", qr);
	g = strstr(changed, "&g=3000");
	assert_non_null(g);
	g[3] = '9';
	assert_int_equal(receipt_qr_read(changed, &f), HG_OK);	/* reads ... */
	assert_int_equal(f.gallons, 9000);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, changed, NULL), HG_EREFUSED);	/* ... is not ours */
	assert_int_equal(receipt_qr_read("https://x.org/r?v=1&st=demo-01&n=1", &f), HG_EINVAL);
	assert_int_equal(f.load_no, 0);
	assert_int_equal(receipt_qr_read(NULL, NULL), HG_EINVAL);
	fx.ld->t.sampled = fx.ld->t.decided;
	fx.ld->sampled_by = 3;
	snprintf(fx.ld->bottle, sizeof fx.ld->bottle, "B-1");
	assert_int_equal(receipt_label_qr(&fx.kp, "https://potw.example.org/r", fx.ld, label), HG_OK);
	assert_int_equal(receipt_qr_read(label, NULL), HG_EINVAL);
}

/* The record differs from a genuine QR: the first different field is named. */
static void test_qr_matches(void **state)
{
	static const char *const want[] = { "station", "load_no", "time", "gallons", "waste",
					     "permit" };
	char qr[QR_MAX];
	struct qr_fields f;

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, qr, &f), HG_OK);
	for (size_t i = 0; i < HG_ARRAY_LEN(want); i++) {
		const char *field = NULL;

		fixture_load_make(fx.ld);
		switch (i) {
		case 0: FIXTURE_SET(fx.ld->station, "demo-02"); break;		/* another station */
		case 1: fx.ld->load_no = 43; break;			/* another load */
		case 2: fx.ld->t.decided += 1; break;			/* a second later */
		case 3: fx.ld->m.gallons = 3001; break;			/* a gallon more */
		case 4: fx.ld->m.waste = WASTE_GREASE; break;		/* another waste */
		case 5: FIXTURE_SET(fx.ld->m.permit, "SP-2026/08"); break;		/* another permit */
		}
		assert_int_equal(receipt_qr_matches(&f, fx.ld, &field), 0);
		assert_non_null(field);
		assert_string_equal(field, want[i]);
	}
}

/* Replace the first from in s by to; 0 if from is not there. */
static int replace(char *s, size_t cap, const char *from, const char *to)
{
	char *p = strstr(s, from), tail[QR_MAX * 2];

	if (!p)
		return 0;
	snprintf(tail, sizeof tail, "%s", p + strlen(from));
	snprintf(p, cap - (size_t)(p - s), "%s%s", to, tail);
	return 1;
}

struct tamper_row {
	const char *from, *to;
	int want;
};

static const struct tamper_row tamper_rows[] = {
	/* one byte of each field, still well-formed: the signature fails */
	{ "potw.example", "potx.example", HG_EREFUSED },		/* base */
	{ "st=demo-01", "st=demo-02", HG_EREFUSED },			/* station */
	{ "n=42&", "n=43&", HG_EREFUSED },				/* load number */
	{ "T171500Z", "T171501Z", HG_EREFUSED },			/* time */
	{ "g=3000", "g=3001", HG_EREFUSED },				/* gallons */
	{ "w=septage", "w=septagf", HG_EREFUSED },			/* waste */
	{ "p=SP-", "p=SQ-", HG_EREFUSED },				/* permit */
	{ "%C3%A9", "%C3%A8", HG_EREFUSED },				/* permit, inside an escape */
	{ "%2F", "%2f", HG_EREFUSED },					/* same byte, other spelling */
	{ "w=septage", "w=grease", HG_EREFUSED },			/* waste, whole word */
	/* malformed: not a haulgate QR */
	{ "?v=1", "#v=1", HG_EINVAL },					/* no '?' */
	{ "v=1", "v=2", HG_EINVAL },					/* version 2 */
	{ "v=1", "v=01", HG_EINVAL },					/* version spelt oddly */
	{ "&g=3000", "", HG_EINVAL },					/* a field missing */
	{ "&n=42", "&n=42&n=42", HG_EINVAL },				/* a field twice */
	{ "st=demo-01&n=42", "n=42&st=demo-01", HG_EINVAL },		/* fields out of order */
	{ "?v=1&", "?", HG_EINVAL },					/* v missing */
	{ "&s=", "&S=", HG_EINVAL },					/* s spelt in capitals */
	{ "st=demo-01", "st=demo_01", HG_EINVAL },			/* '_' not in a station id */
	{ "st=demo-01", "st=", HG_EINVAL },				/* empty station */
	{ "n=42", "n=-42", HG_EINVAL },					/* negative number */
	{ "n=42", "n=042", HG_EINVAL },					/* leading zero */
	{ "n=42", "n=4x2", HG_EINVAL },					/* not a number */
	{ "n=42", "n=0", HG_EINVAL },					/* load 0 */
	{ "n=42", "n=9999999999999999999", HG_EINVAL },			/* 19 digits */
	{ "g=3000", "g=3e3", HG_EINVAL },				/* exponent */
	{ "g=3000", "g=", HG_EINVAL },					/* empty */
	{ "g=3000", "g=1234567890", HG_EINVAL },			/* 10 digits */
	{ "t=20260302", "t=20260230", HG_EINVAL },			/* February 30th */
	{ "T171500Z", "T171500", HG_EINVAL },				/* no Z */
	{ "T171500Z", "T246000Z", HG_EINVAL },				/* hour 24 */
	{ "t=20260302T171500Z", "t=2026-03-02T17:15Z", HG_EINVAL },	/* ISO form */
	{ "w=septage", "w=SEPTAGE", HG_EINVAL },			/* capitals */
	{ "w=septage", "w=", HG_EINVAL },				/* empty waste */
	{ "p=SP-2026", "p=SP 2026", HG_EINVAL },			/* raw space */
	{ "p=SP-2026", "p=SP+2026", HG_EINVAL },			/* '+' not escaped */
	{ "p=SP-2026", "p=SP%2", HG_EINVAL },				/* escape cut short */
	{ "p=SP-2026", "p=%ZZSP", HG_EINVAL },				/* escape not hex */
	{ "p=SP-2026", "p=%00SP", HG_EINVAL },				/* a NUL byte */
	{ "p=SP-2026", "p=%1BSP", HG_EINVAL },				/* a control character */
	{ "%C3%A9", "%C3%28", HG_EINVAL },				/* broken UTF-8 */
};

static void test_qr_tamper(void **state)
{
	char good[QR_MAX];

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, good), HG_OK);
	for (size_t i = 0; i < HG_ARRAY_LEN(tamper_rows); i++) {
		char qr[QR_MAX * 2];
		struct qr_fields f;
		int rc;

		snprintf(qr, sizeof qr, "%s", good);
		if (!replace(qr, sizeof qr, tamper_rows[i].from, tamper_rows[i].to))
			fail_msg("row %zu: \"%s\" not in the QR", i, tamper_rows[i].from);
		rc = receipt_qr_verify(fx.kp.pk, qr, &f);
		if (rc != tamper_rows[i].want)
			fail_msg("row %zu: %s gave %d, want %d", i, qr, rc, tamper_rows[i].want);
		if (rc != HG_OK && f.load_no != 0)
			fail_msg("row %zu: fields filled on failure", i);
	}
}

/* The signature: one character changed, cut, lengthened, re-encoded. */
static void test_qr_signature(void **state)
{
	static const struct {
		const char *what;
		int pos;		/* character of the signature to change, -1 none */
		const char *append;	/* added at the end */
		int cut;		/* characters removed at the end */
		int want;
	} rows[] = {
		{ "first character changed", 0, "", 0, HG_EREFUSED },
		{ "middle character changed", 40, "", 0, HG_EREFUSED },
		{ "one character short", -1, "", 1, HG_EINVAL },
		{ "two characters more", -1, "AA", 0, HG_EINVAL },
		{ "padding added", -1, "==", 0, HG_EINVAL },
		{ "a trailing newline", -1, "\n", 0, HG_EINVAL },
		{ "a trailing space", -1, " ", 0, HG_EINVAL },
		{ "an extra field after it", -1, "&x=1", 0, HG_EINVAL },
		{ "all of it gone", -1, "", 86, HG_EINVAL },
	};
	char good[QR_MAX];
	size_t sig;

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, good), HG_OK);
	sig = strlen(QR_SIGNED);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char qr[QR_MAX * 2];
		size_t len;

		snprintf(qr, sizeof qr, "%s", good);
		if (rows[i].pos >= 0) {
			char *c = qr + sig + rows[i].pos;

			*c = *c == 'A' ? 'B' : 'A';
		}
		len = strlen(qr) - (size_t)rows[i].cut;
		qr[len] = '\0';
		snprintf(qr + len, sizeof qr - len, "%s", rows[i].append);
		if (receipt_qr_verify(fx.kp.pk, qr, NULL) != rows[i].want)
			fail_msg("row %zu: %s not caught", i, rows[i].what);
	}

	/* characters outside base64url */
	{
		static const char bad[] = { '+', '/', '!', '=', '%' };

		for (size_t i = 0; i < sizeof bad; i++) {
			char qr[QR_MAX];

			snprintf(qr, sizeof qr, "%s", good);
			qr[sig + 10] = bad[i];
			assert_int_equal(receipt_qr_verify(fx.kp.pk, qr, NULL), HG_EINVAL);
		}
	}
	/* a signature whose last character has stray low bits (non-canonical) */
	{
		char qr[QR_MAX];
		char *last;

		snprintf(qr, sizeof qr, "%s", good);
		last = qr + strlen(qr) - 1;
		/* 86 characters carry 516 bits for 512: the last one holds 2 spare bits */
		*last = *last == 'B' ? 'C' : 'B';
		assert_int_not_equal(receipt_qr_verify(fx.kp.pk, qr, NULL), HG_OK);
	}
}

/* The bottle label's QR: composed, parsed, verified; each field tampered
 * with fails the signature; a receipt QR is not a label, nor the reverse;
 * a load that was never sampled has no label QR. */
static void test_label_qr(void **state)
{
	static const struct {
		const char *from, *to;
		int want;
	} rows[] = {
		{ "&n=42&", "&n=43&", HG_EREFUSED },		/* another load */
		{ "&b=B-0042&", "&b=B-0043&", HG_EREFUSED },	/* another bottle */
		{ "&op=3&", "&op=4&", HG_EREFUSED },		/* another sampler */
		{ "&st=demo-01&", "&st=demo-02&", HG_EREFUSED },	/* another station */
		{ "T172000Z", "T172001Z", HG_EREFUSED },	/* another time */
		{ "?k=bottle&", "?k=receipt&", HG_EINVAL },	/* another kind */
		{ "&v=1&", "&v=2&", HG_EINVAL },		/* a later version */
		{ "&op=3&", "&op=03&", HG_EINVAL },		/* not canonical */
		{ "&op=3&", "&op=0&", HG_EINVAL },		/* no operator 0 */
		{ "&b=B-0042&", "&b=&", HG_EINVAL },		/* no bottle */
	};
	char good[QR_MAX], rqr[QR_MAX];
	struct label_fields lf;
	struct qr_fields f;

	(void)state;
	FIXTURE_SET(fx.ld->bottle, "B-0042");
	fx.ld->sampled_by = 3;
	fx.ld->t.sampled = 1772472000;	/* 2026-03-02T17:20:00Z */
	assert_int_equal(receipt_label_qr(&fx.kp, "https://potw.example.org/r", fx.ld, good), HG_OK);
	assert_memory_equal(good, "https://potw.example.org/r?k=bottle&v=1&st=demo-01&n=42&b=B-0042"
			    "&t=20260302T172000Z&op=3&s=", 91);
	assert_int_equal(strlen(good), 91 + 86);
	assert_int_equal(receipt_label_qr_verify(fx.kp.pk, good, &lf), HG_OK);
	assert_string_equal(lf.base, "https://potw.example.org/r");
	assert_string_equal(lf.station, "demo-01");
	assert_int_equal(lf.load_no, 42);
	assert_string_equal(lf.bottle, "B-0042");
	assert_int_equal(lf.t, 1772472000);
	assert_int_equal(lf.sampler, 3);
	/* the two kinds never mix */
	assert_int_equal(receipt_qr_verify(fx.kp.pk, good, &f), HG_EINVAL);
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, rqr), HG_OK);
	assert_int_equal(receipt_label_qr_verify(fx.kp.pk, rqr, &lf), HG_EINVAL);
	assert_int_equal(lf.load_no, 0);

	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char qr[QR_MAX * 2];
		int rc;

		snprintf(qr, sizeof qr, "%s", good);
		if (!replace(qr, sizeof qr, rows[i].from, rows[i].to))
			fail_msg("row %zu: \"%s\" not in the QR", i, rows[i].from);
		rc = receipt_label_qr_verify(fx.kp.pk, qr, &lf);
		if (rc != rows[i].want)
			fail_msg("row %zu: %s gave %d, want %d", i, qr, rc, rows[i].want);
		if (lf.load_no != 0)
			fail_msg("row %zu: fields filled on failure", i);
	}

	/* a bottle id that needs percent-encoding comes back whole */
	FIXTURE_SET(fx.ld->bottle, "Frasco 7/\xc3\xb1");
	assert_int_equal(receipt_label_qr(&fx.kp, "", fx.ld, good), HG_OK);
	assert_non_null(strstr(good, "&b=Frasco%207%2F%C3%B1&"));
	assert_int_equal(receipt_label_qr_verify(fx.kp.pk, good, &lf), HG_OK);
	assert_string_equal(lf.bottle, "Frasco 7/\xc3\xb1");

	/* not sampled: no label QR */
	fx.ld->sampled_by = 0;
	assert_int_equal(receipt_label_qr(&fx.kp, "", fx.ld, good), HG_EINVAL);
	assert_string_equal(good, "");
	fx.ld->sampled_by = 3;
	fx.ld->bottle[0] = '\0';
	assert_int_equal(receipt_label_qr(&fx.kp, "", fx.ld, good), HG_EINVAL);
	FIXTURE_SET(fx.ld->bottle, "B-1");
	fx.ld->t.sampled = 0;
	assert_int_equal(receipt_label_qr(&fx.kp, "", fx.ld, good), HG_EINVAL);
}

/* A QR signed by another station's key; texts that are not QRs at all. */
static void test_qr_foreign(void **state)
{
	struct keypair other;
	char qr[QR_MAX], big[QR_MAX + 100];

	(void)state;
	crypto_sign_keypair(other.pk, other.sk);
	assert_int_equal(receipt_qr(&other, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	assert_int_equal(receipt_qr_verify(other.pk, qr, NULL), HG_OK);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, qr, NULL), HG_EREFUSED);	/* not ours */

	assert_int_equal(receipt_qr_verify(fx.kp.pk, "", NULL), HG_EINVAL);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, "hello", NULL), HG_EINVAL);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, NULL, NULL), HG_EINVAL);
	memset(big, 'a', sizeof big - 1);		/* longer than any QR */
	big[sizeof big - 1] = '\0';
	memcpy(big, "https://x/r?v=1", 15);
	assert_int_equal(receipt_qr_verify(fx.kp.pk, big, NULL), HG_EINVAL);
}

static void test_qr_compose_errors(void **state)
{
	char qr[QR_MAX];

	(void)state;
	/* no waste type */
	fx.ld->m.waste = WASTE_NONE;
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r", fx.ld, qr), HG_EINVAL);
	assert_string_equal(qr, "");
	fixture_load_make(fx.ld);
	/* a base that would make the text ambiguous */
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r?a=1", fx.ld, qr), HG_EINVAL);
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r#top", fx.ld, qr), HG_EINVAL);
	assert_int_equal(receipt_qr(&fx.kp, "https://x/ r", fx.ld, qr), HG_EINVAL);
	/* no load number yet */
	fx.ld->load_no = 0;
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r", fx.ld, qr), HG_EINVAL);
	fixture_load_make(fx.ld);
	/* a station id the QR cannot carry */
	FIXTURE_SET(fx.ld->station, "demo 01");
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r", fx.ld, qr), HG_EINVAL);
	fixture_load_make(fx.ld);
	/* a permit of 40 three-byte characters: 360 escaped bytes, too long */
	fx.ld->m.permit[0] = '\0';
	for (int i = 0; i < LIM_PERMIT; i++)
		assert_int_equal(text_append(fx.ld->m.permit, sizeof fx.ld->m.permit, "\xe2\x82\xac"), HG_OK);
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_ETOOLONG);
	assert_string_equal(qr, "");
	/* a permit with a control character */
	FIXTURE_SET(fx.ld->m.permit, "SP\x1b" "1");
	assert_int_equal(receipt_qr(&fx.kp, "https://x/r", fx.ld, qr), HG_EINVAL);
}

/* ---- slips ---- */

/* Every line but the QR line fits 42 characters. */
static void check_width(const char *text)
{
	const char *p = text;

	while (*p) {
		size_t n = strcspn(p, "\n");
		char line[4096];

		assert_true(n < sizeof line);
		memcpy(line, p, n);
		line[n] = '\0';
		if (strncmp(line, "QR: ", 4) != 0 && text_chars(line) > 42)
			fail_msg("line wider than 42: \"%s\"", line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* The text with its wrapping undone ("\n  " back to " "). */
static void unwrap(const char *in, char *out, size_t cap)
{
	size_t o = 0;

	for (const char *p = in; *p && o + 1 < cap; p++) {
		if (p[0] == '\n' && p[1] == ' ' && p[2] == ' ') {
			out[o++] = ' ';
			p += 2;
			continue;
		}
		out[o++] = *p;
	}
	out[o] = '\0';
}

static void test_receipt_en(void **state)
{
	static const char *const want[] = {
		"HAULED WASTE RECEIPT",
		"Station: demo-01\n",
		"LOAD NO: 42\n",
		"Date: 2026-03-02 17:15\n",
		"Hauler: Acme Septic LLC\n",
		"Address: 12 Main St, Springfield\n",
		"Driver: Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez\n",
		"Permit: SP-2026/07 \xc3\xa9\n",
		"Truck: CO ABC-123\n",
		"Source 1: Smith residence\n",
		"  Address: 4 Elm Rd, Shelbyville\n",
		"  Town/ZIP: Shelbyville\n",
		"  Industry: residential\n",
		"Source 2: Blue Diner\n",
		"  Industry: restaurant\n",
		"Waste type: Septic tank waste\n",
		"Gallons declared: 3000\n",
		"Characteristics: Dark, septic odour\n",
		"Constituents: none\n",
		"RCRA hazardous: No\n",
		"DECISION: ACCEPTED\n",
		"Certified by: Jos\xc3\xa9 \xc3\x91\xc3\xba\xc3\xb1" "ez\n",
	};
	char qr[QR_MAX], buf[8192];
	const char *last;
	int n;

	(void)state;
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	n = receipt_text(fx.ld, qr, LANG_EN, 0, buf, sizeof buf);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	for (size_t i = 0; i < HG_ARRAY_LEN(want); i++)
		if (!strstr(buf, want[i]))
			fail_msg("no \"%s\" in:\n%s", want[i], buf);
	assert_null(strstr(buf, "COPY"));
	assert_null(strstr(buf, "Sample bottle"));
	/* source 2 has no town (a load from before towns): no line for it */
	assert_null(strstr(strstr(buf, "Town/ZIP") + 1, "Town/ZIP"));
	/* the last line is the QR text */
	last = buf + n - 1;
	assert_int_equal(*last, '\n');
	while (last > buf && last[-1] != '\n')
		last--;
	assert_memory_equal(last, "QR: ", 4);
	assert_memory_equal(last + 4, qr, strlen(qr));
	check_width(buf);

	/* a reprint says COPY */
	n = receipt_text(fx.ld, qr, LANG_EN, 1, buf, sizeof buf);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "*** COPY ***"));
	/* without a QR text, no QR line */
	n = receipt_text(fx.ld, NULL, LANG_EN, 0, buf, sizeof buf);
	assert_true(n > 0);
	assert_null(strstr(buf, "QR:"));
	/* too small a buffer: refused, empty */
	assert_int_equal(receipt_text(fx.ld, qr, LANG_EN, 0, buf, 200), HG_ETOOLONG);
	assert_string_equal(buf, "");
}

static void test_receipt_es_hold(void **state)
{
	static const char *const want[] = {
		"RECIBO DE RESIDUOS TRANSPORTADOS",
		"CARGA NO: 42\n",
		"Transportista: Acme Septic LLC\n",
		"Conductor: ",
		"Tipo de residuo: Residuos de fosa s\xc3\xa9ptica\n",
		"Galones declarados: 3000\n",
		"  Ciudad/CP: Shelbyville\n",
		"DECISI\xc3\x93N: RETENIDA PARA MUESTREO\n",
		"Frasco de muestra: B-2026-0042\n",
		"Certificado por: ",
		"*** COPIA ***",
	};
	char qr[QR_MAX], buf[8192], flat[8192], line[600];
	int n;

	(void)state;
	fx.ld->lang = LANG_ES;
	fx.ld->d.verdict = VERDICT_SAMPLE_HOLD;
	fx.ld->d.n_sample = 2;
	fx.ld->d.sample[0] = R_SAMPLE_FIRST_LOAD;
	fx.ld->d.sample[1] = R_SAMPLE_RANDOM;
	FIXTURE_SET(fx.ld->bottle, "B-2026-0042");
	assert_int_equal(receipt_qr(&fx.kp, "https://potw.example.org/r", fx.ld, qr), HG_OK);
	n = receipt_text(fx.ld, qr, LANG_ES, 1, buf, sizeof buf);
	assert_true(n > 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(want); i++)
		if (!strstr(buf, want[i]))
			fail_msg("no \"%s\" in:\n%s", want[i], buf);
	unwrap(buf, flat, sizeof flat);
	for (int i = 0; i < 2; i++) {
		snprintf(line, sizeof line, "- %s (%s)", i18n_msg(fx.ld->d.sample[i], LANG_ES),
			 reason_code(fx.ld->d.sample[i]));
		if (!strstr(flat, line))
			fail_msg("no sampling reason \"%s\" in:\n%s", line, buf);
	}
	check_width(buf);
}

/* A discharge closed at the next start says so on its receipt, in the
 * hauler's language; a normal one does not. */
static void test_receipt_interrupted(void **state)
{
	static const struct {
		enum lang lang;
		int interrupted;
		const char *want;	/* in the text (NULL: "interrupt" nowhere) */
	} rows[] = {
		/* English, interrupted */
		{ LANG_EN, 1, "Discharge: interrupted: the station stopped with the valve open" },
		/* Spanish, interrupted */
		{ LANG_ES, 1, "Descarga: interrumpida: la estaci\xc3\xb3n se detuvo" },
		/* a discharge that ended normally */
		{ LANG_EN, 0, NULL },
	};
	char buf[8192], flat[8192];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		fx.ld->interrupted = rows[i].interrupted;
		assert_true(receipt_text(fx.ld, NULL, rows[i].lang, 1, buf, sizeof buf) > 0);
		unwrap(buf, flat, sizeof flat);
		if (rows[i].want && !strstr(flat, rows[i].want))
			fail_msg("row %zu: no \"%s\" in:\n%s", i, rows[i].want, buf);
		if (!rows[i].want && (strstr(flat, "nterrupt") || strstr(flat, "Discharge:")))
			fail_msg("row %zu: an interruption in:\n%s", i, buf);
		check_width(buf);
	}
}

/* Hostile and huge fields: no control byte reaches the printer, lines wrap. */
static void test_receipt_unsafe(void **state)
{
	char buf[16384];
	int n;

	(void)state;
	FIXTURE_SET(fx.ld->m.company, "Evil\x1b@\x1d" "V Co");	/* ESC/POS commands */
	FIXTURE_SET(fx.ld->m.driver, "Bad \xff UTF-8");
	memset(fx.ld->m.characteristics, 'w', LIM_TEXT);	/* 500 characters, no space */
	fx.ld->m.characteristics[LIM_TEXT] = '\0';
	memset(fx.ld->m.constituents, 0, sizeof fx.ld->m.constituents);
	for (int i = 0; i < 100; i++)				/* 500 characters in words */
		assert_int_equal(text_append(fx.ld->m.constituents, sizeof fx.ld->m.constituents,
					     "abcd "), HG_OK);
	n = receipt_text(fx.ld, "https://x/r?v=1", LANG_EN, 0, buf, sizeof buf);
	assert_true(n > 0);
	for (int i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 && buf[i] != '\n')
			fail_msg("control byte 0x%02x at %d", (unsigned char)buf[i], i);
	assert_non_null(strstr(buf, "Hauler: Evil?@?V Co\n"));
	assert_non_null(strstr(buf, "Driver: Bad ? UTF-8\n"));
	check_width(buf);
}

static void test_refusal(void **state)
{
	static const enum lang langs[] = { LANG_EN, LANG_ES };
	char buf[8192], flat[8192], line[600];

	(void)state;
	fx.ld->d.verdict = VERDICT_REFUSED;
	fx.ld->d.n_refuse = 2;
	fx.ld->d.refuse[0] = R_RCRA_HAZARDOUS;
	fx.ld->d.refuse[1] = R_DAILY_LIMIT;
	for (size_t l = 0; l < HG_ARRAY_LEN(langs); l++) {
		int n = receipt_refusal_text(fx.ld, NULL, langs[l], 0, buf, sizeof buf);

		assert_true(n > 0);
		assert_non_null(strstr(buf, langs[l] == LANG_EN ? "LOAD REFUSED" : "CARGA RECHAZADA"));
		assert_non_null(strstr(buf, langs[l] == LANG_EN ? "LOAD NO: 42" : "CARGA NO: 42"));
		assert_non_null(strstr(buf, "2026-03-02 17:15"));
		assert_non_null(strstr(buf, "Acme Septic LLC"));
		unwrap(buf, flat, sizeof flat);
		for (int i = 0; i < fx.ld->d.n_refuse; i++) {
			snprintf(line, sizeof line, "- %s (%s)", i18n_msg(fx.ld->d.refuse[i], langs[l]),
				 reason_code(fx.ld->d.refuse[i]));
			if (!strstr(flat, line))
				fail_msg("no reason \"%s\" in:\n%s", line, buf);
		}
		assert_null(strstr(buf, "QR:"));
		assert_null(strstr(buf, "COP"));
		check_width(buf);
		/* a reprint says so, top and bottom, in the person's language */
		n = receipt_refusal_text(fx.ld, NULL, langs[l], 1, buf, sizeof buf);
		assert_true(n > 0);
		{
			const char *mark = langs[l] == LANG_EN ? "*** COPY ***" : "*** COPIA ***";
			const char *first = strstr(buf, mark);

			assert_non_null(first);
			assert_non_null(strstr(first + 1, mark));
		}
		check_width(buf);
	}
	assert_int_equal(receipt_refusal_text(fx.ld, NULL, LANG_EN, 0, buf, 100), HG_ETOOLONG);
}

/* With the station's config, the refusal offline_waste names the days and
 * the waste types allowed offline, in the person's language; without it,
 * the reason's own message. */
static void test_refusal_offline(void **state)
{
	static const struct {
		enum lang lang;
		const char *want;
	} rows[] = {
		{ LANG_EN, "- This station has not reached the plant for 30 days: until it does, it "
			   "accepts only septic tank waste and portable toilet waste. (offline_waste)" },
		{ LANG_ES, "- Esta estación no se comunica con la planta desde hace 30 días: hasta "
			   "que lo haga, solo recibe residuos de fosa séptica y residuos de baños "
			   "portátiles. (offline_waste)" },
	};
	struct config cfg;
	char buf[8192], flat[8192], line[600];

	(void)state;
	config_defaults(&cfg);
	fx.ld->d.verdict = VERDICT_REFUSED;
	fx.ld->d.n_refuse = 1;
	fx.ld->d.refuse[0] = R_OFFLINE_WASTE;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_true(receipt_refusal_text(fx.ld, &cfg, rows[i].lang, 0, buf, sizeof buf) > 0);
		unwrap(buf, flat, sizeof flat);
		if (!strstr(flat, rows[i].want))
			fail_msg("no \"%s\" in:\n%s", rows[i].want, buf);
		check_width(buf);
		assert_true(receipt_refusal_text(fx.ld, NULL, rows[i].lang, 0, buf, sizeof buf) > 0);
		unwrap(buf, flat, sizeof flat);
		snprintf(line, sizeof line, "- %s (offline_waste)",
			 i18n_msg(R_OFFLINE_WASTE, rows[i].lang));
		if (!strstr(flat, line))
			fail_msg("no \"%s\" in:\n%s", line, buf);
	}
}

static void test_label(void **state)
{
	static const char *const want[] = {
		"SAMPLE", "LOAD NO: 42\n", "Date: 2026-03-02 17:20\n", "Hauler: Acme Septic LLC\n",
		"Waste type: septage\n", "Sample bottle: B-7\n", "Station: demo-01\n",
	};
	char buf[2048];
	int n;

	(void)state;
	FIXTURE_SET(fx.ld->bottle, "B-7");
	fx.ld->t.sampled = fx.ld->t.decided + 300;
	n = receipt_label_text(fx.ld, buf, sizeof buf);
	assert_true(n > 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(want); i++)
		if (!strstr(buf, want[i]))
			fail_msg("no \"%s\" in:\n%s", want[i], buf);
	check_width(buf);
	assert_int_equal(receipt_label_text(fx.ld, buf, 20), HG_ETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_keys, each),
		cmocka_unit_test_setup(test_keys_bad, each),
		cmocka_unit_test_setup(test_openssl, each),
		cmocka_unit_test_setup(test_qr_roundtrip, each),
		cmocka_unit_test_setup(test_qr_read, each),
		cmocka_unit_test_setup(test_qr_matches, each),
		cmocka_unit_test_setup(test_qr_tamper, each),
		cmocka_unit_test_setup(test_qr_signature, each),
		cmocka_unit_test_setup(test_qr_foreign, each),
		cmocka_unit_test_setup(test_qr_compose_errors, each),
		cmocka_unit_test_setup(test_label_qr, each),
		cmocka_unit_test_setup(test_receipt_en, each),
		cmocka_unit_test_setup(test_receipt_es_hold, each),
		cmocka_unit_test_setup(test_receipt_interrupted, each),
		cmocka_unit_test_setup(test_receipt_unsafe, each),
		cmocka_unit_test_setup(test_refusal, each),
		cmocka_unit_test_setup(test_refusal_offline, each),
		cmocka_unit_test_setup(test_label, each),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
