/* ui.c: layout, widgets and draw commands of the kiosk, without SDL.
 *
 * A frame is built from scratch each time (immediate mode, after microui):
 * ui_begin() sizes everything from the window, widgets cut their rectangles
 * off the current box and append draw commands, buttons are remembered for
 * hit tests.  Nothing is allocated; text lives in a per-frame arena.  When
 * something does not fit (a label too wide even at 80 % size, wrapped text
 * taller than its box, a button under the touch minimum, a full list) the
 * frame records it in ui.overflow: the layout tests fail on that, so a screen
 * that is cut or overlaps at some window size is found before a person sees it.
 * The on-screen keyboard and the keypad are layout tables drawn as buttons
 * (ui_keyboard(), ui_keypad()).  Start reading at ui_begin(). */
#include <stdio.h>
#include <string.h>
#include "ui.h"

/* Colours: black on white is 21:1; white on the dark blue, red and green is
 * over 8:1; black on the light yellow of a focused field is over 18:1. */
const struct ui_color UI_BG = {255, 255, 255, 255};
const struct ui_color UI_TEXT_C = {0, 0, 0, 255};
const struct ui_color UI_MUTED = {51, 51, 51, 255};		/* 12.6:1 on white */
const struct ui_color UI_BTN = {11, 45, 110, 255};		/* dark blue */
const struct ui_color UI_BTN_TEXT = {255, 255, 255, 255};
const struct ui_color UI_PRIMARY = {0, 80, 30, 255};		/* dark green */
const struct ui_color UI_PRIMARY_TEXT = {255, 255, 255, 255};
const struct ui_color UI_DANGER = {150, 0, 0, 255};		/* dark red */
const struct ui_color UI_DANGER_TEXT = {255, 255, 255, 255};
const struct ui_color UI_PRESSED = {255, 214, 0, 255};		/* yellow: pressed */
const struct ui_color UI_PRESSED_TEXT = {0, 0, 0, 255};
const struct ui_color UI_FIELD = {242, 242, 242, 255};
const struct ui_color UI_FOCUS = {255, 246, 191, 255};
const struct ui_color UI_BANNER_INFO = {11, 45, 110, 255};
const struct ui_color UI_BANNER_ERR = {150, 0, 0, 255};

static void overflow(struct ui *ui, const char *what, const char *detail)
{
	if (ui->overflow)
		return;
	ui->overflow = 1;
	snprintf(ui->overflow_what, sizeof ui->overflow_what, "%s: %.100s", what,
		 detail ? detail : "");
}

static int iround(float f)
{
	return (int)(f + 0.5f);
}

/* Design px to window px: a 1280x800 screen (800x1280 upright) scaled to
 * fit w x h. */
static float design_scale(int w, int h)
{
	int landscape = w >= h;
	float sx = (float)w / (landscape ? 1280.0f : 800.0f);
	float sy = (float)h / (landscape ? 800.0f : 1280.0f);

	return sx < sy ? sx : sy;
}

int ui_large_text_offered(int w, int h)
{
	return design_scale(w, h) >= 0.9f;
}

/* The type size in use: 1 the standard one (text_scale 0 or 1), more for
 * large text. */
static float text_scale(const struct ui *ui)
{
	return ui->text_scale > 1.0f ? ui->text_scale : 1.0f;
}

int ui_standard_px(const struct ui *ui, int px)
{
	float ts = text_scale(ui);

	return ts > 1 ? iround((float)px / ts) : px;
}

static int px_ceil(float f)
{
	int i = (int)f;

	return (float)i < f ? i + 1 : i;
}

