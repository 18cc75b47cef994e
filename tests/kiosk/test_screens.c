/* test_screens.c: every screen of the kiosk, laid out at every window size we
 * promise (800x480 to 1920x1080, landscape and portrait), in English and
 * Spanish, measured with the real fonts: nothing may overflow (a label wider
 * than its box, text taller than its area, a button under the touch minimum),
 * no two buttons may overlap, and every button must lie inside the window.
 * Runs without a display: SDL_ttf measures text without any window. */
#include "../unit/testutil.h"
#include <math.h>
#include <SDL_ttf.h>
#include "../../kiosk/screens.h"
#include "../../station/sync.h"
#include "../../core/i18n.h"
#include "../../core/report.h"
#include "../../scenario/scenario.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu"

static TTF_Font *fonts[FONT_COUNT][200];

static int measure(void *ctx, enum ui_font f, int px, const char *text, int *w, int *h)
{
	(void)ctx;
	if (px < 1 || px >= 200)
		return -1;
	if (!fonts[f][px]) {
		char path[256];
		snprintf(path, sizeof path, "%s/%s", getenv("HAULGATE_FONT_DIR") ?
			 getenv("HAULGATE_FONT_DIR") : FONT_DIR,
			 f == FONT_BOLD ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf");
		fonts[f][px] = TTF_OpenFont(path, px);
		if (!fonts[f][px])
			return -1;
	}
	return TTF_SizeUTF8(fonts[f][px], text, w, h);
}

static const struct {
	int w, h;
} sizes[] = {
	{800, 480},	/* 7-inch panel */
	{1024, 600},
	{1280, 800},	/* the 15-inch reference */
	{1366, 768},
	{1920, 1080},
	{480, 800},	/* portrait */
	{600, 1024},
	{1080, 1920},
};

static struct config cfg;
static struct ui ui;

/* A session with a hauler card, two trucks, two remembered sources, a form half
 * filled, and the given screen. */
static void make_session(struct session *f, enum screen s, enum lang lang, enum reason msg)
{
	struct actions out;

	session_init(f, &cfg, 1795000000, &out);
	f->screen = s;
	f->lang = lang;
	f->message = msg;
	f->kind = SESS_HAULER;
	f->card.kind = CARD_HAULER;
	snprintf(f->card.holder, sizeof f->card.holder, "María José Fernández-Oyarzábal");
	f->card.n_trucks = 3;
	for (int i = 0; i < 3; i++) {
		f->card.trucks[i].id = i + 1;
		snprintf(f->card.trucks[i].ident, sizeof f->card.trucks[i].ident, "ACME-%02d", i + 7);
		f->card.trucks[i].capacity = 3500;
	}
	f->card.n_known = 3;
	for (int i = 0; i < 3; i++) {
		snprintf(f->card.known[i].name, sizeof f->card.known[i].name,
			 "Riverside Elementary School cafeteria %d", i + 1);
		snprintf(f->card.known[i].address, sizeof f->card.known[i].address,
			 "%d Main St, Springfield", 100 + i);
	}
	/* the source whose town is asked: a long name and address, a town chosen */
	f->edit = f->card.known[0];
	snprintf(f->edit.town, sizeof f->edit.town, "%s", s == SCR_OTHER_TOWN ? "64124-1234" : "Raytown");
	/* a type of industry typed once, not in the list: its own button, as is */
	if (s == SCR_SOURCE_INDUSTRY || s == SCR_OTHER_INDUSTRY)
		snprintf(f->edit.industry, sizeof f->edit.industry,
			 "Galvanoplastia y cromado de piezas metálicas");
	f->load.m.n_sources = 2;
	f->load.m.sources[0] = f->card.known[0];
	snprintf(f->load.m.sources[1].name, sizeof f->load.m.sources[1].name, "Miller residence");
	snprintf(f->load.m.sources[1].address, sizeof f->load.m.sources[1].address, "12 Oak St");
	snprintf(f->load.m.company, sizeof f->load.m.company, "Acme Septic Service");
	snprintf(f->load.m.characteristics, sizeof f->load.m.characteristics,
		 "Residential septage, normal odour, some rags");
	f->load.m.gallons = 2500;
	f->load.m.truck_capacity = 3500;
	f->load.m.waste = WASTE_SEPTAGE;
	f->load.m.rcra = RCRA_NO;
	f->load.d.verdict = VERDICT_REFUSED;
	f->load.d.n_refuse = 3;
	f->load.d.refuse[0] = R_RCRA_HAZARDOUS;
	f->load.d.refuse[1] = R_DAILY_LIMIT;
	f->load.d.refuse[2] = R_SOURCE_OUTSIDE_AREA;
	f->load.d.n_sample = 2;
	f->load.d.sample[0] = R_SAMPLE_FIRST_LOAD;
	f->load.d.sample[1] = R_SAMPLE_CONSTITUENTS;
	f->load.t.discharge_start = 1795000000;
	f->screen_since = 1795000000;
	f->mono = 75;		/* the valve or the RV gate opened 75 s ago (monotonic) */
	if (s == SCR_OUT_OF_SERVICE)
		f->fault = R_FAULT_DB;	/* what failed, under the banner's message */
	f->open_since = 0;
	/* the strip: the holder, a long company cut to fit, the truck */
	snprintf(f->load.m.driver, sizeof f->load.m.driver, "%s", f->card.holder);
	snprintf(f->load.m.company, sizeof f->load.m.company,
		 "Riverside Environmental Septic & Grease Services of Greater Springfield");
	snprintf(f->load.m.truck, sizeof f->load.m.truck, "ACME-07");
	if (s >= SCR_RV_SIGNIN && s <= SCR_RV_DONE) {	/* an RV visitor, signed in */
		f->kind = SESS_RV;
		snprintf(f->rv.name, sizeof f->rv.name, "%s", f->card.holder);
		snprintf(f->rv.plate, sizeof f->rv.plate, "7ABC123");
		snprintf(f->rv.plate_state, sizeof f->rv.plate_state, "CO");
		f->rv.signed_in = 1795000000;
	}
	snprintf(f->op.holder, sizeof f->op.holder, "Riley Park");
	if (s == SCR_OPERATOR || s == SCR_OVERRIDE)
		f->kind = SESS_OPERATOR;
	if (s == SCR_SAMPLE_HOLD || s == SCR_OPERATOR_PIN || s == SCR_SAMPLE) {
		f->committed = 1;	/* held for a sample: step 10 of 11 */
		f->op_for_sample = 1;
		f->load.d.verdict = VERDICT_SAMPLE_HOLD;
	}
	snprintf(f->input, sizeof f->input, "%s", s == SCR_OVERRIDE ? "Vactor truck" : "2500");
	snprintf(f->focus, sizeof f->focus, "%s",
		 s == SCR_SOURCE_EDIT ? "source_address" : s == SCR_OTHER_TOWN ? "source_town" :
		 s == SCR_OTHER_INDUSTRY ? "source_industry" :
		 s == SCR_DETAILS ? "characteristics" :
		 s == SCR_CERTIFY ? "signer" : s == SCR_RV_SIGNIN ? "rv_name" : "");
}

/* WCAG 2 relative luminance and contrast ratio. */
static double channel(uint8_t v)
{
	double c = v / 255.0;

	return c <= 0.03928 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4);
}

