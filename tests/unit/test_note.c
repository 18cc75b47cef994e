/* test_note.c: unit tests of core/note.c, C2SP signed notes and checkpoints.
 *
 * Known answers from Go's golang.org/x/mod/sumdb/note (its doc comment and
 * note_test.go): PeterNeumann's key signs the same bytes Go signs, and the
 * note Go signed with PeterNeumann's and EnochRoot's keys opens here.  Then
 * the malformed notes Go refuses, and more, each refused with words that
 * say what is wrong; wrong keys and tampered texts refused; the plant's
 * cosignature added and replaced; checkpoints written and read back to the
 * byte; verifier keys and key names. */
#include "testutil.h"

#include <sodium.h>

#include "../../core/hg.h"
#include "../../core/note.h"
#include "../../core/report.h"

/* Go's example key (note.go's doc comment, note_test.go's TestSign) */
#define PETER_SKEY "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
#define PETER_VKEY "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
#define ENOCH_VKEY "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
#define TEXT "If you think cryptography is the answer to your problem,\n" \
	     "then you don't know what your problem is.\n"
#define PETER_SIG "\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZIn" \
		  "NIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
#define ENOCH_SIG "\xe2\x80\x94 EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2t" \
		  "iOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

static char big[2 * NOTE_MAX];

/* PeterNeumann's secret key, libsodium's 64 bytes, from Go's signer key */
static void peter_secret(uint8_t sk[NOTE_SECRET])
{
	const char *k64 = PETER_SKEY + strlen("PRIVATE+KEY+PeterNeumann+c74f20a3+");
	uint8_t seed[33], pk[NOTE_PUBLIC];
	size_t got;

	assert_int_equal(sodium_base642bin(seed, sizeof seed, k64, strlen(k64), NULL, &got, NULL,
					   sodium_base64_VARIANT_ORIGINAL), 0);
	assert_int_equal(got, 33);
	assert_int_equal(seed[0], 0x01);
	crypto_sign_seed_keypair(pk, sk, seed + 1);
}

/* a new key pair and its verifier under name */
static void new_key(const char *name, uint8_t sk[NOTE_SECRET], struct note_verifier *v)
{
	uint8_t pk[NOTE_PUBLIC];
	char vkey[NOTE_VKEY_MAX];

	crypto_sign_keypair(pk, sk);
	assert_int_equal(note_vkey(name, pk, vkey, sizeof vkey), 0);
	assert_int_equal(note_vkey_parse(vkey, v), 0);
}

static void expect_words(int rc, int want, const char *words)
{
	if (rc != want)
		fail_msg("returned %d, want %d (%s)", rc, want, hg_error_text());
	if (!strstr(hg_error_text(), words))
		fail_msg("the words '%s' do not say '%s'", hg_error_text(), words);
}

/* Go's signer key signs the same bytes here: the same key id, verifier key
 * and signed note */
static void test_go_sign(void **state)
{
	uint8_t sk[NOTE_SECRET];
	char vkey[NOTE_VKEY_MAX], out[1024];
	size_t len = 0;

	(void)state;
	peter_secret(sk);
	assert_int_equal(note_key_id("PeterNeumann", sk + 32), 0xc74f20a3);
	assert_int_equal(note_vkey("PeterNeumann", sk + 32, vkey, sizeof vkey), 0);
	assert_string_equal(vkey, PETER_VKEY);
	assert_int_equal(note_sign(TEXT, strlen(TEXT), "PeterNeumann", sk, out, sizeof out, &len), 0);
	assert_string_equal(out, TEXT "\n" PETER_SIG);
	assert_int_equal(len, strlen(out));
	/* too small a buffer: an error, nothing half written */
	expect_words(note_sign(TEXT, strlen(TEXT), "PeterNeumann", sk, out, 100, &len),
		     HG_ETOOLONG, "does not fit in 100 bytes");
	assert_string_equal(out, "");
	/* a secret key whose halves are not one key */
	sk[40] ^= 1;
	expect_words(note_sign(TEXT, strlen(TEXT), "PeterNeumann", sk, out, sizeof out, &len),
		     HG_EINVAL, "public half");
}