void ui_begin(struct ui *ui)
{
	/* the standard type size exactly as it always was; large text scales the
	 * fonts only, the touch targets, margins and gaps stay */
	float ts = text_scale(ui);
	int phys;

	ui->u = design_scale(ui->w, ui->h);
	/* 64 px on a 1280x800 15-inch screen; never under 9 mm where the DPI is known */
	ui->touch = iround(64 * ui->u);
	/* rounded up: 47.2 px is 48, or a 7-inch panel's keys are 8.96 mm */
	phys = ui->px_per_mm > 0 ? px_ceil(9.0f * ui->px_per_mm) : 0;
	if (ui->touch < phys)
		ui->touch = phys;
	if (ui->touch < 32)
		ui->touch = 32;
	ui->body_px = iround(24 * ui->u * ts);
	if (ui->body_px < 14)
		ui->body_px = 14;
	ui->small_px = iround(20 * ui->u * ts);
	if (ui->small_px < 12)
		ui->small_px = 12;
	ui->title_px = iround(34 * ui->u * ts);
	ui->big_px = iround(56 * ui->u * ts);
	ui->pad = iround(16 * ui->u);
	ui->gap = iround(10 * ui->u);
	if (ui->gap < 4)
		ui->gap = 4;
	ui->n_cmds = 0;
	ui->n_buttons = 0;
	ui->overflow = 0;
	ui->overflow_what[0] = '\0';
	ui->arena_used = 0;
	ui->box = (struct ui_rect){0, 0, ui->w, ui->h};
	ui_fill(ui, ui->box, UI_BG);
}

void ui_end(struct ui *ui)
{
	(void)ui;
}

const char *ui_str(struct ui *ui, const char *text)
{
	size_t n = strlen(text) + 1;
	char *p;

	if (ui->arena_used + n > sizeof ui->arena) {
		overflow(ui, "text arena full", text);
		return "";
	}
	p = ui->arena + ui->arena_used;
	memcpy(p, text, n);
	ui->arena_used += n;
	return p;
}

static struct ui_cmd *cmd(struct ui *ui, enum ui_cmd_kind kind)
{
	struct ui_cmd *c;

	if (ui->n_cmds >= UI_MAX_CMDS) {
		overflow(ui, "too many draw commands", NULL);
		return NULL;
	}
	c = &ui->cmds[ui->n_cmds++];
	memset(c, 0, sizeof *c);
	c->kind = kind;
	return c;
}

/* ---- boxes ---- */

struct ui_rect ui_cut_top(struct ui *ui, int h)
{
	struct ui_rect r = ui->box;

	if (h > ui->box.h) {
		overflow(ui, "no room left at the top", NULL);
		h = ui->box.h;
	}
	r.h = h;
	ui->box.y += h;
	ui->box.h -= h;
	return r;
}

struct ui_rect ui_cut_bottom(struct ui *ui, int h)
{
	struct ui_rect r = ui->box;

	if (h > ui->box.h) {
		overflow(ui, "no room left at the bottom", NULL);
		h = ui->box.h;
	}
	r.y = ui->box.y + ui->box.h - h;
	r.h = h;
	ui->box.h -= h;
	return r;
}

struct ui_rect ui_cut_left(struct ui *ui, int w)
{
	struct ui_rect r = ui->box;

	if (w > ui->box.w) {
		overflow(ui, "no room left at the left", NULL);
		w = ui->box.w;
	}
	r.w = w;
	ui->box.x += w;
	ui->box.w -= w;
	return r;
}

struct ui_rect ui_cut_right(struct ui *ui, int w)
{
	struct ui_rect r = ui->box;

	if (w > ui->box.w) {
		overflow(ui, "no room left at the right", NULL);
		w = ui->box.w;
	}
	r.x = ui->box.x + ui->box.w - w;
	r.w = w;
	ui->box.w -= w;
	return r;
}

struct ui_rect ui_col(const struct ui *ui, struct ui_rect r, int n, int i)
{
	int w = n > 0 ? (r.w - (n - 1) * ui->gap) / n : r.w;

	return (struct ui_rect){r.x + i * (w + ui->gap), r.y, w, r.h};
}

struct ui_rect ui_row(const struct ui *ui, struct ui_rect r, int n, int i)
{
	int h = n > 0 ? (r.h - (n - 1) * ui->gap) / n : r.h;

	return (struct ui_rect){r.x, r.y + i * (h + ui->gap), r.w, h};
}

struct ui_rect ui_inset(struct ui_rect r, int d)
{
	r.x += d;
	r.y += d;
	r.w -= 2 * d;
	r.h -= 2 * d;
	if (r.w < 0)
		r.w = 0;
	if (r.h < 0)
		r.h = 0;
	return r;
}

