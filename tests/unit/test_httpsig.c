/* test_httpsig.c: unit tests of core/httpsig.c, RFC 9421 signatures and RFC
 * 9530 Content-Digest.
 *
 * Known answers first: RFC 9421 Appendix B.2.6 (the request of B.2 signed
 * with test-key-ed25519 of B.1.4) gives the RFC's Signature-Input, signature
 * base and signature to the byte, and RFC 9530's {"hello": "world"} gives its
 * sha-256 and sha-512 digests.  Then one table of requests signed here and
 * checked after one thing was changed: each refusal (malformed, missing
 * component, stale, unknown key, bad signature, digest mismatch) with its
 * words, and Signature-Input fields in every corner of RFC 8941's syntax,
 * those that must still verify and those that must not. */
#include "testutil.h"

#include <strings.h>
#include <sodium.h>

#include "../../core/httpsig.h"
#include "../../core/report.h"

/* RFC 9421 B.1.4: test-key-ed25519, PKCS#8 and SubjectPublicKeyInfo */
#define RFC_PRIV "MC4CAQAwBQYDK2VwBCIEIJ+DYvh6SEqVTm50DFtMDoQikTmiCqirVv9mWG9qfSnF"
#define RFC_PUB "MCowBQYDK2VwAyEAJrQLj5P/89iXES9+vFgrIy29clF9CC/oPPsw3c5D0bs="
/* RFC 9421 B.2.6 */
#define RFC_PARAMS "(\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" " \
	"\"content-length\");created=1618884473;keyid=\"test-key-ed25519\""
#define RFC_INPUT "sig-b26=" RFC_PARAMS
#define RFC_SIG "sig-b26=:wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==:"
#define RFC_BASE "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\"@method\": POST\n\"@path\": /foo\n" \
	"\"@authority\": example.com\n\"content-type\": application/json\n\"content-length\": 18\n" \
	"\"@signature-params\": " RFC_PARAMS
/* RFC 9530 section 2 and RFC 9421 B.2: the digests of HELLO */
#define HELLO "{\"hello\": \"world\"}"
#define HELLO_256 "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
#define HELLO_512 "sha-512=:WZDPaVn/7XgHaAy8pmojAkGWoRx2UFChF41A2svX+TaPm+AbwAgBWnrIiYllu7BNNyealdVLvRwEmTHWXvJwew==:"
#define MOON "{\"hello\": \"moon\"}"
#define MOON_256 "sha-256=:8lsm0HVwLJgOjJrTnXs9g+MD21BX/L2aDPMCwGfzucY=:"
#define EMPTY_256 "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
#define A64 "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=="

/* ---- a request: headers by name, keys by id ---- */

struct fake {
	const char *name[16], *value[16];
	int n;
};

static const char *lookup(void *ctx, const char *name)
{
	struct fake *f = ctx;

	for (int i = 0; i < f->n; i++)
		if (!strcasecmp(f->name[i], name))
			return f->value[i];
	return NULL;
}

/* Set (value NULL: drop) a header. */
static void set(struct fake *f, const char *name, const char *value)
{
	int i = 0;

	while (i < f->n && strcasecmp(f->name[i], name))
		i++;
	if (i == f->n)
		f->name[f->n++] = name;
	f->value[i] = value;
}

static uint8_t rfc_sk[64], rfc_pk[32];