static double luminance(struct ui_color c)
{
	return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

static double contrast(struct ui_color a, struct ui_color b)
{
	double la = luminance(a), lb = luminance(b);

	return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}

/* The colour under the middle of r: the last fill drawn before command n
 * that covers it. */
static struct ui_color under(int n, struct ui_rect r)
{
	int x = r.x + r.w / 2, y = r.y + r.h / 2;

	for (int i = n - 1; i >= 0; i--) {
		const struct ui_cmd *c = &ui.cmds[i];
		if (c->kind == UI_FILL && x >= c->r.x && x < c->r.x + c->r.w && y >= c->r.y &&
		    y < c->r.y + c->r.h)
			return c->c;
	}
	return UI_BG;
}

static int overlap(const struct ui_rect *a, const struct ui_rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static int problems;

/* Report one problem (all of them are listed before the test fails). */
#define PROBLEM(...) do { print_error(__VA_ARGS__); print_error("\n"); problems++; } while (0)

/* Is text command i drawn on a fill laid after picture command n over it
 * (the "please wait" banner on top of a screen), so it covers the picture
 * rather than overlapping it? */
static int on_a_cover(int n, int i)
{
	for (int k = n + 1; k < i; k++)
		if (ui.cmds[k].kind == UI_FILL && overlap(&ui.cmds[k].r, &ui.cmds[n].r) &&
		    overlap(&ui.cmds[k].r, &ui.cmds[i].r))
			return 1;
	return 0;
}

/* Picture command n: inside the window, square, not over any text or any
 * other picture (a banner laid on top of both covers them: not counted), inside the button it stands on (if any), in a colour with
 * 7:1 on what is under it, and with its words drawn beside it: a line of
 * its caption in a text command level with it (the same rows of pixels),
 * to its right. */
static void check_image(const char *what, int n)
{
	const struct ui_cmd *c = &ui.cmds[n];
	const char *file = ui_picture_file(c->pic);
	int beside = 0;

	if (!file)
		PROBLEM("%s: picture %d has no file", what, (int)c->pic);
	file = file ? file : "?";
	if (c->r.x < 0 || c->r.y < 0 || c->r.x + c->r.w > ui.w || c->r.y + c->r.h > ui.h)
		PROBLEM("%s: picture %s outside the window", what, file);
	if (c->r.w != c->r.h || c->r.w < ui.touch / 2)
		PROBLEM("%s: picture %s is %dx%d (square, half a fingertip at least)", what, file,
			c->r.w, c->r.h);
	if (contrast(c->c, under(n, c->r)) < 7.0)
		PROBLEM("%s: picture %s has contrast %.1f:1", what, file,
			contrast(c->c, under(n, c->r)));
	if (!c->text || !*c->text)
		PROBLEM("%s: picture %s has no words", what, file);
	for (int i = 0; i < ui.n_cmds; i++) {
		const struct ui_cmd *t = &ui.cmds[i];

		if (i == n || (t->kind != UI_TEXT && t->kind != UI_IMAGE))
			continue;
		if (overlap(&c->r, &t->r) && !on_a_cover(n, i))
			PROBLEM("%s: picture %s overlaps %s \"%s\"", what, file,
				t->kind == UI_TEXT ? "text" : "picture", t->text);
		if (t->kind == UI_TEXT && c->text && *t->text && strstr(c->text, t->text) &&
		    t->r.x >= c->r.x + c->r.w && t->r.y < c->r.y + c->r.h &&
		    c->r.y < t->r.y + t->r.h)
			beside = 1;
	}
	if (!beside)
		PROBLEM("%s: picture %s has no words beside it", what, file);
	for (int i = 0; i < ui.n_buttons; i++) {
		const struct ui_rect *b = &ui.buttons[i].r;
		if (overlap(&c->r, b) && (c->r.x < b->x || c->r.y < b->y ||
					  c->r.x + c->r.w > b->x + b->w || c->r.y + c->r.h > b->y + b->h))
			PROBLEM("%s: picture %s sticks out of button %s", what, file,
				ui.buttons[i].id);
	}
}

static void check_frame(const char *what)
{
	if (ui.overflow)
		PROBLEM("%s: %s", what, ui.overflow_what);
	for (int i = 0; i < ui.n_buttons; i++) {
		const struct ui_rect *r = &ui.buttons[i].r;
		if (r->x < 0 || r->y < 0 || r->x + r->w > ui.w || r->y + r->h > ui.h)
			PROBLEM("%s: button %s outside the window", what, ui.buttons[i].id);
		/* a script can press it: the scenario language knows it, or it is
		 * the kiosk's own (a key, a keyboard page, speech) */
		if (!scenario_button_known(ui.buttons[i].id) &&
		    strncmp(ui.buttons[i].id, "key:", 4) != 0 &&
		    strncmp(ui.buttons[i].id, "kiosk:", 6) != 0)
			PROBLEM("%s: button %s is not in the scenario language (scenario/scenario.c, "
				"docs/SCENARIOS.md)", what, ui.buttons[i].id);
		for (int j = i + 1; j < ui.n_buttons; j++)
			if (overlap(r, &ui.buttons[j].r))
				PROBLEM("%s: buttons %s and %s overlap", what, ui.buttons[i].id,
					ui.buttons[j].id);
	}
	for (int i = 0; i < ui.n_cmds; i++) {
		const struct ui_cmd *c = &ui.cmds[i];
		if (c->kind == UI_TEXT && (c->r.x < 0 || c->r.x + c->r.w > ui.w ||
					   c->r.y < 0 || c->r.y + c->r.h > ui.h + 2))
			PROBLEM("%s: text \"%s\" outside the window", what, c->text);
		if (c->kind == UI_TEXT && contrast(c->c, under(i, c->r)) < 7.0)
			PROBLEM("%s: text \"%s\" has contrast %.1f:1, under 7:1", what, c->text,
				contrast(c->c, under(i, c->r)));
		if (c->kind == UI_TEXT && strncmp(c->text, "ui.", 3) == 0)
			PROBLEM("%s: string %s has no translation", what, c->text);
		if (c->kind == UI_IMAGE)
			check_image(what, i);
	}
}

/* Every button of the frame at least 9 mm on each side at px_per_mm. */
static void check_mm(const char *what, float px_per_mm)
{
	for (int i = 0; i < ui.n_buttons; i++) {
		const struct ui_rect *r = &ui.buttons[i].r;
		double wmm = r->w / px_per_mm, hmm = r->h / px_per_mm;

		if (wmm < 9.0 || hmm < 9.0)
			PROBLEM("%s: button %s is %.1f x %.1f mm (%d x %d px), under 9 mm", what,
				ui.buttons[i].id, wmm, hmm, r->w, r->h);
	}
}

/* Every screen, in every language, with each kind of message, at w x h
 * (px_per_mm as given: 0 unknown), each frame through check_frame() and,
 * when mm is set, every button checked at least 9 mm by 9 mm. */
static void walk_screens(int w, int h, float px_per_mm, const char *panel)
{
	static struct session session;
	struct session *f = &session;
	struct kiosk_view v;
	char what[200];

	for (int kb = 0; kb < 3; kb++)
		for (int s = 0; s < SCR_COUNT; s++)
			for (int l = 0; l < LANG_COUNT; l++)
				for (int mm = 0; mm < 8; mm++) {
					int m = mm % 4;		/* the message, the faults, busy */
					int large = mm >= 4;	/* the start screen's large text */
					enum reason msg = m == 0 ? R_NONE : m == 1 ? R_STILL_THERE
									   : R_FAULT_PRINTER;

					/* large text where the size offers it (test_large_text) */
					if (large && !ui_large_text_offered(w, h))
						continue;
					memset(&v, 0, sizeof v);
					v.last_screen = (enum screen)s;	/* the session goes on */
					v.large_text = large;
					v.busy = m == 3;	/* "please wait" on top */
					/* every fault at once, with the longest texts */
					v.reader_offline = v.printer_offline = v.network_down = m == 2;
					v.kept = m == 2 ? 999 : 0;	/* "reprint kept slips (999)" */
					if (m == 2) {	/* an interrupted discharge and a waiting sample */
						v.n_notices = 2;
						v.notices[0] = (struct kiosk_notice){0, 99999, 1795000000};
						v.notices[1] = (struct kiosk_notice){1, 100000, 1795000000};
					}
					v.kb = (enum kb_mode)kb;	/* every page of the keyboard */
					v.now = 1795000000 + 75;
					/* the plant's line at its longest: offline for
					 * a month, a fork, many events waiting */
					v.sync_health = m == 2 ? SYNC_H_OFFLINE : m == 1 ? SYNC_H_FORK
							: m == 0 ? SYNC_H_BEHIND : SYNC_H_OK;
					v.sync_pending = 9999999;
					v.sync_fork_seq = 99999999;
					v.sync_last = m == 2 ? 1795000000 - 40 * 86400 : 1795000000;
					make_session(f, (enum screen)s, (enum lang)l, msg);
					ui.w = w;
					ui.h = h;
					ui.px_per_mm = px_per_mm;
					screens_draw(&ui, f, &cfg, &v);
					snprintf(what, sizeof what, "%s at %dx%d%s in %s, message %s, "
						 "keyboard page %d%s", screen_id((enum screen)s), ui.w,
						 ui.h, panel, i18n_lang_code((enum lang)l),
						 reason_code(msg), kb, large ? ", large text" : "");
					check_frame(what);
					if (px_per_mm > 0)
						check_mm(what, px_per_mm);
				}
	ui.px_per_mm = 0;
}

static void test_every_screen_every_size(void **state)
{
	(void)state;
	problems = 0;
	for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++)
		walk_screens(sizes[z].w, sizes[z].h, 0, "");
	assert_int_equal(problems, 0);
}

/* The panels the kiosk supports (docs/KIOSK.md, "Panels"): each resolution
 * at the diagonals it is sold in.  Every button of every screen is at least
 * 9 mm by 9 mm on each, with the px/mm the kiosk finds for it (the panel's
 * size from the config or its EDID: kiosk/panel.c). */
static const struct {
	int w, h;
	double inches;
} panels[] = {
	{800, 480, 7.0},	/* the smallest: 5.2 px/mm */
	{1280, 800, 10.1},	/* 5.9 px/mm, the densest */
	{1280, 800, 15.6},
	{1920, 1080, 15.6},
	{1920, 1080, 21.5},
};

static void test_every_screen_every_panel(void **state)
{
	char panel[32];

	(void)state;
	problems = 0;
	for (size_t p = 0; p < HG_ARRAY_LEN(panels); p++) {
		float ppm = (float)(hypot(panels[p].w, panels[p].h) / (panels[p].inches * 25.4));

		snprintf(panel, sizeof panel, " (%.1f\", %.2f px/mm)", panels[p].inches, ppm);
		walk_screens(panels[p].w, panels[p].h, ppm, panel);
	}
	assert_int_equal(problems, 0);
}

static int has_button(const char *id)
{
	for (int i = 0; i < ui.n_buttons; i++)
		if (strcmp(ui.buttons[i].id, id) == 0)
			return 1;
	return 0;
}

static int has_text(const char *part)
{
	for (int i = 0; i < ui.n_cmds; i++)
		if (ui.cmds[i].kind == UI_TEXT && strstr(ui.cmds[i].text, part))
			return 1;
	return 0;
}

/* Every screen of the core's table has its drawer: screens_draw() says so
 * (0, or HG_ENOTFOUND for a screen without one: a drawer left out of the
 * middle of drawers[], which the build's length check cannot see), and the
 * frame it drew carries the screen's title (ui.<screen id>.title, translated
 * in each language) and the language buttons. */
static void test_every_screen_drawn(void **state)
{
	static struct session session;
	struct kiosk_view v;
	char key[64];

	(void)state;
	ui.w = 1280;
	ui.h = 800;
	for (int s = 0; s < SCR_COUNT; s++)
		for (int l = 0; l < LANG_COUNT; l++) {
			const char *title;

			memset(&v, 0, sizeof v);
			v.last_screen = SCR_COUNT;
			make_session(&session, (enum screen)s, (enum lang)l, R_NONE);
			if (screens_draw(&ui, &session, &cfg, &v) != 0)
				fail_msg("screen %s: %s", screen_id((enum screen)s), hg_error_text());
			snprintf(key, sizeof key, "ui.%s.title", screen_id((enum screen)s));
			title = i18n_text(key, (enum lang)l);
			if (strcmp(title, key) == 0)
				fail_msg("screen %s has no title in %s", screen_id((enum screen)s),
					 i18n_lang_code((enum lang)l));
			if (!has_text(title) || !has_button("lang_en") || !has_button("lang_es"))
				fail_msg("screen %s in %s: no frame with its title '%s'",
					 screen_id((enum screen)s), i18n_lang_code((enum lang)l), title);
		}
	/* past the table: told, not drawn */
	make_session(&session, SCR_START, LANG_EN, R_NONE);
	session.screen = SCR_COUNT;
	memset(&v, 0, sizeof v);
	assert_int_equal(screens_draw(&ui, &session, &cfg, &v), HG_ENOTFOUND);
	assert_non_null(strstr(hg_error_text(), "has no drawer"));
}

/* The strip of every screen of a session (kiosk/screens.c's strip()): the
 * step as text ("Step 10 of 11", in the person's language), the station's
 * clock from v->now, the truck; none on the start screen.  Every size and
 * language: test_every_screen_every_size checks it fits. */
static void test_strip(void **state)
{
	static struct session session;
	struct kiosk_view v;
	char step[64], a[12], b[12];
	int n, total;

	(void)state;
	for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++)
		for (int s = 0; s < SCR_COUNT; s++)
			for (int l = 0; l < LANG_COUNT; l++) {
				memset(&v, 0, sizeof v);
				v.last_screen = SCR_COUNT;
				v.now = 1795421220;	/* 2026-11-23 08:07 UTC (TZ=UTC) */
				make_session(&session, (enum screen)s, (enum lang)l, R_NONE);
				ui.w = sizes[z].w;
				ui.h = sizes[z].h;
				screens_draw(&ui, &session, &cfg, &v);
				session_progress(&session, &n, &total);
				if (s == SCR_START || s == SCR_CLOSED || s == SCR_OUT_OF_SERVICE) {
					assert_int_equal(total, 0);
					assert_false(has_text("08:07"));
					assert_int_equal(v.clock_r.w, 0);
					continue;
				}
				if (!has_text("08:07") || v.clock_r.w <= 0)
					fail_msg("%s at %dx%d: no clock in the strip",
						 screen_id((enum screen)s), ui.w, ui.h);
				if (!total)
					continue;	/* the operator's own session: no step */
				snprintf(a, sizeof a, "%d", n);
				snprintf(b, sizeof b, "%d", total);
				snprintf(step, sizeof step, l == LANG_ES ? "Paso %s de %s" : "Step %s of %s",
					 a, b);
				if (!has_text(step))
					fail_msg("%s at %dx%d in %s: no '%s'", screen_id((enum screen)s),
						 ui.w, ui.h, i18n_lang_code((enum lang)l), step);
				/* named, maybe cut to "María José Fern…" on a narrow screen */
				if (session.kind == SESS_HAULER && !has_text("María") &&
				    s != SCR_SAMPLE && s != SCR_OPERATOR_PIN)
					fail_msg("%s at %dx%d: the holder is not named",
						 screen_id((enum screen)s), ui.w, ui.h);
			}
	/* the numbers themselves: a held load's sample is step 10 of 11 */
	make_session(&session, SCR_SAMPLE, LANG_EN, R_NONE);
	session_progress(&session, &n, &total);
	assert_int_equal(n, 10);
	assert_int_equal(total, 11);
}

