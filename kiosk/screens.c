/* screens.c: every screen of the kiosk, drawn from the core's state.
 *
 * One drawer per screen id (drawers[], as long as the core's screen table:
 * the build checks it), all built on one frame: a header (the screen's
 * title, ui.<screen id>.title, and the language buttons), a banner for the
 * last message (with a symbol: never colour alone), a body, and a footer
 * with the way back on the left and the way on at the right.  Button ids are the core's (docs/SCENARIOS.md);
 * "key:<c>" is a key of the on-screen keyboard or keypad and "kiosk:<x>" is
 * the kiosk's own (keyboard page, review page, speech, large text).  Strings come from the
 * translation files by key (assets/i18n/en.po, es.po).  Start reading at
 * screens_draw(). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "screens.h"
#include "screens_int.h"
#include "../station/sync.h"
#include "../core/i18n.h"
#include "../core/report.h"
#include "../core/text.h"

static const struct session *cur;	/* the session being drawn, for T() */
static const struct config *cur_cfg;	/* its station's config, for msg() */

static const char *T(const char *key)
{
	return i18n_text(key, cur ? cur->lang : LANG_EN);
}

/* What the person reads for r, into buf: its message, with the days and
 * the waste types of the config for offline_waste (policy_reason_text()). */
static const char *msg(char *buf, size_t cap, enum reason r)
{
	enum lang lang = cur ? cur->lang : LANG_EN;

	if (!cur_cfg) {
		snprintf(buf, cap, "%s", i18n_msg(r, lang));
		return buf;
	}
	return policy_reason_text(cur_cfg, r, lang, buf, cap);
}

/* The current screen's own text part ("title", "prompt"): the translation
 * ui.<screen id>.<part>, the id being the core's (core/session.c's table). */
static const char *screen_text(const char *part)
{
	char key[64];

	snprintf(key, sizeof key, "ui.%s.%s", screen_id(cur ? cur->screen : SCR_START), part);
	return T(key);
}

/* "%s" of a translated format with one value, into buf. */
static const char *fmt1(char *buf, size_t cap, const char *key, const char *v)
{
	const char *f = T(key);
	const char *p = strstr(f, "%s");

	if (!p)
		snprintf(buf, cap, "%s %s", f, v);
	else
		snprintf(buf, cap, "%.*s%s%s", (int)(p - f), f, v, p + 2);
	return buf;
}

/* key's text with its first "%s" replaced by a and its second by b
 * (screens_fmt2(), kiosk/screens_strip.c), in the session's language. */
static const char *fmt2(char *buf, size_t cap, const char *key, const char *a, const char *b)
{
	return screens_fmt2(buf, cap, cur ? cur->lang : LANG_EN, key, a, b);
}

/* The operator's lines about loads the last run left open: "Load 12:
 * discharge interrupted at 14:02, receipt kept", "Load 13 waits for a
 * sample", each on its own line, into buf[cap] (each starting "\n"). */
static void notice_lines(char *buf, size_t cap, const struct kiosk_view *v)
{
	size_t len = 0;

	buf[0] = '\0';
	for (int i = 0; i < v->n_notices && i < (int)HG_ARRAY_LEN(v->notices); i++) {
		const struct kiosk_notice *n = &v->notices[i];
		char no[24], at[8], line[256];
		time_t t = (time_t)n->when;
		struct tm tm;

		snprintf(no, sizeof no, "%lld", n->load_no);
		at[0] = '\0';
		if (localtime_r(&t, &tm))
			strftime(at, sizeof at, "%H:%M", &tm);
		fmt2(line, sizeof line, n->waiting ? "ui.health.waiting" : "ui.health.interrupted",
		     no, at);
		if (len + strlen(line) + 2 > cap)
			break;
		len += (size_t)snprintf(buf + len, cap - len, "\n%s", line);
	}
}

/* ---- the strip: where am I, who, which truck, what time ---- */

/* ---- the frame ---- */

struct frame {
	struct ui_rect body;
	struct ui_rect left;	/* footer, left: back / cancel */
	struct ui_rect mid;	/* footer, middle */
	struct ui_rect right;	/* footer, right: the way on */
};

static int is_error(enum reason r)
{
	return r != R_NONE && !(r >= R_SAMPLE_FIRST_LOAD && r <= R_SAMPLE_NO_ANALYSIS) &&
	       r != R_STILL_THERE;
}

/* The frame of screen f->screen, titled title or, when NULL, with the
 * screen's own title (ui.<screen id>.title: the core's screen table names
 * it), and the last message when show_message. */
