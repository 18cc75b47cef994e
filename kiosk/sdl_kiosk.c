/* sdl_kiosk.c: SDL events in, core events out, frames drawn when they change.
 *
 * Every input takes one path, whatever made it: a finger (SDL turns touches
 * into mouse events), a mouse, xdotool under Xvfb, or a script
 * (sdl_script.c pushes mouse events into the same queue).  A button press
 * highlights the button under the finger at once; the release over the same
 * button is the press, handed to screens_press(), which says whether it is a
 * core event (fed to the station) or a change of the kiosk's own view.
 * SDL_FINGER* events are ignored so that a touch is not counted twice.
 *
 * Drawing is lazy: each time something may have changed (an event, a tick)
 * the frame is laid out again (cheap, no SDL) and hashed; it is drawn and
 * presented only when the hash differs from the frame on screen.  So a tick
 * on an idle screen costs a layout, and the discharge countdown redraws once
 * a second.  With HAULGATE_KIOSK_STATS each frame presented and each input
 * it shows are timed (sdl_stats.h).  Start reading at kiosk_handle(). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "sdl_kiosk.h"
#include "../core/report.h"
#include "../station/sync.h"

/* The demo cards of the README, on F1..F4 (windowed development only). */
static const char *const demo_cards[4] = {
	"04a1b2c3", "04b2c3d4e5f601", "04c3d4e5f60718293a4b", "0a0b0c01",
};

static int sleeper_start(void);
static void sleeper_stop(void);
static int sdl_can_wait(void);

hg_time kiosk_now(const struct kiosk *k)
{
	return k->clock.now ? k->clock.now(k->clock.ctx) : (hg_time)time(NULL);
}

hg_time kiosk_mono(const struct kiosk *k)
{
	struct timespec ts;

	if (k->clock.mono)
		return k->clock.mono(k->clock.ctx);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (hg_time)ts.tv_sec;
}

int kiosk_init(struct kiosk *k)
{
	Uint32 base;

	k->ui = calloc(1, sizeof *k->ui);
	k->spare = calloc(1, sizeof *k->spare);
	if (!k->ui || !k->spare)
		return HG_ENOMEM;
	base = SDL_RegisterEvents(2);
	if (base == (Uint32)-1)
		return HG_EIO;
	k->ev_card = base;
	k->ev_reader = base + 1;
	k->view.last_screen = SCR_COUNT;	/* the first frame starts the pages afresh */
	k->force = 1;
	k->kept_stale = 1;
	/* the live loop's own sleeper, made here, before the card reader's
	 * thread starts, because that thread wakes it (kiosk_set_wake) */
	k->own_sleep = k->live && !sdl_can_wait() && sleeper_start() == 0;
	return HG_OK;
}

void kiosk_free(struct kiosk *k)
{
	SDL_Event e;

	if (k->own_sleep)
		sleeper_stop();	/* the reader's thread has ended: no one pokes it */
	k->own_sleep = 0;
	/* card events still queued own their UID text */
	if (k->ev_card)
		while (SDL_PeepEvents(&e, 1, SDL_GETEVENT, k->ev_card, k->ev_card) == 1)
			free(e.user.data1);
	free(k->ui);
	free(k->spare);
	k->ui = k->spare = NULL;
}

/* ---- relays on stdout and in the title ---- */

static void relay_note(struct kiosk *k, const char *name, int on)
{
	int i;

	for (i = 0; i < k->n_relays; i++)
		if (strcmp(k->relay_name[i], name) == 0)
			break;
	if (i == k->n_relays) {
		if (k->n_relays >= KIOSK_MAX_RELAYS)
			return;
		snprintf(k->relay_name[i], sizeof k->relay_name[i], "%s", name);
		k->relay_on[i] = -1;
		k->n_relays++;
	}
	k->relay_on[i] = on;
}

/* Print "relays: gate=locked valve=closed" when it differs from the last
 * line printed, and put it in the window's title when windowed. */
