/* pn532_peer.h: start, steer and stop the PN532 emulator from a C test.
 *
 * The emulator (tests/peers/pn532_emu.c, built to build/peers/pn532_emu by
 * `make test`) plays a PN532 reader on a pty; a test starts it in its own
 * folder, puts cards on and off through its control FIFO, and points libnfc
 * at the pty link ("pn532_uart:<dir>/ttyPN532").  Found through
 * $HG_PN532_EMU, else beside the test binary (../peers/ from build/tests/,
 * ../../peers/ from build/asan/tests/).  The emulator also exits when the
 * test process dies (PR_SET_PDEATHSIG), so a crashed test leaves nothing.
 * Header-only, for the tests that need it (test_nfc_libnfc.c and the
 * kiosk's reader-thread test). */
#ifndef PN532_PEER_H
#define PN532_PEER_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct pn532_peer {
	pid_t pid;			/* 0: not running */
	char link[600];			/* the pty symlink: the "serial port" */
	char ctl[600];			/* the control FIFO */
	char conn[1024];		/* "pn532_uart:<link>" (libnfc's nfc_connstring size) */
	char why[700];			/* why start failed */
};

static inline void pn532_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static inline long pn532_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Where the emulator binary is: out[cap], or "" when it is nowhere. */
static inline void pn532_find(char *out, size_t cap)
{
	static const char *const rel[] = { "/../peers/pn532_emu", "/../../peers/pn532_emu" };
	const char *env = getenv("HG_PN532_EMU");
	char self[PATH_MAX];
	ssize_t n;
	size_t i;

	out[0] = '\0';
	if (env && *env) {
		if (access(env, X_OK) == 0)
			snprintf(out, cap, "%s", env);
		return;
	}
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return;
	self[n] = '\0';
	*strrchr(self, '/') = '\0';
	for (i = 0; i < sizeof rel / sizeof rel[0]; i++) {
		int k = snprintf(out, cap, "%.*s%s", PATH_MAX - 64, self, rel[i]);

		if (k > 0 && (size_t)k < cap && access(out, X_OK) == 0)
			return;
	}
	out[0] = '\0';
}

/* Does path exist (a symlink is enough; its target may be gone)? */
static inline int pn532_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Start the emulator with its link and FIFO in dir.  0, or -1 with p->why. */
static inline int pn532_start(struct pn532_peer *p, const char *dir)
{
	char emu[PATH_MAX];
	int i;

	memset(p, 0, sizeof *p);
	pn532_find(emu, sizeof emu);
	if (!emu[0]) {
		snprintf(p->why, sizeof p->why, "the PN532 emulator is missing: run "
			 "`make build/peers/pn532_emu` or set HG_PN532_EMU");
		return -1;
	}
	snprintf(p->link, sizeof p->link, "%s/ttyPN532", dir);
	snprintf(p->ctl, sizeof p->ctl, "%s/pn532.ctl", dir);
	snprintf(p->conn, sizeof p->conn, "pn532_uart:%s", p->link);
	p->pid = fork();
	if (p->pid < 0) {
		p->pid = 0;
		snprintf(p->why, sizeof p->why, "fork: %s", strerror(errno));
		return -1;
	}
	if (p->pid == 0) {
		execl(emu, emu, p->link, p->ctl, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 250; i++) {
		if (pn532_exists(p->link) && pn532_exists(p->ctl))
			return 0;
		pn532_sleep_ms(20);
	}
	snprintf(p->why, sizeof p->why, "%.600s made no pty link in 5 s", emu);
	return -1;
}

/* Send one control line ("on 04A1B2C3", "off", "vanish", "return",
 * "corrupt 3") and return at once.  0 or -1. */
static inline int pn532_send(struct pn532_peer *p, const char *line)
{
	char buf[128];
	int fd, n, r = 0;

	n = snprintf(buf, sizeof buf, "%s\n", line);
	fd = open(p->ctl, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (n < 0 || (size_t)n >= sizeof buf || write(fd, buf, (size_t)n) != n)
		r = -1;
	close(fd);
	return r;
}

/* pn532_send, then a short pause so the emulator has taken the line before
 * the test goes on.  0 or -1. */
static inline int pn532_ctl(struct pn532_peer *p, const char *line)
{
	int r = pn532_send(p, line);

	pn532_sleep_ms(10);
	return r;
}

/* Wait up to ms for the link to be there (want 1) or gone (want 0). */
static inline int pn532_wait_link(struct pn532_peer *p, int want, long ms)
{
	long end = pn532_now_ms() + ms;

	while (pn532_now_ms() < end) {
		if (pn532_exists(p->link) == want)
			return 0;
		pn532_sleep_ms(5);
	}
	return -1;
}

/* Stop it (SIGTERM, then SIGKILL after 2 s) and reap it.  Safe twice. */
static inline void pn532_stop(struct pn532_peer *p)
{
	int i, st;

	if (p->pid <= 0)
		return;
	kill(p->pid, SIGTERM);
	for (i = 0; i < 200; i++) {
		if (waitpid(p->pid, &st, WNOHANG) == p->pid) {
			p->pid = 0;
			return;
		}
		pn532_sleep_ms(10);
	}
	kill(p->pid, SIGKILL);
	waitpid(p->pid, &st, 0);
	p->pid = 0;
}

#endif
