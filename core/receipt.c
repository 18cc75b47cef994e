/* receipt.c: the station's Ed25519 key, the signed QR text, and the slips.
 *
 * Three parts, in this order in the file:
 *   keys:  keys_create() makes the station key with libsodium and writes two
 *          files.  The secret file holds one line: the 64-byte libsodium
 *          secret key (32-byte seed, then the 32-byte public key) in standard
 *          base64 with padding, mode 0600, never overwritten.  <key>.pub holds
 *          the public key as a PEM SubjectPublicKeyInfo, the form OpenSSL and
 *          every other Ed25519 tool read.
 *   QR:    receipt_qr() writes the fields of a load in a fixed order and signs
 *          every byte before "&s="; receipt_qr_verify() accepts exactly that
 *          grammar and nothing else (see receipt.h), then checks the signature.
 *          The bottle label's QR (receipt_label_qr) is signed the same way
 *          but starts "?k=bottle&v=1", so neither verifier takes the other's.
 *   slips: plain text, 42 columns (a 58/80 mm thermal printer in its normal
 *          font), in English or Spanish; long values wrap at spaces.  Every
 *          control character and broken UTF-8 byte prints as '?', so no field
 *          can carry a printer command.
 *
 * Start reading at receipt_qr(). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "i18n.h"
#include "receipt.h"
#include "text.h"

#define SLIP_WIDTH 42
#define SIG_B64_LEN 86		/* 64 bytes in base64url without padding */
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

static int crypto_ready(void)
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

/* Read a small file whole into buf[cap] (NUL-terminated). */
static int read_small(const char *path, char *buf, size_t cap, char *err, size_t ecap)
{
	size_t len = 0;
	int fd, e;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		seterr(err, ecap, "cannot open '%s': %s", path, strerror(e));
		return e == ENOENT ? HG_ENOTFOUND : HG_EIO;
	}
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			e = errno;
			close(fd);
			seterr(err, ecap, "cannot read '%s': %s", path, strerror(e));
			return HG_EIO;
		}
		if (r == 0)
			break;
		len += (size_t)r;
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
	r = crypto_ready();
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

/* New key pair; secret written with O_EXCL (never over an existing key),
 * then the public PEM.  If the public file cannot be written, the secret is
 * removed again so a second try starts clean. */
int keys_create(const char *path, struct keypair *kp, char *err, size_t cap)
{
	struct keypair k;
	char b64[sodium_base64_ENCODED_LEN(KEY_SECRET, sodium_base64_VARIANT_ORIGINAL) + 1];
	size_t n;
	int fd, r, e;

	if (!path || !*path) {
		seterr(err, cap, "no key path");
		return HG_EINVAL;
	}
	r = crypto_ready();
	if (r) {
		seterr(err, cap, "libsodium cannot start");
		return r;
	}
	if (crypto_sign_keypair(k.pk, k.sk) != 0) {
		seterr(err, cap, "cannot make a key pair");
		return HG_EIO;
	}
	sodium_bin2base64(b64, sizeof b64, k.sk, KEY_SECRET, sodium_base64_VARIANT_ORIGINAL);
	n = strlen(b64);
	b64[n++] = '\n';

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		seterr(err, cap, "cannot create '%s': %s", path, strerror(e));
		r = e == EEXIST ? HG_EEXIST : HG_EIO;
		goto out;
	}
	if (write_all(fd, b64, n) < 0 || fsync(fd) < 0) {
		seterr(err, cap, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(path);
		r = HG_EIO;
		goto out;
	}
	if (close(fd) < 0) {
		seterr(err, cap, "cannot write '%s': %s", path, strerror(errno));
		unlink(path);
		r = HG_EIO;
		goto out;
	}
	r = write_public(path, k.pk, err, cap);
	if (r) {
		unlink(path);
		goto out;
	}
	if (kp)
		*kp = k;
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

	if (!path || !kp) {
		seterr(err, cap, "no key path");
		return HG_EINVAL;
	}
	r = crypto_ready();
	if (r) {
		seterr(err, cap, "libsodium cannot start");
		return r;
	}
	r = read_small(path, buf, sizeof buf, err, cap);
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
	memcpy(k.pk, check.pk, KEY_PUBLIC);
	*kp = k;
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

	if (!path || !pk) {
		seterr(err, cap, "no key path");
		return HG_EINVAL;
	}
	r = crypto_ready();
	if (r) {
		seterr(err, cap, "libsodium cannot start");
		return r;
	}
	n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".pub") != 0) {
		r = path_with(path, ".pub", pub, sizeof pub);
		if (r) {
			seterr(err, cap, "key path too long");
			return r;
		}
		file = pub;
		r = read_small(file, buf, sizeof buf, err, cap);
		if (r == HG_ENOTFOUND) {
			file = path;
			r = read_small(file, buf, sizeof buf, err, cap);
		}
	} else {
		r = read_small(file, buf, sizeof buf, err, cap);
	}
	if (r)
		return r;
	r = parse_pem(buf, pk);
	if (r)
		seterr(err, cap, "'%s' is not an Ed25519 public key in PEM form", file);
	return r;
}

