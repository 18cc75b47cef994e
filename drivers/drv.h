/* drv.h: plumbing the driver backends share; not a driver interface.
 *
 * Picking a backend by the scheme of a config value, making folders, replacing
 * a file whole (temp file, fsync, rename), and the fault counter behind every
 * simulated driver's "fail the nth call" (after SQLite's test_syscall.c).
 * Only the .c files of drivers/ include this. */
#ifndef DRV_H
#define DRV_H

#include "../core/hg.h"

#define DRV_PATH 4096		/* longest path a driver builds, with its NUL */

/* Fail the nth counted operation from the moment it is armed (1 = the next);
 * with forever, that one and every later one.  nth 0 = never. */
struct drv_fault {
	int nth;
	int forever;
	int count;		/* operations counted since armed */
};

/* Arm f (nth <= 0 disarms it) and restart its count. */
void drv_fault_arm(struct drv_fault *f, int nth, int forever);

/* Count one operation: 1 when this one is to fail, else 0.  A fault that is
 * not forever disarms itself once it has fired. */
int drv_fault_hit(struct drv_fault *f);

/* Does spec ("scheme:arg") have this scheme?  1 with *arg (when arg is not
 * NULL) pointing after the ':' ("" for a bare "scheme"), else 0. */
int drv_scheme_is(const char *spec, const char *scheme, const char **arg);

/* The whole of s[0..len) as a decimal or 0x number in [lo, hi]
 * (text_parse_number(): "010" is ten, never octal); -1 when it is not one
 * (empty, signs or junk, out of range).  For config values such as "17" in
 * "17,active-low", so 0 <= lo <= hi. */
long drv_number(const char *s, size_t len, long lo, long hi);

/* The whole of s[0..len) as a decimal number (no hex, no inf/nan) in
 * [lo, hi] into *out: HG_OK, or HG_EINVAL leaving *out alone. */
int drv_decimal(const char *s, size_t len, double lo, double hi, double *out);

/* mkdir -p: make path and every missing parent (mode 0755).  HG_OK when it
 * is there as a folder afterwards, HG_EIO when it cannot be made, HG_EINVAL
 * for an empty path or one that names something other than a folder. */
int drv_mkdirs(const char *path);

/* drv_mkdirs() of the folder file is in ("a/b/c" -> "a/b"; nothing to do for
 * a bare name). */
int drv_mkdirs_parent(const char *file);

/* Write n bytes to a new file at path (created or truncated, mode 0644) and
 * fsync it.  HG_OK or HG_EIO (the file may then be partial: it is a temp). */
int drv_write_file(const char *path, const void *data, size_t n);

/* Replace path whole with data: write <path>.tmp, fsync, rename over path,
 * fsync the folder.  A crash leaves either the old file or the new one.
 * HG_OK, HG_ETOOLONG (path too long) or HG_EIO. */
int drv_replace(const char *path, const void *data, size_t n);

/* fsync the folder holding path, so a rename or link in it is durable. */
int drv_sync_parent(const char *path);

#endif