/* The operator screen tells what the station's start found left open: a
 * line per load in the person's language, and the button that takes the
 * waiting sample only when one waits; with a fault standing too, nothing
 * overlaps, at every size. */
/* The operator's plant line for every state of the sync, in both
 * languages, at every size. */
static void test_operator_sync(void **state)
{
	static const struct {
		int health;
		enum lang lang;
		const char *line;	/* must be drawn */
	} rows[] = {
		/* a station no plant manages (short fragments: a line may wrap) */
		{ SYNC_H_UNMANAGED, LANG_EN, "not used (the records stay" },
		/* all sent, at 14:00 (UTC here) today */
		{ SYNC_H_OK, LANG_EN, "every record is at the plant (" },
		/* 42 events waiting */
		{ SYNC_H_BEHIND, LANG_EN, "42 records still to send" },
		{ SYNC_H_BEHIND, LANG_ES, "faltan 42 registros por enviar" },
		/* never reached */
		{ SYNC_H_NEVER, LANG_EN, "not reached yet" },
		/* past warn_after: the date of the last contact */
		{ SYNC_H_WARN, LANG_EN, "OFFLINE since 2026-" },
		/* past offline_after: only some waste accepted */
		{ SYNC_H_OFFLINE, LANG_ES, "solo se aceptan" },
		/* a fork: the event, and stop */
		{ SYNC_H_FORK, LANG_EN, "another record at event 1234" },
		{ SYNC_H_FORK, LANG_ES, "ALARMA" },
	};
	static struct session f;
	char what[160];

	(void)state;
	problems = 0;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++) {
			struct kiosk_view v;

			memset(&v, 0, sizeof v);
			v.last_screen = SCR_COUNT;
			v.now = 1795000000;
			v.sync_health = rows[i].health;
			v.sync_pending = 42;
			v.sync_fork_seq = 1234;
			v.sync_last = rows[i].health == SYNC_H_WARN || rows[i].health == SYNC_H_OFFLINE
				? v.now - 9 * 86400 : v.now - 600;
			make_session(&f, SCR_OPERATOR, rows[i].lang, R_NONE);
			ui.w = sizes[z].w;
			ui.h = sizes[z].h;
			screens_draw(&ui, &f, &cfg, &v);
			snprintf(what, sizeof what, "operator, sync %s in %s, at %dx%d",
				 sync_health_name(rows[i].health), i18n_lang_code(rows[i].lang), ui.w,
				 ui.h);
			check_frame(what);
			if (!has_text(rows[i].line))
				PROBLEM("%s: no line \"%s\"", what, rows[i].line);
		}
	assert_int_equal(problems, 0);
}