/* ---- the QR text ---- */

static int unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '~' || c == '-';
}

struct out {
	char *buf;
	size_t cap, len;
	int over;
};

static void out_bytes(struct out *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void out_str(struct out *o, const char *s)
{
	out_bytes(o, s, strlen(s));
}

static void out_fmt(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out_fmt(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (o->over)
		return;
	va_start(ap, fmt);
	n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->over = 1;
		o->buf[o->len] = '\0';
		return;
	}
	o->len += (size_t)n;
}

/* Percent-encode s: everything but [A-Za-z0-9._~-] as %XX (uppercase). */
static void out_pct(struct out *o, const char *s)
{
	static const char hx[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		char e[3] = { '%', hx[*p >> 4], hx[*p & 15] };

		if (unreserved(*p))
			out_bytes(o, (const char *)p, 1);
		else
			out_bytes(o, e, 3);
	}
}

static int valid_station(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 31)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-'))
			return 0;
	return 1;
}

static int valid_waste_word(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 15)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return 0;
	return 1;
}

/* The base may not hold what would make the QR text ambiguous. */
static int valid_base(const char *s)
{
	if (strlen(s) >= sizeof ((struct qr_fields *)0)->base)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '?' || *p == '#' || *p == '&')
			return 0;
	return 1;
}

/* Compose and sign; see receipt.h for the grammar. */
int receipt_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
	       char out[QR_MAX])
{
	struct out o = { out, QR_MAX, 0, 0 };
	uint8_t sig[crypto_sign_BYTES];
	char t[17], b64[SIG_B64_LEN + 1];
	const char *w;
	size_t signed_len;
	int r;

	if (!kp || !ld || !out)
		return HG_EINVAL;
	out[0] = '\0';
	if (!base)
		base = "";
	w = waste_code(ld->m.waste);
	if (!valid_base(base) || !valid_station(ld->station) || ld->load_no < 1 ||
	    ld->m.gallons < 0 || !w || !valid_waste_word(w) ||
	    text_check(ld->m.permit, LIM_PERMIT, 0) != TEXT_OK)
		return HG_EINVAL;
	r = crypto_ready();
	if (r)
		return r;
	text_time_compact(ld->t.decided, t);

	out_str(&o, base);
	out_str(&o, "?v=1&st=");
	out_pct(&o, ld->station);
	out_fmt(&o, "&n=%lld&t=%s&g=%ld&w=", ld->load_no, t, ld->m.gallons);
	out_pct(&o, w);
	out_str(&o, "&p=");
	out_pct(&o, ld->m.permit);
	if (o.over)
		goto toolong;
	signed_len = o.len;
	if (crypto_sign_detached(sig, NULL, (const unsigned char *)out, signed_len, kp->sk) != 0)
		return HG_EIO;
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out_str(&o, "&s=");
	out_str(&o, b64);
	if (o.over)
		goto toolong;
	return HG_OK;
toolong:
	out[0] = '\0';
	return HG_ETOOLONG;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decode s[0..n) into out[cap]: raw bytes must be unreserved, every
 * other byte written %XX; %00 is refused. */
static int pct_decode(const char *s, size_t n, char *out, size_t cap)
{
	size_t o = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '%') {
			int hi, lo;

			if (i + 2 >= n)
				return -1;
			hi = hexval(s[i + 1]);
			lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0 || (hi == 0 && lo == 0))
				return -1;
			c = (unsigned char)(hi * 16 + lo);
			i += 2;
		} else if (!unreserved(c)) {
			return -1;
		}
		if (o + 1 >= cap)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* A canonical decimal number (no sign, no leading zero) of at most maxdig
 * digits. */
