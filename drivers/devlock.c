/* devlock.c: the flock() that keeps two programs off one station's devices.
 * See devlock.h.  The lock file holds one line, "<who> (pid N) since <time>",
 * rewritten by each new holder and only ever read to tell a refused caller
 * who is there. */
#include "devlock.h"
#include "../core/report.h"
#include "drv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

struct devlock {
	int fd;
};

static void lock_path(const char *db_path, char *buf, size_t cap)
{
	snprintf(buf, cap, "%s.devices.lock", db_path);
}

/* This program's name (/proc/self/comm: "haulgate-kiosk"), or "haulgate". */
static const char *program_name(char *buf, size_t cap)
{
	FILE *f = fopen("/proc/self/comm", "r");

	if (!f || !fgets(buf, (int)cap, f))
		snprintf(buf, cap, "haulgate");
	if (f)
		fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

int devlock_take(const char *db_path, const char *who, struct devlock **out)
{
	char path[DRV_PATH], line[256], when[32], name[64];
	struct devlock *l;
	struct tm tm;
	time_t t;
	ssize_t n;
	int fd, len;

	*out = NULL;
	l = calloc(1, sizeof *l);
	if (!l)
		return hg_fail(HG_ENOMEM, "out of memory");
	l->fd = -1;
	if (!db_path || !*db_path || strcmp(db_path, ":memory:") == 0) {
		*out = l;
		return HG_OK;
	}
	if (strlen(db_path) + sizeof ".devices.lock" > sizeof path) {
		free(l);
		return hg_fail(HG_EIO, "the database path is too long for its lock file");
	}
	lock_path(db_path, path, sizeof path);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		int e = errno;

		free(l);
		return hg_fail(HG_EIO, "cannot open %s: %s", path, strerror(e));
	}
	if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		int e = errno, rc;

		if (e == EWOULDBLOCK) {
			n = pread(fd, line, sizeof line - 1, 0);
			line[n > 0 ? n : 0] = '\0';
			line[strcspn(line, "\n")] = '\0';
			rc = hg_fail(HG_EBUSY, "the station's devices are in use by %s",
				     line[0] ? line : "another program");
		} else {
			rc = hg_fail(HG_EIO, "cannot lock %s: %s", path, strerror(e));
		}
		close(fd);
		free(l);
		return rc;
	}
	t = time(NULL);
	localtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
	if (!who || !*who)
		who = program_name(name, sizeof name);
	len = snprintf(line, sizeof line, "%s (pid %ld) since %s\n", who, (long)getpid(), when);
	if (len >= (int)sizeof line)
		len = (int)sizeof line - 1;
	/* who holds it is for messages only: a failed write loses nothing else */
	if (ftruncate(fd, 0) != 0 || pwrite(fd, line, (size_t)len, 0) != len)
		line[0] = '\0';
	l->fd = fd;
	*out = l;
	return HG_OK;
}

void devlock_release(struct devlock *l)
{
	if (!l)
		return;
	if (l->fd >= 0)
		close(l->fd);	/* drops the flock */
	free(l);
}
