/* sdl_main.c: build/haulgate-kiosk, the touchscreen at the gate.
 *
 *   haulgate-kiosk [--config FILE] [--db PATH] [--windowed WxH]
 *                  [--script FILE] [--snap-dir DIR] [--speech MODE]
 *
 * main() starts as the CLI does, through station/boot.c (defaults, then
 * --config or ./station.ini, --db, the time zone, the database with the
 * station id settled, the station key and the PIN key), then opens the
 * station, which puts every relay in its safe state before anything else,
 * even before a window exists.  The station's devices open through
 * station/devices.c, whose fail-safe hook (every relay off) runs on every
 * way out: exit() through atexit and a fatal signal (best effort, then the
 * signal is raised again; what makes a crash safe at the gate is the relay
 * module's watchdog).  SIGINT/SIGTERM/SIGHUP set a flag the loop sees
 * (devices_catch_stops), and the normal end closes the station.
 *
 * Then SDL: a desktop-fullscreen window without a cursor (or a plain window
 * with --windowed or the config's fullscreen = no), a renderer (SDL's
 * software one unless the config's renderer or SDL_RENDER_DRIVER says
 * otherwise), the fonts, the card reader thread, and either the live loop
 * (sdl_kiosk.c) or a script (sdl_script.c).  The config's [kiosk] section
 * gives the defaults; the command line wins over it.  HAULGATE_KIOSK_STATS
 * names a file for the kiosk's timings (sdl_stats.h).  Exit status: 0 done,
 * 1 failed (or an expect of the script failed), 2 wrong command line or
 * script syntax.  Start reading at main(). */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <sodium.h>
#include <SDL_image.h>
#include <SDL_ttf.h>
#include "sdl_kiosk.h"
#include "sdl_nfc.h"
#include "sdl_script.h"
#include "../core/receipt.h"
#include "../core/report.h"
#include "../core/text.h"
#include "../host/po_file.h"
#include "../station/boot.h"
#include "../station/devices.h"

struct options {
	const char *config, *db, *script, *snap_dir, *speech;
	int windowed, win_w, win_h;	/* --windowed WxH */
};

#define CFG_WINDOW_W 1280	/* the window of the config's fullscreen = no */
#define CFG_WINDOW_H 800

static const char usage_text[] =
	"usage: haulgate-kiosk [--config FILE] [--db PATH] [--windowed WxH]\n"
	"                      [--script FILE] [--snap-dir DIR] [--speech MODE]\n"
	"\n"
	"The station's touchscreen.  Fullscreen without a cursor unless --windowed\n"
	"(then F1-F4 tap the demo cards).  --script runs a kiosk script (docs/KIOSK.md)\n"
	"as real input and exits: 0 every expect held, 1 one failed, 2 syntax.\n"
	"SDL_VIDEODRIVER=offscreen SDL_RENDER_DRIVER=software run it without a display.\n"
	"--speech play|wav:DIR|off: how the speech button reads screens aloud\n"
	"(default: the config's speech_output, play; off with --script).\n"
	"The config's [kiosk] section sets speech, the renderer and fullscreen.\n";

/* ---- the way out ---- */

static struct kiosk g_k;
static struct station *g_station;
static volatile sig_atomic_t g_quit;	/* SIGINT, SIGTERM, SIGHUP: the loop ends */

/* The station closed (every relay off), once.  Every other way out (exit(),
 * a fatal signal) is station/devices.c's fail-safe hook. */
static void close_station(void)
{
	struct station *s = g_station;

	g_station = NULL;
	g_k.station = NULL;
	if (s)
		station_close(s, (hg_time)time(NULL));
}

/* ---- the command line ---- */

