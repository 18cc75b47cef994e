/* test_policy.c: the acceptance and sampling rules (core/policy.c).
 *
 * Every case starts from one baseline that is accepted: a hauler card with a
 * valid permit and a 3,000-gallon truck, a septage load of 2,500 gallons from
 * a source inside the default service area, on a Monday at 10:00 when the
 * default station is open, with a random draw of UINT32_MAX so the random
 * sample never fires.  Each row of a table then changes one thing (a small
 * function below) and names the verdict and the reason codes it must give.
 *
 * Time is fixed hg_time values; the process runs in TZ=UTC (set in the group
 * setup) so local dates are the UTC dates written next to each constant.  No
 * test draws random numbers: the random rate is checked at its threshold. */
#include "testutil.h"

#include <time.h>

#include "../../core/policy.h"
#include "../../core/config.h"
#include "../../core/text.h"
#include "../../core/i18n.h"

#define DAY ((hg_time)86400)
#define T_MON ((hg_time)1795428000)	/* 2026-11-23T10:00:00Z, Monday: open 06:00-18:00 */
#define T_SUN (T_MON - DAY)		/* 2026-11-22T10:00:00Z, Sunday: closed all day */
#define T_TUE (T_MON + DAY)		/* 2026-11-24T10:00:00Z, Tuesday */
#define T_MIDNIGHT (T_MON - 10 * 3600)	/* 2026-11-23T00:00:00Z */

/* 0.05 * 2^32 = 214748364.8: the default random rate's threshold */
#define RND_BELOW_5PCT 214748364u
#define RND_ABOVE_5PCT 214748365u

struct fx {
	struct config cfg;
	struct card_info card;
	struct manifest m;
	hg_time now;
	uint32_t rnd;
	int manual;
};

static void set_text(char *dst, size_t cap, const char *s)
{
	assert_int_equal(text_copy(dst, cap, s), HG_OK);
}

#define SET(field, s) set_text((field), sizeof(field), (s))

/* The accepted baseline every row starts from. */
static void baseline(struct fx *f)
{
	struct hauler_info *h = &f->card.hauler;
	struct manifest *m = &f->m;

	memset(f, 0, sizeof *f);
	config_defaults(&f->cfg);

	f->card.kind = CARD_HAULER;
	f->card.card_id = 7;
	SET(f->card.uid, "04a1b2c3d4e5f6");
	SET(f->card.holder, "Pat Driver");
	h->id = 3;
	SET(h->company, "Acme Septic Service");
	SET(h->contact, "Pat Driver");
	SET(h->permit, "WH-2026-014");
	SET(h->permit_from, "2026-01-01");
	SET(h->permit_to, "2026-12-31");
	h->waste_allowed = WASTE_ALL;
	SET(h->analysis_date, "2026-02-10");
	h->loads_total = 12;
	h->loads_since_sample = 2;
	f->card.n_trucks = 1;
	f->card.trucks[0].id = 5;
	SET(f->card.trucks[0].ident, "ABC-123");
	f->card.trucks[0].capacity = 3000;
	f->card.station_gallons_today = 10000;

	m->hauler_id = 3;
	SET(m->company, "Acme Septic Service");
	SET(m->company_address, "1 Industrial Way, Springfield");
	SET(m->driver, "Pat Driver");
	SET(m->permit, "WH-2026-014");
	m->card_id = 7;
	m->truck_id = 5;
	SET(m->truck, "ABC-123");
	m->truck_capacity = 3000;
	m->n_sources = 1;
	SET(m->sources[0].name, "Smith residence");
	SET(m->sources[0].address, "12 Elm St, Springfield, CO 80401");
	SET(m->sources[0].industry, "residential");
	SET(m->sources[0].town, "Springfield");
	m->waste = WASTE_SEPTAGE;
	m->gallons = 2500;
	SET(m->characteristics, "dark liquid, septic odour");
	SET(m->constituents, "none");
	m->rcra = RCRA_NO;
	SET(m->signer, "Pat Driver");

	f->now = T_MON;
	f->rnd = UINT32_MAX;
	f->manual = 0;
}

static int group_setup(void **state)
{
	(void)state;
	if (setenv("TZ", "UTC", 1) != 0)
		return -1;
	tzset();
	return 0;
}

/* ------------------------------------------------------------------ */
/* one change each: the rows below name these */