static int rfc_key(void **state)
{
	uint8_t der[64];
	size_t n;

	assert_int_equal(sodium_base642bin(der, sizeof der, RFC_PRIV, strlen(RFC_PRIV), NULL, &n,
					   NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, 48);
	assert_int_equal(crypto_sign_seed_keypair(rfc_pk, rfc_sk, der + 16), 0);
	assert_int_equal(sodium_base642bin(der, sizeof der, RFC_PUB, strlen(RFC_PUB), NULL, &n,
					   NULL, sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(n, 44);
	assert_memory_equal(der + 12, rfc_pk, 32);	/* the key pair is the RFC's */
	(void)state;
	return 0;
}

/* Keys: "test-key-ed25519" and "demo-01" are the RFC's key; "io-error"
 * fails as a database would; any other is unknown. */
static int key_of(void *ctx, const char *keyid, uint8_t pk[32])
{
	(void)ctx;
	if (!strcmp(keyid, "io-error"))
		return hg_fail(HG_EIO, "the station table cannot be read");
	if (strcmp(keyid, "test-key-ed25519") && strcmp(keyid, "demo-01"))
		return HG_ENOTFOUND;
	memcpy(pk, rfc_pk, 32);
	return HG_OK;
}

/* ---- RFC 9421 B.2.6 ---- */

static void test_rfc9421_b26(void **state)
{
	static const char *const cov[] = { "date", "@method", "@path", "@authority",
					   "content-type", "content-length", NULL };
	struct fake f = { .n = 0 };
	struct httpsig_request req = { "POST", "example.com", "/foo", "param=Value&Pet=dog", lookup, &f };
	struct httpsig_params p = { .label = "sig-b26", .covered = cov, .created = 1618884473,
				    .keyid = "test-key-ed25519" };
	struct httpsig_policy pol = { "sig-b26", 1618884473 + 60, HTTPSIG_SKEW, NULL, key_of, NULL };
	struct httpsig_result res;
	char input[HTTPSIG_INPUT_MAX], sig[HTTPSIG_SIG_MAX], base[HTTPSIG_BASE_MAX];

	(void)state;
	set(&f, "Host", "example.com");
	set(&f, "Date", "Tue, 20 Apr 2021 02:07:55 GMT");
	set(&f, "Content-Type", "application/json");
	set(&f, "Content-Digest", HELLO_512);
	set(&f, "Content-Length", "18");
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_OK);
	assert_string_equal(input, RFC_INPUT);
	assert_string_equal(sig, RFC_SIG);

	set(&f, "Signature-Input", RFC_INPUT);
	set(&f, "Signature", RFC_SIG);
	assert_int_equal(httpsig_base(&req, "sig-b26", base, sizeof base), (int)strlen(RFC_BASE));
	assert_string_equal(base, RFC_BASE);
	assert_int_equal(httpsig_digest_check(HELLO_512, HELLO, strlen(HELLO)), HG_OK);

	/* the RFC's signature holds, but covers neither @query nor the body */
	assert_int_equal(httpsig_verify(&req, &pol, HELLO, strlen(HELLO), &res), HG_EREFUSED);
	assert_int_equal(res.fault, HTTPSIG_MISSING_COMPONENT);
	assert_non_null(strstr(hg_error_text(), "@query"));
	req.query = NULL;
	set(&f, "Content-Digest", NULL);
	assert_int_equal(httpsig_verify(&req, &pol, "", 0, &res), HG_OK);
	assert_string_equal(res.keyid, "test-key-ed25519");
	assert_int_equal(res.created, 1618884473);
}

/* ---- RFC 9530 ---- */

struct digest_row {
	const char *value, *body;
	int want;
};

static const struct digest_row digest_rows[] = {
	{ HELLO_256, HELLO, HG_OK },				/* RFC 9530's sha-256 */
	{ HELLO_512, HELLO, HG_OK },				/* RFC 9530's sha-512 */
	{ HELLO_512 ", " HELLO_256, HELLO, HG_OK },		/* both */
	{ "md5=:AAAAAAAAAAAAAAAAAAAAAA==:, " HELLO_256, HELLO, HG_OK },	/* an unknown one is ignored */
	{ "  " HELLO_256 ";x=1;y  ", HELLO, HG_OK },		/* parameters and spaces */
	{ EMPTY_256, "", HG_OK },				/* an empty body */
	{ HELLO_256, MOON, HG_EREFUSED },			/* another body */
	{ MOON_256 ", " HELLO_512, HELLO, HG_EREFUSED },	/* one of two does not match */
	{ HELLO_256 ", sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:", HELLO, HG_EREFUSED },	/* repeated: the last one counts */
	{ "sha-256=:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=:, " HELLO_256, HELLO, HG_OK },	/* ... the last one only */
	{ "md5=:AAAAAAAAAAAAAAAAAAAAAA==:", HELLO, HG_EINVAL },	/* neither sha-256 nor sha-512 */
	{ "", HELLO, HG_EINVAL },				/* empty */
	{ "sha-256=\"X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=\"", HELLO, HG_EINVAL },	/* a string */
	{ "sha-256=:AAAAAAAAAAAAAAAAAAAAAA==:", HELLO, HG_EINVAL },	/* 16 bytes */
	{ "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=", HELLO, HG_EINVAL },	/* not closed */
	{ "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE:", HELLO, HG_EINVAL },	/* no padding */
	{ HELLO_256 ",", HELLO, HG_EINVAL },			/* a trailing comma */
	{ HELLO_256 " " HELLO_512, HELLO, HG_EINVAL },		/* no comma */
	{ "SHA-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:", HELLO, HG_EINVAL },	/* a key in capitals */
};

static void test_digest(void **state)
{
	char out[HTTPSIG_DIGEST_MAX];

	(void)state;
	assert_int_equal(httpsig_digest(HELLO, strlen(HELLO), out, sizeof out), HG_OK);
	assert_string_equal(out, HELLO_256);
	assert_int_equal(httpsig_digest(HELLO, strlen(HELLO), out, 20), HG_ETOOLONG);
	for (size_t i = 0; i < HG_ARRAY_LEN(digest_rows); i++) {
		const struct digest_row *r = &digest_rows[i];
		int rc = httpsig_digest_check(r->value, r->body, strlen(r->body));

		if (rc != r->want)
			fail_msg("row %zu (%s): %d, not %d: %s", i, r->value, rc, r->want, hg_error_text());
	}
}

/* ---- signed here, changed, checked ---- */

#define T 1700000000
#define GOOD "(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"content-type\")"
#define GOODP ";created=1700000000;keyid=\"demo-01\";alg=\"ed25519\";tag=\"haulgate-sync\""
#define DROP ""		/* hvalue: the header dropped */

static const char *const bare3[] = { "@method", "@authority", "@path", NULL };

struct vrow {
	const char *what;
	const char *const *covered;	/* NULL: the default */
	const char *keyid, *alg, *tag;	/* NULL: demo-01, ed25519, haulgate-sync; "" none */
	const char *method, *authority, *path, *body;	/* as checked; NULL: as signed */
	const char *squery, *vquery;	/* the query signed, and checked */
	const char *hname, *hvalue;	/* a header changed after signing (DROP: dropped) */
	hg_time dt;			/* now - created */
	enum httpsig_fault want;
	const char *words;		/* in the refusal's words */
};

static const struct vrow vrows[] = {
	{ .what = "signed and checked" },
	{ .what = "created 300 s ago: the edge", .dt = 300 },
	{ .what = "created 300 s ahead: the edge", .dt = -300 },
	{ .what = "created 301 s ago", .dt = 301, .want = HTTPSIG_STALE, .words = "301 s from now" },
	{ .what = "created 301 s ahead", .dt = -301, .want = HTTPSIG_STALE, .words = "stale" },
	{ .what = "unknown key", .keyid = "demo-99", .want = HTTPSIG_UNKNOWN_KEY,
	  .words = "unknown key 'demo-99'" },
	{ .what = "method changed", .method = "PUT", .want = HTTPSIG_BAD_SIGNATURE,
	  .words = "key 'demo-01' did not sign" },
	{ .what = "authority changed", .authority = "evil.example", .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "authority in capitals is the same", .authority = "PLANT.Example:8443" },
	{ .what = "path changed", .path = "/api/v1/sync/roster", .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "body changed, digest kept", .body = MOON, .want = HTTPSIG_DIGEST_MISMATCH,
	  .words = "digest mismatch" },
	{ .what = "body and digest changed", .body = MOON, .hname = "content-digest",
	  .hvalue = MOON_256, .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "content-type changed", .hname = "content-type", .hvalue = "text/plain",
	  .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "content-type with spaces around is the same", .hname = "content-type",
	  .hvalue = " \tapplication/json  " },
	{ .what = "another signature", .hname = "signature", .hvalue = "haulgate=:" A64 ":",
	  .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "a body not covered", .covered = bare3, .want = HTTPSIG_MISSING_COMPONENT,
	  .words = "does not cover content-digest" },
	{ .what = "a covered field dropped", .hname = "content-type", .hvalue = DROP,
	  .want = HTTPSIG_MISSING_COMPONENT, .words = "'content-type' is not in the request" },
	{ .what = "a query not signed", .vquery = "since=3", .want = HTTPSIG_MISSING_COMPONENT,
	  .words = "@query" },
	{ .what = "a query signed", .squery = "since=3", .vquery = "since=3" },
	{ .what = "a query changed", .squery = "since=3", .vquery = "since=4",
	  .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "a query dropped", .squery = "since=3", .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "no body: content-digest not needed", .covered = bare3, .body = "",
	  .hname = "content-digest", .hvalue = DROP },
	{ .what = "key lookup fails", .keyid = "io-error", .want = HTTPSIG_OK,
	  .words = "cannot be read" },
	{ .what = "alg not ed25519", .alg = "rsa-pss-sha512", .want = HTTPSIG_MALFORMED,
	  .words = "alg" },
	{ .what = "tag wrong", .tag = "other", .want = HTTPSIG_MALFORMED, .words = "tag" },
	{ .what = "tag missing", .tag = "", .want = HTTPSIG_MALFORMED, .words = "tag" },
	{ .what = "no Signature-Input", .hname = "signature-input", .hvalue = DROP,
	  .want = HTTPSIG_MALFORMED, .words = "not signed" },
	{ .what = "no Signature", .hname = "signature", .hvalue = DROP,
	  .want = HTTPSIG_MALFORMED, .words = "no Signature field" },
	{ .what = "Signature a string", .hname = "signature", .hvalue = "haulgate=\"abc\"",
	  .want = HTTPSIG_MALFORMED, .words = "no byte sequence labelled" },
	{ .what = "Signature of 16 bytes", .hname = "signature",
	  .hvalue = "haulgate=:AAAAAAAAAAAAAAAAAAAAAA==:", .want = HTTPSIG_MALFORMED,
	  .words = "64 bytes" },
	{ .what = "Signature under another label", .hname = "signature", .hvalue = "sig1=:" A64 ":",
	  .want = HTTPSIG_MALFORMED, .words = "labelled 'haulgate'" },
	/* Signature-Input in RFC 8941's corners: still ours, so it verifies */
	{ .what = "spaces in the inner list, members of every kind around", .hname = "signature-input",
	  .hvalue = "sig0=(\"@method\");created=1;keyid=\"x\\\"y\", haulgate=( \"@method\"  "
		    "\"@authority\" \"@path\" \"content-digest\" \"content-type\" )" GOODP
		    ", other=?1;a=1.5;b=:AAAA:;c=tok/en:x;d=-7, flag" },
	{ .what = "tabs and spaces around commas", .hname = "signature-input",
	  .hvalue = " sig2=(\"@path\") ,\thaulgate=" GOOD GOODP "\t, sig3=()  " },
	{ .what = "a label given twice: the last one", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\");created=1;keyid=\"nobody\", haulgate=" GOOD GOODP },
	{ .what = "spaces after ';', zeros before created", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD "; created=0001700000000;  keyid=\"demo-01\";alg=\"ed25519\";"
		    "tag=\"haulgate-sync\"" },
	{ .what = "an escaped keyid", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=1700000000;keyid=\"d\\\\emo\";tag=\"haulgate-sync\"",
	  .want = HTTPSIG_UNKNOWN_KEY, .words = "'d\\emo'" },
	{ .what = "a parameter we do not know is signed too", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD GOODP ";x=1", .want = HTTPSIG_BAD_SIGNATURE },
	{ .what = "expires past", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD GOODP ";expires=1699999999", .want = HTTPSIG_STALE,
	  .words = "expired 1 s ago" },
	/* ... and malformed */
	{ .what = "another label only", .hname = "signature-input", .hvalue = "sig1=" GOOD GOODP,
	  .want = HTTPSIG_MALFORMED, .words = "no inner list labelled 'haulgate'" },
	{ .what = "the label is a bare key", .hname = "signature-input", .hvalue = "haulgate;x=1",
	  .want = HTTPSIG_MALFORMED, .words = "no inner list" },
	{ .what = "the label's value is a string", .hname = "signature-input",
	  .hvalue = "haulgate=\"@method\"", .want = HTTPSIG_MALFORMED, .words = "no inner list" },
	{ .what = "an inner list not closed", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\" \"@path\"", .want = HTTPSIG_MALFORMED,
	  .words = "an inner list is not closed" },
	{ .what = "items not parted", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\"\"@authority\")" GOODP, .want = HTTPSIG_MALFORMED,
	  .words = "parted by spaces" },
	{ .what = "a parameter twice", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD GOODP ";created=1700000000", .want = HTTPSIG_MALFORMED,
	  .words = "given twice" },
	{ .what = "a component twice", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"@path\")"
		    GOODP, .want = HTTPSIG_MALFORMED, .words = "'@path' is covered twice" },
	{ .what = "a component with parameters", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\";req \"@path\")" GOODP, .want = HTTPSIG_MALFORMED,
	  .words = "not supported" },
	{ .what = "a component a token", .hname = "signature-input",
	  .hvalue = "haulgate=(content-type)" GOODP, .want = HTTPSIG_MALFORMED, .words = "not a string" },
	{ .what = "a derived component we cannot cover", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\" \"@authority\" \"@path\" \"content-digest\" \"@target-uri\")"
		    GOODP, .want = HTTPSIG_MALFORMED, .words = "'@target-uri' is not one we can cover" },
	{ .what = "a field name in capitals", .hname = "signature-input",
	  .hvalue = "haulgate=(\"@method\" \"@authority\" \"@path\" \"Content-Digest\" \"content-digest\")"
		    GOODP, .want = HTTPSIG_MALFORMED, .words = "not a lowercase field name" },
	{ .what = "a label in capitals", .hname = "signature-input", .hvalue = "Haulgate=" GOOD GOODP,
	  .want = HTTPSIG_MALFORMED, .words = "lowercase letter" },
	{ .what = "a trailing comma", .hname = "signature-input", .hvalue = "haulgate=" GOOD GOODP ",",
	  .want = HTTPSIG_MALFORMED, .words = "a ',' ends the field" },
	{ .what = "a value left out", .hname = "signature-input", .hvalue = "haulgate=",
	  .want = HTTPSIG_MALFORMED, .words = "an item was expected" },
	{ .what = "a keyid not ASCII", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=1700000000;keyid=\"d\xc3\xa9mo\"",
	  .want = HTTPSIG_MALFORMED, .words = "not printable ASCII" },
	{ .what = "a string escaping 'n'", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=1700000000;keyid=\"a\\n\"", .want = HTTPSIG_MALFORMED,
	  .words = "escapes" },
	{ .what = "created of 16 digits", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=1000000001700000000;keyid=\"demo-01\"",
	  .want = HTTPSIG_MALFORMED, .words = "too many digits" },
	{ .what = "created a decimal", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=1700000000.5;keyid=\"demo-01\"",
	  .want = HTTPSIG_MALFORMED, .words = "decimal" },
	{ .what = "created a string", .hname = "signature-input",
	  .hvalue = "haulgate=" GOOD ";created=\"1700000000\";keyid=\"demo-01\"",
	  .want = HTTPSIG_MALFORMED, .words = "no created integer" },
	{ .what = "no keyid", .hname = "signature-input", .hvalue = "haulgate=" GOOD ";created=1700000000",
	  .want = HTTPSIG_MALFORMED, .words = "no keyid" },
};

static const char *or(const char *v, const char *dflt)
{
	return v ? v : dflt;
}

static void test_verify_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(vrows); i++) {
		const struct vrow *r = &vrows[i];
		struct fake f = { .n = 0 };
		struct httpsig_request req = { "POST", "plant.example:8443", "/api/v1/sync/events",
					       r->squery, lookup, &f };
		struct httpsig_params p = { NULL, r->covered, T, or(r->keyid, "demo-01"),
					    or(r->alg, HTTPSIG_ALG), NULL, or(r->tag, HTTPSIG_TAG) };
		struct httpsig_policy pol = { NULL, T + r->dt, HTTPSIG_SKEW, HTTPSIG_TAG, key_of, NULL };
		struct httpsig_result res;
		char input[HTTPSIG_INPUT_MAX], sig[HTTPSIG_SIG_MAX];
		const char *body = or(r->body, HELLO);
		int rc;

		if (p.tag[0] == '\0')
			p.tag = NULL;
		set(&f, "content-type", "application/json");
		set(&f, "content-digest", HELLO_256);
		rc = httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig);
		if (rc)
			fail_msg("row %zu (%s): signing: %s", i, r->what, hg_error_text());
		set(&f, "signature-input", input);
		set(&f, "signature", sig);
		if (r->hname)
			set(&f, r->hname, *r->hvalue ? r->hvalue : NULL);
		req.method = or(r->method, req.method);
		req.authority = or(r->authority, req.authority);
		req.path = or(r->path, req.path);
		req.query = r->vquery;
		hg_error_clear();
		rc = httpsig_verify(&req, &pol, body, strlen(body), &res);
		if (res.fault != r->want || (rc == HG_OK) != (r->want == HTTPSIG_OK && !r->words))
			fail_msg("row %zu (%s): %d, %s, not %s: %s", i, r->what, rc,
				 httpsig_fault_name(res.fault), httpsig_fault_name(r->want), hg_error_text());
		if (r->words && !strstr(hg_error_text(), r->words))
			fail_msg("row %zu (%s): words '%s' lack '%s'", i, r->what, hg_error_text(), r->words);
	}
}