static void test_operator_notices(void **state)
{
	static const struct {
		const char *what;
		int n;			/* notices: interrupted load 12, then waiting load 13 */
		enum reason fault;
		enum lang lang;
		const char *line;	/* a line that must be drawn ("" none) */
		int button;		/* sample_waiting shown */
	} rows[] = {
		/* nothing left open: no line, no button */
		{ "none", 0, R_NONE, LANG_EN, "", 0 },
		/* an interrupted discharge: its line, and no sample button */
		{ "interrupted", 1, R_NONE, LANG_EN, "Load 12: discharge interrupted at ", 0 },
		/* the same in Spanish */
		{ "interrupted es", 1, R_NONE, LANG_ES, "Carga 12: descarga interrumpida", 0 },
		/* a load waiting for its sample: the line and the button */
		{ "waiting", 2, R_NONE, LANG_EN, "Load 13 waits for a sample", 1 },
		/* out of service: the line, but the fault is cleared before the sample */
		{ "waiting, fault", 2, R_FAULT_DB, LANG_ES, "La carga 13 espera una muestra", 0 },
	};
	static struct session f;
	char what[160];

	(void)state;
	problems = 0;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++) {
			struct kiosk_view v;

			memset(&v, 0, sizeof v);
			v.last_screen = SCR_COUNT;
			v.kept = 3;
			v.n_notices = rows[i].n;
			v.notices[0] = (struct kiosk_notice){0, 12, 1795000000};
			v.notices[1] = (struct kiosk_notice){1, 13, 1795000000};
			make_session(&f, SCR_OPERATOR, rows[i].lang, R_NONE);
			f.fault = rows[i].fault;
			ui.w = sizes[z].w;
			ui.h = sizes[z].h;
			screens_draw(&ui, &f, &cfg, &v);
			snprintf(what, sizeof what, "operator, %s, at %dx%d", rows[i].what, ui.w, ui.h);
			check_frame(what);
			if (rows[i].line[0] && !has_text(rows[i].line))
				PROBLEM("%s: no line \"%s\"", what, rows[i].line);
			if (has_button("sample_waiting") != rows[i].button)
				PROBLEM("%s: sample_waiting %s", what, rows[i].button ? "missing" : "shown");
			if (rows[i].fault && !has_button("clear_fault"))
				PROBLEM("%s: clear_fault missing", what);
		}
	assert_int_equal(problems, 0);
}