static struct frame frame(struct ui *ui, const struct session *f, struct kiosk_view *v,
			  const char *title, int show_message)
{
	struct frame fr;
	struct ui_rect head, langs, r;
	int hh = ui->touch + ui->gap;

	if (!title)
		title = screen_text("title");

	head = ui_cut_top(ui, hh + ui->pad);
	head = ui_inset(head, ui->pad / 2);
	{
		/* language buttons as wide as their longest name needs, on one line */
		int lw = 2 * ui->touch, w, h;
		static const char *const names[] = {"✓ English", "✓ Español"};
		for (int i = 0; i < 2; i++)
			if (ui->measure && ui->measure(ui->measure_ctx, FONT_BOLD, ui->body_px, names[i],
						       &w, &h) == 0 && w + 3 * ui->gap > lw)
				lw = w + 3 * ui->gap;
		langs = (struct ui_rect){head.x + head.w - 2 * lw - ui->gap, head.y, 2 * lw + ui->gap,
					 head.h};
	}
	ui_button(ui, ui_col(ui, langs, 2, 0), "lang_en", "English",
		  f->lang == LANG_EN ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	ui_button(ui, ui_col(ui, langs, 2, 1), "lang_es", "Español",
		  f->lang == LANG_ES ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	r = head;
	r.w = langs.x - head.x - ui->gap;
	{
		/* a long title (a station's name) steps down to body size, and
		 * to the small size when that is too wide (large text, upright) */
		int tw, th, px = ui->title_px;
		if (ui->measure && ui->measure(ui->measure_ctx, FONT_BOLD, px, title, &tw, &th) == 0 &&
		    tw > r.w)
			px = ui->body_px;
		if (px == ui->body_px && ui->measure &&
		    ui->measure(ui->measure_ctx, FONT_BOLD, px, title, &tw, &th) == 0 && tw > r.w)
			px = ui->small_px;
		ui_label(ui, r, FONT_BOLD, px, UI_TEXT_C, UI_LEFT, title);
	}
	screens_strip(ui, f, v);

	if (show_message && f->message != R_NONE) {
		char text[600], words[512];
		int err = is_error(f->message);
		struct ui_rect b = ui->box;
		int th;

		b = ui_inset((struct ui_rect){b.x, b.y, b.w, 0}, 0);
		snprintf(text, sizeof text, "%s %s", err ? "⚠" : "ℹ",
			 msg(words, sizeof words, f->message));
		th = ui_text_height(ui, ui->box.w - 2 * ui->pad - 2 * ui->gap, FONT_BOLD,
				    ui->body_px, text);
		b = ui_cut_top(ui, th + 2 * ui->gap);
		b.x += ui->pad / 2;
		b.w -= ui->pad;
		ui_fill(ui, b, err ? UI_BANNER_ERR : UI_BANNER_INFO);
		ui_text(ui, ui_inset(b, ui->gap), FONT_BOLD, ui->body_px, UI_BTN_TEXT, text, 0, NULL);
		if (f->message == R_STILL_THERE) {
			b = ui_cut_top(ui, ui->touch + ui->gap);
			b = ui_inset(b, ui->gap / 2);
			b.x += ui->pad / 2;
			b.w -= ui->pad;
			ui_button(ui, b, "still_here", T("ui.btn.still_here"), UI_STYLE_PRIMARY);
		}
	}
	r = ui_cut_bottom(ui, ui->touch + ui->pad);
	r = ui_inset(r, ui->pad / 2);
	fr.left = ui_col(ui, r, 3, 0);
	fr.mid = ui_col(ui, r, 3, 1);
	fr.right = ui_col(ui, r, 3, 2);
	fr.body = ui_inset(ui->box, ui->pad / 2);
	return fr;
}

static void cancel_button(struct ui *ui, struct ui_rect r)
{
	ui_button(ui, r, "cancel", T("ui.btn.cancel"), UI_STYLE_DANGER);
}

static void prompt(struct ui *ui, struct ui_rect *body, const char *text)
{
	int h = ui_text_height(ui, body->w, FONT_BODY, ui->body_px, text);
	struct ui_rect r = {body->x, body->y, body->w, h};

	ui_text(ui, r, FONT_BODY, ui->body_px, UI_TEXT_C, text, 0, NULL);
	body->y += h + ui->gap;
	body->h -= h + ui->gap;
	if (body->h < 0)
		body->h = 0;
}

/* ---- fields and keys ---- */

/* The height of a text field: its label and a fingertip-high box. */
static int field_h(const struct ui *ui)
{
	return ui->small_px * 13 / 10 + ui->touch;
}

/* The prompt above one field and a keyboard, when there is room for it; on a
 * small screen the field and the keys come first. */
static void prompt_above_keyboard(struct ui *ui, struct ui_rect *body, const char *text)
{
	if (body->h - ui_text_height(ui, body->w, FONT_BODY, ui->body_px, text) >=
	    ui_keyboard_h(ui) + field_h(ui) + 2 * ui->gap)
		prompt(ui, body, text);
}

/* The top of b, at most three fingertips high: the big START / STOP / done. */
static struct ui_rect big_rect(const struct ui *ui, struct ui_rect b)
{
	if (b.h > ui->touch * 3)
		b.h = ui->touch * 3;
	return b;
}

/* Split the body into fields on top and a keyboard below. */
static void fields_and_keyboard(struct ui *ui, const struct session *f, struct kiosk_view *v,
				struct ui_rect body, const char *const *names,
				const char *const *labels, const char *const *values, int n)
{
	int fh = field_h(ui);
	int kh = ui_keyboard_h(ui);
	int room;

	/* keys may shrink to 3/4 of a fingertip before the fields are squeezed */
	if (body.h - fh - ui->gap < kh)
		kh = body.h - fh - ui->gap;
	/* "are you still there?" and its button take the keyboard's place when
	 * both do not fit with fingertip keys (a 7-inch panel): the answer
	 * brings the keys back */
	if (f->message == R_STILL_THERE && kh < ui_keyboard_min_h(ui, body.w))
		kh = -ui->gap;
	room = body.h - kh - ui->gap;
	struct ui_rect fr = {body.x, body.y, body.w, fh};
	int stacked = room >= n * fh + (n - 1) * ui->gap;
	char id[UI_ID];

	for (int i = 0; i < n; i++) {
		struct ui_rect r = stacked ? (struct ui_rect){body.x, body.y + i * (fh + ui->gap), body.w, fh}
					   : ui_col(ui, fr, n, i);
		snprintf(id, sizeof id, "focus_%s", names[i]);
		ui_field(ui, r, id, labels[i], values[i], strcmp(f->focus, names[i]) == 0, 0);
	}
	ui_cut_top(ui, 0);
	if (kh > 0) {
		struct ui_rect k = {body.x, body.y + body.h - kh, body.w, kh};
		ui_keyboard(ui, k, v->kb, T("ui.key.space"), T("ui.btn.clear"));
	}
}

/* A one-line input with a keypad beside (landscape) or below (portrait). */
static void input_and_keypad(struct ui *ui, const struct session *f, struct ui_rect body,
			     const char *label, int masked, const char *unit)
{
	struct ui_rect in, pad;
	int fh = field_h(ui);
	char value[HG_BUF(LIM_TEXT) + 32];

	snprintf(value, sizeof value, "%s%s%s", f->input, unit && f->input[0] ? " " : "",
		 unit && f->input[0] ? unit : "");
	if (body.w > body.h) {
		in = (struct ui_rect){body.x, body.y, body.w / 2 - ui->gap, fh};
		pad = (struct ui_rect){body.x + body.w / 2, body.y, body.w / 2,
				       body.h < 4 * ui->touch * 3 / 2 ? body.h : 4 * ui->touch * 3 / 2};
	} else {
		in = (struct ui_rect){body.x, body.y, body.w, fh};
		pad = (struct ui_rect){body.x, body.y + fh + ui->gap, body.w,
				       body.h - fh - ui->gap};
		if (pad.h > 4 * ui->touch * 3 / 2)
			pad.h = 4 * ui->touch * 3 / 2;
	}
	ui_field(ui, in, NULL, label, masked ? f->input : value, 1, masked);
	ui_keypad(ui, pad, T("ui.btn.clear"));
}

/* ---- the screens ---- */

/* The start screen's drawing of the card reader and how to tap, with its
 * words beside it, in what is left of b; left out whole when even the
 * words alone do not fit (the prompt above says it too). */
static void reader_picture(struct ui *ui, struct ui_rect b)
{
	const char *text = T("ui.start.reader");

	if (ui_text_height(ui, b.w, FONT_BODY, ui->body_px, text) > b.h)
		return;
	ui_picture_text(ui, b, PIC_CARD_READER, 4 * ui->touch, FONT_BODY, ui->body_px, text);
}

/* The RV rules: one picture and its words per rule (ui.rv_rules.rule<n>). */
static const char *const rv_rule_keys[] = {"ui.rv_rules.rule1", "ui.rv_rules.rule2",
					   "ui.rv_rules.rule3", "ui.rv_rules.rule4"};
static const enum ui_picture rv_rule_pics[] = {PIC_RV_WASTE, PIC_RV_HOSE, PIC_RV_TIMER,
					       PIC_RV_SIGNIN};

static void draw_start(struct ui *ui, const struct session *f, const struct config *cfg,
		       struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, cfg->station_name, 1);
	struct ui_rect b = fr.body;
	const char *text = screen_text("prompt");	/* start, closed, out of service */

	ui_label(ui, (struct ui_rect){b.x, b.y, b.w, ui->big_px * 3 / 2}, FONT_BOLD, ui->big_px,
		 UI_TEXT_C, UI_CENTER, screen_text("title"));
	b.y += ui->big_px * 3 / 2 + ui->gap;
	b.h -= ui->big_px * 3 / 2 + ui->gap;
	prompt(ui, &b, text);
	/* what failed (relays, database), said even when another message
	 * took the banner */
	if (f->screen == SCR_OUT_OF_SERVICE && f->fault != R_NONE && f->message != f->fault)
		prompt(ui, &b, i18n_msg(f->fault, f->lang));
	/* faults said plainly, with what still works */
	if (v->reader_offline)
		prompt(ui, &b, T("ui.health.reader_offline"));
	if (v->printer_offline)
		prompt(ui, &b, T("ui.health.printer_offline"));
	if (v->network_down)
		prompt(ui, &b, T("ui.health.network_down"));
	if (f->screen == SCR_START)
		reader_picture(ui, b);
	if (f->screen == SCR_START)
		ui_button(ui, fr.right, "rv", T("ui.btn.rv"), UI_STYLE_PRIMARY);
	ui_button(ui, fr.left, "kiosk:speech", v->speech ? T("ui.btn.speech_off") :
		  T("ui.btn.speech_on"), v->speech ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	if (v->large_offered)
		ui_button(ui, fr.mid, "kiosk:large_text", T("ui.btn.large_text"),
			  v->large_text ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
}

static void draw_pin(struct ui *ui, const struct session *f, const struct config *cfg,
		     struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);	/* pin or operator_pin */

	(void)cfg;
	input_and_keypad(ui, f, fr.body, T("ui.pin.label"), 1, NULL);
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "ok", T("ui.btn.ok"), UI_STYLE_PRIMARY);
}

static void draw_truck(struct ui *ui, const struct session *f, const struct config *cfg,
		       struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;
	int n = f->card.n_trucks, cols = b.w > b.h ? 3 : 2, rows = (n + cols - 1) / cols;
	char id[UI_ID], label[128];

	(void)cfg;
	if (session_repeat_offered(f)) {
		/* same as last time, above the trucks of a new form */
		const struct manifest *last = &f->card.last;
		char what[160], text[400];
		struct ui_rect r = {b.x, b.y, b.w, ui->touch * 3 / 2};

		snprintf(what, sizeof what, "%s, %s", last->truck, waste_name(last->waste, f->lang));
		ui_button(ui, r, "repeat_last",
			  fmt2(text, sizeof text, "ui.btn.repeat_last", what, last->sources[0].name),
			  UI_STYLE_PRIMARY);
		b.y += r.h + ui->gap;
		b.h -= r.h + ui->gap;
		if (b.h < 0)
			b.h = 0;
	}
	prompt(ui, &b, fmt1(label, sizeof label, "ui.truck.prompt", f->card.holder));
	if (rows < 2)
		rows = 2;
	for (int i = 0; i < n; i++) {
		struct ui_rect r = ui_col(ui, ui_row(ui, b, rows > 4 ? rows : 4, i / cols), cols, i % cols);
		snprintf(id, sizeof id, "truck_%d", i + 1);
		snprintf(label, sizeof label, "%s (%d gal)", f->card.trucks[i].ident,
			 f->card.trucks[i].capacity);
		ui_button(ui, r, id, label, f->load.m.truck_id == f->card.trucks[i].id
			  ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	}
	cancel_button(ui, fr.left);
}

static void draw_waste(struct ui *ui, const struct session *f, const struct config *cfg,
		       struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;
	char id[UI_ID];

	(void)cfg;
	prompt(ui, &b, T("ui.waste.prompt"));
	for (int w = 1; w < WASTE_COUNT; w++) {
		struct ui_rect r = ui_col(ui, ui_row(ui, b, 2, (w - 1) / 2), 2, (w - 1) % 2);
		snprintf(id, sizeof id, "waste_%s", waste_code((enum waste_type)w));
		ui_button_pic(ui, r, id, waste_name((enum waste_type)w, f->lang),
			      f->load.m.waste == (enum waste_type)w ? UI_STYLE_SELECTED : UI_STYLE_NORMAL,
			      (enum ui_picture)(PIC_WASTE_SEPTAGE + w - WASTE_SEPTAGE));
	}
	cancel_button(ui, fr.left);
}

static int source_in_load(const struct session *f, const struct source *s)
{
	for (int i = 0; i < f->load.m.n_sources; i++)
		if (strcmp(f->load.m.sources[i].name, s->name) == 0 &&
		    strcmp(f->load.m.sources[i].address, s->address) == 0)
			return 1;
	return 0;
}

static void draw_sources(struct ui *ui, const struct session *f, const struct config *cfg,
			 struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, left, right;
	int rowh = ui->touch, n, maxrows;
	char id[UI_ID], text[600];

	(void)cfg;
	prompt(ui, &b, T("ui.sources.prompt"));
	if (b.w > b.h) {
		left = (struct ui_rect){b.x, b.y, b.w / 2 - ui->gap / 2, b.h};
		right = (struct ui_rect){b.x + b.w / 2 + ui->gap / 2, b.y, b.w / 2 - ui->gap / 2, b.h};
	} else {
		left = (struct ui_rect){b.x, b.y, b.w, b.h / 2 - ui->gap / 2};
		right = (struct ui_rect){b.x, b.y + b.h / 2 + ui->gap / 2, b.w, b.h / 2 - ui->gap / 2};
	}
	/* this load's sources, each with edit and remove */
	ui_label(ui, (struct ui_rect){left.x, left.y, left.w, ui->small_px * 3 / 2}, FONT_BOLD,
		 ui->small_px, UI_TEXT_C, UI_LEFT, T("ui.sources.this_load"));
	left.y += ui->small_px * 3 / 2;
	left.h -= ui->small_px * 3 / 2;
	maxrows = (left.h + ui->gap) / (rowh + ui->gap);
	n = f->load.m.n_sources < maxrows ? f->load.m.n_sources : maxrows;
	if (f->load.m.n_sources == 0)
		ui_label(ui, (struct ui_rect){left.x, left.y, left.w, rowh}, FONT_BODY, ui->small_px,
			 UI_MUTED, UI_LEFT, T("ui.sources.none"));
	for (int i = 0; i < n; i++) {
		struct ui_rect r = {left.x, left.y + i * (rowh + ui->gap), left.w, rowh};
		struct ui_rect t = r, e, x;
		const struct source *s = &f->load.m.sources[i];
		int bw = ui->touch * 3 / 2;

		x = (struct ui_rect){r.x + r.w - bw, r.y, bw, r.h};
		e = (struct ui_rect){x.x - ui->gap - bw, r.y, bw, r.h};
		t.w = e.x - r.x - ui->gap;
		snprintf(text, sizeof text, "%d. %s", i + 1, s->name);
		ui_fill(ui, t, UI_FIELD);
		ui_label(ui, ui_inset(t, ui->gap / 2), FONT_BODY, ui->small_px, UI_TEXT_C, UI_LEFT,
			 text);
		snprintf(id, sizeof id, "edit_source_%d", i + 1);
		ui_button(ui, e, id, T("ui.btn.edit"), UI_STYLE_NORMAL);
		snprintf(id, sizeof id, "remove_source_%d", i + 1);
		ui_button(ui, x, id, "✕", UI_STYLE_DANGER);
	}
	/* remembered sources and a new one */
	ui_label(ui, (struct ui_rect){right.x, right.y, right.w, ui->small_px * 3 / 2}, FONT_BOLD,
		 ui->small_px, UI_TEXT_C, UI_LEFT, T("ui.sources.known"));
	right.y += ui->small_px * 3 / 2;
	right.h -= ui->small_px * 3 / 2;
	maxrows = (right.h + ui->gap) / (rowh + ui->gap) - 1;
	n = f->card.n_known < maxrows ? f->card.n_known : maxrows;
	for (int i = 0; i < n; i++) {
		struct ui_rect r = {right.x, right.y + i * (rowh + ui->gap), right.w, rowh};
		snprintf(id, sizeof id, "known_%d", i + 1);
		ui_button(ui, r, id, f->card.known[i].name,
			  source_in_load(f, &f->card.known[i]) ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	}
	ui_button(ui, (struct ui_rect){right.x, right.y + n * (rowh + ui->gap), right.w, rowh},
		  "new_source", T("ui.btn.new_source"), UI_STYLE_NORMAL);
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "next", T("ui.btn.next"), UI_STYLE_PRIMARY);
}

static void draw_source_edit(struct ui *ui, const struct session *f, const struct config *cfg,
			     struct kiosk_view *v)
{
	static const char *const names[] = {"source_name", "source_address"};
	const char *labels[2] = {T("ui.field.source_name"), T("ui.field.source_address")};
	const char *values[2] = {f->edit.name, f->edit.address};
	struct frame fr = frame(ui, f, v, NULL, 1);

	(void)cfg;
	fields_and_keyboard(ui, f, v, fr.body, names, labels, values, 2);
	ui_button(ui, fr.left, "back", T("ui.btn.back"), UI_STYLE_NORMAL);
	ui_button(ui, fr.right, "save", T("ui.btn.save"), UI_STYLE_PRIMARY);
}

/* The choice buttons of a source's industry or town: the prompt, the
 * source's name and address (kept in sight, so a remembered source asked
 * for its town is known at a glance) when the buttons keep a fingertip's
 * height with it, then n buttons in a grid, ids[i] labels[i], the chosen
 * one marked; a column more while the rows would not fit. */
#define SOURCE_CHOICES (CFG_MAX_INDUSTRIES + 2)
static void source_choices(struct ui *ui, const struct session *f, struct ui_rect b,
			   const char *prompt_text, int n, char ids[][UI_ID],
			   const char *const *labels, int chosen)
{
	int cols, rows, rh;
	char text[HG_BUF(LIM_COMPANY) + HG_BUF(LIM_ADDRESS) + 8];

	cols = b.w > b.h ? (n > 4 ? 3 : 2) : (n > 3 ? 2 : 1);
	rows = (n + cols - 1) / cols;
	prompt(ui, &b, prompt_text);
	while (cols < 4 && rows * ui->touch + (rows - 1) * ui->gap > b.h) {
		cols++;
		rows = (n + cols - 1) / cols;
	}
	snprintf(text, sizeof text, "%s%s%s", f->edit.name, f->edit.address[0] ? " · " : "",
		 f->edit.address);
	if (b.h - ui_text_height(ui, b.w, FONT_BOLD, ui->small_px, text) - ui->gap >=
	    rows * ui->touch + (rows - 1) * ui->gap) {
		int h = ui_text_height(ui, b.w, FONT_BOLD, ui->small_px, text);

		ui_text(ui, (struct ui_rect){b.x, b.y, b.w, h}, FONT_BOLD, ui->small_px, UI_TEXT_C,
			text, 0, NULL);
		b.y += h + ui->gap;
		b.h -= h + ui->gap;
	}
	rh = (b.h - (rows - 1) * ui->gap) / rows;
	if (rh > ui->touch * 3 / 2)
		rh = ui->touch * 3 / 2;
	for (int i = 0; i < n; i++) {
		struct ui_rect row = {b.x, b.y + (i / cols) * (rh + ui->gap), b.w, rh};

		ui_button(ui, ui_col(ui, row, cols, i % cols), ids[i], labels[i],
			  i == chosen ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	}
}

/* The source's type of industry: [policy] industries as buttons in the
 * person's language (core/session.c: session_industry_label()), the
 * source's own when the list has it not (as is), then "other" for the
 * keyboard. */
static void draw_source_industry(struct ui *ui, const struct session *f,
				 const struct config *cfg, struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	char ids[SOURCE_CHOICES][UI_ID];
	const char *labels[SOURCE_CHOICES];
	int n = 0, chosen = -1;

	for (int i = 0; i < session_n_industries(cfg) && session_industry(cfg, i); i++, n++) {
		snprintf(ids[n], sizeof ids[n], "industry_%d", i + 1);
		labels[n] = session_industry_label(session_industry(cfg, i), f->lang);
		if (strcmp(f->edit.industry, session_industry(cfg, i)) == 0)
			chosen = n;
	}
	if (session_industry_kept(f, cfg)) {
		snprintf(ids[n], sizeof ids[n], "keep_industry");
		labels[n] = f->edit.industry;
		chosen = n++;
	}
	snprintf(ids[n], sizeof ids[n], "other_industry");
	labels[n++] = T("ui.btn.other_industry");
	source_choices(ui, f, fr.body, T("ui.source_industry.prompt"), n, ids, labels, chosen);
	ui_button(ui, fr.left, "back", T("ui.btn.back"), UI_STYLE_NORMAL);
}

/* What a source's list of choices has no button for, on the keyboard: one
 * field (name, its label's and the prompt's keys), back and save. */
static void other_on_keyboard(struct ui *ui, const struct session *f, struct kiosk_view *v,
			      const char *name, const char *label_key, const char *value,
			      const char *prompt_key)
{
	const char *const names[1] = {name};
	const char *labels[1] = {T(label_key)};
	const char *values[1] = {value};
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;

	prompt_above_keyboard(ui, &b, T(prompt_key));
	fields_and_keyboard(ui, f, v, b, names, labels, values, 1);
	ui_button(ui, fr.left, "back", T("ui.btn.back"), UI_STYLE_NORMAL);
	ui_button(ui, fr.right, "save", T("ui.btn.save"), UI_STYLE_PRIMARY);
}

/* Another type of industry on the keyboard. */
static void draw_other_industry(struct ui *ui, const struct session *f,
				const struct config *cfg, struct kiosk_view *v)
{
	(void)cfg;
	other_on_keyboard(ui, f, v, "source_industry", "ui.field.source_industry",
			  f->edit.industry, "ui.other_industry.prompt");
}

/* The source's town: the service area's towns as buttons (core/session.c:
 * session_town()), then "another town or ZIP" for the keyboard. */
static void draw_source_town(struct ui *ui, const struct session *f, const struct config *cfg,
			     struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	char ids[SOURCE_CHOICES][UI_ID];
	const char *labels[SOURCE_CHOICES];
	int n = 0, chosen = -1;

	for (const char *town; n < SESSION_MAX_TOWNS && (town = session_town(cfg, n)); n++) {
		snprintf(ids[n], sizeof ids[n], "town_%d", n + 1);
		labels[n] = town;
		if (strcmp(f->edit.town, town) == 0)
			chosen = n;
	}
	snprintf(ids[n], sizeof ids[n], "other_town");
	labels[n++] = T("ui.btn.other_town");
	source_choices(ui, f, fr.body, T("ui.source_town.prompt"), n, ids, labels, chosen);
	ui_button(ui, fr.left, "back", T("ui.btn.back"), UI_STYLE_NORMAL);
}

/* Another town, or a ZIP code, on the keyboard. */
static void draw_other_town(struct ui *ui, const struct session *f, const struct config *cfg,
			    struct kiosk_view *v)
{
	(void)cfg;
	other_on_keyboard(ui, f, v, "source_town", "ui.field.source_town", f->edit.town,
			  "ui.other_town.prompt");
}

static void draw_volume(struct ui *ui, const struct session *f, const struct config *cfg,
			struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	char label[160], cap[32];

	(void)cfg;
	snprintf(cap, sizeof cap, "%d", f->load.m.truck_capacity);
	input_and_keypad(ui, f, fr.body, fmt1(label, sizeof label, "ui.volume.label", cap), 0,
			 T("ui.unit.gallons"));
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "next", T("ui.btn.next"), UI_STYLE_PRIMARY);
}

static void draw_details(struct ui *ui, const struct session *f, const struct config *cfg,
			 struct kiosk_view *v)
{
	static const char *const names[] = {"characteristics", "constituents"};
	const char *labels[2] = {T("ui.field.characteristics"), T("ui.field.constituents")};
	const char *values[2] = {f->load.m.characteristics, f->load.m.constituents};
	struct frame fr = frame(ui, f, v, NULL, 1);

	(void)cfg;
	fields_and_keyboard(ui, f, v, fr.body, names, labels, values, 2);
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "next", T("ui.btn.next"), UI_STYLE_PRIMARY);
}

static void draw_rcra(struct ui *ui, const struct session *f, const struct config *cfg,
		      struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, row;
	static const char *const ids[] = {"rcra_no", "rcra_yes", "rcra_unknown"};
	static const char *const keys[] = {"ui.btn.rcra_no", "ui.btn.rcra_yes", "ui.btn.rcra_unknown"};

	(void)cfg;
	prompt(ui, &b, T("ui.rcra.prompt"));
	row = b;
	if (row.h > ui->touch * 2)
		row.h = ui->touch * 2;
	for (int i = 0; i < 3; i++)
		ui_button(ui, ui_col(ui, row, 3, i), ids[i], T(keys[i]),
			  f->load.m.rcra == (enum rcra)(i == 0 ? RCRA_NO : i == 1 ? RCRA_YES : RCRA_UNKNOWN)
			  ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	cancel_button(ui, fr.left);
}

static char record_buf[MANIFEST_RECORD_MAX];

static void draw_review(struct ui *ui, const struct session *f, const struct config *cfg,
			struct kiosk_view *v)
{
	static const char *const ids[] = {"edit_truck", "edit_waste", "edit_sources",
					  "edit_volume", "edit_details", "edit_rcra"};
	static const char *const keys[] = {"ui.btn.edit_truck", "ui.btn.edit_waste",
					   "ui.btn.edit_sources", "ui.btn.edit_volume",
					   "ui.btn.edit_details", "ui.btn.edit_rcra"};
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, text, edits, pager;
	int landscape = b.w > b.h;

	(void)cfg;
	if (manifest_record(&f->load.m, f->lang, record_buf, sizeof record_buf) < 0)
		record_buf[0] = '\0';
	if (landscape) {
		edits = (struct ui_rect){b.x + b.w * 2 / 3 + ui->gap, b.y, b.w / 3 - ui->gap, b.h};
		text = (struct ui_rect){b.x, b.y, b.w * 2 / 3, b.h - ui->touch - ui->gap};
		pager = (struct ui_rect){b.x, b.y + b.h - ui->touch, b.w * 2 / 3, ui->touch};
	} else {
		int eh = 3 * ui->touch + 2 * ui->gap;
		edits = (struct ui_rect){b.x, b.y + b.h - eh, b.w, eh};
		pager = (struct ui_rect){b.x, edits.y - ui->gap - ui->touch, b.w, ui->touch};
		text = (struct ui_rect){b.x, b.y, b.w, pager.y - ui->gap - b.y};
	}
	ui_fill(ui, text, UI_FIELD);
	ui_text(ui, ui_inset(text, ui->gap), FONT_BODY, ui->small_px, UI_TEXT_C, record_buf,
		v->page, &v->more);
	if (v->page > 0)
		ui_button(ui, ui_col(ui, pager, 2, 0), "kiosk:page_up", T("ui.btn.page_up"),
			  UI_STYLE_NORMAL);
	if (v->more)
		ui_button(ui, ui_col(ui, pager, 2, 1), "kiosk:page_down", T("ui.btn.page_down"),
			  UI_STYLE_NORMAL);
	for (int i = 0; i < 6; i++) {
		/* one column of six, or two of three where six fingertips do not
		 * fit one above the other (a banner on a 7-inch panel) */
		int one = landscape && edits.h >= 6 * ui->touch + 5 * ui->gap;
		struct ui_rect r = one ? ui_row(ui, edits, 6, i)
				       : ui_col(ui, ui_row(ui, edits, 3, i / 2), 2, i % 2);
		ui_button(ui, r, ids[i], T(keys[i]), UI_STYLE_NORMAL);
	}
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "next", T("ui.btn.to_certify"), UI_STYLE_PRIMARY);
}

static void draw_certify(struct ui *ui, const struct session *f, const struct config *cfg,
			 struct kiosk_view *v)
{
	static const char *const names[] = {"signer"};
	const char *labels[1] = {T("ui.field.signer")};
	const char *values[1] = {f->load.m.signer};
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;

	(void)cfg;
	prompt_above_keyboard(ui, &b, T("ui.certify.prompt"));
	fields_and_keyboard(ui, f, v, b, names, labels, values, 1);
	ui_button(ui, fr.left, "back", T("ui.btn.back"), UI_STYLE_NORMAL);
	ui_button(ui, fr.right, "certify", T("ui.btn.certify"), UI_STYLE_PRIMARY);
}

/* Every reason of the decision, one per line, in the person's language. */
static void reasons(struct ui *ui, struct ui_rect b, const enum reason *r, int n)
{
	char text[4096];
	size_t len = 0;

	text[0] = '\0';
	for (int i = 0; i < n && len + 8 < sizeof text; i++) {
		char words[512];
		int w = snprintf(text + len, sizeof text - len, "• %s\n",
				 msg(words, sizeof words, r[i]));
		if (w < 0 || (size_t)w >= sizeof text - len)
			break;
		len += (size_t)w;
	}
	ui_text(ui, b, FONT_BODY, ui->body_px, UI_TEXT_C, text, 0, NULL);
}

static void draw_refused(struct ui *ui, const struct session *f, const struct config *cfg,
			 struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 0);
	struct ui_rect b = fr.body;

	(void)cfg;
	prompt(ui, &b, f->committed && f->kind == SESS_HAULER ? T("ui.refused.prompt_slip")
								   : T("ui.refused.prompt"));
	reasons(ui, b, f->load.d.refuse, f->load.d.n_refuse);
	ui_button(ui, fr.right, "ok", T("ui.btn.ok"), UI_STYLE_PRIMARY);
}

