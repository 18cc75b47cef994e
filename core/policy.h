/* policy.h: the acceptance and sampling rules, pure functions.
 *
 * policy_card() answers "may this card start a load now?" after the PIN;
 * policy_decide() answers "accept, refuse or hold for sampling?" for a
 * certified form.  Every rule that fires adds its reason code, so the record
 * says all the reasons, not only the first.  Randomness comes in as a number
 * drawn by the caller from a CSPRNG (randombytes_random), time as now. */
#ifndef POLICY_H
#define POLICY_H

#include <stdint.h>
#include "config.h"
#include "roster.h"
#include "sync_health.h"

#define POLICY_MAX_REASONS 16

enum verdict { VERDICT_NONE = 0, VERDICT_ACCEPTED, VERDICT_REFUSED, VERDICT_SAMPLE_HOLD };

struct decision {
	enum verdict verdict;
	int n_refuse;
	enum reason refuse[POLICY_MAX_REASONS];		/* why refused (verdict REFUSED) */
	int n_sample;
	enum reason sample[POLICY_MAX_REASONS];		/* why sampled (verdict SAMPLE_HOLD) */
};

const char *verdict_code(enum verdict v);	/* "accepted", "refused", "sample-hold" */
enum verdict verdict_parse(const char *s);

/* Is the hauler's permit valid on the local date of now? */
int policy_permit_valid(const struct hauler_info *h, hg_time now);

/* After a right PIN: may this hauler card start a load now?  Returns R_NONE
 * or the first reason to refuse (revoked, suspended, permit not valid or
 * lapsed, station closed). */
enum reason policy_card(const struct config *cfg, const struct card_info *card, hg_time now);

/* Every waste type: no restriction (policy_offline_waste()). */
#define POLICY_ANY_WASTE (~0u)

/* The waste types cfg's station may take now as it stands with the plant
 * (health: core/sync_health.h), beyond its other rules: [sync]
 * offline_waste_types (a mask of 1u << enum waste_type, maybe 0) when it is
 * plant-managed and has not reached the plant for offline_after
 * (SYNC_H_OFFLINE), else POLICY_ANY_WASTE.  Never, a fork, warned or behind
 * restrict nothing (docs/DECISIONS.md "Offline: only the waste types the
 * plant allows"). */
unsigned policy_offline_waste(const struct config *cfg, enum sync_health health);

/* Decide on a certified form.  manual_flag: an operator asked for this load
 * to be sampled.  rnd: uniform 32-bit random number.  waste_now: the waste
 * types the station takes now (policy_offline_waste(), as the station last
 * told the session): a type outside it is refused R_OFFLINE_WASTE.  Refusal
 * reasons win over sampling; the sampling reasons are still recorded in d. */
void policy_decide(const struct config *cfg, const struct card_info *card,
		   const struct manifest *m, hg_time now, uint32_t rnd,
		   int manual_flag, unsigned waste_now, struct decision *d);

/* What a person reads for reason r in lang, into buf[cap] (cut to fit,
 * whole UTF-8 characters): i18n_msg(), but R_OFFLINE_WASTE names cfg's
 * offline_after in days and its offline_waste_types
 * (ui.offline_waste.detail: "... for 30 days: until it does, it accepts
 * only septic tank waste and portable toilet waste.").  Returns buf. */
const char *policy_reason_text(const struct config *cfg, enum reason r, enum lang lang,
			       char *buf, size_t cap);

/* Is town (a source's town or ZIP code) one of the service area's entries?
 * The whole field is compared, never a word inside it, after Unicode NFC and
 * case folding with the spaces tidied ("PEÑASCO" is "Peñasco", with the
 * tilde precomposed or not); a ZIP+4 "64124-1234" is its ZIP "64124", on
 * either side.  An empty town is in no area. */
int policy_town_in_area(const struct config *cfg, const char *town);

/* Is s a ZIP code: five digits, or a ZIP+4 "64124-1234"? (the kiosk shows
 * the service area's towns as buttons, not its ZIP codes) */
int policy_is_zip(const char *s);

/* Comma-separated reason codes of a list into buf[cap] ("rcra_hazardous,daily_limit").
 * Codes that do not fit whole are left out. */
void policy_codes(const enum reason *r, int n, char *buf, size_t cap);

#endif