/* Touch targets: at least 64 px at 1280x800, at least 9 mm where the DPI is known. */
static void test_touch_targets(void **state)
{
	struct session f;
	struct kiosk_view v = {.last_screen = SCR_COUNT};

	(void)state;
	make_session(&f, SCR_PIN, LANG_EN, R_NONE);
	ui.w = 1280;
	ui.h = 800;
	ui.px_per_mm = 0;
	screens_draw(&ui, &f, &cfg, &v);
	assert_true(ui.touch >= 64);
	assert_true(ui.body_px >= 24);
	for (int i = 0; i < ui.n_buttons; i++) {
		assert_true(ui.buttons[i].r.w >= 64 * 3 / 4);
		assert_true(ui.buttons[i].r.h >= 64 * 3 / 4);
	}
	/* a small screen with a known, dense DPI: 9 mm still */
	ui.w = 800;
	ui.h = 480;
	ui.px_per_mm = 8.0f;
	screens_draw(&ui, &f, &cfg, &v);
	assert_true(ui.touch >= 72);
	ui.px_per_mm = 0;
}

/* Large text: the start screen's switch, where the window offers it; every
 * font 1.4 times the standard size for the rest of the session, the touch
 * targets as they were; back to the standard size when the session ends;
 * speech says the switch and how it stands.  The standard size is exactly
 * what it was with no scale set (0) or a scale of 1. */
static void test_large_text(void **state)
{
	static const struct {
		int w, h, offered;
	} rows[] = {
		{1280, 800, 1},		/* the 15-inch reference */
		{1920, 1080, 1},
		{1366, 768, 1},
		{1080, 1920, 1},	/* upright */
		{800, 480, 0},		/* the 7-inch panel: no room for it */
		{1024, 600, 0},
		{480, 800, 0},
		{600, 1024, 0},
	};
	static struct session f;
	struct session_event ev;
	char buf[64], said[2048];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct kiosk_view v = {.last_screen = SCR_COUNT};
		int body, small, title, touch;

		assert_int_equal(ui_large_text_offered(rows[i].w, rows[i].h), rows[i].offered);
		make_session(&f, SCR_START, LANG_EN, R_NONE);
		ui.w = rows[i].w;
		ui.h = rows[i].h;
		ui.text_scale = 0;
		screens_draw(&ui, &f, &cfg, &v);
		body = ui.body_px, small = ui.small_px, title = ui.title_px, touch = ui.touch;
		/* screens_draw() chose the standard size: the same as no scale */
		assert_true(ui.text_scale <= 1.0f);
		ui.text_scale = 1.0f;
		ui_begin(&ui);
		assert_int_equal(ui.body_px, body);
		assert_int_equal(ui.small_px, small);
		ui.text_scale = 0;
		ui_begin(&ui);
		assert_int_equal(ui.body_px, body);
		screens_draw(&ui, &f, &cfg, &v);
		screens_speech(&f, &v, said, sizeof said);
		if (!rows[i].offered) {
			/* not shown, not said, and no larger when asked for */
			assert_false(has_button("kiosk:large_text"));
			assert_null(strstr(said, "Large text"));
			v.large_text = 1;
			screens_draw(&ui, &f, &cfg, &v);
			assert_int_equal(ui.body_px, body);
			continue;
		}
		assert_true(has_button("kiosk:large_text"));
		assert_non_null(strstr(said, "For larger letters, press Large text."));
		assert_int_equal(screens_press(&v, &f, "kiosk:large_text", &ev, buf), PRESS_VIEW);
		assert_true(v.large_text);
		screens_draw(&ui, &f, &cfg, &v);
		assert_int_equal(ui.body_px, (int)(24 * ui.u * UI_LARGE_TEXT + 0.5f));
		assert_true(ui.body_px > body && ui.small_px > small && ui.title_px > title);
		assert_int_equal(ui.touch, touch);
		assert_true(has_text("✓ Large text"));
		screens_speech(&f, &v, said, sizeof said);
		assert_non_null(strstr(said, "Large text is on until this visit ends."));
		/* in Spanish too */
		f.lang = LANG_ES;
		screens_draw(&ui, &f, &cfg, &v);
		assert_true(has_text("✓ Letra grande"));
		screens_speech(&f, &v, said, sizeof said);
		assert_non_null(strstr(said, "La letra grande queda puesta"));
		/* the session: large on every screen of it */
		f.screen = SCR_PIN;
		screens_draw(&ui, &f, &cfg, &v);
		assert_true(ui.body_px > body);
		f.screen = SCR_REVIEW;
		screens_draw(&ui, &f, &cfg, &v);
		assert_true(ui.body_px > body);
		/* it ends: the start screen at the standard size, the switch off */
		f.screen = SCR_START;
		screens_draw(&ui, &f, &cfg, &v);
		assert_false(v.large_text);
		assert_int_equal(ui.body_px, body);
		assert_true(has_text("Letra grande") && !has_text("✓ Letra grande"));
		/* switched on and off again on the start screen */
		screens_press(&v, &f, "kiosk:large_text", &ev, buf);
		screens_press(&v, &f, "kiosk:large_text", &ev, buf);
		screens_draw(&ui, &f, &cfg, &v);
		assert_int_equal(ui.body_px, body);
	}
	ui.text_scale = 0;
}

