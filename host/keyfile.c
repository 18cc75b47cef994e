/* keyfile.c: the station's key files on disk.
 *
 * keys_create() makes the station key (core/keys.c) and writes two files:
 * the secret one (its text from keys_secret_text(), mode 0600, created with
 * O_EXCL so a key is never overwritten, fsync'd) and <key>.pub (the PEM,
 * written to a temporary file and renamed over).  The PIN key is a third
 * file beside the station key, written and read the same way.  A secret file
 * found open to group or others is made 0600 as it is read (read_small).
 * Every failure is said through hg_fail(), the path first.  Start reading at
 * keys_create(). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "keyfile.h"
#include "../core/report.h"

#define KEY_PATH_MAX 4096

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
static int keep_private(int fd, const char *path)
{
	struct stat sb;

	if (fstat(fd, &sb) != 0)
		return hg_fail(HG_EIO, "cannot read '%s': %s", path, strerror(errno));
	if ((sb.st_mode & 077) == 0)
		return HG_OK;
	if (fchmod(fd, 0600) != 0)
		return hg_fail(HG_EIO, "'%s' is open to other users (mode %03o) and cannot be "
			       "made 0600: %s", path, (unsigned)(sb.st_mode & 0777),
			       strerror(errno));
	return HG_OK;
}

/* Read a small file whole into buf[cap] (NUL-terminated); secret: it holds
 * a key, keep it private (keep_private). */
static int read_small(const char *path, int secret, char *buf, size_t cap)
{
	size_t len = 0;
	int fd, e, r;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		e = errno;
		return hg_fail(e == ENOENT ? HG_ENOTFOUND : HG_EIO, "cannot open '%s': %s", path,
			       strerror(e));
	}
	if (secret) {
		r = keep_private(fd, path);
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
			return hg_fail(HG_EIO, "cannot read '%s': %s", path, strerror(e));
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len == cap - 1) {
			close(fd);
			return hg_fail(HG_ECORRUPT, "'%s' is too large to be a key file", path);
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

	if (n < 0 || (size_t)n >= cap)
		return hg_fail(HG_ETOOLONG, "key path too long");
	return HG_OK;
}

