/* store_sqlite_wal.c: group commit and checkpoints of the sqlite store's
 * write-ahead log (store_sqlite_wal.h).
 *
 * Why: with synchronous=FULL every COMMIT fsyncs the -wal file inside the
 * transaction, so twenty stations' batches queue behind one another's
 * fsync with the store's lock held.  Here the connection commits with
 * synchronous=NORMAL (the frames written, no fsync) and the server, before
 * it answers a station, calls potw_wal_durable(): the commits are counted
 * in generations (gen); an fdatasync of the -wal file that starts when the
 * count is g makes every commit up to g durable (synced); whoever finds no
 * fdatasync running starts one for everything committed so far, and whoever
 * finds one running waits for it and then, if it began too early for its
 * commit, for the next.  So N batches committed during one fdatasync need
 * one more, not N.  The answer still means "on disk".
 *
 * The file synced is the -wal file itself, opened here once (fsync works on
 * the inode, whichever descriptor wrote the pages), and its folder is
 * synced when it is opened, so that a -wal file made since the last sync
 * of the folder is found after a power cut.  A -wal file replaced under us
 * (its inode changed) is opened again and synced too.
 *
 * Checkpoints: the connection's wal hook, called after each commit with the
 * -wal file's pages, wakes a thread of its own at POTW_WAL_CHECKPOINT_PAGES,
 * which runs a PASSIVE checkpoint on a connection of its own (it copies
 * what no reader needs and syncs, never blocking the writer); sqlite's own
 * autocheckpoint, which would do this inside a station's COMMIT, is off.
 * Start reading at potw_wal_durable(). */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_sqlite_wal.h"
#include "../core/hg.h"
#include "../core/report.h"

#define IDS 64			/* stations whose latest generation is remembered */
#define ID_MAX 32		/* bytes of an id, its NUL included */
#define BUSY_MS 10000

struct potw_wal {
	char path[300];		/* the database; path-wal is the log */
	/* group commit: all under mu */
	pthread_mutex_t mu;
	pthread_cond_t cv;	/* an fdatasync ended */
	unsigned long long gen;		/* commits counted (and calls without an id) */
	unsigned long long synced;	/* every generation up to it is on disk */
	int syncing;		/* an fdatasync is under way (outside mu) */
	int failed;		/* an fdatasync failed: errno, for good */
	int fd;			/* the -wal file, read-only: only synced */
	struct {
		char id[ID_MAX];
		unsigned long long gen;
	} last[IDS];		/* station -> its latest commit's generation */
	/* checkpoints: all under ck_mu */
	pthread_mutex_t ck_mu;
	pthread_cond_t ck_cv;
	pthread_t thread;
	int started, want, stop;
};

/* fsync the folder of path (a new file's name made durable). */
static int sync_folder(const char *path)
{
	char buf[300];
	const char *dir;
	int fd, r;

	snprintf(buf, sizeof buf, "%s", path);
	dir = dirname(buf);
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return hg_fail(HG_EIO, "cannot open the folder '%s': %s", dir, strerror(errno));
	r = fsync(fd);
	close(fd);
	/* some file systems cannot sync a folder (their names are durable as
	 * they are made) */
	if (r != 0 && errno != EINVAL && errno != EROFS)
		return hg_fail(HG_EIO, "cannot sync the folder '%s': %s", dir, strerror(errno));
	return HG_OK;
}

/* Open w->path's -wal file into *fd and sync its folder. */
static int open_log(const struct potw_wal *w, int *fd)
{
	char log[310];

	snprintf(log, sizeof log, "%s-wal", w->path);
	*fd = open(log, O_RDONLY | O_CLOEXEC);
	if (*fd < 0)
		return hg_fail(HG_EIO, "cannot open the log '%s': %s", log, strerror(errno));
	return sync_folder(w->path);
}

