/* sdl_stats.h: timings of the running kiosk, written to a file when asked.
 *
 * HAULGATE_KIOSK_STATS=FILE makes the kiosk write one line to FILE (made
 * anew) for each frame it presents and for each input whose effect a frame
 * shows, so that the figures of `make bench` come from the real program, and
 * so that the same figures can be taken on the station's own board.  Times
 * are CLOCK_MONOTONIC; the lines (docs/KIOSK.md, "Figures"):
 *
 *   start <ns>                              main() entered, clock in ns
 *   video <driver> <renderer> <w>x<h>       once, after the window is made
 *   first_frame <ns> <us since start>       the first frame was presented
 *   frame <screen> <layout_us> <draw_us> <present_us>
 *   input <down|up|card> <us>               queued -> presented effect
 *   exit frames <n> rss_peak_kb <kb> cpu_us <us>
 *
 * An input is timed from the moment it entered SDL's queue (an event watch:
 * the touch driver's, a script's or the card reader thread's SDL_PushEvent)
 * to the SDL_RenderPresent() of the first frame drawn after it was handled:
 * for a press that is the highlight, for a release the next screen, for a
 * card the flash.  An input after which nothing changes on screen is not
 * counted.  A frame's time is the layout, the drawing and the present; a
 * snap's PNG is not in it.  Off (NULL) unless the variable names a file:
 * every function is then a no-op. */
#ifndef SDL_STATS_H
#define SDL_STATS_H

#include <stdint.h>
#include <SDL.h>

struct kstats;

enum kstats_input { KSTATS_DOWN = 0, KSTATS_UP, KSTATS_CARD, KSTATS_NINPUT };

/* CLOCK_MONOTONIC in ns. */
uint64_t kstats_now(void);

/* Open path for writing (replaced) and write the start line with t_main.
 * Returns NULL when path is NULL or empty, or the file cannot be made
 * (said on stderr). */
struct kstats *kstats_open(const char *path, uint64_t t_main);

/* After SDL_Init: watch SDL's queue for the left mouse button and for events
 * of type card (the card reader's user event).  Note the video driver, the
 * renderer and the frame size.  Returns 0 or -1 (no mutex). */
int kstats_start(struct kstats *st, Uint32 card, const char *video, const char *renderer, int w,
		 int h);

/* The UI thread is handling e, an input of that kind: its effect is due in
 * the next frame presented. */
void kstats_input(struct kstats *st, enum kstats_input kind, const SDL_Event *e);

/* The inputs of that kind being handled changed nothing (KSTATS_NINPUT:
 * none of them did): forget them. */
void kstats_drop(struct kstats *st, enum kstats_input kind);

/* A frame of screen was presented at t_present; its three parts in ns. */
void kstats_frame(struct kstats *st, const char *screen, uint64_t layout, uint64_t draw,
		  uint64_t present, uint64_t t_present);

/* Write the exit line, stop watching, close the file.  Safe with NULL. */
void kstats_close(struct kstats *st);

#endif
