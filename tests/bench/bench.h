/* bench.h: the clock, the order statistics and the clean-up that every
 * benchmark (tests/bench/bench_*.c) uses; include it first.
 *
 * One definition of a figure for all benches: a median or a p95 is the
 * nearest-rank quantile of the sorted samples (bench_quantile), so the
 * "median" of one bench and of another are the same statistic.  The clock is
 * CLOCK_MONOTONIC, read in whichever unit a bench counts in; a process's
 * CPU time is bench_cpu_ticks(). */
#ifndef BENCH_H
#define BENCH_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Monotonic time, in nanoseconds, milliseconds or seconds. */
static inline uint64_t bench_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline double bench_now_ms(void)
{
	return (double)bench_now_ns() / 1e6;
}

static inline double bench_now_s(void)
{
	return (double)bench_now_ns() / 1e9;
}

/* The CPU time this process has used so far, every thread of it, user and
 * system (CLOCK_PROCESS_CPUTIME_ID), in nanoseconds: the difference of two
 * readings is what a piece of work cost the process, whatever else ran on
 * the machine meanwhile.  Children are not counted. */
static inline uint64_t bench_cpu_ticks(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static inline int bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The q-quantile of v[0..n) by nearest rank (0.5 the median, 0.95 p95, 0.99
 * p99); sorts v in place.  0 when n is 0. */
static inline double bench_quantile(double *v, size_t n, double q)
{
	size_t k;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof *v, bench_cmp_double);
	k = (size_t)(q * (double)n + 0.999999);
	if (k < 1)
		k = 1;
	if (k > n)
		k = n;
	return v[k - 1];
}

/* Run the shell command cmd, its stdout into out[cap] without its last
 * line ends (NULL: read and thrown away).  0 when it exits 0, else -1. */
static inline int bench_run(const char *cmd, char *out, size_t cap)
{
	char sink[256];
	FILE *p = popen(cmd, "r");
	size_t n;

	if (!p)
		return -1;
	if (out) {
		n = fread(out, 1, cap - 1, p);
		out[n] = '\0';
		while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
			out[--n] = '\0';
	}
	while (fread(sink, 1, sizeof sink, p) > 0)
		;
	return pclose(p) == 0 ? 0 : -1;
}

/* rm -rf path, as far as it goes: a bench's folder is its own. */
static inline void bench_rmtree(const char *path)
{
	char sub[4096];
	struct dirent *e;
	DIR *d = opendir(path);
	int n;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		n = snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
		if (n > 0 && (size_t)n < sizeof sub)	/* a cut path could name another file */
			bench_rmtree(sub);
	}
	closedir(d);
	rmdir(path);
}

#endif
