/* sdl_nfc.c: the card reader thread.
 *
 * One loop: open the backend if it is not open (on failure: say offline,
 * pause, try again, the pause doubling each time), read with a short timeout
 * so that a stop is seen soon, and push every UID to the UI thread as an SDL
 * user event.  The thread only reads the device and pushes events
 * (SDL_PushEvent is thread-safe); everything else stays on the UI thread.
 * What the two threads share is published before the thread starts (the
 * spec, the event types, the UI's wake-up) or is a C11 atomic (stop, the
 * wake-up pointer): ThreadSanitizer sees through those, not through SDL's
 * own atomics, which live in an uninstrumented library
 * (tests/cli/test_kiosk_tsan.sh).
 * kiosk_push_card(), the one way a card event is made, lives here too: the
 * kiosk's scripted runs (sdl_script.c) push their cards through it.
 *
 * This file needs nothing of the kiosk but SDL and drivers/nfc.h, so the
 * reader thread can be tested and measured on its own: tests/kiosk/
 * test_nfc_reader.c and tests/bench/bench_nfc.c compile it in (#include of
 * this .c) and run it against the PN532 emulator.
 * Start reading at reader_main(). */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sdl_nfc.h"
#include "../core/config.h"
#include "../drivers/nfc.h"

struct reader {
	SDL_Thread *thread;
	atomic_int stop;
	char spec[CFG_PATH];
	Uint32 ev_card, ev_status;
	int offline;		/* last status pushed: -1 none yet */
};

/* The UI thread's wake-up (kiosk_set_wake), called after each push; set by
 * the UI thread, read by the reader's.  One atomic pointer, loaded once per
 * call: the function called is never NULL, whatever the UI thread does
 * meanwhile (the old flag-then-pointer pair could read the flag set and the
 * pointer already cleared). */
typedef void (*wake_fn)(void);
static _Atomic(wake_fn) wake_ui;

void kiosk_set_wake(void (*fn)(void))
{
	atomic_store(&wake_ui, fn);
}

static int push_event(SDL_Event *e)
{
	int rc = SDL_PushEvent(e);
	wake_fn wake = atomic_load(&wake_ui);

	if (rc == 1 && wake)
		wake();	/* after the push: the event is in the queue now */
	return rc;
}

int kiosk_push_card(Uint32 type, const char *uid)
{
	SDL_Event e;
	size_t n = strlen(uid) + 1;
	char *copy = malloc(n);

	if (!copy)
		return HG_ENOMEM;
	memcpy(copy, uid, n);
	memset(&e, 0, sizeof e);
	e.user.type = type;
	e.user.timestamp = SDL_GetTicks();
	e.user.data1 = copy;
	if (push_event(&e) != 1) {
		free(copy);
		return HG_EIO;
	}
	return HG_OK;
}

/* A full event queue (or no memory) drops the tap: said on stderr, the
 * hauler taps again. */
static void push(struct reader *r, const char *uid)
{
	int rc = kiosk_push_card(r->ev_card, uid);

	if (rc != HG_OK)
		fprintf(stderr, "kiosk: card %s dropped: %s\n", uid,
			rc == HG_ENOMEM ? "out of memory" : SDL_GetError());
}

static void status(struct reader *r, int offline)
{
	SDL_Event e;

	if (r->offline == offline)
		return;
	r->offline = offline;
	memset(&e, 0, sizeof e);
	e.user.type = r->ev_status;
	e.user.timestamp = SDL_GetTicks();
	e.user.code = offline;
	push_event(&e);
}

/* Sleep ms in slices, waking early on a stop.  Returns 1 when stopping. */
static int pause_ms(struct reader *r, int ms)
{
	while (ms > 0) {
		int slice = ms < READER_POLL_MS ? ms : READER_POLL_MS;

		if (atomic_load(&r->stop))
			return 1;
		SDL_Delay((Uint32)slice);
		ms -= slice;
	}
	return atomic_load(&r->stop);
}

static int reader_main(void *ctx)
{
	struct reader *r = ctx;
	const struct nfc_ops *ops;
	const char *arg = NULL;
	struct nfc_dev *dev = NULL;
	char uid[LIM_UID + 1];
	int backoff = READER_BACKOFF_MIN_MS, rc, said = 0;

	ops = nfc_backend(r->spec, &arg);
	if (!ops) {
		fprintf(stderr, "kiosk: no card reader backend for '%s'\n", r->spec);
		status(r, 1);
		return 0;
	}
	while (!atomic_load(&r->stop)) {
		if (!dev) {
			rc = ops->open(&dev, arg);
			if (rc != HG_OK) {
				dev = NULL;
				if (!said)
					fprintf(stderr, "kiosk: card reader '%s' cannot be opened "
						"(error %d); trying again\n", r->spec, rc);
				said = 1;
				status(r, 1);
				if (pause_ms(r, backoff))
					break;
				backoff = backoff * 2 > READER_BACKOFF_MAX_MS ? READER_BACKOFF_MAX_MS
									      : backoff * 2;
				continue;
			}
			backoff = READER_BACKOFF_MIN_MS;
			said = 0;
			status(r, 0);
		}
		rc = ops->read(dev, READER_POLL_MS, uid);
		if (rc == HG_OK) {
			push(r, uid);
		} else if (rc == HG_EIO) {
			fprintf(stderr, "kiosk: card reader '%s' lost; opening it again\n", r->spec);
			ops->close(dev);
			dev = NULL;
			status(r, 1);
		}
		/* HG_EBUSY: no card yet; HG_EINVAL: a bad line, skipped */
	}
	if (dev)
		ops->close(dev);
	return 0;
}

int reader_start(struct reader **out, const char *spec, Uint32 ev_card, Uint32 ev_status)
{
	struct reader *r = calloc(1, sizeof *r);

	*out = NULL;
	if (!r)
		return HG_ENOMEM;
	snprintf(r->spec, sizeof r->spec, "%s", spec);
	r->ev_card = ev_card;
	r->ev_status = ev_status;
	r->offline = -1;
	atomic_init(&r->stop, 0);
	/* libnfc's nfc_init writes LIBNFC_LOG_LEVEL back into the environment
	 * on every open, on the reader thread.  Adding the variable there
	 * could move environ under another thread's getenv; made here, before
	 * the thread exists, later writes only replace its value.  0 quiets
	 * libnfc's per-frame noise, as drivers/nfc_libnfc.c would. */
	if (!getenv("LIBNFC_LOG_LEVEL"))
		setenv("LIBNFC_LOG_LEVEL", "0", 0);
	r->thread = SDL_CreateThread(reader_main, "nfc-reader", r);
	if (!r->thread) {
		free(r);
		return HG_EIO;
	}
	*out = r;
	return HG_OK;
}

void reader_stop(struct reader *r)
{
	if (!r)
		return;
	atomic_store(&r->stop, 1);
	SDL_WaitThread(r->thread, NULL);
	free(r);
}
