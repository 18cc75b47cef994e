/* keys.c: the station's Ed25519 keys as values: made, written as text, read
 * back from text.
 *
 * A secret key is written as one line: the 64-byte libsodium secret key
 * (32-byte seed, then the 32-byte public key) in standard base64 with
 * padding; a public key as a PEM SubjectPublicKeyInfo, the form OpenSSL and
 * every other Ed25519 tool read; the PIN key as one line of base64 of its 32
 * bytes.  libsodium is started here once for the whole program
 * (keys_crypto_ready, also used by core/qr.c and core/pin.c).  The files
 * that hold these texts are host/keyfile.c's: nothing here opens a file.
 * Start reading at keys_generate(). */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "keys.h"
#include "report.h"
#include "text.h"

static const uint8_t spki_prefix[12] = {
	0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
};

/* ---- libsodium, once ---- */

static pthread_once_t sodium_once = PTHREAD_ONCE_INIT;
static int sodium_state;	/* 0 ok, -1 failed */

static void sodium_start(void)
{
	sodium_state = sodium_init() < 0 ? -1 : 0;
}

int keys_crypto_ready(void)
{
	if (pthread_once(&sodium_once, sodium_start) != 0)
		return HG_EIO;
	return sodium_state < 0 ? HG_EIO : HG_OK;
}

/* ---- making keys ---- */

int keys_generate(struct keypair *kp)
{
	int r;

	if (!kp)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return hg_fail(r, "libsodium cannot start");
	if (crypto_sign_keypair(kp->pk, kp->sk) != 0)
		return hg_fail(HG_EIO, "cannot make a key pair");
	return HG_OK;
}

int keys_pin_generate(uint8_t pin[KEY_PIN])
{
	int r;

	if (!pin)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return hg_fail(r, "libsodium cannot start");
	randombytes_buf(pin, KEY_PIN);
	return HG_OK;
}

/* ---- texts ---- */

/* n bytes as one line of standard base64 and a newline into out[cap]. */
static int base64_line(const uint8_t *bin, size_t n, char *out, size_t cap)
{
	size_t len;

	if (!out || cap < sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL) + 1)
		return HG_ETOOLONG;
	sodium_bin2base64(out, cap, bin, n, sodium_base64_VARIANT_ORIGINAL);
	len = strlen(out);
	out[len] = '\n';
	out[len + 1] = '\0';
	return HG_OK;
}

/* text (trimmed of blanks around it) as exactly n bytes of base64. */
static int base64_exact(const char *text, uint8_t *bin, size_t n)
{
	char line[KEY_TEXT_MAX];
	const char *end = NULL;
	size_t len = 0;
	int r = HG_ECORRUPT;

	if (!text || snprintf(line, sizeof line, "%s", text) >= (int)sizeof line)
		return HG_ECORRUPT;
	text_trim(line);
	if (sodium_base642bin(bin, n, line, strlen(line), NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) == 0 && len == n && *end == '\0')
		r = HG_OK;
	sodium_memzero(line, sizeof line);
	return r;
}

int keys_secret_text(const struct keypair *kp, char *out, size_t cap)
{
	return kp ? base64_line(kp->sk, KEY_SECRET, out, cap) : HG_EINVAL;
}

/* The public half must be the one the seed gives. */
int keys_secret_parse(const char *text, struct keypair *kp)
{
	struct keypair k, check;
	int r;

	if (!kp)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return hg_fail(r, "libsodium cannot start");
	r = base64_exact(text, k.sk, KEY_SECRET);
	if (r) {
		r = hg_fail(HG_ECORRUPT, "not a haulgate secret key (one line of base64)");
		goto out;
	}
	if (crypto_sign_seed_keypair(check.pk, check.sk, k.sk) != 0 ||
	    sodium_memcmp(check.sk, k.sk, KEY_SECRET) != 0) {
		r = hg_fail(HG_ECORRUPT, "damaged: its public half does not match its seed");
		goto out;
	}
	memcpy(kp->pk, check.pk, KEY_PUBLIC);
	memcpy(kp->sk, k.sk, KEY_SECRET);
out:
	sodium_memzero(&k, sizeof k);
	sodium_memzero(&check, sizeof check);
	return r;
}

