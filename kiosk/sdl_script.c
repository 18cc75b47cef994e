/* sdl_script.c: runs a kiosk script by making the input a person would make.
 *
 * Each line is parsed by the scenario parser.  The verbs that stand for a
 * person's input (press, type, card, tap, burst) become SDL events pushed into the
 * queue, found on the frame that is on screen (ui_button_rect), then the
 * queue is handled by the same kiosk_handle() a finger goes through and the
 * frame is redrawn; snap saves that frame.  The other verbs (clock, wait,
 * field, fault, expect) are the core's and go to scenario_step(), with the
 * same messages as `haulgate simulate`.  Start reading at kiosk_script_run(). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "sdl_script.h"
#include "../core/text.h"

#define KB_PAGE_BUTTONS 4	/* keyboard page buttons tried for a missing key */
#define SEEN_MAX 256		/* buttons remembered for `burst` */

struct run {
	struct kiosk *k;
	const char *snap_dir;	/* where relative snaps go */
	/* every button of every frame the run has drawn, where it was last
	 * seen (a `burst` taps a later screen's button where it stood) */
	int n_seen;
	struct {
		char id[UI_ID];
		struct ui_rect r;
	} seen[SEEN_MAX];
};

/* Remember where the frame on screen has its buttons. */
static void remember(struct run *r)
{
	const struct ui *ui = r->k->ui;

	for (int b = 0; b < ui->n_buttons; b++) {
		int i;

		for (i = 0; i < r->n_seen && strcmp(r->seen[i].id, ui->buttons[b].id); i++)
			;
		if (i == r->n_seen) {
			if (r->n_seen == SEEN_MAX)
				continue;
			r->n_seen++;
		}
		snprintf(r->seen[i].id, sizeof r->seen[i].id, "%s", ui->buttons[b].id);
		r->seen[i].r = ui->buttons[b].r;
	}
}

/* Handle what was pushed and draw.  Returns 0, or 1 (a snap failed or the
 * kiosk was told to stop; hg_fail() says so). */
static int settle(struct run *r, int lineno)
{
	char why[512];
	int rc = kiosk_pump(r->k);

	if (rc < 0) {
		/* the snap's words, copied: hg_fail() writes where they are */
		snprintf(why, sizeof why, "%s", hg_error_text());
		return hg_fail(1, "line %d: %s", lineno, why);
	}
	if (*r->k->quit)
		return hg_fail(1, "line %d: interrupted", lineno);
	remember(r);
	return 0;
}

static int tap_at(struct run *r, int lineno, int x, int y)
{
	if (kiosk_push_tap(r->k, x, y) != HG_OK)
		return hg_fail(1, "line %d: cannot push a tap: %s", lineno, SDL_GetError());
	return settle(r, lineno);
}

/* Tap the centre of button id on the frame on screen: 0, 1 when the run
 * fails, -1 when there is no such button (nothing said). */
static int tap_button(struct run *r, int lineno, const char *id)
{
	const struct ui_rect *b = ui_button_rect(r->k->ui, id);

	if (!b)
		return -1;
	return tap_at(r, lineno, b->x + b->w / 2, b->y + b->h / 2);
}

static const char *screen_now(const struct run *r)
{
	return screen_id(station_session(r->k->station)->screen);
}

/* A button of the scenario language, or one of the kiosk's own (a key
 * "key:a", the keyboard's pages, the speech and large-text switches
 * "kiosk:...")? */
static int button_known(const char *id)
{
	return scenario_button_known(id) || strncmp(id, "key:", 4) == 0 ||
	       strncmp(id, "kiosk:", 6) == 0;
}

/* A button no screen has is a typo in the script (2); one this screen does
 * not show is a run that went elsewhere (1). */
static int press(struct run *r, int lineno, const char *id)
{
	int rc;

	if (!button_known(id))
		return hg_fail(2, "line %d: no button '%.40s' (docs/SCENARIOS.md lists them)",
			       lineno, id);
	rc = tap_button(r, lineno, id);
	if (rc < 0)
		return hg_fail(1, "line %d: no button '%.40s' on screen '%s'", lineno, id,
			       screen_now(r));
	return rc;
}

/* What a USB keyboard would send: one SDL_TEXTINPUT event. */
static int text_input(struct run *r, int lineno, const char *s, size_t n)
{
	SDL_Event e;

	memset(&e, 0, sizeof e);
	e.text.type = SDL_TEXTINPUT;
	e.text.timestamp = SDL_GetTicks();
	e.text.windowID = SDL_GetWindowID(r->k->win);
	if (n >= sizeof e.text.text)
		n = sizeof e.text.text - 1;
	memcpy(e.text.text, s, n);
	if (SDL_PushEvent(&e) != 1)
		return hg_fail(1, "line %d: cannot push text: %s", lineno, SDL_GetError());
	return settle(r, lineno);
}

/* One character (n bytes at s) of `type`: its key, on whichever keyboard
 * page has it.  Each page button is tapped and looked behind, then tapped
 * again (the page buttons toggle), which reaches every page of a keyboard
 * whose page buttons are toggles. */
static int type_char(struct run *r, int lineno, const char *s, size_t n)
{
	char id[UI_ID], pages[KB_PAGE_BUTTONS][UI_ID];
	int np = 0, i, j, rc;

	if (n == 1 && *s == ' ')
		snprintf(id, sizeof id, "key:space");
	else
		snprintf(id, sizeof id, "key:%.*s", (int)n, s);
	rc = tap_button(r, lineno, id);
	if (rc >= 0)
		return rc;
	for (i = 0; i < r->k->ui->n_buttons && np < KB_PAGE_BUTTONS; i++)
		if (strncmp(r->k->ui->buttons[i].id, "kiosk:kb_", 9) == 0)
			snprintf(pages[np++], UI_ID, "%s", r->k->ui->buttons[i].id);
	for (i = 0; i < np; i++) {
		for (j = 0; j < 2; j++) {
			rc = tap_button(r, lineno, pages[i]);
			if (rc > 0)
				return rc;
			rc = tap_button(r, lineno, id);
			if (rc >= 0)
				return rc;
		}
	}
	return text_input(r, lineno, s, n);
}

