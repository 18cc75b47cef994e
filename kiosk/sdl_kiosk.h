/* sdl_kiosk.h: the running kiosk: one window over one station.
 *
 * struct kiosk ties the station (core + store + drivers) to the window: SDL
 * events come in through kiosk_handle(), which turns them into core events
 * (through screens_press() for buttons) and feeds them to the station; the
 * frame is laid out by screens_draw() and drawn by sdl_render.c only when it
 * differs from the one on screen.  The live loop (kiosk_run) and the script
 * runner (sdl_script.c) drive the same handlers: a scripted tap is an SDL
 * mouse event like a finger's.  Only the kiosk's SDL files include this. */
#ifndef SDL_KIOSK_H
#define SDL_KIOSK_H

#include <signal.h>
#include <SDL.h>
#include "panel.h"
#include "screens.h"
#include "sdl_nfc.h"
#include "sdl_render.h"
#include "sdl_stats.h"
#include "speech.h"
#include "../scenario/scenario.h"

#define KIOSK_MAX_RELAYS 8
#define KIOSK_FLASH_MS 400	/* the frame around the screen after a card tap */

/* Where "now" comes from: the real clocks, or a script's clocks.  now: the
 * wall clock (stamps records); mono: the monotonic clock (durations). */
struct kiosk_clock {
	hg_time (*now)(void *ctx);
	hg_time (*mono)(void *ctx);
	void *ctx;
};

struct kiosk {
	/* set by the caller before kiosk_init() */
	const struct config *cfg;
	struct station *station;	/* borrowed */
	SDL_Window *win;
	struct render *rd;
	struct panel panel;		/* the screen's size: px per mm (kiosk/panel.h) */
	int fullscreen;			/* the window is the whole screen */
	int demo_keys;			/* F1-F4 tap the demo cards (--windowed only) */
	int live;			/* ticks from the clock each second (not in a script) */
	struct kiosk_clock clock;
	struct scn_state *scn;		/* a script's state, or NULL */
	volatile sig_atomic_t *quit;	/* set by a signal handler; the loop ends */
	const char *speech_mode;	/* speech.h's mode; opened when speech is first on */
	struct speech *speech;		/* NULL: not opened (yet) */
	int speech_failed;		/* could not be opened: silent, said once */
	const char *layout_path;	/* write each drawn frame's buttons here (tests) */
	struct kstats *stats;		/* HAULGATE_KIOSK_STATS, or NULL */

	/* SDL user events (SDL_RegisterEvents) */
	Uint32 ev_card;			/* data1: malloc'd UID text, the handler frees it */
	Uint32 ev_reader;		/* code: 1 reader offline, 0 online */

	/* state */
	struct kiosk_view view;
	struct ui *ui;			/* the frame on screen: hit tests use it */
	struct ui *spare;		/* the next frame is laid out here */
	uint64_t shown;			/* hash of the frame on screen (0: none yet) */
	int force;			/* draw the next frame even if it looks the same */
	char pressed[UI_ID];		/* button under the finger, "" none */
	hg_time last_tick;		/* monotonic second of the last tick */
	Uint32 flash_until;		/* SDL_GetTicks() when the card flash ends; 0 none */
	const char *snap_path;		/* save the next drawn frame here (then NULL) */
	int snap_rc;			/* HG_OK or the error of the last snap */
	int frames;			/* frames drawn, for tests and figures */
	int n_relays;
	char relay_name[KIOSK_MAX_RELAYS][32];
	int relay_on[KIOSK_MAX_RELAYS];
	char relay_line[512];		/* the relays as last printed */
	int kept_stale;			/* a print or the operator menu: ask the station
					 * for view.kept after the event */
	int frame_stale;		/* something was handled since the frame on screen
					 * was laid out: lay it out again before a hit test */
	char spoken[64];		/* what was last read aloud: screen, message, language */
	int own_sleep;			/* the live loop sleeps in poll(), not in SDL */
};

/* Set up k after the caller filled the first group of fields: allocates the
 * two frames, registers the user events and, live under a video driver SDL
 * cannot sleep in (offscreen, KMSDRM), makes the live loop's sleeper, which
 * the card reader's thread wakes (kiosk_set_wake).  So: after the video is
 * open, before reader_start().  Returns HG_OK or HG_ENOMEM/HG_EIO. */
int kiosk_init(struct kiosk *k);

/* Undo kiosk_init, freeing the card events still queued.  After
 * reader_stop(): the sleeper it closes is the reader thread's to wake. */
void kiosk_free(struct kiosk *k);

/* The station's watch callback (ctx: the struct kiosk): hands the action to
 * the script's watch if any, prints the relays when they change, notes the
 * printer's health and that the count of kept slips may have changed. */
void kiosk_watch(void *ctx, const struct action *a, int result, const struct session *f);

/* Print "relays: gate=locked valve=closed" on stdout (and in the window's
 * title when windowed) if it changed since it was last printed. */
void kiosk_report_relays(struct kiosk *k);

/* One SDL event: mouse button down/up/motion on buttons, text input, keys,
 * the user events, window and quit events. */
void kiosk_handle(struct kiosk *k, const SDL_Event *e);

/* A tick at the clock's now, once per second of it (live mode). */
void kiosk_tick(struct kiosk *k);

/* Lay out the current screen; draw and present it when it differs from the
 * one on screen (or k->force, or a snap is asked).  Returns 1 drawn, 0 not
 * needed, or a negative HG_E* code (a snap failed: hg_error_text() says
 * why). */
int kiosk_redraw(struct kiosk *k);

/* Handle every queued event, then redraw if needed.  Never waits. */
int kiosk_pump(struct kiosk *k);

/* The live loop: sleep in SDL_WaitEventTimeout until an event or the next
 * whole second, until SDL_QUIT or *k->quit.  Returns 0. */
int kiosk_run(struct kiosk *k);

/* The clock's now (wall) and mono (monotonic). */
hg_time kiosk_now(const struct kiosk *k);
hg_time kiosk_mono(const struct kiosk *k);

/* Feed one core event at now through the station.  For EV_CARD ev->text is
 * the UID.  Returns what station_feed() returned. */
int kiosk_feed(struct kiosk *k, struct session_event *ev);

/* Push a tap at (x, y) in frame px: motion, button down, button up, as SDL
 * mouse events into the queue (not handled yet). */
int kiosk_push_tap(struct kiosk *k, int x, int y);
/* kiosk_push_card(), the card event the reader thread pushes: sdl_nfc.h. */

#endif