/* Go's two-signature note opens: known keys checked, unknown ones kept */
static void test_go_open(void **state)
{
	static const char msg[] = TEXT "\n" PETER_SIG ENOCH_SIG;
	struct note_verifier v[3];
	struct note_opened o;

	(void)state;
	assert_int_equal(note_vkey_parse(PETER_VKEY, &v[0]), 0);
	assert_int_equal(note_vkey_parse(ENOCH_VKEY, &v[1]), 0);
	assert_string_equal(v[0].name, "PeterNeumann");
	assert_int_equal(v[0].id, 0xc74f20a3);
	assert_int_equal(v[1].id, 0xaf0cfe78);

	/* one known: it verifies, the other is kept unchecked */
	assert_int_equal(note_open(msg, strlen(msg), v, 1, 0, &o), 0);
	assert_int_equal(o.text_len, strlen(TEXT));
	assert_int_equal(o.nsig, 2);
	assert_string_equal(o.sig[0].name, "PeterNeumann");
	assert_int_equal(o.sig[0].known, 0);
	assert_string_equal(o.sig[1].name, "EnochRoot");
	assert_int_equal(o.sig[1].id, 0xaf0cfe78);
	assert_int_equal(o.sig[1].known, -1);
	assert_int_equal(o.verified, 1);
	/* both known and both needed */
	assert_int_equal(note_open(msg, strlen(msg), v, 2, 3, &o), 0);
	assert_int_equal(o.verified, 3);
	/* none known */
	expect_words(note_open(msg, strlen(msg), v, 0, 0, &o), HG_EREFUSED,
		     "none of the note's 2 signatures is by a known key (the first is by "
		     "'PeterNeumann')");
	assert_int_equal(o.nsig, 0);
	/* a needed key that did not sign */
	expect_words(note_open(TEXT "\n" PETER_SIG, strlen(TEXT "\n" PETER_SIG), v, 2, 3, &o),
		     HG_EREFUSED, "the note is not signed by 'EnochRoot' (key id af0cfe78)");
	/* a needed key that is not in the list */
	expect_words(note_open(msg, strlen(msg), v, 2, 4, &o), HG_EINVAL,
		     "only those may be needed");
	/* the same key twice in the list */
	v[2] = v[1];
	expect_words(note_open(msg, strlen(msg), v, 3, 0, &o), HG_EINVAL,
		     "two known keys are 'EnochRoot'");
}

/* a signature that does not verify, as Go's TestOpen spoils it: four
 * characters into the base64 */
static void test_bad_signature(void **state)
{
	char msg[1024];
	const char *sig = PETER_SIG;
	struct note_verifier v;
	struct note_opened o;
	int n;

	(void)state;
	assert_int_equal(note_vkey_parse(PETER_VKEY, &v), 0);
	n = snprintf(msg, sizeof msg, "%s\n%.60sABCD%s", TEXT, sig, sig + 60);
	assert_true(n > 0 && (size_t)n < sizeof msg);
	expect_words(note_open(msg, strlen(msg), &v, 1, 0, &o), HG_EREFUSED,
		     "the signature by 'PeterNeumann' (key id c74f20a3) does not verify");
	/* one byte of the signature changed (past the key id) */
	snprintf(msg, sizeof msg, "%s\n%s", TEXT, sig);
	n = (int)strlen(TEXT) + 1 + 4 + 13 + 30;
	msg[n] = msg[n] == 'A' ? 'B' : 'A';
	expect_words(note_open(msg, strlen(msg), &v, 1, 0, &o), HG_EREFUSED, "does not verify");
	/* one byte of the text changed */
	snprintf(msg, sizeof msg, "%s\n%s", TEXT, sig);
	msg[3] = 'Y';
	expect_words(note_open(msg, strlen(msg), &v, 1, 0, &o), HG_EREFUSED, "does not verify");
}

struct bad_note {
	const char *msg;	/* NULL: big[] */
	const char *words;	/* what the error must say */
};