static int usage(const char *fmt, const char *arg)
{
	fputs("usage error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	return 2;
}

/* "1280x800" into *w, *h (each 200 to 10000). */
static int parse_size(const char *s, int *w, int *h)
{
	char num[16];
	const char *x = strchr(s, 'x');
	long a, b;

	if (!x || (size_t)(x - s) >= sizeof num)
		return -1;
	memcpy(num, s, (size_t)(x - s));
	num[x - s] = '\0';
	if (text_parse_long(num, 200, 10000, &a) != HG_OK ||
	    text_parse_long(x + 1, 200, 10000, &b) != HG_OK)
		return -1;
	*w = (int)a;
	*h = (int)b;
	return 0;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const char *const names[] = {"config", "db", "windowed", "script", "snap-dir",
					    "speech"};
	const char **slots[] = {&o->config, &o->db, NULL, &o->script, &o->snap_dir, &o->speech};
	const char *windowed = NULL;
	int i;
	size_t k;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val, *eq;
		size_t len;

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (strncmp(a, "--", 2) != 0)
			return usage("unexpected argument '%s'", a);
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		for (k = 0; k < HG_ARRAY_LEN(names); k++)
			if (strlen(names[k]) == len && !strncmp(names[k], a + 2, len))
				break;
		if (k == HG_ARRAY_LEN(names))
			return usage("unknown option '%s'", a);
		if (eq)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else
			return usage("option '%s' needs a value", a);
		if (k == 2)
			windowed = val;
		else
			*slots[k] = val;
	}
	if (o->speech && strcmp(o->speech, "play") && strcmp(o->speech, "off") &&
	    strncmp(o->speech, "wav:", 4))
		return usage("--speech: '%s' is not play, off or wav:FOLDER", o->speech);
	if (windowed) {
		if (parse_size(windowed, &o->win_w, &o->win_h) < 0)
			return usage("--windowed: '%s' is not WIDTHxHEIGHT (200 to 10000 px each)",
				     windowed);
		o->windowed = 1;
	}
	return 0;
}

/* ---- configuration, database, keys: station/boot.c, as the CLI ---- */

/* Everything the kiosk starts with: the configuration (--config, --db), the
 * database with the station id settled (the kiosk writes: a [station] id
 * that is not the database's stops it), the station key and the PIN key.
 * Errors on stderr; 0 or -1. */
static int start(struct boot *b, const struct options *o)
{
	int rc;

	b->config_opt = o->config;
	b->db_opt = o->db;
	rc = boot_open(b, BOOT_STORE | BOOT_KEY | BOOT_PIN_KEY);
	if (rc == HG_OK)
		return 0;
	if (b->errs.n > 0)
		boot_config_errors(b, stderr);
	else
		fprintf(stderr, "error: %s\n", hg_error_text());
	return -1;
}

/* ---- clocks ---- */

static hg_time wall_now(void *ctx)
{
	(void)ctx;
	return (hg_time)time(NULL);
}

static hg_time mono_now(void *ctx)
{
	struct timespec ts;

	(void)ctx;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (hg_time)ts.tv_sec;
}

static hg_time script_now(void *ctx)
{
	return ((const struct scn_state *)ctx)->now;
}

static hg_time script_mono(void *ctx)
{
	return ((const struct scn_state *)ctx)->mono;
}

/* ---- the window ---- */

struct video {
	SDL_Window *win;
	SDL_Renderer *ren;
	const char *renderer;	/* the renderer SDL gave (its name) */
	int sdl, ttf, img;
};

/* The panel's size (kiosk/panel.h, docs/KIOSK.md "Panels"): the config's
 * panel_size; else, when the window is the whole screen, the EDID of the
 * connector showing it, then SDL's DPI; else the default for the window's
 * size.  A window (--windowed, fullscreen = no) stands for a whole panel of
 * its size: the screen under it says nothing of the panel it stands for. */
static void find_panel(struct video *v, int windowed, const struct cfg_panel *size,
		       struct panel *panel)
{
	struct panel_edid e;
	char conn[64] = "";
	float hdpi = 0;
	int w, h, edid = 0;

	SDL_GetWindowSize(v->win, &w, &h);
	if (!windowed && !(size->diag_mm > 0)) {
		const char *drm = getenv("HAULGATE_DRM_DIR");	/* tests: a folder like it */

		edid = panel_edid_find(drm && *drm ? drm : "/sys/class/drm", w, h, &e, conn,
				       sizeof conn) == HG_OK;
		if (!edid) {
			int rc = SDL_GetDisplayDPI(SDL_GetWindowDisplayIndex(v->win), NULL, &hdpi, NULL);
			if (rc != 0)
				hdpi = 0;
		}
	}
	panel_choose(panel, size, edid ? &e : NULL, hdpi);
	if (windowed)
		return;
	/* said once, for whoever sets the station up */
	if (edid)
		fprintf(stderr, "kiosk: panel %dx%d mm (EDID of %s): %.2f px/mm\n", e.w_mm, e.h_mm,
			conn, panel_px_per_mm(panel, w, h));
	else
		fprintf(stderr, "kiosk: panel size from %s: %.2f px/mm at %dx%d%s\n",
			panel_source_name(panel->source), panel_px_per_mm(panel, w, h), w, h,
			panel->source == PANEL_DEFAULT ? " (set [kiosk] panel_size)" : "");
}