static void draw_sample_hold(struct ui *ui, const struct session *f, const struct config *cfg,
			     struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 0);
	struct ui_rect b = fr.body;

	(void)cfg;
	prompt(ui, &b, T("ui.sample_hold.prompt"));
	reasons(ui, b, f->load.d.sample, f->load.d.n_sample);
	cancel_button(ui, fr.left);
}

static void clock_text(char *buf, size_t cap, long s)
{
	if (s < 0)
		s = 0;
	snprintf(buf, cap, "%ld:%02ld", s / 60, s % 60);
}

static void draw_discharge(struct ui *ui, const struct session *f, const struct config *cfg,
			   struct kiosk_view *v)
{
	int running = f->screen == SCR_DISCHARGING;
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, big;
	char t1[32], t2[32], line[160];
	long open_s, left;

	if (!running) {
		prompt(ui, &b, T("ui.discharge_ready.prompt"));
		big = big_rect(ui, b);
		ui_button_px(ui, big, "start", T("ui.btn.start"), UI_STYLE_PRIMARY, ui->title_px);
		cancel_button(ui, fr.left);
		return;
	}
	session_open_time(f, cfg, &open_s, &left);	/* the monotonic clock: a step of the wall
						 * clock changes neither */
	clock_text(t1, sizeof t1, open_s);
	clock_text(t2, sizeof t2, left);
	ui_label(ui, (struct ui_rect){b.x, b.y, b.w, ui->big_px * 3 / 2}, FONT_BOLD, ui->big_px,
		 UI_TEXT_C, UI_CENTER, fmt1(line, sizeof line, "ui.discharging.elapsed", t1));
	b.y += ui->big_px * 3 / 2;
	b.h -= ui->big_px * 3 / 2;
	ui_label(ui, (struct ui_rect){b.x, b.y, b.w, ui->body_px * 2}, FONT_BODY, ui->body_px,
		 UI_TEXT_C, UI_CENTER, fmt1(line, sizeof line, "ui.discharging.left", t2));
	b.y += ui->body_px * 2 + ui->gap;
	b.h -= ui->body_px * 2 + ui->gap;
	if (cfg->meter[0]) {	/* only with a flow meter: no meter, no line */
		char num[24], dec[72], mea[72];

		snprintf(num, sizeof num, "%ld", f->load.m.gallons);
		fmt1(dec, sizeof dec, "ui.discharging.declared", num);
		snprintf(num, sizeof num, "%ld", f->load.gallons_measured);
		if (f->meter.failing || f->meter.lost)
			snprintf(mea, sizeof mea, "%s", T("ui.discharging.not_measured"));
		else
			fmt1(mea, sizeof mea, "ui.discharging.measured", num);
		snprintf(line, sizeof line, "%s \xc2\xb7 %s", dec, mea);
		ui_label(ui, (struct ui_rect){b.x, b.y, b.w, ui->body_px * 2}, FONT_BOLD, ui->body_px,
			 UI_TEXT_C, UI_CENTER, line);
		b.y += ui->body_px * 2 + ui->gap;
		b.h -= ui->body_px * 2 + ui->gap;
	}
	big = big_rect(ui, b);
	ui_button_px(ui, big, "stop", T("ui.btn.stop"), UI_STYLE_DANGER, ui->big_px);
}