void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c)
{
	struct ui_cmd *k = cmd(ui, UI_FILL);

	if (k) {
		k->r = r;
		k->c = c;
	}
}

void ui_border(struct ui *ui, struct ui_rect r, struct ui_color c, int thick)
{
	struct ui_cmd *k = cmd(ui, UI_BORDER);

	if (k) {
		k->r = r;
		k->c = c;
		k->thick = thick < 1 ? 1 : thick;
	}
}

/* ---- text ---- */

static int measure(struct ui *ui, enum ui_font f, int px, const char *text, int *w, int *h)
{
	if (!ui->measure) {
		/* no fonts (a layout test without TTF): a generous estimate */
		int n = 0;
		for (const unsigned char *p = (const unsigned char *)text; *p; p++)
			n += (*p & 0xC0) != 0x80;
		*w = n * px * 6 / 10;
		*h = px * 12 / 10;
		return 0;
	}
	return ui->measure(ui->measure_ctx, f, px, text, w, h);
}

static void put_text(struct ui *ui, int x, int y, enum ui_font f, int px, struct ui_color c,
		     const char *text, int w, int h)
{
	struct ui_cmd *k = cmd(ui, UI_TEXT);

	if (!k)
		return;
	k->r = (struct ui_rect){x, y, w, h};
	k->c = c;
	k->font = f;
	k->px = px;
	k->text = ui_str(ui, text);
}

int ui_label(struct ui *ui, struct ui_rect r, enum ui_font f, int px, struct ui_color c,
	     enum ui_align a, const char *text)
{
	int w = 0, h = 0, size = px, x;
	/* down to 80 %; with large text down to 80 % of the standard size */
	int least = text_scale(ui) > 1.0f ? (int)((float)px * 0.8f / text_scale(ui)) : px * 8 / 10;

	if (!text || !*text)
		return 0;
	measure(ui, f, size, text, &w, &h);
	while (w > r.w && size > least) {
		size--;
		measure(ui, f, size, text, &w, &h);
	}
	if (w > r.w || h > r.h + h / 4)
		overflow(ui, "label does not fit", text);
	x = a == UI_CENTER ? r.x + (r.w - w) / 2 : a == UI_RIGHT ? r.x + r.w - w : r.x;
	put_text(ui, x, r.y + (r.h - h) / 2, f, size, c, text, w, h);
	return h;
}

/* The next line of text that fits width w: its length in bytes in *len, and
 * where the line after starts.  Breaks at spaces, or inside a word that alone
 * is wider than w (at a UTF-8 boundary). */
static const char *next_line(struct ui *ui, const char *s, int w, enum ui_font f, int px,
			     size_t *len)
{
	char buf[1024];
	size_t best = 0, i = 0;
	int tw, th;

	while (s[i] && s[i] != '\n') {
		size_t j = i;
		while (s[j] && s[j] != ' ' && s[j] != '\n')
			j++;
		if (j >= sizeof buf)
			break;
		memcpy(buf, s, j);
		buf[j] = '\0';
		measure(ui, f, px, buf, &tw, &th);
		if (tw > w)
			break;
		best = j;
		i = j;
		while (s[i] == ' ')
			i++;
	}
	if (best == 0 && s[0] && s[0] != '\n') {
		/* one word wider than the line: cut it where it stops fitting */
		size_t j = 0;
		while (s[j] && s[j] != ' ' && s[j] != '\n' && j + 4 < sizeof buf) {
			size_t k = j + 1;
			while ((s[k] & 0xC0) == 0x80)
				k++;
			memcpy(buf, s, k);
			buf[k] = '\0';
			measure(ui, f, px, buf, &tw, &th);
			if (tw > w && j > 0)
				break;
			j = k;
		}
		best = j;
	}
	*len = best;
	s += best;
	while (*s == ' ')
		s++;
	if (*s == '\n')
		s++;
	return s;
}