/* Write the public key file: <path>.pub.tmp, fsync, rename over <path>.pub. */
static int write_public(const char *path, const uint8_t pk[KEY_PUBLIC])
{
	char pub[KEY_PATH_MAX], tmp[KEY_PATH_MAX + 8], pem[256];
	int fd, r;

	r = path_with(path, ".pub", pub, sizeof pub);
	if (r)
		return r;
	r = path_with(pub, ".tmp", tmp, sizeof tmp);
	if (r)
		return r;
	r = keys_public_pem(pk, pem, sizeof pem);
	if (r)
		return r;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return hg_fail(HG_EIO, "cannot create '%s': %s", tmp, strerror(errno));
	if (write_all(fd, pem, strlen(pem)) < 0 || fsync(fd) < 0) {
		r = hg_fail(HG_EIO, "cannot write '%s': %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return r;
	}
	if (close(fd) < 0 || rename(tmp, pub) < 0) {
		r = hg_fail(HG_EIO, "cannot write '%s': %s", pub, strerror(errno));
		unlink(tmp);
		return r;
	}
	return HG_OK;
}

/* Write text to a new secret file: O_EXCL (never over an existing file:
 * HG_EEXIST), mode 0600, fsync; removed again when it cannot be written
 * whole. */
static int write_secret(const char *path, const char *text)
{
	int fd, e, r;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		e = errno;
		return hg_fail(e == EEXIST ? HG_EEXIST : HG_EIO, "cannot create '%s': %s", path,
			       strerror(e));
	}
	if (write_all(fd, text, strlen(text)) < 0 || fsync(fd) < 0) {
		r = hg_fail(HG_EIO, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return r;
	}
	if (close(fd) < 0) {
		r = hg_fail(HG_EIO, "cannot write '%s': %s", path, strerror(errno));
		unlink(path);
		return r;
	}
	return HG_OK;
}

/* path's words before the last error's: "'var/station.key': damaged: ...". */
static int about(const char *path, int r)
{
	return hg_fail(r, "'%s' is %s", path, hg_error_text());
}

/* New key pair; secret written with O_EXCL (never over an existing key),
 * then the public PEM.  If the public file cannot be written, the secret is
 * removed again so a second try starts clean. */
int keys_create(const char *path, struct keypair *kp)
{
	struct keypair k;
	char text[KEY_TEXT_MAX];
	int r;

	if (!path || !*path)
		return hg_fail(HG_EINVAL, "no key path");
	r = keys_generate(&k);
	if (r)
		return r;
	r = keys_secret_text(&k, text, sizeof text);
	if (r)
		goto out;
	r = write_secret(path, text);
	if (r)
		goto out;
	r = write_public(path, k.pk);
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
	sodium_memzero(text, sizeof text);
	return r;
}

int keys_load(const char *path, struct keypair *kp)
{
	char buf[KEY_TEXT_MAX];
	int r;

	if (!path || !kp)
		return hg_fail(HG_EINVAL, "no key path");
	r = read_small(path, 1, buf, sizeof buf);
	if (r == HG_OK) {
		r = keys_secret_parse(buf, kp);
		if (r)
			r = about(path, r);
	}
	sodium_memzero(buf, sizeof buf);
	return r;
}

int keys_load_public(const char *path, uint8_t pk[KEY_PUBLIC])
{
	char pub[KEY_PATH_MAX], buf[KEY_TEXT_MAX];
	const char *file = path;
	size_t n;
	int r;

	if (!path || !pk)
		return hg_fail(HG_EINVAL, "no key path");
	n = strlen(path);
	if (n < 4 || strcmp(path + n - 4, ".pub") != 0) {
		r = path_with(path, ".pub", pub, sizeof pub);
		if (r)
			return r;
		file = pub;
		r = read_small(file, 0, buf, sizeof buf);
		if (r == HG_ENOTFOUND) {
			file = path;
			r = read_small(file, 0, buf, sizeof buf);
		}
	} else {
		r = read_small(file, 0, buf, sizeof buf);
	}
	if (r)
		return r;
	r = keys_public_parse(buf, pk);
	return r ? about(file, r) : HG_OK;
}

int keys_pin_create(const char *path, uint8_t pin[KEY_PIN])
{
	uint8_t k[KEY_PIN];
	char text[KEY_TEXT_MAX];
	int r;

	if (!path || !*path)
		return hg_fail(HG_EINVAL, "no key path");
	r = keys_pin_generate(k);
	if (r)
		return r;
	r = keys_pin_text(k, text, sizeof text);
	if (r == HG_OK)
		r = write_secret(path, text);
	if (r == HG_OK && pin)
		memcpy(pin, k, KEY_PIN);
	sodium_memzero(k, sizeof k);
	sodium_memzero(text, sizeof text);
	return r;
}

int keys_pin_replace(const char *path, const uint8_t pin[KEY_PIN])
{
	char text[KEY_TEXT_MAX], tmp[4096];
	int r;

	if (!path || !*path)
		return hg_fail(HG_EINVAL, "no key path");
	if ((size_t)snprintf(tmp, sizeof tmp, "%s.new", path) >= sizeof tmp)
		return hg_fail(HG_ETOOLONG, "the PIN key path '%s' is too long", path);
	(void)unlink(tmp);	/* a rest of a write that did not finish */
	r = keys_pin_text(pin, text, sizeof text);
	if (r == HG_OK)
		r = write_secret(tmp, text);
	sodium_memzero(text, sizeof text);
	if (r == HG_OK && rename(tmp, path) < 0) {
		r = hg_fail(HG_EIO, "cannot put '%s' in place of '%s': %s", tmp, path,
			    strerror(errno));
		unlink(tmp);
	}
	return r;
}

int keys_pin_load(const char *path, struct keypair *kp)
{
	char buf[KEY_TEXT_MAX];
	int r;

	if (!path || !*path || !kp)
		return hg_fail(HG_EINVAL, "no key path");
	kp->has_pin = 0;
	r = read_small(path, 1, buf, sizeof buf);
	if (r == HG_OK) {
		r = keys_pin_parse(buf, kp);
		if (r)
			r = about(path, r);
	}
	sodium_memzero(buf, sizeof buf);
	return r;
}