static void nothing(struct fx *f) { (void)f; }
static void operator_card(struct fx *f) { f->card.kind = CARD_OPERATOR; }
static void unknown_card(struct fx *f) { f->card.kind = CARD_NONE; }
static void revoked(struct fx *f) { f->card.revoked = 1; }
static void suspended(struct fx *f) { f->card.hauler.suspended = 1; }
static void permit_from_tomorrow(struct fx *f) { SET(f->card.hauler.permit_from, "2026-11-24"); }
static void permit_from_today(struct fx *f) { SET(f->card.hauler.permit_from, "2026-11-23"); }
static void permit_to_yesterday(struct fx *f) { SET(f->card.hauler.permit_to, "2026-11-22"); }
static void permit_to_today(struct fx *f) { SET(f->card.hauler.permit_to, "2026-11-23"); }
static void no_permit_number(struct fx *f) { f->card.hauler.permit[0] = '\0'; }
static void sunday(struct fx *f) { f->now = T_SUN; }
static void closed_today(struct fx *f) { SET(f->cfg.closed[0], "2026-11-23"); f->cfg.n_closed = 1; }
static void closed_other_day(struct fx *f) { SET(f->cfg.closed[0], "2026-11-26"); f->cfg.n_closed = 1; }
static void at_1800(struct fx *f) { f->now = T_MIDNIGHT + 18 * 3600; }
static void at_1759(struct fx *f) { f->now = T_MIDNIGHT + 17 * 3600 + 59 * 60; }
static void at_0559(struct fx *f) { f->now = T_MIDNIGHT + 5 * 3600 + 59 * 60; }
static void station_no_septage(struct fx *f) { f->cfg.waste_allowed = WASTE_ALL & ~(1u << WASTE_SEPTAGE); }
static void no_waste_chosen(struct fx *f) { f->m.waste = WASTE_NONE; }
static void hauler_grease_only(struct fx *f) { f->card.hauler.waste_allowed = 1u << WASTE_GREASE; }
static void rcra_yes(struct fx *f) { f->m.rcra = RCRA_YES; }
static void industrial(struct fx *f) { f->m.waste = WASTE_INDUSTRIAL; }
static void industrial_no_analysis(struct fx *f) { industrial(f); f->card.hauler.analysis_date[0] = '\0'; }
static void industrial_no_analysis_refuse(struct fx *f) { industrial_no_analysis(f); f->cfg.no_analysis_sample = 0; }
static void gallons_0(struct fx *f) { f->m.gallons = 0; }
static void gallons_minus_5(struct fx *f) { f->m.gallons = -5; }
static void gallons_capacity(struct fx *f) { f->m.gallons = 3000; }
static void gallons_over_capacity(struct fx *f) { f->m.gallons = 3001; }
static void today_at_limit(struct fx *f) { f->card.station_gallons_today = 60000 - 2500; }
static void today_over_limit(struct fx *f) { f->card.station_gallons_today = 60000 - 2500 + 1; }
static void no_limit(struct fx *f) { f->cfg.daily_limit_gallons = 0; f->card.station_gallons_today = 9000000; }
static void src_denver(struct fx *f)
{
	SET(f->m.sources[0].address, "5 Oak Rd, Denver, CO 80202");
	SET(f->m.sources[0].town, "Denver");
}
static void src_zip_only(struct fx *f) { SET(f->m.sources[0].town, "80403"); }
static void src_town_lower(struct fx *f) { SET(f->m.sources[0].town, "shelbyville"); }
static void src_town_upper(struct fx *f) { SET(f->m.sources[0].town, "SPRINGFIELD"); }
static void src_zip_longer(struct fx *f) { SET(f->m.sources[0].town, "804012"); }
static void src_town_longer(struct fx *f) { SET(f->m.sources[0].town, "Springfieldton"); }
static void src_zip_prefixed(struct fx *f) { SET(f->m.sources[0].town, "180401"); }
static void src_zip4(struct fx *f) { SET(f->m.sources[0].town, "80401-1234"); }
static void src_no_town(struct fx *f) { f->m.sources[0].town[0] = '\0'; }
/* the town is only in the street address: the address is not searched */
static void src_town_in_address(struct fx *f)
{
	SET(f->m.sources[0].address, "100 Springfield Ave, Denver, CO 80202");
	SET(f->m.sources[0].town, "Denver");
}
/* the town field holds a whole address with the town in it: not the town */
static void src_address_in_town(struct fx *f) { SET(f->m.sources[0].town, "9 Main St, Springfield"); }
static void second_src_outside(struct fx *f)
{
	f->m.n_sources = 2;
	SET(f->m.sources[1].name, "Far away diner");
	SET(f->m.sources[1].address, "1 Colfax Ave, Denver, CO 80202");
	SET(f->m.sources[1].industry, "restaurant");
	SET(f->m.sources[1].town, "Denver");
}
static void two_src_outside(struct fx *f) { src_denver(f); second_src_outside(f); }
static void no_area(struct fx *f) { src_denver(f); f->cfg.n_area = 0; }
static void many_refusals(struct fx *f)
{
	suspended(f);
	sunday(f);
	rcra_yes(f);
	f->m.gallons = 5000;
	src_denver(f);
}
static void first_load(struct fx *f) { f->card.hauler.loads_total = 0; }
static void first_load_off(struct fx *f) { first_load(f); f->cfg.sample_first_load = 0; }
static void grease(struct fx *f) { f->m.waste = WASTE_GREASE; }
static void rcra_unknown(struct fx *f) { f->m.rcra = RCRA_UNKNOWN; }
static void rcra_unknown_off(struct fx *f) { rcra_unknown(f); f->cfg.sample_rcra_unknown = 0; }
static void constituents_declared(struct fx *f) { SET(f->m.constituents, "lead, solvents"); }
static void constituents_off(struct fx *f) { constituents_declared(f); f->cfg.sample_constituents = 0; }
static void constituents_None(struct fx *f) { SET(f->m.constituents, "None"); }
static void constituents_empty(struct fx *f) { f->m.constituents[0] = '\0'; }
static void rnd_below(struct fx *f) { f->rnd = RND_BELOW_5PCT; }
static void rnd_above(struct fx *f) { f->rnd = RND_ABOVE_5PCT; }
static void rnd_zero(struct fx *f) { f->rnd = 0; }
static void half_rnd_below(struct fx *f) { f->cfg.sample_random_rate = 0.5; f->rnd = 0x7fffffffu; }
static void half_rnd_at(struct fx *f) { f->cfg.sample_random_rate = 0.5; f->rnd = 0x80000000u; }
static void rate_0_rnd_0(struct fx *f) { f->cfg.sample_random_rate = 0; f->rnd = 0; }
static void rate_1_rnd_max(struct fx *f) { f->cfg.sample_random_rate = 1; f->rnd = UINT32_MAX; }
static void since_n_minus_1(struct fx *f) { f->card.hauler.loads_since_sample = 9; }
static void since_n_minus_2(struct fx *f) { f->card.hauler.loads_since_sample = 8; }
static void every_n_off(struct fx *f) { f->cfg.sample_every_n = 0; f->card.hauler.loads_since_sample = 1000; }
static void manual(struct fx *f) { f->manual = 1; }
static void refusal_and_sampling(struct fx *f) { rcra_yes(f); grease(f); manual(f); }
static void every_sampling(struct fx *f)
{
	first_load(f);
	grease(f);
	rcra_unknown(f);
	constituents_declared(f);
	rnd_zero(f);
	f->cfg.sample_every_n = 1;
	manual(f);
}
/* an earlier hold of the hauler was left without a sample (random draw) */
static void pending_random(struct fx *f)
{
	f->card.hauler.pending_load = 4;
	f->card.hauler.n_pending = 1;
	f->card.hauler.pending[0] = R_SAMPLE_RANDOM;
}
/* two holds left: the first load's reason, then one that owed it already */
static void pending_two(struct fx *f)
{
	f->card.hauler.pending_load = 1;
	f->card.hauler.n_pending = 3;
	f->card.hauler.pending[0] = R_SAMPLE_FIRST_LOAD;
	f->card.hauler.pending[1] = R_SAMPLE_PENDING;
	f->card.hauler.pending[2] = R_SAMPLE_MANUAL;
}
static void pending_and_grease(struct fx *f) { pending_random(f); grease(f); }
static void pending_refused(struct fx *f) { pending_random(f); rcra_yes(f); }
/* reasons listed but no load owes them: nothing is carried */
static void pending_stale(struct fx *f) { pending_random(f); f->card.hauler.pending_load = 0; }
static void revoked_suspended(struct fx *f) { revoked(f); suspended(f); }
static void suspended_lapsed(struct fx *f) { suspended(f); permit_to_yesterday(f); }
static void lapsed_sunday(struct fx *f) { SET(f->card.hauler.permit_to, "2026-11-20"); sunday(f); }
static void form_refused(struct fx *f) { rcra_yes(f); gallons_over_capacity(f); src_denver(f); }