/* Text wrapped at r's width, left or centred, from r's top (the lines before
 * first_line skipped).  Lines that do not fit r's height set *more, or are
 * reported as overflow (what) when more is NULL.  Returns the height used. */
static int wrapped(struct ui *ui, struct ui_rect r, enum ui_font f, int px, struct ui_color c,
		   enum ui_align a, const char *text, int first_line, int *more, const char *what)
{
	char line[1024];
	const char *p = text;
	int y = r.y, line_no = 0, lh, tw, th;

	if (more)
		*more = 0;
	measure(ui, f, px, "Ag", &tw, &lh);
	while (*p) {
		size_t n;
		const char *next = next_line(ui, p, r.w, f, px, &n);

		if (next == p)
			break;
		if (line_no++ < first_line) {
			p = next;
			continue;
		}
		if (y + lh > r.y + r.h) {
			if (more)
				*more = 1;
			else
				overflow(ui, what, text);
			break;
		}
		if (n >= sizeof line)
			n = sizeof line - 1;
		memcpy(line, p, n);
		line[n] = '\0';
		if (n) {
			measure(ui, f, px, line, &tw, &th);
			put_text(ui, a == UI_CENTER ? r.x + (r.w - tw) / 2 : r.x, y, f, px, c, line,
				 tw, th);
		}
		y += lh;
		p = next;
	}
	return y - r.y;
}

int ui_text(struct ui *ui, struct ui_rect r, enum ui_font f, int px, struct ui_color c,
	    const char *text, int first_line, int *more)
{
	return wrapped(ui, r, f, px, c, UI_LEFT, text, first_line, more,
		       "text taller than its box");
}

int ui_text_height(struct ui *ui, int w, enum ui_font f, int px, const char *text)
{
	const char *p = text;
	int lines = 0, lh, tw;

	measure(ui, f, px, "Ag", &tw, &lh);
	while (*p) {
		size_t n;
		const char *next = next_line(ui, p, w, f, px, &n);
		if (next == p)
			break;
		lines++;
		p = next;
	}
	return lines * lh;
}

/* The width of the widest word of text (words split at spaces). */
static int widest_word(struct ui *ui, enum ui_font f, int px, const char *text)
{
	char word[256];
	int most = 0, w, h;

	while (*text) {
		size_t n = strcspn(text, " \n");

		if (n > 0 && n < sizeof word) {
			memcpy(word, text, n);
			word[n] = '\0';
			measure(ui, f, px, word, &w, &h);
			if (w > most)
				most = w;
		}
		text += n;
		text += strspn(text, " \n");
	}
	return most;
}

/* ---- buttons and fields ---- */

static void add_button(struct ui *ui, struct ui_rect r, const char *id)
{
	struct ui_button *b;

	if (ui->n_buttons >= UI_MAX_BUTTONS) {
		overflow(ui, "too many buttons", id);
		return;
	}
	b = &ui->buttons[ui->n_buttons++];
	snprintf(b->id, sizeof b->id, "%s", id);
	b->r = r;
}

void ui_button(struct ui *ui, struct ui_rect r, const char *id, const char *label,
	       enum ui_button_style style)
{
	ui_button_px(ui, r, id, label, style, ui->body_px);
}

/* The colours of a button of style, yellow when it is under a finger. */
static void button_colors(const struct ui *ui, const char *id, enum ui_button_style style,
			  struct ui_color *bg, struct ui_color *fg, int *pressed)
{
	*pressed = ui->pressed[0] && strcmp(ui->pressed, id) == 0;
	*bg = UI_BTN, *fg = UI_BTN_TEXT;
	if (style == UI_STYLE_PRIMARY || style == UI_STYLE_SELECTED)
		*bg = UI_PRIMARY, *fg = UI_PRIMARY_TEXT;
	else if (style == UI_STYLE_DANGER)
		*bg = UI_DANGER, *fg = UI_DANGER_TEXT;
	if (*pressed)
		*bg = UI_PRESSED, *fg = UI_PRESSED_TEXT;
}

/* Does a button label fit r at its size px, on one line or wrapped?  (A
 * picture beside it gives way before the label would step down a size.) */
