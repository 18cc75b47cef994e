/* ui.h: the kiosk's widgets and layout, without SDL.
 *
 * Each frame the screen code (kiosk/screens.c) calls ui_begin(), then widgets
 * that place themselves in the current box and emit draw commands, then
 * ui_end().  The SDL renderer (kiosk/sdl_render.c) draws the command list; the
 * input code asks ui_hit() which button is under a finger.  Text is measured
 * through a callback (the renderer's TTF fonts; a test can use the same), so
 * layout, wrapping and overflow checks are the same code in the kiosk and in
 * the tests.  Everything is sized from the window: u = one "design pixel" of a
 * 1280x800 screen, scaled to the real size, never smaller than the physical
 * minimum (9 mm touch targets) when the DPI is known; the fonts times the
 * caller's text_scale (large text).  No heap: every list has
 * a fixed cap and a full list sets ui.overflow. */
#ifndef UI_H
#define UI_H

#include <stdint.h>

#define UI_MAX_CMDS 1024
#define UI_MAX_BUTTONS 128
#define UI_ARENA 65536
#define UI_ID 40

enum ui_font { FONT_BODY = 0, FONT_BOLD, FONT_COUNT };

struct ui_color {
	uint8_t r, g, b, a;
};

struct ui_rect {
	int x, y, w, h;
};

enum ui_cmd_kind { UI_FILL, UI_BORDER, UI_TEXT, UI_IMAGE };

/* The pictures (assets/pictures/<name>.svg, ui_picture_file()).  They are
 * one-colour drawings: the renderer uses only their shape and paints it in
 * the command's colour, the colour of the text beside them. */
enum ui_picture {
	PIC_CARD_READER = 0,	/* start: where the reader is and how to tap */
	PIC_WASTE_SEPTAGE,	/* the waste types, in enum waste_type's order */
	PIC_WASTE_PORTABLE,
	PIC_WASTE_GREASE,
	PIC_WASTE_INDUSTRIAL,
	PIC_RV_WASTE,		/* the RV rules, in their order */
	PIC_RV_HOSE,
	PIC_RV_TIMER,
	PIC_RV_SIGNIN,
	PIC_COUNT
};

enum ui_align { UI_LEFT = 0, UI_CENTER, UI_RIGHT };

struct ui_cmd {
	enum ui_cmd_kind kind;
	struct ui_rect r;
	struct ui_color c;
	int thick;		/* UI_BORDER: line width in px */
	enum ui_font font;
	int px;			/* UI_TEXT: font size in px */
	const char *text;	/* UI_TEXT: one line, in the arena; UI_IMAGE: the
				 * words drawn beside the picture (its caption) */
	enum ui_picture pic;	/* UI_IMAGE: which picture, fitted in r */
};

struct ui_button {
	char id[UI_ID];		/* core button id, "key:x", or "kiosk:..." */
	struct ui_rect r;
};

/* Measures one line of text: width and height in px at font f and size px. */
typedef int (*ui_measure_fn)(void *ctx, enum ui_font f, int px, const char *text, int *w, int *h);

struct ui {
	/* set by the caller */
	int w, h;			/* window size in px */
	float px_per_mm;		/* 0 = unknown */
	ui_measure_fn measure;
	void *measure_ctx;
	char pressed[UI_ID];		/* the button under a finger right now */
	float text_scale;		/* type size: 0 or 1 the standard, UI_LARGE_TEXT large */

	/* derived by ui_begin() */
	float u;			/* px per design px */
	int touch;			/* smallest touch target, px */
	int body_px, title_px, small_px, big_px;
	int pad, gap;

	/* output */
	int n_cmds;
	struct ui_cmd cmds[UI_MAX_CMDS];
	int n_buttons;
	struct ui_button buttons[UI_MAX_BUTTONS];
	int overflow;			/* something did not fit */
	char overflow_what[160];

	/* layout state */
	struct ui_rect box;		/* what is left of the current area */
	char arena[UI_ARENA];
	size_t arena_used;
};

/* Colours: contrast of text on its background is at least 7:1 everywhere. */
extern const struct ui_color UI_BG, UI_TEXT_C, UI_MUTED, UI_BTN, UI_BTN_TEXT, UI_PRIMARY,
	UI_PRIMARY_TEXT, UI_DANGER, UI_DANGER_TEXT, UI_PRESSED, UI_PRESSED_TEXT, UI_FIELD,
	UI_FOCUS, UI_BANNER_INFO, UI_BANNER_ERR;

/* The large type size of the start screen's switch: every font 1.4 times the
 * standard one, the touch targets, gaps and margins as they were. */
#define UI_LARGE_TEXT 1.4f

/* px (one of the ui's sizes) at the standard type size: under large text
 * what a part with no room to grow (the strip, the operator's status) uses. */
int ui_standard_px(const struct ui *ui, int px);

/* Start a frame for a window of w x h px: fonts, touch targets and margins
 * sized from the window, the fonts times ui->text_scale (0 or 1: the
 * standard size, as it always was). */
void ui_begin(struct ui *ui);

/* Is large text offered in a window of w x h px?  Where its design scale (the
 * u of ui_begin()) is under 0.9 (800x480, 1024x600, 480x800, 600x1024) the
 * screens have no room for it: the standard size is already the largest the
 * layout holds there (docs/KIOSK.md). */
int ui_large_text_offered(int w, int h);
void ui_end(struct ui *ui);