/* ------------------------------------------------------------------ */
/* helpers */

static int count(const enum reason *want)
{
	int n = 0;

	while (n < 8 && want[n] != R_NONE)
		n++;
	return n;
}

static int has(const enum reason *list, int n, enum reason r)
{
	for (int i = 0; i < n; i++)
		if (list[i] == r)
			return 1;
	return 0;
}

/* got[n] must hold exactly the reasons of want (R_NONE-ended), in any order. */
static void expect_reasons(const char *what, const char *kind, const enum reason *got, int n,
			   const enum reason *want)
{
	char g[512], w[512];
	int nw = count(want), ok = n == nw;

	for (int i = 0; ok && i < nw; i++)
		ok = has(got, n, want[i]);
	if (ok)
		return;
	policy_codes(got, n, g, sizeof g);
	policy_codes(want, nw, w, sizeof w);
	fail_msg("%s: %s reasons \"%s\", want \"%s\"", what, kind, g, w);
}

/* ------------------------------------------------------------------ */

/* The constants above mean what their comments say. */
static void test_clock(void **state)
{
	char buf[21];

	(void)state;
	text_time_iso(T_MON, buf);
	assert_string_equal(buf, "2026-11-23T10:00:00Z");
	text_time_iso(T_MIDNIGHT, buf);
	assert_string_equal(buf, "2026-11-23T00:00:00Z");
	text_date_local(T_SUN, buf);
	assert_string_equal(buf, "2026-11-22");
	{
		struct fx f;

		baseline(&f);
		assert_true(config_is_open(&f.cfg, T_MON));
		assert_false(config_is_open(&f.cfg, T_SUN));
	}
}