/* The window: w x h when windowed, else desktop fullscreen.  The renderer:
 * SDL's software one when the config says software (SDL_RENDER_DRIVER in the
 * environment wins over that hint), else SDL's choice. */
static int open_video(struct video *v, int windowed, int w, int h, int renderer,
		      const struct cfg_panel *size, struct panel *panel)
{
	Uint32 flags = windowed ? SDL_WINDOW_RESIZABLE : SDL_WINDOW_FULLSCREEN_DESKTOP;
	SDL_RendererInfo info;
	const char *hint;

	/* our own SIGINT/SIGTERM handlers set the quit flag */
	SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
	/* the first tap on a window without focus is a tap, not just focus */
	SDL_SetHint(SDL_HINT_MOUSE_FOCUS_CLICKTHROUGH, "1");
	/* touches arrive as mouse events (SDL's default, said out loud) */
	SDL_SetHint(SDL_HINT_TOUCH_MOUSE_EVENTS, "1");
	/* the software renderer by default (docs/DECISIONS.md): a GL one takes
	 * four times the memory for no gain at this frame rate */
	if (renderer == CFG_RENDERER_SOFTWARE)
		SDL_SetHint(SDL_HINT_RENDER_DRIVER, "software");
	/* a software renderer asked for by name presents straight to the window's
	 * framebuffer, not through a GL texture (offscreen: 2.5x faster); the
	 * environment still wins */
	hint = SDL_GetHint(SDL_HINT_RENDER_DRIVER);
	if (hint && strcmp(hint, "software") == 0)
		SDL_SetHintWithPriority(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0", SDL_HINT_DEFAULT);
	if (SDL_Init(SDL_INIT_VIDEO | SDL_INIT_EVENTS) != 0) {
		fprintf(stderr, "error: cannot start SDL video: %s\n", SDL_GetError());
		return -1;
	}
	v->sdl = 1;
	if (TTF_Init() != 0) {
		fprintf(stderr, "error: cannot start SDL_ttf: %s\n", TTF_GetError());
		return -1;
	}
	v->ttf = 1;
	if (!(IMG_Init(IMG_INIT_PNG) & IMG_INIT_PNG))
		fprintf(stderr, "kiosk: SDL_image without PNG: snaps will fail (%s)\n", IMG_GetError());
	v->img = 1;
	v->win = SDL_CreateWindow("haulgate kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED,
				  w, h, flags);
	if (!v->win) {
		fprintf(stderr, "error: cannot open the window: %s\n", SDL_GetError());
		return -1;
	}
	if (!windowed)
		SDL_ShowCursor(SDL_DISABLE);
	v->ren = SDL_CreateRenderer(v->win, -1, 0);
	if (!v->ren) {
		fprintf(stderr, "error: cannot make a renderer: %s\n", SDL_GetError());
		return -1;
	}
	v->renderer = SDL_GetRendererInfo(v->ren, &info) == 0 ? info.name : "?";
	/* SDL falls back by itself when the named renderer cannot be made (the
	 * software one on a video driver without a framebuffer: KMSDRM) */
	if (hint && *hint && strcasecmp(hint, v->renderer) != 0)
		fprintf(stderr, "kiosk: renderer '%s' not available with video driver '%s': "
			"using '%s'\n", hint, SDL_GetCurrentVideoDriver(), v->renderer);
	find_panel(v, windowed, size, panel);
	return 0;
}

static void close_video(struct video *v)
{
	if (v->ren)
		SDL_DestroyRenderer(v->ren);
	if (v->win)
		SDL_DestroyWindow(v->win);
	if (v->img)
		IMG_Quit();
	if (v->ttf)
		TTF_Quit();
	if (v->sdl)
		SDL_Quit();
}

/* --speech, else the config's speech_output; a script is silent unless told. */
static const char *speech_mode(const struct options *o, const struct config *cfg)
{
	if (o->speech)
		return o->speech;
	return o->script ? "off" : cfg->speech_output;
}

/* A warning (hg_warn: a translation file that could not be read) on
 * stderr, which the kiosk's unit sends to the journal. */
static void warn(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "haulgate-kiosk: warning: %s\n", msg);
}

