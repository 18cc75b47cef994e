/* screens_strip.c: the strip under every session screen's header (who is
 * signed in, the company, the truck, the clock; "Step n of N" from
 * core/session_progress.c) and the translated formats the screens share.
 * Part of kiosk/screens.c's drawing, in a file of its own; no SDL.  Start
 * reading at screens_strip(). */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "screens_int.h"
#include "../core/i18n.h"

const char *screens_fmt2(char *buf, size_t cap, enum lang lang, const char *key, const char *a,
			 const char *b)
{
	const char *f = i18n_text(key, lang), *p = strstr(f, "%s");
	const char *q = p ? strstr(p + 2, "%s") : NULL;

	if (!p)
		snprintf(buf, cap, "%s", f);
	else if (!q)
		snprintf(buf, cap, "%.*s%s%s", (int)(p - f), f, a, p + 2);
	else
		snprintf(buf, cap, "%.*s%s%.*s%s%s", (int)(p - f), f, a, (int)(q - p - 2), p + 2, b,
			 q + 2);
	return buf;
}

/* Width of text at px in font, by the renderer's measure (an estimate
 * without one: half the size per byte). */
static int text_w(const struct ui *ui, enum ui_font font, int px, const char *text)
{
	int w = 0, h = 0;

	if (ui->measure && ui->measure(ui->measure_ctx, font, px, text, &w, &h) == 0)
		return w;
	return (int)strlen(text) * px / 2;
}

/* "Step 3 of 10" of f's flow into buf ("" outside a flow: start, the
 * operator's own session); the dots: one "●" per step done or current,
 * "○" per step left. */
const char *screens_step_text(char *buf, size_t cap, const struct session *f, char *dots,
			      size_t dcap)
{
	int n, total;
	char a[12], b[12];
	size_t len = 0;

	buf[0] = '\0';
	if (dots)
		dots[0] = '\0';
	session_progress(f, &n, &total);
	if (!total)
		return buf;
	snprintf(a, sizeof a, "%d", n);
	snprintf(b, sizeof b, "%d", total);
	screens_fmt2(buf, cap, f->lang, "ui.strip.step", a, b);
	for (int i = 0; dots && i < total && len + 4 < dcap; i++)
		len += (size_t)snprintf(dots + len, dcap - len, "%s", i < n ? "●" : "○");
	return buf;
}

/* Cut s (UTF-8) by one character and end it with "…"; 0 when nothing is
 * left to cut. */
static int shorten(char *s)
{
	size_t len = strlen(s);

	if (len >= 3 && strcmp(s + len - 3, "…") == 0)
		len -= 3;
	if (len == 0)
		return 0;
	do
		len--;
	while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80);
	if (len == 0) {
		s[0] = '\0';
		return 0;
	}
	memcpy(s + len, "…", sizeof "…");
	return 1;
}

/* The strip under the header of every screen of a session: on the left the
 * step ("Step 3 of 10", then a dot per step when there is room), on the
 * right who is signed in (the card holder; the operator on the operator's
 * screens; the RV visitor once signed in), the company, the truck (once
 * chosen; the RV's plate) and the station's clock, v->now: the kiosk's
 * clock, a script's in script mode.  Too long for the width, the dots go
 * first, then the company and the name lose their ends ("…").  The
 * clock's place is kept in v->clock_r (the layout file gives it to the
 * end-to-end test, which masks it). */