static void test_decide(void **state)
{
	static const struct {
		const char *what;
		void (*change)(struct fx *);
		enum verdict verdict;
		enum reason refuse[8];	/* exactly these refusal reasons */
		enum reason sample[8];	/* exactly these sampling reasons */
	} rows[] = {
		/* the baseline: nothing fires */
		{ "baseline", nothing, VERDICT_ACCEPTED, {0}, {0} },

		/* who */
		/* an operator card cannot bring a load */
		{ "operator card", operator_card, VERDICT_REFUSED, {R_CARD_UNKNOWN}, {0} },
		/* a card not in the roster */
		{ "unknown card", unknown_card, VERDICT_REFUSED, {R_CARD_UNKNOWN}, {0} },
		/* a withdrawn card */
		{ "revoked", revoked, VERDICT_REFUSED, {R_CARD_REVOKED}, {0} },
		/* the hauler's permit is suspended */
		{ "suspended", suspended, VERDICT_REFUSED, {R_HAULER_SUSPENDED}, {0} },
		/* the permit starts tomorrow */
		{ "permit not yet valid", permit_from_tomorrow, VERDICT_REFUSED, {R_PERMIT_NOT_VALID}, {0} },
		/* the permit starts today: from is inclusive */
		{ "permit first day", permit_from_today, VERDICT_ACCEPTED, {0}, {0} },
		/* the permit ended yesterday: the card stops working on its own */
		{ "permit lapsed", permit_to_yesterday, VERDICT_REFUSED, {R_PERMIT_NOT_VALID}, {0} },
		/* the permit ends today: to is inclusive */
		{ "permit last day", permit_to_today, VERDICT_ACCEPTED, {0}, {0} },
		/* dates but no permit number */
		{ "no permit number", no_permit_number, VERDICT_REFUSED, {R_PERMIT_NOT_VALID}, {0} },

		/* when */
		/* Sunday: closed all day by the default hours */
		{ "sunday", sunday, VERDICT_REFUSED, {R_STATION_CLOSED}, {0} },
		/* a closed date on an open weekday */
		{ "closed date", closed_today, VERDICT_REFUSED, {R_STATION_CLOSED}, {0} },
		/* a closed date that is not today */
		{ "closed another day", closed_other_day, VERDICT_ACCEPTED, {0}, {0} },
		/* closing time is exclusive */
		{ "monday 18:00", at_1800, VERDICT_REFUSED, {R_STATION_CLOSED}, {0} },
		/* the last open minute */
		{ "monday 17:59", at_1759, VERDICT_ACCEPTED, {0}, {0} },
		/* a minute before opening */
		{ "monday 05:59", at_0559, VERDICT_REFUSED, {R_STATION_CLOSED}, {0} },

		/* what */
		/* the station does not take septage */
		{ "waste not allowed at station", station_no_septage, VERDICT_REFUSED,
		  {R_WASTE_NOT_ALLOWED_STATION}, {0} },
		/* no waste type on the form */
		{ "no waste type", no_waste_chosen, VERDICT_REFUSED, {R_WASTE_NOT_ALLOWED_STATION}, {0} },
		/* the hauler's permit covers grease only */
		{ "waste not allowed for hauler", hauler_grease_only, VERDICT_REFUSED,
		  {R_WASTE_NOT_ALLOWED_HAULER}, {0} },
		/* RCRA hazardous: always refused */
		{ "rcra yes", rcra_yes, VERDICT_REFUSED, {R_RCRA_HAZARDOUS}, {0} },
		/* industrial with an analysis on file: sampled only because of its type */
		{ "industrial with analysis", industrial, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_WASTE_TYPE} },
		/* industrial without analysis, policy "sample" (the default) */
		{ "industrial no analysis, sample", industrial_no_analysis, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_WASTE_TYPE, R_SAMPLE_NO_ANALYSIS} },
		/* industrial without analysis, policy "refuse" */
		{ "industrial no analysis, refuse", industrial_no_analysis_refuse, VERDICT_REFUSED,
		  {R_NO_WASTE_ANALYSIS}, {R_SAMPLE_WASTE_TYPE} },

		/* how much */
		/* no volume */
		{ "volume 0", gallons_0, VERDICT_REFUSED, {R_VOLUME_INVALID}, {0} },
		/* a negative volume */
		{ "volume -5", gallons_minus_5, VERDICT_REFUSED, {R_VOLUME_INVALID}, {0} },
		/* a full tank is fine */
		{ "volume = capacity", gallons_capacity, VERDICT_ACCEPTED, {0}, {0} },
		/* one gallon more than the tank holds */
		{ "volume > capacity", gallons_over_capacity, VERDICT_REFUSED, {R_VOLUME_OVER_CAPACITY}, {0} },
		/* this load brings the day to exactly the limit */
		{ "exactly at daily limit", today_at_limit, VERDICT_ACCEPTED, {0}, {0} },
		/* one gallon over the day's limit */
		{ "daily limit reached", today_over_limit, VERDICT_REFUSED, {R_DAILY_LIMIT}, {0} },
		/* daily limit 0 = no limit */
		{ "no daily limit", no_limit, VERDICT_ACCEPTED, {0}, {0} },

		/* from where (default area: Springfield, Shelbyville, 80401, 80403) */
		/* a source in Denver */
		{ "source outside area", src_denver, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* in the area by its ZIP code alone */
		{ "source in area by zip", src_zip_only, VERDICT_ACCEPTED, {0}, {0} },
		/* a ZIP+4 is its ZIP */
		{ "source in area by zip+4", src_zip4, VERDICT_ACCEPTED, {0}, {0} },
		/* town name, lowercase */
		{ "town lowercase", src_town_lower, VERDICT_ACCEPTED, {0}, {0} },
		/* town name, uppercase */
		{ "town uppercase", src_town_upper, VERDICT_ACCEPTED, {0}, {0} },
		/* 804012 is not 80401 */
		{ "zip 804012", src_zip_longer, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* 180401 is not 80401 either */
		{ "zip 180401", src_zip_prefixed, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* the whole field, not a prefix */
		{ "Springfieldton", src_town_longer, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* no town given: not known to be in the area */
		{ "source without a town", src_no_town, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* the street is named after a town of the area: the town field decides */
		{ "town only in the street", src_town_in_address, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* a whole address typed as the town: no word search inside it */
		{ "address in the town field", src_address_in_town, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* the second of two sources is outside */
		{ "second source outside", second_src_outside, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* two sources outside: the reason once */
		{ "two sources outside", two_src_outside, VERDICT_REFUSED, {R_SOURCE_OUTSIDE_AREA}, {0} },
		/* no service area configured: no check */
		{ "empty service area", no_area, VERDICT_ACCEPTED, {0}, {0} },

		/* several refusals at once, all recorded */
		{ "many refusals", many_refusals, VERDICT_REFUSED,
		  {R_HAULER_SUSPENDED, R_STATION_CLOSED, R_RCRA_HAZARDOUS, R_VOLUME_OVER_CAPACITY,
		   R_SOURCE_OUTSIDE_AREA}, {0} },

		/* sampling */
		/* the hauler's first load here */
		{ "first load", first_load, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_FIRST_LOAD} },
		/* first load, rule off */
		{ "first load, off", first_load_off, VERDICT_ACCEPTED, {0}, {0} },
		/* grease is in the default list of always-sampled types */
		{ "waste type sampled", grease, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_WASTE_TYPE} },
		/* RCRA status unknown */
		{ "rcra unknown", rcra_unknown, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_RCRA_UNKNOWN} },
		/* RCRA unknown, rule off */
		{ "rcra unknown, off", rcra_unknown_off, VERDICT_ACCEPTED, {0}, {0} },
		/* constituents declared */
		{ "constituents declared", constituents_declared, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_CONSTITUENTS} },
		/* constituents declared, rule off */
		{ "constituents, off", constituents_off, VERDICT_ACCEPTED, {0}, {0} },
		/* "None" declares nothing (baseline has "none") */
		{ "constituents None", constituents_None, VERDICT_ACCEPTED, {0}, {0} },
		/* "" declares nothing */
		{ "constituents empty", constituents_empty, VERDICT_ACCEPTED, {0}, {0} },
		/* rnd just below 0.05 * 2^32 */
		{ "random just below", rnd_below, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_RANDOM} },
		/* rnd just above 0.05 * 2^32 */
		{ "random just above", rnd_above, VERDICT_ACCEPTED, {0}, {0} },
		/* rate 0.5: 2^31 - 1 is below the threshold */
		{ "random 0.5 below", half_rnd_below, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_RANDOM} },
		/* rate 0.5: 2^31 is the threshold itself, not below */
		{ "random 0.5 at", half_rnd_at, VERDICT_ACCEPTED, {0}, {0} },
		/* rate 0 never fires, even for rnd 0 */
		{ "random rate 0", rate_0_rnd_0, VERDICT_ACCEPTED, {0}, {0} },
		/* rate 1 always fires, even for the largest rnd */
		{ "random rate 1", rate_1_rnd_max, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_RANDOM} },
		/* every 10th load: 9 since the last sample, this is the 10th */
		{ "every n, due", since_n_minus_1, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_EVERY_N} },
		/* every 10th load: this is the 9th */
		{ "every n, not yet", since_n_minus_2, VERDICT_ACCEPTED, {0}, {0} },
		/* every_n 0 = off */
		{ "every n, off", every_n_off, VERDICT_ACCEPTED, {0}, {0} },
		/* an operator asked for a sample */
		{ "manual flag", manual, VERDICT_SAMPLE_HOLD, {0}, {R_SAMPLE_MANUAL} },
		/* every sampling rule at once */
		{ "every sampling reason", every_sampling, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_FIRST_LOAD, R_SAMPLE_WASTE_TYPE, R_SAMPLE_RCRA_UNKNOWN, R_SAMPLE_CONSTITUENTS,
		   R_SAMPLE_RANDOM, R_SAMPLE_EVERY_N, R_SAMPLE_MANUAL} },
		/* refusal wins over sampling, the sampling reasons are still recorded */
		{ "refusal wins", refusal_and_sampling, VERDICT_REFUSED, {R_RCRA_HAZARDOUS},
		  {R_SAMPLE_WASTE_TYPE, R_SAMPLE_MANUAL} },

		/* a sample owed from a hold left without one */
		/* held again: sample_pending, carrying the earlier hold's random draw */
		{ "pending", pending_random, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_RANDOM, R_SAMPLE_PENDING} },
		/* two holds left: every reason of both, sample_pending once */
		{ "pending twice", pending_two, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_FIRST_LOAD, R_SAMPLE_MANUAL, R_SAMPLE_PENDING} },
		/* a reason of this load and a carried one, each once */
		{ "pending and grease", pending_and_grease, VERDICT_SAMPLE_HOLD, {0},
		  {R_SAMPLE_WASTE_TYPE, R_SAMPLE_RANDOM, R_SAMPLE_PENDING} },
		/* refusal still wins; the owed sample stays in the record */
		{ "pending, refused", pending_refused, VERDICT_REFUSED, {R_RCRA_HAZARDOUS},
		  {R_SAMPLE_RANDOM, R_SAMPLE_PENDING} },
		/* no load owes a sample: listed reasons are not carried */
		{ "pending cleared", pending_stale, VERDICT_ACCEPTED, {0}, {0} },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct fx f, before;
		struct decision d;

		baseline(&f);
		rows[i].change(&f);
		before = f;
		memset(&d, 0xa5, sizeof d);	/* policy_decide must clear it */
		policy_decide(&f.cfg, &f.card, &f.m, f.now, f.rnd, f.manual, POLICY_ANY_WASTE, &d);
		if (d.verdict != rows[i].verdict)
			fail_msg("%s: verdict \"%s\", want \"%s\"", rows[i].what,
				 verdict_code(d.verdict), verdict_code(rows[i].verdict));
		expect_reasons(rows[i].what, "refuse", d.refuse, d.n_refuse, rows[i].refuse);
		expect_reasons(rows[i].what, "sample", d.sample, d.n_sample, rows[i].sample);
		/* the inputs are only read */
		assert_memory_equal(&f, &before, sizeof f);
	}
}

