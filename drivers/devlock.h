/* devlock.h: one program at a time drives a station's devices.
 *
 * The kiosk (and `haulgate simulate`) hold the station's devices while they
 * run: a relay switched by `haulgate hw relay` behind the kiosk's back, or a
 * card read by `hw read-card` instead of the kiosk, would be a safety and a
 * records problem.  Whoever opens the devices takes an exclusive flock() on
 * the lock file beside the database (<db>.devices.lock) and writes who it is
 * into it; the kernel drops the lock when the holder dies, kill -9 included,
 * so a stale lock file never blocks anyone. */
#ifndef DEVLOCK_H
#define DEVLOCK_H

#include <stddef.h>

struct devlock;

/* Take the devices of the station whose database is db_path, as who
 * ("haulgate hw"; NULL: the program's name, "haulgate-kiosk").  HG_OK with
 * *out; HG_EBUSY when another process holds them, the words (hg_fail) saying
 * who ("the station's devices are in use by haulgate-kiosk (pid 1234) since
 * 2026-11-22 01:40:00"); HG_EIO when the lock file cannot be made (the words
 * say why).  db_path ":memory:" or "" takes nothing and succeeds. */
int devlock_take(const char *db_path, const char *who, struct devlock **out);

/* Release (NULL is fine). */
void devlock_release(struct devlock *l);

#endif