void kiosk_report_relays(struct kiosk *k)
{
	char line[sizeof k->relay_line], title[sizeof line + 48];
	size_t n = 0;
	int i, w;

	line[0] = '\0';
	for (i = 0; i < k->n_relays; i++) {
		w = snprintf(line + n, sizeof line - n, "%s%s=%s", i ? " " : "", k->relay_name[i],
			     k->relay_on[i] < 0 ? "?" : relay_word(k->relay_name[i], k->relay_on[i]));
		if (w < 0 || (size_t)w >= sizeof line - n)
			break;
		n += (size_t)w;
	}
	if (strcmp(line, k->relay_line) == 0)
		return;
	memcpy(k->relay_line, line, sizeof line);
	printf("relays: %s\n", line);
	fflush(stdout);
	if (k->win && !k->fullscreen) {
		snprintf(title, sizeof title, "haulgate kiosk: %s", line);
		SDL_SetWindowTitle(k->win, title);
	}
}

void kiosk_watch(void *ctx, const struct action *a, int result, const struct session *f)
{
	struct kiosk *k = ctx;

	if (k->scn)
		scenario_watch(k->scn, a, result, f);
	switch (a->kind) {
	case ACT_RELAY:
		relay_note(k, a->name, result == HG_OK ? a->on : -1);
		break;
	case ACT_PRINT:
		k->view.printer_offline = result != HG_OK;
		/* only a failure or a reprint changes what is kept: the count reads
		 * the whole event log, not for every receipt that prints */
		if (result != HG_OK || a->copy || a->kept)
			k->kept_stale = 1;
		break;
	case ACT_MESSAGE:
		/* a job the printer gave up after taking it (CUPS: stopped, out of
		 * paper, gone): the printer is not printing, whatever print() said */
		if (a->reason == R_FAULT_PRINTER) {
			k->view.printer_offline = 1;
			k->kept_stale = 1;
		}
		break;
	case ACT_SHOW:
		if (a->screen == SCR_OPERATOR)
			k->kept_stale = 1;
		break;
	default:
		break;
	}
}

/* ---- feeding the station ---- */

/* Events that make the station do real work: a PIN check (Argon2id), a
 * commit (fsync).  The kiosk shows "please wait" while they run. */
static int slow(const struct kiosk *k, const struct session_event *ev)
{
	enum screen s = station_session(k->station)->screen;

	if (ev->kind != EV_PRESS)
		return 0;
	return ((s == SCR_PIN || s == SCR_OPERATOR_PIN) && strcmp(ev->button, "ok") == 0) ||
	       (s == SCR_CERTIFY && strcmp(ev->button, "certify") == 0);
}

int kiosk_feed(struct kiosk *k, struct session_event *ev)
{
	int rc;

	ev->now = kiosk_now(k);	/* both clocks, read as the event is made */
	ev->mono = kiosk_mono(k);
	if (slow(k, ev)) {
		/* checking a PIN or saving a load may take a moment on a small board:
		 * say so on screen before the work starts, not after */
		k->view.busy = 1;
		kiosk_redraw(k);
	}
	rc = station_feed(k->station, ev);
	k->view.busy = 0;
	k->frame_stale = 1;
	if (k->kept_stale) {
		/* asked here, not in the watch: the station is done with the store */
		long n = 0;
		int krc;

		k->kept_stale = 0;
		krc = station_kept_count(k->station, &n);
		if (krc != HG_OK)
			fprintf(stderr, "kiosk: cannot count the kept slips (error %d)\n", krc);
		k->view.kept = n;
		{
			struct station_notice sn[STATION_NOTICE_MAX];
			int nn = station_notices(k->station, sn, STATION_NOTICE_MAX);

			k->view.n_notices = 0;
			for (int i = 0; i < nn && i < (int)HG_ARRAY_LEN(k->view.notices); i++) {
				struct kiosk_notice *kn = &k->view.notices[k->view.n_notices++];

				kn->waiting = sn[i].kind == NOTICE_SAMPLE_WAITING;
				kn->load_no = sn[i].load_no;
				kn->when = sn[i].when;
			}
		}
		{
			struct station_sync ss;

			if (station_sync_view(k->station, ev->now, &ss) != HG_OK)
				fprintf(stderr, "kiosk: cannot read the sync state: %s\n",
					hg_error_text());
			k->view.sync_health = ss.health;
			k->view.sync_pending = ss.pending;
			k->view.sync_fork_seq = ss.fork_seq;
			k->view.sync_last = ss.last_success;
			/* the start screen says it too, past [sync] warn_after */
			k->view.network_down = ss.health == SYNC_H_WARN ||
					       ss.health == SYNC_H_OFFLINE;
		}
	}
	if (k->scn)
		scenario_seen(k->station, k->scn);
	if (rc != HG_OK)
		fprintf(stderr, "kiosk: the station could not carry out an event (error %d)\n", rc);
	return rc;
}