static void test_card(void **state)
{
	static const struct {
		const char *what;
		void (*change)(struct fx *);
		enum reason want;
	} rows[] = {
		/* the baseline card may start a load */
		{ "baseline", nothing, R_NONE },
		/* an operator card is not a hauler card */
		{ "operator card", operator_card, R_CARD_UNKNOWN },
		/* not in the roster */
		{ "unknown card", unknown_card, R_CARD_UNKNOWN },
		/* withdrawn */
		{ "revoked", revoked, R_CARD_REVOKED },
		/* the hauler is suspended */
		{ "suspended", suspended, R_HAULER_SUSPENDED },
		/* the permit starts tomorrow */
		{ "permit not yet valid", permit_from_tomorrow, R_PERMIT_NOT_VALID },
		/* the permit ended yesterday */
		{ "permit lapsed", permit_to_yesterday, R_PERMIT_NOT_VALID },
		/* the permit's last day is still valid */
		{ "permit last day", permit_to_today, R_NONE },
		/* no permit number */
		{ "no permit number", no_permit_number, R_PERMIT_NOT_VALID },
		/* Sunday */
		{ "sunday", sunday, R_STATION_CLOSED },
		/* a closed date */
		{ "closed date", closed_today, R_STATION_CLOSED },
		/* after hours */
		{ "monday 18:00", at_1800, R_STATION_CLOSED },
		/* first reason wins: revoked before suspended */
		{ "revoked and suspended", revoked_suspended, R_CARD_REVOKED },
		/* suspended before permit */
		{ "suspended and lapsed", suspended_lapsed, R_HAULER_SUSPENDED },
		/* permit before hours */
		{ "lapsed on a sunday", lapsed_sunday, R_PERMIT_NOT_VALID },
		/* the card check does not look at the form */
		{ "form that would be refused", form_refused, R_NONE },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct fx f;
		enum reason got;

		baseline(&f);
		rows[i].change(&f);
		got = policy_card(&f.cfg, &f.card, f.now);
		if (got != rows[i].want)
			fail_msg("%s: \"%s\", want \"%s\"", rows[i].what, reason_code(got),
				 reason_code(rows[i].want));
	}
}

/* A card whose hauler's permit has lapsed stops working on its own: the same
 * card, nothing changed in the roster, only the clock moving on. */
static void test_permit_lapses_by_itself(void **state)
{
	struct fx f;
	struct card_info before;
	struct decision d;

	(void)state;
	baseline(&f);
	permit_to_today(&f);
	before = f.card;

	assert_int_equal(policy_card(&f.cfg, &f.card, T_MON), R_NONE);
	assert_int_equal(policy_card(&f.cfg, &f.card, T_MIDNIGHT + 17 * 3600 + 59 * 60), R_NONE);
	assert_int_equal(policy_card(&f.cfg, &f.card, T_TUE), R_PERMIT_NOT_VALID);
	assert_int_equal(policy_card(&f.cfg, &f.card, T_TUE + 30 * DAY), R_PERMIT_NOT_VALID);

	policy_decide(&f.cfg, &f.card, &f.m, T_MON, UINT32_MAX, 0, POLICY_ANY_WASTE, &d);
	assert_int_equal(d.verdict, VERDICT_ACCEPTED);
	policy_decide(&f.cfg, &f.card, &f.m, T_TUE, UINT32_MAX, 0, POLICY_ANY_WASTE, &d);
	assert_int_equal(d.verdict, VERDICT_REFUSED);
	assert_int_equal(d.n_refuse, 1);
	assert_int_equal(d.refuse[0], R_PERMIT_NOT_VALID);

	assert_memory_equal(&f.card, &before, sizeof before);
}