static int label_fits(struct ui *ui, struct ui_rect r, int px, const char *text)
{
	struct ui_rect in = ui_inset(r, ui->gap / 2);
	int w, h;

	measure(ui, FONT_BOLD, px, text, &w, &h);
	return w <= r.w - 2 * ui->gap || ui_text_height(ui, in.w, FONT_BOLD, px, text) <= in.h;
}

/* A button's label centred in r: one line if it fits, else two lines
 * wrapped, else at small_px (under large text down to the standard small
 * size), else overflow. */
static void button_label(struct ui *ui, struct ui_rect r, int px, struct ui_color fg,
			 const char *text)
{
	int w, h;

	measure(ui, FONT_BOLD, px, text, &w, &h);
	if (w <= r.w - 2 * ui->gap) {
		ui_label(ui, r, FONT_BOLD, px, fg, UI_CENTER, text);
	} else {
		struct ui_rect in = ui_inset(r, ui->gap / 2);
		int th = ui_text_height(ui, in.w, FONT_BOLD, px, text);
		if (th > in.h) {
			px = ui->small_px;
			th = ui_text_height(ui, in.w, FONT_BOLD, px, text);
		}
		/* large text: smaller, down to the standard small size, until
		 * the label fits on one line or on its lines with no word cut */
		while (text_scale(ui) > 1.0f && px > ui_standard_px(ui, ui->small_px)) {
			measure(ui, FONT_BOLD, px, text, &w, &h);
			if (w <= r.w - 2 * ui->gap)
				break;
			if (th <= in.h && widest_word(ui, FONT_BOLD, px, text) <= in.w)
				break;
			px--;
			th = ui_text_height(ui, in.w, FONT_BOLD, px, text);
		}
		if (w <= r.w - 2 * ui->gap) {
			ui_label(ui, r, FONT_BOLD, px, fg, UI_CENTER, text);
			return;
		}
		in.y += (in.h - th) / 2 > 0 ? (in.h - th) / 2 : 0;
		/* centre each wrapped line, down to the button's bottom edge */
		in.h = r.y + r.h - in.y;
		wrapped(ui, in, FONT_BOLD, px, fg, UI_CENTER, text, 0, NULL,
			"button label does not fit");
	}
}

/* The box of a button (fill, pressed frame, size check) and its label's
 * text with the selected mark, into text[cap]; the colour of the label in
 * *fg. */
static void button_box(struct ui *ui, struct ui_rect r, const char *id, const char *label,
		       enum ui_button_style style, char *text, size_t cap, struct ui_color *fg)
{
	struct ui_color bg;
	int pressed;

	if (r.w < ui->touch * 3 / 4 || r.h < ui->touch * 3 / 4)
		overflow(ui, "button smaller than a fingertip", id);
	else if (ui->px_per_mm > 0 && (r.w < px_ceil(9.0f * ui->px_per_mm) ||
				       r.h < px_ceil(9.0f * ui->px_per_mm)))
		overflow(ui, "button under 9 mm", id);
	button_colors(ui, id, style, &bg, fg, &pressed);
	ui_fill(ui, r, bg);
	if (pressed)
		ui_border(ui, r, UI_TEXT_C, 3);
	snprintf(text, cap, "%s%s", style == UI_STYLE_SELECTED ? "✓ " : "", label);
}

void ui_button_px(struct ui *ui, struct ui_rect r, const char *id, const char *label,
		  enum ui_button_style style, int px)
{
	struct ui_color fg;
	char text[256];

	button_box(ui, r, id, label, style, text, sizeof text, &fg);
	button_label(ui, r, px, fg, text);
	add_button(ui, r, id);
}

void ui_button_pic(struct ui *ui, struct ui_rect r, const char *id, const char *label,
		   enum ui_button_style style, enum ui_picture p)
{
	struct ui_color fg;
	struct ui_rect rest = r;
	char text[256];
	int s = r.h - 2 * ui->gap, min = ui->touch / 2;

