/* peer_modbus.h: start and stop the Modbus test peer from a unit test.
 *
 * build/peers/modbus_relay (tests/peers/modbus_relay.c) is a real libmodbus
 * server; pm_start() runs it on a free loopback port (or a given one, to
 * restart it where the driver expects it) with its stdout in a log file and
 * waits for its "listening" line.  The peer gets PR_SET_PDEATHSIG, so a test
 * that crashes does not leave it running; pm_stop() ends it by its pid.
 * Tests run from the repository root (scripts/run-tests.sh does) or find it
 * through HG_ROOT. */
#ifndef PEER_MODBUS_H
#define PEER_MODBUS_H

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>

struct pm_peer {
	pid_t pid;
	int port;
	char log[512];
	char spec[64];		/* "127.0.0.1:<port>" */
};

static inline void pm_sleep_ms(long ms)
{
	struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&t, &t) != 0)
		;
}

static inline long pm_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A port nothing listens on right now (the kernel's pick). */
static inline int pm_free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0), port = -1;

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 &&
	    getsockname(fd, (struct sockaddr *)&a, &len) == 0)
		port = ntohs(a.sin_port);
	if (fd >= 0)
		close(fd);
	return port;
}

/* Does the peer's log contain text?  Returns how many lines do. */
static inline int pm_log_count(const struct pm_peer *p, const char *text)
{
	char line[512];
	int n = 0;
	FILE *f = fopen(p->log, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof line, f)) {
		if (strstr(line, text))
			n++;
	}
	fclose(f);
	return n;
}

/* Start the peer: port 0 = a free one.  argv_extra: NULL-terminated extra
 * arguments after PORT (COILS WATCHDOG_MS ... --meter ...).  log_path names
 * the log (appended to, so a restarted peer's lines follow).  0 or -1. */
static inline int pm_start(struct pm_peer *p, int port, const char *log_path,
			   const char *const *argv_extra)
{
	const char *root = getenv("HG_ROOT");
	char bin[512], portbuf[16];
	const char *argv[16];
	int n = 0;

	snprintf(bin, sizeof bin, "%s%sbuild/peers/modbus_relay", root ? root : "",
		 root ? "/" : "");
	if (log_path != p->log)
		snprintf(p->log, sizeof p->log, "%s", log_path);
	for (int attempt = 0; attempt < 5; attempt++) {
		int was = pm_log_count(p, " listening ");

		p->port = port ? port : pm_free_port();
		snprintf(portbuf, sizeof portbuf, "%d", p->port);
		snprintf(p->spec, sizeof p->spec, "127.0.0.1:%d", p->port);
		n = 0;
		argv[n++] = bin;
		argv[n++] = portbuf;
		for (int i = 0; argv_extra && argv_extra[i] && n < 15; i++)
			argv[n++] = argv_extra[i];
		argv[n] = NULL;
		p->pid = fork();
		if (p->pid < 0)
			return -1;
		if (p->pid == 0) {
			int fd = open(p->log, O_WRONLY | O_CREAT | O_APPEND, 0644);

			prctl(PR_SET_PDEATHSIG, SIGTERM);
			if (fd < 0)
				_exit(127);
			dup2(fd, 1);
			dup2(fd, 2);
			execv(bin, (char *const *)argv);
			_exit(127);
		}
		for (int i = 0; i < 300; i++) {	/* up to 3 s */
			int st;

			if (pm_log_count(p, " listening ") > was)
				return 0;
			if (waitpid(p->pid, &st, WNOHANG) == p->pid)
				break;	/* port taken (a restart: the old socket lingers) */
			pm_sleep_ms(10);
		}
		kill(p->pid, SIGKILL);
		waitpid(p->pid, NULL, 0);
		p->pid = 0;
		if (port)
			pm_sleep_ms(100);
	}
	return -1;
}

/* End the peer: SIGTERM (or SIGKILL with hard), and reap it. */
static inline void pm_stop(struct pm_peer *p, int hard)
{
	if (p->pid > 0) {
		kill(p->pid, hard ? SIGKILL : SIGTERM);
		waitpid(p->pid, NULL, 0);
	}
	p->pid = 0;
}

#endif