static void test_permit_valid(void **state)
{
	static const struct {
		const char *permit, *from, *to;
		hg_time now;
		int want;
	} rows[] = {
		/* well inside the permit year */
		{ "P-1", "2026-01-01", "2026-12-31", T_MON, 1 },
		/* first day, first second */
		{ "P-1", "2026-11-23", "2026-12-31", T_MIDNIGHT, 1 },
		/* the last second before the first day */
		{ "P-1", "2026-11-23", "2026-12-31", T_MIDNIGHT - 1, 0 },
		/* last day, last second */
		{ "P-1", "2026-01-01", "2026-11-23", T_MIDNIGHT + DAY - 1, 1 },
		/* the first second after the last day */
		{ "P-1", "2026-01-01", "2026-11-23", T_MIDNIGHT + DAY, 0 },
		/* a one-day permit, on its day */
		{ "P-1", "2026-11-23", "2026-11-23", T_MON, 1 },
		/* a one-day permit, the day after */
		{ "P-1", "2026-11-23", "2026-11-23", T_TUE, 0 },
		/* lapsed at the end of last year (2026-12-31 -> 2027-01-01) */
		{ "P-1", "2026-01-01", "2026-12-31", (hg_time)1798761600, 0 },
		/* from after to: never valid */
		{ "P-1", "2026-12-31", "2026-01-01", T_MON, 0 },
		/* no permit number */
		{ "", "2026-01-01", "2026-12-31", T_MON, 0 },
		/* no start date */
		{ "P-1", "", "2026-12-31", T_MON, 0 },
		/* no end date */
		{ "P-1", "2026-01-01", "", T_MON, 0 },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct hauler_info h;

		memset(&h, 0, sizeof h);
		SET(h.permit, rows[i].permit);
		SET(h.permit_from, rows[i].from);
		SET(h.permit_to, rows[i].to);
		if (policy_permit_valid(&h, rows[i].now) != rows[i].want)
			fail_msg("row %zu: permit \"%s\" %s..%s at %lld: want %d", i, rows[i].permit,
				 rows[i].from, rows[i].to, (long long)rows[i].now, rows[i].want);
	}
}

/* The permit's dates are local dates of the station, not UTC dates. */
static void test_permit_valid_local_date(void **state)
{
	const hg_time t = T_TUE - 7 * 3600;	/* 2026-11-24T03:00Z = 2026-11-23 20:00 in Denver */
	struct hauler_info h;

	(void)state;
	if (access("/usr/share/zoneinfo/America/Denver", R_OK) != 0)
		skip();
	memset(&h, 0, sizeof h);
	SET(h.permit, "P-1");
	SET(h.permit_from, "2026-01-01");
	SET(h.permit_to, "2026-11-23");

	assert_int_equal(policy_permit_valid(&h, t), 0);	/* UTC: already the 24th */
	assert_int_equal(setenv("TZ", "America/Denver", 1), 0);
	tzset();
	assert_int_equal(policy_permit_valid(&h, t), 1);	/* Denver: still the 23rd */
	assert_int_equal(setenv("TZ", "UTC", 1), 0);
	tzset();
}

static void test_codes(void **state)
{
	static const struct {
		enum reason r[POLICY_MAX_REASONS];
		int n;
		const char *want;
	} rows[] = {
		/* two codes, comma-separated, no spaces */
		{ {R_RCRA_HAZARDOUS, R_DAILY_LIMIT}, 2, "rcra_hazardous,daily_limit" },
		/* none */
		{ {0}, 0, "" },
		/* one */
		{ {R_SAMPLE_MANUAL}, 1, "sample_manual" },
		/* in the order given, not sorted */
		{ {R_SAMPLE_MANUAL, R_SAMPLE_FIRST_LOAD, R_SAMPLE_RANDOM}, 3,
		  "sample_manual,sample_first_load,sample_random" },
		/* the longest code, as many as a decision holds */
		{ {R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION,
		   R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION,
		   R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION,
		   R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION,
		   R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION, R_WASTE_NOT_ALLOWED_STATION,
		   R_WASTE_NOT_ALLOWED_STATION}, POLICY_MAX_REASONS,
		  "waste_not_allowed_station,waste_not_allowed_station,waste_not_allowed_station,"
		  "waste_not_allowed_station,waste_not_allowed_station,waste_not_allowed_station,"
		  "waste_not_allowed_station,waste_not_allowed_station,waste_not_allowed_station,"
		  "waste_not_allowed_station,waste_not_allowed_station,waste_not_allowed_station,"
		  "waste_not_allowed_station,waste_not_allowed_station,waste_not_allowed_station,"
		  "waste_not_allowed_station" },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		char buf[POLICY_MAX_REASONS * 40];

		memset(buf, 'X', sizeof buf);
		policy_codes(rows[i].r, rows[i].n, buf, sizeof buf);
		assert_string_equal(buf, rows[i].want);
	}
}

/* A buffer too small: never a byte past cap, always a NUL inside it, and what
 * is there is the start of the whole answer. */
static void test_codes_truncated(void **state)
{
	static const enum reason r[] = {R_RCRA_HAZARDOUS, R_DAILY_LIMIT};
	const char *full = "rcra_hazardous,daily_limit";
	size_t len = strlen(full);

	(void)state;
	for (size_t cap = 0; cap <= len + 1; cap++) {
		char buf[64];

		memset(buf, 'X', sizeof buf);
		policy_codes(r, 2, buf, cap);
		for (size_t j = cap; j < sizeof buf; j++)
			if (buf[j] != 'X')
				fail_msg("cap %zu: byte %zu written", cap, j);
		if (cap == 0)
			continue;
		assert_non_null(memchr(buf, '\0', cap));
		assert_memory_equal(buf, full, strlen(buf));
		if (cap == len + 1)
			assert_string_equal(buf, full);
		else
			assert_true(strlen(buf) < len);
	}
	/* the same on the heap, exactly cap bytes, for ASan */
	for (size_t cap = 1; cap <= len + 1; cap++) {
		char *buf = malloc(cap);

		assert_non_null(buf);
		policy_codes(r, 2, buf, cap);
		assert_true(strlen(buf) < cap);
		free(buf);
	}
}

