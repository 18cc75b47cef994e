/* appsocket.c: a LAN receipt printer for the tests: an AppSocket (JetDirect,
 * port 9100 style) listener on 127.0.0.1 that keeps every job's bytes.
 *
 *   build/peers/appsocket DIR [PORT] [--stall | --refuse]
 *   PORT 0 (the default) = pick a free port; the "listening" line names it.
 *
 * A job is one connection: everything read from it until the client shuts
 * its side is written to DIR/job-N.bin (N = 1, 2, ... in the order jobs end;
 * written to a temp file and renamed, so a file that is there is whole), then
 * the connection is closed, which is what CUPS's socket backend waits for
 * before it marks the job completed.  Nothing is ever sent back.
 *
 * Modes, to play a printer in trouble:
 *   serve   the default: accept and read everything;
 *   stall   accept, but stop reading every connection (out of paper, lid
 *           open): the sender's writes fill the socket and block, and the
 *           job stays "processing" in CUPS; back to serve reads on;
 *   refuse  close the listening socket (connection refused: printer off);
 *           back to serve listens again on the same port.
 * The mode is set by the option, and changed by a line "serve", "stall" or
 * "refuse" on stdin (a test writes them into a FIFO); each change is
 * acknowledged with a "mode" line.  End of stdin changes nothing.
 *
 * Every line on stdout (line-buffered):
 *
 *   listening 127.0.0.1:40123
 *   connection 1
 *   job 1 12345 bytes /tmp/x/job-1.bin
 *   empty connection 2
 *   mode stall
 *
 * Exits 0 on SIGTERM or SIGINT and when its parent dies (PR_SET_PDEATHSIG),
 * 2 on a bad argument or when it cannot listen.  Start reading at main(). */
#define _GNU_SOURCE	/* accept4 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_CONN 16
#define JOB_MAX (64 * 1024 * 1024)	/* bytes of one job; past it the job is cut off */

enum mode { SERVE, STALL, REFUSE };

struct conn {
	int fd;			/* -1 = free slot */
	int id;
	unsigned char *buf;
	size_t len, cap;
};

static volatile sig_atomic_t stop;
static const char *dir;
static int port;
static int jobs_done;
static int conn_seq;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

static int listen_on(int p)
{
	struct sockaddr_in a = {0};
	socklen_t al = sizeof a;
	int one = 1, fd;

	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((unsigned short)p);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || listen(fd, 8) != 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &al) != 0) {
		close(fd);
		return -1;
	}
	port = ntohs(a.sin_port);
	return fd;
}

/* Keep the job's bytes as DIR/job-N.bin, whole or not at all. */
static void store_job(struct conn *c)
{
	char path[4096], tmp[4096];
	FILE *f;
	int n;

	if (c->len == 0) {
		printf("empty connection %d\n", c->id);
		return;
	}
	n = ++jobs_done;
	snprintf(path, sizeof path, "%s/job-%d.bin", dir, n);
	snprintf(tmp, sizeof tmp, "%s/.job-%d.tmp", dir, n);
	f = fopen(tmp, "wb");
	if (!f || fwrite(c->buf, 1, c->len, f) != c->len || fclose(f) != 0 ||
	    rename(tmp, path) != 0) {
		printf("error: cannot write %s: %s\n", path, strerror(errno));
		return;
	}
	printf("job %d %zu bytes %s\n", n, c->len, path);
}

static void conn_end(struct conn *c)
{
	store_job(c);
	close(c->fd);
	free(c->buf);
	memset(c, 0, sizeof *c);
	c->fd = -1;
}

