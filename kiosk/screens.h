/* screens.h: what each screen of the kiosk shows, and what its buttons do.
 *
 * screens_draw() lays out the current screen of the core's session (and the
 * kiosk's own bits: keyboard page, review page, banners) into a struct ui.
 * screens_press() turns a released button into what happens next: a core
 * event (EV_PRESS with the core's button id, EV_TYPE for a key of the on-screen
 * keyboard or keypad) or a change of the kiosk's own view (the keyboard's page,
 * the review's page, speech, large text: "kiosk:..." buttons).  No SDL here; the
 * strings come from the translation files through i18n_text(). */
#ifndef SCREENS_H
#define SCREENS_H

#include "../core/session.h"
#include "ui.h"

/* The kiosk's own state, beside the core's session. */
struct kiosk_view {
	enum screen last_screen;	/* to reset pages when the screen changes */
	int page;			/* review: first line shown */
	int more;			/* review: lines left after the page */
	enum kb_mode kb;
	int speech;			/* speak prompts and errors */
	int large_text;			/* the start screen's switch: the type size
					 * UI_LARGE_TEXT until the session ends */
	int large_offered;		/* the last frame's window offers it
					 * (ui_large_text_offered()) */
	int busy;			/* the station is working: show "please wait" */
	/* station health, shown on the operator screen and as fault banners */
	int reader_offline;
	int printer_offline;
	int network_down;		/* the plant not reached for [sync] warn_after */
	/* the sync with the plant (station_sync_view()): shown on the operator
	 * screen; health is an enum sync_health (core/sync_health.h) */
	int sync_health;
	long long sync_pending;		/* events not yet at the plant */
	long long sync_fork_seq;	/* the plant holds another event here */
	hg_time sync_last;		/* last round that went well; 0 never */
	long kept;			/* slips the printer could not print (the station's count) */
	/* what the station's start found left open (station_notices()): a
	 * discharge closed as interrupted, a load waiting for its sample */
	int n_notices;
	struct kiosk_notice {
		int waiting;		/* 1: waits for a sample; 0: discharge interrupted */
		long long load_no;
		hg_time when;		/* interrupted: when the station was last alive */
	} notices[8];
	hg_time now;
	struct ui_rect clock_r;		/* where screens_draw() put the strip's clock
					 * (w 0: none on this screen) */
};

/* Lay out screen f->screen into ui (ui_begin/ui_end included).  0, or
 * HG_ENOTFOUND (hg_fail: "screen '<id>' has no drawer") when the kiosk has
 * no drawer for it: a bug, the frame is then empty but for "please wait". */
int screens_draw(struct ui *ui, const struct session *f, const struct config *cfg,
		 struct kiosk_view *v);

enum press_result {
	PRESS_NONE = 0,		/* nothing to do */
	PRESS_VIEW,		/* the kiosk's view changed: redraw */
	PRESS_EVENT		/* ev is a core event to feed (text in buf) */
};

/* A button was released.  For PRESS_EVENT, ev is filled (ev->button points
 * into id or ev->text into buf[64]). */
enum press_result screens_press(struct kiosk_view *v, const struct session *f, const char *id,
				struct session_event *ev, char buf[64]);

/* The text that speech reads for the current screen (prompt, then the
 * message if any, then on the start screens the large-text switch and how it
 * stands, where v->large_offered), in the session's language, into buf[cap]. */
void screens_speech(const struct session *f, const struct kiosk_view *v, char *buf, size_t cap);

#endif