/* Take a strip off the top / bottom / left / right of the current box. */
struct ui_rect ui_cut_top(struct ui *ui, int h);
struct ui_rect ui_cut_bottom(struct ui *ui, int h);
struct ui_rect ui_cut_left(struct ui *ui, int w);
struct ui_rect ui_cut_right(struct ui *ui, int w);
/* Split r into n equal columns with the ui's gap; col i. */
struct ui_rect ui_col(const struct ui *ui, struct ui_rect r, int n, int i);
/* Split r into n equal rows; row i. */
struct ui_rect ui_row(const struct ui *ui, struct ui_rect r, int n, int i);
/* r shrunk by d on every side. */
struct ui_rect ui_inset(struct ui_rect r, int d);

void ui_fill(struct ui *ui, struct ui_rect r, struct ui_color c);
void ui_border(struct ui *ui, struct ui_rect r, struct ui_color c, int thick);

/* One line of text in r; shrinks the font down to 80 % if needed, then
 * reports overflow (never silently cut).  Returns the height used. */
int ui_label(struct ui *ui, struct ui_rect r, enum ui_font f, int px, struct ui_color c,
	     enum ui_align a, const char *text);

/* Text wrapped at spaces to r's width, from r's top.  Returns the height it
 * took; if it does not fit r's height, reports overflow.  With first_line > 0
 * the first lines are skipped (paging); *more (if not NULL) says whether lines
 * are left after what fits. */
int ui_text(struct ui *ui, struct ui_rect r, enum ui_font f, int px, struct ui_color c,
	    const char *text, int first_line, int *more);

/* Height text would take wrapped at width w. */
int ui_text_height(struct ui *ui, int w, enum ui_font f, int px, const char *text);

enum ui_button_style { UI_STYLE_NORMAL = 0, UI_STYLE_PRIMARY, UI_STYLE_DANGER, UI_STYLE_SELECTED };

/* A button: a box with a centred label (two lines at most), registered for
 * hit tests under id.  The label is prefixed "✓ " when selected (never colour
 * alone).  Smaller than 3/4 of the touch minimum, or than 9 mm where
 * px_per_mm is known, is an overflow. */
void ui_button(struct ui *ui, struct ui_rect r, const char *id, const char *label,
	       enum ui_button_style style);

/* The same with the label at px (the big START and STOP). */
void ui_button_px(struct ui *ui, struct ui_rect r, const char *id, const char *label,
		  enum ui_button_style style, int px);

/* A text field: label above, value in a box; focused fields get a thick
 * border and a "▶" marker; masked shows one "●" per character. */
void ui_field(struct ui *ui, struct ui_rect r, const char *id, const char *label,
	      const char *value, int focused, int masked);

/* The on-screen keyboard's pages: letters, capitals, accents and symbols. */
enum kb_mode { KB_LOWER = 0, KB_UPPER, KB_SYMBOLS };

#define KB_WIDE_COLS 14		/* the four-row keyboard: 10 keys and 4 columns of function keys */

/* The on-screen keyboard in r, a layout table (ui.c's kb_rows: four rows of
 * ten keys for each page mode).  Where r holds five rows of fingertip-high
 * keys: those four rows, then shift, accents, space, clear and backspace.
 * Where it does not, or the window is under 11 fingertips high (a 7-inch
 * 800x480 panel), and r's width holds KB_WIDE_COLS fingertip-wide keys: the
 * four rows alone, with backspace,
 * clear, shift and accents, and space at the right of rows 1 to 4: the same
 * keys on the same pages, one row less.  Key ids are "key:<character>" and
 * "key:space"; the page buttons are "kiosk:kb_shift" and "kiosk:kb_symbols";
 * "clear" and "backspace" are the core's.  space and clear are the labels,
 * in the person's language. */
void ui_keyboard(struct ui *ui, struct ui_rect r, enum kb_mode mode, const char *space,
		 const char *clear);

/* A numeric keypad in r: 1-9, then clear (labelled clear), 0, backspace;
 * ids as ui_keyboard()'s. */
void ui_keypad(struct ui *ui, struct ui_rect r, const char *clear);

/* The height a keyboard wants: five rows of keys (four in a window under
 * 11 fingertips high). */
int ui_keyboard_h(const struct ui *ui);

/* The file name of picture p under the pictures' folder ("card_reader.svg");
 * NULL past PIC_COUNT. */
const char *ui_picture_file(enum ui_picture p);

/* Picture p drawn in r (square, in colour c); caption is the text drawn
 * beside it (kept with the command: tests check it is on screen). */
void ui_image(struct ui *ui, struct ui_rect r, enum ui_picture p, struct ui_color c,
	      const char *caption);

/* Picture p beside text, wrapped, in r: the picture on the left, max px
 * square (at most r's height), the text vertically centred beside it.  When
 * the text would not fit beside it the picture shrinks down to half a
 * fingertip, then is left out: the text is never cut for a picture (text
 * that does not fit r alone is an overflow).  Returns the height used. */
int ui_picture_text(struct ui *ui, struct ui_rect r, enum ui_picture p, int max,
		    enum ui_font f, int px, const char *text);

/* A button as ui_button() with picture p at the left of its label; the
 * picture shrinks, then is left out, before the label is cut. */
void ui_button_pic(struct ui *ui, struct ui_rect r, const char *id, const char *label,
		   enum ui_button_style style, enum ui_picture p);

/* The least height at which a keyboard w px wide has every key a fingertip
 * high: four rows where the wide layout fits w, else five. */
int ui_keyboard_min_h(const struct ui *ui, int w);

/* Which button is at (x, y)?  NULL if none. */
const char *ui_hit(const struct ui *ui, int x, int y);
/* The rectangle of button id (for scripts and tests); NULL if not on screen. */
const struct ui_rect *ui_button_rect(const struct ui *ui, const char *id);

/* Copy text into the frame's arena; "" if the arena is full (overflow set). */
const char *ui_str(struct ui *ui, const char *text);

#endif
