/* policy.c: whether a load is accepted, refused or held for sampling, and why.
 *
 * Pure functions of (config, card lookup, form, time, random draw, and the
 * waste types the station takes as it stands with the plant:
 * policy_offline_waste()).  Every rule that fires is recorded with its stable
 * reason code (core/reason.h), in the order of the table in docs/REASONS.md,
 * so the record and the slips can say every reason at once; a reason's words
 * that depend on the config (offline_waste) are policy_reason_text()'s.
 * Start reading at policy_decide(). */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "i18n.h"
#include "policy.h"
#include "text.h"

static const char *const verdict_codes[] = {"", "accepted", "refused", "sample-hold"};

const char *verdict_code(enum verdict v)
{
	if ((unsigned)v > VERDICT_SAMPLE_HOLD)
		return "";
	return verdict_codes[v];
}

enum verdict verdict_parse(const char *s)
{
	for (int i = 1; s && i <= VERDICT_SAMPLE_HOLD; i++)
		if (strcmp(verdict_codes[i], s) == 0)
			return (enum verdict)i;
	return VERDICT_NONE;
}

int policy_permit_valid(const struct hauler_info *h, hg_time now)
{
	char today[11];

	if (!h->permit[0] || !h->permit_from[0] || !h->permit_to[0])
		return 0;
	text_date_local(now, today);
	/* YYYY-MM-DD compares as text */
	return strcmp(h->permit_from, today) <= 0 && strcmp(today, h->permit_to) <= 0;
}

enum reason policy_card(const struct config *cfg, const struct card_info *card, hg_time now)
{
	if (card->kind != CARD_HAULER)
		return R_CARD_UNKNOWN;
	if (card->revoked)
		return R_CARD_REVOKED;
	if (card->hauler.suspended)
		return R_HAULER_SUSPENDED;
	if (!policy_permit_valid(&card->hauler, now))
		return R_PERMIT_NOT_VALID;
	if (!config_is_open(cfg, now))
		return R_STATION_CLOSED;
	return R_NONE;
}

/* A ZIP+4 ("64124-1234") is its ZIP ("64124"): cut s there, in place. */
static void zip5(char *s)
{
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)s[i]))
			return;
	if (s[5] != '-')
		return;
	for (int i = 6; i < 10; i++)
		if (!isdigit((unsigned char)s[i]))
			return;
	if (s[10] == '\0')
		s[5] = '\0';
}

/* s folded (core/text.c: NFC, case folding, spaces tidied) with a ZIP+4 cut
 * to its ZIP, into out[cap]; "" when s is not text that can be folded. */
static void town_key(const char *s, char *out, size_t cap)
{
	if (text_fold(s, out, cap) != HG_OK)
		out[0] = '\0';
	zip5(out);
}

int policy_town_in_area(const struct config *cfg, const char *town)
{
	char want[HG_BUF(LIM_TOWN) * 3], have[sizeof want];

	town_key(town, want, sizeof want);
	if (!want[0])
		return 0;
	for (int i = 0; i < cfg->n_area; i++) {
		town_key(cfg->area[i], have, sizeof have);
		if (have[0] && strcmp(have, want) == 0)
			return 1;
	}
	return 0;
}

int policy_is_zip(const char *s)
{
	char k[16];

	if (strlen(s) >= sizeof k)
		return 0;
	memcpy(k, s, strlen(s) + 1);
	zip5(k);
	if (strlen(k) != 5)
		return 0;
	for (int i = 0; i < 5; i++)
		if (!isdigit((unsigned char)k[i]))
			return 0;
	return 1;
}

/* Does the hauler owe a sample for reason r, from a hold left without one? */
static int carried(const struct hauler_info *h, enum reason r)
{
	if (!h->pending_load)
		return 0;
	for (int i = 0; i < h->n_pending && i < ROSTER_MAX_PENDING; i++)
		if (h->pending[i] == r)
			return 1;
	return 0;
}

static void add(enum reason *list, int *n, enum reason r)
{
	if (*n < POLICY_MAX_REASONS)
		list[(*n)++] = r;
}

unsigned policy_offline_waste(const struct config *cfg, enum sync_health health)
{
	if (!cfg->sync_url[0] || health != SYNC_H_OFFLINE)
		return POLICY_ANY_WASTE;
	return cfg->sync_offline_waste;
}

