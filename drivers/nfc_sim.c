/* nfc_sim.c: a simulated card reader fed through a FIFO ("sim:var/nfc").
 *
 * Anything that writes lines to the FIFO taps cards: `echo 04A1B2C3 > var/nfc`.
 * Each line is one UID in any form text_uid_norm() takes ("04:a1:b2:c3",
 * "04A1B2C3"); blank lines are ignored.  The FIFO is made if missing and
 * opened for reading without blocking; the driver also holds a writer of its
 * own open, so the FIFO never reports end-of-file when the last outside writer
 * goes away (poll() would otherwise wake at once, over and over).
 *
 * Bytes arrive in any pieces: they are kept in a buffer of NFC_LINE_CAP bytes
 * until a newline ends the line.  A line that does not fit is dropped whole:
 * read() says HG_EINVAL once, then skips the rest of it up to its newline.
 *
 * nfc_sim_fail() (after SQLite's test_syscall.c, as relay_sim_fail) makes
 * the nth read from now, or every read from it on, fail with HG_EIO before
 * it takes anything from the FIFO: the reader is gone, as a reader whose
 * cable was pulled.  Start reading at sim_read(). */
#include "nfc.h"
#include "drv.h"
#include "../core/text.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define NFC_LINE_CAP 128	/* bytes of one line, with its newline */

struct nfc_dev {
	int rfd;		/* the FIFO, read end, non-blocking */
	int wfd;		/* our own writer: keeps EOF away */
	int skipping;		/* dropping an over-long line up to its newline */
	size_t len;		/* bytes in buf */
	char buf[NFC_LINE_CAP];
	struct drv_fault fault;
	long calls_read;	/* every call, for a debugger */
};

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int sim_open(struct nfc_dev **out, const char *arg)
{
	struct nfc_dev *d;
	struct stat st;
	int r;

	if (!out)
		return HG_EINVAL;
	*out = NULL;
	if (!arg || !*arg)
		return HG_EINVAL;
	r = drv_mkdirs_parent(arg);
	if (r)
		return r;
	if (mkfifo(arg, 0660) != 0 && errno != EEXIST)
		return HG_EIO;
	if (stat(arg, &st) != 0)
		return HG_EIO;
	if (!S_ISFIFO(st.st_mode))
		return HG_EINVAL;	/* something else is there */

	d = calloc(1, sizeof *d);
	if (!d)
		return HG_ENOMEM;
	d->wfd = -1;
	d->rfd = open(arg, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->rfd < 0)
		goto fail;
	/* succeeds without blocking because a reader (ours) is open */
	d->wfd = open(arg, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (d->wfd < 0)
		goto fail;
	*out = d;
	return HG_OK;
fail:
	if (d->rfd >= 0)
		close(d->rfd);
	free(d);
	return HG_EIO;
}

static void drop(struct nfc_dev *d, size_t n)
{
	memmove(d->buf, d->buf + n, d->len - n);
	d->len -= n;
}

/* One line without its newline: HG_OK with uid, HG_EINVAL, or 1 if blank. */
static int take(const char *s, size_t n, char uid[LIM_UID + 1])
{
	char line[NFC_LINE_CAP], norm[LIM_UID + 1];

	if (memchr(s, '\0', n))
		return HG_EINVAL;
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0)
		return 1;
	memcpy(line, s, n);	/* n < NFC_LINE_CAP: the newline was in buf too */
	line[n] = '\0';
	if (text_uid_norm(line, norm) != HG_OK)
		return HG_EINVAL;	/* uid stays "" */
	memcpy(uid, norm, sizeof norm);
	return HG_OK;
}

/* The next complete line in buf: HG_OK, HG_EINVAL, or 1 when none is there. */
static int next_line(struct nfc_dev *d, char uid[LIM_UID + 1])
{
	char *nl;
	size_t n;
	int r;

	for (;;) {
		nl = memchr(d->buf, '\n', d->len);
		if (!nl) {
			if (d->skipping)
				d->len = 0;
			return 1;
		}
		n = (size_t)(nl - d->buf);
		if (d->skipping) {
			d->skipping = 0;	/* the end of the long line */
			drop(d, n + 1);
			continue;
		}
		r = take(d->buf, n, uid);
		drop(d, n + 1);
		if (r != 1)
			return r;
	}
}

/* The next UID within timeout_ms (negative: no limit).  HG_OK, HG_EBUSY on
 * timeout, HG_EINVAL for a line that is no UID (it is gone), HG_EIO. */
static int sim_read(struct nfc_dev *d, int timeout_ms, char uid[LIM_UID + 1])
{
	int64_t deadline = timeout_ms >= 0 ? now_ms() + timeout_ms : 0;
	struct pollfd p;
	ssize_t n;
	int r, wait;

	if (!d || !uid)
		return HG_EINVAL;
	uid[0] = '\0';
	d->calls_read++;
	if (drv_fault_hit(&d->fault))
		return HG_EIO;	/* gone: nothing taken from the FIFO */
	for (;;) {
		r = next_line(d, uid);
		if (r != 1)
			return r;
		if (d->len == sizeof d->buf) {
			d->len = 0;	/* no newline in a full buffer: too long */
			d->skipping = 1;
			return HG_EINVAL;
		}

		wait = -1;
		if (timeout_ms >= 0) {
			int64_t left = deadline - now_ms();

			wait = left > 0 ? (int)left : 0;
		}
		p.fd = d->rfd;
		p.events = POLLIN;
		p.revents = 0;
		r = poll(&p, 1, wait);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return HG_EIO;
		if (r == 0)
			return HG_EBUSY;
		if (p.revents & (POLLERR | POLLNVAL))
			return HG_EIO;

		n = read(d->rfd, d->buf + d->len, sizeof d->buf - d->len);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
			continue;
		if (n <= 0)
			return HG_EIO;	/* 0 cannot happen while wfd is open */
		d->len += (size_t)n;
	}
}

static void sim_close(struct nfc_dev *d)
{
	if (!d)
		return;
	close(d->rfd);
	close(d->wfd);
	free(d);
}

void nfc_sim_fail(struct nfc_dev *d, int nth, int forever)
{
	if (!d)
		return;
	drv_fault_arm(&d->fault, nth, forever);
}

const struct nfc_ops nfc_sim_ops = {
	.scheme = "sim",
	.open = sim_open,
	.read = sim_read,
	.close = sim_close,
};