/* malformed notes (Go's badMsgs first): HG_EINVAL, and words that say where */
static void test_malformed(void **state)
{
	static const struct bad_note bad[] = {
		/* only the text */
		{ TEXT, "no blank line before its signatures" },
		/* the blank line, no signature */
		{ TEXT "\n", "no signature after its blank line" },
		/* the last signature line without its newline */
		{ TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
		  "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=", "does not end in a newline" },
		/* a control character */
		{ "\x01" TEXT "\n" PETER_SIG, "a control character (0x01) at byte 0" },
		/* not UTF-8 */
		{ "\xff" TEXT "\n" PETER_SIG, "not UTF-8 at byte 0" },
		/* a name with a space: the rest is no base64 */
		{ TEXT "\n\xe2\x80\x94 Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FF"
		  "YC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n", "line 1 ('Bad'): the signature is not base64" },
		/* a line after the signatures that is not one */
		{ TEXT "\n" PETER_SIG "Unexpected line.\n",
		  "signature line 2 does not start with an em dash (U+2014) and a space" },
		/* a hyphen for the em dash */
		{ TEXT "\n- PeterNeumann x08go/ZJ==\n", "line 1 does not start with an em dash" },
		/* an en dash (U+2013) */
		{ TEXT "\n\xe2\x80\x93 PeterNeumann x08go/ZJ==\n", "does not start with an em dash" },
		/* no space after the name */
		{ TEXT "\n\xe2\x80\x94 PeterNeumann\n", "no space between the key name and the signature" },
		/* no name */
		{ TEXT "\n\xe2\x80\x94  x08go/ZJ\n", "a key name is empty" },
		/* a '+' in the name */
		{ TEXT "\n\xe2\x80\x94 a+b x08go/ZJ\n", "the key name 'a+b' holds a '+'" },
		/* a no-break space in the name */
		{ TEXT "\n\xe2\x80\x94 a\xc2\xa0" "b x08go/ZJ\n", "holds a space" },
		/* no signature after the name */
		{ TEXT "\n\xe2\x80\x94 PeterNeumann \n", "the signature is not base64" },
		/* base64 without its padding */
		{ TEXT "\n\xe2\x80\x94 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1"
		  "FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM\n", "the signature is not base64" },
		/* four bytes: a key id and no signature */
		{ TEXT "\n\xe2\x80\x94 PeterNeumann x08gow==\n", "4 bytes are no key id and signature" },
		/* a carriage return (a note written on Windows) */
		{ "line\r\n\n" PETER_SIG, "a control character (0x0d) at byte 4" },
		/* a UTF-16 surrogate written as UTF-8 */
		{ "\xed\xa0\x80\n\n" PETER_SIG, "not UTF-8 at byte 0" },
		/* an overlong '/' */
		{ "a\xc0\xafz\n\n" PETER_SIG, "not UTF-8 at byte 1" },
		/* a UTF-8 sequence cut at the end of the note */
		{ TEXT "\n" PETER_SIG "\xe2\x80", "not UTF-8" },
		/* more than NOTE_MAX bytes */
		{ NULL, "over the limit of 16384" },
	};
	struct note_verifier v;
	struct note_opened o;

	(void)state;
	assert_int_equal(note_vkey_parse(PETER_VKEY, &v), 0);
	memset(big, 'a', NOTE_MAX + 1);
	snprintf(big + NOTE_MAX + 1, sizeof big - NOTE_MAX - 1, "\n\n%s", PETER_SIG);
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		const char *m = bad[i].msg ? bad[i].msg : big;

		hg_error_clear();
		expect_words(note_open(m, strlen(m), &v, 1, 0, &o), HG_EINVAL, bad[i].words);
		assert_int_equal(o.nsig, 0);
	}
}

/* more than NOTE_SIG_MAX signatures: refused; up to it: taken */
static void test_many_signatures(void **state)
{
	struct note_verifier v;
	struct note_opened o;
	size_t n = strlen(TEXT "\n");

	(void)state;
	assert_int_equal(note_vkey_parse(PETER_VKEY, &v), 0);
	memcpy(big, TEXT "\n", n);
	for (int i = 0; i < NOTE_SIG_MAX; i++) {
		memcpy(big + n, PETER_SIG, strlen(PETER_SIG));
		n += strlen(PETER_SIG);
	}
	assert_int_equal(note_open(big, n, &v, 1, 0, &o), 0);
	assert_int_equal(o.nsig, NOTE_SIG_MAX);
	memcpy(big + n, ENOCH_SIG, strlen(ENOCH_SIG));
	n += strlen(ENOCH_SIG);
	expect_words(note_open(big, n, &v, 1, 0, &o), HG_EINVAL, "more than 32 signatures");
}

