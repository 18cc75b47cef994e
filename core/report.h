/* report.h: the one channel for what went wrong, in words.
 *
 * Every layer says why it failed the same way, git-style:
 *
 *	if (!f)
 *		return hg_fail(HG_EIO, "cannot open '%s': %s", path, strerror(errno));
 *
 * and its caller checks the code on the next line (`rc = f(); if (rc) return
 * rc;`), adding context only where it knows more:
 *
 *	rc = keys_load(path, &kp);
 *	if (rc)
 *		return cli_error("the station key: %s", hg_error_text());
 *
 * The words are kept per thread (like errno, but a sentence), so the core
 * never prints: the layer that owns the process decides where they go (the
 * CLI's stderr, the kiosk's log, the plant's server log).  Warnings, which do
 * not stop anything, go to the routine the process installs with
 * hg_report_set(); without one they are kept for hg_warning_text(). */
#ifndef REPORT_H
#define REPORT_H

#include <stdarg.h>

/* Keep fmt's words (cut past 511 bytes) as this thread's last error and
 * return code (an HG_E* value) unchanged, for `return hg_fail(...)`. */
int hg_fail(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int hg_failv(int code, const char *fmt, va_list ap) __attribute__((format(printf, 2, 0)));

/* The words of this thread's last hg_fail(), or "" when there were none
 * since hg_error_clear(). */
const char *hg_error_text(void);

/* Forget this thread's last error and last warning (before an attempt
 * whose words are looked at, so that old words are not taken for new ones). */
void hg_error_clear(void);

/* Say something that is wrong but stops nothing ("the station id in
 * station.ini is not the database's; the database's is used").  Handed to
 * the routine set by hg_report_set(); kept for hg_warning_text() too. */
void hg_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* This thread's last warning, or "". */
const char *hg_warning_text(void);

/* What the process does with a warning (print it, log it).  Set once at
 * start by the process's owner, before any thread is started; NULL for
 * none.  The routine may be called from any thread. */
typedef void (*hg_report_fn)(const char *msg, void *ctx);
void hg_report_set(hg_report_fn fn, void *ctx);

#endif
