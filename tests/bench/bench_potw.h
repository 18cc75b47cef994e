/* bench_potw.h: the plant's server as a bench's child (bench_sync.c,
 * bench_web.c): started on the potw.ini given, its port read from its
 * "listening on" line, ended with SIGTERM.  Include after bench.h. */
#ifndef BENCH_POTW_H
#define BENCH_POTW_H

#include <fcntl.h>
#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>

#define BENCH_POTW "build/haulgate-potw"

/* Start `BENCH_POTW --config ini serve` (its stderr thrown away, its
 * stdout read up to "listening on https://127.0.0.1:PORT"): *pid the
 * child (> 0 once forked: bench_potw_stop() it on every way out), *port
 * its port.  0, or -1 when it did not listen. */
static inline int bench_potw_serve(const char *ini, pid_t *pid, int *port)
{
	static const char said[] = "listening on https://127.0.0.1:";
	char line[512];
	int fd[2];
	FILE *in;

	*port = 0;
	if (pipe(fd) < 0)
		return -1;
	*pid = fork();
	if (*pid < 0)
		return -1;
	if (*pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(fd[1], 1);
		if (null >= 0)
			dup2(null, 2);	/* its log: not the bench's */
		close(fd[0]);
		close(fd[1]);
		execl(BENCH_POTW, BENCH_POTW, "--config", ini, "serve", (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	in = fdopen(fd[0], "r");
	if (!in)
		return -1;
	while (fgets(line, sizeof line, in)) {
		const char *p = strstr(line, said);

		if (p) {
			*port = (int)strtol(p + strlen(said), NULL, 10);
			break;
		}
	}
	/* its later lines go to a pipe nobody reads: kept open, a few lines
	 * per batch at most */
	return *port > 0 ? 0 : -1;
}

/* SIGTERM the server *pid started, wait for it; *pid -1 after.  Again is
 * nothing. */
static inline void bench_potw_stop(pid_t *pid)
{
	if (*pid > 0) {
		kill(*pid, SIGTERM);
		waitpid(*pid, NULL, 0);
		*pid = -1;
	}
}

#endif