void kiosk_tick(struct kiosk *k)
{
	struct session_event ev = {0};
	hg_time mono = kiosk_mono(k);	/* once a second, whatever the wall clock does */

	if (mono == k->last_tick)
		return;
	k->last_tick = mono;
	ev.kind = EV_TICK;
	kiosk_feed(k, &ev);
}

static void card(struct kiosk *k, const char *uid)
{
	struct session_event ev = {0};

	if (k->live) {
		k->flash_until = SDL_GetTicks() + KIOSK_FLASH_MS;
		if (!k->flash_until)
			k->flash_until = 1;
	}
	ev.kind = EV_CARD;
	ev.text = uid;
	kiosk_feed(k, &ev);
}

/* A released button: what screens_press() makes of it. */
static void press(struct kiosk *k, const char *id)
{
	struct session_event ev;
	char buf[64];

	switch (screens_press(&k->view, station_session(k->station), id, &ev, buf)) {
	case PRESS_EVENT:
		kiosk_feed(k, &ev);
		break;
	case PRESS_VIEW:
		k->frame_stale = 1;
		break;
	default:
		break;
	}
}

/* ---- pointer ---- */

/* Window coordinates to frame px (they differ on a high-DPI output). */
static void to_frame(const struct kiosk *k, int *x, int *y)
{
	int ww, wh, fw, fh;

	SDL_GetWindowSize(k->win, &ww, &wh);
	render_output_size(k->rd, &fw, &fh);
	if (ww > 0 && wh > 0 && (ww != fw || wh != fh)) {
		*x = (int)((long)*x * fw / ww);
		*y = (int)((long)*y * fh / wh);
	}
}

static void to_window(const struct kiosk *k, int *x, int *y)
{
	int ww, wh, fw, fh;

	SDL_GetWindowSize(k->win, &ww, &wh);
	render_output_size(k->rd, &fw, &fh);
	if (fw > 0 && fh > 0 && (ww != fw || wh != fh)) {
		*x = (int)((long)*x * ww / fw);
		*y = (int)((long)*y * wh / fh);
	}
}

static void pointer_down(struct kiosk *k, int x, int y)
{
	const char *id;

	/* a press queued behind one that changed the screen (a quick second
	 * tap, handled in the same batch of events) is hit-tested against the
	 * screen it was made on, not the one before it */
	if (k->frame_stale)
		kiosk_redraw(k);
	to_frame(k, &x, &y);
	id = ui_hit(k->ui, x, y);
	if (!id) {
		kstats_drop(k->stats, KSTATS_DOWN);	/* a press on no button shows nothing */
		return;
	}
	snprintf(k->pressed, sizeof k->pressed, "%s", id);
	kiosk_redraw(k);	/* the highlight, now: feedback within a frame */
}

/* Sliding off the button takes the press back. */
static void pointer_move(struct kiosk *k, int x, int y)
{
	const char *id;

	to_frame(k, &x, &y);
	id = ui_hit(k->ui, x, y);
	if (id && strcmp(id, k->pressed) == 0)
		return;
	k->pressed[0] = '\0';
	kiosk_redraw(k);
}

static void pointer_up(struct kiosk *k, int x, int y)
{
	char id[UI_ID];
	const char *hit;

	if (!k->pressed[0]) {
		kstats_drop(k->stats, KSTATS_UP);
		return;
	}
	to_frame(k, &x, &y);
	hit = ui_hit(k->ui, x, y);
	snprintf(id, sizeof id, "%s", k->pressed);
	k->pressed[0] = '\0';
	if (hit && strcmp(hit, id) == 0)
		press(k, id);
}