int keys_pin_text(const uint8_t pin[KEY_PIN], char *out, size_t cap)
{
	return pin ? base64_line(pin, KEY_PIN, out, cap) : HG_EINVAL;
}

int keys_pin_parse(const char *text, struct keypair *kp)
{
	if (!kp)
		return HG_EINVAL;
	kp->has_pin = 0;
	if (base64_exact(text, kp->pin, KEY_PIN) != HG_OK) {
		sodium_memzero(kp->pin, sizeof kp->pin);
		return hg_fail(HG_ECORRUPT, "not a haulgate PIN key (one line of base64, 32 bytes)");
	}
	kp->has_pin = 1;
	return HG_OK;
}

/* PEM of the SubjectPublicKeyInfo: 12-byte DER prefix, then the key. */
int keys_public_pem(const uint8_t pk[KEY_PUBLIC], char *buf, size_t cap)
{
	uint8_t der[sizeof spki_prefix + KEY_PUBLIC];
	char b64[sodium_base64_ENCODED_LEN(sizeof der, sodium_base64_VARIANT_ORIGINAL)];
	size_t len = 0, n;
	int w, r;

	if (!pk || !buf || cap == 0)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return r;
	memcpy(der, spki_prefix, sizeof spki_prefix);
	memcpy(der + sizeof spki_prefix, pk, KEY_PUBLIC);
	sodium_bin2base64(b64, sizeof b64, der, sizeof der, sodium_base64_VARIANT_ORIGINAL);

	w = snprintf(buf, cap, "-----BEGIN PUBLIC KEY-----\n");
	if (w < 0 || (size_t)w >= cap)
		goto toolong;
	len = (size_t)w;
	n = strlen(b64);
	for (size_t i = 0; i < n; i += 64) {
		size_t part = n - i < 64 ? n - i : 64;

		w = snprintf(buf + len, cap - len, "%.*s\n", (int)part, b64 + i);
		if (w < 0 || (size_t)w >= cap - len)
			goto toolong;
		len += (size_t)w;
	}
	w = snprintf(buf + len, cap - len, "-----END PUBLIC KEY-----\n");
	if (w < 0 || (size_t)w >= cap - len)
		goto toolong;
	return HG_OK;
toolong:
	buf[0] = '\0';
	return HG_ETOOLONG;
}

/* The 32 key bytes of a PEM SubjectPublicKeyInfo of an Ed25519 key. */
int keys_public_parse(const char *text, uint8_t pk[KEY_PUBLIC])
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char endl[] = "-----END PUBLIC KEY-----";
	uint8_t der[sizeof spki_prefix + KEY_PUBLIC + 1];
	const char *b, *e, *stop = NULL;
	size_t len = 0;
	int r;

	if (!text || !pk)
		return HG_EINVAL;
	r = keys_crypto_ready();
	if (r)
		return r;
	b = strstr(text, begin);
	e = b ? strstr(b + sizeof begin - 1, endl) : NULL;
	if (!e)
		goto bad;
	b += sizeof begin - 1;
	if (sodium_base642bin(der, sizeof der, b, (size_t)(e - b), " \t\r\n", &len, &stop,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || stop != e ||
	    len != sizeof spki_prefix + KEY_PUBLIC ||
	    memcmp(der, spki_prefix, sizeof spki_prefix) != 0)
		goto bad;
	memcpy(pk, der + sizeof spki_prefix, KEY_PUBLIC);
	return HG_OK;
bad:
	return hg_fail(HG_ECORRUPT, "not an Ed25519 public key in PEM form");
}

/* ---- the PIN key's place ---- */

int keys_pin_path(const char *key_path, char *out, size_t cap)
{
	const char *slash;
	int n;

	if (!key_path || !out || cap == 0)
		return HG_EINVAL;
	slash = strrchr(key_path, '/');
	if (slash)
		n = snprintf(out, cap, "%.*s/%s", (int)(slash - key_path), key_path, KEY_PIN_FILE);
	else
		n = snprintf(out, cap, "%s", KEY_PIN_FILE);
	if (n < 0 || (size_t)n >= cap) {
		out[0] = '\0';
		return HG_ETOOLONG;
	}
	return HG_OK;
}