static int parse_digits(const char *s, size_t n, int maxdig, long long *v)
{
	long long x = 0;

	if (n == 0 || (int)n > maxdig || (n > 1 && s[0] == '0'))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		x = x * 10 + (s[i] - '0');
	}
	*v = x;
	return 0;
}

/* "YYYYMMDDThhmmssZ" as written by text_time_compact(), and nothing else. */
static int parse_compact(const char *s, size_t n, hg_time *t)
{
	char iso[21], back[17];

	if (n != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	snprintf(iso, sizeof iso, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2sZ", s, s + 4, s + 6, s + 9,
		 s + 11, s + 13);
	for (int i = 0; i < 15; i++)
		if (i != 8 && (s[i] < '0' || s[i] > '9'))
			return -1;
	if (text_parse_time(iso, t) < 0)
		return -1;
	text_time_compact(*t, back);
	return memcmp(back, s, 16) == 0 ? 0 : -1;
}

/* Split text "<base>?n1=v1&n2=v2&...&s=<sig>" with exactly these names in
 * this order (the last one "s"): the base into base[cap], each value's start
 * and length into val[], vlen[], and in *signed_len the bytes before "&s=".
 * 0, or -1 when the text is not of that shape. */
static int split_query(const char *text, const char *const *names, size_t n, char *base,
		       size_t cap, const char **val, size_t *vlen, size_t *signed_len)
{
	const char *q, *p;

	if (strnlen(text, QR_MAX) >= QR_MAX)
		return -1;
	q = strchr(text, '?');
	if (!q || (size_t)(q - text) >= cap)
		return -1;
	memcpy(base, text, (size_t)(q - text));
	base[q - text] = '\0';
	if (!valid_base(base))
		return -1;
	p = q + 1;
	for (size_t i = 0; i < n; i++) {
		size_t nl = strlen(names[i]);
		const char *end;

		if (strncmp(p, names[i], nl) != 0 || p[nl] != '=')
			return -1;
		val[i] = p + nl + 1;
		end = strchr(val[i], '&');
		if (i + 1 < n) {
			if (!end)
				return -1;
			if (i + 2 == n)
				*signed_len = (size_t)(end - text);	/* up to "&s=" */
		} else if (end) {
			return -1;	/* something after the signature */
		}
		if (!end)
			end = val[i] + strlen(val[i]);
		vlen[i] = (size_t)(end - val[i]);
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* Check the base64url signature sig[len] over text[0..signed_len): HG_OK,
 * HG_EINVAL (not a signature) or HG_EREFUSED (not ours). */
static int check_signature(const uint8_t pk[KEY_PUBLIC], const char *text, size_t signed_len,
			   const char *b64, size_t len)
{
	uint8_t sig[crypto_sign_BYTES];
	size_t siglen = 0;
	const char *b64end = NULL;
	int r;

	if (len != SIG_B64_LEN ||
	    sodium_base642bin(sig, sizeof sig, b64, len, NULL, &siglen, &b64end,
			      sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    siglen != sizeof sig || b64end != b64 + len)
		return HG_EINVAL;
	r = crypto_ready();
	if (r)
		return r;
	if (crypto_sign_verify_detached(sig, (const unsigned char *)text, signed_len, pk) != 0)
		return HG_EREFUSED;
	return HG_OK;
}

/* Parse and check; see receipt.h. */
int receipt_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text, struct qr_fields *f)
{
	static const char *const names[] = { "v", "st", "n", "t", "g", "w", "p", "s" };
	const char *val[8];
	size_t vlen[8], signed_len = 0;
	long long num;
	struct qr_fields tmp;
	int r;

	if (!pk || !text)
		return HG_EINVAL;
	if (f)
		memset(f, 0, sizeof *f);
	memset(&tmp, 0, sizeof tmp);
	if (split_query(text, names, HG_ARRAY_LEN(names), tmp.base, sizeof tmp.base, val, vlen,
			&signed_len) < 0)
		return HG_EINVAL;
	if (vlen[0] != 1 || val[0][0] != '1')
		return HG_EINVAL;
	tmp.v = 1;
	if (pct_decode(val[1], vlen[1], tmp.station, sizeof tmp.station) < 0 ||
	    !valid_station(tmp.station))
		return HG_EINVAL;
	if (parse_digits(val[2], vlen[2], 18, &num) < 0 || num < 1)
		return HG_EINVAL;
	tmp.load_no = num;
	if (parse_compact(val[3], vlen[3], &tmp.t) < 0)
		return HG_EINVAL;
	if (parse_digits(val[4], vlen[4], 9, &num) < 0)
		return HG_EINVAL;
	tmp.gallons = (long)num;
	if (pct_decode(val[5], vlen[5], tmp.waste, sizeof tmp.waste) < 0 ||
	    !valid_waste_word(tmp.waste))
		return HG_EINVAL;
	if (pct_decode(val[6], vlen[6], tmp.permit, sizeof tmp.permit) < 0 ||
	    text_check(tmp.permit, LIM_PERMIT, 0) != TEXT_OK)
		return HG_EINVAL;
	r = check_signature(pk, text, signed_len, val[7], vlen[7]);
	if (r)
		return r;
	if (f)
		*f = tmp;
	return HG_OK;
}

/* ---- the bottle label's QR ---- */

/* Compose and sign; see receipt.h for the grammar. */
int receipt_label_qr(const struct keypair *kp, const char *base, const struct load_rec *ld,
		     char out[QR_MAX])
{
	struct out o = { out, QR_MAX, 0, 0 };
	uint8_t sig[crypto_sign_BYTES];
	char t[17], b64[SIG_B64_LEN + 1];
	int r;

	if (!kp || !ld || !out)
		return HG_EINVAL;
	out[0] = '\0';
	if (!base)
		base = "";
	if (!valid_base(base) || !valid_station(ld->station) || ld->load_no < 1 ||
	    ld->sampled_by < 1 || ld->t.sampled <= 0 ||
	    text_check(ld->bottle, LIM_BOTTLE, 0) != TEXT_OK || !ld->bottle[0])
		return HG_EINVAL;
	r = crypto_ready();
	if (r)
		return r;
	text_time_compact(ld->t.sampled, t);
	out_str(&o, base);
	out_str(&o, "?k=bottle&v=1&st=");
	out_pct(&o, ld->station);
	out_fmt(&o, "&n=%lld&b=", ld->load_no);
	out_pct(&o, ld->bottle);
	out_fmt(&o, "&t=%s&op=%lld", t, ld->sampled_by);
	if (o.over)
		goto toolong;
	if (crypto_sign_detached(sig, NULL, (const unsigned char *)out, o.len, kp->sk) != 0)
		return HG_EIO;
	sodium_bin2base64(b64, sizeof b64, sig, sizeof sig,
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	out_str(&o, "&s=");
	out_str(&o, b64);
	if (o.over)
		goto toolong;
	return HG_OK;
toolong:
	out[0] = '\0';
	return HG_ETOOLONG;
}

/* Parse and check; see receipt.h. */
int receipt_label_qr_verify(const uint8_t pk[KEY_PUBLIC], const char *text,
			    struct label_fields *f)
{
	static const char *const names[] = { "k", "v", "st", "n", "b", "t", "op", "s" };
	const char *val[8];
	size_t vlen[8], signed_len = 0;
	long long num;
	struct label_fields tmp;
	int r;

	if (!pk || !text)
		return HG_EINVAL;
	if (f)
		memset(f, 0, sizeof *f);
	memset(&tmp, 0, sizeof tmp);
	if (split_query(text, names, HG_ARRAY_LEN(names), tmp.base, sizeof tmp.base, val, vlen,
			&signed_len) < 0)
		return HG_EINVAL;
	if (vlen[0] != 6 || memcmp(val[0], "bottle", 6) != 0 || vlen[1] != 1 || val[1][0] != '1')
		return HG_EINVAL;
	tmp.v = 1;
	if (pct_decode(val[2], vlen[2], tmp.station, sizeof tmp.station) < 0 ||
	    !valid_station(tmp.station))
		return HG_EINVAL;
	if (parse_digits(val[3], vlen[3], 18, &num) < 0 || num < 1)
		return HG_EINVAL;
	tmp.load_no = num;
	if (pct_decode(val[4], vlen[4], tmp.bottle, sizeof tmp.bottle) < 0 || !tmp.bottle[0] ||
	    text_check(tmp.bottle, LIM_BOTTLE, 0) != TEXT_OK)
		return HG_EINVAL;
	if (parse_compact(val[5], vlen[5], &tmp.t) < 0)
		return HG_EINVAL;
	if (parse_digits(val[6], vlen[6], 18, &num) < 0 || num < 1)
		return HG_EINVAL;
	tmp.sampler = num;
	r = check_signature(pk, text, signed_len, val[7], vlen[7]);
	if (r)
		return r;
	if (f)
		*f = tmp;
	return HG_OK;
}

/* Field names in *field: "station", "load_no", "time", "gallons", "waste",
 * "permit". */
int receipt_qr_matches(const struct qr_fields *f, const struct load_rec *ld, const char **field)
{
	const char *w, *diff = NULL;

	if (!f || !ld) {
		if (field)
			*field = "record";
		return 0;
	}
	w = waste_code(ld->m.waste);
	if (strcmp(f->station, ld->station) != 0)
		diff = "station";
	else if (f->load_no != ld->load_no)
		diff = "load_no";
	else if (f->t != ld->t.decided)
		diff = "time";
	else if (f->gallons != ld->m.gallons)
		diff = "gallons";
	else if (!w || strcmp(f->waste, w) != 0)
		diff = "waste";
	else if (strcmp(f->permit, ld->m.permit) != 0)
		diff = "permit";
	if (field)
		*field = diff;
	return diff == NULL;
}

/* ---- slips ---- */

enum label {
	L_RECEIPT, L_REFUSAL, L_SAMPLE, L_COPY, L_STATION, L_LOAD, L_DATE, L_HAULER,
	L_ADDRESS, L_DRIVER, L_PERMIT, L_TRUCK, L_SOURCE, L_SADDRESS, L_INDUSTRY, L_WASTE,
	L_GALLONS, L_MEASURED, L_CHAR, L_CONST, L_NONE, L_RCRA, L_DECISION, L_ACCEPTED,
	L_HOLD, L_REFUSED, L_WHY_SAMPLE, L_WHY_REFUSED, L_BOTTLE, L_SAMPLER, L_CERTIFIED,
	L_RECORD, L_NOTHING, L_COUNT
};

static const char *const labels[L_COUNT][LANG_COUNT] = {
	[L_RECEIPT] = { "HAULED WASTE RECEIPT", "RECIBO DE RESIDUOS TRANSPORTADOS" },
	[L_REFUSAL] = { "LOAD REFUSED", "CARGA RECHAZADA" },
	[L_SAMPLE] = { "SAMPLE", "MUESTRA" },
	[L_COPY] = { "*** COPY ***", "*** COPIA ***" },
	[L_STATION] = { "Station", "Estación" },
	[L_LOAD] = { "LOAD NO", "CARGA NO" },
	[L_DATE] = { "Date", "Fecha" },
	[L_HAULER] = { "Hauler", "Transportista" },
	[L_ADDRESS] = { "Address", "Dirección" },
	[L_DRIVER] = { "Driver", "Conductor" },
	[L_PERMIT] = { "Permit", "Permiso" },
	[L_TRUCK] = { "Truck", "Camión" },
	[L_SOURCE] = { "Source", "Fuente" },
	[L_SADDRESS] = { "  Address", "  Dirección" },
	[L_INDUSTRY] = { "  Industry", "  Industria" },
	[L_WASTE] = { "Waste type", "Tipo de residuo" },
	[L_GALLONS] = { "Gallons declared", "Galones declarados" },
	[L_MEASURED] = { "Gallons measured", "Galones medidos" },
	[L_CHAR] = { "Characteristics", "Características" },
	[L_CONST] = { "Constituents", "Componentes" },
	[L_NONE] = { "none", "ninguno" },
	[L_RCRA] = { "RCRA hazardous", "Peligroso RCRA" },
	[L_DECISION] = { "DECISION", "DECISIÓN" },
	[L_ACCEPTED] = { "ACCEPTED", "ACEPTADA" },
	[L_HOLD] = { "HOLD FOR SAMPLING", "RETENIDA PARA MUESTREO" },
	[L_REFUSED] = { "REFUSED", "RECHAZADA" },
	[L_WHY_SAMPLE] = { "Sampling reasons", "Motivos de muestreo" },
	[L_WHY_REFUSED] = { "Reasons", "Motivos" },
	[L_BOTTLE] = { "Sample bottle", "Frasco de muestra" },
	[L_SAMPLER] = { "Sampled by", "Muestreado por" },
	[L_CERTIFIED] = { "Certified by", "Certificado por" },
	[L_RECORD] = { "Record SHA-256", "SHA-256 del registro" },
	[L_NOTHING] = { "Nothing was discharged.", "No se descargó nada." },
};

static const char *const rcra_words[][LANG_COUNT] = {
	{ "(not answered)", "(sin respuesta)" }, { "No", "No" }, { "YES", "SÍ" },
	{ "Unknown", "No se sabe" },
};

static const char *lbl(enum label l, enum lang lang)
{
	return labels[l][(unsigned)lang < LANG_COUNT ? lang : LANG_EN];
}

/* s with every control character or broken UTF-8 byte as '?', into out. */
static void sanitize(const char *s, char *out, size_t cap)
{
	size_t o = 0;

	if (!s)
		s = "";
	while (*s && o + 5 < cap) {
		uint32_t cp;
		int n = text_utf8_next(s, &cp);

		if (n < 0 || cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			out[o++] = '?';
			s += n > 0 ? n : 1;
			continue;
		}
		memcpy(out + o, s, (size_t)n);
		o += (size_t)n;
		s += n;
	}
	out[o] = '\0';
}

/* Write text (clean UTF-8) wrapped at SLIP_WIDTH code points, at spaces
 * where it can; continuation lines are indented by two spaces. */
static void out_wrapped(struct out *o, const char *text)
{
	const char *p = text;
	int first = 1;

	if (!*p) {
		out_str(o, "\n");
		return;
	}
	while (*p) {
		int avail = first ? SLIP_WIDTH : SLIP_WIDTH - 2;
		const char *q = p, *brk = NULL;
		int chars = 0;
		uint32_t cp;

		while (*q && chars < avail) {
			int n = text_utf8_next(q, &cp);

			if (n < 0)
				n = 1;
			if (*q == ' ')
				brk = q;
			q += n;
			chars++;
		}
		if (*q == '\0' || *q == ' ')
			brk = q;	/* the rest fits, or breaks right after */
		else if (!brk || brk == p)
			brk = q;	/* one long word: cut it */
		if (!first)
			out_str(o, "  ");
		out_bytes(o, p, (size_t)(brk - p));
		out_str(o, "\n");
		p = brk;
		while (*p == ' ')
			p++;
		first = 0;
	}
}

/* "Label: value", wrapped; "Label:" alone for an empty value (a heading). */
static void out_field(struct out *o, const char *label, const char *value)
{
	char clean[HG_BUF(LIM_TEXT) + 8], line[HG_BUF(LIM_TEXT) + 128];

	sanitize(value, clean, sizeof clean);
	snprintf(line, sizeof line, clean[0] ? "%s: %s" : "%s:%s", label, clean);
	out_wrapped(o, line);
}

static void out_rule(struct out *o, char c)
{
	char line[SLIP_WIDTH + 2];

	memset(line, c, SLIP_WIDTH);
	line[SLIP_WIDTH] = '\n';
	line[SLIP_WIDTH + 1] = '\0';
	out_str(o, line);
}

/* A line centred in SLIP_WIDTH. */
static void out_centred(struct out *o, const char *text)
{
	int w = text_chars(text);
	int padn = w < SLIP_WIDTH ? (SLIP_WIDTH - w) / 2 : 0;

	for (int i = 0; i < padn; i++)
		out_str(o, " ");
	out_wrapped(o, text);
}

/* "- message (code)" for each reason. */
static void out_reasons(struct out *o, const enum reason *r, int n, enum lang lang)
{
	char line[600];

	for (int i = 0; i < n && i < POLICY_MAX_REASONS; i++) {
		const char *msg = i18n_msg(r[i], lang);
		const char *code = i18n_code(r[i]);

		snprintf(line, sizeof line, "- %s (%s)", msg ? msg : "", code ? code : "?");
		out_wrapped(o, line);
	}
}

static void out_head(struct out *o, const struct load_rec *ld, enum label title, enum lang lang,
		     int copy)
{
	char when[17], num[32];

	out_rule(o, '=');
	out_centred(o, lbl(title, lang));
	if (copy)
		out_centred(o, lbl(L_COPY, lang));
	out_rule(o, '=');
	out_field(o, lbl(L_STATION, lang), ld->station);
	snprintf(num, sizeof num, "%lld", ld->load_no);
	out_field(o, lbl(L_LOAD, lang), num);
	text_time_local(ld->t.decided, when);
	out_field(o, lbl(L_DATE, lang), when);
}

static int finish(struct out *o)
{
	if (o->over) {
		o->buf[0] = '\0';
		return HG_ETOOLONG;
	}
	return (int)o->len;
}

/* The receipt of an accepted or held load; qr NULL or "": no QR line. */
int receipt_text(const struct load_rec *ld, const char *qr, enum lang lang, int copy,
		 char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, 0 };
	const struct manifest *m;
	char num[64], hex[65];
	enum label verdict;

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	buf[0] = '\0';
	m = &ld->m;

	out_head(&o, ld, L_RECEIPT, lang, copy);
	out_rule(&o, '-');
	out_field(&o, lbl(L_HAULER, lang), m->company);
	out_field(&o, lbl(L_ADDRESS, lang), m->company_address);
	out_field(&o, lbl(L_DRIVER, lang), m->driver);
	out_field(&o, lbl(L_PERMIT, lang), m->permit);
	out_field(&o, lbl(L_TRUCK, lang), m->truck);
	for (int i = 0; i < m->n_sources && i < HG_MAX_SOURCES; i++) {
		char lab[64];

		snprintf(lab, sizeof lab, "%s %d", lbl(L_SOURCE, lang), i + 1);
		out_field(&o, lab, m->sources[i].name);
		out_field(&o, lbl(L_SADDRESS, lang), m->sources[i].address);
		out_field(&o, lbl(L_INDUSTRY, lang), m->sources[i].industry);
	}
	out_field(&o, lbl(L_WASTE, lang), waste_name(m->waste, lang));
	snprintf(num, sizeof num, "%ld", m->gallons);
	out_field(&o, lbl(L_GALLONS, lang), num);
	if (ld->gallons_measured > 0 || ld->meter_flag != R_NONE) {
		snprintf(num, sizeof num, "%ld", ld->gallons_measured);
		out_field(&o, lbl(L_MEASURED, lang), num);
	}
	if (ld->meter_flag != R_NONE)	/* meter_mismatch / meter_failed: the plant reviews it */
		out_reasons(&o, &ld->meter_flag, 1, lang);
	out_field(&o, lbl(L_CHAR, lang), m->characteristics);
	out_field(&o, lbl(L_CONST, lang),
		  manifest_has_constituents(m) ? m->constituents : lbl(L_NONE, lang));
	out_field(&o, lbl(L_RCRA, lang),
		  rcra_words[(unsigned)m->rcra <= RCRA_UNKNOWN ? m->rcra : 0][lang]);
	out_rule(&o, '-');

	switch (ld->d.verdict) {
	case VERDICT_SAMPLE_HOLD:
		verdict = L_HOLD;
		break;
	case VERDICT_REFUSED:
		verdict = L_REFUSED;
		break;
	default:
		verdict = L_ACCEPTED;
		break;
	}
	out_field(&o, lbl(L_DECISION, lang), lbl(verdict, lang));
	if (ld->d.verdict == VERDICT_REFUSED && ld->d.n_refuse > 0) {
		out_field(&o, lbl(L_WHY_REFUSED, lang), "");
		out_reasons(&o, ld->d.refuse, ld->d.n_refuse, lang);
	} else if (ld->d.n_sample > 0) {
		out_field(&o, lbl(L_WHY_SAMPLE, lang), "");
		out_reasons(&o, ld->d.sample, ld->d.n_sample, lang);
	}
	if (ld->bottle[0])
		out_field(&o, lbl(L_BOTTLE, lang), ld->bottle);
	if (ld->sampler[0])
		out_field(&o, lbl(L_SAMPLER, lang), ld->sampler);
	out_field(&o, lbl(L_CERTIFIED, lang), m->signer);
	text_hex(ld->record_sha, sizeof ld->record_sha, hex);
	out_field(&o, lbl(L_RECORD, lang), hex);
	if (copy)
		out_centred(&o, lbl(L_COPY, lang));
	out_rule(&o, '=');
	if (qr && qr[0]) {
		char clean[QR_MAX + 8];

		sanitize(qr, clean, sizeof clean);
		out_fmt(&o, "QR: %s\n", clean);	/* never wrapped: the printer reads it */
	}
	return finish(&o);
}

/* The refusal slip: who, when, every reason in the person's language with
 * its code. */
int receipt_refusal_text(const struct load_rec *ld, enum lang lang, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, 0 };

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	buf[0] = '\0';
	out_head(&o, ld, L_REFUSAL, lang, 0);
	out_rule(&o, '-');
	out_field(&o, lbl(L_HAULER, lang), ld->m.company);
	out_field(&o, lbl(L_DRIVER, lang), ld->m.driver);
	out_field(&o, lbl(L_PERMIT, lang), ld->m.permit);
	if (ld->m.truck[0])
		out_field(&o, lbl(L_TRUCK, lang), ld->m.truck);
	if (ld->m.waste != WASTE_NONE)
		out_field(&o, lbl(L_WASTE, lang), waste_name(ld->m.waste, lang));
	out_rule(&o, '-');
	out_field(&o, lbl(L_WHY_REFUSED, lang), "");
	out_reasons(&o, ld->d.refuse, ld->d.n_refuse, lang);
	out_rule(&o, '-');
	out_wrapped(&o, lbl(L_NOTHING, lang));
	out_rule(&o, '=');
	return finish(&o);
}

/* The bottle label, for the lab: always in English. */
int receipt_label_text(const struct load_rec *ld, char *buf, size_t cap)
{
	struct out o = { buf, cap, 0, 0 };
	char when[17], num[32];
	const char *w;

	if (!ld || !buf || cap == 0)
		return HG_EINVAL;
	buf[0] = '\0';
	out_centred(&o, lbl(L_SAMPLE, LANG_EN));
	snprintf(num, sizeof num, "%lld", ld->load_no);
	out_field(&o, lbl(L_LOAD, LANG_EN), num);
	text_time_local(ld->t.sampled ? ld->t.sampled : ld->t.decided, when);
	out_field(&o, lbl(L_DATE, LANG_EN), when);
	out_field(&o, lbl(L_HAULER, LANG_EN), ld->m.company);
	w = waste_code(ld->m.waste);
	out_field(&o, lbl(L_WASTE, LANG_EN), w && *w ? w : "");
	out_field(&o, lbl(L_BOTTLE, LANG_EN), ld->bottle);
	if (ld->sampler[0])
		out_field(&o, lbl(L_SAMPLER, LANG_EN), ld->sampler);
	out_field(&o, lbl(L_STATION, LANG_EN), ld->station);
	return finish(&o);
}