static void key(struct kiosk *k, const SDL_KeyboardEvent *e)
{
	SDL_Keycode sym = e->keysym.sym;

	if (sym == SDLK_BACKSPACE) {
		press(k, "backspace");
		return;
	}
	if (k->demo_keys && !e->repeat && sym >= SDLK_F1 && sym <= SDLK_F4)
		card(k, demo_cards[sym - SDLK_F1]);
}

void kiosk_handle(struct kiosk *k, const SDL_Event *e)
{
	struct session_event ev = {0};

	switch (e->type) {
	case SDL_MOUSEBUTTONDOWN:
		if (e->button.button == SDL_BUTTON_LEFT) {
			kstats_input(k->stats, KSTATS_DOWN, e);
			pointer_down(k, e->button.x, e->button.y);
		}
		return;
	case SDL_MOUSEBUTTONUP:
		if (e->button.button == SDL_BUTTON_LEFT) {
			kstats_input(k->stats, KSTATS_UP, e);
			pointer_up(k, e->button.x, e->button.y);
		}
		return;
	case SDL_MOUSEMOTION:
		if (k->pressed[0] && (e->motion.state & SDL_BUTTON_LMASK))
			pointer_move(k, e->motion.x, e->motion.y);
		return;
	case SDL_TEXTINPUT:
		ev.kind = EV_TYPE;
		ev.text = e->text.text;
		kiosk_feed(k, &ev);
		return;
	case SDL_KEYDOWN:
		key(k, &e->key);
		return;
	case SDL_WINDOWEVENT:
		if (e->window.event == SDL_WINDOWEVENT_EXPOSED ||
		    e->window.event == SDL_WINDOWEVENT_SIZE_CHANGED ||
		    e->window.event == SDL_WINDOWEVENT_SHOWN ||
		    e->window.event == SDL_WINDOWEVENT_RESTORED)
			k->force = 1;
		return;
	case SDL_RENDER_TARGETS_RESET:
	case SDL_RENDER_DEVICE_RESET:
		render_reset(k->rd);
		k->force = 1;
		return;
	case SDL_QUIT:
		*k->quit = 1;
		return;
	default:
		break;
	}
	if (e->type == k->ev_card) {
		char *uid = e->user.data1;

		kstats_input(k->stats, KSTATS_CARD, e);
		if (uid)
			card(k, uid);
		free(uid);
	} else if (e->type == k->ev_reader) {
		k->view.reader_offline = e->user.code != 0;
	}
}

/* ---- speech ---- */

/* Read the screen aloud when speech is on and the screen, its message, the
 * language or the large-text switch changed since it was last read (or speech
 * was just turned on). */
static void speak(struct kiosk *k, const struct session *f)
{
	char now[64], text[2048];

	if (!k->view.speech) {
		k->spoken[0] = '\0';
		return;
	}
	snprintf(now, sizeof now, "%d/%d/%d/%d", (int)f->screen, (int)f->message, (int)f->lang,
		 k->view.large_text);
	if (strcmp(now, k->spoken) == 0)
		return;
	memcpy(k->spoken, now, sizeof now);
	/* the sound device is opened only when someone asks for speech */
	if (!k->speech && !k->speech_failed) {
		int rc = speech_open(&k->speech, k->speech_mode ? k->speech_mode : "off");

		if (rc != HG_OK || !k->speech) {
			k->speech_failed = 1;
			if (rc != HG_OK)
				fprintf(stderr, "kiosk: no speech ('%s', error %d)\n",
					k->speech_mode ? k->speech_mode : "off", rc);
			return;
		}
	}
	screens_speech(f, &k->view, text, sizeof text);
	if (speech_say(k->speech, text, f->lang) != HG_OK)
		fprintf(stderr, "kiosk: speech failed\n");
}

/* ---- drawing ---- */

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--) {
		h ^= *b++;
		h *= 1099511628211ULL;
	}
	return h;
}