	button_box(ui, r, id, label, style, text, sizeof text, &fg);
	if (s > r.w / 3)
		s = r.w / 3;
	if (s > 2 * ui->touch)
		s = 2 * ui->touch;
	/* the picture shrinks, then goes, before the label is cut */
	for (; s >= min; s -= s / 8 > 1 ? s / 8 : 1) {
		rest = (struct ui_rect){r.x + ui->gap + s, r.y, r.w - ui->gap - s, r.h};
		if (label_fits(ui, rest, ui->body_px, text))
			break;
	}
	if (s >= min)
		ui_image(ui, (struct ui_rect){r.x + ui->gap, r.y + (r.h - s) / 2, s, s}, p, fg, text);
	else
		rest = r;
	button_label(ui, rest, ui->body_px, fg, text);
	add_button(ui, r, id);
}

/* ---- pictures ---- */

static const char *const picture_files[PIC_COUNT] = {
	[PIC_CARD_READER] = "card_reader.svg",
	[PIC_WASTE_SEPTAGE] = "waste_septage.svg",
	[PIC_WASTE_PORTABLE] = "waste_portable.svg",
	[PIC_WASTE_GREASE] = "waste_grease.svg",
	[PIC_WASTE_INDUSTRIAL] = "waste_industrial.svg",
	[PIC_RV_WASTE] = "rv_waste.svg",
	[PIC_RV_HOSE] = "rv_hose.svg",
	[PIC_RV_TIMER] = "rv_timer.svg",
	[PIC_RV_SIGNIN] = "rv_signin.svg",
};

const char *ui_picture_file(enum ui_picture p)
{
	return (unsigned)p < PIC_COUNT ? picture_files[p] : NULL;
}

void ui_image(struct ui *ui, struct ui_rect r, enum ui_picture p, struct ui_color c,
	      const char *caption)
{
	struct ui_cmd *k = cmd(ui, UI_IMAGE);

	if (!k)
		return;
	k->r = r;
	k->c = c;
	k->pic = p;
	k->text = ui_str(ui, caption ? caption : "");
}

int ui_picture_text(struct ui *ui, struct ui_rect r, enum ui_picture p, int max,
		    enum ui_font f, int px, const char *text)
{
	int min = ui->touch / 2, s = max, th = 0, tw = r.w, h;

	if (s > r.h)
		s = r.h;
	/* the largest picture the text still fits beside */
	for (; s >= min; s -= s / 8 > 1 ? s / 8 : 1) {
		tw = r.w - s - ui->gap;
		th = tw > 0 ? ui_text_height(ui, tw, f, px, text) : r.h + 1;
		if (th <= r.h)
			break;
	}
	if (s < min)
		s = 0;
	tw = s ? r.w - s - ui->gap : r.w;
	th = ui_text_height(ui, tw, f, px, text);
	h = s > th ? s : th;
	if (s)
		ui_image(ui, (struct ui_rect){r.x, r.y + (h - s) / 2, s, s}, p, UI_TEXT_C, text);
	ui_text(ui, (struct ui_rect){r.x + r.w - tw, r.y + (h - th) / 2, tw, th}, f, px,
		UI_TEXT_C, text, 0, NULL);
	return h;
}

void ui_field(struct ui *ui, struct ui_rect r, const char *id, const char *label,
	      const char *value, int focused, int masked)
{
	char shown[512], lab[160];
	struct ui_rect top, box;
	int lh = ui->small_px * 13 / 10;

	top = (struct ui_rect){r.x, r.y, r.w, lh};
	box = (struct ui_rect){r.x, r.y + lh, r.w, r.h - lh};
	snprintf(lab, sizeof lab, "%s%s", focused ? "▶ " : "", label);
	ui_label(ui, top, focused ? FONT_BOLD : FONT_BODY, ui->small_px, UI_TEXT_C, UI_LEFT, lab);
	ui_fill(ui, box, focused ? UI_FOCUS : UI_FIELD);
	ui_border(ui, box, UI_TEXT_C, focused ? 4 : 1);
	if (masked) {
		size_t n = 0;
		for (const unsigned char *p = (const unsigned char *)value; *p && n + 4 < sizeof shown; p++)
			if ((*p & 0xC0) != 0x80) {
				memcpy(shown + n, "●", 3);
				n += 3;
			}
		shown[n] = '\0';
	} else {
		/* the end of a long value stays visible: that is where typing happens */
		const char *v = value;
		int w, h;
		snprintf(shown, sizeof shown, "%s%s", v, focused ? "_" : "");
		measure(ui, FONT_BODY, ui->body_px, shown, &w, &h);
		while (w > box.w - 2 * ui->gap && *v) {
			v++;
			while ((*v & 0xC0) == 0x80)
				v++;
			snprintf(shown, sizeof shown, "…%s%s", v, focused ? "_" : "");
			measure(ui, FONT_BODY, ui->body_px, shown, &w, &h);
		}
	}
	ui_label(ui, ui_inset(box, ui->gap), FONT_BODY, ui->body_px, UI_TEXT_C, UI_LEFT, shown);
	if (id)
		add_button(ui, r, id);
}

