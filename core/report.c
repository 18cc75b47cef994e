/* report.c: the words of the last failure and warning, per thread (see
 * report.h).  Pure: formats into thread-local buffers and calls the routine
 * the process installed; never prints. */
#include "report.h"

#include <stdio.h>

static _Thread_local char last_error[512];
static _Thread_local char last_warning[512];
static hg_report_fn routine;
static void *routine_ctx;

int hg_failv(int code, const char *fmt, va_list ap)
{
	vsnprintf(last_error, sizeof last_error, fmt, ap);
	return code;
}

int hg_fail(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hg_failv(code, fmt, ap);
	va_end(ap);
	return code;
}

const char *hg_error_text(void)
{
	return last_error;
}

void hg_error_clear(void)
{
	last_error[0] = '\0';
}

void hg_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_warning, sizeof last_warning, fmt, ap);
	va_end(ap);
	if (routine)
		routine(last_warning, routine_ctx);
}

const char *hg_warning_text(void)
{
	return last_warning;
}

void hg_report_set(hg_report_fn fn, void *ctx)
{
	routine = fn;
	routine_ctx = ctx;
}