int main(int argc, char **argv)
{
	static struct config cfg;	/* large: not on the stack */
	static struct scn_state scn;
	uint64_t t_main = kstats_now();
	struct options o = {0};
	struct video v = {0};
	static struct boot boot;	/* holds the config's errors: not on the stack */
	struct reader *reader = NULL;
	int rc, windowed, win_w, win_h, out_w, out_h;

	hg_report_set(warn, NULL);
	i18n_files_use();	/* HAULGATE_PO_DIR, before any text is read */
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	g_k.stats = kstats_open(getenv("HAULGATE_KIOSK_STATS"), t_main);
	devices_catch_stops(&g_quit);
	boot.cfg = &cfg;
	if (start(&boot, &o) < 0)
		goto fail;
	/* --windowed wins over the config's fullscreen */
	windowed = o.windowed || !cfg.kiosk_fullscreen;
	win_w = o.windowed ? o.win_w : CFG_WINDOW_W;
	win_h = o.windowed ? o.win_h : CFG_WINDOW_H;

	g_k.cfg = &cfg;
	g_k.quit = &g_quit;
	g_k.fullscreen = !windowed;
	g_k.demo_keys = o.windowed;	/* a developer's command line, never the config */
	g_k.live = !o.script;
	g_k.layout_path = getenv("HAULGATE_KIOSK_LAYOUT");
	if (g_k.layout_path && !*g_k.layout_path)
		g_k.layout_path = NULL;
	if (o.script) {
		scn.now = (hg_time)time(NULL);
		scn.mono = SCN_MONO0;
		g_k.scn = &scn;
		g_k.clock = (struct kiosk_clock){script_now, script_mono, &scn};
	} else {
		g_k.clock = (struct kiosk_clock){wall_now, mono_now, NULL};
	}
	/* the relays go safe here, before anything that might fail */
	rc = station_open(&g_station, &cfg, boot.st, &boot.kp, kiosk_now(&g_k), kiosk_mono(&g_k),
			  kiosk_watch, &g_k);
	sodium_memzero(&boot.kp, sizeof boot.kp);
	if (rc != HG_OK) {
		fprintf(stderr, "error: cannot open the station: %s\n", hg_error_text());
		goto fail;
	}
	g_k.station = g_station;
	g_k.cfg = station_config(g_station);	/* with the plant's policy over it */

	if (open_video(&v, windowed, win_w, win_h, cfg.kiosk_renderer, &cfg.kiosk_panel,
		       &g_k.panel) < 0)
		goto fail;
	g_k.win = v.win;
	hg_error_clear();
	if (render_open(&g_k.rd, v.ren, NULL) != HG_OK) {
		fprintf(stderr, "error: %s\n", hg_error_text());
		goto fail;
	}
	if (kiosk_init(&g_k) != HG_OK) {
		fprintf(stderr, "error: cannot set up the kiosk: %s\n", SDL_GetError());
		goto fail;
	}
	g_k.speech_mode = speech_mode(&o, &cfg);
	/* speech on from the start when the config says so (and the output is
	 * not off); the start screen's button still switches it */
	g_k.view.speech = cfg.kiosk_speech && strcmp(g_k.speech_mode, "off") != 0;
	render_output_size(g_k.rd, &out_w, &out_h);
	if (kstats_start(g_k.stats, g_k.ev_card, SDL_GetCurrentVideoDriver(), v.renderer, out_w,
			 out_h) < 0)
		fprintf(stderr, "kiosk: cannot time inputs: %s\n", SDL_GetError());
	if (reader_start(&reader, cfg.nfc, g_k.ev_card, g_k.ev_reader) != HG_OK) {
		fprintf(stderr, "kiosk: cannot start the card reader thread: %s\n", SDL_GetError());
		g_k.view.reader_offline = 1;
	}

	if (o.script) {
		hg_error_clear();
		rc = kiosk_script_run(&g_k, o.script, o.snap_dir);
		if (rc) {
			fflush(stdout);
			fprintf(stderr, "error: %s\n",
				hg_error_text()[0] ? hg_error_text() : "the script failed");
		}
	} else {
		rc = kiosk_run(&g_k);
	}

	reader_stop(reader);
	close_station();
	g_k.win = NULL;		/* the title is not worth it now */
	kiosk_report_relays(&g_k);
	speech_close(g_k.speech);
	kiosk_free(&g_k);
	render_close(g_k.rd);
	kstats_close(g_k.stats);
	close_video(&v);
	boot_close(&boot);
	fflush(stdout);
	return rc;
fail:
	reader_stop(reader);
	close_station();
	speech_close(g_k.speech);
	kiosk_free(&g_k);
	render_close(g_k.rd);
	kstats_close(g_k.stats);
	close_video(&v);
	boot_close(&boot);
	return 1;
}