const char *ui_hit(const struct ui *ui, int x, int y)
{
	/* last drawn is on top */
	for (int i = ui->n_buttons - 1; i >= 0; i--) {
		const struct ui_rect *r = &ui->buttons[i].r;
		if (x >= r->x && x < r->x + r->w && y >= r->y && y < r->y + r->h)
			return ui->buttons[i].id;
	}
	return NULL;
}

const struct ui_rect *ui_button_rect(const struct ui *ui, const char *id)
{
	for (int i = 0; i < ui->n_buttons; i++)
		if (strcmp(ui->buttons[i].id, id) == 0)
			return &ui->buttons[i].r;
	return NULL;
}

/* ---- the on-screen keyboard and keypad: layout tables ---- */

static const char *const kb_rows[3][4][10] = {
	[KB_LOWER] = {
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
		{"q", "w", "e", "r", "t", "y", "u", "i", "o", "p"},
		{"a", "s", "d", "f", "g", "h", "j", "k", "l", "ñ"},
		{"z", "x", "c", "v", "b", "n", "m", ",", ".", "-"},
	},
	[KB_UPPER] = {
		{"1", "2", "3", "4", "5", "6", "7", "8", "9", "0"},
		{"Q", "W", "E", "R", "T", "Y", "U", "I", "O", "P"},
		{"A", "S", "D", "F", "G", "H", "J", "K", "L", "Ñ"},
		{"Z", "X", "C", "V", "B", "N", "M", ",", ".", "-"},
	},
	[KB_SYMBOLS] = {
		{"á", "é", "í", "ó", "ú", "ü", "ñ", "¿", "¡", "'"},
		{"Á", "É", "Í", "Ó", "Ú", "Ü", "Ñ", "(", ")", "/"},
		{"#", "&", "@", ":", ";", "\"", "+", "=", "?", "!"},
		{"%", "*", "_", "°", "$", "<", ">", "[", "]", "·"},
	},
};

/* Columns i to i + n - 1 of r split in cols, as one rectangle. */
static struct ui_rect span(const struct ui *ui, struct ui_rect r, int cols, int i, int n)
{
	struct ui_rect a = ui_col(ui, r, cols, i), b = ui_col(ui, r, cols, i + n - 1);

	a.w = b.x + b.w - a.x;
	return a;
}

/* The page keys, space, clear and backspace: the same buttons in both
 * layouts, at the places each gives them. */