/* The Signature field in RFC 8941's corners, and what signing refuses. */
static void test_signature_field(void **state)
{
	static const char *const twice[] = { "@method", "@path", "@method", NULL };
	static const char *const status[] = { "@method", "@status", NULL };
	struct fake f = { .n = 0 };
	struct httpsig_request req = { "POST", "plant.example", "/x", NULL, lookup, &f };
	struct httpsig_params p = { .created = T, .keyid = "demo-01" };
	struct httpsig_policy pol = { NULL, T, HTTPSIG_SKEW, NULL, key_of, NULL };
	struct httpsig_result res;
	char input[HTTPSIG_INPUT_MAX], sig[HTTPSIG_SIG_MAX], tricky[2 * HTTPSIG_SIG_MAX];

	(void)state;
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_OK);
	assert_string_equal(input, "haulgate=(\"@method\" \"@authority\" \"@path\");created=1700000000;"
				   "keyid=\"demo-01\"");
	snprintf(tricky, sizeof tricky, "sig0=:AAAA:, %s;x=\"y\";z=?0,other=\"s\"", sig);
	set(&f, "signature-input", input);
	set(&f, "signature", tricky);
	assert_int_equal(httpsig_verify(&req, &pol, "", 0, &res), HG_OK);
	assert_string_equal(httpsig_fault_name(res.fault), "ok");

	p.keyid = "";
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_EINVAL);
	p.keyid = "demo\"01";
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_EINVAL);
	p.keyid = "demo-01";
	p.label = "Sig";
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_EINVAL);
	p.label = NULL;
	p.covered = twice;
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_EINVAL);
	assert_non_null(strstr(hg_error_text(), "covered twice"));
	p.covered = status;
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_EINVAL);
	p.covered = NULL;
	set(&f, "content-digest", HELLO_256);
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, 40, sig, sizeof sig), HG_ETOOLONG);
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, 20), HG_ETOOLONG);
	assert_int_equal(httpsig_sign(&req, &p, rfc_sk, input, sizeof input, sig, sizeof sig), HG_OK);
	assert_non_null(strstr(input, "\"@path\" \"content-digest\");"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc9421_b26),
		cmocka_unit_test(test_digest),
		cmocka_unit_test(test_verify_table),
		cmocka_unit_test(test_signature_field),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, rfc_key, NULL);
}
