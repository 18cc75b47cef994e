/* keys.c: the station's Ed25519 key files.
 *
 * keys_create() makes the station key with libsodium and writes two files.
 * The secret file holds one line: the 64-byte libsodium secret key (32-byte
 * seed, then the 32-byte public key) in standard base64 with padding, mode
 * 0600, never overwritten.  <key>.pub holds the public key as a PEM
 * SubjectPublicKeyInfo, the form OpenSSL and every other Ed25519 tool read.
 * libsodium is started here once for the whole program (keys_crypto_ready,
 * also used by core/qr.c and core/pin.c).  The PIN key (keys_pin_create,
 * keys_pin_load) is a third file beside the station key, written and read
 * the same way.  A secret file found open to group or others is made 0600
 * as it is read (read_small).  These few files are the only I/O in core/:
 * the layers above read the keys here and pass the bytes on.  Start reading
 * at keys_create(). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keys.h"
#include "text.h"

#define KEY_FILE_MAX 4096	/* larger than this is not one of our key files */
#define KEY_PATH_MAX 4096

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

static void seterr(char *err, size_t cap, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void seterr(char *err, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (!err || cap == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, cap, fmt, ap);
	va_end(ap);
}

/* The start of every key function: the arguments there (args_ok), then
 * libsodium up; err says which failed. */
static int key_start(int args_ok, char *err, size_t cap)
{
	int r;

	if (!args_ok) {
		seterr(err, cap, "no key path");
		return HG_EINVAL;
	}
	r = keys_crypto_ready();
	if (r)
		seterr(err, cap, "libsodium cannot start");
	return r;
}

/* ---- keys ---- */

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* A secret file open to group or others (mode & 077) is made 0600 on the
 * spot: the station's user owns it, and nobody else should read a key. */
static int keep_private(int fd, const char *path, char *err, size_t ecap)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0) {
		seterr(err, ecap, "cannot read '%s': %s", path, strerror(errno));
		return HG_EIO;
	}
	if ((sb.st_mode & 077) == 0)
		return HG_OK;
	if (fchmod(fd, 0600) != 0) {
		seterr(err, ecap, "'%s' is open to other users (mode %03o) and cannot be made "
		       "0600: %s", path, (unsigned)(sb.st_mode & 0777), strerror(errno));
		return HG_EIO;
	}
	return HG_OK;
}

/* Read a small file whole into buf[cap] (NUL-terminated); secret: it holds
 * a key, keep it private (keep_private). */
static int read_small(const char *path, int secret, char *buf, size_t cap, char *err,
		      size_t ecap)
{
	size_t len = 0;
	int fd, e, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		seterr(err, ecap, "cannot open '%s': %s", path, strerror(e));
		return e == ENOENT ? HG_ENOTFOUND : HG_EIO;
	}
	if (secret) {
		r = keep_private(fd, path, err, ecap);
		if (r) {
			close(fd);
			return r;
		}
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, cap - 1 - len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = errno;
			close(fd);
			seterr(err, ecap, "cannot read '%s': %s", path, strerror(e));
			return HG_EIO;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap - 1) {
			close(fd);
			seterr(err, ecap, "'%s' is too large to be a key file", path);
			return HG_ECORRUPT;
		}
	}
	close(fd);
	buf[len] = '\0';
	return HG_OK;
}

