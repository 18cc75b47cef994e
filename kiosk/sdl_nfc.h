/* sdl_nfc.h: the card reader, on a thread of its own.
 *
 * The reader's read() blocks (up to a timeout), so it never runs on the UI
 * thread: a thread opens the backend the config names (drivers/nfc.h), reads
 * UIDs and pushes each one to the UI as an SDL user event; the UI thread
 * feeds it to the station as EV_CARD.  When the reader cannot be opened or is
 * lost, the thread says so with a status event and tries again with a growing
 * pause (0.25 s doubling up to 8 s). */
#ifndef SDL_NFC_H
#define SDL_NFC_H

#include <SDL.h>

#define READER_POLL_MS 100	/* longest wait inside read(): how soon a stop is seen */
#define READER_BACKOFF_MIN_MS 250
#define READER_BACKOFF_MAX_MS 8000

struct reader;

/* Start the reader thread on spec ("sim:var/nfc.fifo").  Each UID read is
 * pushed as an event of type ev_card whose user.data1 is a malloc'd copy of
 * the UID (the receiver frees it); each change of health as an event of type
 * ev_status with user.code 1 (offline) or 0 (online).  Returns HG_OK, or
 * HG_ENOMEM / HG_EIO when the thread cannot be started. */
int reader_start(struct reader **out, const char *spec, Uint32 ev_card, Uint32 ev_status);

/* Stop the thread (within READER_POLL_MS or one backoff slice) and close the
 * reader.  Safe with NULL. */
void reader_stop(struct reader *r);

/* Push a card event as the reader thread does: type ev_card, user.data1 a
 * malloc'd copy of uid that the receiver frees.  Any thread.  HG_OK,
 * HG_ENOMEM, or HG_EIO when SDL's queue refused it (SDL_GetError() says
 * why); on failure nothing is left to free. */
int kiosk_push_card(Uint32 type, const char *uid);

/* A function the reader thread calls after each event it pushed (NULL: none):
 * a UI thread that sleeps outside SDL (sdl_kiosk.c's poll() sleeper) must be
 * woken by it.  An SDL event watch cannot do that: SDL calls watches before
 * the event is in the queue, so the woken UI thread could find nothing, go
 * back to sleep, and leave the tap waiting up to a second.  Any thread may
 * set it (an atomic), but whatever fn touches must be ready before fn is set
 * and stay so until reader_stop() returns: set it before reader_start(),
 * clear it and free what it uses after reader_stop() (sdl_kiosk.h's
 * kiosk_init and kiosk_free do). */
void kiosk_set_wake(void (*fn)(void));

#endif