static void draw_done(struct ui *ui, const struct session *f, const struct config *cfg,
		      struct kiosk_view *v)
{
	int rv = f->screen == SCR_RV_DONE;
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;

	(void)cfg;
	prompt(ui, &b, rv ? T("ui.rv_done.prompt") : v->printer_offline ? T("ui.done.prompt_kept")
							      : T("ui.done.prompt"));
	ui_button(ui, fr.right, "ok", T("ui.btn.ok"), UI_STYLE_PRIMARY);
}

static void draw_rv_signin(struct ui *ui, const struct session *f, const struct config *cfg,
			   struct kiosk_view *v)
{
	static const char *const names[] = {"rv_name", "rv_plate", "rv_state"};
	const char *labels[3] = {T("ui.field.rv_name"), T("ui.field.rv_plate"),
				 T("ui.field.rv_state")};
	const char *values[3] = {f->rv.name, f->rv.plate, f->rv.plate_state};
	struct frame fr = frame(ui, f, v, NULL, 1);

	(void)cfg;
	fields_and_keyboard(ui, f, v, fr.body, names, labels, values, 3);
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "next", T("ui.btn.next"), UI_STYLE_PRIMARY);
}

static void draw_rv_rules(struct ui *ui, const struct session *f, const struct config *cfg,
			  struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;
	int n = (int)HG_ARRAY_LEN(rv_rule_keys), alone[HG_ARRAY_LEN(rv_rule_keys)], later = 0;
	int max = (b.h - (n - 1) * ui->gap) / n;

	(void)cfg;
	if (max > 2 * ui->touch)
		max = 2 * ui->touch;
	/* each rule may take the room the rules after it do not need */
	for (int i = 0; i < n; i++) {
		alone[i] = ui_text_height(ui, b.w, FONT_BODY, ui->body_px, T(rv_rule_keys[i]));
		later += alone[i] + ui->gap;
	}
	for (int i = 0; i < n; i++) {
		struct ui_rect r = b;
		int h;

		later -= alone[i] + ui->gap;
		r.h = b.h - later - (i < n - 1 ? ui->gap : 0);
		if (r.h < alone[i])
			r.h = alone[i];	/* too little room: ui_text reports it */
		h = ui_picture_text(ui, r, rv_rule_pics[i], max, FONT_BODY, ui->body_px,
				    T(rv_rule_keys[i])) + ui->gap;
		b.y += h;
		b.h -= h;
	}
	cancel_button(ui, fr.left);
	ui_button(ui, fr.right, "accept", T("ui.btn.accept"), UI_STYLE_PRIMARY);
}