/* path + suffix into out[cap]. */
static int path_with(const char *path, const char *suffix, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s%s", path, suffix);

	return n < 0 || (size_t)n >= cap ? HG_ETOOLONG : HG_OK;
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

/* Write the public key file: <path>.pub.tmp, fsync, rename over <path>.pub. */
static int write_public(const char *path, const uint8_t pk[KEY_PUBLIC], char *err, size_t ecap)
{
	char pub[KEY_PATH_MAX], tmp[KEY_PATH_MAX + 8], pem[256];
	int fd, r;

	r = path_with(path, ".pub", pub, sizeof pub);
	if (r)
		goto toolong;
	r = path_with(pub, ".tmp", tmp, sizeof tmp);
	if (r)
		goto toolong;
	r = keys_public_pem(pk, pem, sizeof pem);
	if (r)
		return r;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		seterr(err, ecap, "cannot create '%s': %s", tmp, strerror(errno));
		return HG_EIO;
	}
	if (write_all(fd, pem, strlen(pem)) < 0 || fsync(fd) < 0) {
		seterr(err, ecap, "cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return HG_EIO;
	}
	if (close(fd) < 0 || rename(tmp, pub) < 0) {
		seterr(err, ecap, "cannot write '%s': %s", pub, strerror(errno));
		unlink(tmp);
		return HG_EIO;
	}
	return HG_OK;
toolong:
	seterr(err, ecap, "key path too long");
	return HG_ETOOLONG;
}

/* Write text[n] to a new secret file: O_EXCL (never over an existing
 * file: HG_EEXIST), mode 0600, fsync; removed again when it cannot be
 * written whole. */
static int write_secret(const char *path, const char *text, size_t n, char *err, size_t cap)
{
	int fd, e;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		seterr(err, cap, "cannot create '%s': %s", path, strerror(e));
		return e == EEXIST ? HG_EEXIST : HG_EIO;
	}
	if (write_all(fd, text, n) < 0 || fsync(fd) < 0) {
		seterr(err, cap, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return HG_EIO;
	}
	if (close(fd) < 0) {
		seterr(err, cap, "cannot write '%s': %s", path, strerror(errno));
		unlink(path);
		return HG_EIO;
	}
	return HG_OK;
}

/* New key pair; secret written with O_EXCL (never over an existing key),
 * then the public PEM.  If the public file cannot be written, the secret is
 * removed again so a second try starts clean. */
int keys_create(const char *path, struct keypair *kp, char *err, size_t cap)
{
	struct keypair k;
	char b64[sodium_base64_ENCODED_LEN(KEY_SECRET, sodium_base64_VARIANT_ORIGINAL) + 1];
	size_t n;
	int r;

	r = key_start(path && *path, err, cap);
	if (r)
		return r;
	if (crypto_sign_keypair(k.pk, k.sk) != 0) {
		seterr(err, cap, "cannot make a key pair");
		return HG_EIO;
	}
	sodium_bin2base64(b64, sizeof b64, k.sk, KEY_SECRET, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b64);
	b64[n++] = '\n';

	r = write_secret(path, b64, n, err, cap);
	if (r)
		goto out;
	r = write_public(path, k.pk, err, cap);
	if (r) {
		unlink(path);
		goto out;
	}
	if (kp) {
		memcpy(kp->pk, k.pk, KEY_PUBLIC);
		memcpy(kp->sk, k.sk, KEY_SECRET);
	}
out:
	sodium_memzero(&k, sizeof k);
	sodium_memzero(b64, sizeof b64);
	return r;
}

/* Read the secret file; the public half must be the one its seed gives. */
int keys_load(const char *path, struct keypair *kp, char *err, size_t cap)
{
	char buf[KEY_FILE_MAX];
	struct keypair k, check;
	size_t len = 0;
	const char *end = NULL;
	int r;

	r = key_start(path && kp, err, cap);
	if (r)
		return r;
	r = read_small(path, 1, buf, sizeof buf, err, cap);
	if (r)
		goto out;
	text_trim(buf);
	r = HG_ECORRUPT;
	if (sodium_base642bin(k.sk, sizeof k.sk, buf, strlen(buf), NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || len != KEY_SECRET ||
	    *end != '\0') {
		seterr(err, cap, "'%s' is not a haulgate secret key (one line of base64)", path);
		goto out;
	}
	if (crypto_sign_seed_keypair(check.pk, check.sk, k.sk) != 0 ||
	    sodium_memcmp(check.sk, k.sk, KEY_SECRET) != 0) {
		seterr(err, cap, "'%s' is damaged: its public half does not match its seed", path);
		goto out;
	}
	memcpy(kp->pk, check.pk, KEY_PUBLIC);
	memcpy(kp->sk, k.sk, KEY_SECRET);
	r = HG_OK;
out:
	sodium_memzero(buf, sizeof buf);
	sodium_memzero(&k, sizeof k);
	sodium_memzero(&check, sizeof check);
	return r;
}

/* The 32 key bytes of a PEM SubjectPublicKeyInfo of an Ed25519 key. */
static int parse_pem(const char *text, uint8_t pk[KEY_PUBLIC])
{
	static const char begin[] = "-----BEGIN PUBLIC KEY-----";
	static const char endl[] = "-----END PUBLIC KEY-----";
	uint8_t der[sizeof spki_prefix + KEY_PUBLIC + 1];
	const char *b, *e, *stop = NULL;
	size_t len = 0;

	b = strstr(text, begin);
	if (!b)
		return HG_ECORRUPT;
	b += sizeof begin - 1;
	e = strstr(b, endl);
	if (!e)
		return HG_ECORRUPT;
	if (sodium_base642bin(der, sizeof der, b, (size_t)(e - b), " \t\r\n", &len, &stop,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || stop != e ||
	    len != sizeof spki_prefix + KEY_PUBLIC ||
	    memcmp(der, spki_prefix, sizeof spki_prefix) != 0)
		return HG_ECORRUPT;
	memcpy(pk, der + sizeof spki_prefix, KEY_PUBLIC);
	return HG_OK;
}

/* path.pub; or path itself when it ends in ".pub" or when path.pub does not
 * exist and path holds the PEM. */
int keys_load_public(const char *path, uint8_t pk[KEY_PUBLIC], char *err, size_t cap)
{
	char pub[KEY_PATH_MAX], buf[KEY_FILE_MAX];
	const char *file = path;
	size_t n;
	int r;

	r = key_start(path && pk, err, cap);
	if (r)
		return r;
	n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".pub") != 0) {
		r = path_with(path, ".pub", pub, sizeof pub);
		if (r) {
			seterr(err, cap, "key path too long");
			return r;
		}
		file = pub;
		r = read_small(file, 0, buf, sizeof buf, err, cap);
		if (r == HG_ENOTFOUND) {
			file = path;
			r = read_small(file, 0, buf, sizeof buf, err, cap);
		}
	} else {
		r = read_small(file, 0, buf, sizeof buf, err, cap);
	}
	if (r)
		return r;
	r = parse_pem(buf, pk);
	if (r)
		seterr(err, cap, "'%s' is not an Ed25519 public key in PEM form", file);
	return r;
}

/* ---- the PIN key ---- */

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

int keys_pin_create(const char *path, uint8_t pin[KEY_PIN], char *err, size_t cap)
{
	uint8_t k[KEY_PIN];
	char b64[sodium_base64_ENCODED_LEN(KEY_PIN, sodium_base64_VARIANT_ORIGINAL) + 1];
	size_t n;
	int r;

	r = key_start(path && *path, err, cap);
	if (r)
		return r;
	randombytes_buf(k, sizeof k);
	sodium_bin2base64(b64, sizeof b64, k, sizeof k, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b64);
	b64[n++] = '\n';
	r = write_secret(path, b64, n, err, cap);
	if (r == HG_OK && pin)
		memcpy(pin, k, KEY_PIN);
	sodium_memzero(k, sizeof k);
	sodium_memzero(b64, sizeof b64);
	return r;
}

int keys_pin_load(const char *path, struct keypair *kp, char *err, size_t cap)
{
	char buf[KEY_FILE_MAX];
	size_t len = 0;
	const char *end = NULL;
	int r;

	r = key_start(path && *path && kp, err, cap);
	if (r)
		return r;
	kp->has_pin = 0;
	r = read_small(path, 1, buf, sizeof buf, err, cap);
	if (r)
		goto out;
	text_trim(buf);
	if (sodium_base642bin(kp->pin, sizeof kp->pin, buf, strlen(buf), NULL, &len, &end,
			      sodium_base64_VARIANT_ORIGINAL) != 0 || len != KEY_PIN ||
	    *end != '\0') {
		sodium_memzero(kp->pin, sizeof kp->pin);
		seterr(err, cap, "'%s' is not a haulgate PIN key (one line of base64, 32 bytes)",
		       path);
		r = HG_ECORRUPT;
		goto out;
	}
	kp->has_pin = 1;
out:
	sodium_memzero(buf, sizeof buf);
	return r;
}