/* The PIN is masked; the keypad types digits; the review pages. */
static void test_pin_masked_and_keys(void **state)
{
	struct session f;
	struct kiosk_view v = {.last_screen = SCR_COUNT};
	struct session_event ev;
	char buf[64];
	int seen_digits = 0;

	(void)state;
	make_session(&f, SCR_PIN, LANG_EN, R_NONE);
	snprintf(f.input, sizeof f.input, "1234");
	ui.w = 1280;
	ui.h = 800;
	screens_draw(&ui, &f, &cfg, &v);
	for (int i = 0; i < ui.n_cmds; i++)
		if (ui.cmds[i].kind == UI_TEXT && strstr(ui.cmds[i].text, "1234"))
			seen_digits = 1;
	assert_false(seen_digits);
	assert_non_null(ui_button_rect(&ui, "key:7"));
	assert_int_equal(screens_press(&v, &f, "key:7", &ev, buf), PRESS_EVENT);
	assert_int_equal(ev.kind, EV_TYPE);
	assert_string_equal(ev.text, "7");
	assert_int_equal(screens_press(&v, &f, "ok", &ev, buf), PRESS_EVENT);
	assert_int_equal(ev.kind, EV_PRESS);
	assert_string_equal(ev.button, "ok");
	/* the keyboard has what Spanish needs */
	make_session(&f, SCR_SOURCE_EDIT, LANG_ES, R_NONE);
	v.kb = KB_SYMBOLS;
	v.last_screen = SCR_SOURCE_EDIT;
	screens_draw(&ui, &f, &cfg, &v);
	for (const char *const *k = (const char *const[]){"key:á", "key:é", "key:í", "key:ó",
		"key:ú", "key:ü", "key:ñ", "key:¿", "key:¡", NULL}; *k; k++)
		if (!ui_button_rect(&ui, *k))
			fail_msg("no key %s", *k);
}

/* The keyboard on a 7-inch 800x480 panel: its four-row layout has every key
 * the full keyboard has on each page (the same characters, accents, symbols
 * and ñ), each at least 9 mm; "are you still there?" takes its place when
 * both do not fit. */
static void test_keyboard_small_panel(void **state)
{
	static struct session f;
	struct kiosk_view v = {.last_screen = SCR_COUNT};
	float ppm = (float)(hypot(800, 480) / (7.0 * 25.4));

	(void)state;
	for (int mode = 0; mode < 3; mode++) {
		char full[UI_MAX_BUTTONS][UI_ID];
		int n = 0, rows = 0, last_y = -1;

		make_session(&f, SCR_SOURCE_EDIT, LANG_ES, R_NONE);
		v.kb = (enum kb_mode)mode;
		ui.w = 1280;
		ui.h = 800;
		ui.px_per_mm = 0;
		screens_draw(&ui, &f, &cfg, &v);
		for (int i = 0; i < ui.n_buttons; i++)
			if (strncmp(ui.buttons[i].id, "key:", 4) == 0 ||
			    strncmp(ui.buttons[i].id, "kiosk:kb_", 9) == 0 ||
			    strcmp(ui.buttons[i].id, "clear") == 0 ||
			    strcmp(ui.buttons[i].id, "backspace") == 0)
				snprintf(full[n++], UI_ID, "%s", ui.buttons[i].id);
		assert_int_equal(n, 40 + 5);
		ui.w = 800;
		ui.h = 480;
		ui.px_per_mm = ppm;
		screens_draw(&ui, &f, &cfg, &v);
		assert_false(ui.overflow);
		for (int i = 0; i < n; i++) {
			const struct ui_rect *r = ui_button_rect(&ui, full[i]);
			if (!r)
				fail_msg("page %d: no key %s at 800x480", mode, full[i]);
			if (r->w < 9 * ppm || r->h < 9 * ppm)
				fail_msg("page %d: key %s is %d x %d px, under 9 mm", mode, full[i],
					 r->w, r->h);
			if (strncmp(full[i], "key:", 4) == 0 && r->y != last_y) {
				rows += r->y > last_y;
				last_y = r->y;
			}
		}
		assert_int_equal(rows, 4);	/* the digits' row and three of letters */
	}
	/* the question and its button, the field, and no keys */
	make_session(&f, SCR_SOURCE_EDIT, LANG_EN, R_STILL_THERE);
	v.kb = KB_LOWER;
	screens_draw(&ui, &f, &cfg, &v);
	assert_false(ui.overflow);
	assert_non_null(ui_button_rect(&ui, "still_here"));
	assert_non_null(ui_button_rect(&ui, "focus_source_address"));
	assert_null(ui_button_rect(&ui, "key:a"));
	/* once answered, the keys are back */
	f.message = R_NONE;
	screens_draw(&ui, &f, &cfg, &v);
	assert_non_null(ui_button_rect(&ui, "key:a"));
	ui.px_per_mm = 0;
}

static int setup(void **state)
{
	(void)state;
	setenv("TZ", "UTC", 1);
	assert_int_equal(TTF_Init(), 0);
	config_defaults(&cfg);
	{
		/* the most town buttons there can be (SESSION_MAX_TOWNS), long ones
		 * among them, and ZIP codes, which are typed, not buttons */
		static const char *const area[] = {
			"Lee's Summit", "Grandview", "Raytown", "Independence", "Blue Springs",
			"Kansas City, Kansas", "Pe\xc3\xb1" "asco", "Llano Quemado-Ranchos de Taos",
			"64124", "64050", "Sugar Creek",
		};

		cfg.n_area = (int)HG_ARRAY_LEN(area);
		for (size_t i = 0; i < HG_ARRAY_LEN(area); i++)
			snprintf(cfg.area[i], sizeof cfg.area[i], "%s", area[i]);
		assert_int_equal(session_n_towns(&cfg), SESSION_MAX_TOWNS);
	}
	memset(&ui, 0, sizeof ui);
	ui.measure = measure;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	for (int f = 0; f < FONT_COUNT; f++)
		for (int p = 0; p < 200; p++)
			if (fonts[f][p])
				TTF_CloseFont(fonts[f][p]);
	TTF_Quit();
	return 0;
}

/* Do the text commands of the last draw hold words, lines wrapped at
 * spaces joined again with one? */
static int drawn(const char *words)
{
	static char all[16384];
	size_t len = 0;

	all[0] = '\0';
	for (int i = 0; i < ui.n_cmds && len < sizeof all; i++) {
		int w;

		if (ui.cmds[i].kind != UI_TEXT)
			continue;
		w = snprintf(all + len, sizeof all - len, "%s%s", len ? " " : "", ui.cmds[i].text);
		if (w < 0 || (size_t)w >= sizeof all - len)
			break;
		len += (size_t)w;
	}
	return strstr(all, words) != NULL;
}