static void draw_rv_declare(struct ui *ui, const struct session *f, const struct config *cfg,
			    struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, row;

	(void)cfg;
	prompt(ui, &b, T("ui.rv_declare.prompt"));
	row = b;
	if (row.h > ui->touch * 2)
		row.h = ui->touch * 2;
	ui_button(ui, ui_col(ui, row, 2, 0), "declare_yes", T("ui.btn.declare_yes"), UI_STYLE_PRIMARY);
	ui_button(ui, ui_col(ui, row, 2, 1), "declare_no", T("ui.btn.declare_no"), UI_STYLE_DANGER);
	cancel_button(ui, fr.left);
}

static void draw_rv_dump(struct ui *ui, const struct session *f, const struct config *cfg,
			 struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, big;
	char t[32], line[160];
	long open_s, left;

	prompt(ui, &b, T("ui.rv_dump.prompt"));
	session_open_time(f, cfg, &open_s, &left);
	clock_text(t, sizeof t, left);
	ui_label(ui, (struct ui_rect){b.x, b.y, b.w, ui->body_px * 2}, FONT_BODY, ui->body_px,
		 UI_TEXT_C, UI_CENTER, fmt1(line, sizeof line, "ui.rv_dump.left", t));
	b.y += ui->body_px * 2 + ui->gap;
	b.h -= ui->body_px * 2 + ui->gap;
	big = big_rect(ui, b);
	ui_button_px(ui, big, "done", T("ui.btn.done"), UI_STYLE_PRIMARY, ui->title_px);
}

