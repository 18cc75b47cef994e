/* testutil.h: what every unit test program includes first.
 *
 * The headers cmocka needs before cmocka.h, and a throwaway folder for tests
 * that touch files: tu_tmpdir() makes one under $TMPDIR (or /tmp) and
 * tu_rmtree() removes it with everything in it. */
#ifndef TESTUTIL_H
#define TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Make a fresh folder "<$TMPDIR or /tmp>/hg-<tag>-XXXXXX" into buf[cap].
 * Returns 0, or -1 (buf then empty). */
static inline int tu_tmpdir(char *buf, size_t cap, const char *tag)
{
	const char *base = getenv("TMPDIR");
	int n;

	if (!base || !*base)
		base = "/tmp";
	n = snprintf(buf, cap, "%s/hg-%s-XXXXXX", base, tag);
	if (n < 0 || (size_t)n >= cap || !mkdtemp(buf)) {
		if (cap)
			buf[0] = '\0';
		return -1;
	}
	return 0;
}

/* rm -rf path (nothing if it is empty or missing).  Returns 0 or -1. */
static inline int tu_rmtree(const char *path)
{
	char sub[4096];
	struct dirent *e;
	struct stat st;
	DIR *d;
	int r = 0, n;

	if (!path || !*path || lstat(path, &st) != 0)
		return 0;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (n < 0 || (size_t)n >= sizeof sub || tu_rmtree(sub) != 0)
			r = -1;
	}
	closedir(d);
	if (rmdir(path) != 0)
		r = -1;
	return r;
}

#endif
