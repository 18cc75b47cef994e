/* store_sqlite_wal.h: the sqlite store's write-ahead log, made durable by
 * group commit and checkpointed off the writer's path (store_sqlite_wal.c).
 *
 * The store's connection runs WAL with synchronous=NORMAL: a COMMIT writes
 * its frames to the -wal file and returns without an fsync.  Each commit is
 * counted (a generation); potw_wal_durable() waits until an fdatasync of the
 * -wal file that began after the commit has ended, doing it itself when no
 * other caller is, so that the batches committed while one fdatasync runs
 * share the next.  The store's lock is not held for it.  Checkpoints run on
 * a thread of their own with a connection of its own, woken by the
 * connection's wal hook (sqlite's autocheckpoint is off on it).  Only
 * store_sqlite.c includes this header. */
#ifndef POTW_STORE_SQLITE_WAL_H
#define POTW_STORE_SQLITE_WAL_H

struct sqlite3;
struct potw_wal;

/* Every -wal page count at which the checkpoint thread is woken (sqlite's
 * own autocheckpoint default). */
#define POTW_WAL_CHECKPOINT_PAGES 1000

/* Follow the -wal file of the database at path, open on db (in WAL mode
 * already): db's wal hook wakes the checkpoint thread (started at its first
 * wake) and its autocheckpoint is turned off.  *out is the caller's to
 * close, before db.  HG_OK, HG_ENOMEM, HG_EIO (the -wal file or its folder
 * cannot be opened or synced). */
int potw_wal_open(const char *path, struct sqlite3 *db, struct potw_wal **out);

/* End the checkpoint thread (a checkpoint under way is finished first) and
 * sync the -wal file once more (the last commits of a short-lived program),
 * then forget w.  NULL is fine.  db's wal hook must be gone first. */
void potw_wal_close(struct potw_wal *w);

/* Called by the store right after a COMMIT of its connection returned
 * SQLITE_OK (under the store's lock): one more generation, which is the
 * station id's latest (id NULL: none). */
void potw_wal_committed(struct potw_wal *w, const char *id);

/* Wait until the commits made on the connection before this call are on
 * disk: with id, those of station id (its latest commit's generation, when
 * w still remembers it; otherwise every commit before the call); with NULL
 * every one, whether or not potw_wal_committed() counted it.  Returns at
 * once when an fdatasync that began after them has ended; otherwise joins
 * the next one.  Never called with the store's lock held.  HG_OK, or HG_EIO
 * when an fdatasync failed: then for good (the kernel may have dropped the
 * pages it could not write, so a later success proves nothing; restart the
 * server, which reads the file again). */
int potw_wal_durable(struct potw_wal *w, const char *id);

#endif
