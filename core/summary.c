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
 * characters as '?'.  The writing itself is core/slipbuf.c.  Start reading
 * at summary_text(). */
#include <stdio.h>
#include <string.h>

#include "slipbuf.h"
#include "summary.h"
#include "text.h"

/* indent, label, and value right-aligned at the last column. */
static void row(struct slipbuf *o, int indent, const char *label, const char *value)
{
	char clean[SLIP_WIDTH * 4 + 1];
	struct slipbuf v;
	int vw, room, w;

	slip_init(&v, clean, sizeof clean);
	vw = slip_put_clean(&v, value, SLIP_WIDTH - indent - 1);
	room = SLIP_WIDTH - indent - vw - 1;
	slip_spaces(o, indent);
	w = slip_put_clean(o, label, room);
	slip_spaces(o, SLIP_WIDTH - indent - w - vw);
	slip_puts(o, clean);
	slip_puts(o, "\n");
}

static void row_num(struct slipbuf *o, int indent, const char *label, long v)
{
	char num[32];

	snprintf(num, sizeof num, "%ld", v);
	row(o, indent, label, num);
}

/* A line of its own, cut at the width. */
static void line(struct slipbuf *o, int indent, const char *text)
{
	slip_spaces(o, indent);
	slip_put_clean(o, text, SLIP_WIDTH - indent);
	slip_puts(o, "\n");
}

static void centred(struct slipbuf *o, const char *text)
{
	slip_centre_pad(o, text);
	slip_put_clean(o, text, SLIP_WIDTH);
	slip_puts(o, "\n");
}

/* Declared and measured gallons under a heading. */
static void gallons(struct slipbuf *o, const char *heading, long loads, long declared,
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
	struct slipbuf o;
	char when[17], label[64];
	int listed;

	if (!d || !buf || cap == 0)
		return HG_EINVAL;
	if ((unsigned)lang >= LANG_COUNT)
		lang = LANG_EN;
	slip_init(&o, buf, cap);
#define T(key) i18n_text("slip.summary." key, lang)
	slip_rule(&o, '=');
	centred(&o, T("title"));
	slip_rule(&o, '=');
	row(&o, 0, T("station"), station ? station : "");
	row(&o, 0, T("day"), d->day);
	text_time_local(now, when);
	row(&o, 0, T("printed"), when);
	slip_rule(&o, '-');

	row_num(&o, 0, T("loads"), d->loads);
	row_num(&o, 2, T("accepted"), d->accepted);
	row_num(&o, 2, T("held"), d->held);
	row_num(&o, 2, T("refused"), d->refused);
	if (d->meter_flagged)
		row_num(&o, 2, T("meter_flagged"), d->meter_flagged);
	slip_rule(&o, '-');

	line(&o, 0, T("gallons"));
	for (int w = WASTE_NONE + 1; w < WASTE_COUNT; w++)
		if (d->waste[w].loads)
			gallons(&o, waste_name((enum waste_type)w, lang), d->waste[w].loads,
				d->waste[w].declared, d->waste[w].measured, lang);
	gallons(&o, T("total"), -1, d->declared, d->measured, lang);
	slip_rule(&o, '-');

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
	slip_rule(&o, '-');

	row_num(&o, 0, T("rv"), d->rv_visits);
	if (d->rv_refused)
		row_num(&o, 2, T("refused"), d->rv_refused);
	row_num(&o, 0, T("faults"), d->faults);
	row_num(&o, 0, T("print_failed"), d->print_failed);
	slip_rule(&o, '=');
#undef T
	return slip_end(&o);
}