/* The refusal offline_waste names the days and the waste types of the
 * configuration, on the refused screen's list and in the message line, in
 * English and Spanish (core/policy.c policy_reason_text()). */
static void test_offline_refusal_words(void **state)
{
	static const struct {
		enum lang lang;
		const char *days, *types;
	} rows[] = {
		{ LANG_EN, "for 30 days", "only septic tank waste and portable toilet waste." },
		{ LANG_ES, "desde hace 30 días",
		  "solo recibe residuos de fosa séptica y residuos de baños portátiles." },
	};
	struct session f;
	struct kiosk_view v = {.last_screen = SCR_COUNT};

	(void)state;
	ui.w = 1280;
	ui.h = 800;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		/* the decision's list */
		make_session(&f, SCR_REFUSED, rows[i].lang, R_NONE);
		f.load.d.n_refuse = 1;
		f.load.d.refuse[0] = R_OFFLINE_WASTE;
		v.last_screen = SCR_COUNT;
		screens_draw(&ui, &f, &cfg, &v);
		if (!drawn(rows[i].days) || !drawn(rows[i].types))
			fail_msg("%s: the refused screen does not say \"%s\" and \"%s\"",
				 i18n_lang_code(rows[i].lang), rows[i].days, rows[i].types);
		/* the message line */
		make_session(&f, SCR_WASTE, rows[i].lang, R_OFFLINE_WASTE);
		v.last_screen = SCR_COUNT;
		screens_draw(&ui, &f, &cfg, &v);
		if (!drawn(rows[i].days) || !drawn(rows[i].types))
			fail_msg("%s: the message line does not say \"%s\" and \"%s\"",
				 i18n_lang_code(rows[i].lang), rows[i].days, rows[i].types);
	}
}

/* The picture p drawn this frame, with its words: its command, or NULL. */
static const struct ui_cmd *picture(enum ui_picture p)
{
	for (int i = 0; i < ui.n_cmds; i++)
		if (ui.cmds[i].kind == UI_IMAGE && ui.cmds[i].pic == p)
			return &ui.cmds[i];
	return NULL;
}

/* Issue 13's pictures, at every size in both languages: the start screen's
 * card reader, a pictogram on each waste type's button (inside it, with the
 * button's name as its words), the RV rules as four pictures each with its
 * rule; and speech reads the words beside them. */
static void test_pictures_shown(void **state)
{
	static struct session f;
	struct kiosk_view v;
	char what[160], said[2048];
	static const char *const rules[] = {"ui.rv_rules.rule1", "ui.rv_rules.rule2",
					    "ui.rv_rules.rule3", "ui.rv_rules.rule4"};

	(void)state;
	problems = 0;
	for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++)
		for (int l = 0; l < LANG_COUNT; l++) {
			enum lang lang = (enum lang)l;

			ui.w = sizes[z].w;
			ui.h = sizes[z].h;
			snprintf(what, sizeof what, "%dx%d in %s", ui.w, ui.h, i18n_lang_code(lang));
			memset(&v, 0, sizeof v);
			v.last_screen = SCR_COUNT;
			make_session(&f, SCR_START, lang, R_NONE);
			screens_draw(&ui, &f, &cfg, &v);
			if (!picture(PIC_CARD_READER) ||
			    strcmp(picture(PIC_CARD_READER)->text, i18n_text("ui.start.reader", lang)))
				PROBLEM("%s: start screen without the card reader's picture", what);
			screens_speech(&f, &v, said, sizeof said);
			if (!strstr(said, i18n_text("ui.start.reader", lang)))
				PROBLEM("%s: speech does not read the card reader's words", what);

			make_session(&f, SCR_WASTE, lang, R_NONE);
			f.load.m.waste = WASTE_NONE;
			screens_draw(&ui, &f, &cfg, &v);
			for (int w = WASTE_SEPTAGE; w < WASTE_COUNT; w++) {
				const struct ui_cmd *c = picture((enum ui_picture)(PIC_WASTE_SEPTAGE + w - 1));
				char id[UI_ID];
				const struct ui_rect *b;

				snprintf(id, sizeof id, "waste_%s", waste_code((enum waste_type)w));
				b = ui_button_rect(&ui, id);
				if (!c || !b || strcmp(c->text, waste_name((enum waste_type)w, lang)) ||
				    c->r.x < b->x || c->r.y < b->y || c->r.x + c->r.w > b->x + b->w ||
				    c->r.y + c->r.h > b->y + b->h)
					PROBLEM("%s: button %s without its pictogram", what, id);
			}

			make_session(&f, SCR_RV_RULES, lang, R_NONE);
			f.kind = SESS_RV;
			screens_draw(&ui, &f, &cfg, &v);
			screens_speech(&f, &v, said, sizeof said);
			for (int i = 0; i < 4; i++) {
				const struct ui_cmd *c = picture((enum ui_picture)(PIC_RV_WASTE + i));
				if (!c || strcmp(c->text, i18n_text(rules[i], lang)))
					PROBLEM("%s: RV rule %d without its picture", what, i + 1);
				if (!strstr(said, i18n_text(rules[i], lang)))
					PROBLEM("%s: speech does not read RV rule %d", what, i + 1);
			}
		}
	assert_int_equal(problems, 0);
}

/* A picture shrinks, then is left out, before its words are cut: beside a
 * text that needs the whole width there is no picture and no overflow; a
 * button whose label needs its whole width has no pictogram. */