/* Read what is there; end the job at EOF or on an error. */
static void conn_read(struct conn *c)
{
	ssize_t r;

	if (c->cap - c->len < 65536) {
		size_t ncap = c->cap ? c->cap * 2 : 262144;
		unsigned char *nb;

		if (ncap > JOB_MAX) {
			printf("error: job on connection %d is over %d bytes, cut off\n", c->id,
			       JOB_MAX);
			conn_end(c);
			return;
		}
		nb = realloc(c->buf, ncap);
		if (!nb) {
			conn_end(c);
			return;
		}
		c->buf = nb;
		c->cap = ncap;
	}
	r = read(c->fd, c->buf + c->len, c->cap - c->len);
	if (r > 0) {
		c->len += (size_t)r;
		return;
	}
	if (r < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	conn_end(c);
}

static const char *mode_word(enum mode m)
{
	return m == STALL ? "stall" : m == REFUSE ? "refuse" : "serve";
}

/* A control line from stdin; returns the new mode. */
static enum mode control(const char *line, enum mode m)
{
	if (strcmp(line, "serve") == 0)
		return SERVE;
	if (strcmp(line, "stall") == 0)
		return STALL;
	if (strcmp(line, "refuse") == 0)
		return REFUSE;
	if (*line)
		printf("error: unknown control '%.40s' (serve, stall, refuse)\n", line);
	return m;
}

static int usage(void)
{
	fprintf(stderr, "usage: appsocket DIR [PORT] [--stall | --refuse]\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct conn conns[MAX_CONN];
	char line[128];
	size_t line_len = 0;
	enum mode mode = SERVE;
	int lfd, stdin_open = 1, want_port = 0;
	struct sigaction sa = {0};

	if (argc < 2)
		return usage();
	dir = argv[1];
	for (int i = 2; i < argc; i++) {
		char *end;
		long v;

		if (strcmp(argv[i], "--stall") == 0) {
			mode = STALL;
			continue;
		}
		if (strcmp(argv[i], "--refuse") == 0) {
			mode = REFUSE;
			continue;
		}
		errno = 0;
		v = strtol(argv[i], &end, 10);
		if (errno || *end || end == argv[i] || v < 0 || v > 65535)
			return usage();
		want_port = (int)v;
	}
	if (access(dir, W_OK) != 0) {
		fprintf(stderr, "appsocket: cannot write in '%s': %s\n", dir, strerror(errno));
		return 2;
	}
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (getppid() == 1)
		return 0;	/* the parent died before PDEATHSIG was set */

	/* listen even in refuse mode first, to learn and keep the port */
	lfd = listen_on(want_port);
	if (lfd < 0) {
		fprintf(stderr, "appsocket: cannot listen on 127.0.0.1:%d: %s\n", want_port,
			strerror(errno));
		return 2;
	}
	printf("listening 127.0.0.1:%d\n", port);
	if (mode == REFUSE) {
		close(lfd);
		lfd = -1;
	}
	if (mode != SERVE)
		printf("mode %s\n", mode_word(mode));
	for (int i = 0; i < MAX_CONN; i++) {
		memset(&conns[i], 0, sizeof conns[i]);
		conns[i].fd = -1;
	}

	while (!stop) {
		struct pollfd p[MAX_CONN + 2];
		int map[MAX_CONN + 2];
		int n = 0;

		if (stdin_open) {
			p[n] = (struct pollfd){.fd = 0, .events = POLLIN};
			map[n++] = -2;
		}
		if (lfd >= 0) {
			p[n] = (struct pollfd){.fd = lfd, .events = POLLIN};
			map[n++] = -1;
		}
		for (int i = 0; i < MAX_CONN && mode == SERVE; i++) {
			if (conns[i].fd < 0)
				continue;
			p[n] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
			map[n++] = i;
		}
		if (poll(p, (nfds_t)n, 500) < 0) {
			if (errno == EINTR)
				continue;
			perror("appsocket: poll");
			break;
		}
		for (int k = 0; k < n; k++) {
			if (!p[k].revents)
				continue;
			if (map[k] >= 0) {
				conn_read(&conns[map[k]]);
			} else if (map[k] == -1) {
				int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC), slot = -1;

				if (fd < 0)
					continue;
				for (int i = 0; i < MAX_CONN && slot < 0; i++)
					if (conns[i].fd < 0)
						slot = i;
				if (slot < 0) {
					printf("error: more than %d connections, one closed\n",
					       MAX_CONN);
					close(fd);
					continue;
				}
				conns[slot].fd = fd;
				conns[slot].id = ++conn_seq;
				printf("connection %d\n", conn_seq);
			} else {
				char c;
				ssize_t r = read(0, &c, 1);

				if (r <= 0) {
					if (r == 0 || errno != EINTR)
						stdin_open = 0;
					continue;
				}
				if (c != '\n' && line_len < sizeof line - 1) {
					line[line_len++] = c;
					continue;
				}
				if (c != '\n')
					continue;	/* too long: the rest is dropped */
				line[line_len] = 0;
				line_len = 0;
				enum mode nm = control(line, mode);

				if (nm != REFUSE && lfd < 0) {
					lfd = listen_on(port);
					if (lfd < 0)
						printf("error: cannot listen again on %d: %s\n",
						       port, strerror(errno));
				}
				if (nm == REFUSE && lfd >= 0) {
					close(lfd);
					lfd = -1;
				}
				if (nm != mode || *line)
					printf("mode %s\n", mode_word(nm));
				mode = nm;
				break;	/* the poll set changed */
			}
		}
	}
	for (int i = 0; i < MAX_CONN; i++) {
		if (conns[i].fd >= 0) {
			close(conns[i].fd);
			free(conns[i].buf);
		}
	}
	if (lfd >= 0)
		close(lfd);
	return 0;
}