/* The plant line of the operator's health text: how the station stands
 * with the plant (v->sync_*, station_sync_view()), into buf[cap]. */
static void sync_line(char *buf, size_t cap, const struct kiosk_view *v)
{
	static const char *const keys[] = {
		[SYNC_H_UNMANAGED] = "ui.health.sync_unmanaged", [SYNC_H_FORK] = "ui.health.sync_fork",
		[SYNC_H_NEVER] = "ui.health.sync_never", [SYNC_H_OFFLINE] = "ui.health.sync_offline",
		[SYNC_H_WARN] = "ui.health.sync_warn", [SYNC_H_BEHIND] = "ui.health.sync_behind",
		[SYNC_H_OK] = "ui.health.sync_ok",
	};
	const char *key = (unsigned)v->sync_health < HG_ARRAY_LEN(keys) ? keys[v->sync_health]
								     : keys[SYNC_H_NEVER];
	char n[24], when[24], line[256];
	time_t t = (time_t)v->sync_last;
	struct tm tm;

	snprintf(n, sizeof n, "%lld", v->sync_health == SYNC_H_FORK ? v->sync_fork_seq
								    : v->sync_pending);
	when[0] = '\0';
	if (t && localtime_r(&t, &tm))
		strftime(when, sizeof when,
			 v->now - v->sync_last < 20 * 3600 ? "%H:%M" : "%Y-%m-%d", &tm);
	/* behind: events waiting, then when; fork: the event; else when */
	if (v->sync_health == SYNC_H_BEHIND || v->sync_health == SYNC_H_FORK)
		fmt2(line, sizeof line, key, n, when);
	else
		fmt2(line, sizeof line, key, when, "");
	snprintf(buf, cap, "%s %s", T("ui.health.network"), line);
}

