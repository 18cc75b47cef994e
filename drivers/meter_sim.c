/* meter_sim.c: a simulated flow meter kept in a text file ("sim:var/meter").
 *
 * The totaliser is the one number in the file, in gallons ("1234.5", a
 * newline or spaces around it allowed).  open() makes the file with "0" when
 * it is missing; read() reads the file afresh every time, so a test, a
 * scenario or a person at a shell moves the meter by writing the file (write
 * a temp and rename it, or a reader may see half a write).  A file that does
 * not hold one non-negative number, or that has gone, is a meter that answers
 * nonsense: HG_EIO, the way a real meter fails (so that is how a test makes
 * a read fail).
 *
 * meter_sim_fail() (after SQLite's test_syscall.c, as relay_sim_fail) makes
 * the nth read from now, or every read from it on, fail with HG_EIO without
 * looking at the file: the meter does not answer.  Counted faults let a test
 * fail one read in the middle of a discharge, which a file cannot time.
 * Start reading at sim_read(). */
#include "meter.h"
#include "drv.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SIM_FILE_MAX 64		/* bytes of the file read; more is nonsense */

struct meter_dev {
	char path[DRV_PATH];
	struct drv_fault fault;
	long calls_read;	/* every call, for a debugger */
};

static int sim_open(struct meter_dev **out, const char *arg)
{
	struct meter_dev *d;
	struct stat st;
	size_t len;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	len = arg ? strlen(arg) : 0;
	if (len == 0 || len >= DRV_PATH)
		return HG_EINVAL;
	if (stat(arg, &st) != 0) {
		if (errno != ENOENT || drv_mkdirs_parent(arg) != HG_OK ||
		    drv_replace(arg, "0\n", 2) != HG_OK)
			return HG_EIO;
	} else if (!S_ISREG(st.st_mode)) {
		return HG_EINVAL;
	}
	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	memcpy(d->path, arg, len + 1);
	*out = d;
	return HG_OK;
}

static int sim_read(struct meter_dev *d, double *gallons)
{
	char buf[SIM_FILE_MAX + 1], *end;
	size_t n;
	double v;
	FILE *f;

	if (!d || !gallons)
		return HG_EINVAL;
	d->calls_read++;
	if (drv_fault_hit(&d->fault))
		return HG_EIO;	/* no answer: the file is not read */
	f = fopen(d->path, "r");
	if (!f)
		return HG_EIO;
	n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	if (n == 0 || n > SIM_FILE_MAX)
		return HG_EIO;
	buf[n] = '\0';
	errno = 0;
	v = strtod(buf, &end);
	if (errno || end == buf || strspn(end, " \t\r\n") != strlen(end) || !(v >= 0 && v < 1e15))
		return HG_EIO;
	*gallons = v;
	return HG_OK;
}

static void sim_close(struct meter_dev *d)
{
	free(d);
}

void meter_sim_fail(struct meter_dev *d, int nth, int forever)
{
	if (!d)
		return;
	drv_fault_arm(&d->fault, nth, forever);
}

const struct meter_ops meter_sim_ops = {
	.scheme = "sim",
	.open = sim_open,
	.read = sim_read,
	.close = sim_close,
};