void policy_decide(const struct config *cfg, const struct card_info *card,
		   const struct manifest *m, hg_time now, uint32_t rnd,
		   int manual_flag, unsigned waste_now, struct decision *d)
{
	const struct hauler_info *h = &card->hauler;
	unsigned bit = 1u << m->waste;
	int no_analysis;

	memset(d, 0, sizeof *d);

	/* who and when */
	if (card->kind != CARD_HAULER)
		add(d->refuse, &d->n_refuse, R_CARD_UNKNOWN);
	if (card->revoked)
		add(d->refuse, &d->n_refuse, R_CARD_REVOKED);
	if (h->suspended)
		add(d->refuse, &d->n_refuse, R_HAULER_SUSPENDED);
	if (!policy_permit_valid(h, now))
		add(d->refuse, &d->n_refuse, R_PERMIT_NOT_VALID);
	if (!config_is_open(cfg, now))
		add(d->refuse, &d->n_refuse, R_STATION_CLOSED);

	/* what */
	if (m->waste != WASTE_NONE && !(h->waste_allowed & bit))
		add(d->refuse, &d->n_refuse, R_WASTE_NOT_ALLOWED_HAULER);
	if (m->waste == WASTE_NONE || !(cfg->waste_allowed & bit))
		add(d->refuse, &d->n_refuse, R_WASTE_NOT_ALLOWED_STATION);
	if (m->waste != WASTE_NONE && !(waste_now & bit))
		add(d->refuse, &d->n_refuse, R_OFFLINE_WASTE);
	if (m->rcra == RCRA_YES)
		add(d->refuse, &d->n_refuse, R_RCRA_HAZARDOUS);
	no_analysis = m->waste == WASTE_INDUSTRIAL && !h->analysis_date[0];
	if (no_analysis && !cfg->no_analysis_sample)
		add(d->refuse, &d->n_refuse, R_NO_WASTE_ANALYSIS);

	/* how much */
	if (m->gallons < 1)
		add(d->refuse, &d->n_refuse, R_VOLUME_INVALID);
	else if (m->gallons > m->truck_capacity)
		add(d->refuse, &d->n_refuse, R_VOLUME_OVER_CAPACITY);
	if (cfg->daily_limit_gallons > 0 &&
	    card->station_gallons_today + m->gallons > cfg->daily_limit_gallons)
		add(d->refuse, &d->n_refuse, R_DAILY_LIMIT);

	/* from where */
	if (cfg->n_area > 0)
		for (int i = 0; i < m->n_sources; i++)
			if (!policy_town_in_area(cfg, m->sources[i].town)) {
				add(d->refuse, &d->n_refuse, R_SOURCE_OUTSIDE_AREA);
				break;
			}

	/* sampling: every reason that applies, and every reason of a hold the
	 * hauler left without a sample (carried), until a sample is taken */
	if ((cfg->sample_first_load && h->loads_total == 0) || carried(h, R_SAMPLE_FIRST_LOAD))
		add(d->sample, &d->n_sample, R_SAMPLE_FIRST_LOAD);
	if ((cfg->sample_waste & bit) || carried(h, R_SAMPLE_WASTE_TYPE))
		add(d->sample, &d->n_sample, R_SAMPLE_WASTE_TYPE);
	if ((cfg->sample_rcra_unknown && m->rcra == RCRA_UNKNOWN) ||
	    carried(h, R_SAMPLE_RCRA_UNKNOWN))
		add(d->sample, &d->n_sample, R_SAMPLE_RCRA_UNKNOWN);
	if ((cfg->sample_constituents && manifest_has_constituents(m)) ||
	    carried(h, R_SAMPLE_CONSTITUENTS))
		add(d->sample, &d->n_sample, R_SAMPLE_CONSTITUENTS);
	if ((cfg->sample_random_rate > 0 &&
	     (double)rnd < cfg->sample_random_rate * 4294967296.0) || carried(h, R_SAMPLE_RANDOM))
		add(d->sample, &d->n_sample, R_SAMPLE_RANDOM);
	if ((cfg->sample_every_n > 0 && h->loads_since_sample + 1 >= cfg->sample_every_n) ||
	    carried(h, R_SAMPLE_EVERY_N))
		add(d->sample, &d->n_sample, R_SAMPLE_EVERY_N);
	if (manual_flag || carried(h, R_SAMPLE_MANUAL))
		add(d->sample, &d->n_sample, R_SAMPLE_MANUAL);
	if ((no_analysis && cfg->no_analysis_sample) || carried(h, R_SAMPLE_NO_ANALYSIS))
		add(d->sample, &d->n_sample, R_SAMPLE_NO_ANALYSIS);
	if (h->pending_load)
		add(d->sample, &d->n_sample, R_SAMPLE_PENDING);

	if (d->n_refuse)
		d->verdict = VERDICT_REFUSED;
	else if (d->n_sample)
		d->verdict = VERDICT_SAMPLE_HOLD;
	else
		d->verdict = VERDICT_ACCEPTED;
}