static void test_verdict_codes(void **state)
{
	static const struct {
		enum verdict v;
		const char *code;
	} rows[] = {
		{ VERDICT_ACCEPTED, "accepted" },	/* the three stored codes */
		{ VERDICT_REFUSED, "refused" },
		{ VERDICT_SAMPLE_HOLD, "sample-hold" },
	};
	static const char *const bad[] = {
		"",		/* empty */
		"Accepted",	/* codes are lowercase */
		"sample_hold",	/* '-' not '_' */
		"accepted ",	/* nothing around the code */
		"none",		/* VERDICT_NONE has no code */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		assert_string_equal(verdict_code(rows[i].v), rows[i].code);
		assert_int_equal(verdict_parse(rows[i].code), rows[i].v);
		assert_int_equal(verdict_parse(verdict_code(rows[i].v)), rows[i].v);
	}
	for (size_t i = 0; i < HG_ARRAY_LEN(bad); i++)
		assert_int_equal(verdict_parse(bad[i]), VERDICT_NONE);
	assert_int_equal(verdict_parse(NULL), VERDICT_NONE);
	assert_string_equal(verdict_code(VERDICT_NONE), "");
	assert_string_equal(verdict_code((enum verdict)99), "");
}

/* policy_town_in_area(): the cases, against a service area of towns
 * next to each other (Kansas City's neighbours), one with a tilde, and ZIPs. */
static void test_town_in_area(void **state)
{
	static const char *const area[] = {
		"Independence", "Blue Springs", "Pe\xc3\xb1" "asco", "64124", "Kansas City KS",
		"  Lee's   Summit ", "80401-1234",
	};
	static const struct {
		const char *town;
		int want;
	} rows[] = {
		{ "Independence", 1 },		/* the town itself */
		{ "independence", 1 },		/* case-blind */
		{ "INDEPENDENCE", 1 },		/* upper case */
		{ " Independence  ", 1 },	/* spaces around it */
		{ "Kansas City", 0 },		/* the source at 100 Independence Ave, Kansas City MO */
		{ "100 Independence Ave, Kansas City MO 64124", 0 },	/* the whole address: no word search */
		{ "Kansas City MO 64124", 0 },	/* a town and a ZIP together are neither */
		{ "Independence Ave", 0 },	/* a street named after the town */
		{ "Blue Springs", 1 },		/* a two-word town */
		{ "blue  springs", 1 },		/* spaces inside made one */
		{ "Blue", 0 },			/* one word of it */
		{ "5 Blue Springs Rd, Kansas City", 0 },	/* the second case */
		{ "Pe\xc3\xb1" "asco", 1 },	/* Peñasco, precomposed ñ (NFC) */
		{ "PE\xc3\x91" "ASCO", 1 },	/* PEÑASCO: case folding of Ñ */
		{ "Pen\xcc\x83" "asco", 1 },	/* n + U+0303 combining tilde (NFD) */
		{ "PEN\xcc\x83" "ASCO", 1 },	/* N + U+0303, upper case */
		{ "Penasco", 0 },		/* without the tilde: another word */
		{ "64124", 1 },			/* the ZIP */
		{ "64124-1234", 1 },		/* a ZIP+4 is its ZIP */
		{ "641241234", 0 },		/* nine digits without the dash: not a ZIP+4 */
		{ "64124-12", 0 },		/* a cut-off ZIP+4 */
		{ "6412", 0 },			/* a prefix of the ZIP */
		{ "164124", 0 },		/* the ZIP inside a longer number */
		{ "80401", 1 },			/* an area entry written as a ZIP+4 stands for its ZIP */
		{ "80401-9999", 1 },		/* ... and so for any ZIP+4 of that ZIP */
		{ "kansas city ks", 1 },	/* an entry with a state in it, whole */
		{ "Lee's Summit", 1 },		/* the entry's own stray spaces do not count */
		{ "", 0 },			/* no town: in no area */
		{ "Independence\xe2\x80\xae", 0 },	/* not clean text: never matches */
	};
	struct config cfg;

	(void)state;
	config_defaults(&cfg);
	cfg.n_area = (int)HG_ARRAY_LEN(area);
	for (size_t i = 0; i < HG_ARRAY_LEN(area); i++)
		SET(cfg.area[i], area[i]);
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		if (policy_town_in_area(&cfg, rows[i].town) != rows[i].want)
			fail_msg("row %zu: \"%s\" gave %d, want %d", i, rows[i].town,
				 !rows[i].want, rows[i].want);
}

/* policy_is_zip(): which service area entries are ZIP codes (not buttons). */
static void test_is_zip(void **state)
{
	static const struct {
		const char *s;
		int want;
	} rows[] = {
		{ "80401", 1 },		/* five digits */
		{ "80401-1234", 1 },	/* ZIP+4 */
		{ "8040", 0 },		/* four digits */
		{ "804011", 0 },	/* six */
		{ "Springfield", 0 },	/* a town */
		{ "80401-12", 0 },	/* cut-off ZIP+4 */
		{ "", 0 },		/* empty */
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++)
		if (policy_is_zip(rows[i].s) != rows[i].want)
			fail_msg("row %zu: \"%s\"", i, rows[i].s);
}

/* The offline rule: past [sync] offline_after (health SYNC_H_OFFLINE) a
 * plant-managed station takes only [sync] offline_waste_types.  Each row is
 * a station (managed or not, its offline_waste_types) and a health; every
 * waste type is then decided from the baseline (accepted, or held for a
 * sample: grease and industrial are sampled by default), with the mask
 * policy_offline_waste() gives, and offline_waste must be among the refusal
 * reasons exactly for the types in refused, and the only one. */
