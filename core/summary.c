/* summary.c: the end-of-day summary slip, 42 columns, in the operator's
 * language.
 *
 * Every word comes from the translation files (keys "slip.summary.<name>",
 * assets/i18n/en.po, es.po), every number is right-aligned on its label's line
 * ("label ........ value" without the dots), so a longer translation only
 * shortens the gap; a label that would not leave room is cut.  Gallons are
 * shown per waste type as a name line and indented lines under it, because
 * the waste names ("Residuos de baños portátiles") do not fit a table
 * column.  Measured gallons print as "-" when none were measured (no flow
 * meter).  Text from the database (bottle ids) prints with control
 * characters as '?'.  Start reading at summary_text(). */
#include <stdio.h>
#include <string.h>

#include "summary.h"
#include "text.h"

#define SUMMARY_WIDTH 42

struct sbuf {
	char *buf;
	size_t cap, len;
	int over;
};

static void put(struct sbuf *o, const char *s, size_t n)
{
	if (o->over || n >= o->cap - o->len) {
		o->over = 1;
		return;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct sbuf *o, const char *s)
{
	put(o, s, strlen(s));
}

static void spaces(struct sbuf *o, int n)
{
	for (; n > 0; n--)
		put(o, " ", 1);
}

/* The first at most max code points of s (clean UTF-8, control characters
 * as '?'); returns how many were written. */
static int put_cut(struct sbuf *o, const char *s, int max)
{
	int n = 0;

	while (*s && n < max) {
		uint32_t cp;
		int k = text_utf8_next(s, &cp);

		if (k <= 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			put(o, "?", 1);
			s += k > 0 ? k : 1;
		} else {
			put(o, s, (size_t)k);
			s += k;
		}
		n++;
	}
	return n;
}

static void rule(struct sbuf *o, char c)
{
	char line[SUMMARY_WIDTH + 1];

	memset(line, c, SUMMARY_WIDTH);
	line[SUMMARY_WIDTH] = '\n';
	put(o, line, sizeof line);
}

/* indent, label, and value right-aligned at the last column. */
static void row(struct sbuf *o, int indent, const char *label, const char *value)
{
	char clean[SUMMARY_WIDTH * 4 + 1];
	struct sbuf v = { clean, sizeof clean, 0, 0 };
	int vw, room, w;

	clean[0] = '\0';
	vw = put_cut(&v, value, SUMMARY_WIDTH - indent - 1);
	room = SUMMARY_WIDTH - indent - vw - 1;
	spaces(o, indent);
	w = put_cut(o, label, room);
	spaces(o, SUMMARY_WIDTH - indent - w - vw);
	puts_(o, clean);
	puts_(o, "\n");
}

static void row_num(struct sbuf *o, int indent, const char *label, long v)
{
	char num[32];

	snprintf(num, sizeof num, "%ld", v);
	row(o, indent, label, num);
}

/* A line of its own, cut at the width. */
static void line(struct sbuf *o, int indent, const char *text)
{
	spaces(o, indent);
	put_cut(o, text, SUMMARY_WIDTH - indent);
	puts_(o, "\n");
}

static void centred(struct sbuf *o, const char *text)
{
	int w = text_chars(text);

	spaces(o, w < SUMMARY_WIDTH ? (SUMMARY_WIDTH - w) / 2 : 0);
	put_cut(o, text, SUMMARY_WIDTH);
	puts_(o, "\n");
}

/* Declared and measured gallons under a heading. */
static void gallons(struct sbuf *o, const char *heading, long loads, long declared,
		    long measured, enum lang lang)
{
	char num[32];

	line(o, 0, heading);
	if (loads >= 0)
		row_num(o, 2, i18n_text("slip.summary.loads", lang), loads);
	row_num(o, 2, i18n_text("slip.summary.declared", lang), declared);
	snprintf(num, sizeof num, "%ld", measured);
	row(o, 2, i18n_text("slip.summary.measured", lang), measured > 0 ? num : "-");
}

int summary_text(const struct day_summary *d, const char *station, hg_time now, enum lang lang,
		 char *buf, size_t cap)
{
	struct sbuf o = { buf, cap, 0, 0 };
	char when[17], label[64];
	int listed;

	if (!d || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	buf[0] = '\0';
#define T(key) i18n_text("slip.summary." key, lang)
	rule(&o, '=');
	centred(&o, T("title"));
	rule(&o, '=');
	row(&o, 0, T("station"), station ? station : "");
	row(&o, 0, T("day"), d->day);
	text_time_local(now, when);
	row(&o, 0, T("printed"), when);
	rule(&o, '-');

	row_num(&o, 0, T("loads"), d->loads);
	row_num(&o, 2, T("accepted"), d->accepted);
	row_num(&o, 2, T("held"), d->held);
	row_num(&o, 2, T("refused"), d->refused);
	if (d->meter_flagged)
		row_num(&o, 2, T("meter_flagged"), d->meter_flagged);
	rule(&o, '-');

	line(&o, 0, T("gallons"));
	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++)
		if (d->waste[w].loads)
			gallons(&o, waste_name((enum waste_type)w, lang), d->waste[w].loads,
				d->waste[w].declared, d->waste[w].measured, lang);
	gallons(&o, T("total"), -1, d->declared, d->measured, lang);
	rule(&o, '-');

	row_num(&o, 0, T("samples"), d->n_samples);
	listed = d->n_samples < DAY_MAX_SAMPLES ? d->n_samples : DAY_MAX_SAMPLES;
	for (int i = 0; i < listed; i++) {
		snprintf(label, sizeof label, "%s %lld", T("load"), d->samples[i].load_no);
		row(&o, 2, label, d->samples[i].bottle[0] ? d->samples[i].bottle : "?");
	}
	if (d->n_samples > listed)
		row_num(&o, 2, T("more"), d->n_samples - listed);
	if (d->not_sampled)
		row_num(&o, 2, T("not_sampled"), d->not_sampled);
	rule(&o, '-');

	row_num(&o, 0, T("rv"), d->rv_visits);
	if (d->rv_refused)
		row_num(&o, 2, T("refused"), d->rv_refused);
	row_num(&o, 0, T("faults"), d->faults);
	row_num(&o, 0, T("print_failed"), d->print_failed);
	rule(&o, '=');
#undef T
	if (o.over) {
		buf[0] = '\0';
		return HG_ETOOLONG;
	}
	return (int)o.len;
}