void policy_codes(const enum reason *r, int n, char *buf, size_t cap)
{
	size_t len = 0;

	if (cap == 0)
		return;
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		int w = snprintf(buf + len, cap - len, "%s%s", i ? "," : "", reason_code(r[i]));
		if (w < 0 || (size_t)w >= cap - len) {
			buf[len] = '\0';	/* whole codes only, never half of one */
			break;
		}
		len += (size_t)w;
	}
}

/* snprintf() cut its w bytes to cap - 1, maybe inside a character: cut
 * before that character then. */
static void whole_chars(char *buf, size_t cap, int w)
{
	size_t n, j, len;
	unsigned char c;

	if (w < 0 || (size_t)w < cap)
		return;
	n = cap - 1;
	j = n;
	while (j > 0 && ((unsigned char)buf[j - 1] & 0xc0) == 0x80)
		j--;	/* back over continuation bytes to the last lead byte */
	if (j == 0)
		return;
	c = (unsigned char)buf[j - 1];
	len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (j - 1 + len > n)
		buf[j - 1] = '\0';
}

/* The waste types of mask as a list in lang: "septic tank waste and portable
 * toilet waste" (the names of waste_name() with their first letter in lower
 * case), into buf[cap]; "" for none. */
static void waste_list(unsigned mask, enum lang lang, char *buf, size_t cap)
{
	int n = 0, seen = 0;
	size_t len = 0;

	buf[0] = '\0';
	for (int w = 1; w < WASTE_COUNT; w++)
		n += (mask >> w) & 1u;
	for (int w = 1; w < WASTE_COUNT && len < cap; w++) {
		const char *name = waste_name((enum waste_type)w, lang);
		int last = seen > 0 && seen == n - 1;	/* "..., b and c" */
		int k;

		if (!((mask >> w) & 1u))
			continue;
		k = snprintf(buf + len, cap - len, "%s%s%s%c%s", !seen ? "" : last ? " " : ", ",
			     last ? i18n_text("ui.list.and", lang) : "", last ? " " : "",
			     tolower((unsigned char)name[0]), name[0] ? name + 1 : "");
		seen++;
		if (k < 0 || (size_t)k >= cap - len)
			return;
		len += (size_t)k;
	}
}

const char *policy_reason_text(const struct config *cfg, enum reason r, enum lang lang,
			       char *buf, size_t cap)
{
	char days[64], list[256];
	long n_days;
	const char *f, *p, *q;
	int w;

	if (cap == 0)
		return buf;
	waste_list(cfg->sync_offline_waste, lang, list, sizeof list);
	f = i18n_text("ui.offline_waste.detail", lang);
	p = strstr(f, "%s");
	q = p ? strstr(p + 2, "%s") : NULL;
	if (r != R_OFFLINE_WASTE || !list[0] || !q) {
		w = snprintf(buf, cap, "%s", i18n_msg(r, lang));
		whole_chars(buf, cap, w);
		return buf;
	}
	/* whole days, at least 1 (offline_after is 1 h at the least): "1 day",
	 * "30 days" */
	n_days = cfg->sync_offline_after_s >= 2 * 86400 ? cfg->sync_offline_after_s / 86400 : 1L;
	if (n_days == 1) {
		snprintf(days, sizeof days, "%s", i18n_text("ui.days.one", lang));
	} else {
		char num[24];
		const char *d = i18n_text("ui.days", lang), *ds = strstr(d, "%s");

		snprintf(num, sizeof num, "%ld", n_days);
		if (ds)
			snprintf(days, sizeof days, "%.*s%s%s", (int)(ds - d), d, num, ds + 2);
		else
			snprintf(days, sizeof days, "%s", num);
	}
	w = snprintf(buf, cap, "%.*s%s%.*s%s%s", (int)(p - f), f, days, (int)(q - p - 2), p + 2,
		     list, q + 2);
	whole_chars(buf, cap, w);
	return buf;
}