static void test_picture_gives_way(void **state)
{
	static const char *const long_text =
		"Solo las aguas del tanque de su casa rodante: sin químicos, aceite, "
		"combustible ni basura.";
	int h, full, roomy, tight = 300;

	(void)state;
	ui.w = 800;
	ui.h = 480;
	ui_begin(&ui);
	full = ui_text_height(&ui, 300, FONT_BODY, ui.body_px, long_text);
	/* the narrowest width the words take that many lines at */
	while (ui_text_height(&ui, tight - 1, FONT_BODY, ui.body_px, long_text) == full)
		tight--;
	/* room for the words beside a big picture */
	h = ui_picture_text(&ui, (struct ui_rect){0, 0, 800, 400}, PIC_RV_WASTE, 200, FONT_BODY,
			    ui.body_px, long_text);
	assert_non_null(picture(PIC_RV_WASTE));
	roomy = picture(PIC_RV_WASTE)->r.w;
	assert_int_equal(roomy, 200);
	assert_true(h >= 200);
	assert_int_equal(ui.overflow, 0);
	/* only the words' own height: the picture shrinks to it */
	ui_begin(&ui);
	h = ui_picture_text(&ui, (struct ui_rect){0, 0, 300 + ui.touch + ui.gap, full}, PIC_RV_WASTE,
			    200, FONT_BODY, ui.body_px, long_text);
	assert_non_null(picture(PIC_RV_WASTE));
	assert_true(picture(PIC_RV_WASTE)->r.w < roomy);
	assert_true(h <= full);
	assert_int_equal(ui.overflow, 0);
	/* the words need the whole width: no picture, nothing cut */
	ui_begin(&ui);
	h = ui_picture_text(&ui, (struct ui_rect){0, 0, tight, full}, PIC_RV_WASTE, 200, FONT_BODY,
			    ui.body_px, long_text);
	assert_null(picture(PIC_RV_WASTE));
	assert_int_equal(h, full);
	assert_int_equal(ui.overflow, 0);
	/* a button: a wide one has its pictogram, a narrow one gives it up */
	ui_begin(&ui);
	ui_button_pic(&ui, (struct ui_rect){0, 0, 400, 100}, "waste_grease", "Grease trap waste",
		      UI_STYLE_NORMAL, PIC_WASTE_GREASE);
	assert_non_null(picture(PIC_WASTE_GREASE));
	{
		/* a fingertip high: two lines do not fit; just as wide as the
		 * label's one line */
		const char *label = "Residuos de trampa de grasa";
		int w = 0, lh = 0;

		measure(NULL, FONT_BOLD, ui.body_px, label, &w, &lh);
		assert_true(2 * lh > ui.touch - ui.gap / 2 * 2);
		ui_begin(&ui);
		ui_button_pic(&ui, (struct ui_rect){0, 0, w + 2 * ui.gap, ui.touch}, "waste_grease",
			      label, UI_STYLE_NORMAL, PIC_WASTE_GREASE);
		assert_null(picture(PIC_WASTE_GREASE));
		assert_true(has_text(label));
		assert_int_equal(ui.overflow, 0);
	}
}

/* The button id's label, drawn inside its rectangle, says words. */
static int button_says(const char *id, const char *words)
{
	for (int b = 0; b < ui.n_buttons; b++) {
		const struct ui_rect *r = &ui.buttons[b].r;

		if (strcmp(ui.buttons[b].id, id) != 0)
			continue;
		for (int i = 0; i < ui.n_cmds; i++) {
			const struct ui_cmd *c = &ui.cmds[i];

			if (c->kind == UI_TEXT && strstr(c->text, words) && c->r.x >= r->x &&
			    c->r.y >= r->y && c->r.x < r->x + r->w && c->r.y < r->y + r->h)
				return 1;
		}
	}
	return 0;
}

/* The types of industry (issue 13): the list's buttons in the person's
 * language, the source's own typed one as is, "other"; the plant's list
 * (here set as its policy would set it) is the one drawn; the longest list
 * the configuration takes (12, with a kept one and "other": 14 buttons)
 * holds at every size in both languages. */
static void test_industry_buttons(void **state)
{
	static const char *const longest[CFG_MAX_INDUSTRIES] = {
		"residential", "restaurant", "car wash", "commercial", "school", "campground",
		"mobile home park", "construction", "food processing", "veterinary clinic",
		"slaughterhouse and meat packing", "dental office",
	};
	struct config saved = cfg;
	static struct session f;
	struct kiosk_view v = {.last_screen = SCR_COUNT};
	char what[160];

	(void)state;
	ui.w = 1280;
	ui.h = 800;
	make_session(&f, SCR_SOURCE_INDUSTRY, LANG_ES, R_NONE);
	screens_draw(&ui, &f, &cfg, &v);
	assert_true(button_says("industry_1", "Residencial"));
	assert_true(button_says("industry_3", "Lavado de autos"));
	assert_true(button_says("keep_industry", "Galvanoplastia y cromado"));
	assert_true(button_says("other_industry", "Otro"));
	assert_false(has_button("industry_10"));
	make_session(&f, SCR_SOURCE_INDUSTRY, LANG_EN, R_NONE);
	snprintf(f.edit.industry, sizeof f.edit.industry, "restaurant");	/* chosen before */
	v.last_screen = SCR_COUNT;
	screens_draw(&ui, &f, &cfg, &v);
	assert_true(button_says("industry_2", "✓ Restaurant"));
	assert_false(has_button("keep_industry"));

	/* the plant's list: a type without a catalogue entry shows as written */
	cfg.n_industries = 2;
	snprintf(cfg.industries[0], sizeof cfg.industries[0], "brewery");
	snprintf(cfg.industries[1], sizeof cfg.industries[1], "restaurant");
	make_session(&f, SCR_SOURCE_INDUSTRY, LANG_ES, R_NONE);
	v.last_screen = SCR_COUNT;
	screens_draw(&ui, &f, &cfg, &v);
	assert_true(button_says("industry_1", "brewery"));
	assert_true(button_says("industry_2", "Restaurante"));
	assert_false(has_button("industry_3"));

	problems = 0;
	cfg.n_industries = CFG_MAX_INDUSTRIES;
	for (int i = 0; i < CFG_MAX_INDUSTRIES; i++)
		snprintf(cfg.industries[i], sizeof cfg.industries[i], "%s", longest[i]);
	for (size_t z = 0; z < HG_ARRAY_LEN(sizes); z++)
		for (int l = 0; l < LANG_COUNT; l++) {
			make_session(&f, SCR_SOURCE_INDUSTRY, (enum lang)l, R_INPUT_CHOICE);
			ui.w = sizes[z].w;
			ui.h = sizes[z].h;
			v.last_screen = SCR_COUNT;
			screens_draw(&ui, &f, &cfg, &v);
			snprintf(what, sizeof what, "12 types of industry at %dx%d in %s", ui.w, ui.h,
				 i18n_lang_code((enum lang)l));
			check_frame(what);
			if (!has_button("industry_12") || !has_button("keep_industry") ||
			    !has_button("other_industry"))
				PROBLEM("%s: a button is missing", what);
		}
	cfg = saved;
	assert_int_equal(problems, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_screen_every_size),
		cmocka_unit_test(test_every_screen_every_panel),
		cmocka_unit_test(test_every_screen_drawn),
		cmocka_unit_test(test_strip),
		cmocka_unit_test(test_touch_targets),
		cmocka_unit_test(test_large_text),
		cmocka_unit_test(test_operator_notices),
		cmocka_unit_test(test_operator_sync),
		cmocka_unit_test(test_pin_masked_and_keys),
		cmocka_unit_test(test_keyboard_small_panel),
		cmocka_unit_test(test_offline_refusal_words),
		cmocka_unit_test(test_pictures_shown),
		cmocka_unit_test(test_picture_gives_way),
		cmocka_unit_test(test_industry_buttons),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
