/* report.c: the words of the last failure and warning, per thread (see
 * report.h).  Pure: formats into thread-local buffers and calls the routine
 * the process installed; never prints. */
#include "report.h"

#include <stdio.h>
#include <string.h>

static _Thread_local char last_error[512];
static _Thread_local char last_warning[512];
static hg_report_fn routine;
static void *routine_ctx;

/* Formatted into a scratch buffer first: the words of the last failure are
 * often part of the new ones (`hg_fail(rc, "the key: %s", hg_error_text())`),
 * and vsnprintf into its own argument is undefined. */
int hg_failv(int code, const char *fmt, va_list ap)
{
	char words[sizeof last_error];

	vsnprintf(words, sizeof words, fmt, ap);
	memcpy(last_error, words, sizeof last_error);
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
	last_warning[0] = '\0';
}

void hg_warn(const char *fmt, ...)
{
	char words[sizeof last_warning];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(words, sizeof words, fmt, ap);
	va_end(ap);
	memcpy(last_warning, words, sizeof last_warning);
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
