/* drv.c: what the driver backends share (see drv.h).
 *
 * Small file helpers that get the POSIX details right once: mkdir -p that
 * tolerates a racing creator, a whole-file replace that is safe against a
 * crash at any point (temp file, fsync, rename, fsync of the folder), and the
 * counter that decides which simulated operation fails.  Start reading at
 * drv_replace(). */
#include "drv.h"
#include "../core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void drv_fault_arm(struct drv_fault *f, int nth, int forever)
{
	f->nth = nth > 0 ? nth : 0;
	f->forever = f->nth ? !!forever : 0;
	f->count = 0;
}

int drv_fault_hit(struct drv_fault *f)
{
	if (!f->nth)
		return 0;
	if (f->count < f->nth)
		f->count++;
	if (f->count < f->nth)
		return 0;
	if (!f->forever)
		f->nth = 0;
	return 1;
}

int drv_scheme_is(const char *spec, const char *scheme, const char **arg)
{
	size_t n;

	if (!spec || !scheme)
		return 0;
	n = strlen(scheme);
	if (strncmp(spec, scheme, n) != 0)
		return 0;
	if (spec[n] != ':' && spec[n] != '\0')
		return 0;
	if (arg)
		*arg = spec[n] ? spec + n + 1 : spec + n;
	return 1;
}

long drv_number(const char *s, size_t len, long lo, long hi)
{
	unsigned long v;
	int rc;

	if (lo < 0 || hi < lo)
		return -1;
	rc = text_parse_number(s, len, (unsigned long)lo, (unsigned long)hi, &v, NULL);
	if (rc)
		return -1;
	return (long)v;
}

int drv_decimal(const char *s, size_t len, double lo, double hi, double *out)
{
	char buf[32], *end;
	double v;

	if (!s || len == 0 || len >= sizeof buf || strspn(s, "0123456789.") < len)
		return HG_EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (errno || *end || !(v >= lo && v <= hi))
		return HG_EINVAL;
	*out = v;
	return HG_OK;
}

int drv_mkdirs(const char *path)
{
	char buf[DRV_PATH];
	struct stat st;
	size_t n;
	char *p;
	int r;

	if (!path || !*path)
		return HG_EINVAL;
	n = strlen(path);
	if (n >= sizeof buf)
		return HG_ETOOLONG;
	memcpy(buf, path, n + 1);
	while (n > 1 && buf[n - 1] == '/')	/* "a/b/" is "a/b" */
		buf[--n] = '\0';

	/* each prefix ending before a '/', then the whole */
	for (p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;

		*p = '\0';
		r = mkdir(buf, 0755);
		if (r != 0 && errno != EEXIST) {
			*p = c;
			return HG_EIO;
		}
		*p = c;
		if (c == '\0')
			break;
	}
	if (stat(buf, &st) != 0)
		return HG_EIO;
	if (!S_ISDIR(st.st_mode))
		return HG_EINVAL;	/* there, but a file */
	return HG_OK;
}

int drv_mkdirs_parent(const char *file)
{
	char buf[DRV_PATH];
	const char *slash;
	size_t n;

	if (!file || !*file)
		return HG_EINVAL;
	slash = strrchr(file, '/');
	if (!slash)
		return HG_OK;		/* a bare name: the current folder */
	n = (size_t)(slash - file);
	if (n == 0)
		return HG_OK;		/* "/name": the root */
	if (n >= sizeof buf)
		return HG_ETOOLONG;
	memcpy(buf, file, n);
	buf[n] = '\0';
	return drv_mkdirs(buf);
}

int drv_write_file(const char *path, const void *data, size_t n)
{
	const char *p = data;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return HG_EIO;
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		n -= (size_t)w;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0)
		return HG_EIO;
	return HG_OK;
fail:
	close(fd);
	return HG_EIO;
}

int drv_sync_parent(const char *path)
{
	char buf[DRV_PATH];
	const char *slash = strrchr(path, '/');
	size_t n;
	int fd, r;

	if (!slash) {
		buf[0] = '.';
		buf[1] = '\0';
	} else {
		n = slash == path ? 1 : (size_t)(slash - path);
		if (n >= sizeof buf)
			return HG_ETOOLONG;
		memcpy(buf, path, n);
		buf[n] = '\0';
	}
	fd = open(buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return HG_EIO;
	r = fsync(fd);
	close(fd);
	/* some file systems cannot sync a folder; the rename itself stands */
	if (r != 0 && errno != EINVAL && errno != EROFS)
		return HG_EIO;
	return HG_OK;
}

int drv_replace(const char *path, const void *data, size_t n)
{
	char tmp[DRV_PATH];
	int len, r;

	len = snprintf(tmp, sizeof tmp, "%s.tmp", path);
	if (len < 0 || (size_t)len >= sizeof tmp)
		return HG_ETOOLONG;
	r = drv_write_file(tmp, data, n);
	if (r)
		goto fail;
	if (rename(tmp, path) != 0) {
		r = HG_EIO;
		goto fail;
	}
	return drv_sync_parent(path);
fail:
	unlink(tmp);
	return r;
}