static int type_text(struct run *r, int lineno, const char *text)
{
	const char *p = text;
	uint32_t cp;
	int n, rc;

	while (*p) {
		n = text_utf8_next(p, &cp);
		if (n < 1)
			n = 1;	/* not UTF-8: the byte alone, as a keyboard could send it */
		rc = type_char(r, lineno, p, (size_t)n);
		if (rc)
			return rc;
		p += n;
	}
	return 0;
}

static int card(struct run *r, int lineno, const char *word)
{
	char uid[LIM_UID + 1];

	if (text_uid_norm(word, uid) != HG_OK)
		return hg_fail(2, "line %d: '%.40s' is not a card UID (4, 7 or 10 bytes in hex)",
			       lineno, word);
	if (kiosk_push_card(r->k->ev_card, uid) != HG_OK)
		return hg_fail(1, "line %d: cannot push the card: %s", lineno, SDL_GetError());
	return settle(r, lineno);
}

static int tap(struct run *r, int lineno, const char *xs, const char *ys)
{
	long x, y;

	if (text_parse_long(xs, 0, 100000, &x) != HG_OK ||
	    text_parse_long(ys, 0, 100000, &y) != HG_OK)
		return hg_fail(2, "line %d: tap X Y: two whole numbers (px), not '%.20s %.20s'",
			       lineno, xs, ys);
	return tap_at(r, lineno, (int)x, (int)y);
}

/* `burst ID ID ...`: the buttons tapped one after another faster than the
 * kiosk draws (all pushed, then handled in one batch), as a quick finger
 * does: the first on the frame on screen, each later one where the run last
 * saw it (a screen it went through before).  The kiosk must take each tap
 * on the screen it was made on. */
static int burst(struct run *r, const struct scn_line *l)
{
	for (int w = 1; w < l->n; w++) {
		const struct ui_rect *b = w == 1 ? ui_button_rect(r->k->ui, l->w[w]) : NULL;

		for (int i = 0; !b && w > 1 && i < r->n_seen; i++)
			if (strcmp(r->seen[i].id, l->w[w]) == 0)
				b = &r->seen[i].r;
		if (!b)
			return hg_fail(1, "line %d: burst: button '%.40s' was never on screen",
				       l->lineno, l->w[w]);
		if (kiosk_push_tap(r->k, b->x + b->w / 2, b->y + b->h / 2) != HG_OK)
			return hg_fail(1, "line %d: cannot push a tap: %s", l->lineno,
				       SDL_GetError());
	}
	return settle(r, l->lineno);
}

static int snap(struct run *r, int lineno, const char *name)
{
	char path[4096];
	int n;

	if (name[0] == '/' || !r->snap_dir)
		n = snprintf(path, sizeof path, "%s", name);
	else
		n = snprintf(path, sizeof path, "%s/%s", r->snap_dir, name);
	if (n < 0 || (size_t)n >= sizeof path)
		return hg_fail(2, "line %d: snap: path too long", lineno);
	r->k->snap_path = path;
	r->k->force = 1;
	n = settle(r, lineno);
	r->k->snap_path = NULL;
	return n;
}

/* One parsed line. */
static int step(struct run *r, const struct scn_line *l)
{
	const char *verb = l->w[0];

	r->k->scn->lineno = l->lineno;
	if (strcmp(verb, "tap") == 0 && l->n == 3)
		return tap(r, l->lineno, l->w[1], l->w[2]);
	if (strcmp(verb, "snap") == 0 && l->n == 2)
		return snap(r, l->lineno, l->w[1]);
	if (strcmp(verb, "press") == 0 && l->n == 2)
		return press(r, l->lineno, l->w[1]);
	if (strcmp(verb, "burst") == 0 && l->n >= 3)
		return burst(r, l);
	if (strcmp(verb, "type") == 0 && l->n == 2)
		return type_text(r, l->lineno, l->w[1]);
	if (strcmp(verb, "card") == 0 && l->n == 2)
		return card(r, l->lineno, l->w[1]);
	{
		int rc = scenario_step(r->k->station, r->k->scn, l);

		if (rc)
			return rc;
	}
	return settle(r, l->lineno);
}

/* The folder of path into buf[cap] ("." when it has none). */
static void folder_of(const char *path, char *buf, size_t cap)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, cap, ".");
	else if (slash == path)
		snprintf(buf, cap, "/");
	else
		snprintf(buf, cap, "%.*s", (int)(slash - path), path);
}

static int script_line(void *ctx, const struct scn_line *l)
{
	return step(ctx, l);
}

int kiosk_script_run(struct kiosk *k, const char *path, const char *snap_dir)
{
	struct run r = {.k = k, .snap_dir = snap_dir};
	char dir[4096];
	int rc;

	if (access(path, R_OK) != 0)
		return hg_fail(2, "cannot read script '%s': %s", path, strerror(errno));
	if (!snap_dir) {
		folder_of(path, dir, sizeof dir);
		r.snap_dir = dir;
	} else if (mkdir(snap_dir, 0755) != 0 && errno != EEXIST) {
		return hg_fail(1, "cannot make the snap folder '%s': %s", snap_dir,
			       strerror(errno));
	}
	rc = settle(&r, 0);	/* the first frame: presses look at it */
	if (rc)
		return rc;
	return scenario_each_line(path, script_line, &r);
}