/* What the frame shows and where its buttons are, as one number. */
static uint64_t frame_hash(const struct ui *ui)
{
	uint64_t h = 14695981039346656037ULL;
	int i;

	h = fnv(h, &ui->w, sizeof ui->w);
	h = fnv(h, &ui->h, sizeof ui->h);
	for (i = 0; i < ui->n_cmds; i++) {
		const struct ui_cmd *c = &ui->cmds[i];
		uint32_t v[9] = {(uint32_t)c->kind, (uint32_t)c->r.x, (uint32_t)c->r.y,
				 (uint32_t)c->r.w, (uint32_t)c->r.h,
				 (uint32_t)c->c.r << 24 | (uint32_t)c->c.g << 16 |
				 (uint32_t)c->c.b << 8 | c->c.a,
				 (uint32_t)c->thick, (uint32_t)c->font, (uint32_t)c->px};

		h = fnv(h, v, sizeof v);
		if (c->kind == UI_TEXT && c->text)
			h = fnv(h, c->text, strlen(c->text) + 1);
	}
	for (i = 0; i < ui->n_buttons; i++) {
		h = fnv(h, ui->buttons[i].id, strlen(ui->buttons[i].id) + 1);
		h = fnv(h, &ui->buttons[i].r, sizeof ui->buttons[i].r);
	}
	return h ? h : 1;
}

/* The buttons of the frame on screen, for a test driving the kiosk from
 * outside (xdotool): "screen <id> <w> <h>", then "button <id> <x> <y> <w> <h>"
 * a line each, then "clock <x> <y> <w> <h>" where the strip shows the time.  Written to a temporary file and renamed, so a reader never
 * sees half of it. */
static void dump_layout(const struct kiosk *k, const struct session *f)
{
	char tmp[4096];
	FILE *out;
	int i, bad;

	if (snprintf(tmp, sizeof tmp, "%s.tmp", k->layout_path) >= (int)sizeof tmp)
		return;
	out = fopen(tmp, "w");
	if (!out)
		return;
	fprintf(out, "screen %s %d %d\n", screen_id(f->screen), k->ui->w, k->ui->h);
	for (i = 0; i < k->ui->n_buttons; i++) {
		const struct ui_button *b = &k->ui->buttons[i];

		fprintf(out, "button %s %d %d %d %d\n", b->id, b->r.x, b->r.y, b->r.w, b->r.h);
	}
	if (k->view.clock_r.w > 0)	/* the strip's clock: a test masks it */
		fprintf(out, "clock %d %d %d %d\n", k->view.clock_r.x, k->view.clock_r.y,
			k->view.clock_r.w, k->view.clock_r.h);
	bad = ferror(out);
	if (fclose(out) != 0 || bad || rename(tmp, k->layout_path) != 0)
		remove(tmp);
}

int kiosk_redraw(struct kiosk *k)
{
	struct ui *ui = k->spare, *t;
	const struct session *f = station_session(k->station);
	uint64_t h, t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4;
	int rc = 1;

	if (k->stats)
		t0 = kstats_now();
	kiosk_report_relays(k);
	render_output_size(k->rd, &ui->w, &ui->h);
	ui->px_per_mm = panel_px_per_mm(&k->panel, ui->w, ui->h);
	ui->measure = render_measure;
	ui->measure_ctx = k->rd;
	snprintf(ui->pressed, sizeof ui->pressed, "%s", k->pressed);
	k->view.now = kiosk_now(k);
	screens_draw(ui, f, k->cfg, &k->view);
	speak(k, f);
	if (k->flash_until && !SDL_TICKS_PASSED(SDL_GetTicks(), k->flash_until))
		ui_border(ui, (struct ui_rect){0, 0, ui->w, ui->h}, UI_PRESSED, ui->gap);
	else
		k->flash_until = 0;
	h = frame_hash(ui);
	k->frame_stale = 0;	/* k->ui is this frame, or one just like it */
	if (!k->force && !k->snap_path && h == k->shown) {
		kstats_drop(k->stats, KSTATS_NINPUT);	/* what was handled changed nothing */
		return 0;
	}
	if (ui->overflow && h != k->shown)
		fprintf(stderr, "kiosk: screen %s at %dx%d does not fit: %s\n", screen_id(f->screen),
			ui->w, ui->h, ui->overflow_what);
	if (k->stats)
		t1 = kstats_now();
	if (render_frame(k->rd, ui) != HG_OK)
		fprintf(stderr, "kiosk: drawing failed: %s\n", SDL_GetError());
	if (k->stats)
		t2 = kstats_now();
	if (k->snap_path) {
		k->snap_rc = render_save_png(k->rd, k->snap_path);
		if (k->snap_rc != HG_OK)
			rc = k->snap_rc;
		k->snap_path = NULL;
	}
	if (k->stats)
		t3 = kstats_now();
	SDL_RenderPresent(SDL_GetRenderer(k->win));
	if (k->stats) {
		t4 = kstats_now();
		kstats_frame(k->stats, screen_id(f->screen), t1 - t0, t2 - t1, t4 - t3, t4);
	}
	t = k->ui;
	k->ui = ui;
	k->spare = t;
	k->shown = h;
	k->force = 0;
	k->frames++;
	if (k->layout_path)
		dump_layout(k, f);
	return rc;
}