/* a checkpoint signed by one key is refused by another under the same
 * name, and by a verifier that claims its name and id with another key */
static void test_wrong_key(void **state)
{
	uint8_t sk[NOTE_SECRET], other_sk[NOTE_SECRET], root[NOTE_HASH];
	struct note_verifier v, other, liar;
	struct note_opened o;
	char text[512], msg[1024];
	size_t tlen, mlen;

	(void)state;
	new_key("haulgate.station/demo-01", sk, &v);
	new_key("haulgate.station/demo-01", other_sk, &other);
	memset(root, 7, sizeof root);
	assert_int_equal(note_checkpoint_text("haulgate.station/demo-01", 42, root, text,
					      sizeof text, &tlen), 0);
	assert_int_equal(note_sign(text, tlen, "haulgate.station/demo-01", sk, msg, sizeof msg,
				   &mlen), 0);
	assert_int_equal(note_open(msg, mlen, &v, 1, 1, &o), 0);
	/* another key of the same name: another id, so its signature is unknown */
	expect_words(note_open(msg, mlen, &other, 1, 0, &o), HG_EREFUSED,
		     "none of the note's 1 signatures is by a known key");
	expect_words(note_open(msg, mlen, &other, 1, 1, &o), HG_EREFUSED,
		     "the note is not signed by 'haulgate.station/demo-01'");
	/* the same name and id with another public key */
	liar = v;
	memcpy(liar.pk, other.pk, NOTE_PUBLIC);
	expect_words(note_open(msg, mlen, &liar, 1, 0, &o), HG_EREFUSED, "does not verify");
	/* a byte of the root changed under the signature */
	msg[strlen("haulgate.station/demo-01\n42\n") + 5] ^= 0x01;
	expect_words(note_open(msg, mlen, &v, 1, 0, &o), HG_EREFUSED,
		     "the signature by 'haulgate.station/demo-01'");
}

/* the plant's cosignature: a second line by the plant's key over the same
 * text; cosigning again replaces the plant's line and keeps the station's */
static void test_cosign(void **state)
{
	uint8_t st_sk[NOTE_SECRET], pl_sk[NOTE_SECRET], root[NOTE_HASH];
	struct note_verifier v[2];
	struct note_opened o;
	char text[512], signed1[1024], co[2048], co2[2048];
	size_t tlen, slen, clen, c2len;
	const char *line2;

	(void)state;
	new_key("haulgate.station/demo-01", st_sk, &v[0]);
	new_key("haulgate.potw/plant", pl_sk, &v[1]);
	randombytes_buf(root, sizeof root);
	assert_int_equal(note_checkpoint_text("haulgate.station/demo-01", 1523, root, text,
					      sizeof text, &tlen), 0);
	assert_int_equal(note_sign(text, tlen, "haulgate.station/demo-01", st_sk, signed1,
				   sizeof signed1, &slen), 0);
	assert_int_equal(note_cosign(signed1, slen, "haulgate.potw/plant", pl_sk, co, sizeof co,
				     &clen), 0);
	/* the station's note, then the plant's line */
	assert_memory_equal(co, signed1, slen);
	line2 = co + slen;
	assert_memory_equal(line2, "\xe2\x80\x94 haulgate.potw/plant ", 24);
	assert_int_equal(co[clen - 1], '\n');
	assert_int_equal(note_open(co, clen, v, 2, 3, &o), 0);
	assert_int_equal(o.nsig, 2);
	assert_int_equal(o.text_len, tlen);
	/* the station alone, and the plant alone, each verify theirs */
	assert_int_equal(note_open(co, clen, &v[1], 1, 1, &o), 0);
	assert_int_equal(o.sig[0].known, -1);
	assert_int_equal(o.sig[1].known, 0);
	/* again: the plant's line is replaced, not doubled (Ed25519 is
	 * deterministic: the same bytes) */
	assert_int_equal(note_cosign(co, clen, "haulgate.potw/plant", pl_sk, co2, sizeof co2,
				     &c2len), 0);
	assert_int_equal(c2len, clen);
	assert_memory_equal(co2, co, clen);
	/* a malformed note is not cosigned */
	expect_words(note_cosign(text, tlen, "haulgate.potw/plant", pl_sk, co2, sizeof co2,
				 &c2len), HG_EINVAL, "no blank line before its signatures");
	expect_words(note_cosign(signed1, slen, "haulgate potw", pl_sk, co2, sizeof co2, &c2len),
		     HG_EINVAL, "holds a space");
	expect_words(note_cosign(signed1, slen, "haulgate.potw/plant", pl_sk, co2, slen + 10,
				 &c2len), HG_ETOOLONG, "does not fit");
}