static void draw_operator(struct ui *ui, const struct session *f, const struct config *cfg,
			  struct kiosk_view *v)
{
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body, grid, health;
	char text[2048], kept[192], notes[1024], plant[320];
	int waiting = 0, px;

	(void)cfg;
	for (int i = 0; i < v->n_notices && f->fault == R_NONE; i++)
		waiting |= v->notices[i].waiting;	/* out of service: clear the fault first */
	grid = b;
	grid.h = 3 * ui->touch + 2 * ui->gap;
	ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 0), 2, 0), "flag_next", T("ui.btn.flag_next"),
		  f->flag_next ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 0), 2, 1), "open_gate", T("ui.btn.open_gate"),
		  UI_STYLE_NORMAL);
	ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 1), 2, 0), "reprint", T("ui.btn.reprint"),
		  UI_STYLE_NORMAL);
	ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 1), 2, 1), "day_summary",
		  T("ui.btn.day_summary"), UI_STYLE_NORMAL);
	if (f->fault != R_NONE)
		ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 2), 2, 0), "clear_fault",
			  T("ui.btn.clear_fault"), UI_STYLE_DANGER);
	if (v->kept > 0) {
		/* like clear_fault, only there when there is something to do */
		char n[24], label[160];

		snprintf(n, sizeof n, "%ld", v->kept);
		ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 2), 2, 1), "reprint_kept",
			  fmt1(label, sizeof label, "ui.btn.reprint_kept", n), UI_STYLE_NORMAL);
	}
	if (waiting)	/* take the sample of the load the last run left at its hold */
		ui_button(ui, ui_col(ui, ui_row(ui, grid, 3, 2), 2, 0), "sample_waiting",
			  T("ui.btn.sample_waiting"), UI_STYLE_PRIMARY);
	health = (struct ui_rect){b.x, grid.y + grid.h + ui->gap, b.w, b.h - grid.h - ui->gap};
	notice_lines(notes, sizeof notes, v);
	kept[0] = '\0';
	if (v->kept > 0) {
		char n[24], k[160];

		snprintf(n, sizeof n, "%ld", v->kept);
		snprintf(kept, sizeof kept, " %s", fmt1(k, sizeof k, "ui.health.kept", n));
	}
	sync_line(plant, sizeof plant, v);
	snprintf(text, sizeof text, "%s\n%s %s\n%s %s%s\n%s\n%s %s%s", T("ui.health.title"),
		 T("ui.health.reader"), v->reader_offline ? T("ui.health.offline") : T("ui.health.ok"),
		 T("ui.health.printer"), v->printer_offline ? T("ui.health.offline") : T("ui.health.ok"),
		 kept, plant,
		 T("ui.health.fault"), f->fault ? reason_code(f->fault) : T("ui.health.none"), notes);
	px = ui->small_px;	/* under large text the standard size where it would not fit */
	if (ui_text_height(ui, health.w, FONT_BODY, px, text) > health.h)
		px = ui_standard_px(ui, px);
	ui_text(ui, health, FONT_BODY, px, UI_TEXT_C, text, 0, NULL);
	ui_button(ui, fr.left, "exit", T("ui.btn.exit"), UI_STYLE_NORMAL);
}

static void draw_line_input(struct ui *ui, const struct session *f, const struct config *cfg,
			    struct kiosk_view *v)
{
	int sample = f->screen == SCR_SAMPLE;
	struct frame fr = frame(ui, f, v, NULL, 1);
	struct ui_rect b = fr.body;
	const char *names[1] = {sample ? "bottle" : "reason"};
	const char *labels[1] = {sample ? T("ui.field.bottle") : T("ui.field.reason")};
	const char *values[1] = {f->input};
	struct session shown = *f;

	(void)cfg;
	snprintf(shown.focus, sizeof shown.focus, "%s", names[0]);
	prompt_above_keyboard(ui, &b, sample ? T("ui.sample.prompt") : T("ui.override.prompt"));
	fields_and_keyboard(ui, &shown, v, b, names, labels, values, 1);
	if (sample) {
		cancel_button(ui, fr.left);
	} else {
		ui_button(ui, fr.left, "close_gate", T("ui.btn.close_gate"), UI_STYLE_NORMAL);
	}
	ui_button(ui, fr.right, "ok", sample ? T("ui.btn.ok") : T("ui.btn.open_gate"),
		  UI_STYLE_PRIMARY);
}

typedef void (*drawer)(struct ui *, const struct session *, const struct config *, struct kiosk_view *);