static void test_offline(void **state)
{
	const unsigned S = 1u << WASTE_SEPTAGE, P = 1u << WASTE_PORTABLE,
		       G = 1u << WASTE_GREASE, I = 1u << WASTE_INDUSTRIAL;
	const struct {
		const char *what;
		int managed;
		const char *offline_types;	/* NULL: the default (septage, portable) */
		enum sync_health health;
		unsigned refused;
	} rows[] = {
		/* a station without a plant: never restricted */
		{ "unmanaged", 0, NULL, SYNC_H_UNMANAGED, 0 },
		/* not managed, whatever health is claimed: the url decides */
		{ "unmanaged, offline given", 0, NULL, SYNC_H_OFFLINE, 0 },
		/* managed and within warn_after, all sent or not */
		{ "managed, ok", 1, NULL, SYNC_H_OK, 0 },
		{ "managed, behind", 1, NULL, SYNC_H_BEHIND, 0 },
		/* past warn_after: only warned */
		{ "managed, warn", 1, NULL, SYNC_H_WARN, 0 },
		/* never reached: a new station is not locked out */
		{ "managed, never", 1, NULL, SYNC_H_NEVER, 0 },
		/* a fork is the alarm's business, not this rule's */
		{ "managed, fork", 1, NULL, SYNC_H_FORK, 0 },
		/* past offline_after: the default types only */
		{ "managed, offline", 1, NULL, SYNC_H_OFFLINE, G | I },
		/* the plant allows grease alone offline */
		{ "offline, grease only", 1, "grease", SYNC_H_OFFLINE, S | P | I },
		/* the plant allows nothing offline */
		{ "offline, none", 1, "", SYNC_H_OFFLINE, S | P | G | I },
		/* every type allowed offline: nothing refused */
		{ "offline, all", 1, "septage, portable, grease, industrial", SYNC_H_OFFLINE, 0 },
		/* the same types when warned only: nothing refused */
		{ "warn, none offline", 1, "", SYNC_H_WARN, 0 },
	};

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		for (int w = WASTE_SEPTAGE; w < WASTE_COUNT; w++) {
			struct fx f;
			struct decision d;
			unsigned mask;
			int want = (rows[i].refused >> w) & 1u, got = 0;

			baseline(&f);
			if (rows[i].managed)
				SET(f.cfg.sync_url, "https://potw.example.org");
			if (rows[i].offline_types)
				assert_int_equal(waste_parse_list(rows[i].offline_types,
								  &f.cfg.sync_offline_waste), HG_OK);
			f.m.waste = (enum waste_type)w;
			mask = policy_offline_waste(&f.cfg, rows[i].health);
			policy_decide(&f.cfg, &f.card, &f.m, f.now, f.rnd, f.manual, mask, &d);
			for (int k = 0; k < d.n_refuse; k++)
				got |= d.refuse[k] == R_OFFLINE_WASTE;
			if (got != want)
				fail_msg("%s, %s: offline_waste %s, want %s", rows[i].what,
					 waste_code((enum waste_type)w), got ? "refused" : "not",
					 want ? "refused" : "not");
			if (want && (d.verdict != VERDICT_REFUSED || d.n_refuse != 1))
				fail_msg("%s, %s: verdict %s with %d reasons, want refused for "
					 "offline_waste alone", rows[i].what,
					 waste_code((enum waste_type)w), verdict_code(d.verdict),
					 d.n_refuse);
			if (!want && d.verdict == VERDICT_REFUSED)
				fail_msg("%s, %s: refused", rows[i].what, waste_code((enum waste_type)w));
		}
	}
}

/* What the hauler reads for offline_waste names the days and the types of
 * the configuration, in both languages; other reasons are their message. */
static void test_offline_text(void **state)
{
	const struct {
		const char *types;	/* [sync] offline_waste_types */
		long days;		/* [sync] offline_after */
		enum lang lang;
		const char *want;
	} rows[] = {
		/* the defaults, in English and Spanish */
		{ "septage, portable", 30, LANG_EN,
		  "This station has not reached the plant for 30 days: until it does, it accepts "
		  "only septic tank waste and portable toilet waste." },
		{ "septage, portable", 30, LANG_ES,
		  "Esta estación no se comunica con la planta desde hace 30 días: hasta que lo "
		  "haga, solo recibe residuos de fosa séptica y residuos de baños portátiles." },
		/* one type, another limit */
		{ "grease", 14, LANG_EN,
		  "This station has not reached the plant for 14 days: until it does, it accepts "
		  "only grease trap waste." },
		/* three types: commas, then the last "and" */
		{ "septage, portable, grease", 30, LANG_ES,
		  "Esta estación no se comunica con la planta desde hace 30 días: hasta que lo "
		  "haga, solo recibe residuos de fosa séptica, residuos de baños portátiles y "
		  "residuos de trampa de grasa." },
		/* one day: singular, in both languages */
		{ "grease", 1, LANG_EN,
		  "This station has not reached the plant for 1 day: until it does, it accepts "
		  "only grease trap waste." },
		{ "grease", 1, LANG_ES,
		  "Esta estación no se comunica con la planta desde hace 1 día: hasta que lo "
		  "haga, solo recibe residuos de trampa de grasa." },
		/* none allowed offline: the message that names no type */
		{ "", 30, LANG_EN, NULL },
	};
	char buf[512];

	(void)state;
	for (size_t i = 0; i < HG_ARRAY_LEN(rows); i++) {
		struct config cfg;

		config_defaults(&cfg);
		assert_int_equal(waste_parse_list(rows[i].types, &cfg.sync_offline_waste), HG_OK);
		cfg.sync_offline_after_s = rows[i].days * 86400;
		policy_reason_text(&cfg, R_OFFLINE_WASTE, rows[i].lang, buf, sizeof buf);
		assert_string_equal(buf, rows[i].want ? rows[i].want
				    : i18n_msg(R_OFFLINE_WASTE, rows[i].lang));
	}
	{
		struct config cfg;

		config_defaults(&cfg);
		/* any other reason: its message as it is */
		policy_reason_text(&cfg, R_RCRA_HAZARDOUS, LANG_ES, buf, sizeof buf);
		assert_string_equal(buf, i18n_msg(R_RCRA_HAZARDOUS, LANG_ES));
		/* cut to fit, never inside a character: "Esta estació" + "n" is 13 bytes
		 * with the two of "ó"; 13 bytes of room keep 12 */
		policy_reason_text(&cfg, R_OFFLINE_WASTE, LANG_ES, buf, 13);
		assert_string_equal(buf, "Esta estaci");
		policy_reason_text(&cfg, R_OFFLINE_WASTE, LANG_ES, buf, 14);
		assert_string_equal(buf, "Esta estació");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_decide),
		cmocka_unit_test(test_town_in_area),
		cmocka_unit_test(test_is_zip),
		cmocka_unit_test(test_card),
		cmocka_unit_test(test_permit_lapses_by_itself),
		cmocka_unit_test(test_permit_valid),
		cmocka_unit_test(test_permit_valid_local_date),
		cmocka_unit_test(test_codes),
		cmocka_unit_test(test_codes_truncated),
		cmocka_unit_test(test_verdict_codes),
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_offline_text),
	};

	return cmocka_run_group_tests_name("policy", tests, group_setup, NULL);
}