int kiosk_pump(struct kiosk *k)
{
	SDL_Event e;

	while (SDL_PollEvent(&e))
		kiosk_handle(k, &e);
	return kiosk_redraw(k);
}

/* Milliseconds until the monotonic clock's next whole second (at least 1):
 * the tick that moves the discharge countdown. */
static int ms_to_next_second(void)
{
	struct timespec ts;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = 1000 - ts.tv_nsec / 1000000;
	return ms < 1 ? 1 : (int)ms + 1;
}

/* ---- sleeping without a display server ----
 *
 * Under x11 and wayland SDL_WaitEventTimeout() sleeps until an event comes.
 * With the offscreen, dummy and KMSDRM drivers SDL 2.26 cannot wait: it polls
 * its queue every millisecond (about 3 % of a core doing nothing).  There the
 * kiosk sleeps in poll() itself, on what can bring an event: its own copy of
 * every input device (/dev/input/event*, read and thrown away: SDL reads its
 * own copy) and a pipe the card-reader thread writes to after each event it
 * pushes (kiosk_set_wake).  Not an SDL event watch: SDL calls watches before
 * the event is queued, and a UI thread woken that early found nothing and
 * slept on with the tap in the queue (up to a second: `make bench` saw it).
 * The devices are looked for again every few seconds, so a touchscreen
 * plugged in later is heard.  The pipe is made by kiosk_init(), before the
 * reader's thread starts, and closed by kiosk_free(), after it ended: the
 * thread reads sleeper.wake[1] with no lock, so it must never change while
 * the thread runs (ThreadSanitizer caught it made and closed by kiosk_run,
 * while the reader could be writing to it). */

#define MAX_INPUTS 32
#define RESCAN_MS 5000

struct sleeper {
	int wake[2];			/* the pipe; -1 when not in use */
	int n;
	int fds[MAX_INPUTS];
	Uint32 scanned;
};

static struct sleeper sleeper = {{-1, -1}, 0, {0}, 0};

/* The reader thread's wake-up (any thread). */
static void sleeper_poke(void)
{
	ssize_t n = sleeper.wake[1] >= 0 ? write(sleeper.wake[1], "", 1) : 0;

	(void)n;	/* a full pipe (EAGAIN) wakes the sleeper already */
}

static void scan_inputs(void)
{
	DIR *d;
	struct dirent *de;

	for (int i = 0; i < sleeper.n; i++)
		close(sleeper.fds[i]);
	sleeper.n = 0;
	sleeper.scanned = SDL_GetTicks();
	d = opendir("/dev/input");
	if (!d)
		return;
	while ((de = readdir(d)) && sleeper.n < MAX_INPUTS) {
		char path[300];
		int fd;

		if (strncmp(de->d_name, "event", 5) != 0)
			continue;
		snprintf(path, sizeof path, "/dev/input/%s", de->d_name);
		fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			sleeper.fds[sleeper.n++] = fd;
	}
	closedir(d);
}