static void kb_function_keys(struct ui *ui, enum kb_mode mode, struct ui_rect shift,
			     struct ui_rect symbols, struct ui_rect sp, struct ui_rect clr,
			     struct ui_rect bs, const char *space, const char *clear)
{
	ui_button(ui, shift, "kiosk:kb_shift", "⇧ A/a",
		  mode == KB_UPPER ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	ui_button(ui, symbols, "kiosk:kb_symbols", "á é #",
		  mode == KB_SYMBOLS ? UI_STYLE_SELECTED : UI_STYLE_NORMAL);
	ui_button(ui, sp, "key:space", space, UI_STYLE_NORMAL);
	ui_button(ui, clr, "clear", clear, UI_STYLE_NORMAL);
	ui_button(ui, bs, "backspace", "⌫", UI_STYLE_NORMAL);
}

/* Row y of page mode's key table in the first ten columns of row (of cols). */
static void kb_row(struct ui *ui, struct ui_rect row, int cols, enum kb_mode mode, int y)
{
	char id[UI_ID];

	for (int x = 0; x < 10; x++) {
		const char *k = kb_rows[mode][y][x];
		snprintf(id, sizeof id, "key:%s", k);
		ui_button(ui, ui_col(ui, row, cols, x), id, k, UI_STYLE_NORMAL);
	}
}

/* Would the wide layout (4 rows of KB_WIDE_COLS) have keys a fingertip wide
 * in a width of w? */
static int wide_fits(const struct ui *ui, int w)
{
	return (w - (KB_WIDE_COLS - 1) * ui->gap) / KB_WIDE_COLS >= ui->touch;
}

/* A window under 11 fingertips high (a 7-inch 800x480 panel: 480 px, 48 px
 * keys) takes the four-row layout on every screen, whatever the banners
 * leave, so that the keys never move under a finger when a message comes;
 * when its width holds it (the body is the window less its pad). */
static int short_window(const struct ui *ui)
{
	return ui->h < 11 * ui->touch && wide_fits(ui, ui->w - ui->pad);
}

void ui_keyboard(struct ui *ui, struct ui_rect r, enum kb_mode mode, const char *space,
		 const char *clear)
{
	struct ui_rect row, last;

	if ((short_window(ui) || (r.h - 4 * ui->gap) / 5 < ui->touch) && wide_fits(ui, r.w)) {
		/* a short panel (7 inches, 800x480): the same keys in four rows,
		 * the page keys, space, clear and backspace at the right */
		struct ui_rect rows[4];

		for (int y = 0; y < 4; y++) {
			rows[y] = ui_row(ui, r, 4, y);
			kb_row(ui, rows[y], KB_WIDE_COLS, mode, y);
		}
		kb_function_keys(ui, mode, span(ui, rows[2], KB_WIDE_COLS, 10, 2),
				 span(ui, rows[2], KB_WIDE_COLS, 12, 2),
				 span(ui, rows[3], KB_WIDE_COLS, 10, 4),
				 span(ui, rows[1], KB_WIDE_COLS, 10, 4),
				 span(ui, rows[0], KB_WIDE_COLS, 10, 4), space, clear);
		return;
	}
	for (int y = 0; y < 4; y++) {
		row = ui_row(ui, r, 5, y);
		kb_row(ui, row, 10, mode, y);
	}
	last = ui_row(ui, r, 5, 4);
	kb_function_keys(ui, mode, ui_col(ui, last, 6, 0), ui_col(ui, last, 6, 1),
			 span(ui, last, 6, 2, 2), ui_col(ui, last, 6, 4), ui_col(ui, last, 6, 5),
			 space, clear);
}

void ui_keypad(struct ui *ui, struct ui_rect r, const char *clear)
{
	static const char *const keys[12] = {"1", "2", "3", "4", "5", "6", "7", "8", "9",
					     NULL, "0", NULL};
	char id[UI_ID];

	for (int i = 0; i < 12; i++) {
		struct ui_rect k = ui_col(ui, ui_row(ui, r, 4, i / 3), 3, i % 3);
		if (i == 9) {
			ui_button(ui, k, "clear", clear, UI_STYLE_NORMAL);
		} else if (i == 11) {
			ui_button(ui, k, "backspace", "⌫", UI_STYLE_NORMAL);
		} else {
			snprintf(id, sizeof id, "key:%s", keys[i]);
			ui_button(ui, k, id, keys[i], UI_STYLE_NORMAL);
		}
	}
}

int ui_keyboard_h(const struct ui *ui)
{
	return short_window(ui) ? 4 * ui->touch + 3 * ui->gap : 5 * ui->touch + 4 * ui->gap;
}

int ui_keyboard_min_h(const struct ui *ui, int w)
{
	return wide_fits(ui, w) ? 4 * ui->touch + 3 * ui->gap : 5 * ui->touch + 4 * ui->gap;
}
