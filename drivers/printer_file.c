/* printer_file.c: a printer that writes text files ("file:var/prints").
 *
 * Each job becomes <folder>/<name>-<kind>.txt ("load-000123-receipt.txt"):
 * the slip's text and then, when the job has one, a last line "QR: <text>".
 * A file appears whole or not at all: it is written to a hidden temp file,
 * synced, then linked to its name, which also never overwrites anything: a
 * reprint of the same job gets "-2", "-3", ... before ".txt".  The folder is
 * made if missing.
 *
 * printer_file_fail() makes the nth print from now (or every print from it
 * on) fail with HG_EIO and write nothing, as a printer out of paper would.
 * Start reading at file_print(). */
#include "printer.h"
#include "drv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PF_NAME_MAX 100		/* characters of a job name */
#define PF_TEXT_MAX (64 * 1024)	/* bytes of a slip */
#define PF_COPIES_MAX 999	/* reprints of one job kept apart */

struct printer_dev {
	char dir[DRV_PATH];
	struct drv_fault fault;
	long calls_print;	/* every call, for a debugger */
};

static int name_ok(const char *s)
{
	size_t i, n;

	if (!s)
		return 0;
	n = strlen(s);
	if (n == 0 || n > PF_NAME_MAX || s[0] == '.' || s[0] == '-')
		return 0;
	for (i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.'))
			return 0;
	}
	return 1;
}

static int file_open(struct printer_dev **out, const char *arg)
{
	struct printer_dev *d;
	size_t n;
	int r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || !*arg)
		return HG_EINVAL;
	n = strlen(arg);
	/* room for "/." + name + "-" + kind + "-999.txt" + ".tmp" */
	if (n + PF_NAME_MAX + 32 >= DRV_PATH)
		return HG_ETOOLONG;
	r = drv_mkdirs(arg);
	if (r)
		return r;
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	memcpy(d->dir, arg, n + 1);
	*out = d;
	return HG_OK;
}

/* The file's bytes (malloc'd into *out): text, a newline if it lacks one, "QR: <qr>\n". */
static int compose(const struct print_job *job, char **out, size_t *len)
{
	size_t tn = strlen(job->text), qn = job->qr ? strlen(job->qr) : 0;
	size_t n = tn;
	char *b;

	if (tn > PF_TEXT_MAX || qn > PF_TEXT_MAX)
		return HG_ETOOLONG;
	if (job->qr && (memchr(job->qr, '\n', qn) || memchr(job->qr, '\r', qn)))
		return HG_EINVAL;
	b = malloc(tn + qn + 8);
	if (!b)
		return HG_ENOMEM;
	memcpy(b, job->text, tn);
	if (job->qr) {
		if (n > 0 && b[n - 1] != '\n')
			b[n++] = '\n';
		memcpy(b + n, "QR: ", 4);
		n += 4;
		memcpy(b + n, job->qr, qn);
		n += qn;
		b[n++] = '\n';
	}
	*out = b;
	*len = n;
	return HG_OK;
}

/* Give tmp its final name, the first of <base>.txt, <base>-2.txt, ... that
 * is free.  link() fails rather than overwrite; where the file system has no
 * hard links, check and rename instead. */
static int place(const char *tmp, const char *base)
{
	char path[DRV_PATH];
	struct stat st;
	int k, w;

	for (k = 1; k <= PF_COPIES_MAX; k++) {
		if (k == 1)
			w = snprintf(path, sizeof path, "%s.txt", base);
		else
			w = snprintf(path, sizeof path, "%s-%d.txt", base, k);
		if (w < 0 || (size_t)w >= sizeof path)
			return HG_ETOOLONG;
		if (link(tmp, path) == 0) {
			unlink(tmp);
			return drv_sync_parent(path);
		}
		if (errno == EEXIST)
			continue;
		if (errno != EPERM && errno != ENOSYS && errno != EOPNOTSUPP)
			return HG_EIO;
		if (stat(path, &st) == 0)
			continue;
		if (rename(tmp, path) != 0)
			return HG_EIO;
		return drv_sync_parent(path);
	}
	return HG_EIO;		/* PF_COPIES_MAX reprints: someone should look */
}

/* HG_OK printed; HG_EIO not printed (fault, disk); HG_EINVAL, HG_ETOOLONG or
 * HG_ENOMEM for a job that cannot be printed at all. */
static int file_print(struct printer_dev *d, const struct print_job *job)
{
	char base[DRV_PATH], tmp[DRV_PATH];
	const char *kind;
	char *data = NULL;
	size_t len;
	int r, w1, w2;

	if (!d || !job || !job->text || !name_ok(job->name))
		return HG_EINVAL;
	if ((unsigned)job->kind >= PRINT_KIND_COUNT)
		return HG_EINVAL;
	r = compose(job, &data, &len);
	if (r)
		return r;	/* a bad job, not a printer fault */
	d->calls_print++;
	if (drv_fault_hit(&d->fault)) {
		free(data);
		return HG_EIO;	/* out of paper: nothing written */
	}

	kind = print_kind_code(job->kind);
	w1 = snprintf(base, sizeof base, "%s/%s-%s", d->dir, job->name, kind);
	w2 = snprintf(tmp, sizeof tmp, "%s/.%s-%s.tmp", d->dir, job->name, kind);
	if (w1 < 0 || w2 < 0 || (size_t)w1 >= sizeof base || (size_t)w2 >= sizeof tmp) {
		free(data);	/* cannot happen: file_open() checked the room */
		return HG_ETOOLONG;
	}
	r = drv_mkdirs(d->dir);	/* it may have been removed since open */
	if (r)
		goto out;
	r = drv_write_file(tmp, data, len);
	if (r)
		goto out;
	r = place(tmp, base);
out:
	if (r)
		unlink(tmp);
	free(data);
	return r == HG_OK ? HG_OK : HG_EIO;
}

static void file_close(struct printer_dev *d)
{
	free(d);
}

void printer_file_fail(struct printer_dev *d, int nth, int forever)
{
	if (!d)
		return;
	drv_fault_arm(&d->fault, nth, forever);
}

const struct printer_ops printer_file_ops = {
	.scheme = "file",
	.open = file_open,
	.print = file_print,
	.close = file_close,
};