static void sleeper_stop(void)
{
	kiosk_set_wake(NULL);
	for (int i = 0; i < sleeper.n; i++)
		close(sleeper.fds[i]);
	sleeper.n = 0;
	for (int i = 0; i < 2; i++)
		if (sleeper.wake[i] >= 0) {
			close(sleeper.wake[i]);
			sleeper.wake[i] = -1;
		}
}

/* Before the reader's thread starts (kiosk_init). */
static int sleeper_start(void)
{
	if (pipe(sleeper.wake) != 0)
		return -1;
	for (int i = 0; i < 2; i++)
		if (fcntl(sleeper.wake[i], F_SETFL, O_NONBLOCK) != 0 ||
		    fcntl(sleeper.wake[i], F_SETFD, FD_CLOEXEC) != 0) {
			sleeper_stop();
			return -1;
		}
	kiosk_set_wake(sleeper_poke);
	scan_inputs();
	return 0;
}

/* Sleep until something may have brought an event, or ms pass. */
static void sleep_for_input(int ms)
{
	struct pollfd p[MAX_INPUTS + 1];
	char junk[512];
	int n = 0;

	if (SDL_GetTicks() - sleeper.scanned > RESCAN_MS)
		scan_inputs();
	p[n++] = (struct pollfd){.fd = sleeper.wake[0], .events = POLLIN};
	for (int i = 0; i < sleeper.n; i++)
		p[n++] = (struct pollfd){.fd = sleeper.fds[i], .events = POLLIN};
	if (poll(p, (nfds_t)n, ms) <= 0)
		return;		/* time, or a signal: the loop looks at both */
	for (int i = 0; i < n; i++) {
		if (p[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			sleeper.scanned = 0;	/* a device went away: look again */
		if (p[i].revents & POLLIN)
			while (read(p[i].fd, junk, sizeof junk) > 0)
				;
	}
}

/* Can this video driver sleep in SDL_WaitEventTimeout()? */
static int sdl_can_wait(void)
{
	const char *d = SDL_GetCurrentVideoDriver();

	return d && (strcmp(d, "x11") == 0 || strcmp(d, "wayland") == 0);
}

int kiosk_run(struct kiosk *k)
{
	SDL_Event e;
	int wait;

	while (!*k->quit) {
		kiosk_tick(k);
		kiosk_redraw(k);
		wait = ms_to_next_second();
		if (k->flash_until) {
			Sint32 left = (Sint32)(k->flash_until - SDL_GetTicks());

			if (left < wait)
				wait = left < 1 ? 1 : left;
		}
		if (k->own_sleep) {
			if (!SDL_PollEvent(&e)) {
				sleep_for_input(wait);
				if (!SDL_PollEvent(&e))
					continue;
			}
		} else if (!SDL_WaitEventTimeout(&e, wait)) {
			continue;
		}
		kiosk_handle(k, &e);
		while (!*k->quit && SDL_PollEvent(&e))
			kiosk_handle(k, &e);
	}
	return 0;
}

/* ---- input made by a script or a thread ---- */

int kiosk_push_tap(struct kiosk *k, int x, int y)
{
	SDL_Event e;
	Uint32 win = SDL_GetWindowID(k->win);

	to_window(k, &x, &y);
	memset(&e, 0, sizeof e);
	e.motion.type = SDL_MOUSEMOTION;
	e.motion.timestamp = SDL_GetTicks();
	e.motion.windowID = win;
	e.motion.x = x;
	e.motion.y = y;
	if (SDL_PushEvent(&e) != 1)
		return HG_EIO;
	memset(&e, 0, sizeof e);
	e.button.type = SDL_MOUSEBUTTONDOWN;
	e.button.timestamp = SDL_GetTicks();
	e.button.windowID = win;
	e.button.button = SDL_BUTTON_LEFT;
	e.button.state = SDL_PRESSED;
	e.button.clicks = 1;
	e.button.x = x;
	e.button.y = y;
	if (SDL_PushEvent(&e) != 1)
		return HG_EIO;
	e.button.type = SDL_MOUSEBUTTONUP;
	e.button.state = SDL_RELEASED;
	if (SDL_PushEvent(&e) != 1)
		return HG_EIO;
	return HG_OK;
}