/* One drawer per screen of the core's table (core/session.c), by its id. */
static const drawer drawers[] = {
	[SCR_START] = draw_start,
	[SCR_CLOSED] = draw_start,
	[SCR_OUT_OF_SERVICE] = draw_start,
	[SCR_PIN] = draw_pin,
	[SCR_TRUCK] = draw_truck,
	[SCR_WASTE] = draw_waste,
	[SCR_SOURCES] = draw_sources,
	[SCR_SOURCE_EDIT] = draw_source_edit,
	[SCR_SOURCE_INDUSTRY] = draw_source_industry,
	[SCR_OTHER_INDUSTRY] = draw_other_industry,
	[SCR_SOURCE_TOWN] = draw_source_town,
	[SCR_OTHER_TOWN] = draw_other_town,
	[SCR_VOLUME] = draw_volume,
	[SCR_DETAILS] = draw_details,
	[SCR_RCRA] = draw_rcra,
	[SCR_REVIEW] = draw_review,
	[SCR_CERTIFY] = draw_certify,
	[SCR_REFUSED] = draw_refused,
	[SCR_SAMPLE_HOLD] = draw_sample_hold,
	[SCR_DISCHARGE_READY] = draw_discharge,
	[SCR_DISCHARGING] = draw_discharge,
	[SCR_DONE] = draw_done,
	[SCR_RV_SIGNIN] = draw_rv_signin,
	[SCR_RV_RULES] = draw_rv_rules,
	[SCR_RV_DECLARE] = draw_rv_declare,
	[SCR_RV_DUMP] = draw_rv_dump,
	[SCR_RV_DONE] = draw_done,
	[SCR_OPERATOR_PIN] = draw_pin,
	[SCR_OPERATOR] = draw_operator,
	[SCR_SAMPLE] = draw_line_input,
	[SCR_OVERRIDE] = draw_line_input,
};

/* a screen added to the core without its drawer fails here (a drawer left
 * out of the middle: tests/kiosk/test_screens.c, test_every_screen_drawn) */
_Static_assert(HG_ARRAY_LEN(drawers) == SCR_COUNT, "one drawer per enum screen");

/* The screens between sessions: draw_start()'s, where large text is switched. */
static int idle_screen(enum screen s)
{
	return s == SCR_START || s == SCR_CLOSED || s == SCR_OUT_OF_SERVICE;
}

int screens_draw(struct ui *ui, const struct session *f, const struct config *cfg,
		 struct kiosk_view *v)
{
	int rc = 0;

	cur = f;
	cur_cfg = cfg;
	if (f->screen != v->last_screen) {
		v->page = 0;
		v->more = 0;
		v->kb = KB_LOWER;
		/* a session ended (or the kiosk started): back to the standard size */
		if (idle_screen(f->screen) && !idle_screen(v->last_screen))
			v->large_text = 0;
		v->last_screen = f->screen;
	}
	/* the one place the type size is chosen: where the window offers it */
	v->large_offered = ui_large_text_offered(ui->w, ui->h);
	ui->text_scale = v->large_text && v->large_offered ? UI_LARGE_TEXT : 1.0f;
	ui_begin(ui);
	if ((unsigned)f->screen < SCR_COUNT && drawers[f->screen])
		drawers[f->screen](ui, f, cfg, v);
	else
		rc = hg_fail(HG_ENOTFOUND, "screen '%s' (%d) has no drawer", screen_id(f->screen),
			     (int)f->screen);
	if (v->busy) {
		/* on top of everything, until the station has answered */
		struct ui_rect r = {ui->w / 6, ui->h / 3, ui->w * 2 / 3, ui->h / 3};
		char text[160];
		ui_fill(ui, r, UI_BANNER_INFO);
		ui_border(ui, r, UI_TEXT_C, 4);
		snprintf(text, sizeof text, "◷ %s", T("ui.busy"));
		ui_label(ui, ui_inset(r, ui->pad), FONT_BOLD, ui->title_px, UI_BTN_TEXT, UI_CENTER,
			 text);
	}
	ui_end(ui);
	cur = NULL;
	cur_cfg = NULL;
	return rc;
}

enum press_result screens_press(struct kiosk_view *v, const struct session *f, const char *id,
				struct session_event *ev, char buf[64])
{
	memset(ev, 0, sizeof *ev);
	if (strncmp(id, "key:", 4) == 0) {
		const char *k = id + 4;
		snprintf(buf, 64, "%s", strcmp(k, "space") == 0 ? " " : k);
		ev->kind = EV_TYPE;
		ev->text = buf;
		if (v->kb == KB_UPPER && strcmp(k, "space") != 0)
			v->kb = KB_UPPER;	/* shift stays on until pressed again: no timing */
		return PRESS_EVENT;
	}
	if (strcmp(id, "kiosk:kb_shift") == 0) {
		v->kb = v->kb == KB_UPPER ? KB_LOWER : KB_UPPER;
		return PRESS_VIEW;
	}
	if (strcmp(id, "kiosk:kb_symbols") == 0) {
		v->kb = v->kb == KB_SYMBOLS ? KB_LOWER : KB_SYMBOLS;
		return PRESS_VIEW;
	}
	if (strcmp(id, "kiosk:page_down") == 0) {
		if (v->more)
			v->page += 8;
		return PRESS_VIEW;
	}
	if (strcmp(id, "kiosk:page_up") == 0) {
		v->page = v->page > 8 ? v->page - 8 : 0;
		return PRESS_VIEW;
	}
	if (strcmp(id, "kiosk:speech") == 0) {
		v->speech = !v->speech;
		return PRESS_VIEW;
	}
	if (strcmp(id, "kiosk:large_text") == 0) {
		v->large_text = !v->large_text;
		return PRESS_VIEW;
	}
	if (strncmp(id, "kiosk:", 6) == 0)
		return PRESS_NONE;
	(void)f;
	snprintf(buf, 64, "%s", id);
	ev->kind = EV_PRESS;
	ev->button = buf;
	return PRESS_EVENT;
}

/* " text" at the end of buf[cap], when it fits whole. */
static void speech_add(char *buf, size_t cap, const char *text)
{
	size_t len = strlen(buf);

	if (len + 1 + strlen(text) < cap)
		snprintf(buf + len, cap - len, " %s", text);
}

void screens_speech(const struct session *f, const struct kiosk_view *v, char *buf, size_t cap)
{
	const struct session *saved = cur;
	char step[64];
	/* between sessions, where the window offers it: the large-text switch
	 * and how it stands, said again each time it is pressed */
	const char *large = idle_screen(f->screen) && v->large_offered
		? (v->large_text ? "ui.large_text.said_on" : "ui.large_text.said_off") : NULL;

	cur = f;
	screens_step_text(step, sizeof step, f, NULL, 0);	/* "Step 3 of 10." first: the dots are not said */
	snprintf(buf, cap, "%s%s%s%s%s", step, step[0] ? ". " : "", screen_text("prompt"),
		 f->message ? " " : "", f->message ? i18n_msg(f->message, f->lang) : "");
	/* the words beside the screen's pictures */
	if (f->screen == SCR_START)
		speech_add(buf, cap, T("ui.start.reader"));
	for (size_t i = 0; f->screen == SCR_RV_RULES && i < HG_ARRAY_LEN(rv_rule_keys); i++)
		speech_add(buf, cap, T(rv_rule_keys[i]));
	if (large)
		speech_add(buf, cap, T(large));
	cur = saved;
}