struct cp_case {
	const char *text;
	const char *words;	/* NULL: parses */
};

/* checkpoints: written to the byte, read back; the C2SP example parses;
 * every line that is not what it should be is named */
static void test_checkpoint(void **state)
{
	static const struct cp_case cases[] = {
		/* c2sp.org/tlog-checkpoint's example */
		{ "example.com/behind-the-sofa\n20852163\n"
		  "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", NULL },
		/* the empty tree, and extension lines */
		{ "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\next two\n", NULL },
		/* the biggest size */
		{ "o\n9223372036854775807\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", NULL },
		{ "o\n9223372036854775808\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
		  "line 2 is not a tree size: '9223372036854775808'" },
		{ "o\n99999999999999999999\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
		  "line 2 is not a tree size" },
		{ "o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 2 is not a tree size" },
		{ "o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 2 is not a tree size" },
		{ "o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 2 is not a tree size" },
		{ "o\n 1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 2 is not a tree size" },
		{ "o\n\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "line 2 is not a tree size" },
		{ "\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "origin (line 1) is empty" },
		/* a root one character short, of 33 bytes, not base64 */
		{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n", "line 3 is not the base64" },
		{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IA\n", "line 3 is not the base64" },
		{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I!\n", "line 3 is not the base64" },
		{ "o\n1\n", "three lines (origin, size, root); this has 2" },
		{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", "end in a newline" },
		{ "o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n", "line 4 is empty" },
		{ "o\t\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n", "control character (0x09)" },
	};
	struct note_checkpoint cp;
	uint8_t root[NOTE_HASH];
	char text[512], origin[64];
	size_t len;

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(cases); i++) {
		const char *t = cases[i].text;

		if (!cases[i].words) {
			assert_int_equal(note_checkpoint_parse(t, strlen(t), &cp), 0);
			continue;
		}
		expect_words(note_checkpoint_parse(t, strlen(t), &cp), HG_EINVAL, cases[i].words);
		assert_int_equal(cp.size, 0);
	}
	assert_int_equal(note_checkpoint_parse(cases[0].text, strlen(cases[0].text), &cp), 0);
	assert_string_equal(cp.origin, "example.com/behind-the-sofa");
	assert_int_equal(cp.size, 20852163);
	assert_int_equal(cp.extensions, 0);
	assert_int_equal(note_checkpoint_parse(cases[1].text, strlen(cases[1].text), &cp), 0);
	assert_int_equal(cp.size, 0);
	assert_int_equal(cp.extensions, 2);

	/* written and read back */
	assert_int_equal(note_station_origin("demo-01", origin, sizeof origin), 0);
	assert_string_equal(origin, "haulgate.station/demo-01");
	for (int i = 0; i < NOTE_HASH; i++)
		root[i] = (uint8_t)(i * 8);
	assert_int_equal(note_checkpoint_text(origin, 1523, root, text, sizeof text, &len), 0);
	assert_string_equal(text, "haulgate.station/demo-01\n1523\n"
			    "AAgQGCAoMDhASFBYYGhweICIkJigqLC4wMjQ2ODo8Pg=\n");
	assert_int_equal(len, strlen(text));
	assert_int_equal(note_checkpoint_parse(text, len, &cp), 0);
	assert_string_equal(cp.origin, origin);
	assert_int_equal(cp.size, 1523);
	assert_memory_equal(cp.root, root, NOTE_HASH);
	/* what cannot be a checkpoint's origin or size, or does not fit */
	expect_words(note_checkpoint_text("a b", 1, root, text, sizeof text, &len), HG_EINVAL,
		     "a checkpoint's origin is its key's name: the key name 'a b' holds a space");
	expect_words(note_checkpoint_text("o", UINT64_C(1) << 63, root, text, sizeof text, &len),
		     HG_EINVAL, "too big");
	expect_words(note_checkpoint_text(origin, 1523, root, text, 40, &len), HG_ETOOLONG,
		     "does not fit in 40 bytes");
	assert_string_equal(text, "");
}

/* verifier keys: written as Go writes them, parsed back; bad ones named */
static void test_vkey(void **state)
{
	static const struct bad_note bad[] = {
		{ "PeterNeumann", "is not" },
		{ "PeterNeumann+c74f20a3", "is not" },
		{ "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		  "the verifier key's name: the key name 'Peter Neumann' holds a space" },
		{ "+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "a key name is empty" },
		{ "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hex digits" },
		{ "PeterNeumann+c74f20ag+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hex digits" },
		{ "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10T", "not base64" },
		{ "PeterNeumann+c74f20a3+", "not base64" },
		/* the same key as type 0x02 */
		{ "PeterNeumann+c74f20a3+Alpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		  "not an Ed25519 key (type 0x02, 33 bytes)" },
		/* 32 bytes only */
		{ "PeterNeumann+c74f20a3+GlzZ1BQ8OExB6DDFvOEqqIF+xWSaqr8sMTiLNbLXRNY=",
		  "not an Ed25519 key" },
		/* another id */
		{ "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		  "says key id c74f20a4, but its name and key make c74f20a3" },
		/* another name: the id is not its */
		{ "PeterNeumann2+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
		  "says key id c74f20a3" },
	};
	struct note_verifier v;
	char vkey[NOTE_VKEY_MAX];

	(void)state;
	/* upper-case hex is taken too (Go's ParseUint is) */
	assert_int_equal(note_vkey_parse("PeterNeumann+C74F20A3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/"
					 "LDE4izWy10TW", &v), 0);
	assert_int_equal(v.id, 0xc74f20a3);
	assert_int_equal(note_vkey(v.name, v.pk, vkey, sizeof vkey), 0);
	assert_string_equal(vkey, PETER_VKEY);
	expect_words(note_vkey(v.name, v.pk, vkey, 20), HG_ETOOLONG, "does not fit in 20 bytes");
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++) {
		expect_words(note_vkey_parse(bad[i].msg, &v), HG_EINVAL, bad[i].words);
		assert_int_equal(v.id, 0);
	}
}

/* key names: the spec's rules */
static void test_names(void **state)
{
	static const struct bad_note bad[] = {
		{ "", "a key name is empty" },
		{ "a b", "holds a space" },
		{ "a\tb", "holds a space" },
		{ "a\xc2\xa0" "b", "holds a space" },		/* U+00A0 */
		{ "a\xe3\x80\x80" "b", "holds a space" },	/* U+3000 */
		{ "a\xe2\x80\xa8" "b", "holds a space" },	/* U+2028 */
		{ "a+b", "holds a '+'" },
		{ "a\x01" "b", "control character" },
		{ "a\x7f" "b", "control character" },
		{ "a\xff", "not UTF-8 at byte 1" },
	};
	char origin[300], name[NOTE_NAME_MAX + 2];

	(void)state;
	assert_int_equal(note_name_check("haulgate.station/demo-01"), 0);
	assert_int_equal(note_name_check("example.com/log42"), 0);
	assert_int_equal(note_name_check("\xc3\x9cnicode-\xe2\x80\x94"), 0);
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++)
		expect_words(note_name_check(bad[i].msg), HG_EINVAL, bad[i].words);
	memset(name, 'n', NOTE_NAME_MAX);
	name[NOTE_NAME_MAX] = '\0';
	assert_int_equal(note_name_check(name), 0);
	name[NOTE_NAME_MAX] = 'n';
	name[NOTE_NAME_MAX + 1] = '\0';
	expect_words(note_name_check(name), HG_EINVAL, "too long (at most 255)");
	expect_words(note_station_origin("demo 01", origin, sizeof origin), HG_EINVAL,
		     "holds a space");
	assert_string_equal(origin, "");
	expect_words(note_station_origin("demo-01", origin, 10), HG_ETOOLONG, "does not fit");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_go_sign),
		cmocka_unit_test(test_go_open),
		cmocka_unit_test(test_bad_signature),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_many_signatures),
		cmocka_unit_test(test_wrong_key),
		cmocka_unit_test(test_cosign),
		cmocka_unit_test(test_checkpoint),
		cmocka_unit_test(test_vkey),
		cmocka_unit_test(test_names),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