/* Is fd still the file at path-wal?  1, or 0 when it was replaced. */
static int same_log(const struct potw_wal *w, int fd)
{
	char log[310];
	struct stat a, b;

	snprintf(log, sizeof log, "%s-wal", w->path);
	if (fstat(fd, &a) != 0 || stat(log, &b) != 0)
		return 0;
	return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* One fdatasync of the -wal file, outside mu (only the caller that set
 * w->syncing touches w->fd).  0 or an errno. */
static int sync_log(struct potw_wal *w)
{
	int fd;

	if (fdatasync(w->fd) != 0)
		return errno;
	if (same_log(w, w->fd))
		return 0;
	/* replaced under us: what was committed since is in the new one */
	if (open_log(w, &fd)) {
		if (fd >= 0)
			close(fd);
		return EIO;
	}
	close(w->fd);
	w->fd = fd;
	return fdatasync(w->fd) != 0 ? errno : 0;
}

static unsigned slot_of(const char *id)
{
	unsigned h = 2166136261u;	/* FNV-1a */

	for (; *id; id++)
		h = (h ^ (unsigned char)*id) * 16777619u;
	return h % IDS;
}

void potw_wal_committed(struct potw_wal *w, const char *id)
{
	pthread_mutex_lock(&w->mu);
	w->gen++;
	if (id && strlen(id) < ID_MAX) {
		unsigned s = slot_of(id);

		memcpy(w->last[s].id, id, strlen(id) + 1);
		w->last[s].gen = w->gen;
	}
	pthread_mutex_unlock(&w->mu);
}

int potw_wal_durable(struct potw_wal *w, const char *id)
{
	unsigned long long target, upto;
	int err = 0;

	pthread_mutex_lock(&w->mu);
	if (id && !strcmp(w->last[slot_of(id)].id, id))
		target = w->last[slot_of(id)].gen;
	else
		target = ++w->gen;	/* a commit not counted: a sync begun from now */
	while (!w->failed && w->synced < target) {
		if (w->syncing) {
			pthread_cond_wait(&w->cv, &w->mu);
			continue;
		}
		w->syncing = 1;
		upto = w->gen;		/* every commit counted so far is written */
		pthread_mutex_unlock(&w->mu);
		err = sync_log(w);
		pthread_mutex_lock(&w->mu);
		w->syncing = 0;
		if (err)
			w->failed = err;
		else if (upto > w->synced)
			w->synced = upto;
		pthread_cond_broadcast(&w->cv);
	}
	err = w->failed;
	pthread_mutex_unlock(&w->mu);
	if (err)
		return hg_fail(HG_EIO, "cannot sync the log of '%s': %s (the server must be "
			       "restarted)", w->path, strerror(err));
	return HG_OK;
}

/* ---- checkpoints ---- */

static void *checkpointer(void *arg)
{
	struct potw_wal *w = arg;
	sqlite3 *db = NULL;

	pthread_mutex_lock(&w->ck_mu);
	for (;;) {
		while (!w->want && !w->stop)
			pthread_cond_wait(&w->ck_cv, &w->ck_mu);
		if (w->stop)
			break;
		w->want = 0;
		pthread_mutex_unlock(&w->ck_mu);
		/* a read first: a connection learns the file is in WAL mode when
		 * it first reads it, and checkpoints nothing before */
		if (!db && (sqlite3_open_v2(w->path, &db, SQLITE_OPEN_READWRITE |
					    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
			    sqlite3_busy_timeout(db, BUSY_MS) != SQLITE_OK ||
			    sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL,
					 NULL) != SQLITE_OK)) {
			sqlite3_close(db);	/* tried again at the next wake */
			db = NULL;
		}
		if (db) {
			/* what it cannot copy yet (a reader on an old snapshot) is
			 * copied at a later wake */
			sqlite3_wal_checkpoint_v2(db, "main", SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		}
		pthread_mutex_lock(&w->ck_mu);
	}
	pthread_mutex_unlock(&w->ck_mu);
	sqlite3_close(db);
	return NULL;
}

/* The connection's wal hook: called in the committing thread, after the
 * commit, with the log's size in pages. */
static int on_commit(void *ctx, sqlite3 *db, const char *name, int pages)
{
	struct potw_wal *w = ctx;

	(void)db;
	(void)name;
	if (pages < POTW_WAL_CHECKPOINT_PAGES)
		return SQLITE_OK;
	pthread_mutex_lock(&w->ck_mu);
	if (!w->started && !w->stop)
		w->started = pthread_create(&w->thread, NULL, checkpointer, w) == 0;
	w->want = 1;
	pthread_cond_signal(&w->ck_cv);
	pthread_mutex_unlock(&w->ck_mu);
	return SQLITE_OK;	/* not the commit's business if no thread could start */
}

int potw_wal_open(const char *path, sqlite3 *db, struct potw_wal **out)
{
	struct potw_wal *w;
	int rc;

	*out = NULL;
	w = calloc(1, sizeof *w);
	if (!w)
		return hg_fail(HG_ENOMEM, "out of memory");
	if (strlen(path) >= sizeof w->path) {
		free(w);
		return hg_fail(HG_ETOOLONG, "database path too long: '%.60s...'", path);
	}
	memcpy(w->path, path, strlen(path) + 1);
	rc = open_log(w, &w->fd);
	if (rc) {
		if (w->fd >= 0)
			close(w->fd);
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->cv, NULL);
	pthread_mutex_init(&w->ck_mu, NULL);
	pthread_cond_init(&w->ck_cv, NULL);
	sqlite3_wal_autocheckpoint(db, 0);
	sqlite3_wal_hook(db, on_commit, w);
	*out = w;
	return HG_OK;
}

void potw_wal_close(struct potw_wal *w)
{
	int started;

	if (!w)
		return;
	pthread_mutex_lock(&w->ck_mu);
	w->stop = 1;
	started = w->started;
	pthread_cond_signal(&w->ck_cv);
	pthread_mutex_unlock(&w->ck_mu);
	if (started)
		pthread_join(w->thread, NULL);
	potw_wal_durable(w, NULL);	/* best effort: nobody is left to tell */
	close(w->fd);
	pthread_cond_destroy(&w->ck_cv);
	pthread_mutex_destroy(&w->ck_mu);
	pthread_cond_destroy(&w->cv);
	pthread_mutex_destroy(&w->mu);
	free(w);
}
