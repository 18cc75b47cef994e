/* sdl_stats.c: HAULGATE_KIOSK_STATS, the kiosk's own timings (sdl_stats.h).
 *
 * Two threads meet here.  An SDL event watch, called by SDL_PushEvent() in
 * whichever thread queues the event (SDL's own for the touchscreen, the UI
 * thread for a script, the card reader's thread), notes when each left
 * button press, release and card event entered the queue, one small ring per
 * kind under a mutex.  The UI thread takes the oldest time of a kind when it
 * handles an event of that kind (events leave the queue in the order they
 * entered it), keeps it as pending, and writes the pending inputs out with
 * the next frame it presents.  Nothing is allocated after kstats_open(); a
 * line is written per frame through stdio's buffer.  Start reading at
 * kstats_frame(). */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "sdl_stats.h"

#define RING 64		/* queued inputs of one kind not handled yet */
#define PENDING 16	/* handled inputs waiting for their frame */

static const char *const kind_name[KSTATS_NINPUT] = {
	[KSTATS_DOWN] = "down", [KSTATS_UP] = "up", [KSTATS_CARD] = "card",
};

struct ring {
	uint64_t t[RING];
	unsigned head, n;	/* oldest at head */
};

struct kstats {
	FILE *f;
	uint64_t t_main;
	int frames;
	int watching;
	Uint32 card;			/* the card reader's event type */
	SDL_mutex *mu;			/* guards queued */
	struct ring queued[KSTATS_NINPUT];
	int n_pending;
	struct {
		enum kstats_input kind;
		uint64_t t;
	} pending[PENDING];
};

uint64_t kstats_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct kstats *kstats_open(const char *path, uint64_t t_main)
{
	struct kstats *st;

	if (!path || !*path)
		return NULL;
	st = calloc(1, sizeof *st);
	if (!st) {
		fprintf(stderr, "kiosk: no memory for the figures\n");
		return NULL;
	}
	st->f = fopen(path, "w");
	if (!st->f) {
		fprintf(stderr, "kiosk: cannot write the figures to '%s': %s\n", path,
			strerror(errno));
		free(st);
		return NULL;
	}
	st->t_main = t_main;
	fprintf(st->f, "start %" PRIu64 "\n", t_main);
	return st;
}

/* The event watch: runs in the thread that queues e. */
static int SDLCALL watch(void *ctx, SDL_Event *e)
{
	struct kstats *st = ctx;
	enum kstats_input kind;
	struct ring *r;

	if ((e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_MOUSEBUTTONUP) &&
	    e->button.button == SDL_BUTTON_LEFT)
		kind = e->type == SDL_MOUSEBUTTONDOWN ? KSTATS_DOWN : KSTATS_UP;
	else if (st->card && e->type == st->card)
		kind = KSTATS_CARD;
	else
		return 1;
	if (SDL_LockMutex(st->mu) != 0)
		return 1;
	r = &st->queued[kind];
	if (r->n == RING) {		/* never handled: forget the oldest */
		r->head = (r->head + 1) % RING;
		r->n--;
	}
	r->t[(r->head + r->n) % RING] = kstats_now();
	r->n++;
	SDL_UnlockMutex(st->mu);
	return 1;
}

int kstats_start(struct kstats *st, Uint32 card, const char *video, const char *renderer, int w,
		 int h)
{
	if (!st)
		return 0;
	fprintf(st->f, "video %s %s %dx%d\n", video ? video : "?", renderer ? renderer : "?", w, h);
	st->mu = SDL_CreateMutex();
	if (!st->mu)
		return -1;
	st->card = card;
	SDL_AddEventWatch(watch, st);
	st->watching = 1;
	return 0;
}

void kstats_input(struct kstats *st, enum kstats_input kind, const SDL_Event *e)
{
	struct ring *r;
	uint64_t t;

	(void)e;
	if (!st || !st->watching || (unsigned)kind >= KSTATS_NINPUT)
		return;
	if (SDL_LockMutex(st->mu) != 0)
		return;
	r = &st->queued[kind];
	if (r->n == 0) {		/* queued before the watch: not timed */
		SDL_UnlockMutex(st->mu);
		return;
	}
	t = r->t[r->head];
	r->head = (r->head + 1) % RING;
	r->n--;
	SDL_UnlockMutex(st->mu);
	if (st->n_pending == PENDING)
		return;
	st->pending[st->n_pending].kind = kind;
	st->pending[st->n_pending].t = t;
	st->n_pending++;
}

void kstats_drop(struct kstats *st, enum kstats_input kind)
{
	int i, n = 0;

	if (!st)
		return;
	for (i = 0; i < st->n_pending; i++)
		if (kind != KSTATS_NINPUT && st->pending[i].kind != kind)
			st->pending[n++] = st->pending[i];
	st->n_pending = n;
}

void kstats_frame(struct kstats *st, const char *screen, uint64_t layout, uint64_t draw,
		  uint64_t present, uint64_t t_present)
{
	int i;

	if (!st)
		return;
	if (st->frames++ == 0) {
		fprintf(st->f, "first_frame %" PRIu64 " %" PRIu64 "\n", t_present,
			(t_present - st->t_main) / 1000);
		fflush(st->f);	/* a bench waits for this line */
	}
	fprintf(st->f, "frame %s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", screen, layout / 1000,
		draw / 1000, present / 1000);
	for (i = 0; i < st->n_pending; i++)
		fprintf(st->f, "input %s %" PRIu64 "\n", kind_name[st->pending[i].kind],
			t_present > st->pending[i].t ? (t_present - st->pending[i].t) / 1000 : 0);
	st->n_pending = 0;
}

void kstats_close(struct kstats *st)
{
	struct rusage ru;
	long long cpu = -1;
	long rss = -1;

	if (!st)
		return;
	if (st->watching)
		SDL_DelEventWatch(watch, st);
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		rss = ru.ru_maxrss;	/* KiB on Linux */
		cpu = (long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000000 +
		      ru.ru_utime.tv_usec + ru.ru_stime.tv_usec;
	}
	fprintf(st->f, "exit frames %d rss_peak_kb %ld cpu_us %lld\n", st->frames, rss, cpu);
	if (fclose(st->f) != 0)
		fprintf(stderr, "kiosk: the figures could not all be written\n");
	if (st->mu)
		SDL_DestroyMutex(st->mu);
	free(st);
}