void screens_strip(struct ui *ui, const struct session *f, struct kiosk_view *v)
{
	char step[64], dots[64], who[HG_BUF(LIM_NAME) + 32], company[HG_BUF(LIM_COMPANY) + 4];
	char truck[HG_BUF(LIM_TEXT) + 32], clock[16], info[sizeof who + sizeof company + sizeof truck + 8];
	struct ui_rect band, in;
	time_t t = (time_t)v->now;
	struct tm tm;
	/* the standard small size under large text too: the keyboard's
	 * screens have no height to spare for a taller strip */
	int px = ui_standard_px(ui, ui->small_px);
	int wstep, wdots, wclock, winfo, room;

	v->clock_r = (struct ui_rect){0, 0, 0, 0};
	screens_step_text(step, sizeof step, f, dots, sizeof dots);
	if (!step[0] && f->kind != SESS_OPERATOR)
		return;
	who[0] = company[0] = truck[0] = clock[0] = '\0';
	if (f->kind == SESS_OPERATOR || ((f->screen == SCR_OPERATOR_PIN || f->screen == SCR_SAMPLE) &&
					 f->op.holder[0])) {
		screens_fmt2(who, sizeof who, f->lang, "ui.strip.operator", f->op.holder, NULL);
	} else if (f->kind == SESS_HAULER) {
		snprintf(who, sizeof who, "%s", f->load.m.driver);
	} else if (f->kind == SESS_RV && f->rv.signed_in) {
		snprintf(who, sizeof who, "%s", f->rv.name);
	}
	if (f->kind == SESS_HAULER) {
		snprintf(company, sizeof company, "%s", f->load.m.company);
		if (f->load.m.truck[0])
			screens_fmt2(truck, sizeof truck, f->lang, "ui.strip.truck", f->load.m.truck,
				     NULL);
	} else if (f->kind == SESS_RV && f->rv.signed_in) {
		char plate[HG_BUF(LIM_PLATE) + HG_BUF(LIM_STATE) + 2];

		snprintf(plate, sizeof plate, "%s %s", f->rv.plate, f->rv.plate_state);
		screens_fmt2(truck, sizeof truck, f->lang, "ui.strip.plate", plate, NULL);
	}
	if (localtime_r(&t, &tm))
		strftime(clock, sizeof clock, "%H:%M", &tm);

	band = ui_cut_top(ui, px * 3 / 2 + ui->gap);
	band.x += ui->pad / 2;
	band.w -= ui->pad;
	ui_fill(ui, band, UI_FIELD);
	in = (struct ui_rect){band.x + ui->gap, band.y, band.w - 2 * ui->gap, band.h};
	wstep = step[0] ? text_w(ui, FONT_BOLD, px, step) + ui->gap : 0;
	wdots = dots[0] ? text_w(ui, FONT_BODY, px, dots) + ui->gap : 0;
	wclock = text_w(ui, FONT_BOLD, px, clock);
	for (int tries = 0; tries < 400; tries++) {	/* a cap: names are capped too */
		snprintf(info, sizeof info, "%s%s%s%s%s", who, who[0] && company[0] ? " · " : "",
			 company, (who[0] || company[0]) && truck[0] ? " · " : "", truck);
		winfo = info[0] ? text_w(ui, FONT_BODY, px, info) + ui->gap : 0;
		room = in.w - wstep - wclock - winfo;	/* what is left for the dots */
		if (room >= wdots)
			break;
		if (wdots) {
			wdots = 0;	/* the text says it: the dots go first */
			dots[0] = '\0';
			continue;
		}
		if (!(strlen(company) >= strlen(who) ? shorten(company) || shorten(who)
						      : shorten(who) || shorten(company)))
			break;	/* nothing left to cut: the label reports it */
	}
	if (step[0])
		ui_label(ui, (struct ui_rect){in.x, in.y, wstep, in.h}, FONT_BOLD, px, UI_TEXT_C,
			 UI_LEFT, step);
	if (dots[0])
		ui_label(ui, (struct ui_rect){in.x + wstep, in.y, wdots, in.h}, FONT_BODY, px,
			 UI_TEXT_C, UI_LEFT, dots);
	v->clock_r = (struct ui_rect){in.x + in.w - wclock, in.y, wclock, in.h};
	ui_label(ui, v->clock_r, FONT_BOLD, px, UI_TEXT_C, UI_RIGHT, clock);
	if (info[0])
		ui_label(ui, (struct ui_rect){in.x + in.w - wclock - winfo, in.y, winfo - ui->gap, in.h},
			 FONT_BODY, px, UI_TEXT_C, UI_RIGHT, info);
}
